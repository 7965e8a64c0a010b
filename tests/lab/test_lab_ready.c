/* test_lab_ready.c - reading the controller's status answer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lab/lab_ready.h"
#include "topo_fixture.h"

static struct hs_topology *two_switches(void)
{
    struct hs_topology *t = fixture_topology();
    t->n_switches = 2;
    t->switches = realloc(t->switches, 2 * sizeof *t->switches);
    if (!t->switches)
        abort();
    memset(&t->switches[1], 0, sizeof t->switches[1]);
    hs_strlcpy(t->switches[1].name, "hs-br1", sizeof t->switches[1].name);
    t->switches[1].dpid = 0x10;
    return t;
}

static void test_all_ready(void **state)
{
    (void)state;
    struct hs_topology *t = two_switches();
    size_t n;
    char err[256];
    const char *ans = "{\"ok\":true,\"switches\":["
        "{\"name\":\"hs-br1\",\"dpid\":\"0x0000000000000010\",\"connected\":true,\"ready\":true},"
        "{\"name\":\"hs-br0\",\"dpid\":\"0x0000000000000001\",\"connected\":true,\"ready\":true,"
        "\"ports\":[1,2]}],\"uptime\":3}";
    assert_int_equal(hs_lab_ctl_ready(t, ans, &n, err, sizeof err), 1);
    assert_int_equal(n, 2);
    fixture_free(t);
}

static void test_not_yet(void **state)
{
    (void)state;
    struct hs_topology *t = two_switches();
    size_t n;
    char err[256];
    /* connected but flows not installed; the other one absent */
    const char *a1 = "{\"ok\":true,\"switches\":[{\"name\":\"hs-br0\",\"connected\":true,"
                     "\"ready\":false}]}";
    assert_int_equal(hs_lab_ctl_ready(t, a1, &n, err, sizeof err), 0);
    assert_int_equal(n, 0);
    const char *a2 = "{\"ok\":true,\"switches\":[{\"name\":\"hs-br0\",\"connected\":true,"
                     "\"ready\":true},{\"name\":\"other\",\"connected\":true,\"ready\":true}]}";
    assert_int_equal(hs_lab_ctl_ready(t, a2, &n, err, sizeof err), 0);
    assert_int_equal(n, 1);
    const char *a3 = "{\"ok\":true,\"switches\":[]}";
    assert_int_equal(hs_lab_ctl_ready(t, a3, &n, err, sizeof err), 0);
    assert_int_equal(n, 0);
    /* "ready" must be the JSON true, not a truthy string */
    const char *a4 = "{\"ok\":true,\"switches\":[{\"name\":\"hs-br0\",\"connected\":\"yes\","
                     "\"ready\":1},{\"name\":\"hs-br1\",\"connected\":true,\"ready\":true}]}";
    assert_int_equal(hs_lab_ctl_ready(t, a4, &n, err, sizeof err), 0);
    assert_int_equal(n, 1);
    fixture_free(t);
}

static void test_by_dpid(void **state)
{
    (void)state;
    struct hs_topology *t = fixture_topology();
    size_t n;
    char err[256];
    const char *ans = "{\"ok\":true,\"switches\":[{\"dpid\":\"0x0000000000000001\","
                      "\"connected\":true,\"ready\":true}]}";
    assert_int_equal(hs_lab_ctl_ready(t, ans, &n, err, sizeof err), 1);
    const char *other = "{\"ok\":true,\"switches\":[{\"dpid\":\"0x2\","
                        "\"connected\":true,\"ready\":true}]}";
    assert_int_equal(hs_lab_ctl_ready(t, other, &n, err, sizeof err), 0);
    fixture_free(t);
}

static void test_errors(void **state)
{
    (void)state;
    struct hs_topology *t = fixture_topology();
    size_t n;
    char err[256];
    assert_int_equal(hs_lab_ctl_ready(t, "{\"ok\":false,\"error\":\"busy\"}", &n, err,
                                      sizeof err), -1);
    assert_non_null(strstr(err, "busy"));
    assert_int_equal(hs_lab_ctl_ready(t, "not json", &n, err, sizeof err), -1);
    assert_non_null(strstr(err, "not JSON"));
    assert_int_equal(hs_lab_ctl_ready(t, "[1,2]", &n, err, sizeof err), -1);
    assert_int_equal(hs_lab_ctl_ready(t, "{\"ok\":true}", &n, err, sizeof err), -1);
    assert_non_null(strstr(err, "switches"));
    assert_int_equal(hs_lab_ctl_ready(t, "{\"ok\":true,\"switches\":[],\"ok\":true}", &n, err,
                                      sizeof err), -1);     /* duplicate key */
    fixture_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_ready),
        cmocka_unit_test(test_not_yet),
        cmocka_unit_test(test_by_dpid),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
