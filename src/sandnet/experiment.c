/* experiment.c - the Sandnet paper's experiment on the lab (see experiment.h).
 *
 * Threads: two HTTP probes (the adversary in fe1's network namespace, the benign baseline in
 * fe2's), one thread per running clone job (sn_clone, or the fresh clone's start); the main
 * thread runs the timeline, the strategy and the flows. Shared state is under one mutex. */
#include "sandnet/experiment.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "common/buf.h"
#include "common/log.h"
#include "common/util.h"
#include "qod/qod.h"
#include "sandnet/app.h"
#include "sandnet/clone.h"
#include "sandnet/container.h"
#include "sandnet/freezer.h"
#include "sandnet/fsdiff.h"
#include "sandnet/hold.h"
#include "sandnet/labnet.h"
#include "sandnet/net.h"
#include "sandnet/run.h"
#include "sandnet/sandlab.h"
#include "sandnet/scan.h"

#define GROUPS 2
#define PROBE_PERIOD_MS 100
#define PROBE_TIMEOUT_MS 2000
#define MAX_SAMPLES 8192
#define DOWN_GAP_MS 500.0       /* no successful answer for longer than this: down */
#define N SN_CONFINE_MAX_NODES

static void progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void progress(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "sandnet run: ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static const char *cache_dir(void)
{
    const char *c = getenv("HS_ROOTFS_CACHE");
    return c && c[0] ? c : "/var/cache/honeyshift";
}

/* ---- HTTP probes ---------------------------------------------------------------------- */

struct sample {
    double t_ms;          /* request start, since the experiment's t0 */
    double latency_ms;    /* until the full answer, or until the failure */
    uint32_t target;      /* IPv4 host order */
    unsigned bytes;
    bool ok;
};

struct probe {
    const char *ns;                 /* hsn-fe1 / hsn-fe2 */
    _Atomic uint32_t target;
    atomic_bool stop;
    uint64_t t0_ns;
    pthread_mutex_t mu;
    size_t n;
    struct sample s[MAX_SAMPLES];
    pthread_t thread;
    bool started;
};

/* One HTTP/1.0 GET / to ip:8000; bytes received, ok when the status is 200. */
static bool http_get(uint32_t ip, unsigned *bytes)
{
    *bytes = 0;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    struct timeval tv = {PROBE_TIMEOUT_MS / 1000, (PROBE_TIMEOUT_MS % 1000) * 1000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(8000), .sin_addr.s_addr = htonl(ip)};
    bool ok = false;
    char buf[2048];
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0) {
        static const char req[] = "GET / HTTP/1.0\r\nHost: backend\r\n\r\n";
        if (send(fd, req, sizeof req - 1, MSG_NOSIGNAL) == (ssize_t)(sizeof req - 1)) {
            size_t got = 0;
            ssize_t r;
            char head[16] = "";
            while ((r = recv(fd, buf, sizeof buf, 0)) > 0) {
                if (got < sizeof head - 1) {
                    size_t c = (size_t)r < sizeof head - 1 - got ? (size_t)r : sizeof head - 1 - got;
                    memcpy(head + got, buf, c);
                    head[got + c] = '\0';
                }
                got += (size_t)r;
            }
            ok = r == 0 && (!strncmp(head, "HTTP/1.0 200", 12) || !strncmp(head, "HTTP/1.1 200", 12));
            *bytes = (unsigned)got;
        }
    }
    close(fd);
    return ok;
}

static void *probe_main(void *arg)
{
    struct probe *p = arg;
    char path[64];
    snprintf(path, sizeof path, "/run/netns/%s", p->ns);
    int nfd = open(path, O_RDONLY | O_CLOEXEC);
    if (nfd < 0 || setns(nfd, CLONE_NEWNET) != 0) {
        LOG_ERR("sandnet: probe cannot enter %s: %s", p->ns, strerror(errno));
        if (nfd >= 0)
            close(nfd);
        return NULL;
    }
    close(nfd);
    uint64_t next = hs_now_ns();
    while (!atomic_load(&p->stop)) {
        uint64_t start = hs_now_ns();
        uint32_t target = atomic_load(&p->target);
        unsigned bytes;
        bool ok = http_get(target, &bytes);
        uint64_t end = hs_now_ns();
        pthread_mutex_lock(&p->mu);
        if (p->n < MAX_SAMPLES) {
            struct sample *s = &p->s[p->n++];
            s->t_ms = (double)(start - p->t0_ns) / 1e6;
            s->latency_ms = (double)(end - start) / 1e6;
            s->target = target;
            s->bytes = bytes;
            s->ok = ok;
        }
        pthread_mutex_unlock(&p->mu);
        next += (uint64_t)PROBE_PERIOD_MS * 1000000ull;
        uint64_t now = hs_now_ns();
        if (next > now)
            sleep_ms((long)((next - now) / 1000000ull));
        else
            next = now;   /* a slow request: no burst to catch up */
    }
    return NULL;
}

static bool probe_start(struct probe *p, const char *ns, uint32_t target, uint64_t t0)
{
    p->ns = ns;
    atomic_store(&p->target, target);
    atomic_store(&p->stop, false);
    p->t0_ns = t0;
    p->n = 0;
    pthread_mutex_init(&p->mu, NULL);
    p->started = pthread_create(&p->thread, NULL, probe_main, p) == 0;
    return p->started;
}

static void probe_stop(struct probe *p)
{
    if (!p->started)
        return;
    atomic_store(&p->stop, true);
    pthread_join(p->thread, NULL);
    p->started = false;
}

/* ---- snapshot groups ------------------------------------------------------------------- */

/* Containers cloned together because they hold TCP connections to each other (a backend and its
 * database): every member is paused before any is dumped, and none resumes before all are
 * dumped, so both ends of a connection are taken at the same moment (with the members paused,
 * the kernels only finish acknowledging what is in flight; the settle wait covers that). A
 * member that fails or is late breaks the group and the others go on alone. */
#define GROUP_WAIT_MS 15000
#define GROUP_SETTLE_MS 20

struct snap_group {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int members, paused, dumped;
    bool broken, used;
};

/* Wait until *count reaches the member count or the group breaks; false on a timeout. */
static bool group_wait(struct snap_group *g, const int *count)
{
    struct timespec dl;
    clock_gettime(CLOCK_REALTIME, &dl);
    dl.tv_sec += GROUP_WAIT_MS / 1000;
    bool ok = true;
    while (*count < g->members && !g->broken)
        if (pthread_cond_timedwait(&g->cv, &g->mu, &dl) == ETIMEDOUT) {
            g->broken = true;
            ok = false;
            pthread_cond_broadcast(&g->cv);
            break;
        }
    return ok;
}

static bool group_after_pause(void *arg)
{
    struct snap_group *g = arg;
    pthread_mutex_lock(&g->mu);
    g->paused++;
    pthread_cond_broadcast(&g->cv);
    if (!group_wait(g, &g->paused))
        LOG_WARN("sandnet: snapshot group: a member was late, dumping alone");
    pthread_mutex_unlock(&g->mu);
    sleep_ms(GROUP_SETTLE_MS);   /* segments in flight between paused members get acknowledged */
    return true;
}

static void group_before_resume(void *arg)
{
    struct snap_group *g = arg;
    pthread_mutex_lock(&g->mu);
    g->dumped++;
    pthread_cond_broadcast(&g->cv);
    group_wait(g, &g->dumped);
    pthread_mutex_unlock(&g->mu);
}

static void group_break(struct snap_group *g)
{
    if (!g)
        return;
    pthread_mutex_lock(&g->mu);
    g->broken = true;
    pthread_cond_broadcast(&g->cv);
    pthread_mutex_unlock(&g->mu);
}

/* ---- clones prepared ahead ------------------------------------------------------------ */

/* After detection, once the first batch is done, the containers nobody cloned yet get their
 * clone prepared in the background (sn_clone_prepare: config, volumes, FS diff, netns + veth on
 * SN, held; bundle): a later first contact (reactive) then only pauses, dumps and restores.
 * The flows do not change: the prepared netns is not forwarded to (SN only forwards to clones
 * that are ready) and its frames are dropped (no port security entry while not cloned). */
enum prep_state { PREP_NONE, PREP_RUNNING, PREP_READY, PREP_GONE };

struct preps {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    enum prep_state state[N];
    struct sn_clone_prep *p[N];
    char src[N][SN_ID_MAX];
    int queue[N];
    size_t n_queue;
    atomic_bool stop;
    pthread_t thread;
    bool started;              /* the thread runs (join it) */
    bool looked;               /* the queue was made (once per run) */
};

static void *prep_main(void *arg)
{
    struct preps *ps = arg;
    for (size_t q = 0; q < ps->n_queue && !atomic_load(&ps->stop); q++) {
        int i = ps->queue[q];
        pthread_mutex_lock(&ps->mu);
        bool mine = ps->state[i] == PREP_NONE;
        if (mine)
            ps->state[i] = PREP_RUNNING;
        pthread_mutex_unlock(&ps->mu);
        if (!mine)
            continue;   /* a clone job took it first */
        char dst[SN_ID_MAX];
        struct sn_clone_report rep;
        struct sn_clone_prep *p = NULL;
        if (hs_snprintf(dst, sizeof dst, "%s-s", ps->src[i])) {
            struct sn_clone_opts o = {.dst_id = dst, .dst_bridge = SN_BRIDGE_SN};
            p = sn_clone_prepare(ps->src[i], &o, &rep);
            if (!p) {
                LOG_WARN("sandnet: could not prepare %s ahead; it is cloned whole if needed", dst);
                sn_clone_report_free(&rep);
            }
        }
        pthread_mutex_lock(&ps->mu);
        ps->p[i] = p;
        ps->state[i] = p ? PREP_READY : PREP_GONE;
        pthread_cond_broadcast(&ps->cv);
        pthread_mutex_unlock(&ps->mu);
    }
    return NULL;
}

/* The prepared clone of node i for a clone job (waits while it is being prepared), or NULL;
 * either way node i is not prepared any more after this call. */
static struct sn_clone_prep *prep_take(struct preps *ps, int i)
{
    pthread_mutex_lock(&ps->mu);
    while (ps->state[i] == PREP_RUNNING)
        pthread_cond_wait(&ps->cv, &ps->mu);
    struct sn_clone_prep *p = ps->state[i] == PREP_READY ? ps->p[i] : NULL;
    ps->p[i] = NULL;
    ps->state[i] = PREP_GONE;
    pthread_mutex_unlock(&ps->mu);
    return p;
}

/* Stop preparing and remove the prepared clones nobody took. */
static void prep_stop(struct preps *ps)
{
    if (!ps->started)
        return;
    atomic_store(&ps->stop, true);
    pthread_join(ps->thread, NULL);
    ps->started = false;
    for (size_t i = 0; i < N; i++)
        if (ps->state[i] == PREP_READY) {
            sn_clone_abort(ps->p[i]);
            ps->p[i] = NULL;
            ps->state[i] = PREP_GONE;
        }
}

/* ---- clone jobs ----------------------------------------------------------------------- */

struct job {
    int node;                  /* index in the confinement input; -1: the fresh clone */
    char src[SN_ID_MAX], dst[SN_ID_MAX];
    pthread_t thread;
    atomic_bool done;
    bool ok, joined, retried, prepared;
    double started_s;
    struct preps *preps;       /* clones prepared ahead (finish one when there is one) */
    struct snap_group *group;  /* NULL: cloned alone */
    int group_size;
    struct sn_clone_report rep;
};

static void *job_main(void *arg)
{
    struct job *j = arg;
    if (j->node < 0) {
        struct sn_container f;
        memset(&j->rep, 0, sizeof j->rep);
        uint64_t t = hs_now_ns();
        j->ok = sn_fresh_start(j->src, j->dst, &f);
        sn_timing_init(&j->rep.timing);
        sn_timing_begin(&j->rep.timing, SN_STEP_CREATE, t);
        sn_timing_end(&j->rep.timing, SN_STEP_CREATE, hs_now_ns());
    } else {
        struct sn_clone_opts o = {.dst_id = j->dst, .dst_bridge = SN_BRIDGE_SN};
        if (j->group) {
            o.after_pause = group_after_pause;
            o.before_resume = group_before_resume;
            o.group = j->group;
        }
        struct sn_clone_prep *pp = j->preps ? prep_take(j->preps, j->node) : NULL;
        j->prepared = pp != NULL;
        j->ok = pp ? sn_clone_finish(pp, &o, &j->rep) : sn_clone(j->src, &o, &j->rep);
        if (!j->ok)
            group_break(j->group);
        o.after_pause = NULL;   /* a retry goes alone */
        o.before_resume = NULL;
        if (!j->ok) {
            /* a CRIU dump can fail on a socket caught mid-handshake: one more try (the failed
             * clone was removed by sn_clone) */
            LOG_WARN("sandnet: clone %s -> %s failed, retrying once", j->src, j->dst);
            sn_clone_report_free(&j->rep);
            j->retried = true;
            j->ok = sn_clone(j->src, &o, &j->rep);
        }
    }
    atomic_store(&j->done, true);
    return NULL;
}

/* The shrinking phase as run: per clone, its touch state, freezer and what was done. */
#define SHRINK_EVENTS_MAX 64
struct shrink {
    bool watched[N];                   /* clone ready and followed since */
    struct sn_shrink_state st[N];
    uint64_t seen[N];                  /* SN forwarding counter at the last look */
    struct sn_freezer fz[N];
    double next;
    struct shrink_event {
        double t_s;
        int node;
        enum sn_shrink_action action;
        bool ok;
    } ev[SHRINK_EVENTS_MAX];
    size_t n_ev;
    bool removed[N];
};

struct exp {
    const struct sn_exp_opts *o;
    char dir[SN_PATH_MAX];
    struct sn_confine_in in;
    struct sn_flowlist fl;
    struct job jobs[2 * N + 1];        /* a clone removed by shrinking may be cloned again */
    size_t n_jobs;
    struct snap_group groups[N + 1];
    size_t n_groups;
    struct pending { int node, batch; struct snap_group *group; } pending[N];
    size_t n_pending;
    int next_batch;
    uint64_t t0;
    double t_detect, t_turn, t_end, t_sealed, t_turn_ready;
    struct probe adv, ben;
    struct sn_traffic traffic;
    struct sn_addrset l2_pre, l3_pre, l2_post, l3_post;
    bool scanned_pre, scanned_post;
    uint64_t holds_seen[N];
    size_t initial[N];
    size_t n_initial;
    struct sn_hold *hold;      /* SN's hold port (NULL: held frames are dropped) */
    struct preps preps;        /* clones prepared ahead of a first contact */
    bool fwd_on[N];            /* SN forwards to node i's clone (as last installed) */
    struct shrink shrink;
    bool contacts_watched;     /* the hold port counts first contacts (sn_hold_watch_contacts) */
};

static double now_s(const struct exp *x)
{
    return (double)(hs_now_ns() - x->t0) / 1e9;
}

static bool start_job_in(struct exp *x, int node, const char *src, struct snap_group *g)
{
    if (x->n_jobs >= HS_ARRAY_SIZE(x->jobs))
        return false;
    struct job *j = &x->jobs[x->n_jobs];
    memset(j, 0, sizeof *j);
    j->node = node;
    j->group = g;
    j->group_size = g ? g->members : 1;
    j->preps = node >= 0 ? &x->preps : NULL;
    if (!hs_strlcpy(j->src, src, sizeof j->src)
        || !hs_snprintf(j->dst, sizeof j->dst, "%s-%s", src, node < 0 ? "f" : "s"))
        return false;
    j->started_s = x->t0 ? now_s(x) : 0;
    if (pthread_create(&j->thread, NULL, job_main, j) != 0)
        return false;
    x->n_jobs++;
    if (node >= 0)
        x->in.nodes[node].clone = SN_CLONE_PLANNED;
    progress("t=%.1fs %s %s -> %s%s", j->started_s, node < 0 ? "fresh clone" : "cloning", src, j->dst,
             g ? " (snapshot group)" : "");
    return true;
}

static bool start_job(struct exp *x, int node, const char *src)
{
    return start_job_in(x, node, src, NULL);
}

/* Local port of an "addr:port" text; 0 when malformed. */
static unsigned port_of(const char *ap)
{
    const char *colon = strrchr(ap, ':');
    return colon ? (unsigned)strtoul(colon + 1, NULL, 10) : 0;
}

/* Peer IPv4 addresses (host order) of the established TCP connections a container opened itself
 * (its local port is not one it listens on): the services it depends on (a backend's redis),
 * not its clients (a prober's or a frontend's requests to it). */
static size_t tcp_peers(const char *id, uint32_t *out, size_t max)
{
    char ns[SN_ID_MAX + 8];
    snprintf(ns, sizeof ns, "hsn-%s", id);
    const char *argv[] = {"ip", "netns", "exec", ns, "ss", "-Htan", NULL};
    struct hs_buf buf = HS_BUF_INIT;
    size_t n = 0;
    if (sn_run(argv, &buf, 10000, false) == 0 && buf.data) {
        /* "State Recv-Q Send-Q Local:Port Peer:Port" per line */
        hs_buf_put(&buf, "", 1);
        unsigned listen[64];
        size_t nl = 0;
        for (int pass = 0; pass < 2; pass++) {
            char *text = xstrdup((const char *)buf.data), *save = NULL;
            for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
                char st[16], local[64], peer[64];
                unsigned rq, sq;
                if (sscanf(l, "%15s %u %u %63s %63s", st, &rq, &sq, local, peer) != 5)
                    continue;
                unsigned lp = port_of(local);
                if (pass == 0) {
                    if (!strcmp(st, "LISTEN") && nl < HS_ARRAY_SIZE(listen))
                        listen[nl++] = lp;
                    continue;
                }
                if (strcmp(st, "ESTAB") || n >= max)
                    continue;
                bool inbound = false;
                for (size_t k = 0; k < nl; k++)
                    inbound |= listen[k] == lp;
                char *colon = strrchr(peer, ':');
                uint32_t ip;
                if (inbound || !colon)
                    continue;
                *colon = '\0';
                if (hs_parse_ipv4(peer, &ip))
                    out[n++] = ip;
            }
            free(text);
        }
    }
    hs_buf_free(&buf);
    return n;
}

static bool install(struct exp *x)
{
    if (!sn_confine_flows(&x->in, &x->fl) || !sn_flows_install(&x->fl)) {
        LOG_ERR("sandnet: flow install failed");
        return false;
    }
    /* clones SN forwards to from now on: their held frames go on to them */
    for (size_t i = 0; i < x->in.n_nodes; i++) {
        const struct sn_node *nd = &x->in.nodes[i];
        bool on = sn_confine_redirected(&x->in, i) || (x->in.sc < 0 && nd->clone == SN_CLONE_READY);
        if (on && !x->fwd_on[i] && x->hold) {
            size_t k = sn_hold_reinject(x->hold, nd->mac, nd->ip);
            if (k)
                progress("t=%.1fs re-injected %zu held frame(s) for %s", x->t0 ? now_s(x) : 0.0, k, nd->id);
        }
        x->fwd_on[i] = on;
    }
    return true;
}

/* Join finished jobs; update clone states. Returns true when something changed. */
static bool reap_jobs(struct exp *x)
{
    bool changed = false;
    for (size_t i = 0; i < x->n_jobs; i++) {
        struct job *j = &x->jobs[i];
        if (j->joined || !atomic_load(&j->done))
            continue;
        pthread_join(j->thread, NULL);
        j->joined = true;
        changed = true;
        double bo = sn_timing_span_ms(&j->rep.timing, SN_STEP_CHECKPOINT, SN_STEP_RESTORE);
        progress("t=%.1fs %s %s %s (blackout %.0f ms)", x->t0 ? now_s(x) : 0.0, j->dst,
                 j->ok ? "ready" : "FAILED", j->node < 0 ? "(fresh)" : "", bo);
        if (j->node < 0) {
            if (j->ok && x->in.sc >= 0)
                x->in.fresh_port = SN_LAB_FRESH_BASE + x->in.nodes[x->in.sc].pn_port;
        } else {
            x->in.nodes[j->node].clone = j->ok ? SN_CLONE_READY : SN_CLONE_NONE;
        }
    }
    return changed;
}

static bool jobs_running(const struct exp *x)
{
    for (size_t i = 0; i < x->n_jobs; i++)
        if (!x->jobs[i].joined)
            return true;
    return false;
}

/* Start the next queued batch when no clone is running: one batch (a snapshot group, or a
 * single container) at a time, so that clones do not slow each other down on a small machine
 * and the batch the adversary touches first is ready first. */
static bool launch_pending(struct exp *x)
{
    if (!x->n_pending)
        return true;
    for (size_t i = 0; i < x->n_jobs; i++)
        if (!x->jobs[i].joined && x->jobs[i].node >= 0)
            return true;
    int batch = x->pending[0].batch;
    size_t keep = 0;
    for (size_t i = 0; i < x->n_pending; i++) {
        if (x->pending[i].batch != batch) {
            x->pending[keep++] = x->pending[i];
            continue;
        }
        int nd = x->pending[i].node;
        if (!start_job_in(x, nd, x->in.nodes[nd].id, x->pending[i].group))
            return false;
    }
    x->n_pending = keep;
    return true;
}

static const char *shrink_action_name(enum sn_shrink_action a)
{
    return a == SN_SHRINK_FREEZE ? "freeze" : a == SN_SHRINK_THAW ? "thaw"
         : a == SN_SHRINK_REMOVE ? "remove" : "keep";
}

/* Thaw (frozen = false) or freeze node i's clone through its cgroup freezer. */
static bool shrink_freeze(struct exp *x, size_t i, bool frozen)
{
    struct shrink *s = &x->shrink;
    char id[SN_ID_MAX];
    if (!hs_snprintf(id, sizeof id, "%s-s", x->in.nodes[i].id))
        return false;
    if (frozen) {
        struct sn_runc_state st;
        if (!sn_container_state(id, &st) || st.pid <= 0 || !sn_freezer_find(st.pid, &s->fz[i]))
            return false;
    }
    return sn_freezer_set(&s->fz[i], frozen, 2000);
}

/* Remove node i's clone (thawed first); SN holds its frames again, so a later contact clones it
 * anew (the reactive fall-back). */
static bool shrink_remove(struct exp *x, size_t i)
{
    struct shrink *s = &x->shrink;
    char id[SN_ID_MAX];
    struct sn_container c;
    if (s->st[i].frozen)
        (void)sn_freezer_set(&s->fz[i], false, 2000);
    if (!hs_snprintf(id, sizeof id, "%s-s", x->in.nodes[i].id) || !sn_spec_load(SN_STATE_BASE, id, &c))
        return false;
    bool ok = sn_container_remove(&c, false);
    x->in.nodes[i].clone = SN_CLONE_NONE;
    x->in.nodes[i].redirected = false;
    if (!x->hold)
        x->holds_seen[i] = 0;   /* its hold flows come back with fresh counters (the hold
                                 * port's contact counts go on counting) */
    s->removed[i] = true;
    return ok;
}

/* Clean up after the run: thaw what is still frozen (so removal and --keep find it running). */
static void shrink_thaw_all(struct exp *x)
{
    for (size_t i = 0; i < x->in.n_nodes; i++)
        if (x->shrink.watched[i] && x->shrink.st[i].frozen) {
            if (sn_freezer_set(&x->shrink.fz[i], false, 2000))
                x->shrink.st[i].frozen = false;
            else
                LOG_WARN("sandnet: cannot thaw %s-s", x->in.nodes[i].id);
        }
}

/* One look of the shrinking phase: a clone SN delivered a frame to since the last look was
 * touched; sn_shrink_decide() says what to do with each ready clone. False only when the flows
 * cannot be installed after a removal. */
static bool shrink_step(struct exp *x)
{
    struct shrink *s = &x->shrink;
    uint64_t counts[SN_CONFINE_MAX_NODES];
    if (!sn_fwd_counts(counts))
        return true;   /* look again next time */
    uint64_t now = (uint64_t)(now_s(x) * 1000.0);
    uint64_t idle_ms = (uint64_t)(x->o->shrink_sleep_s * 1000.0);
    uint64_t remove_ms = x->o->shrink_remove_s > 0 ? (uint64_t)(x->o->shrink_remove_s * 1000.0) : UINT64_MAX;
    bool reinstall = false;
    for (size_t i = 0; i < x->in.n_nodes; i++) {
        if ((int)i == x->in.sc || x->in.nodes[i].clone != SN_CLONE_READY
            || !sn_confine_redirected(&x->in, i)) {
            s->watched[i] = false;
            continue;
        }
        if (!s->watched[i]) {   /* newly redirected: untouched from now on */
            s->watched[i] = true;
            s->st[i] = (struct sn_shrink_state){false, now, 0};
            s->seen[i] = counts[i];
            continue;
        }
        if (counts[i] != s->seen[i]) {   /* (a re-installed flow restarts its counter: a touch) */
            s->st[i].last_touch_ms = now;
            s->seen[i] = counts[i];
        }
        enum sn_shrink_action a = sn_shrink_decide(&s->st[i], now, idle_ms, remove_ms);
        if (a == SN_SHRINK_KEEP)
            continue;
        bool ok;
        if (a == SN_SHRINK_REMOVE) {
            ok = shrink_remove(x, i);
            s->watched[i] = false;
            reinstall = true;
        } else {
            ok = shrink_freeze(x, i, a == SN_SHRINK_FREEZE);
            if (ok) {
                s->st[i].frozen = a == SN_SHRINK_FREEZE;
                if (s->st[i].frozen)
                    s->st[i].frozen_since_ms = now;
            } else {
                s->st[i].last_touch_ms = now;   /* retry after another idle period, not now */
            }
        }
        progress("t=%.1fs shrinking: %s %s-s%s", now_s(x), shrink_action_name(a), x->in.nodes[i].id,
                 ok ? "" : " FAILED");
        if (s->n_ev < SHRINK_EVENTS_MAX)
            s->ev[s->n_ev++] = (struct shrink_event){now_s(x), (int)i, a, ok};
    }
    return !reinstall || install(x);
}

/* Queue clones of the selected nodes (sel[i], clone state none; SC never). Members holding TCP
 * connections to each other, or to another uncloned container (added: a consistent snapshot of
 * both ends), form a snapshot group per connected component. Batches go in order: first the
 * components with a container SC talked to (the adversary's next touch), then the rest. */
static bool start_clone_set(struct exp *x, bool sel[N])
{
    bool in[N] = {0};
    bool link[N][N];
    memset(link, 0, sizeof link);
    size_t count = 0;
    for (size_t i = 0; i < x->in.n_nodes; i++)
        if (sel[i] && x->in.nodes[i].clone == SN_CLONE_NONE && (int)i != x->in.sc) {
            in[i] = true;
            count++;
        }
    if (!count)
        return true;
    bool seen[N] = {0}, grow = true;
    while (grow) {   /* closure over established connections */
        grow = false;
        for (size_t i = 0; i < x->in.n_nodes; i++) {
            if (!in[i] || seen[i])
                continue;
            seen[i] = true;
            uint32_t peers[64];
            size_t np = tcp_peers(x->in.nodes[i].id, peers, HS_ARRAY_SIZE(peers));
            for (size_t p = 0; p < np; p++)
                for (size_t k = 0; k < x->in.n_nodes; k++) {
                    if (x->in.nodes[k].ip != peers[p] || (int)k == x->in.sc || k == i)
                        continue;
                    if (!in[k] && x->in.nodes[k].clone == SN_CLONE_NONE) {
                        progress("%s has a connection to %s: cloned together", x->in.nodes[i].id,
                                 x->in.nodes[k].id);
                        in[k] = grow = true;
                    }
                    if (in[k])
                        link[i][k] = link[k][i] = true;
                }
        }
    }
    /* connected components */
    int comp[N];
    for (size_t i = 0; i < N; i++)
        comp[i] = -1;
    int nc = 0;
    for (size_t i = 0; i < x->in.n_nodes; i++) {
        if (!in[i] || comp[i] >= 0)
            continue;
        size_t stack[N], sp = 0;
        stack[sp++] = i;
        comp[i] = nc;
        while (sp) {
            size_t u = stack[--sp];
            for (size_t k = 0; k < x->in.n_nodes; k++)
                if (link[u][k] && comp[k] < 0) {
                    comp[k] = nc;
                    stack[sp++] = k;
                }
        }
        nc++;
    }
    /* priority: a component with a container SC sent to (or any, without an SC yet) first */
    bool first[N] = {0};
    for (size_t i = 0; i < x->in.n_nodes; i++)
        if (in[i] && x->in.sc >= 0 && x->traffic.bytes[x->in.sc][i] > 0)
            first[comp[i]] = true;
    for (int pass = 0; pass < 2; pass++)
        for (int c = 0; c < nc; c++) {
            if ((pass == 0) != first[c])
                continue;
            int members = 0;
            for (size_t i = 0; i < x->in.n_nodes; i++)
                members += comp[i] == c;
            struct snap_group *g = NULL;
            if (members > 1 && x->n_groups < HS_ARRAY_SIZE(x->groups)) {
                g = &x->groups[x->n_groups++];
                pthread_mutex_init(&g->mu, NULL);
                pthread_cond_init(&g->cv, NULL);
                g->members = members;
                g->used = true;
            }
            int batch = x->next_batch++;
            for (size_t i = 0; i < x->in.n_nodes; i++) {
                if (comp[i] != c)
                    continue;
                if (x->n_pending >= HS_ARRAY_SIZE(x->pending))
                    return false;
                x->pending[x->n_pending++] = (struct pending){(int)i, batch, g};
                x->in.nodes[i].clone = SN_CLONE_PLANNED;   /* held, and atomic mode waits */
            }
        }
    return launch_pending(x);
}

/* Clone jobs running or queued. */
static bool work_left(const struct exp *x)
{
    return x->n_pending || jobs_running(x);
}

/* ---- reachability scans --------------------------------------------------------------- */

static void scan(struct exp *x, struct sn_addrset *l2, struct sn_addrset *l3)
{
    l2->n = l3->n = 0;
    if (x->o->no_scan)
        return;
    struct hs_buf out = HS_BUF_INIT;
    const char *arp[] = {"ip", "netns", "exec", "hsn-fe1", "arp-scan", "-I", "eth0", "-q", "-x",
                         "-r", "2", "-t", "100", SN_NET_PREFIX "0/24", NULL};
    if (sn_run(arp, &out, 30000, false) == 0 && out.data)
        sn_scan_collect((const char *)out.data, out.len, true, l2);
    hs_buf_free(&out);
    const char *nmap[] = {"ip", "netns", "exec", "hsn-fe1", "nmap", "-sn", "-n", "-oG", "-",
                          "--max-retries", "1", SN_NET_PREFIX "0/24", NULL};
    if (sn_run(nmap, &out, 60000, false) == 0 && out.data) {
        /* "Host: A.B.C.D ()  Status: Up" lines only */
        struct hs_buf up = HS_BUF_INIT;
        const char *p = (const char *)out.data, *end = p + out.len;
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
            if (ll > 6 && !memcmp(p, "Host: ", 6) && memmem(p, ll, "Status: Up", 10)) {
                hs_buf_put(&up, p + 6, ll - 6);
                hs_buf_put(&up, "\n", 1);
            }
            p += ll + 1;
        }
        if (up.data)
            sn_scan_collect((const char *)up.data, up.len, false, l3);
        hs_buf_free(&up);
    }
    hs_buf_free(&out);
    sn_addrset_remove(l3, SN_NET_PREFIX "11");   /* the scanner itself */
}

/* ---- traffic statistics (proactive) ------------------------------------------------- */

static bool pair_bytes(uint64_t by[N * N])
{
    struct hs_buf out = HS_BUF_INIT;
    char filter[96];
    snprintf(filter, sizeof filter, "cookie=0x%016llx/0xffffffff00000000",
             (unsigned long long)(SN_COOKIE_TAG | (uint64_t)SN_R_STATS << 32));
    const char *argv[] = {"ovs-ofctl", "-O", "OpenFlow13", "dump-flows", SN_BRIDGE_PN, filter, NULL};
    bool ok = sn_run(argv, &out, 10000, false) == 0 && out.data
        && sn_dump_counts((const char *)out.data, out.len, SN_R_STATS, NULL, by, N * N);
    hs_buf_free(&out);
    return ok;
}

/* Resident memory of a container: the RSS of every process in its init's PID namespace. */
static uint64_t container_rss(const char *id)
{
    struct sn_runc_state st;
    if (!sn_container_state(id, &st) || st.pid <= 0)
        return 0;
    char path[64], want[64], got[64];
    snprintf(path, sizeof path, "/proc/%d/ns/pid", (int)st.pid);
    ssize_t wl = readlink(path, want, sizeof want - 1);
    if (wl <= 0)
        return 0;
    want[wl] = '\0';
    uint64_t total = 0;
    DIR *d = opendir("/proc");
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] < '1' || e->d_name[0] > '9')
            continue;
        snprintf(path, sizeof path, "/proc/%.16s/ns/pid", e->d_name);
        ssize_t gl = readlink(path, got, sizeof got - 1);
        if (gl <= 0)
            continue;
        got[gl] = '\0';
        if (strcmp(got, want))
            continue;
        snprintf(path, sizeof path, "/proc/%.16s/statm", e->d_name);
        FILE *f = fopen(path, "re");
        unsigned long size, res;
        if (f && fscanf(f, "%lu %lu", &size, &res) == 2)
            total += (uint64_t)res * (uint64_t)sysconf(_SC_PAGESIZE);
        if (f)
            fclose(f);
    }
    if (d)
        closedir(d);
    return total;
}

/* ---- QoD over time ------------------------------------------------------------------ */

struct bucket {
    double lat_sum, bytes, fails, n;
    double unavail_ms;
};

static void buckets(const struct probe *p, double t_end, struct bucket *b, size_t nb)
{
    memset(b, 0, nb * sizeof *b);
    for (size_t i = 0; i < p->n; i++) {
        const struct sample *s = &p->s[i];
        size_t k = (size_t)(s->t_ms / 1000.0);
        if (s->t_ms < 0 || s->t_ms / 1000.0 >= t_end || k >= nb)
            continue;
        b[k].n++;
        b[k].lat_sum += s->latency_ms;
        if (s->ok)
            b[k].bytes += s->bytes;
        else
            b[k].fails++;
    }
    /* unavailability: requests went unanswered for more than DOWN_GAP_MS, from the start of
     * the first request after the last successful answer to the next successful answer (or the
     * end of the last request), charged to the seconds it covers. Slow is not down: a loaded
     * machine's jitter stays below it. Measured from the request's start, not from the last
     * answer: the prober's own idle time between requests (PROBE_PERIOD_MS) is no outage, and
     * counting it made any answer slower than about 400 ms a "downtime". */
    double first = -1, end = 0;   /* first request after the last success; -1: none */
    for (size_t i = 0; i <= p->n; i++) {
        const struct sample *s = i < p->n ? &p->s[i] : NULL;
        if (s && first < 0)
            first = s->t_ms;
        if (s && !s->ok) {
            end = s->t_ms + s->latency_ms;
            continue;
        }
        if (first < 0)
            break;   /* the run ended on a success */
        double done = s ? s->t_ms + s->latency_ms : end;
        for (double t = first; done - first > DOWN_GAP_MS && t < done; t += 10.0) {
            size_t k = (size_t)(t / 1000.0);
            if (k < nb)
                b[k].unavail_ms += 10.0;
        }
        first = -1;
    }
}

/* Values of samples (latency) in [from, to) seconds. */
static size_t lat_values(const struct probe *p, double from, double to, double *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < p->n && n < max; i++)
        if (p->s[i].t_ms >= from * 1000 && p->s[i].t_ms < to * 1000)
            out[n++] = p->s[i].latency_ms;
    return n;
}

static size_t bucket_values(const struct bucket *b, size_t from, size_t to, int what, double *out)
{
    size_t n = 0;
    for (size_t k = from; k < to; k++)
        out[n++] = what == 0 ? b[k].bytes : b[k].unavail_ms;
    return n;
}

static struct qod_source vals(double *v, size_t n)
{
    struct qod_source s = {n ? QOD_SRC_VALUES : QOD_SRC_NONE, v, n, {0, 0}};
    return s;
}

static struct qod_strset strset(const struct sn_addrset *a, char **store)
{
    for (size_t i = 0; i < a->n; i++)
        store[i] = (char *)a->v[i];
    struct qod_strset s = {true, store, a->n};
    return s;
}

/* ---- FS difference original / clone ----------------------------------------------- */

/* Entries "path type size" of a container's upper dir (its FS diff against the image). */
static size_t fs_entries(const char *id, char ***out)
{
    *out = NULL;
    struct sn_container c;
    char upper[SN_PATH_MAX + 16];
    struct sn_diff d = {0};
    if (!sn_spec_load(SN_STATE_BASE, id, &c) || !sn_state_path(&c, "upper", upper, sizeof upper)
        || !sn_diff_list(upper, &d))
        return 0;
    char *text = sn_diff_format(&d);
    size_t n = 0, cap = 0;
    char **v = NULL;
    for (char *save = NULL, *l = text ? strtok_r(text, "\n", &save) : NULL; l; l = strtok_r(NULL, "\n", &save)) {
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            v = xreallocarray(v, cap, sizeof *v);
        }
        v[n++] = xstrdup(l);
    }
    free(text);
    sn_diff_free(&d);
    *out = v;
    return n;
}

static void free_strs(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* ---- the run --------------------------------------------------------------------------- */

static void app_down(void)
{
    for (int g = 1; g <= GROUPS; g++)
        for (int t = SN_TIER_FRONTEND; t <= SN_TIER_DATABASE; t++) {
            struct sn_container c;
            if (sn_app_spec(g, (enum sn_tier)t, cache_dir(), SN_STATE_BASE, SN_BRIDGE_PN, &c)) {
                struct stat sb;
                if (stat(c.state_dir, &sb) == 0)
                    sn_container_remove(&c, false);
            }
        }
}

bool sn_experiment_cleanup(void)
{
    struct sn_confine_in in;
    if (!sn_lab_confine_init(GROUPS, &in))
        return false;
    for (size_t i = 0; i < in.n_nodes; i++)
        for (int k = 0; k < 2; k++) {
            char id[SN_ID_MAX];
            struct sn_container c;
            struct stat sb;
            char dir[SN_PATH_MAX];
            if (!hs_snprintf(id, sizeof id, "%s-%s", in.nodes[i].id, k ? "f" : "s")
                || !hs_snprintf(dir, sizeof dir, "%s/%s/spec.json", SN_STATE_BASE, id))
                continue;
            if (stat(dir, &sb) == 0 && sn_spec_load(SN_STATE_BASE, id, &c))
                sn_container_remove(&c, false);
        }
    app_down();
    bool ok = sn_lab_net_down();
    rmdir(SN_RUNC_ROOT);               /* runc's root and its parent, when empty */
    rmdir("/run/honeyshift/sandnet");
    return ok;
}

static bool app_up(void)
{
    for (int g = 1; g <= GROUPS; g++)
        for (int t = SN_TIER_DATABASE; t >= SN_TIER_FRONTEND; t--) {
            struct sn_container c;
            if (!sn_app_spec(g, (enum sn_tier)t, cache_dir(), SN_STATE_BASE, SN_BRIDGE_PN, &c)
                || !sn_container_start(&c))
                return false;
        }
    return true;
}

static uint32_t ip_of(const char *octet)
{
    uint32_t ip = 0;
    char s[24];
    snprintf(s, sizeof s, "%s%s", SN_NET_PREFIX, octet);
    hs_parse_ipv4(s, &ip);
    return ip;
}

/* Wait until a probe-like GET from ns to ip:8000 succeeds (the app is up). */
static bool wait_http(const char *ns, uint32_t ip, int timeout_ms)
{
    char url[64], ips[16];
    hs_format_ipv4(ip, ips);
    snprintf(url, sizeof url, "http://%s:8000/", ips);
    for (int waited = 0; waited < timeout_ms; waited += 250) {
        const char *argv[] = {"ip", "netns", "exec", ns, "curl", "-sf", "-m", "1", url, NULL};
        if (sn_run(argv, NULL, 5000, true) == 0)
            return true;
        sleep_ms(250);
    }
    return false;
}

static int write_outputs(struct exp *x);

int sn_experiment_run(const struct sn_exp_opts *o)
{
    struct exp *x = xcalloc(1, sizeof *x);
    x->o = o;
    pthread_mutex_init(&x->preps.mu, NULL);
    pthread_cond_init(&x->preps.cv, NULL);
    int rc = 1;
    double sc = o->scale;
    x->t_detect = 10 * sc;
    x->t_turn = 30 * sc;
    x->t_end = 50 * sc;
    x->t_sealed = x->t_turn_ready = -1;
    if (!hs_snprintf(x->dir, sizeof x->dir, "%s/%s-%s", o->out_dir, sn_strategy_name(o->strategy),
                     o->mode == SN_MODE_ATOMIC ? "atomic" : "in-process")
        || !sn_mkdir_p(x->dir, 0755)) {
        LOG_ERR("sandnet: cannot create %s", x->dir);
        free(x);
        return 1;
    }
    progress("%s strategy, %s mode, timeline x%.2f (detect %.1fs, turn %.1fs, end %.1fs) -> %s",
             sn_strategy_name(o->strategy), o->mode == SN_MODE_ATOMIC ? "atomic" : "in-process",
             sc, x->t_detect, x->t_turn, x->t_end, x->dir);

    progress("setup: leftovers, images, PN/SN under honeyshiftd, external hosts, app x%d", GROUPS);
    sn_experiment_cleanup();
    char rootfs[SN_PATH_MAX];
    if (!hs_snprintf(rootfs, sizeof rootfs, "%s/scripts/rootfs.sh", sn_source_dir()))
        goto out;
    const char *rf[] = {rootfs, "--quiet", "frontend", "backend", "database", NULL};
    if (sn_run(rf, NULL, 900000, false) != 0 || !sn_lab_net_up(GROUPS) || !sn_lab_ext_up()
        || !sn_lab_confine_init(GROUPS, &x->in))
        goto out;
    x->in.stats = true;
    x->in.mode = o->mode;
    if (!o->no_reinject) {
        x->hold = sn_hold_start();
        if (x->hold)
            x->in.hold_port = SN_HOLD_PORT;
        else
            LOG_WARN("sandnet: no hold port: held frames are dropped");
    }
    if (!install(x) || !app_up())
        goto out;
    uint32_t be1 = ip_of("12"), be2 = ip_of("22");
    if (!wait_http("hsn-fe1", be1, 20000) || !wait_http("hsn-fe2", be2, 20000)) {
        LOG_ERR("sandnet: the app did not answer");
        goto out;
    }
    int sc_i = sn_lab_node(&x->in, "fe1");
    if (o->strategy == SN_STRAT_ACTIVE) {
        progress("active: hot clones of every PN container before the experiment");
        bool all[N];
        for (size_t i = 0; i < N; i++)
            all[i] = true;
        if (!start_clone_set(x, all))
            goto out;
        while (work_left(x)) {
            reap_jobs(x);
            if (!launch_pending(x))
                goto out;
            sleep_ms(50);
        }
        reap_jobs(x);
        if (!install(x))
            goto out;
    }

    x->t0 = hs_now_ns();
    progress("t=0 probes start: adversary fe1 -> be1, benign fe2 -> be2");
    if (!probe_start(&x->adv, "hsn-fe1", be1, x->t0) || !probe_start(&x->ben, "hsn-fe2", be2, x->t0))
        goto out;
    uint64_t prev[N * N] = {0}, cur[N * N];
    pair_bytes(prev);
    double next_stat = 1.0, next_hold = 0;
    bool detected = false, turned = false, scan_pre_done = false;
    while (now_s(x) < x->t_end) {
        double t = now_s(x);
        if (!scan_pre_done && t >= 1.0 * sc) {
            scan(x, &x->l2_pre, &x->l3_pre);
            scan_pre_done = x->scanned_pre = true;
            progress("t=%.1fs pre-image scan: %zu MACs, %zu IPs", now_s(x), x->l2_pre.n, x->l3_pre.n);
        }
        if (!detected && t >= next_stat) {   /* flow statistics window (proactive) */
            if (pair_bytes(cur)) {
                for (size_t i = 0; i < x->in.n_nodes; i++)
                    for (size_t j = 0; j < x->in.n_nodes; j++) {
                        uint64_t d = cur[i * N + j] - prev[i * N + j];
                        x->traffic.bytes[i][j] += d;
                        if (d)
                            x->traffic.dur_ms[i][j] += 1000;
                    }
                memcpy(prev, cur, sizeof prev);
            }
            next_stat += 1.0;
        }
        if (!detected && t >= x->t_detect) {
            detected = true;
            progress("t=%.1fs IDS: fe1 is suspicious (SC)", t);
            x->traffic.n = x->in.n_nodes;
            for (size_t i = 0; i < x->in.n_nodes; i++)
                x->traffic.size_bytes[i] = container_rss(x->in.nodes[i].id);
            struct sn_heuristic h = sn_heuristic_default();
            bool sel[SN_STRAT_MAX_NODES];
            sn_strategy_initial(o->strategy, &x->traffic, &h, (size_t)sc_i, sel);
            x->in.sc = sc_i;
            if (!start_job(x, -1, "fe1"))
                goto out;
            bool want[N] = {0};
            for (size_t i = 0; i < x->in.n_nodes; i++)
                want[i] = sel[i];
            if (!start_clone_set(x, want))
                goto out;
            for (size_t i = 0; i < x->in.n_nodes; i++)
                if (x->in.nodes[i].clone != SN_CLONE_NONE && (sel[i] || x->in.nodes[i].clone == SN_CLONE_PLANNED))
                    x->initial[x->n_initial++] = i;
            if (!install(x))   /* holds for the planned clones; nothing redirected yet */
                goto out;
        }
        if (!turned && t >= x->t_turn) {
            turned = true;
            atomic_store(&x->adv.target, be2);
            progress("t=%.1fs the adversary turns to be2", t);
        }
        bool changed = reap_jobs(x);
        if (!launch_pending(x))
            goto out;
        if (detected && !x->in.sealed) {
            bool all = true;
            for (size_t k = 0; k < x->n_initial; k++)
                all &= x->in.nodes[x->initial[k]].clone != SN_CLONE_PLANNED;
            if (all) {
                x->in.sealed = true;
                x->t_sealed = now_s(x);
                changed = true;
                progress("t=%.1fs confined: SC's egress sealed into SN", x->t_sealed);
            }
        }
        if (changed) {
            if (!install(x))
                goto out;
            if (x->in.sealed)
                sn_confine_commit(&x->in);
        }
        if (detected && !x->preps.looked && !x->o->no_prepare && !work_left(x)) {
            /* the first batch is done: prepare the others' clones ahead of a first contact */
            struct preps *ps = &x->preps;
            for (size_t i = 0; i < x->in.n_nodes; i++)
                if (x->in.nodes[i].clone == SN_CLONE_NONE && (int)i != x->in.sc
                    && hs_strlcpy(ps->src[i], x->in.nodes[i].id, sizeof ps->src[i]))
                    ps->queue[ps->n_queue++] = (int)i;
            ps->looked = true;
            ps->started = ps->n_queue && pthread_create(&ps->thread, NULL, prep_main, ps) == 0;
            if (ps->started)
                progress("t=%.1fs preparing %zu clone(s) ahead of a first contact", now_s(x), ps->n_queue);
        }
        bool uncloned = false;   /* something a first contact could still ask for */
        for (size_t i = 0; i < x->in.n_nodes; i++)
            uncloned |= (int)i != x->in.sc && x->in.nodes[i].clone == SN_CLONE_NONE;
        if (x->in.sealed && uncloned && t >= next_hold) {   /* reactive: first contacts on SN */
            /* from the hold port's capture (no process, no flow dump: polling the flows'
             * counters with ovs-ofctl every 50 ms loaded the whole machine, production too);
             * the flows' counters when there is no hold port */
            uint64_t holds[N];
            if (!x->contacts_watched && x->hold) {
                uint8_t macs[N][6];
                uint32_t ips[N];
                for (size_t i = 0; i < x->in.n_nodes; i++) {
                    memcpy(macs[i], x->in.nodes[i].mac, 6);
                    ips[i] = x->in.nodes[i].ip;
                }
                sn_hold_watch_contacts(x->hold, x->in.nodes[x->in.sc].mac, (const uint8_t(*)[6])macs,
                                       ips, x->in.n_nodes);
                x->contacts_watched = true;
            }
            bool got = x->hold ? (sn_hold_contacts(x->hold, holds), true) : sn_hold_counts(holds);
            if (got)
                for (size_t i = 0; i < x->in.n_nodes; i++) {
                    if (holds[i] > x->holds_seen[i] && x->in.nodes[i].clone == SN_CLONE_NONE
                        && (int)i != x->in.sc) {
                        progress("t=%.1fs first contact with %s on SN", now_s(x), x->in.nodes[i].id);
                        bool one[N] = {0};
                        one[i] = true;
                        if (!start_clone_set(x, one))
                            goto out;
                        if (!install(x))
                            goto out;
                    }
                    x->holds_seen[i] = holds[i];
                }
            next_hold = t + (x->hold ? 0.0 : 0.05);
        }
        if (o->shrink_sleep_s > 0 && x->in.sealed && t >= x->shrink.next) {
            if (!shrink_step(x))
                goto out;
            x->shrink.next = t + 0.5;   /* (an ovs-ofctl flow dump per look) */
        }
        sleep_ms(20);
    }
    shrink_thaw_all(x);
    probe_stop(&x->adv);
    probe_stop(&x->ben);
    while (jobs_running(x)) {
        reap_jobs(x);
        sleep_ms(50);
    }
    scan(x, &x->l2_post, &x->l3_post);
    x->scanned_post = !o->no_scan;
    progress("t=%.1fs end: post scan %zu MACs, %zu IPs", now_s(x), x->l2_post.n, x->l3_post.n);
    rc = write_outputs(x);
out:
    shrink_thaw_all(x);
    probe_stop(&x->adv);
    probe_stop(&x->ben);
    while (jobs_running(x)) {
        reap_jobs(x);
        sleep_ms(50);
    }
    for (size_t i = 0; i < x->n_jobs; i++)
        sn_clone_report_free(&x->jobs[i].rep);
    prep_stop(&x->preps);
    pthread_mutex_destroy(&x->preps.mu);
    pthread_cond_destroy(&x->preps.cv);
    sn_hold_stop(x->hold);
    x->hold = NULL;
    for (size_t i = 0; i < x->n_groups; i++) {
        pthread_mutex_destroy(&x->groups[i].mu);
        pthread_cond_destroy(&x->groups[i].cv);
    }
    if (!o->keep) {
        progress("teardown");
        sn_experiment_cleanup();
    }
    free(x);
    return rc;
}

/* ---- outputs ---------------------------------------------------------------------------- */

static json_t *series_stats(const struct probe *p, double from, double to)
{
    double max = 0, sum = 0;
    size_t n = 0, fails = 0;
    for (size_t i = 0; i < p->n; i++) {
        const struct sample *s = &p->s[i];
        if (s->t_ms < from * 1000 || s->t_ms >= to * 1000)
            continue;
        n++;
        sum += s->latency_ms;
        max = s->latency_ms > max ? s->latency_ms : max;
        fails += !s->ok;
    }
    return json_pack("{s:f, s:f, s:I, s:I}", "latency_mean_ms", n ? sum / (double)n : 0.0,
                     "latency_max_ms", max, "requests", (json_int_t)n, "failed", (json_int_t)fails);
}

/* Longest time without a successful answer in [from, to), minus the probe period (ms). */
static double longest_gap(const struct probe *p, double from, double to)
{
    double last = -1, worst = 0;
    for (size_t i = 0; i < p->n; i++) {
        const struct sample *s = &p->s[i];
        if (!s->ok || s->t_ms < from * 1000 || s->t_ms >= to * 1000)
            continue;
        double done = s->t_ms + s->latency_ms;
        if (last >= 0 && done - last - PROBE_PERIOD_MS > worst)
            worst = done - last - PROBE_PERIOD_MS;
        last = done;
    }
    return worst;
}

static int write_outputs(struct exp *x)
{
    char path[SN_PATH_MAX + 32];
    size_t nb = (size_t)ceil(x->t_end);
    struct bucket *ba = xcalloc(nb + 1, sizeof *ba), *bb = xcalloc(nb + 1, sizeof *bb);
    buckets(&x->adv, x->t_end, ba, nb);
    buckets(&x->ben, x->t_end, bb, nb);
    int rc = 1;

    /* samples.csv: every probe request */
    snprintf(path, sizeof path, "%s/samples.csv", x->dir);
    FILE *f = fopen(path, "we");
    if (!f)
        goto out;
    fprintf(f, "t_s,side,target,latency_ms,ok,bytes\n");
    const struct probe *ps[2] = {&x->adv, &x->ben};
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < ps[k]->n; i++) {
            const struct sample *s = &ps[k]->s[i];
            char ip[16];
            hs_format_ipv4(s->target, ip);
            fprintf(f, "%.3f,%s,%s,%.3f,%d,%u\n", s->t_ms / 1000, k ? "benign" : "adversary", ip,
                    s->latency_ms, s->ok, s->bytes);
        }
    if (fclose(f) != 0)
        goto out;

    /* QoD per second: pre-image from [0, detect) (expected: the benign baseline; calculated:
     * the adversary's own), observed: the adversary's last W seconds */
    size_t det = (size_t)x->t_detect;
    size_t w = (size_t)fmax(2.0, round(5.0 * x->o->scale));
    double *e_lat = xcalloc(MAX_SAMPLES, sizeof(double)), *c_lat = xcalloc(MAX_SAMPLES, sizeof(double));
    double *o_lat = xcalloc(MAX_SAMPLES, sizeof(double));
    double e_thr[64 * 16], c_thr[64 * 16], o_thr[64 * 16], e_un[64 * 16], c_un[64 * 16], o_un[64 * 16];
    if (nb > 64 * 16)
        nb = 64 * 16;
    size_t ne = lat_values(&x->ben, 0, x->t_detect, e_lat, MAX_SAMPLES);
    size_t nc = lat_values(&x->adv, 0, x->t_detect, c_lat, MAX_SAMPLES);
    size_t net = bucket_values(bb, 1, det, 0, e_thr), nct = bucket_values(ba, 1, det, 0, c_thr);
    size_t neu = bucket_values(bb, 1, det, 1, e_un), ncu = bucket_values(ba, 1, det, 1, c_un);
    char *s2p[SN_SCAN_MAX], *s2o[SN_SCAN_MAX], *s3p[SN_SCAN_MAX], *s3o[SN_SCAN_MAX];
    double min_qod = 1.0, min_qod_t = 0, final_qod = 1.0;
    /* second reading: expected image = the benign baseline over the same window (what PN gives
     * a non-confined frontend right now, the paper's "FE2 as a baseline"), so load on the
     * machine that both sides see is not charged to the deception; the sets are the same */
    double min_qod_cc = 1.0, min_qod_cc_t = 0, final_qod_cc = 1.0;
    double min_qod_cum = 1.0, min_qod_cum_t = 0, final_qod_cum = 1.0;
    json_t *kpi_min_cum = NULL;
    double *b_lat = xcalloc(MAX_SAMPLES, sizeof(double));
    double b_thr[64 * 16], b_un[64 * 16];
    snprintf(path, sizeof path, "%s/series.csv", x->dir);
    f = fopen(path, "we");
    if (!f)
        goto out2;
    fprintf(f, "t_s,adv_latency_ms,adv_throughput_Bps,adv_unavail_ms,benign_latency_ms,"
               "benign_throughput_Bps,benign_unavail_ms,qod,qod_concurrent,change_latency,"
               "change_throughput,change_downtime,qod_cumulative\n");
    json_t *kpi_last = NULL, *kpi_min = NULL;
    for (size_t k = 1; k < nb; k++) {
        size_t from = k + 1 > w ? k + 1 - w : 0;
        size_t no = lat_values(&x->adv, (double)from, (double)k + 1, o_lat, MAX_SAMPLES);
        size_t not = bucket_values(ba, from, k + 1, 0, o_thr), nou = bucket_values(ba, from, k + 1, 1, o_un);
        bool last = k + 1 == nb;
        struct qod_kpi kp[6];
        size_t nk = 0;
        memset(kp, 0, sizeof kp);
        kp[nk].name = "latency";
        kp[nk].type = QOD_KPI_SERIES;
        kp[nk].expected = vals(e_lat, ne);
        kp[nk].calculated = vals(c_lat, nc);
        kp[nk++].observed = vals(o_lat, no);
        kp[nk].name = "throughput";
        kp[nk].type = QOD_KPI_SERIES;
        kp[nk].expected = vals(e_thr, net);
        kp[nk].calculated = vals(c_thr, nct);
        kp[nk++].observed = vals(o_thr, not);
        kp[nk].name = "downtime";
        kp[nk].type = QOD_KPI_SERIES;
        kp[nk].expected = vals(e_un, neu);
        kp[nk].calculated = vals(c_un, ncu);
        kp[nk++].observed = vals(o_un, nou);
        if (x->scanned_pre) {
            const struct sn_addrset *o2 = last && x->scanned_post ? &x->l2_post : &x->l2_pre;
            const struct sn_addrset *o3 = last && x->scanned_post ? &x->l3_post : &x->l3_pre;
            kp[nk].name = "reachable_macs";
            kp[nk].type = QOD_KPI_SET;
            kp[nk].set_calculated = strset(&x->l2_pre, s2p);
            kp[nk++].set_observed = strset(o2, s2o);
            kp[nk].name = "reachable_ips";
            kp[nk].type = QOD_KPI_SET;
            kp[nk].set_calculated = strset(&x->l3_pre, s3p);
            kp[nk++].set_observed = strset(o3, s3o);
        }
        /* FS difference: the clone the adversary sees now vs its original, at the end */
        char **fo = NULL, **fc = NULL;
        size_t nfo = 0, nfc = 0;
        int be1_i = sn_lab_node(&x->in, "be1");
        if (last && !(be1_i >= 0 && x->shrink.removed[be1_i])) {   /* (a removed clone has no FS) */
            nfo = fs_entries("be1", &fo);
            nfc = fs_entries("be1-s", &fc);
            if (nfc || nfo) {
                kp[nk].name = "fs_diff_be1";
                kp[nk].type = QOD_KPI_SET;
                kp[nk].set_calculated = (struct qod_strset){true, fo, nfo};
                kp[nk++].set_observed = (struct qod_strset){true, fc, nfc};
            }
        }
        struct qod_result res;
        double q = NAN, ch[3] = {NAN, NAN, NAN};
        json_t *kpi_now = NULL;
        if (qod_compute(kp, nk, QOD_NORM_GLOBAL, &res) == QOD_OK) {
            q = res.qod;
            kpi_now = json_array();
            for (size_t i = 0; i < res.n; i++) {
                json_array_append_new(kpi_now, json_pack("{s:s, s:f}", "name", kp[i].name,
                                                         "change", res.changes[i]));
                if (i < 3)
                    ch[i] = res.changes[i];
            }
        }
        qod_result_free(&res);
        double q2 = NAN;
        size_t nbl = lat_values(&x->ben, (double)from, (double)k + 1, b_lat, MAX_SAMPLES);
        size_t nbt = bucket_values(bb, from, k + 1, 0, b_thr), nbu = bucket_values(bb, from, k + 1, 1, b_un);
        kp[0].expected = vals(b_lat, nbl);
        kp[1].expected = vals(b_thr, nbt);
        kp[2].expected = vals(b_un, nbu);
        if (qod_compute(kp, nk, QOD_NORM_GLOBAL, &res) == QOD_OK)
            q2 = res.qod;
        qod_result_free(&res);
        /* third reading, the paper's literal I_o: "the cumulative image observed by the
         * attacker throughout its presence on PN and after confinement to SN", i.e. every
         * adversary sample from t = 0 to now; pre-image as in the first reading */
        double q3 = NAN;
        size_t nol = lat_values(&x->adv, 0, (double)k + 1, o_lat, MAX_SAMPLES);
        size_t n_ot = bucket_values(ba, 1, k + 1, 0, o_thr), n_ou = bucket_values(ba, 1, k + 1, 1, o_un);
        kp[0].expected = vals(e_lat, ne);
        kp[1].expected = vals(e_thr, net);
        kp[2].expected = vals(e_un, neu);
        kp[0].observed = vals(o_lat, nol);
        kp[1].observed = vals(o_thr, n_ot);
        kp[2].observed = vals(o_un, n_ou);
        if (qod_compute(kp, nk, QOD_NORM_GLOBAL, &res) == QOD_OK) {
            q3 = res.qod;
            if (q3 < min_qod_cum) {
                min_qod_cum = q3;
                min_qod_cum_t = (double)k;
                json_decref(kpi_min_cum);
                kpi_min_cum = json_array();
                for (size_t i = 0; i < res.n; i++)
                    json_array_append_new(kpi_min_cum, json_pack("{s:s, s:f}", "name", kp[i].name,
                                                                 "change", res.changes[i]));
            }
            if (last)
                final_qod_cum = q3;
        }
        qod_result_free(&res);
        if (!isnan(q2)) {
            if (q2 < min_qod_cc) {
                min_qod_cc = q2;
                min_qod_cc_t = (double)k;
            }
            if (last)
                final_qod_cc = q2;
        }
        free_strs(fo, nfo);
        free_strs(fc, nfc);
        if (!isnan(q)) {
            if (q < min_qod) {
                min_qod = q;
                min_qod_t = (double)k;
                json_decref(kpi_min);
                kpi_min = json_incref(kpi_now);
            }
            if (last) {
                final_qod = q;
                json_decref(kpi_last);
                kpi_last = json_incref(kpi_now);
            }
        }
        json_decref(kpi_now);
        /* a second without a finished request has no latency (nan), not 0 */
        fprintf(f, "%zu,%.3f,%.0f,%.0f,%.3f,%.0f,%.0f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f\n", k,
                ba[k].n ? ba[k].lat_sum / ba[k].n : NAN, ba[k].bytes, ba[k].unavail_ms,
                bb[k].n ? bb[k].lat_sum / bb[k].n : NAN, bb[k].bytes, bb[k].unavail_ms, q, q2,
                ch[0], ch[1], ch[2], q3);
    }
    if (fclose(f) != 0) {
        json_decref(kpi_last);
        json_decref(kpi_min);
        json_decref(kpi_min_cum);
        goto out2;
    }

    /* summary.json */
    json_t *clones = json_array();
    for (size_t i = 0; i < x->n_jobs; i++) {
        const struct job *j = &x->jobs[i];
        json_t *c = sn_timing_json(&j->rep.timing);
        json_object_set_new(c, "id", json_string(j->dst));
        json_object_set_new(c, "source", json_string(j->src));
        json_object_set_new(c, "kind", json_string(j->node < 0 ? "fresh" : "clone"));
        json_object_set_new(c, "ok", json_boolean(j->ok));
        json_object_set_new(c, "retried", json_boolean(j->retried));
        json_object_set_new(c, "prepared_ahead", json_boolean(j->prepared));
        json_object_set_new(c, "snapshot_group", json_integer(j->group_size));
        json_object_set_new(c, "dump_hold", sn_dump_hold_json(&j->rep.dump_hold));
        json_object_set_new(c, "started_s", json_real(j->started_s));
        json_array_append_new(clones, c);
    }
    json_t *l2 = json_array(), *l3 = json_array(), *l2o = json_array(), *l3o = json_array();
    for (size_t i = 0; i < x->l2_pre.n; i++)
        json_array_append_new(l2, json_string(x->l2_pre.v[i]));
    for (size_t i = 0; i < x->l3_pre.n; i++)
        json_array_append_new(l3, json_string(x->l3_pre.v[i]));
    for (size_t i = 0; i < x->l2_post.n; i++)
        json_array_append_new(l2o, json_string(x->l2_post.v[i]));
    for (size_t i = 0; i < x->l3_post.n; i++)
        json_array_append_new(l3o, json_string(x->l3_post.v[i]));
    size_t cap_n, rein_n;
    sn_hold_counts_local(x->hold, &cap_n, &rein_n);
    json_int_t held_captured = (json_int_t)cap_n, held_reinj = (json_int_t)rein_n;
    json_t *sum = json_pack(
        "{s:s, s:s, s:f, s:{s:f, s:f, s:f}, s:f, s:f, s:f, s:I, s:f, s:f, s:f, s:o, s:o, s:{s:f, s:f, s:f, s:I, s:I, s:o, s:o}, "
        "s:{s:o, s:o, s:f}, s:o, s:{s:o, s:o, s:o, s:o}, s:{s:f, s:f, s:f}}",
        "strategy", sn_strategy_name(x->o->strategy),
        "mode", x->o->mode == SN_MODE_ATOMIC ? "atomic" : "in-process",
        "scale", x->o->scale,
        "timeline_s", "detect", x->t_detect, "turn", x->t_turn, "end", x->t_end,
        "min_qod", min_qod, "min_qod_at_s", min_qod_t, "final_qod", final_qod,
        "qod_window_s", (json_int_t)w,
        "min_qod_concurrent", min_qod_cc, "min_qod_concurrent_at_s", min_qod_cc_t,
        "final_qod_concurrent", final_qod_cc,
        "final_kpi_changes", kpi_last ? kpi_last : json_array(),
        "min_kpi_changes", kpi_min ? kpi_min : json_array(),
        "adversary", "longest_gap_ms_after_detect", longest_gap(&x->adv, x->t_detect, x->t_end),
        "longest_gap_ms_after_turn", longest_gap(&x->adv, x->t_turn, x->t_end),
        "sealed_at_s", x->t_sealed, "held_frames", held_captured, "held_reinjected", held_reinj,
        "before", series_stats(&x->adv, 0, x->t_detect),
        "after", series_stats(&x->adv, x->t_detect, x->t_end),
        "production_impact", "benign_before", series_stats(&x->ben, 0, x->t_detect),
        "benign_after", series_stats(&x->ben, x->t_detect, x->t_end),
        "benign_longest_gap_ms", longest_gap(&x->ben, 0, x->t_end),
        "clones", clones,
        "reachability", "macs_before", l2, "ips_before", l3, "macs_after", l2o, "ips_after", l3o,
        "paper", "reactive_min_qod", 0.7026, "proactive_min_qod", 0.7770, "downtime_per_ms_s", 3.0);
    json_t *shr = json_array();
    for (size_t i = 0; i < x->shrink.n_ev; i++) {
        const struct shrink_event *e = &x->shrink.ev[i];
        char id[SN_ID_MAX];
        snprintf(id, sizeof id, "%s-s", x->in.nodes[e->node].id);
        json_array_append_new(shr, json_pack("{s:f, s:s, s:s, s:b}", "t_s", e->t_s, "id", id,
                                             "action", shrink_action_name(e->action), "ok", e->ok));
    }
    if (sum) {
        json_object_set_new(sum, "shrink", json_pack("{s:f, s:f, s:o}", "sleep_after_s",
                                                     x->o->shrink_sleep_s, "remove_after_s",
                                                     x->o->shrink_remove_s, "events", shr));
        json_object_set_new(sum, "min_qod_cumulative", json_real(min_qod_cum));
        json_object_set_new(sum, "min_qod_cumulative_at_s", json_real(min_qod_cum_t));
        json_object_set_new(sum, "final_qod_cumulative", json_real(final_qod_cum));
        json_object_set_new(sum, "min_kpi_changes_cumulative", kpi_min_cum ? kpi_min_cum : json_array());
    } else {
        json_decref(kpi_min_cum);
        json_decref(shr);
    }
    snprintf(path, sizeof path, "%s/summary.json", x->dir);
    if (!sum || json_dump_file(sum, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6)) != 0) {
        json_decref(sum);
        goto out2;
    }
    json_decref(sum);
    progress("min QoD %.4f at t=%zus, final QoD %.4f (concurrent baseline: min %.4f at t=%zus, final "
             "%.4f; cumulative I_o as the paper: min %.4f at t=%zus, final %.4f); wrote "
             "%s/{samples.csv,series.csv,summary.json}", min_qod, (size_t)min_qod_t,
             final_qod, min_qod_cc, (size_t)min_qod_cc_t, final_qod_cc, min_qod_cum,
             (size_t)min_qod_cum_t, final_qod_cum, x->dir);
    rc = 0;
out2:
    free(b_lat);
    free(e_lat);
    free(c_lat);
    free(o_lat);
out:
    free(ba);
    free(bb);
    return rc;
}
