/* procfs.c - small readers of /proc (see procfs.h). */
#include "common/procfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/util.h"

int hs_proc_nspid_file(const char *path, pid_t *innermost)
{
    char line[512];
    int depth = 0;
    pid_t last = 0;
    if (innermost)
        *innermost = 0;
    FILE *f = fopen(path, "re");
    if (!f)
        return 0;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "NSpid:", 6) != 0)
            continue;
        char *save = NULL;
        for (char *t = strtok_r(line + 6, " \t\n", &save); t; t = strtok_r(NULL, " \t\n", &save)) {
            char *end;
            errno = 0;
            long v = strtol(t, &end, 10);
            if (errno || *end || v <= 0 || v > INT_MAX) {
                depth = 0;
                break;
            }
            last = (pid_t)v;
            depth++;
        }
        break;
    }
    fclose(f);
    if (depth > 0 && innermost)
        *innermost = last;
    return depth;
}

int hs_proc_nspid(pid_t pid, pid_t *innermost)
{
    char p[64];
    snprintf(p, sizeof p, "/proc/%d/status", (int)pid);
    return hs_proc_nspid_file(p, innermost);
}

char *hs_read_small_file(const char *path, size_t max, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    char *buf = xmalloc(max + 1);
    size_t n = 0;
    bool failed = false;
    for (;;) {
        char extra;
        ssize_t r = n < max ? read(fd, buf + n, max - n) : read(fd, &extra, 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            failed = true;
            break;
        }
        if (r == 0)
            break;
        if (n == max) { /* one byte more than fits */
            errno = EFBIG;
            failed = true;
            break;
        }
        n += (size_t)r;
    }
    int saved = errno;
    close(fd);
    if (failed) {
        free(buf);
        errno = saved;
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* State letter from /proc/PID/stat (after the comm in parentheses); 0 when gone. */
static char proc_state(pid_t pid, pid_t *ppid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    size_t n;
    char *s = hs_read_small_file(path, 4096, &n);
    if (!s)
        return 0;
    char st = 0;
    char *rp = strrchr(s, ')'); /* the command name may hold anything */
    int pp = 0;
    if (rp && sscanf(rp + 1, " %c %d", &st, &pp) >= 1 && ppid)
        *ppid = pp;
    free(s);
    return st;
}

bool hs_proc_alive(pid_t pid)
{
    if (pid <= 0)
        return false;
    char st = proc_state(pid, NULL);
    return st != 0 && st != 'Z' && st != 'X';
}

pid_t hs_proc_ppid(pid_t pid)
{
    pid_t pp = 0;
    proc_state(pid, &pp);
    return pp;
}

bool hs_proc_each_fd(pid_t pid, hs_proc_fd_fn *fn, void *ctx)
{
    char p[64];
    snprintf(p, sizeof p, "/proc/%d/fd", (int)pid);
    DIR *d = opendir(p);
    if (!d)
        return false;
    struct dirent *e;
    while ((e = readdir(d))) {
        char target[256], *end;
        errno = 0;
        long fd = strtol(e->d_name, &end, 10);
        if (errno || *end || end == e->d_name || fd < 0 || fd > INT_MAX)
            continue; /* "." and ".." */
        ssize_t l = readlinkat(dirfd(d), e->d_name, target, sizeof target - 1);
        if (l <= 0)
            continue; /* closed meanwhile */
        target[l] = '\0';
        if (!fn((int)fd, target, ctx))
            break;
    }
    closedir(d);
    return true;
}
