/* test_ips_rules_prefilter.c - the Hyperscan prefilter keeps the number of fully evaluated rules
 * independent of the rule count for non-matching traffic. */
#include "common/buf.h"
#include "rules_test.h"

static const char *const sticky[] = {"pkt_data", "http.uri", "http.header", "http.request_body"};

/* n rules with distinct patterns spread over 4 buffers, plus 3 rules without content. */
static struct ips_ruleset *gen(int n)
{
    struct hs_buf b = HS_BUF_INIT;
    char line[512];
    for (int i = 0; i < n; i++) {
        int k = snprintf(line, sizeof line,
                         "alert http any any -> any any (msg:\"gen %d\"; %s; content:\"xq%04dzk\";%s"
                         " content:\"tail\"; sid:%d;)\n",
                         i, sticky[i % 4], i, i % 2 ? " nocase;" : "", 10000 + i);
        hs_buf_put(&b, line, (size_t)k);
    }
    const char *extra =
        "alert http any any -> any any (urilen:>4000; sid:1;)\n"
        "alert http any any -> any any (flow:to_client; sid:2;)\n"
        "alert http any any -> any any (http.uri; content:!\"/\"; sid:3;)\n";
    hs_buf_put(&b, extra, strlen(extra));
    char *err = NULL;
    struct ips_ruleset *rs = ips_ruleset_load_string((const char *)b.data, b.len, "gen", NULL, &err);
    if (!rs)
        print_error("%s\n", err);
    assert_non_null(rs);
    hs_buf_free(&b);
    return rs;
}

static void txn(struct ips_txn *t, const char *pkt, const char *uri, const char *hdr,
                const char *body)
{
    txn_http(t);
    ips_txn_set_str(t, IPS_BUF_PKT, pkt);
    ips_txn_set_str(t, IPS_BUF_HTTP_URI, uri);
    ips_txn_set_str(t, IPS_BUF_HTTP_HEADER, hdr);
    ips_txn_set_str(t, IPS_BUF_HTTP_REQUEST_BODY, body);
}

static void test_thousand_rules(void **state)
{
    struct ips_ruleset *rs = gen(1000);
    assert_int_equal(ips_ruleset_count(rs), 1003);
    assert_int_equal(ips_ruleset_always_count(rs), 3);
    struct ips_scratch *s = ips_scratch_new();
    struct ips_match_stats st;
    struct ips_txn t;
    struct hits h = {{0}, 0};

    /* nothing matches: only the always-candidates of the direction are evaluated (sid 2 is
     * flow:to_client, so a to_server transaction has 2 of the 3) */
    txn(&t, "GET /index.html HTTP/1.1\r\n\r\n", "/index.html", "Host: a\r\n", "tail xq9999zk");
    assert_int_equal(ips_match(rs, s, &t, collect, &h, &st), 0);
    assert_int_equal(st.candidates, 2);
    assert_int_equal(st.evaluated, 2);
    assert_int_equal(st.matched, 0);

    /* pattern 0500 (sticky[0] = pkt) with "tail": one more candidate, and it matches */
    txn(&t, "GET /xq0500zk tail", "/index.html", "Host: a\r\n", "");
    assert_int_equal(ips_match(rs, s, &t, collect, &h, &st), 1);
    assert_int_equal(st.candidates, 3);
    assert_int_equal(st.evaluated, 3);
    assert_int_equal(h.sid[0], 10500);

    /* the pattern in the wrong buffer is no candidate: 0501 belongs to http.uri */
    h.n = 0;
    txn(&t, "xq0501zk tail", "/", "", "");
    assert_int_equal(ips_match(rs, s, &t, collect, &h, &st), 0);
    assert_int_equal(st.candidates, 2);
    txn(&t, "", "/XQ0501ZK/tail", "", "");   /* odd rules are nocase */
    assert_int_equal(ips_match(rs, s, &t, collect, &h, &st), 1);
    assert_int_equal(h.sid[0], 10501);

    /* candidate without the second content: evaluated, not matched */
    txn(&t, "", "/", "X: xq0502zk\r\n", "");
    assert_int_equal(ips_match(rs, s, &t, NULL, NULL, &st), 0);
    assert_int_equal(st.candidates, 3);
    assert_int_equal(st.evaluated, 3);

    /* many patterns at once */
    txn(&t, "xq0000zk xq0004zk xq0008zk tail", "/", "", "xq0003zk xq0007zk tail");
    assert_int_equal(ips_match(rs, s, &t, NULL, NULL, &st), 5);
    assert_int_equal(st.candidates, 7);
    ips_scratch_free(s);
    ips_ruleset_free(rs);
}

static void test_cost_independent_of_count(void **state)
{
    struct ips_ruleset *small = gen(10), *big = gen(4000);
    struct ips_txn t;
    struct ips_match_stats a, b;
    txn(&t, "nothing here", "/nothing", "Host: x\r\n", "body");
    assert_int_equal(ips_match(small, NULL, &t, NULL, NULL, &a), 0);
    assert_int_equal(ips_match(big, NULL, &t, NULL, NULL, &b), 0);
    assert_int_equal(a.evaluated, b.evaluated);
    assert_int_equal(b.evaluated, 2);
    ips_ruleset_free(small);
    ips_ruleset_free(big);
}

/* A regex rule and a content rule, both flow:to_server. */
static struct ips_ruleset *load_dir(void)
{
    const char *text =
        "alert http any any -> any any (flow:to_server; http.uri; pcre:\"/un\\s+ion/i\"; sid:1;)\n"
        "alert http any any -> any any (flow:to_server; http.uri; content:\"zzz\"; sid:2;)\n";
    char *err = NULL;
    struct ips_ruleset *rs = ips_ruleset_load_string(text, strlen(text), "dir", NULL, &err);
    assert_non_null(rs);
    return rs;
}

/* Rules without a content are prefiltered by their pcre (Hyperscan prefilter mode): evaluated
 * only when the regex can match; negated and relative pcres stay always-candidates. */
static void test_regex_prefilter(void **state)
{
    (void)state;
    const char *text =
        "alert http any any -> any any (http.uri; pcre:\"/un(?:\\/\\*.*?\\*\\/|\\s)+ion/i\"; sid:1;)\n"
        "alert http any any -> any any (http.header; pcre:\"/^x-scan(?<!ab):/mi\"; sid:2;)\n"
        "alert http any any -> any any (http.uri; pcre:\"/(?<w>[a-z]+)=\\k<w>/\"; sid:3;)\n"
        "alert http any any -> any any (http.uri; pcre:!\"/^\\//\"; sid:4;)\n"
        "alert http any any -> any any (http.uri; pcre:\"/^$/\"; sid:5;)\n"
        "alert http any any -> any any (http.request_body; pcre:\"/un\\s+ion/i\"; sid:6;)\n";
    char *err = NULL;
    struct ips_ruleset *rs = ips_ruleset_load_string(text, strlen(text), "re", NULL, &err);
    if (!rs)
        print_error("%s\n", err);
    assert_non_null(rs);
    assert_int_equal(ips_ruleset_regex_count(rs), 5);
    assert_int_equal(ips_ruleset_always_count(rs), 1); /* the negated pcre (sid 4) */
    struct ips_scratch *s = ips_scratch_new();
    struct ips_match_stats st;
    struct ips_txn t;
    struct hits h = {{0}, 0};

    txn(&t, "", "/index.html", "Host: a\r\n", "");
    assert_int_equal(ips_match(rs, s, &t, collect, &h, &st), 0);
    assert_int_equal(st.candidates, 1);
    txn(&t, "", "/?q=UN/**/ion", "Host: a\r\n", "");
    assert_int_equal(ips_match(rs, s, &t, collect, &h, &st), 1);
    assert_int_equal(st.candidates, 2);
    assert_int_equal(h.sid[h.n - 1], 1);
    /* the same regex in another buffer: only the rule of the buffer it matched in */
    txn(&t, "", "/", "Host: a\r\n", "un ion");
    assert_int_equal(ips_match(rs, s, &t, collect, &h, &st), 1);
    assert_int_equal(h.sid[h.n - 1], 6);
    /* lookbehind and named back-reference are approximated, never missed */
    txn(&t, "", "/", "Host: a\r\nX-Scan: 1\r\n", "");
    assert_int_equal(ips_match(rs, s, &t, collect, &h, &st), 1);
    assert_int_equal(h.sid[h.n - 1], 2);
    txn(&t, "", "/?ab=ab", "Host: a\r\n", "");
    assert_int_equal(ips_match(rs, s, &t, collect, &h, &st), 1);
    assert_int_equal(h.sid[h.n - 1], 3);
    txn(&t, "", "/?ab=ac", "Host: a\r\n", "");
    assert_int_equal(ips_match(rs, s, &t, collect, &h, &st), 0);
    /* a to_client transaction does not scan the ingress databases */
    struct ips_ruleset *d = load_dir();
    txn(&t, "", "/?q=un ion", "Host: a\r\n", "");
    t.dir = IPS_DIR_TO_CLIENT;
    assert_int_equal(ips_match(d, s, &t, collect, &h, &st), 0);
    assert_int_equal(st.candidates, 0);
    t.dir = IPS_DIR_TO_SERVER;
    assert_int_equal(ips_match(d, s, &t, collect, &h, &st), 1);
    assert_int_equal(st.candidates, 1);
    ips_ruleset_free(d);
    /* a regex matching the empty buffer is found in it */
    txn(&t, "", "", "Host: a\r\n", "");
    assert_int_equal(ips_match(rs, s, &t, collect, &h, &st), 2); /* sid 4 (no '/') and 5 */
    ips_scratch_free(s);
    ips_ruleset_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_thousand_rules),
        cmocka_unit_test(test_cost_independent_of_count),
        cmocka_unit_test(test_regex_prefilter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
