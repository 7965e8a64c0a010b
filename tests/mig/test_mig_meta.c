/* test_mig_meta.c - the meta file the dumping agent writes beside CRIU's images (parent PID,
 * highest TID), the CRIU verbosity option and the restore's --exec-cmd (stand-in parent). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "mig/mig_criu.h"

static void test_meta_roundtrip(void **st)
{
    (void)st;
    struct hs_mig_meta m = {.pid = 6, .ppid = 4, .max_tid = 31}, back;
    char text[HS_MIG_META_MAX], err[128];
    assert_true(hs_mig_meta_format(&m, text, sizeof text));
    assert_string_equal(text, "pid 6\nppid 4\nmaxtid 31\n");
    assert_int_equal(hs_mig_meta_parse(text, strlen(text), &back, err, sizeof err), 0);
    assert_int_equal(back.pid, 6);
    assert_int_equal(back.ppid, 4);
    assert_int_equal(back.max_tid, 31);
    /* order is free; ppid 0 (unknown) is allowed */
    const char *o = "maxtid 9\nppid 0\npid 9\n";
    assert_int_equal(hs_mig_meta_parse(o, strlen(o), &back, err, sizeof err), 0);
    assert_int_equal(back.ppid, 0);
    char small[8];
    assert_false(hs_mig_meta_format(&m, small, sizeof small));
}

static void test_meta_rejects(void **st)
{
    (void)st;
    static const char *bad[] = {
        "",                                       /* keys missing */
        "pid 6\nppid 4\n",                        /* maxtid missing */
        "pid 6\nppid 4\nmaxtid 31",               /* no final newline */
        "pid 6\npid 6\nppid 4\nmaxtid 31\n",      /* repeated */
        "pid 6\nppid 4\nmaxtid 31\nuid 0\n",      /* unknown key */
        "pid 0\nppid 4\nmaxtid 31\n",             /* pid 0 */
        "pid 6\nppid 6\nmaxtid 31\n",             /* parent = itself */
        "pid 6\nppid 4\nmaxtid 5\n",              /* maxtid < pid */
        "pid 99999999\nppid 4\nmaxtid 99999999\n",/* above PID_MAX_LIMIT / too many digits */
        "pid -6\nppid 4\nmaxtid 31\n",            /* sign */
        "pid  6\nppid 4\nmaxtid 31\n",            /* two blanks */
        "PID 6\nppid 4\nmaxtid 31\n",             /* case */
    };
    struct hs_mig_meta m;
    char err[128];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        assert_int_equal(hs_mig_meta_parse(bad[i], strlen(bad[i]), &m, err, sizeof err), -1);
        assert_true(err[0] != '\0');
    }
    char big[HS_MIG_META_MAX + 10];
    memset(big, 'a', sizeof big);
    assert_int_equal(hs_mig_meta_parse(big, sizeof big, &m, err, sizeof err), -1);
}

static bool has_arg(const struct hs_mig_argv *a, const char *s)
{
    for (size_t i = 0; i < a->n; i++)
        if (!strcmp(a->v[i], s))
            return true;
    return false;
}

static void test_criu_verbosity(void **st)
{
    (void)st;
    char err[128];
    struct hs_mig_dump_spec d = {.criu = "/c", .pid = 5, .dir = "/dev/shm/x", .verbosity = 4};
    struct hs_mig_argv a = {0};
    assert_int_equal(hs_mig_criu_dump_argv(&d, &a, err, sizeof err), 0);
    assert_true(has_arg(&a, "-v4"));
    hs_mig_argv_free(&a);
    d.verbosity = 0;
    assert_int_equal(hs_mig_criu_dump_argv(&d, &a, err, sizeof err), 0);
    assert_false(has_arg(&a, "-v4") || has_arg(&a, "-v0"));
    hs_mig_argv_free(&a);
    struct hs_mig_restore_spec r = {.criu = "/c", .dir = "/d", .pidfile = "/d/p", .verbosity = 9};
    assert_int_equal(hs_mig_criu_restore_argv(&r, &a, err, sizeof err), 0);
    assert_false(has_arg(&a, "-v9"));
    hs_mig_argv_free(&a);
}

static void test_criu_exec_cmd(void **st)
{
    (void)st;
    char err[128];
    char *cmd[] = {"/usr/lib/honeyshift-agent", "--nest-parent", "99", NULL};
    struct hs_mig_restore_spec r = {.criu = "/c", .dir = "/d", .pidfile = "/d/p", .exec_cmd = cmd};
    struct hs_mig_argv a = {0};
    assert_int_equal(hs_mig_criu_restore_argv(&r, &a, err, sizeof err), 0);
    /* CRIU refuses --restore-detached with --exec-cmd; the command comes last, after -- */
    assert_false(has_arg(&a, "--restore-detached"));
    assert_true(a.n >= 5);
    assert_string_equal(a.v[a.n - 5], "--exec-cmd");
    assert_string_equal(a.v[a.n - 4], "--");
    assert_string_equal(a.v[a.n - 3], "/usr/lib/honeyshift-agent");
    assert_string_equal(a.v[a.n - 1], "99");
    assert_null(a.v[a.n]);
    hs_mig_argv_free(&a);
    r.exec_cmd = NULL;
    assert_int_equal(hs_mig_criu_restore_argv(&r, &a, err, sizeof err), 0);
    assert_true(has_arg(&a, "--restore-detached"));
    assert_false(has_arg(&a, "--exec-cmd"));
    hs_mig_argv_free(&a);
    char *rel[] = {"honeyshift-agent", NULL};
    r.exec_cmd = rel;
    assert_int_equal(hs_mig_criu_restore_argv(&r, &a, err, sizeof err), -1);
    hs_mig_argv_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_meta_roundtrip),
        cmocka_unit_test(test_meta_rejects),
        cmocka_unit_test(test_criu_verbosity),
        cmocka_unit_test(test_criu_exec_cmd),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
