/* cmd_ips.c - "honeyshift ips scan|check": the IPS engine offline (pcap files, raw HTTP
 * requests) and rule-file validation. The engine is src/ips/engine; this file is the I/O. */
#include "cli/commands.h"

#include "common/util.h"
#include "ips/engine/engine.h"
#include "ips/engine/pcap_src.h"
#include "ips/rules/rules.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define HTTP_MAX_INPUT (64u << 20) /* bytes; a larger request file is an error, not truncated */

static void usage(FILE *out)
{
    fputs("usage: honeyshift ips scan [--rules FILE]... [--home-net NETS] [--stats]\n"
          "                           (--pcap FILE | --http PATH)\n"
          "       honeyshift ips check [--home-net NETS] RULES...\n"
          "       honeyshift ips --help\n", out);
}

static void help(void)
{
    fputs(
"NAME\n"
"  honeyshift ips - run the inline IPS engine offline, validate rule files\n"
"\n"
"SYNOPSIS\n"
"  honeyshift ips scan [--rules FILE]... [--home-net NETS] [--stats] --pcap FILE\n"
"  honeyshift ips scan [--rules FILE]... [--home-net NETS] [--stats] --http PATH\n"
"  honeyshift ips check [--home-net NETS] RULES...\n"
"\n"
"DESCRIPTION\n"
"  scan runs the same engine as the inline IPS (stream reassembly, HTTP/1.x parsing and\n"
"  normalisation, rule matching, verdict policy) over recorded input and prints one\n"
"  Suricata-style EVE JSON line per alert on standard output (layout: docs/eve.md).\n"
"  Rule writers use it to test a rule against a request.\n"
"\n"
"  --pcap FILE  a libpcap capture with Ethernet link type (EN10MB); other link types are\n"
"               refused. Packet timestamps become the alert timestamps. Flows still open\n"
"               at the end of the file are finished (close-delimited bodies inspected).\n"
"  --http PATH  PATH is a file holding one raw HTTP request (request line, headers, blank\n"
"               line, body as sent on the wire), or a directory of such files (regular\n"
"               files, names not starting with '.', in name order, not recursive). Each\n"
"               request is a synthetic established TCP flow 203.0.113.1:40000 ->\n"
"               198.18.255.2:80, so rules written for $EXTERNAL_NET -> $HOME_NET apply. A\n"
"               file without the blank line that ends the headers gets one appended. Each\n"
"               alert line has \"input\": PATH-OF-THE-FILE.\n"
"\n"
"  check validates rule files (all together, as the engine would load them) and prints\n"
"  \"N rules ok\", or every error as FILE:LINE: reason on standard error.\n"
"\n"
"OPTIONS\n"
"  --rules FILE     load this rule file (repeatable; all files form one rule set). Without\n"
"                   --rules the built-in default rule set (rules/default.rules) is used.\n"
"                   --rules /dev/null gives an empty rule set (a baseline).\n"
"  --home-net NETS  $HOME_NET (default [198.18.0.0/15], the lab address space)\n"
"  --stats          print counters to standard error at the end: frames, bytes, dropped,\n"
"                   held fragments, alerts, HTTP transactions, elapsed time, MB/s, Gbit/s\n"
"                   and requests/s\n"
"  -h, --help       show this help\n"
"\n"
"EXIT STATUS\n"
"  0  the input was scanned (whether or not there were alerts); check: all rules valid\n"
"  1  an input could not be read or a rule file has errors (FILE:LINE: reason)\n"
"  2  usage error\n"
"\n"
"EXAMPLES\n"
"  printf 'GET /?id=1+UNION+SELECT+1 HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n' > /tmp/req.http\n"
"  honeyshift ips scan --http /tmp/req.http\n"
"  honeyshift ips scan --rules my.rules --http requests/ --stats\n"
"  honeyshift ips scan --pcap capture.pcap | jq .alert.signature\n"
"  honeyshift ips check rules/default.rules my.rules\n",
    stdout);
}

struct scan_ctx {
    const char *input;     /* current --http file, NULL for pcap */
    uint64_t alerts;
    uint64_t encode_errors;
};

static void on_alert(void *ctx, const struct ips_alert *a)
{
    struct scan_ctx *sc = ctx;
    sc->alerts++;
    char *line = ips_eve_alert_json(a, sc->input);
    if (!line) {
        sc->encode_errors++;
        fprintf(stderr, "honeyshift ips: alert sid %u could not be encoded as JSON\n",
                (unsigned)a->sid);
        return;
    }
    puts(line);
    free(line);
}

/* Read a whole file (at most HTTP_MAX_INPUT bytes). */
static int read_file(const char *path, uint8_t **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "honeyshift ips: %s: %s\n", path, strerror(errno));
        return -1;
    }
    size_t cap = 4096, n = 0;
    uint8_t *buf = xmalloc(cap);
    for (;;) {
        if (n == cap) {
            if (cap >= HTTP_MAX_INPUT) {
                fprintf(stderr, "honeyshift ips: %s: larger than %u bytes\n", path,
                        HTTP_MAX_INPUT);
                free(buf);
                fclose(f);
                return -1;
            }
            cap *= 2;
            buf = xrealloc(buf, cap);
        }
        size_t k = fread(buf + n, 1, cap - n, f);
        n += k;
        if (k == 0)
            break;
    }
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        fprintf(stderr, "honeyshift ips: %s: read error\n", path);
        free(buf);
        return -1;
    }
    *out = buf;
    *len = n;
    return 0;
}

static int scan_one_http(struct ips_engine *e, struct scan_ctx *sc, const char *path)
{
    uint8_t *buf;
    size_t len;
    if (read_file(path, &buf, &len) != 0)
        return -1;
    sc->input = path;
    ips_engine_http_request(e, buf, len, hs_wall_us());
    sc->input = NULL;
    free(buf);
    return 0;
}

static int no_hidden(const struct dirent *d) { return d->d_name[0] != '.'; }

static int scan_http(struct ips_engine *e, struct scan_ctx *sc, const char *path,
                     uint64_t *requests)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "honeyshift ips: %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        *requests += 1;
        return scan_one_http(e, sc, path);
    }
    struct dirent **names;
    int n = scandir(path, &names, no_hidden, alphasort);
    if (n < 0) {
        fprintf(stderr, "honeyshift ips: %s: %s\n", path, strerror(errno));
        return -1;
    }
    int rc = 0;
    size_t plen = strlen(path);
    bool slash = plen > 0 && path[plen - 1] == '/';
    for (int i = 0; i < n; i++) {
        size_t need = plen + strlen(names[i]->d_name) + 2;
        char *full = xmalloc(need);
        snprintf(full, need, "%s%s%s", path, slash ? "" : "/", names[i]->d_name);
        struct stat fst;
        if (stat(full, &fst) == 0 && S_ISREG(fst.st_mode)) {
            *requests += 1;
            if (scan_one_http(e, sc, full) != 0)
                rc = -1;
        }
        free(full);
        free(names[i]);
    }
    free(names);
    return rc;
}

static int scan_pcap(struct ips_engine *e, const char *path)
{
    char err[512];
    struct pcap_src *p = pcap_src_open(path, err, sizeof err);
    if (!p) {
        fprintf(stderr, "honeyshift ips: %s\n", err);
        return -1;
    }
    const uint8_t *data;
    size_t len;
    uint64_t ts;
    int rc;
    while ((rc = pcap_src_next(p, &data, &len, &ts, err, sizeof err)) == 1)
        (void)ips_engine_frame(e, data, len, ts);
    if (rc < 0)
        fprintf(stderr, "honeyshift ips: %s: %s\n", path, err);
    if (pcap_src_truncated(p))
        fprintf(stderr, "honeyshift ips: %s: %llu frames captured shorter than sent (snaplen);"
                " they were inspected as captured\n", path,
                (unsigned long long)pcap_src_truncated(p));
    pcap_src_close(p);
    return rc < 0 ? -1 : 0;
}

enum { OPT_RULES = 256, OPT_PCAP, OPT_HTTP, OPT_STATS, OPT_HOME };

static const struct option scan_opts[] = {
    {"rules", required_argument, NULL, OPT_RULES},
    {"pcap", required_argument, NULL, OPT_PCAP},
    {"http", required_argument, NULL, OPT_HTTP},
    {"stats", no_argument, NULL, OPT_STATS},
    {"home-net", required_argument, NULL, OPT_HOME},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static int cmd_scan(int argc, char **argv)
{
    const char **rules = NULL;
    size_t nrules = 0;
    const char *pcap = NULL, *http = NULL, *home = NULL;
    bool stats = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", scan_opts, NULL)) != -1) {
        switch (c) {
        case OPT_RULES:
            rules = xreallocarray(rules, nrules + 1, sizeof *rules);
            rules[nrules++] = optarg;
            break;
        case OPT_PCAP: pcap = optarg; break;
        case OPT_HTTP: http = optarg; break;
        case OPT_STATS: stats = true; break;
        case OPT_HOME: home = optarg; break;
        case 'h': help(); free(rules); return 0;
        default: usage(stderr); free(rules); return 2;
        }
    }
    if (optind != argc || (!pcap) == (!http)) {
        fputs(optind != argc ? "honeyshift ips scan: unexpected argument\n"
                             : "honeyshift ips scan: give exactly one of --pcap and --http\n",
              stderr);
        usage(stderr);
        free(rules);
        return 2;
    }
    struct scan_ctx sc = {0};
    struct ips_engine_cfg cfg;
    ips_engine_cfg_default(&cfg);
    if (nrules) {
        cfg.rule_files = rules;
        cfg.n_rule_files = nrules;
    }
    if (home)
        cfg.home_net = home;
    cfg.wall_clock = true;
    cfg.on_alert = on_alert;
    cfg.ctx = &sc;
    char *err = NULL;
    struct ips_engine *e = ips_engine_new(&cfg, &err);
    if (!e) {
        fprintf(stderr, "%s%s", err ? err : "honeyshift ips: cannot load the rules",
                err && err[0] && err[strlen(err) - 1] == '\n' ? "" : "\n");
        free(err);
        free(rules);
        return 1;
    }
    uint64_t requests = 0;
    uint64_t t0 = hs_now_ns();
    int rc = pcap ? scan_pcap(e, pcap) : scan_http(e, &sc, http, &requests);
    struct ips_engine_stats st = ips_engine_stats(e);
    ips_engine_free(e); /* finishes open flows: their late alerts are printed here */
    uint64_t ns = hs_now_ns() - t0;
    if (fflush(stdout) != 0) {
        fprintf(stderr, "honeyshift ips: writing the output: %s\n", strerror(errno));
        rc = -1;
    }
    if (stats) {
        double s = ns ? (double)ns / 1e9 : 1e-9;
        uint64_t txns = pcap ? st.http_txns : requests;
        uint64_t bytes = pcap ? st.bytes : st.stream_bytes;
        fprintf(stderr,
                "frames %llu\nbytes %llu\ndropped %llu\nheld %llu\nalerts %llu\n"
                "http_txns %llu\nhttp_errors %llu\nelapsed_s %.6f\nMB_per_s %.2f\n"
                "Gbit_per_s %.3f\nrequests_per_s %.0f\n",
                (unsigned long long)st.frames, (unsigned long long)bytes,
                (unsigned long long)st.dropped, (unsigned long long)st.held,
                (unsigned long long)sc.alerts, (unsigned long long)txns,
                (unsigned long long)st.http_errors, s, (double)bytes / 1e6 / s,
                (double)bytes * 8 / 1e9 / s, (double)txns / s);
    }
    free(rules);
    return rc != 0 || sc.encode_errors ? 1 : 0;
}

static int cmd_check(int argc, char **argv)
{
    static const struct option opts[] = {
        {"home-net", required_argument, NULL, OPT_HOME},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *home = "[198.18.0.0/15]";
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_HOME: home = optarg; break;
        case 'h': help(); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind == argc) {
        fputs("honeyshift ips check: give at least one rule file\n", stderr);
        usage(stderr);
        return 2;
    }
    struct ips_vars *v = ips_vars_new();
    if (!ips_vars_set(v, "HOME_NET", home)) {
        ips_vars_free(v);
        return 2;
    }
    char *err = NULL;
    struct ips_ruleset *rs = ips_ruleset_load_files((const char *const *)argv + optind,
                                                    (size_t)(argc - optind), v, &err);
    ips_vars_free(v);
    if (!rs) {
        fprintf(stderr, "%s%s", err ? err : "rule files could not be loaded",
                err && err[0] && err[strlen(err) - 1] == '\n' ? "" : "\n");
        free(err);
        return 1;
    }
    printf("%zu rules ok\n", ips_ruleset_count(rs));
    ips_ruleset_free(rs);
    return 0;
}

int cmd_ips(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *sub = argv[1];
    if (!strcmp(sub, "-h") || !strcmp(sub, "--help") || !strcmp(sub, "help")) {
        help();
        return 0;
    }
    if (!strcmp(sub, "scan"))
        return cmd_scan(argc - 1, argv + 1);
    if (!strcmp(sub, "check"))
        return cmd_check(argc - 1, argv + 1);
    fprintf(stderr, "honeyshift ips: unknown subcommand '%s'\n", sub);
    usage(stderr);
    return 2;
}
