/* rdef_harness.c - raw HTTP message -> ips/http -> ips_txn -> ips_match (see rdef_harness.h). */
#include "rdef_harness.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "ips/http/http_parser.h"

#define RDEF_CLIENT_IP 0xC612FF01u /* 198.18.255.1 */
#define RDEF_SERVER_IP 0xC612FF02u /* 198.18.255.2 */

struct rdef_ctx {
    const struct ips_ruleset *rs;
    struct ips_scratch *scratch;
    struct rdef_result *out;
    bool want_response;
    bool done;
};

static bool on_rule(const struct ips_rule *rule, void *ud)
{
    struct rdef_result *out = ud;
    if (out->n < RDEF_MAX_SIDS)
        out->sids[out->n] = ips_rule_sid(rule);
    out->n++;
    return true;
}

static void set(struct ips_txn *t, enum ips_buf_id id, const struct ips_http_buf *b)
{
    ips_txn_set(t, id, b->ptr, b->len);
}

/* Optional header-derived buffers are absent when the header is absent (as in Suricata). */
static void set_opt(struct ips_txn *t, enum ips_buf_id id, const struct ips_http_buf *b)
{
    if (b->len > 0)
        ips_txn_set(t, id, b->ptr, b->len);
}

static void run(struct rdef_ctx *c, struct ips_txn *t)
{
    c->done = true;
    (void)ips_match(c->rs, c->scratch, t, on_rule, c->out, NULL);
}

static void on_request(void *user, const struct ips_http_tx *tx)
{
    struct rdef_ctx *c = user;
    if (c->want_response || c->done)
        return;
    struct ips_txn t;
    ips_txn_init(&t);
    t.src_ip = RDEF_CLIENT_IP;
    t.dst_ip = RDEF_SERVER_IP;
    t.src_port = 40000;
    t.dst_port = 80;
    t.ip_proto = 6;
    t.app_http = true;
    t.established = true;
    t.dir = IPS_DIR_TO_SERVER;
    set(&t, IPS_BUF_HTTP_URI, &tx->uri);
    set(&t, IPS_BUF_HTTP_URI_RAW, &tx->uri_raw);
    set(&t, IPS_BUF_HTTP_METHOD, &tx->method);
    set(&t, IPS_BUF_HTTP_REQUEST_LINE, &tx->request_line);
    set(&t, IPS_BUF_HTTP_HEADER, &tx->headers);
    set_opt(&t, IPS_BUF_HTTP_COOKIE, &tx->cookie);
    set_opt(&t, IPS_BUF_HTTP_USER_AGENT, &tx->user_agent);
    set_opt(&t, IPS_BUF_HTTP_HOST, &tx->host);
    set_opt(&t, IPS_BUF_HTTP_CONTENT_TYPE, &tx->content_type);
    set_opt(&t, IPS_BUF_HTTP_REQUEST_BODY, &tx->request_body);
    run(c, &t);
}

static void on_response(void *user, const struct ips_http_tx *tx)
{
    struct rdef_ctx *c = user;
    if (!c->want_response || c->done)
        return;
    struct ips_txn t;
    ips_txn_init(&t);
    t.src_ip = RDEF_SERVER_IP;
    t.dst_ip = RDEF_CLIENT_IP;
    t.src_port = 80;
    t.dst_port = 40000;
    t.ip_proto = 6;
    t.app_http = true;
    t.established = true;
    t.dir = IPS_DIR_TO_CLIENT;
    set(&t, IPS_BUF_HTTP_STAT_CODE, &tx->stat_code);
    set(&t, IPS_BUF_HTTP_STAT_MSG, &tx->stat_msg);
    set(&t, IPS_BUF_HTTP_RESPONSE_LINE, &tx->response_line);
    set(&t, IPS_BUF_HTTP_RESPONSE_HEADER, &tx->response_headers);
    set(&t, IPS_BUF_HTTP_HEADER, &tx->response_headers);
    set_opt(&t, IPS_BUF_HTTP_CONTENT_TYPE, &tx->response_content_type);
    set(&t, IPS_BUF_HTTP_RESPONSE_BODY, &tx->response_body);
    run(c, &t);
}

void rdef_scan(const struct ips_ruleset *rs, struct ips_scratch *s, const uint8_t *msg,
               size_t len, struct rdef_result *out)
{
    static const char dummy[] = "GET / HTTP/1.1\r\nHost: www.example.org\r\n\r\n";
    memset(out, 0, sizeof(*out));
    struct rdef_ctx c = {.rs = rs, .scratch = s, .out = out};
    c.want_response = len >= 5 && memcmp(msg, "HTTP/", 5) == 0;
    struct ips_http_callbacks cb = {.request_body = on_request, .response_body = on_response};
    struct ips_http_conn *conn = ips_http_conn_new(NULL, &cb, &c);
    enum ips_http_status st = IPS_HTTP_OK;
    if (c.want_response) {
        st = ips_http_feed(conn, IPS_HTTP_TO_SERVER, (const uint8_t *)dummy, sizeof(dummy) - 1, 1);
        if (st == IPS_HTTP_OK)
            st = ips_http_feed(conn, IPS_HTTP_TO_CLIENT, msg, len, 2);
    } else {
        st = ips_http_feed(conn, IPS_HTTP_TO_SERVER, msg, len, 1);
    }
    if (st != IPS_HTTP_ERROR)
        st = ips_http_conn_close(conn, 3);
    ips_http_conn_free(conn);
    if (st == IPS_HTTP_ERROR && !c.done)
        out->status = -1;
}

int rdef_has(const struct rdef_result *out, uint32_t sid)
{
    size_t n = out->n < RDEF_MAX_SIDS ? out->n : RDEF_MAX_SIDS;
    for (size_t i = 0; i < n; i++)
        if (out->sids[i] == sid)
            return 1;
    return 0;
}

struct rdef_fixture *rdef_fixture_new(const char *rules_path)
{
    char *err = NULL;
    struct ips_vars *v = ips_vars_new();
    ips_vars_set(v, "HOME_NET", "[198.18.0.0/15]");
    struct ips_ruleset *rs = ips_ruleset_load_file(rules_path, v, &err);
    ips_vars_free(v);
    if (!rs) {
        fprintf(stderr, "%s", err ? err : "load failed\n");
        free(err);
        return NULL;
    }
    struct rdef_fixture *f = xcalloc(1, sizeof *f);
    f->rs = rs;
    f->s = ips_scratch_new();
    return f;
}

void rdef_fixture_free(struct rdef_fixture *f)
{
    if (!f)
        return;
    ips_scratch_free(f->s);
    ips_ruleset_free(f->rs);
    free(f);
}
