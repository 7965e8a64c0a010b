/* ips_stream.c - per-packet dispatch (decode, defrag, TCP), flow lifecycle, configuration. */
#include "ips/stream/ips_stream.h"

#include "common/util.h"
#include "ips/stream/stream_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPIRE_PER_PACKET 16
#define MAX_WINDOW_LIMIT ((uint64_t)1 << 30)

void ips_stream_config_default(struct ips_stream_config *c)
{
    *c = (struct ips_stream_config){
        .max_flows = 65536,
        .memcap = (size_t)128 << 20,
        .max_buffered_per_dir = (size_t)1 << 20,
        .max_segments_per_dir = 4096,
        .history_per_dir = (size_t)256 << 10,
        .max_window = (uint64_t)64 << 20,
        .embryonic_timeout_ms = 30000,
        .established_timeout_ms = 3600000,
        .closed_timeout_ms = 10000,
        .evict_min_idle_ms = 60000,
        .frag_max_datagrams = 4096,
        .frag_max_per_datagram = 64,
        .frag_memcap = (size_t)16 << 20,
        .frag_timeout_ms = 30000,
    };
}

struct ips_stream *ips_stream_new(const struct ips_stream_config *cfg)
{
    if (!cfg->deliver) {
        fprintf(stderr, "ips_stream_new: deliver callback is required\n");
        abort();
    }
    struct ips_stream *s = xcalloc(1, sizeof *s);
    s->cfg = *cfg;
    if (!s->cfg.max_flows)
        s->cfg.max_flows = 1;
    if (s->cfg.max_window == 0 || s->cfg.max_window > MAX_WINDOW_LIMIT)
        s->cfg.max_window = MAX_WINDOW_LIMIT;
    s->lim = (struct tcp_limits){
        .max_buffered = s->cfg.max_buffered_per_dir,
        .max_segments = s->cfg.max_segments_per_dir,
        .history = s->cfg.history_per_dir,
        .max_window = s->cfg.max_window,
    };
    s->mem.cap = s->cfg.memcap;
    flow_table_init(&s->flows, s->cfg.max_flows, s->cfg.hash_seed);
    struct ipv4_defrag_config dc = {
        .max_datagrams = s->cfg.frag_max_datagrams,
        .max_frags = s->cfg.frag_max_per_datagram,
        .memcap = s->cfg.frag_memcap,
        .timeout_ms = s->cfg.frag_timeout_ms,
    };
    s->defrag = ipv4_defrag_new(&dc, s->cfg.hash_seed ^ 0x5bd1e995u);
    return s;
}

void ips_stream_free(struct ips_stream *s)
{
    if (!s)
        return;
    for (int c = 0; c < FLOW__CLASSES; c++)
        while (s->flows.lru[c].tail)
            stream_end_flow(s, s->flows.lru[c].tail, IPS_EV_NONE);
    flow_table_destroy(&s->flows);
    ipv4_defrag_free(s->defrag);
    free(s);
}

void stream_emit(struct ips_stream *s, enum ips_event_type type, uint32_t detail,
                 const struct pkt *p, const struct ips_flow *f, enum ips_dir dir)
{
    if (!s->cfg.on_event)
        return;
    struct ips_event ev = {.type = type, .detail = detail, .dir = dir};
    if (f)
        ev.flow_id = f->id;
    if (p && p->ip && p->ethertype == PKT_ETHERTYPE_IPV4) {
        ev.has_tuple = true;
        ev.src = p->src;
        ev.dst = p->dst;
        ev.sport = p->sport;
        ev.dport = p->dport;
        ev.proto = p->proto;
    } else if (f) {
        ev.has_tuple = true;
        ev.src = f->key.client_ip;
        ev.dst = f->key.server_ip;
        ev.sport = f->key.client_port;
        ev.dport = f->key.server_port;
        ev.proto = PKT_PROTO_TCP;
    }
    s->cfg.on_event(s->cfg.ctx, &ev);
}

void stream_end_flow(struct ips_stream *s, struct ips_flow *f, enum ips_event_type ev)
{
    if (ev != IPS_EV_NONE)
        stream_emit(s, ev, 0, NULL, f, IPS_DIR_TO_SERVER);
    for (int d = 0; d < 2; d++)
        if (f->half[d].buffered)
            stream_emit(s, IPS_EV_FLOW_UNINSPECTED_DATA, (uint32_t)f->half[d].buffered, NULL, f,
                        (enum ips_dir)d);
    if (s->cfg.on_flow_end)
        s->cfg.on_flow_end(s->cfg.ctx, f);
    tcp_half_release(&f->half[0], &s->mem);
    tcp_half_release(&f->half[1], &s->mem);
    s->mem.used -= sizeof *f;
    flow_table_remove(&s->flows, f);
}

uint64_t stream_timeout(const struct ips_stream *s, enum flow_class c)
{
    switch (c) {
    case FLOW_EMBRYONIC: return s->cfg.embryonic_timeout_ms;
    case FLOW_CLOSED: return s->cfg.closed_timeout_ms;
    default: return s->cfg.established_timeout_ms;
    }
}

static bool idle_for(const struct ips_flow *f, uint64_t now, uint64_t ms)
{
    return now >= f->last_seen && now - f->last_seen >= ms;
}

/* Expire up to max flows (0 = no bound); returns how many were removed. */
static size_t expire_flows(struct ips_stream *s, uint64_t now, size_t max)
{
    size_t n = 0;
    for (int c = 0; c < FLOW__CLASSES; c++) {
        uint64_t to = stream_timeout(s, (enum flow_class)c);
        struct ips_flow *f;
        while ((f = s->flows.lru[c].tail) && idle_for(f, now, to)) {
            stream_end_flow(s, f, IPS_EV_FLOW_TIMEOUT);
            if (max && ++n >= max)
                return n;
        }
    }
    return n;
}

bool stream_evict_one(struct ips_stream *s, uint64_t now, const struct ips_flow *keep)
{
    struct ips_flow *victim = NULL;
    for (int c = 0; c < FLOW__CLASSES; c++) {
        struct ips_flow *f = s->flows.lru[c].tail;
        if (f && f == keep)
            f = f->lprev;
        if (f && idle_for(f, now, s->cfg.evict_min_idle_ms) &&
            (!victim || f->last_seen < victim->last_seen))
            victim = f;
    }
    if (!victim)
        return false;
    stream_end_flow(s, victim, IPS_EV_FLOW_EVICTED);
    return true;
}

static void frag_timeout(void *ctx, const struct defrag_key *k)
{
    struct ips_stream *s = ctx;
    if (!s->cfg.on_event)
        return;
    struct ips_event ev = {.type = IPS_EV_FRAG_TIMEOUT, .detail = k->id, .has_tuple = true,
                           .src = k->src, .dst = k->dst, .proto = k->proto};
    s->cfg.on_event(s->cfg.ctx, &ev);
}

void ips_stream_expire(struct ips_stream *s, uint64_t now_ms)
{
    expire_flows(s, now_ms, 0);
    ipv4_defrag_expire(s->defrag, now_ms, frag_timeout, s);
}

static struct ips_result drop(struct ips_stream *s, enum ips_event_type ev, uint32_t detail,
                              const struct pkt *p)
{
    stream_emit(s, ev, detail, p, NULL, IPS_DIR_TO_SERVER);
    return (struct ips_result){.verdict = IPS_DROP, .reason = ev};
}

/* A decoded, non-fragment IPv4 packet. */
static struct ips_result handle_l4(struct ips_stream *s, const struct pkt *p, uint64_t now)
{
    if (p->proto != PKT_PROTO_TCP)
        return (struct ips_result){.verdict = IPS_PASS};
    if (s->cfg.verify_checksums && !pkt_l4_csum_ok(p))
        return drop(s, IPS_EV_BAD_CHECKSUM, 0, p);
    return tcp_track_packet(s, p, now);
}

static struct ips_result packet(struct ips_stream *s, const uint8_t *frame, size_t len,
                                uint64_t now)
{
    struct pkt p;
    enum pkt_err err = pkt_decode_eth(frame, len, &p);
    if (err != PKT_OK) {
        stream_emit(s, IPS_EV_DECODE_ERROR, err, NULL, NULL, IPS_DIR_TO_SERVER);
        return (struct ips_result){.verdict = IPS_DROP, .reason = IPS_EV_DECODE_ERROR};
    }
    if (p.ethertype == PKT_ETHERTYPE_IPV6 && !s->cfg.pass_ipv6)
        return drop(s, IPS_EV_UNSUPPORTED_L3, p.ethertype, NULL);
    if (p.ethertype != PKT_ETHERTYPE_IPV4)
        return (struct ips_result){.verdict = IPS_PASS};
    if (s->cfg.verify_checksums && !pkt_ipv4_csum_ok(&p))
        return drop(s, IPS_EV_BAD_CHECKSUM, 0, &p);
    if (!p.is_fragment)
        return handle_l4(s, &p, now);

    struct defrag_out out;
    enum defrag_status st = ipv4_defrag_add(s->defrag, &p, now, &out, frag_timeout, s);
    if (out.report && out.ev != IPS_EV_NONE)
        stream_emit(s, out.ev, p.ip_id, &p, NULL, IPS_DIR_TO_SERVER);
    if (st == DEFRAG_DROP)
        return (struct ips_result){.verdict = IPS_DROP, .reason = out.ev};
    if (st == DEFRAG_HELD)
        return (struct ips_result){.verdict = IPS_HOLD};
    struct pkt whole;
    err = pkt_decode_eth(out.frame, out.frame_len, &whole);
    if (err != PKT_OK) {
        stream_emit(s, IPS_EV_DECODE_ERROR, err, &p, NULL, IPS_DIR_TO_SERVER);
        return (struct ips_result){.verdict = IPS_DROP, .reason = IPS_EV_DECODE_ERROR};
    }
    struct ips_result r = handle_l4(s, &whole, now);
    if (r.verdict == IPS_PASS) {
        r.frame = out.frame;
        r.frame_len = out.frame_len;
    }
    return r;
}

struct ips_result ips_stream_packet(struct ips_stream *s, const uint8_t *frame, size_t len,
                                   uint64_t now_ms)
{
    s->packets++;
    expire_flows(s, now_ms, EXPIRE_PER_PACKET);
    struct ips_result r = packet(s, frame, len, now_ms);
    if (r.verdict == IPS_DROP)
        s->dropped++;
    return r;
}

struct ips_stream_stats ips_stream_stats(const struct ips_stream *s)
{
    return (struct ips_stream_stats){
        .flows = s->flows.count,
        .mem_used = s->mem.used,
        .frag_datagrams = ipv4_defrag_count(s->defrag),
        .frag_mem = ipv4_defrag_mem(s->defrag),
        .packets = s->packets,
        .dropped = s->dropped,
        .bytes_delivered = s->bytes_delivered,
    };
}
