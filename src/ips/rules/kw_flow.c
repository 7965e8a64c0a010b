/* kw_flow.c - flow:OPT[,OPT...] with to_server/from_client, to_client/from_server,
 * established, not_established, stateless. Checked with the header (ips_rule_header_match). */
#include "common/util.h"
#include "ips/rules/rule.h"

#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    unsigned bit;
} opts[] = {
    {"to_server", IPS_FLOW_TO_SERVER},   {"from_client", IPS_FLOW_TO_SERVER},
    {"to_client", IPS_FLOW_TO_CLIENT},   {"from_server", IPS_FLOW_TO_CLIENT},
    {"established", IPS_FLOW_ESTABLISHED}, {"not_established", IPS_FLOW_NOT_ESTABLISHED},
    {"stateless", IPS_FLOW_STATELESS},
};

static bool setup_flow(struct ips_rule_build *b, const char *v, char *err, size_t errlen)
{
    if (b->seen_flow) {
        snprintf(err, errlen, "duplicate 'flow'");
        return false;
    }
    b->seen_flow = true;
    unsigned flags = 0;
    const char *p = v;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        size_t n = strcspn(p, ", \t");
        size_t i;
        for (i = 0; i < HS_ARRAY_SIZE(opts); i++)
            if (strlen(opts[i].name) == n && strncmp(opts[i].name, p, n) == 0)
                break;
        if (i == HS_ARRAY_SIZE(opts)) {
            snprintf(err, errlen, "unknown flow option '%.*s'", (int)(n > 32 ? 32 : n), p);
            return false;
        }
        flags |= opts[i].bit;
        p += n;
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        if (*p++ != ',') {
            snprintf(err, errlen, "expected ',' between flow options");
            return false;
        }
    }
    if ((flags & IPS_FLOW_TO_SERVER) && (flags & IPS_FLOW_TO_CLIENT)) {
        snprintf(err, errlen, "to_server and to_client are exclusive");
        return false;
    }
    if ((flags & IPS_FLOW_ESTABLISHED) && (flags & (IPS_FLOW_NOT_ESTABLISHED | IPS_FLOW_STATELESS))) {
        snprintf(err, errlen, "established excludes not_established and stateless");
        return false;
    }
    b->rule->flow = flags;
    return true;
}

const struct ips_kw ips_kw_flow[] = {
    {"flow", IPS_KW_VAL, setup_flow, NULL},
    {NULL, IPS_KW_NOVAL, NULL, NULL},
};
