/* engine_internal.h - the seam between the stream glue (engine_stream.c, which includes
 * ips/stream/ips_stream.h) and the engine core (engine.c, which includes ips/rules/rules.h and
 * engine.h). ips_stream.h and rules.h both define enum ips_dir, and ips_event.h's
 * enum ips_verdict shares its tag with engine.h's struct ips_verdict, so no file may include
 * both sides: they talk through the neutral types below. Internal to src/ips/engine. */
#ifndef HS_IPS_ENGINE_INTERNAL_H
#define HS_IPS_ENGINE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ips_engine;

/* A TCP flow as the core sees it (client -> server, host byte order). */
struct eng_flowinfo {
    uint64_t flow_id;
    uint32_t client_ip, server_ip;
    uint16_t client_port, server_port;
    bool established;
};

enum eng_action { ENG_PASS = 0, ENG_DROP = 1, ENG_HOLD = 2 };

/* Result of one frame through the stream layer. */
struct eng_pkt_result {
    enum eng_action action;
    const char *event;        /* name of the stream event that dropped it, or NULL */
    bool alert_event;         /* the drop is an anomaly worth an alert (sid 0, "stream") */
    bool inspector_drop;      /* the core vetoed the data (or the flow was blocked by it) */
    bool flow_blocked;        /* a packet of a flow blocked earlier */
    uint64_t flow_id;
    bool has_tuple;           /* tuple of the packet (from the event), for the alert */
    uint32_t src, dst;
    uint16_t sport, dport;
    uint8_t proto;
    const uint8_t *frame;     /* reassembled datagram to forward instead (PASS only) */
    size_t frame_len;
};

struct eng_stream_cfg {
    size_t max_flows;         /* 0: stream default */
    size_t memcap;            /* 0: stream default */
    uint64_t hash_seed;
};

struct eng_stream;

/* ---- engine_stream.c (stream side) ---- */

/* New stream table whose callbacks call eng_on_data / eng_on_flow_end on e. */
struct eng_stream *eng_stream_new(const struct eng_stream_cfg *cfg, struct ips_engine *e);
/* One Ethernet frame through reassembly (callbacks run inside). */
struct eng_pkt_result eng_stream_packet(struct eng_stream *s, const uint8_t *frame, size_t len,
                                        uint64_t now_ms);
/* Expire idle flows and fragments. */
void eng_stream_expire(struct eng_stream *s, uint64_t now_ms);
/* Flows currently tracked. */
size_t eng_stream_flows(const struct eng_stream *s);
/* Free the table (eng_on_flow_end runs for every flow). NULL is fine. */
void eng_stream_free(struct eng_stream *s);

/* ---- engine.c (core side), called from the stream callbacks ---- */

/* New in-order bytes of one direction; *user is the flow's core state (NULL at first).
 * Returns true when the packet that completed the bytes must be dropped (flow blocked). */
bool eng_on_data(struct ips_engine *e, void **user, const struct eng_flowinfo *fi, bool to_server,
                 const uint8_t *data, size_t len);
/* The flow ends: finish its HTTP parser (late alerts, cannot drop) and free user. */
void eng_on_flow_end(struct ips_engine *e, void *user);

#endif
