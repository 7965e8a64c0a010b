/* http_inflate.h - streaming decoder for "Content-Encoding: deflate" bodies, accepting both
 * zlib-wrapped (RFC 1950, what RFC 9110 asks for) and raw (RFC 1951) streams split at any
 * byte. Replaces libhtp 0.5.42's deflate path, which emits garbage when the 2-byte zlib header
 * and the data arrive in different chunks (see docs/http.md). */
#ifndef HS_IPS_HTTP_INFLATE_H
#define HS_IPS_HTTP_INFLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ips_http_inflate;

/* Receives decoded bytes; returns false to stop decoding (e.g. the inspection limit is hit). */
typedef bool (*ips_http_inflate_out)(void *arg, const uint8_t *p, size_t n);

/* New decoder; never returns NULL. */
struct ips_http_inflate *ips_http_inflate_new(void);
/* Decode the next compressed bytes; false when the stream is corrupt (decoding stops). */
bool ips_http_inflate_feed(struct ips_http_inflate *z, const uint8_t *in, size_t n,
                           ips_http_inflate_out out, void *arg);
/* Release the decoder (NULL allowed). */
void ips_http_inflate_free(struct ips_http_inflate *z);

#endif
