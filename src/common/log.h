/* log.h - leveled logging to stderr or a file, with timestamps. */
#ifndef HS_COMMON_LOG_H
#define HS_COMMON_LOG_H

#include <stdio.h>

enum hs_log_level { HS_LOG_DEBUG, HS_LOG_INFO, HS_LOG_WARN, HS_LOG_ERR };

/* Set the minimum level printed (default INFO) and the program name prefix. */
void hs_log_init(const char *prog, enum hs_log_level level);
/* Redirect log output to an open stream (default stderr); the caller keeps ownership. */
void hs_log_set_stream(FILE *f);
/* Print one log line: "TIMESTAMP prog LEVEL message". */
void hs_log(enum hs_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define LOG_DEBUG(...) hs_log(HS_LOG_DEBUG, __VA_ARGS__)
#define LOG_INFO(...)  hs_log(HS_LOG_INFO, __VA_ARGS__)
#define LOG_WARN(...)  hs_log(HS_LOG_WARN, __VA_ARGS__)
#define LOG_ERR(...)   hs_log(HS_LOG_ERR, __VA_ARGS__)

#endif
