/* http_parser.c - HTTP/1.x inspection on top of libhtp: per-connection parser, inspection
 * point callbacks, normalised buffers, body limits and anomaly flags. No I/O. */
#include "ips/http/http_parser.h"

#include <htp/htp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"
#include "common/util.h"
#include "ips/http/http_inflate.h"
#include "ips/http/http_norm.h"

#define MIB (1024 * 1024)
/* A finished transaction's buffers are kept for the next one unless one grew beyond this. */
#define SPARE_KEEP_MAX (64 * 1024)

struct ips_http_conn {
    struct ips_http_cfg cfg;
    struct ips_http_callbacks cb;
    void *user;
    htp_cfg_t *hcfg;
    htp_connp_t *connp;
    struct hs_buf pending[2]; /* bytes libhtp could not take yet (it waits for the other side) */
    htp_time_t ts;
    struct txstate *spare;  /* a finished transaction's state, kept for the next one */
    bool dead;   /* libhtp error, pending overflow, or closed */
    bool tunnel; /* CONNECT / upgrade: no more HTTP */
};

/* Our state for one libhtp transaction (htp_tx_t user data). */
struct txstate {
    struct ips_http_tx v;
    struct hs_buf uri, path, query, host, headers, req_body, form, res_headers, res_body;
    uint64_t own; /* anomalies found here rather than by libhtp */
    struct ips_http_fold_scan req_fold, res_fold;
    struct ips_http_inflate *inflate; /* our deflate decoder (libhtp's is bypassed) */
    bool req_headers_done, req_body_done, res_headers_done, res_body_done;
};

static const uint8_t empty[1] = {0};

static void die(const char *what)
{
    fprintf(stderr, "honeyshift: libhtp: %s failed (out of memory)\n", what);
    abort();
}

static struct ips_http_buf from_buf(const struct hs_buf *b)
{
    return (struct ips_http_buf){b->len ? b->data : empty, b->len};
}

static struct ips_http_buf from_bstr(const bstr *b)
{
    if (!b || bstr_len(b) == 0)
        return (struct ips_http_buf){empty, 0};
    return (struct ips_http_buf){bstr_ptr(b), bstr_len(b)};
}

/* hs_buf_put that accepts n == 0 on a buffer never allocated (hs_buf_put would form NULL+0). */
static void put(struct hs_buf *b, const void *p, size_t n)
{
    if (n)
        hs_buf_put(b, p, n);
}

static bstr *xbstr_dup(const void *p, size_t n)
{
    bstr *b = bstr_dup_mem(p, n);
    if (!b)
        die("bstr_dup_mem");
    return b;
}

/* ---- anomaly mapping ---------------------------------------------------------------- */

static const struct {
    uint64_t htp;
    uint64_t ours;
} flag_map[] = {
    {HTP_PATH_ENCODED_NUL | HTP_PATH_RAW_NUL | HTP_URLEN_ENCODED_NUL | HTP_URLEN_RAW_NUL,
     IPS_HTTP_A_NUL_IN_URI},
    {HTP_PATH_INVALID_ENCODING | HTP_URLEN_INVALID_ENCODING, IPS_HTTP_A_INVALID_ENCODING},
    {HTP_PATH_OVERLONG_U | HTP_URLEN_OVERLONG_U | HTP_PATH_UTF8_OVERLONG, IPS_HTTP_A_OVERLONG},
    {HTP_PATH_ENCODED_SEPARATOR, IPS_HTTP_A_ENCODED_SEPARATOR},
    {HTP_PATH_UTF8_INVALID, IPS_HTTP_A_INVALID_UTF8},
    {HTP_PATH_HALF_FULL_RANGE | HTP_URLEN_HALF_FULL_RANGE, IPS_HTTP_A_FULLWIDTH},
    {HTP_REQUEST_SMUGGLING, IPS_HTTP_A_SMUGGLING},
    {HTP_REQUEST_INVALID_T_E, IPS_HTTP_A_INVALID_TE},
    {HTP_REQUEST_INVALID_C_L, IPS_HTTP_A_INVALID_CL},
    {HTP_FIELD_FOLDED, IPS_HTTP_A_HEADER_FOLDING},
    {HTP_INVALID_FOLDING, IPS_HTTP_A_INVALID_FOLDING},
    {HTP_FIELD_UNPARSEABLE | HTP_FIELD_INVALID | HTP_FIELD_LONG, IPS_HTTP_A_HEADER_INVALID},
    {HTP_FIELD_RAW_NUL, IPS_HTTP_A_NUL_IN_HEADER},
    {HTP_FIELD_REPEATED, IPS_HTTP_A_HEADER_REPEATED},
    {HTP_HEADERS_TOO_MANY, IPS_HTTP_A_HEADERS_TOO_MANY},
    {HTP_HOST_MISSING, IPS_HTTP_A_HOST_MISSING},
    {HTP_HOST_AMBIGUOUS, IPS_HTTP_A_HOST_AMBIGUOUS},
    {HTP_HOSTU_INVALID | HTP_HOSTH_INVALID, IPS_HTTP_A_HOST_INVALID},
    {HTP_REQUEST_INVALID | HTP_PATH_INVALID, IPS_HTTP_A_REQUEST_INVALID},
    {HTP_STATUS_LINE_INVALID, IPS_HTTP_A_STATUS_INVALID},
};

static uint64_t map_flags(uint64_t f)
{
    uint64_t a = 0;
    for (size_t i = 0; i < HS_ARRAY_SIZE(flag_map); i++)
        if (f & flag_map[i].htp)
            a |= flag_map[i].ours;
    return a;
}

/* Flags libhtp leaves on individual headers only. */
static uint64_t header_flags(const htp_table_t *t)
{
    uint64_t f = 0;
    for (size_t i = 0, n = t ? htp_table_size(t) : 0; i < n; i++) {
        const htp_header_t *h = htp_table_get_index(t, i, NULL);
        if (h)
            f |= h->flags;
    }
    return f;
}

/* ---- transaction state -------------------------------------------------------------- */

static struct ips_http_conn *conn_of(const htp_tx_t *tx)
{
    return htp_connp_get_user_data(tx->connp);
}

static struct txstate *state_of(htp_tx_t *tx)
{
    struct txstate *s = htp_tx_get_user_data(tx);
    if (!s) {
        struct ips_http_conn *c = conn_of(tx);
        s = c->spare;
        if (s) {
            c->spare = NULL; /* cleared by keep_spare: buffers empty, storage kept */
        } else {
            s = xcalloc(1, sizeof *s);
        }
        struct ips_http_tx *v = &s->v;
        struct ips_http_buf *all[] = {
            &v->request_line, &v->method,       &v->uri_raw,      &v->uri,
            &v->path,         &v->query_raw,    &v->query,        &v->host,
            &v->host_raw,     &v->user_agent,   &v->cookie,       &v->headers,
            &v->content_type, &v->request_body, &v->request_form, &v->stat_code,
            &v->stat_msg,     &v->response_line, &v->response_headers,
            &v->response_content_type, &v->response_body,
        };
        for (size_t i = 0; i < HS_ARRAY_SIZE(all); i++)
            *all[i] = (struct ips_http_buf){empty, 0};
        v->index = tx->index;
        htp_tx_set_user_data(tx, s);
    }
    return s;
}

static void state_free(struct txstate *s)
{
    if (!s)
        return;
    struct hs_buf *bufs[] = {&s->uri, &s->path, &s->query, &s->host, &s->headers,
                             &s->req_body, &s->form, &s->res_headers, &s->res_body};
    for (size_t i = 0; i < HS_ARRAY_SIZE(bufs); i++)
        hs_buf_free(bufs[i]);
    ips_http_inflate_free(s->inflate);
    free(s);
}

/* Keep a finished transaction's state as the connection's spare (its buffers emptied, their
 * storage kept unless large), or free it when there is one already. */
static void keep_spare(struct ips_http_conn *c, struct txstate *s)
{
    if (!s)
        return;
    struct hs_buf *bufs[] = {&s->uri, &s->path, &s->query, &s->host, &s->headers,
                             &s->req_body, &s->form, &s->res_headers, &s->res_body};
    bool small = true;
    for (size_t i = 0; i < HS_ARRAY_SIZE(bufs); i++)
        small = small && bufs[i]->cap <= SPARE_KEEP_MAX;
    if (c->spare || !small) {
        state_free(s);
        return;
    }
    ips_http_inflate_free(s->inflate);
    struct txstate keep = {.uri = s->uri, .path = s->path, .query = s->query, .host = s->host,
                           .headers = s->headers, .req_body = s->req_body, .form = s->form,
                           .res_headers = s->res_headers, .res_body = s->res_body};
    *s = keep;
    for (size_t i = 0; i < HS_ARRAY_SIZE(bufs); i++)
        hs_buf_clear(bufs[i]);
    c->spare = s;
}

/* Append "name: value\r\n" for every header, names lowercased. */
static void put_headers(struct hs_buf *out, const htp_table_t *t)
{
    hs_buf_clear(out);
    for (size_t i = 0, n = t ? htp_table_size(t) : 0; i < n; i++) {
        const htp_header_t *h = htp_table_get_index(t, i, NULL);
        if (!h || !h->name)
            continue;
        size_t nl = bstr_len(h->name), vl = h->value ? bstr_len(h->value) : 0;
        uint8_t *o = hs_buf_reserve(out, nl + vl + 4); /* one reservation per header */
        if (nl) {
            memcpy(o, bstr_ptr(h->name), nl);
            ips_http_lower(o, nl);
        }
        o[nl] = ':';
        o[nl + 1] = ' ';
        if (vl)
            memcpy(o + nl + 2, bstr_ptr(h->value), vl);
        o[nl + 2 + vl] = '\r';
        o[nl + 3 + vl] = '\n';
        out->len += nl + vl + 4;
    }
}

static struct ips_http_buf header_value(const htp_table_t *t, const char *name)
{
    const htp_header_t *h = t ? htp_table_get_c(t, name) : NULL;
    return from_bstr(h ? h->value : NULL);
}

/* URL-decode [p, p+n) into out with libhtp's decoder for ctx; a second pass is applied (and
 * flagged) when escapes survive the first one. Returns libhtp's HTP_URLEN_* flags. */
static uint64_t url_decode(htp_cfg_t *cfg, enum htp_decoder_ctx_t ctx, const uint8_t *p, size_t n,
                           struct hs_buf *out, uint64_t *own)
{
    uint64_t flags = 0;
    hs_buf_clear(out);
    if (n == 0)
        return 0;
    bstr *b = xbstr_dup(p, n);
    htp_urldecode_inplace(cfg, ctx, b, &flags);
    if (ips_http_has_escape(bstr_ptr(b), bstr_len(b))) {
        *own |= IPS_HTTP_A_DOUBLE_ENCODING;
        htp_urldecode_inplace(cfg, ctx, b, &flags);
    }
    put(out, bstr_ptr(b), bstr_len(b));
    bstr_free(b);
    return flags;
}

/* True when the raw path, decoded (twice if needed) but not folded, climbs above "/". */
static bool raw_path_escapes_root(htp_cfg_t *cfg, const bstr *raw)
{
    if (!raw || bstr_len(raw) == 0)
        return false;
    struct hs_buf tmp = HS_BUF_INIT;
    uint64_t ignored = 0;
    url_decode(cfg, HTP_DECODER_URL_PATH, bstr_ptr(raw), bstr_len(raw), &tmp, &ignored);
    ips_http_backslash_to_slash(tmp.data, tmp.len);
    bool above = false;
    ips_http_path_fold(tmp.data, tmp.len, &above);
    hs_buf_free(&tmp);
    return above;
}

/* Build the normalised path: libhtp's decoded path, a second decode when escapes remain
 * (double encoding), then our folding (covers "//" produced by decoding, e.g. %c0%af). */
static void build_path(struct txstate *s, htp_tx_t *tx)
{
    const htp_uri_t *pu = tx->parsed_uri, *ru = tx->parsed_uri_raw;
    hs_buf_clear(&s->path);
    if (!pu || !pu->path) {
        /* No path (CONNECT authority, "*", HTTP/0.9 oddities): keep the target as sent. */
        if (tx->request_uri)
            put(&s->path, bstr_ptr(tx->request_uri), bstr_len(tx->request_uri));
        return;
    }
    const uint8_t *p = bstr_ptr(pu->path);
    size_t n = bstr_len(pu->path);
    if (ips_http_has_escape(p, n)) {
        uint64_t fl = url_decode(tx->cfg, HTP_DECODER_URL_PATH, p, n, &s->path, &s->own);
        s->own |= IPS_HTTP_A_DOUBLE_ENCODING | map_flags(fl);
    } else {
        put(&s->path, p, n);
    }
    ips_http_backslash_to_slash(s->path.data, s->path.len);
    bool above = false;
    s->path.len = ips_http_path_fold(s->path.data, s->path.len, &above);
    if (above || (ru && raw_path_escapes_root(tx->cfg, ru->path)))
        s->own |= IPS_HTTP_A_PATH_TRAVERSAL;
    if (ru && ru->path && ips_http_has_u_escape(bstr_ptr(ru->path), bstr_len(ru->path)))
        s->own |= IPS_HTTP_A_U_ENCODING;
}

static void build_request(struct txstate *s, htp_tx_t *tx)
{
    struct ips_http_tx *v = &s->v;
    const htp_uri_t *ru = tx->parsed_uri_raw;

    v->index = tx->index;
    v->request_protocol = tx->request_protocol_number;

    build_path(s, tx);
    v->path = from_buf(&s->path);

    const bstr *rq = ru ? ru->query : NULL;
    if (rq) {
        uint64_t fl = url_decode(tx->cfg, HTP_DECODER_URLENCODED, bstr_ptr(rq), bstr_len(rq),
                                 &s->query, &s->own);
        s->own |= map_flags(fl);
        if (ips_http_has_u_escape(bstr_ptr(rq), bstr_len(rq)))
            s->own |= IPS_HTTP_A_U_ENCODING;
    }
    v->query = from_buf(&s->query);

    hs_buf_clear(&s->uri);
    put(&s->uri, s->path.data, s->path.len);
    if (rq) {
        put(&s->uri, "?", 1);
        put(&s->uri, s->query.data, s->query.len);
    }
    v->uri = from_buf(&s->uri);

    hs_buf_clear(&s->host);
    if (tx->request_hostname) {
        put(&s->host, bstr_ptr(tx->request_hostname), bstr_len(tx->request_hostname));
        ips_http_lower(s->host.data, s->host.len);
    }
    v->host = from_buf(&s->host);
    put_headers(&s->headers, tx->request_headers);
    v->headers = from_buf(&s->headers);

    struct ips_http_buf m = from_bstr(tx->request_method);
    switch (ips_http_method_classify(m.ptr, m.len)) {
    case IPS_HTTP_METHOD_CASE:
        s->own |= IPS_HTTP_A_METHOD_CASE;
        break;
    case IPS_HTTP_METHOD_UNKNOWN:
        s->own |= IPS_HTTP_A_METHOD_UNKNOWN;
        break;
    default:
        break;
    }
    /* libhtp does not flag a raw NUL in the request-target; we do. */
    if (tx->request_uri && memchr(bstr_ptr(tx->request_uri), 0, bstr_len(tx->request_uri)))
        s->own |= IPS_HTTP_A_NUL_IN_URI;
    if (tx->is_protocol_0_9)
        s->own |= IPS_HTTP_A_HTTP09;
    if (tx->request_protocol_number == HTP_PROTOCOL_INVALID)
        s->own |= IPS_HTTP_A_REQUEST_INVALID;
    if (s->req_fold.folded)
        s->own |= IPS_HTTP_A_HEADER_FOLDING;
}

static void build_response(struct txstate *s, htp_tx_t *tx)
{
    struct ips_http_tx *v = &s->v;
    v->index = tx->index;
    v->status = tx->response_status_number;
    put_headers(&s->res_headers, tx->response_headers);
    v->response_headers = from_buf(&s->res_headers);
    if (s->res_fold.folded)
        s->own |= IPS_HTTP_A_HEADER_FOLDING;
}

/* One pass over the request headers: the flags of all of them and, when lookup is set, the
 * first header named host, user-agent and cookie (as htp_table_get_c finds them). */
struct req_scan {
    uint64_t flags;
    const htp_header_t *host, *user_agent, *cookie;
    bool have_host, have_user_agent, have_cookie;
};

static void scan_request_headers(const htp_table_t *t, bool lookup, struct req_scan *r)
{
    memset(r, 0, sizeof *r);
    for (size_t i = 0, n = t ? htp_table_size(t) : 0; i < n; i++) {
        bstr *key = NULL;
        const htp_header_t *h = htp_table_get_index(t, i, &key);
        if (h)
            r->flags |= h->flags;
        if (!lookup || !key)
            continue;
        if (!r->have_host && bstr_cmp_c_nocasenorzero(key, "host") == 0) {
            r->have_host = true;
            r->host = h;
        } else if (!r->have_user_agent && bstr_cmp_c_nocasenorzero(key, "user-agent") == 0) {
            r->have_user_agent = true;
            r->user_agent = h;
        } else if (!r->have_cookie && bstr_cmp_c_nocasenorzero(key, "cookie") == 0) {
            r->have_cookie = true;
            r->cookie = h;
        }
    }
}

/* Point the view at libhtp's own strings. Done for every callback, never cached: libhtp may
 * reallocate them later (e.g. a trailer header merged into an existing header). */
static void link_libhtp(struct txstate *s, htp_tx_t *tx, const struct req_scan *rs)
{
    struct ips_http_tx *v = &s->v;
    if (s->req_headers_done) {
        v->request_line = from_bstr(tx->request_line);
        v->method = from_bstr(tx->request_method);
        v->uri_raw = from_bstr(tx->request_uri);
        v->query_raw = from_bstr(tx->parsed_uri_raw ? tx->parsed_uri_raw->query : NULL);
        v->host_raw = from_bstr(rs->host ? rs->host->value : NULL);
        v->user_agent = from_bstr(rs->user_agent ? rs->user_agent->value : NULL);
        v->cookie = from_bstr(rs->cookie ? rs->cookie->value : NULL);
        v->content_type = from_bstr(tx->request_content_type);
    }
    if (s->res_headers_done) {
        v->stat_code = from_bstr(tx->response_status);
        v->stat_msg = from_bstr(tx->response_message);
        v->response_line = from_bstr(tx->response_line);
        v->response_content_type = from_bstr(tx->response_content_type);
    }
}

/* Refresh the view before a callback (bodies, flags and libhtp-owned strings change). */
static const struct ips_http_tx *view(struct txstate *s, htp_tx_t *tx)
{
    struct ips_http_tx *v = &s->v;
    struct req_scan rs;
    scan_request_headers(tx->request_headers, s->req_headers_done, &rs);
    link_libhtp(s, tx, &rs);
    v->request_body = from_buf(&s->req_body);
    v->request_form = from_buf(&s->form);
    v->response_body = from_buf(&s->res_body);
    v->request_complete = tx->request_progress >= HTP_REQUEST_COMPLETE;
    v->response_complete = tx->response_progress >= HTP_RESPONSE_COMPLETE;
    uint64_t f = tx->flags | rs.flags | header_flags(tx->response_headers);
    v->anomalies = s->own | map_flags(f);
    if (tx->conn && (tx->conn->flags & HTP_CONN_PIPELINED))
        v->anomalies |= IPS_HTTP_A_PIPELINED;
    return v;
}

/* Keep up to limit bytes of a body; returns false when bytes had to be dropped. */
static bool keep_body(struct hs_buf *b, size_t limit, const uint8_t *p, size_t n)
{
    size_t room = b->len < limit ? limit - b->len : 0;
    size_t take = n < room ? n : room;
    if (take)
        put(b, p, take);
    return take == n;
}

/* ---- libhtp hooks ------------------------------------------------------------------- */

static int on_req_header_data(htp_tx_data_t *d)
{
    if (d->data && d->len)
        ips_http_fold_scan(&state_of(d->tx)->req_fold, d->data, d->len);
    return HTP_OK;
}

static int on_res_header_data(htp_tx_data_t *d)
{
    if (d->data && d->len)
        ips_http_fold_scan(&state_of(d->tx)->res_fold, d->data, d->len);
    return HTP_OK;
}

static int on_req_headers(htp_tx_t *tx)
{
    struct ips_http_conn *c = conn_of(tx);
    struct txstate *s = state_of(tx);
    if (s->req_headers_done)
        return HTP_OK;
    s->req_headers_done = true;
    build_request(s, tx);
    if (c->cb.request_headers)
        c->cb.request_headers(c->user, view(s, tx));
    return HTP_OK;
}

static void fire_request_body(struct ips_http_conn *c, struct txstate *s, htp_tx_t *tx)
{
    if (!s->req_headers_done || s->req_body_done)
        return;
    s->req_body_done = true;
    const bstr *ct = tx->request_content_type;
    if (ct && bstr_cmp_c(ct, HTP_URLENCODED_MIME_TYPE) == 0) {
        uint64_t fl = url_decode(tx->cfg, HTP_DECODER_URLENCODED, s->req_body.data,
                                 s->req_body.len, &s->form, &s->own);
        s->own |= map_flags(fl);
    }
    if (c->cb.request_body)
        c->cb.request_body(c->user, view(s, tx));
}

static int on_req_body_data(htp_tx_data_t *d)
{
    if (!d->data || d->len == 0)
        return HTP_OK; /* end-of-body marker */
    struct ips_http_conn *c = conn_of(d->tx);
    struct txstate *s = state_of(d->tx);
    s->v.request_body_seen += d->len;
    bool whole = s->req_body_done || keep_body(&s->req_body, c->cfg.request_body_limit,
                                               d->data, d->len);
    if (!whole)
        s->own |= IPS_HTTP_A_REQ_BODY_TRUNCATED;
    if (c->cb.request_body_data && s->req_headers_done)
        c->cb.request_body_data(c->user, view(s, d->tx), d->data, d->len);
    if (!whole)
        fire_request_body(c, s, d->tx);
    return HTP_OK;
}

static int on_req_complete(htp_tx_t *tx)
{
    fire_request_body(conn_of(tx), state_of(tx), tx);
    return HTP_OK;
}

static int on_res_headers(htp_tx_t *tx)
{
    struct ips_http_conn *c = conn_of(tx);
    struct txstate *s = state_of(tx);
    if (s->res_headers_done)
        return HTP_OK;
    s->res_headers_done = true;
    build_response(s, tx);
    /* Plain "deflate": decode it ourselves (libhtp 0.5.42 breaks on a split zlib header). */
    if (c->cfg.decompress_response &&
        tx->response_content_encoding_processing == HTP_COMPRESSION_DEFLATE) {
        struct ips_http_buf ce = header_value(tx->response_headers, "content-encoding");
        if (ce.len == 7 && strncasecmp((const char *)ce.ptr, "deflate", 7) == 0) {
            tx->response_content_encoding_processing = HTP_COMPRESSION_NONE;
            s->inflate = ips_http_inflate_new();
        }
    }
    /* A successful CONNECT or a protocol switch ends HTTP on this connection. */
    int st = tx->response_status_number;
    if ((tx->request_method_number == HTP_M_CONNECT && st >= 200 && st < 300) || st == 101)
        c->tunnel = true;
    if (c->cb.response_headers)
        c->cb.response_headers(c->user, view(s, tx));
    return HTP_OK;
}

static void fire_response_body(struct ips_http_conn *c, struct txstate *s, htp_tx_t *tx)
{
    if (!s->res_headers_done || s->res_body_done)
        return;
    s->res_body_done = true;
    if (c->cb.response_body)
        c->cb.response_body(c->user, view(s, tx));
}

struct res_sink {
    struct ips_http_conn *c;
    struct txstate *s;
    htp_tx_t *tx;
};

/* Take decoded response body bytes; false once the body inspection point has fired. */
static bool res_out(void *arg, const uint8_t *p, size_t n)
{
    struct res_sink *k = arg;
    struct ips_http_conn *c = k->c;
    struct txstate *s = k->s;
    s->v.response_body_seen += n;
    bool whole = s->res_body_done || keep_body(&s->res_body, c->cfg.response_body_limit, p, n);
    if (!whole)
        s->own |= IPS_HTTP_A_RES_BODY_TRUNCATED;
    if (c->cb.response_body_data && s->res_headers_done)
        c->cb.response_body_data(c->user, view(s, k->tx), p, n);
    if (!whole)
        fire_response_body(c, s, k->tx);
    return !s->res_body_done;
}

static int on_res_body_data(htp_tx_data_t *d)
{
    if (!d->data || d->len == 0)
        return HTP_OK;
    struct res_sink k = {conn_of(d->tx), state_of(d->tx), d->tx};
    if (k.s->inflate) {
        if (!ips_http_inflate_feed(k.s->inflate, d->data, d->len, res_out, &k))
            k.s->own |= IPS_HTTP_A_DECOMPRESS_ERROR;
        return HTP_OK;
    }
    res_out(&k, d->data, d->len);
    return HTP_OK;
}

static int on_res_complete(htp_tx_t *tx)
{
    fire_response_body(conn_of(tx), state_of(tx), tx);
    return HTP_OK;
}

/* libhtp destroys the transaction right after this hook (tx_auto_destroy). */
static int on_tx_complete(htp_tx_t *tx)
{
    keep_spare(conn_of(tx), htp_tx_get_user_data(tx));
    htp_tx_set_user_data(tx, NULL);
    return HTP_OK;
}

static int on_log(htp_log_t *l)
{
    if (l->tx && l->level <= HTP_LOG_ERROR && l->level != HTP_LOG_NONE)
        state_of(l->tx)->own |= IPS_HTTP_A_PARSER_ERROR;
    return HTP_OK;
}

/* ---- connection --------------------------------------------------------------------- */

void ips_http_cfg_init(struct ips_http_cfg *cfg)
{
    cfg->request_body_limit = MIB;
    cfg->response_body_limit = MIB;
    cfg->field_limit = 16 * 1024;
    cfg->pending_limit = MIB;
    cfg->decompress_response = true;
}

static htp_cfg_t *make_htp_cfg(const struct ips_http_cfg *cfg)
{
    htp_cfg_t *h = htp_config_create();
    if (!h)
        die("htp_config_create");
    /* The IDS personality: '\\' -> '/', "//" compression, %u and UTF-8 best-fit decoding. */
    htp_config_set_server_personality(h, HTP_SERVER_IDS);
    enum htp_decoder_ctx_t ctxs[] = {HTP_DECODER_URL_PATH, HTP_DECODER_URLENCODED};
    for (size_t i = 0; i < HS_ARRAY_SIZE(ctxs); i++) {
        enum htp_decoder_ctx_t x = ctxs[i];
        htp_config_set_convert_lowercase(h, x, 0); /* case kept; nocase is up to the rules */
        htp_config_set_u_encoding_decode(h, x, 1);
        htp_config_set_nul_encoded_terminates(h, x, 0); /* keep NUL bytes, flag them */
        htp_config_set_nul_raw_terminates(h, x, 0);
        htp_config_set_url_encoding_invalid_handling(h, x, HTP_URL_DECODE_PRESERVE_PERCENT);
    }
    htp_config_set_backslash_convert_slashes(h, HTP_DECODER_URL_PATH, 1);
    htp_config_set_path_separators_decode(h, HTP_DECODER_URL_PATH, 1);
    htp_config_set_path_separators_compress(h, HTP_DECODER_URL_PATH, 1);
    htp_config_set_utf8_convert_bestfit(h, HTP_DECODER_URL_PATH, 1);
    htp_config_set_plusspace_decode(h, HTP_DECODER_URL_PATH, 0);
    htp_config_set_plusspace_decode(h, HTP_DECODER_URLENCODED, 1);
    htp_config_set_field_limits(h, cfg->field_limit, cfg->field_limit);
    htp_config_set_response_decompression(h, cfg->decompress_response ? 1 : 0);
    htp_config_set_tx_auto_destroy(h, 1);
    htp_config_set_log_level(h, HTP_LOG_ERROR);

    htp_config_register_request_header_data(h, on_req_header_data);
    htp_config_register_request_headers(h, on_req_headers);
    htp_config_register_request_body_data(h, on_req_body_data);
    htp_config_register_request_complete(h, on_req_complete);
    htp_config_register_response_header_data(h, on_res_header_data);
    htp_config_register_response_headers(h, on_res_headers);
    htp_config_register_response_body_data(h, on_res_body_data);
    htp_config_register_response_complete(h, on_res_complete);
    htp_config_register_transaction_complete(h, on_tx_complete);
    htp_config_register_log(h, on_log);
    return h;
}

struct ips_http_conn *ips_http_conn_new(const struct ips_http_cfg *cfg,
                                        const struct ips_http_callbacks *cb, void *user)
{
    struct ips_http_conn *c = xcalloc(1, sizeof *c);
    if (cfg)
        c->cfg = *cfg;
    else
        ips_http_cfg_init(&c->cfg);
    if (cb)
        c->cb = *cb;
    c->user = user;
    c->hcfg = make_htp_cfg(&c->cfg);
    c->connp = htp_connp_create(c->hcfg);
    if (!c->connp)
        die("htp_connp_create");
    htp_connp_set_user_data(c->connp, c);
    htp_connp_open(c->connp, NULL, 0, NULL, 0, NULL);
    return c;
}

static void set_time(struct ips_http_conn *c, uint64_t now_us)
{
    c->ts.tv_sec = (time_t)(now_us / 1000000);
    c->ts.tv_usec = (suseconds_t)(now_us % 1000000);
}

/* Hand bytes to libhtp; *used tells how many it took (less when it waits for the other
 * direction). Returns false on a parser error. */
static bool push(struct ips_http_conn *c, int dir, const uint8_t *p, size_t n, size_t *used)
{
    int rc = dir == IPS_HTTP_TO_SERVER ? htp_connp_req_data(c->connp, &c->ts, p, n)
                                       : htp_connp_res_data(c->connp, &c->ts, p, n);
    *used = n;
    if (rc == HTP_STREAM_DATA_OTHER) {
        *used = dir == IPS_HTTP_TO_SERVER ? htp_connp_req_data_consumed(c->connp)
                                          : htp_connp_res_data_consumed(c->connp);
        if (*used > n)
            *used = n;
    } else if (rc == HTP_STREAM_TUNNEL) {
        c->tunnel = true;
    }
    return rc != HTP_STREAM_ERROR;
}

/* Retry buffered bytes of both directions until neither makes progress. */
static bool drain(struct ips_http_conn *c)
{
    bool progress = true;
    while (progress && !c->tunnel) {
        progress = false;
        for (int d = 0; d < 2; d++) {
            struct hs_buf *b = &c->pending[d];
            if (b->len == 0)
                continue;
            size_t used = 0;
            if (!push(c, d, b->data, b->len, &used))
                return false;
            if (c->tunnel)
                break;
            if (used) {
                hs_buf_consume(b, used);
                progress = true;
            }
        }
    }
    return true;
}

static enum ips_http_status result(const struct ips_http_conn *c)
{
    if (c->dead)
        return IPS_HTTP_ERROR;
    return c->tunnel ? IPS_HTTP_TUNNEL : IPS_HTTP_OK;
}

enum ips_http_status ips_http_feed(struct ips_http_conn *c, enum ips_http_dir dir,
                                   const uint8_t *data, size_t len, uint64_t now_us)
{
    if (c->dead || c->tunnel || len == 0)
        return result(c);
    int d = dir == IPS_HTTP_TO_SERVER ? 0 : 1;
    struct hs_buf *b = &c->pending[d];
    set_time(c, now_us);
    if (b->len == 0) {
        size_t used = 0;
        if (!push(c, d, data, len, &used)) {
            c->dead = true;
            return result(c);
        }
        data += used;
        len -= used;
    }
    if (c->tunnel)
        return result(c); /* what follows the switch is not HTTP: not kept */
    if (len > 0) {
        if (len > c->cfg.pending_limit || b->len > c->cfg.pending_limit - len) {
            c->dead = true;
            return result(c);
        }
        put(b, data, len);
    }
    if (!drain(c))
        c->dead = true;
    return result(c);
}

enum ips_http_status ips_http_conn_close(struct ips_http_conn *c, uint64_t now_us)
{
    if (c->dead)
        return IPS_HTTP_ERROR;
    set_time(c, now_us);
    htp_connp_close(c->connp, &c->ts);
    enum ips_http_status st = result(c);
    c->dead = true; /* nothing more may be fed */
    return st;
}

void ips_http_conn_free(struct ips_http_conn *c)
{
    if (!c)
        return;
    const htp_conn_t *conn = htp_connp_get_connection(c->connp);
    if (conn && conn->transactions) {
        for (size_t i = 0, n = htp_list_size(conn->transactions); i < n; i++) {
            htp_tx_t *tx = htp_list_get(conn->transactions, i);
            if (tx) {
                state_free(htp_tx_get_user_data(tx));
                htp_tx_set_user_data(tx, NULL);
            }
        }
    }
    htp_connp_destroy_all(c->connp);
    htp_config_destroy(c->hcfg);
    state_free(c->spare);
    hs_buf_free(&c->pending[0]);
    hs_buf_free(&c->pending[1]);
    free(c);
}
