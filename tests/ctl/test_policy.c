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
        if (OFP_MATCH_HAS(&f->match, OFPXMT_ETH_DST) && HS_COOKIE_KIND(f->cookie) == HS_CK_FWD)
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
        if (!OFP_MATCH_HAS(&f->match, OFPXMT_IN_PORT) || f->match.in_port != web->port ||
            f->table != HS_TABLE_PORTSEC)
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

/* ---- a small model of the switch pipeline, to check what the flows do together ---- */

struct pkt {
    uint32_t in_port;
    uint8_t src[6], dst[6];
    uint16_t eth_type;
    uint32_t ip_src, ip_dst;
    uint16_t arp_op;
};

#define OUT_DROP 0u
#define OUT_CONTROLLER OFPP_CONTROLLER

static bool matches(const struct ofp_match *m, const struct pkt *p)
{
    if (OFP_MATCH_HAS(m, OFPXMT_IN_PORT) && m->in_port != p->in_port)
        return false;
    if (OFP_MATCH_HAS(m, OFPXMT_ETH_SRC) && memcmp(m->eth_src, p->src, 6))
        return false;
    if (OFP_MATCH_HAS(m, OFPXMT_ETH_DST) && memcmp(m->eth_dst, p->dst, 6))
        return false;
    if (OFP_MATCH_HAS(m, OFPXMT_ETH_TYPE) && m->eth_type != p->eth_type)
        return false;
    if (OFP_MATCH_HAS(m, OFPXMT_IPV4_SRC) && (p->eth_type != HS_ETH_IPV4 || m->ipv4_src != p->ip_src))
        return false;
    if (OFP_MATCH_HAS(m, OFPXMT_IPV4_DST) && (p->eth_type != HS_ETH_IPV4 || m->ipv4_dst != p->ip_dst))
        return false;
    if (OFP_MATCH_HAS(m, OFPXMT_ARP_OP) && (p->eth_type != HS_ETH_ARP || m->arp_op != p->arp_op))
        return false;
    return true;
}

/* Where the pipeline sends p: an output port, OUT_CONTROLLER, or OUT_DROP. */
static uint32_t forward(const struct hs_flowset *fs, const struct pkt *p)
{
    uint8_t table = 0;
    for (int hops = 0; hops < 4; hops++) {
        const struct hs_flow *best = NULL;
        for (size_t i = 0; i < fs->n; i++) {
            const struct hs_flow *f = &fs->v[i];
            if (f->table == table && matches(&f->match, p) &&
                (!best || f->priority > best->priority))
                best = &fs->v[i];
        }
        if (!best)
            return OUT_DROP; /* OpenFlow 1.3 table miss without a miss flow */
        if (best->actions.n > 0)
            return best->actions.a[0].port;
        if (best->actions.goto_table == 0xff || best->actions.goto_table == 0)
            return OUT_DROP;
        table = best->actions.goto_table;
    }
    fail_msg("goto loop");
    return OUT_DROP;
}

static struct pkt ip_pkt(uint32_t in_port, const struct hs_host *from, const struct hs_host *to)
{
    struct pkt p;
    memset(&p, 0, sizeof p);
    p.in_port = in_port;
    memcpy(p.src, from->mac, 6);
    memcpy(p.dst, to->mac, 6);
    p.eth_type = HS_ETH_IPV4;
    p.ip_src = from->ip;
    p.ip_dst = to->ip;
    return p;
}

static void test_ips_steering(void **state)
{
    (void)state;
    struct hs_topology *t = load_default();
    assert_true(hs_topology_ips_on(t, 0));
    uint32_t ips = t->ips.port;
    assert_int_equal(ips, 10);
    const struct hs_host *client = host(t, "client"), *att = host(t, "attacker");
    const struct hs_host *web = host(t, "web");
    struct hs_flowset fs = {0};
    policy_base_flows(t, 0, &fs);

    size_t steer = 0;
    for (size_t i = 0; i < fs.n; i++)
        if (HS_COOKIE_KIND(fs.v[i].cookie) == HS_CK_STEER) {
            steer++;
            assert_int_equal(fs.v[i].actions.a[0].port, ips);
        }
    assert_int_equal(steer, 4); /* client->web, attacker->web, web->client, web->attacker */

    /* client -> web: to the IPS, and from the IPS on to web */
    struct pkt p = ip_pkt(client->port, client, web);
    assert_int_equal(forward(&fs, &p), ips);
    p.in_port = ips;
    assert_int_equal(forward(&fs, &p), web->port);
    /* web -> client: the same in reverse */
    p = ip_pkt(web->port, web, client);
    assert_int_equal(forward(&fs, &p), ips);
    p.in_port = ips;
    assert_int_equal(forward(&fs, &p), client->port);
    /* client -> attacker (client to client) is not inspected */
    p = ip_pkt(client->port, client, att);
    assert_int_equal(forward(&fs, &p), att->port);
    /* what the IPS cannot inspect never passes between client and production (IPv6 here),
     * while client to client is not the IPS's business */
    p = ip_pkt(client->port, client, web);
    p.eth_type = 0x86dd;
    assert_int_equal(forward(&fs, &p), OUT_DROP);
    p = ip_pkt(web->port, web, client);
    p.eth_type = 0x86dd;
    assert_int_equal(forward(&fs, &p), OUT_DROP);
    p = ip_pkt(client->port, client, att);
    p.eth_type = 0x86dd;
    assert_int_equal(forward(&fs, &p), att->port);
    /* a unicast ARP reply goes directly, not through the IPS */
    p = ip_pkt(web->port, web, client);
    p.eth_type = HS_ETH_ARP;
    p.arp_op = 2;
    assert_int_equal(forward(&fs, &p), client->port);
    /* ARP is never steered: to the controller */
    p = ip_pkt(client->port, client, web);
    p.eth_type = HS_ETH_ARP;
    p.arp_op = 1;
    memset(p.dst, 0xff, 6);
    assert_int_equal(forward(&fs, &p), OUT_CONTROLLER);
    /* the IPS port only accepts client/production source MACs */
    p = ip_pkt(ips, client, web);
    p.src[5] ^= 0x55;
    assert_int_equal(forward(&fs, &p), OUT_DROP);
    /* a client still cannot spoof */
    p = ip_pkt(client->port, att, web);
    assert_int_equal(forward(&fs, &p), OUT_DROP);
    hs_flowset_free(&fs);

    /* the same topology with the IPS disabled: no steering, direct delivery */
    static const char *const yaml =
        "lab: x\nips:\n  port: 7\n  enabled: false\nswitches:\n  - name: x-br0\n    dpid: 1\n"
        "hosts:\n  - name: c\n    role: client\n    switch: x-br0\n    port: 1\n"
        "    mac: 02:00:00:00:00:01\n    ip: 198.18.0.1/24\n"
        "  - name: w\n    role: production\n    switch: x-br0\n    port: 2\n"
        "    mac: 02:00:00:00:00:02\n    ip: 198.18.0.2/24\n";
    struct hs_topology *t2 = NULL;
    struct hs_cfg_err err;
    if (hs_topology_parse(yaml, strlen(yaml), "x.yaml", &t2, &err) != 0)
        fail_msg("%s", err.msg);
    assert_false(hs_topology_ips_on(t2, 0));
    policy_base_flows(t2, 0, &fs);
    for (size_t i = 0; i < fs.n; i++)
        assert_int_not_equal(HS_COOKIE_KIND(fs.v[i].cookie), HS_CK_STEER);
    p = ip_pkt(1, &t2->hosts[0], &t2->hosts[1]);
    assert_int_equal(forward(&fs, &p), 2);
    p.eth_type = 0x86dd; /* no IPS, nothing to fail closed for */
    assert_int_equal(forward(&fs, &p), 2);
    hs_flowset_free(&fs);
    hs_topology_free(t2);
    hs_topology_free(t);
}

/* ips.mode bump: web's port leads to its bump (honeyshift-ipsd in front of web), so the
 * controller installs no steering or uninspected-EtherType flows and treats web's port like any
 * host port; ARP answers and attacker blocks are unchanged. */
static void test_ips_bump(void **state)
{
    (void)state;
    static const char *const yaml =
        "lab: x\nips:\n  mode: bump\nswitches:\n  - name: x-br0\n    dpid: 1\n"
        "hosts:\n  - name: c\n    role: client\n    switch: x-br0\n    port: 1\n"
        "    mac: 02:00:00:00:00:01\n    ip: 198.18.0.1/24\n"
        "  - name: a\n    role: client\n    switch: x-br0\n    port: 2\n"
        "    mac: 02:00:00:00:00:03\n    ip: 198.18.0.3/24\n"
        "  - name: w\n    role: production\n    switch: x-br0\n    port: 3\n"
        "    mac: 02:00:00:00:00:02\n    ip: 198.18.0.2/24\n";
    struct hs_topology *t = NULL;
    struct hs_cfg_err err;
    if (hs_topology_parse(yaml, strlen(yaml), "x.yaml", &t, &err) != 0)
        fail_msg("%s", err.msg);
    assert_true(hs_topology_ips_on(t, 0));
    assert_false(hs_topology_ips_steers(t, 0));
    const struct hs_host *c = host(t, "c"), *a = host(t, "a"), *w = host(t, "w");
    assert_true(hs_topology_ips_bumped(t, w));
    struct hs_flowset fs = {0};
    policy_base_flows(t, 0, &fs);
    for (size_t i = 0; i < fs.n; i++) {
        unsigned k = HS_COOKIE_KIND(fs.v[i].cookie);
        assert_int_not_equal(k, HS_CK_STEER);
        assert_int_not_equal(k, HS_CK_UNINSPECTED);
        assert_int_not_equal(k, HS_CK_IPS_PORTSEC);
        for (unsigned j = 0; j < fs.v[i].actions.n; j++) /* outputs only to host ports */
            if (fs.v[i].actions.a[j].kind == OFPAT_OUTPUT &&
                fs.v[i].actions.a[j].port != OFPP_CONTROLLER)
                assert_true(fs.v[i].actions.a[j].port >= 1 && fs.v[i].actions.a[j].port <= 3);
    }
    /* client <-> web by destination MAC through web's (the bump's) port */
    struct pkt p = ip_pkt(c->port, c, w);
    assert_int_equal(forward(&fs, &p), w->port);
    p = ip_pkt(w->port, w, c);
    assert_int_equal(forward(&fs, &p), c->port);
    /* the switch leaves other EtherTypes to the bump (honeyshift-ipsd drops all but IPv4 and
     * ARP there); a spoofed source MAC is still dropped at the port */
    p = ip_pkt(c->port, c, w);
    p.eth_type = 0x86dd;
    assert_int_equal(forward(&fs, &p), w->port);
    p = ip_pkt(c->port, a, w);
    assert_int_equal(forward(&fs, &p), OUT_DROP);
    /* ARP: the controller answers with web's MAC, asked from the client's port */
    uint8_t req[42], reply[42];
    arp_request(req, c->mac, c->ip, w->ip);
    assert_int_equal(policy_arp_reply(t, 0, c->port, req, sizeof req, reply), 1);
    assert_memory_equal(reply + 6, w->mac, 6);
    /* the IPS verdict: an attacker's block flows are the same as in steer mode, and they drop
     * its traffic to web before web's port */
    size_t before = fs.n;
    assert_int_equal(policy_block_flows(t, 0, a->ip, &fs), 2);
    assert_int_equal(fs.n, before + 2);
    p = ip_pkt(a->port, a, w);
    assert_int_equal(forward(&fs, &p), OUT_DROP);
    p = ip_pkt(w->port, w, a);
    assert_int_equal(forward(&fs, &p), OUT_DROP);
    p = ip_pkt(c->port, c, w);
    assert_int_equal(forward(&fs, &p), w->port);
    hs_flowset_free(&fs);
    hs_topology_free(t);
}

static void test_block_flows(void **state)
{
    (void)state;
    struct hs_topology *t = load_default();
    const struct hs_host *client = host(t, "client"), *att = host(t, "attacker");
    const struct hs_host *web = host(t, "web"), *hp = host(t, "honeypot");
    uint32_t ips = t->ips.port;
    struct hs_flowset fs = {0};
    policy_base_flows(t, 0, &fs);
    size_t base = fs.n;
    assert_int_equal(policy_block_flows(t, 0, att->ip, &fs), 2); /* one production host */
    for (size_t i = base; i < fs.n; i++) {
        const struct hs_flow *f = &fs.v[i];
        assert_int_equal(f->table, HS_TABLE_PORTSEC);
        assert_int_equal(f->priority, HS_PRIO_BLOCK);
        assert_int_equal(f->actions.n, 0);
        assert_int_equal(policy_block_ip(f), att->ip);
        assert_int_equal(f->idle_timeout, 0); /* default: no timeout */
        assert_int_equal(f->hard_timeout, 0);
        assert_int_equal(f->flags, 0);
    }
    assert_int_equal(policy_block_ip(&fs.v[0]), 0); /* a base flow is not a block flow */

    /* the attacker cannot reach web, from its port or through the IPS; web cannot answer */
    struct pkt p = ip_pkt(att->port, att, web);
    assert_int_equal(forward(&fs, &p), OUT_DROP);
    p.in_port = ips;
    assert_int_equal(forward(&fs, &p), OUT_DROP);
    p = ip_pkt(web->port, web, att);
    assert_int_equal(forward(&fs, &p), OUT_DROP);
    /* the benign client is not affected */
    p = ip_pkt(client->port, client, web);
    assert_int_equal(forward(&fs, &p), ips);
    p.in_port = ips;
    assert_int_equal(forward(&fs, &p), web->port);

    /* who may be blocked */
    assert_true(policy_block_allowed(t, att->ip));
    assert_true(policy_block_allowed(t, 0xc6120063u)); /* an outside address */
    assert_false(policy_block_allowed(t, web->ip));
    assert_false(policy_block_allowed(t, hp->ip));
    assert_false(policy_block_allowed(t, 0));
    assert_false(policy_block_allowed(t, 0xe0000001u)); /* multicast */
    assert_false(policy_block_allowed(t, 0x7f000001u)); /* loopback */
    hs_flowset_free(&fs);
    hs_topology_free(t);

    /* timeouts from the topology; timed flows ask for FLOW_REMOVED */
    static const char *const yaml =
        "lab: x\nips:\n  port: 7\n  block_idle_timeout: 30\n  block_hard_timeout: 600\n"
        "switches:\n  - name: x-br0\n    dpid: 1\nhosts:\n"
        "  - name: w1\n    role: production\n    switch: x-br0\n    port: 1\n"
        "    mac: 02:00:00:00:00:01\n    ip: 198.18.0.1/24\n"
        "  - name: w2\n    role: production\n    switch: x-br0\n    port: 2\n"
        "    mac: 02:00:00:00:00:02\n    ip: 198.18.0.2/24\n";
    struct hs_cfg_err err;
    if (hs_topology_parse(yaml, strlen(yaml), "x.yaml", &t, &err) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(policy_block_flows(t, 0, 0xc6130001u, &fs), 4);
    for (size_t i = 0; i < fs.n; i++) {
        assert_int_equal(fs.v[i].idle_timeout, 30);
        assert_int_equal(fs.v[i].hard_timeout, 600);
        assert_int_equal(fs.v[i].flags, OFPFF_SEND_FLOW_REM);
    }
    struct ofp_msg m;
    hs_flow_to_mod(&fs.v[0], OFPFC_ADD, 1, &m);
    assert_int_equal(m.u.flow_mod.flags, OFPFF_SEND_FLOW_REM);
    assert_int_equal(m.u.flow_mod.idle_timeout, 30);
    hs_flow_to_mod(&fs.v[0], OFPFC_DELETE_STRICT, 2, &m);
    assert_int_equal(m.u.flow_mod.flags, 0);
    hs_flowset_free(&fs);
    hs_topology_free(t);
}

static void test_blocklist(void **state)
{
    (void)state;
    static struct hs_blocklist b; /* large: not on the stack */
    memset(&b, 0, sizeof b);
    bool is_new;
    struct hs_block *e = hs_blocklist_add(&b, 0xc6120001u, &is_new);
    assert_non_null(e);
    assert_true(is_new);
    e->attacks = 1;
    struct hs_block *again = hs_blocklist_add(&b, 0xc6120001u, &is_new);
    assert_ptr_equal(again, e);
    assert_false(is_new);
    assert_int_equal(again->attacks, 1);
    assert_int_equal(b.n, 1);
    assert_null(hs_blocklist_find(&b, 0xc6120002u));
    for (uint32_t i = 2; i <= HS_MAX_BLOCKS; i++)
        assert_non_null(hs_blocklist_add(&b, 0xc6120000u + i, &is_new));
    assert_int_equal(b.n, HS_MAX_BLOCKS);
    assert_null(hs_blocklist_add(&b, 0xc6130000u, &is_new)); /* full */
    assert_true(hs_blocklist_remove(&b, 0xc6120001u));
    assert_false(hs_blocklist_remove(&b, 0xc6120001u));
    assert_null(hs_blocklist_find(&b, 0xc6120001u));
    assert_non_null(hs_blocklist_find(&b, 0xc6120000u + HS_MAX_BLOCKS));
    assert_non_null(hs_blocklist_add(&b, 0xc6130000u, &is_new));
    assert_true(is_new);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base_flows_isolate_honeypot),
        cmocka_unit_test(test_base_flows_port_security),
        cmocka_unit_test(test_arp_reply),
        cmocka_unit_test(test_plan),
        cmocka_unit_test(test_ips_steering),
        cmocka_unit_test(test_ips_bump),
        cmocka_unit_test(test_block_flows),
        cmocka_unit_test(test_blocklist),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
