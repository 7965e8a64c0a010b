/* hostinit.c - honeyshift-hostinit: the init process of one lab host.
 *
 * Started by `honeyshift lab up`. It unshares new network, mount, UTS and PID namespaces and
 * forks; the child is PID 1 of the new PID namespace. The child makes / recursively private,
 * hides the outer /run/netns names, mounts a fresh /proc, sets the hostname, bind-mounts the
 * host's generated hosts file over /etc/hosts, bind-mounts the host's directory (the one holding
 * the hosts file) onto /srv/honeyshift, so that every host finds its own files at the same path,
 * brings lo up and then reaps children forever.
 * SIGTERM (or SIGINT/SIGHUP) makes it exit, which kills everything in its PID namespace.
 *
 * Readiness goes to the lab through --ready-fd: "ok <PID of the child in the caller's PID
 * namespace>\n" (written by the parent, which then exits) or "error <message>\n".
 *
 * usage: honeyshift-hostinit --lab LAB --host HOST --hostname NAME --hosts-file PATH
 *                            --ready-fd FD
 */
#include "common/util.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
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

struct opts {
    const char *lab, *host, *hostname, *hosts_file;
    int ready_fd;
};

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig) { (void)sig; stop_requested = 1; }
static void on_chld(int sig) { (void)sig; }

static void usage(void)
{
    fprintf(stderr,
        "usage: honeyshift-hostinit --lab LAB --host HOST --hostname NAME --hosts-file PATH "
        "--ready-fd FD\n"
        "The init process of one honeyshift lab host; started by `honeyshift lab up`.\n");
}

static int parse(int argc, char **argv, struct opts *o)
{
    o->ready_fd = -1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage();
            exit(0);
        }
        if (i + 1 >= argc)
            return -1;
        const char *v = argv[++i];
        if (!strcmp(argv[i - 1], "--lab")) {
            o->lab = v;
        } else if (!strcmp(argv[i - 1], "--host")) {
            o->host = v;
        } else if (!strcmp(argv[i - 1], "--hostname")) {
            o->hostname = v;
        } else if (!strcmp(argv[i - 1], "--hosts-file")) {
            o->hosts_file = v;
        } else if (!strcmp(argv[i - 1], "--ready-fd")) {
            uint64_t fd;
            if (!hs_parse_u64(v, 1024, &fd))
                return -1;
            o->ready_fd = (int)fd;
        } else {
            return -1;
        }
    }
    return o->lab && o->host && o->hostname && o->hosts_file && o->ready_fd >= 0 ? 0 : -1;
}

static void fail(int fd, const char *what, int err) __attribute__((noreturn));
static void fail(int fd, const char *what, int err)
{
    dprintf(fd, "error %s: %s\n", what, strerror(err));
    fprintf(stderr, "honeyshift-hostinit: %s: %s\n", what, strerror(err));
    _exit(1);
}

/* Drop the copies of the outer /run/netns mounts: they would keep other hosts' namespaces
 * alive for as long as this host lives. */
static void hide_netns_names(void)
{
    FILE *f = fopen("/proc/self/mountinfo", "re");
    if (!f)
        return;
    char line[4096];
    char *paths[256];
    size_t n = 0;
    while (n < HS_ARRAY_SIZE(paths) && fgets(line, sizeof line, f)) {
        char mp[4096];
        /* fields: id parent major:minor root mountpoint ... */
        if (sscanf(line, "%*s %*s %*s %*s %4095s", mp) == 1 && !strncmp(mp, "/run/netns/", 11))
            paths[n++] = xstrdup(mp);
    }
    fclose(f);
    for (size_t i = n; i-- > 0;) {
        umount2(paths[i], MNT_DETACH);
        free(paths[i]);
    }
}

static void lo_up(int fd)
{
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0)
        fail(fd, "socket", errno);
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    memcpy(ifr.ifr_name, "lo", 3);
    if (ioctl(s, SIOCGIFFLAGS, &ifr) != 0)
        fail(fd, "lo: SIOCGIFFLAGS", errno);
    ifr.ifr_flags |= IFF_UP;
    if (ioctl(s, SIOCSIFFLAGS, &ifr) != 0)
        fail(fd, "lo: SIOCSIFFLAGS", errno);
    close(s);
}

/* Bind-mount the host's directory (dirname of the hosts file) onto HOST_MOUNT. The mount point
 * is made in the shared root file system when missing (an empty directory). */
#define HOST_MOUNT "/srv/honeyshift"
static void bind_host_dir(const struct opts *o)
{
    char dir[4096];
    if (!hs_strlcpy(dir, o->hosts_file, sizeof dir))
        fail(o->ready_fd, "hosts file path too long", ENAMETOOLONG);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        fail(o->ready_fd, "hosts file must be an absolute path below the host directory", EINVAL);
    *slash = '\0';
    if (mkdir("/srv", 0755) != 0 && errno != EEXIST)
        fail(o->ready_fd, "mkdir /srv", errno);
    if (mkdir(HOST_MOUNT, 0755) != 0 && errno != EEXIST)
        fail(o->ready_fd, "mkdir " HOST_MOUNT, errno);
    if (mount(dir, HOST_MOUNT, NULL, MS_BIND, NULL) != 0)
        fail(o->ready_fd, "bind-mount the host directory onto " HOST_MOUNT, errno);
}

/* PID 1 of the host: set the host up, report, reap. */
static void run_init(const struct opts *o, int sync_w) __attribute__((noreturn));
static void run_init(const struct opts *o, int sync_w)
{
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
        fail(o->ready_fd, "make / private", errno);
    hide_netns_names();
    if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0)
        fail(o->ready_fd, "mount /proc", errno);
    if (sethostname(o->hostname, strlen(o->hostname)) != 0)
        fail(o->ready_fd, "sethostname", errno);
    if (mount(o->hosts_file, "/etc/hosts", NULL, MS_BIND, NULL) != 0)
        fail(o->ready_fd, "bind-mount the hosts file over /etc/hosts", errno);
    bind_host_dir(o);
    lo_up(o->ready_fd);

    struct sigaction sa = {.sa_handler = on_stop};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sa.sa_handler = on_chld;
    sigaction(SIGCHLD, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    sigset_t block, orig;
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGHUP);
    sigaddset(&block, SIGCHLD);
    sigprocmask(SIG_BLOCK, &block, &orig);

    if (write(sync_w, "1", 1) != 1)
        fail(o->ready_fd, "report readiness", errno);
    close(sync_w);
    close(o->ready_fd);
    if (chdir("/") != 0)
        _exit(1);

    for (;;) {
        while (waitpid(-1, NULL, WNOHANG) > 0)
            ;
        if (stop_requested)
            _exit(0);
        sigsuspend(&orig);
    }
}

int main(int argc, char **argv)
{
    struct opts o = {0};
    if (parse(argc, argv, &o) != 0) {
        usage();
        return 2;
    }
    if (fcntl(o.ready_fd, F_SETFD, FD_CLOEXEC) != 0) {
        fprintf(stderr, "honeyshift-hostinit: --ready-fd %d: %s\n", o.ready_fd, strerror(errno));
        return 2;
    }
    if (setsid() < 0 && errno != EPERM)
        fail(o.ready_fd, "setsid", errno);
    if (unshare(CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWPID) != 0)
        fail(o.ready_fd, "unshare(net, mnt, uts, pid)", errno);
    int sync[2];
    if (pipe2(sync, O_CLOEXEC) != 0)
        fail(o.ready_fd, "pipe", errno);
    pid_t child = fork();
    if (child < 0)
        fail(o.ready_fd, "fork", errno);
    if (child == 0) {
        close(sync[0]);
        run_init(&o, sync[1]);
    }
    close(sync[1]);
    char c;
    ssize_t n;
    while ((n = read(sync[0], &c, 1)) < 0 && errno == EINTR)
        ;
    if (n != 1) {
        /* the child failed and said why on the ready fd */
        waitpid(child, NULL, 0);
        _exit(1);
    }
    dprintf(o.ready_fd, "ok %d\n", (int)child);
    close(o.ready_fd);
    /* _exit: no exit-time hooks (e.g. a sanitizer's leak check, which cannot stop the world in
     * a process whose PID namespace for children differs from its own) */
    _exit(0);
}
