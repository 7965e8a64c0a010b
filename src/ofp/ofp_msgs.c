/* ofp_msgs.c - body codecs of the non-multipart messages named in ofp-msgs.def. Wire offsets
 * (relative to the end of the 8-byte header) are written out next to each field. */
#include "ofp/ofp_internal.h"

#include <string.h>

#define OFPHET_VERSIONBITMAP 1

/* ---- strings and ports ---- */

int ofp_str_decode(const uint8_t *p, size_t size, char *dst, const char *what,
                   struct ofp_decode_err *e)
{
    const uint8_t *nul = memchr(p, 0, size);
    if (!nul)
        return ofp_fail(e, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN,
                        "%s is not NUL-terminated within %zu bytes", what, size);
    memset(dst, 0, size);
    memcpy(dst, p, (size_t)(nul - p));
    return OFP_OK;
}

int ofp_str_encode(const char *src, size_t size, struct hs_buf *out)
{
    size_t n = strnlen(src, size);
    if (n >= size)
        return OFP_ERR;
    ofp_put(out, src, n);
    ofp_put(out, NULL, size - n);
    return OFP_OK;
}

int ofp_port_decode(const uint8_t *p, struct ofp_port *port, struct ofp_decode_err *e)
{
    memset(port, 0, sizeof *port);
    port->port_no = hs_be32(p + 0);
    memcpy(port->hw_addr, p + 8, 6);
    if (ofp_str_decode(p + 16, sizeof port->name, port->name, "port name", e) != OFP_OK)
        return OFP_ERR;
    port->config = hs_be32(p + 32);
    port->state = hs_be32(p + 36);
    port->curr = hs_be32(p + 40);
    port->advertised = hs_be32(p + 44);
    port->supported = hs_be32(p + 48);
    port->peer = hs_be32(p + 52);
    port->curr_speed = hs_be32(p + 56);
    port->max_speed = hs_be32(p + 60);
    return OFP_OK;
}

int ofp_port_encode(const struct ofp_port *port, struct hs_buf *out)
{
    if (strnlen(port->name, sizeof port->name) >= sizeof port->name)
        return OFP_ERR;
    hs_buf_put_be32(out, port->port_no);
    ofp_put(out, NULL, 4);
    ofp_put(out, port->hw_addr, 6);
    ofp_put(out, NULL, 2);
    ofp_str_encode(port->name, sizeof port->name, out);
    hs_buf_put_be32(out, port->config);
    hs_buf_put_be32(out, port->state);
    hs_buf_put_be32(out, port->curr);
    hs_buf_put_be32(out, port->advertised);
    hs_buf_put_be32(out, port->supported);
    hs_buf_put_be32(out, port->peer);
    hs_buf_put_be32(out, port->curr_speed);
    hs_buf_put_be32(out, port->max_speed);
    return OFP_OK;
}

/* Data that is allowed to be empty: pointer into the body, NULL when empty. */
static void set_data(const uint8_t *p, size_t n, const uint8_t **data, size_t *len)
{
    *data = n ? p : NULL;
    *len = n;
}

static int put_data(const uint8_t *data, size_t len, struct hs_buf *out)
{
    if (len && !data)
        return OFP_ERR;
    if (len > OFP_MAX_MSG_LEN)
        return OFP_ERR;
    ofp_put(out, data, len);
    return OFP_OK;
}

/* ---- messages without a body ---- */

int ofp_dec_empty(const uint8_t *b, size_t n, struct ofp_msg *m, struct ofp_decode_err *e)
{
    return OFP_OK;
}

int ofp_enc_empty(const struct ofp_msg *m, struct hs_buf *out) { return OFP_OK; }

/* ---- recognised but not supported ---- */

int ofp_dec_unsupported(const uint8_t *b, size_t n, struct ofp_msg *m, struct ofp_decode_err *e)
{
    if (m->type == OFPT_EXPERIMENTER)
        return ofp_fail(e, OFPET_BAD_REQUEST, OFPBRC_BAD_EXPERIMENTER,
                        "experimenter 0x%08x messages are not supported", hs_be32(b));
    return ofp_fail(e, OFPET_BAD_REQUEST, OFPBRC_BAD_TYPE,
                    "%s is recognised but not supported", ofp_type_name(m->type));
}

int ofp_enc_unsupported(const struct ofp_msg *m, struct hs_buf *out) { return OFP_ERR; }

/* ---- HELLO: elements {type be16, length be16, body} padded to 8 ---- */

int ofp_dec_hello(const uint8_t *b, size_t n, struct ofp_msg *m, struct ofp_decode_err *e)
{
    bool seen = false;
    size_t off = 0;
    while (off < n) {
        if (n - off < 4)
            return ofp_fail(e, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN,
                            "truncated HELLO element header at offset %zu", off);
        uint16_t type = hs_be16(b + off), elen = hs_be16(b + off + 2);
        if (elen < 4 || elen > n - off)
            return ofp_fail(e, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN,
                            "HELLO element length %u does not fit the %zu bytes left", elen,
                            n - off);
        if (type == OFPHET_VERSIONBITMAP && !seen) {
            if (elen < 8 || (elen - 4) % 4)
                return ofp_fail(e, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN,
                                "HELLO version bitmap length %u is not 4 + a multiple of 4", elen);
            /* first word: versions 0..31; later words are versions nobody speaks yet */
            m->u.hello.version_bitmap = hs_be32(b + off + 4);
            seen = true;
        }
        /* other element types are skipped, as the spec requires */
        size_t step = OFP_ALIGN8(elen);
        off += step < n - off ? step : n - off;
    }
    return OFP_OK;
}

int ofp_enc_hello(const struct ofp_msg *m, struct hs_buf *out)
{
    if (m->u.hello.version_bitmap) {
        hs_buf_put_be16(out, OFPHET_VERSIONBITMAP);
        hs_buf_put_be16(out, 8);
        hs_buf_put_be32(out, m->u.hello.version_bitmap);
    }
    return OFP_OK;
}

/* ---- ERROR: type(0) code(2) data(4) ---- */

int ofp_dec_error(const uint8_t *b, size_t n, struct ofp_msg *m, struct ofp_decode_err *e)
{
    m->u.error.type = hs_be16(b);
    m->u.error.code = hs_be16(b + 2);
    set_data(b + 4, n - 4, &m->u.error.data, &m->u.error.data_len);
    return OFP_OK;
}

int ofp_enc_error(const struct ofp_msg *m, struct hs_buf *out)
{
    hs_buf_put_be16(out, m->u.error.type);
    hs_buf_put_be16(out, m->u.error.code);
    return put_data(m->u.error.data, m->u.error.data_len, out);
}

/* ---- ECHO_REQUEST / ECHO_REPLY: arbitrary data ---- */

int ofp_dec_echo(const uint8_t *b, size_t n, struct ofp_msg *m, struct ofp_decode_err *e)
{
    set_data(b, n, &m->u.echo.data, &m->u.echo.data_len);
    return OFP_OK;
}

int ofp_enc_echo(const struct ofp_msg *m, struct hs_buf *out)
{
    return put_data(m->u.echo.data, m->u.echo.data_len, out);
}

/* ---- FEATURES_REPLY: datapath_id(0) n_buffers(8) n_tables(12) auxiliary_id(13) pad(14)
 *      capabilities(16) reserved(20) ---- */

int ofp_dec_features_reply(const uint8_t *b, size_t n, struct ofp_msg *m,
                           struct ofp_decode_err *e)
{
    struct ofp_features_reply *f = &m->u.features;
    f->datapath_id = hs_be64(b);
    f->n_buffers = hs_be32(b + 8);
    f->n_tables = b[12];
    f->auxiliary_id = b[13];
    f->capabilities = hs_be32(b + 16);
    return OFP_OK;
}

int ofp_enc_features_reply(const struct ofp_msg *m, struct hs_buf *out)
{
    const struct ofp_features_reply *f = &m->u.features;
    hs_buf_put_be64(out, f->datapath_id);
    hs_buf_put_be32(out, f->n_buffers);
    hs_buf_put_u8(out, f->n_tables);
    hs_buf_put_u8(out, f->auxiliary_id);
    ofp_put(out, NULL, 2);
    hs_buf_put_be32(out, f->capabilities);
    ofp_put(out, NULL, 4);
    return OFP_OK;
}

/* ---- GET_CONFIG_REPLY / SET_CONFIG: flags(0) miss_send_len(2) ---- */

int ofp_dec_switch_config(const uint8_t *b, size_t n, struct ofp_msg *m,
                          struct ofp_decode_err *e)
{
    m->u.config.flags = hs_be16(b);
    m->u.config.miss_send_len = hs_be16(b + 2);
    return OFP_OK;
}

int ofp_enc_switch_config(const struct ofp_msg *m, struct hs_buf *out)
{
    hs_buf_put_be16(out, m->u.config.flags);
    hs_buf_put_be16(out, m->u.config.miss_send_len);
    return OFP_OK;
}

/* ---- PACKET_IN: buffer_id(0) total_len(4) reason(6) table_id(7) cookie(8) match(16)
 *      pad(2) data ---- */

int ofp_dec_packet_in(const uint8_t *b, size_t n, struct ofp_msg *m, struct ofp_decode_err *e)
{
    struct ofp_packet_in *pi = &m->u.packet_in;
    pi->buffer_id = hs_be32(b);
    pi->total_len = hs_be16(b + 4);
    pi->reason = b[6];
    pi->table_id = b[7];
    pi->cookie = hs_be64(b + 8);
    size_t used;
    if (ofp_match_decode(b + 16, n - 16, &pi->match, &used, e) != OFP_OK)
        return OFP_ERR;
    size_t off = 16 + used;
    if (n - off < 2)
        return ofp_fail(e, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN,
                        "PACKET_IN lacks the 2 pad bytes after its match");
    set_data(b + off + 2, n - off - 2, &pi->data, &pi->data_len);
    return OFP_OK;
}

int ofp_enc_packet_in(const struct ofp_msg *m, struct hs_buf *out)
{
    const struct ofp_packet_in *pi = &m->u.packet_in;
    hs_buf_put_be32(out, pi->buffer_id);
    hs_buf_put_be16(out, pi->total_len);
    hs_buf_put_u8(out, pi->reason);
    hs_buf_put_u8(out, pi->table_id);
    hs_buf_put_be64(out, pi->cookie);
    if (ofp_match_encode(&pi->match, out) != OFP_OK)
        return OFP_ERR;
    ofp_put(out, NULL, 2);
    return put_data(pi->data, pi->data_len, out);
}

/* ---- FLOW_REMOVED: cookie(0) priority(8) reason(10) table_id(11) duration_sec(12)
 *      duration_nsec(16) idle(20) hard(22) packet_count(24) byte_count(32) match(40) ---- */

int ofp_dec_flow_removed(const uint8_t *b, size_t n, struct ofp_msg *m,
                         struct ofp_decode_err *e)
{
    struct ofp_flow_removed *fr = &m->u.flow_removed;
    fr->cookie = hs_be64(b);
    fr->priority = hs_be16(b + 8);
    fr->reason = b[10];
    fr->table_id = b[11];
    fr->duration_sec = hs_be32(b + 12);
    fr->duration_nsec = hs_be32(b + 16);
    fr->idle_timeout = hs_be16(b + 20);
    fr->hard_timeout = hs_be16(b + 22);
    fr->packet_count = hs_be64(b + 24);
    fr->byte_count = hs_be64(b + 32);
    size_t used;
    if (ofp_match_decode(b + 40, n - 40, &fr->match, &used, e) != OFP_OK)
        return OFP_ERR;
    if (40 + used != n)
        return ofp_fail(e, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN,
                        "FLOW_REMOVED has %zu bytes after its match", n - 40 - used);
    return OFP_OK;
}

int ofp_enc_flow_removed(const struct ofp_msg *m, struct hs_buf *out)
{
    const struct ofp_flow_removed *fr = &m->u.flow_removed;
    hs_buf_put_be64(out, fr->cookie);
    hs_buf_put_be16(out, fr->priority);
    hs_buf_put_u8(out, fr->reason);
    hs_buf_put_u8(out, fr->table_id);
    hs_buf_put_be32(out, fr->duration_sec);
    hs_buf_put_be32(out, fr->duration_nsec);
    hs_buf_put_be16(out, fr->idle_timeout);
    hs_buf_put_be16(out, fr->hard_timeout);
    hs_buf_put_be64(out, fr->packet_count);
    hs_buf_put_be64(out, fr->byte_count);
    return ofp_match_encode(&fr->match, out);
}

/* ---- PORT_STATUS: reason(0) pad(1..7) port(8) ---- */

int ofp_dec_port_status(const uint8_t *b, size_t n, struct ofp_msg *m, struct ofp_decode_err *e)
{
    m->u.port_status.reason = b[0];
    return ofp_port_decode(b + 8, &m->u.port_status.desc, e);
}

int ofp_enc_port_status(const struct ofp_msg *m, struct hs_buf *out)
{
    hs_buf_put_u8(out, m->u.port_status.reason);
    ofp_put(out, NULL, 7);
    return ofp_port_encode(&m->u.port_status.desc, out);
}

/* ---- PACKET_OUT: buffer_id(0) in_port(4) actions_len(8) pad(10..15) actions(16) data ---- */

int ofp_dec_packet_out(const uint8_t *b, size_t n, struct ofp_msg *m, struct ofp_decode_err *e)
{
    struct ofp_packet_out *po = &m->u.packet_out;
    po->buffer_id = hs_be32(b);
    po->in_port = hs_be32(b + 4);
    uint16_t alen = hs_be16(b + 8);
    po->actions.goto_table = 0xff;
    if (alen > n - 16)
        return ofp_fail(e, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN,
                        "PACKET_OUT actions_len %u overflows the %zu bytes after the header",
                        alen, n - 16);
    if (alen % 8)
        return ofp_fail(e, OFPET_BAD_ACTION, OFPBAC_BAD_LEN,
                        "PACKET_OUT actions_len %u is not a multiple of 8", alen);
    if (ofp_action_list_decode(b + 16, alen, &po->actions, e) != OFP_OK)
        return OFP_ERR;
    set_data(b + 16 + alen, n - 16 - alen, &po->data, &po->data_len);
    return OFP_OK;
}

int ofp_enc_packet_out(const struct ofp_msg *m, struct hs_buf *out)
{
    const struct ofp_packet_out *po = &m->u.packet_out;
    size_t start = out->len;
    hs_buf_put_be32(out, po->buffer_id);
    hs_buf_put_be32(out, po->in_port);
    hs_buf_put_be16(out, 0);
    ofp_put(out, NULL, 6);
    if (ofp_action_list_encode(&po->actions, out) != OFP_OK)
        return OFP_ERR;
    size_t alen = out->len - start - 16;
    if (alen > UINT16_MAX)
        return OFP_ERR;
    hs_st16(out->data + start + 8, (uint16_t)alen);
    return put_data(po->data, po->data_len, out);
}

/* ---- FLOW_MOD: cookie(0) cookie_mask(8) table_id(16) command(17) idle(18) hard(20)
 *      priority(22) buffer_id(24) out_port(28) out_group(32) flags(36) pad(38) match(40)
 *      instructions ---- */

int ofp_dec_flow_mod(const uint8_t *b, size_t n, struct ofp_msg *m, struct ofp_decode_err *e)
{
    struct ofp_flow_mod *fm = &m->u.flow_mod;
    fm->cookie = hs_be64(b);
    fm->cookie_mask = hs_be64(b + 8);
    fm->table_id = b[16];
    if (b[17] > OFPFC_DELETE_STRICT)
        return ofp_fail(e, OFPET_FLOW_MOD_FAILED, OFPFMFC_BAD_COMMAND,
                        "FLOW_MOD command %u is unknown", b[17]);
    fm->command = (enum ofp_flow_mod_command)b[17];
    fm->idle_timeout = hs_be16(b + 18);
    fm->hard_timeout = hs_be16(b + 20);
    fm->priority = hs_be16(b + 22);
    fm->buffer_id = hs_be32(b + 24);
    fm->out_port = hs_be32(b + 28);
    fm->out_group = hs_be32(b + 32);
    fm->flags = hs_be16(b + 36);
    size_t used;
    if (ofp_match_decode(b + 40, n - 40, &fm->match, &used, e) != OFP_OK)
        return OFP_ERR;
    return ofp_instructions_decode(b + 40 + used, n - 40 - used, &fm->actions, e);
}

int ofp_enc_flow_mod(const struct ofp_msg *m, struct hs_buf *out)
{
    const struct ofp_flow_mod *fm = &m->u.flow_mod;
    if ((unsigned)fm->command > OFPFC_DELETE_STRICT)
        return OFP_ERR;
    hs_buf_put_be64(out, fm->cookie);
    hs_buf_put_be64(out, fm->cookie_mask);
    hs_buf_put_u8(out, fm->table_id);
    hs_buf_put_u8(out, (uint8_t)fm->command);
    hs_buf_put_be16(out, fm->idle_timeout);
    hs_buf_put_be16(out, fm->hard_timeout);
    hs_buf_put_be16(out, fm->priority);
    hs_buf_put_be32(out, fm->buffer_id);
    hs_buf_put_be32(out, fm->out_port);
    hs_buf_put_be32(out, fm->out_group);
    hs_buf_put_be16(out, fm->flags);
    ofp_put(out, NULL, 2);
    if (ofp_match_encode(&fm->match, out) != OFP_OK)
        return OFP_ERR;
    return ofp_instructions_encode(&fm->actions, out);
}
