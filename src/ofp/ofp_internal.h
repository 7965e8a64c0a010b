/* ofp_internal.h - private interfaces shared by the codec files of src/ofp (not for users). */
#ifndef HS_OFP_OFP_INTERNAL_H
#define HS_OFP_OFP_INTERNAL_H

#include "common/util.h"
#include "ofp/ofp.h"

#define OFP_ALIGN8(n) (((n) + 7u) & ~(size_t)7u)

/* Fill *e (when not NULL) with type/code and a printf-formatted text; returns OFP_ERR. */
int ofp_fail(struct ofp_decode_err *e, uint16_t type, uint16_t code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Append n bytes (n may be 0, src NULL means zeroes). */
void ofp_put(struct hs_buf *out, const void *src, size_t n);

/* ---- ofp_match.c ---- */

/* One OXM field we represent: wire length and where it lives in struct ofp_match. */
struct ofp_oxm_field {
    enum ofp_match_field field;
    uint8_t len;                /* value bytes on the wire */
    bool maskable;
    const char *name;           /* ovs-ofctl name: "in_port", "dl_dst", ... */
    const char *oxm_name;       /* OXM name: "eth_dst" (set_field formatting) */
    size_t off, mask_off;       /* offsetof the value / mask in struct ofp_match (mask: if
                                   maskable) */
};
/* The table entry for field f, or NULL when we do not represent it. */
const struct ofp_oxm_field *ofp_oxm_field_get(unsigned f);
/* Spec name of any OpenFlow-basic OXM field number (for error texts); "unknown" otherwise. */
const char *ofp_oxm_basic_name(unsigned f);
/* Wire-order value (and effective mask: all ones unless masked) of field f of m. */
void ofp_match_get_bytes(const struct ofp_match *m, const struct ofp_oxm_field *f, uint8_t val[6],
                         uint8_t mask[6]);
/* Store a wire-order value (mask NULL: exact) into field f of m, marking it present. */
void ofp_match_set_bytes(struct ofp_match *m, const struct ofp_oxm_field *f, const uint8_t *val,
                         const uint8_t *mask);
/* Decode an ofp_match (type OXM, length, TLVs, padding) at p[0..avail). On success *used is the
 * padded length consumed. */
int ofp_match_decode(const uint8_t *p, size_t avail, struct ofp_match *m, size_t *used,
                     struct ofp_decode_err *e);
/* Append an ofp_match with its padding; OFP_ERR (out unchanged) when m cannot be represented. */
int ofp_match_encode(const struct ofp_match *m, struct hs_buf *out);

/* ---- ofp_actions.c ---- */

/* Decode an action list p[0..len) into *a (a->n starts at 0). */
int ofp_action_list_decode(const uint8_t *p, size_t len, struct ofp_actions *a,
                           struct ofp_decode_err *e);
/* Append the action list of *a (not the goto). OFP_ERR when not representable. */
int ofp_action_list_encode(const struct ofp_actions *a, struct hs_buf *out);
/* Decode an instruction list p[0..len) (APPLY_ACTIONS, GOTO_TABLE) into *a. */
int ofp_instructions_decode(const uint8_t *p, size_t len, struct ofp_actions *a,
                            struct ofp_decode_err *e);
/* Append the instructions for *a. OFP_ERR when not representable. */
int ofp_instructions_encode(const struct ofp_actions *a, struct hs_buf *out);

/* ---- ofp_msgs.c ---- */

#define OFP_PORT_LEN 64
/* Decode / encode one struct ofp_port (64 bytes). */
int ofp_port_decode(const uint8_t *p, struct ofp_port *port, struct ofp_decode_err *e);
int ofp_port_encode(const struct ofp_port *port, struct hs_buf *out);
/* Copy a NUL-terminated string field of the wire p[0..size) into dst[size]; OFP_ERR when the
 * field is not terminated. */
int ofp_str_decode(const uint8_t *p, size_t size, char *dst, const char *what,
                   struct ofp_decode_err *e);
/* Append src zero-padded to size bytes; OFP_ERR when it does not fit with its NUL. */
int ofp_str_encode(const char *src, size_t size, struct hs_buf *out);

/* Per-message body codecs named in ofp-msgs.def: decode the body b[0..n) (length already
 * checked against the .def) into *m; encode appends the body of *m. */
#define OFP_MSG(type, name, len, kind, dir, codec)                                              \
    int ofp_dec_##codec(const uint8_t *b, size_t n, struct ofp_msg *m, struct ofp_decode_err *e); \
    int ofp_enc_##codec(const struct ofp_msg *m, struct hs_buf *out);
#include "ofp/ofp-msgs.def"

#endif
