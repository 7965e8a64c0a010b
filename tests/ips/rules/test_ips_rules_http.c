/* test_ips_rules_http.c - sticky buffers, http.header direction, urilen, isdataat, flow,
 * protocol http. */
#include "rules_test.h"

static void make_req(struct ips_txn *t)
{
    txn_http(t);
    ips_txn_set_str(t, IPS_BUF_HTTP_METHOD, "POST");
    ips_txn_set_str(t, IPS_BUF_HTTP_URI, "/login.php?user=admin");
    ips_txn_set_str(t, IPS_BUF_HTTP_URI_RAW, "/login.php?user=%61dmin");
    ips_txn_set_str(t, IPS_BUF_HTTP_REQUEST_LINE, "POST /login.php?user=%61dmin HTTP/1.1");
    ips_txn_set_str(t, IPS_BUF_HTTP_HEADER,
                    "Host: shop.example\r\nUser-Agent: curl/8.0\r\nCookie: sess=abc\r\n");
    ips_txn_set_str(t, IPS_BUF_HTTP_COOKIE, "sess=abc");
    ips_txn_set_str(t, IPS_BUF_HTTP_USER_AGENT, "curl/8.0");
    ips_txn_set_str(t, IPS_BUF_HTTP_HOST, "shop.example");
    ips_txn_set_str(t, IPS_BUF_HTTP_CONTENT_TYPE, "application/x-www-form-urlencoded");
    ips_txn_set_str(t, IPS_BUF_HTTP_REQUEST_BODY, "pass=' OR 1=1--");
}

static bool req_fires(const char *opts)
{
    char rule[2048];
    snprintf(rule, sizeof rule, "alert http any any -> any any (%s sid:7;)", opts);
    struct ips_txn t;
    make_req(&t);
    return fires(rule, &t);
}

static void test_sticky(void **state)
{
    assert_true(req_fires("http.method; content:\"POST\";"));
    assert_false(req_fires("http.method; content:\"GET\";"));
    assert_true(req_fires("http.uri; content:\"user=admin\";"));
    assert_false(req_fires("http.uri.raw; content:\"user=admin\";"));
    assert_true(req_fires("http.uri.raw; content:\"%61dmin\";"));
    assert_true(req_fires("http.header; content:\"User-Agent|3a| curl\";"));
    assert_true(req_fires("http.cookie; content:\"sess=\"; startswith;"));
    assert_true(req_fires("http.user_agent; content:\"curl/\"; depth:5;"));
    assert_true(req_fires("http.host; content:\"shop.example\"; endswith;"));
    assert_true(req_fires("http.request_line; content:\"HTTP/1.1\"; endswith;"));
    assert_true(req_fires("http.content_type; content:\"form-urlencoded\";"));
    assert_true(req_fires("http.request_body; content:\"' OR 1=1\"; nocase;"));
    /* content in one buffer is not found in another */
    assert_false(req_fires("http.cookie; content:\"curl\";"));
    /* pkt_data switches back to the payload, which is absent here */
    assert_false(req_fires("http.uri; content:\"login\"; pkt_data; content:\"x\";"));
    /* two buffers in one rule, relative chains per buffer */
    assert_true(req_fires("http.uri; content:\"login\"; content:\"admin\"; distance:0; "
                          "http.method; content:\"POST\"; depth:4;"));
    /* absent buffer: no match, even with only negated content */
    assert_false(req_fires("http.stat_code; content:!\"200\";"));
}

static void test_response(void **state)
{
    struct ips_txn t;
    txn_http(&t);
    t.dir = IPS_DIR_TO_CLIENT;
    ips_txn_set_str(&t, IPS_BUF_HTTP_HEADER, "Host: req.example\r\n");
    ips_txn_set_str(&t, IPS_BUF_HTTP_RESPONSE_HEADER, "Server: Apache/2.2\r\n");
    ips_txn_set_str(&t, IPS_BUF_HTTP_STAT_CODE, "500");
    ips_txn_set_str(&t, IPS_BUF_HTTP_STAT_MSG, "Internal Server Error");
    ips_txn_set_str(&t, IPS_BUF_HTTP_RESPONSE_LINE, "HTTP/1.1 500 Internal Server Error");
    ips_txn_set_str(&t, IPS_BUF_HTTP_RESPONSE_BODY, "<b>SQL syntax</b> error");
    /* http.header inspects the response headers in the to_client direction */
    assert_true(fires("alert http any any -> any any (flow:to_client; http.header; "
                      "content:\"Apache/2.2\"; sid:1;)", &t));
    assert_false(fires("alert http any any -> any any (http.header; content:\"req.example\"; "
                       "sid:1;)", &t));
    assert_true(fires("alert http any any -> any any (http.response_header; content:\"Server\"; "
                      "sid:1;)", &t));
    assert_true(fires("alert http any any -> any any (http.stat_code; content:\"500\"; "
                      "http.stat_msg; content:\"Internal\"; sid:1;)", &t));
    assert_true(fires("alert http any any -> any any (http.response_line; content:\" 500 \"; "
                      "sid:1;)", &t));
    assert_true(fires("alert http any any -> any any (file_data; content:\"SQL syntax\"; "
                      "sid:1;)", &t));
    assert_true(fires("alert http any any -> any any (http.response_body; content:\"error\"; "
                      "endswith; sid:1;)", &t));
    assert_false(fires("alert http any any -> any any (flow:to_server; http.response_body; "
                       "content:\"error\"; sid:1;)", &t));
}

static void test_urilen(void **state)
{
    /* "/login.php?user=admin" is 21 bytes, the raw form 23 */
    assert_true(req_fires("urilen:21;"));
    assert_false(req_fires("urilen:20;"));
    assert_true(req_fires("urilen:<22;"));
    assert_false(req_fires("urilen:<21;"));
    assert_true(req_fires("urilen:>20;"));
    assert_false(req_fires("urilen:>21;"));
    assert_true(req_fires("urilen:20<>22;"));
    assert_false(req_fires("urilen:21<>30;"));   /* exclusive */
    assert_true(req_fires("urilen:23,raw;"));
    assert_true(req_fires("urilen:21, norm;"));
    /* no URI: no match */
    struct ips_txn t;
    txn_pkt(&t, "abc");
    assert_false(fires("alert tcp any any -> any any (urilen:>0; sid:1;)", &t));
}

static void test_isdataat(void **state)
{
    assert_true(pkt_fires("isdataat:3;", "abcd"));
    assert_false(pkt_fires("isdataat:4;", "abcd"));
    assert_true(pkt_fires("isdataat:!4;", "abcd"));
    assert_true(pkt_fires("content:\"ab\"; isdataat:1,relative;", "abcd"));
    assert_false(pkt_fires("content:\"ab\"; isdataat:2,relative;", "abcd"));
    assert_true(pkt_fires("content:\"ab\"; isdataat:!2,relative;", "abcd"));
    /* relative isdataat takes part in backtracking: the second "ab" has data after it */
    assert_true(pkt_fires("content:\"ab\"; isdataat:!1,relative; content:\"z\";", "abXXzab"));
    assert_false(pkt_fires("content:\"ab\"; isdataat:!1,relative;", "abXab  "));
    assert_true(req_fires("http.request_body; isdataat:10;"));
}

static void test_flow(void **state)
{
    struct ips_txn t;
    txn_pkt(&t, "hello");
    assert_true(fires("alert tcp any any -> any any (flow:to_server,established; "
                      "content:\"hello\"; sid:1;)", &t));
    assert_true(fires("alert tcp any any -> any any (flow:from_client; content:\"hello\"; sid:1;)",
                      &t));
    assert_false(fires("alert tcp any any -> any any (flow:to_client; content:\"hello\"; sid:1;)",
                       &t));
    assert_false(fires("alert tcp any any -> any any (flow:not_established; content:\"hello\"; "
                       "sid:1;)", &t));
    t.established = false;
    assert_false(fires("alert tcp any any -> any any (flow:established; content:\"hello\"; "
                       "sid:1;)", &t));
    assert_true(fires("alert tcp any any -> any any (flow:stateless; content:\"hello\"; sid:1;)",
                      &t));
}

static void test_protocols(void **state)
{
    struct ips_txn t;
    txn_pkt(&t, "hello");
    assert_false(fires("alert http any any -> any any (content:\"hello\"; sid:1;)", &t));
    assert_false(fires("alert udp any any -> any any (content:\"hello\"; sid:1;)", &t));
    assert_true(fires("alert ip any any -> any any (content:\"hello\"; sid:1;)", &t));
    t.app_http = true;
    assert_true(fires("alert http any any -> any any (content:\"hello\"; sid:1;)", &t));
    t.ip_proto = 17;
    assert_true(fires("alert udp any any -> any any (content:\"hello\"; sid:1;)", &t));
    assert_false(fires("alert tcp any any -> any any (content:\"hello\"; sid:1;)", &t));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sticky),
        cmocka_unit_test(test_response),
        cmocka_unit_test(test_urilen),
        cmocka_unit_test(test_isdataat),
        cmocka_unit_test(test_flow),
        cmocka_unit_test(test_protocols),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
