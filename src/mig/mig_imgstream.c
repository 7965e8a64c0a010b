/* mig_imgstream.c - image stream payloads and the receiver's state machine (pure). */
#include "mig/mig_imgstream.h"
#include "mig/mig_frame.h"

#include <stdio.h>
#include <string.h>

bool hs_mig_img_name_ok(const char *name, size_t len)
{
    if (len == 0 || len >= HS_MIG_IMG_NAME_MAX || name[0] == '.')
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = name[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

bool hs_mig_img_file_payload(const char *name, uint64_t size, uint32_t mode, struct hs_buf *out)
{
    size_t n = strlen(name);
    if (!hs_mig_img_name_ok(name, n))
        return false;
    hs_buf_put_be16(out, (uint16_t)n);
    hs_buf_put(out, name, n);
    hs_buf_put_be64(out, size);
    hs_buf_put_be32(out, mode);
    return true;
}

void hs_mig_img_end_payload(uint32_t files, uint64_t total, struct hs_buf *out)
{
    hs_buf_put_be32(out, files);
    hs_buf_put_be64(out, total);
}

void hs_mig_imgrx_init(struct hs_mig_imgrx *rx) { memset(rx, 0, sizeof *rx); }

int hs_mig_imgrx_feed(struct hs_mig_imgrx *rx, uint8_t type, const uint8_t *p, size_t len,
                      struct hs_mig_img_event *ev, char *err, size_t err_size)
{
    memset(ev, 0, sizeof *ev);
    if (rx->ended) {
        snprintf(err, err_size, "image stream: frame after the end");
        return -1;
    }
    switch (type) {
    case HS_MIG_T_IMG_FILE: {
        if (rx->in_file) {
            snprintf(err, err_size, "image stream: new file before the previous one is complete "
                     "(%llu of %llu bytes)", (unsigned long long)rx->got,
                     (unsigned long long)rx->size);
            return -1;
        }
        if (len < 2) {
            snprintf(err, err_size, "image stream: short file header");
            return -1;
        }
        size_t n = hs_be16(p);
        if (len != 2 + n + 12) {
            snprintf(err, err_size, "image stream: file header of %zu bytes, expected %zu", len,
                     2 + n + 12);
            return -1;
        }
        if (!hs_mig_img_name_ok((const char *)p + 2, n)) {
            snprintf(err, err_size, "image stream: unacceptable file name");
            return -1;
        }
        uint64_t size = hs_be64(p + 2 + n);
        if (rx->files >= HS_MIG_IMG_MAX_FILES) {
            snprintf(err, err_size, "image stream: more than %u files", HS_MIG_IMG_MAX_FILES);
            return -1;
        }
        if (size > HS_MIG_IMG_MAX_TOTAL - rx->total) {
            snprintf(err, err_size, "image stream: more than %llu bytes in all",
                     (unsigned long long)HS_MIG_IMG_MAX_TOTAL);
            return -1;
        }
        ev->kind = HS_MIG_IMG_BEGIN;
        memcpy(ev->name, p + 2, n);
        ev->name[n] = '\0';
        ev->size = size;
        ev->mode = hs_be32(p + 2 + n + 8);
        rx->files++;
        rx->size = size;
        rx->got = 0;
        rx->in_file = size > 0;
        ev->done = size == 0;
        return 0;
    }
    case HS_MIG_T_IMG_DATA:
        if (!rx->in_file) {
            snprintf(err, err_size, "image stream: data outside a file");
            return -1;
        }
        if (len == 0 || len > rx->size - rx->got) {
            snprintf(err, err_size, "image stream: %zu data bytes where %llu remain", len,
                     (unsigned long long)(rx->size - rx->got));
            return -1;
        }
        rx->got += len;
        rx->total += len;
        ev->kind = HS_MIG_IMG_DATA;
        ev->data = p;
        ev->len = len;
        if (rx->got == rx->size) {
            rx->in_file = false;
            ev->done = true;
        }
        return 0;
    case HS_MIG_T_IMG_END:
        if (rx->in_file) {
            snprintf(err, err_size, "image stream: end inside a file");
            return -1;
        }
        if (len != 12 || hs_be32(p) != rx->files || hs_be64(p + 4) != rx->total) {
            snprintf(err, err_size, "image stream: end totals do not match what was received "
                     "(%u files, %llu bytes)", rx->files, (unsigned long long)rx->total);
            return -1;
        }
        rx->ended = true;
        ev->kind = HS_MIG_IMG_END;
        return 0;
    default:
        snprintf(err, err_size, "image stream: unexpected frame type %u", (unsigned)type);
        return -1;
    }
}

int hs_mig_img_part_of(const char *name, char *base, size_t size)
{
    const char *p = strstr(name, HS_MIG_IMG_PART_SUFFIX);
    if (!p)
        return -1;
    const char *d = p + strlen(HS_MIG_IMG_PART_SUFFIX);
    size_t blen = (size_t)(p - name);
    if (!blen || blen >= size || !*d || strlen(d) > 6)
        return -2;
    int k = 0;
    for (; *d; d++) {
        if (*d < '0' || *d > '9')
            return -2;
        k = k * 10 + (*d - '0');
    }
    memcpy(base, name, blen);
    base[blen] = '\0';
    return k;
}
