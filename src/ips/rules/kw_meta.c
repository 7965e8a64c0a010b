/* kw_meta.c - rule metadata keywords: msg, sid, rev, gid, classtype, priority, reference,
 * metadata. They add no matcher. */
#include "common/util.h"
#include "ips/rules/classtype.h"
#include "ips/rules/rule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool once(bool *seen, const char *kw, char *err, size_t errlen)
{
    if (*seen) {
        snprintf(err, errlen, "duplicate '%s'", kw);
        return false;
    }
    *seen = true;
    return true;
}

static bool setup_msg(struct ips_rule_build *b, const char *v, char *err, size_t errlen)
{
    if (!once(&b->seen_msg, "msg", err, errlen))
        return false;
    size_t n;
    return ips_unquote(v, &b->rule->msg, &n, err, errlen);
}

static bool parse_u32(const char *v, long long lo, uint32_t *out, const char *what, char *err,
                      size_t errlen)
{
    long long x;
    if (!ips_parse_int(v, lo, UINT32_MAX, &x)) {
        snprintf(err, errlen, "bad %s '%.32s' (expected %lld..%u)", what, v, lo, UINT32_MAX);
        return false;
    }
    *out = (uint32_t)x;
    return true;
}

static bool setup_sid(struct ips_rule_build *b, const char *v, char *err, size_t errlen)
{
    return once(&b->seen_sid, "sid", err, errlen) &&
           parse_u32(v, 1, &b->rule->sid, "sid", err, errlen);
}

static bool setup_rev(struct ips_rule_build *b, const char *v, char *err, size_t errlen)
{
    return once(&b->seen_rev, "rev", err, errlen) &&
           parse_u32(v, 0, &b->rule->rev, "rev", err, errlen);
}

static bool setup_gid(struct ips_rule_build *b, const char *v, char *err, size_t errlen)
{
    return once(&b->seen_gid, "gid", err, errlen) &&
           parse_u32(v, 1, &b->rule->gid, "gid", err, errlen);
}

static bool setup_classtype(struct ips_rule_build *b, const char *v, char *err, size_t errlen)
{
    if (!once(&b->seen_classtype, "classtype", err, errlen))
        return false;
    b->rule->ct = ips_classtype_find(v);
    if (!b->rule->ct) {
        snprintf(err, errlen, "unknown classtype '%.64s'", v);
        return false;
    }
    return true;
}

static bool setup_priority(struct ips_rule_build *b, const char *v, char *err, size_t errlen)
{
    if (!once(&b->seen_priority, "priority", err, errlen))
        return false;
    long long x;
    if (!ips_parse_int(v, 1, 255, &x)) {
        snprintf(err, errlen, "bad priority '%.32s' (expected 1..255)", v);
        return false;
    }
    b->rule->priority = (int)x;
    return true;
}

static void push(char ***arr, size_t *n, const char *v)
{
    *arr = xreallocarray(*arr, *n + 1, sizeof **arr);
    (*arr)[(*n)++] = xstrdup(v);
}

static bool setup_reference(struct ips_rule_build *b, const char *v, char *err, size_t errlen)
{
    const char *comma = strchr(v, ',');
    if (!comma || comma == v || !comma[1]) {
        snprintf(err, errlen, "expected 'type,id', got '%.64s'", v);
        return false;
    }
    push(&b->rule->refs, &b->rule->nrefs, v);
    return true;
}

static bool setup_metadata(struct ips_rule_build *b, const char *v, char *err, size_t errlen)
{
    push(&b->rule->meta, &b->rule->nmeta, v);
    return true;
}

const struct ips_kw ips_kw_meta[] = {
    {"msg", IPS_KW_VAL, setup_msg, NULL},
    {"sid", IPS_KW_VAL, setup_sid, NULL},
    {"rev", IPS_KW_VAL, setup_rev, NULL},
    {"gid", IPS_KW_VAL, setup_gid, NULL},
    {"classtype", IPS_KW_VAL, setup_classtype, NULL},
    {"priority", IPS_KW_VAL, setup_priority, NULL},
    {"reference", IPS_KW_VAL, setup_reference, NULL},
    {"metadata", IPS_KW_VAL, setup_metadata, NULL},
    {NULL, IPS_KW_NOVAL, NULL, NULL},
};
