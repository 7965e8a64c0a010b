/* hold.h - frames held per attacker (pure, no I/O).
 *
 * When the IPS detects an attack it does not forward the offending frame: it keeps it here, in
 * a queue per attacker address, so that the relocation step can later re-inject the request
 * into the honeypot. Limits, and what happens when they are reached:
 *   - per attacker at most max_frames frames and max_bytes bytes: the FIRST frames are kept
 *     (the offending request and what immediately follows); later frames are not stored and are
 *     counted in overflow (they are dropped by the daemon either way: never forwarded).
 *   - at most max_attackers queues: adding a new attacker to a full table evicts the queue that
 *     was created first (counted in evicted); its attacker stays blocked by the controller.
 * Each queue also remembers whether the controller was told (reported) and when it was last
 * tried, so the daemon reports each attacker once and retries failed reports at a bounded rate.
 */
#ifndef HS_IPSD_HOLD_H
#define HS_IPSD_HOLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ipsd_held_frame {
    uint8_t *data;
    size_t len;
    uint64_t ts_ms;
};

struct ipsd_hold_queue {
    uint32_t attacker;          /* IPv4, host order */
    uint64_t created_ms;
    size_t n, bytes;
    struct ipsd_held_frame *frames;  /* n of them, oldest first */
    uint64_t overflow;          /* frames refused by the per-attacker limits */
    bool reported;              /* the controller acknowledged the attack */
    uint64_t report_tried_ms;   /* last attempt (0: never) */
};

struct ipsd_hold_stats {
    uint64_t held_frames, held_bytes, overflow, evicted, attackers;
};

struct ipsd_hold;

/* A table with the given limits (each at least 1). */
struct ipsd_hold *ipsd_hold_new(size_t max_attackers, size_t max_frames, size_t max_bytes);
/* Release everything (NULL is fine). */
void ipsd_hold_free(struct ipsd_hold *h);
/* The queue of attacker, or NULL. */
struct ipsd_hold_queue *ipsd_hold_find(struct ipsd_hold *h, uint32_t attacker);
/* The queue of attacker, created (possibly evicting the oldest) when absent. */
struct ipsd_hold_queue *ipsd_hold_get(struct ipsd_hold *h, uint32_t attacker, uint64_t now_ms);
/* Keep a copy of frame in attacker's queue: true when stored, false when a limit refused it. */
bool ipsd_hold_put(struct ipsd_hold *h, uint32_t attacker, const uint8_t *frame, size_t len,
                   uint64_t now_ms);
/* Remove attacker's queue and hand its frames to fn in order (fn may be NULL); returns how many
 * frames it held. */
size_t ipsd_hold_release(struct ipsd_hold *h, uint32_t attacker,
                         void (*fn)(void *ctx, const uint8_t *frame, size_t len), void *ctx);
/* Number of queues and the i-th one (for reporting retries and status). */
size_t ipsd_hold_count(const struct ipsd_hold *h);
struct ipsd_hold_queue *ipsd_hold_at(struct ipsd_hold *h, size_t i);
/* Totals. */
struct ipsd_hold_stats ipsd_hold_stats(const struct ipsd_hold *h);

#endif
