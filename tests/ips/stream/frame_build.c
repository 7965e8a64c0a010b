/* frame_build.c - test frame builder (see frame_build.h). */
#include "frame_build.h"

#include "common/buf.h"
#include "ips/stream/pkt_decode.h"

#include <string.h>

static const uint8_t mac_a[6] = {0x02, 0, 0, 0, 0, 0x01};
static const uint8_t mac_b[6] = {0x02, 0, 0, 0, 0, 0x02};

static size_t put_eth(uint8_t *out, bool vlan)
{
    memcpy(out, mac_b, 6);
    memcpy(out + 6, mac_a, 6);
    if (vlan) {
        hs_st16(out + 12, PKT_ETHERTYPE_VLAN);
        hs_st16(out + 14, 42);
        hs_st16(out + 16, PKT_ETHERTYPE_IPV4);
        return 18;
    }
    hs_st16(out + 12, PKT_ETHERTYPE_IPV4);
    return 14;
}

void fb_fix_ip_csum(uint8_t *frame, size_t l3_off)
{
    uint8_t *ip = frame + l3_off;
    size_t hlen = (size_t)(ip[0] & 0x0f) * 4;
    hs_st16(ip + 10, 0);
    hs_st16(ip + 10, pkt_csum_fold(pkt_csum_add(0, ip, hlen)));
}

static void put_ip(uint8_t *ip, uint32_t src, uint32_t dst, uint8_t proto, uint16_t id,
                   size_t l4len, bool df)
{
    ip[0] = 0x45;
    ip[1] = 0;
    hs_st16(ip + 2, (uint16_t)(20 + l4len));
    hs_st16(ip + 4, id);
    hs_st16(ip + 6, df ? 0x4000 : 0);
    ip[8] = 64;
    ip[9] = proto;
    hs_st32(ip + 12, src);
    hs_st32(ip + 16, dst);
    hs_st16(ip + 10, 0);
    hs_st16(ip + 10, pkt_csum_fold(pkt_csum_add(0, ip, 20)));
}

static void put_l4_csum(uint8_t *ip, uint8_t proto, size_t l4len, size_t csum_at)
{
    uint8_t ph[12];
    memcpy(ph, ip + 12, 8);
    ph[8] = 0;
    ph[9] = proto;
    hs_st16(ph + 10, (uint16_t)l4len);
    uint8_t *l4 = ip + 20;
    hs_st16(l4 + csum_at, 0);
    uint32_t s = pkt_csum_add(pkt_csum_add(0, ph, 12), l4, l4len);
    uint16_t c = pkt_csum_fold(s);
    if (proto == PKT_PROTO_UDP && c == 0)
        c = 0xffff;
    hs_st16(l4 + csum_at, c);
}

size_t fb_tcp(uint8_t *out, const struct fb_tcp *t, const void *payload, size_t len)
{
    size_t l3 = put_eth(out, t->vlan);
    uint8_t *ip = out + l3;
    put_ip(ip, t->src, t->dst, PKT_PROTO_TCP, t->ip_id, 20 + len, t->df);
    uint8_t *tcp = ip + 20;
    hs_st16(tcp, t->sport);
    hs_st16(tcp + 2, t->dport);
    hs_st32(tcp + 4, t->seq);
    hs_st32(tcp + 8, t->ack);
    tcp[12] = 5 << 4;
    tcp[13] = t->flags;
    hs_st16(tcp + 14, 65535);
    hs_st16(tcp + 18, t->urgent);
    if (len)
        memcpy(tcp + 20, payload, len);
    put_l4_csum(ip, PKT_PROTO_TCP, 20 + len, 16);
    return l3 + 20 + 20 + len;
}

size_t fb_udp(uint8_t *out, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
              uint16_t ip_id, const void *payload, size_t len)
{
    size_t l3 = put_eth(out, false);
    uint8_t *ip = out + l3;
    put_ip(ip, src, dst, PKT_PROTO_UDP, ip_id, 8 + len, false);
    uint8_t *u = ip + 20;
    hs_st16(u, sport);
    hs_st16(u + 2, dport);
    hs_st16(u + 4, (uint16_t)(8 + len));
    if (len)
        memcpy(u + 8, payload, len);
    put_l4_csum(ip, PKT_PROTO_UDP, 8 + len, 6);
    return l3 + 20 + 8 + len;
}

size_t fb_frag(uint8_t *out, const uint8_t *whole, size_t l3_off, uint32_t off, uint32_t len,
               bool mf, const uint8_t *data)
{
    const uint8_t *wip = whole + l3_off;
    size_t hlen = (size_t)(wip[0] & 0x0f) * 4;
    memcpy(out, whole, l3_off + hlen);
    uint8_t *ip = out + l3_off;
    memcpy(ip + hlen, data ? data : wip + hlen + off, len);
    hs_st16(ip + 2, (uint16_t)(hlen + len));
    hs_st16(ip + 6, (uint16_t)((hs_be16(wip + 6) & 0x4000) | (mf ? 0x2000 : 0) | (off / 8)));
    fb_fix_ip_csum(out, l3_off);
    return l3_off + hlen + len;
}
