/* switch_conn.c - one OpenFlow 1.3 session with a switch: handshake, keep-alive, flow-table
 * reconciliation after (re)connect, packet-in handling (ARP), errors. */
#include "ctl/controller.h"
#include "common/log.h"
#include "common/util.h"
#include "ctl/policy.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_BAD_MSGS 16             /* consecutive undecodable messages before we hang up */
#define MAX_TX_BACKLOG (16u << 20)  /* a switch that does not read: hang up */
#define TABLE_STATS_EVERY_MS 10000

static void on_io(struct evloop *l, int fd, unsigned events, void *ctx);

static const char *sw_name(const struct sw_conn *s)
{
    if (s->sw >= 0)
        return s->ctl->topo->switches[s->sw].name;
    return s->peer;
}

/* Sessions are closed only at the end of an event (on_io, tick): handlers mark them dead. */
static void mark_dead(struct sw_conn *s, const char *why)
{
    if (!s->dead)
        hs_strlcpy(s->dead_why, why, sizeof s->dead_why);
    s->dead = true;
}

static void flush_tx(struct sw_conn *s)
{
    if (s->dead && !s->tx.len)
        return;
    while (s->tx.len) {
        ssize_t w = send(s->fd, s->tx.data, s->tx.len, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                break;
            mark_dead(s, strerror(errno));
            return;
        }
        hs_buf_consume(&s->tx, (size_t)w);
    }
    evloop_mod_fd(s->ctl->loop, s->fd, EV_READ | (s->tx.len ? EV_WRITE : 0));
}

/* Queue one message; the xid is assigned when 0. Returns the xid used. */
static uint32_t send_msg(struct sw_conn *s, struct ofp_msg *m)
{
    if (m->xid == 0)
        m->xid = ++s->next_xid;
    if (ofp_encode(m, &s->tx) != OFP_OK) {
        LOG_ERR("%s: cannot encode %s message (bug)", sw_name(s), ofp_type_name(m->type));
        return m->xid;
    }
    if (m->type == OFPT_FLOW_MOD)
        s->flow_mods++;
    return m->xid;
}

uint32_t sw_conn_send(struct sw_conn *s, struct ofp_msg *m) { return send_msg(s, m); }

void sw_conn_flush(struct sw_conn *s) { flush_tx(s); }

struct sw_conn *sw_conn_ready(struct controller *c, size_t sw)
{
    for (struct sw_conn *s = c->conns; s; s = s->next)
        if (s->sw == (long)sw && s->state == SW_READY && !s->dead)
            return s;
    return NULL;
}

static void send_error(struct sw_conn *s, uint32_t xid, uint16_t type, uint16_t code,
                       const uint8_t *data, size_t len)
{
    struct ofp_msg m;
    ofp_msg_init(&m, OFPT_ERROR, xid);
    m.u.error.type = type;
    m.u.error.code = code;
    m.u.error.data = data;
    m.u.error.data_len = len < 64 ? len : 64;
    send_msg(s, &m);
    s->errors_tx++;
}

void sw_conn_accept(struct evloop *l, int lfd, unsigned events, void *ctx)
{
    struct controller *c = ctx;
    (void)events;
    for (;;) {
        struct sockaddr_storage ss;
        socklen_t sl = sizeof ss;
        int fd = accept4(lfd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                LOG_WARN("accept on the OpenFlow socket: %s", strerror(errno));
            return;
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        struct sw_conn *s = xcalloc(1, sizeof *s);
        s->ctl = c;
        s->fd = fd;
        s->sw = -1;
        s->state = SW_HELLO;
        s->connected_ms = s->last_rx_ms = s->last_echo_ms = hs_now_ms();
        if (ss.ss_family == AF_INET) {
            struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
            char a[INET_ADDRSTRLEN];
            inet_ntop(AF_INET, &sin->sin_addr, a, sizeof a);
            snprintf(s->peer, sizeof s->peer, "%s:%u", a, ntohs(sin->sin_port));
        } else {
            snprintf(s->peer, sizeof s->peer, "peer-fd%d", fd);
        }
        if (evloop_add_fd(l, fd, EV_READ, on_io, s) != 0) {
            LOG_ERR("cannot watch connection from %s: %s", s->peer, strerror(errno));
            close(fd);
            free(s);
            continue;
        }
        s->next = c->conns;
        c->conns = s;
        c->conns_total++;
        LOG_INFO("switch connection from %s", s->peer);
        struct ofp_msg m;
        ofp_msg_init(&m, OFPT_HELLO, 0);
        m.u.hello.version_bitmap = 1u << OFP13_VERSION;
        send_msg(s, &m);
        flush_tx(s);
        if (s->dead)
            sw_conn_close(s, s->dead_why);
    }
}

void sw_conn_close(struct sw_conn *s, const char *why)
{
    struct controller *c = s->ctl;
    LOG_INFO("switch %s (dpid 0x%016llx): connection closed: %s", sw_name(s),
             (unsigned long long)s->dpid, why);
    for (struct sw_conn **p = &c->conns; *p; p = &(*p)->next)
        if (*p == s) {
            *p = s->next;
            break;
        }
    reloc_on_conn_close(s);
    evloop_del_fd(c->loop, s->fd);
    close(s->fd);
    hs_buf_free(&s->rx);
    hs_buf_free(&s->tx);
    hs_flowset_free(&s->actual);
    free(s);
}

static void request_multipart(struct sw_conn *s, uint16_t type, uint32_t *xid_out)
{
    struct ofp_msg m;
    ofp_msg_init(&m, OFPT_MULTIPART_REQUEST, 0);
    m.u.mp_request.type = type;
    if (type == OFPMP_FLOW) {
        struct ofp_flow_stats_request *fr = &m.u.mp_request.u.flow;
        fr->table_id = OFPTT_ALL;
        fr->out_port = OFPP_ANY;
        fr->out_group = OFPG_ANY;
        fr->cookie = 0;
        fr->cookie_mask = 0; /* all flows: ours are recognised by cookie, others reported */
    } else if (type == OFPMP_PORT_STATS) {
        m.u.mp_request.u.port_no = OFPP_ANY;
    }
    uint32_t xid = send_msg(s, &m);
    if (xid_out)
        *xid_out = xid;
}

void sw_desired_flows(const struct controller *c, size_t sw, struct hs_flowset *out)
{
    policy_base_flows(c->topo, sw, out);
    if (c->steering_off) {
        size_t k = 0;
        for (size_t i = 0; i < out->n; i++)
            if (HS_COOKIE_KIND(out->v[i].cookie) != HS_CK_STEER &&
                HS_COOKIE_KIND(out->v[i].cookie) != HS_CK_UNINSPECTED)
                out->v[k++] = out->v[i];
        out->n = k;
    }
    for (size_t i = 0; i < c->blocks.n; i++)
        policy_block_flows(c->topo, sw, c->blocks.v[i].ip, out);
}

size_t sw_conn_block(struct controller *c, uint32_t attacker)
{
    size_t sent = 0;
    for (struct sw_conn *s = c->conns; s; s = s->next) {
        if (s->sw < 0 || s->state != SW_READY || s->dead)
            continue; /* SYNC/BARRIER sessions: reconcile() includes the block */
        struct hs_flowset fs = {0};
        policy_block_flows(c->topo, (size_t)s->sw, attacker, &fs);
        struct ofp_msg m;
        for (size_t i = 0; i < fs.n; i++) {
            hs_flow_to_mod(&fs.v[i], OFPFC_ADD, 0, &m);
            send_msg(s, &m);
            sent++;
        }
        ofp_msg_init(&m, OFPT_BARRIER_REQUEST, 0);
        send_msg(s, &m);
        hs_flowset_free(&fs);
        flush_tx(s);
    }
    return sent;
}

void sw_conn_unblock(struct controller *c, uint32_t attacker)
{
    for (struct sw_conn *s = c->conns; s; s = s->next) {
        if (s->sw < 0 || s->state == SW_HELLO || s->state == SW_FEATURES || s->dead)
            continue;
        struct ofp_msg m;
        hs_flow_delete_by_cookie(HS_COOKIE_TAG | (uint64_t)HS_CK_BLOCK << 32 | attacker, ~0ull,
                                 OFPTT_ALL, &m);
        send_msg(s, &m);
        flush_tx(s);
    }
}

void sw_conn_steering(struct controller *c, bool on)
{
    /* the flows sw_desired_flows() leaves out while steering is off */
    static const unsigned kinds[2] = {HS_CK_UNINSPECTED, HS_CK_STEER};
    c->steering_off = !on;
    for (struct sw_conn *s = c->conns; s; s = s->next) {
        if (s->sw < 0 || s->state != SW_READY || s->dead)
            continue; /* a syncing switch gets the new set with its reconciliation */
        struct ofp_msg m;
        if (on) {
            struct hs_flowset fs = {0};
            policy_base_flows(c->topo, (size_t)s->sw, &fs);
            /* the steering flows first, then the fail-closed drops below them */
            for (unsigned k = 0; k < 2; k++)
                for (size_t i = 0; i < fs.n; i++)
                    if (HS_COOKIE_KIND(fs.v[i].cookie) == kinds[1 - k]) {
                        hs_flow_to_mod(&fs.v[i], OFPFC_ADD, 0, &m);
                        send_msg(s, &m);
                    }
            hs_flowset_free(&fs);
        } else {
            /* bypass: the fail-closed drops go first (else IPv4 would hit them meanwhile) */
            for (unsigned k = 0; k < 2; k++) {
                hs_flow_delete_by_cookie(HS_COOKIE_TAG | (uint64_t)kinds[k] << 32,
                                         0xffffffff00000000ull, HS_TABLE_FWD, &m);
                send_msg(s, &m);
            }
        }
        ofp_msg_init(&m, OFPT_BARRIER_REQUEST, 0);
        send_msg(s, &m);
        flush_tx(s);
    }
}

/* A block flow timed out on a switch: when the last attacker->production flow of that block
 * is gone, the block ends everywhere (the reverse flows carry no traffic and would idle out
 * first, so they do not count). */
static void on_flow_removed(struct sw_conn *s, const struct ofp_flow_removed *fr)
{
    struct controller *c = s->ctl;
    if ((fr->cookie & HS_COOKIE_MASK) != HS_COOKIE_TAG ||
        HS_COOKIE_KIND(fr->cookie) != HS_CK_BLOCK ||
        (fr->reason != OFPRR_IDLE_TIMEOUT && fr->reason != OFPRR_HARD_TIMEOUT))
        return;
    uint32_t ip = HS_COOKIE_DETAIL(fr->cookie);
    struct hs_block *b = hs_blocklist_find(&c->blocks, ip);
    if (!b || !OFP_MATCH_HAS(&fr->match, OFPXMT_IPV4_SRC) || fr->match.ipv4_src != ip)
        return;
    if (b->ingress_live > 0)
        b->ingress_live--;
    if (b->ingress_live == 0) {
        char a[16];
        hs_format_ipv4(ip, a);
        LOG_INFO("block of attacker %s timed out (%s timeout); lifting it", a,
                 fr->reason == OFPRR_IDLE_TIMEOUT ? "idle" : "hard");
        hs_blocklist_remove(&c->blocks, ip);
        c->blocks_expired++;
        sw_conn_unblock(c, ip);
    }
}

/* Block flows found on a switch (installed by an earlier run of the controller, which may have
 * crashed or been restarted) stay: their attackers join the block list instead of being
 * unblocked as stale. Relocation rules (cookie 0x4d47...) are foreign and left alone. */
static void adopt_blocks(struct sw_conn *s)
{
    struct controller *c = s->ctl;
    for (size_t i = 0; i < s->actual.n; i++) {
        uint32_t ip = policy_block_ip(&s->actual.v[i]);
        if (!ip || !policy_block_allowed(c->topo, ip))
            continue;
        bool is_new;
        struct hs_block *b = hs_blocklist_add(&c->blocks, ip, &is_new);
        if (!b || !is_new)
            continue;
        struct hs_flowset fs = {0};
        policy_block_flows(c->topo, 0, ip, &fs);
        b->ingress_live = (unsigned)(fs.n / 2 * c->topo->n_switches);
        hs_flowset_free(&fs);
        b->since_ms = hs_now_ms();
        char a[16];
        hs_format_ipv4(ip, a);
        LOG_INFO("switch %s: block of %s found in the flow table; kept", sw_name(s), a);
    }
}

static void reconcile(struct sw_conn *s)
{
    struct hs_flowset want = {0}, add = {0}, del = {0};
    adopt_blocks(s);
    if (s->sw >= 0)
        sw_desired_flows(s->ctl, (size_t)s->sw, &want);
    hs_flowset_plan(&want, &s->actual, &add, &del);
    struct ofp_msg m;
    for (size_t i = 0; i < del.n; i++) {
        hs_flow_to_mod(&del.v[i], OFPFC_DELETE_STRICT, 0, &m);
        send_msg(s, &m);
    }
    for (size_t i = 0; i < add.n; i++) {
        hs_flow_to_mod(&add.v[i], OFPFC_ADD, 0, &m);
        send_msg(s, &m);
    }
    size_t foreign = 0;
    for (size_t i = 0; i < s->actual.n; i++)
        if ((s->actual.v[i].cookie & HS_COOKIE_MASK) != HS_COOKIE_TAG)
            foreign++;
    s->flows_added = add.n;
    s->flows_deleted = del.n;
    LOG_INFO("switch %s: flow table read (%zu flows, %zu not ours); installing %zu, removing %zu",
             sw_name(s), s->actual.n, foreign, add.n, del.n);
    hs_flowset_free(&want);
    hs_flowset_free(&add);
    hs_flowset_free(&del);
    ofp_msg_init(&m, OFPT_BARRIER_REQUEST, 0);
    s->barrier_xid = send_msg(s, &m);
    s->state = SW_BARRIER;
}

static void on_features(struct sw_conn *s, const struct ofp_features_reply *f)
{
    struct controller *c = s->ctl;
    if (f->auxiliary_id != 0) {
        LOG_WARN("%s: auxiliary connections are not used; closing", s->peer);
        mark_dead(s, "auxiliary connection");
        return;
    }
    s->dpid = f->datapath_id;
    const struct hs_switch *sw = hs_topology_switch_by_dpid(c->topo, s->dpid);
    s->sw = sw ? (long)(sw - c->topo->switches) : -1;
    /* A switch that reconnects replaces its old session. */
    for (struct sw_conn *o = c->conns; o; o = o->next)
        if (o != s && o->state != SW_HELLO && o->state != SW_FEATURES && o->dpid == s->dpid) {
            sw_conn_close(o, "replaced by a new connection from the same datapath");
            break;
        }
    if (!sw)
        LOG_WARN("switch dpid 0x%016llx from %s is not in the topology: no flows for it",
                 (unsigned long long)s->dpid, s->peer);
    else
        LOG_INFO("switch %s (dpid 0x%016llx) connected from %s, %u tables", sw->name,
                 (unsigned long long)s->dpid, s->peer, f->n_tables);
    struct ofp_msg m;
    ofp_msg_init(&m, OFPT_SET_CONFIG, 0);
    m.u.config.flags = 0;
    m.u.config.miss_send_len = OFPCML_NO_BUFFER;
    send_msg(s, &m);
    request_multipart(s, OFPMP_PORT_DESC, NULL);
    hs_flowset_clear(&s->actual);
    request_multipart(s, OFPMP_FLOW, &s->sync_xid);
    s->state = SW_SYNC;
}

static void port_update(struct sw_conn *s, const struct ofp_port *p, bool deleted)
{
    for (size_t i = 0; i < s->n_ports; i++)
        if (s->ports[i].port_no == p->port_no) {
            if (deleted) {
                s->n_ports--;
                s->ports[i] = s->ports[s->n_ports];
                s->port_stats[i] = s->port_stats[s->n_ports];
            } else {
                s->ports[i] = *p;
            }
            return;
        }
    if (deleted)
        return;
    if (s->n_ports == HS_MAX_PORTS) {
        LOG_WARN("switch %s: more than %d ports; port %u not tracked", sw_name(s), HS_MAX_PORTS,
                 p->port_no);
        return;
    }
    memset(&s->port_stats[s->n_ports], 0, sizeof s->port_stats[0]);
    s->port_stats[s->n_ports].port_no = p->port_no;
    s->ports[s->n_ports++] = *p;
}

static void port_stats_update(struct sw_conn *s, const struct ofp_port_stats *st)
{
    for (size_t i = 0; i < s->n_ports; i++)
        if (s->ports[i].port_no == st->port_no)
            s->port_stats[i] = *st;
}

static void on_multipart_reply(struct sw_conn *s, const struct ofp_msg *msg)
{
    const struct ofp_multipart_reply *r = &msg->u.mp_reply;
    struct ofp_mp_entry e;
    size_t cur = 0;
    switch (r->type) {
    case OFPMP_PORT_DESC:
        while (ofp_mp_next(r, &cur, &e) == 1)
            port_update(s, &e.u.port_desc, false);
        break;
    case OFPMP_FLOW:
        if (msg->xid != s->sync_xid || s->state != SW_SYNC)
            break;
        while (ofp_mp_next(r, &cur, &e) == 1) {
            struct hs_flow f;
            hs_flow_from_stats(&e.u.flow, &f);
            hs_flowset_add(&s->actual, &f);
        }
        if (!(r->flags & OFPMPF_REPLY_MORE))
            reconcile(s);
        break;
    case OFPMP_PORT_STATS:
        while (ofp_mp_next(r, &cur, &e) == 1)
            port_stats_update(s, &e.u.port);
        break;
    case OFPMP_TABLE:
        while (ofp_mp_next(r, &cur, &e) == 1)
            if (e.u.table.table_id < 2)
                s->table_active[e.u.table.table_id] = e.u.table.active_count;
        break;
    default:
        break;
    }
}

static void on_packet_in(struct sw_conn *s, const struct ofp_packet_in *pi)
{
    s->packet_ins++;
    if (reloc_on_packet_in(s, pi))
        return;
    if (s->sw < 0 || !OFP_MATCH_HAS(&pi->match, OFPXMT_IN_PORT))
        return;
    uint32_t in_port = pi->match.in_port;
    uint8_t reply[42];
    int r = policy_arp_reply(s->ctl->topo, (size_t)s->sw, in_port, pi->data, pi->data_len, reply);
    if (r != 1)
        return;
    struct ofp_msg m;
    ofp_msg_init(&m, OFPT_PACKET_OUT, 0);
    m.u.packet_out.buffer_id = OFP_NO_BUFFER;
    m.u.packet_out.in_port = OFPP_CONTROLLER;
    m.u.packet_out.actions.goto_table = 0xff;
    ofp_actions_output(&m.u.packet_out.actions, in_port);
    m.u.packet_out.data = reply;
    m.u.packet_out.data_len = sizeof reply;
    send_msg(s, &m);
    s->arp_replies++;
}

static void handle(struct sw_conn *s, const struct ofp_msg *msg, const uint8_t *raw, size_t len)
{
    if (s->state == SW_HELLO) {
        if (msg->type != OFPT_HELLO) {
            send_error(s, msg->xid, OFPET_HELLO_FAILED, OFPHFC_INCOMPATIBLE, raw, len);
            mark_dead(s, "first message was not HELLO");
            return;
        }
        bool ok = msg->u.hello.version_bitmap ? (msg->u.hello.version_bitmap >> OFP13_VERSION) & 1
                                              : msg->version >= OFP13_VERSION;
        if (!ok) {
            send_error(s, msg->xid, OFPET_HELLO_FAILED, OFPHFC_INCOMPATIBLE, raw, len);
            mark_dead(s, "switch does not speak OpenFlow 1.3");
            return;
        }
        struct ofp_msg m;
        ofp_msg_init(&m, OFPT_FEATURES_REQUEST, 0);
        send_msg(s, &m);
        s->state = SW_FEATURES;
        return;
    }
    switch (msg->type) {
    case OFPT_HELLO:
        break; /* a repeated HELLO is harmless */
    case OFPT_ECHO_REQUEST: {
        struct ofp_msg m;
        ofp_msg_init(&m, OFPT_ECHO_REPLY, msg->xid);
        m.u.echo = msg->u.echo;
        send_msg(s, &m);
        break;
    }
    case OFPT_ECHO_REPLY:
        break; /* liveness is tracked by last_rx_ms */
    case OFPT_FEATURES_REPLY:
        if (s->state == SW_FEATURES)
            on_features(s, &msg->u.features);
        break;
    case OFPT_MULTIPART_REPLY:
        on_multipart_reply(s, msg);
        break;
    case OFPT_BARRIER_REPLY:
        reloc_on_barrier(s, msg->xid);
        if (s->state == SW_BARRIER && msg->xid == s->barrier_xid) {
            s->state = SW_READY;
            LOG_INFO("switch %s: converged (+%zu -%zu flows)", sw_name(s), s->flows_added,
                     s->flows_deleted);
            request_multipart(s, OFPMP_TABLE, &s->table_xid);
            request_multipart(s, OFPMP_PORT_STATS, NULL);
        }
        break;
    case OFPT_PORT_STATUS:
        port_update(s, &msg->u.port_status.desc, msg->u.port_status.reason == OFPPR_DELETE);
        LOG_INFO("switch %s: port %u (%s) %s", sw_name(s), msg->u.port_status.desc.port_no,
                 msg->u.port_status.desc.name,
                 msg->u.port_status.reason == OFPPR_ADD      ? "added"
                 : msg->u.port_status.reason == OFPPR_DELETE ? "deleted"
                                                             : "modified");
        break;
    case OFPT_PACKET_IN:
        on_packet_in(s, &msg->u.packet_in);
        break;
    case OFPT_FLOW_REMOVED:
        on_flow_removed(s, &msg->u.flow_removed);
        LOG_INFO("switch %s: flow removed (cookie 0x%llx, reason %u)", sw_name(s),
                 (unsigned long long)msg->u.flow_removed.cookie, msg->u.flow_removed.reason);
        break;
    case OFPT_ERROR: {
        char text[256];
        s->errors_rx++;
        LOG_WARN("switch %s reports error for xid %u: %s", sw_name(s), msg->xid,
                 ofp_error_format(msg->u.error.type, msg->u.error.code, text, sizeof text));
        break;
    }
    case OFPT_GET_CONFIG_REPLY:
        break;
    default:
        /* a message a switch has no business sending us */
        send_error(s, msg->xid, OFPET_BAD_REQUEST, OFPBRC_BAD_TYPE, raw, len);
        break;
    }
}

static void on_readable(struct sw_conn *s)
{
    for (;;) {
        uint8_t *p = hs_buf_reserve(&s->rx, 16384);
        ssize_t r = read(s->fd, p, 16384);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                break;
            mark_dead(s, strerror(errno));
            return;
        }
        if (r == 0) {
            mark_dead(s, "switch closed the connection");
            return;
        }
        s->rx.len += (size_t)r;
        s->last_rx_ms = hs_now_ms();
        size_t off = 0;
        while (off < s->rx.len) {
            int n = ofp_frame_len(s->rx.data + off, s->rx.len - off);
            if (n < 0) {
                mark_dead(s, "invalid OpenFlow header (length below 8): stream broken");
                return;
            }
            if (n == 0) {
                /* Judge a header before waiting for a body it announces: a stream whose first
                 * message is not HELLO, or that later speaks another version, is not OpenFlow
                 * 1.3 and will not become so. */
                const uint8_t *h = s->rx.data + off;
                if (s->rx.len - off >= OFP_HEADER_LEN &&
                    ((s->state == SW_HELLO && h[1] != OFPT_HELLO) ||
                     (s->state != SW_HELLO && h[0] != OFP13_VERSION))) {
                    send_error(s, hs_be32(h + 4),
                               s->state == SW_HELLO ? OFPET_HELLO_FAILED : OFPET_BAD_REQUEST,
                               s->state == SW_HELLO ? OFPHFC_INCOMPATIBLE : OFPBRC_BAD_VERSION,
                               h, OFP_HEADER_LEN);
                    mark_dead(s, "not an OpenFlow 1.3 stream");
                    return;
                }
                break;
            }
            const uint8_t *raw = s->rx.data + off;
            struct ofp_msg msg;
            struct ofp_decode_err err;
            if (ofp_decode(raw, (size_t)n, &msg, &err) != OFP_OK) {
                LOG_WARN("%s: undecodable message (type %u, %d bytes): %s", sw_name(s), raw[1], n,
                         err.text);
                bool was_error = raw[1] == OFPT_ERROR;
                if (s->state == SW_HELLO) {
                    send_error(s, hs_be32(raw + 4), OFPET_HELLO_FAILED, OFPHFC_INCOMPATIBLE, raw,
                               (size_t)n);
                    mark_dead(s, "bad HELLO");
                    return;
                }
                if (!was_error)
                    send_error(s, hs_be32(raw + 4), err.type, err.code, raw, (size_t)n);
                if (++s->bad_msgs > MAX_BAD_MSGS) {
                    mark_dead(s, "too many undecodable messages");
                    return;
                }
            } else {
                s->bad_msgs = 0;
                handle(s, &msg, raw, (size_t)n);
                if (s->dead)
                    return;
            }
            off += (size_t)n;
        }
        hs_buf_consume(&s->rx, off);
    }
    if (s->tx.len > MAX_TX_BACKLOG)
        mark_dead(s, "switch does not read its messages");
}

static void on_io(struct evloop *l, int fd, unsigned events, void *ctx)
{
    struct sw_conn *s = ctx;
    (void)l;
    (void)fd;
    if (events & (EV_READ | EV_ERROR))
        on_readable(s);
    flush_tx(s); /* also sends a last ERROR to a switch we are hanging up on */
    if (s->dead)
        sw_conn_close(s, s->dead_why);
}

void sw_conn_tick(struct controller *c)
{
    uint64_t now = hs_now_ms();
    uint64_t period = (uint64_t)c->topo->controller.echo_interval_s * 1000u;
    struct sw_conn *next;
    for (struct sw_conn *s = c->conns; s; s = next) {
        next = s->next;
        if (now - s->last_rx_ms > 3 * period)
            mark_dead(s, "no message for three echo intervals");
        if (s->state == SW_HELLO && now - s->connected_ms > period)
            mark_dead(s, "no HELLO");
        if (now - s->last_echo_ms >= period) {
            struct ofp_msg m;
            ofp_msg_init(&m, OFPT_ECHO_REQUEST, 0);
            send_msg(s, &m);
            s->last_echo_ms = now;
        }
        if (s->state == SW_READY && now - s->last_table_ms >= TABLE_STATS_EVERY_MS) {
            request_multipart(s, OFPMP_TABLE, &s->table_xid);
            request_multipart(s, OFPMP_PORT_STATS, NULL);
            s->last_table_ms = now;
        }
        flush_tx(s);
        if (s->dead)
            sw_conn_close(s, s->dead_why);
    }
}
