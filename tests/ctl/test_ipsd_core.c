/* test_ipsd_core.c - honeyshift-ipsd's pure parts: per-attacker hold queues with their limits,
 * and the attack report sent to the controller. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "ipsd/attack_msg.h"
#include "ipsd/hold.h"

static size_t seen_n, seen_bytes;
static uint8_t seen_first;

static void collect(void *ctx, const uint8_t *f, size_t len)
{
    (void)ctx;
    if (seen_n == 0)
        seen_first = f[0];
    seen_n++;
    seen_bytes += len;
}

static void test_hold_limits(void **state)
{
    (void)state;
    struct ipsd_hold *h = ipsd_hold_new(2, 3, 250);
    uint8_t f[100];
    for (int i = 0; i < 5; i++) {
        memset(f, i + 1, sizeof f);
        bool kept = ipsd_hold_put(h, 0x0a000001u, f, sizeof f, 1000 + (uint64_t)i);
        assert_int_equal(kept, i < 2); /* 250 bytes: two 100-byte frames fit, the third not */
    }
    struct ipsd_hold_queue *q = ipsd_hold_find(h, 0x0a000001u);
    assert_non_null(q);
    assert_int_equal(q->n, 2);
    assert_int_equal(q->bytes, 200);
    assert_int_equal(q->overflow, 3);
    assert_int_equal(q->frames[0].data[0], 1); /* the FIRST frames are kept */
    assert_int_equal(q->frames[1].data[0], 2);
    assert_int_equal(q->created_ms, 1000);
    assert_false(q->reported);

    /* frame-count limit */
    uint8_t small[10] = {7};
    for (int i = 0; i < 4; i++)
        ipsd_hold_put(h, 0x0a000002u, small, sizeof small, 2000);
    assert_int_equal(ipsd_hold_find(h, 0x0a000002u)->n, 3);
    struct ipsd_hold_stats st = ipsd_hold_stats(h);
    assert_int_equal(st.attackers, 2);
    assert_int_equal(st.held_frames, 5);
    assert_int_equal(st.held_bytes, 230);
    assert_int_equal(st.overflow, 4);

    /* a third attacker evicts the oldest queue */
    ipsd_hold_put(h, 0x0a000003u, small, sizeof small, 3000);
    assert_null(ipsd_hold_find(h, 0x0a000001u));
    assert_non_null(ipsd_hold_find(h, 0x0a000002u));
    assert_non_null(ipsd_hold_find(h, 0x0a000003u));
    assert_int_equal(ipsd_hold_stats(h).evicted, 1);
    assert_int_equal(ipsd_hold_count(h), 2);
    assert_int_equal(ipsd_hold_at(h, 0)->attacker, 0x0a000002u);
    assert_null(ipsd_hold_at(h, 2));

    /* release hands the frames over in order and forgets the queue */
    seen_n = seen_bytes = 0;
    assert_int_equal(ipsd_hold_release(h, 0x0a000002u, collect, NULL), 3);
    assert_int_equal(seen_n, 3);
    assert_int_equal(seen_bytes, 30);
    assert_int_equal(seen_first, 7);
    assert_null(ipsd_hold_find(h, 0x0a000002u));
    assert_int_equal(ipsd_hold_release(h, 0x0a000002u, collect, NULL), 0);
    ipsd_hold_free(h);
}

static void test_attack_request(void **state)
{
    (void)state;
    struct ipsd_attack a = {.attacker = 0xc612000bu, .server = 0xc6120050u,
                            .attacker_port = 40000, .server_port = 80, .sid = 1000001,
                            .flow_id = 42, .msg = "SQLi \"UNION\"\x01\xff"};
    char *s = ipsd_attack_request(&a);
    assert_non_null(s);
    assert_null(strchr(s, '\n'));
    json_error_t e;
    json_t *o = json_loads(s, 0, &e);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "cmd")), "attack");
    assert_string_equal(json_string_value(json_object_get(o, "attacker")), "198.18.0.11");
    assert_string_equal(json_string_value(json_object_get(o, "server")), "198.18.0.80");
    assert_int_equal(json_integer_value(json_object_get(o, "port")), 40000);
    assert_int_equal(json_integer_value(json_object_get(o, "server_port")), 80);
    assert_int_equal(json_integer_value(json_object_get(o, "sid")), 1000001);
    assert_string_equal(json_string_value(json_object_get(o, "msg")), "SQLi \"UNION\"??");
    assert_int_equal(json_array_size(json_object_get(o, "frames")), 0);
    json_decref(o);
    free(s);

    /* held frames travel along, hex, up to the limits */
    uint8_t f1[3] = {0x00, 0xab, 0xff}, big[IPSD_ATTACK_MAX_BYTES];
    memset(big, 1, sizeof big);
    struct ipsd_held_frame fr[2] = {{f1, sizeof f1, 0}, {big, sizeof big, 0}};
    a.frames = fr;
    a.n_frames = 2;
    a.frame_us = 5;
    a.verdict_us = 9;
    s = ipsd_attack_request(&a);
    o = json_loads(s, 0, &e);
    assert_non_null(o);
    json_t *arr = json_object_get(o, "frames");
    assert_int_equal(json_array_size(arr), 1); /* the second would pass the byte limit */
    assert_string_equal(json_string_value(json_array_get(arr, 0)), "00abff");
    assert_int_equal(json_integer_value(json_object_get(o, "frame_us")), 5);
    assert_int_equal(json_integer_value(json_object_get(o, "verdict_us")), 9);
    json_decref(o);
    free(s);

    char why[128];
    assert_true(ipsd_attack_answer_ok("{\"ok\":true,\"action\":\"blocked\"}", why, sizeof why));
    assert_false(ipsd_attack_answer_ok("{\"ok\":false,\"error\":\"list full\"}", why, sizeof why));
    assert_string_equal(why, "list full");
    assert_false(ipsd_attack_answer_ok("garbage", why, sizeof why));
    assert_false(ipsd_attack_answer_ok(NULL, why, sizeof why));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hold_limits),
        cmocka_unit_test(test_attack_request),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
