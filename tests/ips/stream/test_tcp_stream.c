/* test_tcp_stream.c - TCP flow tracking and reassembly through ips_stream_packet. */
#include "harness.h"
#include "common/util.h"
#include "ips/stream/pkt_decode.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define TS IPS_DIR_TO_SERVER
#define TC IPS_DIR_TO_CLIENT

static void fill(uint8_t *b, size_t n, unsigned seed)
{
    uint32_t x = seed * 2654435761u + 1;
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        b[i] = (uint8_t)(x >> 16);
    }
}

/* Deterministic PRNG for permutations (xorshift32). */
static uint32_t rnd(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static void test_in_order_both_directions(void **state)
{
    struct harness h;
    h_init(&h);
    h_start(&h);
    struct conn c;
    c_init(&c, &h, 40000, 1000, 50000);
    assert_true(c_handshake(&c));
    const char *req = "GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n";
    const char *rsp = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
    size_t rl = strlen(req), sl = strlen(rsp);
    assert_int_equal(c_seg(&c, TS, 0, req, 10).verdict, IPS_PASS);
    assert_true(h_equal(&h, c.flow_id, TS, req, 10));
    assert_int_equal(c_seg(&c, TS, 10, req + 10, rl - 10).verdict, IPS_PASS);
    assert_true(h_equal(&h, c.flow_id, TS, req, rl));
    assert_int_equal(c_seg(&c, TC, 0, rsp, 17).verdict, IPS_PASS);
    assert_int_equal(c_seg(&c, TC, 17, rsp + 17, sl - 17).verdict, IPS_PASS);
    assert_true(h_equal(&h, c.flow_id, TC, rsp, sl));
    assert_true(h_equal(&h, c.flow_id, TS, req, rl));
    /* FIN both ways */
    struct ips_result r = c_raw(&c, TS, c_seq(&c, TS, rl), c_seq(&c, TC, sl),
                                PKT_TCP_FIN | PKT_TCP_ACK, NULL, 0);
    assert_int_equal(r.verdict, IPS_PASS);
    r = c_raw(&c, TC, c_seq(&c, TC, sl), c_seq(&c, TS, rl) + 1, PKT_TCP_FIN | PKT_TCP_ACK, NULL,
              0);
    assert_int_equal(r.verdict, IPS_PASS);
    r = c_raw(&c, TS, c_seq(&c, TS, rl) + 1, c_seq(&c, TC, sl) + 1, PKT_TCP_ACK, NULL, 0);
    assert_int_equal(r.verdict, IPS_PASS);
    assert_false(h.violation);
    assert_int_equal(h.events[IPS_EV_NONE], 0);
    assert_int_equal(ips_stream_stats(h.s).flows, 1);
    assert_int_equal(ips_stream_stats(h.s).bytes_delivered, rl + sl);
    h_free(&h);
    assert_true(h.flows_ended == 1);
}

static void test_states(void **state)
{
    struct harness h;
    h_init(&h);
    h_start(&h);
    struct conn c;
    c_init(&c, &h, 40001, 7, 9);
    struct ips_flow *seen = NULL;
    (void)seen;
    assert_int_equal(c_raw(&c, TS, 7, 0, PKT_TCP_SYN, NULL, 0).verdict, IPS_PASS);
    /* server data before the SYN-ACK */
    struct ips_result r = c_raw(&c, TC, 9, 8, PKT_TCP_ACK, "x", 1);
    assert_int_equal(r.verdict, IPS_DROP);
    assert_int_equal(r.reason, IPS_EV_TCP_DATA_BEFORE_HANDSHAKE);
    /* client data before the SYN-ACK */
    r = c_raw(&c, TS, 8, 0, PKT_TCP_ACK, "y", 1);
    assert_int_equal(r.reason, IPS_EV_TCP_DATA_BEFORE_HANDSHAKE);
    /* SYN-ACK acknowledging the wrong ISN */
    r = c_raw(&c, TC, 9, 1234, PKT_TCP_SYN | PKT_TCP_ACK, NULL, 0);
    assert_int_equal(r.reason, IPS_EV_TCP_SYNACK_BAD_ACK);
    /* SYN-ACK from the client side */
    r = c_raw(&c, TS, 9, 8, PKT_TCP_SYN | PKT_TCP_ACK, NULL, 0);
    assert_int_equal(r.reason, IPS_EV_TCP_UNEXPECTED_SYN);
    assert_int_equal(c_raw(&c, TC, 9, 8, PKT_TCP_SYN | PKT_TCP_ACK, NULL, 0).verdict, IPS_PASS);
    /* retransmitted SYN-ACK passes, one with another ISN does not */
    assert_int_equal(c_raw(&c, TC, 9, 8, PKT_TCP_SYN | PKT_TCP_ACK, NULL, 0).verdict, IPS_PASS);
    assert_int_equal(c_raw(&c, TC, 99, 8, PKT_TCP_SYN | PKT_TCP_ACK, NULL, 0).reason,
                     IPS_EV_TCP_UNEXPECTED_SYN);
    assert_int_equal(c_raw(&c, TS, 8, 10, PKT_TCP_ACK, NULL, 0).verdict, IPS_PASS);
    /* invalid flag combinations */
    assert_int_equal(c_raw(&c, TS, 8, 10, PKT_TCP_SYN | PKT_TCP_FIN, NULL, 0).reason,
                     IPS_EV_TCP_INVALID_FLAGS);
    assert_int_equal(c_raw(&c, TS, 8, 10, 0, NULL, 0).reason, IPS_EV_TCP_INVALID_FLAGS);
    assert_int_equal(c_raw(&c, TS, 8, 10, PKT_TCP_SYN | PKT_TCP_RST, NULL, 0).reason,
                     IPS_EV_TCP_INVALID_FLAGS);
    /* data, FIN, then data after the FIN */
    assert_int_equal(c_raw(&c, TS, 8, 10, PKT_TCP_ACK | PKT_TCP_FIN, "abc", 3).verdict,
                     IPS_PASS);
    r = c_raw(&c, TS, 11, 10, PKT_TCP_ACK, "zz", 2);
    assert_int_equal(r.reason, IPS_EV_TCP_DATA_AFTER_FIN);
    r = c_raw(&c, TS, 9, 10, PKT_TCP_ACK | PKT_TCP_FIN, "bc", 2); /* same FIN again: fine */
    assert_int_equal(r.verdict, IPS_PASS);
    r = c_raw(&c, TS, 8, 10, PKT_TCP_ACK | PKT_TCP_FIN, "a", 1); /* FIN elsewhere */
    assert_int_equal(r.reason, IPS_EV_TCP_FIN_CONFLICT);
    /* RST: wrong sequence number dropped, exact one accepted */
    r = c_raw(&c, TC, 10 + 500, 12, PKT_TCP_RST, NULL, 0);
    assert_int_equal(r.reason, IPS_EV_TCP_RST_INVALID);
    assert_int_equal(c_seg(&c, TC, 0, "ok", 2).verdict, IPS_PASS);
    r = c_raw(&c, TC, 12, 12, PKT_TCP_RST | PKT_TCP_ACK, NULL, 0);
    assert_int_equal(r.verdict, IPS_PASS);
    uint64_t old_id = r.flow_id;
    r = c_raw(&c, TC, 12, 12, PKT_TCP_ACK, "more", 4);
    assert_int_equal(r.reason, IPS_EV_TCP_DATA_AFTER_RST);
    assert_int_equal(h_len(&h, old_id, TS), 3);
    assert_int_equal(h_len(&h, old_id, TC), 2);
    /* the 4-tuple is reused by a new connection: new flow id */
    r = c_raw(&c, TS, 5000, 0, PKT_TCP_SYN, NULL, 0);
    assert_int_equal(r.verdict, IPS_PASS);
    assert_int_not_equal(r.flow_id, old_id);
    assert_int_equal(h.flows_ended, 1);
    assert_false(h.violation);
    h_free(&h);
}

static void test_rst_refused_syn(void **state)
{
    struct harness h;
    h_init(&h);
    h_start(&h);
    struct conn c;
    c_init(&c, &h, 40002, 100, 0);
    assert_int_equal(c_raw(&c, TS, 100, 0, PKT_TCP_SYN, NULL, 0).verdict, IPS_PASS);
    assert_int_equal(c_raw(&c, TC, 0, 555, PKT_TCP_RST | PKT_TCP_ACK, NULL, 0).reason,
                     IPS_EV_TCP_RST_INVALID);
    assert_int_equal(c_raw(&c, TC, 0, 101, PKT_TCP_RST | PKT_TCP_ACK, NULL, 0).verdict,
                     IPS_PASS);
    assert_int_equal(c_raw(&c, TS, 101, 0, PKT_TCP_ACK, "data", 4).reason,
                     IPS_EV_TCP_DATA_AFTER_RST);
    h_free(&h);
}

static void test_no_flow_and_midstream(void **state)
{
    struct harness h;
    h_init(&h);
    h_start(&h);
    struct conn c;
    c_init(&c, &h, 40003, 100, 200);
    struct ips_result r = c_seg(&c, TS, 0, "hidden", 6);
    assert_int_equal(r.verdict, IPS_DROP);
    assert_int_equal(r.reason, IPS_EV_TCP_NO_FLOW);
    assert_int_equal(h.events[IPS_EV_TCP_NO_FLOW], 1);
    assert_int_equal(h.nrecs, 0);
    h_free(&h);

    h_init(&h);
    h.cfg.allow_midstream = true;
    h_start(&h);
    c_init(&c, &h, 40003, 100, 200);
    r = c_seg(&c, TS, 0, "visible", 7);
    assert_int_equal(r.verdict, IPS_PASS);
    assert_int_equal(h.events[IPS_EV_TCP_MIDSTREAM], 1);
    assert_true(h_equal(&h, r.flow_id, TS, "visible", 7));
    assert_int_equal(c_seg(&c, TC, 0, "reply", 5).verdict, IPS_PASS);
    assert_true(h_equal(&h, r.flow_id, TC, "reply", 5));
    assert_false(h.violation);
    h_free(&h);
}

static void test_out_of_order_reverse(void **state)
{
    struct harness h;
    h_init(&h);
    h_start(&h);
    struct conn c;
    c_init(&c, &h, 40004, 0x10000000, 0x20000000);
    assert_true(c_handshake(&c));
    uint8_t data[1000];
    fill(data, sizeof data, 1);
    for (int i = 9; i >= 0; i--) {
        struct ips_result r = c_seg(&c, TS, (uint64_t)i * 100, data + i * 100, 100);
        assert_int_equal(r.verdict, IPS_PASS);
        assert_int_equal(h_len(&h, c.flow_id, TS), i == 0 ? 1000 : 0);
    }
    assert_true(h_equal(&h, c.flow_id, TS, data, sizeof data));
    assert_int_equal(ips_stream_stats(h.s).mem_used > 0, 1);
    assert_false(h.violation);
    h_free(&h);
}

/* Random segmentation, random order, random duplicates (same bytes) with a fixed seed. */
static void test_random_permutations(void **state)
{
    uint32_t seed = 0xC0FFEE;
    enum { N = 4000, MAXSEG = 64 };
    static uint8_t data[N];
    fill(data, N, 7);
    for (int iter = 0; iter < 60; iter++) {
        struct harness h;
        h_init(&h);
        h_start(&h);
        struct conn c;
        uint32_t isn = rnd(&seed);
        c_init(&c, &h, (uint16_t)(1024 + iter), isn, rnd(&seed));
        assert_true(c_handshake(&c));
        struct { uint32_t off, len; } segs[N];
        size_t n = 0;
        for (uint32_t off = 0; off < N;) {
            uint32_t len = 1 + rnd(&seed) % MAXSEG;
            if (off + len > N)
                len = N - off;
            segs[n].off = off;
            segs[n].len = len;
            n++;
            off += len;
        }
        /* overlapping consistent extra segments */
        for (int k = 0; k < 40; k++) {
            uint32_t off = rnd(&seed) % N, len = 1 + rnd(&seed) % (3 * MAXSEG);
            if (off + len > N)
                len = N - off;
            segs[n].off = off;
            segs[n].len = len;
            n++;
        }
        for (size_t i = n - 1; i > 0; i--) {
            size_t j = rnd(&seed) % (i + 1);
            uint32_t o = segs[i].off, l = segs[i].len;
            segs[i] = segs[j];
            segs[j].off = o;
            segs[j].len = l;
        }
        for (size_t i = 0; i < n; i++) {
            struct ips_result r = c_seg(&c, iter % 2 ? TC : TS, segs[i].off, data + segs[i].off,
                                        segs[i].len);
            assert_int_equal(r.verdict, IPS_PASS);
        }
        assert_true(h_equal(&h, c.flow_id, iter % 2 ? TC : TS, data, N));
        assert_false(h.violation);
        h_free(&h);
    }
}

static void test_retransmissions(void **state)
{
    struct harness h;
    h_init(&h);
    h_start(&h);
    struct conn c;
    c_init(&c, &h, 40005, 1, 2);
    assert_true(c_handshake(&c));
    assert_int_equal(c_seg(&c, TS, 0, "GET /a HTTP/1.0\r\n", 17).verdict, IPS_PASS);
    size_t calls = h.delivery_calls;
    /* identical retransmission: ignored, not delivered twice */
    assert_int_equal(c_seg(&c, TS, 0, "GET /a HTTP/1.0\r\n", 17).verdict, IPS_PASS);
    assert_int_equal(c_seg(&c, TS, 4, "/a HT", 5).verdict, IPS_PASS);
    assert_int_equal(h.delivery_calls, calls);
    /* retransmission with different bytes: overlap attack */
    struct ips_result r = c_seg(&c, TS, 4, "/etc/passwd", 11);
    assert_int_equal(r.verdict, IPS_DROP);
    assert_int_equal(r.reason, IPS_EV_TCP_RETRANS_CONFLICT);
    assert_int_equal(h.events[IPS_EV_TCP_RETRANS_CONFLICT], 1);
    assert_int_equal(h.last_event.flow_id, c.flow_id);
    /* old prefix identical, new suffix: only the new part is delivered */
    r = c_seg(&c, TS, 10, "P/1.0\r\nHost: h\r\n", 16);
    assert_int_equal(r.verdict, IPS_PASS);
    assert_true(h_equal(&h, c.flow_id, TS, "GET /a HTTP/1.0\r\nHost: h\r\n", 26));
    /* old prefix different, new suffix: dropped, nothing of it delivered */
    r = c_seg(&c, TS, 20, "XXXXXXextra", 11);
    assert_int_equal(r.reason, IPS_EV_TCP_RETRANS_CONFLICT);
    assert_int_equal(h_len(&h, c.flow_id, TS), 26);
    assert_false(h.violation);
    h_free(&h);
}

static void test_retrans_beyond_history(void **state)
{
    struct harness h;
    h_init(&h);
    h.cfg.history_per_dir = 100;
    h_start(&h);
    struct conn c;
    c_init(&c, &h, 40006, 1, 2);
    assert_true(c_handshake(&c));
    uint8_t data[1000];
    fill(data, sizeof data, 3);
    for (int i = 0; i < 10; i++)
        assert_int_equal(c_seg(&c, TS, (uint64_t)i * 100, data + i * 100, 100).verdict,
                         IPS_PASS);
    /* last 100 bytes are in the history: verified */
    assert_int_equal(c_seg(&c, TS, 900, data + 900, 100).verdict, IPS_PASS);
    assert_int_equal(c_seg(&c, TS, 900, "X", 1).reason, IPS_EV_TCP_RETRANS_CONFLICT);
    /* older bytes cannot be compared and were not acknowledged: dropped */
    struct ips_result r = c_seg(&c, TS, 0, data, 100);
    assert_int_equal(r.reason, IPS_EV_TCP_RETRANS_UNVERIFIABLE);
    /* once the receiver acknowledged them, a retransmission is harmless */
    assert_int_equal(c_raw(&c, TC, c_seq(&c, TC, 0), c_seq(&c, TS, 500), PKT_TCP_ACK, NULL, 0)
                         .verdict, IPS_PASS);
    assert_int_equal(c_seg(&c, TS, 0, "anything", 8).verdict, IPS_PASS);
    assert_int_equal(c_seg(&c, TS, 400, data + 400, 200).reason,
                     IPS_EV_TCP_RETRANS_UNVERIFIABLE);
    /* an ACK for bytes never delivered is ignored */
    c_raw(&c, TC, c_seq(&c, TC, 0), c_seq(&c, TS, 5000), PKT_TCP_ACK, NULL, 0);
    assert_int_equal(c_seg(&c, TS, 600, data + 600, 100).reason,
                     IPS_EV_TCP_RETRANS_UNVERIFIABLE);
    assert_int_equal(h_len(&h, c.flow_id, TS), 1000);
    assert_false(h.violation);
    h_free(&h);
}

static void test_overlaps_buffered(void **state)
{
    struct harness h;
    h_init(&h);
    h_start(&h);
    struct conn c;
    c_init(&c, &h, 40007, 5, 6);
    assert_true(c_handshake(&c));
    uint8_t data[400];
    fill(data, sizeof data, 11);
    uint8_t evil[400];
    memcpy(evil, data, sizeof evil);
    memset(evil + 120, 'E', 10);  /* differs inside [120,130) */
    memset(evil + 280, 'E', 10);  /* differs inside [280,290) */
    assert_int_equal(c_seg(&c, TS, 100, data + 100, 100).verdict, IPS_PASS); /* [100,200) */
    /* consistent overlap on the right side */
    assert_int_equal(c_seg(&c, TS, 150, data + 150, 100).verdict, IPS_PASS); /* [150,250) */
    /* consistent overlap on both sides and a hole filled in between */
    assert_int_equal(c_seg(&c, TS, 300, data + 300, 50).verdict, IPS_PASS);  /* [300,350) */
    assert_int_equal(c_seg(&c, TS, 240, data + 240, 70).verdict, IPS_PASS);  /* [240,310) */
    /* conflicting overlap on the left side of a buffered run */
    struct ips_result r = c_seg(&c, TS, 50, evil + 50, 100);                  /* [50,150) */
    assert_int_equal(r.reason, IPS_EV_TCP_OVERLAP_CONFLICT);
    /* conflicting on the right side (runs [240,350) hold data, evil at 280) */
    r = c_seg(&c, TS, 270, evil + 270, 100);
    assert_int_equal(r.reason, IPS_EV_TCP_OVERLAP_CONFLICT);
    /* conflicting segment spanning everything */
    r = c_seg(&c, TS, 0, evil, 400);
    assert_int_equal(r.reason, IPS_EV_TCP_OVERLAP_CONFLICT);
    assert_int_equal(h_len(&h, c.flow_id, TS), 0);
    assert_int_equal(h.events[IPS_EV_TCP_OVERLAP_CONFLICT], 3);
    /* fill the holes with the original: stream is the original, evil bytes never shown */
    assert_int_equal(c_seg(&c, TS, 0, data, 400).verdict, IPS_PASS);
    assert_true(h_equal(&h, c.flow_id, TS, data, 400));
    assert_false(h.violation);
    h_free(&h);
}

static void test_wraparound(void **state)
{
    uint32_t isns[] = {0xFFFFFF00u, 0xFFFFFFFFu, 0xFFFFFFFEu, 0x7FFFFFF0u};
    for (size_t k = 0; k < HS_ARRAY_SIZE(isns); k++) {
        struct harness h;
        h_init(&h);
        h_start(&h);
        struct conn c;
        c_init(&c, &h, 40008, isns[k], isns[k] - 7);
        assert_true(c_handshake(&c));
        uint8_t data[2000];
        fill(data, sizeof data, 13);
        /* out of order across the wrap: second half first */
        assert_int_equal(c_seg(&c, TS, 1000, data + 1000, 1000).verdict, IPS_PASS);
        assert_int_equal(c_seg(&c, TS, 0, data, 300).verdict, IPS_PASS);
        assert_int_equal(c_seg(&c, TS, 250, data + 250, 800).verdict, IPS_PASS);
        assert_true(h_equal(&h, c.flow_id, TS, data, 2000));
        assert_int_equal(c_seg(&c, TC, 0, data, 2000).verdict, IPS_PASS);
        assert_true(h_equal(&h, c.flow_id, TC, data, 2000));
        /* retransmission across the wrap compared with the history */
        assert_int_equal(c_seg(&c, TS, 200, data + 200, 200).verdict, IPS_PASS);
        assert_int_equal(c_seg(&c, TS, 200, data + 201, 200).reason,
                         IPS_EV_TCP_RETRANS_CONFLICT);
        /* a sequence number before the ISN */
        assert_int_equal(c_raw(&c, TS, isns[k] - 100, c_seq(&c, TC, 0), PKT_TCP_ACK, "q", 1)
                             .reason, IPS_EV_TCP_DATA_BEFORE_ISN);
        assert_false(h.violation);
        h_free(&h);
    }
}

static void test_many_flows(void **state)
{
    enum { NF = 300 };
    struct harness h;
    h_init(&h);
    h_start(&h);
    static struct conn cs[NF];
    for (int i = 0; i < NF; i++) {
        c_init(&cs[i], &h, (uint16_t)(10000 + i), (uint32_t)i * 7919u, (uint32_t)i * 104729u);
        cs[i].cip += (uint32_t)(i % 3);
        assert_true(c_handshake(&cs[i]));
    }
    char buf[64];
    for (int round = 0; round < 3; round++)
        for (int i = NF - 1; i >= 0; i--) {
            int n = snprintf(buf, sizeof buf, "flow%03d-round%d;", i, round);
            assert_int_equal(c_seg(&cs[i], round == 1 ? TC : TS, round == 2 ? (uint64_t)n : 0,
                                   buf, (size_t)n).verdict, IPS_PASS);
        }
    assert_int_equal(ips_stream_stats(h.s).flows, NF);
    for (int i = 0; i < NF; i++) {
        char exp[128];
        int a = snprintf(exp, sizeof exp, "flow%03d-round0;flow%03d-round2;", i, i);
        assert_true(h_equal(&h, cs[i].flow_id, TS, exp, (size_t)a));
        a = snprintf(exp, sizeof exp, "flow%03d-round1;", i);
        assert_true(h_equal(&h, cs[i].flow_id, TC, exp, (size_t)a));
        for (int j = 0; j < i; j++)
            assert_int_not_equal(cs[i].flow_id, cs[j].flow_id);
    }
    assert_false(h.violation);
    h_free(&h);
    assert_int_equal(h.flows_ended, NF);
}

static void test_memcap_per_dir(void **state)
{
    struct harness h;
    h_init(&h);
    h.cfg.max_buffered_per_dir = 1000;
    h.cfg.max_segments_per_dir = 3;
    h_start(&h);
    struct conn c;
    c_init(&c, &h, 40009, 1, 2);
    assert_true(c_handshake(&c));
    uint8_t data[3000];
    fill(data, sizeof data, 17);
    assert_int_equal(c_seg(&c, TS, 100, data + 100, 900).verdict, IPS_PASS);
    struct ips_result r = c_seg(&c, TS, 1100, data + 1100, 200);
    assert_int_equal(r.verdict, IPS_DROP);
    assert_int_equal(r.reason, IPS_EV_TCP_MEMCAP_DIR);
    assert_int_equal(h.events[IPS_EV_TCP_MEMCAP_DIR], 1);
    /* in-order data that fills the hole is still accepted (not buffered) */
    assert_int_equal(c_seg(&c, TS, 0, data, 100).verdict, IPS_PASS);
    assert_true(h_equal(&h, c.flow_id, TS, data, 1000));
    /* segment count limit */
    assert_int_equal(c_seg(&c, TS, 1100, data + 1100, 10).verdict, IPS_PASS);
    assert_int_equal(c_seg(&c, TS, 1200, data + 1200, 10).verdict, IPS_PASS);
    assert_int_equal(c_seg(&c, TS, 1300, data + 1300, 10).verdict, IPS_PASS);
    assert_int_equal(c_seg(&c, TS, 1400, data + 1400, 10).reason, IPS_EV_TCP_SEGMENT_LIMIT);
    assert_int_equal(h_len(&h, c.flow_id, TS), 1000);
    /* out of window */
    assert_int_equal(c_seg(&c, TS, (uint64_t)1 << 30, data, 10).reason,
                     IPS_EV_TCP_OUT_OF_WINDOW);
    assert_false(h.violation);
    h_free(&h);
}

static void test_memcap_total(void **state)
{
    struct harness h;
    h_init(&h);
    h.cfg.memcap = 20000;
    h.cfg.history_per_dir = 0;
    h_start(&h);
    enum { NF = 8 };
    struct conn cs[NF];
    uint8_t data[3000];
    fill(data, sizeof data, 19);
    int dropped = 0, passed = 0;
    for (int i = 0; i < NF; i++) {
        c_init(&cs[i], &h, (uint16_t)(20000 + i), 1000u * (uint32_t)i, 77);
        assert_true(c_handshake(&cs[i]));
    }
    for (int i = 0; i < NF; i++) {
        struct ips_result r = c_seg(&cs[i], TS, 1, data + 1, 2999);
        if (r.verdict == IPS_DROP) {
            assert_int_equal(r.reason, IPS_EV_TCP_MEMCAP);
            dropped++;
        } else {
            passed++;
        }
    }
    assert_true(dropped > 0 && passed > 0);
    assert_int_equal(h.events[IPS_EV_TCP_MEMCAP], dropped);
    assert_true(ips_stream_stats(h.s).mem_used <= 20000);
    assert_int_equal(h.nrecs, 0); /* nothing delivered: all out of order */
    /* fill the first byte of every flow: exactly the accepted ones deliver 3000 bytes */
    int complete = 0;
    for (int i = 0; i < NF; i++) {
        assert_int_equal(c_seg(&cs[i], TS, 0, data, 1).verdict, IPS_PASS);
        size_t n = h_len(&h, cs[i].flow_id, TS);
        assert_true(n == 1 || n == 3000);
        complete += n == 3000;
    }
    assert_int_equal(complete, passed);
    assert_false(h.violation);
    h_free(&h);
}

static void test_flow_limit_and_eviction(void **state)
{
    struct harness h;
    h_init(&h);
    h.cfg.max_flows = 4;
    h.cfg.evict_min_idle_ms = 5000;
    h_start(&h);
    struct conn cs[6];
    for (int i = 0; i < 4; i++) {
        c_init(&cs[i], &h, (uint16_t)(30000 + i), 1, 2);
        assert_true(c_handshake(&cs[i]));
        h.now += 10;
    }
    c_init(&cs[4], &h, 30004, 1, 2);
    struct ips_result r = c_raw(&cs[4], TS, 1, 0, PKT_TCP_SYN, NULL, 0);
    assert_int_equal(r.reason, IPS_EV_TCP_FLOW_LIMIT);
    /* keep flow 0 busy, let the others age: the least recently used idle one is evicted */
    h.now += 6000;
    assert_int_equal(c_seg(&cs[0], TS, 0, "a", 1).verdict, IPS_PASS);
    r = c_raw(&cs[4], TS, 1, 0, PKT_TCP_SYN, NULL, 0);
    assert_int_equal(r.verdict, IPS_PASS);
    assert_int_equal(h.events[IPS_EV_FLOW_EVICTED], 1);
    assert_int_equal(ips_stream_stats(h.s).flows, 4);
    /* flow 1 was the oldest: its packets are now unknown */
    assert_int_equal(c_seg(&cs[1], TS, 0, "b", 1).reason, IPS_EV_TCP_NO_FLOW);
    assert_int_equal(c_seg(&cs[0], TS, 1, "c", 1).verdict, IPS_PASS);
    assert_true(h_equal(&h, cs[0].flow_id, TS, "ac", 2));
    h_free(&h);
}

static void test_timeouts(void **state)
{
    struct harness h;
    h_init(&h);
    h_start(&h);
    struct conn a, b;
    c_init(&a, &h, 31000, 1, 2);
    c_init(&b, &h, 31001, 1, 2);
    assert_true(c_handshake(&a));
    assert_int_equal(c_raw(&b, TS, 1, 0, PKT_TCP_SYN, NULL, 0).verdict, IPS_PASS);
    assert_int_equal(c_seg(&a, TS, 10, "later", 5).verdict, IPS_PASS); /* buffered */
    h.now += h.cfg.embryonic_timeout_ms;
    ips_stream_expire(h.s, h.now);
    assert_int_equal(h.events[IPS_EV_FLOW_TIMEOUT], 1); /* the embryonic one */
    assert_int_equal(ips_stream_stats(h.s).flows, 1);
    h.now += h.cfg.established_timeout_ms;
    ips_stream_expire(h.s, h.now);
    assert_int_equal(h.events[IPS_EV_FLOW_TIMEOUT], 2);
    assert_int_equal(h.events[IPS_EV_FLOW_UNINSPECTED_DATA], 1);
    assert_int_equal(h.flows_ended, 2);
    assert_int_equal(ips_stream_stats(h.s).flows, 0);
    assert_int_equal(ips_stream_stats(h.s).mem_used, 0);
    assert_int_equal(c_seg(&a, TS, 0, "0123456789", 10).reason, IPS_EV_TCP_NO_FLOW);
    /* closed flows use the short timeout (expired by the packet path, no expire call) */
    struct conn d;
    c_init(&d, &h, 31002, 1, 2);
    assert_true(c_handshake(&d));
    assert_int_equal(c_raw(&d, TS, 2, 3, PKT_TCP_RST, NULL, 0).verdict, IPS_PASS);
    h.now += h.cfg.closed_timeout_ms;
    assert_int_equal(c_seg(&d, TS, 0, "x", 1).reason, IPS_EV_TCP_NO_FLOW);
    assert_int_equal(h.events[IPS_EV_FLOW_TIMEOUT], 3);
    h_free(&h);
}

static void test_inspector_veto(void **state)
{
    struct harness h;
    h_init(&h);
    h.veto = "EVIL";
    h_start(&h);
    struct conn c;
    c_init(&c, &h, 32000, 1, 2);
    assert_true(c_handshake(&c));
    assert_int_equal(c_seg(&c, TS, 0, "GET /", 5).verdict, IPS_PASS);
    /* the payload split over three out-of-order segments: the one completing it is dropped */
    assert_int_equal(c_seg(&c, TS, 7, "IL", 2).verdict, IPS_PASS);
    assert_int_equal(c_seg(&c, TS, 6, "V", 1).verdict, IPS_PASS);
    assert_int_equal(h_len(&h, c.flow_id, TS), 5);
    struct ips_result r = c_seg(&c, TS, 5, "E", 1);
    assert_int_equal(r.verdict, IPS_DROP);
    assert_int_equal(r.reason, IPS_EV_INSPECTOR_DROP);
    /* flow blocked afterwards, including retransmissions and the other direction */
    assert_int_equal(c_seg(&c, TS, 5, "E", 1).reason, IPS_EV_TCP_FLOW_BLOCKED);
    assert_int_equal(c_seg(&c, TC, 0, "HTTP", 4).reason, IPS_EV_TCP_FLOW_BLOCKED);
    assert_int_equal(h.events[IPS_EV_INSPECTOR_DROP], 1);
    assert_int_equal(ips_stream_stats(h.s).dropped, 3);
    h_free(&h);
}

static void test_urgent_and_checksums(void **state)
{
    struct harness h;
    h_init(&h);
    h.cfg.verify_checksums = true;
    h_start(&h);
    struct conn c;
    c_init(&c, &h, 33000, 1, 2);
    assert_true(c_handshake(&c));
    struct ips_result r = c_raw(&c, TS, 2, 3, PKT_TCP_ACK | PKT_TCP_URG, "ab", 2);
    assert_int_equal(r.reason, IPS_EV_TCP_URGENT);
    uint8_t f[FB_MAX];
    size_t n = c_build(&c, f, TS, 2, 3, PKT_TCP_ACK, "abc", 3);
    f[n - 1] ^= 1; /* payload changed: TCP checksum wrong */
    assert_int_equal(h_send(&h, f, n).reason, IPS_EV_BAD_CHECKSUM);
    f[n - 1] ^= 1;
    f[14 + 8] = 1; /* TTL changed: IP checksum wrong */
    assert_int_equal(h_send(&h, f, n).reason, IPS_EV_BAD_CHECKSUM);
    f[14 + 8] = 64;
    assert_int_equal(h_send(&h, f, n).verdict, IPS_PASS);
    assert_true(h_equal(&h, c.flow_id, TS, "abc", 3));
    h_free(&h);
}

static void test_vlan_and_other_l3(void **state)
{
    struct harness h;
    h_init(&h);
    h_start(&h);
    struct conn c;
    c_init(&c, &h, 34000, 1, 2);
    c.vlan = true;
    assert_true(c_handshake(&c));
    assert_int_equal(c_seg(&c, TS, 0, "tagged", 6).verdict, IPS_PASS);
    assert_true(h_equal(&h, c.flow_id, TS, "tagged", 6));
    uint8_t f[60] = {0};
    hs_st16(f + 12, PKT_ETHERTYPE_ARP);
    assert_int_equal(h_send(&h, f, sizeof f).verdict, IPS_PASS);
    hs_st16(f + 12, PKT_ETHERTYPE_IPV6);
    assert_int_equal(h_send(&h, f, sizeof f).reason, IPS_EV_UNSUPPORTED_L3);
    /* UDP is not stream-inspected here: passes */
    uint8_t u[FB_MAX];
    size_t n = fb_udp(u, 1, 2, 53, 53, 9, "q", 1);
    assert_int_equal(h_send(&h, u, n).verdict, IPS_PASS);
    h_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_in_order_both_directions),
        cmocka_unit_test(test_states),
        cmocka_unit_test(test_rst_refused_syn),
        cmocka_unit_test(test_no_flow_and_midstream),
        cmocka_unit_test(test_out_of_order_reverse),
        cmocka_unit_test(test_random_permutations),
        cmocka_unit_test(test_retransmissions),
        cmocka_unit_test(test_retrans_beyond_history),
        cmocka_unit_test(test_overlaps_buffered),
        cmocka_unit_test(test_wraparound),
        cmocka_unit_test(test_many_flows),
        cmocka_unit_test(test_memcap_per_dir),
        cmocka_unit_test(test_memcap_total),
        cmocka_unit_test(test_flow_limit_and_eviction),
        cmocka_unit_test(test_timeouts),
        cmocka_unit_test(test_inspector_veto),
        cmocka_unit_test(test_urgent_and_checksums),
        cmocka_unit_test(test_vlan_and_other_l3),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
