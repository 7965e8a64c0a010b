/* ctl_server.c - the control channel (unix socket): one JSON request line, one JSON answer line.
 * Commands:
 *   {"cmd":"status"}, {"cmd":"ping"}
 *   {"cmd":"attack","attacker":"IP","port":N,"server":"IP","server_port":N,"sid":N,"msg":"..."}
 *       from honeyshift-ipsd on an ingress detection: block the attacker (drop flows for its
 *       IPv4 towards every production address, both directions, on every switch; timeouts
 *       from ips.block_idle_timeout / block_hard_timeout). Repeated reports of a blocked
 *       attacker are counted, nothing is re-installed. Answer {"ok":true,"action":"blocked",
 *       "new":BOOL,"flows":N}.
 *   {"cmd":"blocks"}                      the blocked attackers
 *   {"cmd":"ips","steer":BOOL}            steer traffic through the IPS or bypass it (run time;
 *                                         benchmarks compare both in one run); an error in
 *                                         ips.mode bump (nothing is steered there)
 *   {"cmd":"unblock","attacker":"IP"}     lift a block (tests, benchmarks, operators)
 * Relocation (reloc.c, docs/relocation.md):
 *   attack reports also carry "frames" (the held frames, hex), "frame_us" and "verdict_us"
 *       (monotonic clock of the IPS host); with ips.on_attack relocate and a honeypot twin the
 *       answer says "action":"relocating" and a worker moves the attacker's session.
 *   {"cmd":"shift","client":IP,"port":N[,"from":H,"to":H]}   operator relocation; answered when
 *       the attempt ended: {"ok":BOOL,"id":..,"event":{..the EVE event..},"result":{..}}
 *   {"cmd":"unshift","client":IP}         relocation rules removed, block lifted, lock reset
 *   {"cmd":"reloc_block"|"reloc_open"|"reloc_release","client":IP,"from":H,"to":H
 *    [,"kinds":"open"|"all"]}             the relocation's rules (worker); answered after the
 *       switch's BARRIER_REPLY; reloc_open also re-injects the held frames into the honeypot
 *   {"cmd":"reloc_guard","client":IP,"from":H,"to":H,"kinds":"on"|"off"}   while the client's
 *       restore closes copies of other clients' sockets: drop honeypot -> other relocated or
 *       relocating attackers (their resets must not reach them)
 *   {"cmd":"relocs"}                      the lock table and counters
 *   {"cmd":"flows","switch":NAME,"add":[...],"delete":[...]}   other subsystems' flows (their
 *       own cookies; src/ctl/flowcmd.h), answered after the BARRIER_REPLY */
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

#define CTL_MAX_REQUEST (256 * 1024)  /* attack reports carry the held frames */
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
    if (s->sw >= 0) {
        struct hs_flowset fs = {0};
        sw_desired_flows(c, (size_t)s->sw, &fs);
        desired = fs.n;
        hs_flowset_free(&fs);
    }
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
    const struct hs_ips_cfg *ips = &c->topo->ips;
    json_t *ipsj = json_pack("{s:b, s:b, s:s, s:s, s:I, s:I, s:I, s:I}", "configured", ips->present,
                             "enabled", ips->present && ips->enabled && !c->steering_off, "mode",
                             hs_ips_mode_name(ips->mode), "switch", ips->switch_name,
                             "port", (json_int_t)ips->port, "attacks", (json_int_t)c->attacks_total,
                             "blocked", (json_int_t)c->blocks.n, "blocks_expired",
                             (json_int_t)c->blocks_expired);
    json_t *rel = json_pack("{s:s, s:I, s:I, s:I, s:I, s:I}", "on_attack",
                            ips->on_attack == HS_ON_ATTACK_BLOCK ? "block" : "relocate",
                            "running", (json_int_t)hs_reloc_lock_running(&c->locks), "started",
                            (json_int_t)c->relocs_started, "relocated",
                            (json_int_t)c->relocs_ok, "failed", (json_int_t)c->relocs_failed,
                            "locked", (json_int_t)c->locks.n);
    return json_pack("{s:b, s:s, s:s, s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:o}", "ok", 1,
                     "version", HS_VERSION, "lab", c->topo->lab, "pid", (json_int_t)getpid(),
                     "uptime_s", (json_int_t)((now - c->start_ms) / 1000), "connections_total",
                     (json_int_t)c->conns_total, "switches", switches, "unknown_switches",
                     unknown, "hosts", hosts, "ips", ipsj, "relocation", rel);
}

static json_t *error_json(const char *msg)
{
    return json_pack("{s:b, s:s}", "ok", 0, "error", msg);
}

json_t *ctl_error_json(const char *msg) { return error_json(msg); }

/* An IPv4 member of req (dotted string); false when absent or malformed. */
static bool get_ip(const json_t *req, const char *key, uint32_t *ip)
{
    const char *v = json_string_value(json_object_get(req, key));
    return v && hs_parse_ipv4(v, ip);
}

/* An optional integer member within [0, max]; false when present but not such a number. */
static bool get_uint(const json_t *req, const char *key, json_int_t max, json_int_t *out)
{
    const json_t *v = json_object_get(req, key);
    *out = 0;
    if (!v)
        return true;
    if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > max)
        return false;
    *out = json_integer_value(v);
    return true;
}

static json_t *block_json(const struct hs_block *b, uint64_t now)
{
    char a[16], sv[16];
    hs_format_ipv4(b->ip, a);
    hs_format_ipv4(b->server_ip, sv);
    return json_pack("{s:s, s:I, s:s, s:I, s:I, s:I, s:I}", "attacker", a, "attacker_port",
                     (json_int_t)b->attacker_port, "server", sv, "server_port",
                     (json_int_t)b->server_port, "sid", (json_int_t)b->sid, "attacks",
                     (json_int_t)b->attacks, "age_s", (json_int_t)((now - b->since_ms) / 1000));
}

static json_t *cmd_attack(struct controller *c, const json_t *req)
{
    uint32_t attacker, server = 0;
    json_int_t port, sport, sid;
    char a[16];
    if (!get_ip(req, "attacker", &attacker))
        return error_json("attack: \"attacker\" must be an IPv4 address string");
    if (json_object_get(req, "server") && !get_ip(req, "server", &server))
        return error_json("attack: \"server\" must be an IPv4 address string");
    if (!get_uint(req, "port", 65535, &port) || !get_uint(req, "server_port", 65535, &sport) ||
        !get_uint(req, "sid", UINT32_MAX, &sid))
        return error_json("attack: port, server_port and sid must be non-negative integers in "
                          "range");
    hs_format_ipv4(attacker, a);
    if (!policy_block_allowed(c->topo, attacker)) {
        LOG_WARN("attack report names %s as the attacker: not a blockable address; ignored", a);
        return error_json("attack: the attacker address is one of our own hosts or not unicast; "
                          "not blocked");
    }
    c->attacks_total++;
    bool is_new;
    struct hs_block *b = hs_blocklist_add(&c->blocks, attacker, &is_new);
    if (!b) {
        LOG_ERR("attack by %s: block list full (%d entries); NOT blocked", a, HS_MAX_BLOCKS);
        return error_json("attack: block list full; not blocked");
    }
    b->attacks++;
    size_t sent = 0;
    if (is_new) {
        b->server_ip = server;
        b->server_port = (uint16_t)sport;
        b->attacker_port = (uint16_t)port;
        b->sid = (uint32_t)sid;
        b->since_ms = hs_now_ms();
        struct hs_flowset fs = {0};
        size_t per_switch = 0;
        policy_block_flows(c->topo, 0, attacker, &fs);
        per_switch = fs.n / 2; /* half of them attacker -> production */
        hs_flowset_free(&fs);
        b->ingress_live = (unsigned)(per_switch * c->topo->n_switches);
        sent = sw_conn_block(c, attacker);
        const char *msg = json_string_value(json_object_get(req, "msg"));
        char sv[16];
        hs_format_ipv4(server, sv);
        LOG_WARN("ATTACK by %s:%u on %s:%u (sid %u%s%.120s): attacker blocked (%zu flows sent)", a,
                 (unsigned)port, sv, (unsigned)sport, (unsigned)sid, msg ? ", " : "",
                 msg ? msg : "", sent);
    }
    json_t *ans = json_pack("{s:b, s:s, s:b, s:I, s:I}", "ok", 1, "action", "blocked", "new",
                            is_new, "flows", (json_int_t)sent, "attacks", (json_int_t)b->attacks);
    reloc_on_attack(c, req, attacker, server, (uint16_t)port, (uint16_t)sport, (uint32_t)sid,
                    ans);
    return ans;
}

static json_t *cmd_unblock(struct controller *c, const json_t *req)
{
    uint32_t attacker;
    if (!get_ip(req, "attacker", &attacker))
        return error_json("unblock: \"attacker\" must be an IPv4 address string");
    bool had = hs_blocklist_remove(&c->blocks, attacker);
    sw_conn_unblock(c, attacker); /* also clears leftovers of an earlier controller run */
    char a[16];
    hs_format_ipv4(attacker, a);
    LOG_INFO("unblock %s (%s)", a, had ? "was blocked" : "was not blocked");
    return json_pack("{s:b, s:b}", "ok", 1, "was_blocked", had);
}

static json_t *cmd_blocks(const struct controller *c)
{
    uint64_t now = hs_now_ms();
    json_t *arr = json_array();
    for (size_t i = 0; i < c->blocks.n; i++)
        json_array_append_new(arr, block_json(&c->blocks.v[i], now));
    return json_pack("{s:b, s:o}", "ok", 1, "blocks", arr);
}

static json_t *cmd_ips(struct controller *c, const json_t *req)
{
    const json_t *v = json_object_get(req, "steer");
    if (!c->topo->ips.present || !c->topo->ips.enabled)
        return error_json("ips: the topology has no enabled ips section");
    if (c->topo->ips.mode == HS_IPS_BUMP)
        return error_json("ips: mode bump: the IPS is wired in front of the production hosts, "
                          "there is no steering to switch");
    if (v && !json_is_boolean(v))
        return error_json("ips: \"steer\" must be true or false");
    if (v) {
        sw_conn_steering(c, json_is_true(v));
        LOG_INFO("IPS steering %s by control request", json_is_true(v) ? "on" : "off (bypass)");
    }
    return json_pack("{s:b, s:b}", "ok", 1, "steer", !c->steering_off);
}

/* One request; NULL when the answer is deferred (fd taken by the handler). */
static json_t *dispatch(struct controller *c, const char *line, int fd)
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
    else if (!strcmp(cmd, "attack"))
        ans = cmd_attack(c, req);
    else if (!strcmp(cmd, "unblock"))
        ans = cmd_unblock(c, req);
    else if (!strcmp(cmd, "blocks"))
        ans = cmd_blocks(c);
    else if (!strcmp(cmd, "ips"))
        ans = cmd_ips(c, req);
    else if (!strcmp(cmd, "reloc_block") || !strcmp(cmd, "reloc_open") ||
             !strcmp(cmd, "reloc_release") || !strcmp(cmd, "reloc_guard") ||
             !strcmp(cmd, "shift") || !strcmp(cmd, "flows") ||
             !strcmp(cmd, "unshift") || !strcmp(cmd, "relocs"))
        ans = reloc_command(c, cmd, req, fd);
    else {
        char msg[320];
        snprintf(msg, sizeof msg, "unknown command '%.64s' (known: status, ping, attack, blocks, "
                 "unblock, ips, shift, unshift, relocs, flows, reloc_block, reloc_open, "
                 "reloc_release, reloc_guard)", cmd);
        ans = error_json(msg);
    }
    json_decref(req);
    return ans;
}

void ctl_reply(int fd, json_t *ans)
{
    uint64_t deadline = hs_now_ms() + CTL_CLIENT_TIMEOUT_MS;
    char *text = ans ? json_dumps(ans, JSON_COMPACT) : NULL;
    json_decref(ans);
    if (text) {
        size_t n = strlen(text), off = 0;
        text = xrealloc(text, n + 2);
        text[n++] = '\n';
        while (off < n) {
            struct pollfd p = {.fd = fd, .events = POLLOUT};
            if (hs_now_ms() >= deadline || poll(&p, 1, CTL_CLIENT_TIMEOUT_MS) <= 0)
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
    close(fd);
}

/* Control clients are local and short: the request is read synchronously with a short
 * deadline; the answer is written now, or later by a handler that took fd. */
static void serve(struct controller *c, int fd)
{
    char *buf = xmalloc(CTL_MAX_REQUEST + 1);
    size_t len = 0;
    uint64_t deadline = hs_now_ms() + CTL_CLIENT_TIMEOUT_MS;
    json_t *ans = NULL;
    bool deferred = false;
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
            ans = dispatch(c, buf, fd);
            deferred = ans == NULL;
            break;
        }
        if (len == CTL_MAX_REQUEST) {
            ans = error_json("request too long");
            break;
        }
    }
    free(buf);
    if (deferred)
        return;
    if (ans)
        ctl_reply(fd, ans);
    else
        close(fd);
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
        serve(c, fd); /* closes fd, now or when a deferred answer is written */
    }
}
