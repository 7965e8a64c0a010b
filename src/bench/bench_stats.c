/* bench_stats.c - mean, standard deviation, percentiles, sample windows (pure). */
#include "bench/bench_stats.h"
#include "common/util.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

double hs_bench_mean(const double *v, size_t n)
{
    if (n == 0)
        return NAN;
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += v[i];
    return s / (double)n;
}

double hs_bench_pstdev(const double *v, size_t n)
{
    if (n == 0)
        return NAN;
    double m = hs_bench_mean(v, n), s = 0;
    for (size_t i = 0; i < n; i++)
        s += (v[i] - m) * (v[i] - m);
    return sqrt(s / (double)n);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double hs_bench_percentile(const double *v, size_t n, double p)
{
    if (n == 0 || !(p > 0 && p <= 100))
        return NAN;
    double *c = xreallocarray(NULL, n, sizeof *c);
    memcpy(c, v, n * sizeof *c);
    qsort(c, n, sizeof *c, cmp_double);
    /* rank = ceil(p/100 * n), 1-based; computed in integers of 1e-6 % to avoid 99.0*100/100
     * landing on the wrong side of an integer */
    unsigned long long pm = (unsigned long long)llround(p * 1e6);
    unsigned long long num = pm * (unsigned long long)n;
    unsigned long long rank = (num + 100000000ULL - 1) / 100000000ULL;
    if (rank < 1)
        rank = 1;
    if (rank > n)
        rank = n;
    double r = c[rank - 1];
    free(c);
    return r;
}

int hs_bench_sample_parse(const char *line, size_t len, struct hs_bench_sample *out)
{
    char tmp[128];
    if (len == 0 || len >= sizeof tmp)
        return -1;
    memcpy(tmp, line, len);
    tmp[len] = '\0';
    if (strlen(tmp) != len)
        return -1;
    char *p = tmp, *end;
    double f[2];
    for (int i = 0; i < 2; i++) {
        if (*p < '0' || *p > '9')
            return -1;
        errno = 0;
        f[i] = strtod(p, &end);
        if (end == p || errno || !isfinite(f[i]) || f[i] < 0 || *end != ' ')
            return -1;
        p = end + 1;
    }
    if ((p[0] != '0' && p[0] != '1') || p[1] != '\0')
        return -1;
    out->t = f[0];
    out->lat_ms = f[1];
    out->ok = p[0] == '1';
    return 0;
}

void hs_bench_window(const struct hs_bench_sample *s, size_t n, double from, double to,
                     double *out, size_t *n_out, size_t *n_err)
{
    for (size_t i = 0; i < n; i++) {
        if (!(s[i].t >= from && s[i].t < to))
            continue;
        if (s[i].ok)
            out[(*n_out)++] = s[i].lat_ms;
        else
            (*n_err)++;
    }
}
