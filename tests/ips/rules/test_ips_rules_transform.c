/* test_ips_rules_transform.c - the url_decode transform: decoding, raw vs decoded buffers in one
 * rule, the prefilter on a decoded buffer, the response-header direction, and misplacement. */
#include "rules_test.h"

static bool cookie_fires(const char *cookie, const char *opts)
{
    char rule[1024];
    snprintf(rule, sizeof rule, "alert http any any -> any any (msg:\"t\"; %s sid:9;)", opts);
    struct ips_txn t;
    txn_http(&t);
    ips_txn_set_str(&t, IPS_BUF_HTTP_COOKIE, cookie);
    ips_txn_set_str(&t, IPS_BUF_HTTP_HEADER, "Host: a\r\n");
    return fires(rule, &t);
}

static void test_decoding(void **state)
{
    const char *r = "http.cookie; url_decode; content:\"1' union select\"; nocase;";
    assert_true(cookie_fires("id=1%27%20UNION%20SELECT%201", r));
    assert_true(cookie_fires("id=1%27+union+select+1", r));      /* '+' is a space */
    assert_true(cookie_fires("id=1' union select 1", r));         /* plain text stays */
    assert_true(cookie_fires("id=1%27%20uNiOn%20sElEcT", r));
    /* not decoded: %u escapes, a broken escape, a double encoding (decoded once only) */
    assert_false(cookie_fires("id=1%u0027 union select", r));
    assert_false(cookie_fires("id=1%2 union select", r));
    assert_false(cookie_fires("id=1%2527%20union%20select", r));
    assert_true(cookie_fires("id=1%2527", "http.cookie; url_decode; content:\"1%27\";"));
    /* a '%' at the very end and "%X" at the end stay literal */
    assert_true(cookie_fires("a=50%", "http.cookie; url_decode; content:\"50%\"; endswith;"));
    assert_true(cookie_fires("a=%4", "http.cookie; url_decode; content:\"=%4\"; endswith;"));
    /* NUL bytes come out of %00 and can be matched */
    assert_true(cookie_fires("a=x%00y", "http.cookie; url_decode; content:\"x|00|y\";"));
}

static void test_raw_and_decoded(void **state)
{
    /* the raw cookie holds %27, the decoded one holds the quote: both lists in one rule */
    const char *r = "http.cookie; content:\"%27\"; http.cookie; url_decode; content:\"'\";";
    assert_true(cookie_fires("q=%27", r));
    assert_false(cookie_fires("q='", r));
    /* without the transform nothing is decoded */
    assert_false(cookie_fires("q=%27", "http.cookie; content:\"'\";"));
    /* positions (depth/offset) count in the decoded buffer */
    assert_true(cookie_fires("%41%42C", "http.cookie; url_decode; content:\"ABC\"; depth:3;"));
    assert_true(cookie_fires("%41%42C", "http.cookie; url_decode; pcre:\"/^AB/\";"));
    assert_true(cookie_fires("%41%42C", "http.cookie; url_decode; isdataat:2; isdataat:!3;"));
}

static void test_prefilter_and_set(void **state)
{
    /* a set with several rules on decoded and raw buffers: only the right ones fire */
    struct ips_ruleset *rs = load_ok(
        "alert http any any -> any any (msg:\"dec\"; http.cookie; url_decode; content:\"<script\"; nocase; sid:1;)\n"
        "alert http any any -> any any (msg:\"raw\"; http.cookie; content:\"<script\"; nocase; sid:2;)\n"
        "alert http any any -> any any (msg:\"ua\"; http.user_agent; url_decode; content:\"${jndi:\"; sid:3;)\n"
        "alert http any any -> any any (msg:\"body\"; http.request_body; url_decode; content:\"../../\"; sid:4;)\n");
    struct ips_txn t;
    txn_http(&t);
    ips_txn_set_str(&t, IPS_BUF_HTTP_COOKIE, "c=%3Cscript%3E");
    ips_txn_set_str(&t, IPS_BUF_HTTP_USER_AGENT, "%24%7Bjndi:ldap://x%7D");
    ips_txn_set_str(&t, IPS_BUF_HTTP_REQUEST_BODY, "f=..%2F..%2Fetc");
    struct ips_scratch *s = ips_scratch_new();
    struct ips_match_stats st;
    int n = ips_match(rs, s, &t, NULL, NULL, &st);
    assert_int_equal(n, 3);                 /* 1, 3, 4; not the raw cookie rule */
    assert_int_equal(st.matched, 3);
    assert_true(st.candidates >= 3 && st.candidates <= 4);
    /* the same scratch again with another transaction: buffers are re-decoded, not stale */
    txn_http(&t);
    ips_txn_set_str(&t, IPS_BUF_HTTP_COOKIE, "c=<script>");
    assert_int_equal(ips_match(rs, s, &t, NULL, NULL, &st), 2);   /* 1 and 2 */
    /* absent buffer: the decoded form is absent too */
    txn_http(&t);
    assert_int_equal(ips_match(rs, s, &t, NULL, NULL, &st), 0);
    ips_scratch_free(s);
    ips_ruleset_free(rs);
}

static void test_response_header(void **state)
{
    /* http.header in the to_client direction is the response header, decoded as well */
    struct ips_txn t;
    txn_http(&t);
    t.dir = IPS_DIR_TO_CLIENT;
    ips_txn_set_str(&t, IPS_BUF_HTTP_RESPONSE_HEADER, "Location: /x%3Fa\r\n");
    assert_true(fires("alert http any any -> any any (msg:\"t\"; http.header; url_decode; "
                      "content:\"/x?a\"; sid:1;)", &t));
}

static void test_errors(void **state)
{
    assert_load_error("alert http any any -> any any (msg:\"t\"; http.method; url_decode; "
                      "content:\"x\"; sid:1;)", "test.rules:1: url_decode: not available for http.method");
    assert_load_error("alert http any any -> any any (msg:\"t\"; url_decode; content:\"x\"; sid:1;)",
                      "not available for pkt_data");
    assert_load_error("alert http any any -> any any (msg:\"t\"; http.cookie; content:\"a\"; "
                      "url_decode; content:\"x\"; sid:1;)", "must come right after the sticky buffer http.cookie");
    assert_load_error("alert http any any -> any any (msg:\"t\"; http.cookie; url_decode; url_decode; "
                      "content:\"x\"; sid:1;)", "http.cookie+url_decode is already URL-decoded");
    assert_load_error("alert http any any -> any any (msg:\"t\"; http.cookie; url_decode:1; "
                      "content:\"x\"; sid:1;)", "url_decode");
    /* a content of another buffer before it is fine */
    struct ips_ruleset *rs = load_ok("alert http any any -> any any (msg:\"t\"; http.uri; content:\"a\"; "
                                     "http.cookie; url_decode; content:\"x\"; sid:1;)");
    ips_ruleset_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decoding),
        cmocka_unit_test(test_raw_and_decoded),
        cmocka_unit_test(test_prefilter_and_set),
        cmocka_unit_test(test_response_header),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
