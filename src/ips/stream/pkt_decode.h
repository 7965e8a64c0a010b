/* pkt_decode.h - Ethernet (+ one 802.1Q tag) / IPv4 / TCP / UDP decoder. Pure: the result points
 * into the caller's frame; every malformation is an error code, never a crash. */
#ifndef HS_IPS_STREAM_PKT_DECODE_H
#define HS_IPS_STREAM_PKT_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PKT_ETHERTYPE_IPV4 0x0800
#define PKT_ETHERTYPE_ARP  0x0806
#define PKT_ETHERTYPE_VLAN 0x8100
#define PKT_ETHERTYPE_QINQ 0x88a8
#define PKT_ETHERTYPE_IPV6 0x86dd

#define PKT_PROTO_ICMP 1
#define PKT_PROTO_TCP  6
#define PKT_PROTO_UDP  17

#define PKT_TCP_FIN 0x01
#define PKT_TCP_SYN 0x02
#define PKT_TCP_RST 0x04
#define PKT_TCP_PSH 0x08
#define PKT_TCP_ACK 0x10
#define PKT_TCP_URG 0x20

enum pkt_err {
    PKT_OK = 0,
    PKT_ERR_ETH_SHORT,       /* fewer than 14 bytes */
    PKT_ERR_VLAN_SHORT,      /* 802.1Q tag cut off */
    PKT_ERR_VLAN_NESTED,     /* second VLAN/QinQ tag (not supported, could hide traffic) */
    PKT_ERR_IP_SHORT,        /* fewer than 20 bytes of IPv4 header */
    PKT_ERR_IP_VERSION,      /* version field is not 4 */
    PKT_ERR_IP_HLEN,         /* IHL < 5 or header longer than the total length */
    PKT_ERR_IP_OPTIONS,      /* malformed option list */
    PKT_ERR_IP_TOTLEN,       /* total length below the header length */
    PKT_ERR_IP_TRUNCATED,    /* total length exceeds the captured bytes */
    PKT_ERR_IP_FRAG_TOO_BIG, /* fragment offset + length beyond 65535 */
    PKT_ERR_TCP_SHORT,       /* fewer than 20 bytes of TCP header */
    PKT_ERR_TCP_DOFF,        /* data offset < 5 or beyond the segment */
    PKT_ERR_UDP_SHORT,       /* fewer than 8 bytes of UDP header */
    PKT_ERR_UDP_LEN,         /* UDP length field < 8 or beyond the datagram */
    PKT_ERR__COUNT
};

/* A decoded frame. Pointers alias the frame passed to the decoder. Addresses are host order. */
struct pkt {
    const uint8_t *frame;
    size_t frame_len;
    size_t l3_off;           /* offset of the IPv4 header in the frame */
    bool has_vlan;
    uint16_t vlan_tci;
    uint16_t ethertype;      /* inner ethertype (after the tag) */

    /* IPv4 (valid when ethertype == PKT_ETHERTYPE_IPV4) */
    const uint8_t *ip;
    size_t ip_hlen;          /* header length including options */
    size_t ip_len;           /* total length from the header (<= captured) */
    uint32_t src, dst;
    uint8_t proto, ttl;
    uint16_t ip_id;
    uint32_t frag_off;       /* fragment offset in bytes */
    bool mf, df;
    bool is_fragment;        /* MF set or offset != 0: L4 not decoded */

    /* L4 (TCP/UDP on non-fragments) */
    const uint8_t *l4;
    size_t l4_len;           /* IP payload length */
    uint16_t sport, dport;
    uint32_t seq, ack;       /* TCP */
    uint8_t tcp_flags;
    uint16_t tcp_window, tcp_urgent;
    const uint8_t *payload;  /* TCP/UDP payload, or the IP payload of a fragment / other proto */
    size_t payload_len;
};

/* Decode an Ethernet frame. On error *out is partially filled (layers decoded so far). */
enum pkt_err pkt_decode_eth(const uint8_t *frame, size_t len, struct pkt *out);
/* Stable lower-case name of a decode error ("ip_truncated", ...). */
const char *pkt_err_name(enum pkt_err e);

/* Internet checksum (RFC 1071) of data, folded, continuing from a 32-bit partial sum. */
uint32_t pkt_csum_add(uint32_t sum, const uint8_t *data, size_t len);
/* Fold a partial sum into the final 16-bit one's complement checksum. */
uint16_t pkt_csum_fold(uint32_t sum);
/* True when the IPv4 header checksum of a decoded packet is correct. */
bool pkt_ipv4_csum_ok(const struct pkt *p);
/* True when the TCP/UDP checksum (with pseudo-header) of a non-fragment is correct; UDP with
 * checksum 0 counts as correct. */
bool pkt_l4_csum_ok(const struct pkt *p);

#endif
