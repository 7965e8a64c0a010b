/* test_sandnet_strategy.c - strategies' initial clone sets, the proactive heuristic (scores,
 * k nearest neighbours) and the shrinking decisions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "sandnet/strategy.h"

enum { FE1, BE1, DB1, FE2, BE2, DB2, N };

/* The 3-tier app twice: fe->be->db per group, group 1 busy, group 2 lighter; sizes like ours
 * (backend image 52 MB, db 3 MB, fe 2 MB). */
static void app_traffic(struct sn_traffic *t)
{
    memset(t, 0, sizeof *t);
    t->n = N;
    const uint64_t size[N] = {2u << 20, 52u << 20, 3u << 20, 2u << 20, 52u << 20, 3u << 20};
    memcpy(t->size_bytes, size, sizeof size);
    t->bytes[FE1][BE1] = 400000; t->bytes[BE1][FE1] = 900000;
    t->bytes[BE1][DB1] = 300000; t->bytes[DB1][BE1] = 350000;
    t->bytes[FE2][BE2] = 40000;  t->bytes[BE2][FE2] = 90000;
    t->bytes[BE2][DB2] = 30000;  t->bytes[DB2][BE2] = 35000;
    t->dur_ms[FE1][BE1] = 5; t->dur_ms[BE1][DB1] = 9000;   /* redis: one long connection */
    t->dur_ms[FE2][BE2] = 5; t->dur_ms[BE2][DB2] = 9000;
}

static void test_names(void **state)
{
    (void)state;
    enum sn_strategy s;
    assert_true(sn_strategy_parse("proactive", &s));
    assert_int_equal(s, SN_STRAT_PROACTIVE);
    assert_string_equal(sn_strategy_name(SN_STRAT_REACTIVE), "reactive");
    assert_false(sn_strategy_parse("Active", &s));
    assert_false(sn_strategy_parse(NULL, &s));
    assert_string_equal(sn_strategy_name((enum sn_strategy)7), "?");
}

static void test_scores(void **state)
{
    (void)state;
    struct sn_traffic t;
    app_traffic(&t);
    struct sn_heuristic h = sn_heuristic_default();
    /* be1: largest size (1), most bytes (1), longest flow (1) -> 1.0 */
    assert_float_equal(sn_proactive_score(&t, &h, BE1), 1.0, 1e-9);
    /* db1: size 3/52, bytes 650000/1950000, duration 1 */
    double db1 = 0.1 * 3.0 / 52.0 + 0.6 * 650000.0 / 1950000.0 + 0.3;
    assert_float_equal(sn_proactive_score(&t, &h, DB1), db1, 1e-9);
    assert_true(sn_proactive_score(&t, &h, FE2) < 0.1);
    assert_true(sn_proactive_score(&t, &h, BE2) < h.threshold);   /* big but quiet */
    assert_float_equal(sn_proactive_score(&t, &h, N), 0.0, 0);   /* out of range */
    struct sn_traffic z;
    memset(&z, 0, sizeof z);
    z.n = 3;
    assert_float_equal(sn_proactive_score(&z, &h, 1), 0.0, 0);   /* all zero: no division */
}

static void test_knn(void **state)
{
    (void)state;
    struct sn_traffic t;
    app_traffic(&t);
    size_t out[N];
    assert_int_equal(sn_knn(&t, BE1, 1, NULL, out), 1);
    assert_int_equal(out[0], FE1);          /* 1.3 MB with fe1 beats 650 kB with db1 */
    assert_int_equal(sn_knn(&t, BE1, 5, NULL, out), 2);
    assert_int_equal(out[1], DB1);
    bool excl[N] = {[FE1] = true};
    assert_int_equal(sn_knn(&t, BE1, 1, excl, out), 1);
    assert_int_equal(out[0], DB1);
    assert_int_equal(sn_knn(&t, FE2, 0, NULL, out), 0);
    struct sn_traffic z;
    memset(&z, 0, sizeof z);
    z.n = 2;
    assert_int_equal(sn_knn(&z, 0, 3, NULL, out), 0);      /* no traffic, no neighbours */
}

static void test_initial(void **state)
{
    (void)state;
    struct sn_traffic t;
    app_traffic(&t);
    struct sn_heuristic h = sn_heuristic_default();
    bool sel[N];
    /* active: everything but SC */
    assert_int_equal(sn_strategy_initial(SN_STRAT_ACTIVE, &t, &h, FE1, sel), 5);
    assert_false(sel[FE1]);
    /* reactive: fe1's only peer */
    assert_int_equal(sn_strategy_initial(SN_STRAT_REACTIVE, &t, &h, FE1, sel), 1);
    assert_true(sel[BE1]);
    /* proactive: be1 (peer, hot) and db1 (its nearest neighbour besides SC): the paper's
     * "clones both DB1 and its dependent BE1 concurrently"; group 2 stays out */
    assert_int_equal(sn_strategy_initial(SN_STRAT_PROACTIVE, &t, &h, FE1, sel), 2);
    assert_true(sel[BE1] && sel[DB1]);
    assert_false(sel[FE2] || sel[BE2] || sel[DB2] || sel[FE1]);
    /* a lower threshold makes group 2's backend hot too, and brings its neighbour */
    h.threshold = 0.3;
    size_t c = sn_strategy_initial(SN_STRAT_PROACTIVE, &t, &h, FE1, sel);
    assert_true(sel[BE2]);
    assert_true(sel[FE2] || sel[DB2]);
    assert_true(c >= 4);
    /* k = 0: no neighbours, only peers and hot nodes */
    h = sn_heuristic_default();
    h.k = 0;
    assert_int_equal(sn_strategy_initial(SN_STRAT_PROACTIVE, &t, &h, FE1, sel), 1);  /* be1 */
    h.threshold = 0.45;    /* db1 (0.51) and be2 (0.46) hot, no neighbours added */
    assert_int_equal(sn_strategy_initial(SN_STRAT_PROACTIVE, &t, &h, FE1, sel), 3);
    assert_true(sel[BE1] && sel[DB1] && sel[BE2] && !sel[FE2] && !sel[DB2]);
    assert_int_equal(sn_strategy_initial(SN_STRAT_REACTIVE, &t, &h, N, sel), 0);      /* bad SC */
}

static void test_shrink(void **state)
{
    (void)state;
    struct sn_shrink_state s = {false, 1000, 0};
    assert_int_equal(sn_shrink_decide(&s, 5000, 10000, 20000), SN_SHRINK_KEEP);
    assert_int_equal(sn_shrink_decide(&s, 11000, 10000, 20000), SN_SHRINK_FREEZE);
    s.frozen = true;
    s.frozen_since_ms = 11000;
    assert_int_equal(sn_shrink_decide(&s, 20000, 10000, 20000), SN_SHRINK_KEEP);
    assert_int_equal(sn_shrink_decide(&s, 31000, 10000, 20000), SN_SHRINK_REMOVE);
    s.last_touch_ms = 12000;     /* touched while asleep */
    assert_int_equal(sn_shrink_decide(&s, 31000, 10000, 20000), SN_SHRINK_THAW);
    struct sn_shrink_state f = {false, 9000, 0};
    assert_int_equal(sn_shrink_decide(&f, 100, 10000, 20000), SN_SHRINK_KEEP);   /* clock behind */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names), cmocka_unit_test(test_scores), cmocka_unit_test(test_knn),
        cmocka_unit_test(test_initial), cmocka_unit_test(test_shrink),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
