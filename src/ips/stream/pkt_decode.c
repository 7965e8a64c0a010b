/* pkt_decode.c - Ethernet/802.1Q/IPv4/TCP/UDP decoding and Internet checksums. */
#include "ips/stream/pkt_decode.h"

#include "common/buf.h"

#include <string.h>

static const char *const err_names[PKT_ERR__COUNT] = {
    [PKT_OK] = "ok",
    [PKT_ERR_ETH_SHORT] = "eth_short",
    [PKT_ERR_VLAN_SHORT] = "vlan_short",
    [PKT_ERR_VLAN_NESTED] = "vlan_nested",
    [PKT_ERR_IP_SHORT] = "ip_short",
    [PKT_ERR_IP_VERSION] = "ip_version",
    [PKT_ERR_IP_HLEN] = "ip_hlen",
    [PKT_ERR_IP_OPTIONS] = "ip_options",
    [PKT_ERR_IP_TOTLEN] = "ip_totlen",
    [PKT_ERR_IP_TRUNCATED] = "ip_truncated",
    [PKT_ERR_IP_FRAG_TOO_BIG] = "ip_frag_too_big",
    [PKT_ERR_TCP_SHORT] = "tcp_short",
    [PKT_ERR_TCP_DOFF] = "tcp_doff",
    [PKT_ERR_UDP_SHORT] = "udp_short",
    [PKT_ERR_UDP_LEN] = "udp_len",
};

const char *pkt_err_name(enum pkt_err e)
{
    if ((unsigned)e >= PKT_ERR__COUNT)
        return "unknown";
    return err_names[e];
}

/* Walk the IPv4 option list: EOL ends it, NOP is one byte, others are TLV with len >= 2. */
static bool ip_options_ok(const uint8_t *o, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint8_t type = o[i];
        if (type == 0) /* end of option list */
            return true;
        if (type == 1) {
            i++;
            continue;
        }
        if (n - i < 2)
            return false;
        uint8_t olen = o[i + 1];
        if (olen < 2 || olen > n - i)
            return false;
        i += olen;
    }
    return true;
}

static enum pkt_err decode_tcp(struct pkt *p)
{
    const uint8_t *t = p->l4;
    if (p->l4_len < 20)
        return PKT_ERR_TCP_SHORT;
    p->sport = hs_be16(t);
    p->dport = hs_be16(t + 2);
    p->seq = hs_be32(t + 4);
    p->ack = hs_be32(t + 8);
    size_t doff = (size_t)(t[12] >> 4) * 4;
    p->tcp_flags = t[13];
    p->tcp_window = hs_be16(t + 14);
    p->tcp_urgent = hs_be16(t + 18);
    if (doff < 20 || doff > p->l4_len)
        return PKT_ERR_TCP_DOFF;
    p->payload = t + doff;
    p->payload_len = p->l4_len - doff;
    return PKT_OK;
}

static enum pkt_err decode_udp(struct pkt *p)
{
    const uint8_t *u = p->l4;
    if (p->l4_len < 8)
        return PKT_ERR_UDP_SHORT;
    p->sport = hs_be16(u);
    p->dport = hs_be16(u + 2);
    size_t ulen = hs_be16(u + 4);
    if (ulen < 8 || ulen > p->l4_len)
        return PKT_ERR_UDP_LEN;
    p->payload = u + 8;
    p->payload_len = ulen - 8;
    return PKT_OK;
}

static enum pkt_err decode_ipv4(struct pkt *p)
{
    const uint8_t *ip = p->frame + p->l3_off;
    size_t cap = p->frame_len - p->l3_off;
    p->ip = ip;
    if (cap < 20)
        return PKT_ERR_IP_SHORT;
    if (ip[0] >> 4 != 4)
        return PKT_ERR_IP_VERSION;
    p->ip_hlen = (size_t)(ip[0] & 0x0f) * 4;
    p->ip_len = hs_be16(ip + 2);
    p->ip_id = hs_be16(ip + 4);
    uint16_t ff = hs_be16(ip + 6);
    p->df = (ff & 0x4000) != 0;
    p->mf = (ff & 0x2000) != 0;
    p->frag_off = (uint32_t)(ff & 0x1fff) * 8;
    p->ttl = ip[8];
    p->proto = ip[9];
    p->src = hs_be32(ip + 12);
    p->dst = hs_be32(ip + 16);
    if (p->ip_hlen < 20)
        return PKT_ERR_IP_HLEN;
    if (p->ip_len < 20)
        return PKT_ERR_IP_TOTLEN;
    if (p->ip_hlen > p->ip_len)
        return PKT_ERR_IP_HLEN;
    if (p->ip_len > cap)
        return PKT_ERR_IP_TRUNCATED;
    if (!ip_options_ok(ip + 20, p->ip_hlen - 20))
        return PKT_ERR_IP_OPTIONS;
    p->l4 = ip + p->ip_hlen;
    p->l4_len = p->ip_len - p->ip_hlen;
    p->is_fragment = p->mf || p->frag_off != 0;
    if (p->frag_off + p->l4_len + p->ip_hlen > 65535)
        return PKT_ERR_IP_FRAG_TOO_BIG;
    p->payload = p->l4;
    p->payload_len = p->l4_len;
    if (p->is_fragment)
        return PKT_OK;
    if (p->proto == PKT_PROTO_TCP)
        return decode_tcp(p);
    if (p->proto == PKT_PROTO_UDP)
        return decode_udp(p);
    return PKT_OK;
}

enum pkt_err pkt_decode_eth(const uint8_t *frame, size_t len, struct pkt *out)
{
    memset(out, 0, sizeof *out);
    out->frame = frame;
    out->frame_len = len;
    if (len < 14)
        return PKT_ERR_ETH_SHORT;
    out->ethertype = hs_be16(frame + 12);
    out->l3_off = 14;
    if (out->ethertype == PKT_ETHERTYPE_VLAN || out->ethertype == PKT_ETHERTYPE_QINQ) {
        if (len < 18)
            return PKT_ERR_VLAN_SHORT;
        out->has_vlan = true;
        out->vlan_tci = hs_be16(frame + 14);
        out->ethertype = hs_be16(frame + 16);
        out->l3_off = 18;
        if (out->ethertype == PKT_ETHERTYPE_VLAN || out->ethertype == PKT_ETHERTYPE_QINQ)
            return PKT_ERR_VLAN_NESTED;
    }
    if (out->ethertype != PKT_ETHERTYPE_IPV4)
        return PKT_OK;
    return decode_ipv4(out);
}

uint32_t pkt_csum_add(uint32_t sum, const uint8_t *data, size_t len)
{
    uint64_t s = sum;
    size_t i = 0;
    for (; i + 1 < len; i += 2)
        s += (uint32_t)(data[i] << 8 | data[i + 1]);
    if (i < len)
        s += (uint32_t)data[i] << 8;
    while (s >> 32)
        s = (s & 0xffffffffu) + (s >> 32);
    return (uint32_t)s;
}

uint16_t pkt_csum_fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

bool pkt_ipv4_csum_ok(const struct pkt *p)
{
    return pkt_csum_fold(pkt_csum_add(0, p->ip, p->ip_hlen)) == 0;
}

bool pkt_l4_csum_ok(const struct pkt *p)
{
    if (p->is_fragment || (p->proto != PKT_PROTO_TCP && p->proto != PKT_PROTO_UDP))
        return true;
    if (p->proto == PKT_PROTO_UDP && p->l4_len >= 8 && hs_be16(p->l4 + 6) == 0)
        return true;
    uint8_t ph[12];
    memcpy(ph, p->ip + 12, 8);
    ph[8] = 0;
    ph[9] = p->proto;
    hs_st16(ph + 10, (uint16_t)p->l4_len);
    uint32_t s = pkt_csum_add(0, ph, sizeof ph);
    s = pkt_csum_add(s, p->l4, p->l4_len);
    return pkt_csum_fold(s) == 0;
}
