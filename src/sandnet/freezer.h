/* freezer.h - a container's cgroup freezer, written directly (what `runc pause` / `runc resume`
 * do, without starting runc twice while the original is paused). */
#ifndef HS_SANDNET_FREEZER_H
#define HS_SANDNET_FREEZER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct sn_freezer {
    char path[512];   /* cgroup v1: .../freezer/<cg>/freezer.state; v2: .../<cg>/cgroup.freeze */
    char events[512]; /* v2 only: .../<cg>/cgroup.events ("frozen 1" once frozen) */
    bool v2;
};

/* The freezer files for the cgroup named in text (the content of /proc/PID/cgroup), under the
 * cgroup mount root (e.g. "/sys/fs/cgroup"): a v1 "freezer" hierarchy first (its own or joined
 * with other controllers), else the v2 cgroup ("0::/path"). False when there is none (or the
 * root cgroup, or a path too long). Pure. */
bool sn_freezer_parse(const char *text, const char *root, struct sn_freezer *f);
/* Find the freezer of the cgroup that process pid (the container's init) is in, from
 * /proc/PID/cgroup (a v1 "freezer" hierarchy first, else the v2 cgroup). False when there is
 * none (the caller then uses runc pause / resume). */
bool sn_freezer_find(pid_t pid, struct sn_freezer *f);
/* Freeze (and wait, at most timeout_ms, until every task is frozen) or thaw. False on an error
 * or a timeout (a freeze that timed out is thawed again). */
bool sn_freezer_set(const struct sn_freezer *f, bool frozen, int timeout_ms);

#endif
