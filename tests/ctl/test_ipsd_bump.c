/* test_ipsd_bump.c - the EtherType guard of honeyshift-ipsd's bump in the wire (--peer): IPv4
 * goes to the wrapped inspector, ARP passes, everything else is dropped; counters stay in the
 * wrapped-in-place inspector. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "ipsd/inspect.h"

/* A fake inner inspector: counts its calls, drops IPv4 frames whose first payload byte is 'X'
 * (an "attack"), passes the others. */
struct fake {
    int inspected, expired, freed;
};

static void fake_inspect(void *ctx, const uint8_t *frame, size_t len, uint64_t now_us,
                         struct ipsd_verdict *v)
{
    (void)now_us;
    struct fake *f = ctx;
    f->inspected++;
    v->frame = frame;
    v->len = len;
    v->action = len > 34 && frame[34] == 'X' ? IPSD_DROP : IPSD_PASS;
    v->attack = v->action == IPSD_DROP;
}

static void fake_expire(void *ctx, uint64_t now_us)
{
    (void)now_us;
    ((struct fake *)ctx)->expired++;
}

static void fake_free(void *ctx) { ((struct fake *)ctx)->freed++; }

static size_t frame(uint8_t *f, uint16_t type, uint8_t first_payload)
{
    memset(f, 0, 60);
    memset(f, 0x02, 12);
    f[12] = (uint8_t)(type >> 8);
    f[13] = (uint8_t)type;
    f[14] = 0x45;
    f[34] = first_payload;
    return 60;
}

static void test_guard(void **state)
{
    (void)state;
    struct fake fk = {0};
    struct ipsd_inspector in;
    memset(&in, 0, sizeof in);
    in.name = "fake";
    in.ctx = &fk;
    in.inspect = fake_inspect;
    in.expire = fake_expire;
    in.free = fake_free;
    ipsd_inspector_bump_guard(&in);
    assert_string_equal(in.name, "fake");

    uint8_t f[60];
    struct ipsd_verdict v;
    size_t n = frame(f, 0x0800, 'G');           /* IPv4: to the inner inspector */
    ipsd_inspect(&in, f, n, 1, &v);
    assert_int_equal(v.action, IPSD_PASS);
    assert_ptr_equal(v.frame, f);
    assert_int_equal(fk.inspected, 1);
    n = frame(f, 0x0800, 'X');                  /* its verdicts stand */
    ipsd_inspect(&in, f, n, 2, &v);
    assert_int_equal(v.action, IPSD_DROP);
    assert_true(v.attack);
    assert_int_equal(fk.inspected, 2);
    n = frame(f, 0x0806, 'X');                  /* ARP passes without inspection */
    ipsd_inspect(&in, f, n, 3, &v);
    assert_int_equal(v.action, IPSD_PASS);
    assert_ptr_equal(v.frame, f);
    assert_int_equal(v.len, n);
    assert_int_equal(fk.inspected, 2);
    static const uint16_t others[] = {0x86dd, 0x8100, 0x88a8, 0x88b5, 0x0801, 0x0000, 0x05dc};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        n = frame(f, others[i], 'G');
        ipsd_inspect(&in, f, n, 4, &v);
        assert_int_equal(v.action, IPSD_DROP);
        assert_false(v.attack);
        assert_non_null(v.reason);
    }
    ipsd_inspect(&in, f, 13, 5, &v);            /* no EtherType at all */
    assert_int_equal(v.action, IPSD_DROP);
    assert_int_equal(fk.inspected, 2);
    /* the counters are the outer (reported) inspector's */
    assert_int_equal(in.st.frames, 11);
    assert_int_equal(in.st.passed, 2);
    assert_int_equal(in.st.dropped, 9);
    assert_int_equal(in.st.attacks, 1);
    in.expire(in.ctx, 10);
    assert_int_equal(fk.expired, 1);
    in.free(in.ctx);
    assert_int_equal(fk.freed, 1);
}

/* The noop inspector behind the guard (HS_IPSD_INSPECTOR=noop in a bump). */
static void test_guard_noop(void **state)
{
    (void)state;
    struct ipsd_inspector in;
    ipsd_inspector_noop(&in);
    ipsd_inspector_bump_guard(&in);
    uint8_t f[60];
    struct ipsd_verdict v;
    ipsd_inspect(&in, f, frame(f, 0x0800, 'X'), 1, &v);
    assert_int_equal(v.action, IPSD_PASS);
    ipsd_inspect(&in, f, frame(f, 0x86dd, 'G'), 1, &v);
    assert_int_equal(v.action, IPSD_DROP);
    assert_string_equal(in.name, "noop");
    in.free(in.ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_guard),
        cmocka_unit_test(test_guard_noop),
    };
    return cmocka_run_group_tests_name("ipsd_bump", tests, NULL, NULL);
}
