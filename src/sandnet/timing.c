/* timing.c - step timing of a live clone (pure accounting). */
#include "sandnet/timing.h"

#include <string.h>

static const char *const names[SN_STEP_COUNT] = {
    "config", "volumes", "fsdiff_copy", "checkpoint", "checkpoint_copy", "create",
    "fsdiff_apply", "restore",
};
static const char *const labels[SN_STEP_COUNT] = {
    NULL, NULL, "FS diff create & copy", "Checkpoint creation", "Checkpoint copy", NULL,
    "FS diff application", "Checkpoint restoration",
};

void sn_timing_init(struct sn_timing *t)
{
    memset(t, 0, sizeof *t);
}

static bool step_ok(enum sn_step s)
{
    return (unsigned)s < SN_STEP_COUNT;
}

bool sn_timing_begin(struct sn_timing *t, enum sn_step s, uint64_t now_ns)
{
    if (!step_ok(s) || t->state[s] != 0)
        return false;
    t->begin_ns[s] = now_ns;
    t->state[s] = 1;
    return true;
}

bool sn_timing_end(struct sn_timing *t, enum sn_step s, uint64_t now_ns)
{
    if (!step_ok(s) || t->state[s] != 1 || now_ns < t->begin_ns[s])
        return false;
    t->end_ns[s] = now_ns;
    t->state[s] = 2;
    return true;
}

double sn_timing_ms(const struct sn_timing *t, enum sn_step s)
{
    if (!step_ok(s) || t->state[s] != 2)
        return -1.0;
    return (double)(t->end_ns[s] - t->begin_ns[s]) / 1e6;
}

double sn_timing_span_ms(const struct sn_timing *t, enum sn_step first, enum sn_step last)
{
    if (!step_ok(first) || !step_ok(last) || t->state[first] != 2 || t->state[last] != 2
        || t->end_ns[last] < t->begin_ns[first])
        return -1.0;
    return (double)(t->end_ns[last] - t->begin_ns[first]) / 1e6;
}

double sn_timing_total_ms(const struct sn_timing *t)
{
    double sum = 0;
    for (int s = 0; s < SN_STEP_COUNT; s++)
        if (t->state[s] == 2)
            sum += sn_timing_ms(t, (enum sn_step)s);
    return sum;
}

const char *sn_step_name(enum sn_step s)
{
    return step_ok(s) ? names[s] : "?";
}

const char *sn_step_paper_label(enum sn_step s)
{
    return step_ok(s) ? labels[s] : NULL;
}

double sn_timing_original_down_ms(const struct sn_timing *t)
{
    if (t->paused_us)
        return (double)t->paused_us / 1e3;
    if (t->frozen_us)
        return (double)(t->freezing_us + t->frozen_us) / 1e3;
    return -1.0;
}

static json_t *ms_or_null(double ms)
{
    return ms < 0 ? json_null() : json_real(ms);
}

json_t *sn_timing_json(const struct sn_timing *t)
{
    json_t *steps = json_object();
    for (int s = 0; s < SN_STEP_COUNT; s++)
        json_object_set_new(steps, names[s], ms_or_null(sn_timing_ms(t, (enum sn_step)s)));
    return json_pack("{s:o, s:f, s:o, s:o, s:o, s:o, s:o}", "steps", steps,
                     "total_ms", sn_timing_total_ms(t),
                     "original_down_ms", ms_or_null(sn_timing_original_down_ms(t)),
                     "blackout_ms", ms_or_null(sn_timing_span_ms(t, SN_STEP_CHECKPOINT, SN_STEP_RESTORE)),
                     "frozen_ms", t->frozen_us ? json_real((double)t->frozen_us / 1e3) : json_null(),
                     "freezing_ms", t->freezing_us ? json_real((double)t->freezing_us / 1e3) : json_null(),
                     "criu_restore_ms", t->restore_us ? json_real((double)t->restore_us / 1e3) : json_null());
}
