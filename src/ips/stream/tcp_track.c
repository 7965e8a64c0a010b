/* tcp_track.c - TCP state machine: handshake, data, FIN/RST, limits and eviction per packet. */
#include "ips/stream/stream_internal.h"

#define MAX_EVICT_RETRIES 8

struct deliver_ctx {
    struct ips_stream *s;
    struct ips_flow *f;
    enum ips_dir dir;
};

static enum ips_verdict deliver_cb(void *ctx, const uint8_t *data, size_t len, uint64_t off)
{
    struct deliver_ctx *d = ctx;
    d->s->bytes_delivered += len;
    return d->s->cfg.deliver(d->s->cfg.ctx, d->f, d->dir, data, len, off);
}

static struct ips_result verdict(enum ips_verdict v, enum ips_event_type reason,
                                 const struct ips_flow *f)
{
    return (struct ips_result){.verdict = v, .reason = reason, .flow_id = f ? f->id : 0};
}

static struct ips_result drop_ev(struct ips_stream *s, enum ips_event_type ev, const struct pkt *p,
                                 const struct ips_flow *f, enum ips_dir dir)
{
    stream_emit(s, ev, 0, p, f, dir);
    return verdict(IPS_DROP, ev, f);
}

static bool flags_valid(uint8_t fl)
{
    if ((fl & PKT_TCP_SYN) && (fl & (PKT_TCP_FIN | PKT_TCP_RST)))
        return false;
    return (fl & (PKT_TCP_SYN | PKT_TCP_ACK | PKT_TCP_RST | PKT_TCP_FIN)) != 0;
}

/* Make room for a new flow (count and memory); false when nothing can be evicted. */
static bool room_for_flow(struct ips_stream *s, uint64_t now, enum ips_event_type *why)
{
    while (s->flows.count >= s->cfg.max_flows) {
        if (!stream_evict_one(s, now, NULL)) {
            *why = IPS_EV_TCP_FLOW_LIMIT;
            return false;
        }
    }
    while (s->mem.used > s->mem.cap || sizeof(struct ips_flow) > s->mem.cap - s->mem.used) {
        if (!stream_evict_one(s, now, NULL)) {
            *why = IPS_EV_TCP_MEMCAP;
            return false;
        }
    }
    return true;
}

static struct ips_flow *new_flow(struct ips_stream *s, const struct pkt *p, uint64_t now)
{
    struct ips_flow_key k = {.client_ip = p->src, .server_ip = p->dst, .client_port = p->sport,
                             .server_port = p->dport};
    struct ips_flow *f = flow_table_insert(&s->flows, &k, now);
    s->mem.used += sizeof *f;
    return f;
}

/* Data and/or FIN of direction dir starting at sequence number seq. */
static struct ips_result add_data(struct ips_stream *s, struct ips_flow *f, enum ips_dir dir,
                                  const struct pkt *p, uint32_t seq, uint64_t now)
{
    bool fin = (p->tcp_flags & PKT_TCP_FIN) != 0;
    struct tcp_half *h = &f->half[dir];
    struct deliver_ctx dc = {s, f, dir};
    enum ips_event_type ev;
    int tries = 0;
    for (;;) {
        ev = tcp_half_add(h, &s->lim, &s->mem, seq, p->payload, p->payload_len, fin, deliver_cb,
                          &dc);
        if (ev != IPS_EV_TCP_MEMCAP || tries++ >= MAX_EVICT_RETRIES ||
            !stream_evict_one(s, now, f))
            break;
    }
    if (ev == IPS_EV_INSPECTOR_DROP) {
        f->blocked = true;
        tcp_half_release(&f->half[0], &s->mem);
        tcp_half_release(&f->half[1], &s->mem);
        return drop_ev(s, ev, p, f, dir);
    }
    if (ev != IPS_EV_NONE)
        return drop_ev(s, ev, p, f, dir);
    if (fin && (f->state == IPS_TCP_ESTABLISHED || f->state == IPS_TCP_SYN_RECV))
        f->state = IPS_TCP_CLOSING;
    if (tcp_half_finished(&f->half[0]) && tcp_half_finished(&f->half[1]) &&
        f->state != IPS_TCP_CLOSED) {
        f->state = IPS_TCP_CLOSED;
        /* Both directions are complete, so nothing is buffered; the histories would only check
         * retransmissions of a finished connection until the close timeout. Return their memory
         * now: under a high connection rate, closed flows otherwise fill the memcap and new
         * flows are refused (reassembly_memcap). Later retransmissions of acknowledged bytes
         * stay harmless; unacknowledged ones become unverifiable and are dropped. */
        tcp_half_release(&f->half[0], &s->mem);
        tcp_half_release(&f->half[1], &s->mem);
    }
    return verdict(IPS_PASS, IPS_EV_NONE, f);
}

/* SYN or SYN-ACK of flow f: validates it against the handshake so far, updates the state. */
static enum ips_event_type handle_syn(struct ips_stream *s, struct ips_flow *f, enum ips_dir dir,
                                      const struct pkt *p)
{
    bool ack = (p->tcp_flags & PKT_TCP_ACK) != 0;
    if (!ack) {
        if (dir != IPS_DIR_TO_SERVER)
            return IPS_EV_TCP_UNEXPECTED_SYN;
        if (p->seq == f->client_isn && f->state != IPS_TCP_ESTABLISHED)
            return IPS_EV_NONE; /* retransmitted SYN */
        struct tcp_half *h = &f->half[IPS_DIR_TO_SERVER];
        if (f->state == IPS_TCP_SYN_SENT && h->next_off == 0 && h->nsegs == 0) {
            tcp_half_release(h, &s->mem);
            *h = (struct tcp_half){0};
            tcp_half_init(h, p->seq + 1);
            f->client_isn = p->seq;
            return IPS_EV_NONE; /* client restarted with a new ISN before any data */
        }
        return IPS_EV_TCP_UNEXPECTED_SYN;
    }
    if (dir != IPS_DIR_TO_CLIENT)
        return IPS_EV_TCP_UNEXPECTED_SYN;
    if (p->ack != f->client_isn + 1)
        return IPS_EV_TCP_SYNACK_BAD_ACK;
    if (f->synack_seen)
        return p->seq == f->server_isn ? IPS_EV_NONE : IPS_EV_TCP_UNEXPECTED_SYN;
    if (f->state != IPS_TCP_SYN_SENT)
        return IPS_EV_TCP_UNEXPECTED_SYN;
    f->synack_seen = true;
    f->server_isn = p->seq;
    tcp_half_init(&f->half[IPS_DIR_TO_CLIENT], p->seq + 1);
    f->state = IPS_TCP_SYN_RECV;
    return IPS_EV_NONE;
}

/* RST: accepted only at the next expected sequence number (RFC 5961 exact match). */
static bool rst_acceptable(const struct ips_flow *f, enum ips_dir dir, const struct pkt *p)
{
    const struct tcp_half *h = &f->half[dir];
    if (!h->base_known) {
        /* e.g. the server refuses the SYN: RST(+ACK of ISN+1) before any SYN-ACK */
        return !(p->tcp_flags & PKT_TCP_ACK) || p->ack == f->client_isn + 1;
    }
    uint64_t off;
    if (!tcp_half_offset(h, p->seq, &off))
        return false;
    return off == h->next_off || (tcp_half_finished(h) && off == h->fin_off + 1);
}

static struct ips_result on_flow(struct ips_stream *s, struct ips_flow *f, enum ips_dir dir,
                                 const struct pkt *p, uint64_t now)
{
    uint8_t fl = p->tcp_flags;
    bool has_data = p->payload_len > 0 || (fl & PKT_TCP_FIN);

    if (f->blocked)
        return verdict(IPS_DROP, IPS_EV_TCP_FLOW_BLOCKED, f);
    flow_table_touch(&s->flows, f, now);

    if (f->state == IPS_TCP_RESET) {
        if (has_data)
            return drop_ev(s, IPS_EV_TCP_DATA_AFTER_RST, p, f, dir);
        return verdict(IPS_PASS, IPS_EV_NONE, f);
    }
    if (fl & PKT_TCP_RST) {
        if (!rst_acceptable(f, dir, p))
            return drop_ev(s, IPS_EV_TCP_RST_INVALID, p, f, dir);
        f->state = IPS_TCP_RESET;
        tcp_half_release(&f->half[0], &s->mem);
        tcp_half_release(&f->half[1], &s->mem);
        flow_table_touch(&s->flows, f, now);
        return verdict(IPS_PASS, IPS_EV_NONE, f); /* an RST's payload is not stream data */
    }

    uint32_t data_seq = p->seq;
    if (fl & PKT_TCP_SYN) {
        enum ips_event_type ev = handle_syn(s, f, dir, p);
        if (ev != IPS_EV_NONE)
            return drop_ev(s, ev, p, f, dir);
        data_seq = p->seq + 1;
    }
    if (fl & PKT_TCP_ACK) {
        tcp_half_ack(&f->half[!dir], p->ack);
        if (f->state == IPS_TCP_SYN_RECV && dir == IPS_DIR_TO_SERVER && !(fl & PKT_TCP_SYN) &&
            p->ack == f->server_isn + 1)
            f->state = IPS_TCP_ESTABLISHED;
    }
    struct ips_result r = verdict(IPS_PASS, IPS_EV_NONE, f);
    if (has_data) {
        struct tcp_half *h = &f->half[dir];
        if (!h->base_known) {
            if (!f->synack_seen && f->state == IPS_TCP_ESTABLISHED) {
                tcp_half_init(h, p->seq); /* midstream flow: first packet of this side */
            } else {
                return drop_ev(s, IPS_EV_TCP_DATA_BEFORE_HANDSHAKE, p, f, dir);
            }
        }
        if (f->state == IPS_TCP_SYN_SENT && !(fl & PKT_TCP_SYN))
            return drop_ev(s, IPS_EV_TCP_DATA_BEFORE_HANDSHAKE, p, f, dir);
        if ((fl & PKT_TCP_URG) && p->payload_len > 0 && !s->cfg.allow_urgent)
            return drop_ev(s, IPS_EV_TCP_URGENT, p, f, dir);
        r = add_data(s, f, dir, p, data_seq, now);
    }
    flow_table_touch(&s->flows, f, now);
    return r;
}

struct ips_result tcp_track_packet(struct ips_stream *s, const struct pkt *p, uint64_t now)
{
    uint8_t fl = p->tcp_flags;
    if (!flags_valid(fl))
        return drop_ev(s, IPS_EV_TCP_INVALID_FLAGS, p, NULL, IPS_DIR_TO_SERVER);

    enum ips_dir dir = IPS_DIR_TO_SERVER;
    struct ips_flow *f = flow_table_find(&s->flows, p->src, p->sport, p->dst, p->dport, &dir);
    bool pure_syn = (fl & PKT_TCP_SYN) && !(fl & PKT_TCP_ACK);
    if (f && now >= f->last_seen && now - f->last_seen >= stream_timeout(s, f->cls)) {
        stream_end_flow(s, f, IPS_EV_FLOW_TIMEOUT);
        f = NULL;
    }
    if (f && pure_syn && (f->state == IPS_TCP_CLOSED || f->state == IPS_TCP_RESET) &&
        !(dir == IPS_DIR_TO_SERVER && p->seq == f->client_isn)) {
        stream_end_flow(s, f, IPS_EV_NONE); /* the 4-tuple is reused by a new connection */
        f = NULL;
    }
    if (f)
        return on_flow(s, f, dir, p, now);

    if (!pure_syn && !(s->cfg.allow_midstream && !(fl & (PKT_TCP_RST | PKT_TCP_SYN))))
        return drop_ev(s, IPS_EV_TCP_NO_FLOW, p, NULL, IPS_DIR_TO_SERVER);
    enum ips_event_type why = IPS_EV_NONE;
    if (!room_for_flow(s, now, &why))
        return drop_ev(s, why, p, NULL, IPS_DIR_TO_SERVER);
    f = new_flow(s, p, now);
    if (pure_syn) {
        f->client_isn = p->seq;
        tcp_half_init(&f->half[IPS_DIR_TO_SERVER], p->seq + 1);
    } else {
        f->state = IPS_TCP_ESTABLISHED;
        f->client_isn = p->seq - 1;
        tcp_half_init(&f->half[IPS_DIR_TO_SERVER], p->seq);
        if (fl & PKT_TCP_ACK)
            tcp_half_init(&f->half[IPS_DIR_TO_CLIENT], p->ack);
        stream_emit(s, IPS_EV_TCP_MIDSTREAM, 0, p, f, IPS_DIR_TO_SERVER);
        /* a pure SYN's data is handled below like any segment; here the packet is not a SYN */
    }
    return on_flow(s, f, IPS_DIR_TO_SERVER, p, now);
}
