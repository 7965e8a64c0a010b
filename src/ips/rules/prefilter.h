/* prefilter.h - Hyperscan multi-pattern prefilter, per transaction direction (rules with
 * flow:to_server are only in the to_server databases, and so on): per buffer, one literal database built from
 * each rule's fast pattern and one regex database from the pcre of rules without a content
 * (prefilter mode), so only rules whose pattern occurs are evaluated in full. */
#ifndef HS_IPS_PREFILTER_H
#define HS_IPS_PREFILTER_H

#include "ips/rules/rule.h"

struct ips_prefilter;

/* Build from rules[0..n) (indexes are positions in that array); NULL with a reason. */
struct ips_prefilter *ips_prefilter_build(struct ips_rule *const *rules, size_t n, char *err,
                                          size_t errlen);
/* Release (NULL is fine). */
void ips_prefilter_free(struct ips_prefilter *pf);
/* Grow the scratch's Hyperscan scratch space for these databases; false on failure. */
bool ips_prefilter_prepare(const struct ips_prefilter *pf, struct ips_scratch *s);
/* Scan the transaction's buffers; add(index, ud) for each rule whose pattern occurs (a rule may
 * be reported more than once). false when Hyperscan fails. */
bool ips_prefilter_scan(const struct ips_prefilter *pf, struct ips_scratch *s,
                        const struct ips_txn *t, void (*add)(uint32_t idx, void *ud), void *ud);
/* Rules prefiltered by their pcre (Hyperscan prefilter mode). */
size_t ips_prefilter_regex_count(const struct ips_prefilter *pf);
/* Rules without a pattern (always candidates): array and count. */
const uint32_t *ips_prefilter_always(const struct ips_prefilter *pf, size_t *n);
/* The always-candidates that can match a transaction in direction d. */
const uint32_t *ips_prefilter_always_dir(const struct ips_prefilter *pf, enum ips_dir d, size_t *n);

#endif
