/* fuzz_topology.c - libFuzzer target: parse arbitrary bytes as a topology; on success the JSON
 * description must build; on failure the message must carry the "<fuzz>:" prefix. */
#include "config/topology.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct hs_topology *t = NULL;
    struct hs_cfg_err err;
    if (hs_topology_parse((const char *)data, size, "<fuzz>", &t, &err) == 0) {
        char *json = NULL;
        if (hs_topology_to_json(t, &json) != 0)
            abort();
        for (size_t i = 0; i < t->n_hosts; i++)
            if (t->hosts[i].switch_index >= t->n_switches)
                abort();
        free(json);
        hs_topology_free(t);
    } else if (t != NULL || strncmp(err.msg, "<fuzz>:", 7) != 0 ||
               memchr(err.msg, '\0', sizeof err.msg) == NULL) {
        abort();
    }
    return 0;
}
