/* test_sandnet_timing.c - step timing accounting, CRIU stats decoding, the freezer's path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "sandnet/criu_stats.h"
#include "sandnet/freezer.h"
#include "sandnet/timing.h"

static void test_steps(void **state)
{
    (void)state;
    struct sn_timing t;
    sn_timing_init(&t);
    assert_true(sn_timing_ms(&t, SN_STEP_CHECKPOINT) < 0);      /* not run */
    assert_false(sn_timing_end(&t, SN_STEP_CHECKPOINT, 10));    /* end before begin */
    assert_true(sn_timing_begin(&t, SN_STEP_CHECKPOINT, 1000000));
    assert_false(sn_timing_begin(&t, SN_STEP_CHECKPOINT, 2000000));   /* twice */
    assert_true(sn_timing_ms(&t, SN_STEP_CHECKPOINT) < 0);      /* running */
    assert_false(sn_timing_end(&t, SN_STEP_CHECKPOINT, 999999));      /* clock backwards */
    assert_true(sn_timing_end(&t, SN_STEP_CHECKPOINT, 3500000));
    assert_false(sn_timing_end(&t, SN_STEP_CHECKPOINT, 4000000));     /* ended twice */
    assert_float_equal(sn_timing_ms(&t, SN_STEP_CHECKPOINT), 2.5, 1e-9);
    assert_true(sn_timing_begin(&t, SN_STEP_RESTORE, 10000000));
    assert_true(sn_timing_end(&t, SN_STEP_RESTORE, 10250000));
    assert_true(sn_timing_begin(&t, SN_STEP_VOLUMES, 0));      /* begun, never ended */
    assert_float_equal(sn_timing_total_ms(&t), 2.75, 1e-9);
    /* span: from checkpoint's begin (1 ms) to restore's end (10.25 ms), gaps included */
    assert_float_equal(sn_timing_span_ms(&t, SN_STEP_CHECKPOINT, SN_STEP_RESTORE), 9.25, 1e-9);
    assert_true(sn_timing_span_ms(&t, SN_STEP_CHECKPOINT, SN_STEP_VOLUMES) < 0);  /* not ended */
    assert_true(sn_timing_span_ms(&t, SN_STEP_RESTORE, SN_STEP_CHECKPOINT) < 0);  /* reversed */
    assert_false(sn_timing_begin(&t, SN_STEP_COUNT, 0));
    assert_false(sn_timing_begin(&t, (enum sn_step)-1, 0));
    assert_string_equal(sn_step_name(SN_STEP_FSDIFF_APPLY), "fsdiff_apply");
    assert_string_equal(sn_step_paper_label(SN_STEP_CKPT_COPY), "Checkpoint copy");
    assert_null(sn_step_paper_label(SN_STEP_CONFIG));
}

static void test_json(void **state)
{
    (void)state;
    struct sn_timing t;
    sn_timing_init(&t);
    sn_timing_begin(&t, SN_STEP_RESTORE, 0);
    sn_timing_end(&t, SN_STEP_RESTORE, 42000000);
    t.frozen_us = 31500;
    json_t *j = sn_timing_json(&t);
    json_t *steps = json_object_get(j, "steps");
    assert_int_equal(json_object_size(steps), SN_STEP_COUNT);
    assert_float_equal(json_real_value(json_object_get(steps, "restore")), 42.0, 1e-9);
    assert_true(json_is_null(json_object_get(steps, "checkpoint")));
    assert_float_equal(json_real_value(json_object_get(j, "total_ms")), 42.0, 1e-9);
    assert_true(json_is_null(json_object_get(j, "blackout_ms")));   /* no checkpoint step */
    assert_float_equal(json_real_value(json_object_get(j, "frozen_ms")), 31.5, 1e-9);
    assert_true(json_is_null(json_object_get(j, "criu_restore_ms")));
    json_decref(j);
}

/* A stats-dump image as CRIU 4.2 writes it: service magic, stats magic, size, StatsEntry
 * { dump = { freezing_time: 1200, frozen_time: 31500, memdump_time: 9000, memwrite_time: 800,
 *   pages_scanned: 300, pages_skipped_parent: 0, pages_written: 290, pages_lazy: 0 } }. */
static const uint8_t dump_img[] = {
    0x40, 0x59, 0x10, 0x55, 0x06, 0x33, 0x09, 0x57, 25, 0, 0, 0,
    0x0a, 23,
    0x08, 0xb0, 0x09,             /* 1: 1200 */
    0x10, 0x8c, 0xf6, 0x01,       /* 2: 31500 */
    0x18, 0xa8, 0x46,             /* 3: 9000 */
    0x20, 0xa0, 0x06,             /* 4: 800 */
    0x28, 0xac, 0x02,             /* 5: 300 */
    0x30, 0x00,                   /* 6: 0 */
    0x38, 0xa2, 0x02,             /* 7: 290 */
    0x48, 0x00,                   /* 9: 0 */
};

static void test_criu_dump_stats(void **state)
{
    (void)state;
    struct sn_criu_stats s;
    assert_true(sn_criu_stats_parse(dump_img, sizeof dump_img, &s));
    assert_true(s.has_dump);
    assert_false(s.has_restore);
    assert_int_equal(s.freezing_time, 1200);
    assert_int_equal(s.frozen_time, 31500);
    assert_int_equal(s.memdump_time, 9000);
    assert_int_equal(s.memwrite_time, 800);
    assert_int_equal(s.pages_written, 290);
    /* every truncation is an error, never a partial success */
    for (size_t n = 0; n < sizeof dump_img; n++)
        assert_false(sn_criu_stats_parse(dump_img, n, &s));
    uint8_t bad[sizeof dump_img];
    memcpy(bad, dump_img, sizeof bad);
    bad[4] ^= 1;                                   /* wrong stats magic */
    assert_false(sn_criu_stats_parse(bad, sizeof bad, &s));
    memcpy(bad, dump_img, sizeof bad);
    bad[14] = 0x09;                                   /* field 1 as fixed64: wrong wire type */
    assert_false(sn_criu_stats_parse(bad, sizeof bad, &s));
}

static void test_criu_restore_stats(void **state)
{
    (void)state;
    /* { restore = { pages_compared: 0, pages_skipped_cow: 0, forking_time: 700,
     *   restore_time: 48000, pages_restored: 5 }, unknown field 7 (bytes) skipped } */
    static const uint8_t img[] = {
        0x40, 0x59, 0x10, 0x55, 0x06, 0x33, 0x09, 0x57, 19, 0, 0, 0,
        0x12, 13, 0x08, 0x00, 0x10, 0x00, 0x18, 0xbc, 0x05, 0x20, 0x80, 0xf7, 0x02, 0x28, 0x05,
        0x3a, 2, 'h', 'i',
        /* (outer: 2 + 13 + 4 = 19) */
    };
    struct sn_criu_stats s;
    assert_true(sn_criu_stats_parse(img, sizeof img, &s));
    assert_true(s.has_restore);
    assert_false(s.has_dump);
    assert_int_equal(s.forking_time, 700);
    assert_int_equal(s.restore_time, 48000);
    assert_int_equal(s.pages_restored, 5);
    /* an over-long varint (11 bytes) is rejected */
    static const uint8_t longv[] = {
        0x40, 0x59, 0x10, 0x55, 0x06, 0x33, 0x09, 0x57, 14, 0, 0, 0,
        0x0a, 12, 0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
    };
    assert_false(sn_criu_stats_parse(longv, sizeof longv, &s));
}

/* Real images written by CRIU 4.2.1 (runc checkpoint / restore of a redis container), kept in
 * the fuzz corpus; the directory comes as argv[1]. */
static const char *corpus_dir;

static size_t load(const char *name, uint8_t *buf, size_t size)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", corpus_dir, name);
    FILE *f = fopen(p, "rb");
    assert_non_null(f);
    size_t n = fread(buf, 1, size, f);
    fclose(f);
    return n;
}

static void test_criu_real_images(void **state)
{
    (void)state;
    uint8_t buf[4096];
    struct sn_criu_stats s;
    size_t n = load("real-dump-criu421", buf, sizeof buf);
    assert_true(sn_criu_stats_parse(buf, n, &s));
    assert_true(s.has_dump);
    assert_true(s.frozen_time > 1000 && s.frozen_time < 10000000);     /* 1 ms .. 10 s */
    assert_true(s.freezing_time < s.frozen_time);
    assert_true(s.pages_written > 0);
    n = load("real-restore-criu421", buf, sizeof buf);
    assert_true(sn_criu_stats_parse(buf, n, &s));
    assert_true(s.has_restore);
    assert_false(s.has_dump);
    assert_true(s.restore_time > 1000 && s.restore_time < 10000000);
}

/* The original's cgroup freezer, from /proc/PID/cgroup as this machine shows it (v1/v2 hybrid),
 * joined controllers, pure v2, and what has no freezer. */
static void test_freezer_parse(void **state)
{
    (void)state;
    struct sn_freezer f;
    const char *hybrid = "9:name=systemd:/be1\n8:pids:/be1\n6:freezer:/be1\n"
                         "4:memory:/process_api/f8ea/be1\n1:cpu:/be1\n0::/be1\n";
    assert_true(sn_freezer_parse(hybrid, "/sys/fs/cgroup", &f));
    assert_false(f.v2);
    assert_string_equal(f.path, "/sys/fs/cgroup/freezer/be1/freezer.state");
    assert_true(sn_freezer_parse("3:cpu,freezer,pids:/a/b\n", "/c", &f));
    assert_string_equal(f.path, "/c/freezer/a/b/freezer.state");
    assert_true(sn_freezer_parse("0::/system.slice/x\n", "/sys/fs/cgroup", &f));
    assert_true(f.v2);
    assert_string_equal(f.path, "/sys/fs/cgroup/system.slice/x/cgroup.freeze");
    assert_string_equal(f.events, "/sys/fs/cgroup/system.slice/x/cgroup.events");
    assert_false(sn_freezer_parse("0::/\n", "/sys/fs/cgroup", &f));        /* root: no */
    assert_false(sn_freezer_parse("6:freezerx:/a\n2:cpu:/a\n", "/r", &f)); /* no freezer */
    assert_false(sn_freezer_parse("garbage\n\n", "/r", &f));
    assert_false(sn_freezer_parse("", "/r", &f));
    char longcg[700];
    memset(longcg, 'a', sizeof longcg);
    memcpy(longcg, "6:freezer:/", 11);
    longcg[sizeof longcg - 1] = '\0';
    assert_false(sn_freezer_parse(longcg, "/sys/fs/cgroup", &f));           /* too long */
}

int main(int argc, char **argv)
{
    corpus_dir = argc > 1 ? argv[1] : "tests/sandnet/corpus/fuzz_criu_stats";
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_steps),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_criu_dump_stats),
        cmocka_unit_test(test_criu_restore_stats),
        cmocka_unit_test(test_criu_real_images),
        cmocka_unit_test(test_freezer_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
