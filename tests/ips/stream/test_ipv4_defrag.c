/* test_ipv4_defrag.c - IPv4 reassembly through ips_stream_packet (and into TCP). */
#include "harness.h"
#include "ips/stream/pkt_decode.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#define TS IPS_DIR_TO_SERVER
#define L3 14

struct fx {
    struct harness h;
    struct conn c;
    uint8_t data[1000];
    uint8_t whole[FB_MAX];
    size_t whole_len;       /* IP payload = 20 TCP + 1000 data = 1020 bytes */
    uint8_t f[FB_MAX];
};

static void fx_setup(struct fx *x, void (*tweak)(struct ips_stream_config *))
{
    h_init(&x->h);
    if (tweak)
        tweak(&x->h.cfg);
    h_start(&x->h);
    c_init(&x->c, &x->h, 45000, 100, 200);
    assert_true(c_handshake(&x->c));
    for (size_t i = 0; i < sizeof x->data; i++)
        x->data[i] = (uint8_t)('A' + i % 26);
    x->whole_len = c_build(&x->c, x->whole, TS, c_seq(&x->c, TS, 0), c_seq(&x->c, 1, 0),
                           PKT_TCP_ACK | PKT_TCP_PSH, x->data, sizeof x->data);
}

static struct ips_result frag(struct fx *x, uint32_t off, uint32_t len, bool mf,
                              const uint8_t *override)
{
    size_t n = fb_frag(x->f, x->whole, L3, off, len, mf, override);
    return h_send(&x->h, x->f, n);
}

static void assert_complete(struct fx *x, struct ips_result r)
{
    assert_int_equal(r.verdict, IPS_PASS);
    assert_non_null(r.frame);
    assert_int_equal(r.frame_len, x->whole_len);
    assert_memory_equal(r.frame, x->whole, x->whole_len);
    assert_true(h_equal(&x->h, x->c.flow_id, TS, x->data, sizeof x->data));
    assert_int_equal(ips_stream_stats(x->h.s).frag_datagrams, 0);
    assert_int_equal(ips_stream_stats(x->h.s).frag_mem, 0);
}

static void test_in_order(void **state)
{
    struct fx x;
    fx_setup(&x, NULL);
    assert_int_equal(frag(&x, 0, 400, true, NULL).verdict, IPS_HOLD);
    assert_int_equal(frag(&x, 400, 400, true, NULL).verdict, IPS_HOLD);
    assert_int_equal(h_len(&x.h, x.c.flow_id, TS), 0);
    assert_complete(&x, frag(&x, 800, 220, false, NULL));
    h_free(&x.h);
}

static void test_reverse_and_tiny_first(void **state)
{
    struct fx x;
    fx_setup(&x, NULL);
    assert_int_equal(frag(&x, 800, 220, false, NULL).verdict, IPS_HOLD);
    assert_int_equal(frag(&x, 8, 792, true, NULL).verdict, IPS_HOLD);
    /* 8-byte first fragment: the TCP header is split across fragments */
    assert_complete(&x, frag(&x, 0, 8, true, NULL));
    assert_false(x.h.violation);
    h_free(&x.h);
}

static void test_overlap_consistent(void **state)
{
    struct fx x;
    fx_setup(&x, NULL);
    assert_int_equal(frag(&x, 400, 408, true, NULL).verdict, IPS_HOLD);
    assert_int_equal(frag(&x, 0, 408, true, NULL).verdict, IPS_HOLD);
    assert_int_equal(x.h.events[IPS_EV_FRAG_OVERLAP], 1);
    assert_complete(&x, frag(&x, 800, 220, false, NULL));
    assert_int_equal(x.h.events[IPS_EV_FRAG_OVERLAP], 2);
    h_free(&x.h);
}

static void test_overlap_conflict(void **state)
{
    struct fx x;
    fx_setup(&x, NULL);
    assert_int_equal(frag(&x, 0, 400, true, NULL).verdict, IPS_HOLD);
    uint8_t evil[408];
    memcpy(evil, x.whole + L3 + 20 + 392, sizeof evil);
    evil[3] ^= 0x20; /* differs at datagram offset 395, inside the first fragment */
    struct ips_result r = frag(&x, 392, 408, true, evil);
    assert_int_equal(r.verdict, IPS_DROP);
    assert_int_equal(r.reason, IPS_EV_FRAG_OVERLAP_CONFLICT);
    r = frag(&x, 800, 220, false, NULL);
    assert_int_equal(r.verdict, IPS_DROP);
    assert_int_equal(r.reason, IPS_EV_FRAG_DATAGRAM_DROPPED);
    assert_int_equal(frag(&x, 400, 400, true, NULL).verdict, IPS_DROP);
    assert_int_equal(x.h.events[IPS_EV_FRAG_OVERLAP_CONFLICT], 1);
    assert_int_equal(h_len(&x.h, x.c.flow_id, TS), 0);
    /* conflict where the later fragment overlaps from the left */
    x.c.ip_id = 500;
    x.whole_len = c_build(&x.c, x.whole, TS, c_seq(&x.c, TS, 0), c_seq(&x.c, 1, 0),
                          PKT_TCP_ACK | PKT_TCP_PSH, x.data, sizeof x.data);
    assert_int_equal(frag(&x, 400, 400, true, NULL).verdict, IPS_HOLD);
    memcpy(evil, x.whole + L3 + 20 + 0, sizeof evil);
    evil[405] ^= 1;
    assert_int_equal(frag(&x, 0, 408, true, evil).reason, IPS_EV_FRAG_OVERLAP_CONFLICT);
    assert_int_equal(h_len(&x.h, x.c.flow_id, TS), 0);
    h_free(&x.h);
}

static void few_frags(struct ips_stream_config *c) { c->frag_max_per_datagram = 4; }

static void test_too_many(void **state)
{
    struct fx x;
    fx_setup(&x, few_frags);
    for (uint32_t i = 0; i < 4; i++)
        assert_int_equal(frag(&x, i * 8, 8, true, NULL).verdict, IPS_HOLD);
    struct ips_result r = frag(&x, 32, 988, false, NULL);
    assert_int_equal(r.verdict, IPS_DROP);
    assert_int_equal(r.reason, IPS_EV_FRAG_TOO_MANY);
    assert_int_equal(x.h.events[IPS_EV_FRAG_TOO_MANY], 1);
    assert_int_equal(h_len(&x.h, x.c.flow_id, TS), 0);
    h_free(&x.h);
}

static void test_timeout(void **state)
{
    struct fx x;
    fx_setup(&x, NULL);
    assert_int_equal(frag(&x, 0, 400, true, NULL).verdict, IPS_HOLD);
    x.h.now += x.h.cfg.frag_timeout_ms;
    /* the first fragment timed out: the rest starts a new datagram that lacks the start */
    assert_int_equal(frag(&x, 400, 400, true, NULL).verdict, IPS_HOLD);
    assert_int_equal(x.h.events[IPS_EV_FRAG_TIMEOUT], 1);
    assert_int_equal(x.h.last_event.type, IPS_EV_FRAG_TIMEOUT);
    assert_int_equal(frag(&x, 800, 220, false, NULL).verdict, IPS_HOLD);
    assert_int_equal(ips_stream_stats(x.h.s).frag_datagrams, 1);
    x.h.now += x.h.cfg.frag_timeout_ms;
    ips_stream_expire(x.h.s, x.h.now);
    assert_int_equal(x.h.events[IPS_EV_FRAG_TIMEOUT], 2);
    assert_int_equal(ips_stream_stats(x.h.s).frag_datagrams, 0);
    assert_int_equal(ips_stream_stats(x.h.s).frag_mem, 0);
    assert_int_equal(h_len(&x.h, x.c.flow_id, TS), 0);
    h_free(&x.h);
}

static void test_bad_lengths(void **state)
{
    struct fx x;
    fx_setup(&x, NULL);
    assert_int_equal(frag(&x, 0, 100, true, NULL).reason, IPS_EV_FRAG_BAD_LENGTH);
    assert_int_equal(frag(&x, 0, 400, true, NULL).verdict, IPS_HOLD);
    assert_int_equal(frag(&x, 800, 220, false, NULL).verdict, IPS_HOLD);
    /* a second, different last fragment */
    assert_int_equal(frag(&x, 800, 100, false, NULL).reason, IPS_EV_FRAG_BAD_END);
    assert_int_equal(frag(&x, 400, 400, true, NULL).reason, IPS_EV_FRAG_DATAGRAM_DROPPED);
    /* data beyond the end */
    x.c.ip_id = 77;
    x.whole_len = c_build(&x.c, x.whole, TS, c_seq(&x.c, TS, 0), c_seq(&x.c, 1, 0),
                          PKT_TCP_ACK | PKT_TCP_PSH, x.data, sizeof x.data);
    assert_int_equal(frag(&x, 0, 400, true, NULL).verdict, IPS_HOLD);
    assert_int_equal(frag(&x, 200, 100, false, NULL).reason, IPS_EV_FRAG_BAD_END);
    /* a fragment ending beyond 65535 is a decode error */
    uint8_t zero[600] = {0};
    assert_int_equal(frag(&x, 65000, 600, false, zero).reason, IPS_EV_DECODE_ERROR);
    assert_int_equal(x.h.last_event.detail, PKT_ERR_IP_FRAG_TOO_BIG);
    assert_int_equal(h_len(&x.h, x.c.flow_id, TS), 0);
    h_free(&x.h);
}

static void small_memcap(struct ips_stream_config *c) { c->frag_memcap = 800; }

static void test_memcap(void **state)
{
    struct fx x;
    fx_setup(&x, small_memcap);
    assert_int_equal(frag(&x, 0, 400, true, NULL).verdict, IPS_HOLD);
    struct ips_result r = frag(&x, 400, 400, true, NULL);
    assert_int_equal(r.reason, IPS_EV_FRAG_MEMCAP);
    assert_int_equal(x.h.events[IPS_EV_FRAG_MEMCAP], 1);
    assert_true(ips_stream_stats(x.h.s).frag_mem <= 800);
    assert_int_equal(frag(&x, 800, 220, false, NULL).reason, IPS_EV_FRAG_DATAGRAM_DROPPED);
    h_free(&x.h);
}

static void two_datagrams(struct ips_stream_config *c) { c->frag_max_datagrams = 2; }

static void test_table_full(void **state)
{
    struct fx x;
    fx_setup(&x, two_datagrams);
    for (int i = 0; i < 3; i++) {
        x.c.ip_id = (uint16_t)(1000 + i);
        x.whole_len = c_build(&x.c, x.whole, TS, c_seq(&x.c, TS, 0), c_seq(&x.c, 1, 0),
                              PKT_TCP_ACK | PKT_TCP_PSH, x.data, sizeof x.data);
        struct ips_result r = frag(&x, 0, 400, true, NULL);
        assert_int_equal(r.verdict, i < 2 ? IPS_HOLD : IPS_DROP);
        if (i == 2)
            assert_int_equal(r.reason, IPS_EV_FRAG_TABLE_FULL);
    }
    h_free(&x.h);
}

static void test_udp(void **state)
{
    struct fx x;
    fx_setup(&x, NULL);
    uint8_t u[FB_MAX];
    size_t n = fb_udp(u, 0xc6120001, 0xc6120101, 5353, 53, 4242, x.data, 700);
    memcpy(x.whole, u, n);
    x.whole_len = n;
    assert_int_equal(frag(&x, 0, 304, true, NULL).verdict, IPS_HOLD);
    struct ips_result r = frag(&x, 304, 404, false, NULL);
    assert_int_equal(r.verdict, IPS_PASS);
    assert_int_equal(r.frame_len, n);
    assert_memory_equal(r.frame, u, n);
    h_free(&x.h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_in_order),
        cmocka_unit_test(test_reverse_and_tiny_first),
        cmocka_unit_test(test_overlap_consistent),
        cmocka_unit_test(test_overlap_conflict),
        cmocka_unit_test(test_too_many),
        cmocka_unit_test(test_timeout),
        cmocka_unit_test(test_bad_lengths),
        cmocka_unit_test(test_memcap),
        cmocka_unit_test(test_table_full),
        cmocka_unit_test(test_udp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
