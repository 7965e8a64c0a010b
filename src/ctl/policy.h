/* policy.h - what the controller wants the network to do, computed from the topology (pure).
 *
 * Pipeline on every switch:
 *   table 0 (port security): honeypot ports drop everything (isolated until a redirect opens
 *     them); a host's port passes only frames with that host's source MAC (goto table 1);
 *     anything else from a known host port is dropped; unknown ports miss to the controller.
 *   table 1 (forwarding): ARP requests go to the controller, which answers from the topology;
 *     frames to a known non-honeypot host's MAC go out of its port; misses go to the controller.
 * No flood/NORMAL action is ever used, so a honeypot (same MAC/IP as its twin) never receives
 * flooded traffic.
 *
 * With the inline IPS enabled on a switch (topology `ips:`), on that switch:
 *   table 0: frames arriving from the IPS port pass (goto table 1) when their source MAC is a
 *     client's or a production host's (priority 200); anything else from it is dropped (100).
 *   table 1: IPv4 from a client's port to a production MAC, and from a production port to a
 *     client's MAC, is steered out of the IPS port (priority 300). Frames coming back from the
 *     IPS port do not match these (they match in_port) and are forwarded by destination MAC.
 * With ips.mode bump none of these: each production host's port leads to its own bump
 * (honeyshift-ipsd in front of the host), so the plain per-port flows send everything through
 * the IPS.
 * Blocking an attacker (IPS verdict): table 0, priority 900, IPv4 from the attacker to each
 * production address and back is dropped, on every switch, before any other rule.
 */
#ifndef HS_CTL_POLICY_H
#define HS_CTL_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/topology.h"
#include "ctl/flowset.h"

#define HS_TABLE_PORTSEC 0
#define HS_TABLE_FWD 1
#define HS_PRIO_BLOCK 900
#define HS_PRIO_STEER 300
#define HS_ETH_ARP 0x0806
#define HS_ETH_IPV4 0x0800

/* Append the base flows of switch number sw (index into t->switches) to out. */
void policy_base_flows(const struct hs_topology *t, size_t sw, struct hs_flowset *out);

/* Number of base flows of switch sw (what policy_base_flows would append). */
void policy_base_flows_count(const struct hs_topology *t, size_t sw, size_t *count);

/* Answer an ARP request received on (sw, in_port): when frame is an ARP request for the IPv4
 * address of a known, non-honeypot host, write the ARP reply frame (42 bytes) to reply and
 * return 1; return 0 when the request is not ours to answer, -1 when the frame is malformed. */
int policy_arp_reply(const struct hs_topology *t, size_t sw, uint32_t in_port,
                     const uint8_t *frame, size_t len, uint8_t reply[42]);

/* The block flows for attacker (IPv4, host order) on switch sw: drop IPv4 between it and every
 * production address in both directions, with the topology's ips block timeouts (flows that
 * time out are reported with FLOW_REMOVED). Appends to out; returns how many were added. */
size_t policy_block_flows(const struct hs_topology *t, size_t sw, uint32_t attacker,
                          struct hs_flowset *out);
/* The attacker address named by a block flow (its cookie detail), 0 when f is not one. */
uint32_t policy_block_ip(const struct hs_flow *f);
/* True when attacker may be blocked: a unicast address that is not a production, internal or
 * honeypot host (blocking one of ours would cut the service off). */
bool policy_block_allowed(const struct hs_topology *t, uint32_t attacker);

/* Blocked attackers known to the controller (fixed capacity, no allocation). */
#define HS_MAX_BLOCKS 1024
struct hs_block {
    uint32_t ip;                /* attacker, host order */
    uint32_t server_ip;         /* the first attack: server address/port and rule */
    uint16_t server_port, attacker_port;
    uint32_t sid;
    uint64_t since_ms;          /* monotonic time of the first attack */
    uint64_t attacks;           /* attack reports for this attacker */
    unsigned ingress_live;      /* attacker->production flows not yet reported removed */
};
struct hs_blocklist {
    size_t n;
    struct hs_block v[HS_MAX_BLOCKS];
};
/* The entry for ip, or NULL. */
struct hs_block *hs_blocklist_find(struct hs_blocklist *b, uint32_t ip);
/* Add ip (or find it): *is_new tells which; NULL when the list is full. */
struct hs_block *hs_blocklist_add(struct hs_blocklist *b, uint32_t ip, bool *is_new);
/* Remove ip; false when absent. */
bool hs_blocklist_remove(struct hs_blocklist *b, uint32_t ip);

/* The host attached to (sw, port), or NULL. */
const struct hs_host *policy_host_at(const struct hs_topology *t, size_t sw, uint32_t port);

#endif
