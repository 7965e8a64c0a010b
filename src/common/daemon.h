/* daemon.h - daemon hygiene shared by honeyshiftd and honeyshift-ipsd: a locked pidfile and
 * detaching with a readiness report.
 *
 *   int pid_fd = hs_pidfile_lock("prog", path);   // -1: message printed, another instance runs
 *   ... open sockets ...
 *   hs_daemonize(&ready_fd, keep_stderr);           // returns in the grandchild only
 *   hs_pidfile_write(pid_fd);
 *   hs_daemon_ready(&ready_fd);                     // the original process exits 0 now
 */
#ifndef HS_COMMON_DAEMON_H
#define HS_COMMON_DAEMON_H

#include <stdbool.h>
#include <stdio.h>

/* Settings every honeyshift daemon takes: -d/--daemon, -p/--pidfile, -l/--log, -v/--verbose. */
struct hs_daemon_opts {
    bool daemon, verbose;
    const char *pidfile, *logfile;
};

/* Take getopt's option o (argument arg) when it is one of those four; false otherwise. */
bool hs_daemon_opt(int o, const char *arg, struct hs_daemon_opts *d);
/* When path is set, send the log there (appended, line-buffered); *out gets the stream to
 * close at exit (NULL when path is NULL). -1 with a message on stderr. */
int hs_daemon_log_open(const char *prog, const char *path, FILE **out);
/* Unlink path and close the pidfile taken with hs_pidfile_lock (nothing when fd < 0). */
void hs_pidfile_release(int fd, const char *path);

/* Open and lock (flock, non-blocking) the pidfile; -1 with a message on stderr when it cannot
 * be opened or another instance holds it. Keep the fd open while running. */
int hs_pidfile_lock(const char *prog, const char *path);
/* Write this process's PID into the locked pidfile. */
void hs_pidfile_write(int fd);
/* Fork twice into the background (new session, cwd /, stdin/stdout to /dev/null, stderr too
 * unless keep_stderr). Returns 0 in the daemon with *ready_fd set; the original process waits
 * and exits 0 when hs_daemon_ready() is called, 1 when the daemon dies first. -1 on failure. */
int hs_daemonize(int *ready_fd, bool keep_stderr);
/* Report readiness to the waiting original process (no-op when *ready_fd < 0). */
void hs_daemon_ready(int *ready_fd);

#endif
