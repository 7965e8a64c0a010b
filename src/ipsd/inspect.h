/* inspect.h - what the daemon asks of an inspector: a verdict per frame. Two implementations:
 * "noop" (passes everything: measures the bare data path) and "engine" (the IPS engine,
 * ips/engine/engine.h; only when the build has it). */
#ifndef HS_IPSD_INSPECT_H
#define HS_IPSD_INSPECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config/topology.h"

enum ipsd_action { IPSD_PASS, IPSD_DROP, IPSD_HOLD };

struct ipsd_verdict {
    enum ipsd_action action;
    const uint8_t *frame;       /* PASS: what to send (the input frame, or a reassembled one) */
    size_t len;
    bool attack;                /* ingress detection: report the attacker, hold the frame */
    uint32_t attacker, server;  /* IPv4, host order (attack) */
    uint16_t attacker_port, server_port;
    uint64_t flow_id;
    uint32_t sid;               /* the rule that decided (0 when unknown) */
    char msg[160];              /* its text */
    const char *reason;         /* short text for logs */
};

struct ipsd_inspector_stats {
    uint64_t frames, passed, dropped, held, attacks, leaks, alerts;
};

struct ipsd_inspector {
    const char *name;
    void *ctx;
    /* Decide about one Ethernet frame (now_us: monotonic microseconds). */
    void (*inspect)(void *ctx, const uint8_t *frame, size_t len, uint64_t now_us,
                    struct ipsd_verdict *v);
    /* Periodic housekeeping (idle flows). */
    void (*expire)(void *ctx, uint64_t now_us);
    /* Release. */
    void (*free)(void *ctx);
    struct ipsd_inspector_stats st;
};

/* Settings of an inspector. */
struct ipsd_inspect_cfg {
    const struct hs_topology *topo;     /* rule files (ips.rules), none: built-in defaults */
    FILE *eve;                          /* EVE JSON alert lines go here (NULL: none) */
};

/* The pass-everything inspector. */
void ipsd_inspector_noop(struct ipsd_inspector *out);
/* The IPS engine; -1 with a message when rules do not load or the build has no engine. */
int ipsd_inspector_engine(struct ipsd_inspector *out, const struct ipsd_inspect_cfg *cfg,
                          char *err, size_t err_size);
/* Wrap *in (noop or engine) for a bump in the wire, in place: IPv4 frames go to it, ARP passes,
 * every other EtherType (IPv6, LLDP, unknown, ...) is dropped, so nothing reaches the protected
 * host uninspected (802.1Q/802.1ad tags are stripped by the kernel before AF_PACKET: a tagged
 * frame is judged by what it carries). Counters stay in *in. */
void ipsd_inspector_bump_guard(struct ipsd_inspector *in);
/* True when this build contains the IPS engine. */
bool ipsd_have_engine(void);
/* Run one frame through an inspector, keeping its counters. */
void ipsd_inspect(struct ipsd_inspector *in, const uint8_t *frame, size_t len, uint64_t now_us,
                  struct ipsd_verdict *v);

#endif
