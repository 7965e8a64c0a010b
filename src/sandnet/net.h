/* net.h - Sandnet's own OVS bridges and per-container network namespaces (I/O). */
#ifndef HS_SANDNET_NET_H
#define HS_SANDNET_NET_H

#include <stdbool.h>
#include <stdint.h>

#include "sandnet/spec.h"

/* Create the bridge if missing (userspace datapath, fail_mode standalone). */
bool sn_bridge_up(const char *bridge);
/* Create the bridge if missing: userspace datapath, fail_mode secure (no forwarding without
 * flows), OpenFlow 1.3/1.4 (1.4 for ovs-ofctl bundles), the given datapath ID, managed by the
 * controller at `controller` ("tcp:127.0.0.1:PORT"). */
bool sn_bridge_up_secure(const char *bridge, uint64_t dpid, const char *controller);
/* Link bridges a and b with a pair of patch ports "<a>-p" / "<b>-p", both OpenFlow port
 * `port` on their bridge. */
bool sn_patch_link(const char *a, const char *b, uint32_t port);
/* Delete the bridge if present. */
bool sn_bridge_down(const char *bridge);
/* Create netns hsn-<id> with lo up and eth0 (the spec's MAC and IP, TX offload off on both
 * ends), the host end hsn<id> plugged into the spec's bridge; the host end is left down (no
 * carrier) unless link_up. Removes leftovers first. */
bool sn_netns_up(const struct sn_container *c, bool link_up);
/* Set the host end of the container's veth up or down (carrier on/off for the container). */
bool sn_link_set(const struct sn_container *c, bool up);
/* Hold (block=true) or release traffic towards the container's MAC on its bridge (an
 * OpenFlow drop rule, priority 100): a clone's namespace can be up, and its restore ACK go
 * out, while nothing reaches it before its sockets exist. Releasing is a flow-table change,
 * so OVS revalidates its cached datapath flows at once (a link that comes up does not). */
bool sn_ingress_block(const struct sn_container *c, bool block);
/* Copy the IPv4 neighbour entries of from's eth0 into to's eth0 (as STALE: used at once,
 * re-confirmed by the kernel later). */
bool sn_neigh_copy(const struct sn_container *from, const struct sn_container *to);
/* Remove port, veth and netns (each if present). */
bool sn_netns_down(const struct sn_container *c);

#endif
