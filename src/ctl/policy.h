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
 */
#ifndef HS_CTL_POLICY_H
#define HS_CTL_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "config/topology.h"
#include "ctl/flowset.h"

#define HS_TABLE_PORTSEC 0
#define HS_TABLE_FWD 1
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

/* The host attached to (sw, port), or NULL. */
const struct hs_host *policy_host_at(const struct hs_topology *t, size_t sw, uint32_t port);

#endif
