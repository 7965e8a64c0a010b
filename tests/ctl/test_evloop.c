/* test_evloop.c - the event loop: fd readiness, timers, removal while running, stop. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <unistd.h>

#include "common/util.h"
#include "ctl/evloop.h"

struct rec {
    int reads, ticks, oneshots;
    int pipe_r;
    uint64_t periodic_id;
    uint64_t first_tick_ms, start_ms;
};

static void on_read(struct evloop *l, int fd, unsigned ev, void *ctx)
{
    struct rec *r = ctx;
    char c;
    assert_true(ev & EV_READ);
    assert_int_equal(read(fd, &c, 1), 1);
    r->reads++;
    if (c == 'x') {
        evloop_del_fd(l, fd); /* removing itself while running */
    }
}

static void on_tick(struct evloop *l, void *ctx)
{
    struct rec *r = ctx;
    if (!r->ticks++)
        r->first_tick_ms = hs_now_ms();
    if (r->ticks == 3) {
        evloop_del_timer(l, r->periodic_id); /* cancelling itself */
    }
}

static void on_stop(struct evloop *l, void *ctx)
{
    struct rec *r = ctx;
    r->oneshots++;
    evloop_stop(l);
}

static void on_write_pipe(struct evloop *l, void *ctx)
{
    int *wfd = ctx;
    (void)l;
    assert_int_equal(write(*wfd, "ax", 2), 2);
}

static void test_loop(void **state)
{
    (void)state;
    struct evloop *l = evloop_new();
    struct rec r = {0};
    int p[2];
    assert_int_equal(pipe(p), 0);
    r.pipe_r = p[0];
    r.start_ms = hs_now_ms();
    assert_int_equal(evloop_add_fd(l, p[0], EV_READ, on_read, &r), 0);
    r.periodic_id = evloop_add_timer(l, 20, true, on_tick, &r);
    assert_true(r.periodic_id > 0);
    evloop_add_timer(l, 10, false, on_write_pipe, &p[1]);
    evloop_add_timer(l, 200, false, on_stop, &r);
    assert_int_equal(evloop_run(l), 0);
    assert_int_equal(r.reads, 2);      /* 'a' and 'x'; after 'x' the fd was removed */
    assert_int_equal(r.ticks, 3);      /* cancelled after the third tick */
    assert_int_equal(r.oneshots, 1);
    assert_true(r.first_tick_ms - r.start_ms >= 20);
    assert_true(hs_now_ms() - r.start_ms >= 200);
    /* a removed fd stays quiet */
    assert_int_equal(write(p[1], "b", 1), 1);
    evloop_add_timer(l, 30, false, on_stop, &r);
    assert_int_equal(evloop_run(l), 0);
    assert_int_equal(r.reads, 2);
    assert_int_equal(r.oneshots, 2);
    evloop_del_timer(l, 987654); /* unknown id: ignored */
    evloop_free(l);
    close(p[0]);
    close(p[1]);
}

static void test_bad_fd(void **state)
{
    (void)state;
    struct evloop *l = evloop_new();
    assert_int_equal(evloop_add_fd(l, -1, EV_READ, on_read, NULL), -1);
    assert_int_equal(evloop_add_fd(l, 12345, EV_READ, on_read, NULL), -1); /* not open */
    evloop_free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loop),
        cmocka_unit_test(test_bad_fd),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
