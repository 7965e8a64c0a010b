/* kw_isdataat.c - isdataat:[!]N[,relative][,rawbytes]: is there a byte at offset N of the
 * current buffer (or N bytes after the previous match when relative)? Non-consuming. */
#include "common/util.h"
#include "ips/rules/rule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ips_isdataat {
    uint32_t n;
    bool negated;
};

static bool isdataat_next(const struct ips_sm *sm, const struct ips_sm_ctx *x,
                          struct ips_sm_iter *it, size_t *end)
{
    const struct ips_isdataat *d = sm->data;
    if (it->done)
        return false;
    it->done = true;
    *end = x->prev_end;
    size_t pos = (sm->relative ? x->prev_end : 0) + d->n;
    return (pos < x->len) != d->negated;
}

static const struct ips_sm_ops isdataat_ops = {"isdataat", isdataat_next, free, false};

static bool setup_isdataat(struct ips_rule_build *b, const char *v, char *err, size_t errlen)
{
    struct ips_isdataat d = {0, false};
    bool rel = false;
    if (*v == '!') {
        d.negated = true;
        v++;
    }
    char s[64];
    if (!hs_strlcpy(s, v, sizeof s)) {
        snprintf(err, errlen, "value too long");
        return false;
    }
    char *save = NULL;
    char *tok = strtok_r(s, ",", &save);
    long long n;
    if (!tok || !ips_parse_int(tok, 0, 65535, &n)) {
        snprintf(err, errlen, "bad offset '%.32s' (expected 0..65535)", tok ? tok : "");
        return false;
    }
    d.n = (uint32_t)n;
    while ((tok = strtok_r(NULL, ",", &save))) {
        while (*tok == ' ')
            tok++;
        size_t l = strlen(tok);
        while (l && tok[l - 1] == ' ')
            tok[--l] = '\0';
        if (strcmp(tok, "relative") == 0) {
            rel = true;
        } else if (strcmp(tok, "rawbytes") != 0) {
            snprintf(err, errlen, "unknown option '%.32s' (expected relative or rawbytes)", tok);
            return false;
        }
    }
    struct ips_isdataat *p = xmalloc(sizeof *p);
    *p = d;
    struct ips_sm *sm = ips_rule_add_sm(b, b->cur_buf, &isdataat_ops, p);
    if (rel) {
        sm->relative = true;
        sm->rel_kw = "isdataat,relative";
    }
    return true;
}

const struct ips_kw ips_kw_isdataat[] = {
    {"isdataat", IPS_KW_VAL, setup_isdataat, &isdataat_ops},
    {NULL, IPS_KW_NOVAL, NULL, NULL},
};
