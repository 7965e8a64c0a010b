/* ruleset.c - loading rule files (comments, blank lines, backslash continuations), collecting
 * errors as "FILE:LINE: reason", duplicate sid check, evaluation order, prefilter build, reload,
 * and the rule metadata accessors. */
#include "ips/rules/ruleset.h"

#include "common/buf.h"
#include "common/util.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILE (64u << 20)     /* bytes per rule file */
#define MAX_RULE (256u << 10)    /* bytes per logical rule line */
#define MAX_ERRORS 100           /* error lines listed; the rest are counted */

static atomic_uint_fast64_t next_gen = 1;

struct loader {
    const struct ips_vars *vars;
    struct hs_buf errs;
    size_t nerr;
    struct ips_rule **rules;
    size_t n, cap;
};

static void add_err(struct loader *ld, const char *file, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void add_err(struct loader *ld, const char *file, unsigned line, const char *fmt, ...)
{
    if (ld->nerr++ >= MAX_ERRORS)
        return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char head[300];
    if (line)
        snprintf(head, sizeof head, "%s:%u: ", file, line);
    else
        snprintf(head, sizeof head, "%s: ", file);
    hs_buf_put(&ld->errs, head, strlen(head));
    hs_buf_put(&ld->errs, msg, strlen(msg));
    hs_buf_put_u8(&ld->errs, '\n');
}

static void process_rule(struct loader *ld, const char *name, unsigned line, struct hs_buf *lb)
{
    if (memchr(lb->data, '\0', lb->len)) {
        add_err(ld, name, line, "NUL byte in rule");
        return;
    }
    hs_buf_put_u8(lb, '\0');
    const char *s = (const char *)lb->data;
    while (isspace((unsigned char)*s))
        s++;
    if (!*s || *s == '#')
        return;
    char err[IPS_ERRLEN];
    struct ips_rule *r = ips_rule_parse(s, ld->vars, name, line, err, sizeof err);
    if (!r) {
        add_err(ld, name, line, "%s", err);
        return;
    }
    if (ld->n == ld->cap) {
        ld->cap = ld->cap ? ld->cap * 2 : 64;
        ld->rules = xreallocarray(ld->rules, ld->cap, sizeof *ld->rules);
    }
    ld->rules[ld->n++] = r;
}

static void parse_text(struct loader *ld, const char *name, const char *text, size_t len)
{
    struct hs_buf lb = HS_BUF_INIT;
    unsigned lineno = 0, start = 0;
    bool too_long = false;
    size_t pos = 0;
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        size_t n = end - pos;
        lineno++;
        if (lb.len == 0 && !too_long)
            start = lineno;
        const char *l = text + pos;
        pos = nl ? end + 1 : len;
        while (n && (l[n - 1] == '\r' || l[n - 1] == ' ' || l[n - 1] == '\t'))
            n--;
        bool cont = n && l[n - 1] == '\\';
        if (cont)
            n--;
        if (!too_long && lb.len + n > MAX_RULE) {
            too_long = true;
            add_err(ld, name, start, "rule longer than %u bytes", MAX_RULE);
        }
        if (!too_long && n)   /* (hs_buf_put of 0 bytes on an empty buffer is UB in buf.c) */
            hs_buf_put(&lb, l, n);
        if (cont && pos < len)
            continue;
        if (!too_long && lb.len)
            process_rule(ld, name, start, &lb);
        hs_buf_clear(&lb);
        too_long = false;
    }
    hs_buf_free(&lb);
}

static bool read_file(const char *path, char **text, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot open: %s", strerror(errno));
        return false;
    }
    struct hs_buf b = HS_BUF_INIT;
    for (;;) {
        uint8_t *p = hs_buf_reserve(&b, 65536);
        size_t got = fread(p, 1, 65536, f);
        b.len += got;
        if (b.len > MAX_FILE) {
            snprintf(err, errlen, "file larger than %u bytes", MAX_FILE);
            break;
        }
        if (got < 65536) {
            if (ferror(f))
                snprintf(err, errlen, "read error: %s", strerror(errno));
            else
                err[0] = '\0';
            break;
        }
    }
    fclose(f);
    if (err[0]) {
        hs_buf_free(&b);
        return false;
    }
    *text = (char *)b.data;
    *len = b.len;
    return true;
}

static int cmp_sid(const void *a, const void *b)
{
    const struct ips_rule *x = *(const struct ips_rule *const *)a;
    const struct ips_rule *y = *(const struct ips_rule *const *)b;
    if (x->gid != y->gid)
        return x->gid < y->gid ? -1 : 1;
    if (x->sid != y->sid)
        return x->sid < y->sid ? -1 : 1;
    return 0;
}

static int cmp_eval(const void *a, const void *b)
{
    const struct ips_rule *x = *(const struct ips_rule *const *)a;
    const struct ips_rule *y = *(const struct ips_rule *const *)b;
    if (x->action != y->action)
        return x->action < y->action ? -1 : 1;
    int px = ips_rule_severity(x), py = ips_rule_severity(y);
    if (px != py)
        return px < py ? -1 : 1;
    return cmp_sid(a, b);
}

static void free_rules(struct ips_rule **rules, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ips_rule_free(rules[i]);
    free(rules);
}

/* Turn the parsed rules into a rule set or report why not. */
static struct ips_ruleset *finish(struct loader *ld, char **err)
{
    struct ips_rule **by_sid = xcalloc(ld->n ? ld->n : 1, sizeof *by_sid);
    if (ld->n)
        memcpy(by_sid, ld->rules, ld->n * sizeof *by_sid);
    /* stable enough for messages: equal keys are reported against the one sorted first */
    if (ld->n > 1)
        qsort(by_sid, ld->n, sizeof *by_sid, cmp_sid);
    for (size_t i = 1; i < ld->n; i++) {
        const struct ips_rule *a = by_sid[i - 1], *b = by_sid[i];
        if (a->gid == b->gid && a->sid == b->sid) {
            const struct ips_rule *first = a, *second = b;
            int c = strcmp(a->file, b->file);
            if (c > 0 || (c == 0 && a->line > b->line)) {
                first = b;
                second = a;
            }
            add_err(ld, second->file, second->line, "duplicate sid %u (first defined at %s:%u)",
                    second->sid, first->file, first->line);
        }
    }
    struct ips_ruleset *rs = NULL;
    if (!ld->nerr) {
        if (ld->n > 1)
            qsort(ld->rules, ld->n, sizeof *ld->rules, cmp_eval);
        char e[IPS_ERRLEN];
        struct ips_prefilter *pf = ips_prefilter_build(ld->rules, ld->n, e, sizeof e);
        if (!pf) {
            add_err(ld, "rules", 0, "%s", e);
        } else {
            rs = xcalloc(1, sizeof *rs);
            rs->rules = ld->rules;
            rs->n = ld->n;
            rs->by_sid = by_sid;
            rs->pf = pf;
            rs->gen = atomic_fetch_add(&next_gen, 1);
            for (size_t i = 0; i < ld->n; i++)
                rs->derived |= ips_rule_derived_mask(ld->rules[i]);
        }
    }
    if (!rs) {
        free(by_sid);
        free_rules(ld->rules, ld->n);
        if (ld->nerr > MAX_ERRORS) {
            char more[64];
            snprintf(more, sizeof more, "... and %zu more errors\n", ld->nerr - MAX_ERRORS);
            hs_buf_put(&ld->errs, more, strlen(more));
        }
        hs_buf_put_u8(&ld->errs, '\0');
        if (err)
            *err = (char *)ld->errs.data;
        else
            hs_buf_free(&ld->errs);
        return NULL;
    }
    hs_buf_free(&ld->errs);
    if (err)
        *err = NULL;
    return rs;
}

struct ips_ruleset *ips_ruleset_load_files(const char *const *paths, size_t npaths,
                                           const struct ips_vars *vars, char **err)
{
    struct ips_vars *defaults = vars ? NULL : ips_vars_new();
    struct loader ld = {.vars = vars ? vars : defaults, .errs = HS_BUF_INIT};
    for (size_t i = 0; i < npaths; i++) {
        char *text = NULL, e[IPS_ERRLEN] = "";
        size_t len = 0;
        if (!read_file(paths[i], &text, &len, e, sizeof e)) {
            add_err(&ld, paths[i], 0, "%s", e);
            continue;
        }
        parse_text(&ld, paths[i], text, len);
        free(text);
    }
    struct ips_ruleset *rs = finish(&ld, err);
    ips_vars_free(defaults);
    return rs;
}

struct ips_ruleset *ips_ruleset_load_file(const char *path, const struct ips_vars *vars, char **err)
{
    return ips_ruleset_load_files(&path, 1, vars, err);
}

struct ips_ruleset *ips_ruleset_load_string(const char *text, size_t len, const char *name,
                                            const struct ips_vars *vars, char **err)
{
    struct ips_vars *defaults = vars ? NULL : ips_vars_new();
    struct loader ld = {.vars = vars ? vars : defaults, .errs = HS_BUF_INIT};
    parse_text(&ld, name ? name : "<string>", text, len);
    struct ips_ruleset *rs = finish(&ld, err);
    ips_vars_free(defaults);
    return rs;
}

struct ips_ruleset *ips_ruleset_reload(struct ips_ruleset *current, const char *const *paths,
                                       size_t npaths, const struct ips_vars *vars, char **err)
{
    struct ips_ruleset *rs = ips_ruleset_load_files(paths, npaths, vars, err);
    return rs ? rs : current;
}

void ips_ruleset_free(struct ips_ruleset *rs)
{
    if (!rs)
        return;
    ips_prefilter_free(rs->pf);
    free_rules(rs->rules, rs->n);
    free(rs->by_sid);
    free(rs);
}

size_t ips_ruleset_count(const struct ips_ruleset *rs) { return rs->n; }

const struct ips_rule *ips_ruleset_rule(const struct ips_ruleset *rs, size_t i)
{
    return i < rs->n ? rs->rules[i] : NULL;
}

const struct ips_rule *ips_ruleset_find_sid(const struct ips_ruleset *rs, uint32_t sid)
{
    size_t lo = 0, hi = rs->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct ips_rule *r = rs->by_sid[mid];
        if (r->gid < 1 || (r->gid == 1 && r->sid < sid))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < rs->n && rs->by_sid[lo]->gid == 1 && rs->by_sid[lo]->sid == sid)
        return rs->by_sid[lo];
    return NULL;
}

size_t ips_ruleset_always_count(const struct ips_ruleset *rs)
{
    size_t n;
    ips_prefilter_always(rs->pf, &n);
    return n;
}

size_t ips_ruleset_regex_count(const struct ips_ruleset *rs)
{
    return ips_prefilter_regex_count(rs->pf);
}

uint32_t ips_rule_sid(const struct ips_rule *r) { return r->sid; }
uint32_t ips_rule_gid(const struct ips_rule *r) { return r->gid; }
uint32_t ips_rule_rev(const struct ips_rule *r) { return r->rev; }
const char *ips_rule_msg(const struct ips_rule *r) { return r->msg; }
const char *ips_rule_classtype(const struct ips_rule *r) { return r->ct ? r->ct->name : NULL; }
enum ips_action ips_rule_action(const struct ips_rule *r) { return r->action; }
const char *ips_rule_file(const struct ips_rule *r) { return r->file; }
unsigned ips_rule_line(const struct ips_rule *r) { return r->line; }
size_t ips_rule_reference_count(const struct ips_rule *r) { return r->nrefs; }
size_t ips_rule_metadata_count(const struct ips_rule *r) { return r->nmeta; }

int ips_rule_severity(const struct ips_rule *r)
{
    if (r->priority)
        return r->priority;
    return r->ct ? r->ct->priority : 3;
}

const char *ips_rule_reference(const struct ips_rule *r, size_t i)
{
    return i < r->nrefs ? r->refs[i] : NULL;
}

const char *ips_rule_metadata(const struct ips_rule *r, size_t i)
{
    return i < r->nmeta ? r->meta[i] : NULL;
}

bool ips_rule_fast_pattern(const struct ips_rule *r, enum ips_buf_id *buf)
{
    if (!r->fp_pat)
        return false;
    if (buf)
        *buf = r->fp_buf;
    return true;
}

const char *ips_action_name(enum ips_action a)
{
    switch (a) {
    case IPS_ACT_PASS:
        return "pass";
    case IPS_ACT_DROP:
        return "drop";
    case IPS_ACT_REJECT:
        return "reject";
    case IPS_ACT_ALERT:
        return "alert";
    }
    return "?";
}
