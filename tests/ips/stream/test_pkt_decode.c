/* test_pkt_decode.c - decoder fields, every malformation, truncation at every length. */
#include "frame_build.h"
#include "harness.h"
#include "ips/stream/ips_event.h"
#include "ips/stream/pkt_decode.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

static uint8_t fr[FB_MAX];

static size_t sample_tcp(bool vlan)
{
    struct fb_tcp t = {.src = 0xc6120001, .dst = 0xc6120101, .sport = 1234, .dport = 80,
                       .seq = 0xdeadbeef, .ack = 0x01020304,
                       .flags = PKT_TCP_ACK | PKT_TCP_PSH, .ip_id = 7, .vlan = vlan, .df = true};
    return fb_tcp(fr, &t, "hello", 5);
}

static void test_tcp_fields(void **state)
{
    for (int v = 0; v < 2; v++) {
        size_t n = sample_tcp(v);
        struct pkt p;
        assert_int_equal(pkt_decode_eth(fr, n, &p), PKT_OK);
        assert_int_equal(p.has_vlan, v);
        assert_int_equal(p.l3_off, v ? 18 : 14);
        if (v)
            assert_int_equal(p.vlan_tci, 42);
        assert_int_equal(p.ethertype, PKT_ETHERTYPE_IPV4);
        assert_int_equal(p.src, 0xc6120001);
        assert_int_equal(p.dst, 0xc6120101);
        assert_int_equal(p.proto, PKT_PROTO_TCP);
        assert_int_equal(p.ip_id, 7);
        assert_true(p.df);
        assert_false(p.mf);
        assert_false(p.is_fragment);
        assert_int_equal(p.ip_len, 45);
        assert_int_equal(p.sport, 1234);
        assert_int_equal(p.dport, 80);
        assert_int_equal(p.seq, 0xdeadbeef);
        assert_int_equal(p.ack, 0x01020304);
        assert_int_equal(p.tcp_flags, PKT_TCP_ACK | PKT_TCP_PSH);
        assert_int_equal(p.payload_len, 5);
        assert_memory_equal(p.payload, "hello", 5);
        assert_true(pkt_ipv4_csum_ok(&p));
        assert_true(pkt_l4_csum_ok(&p));
        fr[n - 1] ^= 0xff;
        assert_false(pkt_l4_csum_ok(&p));
    }
}

static void test_udp_and_padding(void **state)
{
    size_t n = fb_udp(fr, 1, 2, 53, 5353, 1, "abc", 3);
    struct pkt p;
    /* Ethernet padding after the IP datagram is ignored */
    memset(fr + n, 0, 60 - n);
    assert_int_equal(pkt_decode_eth(fr, 60, &p), PKT_OK);
    assert_int_equal(p.proto, PKT_PROTO_UDP);
    assert_int_equal(p.sport, 53);
    assert_int_equal(p.dport, 5353);
    assert_int_equal(p.payload_len, 3);
    assert_true(pkt_l4_csum_ok(&p));
    hs_st16(fr + 14 + 20 + 4, 7); /* UDP length < 8 */
    assert_int_equal(pkt_decode_eth(fr, n, &p), PKT_ERR_UDP_LEN);
    hs_st16(fr + 14 + 20 + 4, 12); /* beyond the datagram */
    assert_int_equal(pkt_decode_eth(fr, n, &p), PKT_ERR_UDP_LEN);
}

/* Truncating a valid frame anywhere before its end is an error, never a crash. */
static void test_truncated_everywhere(void **state)
{
    for (int v = 0; v < 2; v++) {
        size_t n = sample_tcp(v);
        for (size_t len = 0; len < n; len++) {
            uint8_t *copy = test_malloc(len ? len : 1); /* exact size: ASan sees overreads */
            memcpy(copy, fr, len);
            struct pkt p;
            enum pkt_err e = pkt_decode_eth(copy, len, &p);
            assert_int_not_equal(e, PKT_OK);
            enum pkt_err want = len < 14                   ? PKT_ERR_ETH_SHORT
                                : (v && len < 18)          ? PKT_ERR_VLAN_SHORT
                                : len < (v ? 18u : 14u) + 20 ? PKT_ERR_IP_SHORT
                                                           : PKT_ERR_IP_TRUNCATED;
            assert_int_equal(e, want);
            test_free(copy);
        }
    }
    size_t n = fb_udp(fr, 1, 2, 3, 4, 5, "xy", 2);
    for (size_t len = 0; len < n; len++) {
        struct pkt p;
        assert_int_not_equal(pkt_decode_eth(fr, len, &p), PKT_OK);
    }
}

static void test_malformations(void **state)
{
    struct pkt p;
    size_t n = sample_tcp(false);
    uint8_t *ip = fr + 14, *tcp = ip + 20;

    ip[0] = 0x65;
    assert_int_equal(pkt_decode_eth(fr, n, &p), PKT_ERR_IP_VERSION);
    ip[0] = 0x44;
    assert_int_equal(pkt_decode_eth(fr, n, &p), PKT_ERR_IP_HLEN);
    ip[0] = 0x4f; /* 60-byte header > total length 45 */
    assert_int_equal(pkt_decode_eth(fr, n, &p), PKT_ERR_IP_HLEN);
    ip[0] = 0x45;
    hs_st16(ip + 2, 19);
    assert_int_equal(pkt_decode_eth(fr, n, &p), PKT_ERR_IP_TOTLEN);
    hs_st16(ip + 2, 46);
    assert_int_equal(pkt_decode_eth(fr, n, &p), PKT_ERR_IP_TRUNCATED);
    hs_st16(ip + 2, 45);
    tcp[12] = 4 << 4;
    assert_int_equal(pkt_decode_eth(fr, n, &p), PKT_ERR_TCP_DOFF);
    tcp[12] = 7 << 4; /* 28 > 25 bytes of segment */
    assert_int_equal(pkt_decode_eth(fr, n, &p), PKT_ERR_TCP_DOFF);
    tcp[12] = 5 << 4;
    hs_st16(ip + 2, 20 + 19);
    assert_int_equal(pkt_decode_eth(fr, n, &p), PKT_ERR_TCP_SHORT);
    hs_st16(ip + 2, 45);
    assert_int_equal(pkt_decode_eth(fr, n, &p), PKT_OK);

    /* nested VLAN */
    n = sample_tcp(true);
    hs_st16(fr + 16, PKT_ETHERTYPE_VLAN);
    assert_int_equal(pkt_decode_eth(fr, n, &p), PKT_ERR_VLAN_NESTED);

    /* IPv4 options: NOP, NOP, then a TLV whose length runs past the header */
    static const uint8_t opt_bad[][4] = {
        {1, 1, 7, 3},   /* record route, length 3 but runs past */
        {1, 1, 7, 1},   /* length < 2 */
        {1, 1, 1, 68},  /* type 68 at the last byte, no length byte */
    };
    static const uint8_t opt_ok[][4] = {{1, 1, 1, 1}, {0, 9, 9, 9}, {1, 1, 68, 2}};
    for (int k = 0; k < 6; k++) {
        const uint8_t *o = k < 3 ? opt_bad[k] : opt_ok[k - 3];
        uint8_t g[128];
        size_t base = sample_tcp(false);
        memcpy(g, fr, 34);
        memcpy(g + 34, o, 4);
        memcpy(g + 38, fr + 34, base - 34);
        g[14] = 0x46;
        hs_st16(g + 16, (uint16_t)(45 + 4));
        fb_fix_ip_csum(g, 14);
        enum pkt_err e = pkt_decode_eth(g, base + 4, &p);
        assert_int_equal(e, k < 3 ? PKT_ERR_IP_OPTIONS : PKT_OK);
        if (k >= 3) {
            assert_int_equal(p.ip_hlen, 24);
            assert_memory_equal(p.payload, "hello", 5);
            assert_true(pkt_ipv4_csum_ok(&p));
        }
    }

    /* fragment fields */
    n = sample_tcp(false);
    hs_st16(ip + 6, 0x2000 | 1); /* MF, offset 8 */
    fb_fix_ip_csum(fr, 14);
    assert_int_equal(pkt_decode_eth(fr, n, &p), PKT_OK);
    assert_true(p.is_fragment && p.mf);
    assert_int_equal(p.frag_off, 8);
    assert_int_equal(p.payload_len, 25);
    hs_st16(ip + 6, 0x1fff); /* offset 65528 + 25 */
    assert_int_equal(pkt_decode_eth(fr, n, &p), PKT_ERR_IP_FRAG_TOO_BIG);
}

static void test_names(void **state)
{
    for (int i = 0; i < PKT_ERR__COUNT; i++) {
        assert_string_not_equal(pkt_err_name((enum pkt_err)i), "unknown");
        for (int j = 0; j < i; j++)
            assert_string_not_equal(pkt_err_name((enum pkt_err)i), pkt_err_name((enum pkt_err)j));
    }
    assert_string_equal(pkt_err_name(PKT_ERR__COUNT), "unknown");
    for (int i = 0; i < IPS_EV__COUNT; i++) {
        assert_string_not_equal(ips_event_name((enum ips_event_type)i), "unknown");
        for (int j = 0; j < i; j++)
            assert_string_not_equal(ips_event_name((enum ips_event_type)i),
                                    ips_event_name((enum ips_event_type)j));
    }
    assert_string_equal(ips_event_name(IPS_EV_TCP_MEMCAP), "reassembly_memcap");
    assert_string_equal(ips_verdict_name(IPS_HOLD), "hold");
}

/* Every truncation through the full pipeline: dropped with a decode error event. */
static void test_pipeline_truncation(void **state)
{
    struct harness h;
    h_init(&h);
    h_start(&h);
    size_t n = sample_tcp(true);
    for (size_t len = 0; len < n; len++) {
        struct ips_result r = h_send(&h, fr, len);
        assert_int_equal(r.verdict, IPS_DROP);
        assert_int_equal(r.reason, IPS_EV_DECODE_ERROR);
    }
    assert_int_equal(h.events[IPS_EV_DECODE_ERROR], n);
    h_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tcp_fields),
        cmocka_unit_test(test_udp_and_padding),
        cmocka_unit_test(test_truncated_everywhere),
        cmocka_unit_test(test_malformations),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_pipeline_truncation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
