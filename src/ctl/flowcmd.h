/* flowcmd.h - the generic control command {"cmd":"flows"} (pure parser): other subsystems
 * (e.g. Sandnet) install and remove their own flows through the controller's OpenFlow session,
 * answered after the switch's BARRIER_REPLY.
 *
 *   {"cmd":"flows", "switch":"NAME",
 *    "add":[{"table":0, "priority":N, "cookie":"0x..."|N, "idle_timeout":S, "hard_timeout":S,
 *            "match":{"in_port":N, "eth_type":N, "eth_src":"MAC", "eth_dst":"MAC",
 *                     "ip_proto":N, "ipv4_src":"IP", "ipv4_dst":"IP",
 *                     "tcp_src":N, "tcp_dst":N, "udp_src":N, "udp_dst":N},
 *            "actions":[{"output":N}, ...] (empty or absent: drop), "goto_table":N}, ...],
 *    "delete":[{"cookie":"0x...", "cookie_mask":"0x..."}, ...]}
 * Cookies must be nonzero and must not carry the controller's tags (top 16 bits 0x4853, its
 * policy; 0x4d47, relocations): the controller's reconciliation leaves such foreign flows
 * alone, also across its restarts. At most 64 flows and 64 deletions per request; deletions
 * run before additions. OpenFlow prerequisites (eth_type for IPv4 fields, ip_proto for ports)
 * are the caller's to give; the switch answers an error otherwise (logged). */
#ifndef HS_CTL_FLOWCMD_H
#define HS_CTL_FLOWCMD_H

#include <stddef.h>
#include <stdint.h>

#include "config/topology.h"
#include "ctl/flowset.h"

#define HS_FLOWCMD_MAX 64

struct hs_flowcmd {
    size_t sw;                          /* index into the topology's switches */
    struct hs_flowset add;
    size_t n_del;
    uint64_t del_cookie[HS_FLOWCMD_MAX], del_mask[HS_FLOWCMD_MAX];
};

/* Parse req; 0 with *out filled (free out->add with hs_flowset_free), -1 with a message. */
int hs_flowcmd_parse(const struct hs_topology *t, const struct json_t *req,
                     struct hs_flowcmd *out, char *err, size_t err_size);

#endif
