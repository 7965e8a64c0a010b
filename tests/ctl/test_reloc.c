/* test_reloc.c - the controller's relocation core: targets, lock table, OpenFlow rules, the EVE
 * relocation event. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "config/topology.h"
#include "ctl/policy.h"
#include "ctl/reloc_core.h"

static struct hs_topology *load_default(void)
{
    struct hs_topology *t = NULL;
    struct hs_cfg_err err;
    if (hs_topology_parse(hs_default_topology_yaml, strlen(hs_default_topology_yaml), "default",
                          &t, &err) != 0)
        fail_msg("default topology: %s", err.msg);
    return t;
}

static const struct hs_host *host(const struct hs_topology *t, const char *name)
{
    const struct hs_host *h = hs_topology_host(t, name);
    assert_non_null(h);
    return h;
}

static void test_targets(void **state)
{
    (void)state;
    struct hs_topology *t = load_default();
    const struct hs_host *att = host(t, "attacker"), *web = host(t, "web");
    const struct hs_host *hp = host(t, "honeypot"), *cl = host(t, "client");
    struct hs_reloc_target tg;
    char why[160];
    assert_int_equal(hs_reloc_find_target(t, att->ip, web->ip, 80, &tg, why, sizeof why), 0);
    assert_ptr_equal(tg.prod, web);
    assert_ptr_equal(tg.hp, hp);
    assert_ptr_equal(tg.client, att);
    assert_int_equal(tg.svc->port, 80);
    /* an address outside the lab: no switch port known, block only */
    assert_int_equal(hs_reloc_find_target(t, 0xcb007105u, web->ip, 80, &tg, why, sizeof why), -1);
    assert_non_null(strstr(why, "not a client host"));
    /* not a production address */
    assert_int_equal(hs_reloc_find_target(t, att->ip, cl->ip, 80, &tg, why, sizeof why), -1);
    assert_non_null(strstr(why, "not a production host"));
    /* a port web does not serve */
    assert_int_equal(hs_reloc_find_target(t, att->ip, web->ip, 8081, &tg, why, sizeof why), -1);
    /* named (operator): defaults, wrong honeypot */
    assert_int_equal(hs_reloc_named_target(t, att->ip, NULL, NULL, 0, &tg, why, sizeof why), 0);
    assert_ptr_equal(tg.hp, hp);
    assert_int_equal(hs_reloc_named_target(t, att->ip, "web", "client", 0, &tg, why, sizeof why),
                     -1);
    assert_non_null(strstr(why, "no honeypot twin"));
    assert_int_equal(hs_reloc_named_target(t, att->ip, "nope", NULL, 0, &tg, why, sizeof why), -1);
    hs_topology_free(t);
}

static void test_flows(void **state)
{
    (void)state;
    struct hs_topology *t = load_default();
    const struct hs_host *att = host(t, "attacker"), *web = host(t, "web");
    const struct hs_host *hp = host(t, "honeypot");
    struct hs_reloc_target tg;
    char why[160];
    assert_int_equal(hs_reloc_find_target(t, att->ip, web->ip, 0, &tg, why, sizeof why), 0);
    struct hs_flowset fs = {0};
    hs_reloc_flows_block(&tg, false, &fs);
    assert_int_equal(fs.n, 3);
    int drops = 0, hp2c = 0;
    for (size_t i = 0; i < fs.n; i++) {
        const struct hs_flow *f = &fs.v[i];
        assert_int_equal(f->table, 0);
        assert_int_equal(f->priority, HS_RELOC_PRIO_BLOCK);
        assert_int_equal(f->cookie >> 48, 0x4d47);
        assert_int_equal((uint32_t)f->cookie, att->ip);
        assert_true(OFP_MATCH_HAS(&f->match, OFPXMT_IN_PORT));
        assert_true(OFP_MATCH_HAS(&f->match, OFPXMT_IPV4_SRC));
        assert_true(OFP_MATCH_HAS(&f->match, OFPXMT_IPV4_DST));
        assert_int_equal(f->match.eth_type, 0x0800);
        unsigned kind = (unsigned)(f->cookie >> 32) & 0xffff;
        if (kind == HS_RELOC_FK_DROP) {
            drops++;
            assert_int_equal(f->actions.n, 0);
            assert_true(f->match.in_port == att->port || f->match.in_port == web->port);
        } else {
            assert_int_equal(kind, HS_RELOC_FK_HP2C);
            hp2c++;
            assert_int_equal(f->match.in_port, hp->port);
            assert_int_equal(f->match.ipv4_src, web->ip);
            assert_int_equal(f->match.ipv4_dst, att->ip);
            assert_int_equal(f->actions.n, 1);
            assert_int_equal(f->actions.a[0].port, att->port);
        }
    }
    assert_int_equal(drops, 2);
    assert_int_equal(hp2c, 1);
    /* with notify the honeypot->client rule also copies to the controller (first byte) */
    hs_flowset_clear(&fs);
    hs_reloc_flows_block(&tg, true, &fs);
    assert_int_equal(fs.n, 3);
    assert_int_equal(fs.v[2].actions.n, 2);
    assert_int_equal(fs.v[2].actions.a[0].port, att->port);
    assert_int_equal(fs.v[2].actions.a[1].port, OFPP_CONTROLLER);
    hs_flowset_clear(&fs);
    hs_reloc_flow_hp2c(&tg, false, &fs);
    assert_int_equal(fs.n, 1);
    assert_int_equal(fs.v[0].actions.n, 1);
    hs_flowset_clear(&fs);
    hs_reloc_flow_guard(&tg, 0xc612000cu, &fs);
    assert_int_equal(fs.n, 1);
    assert_int_equal(fs.v[0].priority, HS_RELOC_PRIO_GUARD);
    assert_true(HS_RELOC_PRIO_GUARD > HS_RELOC_PRIO_BLOCK && HS_RELOC_PRIO_GUARD < HS_RELOC_PRIO_OPEN);
    assert_true(fs.v[0].cookie == (0x4d47000400000000ull | att->ip));
    assert_int_equal(fs.v[0].match.in_port, hp->port);
    assert_int_equal(fs.v[0].match.ipv4_dst, 0xc612000cu);
    assert_int_equal(fs.v[0].actions.n, 0);
    hs_flowset_clear(&fs);
    hs_reloc_flows_open(&tg, &fs);
    assert_int_equal(fs.n, 1);
    assert_int_equal(fs.v[0].priority, HS_RELOC_PRIO_OPEN);
    assert_int_equal(fs.v[0].match.in_port, att->port);
    assert_int_equal(fs.v[0].actions.a[0].port, hp->port);
    assert_true(fs.v[0].priority > HS_PRIO_BLOCK && HS_RELOC_PRIO_BLOCK > 1000);
    hs_flowset_free(&fs);
    uint64_t mask;
    assert_true(hs_reloc_cookie(0, att->ip, &mask) == (0x4d47000000000000ull | att->ip));
    assert_true(mask == 0xffff0000ffffffffull);
    assert_true(hs_reloc_cookie(HS_RELOC_FK_C2HP, 1, &mask) == 0x4d47000300000001ull);
    assert_true(mask == ~0ull);
    hs_topology_free(t);
}

static void test_locks(void **state)
{
    (void)state;
    struct hs_reloc_locks *l = calloc(1, sizeof *l);
    assert_non_null(l);
    struct hs_reloc_lock *e;
    assert_int_equal(hs_reloc_lock_take(l, 1, 2, 100, &e), HS_RELOC_START);
    assert_non_null(e);
    assert_int_equal(e->state, HS_RELOC_RUNNING);
    /* repeated reports are counted, nothing re-triggered */
    assert_int_equal(hs_reloc_lock_take(l, 1, 2, 101, &e), HS_RELOC_COUNTED);
    assert_int_equal(e->reports, 2);
    assert_int_equal(hs_reloc_lock_take(l, 2, 2, 102, &e), HS_RELOC_START);
    assert_int_equal(hs_reloc_lock_running(l), 2);
    /* the limit: a third attacker is only blocked */
    assert_int_equal(hs_reloc_lock_take(l, 3, 2, 103, &e), HS_RELOC_LIMIT);
    assert_null(e);
    assert_null(hs_reloc_lock_find(l, 3));
    /* done: still locked (counted), but no longer running */
    hs_reloc_lock_find(l, 1)->state = HS_RELOC_RELOCATED;
    assert_int_equal(hs_reloc_lock_running(l), 1);
    assert_int_equal(hs_reloc_lock_take(l, 1, 2, 104, &e), HS_RELOC_COUNTED);
    assert_int_equal(e->reports, 3);
    assert_int_equal(hs_reloc_lock_take(l, 3, 2, 105, &e), HS_RELOC_START);
    /* unshift resets: the next attack relocates again */
    assert_true(hs_reloc_lock_reset(l, 1));
    assert_false(hs_reloc_lock_reset(l, 1));
    hs_reloc_lock_find(l, 2)->state = HS_RELOC_FAILED;
    assert_int_equal(hs_reloc_lock_take(l, 1, 2, 106, &e), HS_RELOC_START);
    assert_int_equal(e->reports, 1);
    /* full table */
    for (uint32_t ip = 100; l->n < HS_RELOC_MAX; ip++)
        l->v[l->n++] = (struct hs_reloc_lock){.ip = ip, .state = HS_RELOC_FAILED};
    assert_int_equal(hs_reloc_lock_take(l, 99, 64, 107, &e), HS_RELOC_FULL);
    free(l);
}

static void test_event_json(void **state)
{
    (void)state;
    struct hs_reloc_event e;
    hs_reloc_event_init(&e);
    e.wall_us = 1795435200123456ull; /* 2026-11-23T12:00:00.123456Z */
    e.src_ip = 0xc612000bu;
    e.src_port = 40112;
    e.dest_ip = 0xc6120050u;
    e.dest_port = 80;
    strcpy(e.id, "r1-1");
    e.ok = true;
    strcpy(e.service, "www");
    strcpy(e.kind, "nginx");
    strcpy(e.from, "web");
    strcpy(e.to, "honeypot");
    e.sid = 1000001;
    strcpy(e.signature, "SQLi \x01union");
    e.pid = 7;
    e.host_pid = 1234;
    e.restored_pid = 8;
    e.image_bytes = 1480000;
    e.t[HS_RT_DUMP] = 54.25;
    e.t[HS_RT_PAUSE] = 71.1234;
    char *s = hs_reloc_event_json(&e);
    assert_non_null(strstr(s, "{\"timestamp\":\"2026-11-23T12:00:00.123456+0000\","
                              "\"event_type\":\"relocation\",\"src_ip\":\"198.18.0.11\","
                              "\"src_port\":40112,\"dest_ip\":\"198.18.0.80\",\"dest_port\":80,"
                              "\"proto\":\"TCP\",\"relocation\":{\"id\":\"r1-1\","
                              "\"trigger\":\"ips\",\"outcome\":\"relocated\","
                              "\"attacker_action\":\"relocated\""));
    json_error_t je;
    json_t *o = json_loads(s, 0, &je);
    assert_non_null(o);
    json_t *r = json_object_get(o, "relocation");
    assert_null(json_object_get(r, "stage"));
    assert_null(json_object_get(r, "reason"));
    assert_string_equal(json_string_value(json_object_get(r, "signature")), "SQLi ?union");
    assert_int_equal(json_integer_value(json_object_get(r, "signature_id")), 1000001);
    assert_int_equal(json_integer_value(json_object_get(r, "host_pid")), 1234);
    json_t *t = json_object_get(r, "timings_ms");
    assert_int_equal(json_object_size(t), 2); /* stages not reached are absent */
    assert_true(json_real_value(json_object_get(t, "dump")) == 54.25);
    assert_true(json_real_value(json_object_get(t, "pause")) == 71.123);
    json_decref(o);
    free(s);

    /* failed, operator: stage and reason, no signature, attacker blocked */
    e.ok = false;
    e.operator_trigger = true;
    strcpy(e.stage, "dump");
    strcpy(e.reason, "dump: criu failed");
    s = hs_reloc_event_json(&e);
    o = json_loads(s, 0, &je);
    assert_non_null(o);
    r = json_object_get(o, "relocation");
    assert_string_equal(json_string_value(json_object_get(r, "outcome")), "failed");
    assert_string_equal(json_string_value(json_object_get(r, "stage")), "dump");
    assert_string_equal(json_string_value(json_object_get(r, "reason")), "dump: criu failed");
    assert_string_equal(json_string_value(json_object_get(r, "attacker_action")), "blocked");
    assert_string_equal(json_string_value(json_object_get(r, "trigger")), "operator");
    assert_null(json_object_get(r, "signature_id"));
    json_decref(o);
    free(s);
}

static void test_parse_frames(void **state)
{
    (void)state;
    json_error_t je;
    json_t *a = json_loads("[\"000102030405060708090a0b0c0dFF\", \"00\", 5, \"zz0102030405060708090a0b0c0d\","
                           " \"0001020304050607080910111213141\", \"00010203040506070809101112AB\"]",
                           0, &je);
    assert_non_null(a);
    uint8_t *f[4];
    size_t l[4];
    size_t n = hs_reloc_parse_frames(a, f, l, 4, 64);
    assert_int_equal(n, 2); /* too short, not a string, bad digit, odd length: skipped */
    assert_int_equal(l[0], 15);
    assert_int_equal(f[0][14], 0xff);
    assert_int_equal(l[1], 14);
    assert_int_equal(f[1][13], 0xab);
    for (size_t i = 0; i < n; i++)
        free(f[i]);
    assert_int_equal(hs_reloc_parse_frames(a, f, l, 4, 14), 1); /* length limit */
    free(f[0]);
    assert_int_equal(hs_reloc_parse_frames(NULL, f, l, 4, 64), 0);
    json_decref(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_targets),
        cmocka_unit_test(test_flows),
        cmocka_unit_test(test_locks),
        cmocka_unit_test(test_event_json),
        cmocka_unit_test(test_parse_frames),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
