/* fuzz_mig_msg.c - the agent's message decoding: frames (with a fixed session key, so the
 * fuzzer's own frames may carry valid MACs only by the seeds' grace), then requests and the
 * image stream fed directly. First byte selects: 0 frames, 1 request JSON, 2 image stream
 * (records: type(1) len(2) payload). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mig/mig_frame.h"
#include "mig/mig_imgstream.h"
#include "mig/mig_req.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t mode = data[0] % 3;
    data++;
    size--;
    char err[256];
    if (mode == 0) {
        static const uint8_t key[32] = {1, 2, 3};
        struct hs_mig_session s;
        uint8_t n0[32] = {0}, n1[32] = {1};
        hs_mig_session_derive(key, n0, n1, &s);
        size_t off = 0;
        uint64_t seq = 0;
        while (off < size) {
            struct hs_mig_frame f;
            size_t used = 0, need = 0;
            int r = hs_mig_frame_decode(&s, 'C', seq, data + off, size - off, &f, &used, &need,
                                        err, sizeof err);
            if (r != HS_MIG_DEC_OK)
                break;
            if (used == 0 || used > size - off || f.len > used)
                __builtin_trap();
            if (f.type == HS_MIG_T_REQ) {
                struct hs_mig_req q;
                hs_mig_req_parse((const char *)f.payload, f.len, &q, err, sizeof err);
            }
            off += used;
            seq++;
        }
    } else if (mode == 1) {
        struct hs_mig_req q;
        if (hs_mig_req_parse((const char *)data, size, &q, err, sizeof err) == 0) {
            if (q.n_unix > HS_MIG_MAX_UNIX || (q.id[0] && !hs_mig_id_ok(q.id)))
                __builtin_trap();
        }
    } else {
        struct hs_mig_imgrx rx;
        hs_mig_imgrx_init(&rx);
        size_t off = 0;
        while (off + 3 <= size) {
            uint8_t type = data[off];
            size_t len = (size_t)data[off + 1] << 8 | data[off + 2];
            off += 3;
            if (len > size - off)
                break;
            struct hs_mig_img_event ev;
            if (hs_mig_imgrx_feed(&rx, type, data + off, len, &ev, err, sizeof err) != 0)
                break;
            if (ev.kind == HS_MIG_IMG_BEGIN &&
                !hs_mig_img_name_ok(ev.name, strlen(ev.name)))
                __builtin_trap();
            if (ev.kind == HS_MIG_IMG_BEGIN) { /* a part's base is an acceptable, shorter name */
                char base[HS_MIG_IMG_NAME_MAX];
                int k = hs_mig_img_part_of(ev.name, base, sizeof base);
                if (k >= 0 && (k > 999999 || strlen(base) >= strlen(ev.name) ||
                               !hs_mig_img_name_ok(base, strlen(base))))
                    __builtin_trap();
            }
            if (rx.in_file && rx.got > rx.size)
                __builtin_trap();
            off += len;
        }
    }
    return 0;
}
