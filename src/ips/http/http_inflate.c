/* http_inflate.c - zlib-or-raw deflate decoding that tolerates any chunking of the input. */
#include "ips/http/http_inflate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "common/util.h"

struct ips_http_inflate {
    z_stream zs;
    bool started;      /* format known, inflateInit2 done */
    bool done;         /* corrupt stream, stopped by the consumer, or finished */
    uint8_t head[2];   /* first bytes, kept until the format is known */
    size_t nhead;
};

struct ips_http_inflate *ips_http_inflate_new(void)
{
    return xcalloc(1, sizeof(struct ips_http_inflate));
}

/* RFC 1950 header: CM=8, CINFO<=7, (CMF*256+FLG) % 31 == 0. */
static bool zlib_header(const uint8_t h[2])
{
    return (h[0] & 0x0f) == 8 && (h[0] >> 4) <= 7 && ((h[0] << 8) | h[1]) % 31 == 0;
}

static bool run(struct ips_http_inflate *z, const uint8_t *in, size_t n, ips_http_inflate_out out,
                void *arg)
{
    uint8_t buf[16384];
    while (n > 0 && !z->done) {
        uInt take = n > UINT32_MAX ? UINT32_MAX : (uInt)n;
        z->zs.next_in = (Bytef *)(uintptr_t)in; /* zlib does not write through next_in */
        z->zs.avail_in = take;
        do {
            z->zs.next_out = buf;
            z->zs.avail_out = sizeof buf;
            int rc = inflate(&z->zs, Z_NO_FLUSH);
            size_t got = sizeof buf - z->zs.avail_out;
            if (got && !out(arg, buf, got)) {
                z->done = true; /* consumer had enough: not an error */
                return true;
            }
            if (rc == Z_STREAM_END) {
                z->done = true; /* trailing bytes after the stream are ignored */
                return true;
            }
            if (rc == Z_BUF_ERROR)
                break; /* needs more input */
            if (rc != Z_OK) {
                z->done = true;
                return false;
            }
        } while (z->zs.avail_in > 0 || z->zs.avail_out == 0);
        in += take;
        n -= take;
    }
    return true;
}

bool ips_http_inflate_feed(struct ips_http_inflate *z, const uint8_t *in, size_t n,
                           ips_http_inflate_out out, void *arg)
{
    if (z->done)
        return true;
    if (!z->started) {
        while (n > 0 && z->nhead < 2) {
            z->head[z->nhead++] = *in++;
            n--;
        }
        if (z->nhead < 2)
            return true;
        int wbits = zlib_header(z->head) ? 15 : -15;
        if (inflateInit2(&z->zs, wbits) != Z_OK) {
            fprintf(stderr, "honeyshift: inflateInit2 done (out of memory)\n");
            abort();
        }
        z->started = true;
        if (!run(z, z->head, 2, out, arg))
            return false;
    }
    return run(z, in, n, out, arg);
}

void ips_http_inflate_free(struct ips_http_inflate *z)
{
    if (!z)
        return;
    if (z->started)
        inflateEnd(&z->zs);
    free(z);
}
