/* http_norm.h - pure normalisation helpers that libhtp 0.5 does not offer (no I/O, no libhtp). */
#ifndef HS_IPS_HTTP_NORM_H
#define HS_IPS_HTTP_NORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Fold a decoded path in place: runs of '/' become one, "." and ".." segments are removed
 * (RFC 3986 5.2.4); returns the new length. *above_root is set when ".." tried to leave the
 * root ("/../x"); a path that dips and comes back ("/a/../b") does not set it. */
size_t ips_http_path_fold(uint8_t *p, size_t len, bool *above_root);
/* True when [p, p+len) holds a valid escape: %XX or %uXXXX (hex, any case). */
bool ips_http_has_escape(const uint8_t *p, size_t len);
/* True when [p, p+len) holds a %uXXXX escape. */
bool ips_http_has_u_escape(const uint8_t *p, size_t len);
/* Replace every '\\' by '/' in place. */
void ips_http_backslash_to_slash(uint8_t *p, size_t len);
/* ASCII-lowercase in place. */
void ips_http_lower(uint8_t *p, size_t len);

/* How a method compares with the methods libhtp knows. */
enum ips_http_method_class { IPS_HTTP_METHOD_KNOWN, IPS_HTTP_METHOD_CASE, IPS_HTTP_METHOD_UNKNOWN };
/* Classify a method: exact known name, known name in another case, or unknown. */
enum ips_http_method_class ips_http_method_classify(const uint8_t *m, size_t len);

/* Streaming detector of obsolete header line folding in a raw header block. */
struct ips_http_fold_scan {
    uint8_t state;  /* internal */
    bool folded;    /* a header line was continued with leading SP/HT */
};
/* Scan the next raw bytes of a header block (request/status line first, as libhtp hands them
 * over); sets s->folded when a line after a header line starts with SP or HT. */
void ips_http_fold_scan(struct ips_http_fold_scan *s, const uint8_t *p, size_t len);

#endif
