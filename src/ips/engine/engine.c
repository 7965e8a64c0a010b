/* engine.c - the IPS engine core: rule sets, per-flow application state (HTTP parser or raw
 * stream), transactions for the rule engine, the verdict policy of engine.h and alerts.
 * The stream side lives in engine_stream.c (see engine_internal.h). */
#include "ips/engine/engine.h"
#include "ips/engine/engine_internal.h"
#include "ips/http/http_parser.h"

#include "common/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

/* The built-in rule set (rules/default.rules, embedded at build time). */
extern const char hs_default_rules[];

#define DEFAULT_RULES_NAME "rules/default.rules"
#define PKT_TAIL 256         /* earlier stream bytes prepended to pkt_data (split patterns) */
#define PROBE_MAX 24         /* bytes looked at to recognise an HTTP request */
#define METHOD_MAX 20        /* longest method token accepted as HTTP */
#define TX_PKT_KEY(dir) (UINT64_MAX - 1 + (uint64_t)(dir)) /* dedup key of pkt_data matches */
#define SYNTH_FLOW_BASE (1ULL << 51) /* flow ids of offline --http requests (stream ids are lower) */

/* Generator ids of alerts: 1 = rules; engine events carry sid 0 (docs/eve.md). */
#define GID_RULES 1
#define GID_STREAM 2
#define GID_HTTP 3
#define GID_ENGINE 4

enum app { APP_UNKNOWN, APP_HTTP, APP_OTHER };

/* A rule already reported for a transaction (alerts are reported once per transaction). */
struct fired {
    uint64_t tx;
    uint32_t gid, sid;
};

struct eng_flow {
    struct ips_engine *e;
    struct eng_flowinfo fi;
    enum app app;
    struct ips_http_conn *http;
    bool http_dead;          /* parse error: no more HTTP inspection (flow was dropped) */
    bool tunnel;             /* CONNECT / 101: later bytes are raw stream only */
    uint8_t probe[PROBE_MAX];
    size_t probe_len;
    uint8_t tail[2][PKT_TAIL];
    size_t tail_len[2];
    struct fired *fired;
    size_t n_fired, cap_fired;
};

struct ips_engine {
    struct ips_ruleset *rs;
    struct ips_vars *vars;
    struct ips_scratch *scratch;
    struct eng_stream *st;
    struct ips_http_cfg hcfg;
    bool drop_truncated, wall_clock;
    ips_alert_fn on_alert;
    void *ctx;
    struct ips_engine_stats stats;
    uint64_t now_us;
    uint64_t synth_flows;
    bool can_drop;           /* false while finishing a flow (late alerts only) */
    /* verdict being built for the current packet */
    bool v_drop, v_attack, v_leak;
    struct eng_flowinfo v_fi;
    char reason[64];
    /* working memory */
    const struct ips_rule **m;
    size_t n_m, cap_m;
    uint8_t *pktbuf;
    size_t pktbuf_cap;
};

/* ---------------------------------------------------------------- alerts */

/* Printable copy for alert strings: ASCII 0x20..0x7e kept, other bytes as "\xHH". */
static char *printable(const uint8_t *p, size_t n)
{
    if (n > (SIZE_MAX - 1) / 4)
        n = (SIZE_MAX - 1) / 4; /* unreachable for real buffers; keeps the size exact */
    char *s = xmalloc(n * 4 + 1), *o = s;
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        uint8_t c = p[i];
        if (c >= 0x20 && c < 0x7f && c != '\\') {
            *o++ = (char)c;
        } else if (c == '\\') {
            *o++ = '\\';
            *o++ = '\\';
        } else {
            *o++ = '\\';
            *o++ = 'x';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
        }
    }
    *o = '\0';
    return s;
}

static uint64_t alert_time(const struct ips_engine *e)
{
    return e->wall_clock ? e->now_us : hs_wall_us();
}

static const char *app_name(const struct eng_flow *f)
{
    if (!f)
        return "unknown";
    return f->app == APP_HTTP ? "http" : f->app == APP_OTHER ? "failed" : "unknown";
}

static void emit(struct ips_engine *e, struct ips_alert *a)
{
    e->stats.alerts++;
    if (e->on_alert)
        e->on_alert(e->ctx, a);
}

/* An engine event (sid 0) about a flow's data. */
static void event_alert(struct ips_engine *e, const struct eng_flow *f, bool to_server,
                        uint32_t gid, const char *msg, bool blocked)
{
    struct ips_alert a;
    memset(&a, 0, sizeof a);
    a.ts_us = alert_time(e);
    a.flow_id = f->fi.flow_id;
    a.src_ip = to_server ? f->fi.client_ip : f->fi.server_ip;
    a.dst_ip = to_server ? f->fi.server_ip : f->fi.client_ip;
    a.src_port = to_server ? f->fi.client_port : f->fi.server_port;
    a.dst_port = to_server ? f->fi.server_port : f->fi.client_port;
    a.proto = 6;
    a.app_proto = app_name(f);
    a.to_server = to_server;
    a.gid = gid;
    a.msg = msg;
    a.classtype = "protocol-command-decode";
    a.severity = 2;
    a.action = blocked ? "blocked" : "allowed";
    a.http_method = a.http_uri = a.http_host = a.http_user_agent = "";
    emit(e, &a);
}

/* Mark the current packet dropped (and the flow blocked) for reason. */
static void decide_drop(struct ips_engine *e, const struct eng_flow *f, bool to_server,
                        bool by_rule, const char *reason)
{
    if (!e->can_drop)
        return;
    if (!e->v_drop)
        hs_strlcpy(e->reason, reason, sizeof e->reason); /* short fixed texts: always fit */
    e->v_drop = true;
    e->v_fi = f->fi;
    if (by_rule) {
        if (to_server)
            e->v_attack = true;
        else
            e->v_leak = true;
    }
}

/* ---------------------------------------------------------------- matching */

static bool collect(const struct ips_rule *r, void *ud)
{
    struct ips_engine *e = ud;
    if (e->n_m == e->cap_m) {
        e->cap_m = e->cap_m ? e->cap_m * 2 : 16;
        e->m = xreallocarray(e->m, e->cap_m, sizeof *e->m);
    }
    e->m[e->n_m++] = r;
    return true;
}

/* True (and remembered) the first time (tx, rule) is seen on the flow. */
static bool first_fire(struct eng_flow *f, uint64_t tx, uint32_t gid, uint32_t sid)
{
    for (size_t i = 0; i < f->n_fired; i++)
        if (f->fired[i].tx == tx && f->fired[i].gid == gid && f->fired[i].sid == sid)
            return false;
    if (f->n_fired == f->cap_fired) {
        f->cap_fired = f->cap_fired ? f->cap_fired * 2 : 8;
        f->fired = xreallocarray(f->fired, f->cap_fired, sizeof *f->fired);
    }
    f->fired[f->n_fired++] = (struct fired){tx, gid, sid};
    return true;
}

/* Forget the fired rules of a finished HTTP transaction. */
static void forget_tx(struct eng_flow *f, uint64_t tx)
{
    size_t j = 0;
    for (size_t i = 0; i < f->n_fired; i++)
        if (f->fired[i].tx != tx)
            f->fired[j++] = f->fired[i];
    f->n_fired = j;
}

static void copy_http(const struct ips_http_buf *b, char **out)
{
    *out = printable(b->ptr, b->len);
}

/* Run one transaction through the rules and apply the verdict policy. */
static void run_txn(struct ips_engine *e, struct eng_flow *f, const struct ips_txn *t,
                    uint64_t txkey, const struct ips_http_tx *htx)
{
    e->n_m = 0;
    int rc = ips_match(e->rs, e->scratch, t, collect, e, NULL);
    bool to_server = t->dir == IPS_DIR_TO_SERVER;
    if (rc < 0) {
        /* Hyperscan failed: the data was not inspected, so it does not pass. */
        if (first_fire(f, txkey, GID_ENGINE, 0))
            event_alert(e, f, to_server, GID_ENGINE, "ENGINE rule matching failed", e->can_drop);
        decide_drop(e, f, to_server, false, "matching failed");
        return;
    }
    if (e->n_m == 0)
        return;
    bool drop = false;
    const struct ips_rule *first_drop = NULL;
    for (size_t i = 0; i < e->n_m; i++) {
        enum ips_action act = ips_rule_action(e->m[i]);
        if (act == IPS_ACT_DROP || act == IPS_ACT_REJECT) {
            drop = true;
            if (!first_drop)
                first_drop = e->m[i];
        }
    }
    if (drop && e->can_drop) {
        char why[64];
        snprintf(why, sizeof why, "rule %u", (unsigned)ips_rule_sid(first_drop));
        decide_drop(e, f, to_server, true, why);
    }
    char *method = NULL, *uri = NULL, *host = NULL, *ua = NULL;
    if (htx) {
        copy_http(&htx->method, &method);
        copy_http(&htx->uri_raw, &uri);
        copy_http(&htx->host, &host);
        copy_http(&htx->user_agent, &ua);
    }
    for (size_t i = 0; i < e->n_m; i++) {
        const struct ips_rule *r = e->m[i];
        if (ips_rule_action(r) == IPS_ACT_PASS)
            continue; /* pass rules silence the transaction; they are not alerts */
        if (!first_fire(f, txkey, ips_rule_gid(r), ips_rule_sid(r)))
            continue;
        struct ips_alert a;
        memset(&a, 0, sizeof a);
        a.ts_us = alert_time(e);
        a.flow_id = f->fi.flow_id;
        a.src_ip = t->src_ip;
        a.dst_ip = t->dst_ip;
        a.src_port = t->src_port;
        a.dst_port = t->dst_port;
        a.proto = t->ip_proto;
        a.app_proto = app_name(f);
        a.to_server = to_server;
        a.sid = ips_rule_sid(r);
        a.gid = ips_rule_gid(r);
        a.rev = ips_rule_rev(r);
        a.msg = ips_rule_msg(r);
        a.classtype = ips_rule_classtype(r) ? ips_rule_classtype(r) : "";
        a.severity = ips_rule_severity(r);
        a.action = drop && e->can_drop ? "blocked" : "allowed";
        a.http_method = method ? method : "";
        a.http_uri = uri ? uri : "";
        a.http_host = host ? host : "";
        a.http_user_agent = ua ? ua : "";
        a.http_status = htx && htx->status > 0 ? htx->status : 0;
        emit(e, &a);
    }
    free(method);
    free(uri);
    free(host);
    free(ua);
}

static void txn_tuple(struct ips_txn *t, const struct eng_flow *f, bool to_server)
{
    t->src_ip = to_server ? f->fi.client_ip : f->fi.server_ip;
    t->dst_ip = to_server ? f->fi.server_ip : f->fi.client_ip;
    t->src_port = to_server ? f->fi.client_port : f->fi.server_port;
    t->dst_port = to_server ? f->fi.server_port : f->fi.client_port;
    t->ip_proto = 6;
    t->dir = to_server ? IPS_DIR_TO_SERVER : IPS_DIR_TO_CLIENT;
    t->established = f->fi.established;
    t->app_http = f->app == APP_HTTP;
}

/* ---------------------------------------------------------------- HTTP */

enum point { PT_REQ_HEADERS, PT_REQ_BODY, PT_RES_HEADERS, PT_RES_BODY };

static void set_b(struct ips_txn *t, enum ips_buf_id id, const struct ips_http_buf *b)
{
    ips_txn_set(t, id, b->ptr, b->len);
}

/* Header-value buffers are absent (not empty) when the header was not sent. */
static void set_opt(struct ips_txn *t, enum ips_buf_id id, const struct ips_http_buf *b)
{
    if (b->len)
        ips_txn_set(t, id, b->ptr, b->len);
}

static void http_txn(struct ips_txn *t, const struct eng_flow *f, const struct ips_http_tx *tx,
                     enum point pt)
{
    ips_txn_init(t);
    bool to_server = pt == PT_REQ_HEADERS || pt == PT_REQ_BODY;
    txn_tuple(t, f, to_server);
    set_b(t, IPS_BUF_HTTP_METHOD, &tx->method);
    set_b(t, IPS_BUF_HTTP_URI, &tx->uri);
    set_b(t, IPS_BUF_HTTP_URI_RAW, &tx->uri_raw);
    set_b(t, IPS_BUF_HTTP_REQUEST_LINE, &tx->request_line);
    set_b(t, IPS_BUF_HTTP_HEADER, &tx->headers);
    set_opt(t, IPS_BUF_HTTP_COOKIE, &tx->cookie);
    set_opt(t, IPS_BUF_HTTP_USER_AGENT, &tx->user_agent);
    set_opt(t, IPS_BUF_HTTP_HOST, &tx->host);
    if (pt != PT_REQ_HEADERS && (tx->request_body.len || tx->request_body_seen))
        set_b(t, IPS_BUF_HTTP_REQUEST_BODY, &tx->request_body);
    if (to_server) {
        set_opt(t, IPS_BUF_HTTP_CONTENT_TYPE, &tx->content_type);
        return;
    }
    set_opt(t, IPS_BUF_HTTP_CONTENT_TYPE, &tx->response_content_type);
    set_b(t, IPS_BUF_HTTP_STAT_CODE, &tx->stat_code);
    set_b(t, IPS_BUF_HTTP_STAT_MSG, &tx->stat_msg);
    set_b(t, IPS_BUF_HTTP_RESPONSE_LINE, &tx->response_line);
    set_b(t, IPS_BUF_HTTP_RESPONSE_HEADER, &tx->response_headers);
    if (pt == PT_RES_BODY && (tx->response_body.len || tx->response_body_seen))
        set_b(t, IPS_BUF_HTTP_RESPONSE_BODY, &tx->response_body);
}

static void on_req_headers(void *user, const struct ips_http_tx *tx)
{
    struct eng_flow *f = user;
    struct ips_txn t;
    f->e->stats.http_txns++;
    http_txn(&t, f, tx, PT_REQ_HEADERS);
    run_txn(f->e, f, &t, tx->index, tx);
}

static void on_req_body(void *user, const struct ips_http_tx *tx)
{
    struct eng_flow *f = user;
    struct ips_engine *e = f->e;
    struct ips_txn t;
    /* Without a body every buffer equals the request-headers point: nothing new to match. */
    if (!tx->request_body_seen && !tx->request_body.len)
        return;
    http_txn(&t, f, tx, PT_REQ_BODY);
    run_txn(e, f, &t, tx->index, tx);
    /* A urlencoded form is matched a second time, decoded, as http.request_body. */
    if (tx->request_form.len &&
        (tx->request_form.len != tx->request_body.len ||
         memcmp(tx->request_form.ptr, tx->request_body.ptr, tx->request_form.len) != 0)) {
        ips_txn_set(&t, IPS_BUF_HTTP_REQUEST_BODY, tx->request_form.ptr, tx->request_form.len);
        run_txn(e, f, &t, tx->index, tx);
    }
    if ((tx->anomalies & IPS_HTTP_A_REQ_BODY_TRUNCATED) && !tx->request_complete) {
        /* Only the first body_limit bytes were inspected: never pretend the rest was. */
        bool block = e->drop_truncated && e->can_drop;
        if (first_fire(f, tx->index, GID_HTTP, 0))
            event_alert(e, f, true, GID_HTTP, "HTTP request body over the inspection limit",
                        block);
        if (block)
            decide_drop(e, f, true, false, "request body over inspection limit");
    }
}

static void on_res_headers(void *user, const struct ips_http_tx *tx)
{
    struct eng_flow *f = user;
    struct ips_txn t;
    http_txn(&t, f, tx, PT_RES_HEADERS);
    run_txn(f->e, f, &t, tx->index, tx);
}

static void on_res_body(void *user, const struct ips_http_tx *tx)
{
    struct eng_flow *f = user;
    struct ips_txn t;
    if (tx->response_body_seen || tx->response_body.len) { /* else as at response headers */
        http_txn(&t, f, tx, PT_RES_BODY);
        run_txn(f->e, f, &t, tx->index, tx);
    }
    /* The transaction is over: its dedup entries are no longer needed. A truncated response
     * body is not over yet, but no later inspection point of this transaction fires. */
    forget_tx(f, tx->index);
}

static const struct ips_http_callbacks http_cb = {
    .request_headers = on_req_headers,
    .request_body = on_req_body,
    .response_headers = on_res_headers,
    .response_body = on_res_body,
};

static void http_feed(struct ips_engine *e, struct eng_flow *f, bool to_server,
                      const uint8_t *data, size_t len)
{
    if (!len || f->http_dead || f->tunnel)
        return;
    enum ips_http_status st = ips_http_feed(
        f->http, to_server ? IPS_HTTP_TO_SERVER : IPS_HTTP_TO_CLIENT, data, len, e->now_us);
    if (st == IPS_HTTP_TUNNEL) {
        f->tunnel = true;
    } else if (st == IPS_HTTP_ERROR) {
        /* Bytes the parser cannot follow may be read differently by the server: fail closed. */
        f->http_dead = true;
        e->stats.http_errors++;
        event_alert(e, f, to_server, GID_HTTP, "HTTP stream could not be parsed", e->can_drop);
        decide_drop(e, f, to_server, false, "http parse error");
    }
}

/* Method token ([A-Za-z_-]{1,20}) then a space: an HTTP request line. */
static enum app probe_http(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t c = p[i];
        if (c == ' ')
            return i > 0 ? APP_HTTP : APP_OTHER;
        bool tok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' || c == '_';
        if (!tok || i >= METHOD_MAX)
            return APP_OTHER;
    }
    return n >= PROBE_MAX ? APP_OTHER : APP_UNKNOWN;
}

static void app_data(struct ips_engine *e, struct eng_flow *f, bool to_server,
                     const uint8_t *data, size_t len)
{
    if (f->app == APP_UNKNOWN) {
        if (!to_server) {
            f->app = APP_OTHER; /* the server spoke first (or before the request line ended) */
            return;
        }
        size_t take = len < PROBE_MAX - f->probe_len ? len : PROBE_MAX - f->probe_len;
        memcpy(f->probe + f->probe_len, data, take);
        f->probe_len += take;
        f->app = probe_http(f->probe, f->probe_len);
        if (f->app != APP_HTTP)
            return;
        f->http = ips_http_conn_new(&e->hcfg, &http_cb, f);
        http_feed(e, f, true, f->probe, f->probe_len);
        if (!e->v_drop)
            http_feed(e, f, true, data + take, len - take);
        return;
    }
    if (f->app == APP_HTTP)
        http_feed(e, f, to_server, data, len);
}

/* ---------------------------------------------------------------- raw stream */

/* pkt_data: up to PKT_TAIL earlier bytes of the direction, then the new bytes. */
static void pkt_inspect(struct ips_engine *e, struct eng_flow *f, bool to_server,
                        const uint8_t *data, size_t len)
{
    int d = to_server ? 0 : 1;
    size_t tl = f->tail_len[d];
    if (len == 0)
        return; /* an empty chunk adds nothing to inspect */
    if (tl > SIZE_MAX - len)
        abort(); /* cannot happen: len is a delivered chunk */
    size_t n = tl + len;
    if (n > e->pktbuf_cap) {
        e->pktbuf_cap = n < 4096 ? 4096 : n;
        free(e->pktbuf);
        e->pktbuf = xmalloc(e->pktbuf_cap);
    }
    memcpy(e->pktbuf, f->tail[d], tl);
    memcpy(e->pktbuf + tl, data, len);
    struct ips_txn t;
    ips_txn_init(&t);
    txn_tuple(&t, f, to_server);
    ips_txn_set(&t, IPS_BUF_PKT, e->pktbuf, n);
    run_txn(e, f, &t, TX_PKT_KEY(d), NULL);
    size_t keep = n < PKT_TAIL ? n : PKT_TAIL;
    memcpy(f->tail[d], e->pktbuf + n - keep, keep);
    f->tail_len[d] = keep;
}

/* ---------------------------------------------------------------- flows */

static struct eng_flow *flow_new(struct ips_engine *e, const struct eng_flowinfo *fi)
{
    struct eng_flow *f = xcalloc(1, sizeof *f);
    f->e = e;
    f->fi = *fi;
    return f;
}

bool eng_on_data(struct ips_engine *e, void **user, const struct eng_flowinfo *fi, bool to_server,
                 const uint8_t *data, size_t len)
{
    struct eng_flow *f = *user;
    if (!f) {
        f = flow_new(e, fi);
        *user = f;
    }
    f->fi = *fi;
    e->stats.stream_bytes += len;
    bool before = e->v_drop;
    e->v_drop = false;
    app_data(e, f, to_server, data, len);
    if (!e->v_drop)
        pkt_inspect(e, f, to_server, data, len);
    bool drop = e->v_drop;
    e->v_drop = before || drop;
    return drop;
}

void eng_on_flow_end(struct ips_engine *e, void *user)
{
    struct eng_flow *f = user;
    if (!f)
        return;
    bool could = e->can_drop;
    e->can_drop = false; /* too late to drop anything: late alerts are "allowed" */
    if (f->http && !f->http_dead && !f->tunnel)
        (void)ips_http_conn_close(f->http, e->now_us);
    e->can_drop = could;
    ips_http_conn_free(f->http);
    free(f->fired);
    free(f);
}

/* ---------------------------------------------------------------- engine */

void ips_engine_cfg_default(struct ips_engine_cfg *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->home_net = "[198.18.0.0/15]";
    cfg->body_limit = 1u << 20;
    cfg->drop_truncated_requests = true;
    uint64_t seed = 0;
    if (getrandom(&seed, sizeof seed, GRND_NONBLOCK) != (ssize_t)sizeof seed)
        seed = hs_now_ns() ^ (uint64_t)(uintptr_t)cfg; /* weak fallback, never fatal */
    cfg->hash_seed = seed;
}

static struct ips_ruleset *load_rules(const char *const *files, size_t n,
                                      const struct ips_vars *vars, char **err)
{
    if (!files)
        return ips_ruleset_load_string(hs_default_rules, strlen(hs_default_rules),
                                       DEFAULT_RULES_NAME, vars, err);
    return ips_ruleset_load_files(files, n, vars, err);
}

struct ips_engine *ips_engine_new(const struct ips_engine_cfg *cfg, char **err)
{
    *err = NULL;
    struct ips_vars *vars = ips_vars_new();
    const char *home = cfg->home_net ? cfg->home_net : "[198.18.0.0/15]";
    if (!ips_vars_set(vars, "HOME_NET", home)) {
        ips_vars_free(vars);
        *err = xstrdup("HOME_NET: invalid variable");
        return NULL;
    }
    struct ips_ruleset *rs = load_rules(cfg->rule_files, cfg->n_rule_files, vars, err);
    if (!rs) {
        ips_vars_free(vars);
        return NULL;
    }
    struct ips_engine *e = xcalloc(1, sizeof *e);
    e->rs = rs;
    e->vars = vars;
    e->scratch = ips_scratch_new();
    ips_http_cfg_init(&e->hcfg);
    size_t bl = cfg->body_limit ? cfg->body_limit : 1u << 20;
    e->hcfg.request_body_limit = bl;
    e->hcfg.response_body_limit = bl;
    e->drop_truncated = cfg->drop_truncated_requests;
    e->wall_clock = cfg->wall_clock;
    e->on_alert = cfg->on_alert;
    e->ctx = cfg->ctx;
    e->can_drop = true;
    struct eng_stream_cfg sc = {cfg->max_flows, cfg->memcap_bytes, cfg->hash_seed};
    e->st = eng_stream_new(&sc, e);
    return e;
}

struct ips_verdict ips_engine_frame(struct ips_engine *e, const uint8_t *frame, size_t len,
                                    uint64_t now_us)
{
    struct ips_verdict v;
    memset(&v, 0, sizeof v);
    e->now_us = now_us;
    e->can_drop = true;
    e->v_drop = e->v_attack = e->v_leak = false;
    e->reason[0] = '\0';
    e->stats.frames++;
    e->stats.bytes += len;
    struct eng_pkt_result r = eng_stream_packet(e->st, frame, len, now_us / 1000);
    v.flow_id = r.flow_id;
    switch (r.action) {
    case ENG_PASS:
        v.action = IPS_V_PASS;
        v.reason = "pass";
        v.frame = r.frame;
        v.frame_len = r.frame_len;
        break;
    case ENG_HOLD:
        v.action = IPS_V_HOLD;
        v.reason = "ip fragment held";
        e->stats.held++;
        break;
    case ENG_DROP:
        v.action = IPS_V_DROP;
        e->stats.dropped++;
        if (r.inspector_drop && e->v_drop) {
            v.reason = e->reason;
            v.attack = e->v_attack;
            v.leak = e->v_leak;
            if (v.attack || v.leak) {
                v.attacker_ip = e->v_fi.client_ip;
                v.attacker_port = e->v_fi.client_port;
                v.server_ip = e->v_fi.server_ip;
                v.server_port = e->v_fi.server_port;
            }
        } else if (r.flow_blocked) {
            v.reason = "flow blocked";
        } else {
            v.reason = r.event ? r.event : "stream";
            if (r.alert_event) {
                struct ips_alert a;
                memset(&a, 0, sizeof a);
                char msg[80];
                snprintf(msg, sizeof msg, "STREAM %s", v.reason);
                a.ts_us = alert_time(e);
                a.flow_id = r.flow_id;
                if (r.has_tuple) {
                    a.src_ip = r.src;
                    a.dst_ip = r.dst;
                    a.src_port = r.sport;
                    a.dst_port = r.dport;
                    a.proto = r.proto;
                }
                a.app_proto = "unknown";
                a.to_server = true;
                a.gid = GID_STREAM;
                a.msg = msg;
                a.classtype = "protocol-command-decode";
                a.severity = 2;
                a.action = "blocked";
                a.http_method = a.http_uri = a.http_host = a.http_user_agent = "";
                emit(e, &a);
            }
        }
        break;
    }
    return v;
}

/* A request read from a file may lack the blank line that ends the headers. */
static bool has_header_end(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++) {
        if (p[i] == '\n' && p[i + 1] == '\n')
            return true;
        if (i + 3 < n && p[i] == '\r' && p[i + 1] == '\n' && p[i + 2] == '\r' && p[i + 3] == '\n')
            return true;
    }
    return false;
}

int ips_engine_http_request(struct ips_engine *e, const uint8_t *req, size_t len, uint64_t now_us)
{
    e->now_us = now_us;
    e->can_drop = true;
    e->v_drop = e->v_attack = e->v_leak = false;
    e->reason[0] = '\0';
    uint64_t before = e->stats.alerts;
    struct eng_flowinfo fi = {
        .flow_id = SYNTH_FLOW_BASE + ++e->synth_flows,
        .client_ip = 0xcb007101u, /* 203.0.113.1 */
        .server_ip = 0xc612ff02u, /* 198.18.255.2 */
        .client_port = 40000,
        .server_port = 80,
        .established = true,
    };
    void *user = NULL;
    eng_on_data(e, &user, &fi, true, req, len);
    struct eng_flow *f = user;
    if (!e->v_drop && f->app == APP_HTTP && !has_header_end(req, len)) {
        static const uint8_t crlf2[] = "\r\n\r\n";
        bool nl = len && req[len - 1] == '\n';
        eng_on_data(e, &user, &fi, true, nl ? crlf2 + 2 : crlf2, nl ? 2 : 4);
    }
    eng_on_flow_end(e, user);
    return (int)(e->stats.alerts - before);
}

void ips_engine_expire(struct ips_engine *e, uint64_t now_us)
{
    e->now_us = now_us;
    eng_stream_expire(e->st, now_us / 1000);
}

int ips_engine_reload(struct ips_engine *e, const char *const *files, size_t n, char **err)
{
    *err = NULL;
    struct ips_ruleset *rs = load_rules(files, n, e->vars, err);
    if (!rs)
        return -1;
    ips_ruleset_free(e->rs);
    e->rs = rs;
    return 0;
}

struct ips_engine_stats ips_engine_stats(const struct ips_engine *e)
{
    struct ips_engine_stats s = e->stats;
    s.flows_active = eng_stream_flows(e->st);
    return s;
}

void ips_engine_free(struct ips_engine *e)
{
    if (!e)
        return;
    eng_stream_free(e->st); /* flows end first: their late alerts still use the rule set */
    ips_scratch_free(e->scratch);
    ips_ruleset_free(e->rs);
    ips_vars_free(e->vars);
    free(e->m);
    free(e->pktbuf);
    free(e);
}
