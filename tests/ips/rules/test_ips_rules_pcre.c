/* test_ips_rules_pcre.c - pcre keyword: flags, relative matching, buffer flags, negation. */
#include "rules_test.h"

static void test_basic(void **state)
{
    assert_true(pkt_fires("pcre:\"/id=\\d+/\";", "?id=42"));
    assert_false(pkt_fires("pcre:\"/id=\\d+/\";", "?id=x"));
    assert_true(pkt_fires("pcre:\"/^GET /\";", "GET / HTTP/1.1"));
    assert_false(pkt_fires("pcre:\"/^GET /\";", " GET / HTTP/1.1"));
    /* escaped ';' and '"' inside the regex */
    assert_true(pkt_fires("pcre:\"/a\\;b\\\"c/\";", "xa;b\"cx"));
}

static void test_flags(void **state)
{
    assert_true(pkt_fires("pcre:\"/select/i\";", "SeLeCt"));
    assert_false(pkt_fires("pcre:\"/select/\";", "SeLeCt"));
    assert_true(pkt_fires("pcre:\"/a.b/s\";", "a\nb"));
    assert_false(pkt_fires("pcre:\"/a.b/\";", "a\nb"));
    assert_true(pkt_fires("pcre:\"/^two/m\";", "one\ntwo"));
    assert_false(pkt_fires("pcre:\"/^two/\";", "one\ntwo"));
    assert_true(pkt_fires("pcre:\"/t w o/x\";", "two"));
    assert_true(pkt_fires("pcre:\"/abc/B\";", "abc"));
}

static void test_relative(void **state)
{
    /* R: matched from the end of the previous content; ^ anchors there */
    assert_true(pkt_fires("content:\"user=\"; pcre:\"/^root/R\";", "user=root"));
    assert_false(pkt_fires("content:\"user=\"; pcre:\"/^root/R\";", "user=guest root"));
    assert_false(pkt_fires("content:\"b\"; pcre:\"/a/R\";", "ab"));
    /* a content relative to a pcre match */
    assert_true(pkt_fires("pcre:\"/x\\d+/\"; content:\"!\"; within:1;", "x1 x22!"));
    assert_false(pkt_fires("pcre:\"/x\\d+/\"; content:\"!\"; within:1;", "x1 x22 !"));
}

static void test_negated(void **state)
{
    assert_true(pkt_fires("content:\"GET\"; pcre:!\"/passwd/\";", "GET /index"));
    assert_false(pkt_fires("content:\"GET\"; pcre:!\"/passwd/\";", "GET /etc/passwd"));
}

static void test_buffer_flag(void **state)
{
    struct ips_txn t;
    txn_http(&t);
    ips_txn_set_str(&t, IPS_BUF_PKT, "GET /admin.php HTTP/1.1\r\n");
    ips_txn_set_str(&t, IPS_BUF_HTTP_URI, "/admin.php");
    ips_txn_set_str(&t, IPS_BUF_HTTP_USER_AGENT, "sqlmap/1.0");
    assert_true(fires("alert http any any -> any any (pcre:\"/^\\/admin/U\"; sid:1;)", &t));
    /* without U the pattern runs on the packet, where ^ is "GET" */
    assert_false(fires("alert http any any -> any any (pcre:\"/^\\/admin/\"; sid:1;)", &t));
    assert_true(fires("alert http any any -> any any (pcre:\"/sqlmap/V\"; sid:1;)", &t));
    assert_true(fires("alert http any any -> any any (http.uri; pcre:\"/php$/\"; sid:1;)", &t));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_flags),
        cmocka_unit_test(test_relative),
        cmocka_unit_test(test_negated),
        cmocka_unit_test(test_buffer_flag),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
