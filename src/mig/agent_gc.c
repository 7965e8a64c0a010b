/* agent_gc.c - the agent's garbage collector (I/O; decisions in mig_gc.h): once a second it
 * reaps the nests of relocated processes whose attacker has no live TCP connection left with
 * them for relocation.gc_grace_ms (sock_diag dump in the host's network namespace, matched
 * against the socket inodes held by the nest's processes); at start it removes the image
 * directories of this host left by an earlier agent, and every 30 s image directories older
 * than IMG_MAX_AGE_S and all but the newest LOG_KEEP CRIU logs of run_dir. */
#include "common/log.h"
#include "common/procfs.h"
#include "common/util.h"
#include "mig/agent.h"
#include "mig/mig_gc.h"
#include "mig/mig_host.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>

#define GC_PERIOD_MS 1000
#define CLEAN_PERIOD_MS 30000
#define IMG_MAX_AGE_S 300       /* a relocation's images live at most deadline_ms (<= 60 s) */
#define LOG_KEEP 20             /* CRIU logs kept in run_dir (dump and restore each count) */
#define NEST_MAX_PROCS 128
#define NEST_MAX_SOCKS 256
#define DIAG_MAX_SOCKS 8192

static struct hs_mig_gc gc;
static uint64_t next_gc_ms, next_clean_ms;

/* The nest's processes: pid and its descendants (children of every thread), breadth first. */
static size_t nest_procs(pid_t nest, pid_t *out, size_t max)
{
    size_t n = 0;
    out[n++] = nest;
    for (size_t i = 0; i < n; i++) {
        char p[64];
        snprintf(p, sizeof p, "/proc/%d/task", (int)out[i]);
        DIR *d = opendir(p);
        if (!d)
            continue;
        struct dirent *e;
        while ((e = readdir(d))) {
            if (e->d_name[0] == '.')
                continue;
            char cp[128];
            snprintf(cp, sizeof cp, "/proc/%d/task/%.16s/children", (int)out[i], e->d_name);
            FILE *f = fopen(cp, "re");
            if (!f)
                continue;
            int c;
            while (n < max && fscanf(f, "%d", &c) == 1)
                out[n++] = c;
            fclose(f);
        }
        closedir(d);
    }
    return n;
}

struct epoll_scan {
    pid_t pid;
    int *out;
    size_t max, n, n_epoll;
};

static bool scan_epoll(int fd, const char *target, void *ctx)
{
    struct epoll_scan *sc = ctx;
    if (strcmp(target, "anon_inode:[eventpoll]") != 0)
        return true;
    sc->n_epoll++;
    char p[64], line[256];
    snprintf(p, sizeof p, "/proc/%d/fdinfo/%d", (int)sc->pid, fd);
    FILE *f = fopen(p, "re");
    if (!f)
        return true;
    int tfd;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "tfd: %d", &tfd) == 1 && sc->n < sc->max)
            sc->out[sc->n++] = tfd;
    fclose(f);
    return true;
}

/* The descriptors pid watches with epoll (tfd lines of its epoll descriptors' fdinfo) into
 * out[max]; *n_epoll gets how many epoll descriptors it has. */
static size_t epoll_targets(pid_t pid, int *out, size_t max, size_t *n_epoll)
{
    struct epoll_scan sc = {.pid = pid, .out = out, .max = max};
    hs_proc_each_fd(pid, scan_epoll, &sc);
    *n_epoll = sc.n_epoll;
    return sc.n;
}

/* A restored server process carries every listener its production master gave it; with
 * SO_REUSEPORT (nginx `reuseport`: one listener per worker) it polls only its own, yet all of
 * them join the honeypot's port group, and the connections the kernel hashes to an unpolled one
 * are never accepted. Shut down (leave the group) every TCP listener of pid that none of its
 * epoll sets watches; a process without epoll is left alone (it may poll() them). A shut-down
 * listener stays bound until the process closes it; SO_REUSEADDR off keeps it from blocking
 * later SO_REUSEPORT binds of the same port (Linux treats a bound non-listening socket with
 * SO_REUSEADDR as a conflict). */
static void shut_unpolled_listeners(pid_t pid, const char *id)
{
    int watched[256];
    size_t n_epoll;
    size_t nw = epoll_targets(pid, watched, HS_ARRAY_SIZE(watched), &n_epoll);
    if (n_epoll == 0)
        return;
    int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (pfd < 0)
        return;
    char p[64];
    snprintf(p, sizeof p, "/proc/%d/fd", (int)pid);
    DIR *d = opendir(p);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        char *end;
        long fd = strtol(e->d_name, &end, 10);
        if (*end || end == e->d_name || fd < 0 || fd > 1 << 20)
            continue;
        bool polled = false;
        for (size_t i = 0; i < nw && !polled; i++)
            polled = watched[i] == fd;
        if (polled)
            continue;
        int dup = (int)syscall(SYS_pidfd_getfd, pfd, (int)fd, 0);
        if (dup < 0)
            continue;
        int acc = 0, proto = 0;
        socklen_t sl = sizeof acc, pl = sizeof proto;
        if (getsockopt(dup, SOL_SOCKET, SO_ACCEPTCONN, &acc, &sl) == 0 && acc &&
            getsockopt(dup, SOL_SOCKET, SO_PROTOCOL, &proto, &pl) == 0 && proto == IPPROTO_TCP) {
            /* the socket stays bound (closed) until the process exits: without SO_REUSEADDR it
             * does not block later SO_REUSEPORT binds of the port (a second restore of the same
             * worker, the honeypot's own service restarting) */
            int off = 0;
            if (shutdown(dup, SHUT_RDWR) == 0 &&
                setsockopt(dup, SOL_SOCKET, SO_REUSEADDR, &off, sizeof off) == 0)
                LOG_INFO("gc: relocation %s: process %d's unpolled listener (fd %ld) left the "
                         "port's group", id, (int)pid, fd);
            else
                LOG_WARN("gc: shutdown of listener fd %ld of %d: %s", fd, (int)pid,
                         strerror(errno));
        }
        close(dup);
    }
    if (d)
        closedir(d);
    close(pfd);
}

struct sock_table {
    struct hs_mig_diag_sock *v;
    size_t n;
};

static void on_sock(const struct hs_mig_diag_sock *s, void *ctx)
{
    struct sock_table *t = ctx;
    if (t->n < DIAG_MAX_SOCKS)
        t->v[t->n++] = *s;
}

struct nest {
    char file[300];
    pid_t pid;
    uint64_t inodes[NEST_MAX_SOCKS];
    size_t n_inodes;
};

static void collect(struct hs_agent *a)
{
    DIR *d = opendir(a->run_dir);
    if (!d)
        return;
    static struct nest nests[HS_MIG_GC_MAX_NESTS];
    static struct hs_mig_gc_obs obs[HS_MIG_GC_MAX_NESTS];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < HS_MIG_GC_MAX_NESTS) {
        struct hs_mig_gc_obs *o = &obs[n];
        struct nest *ne = &nests[n];
        if (!hs_mig_gc_parse_name(e->d_name, &o->client_ip, o->id) ||
            !hs_snprintf(ne->file, sizeof ne->file, "%s", e->d_name))
            continue;
        char path[HS_PATH_MAX + 400];
        if (!hs_snprintf(path, sizeof path, "%s/%s", a->run_dir, e->d_name))
            continue;
        FILE *f = fopen(path, "re");
        int pid = 0;
        if (f) {
            if (fscanf(f, "%d", &pid) != 1)
                pid = 0;
            fclose(f);
        }
        if (pid <= 0)
            continue; /* gone meanwhile, or being written by a restore right now */
        if (!agent_pid_is_agent(pid)) {
            /* the restored process ended by itself (or release killed it meanwhile) */
            if (unlinkat(dirfd(d), e->d_name, 0) == 0)
                LOG_INFO("gc: relocation %s of %s ended by itself", o->id, e->d_name + 5);
            continue;
        }
        ne->pid = pid;
        pid_t procs[NEST_MAX_PROCS];
        size_t np = nest_procs(pid, procs, NEST_MAX_PROCS);
        ne->n_inodes = 0;
        for (size_t i = 1; i < np; i++) /* [0] is the nest's init (the agent) */
            shut_unpolled_listeners(procs[i], o->id);
        for (size_t i = 0; i < np && ne->n_inodes < NEST_MAX_SOCKS; i++)
            ne->n_inodes += hs_mig_proc_sockets(procs[i], ne->inodes + ne->n_inodes,
                                                NEST_MAX_SOCKS - ne->n_inodes);
        n++;
    }
    closedir(d);
    if (n == 0) {
        hs_mig_gc_update(&gc, obs, 0, hs_now_ms(), NULL, NULL);
        return;
    }
    char err[256];
    pid_t init = hs_mig_host_init(a->t->state_dir, a->t->lab, a->host->name, err, sizeof err);
    if (!init)
        return; /* host down: nothing to judge by; its nests died with it */
    struct sock_table st = {.v = xcalloc(DIAG_MAX_SOCKS, sizeof *st.v)};
    int nle = 0;
    if (hs_mig_diag(init, HS_MIG_DIAG_DUMP, NULL, on_sock, &st, &nle, err, sizeof err) != 0 ||
        nle != 0) {
        LOG_WARN("gc: socket dump in host %s: %s", a->host->name, nle ? strerror(-nle) : err);
        free(st.v);
        return; /* no judgement without the table */
    }
    for (size_t i = 0; i < n; i++)
        obs[i].live = hs_mig_gc_holds_live(nests[i].inodes, nests[i].n_inodes, st.v, st.n,
                                           obs[i].client_ip);
    free(st.v);
    bool reap[HS_MIG_GC_MAX_NESTS];
    uint64_t idle[HS_MIG_GC_MAX_NESTS];
    if (hs_mig_gc_update(&gc, obs, n, hs_now_ms(), reap, idle) == 0)
        return;
    for (size_t i = 0; i < n; i++) {
        if (!reap[i] || !agent_pid_is_agent(nests[i].pid))
            continue;
        char ip[16];
        hs_format_ipv4(obs[i].client_ip, ip);
        if (kill(nests[i].pid, SIGKILL) != 0) {
            LOG_WARN("gc: kill nest %d: %s", (int)nests[i].pid, strerror(errno));
            continue;
        }
        a->gc_reaped++;
        char path[HS_PATH_MAX + 400];
        if (hs_snprintf(path, sizeof path, "%s/%s", a->run_dir, nests[i].file))
            unlink(path);
        LOG_INFO("gc: reaped relocation %s of %s (nest %d): no connection with the attacker "
                 "for %llu ms (%llu reaped so far)", obs[i].id, ip, (int)nests[i].pid,
                 (unsigned long long)idle[i], (unsigned long long)a->gc_reaped);
    }
}

/* Entries of dir (directories or *.log files, by want_dirs) with their mtimes. */
static size_t list_dir(const char *dir, bool want_dirs, char (*names)[256],
                       struct hs_mig_gc_file *f, size_t max)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < max) {
        struct stat sb;
        size_t l = strlen(e->d_name);
        if (e->d_name[0] == '.' || fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 ||
            !hs_snprintf(names[n], sizeof names[n], "%s", e->d_name))
            continue;
        if (want_dirs ? !S_ISDIR(sb.st_mode)
                      : !S_ISREG(sb.st_mode) || l < 5 || strcmp(e->d_name + l - 4, ".log"))
            continue;
        f[n].name = names[n];
        f[n].mtime = (int64_t)sb.st_mtime;
        n++;
    }
    closedir(d);
    return n;
}

#define CLEAN_MAX 512

/* Remove image directories older than max_age_s (all of them with max_age_s < 0) and all but
 * the newest LOG_KEEP logs. */
static void clean(struct hs_agent *a, int64_t max_age_s)
{
    static char names[CLEAN_MAX][256];
    static struct hs_mig_gc_file f[CLEAN_MAX];
    static bool del[CLEAN_MAX];
    size_t n = list_dir(a->shm_dir, true, names, f, CLEAN_MAX);
    size_t k = max_age_s < 0 ? n : hs_mig_gc_older(f, n, (int64_t)time(NULL), max_age_s, del);
    for (size_t i = 0; i < n && k; i++) {
        char path[512];
        if ((max_age_s < 0 || del[i]) && agent_img_dir(a, f[i].name, path, sizeof path)) {
            agent_rm_images(path);
            LOG_INFO("gc: removed stale images %s", path);
        }
    }
    n = list_dir(a->run_dir, false, names, f, CLEAN_MAX);
    if (hs_mig_gc_keep_newest(f, n, LOG_KEEP, del) == 0)
        return;
    for (size_t i = 0; i < n; i++) {
        char path[HS_PATH_MAX + 400];
        if (del[i] && hs_snprintf(path, sizeof path, "%s/%s", a->run_dir, f[i].name))
            unlink(path);
    }
}

/* A reaped process's listener shares the service's port with the honeypot's own workers
 * (SO_REUSEPORT): with tcp_migrate_req the connections queued on it when it closes move to
 * another listener of the group instead of being reset. Per network namespace (Linux 5.14+). */
static void migrate_requests_on(struct hs_agent *a)
{
    char err[256];
    pid_t init = hs_mig_host_init(a->t->state_dir, a->t->lab, a->host->name, err, sizeof err);
    char *argv[] = {"/usr/sbin/sysctl", "-q", "-w", "net.ipv4.tcp_migrate_req=1", NULL};
    int rc = init ? hs_mig_host_run(init, argv, "/dev/null", 5000, err, sizeof err) : -1;
    if (rc != 0)
        LOG_WARN("gc: net.ipv4.tcp_migrate_req in host %s: %s", a->host->name,
                 rc > 0 ? "sysctl failed" : err);
}

void agent_gc_start(struct hs_agent *a)
{
    hs_mig_gc_init(&gc, a->t->relocation.gc_grace_ms);
    if (a->host->role == HS_ROLE_HONEYPOT)
        migrate_requests_on(a);
    clean(a, -1); /* no relocation runs through an agent that just started */
    next_gc_ms = hs_now_ms() + GC_PERIOD_MS;
    next_clean_ms = hs_now_ms() + CLEAN_PERIOD_MS;
}

int agent_gc_tick(struct hs_agent *a)
{
    uint64_t now = hs_now_ms();
    if (now >= next_clean_ms) {
        clean(a, IMG_MAX_AGE_S);
        next_clean_ms = now + CLEAN_PERIOD_MS;
    }
    if (now >= next_gc_ms) {
        collect(a);
        next_gc_ms = hs_now_ms() + GC_PERIOD_MS;
    }
    uint64_t next = next_gc_ms < next_clean_ms ? next_gc_ms : next_clean_ms;
    now = hs_now_ms();
    return next > now ? (int)(next - now) : 0;
}
