/* ofp_frame.c - framing, the ofp_header, and dispatch of message bodies through the table
 * generated from ofp-msgs.def. */
#include "ofp/ofp_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum ofp_len_kind { FIXED, MIN };
enum ofp_dir { C2S, S2C, SYM };

struct ofp_msg_desc {
    const char *name;
    uint16_t body_len;
    enum ofp_len_kind kind;
    enum ofp_dir dir;
    int (*decode)(const uint8_t *b, size_t n, struct ofp_msg *m, struct ofp_decode_err *e);
    int (*encode)(const struct ofp_msg *m, struct hs_buf *out);
};

static const struct ofp_msg_desc msg_descs[] = {
#define OFP_MSG(type, name_, len, kind_, dir_, codec)                                            \
    [type] = {name_, len, kind_, dir_, ofp_dec_##codec, ofp_enc_##codec},
#include "ofp/ofp-msgs.def"
};

static const struct ofp_msg_desc *msg_desc(uint8_t type)
{
    if (type >= HS_ARRAY_SIZE(msg_descs) || !msg_descs[type].name)
        return NULL;
    return &msg_descs[type];
}

int ofp_fail(struct ofp_decode_err *e, uint16_t type, uint16_t code, const char *fmt, ...)
{
    if (e) {
        e->type = type;
        e->code = code;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->text, sizeof e->text, fmt, ap);
        va_end(ap);
    }
    return OFP_ERR;
}

void ofp_put(struct hs_buf *out, const void *src, size_t n)
{
    if (n)
        hs_buf_put(out, src, n);
}

const char *ofp_type_name(uint8_t type)
{
    const struct ofp_msg_desc *d = msg_desc(type);
    return d ? d->name : "UNKNOWN";
}

int ofp_frame_len(const uint8_t *buf, size_t len)
{
    if (len < OFP_HEADER_LEN)
        return 0;
    uint16_t n = hs_be16(buf + 2);
    if (n < OFP_HEADER_LEN)
        return -1;
    return len < n ? 0 : (int)n;
}

int ofp_decode(const uint8_t *buf, size_t len, struct ofp_msg *msg, struct ofp_decode_err *err)
{
    memset(msg, 0, sizeof *msg);
    if (err)
        memset(err, 0, sizeof *err);
    if (len < OFP_HEADER_LEN)
        return ofp_fail(err, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN,
                        "message of %zu bytes is shorter than the 8-byte header", len);
    msg->version = buf[0];
    msg->type = buf[1];
    msg->xid = hs_be32(buf + 4);
    uint16_t hlen = hs_be16(buf + 2);
    if (hlen != len)
        return ofp_fail(err, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN,
                        "header length %u differs from the %zu bytes received", hlen, len);
    if (msg->version != OFP13_VERSION && msg->type != OFPT_HELLO)
        return ofp_fail(err, OFPET_BAD_REQUEST, OFPBRC_BAD_VERSION,
                        "version 0x%02x is not OpenFlow 1.3 (0x04)", msg->version);
    if (msg->version == 0)
        return ofp_fail(err, OFPET_HELLO_FAILED, OFPHFC_INCOMPATIBLE,
                        "version 0 is not an OpenFlow version");
    const struct ofp_msg_desc *d = msg_desc(msg->type);
    if (!d)
        return ofp_fail(err, OFPET_BAD_REQUEST, OFPBRC_BAD_TYPE, "unknown message type %u",
                        msg->type);
    size_t body = len - OFP_HEADER_LEN;
    if (d->kind == FIXED && body != d->body_len)
        return ofp_fail(err, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN,
                        "%s body is %zu bytes, must be %u", d->name, body, d->body_len);
    if (d->kind == MIN && body < d->body_len)
        return ofp_fail(err, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN,
                        "%s body is %zu bytes, shorter than its fixed part of %u", d->name, body,
                        d->body_len);
    return d->decode(buf + OFP_HEADER_LEN, body, msg, err);
}

int ofp_encode(const struct ofp_msg *msg, struct hs_buf *out)
{
    const struct ofp_msg_desc *d = msg_desc(msg->type);
    if (!d)
        return OFP_ERR;
    size_t start = out->len;
    uint8_t version = OFP13_VERSION;
    if (msg->type == OFPT_HELLO && msg->version != 0)
        version = msg->version;
    hs_buf_put_u8(out, version);
    hs_buf_put_u8(out, msg->type);
    hs_buf_put_be16(out, 0);        /* length, filled in below */
    hs_buf_put_be32(out, msg->xid);
    if (d->encode(msg, out) != OFP_OK)
        goto fail;
    size_t n = out->len - start;
    size_t body = n - OFP_HEADER_LEN;
    if (n > OFP_MAX_MSG_LEN || (d->kind == FIXED && body != d->body_len) ||
        (d->kind == MIN && body < d->body_len))
        goto fail;
    hs_st16(out->data + start + 2, (uint16_t)n);
    return OFP_OK;
fail:
    out->len = start;
    return OFP_ERR;
}

void ofp_msg_init(struct ofp_msg *msg, enum ofp_type type, uint32_t xid)
{
    memset(msg, 0, sizeof *msg);
    msg->version = OFP13_VERSION;
    msg->type = (uint8_t)type;
    msg->xid = xid;
    switch (type) {
    case OFPT_HELLO:
        msg->u.hello.version_bitmap = 1u << OFP13_VERSION;
        break;
    case OFPT_SET_CONFIG:
    case OFPT_GET_CONFIG_REPLY:
        msg->u.config.miss_send_len = OFP_DEFAULT_MISS_SEND_LEN;
        break;
    case OFPT_PACKET_IN:
        msg->u.packet_in.buffer_id = OFP_NO_BUFFER;
        break;
    case OFPT_PACKET_OUT:
        msg->u.packet_out.buffer_id = OFP_NO_BUFFER;
        msg->u.packet_out.in_port = OFPP_CONTROLLER;
        msg->u.packet_out.actions.goto_table = 0xff;
        break;
    case OFPT_FLOW_MOD:
        msg->u.flow_mod.buffer_id = OFP_NO_BUFFER;
        msg->u.flow_mod.out_port = OFPP_ANY;
        msg->u.flow_mod.out_group = OFPG_ANY;
        msg->u.flow_mod.actions.goto_table = 0xff;
        break;
    default:
        break;
    }
}
