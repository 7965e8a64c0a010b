/* kw_content.c - the content keyword: a byte string ("text|41 42|text") searched in the current
 * buffer, optionally negated; positions set by the modifiers in kw_content_mod.c. */
#include "common/util.h"
#include "ips/rules/rule.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CONTENT 65535

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Decode "abc|41 42|def" into out; returns the length or -1 with a reason. */
static long decode(const char *s, size_t n, uint8_t *out, char *err, size_t errlen)
{
    size_t k = 0;
    bool hex = false;
    int hi = -1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '|') {
            if (hex && hi >= 0) {
                snprintf(err, errlen, "bad hex: odd number of digits");
                return -1;
            }
            hex = !hex;
            continue;
        }
        if (!hex) {
            out[k++] = c;
            continue;
        }
        if (c == ' ' || c == '\t')
            continue;
        int v = hexval(c);
        if (v < 0) {
            if (isprint(c))
                snprintf(err, errlen, "bad hex: invalid character '%c'", c);
            else
                snprintf(err, errlen, "bad hex: invalid character 0x%02x", c);
            return -1;
        }
        if (hi < 0) {
            hi = v;
        } else {
            out[k++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    if (hex) {
        snprintf(err, errlen, "bad hex: unterminated |...| sequence");
        return -1;
    }
    return (long)k;
}

static bool setup_content(struct ips_rule_build *b, const char *v, char *err, size_t errlen)
{
    bool neg = false;
    if (*v == '!') {
        neg = true;
        v++;
        while (*v == ' ' || *v == '\t')
            v++;
    }
    char *s;
    size_t n;
    if (!ips_unquote(v, &s, &n, err, errlen))
        return false;
    uint8_t *pat = xmalloc(n ? n : 1);
    long len = decode(s, n, pat, err, errlen);
    free(s);
    if (len <= 0 || len > MAX_CONTENT) {
        if (len == 0)
            snprintf(err, errlen, "empty content");
        else if (len > MAX_CONTENT)
            snprintf(err, errlen, "content longer than %d bytes", MAX_CONTENT);
        free(pat);
        return false;
    }
    struct ips_content *c = xcalloc(1, sizeof *c);
    c->pat = pat;
    c->len = (size_t)len;
    c->negated = neg;
    c->buf = b->cur_buf;
    c->sm_index = b->rule->lists[b->cur_buf].n;
    ips_rule_add_sm(b, b->cur_buf, &ips_content_ops, c);
    b->last_content = c;
    return true;
}

/* First occurrence of pat in hay[from, to) (to <= hay length); -1 when none. */
static long find(const uint8_t *hay, size_t from, size_t to, const struct ips_content *c)
{
    if (to < from || to - from < c->len)
        return -1;
    size_t last = to - c->len;
    if (!c->nocase) {
        const uint8_t *p = memmem(hay + from, to - from, c->pat, c->len);
        return p ? (long)(p - hay) : -1;
    }
    for (size_t i = from; i <= last; i++) {
        size_t j = 0;
        while (j < c->len && tolower(hay[i + j]) == tolower(c->pat[j]))
            j++;
        if (j == c->len)
            return (long)i;
    }
    return -1;
}

/* Window [*lo, *hi) where the whole match must lie; false when empty. */
static bool window(const struct ips_content *c, const struct ips_sm *sm, const struct ips_sm_ctx *x,
                   size_t *lo, size_t *hi)
{
    long long start = 0, end = (long long)x->len;
    if (sm->relative) {
        long long base = (long long)x->prev_end + (c->has_distance ? c->distance : 0);
        start = base < 0 ? 0 : base;
        if (c->has_within && base + c->within < end)
            end = base + c->within;
    } else {
        if (c->has_offset)
            start = c->offset;
        if (c->has_depth && (long long)c->offset + c->depth < end)
            end = (long long)c->offset + c->depth;
        if (c->startswith && (long long)c->len < end)
            end = (long long)c->len;
    }
    if (end < start || end - start < (long long)c->len)
        return false;
    if (c->endswith) {
        if (end != (long long)x->len)
            return false;
        start = end - (long long)c->len;
    }
    *lo = (size_t)start;
    *hi = (size_t)end;
    return true;
}

static bool content_next(const struct ips_sm *sm, const struct ips_sm_ctx *x, struct ips_sm_iter *it,
                         size_t *end)
{
    const struct ips_content *c = sm->data;
    size_t lo, hi;
    if (c->negated) {
        if (it->done)
            return false;
        it->done = true;
        *end = x->prev_end;
        return !window(c, sm, x, &lo, &hi) || find(x->buf, lo, hi, c) < 0;
    }
    if (!window(c, sm, x, &lo, &hi))
        return false;
    if (it->pos > lo)
        lo = it->pos;
    long at = find(x->buf, lo, hi, c);
    if (at < 0)
        return false;
    it->pos = (size_t)at + 1;
    *end = (size_t)at + c->len;
    return true;
}

static void content_free(void *data)
{
    struct ips_content *c = data;
    free(c->pat);
    free(c);
}

const struct ips_sm_ops ips_content_ops = {"content", content_next, content_free, true};

const struct ips_kw ips_kw_content[] = {
    {"content", IPS_KW_VAL, setup_content, &ips_content_ops},
    {NULL, IPS_KW_NOVAL, NULL, NULL},
};
