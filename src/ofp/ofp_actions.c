/* ofp_actions.c - actions (OUTPUT, SET_FIELD) and instructions (APPLY_ACTIONS, GOTO_TABLE):
 * wire codec, constructors and equality. Other action/instruction types are decode errors. */
#include "ofp/ofp_internal.h"

#include <string.h>

#define OFPIT_GOTO_TABLE 1
#define OFPIT_APPLY_ACTIONS 4
#define OFP_ACTION_OUTPUT_LEN 16

static const char *action_type_name(uint16_t t)
{
    switch (t) {
    case 0: return "OUTPUT";
    case 11: return "COPY_TTL_OUT";
    case 12: return "COPY_TTL_IN";
    case 15: return "SET_MPLS_TTL";
    case 16: return "DEC_MPLS_TTL";
    case 17: return "PUSH_VLAN";
    case 18: return "POP_VLAN";
    case 19: return "PUSH_MPLS";
    case 20: return "POP_MPLS";
    case 21: return "SET_QUEUE";
    case 22: return "GROUP";
    case 23: return "SET_NW_TTL";
    case 24: return "DEC_NW_TTL";
    case 25: return "SET_FIELD";
    case 26: return "PUSH_PBB";
    case 27: return "POP_PBB";
    case 0xffff: return "EXPERIMENTER";
    default: return "unknown";
    }
}

static const char *instruction_name(uint16_t t)
{
    switch (t) {
    case 1: return "GOTO_TABLE";
    case 2: return "WRITE_METADATA";
    case 3: return "WRITE_ACTIONS";
    case 4: return "APPLY_ACTIONS";
    case 5: return "CLEAR_ACTIONS";
    case 6: return "METER";
    case 0xffff: return "EXPERIMENTER";
    default: return "unknown";
    }
}

static int decode_set_field(const uint8_t *p, uint16_t alen, struct ofp_action *act,
                            struct ofp_decode_err *e)
{
    if (alen < 8)
        return ofp_fail(e, OFPET_BAD_ACTION, OFPBAC_BAD_SET_LEN, "SET_FIELD shorter than 8");
    uint32_t hdr = hs_be32(p + 4);
    uint16_t cls = (uint16_t)(hdr >> 16);
    unsigned field = (hdr >> 9) & 0x7f, hasmask = (hdr >> 8) & 1u, plen = hdr & 0xff;
    if (cls != 0x8000)
        return ofp_fail(e, OFPET_BAD_ACTION, OFPBAC_BAD_SET_TYPE,
                        "SET_FIELD of OXM class 0x%04x not supported", cls);
    const struct ofp_oxm_field *f = ofp_oxm_field_get(field);
    if (!f)
        return ofp_fail(e, OFPET_BAD_ACTION, OFPBAC_BAD_SET_TYPE,
                        "SET_FIELD of %s (%u) not supported", ofp_oxm_basic_name(field), field);
    if (hasmask)
        return ofp_fail(e, OFPET_BAD_ACTION, OFPBAC_BAD_SET_ARGUMENT,
                        "SET_FIELD of %s carries a mask", f->oxm_name);
    if (plen != f->len || alen != OFP_ALIGN8(8u + f->len))
        return ofp_fail(e, OFPET_BAD_ACTION, OFPBAC_BAD_SET_LEN,
                        "SET_FIELD of %s: OXM length %u / action length %u, expected %u / %zu",
                        f->oxm_name, plen, alen, f->len, OFP_ALIGN8(8u + f->len));
    act->kind = OFPAT_SET_FIELD;
    act->field = f->field;
    memset(&act->set, 0, sizeof act->set);
    ofp_match_set_bytes(&act->set, f, p + 8, NULL);
    return OFP_OK;
}

int ofp_action_list_decode(const uint8_t *p, size_t len, struct ofp_actions *a,
                           struct ofp_decode_err *e)
{
    size_t off = 0;
    while (off < len) {
        if (len - off < 8)
            return ofp_fail(e, OFPET_BAD_ACTION, OFPBAC_BAD_LEN,
                            "%zu stray bytes after the last action", len - off);
        uint16_t type = hs_be16(p + off), alen = hs_be16(p + off + 2);
        if (alen < 8 || alen % 8 || alen > len - off)
            return ofp_fail(e, OFPET_BAD_ACTION, OFPBAC_BAD_LEN,
                            "%s action length %u is not a multiple of 8 within the %zu bytes left",
                            action_type_name(type), alen, len - off);
        if (a->n >= OFP_MAX_ACTIONS)
            return ofp_fail(e, OFPET_BAD_ACTION, OFPBAC_TOO_MANY,
                            "more than %d actions in one list", OFP_MAX_ACTIONS);
        struct ofp_action *act = &a->a[a->n];
        memset(act, 0, sizeof *act);
        if (type == OFPAT_OUTPUT) {
            if (alen != OFP_ACTION_OUTPUT_LEN)
                return ofp_fail(e, OFPET_BAD_ACTION, OFPBAC_BAD_LEN,
                                "OUTPUT action length %u, expected 16", alen);
            act->kind = OFPAT_OUTPUT;
            act->port = hs_be32(p + off + 4);
            act->max_len = hs_be16(p + off + 8);
        } else if (type == OFPAT_SET_FIELD) {
            if (decode_set_field(p + off, alen, act, e) != OFP_OK)
                return OFP_ERR;
        } else {
            return ofp_fail(e, OFPET_BAD_ACTION, OFPBAC_BAD_TYPE,
                            "action %s (type %u) not supported", action_type_name(type), type);
        }
        a->n++;
        off += alen;
    }
    return OFP_OK;
}

int ofp_action_list_encode(const struct ofp_actions *a, struct hs_buf *out)
{
    if (a->overflow || a->n > OFP_MAX_ACTIONS)
        return OFP_ERR;
    /* validate first so that nothing is appended on failure */
    for (unsigned i = 0; i < a->n; i++) {
        const struct ofp_action *act = &a->a[i];
        if (act->kind == OFPAT_SET_FIELD) {
            if (!ofp_oxm_field_get(act->field) || !OFP_MATCH_HAS(&act->set, act->field))
                return OFP_ERR;
        } else if (act->kind != OFPAT_OUTPUT) {
            return OFP_ERR;
        }
    }
    for (unsigned i = 0; i < a->n; i++) {
        const struct ofp_action *act = &a->a[i];
        if (act->kind == OFPAT_OUTPUT) {
            hs_buf_put_be16(out, OFPAT_OUTPUT);
            hs_buf_put_be16(out, OFP_ACTION_OUTPUT_LEN);
            hs_buf_put_be32(out, act->port);
            hs_buf_put_be16(out, act->max_len);
            ofp_put(out, NULL, 6);
            continue;
        }
        const struct ofp_oxm_field *f = ofp_oxm_field_get(act->field);
        uint8_t val[6], mask[6];
        ofp_match_get_bytes(&act->set, f, val, mask);
        size_t alen = OFP_ALIGN8(8u + f->len);
        hs_buf_put_be16(out, OFPAT_SET_FIELD);
        hs_buf_put_be16(out, (uint16_t)alen);
        hs_buf_put_be32(out, 0x80000000u | (uint32_t)f->field << 9 | f->len);
        ofp_put(out, val, f->len);
        ofp_put(out, NULL, alen - 8u - f->len);
    }
    return OFP_OK;
}

int ofp_instructions_decode(const uint8_t *p, size_t len, struct ofp_actions *a,
                            struct ofp_decode_err *e)
{
    bool seen_apply = false, seen_goto = false;
    a->n = 0;
    a->goto_table = 0xff;
    a->overflow = false;
    size_t off = 0;
    while (off < len) {
        if (len - off < 8)
            return ofp_fail(e, OFPET_BAD_INSTRUCTION, OFPBIC_BAD_LEN,
                            "%zu stray bytes after the last instruction", len - off);
        uint16_t type = hs_be16(p + off), ilen = hs_be16(p + off + 2);
        if (ilen < 8 || ilen % 8 || ilen > len - off)
            return ofp_fail(e, OFPET_BAD_INSTRUCTION, OFPBIC_BAD_LEN,
                            "%s instruction length %u is not a multiple of 8 within the %zu "
                            "bytes left", instruction_name(type), ilen, len - off);
        if (type == OFPIT_GOTO_TABLE) {
            if (ilen != 8)
                return ofp_fail(e, OFPET_BAD_INSTRUCTION, OFPBIC_BAD_LEN,
                                "GOTO_TABLE length %u, expected 8", ilen);
            if (seen_goto)
                return ofp_fail(e, OFPET_BAD_INSTRUCTION, OFPBIC_UNSUP_INST,
                                "GOTO_TABLE appears twice");
            uint8_t t = p[off + 4];
            if (t == 0 || t == 0xff)
                return ofp_fail(e, OFPET_BAD_INSTRUCTION, OFPBIC_BAD_TABLE_ID,
                                "goto_table:%u can never be valid", t);
            a->goto_table = t;
            seen_goto = true;
        } else if (type == OFPIT_APPLY_ACTIONS) {
            if (seen_apply)
                return ofp_fail(e, OFPET_BAD_INSTRUCTION, OFPBIC_UNSUP_INST,
                                "APPLY_ACTIONS appears twice");
            if (ofp_action_list_decode(p + off + 8, ilen - 8u, a, e) != OFP_OK)
                return OFP_ERR;
            seen_apply = true;
        } else {
            bool known = type >= 2 && (type <= 6 || type == 0xffff);
            return ofp_fail(e, OFPET_BAD_INSTRUCTION,
                            known ? OFPBIC_UNSUP_INST : OFPBIC_UNKNOWN_INST,
                            "instruction %s (type %u) not supported", instruction_name(type),
                            type);
        }
        off += ilen;
    }
    return OFP_OK;
}

int ofp_instructions_encode(const struct ofp_actions *a, struct hs_buf *out)
{
    size_t start = out->len;
    if (a->n > 0) {
        hs_buf_put_be16(out, OFPIT_APPLY_ACTIONS);
        hs_buf_put_be16(out, 0);
        ofp_put(out, NULL, 4);
        if (ofp_action_list_encode(a, out) != OFP_OK) {
            out->len = start;
            return OFP_ERR;
        }
        size_t ilen = out->len - start;
        if (ilen > UINT16_MAX) {
            out->len = start;
            return OFP_ERR;
        }
        hs_st16(out->data + start + 2, (uint16_t)ilen);
    } else if (a->overflow) {
        return OFP_ERR;
    }
    if (a->goto_table != 0 && a->goto_table != 0xff) {
        hs_buf_put_be16(out, OFPIT_GOTO_TABLE);
        hs_buf_put_be16(out, 8);
        hs_buf_put_u8(out, a->goto_table);
        ofp_put(out, NULL, 3);
    }
    return OFP_OK;
}

int ofp_actions_output(struct ofp_actions *acts, uint32_t port)
{
    if (acts->n >= OFP_MAX_ACTIONS) {
        acts->overflow = true;
        return OFP_ERR;
    }
    struct ofp_action *act = &acts->a[acts->n++];
    memset(act, 0, sizeof *act);
    act->kind = OFPAT_OUTPUT;
    act->port = port;
    act->max_len = port == OFPP_CONTROLLER ? OFPCML_NO_BUFFER : 0;
    return OFP_OK;
}

int ofp_actions_set_field(struct ofp_actions *acts, enum ofp_match_field field,
                          const struct ofp_match *value)
{
    const struct ofp_oxm_field *f = ofp_oxm_field_get(field);
    if (!f)
        return OFP_ERR;
    if (acts->n >= OFP_MAX_ACTIONS) {
        acts->overflow = true;
        return OFP_ERR;
    }
    struct ofp_action *act = &acts->a[acts->n++];
    memset(act, 0, sizeof *act);
    act->kind = OFPAT_SET_FIELD;
    act->field = field;
    uint8_t val[6], mask[6];
    struct ofp_match tmp = *value;
    tmp.masked = 0;
    ofp_match_get_bytes(&tmp, f, val, mask);
    ofp_match_set_bytes(&act->set, f, val, NULL);
    return OFP_OK;
}

static bool action_equal(const struct ofp_action *x, const struct ofp_action *y)
{
    if (x->kind != y->kind)
        return false;
    if (x->kind == OFPAT_OUTPUT)
        return x->port == y->port && (x->port != OFPP_CONTROLLER || x->max_len == y->max_len);
    if (x->kind != OFPAT_SET_FIELD || x->field != y->field)
        return false;
    const struct ofp_oxm_field *f = ofp_oxm_field_get(x->field);
    if (!f)
        return false;
    uint8_t vx[6], vy[6], mask[6];
    struct ofp_match tx = x->set, ty = y->set;
    tx.masked = ty.masked = 0;
    ofp_match_get_bytes(&tx, f, vx, mask);
    ofp_match_get_bytes(&ty, f, vy, mask);
    return memcmp(vx, vy, f->len) == 0;
}

bool ofp_actions_equal(const struct ofp_actions *a, const struct ofp_actions *b)
{
    uint8_t ga = a->goto_table == 0 ? 0xff : a->goto_table;
    uint8_t gb = b->goto_table == 0 ? 0xff : b->goto_table;
    if (a->n != b->n || ga != gb || a->overflow != b->overflow || a->n > OFP_MAX_ACTIONS)
        return false;
    for (unsigned i = 0; i < a->n; i++)
        if (!action_equal(&a->a[i], &b->a[i]))
            return false;
    return true;
}
