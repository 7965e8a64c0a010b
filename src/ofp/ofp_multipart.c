/* ofp_multipart.c - MULTIPART_REQUEST / MULTIPART_REPLY bodies for DESC, FLOW, AGGREGATE, TABLE,
 * PORT_STATS and PORT_DESC; reply entry iterator and builder. Offsets are relative to the
 * start of each structure. */
#include "ofp/ofp_internal.h"

#include <string.h>

#define MP_HEADER_LEN 8              /* type(0) flags(2) pad(4) */
#define FLOW_STATS_FIXED 48          /* struct ofp_flow_stats up to its match */
#define FLOW_REQ_FIXED 32            /* struct ofp_flow_stats_request up to its match */
#define PORT_STATS_LEN 112
#define TABLE_STATS_LEN 24
#define AGGREGATE_LEN 24
#define DESC_LEN 1056

const char *ofp_multipart_name(uint16_t type)
{
    static const char *const names[] = {
        "DESC", "FLOW", "AGGREGATE", "TABLE", "PORT_STATS", "QUEUE", "GROUP", "GROUP_DESC",
        "GROUP_FEATURES", "METER", "METER_CONFIG", "METER_FEATURES", "TABLE_FEATURES",
        "PORT_DESC",
    };
    if (type < HS_ARRAY_SIZE(names))
        return names[type];
    return type == 0xffff ? "EXPERIMENTER" : "UNKNOWN";
}

static bool mp_supported(uint16_t type)
{
    return type == OFPMP_DESC || type == OFPMP_FLOW || type == OFPMP_AGGREGATE ||
           type == OFPMP_TABLE || type == OFPMP_PORT_STATS || type == OFPMP_PORT_DESC;
}

static int unsupported_mp(uint16_t type, struct ofp_decode_err *e)
{
    return ofp_fail(e, OFPET_BAD_REQUEST, OFPBRC_BAD_MULTIPART,
                    "multipart type %s (%u) not supported", ofp_multipart_name(type), type);
}

/* ---- requests ---- */

int ofp_dec_mp_request(const uint8_t *b, size_t n, struct ofp_msg *m, struct ofp_decode_err *e)
{
    struct ofp_multipart_request *r = &m->u.mp_request;
    r->type = hs_be16(b);
    r->flags = hs_be16(b + 2);
    const uint8_t *p = b + MP_HEADER_LEN;
    size_t len = n - MP_HEADER_LEN;
    switch (r->type) {
    case OFPMP_DESC:
    case OFPMP_TABLE:
    case OFPMP_PORT_DESC:
        if (len != 0)
            return ofp_fail(e, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN,
                            "%s request must have an empty body, has %zu bytes",
                            ofp_multipart_name(r->type), len);
        return OFP_OK;
    case OFPMP_PORT_STATS:
        if (len != 8)
            return ofp_fail(e, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN,
                            "PORT_STATS request body is %zu bytes, must be 8", len);
        r->u.port_no = hs_be32(p);
        return OFP_OK;
    case OFPMP_FLOW:
    case OFPMP_AGGREGATE: {
        if (len < FLOW_REQ_FIXED)
            return ofp_fail(e, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN,
                            "%s request body is %zu bytes, shorter than %d",
                            ofp_multipart_name(r->type), len, FLOW_REQ_FIXED);
        struct ofp_flow_stats_request *f = &r->u.flow;
        f->table_id = p[0];
        f->out_port = hs_be32(p + 4);
        f->out_group = hs_be32(p + 8);
        f->cookie = hs_be64(p + 16);
        f->cookie_mask = hs_be64(p + 24);
        size_t used;
        if (ofp_match_decode(p + FLOW_REQ_FIXED, len - FLOW_REQ_FIXED, &f->match, &used, e) !=
            OFP_OK)
            return OFP_ERR;
        if (FLOW_REQ_FIXED + used != len)
            return ofp_fail(e, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN,
                            "%zu stray bytes after the %s request match",
                            len - FLOW_REQ_FIXED - used, ofp_multipart_name(r->type));
        return OFP_OK;
    }
    default:
        return unsupported_mp(r->type, e);
    }
}

int ofp_enc_mp_request(const struct ofp_msg *m, struct hs_buf *out)
{
    const struct ofp_multipart_request *r = &m->u.mp_request;
    if (!mp_supported(r->type))
        return OFP_ERR;
    hs_buf_put_be16(out, r->type);
    hs_buf_put_be16(out, r->flags);
    ofp_put(out, NULL, 4);
    if (r->type == OFPMP_PORT_STATS) {
        hs_buf_put_be32(out, r->u.port_no);
        ofp_put(out, NULL, 4);
    } else if (r->type == OFPMP_FLOW || r->type == OFPMP_AGGREGATE) {
        const struct ofp_flow_stats_request *f = &r->u.flow;
        hs_buf_put_u8(out, f->table_id);
        ofp_put(out, NULL, 3);
        hs_buf_put_be32(out, f->out_port);
        hs_buf_put_be32(out, f->out_group);
        ofp_put(out, NULL, 4);
        hs_buf_put_be64(out, f->cookie);
        hs_buf_put_be64(out, f->cookie_mask);
        return ofp_match_encode(&f->match, out);
    }
    return OFP_OK;
}

/* ---- reply entries ---- */

static int need(size_t rem, size_t want, uint16_t type, struct ofp_decode_err *e)
{
    if (rem < want)
        return ofp_fail(e, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN,
                        "%s reply entry needs %zu bytes, only %zu left",
                        ofp_multipart_name(type), want, rem);
    return OFP_OK;
}

static int decode_flow_stats(const uint8_t *p, size_t rem, struct ofp_flow_stats *f,
                             size_t *elen_out, struct ofp_decode_err *e)
{
    if (need(rem, FLOW_STATS_FIXED + 8, OFPMP_FLOW, e) != OFP_OK)
        return OFP_ERR;
    uint16_t elen = hs_be16(p);
    if (elen < FLOW_STATS_FIXED + 8 || elen > rem || elen % 8)
        return ofp_fail(e, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN,
                        "flow stats entry length %u is not a multiple of 8 in [56, %zu]", elen,
                        rem);
    f->table_id = p[2];
    f->duration_sec = hs_be32(p + 4);
    f->duration_nsec = hs_be32(p + 8);
    f->priority = hs_be16(p + 12);
    f->idle_timeout = hs_be16(p + 14);
    f->hard_timeout = hs_be16(p + 16);
    f->flags = hs_be16(p + 18);
    f->cookie = hs_be64(p + 24);
    f->packet_count = hs_be64(p + 32);
    f->byte_count = hs_be64(p + 40);
    size_t used;
    if (ofp_match_decode(p + FLOW_STATS_FIXED, elen - FLOW_STATS_FIXED, &f->match, &used, e) !=
        OFP_OK)
        return OFP_ERR;
    size_t ioff = FLOW_STATS_FIXED + used;
    if (ofp_instructions_decode(p + ioff, elen - ioff, &f->actions, e) != OFP_OK)
        return OFP_ERR;
    *elen_out = elen;
    return OFP_OK;
}

static int decode_port_stats(const uint8_t *p, struct ofp_port_stats *s)
{
    s->port_no = hs_be32(p);
    s->rx_packets = hs_be64(p + 8);
    s->tx_packets = hs_be64(p + 16);
    s->rx_bytes = hs_be64(p + 24);
    s->tx_bytes = hs_be64(p + 32);
    s->rx_dropped = hs_be64(p + 40);
    s->tx_dropped = hs_be64(p + 48);
    s->rx_errors = hs_be64(p + 56);
    s->tx_errors = hs_be64(p + 64);
    s->rx_frame_err = hs_be64(p + 72);
    s->rx_over_err = hs_be64(p + 80);
    s->rx_crc_err = hs_be64(p + 88);
    s->collisions = hs_be64(p + 96);
    s->duration_sec = hs_be32(p + 104);
    s->duration_nsec = hs_be32(p + 108);
    return OFP_OK;
}

static int decode_desc(const uint8_t *p, struct ofp_desc *d, struct ofp_decode_err *e)
{
    if (ofp_str_decode(p, 256, d->mfr_desc, "mfr_desc", e) != OFP_OK ||
        ofp_str_decode(p + 256, 256, d->hw_desc, "hw_desc", e) != OFP_OK ||
        ofp_str_decode(p + 512, 256, d->sw_desc, "sw_desc", e) != OFP_OK ||
        ofp_str_decode(p + 768, 32, d->serial_num, "serial_num", e) != OFP_OK ||
        ofp_str_decode(p + 800, 256, d->dp_desc, "dp_desc", e) != OFP_OK)
        return OFP_ERR;
    return OFP_OK;
}

/* Decode the entry at body[*cursor] of a reply of the given type and advance *cursor. */
static int entry_decode(uint16_t type, const uint8_t *body, size_t len, size_t *cursor,
                        struct ofp_mp_entry *out, struct ofp_decode_err *e)
{
    const uint8_t *p = body + *cursor;
    size_t rem = len - *cursor, used = 0;
    memset(out, 0, sizeof *out);
    out->type = type;
    switch (type) {
    case OFPMP_FLOW:
        if (decode_flow_stats(p, rem, &out->u.flow, &used, e) != OFP_OK)
            return OFP_ERR;
        break;
    case OFPMP_PORT_STATS:
        if (need(rem, PORT_STATS_LEN, type, e) != OFP_OK)
            return OFP_ERR;
        decode_port_stats(p, &out->u.port);
        used = PORT_STATS_LEN;
        break;
    case OFPMP_TABLE:
        if (need(rem, TABLE_STATS_LEN, type, e) != OFP_OK)
            return OFP_ERR;
        out->u.table.table_id = p[0];
        out->u.table.active_count = hs_be32(p + 4);
        out->u.table.lookup_count = hs_be64(p + 8);
        out->u.table.matched_count = hs_be64(p + 16);
        used = TABLE_STATS_LEN;
        break;
    case OFPMP_PORT_DESC:
        if (need(rem, OFP_PORT_LEN, type, e) != OFP_OK ||
            ofp_port_decode(p, &out->u.port_desc, e) != OFP_OK)
            return OFP_ERR;
        used = OFP_PORT_LEN;
        break;
    case OFPMP_AGGREGATE:
        if (need(rem, AGGREGATE_LEN, type, e) != OFP_OK)
            return OFP_ERR;
        out->u.aggregate.packet_count = hs_be64(p);
        out->u.aggregate.byte_count = hs_be64(p + 8);
        out->u.aggregate.flow_count = hs_be32(p + 16);
        used = AGGREGATE_LEN;
        break;
    case OFPMP_DESC:
        if (need(rem, DESC_LEN, type, e) != OFP_OK || decode_desc(p, &out->u.desc, e) != OFP_OK)
            return OFP_ERR;
        used = DESC_LEN;
        break;
    default:
        return unsupported_mp(type, e);
    }
    *cursor += used;
    return OFP_OK;
}

/* Check a whole reply body: every entry decodes, single-entry types have exactly one. */
static int validate_reply(uint16_t type, const uint8_t *body, size_t len,
                          struct ofp_decode_err *e)
{
    if (!mp_supported(type))
        return unsupported_mp(type, e);
    if ((type == OFPMP_DESC && len != DESC_LEN) || (type == OFPMP_AGGREGATE && len != AGGREGATE_LEN))
        return ofp_fail(e, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN, "%s reply body is %zu bytes, must be %d",
                        ofp_multipart_name(type), len, type == OFPMP_DESC ? DESC_LEN : AGGREGATE_LEN);
    size_t cursor = 0;
    struct ofp_mp_entry entry;
    while (cursor < len)
        if (entry_decode(type, body, len, &cursor, &entry, e) != OFP_OK)
            return OFP_ERR;
    return OFP_OK;
}

int ofp_dec_mp_reply(const uint8_t *b, size_t n, struct ofp_msg *m, struct ofp_decode_err *e)
{
    struct ofp_multipart_reply *r = &m->u.mp_reply;
    r->type = hs_be16(b);
    r->flags = hs_be16(b + 2);
    r->body_len = n - MP_HEADER_LEN;
    r->body = r->body_len ? b + MP_HEADER_LEN : NULL;
    return validate_reply(r->type, r->body, r->body_len, e);
}

int ofp_enc_mp_reply(const struct ofp_msg *m, struct hs_buf *out)
{
    const struct ofp_multipart_reply *r = &m->u.mp_reply;
    if ((r->body_len && !r->body) || validate_reply(r->type, r->body, r->body_len, NULL) != OFP_OK)
        return OFP_ERR;
    hs_buf_put_be16(out, r->type);
    hs_buf_put_be16(out, r->flags);
    ofp_put(out, NULL, 4);
    ofp_put(out, r->body, r->body_len);
    return OFP_OK;
}

int ofp_mp_next(const struct ofp_multipart_reply *r, size_t *cursor, struct ofp_mp_entry *e)
{
    if (*cursor >= r->body_len)
        return 0;
    if (!r->body)
        return -1;
    struct ofp_decode_err err;
    return entry_decode(r->type, r->body, r->body_len, cursor, e, &err) == OFP_OK ? 1 : -1;
}

/* ---- building reply bodies ---- */

static int put_flow_stats(struct hs_buf *body, const struct ofp_flow_stats *f)
{
    size_t start = body->len;
    hs_buf_put_be16(body, 0);
    hs_buf_put_u8(body, f->table_id);
    ofp_put(body, NULL, 1);
    hs_buf_put_be32(body, f->duration_sec);
    hs_buf_put_be32(body, f->duration_nsec);
    hs_buf_put_be16(body, f->priority);
    hs_buf_put_be16(body, f->idle_timeout);
    hs_buf_put_be16(body, f->hard_timeout);
    hs_buf_put_be16(body, f->flags);
    ofp_put(body, NULL, 4);
    hs_buf_put_be64(body, f->cookie);
    hs_buf_put_be64(body, f->packet_count);
    hs_buf_put_be64(body, f->byte_count);
    if (ofp_match_encode(&f->match, body) != OFP_OK ||
        ofp_instructions_encode(&f->actions, body) != OFP_OK)
        return OFP_ERR;
    size_t elen = body->len - start;
    if (elen > UINT16_MAX)
        return OFP_ERR;
    hs_st16(body->data + start, (uint16_t)elen);
    return OFP_OK;
}

static void put_port_stats(struct hs_buf *body, const struct ofp_port_stats *s)
{
    hs_buf_put_be32(body, s->port_no);
    ofp_put(body, NULL, 4);
    const uint64_t counters[] = {s->rx_packets, s->tx_packets, s->rx_bytes, s->tx_bytes,
                                 s->rx_dropped, s->tx_dropped, s->rx_errors, s->tx_errors,
                                 s->rx_frame_err, s->rx_over_err, s->rx_crc_err, s->collisions};
    for (size_t i = 0; i < HS_ARRAY_SIZE(counters); i++)
        hs_buf_put_be64(body, counters[i]);
    hs_buf_put_be32(body, s->duration_sec);
    hs_buf_put_be32(body, s->duration_nsec);
}

static int put_desc(struct hs_buf *body, const struct ofp_desc *d)
{
    if (ofp_str_encode(d->mfr_desc, 256, body) != OFP_OK ||
        ofp_str_encode(d->hw_desc, 256, body) != OFP_OK ||
        ofp_str_encode(d->sw_desc, 256, body) != OFP_OK ||
        ofp_str_encode(d->serial_num, 32, body) != OFP_OK ||
        ofp_str_encode(d->dp_desc, 256, body) != OFP_OK)
        return OFP_ERR;
    return OFP_OK;
}

int ofp_mp_put(struct hs_buf *body, const struct ofp_mp_entry *e)
{
    size_t start = body->len;
    int rc = OFP_OK;
    switch (e->type) {
    case OFPMP_FLOW:
        rc = put_flow_stats(body, &e->u.flow);
        break;
    case OFPMP_PORT_STATS:
        put_port_stats(body, &e->u.port);
        break;
    case OFPMP_TABLE:
        hs_buf_put_u8(body, e->u.table.table_id);
        ofp_put(body, NULL, 3);
        hs_buf_put_be32(body, e->u.table.active_count);
        hs_buf_put_be64(body, e->u.table.lookup_count);
        hs_buf_put_be64(body, e->u.table.matched_count);
        break;
    case OFPMP_PORT_DESC:
        rc = ofp_port_encode(&e->u.port_desc, body);
        break;
    case OFPMP_AGGREGATE:
        hs_buf_put_be64(body, e->u.aggregate.packet_count);
        hs_buf_put_be64(body, e->u.aggregate.byte_count);
        hs_buf_put_be32(body, e->u.aggregate.flow_count);
        ofp_put(body, NULL, 4);
        break;
    case OFPMP_DESC:
        rc = put_desc(body, &e->u.desc);
        break;
    default:
        rc = OFP_ERR;
        break;
    }
    if (rc != OFP_OK)
        body->len = start;
    return rc;
}
