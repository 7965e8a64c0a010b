/* scratch.h - per-thread working memory of the matcher (internal; see ips_scratch_new). */
#ifndef HS_IPS_SCRATCH_H
#define HS_IPS_SCRATCH_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <hs/hs.h>
#include <pcre2.h>
#include <stdint.h>

struct ips_scratch {
    hs_scratch_t *hs;             /* grown for every rule set it is used with */
    uint64_t gen;                 /* generation of the rule set the arrays below are sized for */
    uint8_t *seen;                /* per rule: already a candidate */
    uint32_t *cand;               /* candidate rule indexes */
    size_t ncand, cap;
    pcre2_match_data *md;
    pcre2_match_context *mctx;    /* match and depth limits */
    uint32_t pcre_errors;
    uint32_t steps;               /* inspection steps left for the current buffer list */
    uint8_t *xbuf[8];             /* derived (transformed) buffers, by derived index */
    size_t xcap[8];
};

#endif
