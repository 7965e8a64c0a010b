/* ruleset.h - the compiled rule set (internal; see rules.h for the API). */
#ifndef HS_IPS_RULESET_H
#define HS_IPS_RULESET_H

#include "ips/rules/prefilter.h"
#include "ips/rules/rule.h"

struct ips_ruleset {
    struct ips_rule **rules;     /* evaluation order */
    size_t n;
    struct ips_rule **by_sid;    /* sorted by (gid, sid) */
    struct ips_prefilter *pf;
    uint64_t gen;                /* unique per rule set, keys the scratch sizing */
    uint32_t derived;            /* derived buffers some rule inspects (ips_rule_derived_mask) */
};

#endif
