/* qod.h - the Quality of Deception metric of the Sandnet paper (section III.D, eqs. 1-8).
 *
 * Pure computation, no I/O. A KPI is either
 *   - a series KPI: measurements whose image is I = (mean, population standard deviation)
 *     (eq. 2). The adversary's pre-image is I_p = g(I_e, I_c), the element-wise mean of the
 *     expected and calculated images (eq. 3); when only one of them is known it is the
 *     pre-image. The change C is the mean over the m = 2 features of |norm(o_i) - norm(p_i)|
 *     (eqs. 4-7), or
 *   - a set KPI (reachable MAC or IP addresses): C = 1 - |P n O| / |P u O| (Jaccard distance),
 *     P the calculated set (the expected set when none was calculated), O the observed set;
 *     duplicates collapse, two empty sets give 0.
 * QoD = 1 - mean of the KPI changes (eq. 8).
 *
 * Normalisation (eqs. 4-5). QOD_NORM_GLOBAL (the default): MIN and MAX are the smallest and
 * largest value over all features of both I_p and I_o, so d_i = |o_i - p_i| / (MAX - MIN).
 * QOD_NORM_PER_FEATURE: MIN_i = min(p_i, o_i), MAX_i = max(p_i, o_i), the literal reading of
 * eq. 4. It is not the default because every feature then normalises to exactly 0 and 1
 * (or to 0 and 0 when equal), so d_i is 1 for any difference however tiny and 0 otherwise:
 * the metric degenerates into "equal or not" and cannot rank small against large changes.
 * In both modes a zero range (MAX == MIN) gives d_i = 0.
 */
#ifndef HS_QOD_QOD_H
#define HS_QOD_QOD_H

#include <stdbool.h>
#include <stddef.h>

/* Result codes of the computations. */
enum qod_err {
    QOD_OK = 0,
    QOD_ERR_EMPTY,       /* a series with no values has no image */
    QOD_ERR_NONFINITE,   /* a value or image feature is NaN or infinite */
    QOD_ERR_NEG_STD,     /* an image's standard deviation is negative */
    QOD_ERR_RANGE,       /* a result does not fit in a double */
    QOD_ERR_NO_PREIMAGE, /* neither expected nor calculated data given */
    QOD_ERR_NO_OBSERVED, /* no observed data given */
    QOD_ERR_NO_KPIS,     /* QoD of zero KPIs is undefined */
};

/* How eqs. 4-5 pick MIN and MAX (see the comment at the top). */
enum qod_norm {
    QOD_NORM_GLOBAL,      /* over all features of I_p and I_o (default) */
    QOD_NORM_PER_FEATURE, /* per feature: d_i is 0 when p_i == o_i, else 1 */
};

/* The image of a series: I = (mu, sigma). */
struct qod_image {
    double mean;
    double std; /* population standard deviation, >= 0 */
};

/* Where a series KPI's expected, calculated or observed image comes from. */
enum qod_src_kind {
    QOD_SRC_NONE,   /* not given */
    QOD_SRC_VALUES, /* raw measurements, image computed by qod_image() */
    QOD_SRC_IMAGE,  /* the image itself (e.g. expected {"mean", "std"} from past studies) */
};

struct qod_source {
    enum qod_src_kind kind;
    double *values;         /* QOD_SRC_VALUES: n measurements (not modified) */
    size_t n;
    struct qod_image image; /* QOD_SRC_IMAGE */
};

/* A set of strings (duplicates allowed; they collapse). */
struct qod_strset {
    bool present;  /* false: not given */
    char **items;  /* n NUL-terminated strings (not modified) */
    size_t n;
};

enum qod_kpi_type { QOD_KPI_SERIES, QOD_KPI_SET };

struct qod_kpi {
    const char *name;
    enum qod_kpi_type type;
    /* QOD_KPI_SERIES */
    struct qod_source expected, calculated, observed;
    /* QOD_KPI_SET */
    struct qod_strset set_expected, set_calculated, set_observed;
};

/* Outcome of qod_compute(). */
struct qod_result {
    double qod;      /* eq. 8, in [0, 1] */
    double *changes; /* per-KPI change C_i in [0, 1], n entries (owned) */
    size_t n;
    size_t failed;   /* on error: index of the KPI that failed (n when not KPI-specific) */
};

/* Image (mean, population std) of n values; QOD_ERR_EMPTY for n == 0, QOD_ERR_NONFINITE for
 * a NaN/inf value. Never overflows for finite input (computed on power-of-two scaled values). */
enum qod_err qod_image(const double *values, size_t n, struct qod_image *out);
/* Image of one source: computed from values or taken as given (validated). */
enum qod_err qod_source_image(const struct qod_source *src, struct qod_image *out);
/* The pre-image g(I_e, I_c) of a series KPI (eq. 3), or the one of them that is given. */
enum qod_err qod_pre_image(const struct qod_kpi *kpi, struct qod_image *out);
/* Change C of a series KPI between pre-image and observed image (eqs. 4-7), in [0, 1]. */
enum qod_err qod_series_change(const struct qod_image *pre, const struct qod_image *obs,
                               enum qod_norm mode, double *change);
/* Change of a set KPI: 1 - |P n O| / |P u O|; 0 when both are empty. Strings compare bytewise. */
double qod_set_change(char *const *p, size_t np, char *const *o, size_t no);
/* Change C_i of one KPI of either type. */
enum qod_err qod_kpi_change(const struct qod_kpi *kpi, enum qod_norm mode, double *change);
/* QoD of n KPIs (eq. 8) with every C_i. res->changes is allocated even on error; release
 * with qod_result_free(). */
enum qod_err qod_compute(const struct qod_kpi *kpis, size_t n, enum qod_norm mode,
                         struct qod_result *res);
/* Release a result's storage. */
void qod_result_free(struct qod_result *res);
/* A short English description of a result code. */
const char *qod_strerror(enum qod_err err);

#endif
