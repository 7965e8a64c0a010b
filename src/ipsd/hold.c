/* hold.c - per-attacker queues of held frames, with limits (see hold.h). */
#include "ipsd/hold.h"
#include "common/util.h"

#include <stdlib.h>
#include <string.h>

struct ipsd_hold {
    size_t max_attackers, max_frames, max_bytes;
    size_t n;
    struct ipsd_hold_queue *q;      /* n queues, in creation order */
    uint64_t overflow, evicted;
};

struct ipsd_hold *ipsd_hold_new(size_t max_attackers, size_t max_frames, size_t max_bytes)
{
    struct ipsd_hold *h = xcalloc(1, sizeof *h);
    h->max_attackers = max_attackers ? max_attackers : 1;
    h->max_frames = max_frames ? max_frames : 1;
    h->max_bytes = max_bytes ? max_bytes : 1;
    h->q = xcalloc(h->max_attackers, sizeof *h->q);
    return h;
}

static void queue_free(struct ipsd_hold_queue *q)
{
    for (size_t i = 0; i < q->n; i++)
        free(q->frames[i].data);
    free(q->frames);
    memset(q, 0, sizeof *q);
}

void ipsd_hold_free(struct ipsd_hold *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->n; i++)
        queue_free(&h->q[i]);
    free(h->q);
    free(h);
}

struct ipsd_hold_queue *ipsd_hold_find(struct ipsd_hold *h, uint32_t attacker)
{
    for (size_t i = 0; i < h->n; i++)
        if (h->q[i].attacker == attacker)
            return &h->q[i];
    return NULL;
}

/* Remove queue i, keeping creation order. */
static void remove_at(struct ipsd_hold *h, size_t i)
{
    queue_free(&h->q[i]);
    memmove(&h->q[i], &h->q[i + 1], (h->n - i - 1) * sizeof *h->q);
    h->n--;
    memset(&h->q[h->n], 0, sizeof *h->q);
}

struct ipsd_hold_queue *ipsd_hold_get(struct ipsd_hold *h, uint32_t attacker, uint64_t now_ms)
{
    struct ipsd_hold_queue *q = ipsd_hold_find(h, attacker);
    if (q)
        return q;
    if (h->n == h->max_attackers) {
        remove_at(h, 0);
        h->evicted++;
    }
    q = &h->q[h->n++];
    memset(q, 0, sizeof *q);
    q->attacker = attacker;
    q->created_ms = now_ms;
    q->frames = xcalloc(h->max_frames, sizeof *q->frames);
    return q;
}

bool ipsd_hold_put(struct ipsd_hold *h, uint32_t attacker, const uint8_t *frame, size_t len,
                   uint64_t now_ms)
{
    struct ipsd_hold_queue *q = ipsd_hold_get(h, attacker, now_ms);
    if (q->n >= h->max_frames || len > h->max_bytes - q->bytes) {
        q->overflow++;
        h->overflow++;
        return false;
    }
    uint8_t *copy = xmalloc(len ? len : 1);
    if (len)
        memcpy(copy, frame, len);
    q->frames[q->n++] = (struct ipsd_held_frame){copy, len, now_ms};
    q->bytes += len;
    return true;
}

size_t ipsd_hold_release(struct ipsd_hold *h, uint32_t attacker,
                         void (*fn)(void *ctx, const uint8_t *frame, size_t len), void *ctx)
{
    for (size_t i = 0; i < h->n; i++) {
        struct ipsd_hold_queue *q = &h->q[i];
        if (q->attacker != attacker)
            continue;
        size_t n = q->n;
        for (size_t k = 0; fn && k < q->n; k++)
            fn(ctx, q->frames[k].data, q->frames[k].len);
        remove_at(h, i);
        return n;
    }
    return 0;
}

size_t ipsd_hold_count(const struct ipsd_hold *h) { return h->n; }

struct ipsd_hold_queue *ipsd_hold_at(struct ipsd_hold *h, size_t i)
{
    return i < h->n ? &h->q[i] : NULL;
}

struct ipsd_hold_stats ipsd_hold_stats(const struct ipsd_hold *h)
{
    struct ipsd_hold_stats s = {0};
    for (size_t i = 0; i < h->n; i++) {
        s.held_frames += h->q[i].n;
        s.held_bytes += h->q[i].bytes;
    }
    s.overflow = h->overflow;
    s.evicted = h->evicted;
    s.attackers = h->n;
    return s;
}
