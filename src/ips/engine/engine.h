/* engine.h - the IPS engine: Ethernet frames in, verdicts and alerts out. Glues stream
 * reassembly (ips/stream), the HTTP layer (ips/http) and the rule engine (ips/rules).
 * Pure: no I/O except loading rule files. One engine per thread; not thread-safe.
 *
 * Call sequence:
 *   struct ips_engine_cfg cfg;
 *   ips_engine_cfg_default(&cfg);                 // default rule set, HOME_NET 198.18.0.0/15
 *   cfg.rule_files = files; cfg.n_rule_files = n; // optional: other rule files
 *   cfg.on_alert = cb; cfg.ctx = me;              // alerts are reported synchronously
 *   char *err; struct ips_engine *e = ips_engine_new(&cfg, &err);  // NULL + err "FILE:LINE: .."
 *   for each frame:  struct ips_verdict v = ips_engine_frame(e, frame, len, now_us);
 *                    PASS: forward (v.frame/v.frame_len when set: a reassembled datagram)
 *                    DROP: do not forward;  HOLD: kept inside (IPv4 fragment), do not forward
 *   periodically:    ips_engine_expire(e, now_us);
 *   offline:         ips_engine_http_request(e, bytes, len, now_us)  // one raw HTTP request
 *   reload:          ips_engine_reload(e, files, n, &err)            // keeps old set on error
 *   ips_engine_free(e);
 *
 * Verdict policy (IPS mode):
 *   - a matching rule with action drop/reject on data to a server (ingress) drops the packet
 *     that completed the offending data and every later packet of that flow in both directions;
 *     the verdict has .attack set and .attacker_ip/.attacker_port name the client, so the
 *     controller can hold and block (later: relocate) the attacker.
 *   - the same on data to a client (egress, information disclosure): the response packet is
 *     dropped and the flow blocked; .leak is set.
 *   - alert rules only report. pass rules stop evaluation for that transaction.
 *   - stream anomalies (overlap conflicts, memcaps) drop the packet; they are reported as
 *     alerts with signature_id 0 and a stream-event message, never passed uninspected.
 *   - HTTP: a stream the parser cannot follow, and (drop_truncated_requests) a request body
 *     over body_limit, drop the packet and block the flow (alert sid 0, gid 3). Event gids:
 *     2 stream, 3 HTTP, 4 engine. Details: docs/eve.md.
 */
#ifndef HS_IPS_ENGINE_H
#define HS_IPS_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ips/rules/rules.h"

enum ips_verdict_action { IPS_V_PASS, IPS_V_DROP, IPS_V_HOLD };

/* One alert, valid during the callback only (copy what you keep). */
struct ips_alert {
    uint64_t ts_us;               /* wall clock, microseconds since the epoch */
    uint64_t flow_id;
    uint32_t src_ip, dst_ip;      /* of the packet/data that matched, host byte order */
    uint16_t src_port, dst_port;
    uint8_t proto;                /* 6 tcp, 17 udp */
    const char *app_proto;        /* "http" or "failed"/"unknown" */
    bool to_server;               /* ingress (true) or egress (false) */
    uint32_t sid, gid, rev;
    const char *msg;              /* signature text */
    const char *classtype;        /* "" when none */
    int severity;                 /* 1 high .. 4 low */
    const char *action;           /* "blocked" when the packet was dropped, else "allowed" */
    /* HTTP context when known ("" otherwise) */
    const char *http_method, *http_uri, *http_host, *http_user_agent;
    int http_status;              /* 0 when none yet */
};

typedef void (*ips_alert_fn)(void *ctx, const struct ips_alert *a);

struct ips_engine_cfg {
    const char *const *rule_files;  /* NULL: the built-in default rule set (rules/default.rules) */
    size_t n_rule_files;
    const char *home_net;           /* $HOME_NET, default "[198.18.0.0/15]" */
    size_t max_flows;               /* stream table limits (defaults from ips/stream) */
    size_t memcap_bytes;
    size_t body_limit;              /* HTTP body inspection limit per direction, default 1 MiB */
    bool drop_truncated_requests;   /* a request body over body_limit drops the packet that
                                     * crossed the limit and blocks the flow (default true) */
    bool wall_clock;                /* now_us arguments are wall-clock time (offline pcap
                                     * timestamps): use them as alert timestamps; default false
                                     * (alerts read the wall clock) */
    uint64_t hash_seed;             /* flow hash secret; cfg_default takes it from getrandom */
    ips_alert_fn on_alert;
    void *ctx;
};

struct ips_verdict {
    enum ips_verdict_action action;
    const char *reason;             /* short text for logs ("rule 1000001", "overlap conflict") */
    uint64_t flow_id;               /* 0 when the frame was not part of a flow */
    bool attack;                    /* an ingress drop/reject rule matched on this packet */
    bool leak;                      /* an egress drop/reject rule matched on this packet */
    uint32_t attacker_ip;           /* client address/port of the flow when attack or leak */
    uint16_t attacker_port;
    uint32_t server_ip;
    uint16_t server_port;
    const uint8_t *frame;           /* when non-NULL: forward this (reassembled) frame instead */
    size_t frame_len;
};

struct ips_engine_stats {
    uint64_t frames, bytes, dropped, held, alerts, flows_active, http_txns;
    uint64_t stream_bytes;          /* TCP payload bytes delivered to the inspectors */
    uint64_t http_errors;           /* flows whose HTTP parse failed (dropped, see docs/eve.md) */
};

/* Defaults: built-in rules, HOME_NET 198.18.0.0/15, stream and HTTP defaults. */
void ips_engine_cfg_default(struct ips_engine_cfg *cfg);
/* Create an engine; NULL with *err (malloc'ed "FILE:LINE: reason" lines) on a rule error. */
struct ips_engine *ips_engine_new(const struct ips_engine_cfg *cfg, char **err);
/* Inspect one Ethernet frame (now_us: monotonic microseconds). */
struct ips_verdict ips_engine_frame(struct ips_engine *e, const uint8_t *frame, size_t len,
                                    uint64_t now_us);
/* Inspect one raw HTTP request given as bytes (offline --http mode): a synthetic established
 * TCP flow 203.0.113.1:40000 (outside the default HOME_NET, so $EXTERNAL_NET rules apply) ->
 * 198.18.255.2:80; alerts through on_alert. Returns the number of alerts. */
int ips_engine_http_request(struct ips_engine *e, const uint8_t *req, size_t len, uint64_t now_us);
/* Expire idle flows. */
void ips_engine_expire(struct ips_engine *e, uint64_t now_us);
/* Replace the rule set; on error keep the running one and return -1 with *err. */
int ips_engine_reload(struct ips_engine *e, const char *const *files, size_t n, char **err);
/* Counters. */
struct ips_engine_stats ips_engine_stats(const struct ips_engine *e);
/* Release everything. */
void ips_engine_free(struct ips_engine *e);

/* EVE JSON: one alert as a Suricata-style line (no newline), malloc'ed; NULL when it cannot be
 * encoded (input_path not UTF-8, out-of-range time). input_path, when not NULL, is added as
 * "input" (offline --http mode). Layout: docs/eve.md. */
char *ips_eve_alert_json(const struct ips_alert *a, const char *input_path);

#endif
