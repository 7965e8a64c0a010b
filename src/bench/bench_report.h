/* bench_report.h - the relocation benchmark's records, per-run JSON, summary table beside the
 * paper's Table I (Hounterfeit), and the lab topology it runs in (pure). */
#ifndef HS_BENCH_REPORT_H
#define HS_BENCH_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bench/bench_eve.h"
#include "common/buf.h"

/* One relocation of the benchmark. */
struct hs_bench_run {
    unsigned run;               /* 1-based */
    bool ok;                    /* relocated, answer on the same connection, decoy content */
    bool relocated;             /* the controller / shift reported success */
    bool same_conn, decoy, after_decoy;
    bool has_pause;
    double pause_ms;            /* attacker-visible: request sent -> first response byte */
    double timing[HS_BT_COUNT]; /* stage timings (event or shift result), ms */
    bool has_timing[HS_BT_COUNT];
    char id[48];
    char stage[16];             /* failing stage, when the relocation failed */
    char error[256];            /* why the run is not ok (empty when ok) */
};

/* Paper's Table I (Hounterfeit), mean and standard deviation in ms. */
struct hs_bench_paper {
    const char *service;        /* nginx, node, flask */
    double dump[2], transfer[2], restore[2], total[2];
};

/* The row for service, NULL when the paper has none. */
const struct hs_bench_paper *hs_bench_paper_row(const char *service);
/* The target for the attacker-visible pause p50: 80 ms nginx, 200 ms flask/node. */
double hs_bench_pause_target_ms(const char *service);

/* One JSON object (no newline) for a run: service, trigger, run, ok, pause_ms, dump_ms,
 * transfer_ms, restore_ms, total_ms, the other stages (null when unknown), same_conn, decoy,
 * and stage/error when not ok. malloc'd. */
char *hs_bench_run_json(const char *service, const char *trigger, const struct hs_bench_run *r);

/* Everything the summary reports. */
struct hs_bench_summary_in {
    const char *service, *trigger;
    unsigned runs_planned;
    const struct hs_bench_run *runs;
    size_t n_runs;              /* runs done */
    const double *benign_during, *benign_quiet;   /* latencies (ms) of successful requests */
    size_t n_during, n_quiet;
    size_t err_during, err_quiet;
    size_t benign_total, benign_errors;           /* the whole benchmark */
    const char *note;           /* one line printed under the title (may be NULL) */
};

/* Append the summary text to out: ok count, per-stage mean/sd (ok runs) beside Table I with the
 * ratio, pause p50/p99 against the target, benign p99 during relocations vs undisturbed. */
void hs_bench_summary(const struct hs_bench_summary_in *in, struct hs_buf *out);

/* The benchmark lab for one service kind. */
struct hs_bench_topo_opts {
    const char *lab;            /* lab name, at most 4 characters (LAB-attacker, LAB-honeypot
                                 * must fit 13), e.g. hsbr (bridge LAB-br0) */
    uint16_t controller_port;
    const char *kind;           /* nginx | flask | node */
    bool ips;                   /* an enabled ips section */
    bool relocate;              /* ips.on_attack: relocate */
    const char *prod_content, *decoy_content;
};
/* YAML text of the topology (client, attacker, web + honeypot twin of the kind), malloc'd;
 * NULL when an option is unusable (unknown kind, bad names). */
char *hs_bench_topology_yaml(const struct hs_bench_topo_opts *o);

/* printf into a growing buffer (NUL kept after len, not counted). */
void hs_bench_bprintf(struct hs_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
