/* test_sandnet_confine.c - confinement flows, checked by where packets go: a small OpenFlow
 * evaluator runs frames through the built flow list (highest priority first per table, goto
 * between tables), one test per confinement rule; plus the lab layout and rendering. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "sandnet/confine.h"
#include "sandnet/sandlab.h"
#include "sandnet/scan.h"
#include "sandnet/app.h"

/* A frame as the evaluator sees it. */
struct pkt {
    uint32_t in_port;
    const char *src, *dst;    /* MACs */
    bool arp_req;
    const char *tpa;          /* ARP target IP (arp_req) */
};

/* Result: ports the frame leaves on, and whether it fell through to the base policy's table 1
 * (PN forwarding by honeyshiftd) or to a table-miss of ours. */
struct verdict {
    uint32_t out[8];
    size_t n_out;
    bool base_fwd;      /* reached table 1 without a match of ours: base forwarding */
    bool miss;          /* no flow of ours in table 0: the base policy decides */
    uint64_t cookie;    /* last matching flow */
};

static bool field(const char *match, const char *key, char *val, size_t size)
{
    size_t kl = strlen(key);
    for (const char *p = match; *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > kl && !strncmp(p, key, kl) && p[kl] == '=') {
            size_t vl = len - kl - 1;
            if (vl >= size)
                return false;
            memcpy(val, p + kl + 1, vl);
            val[vl] = '\0';
            return true;
        }
        if (len == kl && !strncmp(p, key, kl)) {
            val[0] = '\0';
            return true;
        }
        p = end ? end + 1 : p + len;
    }
    return false;
}

static bool g_syn;   /* the test frame is a TCP SYN (only frames matched by tcp_flags care) */

static bool matches(const struct sn_oflow *f, const struct pkt *p)
{
    char v[64];
    if (field(f->match, "tcp_flags", v, sizeof v) && (!g_syn || strcmp(v, "+syn-ack")))
        return false;
    if (field(f->match, "in_port", v, sizeof v) && strtoul(v, NULL, 10) != p->in_port)
        return false;
    if (field(f->match, "dl_src", v, sizeof v) && strcmp(v, p->src))
        return false;
    if (field(f->match, "dl_dst", v, sizeof v) && strcmp(v, p->dst))
        return false;
    if (field(f->match, "arp", v, sizeof v) && !p->arp_req)
        return false;
    if (field(f->match, "arp_tpa", v, sizeof v) && (!p->arp_req || strcmp(v, p->tpa)))
        return false;
    return true;
}

static struct verdict run(const struct sn_flowlist *fl, enum sn_bridge_id br, const struct pkt *p)
{
    struct verdict v;
    memset(&v, 0, sizeof v);
    unsigned table = 0;
    for (int hops = 0; hops < 4; hops++) {
        const struct sn_oflow *best = NULL;
        for (size_t i = 0; i < fl->n; i++) {
            const struct sn_oflow *f = &fl->v[i];
            if (f->bridge != br || f->table != table || !matches(f, p))
                continue;
            if (!best || f->priority > best->priority)
                best = f;
        }
        if (!best) {
            if (table == 0 && br == SN_BR_PN) {
                v.miss = true;      /* the base policy's port security passes it to table 1 */
                table = 1;
                continue;
            }
            v.base_fwd = table == 1 && br == SN_BR_PN;
            return v;
        }
        v.cookie = best->cookie;
        char acts[160];
        assert_true(hs_strlcpy(acts, best->actions, sizeof acts));
        int next = -1;
        for (char *save = NULL, *a = strtok_r(acts, ",", &save); a; a = strtok_r(NULL, ",", &save)) {
            if (!strncmp(a, "output:", 7)) {
                uint32_t port = (uint32_t)strtoul(a + 7, NULL, 10);
                if (port != p->in_port)     /* OpenFlow: output to the in_port is dropped */
                    v.out[v.n_out++] = port;
            } else if (!strcmp(a, "in_port")) {
                v.out[v.n_out++] = p->in_port;
            } else if (!strncmp(a, "goto_table:", 11)) {
                next = atoi(a + 11);
            } else {
                assert_string_equal(a, "drop");
            }
        }
        if (next < 0)
            return v;
        table = (unsigned)next;
    }
    fail_msg("goto loop");
    return v;
}

static bool out_has(const struct verdict *v, uint32_t port)
{
    for (size_t i = 0; i < v->n_out; i++)
        if (v->out[i] == port)
            return true;
    return false;
}

/* MACs/IPs of the lab (sandlab.c): fe1 .11 port 11, be1 .12, db1 .13, fe2 .21, be2 .22, db2 .23,
 * cl .200 port 1, adv .201 port 2, patch 99, fresh clone of fe1 at 111. */
#define FE1 "02:68:73:6e:01:01"
#define BE1 "02:68:73:6e:01:02"
#define DB1 "02:68:73:6e:01:03"
#define BE2 "02:68:73:6e:02:02"
#define FE2 "02:68:73:6e:02:01"
#define CL "02:68:73:6e:00:c8"
#define ADV "02:68:73:6e:00:c9"
#define BCAST "ff:ff:ff:ff:ff:ff"
#define PATCH 99
#define FRESH 111

static struct sn_confine_in in;
static struct sn_flowlist fl;

/* The lab with fe1 as SC, be1 and db1 cloned (ready), fresh clone up, sealed. */
static void confined(enum sn_confine_mode mode)
{
    assert_true(sn_lab_confine_init(2, &in));
    in.sc = sn_lab_node(&in, "fe1");
    in.nodes[sn_lab_node(&in, "be1")].clone = SN_CLONE_READY;
    in.nodes[sn_lab_node(&in, "db1")].clone = SN_CLONE_READY;
    in.fresh_port = FRESH;
    in.mode = mode;
    in.sealed = true;
    assert_true(sn_confine_flows(&in, &fl));
}

static void test_lab_layout(void **state)
{
    (void)state;
    assert_true(sn_lab_confine_init(2, &in));
    assert_int_equal(in.n_nodes, 6);
    assert_int_equal(in.n_ext, 2);
    assert_int_equal(in.nodes[sn_lab_node(&in, "be2")].pn_port, 22);
    assert_int_equal(sn_lab_node(&in, "zz"), -1);
    char *y = sn_lab_topology_yaml(2);
    assert_non_null(y);
    assert_non_null(strstr(y, "listen: 127.0.0.1:6710"));
    assert_non_null(strstr(y, "name: hsn-sn"));
    assert_non_null(strstr(y, "  - name: db2\n    role: internal\n    switch: hsn-pn\n    port: 23\n"));
    assert_non_null(strstr(y, "  - name: adv\n    role: client\n    switch: hsn-pn\n    port: 2\n"));
    free(y);
    assert_null(sn_lab_topology_yaml(0));
    assert_false(sn_lab_confine_init(10, &in));
}

static void test_validate(void **state)
{
    (void)state;
    char why[128];
    assert_true(sn_lab_confine_init(1, &in));
    assert_true(sn_confine_validate(&in, why, sizeof why));
    in.sc = 3;
    assert_false(sn_confine_validate(&in, why, sizeof why));
    in.sc = -1;
    in.fresh_port = 12;   /* be1's port */
    assert_false(sn_confine_validate(&in, why, sizeof why));
    assert_non_null(strstr(why, "twice"));
    in.fresh_port = 111;  /* fresh clone without SC */
    assert_false(sn_confine_validate(&in, why, sizeof why));
    in.fresh_port = 0;
    memcpy(in.nodes[1].mac, in.nodes[0].mac, 6);
    assert_false(sn_confine_validate(&in, why, sizeof why));
    assert_true(sn_lab_confine_init(1, &in));
    in.ext[0].adversary = true;
    assert_false(sn_confine_validate(&in, why, sizeof why));
    assert_false(sn_confine_flows(&in, &fl));
}

/* Nothing confined: no PN flows of ours; SN drops all (no clone). */
static void test_idle(void **state)
{
    (void)state;
    assert_true(sn_lab_confine_init(2, &in));
    assert_true(sn_confine_flows(&in, &fl));
    for (size_t i = 0; i < fl.n; i++)
        assert_int_equal(fl.v[i].bridge, SN_BR_SN);
    struct pkt p = {PATCH, FE1, BE1, false, NULL};
    struct verdict v = run(&fl, SN_BR_SN, &p);
    assert_int_equal(v.n_out, 0);
    assert_int_equal(sn_cookie_rule(v.cookie), SN_R_SN_DROP);
    struct pkt q = {1, CL, FE1, false, NULL};
    assert_true(run(&fl, SN_BR_PN, &q).miss);   /* PN: the base policy alone */
}

/* Rule: SC's egress goes to SN, where the clone receives it. */
static void test_sc_egress(void **state)
{
    (void)state;
    confined(SN_MODE_ATOMIC);
    struct pkt p = {11, FE1, BE1, false, NULL};
    struct verdict v = run(&fl, SN_BR_PN, &p);
    assert_int_equal(v.n_out, 1);
    assert_true(out_has(&v, PATCH));
    assert_int_equal(sn_cookie_rule(v.cookie), SN_R_SC_EGRESS);
    struct pkt s = {PATCH, FE1, BE1, false, NULL};
    v = run(&fl, SN_BR_SN, &s);
    assert_int_equal(v.n_out, 1);
    assert_true(out_has(&v, 12));      /* be1's clone on SN */
    struct pkt arp = {11, FE1, BCAST, true, "198.18.64.12"};
    v = run(&fl, SN_BR_PN, &arp);
    assert_true(out_has(&v, PATCH) && v.n_out == 1);
    arp.in_port = PATCH;
    v = run(&fl, SN_BR_SN, &arp);
    assert_true(out_has(&v, 12) && v.n_out == 1);
    /* SC to a PN container without a clone: sealed, so it goes to SN and is held there */
    struct pkt q = {11, FE1, BE2, false, NULL};
    v = run(&fl, SN_BR_PN, &q);
    assert_true(out_has(&v, PATCH) && v.n_out == 1);
    q.in_port = PATCH;
    v = run(&fl, SN_BR_SN, &q);
    assert_int_equal(v.n_out, 0);
    assert_int_equal(sn_hold_node(v.cookie), sn_lab_node(&in, "be2"));
    /* a clone's frame to be2: held; no contact unless it opens a connection (SYN) */
    struct pkt c = {12, BE1, BE2, false, NULL};
    v = run(&fl, SN_BR_SN, &c);
    assert_int_equal(v.n_out, 0);
    assert_int_equal(sn_cookie_rule(v.cookie), SN_R_SN_HOLD);
    assert_int_equal(sn_hold_node(v.cookie), -1);
    g_syn = true;
    v = run(&fl, SN_BR_SN, &c);
    g_syn = false;
    assert_int_equal(v.n_out, 0);
    assert_int_equal(sn_hold_node(v.cookie), sn_lab_node(&in, "be2"));
    /* with a hold port, held frames go there and come back into SN's forwarding */
    in.hold_port = 98;
    assert_true(sn_confine_flows(&in, &fl));
    v = run(&fl, SN_BR_SN, &q);
    assert_true(out_has(&v, 98) && v.n_out == 1);
    struct pkt back = {98, FE1, BE1, false, NULL};
    v = run(&fl, SN_BR_SN, &back);
    assert_true(out_has(&v, 12) && v.n_out == 1);
    in.hold_port = 12;   /* a clone's port */
    assert_false(sn_confine_flows(&in, &fl));
    in.hold_port = 0;
}

/* Rule: broadcasts and unicasts from PN meant for SC reach its fresh clone, not SC. */
static void test_to_fresh(void **state)
{
    (void)state;
    confined(SN_MODE_ATOMIC);
    struct pkt p = {21, FE2, FE1, false, NULL};
    struct verdict v = run(&fl, SN_BR_PN, &p);
    assert_true(out_has(&v, FRESH) && v.n_out == 1);
    assert_int_equal(sn_cookie_rule(v.cookie), SN_R_TO_FRESH);
    struct pkt arp = {12, BE1, BCAST, true, "198.18.64.11"};
    v = run(&fl, SN_BR_PN, &arp);
    assert_true(out_has(&v, FRESH) && v.n_out == 1);
    /* the fresh clone speaks as SC on PN (base forwarding), anything else from it is dropped */
    struct pkt f = {FRESH, FE1, BE1, false, NULL};
    v = run(&fl, SN_BR_PN, &f);
    assert_true(v.base_fwd);
    struct pkt spoof = {FRESH, BE1, DB1, false, NULL};
    v = run(&fl, SN_BR_PN, &spoof);
    assert_false(v.base_fwd);
    assert_int_equal(v.n_out, 0);
    /* before SC's egress is sealed, PN's traffic to SC (its peers' answers) still reaches SC */
    in.sealed = false;
    assert_true(sn_confine_flows(&in, &fl));
    v = run(&fl, SN_BR_PN, &p);
    assert_true(v.miss);
    v = run(&fl, SN_BR_PN, &f);   /* the fresh clone may already speak */
    assert_true(v.base_fwd);
    in.sealed = true;
    /* before the fresh clone exists, PN traffic to SC's MAC is the base policy's */
    in.fresh_port = 0;
    assert_true(sn_confine_flows(&in, &fl));
    v = run(&fl, SN_BR_PN, &p);
    assert_true(v.miss);
}

/* Rule: from SN to PN only SC is reachable. */
static void test_from_sn_only_sc(void **state)
{
    (void)state;
    confined(SN_MODE_ATOMIC);
    struct pkt p = {PATCH, BE1, FE1, false, NULL};
    struct verdict v = run(&fl, SN_BR_PN, &p);
    assert_true(out_has(&v, 11) && v.n_out == 1);
    struct pkt b = {PATCH, BE1, BCAST, true, "198.18.64.11"};
    v = run(&fl, SN_BR_PN, &b);
    assert_true(out_has(&v, 11) && v.n_out == 1);
    const char *others[] = {BE1, DB1, FE2, BE2, CL};
    for (size_t i = 0; i < 5; i++) {
        struct pkt o = {PATCH, BE1, others[i], false, NULL};
        v = run(&fl, SN_BR_PN, &o);
        assert_int_equal(v.n_out, 0);
        assert_false(v.base_fwd);
    }
    /* and on SN: a clone's frame to a PN-only container is held, not sent to PN */
    struct pkt c = {12, BE1, BE2, false, NULL};
    v = run(&fl, SN_BR_SN, &c);
    assert_int_equal(v.n_out, 0);
    struct pkt toc = {12, BE1, FE1, false, NULL};
    v = run(&fl, SN_BR_SN, &toc);
    assert_true(out_has(&v, PATCH) && v.n_out == 1);
    /* a clone cannot spoof another MAC on SN */
    struct pkt sp = {12, DB1, FE1, false, NULL};
    v = run(&fl, SN_BR_SN, &sp);
    assert_int_equal(v.n_out, 0);
}

/* Rule: external ingress is mirrored to PN and SN; mirrored frames for SC reach SC. */
static void test_mirror(void **state)
{
    (void)state;
    confined(SN_MODE_ATOMIC);
    struct pkt p = {1, CL, FE1, false, NULL};
    struct verdict v = run(&fl, SN_BR_PN, &p);
    assert_true(out_has(&v, PATCH));
    assert_true(out_has(&v, FRESH));     /* PN copy: the fresh clone serves benign clients */
    assert_int_equal(v.n_out, 2);
    struct pkt s = {PATCH, CL, FE1, false, NULL};
    v = run(&fl, SN_BR_SN, &s);          /* SN copy: back through the patch... */
    assert_true(out_has(&v, PATCH) && v.n_out == 1);
    v = run(&fl, SN_BR_PN, &s);          /* ...to SC */
    assert_true(out_has(&v, 11) && v.n_out == 1);
    /* SC's ARP for the adversary's host (sealed: via SN) comes back out to that host */
    struct pkt sa = {11, FE1, BCAST, true, "198.18.64.201"};
    v = run(&fl, SN_BR_PN, &sa);
    assert_true(out_has(&v, PATCH) && v.n_out == 1);
    sa.in_port = PATCH;
    v = run(&fl, SN_BR_SN, &sa);
    assert_true(out_has(&v, PATCH) && v.n_out == 1);
    v = run(&fl, SN_BR_PN, &sa);
    assert_true(out_has(&v, 2) && v.n_out == 1);
    struct pkt a = {2, ADV, BE1, false, NULL};
    v = run(&fl, SN_BR_PN, &a);
    assert_true(out_has(&v, PATCH) && v.base_fwd);
    a.in_port = PATCH;
    v = run(&fl, SN_BR_SN, &a);
    assert_true(out_has(&v, 12) && v.n_out == 1);
    /* not sealed: no mirror */
    in.sealed = false;
    assert_true(sn_confine_flows(&in, &fl));
    p.dst = FE2;
    v = run(&fl, SN_BR_PN, &p);
    assert_true(v.miss);
}

/* Rule: SN's egress to the outside is dropped, except towards the adversary's host, and PN's
 * responses to the adversary's host are dropped. */
static void test_outside(void **state)
{
    (void)state;
    confined(SN_MODE_ATOMIC);
    struct pkt p = {12, BE1, CL, false, NULL};      /* SN clone -> benign client */
    struct verdict v = run(&fl, SN_BR_SN, &p);
    assert_int_equal(v.n_out, 0);
    struct pkt sc = {11, FE1, CL, false, NULL};     /* SC -> benign client: via SN, dropped */
    v = run(&fl, SN_BR_PN, &sc);
    assert_true(out_has(&v, PATCH) && v.n_out == 1);
    sc.in_port = PATCH;
    v = run(&fl, SN_BR_SN, &sc);
    assert_int_equal(v.n_out, 0);
    struct pkt a = {12, BE1, ADV, false, NULL};     /* SN -> adversary: passes */
    v = run(&fl, SN_BR_SN, &a);
    assert_true(out_has(&v, PATCH) && v.n_out == 1);
    a.in_port = PATCH;
    v = run(&fl, SN_BR_PN, &a);
    assert_true(out_has(&v, 2) && v.n_out == 1);
    assert_int_equal(sn_cookie_rule(v.cookie), SN_R_SN_TO_ADV);
    /* ARP for the benign client from SN reaches it (the L2 view stays), data does not */
    struct pkt ac = {12, BE1, BCAST, true, "198.18.64.200"};
    v = run(&fl, SN_BR_SN, &ac);
    assert_true(out_has(&v, PATCH) && v.n_out == 1);
    ac.in_port = PATCH;
    v = run(&fl, SN_BR_PN, &ac);
    assert_true(out_has(&v, 1) && v.n_out == 1);
    struct pkt pn = {FRESH, FE1, ADV, false, NULL}; /* PN -> adversary: dropped */
    v = run(&fl, SN_BR_PN, &pn);
    assert_int_equal(v.n_out, 0);
    assert_false(v.base_fwd);
    assert_int_equal(sn_cookie_rule(v.cookie), SN_R_PN_ADV_DROP);
    struct pkt pn2 = {22, BE2, ADV, false, NULL};
    v = run(&fl, SN_BR_PN, &pn2);
    assert_true(v.miss && !v.base_fwd && v.n_out == 0);
}

/* Modes: atomic redirects nothing until every planned clone is ready; in-process each. */
static void test_modes(void **state)
{
    (void)state;
    for (int m = 0; m < 2; m++) {
        assert_true(sn_lab_confine_init(2, &in));
        in.sc = sn_lab_node(&in, "fe1");
        in.mode = (enum sn_confine_mode)m;
        int be1 = sn_lab_node(&in, "be1"), db1 = sn_lab_node(&in, "db1");
        in.nodes[be1].clone = SN_CLONE_READY;
        in.nodes[db1].clone = SN_CLONE_PLANNED;
        assert_true(sn_confine_flows(&in, &fl));
        struct pkt p = {11, FE1, BE1, false, NULL};
        struct verdict v = run(&fl, SN_BR_PN, &p);
        if (m == SN_MODE_ATOMIC) {
            assert_true(v.miss);              /* still on PN */
            assert_false(sn_confine_redirected(&in, (size_t)be1));
        } else {
            assert_true(out_has(&v, PATCH));  /* be1 redirected already */
            assert_true(sn_confine_redirected(&in, (size_t)be1));
            struct pkt q = {12, BE1, DB1, false, NULL};   /* its DB not yet: held on SN */
            g_syn = true;                                   /* (a new connection: a contact) */
            v = run(&fl, SN_BR_SN, &q);
            g_syn = false;
            assert_int_equal(v.n_out, 0);
            assert_int_equal(sn_hold_node(v.cookie), db1);
        }
        in.nodes[db1].clone = SN_CLONE_READY;
        assert_true(sn_confine_flows(&in, &fl));
        v = run(&fl, SN_BR_PN, &p);
        assert_true(out_has(&v, PATCH));
        struct pkt q = {12, BE1, DB1, false, NULL};
        v = run(&fl, SN_BR_SN, &q);
        assert_true(out_has(&v, 13) && v.n_out == 1);
        assert_false(sn_confine_redirected(&in, (size_t)in.sc));
        /* sticky: a later clone being made does not take be1's redirect back (atomic) */
        sn_confine_commit(&in);
        assert_true(in.nodes[be1].redirected && in.nodes[db1].redirected);
        int be2 = sn_lab_node(&in, "be2");
        in.nodes[be2].clone = SN_CLONE_PLANNED;
        assert_true(sn_confine_redirected(&in, (size_t)be1));
        assert_false(sn_confine_redirected(&in, (size_t)be2));
    }
}

static void test_render(void **state)
{
    (void)state;
    confined(SN_MODE_INPROCESS);
    char *pn = sn_flows_render(&fl, SN_BR_PN), *sn = sn_flows_render(&fl, SN_BR_SN);
    assert_non_null(pn);
    assert_non_null(sn);
    assert_true(!strncmp(pn, "delete cookie=0x534e000000000000/0xffff000000000000\n", 52));
    assert_non_null(strstr(pn, "add table=0,priority=3000,cookie=0x534e000100"));
    assert_non_null(strstr(pn, ",in_port=11,actions=output:99\n"));
    assert_non_null(strstr(sn, "add table=0,priority=2000,cookie=0x534e000b00000000,actions=drop\n"));
    assert_null(strstr(sn, "in_port=11,actions=output:99"));
    free(pn);
    free(sn);
    assert_int_equal(sn_cookie_rule(0x4853000100000000ull), 0);
    assert_int_equal(sn_cookie_rule(SN_COOKIE_TAG | (uint64_t)SN_R_MIRROR << 32), SN_R_MIRROR);
    assert_int_equal(sn_hold_node(SN_COOKIE_TAG | (uint64_t)SN_R_SN_HOLD << 32 | 4), 4);
    assert_int_equal(sn_hold_node(SN_COOKIE_TAG | (uint64_t)SN_R_SN_FWD << 32 | 4), -1);
    assert_string_equal(sn_rule_name(SN_R_SN_HOLD), "sn_hold");
}

/* Diff install: only what changed is deleted (exactly, by cookie) or added. */
static void test_render_diff(void **state)
{
    (void)state;
    static struct sn_flowlist prev;
    assert_true(sn_lab_confine_init(2, &in));
    in.sc = sn_lab_node(&in, "fe1");
    int be1 = sn_lab_node(&in, "be1"), db1 = sn_lab_node(&in, "db1");
    in.nodes[be1].clone = SN_CLONE_READY;
    in.nodes[db1].clone = SN_CLONE_PLANNED;
    in.mode = SN_MODE_INPROCESS;
    assert_true(sn_confine_flows(&in, &prev));
    in.nodes[db1].clone = SN_CLONE_READY;
    in.fresh_port = FRESH;
    assert_true(sn_confine_flows(&in, &fl));
    bool empty = true;
    char *sn = sn_flows_render_diff(&prev, &fl, SN_BR_SN, &empty);
    assert_non_null(sn);
    assert_false(empty);
    char add[128];
    /* db1: its hold becomes forwarding (same match: replaced by the add); be1's forwarding is
     * unchanged and not touched */
    snprintf(add, sizeof add, "add table=2,priority=3000,cookie=0x534e0009%08x,dl_dst=02:68:73:6e:01:03,actions=output:13\n", (unsigned)db1);
    assert_non_null(strstr(sn, add));
    assert_null(strstr(sn, "dl_dst=02:68:73:6e:01:02"));
    char del[160];   /* db1's contact holds go away (exactly those) */
    snprintf(del, sizeof del, "delete_strict table=2,priority=3001,cookie=0x534e000a%08x/0xffffffffffffffff,in_port=99,dl_dst=02:68:73:6e:01:03\n", (unsigned)db1);
    assert_non_null(strstr(sn, del));
    assert_null(strstr(sn, "delete cookie"));
    free(sn);
    /* the way back: flows that go away are deleted exactly (strict, with their cookie) */
    sn = sn_flows_render_diff(&fl, &prev, SN_BR_PN, &empty);
    assert_non_null(sn);
    assert_non_null(strstr(sn, "delete_strict table=0,priority=2900,cookie=0x534e000400000001/0xffffffffffffffff,in_port=111\n"));
    free(sn);
    char *pn = sn_flows_render_diff(&prev, &fl, SN_BR_PN, &empty);
    assert_non_null(pn);
    assert_non_null(strstr(pn, "in_port=11,dl_dst=02:68:73:6e:01:03,actions=output:99\n"));
    assert_null(strstr(pn, "dl_dst=02:68:73:6e:01:02,"));
    free(pn);
    /* nothing changed: empty; no previous state: the full replacement */
    char *none = sn_flows_render_diff(&fl, &fl, SN_BR_PN, &empty);
    assert_non_null(none);
    assert_true(empty);
    free(none);
    char *full = sn_flows_render_diff(NULL, &fl, SN_BR_PN, &empty);
    assert_non_null(full);
    assert_false(empty);
    assert_true(!strncmp(full, "delete cookie=0x534e000000000000/0xffff000000000000\n", 52));
    free(full);
}

static void test_dump_parse(void **state)
{
    (void)state;
    uint64_t c[SN_CONFINE_MAX_NODES];
    const char *t = "OFPST_FLOW reply (OF1.3) (xid=0x2):\n"
        " cookie=0x534e000a00000004, duration=1.2s, table=2, n_packets=2, n_bytes=140, priority=3000,dl_dst=02:68:73:6e:02:02 actions=drop\n"
        " cookie=0x534e000a00000004, duration=1.2s, table=2, n_packets=1, n_bytes=42, priority=3000,arp actions=drop\n"
        " cookie=0x534e000900000001, duration=1.2s, table=2, n_packets=9, n_bytes=0, priority=3000 actions=output:12\n"
        " cookie=0x534e000a00000002, duration=1.2s, table=2, n_packets=0, n_bytes=0 actions=drop";
    assert_true(sn_dump_hold_counts(t, strlen(t), c));
    assert_int_equal(c[4], 3);
    assert_int_equal(c[1], 0);   /* a forwarding flow, not a hold */
    assert_int_equal(c[2], 0);
    const char *bad = " cookie=0x534e000a00000004, n_packets=x\n";
    assert_false(sn_dump_hold_counts(bad, strlen(bad), c));
    const char *ovf = " cookie=0x534e000a00000001, n_packets=18446744073709551615, n_bytes=1\n"
                      " cookie=0x534e000a00000001, n_packets=1, n_bytes=1\n";
    assert_false(sn_dump_hold_counts(ovf, strlen(ovf), c));
    const char *big = " cookie=0x534e000a00000001, n_packets=99999999999999999999999\n";
    assert_false(sn_dump_hold_counts(big, strlen(big), c));
    const char *far = " cookie=0x534e000a000000ff, n_packets=5\n";   /* node out of range: ignored */
    assert_true(sn_dump_hold_counts(far, strlen(far), c));
    assert_true(sn_dump_hold_counts("", 0, c));
    /* pair statistics: bytes by detail */
    uint64_t by[64];
    const char *st = " cookie=0x534e000c00000021, table=1, n_packets=4, n_bytes=400, priority=150\n"
                     " cookie=0x534e000c00000021, table=1, n_packets=1, n_bytes=60, priority=150\n"
                     " cookie=0x534e000a00000021, table=2, n_packets=7, n_bytes=7\n";
    assert_true(sn_dump_counts(st, strlen(st), SN_R_STATS, NULL, by, 64));
    assert_int_equal(by[33], 460);
    assert_int_equal(by[1], 0);
}

static void test_stats_flows(void **state)
{
    (void)state;
    assert_true(sn_lab_confine_init(1, &in));
    in.stats = true;
    assert_true(sn_confine_flows(&in, &fl));
    size_t n = 0;
    for (size_t i = 0; i < fl.n; i++)
        n += sn_cookie_rule(fl.v[i].cookie) == SN_R_STATS;
    assert_int_equal(n, 6);   /* 3 nodes, ordered pairs */
    struct pkt p = {11, FE1, BE1, false, NULL};
    struct verdict v = run(&fl, SN_BR_PN, &p);
    assert_true(out_has(&v, 12) && v.n_out == 1);
    assert_int_equal(sn_cookie_detail(v.cookie), 0 * SN_CONFINE_MAX_NODES + 1);
}

static void test_scan_and_spec(void **state)
{
    (void)state;
    static struct sn_addrset a;
    const char *arp = "Interface: eth0, type: EN10MB, MAC: 02:68:73:6E:01:01, IPv4: 198.18.64.11\n"
                      "198.18.64.13\t02:68:73:6e:01:03\n198.18.64.12\t02:68:73:6e:01:02\t(Unknown)\n"
                      "198.18.64.12\t02:68:73:6e:01:02\t(DUP: 2)\nnot:an:address 1.2.3 999.1.1.1\n";
    assert_true(sn_scan_collect(arp, strlen(arp), true, &a));
    assert_int_equal(a.n, 3);
    assert_string_equal(a.v[0], "02:68:73:6e:01:01");   /* normalised to lower case, sorted */
    assert_string_equal(a.v[2], "02:68:73:6e:01:03");
    sn_addrset_remove(&a, "02:68:73:6e:01:01");
    sn_addrset_remove(&a, "absent");
    assert_int_equal(a.n, 2);
    assert_string_equal(a.v[0], "02:68:73:6e:01:02");
    assert_true(sn_scan_collect(arp, strlen(arp), false, &a));
    assert_int_equal(a.n, 3);
    assert_string_equal(a.v[0], "198.18.64.11");
    const char *nm = "Host: 198.18.64.200 ()\tStatus: Up. Nmap done.";
    assert_true(sn_scan_collect(nm, strlen(nm), false, &a));
    assert_int_equal(a.n, 1);
    assert_string_equal(a.v[0], "198.18.64.200");
    /* the OpenFlow port survives the spec's JSON round trip; 0 is not written */
    struct sn_container c, back;
    char why[128];
    assert_true(sn_app_spec(2, SN_TIER_BACKEND, "/c", "/s", "hsn-pn", &c));
    assert_int_equal(c.ofport, 22);
    json_t *j = sn_spec_to_json(&c);
    assert_true(sn_spec_from_json(j, &back, why, sizeof why));
    assert_int_equal(back.ofport, 22);
    json_object_set_new(j, "ofport", json_integer(0));
    assert_false(sn_spec_from_json(j, &back, why, sizeof why));
    json_object_del(j, "ofport");
    assert_true(sn_spec_from_json(j, &back, why, sizeof why));
    assert_int_equal(back.ofport, 0);
    json_decref(j);
}

/* A frame: dst, src, ethertype, then body bytes. */
static size_t frame(uint8_t *f, const uint8_t dst[6], const uint8_t src[6], uint16_t type,
                    const uint8_t *body, size_t n)
{
    memcpy(f, dst, 6);
    memcpy(f + 6, src, 6);
    f[12] = (uint8_t)(type >> 8);
    f[13] = (uint8_t)type;
    memcpy(f + 14, body, n);
    return 14 + n;
}

/* IPv4 + TCP header (20 + 20 bytes) with the given TCP flags and fragment field. */
static size_t tcp_body(uint8_t *b, uint8_t flags, uint16_t frag)
{
    memset(b, 0, 40);
    b[0] = 0x45;
    b[6] = (uint8_t)(frag >> 8);
    b[7] = (uint8_t)frag;
    b[9] = 6;
    b[20 + 13] = flags;
    return 40;
}

/* The hold port's first-contact test agrees with the hold flows' counting rules. */
static void test_contact_node(void **state)
{
    (void)state;
    const uint8_t sc[6] = {2, 0, 0, 0, 0, 1}, other[6] = {2, 0, 0, 0, 0, 9};
    const uint8_t macs[3][6] = {{2, 0, 0, 0, 0, 1}, {2, 0, 0, 0, 0, 2}, {2, 0, 0, 0, 0, 3}};
    const uint32_t ips[3] = {0xc6124001, 0xc6124002, 0xc6124003};
    uint8_t f[128], b[64];
    size_t n;
    /* from SC to node 2: any frame (a UDP datagram, an ACK) is a contact */
    memset(b, 0, sizeof b);
    n = frame(f, macs[2], sc, 0x0800, b, 40);
    assert_int_equal(sn_contact_node(f, n, sc, macs, ips, 3), 2);
    /* from a clone: only a SYN without ACK */
    n = frame(f, macs[1], other, 0x0800, b, tcp_body(b, 0x02, 0));
    assert_int_equal(sn_contact_node(f, n, sc, macs, ips, 3), 1);
    n = frame(f, macs[1], other, 0x0800, b, tcp_body(b, 0x12, 0));        /* SYN+ACK */
    assert_int_equal(sn_contact_node(f, n, sc, macs, ips, 3), -1);
    n = frame(f, macs[1], other, 0x0800, b, tcp_body(b, 0x18, 0));        /* data */
    assert_int_equal(sn_contact_node(f, n, sc, macs, ips, 3), -1);
    n = frame(f, macs[1], other, 0x0800, b, tcp_body(b, 0x02, 0x0010));   /* a later fragment */
    assert_int_equal(sn_contact_node(f, n, sc, macs, ips, 3), -1);
    n = frame(f, macs[1], other, 0x0800, b, tcp_body(b, 0x02, 0)) - 10;   /* cut short */
    assert_int_equal(sn_contact_node(f, n, sc, macs, ips, 3), -1);
    /* an unknown destination is never a contact */
    n = frame(f, other, sc, 0x0800, b, tcp_body(b, 0x02, 0));
    assert_int_equal(sn_contact_node(f, n, sc, macs, ips, 3), -1);
    /* ARP requests: from SC for node 1's IP yes, from a clone no, a reply no */
    uint8_t arp[28] = {0, 1, 8, 0, 6, 4, 0, 1};
    arp[24] = 0xc6; arp[25] = 0x12; arp[26] = 0x40; arp[27] = 0x02;
    const uint8_t bc[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    n = frame(f, bc, sc, 0x0806, arp, sizeof arp);
    assert_int_equal(sn_contact_node(f, n, sc, macs, ips, 3), 1);
    n = frame(f, bc, other, 0x0806, arp, sizeof arp);
    assert_int_equal(sn_contact_node(f, n, sc, macs, ips, 3), -1);
    arp[7] = 2;
    n = frame(f, bc, sc, 0x0806, arp, sizeof arp);
    assert_int_equal(sn_contact_node(f, n, sc, macs, ips, 3), -1);
    /* runts */
    assert_int_equal(sn_contact_node(f, 13, sc, macs, ips, 3), -1);
    n = frame(f, bc, sc, 0x0806, arp, 20);
    assert_int_equal(sn_contact_node(f, n, sc, macs, ips, 3), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lab_layout),  cmocka_unit_test(test_validate),
        cmocka_unit_test(test_idle),        cmocka_unit_test(test_sc_egress),
        cmocka_unit_test(test_to_fresh),    cmocka_unit_test(test_from_sn_only_sc),
        cmocka_unit_test(test_mirror),      cmocka_unit_test(test_outside),
        cmocka_unit_test(test_modes),       cmocka_unit_test(test_render),
        cmocka_unit_test(test_render_diff),
        cmocka_unit_test(test_dump_parse),  cmocka_unit_test(test_stats_flows),
        cmocka_unit_test(test_scan_and_spec),
        cmocka_unit_test(test_contact_node),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
