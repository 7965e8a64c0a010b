/* bench_stats.h - descriptive statistics for benchmarks (pure): mean, population standard
 * deviation, nearest-rank percentiles, and latency samples cut into time windows. */
#ifndef HS_BENCH_STATS_H
#define HS_BENCH_STATS_H

#include <stdbool.h>
#include <stddef.h>

/* Arithmetic mean of v[0..n); NAN when n == 0. */
double hs_bench_mean(const double *v, size_t n);
/* Population standard deviation (divide by n, as the paper's Table I); NAN when n == 0. */
double hs_bench_pstdev(const double *v, size_t n);
/* Nearest-rank percentile p (0 < p <= 100) of v[0..n) (v is not changed): the smallest value
 * with at least p% of the values at or below it; NAN when n == 0 or p is out of range. */
double hs_bench_percentile(const double *v, size_t n, double p);

/* One request of the benign client: start time (Unix seconds), latency, success. */
struct hs_bench_sample {
    double t;
    double lat_ms;
    bool ok;
};

/* Parse one line "START_S LATENCY_MS OK(0|1)" of the benign client's log. 0, or -1 when the
 * line is not exactly that (numbers finite and non-negative). */
int hs_bench_sample_parse(const char *line, size_t len, struct hs_bench_sample *out);

/* Latencies of the successful samples that started in [from, to) are appended to out (which
 * must hold n more values); *n_out grows by their count, *n_err by the failed ones there. */
void hs_bench_window(const struct hs_bench_sample *s, size_t n, double from, double to,
                     double *out, size_t *n_out, size_t *n_err);

#endif
