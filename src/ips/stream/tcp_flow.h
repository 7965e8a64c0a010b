/* tcp_flow.h - TCP flow table (internal): hash by unordered endpoint pair, so both directions
 * find one flow; LRU lists per timeout class; stable 64-bit flow ids. Pure. */
#ifndef HS_IPS_STREAM_TCP_FLOW_H
#define HS_IPS_STREAM_TCP_FLOW_H

#include "ips/stream/ips_stream.h"
#include "ips/stream/tcp_stream.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Timeout classes, each an LRU list ordered by last_seen. */
enum flow_class { FLOW_EMBRYONIC, FLOW_ACTIVE, FLOW_CLOSED, FLOW__CLASSES };

struct ips_flow {
    uint64_t id;
    struct ips_flow_key key;
    enum ips_tcp_state state;
    struct tcp_half half[2];        /* indexed by enum ips_dir (data sent in that direction) */
    uint32_t client_isn, server_isn;
    bool synack_seen;
    bool blocked;                   /* an inspector vetoed: drop everything */
    void *user;
    uint64_t last_seen;
    enum flow_class cls;
    struct ips_flow *hnext, *lprev, *lnext;
};

struct flow_list {
    struct ips_flow *head, *tail;   /* head = most recently used */
};

struct flow_table {
    struct ips_flow **buckets;
    size_t nbuckets, count;
    uint64_t seed, next_id;
    struct flow_list lru[FLOW__CLASSES];
};

/* Initialise for up to max_flows flows. */
void flow_table_init(struct flow_table *t, size_t max_flows, uint64_t seed);
/* Free the bucket array (flows must have been removed). */
void flow_table_destroy(struct flow_table *t);
/* Find the flow of a packet src:sport -> dst:dport; *dir tells its direction. */
struct ips_flow *flow_table_find(struct flow_table *t, uint32_t src, uint16_t sport, uint32_t dst,
                                 uint16_t dport, enum ips_dir *dir);
/* Insert a new zeroed flow for client -> server, seen at now (new id assigned). */
struct ips_flow *flow_table_insert(struct flow_table *t, const struct ips_flow_key *key,
                                   uint64_t now);
/* Unlink and free f (the caller released its halves and user data first). */
void flow_table_remove(struct flow_table *t, struct ips_flow *f);
/* Mark f used at now and move it to the head of the list of its state's class. */
void flow_table_touch(struct flow_table *t, struct ips_flow *f, uint64_t now);
/* Timeout class of a state. */
enum flow_class flow_class_of(enum ips_tcp_state st);

#endif
