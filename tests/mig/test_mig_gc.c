/* test_mig_gc.c - the garbage collector's decisions: live TCP states, nest sockets against the
 * socket table, nest record names, the grace period over several scans, log and image
 * clean-up choices. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <netinet/tcp.h>
#include <string.h>

#include "mig/mig_gc.h"

#define CLIENT 0xC6120002u  /* 198.18.0.2 */
#define OTHER 0xC6120003u

static void test_states(void **state)
{
    (void)state;
    assert_true(hs_mig_gc_state_live(TCP_ESTABLISHED));
    assert_true(hs_mig_gc_state_live(TCP_SYN_RECV));
    assert_true(hs_mig_gc_state_live(TCP_FIN_WAIT1));
    assert_true(hs_mig_gc_state_live(TCP_CLOSING));
    assert_false(hs_mig_gc_state_live(TCP_CLOSE_WAIT));
    assert_false(hs_mig_gc_state_live(TCP_LAST_ACK));
    assert_false(hs_mig_gc_state_live(TCP_TIME_WAIT));
    assert_false(hs_mig_gc_state_live(TCP_CLOSE));
    assert_false(hs_mig_gc_state_live(TCP_LISTEN));
    assert_false(hs_mig_gc_state_live(0));
}

static void test_holds_live(void **state)
{
    (void)state;
    struct hs_mig_diag_sock socks[] = {
        {.t = {.remote_ip = CLIENT}, .state = TCP_ESTABLISHED, .inode = 10}, /* honeypot worker */
        {.t = {.remote_ip = OTHER}, .state = TCP_ESTABLISHED, .inode = 20},
        {.t = {.remote_ip = CLIENT}, .state = TCP_CLOSE_WAIT, .inode = 30},
        {.t = {.remote_ip = CLIENT}, .state = TCP_ESTABLISHED, .inode = 40},
    };
    uint64_t nest_a[] = {20, 30, 99};   /* another client's socket, a closing one */
    uint64_t nest_b[] = {5, 40};
    assert_false(hs_mig_gc_holds_live(nest_a, 3, socks, 4, CLIENT));
    assert_true(hs_mig_gc_holds_live(nest_a, 3, socks, 4, OTHER));
    assert_true(hs_mig_gc_holds_live(nest_b, 2, socks, 4, CLIENT));
    assert_false(hs_mig_gc_holds_live(nest_b, 2, socks, 3, CLIENT)); /* 40 gone */
    assert_false(hs_mig_gc_holds_live(NULL, 0, socks, 4, CLIENT));
    assert_false(hs_mig_gc_holds_live(nest_b, 2, NULL, 0, CLIENT));
}

static void test_parse_name(void **state)
{
    (void)state;
    uint32_t ip = 0;
    char id[HS_MIG_GC_ID_MAX];
    assert_true(hs_mig_gc_parse_name("nest-198.18.0.2-r12-3.pid", &ip, id));
    assert_int_equal(ip, CLIENT);
    assert_string_equal(id, "r12-3");
    assert_false(hs_mig_gc_parse_name("nest-198.18.0.2-.pid", &ip, id));
    assert_false(hs_mig_gc_parse_name("nest-198.18.0-x.pid", &ip, id));
    assert_false(hs_mig_gc_parse_name("nest-198.18.0.2-x.log", &ip, id));
    assert_false(hs_mig_gc_parse_name("nest-198.18.0.2-a/b.pid", &ip, id));
    assert_false(hs_mig_gc_parse_name("x-dump.log", &ip, id));
    assert_false(hs_mig_gc_parse_name("nest-.pid", &ip, id));
    char longname[200] = "nest-198.18.0.2-";
    memset(longname + strlen(longname), 'a', 100);
    strcpy(longname + 16 + 100, ".pid");
    assert_false(hs_mig_gc_parse_name(longname, &ip, id));
}

static struct hs_mig_gc_obs obs(uint32_t ip, const char *id, bool live)
{
    struct hs_mig_gc_obs o = {.client_ip = ip, .live = live};
    strcpy(o.id, id);
    return o;
}

static void test_grace(void **state)
{
    (void)state;
    static struct hs_mig_gc gc;
    hs_mig_gc_init(&gc, 10000);
    bool reap[4];
    uint64_t idle[4];
    /* t=0: a new nest without a live connection is not reaped at once */
    struct hs_mig_gc_obs o[2] = {obs(CLIENT, "a", false), obs(OTHER, "b", true)};
    assert_int_equal(hs_mig_gc_update(&gc, o, 2, 1000, reap, idle), 0);
    assert_false(reap[0]);
    assert_int_equal(idle[0], 0);
    /* t=9.999 s: still within the grace period */
    assert_int_equal(hs_mig_gc_update(&gc, o, 2, 10999, reap, idle), 0);
    assert_int_equal(idle[0], 9999);
    /* a live connection seen again restarts the period */
    o[0].live = true;
    assert_int_equal(hs_mig_gc_update(&gc, o, 2, 11000, reap, idle), 0);
    assert_int_equal(idle[0], 0);
    /* the connection ended between two scans: the period starts at the first quiet scan */
    o[0].live = false;
    assert_int_equal(hs_mig_gc_update(&gc, o, 2, 20999, reap, idle), 0);
    assert_int_equal(idle[0], 0);
    assert_int_equal(hs_mig_gc_update(&gc, o, 2, 30998, reap, idle), 0);
    assert_int_equal(idle[0], 9999);
    assert_int_equal(hs_mig_gc_update(&gc, o, 2, 30999, reap, idle), 1);
    assert_true(reap[0]);
    assert_false(reap[1]);
    assert_int_equal(idle[0], 10000);
    /* b keeps its connection for long: never reaped */
    assert_int_equal(hs_mig_gc_update(&gc, &o[1], 1, 500000, reap, NULL), 0);
    /* a vanished from that scan: forgotten; seen again, it starts a fresh period */
    assert_int_equal(gc.n, 1);
    assert_int_equal(hs_mig_gc_update(&gc, o, 2, 500001, reap, idle), 0);
    assert_int_equal(idle[0], 0);
    /* same client, another relocation id: a separate nest */
    struct hs_mig_gc_obs o2[2] = {obs(CLIENT, "a", false), obs(CLIENT, "c", false)};
    assert_int_equal(hs_mig_gc_update(&gc, o2, 2, 510001, reap, idle), 1);
    assert_true(reap[0]);
    assert_false(reap[1]);
    /* clock going backwards never underflows */
    assert_int_equal(hs_mig_gc_update(&gc, o2, 2, 5, reap, idle), 0);
    assert_int_equal(idle[1], 0);
}

static void test_keep_newest(void **state)
{
    (void)state;
    struct hs_mig_gc_file f[] = {{"a-dump.log", 100}, {"b-dump.log", 300}, {"c-restore.log", 200},
                                 {"d-dump.log", 200}, {"e.log", 50}};
    bool del[5];
    assert_int_equal(hs_mig_gc_keep_newest(f, 5, 5, del), 0);
    for (int i = 0; i < 5; i++)
        assert_false(del[i]);
    assert_int_equal(hs_mig_gc_keep_newest(f, 5, 2, del), 3);
    /* kept: b (300), d (200, greater name than c) */
    assert_true(del[0]);
    assert_false(del[1]);
    assert_true(del[2]);
    assert_false(del[3]);
    assert_true(del[4]);
    assert_int_equal(hs_mig_gc_keep_newest(f, 5, 0, del), 5);
    assert_int_equal(hs_mig_gc_keep_newest(NULL, 0, 3, del), 0);
}

static void test_older(void **state)
{
    (void)state;
    struct hs_mig_gc_file f[] = {{"r1", 1000}, {"r2", 1300}, {"r3", 1301}};
    bool del[3];
    assert_int_equal(hs_mig_gc_older(f, 3, 1600, 300, del), 1);
    assert_true(del[0]);
    assert_false(del[1]);
    assert_false(del[2]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_states),       cmocka_unit_test(test_holds_live),
        cmocka_unit_test(test_parse_name),   cmocka_unit_test(test_grace),
        cmocka_unit_test(test_keep_newest),  cmocka_unit_test(test_older),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
