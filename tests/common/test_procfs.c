/* test_procfs.c - common/procfs.h: the NSpid reader on status files written by the test and on
 * this process's own /proc entry, small-file reading (no silent prefix), alive and parent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/procfs.h"

static char path[64];

static int setup(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "/tmp/hs-test-procfs-%d", (int)getpid());
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(path);
    return 0;
}

static void write_status(const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void nested_levels(void **state)
{
    (void)state;
    pid_t in = -1;
    write_status("Name:\tnginx\nPid:\t4711\nNSpid:\t4711\t12\t3\nNSpgid:\t4711\t12\t3\n");
    assert_int_equal(hs_proc_nspid_file(path, &in), 3);
    assert_int_equal(in, 3);
    write_status("NSpid:\t99\n");
    assert_int_equal(hs_proc_nspid_file(path, NULL), 1);
}

static void missing_or_malformed(void **state)
{
    (void)state;
    pid_t in = -1;
    write_status("Name:\tx\nPid:\t5\n");
    assert_int_equal(hs_proc_nspid_file(path, &in), 0);
    assert_int_equal(in, 0);
    const char *bad[] = {"NSpid:\t12\tx3\n", "NSpid:\t-4\n", "NSpid:\t99999999999999\n",
                         "NSpid:\n", "NSpid:\t0\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        in = -1;
        write_status(bad[i]);
        assert_int_equal(hs_proc_nspid_file(path, &in), 0);
        assert_int_equal(in, 0);
    }
    unlink(path);
    assert_int_equal(hs_proc_nspid_file(path, &in), 0);
}

static void own_process(void **state)
{
    (void)state;
    pid_t in = 0;
    assert_true(hs_proc_nspid(getpid(), &in) >= 1);
    assert_true(in > 0);
    assert_int_equal(hs_proc_nspid(-1, &in), 0);
}

static void small_files(void **state)
{
    (void)state;
    size_t n = 99;
    write_status("0123456789");
    char *s = hs_read_small_file(path, 10, &n); /* exactly max bytes */
    assert_non_null(s);
    assert_int_equal(n, 10);
    assert_string_equal(s, "0123456789");
    free(s);
    errno = 0;
    assert_null(hs_read_small_file(path, 9, &n)); /* one byte too many: no silent prefix */
    assert_int_equal(errno, EFBIG);
    write_status("");
    s = hs_read_small_file(path, 4, &n);
    assert_non_null(s);
    assert_int_equal(n, 0);
    assert_string_equal(s, "");
    free(s);
    unlink(path);
    assert_null(hs_read_small_file(path, 4, &n));
}

struct seen {
    int want;
    int found;
    unsigned calls;
};

static bool find_fd(int fd, const char *target, void *ctx)
{
    struct seen *s = ctx;
    s->calls++;
    if (fd == s->want && !strncmp(target, "pipe:[", 6))
        s->found = 1;
    return !s->found; /* stop once found */
}

static void descriptors(void **state)
{
    (void)state;
    int p[2];
    assert_int_equal(pipe(p), 0);
    struct seen s = {.want = p[1]};
    assert_true(hs_proc_each_fd(getpid(), find_fd, &s));
    assert_int_equal(s.found, 1);
    assert_true(s.calls >= 1);
    close(p[0]);
    close(p[1]);
    assert_false(hs_proc_each_fd(-1, find_fd, &s)); /* no such process */
}

static void alive_and_parent(void **state)
{
    (void)state;
    assert_true(hs_proc_alive(getpid()));
    assert_int_equal(hs_proc_ppid(getpid()), getppid());
    assert_false(hs_proc_alive(0));
    assert_false(hs_proc_alive(-1));
    assert_int_equal(hs_proc_ppid(-1), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(small_files),
        cmocka_unit_test(alive_and_parent),
        cmocka_unit_test(descriptors),
        cmocka_unit_test(nested_levels),
        cmocka_unit_test(missing_or_malformed),
        cmocka_unit_test(own_process),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
