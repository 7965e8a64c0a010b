/* test_ips_rules_content.c - content and its modifiers: positions, relative chains, negation,
 * nocase, hex, startswith/endswith, backtracking, fast pattern choice. */
#include "rules_test.h"

static void test_plain(void **state)
{
    assert_true(pkt_fires("content:\"evil\";", "an evil payload"));
    assert_false(pkt_fires("content:\"evil\";", "an EVIL payload"));
    assert_false(pkt_fires("content:\"evil\";", "a good payload"));
    /* all contents must be present */
    assert_true(pkt_fires("content:\"a1\"; content:\"b2\";", "xx b2 yy a1"));
    assert_false(pkt_fires("content:\"a1\"; content:\"b2\";", "xx b3 yy a1"));
}

static void test_nocase(void **state)
{
    assert_true(pkt_fires("content:\"evil\"; nocase;", "an EvIl payload"));
    assert_false(pkt_fires("content:\"evil\"; nocase;", "an evl payload"));
}

static void test_hex(void **state)
{
    assert_true(pkt_fires("content:\"|41 42|C\";", "xxABCxx"));
    assert_true(pkt_fires("content:\"a|3b|b\";", "a;b"));
    assert_true(pkt_fires("content:\"|7C|\";", "pipe|here"));
    assert_false(pkt_fires("content:\"|41 42|C\";", "xxABxCx"));
    /* escapes in strings */
    assert_true(pkt_fires("content:\"q\\\"uote\\;semi\\\\\";", "q\"uote;semi\\"));
}

static void test_offset_depth(void **state)
{
    assert_true(pkt_fires("content:\"GET\"; depth:3;", "GET /"));
    assert_false(pkt_fires("content:\"GET\"; depth:3;", " GET /"));
    assert_true(pkt_fires("content:\"cd\"; offset:2;", "abcd"));
    assert_false(pkt_fires("content:\"cd\"; offset:3;", "abcdcx"));
    assert_true(pkt_fires("content:\"cd\"; offset:3;", "abccdx"));
    /* depth counts from offset: bytes [2, 5) */
    assert_true(pkt_fires("content:\"cde\"; offset:2; depth:3;", "abcdef"));
    assert_false(pkt_fires("content:\"def\"; offset:2; depth:3;", "abcdef"));
    /* depth beyond the buffer is fine */
    assert_true(pkt_fires("content:\"ab\"; depth:100;", "ab"));
}

static void test_distance_within(void **state)
{
    /* within: second content must end within 6 bytes of the end of the first */
    assert_true(pkt_fires("content:\"user\"; content:\"root\"; within:6;", "user  root"));
    assert_false(pkt_fires("content:\"user\"; content:\"root\"; within:6;", "user   root"));
    /* distance: at least 2 bytes after the first */
    assert_true(pkt_fires("content:\"ab\"; content:\"cd\"; distance:2;", "ab..cd"));
    assert_false(pkt_fires("content:\"ab\"; content:\"cd\"; distance:2;", "ab.cd"));
    /* distance + within: window [prev_end+1, prev_end+1+3) */
    assert_true(pkt_fires("content:\"ab\"; content:\"cd\"; distance:1; within:3;", "ab.cd"));
    assert_false(pkt_fires("content:\"ab\"; content:\"cd\"; distance:1; within:3;", "abcd"));
    assert_true(pkt_fires("content:\"ab\"; content:\"cd\"; distance:1; within:3;", "ab..cd"));
    assert_false(pkt_fires("content:\"ab\"; content:\"cd\"; distance:1; within:3;", "ab...cd"));
    /* negative distance looks back */
    assert_true(pkt_fires("content:\"cd\"; content:\"bc\"; distance:-3; within:2;", "abcd"));
    /* relative is measured from the previous content, not the start */
    assert_false(pkt_fires("content:\"xy\"; content:\"ab\"; distance:0;", "ab xy"));
}

static void test_backtracking(void **state)
{
    /* the first "ab" is followed by nothing useful; the engine must retry the later "ab" */
    assert_true(pkt_fires("content:\"ab\"; content:\"cd\"; within:2;", "ab---ab cd abcd"));
    assert_true(pkt_fires("content:\"a\"; content:\"b\"; within:1; content:\"c\"; within:1;",
                          "ab ab abd abc"));
    assert_false(pkt_fires("content:\"a\"; content:\"b\"; within:1; content:\"c\"; within:1;",
                           "ab ab abd ac"));
}

static void test_backtracking_budget(void **state)
{
    /* O(n^3) retries on 300 'a's: the step budget ends it, and it is counted */
    struct ips_ruleset *rs = load_ok("alert tcp any any -> any any (content:\"a\"; content:\"a\"; "
                                     "distance:0; content:\"a\"; distance:0; content:\"b\"; "
                                     "distance:0; within:1; sid:1;)\n");
    char payload[301];
    memset(payload, 'a', 300);
    payload[300] = '\0';
    struct ips_txn t;
    txn_pkt(&t, payload);
    struct ips_match_stats st;
    assert_int_equal(ips_match(rs, NULL, &t, NULL, NULL, &st), 0);
    assert_int_equal(st.evaluated, 1);
    assert_int_equal(st.inspect_limit, 1);
    /* a real match is still found when it exists */
    payload[299] = 'b';
    assert_int_equal(ips_match(rs, NULL, &t, NULL, NULL, &st), 1);
    ips_ruleset_free(rs);
}

static void test_negation(void **state)
{
    assert_true(pkt_fires("content:\"login\"; content:!\"admin\";", "login guest"));
    assert_false(pkt_fires("content:\"login\"; content:!\"admin\";", "login admin"));
    /* negated with position: "admin" absent right after "login " */
    assert_true(pkt_fires("content:\"login \"; content:!\"admin\"; within:5;", "login guest admin"));
    assert_false(pkt_fires("content:\"login \"; content:!\"admin\"; within:5;", "login admin"));
    assert_true(pkt_fires("content:!\"x\"; depth:2;", "abx"));
    assert_false(pkt_fires("content:!\"x\"; depth:2;", "ax"));
    /* nocase applies to negated content too */
    assert_false(pkt_fires("content:\"a\"; content:!\"ADMIN\"; nocase;", "a admin"));
    /* a rule of only negated contents matches when all are absent */
    assert_true(pkt_fires("content:!\"foo\"; content:!\"bar\";", "baz"));
    assert_false(pkt_fires("content:!\"foo\"; content:!\"bar\";", "bar"));
}

static void test_startswith_endswith(void **state)
{
    assert_true(pkt_fires("content:\"GET\"; startswith;", "GET /"));
    assert_false(pkt_fires("content:\"GET\"; startswith;", "xGET /"));
    assert_true(pkt_fires("content:\".php\"; endswith;", "/index.php"));
    assert_false(pkt_fires("content:\".php\"; endswith;", "/index.php?x"));
    assert_true(pkt_fires("content:\"/\"; content:\"php\"; distance:0; endswith;", "/a.php"));
}

static void test_fast_pattern_choice(void **state)
{
    struct ips_ruleset *rs = load_ok(
        "alert http any any -> any any (content:\"a\"; http.uri; content:\"longerpattern\"; sid:1;)\n"
        "alert tcp any any -> any any (content:\"short\"; http.host; content:\"longerpattern\"; "
        "pkt_data; content:\"xy\"; fast_pattern; sid:2;)\n"
        "alert tcp any any -> any any (content:!\"neg\"; sid:3;)\n"
        "alert tcp any any -> any any (content:\"abcdef\"; fast_pattern:2,3; sid:4;)\n");
    enum ips_buf_id b;
    assert_true(ips_rule_fast_pattern(ips_ruleset_find_sid(rs, 1), &b));
    assert_int_equal(b, IPS_BUF_HTTP_URI);
    assert_true(ips_rule_fast_pattern(ips_ruleset_find_sid(rs, 2), &b));
    assert_int_equal(b, IPS_BUF_PKT);
    assert_false(ips_rule_fast_pattern(ips_ruleset_find_sid(rs, 3), &b));
    assert_int_equal(ips_ruleset_always_count(rs), 1);
    /* the chopped fast pattern "cde" finds the rule; the full content must still match */
    struct ips_txn t;
    struct hits h = {{0}, 0};
    txn_pkt(&t, "zzabcdefzz");
    assert_int_equal(run(rs, &t, &h), 2);   /* sid 3 (no "neg") and sid 4 */
    txn_pkt(&t, "zzcdezz");
    h.n = 0;
    assert_int_equal(run(rs, &t, &h), 1);
    assert_int_equal(h.sid[0], 3);
    ips_ruleset_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain),
        cmocka_unit_test(test_nocase),
        cmocka_unit_test(test_hex),
        cmocka_unit_test(test_offset_depth),
        cmocka_unit_test(test_distance_within),
        cmocka_unit_test(test_backtracking),
        cmocka_unit_test(test_backtracking_budget),
        cmocka_unit_test(test_negation),
        cmocka_unit_test(test_startswith_endswith),
        cmocka_unit_test(test_fast_pattern_choice),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
