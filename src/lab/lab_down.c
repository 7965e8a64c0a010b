/* lab_down.c - `lab down`: remove everything of a lab, also after a crash or a half-done up. */
#include "lab/lab.h"
#include "common/util.h"
#include "lab/lab_ctl.h"
#include "lab/lab_fs.h"
#include "lab/lab_names.h"
#include "lab/lab_net.h"
#include "lab/lab_ns.h"
#include "lab/lab_proc.h"
#include "lab/lab_svc.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_PIDS 1024

struct down {
    const struct hs_topology *t;
    FILE *progress;
    char left[1024];    /* what could not be removed, for the final message */
};

static void note(struct down *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct down *d, const char *fmt, ...)
{
    if (!d->progress)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("  ", d->progress);
    vfprintf(d->progress, fmt, ap);
    fputc('\n', d->progress);
    va_end(ap);
    fflush(d->progress);
}

static void left(struct down *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void left(struct down *d, const char *fmt, ...)
{
    size_t n = strlen(d->left);
    if (n && n + 2 < sizeof d->left) {
        memcpy(d->left + n, "; ", 3);
        n += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->left + n, sizeof d->left - n, fmt, ap);
    va_end(ap);
}

static void stop_processes(struct down *d)
{
    const struct hs_topology *t = d->t;
    char e[512];
    int n = hs_lab_agents_stop(t->state_dir, e, sizeof e);
    if (n < 0)
        left(d, "%s", e);
    else if (n > 0)
        note(d, "%d migration agent(s) stopped", n);
    n = hs_lab_ipsd_stop(t->state_dir, e, sizeof e);
    if (n < 0)
        left(d, "%s", e);
    else if (n > 0)
        note(d, "ips daemon stopped");
    n = hs_lab_ctl_stop(t->state_dir, e, sizeof e);
    if (n < 0)
        left(d, "%s", e);
    else if (n > 0)
        note(d, "controller stopped");

    /* Killing PID 1 of a host's PID namespace kills everything in it. An interrupted up can
     * leave a hostinit parent that is about to create such an init: stop those too, and look
     * again until no new one appears. */
    pid_t pids[MAX_PIDS];
    for (int round = 0; round < 5; round++) {
        size_t np = hs_lab_all_init_pids(t->lab, true, pids, MAX_PIDS);
        if (np == 0)
            break;
        for (size_t i = 0; i < np; i++) {
            if (hs_proc_stop(pids[i], 3000))
                note(d, "host init %d stopped", (int)pids[i]);
            else
                left(d, "host init %d does not stop", (int)pids[i]);
        }
    }
    /* a service that outlived its host (it cannot, but check: it is ours by its config path) */
    for (size_t i = 0; i < t->n_hosts; i++) {
        char dir[4096];
        if (!hs_lab_host_dir(t->state_dir, t->hosts[i].name, dir, sizeof dir))
            continue;
        for (size_t j = 0; j < t->hosts[i].n_services; j++) {
            pid_t p = hs_lab_svc_pid(&t->hosts[i].services[j], dir);
            if (p && !hs_proc_stop(p, 3000))
                left(d, "service %s of %s (pid %d) does not stop",
                     t->hosts[i].services[j].name, t->hosts[i].name, (int)p);
        }
    }
}

static void remove_bridges(struct down *d)
{
    const struct hs_topology *t = d->t;
    char e[512];
    char (*tagged)[HS_NAME_MAX] = NULL;
    size_t nt = 0;
    if (hs_lab_bridges_tagged(t->lab, &tagged, &nt, e, sizeof e) != 0)
        left(d, "cannot list OVS bridges: %s", e);
    size_t total = t->n_switches + nt;
    for (size_t i = 0; i < total; i++) {
        const char *name = i < t->n_switches ? t->switches[i].name : tagged[i - t->n_switches];
        int ex = hs_lab_bridge_exists(name, e, sizeof e);
        if (ex == 0)
            continue;
        if (ex < 0 || hs_lab_bridge_del(name, e, sizeof e) != 0)
            left(d, "bridge %s: %s", name, e);
        else
            note(d, "bridge %s removed", name);
    }
    free(tagged);
}

static void remove_netns_names(struct down *d)
{
    DIR *dir = opendir(HS_LAB_NETNS_DIR);
    if (!dir)
        return;
    struct dirent *ent;
    char names[256][HS_NAME_MAX];
    size_t n = 0;
    while ((ent = readdir(dir)) != NULL && n < HS_ARRAY_SIZE(names))
        if (hs_lab_name_is_ours(d->t->lab, ent->d_name) &&
            hs_strlcpy(names[n], ent->d_name, HS_NAME_MAX))
            n++;
    closedir(dir);
    for (size_t i = 0; i < n; i++) {
        char path[64], e[512];
        if (!hs_snprintf(path, sizeof path, "%s/%s", HS_LAB_NETNS_DIR, names[i]))
            continue; /* cannot happen: names are at most HS_NAME_MAX - 1 chars */
        if (hs_lab_netns_unmount(path, e, sizeof e) != 0)
            left(d, "%s", e);
        else
            note(d, "netns %s removed", names[i]);
    }
}

static void remove_veths(struct down *d)
{
    char (*names)[HS_NAME_MAX] = NULL;
    size_t n = 0;
    if (hs_lab_veths_of(d->t->lab, &names, &n) != 0) {
        left(d, "cannot list interfaces");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        char e[512];
        if (hs_lab_link_del(names[i], e, sizeof e) != 0)
            left(d, "veth %s: %s", names[i], e);
        else
            note(d, "veth %s removed", names[i]);
    }
    free(names);
}

static void remove_state_dir(struct down *d)
{
    const char *dir = d->t->state_dir;
    struct stat st;
    if (lstat(dir, &st) != 0)
        return;
    char e[512];
    if (!S_ISDIR(st.st_mode) || dir[0] != '/' || !strcmp(dir, "/")) {
        left(d, "state dir %s is not a directory the lab made", dir);
        return;
    }
    if (!hs_lab_marker_is(dir, d->t->lab)) {
        /* not (provably) ours: remove it only when empty */
        if (rmdir(dir) != 0)
            left(d, "state dir %s has no %s marker of lab %s: left in place", dir,
                 HS_LAB_MARKER, d->t->lab);
        return;
    }
    if (hs_lab_rm_tree(dir, e, sizeof e) != 0)
        left(d, "%s", e);
    else
        note(d, "state dir %s removed", dir);
}

/* Relocation images of the lab's agents: /dev/shm/honeyshift-LAB-HOST of every host (the
 * agents remove theirs after each relocation; a crashed agent or relocation leaves them). */
static void remove_images(struct down *d)
{
    const struct hs_topology *t = d->t;
    for (size_t i = 0; i < t->n_hosts; i++) {
        char dir[512], e[512];
        struct stat st;
        if (!hs_snprintf(dir, sizeof dir, "/dev/shm/honeyshift-%s-%s", t->lab, t->hosts[i].name) ||
            lstat(dir, &st) != 0)
            continue;
        if (!S_ISDIR(st.st_mode))
            left(d, "%s is not a directory", dir);
        else if (hs_lab_rm_tree(dir, e, sizeof e) != 0)
            left(d, "%s", e);
        else
            note(d, "relocation images %s removed", dir);
    }
}

/* After the work: is anything of the lab still there? */
static void verify(struct down *d)
{
    const struct hs_topology *t = d->t;
    pid_t pids[4];
    if (hs_lab_all_init_pids(t->lab, true, pids, 4))
        left(d, "host init %d still runs", (int)pids[0]);
    if (hs_lab_ctl_pid(t))
        left(d, "honeyshiftd %d still runs", (int)hs_lab_ctl_pid(t));
    if (hs_lab_ipsd_pid(t))
        left(d, "honeyshift-ipsd %d still runs", (int)hs_lab_ipsd_pid(t));
    for (size_t i = 0; i < t->n_hosts; i++)
        if (hs_lab_bump_ipsd_pid(t, &t->hosts[i]))
            left(d, "honeyshift-ipsd %d (bump of %s) still runs",
                 (int)hs_lab_bump_ipsd_pid(t, &t->hosts[i]), t->hosts[i].name);
    char (*names)[HS_NAME_MAX] = NULL;
    size_t n = 0;
    if (hs_lab_veths_of(t->lab, &names, &n) == 0 && n)
        left(d, "veth %s still exists", names[0]);
    free(names);
    char e[512];
    for (size_t i = 0; i < t->n_switches; i++)
        if (hs_lab_bridge_exists(t->switches[i].name, e, sizeof e) == 1)
            left(d, "bridge %s still exists", t->switches[i].name);
}

int hs_lab_down(const struct hs_lab_target *tg, FILE *progress, char *err, size_t err_size)
{
    struct down d = {.t = tg->topo, .progress = progress};
    if (progress) {
        fprintf(progress, "lab %s: removing (%s)\n", d.t->lab, tg->source);
        fflush(progress);
    }
    /* A second pass catches what an interrupted up (its tools still finishing) made meanwhile. */
    for (int pass = 0; pass < 2; pass++) {
        d.left[0] = '\0';
        stop_processes(&d);
        remove_bridges(&d);
        remove_netns_names(&d);
        remove_veths(&d);
        remove_state_dir(&d);
        remove_images(&d);
        if (!d.left[0])
            verify(&d);
        if (!d.left[0])
            break;
        if (pass == 0) {
            struct timespec ts = {0, 500 * 1000000L};
            nanosleep(&ts, NULL);
        }
    }
    if (d.left[0]) {
        snprintf(err, err_size, "lab %s not completely removed: %s", d.t->lab, d.left);
        return -1;
    }
    if (progress) {
        fprintf(progress, "lab %s is down\n", d.t->lab);
        fflush(progress);
    }
    return 0;
}
