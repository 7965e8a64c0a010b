/* reloc.c - the controller runs relocations: per-attacker lock, one forked worker per attempt
 * (hs_shift_run, result over a pipe into the event loop), the relocation's flows through the
 * OpenFlow session (answered after the BARRIER_REPLY), re-injection of the held request as
 * PACKET_OUT, first honeypot byte by polling the honeypot->attacker flow's counters, and one EVE
 * `relocation` event per attempt (docs/relocation.md). */
#include "ctl/controller.h"
#include "common/buf.h"
#include "common/log.h"
#include "common/util.h"
#include "ctl/flowcmd.h"
#include "mig/shift.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_FRAMES 64
#define MAX_FRAME_LEN 9216
#define FIRST_BYTE_WAIT_MS 1000    /* give up timing the honeypot's first packet after this */
#define WATCHDOG_EXTRA_MS 10000     /* the worker's own roll-back may take up to ~5 s */

enum wait_kind { W_HOLD, W_FLOWS, W_OPEN };

struct reloc_wait {
    struct reloc_wait *next;
    struct sw_conn *s;
    uint32_t xid;
    int fd;                         /* control client waiting (-1: none) */
    enum wait_kind kind;
    uint32_t ip;
    uint64_t t0_ns;
};

struct reloc_run {
    struct reloc_run *next;
    struct controller *c;
    uint32_t ip;
    uint16_t client_port;
    struct hs_reloc_target tg;
    struct hs_reloc_event ev;
    uint64_t t_detect_ns, t_verdict_ns, t_block_ns, t_done_ns, t_fork_ns;
    size_t n_frames;
    uint8_t *frames[MAX_FRAMES];
    size_t flen[MAX_FRAMES];
    pid_t pid;
    int pipe_fd, reply_fd;
    struct hs_buf rx;
    json_t *result;
    bool worker_done;
    uint64_t watchdog_ms;
    /* re-injection and first byte */
    uint64_t t_reinject_ns, t_first_ns;
    double reinject_ms;
    unsigned reinjected;
    bool fb_wait;
    uint64_t fb_timer;              /* first-byte wait limit (0: none) */
    struct sw_conn *fb_conn;
};

/* relocation.max_concurrent (8 when a topology was built without the parser's defaults) */
static unsigned max_running(const struct controller *c)
{
    return c->topo->relocation.max_concurrent ? c->topo->relocation.max_concurrent : 8;
}

static double ms_between(uint64_t a_ns, uint64_t b_ns)
{
    return b_ns >= a_ns ? (double)(b_ns - a_ns) / 1e6 : 0;
}

static struct reloc_run *run_find(struct controller *c, uint32_t ip)
{
    for (struct reloc_run *r = c->runs; r; r = r->next)
        if (r->ip == ip)
            return r;
    return NULL;
}

/* ---- OpenFlow helpers ---- */

static uint32_t send_barrier(struct sw_conn *s)
{
    struct ofp_msg m;
    ofp_msg_init(&m, OFPT_BARRIER_REQUEST, 0);
    return sw_conn_send(s, &m);
}

static void add_wait(struct controller *c, struct sw_conn *s, uint32_t xid, int fd,
                     enum wait_kind kind, uint32_t ip)
{
    struct reloc_wait *w = xcalloc(1, sizeof *w);
    *w = (struct reloc_wait){.next = c->waits, .s = s, .xid = xid, .fd = fd, .kind = kind,
                             .ip = ip, .t0_ns = hs_now_ns()};
    c->waits = w;
}

static void install(struct sw_conn *s, const struct hs_flowset *fs)
{
    struct ofp_msg m;
    for (size_t i = 0; i < fs->n; i++) {
        hs_flow_to_mod(&fs->v[i], OFPFC_ADD, 0, &m);
        sw_conn_send(s, &m);
    }
}

/* Delete the client's relocation rules of one kind (0: all kinds). */
static void delete_kind(struct sw_conn *s, unsigned kind, uint32_t ip)
{
    struct ofp_msg m;
    uint64_t mask;
    uint64_t cookie = hs_reloc_cookie(kind, ip, &mask);
    hs_flow_delete_by_cookie(cookie, mask, OFPTT_ALL, &m);
    sw_conn_send(s, &m);
}

/* The honeypot->client rule without the copy to the controller (first byte seen or given
 * up). */
static void hp2c_quiet(struct reloc_run *r)
{
    struct sw_conn *s = r->fb_conn;
    r->fb_conn = NULL;
    if (!s)
        return;
    struct hs_flowset fs = {0};
    hs_reloc_flow_hp2c(&r->tg, false, &fs);
    install(s, &fs); /* ADD of the same entry replaces its actions */
    hs_flowset_free(&fs);
    sw_conn_flush(s);
}

/* ---- the EVE event and the end of an attempt ---- */

static void write_eve(struct controller *c, const char *line)
{
    int fd = open(c->topo->controller.eve_log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0) {
        LOG_WARN("cannot open %s for the relocation event: %s", c->topo->controller.eve_log,
                 strerror(errno));
        return;
    }
    size_t n = strlen(line);
    char *buf = xmalloc(n + 1);
    memcpy(buf, line, n);
    buf[n] = '\n';
    if (write(fd, buf, n + 1) != (ssize_t)(n + 1)) /* one write: lines never interleave */
        LOG_WARN("cannot write the relocation event to %s", c->topo->controller.eve_log);
    free(buf);
    close(fd);
}

static double jnum(const json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_number(v) ? json_number_value(v) : 0;
}

static void run_free(struct reloc_run *r)
{
    struct controller *c = r->c;
    for (struct reloc_run **p = &c->runs; *p; p = &(*p)->next)
        if (*p == r) {
            *p = r->next;
            break;
        }
    if (r->pipe_fd >= 0) {
        evloop_del_fd(c->loop, r->pipe_fd);
        close(r->pipe_fd);
    }
    if (r->reply_fd >= 0)
        ctl_reply(r->reply_fd, ctl_error_json("relocation abandoned (controller stopping)"));
    if (r->fb_timer)
        evloop_del_timer(c->loop, r->fb_timer);
    for (size_t i = 0; i < r->n_frames; i++)
        free(r->frames[i]);
    hs_buf_free(&r->rx);
    json_decref(r->result);
    free(r);
}

/* Everything known: timings, event, answer, lock state. */
static void run_finish(struct reloc_run *r)
{
    struct controller *c = r->c;
    struct hs_reloc_event *e = &r->ev;
    json_t *res = r->result;
    e->ok = res && json_is_true(json_object_get(res, "ok"));
    if (res) {
        const char *st = json_string_value(json_object_get(res, "stage"));
        const char *er = json_string_value(json_object_get(res, "error"));
        const char *wa = json_string_value(json_object_get(res, "warning"));
        const char *rb = json_string_value(json_object_get(res, "rollback_error"));
        if (!e->ok) {
            hs_strlcpy(e->stage, st ? st : "connect", sizeof e->stage);
            snprintf(e->reason, sizeof e->reason, "%s%s%s", er ? er : "failed",
                     rb ? "; roll-back: " : "", rb ? rb : "");
        } else if (wa) {
            hs_strlcpy(e->reason, wa, sizeof e->reason);
        }
        e->pid = (long)jnum(res, "prod_pid");
        e->host_pid = (long)jnum(res, "prod_host_pid");
        e->restored_pid = (long)jnum(res, "restored_pid");
        e->image_bytes = (uint64_t)jnum(res, "image_bytes");
        e->closed_others = (unsigned)jnum(res, "closed_others");
        static const struct { int t; const char *k; } map[] = {
            {HS_RT_LOCATE, "locate_ms"}, {HS_RT_DUMP, "dump_ms"},
            {HS_RT_TRANSFER, "transfer_ms"}, {HS_RT_RESTORE, "restore_ms"},
            {HS_RT_FLOWS, "flows_ms"}};
        for (size_t i = 0; i < HS_ARRAY_SIZE(map); i++)
            if (jnum(res, map[i].k) > 0)
                e->t[map[i].t] = jnum(res, map[i].k);
    } else if (!e->stage[0]) {
        hs_strlcpy(e->stage, "connect", sizeof e->stage);
        hs_strlcpy(e->reason, "the relocation worker ended without a result", sizeof e->reason);
    }
    if (!e->operator_trigger && r->t_verdict_ns)
        e->t[HS_RT_DETECT] = ms_between(r->t_detect_ns, r->t_verdict_ns);
    if (r->t_block_ns)
        e->t[HS_RT_HOLD] = ms_between(r->t_verdict_ns ? r->t_verdict_ns : r->t_detect_ns,
                                      r->t_block_ns);
    if (r->t_reinject_ns)
        e->t[HS_RT_REINJECT] = r->reinject_ms;
    if (r->t_first_ns && r->t_reinject_ns) {
        e->t[HS_RT_FIRST_BYTE] = ms_between(r->t_reinject_ns, r->t_first_ns);
        e->t[HS_RT_PAUSE] = ms_between(r->t_detect_ns, r->t_first_ns);
    }
    uint64_t end = r->t_done_ns ? r->t_done_ns : hs_now_ns();
    if (r->t_first_ns > end)
        end = r->t_first_ns;
    e->t[HS_RT_TOTAL] = ms_between(r->t_detect_ns, end);
    e->wall_us = hs_wall_us();
    if (e->ok && !r->t_first_ns && !e->reason[0])
        hs_strlcpy(e->reason, r->reinjected ? "no honeypot packet seen within 1 s of the "
                   "re-injection" : "no held frame to re-inject",
                   sizeof e->reason);
    char *line = hs_reloc_event_json(e);
    write_eve(c, line);
    struct hs_reloc_lock *lk = hs_reloc_lock_find(&c->locks, r->ip);
    if (lk)
        lk->state = e->ok ? HS_RELOC_RELOCATED : HS_RELOC_FAILED;
    char a[16];
    hs_format_ipv4(r->ip, a);
    if (e->ok) {
        c->relocs_ok++;
        LOG_WARN("relocation %s of %s:%u to %s: relocated (pause %.1f ms, total %.1f ms; worker "
                 "forked %.1f ms after the detection, agents connected after %.1f ms)", e->id, a,
                 (unsigned)r->client_port, e->to, e->t[HS_RT_PAUSE], e->t[HS_RT_TOTAL],
                 ms_between(r->t_detect_ns, r->t_fork_ns), jnum(res, "connect_ms"));
    } else {
        c->relocs_failed++;
        LOG_WARN("relocation %s of %s:%u: FAILED at %s (%s); attacker stays blocked", e->id, a,
                 (unsigned)r->client_port, e->stage, e->reason);
    }
    if (r->reply_fd >= 0) {
        json_t *ans = json_pack("{s:b, s:s}", "ok", e->ok, "id", e->id);
        json_t *ev = json_loads(line, 0, NULL);
        if (!ans)
            abort();
        if (ev)
            json_object_set_new(ans, "event", ev);
        if (res)
            json_object_set(ans, "result", res);
        if (!e->ok)
            json_object_set_new(ans, "error", json_string(e->reason));
        ctl_reply(r->reply_fd, ans);
        r->reply_fd = -1;
    }
    free(line);
    run_free(r);
}

static void maybe_finish(struct reloc_run *r)
{
    if (r->worker_done && !r->fb_wait)
        run_finish(r);
}

/* ---- the worker ---- */

static void worker_main(struct controller *c, struct reloc_run *r, int wfd)
{
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    setsid(); /* a signal to the controller's process group does not take the worker along:
               * it must finish or roll back on its own */
    signal(SIGPIPE, SIG_IGN);
    hs_log_set_stream(NULL); /* the controller's log file is closed below */
    if (wfd != 3) {
        if (dup2(wfd, 3) != 3)
            _exit(1);
        wfd = 3;
    }
    syscall(SYS_close_range, 4u, ~0u, 0u); /* OpenFlow sessions, listening sockets: not ours */
    struct hs_shift_req rq = {.t = c->topo, .from = r->tg.prod->name, .to = r->tg.hp->name,
                              .client_ip = r->ip, .client_port = r->client_port,
                              .server_port = r->tg.svc->port,
                              .deadline_ms = c->topo->relocation.deadline_ms,
                              .ctl_socket = c->topo->controller.control_socket, .id = r->ev.id};
    struct hs_shift_result res;
    hs_shift_run(&rq, &res);
    char *s = hs_shift_result_json(&res);
    size_t n = strlen(s), off = 0;
    s[n] = '\n'; /* replaces the NUL: written by length */
    while (off < n + 1) {
        ssize_t w = write(wfd, s + off, n + 1 - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    _exit(0);
}

static void worker_done(struct reloc_run *r, const char *why)
{
    if (r->worker_done)
        return;
    r->worker_done = true;
    r->t_done_ns = hs_now_ns();
    if (r->pipe_fd >= 0) {
        evloop_del_fd(r->c->loop, r->pipe_fd);
        close(r->pipe_fd);
        r->pipe_fd = -1;
    }
    if (r->pid > 0) {
        int st;
        waitpid(r->pid, &st, 0);
        r->pid = 0;
    }
    /* the last complete line is the result */
    char *text = NULL;
    if (r->rx.len) {
        hs_buf_put(&r->rx, "", 1);
        text = (char *)r->rx.data;
    }
    if (text) {
        char *nl = strchr(text, '\n');
        if (nl)
            *nl = '\0';
        json_error_t je;
        r->result = json_loads(text, 0, &je);
        if (r->result && !json_is_object(r->result)) {
            json_decref(r->result);
            r->result = NULL;
        }
    }
    if (!r->result) {
        hs_strlcpy(r->ev.stage, why && !strcmp(why, "deadline") ? "deadline" : "connect",
                   sizeof r->ev.stage);
        snprintf(r->ev.reason, sizeof r->ev.reason, "relocation worker: %s",
                 why ? why : "ended without a result");
    }
    if (!r->result || !json_is_true(json_object_get(r->result, "ok")))
        r->fb_wait = false; /* nothing to wait for */
    maybe_finish(r);
}

static void on_worker_pipe(struct evloop *l, int fd, unsigned events, void *ctx)
{
    struct reloc_run *r = ctx;
    (void)l;
    (void)events;
    for (;;) {
        uint8_t *p = hs_buf_reserve(&r->rx, 4096);
        ssize_t n = read(fd, p, 4096);
        if (n > 0) {
            r->rx.len += (size_t)n;
            if (r->rx.len > (1u << 20)) {
                worker_done(r, "oversized result");
                return;
            }
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        worker_done(r, NULL); /* EOF: the worker exited */
        return;
    }
}

/* Start an attempt: event basics, hold barrier, worker. The lock is taken by the caller. */
static void run_start(struct controller *c, const struct hs_reloc_target *tg, uint32_t ip,
                      uint16_t client_port, bool operator_trigger, uint32_t sid, const char *msg,
                      const json_t *frames, uint64_t t_detect_ns, uint64_t t_verdict_ns,
                      int reply_fd)
{
    struct reloc_run *r = xcalloc(1, sizeof *r);
    r->c = c;
    r->ip = ip;
    r->client_port = client_port;
    r->tg = *tg;
    r->pipe_fd = -1;
    r->reply_fd = reply_fd;
    r->t_detect_ns = t_detect_ns;
    r->t_verdict_ns = t_verdict_ns;
    r->fb_wait = true; /* until the worker fails or the first byte is seen/timed out */
    struct hs_reloc_event *e = &r->ev;
    hs_reloc_event_init(e);
    static unsigned seq;
    snprintf(e->id, sizeof e->id, "r%llx-%x", (unsigned long long)hs_wall_us(), ++seq & 0xffff);
    e->src_ip = ip;
    e->src_port = client_port;
    e->dest_ip = tg->prod->ip;
    e->dest_port = tg->svc->port;
    e->operator_trigger = operator_trigger;
    hs_strlcpy(e->service, tg->svc->name, sizeof e->service);
    hs_strlcpy(e->kind, hs_service_kind_name(tg->svc->kind), sizeof e->kind);
    hs_strlcpy(e->from, tg->prod->name, sizeof e->from);
    hs_strlcpy(e->to, tg->hp->name, sizeof e->to);
    e->sid = sid;
    hs_strlcpy(e->signature, msg ? msg : "", sizeof e->signature);
    r->n_frames = hs_reloc_parse_frames(frames, r->frames, r->flen, MAX_FRAMES, MAX_FRAME_LEN);
    r->next = c->runs;
    c->runs = r;
    c->relocs_started++;
    struct sw_conn *s = sw_conn_ready(c, tg->sw);
    if (s) {
        add_wait(c, s, send_barrier(s), -1, W_HOLD, ip);
        sw_conn_flush(s);
    }
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0) {
        hs_strlcpy(e->stage, "connect", sizeof e->stage);
        snprintf(e->reason, sizeof e->reason, "pipe: %s", strerror(errno));
        r->worker_done = true;
        r->fb_wait = false;
        run_finish(r);
        return;
    }
    r->t_fork_ns = hs_now_ns();
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        worker_main(c, r, p[1]);
    }
    close(p[1]);
    if (pid < 0) {
        close(p[0]);
        hs_strlcpy(e->stage, "connect", sizeof e->stage);
        snprintf(e->reason, sizeof e->reason, "fork: %s", strerror(errno));
        r->worker_done = true;
        r->fb_wait = false;
        run_finish(r);
        return;
    }
    r->pid = pid;
    r->pipe_fd = p[0];
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    r->watchdog_ms = hs_now_ms() + c->topo->relocation.deadline_ms + WATCHDOG_EXTRA_MS;
    evloop_add_fd(c->loop, p[0], EV_READ, on_worker_pipe, r);
    char a[16];
    hs_format_ipv4(ip, a);
    LOG_INFO("relocation %s of %s:%u from %s to %s started (worker %d, %zu held frame(s))",
             e->id, a, (unsigned)client_port, e->from, e->to, (int)pid, r->n_frames);
}

/* An attempt refused before it started (limit): only the event. */
static void event_refused(struct controller *c, const struct hs_reloc_target *tg, uint32_t ip,
                          uint16_t port, uint32_t sid, const char *msg, const char *why)
{
    struct hs_reloc_event e;
    hs_reloc_event_init(&e);
    snprintf(e.id, sizeof e.id, "r%llx-0", (unsigned long long)hs_wall_us());
    e.wall_us = hs_wall_us();
    e.src_ip = ip;
    e.src_port = port;
    e.dest_ip = tg->prod->ip;
    e.dest_port = tg->svc->port;
    hs_strlcpy(e.stage, "connect", sizeof e.stage);
    hs_strlcpy(e.reason, why, sizeof e.reason);
    hs_strlcpy(e.service, tg->svc->name, sizeof e.service);
    hs_strlcpy(e.kind, hs_service_kind_name(tg->svc->kind), sizeof e.kind);
    hs_strlcpy(e.from, tg->prod->name, sizeof e.from);
    hs_strlcpy(e.to, tg->hp->name, sizeof e.to);
    e.sid = sid;
    hs_strlcpy(e.signature, msg ? msg : "", sizeof e.signature);
    char *line = hs_reloc_event_json(&e);
    write_eve(c, line);
    free(line);
    c->relocs_failed++;
}

/* A monotonic microsecond time from the IPS (same host, same clock), or fallback. */
static uint64_t mono_ns_from(const json_t *req, const char *key, uint64_t fallback)
{
    const json_t *v = json_object_get(req, key);
    if (!json_is_integer(v) || json_integer_value(v) <= 0)
        return fallback;
    uint64_t ns = (uint64_t)json_integer_value(v) * 1000u;
    uint64_t now = hs_now_ns();
    if (ns > now || now - ns > 10000000000ull)
        return fallback; /* not our clock: ignore */
    return ns;
}

void reloc_on_attack(struct controller *c, const json_t *req, uint32_t attacker,
                     uint32_t server, uint16_t attacker_port, uint16_t server_port, uint32_t sid,
                     json_t *ans)
{
    char why[160];
    struct hs_reloc_target tg;
    if (c->topo->ips.on_attack != HS_ON_ATTACK_RELOCATE)
        return;
    if (hs_reloc_find_target(c->topo, attacker, server, server_port, &tg, why, sizeof why) != 0) {
        json_object_set_new(ans, "relocation", json_string(why));
        return;
    }
    uint64_t now = hs_now_ns();
    struct hs_reloc_lock *lk;
    const char *msg = json_string_value(json_object_get(req, "msg"));
    switch (hs_reloc_lock_take(&c->locks, attacker, max_running(c),
                               now / 1000000u, &lk)) {
    case HS_RELOC_START: {
        uint64_t tv = mono_ns_from(req, "verdict_us", now);
        uint64_t td = mono_ns_from(req, "frame_us", tv);
        run_start(c, &tg, attacker, attacker_port, false, sid, msg,
                  json_object_get(req, "frames"), td, tv, -1);
        json_object_set_new(ans, "action", json_string("relocating"));
        json_object_set_new(ans, "relocation", json_string(c->runs ? c->runs->ev.id : ""));
        break;
    }
    case HS_RELOC_COUNTED:
        json_object_set_new(ans, "relocation",
                            json_string(lk->state == HS_RELOC_RUNNING   ? "running"
                                        : lk->state == HS_RELOC_RELOCATED ? "relocated"
                                                                          : "failed"));
        break;
    case HS_RELOC_LIMIT:
    case HS_RELOC_FULL:
        snprintf(why, sizeof why, "too many relocations running (max_concurrent %u); blocked",
                 c->topo->relocation.max_concurrent);
        event_refused(c, &tg, attacker, attacker_port, sid, msg, why);
        json_object_set_new(ans, "relocation", json_string(why));
        break;
    }
}

/* ---- control commands ---- */

static bool req_ip(const json_t *req, const char *key, uint32_t *ip)
{
    const char *v = json_string_value(json_object_get(req, key));
    return v && hs_parse_ipv4(v, ip);
}

static const char *req_str(const json_t *req, const char *key)
{
    const char *v = json_string_value(json_object_get(req, key));
    return v && *v ? v : NULL;
}

/* reloc_block / reloc_open / reloc_release: the flows of one client on the target's switch. */
static json_t *cmd_flows(struct controller *c, const char *cmd, const json_t *req, int fd)
{
    uint32_t ip;
    char why[160], msg[220];
    struct hs_reloc_target tg;
    if (!req_ip(req, "client", &ip))
        return ctl_error_json("\"client\" must be an IPv4 address string");
    if (hs_reloc_named_target(c->topo, ip, req_str(req, "from"), req_str(req, "to"), 0, &tg, why,
                              sizeof why) != 0) {
        snprintf(msg, sizeof msg, "%s: %s", cmd, why);
        return ctl_error_json(msg);
    }
    struct sw_conn *s = sw_conn_ready(c, tg.sw);
    if (!s) {
        snprintf(msg, sizeof msg, "%s: switch %s is not connected and ready", cmd,
                 c->topo->switches[tg.sw].name);
        return ctl_error_json(msg);
    }
    struct hs_flowset fs = {0};
    enum wait_kind kind = W_FLOWS;
    if (!strcmp(cmd, "reloc_block")) {
        hs_reloc_flows_block(&tg, run_find(c, ip) != NULL, &fs);
        install(s, &fs);
    } else if (!strcmp(cmd, "reloc_open")) {
        hs_reloc_flows_open(&tg, &fs);
        install(s, &fs);
        kind = W_OPEN;
    } else if (!strcmp(cmd, "reloc_guard")) {
        const char *kinds = req_str(req, "kinds");
        if (kinds && !strcmp(kinds, "off")) {
            delete_kind(s, HS_RELOC_FK_GUARD, ip);
        } else {
            /* every other attacker being or already relocated: its honeypot->client rule may
             * carry the resets of this restore's closed copies */
            for (size_t i = 0; i < c->locks.n; i++) {
                const struct hs_reloc_lock *l = &c->locks.v[i];
                if (l->ip != ip && l->state != HS_RELOC_FAILED)
                    hs_reloc_flow_guard(&tg, l->ip, &fs);
            }
            install(s, &fs);
        }
    } else {
        const char *kinds = req_str(req, "kinds");
        if (kinds && !strcmp(kinds, "open")) {
            delete_kind(s, HS_RELOC_FK_HP2C, ip);
            delete_kind(s, HS_RELOC_FK_C2HP, ip);
        } else {
            delete_kind(s, 0, ip);
        }
    }
    hs_flowset_free(&fs);
    add_wait(c, s, send_barrier(s), fd, kind, ip);
    sw_conn_flush(s);
    return NULL;
}

static void fb_timeout(struct evloop *l, void *ctx)
{
    struct reloc_run *r = ctx;
    (void)l;
    r->fb_timer = 0;
    if (!r->fb_wait)
        return;
    r->fb_wait = false;
    hp2c_quiet(r);
    maybe_finish(r);
}

/* The barrier after client->honeypot: re-inject the held request into the honeypot's port. */
static json_t *reinject(struct controller *c, struct sw_conn *s, uint32_t ip)
{
    struct reloc_run *r = run_find(c, ip);
    if (!r || r->t_reinject_ns)
        return json_pack("{s:b, s:i, s:f}", "ok", 1, "reinjected", 0, "reinject_ms", 0.0);
    uint64_t t0 = hs_now_ns();
    r->fb_conn = s;
    struct ofp_msg m;
    for (size_t i = 0; i < r->n_frames; i++) {
        ofp_msg_init(&m, OFPT_PACKET_OUT, 0);
        m.u.packet_out.buffer_id = OFP_NO_BUFFER;
        m.u.packet_out.in_port = OFPP_CONTROLLER;
        m.u.packet_out.actions.goto_table = 0xff;
        ofp_actions_output(&m.u.packet_out.actions, r->tg.hp->port);
        m.u.packet_out.data = r->frames[i];
        m.u.packet_out.data_len = r->flen[i];
        sw_conn_send(s, &m);
    }
    sw_conn_flush(s);
    r->t_reinject_ns = hs_now_ns();
    r->reinject_ms = ms_between(t0, r->t_reinject_ns);
    r->reinjected = (unsigned)r->n_frames;
    if (r->n_frames && r->fb_wait) {
        r->fb_timer = evloop_add_timer(c->loop, FIRST_BYTE_WAIT_MS, false, fb_timeout, r);
    } else {
        r->fb_wait = false;
        hp2c_quiet(r);
    }
    return json_pack("{s:b, s:i, s:f}", "ok", 1, "reinjected", (int)r->n_frames, "reinject_ms",
                     r->reinject_ms);
}

bool reloc_on_packet_in(struct sw_conn *s, const struct ofp_packet_in *pi)
{
    uint64_t ck = pi->cookie;
    if ((ck >> 48) != (HS_RELOC_COOKIE_TAG >> 48) ||
        ((ck >> 32) & 0xffff) != HS_RELOC_FK_HP2C)
        return false;
    uint64_t now = hs_now_ns();
    struct reloc_run *r = run_find(s->ctl, (uint32_t)ck);
    /* the first honeypot->attacker packet after the re-injection */
    if (r && r->fb_wait && r->t_reinject_ns && !r->t_first_ns) {
        r->t_first_ns = now;
        r->fb_wait = false;
        if (r->fb_timer) {
            evloop_del_timer(s->ctl->loop, r->fb_timer);
            r->fb_timer = 0;
        }
        hp2c_quiet(r);
        maybe_finish(r);
    }
    return true;
}

void reloc_on_barrier(struct sw_conn *s, uint32_t xid)
{
    struct controller *c = s->ctl;
    for (struct reloc_wait **p = &c->waits; *p; p = &(*p)->next) {
        struct reloc_wait *w = *p;
        if (w->s != s || w->xid != xid)
            continue;
        *p = w->next;
        double ms = ms_between(w->t0_ns, hs_now_ns());
        json_t *ans = NULL;
        if (w->kind == W_HOLD) {
            struct reloc_run *r = run_find(c, w->ip);
            if (r && !r->t_block_ns)
                r->t_block_ns = hs_now_ns();
        } else if (w->kind == W_OPEN) {
            ans = reinject(c, s, w->ip);
        } else {
            ans = json_pack("{s:b}", "ok", 1);
        }
        if (ans)
            json_object_set_new(ans, "barrier_ms", json_real(ms));
        if (w->fd >= 0)
            ctl_reply(w->fd, ans ? ans : json_pack("{s:b}", "ok", 1));
        else
            json_decref(ans);
        free(w);
        return;
    }
}

void reloc_on_conn_close(struct sw_conn *s)
{
    struct controller *c = s->ctl;
    for (struct reloc_wait **p = &c->waits; *p;) {
        struct reloc_wait *w = *p;
        if (w->s != s) {
            p = &w->next;
            continue;
        }
        *p = w->next;
        if (w->fd >= 0)
            ctl_reply(w->fd, ctl_error_json("switch connection closed before the barrier"));
        free(w);
    }
    for (struct reloc_run *r = c->runs; r; r = r->next)
        if (r->fb_conn == s)
            r->fb_conn = NULL;
}

/* {"cmd":"shift","client":IP,"port":N,"from":H,"to":H}: operator relocation, answered when the
 * attempt ended (the relocation event). */
static json_t *cmd_shift(struct controller *c, const json_t *req, int fd)
{
    uint32_t ip;
    char why[160], msg[220];
    json_t *pv = json_object_get(req, "port");
    if (!req_ip(req, "client", &ip) || !json_is_integer(pv) || json_integer_value(pv) <= 0 ||
        json_integer_value(pv) > 65535)
        return ctl_error_json("shift: need \"client\" (IPv4 string) and \"port\" (1..65535)");
    struct hs_reloc_target tg;
    if (hs_reloc_named_target(c->topo, ip, req_str(req, "from"), req_str(req, "to"), 0, &tg, why,
                              sizeof why) != 0) {
        snprintf(msg, sizeof msg, "shift: %s", why);
        return ctl_error_json(msg);
    }
    if (!policy_block_allowed(c->topo, ip))
        return ctl_error_json("shift: the client address may not be blocked");
    struct hs_reloc_lock *lk;
    switch (hs_reloc_lock_take(&c->locks, ip, max_running(c),
                               hs_now_ms(), &lk)) {
    case HS_RELOC_START:
        break;
    case HS_RELOC_COUNTED:
        return ctl_error_json(lk->state == HS_RELOC_RUNNING
                                  ? "shift: a relocation of this client is running"
                                  : "shift: this client was relocated or blocked already; "
                                    "honeyshift unshift --client IP releases it");
    default:
        return ctl_error_json("shift: too many relocations running (relocation.max_concurrent)");
    }
    /* the same as an IPS detection: the client is blocked towards production at once */
    bool is_new;
    struct hs_block *b = hs_blocklist_add(&c->blocks, ip, &is_new);
    if (b && is_new) {
        b->server_ip = tg.prod->ip;
        b->server_port = tg.svc->port;
        b->attacker_port = (uint16_t)json_integer_value(pv);
        b->since_ms = hs_now_ms();
        struct hs_flowset fs = {0};
        policy_block_flows(c->topo, 0, ip, &fs);
        b->ingress_live = (unsigned)(fs.n / 2 * c->topo->n_switches);
        hs_flowset_free(&fs);
        sw_conn_block(c, ip);
    }
    if (b)
        b->attacks++;
    run_start(c, &tg, ip, (uint16_t)json_integer_value(pv), true, 0, NULL, NULL, hs_now_ns(), 0,
              fd);
    return NULL;
}

/* {"cmd":"unshift","client":IP}: relocation rules removed, block lifted, lock reset. */
static json_t *cmd_unshift(struct controller *c, const json_t *req, int fd)
{
    uint32_t ip;
    if (!req_ip(req, "client", &ip))
        return ctl_error_json("unshift: \"client\" must be an IPv4 address string");
    struct reloc_run *r = run_find(c, ip);
    if (r && !r->worker_done)
        return ctl_error_json("unshift: a relocation of this client is still running; retry");
    if (r) { /* only the first-byte wait left: end it now */
        r->fb_wait = false;
        run_finish(r);
    }
    bool had_lock = hs_reloc_lock_reset(&c->locks, ip);
    bool had_block = hs_blocklist_remove(&c->blocks, ip);
    sw_conn_unblock(c, ip);
    struct sw_conn *last = NULL;
    uint32_t last_xid = 0;
    for (struct sw_conn *s = c->conns; s; s = s->next) {
        if (s->sw < 0 || s->state != SW_READY || s->dead)
            continue;
        delete_kind(s, 0, ip);
        last_xid = send_barrier(s);
        last = s;
        sw_conn_flush(s);
    }
    char a[16];
    hs_format_ipv4(ip, a);
    LOG_INFO("unshift %s: lock %s, block %s", a, had_lock ? "reset" : "was not held",
             had_block ? "lifted" : "was not set");
    if (!last)
        return json_pack("{s:b, s:b, s:b, s:b}", "ok", 1, "was_locked", had_lock, "was_blocked",
                         had_block, "flows_removed", 0);
    add_wait(c, last, last_xid, fd, W_FLOWS, ip);
    return NULL;
}

static json_t *cmd_relocs(struct controller *c)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < c->locks.n; i++) {
        const struct hs_reloc_lock *l = &c->locks.v[i];
        char a[16];
        hs_format_ipv4(l->ip, a);
        json_array_append_new(arr, json_pack("{s:s, s:s, s:I}", "attacker", a, "state",
                                             l->state == HS_RELOC_RUNNING     ? "running"
                                             : l->state == HS_RELOC_RELOCATED ? "relocated"
                                                                              : "failed",
                                             "reports", (json_int_t)l->reports));
    }
    return json_pack("{s:b, s:o, s:I, s:I, s:I, s:I}", "ok", 1, "relocations", arr, "running",
                     (json_int_t)hs_reloc_lock_running(&c->locks), "started",
                     (json_int_t)c->relocs_started, "relocated", (json_int_t)c->relocs_ok,
                     "failed", (json_int_t)c->relocs_failed);
}

/* {"cmd":"flows",...} (flowcmd.h): other subsystems' flows, answered after the barrier. */
static json_t *cmd_generic_flows(struct controller *c, const json_t *req, int fd)
{
    struct hs_flowcmd fc;
    char err[256];
    if (hs_flowcmd_parse(c->topo, req, &fc, err, sizeof err) != 0)
        return ctl_error_json(err);
    struct sw_conn *s = sw_conn_ready(c, fc.sw);
    if (!s) {
        hs_flowset_free(&fc.add);
        return ctl_error_json("flows: the switch is not connected and ready");
    }
    struct ofp_msg m;
    for (size_t i = 0; i < fc.n_del; i++) {
        hs_flow_delete_by_cookie(fc.del_cookie[i], fc.del_mask[i], OFPTT_ALL, &m);
        sw_conn_send(s, &m);
    }
    install(s, &fc.add);
    LOG_INFO("flows request for switch %s: %zu added, %zu deletions",
             c->topo->switches[fc.sw].name, fc.add.n, fc.n_del);
    hs_flowset_free(&fc.add);
    add_wait(c, s, send_barrier(s), fd, W_FLOWS, 0);
    sw_conn_flush(s);
    return NULL;
}

json_t *reloc_command(struct controller *c, const char *cmd, const json_t *req, int fd)
{
    if (!strcmp(cmd, "flows"))
        return cmd_generic_flows(c, req, fd);
    if (!strcmp(cmd, "reloc_block") || !strcmp(cmd, "reloc_open") ||
        !strcmp(cmd, "reloc_release") || !strcmp(cmd, "reloc_guard"))
        return cmd_flows(c, cmd, req, fd);
    if (!strcmp(cmd, "shift"))
        return cmd_shift(c, req, fd);
    if (!strcmp(cmd, "unshift"))
        return cmd_unshift(c, req, fd);
    return cmd_relocs(c);
}

void reloc_tick(struct controller *c)
{
    uint64_t now = hs_now_ms();
    struct reloc_run *next;
    for (struct reloc_run *r = c->runs; r; r = next) {
        next = r->next;
        if (r->worker_done || r->pid <= 0 || now < r->watchdog_ms)
            continue;
        char a[16];
        hs_format_ipv4(r->ip, a);
        LOG_ERR("relocation %s of %s: worker %d past its deadline; killed", r->ev.id, a,
                (int)r->pid);
        kill(r->pid, SIGKILL);
        struct sw_conn *s = sw_conn_ready(c, r->tg.sw);
        if (s) { /* the block flows (priority 900) keep the attacker blocked */
            delete_kind(s, 0, r->ip);
            sw_conn_flush(s);
        }
        json_decref(r->result);
        r->result = NULL;
        hs_buf_clear(&r->rx);
        worker_done(r, "deadline");
    }
}

void reloc_close(struct controller *c)
{
    while (c->runs)
        run_free(c->runs); /* workers go on alone: they roll back through ovs-ofctl */
    while (c->waits) {
        struct reloc_wait *w = c->waits;
        c->waits = w->next;
        if (w->fd >= 0)
            ctl_reply(w->fd, ctl_error_json("controller shutting down"));
        free(w);
    }
}
