/* procfs.h - small readers of /proc shared by the lab and the migration agent. */
#ifndef HS_COMMON_PROCFS_H
#define HS_COMMON_PROCFS_H

#include <sys/types.h>

/* PID-namespace levels of the task whose status file is at path (/proc/PID/status or
 * /proc/PID/task/TID/status): the number of entries on its NSpid line, 0 when the file or the
 * line is missing or malformed. When innermost is not NULL it gets the last entry (the ID in the
 * task's own namespace), 0 when the result is 0. */
int hs_proc_nspid_file(const char *path, pid_t *innermost);

/* hs_proc_nspid_file() for /proc/PID/status. */
int hs_proc_nspid(pid_t pid, pid_t *innermost);

#endif
