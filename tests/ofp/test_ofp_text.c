/* test_ofp_text.c - message/error names and the ovs-ofctl-like formatting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ofp_samples.h"

static void test_type_names(void **state)
{
    assert_string_equal(ofp_type_name(OFPT_HELLO), "HELLO");
    assert_string_equal(ofp_type_name(OFPT_FLOW_MOD), "FLOW_MOD");
    assert_string_equal(ofp_type_name(OFPT_MULTIPART_REPLY), "MULTIPART_REPLY");
    assert_string_equal(ofp_type_name(OFPT_METER_MOD), "METER_MOD");
    assert_string_equal(ofp_type_name(30), "UNKNOWN");
    assert_string_equal(ofp_type_name(255), "UNKNOWN");
    for (unsigned t = 0; t <= OFPT_METER_MOD; t++)
        assert_string_not_equal(ofp_type_name((uint8_t)t), "UNKNOWN");
    assert_string_equal(ofp_multipart_name(OFPMP_PORT_DESC), "PORT_DESC");
    assert_string_equal(ofp_multipart_name(0xffff), "EXPERIMENTER");
    assert_string_equal(ofp_multipart_name(99), "UNKNOWN");
}

static void test_error_names(void **state)
{
    assert_string_equal(ofp_error_type_name(OFPET_BAD_MATCH), "BAD_MATCH");
    assert_string_equal(ofp_error_type_name(OFPET_TABLE_FEATURES_FAILED), "TABLE_FEATURES_FAILED");
    assert_string_equal(ofp_error_type_name(OFPET_EXPERIMENTER), "EXPERIMENTER");
    assert_string_equal(ofp_error_type_name(14), "UNKNOWN");
    assert_string_equal(ofp_error_code_name(OFPET_BAD_MATCH, OFPBMC_BAD_PREREQ), "BAD_PREREQ");
    assert_string_equal(ofp_error_code_name(OFPET_BAD_REQUEST, OFPBRC_MULTIPART_BUFFER_OVERFLOW),
                        "MULTIPART_BUFFER_OVERFLOW");
    assert_string_equal(ofp_error_code_name(OFPET_BAD_ACTION, OFPBAC_BAD_SET_ARGUMENT),
                        "BAD_SET_ARGUMENT");
    assert_string_equal(ofp_error_code_name(OFPET_BAD_INSTRUCTION, OFPBIC_EPERM), "EPERM");
    assert_string_equal(ofp_error_code_name(OFPET_METER_MOD_FAILED, OFPMMFC_OUT_OF_BANDS),
                        "OUT_OF_BANDS");
    assert_string_equal(ofp_error_code_name(OFPET_ROLE_REQUEST_FAILED, OFPRRFC_BAD_ROLE),
                        "BAD_ROLE");
    assert_string_equal(ofp_error_code_name(OFPET_BAD_MATCH, 12), "UNKNOWN");
    assert_string_equal(ofp_error_code_name(OFPET_FLOW_MOD_FAILED, OFPFMFC_UNKNOWN), "UNKNOWN");
    assert_string_equal(ofp_error_code_text(OFPET_FLOW_MOD_FAILED, OFPFMFC_UNKNOWN),
                        "unspecified error");
    assert_string_equal(ofp_error_code_name(99, 0), "UNKNOWN");
    /* the spec's code counts per type: every code 0..last has a name, the next does not */
    static const struct { uint16_t type, last; } spans[] = {
        {OFPET_HELLO_FAILED, 1}, {OFPET_BAD_REQUEST, 13}, {OFPET_BAD_ACTION, 15},
        {OFPET_BAD_INSTRUCTION, 8}, {OFPET_BAD_MATCH, 11}, {OFPET_FLOW_MOD_FAILED, 7},
        {OFPET_GROUP_MOD_FAILED, 14}, {OFPET_PORT_MOD_FAILED, 4}, {OFPET_TABLE_MOD_FAILED, 2},
        {OFPET_QUEUE_OP_FAILED, 2}, {OFPET_SWITCH_CONFIG_FAILED, 2},
        {OFPET_ROLE_REQUEST_FAILED, 2}, {OFPET_METER_MOD_FAILED, 11},
        {OFPET_TABLE_FEATURES_FAILED, 5}};
    for (size_t i = 0; i < HS_ARRAY_SIZE(spans); i++) {
        /* (FLOW_MOD_FAILED and METER_MOD_FAILED code 0 really is named UNKNOWN) */
        for (uint16_t c = 0; c <= spans[i].last; c++)
            if (strcmp(ofp_error_code_text(spans[i].type, c), "unknown error code") == 0 ||
                (c > 0 && strcmp(ofp_error_code_name(spans[i].type, c), "UNKNOWN") == 0))
                fail_msg("no entry for error %s code %u", ofp_error_type_name(spans[i].type), c);
        assert_string_equal(ofp_error_code_name(spans[i].type, spans[i].last + 1), "UNKNOWN");
        assert_string_equal(ofp_error_code_text(spans[i].type, spans[i].last + 1),
                            "unknown error code");
    }
    /* the enum values generated from the .def match the spec numbers */
    assert_int_equal(OFPBMC_DUP_FIELD, 10);
    assert_int_equal(OFPBAC_TOO_MANY, 7);
    assert_int_equal(OFPBIC_BAD_LEN, 7);
    assert_int_equal(OFPFMFC_BAD_FLAGS, 7);
    assert_int_equal(OFPGMFC_EPERM, 14);
}

static void test_error_format(void **state)
{
    char buf[128];
    assert_string_equal(ofp_error_format(OFPET_BAD_MATCH, OFPBMC_BAD_PREREQ, buf, sizeof buf),
                        "BAD_MATCH/BAD_PREREQ: a match field's prerequisite is missing");
    assert_string_equal(ofp_error_format(OFPET_FLOW_MOD_FAILED, OFPFMFC_TABLE_FULL, buf,
                                         sizeof buf),
                        "FLOW_MOD_FAILED/TABLE_FULL: flow not added: the table is full");
    assert_string_equal(ofp_error_format(OFPET_BAD_MATCH, 40, buf, sizeof buf),
                        "BAD_MATCH/40: unknown error code");
    assert_string_equal(ofp_error_format(77, 3, buf, sizeof buf),
                        "type 77/code 3: unknown error type");
    assert_string_equal(ofp_error_format(OFPET_EXPERIMENTER, 5, buf, sizeof buf),
                        "EXPERIMENTER/5: experimenter error (code is experimenter-defined)");
    char small[16];
    assert_ptr_equal(ofp_error_format(OFPET_BAD_MATCH, OFPBMC_BAD_PREREQ, small, sizeof small),
                     small);
    assert_string_equal(small, "BAD_MATCH/BA...");
}

static void test_match_format(void **state)
{
    char buf[512];
    struct ofp_match m;
    memset(&m, 0, sizeof m);
    assert_true(ofp_match_format(&m, buf, sizeof buf));
    assert_string_equal(buf, "any");
    ofp_sample_full_match(&m);
    assert_true(ofp_match_format(&m, buf, sizeof buf));
    assert_string_equal(buf,
                        "in_port=7,dl_dst=02:00:00:00:00:01/ff:ff:ff:00:00:00,"
                        "dl_src=02:00:00:00:00:02,dl_type=0x0800,nw_proto=6,"
                        "nw_src=10.0.0.0/24,nw_dst=198.18.0.1,tcp_src=40000,tcp_dst=22,"
                        "udp_src=53,udp_dst=5353,arp_op=2,arp_spa=198.18.0.0/16,"
                        "arp_tpa=198.18.0.2,arp_sha=02:00:00:00:00:01/ff:ff:ff:00:00:00,"
                        "arp_tha=02:00:00:00:00:02");
    memset(&m, 0, sizeof m);
    m.in_port = OFPP_LOCAL;
    OFP_MATCH_SET(&m, OFPXMT_IN_PORT);
    m.ipv4_dst = 0x0a000001;
    m.ipv4_dst_mask = 0xff00ff00;
    OFP_MATCH_SET(&m, OFPXMT_IPV4_DST);
    OFP_MATCH_MASK(&m, OFPXMT_IPV4_DST);
    assert_true(ofp_match_format(&m, buf, sizeof buf));
    assert_string_equal(buf, "in_port=LOCAL,nw_dst=10.0.0.1/255.0.255.0");
    /* too small: marked, never silently cut */
    char small[12];
    assert_false(ofp_match_format(&m, small, sizeof small));
    assert_string_equal(small, "in_port=...");
}

static void test_actions_format(void **state)
{
    char buf[256];
    struct ofp_actions a;
    memset(&a, 0, sizeof a);
    assert_true(ofp_actions_format(&a, buf, sizeof buf));
    assert_string_equal(buf, "drop");
    struct ofp_match v;
    memset(&v, 0, sizeof v);
    static const uint8_t mac[6] = {0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee};
    memcpy(v.eth_dst, mac, 6);
    v.ipv4_src = 0xc6120005;
    v.tcp_src = 8080;
    ofp_actions_set_field(&a, OFPXMT_ETH_DST, &v);
    ofp_actions_set_field(&a, OFPXMT_IPV4_SRC, &v);
    ofp_actions_set_field(&a, OFPXMT_TCP_SRC, &v);
    ofp_actions_output(&a, 4);
    ofp_actions_output(&a, OFPP_CONTROLLER);
    ofp_actions_output(&a, OFPP_NORMAL);
    ofp_actions_output(&a, OFPP_IN_PORT);
    a.goto_table = 3;
    assert_true(ofp_actions_format(&a, buf, sizeof buf));
    assert_string_equal(buf, "set_field:02:aa:bb:cc:dd:ee->eth_dst,"
                             "set_field:198.18.0.5->ipv4_src,set_field:8080->tcp_src,output:4,"
                             "CONTROLLER:65535,NORMAL,IN_PORT,goto_table:3");
    memset(&a, 0, sizeof a);
    a.goto_table = 1;
    assert_true(ofp_actions_format(&a, buf, sizeof buf));
    assert_string_equal(buf, "goto_table:1");
    char small[8];
    ofp_actions_output(&a, 12345);
    assert_false(ofp_actions_format(&a, small, sizeof small));
    assert_string_equal(small, "outp...");
}

static void test_msg_format(void **state)
{
    char buf[1024];
    struct hs_buf body = HS_BUF_INIT;
    struct ofp_msg m;
    assert_non_null(ofp_sample(14, &m, &body));
    assert_true(ofp_msg_format(&m, buf, sizeof buf));
    assert_non_null(strstr(buf, "FLOW_MOD xid=4110 ADD table=0 priority=1000 "));
    assert_non_null(strstr(buf, " actions=set_field:02:aa:bb:cc:dd:ee->eth_dst,"));
    assert_non_null(strstr(buf, ",goto_table:1"));
    assert_non_null(ofp_sample(2, &m, &body));
    assert_true(ofp_msg_format(&m, buf, sizeof buf));
    assert_string_equal(buf, "ERROR xid=4098 BAD_MATCH/BAD_PREREQ: a match field's prerequisite "
                             "is missing (60 data bytes)");
    assert_non_null(ofp_sample(10, &m, &body));
    assert_true(ofp_msg_format(&m, buf, sizeof buf));
    assert_string_equal(buf, "PACKET_IN xid=4106 reason=0 table=1 cookie=0x4853000000000001 "
                             "total_len=60 data_len=60 match=in_port=2");
    /* every sample formats, and formatting into a tiny buffer never overruns */
    const char *name;
    for (size_t i = 0; (name = ofp_sample(i, &m, &body)) != NULL; i++) {
        assert_true(ofp_msg_format(&m, buf, sizeof buf));
        assert_true(strncmp(buf, ofp_type_name(m.type), strlen(ofp_type_name(m.type))) == 0);
        char tiny[6];
        ofp_msg_format(&m, tiny, sizeof tiny);
        assert_true(strlen(tiny) < sizeof tiny);
    }
    hs_buf_free(&body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_type_names),
        cmocka_unit_test(test_error_names),
        cmocka_unit_test(test_error_format),
        cmocka_unit_test(test_match_format),
        cmocka_unit_test(test_actions_format),
        cmocka_unit_test(test_msg_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
