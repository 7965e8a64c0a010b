/* ipsd_loop.c - the data path: ring -> inspector -> same port, holds and attack reports. */
#include "ipsd/ipsd.h"
#include "common/buf.h"
#include "common/log.h"
#include "common/util.h"
#include "ctl/ctl_client.h"
#include "ipsd/attack_msg.h"

#include <errno.h>
#include <jansson.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define REPORT_RETRY_MS 1000
#define REPORT_TIMEOUT_MS 300
#define HOUSEKEEPING_MS 1000

/* Source IPv4 of an untagged IPv4 frame, 0 otherwise. */
static uint32_t frame_src_ip(const uint8_t *f, size_t len)
{
    if (len < 34 || hs_be16(f + 12) != 0x0800 || (f[14] >> 4) != 4)
        return 0;
    return hs_be32(f + 26);
}

/* Report the attacker with its held frames. On success the queue goes: the controller has the
 * frames (it re-injects them into the honeypot), and a later attack by the same address is
 * reported again (the controller counts it, or relocates again after an unshift). Returns true
 * when the queue was released. */
static bool report(struct ipsd *d, struct ipsd_hold_queue *q, const struct ipsd_verdict *v,
                   uint64_t now_ms, uint64_t frame_us)
{
    q->report_tried_ms = now_ms;
    struct ipsd_attack a = {.attacker = q->attacker, .frames = q->frames, .n_frames = q->n,
                            .frame_us = frame_us, .verdict_us = frame_us ? hs_now_ns() / 1000 : 0};
    if (v) {
        a.server = v->server;
        a.attacker_port = v->attacker_port;
        a.server_port = v->server_port;
        a.sid = v->sid;
        a.flow_id = v->flow_id;
        a.msg = v->msg;
    }
    char *req = ipsd_attack_request(&a), *ans = NULL, err[256], who[16];
    hs_format_ipv4(q->attacker, who);
    if (!req) {
        LOG_ERR("attack by %s: cannot build the report", who);
        return false;
    }
    bool released = false;
    if (hs_ctl_request(d->socket, req, &ans, REPORT_TIMEOUT_MS, err, sizeof err) == 0 &&
        ipsd_attack_answer_ok(ans, err, sizeof err)) {
        q->reported = true;
        d->reports_ok++;
        LOG_WARN("attack by %s reported to the controller (sid %u, %zu held frame(s)): %s", who,
                 a.sid, q->n, ans);
        ipsd_hold_release(d->hold, q->attacker, NULL, NULL);
        released = true;
    } else {
        d->reports_failed++;
        LOG_ERR("attack by %s: controller not told (%s); retrying", who, err);
    }
    free(req);
    free(ans);
    return released;
}

static void on_attack(struct ipsd *d, const uint8_t *frame, size_t len,
                      const struct ipsd_verdict *v, uint64_t now_us)
{
    uint64_t now_ms = now_us / 1000;
    char who[16], srv[16];
    hs_format_ipv4(v->attacker, who);
    hs_format_ipv4(v->server, srv);
    bool fresh = ipsd_hold_find(d->hold, v->attacker) == NULL;
    ipsd_hold_put(d->hold, v->attacker, frame, len, now_ms);
    struct ipsd_hold_queue *q = ipsd_hold_find(d->hold, v->attacker);
    if (fresh)
        LOG_WARN("ATTACK %s:%u -> %s:%u sid %u \"%s\" (%s): frame held", who, v->attacker_port,
                 srv, v->server_port, v->sid, v->msg, v->reason ? v->reason : "");
    if (q && !q->reported)
        report(d, q, v, now_ms, now_us);
}

static void housekeeping(struct ipsd *d, uint64_t now_ms)
{
    d->in.expire(d->in.ctx, now_ms * 1000);
    for (size_t i = 0; i < ipsd_hold_count(d->hold);) {
        struct ipsd_hold_queue *q = ipsd_hold_at(d->hold, i);
        if (!q->reported && now_ms - q->report_tried_ms >= REPORT_RETRY_MS &&
            report(d, q, NULL, now_ms, 0))
            continue; /* released: the next queue moved to i */
        i++;
    }
    ipsd_write_stats(d);
}

/* tx: the port a passed frame leaves by (the ring's own port, or the peer of a bump). */
static void handle_frame(struct ipsd *d, struct afp *tx, const uint8_t *f, size_t len,
                         uint64_t now_us)
{
    struct ipsd_verdict v;
    ipsd_inspect(&d->in, f, len, now_us, &v);
    switch (v.action) {
    case IPSD_PASS:
        if (v.frame == f) {
            afp_tx_queue(tx, f, len);
        } else {
            /* a reassembled datagram lives in the engine until its next call: send it now,
             * after what is queued, to keep the order */
            afp_tx_flush(tx);
            afp_tx_one(tx, v.frame, v.len);
        }
        break;
    case IPSD_DROP:
        if (v.attack) {
            on_attack(d, f, len, &v, now_us);
        } else {
            /* later frames of a held attacker's flow are kept with the offending request */
            uint32_t src = frame_src_ip(f, len);
            if (src && ipsd_hold_find(d->hold, src))
                ipsd_hold_put(d->hold, src, f, len, now_us / 1000);
        }
        break;
    case IPSD_HOLD:
        break; /* kept inside the inspector (an IPv4 fragment) */
    }
}

/* Every ready block of rx, passed frames out of tx. */
static void drain(struct ipsd *d, struct afp *rx, struct afp *tx, uint64_t now_us)
{
    while (afp_next_block(rx)) {
        const uint8_t *f;
        size_t len;
        while ((f = afp_next_frame(rx, &len)) != NULL)
            handle_frame(d, tx, f, len, now_us);
        afp_tx_flush(tx);
        afp_release_block(rx);
    }
}

/* Wait up to timeout_ms until the ring or the peer's ring has a block; -1 on error. */
static int wait_frames(struct ipsd *d, int timeout_ms)
{
    if (!d->peer)
        return afp_wait(d->afp, timeout_ms);
    if (afp_ready(d->afp) || afp_ready(d->peer))
        return 1;
    struct pollfd p[2] = {{.fd = afp_fd(d->afp), .events = POLLIN | POLLERR},
                          {.fd = afp_fd(d->peer), .events = POLLIN | POLLERR}};
    int r = poll(p, 2, timeout_ms);
    if (r < 0)
        return errno == EINTR ? 0 : -1;
    return r > 0;
}

int ipsd_run(struct ipsd *d, volatile int *stop)
{
    uint64_t next_hk = hs_now_ms() + HOUSEKEEPING_MS;
    while (!*stop) {
        int r = wait_frames(d, 100);
        if (r < 0) {
            LOG_ERR("waiting for frames: %s", strerror(errno));
            return -1;
        }
        uint64_t now_us = hs_now_ns() / 1000;
        if (d->peer) {
            drain(d, d->afp, d->peer, now_us);
            drain(d, d->peer, d->afp, now_us);
        } else {
            drain(d, d->afp, d->afp, now_us);
        }
        uint64_t now = hs_now_ms();
        if (now >= next_hk) {
            housekeeping(d, now);
            next_hk = now + HOUSEKEEPING_MS;
        }
    }
    ipsd_write_stats(d);
    return 0;
}

void ipsd_write_stats(struct ipsd *d)
{
    if (!d->stats_file[0])
        return;
    struct afp_stats a = afp_stats(d->afp);
    if (d->peer) { /* a bump in the wire: both rings together */
        struct afp_stats b = afp_stats(d->peer);
        a.rx_frames += b.rx_frames;
        a.rx_bytes += b.rx_bytes;
        a.tx_frames += b.tx_frames;
        a.tx_bytes += b.tx_bytes;
        a.tx_errors += b.tx_errors;
        a.tx_batches += b.tx_batches;
        a.kernel_drops += b.kernel_drops;
        a.truncated += b.truncated;
    }
    struct ipsd_hold_stats h = ipsd_hold_stats(d->hold);
    const struct ipsd_inspector_stats *s = &d->in.st;
    json_t *o = json_pack(
        "{s:I, s:s, s:I, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}, "
        "s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I}, s:{s:I, s:I, s:I, s:I, s:I}, s:{s:I, s:I}}",
        "pid", (json_int_t)getpid(), "inspector", d->in.name, "uptime_s",
        (json_int_t)((hs_now_ms() - d->start_ms) / 1000), "ring", "rx_frames",
        (json_int_t)a.rx_frames, "rx_bytes", (json_int_t)a.rx_bytes, "tx_frames",
        (json_int_t)a.tx_frames, "tx_bytes", (json_int_t)a.tx_bytes, "tx_errors",
        (json_int_t)a.tx_errors, "tx_batches", (json_int_t)a.tx_batches, "kernel_drops",
        (json_int_t)a.kernel_drops, "truncated", (json_int_t)a.truncated, "verdicts", "frames",
        (json_int_t)s->frames, "passed", (json_int_t)s->passed, "dropped", (json_int_t)s->dropped,
        "held", (json_int_t)s->held, "attacks", (json_int_t)s->attacks, "leaks",
        (json_int_t)s->leaks, "alerts", (json_int_t)s->alerts, "hold", "attackers",
        (json_int_t)h.attackers, "frames", (json_int_t)h.held_frames, "bytes",
        (json_int_t)h.held_bytes, "overflow", (json_int_t)h.overflow, "evicted",
        (json_int_t)h.evicted, "reports", "ok", (json_int_t)d->reports_ok, "failed",
        (json_int_t)d->reports_failed);
    if (!o)
        return;
    char tmp[HS_PATH_MAX + 8];
    if (hs_snprintf(tmp, sizeof tmp, "%s.tmp", d->stats_file) &&
        json_dump_file(o, tmp, JSON_COMPACT | JSON_PRESERVE_ORDER) == 0 &&
        rename(tmp, d->stats_file) != 0)
        LOG_WARN("cannot write %s: %s", d->stats_file, strerror(errno));
    json_decref(o);
}
