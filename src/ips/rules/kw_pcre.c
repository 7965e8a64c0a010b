/* kw_pcre.c - the pcre keyword: pcre:[!]"/REGEX/FLAGS", compiled with PCRE2 (JIT when
 * available). Flags i s m x A E G set PCRE2 options, R makes the match relative to the previous
 * match, U I H P M C S Y V W select an HTTP buffer (old style), B is accepted (raw bytes). */
#include "common/util.h"
#include "ips/rules/rule.h"
#include "ips/rules/scratch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ips_pcre {
    pcre2_code *code;
    bool negated;
    char *src;          /* the regex as written (NUL-terminated), for the prefilter */
    uint32_t opts;      /* PCRE2 compile options */
};

static const struct {
    char flag;
    enum ips_buf_id buf;
} buf_flags[] = {
    {'U', IPS_BUF_HTTP_URI},          {'I', IPS_BUF_HTTP_URI_RAW},
    {'H', IPS_BUF_HTTP_HEADER},       {'P', IPS_BUF_HTTP_REQUEST_BODY},
    {'M', IPS_BUF_HTTP_METHOD},       {'C', IPS_BUF_HTTP_COOKIE},
    {'S', IPS_BUF_HTTP_STAT_CODE},    {'Y', IPS_BUF_HTTP_STAT_MSG},
    {'V', IPS_BUF_HTTP_USER_AGENT},   {'W', IPS_BUF_HTTP_HOST},
};

static const struct {
    char flag;
    uint32_t opt;
} opt_flags[] = {
    {'i', PCRE2_CASELESS}, {'s', PCRE2_DOTALL},         {'m', PCRE2_MULTILINE},
    {'x', PCRE2_EXTENDED}, {'A', PCRE2_ANCHORED},       {'E', PCRE2_DOLLAR_ENDONLY},
    {'G', PCRE2_UNGREEDY},
};

static const struct ips_sm_ops pcre_ops;

static void pcre_free_data(void *data)
{
    struct ips_pcre *p = data;
    pcre2_code_free(p->code);
    free(p->src);
    free(p);
}

/* Parse the flags after the closing '/'. */
static bool parse_flags(const char *f, uint32_t *opts, bool *rel, int *buf, char *err, size_t errlen)
{
    for (; *f; f++) {
        size_t i;
        for (i = 0; i < HS_ARRAY_SIZE(opt_flags); i++)
            if (opt_flags[i].flag == *f)
                break;
        if (i < HS_ARRAY_SIZE(opt_flags)) {
            *opts |= opt_flags[i].opt;
            continue;
        }
        if (*f == 'R') {
            *rel = true;
            continue;
        }
        if (*f == 'B')
            continue;
        for (i = 0; i < HS_ARRAY_SIZE(buf_flags); i++)
            if (buf_flags[i].flag == *f)
                break;
        if (i == HS_ARRAY_SIZE(buf_flags)) {
            snprintf(err, errlen, "unknown pcre flag '%c'", *f);
            return false;
        }
        if (*buf >= 0 && *buf != (int)buf_flags[i].buf) {
            snprintf(err, errlen, "more than one buffer flag");
            return false;
        }
        *buf = (int)buf_flags[i].buf;
    }
    return true;
}

static bool setup_pcre(struct ips_rule_build *b, const char *v, char *err, size_t errlen)
{
    bool neg = false;
    if (*v == '!') {
        neg = true;
        v++;
        while (*v == ' ' || *v == '\t')
            v++;
    }
    size_t n = strlen(v);
    if (n < 2 || v[0] != '"' || v[n - 1] != '"') {
        snprintf(err, errlen, "expected \"/regex/flags\"");
        return false;
    }
    const char *in = v + 1, *in_end = v + n - 1;
    const char *last = in_end;
    while (last > in && last[-1] != '/')
        last--;
    if (*in != '/' || last <= in + 1) {
        snprintf(err, errlen, "expected \"/regex/flags\"");
        return false;
    }
    char flags[32];
    size_t fl = (size_t)(in_end - last);
    if (fl >= sizeof flags) {
        snprintf(err, errlen, "too many pcre flags");
        return false;
    }
    memcpy(flags, last, fl);
    flags[fl] = '\0';
    uint32_t opts = 0;
    bool rel = false;
    int buf = -1;
    if (!parse_flags(flags, &opts, &rel, &buf, err, errlen))
        return false;
    if (buf >= 0 && b->cur_buf != IPS_BUF_PKT && b->cur_buf != (enum ips_buf_id)buf) {
        snprintf(err, errlen, "pcre buffer flag conflicts with the sticky buffer %s",
                 ips_buf_name(b->cur_buf));
        return false;
    }
    int errcode;
    PCRE2_SIZE erroff;
    const char *re = in + 1;
    size_t relen = (size_t)(last - 1 - re);
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)re, relen, opts, &errcode, &erroff, NULL);
    if (!code) {
        PCRE2_UCHAR msg[160];
        if (pcre2_get_error_message(errcode, msg, sizeof msg) < 0)
            hs_strlcpy((char *)msg, "unknown error", sizeof msg);
        snprintf(err, errlen, "compile error at offset %zu: %s", (size_t)erroff, (char *)msg);
        return false;
    }
    (void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);   /* falls back to the interpreter */
    struct ips_pcre *p = xcalloc(1, sizeof *p);
    p->code = code;
    p->negated = neg;
    p->src = xmalloc(relen + 1);
    memcpy(p->src, re, relen);
    p->src[relen] = '\0';
    p->opts = opts;
    enum ips_buf_id target = buf >= 0 ? (enum ips_buf_id)buf : b->cur_buf;
    struct ips_sm *sm = ips_rule_add_sm(b, target, &pcre_ops, p);
    if (rel) {
        sm->relative = true;
        sm->rel_kw = "pcre /R";
    }
    return true;
}

static bool pcre_next(const struct ips_sm *sm, const struct ips_sm_ctx *x, struct ips_sm_iter *it,
                      size_t *end)
{
    const struct ips_pcre *p = sm->data;
    size_t base = sm->relative ? x->prev_end : 0;
    size_t from = it->pos > base ? it->pos : base;
    if (p->negated) {
        if (it->done)
            return false;
        it->done = true;
        *end = x->prev_end;
        from = base;
    }
    if (from > x->len)
        return p->negated;
    int rc = pcre2_match(p->code, (PCRE2_SPTR)(x->buf + base), x->len - base, from - base, 0,
                         x->scratch->md, x->scratch->mctx);
    if (rc == PCRE2_ERROR_NOMATCH)
        return p->negated;
    if (rc < 0) {                 /* match/depth limit etc.: the option fails either way */
        x->scratch->pcre_errors++;
        return false;
    }
    if (p->negated)
        return false;
    const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(x->scratch->md);
    size_t ms = base + ov[0], me = base + ov[1];
    it->pos = (ms > from ? ms : from) + 1;
    *end = me > ms ? me : ms;
    return true;
}

static const struct ips_sm_ops pcre_ops = {"pcre", pcre_next, pcre_free_data, true};

bool ips_pcre_prefilter_info(const struct ips_sm *sm, const char **re, uint32_t *opts)
{
    if (sm->ops != &pcre_ops || sm->relative)
        return false;
    const struct ips_pcre *p = sm->data;
    if (p->negated)
        return false;
    *re = p->src;
    *opts = p->opts;
    return true;
}

const struct ips_kw ips_kw_pcre[] = {
    {"pcre", IPS_KW_VAL, setup_pcre, &pcre_ops},
    {NULL, IPS_KW_NOVAL, NULL, NULL},
};
