/* lab_proc.h - the lab's view of processes: /proc command lines, pid files, and stopping only
 * processes whose command line proves the lab started them. */
#ifndef HS_LAB_LAB_PROC_H
#define HS_LAB_LAB_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "common/procfs.h"

/* A process's argv from /proc/PID/cmdline. */
struct hs_proc_argv {
    size_t argc;
    char **argv;        /* argc entries, NULL-terminated */
    char *joined;       /* the arguments joined with spaces (set-proctitle style titles) */
};

/* Read the command line of pid; false when it is gone, a zombie or a kernel thread. */
bool hs_proc_argv_read(pid_t pid, struct hs_proc_argv *out);
void hs_proc_argv_free(struct hs_proc_argv *a);
/* Basename of argv[0] equals name. */
bool hs_proc_argv_is(const struct hs_proc_argv *a, const char *name);
/* argv holds the option opt immediately followed by value. */
bool hs_proc_argv_has(const struct hs_proc_argv *a, const char *opt, const char *value);
/* hs_proc_alive(), hs_proc_ppid(): common/procfs.h */

/* Called for every live process; return true to collect it. */
typedef bool hs_proc_match_fn(pid_t pid, const struct hs_proc_argv *a, void *ctx);
/* Scan /proc; the PIDs of matching processes go to out[max]. Returns how many matched. */
size_t hs_proc_find(hs_proc_match_fn *match, void *ctx, pid_t *out, size_t max);

/* Read a decimal PID from a pid file; 0 when the file is missing or does not hold a PID. */
pid_t hs_pidfile_read(const char *path);
/* Write pid to path (atomically via a temporary file); -1 with message on error. */
int hs_pidfile_write(const char *path, pid_t pid, char *err, size_t err_size);

/* SIGTERM, wait up to grace_ms for it to die (or become a zombie), then SIGKILL and wait again.
 * true when the process is gone. */
bool hs_proc_stop(pid_t pid, int grace_ms);

#endif
