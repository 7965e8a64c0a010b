/* ipv4_defrag.c - IPv4 fragment reassembly (first wins, conflicting overlap drops). */
#include "ips/stream/ipv4_defrag.h"

#include "common/buf.h"
#include "common/util.h"
#include "ips/stream/stream_hash.h"

#include <stdlib.h>
#include <string.h>

/* A run of payload bytes [off, off + len) of the datagram; runs never overlap. */
struct frag_piece {
    struct frag_piece *next;
    uint32_t off, len;
    uint8_t data[];
};

struct dgram {
    struct defrag_key key;
    struct dgram *hnext;           /* hash chain */
    struct dgram *lprev, *lnext;   /* age list, newest at head */
    uint64_t created;
    struct frag_piece *pieces;     /* sorted by offset */
    size_t nfrags;
    bool have_last, dead;
    uint32_t total;                /* payload length, once the last fragment is known */
    uint8_t *hdr;                  /* L2 + IPv4 header of the offset-0 fragment */
    size_t hdr_len, l3_off;
    size_t mem;                    /* bytes charged to the memcap for this datagram */
};

struct ipv4_defrag {
    struct ipv4_defrag_config cfg;
    uint64_t seed;
    struct dgram **buckets;
    size_t nbuckets;
    struct dgram *newest, *oldest;
    size_t count, mem;
    struct hs_buf out;
};

struct ipv4_defrag *ipv4_defrag_new(const struct ipv4_defrag_config *cfg, uint64_t hash_seed)
{
    struct ipv4_defrag *d = xcalloc(1, sizeof *d);
    d->cfg = *cfg;
    if (!d->cfg.max_datagrams)
        d->cfg.max_datagrams = 1;
    if (!d->cfg.max_frags)
        d->cfg.max_frags = 1;
    if (!d->cfg.memcap)
        d->cfg.memcap = 1;
    d->seed = hash_seed;
    d->nbuckets = stream_buckets_for(d->cfg.max_datagrams);
    d->buckets = xcalloc(d->nbuckets, sizeof *d->buckets);
    return d;
}

static size_t bucket_of(const struct ipv4_defrag *d, const struct defrag_key *k)
{
    uint64_t a = (uint64_t)k->src << 32 | k->dst;
    uint64_t b = (uint64_t)k->id << 8 | k->proto;
    return (size_t)(stream_hash2(d->seed, a, b) & (d->nbuckets - 1));
}

static bool key_eq(const struct defrag_key *a, const struct defrag_key *b)
{
    return a->src == b->src && a->dst == b->dst && a->id == b->id && a->proto == b->proto;
}

/* Free the fragments and header of g, keeping the entry itself. */
static void release_data(struct ipv4_defrag *d, struct dgram *g)
{
    struct frag_piece *p = g->pieces;
    while (p) {
        struct frag_piece *n = p->next;
        free(p);
        p = n;
    }
    g->pieces = NULL;
    free(g->hdr);
    g->hdr = NULL;
    g->hdr_len = 0;
    d->mem -= g->mem - sizeof *g;
    g->mem = sizeof *g;
}

static void remove_dgram(struct ipv4_defrag *d, struct dgram *g)
{
    release_data(d, g);
    struct dgram **pp = &d->buckets[bucket_of(d, &g->key)];
    while (*pp != g)
        pp = &(*pp)->hnext;
    *pp = g->hnext;
    if (g->lprev)
        g->lprev->lnext = g->lnext;
    else
        d->newest = g->lnext;
    if (g->lnext)
        g->lnext->lprev = g->lprev;
    else
        d->oldest = g->lprev;
    d->mem -= g->mem;
    d->count--;
    free(g);
}

void ipv4_defrag_free(struct ipv4_defrag *d)
{
    if (!d)
        return;
    while (d->oldest)
        remove_dgram(d, d->oldest);
    free(d->buckets);
    hs_buf_free(&d->out);
    free(d);
}

void ipv4_defrag_expire(struct ipv4_defrag *d, uint64_t now_ms, defrag_timeout_fn fn, void *ctx)
{
    while (d->oldest && now_ms >= d->oldest->created &&
           now_ms - d->oldest->created >= d->cfg.timeout_ms) {
        struct dgram *g = d->oldest;
        if (!g->dead && fn)
            fn(ctx, &g->key);
        remove_dgram(d, g);
    }
}

size_t ipv4_defrag_count(const struct ipv4_defrag *d) { return d->count; }
size_t ipv4_defrag_mem(const struct ipv4_defrag *d) { return d->mem; }

static struct dgram *lookup(struct ipv4_defrag *d, const struct defrag_key *k)
{
    for (struct dgram *g = d->buckets[bucket_of(d, k)]; g; g = g->hnext)
        if (key_eq(&g->key, k))
            return g;
    return NULL;
}

static struct dgram *create(struct ipv4_defrag *d, const struct defrag_key *k, uint64_t now)
{
    struct dgram *g = xcalloc(1, sizeof *g);
    g->key = *k;
    g->created = now;
    g->mem = sizeof *g;
    size_t b = bucket_of(d, k);
    g->hnext = d->buckets[b];
    d->buckets[b] = g;
    g->lnext = d->newest;
    if (d->newest)
        d->newest->lprev = g;
    d->newest = g;
    if (!d->oldest)
        d->oldest = g;
    d->count++;
    d->mem += g->mem;
    return g;
}

static struct frag_piece *new_piece(uint32_t off, const uint8_t *src, uint32_t len)
{
    struct frag_piece *p = xmalloc(sizeof *p + len);
    p->next = NULL;
    p->off = off;
    p->len = len;
    memcpy(p->data, src, len);
    return p;
}

struct walk {
    size_t new_bytes, new_pieces;
    bool overlap, conflict;
};

/* Compare [off, off+len) with the stored runs (overlap/conflict) and count the gaps; with commit,
 * store the gaps as new runs (first wins: stored bytes are never replaced). */
static void walk_pieces(struct dgram *g, uint32_t off, const uint8_t *data, uint32_t len,
                        bool commit, struct walk *w)
{
    memset(w, 0, sizeof *w);
    uint32_t end = off + len, cur = off;
    struct frag_piece **pp = &g->pieces;
    while (cur < end) {
        struct frag_piece *q = *pp;
        if (q && q->off + q->len <= cur) {
            pp = &q->next;
            continue;
        }
        uint32_t gap_end = (q && q->off < end) ? q->off : end;
        if (gap_end > cur) {
            w->new_bytes += gap_end - cur;
            w->new_pieces++;
            if (commit) {
                struct frag_piece *n = new_piece(cur, data + (cur - off), gap_end - cur);
                n->next = q;
                *pp = n;
                pp = &n->next;
            }
            cur = gap_end;
            continue;
        }
        /* q overlaps [cur, end) and starts at or before cur */
        uint32_t ov_end = q->off + q->len < end ? q->off + q->len : end;
        w->overlap = true;
        if (memcmp(q->data + (cur - q->off), data + (cur - off), ov_end - cur) != 0)
            w->conflict = true;
        cur = ov_end;
        pp = &q->next;
    }
}

/* Drop the datagram's data and mark it so its remaining fragments are dropped until timeout. */
static enum defrag_status kill(struct ipv4_defrag *d, struct dgram *g, enum ips_event_type ev,
                               struct defrag_out *out)
{
    release_data(d, g);
    g->dead = true;
    out->ev = ev;
    out->report = true;
    return DEFRAG_DROP;
}

static bool complete(const struct dgram *g)
{
    if (!g->have_last || !g->hdr)
        return false;
    uint32_t cur = 0;
    for (const struct frag_piece *p = g->pieces; p; p = p->next) {
        if (p->off != cur)
            return false;
        cur += p->len;
    }
    return cur == g->total;
}

static void build(struct ipv4_defrag *d, const struct dgram *g, struct defrag_out *out)
{
    hs_buf_clear(&d->out);
    hs_buf_put(&d->out, g->hdr, g->hdr_len);
    for (const struct frag_piece *p = g->pieces; p; p = p->next)
        hs_buf_put(&d->out, p->data, p->len);
    uint8_t *ip = d->out.data + g->l3_off; /* after the puts: they may move the buffer */
    size_t hlen = g->hdr_len - g->l3_off;
    hs_st16(ip + 2, (uint16_t)(hlen + g->total));
    hs_st16(ip + 6, (uint16_t)(hs_be16(ip + 6) & 0x4000)); /* keep DF, clear MF and offset */
    hs_st16(ip + 10, 0);
    hs_st16(ip + 10, pkt_csum_fold(pkt_csum_add(0, ip, hlen)));
    out->frame = d->out.data;
    out->frame_len = d->out.len;
}

enum defrag_status ipv4_defrag_add(struct ipv4_defrag *d, const struct pkt *p, uint64_t now_ms,
                                   struct defrag_out *out, defrag_timeout_fn fn, void *ctx)
{
    memset(out, 0, sizeof *out);
    ipv4_defrag_expire(d, now_ms, fn, ctx);

    struct defrag_key k = {.src = p->src, .dst = p->dst, .id = p->ip_id, .proto = p->proto};
    uint32_t off = p->frag_off, len = (uint32_t)p->l4_len, end = off + len;
    struct dgram *g = lookup(d, &k);

    enum ips_event_type bad = IPS_EV_NONE;
    if (p->mf && (len == 0 || len % 8 != 0))
        bad = IPS_EV_FRAG_BAD_LENGTH;
    else if ((size_t)end + p->ip_hlen > 65535)
        bad = IPS_EV_FRAG_TOO_BIG;
    if (bad != IPS_EV_NONE) {
        if (g && !g->dead)
            return kill(d, g, bad, out);
        out->ev = bad;
        out->report = !g;
        return DEFRAG_DROP;
    }

    if (!g) {
        if (d->count >= d->cfg.max_datagrams) {
            out->ev = IPS_EV_FRAG_TABLE_FULL;
            out->report = true;
            return DEFRAG_DROP;
        }
        if (d->mem + sizeof *g > d->cfg.memcap) {
            out->ev = IPS_EV_FRAG_MEMCAP;
            out->report = true;
            return DEFRAG_DROP;
        }
        g = create(d, &k, now_ms);
    }
    if (g->dead) {
        out->ev = IPS_EV_FRAG_DATAGRAM_DROPPED;
        return DEFRAG_DROP;
    }

    if (!p->mf) {
        uint32_t max_end = 0;
        for (const struct frag_piece *q = g->pieces; q; q = q->next)
            max_end = q->off + q->len;
        if ((g->have_last && end != g->total) || max_end > end)
            return kill(d, g, IPS_EV_FRAG_BAD_END, out);
    } else if (g->have_last && end > g->total) {
        return kill(d, g, IPS_EV_FRAG_BAD_END, out);
    }
    if (g->nfrags + 1 > d->cfg.max_frags)
        return kill(d, g, IPS_EV_FRAG_TOO_MANY, out);

    struct walk w;
    walk_pieces(g, off, p->l4, len, false, &w);
    if (w.conflict)
        return kill(d, g, IPS_EV_FRAG_OVERLAP_CONFLICT, out);
    bool need_hdr = off == 0 && !g->hdr;
    size_t hdr_len = p->l3_off + p->ip_hlen;
    size_t add = w.new_bytes + w.new_pieces * sizeof(struct frag_piece) + (need_hdr ? hdr_len : 0);
    if (add > d->cfg.memcap - d->mem)
        return kill(d, g, IPS_EV_FRAG_MEMCAP, out);

    walk_pieces(g, off, p->l4, len, true, &w);
    if (need_hdr) {
        g->hdr = xmalloc(hdr_len);
        memcpy(g->hdr, p->frame, hdr_len);
        g->hdr_len = hdr_len;
        g->l3_off = p->l3_off;
    }
    g->mem += add;
    d->mem += add;
    g->nfrags++;
    if (!p->mf) {
        g->have_last = true;
        g->total = end;
    }
    if (w.overlap) {
        out->ev = IPS_EV_FRAG_OVERLAP;
        out->report = true;
    }
    if (!complete(g))
        return DEFRAG_HELD;
    if ((size_t)g->total + (g->hdr_len - g->l3_off) > 65535)
        return kill(d, g, IPS_EV_FRAG_TOO_BIG, out);
    build(d, g, out);
    remove_dgram(d, g);
    return DEFRAG_DONE;
}
