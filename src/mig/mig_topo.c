/* mig_topo.c - agent addresses and key path (pure). */
#include "mig/mig_topo.h"
#include "common/util.h"

#include <string.h>

uint16_t hs_mig_agent_port(const struct hs_topology *t, const char *host)
{
    /* Each lab (told apart by its controller port) gets its own block of agent ports, so
     * several labs on one machine never collide. */
    unsigned base = HS_MIG_AGENT_BASE_PORT +
                    (t->controller.listen_port % HS_MIG_AGENT_LABS) * HS_MIG_AGENT_BLOCK;
    for (size_t i = 0; i < t->n_hosts; i++)
        if (!strcmp(t->hosts[i].name, host))
            return i < HS_MIG_AGENT_BLOCK ? (uint16_t)(base + i) : 0;
    return 0;
}

int hs_mig_key_path(const struct hs_topology *t, char *out, size_t size)
{
    return hs_snprintf(out, size, "%s/agent.key", t->state_dir);
}
