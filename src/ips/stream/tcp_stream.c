/* tcp_stream.c - per-direction TCP reassembly: ordering, overlap policy, history, limits. */
#include "ips/stream/tcp_stream.h"

#include "common/util.h"

#include <stdlib.h>
#include <string.h>

struct tcp_seg {
    struct tcp_seg *next;
    uint64_t off;
    size_t len;
    uint8_t data[];
};

#define SEG_COST(len) (sizeof(struct tcp_seg) + (len))
#define HIST_MIN 4096

void tcp_half_init(struct tcp_half *h, uint32_t first_seq)
{
    h->base_known = true;
    h->next_seq = first_seq;
    h->next_off = 0;
    h->seen_end = 0;
}

bool tcp_half_offset(const struct tcp_half *h, uint32_t seq, uint64_t *off)
{
    int64_t rel = (int32_t)(seq - h->next_seq);
    if (rel < 0 && (uint64_t)-rel > h->next_off)
        return false;
    *off = (uint64_t)((int64_t)h->next_off + rel);
    return true;
}

bool tcp_half_finished(const struct tcp_half *h)
{
    return h->fin_seen && h->next_off == h->fin_off;
}

size_t tcp_half_mem(const struct tcp_half *h)
{
    return h->buffered + h->nsegs * sizeof(struct tcp_seg) + h->hist_cap;
}

void tcp_half_release(struct tcp_half *h, struct tcp_mem *mem)
{
    mem->used -= tcp_half_mem(h);
    struct tcp_seg *s = h->segs;
    while (s) {
        struct tcp_seg *n = s->next;
        free(s);
        s = n;
    }
    h->segs = NULL;
    h->nsegs = h->buffered = 0;
    free(h->hist);
    h->hist = NULL;
    h->hist_cap = h->hist_len = 0;
}

void tcp_half_ack(struct tcp_half *h, uint32_t ack)
{
    uint64_t off;
    if (!h->base_known || !tcp_half_offset(h, ack, &off))
        return;
    if (off > h->next_off) {
        /* only the FIN's own sequence number may be acknowledged beyond the data */
        if (!(tcp_half_finished(h) && off == h->fin_off + 1))
            return;
        off = h->next_off;
    }
    if (!h->acked_known || off > h->acked_off) {
        h->acked_known = true;
        h->acked_off = off;
    }
}

/* --- history ring ------------------------------------------------------------------------ */

static void ring_write(uint8_t *ring, size_t cap, uint64_t off, const uint8_t *src, size_t n)
{
    size_t pos = (size_t)(off % cap);
    size_t first = n < cap - pos ? n : cap - pos;
    memcpy(ring + pos, src, first);
    memcpy(ring, src + first, n - first);
}

/* Compare n bytes at stream offset off (inside the history) with src. */
static bool ring_equal(const struct tcp_half *h, uint64_t off, const uint8_t *src, size_t n)
{
    size_t pos = (size_t)(off % h->hist_cap);
    size_t first = n < h->hist_cap - pos ? n : h->hist_cap - pos;
    return memcmp(h->hist + pos, src, first) == 0 &&
           memcmp(h->hist, src + first, n - first) == 0;
}

static void hist_grow(struct tcp_half *h, const struct tcp_limits *lim, struct tcp_mem *mem,
                      size_t want)
{
    size_t cap = h->hist_cap ? h->hist_cap : HIST_MIN;
    while (cap < want && cap < lim->history)
        cap = cap > SIZE_MAX / 2 ? lim->history : cap * 2;
    if (cap > lim->history)
        cap = lim->history;
    if (cap <= h->hist_cap || mem->used > mem->cap || cap - h->hist_cap > mem->cap - mem->used)
        return; /* best effort: a smaller history only makes more retransmissions unverifiable */
    uint8_t *n = xmalloc(cap);
    uint64_t s = h->next_off - h->hist_len;
    while (s < h->next_off) {
        size_t pos = (size_t)(s % h->hist_cap);
        uint64_t left = h->next_off - s;
        size_t chunk = left < h->hist_cap - pos ? (size_t)left : h->hist_cap - pos;
        ring_write(n, cap, s, h->hist + pos, chunk);
        s += chunk;
    }
    free(h->hist);
    mem->used += cap - h->hist_cap;
    h->hist = n;
    h->hist_cap = cap;
}

/* Remember data delivered at stream offset off (== next_off before advancing). */
static void hist_append(struct tcp_half *h, const struct tcp_limits *lim, struct tcp_mem *mem,
                        uint64_t off, const uint8_t *data, size_t len)
{
    if (lim->history == 0 || len == 0)
        return;
    if (h->hist_cap < lim->history && h->hist_len + len > h->hist_cap)
        hist_grow(h, lim, mem, h->hist_len + len);
    if (h->hist_cap == 0)
        return;
    if (len >= h->hist_cap) {
        ring_write(h->hist, h->hist_cap, off + len - h->hist_cap, data + len - h->hist_cap,
                   h->hist_cap);
        h->hist_len = h->hist_cap;
        return;
    }
    ring_write(h->hist, h->hist_cap, off, data, len);
    h->hist_len = h->hist_len + len > h->hist_cap ? h->hist_cap : h->hist_len + len;
}

/* --- out-of-order runs ------------------------------------------------------------------- */

struct walk {
    size_t new_bytes, new_pieces;
    size_t direct;          /* length of the gap starting at next_off (delivered from the packet) */
    bool conflict;
};

/* Compare [off, off+len) (off >= next_off) with buffered runs and count the gaps; with commit,
 * store every gap except the direct one. Stored bytes are never replaced (first wins). */
static void walk_segs(struct tcp_half *h, uint64_t off, const uint8_t *data, size_t len,
                      bool commit, struct walk *w)
{
    memset(w, 0, sizeof *w);
    uint64_t end = off + len, cur = off;
    struct tcp_seg **pp = &h->segs;
    while (cur < end) {
        struct tcp_seg *q = *pp;
        if (q && q->off + q->len <= cur) {
            pp = &q->next;
            continue;
        }
        uint64_t gap_end = (q && q->off < end) ? q->off : end;
        if (gap_end > cur) {
            size_t n = (size_t)(gap_end - cur);
            if (cur == h->next_off) {
                w->direct = n;
            } else {
                w->new_bytes += n;
                w->new_pieces++;
                if (commit) {
                    struct tcp_seg *s = xmalloc(sizeof *s + n);
                    s->off = cur;
                    s->len = n;
                    memcpy(s->data, data + (cur - off), n);
                    s->next = q;
                    *pp = s;
                    pp = &s->next;
                }
            }
            cur = gap_end;
            continue;
        }
        uint64_t ov_end = q->off + q->len < end ? q->off + q->len : end;
        if (memcmp(q->data + (cur - q->off), data + (cur - off), (size_t)(ov_end - cur)) != 0)
            w->conflict = true;
        cur = ov_end;
        pp = &q->next;
    }
}

/* Check bytes [off, old_end) that were already delivered against the history. */
static enum ips_event_type check_old(const struct tcp_half *h, uint64_t off, uint64_t old_end,
                                     const uint8_t *data)
{
    uint64_t hist_start = h->next_off - h->hist_len;
    uint64_t v = off > hist_start ? off : hist_start;
    if (v < old_end && !ring_equal(h, v, data + (v - off), (size_t)(old_end - v)))
        return IPS_EV_TCP_RETRANS_CONFLICT;
    if (off < hist_start) {
        uint64_t unv_end = hist_start < old_end ? hist_start : old_end;
        /* bytes the receiver acknowledged are discarded by it: harmless */
        if (!(h->acked_known && unv_end <= h->acked_off))
            return IPS_EV_TCP_RETRANS_UNVERIFIABLE;
    }
    return IPS_EV_NONE;
}

static enum ips_event_type deliver(struct tcp_half *h, const struct tcp_limits *lim,
                                   struct tcp_mem *mem, const uint8_t *data, size_t len,
                                   tcp_deliver_fn fn, void *ctx)
{
    uint64_t off = h->next_off;
    hist_append(h, lim, mem, off, data, len);
    h->next_off += len;
    h->next_seq += (uint32_t)len;
    if (fn(ctx, data, len, off) == IPS_DROP)
        return IPS_EV_INSPECTOR_DROP;
    return IPS_EV_NONE;
}

enum ips_event_type tcp_half_add(struct tcp_half *h, const struct tcp_limits *lim,
                                 struct tcp_mem *mem, uint32_t seq, const uint8_t *data,
                                 size_t len, bool fin, tcp_deliver_fn fn, void *ctx)
{
    uint64_t off;
    if (!tcp_half_offset(h, seq, &off))
        return IPS_EV_TCP_DATA_BEFORE_ISN;
    uint64_t end = off + len;
    if (end > h->next_off + lim->max_window)
        return IPS_EV_TCP_OUT_OF_WINDOW;
    if (h->fin_seen) {
        if (end > h->fin_off)
            return IPS_EV_TCP_DATA_AFTER_FIN;
        if (fin && end != h->fin_off)
            return IPS_EV_TCP_FIN_CONFLICT;
    } else if (fin && h->seen_end > end) {
        return IPS_EV_TCP_FIN_CONFLICT;
    }

    uint64_t old_end = end < h->next_off ? end : h->next_off;
    if (off < old_end) {
        enum ips_event_type ev = check_old(h, off, old_end, data);
        if (ev != IPS_EV_NONE)
            return ev;
    }

    uint64_t nstart = off > h->next_off ? off : h->next_off;
    struct walk w = {0};
    if (nstart < end) {
        walk_segs(h, nstart, data + (nstart - off), (size_t)(end - nstart), false, &w);
        if (w.conflict)
            return IPS_EV_TCP_OVERLAP_CONFLICT;
        if (w.new_bytes > lim->max_buffered - h->buffered)
            return IPS_EV_TCP_MEMCAP_DIR;
        if (w.new_pieces > lim->max_segments - h->nsegs)
            return IPS_EV_TCP_SEGMENT_LIMIT;
        size_t cost = w.new_bytes + w.new_pieces * sizeof(struct tcp_seg);
        if (mem->used > mem->cap || cost > mem->cap - mem->used)
            return IPS_EV_TCP_MEMCAP;
        walk_segs(h, nstart, data + (nstart - off), (size_t)(end - nstart), true, &w);
        h->nsegs += w.new_pieces;
        h->buffered += w.new_bytes;
        mem->used += cost;
    }
    if (fin) {
        h->fin_seen = true;
        h->fin_off = end;
    }
    if (end > h->seen_end)
        h->seen_end = end;

    if (w.direct) {
        enum ips_event_type ev = deliver(h, lim, mem, data + (h->next_off - off), w.direct, fn, ctx);
        if (ev != IPS_EV_NONE)
            return ev;
    }
    while (h->segs && h->segs->off == h->next_off) {
        struct tcp_seg *s = h->segs;
        h->segs = s->next;
        h->nsegs--;
        h->buffered -= s->len;
        mem->used -= SEG_COST(s->len);
        enum ips_event_type ev = deliver(h, lim, mem, s->data, s->len, fn, ctx);
        free(s);
        if (ev != IPS_EV_NONE)
            return ev;
    }
    return IPS_EV_NONE;
}
