/* ips_stream.h - per-packet entry point of the inline IPS stream layer: decode, IPv4
 * defragmentation, TCP flow tracking and in-order stream delivery with a verdict per packet.
 *
 * Pure (no I/O, no clock): the caller passes a monotonic time in milliseconds. Delivery and event
 * callbacks run synchronously inside ips_stream_packet, before the verdict is returned, so an
 * inspector can veto the packet that completed the data. Callbacks must not call back into the
 * table. Not thread-safe: one table per thread. Policies and limits: docs/reassembly.md. */
#ifndef HS_IPS_STREAM_IPS_STREAM_H
#define HS_IPS_STREAM_IPS_STREAM_H

#include "ips/stream/ips_event.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ips_dir {
    IPS_DIR_TO_SERVER = 0, /* client -> server (the side that sent the SYN) */
    IPS_DIR_TO_CLIENT = 1,
};

enum ips_tcp_state {
    IPS_TCP_SYN_SENT,      /* SYN seen */
    IPS_TCP_SYN_RECV,      /* SYN-ACK seen */
    IPS_TCP_ESTABLISHED,   /* handshake ACK seen (or midstream pickup) */
    IPS_TCP_CLOSING,       /* FIN seen in one direction */
    IPS_TCP_CLOSED,        /* both directions finished */
    IPS_TCP_RESET,         /* valid RST seen */
};

/* Endpoints in host byte order, oriented client -> server. */
struct ips_flow_key {
    uint32_t client_ip, server_ip;
    uint16_t client_port, server_port;
};

struct ips_flow;

/* An event. The tuple is the packet's (src -> dst) for packet events, client -> server for flow
 * lifecycle events; has_tuple is false for events without addresses. */
struct ips_event {
    enum ips_event_type type;
    uint32_t detail;        /* DECODE_ERROR: enum pkt_err; FRAG_*: IP id */
    uint64_t flow_id;       /* 0 when not tied to a TCP flow */
    enum ips_dir dir;       /* meaningful when flow_id != 0 */
    bool has_tuple;
    uint32_t src, dst;
    uint16_t sport, dport;
    uint8_t proto;
};

/* Contiguous new bytes of one direction at stream offset off (each byte exactly once, in order).
 * Return IPS_DROP to drop the packet that completed them; the flow is then blocked (all its later
 * packets are dropped). */
typedef enum ips_verdict (*ips_deliver_fn)(void *ctx, struct ips_flow *flow, enum ips_dir dir,
                                           const uint8_t *data, size_t len, uint64_t off);
typedef void (*ips_event_fn)(void *ctx, const struct ips_event *ev);
/* Called once before a flow is freed (timeout, eviction, reuse, table free): release user data. */
typedef void (*ips_flow_end_fn)(void *ctx, struct ips_flow *flow);

struct ips_stream_config {
    /* TCP */
    size_t max_flows;               /* flows tracked at once */
    size_t memcap;                  /* total bytes: flows, buffered segments, histories */
    size_t max_buffered_per_dir;    /* out-of-order payload bytes per direction */
    size_t max_segments_per_dir;    /* out-of-order runs per direction */
    size_t history_per_dir;         /* delivered bytes kept per direction to check retransmissions */
    uint64_t max_window;            /* max distance of a segment end past the delivered data */
    uint64_t embryonic_timeout_ms;  /* handshake not complete */
    uint64_t established_timeout_ms;
    uint64_t closed_timeout_ms;     /* after FIN both ways or RST */
    uint64_t evict_min_idle_ms;     /* a flow idle this long may be evicted (LRU) under pressure */
    bool allow_midstream;           /* pick up flows without a SYN (default false: drop) */
    bool allow_urgent;              /* pass URG segments with data (default false: drop) */
    bool verify_checksums;          /* drop bad IPv4/TCP checksums (default false: offloads) */
    bool pass_ipv6;                 /* forward IPv6 uninspected (default false: drop) */
    uint64_t hash_seed;             /* secret for the hash tables: set it from a random source */
    /* IPv4 defragmentation */
    size_t frag_max_datagrams;
    size_t frag_max_per_datagram;
    size_t frag_memcap;
    uint64_t frag_timeout_ms;
    /* callbacks (deliver is required) */
    ips_deliver_fn deliver;
    ips_event_fn on_event;
    ips_flow_end_fn on_flow_end;
    void *ctx;
};

/* Verdict for one frame. */
struct ips_result {
    enum ips_verdict verdict;
    enum ips_event_type reason; /* why DROP (IPS_EV_NONE otherwise) */
    uint64_t flow_id;           /* TCP flow of the packet, 0 if none */
    /* When non-NULL (PASS only): the frame completed an IPv4 datagram; forward this reassembled
     * frame instead of the input. Valid until the next call on the table. */
    const uint8_t *frame;
    size_t frame_len;
};

struct ips_stream_stats {
    size_t flows, mem_used;
    size_t frag_datagrams, frag_mem;
    uint64_t packets, dropped, bytes_delivered;
};

struct ips_stream;

/* Fill cfg with the defaults documented in docs/reassembly.md (callbacks NULL). */
void ips_stream_config_default(struct ips_stream_config *cfg);
/* New table; aborts on a NULL deliver callback. */
struct ips_stream *ips_stream_new(const struct ips_stream_config *cfg);
/* Free the table, calling on_flow_end for every flow. */
void ips_stream_free(struct ips_stream *s);
/* Process one Ethernet frame seen at monotonic time now_ms. */
struct ips_result ips_stream_packet(struct ips_stream *s, const uint8_t *frame, size_t len,
                                   uint64_t now_ms);
/* Remove timed-out flows and fragment datagrams (events reported). */
void ips_stream_expire(struct ips_stream *s, uint64_t now_ms);
/* Counters. */
struct ips_stream_stats ips_stream_stats(const struct ips_stream *s);

/* Flow accessors, valid inside callbacks. */
uint64_t ips_flow_id(const struct ips_flow *f);
const struct ips_flow_key *ips_flow_key(const struct ips_flow *f);
enum ips_tcp_state ips_flow_state(const struct ips_flow *f);
/* Bytes delivered so far in one direction. */
uint64_t ips_flow_delivered(const struct ips_flow *f, enum ips_dir dir);
void *ips_flow_user(const struct ips_flow *f);
void ips_flow_set_user(struct ips_flow *f, void *user);
/* "syn_sent", "established", ... */
const char *ips_tcp_state_name(enum ips_tcp_state st);

#endif
