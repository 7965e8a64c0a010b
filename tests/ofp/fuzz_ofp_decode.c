/* fuzz_ofp_decode.c - libFuzzer target: frame the input into messages; decode each; every
 * decoded message must re-encode, the re-encoding must decode to the same message, and encoding
 * must be stable (encode(decode(encode(x))) == encode(x)). Multipart replies are iterated to the
 * end and rebuilt entry by entry with ofp_mp_put. Violations abort. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofp_samples.h"

#define CHECK(cond)                                                                              \
    do {                                                                                         \
        if (!(cond)) {                                                                           \
            fprintf(stderr, "fuzz_ofp_decode: check failed: %s (line %d)\n", #cond, __LINE__);   \
            abort();                                                                             \
        }                                                                                        \
    } while (0)

static void check_same(const struct ofp_msg *a, const struct ofp_msg *b)
{
    const char *why;
    if (!ofp_msg_same(a, b, &why)) {
        fprintf(stderr, "fuzz_ofp_decode: %s differs after re-decode in %s\n",
                ofp_type_name(a->type), why);
        abort();
    }
}

/* Iterate a decoded reply fully; rebuild its body from the entries; the rebuilt reply must
 * decode and hold the same entries. */
static void check_multipart(const struct ofp_msg *m)
{
    struct hs_buf body = HS_BUF_INIT, enc = HS_BUF_INIT;
    size_t cur = 0;
    struct ofp_mp_entry e;
    int rc;
    while ((rc = ofp_mp_next(&m->u.mp_reply, &cur, &e)) == 1)
        CHECK(ofp_mp_put(&body, &e) == OFP_OK);
    CHECK(rc == 0);
    CHECK(cur == m->u.mp_reply.body_len);
    struct ofp_msg r = *m, d;
    r.u.mp_reply.body = body.data;
    r.u.mp_reply.body_len = body.len;
    if (ofp_encode(&r, &enc) == OFP_OK) {
        CHECK(ofp_decode(enc.data, enc.len, &d, NULL) == OFP_OK);
        check_same(m, &d);
    } else {
        /* only possible when the rebuilt entries grew past the 64 KiB message limit */
        CHECK(body.len + 16 > OFP_MAX_MSG_LEN);
    }
    hs_buf_free(&body);
    hs_buf_free(&enc);
}

static void check_one(const uint8_t *p, size_t n)
{
    struct ofp_msg m, d;
    struct ofp_decode_err err;
    char text[512];
    if (ofp_decode(p, n, &m, &err) != OFP_OK) {
        CHECK(strlen(err.text) > 0);
        ofp_error_format(err.type, err.code, text, sizeof text);
        return;
    }
    ofp_msg_format(&m, text, sizeof text);
    if (m.type == OFPT_MULTIPART_REPLY)
        check_multipart(&m);
    struct hs_buf a = HS_BUF_INIT, b = HS_BUF_INIT;
    CHECK(ofp_encode(&m, &a) == OFP_OK);
    CHECK(ofp_frame_len(a.data, a.len) == (int)a.len);
    CHECK(ofp_decode(a.data, a.len, &d, &err) == OFP_OK);
    check_same(&m, &d);
    CHECK(ofp_encode(&d, &b) == OFP_OK);
    CHECK(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
    hs_buf_free(&a);
    hs_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t off = 0;
    while (off < size) {
        int n = ofp_frame_len(data + off, size - off);
        if (n <= 0)
            break;
        check_one(data + off, (size_t)n);
        off += (size_t)n;
    }
    return 0;
}
