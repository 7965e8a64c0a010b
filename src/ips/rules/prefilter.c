/* prefilter.c - Hyperscan databases, per buffer kind: the literal fast patterns
 * (hs_compile_lit_multi) and, for rules without a content, their pcre compiled in Hyperscan's
 * prefilter mode (HS_FLAG_PREFILTER: matches at least every input the regex matches). */
#include "ips/rules/prefilter.h"

#include "common/util.h"
#include "ips/rules/scratch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The databases for one transaction direction, built from the rules that can match in it. */
struct pf_dir {
    hs_database_t *db[IPS_BUF_COUNT];
    /* regex prefilters: one database of the distinct regexes (the same detection is often
     * written for several buffers); re_rules[id] lists the rules of regex id */
    hs_database_t *rdb;
    struct re_rules {
        uint32_t *rule;
        enum ips_buf_id *buf;           /* buffer each rule inspects */
        size_t n;
    } *re_rules;
    size_t nre, nregex;
    bool re_buf[IPS_BUF_COUNT];         /* some regex rule inspects this buffer */
    uint32_t *always;                   /* rules without a pattern */
    size_t nalways;
};

struct ips_prefilter {
    struct pf_dir dir[2];               /* by enum ips_dir */
    uint32_t *always;                   /* always-candidates of either direction */
    size_t nalways, nregex;
};

/* Can the rule match a transaction in direction d? (flow:to_server / to_client) */
static bool rule_in_dir(const struct ips_rule *r, int d)
{
    if (r->flow & IPS_FLOW_TO_SERVER)
        return d == IPS_DIR_TO_SERVER;
    if (r->flow & IPS_FLOW_TO_CLIENT)
        return d == IPS_DIR_TO_CLIENT;
    return true;
}

static void dir_free(struct pf_dir *pf)
{
    for (int b = 0; b < IPS_BUF_COUNT; b++)
        hs_free_database(pf->db[b]);
    hs_free_database(pf->rdb);
    for (size_t i = 0; i < pf->nre; i++) {
        free(pf->re_rules[i].rule);
        free(pf->re_rules[i].buf);
    }
    free(pf->re_rules);
    free(pf->always);
}

void ips_prefilter_free(struct ips_prefilter *pf)
{
    if (!pf)
        return;
    dir_free(&pf->dir[0]);
    dir_free(&pf->dir[1]);
    free(pf->always);
    free(pf);
}

static bool compile_buf(struct pf_dir *pf, struct ips_rule *const *rules, size_t n,
                        const bool *in, enum ips_buf_id buf, char *err, size_t errlen)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (in[i] && rules[i]->fp_pat && rules[i]->fp_buf == buf)
            k++;
    if (k == 0)
        return true;
    const char **exprs = xcalloc(k, sizeof *exprs);
    unsigned *flags = xcalloc(k, sizeof *flags);
    unsigned *ids = xcalloc(k, sizeof *ids);
    size_t *lens = xcalloc(k, sizeof *lens);
    k = 0;
    for (size_t i = 0; i < n; i++) {
        const struct ips_rule *r = rules[i];
        if (!in[i] || !r->fp_pat || r->fp_buf != buf)
            continue;
        exprs[k] = (const char *)r->fp_pat;
        lens[k] = r->fp_len;
        flags[k] = HS_FLAG_SINGLEMATCH | (r->fp_nocase ? HS_FLAG_CASELESS : 0);
        ids[k] = (unsigned)i;
        k++;
    }
    hs_compile_error_t *cerr = NULL;
    hs_error_t rc = hs_compile_lit_multi(exprs, flags, ids, lens, (unsigned)k, HS_MODE_BLOCK, NULL,
                                         &pf->db[buf], &cerr);
    free(exprs);
    free(flags);
    free(ids);
    free(lens);
    if (rc != HS_SUCCESS) {
        snprintf(err, errlen, "prefilter: Hyperscan compile failed for %s: %s", ips_buf_name(buf),
                 cerr && cerr->message ? cerr->message : "unknown error");
        hs_free_compile_error(cerr);
        return false;
    }
    return true;
}

/* Hyperscan flags of a rule's regex prefilter. */
static unsigned re_flags(const struct ips_rule *r)
{
    unsigned f = HS_FLAG_PREFILTER | HS_FLAG_SINGLEMATCH | HS_FLAG_ALLOWEMPTY;
    if (r->fp_re_opts & PCRE2_CASELESS)
        f |= HS_FLAG_CASELESS;
    if (r->fp_re_opts & PCRE2_DOTALL)
        f |= HS_FLAG_DOTALL;
    if (r->fp_re_opts & PCRE2_MULTILINE)
        f |= HS_FLAG_MULTILINE;
    return f;
}

/* The regex text given to Hyperscan ("(?x)" in front for the extended flag); caller frees. */
static char *re_text(const struct ips_rule *r)
{
    size_t n = strlen(r->fp_re);
    bool ext = (r->fp_re_opts & PCRE2_EXTENDED) != 0;
    char *t = xmalloc(n + 5);
    memcpy(t, ext ? "(?x)" : "", ext ? 4 : 0);
    memcpy(t + (ext ? 4 : 0), r->fp_re, n + 1);
    return t;
}

/* Can Hyperscan compile the rule's regex as a prefilter? (Some PCRE constructs it cannot
 * approximate; such rules stay always-candidates.) */
static bool re_ok(const struct ips_rule *r)
{
    char *t = re_text(r);
    hs_database_t *db = NULL;
    hs_compile_error_t *cerr = NULL;
    bool ok = hs_compile(t, re_flags(r), HS_MODE_BLOCK, NULL, &db, &cerr) == HS_SUCCESS;
    hs_free_database(db);
    hs_free_compile_error(cerr);
    free(t);
    return ok;
}

/* One database of the distinct regexes of the rules marked in use_re. */
static bool compile_re(struct pf_dir *pf, struct ips_rule *const *rules, size_t n,
                       const bool *use_re, char *err, size_t errlen)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += use_re[i];
    if (k == 0)
        return true;
    char **exprs = xcalloc(k, sizeof *exprs);
    unsigned *flags = xcalloc(k, sizeof *flags);
    unsigned *ids = xcalloc(k, sizeof *ids);
    pf->re_rules = xcalloc(k, sizeof *pf->re_rules);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (!use_re[i])
            continue;
        char *t = re_text(rules[i]);
        unsigned f = re_flags(rules[i]);
        size_t j;
        for (j = 0; j < m; j++)
            if (flags[j] == f && strcmp(exprs[j], t) == 0)
                break;
        if (j == m) {
            exprs[m] = t;
            flags[m] = f;
            ids[m] = (unsigned)m;
            m++;
        } else {
            free(t);
        }
        struct re_rules *rr = &pf->re_rules[j];
        rr->rule = xreallocarray(rr->rule, rr->n + 1, sizeof *rr->rule);
        rr->buf = xreallocarray(rr->buf, rr->n + 1, sizeof *rr->buf);
        rr->rule[rr->n] = (uint32_t)i;
        rr->buf[rr->n++] = rules[i]->fp_buf;
        pf->re_buf[rules[i]->fp_buf] = true;
    }
    pf->nre = m;
    pf->nregex = k;
    hs_compile_error_t *cerr = NULL;
    hs_error_t rc = hs_compile_multi((const char *const *)exprs, flags, ids, (unsigned)m,
                                     HS_MODE_BLOCK, NULL, &pf->rdb, &cerr);
    for (size_t i = 0; i < m; i++)
        free(exprs[i]);
    free(exprs);
    free(flags);
    free(ids);
    if (rc != HS_SUCCESS) {
        snprintf(err, errlen, "prefilter: Hyperscan regex compile failed: %s",
                 cerr && cerr->message ? cerr->message : "unknown error");
        hs_free_compile_error(cerr);
        return false;
    }
    return true;
}

/* Build the databases of direction d from the rules that can match in it (in[i]); the
 * regex-capable rules are re_ok[i] (decided once for both directions). */
static bool dir_build(struct pf_dir *pf, struct ips_rule *const *rules, size_t n, const bool *in,
                      const bool *re_ok_v, char *err, size_t errlen)
{
    pf->always = xcalloc(n ? n : 1, sizeof *pf->always);
    bool *use_re = xcalloc(n ? n : 1, sizeof *use_re);
    for (size_t i = 0; i < n; i++)
        use_re[i] = in[i] && re_ok_v[i];
    bool ok = compile_re(pf, rules, n, use_re, err, errlen);
    for (size_t i = 0; ok && i < n; i++)
        if (in[i] && !rules[i]->fp_pat && !use_re[i])
            pf->always[pf->nalways++] = (uint32_t)i;
    free(use_re);
    for (int b = 0; ok && b < IPS_BUF_COUNT; b++)
        ok = compile_buf(pf, rules, n, in, (enum ips_buf_id)b, err, errlen);
    return ok;
}

struct ips_prefilter *ips_prefilter_build(struct ips_rule *const *rules, size_t n, char *err,
                                          size_t errlen)
{
    if (n > UINT32_MAX) {
        snprintf(err, errlen, "prefilter: too many rules");
        return NULL;
    }
    if (hs_valid_platform() != HS_SUCCESS) {
        snprintf(err, errlen, "prefilter: this CPU is not supported by Hyperscan (needs SSSE3)");
        return NULL;
    }
    struct ips_prefilter *pf = xcalloc(1, sizeof *pf);
    bool *re_ok_v = xcalloc(n ? n : 1, sizeof *re_ok_v);
    bool *in = xcalloc(n ? n : 1, sizeof *in);
    bool ok = true;
    for (size_t i = 0; i < n; i++)
        re_ok_v[i] = !rules[i]->fp_pat && rules[i]->fp_re;
    for (int attempt = 0; attempt < 2; attempt++) {
        ok = true;
        for (int d = 0; ok && d < 2; d++) {
            for (size_t i = 0; i < n; i++)
                in[i] = rule_in_dir(rules[i], d);
            ok = dir_build(&pf->dir[d], rules, n, in, re_ok_v, err, errlen);
        }
        if (ok)
            break;
        /* a regex Hyperscan cannot approximate: keep the regexes it accepts alone (the
         * others stay always-candidates) and build again */
        dir_free(&pf->dir[0]);
        dir_free(&pf->dir[1]);
        memset(pf->dir, 0, sizeof pf->dir);
        for (size_t i = 0; i < n; i++)
            re_ok_v[i] = re_ok_v[i] && re_ok(rules[i]);
    }
    pf->always = xcalloc(n ? n : 1, sizeof *pf->always);
    for (size_t i = 0; ok && i < n; i++) {
        if (!rules[i]->fp_pat && !re_ok_v[i])
            pf->always[pf->nalways++] = (uint32_t)i;
        else if (!rules[i]->fp_pat)
            pf->nregex++;
    }
    free(re_ok_v);
    free(in);
    if (!ok) {
        ips_prefilter_free(pf);
        return NULL;
    }
    return pf;
}

bool ips_prefilter_prepare(const struct ips_prefilter *pf, struct ips_scratch *s)
{
    for (int d = 0; d < 2; d++) {
        const struct pf_dir *p = &pf->dir[d];
        for (int b = 0; b < IPS_BUF_COUNT; b++)
            if (p->db[b] && hs_alloc_scratch(p->db[b], &s->hs) != HS_SUCCESS)
                return false;
        if (p->rdb && hs_alloc_scratch(p->rdb, &s->hs) != HS_SUCCESS)
            return false;
    }
    return true;
}

struct scan_ctx {
    void (*add)(uint32_t idx, void *ud);
    void *ud;
    const struct pf_dir *pf;
    enum ips_buf_id buf;
};

static int on_match(unsigned int id, unsigned long long from, unsigned long long to,
                    unsigned int flags, void *ctx)
{
    (void)from;
    (void)to;
    (void)flags;
    struct scan_ctx *c = ctx;
    c->add(id, c->ud);
    return 0;
}

/* A regex matched in buffer c->buf: its rules that inspect that buffer become candidates. */
static int on_re_match(unsigned int id, unsigned long long from, unsigned long long to,
                       unsigned int flags, void *ctx)
{
    (void)from;
    (void)to;
    (void)flags;
    struct scan_ctx *c = ctx;
    if (id >= c->pf->nre)
        return 0;
    const struct re_rules *rr = &c->pf->re_rules[id];
    for (size_t i = 0; i < rr->n; i++)
        if (rr->buf[i] == c->buf)
            c->add(rr->rule[i], c->ud);
    return 0;
}

bool ips_prefilter_scan(const struct ips_prefilter *pf_all, struct ips_scratch *s,
                        const struct ips_txn *t, void (*add)(uint32_t idx, void *ud), void *ud)
{
    const struct pf_dir *pf = &pf_all->dir[t->dir == IPS_DIR_TO_CLIENT ? 1 : 0];
    struct scan_ctx c = {add, ud, pf, IPS_BUF_PKT};
    for (int b = 0; b < IPS_BUF_COUNT; b++) {
        if (!pf->db[b] && !pf->re_buf[b])
            continue;
        const struct ips_bufref *r = ips_txn_buf(t, (enum ips_buf_id)b);
        if (!r->data)
            continue;
        if (r->len > UINT32_MAX)
            return false;
        /* an empty buffer holds no literal, but a regex may match it */
        if (pf->db[b] && r->len &&
            hs_scan(pf->db[b], (const char *)r->data, (unsigned)r->len, 0, s->hs, on_match, &c) !=
                HS_SUCCESS)
            return false;
        c.buf = (enum ips_buf_id)b;
        if (pf->re_buf[b] &&
            hs_scan(pf->rdb, r->len ? (const char *)r->data : "", (unsigned)r->len, 0, s->hs,
                    on_re_match, &c) != HS_SUCCESS)
            return false;
    }
    return true;
}

size_t ips_prefilter_regex_count(const struct ips_prefilter *pf) { return pf->nregex; }

const uint32_t *ips_prefilter_always(const struct ips_prefilter *pf, size_t *n)
{
    *n = pf->nalways;
    return pf->always;
}

const uint32_t *ips_prefilter_always_dir(const struct ips_prefilter *pf, enum ips_dir d, size_t *n)
{
    const struct pf_dir *p = &pf->dir[d == IPS_DIR_TO_CLIENT ? 1 : 0];
    *n = p->nalways;
    return p->always;
}
