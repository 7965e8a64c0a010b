/* stream_hash.h - seeded 64-bit mixing for the flow and fragment hash tables (internal). */
#ifndef HS_IPS_STREAM_STREAM_HASH_H
#define HS_IPS_STREAM_STREAM_HASH_H

#include <stddef.h>
#include <stdint.h>

/* splitmix64 finalizer: a bijective 64-bit mix. */
static inline uint64_t stream_mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

/* Hash two 64-bit words with a secret seed. */
static inline uint64_t stream_hash2(uint64_t seed, uint64_t a, uint64_t b)
{
    return stream_mix64(stream_mix64(seed ^ a) + b);
}

/* Smallest power of two >= n, at least 16 and at most 2^20 (bucket counts). */
static inline size_t stream_buckets_for(size_t n)
{
    size_t b = 16;
    while (b < n && b < ((size_t)1 << 20))
        b <<= 1;
    return b;
}

#endif
