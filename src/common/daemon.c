/* daemon.c - locked pidfiles and double-fork detaching with a readiness pipe. */
#include "common/daemon.h"
#include "common/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

int hs_pidfile_lock(const char *prog, const char *path)
{
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        fprintf(stderr, "%s: cannot open pidfile %s: %s\n", prog, path, strerror(errno));
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        char buf[32] = "";
        ssize_t n = read(fd, buf, sizeof buf - 1);
        buf[n > 0 ? n : 0] = '\0';
        buf[strcspn(buf, "\n")] = '\0';
        fprintf(stderr, "%s: already running (pid %s, pidfile %s)\n", prog,
                buf[0] ? buf : "?", path);
        close(fd);
        return -1;
    }
    return fd;
}

void hs_pidfile_write(int fd)
{
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) != 0 || pwrite(fd, buf, (size_t)n, 0) != n)
        LOG_WARN("cannot write pidfile: %s", strerror(errno));
}

int hs_daemonize(int *ready_fd, bool keep_stderr)
{
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid > 0) {
        close(p[1]);
        char c;
        ssize_t n = read(p[0], &c, 1);
        _exit(n == 1 ? 0 : 1);
    }
    close(p[0]);
    setsid();
    pid = fork();
    if (pid < 0)
        _exit(1);
    if (pid > 0)
        _exit(0);
    if (chdir("/") != 0)
        return -1;
    int nul = open("/dev/null", O_RDWR);
    if (nul >= 0) {
        dup2(nul, 0);
        dup2(nul, 1);
        if (!keep_stderr)
            dup2(nul, 2);
        if (nul > 2)
            close(nul);
    }
    *ready_fd = p[1];
    return 0;
}

void hs_daemon_ready(int *ready_fd)
{
    if (*ready_fd < 0)
        return;
    if (write(*ready_fd, "1", 1) != 1)
        LOG_WARN("cannot report readiness to the parent");
    close(*ready_fd);
    *ready_fd = -1;
}

bool hs_daemon_opt(int o, const char *arg, struct hs_daemon_opts *d)
{
    switch (o) {
    case 'd': d->daemon = true; return true;
    case 'p': d->pidfile = arg; return true;
    case 'l': d->logfile = arg; return true;
    case 'v': d->verbose = true; return true;
    default: return false;
    }
}

int hs_daemon_log_open(const char *prog, const char *path, FILE **out)
{
    *out = NULL;
    if (!path)
        return 0;
    FILE *f = fopen(path, "ae");
    if (!f) {
        fprintf(stderr, "%s: cannot open log %s: %s\n", prog, path, strerror(errno));
        return -1;
    }
    setvbuf(f, NULL, _IOLBF, 0);
    hs_log_set_stream(f);
    *out = f;
    return 0;
}

void hs_pidfile_release(int fd, const char *path)
{
    if (fd < 0)
        return;
    if (path)
        unlink(path);
    close(fd);
}
