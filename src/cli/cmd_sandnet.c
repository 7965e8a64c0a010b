/* cmd_sandnet.c - "honeyshift sandnet": Sandnet's lab, confinement and the paper's experiment
 * (I/O side; flows in sandnet/confine.c, strategies in sandnet/strategy.c, the run in
 * sandnet/experiment.c). */
#include "cli/commands.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "common/util.h"
#include "sandnet/app.h"
#include "sandnet/clone.h"
#include "sandnet/confine.h"
#include "sandnet/container.h"
#include "sandnet/experiment.h"
#include "sandnet/labnet.h"
#include "sandnet/run.h"
#include "sandnet/sandlab.h"
#include "sandnet/strategy.h"
#include "cli/sandnet_cli.h"

static void help(void)
{
    fputs(
"NAME\n"
"  honeyshift sandnet - confine a suspicious container into a sandbox network (Sandnet)\n"
"\n"
"SYNOPSIS\n"
"  honeyshift sandnet run --strategy active|reactive|proactive|all [--mode atomic|in-process]\n"
"                         --out DIR [--scale F] [--no-scan] [--no-reinject] [--no-prepare]\n"
"                         [--shrink SLEEP[,REMOVE]] [--keep]\n"
"  honeyshift sandnet confine CONTAINER [--with ID,...] [--mode atomic|in-process]\n"
"  honeyshift sandnet watch --eve FILE [--from-start] [--severity N] [--timeout S] ...\n"
"  honeyshift sandnet release\n"
"  honeyshift sandnet down\n"
"\n"
"DESCRIPTION\n"
"  Sandnet (paper: Osman et al.) keeps a suspicious container (SC) running but moves it into a\n"
"  sandbox network (SN) made of live clones of the production containers it talks to, while a\n"
"  fresh clone of SC from its clean image serves the production network (PN). PN (OVS bridge\n"
"  hsn-pn) and SN (hsn-sn) are fail-mode secure bridges linked by a patch port; honeyshiftd\n"
"  (127.0.0.1:6710, lab \"hsn\") installs the base policy (port security, ARP, forwarding);\n"
"  the confinement flows carry cookie 0x534e... (\"SN\") and are replaced in one OpenFlow\n"
"  bundle per bridge.\n"
"\n"
"  run      replays the paper's experiment: the 3-tier app (nginx fe, gunicorn/Flask be, redis\n"
"           db) twice on PN; the adversary sits on fe1 and requests be1 every 100 ms; the IDS\n"
"           names fe1 at 10 s; the adversary turns to be2 at 30 s; fe2 -> be2 is the benign\n"
"           baseline; the run ends at 50 s (all times x --scale). Strategies: active (hot clones\n"
"           of every container before the start), reactive (SC's peers at detection, then each\n"
"           container on its first contact from SN), proactive (SC's peers, the containers the\n"
"           flow-statistics heuristic rates busy, and their nearest neighbours, cloned\n"
"           concurrently; reactive as the fall-back). \"all\" runs the three in turn.\n"
"           Writes DIR/<strategy>-<mode>/samples.csv (every probe request), series.csv (per\n"
"           second: latency, throughput, unavailability of both sides, QoD), summary.json\n"
"           (minimum and final QoD with the KPI changes in three readings: observed image =\n"
"           the adversary's last 5 s; the same with the benign side's concurrent baseline as\n"
"           the expected image; the paper's cumulative observed image since t = 0; downtime\n"
"           and cloning step times per\n"
"           clone, production impact, reachability before/after), and DIR/figure.png (latency,\n"
"           throughput and QoD over time of every run in DIR, like the paper's Figure 3).\n"
"  confine  on a running lab (kept with run --keep): starts SC's fresh clone, clones the given\n"
"           containers (default: SC's group) to SN, and installs the confinement flows.\n"
"  watch    follows an EVE JSON log (honeyshift-ipsd's or Suricata's) and confines the first\n"
"           container an alert names as its source, like confine (details: watch --help).\n"
"  release  removes the confinement flows (the controller's base policy stays).\n"
"  down     removes every clone, the app, the external hosts, the bridges and honeyshiftd.\n"
"\n"
"OPTIONS\n"
"  --strategy S   active, reactive, proactive or all.\n"
"  --mode M       atomic (default): redirect when every planned clone is ready;\n"
"                 in-process: redirect each clone as soon as it is ready.\n"
"  --out DIR      output directory (created).\n"
"  --scale F      timeline factor, 0.2..10 (default 1: 50 s per run).\n"
"  --no-scan      skip the arp-scan / nmap reachability scans.\n"
"  --no-reinject  drop the frames held for a clone that is not ready (default: keep them\n"
"                 at SN's hold port and re-inject them when the clone is ready).\n"
"  --no-prepare   do not prepare the other containers' clones (netns, bundle, FS diff) ahead\n"
"                 of a first contact after detection (default: prepared, so that a first\n"
"                 contact only pauses, dumps and restores).\n"
"  --shrink SLEEP[,REMOVE]\n"
"                 the shrinking phase (default off): a clone SN has delivered no frame to for\n"
"                 SLEEP seconds is frozen (cgroup freezer; its kernel still answers ARP and\n"
"                 ping, a frame for it thaws it within 0.1 s), and removed after REMOVE more\n"
"                 seconds frozen (default: never; a later contact clones it again). Seconds,\n"
"                 not scaled by --scale. The actions are listed in summary.json (\"shrink\").\n"
"  --keep         leave the lab running after the run.\n"
"  --with LIST    confine: containers to clone into SN (comma-separated ids).\n"
"\n"
"  Progress goes to standard error. Needs root, runc, CRIU 4.2 (.deps/criu), Open vSwitch,\n"
"  arp-scan, nmap, python3-matplotlib (scripts/setup.sh) and the images of scripts/rootfs.sh.\n"
"\n"
"EXIT STATUS\n"
"  0 success, 1 failure, 2 usage error.\n", stdout);
}

static int usage(void)
{
    fputs("usage: honeyshift sandnet run|confine|watch|release|down ... (--help)\n", stderr);
    return 2;
}

static int plot(const char *out_dir)
{
    char script[SN_PATH_MAX];
    if (!hs_snprintf(script, sizeof script, "%s/scripts/sandnet_plot.py", sn_source_dir()))
        return 1;
    /* Debian's python3 (python3-matplotlib), not whatever python3 comes first in PATH */
    const char *py = access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
    const char *argv[] = {py, script, out_dir, NULL};
    return sn_run(argv, NULL, 120000, false) == 0 ? 0 : 1;
}

/* "SLEEP[,REMOVE]" in seconds: 0 < SLEEP <= 3600, 0 <= REMOVE <= 3600 (0 or absent: never). */
static bool parse_shrink(const char *v, double *sleep_s, double *remove_s)
{
    char *end;
    errno = 0;
    double a = strtod(v, &end), b = 0;
    if (errno || end == v || !(a > 0 && a <= 3600))
        return false;
    if (*end == ',') {
        const char *r = end + 1;
        b = strtod(r, &end);
        if (errno || end == r || !(b >= 0 && b <= 3600))
            return false;
    }
    if (*end)
        return false;
    *sleep_s = a;
    *remove_s = b;
    return true;
}

static int cmd_run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"strategy", required_argument, NULL, 's'}, {"mode", required_argument, NULL, 'm'},
        {"out", required_argument, NULL, 'o'},      {"scale", required_argument, NULL, 'x'},
        {"no-scan", no_argument, NULL, 'n'},        {"no-reinject", no_argument, NULL, 'R'},        {"keep", no_argument, NULL, 'k'},
        {"no-prepare", no_argument, NULL, 'P'},     {"shrink", required_argument, NULL, 'S'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0},
    };
    struct sn_exp_opts o = {.strategy = SN_STRAT_REACTIVE, .mode = SN_MODE_ATOMIC, .scale = 1.0};
    const char *strategy = NULL;
    int ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (ch) {
        case 's': strategy = optarg; break;
        case 'm':
            if (!strcmp(optarg, "atomic"))
                o.mode = SN_MODE_ATOMIC;
            else if (!strcmp(optarg, "in-process"))
                o.mode = SN_MODE_INPROCESS;
            else
                return usage();
            break;
        case 'o': o.out_dir = optarg; break;
        case 'x': {
            char *end;
            o.scale = strtod(optarg, &end);
            if (*end || !(o.scale >= 0.2 && o.scale <= 10))
                return usage();
            break;
        }
        case 'n': o.no_scan = true; break;
        case 'R': o.no_reinject = true; break;
        case 'P': o.no_prepare = true; break;
        case 'S':
            if (!parse_shrink(optarg, &o.shrink_sleep_s, &o.shrink_remove_s)) {
                fprintf(stderr, "honeyshift sandnet run: --shrink %s: want SLEEP[,REMOVE] in seconds, "
                                "0 < SLEEP <= 3600, 0 <= REMOVE <= 3600 (0: never)\n", optarg);
                return 2;
            }
            break;
        case 'k': o.keep = true; break;
        case 'h': help(); return 0;
        default: return usage();
        }
    }
    if (!strategy || !o.out_dir || optind != argc)
        return usage();
    enum sn_strategy list[3];
    size_t n = 0;
    if (!strcmp(strategy, "all")) {
        list[n++] = SN_STRAT_ACTIVE;
        list[n++] = SN_STRAT_REACTIVE;
        list[n++] = SN_STRAT_PROACTIVE;
    } else if (sn_strategy_parse(strategy, &list[0])) {
        n = 1;
    } else {
        return usage();
    }
    int rc = 0;
    bool keep = o.keep;
    for (size_t i = 0; i < n && rc == 0; i++) {
        o.strategy = list[i];
        o.keep = keep && i + 1 == n;
        rc = sn_experiment_run(&o);
    }
    if (rc == 0) {
        rc = plot(o.out_dir);
        if (rc == 0)
            fprintf(stderr, "sandnet run: figure %s/figure.png\n", o.out_dir);
    }
    return rc;
}

int sandnet_parse_mode(const char *s, enum sn_confine_mode *mode)
{
    if (!strcmp(s, "atomic"))
        *mode = SN_MODE_ATOMIC;
    else if (!strcmp(s, "in-process"))
        *mode = SN_MODE_INPROCESS;
    else {
        fprintf(stderr, "honeyshift sandnet: --mode must be atomic or in-process, not '%s'\n", s);
        return -1;
    }
    return 0;
}

static int cmd_confine(int argc, char **argv)
{
    if (argc < 2)
        return usage();
    const char *sc = argv[1], *with = NULL;
    enum sn_confine_mode mode = SN_MODE_ATOMIC;
    for (int i = 2; i < argc; i++) {
        if (i + 1 < argc && !strcmp(argv[i], "--with"))
            with = argv[++i];
        else if (i + 1 < argc && !strcmp(argv[i], "--mode")) {
            if (sandnet_parse_mode(argv[++i], &mode) != 0)
                return 2;
        } else
            return usage();
    }
    return sandnet_confine(sc, with, mode);
}

int sandnet_confine(const char *sc, const char *with, enum sn_confine_mode mode)
{
    struct sn_confine_in *in = xcalloc(1, sizeof *in);
    struct sn_flowlist *fl = xcalloc(1, sizeof *fl);
    int rc = 1;
    if (!sn_lab_confine_init(2, in) || (in->sc = sn_lab_node(in, sc)) < 0) {
        fprintf(stderr, "honeyshift sandnet: %s is not a container of the lab\n", sc);
        goto out;
    }
    in->mode = mode;
    in->stats = true;
    char group = sc[strlen(sc) - 1], list[128];
    if (!with) {
        snprintf(list, sizeof list, "fe%c,be%c,db%c", group, group, group);
        with = list;
    }
    char buf[128], check[128];
    if (!hs_strlcpy(buf, with, sizeof buf) || !hs_strlcpy(check, with, sizeof check)) {
        fprintf(stderr, "honeyshift sandnet: --with: list too long (%zu bytes at most)\n",
                sizeof buf - 1);
        goto out;
    }
    /* every id first, before anything starts */
    for (char *save = NULL, *id = strtok_r(check, ",", &save); id;
         id = strtok_r(NULL, ",", &save))
        if (sn_lab_node(in, id) < 0) {
            fprintf(stderr, "honeyshift sandnet: --with: %s is not a container of the lab\n", id);
            goto out;
        }
    struct sn_container fresh;
    char fid[SN_ID_MAX];
    if (!hs_snprintf(fid, sizeof fid, "%s-f", sc) || !sn_fresh_start(sc, fid, &fresh))
        goto out;
    in->fresh_port = fresh.ofport;
    for (char *save = NULL, *id = strtok_r(buf, ",", &save); id; id = strtok_r(NULL, ",", &save)) {
        int i = sn_lab_node(in, id);
        if (i < 0 || i == in->sc)
            continue;
        char cid[SN_ID_MAX];
        struct sn_clone_report rep;
        struct sn_clone_opts o = {.dst_id = cid, .dst_bridge = SN_BRIDGE_SN};
        if (!hs_snprintf(cid, sizeof cid, "%s-s", id))
            goto out;
        bool ok = sn_clone(id, &o, &rep);
        fprintf(stderr, "honeyshift sandnet: %s -> %s %s (blackout %.0f ms)\n", id, cid,
                ok ? "ready" : "FAILED", sn_timing_span_ms(&rep.timing, SN_STEP_CHECKPOINT, SN_STEP_RESTORE));
        sn_clone_report_free(&rep);
        in->nodes[i].clone = ok ? SN_CLONE_READY : SN_CLONE_NONE;
        if (ok && mode == SN_MODE_INPROCESS && !(sn_confine_flows(in, fl) && sn_flows_install(fl)))
            goto out;
    }
    in->sealed = true;
    rc = sn_confine_flows(in, fl) && sn_flows_install(fl) ? 0 : 1;
    if (rc == 0)
        fprintf(stderr, "honeyshift sandnet: %s confined (%zu flows)\n", sc, fl->n);
out:
    free(in);
    free(fl);
    return rc;
}

int cmd_sandnet(int argc, char **argv)
{
    hs_log_init("honeyshift", getenv("HS_DEBUG") ? HS_LOG_DEBUG : HS_LOG_INFO);
    if (argc < 2)
        return usage();
    const char *sub = argv[1];
    if (!strcmp(sub, "--help") || !strcmp(sub, "-h") || !strcmp(sub, "help")) {
        help();
        return 0;
    }
    if (!strcmp(sub, "run"))
        return cmd_run(argc - 1, argv + 1);
    if (!strcmp(sub, "confine"))
        return cmd_confine(argc - 1, argv + 1);
    if (!strcmp(sub, "watch"))
        return sandnet_watch_main(argc - 1, argv + 1);
    if (!strcmp(sub, "release")) {
        struct sn_confine_in in;
        struct sn_flowlist *fl = xcalloc(1, sizeof *fl);
        int rc = sn_lab_confine_init(2, &in) && sn_confine_flows(&in, fl) && sn_flows_install(fl) ? 0 : 1;
        free(fl);
        return rc;
    }
    if (!strcmp(sub, "down"))
        return sn_experiment_cleanup() ? 0 : 1;
    return usage();
}
