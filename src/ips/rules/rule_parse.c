/* rule_parse.c - one rule from text: header, options through the keyword table, then the
 * checks that need the whole rule and the choice of the prefilter (fast) pattern. */
#include "common/util.h"
#include "ips/rules/rule.h"
#include "ips/rules/rule_header.h"
#include "ips/rules/rule_lexer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OPTIONS 512

struct ips_sm *ips_rule_add_sm(struct ips_rule_build *b, enum ips_buf_id buf,
                               const struct ips_sm_ops *ops, void *data)
{
    struct ips_smlist *l = &b->rule->lists[buf];
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 4;
        l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
    }
    struct ips_sm *sm = &l->v[l->n++];
    memset(sm, 0, sizeof *sm);
    sm->ops = ops;
    sm->data = data;
    if (buf != IPS_BUF_PKT)
        b->rule->uses_http = true;
    return sm;
}

size_t ips_rule_consuming_count(const struct ips_rule_build *b, enum ips_buf_id buf)
{
    const struct ips_smlist *l = &b->rule->lists[buf];
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].ops->consuming)
            n++;
    return n;
}

void ips_rule_free(struct ips_rule *r)
{
    if (!r)
        return;
    ips_set_free(r->src);
    ips_set_free(r->dst);
    ips_set_free(r->sport);
    ips_set_free(r->dport);
    free(r->msg);
    for (size_t i = 0; i < r->nrefs; i++)
        free(r->refs[i]);
    free(r->refs);
    for (size_t i = 0; i < r->nmeta; i++)
        free(r->meta[i]);
    free(r->meta);
    for (int b = 0; b < IPS_BUF_COUNT; b++) {
        struct ips_smlist *l = &r->lists[b];
        for (size_t i = 0; i < l->n; i++)
            if (l->v[i].ops->free)
                l->v[i].ops->free(l->v[i].data);
        free(l->v);
    }
    free(r->file);
    free(r);
}

/* Relative matchers need an earlier match in their list; mark where backtracking helps. */
static bool check_lists(struct ips_rule *r, char *err, size_t errlen)
{
    for (int b = 0; b < IPS_BUF_COUNT; b++) {
        struct ips_smlist *l = &r->lists[b];
        bool consumed = false;
        for (size_t i = 0; i < l->n; i++) {
            if (l->v[i].relative && !consumed) {
                snprintf(err, errlen, "'%s' needs a preceding content or pcre in buffer %s",
                         l->v[i].rel_kw ? l->v[i].rel_kw : l->v[i].ops->name,
                         ips_buf_name((enum ips_buf_id)b));
                return false;
            }
            if (l->v[i].ops->consuming)
                consumed = true;
        }
        bool later_rel = false;
        for (size_t i = l->n; i-- > 0;) {
            l->v[i].backtrack = later_rel;
            if (l->v[i].relative)
                later_rel = true;
        }
    }
    return true;
}

/* Prefilter pattern: the content marked fast_pattern, else the longest positive content. */
static bool choose_fast_pattern(struct ips_rule *r, char *err, size_t errlen)
{
    const struct ips_content *best = NULL, *marked = NULL;
    for (int b = 0; b < IPS_BUF_COUNT; b++) {
        const struct ips_smlist *l = &r->lists[b];
        for (size_t i = 0; i < l->n; i++) {
            if (l->v[i].ops != &ips_content_ops)
                continue;
            const struct ips_content *c = l->v[i].data;
            if (c->fast_pattern) {
                if (marked) {
                    snprintf(err, errlen, "fast_pattern is set on more than one content");
                    return false;
                }
                marked = c;
            }
            if (!c->negated && (!best || c->len > best->len))
                best = c;
        }
    }
    if (marked)
        best = marked;
    if (!best) {
        /* no content: the first pcre that must match becomes a regex prefilter */
        for (int b = 0; b < IPS_BUF_COUNT; b++) {
            const struct ips_smlist *l = &r->lists[b];
            for (size_t i = 0; i < l->n; i++) {
                if (ips_pcre_prefilter_info(&l->v[i], &r->fp_re, &r->fp_re_opts)) {
                    r->fp_buf = (enum ips_buf_id)b;
                    return true;
                }
            }
        }
        return true;
    }
    r->fp_buf = best->buf;
    r->fp_nocase = best->nocase;
    if (best->fp_chop) {
        r->fp_pat = best->pat + best->fp_off;
        r->fp_len = best->fp_len;
    } else {
        r->fp_pat = best->pat;
        r->fp_len = best->len;
    }
    return true;
}

static bool finish(struct ips_rule *r, const struct ips_rule_build *b, char *err, size_t errlen)
{
    if (!b->seen_sid) {
        snprintf(err, errlen, "missing sid");
        return false;
    }
    if (r->uses_http && r->proto != IPS_PROTO_HTTP && r->proto != IPS_PROTO_TCP) {
        snprintf(err, errlen, "http buffers need protocol http or tcp");
        return false;
    }
    if (!r->msg)
        r->msg = xstrdup("");
    return check_lists(r, err, errlen) && choose_fast_pattern(r, err, errlen);
}

struct ips_rule *ips_rule_parse(const char *text, const struct ips_vars *vars, const char *file,
                                unsigned line, char *err, size_t errlen)
{
    struct ips_rule *r = xcalloc(1, sizeof *r);
    r->gid = 1;
    r->file = xstrdup(file ? file : "");
    r->line = line;
    struct ips_rule_build b = {.rule = r, .cur_buf = IPS_BUF_PKT};
    char *copy = xstrdup(text);
    char *header, *opts;
    if (!ips_lex_split(copy, &header, &opts, err, errlen) ||
        !ips_header_parse(r, header, vars, err, errlen))
        goto fail;
    struct ips_lexer lx = {opts};
    struct ips_opt o;
    int rc, count = 0;
    while ((rc = ips_lex_next(&lx, &o, err, errlen)) == 1) {
        if (++count > MAX_OPTIONS) {
            snprintf(err, errlen, "too many options (at most %d)", MAX_OPTIONS);
            goto fail;
        }
        const struct ips_kw *kw = ips_kw_find(o.name);
        if (!kw) {
            snprintf(err, errlen, "unknown keyword '%.64s'", o.name);
            goto fail;
        }
        if (kw->arg == IPS_KW_NOVAL && o.value) {
            snprintf(err, errlen, "'%s' takes no value", kw->name);
            goto fail;
        }
        if (kw->arg == IPS_KW_VAL && (!o.value || !*o.value)) {
            snprintf(err, errlen, "'%s' needs a value", kw->name);
            goto fail;
        }
        char e[IPS_ERRLEN] = "";
        if (!kw->setup(&b, o.value, e, sizeof e)) {
            snprintf(err, errlen, "%s: %s", kw->name, e[0] ? e : "invalid");
            goto fail;
        }
    }
    if (rc < 0 || !finish(r, &b, err, errlen))
        goto fail;
    free(copy);
    return r;
fail:
    free(copy);
    ips_rule_free(r);
    return NULL;
}
