/* test_http_norm.c - unit tests of the pure HTTP normalisation helpers and anomaly names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ips/http/http_norm.h"
#include "ips/http/http_parser.h"

static void fold_case(const char *in, const char *want, bool want_above)
{
    uint8_t buf[256];
    size_t n = strlen(in);
    assert_true(n < sizeof buf);
    memcpy(buf, in, n);
    bool above = !want_above;
    size_t m = ips_http_path_fold(buf, n, &above);
    buf[m] = 0;
    assert_string_equal((char *)buf, want);
    assert_int_equal(above, want_above);
}

static void test_fold(void **state)
{
    (void)state;
    fold_case("/a/b/../c", "/a/c", false);
    fold_case("/a//b", "/a/b", false);
    fold_case("////a///b//", "/a/b/", false);
    fold_case("/../../etc/passwd", "/etc/passwd", true);
    fold_case("/a/../../etc/passwd", "/etc/passwd", true);
    fold_case("/a/b/../../c", "/c", false);
    fold_case("/a/./b/.", "/a/b/", false);
    fold_case("/a/b/..", "/a/", false);
    fold_case("/..", "/", true);
    fold_case("/", "/", false);
    fold_case("", "", false);
    fold_case("/...", "/...", false);
    fold_case("/a/..b/c", "/a/..b/c", false);
    fold_case("/static/css/../img/logo.png", "/static/img/logo.png", false);
    fold_case("a/../../b", "b", true);
    fold_case("./a", "a", false);
}

static void test_fold_nul_kept(void **state)
{
    (void)state;
    uint8_t buf[] = {'/', 'a', 0, 'b', '/', '/', 'c'};
    bool above;
    size_t m = ips_http_path_fold(buf, sizeof buf, &above);
    assert_int_equal(m, 6);
    assert_memory_equal(buf, "/a\0b/c", 6);
    assert_false(above);
}

static void test_escapes(void **state)
{
    (void)state;
    assert_true(ips_http_has_escape((const uint8_t *)"/%41", 4));
    assert_true(ips_http_has_escape((const uint8_t *)"%u0041", 6));
    assert_true(ips_http_has_escape((const uint8_t *)"x%2e", 4));
    assert_false(ips_http_has_escape((const uint8_t *)"/%zz%4", 6));
    assert_false(ips_http_has_escape((const uint8_t *)"100%", 4));
    assert_false(ips_http_has_escape((const uint8_t *)"%u004", 5));
    assert_true(ips_http_has_u_escape((const uint8_t *)"/%U00aF", 7));
    assert_false(ips_http_has_u_escape((const uint8_t *)"/%41%u00", 8));
}

static void test_method_classify(void **state)
{
    (void)state;
    assert_int_equal(ips_http_method_classify((const uint8_t *)"GET", 3), IPS_HTTP_METHOD_KNOWN);
    assert_int_equal(ips_http_method_classify((const uint8_t *)"gEt", 3), IPS_HTTP_METHOD_CASE);
    assert_int_equal(ips_http_method_classify((const uint8_t *)"post", 4), IPS_HTTP_METHOD_CASE);
    assert_int_equal(ips_http_method_classify((const uint8_t *)"FOO", 3), IPS_HTTP_METHOD_UNKNOWN);
    assert_int_equal(ips_http_method_classify((const uint8_t *)"GE", 2), IPS_HTTP_METHOD_UNKNOWN);
    assert_int_equal(ips_http_method_classify((const uint8_t *)"", 0), IPS_HTTP_METHOD_UNKNOWN);
}

static bool scan_split(const char *s, size_t at)
{
    struct ips_http_fold_scan f = {0};
    size_t n = strlen(s);
    ips_http_fold_scan(&f, (const uint8_t *)s, at);
    ips_http_fold_scan(&f, (const uint8_t *)s + at, n - at);
    return f.folded;
}

static void test_fold_scan(void **state)
{
    (void)state;
    const char *folded = "Host: a\r\nX: one\r\n\ttwo\r\n\r\n";
    const char *plain = "Host: a\r\nX: one two\r\n\r\n body that is not a header";
    const char *lf = "Host: a\nX: one\n two\n\n";
    for (size_t i = 0; i <= strlen(folded); i++)
        assert_true(scan_split(folded, i));
    for (size_t i = 0; i <= strlen(plain); i++)
        assert_false(scan_split(plain, i));
    for (size_t i = 0; i <= strlen(lf); i++)
        assert_true(scan_split(lf, i));
    assert_true(scan_split(" X: leading\r\n\r\n", 0));
}

static void test_anomaly_names(void **state)
{
    (void)state;
    for (unsigned i = 0; i < IPS_HTTP_A_COUNT; i++) {
        const char *n = ips_http_anomaly_name(1ULL << i);
        assert_non_null(n);
        for (unsigned j = 0; j < i; j++)
            assert_string_not_equal(n, ips_http_anomaly_name(1ULL << j));
    }
    assert_string_equal(ips_http_anomaly_name(IPS_HTTP_A_DOUBLE_ENCODING), "double_encoding");
    assert_string_equal(ips_http_anomaly_name(IPS_HTTP_A_REQ_BODY_TRUNCATED), "req_body_truncated");
    assert_null(ips_http_anomaly_name(1ULL << IPS_HTTP_A_COUNT));
    assert_null(ips_http_anomaly_name(3));
    assert_null(ips_http_anomaly_name(0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fold),          cmocka_unit_test(test_fold_nul_kept),
        cmocka_unit_test(test_escapes),       cmocka_unit_test(test_method_classify),
        cmocka_unit_test(test_fold_scan),     cmocka_unit_test(test_anomaly_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
