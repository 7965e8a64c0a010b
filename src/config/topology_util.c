/* topology_util.c - freeing and look-ups on a parsed topology. */
#include "config/topology.h"

#include <stdlib.h>
#include <string.h>

void hs_topology_free(struct hs_topology *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n_hosts; i++)
        free(t->hosts[i].services);
    free(t->hosts);
    free(t->switches);
    free(t);
}

const struct hs_host *hs_topology_host(const struct hs_topology *t, const char *name)
{
    for (size_t i = 0; t && name && i < t->n_hosts; i++)
        if (!strcmp(t->hosts[i].name, name))
            return &t->hosts[i];
    return NULL;
}

const struct hs_switch *hs_topology_switch(const struct hs_topology *t, const char *name)
{
    for (size_t i = 0; t && name && i < t->n_switches; i++)
        if (!strcmp(t->switches[i].name, name))
            return &t->switches[i];
    return NULL;
}

const struct hs_switch *hs_topology_switch_by_dpid(const struct hs_topology *t, uint64_t dpid)
{
    for (size_t i = 0; t && i < t->n_switches; i++)
        if (t->switches[i].dpid == dpid)
            return &t->switches[i];
    return NULL;
}

bool hs_topology_ips_on(const struct hs_topology *t, size_t sw)
{
    return t && t->ips.present && t->ips.enabled && t->ips.switch_index == sw &&
           sw < t->n_switches;
}

bool hs_topology_ips_steers(const struct hs_topology *t, size_t sw)
{
    return hs_topology_ips_on(t, sw) && t->ips.mode == HS_IPS_STEER;
}

bool hs_topology_ips_bumped(const struct hs_topology *t, const struct hs_host *h)
{
    return h && h->role == HS_ROLE_PRODUCTION && hs_topology_ips_on(t, h->switch_index) &&
           t->ips.mode == HS_IPS_BUMP;
}
