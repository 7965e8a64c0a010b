/* test_sandnet_watch.c - the EVE alert judge of `honeyshift sandnet watch` (sandnet/watch.h)
 * against the lab's real layout: an alert from a container names it, everything else is
 * skipped with its reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/util.h"
#include "sandnet/sandlab.h"
#include "sandnet/watch.h"

static struct sn_confine_in in;

static enum sn_watch_verdict judge(const char *line, int sev, struct sn_watch_hit *hit)
{
    return sn_watch_judge(&in, line, strlen(line), sev, hit);
}

#define ALERT(src, sev, sig)                                                                    \
    "{\"timestamp\":\"2026-11-23T15:00:00.000000+0000\",\"event_type\":\"alert\",\"src_ip\":\"" \
    src "\",\"src_port\":40000,\"dest_ip\":\"198.18.64.12\",\"dest_port\":8000,"               \
    "\"proto\":\"TCP\",\"alert\":{\"action\":\"blocked\",\"signature_id\":2100009,\"rev\":1,"   \
    "\"signature\":\"" sig "\",\"category\":\"Web Application Attack\",\"severity\":" #sev "}}"

static void alert_from_container(void **state)
{
    (void)state;
    struct sn_watch_hit hit;
    assert_int_equal(judge(ALERT("198.18.64.11", 1, "HS SQLI"), 0, &hit), SN_WATCH_SUSPECT);
    assert_int_equal(hit.node, sn_lab_node(&in, "fe1"));
    assert_int_equal(hit.sid, 2100009);
    assert_int_equal(hit.severity, 1);
    assert_string_equal(hit.signature, "HS SQLI");
    uint32_t be1;
    assert_true(hs_parse_ipv4("198.18.64.12", &be1));
    assert_int_equal(hit.dest_ip, be1);
    /* be2 as the source names be2 */
    assert_int_equal(judge(ALERT("198.18.64.22", 2, "x"), 0, &hit), SN_WATCH_SUSPECT);
    assert_int_equal(hit.node, sn_lab_node(&in, "be2"));
}

static void skipped_with_reason(void **state)
{
    (void)state;
    struct sn_watch_hit hit;
    /* the adversary's external host and an address outside the lab are not containers */
    assert_int_equal(judge(ALERT("198.18.64.201", 1, "x"), 0, &hit), SN_WATCH_NOT_CONTAINER);
    assert_int_equal(hit.node, -1);
    assert_int_equal(judge(ALERT("198.18.0.11", 1, "x"), 0, &hit), SN_WATCH_NOT_CONTAINER);
    /* severity threshold: 3 is less severe than 2 */
    assert_int_equal(judge(ALERT("198.18.64.11", 3, "x"), 2, &hit), SN_WATCH_LOW_SEVERITY);
    assert_int_equal(judge(ALERT("198.18.64.11", 2, "x"), 2, &hit), SN_WATCH_SUSPECT);
    /* other events, broken lines, unusable sources */
    assert_int_equal(judge("{\"event_type\":\"relocation\",\"src_ip\":\"198.18.64.11\"}", 0, &hit),
                     SN_WATCH_NOT_ALERT);
    assert_int_equal(judge("{\"event_type\":\"alert\",\"src_ip\":\"198.18.64.11\"}", 0, &hit),
                     SN_WATCH_NOT_ALERT); /* no alert object */
    assert_int_equal(judge("{\"event_type\":\"alert\",\"alert\":{}}", 0, &hit), SN_WATCH_NO_SOURCE);
    assert_int_equal(judge("{\"event_type\":\"alert\",\"src_ip\":\"2001:2::1\",\"alert\":{}}", 0,
                           &hit), SN_WATCH_NO_SOURCE);
    assert_int_equal(judge("{\"event_type\":\"alert\",\"src_ip\":7,\"alert\":{}}", 0, &hit),
                     SN_WATCH_NO_SOURCE);
    assert_int_equal(judge("{\"event_type\":\"alert\"", 0, &hit), SN_WATCH_NOT_JSON);
    assert_int_equal(judge("[1,2]", 0, &hit), SN_WATCH_NOT_JSON);
    assert_int_equal(judge("", 0, &hit), SN_WATCH_NOT_JSON);
    /* duplicate keys are refused: which src_ip would count? */
    assert_int_equal(judge("{\"event_type\":\"alert\",\"src_ip\":\"198.18.64.201\","
                           "\"src_ip\":\"198.18.64.11\",\"alert\":{}}", 0, &hit),
                     SN_WATCH_NOT_JSON);
}

static void limits(void **state)
{
    (void)state;
    struct sn_watch_hit hit;
    /* a long signature is cut with "..." */
    char sig[300];
    memset(sig, 'A', sizeof sig - 1);
    sig[sizeof sig - 1] = '\0';
    char line[1024];
    assert_true(hs_snprintf(line, sizeof line,
                            "{\"event_type\":\"alert\",\"src_ip\":\"198.18.64.13\",\"alert\":"
                            "{\"signature\":\"%s\",\"signature_id\":-5,\"severity\":900}}", sig));
    assert_int_equal(judge(line, 0, &hit), SN_WATCH_SUSPECT);
    assert_int_equal(strlen(hit.signature), sizeof hit.signature - 1);
    assert_string_equal(hit.signature + sizeof hit.signature - 4, "...");
    assert_int_equal(hit.sid, 0);      /* out of range: absent */
    assert_int_equal(hit.severity, 0); /* out of range: absent */
    /* a line longer than the limit is not parsed */
    size_t n = SN_WATCH_LINE_MAX + 1;
    char *big = xmalloc(n);
    memset(big, ' ', n);
    assert_int_equal(sn_watch_judge(&in, big, n, 0, &hit), SN_WATCH_TOO_LONG);
    free(big);
    assert_string_equal(sn_watch_verdict_name(SN_WATCH_SUSPECT), "suspect");
    assert_string_equal(sn_watch_verdict_name(SN_WATCH_TOO_LONG), "too-long");
}

int main(void)
{
    if (!sn_lab_confine_init(2, &in))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(alert_from_container),
        cmocka_unit_test(skipped_with_reason),
        cmocka_unit_test(limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
