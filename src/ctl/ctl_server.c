/* ctl_server.c - the control channel (unix socket): one JSON request line, one JSON answer line.
 * Commands: {"cmd":"status"}, {"cmd":"ping"}. */
#include "ctl/controller.h"
#include "common/log.h"
#include "common/util.h"
#include "ctl/policy.h"

#include <errno.h>
#include <jansson.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CTL_MAX_REQUEST 65536
#define CTL_CLIENT_TIMEOUT_MS 1000

static const char *state_name(enum sw_state s)
{
    switch (s) {
    case SW_HELLO: return "hello";
    case SW_FEATURES: return "features";
    case SW_SYNC: return "sync";
    case SW_BARRIER: return "installing";
    case SW_READY: return "ready";
    }
    return "unknown";
}

static const struct sw_conn *conn_for_switch(const struct controller *c, size_t sw)
{
    const struct sw_conn *best = NULL;
    for (const struct sw_conn *s = c->conns; s; s = s->next)
        if (s->sw == (long)sw && (!best || s->state > best->state))
            best = s;
    return best;
}

static json_t *port_json(const struct ofp_port *p, const struct ofp_port_stats *st)
{
    return json_pack("{s:I, s:s, s:b, s:{s:I, s:I, s:I, s:I, s:I, s:I}}", "no",
                     (json_int_t)p->port_no, "name", p->name, "up",
                     !(p->config & OFPPC_PORT_DOWN) && !(p->state & OFPPS_LINK_DOWN), "stats",
                     "rx_packets", (json_int_t)st->rx_packets, "tx_packets",
                     (json_int_t)st->tx_packets, "rx_bytes", (json_int_t)st->rx_bytes, "tx_bytes",
                     (json_int_t)st->tx_bytes, "rx_dropped", (json_int_t)st->rx_dropped,
                     "tx_dropped", (json_int_t)st->tx_dropped);
}

static json_t *conn_json(const struct controller *c, const struct sw_conn *s, uint64_t now)
{
    char dpid[24];
    snprintf(dpid, sizeof dpid, "0x%016llx", (unsigned long long)s->dpid);
    json_t *ports = json_array();
    for (size_t i = 0; i < s->n_ports; i++)
        json_array_append_new(ports, port_json(&s->ports[i], &s->port_stats[i]));
    size_t desired = 0;
    if (s->sw >= 0)
        policy_base_flows_count(c->topo, (size_t)s->sw, &desired);
    return json_pack("{s:s, s:s, s:b, s:b, s:s, s:s, s:I, s:o, s:{s:I, s:I, s:I, s:I}, "
                     "s:{s:I, s:I, s:I, s:I, s:I, s:I}}",
                     "name", s->sw >= 0 ? c->topo->switches[s->sw].name : "",
                     "dpid", dpid, "connected", 1, "ready", s->state == SW_READY,
                     "state", state_name(s->state), "peer", s->peer,
                     "connected_s", (json_int_t)((now - s->connected_ms) / 1000), "ports", ports,
                     "flows", "desired", (json_int_t)desired, "table0",
                     (json_int_t)s->table_active[0], "table1", (json_int_t)s->table_active[1],
                     "last_sync_changes", (json_int_t)(s->flows_added + s->flows_deleted),
                     "counters", "packet_in", (json_int_t)s->packet_ins, "arp_replies",
                     (json_int_t)s->arp_replies, "flow_mods", (json_int_t)s->flow_mods,
                     "errors_rx", (json_int_t)s->errors_rx, "errors_tx",
                     (json_int_t)s->errors_tx, "bytes_queued", (json_int_t)s->tx.len);
}

json_t *ctl_status_json(const struct controller *c)
{
    uint64_t now = hs_now_ms();
    json_t *switches = json_array();
    for (size_t i = 0; i < c->topo->n_switches; i++) {
        const struct hs_switch *sw = &c->topo->switches[i];
        const struct sw_conn *s = conn_for_switch(c, i);
        if (s) {
            json_array_append_new(switches, conn_json(c, s, now));
        } else {
            char dpid[24];
            snprintf(dpid, sizeof dpid, "0x%016llx", (unsigned long long)sw->dpid);
            json_array_append_new(switches, json_pack("{s:s, s:s, s:b, s:b, s:s}", "name",
                                                      sw->name, "dpid", dpid, "connected", 0,
                                                      "ready", 0, "state", "disconnected"));
        }
    }
    json_t *unknown = json_array();
    for (const struct sw_conn *s = c->conns; s; s = s->next)
        if (s->sw < 0)
            json_array_append_new(unknown, conn_json(c, s, now));
    json_t *hosts = json_array();
    for (size_t i = 0; i < c->topo->n_hosts; i++) {
        const struct hs_host *h = &c->topo->hosts[i];
        char mac[18], ip[16];
        hs_format_mac(h->mac, mac);
        hs_format_ipv4(h->ip, ip);
        const struct sw_conn *s = conn_for_switch(c, h->switch_index);
        json_t *port_up = json_null();
        for (size_t p = 0; s && p < s->n_ports; p++)
            if (s->ports[p].port_no == h->port) {
                json_decref(port_up);
                port_up = json_boolean(!(s->ports[p].config & OFPPC_PORT_DOWN) &&
                                       !(s->ports[p].state & OFPPS_LINK_DOWN));
            }
        json_array_append_new(hosts, json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:o}", "name",
                                               h->name, "role", hs_role_name(h->role), "switch",
                                               h->switch_name, "port", (json_int_t)h->port, "mac",
                                               mac, "ip", ip, "port_up", port_up));
    }
    return json_pack("{s:b, s:s, s:s, s:I, s:I, s:I, s:o, s:o, s:o}", "ok", 1, "version",
                     HS_VERSION, "lab", c->topo->lab, "pid", (json_int_t)getpid(), "uptime_s",
                     (json_int_t)((now - c->start_ms) / 1000), "connections_total",
                     (json_int_t)c->conns_total, "switches", switches, "unknown_switches",
                     unknown, "hosts", hosts);
}

static json_t *error_json(const char *msg)
{
    return json_pack("{s:b, s:s}", "ok", 0, "error", msg);
}

static json_t *dispatch(struct controller *c, const char *line)
{
    json_error_t jerr;
    json_t *req = json_loads(line, JSON_REJECT_DUPLICATES, &jerr);
    if (!req || !json_is_object(req)) {
        json_decref(req);
        return error_json("request is not a JSON object");
    }
    const char *cmd = json_string_value(json_object_get(req, "cmd"));
    json_t *ans;
    if (!cmd)
        ans = error_json("request has no \"cmd\" string");
    else if (!strcmp(cmd, "status"))
        ans = ctl_status_json(c);
    else if (!strcmp(cmd, "ping"))
        ans = json_pack("{s:b}", "ok", 1);
    else {
        char msg[128];
        snprintf(msg, sizeof msg, "unknown command '%.64s' (known: status, ping)", cmd);
        ans = error_json(msg);
    }
    json_decref(req);
    return ans;
}

/* Control clients are local and short: served synchronously with a short deadline. */
static void serve(struct controller *c, int fd)
{
    char *buf = xmalloc(CTL_MAX_REQUEST + 1);
    size_t len = 0;
    uint64_t deadline = hs_now_ms() + CTL_CLIENT_TIMEOUT_MS;
    json_t *ans = NULL;
    for (;;) {
        uint64_t now = hs_now_ms();
        if (now >= deadline) {
            ans = error_json("timeout reading the request");
            break;
        }
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, (int)(deadline - now)) <= 0)
            continue;
        ssize_t r = read(fd, buf + len, CTL_MAX_REQUEST - len);
        if (r < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (r <= 0)
            break;
        len += (size_t)r;
        char *nl = memchr(buf, '\n', len);
        if (nl) {
            *nl = '\0';
            ans = dispatch(c, buf);
            break;
        }
        if (len == CTL_MAX_REQUEST) {
            ans = error_json("request too long");
            break;
        }
    }
    if (ans) {
        char *text = json_dumps(ans, JSON_COMPACT);
        json_decref(ans);
        if (text) {
            size_t n = strlen(text), off = 0;
            text = xrealloc(text, n + 2);
            text[n++] = '\n';
            while (off < n) {
                struct pollfd p = {.fd = fd, .events = POLLOUT};
                if (hs_now_ms() >= deadline + CTL_CLIENT_TIMEOUT_MS ||
                    poll(&p, 1, CTL_CLIENT_TIMEOUT_MS) <= 0)
                    break;
                ssize_t w = send(fd, text + off, n - off, MSG_NOSIGNAL);
                if (w < 0 && (errno == EINTR || errno == EAGAIN))
                    continue;
                if (w <= 0)
                    break;
                off += (size_t)w;
            }
            free(text);
        }
    }
    free(buf);
}

void ctl_server_accept(struct evloop *l, int lfd, unsigned events, void *ctx)
{
    struct controller *c = ctx;
    (void)l;
    (void)events;
    for (;;) {
        int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                LOG_WARN("accept on the control socket: %s", strerror(errno));
            return;
        }
        serve(c, fd);
        close(fd);
    }
}
