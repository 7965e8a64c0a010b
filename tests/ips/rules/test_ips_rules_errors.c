/* test_ips_rules_errors.c - every mistake is reported as "FILE:LINE: reason" and rejects the
 * whole file. */
#include "rules_test.h"

#define R(opts) "alert tcp any any -> any any (" opts ")\n"

static void test_keywords(void **state)
{
    assert_load_error(R("msg:\"x\"; foo:1; sid:1;"), "test.rules:1: unknown keyword 'foo'");
    assert_load_error(R("msg:\"x\";"), "test.rules:1: missing sid");
    assert_load_error(R("sid:1;") R("sid:2;") "\n# c\n" R("sid:1;"),
                      "test.rules:5: duplicate sid 1 (first defined at test.rules:1)");
    assert_load_error(R("content:\"|4G|\"; sid:1;"), "test.rules:1: content: bad hex: invalid character 'G'");
    assert_load_error(R("content:\"|414|\"; sid:1;"), "bad hex: odd number of digits");
    assert_load_error(R("content:\"|41\"; sid:1;"), "bad hex: unterminated");
    assert_load_error(R("content:\"abc; sid:1;"), "test.rules:1: unterminated string in 'content'");
    assert_load_error(R("pcre:\"/a(b/\"; sid:1;"), "test.rules:1: pcre: compile error at offset 3: missing closing parenthesis");
    assert_load_error(R("pcre:\"/a/z\"; sid:1;"), "unknown pcre flag 'z'");
    assert_load_error(R("pcre:\"abc\"; sid:1;"), "expected \"/regex/flags\"");
    assert_load_error(R("depth:4; sid:1;"), "test.rules:1: depth: 'depth' needs a preceding content");
    assert_load_error(R("nocase; content:\"a\"; sid:1;"), "'nocase' needs a preceding content");
    assert_load_error(R("content:\"abc\"; depth:2; sid:1;"), "depth 2 is smaller than the content length 3");
    assert_load_error(R("content:\"a\"; content:\"abc\"; within:2; sid:1;"), "within 2 is smaller");
    assert_load_error(R("content:\"a\"; offset:1; distance:1; sid:1;"), "can't be mixed");
    assert_load_error(R("content:\"a\"; distance:1; depth:3; sid:1;"), "can't be mixed");
    assert_load_error(R("content:\"a\"; depth:1; depth:1; sid:1;"), "duplicate 'depth'");
    assert_load_error(R("content:\"a\"; distance:1; sid:1;"),
                      "'distance' needs a preceding content or pcre in buffer pkt_data");
    assert_load_error(R("content:\"a\"; http.uri; content:\"b\"; within:5; sid:1;"),
                      "'within' needs a preceding content or pcre in buffer http.uri");
    assert_load_error(R("pcre:\"/a/R\"; sid:1;"), "'pcre /R' needs a preceding");
    assert_load_error(R("isdataat:1,relative; sid:1;"), "'isdataat,relative' needs a preceding");
    assert_load_error(R("content:\"\"; sid:1;"), "empty content");
    assert_load_error(R("content:abc; sid:1;"), "expected a quoted string");
    assert_load_error(R("content:\"a\\x\"; sid:1;"), "invalid escape '\\x'");
    assert_load_error(R("content:!\"a\"; fast_pattern; sid:1;"), "negated content");
    assert_load_error(R("content:\"ab\"; fast_pattern; content:\"cd\"; fast_pattern; sid:1;"),
                      "fast_pattern is set on more than one content");
    assert_load_error(R("content:\"abc\"; fast_pattern:2,5; sid:1;"), "bad OFFSET,LENGTH");
    assert_load_error(R("sid:1; sid:2;"), "duplicate 'sid'");
    assert_load_error(R("sid:0;"), "bad sid '0'");
    assert_load_error(R("sid:abc;"), "bad sid 'abc'");
    assert_load_error(R("sid:4294967296;"), "bad sid");
    assert_load_error(R("classtype:nope; sid:1;"), "unknown classtype 'nope'");
    assert_load_error(R("priority:0; sid:1;"), "bad priority");
    assert_load_error(R("nocase:1; sid:1;"), "'nocase' takes no value");
    assert_load_error(R("content; sid:1;"), "'content' needs a value");
    assert_load_error(R("flow:to_server,to_client; sid:1;"), "exclusive");
    assert_load_error(R("flow:sideways; sid:1;"), "unknown flow option 'sideways'");
    assert_load_error(R("urilen:5<>3; sid:1;"), "bad range");
    assert_load_error(R("urilen:abc; sid:1;"), "bad value");
    assert_load_error(R("isdataat:x; sid:1;"), "bad offset");
    assert_load_error(R("content:\"a\"; http_uri; sid:1;"), "put the sticky buffer 'http.uri'");
    assert_load_error(R("reference:nocomma; sid:1;"), "expected 'type,id'");
    assert_load_error(R("msg:unquoted; sid:1;"), "expected a quoted string");
    assert_load_error(R("msg:\"a\" x; sid:1;"), "unexpected text after the closing quote");
}

static void test_header_errors(void **state)
{
    assert_load_error("alert tcp any any -> any (sid:1;)\n", "missing destination port");
    assert_load_error("yell tcp any any -> any any (sid:1;)\n", "unknown action 'yell'");
    assert_load_error("alert icmp any any -> any any (sid:1;)\n", "unsupported protocol 'icmp'");
    assert_load_error("alert tcp any any <- any any (sid:1;)\n", "bad direction '<-'");
    assert_load_error("alert tcp $NOPE any -> any any (sid:1;)\n", "undefined variable '$NOPE'");
    assert_load_error("alert tcp any 99999 -> any any (sid:1;)\n", "bad port '99999'");
    assert_load_error("alert tcp any any -> any any sid:1;\n", "missing '('");
    assert_load_error("alert tcp any any -> any any (sid:1;\n", "must end with ')'");
    assert_load_error("alert udp any any -> any any (http.uri; content:\"a\"; sid:1;)\n",
                      "http buffers need protocol http or tcp");
    assert_load_error("alert tcp any any -> any any x (sid:1;)\n", "after the rule header");
}

static void test_lines(void **state)
{
    /* line numbers count comments, blank lines and continuation lines; a continued rule is
     * reported at its first line */
    const char *text =
        "# comment\n"
        "\n"
        "alert tcp any any -> any any (msg:\"ok\"; \\\n"
        "    sid:1;)\n"
        "alert tcp any any -> any any (msg:\"bad\"; \\\n"
        "    bogus; sid:2;)\n"
        "alert tcp any any -> any any (sid:3; whatever;)\n";
    char *e = load_err(text);
    assert_non_null(strstr(e, "test.rules:5: unknown keyword 'bogus'\n"));
    assert_non_null(strstr(e, "test.rules:7: unknown keyword 'whatever'\n"));
    assert_null(strstr(e, "test.rules:3"));
    free(e);
}

static void test_many_errors(void **state)
{
    char *text = xmalloc(200 * 64);
    size_t k = 0;
    for (int i = 0; i < 200; i++)
        k += (size_t)sprintf(text + k, "alert tcp any any -> any any (bad%d;)\n", i);
    char *e = load_err(text);
    assert_non_null(strstr(e, "test.rules:100: unknown keyword 'bad99'"));
    assert_null(strstr(e, "bad100'"));
    assert_non_null(strstr(e, "... and 100 more errors"));
    free(e);
    free(text);
}

static void test_missing_file(void **state)
{
    char *err = NULL;
    struct ips_ruleset *rs = ips_ruleset_load_file("/nonexistent/x.rules", NULL, &err);
    assert_null(rs);
    assert_non_null(strstr(err, "/nonexistent/x.rules: cannot open: No such file or directory"));
    free(err);
}

static void test_nul_byte(void **state)
{
    const char text[] = "alert tcp any any -> any any (sid:1;\0)\n";
    char *err = NULL;
    struct ips_ruleset *rs = ips_ruleset_load_string(text, sizeof text - 1, "n.rules", NULL, &err);
    assert_null(rs);
    assert_non_null(strstr(err, "n.rules:1: NUL byte in rule"));
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keywords),
        cmocka_unit_test(test_header_errors),
        cmocka_unit_test(test_lines),
        cmocka_unit_test(test_many_errors),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_nul_byte),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
