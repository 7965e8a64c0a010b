/* test_daemon.c - the daemon helpers shared by honeyshiftd, honeyshift-ipsd and the agent
 * (common/daemon.h): the four common options, the log file, the pidfile lock and release. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/daemon.h"
#include "common/log.h"

static void common_options(void **state)
{
    (void)state;
    struct hs_daemon_opts d = {0};
    assert_true(hs_daemon_opt('d', NULL, &d));
    assert_true(hs_daemon_opt('v', NULL, &d));
    assert_true(hs_daemon_opt('p', "/run/x.pid", &d));
    assert_true(hs_daemon_opt('l', "/var/log/x.log", &d));
    assert_true(d.daemon && d.verbose);
    assert_string_equal(d.pidfile, "/run/x.pid");
    assert_string_equal(d.logfile, "/var/log/x.log");
    assert_false(hs_daemon_opt('c', "cfg", &d));
    assert_false(hs_daemon_opt('?', NULL, &d));
}

static void log_file(void **state)
{
    (void)state;
    FILE *f = (FILE *)1;
    assert_int_equal(hs_daemon_log_open("t", NULL, &f), 0); /* no --log: stderr stays */
    assert_null(f);
    assert_int_equal(hs_daemon_log_open("t", "/nonexistent-dir/x.log", &f), -1);
    assert_null(f);
    char path[64];
    snprintf(path, sizeof path, "/tmp/hs-test-daemon-%d.log", (int)getpid());
    assert_int_equal(hs_daemon_log_open("t", path, &f), 0);
    assert_non_null(f);
    hs_log_init("t", HS_LOG_INFO);
    LOG_INFO("hello %d", 42);
    hs_log_set_stream(stderr);
    fclose(f);
    FILE *r = fopen(path, "r");
    assert_non_null(r);
    char line[256] = "";
    assert_non_null(fgets(line, sizeof line, r));
    fclose(r);
    unlink(path);
    assert_non_null(strstr(line, "hello 42"));
}

static void pidfile(void **state)
{
    (void)state;
    char path[64];
    snprintf(path, sizeof path, "/tmp/hs-test-daemon-%d.pid", (int)getpid());
    int fd = hs_pidfile_lock("t", path);
    assert_true(fd >= 0);
    assert_int_equal(hs_pidfile_lock("t", path), -1); /* held: a second instance is refused */
    hs_pidfile_write(fd);
    hs_pidfile_release(fd, path);
    assert_int_not_equal(access(path, F_OK), 0);  /* removed */
    hs_pidfile_release(-1, path);                 /* nothing taken: nothing done */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(common_options),
        cmocka_unit_test(log_file),
        cmocka_unit_test(pidfile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
