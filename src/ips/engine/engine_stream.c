/* engine_stream.c - the engine's stream side: owns the ips_stream table and turns its
 * callbacks into eng_on_data / eng_on_flow_end calls with neutral types (see
 * engine_internal.h for why this file is separate). */
#include "ips/engine/engine_internal.h"
#include "ips/stream/ips_stream.h"

#include "common/util.h"

#include <stdlib.h>
#include <string.h>

/* Events seen during one ips_stream_packet call, to give the drop reason a tuple. */
#define EV_KEEP 8

struct eng_stream {
    struct ips_stream *st;
    struct ips_engine *e;
    struct ips_event ev[EV_KEEP];
    size_t n_ev;
};

static void flowinfo(const struct ips_flow *f, struct eng_flowinfo *fi)
{
    const struct ips_flow_key *k = ips_flow_key(f);
    fi->flow_id = ips_flow_id(f);
    fi->client_ip = k->client_ip;
    fi->server_ip = k->server_ip;
    fi->client_port = k->client_port;
    fi->server_port = k->server_port;
    enum ips_tcp_state st = ips_flow_state(f);
    fi->established = st != IPS_TCP_SYN_SENT && st != IPS_TCP_SYN_RECV;
}

static enum ips_verdict on_deliver(void *ctx, struct ips_flow *flow, enum ips_dir dir,
                                   const uint8_t *data, size_t len, uint64_t off)
{
    (void)off;
    struct eng_stream *s = ctx;
    struct eng_flowinfo fi;
    flowinfo(flow, &fi);
    void *user = ips_flow_user(flow);
    bool drop = eng_on_data(s->e, &user, &fi, dir == IPS_DIR_TO_SERVER, data, len);
    ips_flow_set_user(flow, user);
    return drop ? IPS_DROP : IPS_PASS;
}

static void on_event(void *ctx, const struct ips_event *ev)
{
    struct eng_stream *s = ctx;
    if (s->n_ev < EV_KEEP)
        s->ev[s->n_ev++] = *ev;
}

static void on_flow_end(void *ctx, struct ips_flow *flow)
{
    struct eng_stream *s = ctx;
    void *user = ips_flow_user(flow);
    ips_flow_set_user(flow, NULL);
    if (user)
        eng_on_flow_end(s->e, user);
}

struct eng_stream *eng_stream_new(const struct eng_stream_cfg *cfg, struct ips_engine *e)
{
    struct eng_stream *s = xcalloc(1, sizeof *s);
    s->e = e;
    struct ips_stream_config sc;
    ips_stream_config_default(&sc);
    if (cfg->max_flows)
        sc.max_flows = cfg->max_flows;
    if (cfg->memcap)
        sc.memcap = cfg->memcap;
    sc.hash_seed = cfg->hash_seed;
    sc.deliver = on_deliver;
    sc.on_event = on_event;
    sc.on_flow_end = on_flow_end;
    sc.ctx = s;
    s->st = ips_stream_new(&sc);
    return s;
}

/* Drops that are normal life, not anomalies: no alert for them (see docs/eve.md). */
static bool quiet_reason(enum ips_event_type t)
{
    switch (t) {
    case IPS_EV_NONE:
    case IPS_EV_UNSUPPORTED_L3:       /* IPv6 is not inspected: dropped by policy */
    case IPS_EV_TCP_NO_FLOW:          /* late packets of closed flows, pre-existing connections */
    case IPS_EV_TCP_FLOW_BLOCKED:     /* already reported when the flow was blocked */
    case IPS_EV_INSPECTOR_DROP:       /* reported by the rule alert */
    case IPS_EV_FRAG_DATAGRAM_DROPPED: /* already reported for the datagram */
        return true;
    default:
        return false;
    }
}

struct eng_pkt_result eng_stream_packet(struct eng_stream *s, const uint8_t *frame, size_t len,
                                        uint64_t now_ms)
{
    s->n_ev = 0;
    struct ips_result r = ips_stream_packet(s->st, frame, len, now_ms);
    struct eng_pkt_result out;
    memset(&out, 0, sizeof out);
    out.flow_id = r.flow_id;
    switch (r.verdict) {
    case IPS_PASS:
        out.action = ENG_PASS;
        out.frame = r.frame;
        out.frame_len = r.frame_len;
        break;
    case IPS_HOLD:
        out.action = ENG_HOLD;
        break;
    case IPS_DROP:
    default:
        out.action = ENG_DROP;
        out.event = ips_event_name(r.reason);
        out.inspector_drop = r.reason == IPS_EV_INSPECTOR_DROP;
        out.flow_blocked = r.reason == IPS_EV_TCP_FLOW_BLOCKED;
        out.alert_event = !quiet_reason(r.reason);
        for (size_t i = s->n_ev; i-- > 0;) {
            if (s->ev[i].type == r.reason && s->ev[i].has_tuple) {
                out.has_tuple = true;
                out.src = s->ev[i].src;
                out.dst = s->ev[i].dst;
                out.sport = s->ev[i].sport;
                out.dport = s->ev[i].dport;
                out.proto = s->ev[i].proto;
                if (!out.flow_id)
                    out.flow_id = s->ev[i].flow_id;
                break;
            }
        }
        break;
    }
    return out;
}

void eng_stream_expire(struct eng_stream *s, uint64_t now_ms)
{
    s->n_ev = 0;
    ips_stream_expire(s->st, now_ms);
    s->n_ev = 0;
}

size_t eng_stream_flows(const struct eng_stream *s)
{
    return ips_stream_stats(s->st).flows;
}

void eng_stream_free(struct eng_stream *s)
{
    if (!s)
        return;
    ips_stream_free(s->st);
    free(s);
}
