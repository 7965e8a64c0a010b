/* procfs.h - small readers of /proc shared by the lab and the migration agent. */
#ifndef HS_COMMON_PROCFS_H
#define HS_COMMON_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* PID-namespace levels of the task whose status file is at path (/proc/PID/status or
 * /proc/PID/task/TID/status): the number of entries on its NSpid line, 0 when the file or the
 * line is missing or malformed. When innermost is not NULL it gets the last entry (the ID in the
 * task's own namespace), 0 when the result is 0. */
int hs_proc_nspid_file(const char *path, pid_t *innermost);

/* hs_proc_nspid_file() for /proc/PID/status. */
int hs_proc_nspid(pid_t pid, pid_t *innermost);

/* The whole of a small file (procfs, sysfs, pid files), NUL-terminated, in a buffer of max + 1
 * bytes the caller frees; *len gets its length. NULL when it cannot be opened or read, and
 * with errno EFBIG when it holds more than max bytes (never a silent prefix). */
char *hs_read_small_file(const char *path, size_t max, size_t *len);
/* Called for each open descriptor fd of a process with its link target ("socket:[123]",
 * "anon_inode:[eventpoll]", a path); return false to stop the walk. */
typedef bool hs_proc_fd_fn(int fd, const char *target, void *ctx);
/* Walk /proc/PID/fd; false when the process is gone or its descriptors cannot be read. */
bool hs_proc_each_fd(pid_t pid, hs_proc_fd_fn *fn, void *ctx);
/* Alive = exists and is not a zombie (state from /proc/PID/stat). */
bool hs_proc_alive(pid_t pid);
/* Parent PID from /proc/PID/stat (0 when unknown). */
pid_t hs_proc_ppid(pid_t pid);

#endif
