/* dumphold.h - the original's inbound frames held, not dropped, while CRIU dumps it (I/O).
 *
 * CRIU's network lock (nftables/iptables) drops every packet of the container's netns during
 * the dump, so a new connection's SYN waits for the sender's 1 s retransmission. Instead, right
 * before the dump (where CRIU would lock), everything the bridge sends into the container (the
 * egress of its host veth hsn<id>, i.e. after every OpenFlow decision: confinement, mirror,
 * patch) is redirected by a tc filter (clsact egress, u32 match-all, mirred redirect) to a
 * capture veth pair hsq<id>/hsr<id> and kept in an AF_PACKET socket's queue (bounded); CRIU then
 * runs with `network-lock skip`. After the dump the held frames are sent into the container in
 * arrival order (PACKET_QDISC_BYPASS, so they pass the filter) while the original is still
 * paused, and the filter is removed after it resumed (tc is a program start: kept out of the
 * pause). The container's own output needs no lock: its processes are frozen and its dumped
 * sockets in TCP_REPAIR. If the hold cannot be set up the caller keeps CRIU's nftables lock. */
#ifndef HS_SANDNET_DUMPHOLD_H
#define HS_SANDNET_DUMPHOLD_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "sandnet/spec.h"

#define SN_DUMP_HOLD_MAX_AGE_MS 3000      /* older held frames are dropped, not sent */
#define SN_DUMP_HOLD_RCVBUF (4u << 20)    /* capture queue (bytes of kernel memory) */

struct sn_dump_hold_stats {
    bool used;                /* the hold was in place for the dump (else CRIU's own lock) */
    size_t held;              /* frames captured during the dump */
    size_t reinjected;        /* sent into the container after the dump */
    size_t expired;           /* older than SN_DUMP_HOLD_MAX_AGE_MS: dropped */
    size_t dropped;           /* lost by the capture queue (full) or a failed send */
    double release_ms;        /* the final release: last frames sent, filter removed */
};

struct sn_dump_hold;

/* Make the capture pair and its sockets (no filter yet: nothing is held). Done ahead, outside
 * the original's pause. NULL on failure (logged; nothing left behind). */
struct sn_dump_hold *sn_dump_hold_begin(const struct sn_container *c);
/* Put the filter on: from when this returns, every frame for the container is held. False on
 * failure (logged; nothing is held, the caller uses CRIU's lock). */
bool sn_dump_hold_arm(struct sn_dump_hold *h);
/* Send the frames held so far into the container (the filter stays on; no program is run, so
 * this is cheap enough for the original's pause). */
void sn_dump_hold_flush(struct sn_dump_hold *h);
/* Send the rest in arrival order and take the filter off; stats filled (zero when h is NULL).
 * False when the filter could not be removed (logged: the container is cut off). */
bool sn_dump_hold_release(struct sn_dump_hold *h, struct sn_dump_hold_stats *st);
/* Take the filter off if still on, remove the capture pair, free. NULL is a no-op. */
void sn_dump_hold_free(struct sn_dump_hold *h);
/* The stats as JSON: {"used", "held", "reinjected", "expired", "dropped", "release_ms"}. */
json_t *sn_dump_hold_json(const struct sn_dump_hold_stats *st);

#endif
