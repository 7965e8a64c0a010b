/* test_engine.c - the IPS engine: reassembly + HTTP + rules + verdict policy, EVE JSON,
 * offline requests, reload and the EVE writer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ips/engine/engine.h"
#include "ips/engine/eve_writer.h"

#include "../stream/frame_build.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define F_FIN 0x01
#define F_SYN 0x02
#define F_ACK 0x10
#define F_PA 0x18

#define CLI 0xcb007105u /* 203.0.113.5 (outside HOME_NET) */
#define SRV 0xc612000au /* 198.18.0.10 */
#define CPORT 41000
#define SPORT 80

static const char *RULES =
    "drop http $EXTERNAL_NET any -> $HOME_NET any (msg:\"SQLi union select\"; "
    "flow:established,to_server; http.uri; content:\"union\"; nocase; "
    "pcre:\"/union\\s+select/i\"; classtype:web-application-attack; sid:101; rev:2;)\n"
    "drop http $EXTERNAL_NET any -> $HOME_NET any (msg:\"SQLi in form\"; "
    "flow:established,to_server; http.request_body; content:\"' or 1=1\"; nocase; sid:102;)\n"
    "drop http $HOME_NET any -> $EXTERNAL_NET any (msg:\"passwd leak\"; "
    "flow:established,to_client; http.response_body; content:\"root:x:0:0:\"; sid:103;)\n"
    "alert http $EXTERNAL_NET any -> $HOME_NET any (msg:\"curl seen\"; "
    "flow:established,to_server; http.user_agent; content:\"curl/\"; sid:104;)\n"
    "alert tcp any any -> any 6379 (msg:\"redis flushall\"; flow:to_server; "
    "content:\"FLUSHALL\"; sid:105;)\n";

struct got {
    uint32_t sid, gid;
    char action[16];
    char msg[96];
    char uri[128];
    bool to_server;
    uint32_t src_ip;
};

struct h {
    struct ips_engine *e;
    char path[64];
    struct got a[32];
    size_t n;
    uint32_t cseq, sseq; /* next sequence numbers */
    uint64_t now;
    uint8_t fr[FB_MAX];
};

static void on_alert(void *ctx, const struct ips_alert *a)
{
    struct h *h = ctx;
    assert_true(h->n < 32);
    struct got *g = &h->a[h->n++];
    g->sid = a->sid;
    g->gid = a->gid;
    snprintf(g->action, sizeof g->action, "%s", a->action);
    snprintf(g->msg, sizeof g->msg, "%s", a->msg);
    snprintf(g->uri, sizeof g->uri, "%s", a->http_uri);
    g->to_server = a->to_server;
    g->src_ip = a->src_ip;
}

static char *write_tmp(const char *text)
{
    char *p = strdup("/tmp/hs_engine_rulesXXXXXX");
    assert_non_null(p);
    int fd = mkstemp(p);
    assert_true(fd >= 0);
    size_t n = strlen(text);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    close(fd);
    return p;
}

static struct h *h_new_cfg(const char *rules, size_t body_limit)
{
    struct h *h = calloc(1, sizeof *h);
    assert_non_null(h);
    char *p = write_tmp(rules);
    snprintf(h->path, sizeof h->path, "%s", p);
    free(p);
    const char *files[] = {h->path};
    struct ips_engine_cfg cfg;
    ips_engine_cfg_default(&cfg);
    cfg.rule_files = files;
    cfg.n_rule_files = 1;
    cfg.on_alert = on_alert;
    cfg.ctx = h;
    if (body_limit)
        cfg.body_limit = body_limit;
    char *err = NULL;
    h->e = ips_engine_new(&cfg, &err);
    if (!h->e)
        fail_msg("engine: %s", err);
    h->now = 1000000;
    return h;
}

static struct h *h_new(void) { return h_new_cfg(RULES, 0); }

static void h_free(struct h *h)
{
    ips_engine_free(h->e);
    unlink(h->path);
    free(h);
}

static struct ips_verdict h_send(struct h *h, bool from_client, uint8_t flags, uint32_t seq,
                                 const void *data, size_t len)
{
    struct fb_tcp t = {
        .src = from_client ? CLI : SRV, .dst = from_client ? SRV : CLI,
        .sport = from_client ? CPORT : SPORT, .dport = from_client ? SPORT : CPORT,
        .seq = seq, .ack = from_client ? h->sseq : h->cseq, .flags = flags,
    };
    size_t n = fb_tcp(h->fr, &t, data, len);
    h->now += 1000;
    return ips_engine_frame(h->e, h->fr, n, h->now);
}

/* Client data at the current client sequence number (advances it). */
static struct ips_verdict h_cli(struct h *h, const char *s)
{
    size_t n = strlen(s);
    struct ips_verdict v = h_send(h, true, F_PA, h->cseq, s, n);
    h->cseq += (uint32_t)n;
    return v;
}

static struct ips_verdict h_srv(struct h *h, const char *s)
{
    size_t n = strlen(s);
    struct ips_verdict v = h_send(h, false, F_PA, h->sseq, s, n);
    h->sseq += (uint32_t)n;
    return v;
}

static void h_handshake(struct h *h, uint16_t sport_override)
{
    (void)sport_override;
    h->cseq = 1000;
    h->sseq = 5000;
    assert_int_equal(h_send(h, true, F_SYN, h->cseq, NULL, 0).action, IPS_V_PASS);
    h->cseq++;
    assert_int_equal(h_send(h, false, F_SYN | F_ACK, h->sseq, NULL, 0).action, IPS_V_PASS);
    h->sseq++;
    assert_int_equal(h_send(h, true, F_ACK, h->cseq, NULL, 0).action, IPS_V_PASS);
}

static const struct got *find_sid(const struct h *h, uint32_t sid)
{
    for (size_t i = 0; i < h->n; i++)
        if (h->a[i].sid == sid)
            return &h->a[i];
    return NULL;
}

/* ---------------------------------------------------------------- tests */

static void test_attack_split_segments(void **state)
{
    (void)state;
    struct h *h = h_new();
    h_handshake(h, 0);
    struct ips_verdict v = h_cli(h, "GET /item?id=1+UNI");
    assert_int_equal(v.action, IPS_V_PASS);
    v = h_cli(h, "ON+++SeLeCt+pass+FROM+users HTTP/1.1\r\nHost: shop\r\n");
    assert_int_equal(v.action, IPS_V_PASS);
    assert_int_equal(h->n, 0);
    v = h_cli(h, "User-Agent: x\r\n\r\n"); /* completes the headers */
    assert_int_equal(v.action, IPS_V_DROP);
    assert_true(v.attack);
    assert_false(v.leak);
    assert_int_equal(v.attacker_ip, CLI);
    assert_int_equal(v.attacker_port, CPORT);
    assert_int_equal(v.server_ip, SRV);
    assert_int_equal(v.server_port, SPORT);
    assert_string_equal(v.reason, "rule 101");
    const struct got *g = find_sid(h, 101);
    assert_non_null(g);
    assert_string_equal(g->action, "blocked");
    assert_true(g->to_server);
    assert_int_equal(g->src_ip, CLI);
    assert_string_equal(g->uri, "/item?id=1+UNION+++SeLeCt+pass+FROM+users");
    /* later packets of the flow drop, in both directions, without new alerts */
    size_t n = h->n;
    v = h_cli(h, "GET / HTTP/1.1\r\n\r\n");
    assert_int_equal(v.action, IPS_V_DROP);
    assert_false(v.attack);
    v = h_srv(h, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    assert_int_equal(v.action, IPS_V_DROP);
    assert_int_equal(h->n, n);
    assert_int_equal(ips_engine_stats(h->e).dropped, 3);
    h_free(h);
}

static void test_out_of_order(void **state)
{
    (void)state;
    struct h *h = h_new();
    h_handshake(h, 0);
    const char *p1 = "GET /a?q=x%20union%20", *p2 = "select%201 HTTP/1.1\r\nHost: s\r\n\r\n";
    uint32_t base = h->cseq;
    /* second half first: buffered, passes (the host cannot use it before the gap fills) */
    struct ips_verdict v = h_send(h, true, F_PA, base + (uint32_t)strlen(p1), p2, strlen(p2));
    assert_int_equal(v.action, IPS_V_PASS);
    assert_int_equal(h->n, 0);
    v = h_send(h, true, F_PA, base, p1, strlen(p1));
    assert_int_equal(v.action, IPS_V_DROP);
    assert_true(v.attack);
    assert_non_null(find_sid(h, 101));
    h_free(h);
}

static void test_overlap_conflict(void **state)
{
    (void)state;
    struct h *h = h_new();
    h_handshake(h, 0);
    uint32_t base = h->cseq;
    /* a buffered segment, then an overlapping one with other bytes: dropped + stream alert */
    struct ips_verdict v = h_send(h, true, F_PA, base + 10, "AAAAAAAAAA", 10);
    assert_int_equal(v.action, IPS_V_PASS);
    v = h_send(h, true, F_PA, base + 15, "BBBBBBBBBB", 10);
    assert_int_equal(v.action, IPS_V_DROP);
    assert_false(v.attack);
    assert_string_equal(v.reason, "tcp_overlap_conflict");
    assert_int_equal(h->n, 1);
    assert_int_equal(h->a[0].sid, 0);
    assert_int_equal(h->a[0].gid, 2);
    assert_string_equal(h->a[0].msg, "STREAM tcp_overlap_conflict");
    assert_string_equal(h->a[0].action, "blocked");
    h_free(h);
}

static void test_fragments(void **state)
{
    (void)state;
    struct h *h = h_new();
    h_handshake(h, 0);
    const char *req = "GET /?id=1+union+select+2 HTTP/1.1\r\nHost: s\r\n\r\n";
    struct fb_tcp t = {.src = CLI, .dst = SRV, .sport = CPORT, .dport = SPORT, .seq = h->cseq,
                       .ack = h->sseq, .flags = F_PA, .ip_id = 77};
    static uint8_t whole[FB_MAX], frag[FB_MAX];
    size_t wn = fb_tcp(whole, &t, req, strlen(req));
    uint32_t ip_payload = (uint32_t)(wn - 14 - 20);
    size_t n1 = fb_frag(frag, whole, 14, 0, 24, true, NULL);
    struct ips_verdict v = ips_engine_frame(h->e, frag, n1, 2000000);
    assert_int_equal(v.action, IPS_V_HOLD);
    size_t n2 = fb_frag(frag, whole, 14, 24, ip_payload - 24, false, NULL);
    v = ips_engine_frame(h->e, frag, n2, 2000100);
    assert_int_equal(v.action, IPS_V_DROP);
    assert_true(v.attack);
    assert_non_null(find_sid(h, 101));
    assert_int_equal(ips_engine_stats(h->e).held, 1);
    h_free(h);

    /* benign fragmented request: passes as the reassembled datagram */
    h = h_new();
    h_handshake(h, 0);
    const char *ok = "GET /index.html HTTP/1.1\r\nHost: s\r\n\r\n";
    t.seq = h->cseq;
    t.ack = h->sseq;
    wn = fb_tcp(whole, &t, ok, strlen(ok));
    ip_payload = (uint32_t)(wn - 14 - 20);
    n1 = fb_frag(frag, whole, 14, 0, 16, true, NULL);
    assert_int_equal(ips_engine_frame(h->e, frag, n1, 2000000).action, IPS_V_HOLD);
    n2 = fb_frag(frag, whole, 14, 16, ip_payload - 16, false, NULL);
    v = ips_engine_frame(h->e, frag, n2, 2000100);
    assert_int_equal(v.action, IPS_V_PASS);
    assert_non_null(v.frame);
    assert_int_equal(v.frame_len, wn);
    assert_memory_equal(v.frame + 34, whole + 34, wn - 34);
    assert_int_equal(h->n, 0);
    h_free(h);
}

static void test_egress_leak(void **state)
{
    (void)state;
    struct h *h = h_new();
    h_handshake(h, 0);
    assert_int_equal(h_cli(h, "GET /download?f=notes.txt HTTP/1.1\r\nHost: s\r\n\r\n").action,
                     IPS_V_PASS);
    assert_int_equal(h_srv(h, "HTTP/1.1 200 OK\r\nContent-Length: 43\r\n\r\n").action,
                     IPS_V_PASS);
    struct ips_verdict v = h_srv(h, "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:");
    assert_int_equal(v.action, IPS_V_DROP);
    assert_true(v.leak);
    assert_false(v.attack);
    assert_int_equal(v.attacker_ip, CLI); /* the client that received the data */
    const struct got *g = find_sid(h, 103);
    assert_non_null(g);
    assert_false(g->to_server);
    assert_int_equal(g->src_ip, SRV);
    assert_string_equal(g->action, "blocked");
    h_free(h);
}

static void test_alert_only_passes(void **state)
{
    (void)state;
    struct h *h = h_new();
    h_handshake(h, 0);
    struct ips_verdict v =
        h_cli(h, "GET /x HTTP/1.1\r\nHost: s\r\nUser-Agent: curl/8.0\r\n\r\n");
    assert_int_equal(v.action, IPS_V_PASS);
    assert_false(v.attack);
    assert_int_equal(h->n, 1);
    assert_int_equal(h->a[0].sid, 104);
    assert_string_equal(h->a[0].action, "allowed");
    /* keep-alive: the next request is inspected (and reported) as its own transaction */
    assert_int_equal(h_srv(h, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok").action,
                     IPS_V_PASS);
    v = h_cli(h, "GET /y HTTP/1.1\r\nHost: s\r\nUser-Agent: curl/8.0\r\n\r\n");
    assert_int_equal(v.action, IPS_V_PASS);
    assert_int_equal(h->n, 2);
    assert_string_equal(h->a[1].uri, "/y");
    h_free(h);
}

static void test_form_body_and_pkt_rule(void **state)
{
    (void)state;
    struct h *h = h_new();
    h_handshake(h, 0);
    /* urlencoded form: matched decoded */
    const char *req = "POST /login HTTP/1.1\r\nHost: s\r\n"
                      "Content-Type: application/x-www-form-urlencoded\r\n"
                      "Content-Length: 24\r\n\r\n";
    assert_int_equal(h_cli(h, req).action, IPS_V_PASS);
    struct ips_verdict v = h_cli(h, "user=a%27+OR+1%3D1&pw=xx");
    assert_int_equal(v.action, IPS_V_DROP);
    assert_non_null(find_sid(h, 102));
    h_free(h);

    /* raw stream rule on a non-HTTP flow, pattern split over two segments: one alert */
    h = h_new();
    struct fb_tcp t;
    (void)t;
    h->cseq = 1000;
    h->sseq = 5000;
    uint8_t fr[256];
    struct fb_tcp s1 = {.src = CLI, .dst = SRV, .sport = CPORT, .dport = 6379, .seq = h->cseq,
                        .flags = F_SYN};
    size_t n = fb_tcp(fr, &s1, NULL, 0);
    assert_int_equal(ips_engine_frame(h->e, fr, n, 1).action, IPS_V_PASS);
    struct fb_tcp s2 = {.src = SRV, .dst = CLI, .sport = 6379, .dport = CPORT, .seq = h->sseq,
                        .ack = h->cseq + 1, .flags = F_SYN | F_ACK};
    n = fb_tcp(fr, &s2, NULL, 0);
    assert_int_equal(ips_engine_frame(h->e, fr, n, 2).action, IPS_V_PASS);
    struct fb_tcp s3 = {.src = CLI, .dst = SRV, .sport = CPORT, .dport = 6379,
                        .seq = h->cseq + 1, .ack = h->sseq + 1, .flags = F_ACK};
    n = fb_tcp(fr, &s3, NULL, 0);
    assert_int_equal(ips_engine_frame(h->e, fr, n, 3).action, IPS_V_PASS);
    s3.flags = F_PA;
    n = fb_tcp(fr, &s3, "*1\r\n$8\r\nFLUS", 12);
    assert_int_equal(ips_engine_frame(h->e, fr, n, 4).action, IPS_V_PASS);
    assert_int_equal(h->n, 0);
    s3.seq += 12;
    n = fb_tcp(fr, &s3, "HALL\r\n", 6);
    assert_int_equal(ips_engine_frame(h->e, fr, n, 5).action, IPS_V_PASS);
    assert_int_equal(h->n, 1);
    assert_int_equal(h->a[0].sid, 105);
    assert_string_equal(h->a[0].action, "allowed");
    s3.seq += 6;
    n = fb_tcp(fr, &s3, "PING\r\n", 6); /* the tail still holds FLUSHALL: no second alert */
    assert_int_equal(ips_engine_frame(h->e, fr, n, 6).action, IPS_V_PASS);
    assert_int_equal(h->n, 1);
    h_free(h);
}

static void test_truncated_body(void **state)
{
    (void)state;
    struct h *h = h_new_cfg(RULES, 64);
    h_handshake(h, 0);
    assert_int_equal(h_cli(h, "POST /up HTTP/1.1\r\nHost: s\r\nContent-Length: 200\r\n\r\n").action,
                     IPS_V_PASS);
    char body[201];
    memset(body, 'a', 200);
    body[200] = '\0';
    struct ips_verdict v = h_cli(h, body);
    assert_int_equal(v.action, IPS_V_DROP);
    assert_false(v.attack);
    assert_string_equal(v.reason, "request body over inspection limit");
    assert_int_equal(h->n, 1);
    assert_int_equal(h->a[0].gid, 3);
    assert_int_equal(h->a[0].sid, 0);
    h_free(h);
}

static void test_http_parse_error_fails_closed(void **state)
{
    (void)state;
    struct h *h = h_new();
    h_handshake(h, 0);
    /* an over-long request line (> 16 KiB field limit) */
    static char line[20000];
    memcpy(line, "GET /", 5);
    memset(line + 5, 'a', sizeof line - 6);
    line[sizeof line - 1] = '\0';
    bool dropped = false;
    size_t off = 0, len = strlen(line);
    while (off < len && !dropped) {
        size_t k = len - off > 1400 ? 1400 : len - off;
        struct ips_verdict v = h_send(h, true, F_PA, h->cseq, line + off, k);
        h->cseq += (uint32_t)k;
        off += k;
        dropped = v.action == IPS_V_DROP;
    }
    assert_true(dropped);
    assert_int_equal(ips_engine_stats(h->e).http_errors, 1);
    assert_int_equal(h->a[h->n - 1].gid, 3);
    h_free(h);
}

static void test_eve_json_fields(void **state)
{
    (void)state;
    struct ips_alert a;
    memset(&a, 0, sizeof a);
    a.ts_us = 1795426200123456ULL; /* 2026-11-23T09:30:00.123456Z */
    a.flow_id = 123456789012345ULL;
    a.src_ip = CLI;
    a.dst_ip = SRV;
    a.src_port = 41000;
    a.dst_port = 80;
    a.proto = 6;
    a.app_proto = "http";
    a.to_server = true;
    a.sid = 101;
    a.gid = 1;
    a.rev = 2;
    a.msg = "SQLi \"union\"";
    a.classtype = "web-application-attack";
    a.severity = 1;
    a.action = "blocked";
    a.http_method = "GET";
    a.http_uri = "/a?b=1";
    a.http_host = "shop";
    a.http_user_agent = "ua";
    a.http_status = 0;
    char *s = ips_eve_alert_json(&a, "/tmp/r1.http");
    assert_non_null(s);
    assert_string_equal(s,
        "{\"timestamp\":\"2026-11-23T09:30:00.123456+0000\",\"flow_id\":123456789012345,"
        "\"event_type\":\"alert\",\"src_ip\":\"203.0.113.5\",\"src_port\":41000,"
        "\"dest_ip\":\"198.18.0.10\",\"dest_port\":80,\"proto\":\"TCP\",\"app_proto\":\"http\","
        "\"direction\":\"to_server\",\"alert\":{\"action\":\"blocked\",\"gid\":1,"
        "\"signature_id\":101,\"rev\":2,\"signature\":\"SQLi \\\"union\\\"\","
        "\"category\":\"Web Application Attack\",\"severity\":1},\"http\":{\"hostname\":\"shop\","
        "\"url\":\"/a?b=1\",\"http_user_agent\":\"ua\",\"http_method\":\"GET\"},"
        "\"input\":\"/tmp/r1.http\"}");
    free(s);
    /* no HTTP context, no input, a status only on responses; unknown classtype kept as is */
    a.http_method = a.http_uri = a.http_host = a.http_user_agent = "";
    a.classtype = "";
    a.http_status = 0;
    s = ips_eve_alert_json(&a, NULL);
    assert_non_null(s);
    json_t *o = json_loads(s, 0, NULL);
    assert_non_null(o);
    assert_null(json_object_get(o, "http"));
    assert_null(json_object_get(o, "input"));
    assert_string_equal(json_string_value(json_object_get(json_object_get(o, "alert"),
                                                          "category")), "");
    json_decref(o);
    free(s);
    /* an input path that is not UTF-8 cannot be encoded: NULL, not a broken line */
    assert_null(ips_eve_alert_json(&a, "/tmp/\xff"));
}

static void test_http_request_offline(void **state)
{
    (void)state;
    struct h *h = h_new();
    const char *bad = "GET /p?id=2%20UNION%20SELECT%20x HTTP/1.1\r\nHost: a\r\n\r\n";
    assert_int_equal(ips_engine_http_request(h->e, (const uint8_t *)bad, strlen(bad), 5), 1);
    assert_int_equal(h->a[0].sid, 101);
    assert_string_equal(h->a[0].action, "blocked");
    assert_int_equal(h->a[0].src_ip, 0xcb007101u);
    const char *good = "GET /p?id=2&q=union+station HTTP/1.1\r\nHost: a\r\n\r\n";
    assert_int_equal(ips_engine_http_request(h->e, (const uint8_t *)good, strlen(good), 6), 0);
    /* a file without the final blank line still gets its headers inspected */
    const char *nolf = "GET /p?x=union+select HTTP/1.1\nHost: a\n";
    assert_int_equal(ips_engine_http_request(h->e, (const uint8_t *)nolf, strlen(nolf), 7), 1);
    assert_int_equal(ips_engine_stats(h->e).http_txns, 3);
    h_free(h);
}

static void test_reload_keeps_old_set(void **state)
{
    (void)state;
    struct h *h = h_new();
    char *bad = write_tmp("alert http any any -> any any (msg:\"ok\"; content:\"a\"; sid:1;)\n"
                          "alert http any any -> any any (msg:\"bad\"; frobnicate; sid:2;)\n");
    const char *files[] = {bad};
    char *err = NULL;
    assert_int_equal(ips_engine_reload(h->e, files, 1, &err), -1);
    assert_non_null(err);
    char want[96];
    snprintf(want, sizeof want, "%s:2:", bad);
    assert_non_null(strstr(err, want));
    free(err);
    const char *req = "GET /?a=union+select HTTP/1.1\r\nHost: a\r\n\r\n";
    assert_int_equal(ips_engine_http_request(h->e, (const uint8_t *)req, strlen(req), 1), 1);
    assert_int_equal(h->a[0].sid, 101); /* the old set still runs */
    char *good = write_tmp("alert http any any -> any any (msg:\"new\"; http.uri; "
                           "content:\"union\"; sid:7;)\n");
    files[0] = good;
    err = NULL;
    assert_int_equal(ips_engine_reload(h->e, files, 1, &err), 0);
    assert_null(err);
    assert_int_equal(ips_engine_http_request(h->e, (const uint8_t *)req, strlen(req), 2), 1);
    assert_int_equal(h->a[1].sid, 7);
    unlink(bad);
    unlink(good);
    free(bad);
    free(good);
    h_free(h);
}

static void test_default_rules_load(void **state)
{
    (void)state;
    struct ips_engine_cfg cfg;
    ips_engine_cfg_default(&cfg);
    char *err = NULL;
    struct ips_engine *e = ips_engine_new(&cfg, &err);
    if (!e)
        fail_msg("default rules: %s", err);
    ips_engine_free(e);
}

static void test_eve_writer(void **state)
{
    (void)state;
    char dir[] = "/tmp/hs_eveXXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64], rotated[64];
    snprintf(path, sizeof path, "%s/eve.json", dir);
    snprintf(rotated, sizeof rotated, "%s/eve.json.1", dir);
    char err[128];
    struct eve_writer *w = eve_writer_open(path, EVE_SYNC_EVERY, err, sizeof err);
    assert_non_null(w);
    assert_int_equal(eve_writer_line(w, "{\"a\":1}"), 0);
    assert_int_equal(eve_writer_line(w, "bad\nline"), -1);
    assert_int_equal(rename(path, rotated), 0);
    eve_writer_request_reopen(w);
    assert_int_equal(eve_writer_line(w, "{\"b\":2}"), 0);
    assert_int_equal(eve_writer_lines(w), 2);
    assert_int_equal(eve_writer_errors(w), 1);
    eve_writer_close(w);
    char buf[64];
    FILE *f = fopen(rotated, "r");
    assert_non_null(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    assert_string_equal(buf, "{\"a\":1}\n");
    f = fopen(path, "r");
    assert_non_null(f);
    n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    assert_string_equal(buf, "{\"b\":2}\n");
    unlink(path);
    unlink(rotated);
    rmdir(dir);
    assert_null(eve_writer_open("/nonexistent-dir/x/eve.json", EVE_SYNC_NONE, err, sizeof err));
}

/* Closed connections give their reassembly memory back at once: a high rate of short
 * connections must not fill the memcap (which would refuse new flows). */
static void test_closed_flows_release_memory(void **state)
{
    (void)state;
    struct h *h = calloc(1, sizeof *h);
    assert_non_null(h);
    struct ips_engine_cfg cfg;
    ips_engine_cfg_default(&cfg);
    cfg.memcap_bytes = 4u << 20;
    cfg.on_alert = on_alert;
    cfg.ctx = h;
    char *err = NULL;
    h->e = ips_engine_new(&cfg, &err);
    assert_non_null(h->e);
    static char body[16384];
    memset(body, 'x', sizeof body);
    char head[128];
    snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n", sizeof body);
    uint64_t now = 1000;
    for (unsigned i = 0; i < 400; i++) { /* 400 x 16 KiB of history would be 6.4 MiB */
        uint16_t cp = (uint16_t)(20000 + i);
        uint32_t c = 100, s = 900;
        const char *req = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
        struct fb_tcp t = {.src = CLI, .dst = SRV, .sport = cp, .dport = 80, .seq = c,
                           .flags = F_SYN};
        struct fb_tcp r = {.src = SRV, .dst = CLI, .sport = 80, .dport = cp, .seq = s,
                           .ack = c + 1, .flags = F_SYN | F_ACK};
        size_t n;
#define SEND(x, d, l) do { n = fb_tcp(h->fr, &(x), (d), (l)); \
        assert_int_equal(ips_engine_frame(h->e, h->fr, n, now++).action, IPS_V_PASS); } while (0)
        SEND(t, NULL, 0);
        SEND(r, NULL, 0);
        t.seq = ++c; t.ack = ++s; t.flags = F_ACK;
        SEND(t, NULL, 0);
        t.flags = F_PA;
        SEND(t, req, strlen(req));
        c += (uint32_t)strlen(req);
        r.seq = s; r.ack = c; r.flags = F_PA;
        SEND(r, head, strlen(head));
        s += (uint32_t)strlen(head);
        for (size_t off = 0; off < sizeof body; off += 1400) {
            size_t k = sizeof body - off < 1400 ? sizeof body - off : 1400;
            r.seq = s;
            SEND(r, body + off, k);
            s += (uint32_t)k;
        }
        t.seq = c; t.ack = s; t.flags = F_FIN | F_ACK;
        SEND(t, NULL, 0);
        c++;
        r.seq = s; r.ack = c; r.flags = F_FIN | F_ACK;
        SEND(r, NULL, 0);
        s++;
        t.seq = c; t.ack = s; t.flags = F_ACK;
        SEND(t, NULL, 0);
#undef SEND
    }
    assert_int_equal(h->n, 0);
    struct ips_engine_stats st = ips_engine_stats(h->e);
    assert_int_equal(st.dropped, 0);
    assert_int_equal(st.http_txns, 400);
    ips_engine_free(h->e);
    free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_attack_split_segments),
        cmocka_unit_test(test_out_of_order),
        cmocka_unit_test(test_overlap_conflict),
        cmocka_unit_test(test_fragments),
        cmocka_unit_test(test_egress_leak),
        cmocka_unit_test(test_alert_only_passes),
        cmocka_unit_test(test_form_body_and_pkt_rule),
        cmocka_unit_test(test_truncated_body),
        cmocka_unit_test(test_http_parse_error_fails_closed),
        cmocka_unit_test(test_eve_json_fields),
        cmocka_unit_test(test_http_request_offline),
        cmocka_unit_test(test_reload_keeps_old_set),
        cmocka_unit_test(test_default_rules_load),
        cmocka_unit_test(test_eve_writer),
        cmocka_unit_test(test_closed_flows_release_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
