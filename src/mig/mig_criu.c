/* mig_criu.c - CRIU argument building (pure). */
#include "mig/mig_criu.h"
#include "common/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    if (s->verbosity > 0 && s->verbosity <= 4)
        hs_mig_argv_add(out, "-v%d", s->verbosity);
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
        !s->criu[0] || (s->exec_cmd && (!s->exec_cmd[0] || s->exec_cmd[0][0] != '/'))) {
        snprintf(err, err_size, "restore: need absolute image and pid file paths, CRIU's path "
                 "and an absolute --exec-cmd program");
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
    if (s->verbosity > 0 && s->verbosity <= 4)
        hs_mig_argv_add(out, "-v%d", s->verbosity);
    if (!s->exec_cmd)
        hs_mig_argv_add(out, "--restore-detached");
    hs_mig_argv_add(out, "--pidfile");
    hs_mig_argv_add(out, "%s", s->pidfile);
    common_opts(out);
    for (size_t i = 0; i < s->n_unix; i++) {
        hs_mig_argv_add(out, "--inherit-fd");
        hs_mig_argv_add(out, "fd[%d]:socket:[%llu]", s->fds[i],
                        (unsigned long long)s->unix_inodes[i]);
    }
    if (s->exec_cmd) {
        hs_mig_argv_add(out, "--exec-cmd");
        hs_mig_argv_add(out, "--");
        for (char *const *c = s->exec_cmd; *c; c++)
            hs_mig_argv_add(out, "%s", *c);
    }
    return 0;
}

bool hs_mig_meta_format(const struct hs_mig_meta *m, char *out, size_t size)
{
    return hs_snprintf(out, size, "pid %d\nppid %d\nmaxtid %d\n", (int)m->pid, (int)m->ppid,
                       (int)m->max_tid);
}

#define META_PID_MAX (1 << 22) /* the kernel's PID_MAX_LIMIT */

int hs_mig_meta_parse(const char *text, size_t len, struct hs_mig_meta *m, char *err,
                      size_t err_size)
{
    static const char *const keys[] = {"pid", "ppid", "maxtid"};
    long vals[3] = {0};
    bool seen[3] = {false};
    size_t i = 0, line = 1;
    if (len > HS_MIG_META_MAX) {
        snprintf(err, err_size, "meta: %zu bytes, more than %d", len, HS_MIG_META_MAX);
        return -1;
    }
    while (i < len) {
        size_t k0 = i;
        while (i < len && text[i] >= 'a' && text[i] <= 'z')
            i++;
        size_t klen = i - k0;
        if (i >= len || text[i] != ' ') {
            snprintf(err, err_size, "meta line %zu: expected 'KEY VALUE'", line);
            return -1;
        }
        i++;
        long v = 0;
        size_t d0 = i;
        while (i < len && text[i] >= '0' && text[i] <= '9' && i - d0 < 8)
            v = v * 10 + (text[i++] - '0');
        if (i == d0 || i >= len || text[i] != '\n') {
            snprintf(err, err_size, "meta line %zu: expected a decimal value and a newline",
                     line);
            return -1;
        }
        i++;
        size_t which = HS_ARRAY_SIZE(keys);
        for (size_t k = 0; k < HS_ARRAY_SIZE(keys); k++)
            if (strlen(keys[k]) == klen && !memcmp(keys[k], text + k0, klen))
                which = k;
        if (which == HS_ARRAY_SIZE(keys) || seen[which]) {
            snprintf(err, err_size, "meta line %zu: unknown or repeated key", line);
            return -1;
        }
        seen[which] = true;
        vals[which] = v;
        line++;
    }
    if (!seen[0] || !seen[1] || !seen[2] || vals[0] < 1 || vals[0] > META_PID_MAX ||
        vals[1] > META_PID_MAX || vals[2] < vals[0] || vals[2] > META_PID_MAX ||
        vals[1] == vals[0]) {
        snprintf(err, err_size, "meta: need pid, ppid, maxtid in range (maxtid >= pid != ppid)");
        return -1;
    }
    m->pid = (pid_t)vals[0];
    m->ppid = (pid_t)vals[1];
    m->max_tid = (pid_t)vals[2];
    return 0;
}
