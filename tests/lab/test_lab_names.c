/* test_lab_names.c - naming rules of the lab. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lab/lab_names.h"
#include "topo_fixture.h"

static void test_ifname(void **state)
{
    (void)state;
    char n[HS_LAB_IFNAME_SIZE];
    assert_true(hs_lab_ifname("hst", "honeypot", n));
    assert_string_equal(n, "hst-honeypot");
    assert_true(hs_lab_ifname("abcdefg", "1234567", n));   /* exactly 15 */
    assert_string_equal(n, "abcdefg-1234567");
    assert_false(hs_lab_ifname("abcdefgh", "1234567", n)); /* 16: reported, not truncated */
}

static void test_bump_ifnames(void **state)
{
    (void)state;
    char b[HS_LAB_IFNAME_SIZE], i[HS_LAB_IFNAME_SIZE];
    assert_true(hs_lab_bump_ifnames("hsbw", "web", b, i));
    assert_string_equal(b, "hsbw-web.b");
    assert_string_equal(i, "hsbw-web.i");
    assert_true(hs_lab_bump_ifnames("abcdef", "123456", b, i)); /* the parser's 13 + 2 */
    assert_string_equal(b, "abcdef-123456.b");
    assert_false(hs_lab_bump_ifnames("abcdef", "1234567", b, i)); /* reported, not cut */
}

static void test_tmp_ifname(void **state)
{
    (void)state;
    char n[HS_LAB_IFNAME_SIZE];
    assert_true(hs_lab_tmp_ifname(4194304, 999, n));       /* largest pid_max, many hosts */
    assert_string_equal(n, "hsp4194304.999");
    assert_true(hs_lab_tmp_ifname(12, 0, n));
    assert_string_equal(n, "hsp12.0");
    assert_false(hs_lab_tmp_ifname(4194304, 123456, n));
}

static void test_paths(void **state)
{
    (void)state;
    char p[HS_PATH_MAX];
    assert_true(hs_lab_netns_path("hst", "web", p, sizeof p));
    assert_string_equal(p, "/run/netns/hst-web");
    assert_true(hs_lab_host_dir("/run/honeyshift/hst", "web", p, sizeof p));
    assert_string_equal(p, "/run/honeyshift/hst/hosts/web");
    assert_true(hs_lab_host_file("/run/honeyshift/hst", "web", "log/access.log", p, sizeof p));
    assert_string_equal(p, "/run/honeyshift/hst/hosts/web/log/access.log");
    assert_true(hs_lab_state_file("/s", "topology.yaml", p, sizeof p));
    assert_string_equal(p, "/s/topology.yaml");
    char small[10];
    assert_false(hs_lab_host_dir("/run/honeyshift/hst", "web", small, sizeof small));
}

static void test_dpid(void **state)
{
    (void)state;
    char d[17];
    hs_lab_dpid_hex(0x10, d);
    assert_string_equal(d, "0000000000000010");
    hs_lab_dpid_hex(UINT64_MAX, d);
    assert_string_equal(d, "ffffffffffffffff");
}

static void test_name_is_ours(void **state)
{
    (void)state;
    assert_true(hs_lab_name_is_ours("hs", "hs-web"));
    assert_false(hs_lab_name_is_ours("hs", "hst-web"));    /* another lab */
    assert_false(hs_lab_name_is_ours("hs", "hs-"));
    assert_false(hs_lab_name_is_ours("hs", "hs"));
    assert_false(hs_lab_name_is_ours("hs", "eth0"));
    assert_false(hs_lab_name_is_ours("", "-x"));
}

static void test_hostname(void **state)
{
    (void)state;
    struct hs_topology *t = fixture_topology();
    assert_string_equal(hs_lab_hostname(&t->hosts[2]), "web");
    assert_string_equal(hs_lab_hostname(&t->hosts[3]), "web");     /* honeypot: its twin */
    assert_string_equal(hs_lab_hostname(&t->hosts[0]), "client");
    fixture_free(t);
}

static void test_check_names(void **state)
{
    (void)state;
    struct hs_topology *t = fixture_topology();
    char err[512];
    assert_int_equal(hs_lab_check_names(t, err, sizeof err), 0);
    hs_strlcpy(t->lab, "labwithlongnam", sizeof t->lab);  /* + "-honeypot" > 15 */
    assert_int_equal(hs_lab_check_names(t, err, sizeof err), -1);
    assert_non_null(strstr(err, "lab.yaml:10:"));         /* the first host's line */
    assert_non_null(strstr(err, "longer than 15"));
    hs_strlcpy(t->lab, "hs", sizeof t->lab);
    hs_strlcpy(t->state_dir, "relative/dir", sizeof t->state_dir);
    assert_int_equal(hs_lab_check_names(t, err, sizeof err), -1);
    assert_non_null(strstr(err, "absolute"));
    hs_strlcpy(t->state_dir, "/", sizeof t->state_dir);
    assert_int_equal(hs_lab_check_names(t, err, sizeof err), -1);
    hs_strlcpy(t->state_dir, "/run/honeyshift/hs", sizeof t->state_dir);
    /* ips.mode bump: web's bump names "<lab>-web.b"/".i" fit as well */
    t->ips.present = t->ips.enabled = true;
    t->ips.mode = HS_IPS_BUMP;
    t->ips.switch_index = 0;
    assert_int_equal(hs_lab_check_names(t, err, sizeof err), 0);
    fixture_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ifname),
        cmocka_unit_test(test_bump_ifnames),
        cmocka_unit_test(test_tmp_ifname),
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_dpid),
        cmocka_unit_test(test_name_is_ours),
        cmocka_unit_test(test_hostname),
        cmocka_unit_test(test_check_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
