/* ipv4_defrag.h - IPv4 reassembly keyed by (src, dst, proto, id). Pure (the caller passes a
 * monotonic time). Policy: first fragment wins on overlaps; overlapping bytes that differ drop the
 * whole datagram. Limits: fragments per datagram, 65535-byte datagrams, datagrams in progress,
 * total memory; exceeding any drops the datagram (never passed). See docs/reassembly.md. */
#ifndef HS_IPS_STREAM_IPV4_DEFRAG_H
#define HS_IPS_STREAM_IPV4_DEFRAG_H

#include "ips/stream/ips_event.h"
#include "ips/stream/pkt_decode.h"

#include <stddef.h>
#include <stdint.h>

struct ipv4_defrag_config {
    size_t max_datagrams;    /* datagrams in reassembly (incl. dropped ones awaiting timeout) */
    size_t max_frags;        /* fragments accepted per datagram */
    size_t memcap;           /* bytes of fragment data and bookkeeping in total */
    uint64_t timeout_ms;     /* from the first fragment of a datagram */
};

struct defrag_key {
    uint32_t src, dst;
    uint16_t id;
    uint8_t proto;
};

enum defrag_status {
    DEFRAG_HELD,  /* fragment kept, datagram incomplete: do not forward the fragment */
    DEFRAG_DONE,  /* datagram complete: out->frame holds it */
    DEFRAG_DROP,  /* fragment (and its datagram) dropped: out->ev says why */
};

struct defrag_out {
    enum ips_event_type ev;  /* event to report for this fragment, IPS_EV_NONE if none */
    bool report;             /* false for repeated drops of an already dropped datagram */
    const uint8_t *frame;    /* DONE: Ethernet frame (L2 header of the first fragment + datagram),
                              * valid until the next call on this defragmenter */
    size_t frame_len;
};

/* Called for each datagram that times out before completion (its fragments were held). */
typedef void (*defrag_timeout_fn)(void *ctx, const struct defrag_key *key);

struct ipv4_defrag;

/* New defragmenter; limits of 0 are raised to 1. */
struct ipv4_defrag *ipv4_defrag_new(const struct ipv4_defrag_config *cfg, uint64_t hash_seed);
/* Free everything. */
void ipv4_defrag_free(struct ipv4_defrag *d);
/* Add a decoded fragment (p->is_fragment). Expires old datagrams first (reported via fn). */
enum defrag_status ipv4_defrag_add(struct ipv4_defrag *d, const struct pkt *p, uint64_t now_ms,
                                   struct defrag_out *out, defrag_timeout_fn fn, void *ctx);
/* Remove datagrams older than the timeout, calling fn for the incomplete ones. */
void ipv4_defrag_expire(struct ipv4_defrag *d, uint64_t now_ms, defrag_timeout_fn fn, void *ctx);
/* Datagrams currently tracked and memory in use. */
size_t ipv4_defrag_count(const struct ipv4_defrag *d);
size_t ipv4_defrag_mem(const struct ipv4_defrag *d);

#endif
