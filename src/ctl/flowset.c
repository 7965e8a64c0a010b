/* flowset.c - desired-flow sets and their reconciliation against a switch's table. */
#include "ctl/flowset.h"
#include "common/util.h"

#include <stdlib.h>
#include <string.h>

void hs_flowset_add(struct hs_flowset *s, const struct hs_flow *f)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->v = xreallocarray(s->v, s->cap, sizeof *s->v);
    }
    s->v[s->n++] = *f;
}

void hs_flowset_clear(struct hs_flowset *s) { s->n = 0; }

void hs_flowset_free(struct hs_flowset *s)
{
    free(s->v);
    memset(s, 0, sizeof *s);
}

bool hs_flow_same_entry(const struct hs_flow *a, const struct hs_flow *b)
{
    return a->table == b->table && a->priority == b->priority &&
           ofp_match_equal(&a->match, &b->match);
}

bool hs_flow_identical(const struct hs_flow *a, const struct hs_flow *b)
{
    return hs_flow_same_entry(a, b) && a->cookie == b->cookie &&
           a->idle_timeout == b->idle_timeout && a->hard_timeout == b->hard_timeout &&
           ofp_actions_equal(&a->actions, &b->actions);
}

void hs_flowset_plan(const struct hs_flowset *desired, const struct hs_flowset *actual,
                     struct hs_flowset *to_add, struct hs_flowset *to_delete)
{
    for (size_t i = 0; i < desired->n; i++) {
        bool found = false;
        for (size_t j = 0; j < actual->n && !found; j++)
            found = hs_flow_identical(&desired->v[i], &actual->v[j]);
        if (!found)
            hs_flowset_add(to_add, &desired->v[i]);
    }
    for (size_t j = 0; j < actual->n; j++) {
        const struct hs_flow *a = &actual->v[j];
        if ((a->cookie & HS_COOKIE_MASK) != HS_COOKIE_TAG)
            continue;
        bool wanted = false;
        for (size_t i = 0; i < desired->n && !wanted; i++)
            wanted = hs_flow_same_entry(&desired->v[i], a);
        if (!wanted)
            hs_flowset_add(to_delete, a);
    }
}

void hs_flow_delete_by_cookie(uint64_t cookie, uint64_t mask, uint8_t table, struct ofp_msg *msg)
{
    ofp_msg_init(msg, OFPT_FLOW_MOD, 0);
    struct ofp_flow_mod *fm = &msg->u.flow_mod;
    fm->cookie = cookie;
    fm->cookie_mask = mask;
    fm->table_id = table;
    fm->command = OFPFC_DELETE;
    fm->buffer_id = OFP_NO_BUFFER;
    fm->out_port = OFPP_ANY;
    fm->out_group = OFPG_ANY;
    fm->actions.goto_table = 0xff;
}

void hs_flow_to_mod(const struct hs_flow *f, enum ofp_flow_mod_command cmd, uint32_t xid,
                    struct ofp_msg *msg)
{
    ofp_msg_init(msg, OFPT_FLOW_MOD, xid);
    struct ofp_flow_mod *fm = &msg->u.flow_mod;
    fm->cookie = f->cookie;
    fm->cookie_mask = cmd == OFPFC_DELETE_STRICT ? ~0ull : 0;
    fm->table_id = f->table;
    fm->command = cmd;
    fm->idle_timeout = f->idle_timeout;
    fm->hard_timeout = f->hard_timeout;
    fm->priority = f->priority;
    fm->buffer_id = OFP_NO_BUFFER;
    fm->out_port = OFPP_ANY;
    fm->out_group = OFPG_ANY;
    fm->flags = cmd == OFPFC_ADD ? f->flags : 0;
    fm->match = f->match;
    if (cmd == OFPFC_ADD)
        fm->actions = f->actions;
    else {
        fm->actions.n = 0;
        fm->actions.goto_table = 0xff;
    }
}

void hs_flow_from_stats(const struct ofp_flow_stats *st, struct hs_flow *f)
{
    memset(f, 0, sizeof *f);
    f->table = st->table_id;
    f->priority = st->priority;
    f->cookie = st->cookie;
    f->idle_timeout = st->idle_timeout;
    f->hard_timeout = st->hard_timeout;
    f->flags = st->flags;
    f->match = st->match;
    f->actions = st->actions;
}
