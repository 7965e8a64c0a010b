/* frame_build.h - test helper: builds Ethernet/IPv4/TCP/UDP frames and IPv4 fragments with
 * correct lengths and checksums. */
#ifndef HS_TESTS_IPS_STREAM_FRAME_BUILD_H
#define HS_TESTS_IPS_STREAM_FRAME_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FB_MAX 70000

struct fb_tcp {
    uint32_t src, dst;         /* host order */
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t flags;
    uint16_t ip_id;
    uint16_t urgent;
    bool vlan;                 /* add an 802.1Q tag (VLAN 42) */
    bool df;
};

/* Build an Ethernet/IPv4/TCP frame into out[FB_MAX]; returns its length. */
size_t fb_tcp(uint8_t *out, const struct fb_tcp *t, const void *payload, size_t len);
/* Build an Ethernet/IPv4/UDP frame; returns its length. */
size_t fb_udp(uint8_t *out, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
              uint16_t ip_id, const void *payload, size_t len);
/* From an unfragmented frame `whole` (IPv4 at l3_off), build the fragment carrying IP payload
 * bytes [off, off+len); data overrides those bytes when non-NULL. Returns the frame length. */
size_t fb_frag(uint8_t *out, const uint8_t *whole, size_t l3_off, uint32_t off, uint32_t len,
               bool mf, const uint8_t *data);
/* Recompute the IPv4 header checksum of a frame (IPv4 at l3_off). */
void fb_fix_ip_csum(uint8_t *frame, size_t l3_off);

#endif
