/* cmd_sandnet_watch.c - "honeyshift sandnet watch": the IDS -> Sandnet link. Tails an EVE JSON
 * log (honeyshift-ipsd's or Suricata's), judges each alert (sandnet/watch.h) and confines the
 * first lab container an alert names as its source. */
#include "cli/sandnet_cli.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/util.h"
#include "sandnet/sandlab.h"
#include "sandnet/watch.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static void watch_help(void)
{
    fputs(
"NAME\n"
"  honeyshift sandnet watch - confine the container an IDS alert names\n"
"\n"
"SYNOPSIS\n"
"  honeyshift sandnet watch --eve FILE [--from-start] [--severity N] [--timeout S]\n"
"                           [--mode atomic|in-process] [--with ID,...] [--dry-run]\n"
"\n"
"DESCRIPTION\n"
"  Follows FILE, an EVE JSON log (one object per line, as honeyshift-ipsd and Suricata write\n"
"  them), from its end (or its start with --from-start), and reads every new line. An\n"
"  \"alert\" event whose src_ip is one of the Sandnet lab's containers names that container as\n"
"  suspicious (SC): watch prints the alert and confines SC as `honeyshift sandnet confine SC`\n"
"  would (its fresh clone on PN, its group cloned into SN, the confinement flows), then exits.\n"
"  Alerts from other sources (external hosts), other event types and malformed lines are\n"
"  counted and skipped; a truncated or replaced FILE is read again from its start.\n"
"\n"
"OPTIONS\n"
"  --eve FILE       the EVE log to follow (it may not exist yet).\n"
"  --from-start     read FILE from its first line instead of its end.\n"
"  --severity N     only alerts with severity 1..N count (1 is the most severe; default: all).\n"
"  --timeout S      give up after S seconds without a suspect (exit 1; default: wait).\n"
"  --mode M         atomic (default) or in-process, as for confine.\n"
"  --with LIST      containers to clone into SN (default: SC's group).\n"
"  --dry-run        name the suspect and exit 0 without confining anything.\n"
"\n"
"EXIT STATUS\n"
"  0 a container was confined (or named, with --dry-run); 1 confinement failed, timeout or\n"
"  interrupted; 2 usage error.\n", stdout);
}

struct watch_settings {
    const char *eve, *with;
    bool from_start, dry_run;
    int severity;
    double timeout_s;
    enum sn_confine_mode mode;
};

static int parse(int argc, char **argv, struct watch_settings *st)
{
    static const struct option opts[] = {
        {"eve", required_argument, NULL, 'e'},     {"from-start", no_argument, NULL, 'f'},
        {"severity", required_argument, NULL, 's'}, {"timeout", required_argument, NULL, 't'},
        {"mode", required_argument, NULL, 'm'},    {"with", required_argument, NULL, 'w'},
        {"dry-run", no_argument, NULL, 'n'},       {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    uint64_t v;
    int o;
    optind = 1;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'e': st->eve = optarg; break;
        case 'f': st->from_start = true; break;
        case 's':
            if (!hs_parse_u64(optarg, 255, &v) || v == 0) {
                fprintf(stderr, "honeyshift sandnet watch: --severity must be 1..255\n");
                return 2;
            }
            st->severity = (int)v;
            break;
        case 't':
            if (!hs_parse_u64(optarg, 86400, &v) || v == 0) {
                fprintf(stderr, "honeyshift sandnet watch: --timeout must be 1..86400 seconds\n");
                return 2;
            }
            st->timeout_s = (double)v;
            break;
        case 'm':
            if (sandnet_parse_mode(optarg, &st->mode) != 0)
                return 2;
            break;
        case 'w': st->with = optarg; break;
        case 'n': st->dry_run = true; break;
        case 'h': watch_help(); return 0;
        default:
            fputs("usage: honeyshift sandnet watch --eve FILE [...] (--help)\n", stderr);
            return 2;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "honeyshift sandnet watch: unexpected argument '%s'\n", argv[optind]);
        return 2;
    }
    if (!st->eve) {
        fputs("honeyshift sandnet watch: --eve FILE is required\n", stderr);
        return 2;
    }
    return -1; /* go on */
}

/* The follower's state: an open FILE, the offset read so far, and the partial line. */
struct follower {
    int fd;
    ino_t ino;
    off_t off;
    char *line;
    size_t len;
    bool skipping;            /* inside a line longer than SN_WATCH_LINE_MAX */
    unsigned long counts[SN_WATCH_TOO_LONG + 1];
};

/* (Re)open the file when it appeared, was replaced or truncated. at_end: the file as it was
 * when watch started is old news (not --from-start); a file that appears or replaces it later
 * is read from its start. */
static void follow_open(struct follower *f, const char *path, bool *at_end)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        *at_end = false;
        return;
    }
    if (f->fd >= 0 && st.st_ino == f->ino && st.st_size >= f->off)
        return;
    bool first = *at_end;
    *at_end = false;
    if (f->fd >= 0)
        close(f->fd);
    f->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (f->fd < 0)
        return;
    f->ino = st.st_ino;
    f->len = 0;
    f->skipping = false;
    f->off = first ? st.st_size : 0;
}

/* Judge one complete line; returns the suspect's node index or -1. */
static int on_line(struct follower *f, const struct sn_confine_in *in, int severity,
                   struct sn_watch_hit *hit)
{
    enum sn_watch_verdict v = sn_watch_judge(in, f->line, f->len, severity, hit);
    f->counts[v]++;
    if (v == SN_WATCH_NOT_CONTAINER || v == SN_WATCH_LOW_SEVERITY) {
        char ip[16];
        hs_format_ipv4(hit->src_ip, ip);
        fprintf(stderr, "honeyshift sandnet watch: alert sid %u from %s skipped (%s)\n",
                (unsigned)hit->sid, ip, sn_watch_verdict_name(v));
    }
    return v == SN_WATCH_SUSPECT ? hit->node : -1;
}

/* Read what was appended; -1 when nothing names a suspect yet. */
static int follow_read(struct follower *f, const struct sn_confine_in *in, int severity,
                       struct sn_watch_hit *hit)
{
    char buf[65536];
    for (;;) {
        ssize_t n = pread(f->fd, buf, sizeof buf, f->off);
        if (n <= 0)
            return -1;
        f->off += n;
        for (ssize_t i = 0; i < n; i++) {
            if (buf[i] == '\n') {
                int node = -1;
                if (f->skipping)
                    f->counts[SN_WATCH_TOO_LONG]++;
                else if (f->len > 0)
                    node = on_line(f, in, severity, hit);
                f->len = 0;
                f->skipping = false;
                if (node >= 0) {
                    f->off -= n - i - 1; /* the rest is read by no one: we stop here */
                    return node;
                }
            } else if (!f->skipping) {
                if (f->len == SN_WATCH_LINE_MAX)
                    f->skipping = true;
                else
                    f->line[f->len++] = buf[i];
            }
        }
    }
}

int sandnet_watch_main(int argc, char **argv)
{
    struct watch_settings st = {.mode = SN_MODE_ATOMIC};
    int rc = parse(argc, argv, &st);
    if (rc >= 0)
        return rc;
    rc = 1;
    struct sn_confine_in *in = xcalloc(1, sizeof *in);
    struct follower f = {.fd = -1, .line = xmalloc(SN_WATCH_LINE_MAX)};
    if (!sn_lab_confine_init(2, in)) {
        fputs("honeyshift sandnet watch: cannot describe the lab's containers\n", stderr);
        goto out;
    }
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    fprintf(stderr, "honeyshift sandnet watch: following %s (%zu containers)\n", st.eve,
            in->n_nodes);
    uint64_t t0 = hs_now_ms();
    struct sn_watch_hit hit;
    int node = -1;
    bool at_end = !st.from_start;
    while (!stop) {
        follow_open(&f, st.eve, &at_end);
        if (f.fd >= 0 && (node = follow_read(&f, in, st.severity, &hit)) >= 0)
            break;
        if (st.timeout_s > 0 && (double)(hs_now_ms() - t0) >= st.timeout_s * 1000.0) {
            fprintf(stderr, "honeyshift sandnet watch: no suspect within %.0f s\n", st.timeout_s);
            break;
        }
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    fprintf(stderr, "honeyshift sandnet watch: lines: %lu alerts from containers, %lu from other "
            "sources, %lu other events, %lu malformed, %lu too long\n",
            f.counts[SN_WATCH_SUSPECT], f.counts[SN_WATCH_NOT_CONTAINER] +
            f.counts[SN_WATCH_LOW_SEVERITY] + f.counts[SN_WATCH_NO_SOURCE],
            f.counts[SN_WATCH_NOT_ALERT], f.counts[SN_WATCH_NOT_JSON],
            f.counts[SN_WATCH_TOO_LONG]);
    if (node < 0)
        goto out;
    char ip[16];
    hs_format_ipv4(hit.src_ip, ip);
    const char *sc = in->nodes[node].id;
    printf("suspect %s (%s): alert sid %u \"%s\"\n", sc, ip, (unsigned)hit.sid, hit.signature);
    fflush(stdout);
    if (st.dry_run) {
        rc = 0;
        goto out;
    }
    rc = sandnet_confine(sc, st.with, st.mode);
out:
    if (f.fd >= 0)
        close(f.fd);
    free(f.line);
    free(in);
    return rc;
}
