/* cmd_bench.c - `honeyshift bench relocation`: N relocations of an attacker's live keep-alive
 * connection in a lab built for the benchmark, with the attacker-visible pause, the stage
 * timings and a benign client's latency; pure parts in src/bench/. */
#include "bench/bench_eve.h"
#include "bench/bench_report.h"
#include "bench/bench_stats.h"
#include "cli/commands.h"
#include "common/buf.h"
#include "common/util.h"
#include "lab/lab.h"
#include "lab/lab_run.h"
#include "mig/mig_flows.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern const char hs_bench_attacker_py[];
extern const char hs_bench_benign_py[];

#define ATTACKER_IP "198.18.0.11"
#define SERVER_IP "198.18.0.80"
#define PROD_MARK "ACME Corp intranet: 1204 customer records"
#define DECOY_MARK "ACME Corp intranet: 1198 customer records"
#define EXIT_USAGE 2

static const char help[] =
"NAME\n"
"    honeyshift bench relocation - measure live relocations of an attacker's connection\n"
"\n"
"SYNOPSIS\n"
"    honeyshift bench relocation --service nginx|flask|node --runs N [--json]\n"
"                                [--trigger ips|operator] [--rate R] [--idle S]\n"
"                                [--timeout S] [--lab NAME] [--port P] [--keep-lab]\n"
"\n"
"DESCRIPTION\n"
"    Builds a lab for the benchmark (built-in topology: hosts client 198.18.0.10, attacker\n"
"    198.18.0.11, production web 198.18.0.80 running SERVICE with two workers, and its honeypot\n"
"    twin running the same service with decoy content; the inline IPS enabled, and for the\n"
"    ips trigger ips.on_attack: relocate), then runs N relocations, one after another:\n"
"      1. the attacker (a program run in the attacker host) opens ONE keep-alive connection\n"
"         and sends a benign request, answered by production;\n"
"      2. an idle period (--idle, longer when relocations take longer): the undisturbed\n"
"         window for the benign client's baseline;\n"
"      3. trigger ips: the attacker sends an SQL injection on that connection; the IPS detects\n"
"         it and the controller relocates the connection, with the worker serving it, into the\n"
"         honeypot and re-injects the held request. Trigger operator: `honeyshift shift` is\n"
"         started for the connection and, as soon as its drop flows are on the switch, the\n"
"         attacker sends a plain request (it is dropped and arrives by the attacker's TCP\n"
"         retransmission once the honeypot is reachable: no re-injection on this path);\n"
"      4. the attacker measures the time from sending that request to the first byte of the\n"
"         answer (the attacker-visible pause), checks that the answer came on the same\n"
"         connection with the decoy content, and sends one more request (also decoy);\n"
"      5. the stage timings come from the controller's EVE relocation event (ips) or from the\n"
"         shift result (operator); then `honeyshift unshift --client 198.18.0.11` resets the\n"
"         attacker for the next run.\n"
"    Throughout, a benign client in the client host sends requests to production (one\n"
"    connection each, --rate per second in total). Its latency p99 is compared between\n"
"    windows around each relocation (from the request that triggers it, as long as the\n"
"    relocation or the answer takes, plus 100 ms) and windows of the same length in the idle\n"
"    period just before it.\n"
"    The lab is removed at the end, also on Ctrl-C (SIGINT) or SIGTERM, unless --keep-lab.\n"
"\n"
"OPTIONS\n"
"    --service KIND   nginx, flask (gunicorn) or node: the service relocated (required)\n"
"    --runs N         relocations to run, 1..10000 (required)\n"
"    --json           one JSON object per run on standard output, as each run ends:\n"
"                     service, trigger, run, ok, pause_ms, dump_ms, transfer_ms,\n"
"                     restore_ms, total_ms, detect_ms, hold_ms, locate_ms, flows_ms,\n"
"                     reinject_ms, first_byte_ms, reloc_pause_ms (null when unknown),\n"
"                     relocated, same_conn, decoy, after_decoy, id, and stage/error when not\n"
"                     ok; the summary follows on standard output.\n"
"    --trigger T      ips (default when the configuration knows ips.on_attack) or operator\n"
"                     (hs_shift_run through `honeyshift shift`).\n"
"    --rate R         benign requests per second, 1..1000 (default 200)\n"
"    --idle S         minimum idle seconds before each relocation, 0.2..60 (default 1)\n"
"    --timeout S      how long the attacker waits for an answer, 1..60 (default 5)\n"
"    --lab NAME       lab name, at most 4 characters (default hsbr; the lab's link names\n"
"                     NAME-attacker, NAME-honeypot must fit); its bridge is NAME-br0\n"
"    --port P         the controller's OpenFlow port (default 6690; migration agents' ports\n"
"                     derive from it)\n"
"    --keep-lab       leave the lab running at the end (for inspection)\n"
"\n"
"OUTPUT\n"
"    Progress on standard error (run i/N). The summary: relocations ok; per stage the mean,\n"
"    population standard deviation, p50, p99 and count over the ok runs beside the paper's\n"
"    Table I (Hounterfeit: dump, transfer, restore and their sum, which the paper calls total)\n"
"    with the ratio; the attacker-visible pause p50/p99 against the target (nginx 80 ms,\n"
"    flask and node 200 ms); the benign client's p99 during relocations against undisturbed\n"
"    (target: within 10 ms). Figures only: the exit status does not depend on them.\n"
"\n"
"ENVIRONMENT\n"
"    As for `honeyshift lab up` (HS_HONEYSHIFTD, HS_HOSTINIT, ...); HS_CRIU is passed to the\n"
"    migration agents the lab starts.\n"
"\n"
"EXIT STATUS\n"
"    0 the benchmark ran (whatever the figures), 1 the lab could not be built or the clients\n"
"    not started, 2 usage error, 130 interrupted (after clean-up and the partial summary).\n"
"\n"
"EXAMPLES\n"
"    honeyshift bench relocation --service nginx --runs 20 --trigger operator\n"
"    honeyshift bench relocation --service nginx --runs 100 --json > nginx.jsonl\n";

static volatile sig_atomic_t stop_sig;

static void on_signal(int sig) { stop_sig = sig; }

struct opts {
    const char *service, *trigger, *lab;
    unsigned runs;
    bool json, keep;
    double rate, idle, timeout;
    uint16_t port;
};

/* A program in a lab host with pipes to its stdin and from its stdout. */
struct child {
    pid_t pid;
    int in, out;
    struct hs_buf buf;
};

static double wall_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sleep s seconds unless a signal asks to stop. */
static void nap(double s)
{
    double end = wall_s() + s;
    while (!stop_sig) {
        double left = end - wall_s();
        if (left <= 0)
            return;
        if (left > 0.05)
            left = 0.05;
        struct timespec ts = {0, (long)(left * 1e9)};
        nanosleep(&ts, NULL);
    }
}

static int write_file(const char *path, const char *text, mode_t mode, char *err, size_t es)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) {
        snprintf(err, es, "%s: %s", path, strerror(errno));
        return -1;
    }
    size_t len = strlen(text), off = 0;
    while (off < len) {
        ssize_t w = write(fd, text + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            snprintf(err, es, "%s: %s", path, strerror(errno));
            close(fd);
            return -1;
        }
        off += (size_t)w;
    }
    if (close(fd) != 0) {
        snprintf(err, es, "%s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

/* Start argv in host; its stderr goes to errfile (appended). */
static int child_start(const struct hs_lab_target *tg, const char *host, char *const argv[],
                       const char *errfile, struct child *c, char *err, size_t es)
{
    int in[2], out[2];
    memset(c, 0, sizeof *c);
    c->pid = -1;
    c->in = c->out = -1;
    if (pipe2(in, O_CLOEXEC) != 0) {
        snprintf(err, es, "pipe: %s", strerror(errno));
        return -1;
    }
    if (pipe2(out, O_CLOEXEC) != 0) {
        snprintf(err, es, "pipe: %s", strerror(errno));
        close(in[0]);
        close(in[1]);
        return -1;
    }
    fflush(NULL);
    pid_t p = fork();
    if (p < 0) {
        snprintf(err, es, "fork: %s", strerror(errno));
        close(in[0]);
        close(in[1]);
        close(out[0]);
        close(out[1]);
        return -1;
    }
    if (p == 0) {
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGPIPE, SIG_DFL);
        int efd = open(errfile, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (dup2(in[0], 0) < 0 || dup2(out[1], 1) < 0 || (efd >= 0 && dup2(efd, 2) < 0))
            _exit(125);
        char e[512];
        int rc = hs_lab_exec(tg, host, argv, e, sizeof e);
        if (rc < 0) {
            fprintf(stderr, "honeyshift bench: %s\n", e);
            _exit(125);
        }
        _exit(rc & 0xff);
    }
    close(in[0]);
    close(out[1]);
    c->pid = p;
    c->in = in[1];
    c->out = out[0];
    return 0;
}

/* Next line of the child's stdout within timeout_ms: 1 (line in *line, NUL-terminated, valid
 * until the next call), 0 timeout or stop, -1 EOF. */
static int child_line(struct child *c, int timeout_ms, char **line, size_t *len)
{
    static char *last;
    free(last);
    last = NULL;
    uint64_t end = hs_now_ms() + (uint64_t)timeout_ms;
    for (;;) {
        uint8_t *nl = c->buf.len ? memchr(c->buf.data, '\n', c->buf.len) : NULL;
        if (nl) {
            size_t n = (size_t)(nl - c->buf.data);
            last = xmalloc(n + 1);
            memcpy(last, c->buf.data, n);
            last[n] = '\0';
            hs_buf_consume(&c->buf, n + 1);
            *line = last;
            *len = n;
            return 1;
        }
        if (c->out < 0 || stop_sig)
            return c->out < 0 ? -1 : 0;
        uint64_t now = hs_now_ms();
        if (now >= end)
            return 0;
        struct pollfd pf = {c->out, POLLIN, 0};
        int r = poll(&pf, 1, (int)(end - now));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            continue;
        uint8_t *p = hs_buf_reserve(&c->buf, 4096);
        ssize_t n = read(c->out, p, 4096);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            close(c->out);
            c->out = -1;
            continue;
        }
        c->buf.len += (size_t)n;
        if (c->buf.len > (1u << 20))
            return -1;
    }
}

static void child_send(struct child *c, const char *s)
{
    if (c->in < 0)
        return;
    size_t len = strlen(s);
    if (write(c->in, s, len) != (ssize_t)len) {
        close(c->in);
        c->in = -1;
    }
}

/* Close its stdin, wait up to wait_ms, then kill the process we forked. */
static void child_end(struct child *c, int wait_ms)
{
    if (c->in >= 0)
        close(c->in);
    c->in = -1;
    if (c->pid > 0) {
        uint64_t end = hs_now_ms() + (uint64_t)wait_ms;
        int st;
        pid_t r;
        while ((r = waitpid(c->pid, &st, WNOHANG)) == 0 && hs_now_ms() < end) {
            struct timespec ts = {0, 20 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
        if (r == 0) {
            kill(c->pid, SIGKILL);
            while (waitpid(c->pid, &st, 0) < 0 && errno == EINTR)
                ;
        }
    }
    c->pid = -1;
    if (c->out >= 0)
        close(c->out);
    c->out = -1;
    hs_buf_free(&c->buf);
}

/* Run `honeyshift ARGS...` (this program) to its end, stdout into *out; its exit code. */
static int self_run(const char *const args[], struct hs_buf *out, char *err, size_t es)
{
    const char *argv[16] = {"/proc/self/exe"};
    size_t n = 1;
    for (; args[n - 1] && n < HS_ARRAY_SIZE(argv) - 1; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    int code = -1;
    if (hs_run_status(argv, -1, out, &code, err, es) != 0)
        return -1;
    return code;
}

/* Start `honeyshift shift --lab LAB --client IP:PORT --json` with its stdout on a pipe. */
static int shift_start(const char *lab, uint16_t port, struct child *c, char *err, size_t es)
{
    char client[32];
    snprintf(client, sizeof client, "%s:%u", ATTACKER_IP, (unsigned)port);
    int out[2];
    memset(c, 0, sizeof *c);
    c->in = -1;
    if (pipe2(out, O_CLOEXEC) != 0) {
        snprintf(err, es, "pipe: %s", strerror(errno));
        return -1;
    }
    fflush(NULL);
    pid_t p = fork();
    if (p < 0) {
        snprintf(err, es, "fork: %s", strerror(errno));
        close(out[0]);
        close(out[1]);
        return -1;
    }
    if (p == 0) {
        signal(SIGPIPE, SIG_DFL);
        if (dup2(out[1], 1) < 0)
            _exit(125);
        execl("/proc/self/exe", "honeyshift", "shift", "--lab", lab, "--client", client, "--json",
              (char *)NULL);
        _exit(127);
    }
    close(out[1]);
    c->pid = p;
    c->out = out[0];
    return 0;
}

/* True when the relocation's drop flow for the attacker is on the bridge. */
static bool drops_installed(const char *bridge)
{
    uint32_t ip;
    hs_parse_ipv4(ATTACKER_IP, &ip);
    char sel[96], err[256];
    snprintf(sel, sizeof sel, "cookie=0x%016llx/-1",
             (unsigned long long)hs_mig_cookie(HS_MIG_FK_DROP, ip));
    const char *argv[] = {"ovs-ofctl", "-O", "OpenFlow13", "dump-flows", bridge, sel, NULL};
    struct hs_buf out = HS_BUF_INIT;
    int code = 1;
    bool yes = hs_run_status(argv, -1, &out, &code, err, sizeof err) == 0 && code == 0 &&
               out.len && strstr((const char *)out.data, "cookie=0x4d47");
    hs_buf_free(&out);
    return yes;
}

/* EVE reading from a remembered offset. */
struct eve_reader {
    char path[HS_PATH_MAX];
    off_t off;
    struct hs_buf part;
};

static void eve_mark(struct eve_reader *e)
{
    struct stat st;
    e->off = stat(e->path, &st) == 0 ? st.st_size : 0;
    hs_buf_clear(&e->part);
}

/* Look for the relocation event of the attacker's port among the lines appended since the
 * mark, for up to wait_ms. 1 found, 0 not (yet). */
static int eve_find(struct eve_reader *e, uint16_t port, int wait_ms,
                    struct hs_bench_reloc_event *ev)
{
    uint64_t end = hs_now_ms() + (uint64_t)wait_ms;
    for (;;) {
        int fd = open(e->path, O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            struct stat st;
            if (fstat(fd, &st) == 0 && st.st_size < e->off)
                e->off = 0; /* truncated or replaced */
            for (;;) {
                uint8_t *p = hs_buf_reserve(&e->part, 65536);
                ssize_t n = pread(fd, p, 65536, e->off);
                if (n <= 0)
                    break;
                e->part.len += (size_t)n;
                e->off += n;
            }
            close(fd);
        }
        int found = 0;
        uint8_t *nl;
        while (!found && e->part.len && (nl = memchr(e->part.data, '\n', e->part.len))) {
            size_t n = (size_t)(nl - e->part.data);
            struct hs_bench_reloc_event x;
            char err[256];
            if (hs_bench_eve_parse((const char *)e->part.data, n, &x, err, sizeof err) == 1 &&
                x.src_port == port && !strcmp(x.src_ip, ATTACKER_IP)) {
                *ev = x;
                found = 1;
            }
            hs_buf_consume(&e->part, n + 1);
        }
        if (found)
            return 1;
        if (stop_sig || hs_now_ms() >= end)
            return 0;
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

static double jnum(json_t *o, const char *k, bool *has)
{
    json_t *v = json_object_get(o, k);
    *has = json_is_number(v);
    return *has ? json_number_value(v) : 0;
}

static void from_event(const struct hs_bench_reloc_event *ev, struct hs_bench_run *r)
{
    r->relocated = !strcmp(ev->outcome, "relocated");
    hs_strlcpy(r->id, ev->id, sizeof r->id);
    for (int k = 0; k < HS_BT_COUNT; k++) {
        r->timing[k] = ev->timing[k];
        r->has_timing[k] = ev->has_timing[k];
    }
    if (!r->relocated) {
        hs_strlcpy(r->stage, ev->stage, sizeof r->stage);
        hs_snprintf(r->error, sizeof r->error, "relocation %s: %s", ev->outcome,
                 ev->reason[0] ? ev->reason : "?");
    }
}

/* The shift's JSON result into the run record. */
static void from_shift(const char *text, struct hs_bench_run *r)
{
    /* the last line is the result */
    size_t len = strlen(text);
    while (len && text[len - 1] == '\n')
        len--;
    size_t start = len;
    while (start && text[start - 1] != '\n')
        start--;
    json_t *o = len > start ? json_loadb(text + start, len - start, 0, NULL) : NULL;
    if (!json_is_object(o)) {
        hs_snprintf(r->error, sizeof r->error, "shift printed no result");
        json_decref(o);
        return;
    }
    /* through the controller: its EVE relocation event rides along (all stage timings) */
    json_t *ev = json_object_get(o, "event");
    char *evs = json_is_object(ev) ? json_dumps(ev, JSON_COMPACT) : NULL;
    struct hs_bench_reloc_event e;
    char err[256];
    if (evs && hs_bench_eve_parse(evs, strlen(evs), &e, err, sizeof err) == 1) {
        free(evs);
        json_decref(o);
        from_event(&e, r);
        return;
    }
    free(evs);
    static const struct { const char *key; enum hs_bench_timing t; } map[] = {
        {"locate_ms", HS_BT_LOCATE},     {"dump_ms", HS_BT_DUMP},
        {"transfer_ms", HS_BT_TRANSFER}, {"restore_ms", HS_BT_RESTORE},
        {"flows_ms", HS_BT_FLOWS},       {"pause_ms", HS_BT_PAUSE},
        {"total_ms", HS_BT_TOTAL},
    };
    r->relocated = json_is_true(json_object_get(o, "ok"));
    for (size_t i = 0; i < HS_ARRAY_SIZE(map); i++) {
        bool has;
        double v = jnum(o, map[i].key, &has);
        /* a failed shift reports 0 for stages it did not reach */
        if (has && (r->relocated || v > 0)) {
            r->timing[map[i].t] = v;
            r->has_timing[map[i].t] = true;
        }
    }
    const char *id = json_string_value(json_object_get(o, "id"));
    if (id)
        hs_strlcpy(r->id, id, sizeof r->id);
    if (!r->relocated) {
        const char *st = json_string_value(json_object_get(o, "stage"));
        const char *er = json_string_value(json_object_get(o, "error"));
        if (st)
            hs_strlcpy(r->stage, st, sizeof r->stage);
        hs_snprintf(r->error, sizeof r->error, "shift failed: %s", er ? er : "?");
    }
    json_decref(o);
}

struct window {
    double from, to;
};

struct bench {
    struct opts o;
    struct hs_lab_target tg;
    bool lab_built;
    char dir[64];
    char attacker_py[128], benign_py[128], samples[128], errlog[128];
    char bridge[HS_NAME_MAX + 8];
    uint16_t svc_port;
    struct eve_reader eve;
    struct hs_bench_run *runs;
    size_t n_runs;
    struct window *during, *quiet;
    double last_d;
};

/* One relocation; fills r. -1 when the benchmark cannot go on (stop or clients broken). */
static int one_run(struct bench *b, unsigned i, struct hs_bench_run *r)
{
    memset(r, 0, sizeof *r);
    r->run = i;
    char port_s[8], timeout_s[16], err[512];
    snprintf(port_s, sizeof port_s, "%u", (unsigned)b->svc_port);
    snprintf(timeout_s, sizeof timeout_s, "%.1f", b->o.timeout);
    char *argv[] = {"python3", b->attacker_py, SERVER_IP, port_s, PROD_MARK, DECOY_MARK,
                    (char *)(!strcmp(b->o.trigger, "ips") ? "ips" : "operator"), timeout_s,
                    NULL};
    struct child att, sh = {.pid = -1, .in = -1, .out = -1};
    if (child_start(&b->tg, "attacker", argv, b->errlog, &att, err, sizeof err) != 0) {
        fprintf(stderr, "honeyshift bench: attacker: %s\n", err);
        return -1;
    }
    int rc = 0;
    char *line;
    size_t len;
    struct hs_bench_att ready, res;
    memset(&res, 0, sizeof res);
    int got = child_line(&att, 10000, &line, &len);
    if (got != 1 || hs_bench_att_parse(line, len, &ready, err, sizeof err) != 0 ||
        ready.kind != HS_BENCH_ATT_READY) {
        hs_snprintf(r->error, sizeof r->error, "attacker did not connect (%s; see %s)",
                 got == 1 ? err : "no answer", b->errlog);
        rc = stop_sig ? -1 : 0;
        goto out;
    }
    if (!ready.benign_prod) {
        hs_snprintf(r->error, sizeof r->error, "the benign request was not answered by production");
        goto out;
    }
    double t_ready = wall_s();
    double idle = b->o.idle;
    if (b->last_d * 1.2 + 0.1 > idle)
        idle = b->last_d * 1.2 + 0.1;
    nap(idle);
    if (stop_sig) {
        rc = -1;
        goto out;
    }
    eve_mark(&b->eve);
    if (!strcmp(b->o.trigger, "operator")) {
        if (shift_start(b->tg.topo->lab, ready.port, &sh, err, sizeof err) != 0) {
            hs_snprintf(r->error, sizeof r->error, "shift: %s", err);
            goto out;
        }
        /* the request goes out once the drops are on the switch (else production answers) */
        uint64_t end = hs_now_ms() + 5000;
        while (!stop_sig && hs_now_ms() < end && !drops_installed(b->bridge) &&
               waitpid(sh.pid, NULL, WNOHANG) == 0)
            ;
    }
    child_send(&att, "go\n");
    got = child_line(&att, (int)(b->o.timeout * 1000) + 5000, &line, &len);
    if (got != 1 || hs_bench_att_parse(line, len, &res, err, sizeof err) != 0 ||
        res.kind != HS_BENCH_ATT_RESULT) {
        hs_snprintf(r->error, sizeof r->error, "no result from the attacker (%s)",
                 got == 1 ? err : "no answer");
        memset(&res, 0, sizeof res);
    }
    if (!strcmp(b->o.trigger, "operator")) {
        /* the shift's output: read to EOF */
        struct hs_buf all = HS_BUF_INIT;
        while (child_line(&sh, 10000, &line, &len) == 1) {
            hs_buf_put(&all, line, len);
            hs_buf_put(&all, "\n", 1);
        }
        hs_buf_put(&all, "", 1);
        char keep[256];
        hs_strlcpy(keep, r->error, sizeof keep);
        from_shift((const char *)all.data, r);
        if (keep[0])
            hs_strlcpy(r->error, keep, sizeof r->error);
        hs_buf_free(&all);
        child_end(&sh, 10000);
    } else {
        struct hs_bench_reloc_event ev;
        if (eve_find(&b->eve, ready.port, 5000, &ev) == 1) {
            char keep[256];
            hs_strlcpy(keep, r->error, sizeof keep);
            from_event(&ev, r);
            if (keep[0])
                hs_strlcpy(r->error, keep, sizeof r->error);
        } else if (!r->error[0]) {
            hs_snprintf(r->error, sizeof r->error, "no relocation event for port %u in %s",
                     (unsigned)ready.port, b->eve.path);
        }
    }
    r->same_conn = res.kind == HS_BENCH_ATT_RESULT && res.first_byte > 0 && !res.error[0];
    r->decoy = res.decoy && !res.prod;
    r->after_decoy = res.after_decoy;
    if (res.first_byte > 0 && res.sent > 0) {
        r->has_pause = true;
        r->pause_ms = (res.first_byte - res.sent) * 1000;
    }
    r->ok = r->relocated && r->same_conn && r->decoy && r->after_decoy;
    if (!r->ok && !r->error[0])
        hs_snprintf(r->error, sizeof r->error, "%s",
                 res.error[0] ? res.error
                 : !r->relocated ? "not relocated"
                 : res.prod ? "answered by production"
                 : !r->decoy ? "answer without the decoy content"
                 : "follow-up request not answered by the honeypot");
    else if (!r->ok && res.error[0] && !strstr(r->error, res.error))
        hs_snprintf(r->error + strlen(r->error), sizeof r->error - strlen(r->error),
                    "; attacker: %s", res.error);
    /* benign windows: during = from the request as long as the relocation or the answer took
     * plus 100 ms; undisturbed = the same length ending 50 ms before the request */
    if (res.sent > 0) {
        double d = r->has_timing[HS_BT_TOTAL] ? r->timing[HS_BT_TOTAL] / 1000 : 0;
        double a = res.done > res.sent ? res.done - res.sent : b->o.timeout;
        d = (d > a ? d : a) + 0.1;
        b->during[b->n_runs] = (struct window){res.sent, res.sent + d};
        double qf = res.sent - 0.05 - d;
        b->quiet[b->n_runs] = (struct window){qf > t_ready ? qf : t_ready, res.sent - 0.05};
        b->last_d = d;
    }
out:
    child_end(&att, 3000);
    if (sh.pid > 0)
        child_end(&sh, 10000);
    /* reset the attacker for the next run (also after a failure: the drops stay otherwise) */
    const char *un[] = {"unshift", "--lab", b->tg.topo->lab, "--client", ATTACKER_IP, NULL};
    struct hs_buf o = HS_BUF_INIT;
    int code = self_run(un, &o, err, sizeof err);
    hs_buf_free(&o);
    if (code != 0)
        fprintf(stderr, "honeyshift bench: run %u: unshift failed (%d): %s\n", i, code,
                code < 0 ? err : "see its message above");
    return stop_sig ? -1 : rc;
}

/* The benign client's samples file: all lines parsed. */
static struct hs_bench_sample *read_samples(const char *path, size_t *n)
{
    *n = 0;
    FILE *f = fopen(path, "re");
    if (!f)
        return NULL;
    size_t cap = 0;
    struct hs_bench_sample *s = NULL;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    while ((len = getline(&line, &lcap, f)) > 0) {
        if (line[len - 1] == '\n')
            len--;
        struct hs_bench_sample x;
        if (hs_bench_sample_parse(line, (size_t)len, &x) != 0)
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 1024;
            s = xreallocarray(s, cap, sizeof *s);
        }
        s[(*n)++] = x;
    }
    free(line);
    fclose(f);
    return s;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
    *o = (struct opts){.lab = "hsbr", .rate = 200, .idle = 1, .timeout = 5, .port = 6690};
    static const struct option lo[] = {
        {"service", 1, 0, 's'}, {"runs", 1, 0, 'n'}, {"json", 0, 0, 'j'},
        {"trigger", 1, 0, 'T'}, {"rate", 1, 0, 'r'}, {"idle", 1, 0, 'i'},
        {"timeout", 1, 0, 'w'}, {"lab", 1, 0, 'l'}, {"port", 1, 0, 'p'},
        {"keep-lab", 0, 0, 'k'}, {"help", 0, 0, 'h'}, {0, 0, 0, 0}};
    int ch;
    uint64_t u;
    char *end;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        double *dv = NULL, lo_v = 0, hi_v = 0;
        switch (ch) {
        case 's': o->service = optarg; break;
        case 'j': o->json = true; break;
        case 'k': o->keep = true; break;
        case 'l': o->lab = optarg; break;
        case 'T':
            if (strcmp(optarg, "ips") && strcmp(optarg, "operator")) {
                fprintf(stderr, "honeyshift bench: --trigger: ips or operator\n");
                return EXIT_USAGE;
            }
            o->trigger = optarg;
            break;
        case 'n':
            if (!hs_parse_u64(optarg, 10000, &u) || u == 0) {
                fprintf(stderr, "honeyshift bench: --runs: need 1..10000\n");
                return EXIT_USAGE;
            }
            o->runs = (unsigned)u;
            break;
        case 'p':
            if (!hs_parse_u64(optarg, 65535, &u) || u == 0) {
                fprintf(stderr, "honeyshift bench: --port: need 1..65535\n");
                return EXIT_USAGE;
            }
            o->port = (uint16_t)u;
            break;
        case 'r': dv = &o->rate; lo_v = 1; hi_v = 1000; break;
        case 'i': dv = &o->idle; lo_v = 0.2; hi_v = 60; break;
        case 'w': dv = &o->timeout; lo_v = 1; hi_v = 60; break;
        case 'h': fputs(help, stdout); return 0;
        default: fputs(help, stderr); return EXIT_USAGE;
        }
        if (dv) {
            errno = 0;
            double v = strtod(optarg, &end);
            if (errno || end == optarg || *end || !(v >= lo_v && v <= hi_v)) {
                fprintf(stderr, "honeyshift bench: --%s: need %g..%g\n",
                        ch == 'r' ? "rate" : ch == 'i' ? "idle" : "timeout", lo_v, hi_v);
                return EXIT_USAGE;
            }
            *dv = v;
        }
    }
    if (optind != argc || !o->service || !o->runs ||
        (strcmp(o->service, "nginx") && strcmp(o->service, "flask") &&
         strcmp(o->service, "node"))) {
        fprintf(stderr, "honeyshift bench relocation: need --service nginx|flask|node and "
                        "--runs N (see --help)\n");
        return EXIT_USAGE;
    }
    return -1;
}

/* The topology text; also decides the default trigger (ips when on_attack parses). */
static char *make_topology(struct opts *o, const char **note)
{
    struct hs_bench_topo_opts to = {.lab = o->lab, .controller_port = o->port,
                                    .kind = o->service, .ips = true, .relocate = true,
                                    .prod_content = PROD_MARK, .decoy_content = DECOY_MARK};
    *note = NULL;
    to.relocate = false;
    char *plain = hs_bench_topology_yaml(&to);
    if (!plain)
        return NULL;
    struct hs_topology *pt = NULL;
    struct hs_cfg_err pe;
    if (hs_topology_parse(plain, strlen(plain), "<bench topology>", &pt, &pe) != 0) {
        fprintf(stderr, "honeyshift bench: %s\n", pe.msg);
        free(plain);
        return NULL;
    }
    hs_topology_free(pt);
    to.relocate = true;
    if (!o->trigger || !strcmp(o->trigger, "ips")) {
        char *y = hs_bench_topology_yaml(&to);
        struct hs_topology *t = NULL;
        struct hs_cfg_err ce;
        if (y && hs_topology_parse(y, strlen(y), "<bench topology>", &t, &ce) == 0) {
            hs_topology_free(t);
            o->trigger = "ips";
            free(plain);
            return y;
        }
        free(y);
        if (o->trigger) {
            fprintf(stderr, "honeyshift bench: the ips trigger needs ips.on_attack: relocate, "
                            "which this build does not know: %s\n", ce.msg);
            free(plain);
            return NULL;
        }
        o->trigger = "operator";
        *note = "ips.on_attack: relocate is not supported by this build: operator trigger "
                "(honeyshift shift), no held-request re-injection";
    }
    return plain;
}

static int bench_relocation(int argc, char **argv)
{
    struct bench b;
    memset(&b, 0, sizeof b);
    int prc = parse_opts(argc, argv, &b.o);
    if (prc >= 0)
        return prc;
    if (geteuid() != 0) {
        fprintf(stderr, "honeyshift bench: needs root (namespaces, Open vSwitch, CRIU)\n");
        return 1;
    }
    size_t ll = strlen(b.o.lab);
    if (ll == 0 || ll > 4 || strspn(b.o.lab, "abcdefghijklmnopqrstuvwxyz0123456789-") != ll ||
        b.o.lab[0] == '-') {
        fprintf(stderr, "honeyshift bench: --lab: 1 to 4 characters [a-z0-9-]\n");
        return EXIT_USAGE;
    }
    const char *note;
    char *yaml = make_topology(&b.o, &note);
    if (!yaml)
        return 1;
    if (note)
        fprintf(stderr, "honeyshift bench: %s\n", note);

    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    struct sigaction old_int, old_term, old_pipe;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    /* a client that died must not kill the benchmark before its clean-up (writes fail instead) */
    struct sigaction ign = {.sa_handler = SIG_IGN};
    sigemptyset(&ign.sa_mask);
    sigaction(SIGPIPE, &ign, &old_pipe);

    int rc = 1;
    char err[1024], topo_path[128];
    struct child benign = {.pid = -1, .in = -1, .out = -1};
    struct hs_bench_sample *samples = NULL;
    double *during = NULL, *quiet = NULL;
    hs_strlcpy(b.dir, "/tmp/hs-bench.XXXXXX", sizeof b.dir);
    if (!mkdtemp(b.dir)) {
        fprintf(stderr, "honeyshift bench: mkdtemp: %s\n", strerror(errno));
        free(yaml);
        goto restore_signals;
    }
    snprintf(topo_path, sizeof topo_path, "%s/topology.yaml", b.dir);
    snprintf(b.attacker_py, sizeof b.attacker_py, "%s/bench_attacker.py", b.dir);
    snprintf(b.benign_py, sizeof b.benign_py, "%s/bench_benign.py", b.dir);
    snprintf(b.samples, sizeof b.samples, "%s/benign.samples", b.dir);
    snprintf(b.errlog, sizeof b.errlog, "%s/clients.err", b.dir);
    int w = write_file(topo_path, yaml, 0644, err, sizeof err);
    free(yaml);
    if (w != 0 || write_file(b.attacker_py, hs_bench_attacker_py, 0644, err, sizeof err) != 0 ||
        write_file(b.benign_py, hs_bench_benign_py, 0644, err, sizeof err) != 0) {
        fprintf(stderr, "honeyshift bench: %s\n", err);
        goto cleanup;
    }
    if (hs_lab_target_resolve(topo_path, NULL, HS_LAB_FOR_UP, &b.tg, err, sizeof err) != 0) {
        fprintf(stderr, "honeyshift bench: %s\n", err);
        goto cleanup;
    }
    const struct hs_topology *t = b.tg.topo;
    b.svc_port = hs_topology_host(t, "web")->services[0].port;
    snprintf(b.bridge, sizeof b.bridge, "%s", t->switches[0].name);
    if (!hs_strlcpy(b.eve.path, t->controller.eve_log[0] ? t->controller.eve_log : "",
                    sizeof b.eve.path) || !b.eve.path[0])
        hs_snprintf(b.eve.path, sizeof b.eve.path, "%s/eve.json", t->state_dir);

    fprintf(stderr, "honeyshift bench: lab %s (%s, trigger %s) coming up...\n", t->lab,
            b.o.service, b.o.trigger);
    uint64_t t0 = hs_now_ms();
    hs_lab_down(&b.tg, NULL, err, sizeof err);      /* leftovers of an interrupted run */
    b.lab_built = true;
    struct hs_lab_opts lo = {.ready_timeout_ms = 30000, .progress = NULL};
    /* lab up completes a partly built lab: on a loaded machine a daemon may miss its start
     * limit once */
    int up = -1;
    for (int attempt = 1; attempt <= 3 && up != 0 && !stop_sig; attempt++) {
        up = hs_lab_up(&b.tg, &lo, err, sizeof err);
        if (up != 0)
            fprintf(stderr, "honeyshift bench: lab up (attempt %d of 3): %s\n", attempt, err);
    }
    if (up != 0)
        goto cleanup;
    fprintf(stderr, "honeyshift bench: lab up in %.1f s\n", (double)(hs_now_ms() - t0) / 1000);

    char port_s[8], rate_s[16], max_s[32];
    snprintf(port_s, sizeof port_s, "%u", (unsigned)b.svc_port);
    snprintf(rate_s, sizeof rate_s, "%g", b.o.rate);
    snprintf(max_s, sizeof max_s, "%u", 60 + b.o.runs * 30);
    char *bargv[] = {"python3", b.benign_py, SERVER_IP, port_s, rate_s, b.samples, max_s, NULL};
    if (child_start(&b.tg, "client", bargv, b.errlog, &benign, err, sizeof err) != 0) {
        fprintf(stderr, "honeyshift bench: benign client: %s\n", err);
        goto cleanup;
    }
    nap(1.0);

    b.runs = xcalloc(b.o.runs, sizeof *b.runs);
    b.during = xcalloc(b.o.runs, sizeof *b.during);
    b.quiet = xcalloc(b.o.runs, sizeof *b.quiet);
    for (unsigned i = 1; i <= b.o.runs && !stop_sig; i++) {
        struct hs_bench_run *r = &b.runs[b.n_runs];
        int orc = one_run(&b, i, r);
        if (stop_sig)
            break;
        b.n_runs++;
        if (r->ok)
            fprintf(stderr, "run %u/%u: ok, pause %.1f ms, dump %.1f, transfer %.1f, restore "
                    "%.1f, total %.1f ms\n", i, b.o.runs, r->pause_ms, r->timing[HS_BT_DUMP],
                    r->timing[HS_BT_TRANSFER], r->timing[HS_BT_RESTORE], r->timing[HS_BT_TOTAL]);
        else
            fprintf(stderr, "run %u/%u: FAILED%s%s: %s\n", i, b.o.runs,
                    r->stage[0] ? " at " : "", r->stage, r->error);
        if (b.o.json) {
            char *js = hs_bench_run_json(b.o.service, b.o.trigger, r);
            printf("%s\n", js);
            fflush(stdout);
            free(js);
        }
        if (orc < 0)
            break;
    }

    child_end(&benign, 5000);
    size_t ns = 0, n_during = 0, n_quiet = 0, e_during = 0, e_quiet = 0, errors = 0;
    samples = read_samples(b.samples, &ns);
    for (size_t i = 0; i < ns; i++)
        errors += !samples[i].ok;
    during = xcalloc(ns ? ns : 1, sizeof *during);
    quiet = xcalloc(ns ? ns : 1, sizeof *quiet);
    /* windows never overlap (one run after another), so no sample is counted twice */
    for (size_t i = 0; i < b.n_runs; i++) {
        if (b.during[i].to > b.during[i].from)
            hs_bench_window(samples, ns, b.during[i].from, b.during[i].to, during, &n_during,
                            &e_during);
        if (b.quiet[i].to > b.quiet[i].from)
            hs_bench_window(samples, ns, b.quiet[i].from, b.quiet[i].to, quiet, &n_quiet,
                            &e_quiet);
    }
    struct hs_bench_summary_in si = {
        .service = b.o.service, .trigger = b.o.trigger, .runs_planned = b.o.runs,
        .runs = b.runs, .n_runs = b.n_runs, .benign_during = during, .benign_quiet = quiet,
        .n_during = n_during, .n_quiet = n_quiet, .err_during = e_during, .err_quiet = e_quiet,
        .benign_total = ns, .benign_errors = errors, .note = note};
    struct hs_buf sum = HS_BUF_INIT;
    hs_bench_summary(&si, &sum);
    fwrite(sum.data, 1, sum.len, stdout);
    fflush(stdout);
    hs_buf_free(&sum);
    rc = stop_sig ? 130 : 0;

cleanup:
    child_end(&benign, 3000);
    if (b.lab_built && !b.o.keep) {
        fprintf(stderr, "honeyshift bench: removing lab %s\n", b.tg.topo->lab);
        if (hs_lab_down(&b.tg, NULL, err, sizeof err) != 0) {
            fprintf(stderr, "honeyshift bench: lab down: %s\n", err);
            if (rc == 0)
                rc = 1;
        }
        /* the agents' image directories stay behind empty (lab down leaves them): only empty
         * ones are removed */
        for (size_t i = 0; i < b.tg.topo->n_hosts; i++) {
            char shm[HS_PATH_MAX];
            if (hs_snprintf(shm, sizeof shm, "/dev/shm/honeyshift-%s-%s", b.tg.topo->lab,
                            b.tg.topo->hosts[i].name))
                rmdir(shm);
        }
    } else if (b.lab_built) {
        fprintf(stderr, "honeyshift bench: lab %s left running (honeyshift lab down --lab %s); "
                "clients' files in %s\n", b.tg.topo->lab, b.tg.topo->lab, b.dir);
    }
    if (b.tg.topo)
        hs_lab_target_free(&b.tg);
    if (b.dir[0] && b.dir[0] == '/' && !b.o.keep) {
        unlink(b.attacker_py);
        unlink(b.benign_py);
        unlink(b.samples);
        unlink(b.errlog);
        unlink(topo_path);
        rmdir(b.dir);
    }
    free(samples);
    free(during);
    free(quiet);
    free(b.runs);
    free(b.during);
    free(b.quiet);
    hs_buf_free(&b.eve.part);
restore_signals:
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGPIPE, &old_pipe, NULL);
    return rc;
}

int cmd_bench(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "relocation"))
        return bench_relocation(argc - 1, argv + 1);
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(help, stdout);
        return 0;
    }
    fprintf(stderr, "usage: honeyshift bench relocation --service nginx|flask|node --runs N "
                    "[--json] (see honeyshift bench relocation --help)\n");
    return EXIT_USAGE;
}
