/* eve_writer.h - append EVE JSON lines to a log file for daemons (the inline IPS writes its
 * alerts with it; `honeyshift events` reads them).
 *
 * One event is one line written with a single write(2) on an O_APPEND descriptor, so lines of
 * concurrent writers never interleave and a reader never sees half a line except while the
 * write is in progress. Durability (fsync policy):
 *   EVE_SYNC_NONE      leave it to the kernel (fastest; a power loss may lose recent lines)
 *   EVE_SYNC_INTERVAL  fdatasync at most once per second, on the first write after the second
 *                      has passed, and on close (default: bounded loss, cheap)
 *   EVE_SYNC_EVERY     fdatasync after every line (nothing acknowledged is lost)
 * Log rotation: after the file was renamed, call eve_writer_request_reopen (async-signal-safe,
 * e.g. from a SIGHUP handler); the next write reopens the path. */
#ifndef HS_IPS_ENGINE_EVE_WRITER_H
#define HS_IPS_ENGINE_EVE_WRITER_H

#include <stddef.h>

#include "ips/engine/engine.h"

enum eve_sync { EVE_SYNC_NONE, EVE_SYNC_INTERVAL, EVE_SYNC_EVERY };

struct eve_writer;

/* Open path for appending (created 0640 if missing); NULL with err on failure. */
struct eve_writer *eve_writer_open(const char *path, enum eve_sync sync, char *err,
                                   size_t err_size);
/* Append one line (a '\n' is added; line must not contain one). 0, or -1 with errno. */
int eve_writer_line(struct eve_writer *w, const char *line);
/* Append one alert as EVE JSON (input_path as for ips_eve_alert_json). 0 or -1. */
int eve_writer_alert(struct eve_writer *w, const struct ips_alert *a, const char *input_path);
/* Ask for a reopen of the path before the next write (async-signal-safe). */
void eve_writer_request_reopen(struct eve_writer *w);
/* Reopen now (after rotation); on failure the old descriptor is kept and -1 returned. */
int eve_writer_reopen(struct eve_writer *w);
/* Lines written and write errors so far. */
size_t eve_writer_lines(const struct eve_writer *w);
size_t eve_writer_errors(const struct eve_writer *w);
/* Sync (per policy), close and free. NULL is fine. */
void eve_writer_close(struct eve_writer *w);

#endif
