/* mig_host.c - host namespaces, netlink in them, socket owners (I/O). */
#include "mig/mig_host.h"
#include "common/buf.h"
#include "common/procfs.h"
#include "common/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

pid_t hs_mig_host_init(const char *state_dir, const char *lab, const char *host, char *err,
                       size_t err_size)
{
    char path[512], buf[64];
    if (!hs_snprintf(path, sizeof path, "%s/hosts/%s/init.pid", state_dir, host)) {
        snprintf(err, err_size, "state dir path too long");
        return 0;
    }
    FILE *f = fopen(path, "re");
    long pid = 0;
    if (!f || !fgets(buf, sizeof buf, f) || (pid = strtol(buf, NULL, 10)) <= 0) {
        snprintf(err, err_size, "host %s: no init (%s)", host, path);
        if (f)
            fclose(f);
        return 0;
    }
    fclose(f);
    /* the command line must be hostinit's for this lab and host */
    if (!hs_snprintf(path, sizeof path, "/proc/%ld/cmdline", pid))
        return 0;
    char cmd[4096];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n = fd >= 0 ? read(fd, cmd, sizeof cmd - 1) : -1;
    if (fd >= 0)
        close(fd);
    bool ok = false;
    if (n > 0) {
        cmd[n] = '\0';
        bool exe = false, l = false, h = false;
        for (char *p = cmd; p < cmd + n; p += strlen(p) + 1) {
            if (strstr(p, "honeyshift-hostinit"))
                exe = true;
            char *next = p + strlen(p) + 1;
            if (next < cmd + n) {
                if (!strcmp(p, "--lab") && !strcmp(next, lab))
                    l = true;
                if (!strcmp(p, "--host") && !strcmp(next, host))
                    h = true;
            }
        }
        ok = exe && l && h;
    }
    if (!ok) {
        snprintf(err, err_size, "host %s: init %ld is not running", host, pid);
        return 0;
    }
    return (pid_t)pid;
}

static int ns_fd(pid_t pid, const char *ns)
{
    char p[64];
    snprintf(p, sizeof p, "/proc/%d/ns/%s", (int)pid, ns);
    return open(p, O_RDONLY | O_CLOEXEC);
}

int hs_mig_enter_host(pid_t init_pid)
{
    static const char *const order[] = {"net", "uts", "pid", "mnt"};
    static const int types[] = {CLONE_NEWNET, CLONE_NEWUTS, CLONE_NEWPID, CLONE_NEWNS};
    int fds[4];
    for (size_t i = 0; i < 4; i++) {
        fds[i] = ns_fd(init_pid, order[i]);
        if (fds[i] < 0) {
            int e = errno;
            while (i-- > 0)
                close(fds[i]);
            errno = e;
            return -1;
        }
    }
    int rc = 0;
    for (size_t i = 0; i < 4 && rc == 0; i++)
        if (setns(fds[i], types[i]) != 0)
            rc = -1;
    int e = errno;
    for (size_t i = 0; i < 4; i++)
        close(fds[i]);
    if (rc == 0 && chdir("/") != 0)
        rc = -1;
    errno = e;
    return rc;
}

static void sleep_ms(unsigned ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

int hs_mig_host_run(pid_t init_pid, char *const argv[], const char *log_path, int timeout_ms,
                    char *err, size_t err_size)
{
    int logfd = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (logfd < 0) {
        snprintf(err, err_size, "%s: %s", log_path, strerror(errno));
        return -1;
    }
    pid_t child = fork();
    if (child < 0) {
        snprintf(err, err_size, "fork: %s", strerror(errno));
        close(logfd);
        return -1;
    }
    if (child == 0) {
        /* first child: enter the host; the grandchild is in its PID namespace */
        if (hs_mig_enter_host(init_pid) != 0) {
            dprintf(logfd, "cannot enter host namespaces: %s\n", strerror(errno));
            _exit(126);
        }
        pid_t g = fork();
        if (g < 0)
            _exit(126);
        if (g == 0) {
            int nul = open("/dev/null", O_RDONLY);
            if (nul < 0 || dup2(nul, 0) < 0 || dup2(logfd, 1) < 0 || dup2(logfd, 2) < 0)
                _exit(126);
            execv(argv[0], argv);
            dprintf(2, "exec %s: %s\n", argv[0], strerror(errno));
            _exit(127);
        }
        int st;
        while (waitpid(g, &st, 0) < 0) {
            if (errno != EINTR)
                _exit(126);
        }
        _exit(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
    }
    close(logfd);
    uint64_t deadline = hs_now_ms() + (uint64_t)timeout_ms;
    int st;
    unsigned nap = 1;
    for (;;) {
        pid_t r = waitpid(child, &st, WNOHANG);
        if (r == child)
            break;
        if (r < 0 && errno != EINTR) {
            snprintf(err, err_size, "waitpid: %s", strerror(errno));
            return -1;
        }
        if (hs_now_ms() >= deadline) {
            /* killing the intermediate leaves the grandchild: kill the group below it */
            kill(child, SIGKILL);
            waitpid(child, &st, 0);
            snprintf(err, err_size, "%s overran %d ms (killed)", argv[0], timeout_ms);
            return -1;
        }
        sleep_ms(nap);
        if (nap < 5)
            nap++;
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* A socket created in the network namespace of pid (the caller switches and returns). */
static int socket_in(pid_t pid, int domain, int type, int proto)
{
    int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    int target = ns_fd(pid, "net");
    int s = -1, e = 0;
    if (self >= 0 && target >= 0 && setns(target, CLONE_NEWNET) == 0) {
        s = socket(domain, type, proto);
        e = errno;
        if (setns(self, CLONE_NEWNET) != 0) {
            /* cannot go back: better to die than to keep running in the wrong namespace */
            fprintf(stderr, "setns back to own network namespace: %s\n", strerror(errno));
            abort();
        }
    } else {
        e = errno;
    }
    if (self >= 0)
        close(self);
    if (target >= 0)
        close(target);
    errno = e;
    return s;
}

static int nl_exchange(int s, const struct hs_buf *req, uint32_t seq,
                       void (*on_sock)(const struct hs_mig_diag_sock *, void *), void *ctx,
                       int *nl_error, char *err, size_t err_size)
{
    struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
    if (sendto(s, req->data, req->len, 0, (struct sockaddr *)&sa, sizeof sa) < 0) {
        snprintf(err, err_size, "netlink send: %s", strerror(errno));
        return -1;
    }
    uint8_t *buf = xmalloc(65536);
    int rc = -1;
    for (;;) {
        struct pollfd p = {.fd = s, .events = POLLIN};
        if (poll(&p, 1, 2000) != 1) {
            snprintf(err, err_size, "netlink: no answer");
            break;
        }
        ssize_t n = recv(s, buf, 65536, 0);
        if (n < 0) {
            snprintf(err, err_size, "netlink receive: %s", strerror(errno));
            break;
        }
        int r = hs_mig_diag_parse(buf, (size_t)n, seq, on_sock, ctx, nl_error, err, err_size);
        if (r < 0)
            break;
        if (r == 1) {
            rc = 0;
            break;
        }
    }
    free(buf);
    return rc;
}

static uint32_t next_seq(void)
{
    static uint32_t seq;
    if (!seq)
        seq = (uint32_t)hs_now_ns() | 1;
    return ++seq;
}

int hs_mig_diag(pid_t init_pid, enum hs_mig_diag_op op, const struct hs_mig_tuple *t,
                void (*on_sock)(const struct hs_mig_diag_sock *, void *), void *ctx,
                int *nl_error, char *err, size_t err_size)
{
    int s = socket_in(init_pid, AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    if (s < 0) {
        snprintf(err, err_size, "sock_diag socket in host: %s", strerror(errno));
        return -1;
    }
    struct hs_buf req = HS_BUF_INIT;
    uint32_t seq = next_seq();
    hs_mig_diag_build(op, seq, t, &req);
    int rc = nl_exchange(s, &req, seq, on_sock, ctx, nl_error, err, err_size);
    hs_buf_free(&req);
    close(s);
    return rc;
}

int hs_mig_neigh_set(pid_t init_pid, const char *ifname, uint32_t ip, const uint8_t mac[6],
                     char *err, size_t err_size)
{
    int s = socket_in(init_pid, AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (s < 0) {
        snprintf(err, err_size, "rtnetlink socket in host: %s", strerror(errno));
        return -1;
    }
    /* the interface index inside the host: ask with an ioctl socket made there */
    int q = socket_in(init_pid, AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    int rc = -1;
    if (q < 0 || !hs_strlcpy(ifr.ifr_name, ifname, sizeof ifr.ifr_name) ||
        ioctl(q, SIOCGIFINDEX, &ifr) != 0) {
        snprintf(err, err_size, "interface %s in host: %s", ifname, strerror(errno));
    } else {
        struct hs_buf req = HS_BUF_INIT;
        uint32_t seq = next_seq();
        int nle = 0;
        hs_mig_neigh_build(seq, ifr.ifr_ifindex, ip, mac, &req);
        if (nl_exchange(s, &req, seq, NULL, NULL, &nle, err, err_size) == 0) {
            if (nle)
                snprintf(err, err_size, "neighbour entry: %s", strerror(-nle));
            else
                rc = 0;
        }
        hs_buf_free(&req);
    }
    if (q >= 0)
        close(q);
    close(s);
    return rc;
}

static bool same_ns(pid_t a, pid_t b, const char *ns)
{
    char p[64];
    struct stat sa, sb;
    snprintf(p, sizeof p, "/proc/%d/ns/%s", (int)a, ns);
    if (stat(p, &sa) != 0)
        return false;
    snprintf(p, sizeof p, "/proc/%d/ns/%s", (int)b, ns);
    if (stat(p, &sb) != 0)
        return false;
    return sa.st_ino == sb.st_ino && sa.st_dev == sb.st_dev;
}

struct sock_collect {
    uint64_t *out;
    size_t max, n;
};

static bool collect_socket(int fd, const char *target, void *ctx)
{
    (void)fd;
    struct sock_collect *c = ctx;
    unsigned long long ino;
    if (sscanf(target, "socket:[%llu]", &ino) == 1)
        c->out[c->n++] = ino;
    return c->n < c->max;
}

size_t hs_mig_proc_sockets(pid_t pid, uint64_t *out, size_t max)
{
    struct sock_collect c = {.out = out, .max = max};
    if (max > 0)
        hs_proc_each_fd(pid, collect_socket, &c);
    return c.n;
}

static bool has(const uint64_t *v, size_t n, uint64_t x)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == x)
            return true;
    return false;
}

size_t hs_mig_proc_unix_sockets(pid_t pid, uint64_t *out, size_t max)
{
    uint64_t socks[1024];
    size_t ns = hs_mig_proc_sockets(pid, socks, HS_ARRAY_SIZE(socks));
    char p[64], line[512];
    snprintf(p, sizeof p, "/proc/%d/net/unix", (int)pid);
    FILE *f = fopen(p, "re");
    if (!f)
        return 0;
    size_t n = 0;
    while (fgets(line, sizeof line, f) && n < max) {
        /* Num RefCount Protocol Flags Type St Inode [Path] */
        unsigned long long ino;
        if (sscanf(line, "%*s %*s %*s %*s %*s %*s %llu", &ino) == 1 && has(socks, ns, ino) &&
            !has(out, n, ino))
            out[n++] = ino;
    }
    fclose(f);
    return n;
}

/* The last PID of the NSpid line: the PID in the innermost namespace. */
static pid_t inner_pid(pid_t pid)
{
    pid_t r;
    hs_proc_nspid(pid, &r);
    return r;
}

int hs_mig_inode_owner(pid_t init_pid, uint32_t inode, pid_t *root_pid, pid_t *host_pid,
                       char *err, size_t err_size)
{
    DIR *d = opendir("/proc");
    if (!d) {
        snprintf(err, err_size, "/proc: %s", strerror(errno));
        return -1;
    }
    struct dirent *e;
    pid_t found = 0;
    uint64_t socks[1024];
    while (!found && (e = readdir(d))) {
        char *end;
        long pid = strtol(e->d_name, &end, 10);
        if (*end || pid <= 0 || pid == init_pid)
            continue;
        if (!same_ns((pid_t)pid, init_pid, "net"))
            continue;
        size_t n = hs_mig_proc_sockets((pid_t)pid, socks, HS_ARRAY_SIZE(socks));
        if (has(socks, n, inode))
            found = (pid_t)pid;
    }
    closedir(d);
    if (!found) {
        snprintf(err, err_size, "no process of the host holds socket inode %u", inode);
        return -1;
    }
    *root_pid = found;
    *host_pid = inner_pid(found);
    if (*host_pid <= 0) {
        snprintf(err, err_size, "process %d: no NSpid", (int)found);
        return -1;
    }
    return 0;
}
