/* mig_imgstream.h - the image stream (pure): how a directory of CRIU images travels between
 * agents as frames, and the receiver's checks.
 *
 * For every file: IMG_FILE {name_len(2) name size(8) mode(4)}, then IMG_DATA frames carrying
 * exactly `size` bytes; at the end IMG_END {files(4) total_bytes(8)}. Names are plain file
 * names (1-127 of [A-Za-z0-9._-], not starting with '.'): a peer cannot write outside the
 * image directory. Limits: 4096 files, 4 GiB in all. */
#ifndef HS_MIG_IMGSTREAM_H
#define HS_MIG_IMGSTREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"

#define HS_MIG_IMG_NAME_MAX 128
#define HS_MIG_IMG_MAX_FILES 4096u
#define HS_MIG_IMG_MAX_TOTAL (4ull << 30)

/* A file CRIU is still writing may travel in parts "NAME.hs-partK" (K = 0, 1, ... in order),
 * which the receiver appends to NAME. */
#define HS_MIG_IMG_PART_SUFFIX ".hs-part"
/* For an (acceptable) image name: K with NAME into base (size bytes) when it names a part, -1
 * when it is no part, -2 when it is a malformed part name (no NAME, no or non-decimal K, K of
 * more than 6 digits). */
int hs_mig_img_part_of(const char *name, char *base, size_t size);
/* True when name is acceptable as an image file name. */
bool hs_mig_img_name_ok(const char *name, size_t len);
/* Payloads of IMG_FILE and IMG_END; false when name is not acceptable. */
bool hs_mig_img_file_payload(const char *name, uint64_t size, uint32_t mode, struct hs_buf *out);
void hs_mig_img_end_payload(uint32_t files, uint64_t total, struct hs_buf *out);

enum hs_mig_img_ev {
    HS_MIG_IMG_BEGIN,   /* a file starts: name, size, mode */
    HS_MIG_IMG_DATA,    /* data of the current file: data, len */
    HS_MIG_IMG_END,     /* the stream ended consistently */
};

/* One event; `done` tells that the current file is complete (after BEGIN of an empty file or
 * after its last DATA). */
struct hs_mig_img_event {
    enum hs_mig_img_ev kind;
    char name[HS_MIG_IMG_NAME_MAX];
    uint64_t size;
    uint32_t mode;
    const uint8_t *data;
    size_t len;
    bool done;
};

/* Receiver state. Zero-initialise (or hs_mig_imgrx_init). */
struct hs_mig_imgrx {
    bool in_file, ended;
    uint64_t size, got;     /* current file */
    uint32_t files;
    uint64_t total;
};

void hs_mig_imgrx_init(struct hs_mig_imgrx *rx);
/* Feed one frame (type, payload). 0 with *ev filled, or -1 with a message when the frame
 * breaks the format (order, sizes, names, limits, totals). */
int hs_mig_imgrx_feed(struct hs_mig_imgrx *rx, uint8_t type, const uint8_t *p, size_t len,
                      struct hs_mig_img_event *ev, char *err, size_t err_size);

#endif
