/* test_ips_rules_header.c - rule headers: address and port sets (any, CIDR, ranges, negation,
 * lists, variables), direction, actions, protocols. */
#include "rules_test.h"

#include "ips/rules/rule_addr.h"

static uint32_t ip(const char *s)
{
    uint32_t v = 0;
    assert_true(hs_parse_ipv4(s, &v));
    return v;
}

static struct ips_set *addr(const struct ips_vars *v, const char *s)
{
    char err[256];
    struct ips_set *set = ips_addr_parse(s, v, err, sizeof err);
    if (!set) {
        print_error("parse '%s': %s\n", s, err);
        fail();
    }
    return set;
}

static void addr_bad(const struct ips_vars *v, const char *s, const char *want)
{
    char err[256] = "";
    struct ips_set *set = ips_addr_parse(s, v, err, sizeof err);
    if (set || !strstr(err, want)) {
        print_error("'%s': expected error containing '%s', got '%s'\n", s, want, err);
        ips_set_free(set);
        fail();
    }
}

static void test_addresses(void **state)
{
    struct ips_vars *v = ips_vars_new();
    struct ips_set *s = addr(v, "any");
    assert_true(ips_set_is_any(s));
    assert_true(ips_set_match(s, ip("1.2.3.4")));
    ips_set_free(s);

    s = addr(v, "10.1.0.0/16");
    assert_true(ips_set_match(s, ip("10.1.255.255")));
    assert_false(ips_set_match(s, ip("10.2.0.0")));
    ips_set_free(s);

    s = addr(v, "10.1.2.3/8");   /* host bits are masked */
    assert_true(ips_set_match(s, ip("10.200.0.1")));
    ips_set_free(s);

    s = addr(v, "!192.168.1.1");
    assert_false(ips_set_match(s, ip("192.168.1.1")));
    assert_true(ips_set_match(s, ip("192.168.1.2")));
    ips_set_free(s);

    s = addr(v, "[10.0.0.0/8, !10.9.0.0/16, 192.0.2.7]");
    assert_true(ips_set_match(s, ip("10.1.1.1")));
    assert_false(ips_set_match(s, ip("10.9.1.1")));
    assert_true(ips_set_match(s, ip("192.0.2.7")));
    assert_false(ips_set_match(s, ip("192.0.2.8")));
    ips_set_free(s);

    s = addr(v, "[!10.0.0.1,!10.0.0.2]");   /* only negations: everything else */
    assert_false(ips_set_match(s, ip("10.0.0.2")));
    assert_true(ips_set_match(s, ip("10.0.0.3")));
    ips_set_free(s);

    s = addr(v, "![1.1.1.1,[2.2.2.0/24,!2.2.2.2]]");
    assert_false(ips_set_match(s, ip("1.1.1.1")));
    assert_false(ips_set_match(s, ip("2.2.2.1")));
    assert_true(ips_set_match(s, ip("2.2.2.2")));
    assert_true(ips_set_match(s, ip("3.3.3.3")));
    ips_set_free(s);

    s = addr(v, "0.0.0.0/0");
    assert_true(ips_set_match(s, ip("255.255.255.255")));
    ips_set_free(s);

    addr_bad(v, "!any", "matches nothing");
    addr_bad(v, "10.0.0.0/33", "bad address");
    addr_bad(v, "10.0.0", "bad address");
    addr_bad(v, "[10.0.0.1", "unterminated");
    addr_bad(v, "[]", "empty address");
    addr_bad(v, "::1", "IPv6");
    addr_bad(v, "$NOPE", "undefined variable '$NOPE'");
    addr_bad(v, "1.2.3.4 x", "unexpected");
    ips_vars_free(v);
}

static void test_variables(void **state)
{
    struct ips_vars *v = ips_vars_new();
    struct ips_set *home = addr(v, "$HOME_NET"), *ext = addr(v, "$EXTERNAL_NET");
    assert_true(ips_set_match(home, ip("192.168.5.5")));
    assert_true(ips_set_match(home, ip("172.20.0.1")));
    assert_false(ips_set_match(home, ip("8.8.8.8")));
    assert_true(ips_set_match(ext, ip("8.8.8.8")));
    assert_false(ips_set_match(ext, ip("10.0.0.1")));
    ips_set_free(home);
    ips_set_free(ext);

    assert_true(ips_vars_set(v, "HOME_NET", "198.18.0.0/15"));
    assert_false(ips_vars_set(v, "BAD NAME", "1.2.3.4"));
    ext = addr(v, "[$EXTERNAL_NET]");
    assert_false(ips_set_match(ext, ip("198.19.0.1")));
    assert_true(ips_set_match(ext, ip("10.0.0.1")));
    ips_set_free(ext);

    ips_vars_set(v, "LOOP", "[1.1.1.1,$LOOP]");
    addr_bad(v, "$LOOP", "nests too deeply");

    char err[256];
    struct ips_set *p = ips_port_parse("$HTTP_PORTS", v, err, sizeof err);
    assert_non_null(p);
    assert_true(ips_set_match(p, 80));
    assert_false(ips_set_match(p, 81));
    ips_set_free(p);
    p = ips_port_parse("$FILE_DATA_PORTS", v, err, sizeof err);
    assert_non_null(p);
    assert_true(ips_set_match(p, 110));
    assert_true(ips_set_match(p, 80));
    ips_set_free(p);
    ips_vars_free(v);
}

static void test_ports(void **state)
{
    struct ips_vars *v = ips_vars_new();
    char err[256];
    struct ips_set *p = ips_port_parse("[80,8000:8100,!8080,1024:]", v, err, sizeof err);
    assert_non_null(p);
    assert_true(ips_set_match(p, 80));
    assert_true(ips_set_match(p, 8000));
    assert_true(ips_set_match(p, 8100));
    assert_false(ips_set_match(p, 8080));
    assert_true(ips_set_match(p, 65535));
    assert_false(ips_set_match(p, 79));
    ips_set_free(p);
    p = ips_port_parse(":1023", v, err, sizeof err);
    assert_non_null(p);
    assert_true(ips_set_match(p, 0));
    assert_false(ips_set_match(p, 1024));
    ips_set_free(p);
    p = ips_port_parse("!22", v, err, sizeof err);
    assert_non_null(p);
    assert_false(ips_set_match(p, 22));
    assert_true(ips_set_match(p, 23));
    ips_set_free(p);
    const char *bad[] = {"65536", "100:10", ":", "x", "-1", "[80,", "!any"};
    for (size_t i = 0; i < HS_ARRAY_SIZE(bad); i++) {
        p = ips_port_parse(bad[i], v, err, sizeof err);
        if (p) {
            print_error("port '%s' parsed\n", bad[i]);
            ips_set_free(p);
            fail();
        }
    }
    ips_vars_free(v);
}

static void test_header_match(void **state)
{
    struct ips_txn t;
    txn_pkt(&t, "x");   /* 203.0.113.5:40000 -> 192.168.1.10:80 */
    assert_true(fires("alert tcp $EXTERNAL_NET any -> $HOME_NET $HTTP_PORTS (sid:1;)", &t));
    assert_false(fires("alert tcp $HOME_NET any -> $EXTERNAL_NET any (sid:1;)", &t));
    assert_true(fires("alert tcp $HOME_NET any <> $EXTERNAL_NET any (sid:1;)", &t));
    assert_true(fires("alert tcp any 40000 -> 192.168.1.0/24 [22,80] (sid:1;)", &t));
    assert_false(fires("alert tcp any !40000 -> any any (sid:1;)", &t));
    assert_false(fires("alert tcp any any -> any 443 (sid:1;)", &t));
    assert_true(fires("alert tcp [203.0.113.0/24, 198.51.100.0/24] any -> any any (sid:1;)", &t));
    /* bidirectional matches the reversed tuple too, including ports */
    assert_true(fires("alert tcp 192.168.1.10 80 <> 203.0.113.5 40000 (sid:1;)", &t));
    assert_false(fires("alert tcp 192.168.1.10 80 -> 203.0.113.5 40000 (sid:1;)", &t));
    /* ip rules ignore ports for protocols without them */
    t.ip_proto = 1;
    assert_true(fires("alert ip any any -> any 80 (sid:1;)", &t));
}

static void test_actions(void **state)
{
    struct ips_ruleset *rs = load_ok(
        "alert tcp any any -> any any (sid:1;)\n"
        "drop tcp any any -> any any (sid:2;)\n"
        "reject tcp any any -> any any (sid:3;)\n"
        "rejectboth tcp any any -> any any (sid:4;)\n"
        "pass udp any any -> any any (sid:5;)\n");
    assert_int_equal(ips_rule_action(ips_ruleset_find_sid(rs, 1)), IPS_ACT_ALERT);
    assert_int_equal(ips_rule_action(ips_ruleset_find_sid(rs, 2)), IPS_ACT_DROP);
    assert_int_equal(ips_rule_action(ips_ruleset_find_sid(rs, 3)), IPS_ACT_REJECT);
    assert_int_equal(ips_rule_action(ips_ruleset_find_sid(rs, 4)), IPS_ACT_REJECT);
    assert_int_equal(ips_rule_action(ips_ruleset_find_sid(rs, 5)), IPS_ACT_PASS);
    assert_string_equal(ips_action_name(IPS_ACT_DROP), "drop");
    /* evaluation order: pass, drop, reject, alert */
    assert_int_equal(ips_rule_sid(ips_ruleset_rule(rs, 0)), 5);
    assert_int_equal(ips_rule_sid(ips_ruleset_rule(rs, 1)), 2);
    assert_int_equal(ips_rule_sid(ips_ruleset_rule(rs, 4)), 1);
    ips_ruleset_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_addresses),
        cmocka_unit_test(test_variables),
        cmocka_unit_test(test_ports),
        cmocka_unit_test(test_header_match),
        cmocka_unit_test(test_actions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
