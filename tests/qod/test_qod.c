/* test_qod.c - the QoD math (qod.c) against hand-worked examples. */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "qod/qod.h"

/* cmocka 1.1.5 only has a float comparison; doubles need their own. */
#define assert_near(a, b) assert_near_at((a), (b), 1e-12, __FILE__, __LINE__)
static void assert_near_at(double a, double b, double eps, const char *file, int line)
{
    if (!(fabs(a - b) <= eps)) {
        print_error("%s:%d: %.17g != %.17g\n", file, line, a, b);
        fail();
    }
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static struct qod_source values(double *v, size_t n)
{
    return (struct qod_source){.kind = QOD_SRC_VALUES, .values = v, .n = n};
}

static struct qod_source image(double mean, double std)
{
    return (struct qod_source){.kind = QOD_SRC_IMAGE, .image = {mean, std}};
}

static void test_image_classic(void **state)
{
    (void)state;
    /* mean = 40/8 = 5; deviations -3,-1,-1,-1,0,0,2,4, squares sum 9+1+1+1+0+0+4+16 = 32;
     * population variance 32/8 = 4, std 2 (the sample std would be sqrt(32/7)). */
    double v[] = {2, 4, 4, 4, 5, 5, 7, 9};
    struct qod_image im;
    assert_int_equal(qod_image(v, N(v), &im), QOD_OK);
    assert_near(im.mean, 5.0);
    assert_near(im.std, 2.0);
}

static void test_image_constant_and_single(void **state)
{
    (void)state;
    /* constant series: std exactly 0, mean exactly the value (no rounding noise from 0.1) */
    double c[] = {0.1, 0.1, 0.1};
    struct qod_image im;
    assert_int_equal(qod_image(c, N(c), &im), QOD_OK);
    assert_true(im.mean == 0.1);
    assert_true(im.std == 0.0);
    /* single element: (7, 0) */
    double s[] = {7};
    assert_int_equal(qod_image(s, 1, &im), QOD_OK);
    assert_true(im.mean == 7.0);
    assert_true(im.std == 0.0);
}

static void test_image_errors_and_extremes(void **state)
{
    (void)state;
    struct qod_image im;
    double v[] = {1, 2};
    assert_int_equal(qod_image(v, 0, &im), QOD_ERR_EMPTY);
    double nan[] = {1, NAN};
    assert_int_equal(qod_image(nan, 2, &im), QOD_ERR_NONFINITE);
    double inf[] = {INFINITY, 1};
    assert_int_equal(qod_image(inf, 2, &im), QOD_ERR_NONFINITE);
    /* naive sums would overflow: mean of {MAX, MAX, -MAX} is MAX/3, std = sqrt(8/9) MAX */
    double big[] = {DBL_MAX, DBL_MAX, -DBL_MAX};
    assert_int_equal(qod_image(big, 3, &im), QOD_OK);
    assert_true(fabs(im.mean / (DBL_MAX / 3) - 1) < 1e-12);
    assert_true(fabs(im.std / (DBL_MAX * sqrt(8.0 / 9.0)) - 1) < 1e-12);
    /* tiny values: {0, 2 * DBL_TRUE_MIN} -> mean DBL_TRUE_MIN, std DBL_TRUE_MIN */
    double tiny[] = {0, 2 * DBL_TRUE_MIN};
    assert_int_equal(qod_image(tiny, 2, &im), QOD_OK);
    assert_true(im.mean == DBL_TRUE_MIN);
    assert_true(im.std == DBL_TRUE_MIN);
}

static void test_series_global(void **state)
{
    (void)state;
    /* p = (12, 1), o = (20, 0): MIN = 0, MAX = 20; d = (8/20, 1/20) = (0.4, 0.05);
     * C = 0.45 / 2 = 0.225 */
    struct qod_image p = {12, 1}, o = {20, 0};
    double c = -1;
    assert_int_equal(qod_series_change(&p, &o, QOD_NORM_GLOBAL, &c), QOD_OK);
    assert_near(c, 0.225);
    /* p = (12, 1), o = (12, 3): MIN = 1, MAX = 12; d = (0, 2/11); C = 1/11 */
    struct qod_image o2 = {12, 3};
    assert_int_equal(qod_series_change(&p, &o2, QOD_NORM_GLOBAL, &c), QOD_OK);
    assert_near(c, 1.0 / 11.0);
    /* symmetric: swapping p and o gives the same change */
    double c2 = -1;
    assert_int_equal(qod_series_change(&o2, &p, QOD_NORM_GLOBAL, &c2), QOD_OK);
    assert_near(c2, c);
    /* negative means: p = (-10, 2), o = (10, 2): MIN = -10, MAX = 10, d = (20/20, 0), C = 0.5 */
    struct qod_image p3 = {-10, 2}, o3 = {10, 2};
    assert_int_equal(qod_series_change(&p3, &o3, QOD_NORM_GLOBAL, &c), QOD_OK);
    assert_near(c, 0.5);
}

static void test_series_identical_and_zero_range(void **state)
{
    (void)state;
    double c = -1;
    /* identical images -> 0 */
    struct qod_image p = {12, 1};
    assert_int_equal(qod_series_change(&p, &p, QOD_NORM_GLOBAL, &c), QOD_OK);
    assert_true(c == 0.0);
    /* MAX == MIN: p = o = (3, 3), all four features equal, range 0 -> 0, not 0/0 = NaN */
    struct qod_image q = {3, 3};
    c = -1;
    assert_int_equal(qod_series_change(&q, &q, QOD_NORM_GLOBAL, &c), QOD_OK);
    assert_true(c == 0.0);
    c = -1;
    assert_int_equal(qod_series_change(&q, &q, QOD_NORM_PER_FEATURE, &c), QOD_OK);
    assert_true(c == 0.0);
    /* constant series [0, 0] vs single [0]: images (0, 0), (0, 0) -> 0 */
    double z[] = {0, 0}, z1[] = {0};
    struct qod_kpi k = {.name = "z", .type = QOD_KPI_SERIES, .expected = values(z, 2),
                        .observed = values(z1, 1)};
    c = -1;
    assert_int_equal(qod_kpi_change(&k, QOD_NORM_GLOBAL, &c), QOD_OK);
    assert_true(c == 0.0);
}

static void test_series_per_feature(void **state)
{
    (void)state;
    double c = -1;
    /* p = (12, 1), o = (12, 3): per feature MIN/MAX -> d = (0, 1), C = 0.5
     * (global gave 1/11 above) */
    struct qod_image p = {12, 1}, o = {12, 3};
    assert_int_equal(qod_series_change(&p, &o, QOD_NORM_PER_FEATURE, &c), QOD_OK);
    assert_true(c == 0.5);
    /* a tiny difference in both features is a full change: d = (1, 1), C = 1 */
    struct qod_image o2 = {12.000001, 1.000001};
    assert_int_equal(qod_series_change(&p, &o2, QOD_NORM_PER_FEATURE, &c), QOD_OK);
    assert_true(c == 1.0);
    assert_int_equal(qod_series_change(&p, &o2, QOD_NORM_GLOBAL, &c), QOD_OK);
    assert_true(c < 1e-6);
}

static void test_series_extremes(void **state)
{
    (void)state;
    double c = -1;
    /* range MAX - MIN overflows: p = (-MAX, 0), o = (MAX, 0): d = (1, 0), C = 0.5 */
    struct qod_image p = {-DBL_MAX, 0}, o = {DBL_MAX, 0};
    assert_int_equal(qod_series_change(&p, &o, QOD_NORM_GLOBAL, &c), QOD_OK);
    assert_near(c, 0.5);
    struct qod_image bad = {NAN, 0};
    assert_int_equal(qod_series_change(&bad, &o, QOD_NORM_GLOBAL, &c), QOD_ERR_NONFINITE);
}

static void test_pre_image(void **state)
{
    (void)state;
    /* expected [10, 12] -> (11, 1); calculated [12, 14] -> (13, 1); g = (12, 1) */
    double e[] = {10, 12}, ca[] = {12, 14}, o[] = {20, 20, 20, 20};
    struct qod_kpi k = {.name = "lat", .type = QOD_KPI_SERIES, .expected = values(e, 2),
                        .calculated = values(ca, 2), .observed = values(o, 4)};
    struct qod_image p;
    assert_int_equal(qod_pre_image(&k, &p), QOD_OK);
    assert_near(p.mean, 12);
    assert_near(p.std, 1);
    double c = -1;
    assert_int_equal(qod_kpi_change(&k, QOD_NORM_GLOBAL, &c), QOD_OK);
    assert_near(c, 0.225);
    /* calculated absent: pre-image = expected image (11, 1); o = (20, 0): MIN 0, MAX 20;
     * d = (9/20, 1/20); C = 0.25 */
    k.calculated.kind = QOD_SRC_NONE;
    assert_int_equal(qod_kpi_change(&k, QOD_NORM_GLOBAL, &c), QOD_OK);
    assert_near(c, 0.25);
    /* expected absent: pre-image = calculated image (13, 1); d = (7/20, 1/20); C = 0.2 */
    k.calculated = values(ca, 2);
    k.expected.kind = QOD_SRC_NONE;
    assert_int_equal(qod_kpi_change(&k, QOD_NORM_GLOBAL, &c), QOD_OK);
    assert_near(c, 0.2);
    /* both absent */
    k.calculated.kind = QOD_SRC_NONE;
    assert_int_equal(qod_pre_image(&k, &p), QOD_ERR_NO_PREIMAGE);
    assert_int_equal(qod_kpi_change(&k, QOD_NORM_GLOBAL, &c), QOD_ERR_NO_PREIMAGE);
}

static void test_expected_as_image(void **state)
{
    (void)state;
    /* expected {"mean": 10, "std": 4}, calculated [13, 15] -> (14, 1); g = (12, 2.5);
     * observed [12, 12] -> (12, 0): MIN 0, MAX 12; d = (0, 2.5/12); C = 2.5/24 */
    double ca[] = {13, 15}, o[] = {12, 12};
    struct qod_kpi k = {.name = "tp", .type = QOD_KPI_SERIES, .expected = image(10, 4),
                        .calculated = values(ca, 2), .observed = values(o, 2)};
    double c = -1;
    assert_int_equal(qod_kpi_change(&k, QOD_NORM_GLOBAL, &c), QOD_OK);
    assert_near(c, 2.5 / 24);
    k.expected = image(10, -1);
    assert_int_equal(qod_kpi_change(&k, QOD_NORM_GLOBAL, &c), QOD_ERR_NEG_STD);
    k.expected = image(INFINITY, 1);
    assert_int_equal(qod_kpi_change(&k, QOD_NORM_GLOBAL, &c), QOD_ERR_NONFINITE);
    k.expected = image(10, 4);
    k.observed.kind = QOD_SRC_NONE;
    assert_int_equal(qod_kpi_change(&k, QOD_NORM_GLOBAL, &c), QOD_ERR_NO_OBSERVED);
    k.observed = values(o, 0);
    assert_int_equal(qod_kpi_change(&k, QOD_NORM_GLOBAL, &c), QOD_ERR_EMPTY);
}

static void test_sets(void **state)
{
    (void)state;
    char *ab[] = {"a", "b"}, *abc[] = {"a", "b", "c"}, *bcd[] = {"b", "c", "d"};
    char *xy[] = {"x", "y"}, *a[] = {"a"};
    /* two empty sets: 0 (not 0/0) */
    assert_true(qod_set_change(NULL, 0, NULL, 0) == 0.0);
    /* one empty: union 2, intersection 0 -> 1 */
    assert_true(qod_set_change(ab, 2, NULL, 0) == 1.0);
    /* identical */
    assert_true(qod_set_change(abc, 3, abc, 3) == 0.0);
    /* disjoint: 1 - 0/4 = 1 */
    assert_true(qod_set_change(ab, 2, xy, 2) == 1.0);
    /* half overlap: {a,b,c} vs {b,c,d}: n = {b,c} (2), u = {a,b,c,d} (4), 1 - 2/4 = 0.5 */
    assert_true(qod_set_change(abc, 3, bcd, 3) == 0.5);
    /* subset: {a,b} vs {a}: 1 - 1/2 = 0.5 */
    assert_true(qod_set_change(ab, 2, a, 1) == 0.5);
    /* duplicates collapse: {b,a,b,a} = {a,b} vs {a,a,a} = {a} -> 0.5 as above */
    char *dup1[] = {"b", "a", "b", "a"}, *dup2[] = {"a", "a", "a"};
    assert_true(qod_set_change(dup1, 4, dup2, 3) == 0.5);
    /* case and spelling matter: "AA:BB" != "aa:bb" -> disjoint */
    char *u[] = {"AA:BB"}, *l[] = {"aa:bb"};
    assert_true(qod_set_change(u, 1, l, 1) == 1.0);
    /* 1 - 1/3: {a,b} vs {b,c} */
    char *bc[] = {"b", "c"};
    assert_near(qod_set_change(ab, 2, bc, 2), 2.0 / 3.0);
}

static void test_set_kpi_sources(void **state)
{
    (void)state;
    char *e[] = {"a", "b"}, *ca[] = {"a"}, *o[] = {"a"};
    struct qod_kpi k = {.name = "macs", .type = QOD_KPI_SET,
                        .set_expected = {true, e, 2},
                        .set_observed = {true, o, 1}};
    double c = -1;
    /* expected only: P = {a, b}, O = {a}: 0.5 */
    assert_int_equal(qod_kpi_change(&k, QOD_NORM_GLOBAL, &c), QOD_OK);
    assert_true(c == 0.5);
    /* calculated given: P = {a} (expected ignored), O = {a}: 0 */
    k.set_calculated = (struct qod_strset){true, ca, 1};
    assert_int_equal(qod_kpi_change(&k, QOD_NORM_GLOBAL, &c), QOD_OK);
    assert_true(c == 0.0);
    /* calculated present but empty: P = {}, O = {a}: 1 */
    k.set_calculated = (struct qod_strset){true, NULL, 0};
    assert_int_equal(qod_kpi_change(&k, QOD_NORM_GLOBAL, &c), QOD_OK);
    assert_true(c == 1.0);
    k.set_calculated.present = false;
    k.set_expected.present = false;
    assert_int_equal(qod_kpi_change(&k, QOD_NORM_GLOBAL, &c), QOD_ERR_NO_PREIMAGE);
    k.set_expected.present = true;
    k.set_observed.present = false;
    assert_int_equal(qod_kpi_change(&k, QOD_NORM_GLOBAL, &c), QOD_ERR_NO_OBSERVED);
}

static void test_compute_several(void **state)
{
    (void)state;
    /* latency C = 0.225 (see test_pre_image); ips {a,b,c} vs {b,c,d} C = 0.5;
     * throughput identical C = 0.  QoD = 1 - (0.225 + 0.5 + 0) / 3 = 1 - 0.725/3 */
    double e[] = {10, 12}, ca[] = {12, 14}, o[] = {20, 20, 20, 20}, t[] = {5, 7};
    char *p[] = {"a", "b", "c"}, *ob[] = {"b", "c", "d"};
    struct qod_kpi k[3] = {
        {.name = "latency", .type = QOD_KPI_SERIES, .expected = values(e, 2),
         .calculated = values(ca, 2), .observed = values(o, 4)},
        {.name = "ips", .type = QOD_KPI_SET, .set_calculated = {true, p, 3},
         .set_observed = {true, ob, 3}},
        {.name = "throughput", .type = QOD_KPI_SERIES, .expected = values(t, 2),
         .observed = values(t, 2)},
    };
    struct qod_result r;
    assert_int_equal(qod_compute(k, 3, QOD_NORM_GLOBAL, &r), QOD_OK);
    assert_int_equal(r.n, 3);
    assert_near(r.changes[0], 0.225);
    assert_near(r.changes[1], 0.5);
    assert_true(r.changes[2] == 0.0);
    assert_near(r.qod, 1 - 0.725 / 3);
    qod_result_free(&r);
    /* per-feature: latency p = (12, 1), o = (20, 0) -> d = (1, 1), C = 1;
     * QoD = 1 - (1 + 0.5 + 0) / 3 = 0.5 */
    assert_int_equal(qod_compute(k, 3, QOD_NORM_PER_FEATURE, &r), QOD_OK);
    assert_true(r.changes[0] == 1.0);
    assert_near(r.qod, 0.5);
    qod_result_free(&r);
    /* a failing KPI is named by index */
    k[2].observed.kind = QOD_SRC_NONE;
    assert_int_equal(qod_compute(k, 3, QOD_NORM_GLOBAL, &r), QOD_ERR_NO_OBSERVED);
    assert_int_equal(r.failed, 2);
    qod_result_free(&r);
    /* no KPIs */
    assert_int_equal(qod_compute(k, 0, QOD_NORM_GLOBAL, &r), QOD_ERR_NO_KPIS);
    qod_result_free(&r);
    assert_string_equal(qod_strerror(QOD_ERR_NO_KPIS),
                        "no KPIs (the QoD of zero KPIs is undefined)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_image_classic),
        cmocka_unit_test(test_image_constant_and_single),
        cmocka_unit_test(test_image_errors_and_extremes),
        cmocka_unit_test(test_series_global),
        cmocka_unit_test(test_series_identical_and_zero_range),
        cmocka_unit_test(test_series_per_feature),
        cmocka_unit_test(test_series_extremes),
        cmocka_unit_test(test_pre_image),
        cmocka_unit_test(test_expected_as_image),
        cmocka_unit_test(test_sets),
        cmocka_unit_test(test_set_kpi_sources),
        cmocka_unit_test(test_compute_several),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
