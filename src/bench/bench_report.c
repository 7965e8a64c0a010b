/* bench_report.c - per-run JSON, the summary table, the benchmark topology (pure). */
#include "bench/bench_report.h"
#include "bench/bench_stats.h"
#include "common/util.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct hs_bench_paper paper[] = {
    {"nginx", {39.57, 2.16}, {55.82, 13.19}, {13.47, 0.22}, {108.87, 13.39}},
    {"node", {52.40, 13.62}, {263.72, 20.92}, {13.63, 0.93}, {329.76, 23.01}},
    {"flask", {66.70, 27.53}, {442.40, 32.78}, {14.40, 3.31}, {523.50, 38.65}},
};

const struct hs_bench_paper *hs_bench_paper_row(const char *service)
{
    for (size_t i = 0; i < HS_ARRAY_SIZE(paper); i++)
        if (!strcmp(paper[i].service, service))
            return &paper[i];
    return NULL;
}

double hs_bench_pause_target_ms(const char *service)
{
    return !strcmp(service, "nginx") ? 80.0 : 200.0;
}

void hs_bench_bprintf(struct hs_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        abort();
    char *p = (char *)hs_buf_reserve(b, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

static json_t *num_or_null(bool has, double v)
{
    return has && isfinite(v) ? json_real(round(v * 100) / 100) : json_null();
}

char *hs_bench_run_json(const char *service, const char *trigger, const struct hs_bench_run *r)
{
    json_t *o = json_object();
    if (!o)
        abort();
    json_object_set_new(o, "service", json_string(service));
    json_object_set_new(o, "trigger", json_string(trigger));
    json_object_set_new(o, "run", json_integer(r->run));
    json_object_set_new(o, "ok", json_boolean(r->ok));
    json_object_set_new(o, "pause_ms", num_or_null(r->has_pause, r->pause_ms));
    /* the fields first, then the other stages */
    static const enum hs_bench_timing first[] = {HS_BT_DUMP, HS_BT_TRANSFER, HS_BT_RESTORE,
                                                 HS_BT_TOTAL};
    static const enum hs_bench_timing rest[] = {HS_BT_DETECT, HS_BT_HOLD, HS_BT_LOCATE,
                                                HS_BT_FLOWS, HS_BT_REINJECT, HS_BT_FIRST_BYTE,
                                                HS_BT_PAUSE};
    char k[32];
    for (size_t i = 0; i < HS_ARRAY_SIZE(first); i++) {
        snprintf(k, sizeof k, "%s_ms", hs_bench_timing_name(first[i]));
        json_object_set_new(o, k, num_or_null(r->has_timing[first[i]], r->timing[first[i]]));
    }
    for (size_t i = 0; i < HS_ARRAY_SIZE(rest); i++) {
        /* the relocation's own pause (flows closed -> open) is not the attacker's */
        snprintf(k, sizeof k, "%s_ms",
                 rest[i] == HS_BT_PAUSE ? "reloc_pause" : hs_bench_timing_name(rest[i]));
        json_object_set_new(o, k, num_or_null(r->has_timing[rest[i]], r->timing[rest[i]]));
    }
    json_object_set_new(o, "relocated", json_boolean(r->relocated));
    json_object_set_new(o, "same_conn", json_boolean(r->same_conn));
    json_object_set_new(o, "decoy", json_boolean(r->decoy));
    json_object_set_new(o, "after_decoy", json_boolean(r->after_decoy));
    if (r->id[0])
        json_object_set_new(o, "id", json_string(r->id));
    if (r->stage[0])
        json_object_set_new(o, "stage", json_string(r->stage));
    if (r->error[0])
        json_object_set_new(o, "error", json_string(r->error));
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(9));
    json_decref(o);
    if (!s)
        abort();
    return s;
}

static void cell(struct hs_buf *b, double v, int width)
{
    if (isfinite(v))
        hs_bench_bprintf(b, " %*.1f", width, v);
    else
        hs_bench_bprintf(b, " %*s", width, "-");
}

/* One stage row: values of the ok runs that carry the timing. */
static void stage_row(struct hs_buf *b, const char *name, const double *v, size_t n,
                      const double *pp)
{
    hs_bench_bprintf(b, "  %-24s", name);
    double m = hs_bench_mean(v, n);
    cell(b, m, 9);
    cell(b, hs_bench_pstdev(v, n), 8);
    cell(b, hs_bench_percentile(v, n, 50), 8);
    cell(b, hs_bench_percentile(v, n, 99), 8);
    hs_bench_bprintf(b, " %5zu", n);
    if (pp) {
        hs_bench_bprintf(b, "   %8.2f (%6.2f)", pp[0], pp[1]);
        if (isfinite(m))
            hs_bench_bprintf(b, "  x%.2f", m / pp[0]);
    }
    hs_bench_bprintf(b, "\n");
}

void hs_bench_summary(const struct hs_bench_summary_in *in, struct hs_buf *out)
{
    size_t n_ok = 0;
    for (size_t i = 0; i < in->n_runs; i++)
        n_ok += in->runs[i].ok;
    hs_bench_bprintf(out, "\nhoneyshift bench relocation: service %s, trigger %s, %zu of %u runs done\n",
                     in->service, in->trigger, in->n_runs, in->runs_planned);
    if (in->note && in->note[0])
        hs_bench_bprintf(out, "  %s\n", in->note);
    hs_bench_bprintf(out, "relocations ok (same TCP connection, decoy answered): %zu of %zu\n",
                     n_ok, in->n_runs);
    for (size_t i = 0; i < in->n_runs; i++)
        if (!in->runs[i].ok)
            hs_bench_bprintf(out, "  run %u failed%s%s: %s\n", in->runs[i].run,
                             in->runs[i].stage[0] ? " at stage " : "", in->runs[i].stage,
                             in->runs[i].error[0] ? in->runs[i].error : "?");

    const struct hs_bench_paper *pr = hs_bench_paper_row(in->service);
    double *v = xreallocarray(NULL, in->n_runs ? in->n_runs : 1, sizeof *v);
    hs_bench_bprintf(out, "\nstage timings over the ok runs (ms)\n");
    hs_bench_bprintf(out, "  %-24s %9s %8s %8s %8s %5s   %s\n", "stage", "mean", "sd", "p50",
                     "p99", "n", pr ? "paper Table I mean (sd)  ratio" : "");
    for (int k = 0; k < HS_BT_COUNT; k++) {
        size_t n = 0;
        for (size_t i = 0; i < in->n_runs; i++)
            if (in->runs[i].ok && in->runs[i].has_timing[k])
                v[n++] = in->runs[i].timing[k];
        if (n == 0)
            continue;
        const double *pp = NULL;
        if (pr && k == HS_BT_DUMP)
            pp = pr->dump;
        else if (pr && k == HS_BT_TRANSFER)
            pp = pr->transfer;
        else if (pr && k == HS_BT_RESTORE)
            pp = pr->restore;
        const char *name = k == HS_BT_PAUSE ? "relocation pause" : hs_bench_timing_name(k);
        stage_row(out, k == HS_BT_TOTAL ? "total (whole relocation)" : name, v, n, pp);
    }
    /* the paper's "total" is dump + transfer + restore */
    size_t n = 0;
    for (size_t i = 0; i < in->n_runs; i++) {
        const struct hs_bench_run *r = &in->runs[i];
        if (r->ok && r->has_timing[HS_BT_DUMP] && r->has_timing[HS_BT_TRANSFER] &&
            r->has_timing[HS_BT_RESTORE])
            v[n++] = r->timing[HS_BT_DUMP] + r->timing[HS_BT_TRANSFER] + r->timing[HS_BT_RESTORE];
    }
    if (n)
        stage_row(out, "dump+transfer+restore", v, n, pr ? pr->total : NULL);

    n = 0;
    for (size_t i = 0; i < in->n_runs; i++)
        if (in->runs[i].ok && in->runs[i].has_pause)
            v[n++] = in->runs[i].pause_ms;
    double target = hs_bench_pause_target_ms(in->service);
    double p50 = hs_bench_percentile(v, n, 50), p99 = hs_bench_percentile(v, n, 99);
    hs_bench_bprintf(out, "\nattacker-visible pause (request sent -> first response byte), %zu ok runs:\n",
                     n);
    hs_bench_bprintf(out, "  p50");
    cell(out, p50, 7);
    hs_bench_bprintf(out, " ms   p99");
    cell(out, p99, 7);
    hs_bench_bprintf(out, " ms   target p50 <= %.0f ms: %s\n", target,
                     !isfinite(p50) ? "no data" : p50 <= target ? "met" : "missed");
    free(v);

    double d99 = hs_bench_percentile(in->benign_during, in->n_during, 99);
    double q99 = hs_bench_percentile(in->benign_quiet, in->n_quiet, 99);
    hs_bench_bprintf(out, "\nbenign client: %zu requests, %zu errors\n", in->benign_total,
                     in->benign_errors);
    hs_bench_bprintf(out, "  p99 latency during relocations");
    cell(out, d99, 7);
    hs_bench_bprintf(out, " ms (%zu requests, %zu errors)\n", in->n_during, in->err_during);
    hs_bench_bprintf(out, "  p99 latency undisturbed       ");
    cell(out, q99, 7);
    hs_bench_bprintf(out, " ms (%zu requests, %zu errors; windows of the same length)\n",
                     in->n_quiet, in->err_quiet);
    if (isfinite(d99) && isfinite(q99))
        hs_bench_bprintf(out, "  difference %+.1f ms (ratio %.2f); target within 10 ms: %s\n",
                         d99 - q99, q99 > 0 ? d99 / q99 : NAN, d99 - q99 <= 10 ? "met" : "missed");
    else
        hs_bench_bprintf(out, "  difference: no data\n");
}

static bool name_ok(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n == 0 || n > max)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || (s[i] == '-' && i)))
            return false;
    return true;
}

static bool content_ok(const char *s)
{
    for (; *s; s++)
        if (*s == '"' || *s == '\\' || (unsigned char)*s < 0x20)
            return false;
    return true;
}

char *hs_bench_topology_yaml(const struct hs_bench_topo_opts *o)
{
    if (strcmp(o->kind, "nginx") && strcmp(o->kind, "flask") && strcmp(o->kind, "node"))
        return NULL;
    /* LAB-honeypot and LAB-attacker must fit the lab's 13-character host link names */
    if (!name_ok(o->lab, 4) || !o->controller_port || !content_ok(o->prod_content) ||
        !content_ok(o->decoy_content))
        return NULL;
    struct hs_buf b = HS_BUF_INIT;
    hs_bench_bprintf(&b,
        "# honeyshift bench relocation: %s lab (generated by honeyshift bench)\n"
        "lab: %s\n"
        "controller:\n"
        "  listen: 127.0.0.1:%u\n"
        "  echo_interval: 5\n",
        o->kind, o->lab, (unsigned)o->controller_port);
    if (o->ips) {
        hs_bench_bprintf(&b, "ips:\n  port: 10\n  enabled: true\n");
        if (o->relocate)
            hs_bench_bprintf(&b, "  on_attack: relocate\n");
    }
    hs_bench_bprintf(&b,
        "switches:\n"
        "  - name: %s-br0\n"
        "    dpid: 0x%016x\n"
        "hosts:\n"
        "  - name: client\n    role: client\n    switch: %s-br0\n    port: 1\n"
        "    mac: \"02:00:c6:12:00:0a\"\n    ip: 198.18.0.10/24\n"
        "  - name: attacker\n    role: client\n    switch: %s-br0\n    port: 2\n"
        "    mac: \"02:00:c6:12:00:0b\"\n    ip: 198.18.0.11/24\n",
        o->lab, (unsigned)o->controller_port, o->lab, o->lab);
    static const char *const hosts[] = {"web", "honeypot"};
    for (int i = 0; i < 2; i++) {
        hs_bench_bprintf(&b,
            "  - name: %s\n"
            "    role: %s\n"
            "%s"
            "    switch: %s-br0\n"
            "    port: %d\n"
            "    mac: \"02:00:c6:12:00:50\"\n"
            "    ip: 198.18.0.80/24\n"
            "    services:\n"
            "      - name: www\n"
            "        kind: %s\n"
            "        workers: 2\n"
            "        content: \"%s\"\n",
            hosts[i], i ? "honeypot" : "production", i ? "    twin: web\n" : "", o->lab, 3 + i,
            o->kind, i ? o->decoy_content : o->prod_content);
    }
    hs_bench_bprintf(&b, "%s", "");
    return (char *)b.data;
}
