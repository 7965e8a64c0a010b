/* clone.h - live cloning of a running container (the paper's Algorithm 1), each step timed. */
#ifndef HS_SANDNET_CLONE_H
#define HS_SANDNET_CLONE_H

#include <stdbool.h>

#include "sandnet/spec.h"
#include "sandnet/timing.h"
#include "sandnet/fsdiff.h"
#include "sandnet/dumphold.h"

struct sn_clone_opts {
    const char *dst_id;        /* id of the clone (same IP, MAC, hostname as the original) */
    const char *dst_bridge;    /* the sandbox network's bridge */
    const char *dst_state_dir; /* NULL: <SN_STATE_BASE>/<dst_id> */
    bool no_prefreeze;         /* default: `runc pause` before and `runc resume` after the
                                * checkpoint, and while paused a second delta pass over the
                                * volumes and the FS diff, so that files and memory are one
                                * consistent snapshot (CRIU's own cgroup-v1 freeze also sleeps
                                * 100 ms before it first checks the freezer state) */
    bool paper_order;          /* create + FS diff application after the checkpoint, as in
                                * Algorithm 1; default (false): before it, which keeps them
                                * out of the connection's blackout */
    /* Called right before the checkpoint (e.g. to cut the original's path to its peers, so that
     * it cannot answer after the state the clone gets was taken); false aborts the clone. */
    bool (*before_checkpoint)(void *arg);
    void *arg;
    /* Snapshot-group hooks (with pre-freezing only), for one consistent snapshot of containers
     * that hold TCP connections to each other: after_pause runs once the original is paused,
     * before its dump (e.g. wait until the group's other members are paused too; false aborts
     * the clone); before_resume runs after the dump, successful or not, before the original
     * resumes (e.g. wait until every member is dumped). NULL: not used. */
    bool (*after_pause)(void *group);
    void (*before_resume)(void *group);
    void *group;
};

struct sn_clone_report {
    struct sn_timing timing;
    struct sn_diff diff;              /* the original's FS diff as copied */
    struct sn_copy_stats volumes, fsdiff, checkpoint;
    struct sn_copy_stats resync;      /* second pass while the original was paused */
    char image_dir[SN_PATH_MAX];      /* checkpoint images of the original */
    struct sn_dump_hold_stats dump_hold;   /* the original's inbound frames during its dump */
};

/* Clone the running container src_id (state under SN_STATE_BASE) into opts->dst_id on
 * opts->dst_bridge: config, volume delta copy, FS diff, [create, diff application,] checkpoint
 * (--leave-running --tcp-established), checkpoint copy, [create, diff application,] restore;
 * the clone's link comes up after the restore. The original keeps running. On failure the
 * half-made clone is removed. Free the report with sn_clone_report_free. */
bool sn_clone(const char *src_id, const struct sn_clone_opts *opts, struct sn_clone_report *rep);
/* The same in two parts, so that everything that does not need the original's state can be
 * done ahead (e.g. for a clone that may be wanted later): sn_clone_prepare runs the steps before
 * the checkpoint (config, volumes, FS diff copy and, unless paper_order, create and diff
 * application; the clone's netns stays held) and returns a handle, or NULL on failure (rep then
 * holds the partial report; free it). sn_clone_finish runs the rest (cut-over, checkpoint with
 * its second delta pass, copy, restore) with the hooks of `hooks` (its other fields are those
 * given to prepare), fills rep with the whole report and frees the handle; on failure the clone
 * is removed. sn_clone_abort removes a prepared clone that will not be finished. The handle may
 * be finished or aborted from another thread than the one that prepared it. */
struct sn_clone_prep;
struct sn_clone_prep *sn_clone_prepare(const char *src_id, const struct sn_clone_opts *opts,
                                       struct sn_clone_report *rep);
bool sn_clone_finish(struct sn_clone_prep *prep, const struct sn_clone_opts *hooks,
                     struct sn_clone_report *rep);
void sn_clone_abort(struct sn_clone_prep *prep);
void sn_clone_report_free(struct sn_clone_report *rep);

#endif
