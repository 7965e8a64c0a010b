/* tcp_stream.h - reassembly of one direction of a TCP connection (pure, no flow table).
 *
 * Stream offset 0 is the first byte after the SYN. Sequence numbers are mapped to 64-bit stream
 * offsets relative to the next byte to deliver, so 32-bit wraparound is transparent. Bytes are
 * delivered in order, exactly once, as soon as they are contiguous. A packet is accepted or
 * refused as a whole: a refused packet (event returned) changes nothing.
 *
 * Policy: already delivered bytes are kept in a history ring; a retransmission must match them
 * (else RETRANS_CONFLICT). Among buffered out-of-order bytes the first segment wins and an overlap
 * with different bytes is refused (OVERLAP_CONFLICT). See docs/reassembly.md. */
#ifndef HS_IPS_STREAM_TCP_STREAM_H
#define HS_IPS_STREAM_TCP_STREAM_H

#include "ips/stream/ips_event.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tcp_seg;

/* One direction. Zero-initialised = base unknown; call tcp_half_init once the ISN is known. */
struct tcp_half {
    bool base_known;
    bool fin_seen;
    bool acked_known;
    uint32_t next_seq;      /* sequence number of the next byte to deliver */
    uint64_t next_off;      /* stream offset of the next byte to deliver (= bytes delivered) */
    uint64_t fin_off;       /* stream offset the FIN occupies */
    uint64_t acked_off;     /* highest offset acknowledged by the receiver (<= next_off) */
    uint64_t seen_end;      /* highest end offset accepted (delivered or buffered) */
    struct tcp_seg *segs;   /* buffered out-of-order runs, sorted, non-overlapping */
    size_t nsegs;
    size_t buffered;        /* payload bytes in segs */
    uint8_t *hist;          /* ring of the last delivered bytes: offset o at hist[o % hist_cap] */
    size_t hist_cap, hist_len;
};

/* Limits for one direction plus the memory pool shared by all flows. */
struct tcp_limits {
    size_t max_buffered;    /* out-of-order payload bytes */
    size_t max_segments;    /* out-of-order runs */
    size_t history;         /* delivered bytes remembered for retransmission checks */
    uint64_t max_window;    /* how far beyond the delivered data a segment may end (< 2^31) */
};

struct tcp_mem {
    size_t used, cap;
};

/* Receives contiguous data at stream offset off; return IPS_DROP to veto the packet. */
typedef enum ips_verdict (*tcp_deliver_fn)(void *ctx, const uint8_t *data, size_t len,
                                           uint64_t off);

/* Start the stream: first_seq is the sequence number of stream offset 0 (ISN + 1). */
void tcp_half_init(struct tcp_half *h, uint32_t first_seq);
/* Map a sequence number to a stream offset; false if it lies before the stream start. */
bool tcp_half_offset(const struct tcp_half *h, uint32_t seq, uint64_t *off);
/* Add a segment (payload and/or FIN). Returns IPS_EV_NONE when accepted (contiguous data has
 * been delivered through fn), IPS_EV_INSPECTOR_DROP when fn vetoed, or the event explaining why
 * the packet is refused (state unchanged). */
enum ips_event_type tcp_half_add(struct tcp_half *h, const struct tcp_limits *lim,
                                 struct tcp_mem *mem, uint32_t seq, const uint8_t *data,
                                 size_t len, bool fin, tcp_deliver_fn fn, void *ctx);
/* Record an acknowledgement from the receiver of this direction (ignored when implausible). */
void tcp_half_ack(struct tcp_half *h, uint32_t ack);
/* True when a FIN was seen and every byte before it was delivered. */
bool tcp_half_finished(const struct tcp_half *h);
/* Free buffered segments and history, returning their memory to mem. */
void tcp_half_release(struct tcp_half *h, struct tcp_mem *mem);
/* Memory this direction holds in the pool. */
size_t tcp_half_mem(const struct tcp_half *h);

#endif
