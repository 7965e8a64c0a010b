/* fuzz_http.c - libFuzzer target for the HTTP layer. Framing: byte 0 selects the config
 * (bit0 small body limits, bit1 no decompression, bit2 close at the end); then records of
 * one header byte (bit7: 0 to_server, 1 to_client; bits0-6: length) followed by that many
 * bytes (fewer at the end of the input). Callbacks read every buffer and check invariants. */
#include <stdint.h>
#include <stdlib.h>

#include "ips/http/http_parser.h"

static size_t req_limit, res_limit;
static volatile uint8_t sink;

static void touch(struct ips_http_buf b)
{
    if (!b.ptr)
        abort();
    for (size_t i = 0; i < b.len; i++)
        sink ^= b.ptr[i];
}

static void touch_tx(const struct ips_http_tx *t)
{
    const struct ips_http_buf bufs[] = {
        t->request_line, t->method,    t->uri_raw,   t->uri,           t->path,
        t->query_raw,    t->query,     t->host,      t->host_raw,      t->user_agent,
        t->cookie,       t->headers,   t->content_type, t->request_body, t->request_form,
        t->stat_code,    t->stat_msg,  t->response_line, t->response_headers,
        t->response_content_type, t->response_body,
    };
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
        touch(bufs[i]);
    if (t->request_body.len > req_limit || t->response_body.len > res_limit)
        abort();
    if (t->request_body.len > t->request_body_seen || t->response_body.len > t->response_body_seen)
        abort();
    if ((t->anomalies & IPS_HTTP_A_REQ_BODY_TRUNCATED) && t->request_body.len != req_limit)
        abort();
}

static void on_tx(void *user, const struct ips_http_tx *t)
{
    (void)user;
    touch_tx(t);
}

static void on_data(void *user, const struct ips_http_tx *t, const uint8_t *d, size_t n)
{
    (void)user;
    touch_tx(t);
    touch((struct ips_http_buf){d, n});
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    struct ips_http_cfg cfg;
    ips_http_cfg_init(&cfg);
    uint8_t mode = data[0];
    if (mode & 1) {
        cfg.request_body_limit = 7;
        cfg.response_body_limit = 5;
        cfg.pending_limit = 300;
        cfg.field_limit = 200;
    }
    cfg.decompress_response = !(mode & 2);
    req_limit = cfg.request_body_limit;
    res_limit = cfg.response_body_limit;
    const struct ips_http_callbacks cb = {on_tx, on_data, on_tx, on_tx, on_data, on_tx};
    struct ips_http_conn *c = ips_http_conn_new(&cfg, &cb, NULL);
    size_t i = 1;
    uint64_t now = 1000000;
    while (i < size) {
        uint8_t h = data[i++];
        size_t n = h & 0x7f;
        if (n > size - i)
            n = size - i;
        ips_http_feed(c, (h & 0x80) ? IPS_HTTP_TO_CLIENT : IPS_HTTP_TO_SERVER, data + i, n, now++);
        i += n;
    }
    if (mode & 4)
        ips_http_conn_close(c, now);
    ips_http_conn_free(c);
    return 0;
}
