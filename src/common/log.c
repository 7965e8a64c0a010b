/* log.c - leveled logging with ISO-8601 timestamps. */
#include "common/log.h"

#include <stdarg.h>
#include <sys/time.h>
#include <time.h>

static const char *log_prog = "honeyshift";
static enum hs_log_level log_level = HS_LOG_INFO;
static FILE *log_stream;

void hs_log_init(const char *prog, enum hs_log_level level)
{
    log_prog = prog;
    log_level = level;
}

void hs_log_set_stream(FILE *f) { log_stream = f; }

void hs_log(enum hs_log_level level, const char *fmt, ...)
{
    static const char *names[] = {"debug", "info", "warn", "error"};
    if (level < log_level)
        return;
    FILE *out = log_stream ? log_stream : stderr;
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    gmtime_r(&tv.tv_sec, &tm);
    char ts[32];
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
    fprintf(out, "%s.%03ldZ %s %s: ", ts, (long)(tv.tv_usec / 1000), log_prog, names[level]);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(out, fmt, ap);
    va_end(ap);
    fputc('\n', out);
    fflush(out);
}
