/* match.c - the per-transaction engine: prefilter candidates, then full evaluation of each
 * candidate (header, flow, every buffer list with relative-chain backtracking). */
#include "common/util.h"
#include "ips/rules/ruleset.h"
#include "ips/rules/scratch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INSPECT_STEPS 100000u   /* matcher calls per rule before giving up */
#define PCRE_MATCH_LIMIT 100000u
#define PCRE_DEPTH_LIMIT 10000u

void ips_txn_init(struct ips_txn *t)
{
    memset(t, 0, sizeof *t);
}

void ips_txn_set(struct ips_txn *t, enum ips_buf_id id, const void *data, size_t len)
{
    if ((unsigned)id >= IPS_BUF_COUNT)
        return;
    t->buf[id].data = data;
    t->buf[id].len = data ? len : 0;
}

void ips_txn_set_str(struct ips_txn *t, enum ips_buf_id id, const char *s)
{
    ips_txn_set(t, id, s, strlen(s));
}

const struct ips_bufref *ips_txn_buf(const struct ips_txn *t, enum ips_buf_id id)
{
    if (id == IPS_BUF_HTTP_HEADER && t->dir == IPS_DIR_TO_CLIENT)
        return &t->buf[IPS_BUF_HTTP_RESPONSE_HEADER];
    return &t->buf[id];
}

static void *must(void *p, const char *what)
{
    if (!p) {
        fprintf(stderr, "honeyshift: out of memory (%s)\n", what);
        abort();
    }
    return p;
}

struct ips_scratch *ips_scratch_new(void)
{
    struct ips_scratch *s = xcalloc(1, sizeof *s);
    s->md = must(pcre2_match_data_create(1, NULL), "pcre2 match data");
    s->mctx = must(pcre2_match_context_create(NULL), "pcre2 match context");
    pcre2_set_match_limit(s->mctx, PCRE_MATCH_LIMIT);
    pcre2_set_depth_limit(s->mctx, PCRE_DEPTH_LIMIT);
    return s;
}

void ips_scratch_free(struct ips_scratch *s)
{
    if (!s)
        return;
    hs_free_scratch(s->hs);
    free(s->seen);
    free(s->cand);
    for (size_t i = 0; i < HS_ARRAY_SIZE(s->xbuf); i++)
        free(s->xbuf[i]);
    pcre2_match_data_free(s->md);
    pcre2_match_context_free(s->mctx);
    free(s);
}

static bool prepare(const struct ips_ruleset *rs, struct ips_scratch *s)
{
    if (s->gen == rs->gen)
        return true;
    free(s->seen);
    free(s->cand);
    s->seen = xcalloc(rs->n ? rs->n : 1, 1);
    s->cand = xcalloc(rs->n ? rs->n : 1, sizeof *s->cand);
    s->cap = rs->n;
    s->ncand = 0;
    s->gen = 0;
    if (!ips_prefilter_prepare(rs->pf, s))
        return false;
    s->gen = rs->gen;
    return true;
}

static void add_cand(uint32_t idx, void *ud)
{
    struct ips_scratch *s = ud;
    if (idx >= s->cap || s->seen[idx])
        return;
    s->seen[idx] = 1;
    s->cand[s->ncand++] = idx;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Match items i.. of list l from the state in x; retries earlier matches when a later relative
 * item fails (x->prev_end is restored on return). */
static bool inspect(const struct ips_smlist *l, size_t i, struct ips_sm_ctx *x, bool *limit)
{
    if (i == l->n)
        return true;
    const struct ips_sm *sm = &l->v[i];
    struct ips_sm_iter it = {0, false};
    size_t end, saved = x->prev_end;
    while (sm->ops->next(sm, x, &it, &end)) {
        if (x->scratch->steps == 0) {
            *limit = true;
            return false;
        }
        x->scratch->steps--;
        x->prev_end = end;
        bool ok = inspect(l, i + 1, x, limit);
        x->prev_end = saved;
        if (ok)
            return true;
        if (!sm->backtrack || *limit)
            return false;
    }
    return false;
}

static bool rule_match(const struct ips_rule *r, const struct ips_txn *t, struct ips_scratch *s,
                       bool *limit)
{
    if (!ips_rule_header_match(r, t))
        return false;
    s->steps = INSPECT_STEPS;
    for (int b = 0; b < IPS_BUF_COUNT; b++) {
        const struct ips_smlist *l = &r->lists[b];
        if (!l->n)
            continue;
        const struct ips_bufref *br = ips_txn_buf(t, (enum ips_buf_id)b);
        if (!br->data)
            return false;
        struct ips_sm_ctx x = {br->data, br->len, 0, s};
        if (!inspect(l, 0, &x, limit))
            return false;
    }
    return true;
}

int ips_match(const struct ips_ruleset *rs, struct ips_scratch *scratch, const struct ips_txn *txn_in,
              ips_match_cb cb, void *ud, struct ips_match_stats *stats)
{
    struct ips_match_stats st = {0, 0, 0, 0, 0};
    struct ips_scratch *s = scratch ? scratch : ips_scratch_new();
    int ret = -1;
    if (!prepare(rs, s))
        goto out;
    /* derived buffers (url_decode) only when some rule reads one: a copy of the transaction */
    struct ips_txn local;
    const struct ips_txn *txn = txn_in;
    if (rs->derived) {
        local = *txn_in;
        ips_transform_fill(&local, s, rs->derived);
        txn = &local;
    }
    s->ncand = 0;
    s->pcre_errors = 0;
    size_t na;
    const uint32_t *always = ips_prefilter_always_dir(rs->pf, txn->dir, &na);
    for (size_t i = 0; i < na; i++)
        add_cand(always[i], s);
    bool scanned = ips_prefilter_scan(rs->pf, s, txn, add_cand, s);
    if (scanned) {
        if (s->ncand > 1)
            qsort(s->cand, s->ncand, sizeof *s->cand, cmp_u32);
        st.candidates = (uint32_t)s->ncand;
        ret = 0;
        for (size_t i = 0; i < s->ncand; i++) {
            const struct ips_rule *r = rs->rules[s->cand[i]];
            bool limit = false;
            st.evaluated++;
            bool m = rule_match(r, txn, s, &limit);
            if (limit)
                st.inspect_limit++;
            if (!m)
                continue;
            st.matched++;
            ret++;
            if ((cb && !cb(r, ud)) || r->action == IPS_ACT_PASS)
                break;
        }
    }
    for (size_t i = 0; i < s->ncand; i++)
        s->seen[s->cand[i]] = 0;
    s->ncand = 0;
    st.pcre_errors = s->pcre_errors;
out:
    if (!scratch)
        ips_scratch_free(s);
    if (stats)
        *stats = st;
    return ret;
}
