/* run.h - checked fork/exec of helper programs (runc, ip, ovs-vsctl, ethtool). */
#ifndef HS_SANDNET_RUN_H
#define HS_SANDNET_RUN_H

#include <stdbool.h>

#include "common/buf.h"

/* Run argv (argv[0] looked up in PATH, with the CRIU directory first in PATH), stdin from
 * /dev/null, stdout and stderr captured (into memory files, so a daemonising child cannot
 * block us). Waits at most timeout_ms (then SIGKILL). Returns the exit status (0 success),
 * -1 on spawn failure, timeout or signal. out (optional) receives stdout, NUL-terminated.
 * Unless quiet, a failure is logged with the command line and its stderr. */
int sn_run(const char *const argv[], struct hs_buf *out, int timeout_ms, bool quiet);
/* Directory holding the criu binary runc must use: $HS_CRIU_DIR, else
 * <$HS_SOURCE_DIR or the source tree this was built from>/.deps/criu/sbin. */
const char *sn_criu_dir(void);
/* The source tree (scripts/): $HS_SOURCE_DIR, else the tree this was built from. */
const char *sn_source_dir(void);
/* Set the CRIU directory explicitly (e.g. from the tool's --criu-dir). */
void sn_set_criu_dir(const char *dir);
/* Once per process: install CRIU's kernel-feature cache (/run/criu.kdat, common/criu_kdat.h)
 * unless a fresh one is there, so that runc's CRIU runs skip their 40-70 ms kernel probe.
 * A failure is logged as a warning (CRIU then probes on every run). */
void sn_criu_prepare(void);

#endif
