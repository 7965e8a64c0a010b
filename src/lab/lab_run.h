/* lab_run.h - the one checked way the lab runs external tools (ip, ovs-vsctl, ethtool):
 * fork + execvp of an argv (no shell), optionally inside a network namespace, stdout and
 * stderr captured, a time limit, and failures reported as "`CMD ARGS` failed (...): STDERR". */
#ifndef HS_LAB_LAB_RUN_H
#define HS_LAB_LAB_RUN_H

#include <stddef.h>

#include "common/buf.h"

#define HS_RUN_TIMEOUT_MS 30000

/* Run argv (NULL-terminated; argv[0] searched in PATH) with stdin on /dev/null, inside the
 * network namespace open on netns_fd (-1: the caller's). stdout goes to *out when out is not
 * NULL (NUL-terminated). On return *exit_code is the exit status (128+N when killed by signal
 * N). Returns 0 when the program ran to its end (whatever its status), -1 with a message in err
 * when it could not be started or overran the time limit. */
int hs_run_status(const char *const argv[], int netns_fd, struct hs_buf *out, int *exit_code,
                  char *err, size_t err_size);
/* Same, but anything but exit status 0 is a failure: -1 with the command and its stderr. */
int hs_run(const char *const argv[], int netns_fd, struct hs_buf *out, char *err,
           size_t err_size);
/* Format argv as one line ("ip link add x type veth") into buf (truncated with "..."). */
void hs_run_format_argv(const char *const argv[], char *buf, size_t size);

#endif
