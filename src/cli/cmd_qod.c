/* cmd_qod.c - "honeyshift qod FILE.json": the Quality of Deception of KPI data (I/O side;
 * the math is in qod/qod.c, the documents in qod/qod_json.c). */
#include "cli/commands.h"

#include "common/buf.h"
#include "qod/qod.h"
#include "qod/qod_json.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QOD_MAX_INPUT (64u << 20) /* bytes; larger inputs are refused, not truncated */

static void usage(FILE *out)
{
    fputs("usage: honeyshift qod [--pretty] [--normalize global|per-feature] FILE.json|-\n", out);
}

static void help(void)
{
    fputs(
"NAME\n"
"  honeyshift qod - Quality of Deception of KPI measurements\n"
"\n"
"SYNOPSIS\n"
"  honeyshift qod [--pretty] [--normalize global|per-feature] FILE.json|-\n"
"\n"
"DESCRIPTION\n"
"  Compute the Quality of Deception (QoD) of the Sandnet paper (section III.D, equations\n"
"  1-8) from KPI measurements, and print it with every KPI's change as JSON on standard\n"
"  output: {\"qod\": X, \"kpis\": [{\"name\": S, \"change\": C}, ...]}, KPIs in input order.\n"
"  QoD 1 means the adversary cannot tell any change; 0 means every KPI changed fully.\n"
"  FILE \"-\" reads standard input. Numbers are printed with 17 significant digits, so\n"
"  they read back exactly.\n"
"\n"
"OPTIONS\n"
"  --pretty                 indent the output (default: compact, one line)\n"
"  --normalize global       MIN and MAX over all features of both images (default)\n"
"  --normalize per-feature  MIN and MAX per feature (literal reading of equation 4)\n"
"  -h, --help               show this help\n"
"\n"
"INPUT\n"
"  {\"kpis\": [KPI, ...]}   at least one KPI; names non-empty and unique. A KPI is either\n"
"  {\"name\": S, \"type\": \"series\", \"expected\": [N, ...] | {\"mean\": N, \"std\": N},\n"
"   \"calculated\": [N, ...], \"observed\": [N, ...]}\n"
"  {\"name\": S, \"type\": \"set\", \"expected\": [S, ...], \"calculated\": [S, ...],\n"
"   \"observed\": [S, ...]}\n"
"  \"observed\" is required, and at least one of \"expected\" and \"calculated\".\n"
"  Series are non-empty arrays of finite numbers. An empty series has no mean, so it is an\n"
"  error, not a change: record an outage as measured values (e.g. throughput 0).\n"
"  \"expected\" may instead give the image directly, {\"mean\": N, \"std\": N} with std >= 0,\n"
"  as taken from past studies.\n"
"  Sets hold strings, such as reachable MAC or IP addresses; they compare byte for byte\n"
"  (write addresses in one canonical form), duplicates collapse, empty sets are allowed.\n"
"  Unknown keys, duplicate keys, non-numbers in series, NaN and out-of-range numbers are\n"
"  errors.\n"
"\n"
"FORMULAS\n"
"  Series KPI: image I = (mu, sigma), the mean and population standard deviation (divide by\n"
"    n) of the values. Pre-image p = ((mu_e + mu_c)/2, (sigma_e + sigma_c)/2) from the\n"
"    expected and calculated images (the paper's g; only one given: that image).\n"
"    Observed image o = (mu_o, sigma_o).\n"
"    global:      MIN = min(p1, p2, o1, o2), MAX = max(p1, p2, o1, o2),\n"
"                 d_i = |norm(o_i) - norm(p_i)| = |o_i - p_i| / (MAX - MIN)\n"
"    per-feature: MIN_i = min(p_i, o_i), MAX_i = max(p_i, o_i), so d_i = 0 if p_i = o_i,\n"
"                 else 1\n"
"    When MAX = MIN, d_i = 0. Change C = (d_1 + d_2) / 2.\n"
"  Set KPI: C = 1 - |P n O| / |P u O|, P the calculated set (the expected set when\n"
"    \"calculated\" is absent; a present but empty \"calculated\" is used as is), O the\n"
"    observed set; two empty sets give C = 0.\n"
"  QoD = 1 - (C_1 + ... + C_k) / k.\n"
"\n"
"  Why global is the default: with per-feature normalisation each feature's two values\n"
"  become exactly 0 and 1 whenever they differ at all, so a 0.1% change in latency counts\n"
"  as much as a 100x change: the metric degenerates into \"equal or not\". Normalising over\n"
"  all features keeps the size of a change and still gives C in [0, 1].\n"
"\n"
"EXAMPLE\n"
"  $ cat kpi.json\n"
"  {\"kpis\": [\n"
"    {\"name\": \"latency\", \"type\": \"series\", \"expected\": [10, 12],\n"
"     \"calculated\": [12, 14], \"observed\": [20, 20, 20, 20]},\n"
"    {\"name\": \"reachable_ips\", \"type\": \"set\", \"calculated\": [\"198.18.0.1\", \"198.18.0.2\"],\n"
"     \"observed\": [\"198.18.0.2\"]}]}\n"
"  $ honeyshift qod --pretty kpi.json\n"
"  {\n"
"    \"qod\": 0.63749999999999996,\n"
"    \"kpis\": [\n"
"      {\n"
"        \"name\": \"latency\",\n"
"        \"change\": 0.22500000000000001\n"
"      },\n"
"      {\n"
"        \"name\": \"reachable_ips\",\n"
"        \"change\": 0.5\n"
"      }\n"
"    ]\n"
"  }\n"
"  latency: p = ((11+13)/2, (1+1)/2) = (12, 1), o = (20, 0), MIN = 0, MAX = 20,\n"
"  C = (8/20 + 1/20) / 2 = 0.225; reachable_ips: C = 1 - 1/2 = 0.5;\n"
"  QoD = 1 - (0.225 + 0.5) / 2 = 0.6375.\n"
"  With --normalize per-feature, latency changes fully (d = (1, 1), C = 1), QoD = 0.25.\n"
"\n"
"  A bad input is reported with file, line:column and JSON path:\n"
"  kpi.json:3:35: kpis[1].observed[2]: expected a number, got a string\n"
"\n"
"EXIT STATUS\n"
"  0  success\n"
"  1  bad input (message on standard error) or I/O error\n"
"  2  usage error\n",
        stdout);
}

/* Read all of f into b (NUL-terminated, not counted in len); false with errno or EFBIG. */
static bool read_all(FILE *f, struct hs_buf *b)
{
    for (;;) {
        uint8_t *p = hs_buf_reserve(b, 65536);
        size_t got = fread(p, 1, 65536, f);
        b->len += got;
        if (b->len > QOD_MAX_INPUT) {
            errno = EFBIG;
            return false;
        }
        if (got < 65536) {
            if (ferror(f)) {
                if (errno == 0)
                    errno = EIO;
                return false;
            }
            break;
        }
    }
    hs_buf_put_u8(b, 0);
    b->len--;
    return true;
}

int cmd_qod(int argc, char **argv)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"pretty", no_argument, NULL, 'p'},
        {"normalize", required_argument, NULL, 'n'},
        {NULL, 0, NULL, 0},
    };
    bool pretty = false;
    enum qod_norm mode = QOD_NORM_GLOBAL;
    int ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (ch) {
        case 'h':
            help();
            return 0;
        case 'p':
            pretty = true;
            break;
        case 'n':
            if (strcmp(optarg, "global") == 0) {
                mode = QOD_NORM_GLOBAL;
            } else if (strcmp(optarg, "per-feature") == 0) {
                mode = QOD_NORM_PER_FEATURE;
            } else {
                fprintf(stderr, "honeyshift qod: --normalize must be 'global' or 'per-feature', "
                                "not '%s'\n", optarg);
                usage(stderr);
                return 2;
            }
            break;
        default:
            fprintf(stderr, "honeyshift qod: unknown option or missing argument: '%s'\n",
                    argv[optind - 1]);
            usage(stderr);
            return 2;
        }
    }
    if (argc - optind != 1) {
        fprintf(stderr, "honeyshift qod: %s\n",
                argc - optind < 1 ? "missing FILE.json" : "more than one FILE given");
        usage(stderr);
        return 2;
    }
    const char *path = argv[optind];
    bool use_stdin = strcmp(path, "-") == 0;
    const char *source = use_stdin ? "<stdin>" : path;

    FILE *f = use_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "honeyshift qod: %s: %s\n", source, strerror(errno));
        return 1;
    }
    struct hs_buf text = HS_BUF_INIT;
    errno = 0;
    bool read_ok = read_all(f, &text);
    int read_errno = errno;
    if (!use_stdin)
        fclose(f);
    if (!read_ok) {
        if (read_errno == EFBIG)
            fprintf(stderr, "honeyshift qod: %s: larger than %u bytes, refused\n", source,
                    QOD_MAX_INPUT);
        else
            fprintf(stderr, "honeyshift qod: %s: read error: %s\n", source, strerror(read_errno));
        hs_buf_free(&text);
        return 1;
    }

    struct qod_input in;
    char *err = NULL;
    bool parsed = qod_json_parse((const char *)text.data, text.len, source, &in, &err);
    hs_buf_free(&text);
    if (!parsed) {
        fprintf(stderr, "%s\n", err);
        free(err);
        return 1;
    }
    struct qod_result res;
    enum qod_err qe = qod_compute(in.kpis, in.n, mode, &res);
    int rc = 0;
    if (qe != QOD_OK) {
        if (res.failed < in.n)
            fprintf(stderr, "%s: kpis[%zu] (\"%s\"): %s\n", source, res.failed,
                    in.kpis[res.failed].name, qod_strerror(qe));
        else
            fprintf(stderr, "%s: %s\n", source, qod_strerror(qe));
        rc = 1;
    } else {
        char *out = qod_json_result_dump(&in, &res, pretty);
        if (!out) {
            fprintf(stderr, "honeyshift qod: out of memory\n");
            rc = 1;
        } else {
            fputs(out, stdout);
            fputc('\n', stdout);
            free(out);
            if (fflush(stdout) != 0 || ferror(stdout)) {
                fprintf(stderr, "honeyshift qod: write error: %s\n", strerror(errno));
                rc = 1;
            }
        }
    }
    qod_result_free(&res);
    qod_input_free(&in);
    return rc;
}
