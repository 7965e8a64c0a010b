/* kw_content_mod.c - modifiers of the preceding content: nocase, offset, depth (absolute),
 * distance, within (relative to the previous match in the same buffer), startswith, endswith,
 * fast_pattern, rawbytes (accepted, no effect). They add no matcher of their own. */
#include "common/util.h"
#include "ips/rules/rule.h"

#include <stdio.h>
#include <string.h>

#define MAX_POS 65535

static struct ips_content *target(struct ips_rule_build *b, const char *kw, char *err, size_t errlen)
{
    if (!b->last_content)
        snprintf(err, errlen, "'%s' needs a preceding content", kw);
    return b->last_content;
}

static bool is_absolute(const struct ips_content *c)
{
    return c->has_offset || c->has_depth || c->startswith;
}

static bool is_relative(const struct ips_content *c)
{
    return c->has_distance || c->has_within;
}

static bool dup_mod(bool set, const char *kw, char *err, size_t errlen)
{
    if (set)
        snprintf(err, errlen, "duplicate '%s' on the same content", kw);
    return set;
}

static bool setup_nocase(struct ips_rule_build *b, const char *v, char *err, size_t errlen)
{
    struct ips_content *c = target(b, "nocase", err, errlen);
    if (!c || dup_mod(c->nocase, "nocase", err, errlen))
        return false;
    c->nocase = true;
    return true;
}

static bool setup_rawbytes(struct ips_rule_build *b, const char *v, char *err, size_t errlen)
{
    return target(b, "rawbytes", err, errlen) != NULL;
}

static bool num(const char *v, long long lo, long long hi, long long *out, const char *kw,
                char *err, size_t errlen)
{
    if (ips_parse_int(v, lo, hi, out))
        return true;
    snprintf(err, errlen, "bad %s '%.32s' (expected %lld..%lld)", kw, v, lo, hi);
    return false;
}

static bool absolute_ok(const struct ips_content *c, const char *kw, char *err, size_t errlen)
{
    if (is_relative(c)) {
        snprintf(err, errlen, "'%s' can't be mixed with distance/within on the same content", kw);
        return false;
    }
    if (c->startswith) {
        snprintf(err, errlen, "'%s' can't be mixed with startswith", kw);
        return false;
    }
    return true;
}

static bool setup_offset(struct ips_rule_build *b, const char *v, char *err, size_t errlen)
{
    struct ips_content *c = target(b, "offset", err, errlen);
    long long x;
    if (!c || dup_mod(c->has_offset, "offset", err, errlen) || !absolute_ok(c, "offset", err, errlen) ||
        !num(v, 0, MAX_POS, &x, "offset", err, errlen))
        return false;
    c->has_offset = true;
    c->offset = (uint32_t)x;
    return true;
}

static bool setup_depth(struct ips_rule_build *b, const char *v, char *err, size_t errlen)
{
    struct ips_content *c = target(b, "depth", err, errlen);
    long long x;
    if (!c || dup_mod(c->has_depth, "depth", err, errlen) || !absolute_ok(c, "depth", err, errlen) ||
        !num(v, 1, MAX_POS, &x, "depth", err, errlen))
        return false;
    if ((size_t)x < c->len) {
        snprintf(err, errlen, "depth %lld is smaller than the content length %zu", x, c->len);
        return false;
    }
    c->has_depth = true;
    c->depth = (uint32_t)x;
    return true;
}

static bool make_relative(struct ips_rule_build *b, struct ips_content *c, const char *kw,
                          char *err, size_t errlen)
{
    if (is_absolute(c)) {
        snprintf(err, errlen, "'%s' can't be mixed with offset/depth/startswith on the same content",
                 kw);
        return false;
    }
    struct ips_sm *sm = &b->rule->lists[c->buf].v[c->sm_index];
    sm->relative = true;
    if (!sm->rel_kw)
        sm->rel_kw = kw;
    return true;
}

static bool setup_distance(struct ips_rule_build *b, const char *v, char *err, size_t errlen)
{
    struct ips_content *c = target(b, "distance", err, errlen);
    long long x;
    if (!c || dup_mod(c->has_distance, "distance", err, errlen) ||
        !num(v, -MAX_POS, MAX_POS, &x, "distance", err, errlen) ||
        !make_relative(b, c, "distance", err, errlen))
        return false;
    c->has_distance = true;
    c->distance = (int32_t)x;
    return true;
}

static bool setup_within(struct ips_rule_build *b, const char *v, char *err, size_t errlen)
{
    struct ips_content *c = target(b, "within", err, errlen);
    long long x;
    if (!c || dup_mod(c->has_within, "within", err, errlen) ||
        !num(v, 1, MAX_POS, &x, "within", err, errlen) ||
        !make_relative(b, c, "within", err, errlen))
        return false;
    if ((size_t)x < c->len) {
        snprintf(err, errlen, "within %lld is smaller than the content length %zu", x, c->len);
        return false;
    }
    c->has_within = true;
    c->within = (uint32_t)x;
    return true;
}

static bool setup_startswith(struct ips_rule_build *b, const char *v, char *err, size_t errlen)
{
    struct ips_content *c = target(b, "startswith", err, errlen);
    if (!c || dup_mod(c->startswith, "startswith", err, errlen))
        return false;
    if (is_absolute(c) || is_relative(c)) {
        snprintf(err, errlen, "'startswith' can't be mixed with offset/depth/distance/within");
        return false;
    }
    c->startswith = true;
    return true;
}

static bool setup_endswith(struct ips_rule_build *b, const char *v, char *err, size_t errlen)
{
    struct ips_content *c = target(b, "endswith", err, errlen);
    if (!c || dup_mod(c->endswith, "endswith", err, errlen))
        return false;
    c->endswith = true;
    return true;
}

/* fast_pattern | fast_pattern:only | fast_pattern:OFFSET,LENGTH */
static bool setup_fast_pattern(struct ips_rule_build *b, const char *v, char *err, size_t errlen)
{
    struct ips_content *c = target(b, "fast_pattern", err, errlen);
    if (!c || dup_mod(c->fast_pattern, "fast_pattern", err, errlen))
        return false;
    if (c->negated) {
        snprintf(err, errlen, "fast_pattern can't be used on a negated content");
        return false;
    }
    if (v && strcmp(v, "only") != 0) {
        char a[32], *comma;
        long long off, len;
        if (!hs_strlcpy(a, v, sizeof a) || !(comma = strchr(a, ','))) {
            snprintf(err, errlen, "expected 'only' or OFFSET,LENGTH, got '%.32s'", v);
            return false;
        }
        *comma = '\0';
        if (!ips_parse_int(a, 0, MAX_POS, &off) || !ips_parse_int(comma + 1, 1, MAX_POS, &len) ||
            (size_t)(off + len) > c->len) {
            snprintf(err, errlen, "bad OFFSET,LENGTH '%.32s' for a %zu-byte content", v, c->len);
            return false;
        }
        c->fp_chop = true;
        c->fp_off = (size_t)off;
        c->fp_len = (size_t)len;
    }
    c->fast_pattern = true;
    return true;
}

const struct ips_kw ips_kw_content_mod[] = {
    {"nocase", IPS_KW_NOVAL, setup_nocase, NULL},
    {"rawbytes", IPS_KW_NOVAL, setup_rawbytes, NULL},
    {"offset", IPS_KW_VAL, setup_offset, NULL},
    {"depth", IPS_KW_VAL, setup_depth, NULL},
    {"distance", IPS_KW_VAL, setup_distance, NULL},
    {"within", IPS_KW_VAL, setup_within, NULL},
    {"startswith", IPS_KW_NOVAL, setup_startswith, NULL},
    {"endswith", IPS_KW_NOVAL, setup_endswith, NULL},
    {"fast_pattern", IPS_KW_OPTVAL, setup_fast_pattern, NULL},
    {NULL, IPS_KW_NOVAL, NULL, NULL},
};
