/* transform.c - the url_decode transform (Suricata's): right after a sticky buffer, it makes the
 * following content/pcre/isdataat options inspect the buffer URL-decoded ("%XX" with two hex
 * digits becomes that byte, "+" becomes a space, anything else stays). The decoded buffers are
 * derived buffer ids (rules.h), filled per transaction by ips_match only when a rule of the set
 * reads them, so they are prefiltered like any other buffer. */
#include "ips/rules/rule.h"
#include "ips/rules/scratch.h"

#include "common/util.h"

#include <stdio.h>
#include <string.h>

#define FIRST_DERIVED IPS_BUF_HTTP_URI_RAW_URLDEC

/* Derived id -> the buffer it decodes. */
static const struct {
    enum ips_buf_id base, derived;
} pairs[] = {
    {IPS_BUF_HTTP_URI_RAW, IPS_BUF_HTTP_URI_RAW_URLDEC},
    {IPS_BUF_HTTP_HEADER, IPS_BUF_HTTP_HEADER_URLDEC},
    {IPS_BUF_HTTP_COOKIE, IPS_BUF_HTTP_COOKIE_URLDEC},
    {IPS_BUF_HTTP_USER_AGENT, IPS_BUF_HTTP_USER_AGENT_URLDEC},
    {IPS_BUF_HTTP_REQUEST_BODY, IPS_BUF_HTTP_REQUEST_BODY_URLDEC},
};
_Static_assert(IPS_BUF_COUNT - FIRST_DERIVED == sizeof pairs / sizeof pairs[0],
               "one pair per derived buffer");
_Static_assert(sizeof pairs / sizeof pairs[0] <= sizeof ((struct ips_scratch *)0)->xbuf
                                                      / sizeof(uint8_t *),
               "scratch has a buffer per derived id");

enum ips_buf_id ips_buf_base(enum ips_buf_id id)
{
    for (size_t i = 0; i < HS_ARRAY_SIZE(pairs); i++)
        if (pairs[i].derived == id)
            return pairs[i].base;
    return IPS_BUF_COUNT;
}

uint32_t ips_rule_derived_mask(const struct ips_rule *r)
{
    uint32_t m = 0;
    for (int b = FIRST_DERIVED; b < IPS_BUF_COUNT; b++)
        if (r->lists[b].n)
            m |= 1u << (b - FIRST_DERIVED);
    return m;
}

static int hexval(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* URL-decode in[0..n) into out (at least n bytes); returns the decoded length (<= n). */
static size_t url_decode(const uint8_t *in, size_t n, uint8_t *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        int h, l;
        if (in[i] == '%' && i + 2 < n && (h = hexval(in[i + 1])) >= 0 && (l = hexval(in[i + 2])) >= 0) {
            out[o++] = (uint8_t)(h << 4 | l);
            i += 2;
        } else {
            out[o++] = in[i] == '+' ? ' ' : in[i];
        }
    }
    return o;
}

void ips_transform_fill(struct ips_txn *t, struct ips_scratch *s, uint32_t mask)
{
    for (size_t k = 0; k < HS_ARRAY_SIZE(pairs); k++) {
        enum ips_buf_id d = pairs[k].derived;
        if (!(mask & (1u << (d - FIRST_DERIVED))))
            continue;
        const struct ips_bufref *b = ips_txn_buf(t, pairs[k].base);
        if (!b->data) {
            t->buf[d].data = NULL;
            t->buf[d].len = 0;
            continue;
        }
        size_t x = (size_t)(d - FIRST_DERIVED);
        if (s->xcap[x] < b->len || !s->xbuf[x]) {
            free(s->xbuf[x]);
            s->xcap[x] = b->len > 64 ? b->len : 64;
            s->xbuf[x] = xmalloc(s->xcap[x]);
        }
        t->buf[d].len = url_decode(b->data, b->len, s->xbuf[x]);
        t->buf[d].data = s->xbuf[x];
    }
}

static bool kw_url_decode(struct ips_rule_build *b, const char *v, char *err, size_t errlen)
{
    (void)v;
    enum ips_buf_id d = IPS_BUF_COUNT;
    for (size_t i = 0; i < HS_ARRAY_SIZE(pairs); i++)
        if (pairs[i].base == b->cur_buf)
            d = pairs[i].derived;
    if (ips_buf_base(b->cur_buf) != IPS_BUF_COUNT) {
        snprintf(err, errlen, "%s is already URL-decoded", ips_buf_name(b->cur_buf));
        return false;
    }
    if (d == IPS_BUF_COUNT) {
        snprintf(err, errlen, "not available for %s (only after http.uri.raw, "
                              "http.header, http.cookie, http.user_agent, http.request_body)",
                 ips_buf_name(b->cur_buf));
        return false;
    }
    if (b->rule->lists[b->cur_buf].n != b->sticky_mark) {
        snprintf(err, errlen, "must come right after the sticky buffer %s, before its "
                              "content, pcre or isdataat options", ips_buf_name(b->cur_buf));
        return false;
    }
    b->cur_buf = d;
    b->sticky_mark = b->rule->lists[d].n;
    return true;
}

const struct ips_kw ips_kw_transform[] = {
    {"url_decode", IPS_KW_NOVAL, kw_url_decode, NULL},
    {NULL, IPS_KW_NOVAL, NULL, NULL},
};
