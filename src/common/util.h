/* util.h - small helpers every module uses: checked allocation, bounded strings. */
#ifndef HS_COMMON_UTIL_H
#define HS_COMMON_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HS_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Allocation that aborts with a message on exhaustion (never returns NULL). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* realloc for arrays: aborts on overflow of n * size. */
void *xreallocarray(void *p, size_t n, size_t size);

/* Copy src into dst[size]; false (dst holds a truncated copy) when src did not fit. */
bool hs_strlcpy(char *dst, const char *src, size_t size);
/* snprintf that reports truncation: false when the output did not fit. */
bool hs_snprintf(char *dst, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Monotonic clock in nanoseconds / milliseconds; wall clock in microseconds since the epoch. */
uint64_t hs_now_ns(void);
uint64_t hs_now_ms(void);
uint64_t hs_wall_us(void);

/* Parse "aa:bb:cc:dd:ee:ff" into mac[6]; false on any syntax error. */
bool hs_parse_mac(const char *s, uint8_t mac[6]);
/* Format mac[6] as "aa:bb:cc:dd:ee:ff" into buf (at least 18 bytes). */
void hs_format_mac(const uint8_t mac[6], char buf[18]);
/* Parse a dotted IPv4 address into host byte order; false on error. */
bool hs_parse_ipv4(const char *s, uint32_t *ip);
/* Format a host-byte-order IPv4 address into buf (at least 16 bytes). */
void hs_format_ipv4(uint32_t ip, char buf[16]);
/* Parse an unsigned decimal/hex (0x) integer with range check; false on error or overflow. */
bool hs_parse_u64(const char *s, uint64_t max, uint64_t *out);

#endif
