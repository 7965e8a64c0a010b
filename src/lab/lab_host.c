/* lab_host.c - finding a host's init and running commands in the host (`lab exec`). */
#include "lab/lab.h"
#include "common/util.h"
#include "lab/lab_names.h"
#include "lab/lab_ns.h"
#include "lab/lab_proc.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct init_match {
    const char *lab, *host;     /* host NULL: any host of the lab */
    bool any_ns;                /* also the short-lived parents that unshared the namespaces */
};

/* Ours: honeyshift-hostinit --lab LAB --host HOST, and PID 1 of its own PID namespace (the
 * short-lived parent that unshared it is not). */
static bool match_init(pid_t pid, const struct hs_proc_argv *a, void *ctx)
{
    const struct init_match *m = ctx;
    if (!hs_proc_argv_is(a, "honeyshift-hostinit") || !hs_proc_argv_has(a, "--lab", m->lab))
        return false;
    if (m->host && !hs_proc_argv_has(a, "--host", m->host))
        return false;
    if (m->any_ns)
        return true;
    char p[64];
    struct stat mine, theirs;
    snprintf(p, sizeof p, "/proc/%d/ns/pid", (int)pid);
    return stat(p, &theirs) == 0 && stat("/proc/self/ns/pid", &mine) == 0 &&
           (theirs.st_ino != mine.st_ino || theirs.st_dev != mine.st_dev);
}

int hs_lab_host_init_pid(const struct hs_topology *t, const char *host)
{
    struct init_match m = {t->lab, host, false};
    char pidfile[4096];
    if (hs_lab_host_file(t->state_dir, host, "init.pid", pidfile, sizeof pidfile)) {
        pid_t pid = hs_pidfile_read(pidfile);
        struct hs_proc_argv a;
        if (pid && hs_proc_argv_read(pid, &a)) {
            bool ours = match_init(pid, &a, &m);
            hs_proc_argv_free(&a);
            if (ours)
                return pid;
        }
    }
    pid_t pids[2];
    return hs_proc_find(match_init, &m, pids, 2) ? pids[0] : 0;
}

size_t hs_lab_all_init_pids(const char *lab, bool any_ns, int *out, size_t max)
{
    struct init_match m = {lab, NULL, any_ns};
    return hs_proc_find(match_init, &m, out, max);
}

int hs_lab_exec(const struct hs_lab_target *tg, const char *host, char *const argv[], char *err,
                size_t err_size)
{
    const struct hs_topology *t = tg->topo;
    if (!hs_topology_host(t, host)) {
        snprintf(err, err_size, "lab %s has no host '%s' (%s)", t->lab, host, tg->source);
        return -1;
    }
    pid_t init = hs_lab_host_init_pid(t, host);
    if (!init) {
        snprintf(err, err_size, "host %s of lab %s is not running (try: honeyshift lab up)",
                 host, t->lab);
        return -1;
    }
    fflush(NULL);
    return hs_lab_host_run(init, argv, NULL, err, err_size);
}
