/* strategy.h - Sandnet's cloning strategies and shrinking phase as decisions over data (pure).
 *
 *   active     every PN container has a hot clone on SN before anything happens
 *   reactive   at detection the SC's current peers are cloned; later, each container the SC's
 *              side first contacts on SN (a hold flow's counter moves) is cloned then
 *   proactive  at detection, in one concurrent batch: the SC's peers plus the containers the
 *              heuristic rates active or highly interactive, plus their k nearest neighbours in
 *              the traffic graph; reactive as the fall-back for anything missed
 *   shrinking  a clone the adversary has not touched for sleep_after_ms is frozen; one frozen
 *              for remove_after_ms more is removed; a touch thaws a frozen clone. */
#ifndef HS_SANDNET_STRATEGY_H
#define HS_SANDNET_STRATEGY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SN_STRAT_MAX_NODES 32

enum sn_strategy { SN_STRAT_ACTIVE = 0, SN_STRAT_REACTIVE, SN_STRAT_PROACTIVE };

/* Flow statistics over one time window, as the controller's flow counters give them. */
struct sn_traffic {
    size_t n;                                           /* nodes */
    uint64_t size_bytes[SN_STRAT_MAX_NODES];           /* container size (memory + FS diff) */
    uint64_t bytes[SN_STRAT_MAX_NODES][SN_STRAT_MAX_NODES];    /* i -> j in the window */
    uint64_t dur_ms[SN_STRAT_MAX_NODES][SN_STRAT_MAX_NODES];   /* longest flow i -> j */
};

struct sn_heuristic {
    double w_size, w_bytes, w_dur;   /* weights of the normalised features (sum need not be 1) */
    double threshold;                /* score >= threshold: pre-clone (score in [0, sum w]) */
    unsigned k;                      /* nearest neighbours added per selected node */
};

/* The defaults: w_size 0.1, w_bytes 0.6, w_dur 0.3, threshold 0.6, k 1. */
struct sn_heuristic sn_heuristic_default(void);
/* Parse "active", "reactive", "proactive"; false otherwise. */
bool sn_strategy_parse(const char *s, enum sn_strategy *out);
const char *sn_strategy_name(enum sn_strategy s);

/* Score of node i: w_size*norm(size) + w_bytes*norm(bytes sent+received) + w_dur*norm(longest
 * flow), each feature normalised by its maximum over all nodes (0 when every value is 0). */
double sn_proactive_score(const struct sn_traffic *t, const struct sn_heuristic *h, size_t i);
/* Up to k nearest neighbours of node i in the traffic graph: its peers (bytes either way > 0),
 * most bytes first, ties by lower index; excluded[j] nodes are skipped. Returns the count. */
size_t sn_knn(const struct sn_traffic *t, size_t i, unsigned k, const bool *excluded, size_t out[]);
/* Nodes to clone at detection of sc. active: all; reactive: sc's peers; proactive: sc's peers,
 * every node scoring >= threshold, and the k nearest neighbours of each of those. sel[sc] is
 * always false. Returns the count. */
size_t sn_strategy_initial(enum sn_strategy s, const struct sn_traffic *t,
                           const struct sn_heuristic *h, size_t sc, bool sel[]);

enum sn_shrink_action { SN_SHRINK_KEEP = 0, SN_SHRINK_FREEZE, SN_SHRINK_THAW, SN_SHRINK_REMOVE };
struct sn_shrink_state {
    bool frozen;
    uint64_t last_touch_ms;    /* last time the adversary's side sent it a packet */
    uint64_t frozen_since_ms;
};
/* What to do with one clone now. */
enum sn_shrink_action sn_shrink_decide(const struct sn_shrink_state *s, uint64_t now_ms,
                                       uint64_t sleep_after_ms, uint64_t remove_after_ms);

#endif
