/* ofp_match.c - struct ofp_match <-> OXM TLVs (OFPXMC_OPENFLOW_BASIC), without prerequisite
 * checks; semantic match equality. */
#include "ofp/ofp_internal.h"

#include <stddef.h>
#include <string.h>

#define OFPMT_OXM 1
#define OFPXMC_OPENFLOW_BASIC 0x8000
#define OXM_HEADER(field, hasmask, len)                                                         \
    ((uint32_t)OFPXMC_OPENFLOW_BASIC << 16 | (uint32_t)(field) << 9 | (uint32_t)(hasmask) << 8 | \
     (uint32_t)(len))

#define F(id, len_, maskable_, name_, oxm_, member, mask)                                        \
    [id] = {id, len_, maskable_, name_, oxm_, offsetof(struct ofp_match, member), mask}
#define NOMASK 0
#define MASK(member) offsetof(struct ofp_match, member)

static const struct ofp_oxm_field oxm_fields[] = {
    F(OFPXMT_IN_PORT, 4, false, "in_port", "in_port", in_port, NOMASK),
    F(OFPXMT_ETH_DST, 6, true, "dl_dst", "eth_dst", eth_dst, MASK(eth_dst_mask)),
    F(OFPXMT_ETH_SRC, 6, true, "dl_src", "eth_src", eth_src, MASK(eth_src_mask)),
    F(OFPXMT_ETH_TYPE, 2, false, "dl_type", "eth_type", eth_type, NOMASK),
    F(OFPXMT_IP_PROTO, 1, false, "nw_proto", "ip_proto", ip_proto, NOMASK),
    F(OFPXMT_IPV4_SRC, 4, true, "nw_src", "ipv4_src", ipv4_src, MASK(ipv4_src_mask)),
    F(OFPXMT_IPV4_DST, 4, true, "nw_dst", "ipv4_dst", ipv4_dst, MASK(ipv4_dst_mask)),
    F(OFPXMT_TCP_SRC, 2, false, "tcp_src", "tcp_src", tcp_src, NOMASK),
    F(OFPXMT_TCP_DST, 2, false, "tcp_dst", "tcp_dst", tcp_dst, NOMASK),
    F(OFPXMT_UDP_SRC, 2, false, "udp_src", "udp_src", udp_src, NOMASK),
    F(OFPXMT_UDP_DST, 2, false, "udp_dst", "udp_dst", udp_dst, NOMASK),
    F(OFPXMT_ARP_OP, 2, false, "arp_op", "arp_op", arp_op, NOMASK),
    F(OFPXMT_ARP_SPA, 4, true, "arp_spa", "arp_spa", arp_spa, MASK(arp_spa_mask)),
    F(OFPXMT_ARP_TPA, 4, true, "arp_tpa", "arp_tpa", arp_tpa, MASK(arp_tpa_mask)),
    F(OFPXMT_ARP_SHA, 6, true, "arp_sha", "arp_sha", arp_sha, MASK(arp_sha_mask)),
    F(OFPXMT_ARP_THA, 6, true, "arp_tha", "arp_tha", arp_tha, MASK(arp_tha_mask)),
};

/* Spec names of all OpenFlow 1.3 basic OXM fields, for error texts. */
static const char *const basic_names[] = {
    "in_port", "in_phy_port", "metadata", "eth_dst", "eth_src", "eth_type", "vlan_vid",
    "vlan_pcp", "ip_dscp", "ip_ecn", "ip_proto", "ipv4_src", "ipv4_dst", "tcp_src", "tcp_dst",
    "udp_src", "udp_dst", "sctp_src", "sctp_dst", "icmpv4_type", "icmpv4_code", "arp_op",
    "arp_spa", "arp_tpa", "arp_sha", "arp_tha", "ipv6_src", "ipv6_dst", "ipv6_flabel",
    "icmpv6_type", "icmpv6_code", "ipv6_nd_target", "ipv6_nd_sll", "ipv6_nd_tll", "mpls_label",
    "mpls_tc", "mpls_bos", "pbb_isid", "tunnel_id", "ipv6_exthdr",
};

const struct ofp_oxm_field *ofp_oxm_field_get(unsigned f)
{
    if (f >= HS_ARRAY_SIZE(oxm_fields) || !oxm_fields[f].name)
        return NULL;
    return &oxm_fields[f];
}

const char *ofp_oxm_basic_name(unsigned f)
{
    return f < HS_ARRAY_SIZE(basic_names) ? basic_names[f] : "unknown";
}

/* Bitmask of the fields in the table. */
static uint64_t known_fields(void)
{
    uint64_t k = 0;
    for (unsigned i = 0; i < HS_ARRAY_SIZE(oxm_fields); i++)
        if (oxm_fields[i].name)
            k |= 1ull << i;
    return k;
}

static uint64_t maskable_fields(void)
{
    uint64_t k = 0;
    for (unsigned i = 0; i < HS_ARRAY_SIZE(oxm_fields); i++)
        if (oxm_fields[i].name && oxm_fields[i].maskable)
            k |= 1ull << i;
    return k;
}

static void load(const void *src, uint8_t len, uint8_t out[6])
{
    switch (len) {
    case 1: out[0] = *(const uint8_t *)src; break;
    case 2: hs_st16(out, *(const uint16_t *)src); break;
    case 4: hs_st32(out, *(const uint32_t *)src); break;
    default: memcpy(out, src, 6); break;
    }
}

static void store(void *dst, uint8_t len, const uint8_t *in)
{
    switch (len) {
    case 1: *(uint8_t *)dst = in[0]; break;
    case 2: *(uint16_t *)dst = hs_be16(in); break;
    case 4: *(uint32_t *)dst = hs_be32(in); break;
    default: memcpy(dst, in, 6); break;
    }
}

void ofp_match_get_bytes(const struct ofp_match *m, const struct ofp_oxm_field *f, uint8_t val[6],
                         uint8_t mask[6])
{
    memset(val, 0, 6);
    memset(mask, 0, 6);
    load((const char *)m + f->off, f->len, val);
    if (f->maskable && ((m->masked >> f->field) & 1u))
        load((const char *)m + f->mask_off, f->len, mask);
    else
        memset(mask, 0xff, f->len);
}

void ofp_match_set_bytes(struct ofp_match *m, const struct ofp_oxm_field *f, const uint8_t *val,
                         const uint8_t *mask)
{
    store((char *)m + f->off, f->len, val);
    m->fields |= 1ull << f->field;
    if (mask) {
        store((char *)m + f->mask_off, f->len, mask);
        m->masked |= 1ull << f->field;
    } else {
        m->masked &= ~(1ull << f->field);
    }
}

int ofp_match_decode(const uint8_t *p, size_t avail, struct ofp_match *m, size_t *used,
                     struct ofp_decode_err *e)
{
    memset(m, 0, sizeof *m);
    if (avail < 4)
        return ofp_fail(e, OFPET_BAD_MATCH, OFPBMC_BAD_LEN,
                        "match header needs 4 bytes, only %zu left", avail);
    uint16_t type = hs_be16(p), mlen = hs_be16(p + 2);
    if (type != OFPMT_OXM)
        return ofp_fail(e, OFPET_BAD_MATCH, OFPBMC_BAD_TYPE,
                        "match type %u is not OXM (1)", type);
    if (mlen < 4)
        return ofp_fail(e, OFPET_BAD_MATCH, OFPBMC_BAD_LEN, "match length %u is below 4", mlen);
    size_t padded = OFP_ALIGN8(mlen);
    if (padded > avail)
        return ofp_fail(e, OFPET_BAD_MATCH, OFPBMC_BAD_LEN,
                        "match length %u (padded %zu) overflows its container of %zu bytes",
                        mlen, padded, avail);
    size_t off = 4;
    while (off < mlen) {
        if (mlen - off < 4)
            return ofp_fail(e, OFPET_BAD_MATCH, OFPBMC_BAD_LEN,
                            "truncated OXM header at match offset %zu", off);
        uint32_t hdr = hs_be32(p + off);
        uint16_t cls = (uint16_t)(hdr >> 16);
        unsigned field = (hdr >> 9) & 0x7f, hasmask = (hdr >> 8) & 1u, plen = hdr & 0xff;
        if (plen > mlen - off - 4)
            return ofp_fail(e, OFPET_BAD_MATCH, OFPBMC_BAD_LEN,
                            "OXM of %u bytes at match offset %zu overflows the match", plen, off);
        if (cls != OFPXMC_OPENFLOW_BASIC)
            return ofp_fail(e, OFPET_BAD_MATCH, OFPBMC_BAD_FIELD,
                            "OXM class 0x%04x (field %u) not supported", cls, field);
        const struct ofp_oxm_field *f = ofp_oxm_field_get(field);
        if (!f)
            return ofp_fail(e, OFPET_BAD_MATCH, OFPBMC_BAD_FIELD,
                            "OXM field %s (%u) not supported", ofp_oxm_basic_name(field), field);
        if (hasmask && !f->maskable)
            return ofp_fail(e, OFPET_BAD_MATCH, OFPBMC_BAD_MASK,
                            "OXM field %s cannot be masked", f->oxm_name);
        if (plen != f->len * (hasmask ? 2u : 1u))
            return ofp_fail(e, OFPET_BAD_MATCH, OFPBMC_BAD_LEN,
                            "OXM field %s has length %u, expected %u", f->oxm_name, plen,
                            f->len * (hasmask ? 2u : 1u));
        if (OFP_MATCH_HAS(m, field))
            return ofp_fail(e, OFPET_BAD_MATCH, OFPBMC_DUP_FIELD,
                            "OXM field %s appears twice", f->oxm_name);
        const uint8_t *v = p + off + 4;
        ofp_match_set_bytes(m, f, v, hasmask ? v + f->len : NULL);
        off += 4 + plen;
    }
    *used = padded;
    return OFP_OK;
}

int ofp_match_encode(const struct ofp_match *m, struct hs_buf *out)
{
    if ((m->fields & ~known_fields()) || (m->masked & ~m->fields) ||
        (m->masked & ~maskable_fields()))
        return OFP_ERR;
    size_t start = out->len;
    hs_buf_put_be16(out, OFPMT_OXM);
    hs_buf_put_be16(out, 0);
    for (unsigned i = 0; i < HS_ARRAY_SIZE(oxm_fields); i++) {
        const struct ofp_oxm_field *f = ofp_oxm_field_get(i);
        if (!f || !OFP_MATCH_HAS(m, i))
            continue;
        bool hasmask = (m->masked >> i) & 1u;
        uint8_t val[6], mask[6];
        ofp_match_get_bytes(m, f, val, mask);
        hs_buf_put_be32(out, OXM_HEADER(i, hasmask, f->len * (hasmask ? 2u : 1u)));
        if (hasmask)
            for (unsigned j = 0; j < f->len; j++)
                val[j] &= mask[j];
        ofp_put(out, val, f->len);
        if (hasmask)
            ofp_put(out, mask, f->len);
    }
    size_t mlen = out->len - start;
    hs_st16(out->data + start + 2, (uint16_t)mlen);
    ofp_put(out, NULL, OFP_ALIGN8(mlen) - mlen);
    return OFP_OK;
}

/* Effective presence: the field is set with a mask that is not all zero. */
static bool effective(const struct ofp_match *m, const struct ofp_oxm_field *f, uint8_t val[6],
                      uint8_t mask[6])
{
    if (!OFP_MATCH_HAS(m, f->field))
        return false;
    ofp_match_get_bytes(m, f, val, mask);
    bool any = false;
    for (unsigned j = 0; j < f->len; j++) {
        val[j] &= mask[j];
        any |= mask[j] != 0;
    }
    return any;
}

bool ofp_match_equal(const struct ofp_match *a, const struct ofp_match *b)
{
    uint64_t unknown = ~known_fields();
    if ((a->fields & unknown) != (b->fields & unknown))
        return false;
    for (unsigned i = 0; i < HS_ARRAY_SIZE(oxm_fields); i++) {
        const struct ofp_oxm_field *f = ofp_oxm_field_get(i);
        if (!f)
            continue;
        uint8_t va[6], ma[6], vb[6], mb[6];
        bool pa = effective(a, f, va, ma), pb = effective(b, f, vb, mb);
        if (pa != pb)
            return false;
        if (pa && (memcmp(va, vb, f->len) != 0 || memcmp(ma, mb, f->len) != 0))
            return false;
    }
    return true;
}
