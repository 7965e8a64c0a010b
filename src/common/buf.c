/* buf.c - growable byte buffer. */
#include "common/buf.h"
#include "common/util.h"

#include <stdlib.h>
#include <string.h>

uint8_t *hs_buf_reserve(struct hs_buf *b, size_t n)
{
    if (n > SIZE_MAX - b->len)
        xrealloc(NULL, SIZE_MAX); /* aborts */
    if (b->len + n > b->cap || !b->data) { /* never NULL + 0: storage exists after this */
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n)
            cap = cap > SIZE_MAX / 2 ? b->len + n : cap * 2;
        b->data = xrealloc(b->data, cap);
        b->cap = cap;
    }
    return b->data + b->len;
}

uint8_t *hs_buf_put(struct hs_buf *b, const void *src, size_t n)
{
    uint8_t *p = hs_buf_reserve(b, n);
    if (src)
        memcpy(p, src, n);
    else
        memset(p, 0, n);
    b->len += n;
    return p;
}

void hs_buf_put_u8(struct hs_buf *b, uint8_t v) { hs_buf_put(b, &v, 1); }
void hs_buf_put_be16(struct hs_buf *b, uint16_t v) { hs_st16(hs_buf_put(b, NULL, 2), v); }
void hs_buf_put_be32(struct hs_buf *b, uint32_t v) { hs_st32(hs_buf_put(b, NULL, 4), v); }
void hs_buf_put_be64(struct hs_buf *b, uint64_t v) { hs_st64(hs_buf_put(b, NULL, 8), v); }

void hs_buf_consume(struct hs_buf *b, size_t n)
{
    if (n >= b->len) {
        b->len = 0;
        return;
    }
    memmove(b->data, b->data + n, b->len - n);
    b->len -= n;
}

void hs_buf_clear(struct hs_buf *b) { b->len = 0; }

void hs_buf_free(struct hs_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
