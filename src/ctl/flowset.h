/* flowset.h - flows the controller wants on a switch, and reconciling them with what a switch
 * reports (pure). Our flows carry a cookie whose top 16 bits are HS_COOKIE_TAG. */
#ifndef HS_CTL_FLOWSET_H
#define HS_CTL_FLOWSET_H

#include <stddef.h>
#include <stdint.h>

#include "ofp/ofp.h"

#define HS_COOKIE_TAG 0x4853000000000000ull   /* "HS" */
#define HS_COOKIE_MASK 0xffff000000000000ull
/* Cookie kinds (low bits), to tell flows apart in dumps. */
enum hs_cookie_kind { HS_CK_MISS = 1, HS_CK_ISOLATE = 2, HS_CK_PORTSEC = 3, HS_CK_ARP = 4,
                      HS_CK_FWD = 5, HS_CK_ANTISPOOF = 6, HS_CK_IPS_PORTSEC = 7, HS_CK_STEER = 8,
                      HS_CK_BLOCK = 9, HS_CK_UNINSPECTED = 10 };
/* The kind and detail (low 32 bits: a port or an IPv4 address) of one of our cookies. */
#define HS_COOKIE_KIND(c) ((unsigned)(((c) >> 32) & 0xffffu))
#define HS_COOKIE_DETAIL(c) ((uint32_t)(c))

/* One flow entry. */
struct hs_flow {
    uint8_t table;
    uint16_t priority;
    uint64_t cookie;
    uint16_t idle_timeout, hard_timeout;
    uint16_t flags;             /* OFPFF_*: sent on ADD; not compared (switches may not echo) */
    struct ofp_match match;
    struct ofp_actions actions;
};

struct hs_flowset {
    size_t n, cap;
    struct hs_flow *v;
};

/* Append a flow (copied). */
void hs_flowset_add(struct hs_flowset *s, const struct hs_flow *f);
/* Empty the set, keep storage. */
void hs_flowset_clear(struct hs_flowset *s);
/* Release storage. */
void hs_flowset_free(struct hs_flowset *s);
/* Same table, priority and match: the same OpenFlow flow entry. */
bool hs_flow_same_entry(const struct hs_flow *a, const struct hs_flow *b);
/* Same entry and the same actions, cookie and timeouts: nothing to change. */
bool hs_flow_identical(const struct hs_flow *a, const struct hs_flow *b);

/* Reconcile: fill to_add with desired flows missing or different in actual, and to_delete
 * with our (cookie-tagged) flows in actual that are not desired. Foreign flows are left alone. */
void hs_flowset_plan(const struct hs_flowset *desired, const struct hs_flowset *actual,
                     struct hs_flowset *to_add, struct hs_flowset *to_delete);

/* A non-strict OFPFC_DELETE of every flow whose cookie matches cookie under mask, in one table
 * (OFPTT_ALL: every table), any priority and match. */
void hs_flow_delete_by_cookie(uint64_t cookie, uint64_t mask, uint8_t table, struct ofp_msg *msg);
/* Build the FLOW_MOD message that installs (OFPFC_ADD) or removes (OFPFC_DELETE_STRICT) f. */
void hs_flow_to_mod(const struct hs_flow *f, enum ofp_flow_mod_command cmd, uint32_t xid,
                    struct ofp_msg *msg);
/* Convert a flow-stats entry into a flow. */
void hs_flow_from_stats(const struct ofp_flow_stats *st, struct hs_flow *f);

#endif
