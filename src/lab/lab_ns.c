/* lab_ns.c - host init spawning, /run/netns names, entering a host's namespaces. */
#include "lab/lab_ns.h"
#include "common/buf.h"
#include "common/util.h"
#include "lab/lab_names.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define HOSTINIT_READY_FD 3
#define HOSTINIT_TIMEOUT_MS 10000

static void reset_signals(void)
{
    signal(SIGINT, SIG_DFL);
    signal(SIGQUIT, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGCHLD, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

static void hostinit_child(const struct hs_hostinit_args *a, int ready_w)
{
    int nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
    int log = open(a->log_file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log < 0)
        log = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (nul < 0 || log < 0 || dup2(nul, 0) < 0 || dup2(log, 1) < 0 || dup2(log, 2) < 0)
        _exit(126);
    if (ready_w == HOSTINIT_READY_FD) {
        if (fcntl(ready_w, F_SETFD, 0) != 0)
            _exit(126);
    } else if (dup2(ready_w, HOSTINIT_READY_FD) < 0) {
        _exit(126);
    }
    close_range(HOSTINIT_READY_FD + 1, ~0U, 0);
    reset_signals();
    char fdbuf[16];
    snprintf(fdbuf, sizeof fdbuf, "%d", HOSTINIT_READY_FD);
    const char *argv[] = {a->exe, "--lab", a->lab, "--host", a->host, "--hostname", a->hostname,
                          "--hosts-file", a->hosts_file, "--ready-fd", fdbuf, NULL};
    execv(a->exe, (char *const *)argv);
    dprintf(HOSTINIT_READY_FD, "error cannot execute %s: %s\n", a->exe, strerror(errno));
    _exit(127);
}

pid_t hs_lab_spawn_hostinit(const struct hs_hostinit_args *a, char *err, size_t err_size)
{
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0) {
        snprintf(err, err_size, "pipe: %s", strerror(errno));
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, err_size, "fork: %s", strerror(errno));
        close(p[0]);
        close(p[1]);
        return -1;
    }
    if (pid == 0)
        hostinit_child(a, p[1]);
    close(p[1]);

    struct hs_buf in = HS_BUF_INIT;
    uint64_t deadline = hs_now_ms() + HOSTINIT_TIMEOUT_MS;
    bool timed_out = false;
    for (;;) {
        uint64_t now = hs_now_ms();
        if (now >= deadline) {
            timed_out = true;
            break;
        }
        struct pollfd pf = {.fd = p[0], .events = POLLIN};
        int r = poll(&pf, 1, (int)(deadline - now));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            continue;
        uint8_t *buf = hs_buf_reserve(&in, 512);
        ssize_t n = read(p[0], buf, 511);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        in.len += (size_t)n;
        if (in.len > 4096 || memchr(in.data, '\n', in.len))
            break;      /* one line is the whole report */
    }
    close(p[0]);
    if (timed_out)
        kill(pid, SIGKILL);
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    *hs_buf_reserve(&in, 1) = 0;
    char *msg = (char *)in.data;
    pid_t init = -1;
    int v = 0;
    if (timed_out) {
        snprintf(err, err_size, "%s for host %s did not report readiness within %d s", a->exe,
                 a->host, HOSTINIT_TIMEOUT_MS / 1000);
    } else if (msg && sscanf(msg, "ok %d", &v) == 1 && v > 1) {
        init = (pid_t)v;
    } else if (msg && !strncmp(msg, "error ", 6)) {
        msg[strcspn(msg, "\n")] = '\0';
        snprintf(err, err_size, "host %s: init failed: %s", a->host, msg + 6);
    } else {
        snprintf(err, err_size, "host %s: init %s exited (status %d) without reporting readiness"
                 " (see %s)", a->host, a->exe, WIFEXITED(st) ? WEXITSTATUS(st) : -1, a->log_file);
    }
    hs_buf_free(&in);
    return init;
}

static int open_ns(pid_t pid, const char *what, char *err, size_t err_size)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/ns/%s", (int)pid, what);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        snprintf(err, err_size, "cannot open %s: %s", path, strerror(errno));
    return fd;
}

int hs_lab_ns_open(pid_t init_pid, struct hs_lab_nsfds *fds, char *err, size_t err_size)
{
    fds->net = fds->mnt = fds->uts = fds->pid = -1;
    if ((fds->net = open_ns(init_pid, "net", err, err_size)) < 0 ||
        (fds->mnt = open_ns(init_pid, "mnt", err, err_size)) < 0 ||
        (fds->uts = open_ns(init_pid, "uts", err, err_size)) < 0 ||
        (fds->pid = open_ns(init_pid, "pid", err, err_size)) < 0) {
        hs_lab_ns_close(fds);
        return -1;
    }
    return 0;
}

void hs_lab_ns_close(struct hs_lab_nsfds *fds)
{
    int *all[] = {&fds->net, &fds->mnt, &fds->uts, &fds->pid};
    for (size_t i = 0; i < HS_ARRAY_SIZE(all); i++) {
        if (*all[i] >= 0)
            close(*all[i]);
        *all[i] = -1;
    }
}

int hs_lab_netns_open(pid_t init_pid, char *err, size_t err_size)
{
    return open_ns(init_pid, "net", err, err_size);
}

/* /run/netns as a shared mount point, as iproute2 sets it up, so `ip netns` agrees with us. */
static int netns_dir_ready(char *err, size_t err_size)
{
    if (mkdir(HS_LAB_NETNS_DIR, 0755) != 0 && errno != EEXIST) {
        snprintf(err, err_size, "mkdir %s: %s", HS_LAB_NETNS_DIR, strerror(errno));
        return -1;
    }
    if (mount("", HS_LAB_NETNS_DIR, "none", MS_SHARED | MS_REC, NULL) == 0)
        return 0;
    if (errno != EINVAL) {
        snprintf(err, err_size, "mount --make-rshared %s: %s", HS_LAB_NETNS_DIR, strerror(errno));
        return -1;
    }
    if (mount(HS_LAB_NETNS_DIR, HS_LAB_NETNS_DIR, "none", MS_BIND | MS_REC, NULL) != 0 ||
        mount("", HS_LAB_NETNS_DIR, "none", MS_SHARED | MS_REC, NULL) != 0) {
        snprintf(err, err_size, "mount --bind %s: %s", HS_LAB_NETNS_DIR, strerror(errno));
        return -1;
    }
    return 0;
}

bool hs_lab_netns_is(const char *path, pid_t init_pid)
{
    char ns[64];
    snprintf(ns, sizeof ns, "/proc/%d/ns/net", (int)init_pid);
    struct stat a, b;
    return stat(path, &a) == 0 && stat(ns, &b) == 0 && a.st_dev == b.st_dev &&
           a.st_ino == b.st_ino;
}

int hs_lab_netns_unmount(const char *path, char *err, size_t err_size)
{
    for (int i = 0; i < 16 && umount2(path, MNT_DETACH) == 0; i++)
        ;   /* stacked mounts: peel them all */
    if (unlink(path) != 0 && errno != ENOENT) {
        snprintf(err, err_size, "cannot remove %s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

int hs_lab_netns_mount(pid_t init_pid, const char *path, char *err, size_t err_size)
{
    if (hs_lab_netns_is(path, init_pid))
        return 0;
    if (netns_dir_ready(err, err_size) != 0)
        return -1;
    if (hs_lab_netns_unmount(path, err, err_size) != 0)     /* a stale name of a dead host */
        return -1;
    int fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(err, err_size, "cannot create %s: %s", path, strerror(errno));
        return -1;
    }
    close(fd);
    char ns[64];
    snprintf(ns, sizeof ns, "/proc/%d/ns/net", (int)init_pid);
    if (mount(ns, path, "none", MS_BIND, NULL) != 0) {
        snprintf(err, err_size, "mount --bind %s %s: %s", ns, path, strerror(errno));
        unlink(path);
        return -1;
    }
    return 0;
}

static void host_child(const struct hs_lab_nsfds *f, char *const argv[], int iofd, int errpipe)
{
    static const struct { int type; const char *name; } order[] = {
        {CLONE_NEWUTS, "uts"}, {CLONE_NEWNET, "net"}, {CLONE_NEWPID, "pid"}, {CLONE_NEWNS, "mnt"},
    };
    const int fds[] = {f->uts, f->net, f->pid, f->mnt};
    for (size_t i = 0; i < HS_ARRAY_SIZE(order); i++) {
        if (setns(fds[i], order[i].type) != 0) {
            dprintf(errpipe, "setns(%s): %s", order[i].name, strerror(errno));
            _exit(126);
        }
    }
    if (chdir("/") != 0) {
        dprintf(errpipe, "chdir /: %s", strerror(errno));
        _exit(126);
    }
    pid_t b = fork();
    if (b < 0) {
        dprintf(errpipe, "fork: %s", strerror(errno));
        _exit(126);
    }
    if (b == 0) {
        reset_signals();
        if (iofd >= 0) {
            int nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
            if (nul < 0 || dup2(nul, 0) < 0 || dup2(iofd, 1) < 0 || dup2(iofd, 2) < 0)
                _exit(127);
        }
        execvp(argv[0], argv);
        fprintf(stderr, "honeyshift lab: cannot execute %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(errpipe);
    int st;
    while (waitpid(b, &st, 0) < 0) {
        if (errno != EINTR)
            _exit(127);
    }
    _exit(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
}

int hs_lab_host_run(pid_t init_pid, char *const argv[], const char *stdio_file, char *err,
                    size_t err_size)
{
    struct hs_lab_nsfds f;
    if (hs_lab_ns_open(init_pid, &f, err, err_size) != 0)
        return -1;
    int iofd = -1;
    if (stdio_file) {
        iofd = open(stdio_file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (iofd < 0) {
            snprintf(err, err_size, "cannot open %s: %s", stdio_file, strerror(errno));
            hs_lab_ns_close(&f);
            return -1;
        }
    }
    int ep[2];
    if (pipe2(ep, O_CLOEXEC) != 0) {
        snprintf(err, err_size, "pipe: %s", strerror(errno));
        hs_lab_ns_close(&f);
        if (iofd >= 0)
            close(iofd);
        return -1;
    }
    struct sigaction ign = {.sa_handler = SIG_IGN}, old_int, old_quit;
    sigemptyset(&ign.sa_mask);
    sigaction(SIGINT, &ign, &old_int);
    sigaction(SIGQUIT, &ign, &old_quit);
    fflush(NULL);
    pid_t a = fork();
    if (a == 0) {
        close(ep[0]);
        host_child(&f, argv, iofd, ep[1]);
    }
    int saved = errno;
    close(ep[1]);
    hs_lab_ns_close(&f);
    if (iofd >= 0)
        close(iofd);
    int rc = -1;
    if (a < 0) {
        snprintf(err, err_size, "fork: %s", strerror(saved));
    } else {
        char msg[256];
        size_t n = 0;
        for (;;) {
            ssize_t r = read(ep[0], msg + n, sizeof msg - 1 - n);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                break;
            n += (size_t)r;
            if (n == sizeof msg - 1)
                break;
        }
        msg[n] = '\0';
        int st;
        while (waitpid(a, &st, 0) < 0 && errno == EINTR)
            ;
        if (n > 0)
            snprintf(err, err_size, "cannot enter the host (init %d): %s", (int)init_pid, msg);
        else
            rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    }
    close(ep[0]);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGQUIT, &old_quit, NULL);
    return rc;
}

int hs_lab_socket_in(int netns_fd, int domain, int type)
{
    if (netns_fd < 0)
        return socket(domain, type | SOCK_CLOEXEC, 0);
    int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    if (self < 0)
        return -1;
    if (setns(netns_fd, CLONE_NEWNET) != 0) {
        int e = errno;
        close(self);
        errno = e;
        return -1;
    }
    int s = socket(domain, type | SOCK_CLOEXEC, 0);
    int e = errno;
    if (setns(self, CLONE_NEWNET) != 0) {
        fprintf(stderr, "honeyshift: cannot return to the own network namespace: %s\n",
                strerror(errno));
        abort();
    }
    close(self);
    errno = e;
    return s;
}

unsigned hs_lab_ifindex_in(int netns_fd, const char *name)
{
    int s = hs_lab_socket_in(netns_fd, AF_INET, SOCK_DGRAM);
    if (s < 0)
        return 0;
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    unsigned idx = 0;
    if (hs_strlcpy(ifr.ifr_name, name, sizeof ifr.ifr_name) && ioctl(s, SIOCGIFINDEX, &ifr) == 0)
        idx = (unsigned)ifr.ifr_ifindex;
    close(s);
    return idx;
}
