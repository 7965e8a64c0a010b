/* criu_stats.c - decode CRIU's stats-dump / stats-restore images: two little-endian magic
 * words (IMG_SERVICE_MAGIC, STATS_MAGIC), a u32 size, then a protobuf StatsEntry
 * (images/stats.proto: dump = 1, restore = 2). Pure; unknown fields are skipped. */
#include "sandnet/criu_stats.h"

#include <string.h>

#define IMG_SERVICE_MAGIC 0x55105940u
#define IMG_COMMON_MAGIC 0x54564319u
#define STATS_MAGIC 0x57093306u

struct pb {
    const uint8_t *p, *end;
};

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static bool varint(struct pb *r, uint64_t *v)
{
    uint64_t x = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        if (r->p >= r->end)
            return false;
        uint8_t b = *r->p++;
        if (shift == 63 && (b & 0x7e))
            return false;                    /* more than 64 bits */
        x |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *v = x;
            return true;
        }
    }
    return false;
}

/* Skip a field of the given wire type. */
static bool skip(struct pb *r, unsigned wire)
{
    uint64_t v;
    switch (wire) {
    case 0:
        return varint(r, &v);
    case 1:
        if (r->end - r->p < 8)
            return false;
        r->p += 8;
        return true;
    case 2:
        if (!varint(r, &v) || v > (uint64_t)(r->end - r->p))
            return false;
        r->p += v;
        return true;
    case 5:
        if (r->end - r->p < 4)
            return false;
        r->p += 4;
        return true;
    default:
        return false;                        /* groups (3, 4) are not used by CRIU */
    }
}

/* Read the fields of a sub-message: fields 1..max_field of varint type into vals[]. */
static bool read_varints(struct pb r, uint64_t *vals, unsigned max_field)
{
    while (r.p < r.end) {
        uint64_t key;
        if (!varint(&r, &key))
            return false;
        unsigned wire = (unsigned)(key & 7);
        uint64_t field = key >> 3;
        if (field == 0)
            return false;
        if (field <= max_field) {
            if (wire != 0)
                return false;
            if (!varint(&r, &vals[field]))
                return false;
        } else if (!skip(&r, wire)) {
            return false;
        }
    }
    return true;
}

bool sn_criu_stats_parse(const uint8_t *data, size_t len, struct sn_criu_stats *out)
{
    memset(out, 0, sizeof *out);
    if (len < 12)
        return false;
    uint32_t m0 = le32(data), m1 = le32(data + 4), size = le32(data + 8);
    if ((m0 != IMG_SERVICE_MAGIC && m0 != IMG_COMMON_MAGIC) || m1 != STATS_MAGIC)
        return false;
    if (size > len - 12)
        return false;
    struct pb r = {data + 12, data + 12 + size};
    while (r.p < r.end) {
        uint64_t key, sub_len;
        if (!varint(&r, &key))
            return false;
        unsigned wire = (unsigned)(key & 7);
        uint64_t field = key >> 3;
        if (field == 1 || field == 2) {
            if (wire != 2 || !varint(&r, &sub_len) || sub_len > (uint64_t)(r.end - r.p))
                return false;
            struct pb sub = {r.p, r.p + sub_len};
            r.p += sub_len;
            uint64_t v[16] = {0};
            if (!read_varints(sub, v, 14))
                return false;
            if (field == 1) {
                out->has_dump = true;
                out->freezing_time = v[1];
                out->frozen_time = v[2];
                out->memdump_time = v[3];
                out->memwrite_time = v[4];
                out->pages_written = v[7];
            } else {
                out->has_restore = true;
                out->forking_time = v[3];
                out->restore_time = v[4];
                out->pages_restored = v[5];
            }
        } else if (field == 0 || !skip(&r, wire)) {
            return false;
        }
    }
    return true;
}
