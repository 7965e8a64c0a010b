/* ofp_format.c - ovs-ofctl-like text for matches, actions and messages (for logs). Output that
 * does not fit ends in "..." and the functions return false. */
#include "ofp/ofp_internal.h"
#include "common/util.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct fmt {
    char *buf;
    size_t size, len;
    bool trunc;
};

static void fmt_init(struct fmt *f, char *buf, size_t size)
{
    f->buf = buf;
    f->size = size;
    f->len = 0;
    f->trunc = size == 0;
    if (size)
        buf[0] = '\0';
}

__attribute__((format(printf, 2, 3))) static void fput(struct fmt *f, const char *fmt, ...)
{
    if (f->trunc)
        return;
    size_t room = f->size - f->len;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(f->buf + f->len, room, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= room) {
        f->trunc = true;
        f->len = f->size - 1;
    } else {
        f->len += (size_t)n;
    }
}

static bool fmt_done(struct fmt *f)
{
    if (f->trunc && f->size >= 4)
        memcpy(f->buf + f->size - 4, "...", 4);
    return !f->trunc;
}

static void put_port(struct fmt *f, uint32_t port)
{
    switch (port) {
    case OFPP_IN_PORT: fput(f, "IN_PORT"); break;
    case OFPP_TABLE: fput(f, "TABLE"); break;
    case OFPP_NORMAL: fput(f, "NORMAL"); break;
    case OFPP_FLOOD: fput(f, "FLOOD"); break;
    case OFPP_ALL: fput(f, "ALL"); break;
    case OFPP_CONTROLLER: fput(f, "CONTROLLER"); break;
    case OFPP_LOCAL: fput(f, "LOCAL"); break;
    case OFPP_ANY: fput(f, "ANY"); break;
    default: fput(f, "%" PRIu32, port); break;
    }
}

static void put_ipv4(struct fmt *f, uint32_t ip)
{
    char s[16];
    hs_format_ipv4(ip, s);
    fput(f, "%s", s);
}

static void put_mac(struct fmt *f, const uint8_t *mac)
{
    char s[18];
    hs_format_mac(mac, s);
    fput(f, "%s", s);
}

/* Value of field fl in wire order val[] (mask[] all ones when exact). */
static void put_value(struct fmt *f, const struct ofp_oxm_field *fl, const uint8_t *val,
                      const uint8_t *mask, bool masked)
{
    switch (fl->len) {
    case 1:
        fput(f, "%u", val[0]);
        break;
    case 2:
        fput(f, fl->field == OFPXMT_ETH_TYPE ? "0x%04x" : "%u", hs_be16(val));
        break;
    case 4:
        if (fl->field == OFPXMT_IN_PORT) {
            put_port(f, hs_be32(val));
            break;
        }
        put_ipv4(f, hs_be32(val));
        if (masked) {
            uint32_t m = hs_be32(mask);
            int prefix = 0;
            while (prefix < 32 && (m & (0x80000000u >> prefix)))
                prefix++;
            uint32_t contiguous = prefix ? ~0u << (32 - prefix) : 0;
            if (m == contiguous) {
                fput(f, "/%d", prefix);
            } else {
                fput(f, "/");
                put_ipv4(f, m);
            }
        }
        break;
    default:
        put_mac(f, val);
        if (masked) {
            fput(f, "/");
            put_mac(f, mask);
        }
        break;
    }
}

static void put_match(struct fmt *f, const struct ofp_match *m)
{
    bool first = true;
    for (unsigned i = 0; i < 64; i++) {
        if (!OFP_MATCH_HAS(m, i))
            continue;
        fput(f, "%s", first ? "" : ",");
        first = false;
        const struct ofp_oxm_field *fl = ofp_oxm_field_get(i);
        if (!fl) {
            fput(f, "%s=?", ofp_oxm_basic_name(i));
            continue;
        }
        uint8_t val[6], mask[6];
        bool masked = fl->maskable && ((m->masked >> i) & 1u);
        ofp_match_get_bytes(m, fl, val, mask);
        fput(f, "%s=", fl->name);
        put_value(f, fl, val, mask, masked);
    }
    if (first)
        fput(f, "any");
}

static void put_actions(struct fmt *f, const struct ofp_actions *a)
{
    unsigned n = a->n <= OFP_MAX_ACTIONS ? a->n : OFP_MAX_ACTIONS;
    for (unsigned i = 0; i < n; i++) {
        const struct ofp_action *act = &a->a[i];
        fput(f, "%s", i ? "," : "");
        if (act->kind == OFPAT_OUTPUT) {
            switch (act->port) {
            case OFPP_CONTROLLER:
                fput(f, "CONTROLLER:%u", act->max_len);
                break;
            case OFPP_IN_PORT: case OFPP_TABLE: case OFPP_NORMAL: case OFPP_FLOOD:
            case OFPP_ALL: case OFPP_LOCAL:
                put_port(f, act->port);
                break;
            default:
                fput(f, "output:");
                put_port(f, act->port);
                break;
            }
            continue;
        }
        const struct ofp_oxm_field *fl = ofp_oxm_field_get(act->field);
        if (act->kind != OFPAT_SET_FIELD || !fl) {
            fput(f, "unknown_action");
            continue;
        }
        uint8_t val[6], mask[6];
        struct ofp_match tmp = act->set;
        tmp.masked = 0;
        ofp_match_get_bytes(&tmp, fl, val, mask);
        fput(f, "set_field:");
        put_value(f, fl, val, mask, false);
        fput(f, "->%s", fl->oxm_name);
    }
    bool has_goto = a->goto_table != 0 && a->goto_table != 0xff;
    if (has_goto)
        fput(f, "%sgoto_table:%u", n ? "," : "", a->goto_table);
    if (!n && !has_goto)
        fput(f, "drop");
    if (a->overflow)
        fput(f, ",<more than %d actions>", OFP_MAX_ACTIONS);
}

bool ofp_match_format(const struct ofp_match *m, char *buf, size_t size)
{
    struct fmt f;
    fmt_init(&f, buf, size);
    put_match(&f, m);
    return fmt_done(&f);
}

bool ofp_actions_format(const struct ofp_actions *a, char *buf, size_t size)
{
    struct fmt f;
    fmt_init(&f, buf, size);
    put_actions(&f, a);
    return fmt_done(&f);
}

static const char *flow_mod_command_name(enum ofp_flow_mod_command c)
{
    switch (c) {
    case OFPFC_ADD: return "ADD";
    case OFPFC_MODIFY: return "MODIFY";
    case OFPFC_MODIFY_STRICT: return "MODIFY_STRICT";
    case OFPFC_DELETE: return "DELETE";
    case OFPFC_DELETE_STRICT: return "DELETE_STRICT";
    }
    return "UNKNOWN";
}

static void put_msg(struct fmt *f, const struct ofp_msg *m)
{
    fput(f, "%s xid=%" PRIu32, ofp_type_name(m->type), m->xid);
    switch (m->type) {
    case OFPT_HELLO:
        fput(f, " version=0x%02x bitmap=0x%" PRIx32, m->version, m->u.hello.version_bitmap);
        break;
    case OFPT_ERROR: {
        char text[160];
        fput(f, " %s (%zu data bytes)",
             ofp_error_format(m->u.error.type, m->u.error.code, text, sizeof text),
             m->u.error.data_len);
        break;
    }
    case OFPT_ECHO_REQUEST:
    case OFPT_ECHO_REPLY:
        fput(f, " len=%zu", m->u.echo.data_len);
        break;
    case OFPT_FEATURES_REPLY:
        fput(f, " dpid=%016" PRIx64 " n_tables=%u n_buffers=%" PRIu32 " capabilities=0x%" PRIx32,
             m->u.features.datapath_id, m->u.features.n_tables, m->u.features.n_buffers,
             m->u.features.capabilities);
        break;
    case OFPT_GET_CONFIG_REPLY:
    case OFPT_SET_CONFIG:
        fput(f, " flags=0x%x miss_send_len=%u", m->u.config.flags, m->u.config.miss_send_len);
        break;
    case OFPT_PACKET_IN: {
        const struct ofp_packet_in *pi = &m->u.packet_in;
        fput(f, " reason=%u table=%u cookie=0x%" PRIx64 " total_len=%u data_len=%zu match=",
             pi->reason, pi->table_id, pi->cookie, pi->total_len, pi->data_len);
        put_match(f, &pi->match);
        break;
    }
    case OFPT_PACKET_OUT: {
        const struct ofp_packet_out *po = &m->u.packet_out;
        fput(f, " in_port=");
        put_port(f, po->in_port);
        fput(f, " data_len=%zu actions=", po->data_len);
        put_actions(f, &po->actions);
        break;
    }
    case OFPT_FLOW_MOD: {
        const struct ofp_flow_mod *fm = &m->u.flow_mod;
        fput(f, " %s table=%u priority=%u cookie=0x%" PRIx64 " idle=%u hard=%u flags=0x%x ",
             flow_mod_command_name(fm->command), fm->table_id, fm->priority, fm->cookie,
             fm->idle_timeout, fm->hard_timeout, fm->flags);
        put_match(f, &fm->match);
        fput(f, " actions=");
        put_actions(f, &fm->actions);
        break;
    }
    case OFPT_FLOW_REMOVED: {
        const struct ofp_flow_removed *fr = &m->u.flow_removed;
        fput(f, " reason=%u table=%u priority=%u cookie=0x%" PRIx64 " duration=%" PRIu32
             "s packets=%" PRIu64 " bytes=%" PRIu64 " ",
             fr->reason, fr->table_id, fr->priority, fr->cookie, fr->duration_sec,
             fr->packet_count, fr->byte_count);
        put_match(f, &fr->match);
        break;
    }
    case OFPT_PORT_STATUS: {
        const struct ofp_port *p = &m->u.port_status.desc;
        fput(f, " reason=%s port=", m->u.port_status.reason == OFPPR_ADD      ? "ADD"
                                    : m->u.port_status.reason == OFPPR_DELETE ? "DELETE"
                                    : m->u.port_status.reason == OFPPR_MODIFY ? "MODIFY"
                                                                              : "?");
        put_port(f, p->port_no);
        fput(f, "(%s) config=0x%" PRIx32 " state=0x%" PRIx32, p->name, p->config, p->state);
        break;
    }
    case OFPT_MULTIPART_REQUEST:
        fput(f, " %s flags=0x%x", ofp_multipart_name(m->u.mp_request.type),
             m->u.mp_request.flags);
        break;
    case OFPT_MULTIPART_REPLY:
        fput(f, " %s flags=0x%x body_len=%zu", ofp_multipart_name(m->u.mp_reply.type),
             m->u.mp_reply.flags, m->u.mp_reply.body_len);
        break;
    default:
        break;
    }
}

bool ofp_msg_format(const struct ofp_msg *msg, char *buf, size_t size)
{
    struct fmt f;
    fmt_init(&f, buf, size);
    put_msg(&f, msg);
    return fmt_done(&f);
}
