/* kw_urilen.c - urilen:N | <N | >N | N<>M (exclusive) [,norm|raw]: length of the normalised
 * (default) or raw request URI. Adds a non-consuming matcher to that buffer's list. */
#include "common/util.h"
#include "ips/rules/rule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum urilen_op { UL_EQ, UL_LT, UL_GT, UL_RANGE };

struct ips_urilen {
    enum urilen_op op;
    uint32_t a, b;
};

static bool urilen_next(const struct ips_sm *sm, const struct ips_sm_ctx *x, struct ips_sm_iter *it,
                        size_t *end)
{
    const struct ips_urilen *u = sm->data;
    if (it->done)
        return false;
    it->done = true;
    *end = x->prev_end;
    switch (u->op) {
    case UL_EQ:
        return x->len == u->a;
    case UL_LT:
        return x->len < u->a;
    case UL_GT:
        return x->len > u->a;
    case UL_RANGE:
        return x->len > u->a && x->len < u->b;
    }
    return false;
}

static bool num(const char *s, uint32_t *out)
{
    long long v;
    if (!ips_parse_int(s, 0, 65535, &v))
        return false;
    *out = (uint32_t)v;
    return true;
}

static const struct ips_sm_ops urilen_ops = {"urilen", urilen_next, free, false};

static bool setup_urilen(struct ips_rule_build *b, const char *v, char *err, size_t errlen)
{
    char s[64];
    if (!hs_strlcpy(s, v, sizeof s)) {
        snprintf(err, errlen, "value too long");
        return false;
    }
    enum ips_buf_id buf = IPS_BUF_HTTP_URI;
    char *comma = strchr(s, ',');
    if (comma) {
        *comma = '\0';
        char *kind = comma + 1;
        while (*kind == ' ')
            kind++;
        if (strcmp(kind, "raw") == 0) {
            buf = IPS_BUF_HTTP_URI_RAW;
        } else if (strcmp(kind, "norm") != 0) {
            snprintf(err, errlen, "expected 'norm' or 'raw' after ',', got '%.16s'", kind);
            return false;
        }
    }
    struct ips_urilen u = {UL_EQ, 0, 0};
    char *range = strstr(s, "<>");
    bool ok;
    if (range) {
        *range = '\0';
        u.op = UL_RANGE;
        ok = num(s, &u.a) && num(range + 2, &u.b);
        if (ok && u.a >= u.b) {
            snprintf(err, errlen, "bad range '%.32s': the minimum must be below the maximum", v);
            return false;
        }
    } else if (s[0] == '<' || s[0] == '>') {
        u.op = s[0] == '<' ? UL_LT : UL_GT;
        ok = num(s + 1, &u.a);
    } else {
        ok = num(s, &u.a);
    }
    if (!ok) {
        snprintf(err, errlen, "bad value '%.32s' (expected N, <N, >N or N<>M)", v);
        return false;
    }
    struct ips_urilen *p = xmalloc(sizeof *p);
    *p = u;
    ips_rule_add_sm(b, buf, &urilen_ops, p);
    return true;
}

const struct ips_kw ips_kw_urilen[] = {
    {"urilen", IPS_KW_VAL, setup_urilen, &urilen_ops},
    {NULL, IPS_KW_NOVAL, NULL, NULL},
};
