/* topology_internal.h - internal: where each parsed value came from, for the cross-node rules. */
#ifndef HS_CONFIG_TOPOLOGY_INTERNAL_H
#define HS_CONFIG_TOPOLOGY_INTERNAL_H

#include "config/cfg_yaml.h"
#include "config/topology.h"

struct topo_switch_marks {
    yaml_mark_t node, name, dpid;
};

struct topo_host_marks {
    yaml_mark_t node, name, sw, port, mac, ip, twin;
};

struct topo_ips_marks {
    yaml_mark_t node, sw, port, mode;
};

struct topo_marks {
    struct topo_ips_marks ips;
    struct topo_switch_marks *sw;   /* one per topology switch */
    struct topo_host_marks *host;   /* one per topology host */
};

/* Convert the loaded document (root mapping) into t, checking every value on its own.
 * m receives allocated mark arrays (free with topo_marks_free even on failure). 0 or -1. */
int topo_parse_document(struct cfg_ctx *c, struct hs_topology *t, struct topo_marks *m);
/* Release the mark arrays. */
void topo_marks_free(struct topo_marks *m);
/* Rules between nodes: unique names/dpids/ports/addresses, switch references, twins.
 * Resolves switch_index and twin_index. 0 or -1 with the error recorded in c. */
int topo_check_rules(struct cfg_ctx *c, struct hs_topology *t, const struct topo_marks *m);

#endif
