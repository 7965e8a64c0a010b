/* qod.c - Quality of Deception: images, pre-images, per-KPI changes and the QoD (pure). */
#include "qod/qod.h"

#include "common/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum qod_err qod_image(const double *values, size_t n, struct qod_image *out)
{
    if (n == 0)
        return QOD_ERR_EMPTY;
    double lo = values[0], hi = values[0], amax = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(values[i]))
            return QOD_ERR_NONFINITE;
        lo = fmin(lo, values[i]);
        hi = fmax(hi, values[i]);
        amax = fmax(amax, fabs(values[i]));
    }
    if (lo == hi) { /* constant (or single-element) series: exact, no rounding noise */
        out->mean = lo;
        out->std = 0.0;
        return QOD_OK;
    }
    /* Scale by a power of two (exact) so that every |value| < 1: the sums below are then
     * bounded by n and cannot overflow, whatever the magnitude of the input. */
    int e;
    frexp(amax, &e);
    double sum = 0.0;
    for (size_t i = 0; i < n; i++)
        sum += ldexp(values[i], -e);
    double mean = sum / (double)n;
    /* Two-pass variance with the usual correction term for the rounding of the mean. */
    double ss = 0.0, comp = 0.0;
    for (size_t i = 0; i < n; i++) {
        double d = ldexp(values[i], -e) - mean;
        ss += d * d;
        comp += d;
    }
    double var = (ss - comp * comp / (double)n) / (double)n;
    mean += comp / (double)n;
    out->mean = fmin(fmax(ldexp(mean, e), lo), hi);
    out->std = ldexp(sqrt(var > 0.0 ? var : 0.0), e);
    if (!isfinite(out->mean) || !isfinite(out->std))
        return QOD_ERR_RANGE;
    return QOD_OK;
}

enum qod_err qod_source_image(const struct qod_source *src, struct qod_image *out)
{
    switch (src->kind) {
    case QOD_SRC_VALUES:
        return qod_image(src->values, src->n, out);
    case QOD_SRC_IMAGE:
        if (!isfinite(src->image.mean) || !isfinite(src->image.std))
            return QOD_ERR_NONFINITE;
        if (src->image.std < 0.0)
            return QOD_ERR_NEG_STD;
        *out = src->image;
        return QOD_OK;
    case QOD_SRC_NONE:
        break;
    }
    return QOD_ERR_EMPTY;
}

/* (a + b) / 2 without overflow for finite a, b. */
static double midpoint(double a, double b)
{
    double s = a + b;
    return isfinite(s) ? s / 2.0 : a / 2.0 + b / 2.0;
}

enum qod_err qod_pre_image(const struct qod_kpi *kpi, struct qod_image *out)
{
    bool has_e = kpi->expected.kind != QOD_SRC_NONE;
    bool has_c = kpi->calculated.kind != QOD_SRC_NONE;
    if (!has_e && !has_c)
        return QOD_ERR_NO_PREIMAGE;
    struct qod_image ie, ic;
    enum qod_err err;
    if (has_e && (err = qod_source_image(&kpi->expected, &ie)) != QOD_OK)
        return err;
    if (has_c && (err = qod_source_image(&kpi->calculated, &ic)) != QOD_OK)
        return err;
    if (!has_c) {
        *out = ie;
    } else if (!has_e) {
        *out = ic;
    } else {
        /* g(I_e, I_c) = median of two values = their mean, per feature (eq. 3). */
        out->mean = midpoint(ie.mean, ic.mean);
        out->std = midpoint(ie.std, ic.std);
    }
    return QOD_OK;
}

/* |x - y| / (hi - lo) for lo <= x, y <= hi and hi > lo, clamped to [0, 1]; halves avoid
 * overflow when the range exceeds DBL_MAX. */
static double norm_diff(double x, double y, double lo, double hi)
{
    double range = hi - lo, d;
    if (isfinite(range))
        d = fabs(x - y) / range;
    else
        d = fabs(x / 2.0 - y / 2.0) / (hi / 2.0 - lo / 2.0);
    return d > 1.0 ? 1.0 : d;
}

enum qod_err qod_series_change(const struct qod_image *pre, const struct qod_image *obs,
                               enum qod_norm mode, double *change)
{
    const double p[2] = {pre->mean, pre->std};
    const double o[2] = {obs->mean, obs->std};
    for (size_t i = 0; i < 2; i++)
        if (!isfinite(p[i]) || !isfinite(o[i]))
            return QOD_ERR_NONFINITE;
    double d[2];
    if (mode == QOD_NORM_PER_FEATURE) {
        /* MIN_i = min(p_i, o_i), MAX_i = max(p_i, o_i): the normalised values are 0 and 1
         * whenever they differ, so d_i is 1; equal values give a zero range, d_i = 0. */
        for (size_t i = 0; i < 2; i++)
            d[i] = p[i] == o[i] ? 0.0 : 1.0;
    } else {
        double lo = fmin(fmin(p[0], p[1]), fmin(o[0], o[1]));
        double hi = fmax(fmax(p[0], p[1]), fmax(o[0], o[1]));
        for (size_t i = 0; i < 2; i++)
            d[i] = hi == lo ? 0.0 : norm_diff(o[i], p[i], lo, hi);
    }
    *change = (d[0] + d[1]) / 2.0;
    return QOD_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted copy of n strings without duplicates; *out_n gets the distinct count. */
static char **sorted_unique(char *const *items, size_t n, size_t *out_n)
{
    char **s = xreallocarray(NULL, n ? n : 1, sizeof *s);
    if (n)
        memcpy(s, items, n * sizeof *s);
    if (n > 1)
        qsort(s, n, sizeof *s, cmp_str);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || strcmp(s[k - 1], s[i]) != 0)
            s[k++] = s[i];
    *out_n = k;
    return s;
}

double qod_set_change(char *const *p, size_t np, char *const *o, size_t no)
{
    size_t up, uo;
    char **sp = sorted_unique(p, np, &up);
    char **so = sorted_unique(o, no, &uo);
    size_t inter = 0, i = 0, j = 0;
    while (i < up && j < uo) {
        int c = strcmp(sp[i], so[j]);
        if (c == 0) {
            inter++;
            i++;
            j++;
        } else if (c < 0) {
            i++;
        } else {
            j++;
        }
    }
    free(sp);
    free(so);
    size_t uni = up + uo - inter;
    if (uni == 0)
        return 0.0; /* two empty sets: nothing changed */
    return 1.0 - (double)inter / (double)uni;
}

enum qod_err qod_kpi_change(const struct qod_kpi *kpi, enum qod_norm mode, double *change)
{
    if (kpi->type == QOD_KPI_SET) {
        const struct qod_strset *p = kpi->set_calculated.present ? &kpi->set_calculated
                                   : kpi->set_expected.present   ? &kpi->set_expected
                                                                 : NULL;
        if (!p)
            return QOD_ERR_NO_PREIMAGE;
        if (!kpi->set_observed.present)
            return QOD_ERR_NO_OBSERVED;
        *change = qod_set_change(p->items, p->n, kpi->set_observed.items, kpi->set_observed.n);
        return QOD_OK;
    }
    struct qod_image pre, obs;
    enum qod_err err = qod_pre_image(kpi, &pre);
    if (err != QOD_OK)
        return err;
    if (kpi->observed.kind == QOD_SRC_NONE)
        return QOD_ERR_NO_OBSERVED;
    if ((err = qod_source_image(&kpi->observed, &obs)) != QOD_OK)
        return err;
    return qod_series_change(&pre, &obs, mode, change);
}

enum qod_err qod_compute(const struct qod_kpi *kpis, size_t n, enum qod_norm mode,
                         struct qod_result *res)
{
    res->qod = 0.0;
    res->n = n;
    res->failed = n;
    res->changes = xcalloc(n ? n : 1, sizeof *res->changes);
    if (n == 0)
        return QOD_ERR_NO_KPIS;
    double sum = 0.0;
    for (size_t i = 0; i < n; i++) {
        enum qod_err err = qod_kpi_change(&kpis[i], mode, &res->changes[i]);
        if (err != QOD_OK) {
            res->failed = i;
            return err;
        }
        sum += res->changes[i];
    }
    double q = 1.0 - sum / (double)n;
    res->qod = q < 0.0 ? 0.0 : q > 1.0 ? 1.0 : q;
    return QOD_OK;
}

void qod_result_free(struct qod_result *res)
{
    free(res->changes);
    res->changes = NULL;
    res->n = 0;
}

const char *qod_strerror(enum qod_err err)
{
    switch (err) {
    case QOD_OK: return "success";
    case QOD_ERR_EMPTY: return "no values (an empty or absent series has no image)";
    case QOD_ERR_NONFINITE: return "value is NaN or infinite";
    case QOD_ERR_NEG_STD: return "standard deviation is negative";
    case QOD_ERR_RANGE: return "result does not fit in a double";
    case QOD_ERR_NO_PREIMAGE: return "neither 'expected' nor 'calculated' given";
    case QOD_ERR_NO_OBSERVED: return "no 'observed' data given";
    case QOD_ERR_NO_KPIS: return "no KPIs (the QoD of zero KPIs is undefined)";
    }
    return "unknown error";
}
