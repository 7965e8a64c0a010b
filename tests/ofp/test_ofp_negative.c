/* test_ofp_negative.c - malformed input must be rejected with the right OpenFlow error, and
 * unrepresentable messages must not be encoded. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ofp_samples.h"

static void expect_err(const uint8_t *p, size_t n, uint16_t type, uint16_t code)
{
    struct ofp_msg m;
    struct ofp_decode_err err;
    int rc = ofp_decode(p, n, &m, &err);
    if (rc != OFP_ERR)
        fail_msg("decode accepted a bad message (expected %s/%s)", ofp_error_type_name(type),
                 ofp_error_code_name(type, code));
    if (err.type != type || err.code != code)
        fail_msg("got %s/%s (%s), expected %s/%s", ofp_error_type_name(err.type),
                 ofp_error_code_name(err.type, err.code), err.text, ofp_error_type_name(type),
                 ofp_error_code_name(type, code));
    assert_true(strlen(err.text) > 0);
}

static void encode_sample(size_t i, struct hs_buf *out, struct hs_buf *body)
{
    struct ofp_msg m;
    assert_non_null(ofp_sample(i, &m, body));
    hs_buf_clear(out);
    assert_int_equal(ofp_encode(&m, out), OFP_OK);
}

/* Truncating any sample at any length: with the original header length it is BAD_LEN; with
 * the header length patched to match, it is an error or (where a shorter message is valid, e.g.
 * less echo data) a message that re-encodes to exactly those bytes. */
static void test_truncated_everywhere(void **state)
{
    struct hs_buf body = HS_BUF_INIT, out = HS_BUF_INIT, re = HS_BUF_INIT;
    struct ofp_msg m;
    for (size_t i = 0; ofp_sample(i, &m, &body); i++) {
        encode_sample(i, &out, &body);
        uint8_t *copy = malloc(out.len);
        assert_non_null(copy);
        for (size_t k = 0; k < out.len; k++) {
            memcpy(copy, out.data, k);
            struct ofp_decode_err err;
            struct ofp_msg d;
            assert_int_equal(ofp_decode(copy, k, &d, &err), OFP_ERR);
            assert_int_equal(err.type, OFPET_BAD_REQUEST);
            assert_int_equal(err.code, OFPBRC_BAD_LEN);
            if (k < OFP_HEADER_LEN)
                continue;
            hs_st16(copy + 2, (uint16_t)k);
            if (ofp_decode(copy, k, &d, &err) == OFP_OK) {
                hs_buf_clear(&re);
                assert_int_equal(ofp_encode(&d, &re), OFP_OK);
                if (re.len != k || memcmp(re.data, copy, k) != 0)
                    fail_msg("sample %zu cut at %zu decodes but does not re-encode to itself", i,
                             k);
            }
        }
        free(copy);
    }
    hs_buf_free(&body);
    hs_buf_free(&out);
    hs_buf_free(&re);
}

/* Fixed-size messages: every other length is BAD_LEN. */
static void test_fixed_lengths(void **state)
{
    static const uint8_t types[] = {OFPT_FEATURES_REQUEST, OFPT_FEATURES_REPLY,
                                    OFPT_GET_CONFIG_REPLY, OFPT_SET_CONFIG, OFPT_PORT_STATUS,
                                    OFPT_BARRIER_REQUEST, OFPT_BARRIER_REPLY};
    static const size_t lens[] = {8, 32, 12, 12, 80, 8, 8};
    uint8_t buf[128] = {0};
    for (size_t t = 0; t < sizeof types; t++) {
        for (size_t n = 8; n < sizeof buf; n++) {
            if (n == lens[t])
                continue;
            buf[0] = OFP13_VERSION;
            buf[1] = types[t];
            hs_st16(buf + 2, (uint16_t)n);
            expect_err(buf, n, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN);
        }
    }
}

static void test_header_errors(void **state)
{
    struct hs_buf body = HS_BUF_INIT, out = HS_BUF_INIT;
    encode_sample(14, &out, &body); /* FLOW_MOD */
    /* length field larger / smaller than the buffer */
    hs_st16(out.data + 2, (uint16_t)(out.len + 8));
    expect_err(out.data, out.len, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN);
    hs_st16(out.data + 2, (uint16_t)(out.len - 8));
    expect_err(out.data, out.len, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN);
    hs_st16(out.data + 2, (uint16_t)out.len);
    /* wrong version */
    out.data[0] = 0x01;
    expect_err(out.data, out.len, OFPET_BAD_REQUEST, OFPBRC_BAD_VERSION);
    out.data[0] = 0x05;
    expect_err(out.data, out.len, OFPET_BAD_REQUEST, OFPBRC_BAD_VERSION);
    /* unknown types */
    uint8_t h[8] = {4, 30, 0, 8, 0, 0, 0, 1};
    expect_err(h, sizeof h, OFPET_BAD_REQUEST, OFPBRC_BAD_TYPE);
    h[1] = 200;
    expect_err(h, sizeof h, OFPET_BAD_REQUEST, OFPBRC_BAD_TYPE);
    expect_err(h, 4, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN);
    hs_buf_free(&body);
    hs_buf_free(&out);
}

/* Recognised but unsupported messages: length-checked, then BAD_TYPE / BAD_EXPERIMENTER. */
static void test_unsupported_types(void **state)
{
    static const struct { uint8_t type; size_t len; } cases[] = {
        {OFPT_GROUP_MOD, 16}, {OFPT_PORT_MOD, 40}, {OFPT_TABLE_MOD, 16},
        {OFPT_QUEUE_GET_CONFIG_REQUEST, 16}, {OFPT_QUEUE_GET_CONFIG_REPLY, 16},
        {OFPT_ROLE_REQUEST, 24}, {OFPT_ROLE_REPLY, 24}, {OFPT_GET_ASYNC_REQUEST, 8},
        {OFPT_GET_ASYNC_REPLY, 32}, {OFPT_SET_ASYNC, 32}, {OFPT_METER_MOD, 16}};
    uint8_t buf[64] = {0};
    for (size_t i = 0; i < HS_ARRAY_SIZE(cases); i++) {
        buf[0] = OFP13_VERSION;
        buf[1] = cases[i].type;
        hs_st16(buf + 2, (uint16_t)cases[i].len);
        expect_err(buf, cases[i].len, OFPET_BAD_REQUEST, OFPBRC_BAD_TYPE);
        struct ofp_msg m;
        ofp_msg_init(&m, (enum ofp_type)cases[i].type, 1);
        struct hs_buf out = HS_BUF_INIT;
        assert_int_equal(ofp_encode(&m, &out), OFP_ERR);
        assert_int_equal(out.len, 0);
        hs_buf_free(&out);
    }
    uint8_t exp[16] = {4, OFPT_EXPERIMENTER, 0, 16, 0, 0, 0, 1, 0x00, 0x00, 0x23, 0x20};
    expect_err(exp, sizeof exp, OFPET_BAD_REQUEST, OFPBRC_BAD_EXPERIMENTER);
    exp[3] = 12;
    expect_err(exp, 12, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN);
}

/* Build a FLOW_MOD with the given raw match bytes (already padded) and instruction bytes. */
static size_t raw_flow_mod(uint8_t *buf, const uint8_t *match, size_t mlen, const uint8_t *inst,
                           size_t ilen)
{
    memset(buf, 0, 48);
    buf[0] = OFP13_VERSION;
    buf[1] = OFPT_FLOW_MOD;
    memcpy(buf + 48, match, mlen);
    if (ilen)
        memcpy(buf + 48 + mlen, inst, ilen);
    size_t n = 48 + mlen + ilen;
    hs_st16(buf + 2, (uint16_t)n);
    return n;
}

static const uint8_t empty_match[8] = {0, 1, 0, 4, 0, 0, 0, 0};

static void test_bad_matches(void **state)
{
    uint8_t buf[512];
    size_t n;
    /* unknown OXM field: vlan_vid (6) */
    static const uint8_t vlan[16] = {0, 1, 0, 10, 0x80, 0, 0x0c, 2, 0x10, 0x05, 0, 0, 0, 0, 0, 0};
    n = raw_flow_mod(buf, vlan, sizeof vlan, NULL, 0);
    expect_err(buf, n, OFPET_BAD_MATCH, OFPBMC_BAD_FIELD);
    /* non-basic class (NXM_NX_REG0, class 1) */
    static const uint8_t nxm[16] = {0, 1, 0, 12, 0x00, 0x01, 0x00, 0x04, 0, 0, 0, 1, 0, 0, 0, 0};
    n = raw_flow_mod(buf, nxm, sizeof nxm, NULL, 0);
    expect_err(buf, n, OFPET_BAD_MATCH, OFPBMC_BAD_FIELD);
    /* duplicate in_port */
    static const uint8_t dup[24] = {0, 1, 0, 20, 0x80, 0, 0, 4, 0, 0, 0, 1,
                                    0x80, 0, 0, 4, 0, 0, 0, 2, 0, 0, 0, 0};
    n = raw_flow_mod(buf, dup, sizeof dup, NULL, 0);
    expect_err(buf, n, OFPET_BAD_MATCH, OFPBMC_DUP_FIELD);
    /* masked in_port (not maskable) */
    static const uint8_t mport[16] = {0, 1, 0, 16, 0x80, 0, 1, 8, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff};
    n = raw_flow_mod(buf, mport, sizeof mport, NULL, 0);
    expect_err(buf, n, OFPET_BAD_MATCH, OFPBMC_BAD_MASK);
    /* wrong OXM payload length for eth_type (3 instead of 2) */
    static const uint8_t blen[16] = {0, 1, 0, 11, 0x80, 0, 0x0a, 3, 0x08, 0x00, 0, 0, 0, 0, 0, 0};
    n = raw_flow_mod(buf, blen, sizeof blen, NULL, 0);
    expect_err(buf, n, OFPET_BAD_MATCH, OFPBMC_BAD_LEN);
    /* OXM payload longer than the match */
    static const uint8_t over[8] = {0, 1, 0, 8, 0x80, 0, 0, 20, };
    n = raw_flow_mod(buf, over, sizeof over, NULL, 0);
    expect_err(buf, n, OFPET_BAD_MATCH, OFPBMC_BAD_LEN);
    /* truncated OXM header inside the match */
    static const uint8_t trunc[8] = {0, 1, 0, 6, 0x80, 0, 0, 0};
    n = raw_flow_mod(buf, trunc, sizeof trunc, NULL, 0);
    expect_err(buf, n, OFPET_BAD_MATCH, OFPBMC_BAD_LEN);
    /* match length overflowing the message */
    static const uint8_t big[8] = {0, 1, 0, 200, 0, 0, 0, 0};
    n = raw_flow_mod(buf, big, sizeof big, NULL, 0);
    expect_err(buf, n, OFPET_BAD_MATCH, OFPBMC_BAD_LEN);
    /* match length below the 4-byte header */
    static const uint8_t small[8] = {0, 1, 0, 2, 0, 0, 0, 0};
    n = raw_flow_mod(buf, small, sizeof small, NULL, 0);
    expect_err(buf, n, OFPET_BAD_MATCH, OFPBMC_BAD_LEN);
    /* OF1.0-style standard match type 0 */
    static const uint8_t std[8] = {0, 0, 0, 4, 0, 0, 0, 0};
    n = raw_flow_mod(buf, std, sizeof std, NULL, 0);
    expect_err(buf, n, OFPET_BAD_MATCH, OFPBMC_BAD_TYPE);
    /* a PACKET_IN whose match hides a tunnel_id: BAD_FIELD, named in the text */
    uint8_t pin[8 + 16 + 16 + 2] = {4, OFPT_PACKET_IN, 0, 42};
    static const uint8_t tun[16] = {0, 1, 0, 16, 0x80, 0, 0x4c, 8, 0, 0, 0, 0, 0, 0, 0, 9};
    memcpy(pin + 24, tun, 16);
    struct ofp_msg m;
    struct ofp_decode_err err;
    assert_int_equal(ofp_decode(pin, sizeof pin, &m, &err), OFP_ERR);
    assert_int_equal(err.code, OFPBMC_BAD_FIELD);
    assert_non_null(strstr(err.text, "tunnel_id"));
    /* a PACKET_IN without the 2 pad bytes */
    uint8_t pin2[8 + 16 + 8] = {4, OFPT_PACKET_IN, 0, 32};
    memcpy(pin2 + 24, empty_match, 8);
    expect_err(pin2, sizeof pin2, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN);
}

static void test_bad_actions_instructions(void **state)
{
    uint8_t buf[1024], inst[600];
    size_t n;
    /* 17 outputs: TOO_MANY, never truncated */
    memset(inst, 0, sizeof inst);
    hs_st16(inst, 4);
    hs_st16(inst + 2, (uint16_t)(8 + 17 * 16));
    for (int i = 0; i < 17; i++) {
        hs_st16(inst + 8 + i * 16, OFPAT_OUTPUT);
        hs_st16(inst + 8 + i * 16 + 2, 16);
        hs_st32(inst + 8 + i * 16 + 4, (uint32_t)i + 1);
    }
    n = raw_flow_mod(buf, empty_match, 8, inst, 8 + 17 * 16);
    expect_err(buf, n, OFPET_BAD_ACTION, OFPBAC_TOO_MANY);
    /* exactly 16 is fine */
    hs_st16(inst + 2, (uint16_t)(8 + 16 * 16));
    n = raw_flow_mod(buf, empty_match, 8, inst, 8 + 16 * 16);
    struct ofp_msg m;
    assert_int_equal(ofp_decode(buf, n, &m, NULL), OFP_OK);
    assert_int_equal(m.u.flow_mod.actions.n, 16);
    /* action length not a multiple of 8 */
    static const uint8_t odd[24] = {0, 4, 0, 24, 0, 0, 0, 0, 0, 0, 0, 12, 0, 0, 0, 1};
    n = raw_flow_mod(buf, empty_match, 8, odd, sizeof odd);
    expect_err(buf, n, OFPET_BAD_ACTION, OFPBAC_BAD_LEN);
    /* action overflowing its instruction */
    static const uint8_t ovf[24] = {0, 4, 0, 24, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0, 0, 1};
    n = raw_flow_mod(buf, empty_match, 8, ovf, sizeof ovf);
    expect_err(buf, n, OFPET_BAD_ACTION, OFPBAC_BAD_LEN);
    /* OUTPUT with length 8 */
    static const uint8_t out8[16] = {0, 4, 0, 16, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 1};
    n = raw_flow_mod(buf, empty_match, 8, out8, sizeof out8);
    expect_err(buf, n, OFPET_BAD_ACTION, OFPBAC_BAD_LEN);
    /* unsupported action: GROUP (22) */
    static const uint8_t grp[16] = {0, 4, 0, 16, 0, 0, 0, 0, 0, 22, 0, 8, 0, 0, 0, 1};
    n = raw_flow_mod(buf, empty_match, 8, grp, sizeof grp);
    expect_err(buf, n, OFPET_BAD_ACTION, OFPBAC_BAD_TYPE);
    /* SET_FIELD with a mask */
    static const uint8_t sfm[24] = {0, 4, 0, 24, 0, 0, 0, 0, 0, 25, 0, 16, 0x80, 0, 0x1d, 4,
                                    0, 80, 0xff, 0xff, 0, 0, 0, 0};
    n = raw_flow_mod(buf, empty_match, 8, sfm, sizeof sfm);
    expect_err(buf, n, OFPET_BAD_ACTION, OFPBAC_BAD_SET_ARGUMENT);
    /* SET_FIELD of an unsupported field (vlan_vid) */
    static const uint8_t sfv[24] = {0, 4, 0, 24, 0, 0, 0, 0, 0, 25, 0, 16, 0x80, 0, 0x0c, 2,
                                    0x10, 0x05, 0, 0, 0, 0, 0, 0};
    n = raw_flow_mod(buf, empty_match, 8, sfv, sizeof sfv);
    expect_err(buf, n, OFPET_BAD_ACTION, OFPBAC_BAD_SET_TYPE);
    /* SET_FIELD whose OXM length disagrees with the field */
    static const uint8_t sfl[24] = {0, 4, 0, 24, 0, 0, 0, 0, 0, 25, 0, 16, 0x80, 0, 0x1c, 4,
                                    0, 80, 0, 0, 0, 0, 0, 0};
    n = raw_flow_mod(buf, empty_match, 8, sfl, sizeof sfl);
    expect_err(buf, n, OFPET_BAD_ACTION, OFPBAC_BAD_SET_LEN);
    /* WRITE_ACTIONS instruction: UNSUP_INST; type 9: UNKNOWN_INST */
    static const uint8_t wa[8] = {0, 3, 0, 8, 0, 0, 0, 0};
    n = raw_flow_mod(buf, empty_match, 8, wa, sizeof wa);
    expect_err(buf, n, OFPET_BAD_INSTRUCTION, OFPBIC_UNSUP_INST);
    static const uint8_t unk[8] = {0, 9, 0, 8, 0, 0, 0, 0};
    n = raw_flow_mod(buf, empty_match, 8, unk, sizeof unk);
    expect_err(buf, n, OFPET_BAD_INSTRUCTION, OFPBIC_UNKNOWN_INST);
    /* instruction length not a multiple of 8, or overflowing */
    static const uint8_t il[8] = {0, 1, 0, 7, 1, 0, 0, 0};
    n = raw_flow_mod(buf, empty_match, 8, il, sizeof il);
    expect_err(buf, n, OFPET_BAD_INSTRUCTION, OFPBIC_BAD_LEN);
    static const uint8_t io[8] = {0, 4, 0, 16, 0, 0, 0, 0};
    n = raw_flow_mod(buf, empty_match, 8, io, sizeof io);
    expect_err(buf, n, OFPET_BAD_INSTRUCTION, OFPBIC_BAD_LEN);
    static const uint8_t stray[4] = {0, 1, 0, 8};
    n = raw_flow_mod(buf, empty_match, 8, stray, sizeof stray);
    expect_err(buf, n, OFPET_BAD_INSTRUCTION, OFPBIC_BAD_LEN);
    /* goto_table 0 is never valid */
    static const uint8_t g0[8] = {0, 1, 0, 8, 0, 0, 0, 0};
    n = raw_flow_mod(buf, empty_match, 8, g0, sizeof g0);
    expect_err(buf, n, OFPET_BAD_INSTRUCTION, OFPBIC_BAD_TABLE_ID);
    /* two APPLY_ACTIONS */
    static const uint8_t two[16] = {0, 4, 0, 8, 0, 0, 0, 0, 0, 4, 0, 8, 0, 0, 0, 0};
    n = raw_flow_mod(buf, empty_match, 8, two, sizeof two);
    expect_err(buf, n, OFPET_BAD_INSTRUCTION, OFPBIC_UNSUP_INST);
    /* bad FLOW_MOD command */
    n = raw_flow_mod(buf, empty_match, 8, NULL, 0);
    buf[8 + 17] = 5;
    expect_err(buf, n, OFPET_FLOW_MOD_FAILED, OFPFMFC_BAD_COMMAND);

    /* PACKET_OUT: actions_len overflowing the message, not a multiple of 8 */
    uint8_t po[40] = {4, OFPT_PACKET_OUT, 0, 40};
    hs_st16(po + 16, 32);
    expect_err(po, sizeof po, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN);
    hs_st16(po + 16, 12);
    expect_err(po, sizeof po, OFPET_BAD_ACTION, OFPBAC_BAD_LEN);
}

static void test_encode_refuses(void **state)
{
    struct hs_buf out = HS_BUF_INIT;
    hs_buf_put(&out, "keep", 4);
    struct ofp_msg m;
    /* overflowing action list: the 17th append fails and the message is refused */
    ofp_msg_init(&m, OFPT_FLOW_MOD, 1);
    for (int i = 0; i < OFP_MAX_ACTIONS; i++)
        assert_int_equal(ofp_actions_output(&m.u.flow_mod.actions, (uint32_t)i + 1), OFP_OK);
    assert_int_equal(ofp_actions_output(&m.u.flow_mod.actions, 99), OFP_ERR);
    assert_true(m.u.flow_mod.actions.overflow);
    assert_int_equal(m.u.flow_mod.actions.n, OFP_MAX_ACTIONS);
    assert_int_equal(ofp_encode(&m, &out), OFP_ERR);
    assert_int_equal(out.len, 4);
    ofp_msg_init(&m, OFPT_PACKET_OUT, 1);
    for (int i = 0; i <= OFP_MAX_ACTIONS; i++)
        ofp_actions_output(&m.u.packet_out.actions, 1);
    assert_int_equal(ofp_encode(&m, &out), OFP_ERR);
    /* a match field we cannot represent, a mask on a non-maskable field, a mask without field */
    ofp_msg_init(&m, OFPT_FLOW_MOD, 1);
    m.u.flow_mod.match.fields = 1u << 6;
    assert_int_equal(ofp_encode(&m, &out), OFP_ERR);
    m.u.flow_mod.match.fields = 1u << OFPXMT_TCP_DST;
    m.u.flow_mod.match.masked = 1u << OFPXMT_TCP_DST;
    assert_int_equal(ofp_encode(&m, &out), OFP_ERR);
    m.u.flow_mod.match.fields = 0;
    m.u.flow_mod.match.masked = 1u << OFPXMT_IPV4_DST;
    assert_int_equal(ofp_encode(&m, &out), OFP_ERR);
    /* unknown action kind, bad command */
    ofp_msg_init(&m, OFPT_FLOW_MOD, 1);
    ofp_actions_output(&m.u.flow_mod.actions, 1);
    m.u.flow_mod.actions.a[0].kind = (enum ofp_action_kind)3;
    assert_int_equal(ofp_encode(&m, &out), OFP_ERR);
    ofp_msg_init(&m, OFPT_FLOW_MOD, 1);
    m.u.flow_mod.command = (enum ofp_flow_mod_command)9;
    assert_int_equal(ofp_encode(&m, &out), OFP_ERR);
    /* too long: echo of 65535 data bytes does not fit the 16-bit length */
    static uint8_t big[65535];
    ofp_msg_init(&m, OFPT_ECHO_REQUEST, 1);
    m.u.echo.data = big;
    m.u.echo.data_len = sizeof big;
    assert_int_equal(ofp_encode(&m, &out), OFP_ERR);
    m.u.echo.data_len = sizeof big - OFP_HEADER_LEN;
    assert_int_equal(ofp_encode(&m, &out), OFP_OK);
    assert_int_equal(out.len, 4 + 65535);
    /* a port name without NUL, unknown types, unsupported multipart types */
    out.len = 4;
    ofp_msg_init(&m, OFPT_PORT_STATUS, 1);
    memset(m.u.port_status.desc.name, 'x', sizeof m.u.port_status.desc.name);
    assert_int_equal(ofp_encode(&m, &out), OFP_ERR);
    ofp_msg_init(&m, (enum ofp_type)77, 1);
    assert_int_equal(ofp_encode(&m, &out), OFP_ERR);
    ofp_msg_init(&m, OFPT_MULTIPART_REQUEST, 1);
    m.u.mp_request.type = 6; /* GROUP */
    assert_int_equal(ofp_encode(&m, &out), OFP_ERR);
    ofp_msg_init(&m, OFPT_MULTIPART_REPLY, 1);
    m.u.mp_reply.type = OFPMP_TABLE;
    static const uint8_t partial[10] = {0};
    m.u.mp_reply.body = partial;
    m.u.mp_reply.body_len = sizeof partial;
    assert_int_equal(ofp_encode(&m, &out), OFP_ERR);
    assert_int_equal(out.len, 4);
    assert_memory_equal(out.data, "keep", 4);
    /* mp_put of an unknown entry type leaves the body alone */
    struct ofp_mp_entry e;
    memset(&e, 0, sizeof e);
    e.type = 9;
    assert_int_equal(ofp_mp_put(&out, &e), OFP_ERR);
    assert_int_equal(out.len, 4);
    hs_buf_free(&out);
}

static void test_bad_multipart(void **state)
{
    uint8_t buf[256] = {0};
    buf[0] = OFP13_VERSION;
    /* request of an unsupported type */
    buf[1] = OFPT_MULTIPART_REQUEST;
    hs_st16(buf + 2, 16);
    hs_st16(buf + 8, 6); /* GROUP */
    expect_err(buf, 16, OFPET_BAD_REQUEST, OFPBRC_BAD_MULTIPART);
    /* DESC request with a body; PORT_STATS request of wrong size */
    hs_st16(buf + 8, OFPMP_DESC);
    hs_st16(buf + 2, 24);
    expect_err(buf, 24, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN);
    hs_st16(buf + 8, OFPMP_PORT_STATS);
    hs_st16(buf + 2, 20);
    expect_err(buf, 20, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN);
    /* replies: partial entries */
    buf[1] = OFPT_MULTIPART_REPLY;
    hs_st16(buf + 8, OFPMP_TABLE);
    hs_st16(buf + 2, 16 + 30);
    expect_err(buf, 16 + 30, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN);
    hs_st16(buf + 8, OFPMP_PORT_STATS);
    hs_st16(buf + 2, 16 + 100);
    expect_err(buf, 16 + 100, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN);
    hs_st16(buf + 8, OFPMP_PORT_DESC);
    hs_st16(buf + 2, 16 + 64); /* a port entry whose name is not terminated */
    memset(buf + 16 + 16, 'x', 16);
    expect_err(buf, 16 + 64, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN);
    memset(buf + 16, 0, 64);
    hs_st16(buf + 8, OFPMP_AGGREGATE);
    hs_st16(buf + 2, 16 + 48);
    expect_err(buf, 16 + 48, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN);
    hs_st16(buf + 8, 12); /* TABLE_FEATURES */
    hs_st16(buf + 2, 16);
    expect_err(buf, 16, OFPET_BAD_REQUEST, OFPBRC_BAD_MULTIPART);
    /* flow entry length below its fixed part, and beyond the body */
    hs_st16(buf + 8, OFPMP_FLOW);
    hs_st16(buf + 2, 16 + 56);
    hs_st16(buf + 16, 48);
    expect_err(buf, 16 + 56, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN);
    hs_st16(buf + 16, 64);
    expect_err(buf, 16 + 56, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN);
    /* a well-formed flow entry with a bad instruction poisons the whole reply */
    hs_st16(buf + 16, 64);
    memcpy(buf + 16 + 48, empty_match, 8);
    static const uint8_t meter[8] = {0, 6, 0, 8, 0, 0, 0, 1};
    memcpy(buf + 16 + 56, meter, 8);
    hs_st16(buf + 2, 16 + 64);
    expect_err(buf, 16 + 64, OFPET_BAD_INSTRUCTION, OFPBIC_UNSUP_INST);
    /* ofp_mp_next on a hand-made malformed body reports -1 */
    struct ofp_multipart_reply r = {OFPMP_TABLE, 0, buf, 10};
    size_t cur = 0;
    struct ofp_mp_entry e;
    assert_int_equal(ofp_mp_next(&r, &cur, &e), -1);
}

static void test_bad_hello(void **state)
{
    uint8_t h[16] = {4, 0, 0, 16, 0, 0, 0, 1, 0, 1, 0, 3, 0, 0, 0, 0};
    expect_err(h, sizeof h, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN); /* element length 3 */
    h[11] = 20;
    expect_err(h, sizeof h, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN); /* overflows */
    h[11] = 6;
    expect_err(h, sizeof h, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN); /* bitmap not 4n */
    h[3] = 10;
    expect_err(h, 10, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN);      /* truncated element header */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_truncated_everywhere),
        cmocka_unit_test(test_fixed_lengths),
        cmocka_unit_test(test_header_errors),
        cmocka_unit_test(test_unsupported_types),
        cmocka_unit_test(test_bad_matches),
        cmocka_unit_test(test_bad_actions_instructions),
        cmocka_unit_test(test_encode_refuses),
        cmocka_unit_test(test_bad_multipart),
        cmocka_unit_test(test_bad_hello),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
