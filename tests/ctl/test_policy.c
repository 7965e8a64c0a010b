/* test_policy.c - the controller's pure core: base flows, ARP answers, flow reconciliation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "common/buf.h"
#include "config/topology.h"
#include "ctl/flowset.h"
#include "ctl/policy.h"

static struct hs_topology *load_default(void)
{
    struct hs_topology *t = NULL;
    struct hs_cfg_err err;
    int r = hs_topology_parse(hs_default_topology_yaml, strlen(hs_default_topology_yaml),
                              "default", &t, &err);
    if (r != 0)
        fail_msg("default topology: %s", err.msg);
    return t;
}

static const struct hs_host *host(const struct hs_topology *t, const char *name)
{
    const struct hs_host *h = hs_topology_host(t, name);
    assert_non_null(h);
    return h;
}

static void test_base_flows_isolate_honeypot(void **state)
{
    (void)state;
    struct hs_topology *t = load_default();
    struct hs_flowset fs = {0};
    policy_base_flows(t, 0, &fs);
    const struct hs_host *hp = host(t, "honeypot");
    int isolate = 0, miss = 0, arp = 0, fwd = 0;
    for (size_t i = 0; i < fs.n; i++) {
        const struct hs_flow *f = &fs.v[i];
        assert_int_equal(f->cookie & HS_COOKIE_MASK, HS_COOKIE_TAG);
        for (unsigned a = 0; a < f->actions.n; a++) {
            const struct ofp_action *act = &f->actions.a[a];
            if (act->kind != OFPAT_OUTPUT)
                continue;
            /* never flood, never NORMAL, never to the honeypot's port */
            assert_true(act->port != OFPP_FLOOD && act->port != OFPP_ALL &&
                        act->port != OFPP_NORMAL);
            assert_int_not_equal(act->port, hp->port);
        }
        if (OFP_MATCH_HAS(&f->match, OFPXMT_IN_PORT) && f->match.in_port == hp->port) {
            assert_int_equal(f->table, HS_TABLE_PORTSEC);
            assert_int_equal(f->priority, 1000);
            assert_int_equal(f->actions.n, 0);          /* drop */
            assert_int_equal(f->actions.goto_table, 0xff);
            isolate++;
        }
        if (f->priority == 0)
            miss++;
        if (OFP_MATCH_HAS(&f->match, OFPXMT_ARP_OP))
            arp++;
        if (OFP_MATCH_HAS(&f->match, OFPXMT_ETH_DST))
            fwd++;
    }
    assert_int_equal(isolate, 1);
    assert_int_equal(miss, 2);
    assert_int_equal(arp, 1);
    assert_int_equal(fwd, 3); /* client, attacker, web; not the honeypot */
    size_t count = 0;
    policy_base_flows_count(t, 0, &count);
    assert_int_equal(count, fs.n);
    hs_flowset_free(&fs);
    hs_topology_free(t);
}

static void test_base_flows_port_security(void **state)
{
    (void)state;
    struct hs_topology *t = load_default();
    struct hs_flowset fs = {0};
    policy_base_flows(t, 0, &fs);
    const struct hs_host *web = host(t, "web");
    bool pass = false, drop = false;
    for (size_t i = 0; i < fs.n; i++) {
        const struct hs_flow *f = &fs.v[i];
        if (!OFP_MATCH_HAS(&f->match, OFPXMT_IN_PORT) || f->match.in_port != web->port)
            continue;
        if (OFP_MATCH_HAS(&f->match, OFPXMT_ETH_SRC)) {
            assert_memory_equal(f->match.eth_src, web->mac, 6);
            assert_int_equal(f->actions.goto_table, HS_TABLE_FWD);
            pass = true;
        } else {
            assert_int_equal(f->actions.n, 0);
            assert_true(f->priority < 200);
            drop = true;
        }
    }
    assert_true(pass && drop);
    hs_flowset_free(&fs);
    hs_topology_free(t);
}

/* An ARP request frame: who-has tpa tell (sha, spa). */
static void arp_request(uint8_t f[42], const uint8_t sha[6], uint32_t spa, uint32_t tpa)
{
    memset(f, 0xff, 6);
    memcpy(f + 6, sha, 6);
    hs_st16(f + 12, 0x0806);
    hs_st16(f + 14, 1);
    hs_st16(f + 16, 0x0800);
    f[18] = 6;
    f[19] = 4;
    hs_st16(f + 20, 1);
    memcpy(f + 22, sha, 6);
    hs_st32(f + 28, spa);
    memset(f + 32, 0, 6);
    hs_st32(f + 38, tpa);
}

static void test_arp_reply(void **state)
{
    (void)state;
    struct hs_topology *t = load_default();
    const struct hs_host *client = host(t, "client"), *web = host(t, "web");
    const struct hs_host *hp = host(t, "honeypot");
    uint8_t req[42], rep[42];
    arp_request(req, client->mac, client->ip, web->ip);
    assert_int_equal(policy_arp_reply(t, 0, client->port, req, sizeof req, rep), 1);
    assert_memory_equal(rep, client->mac, 6);            /* to the asker */
    assert_memory_equal(rep + 6, web->mac, 6);           /* from web */
    assert_int_equal(hs_be16(rep + 20), 2);              /* ARP reply */
    assert_memory_equal(rep + 22, web->mac, 6);          /* sender hardware address */
    assert_int_equal(hs_be32(rep + 28), web->ip);
    assert_memory_equal(rep + 32, client->mac, 6);
    assert_int_equal(hs_be32(rep + 38), client->ip);

    /* the honeypot's port gets no answer (isolated) */
    arp_request(req, hp->mac, hp->ip, client->ip);
    assert_int_equal(policy_arp_reply(t, 0, hp->port, req, sizeof req, rep), 0);
    /* an unknown address gets no answer */
    arp_request(req, client->mac, client->ip, 0xc6120063u);
    assert_int_equal(policy_arp_reply(t, 0, client->port, req, sizeof req, rep), 0);
    /* an unknown port gets no answer */
    arp_request(req, client->mac, client->ip, web->ip);
    assert_int_equal(policy_arp_reply(t, 0, 77, req, sizeof req, rep), 0);
    /* an ARP reply is not answered */
    hs_st16(req + 20, 2);
    assert_int_equal(policy_arp_reply(t, 0, client->port, req, sizeof req, rep), 0);
    /* malformed: short, not ARP, wrong hardware size */
    assert_int_equal(policy_arp_reply(t, 0, client->port, req, 41, rep), -1);
    arp_request(req, client->mac, client->ip, web->ip);
    hs_st16(req + 12, 0x0800);
    assert_int_equal(policy_arp_reply(t, 0, client->port, req, sizeof req, rep), -1);
    arp_request(req, client->mac, client->ip, web->ip);
    req[18] = 8;
    assert_int_equal(policy_arp_reply(t, 0, client->port, req, sizeof req, rep), -1);
    hs_topology_free(t);
}

static void test_plan(void **state)
{
    (void)state;
    struct hs_topology *t = load_default();
    struct hs_flowset want = {0}, actual = {0}, add = {0}, del = {0};
    policy_base_flows(t, 0, &want);

    /* empty switch: install everything */
    hs_flowset_plan(&want, &actual, &add, &del);
    assert_int_equal(add.n, want.n);
    assert_int_equal(del.n, 0);

    /* switch already converged (after a controller restart): change nothing */
    for (size_t i = 0; i < want.n; i++)
        hs_flowset_add(&actual, &want.v[i]);
    hs_flowset_clear(&add);
    hs_flowset_plan(&want, &actual, &add, &del);
    assert_int_equal(add.n, 0);
    assert_int_equal(del.n, 0);

    /* a stale flow of ours is removed, a foreign one is left alone, a changed one re-added */
    struct hs_flow stale = want.v[want.n - 1];
    stale.priority = 4242;
    hs_flowset_add(&actual, &stale);
    struct hs_flow foreign = stale;
    foreign.cookie = 0;
    foreign.priority = 4243;
    hs_flowset_add(&actual, &foreign);
    actual.v[0].actions.n = 0;
    actual.v[0].actions.goto_table = 0xff;
    if (want.v[0].actions.n == 0)
        fail_msg("first base flow was expected to have actions");
    hs_flowset_plan(&want, &actual, &add, &del);
    assert_int_equal(add.n, 1);
    assert_true(hs_flow_identical(&add.v[0], &want.v[0]));
    assert_int_equal(del.n, 1);
    assert_int_equal(del.v[0].priority, 4242);

    struct ofp_msg m;
    hs_flow_to_mod(&del.v[0], OFPFC_DELETE_STRICT, 7, &m);
    assert_int_equal(m.type, OFPT_FLOW_MOD);
    assert_int_equal(m.xid, 7);
    assert_int_equal(m.u.flow_mod.command, OFPFC_DELETE_STRICT);
    assert_int_equal(m.u.flow_mod.priority, 4242);
    assert_int_equal(m.u.flow_mod.cookie_mask, ~0ull);
    hs_flow_to_mod(&want.v[0], OFPFC_ADD, 8, &m);
    assert_int_equal(m.u.flow_mod.command, OFPFC_ADD);
    assert_true(ofp_actions_equal(&m.u.flow_mod.actions, &want.v[0].actions));

    hs_flowset_free(&want);
    hs_flowset_free(&actual);
    hs_flowset_free(&add);
    hs_flowset_free(&del);
    hs_topology_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base_flows_isolate_honeypot),
        cmocka_unit_test(test_base_flows_port_security),
        cmocka_unit_test(test_arp_reply),
        cmocka_unit_test(test_plan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
