/* test_http_parser.c - the HTTP layer fed byte streams split at every position, in 1-byte
 * chunks and at random points (fixed seed); asserts the buffers of every inspection point. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ips/http/http_parser.h"

/* ---- recorder ------------------------------------------------------------------------ */

struct cbuf {
    uint8_t *p;
    size_t n;
};

#define MAX_TX 8

struct rtx {
    int n_rh, n_rb, n_sh, n_sb;     /* callback counts */
    int seq_rh, seq_rb, seq_sh, seq_sb;
    struct cbuf method, uri, uri_raw, path, query, query_raw, host, host_raw, ua, cookie, headers,
        request_line, ctype;
    struct cbuf body_at_rh;         /* request body seen by request_headers (must be empty) */
    struct cbuf req_body, form, host_raw_rb, ua_rb;
    uint64_t req_seen;
    bool req_complete;
    int proto;
    int status;
    struct cbuf stat_code, stat_msg, response_line, res_headers, res_ctype, res_body;
    uint64_t res_seen;
    bool res_complete;
    uint64_t a_rh, a_rb, a_sh, a_sb;
    size_t req_data, res_data;      /* bytes delivered through the *_body_data callbacks */
};

struct rec {
    struct rtx tx[MAX_TX];
    int seq;
};

static void cset(struct cbuf *c, struct ips_http_buf b)
{
    assert_non_null(b.ptr);
    free(c->p);
    c->p = malloc(b.len + 1);
    assert_non_null(c->p);
    memcpy(c->p, b.ptr, b.len);
    c->p[b.len] = 0;
    c->n = b.len;
}

/* Every buffer of every view is usable: non-NULL pointer even when empty. */
static void assert_view_ptrs(const struct ips_http_tx *t)
{
    const struct ips_http_buf all[] = {
        t->request_line, t->method, t->uri_raw, t->uri, t->path, t->query_raw, t->query,
        t->host, t->host_raw, t->user_agent, t->cookie, t->headers, t->content_type,
        t->request_body, t->request_form, t->stat_code, t->stat_msg, t->response_line,
        t->response_headers, t->response_content_type, t->response_body,
    };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        assert_non_null(all[i].ptr);
}

static struct rtx *slot(void *user, const struct ips_http_tx *t)
{
    struct rec *r = user;
    assert_view_ptrs(t);
    assert_true(t->index < MAX_TX);
    return &r->tx[t->index];
}

static void on_rh(void *user, const struct ips_http_tx *t)
{
    struct rtx *x = slot(user, t);
    x->n_rh++;
    x->seq_rh = ++((struct rec *)user)->seq;
    cset(&x->method, t->method);
    cset(&x->uri, t->uri);
    cset(&x->uri_raw, t->uri_raw);
    cset(&x->path, t->path);
    cset(&x->query, t->query);
    cset(&x->query_raw, t->query_raw);
    cset(&x->host, t->host);
    cset(&x->host_raw, t->host_raw);
    cset(&x->ua, t->user_agent);
    cset(&x->cookie, t->cookie);
    cset(&x->headers, t->headers);
    cset(&x->request_line, t->request_line);
    cset(&x->ctype, t->content_type);
    cset(&x->body_at_rh, t->request_body);
    x->proto = t->request_protocol;
    x->a_rh = t->anomalies;
}

static void on_rb(void *user, const struct ips_http_tx *t)
{
    struct rtx *x = slot(user, t);
    x->n_rb++;
    x->seq_rb = ++((struct rec *)user)->seq;
    cset(&x->req_body, t->request_body);
    cset(&x->form, t->request_form);
    cset(&x->host_raw_rb, t->host_raw);
    cset(&x->ua_rb, t->user_agent);
    x->req_seen = t->request_body_seen;
    x->req_complete = t->request_complete;
    x->a_rb = t->anomalies;
}

static void on_sh(void *user, const struct ips_http_tx *t)
{
    struct rtx *x = slot(user, t);
    x->n_sh++;
    x->seq_sh = ++((struct rec *)user)->seq;
    x->status = t->status;
    cset(&x->stat_code, t->stat_code);
    cset(&x->stat_msg, t->stat_msg);
    cset(&x->response_line, t->response_line);
    cset(&x->res_headers, t->response_headers);
    cset(&x->res_ctype, t->response_content_type);
    x->a_sh = t->anomalies;
}

static void on_sb(void *user, const struct ips_http_tx *t)
{
    struct rtx *x = slot(user, t);
    x->n_sb++;
    x->seq_sb = ++((struct rec *)user)->seq;
    cset(&x->res_body, t->response_body);
    x->res_seen = t->response_body_seen;
    x->res_complete = t->response_complete;
    x->a_sb = t->anomalies;
}

static void on_rdata(void *user, const struct ips_http_tx *t, const uint8_t *d, size_t n)
{
    assert_non_null(d);
    slot(user, t)->req_data += n;
}

static void on_sdata(void *user, const struct ips_http_tx *t, const uint8_t *d, size_t n)
{
    assert_non_null(d);
    slot(user, t)->res_data += n;
}

static const struct ips_http_callbacks callbacks = {on_rh, on_rdata, on_rb, on_sh, on_sdata, on_sb};

static void rec_free(struct rec *r)
{
    for (int i = 0; i < MAX_TX; i++) {
        struct rtx *x = &r->tx[i];
        struct cbuf *all[] = {&x->method, &x->uri, &x->uri_raw, &x->path, &x->query,
                              &x->query_raw, &x->host, &x->host_raw, &x->ua, &x->cookie,
                              &x->headers, &x->request_line, &x->ctype, &x->body_at_rh,
                              &x->req_body, &x->form, &x->host_raw_rb, &x->ua_rb, &x->stat_code, &x->stat_msg,
                              &x->response_line, &x->res_headers, &x->res_ctype, &x->res_body};
        for (size_t j = 0; j < sizeof all / sizeof all[0]; j++)
            free(all[j]->p);
    }
    memset(r, 0, sizeof *r);
}

static void assert_cbuf(const struct cbuf *c, const char *want, size_t len)
{
    if (c->n != len || (len && memcmp(c->p, want, len) != 0))
        fail_msg("buffer \"%.*s\" (%zu) != expected \"%.*s\" (%zu)", (int)c->n,
                 c->p ? (char *)c->p : "", c->n, (int)len, want, len);
}
#define ASSERT_BUF(c, lit) assert_cbuf(&(c), lit, sizeof(lit) - 1)

/* Each inspection point of tx i delivered exactly once (those expected), in order. */
static void assert_once(const struct rec *r, int i, bool response)
{
    const struct rtx *x = &r->tx[i];
    assert_int_equal(x->n_rh, 1);
    assert_int_equal(x->n_rb, 1);
    assert_int_equal(x->body_at_rh.n, 0);
    assert_true(x->seq_rh < x->seq_rb);
    if (response) {
        assert_int_equal(x->n_sh, 1);
        assert_int_equal(x->n_sb, 1);
        assert_true(x->seq_sh < x->seq_sb);
        assert_true(x->seq_rh < x->seq_sh);
    } else {
        assert_int_equal(x->n_sh, 0);
        assert_int_equal(x->n_sb, 0);
    }
    if (i > 0)
        assert_true(r->tx[i - 1].seq_rh < x->seq_rh);
}

/* ---- driver: every split pattern ----------------------------------------------------- */

struct seg {
    enum ips_http_dir dir;
    const char *data;
    size_t len;
};
#define REQ(s) {IPS_HTTP_TO_SERVER, s, sizeof(s) - 1}
#define RES(s) {IPS_HTTP_TO_CLIENT, s, sizeof(s) - 1}

typedef void (*checker)(const struct rec *r);

static uint64_t rng_state;
static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

enum split { SPLIT_NONE, SPLIT_BYTES, SPLIT_AT, SPLIT_RANDOM };

struct run {
    const struct seg *segs;
    size_t nsegs;
    bool close;
    const struct ips_http_cfg *cfg;
    enum ips_http_status want_end;
};

static void feed_seg(struct ips_http_conn *c, const struct seg *s, enum split how, size_t at,
                     enum ips_http_status *last)
{
    const uint8_t *p = (const uint8_t *)s->data;
    size_t n = s->len, off = 0;
    while (off < n) {
        size_t k = n - off;
        if (how == SPLIT_BYTES)
            k = 1;
        else if (how == SPLIT_AT)
            k = off < at ? at - off : n - off;
        else if (how == SPLIT_RANDOM)
            k = 1 + rng() % (k < 40 ? k : 40);
        *last = ips_http_feed(c, s->dir, p + off, k, 1000 + off);
        off += k;
    }
}

/* Feed the conversation with one split pattern (split only segment `which` for SPLIT_AT). */
static void run_once(const struct run *ru, enum split how, size_t which, size_t at, checker chk)
{
    struct rec r;
    memset(&r, 0, sizeof r);
    struct ips_http_conn *c = ips_http_conn_new(ru->cfg, &callbacks, &r);
    enum ips_http_status st = IPS_HTTP_OK;
    for (size_t i = 0; i < ru->nsegs; i++)
        feed_seg(c, &ru->segs[i], how == SPLIT_AT && i != which ? SPLIT_NONE : how, at, &st);
    if (ru->close)
        st = ips_http_conn_close(c, 99999);
    assert_int_equal(st, ru->want_end);
    chk(&r);
    ips_http_conn_free(c);
    rec_free(&r);
}

static void run_all(const struct run *ru, checker chk)
{
    run_once(ru, SPLIT_NONE, 0, 0, chk);
    run_once(ru, SPLIT_BYTES, 0, 0, chk);
    for (size_t i = 0; i < ru->nsegs; i++)
        for (size_t at = 1; at < ru->segs[i].len; at++)
            run_once(ru, SPLIT_AT, i, at, chk);
    rng_state = 0x9e3779b97f4a7c15ULL;
    for (int k = 0; k < 64; k++)
        run_once(ru, SPLIT_RANDOM, 0, 0, chk);
}

#define RUN(chk, close_, cfg_, ...)                                                          \
    do {                                                                                     \
        static const struct seg segs_[] = {__VA_ARGS__};                                     \
        const struct run ru_ = {segs_, sizeof segs_ / sizeof segs_[0], close_, cfg_,         \
                                IPS_HTTP_OK};                                                \
        run_all(&ru_, chk);                                                                  \
    } while (0)

/* Anomalies other than the informational "pipelined" flag. */
#define REAL(a) ((a) & ~IPS_HTTP_A_PIPELINED)

/* ---- tests ---------------------------------------------------------------------------- */

static void chk_simple_get(const struct rec *r)
{
    const struct rtx *x = &r->tx[0];
    assert_once(r, 0, true);
    ASSERT_BUF(x->method, "GET");
    ASSERT_BUF(x->uri, "/index.html");
    ASSERT_BUF(x->uri_raw, "/index.html");
    ASSERT_BUF(x->path, "/index.html");
    ASSERT_BUF(x->query, "");
    ASSERT_BUF(x->host, "www.example.com");
    ASSERT_BUF(x->host_raw, "WWW.Example.com:8080");
    ASSERT_BUF(x->ua, "curl/8.0");
    ASSERT_BUF(x->request_line, "GET /index.html HTTP/1.1");
    ASSERT_BUF(x->headers, "host: WWW.Example.com:8080\r\nuser-agent: curl/8.0\r\naccept: */*\r\n");
    assert_int_equal(x->proto, 101);
    assert_int_equal(x->a_rh, 0);
    assert_true(x->req_complete);
    ASSERT_BUF(x->req_body, "");
    assert_int_equal(x->status, 200);
    ASSERT_BUF(x->stat_code, "200");
    ASSERT_BUF(x->stat_msg, "OK");
    ASSERT_BUF(x->response_line, "HTTP/1.1 200 OK");
    ASSERT_BUF(x->res_headers, "content-type: text/html; charset=utf-8\r\ncontent-length: 5\r\n");
    ASSERT_BUF(x->res_ctype, "text/html");
    ASSERT_BUF(x->res_body, "hello");
    assert_int_equal(x->res_seen, 5);
    assert_int_equal(x->res_data, 5);
    assert_true(x->res_complete);
    assert_int_equal(x->a_sb, 0);
    assert_int_equal(r->tx[1].n_rh, 0);
}

static void test_simple_get(void **state)
{
    (void)state;
    RUN(chk_simple_get, false, NULL,
        REQ("GET /index.html HTTP/1.1\r\nHost: WWW.Example.com:8080\r\nUser-Agent: curl/8.0\r\n"
            "Accept: */*\r\n\r\n"),
        RES("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 5\r\n"
            "\r\nhello"));
}

static void chk_query(const struct rec *r)
{
    const struct rtx *x = &r->tx[0];
    assert_once(r, 0, false);
    ASSERT_BUF(x->uri_raw, "/search?q=a%20b+c&x=%41&y=100%25");
    ASSERT_BUF(x->path, "/search");
    ASSERT_BUF(x->query_raw, "q=a%20b+c&x=%41&y=100%25");
    ASSERT_BUF(x->query, "q=a b c&x=A&y=100%");
    ASSERT_BUF(x->uri, "/search?q=a b c&x=A&y=100%");
    assert_int_equal(REAL(x->a_rh), 0);
}

static void test_query(void **state)
{
    (void)state;
    RUN(chk_query, false, NULL, REQ("GET /search?q=a%20b+c&x=%41&y=100%25 HTTP/1.1\r\nHost: h\r\n\r\n"));
}

static void chk_cookies(const struct rec *r)
{
    assert_once(r, 0, false);
    assert_once(r, 1, false);
    ASSERT_BUF(r->tx[0].cookie, "session=abc; theme=dark");
    ASSERT_BUF(r->tx[1].cookie, "a=1, b=2");
    assert_true(r->tx[1].a_rh & IPS_HTTP_A_HEADER_REPEATED);
    assert_false(r->tx[0].a_rh & IPS_HTTP_A_HEADER_REPEATED);
}

static void test_cookies(void **state)
{
    (void)state;
    RUN(chk_cookies, false, NULL,
        REQ("GET / HTTP/1.1\r\nHost: h\r\nCookie: session=abc; theme=dark\r\n\r\n"
            "GET /2 HTTP/1.1\r\nHost: h\r\nCookie: a=1\r\nCookie: b=2\r\n\r\n"));
}

static void chk_post_form(const struct rec *r)
{
    const struct rtx *x = &r->tx[0];
    assert_once(r, 0, true);
    ASSERT_BUF(x->method, "POST");
    ASSERT_BUF(x->ctype, "application/x-www-form-urlencoded");
    ASSERT_BUF(x->req_body, "user=admin%27--&pw=a+b%2Bc");
    ASSERT_BUF(x->form, "user=admin'--&pw=a b+c");
    assert_int_equal(x->req_seen, 26);
    assert_int_equal(x->req_data, 26);
    assert_true(x->req_complete);
    assert_int_equal(x->a_rb, 0);
    assert_int_equal(x->status, 302);
}

static void test_post_form(void **state)
{
    (void)state;
    RUN(chk_post_form, false, NULL,
        REQ("POST /login HTTP/1.1\r\nHost: h\r\n"
            "Content-Type: application/x-www-form-urlencoded; charset=UTF-8\r\n"
            "Content-Length: 26\r\n\r\nuser=admin%27--&pw=a+b%2Bc"),
        RES("HTTP/1.1 302 Found\r\nLocation: /\r\nContent-Length: 0\r\n\r\n"));
}

static void chk_chunked(const struct rec *r)
{
    const struct rtx *x = &r->tx[0];
    assert_once(r, 0, true);
    ASSERT_BUF(x->req_body, "Wikipedia in\r\n\r\nchunks.");
    ASSERT_BUF(x->form, "");
    assert_true(x->req_complete);
    ASSERT_BUF(x->res_body, "hello, world");
    assert_int_equal(x->res_data, 12);
    assert_true(x->res_complete);
    assert_int_equal(x->a_rb & ~IPS_HTTP_A_PIPELINED, 0);
    assert_int_equal(x->a_sb, 0);
    assert_once(r, 1, true);
    ASSERT_BUF(r->tx[1].uri, "/after");
    ASSERT_BUF(r->tx[1].res_body, "ok");
}

static void test_chunked(void **state)
{
    (void)state;
    RUN(chk_chunked, false, NULL,
        REQ("PUT /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
            "4\r\nWiki\r\n5;ext=1\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\n\r\n"),
        RES("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n"),
        REQ("GET /after HTTP/1.1\r\nHost: h\r\n\r\n"),
        RES("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
}

/* Trailer headers merge into headers libhtp already handed out (regression: the view once
 * kept pointers into strings libhtp reallocated). */
static void chk_trailer(const struct rec *r)
{
    const struct rtx *x = &r->tx[0];
    assert_once(r, 0, false);
    ASSERT_BUF(x->req_body, "Wiki");
    ASSERT_BUF(x->host_raw, "h");
    ASSERT_BUF(x->ua, "a");
    /* at the body inspection point the trailer values are merged in (libhtp joins with ", ") */
    ASSERT_BUF(x->host_raw_rb, "h, another-long-host-name-from-the-trailer.example");
    ASSERT_BUF(x->ua_rb, "a, a-much-longer-trailer-value-to-force-a-realloc");
}

static void test_trailer(void **state)
{
    (void)state;
    RUN(chk_trailer, false, NULL,
        REQ("POST /t HTTP/1.1\r\nHost: h\r\nUser-Agent: a\r\nTransfer-Encoding: chunked\r\n\r\n"
            "4\r\nWiki\r\n0\r\nUser-Agent: a-much-longer-trailer-value-to-force-a-realloc\r\n"
            "Host: another-long-host-name-from-the-trailer.example\r\n\r\n"));
}

static void chk_pipelined(const struct rec *r)
{
    const char *uris[] = {"/one", "/two", "/three"};
    const char *bodies[] = {"1", "22", "333"};
    for (int i = 0; i < 3; i++) {
        assert_once(r, i, true);
        assert_cbuf(&r->tx[i].uri, uris[i], strlen(uris[i]));
        assert_cbuf(&r->tx[i].res_body, bodies[i], strlen(bodies[i]));
        if (i > 0)
            assert_true(r->tx[i - 1].seq_sb < r->tx[i].seq_sh);
    }
    /* All three requests are inspected before the first response arrives. */
    assert_true(r->tx[2].seq_rb < r->tx[0].seq_sh);
    assert_true(r->tx[2].a_sb & IPS_HTTP_A_PIPELINED);
    assert_int_equal(r->tx[3].n_rh, 0);
}

static void test_pipelined(void **state)
{
    (void)state;
    RUN(chk_pipelined, false, NULL,
        REQ("GET /one HTTP/1.1\r\nHost: h\r\n\r\nGET /two HTTP/1.1\r\nHost: h\r\n\r\n"
            "POST /three HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n"),
        RES("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n1HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"
            "\r\n22HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n333"));
}

static void chk_keepalive(const struct rec *r)
{
    for (int i = 0; i < 3; i++) {
        assert_once(r, i, true);
        assert_false(r->tx[i].a_sb & IPS_HTTP_A_PIPELINED);
        if (i > 0)
            assert_true(r->tx[i - 1].seq_sb < r->tx[i].seq_rh);
    }
    ASSERT_BUF(r->tx[0].uri, "/a");
    ASSERT_BUF(r->tx[1].uri, "/b");
    ASSERT_BUF(r->tx[1].req_body, "xy");
    ASSERT_BUF(r->tx[2].uri, "/c");
    assert_int_equal(r->tx[0].status, 200);
    assert_int_equal(r->tx[1].status, 201);
    assert_int_equal(r->tx[2].status, 304);
    ASSERT_BUF(r->tx[0].res_body, "A");
    ASSERT_BUF(r->tx[2].res_body, "");
}

static void test_keepalive(void **state)
{
    (void)state;
    RUN(chk_keepalive, false, NULL,
        REQ("GET /a HTTP/1.1\r\nHost: h\r\n\r\n"),
        RES("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nA"),
        REQ("POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nxy"),
        RES("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"),
        REQ("GET /c HTTP/1.1\r\nHost: h\r\nIf-None-Match: \"x\"\r\n\r\n"),
        RES("HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n"));
}

static void chk_encoding(const struct rec *r)
{
    const struct rtx *x = r->tx;
    for (int i = 0; i < 5; i++)
        assert_once(r, i, false);
    /* single percent-encoding: decoded, not an anomaly */
    ASSERT_BUF(x[0].uri, "/admin/index.php");
    ASSERT_BUF(x[0].uri_raw, "/%61dmin/index%2ephp");
    assert_int_equal(REAL(x[0].a_rh), 0);
    /* double encoding: decoded twice and flagged */
    ASSERT_BUF(x[1].uri, "/admin/x");
    ASSERT_BUF(x[1].uri_raw, "/%2561dmin/x");
    assert_true(x[1].a_rh & IPS_HTTP_A_DOUBLE_ENCODING);
    /* %u encoding: decoded and flagged */
    ASSERT_BUF(x[2].uri, "/admin/cmd.exe");
    ASSERT_BUF(x[2].uri_raw, "/%u0061dmin/cmd%u002eexe");
    assert_true(x[2].a_rh & IPS_HTTP_A_U_ENCODING);
    assert_false(x[2].a_rh & IPS_HTTP_A_DOUBLE_ENCODING);
    /* double-encoded query */
    ASSERT_BUF(x[3].query, "id=1' or '1'='1");
    ASSERT_BUF(x[3].query_raw, "id=1%2527%20or%20%25271%2527=%25271");
    assert_true(x[3].a_rh & IPS_HTTP_A_DOUBLE_ENCODING);
    /* invalid escape kept as sent, flagged */
    ASSERT_BUF(x[4].uri, "/a%zzb");
    assert_true(x[4].a_rh & IPS_HTTP_A_INVALID_ENCODING);
}

static void test_encoding(void **state)
{
    (void)state;
    RUN(chk_encoding, false, NULL,
        REQ("GET /%61dmin/index%2ephp HTTP/1.1\r\nHost: h\r\n\r\n"
            "GET /%2561dmin/x HTTP/1.1\r\nHost: h\r\n\r\n"
            "GET /%u0061dmin/cmd%u002eexe HTTP/1.1\r\nHost: h\r\n\r\n"
            "GET /q?id=1%2527%20or%20%25271%2527=%25271 HTTP/1.1\r\nHost: h\r\n\r\n"
            "GET /a%zzb HTTP/1.1\r\nHost: h\r\n\r\n"));
}

static void chk_paths(const struct rec *r)
{
    const struct rtx *x = r->tx;
    for (int i = 0; i < 7; i++)
        assert_once(r, i, false);
    ASSERT_BUF(x[0].uri, "/a/c");
    assert_int_equal(REAL(x[0].a_rh), 0); /* benign look-alike: stays inside the docroot */
    ASSERT_BUF(x[1].uri, "/a/b");
    assert_int_equal(REAL(x[1].a_rh), 0);
    ASSERT_BUF(x[2].uri, "/etc/passwd");
    ASSERT_BUF(x[2].uri_raw, "/../../etc/passwd");
    assert_true(x[2].a_rh & IPS_HTTP_A_PATH_TRAVERSAL);
    ASSERT_BUF(x[3].uri, "/etc/passwd");
    assert_true(x[3].a_rh & IPS_HTTP_A_PATH_TRAVERSAL);
    assert_true(x[3].a_rh & IPS_HTTP_A_ENCODED_SEPARATOR);
    ASSERT_BUF(x[4].uri, "/etc/passwd");
    assert_true(x[4].a_rh & IPS_HTTP_A_PATH_TRAVERSAL);
    assert_true(x[4].a_rh & IPS_HTTP_A_DOUBLE_ENCODING);
    ASSERT_BUF(x[5].uri, "/winnt/system32/cmd.exe");
    assert_true(x[5].a_rh & IPS_HTTP_A_PATH_TRAVERSAL);
    ASSERT_BUF(x[6].uri, "/static/img/logo.png?v=1");
    assert_int_equal(REAL(x[6].a_rh), 0);
}

static void test_paths(void **state)
{
    (void)state;
    RUN(chk_paths, false, NULL,
        REQ("GET /a/b/../c HTTP/1.1\r\nHost: h\r\n\r\n"
            "GET /a//b HTTP/1.1\r\nHost: h\r\n\r\n"
            "GET /../../etc/passwd HTTP/1.1\r\nHost: h\r\n\r\n"
            "GET /cgi/..%2f..%2f..%2fetc%2fpasswd HTTP/1.1\r\nHost: h\r\n\r\n"
            "GET /x/%252e%252e/%252e%252e/etc/passwd HTTP/1.1\r\nHost: h\r\n\r\n"
            "GET /scripts/..\\..\\winnt/system32/cmd.exe HTTP/1.1\r\nHost: h\r\n\r\n"
            "GET /static/./css/../img//logo.png?v=1 HTTP/1.1\r\nHost: h\r\n\r\n"));
}

static void chk_nul(const struct rec *r)
{
    assert_once(r, 0, false);
    assert_once(r, 1, false);
    assert_once(r, 2, false);
    ASSERT_BUF(r->tx[0].uri, "/shell.php\0.jpg");
    ASSERT_BUF(r->tx[0].uri_raw, "/shell.php%00.jpg");
    assert_true(r->tx[0].a_rh & IPS_HTTP_A_NUL_IN_URI);
    ASSERT_BUF(r->tx[1].uri, "/a\0b");
    assert_true(r->tx[1].a_rh & IPS_HTTP_A_NUL_IN_URI);
    ASSERT_BUF(r->tx[2].query, "f=x\0y");
    assert_true(r->tx[2].a_rh & IPS_HTTP_A_NUL_IN_URI);
}

static void test_nul(void **state)
{
    (void)state;
    RUN(chk_nul, false, NULL,
        REQ("GET /shell.php%00.jpg HTTP/1.1\r\nHost: h\r\n\r\n"
            "GET /a\0b HTTP/1.1\r\nHost: h\r\n\r\n"
            "GET /q?f=x%00y HTTP/1.1\r\nHost: h\r\n\r\n"));
}

static void chk_methods(const struct rec *r)
{
    for (int i = 0; i < 3; i++)
        assert_once(r, i, true);
    ASSERT_BUF(r->tx[0].method, "gEt");
    assert_true(r->tx[0].a_rh & IPS_HTTP_A_METHOD_CASE);
    assert_false(r->tx[0].a_rh & IPS_HTTP_A_METHOD_UNKNOWN);
    ASSERT_BUF(r->tx[0].uri, "/x");
    ASSERT_BUF(r->tx[1].method, "BREW");
    assert_true(r->tx[1].a_rh & IPS_HTTP_A_METHOD_UNKNOWN);
    ASSERT_BUF(r->tx[1].req_body, "abc");
    ASSERT_BUF(r->tx[2].method, "DELETE");
    assert_false(r->tx[2].a_rh & (IPS_HTTP_A_METHOD_CASE | IPS_HTTP_A_METHOD_UNKNOWN));
}

static void test_methods(void **state)
{
    (void)state;
    RUN(chk_methods, false, NULL,
        REQ("gEt /x HTTP/1.1\r\nHost: h\r\n\r\n"), RES("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
        REQ("BREW /pot HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"),
        RES("HTTP/1.1 418 I'm a teapot\r\nContent-Length: 0\r\n\r\n"),
        REQ("DELETE /y HTTP/1.1\r\nHost: h\r\n\r\n"), RES("HTTP/1.1 204 No Content\r\n\r\n"));
}

static void chk_folding(const struct rec *r)
{
    assert_once(r, 0, true);
    ASSERT_BUF(r->tx[0].ua, "Mozilla/5.0\tevil"); /* libhtp keeps the fold whitespace */
    assert_true(r->tx[0].a_rh & IPS_HTTP_A_HEADER_FOLDING);
    assert_true(r->tx[0].a_sb & IPS_HTTP_A_HEADER_FOLDING);
    ASSERT_BUF(r->tx[0].headers, "host: h\r\nuser-agent: Mozilla/5.0\tevil\r\naccept: */*\r\n");
}

static void test_folding(void **state)
{
    (void)state;
    RUN(chk_folding, false, NULL,
        REQ("GET / HTTP/1.1\r\nHost: h\r\nUser-Agent: Mozilla/5.0\r\n\tevil\r\nAccept: */*\r\n\r\n"),
        RES("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
}

static void chk_smuggling(const struct rec *r)
{
    assert_once(r, 0, false);
    assert_true(r->tx[0].a_rh & IPS_HTTP_A_SMUGGLING);
    ASSERT_BUF(r->tx[0].req_body, "abc"); /* chunked wins, as RFC 7230 3.3.3 says */
    ASSERT_BUF(r->tx[0].headers, "host: h\r\ncontent-length: 30\r\ntransfer-encoding: chunked\r\n");
    assert_once(r, 1, false);
    ASSERT_BUF(r->tx[1].uri, "/next");
    assert_false(r->tx[1].a_rh & IPS_HTTP_A_SMUGGLING);
}

static void test_smuggling(void **state)
{
    (void)state;
    RUN(chk_smuggling, false, NULL,
        REQ("POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 30\r\nTransfer-Encoding: chunked\r\n\r\n"
            "3\r\nabc\r\n0\r\n\r\nGET /next HTTP/1.1\r\nHost: h\r\n\r\n"));
}

static void chk_double_cl(const struct rec *r)
{
    assert_int_equal(r->tx[0].n_rh, 1);
    assert_true(r->tx[0].a_rh & IPS_HTTP_A_SMUGGLING);
}

static void test_double_cl(void **state)
{
    (void)state;
    RUN(chk_double_cl, false, NULL,
        REQ("POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 40\r\n\r\nabc"));
}

static void chk_http10(const struct rec *r)
{
    const struct rtx *x = &r->tx[0];
    assert_once(r, 0, true);
    assert_int_equal(x->proto, 100);
    ASSERT_BUF(x->host, "");
    assert_false(x->a_rh & IPS_HTTP_A_HOST_MISSING);
    assert_int_equal(x->status, 200);
    ASSERT_BUF(x->res_body, "body until the server closes");
    assert_true(x->res_complete);
}

static void test_http10(void **state)
{
    (void)state;
    RUN(chk_http10, true, NULL, REQ("GET /old HTTP/1.0\r\n\r\n"),
        RES("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nbody until the server closes"));
}

static void chk_status(const struct rec *r)
{
    assert_once(r, 0, true);
    assert_once(r, 1, true);
    assert_int_equal(r->tx[0].status, 404);
    ASSERT_BUF(r->tx[0].stat_code, "404");
    ASSERT_BUF(r->tx[0].stat_msg, "Not Found");
    ASSERT_BUF(r->tx[0].res_body, "nope");
    assert_false(r->tx[0].a_sb & IPS_HTTP_A_STATUS_INVALID);
    assert_int_equal(r->tx[1].status, -1);
    ASSERT_BUF(r->tx[1].stat_code, "2x0");
    assert_true(r->tx[1].a_sh & IPS_HTTP_A_STATUS_INVALID);
    assert_false(r->tx[1].a_rh & IPS_HTTP_A_STATUS_INVALID);
}

static void test_status(void **state)
{
    (void)state;
    RUN(chk_status, false, NULL, REQ("GET /missing HTTP/1.1\r\nHost: h\r\n\r\n"),
        RES("HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\nnope"),
        REQ("GET /odd HTTP/1.1\r\nHost: h\r\n\r\n"),
        RES("HTTP/1.1 2x0 Weird\r\nContent-Length: 0\r\n\r\n"));
}

static const struct ips_http_cfg small_limits = {
    .request_body_limit = 10,
    .response_body_limit = 4,
    .field_limit = 4096,
    .pending_limit = 4096,
    .decompress_response = true,
};

static void chk_limits(const struct rec *r)
{
    const struct rtx *x = &r->tx[0];
    assert_once(r, 0, true);
    ASSERT_BUF(x->req_body, "0123456789");
    assert_true(x->a_rb & IPS_HTTP_A_REQ_BODY_TRUNCATED);
    assert_false(x->req_complete); /* fired at the limit, before the rest arrived */
    assert_true(x->req_seen > 10 && x->req_seen <= 26);
    assert_int_equal(x->req_data, 26); /* streaming callback saw every byte */
    ASSERT_BUF(x->res_body, "ABCD");
    assert_true(x->a_sb & IPS_HTTP_A_RES_BODY_TRUNCATED);
    assert_int_equal(x->res_data, 8);
    /* exactly at the limit: complete, not truncated */
    const struct rtx *y = &r->tx[1];
    assert_once(r, 1, true);
    ASSERT_BUF(y->req_body, "0123456789");
    assert_true(y->req_complete);
    assert_false(y->a_rb & IPS_HTTP_A_REQ_BODY_TRUNCATED);
    ASSERT_BUF(y->res_body, "WXYZ");
    assert_true(y->res_complete);
    assert_false(y->a_sb & (IPS_HTTP_A_RES_BODY_TRUNCATED | IPS_HTTP_A_REQ_BODY_TRUNCATED));
}

static void test_limits(void **state)
{
    (void)state;
    RUN(chk_limits, false, &small_limits,
        REQ("POST /up HTTP/1.1\r\nHost: h\r\nContent-Length: 26\r\n\r\n0123456789abcdefghijklmnop"),
        RES("HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nABCDEFGH"),
        REQ("POST /up HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0123456789"),
        RES("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nWXYZ"));
}

static void chk_gzip(const struct rec *r)
{
    assert_once(r, 0, true);
    ASSERT_BUF(r->tx[0].res_body, "hello gzip world, hello gzip world");
    assert_true(r->tx[0].res_complete);
    assert_once(r, 1, true);
    ASSERT_BUF(r->tx[1].res_body, "deflated body");
    assert_false(r->tx[1].a_sb & IPS_HTTP_A_DECOMPRESS_ERROR);
    assert_once(r, 2, true);
    ASSERT_BUF(r->tx[2].res_body, "deflated body"); /* raw deflate, as some servers send */
    assert_once(r, 3, true);
    assert_true(r->tx[3].a_sb & IPS_HTTP_A_DECOMPRESS_ERROR);
}

static void test_gzip(void **state)
{
    (void)state;
    RUN(chk_gzip, false, NULL, REQ("GET /z HTTP/1.1\r\nHost: h\r\n\r\n"),
        RES("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 41\r\n\r\n"
            "\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03\xcb\x48\xcd\xc9\xc9\x57\x48\xaf\xca\x2c\x50"
            "\x28\xcf\x2f\xca\x49\xd1\x51\xc8\x40\x13\x01\x00\xa0\x7d\xcc\x30\x22\x00\x00\x00"),
        REQ("GET /d HTTP/1.1\r\nHost: h\r\n\r\n"),
        RES("HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\nContent-Length: 21\r\n\r\n"
            "\x78\x9c\x4b\x49\x4d\xcb\x49\x2c\x49\x4d\x51\x48\xca\x4f\xa9\x04\x00\x23\x51\x05\x08"),
        REQ("GET /r HTTP/1.1\r\nHost: h\r\n\r\n"),
        RES("HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\nContent-Length: 15\r\n\r\n"
            "\x4b\x49\x4d\xcb\x49\x2c\x49\x4d\x51\x48\xca\x4f\xa9\x04\x00"),
        REQ("GET /bad HTTP/1.1\r\nHost: h\r\n\r\n"),
        RES("HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\nContent-Length: 6\r\n\r\n"
            "\x78\x9c\xff\xff\xff\xff"));
}

static void chk_expect_continue(const struct rec *r)
{
    assert_once(r, 0, true);
    ASSERT_BUF(r->tx[0].req_body, "abc");
    assert_int_equal(r->tx[0].status, 200); /* the interim 100 is not a transaction */
    ASSERT_BUF(r->tx[0].res_body, "ok");
    assert_int_equal(r->tx[1].n_sh, 0);
}

static void test_expect_continue(void **state)
{
    (void)state;
    RUN(chk_expect_continue, false, NULL,
        REQ("POST /u HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n"),
        RES("HTTP/1.1 100 Continue\r\n\r\n"), REQ("abc"),
        RES("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
}

/* A request after a refused CONNECT waits (buffered) until the response is seen. */
static void chk_connect_refused(const struct rec *r)
{
    assert_int_equal(r->tx[0].n_rh, 1);
    ASSERT_BUF(r->tx[0].method, "CONNECT");
    assert_int_equal(r->tx[0].status, 407);
    assert_once(r, 1, false);
    ASSERT_BUF(r->tx[1].uri, "/after-connect");
}

static void test_connect_refused(void **state)
{
    (void)state;
    RUN(chk_connect_refused, false, NULL,
        REQ("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"
            "GET /after-connect HTTP/1.1\r\nHost: h\r\n\r\n"),
        RES("HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n"));
}

static void chk_connect_ok(const struct rec *r)
{
    assert_int_equal(r->tx[0].n_rh, 1);
    assert_int_equal(r->tx[0].status, 200);
    assert_int_equal(r->tx[1].n_rh, 0); /* tunnelled bytes are not parsed as HTTP */
}

static void test_connect_tunnel(void **state)
{
    (void)state;
    static const struct seg segs[] = {
        REQ("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"),
        RES("HTTP/1.1 200 Connection established\r\n\r\n"),
        REQ("GET /not-http HTTP/1.1\r\nHost: h\r\n\r\n"),
    };
    const struct run ru = {segs, 3, false, NULL, IPS_HTTP_TUNNEL};
    run_all(&ru, chk_connect_ok);
}

static void test_pending_limit(void **state)
{
    (void)state;
    struct ips_http_cfg cfg;
    ips_http_cfg_init(&cfg);
    cfg.pending_limit = 64;
    struct rec r;
    memset(&r, 0, sizeof r);
    struct ips_http_conn *c = ips_http_conn_new(&cfg, &callbacks, &r);
    const char *con = "CONNECT a:443 HTTP/1.1\r\n\r\n";
    assert_int_equal(ips_http_feed(c, IPS_HTTP_TO_SERVER, (const uint8_t *)con, strlen(con), 1),
                     IPS_HTTP_OK);
    uint8_t junk[40];
    memset(junk, 'x', sizeof junk);
    assert_int_equal(ips_http_feed(c, IPS_HTTP_TO_SERVER, junk, sizeof junk, 2), IPS_HTTP_OK);
    assert_int_equal(ips_http_feed(c, IPS_HTTP_TO_SERVER, junk, sizeof junk, 3), IPS_HTTP_ERROR);
    /* dead from now on */
    assert_int_equal(ips_http_feed(c, IPS_HTTP_TO_CLIENT, junk, 1, 4), IPS_HTTP_ERROR);
    ips_http_conn_free(c);
    rec_free(&r);
}

static void test_garbage_is_error(void **state)
{
    (void)state;
    struct ips_http_cfg cfg;
    ips_http_cfg_init(&cfg);
    cfg.field_limit = 100;
    struct ips_http_conn *c = ips_http_conn_new(&cfg, NULL, NULL);
    uint8_t line[300];
    memset(line, 'A', sizeof line);
    assert_int_equal(ips_http_feed(c, IPS_HTTP_TO_SERVER, line, sizeof line, 1), IPS_HTTP_ERROR);
    ips_http_conn_free(c);
}

/* Headers are inspected before the body arrives; the conn can be freed mid-transaction. */
static void test_headers_before_body(void **state)
{
    (void)state;
    struct rec r;
    memset(&r, 0, sizeof r);
    struct ips_http_conn *c = ips_http_conn_new(NULL, &callbacks, &r);
    const char *h = "POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\n";
    assert_int_equal(ips_http_feed(c, IPS_HTTP_TO_SERVER, (const uint8_t *)h, strlen(h), 1),
                     IPS_HTTP_OK);
    assert_int_equal(r.tx[0].n_rh, 1);
    ASSERT_BUF(r.tx[0].uri, "/upload");
    assert_int_equal(r.tx[0].n_rb, 0);
    assert_int_equal(ips_http_feed(c, IPS_HTTP_TO_SERVER, (const uint8_t *)"abc", 3, 2), IPS_HTTP_OK);
    assert_int_equal(r.tx[0].n_rb, 0);
    assert_int_equal(r.tx[0].req_data, 3);
    ips_http_conn_free(c);
    assert_int_equal(r.tx[0].n_rb, 0);
    rec_free(&r);
}

/* Many keep-alive transactions: state is released as transactions complete. */
/* A finished transaction's state is reused for the next one: nothing of the first may show. */
static void chk_reuse(const struct rec *r)
{
    const struct rtx *x = r->tx;
    assert_once(r, 0, true);
    ASSERT_BUF(x[0].form, "user=admin'--&z");
    ASSERT_BUF(x[0].cookie, "s=1");
    assert_true(x[0].a_rh & IPS_HTTP_A_HEADER_FOLDING);
    ASSERT_BUF(x[0].res_body, "secret");
    assert_once(r, 1, true);
    ASSERT_BUF(x[1].uri, "/b");
    ASSERT_BUF(x[1].query, "");
    ASSERT_BUF(x[1].cookie, "");
    ASSERT_BUF(x[1].ua, "");
    ASSERT_BUF(x[1].headers, "host: h\r\n");
    ASSERT_BUF(x[1].req_body, "");
    ASSERT_BUF(x[1].form, "");
    assert_int_equal(x[1].req_seen, 0);
    assert_int_equal(REAL(x[1].a_rh), 0);
    assert_int_equal(REAL(x[1].a_sb), 0);
    ASSERT_BUF(x[1].res_headers, "content-length: 2\r\n");
    ASSERT_BUF(x[1].res_body, "ok");
    assert_int_equal(x[1].res_seen, 2);
}

static void test_state_reuse(void **state)
{
    (void)state;
    RUN(chk_reuse, false, NULL,
        REQ("POST /a?q=1 HTTP/1.1\r\nHost: h\r\nCookie: s=1\r\nUser-Agent: x\r\n\ty\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 17\r\n\r\n"
            "user=admin%27--&z"),
        RES("HTTP/1.1 200 OK\r\nContent-Length: 6\r\nX-A: b\r\n\r\nsecret"),
        REQ("GET /b HTTP/1.1\r\nHost: h\r\n\r\n"),
        RES("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
}

/* Same after a transaction whose buffers grew large (they are released, not kept). */
static void test_state_reuse_large(void **state)
{
    (void)state;
    struct rec r;
    memset(&r, 0, sizeof r);
    struct ips_http_conn *c = ips_http_conn_new(NULL, &callbacks, &r);
    enum { BIG = 200 * 1024 };
    char *big = malloc(BIG + 128);
    assert_non_null(big);
    int h = snprintf(big, 128, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n", BIG);
    memset(big + h, 'A', BIG);
    const char *q1 = "GET /a HTTP/1.1\r\nHost: h\r\n\r\n";
    const char *q2 = "GET /b HTTP/1.1\r\nHost: h\r\n\r\n";
    const char *a2 = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    assert_int_equal(ips_http_feed(c, IPS_HTTP_TO_SERVER, (const uint8_t *)q1, strlen(q1), 1),
                     IPS_HTTP_OK);
    assert_int_equal(ips_http_feed(c, IPS_HTTP_TO_CLIENT, (const uint8_t *)big,
                                   (size_t)h + BIG, 2), IPS_HTTP_OK);
    assert_int_equal(ips_http_feed(c, IPS_HTTP_TO_SERVER, (const uint8_t *)q2, strlen(q2), 3),
                     IPS_HTTP_OK);
    assert_int_equal(ips_http_feed(c, IPS_HTTP_TO_CLIENT, (const uint8_t *)a2, strlen(a2), 4),
                     IPS_HTTP_OK);
    assert_int_equal(r.tx[0].res_seen, BIG);
    assert_int_equal(r.tx[0].res_body.n, BIG);
    ASSERT_BUF(r.tx[1].uri, "/b");
    ASSERT_BUF(r.tx[1].res_body, "ok");
    free(big);
    ips_http_conn_free(c);
    rec_free(&r);
}

static void test_many_transactions(void **state)
{
    (void)state;
    struct ips_http_conn *c = ips_http_conn_new(NULL, NULL, NULL);
    const char *q = "GET /x HTTP/1.1\r\nHost: h\r\n\r\n";
    const char *a = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc";
    for (int i = 0; i < 5000; i++) {
        assert_int_equal(ips_http_feed(c, IPS_HTTP_TO_SERVER, (const uint8_t *)q, strlen(q), 1),
                         IPS_HTTP_OK);
        assert_int_equal(ips_http_feed(c, IPS_HTTP_TO_CLIENT, (const uint8_t *)a, strlen(a), 2),
                         IPS_HTTP_OK);
    }
    ips_http_conn_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple_get),     cmocka_unit_test(test_query),
        cmocka_unit_test(test_cookies),        cmocka_unit_test(test_post_form),
        cmocka_unit_test(test_chunked),        cmocka_unit_test(test_trailer),
        cmocka_unit_test(test_pipelined),
        cmocka_unit_test(test_keepalive),      cmocka_unit_test(test_encoding),
        cmocka_unit_test(test_paths),          cmocka_unit_test(test_nul),
        cmocka_unit_test(test_methods),        cmocka_unit_test(test_folding),
        cmocka_unit_test(test_smuggling),      cmocka_unit_test(test_double_cl),
        cmocka_unit_test(test_http10),         cmocka_unit_test(test_status),
        cmocka_unit_test(test_limits),         cmocka_unit_test(test_gzip),
        cmocka_unit_test(test_expect_continue),
        cmocka_unit_test(test_connect_refused), cmocka_unit_test(test_connect_tunnel),
        cmocka_unit_test(test_pending_limit),  cmocka_unit_test(test_garbage_is_error),
        cmocka_unit_test(test_headers_before_body), cmocka_unit_test(test_many_transactions),
        cmocka_unit_test(test_state_reuse),    cmocka_unit_test(test_state_reuse_large),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
