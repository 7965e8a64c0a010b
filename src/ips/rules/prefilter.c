/* prefilter.c - Hyperscan literal databases (hs_compile_lit_multi), one per buffer kind. */
#include "ips/rules/prefilter.h"

#include "common/util.h"
#include "ips/rules/scratch.h"

#include <stdio.h>
#include <stdlib.h>

struct ips_prefilter {
    hs_database_t *db[IPS_BUF_COUNT];
    uint32_t *always;
    size_t nalways;
};

void ips_prefilter_free(struct ips_prefilter *pf)
{
    if (!pf)
        return;
    for (int b = 0; b < IPS_BUF_COUNT; b++)
        hs_free_database(pf->db[b]);
    free(pf->always);
    free(pf);
}

static bool compile_buf(struct ips_prefilter *pf, struct ips_rule *const *rules, size_t n,
                        enum ips_buf_id buf, char *err, size_t errlen)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (rules[i]->fp_pat && rules[i]->fp_buf == buf)
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
        if (!r->fp_pat || r->fp_buf != buf)
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
    pf->always = xcalloc(n ? n : 1, sizeof *pf->always);
    for (size_t i = 0; i < n; i++)
        if (!rules[i]->fp_pat)
            pf->always[pf->nalways++] = (uint32_t)i;
    for (int b = 0; b < IPS_BUF_COUNT; b++) {
        if (!compile_buf(pf, rules, n, (enum ips_buf_id)b, err, errlen)) {
            ips_prefilter_free(pf);
            return NULL;
        }
    }
    return pf;
}

bool ips_prefilter_prepare(const struct ips_prefilter *pf, struct ips_scratch *s)
{
    for (int b = 0; b < IPS_BUF_COUNT; b++)
        if (pf->db[b] && hs_alloc_scratch(pf->db[b], &s->hs) != HS_SUCCESS)
            return false;
    return true;
}

struct scan_ctx {
    void (*add)(uint32_t idx, void *ud);
    void *ud;
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

bool ips_prefilter_scan(const struct ips_prefilter *pf, struct ips_scratch *s,
                        const struct ips_txn *t, void (*add)(uint32_t idx, void *ud), void *ud)
{
    struct scan_ctx c = {add, ud};
    for (int b = 0; b < IPS_BUF_COUNT; b++) {
        if (!pf->db[b])
            continue;
        const struct ips_bufref *r = ips_txn_buf(t, (enum ips_buf_id)b);
        if (!r->data || r->len == 0)
            continue;
        if (r->len > UINT32_MAX)
            return false;
        if (hs_scan(pf->db[b], (const char *)r->data, (unsigned)r->len, 0, s->hs, on_match, &c) !=
            HS_SUCCESS)
            return false;
    }
    return true;
}

const uint32_t *ips_prefilter_always(const struct ips_prefilter *pf, size_t *n)
{
    *n = pf->nalways;
    return pf->always;
}
