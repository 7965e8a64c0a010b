/* stream_internal.h - the table shared by ips_stream.c (dispatch, lifecycle) and tcp_track.c
 * (TCP state machine). Not part of the public API. */
#ifndef HS_IPS_STREAM_STREAM_INTERNAL_H
#define HS_IPS_STREAM_STREAM_INTERNAL_H

#include "ips/stream/ips_stream.h"
#include "ips/stream/ipv4_defrag.h"
#include "ips/stream/pkt_decode.h"
#include "ips/stream/tcp_flow.h"
#include "ips/stream/tcp_stream.h"

struct ips_stream {
    struct ips_stream_config cfg;
    struct tcp_limits lim;
    struct tcp_mem mem;
    struct flow_table flows;
    struct ipv4_defrag *defrag;
    uint64_t packets, dropped, bytes_delivered;
};

/* Report a packet event (tuple from p when non-NULL) for flow f (may be NULL). */
void stream_emit(struct ips_stream *s, enum ips_event_type type, uint32_t detail,
                 const struct pkt *p, const struct ips_flow *f, enum ips_dir dir);
/* Remove a flow: lifecycle event ev (unless IPS_EV_NONE), on_flow_end, memory released. */
void stream_end_flow(struct ips_stream *s, struct ips_flow *f, enum ips_event_type ev);
/* Timeout of a flow class in ms. */
uint64_t stream_timeout(const struct ips_stream *s, enum flow_class c);
/* Evict the least recently used flow idle for at least evict_min_idle_ms, other than keep;
 * false when none qualifies. */
bool stream_evict_one(struct ips_stream *s, uint64_t now, const struct ips_flow *keep);
/* Handle a decoded, non-fragment TCP packet. */
struct ips_result tcp_track_packet(struct ips_stream *s, const struct pkt *p, uint64_t now);

#endif
