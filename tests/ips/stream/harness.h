/* harness.h - test harness around an ips_stream table: records deliveries per flow and
 * direction (checking each byte arrives exactly once, in order), counts events, builds
 * connection packets. */
#ifndef HS_TESTS_IPS_STREAM_HARNESS_H
#define HS_TESTS_IPS_STREAM_HARNESS_H

#include "common/buf.h"
#include "frame_build.h"
#include "ips/stream/ips_stream.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define H_MAX_RECS 1024

struct rec {
    uint64_t flow_id;
    struct hs_buf data[2];   /* delivered bytes per direction */
    bool ended;
};

struct harness {
    struct ips_stream_config cfg;
    struct ips_stream *s;
    struct rec recs[H_MAX_RECS];
    size_t nrecs;
    unsigned events[IPS_EV__COUNT];
    struct ips_event last_event;
    size_t flows_ended;
    size_t delivery_calls;
    const char *veto;        /* deliver returns DROP for a chunk containing this string */
    bool violation;          /* a delivery broke the exactly-once in-order invariant */
    uint64_t now;
    uint8_t frame[FB_MAX];
};

/* Defaults plus harness callbacks into h->cfg; adjust h->cfg, then call h_start. */
void h_init(struct harness *h);
void h_start(struct harness *h);
/* Free the table and the records. */
void h_free(struct harness *h);
/* Record of a flow id, NULL when nothing was delivered on it. */
struct rec *h_rec(struct harness *h, uint64_t flow_id);
/* Bytes delivered on a flow in a direction (0 if none). */
size_t h_len(struct harness *h, uint64_t flow_id, enum ips_dir dir);
/* True when the delivered bytes of flow/dir equal exp[len]. */
bool h_equal(struct harness *h, uint64_t flow_id, enum ips_dir dir, const void *exp, size_t len);
/* Feed a frame at h->now. */
struct ips_result h_send(struct harness *h, const uint8_t *frame, size_t len);

struct conn {
    struct harness *h;
    uint32_t cip, sip;
    uint16_t cport, sport;
    uint32_t cisn, sisn;
    bool vlan;
    uint16_t ip_id;
    uint64_t flow_id;        /* set by c_handshake */
};

/* A connection 198.18.0.1:port -> 198.18.1.1:80 with the given ISNs. */
void c_init(struct conn *c, struct harness *h, uint16_t cport, uint32_t cisn, uint32_t sisn);
/* Send a raw TCP packet in direction dir. */
struct ips_result c_raw(struct conn *c, enum ips_dir dir, uint32_t seq, uint32_t ack,
                        uint8_t flags, const void *data, size_t len);
/* Build (without sending) into out; returns the frame length. */
size_t c_build(struct conn *c, uint8_t *out, enum ips_dir dir, uint32_t seq, uint32_t ack,
               uint8_t flags, const void *data, size_t len);
/* Sequence number of stream offset off in direction dir. */
uint32_t c_seq(const struct conn *c, enum ips_dir dir, uint64_t off);
/* Data segment (ACK|PSH) at stream offset off. */
struct ips_result c_seg(struct conn *c, enum ips_dir dir, uint64_t off, const void *data,
                        size_t len);
/* SYN, SYN-ACK, ACK; returns true when all three passed (sets flow_id). */
bool c_handshake(struct conn *c);

#endif
