/* strategy.c - cloning strategies, the proactive heuristic and shrinking decisions (pure). */
#include "sandnet/strategy.h"

#include <string.h>

static const char *const names[] = {"active", "reactive", "proactive"};

struct sn_heuristic sn_heuristic_default(void)
{
    struct sn_heuristic h = {0.1, 0.6, 0.3, 0.6, 1};
    return h;
}

bool sn_strategy_parse(const char *s, enum sn_strategy *out)
{
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (s && !strcmp(s, names[i])) {
            *out = (enum sn_strategy)i;
            return true;
        }
    return false;
}

const char *sn_strategy_name(enum sn_strategy s)
{
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

static uint64_t node_bytes(const struct sn_traffic *t, size_t i)
{
    uint64_t b = 0;
    for (size_t j = 0; j < t->n; j++)
        b += t->bytes[i][j] + t->bytes[j][i];
    return b;
}

static uint64_t node_dur(const struct sn_traffic *t, size_t i)
{
    uint64_t d = 0;
    for (size_t j = 0; j < t->n; j++) {
        if (t->dur_ms[i][j] > d)
            d = t->dur_ms[i][j];
        if (t->dur_ms[j][i] > d)
            d = t->dur_ms[j][i];
    }
    return d;
}

static double norm(uint64_t v, uint64_t max)
{
    return max ? (double)v / (double)max : 0.0;
}

double sn_proactive_score(const struct sn_traffic *t, const struct sn_heuristic *h, size_t i)
{
    if (i >= t->n || t->n > SN_STRAT_MAX_NODES)
        return 0.0;
    uint64_t ms = 0, mb = 0, md = 0;
    for (size_t j = 0; j < t->n; j++) {
        uint64_t s = t->size_bytes[j], b = node_bytes(t, j), d = node_dur(t, j);
        ms = s > ms ? s : ms;
        mb = b > mb ? b : mb;
        md = d > md ? d : md;
    }
    return h->w_size * norm(t->size_bytes[i], ms) + h->w_bytes * norm(node_bytes(t, i), mb)
        + h->w_dur * norm(node_dur(t, i), md);
}

size_t sn_knn(const struct sn_traffic *t, size_t i, unsigned k, const bool *excluded, size_t out[])
{
    size_t n = 0;
    bool taken[SN_STRAT_MAX_NODES] = {0};
    if (i >= t->n || t->n > SN_STRAT_MAX_NODES)
        return 0;
    while (n < k) {
        size_t best = SIZE_MAX;
        uint64_t best_b = 0;
        for (size_t j = 0; j < t->n; j++) {
            uint64_t b = t->bytes[i][j] + t->bytes[j][i];
            if (j == i || taken[j] || (excluded && excluded[j]) || b == 0)
                continue;
            if (best == SIZE_MAX || b > best_b) {
                best = j;
                best_b = b;
            }
        }
        if (best == SIZE_MAX)
            break;
        taken[best] = true;
        out[n++] = best;
    }
    return n;
}

size_t sn_strategy_initial(enum sn_strategy s, const struct sn_traffic *t,
                           const struct sn_heuristic *h, size_t sc, bool sel[])
{
    size_t n = t->n <= SN_STRAT_MAX_NODES ? t->n : 0;
    for (size_t i = 0; i < n; i++)
        sel[i] = false;
    if (sc >= n)
        return 0;
    for (size_t j = 0; j < n; j++) {
        if (j == sc)
            continue;
        if (s == SN_STRAT_ACTIVE || t->bytes[sc][j] || t->bytes[j][sc])
            sel[j] = true;
    }
    if (s == SN_STRAT_PROACTIVE) {
        bool hot[SN_STRAT_MAX_NODES] = {0};
        for (size_t i = 0; i < n; i++)
            hot[i] = i != sc && sn_proactive_score(t, h, i) >= h->threshold;
        bool excl[SN_STRAT_MAX_NODES] = {0};
        excl[sc] = true;
        for (size_t i = 0; i < n; i++) {
            if (!hot[i] && !sel[i])
                continue;   /* neighbours of the hot nodes and of the SC's peers */
            sel[i] = sel[i] || hot[i];
            size_t nb[SN_STRAT_MAX_NODES];
            size_t m = sn_knn(t, i, h->k, excl, nb);
            for (size_t q = 0; q < m; q++)
                sel[nb[q]] = true;
        }
    }
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += sel[i];
    return c;
}

enum sn_shrink_action sn_shrink_decide(const struct sn_shrink_state *s, uint64_t now_ms,
                                       uint64_t sleep_after_ms, uint64_t remove_after_ms)
{
    uint64_t idle = now_ms > s->last_touch_ms ? now_ms - s->last_touch_ms : 0;
    if (s->frozen) {
        if (s->last_touch_ms > s->frozen_since_ms)
            return SN_SHRINK_THAW;
        uint64_t asleep = now_ms > s->frozen_since_ms ? now_ms - s->frozen_since_ms : 0;
        return asleep >= remove_after_ms ? SN_SHRINK_REMOVE : SN_SHRINK_KEEP;
    }
    return idle >= sleep_after_ms ? SN_SHRINK_FREEZE : SN_SHRINK_KEEP;
}
