/* tcp_flow.c - TCP flow table: hashing, LRU lists, ids, accessors. */
#include "ips/stream/tcp_flow.h"

#include "common/util.h"
#include "ips/stream/stream_hash.h"

#include <stdlib.h>

void flow_table_init(struct flow_table *t, size_t max_flows, uint64_t seed)
{
    *t = (struct flow_table){0};
    t->nbuckets = stream_buckets_for(max_flows);
    t->buckets = xcalloc(t->nbuckets, sizeof *t->buckets);
    t->seed = seed;
}

void flow_table_destroy(struct flow_table *t)
{
    free(t->buckets);
    t->buckets = NULL;
}

static size_t bucket_of(const struct flow_table *t, uint32_t a_ip, uint16_t a_port, uint32_t b_ip,
                        uint16_t b_port)
{
    uint64_t a = (uint64_t)a_ip << 16 | a_port, b = (uint64_t)b_ip << 16 | b_port;
    if (a > b) {
        uint64_t x = a;
        a = b;
        b = x;
    }
    return (size_t)(stream_hash2(t->seed, a, b) & (t->nbuckets - 1));
}

struct ips_flow *flow_table_find(struct flow_table *t, uint32_t src, uint16_t sport, uint32_t dst,
                                 uint16_t dport, enum ips_dir *dir)
{
    for (struct ips_flow *f = t->buckets[bucket_of(t, src, sport, dst, dport)]; f; f = f->hnext) {
        const struct ips_flow_key *k = &f->key;
        if (k->client_ip == src && k->client_port == sport && k->server_ip == dst &&
            k->server_port == dport) {
            *dir = IPS_DIR_TO_SERVER;
            return f;
        }
        if (k->client_ip == dst && k->client_port == dport && k->server_ip == src &&
            k->server_port == sport) {
            *dir = IPS_DIR_TO_CLIENT;
            return f;
        }
    }
    return NULL;
}

enum flow_class flow_class_of(enum ips_tcp_state st)
{
    switch (st) {
    case IPS_TCP_SYN_SENT:
    case IPS_TCP_SYN_RECV:
        return FLOW_EMBRYONIC;
    case IPS_TCP_ESTABLISHED:
    case IPS_TCP_CLOSING:
        return FLOW_ACTIVE;
    case IPS_TCP_CLOSED:
    case IPS_TCP_RESET:
        return FLOW_CLOSED;
    }
    return FLOW_ACTIVE;
}

static void list_unlink(struct flow_list *l, struct ips_flow *f)
{
    if (f->lprev)
        f->lprev->lnext = f->lnext;
    else
        l->head = f->lnext;
    if (f->lnext)
        f->lnext->lprev = f->lprev;
    else
        l->tail = f->lprev;
    f->lprev = f->lnext = NULL;
}

static void list_push(struct flow_list *l, struct ips_flow *f)
{
    f->lprev = NULL;
    f->lnext = l->head;
    if (l->head)
        l->head->lprev = f;
    l->head = f;
    if (!l->tail)
        l->tail = f;
}

struct ips_flow *flow_table_insert(struct flow_table *t, const struct ips_flow_key *key,
                                   uint64_t now)
{
    struct ips_flow *f = xcalloc(1, sizeof *f);
    f->key = *key;
    /* unique per table for 2^32 flows, < 2^51 so it survives JSON doubles */
    t->next_id++;
    f->id = ((t->seed & 0x7ffff) << 32 | (t->next_id & 0xffffffffu)) + 1;
    f->last_seen = now;
    f->state = IPS_TCP_SYN_SENT;
    f->cls = FLOW_EMBRYONIC;
    size_t b = bucket_of(t, key->client_ip, key->client_port, key->server_ip, key->server_port);
    f->hnext = t->buckets[b];
    t->buckets[b] = f;
    list_push(&t->lru[f->cls], f);
    t->count++;
    return f;
}

void flow_table_remove(struct flow_table *t, struct ips_flow *f)
{
    const struct ips_flow_key *k = &f->key;
    struct ips_flow **pp = &t->buckets[bucket_of(t, k->client_ip, k->client_port, k->server_ip,
                                                 k->server_port)];
    while (*pp != f)
        pp = &(*pp)->hnext;
    *pp = f->hnext;
    list_unlink(&t->lru[f->cls], f);
    t->count--;
    free(f);
}

void flow_table_touch(struct flow_table *t, struct ips_flow *f, uint64_t now)
{
    if (now > f->last_seen)
        f->last_seen = now;
    list_unlink(&t->lru[f->cls], f);
    f->cls = flow_class_of(f->state);
    list_push(&t->lru[f->cls], f);
}

uint64_t ips_flow_id(const struct ips_flow *f) { return f->id; }
const struct ips_flow_key *ips_flow_key(const struct ips_flow *f) { return &f->key; }
enum ips_tcp_state ips_flow_state(const struct ips_flow *f) { return f->state; }
uint64_t ips_flow_delivered(const struct ips_flow *f, enum ips_dir dir)
{
    return f->half[dir].next_off;
}
void *ips_flow_user(const struct ips_flow *f) { return f->user; }
void ips_flow_set_user(struct ips_flow *f, void *user) { f->user = user; }

const char *ips_tcp_state_name(enum ips_tcp_state st)
{
    switch (st) {
    case IPS_TCP_SYN_SENT: return "syn_sent";
    case IPS_TCP_SYN_RECV: return "syn_recv";
    case IPS_TCP_ESTABLISHED: return "established";
    case IPS_TCP_CLOSING: return "closing";
    case IPS_TCP_CLOSED: return "closed";
    case IPS_TCP_RESET: return "reset";
    }
    return "unknown";
}
