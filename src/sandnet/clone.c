/* clone.c - live container cloning, the paper's Algorithm 1, with each step timed.
 *
 * Default order (the clone's blackout is checkpoint .. restore):
 *   config, volumes (delta), FS diff list + copy (staged), create clone (netns on SN with the
 *   original's IP, MAC and neighbours, ingress held; bundle), FS diff application (staged ->
 *   clone's upper), [cut-over callback], checkpoint (freeze through the cgroup freezer, or runc
 *   pause; second delta pass of volumes and upper while paused; runc checkpoint --leave-running
 *   --tcp-established; thaw), checkpoint copy (a rename on one file system), restore (overlay
 *   mount, runc restore, ingress released).
 * paper_order moves create and FS diff application after the checkpoint copy, as Algorithm 1.
 * sn_clone_prepare / sn_clone_finish split it before the cut-over, so that the first part can be
 * done ahead of need. CRIU's kernel-feature cache is installed once per process first. */
#include "sandnet/clone.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/log.h"
#include "common/util.h"
#include "sandnet/container.h"
#include "sandnet/criu_stats.h"
#include "sandnet/dumphold.h"
#include "sandnet/freezer.h"
#include "sandnet/net.h"
#include "sandnet/run.h"

#define RUNC_TIMEOUT 120000
#define P (SN_PATH_MAX + 64)

struct clone_ctx {
    const char *src_id;
    const struct sn_clone_opts *o;   /* = &opts */
    struct sn_clone_report *rep;     /* = &own_rep until handed to the caller */
    /* copies, so that a prepared clone can be finished later from another thread */
    struct sn_clone_opts opts;
    struct sn_clone_report own_rep;
    char src_id_buf[SN_ID_MAX], dst_id[SN_ID_MAX], dst_bridge[32], dst_state_dir[SN_PATH_MAX];
    bool made;                       /* the clone's dirs / netns may exist: undo on failure */
    struct sn_container src, dst;
    pid_t src_pid;             /* the original's init (its cgroup freezer) */
    struct sn_dump_hold *hold; /* the original's inbound frames during its dump, or NULL */
    char src_upper[P], staged[P], img_copy[P], dst_upper[P], vols[P];
};

static bool path_of(char *out, size_t size, const char *dir, const char *rel)
{
    if (!hs_snprintf(out, size, "%s/%s", dir, rel)) {
        LOG_ERR("sandnet: path too long: %s/%s", dir, rel);
        return false;
    }
    return true;
}

/* Read a CRIU stats image; false (silently) when missing or malformed. */
static bool read_stats(const char *path, struct sn_criu_stats *st)
{
    uint8_t buf[4096];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    return n > 0 && sn_criu_stats_parse(buf, (size_t)n, st);
}

/* Algorithm 1, L3: the original's configuration (our saved spec + runc state), and the
 * clone's spec derived from it: same IP, MAC, hostname, image; own id, bridge, dirs. */
static bool step_config(struct clone_ctx *x)
{
    struct sn_container *src = &x->src, *dst = &x->dst;
    if (!sn_spec_load(SN_STATE_BASE, x->src_id, src))
        return false;
    struct sn_runc_state st;
    if (!sn_container_state(x->src_id, &st) || strcmp(st.status, "running") != 0) {
        LOG_ERR("sandnet: %s is not running", x->src_id);
        return false;
    }
    x->src_pid = st.pid;
    *dst = *src;
    if (!sn_id_valid(x->o->dst_id) || !hs_strlcpy(dst->id, x->o->dst_id, sizeof dst->id)
        || !hs_strlcpy(dst->bridge, x->o->dst_bridge, sizeof dst->bridge)) {
        LOG_ERR("sandnet: bad clone id or bridge");
        return false;
    }
    bool ok = x->o->dst_state_dir
        ? hs_strlcpy(dst->state_dir, x->o->dst_state_dir, sizeof dst->state_dir)
        : hs_snprintf(dst->state_dir, sizeof dst->state_dir, "%s/%s", SN_STATE_BASE, x->o->dst_id);
    for (size_t i = 0; ok && i < dst->n_volumes; i++)
        ok = hs_snprintf(dst->volumes[i].host, sizeof dst->volumes[i].host, "%s/volumes/%zu",
                         dst->state_dir, i);
    char why[256];
    if (!ok || !sn_spec_validate(dst, why, sizeof why)) {
        LOG_ERR("sandnet: clone spec: %s", ok ? why : "path too long");
        return false;
    }
    struct stat sb;
    if (sn_container_state(dst->id, &st) || stat(dst->state_dir, &sb) == 0) {
        LOG_ERR("sandnet: clone %s already exists (runc or %s)", dst->id, dst->state_dir);
        return false;
    }
    return path_of(x->src_upper, P, src->state_dir, "upper")
        && path_of(x->staged, P, dst->state_dir, "fsdiff")
        && path_of(x->img_copy, P, dst->state_dir, "checkpoint")
        && path_of(x->dst_upper, P, dst->state_dir, "upper")
        && path_of(x->vols, P, dst->state_dir, "volumes")
        && hs_snprintf(x->rep->image_dir, sizeof x->rep->image_dir, "%s/checkpoint-%s",
                       src->state_dir, dst->id);
}

/* L4-7: volumes by delta (prune: the clone's volume ends up equal to the original's). */
static bool copy_volumes(struct clone_ctx *x, struct sn_copy_stats *st)
{
    if (!sn_mkdir_p(x->vols, 0755))
        return false;
    for (size_t i = 0; i < x->src.n_volumes; i++)
        if (!sn_tree_copy(x->src.volumes[i].host, x->dst.volumes[i].host, true, st))
            return false;
    return true;
}

/* L8-11: the changed files = the overlay upper dir, listed and copied to the staging dir. */
static bool copy_fsdiff(struct clone_ctx *x)
{
    return sn_diff_list(x->src_upper, &x->rep->diff)
        && sn_tree_copy(x->src_upper, x->staged, false, &x->rep->fsdiff);
}

/* L17: netns and veth on SN (ingress held) with the original's neighbour entries, bundle. */
static bool create_clone(struct clone_ctx *x)
{
    return sn_ingress_block(&x->dst, true) && sn_netns_up(&x->dst, true)
        && sn_neigh_copy(&x->src, &x->dst) && sn_bundle_write(&x->dst);
}

/* L19-21: the staged changed files into the clone's upper dir (mounted at restore). */
static bool apply_fsdiff(struct clone_ctx *x)
{
    struct sn_copy_stats applied = {0};
    return sn_tree_copy(x->staged, x->dst_upper, false, &applied);
}

/* While the original is paused: bring volumes and FS diff up to date with a second delta pass
 * into wherever they are at this point (clone's upper, or the staging dir in paper order). */
static bool resync(struct clone_ctx *x)
{
    const char *upper_target = x->o->paper_order ? x->staged : x->dst_upper;
    return copy_volumes(x, &x->rep->resync)
        && sn_tree_copy(x->src_upper, upper_target, true, &x->rep->resync);
}

/* Log CRIU's error lines ("Error (...)") of a failed dump/restore before its dir goes away. */
static void log_criu_errors(const char *dir, const char *name)
{
    char path[P + 16], line[512];
    if (!hs_snprintf(path, sizeof path, "%s/%s", dir, name))
        return;
    FILE *f = fopen(path, "re");
    if (!f)
        return;
    int shown = 0;
    while (shown < 6 && fgets(line, sizeof line, f))
        if (strstr(line, "Error") || strstr(line, "error")) {
            line[strcspn(line, "\n")] = '\0';
            LOG_ERR("sandnet: CRIU %s: %s", name, line);
            shown++;
        }
    fclose(f);
}

/* Pause (freeze) or resume the original: through its freezer when fz is given, else runc. */
static bool pause_original(const char *id, const struct sn_freezer *fz, bool pause)
{
    if (fz)
        return sn_freezer_set(fz, pause, 10000);
    const char *argv[] = {"runc", "--root", SN_RUNC_ROOT, pause ? "pause" : "resume", id, NULL};
    return sn_run(argv, NULL, RUNC_TIMEOUT, false) == 0;
}

/* L12-14: checkpoint of the process tree, the original left running. */
static bool step_checkpoint(struct clone_ctx *x)
{
    struct sn_timing *t = &x->rep->timing;
    const char *img = x->rep->image_dir, *id = x->src.id;
    bool prefreeze = !x->o->no_prefreeze;
    if (!sn_tree_remove(img))
        return false;
    const char *argv[] = {"runc", "--root", SN_RUNC_ROOT, "checkpoint", "--leave-running",
                          "--tcp-established", "--image-path", img, "--work-path", img, id, NULL};
    /* the freezer is written directly (runc pause / resume cost a runc start each, 10-40 ms,
     * inside the original's downtime); runc when the cgroup cannot be found */
    struct sn_freezer fz;
    bool direct = prefreeze && sn_freezer_find(x->src_pid, &fz);
    /* CRIU's network lock would drop the original's inbound packets during the dump (a new
     * SYN then waits for its 1 s retransmission): they are held instead (dumphold.h; the
     * capture pair was made by prepare) and CRIU runs with `skip`; CRIU's nftables lock when
     * the hold cannot be put on. The hold goes on where CRIU's lock would: right before the
     * dump, after the pause and the snapshot group's settling (segments in flight between
     * members are still delivered and acknowledged, so both ends are taken consistently) */
    const char *lock = sn_network_lock();
    const char *fallback = strcmp(lock, "hold") ? lock : "nftables";
    uint64_t t0 = hs_now_ns();
    bool paused = prefreeze && pause_original(id, direct ? &fz : NULL, true);
    bool ok = !prefreeze || paused;
    ok = ok && (!prefreeze || !x->o->after_pause || x->o->after_pause(x->o->group));
    ok = ok && (!prefreeze || resync(x));
    bool held = ok && x->hold && sn_dump_hold_arm(x->hold);
    if (ok && !strcmp(lock, "hold") && !held)
        LOG_WARN("sandnet: no dump hold for %s: CRIU's nftables lock drops its packets", id);
    ok = ok && sn_criu_conf_write(&x->src, held ? "skip" : fallback)
        && sn_run(argv, NULL, RUNC_TIMEOUT, false) == 0;
    /* the dump is done: the held frames go in at once, while the original is still frozen
     * (the kernel answers a SYN without its process) */
    if (held)
        sn_dump_hold_flush(x->hold);
    if (paused && x->o->before_resume)
        x->o->before_resume(x->o->group);
    if (paused) {
        /* resume even after a failure: the original must not stay frozen */
        bool resumed = pause_original(id, direct ? &fz : NULL, false);
        if (!resumed)
            LOG_ERR("sandnet: could not resume %s after its checkpoint", id);
        ok &= resumed;
        t->paused_us = (hs_now_ns() - t0) / 1000;
    }
    if (held) {   /* the rest, and the filter off (a tc run: after the pause) */
        ok &= sn_dump_hold_release(x->hold, &x->rep->dump_hold);
        sn_criu_conf_write(&x->src, fallback);
    }
    if (!ok) {
        log_criu_errors(img, "dump.log");
        return false;
    }
    char stats[P];
    struct sn_criu_stats cs;
    if (path_of(stats, sizeof stats, img, "stats-dump") && read_stats(stats, &cs) && cs.has_dump) {
        t->frozen_us = cs.frozen_time;
        t->freezing_us = cs.freezing_time;
    } else {
        LOG_WARN("sandnet: no CRIU dump statistics in %s", img);
    }
    return true;
}

/* Sizes of the files of a flat image dir (CRIU's images) into st. */
static bool count_images(const char *dir, struct sn_copy_stats *st)
{
    DIR *d = opendir(dir);
    if (!d)
        return false;
    struct dirent *e;
    struct stat sb;
    while ((e = readdir(d)))
        if (fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(sb.st_mode)) {
            st->files_copied++;
            st->bytes_copied += (uint64_t)sb.st_size;
        }
    closedir(d);
    return true;
}

/* L14: the images to the clone's dir. PN and SN are on one host here, so when both dirs are on
 * one file system the images are moved (rename) instead of copied: the backend's 52 MB took
 * 22 ms quiet and up to 0.5 s under load, inside the blackout. HS_SN_COPY_IMAGES=1 copies them
 * (as between hosts). */
static bool step_ckpt_copy(struct clone_ctx *x)
{
    const char *img = x->rep->image_dir;
    const char *force = getenv("HS_SN_COPY_IMAGES");
    if (!(force && !strcmp(force, "1"))) {
        if (!sn_tree_remove(x->img_copy))
            return false;
        if (rename(img, x->img_copy) == 0)
            return count_images(x->img_copy, &x->rep->checkpoint);
        if (errno != EXDEV)
            LOG_WARN("sandnet: rename %s: %s; copying", img, strerror(errno));
    }
    return sn_tree_copy(img, x->img_copy, false, &x->rep->checkpoint);
}

/* L23: overlay mount, start from the checkpoint, then let traffic reach the clone. */
static bool step_restore(struct clone_ctx *x)
{
    const struct sn_container *dst = &x->dst;
    char work[P], bundle[P], stats[P + 32];
    if (!path_of(work, sizeof work, dst->state_dir, "restore-work")
        || !path_of(bundle, sizeof bundle, dst->state_dir, "bundle") || !sn_mkdir_p(work, 0700)
        || !sn_rootfs_mount(dst))
        return false;
    const char *argv[] = {"runc", "--root", SN_RUNC_ROOT, "restore", "--detach",
                          "--tcp-established", "--image-path", x->img_copy, "--work-path", work,
                          "--bundle", bundle, dst->id, NULL};
    if (sn_run(argv, NULL, RUNC_TIMEOUT, false) != 0 || !sn_ingress_block(dst, false))
        return false;
    struct sn_criu_stats cs;
    if (path_of(stats, sizeof stats, work, "stats-restore") && read_stats(stats, &cs) && cs.has_restore)
        x->rep->timing.restore_us = cs.restore_time;
    return true;
}

#define STEP(s, expr)                                                                       \
    do {                                                                                    \
        sn_timing_begin(&x->rep->timing, s, hs_now_ns());                                   \
        bool ok_ = (expr);                                                                  \
        sn_timing_end(&x->rep->timing, s, hs_now_ns());                                     \
        if (!ok_) {                                                                         \
            LOG_ERR("sandnet: clone %s -> %s failed at step %s", x->src_id, x->o->dst_id,  \
                    sn_step_name(s));                                                       \
            goto fail;                                                                      \
        }                                                                                   \
    } while (0)

/* Remove what was made for a clone that failed or will not be finished. */
static void undo(struct clone_ctx *x)
{
    sn_ingress_block(&x->dst, false);
    sn_container_remove(&x->dst, false);
    sn_tree_remove(x->rep->image_dir);
}

struct sn_clone_prep *sn_clone_prepare(const char *src_id, const struct sn_clone_opts *opts,
                                       struct sn_clone_report *rep)
{
    memset(rep, 0, sizeof *rep);
    sn_timing_init(&rep->timing);
    struct clone_ctx *x = xcalloc(1, sizeof *x);
    x->opts = *opts;
    if (!hs_strlcpy(x->src_id_buf, src_id, sizeof x->src_id_buf)
        || !hs_strlcpy(x->dst_id, opts->dst_id ? opts->dst_id : "", sizeof x->dst_id)
        || !hs_strlcpy(x->dst_bridge, opts->dst_bridge ? opts->dst_bridge : "", sizeof x->dst_bridge)
        || (opts->dst_state_dir
            && !hs_strlcpy(x->dst_state_dir, opts->dst_state_dir, sizeof x->dst_state_dir))) {
        LOG_ERR("sandnet: clone %s: id, bridge or state dir too long", src_id);
        free(x);
        return NULL;
    }
    x->opts.dst_id = x->dst_id;
    x->opts.dst_bridge = x->dst_bridge;
    x->opts.dst_state_dir = opts->dst_state_dir ? x->dst_state_dir : NULL;
    x->src_id = x->src_id_buf;
    x->o = &x->opts;
    x->rep = &x->own_rep;
    sn_timing_init(&x->rep->timing);
    sn_criu_prepare();   /* once per process: CRIU's kernel-feature cache (not timed) */

    STEP(SN_STEP_CONFIG, step_config(x));
    x->made = true;   /* from here on, failure removes what was made for the clone */
    STEP(SN_STEP_VOLUMES, copy_volumes(x, &x->rep->volumes));
    STEP(SN_STEP_FSDIFF_COPY, copy_fsdiff(x));
    if (!x->o->paper_order) {
        STEP(SN_STEP_CREATE, create_clone(x));
        STEP(SN_STEP_FSDIFF_APPLY, apply_fsdiff(x));
    }
    /* the capture pair of the dump hold, ahead of the checkpoint (not timed: no clone step) */
    if (!strcmp(sn_network_lock(), "hold") && !(x->hold = sn_dump_hold_begin(&x->src)))
        LOG_WARN("sandnet: no dump hold for %s: its checkpoint will use CRIU's nftables lock",
                 x->src_id);
    return (struct sn_clone_prep *)x;
fail:
    if (x->made)
        undo(x);
    *rep = *x->rep;   /* the partial report, for the caller to print and free */
    free(x);
    return NULL;
}

bool sn_clone_finish(struct sn_clone_prep *prep, const struct sn_clone_opts *hooks,
                     struct sn_clone_report *rep)
{
    struct clone_ctx *x = (struct clone_ctx *)prep;
    x->opts.before_checkpoint = hooks->before_checkpoint;
    x->opts.arg = hooks->arg;
    x->opts.after_pause = hooks->after_pause;
    x->opts.before_resume = hooks->before_resume;
    x->opts.group = hooks->group;
    bool ok = false;
    if (x->o->before_checkpoint && !x->o->before_checkpoint(x->o->arg)) {
        LOG_ERR("sandnet: clone %s -> %s: cut-over before the checkpoint failed", x->src_id, x->o->dst_id);
        goto fail;
    }
    STEP(SN_STEP_CHECKPOINT, step_checkpoint(x));
    STEP(SN_STEP_CKPT_COPY, step_ckpt_copy(x));
    if (x->o->paper_order) {
        STEP(SN_STEP_CREATE, create_clone(x));
        STEP(SN_STEP_FSDIFF_APPLY, apply_fsdiff(x));
    }
    STEP(SN_STEP_RESTORE, step_restore(x));
    sn_tree_remove(x->rep->image_dir);   /* the clone has its copy */
    ok = true;
    goto out;
fail:
    undo(x);
out:
    sn_dump_hold_free(x->hold);
    *rep = *x->rep;   /* the report (and its diff listing) now belongs to the caller */
    free(x);
    return ok;
}

void sn_clone_abort(struct sn_clone_prep *prep)
{
    if (!prep)
        return;
    struct clone_ctx *x = (struct clone_ctx *)prep;
    undo(x);
    sn_dump_hold_free(x->hold);
    sn_clone_report_free(x->rep);
    free(x);
}

bool sn_clone(const char *src_id, const struct sn_clone_opts *opts, struct sn_clone_report *rep)
{
    struct sn_clone_prep *p = sn_clone_prepare(src_id, opts, rep);
    return p && sn_clone_finish(p, opts, rep);
}

void sn_clone_report_free(struct sn_clone_report *rep)
{
    sn_diff_free(&rep->diff);
}
