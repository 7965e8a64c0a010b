/* lab_proc.c - /proc scanning, pid files, stopping processes. */
#include "lab/lab_proc.h"
#include "common/procfs.h"
#include "common/util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>



bool hs_proc_argv_read(pid_t pid, struct hs_proc_argv *out)
{
    memset(out, 0, sizeof *out);
    if (!hs_proc_alive(pid))
        return false;
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pid);
    size_t n;
    char *s = hs_read_small_file(path, 65536, &n);
    if (!s)
        return false;
    if (n == 0) {
        free(s);
        return false;
    }
    if (s[n - 1] != '\0')       /* a rewritten title without terminator */
        s[n++] = '\0';          /* hs_read_small_file left room for one byte */
    size_t argc = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\0')
            argc++;
    out->argv = xcalloc(argc + 1, sizeof *out->argv);
    out->joined = xmalloc(n);
    size_t k = 0;
    for (size_t i = 0; i < n; i += strlen(s + i) + 1)
        out->argv[k++] = xstrdup(s + i);
    out->argc = k;
    for (size_t i = 0; i < n - 1; i++)
        out->joined[i] = s[i] ? s[i] : ' ';
    out->joined[n - 1] = '\0';
    free(s);
    return true;
}

void hs_proc_argv_free(struct hs_proc_argv *a)
{
    for (size_t i = 0; i < a->argc; i++)
        free(a->argv[i]);
    free(a->argv);
    free(a->joined);
    memset(a, 0, sizeof *a);
}

bool hs_proc_argv_is(const struct hs_proc_argv *a, const char *name)
{
    if (a->argc == 0)
        return false;
    const char *b = strrchr(a->argv[0], '/');
    return strcmp(b ? b + 1 : a->argv[0], name) == 0;
}

bool hs_proc_argv_has(const struct hs_proc_argv *a, const char *opt, const char *value)
{
    for (size_t i = 0; i + 1 < a->argc; i++)
        if (!strcmp(a->argv[i], opt) && !strcmp(a->argv[i + 1], value))
            return true;
    return false;
}

size_t hs_proc_find(hs_proc_match_fn *match, void *ctx, pid_t *out, size_t max)
{
    DIR *d = opendir("/proc");
    if (!d)
        return 0;
    size_t n = 0;
    pid_t self = getpid();
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!isdigit((unsigned char)e->d_name[0]))
            continue;
        uint64_t v;
        if (!hs_parse_u64(e->d_name, INT32_MAX, &v) || (pid_t)v == self)
            continue;
        struct hs_proc_argv a;
        if (!hs_proc_argv_read((pid_t)v, &a))
            continue;
        if (match((pid_t)v, &a, ctx) && n < max)
            out[n++] = (pid_t)v;
        hs_proc_argv_free(&a);
    }
    closedir(d);
    return n;
}

pid_t hs_pidfile_read(const char *path)
{
    size_t n;
    char *s = hs_read_small_file(path, 64, &n);
    if (!s)
        return 0;
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
        s[--n] = '\0';
    uint64_t v = 0;
    bool ok = hs_parse_u64(s, INT32_MAX, &v);
    free(s);
    return ok && v > 0 ? (pid_t)v : 0;
}

int hs_pidfile_write(const char *path, pid_t pid, char *err, size_t err_size)
{
    char tmp[4096];
    if (!hs_snprintf(tmp, sizeof tmp, "%s.tmp", path)) {
        snprintf(err, err_size, "path too long: %s", path);
        return -1;
    }
    FILE *f = fopen(tmp, "we");
    if (!f) {
        snprintf(err, err_size, "cannot write %s: %s", tmp, strerror(errno));
        return -1;
    }
    fprintf(f, "%d\n", (int)pid);
    if (fclose(f) != 0 || rename(tmp, path) != 0) {
        snprintf(err, err_size, "cannot write %s: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

static void sleep_ms(unsigned ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static bool wait_gone(pid_t pid, int ms)
{
    uint64_t deadline = hs_now_ms() + (uint64_t)ms;
    while (hs_proc_alive(pid)) {
        if (hs_now_ms() >= deadline)
            return false;
        sleep_ms(10);
    }
    return true;
}

bool hs_proc_stop(pid_t pid, int grace_ms)
{
    if (!hs_proc_alive(pid))
        return true;
    if (kill(pid, SIGTERM) != 0 && errno == ESRCH)
        return true;
    if (wait_gone(pid, grace_ms))
        return true;
    kill(pid, SIGKILL);
    return wait_gone(pid, 3000);
}
