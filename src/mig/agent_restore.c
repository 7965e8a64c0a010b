/* agent_restore.c - CRIU restore inside the host in a fresh nested PID namespace ("nest"), the
 * silent close of other clients' restored sockets, and release of restored processes.
 *
 * agent --fork--> A: setns(host net, uts, pid, mnt) --fork--> B (in the host's PID ns):
 * unshare(PID, mount) --fork--> C = PID 1 of the nest: private /proc, holds the peers of the
 * replacement unix sockets, forks D = criu restore --restore-detached (not PID 1), reports the
 * restored PID over a unix socket with SCM_CREDENTIALS (translating its own PID into the agent's
 * namespace), then reaps until the restored process ends and exits (which ends the nest).
 * When the images' meta names a parent PID > 1, C forks P under that PID (ns_last_pid) instead
 * of D; P execs criu restore without --restore-detached and with --exec-cmd honeyshift-agent
 * --nest-parent 99, which tells C through fd 99 that the restore succeeded and then reaps: the
 * restored process is P's child throughout, so getppid() answers what it did in production. */
#include "mig/agent.h"
#include "common/procfs.h"
#include "common/util.h"
#include "mig/mig_criu.h"
#include "mig/mig_host.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define FIRST_INHERIT_FD 100
#define NEST_NOTIFY_FD 99 /* stand-in parent -> nest init: "the restore succeeded" */
#define RESTORE_TIMEOUT_MS 15000

static void send_status(int fd, const char *msg)
{
    struct ucred cr = {.pid = getpid(), .uid = getuid(), .gid = getgid()};
    union {
        char buf[CMSG_SPACE(sizeof cr)];
        struct cmsghdr align;
    } u;
    memset(&u, 0, sizeof u);
    struct iovec iov = {.iov_base = (void *)msg, .iov_len = strlen(msg)};
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
                        .msg_controllen = sizeof u.buf};
    struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_CREDENTIALS;
    cm->cmsg_len = CMSG_LEN(sizeof cr);
    memcpy(CMSG_DATA(cm), &cr, sizeof cr);
    if (sendmsg(fd, &mh, MSG_NOSIGNAL) < 0)
        _exit(3);
}

/* Make the next PID the nest allocates next + 1 (the nest has its own /proc). */
static int set_last_pid(pid_t next)
{
    int fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    char b[24];
    int n = snprintf(b, sizeof b, "%d", (int)next);
    int rc = write(fd, b, (size_t)n) == n ? 0 : -1;
    close(fd);
    return rc;
}

/* After a successful `criu restore`: read the restored PID from pidfile, report
 * "ok PID T_FORK T_DONE" on st, then reap children until none is left and exit. */
static void report_and_reap(int st, const char *pidfile, uint64_t t_fork, uint64_t t_done)
    __attribute__((noreturn));
static void report_and_reap(int st, const char *pidfile, uint64_t t_fork, uint64_t t_done)
{
    char msg[128];
    FILE *f = fopen(pidfile, "re");
    long rp = 0;
    if (!f || fscanf(f, "%ld", &rp) != 1 || rp <= 0) {
        send_status(st, "error criu left no pid file");
        _exit(1);
    }
    fclose(f);
    snprintf(msg, sizeof msg, "ok %ld %llu %llu", rp, (unsigned long long)t_fork,
             (unsigned long long)t_done);
    send_status(st, msg);
    close(st);
    int devnull = open("/dev/null", O_RDWR);
    if (devnull >= 0) {
        dup2(devnull, 0);
        dup2(devnull, 1);
        dup2(devnull, 2);
    }
    for (;;) {
        if (waitpid(-1, NULL, 0) < 0 && errno == ECHILD)
            _exit(0);
    }
}

/* Fork CRIU --restore-detached (with the replacement sockets at FIRST_INHERIT_FD + i), wait,
 * report the restored PID on st, then reap until no child is left. Runs as the nest's init
 * when no stand-in parent is needed (parent PID 1: the restored process ends up the init's). */
static void run_restore(int st, char *const argv[], const int *give, size_t n,
                        const char *pidfile, const struct hs_mig_meta *m) __attribute__((noreturn));
static void run_restore(int st, char *const argv[], const int *give, size_t n,
                        const char *pidfile, const struct hs_mig_meta *m)
{
    char msg[128];
    /* CRIU and its helpers take PIDs above every PID/TID the images claim */
    if (m && set_last_pid(m->max_tid > getpid() ? m->max_tid : getpid()) != 0) {
        snprintf(msg, sizeof msg, "error ns_last_pid: %s", strerror(errno));
        send_status(st, msg);
        _exit(1);
    }
    uint64_t t_fork = hs_now_ns();
    pid_t d = fork();
    if (d < 0) {
        send_status(st, "error fork");
        _exit(1);
    }
    if (d == 0) {
        for (size_t i = 0; i < n; i++) {
            if (dup2(give[i], FIRST_INHERIT_FD + (int)i) < 0)
                _exit(126);
        }
        execv(argv[0], argv);
        _exit(127);
    }
    for (size_t i = 0; i < n; i++)
        close(give[i]);
    int ws;
    while (waitpid(d, &ws, 0) < 0 && errno == EINTR)
        ;
    uint64_t t_done = hs_now_ns();
    if (!WIFEXITED(ws) || WEXITSTATUS(ws) != 0) {
        snprintf(msg, sizeof msg, "error criu restore exited with status %d",
                 WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws));
        send_status(st, msg);
        _exit(1);
    }
    report_and_reap(st, pidfile, t_fork, t_done);
}

/* C: PID 1 of the nest. With a parent PID in the meta (the process checks getppid(), as a
 * gunicorn worker does), C forks a stand-in parent under exactly that PID, which becomes CRIU
 * and then the agent's --nest-parent mode (see the top of this file); C reports and reaps. */
static void nest_init(int st, char *const argv[], const int *give, const int *keep, size_t n,
                      const char *pidfile, const struct hs_mig_meta *m) __attribute__((noreturn));
static void nest_init(int st, char *const argv[], const int *give, const int *keep, size_t n,
                      const char *pidfile, const struct hs_mig_meta *m)
{
    char msg[128];
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
        mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0) {
        snprintf(msg, sizeof msg, "error mount /proc in the nest: %s", strerror(errno));
        send_status(st, msg);
        _exit(1);
    }
    setsid();
    (void)keep; /* the peers of the replacement sockets stay open while the nest lives */
    if (!m || m->ppid <= 1)
        run_restore(st, argv, give, n, pidfile, m);
    /* the stand-in: P, forked under the parent's PID, becomes CRIU (no --restore-detached,
     * --exec-cmd honeyshift-agent --nest-parent): the restored process is CRIU's child from
     * its first instruction on, and CRIU execs the agent in its place when done. A restored
     * process never sees another parent (with --restore-detached it saw CRIU's PID until CRIU
     * exited: a gunicorn worker then shut down, "Parent changed"). */
    int np[2];
    if (pipe2(np, O_CLOEXEC) != 0 || set_last_pid(m->ppid - 1) != 0) {
        snprintf(msg, sizeof msg, "error pipe/ns_last_pid: %s", strerror(errno));
        send_status(st, msg);
        _exit(1);
    }
    uint64_t t_fork = hs_now_ns();
    pid_t p = fork();
    if (p < 0) {
        send_status(st, "error fork (stand-in parent)");
        _exit(1);
    }
    if (p == 0) {
        if (getpid() != m->ppid)
            _exit(125);
        /* CRIU's own helpers take PIDs above every PID/TID of the images */
        if (set_last_pid(m->max_tid > m->ppid ? m->max_tid : m->ppid) != 0)
            _exit(125);
        for (size_t i = 0; i < n; i++) {
            if (dup2(give[i], FIRST_INHERIT_FD + (int)i) < 0)
                _exit(126);
        }
        if (dup2(np[1], NEST_NOTIFY_FD) < 0) /* dup2: not close-on-exec */
            _exit(126);
        execv(argv[0], argv);
        _exit(127);
    }
    close(np[1]);
    for (size_t i = 0; i < n; i++)
        close(give[i]);
    char c;
    ssize_t r;
    while ((r = read(np[0], &c, 1)) < 0 && errno == EINTR)
        ;
    uint64_t t_done = hs_now_ns();
    close(np[0]);
    if (r != 1) {
        int ws;
        while (waitpid(p, &ws, 0) < 0 && errno == EINTR)
            ;
        snprintf(msg, sizeof msg, "error criu restore (as PID %d) exited with status %d",
                 (int)m->ppid, WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws));
        send_status(st, msg);
        _exit(1);
    }
    report_and_reap(st, pidfile, t_fork, t_done);
}

/* Runs in A (forked from the agent). */
static void nest_spawn(pid_t init, int st, char *const argv[], const int *give, const int *keep,
                       size_t n, const char *pidfile, const struct hs_mig_meta *m)
    __attribute__((noreturn));
static void nest_spawn(pid_t init, int st, char *const argv[], const int *give, const int *keep,
                       size_t n, const char *pidfile, const struct hs_mig_meta *m)
{
    char msg[128];
    if (hs_mig_enter_host(init) != 0) {
        snprintf(msg, sizeof msg, "error enter host namespaces: %s", strerror(errno));
        send_status(st, msg);
        _exit(1);
    }
    pid_t b = fork();
    if (b < 0)
        _exit(1);
    if (b == 0) {
        if (unshare(CLONE_NEWPID | CLONE_NEWNS) != 0) {
            snprintf(msg, sizeof msg, "error unshare(pid, mnt): %s", strerror(errno));
            send_status(st, msg);
            _exit(1);
        }
        pid_t c = fork();
        if (c < 0)
            _exit(1);
        if (c == 0)
            nest_init(st, argv, give, keep, n, pidfile, m);
        _exit(0); /* C is reparented to the host's init */
    }
    int ws;
    while (waitpid(b, &ws, 0) < 0 && errno == EINTR)
        ;
    _exit(0);
}

/* Receive "ok PID" / "error ..." with the nest init's PID (translated by the kernel). */
static int read_status(int fd, int timeout_ms, pid_t *nest, long *restored, uint64_t *t_fork,
                       uint64_t *t_done, char *err, size_t es)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, timeout_ms) != 1) {
        snprintf(err, es, "restore: no report from the nest within %d ms", timeout_ms);
        return -1;
    }
    char buf[256];
    union {
        char b[CMSG_SPACE(sizeof(struct ucred))];
        struct cmsghdr align;
    } u;
    struct iovec iov = {.iov_base = buf, .iov_len = sizeof buf - 1};
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.b,
                        .msg_controllen = sizeof u.b};
    ssize_t n = recvmsg(fd, &mh, 0);
    if (n <= 0) {
        snprintf(err, es, "restore: the nest died without a report");
        return -1;
    }
    buf[n] = '\0';
    *nest = 0;
    for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
        if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_CREDENTIALS) {
            struct ucred cr;
            memcpy(&cr, CMSG_DATA(cm), sizeof cr);
            *nest = cr.pid;
        }
    }
    if (!strncmp(buf, "ok ", 3)) {
        char *end = NULL;
        *restored = strtol(buf + 3, &end, 10);
        *t_fork = *t_done = 0;
        if (end && *end == ' ') {
            *t_fork = strtoull(end + 1, &end, 10);
            if (end && *end == ' ')
                *t_done = strtoull(end + 1, NULL, 10);
        }
        if (*nest <= 0) {
            snprintf(err, es, "restore: no credentials from the nest");
            return -1;
        }
        return 0;
    }
    snprintf(err, es, "restore: %s", !strncmp(buf, "error ", 6) ? buf + 6 : buf);
    return -1;
}

/* The restored process: the child of the nest init (root PID), 0 when none. */
static pid_t nest_child(pid_t nest)
{
    char p[96], buf[256];
    snprintf(p, sizeof p, "/proc/%d/task/%d/children", (int)nest, (int)nest);
    FILE *f = fopen(p, "re");
    long c = 0;
    if (f) {
        if (fgets(buf, sizeof buf, f))
            c = strtol(buf, NULL, 10);
        fclose(f);
    }
    return (pid_t)c;
}

struct others {
    uint64_t *inodes;
    size_t n;
    uint32_t client_ip;
    uint64_t victims[1024];     /* inodes of the restored TCP sockets of other peers */
    struct hs_mig_tuple tuples[1024]; /* and their 4-tuples */
    size_t n_victims;
};

static void on_sock(const struct hs_mig_diag_sock *s, void *ctx)
{
    struct others *o = ctx;
    if (s->t.remote_ip == o->client_ip || o->n_victims >= HS_ARRAY_SIZE(o->victims))
        return;
    for (size_t i = 0; i < o->n; i++)
        if (o->inodes[i] == s->inode) {
            o->tuples[o->n_victims] = s->t;
            o->victims[o->n_victims++] = s->inode;
            return;
        }
}

struct fd_find {
    char want[48];
    int fd;
};

static bool match_target(int fd, const char *target, void *ctx)
{
    struct fd_find *f = ctx;
    if (strcmp(target, f->want) != 0)
        return true;
    f->fd = fd;
    return false;
}

/* The descriptor number under which pid holds socket inode (the first one), -1 when none. */
static int fd_of_inode(pid_t pid, uint64_t inode)
{
    struct fd_find f = {.fd = -1};
    snprintf(f.want, sizeof f.want, "socket:[%llu]", (unsigned long long)inode);
    hs_proc_each_fd(pid, match_target, &f);
    return f.fd;
}

/* Close silently every restored TCP socket of pid whose peer is not the client: a duplicate of
 * the process's descriptor (pidfd_getfd) is put into repair mode (TCP_REPAIR) and disconnected
 * (connect AF_UNSPEC -> tcp_disconnect), which in repair mode sends neither FIN nor RST and
 * moves the connection to CLOSE; the process sees ECONNABORTED on it and closes its descriptor
 * (again silently). SOCK_DESTROY, used before, sent a reset with the other client's 4-tuple. */
static int close_others(pid_t init, pid_t pid, uint32_t client_ip, unsigned *closed, char *err,
                        size_t es)
{
    static uint64_t inodes[4096];
    static struct others o;
    o = (struct others){.inodes = inodes, .client_ip = client_ip};
    o.n = hs_mig_proc_sockets(pid, inodes, HS_ARRAY_SIZE(inodes));
    int nle = 0;
    *closed = 0;
    if (hs_mig_diag(init, HS_MIG_DIAG_DUMP, NULL, on_sock, &o, &nle, err, es) != 0)
        return -1;
    if (!o.n_victims)
        return 0;
    const char *how = getenv("HS_AGENT_CLOSE_OTHERS");
    if (how && !strcmp(how, "destroy")) { /* the former way, with resets: for comparison only */
        for (size_t i = 0; i < o.n_victims; i++) {
            if (hs_mig_diag(init, HS_MIG_DIAG_DESTROY, &o.tuples[i], NULL, NULL, &nle, err, es) !=
                0)
                return -1;
            if (nle == 0)
                (*closed)++;
        }
        return 0;
    }
    int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (pfd < 0) {
        snprintf(err, es, "pidfd_open %d: %s", (int)pid, strerror(errno));
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < o.n_victims && rc == 0; i++) {
        int tfd = fd_of_inode(pid, o.victims[i]);
        if (tfd < 0)
            continue; /* closed meanwhile */
        int s = (int)syscall(SYS_pidfd_getfd, pfd, tfd, 0);
        if (s < 0) {
            snprintf(err, es, "pidfd_getfd %d/%d: %s", (int)pid, tfd, strerror(errno));
            rc = -1;
            break;
        }
        int on = 1;
        struct sockaddr unspec = {.sa_family = AF_UNSPEC};
        if (setsockopt(s, IPPROTO_TCP, TCP_REPAIR, &on, sizeof on) != 0 ||
            connect(s, &unspec, sizeof unspec) != 0) {
            snprintf(err, es, "silent close of socket:[%llu]: %s",
                     (unsigned long long)o.victims[i], strerror(errno));
            rc = -1;
        } else {
            (*closed)++;
        }
        close(s);
    }
    close(pfd);
    return rc;
}

static int nest_record(struct hs_agent *a, uint32_t client_ip, const char *id, pid_t nest)
{
    char p[HS_PATH_MAX + 160], ip[16];
    hs_format_ipv4(client_ip, ip);
    if (mkdir(a->run_dir, 0700) != 0 && errno != EEXIST)
        return -1;
    if (!hs_snprintf(p, sizeof p, "%s/nest-%s-%s.pid", a->run_dir, ip, id))
        return -1;
    FILE *f = fopen(p, "we");
    if (!f)
        return -1;
    fprintf(f, "%d\n", (int)nest);
    return fclose(f);
}

/* The dumping agent's meta file of the images (mig_criu.h); *have false when there is none
 * (an older agent). -1 with a message when it is there but unreadable or malformed. */
static int read_meta(const char *dir, struct hs_mig_meta *m, bool *have, char *err, size_t es)
{
    char path[600], text[HS_MIG_META_MAX + 1];
    *have = false;
    if (!hs_snprintf(path, sizeof path, "%s/%s", dir, HS_MIG_META_FILE)) {
        snprintf(err, es, "image path too long");
        return -1;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        if (errno == ENOENT)
            return 0;
        snprintf(err, es, "%s: %s", path, strerror(errno));
        return -1;
    }
    ssize_t n = read(fd, text, sizeof text);
    close(fd);
    if (n < 0 || hs_mig_meta_parse(text, (size_t)n, m, err, es) != 0) {
        if (n < 0)
            snprintf(err, es, "%s: %s", path, strerror(errno));
        return -1;
    }
    *have = true;
    return 0;
}

int agent_restore(struct hs_agent *a, const struct hs_mig_req *r, json_t *resp, char *err,
                  size_t es)
{
    uint64_t t0 = hs_now_ns();
    pid_t init = hs_mig_host_init(a->t->state_dir, a->t->lab, a->host->name, err, es);
    if (!init)
        return -1;
    /* the restored socket answers at once: the host must know the client's MAC already */
    if (hs_mig_neigh_set(init, "eth0", r->client_ip, r->client_mac, err, es) != 0)
        return -1;
    char dir[512], pidfile[600];
    if (!agent_img_dir(a, r->id, dir, sizeof dir) ||
        !hs_snprintf(pidfile, sizeof pidfile, "%s/restored.pid", dir)) {
        snprintf(err, es, "image path too long");
        return -1;
    }
    unlink(pidfile);
    struct hs_mig_meta meta;
    bool have_meta = false;
    if (read_meta(dir, &meta, &have_meta, err, es) != 0)
        return -1;
    int give[HS_MIG_MAX_UNIX], keep[HS_MIG_MAX_UNIX], fds[HS_MIG_MAX_UNIX];
    size_t n = 0;
    int rc = -1;
    for (; n < r->n_unix; n++) {
        int sp[2];
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) != 0) {
            snprintf(err, es, "socketpair: %s", strerror(errno));
            goto out;
        }
        give[n] = sp[0];
        keep[n] = sp[1];
        fds[n] = FIRST_INHERIT_FD + (int)n;
    }
    char clog[HS_PATH_MAX + 128];
    snprintf(clog, sizeof clog, "%s/%s-restore.log", a->run_dir, r->id);
    struct hs_mig_restore_spec spec = {.criu = a->criu, .dir = dir, .pidfile = pidfile, .log = clog,
                                       .unix_inodes = r->unix_inodes, .fds = fds, .n_unix = n,
                                       .verbosity = a->criu_verbosity};
    char self[HS_PATH_MAX], notify[16];
    char *exec_cmd[] = {self, "--nest-parent", notify, NULL};
    if (have_meta && meta.ppid > 1) {
        ssize_t sl = readlink("/proc/self/exe", self, sizeof self - 1);
        if (sl <= 0 || sl >= (ssize_t)sizeof self - 1) {
            snprintf(err, es, "restore: cannot find the agent's own program");
            goto out;
        }
        self[sl] = '\0';
        snprintf(notify, sizeof notify, "%d", NEST_NOTIFY_FD);
        spec.exec_cmd = exec_cmd;
    }
    struct hs_mig_argv av = {0};
    if (hs_mig_criu_restore_argv(&spec, &av, err, es) != 0) {
        hs_mig_argv_free(&av);
        goto out;
    }
    int st[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, st) != 0) {
        snprintf(err, es, "socketpair: %s", strerror(errno));
        hs_mig_argv_free(&av);
        goto out;
    }
    int one = 1;
    setsockopt(st[0], SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
    uint64_t t1 = hs_now_ns();
    pid_t child = fork();
    if (child < 0) {
        snprintf(err, es, "fork: %s", strerror(errno));
        close(st[0]);
        close(st[1]);
        hs_mig_argv_free(&av);
        goto out;
    }
    if (child == 0) {
        close(st[0]);
        nest_spawn(init, st[1], av.v, give, keep, n, pidfile, have_meta ? &meta : NULL);
    }
    close(st[1]);
    hs_mig_argv_free(&av);
    pid_t nest = 0;
    long restored_inner = 0;
    uint64_t tn_fork = 0, tn_done = 0;
    int srt = read_status(st[0], RESTORE_TIMEOUT_MS, &nest, &restored_inner, &tn_fork, &tn_done,
                          err, es);
    close(st[0]);
    int ws;
    waitpid(child, &ws, 0);
    uint64_t t2 = hs_now_ns();
    if (srt != 0) {
        if (nest > 0)
            kill(nest, SIGKILL);
        goto out;
    }
    /* with a stand-in parent the restored process is its child, else the nest init's */
    pid_t parent = have_meta && meta.ppid > 1 ? nest_child(nest) : nest;
    if (nest_record(a, r->client_ip, r->id, nest) != 0) {
        snprintf(err, es, "cannot record the nest in %s", a->run_dir);
        kill(nest, SIGKILL);
        goto out;
    }
    pid_t restored = nest_child(parent);
    if (restored <= 0) {
        snprintf(err, es, "restore: the restored process is gone already");
        kill(nest, SIGKILL);
        goto out;
    }
    unsigned closed = 0;
    if (close_others(init, restored, r->client_ip, &closed, err, es) != 0) {
        kill(nest, SIGKILL);
        goto out;
    }
    uint64_t t3 = hs_now_ns();
    json_object_set_new(resp, "pid", json_integer(restored));
    json_object_set_new(resp, "inner_pid", json_integer(restored_inner));
    json_object_set_new(resp, "nest_pid", json_integer(nest));
    json_object_set_new(resp, "parent_pid", json_integer(have_meta ? meta.ppid : 0));
    json_object_set_new(resp, "closed", json_integer(closed));
    json_object_set_new(resp, "criu_ms", json_real((double)(t2 - t1) / 1e6));
    json_object_set_new(resp, "close_ms", json_real((double)(t3 - t2) / 1e6));
    json_object_set_new(resp, "ms", json_real((double)(t3 - t0) / 1e6));
    if (tn_fork >= t1 && tn_done >= tn_fork && t2 >= tn_done) {
        /* where the restore's time goes: nest set-up, CRIU itself, report back */
        json_object_set_new(resp, "nest_ms", json_real((double)(tn_fork - t1) / 1e6));
        json_object_set_new(resp, "criu_run_ms", json_real((double)(tn_done - tn_fork) / 1e6));
        json_object_set_new(resp, "report_ms", json_real((double)(t2 - tn_done) / 1e6));
    }
    json_object_set_new(resp, "prep_ms", json_real((double)(t1 - t0) / 1e6));
    rc = 0;
out:
    for (size_t i = 0; i < n; i++) {
        close(give[i]);
        close(keep[i]);
    }
    return rc;
}

/* True when pid runs the agent's program (a nest's init is a fork of the agent). */
bool agent_pid_is_agent(pid_t pid)
{
    char p[64];
    snprintf(p, sizeof p, "/proc/%d/cmdline", (int)pid);
    size_t n;
    char *cmd = hs_read_small_file(p, 65536, &n);
    /* argv[0] only (the arguments are NUL-separated) */
    bool is = cmd && n > 0 && strstr(cmd, "honeyshift-agent") != NULL;
    free(cmd);
    return is;
}

int agent_release(struct hs_agent *a, uint32_t client_ip, unsigned *killed, char *err, size_t es)
{
    *killed = 0;
    DIR *d = opendir(a->run_dir);
    if (!d)
        return 0;
    char prefix[40], ip[16];
    hs_format_ipv4(client_ip, ip);
    snprintf(prefix, sizeof prefix, "nest-%s-", ip);
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d))) {
        if (client_ip ? strncmp(e->d_name, prefix, strlen(prefix)) != 0
                      : strncmp(e->d_name, "nest-", 5) != 0)
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
        if (pid > 0 && agent_pid_is_agent(pid)) {
            if (kill(pid, SIGKILL) != 0) {
                snprintf(err, es, "kill %d: %s", pid, strerror(errno));
                rc = -1;
                continue;
            }
            for (int i = 0; i < 200 && agent_pid_is_agent(pid); i++)
                usleep(5000);
            (*killed)++;
        }
        unlink(path);
    }
    closedir(d);
    return rc;
}
