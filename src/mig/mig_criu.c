/* mig_criu.c - CRIU argument building (pure). */
#include "mig/mig_criu.h"
#include "common/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void hs_mig_argv_add(struct hs_mig_argv *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    char *s = xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    a->v = xreallocarray(a->v, a->n + 2, sizeof *a->v);
    a->v[a->n++] = s;
    a->v[a->n] = NULL;
}

void hs_mig_argv_free(struct hs_mig_argv *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->v[i]);
    free(a->v);
    a->v = NULL;
    a->n = 0;
}

static void common_opts(struct hs_mig_argv *a)
{
    hs_mig_argv_add(a, "--tcp-established");
    hs_mig_argv_add(a, "--shell-job");
    hs_mig_argv_add(a, "--network-lock");
    hs_mig_argv_add(a, "skip");
}

int hs_mig_criu_dump_argv(const struct hs_mig_dump_spec *s, struct hs_mig_argv *out, char *err,
                          size_t err_size)
{
    if (s->pid <= 0 || !s->dir || s->dir[0] != '/' || !s->criu || !s->criu[0]) {
        snprintf(err, err_size, "dump: need a PID, an absolute image directory and CRIU's path");
        return -1;
    }
    hs_mig_argv_add(out, "%s", s->criu);
    hs_mig_argv_add(out, "dump");
    hs_mig_argv_add(out, "-t");
    hs_mig_argv_add(out, "%d", (int)s->pid);
    hs_mig_argv_add(out, "-D");
    hs_mig_argv_add(out, "%s", s->dir);
    hs_mig_argv_add(out, "-o");
    hs_mig_argv_add(out, "%s", s->log ? s->log : "dump.log");
    hs_mig_argv_add(out, "--leave-running");
    hs_mig_argv_add(out, "--skip-in-flight");
    common_opts(out);
    for (size_t i = 0; i < s->n_unix; i++) {
        hs_mig_argv_add(out, "--external");
        hs_mig_argv_add(out, "unix[%llu]", (unsigned long long)s->unix_inodes[i]);
    }
    return 0;
}

int hs_mig_criu_restore_argv(const struct hs_mig_restore_spec *s, struct hs_mig_argv *out,
                             char *err, size_t err_size)
{
    if (!s->dir || s->dir[0] != '/' || !s->pidfile || s->pidfile[0] != '/' || !s->criu ||
        !s->criu[0]) {
        snprintf(err, err_size, "restore: need absolute image and pid file paths and CRIU's path");
        return -1;
    }
    for (size_t i = 0; i < s->n_unix; i++) {
        if (s->fds[i] < 3) {
            snprintf(err, err_size, "restore: inherited descriptor %d would clash with stdio",
                     s->fds[i]);
            return -1;
        }
    }
    hs_mig_argv_add(out, "%s", s->criu);
    hs_mig_argv_add(out, "restore");
    hs_mig_argv_add(out, "-D");
    hs_mig_argv_add(out, "%s", s->dir);
    hs_mig_argv_add(out, "-o");
    hs_mig_argv_add(out, "%s", s->log ? s->log : "restore.log");
    hs_mig_argv_add(out, "--restore-detached");
    hs_mig_argv_add(out, "--pidfile");
    hs_mig_argv_add(out, "%s", s->pidfile);
    common_opts(out);
    for (size_t i = 0; i < s->n_unix; i++) {
        hs_mig_argv_add(out, "--inherit-fd");
        hs_mig_argv_add(out, "fd[%d]:socket:[%llu]", s->fds[i],
                        (unsigned long long)s->unix_inodes[i]);
    }
    return 0;
}
