/* harness.c - see harness.h. */
#include "harness.h"

#include "ips/stream/pkt_decode.h"

#include <string.h>

struct rec *h_rec(struct harness *h, uint64_t flow_id)
{
    for (size_t i = 0; i < h->nrecs; i++)
        if (h->recs[i].flow_id == flow_id)
            return &h->recs[i];
    return NULL;
}

static enum ips_verdict on_deliver(void *ctx, struct ips_flow *flow, enum ips_dir dir,
                                   const uint8_t *data, size_t len, uint64_t off)
{
    struct harness *h = ctx;
    h->delivery_calls++;
    struct rec *r = ips_flow_user(flow);
    if (!r) {
        if (h->nrecs >= H_MAX_RECS) {
            h->violation = true;
            return IPS_PASS;
        }
        r = &h->recs[h->nrecs++];
        r->flow_id = ips_flow_id(flow);
        ips_flow_set_user(flow, r);
    }
    if (len == 0 || off != r->data[dir].len || r->flow_id != ips_flow_id(flow))
        h->violation = true;
    hs_buf_put(&r->data[dir], data, len);
    if (ips_flow_delivered(flow, dir) != r->data[dir].len)
        h->violation = true;
    if (h->veto) {
        /* look at the new bytes plus enough history to see a pattern split across chunks */
        size_t vl = strlen(h->veto), from = len + vl - 1;
        struct hs_buf *b = &r->data[dir];
        if (from > b->len)
            from = b->len;
        if (memmem(b->data + b->len - from, from, h->veto, vl))
            return IPS_DROP;
    }
    return IPS_PASS;
}

static void on_event(void *ctx, const struct ips_event *ev)
{
    struct harness *h = ctx;
    if ((unsigned)ev->type < IPS_EV__COUNT)
        h->events[ev->type]++;
    h->last_event = *ev;
}

static void on_flow_end(void *ctx, struct ips_flow *flow)
{
    struct harness *h = ctx;
    struct rec *r = ips_flow_user(flow);
    if (r)
        r->ended = true;
    h->flows_ended++;
}

void h_init(struct harness *h)
{
    memset(h, 0, sizeof *h);
    ips_stream_config_default(&h->cfg);
    h->cfg.deliver = on_deliver;
    h->cfg.on_event = on_event;
    h->cfg.on_flow_end = on_flow_end;
    h->cfg.ctx = h;
    h->cfg.hash_seed = 0x1234abcd5678ef01ULL;
    h->now = 1000;
}

void h_start(struct harness *h) { h->s = ips_stream_new(&h->cfg); }

void h_free(struct harness *h)
{
    ips_stream_free(h->s);
    h->s = NULL;
    for (size_t i = 0; i < h->nrecs; i++) {
        hs_buf_free(&h->recs[i].data[0]);
        hs_buf_free(&h->recs[i].data[1]);
    }
    h->nrecs = 0;
}

size_t h_len(struct harness *h, uint64_t flow_id, enum ips_dir dir)
{
    struct rec *r = h_rec(h, flow_id);
    return r ? r->data[dir].len : 0;
}

bool h_equal(struct harness *h, uint64_t flow_id, enum ips_dir dir, const void *exp, size_t len)
{
    struct rec *r = h_rec(h, flow_id);
    if (!r)
        return len == 0;
    return r->data[dir].len == len && (len == 0 || memcmp(r->data[dir].data, exp, len) == 0);
}

struct ips_result h_send(struct harness *h, const uint8_t *frame, size_t len)
{
    return ips_stream_packet(h->s, frame, len, h->now);
}

void c_init(struct conn *c, struct harness *h, uint16_t cport, uint32_t cisn, uint32_t sisn)
{
    memset(c, 0, sizeof *c);
    c->h = h;
    c->cip = 0xc6120001; /* 198.18.0.1 */
    c->sip = 0xc6120101; /* 198.18.1.1 */
    c->cport = cport;
    c->sport = 80;
    c->cisn = cisn;
    c->sisn = sisn;
    c->ip_id = 1;
}

size_t c_build(struct conn *c, uint8_t *out, enum ips_dir dir, uint32_t seq, uint32_t ack,
               uint8_t flags, const void *data, size_t len)
{
    struct fb_tcp t = {.seq = seq, .ack = ack, .flags = flags, .ip_id = c->ip_id++,
                       .vlan = c->vlan};
    if (dir == IPS_DIR_TO_SERVER) {
        t.src = c->cip, t.dst = c->sip, t.sport = c->cport, t.dport = c->sport;
    } else {
        t.src = c->sip, t.dst = c->cip, t.sport = c->sport, t.dport = c->cport;
    }
    return fb_tcp(out, &t, data, len);
}

struct ips_result c_raw(struct conn *c, enum ips_dir dir, uint32_t seq, uint32_t ack,
                        uint8_t flags, const void *data, size_t len)
{
    size_t n = c_build(c, c->h->frame, dir, seq, ack, flags, data, len);
    return h_send(c->h, c->h->frame, n);
}

uint32_t c_seq(const struct conn *c, enum ips_dir dir, uint64_t off)
{
    return (dir == IPS_DIR_TO_SERVER ? c->cisn : c->sisn) + 1 + (uint32_t)off;
}

struct ips_result c_seg(struct conn *c, enum ips_dir dir, uint64_t off, const void *data,
                        size_t len)
{
    return c_raw(c, dir, c_seq(c, dir, off), c_seq(c, !dir, 0), PKT_TCP_ACK | PKT_TCP_PSH, data,
                 len);
}

bool c_handshake(struct conn *c)
{
    struct ips_result r1 = c_raw(c, IPS_DIR_TO_SERVER, c->cisn, 0, PKT_TCP_SYN, NULL, 0);
    struct ips_result r2 = c_raw(c, IPS_DIR_TO_CLIENT, c->sisn, c->cisn + 1,
                                 PKT_TCP_SYN | PKT_TCP_ACK, NULL, 0);
    struct ips_result r3 = c_raw(c, IPS_DIR_TO_SERVER, c->cisn + 1, c->sisn + 1, PKT_TCP_ACK,
                                 NULL, 0);
    c->flow_id = r1.flow_id;
    return r1.verdict == IPS_PASS && r2.verdict == IPS_PASS && r3.verdict == IPS_PASS &&
           r1.flow_id != 0 && r1.flow_id == r2.flow_id && r2.flow_id == r3.flow_id;
}
