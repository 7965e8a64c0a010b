/* test_ofp_codec.c - round trips of every message type, hand-written spec-layout byte vectors,
 * match/action semantics and the multipart iterator. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ofp_samples.h"

static void encode_ok(const struct ofp_msg *m, struct hs_buf *out)
{
    hs_buf_clear(out);
    assert_int_equal(ofp_encode(m, out), OFP_OK);
    assert_true(out->len >= OFP_HEADER_LEN);
    assert_int_equal(hs_be16(out->data + 2), out->len);
}

static void decode_ok(const struct hs_buf *in, struct ofp_msg *m)
{
    struct ofp_decode_err err;
    int rc = ofp_decode(in->data, in->len, m, &err);
    if (rc != OFP_OK)
        fail_msg("decode failed: %s/%s: %s", ofp_error_type_name(err.type),
                 ofp_error_code_name(err.type, err.code), err.text);
}

/* Every sample: encode -> frame -> decode -> same message -> re-encode is byte-identical. */
static void test_roundtrip_all(void **state)
{
    struct hs_buf body = HS_BUF_INIT, a = HS_BUF_INIT, b = HS_BUF_INIT;
    struct ofp_msg m, d;
    const char *name;
    size_t i = 0;
    bool seen[32] = {false};
    for (; (name = ofp_sample(i, &m, &body)) != NULL; i++) {
        encode_ok(&m, &a);
        assert_int_equal(ofp_frame_len(a.data, a.len), (int)a.len);
        decode_ok(&a, &d);
        const char *why;
        if (!ofp_msg_same(&m, &d, &why))
            fail_msg("sample %s: decoded message differs in %s", name, why);
        encode_ok(&d, &b);
        assert_int_equal(a.len, b.len);
        assert_memory_equal(a.data, b.data, a.len);
        seen[m.type] = true;
    }
    assert_true(i >= 31);
    static const uint8_t api_types[] = {
        OFPT_HELLO, OFPT_ERROR, OFPT_ECHO_REQUEST, OFPT_ECHO_REPLY, OFPT_FEATURES_REQUEST,
        OFPT_FEATURES_REPLY, OFPT_GET_CONFIG_REQUEST, OFPT_GET_CONFIG_REPLY, OFPT_SET_CONFIG,
        OFPT_PACKET_IN, OFPT_FLOW_REMOVED, OFPT_PORT_STATUS, OFPT_PACKET_OUT, OFPT_FLOW_MOD,
        OFPT_MULTIPART_REQUEST, OFPT_MULTIPART_REPLY, OFPT_BARRIER_REQUEST, OFPT_BARRIER_REPLY};
    for (size_t k = 0; k < sizeof api_types; k++)
        if (!seen[api_types[k]])
            fail_msg("no sample of %s", ofp_type_name(api_types[k]));
    hs_buf_free(&body);
    hs_buf_free(&a);
    hs_buf_free(&b);
}

/* Several messages back to back in one stream are framed one by one. */
static void test_framing_stream(void **state)
{
    struct hs_buf body = HS_BUF_INIT, s = HS_BUF_INIT;
    struct ofp_msg m;
    size_t n = 0;
    for (; ofp_sample(n, &m, &body); n++)
        assert_int_equal(ofp_encode(&m, &s), OFP_OK);
    size_t off = 0, count = 0;
    while (off < s.len) {
        int len = ofp_frame_len(s.data + off, s.len - off);
        assert_true(len >= OFP_HEADER_LEN);
        /* a partial message asks for more */
        assert_int_equal(ofp_frame_len(s.data + off, (size_t)len - 1), 0);
        struct ofp_msg d;
        assert_int_equal(ofp_decode(s.data + off, (size_t)len, &d, NULL), OFP_OK);
        assert_int_equal(d.xid, 0x1000u + count);
        off += (size_t)len;
        count++;
    }
    assert_int_equal(count, n);
    uint8_t bad[8] = {4, 0, 0, 7, 0, 0, 0, 0};
    assert_int_equal(ofp_frame_len(bad, sizeof bad), -1);
    assert_int_equal(ofp_frame_len(bad, 3), 0);
    hs_buf_free(&body);
    hs_buf_free(&s);
}

static const uint8_t flow_mod_vec[] = {
    0x04, 0x0e, 0x00, 0x60, 0x00, 0x00, 0x00, 0x2a,             /* header, len 96, xid 42 */
    0, 0, 0, 0, 0, 0, 0, 0x01,                                  /* cookie */
    0, 0, 0, 0, 0, 0, 0, 0,                                     /* cookie_mask */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x64,             /* table, ADD, idle, hard, prio */
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfd,             /* buffer_id, out_port */
    0xff, 0xff, 0xff, 0xff, 0x00, 0x01, 0x00, 0x00,             /* out_group, flags, pad */
    0x00, 0x01, 0x00, 0x16,                                     /* match OXM, length 22 */
    0x80, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01,             /* in_port = 1 */
    0x80, 0x00, 0x06, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, /* eth_dst */
    0x00, 0x00,                                                 /* match padding */
    0x00, 0x04, 0x00, 0x18, 0x00, 0x00, 0x00, 0x00,             /* APPLY_ACTIONS, len 24 */
    0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x02,             /* OUTPUT len 16 port 2 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,             /* max_len 0, pad */
};

static void test_vector_flow_mod(void **state)
{
    struct ofp_msg m;
    ofp_msg_init(&m, OFPT_FLOW_MOD, 42);
    struct ofp_flow_mod *fm = &m.u.flow_mod;
    fm->cookie = 1;
    fm->priority = 100;
    fm->out_port = OFPP_CONTROLLER; /* not the default, to check the field offset */
    fm->flags = OFPFF_SEND_FLOW_REM;
    fm->match.in_port = 1;
    OFP_MATCH_SET(&fm->match, OFPXMT_IN_PORT);
    static const uint8_t mac[6] = {0, 0, 0, 0, 0, 2};
    memcpy(fm->match.eth_dst, mac, 6);
    OFP_MATCH_SET(&fm->match, OFPXMT_ETH_DST);
    assert_int_equal(ofp_actions_output(&fm->actions, 2), OFP_OK);

    struct hs_buf out = HS_BUF_INIT;
    encode_ok(&m, &out);
    assert_int_equal(out.len, sizeof flow_mod_vec);
    assert_memory_equal(out.data, flow_mod_vec, sizeof flow_mod_vec);

    struct ofp_msg d;
    struct ofp_decode_err err;
    assert_int_equal(ofp_decode(flow_mod_vec, sizeof flow_mod_vec, &d, &err), OFP_OK);
    assert_int_equal(d.type, OFPT_FLOW_MOD);
    assert_int_equal(d.xid, 42);
    assert_int_equal(d.u.flow_mod.priority, 100);
    assert_int_equal(d.u.flow_mod.buffer_id, OFP_NO_BUFFER);
    assert_int_equal(d.u.flow_mod.out_port, OFPP_CONTROLLER);
    assert_int_equal(d.u.flow_mod.out_group, OFPG_ANY);
    assert_int_equal(d.u.flow_mod.flags, OFPFF_SEND_FLOW_REM);
    assert_int_equal(d.u.flow_mod.match.fields, (1u << OFPXMT_IN_PORT) | (1u << OFPXMT_ETH_DST));
    assert_int_equal(d.u.flow_mod.match.in_port, 1);
    assert_memory_equal(d.u.flow_mod.match.eth_dst, mac, 6);
    assert_int_equal(d.u.flow_mod.actions.n, 1);
    assert_int_equal(d.u.flow_mod.actions.a[0].kind, OFPAT_OUTPUT);
    assert_int_equal(d.u.flow_mod.actions.a[0].port, 2);
    assert_int_equal(d.u.flow_mod.actions.goto_table, 0xff);
    assert_true(ofp_match_equal(&d.u.flow_mod.match, &fm->match));
    assert_true(ofp_actions_equal(&d.u.flow_mod.actions, &fm->actions));
    hs_buf_free(&out);
}

static void test_vector_packet_in(void **state)
{
    uint8_t v[102] = {
        0x04, 0x0a, 0x00, 0x66, 0x00, 0x00, 0x00, 0x00,
        0xff, 0xff, 0xff, 0xff, 0x00, 0x3c, 0x00, 0x01,             /* buffer, total_len, reason, table */
        0x48, 0x53, 0, 0, 0, 0, 0, 0x07,                            /* cookie */
        0x00, 0x01, 0x00, 0x0c, 0x80, 0x00, 0x00, 0x04,             /* match len 12: in_port */
        0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00,             /* port 5, match padding */
        0x00, 0x00,                                                 /* pad */
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff,                         /* data: broadcast dst ... */
    };
    for (size_t i = 48; i < sizeof v; i++)
        v[i] = (uint8_t)i;
    struct ofp_msg d;
    struct ofp_decode_err err;
    assert_int_equal(ofp_decode(v, sizeof v, &d, &err), OFP_OK);
    const struct ofp_packet_in *pi = &d.u.packet_in;
    assert_int_equal(pi->buffer_id, OFP_NO_BUFFER);
    assert_int_equal(pi->total_len, 60);
    assert_int_equal(pi->reason, OFPR_NO_MATCH);
    assert_int_equal(pi->table_id, 1);
    assert_int_equal(pi->cookie, 0x4853000000000007ull);
    assert_int_equal(pi->match.fields, 1u << OFPXMT_IN_PORT);
    assert_int_equal(pi->match.in_port, 5);
    assert_int_equal(pi->data_len, 60);
    assert_ptr_equal(pi->data, v + 42);
    /* re-encoding gives the same bytes */
    struct hs_buf out = HS_BUF_INIT;
    encode_ok(&d, &out);
    assert_int_equal(out.len, sizeof v);
    assert_memory_equal(out.data, v, sizeof v);
    hs_buf_free(&out);
}

static void test_vector_hello_features(void **state)
{
    /* OVS HELLO for a bridge with protocols=OpenFlow10,OpenFlow13: version 4, bitmap {1,4} */
    static const uint8_t hello[] = {0x04, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x09,
                                    0x00, 0x01, 0x00, 0x08, 0x00, 0x00, 0x00, 0x12};
    struct ofp_msg d;
    assert_int_equal(ofp_decode(hello, sizeof hello, &d, NULL), OFP_OK);
    assert_int_equal(d.u.hello.version_bitmap, 0x12);
    struct hs_buf out = HS_BUF_INIT;
    encode_ok(&d, &out);
    assert_memory_equal(out.data, hello, sizeof hello);
    /* a HELLO from a newer switch: other version, unknown element skipped, then a bitmap */
    static const uint8_t hello6[] = {0x06, 0x00, 0x00, 0x18, 0x00, 0x00, 0x00, 0x01,
                                     0x00, 0x07, 0x00, 0x05, 0xaa, 0x00, 0x00, 0x00,
                                     0x00, 0x01, 0x00, 0x08, 0x00, 0x00, 0x00, 0x70};
    assert_int_equal(ofp_decode(hello6, sizeof hello6, &d, NULL), OFP_OK);
    assert_int_equal(d.version, 6);
    assert_int_equal(d.u.hello.version_bitmap, 0x70);
    /* the bare 8-byte HELLO of an old switch */
    static const uint8_t hello1[] = {0x01, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x01};
    assert_int_equal(ofp_decode(hello1, sizeof hello1, &d, NULL), OFP_OK);
    assert_int_equal(d.version, 1);
    assert_int_equal(d.u.hello.version_bitmap, 0);

    static const uint8_t features[] = {
        0x04, 0x06, 0x00, 0x20, 0x00, 0x00, 0x00, 0x02,
        0x00, 0x00, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56,  /* datapath_id */
        0x00, 0x00, 0x01, 0x00, 0xfe, 0x00, 0x00, 0x00,  /* n_buffers 256, n_tables 254 */
        0x00, 0x00, 0x00, 0x4f, 0x00, 0x00, 0x00, 0x00,  /* capabilities, reserved */
    };
    assert_int_equal(ofp_decode(features, sizeof features, &d, NULL), OFP_OK);
    assert_int_equal(d.u.features.datapath_id, 0x0000525400123456ull);
    assert_int_equal(d.u.features.n_buffers, 256);
    assert_int_equal(d.u.features.n_tables, 254);
    assert_int_equal(d.u.features.capabilities, 0x4f);
    encode_ok(&d, &out);
    assert_int_equal(out.len, 32);
    assert_memory_equal(out.data, features, sizeof features);
    hs_buf_free(&out);
}

static void test_vector_port_status(void **state)
{
    uint8_t v[80] = {0x04, 0x0c, 0x00, 0x50, 0x00, 0x00, 0x00, 0x00,
                     OFPPR_ADD, 0, 0, 0, 0, 0, 0, 0,
                     0x00, 0x00, 0x00, 0x03, 0, 0, 0, 0,                 /* port_no 3 */
                     0x52, 0x54, 0x00, 0x00, 0x00, 0x03, 0, 0,           /* hw_addr, pad */
                     'v', 'e', 't', 'h', '3'};                          /* name[16] */
    hs_st32(v + 48, OFPPC_PORT_DOWN);                                  /* config */
    hs_st32(v + 52, OFPPS_LINK_DOWN);                                  /* state */
    hs_st32(v + 72, 10000000);                                         /* curr_speed */
    struct ofp_msg d;
    assert_int_equal(ofp_decode(v, sizeof v, &d, NULL), OFP_OK);
    assert_int_equal(d.u.port_status.reason, OFPPR_ADD);
    assert_int_equal(d.u.port_status.desc.port_no, 3);
    assert_string_equal(d.u.port_status.desc.name, "veth3");
    assert_int_equal(d.u.port_status.desc.hw_addr[5], 3);
    assert_int_equal(d.u.port_status.desc.config, OFPPC_PORT_DOWN);
    assert_int_equal(d.u.port_status.desc.state, OFPPS_LINK_DOWN);
    assert_int_equal(d.u.port_status.desc.curr_speed, 10000000);
    struct hs_buf out = HS_BUF_INIT;
    encode_ok(&d, &out);
    assert_memory_equal(out.data, v, sizeof v);
    hs_buf_free(&out);
}

static void test_vector_flow_stats_reply(void **state)
{
    /* one flow: table 1, prio 100, cookie 7, in_port=2, actions=output:3,goto_table:2 */
    uint8_t v[8 + 8 + 96] = {0x04, 0x13, 0x00, 0x70, 0x00, 0x00, 0x00, 0x05,
                             0x00, 0x01, 0x00, 0x01, 0, 0, 0, 0};       /* FLOW, REPLY_MORE */
    uint8_t *e = v + 16;
    hs_st16(e, 96);
    e[2] = 1;
    hs_st32(e + 4, 10);                                                /* duration_sec */
    hs_st16(e + 12, 100);                                              /* priority */
    hs_st64(e + 24, 7);                                                /* cookie */
    hs_st64(e + 32, 3);                                                /* packets */
    hs_st64(e + 40, 180);                                              /* bytes */
    static const uint8_t match[16] = {0, 1, 0, 12, 0x80, 0, 0, 4, 0, 0, 0, 2, 0, 0, 0, 0};
    memcpy(e + 48, match, 16);
    static const uint8_t inst[32] = {0, 4, 0, 24, 0, 0, 0, 0, 0, 0, 0, 16, 0, 0, 0, 3,
                                     0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 8, 2, 0, 0, 0};
    memcpy(e + 64, inst, 32);
    struct ofp_msg d;
    struct ofp_decode_err err;
    assert_int_equal(ofp_decode(v, sizeof v, &d, &err), OFP_OK);
    assert_int_equal(d.u.mp_reply.type, OFPMP_FLOW);
    assert_int_equal(d.u.mp_reply.flags, OFPMPF_REPLY_MORE);
    size_t cur = 0;
    struct ofp_mp_entry en;
    assert_int_equal(ofp_mp_next(&d.u.mp_reply, &cur, &en), 1);
    assert_int_equal(en.u.flow.table_id, 1);
    assert_int_equal(en.u.flow.duration_sec, 10);
    assert_int_equal(en.u.flow.priority, 100);
    assert_int_equal(en.u.flow.cookie, 7);
    assert_int_equal(en.u.flow.packet_count, 3);
    assert_int_equal(en.u.flow.byte_count, 180);
    assert_int_equal(en.u.flow.match.in_port, 2);
    assert_int_equal(en.u.flow.actions.n, 1);
    assert_int_equal(en.u.flow.actions.a[0].port, 3);
    assert_int_equal(en.u.flow.actions.goto_table, 2);
    assert_int_equal(ofp_mp_next(&d.u.mp_reply, &cur, &en), 0);
    /* rebuilding the body with ofp_mp_put gives the same bytes */
    struct hs_buf body = HS_BUF_INIT;
    cur = 0;
    assert_int_equal(ofp_mp_next(&d.u.mp_reply, &cur, &en), 1);
    assert_int_equal(ofp_mp_put(&body, &en), OFP_OK);
    assert_int_equal(body.len, 96);
    assert_memory_equal(body.data, e, 96);
    hs_buf_free(&body);
}

static void test_match_all_fields(void **state)
{
    struct ofp_match m;
    ofp_sample_full_match(&m);
    struct ofp_msg msg, d;
    ofp_msg_init(&msg, OFPT_FLOW_REMOVED, 1);
    msg.u.flow_removed.match = m;
    struct hs_buf out = HS_BUF_INIT;
    encode_ok(&msg, &out);
    decode_ok(&out, &d);
    const struct ofp_match *r = &d.u.flow_removed.match;
    assert_int_equal(r->fields, m.fields);
    assert_int_equal(r->masked, m.masked);
    assert_int_equal(r->ipv4_src, 0x0a000000);
    assert_int_equal(r->ipv4_src_mask, 0xffffff00);
    assert_int_equal(r->ipv4_dst, 0xc6120001);
    assert_int_equal(r->tcp_src, 40000);
    assert_int_equal(r->udp_dst, 5353);
    assert_int_equal(r->arp_spa_mask, 0xffff0000);
    assert_memory_equal(r->arp_sha_mask, m.arp_sha_mask, 6);
    assert_memory_equal(r->eth_dst_mask, m.eth_dst_mask, 6);
    assert_true(ofp_match_equal(r, &m));
    hs_buf_free(&out);
}

static void test_match_equal_semantics(void **state)
{
    struct ofp_match a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0xee, sizeof b); /* garbage in absent fields must not matter */
    b.fields = b.masked = 0;
    assert_true(ofp_match_equal(&a, &b));
    a.ipv4_dst = 0x0a000001;
    OFP_MATCH_SET(&a, OFPXMT_IPV4_DST);
    assert_false(ofp_match_equal(&a, &b));
    /* an all-ones mask is an exact match */
    b.ipv4_dst = 0x0a000001;
    b.ipv4_dst_mask = 0xffffffff;
    OFP_MATCH_SET(&b, OFPXMT_IPV4_DST);
    OFP_MATCH_MASK(&b, OFPXMT_IPV4_DST);
    assert_true(ofp_match_equal(&a, &b));
    /* bits outside the mask are ignored; different masks differ */
    a.ipv4_dst_mask = 0xffffff00;
    OFP_MATCH_MASK(&a, OFPXMT_IPV4_DST);
    b.ipv4_dst = 0x0a0000ff;
    b.ipv4_dst_mask = 0xffffff00;
    assert_true(ofp_match_equal(&a, &b));
    b.ipv4_dst_mask = 0xffff0000;
    assert_false(ofp_match_equal(&a, &b));
    /* an all-zero mask is a wildcard: same as absent */
    struct ofp_match c;
    memset(&c, 0, sizeof c);
    c.ipv4_src = 5;
    OFP_MATCH_SET(&c, OFPXMT_IPV4_SRC);
    OFP_MATCH_MASK(&c, OFPXMT_IPV4_SRC);
    struct ofp_match empty;
    memset(&empty, 0, sizeof empty);
    assert_true(ofp_match_equal(&c, &empty));
    /* the encoder sends value & mask */
    struct ofp_msg msg, d;
    ofp_msg_init(&msg, OFPT_FLOW_REMOVED, 1);
    msg.u.flow_removed.match = b;
    struct hs_buf out = HS_BUF_INIT;
    encode_ok(&msg, &out);
    decode_ok(&out, &d);
    assert_int_equal(d.u.flow_removed.match.ipv4_dst, 0x0a000000);
    assert_true(ofp_match_equal(&d.u.flow_removed.match, &b));
    hs_buf_free(&out);
}

static void test_actions_set_field_all(void **state)
{
    struct ofp_match v;
    ofp_sample_full_match(&v);
    static const enum ofp_match_field fields[] = {
        OFPXMT_IN_PORT, OFPXMT_ETH_DST, OFPXMT_ETH_SRC, OFPXMT_ETH_TYPE, OFPXMT_IP_PROTO,
        OFPXMT_IPV4_SRC, OFPXMT_IPV4_DST, OFPXMT_TCP_SRC, OFPXMT_TCP_DST, OFPXMT_UDP_SRC,
        OFPXMT_UDP_DST, OFPXMT_ARP_OP, OFPXMT_ARP_SPA, OFPXMT_ARP_TPA, OFPXMT_ARP_SHA,
        OFPXMT_ARP_THA};
    struct ofp_msg m, d;
    ofp_msg_init(&m, OFPT_FLOW_MOD, 3);
    for (size_t i = 0; i < HS_ARRAY_SIZE(fields); i++)
        assert_int_equal(ofp_actions_set_field(&m.u.flow_mod.actions, fields[i], &v), OFP_OK);
    assert_int_equal(ofp_actions_set_field(&m.u.flow_mod.actions, (enum ofp_match_field)1, &v),
                     OFP_ERR);
    struct hs_buf out = HS_BUF_INIT;
    encode_ok(&m, &out);
    decode_ok(&out, &d);
    assert_int_equal(d.u.flow_mod.actions.n, HS_ARRAY_SIZE(fields));
    assert_true(ofp_actions_equal(&m.u.flow_mod.actions, &d.u.flow_mod.actions));
    assert_int_equal(d.u.flow_mod.actions.a[5].set.ipv4_src, 0x0a000000);
    assert_int_equal(d.u.flow_mod.actions.a[10].set.udp_dst, 5353);
    /* a set_field of a masked source value sends the value, never the mask */
    assert_int_equal(d.u.flow_mod.actions.a[5].set.masked, 0);
    hs_buf_free(&out);
}

static void test_actions_equal_semantics(void **state)
{
    struct ofp_actions a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    b.goto_table = 0xff;
    assert_true(ofp_actions_equal(&a, &b)); /* 0 and 0xff both mean no goto */
    ofp_actions_output(&a, 1);
    assert_false(ofp_actions_equal(&a, &b));
    ofp_actions_output(&b, 1);
    b.a[0].max_len = 99; /* ignored for non-controller ports */
    assert_true(ofp_actions_equal(&a, &b));
    ofp_actions_output(&a, OFPP_CONTROLLER);
    ofp_actions_output(&b, OFPP_CONTROLLER);
    assert_int_equal(a.a[1].max_len, OFPCML_NO_BUFFER);
    assert_true(ofp_actions_equal(&a, &b));
    b.a[1].max_len = 128;
    assert_false(ofp_actions_equal(&a, &b));
    b.a[1].max_len = OFPCML_NO_BUFFER;
    a.goto_table = 2;
    assert_false(ofp_actions_equal(&a, &b));
    b.goto_table = 2;
    assert_true(ofp_actions_equal(&a, &b));
    struct ofp_match v1, v2;
    memset(&v1, 0, sizeof v1);
    memset(&v2, 0x55, sizeof v2);
    v1.tcp_dst = v2.tcp_dst = 80;
    ofp_actions_set_field(&a, OFPXMT_TCP_DST, &v1);
    ofp_actions_set_field(&b, OFPXMT_TCP_DST, &v2);
    assert_true(ofp_actions_equal(&a, &b));
    a.a[2].set.tcp_dst = 81;
    assert_false(ofp_actions_equal(&a, &b));
}

/* A zeroed action list (goto_table 0) encodes no GOTO_TABLE: goto 0 can never be valid. */
static void test_goto_zero_is_none(void **state)
{
    struct ofp_msg m, d;
    ofp_msg_init(&m, OFPT_FLOW_MOD, 1);
    memset(&m.u.flow_mod.actions, 0, sizeof m.u.flow_mod.actions);
    struct hs_buf out = HS_BUF_INIT;
    encode_ok(&m, &out);
    assert_int_equal(out.len, 8 + 40 + 8); /* header, fixed part, empty match, nothing else */
    decode_ok(&out, &d);
    assert_int_equal(d.u.flow_mod.actions.goto_table, 0xff);
    assert_int_equal(d.u.flow_mod.actions.n, 0);
    hs_buf_free(&out);
}

static void test_msg_init_defaults(void **state)
{
    struct ofp_msg m;
    ofp_msg_init(&m, OFPT_FLOW_MOD, 9);
    assert_int_equal(m.version, OFP13_VERSION);
    assert_int_equal(m.type, OFPT_FLOW_MOD);
    assert_int_equal(m.xid, 9);
    assert_int_equal(m.u.flow_mod.buffer_id, OFP_NO_BUFFER);
    assert_int_equal(m.u.flow_mod.out_port, OFPP_ANY);
    assert_int_equal(m.u.flow_mod.out_group, OFPG_ANY);
    assert_int_equal(m.u.flow_mod.actions.goto_table, 0xff);
    ofp_msg_init(&m, OFPT_PACKET_OUT, 1);
    assert_int_equal(m.u.packet_out.buffer_id, OFP_NO_BUFFER);
    assert_int_equal(m.u.packet_out.in_port, OFPP_CONTROLLER);
    ofp_msg_init(&m, OFPT_HELLO, 1);
    assert_int_equal(m.u.hello.version_bitmap, 1u << 4);
    ofp_msg_init(&m, OFPT_SET_CONFIG, 1);
    assert_int_equal(m.u.config.miss_send_len, OFP_DEFAULT_MISS_SEND_LEN);
}

/* Every entry of every multipart reply sample iterates back exactly as built. */
static void test_multipart_iterate(void **state)
{
    struct hs_buf body = HS_BUF_INIT, rebuilt = HS_BUF_INIT;
    struct ofp_msg m;
    const char *name;
    for (size_t i = 0; (name = ofp_sample(i, &m, &body)) != NULL; i++) {
        if (m.type != OFPT_MULTIPART_REPLY)
            continue;
        size_t cur = 0, n = 0;
        struct ofp_mp_entry e;
        int rc;
        hs_buf_clear(&rebuilt);
        while ((rc = ofp_mp_next(&m.u.mp_reply, &cur, &e)) == 1) {
            assert_int_equal(e.type, m.u.mp_reply.type);
            assert_int_equal(ofp_mp_put(&rebuilt, &e), OFP_OK);
            n++;
        }
        assert_int_equal(rc, 0);
        assert_int_equal(cur, body.len);
        assert_int_equal(rebuilt.len, body.len);
        if (body.len)
            assert_memory_equal(rebuilt.data, body.data, body.len);
        size_t expect = m.u.mp_reply.type == OFPMP_DESC || m.u.mp_reply.type == OFPMP_AGGREGATE
                            ? 1
                            : (body.len ? 2 : 0);
        if (n != expect)
            fail_msg("%s: %zu entries, expected %zu", name, n, expect);
    }
    hs_buf_free(&body);
    hs_buf_free(&rebuilt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip_all),
        cmocka_unit_test(test_framing_stream),
        cmocka_unit_test(test_vector_flow_mod),
        cmocka_unit_test(test_vector_packet_in),
        cmocka_unit_test(test_vector_hello_features),
        cmocka_unit_test(test_vector_port_status),
        cmocka_unit_test(test_vector_flow_stats_reply),
        cmocka_unit_test(test_match_all_fields),
        cmocka_unit_test(test_match_equal_semantics),
        cmocka_unit_test(test_actions_set_field_all),
        cmocka_unit_test(test_actions_equal_semantics),
        cmocka_unit_test(test_goto_zero_is_none),
        cmocka_unit_test(test_msg_init_defaults),
        cmocka_unit_test(test_multipart_iterate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
