/* test_flowcmd.c - the generic {"cmd":"flows"} request: accepted forms and refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdbool.h>
#include <string.h>

#include "config/topology.h"
#include "ctl/flowcmd.h"

static struct hs_topology *load_default(void)
{
    struct hs_topology *t = NULL;
    struct hs_cfg_err err;
    if (hs_topology_parse(hs_default_topology_yaml, strlen(hs_default_topology_yaml), "default",
                          &t, &err) != 0)
        fail_msg("default topology: %s", err.msg);
    return t;
}

static int parse(const struct hs_topology *t, const char *text, struct hs_flowcmd *fc,
                 char *err, size_t es)
{
    json_error_t je;
    json_t *o = json_loads(text, 0, &je);
    assert_non_null(o);
    int r = hs_flowcmd_parse(t, o, fc, err, es);
    json_decref(o);
    return r;
}

static void test_ok(void **state)
{
    (void)state;
    struct hs_topology *t = load_default();
    struct hs_flowcmd fc;
    char err[256];
    assert_int_equal(parse(t, "{\"cmd\":\"flows\",\"switch\":\"hs-br0\",\"add\":[{\"table\":0,"
                              "\"priority\":3000,\"cookie\":\"0x534e000000000001\",\"match\":"
                              "{\"in_port\":5,\"eth_type\":2048,\"ipv4_dst\":\"198.18.0.80\","
                              "\"ip_proto\":6,\"tcp_dst\":80,\"eth_src\":\"02:00:00:00:00:01\"},"
                              "\"actions\":[{\"output\":3},{\"output\":7}]},{\"priority\":1,"
                              "\"cookie\":5,\"goto_table\":1}],\"delete\":[{\"cookie\":"
                              "\"0x534e000000000000\",\"cookie_mask\":\"0xffff000000000000\"}]}",
                           &fc, err, sizeof err),
                     0);
    assert_int_equal(fc.sw, 0);
    assert_int_equal(fc.add.n, 2);
    const struct hs_flow *f = &fc.add.v[0];
    assert_int_equal(f->priority, 3000);
    assert_true(f->cookie == 0x534e000000000001ull);
    assert_int_equal(f->match.in_port, 5);
    assert_int_equal(f->match.ipv4_dst, 0xc6120050u);
    assert_true(OFP_MATCH_HAS(&f->match, OFPXMT_TCP_DST));
    assert_int_equal(f->actions.n, 2);
    assert_int_equal(f->actions.a[1].port, 7);
    assert_int_equal(fc.add.v[1].actions.n, 0);
    assert_int_equal(fc.add.v[1].actions.goto_table, 1);
    assert_int_equal(fc.n_del, 1);
    assert_true(fc.del_mask[0] == 0xffff000000000000ull);
    hs_flowset_free(&fc.add);
    hs_topology_free(t);
}

static void test_refused(void **state)
{
    (void)state;
    struct hs_topology *t = load_default();
    struct hs_flowcmd fc;
    char err[256];
    static const struct { const char *req, *frag; } bad[] = {
        {"{\"switch\":\"nope\",\"add\":[{\"cookie\":1}]}", "must name a switch"},
        {"{\"add\":[]}", "nothing to add"},
        {"{\"add\":[{\"cookie\":\"0x4853000000000001\"}]}", "reserved tag"},
        {"{\"add\":[{\"cookie\":\"0x4d47000100000001\"}]}", "reserved tag"},
        {"{\"add\":[{\"priority\":1}]}", "\"cookie\" is required"},
        {"{\"add\":[{\"cookie\":0}]}", "reserved"},
        {"{\"add\":[{\"cookie\":1,\"match\":{\"vlan\":3}}]}", "unknown match field"},
        {"{\"add\":[{\"cookie\":1,\"match\":{\"ipv4_src\":\"x\"}}]}", "IPv4"},
        {"{\"add\":[{\"cookie\":1,\"priority\":70000}]}", "0..65535"},
        {"{\"add\":[{\"cookie\":1,\"actions\":[{\"flood\":1}]}]}", "output"},
        {"{\"add\":[{\"cookie\":1,\"table\":1,\"goto_table\":1}]}", "later table"},
        {"{\"delete\":[{\"cookie\":1,\"cookie_mask\":1}]}", "top 16 bits"},
        {"{\"delete\":[{\"cookie\":\"0x4853000000000000\",\"cookie_mask\":\"0xffff000000000000\"}]}",
         "top 16 bits"},
        {"{\"delete\":[5]}", "object"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        if (parse(t, bad[i].req, &fc, err, sizeof err) != -1)
            fail_msg("accepted: %s", bad[i].req);
        if (!strstr(err, bad[i].frag))
            fail_msg("%s: message '%s' lacks '%s'", bad[i].req, err, bad[i].frag);
    }
    hs_topology_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ok),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
