/* test_ips_rules_load.c - rule files, comments and continuations, metadata accessors, severity,
 * pass semantics, callback stop, reload keeping the running set. */
#include "rules_test.h"

#include "ips/rules/classtype.h"
#include "ips/rules/rule.h"

#include <unistd.h>

static const char *path(const char *name)
{
    static char buf[1024];
    snprintf(buf, sizeof buf, "%s/%s", RULES_DATA_DIR, name);
    return buf;
}

static void sqli_txn(struct ips_txn *t)
{
    txn_http(t);
    ips_txn_set_str(t, IPS_BUF_HTTP_URI, "/item.php?id=1 UNION  ALL SELECT pass FROM users");
}

static void test_example_file(void **state)
{
    char *err = NULL;
    struct ips_ruleset *rs = ips_ruleset_load_file(path("example.rules"), NULL, &err);
    if (!rs)
        print_error("%s\n", err);
    assert_non_null(rs);
    assert_int_equal(ips_ruleset_count(rs), 6);
    const struct ips_rule *r = ips_ruleset_find_sid(rs, 1000001);
    assert_non_null(r);
    assert_int_equal(ips_rule_rev(r), 2);
    assert_int_equal(ips_rule_gid(r), 1);
    assert_string_equal(ips_rule_msg(r), "WEB SQL injection attempt (UNION SELECT)");
    assert_string_equal(ips_rule_classtype(r), "web-application-attack");
    assert_int_equal(ips_rule_severity(r), 1);
    assert_int_equal(ips_rule_line(r), 4);
    assert_non_null(strstr(ips_rule_file(r), "example.rules"));
    assert_int_equal(ips_rule_reference_count(r), 1);
    assert_string_equal(ips_rule_reference(r, 0), "url,owasp.org/www-community/attacks/SQL_Injection");
    assert_int_equal(ips_rule_metadata_count(r), 1);
    assert_string_equal(ips_rule_metadata(r, 0), "created_at 2024_01_01");
    assert_null(ips_rule_reference(r, 1));
    /* classtype priority 2, overridden by priority:1 */
    assert_int_equal(ips_rule_severity(ips_ruleset_find_sid(rs, 1000002)), 2);
    assert_int_equal(ips_rule_severity(ips_ruleset_find_sid(rs, 1000003)), 1);
    assert_int_equal(ips_rule_rev(ips_ruleset_find_sid(rs, 1000004)), 0);
    assert_null(ips_ruleset_find_sid(rs, 42));

    struct ips_txn t;
    struct hits h = {{0}, 0};
    sqli_txn(&t);
    assert_int_equal(run(rs, &t, &h), 1);
    assert_int_equal(h.sid[0], 1000001);
    /* not to the home net */
    hs_parse_ipv4("8.8.8.8", &t.dst_ip);
    assert_int_equal(run(rs, &t, NULL), 0);

    /* response with a shell output */
    txn_http(&t);
    t.dir = IPS_DIR_TO_CLIENT;
    ips_txn_set_str(&t, IPS_BUF_HTTP_RESPONSE_BODY, "<pre>uid=0(root) gid=0(root)</pre>");
    h.n = 0;
    assert_int_equal(run(rs, &t, &h), 1);
    assert_int_equal(h.sid[0], 1000005);
    ips_ruleset_free(rs);
}

static void test_pass_and_order(void **state)
{
    char *err = NULL;
    struct ips_ruleset *rs = ips_ruleset_load_file(path("example.rules"), NULL, &err);
    assert_non_null(rs);
    struct ips_txn t;
    struct hits h = {{0}, 0};
    sqli_txn(&t);
    ips_txn_set_str(&t, IPS_BUF_HTTP_USER_AGENT, "sqlmap/1.7");
    /* drop (1000003) is evaluated before alert (1000001) */
    assert_int_equal(run(rs, &t, &h), 2);
    assert_int_equal(h.sid[0], 1000003);
    assert_int_equal(h.sid[1], 1000001);
    /* from the trusted range with the trusted agent: pass wins, nothing else fires */
    hs_parse_ipv4("198.19.0.7", &t.src_ip);
    ips_txn_set_str(&t, IPS_BUF_HTTP_USER_AGENT, "sqlmap trusted-scanner");
    h.n = 0;
    assert_int_equal(run(rs, &t, &h), 1);
    assert_int_equal(h.sid[0], 1000006);
    ips_ruleset_free(rs);
}

static bool stop_first(const struct ips_rule *r, void *ud)
{
    (*(int *)ud)++;
    return false;
}

static void test_callback_stop_and_null_scratch(void **state)
{
    struct ips_ruleset *rs = load_ok("alert tcp any any -> any any (content:\"a\"; sid:1;)\n"
                                     "alert tcp any any -> any any (content:\"b\"; sid:2;)\n");
    struct ips_txn t;
    txn_pkt(&t, "ab");
    int calls = 0;
    struct ips_match_stats st;
    assert_int_equal(ips_match(rs, NULL, &t, stop_first, &calls, &st), 1);
    assert_int_equal(calls, 1);
    assert_int_equal(st.candidates, 2);
    assert_int_equal(st.matched, 1);
    /* NULL callback: just count */
    assert_int_equal(ips_match(rs, NULL, &t, NULL, NULL, &st), 2);
    ips_ruleset_free(rs);
}

static void test_scratch_reuse(void **state)
{
    /* one scratch, several rule sets of different sizes, alternately */
    struct ips_ruleset *a = load_ok("alert tcp any any -> any any (content:\"x\"; sid:1;)\n");
    struct ips_ruleset *b = load_ok("alert tcp any any -> any any (content:\"y\"; sid:1;)\n"
                                    "alert tcp any any -> any any (content:\"yy\"; sid:2;)\n"
                                    "alert tcp any any -> any any (http.uri; content:\"q\"; sid:3;)\n");
    struct ips_scratch *s = ips_scratch_new();
    struct ips_txn t;
    txn_pkt(&t, "xyy");
    for (int i = 0; i < 3; i++) {
        assert_int_equal(ips_match(a, s, &t, NULL, NULL, NULL), 1);
        assert_int_equal(ips_match(b, s, &t, NULL, NULL, NULL), 2);
    }
    ips_scratch_free(s);
    ips_ruleset_free(a);
    ips_ruleset_free(b);
}

static void test_multi_files_and_reload(void **state)
{
    char dir[] = "/tmp/hs-rules-test.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char p1[256], p2[256];
    snprintf(p1, sizeof p1, "%s/a.rules", dir);
    snprintf(p2, sizeof p2, "%s/b.rules", dir);
    FILE *f = fopen(p1, "w");
    assert_non_null(f);
    fputs("alert tcp any any -> any any (msg:\"A\"; content:\"aaa\"; sid:10;)\r\n", f);
    fclose(f);
    f = fopen(p2, "w");
    assert_non_null(f);
    fputs("alert tcp any any -> any any (msg:\"B\"; content:\"bbb\"; sid:11;)", f);   /* no newline */
    fclose(f);
    const char *paths[] = {p1, p2};
    char *err = NULL;
    struct ips_ruleset *cur = ips_ruleset_load_files(paths, 2, NULL, &err);
    assert_non_null(cur);
    assert_int_equal(ips_ruleset_count(cur), 2);

    /* a bad reload keeps the running set */
    f = fopen(p2, "w");
    assert_non_null(f);
    fputs("alert tcp any any -> any any (msg:\"B\"; content:\"bbb\"; sid:11;)\n"
          "alert tcp any any -> any any (msg:\"C\"; sid:10;)\n", f);
    fclose(f);
    struct ips_ruleset *next = ips_ruleset_reload(cur, paths, 2, NULL, &err);
    assert_ptr_equal(next, cur);
    assert_non_null(err);
    char want[600];
    snprintf(want, sizeof want, "%s:2: duplicate sid 10 (first defined at %s:1)", p2, p1);
    if (!strstr(err, want))
        print_error("got: %s\nwant: %s\n", err, want);
    assert_non_null(strstr(err, want));
    free(err);
    struct ips_txn t;
    txn_pkt(&t, "aaa bbb");
    assert_int_equal(run(cur, &t, NULL), 2);

    /* a good reload gives a new set */
    f = fopen(p2, "w");
    assert_non_null(f);
    fputs("alert tcp any any -> any any (msg:\"C\"; content:\"ccc\"; sid:12;)\n", f);
    fclose(f);
    next = ips_ruleset_reload(cur, paths, 2, NULL, &err);
    assert_non_null(next);
    assert_ptr_not_equal(next, cur);
    assert_null(err);
    ips_ruleset_free(cur);
    assert_int_equal(run(next, &t, NULL), 1);
    txn_pkt(&t, "ccc");
    assert_int_equal(run(next, &t, NULL), 1);
    assert_string_equal(ips_rule_msg(ips_ruleset_find_sid(next, 12)), "C");
    ips_ruleset_free(next);
    unlink(p1);
    unlink(p2);
    rmdir(dir);
}

static void test_bad_file(void **state)
{
    char *err = NULL;
    const char *paths[] = {path("example.rules"), path("bad.rules")};
    struct ips_ruleset *rs = ips_ruleset_load_files(paths, 2, NULL, &err);
    assert_null(rs);
    assert_non_null(strstr(err, "bad.rules:3: unknown keyword 'contnet'"));
    free(err);
}

static void test_custom_vars(void **state)
{
    struct ips_vars *v = ips_vars_new();
    ips_vars_set(v, "HOME_NET", "198.18.0.0/15");
    ips_vars_set(v, "HTTP_PORTS", "[80,8080]");
    const char *text = "alert tcp $EXTERNAL_NET any -> $HOME_NET $HTTP_PORTS (content:\"x\"; sid:1;)\n";
    char *err = NULL;
    struct ips_ruleset *rs = ips_ruleset_load_string(text, strlen(text), "v", v, &err);
    assert_non_null(rs);
    struct ips_txn t;
    txn_pkt(&t, "x");
    assert_int_equal(run(rs, &t, NULL), 0);          /* 192.168.1.10 is not home any more */
    hs_parse_ipv4("198.18.0.2", &t.dst_ip);
    t.dst_port = 8080;
    assert_int_equal(run(rs, &t, NULL), 1);
    ips_ruleset_free(rs);
    ips_vars_free(v);
}

static void test_empty(void **state)
{
    struct ips_ruleset *rs = load_ok("# nothing\n\n   \n");
    assert_int_equal(ips_ruleset_count(rs), 0);
    struct ips_txn t;
    txn_pkt(&t, "x");
    assert_int_equal(run(rs, &t, NULL), 0);
    ips_ruleset_free(rs);
    char *err = NULL;
    rs = ips_ruleset_load_files(NULL, 0, NULL, &err);
    assert_non_null(rs);
    ips_ruleset_free(rs);
}

/* The registration table: unique names, a setup each, and every keyword documented. */
static void test_keyword_table(void **state)
{
    FILE *f = fopen(RULES_DOCS, "r");
    assert_non_null(f);
    static char doc[1 << 17];
    size_t n = fread(doc, 1, sizeof doc - 1, f);
    fclose(f);
    doc[n] = '\0';
    size_t count = ips_kw_count();
    assert_true(count >= 40);
    for (size_t i = 0; i < count; i++) {
        const struct ips_kw *k = ips_kw_at(i);
        assert_non_null(k->setup);
        assert_ptr_equal(ips_kw_find(k->name), k);
        for (size_t j = i + 1; j < count; j++)
            assert_string_not_equal(k->name, ips_kw_at(j)->name);
        char quoted[80];
        snprintf(quoted, sizeof quoted, "`%s", k->name);
        if (!strstr(doc, quoted))
            print_error("keyword '%s' is not documented in docs/rules.md\n", k->name);
        assert_non_null(strstr(doc, quoted));
    }
    assert_null(ips_kw_at(count));
    assert_null(ips_kw_find("nope"));
    /* classtypes: Suricata's names and priorities, all documented */
    assert_int_equal(ips_classtype_find("web-application-attack")->priority, 1);
    assert_int_equal(ips_classtype_find("attempted-recon")->priority, 2);
    assert_int_equal(ips_classtype_find("successful-recon-largescale")->priority, 2);
    assert_int_equal(ips_classtype_find("policy-violation")->priority, 1);
    assert_int_equal(ips_classtype_find("tcp-connection")->priority, 4);
    assert_null(ips_classtype_find("nope"));
    for (size_t i = 0; i < ips_classtype_count(); i++) {
        char quoted[80];
        snprintf(quoted, sizeof quoted, "`%s`", ips_classtype_at(i)->name);
        if (!strstr(doc, quoted))
            print_error("classtype '%s' is not documented\n", ips_classtype_at(i)->name);
        assert_non_null(strstr(doc, quoted));
        assert_in_range(ips_classtype_at(i)->priority, 1, 4);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_example_file),
        cmocka_unit_test(test_pass_and_order),
        cmocka_unit_test(test_callback_stop_and_null_scratch),
        cmocka_unit_test(test_scratch_reuse),
        cmocka_unit_test(test_multi_files_and_reload),
        cmocka_unit_test(test_bad_file),
        cmocka_unit_test(test_custom_vars),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_keyword_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
