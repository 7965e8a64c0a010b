/* timing.h - step timing of a live clone (the paper's Table I), pure accounting. */
#ifndef HS_SANDNET_TIMING_H
#define HS_SANDNET_TIMING_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

enum sn_step {
    SN_STEP_CONFIG,          /* read the container's configuration and runc state */
    SN_STEP_VOLUMES,         /* delta copy of the volumes */
    SN_STEP_FSDIFF_COPY,     /* "FS diff create & copy": list the upper dir, copy the changes */
    SN_STEP_CHECKPOINT,      /* "Checkpoint creation": runc checkpoint (CRIU dump) */
    SN_STEP_CKPT_COPY,       /* "Checkpoint copy" */
    SN_STEP_CREATE,          /* create the clone's netns, veth, bundle on SN */
    SN_STEP_FSDIFF_APPLY,    /* "FS diff application": changes into the clone's upper, mount */
    SN_STEP_RESTORE,         /* "Checkpoint restoration": runc restore (CRIU restore) */
    SN_STEP_COUNT
};

struct sn_timing {
    uint64_t begin_ns[SN_STEP_COUNT];
    uint64_t end_ns[SN_STEP_COUNT];
    uint8_t state[SN_STEP_COUNT];     /* 0 not run, 1 running, 2 done */
    uint64_t frozen_us;               /* original's frozen time from CRIU's dump stats (0: unknown) */
    uint64_t paused_us;               /* original paused (runc pause .. resume, wall clock) */
    uint64_t freezing_us;             /* time CRIU took to freeze the tree */
    uint64_t restore_us;              /* CRIU's own restore time (0: unknown) */
};

/* Zero the record. */
void sn_timing_init(struct sn_timing *t);
/* Mark a step begun / ended at now_ns; false when the call is out of order (begin twice,
 * end without begin, clock going backwards). */
bool sn_timing_begin(struct sn_timing *t, enum sn_step s, uint64_t now_ns);
bool sn_timing_end(struct sn_timing *t, enum sn_step s, uint64_t now_ns);
/* Duration of a finished step in milliseconds; -1 when the step did not finish. */
double sn_timing_ms(const struct sn_timing *t, enum sn_step s);
/* Wall time from the begin of step first to the end of step last (ms); -1 unless both ran.
 * checkpoint..restore is the moved connection's blackout when cut over before the checkpoint. */
double sn_timing_span_ms(const struct sn_timing *t, enum sn_step first, enum sn_step last);
/* Sum of the finished steps in milliseconds. */
double sn_timing_total_ms(const struct sn_timing *t);
/* Stable machine name of a step ("checkpoint", ...) and the paper's Table I label or NULL. */
const char *sn_step_name(enum sn_step s);
const char *sn_step_paper_label(enum sn_step s);
/* Downtime of the original in ms: its paused time when it was paused around the checkpoint,
 * else CRIU's freezing + frozen time; -1 when unknown. */
double sn_timing_original_down_ms(const struct sn_timing *t);
/* {"steps": {name: ms|null, ...}, "total_ms", "blackout_ms" (checkpoint..restore),
 *  "original_down_ms", "frozen_ms", "freezing_ms", "criu_restore_ms"}; unknown values null. */
json_t *sn_timing_json(const struct sn_timing *t);

#endif
