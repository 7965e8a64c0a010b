/* cmd_events.c - "honeyshift events": show the EVE JSON event log (alerts, later relocations)
 * as a table or raw lines, with filters and a follow mode. */
#include "cli/commands.h"

#include "common/buf.h"
#include "common/util.h"
#include "config/topology.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define POLL_MS 200
#define MAX_LINE (16u << 20) /* a longer line is reported and skipped, never buffered whole */

static void usage(FILE *out)
{
    fputs("usage: honeyshift events [--lab NAME | --file EVE.json] [-f|--follow]\n"
          "                         [--type TYPE] [--sid N] [--src IP] [--since TIME]\n"
          "                         [--json] [-n N]\n", out);
}

static void help(void)
{
    fputs(
"NAME\n"
"  honeyshift events - show the IPS event log (EVE JSON)\n"
"\n"
"SYNOPSIS\n"
"  honeyshift events [--lab NAME | --file EVE.json] [-f|--follow] [--type TYPE] [--sid N]\n"
"                    [--src IP] [--since TIME] [--json] [-n N]\n"
"\n"
"DESCRIPTION\n"
"  Reads the EVE JSON log the inline IPS writes (one JSON object per line, layout in\n"
"  docs/eve.md) and prints one line per event:\n"
"    TIME (UTC)  TYPE  ACTION  GID:SID:REV  SRC:PORT -> DEST:PORT  SIGNATURE  [HTTP]\n"
"  or, with --json, the matching lines unchanged. Lines that are not JSON objects are\n"
"  reported on standard error with their line number and skipped.\n"
"\n"
"OPTIONS\n"
"  --lab NAME      the lab whose log to read (default hs): controller.eve_log of the lab's\n"
"                  topology (/run/honeyshift/NAME/topology.yaml), else\n"
"                  /run/honeyshift/NAME/eve.json\n"
"  --file FILE     read this EVE file instead\n"
"  -f, --follow    after the existing lines, wait for new ones (polls every 200 ms; follows\n"
"                  truncation and rotation by rename; waits for a missing file). Ctrl-C\n"
"                  (SIGINT) or SIGTERM ends it with status 0.\n"
"  --type TYPE     only events with this event_type (alert, relocation, ...)\n"
"  --sid N         only alerts with this signature_id\n"
"  --src IP        only events whose src_ip is IP\n"
"  --since TIME    only events at or after TIME: 2026-11-23T09:30:00 (UTC, optional\n"
"                  fraction and +HHMM offset), a date 2026-11-23, or an age such as 30s,\n"
"                  15m, 2h, 1d\n"
"  --json          print the raw JSON lines\n"
"  -n N            only the last N matching existing events (then follow, with -f)\n"
"  -h, --help      show this help\n"
"\n"
"EXIT STATUS\n"
"  0 success (also after Ctrl-C in follow mode), 1 the log cannot be read, 2 usage error.\n",
    stdout);
}

struct filter {
    const char *type;
    bool has_sid;
    uint64_t sid;
    const char *src;
    bool has_since;
    int64_t since_us;
    bool json;
};

static volatile sig_atomic_t stop;
static void on_signal(int sig) { (void)sig; stop = 1; }

/* Parse "YYYY-MM-DD[THH:MM:SS[.ffffff]][Z|+HHMM|+HH:MM|-HHMM]" into microseconds UTC. */
static bool parse_iso(const char *s, int64_t *us)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    int n = 0;
    if (sscanf(s, "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &n) != 3 || n != 10)
        return false;
    const char *p = s + n;
    int64_t frac = 0;
    if (*p == 'T' || *p == ' ') {
        int m = 0;
        if (sscanf(p + 1, "%2d:%2d:%2d%n", &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &m) != 3 ||
            m != 8)
            return false;
        p += 1 + m;
        if (*p == '.') {
            p++;
            int digits = 0;
            while (*p >= '0' && *p <= '9') {
                if (digits < 6) {
                    frac = frac * 10 + (*p - '0');
                    digits++;
                }
                p++;
            }
            if (!digits)
                return false;
            while (digits++ < 6)
                frac *= 10;
        }
    }
    int64_t off = 0;
    if (*p == 'Z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p == '-' ? -1 : 1;
        int hh, mm, m = 0;
        if (sscanf(p + 1, "%2d:%2d%n", &hh, &mm, &m) == 2 && m == 5) {
        } else if (sscanf(p + 1, "%2d%2d%n", &hh, &mm, &m) == 2 && m == 4) {
        } else {
            return false;
        }
        off = sign * (int64_t)(hh * 3600 + mm * 60);
        p += 1 + m;
    }
    if (*p)
        return false;
    if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
        tm.tm_min > 59 || tm.tm_sec > 60)
        return false;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t t = timegm(&tm);
    if (t == (time_t)-1)
        return false;
    *us = ((int64_t)t - off) * 1000000 + frac;
    return true;
}

static bool parse_since(const char *s, int64_t *us)
{
    size_t n = strlen(s);
    if (n >= 2 && strchr("smhd", s[n - 1]) && !strchr(s, '-')) {
        char num[32];
        if (n - 1 >= sizeof num)
            return false;
        memcpy(num, s, n - 1);
        num[n - 1] = '\0';
        uint64_t v;
        if (!hs_parse_u64(num, 100000000, &v))
            return false;
        uint64_t mult = s[n - 1] == 's' ? 1 : s[n - 1] == 'm' ? 60 : s[n - 1] == 'h' ? 3600 : 86400;
        *us = (int64_t)hs_wall_us() - (int64_t)(v * mult * 1000000u);
        return true;
    }
    return parse_iso(s, us);
}

static const char *str_of(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static bool matches(json_t *ev, const struct filter *f)
{
    if (f->type) {
        const char *t = str_of(ev, "event_type");
        if (!t || strcmp(t, f->type) != 0)
            return false;
    }
    if (f->has_sid) {
        json_t *sid = json_object_get(json_object_get(ev, "alert"), "signature_id");
        if (!json_is_integer(sid) || json_integer_value(sid) < 0 ||
            (uint64_t)json_integer_value(sid) != f->sid)
            return false;
    }
    if (f->src) {
        const char *s = str_of(ev, "src_ip");
        if (!s || strcmp(s, f->src) != 0)
            return false;
    }
    if (f->has_since) {
        const char *ts = str_of(ev, "timestamp");
        int64_t us;
        if (!ts || !parse_iso(ts, &us) || us < f->since_us)
            return false;
    }
    return true;
}

/* The human line of one event. */
static void print_human(json_t *ev)
{
    const char *ts = str_of(ev, "timestamp");
    char tbuf[32] = "-";
    if (ts && strlen(ts) >= 23) {
        memcpy(tbuf, ts, 23); /* "2026-11-23T09:30:00.123" */
        tbuf[23] = '\0';
        tbuf[10] = ' ';
    } else if (ts) {
        hs_strlcpy(tbuf, ts, sizeof tbuf);
    }
    const char *type = str_of(ev, "event_type");
    json_t *al = json_object_get(ev, "alert");
    const char *action = str_of(al, "action");
    char sig[48] = "-";
    json_t *rl = type && !strcmp(type, "relocation") ? json_object_get(ev, "relocation") : NULL;
    if (json_is_object(rl)) {
        action = str_of(rl, "outcome");
        const char *trig = str_of(rl, "trigger");
        if (trig && !strcmp(trig, "ips"))
            snprintf(sig, sizeof sig, "ips:%lld",
                     (long long)json_integer_value(json_object_get(rl, "signature_id")));
        else
            snprintf(sig, sizeof sig, "%s", trig ? trig : "-");
    }
    if (json_is_object(al))
        snprintf(sig, sizeof sig, "%lld:%lld:%lld",
                 (long long)json_integer_value(json_object_get(al, "gid")),
                 (long long)json_integer_value(json_object_get(al, "signature_id")),
                 (long long)json_integer_value(json_object_get(al, "rev")));
    const char *src = str_of(ev, "src_ip"), *dst = str_of(ev, "dest_ip");
    printf("%s  %-10s %-8s %-16s %s:%lld -> %s:%lld", tbuf, type ? type : "?",
           action ? action : "-", sig, src ? src : "?",
           (long long)json_integer_value(json_object_get(ev, "src_port")), dst ? dst : "?",
           (long long)json_integer_value(json_object_get(ev, "dest_port")));
    const char *msg = str_of(al, "signature");
    if (msg)
        printf("  %s", msg);
    json_t *http = json_object_get(ev, "http");
    if (json_is_object(http)) {
        const char *m = str_of(http, "http_method"), *h = str_of(http, "hostname"),
                   *u = str_of(http, "url");
        printf("  [%s %s%s]", m ? m : "-", h ? h : "", u ? u : "");
    }
    if (json_is_object(rl)) {
        /* relocation: where to, the stage timeline, or why it failed */
        const char *from = str_of(rl, "from"), *to = str_of(rl, "to");
        printf("  %s -> %s", from ? from : "?", to ? to : "?");
        const char *stage = str_of(rl, "stage"), *why = str_of(rl, "reason");
        if (stage)
            printf("  failed at %s: %s (attacker %s)", stage, why ? why : "",
                   str_of(rl, "attacker_action") ? str_of(rl, "attacker_action") : "blocked");
        json_t *tm = json_object_get(rl, "timings_ms");
        const char *k;
        json_t *v;
        bool first = true;
        json_object_foreach(tm, k, v) {
            printf("%s%s %.1f", first ? "  [ms: " : ", ", k, json_number_value(v));
            first = false;
        }
        if (!first)
            putchar(']');
        const char *warn = str_of(rl, "warning");
        if (warn)
            printf("  warning: %s", warn);
    } else if (type && strcmp(type, "alert") != 0) {
        /* other event types: show their own object compactly */
        json_t *own = json_object_get(ev, type);
        if (own) {
            char *s = json_dumps(own, JSON_COMPACT | JSON_PRESERVE_ORDER);
            if (s) {
                printf("  %s", s);
                free(s);
            }
        }
    }
    const char *input = str_of(ev, "input");
    if (input)
        printf("  (%s)", input);
    putchar('\n');
}

struct tailbuf { /* the last N matching lines for -n */
    char **lines;
    size_t n, cap, head;
};

static void emit_line(const char *line, json_t *ev, const struct filter *f)
{
    if (f->json)
        puts(line);
    else
        print_human(ev);
}

struct reader {
    const char *path;
    int fd;
    ino_t ino;
    dev_t dev;
    off_t off;
    unsigned long lineno;
    struct hs_buf pend;
    bool skipping;   /* inside an over-long line */
};

/* Handle one complete line: parse, filter, print or keep for -n. */
static void handle_line(struct reader *r, const char *line, size_t len, const struct filter *f,
                        struct tailbuf *tb)
{
    r->lineno++;
    if (len == 0)
        return;
    json_error_t je;
    json_t *ev = json_loadb(line, len, 0, &je);
    if (!json_is_object(ev)) {
        fprintf(stderr, "%s:%lu: not an EVE JSON object (%s), skipped\n", r->path, r->lineno,
                ev ? "not an object" : je.text);
        json_decref(ev);
        return;
    }
    if (matches(ev, f)) {
        if (tb) {
            char *copy = xmalloc(len + 1);
            memcpy(copy, line, len);
            copy[len] = '\0';
            if (tb->n < tb->cap) {
                tb->lines[(tb->head + tb->n++) % tb->cap] = copy;
            } else if (tb->cap) {
                free(tb->lines[tb->head]);
                tb->lines[tb->head] = copy;
                tb->head = (tb->head + 1) % tb->cap;
            } else {
                free(copy);
            }
        } else {
            char *copy = xmalloc(len + 1);
            memcpy(copy, line, len);
            copy[len] = '\0';
            emit_line(copy, ev, f);
            free(copy);
        }
    }
    json_decref(ev);
}

/* Read what is available; complete lines are handled, a partial one is kept (or flushed when
 * final). Returns -1 on a read error. */
static int drain(struct reader *r, const struct filter *f, struct tailbuf *tb, bool final)
{
    uint8_t chunk[65536];
    for (;;) {
        ssize_t k = read(r->fd, chunk, sizeof chunk);
        if (k < 0) {
            if (errno == EINTR) {
                if (stop)
                    return 0;
                continue;
            }
            return -1;
        }
        if (k == 0)
            break;
        r->off += k;
        size_t start = 0;
        for (size_t i = 0; i < (size_t)k; i++) {
            if (chunk[i] != '\n')
                continue;
            if (r->skipping) {
                r->skipping = false;
                r->lineno++;
            } else {
                hs_buf_put(&r->pend, chunk + start, i - start);
                handle_line(r, (const char *)r->pend.data, r->pend.len, f, tb);
            }
            hs_buf_clear(&r->pend);
            start = i + 1;
        }
        if (!r->skipping)
            hs_buf_put(&r->pend, chunk + start, (size_t)k - start);
        if (r->pend.len > MAX_LINE) {
            fprintf(stderr, "%s:%lu: line longer than %u bytes, skipped\n", r->path,
                    r->lineno + 1, MAX_LINE);
            hs_buf_clear(&r->pend);
            r->skipping = true;
        }
    }
    if (final && r->pend.len && !r->skipping) {
        handle_line(r, (const char *)r->pend.data, r->pend.len, f, tb);
        hs_buf_clear(&r->pend);
    }
    return 0;
}

static int reader_open(struct reader *r)
{
    r->fd = open(r->path, O_RDONLY | O_CLOEXEC);
    if (r->fd < 0)
        return -1;
    struct stat st;
    if (fstat(r->fd, &st) != 0) {
        close(r->fd);
        r->fd = -1;
        return -1;
    }
    r->ino = st.st_ino;
    r->dev = st.st_dev;
    r->off = 0;
    r->lineno = 0;
    hs_buf_clear(&r->pend);
    r->skipping = false;
    return 0;
}

static void sleep_ms(unsigned ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL); /* EINTR (SIGINT) just ends the nap early */
}

static int follow(struct reader *r, const struct filter *f)
{
    while (!stop) {
        if (r->fd < 0) {
            if (reader_open(r) != 0) {
                sleep_ms(POLL_MS);
                continue;
            }
        }
        if (drain(r, f, NULL, false) != 0) {
            fprintf(stderr, "honeyshift events: %s: %s\n", r->path, strerror(errno));
            return 1;
        }
        fflush(stdout);
        sleep_ms(POLL_MS);
        struct stat cur, path_st;
        if (fstat(r->fd, &cur) == 0 && cur.st_size < r->off) {
            /* truncated in place: start over */
            if (lseek(r->fd, 0, SEEK_SET) == 0) {
                fprintf(stderr, "honeyshift events: %s: truncated, reading from the start\n",
                        r->path);
                r->off = 0;
                r->lineno = 0;
                hs_buf_clear(&r->pend);
                r->skipping = false;
            }
            continue;
        }
        if (stat(r->path, &path_st) != 0 || path_st.st_ino != r->ino ||
            path_st.st_dev != r->dev) {
            /* rotated (renamed or removed): finish the old file, then switch when a new one
             * appears */
            if (drain(r, f, NULL, true) != 0)
                return 1;
            if (stat(r->path, &path_st) == 0) {
                close(r->fd);
                r->fd = -1;
            }
        }
    }
    return 0;
}

/* The lab's EVE log: controller.eve_log of its topology, else the conventional path. */
static int lab_eve_path(const char *lab, char *out, size_t size)
{
    char topo_path[HS_PATH_MAX];
    if (!hs_snprintf(topo_path, sizeof topo_path, "/run/honeyshift/%s/topology.yaml", lab)) {
        fprintf(stderr, "honeyshift events: lab name too long\n");
        return -1;
    }
    if (access(topo_path, R_OK) == 0) {
        struct hs_topology *topo;
        struct hs_cfg_err cerr;
        if (hs_topology_load(topo_path, &topo, &cerr) != 0) {
            fprintf(stderr, "honeyshift events: %s\n", cerr.msg);
            return -1;
        }
        bool ok = hs_strlcpy(out, topo->controller.eve_log, size);
        hs_topology_free(topo);
        if (!ok) {
            fprintf(stderr, "honeyshift events: eve_log path too long\n");
            return -1;
        }
        return 0;
    }
    if (!hs_snprintf(out, size, "/run/honeyshift/%s/eve.json", lab)) {
        fprintf(stderr, "honeyshift events: lab name too long\n");
        return -1;
    }
    return 0;
}

enum { OPT_LAB = 256, OPT_FILE, OPT_TYPE, OPT_SID, OPT_SRC, OPT_SINCE, OPT_JSON };

int cmd_events(int argc, char **argv)
{
    static const struct option opts[] = {
        {"lab", required_argument, NULL, OPT_LAB},
        {"file", required_argument, NULL, OPT_FILE},
        {"follow", no_argument, NULL, 'f'},
        {"type", required_argument, NULL, OPT_TYPE},
        {"sid", required_argument, NULL, OPT_SID},
        {"src", required_argument, NULL, OPT_SRC},
        {"since", required_argument, NULL, OPT_SINCE},
        {"json", no_argument, NULL, OPT_JSON},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct filter f;
    memset(&f, 0, sizeof f);
    const char *lab = NULL, *file = NULL;
    bool follow_mode = false, has_n = false;
    uint64_t last_n = 0;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "fn:h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_LAB: lab = optarg; break;
        case OPT_FILE: file = optarg; break;
        case 'f': follow_mode = true; break;
        case OPT_TYPE: f.type = optarg; break;
        case OPT_SID:
            if (!hs_parse_u64(optarg, UINT32_MAX, &f.sid)) {
                fprintf(stderr, "honeyshift events: --sid: not a number: %s\n", optarg);
                return 2;
            }
            f.has_sid = true;
            break;
        case OPT_SRC: {
            uint32_t ip;
            if (!hs_parse_ipv4(optarg, &ip)) {
                fprintf(stderr, "honeyshift events: --src: not an IPv4 address: %s\n", optarg);
                return 2;
            }
            f.src = optarg;
            break;
        }
        case OPT_SINCE:
            if (!parse_since(optarg, &f.since_us)) {
                fprintf(stderr, "honeyshift events: --since: bad time: %s\n", optarg);
                return 2;
            }
            f.has_since = true;
            break;
        case OPT_JSON: f.json = true; break;
        case 'n':
            if (!hs_parse_u64(optarg, 10000000, &last_n)) {
                fprintf(stderr, "honeyshift events: -n: not a number: %s\n", optarg);
                return 2;
            }
            has_n = true;
            break;
        case 'h': help(); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind != argc || (lab && file)) {
        fputs(lab && file ? "honeyshift events: --lab and --file exclude each other\n"
                          : "honeyshift events: unexpected argument\n", stderr);
        usage(stderr);
        return 2;
    }
    char path[HS_PATH_MAX];
    if (file) {
        if (!hs_strlcpy(path, file, sizeof path)) {
            fprintf(stderr, "honeyshift events: path too long\n");
            return 1;
        }
    } else if (lab_eve_path(lab ? lab : "hs", path, sizeof path) != 0) {
        return 1;
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    struct reader r = {.path = path, .fd = -1, .pend = HS_BUF_INIT};
    int rc = 0;
    if (reader_open(&r) != 0) {
        if (!follow_mode || errno != ENOENT) {
            fprintf(stderr, "honeyshift events: %s: %s\n", path, strerror(errno));
            return 1;
        }
    }
    if (r.fd >= 0) {
        struct tailbuf tb = {0};
        if (has_n) {
            tb.cap = (size_t)last_n;
            tb.lines = tb.cap ? xcalloc(tb.cap, sizeof *tb.lines) : NULL;
        }
        if (drain(&r, &f, has_n ? &tb : NULL, !follow_mode) != 0) {
            fprintf(stderr, "honeyshift events: %s: %s\n", path, strerror(errno));
            rc = 1;
        }
        for (size_t i = 0; i < tb.n; i++) {
            char *line = tb.lines[(tb.head + i) % tb.cap];
            json_t *ev = json_loads(line, 0, NULL);
            if (ev)
                emit_line(line, ev, &f);
            json_decref(ev);
            free(line);
        }
        free(tb.lines);
    }
    if (rc == 0 && follow_mode)
        rc = follow(&r, &f);
    if (r.fd >= 0)
        close(r.fd);
    hs_buf_free(&r.pend);
    if (fflush(stdout) != 0)
        rc = 1;
    return rc;
}
