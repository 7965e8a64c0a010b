/* buf.h - growable byte buffer used by encoders and socket I/O. */
#ifndef HS_COMMON_BUF_H
#define HS_COMMON_BUF_H

#include <stddef.h>
#include <stdint.h>

struct hs_buf {
    uint8_t *data;   /* storage (owned) */
    size_t len;      /* bytes in use */
    size_t cap;      /* bytes allocated */
};

/* Empty buffer, no allocation yet. */
#define HS_BUF_INIT {NULL, 0, 0}

/* Make room for n more bytes and return a pointer to them (len is not changed). */
uint8_t *hs_buf_reserve(struct hs_buf *b, size_t n);
/* Append n bytes (zeroed when src is NULL); returns a pointer to the appended bytes. */
uint8_t *hs_buf_put(struct hs_buf *b, const void *src, size_t n);
/* Append big-endian integers. */
void hs_buf_put_u8(struct hs_buf *b, uint8_t v);
void hs_buf_put_be16(struct hs_buf *b, uint16_t v);
void hs_buf_put_be32(struct hs_buf *b, uint32_t v);
void hs_buf_put_be64(struct hs_buf *b, uint64_t v);
/* Drop the first n bytes (consumed input). */
void hs_buf_consume(struct hs_buf *b, size_t n);
/* Forget the contents, keep the storage. */
void hs_buf_clear(struct hs_buf *b);
/* Release the storage. */
void hs_buf_free(struct hs_buf *b);

/* Big-endian loads and stores on raw bytes. */
static inline uint16_t hs_be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t hs_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline uint64_t hs_be64(const uint8_t *p) { return (uint64_t)hs_be32(p) << 32 | hs_be32(p + 4); }
static inline void hs_st16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static inline void hs_st32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}
static inline void hs_st64(uint8_t *p, uint64_t v) { hs_st32(p, (uint32_t)(v >> 32)); hs_st32(p + 4, (uint32_t)v); }

#endif
