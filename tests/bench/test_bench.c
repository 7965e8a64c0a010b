/* test_bench.c - the pure parts of `honeyshift bench`: statistics, sample lines and windows,
 * EVE relocation events, attacker lines, per-run JSON, summary, topology. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "bench/bench_eve.h"
#include "bench/bench_report.h"
#include "bench/bench_stats.h"
#include "config/topology.h"

#define EQ(a, b) assert_true(fabs((a) - (b)) < 1e-9)

static void t_mean_std(void **st)
{
    (void)st;
    double v[] = {2, 4, 4, 4, 5, 5, 7, 9};
    EQ(hs_bench_mean(v, 8), 5.0);
    EQ(hs_bench_pstdev(v, 8), 2.0);     /* population, not sample (which is 2.138) */
    double one[] = {3.5};
    EQ(hs_bench_mean(one, 1), 3.5);
    EQ(hs_bench_pstdev(one, 1), 0.0);
    assert_true(isnan(hs_bench_mean(NULL, 0)));
    assert_true(isnan(hs_bench_pstdev(NULL, 0)));
}

static void t_percentile(void **st)
{
    (void)st;
    double v[100];
    for (int i = 0; i < 100; i++)
        v[i] = 100 - i;     /* unsorted on purpose: 100..1 */
    EQ(hs_bench_percentile(v, 100, 50), 50);
    EQ(hs_bench_percentile(v, 100, 99), 99);
    EQ(hs_bench_percentile(v, 100, 100), 100);
    EQ(hs_bench_percentile(v, 100, 1), 1);
    EQ(hs_bench_percentile(v, 100, 0.5), 1);
    assert_int_equal((int)v[0], 100);   /* input not sorted in place */
    double w[] = {10, 30, 20, 40, 50};
    EQ(hs_bench_percentile(w, 5, 50), 30);  /* rank ceil(2.5) = 3 */
    EQ(hs_bench_percentile(w, 5, 99), 50);
    EQ(hs_bench_percentile(w, 5, 20), 10);  /* rank exactly 1 */
    EQ(hs_bench_percentile(w, 5, 40), 20);  /* rank exactly 2, not 3 */
    double x[] = {7};
    EQ(hs_bench_percentile(x, 1, 99), 7);
    assert_true(isnan(hs_bench_percentile(w, 0, 50)));
    assert_true(isnan(hs_bench_percentile(w, 5, 0)));
    assert_true(isnan(hs_bench_percentile(w, 5, 101)));
}

static void t_samples(void **st)
{
    (void)st;
    struct hs_bench_sample s;
    const char *good = "1795434983.110753 1.250 1";
    assert_int_equal(hs_bench_sample_parse(good, strlen(good), &s), 0);
    EQ(s.t, 1795434983.110753);
    EQ(s.lat_ms, 1.25);
    assert_true(s.ok);
    assert_int_equal(hs_bench_sample_parse("5 2000.5 0", 10, &s), 0);
    assert_false(s.ok);
    static const char *const bad[] = {"", "1 2", "1 2 3", "1 2 1 ", "-1 2 1", "1 -2 1",
                                      "a 2 1", "1 nan 1", "1 inf 1", " 1 2 1", "1  2 1",
                                      "1 2 11", "1e999 2 1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(hs_bench_sample_parse(bad[i], strlen(bad[i]), &s), -1);
    /* an embedded NUL is not a line */
    assert_int_equal(hs_bench_sample_parse("1 2 1\0x", 7, &s), -1);

    struct hs_bench_sample set[] = {{1.0, 5, true}, {1.5, 7, true}, {1.9, 0, false},
                                    {2.0, 9, true}, {0.9, 1, true}};
    double out[5];
    size_t n = 0, e = 0;
    hs_bench_window(set, 5, 1.0, 2.0, out, &n, &e);  /* [1, 2): 1.0, 1.5, and the failure */
    assert_int_equal(n, 2);
    assert_int_equal(e, 1);
    EQ(out[0], 5);
    EQ(out[1], 7);
    hs_bench_window(set, 5, 2.0, 3.0, out, &n, &e);  /* accumulates */
    assert_int_equal(n, 3);
    EQ(out[2], 9);
}

static const char ev_ok[] =
    "{\"timestamp\":\"2026-11-23T12:00:00.123456+0000\",\"event_type\":\"relocation\","
    "\"src_ip\":\"198.18.0.11\",\"src_port\":40112,\"dest_ip\":\"198.18.0.80\",\"dest_port\":80,"
    "\"proto\":\"TCP\",\"relocation\":{\"id\":\"s1\",\"trigger\":\"ips\",\"outcome\":\"relocated\","
    "\"attacker_action\":\"relocated\",\"service\":\"www\",\"kind\":\"nginx\",\"from\":\"web\","
    "\"to\":\"honeypot\",\"signature_id\":1000001,\"signature\":\"SQLi\",\"pid\":5,"
    "\"timings_ms\":{\"detect\":0.4,\"hold\":0.1,\"locate\":2,\"dump\":40.5,\"transfer\":12,"
    "\"restore\":50.25,\"flows\":3,\"reinject\":1,\"first_byte\":2,\"pause\":99.5,"
    "\"total\":120,\"future\":7}}}";

static void t_eve(void **st)
{
    (void)st;
    struct hs_bench_reloc_event ev;
    char err[256];
    assert_int_equal(hs_bench_eve_parse(ev_ok, strlen(ev_ok), &ev, err, sizeof err), 1);
    assert_string_equal(ev.src_ip, "198.18.0.11");
    assert_int_equal(ev.src_port, 40112);
    assert_int_equal(ev.dest_port, 80);
    assert_string_equal(ev.outcome, "relocated");
    assert_string_equal(ev.trigger, "ips");
    assert_string_equal(ev.kind, "nginx");
    assert_string_equal(ev.stage, "");
    assert_true(ev.has_timing[HS_BT_DUMP]);
    EQ(ev.timing[HS_BT_DUMP], 40.5);
    EQ(ev.timing[HS_BT_RESTORE], 50.25);
    EQ(ev.timing[HS_BT_TOTAL], 120);
    EQ(ev.timing[HS_BT_DETECT], 0.4);
    assert_string_equal(hs_bench_timing_name(HS_BT_FIRST_BYTE), "first_byte");
    assert_null(hs_bench_timing_name(HS_BT_COUNT));

    const char *failed =
        "{\"event_type\":\"relocation\",\"src_ip\":\"198.18.0.11\",\"src_port\":1,"
        "\"relocation\":{\"outcome\":\"failed\",\"stage\":\"dump\",\"reason\":\"criu dump exited "
        "with status 1\",\"attacker_action\":\"blocked\",\"timings_ms\":{\"locate\":1.5}}}";
    assert_int_equal(hs_bench_eve_parse(failed, strlen(failed), &ev, err, sizeof err), 1);
    assert_string_equal(ev.stage, "dump");
    assert_string_equal(ev.attacker_action, "blocked");
    assert_string_equal(ev.reason, "criu dump exited with status 1");
    assert_true(ev.has_timing[HS_BT_LOCATE]);
    assert_false(ev.has_timing[HS_BT_DUMP]);

    /* other events are recognised and skipped, ev untouched */
    memset(&ev, 0x5a, sizeof ev);
    const char *alert = "{\"event_type\":\"alert\",\"src_ip\":\"198.18.0.11\"}";
    assert_int_equal(hs_bench_eve_parse(alert, strlen(alert), &ev, err, sizeof err), 0);
    assert_int_equal((unsigned char)ev.src_ip[0], 0x5a);

    /* a long reason is cut visibly, never silently */
    char longr[900];
    int n = snprintf(longr, sizeof longr,
                     "{\"event_type\":\"relocation\",\"src_ip\":\"1.2.3.4\",\"relocation\":"
                     "{\"outcome\":\"failed\",\"reason\":\"%0400d\"}}", 7);
    assert_int_equal(hs_bench_eve_parse(longr, (size_t)n, &ev, err, sizeof err), 1);
    assert_int_equal(strlen(ev.reason), sizeof ev.reason - 1);
    assert_string_equal(ev.reason + sizeof ev.reason - 4, "...");

    static const char *const bad[] = {
        "", "[]", "{", "{\"event_type\":5}", "{}",
        "{\"event_type\":\"relocation\",\"src_ip\":\"1.2.3.4\"}",
        "{\"event_type\":\"relocation\",\"relocation\":{\"outcome\":\"relocated\"}}",
        "{\"event_type\":\"relocation\",\"src_ip\":\"1.2.3.4\",\"relocation\":{}}",
        "{\"event_type\":\"relocation\",\"src_ip\":\"1.2.3.4\",\"src_port\":70000,"
        "\"relocation\":{\"outcome\":\"failed\"}}",
        "{\"event_type\":\"relocation\",\"src_ip\":\"1.2.3.4\",\"relocation\":{\"outcome\":"
        "\"failed\",\"timings_ms\":{\"dump\":-1}}}",
        "{\"event_type\":\"relocation\",\"src_ip\":\"1.2.3.4\",\"relocation\":{\"outcome\":"
        "\"failed\",\"timings_ms\":{\"dump\":\"5\"}}}",
        "{\"event_type\":\"relocation\",\"src_ip\":\"1.2.3.4\",\"relocation\":{\"outcome\":"
        "\"failed\",\"timings_ms\":[]}}",
        "{\"event_type\":\"relocation\",\"src_ip\":\"1.2.3.4.5.6.7.8.9.10\",\"relocation\":"
        "{\"outcome\":\"failed\"}}",
        "{\"event_type\":\"relocation\",\"src_ip\":\"1.2.3.4\",\"relocation\":{\"outcome\":"
        "\"fa\\u0000iled\"}}",
        "{\"event_type\":\"relocation\",\"event_type\":\"alert\"}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        assert_int_equal(hs_bench_eve_parse(bad[i], strlen(bad[i]), &ev, err, sizeof err), -1);
        assert_true(err[0] != '\0');
    }
}

static void t_attacker(void **st)
{
    (void)st;
    struct hs_bench_att a;
    char err[256];
    const char *ready = "{\"event\": \"ready\", \"port\": 41000, \"benign_prod\": true}";
    assert_int_equal(hs_bench_att_parse(ready, strlen(ready), &a, err, sizeof err), 0);
    assert_int_equal(a.kind, HS_BENCH_ATT_READY);
    assert_int_equal(a.port, 41000);
    assert_true(a.benign_prod);
    const char *res = "{\"event\": \"result\", \"port\": 41000, \"sent\": 100.5, \"first_byte\": "
                      "100.625, \"done\": 100.7, \"status\": 200, \"decoy\": true, \"prod\": "
                      "false, \"after_decoy\": true, \"error\": \"\"}";
    assert_int_equal(hs_bench_att_parse(res, strlen(res), &a, err, sizeof err), 0);
    assert_int_equal(a.kind, HS_BENCH_ATT_RESULT);
    EQ((a.first_byte - a.sent) * 1000, 125);
    assert_int_equal(a.status, 200);
    assert_true(a.decoy && !a.prod && a.after_decoy);
    static const char *const bad[] = {
        "{\"event\":\"ready\"}", "{\"event\":\"what\",\"port\":1}", "{\"port\":1}",
        "{\"event\":\"result\",\"port\":1,\"status\":1000}",
        "{\"event\":\"result\",\"port\":1,\"decoy\":1}", "nope",
        "{\"event\":\"result\",\"port\":1,\"sent\":-3}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(hs_bench_att_parse(bad[i], strlen(bad[i]), &a, err, sizeof err), -1);
}

static void t_run_json(void **st)
{
    (void)st;
    struct hs_bench_run r = {.run = 3, .ok = true, .relocated = true, .same_conn = true,
                             .decoy = true, .after_decoy = true, .has_pause = true,
                             .pause_ms = 77.125};
    r.timing[HS_BT_DUMP] = 40;
    r.has_timing[HS_BT_DUMP] = true;
    r.timing[HS_BT_PAUSE] = 60;
    r.has_timing[HS_BT_PAUSE] = true;
    char *s = hs_bench_run_json("nginx", "ips", &r);
    json_t *o = json_loads(s, 0, NULL);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "service")), "nginx");
    assert_true(json_is_true(json_object_get(o, "ok")));
    assert_int_equal(json_integer_value(json_object_get(o, "run")), 3);
    EQ(json_real_value(json_object_get(o, "pause_ms")), 77.13);   /* 2 decimals */
    EQ(json_real_value(json_object_get(o, "dump_ms")), 40);
    EQ(json_real_value(json_object_get(o, "reloc_pause_ms")), 60);
    assert_true(json_is_null(json_object_get(o, "transfer_ms")));
    assert_true(json_is_null(json_object_get(o, "total_ms")));
    assert_null(json_object_get(o, "error"));
    json_decref(o);
    free(s);
    r.ok = false;
    snprintf(r.stage, sizeof r.stage, "dump");
    snprintf(r.error, sizeof r.error, "criu \"failed\"");
    s = hs_bench_run_json("flask", "operator", &r);
    o = json_loads(s, 0, NULL);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "stage")), "dump");
    assert_string_equal(json_string_value(json_object_get(o, "error")), "criu \"failed\"");
    json_decref(o);
    free(s);
}

static struct hs_bench_run mkrun(unsigned i, bool ok, double dump, double tr, double rs,
                                 double pause)
{
    struct hs_bench_run r = {.run = i, .ok = ok, .relocated = ok, .has_pause = true,
                             .pause_ms = pause};
    r.timing[HS_BT_DUMP] = dump;
    r.timing[HS_BT_TRANSFER] = tr;
    r.timing[HS_BT_RESTORE] = rs;
    r.timing[HS_BT_TOTAL] = dump + tr + rs + 10;
    r.has_timing[HS_BT_DUMP] = r.has_timing[HS_BT_TRANSFER] = r.has_timing[HS_BT_RESTORE] =
        r.has_timing[HS_BT_TOTAL] = true;
    if (!ok) {
        snprintf(r.stage, sizeof r.stage, "restore");
        snprintf(r.error, sizeof r.error, "boom");
    }
    return r;
}

static void t_summary(void **st)
{
    (void)st;
    struct hs_bench_run runs[3] = {mkrun(1, true, 30, 10, 50, 60), mkrun(2, true, 50, 20, 70, 100),
                                   mkrun(3, false, 999, 999, 999, 999)};
    double during[] = {3, 4, 20}, quiet[] = {2, 3, 4};
    struct hs_bench_summary_in in = {.service = "nginx", .trigger = "ips", .runs_planned = 5,
                                     .runs = runs, .n_runs = 3, .benign_during = during,
                                     .benign_quiet = quiet, .n_during = 3, .n_quiet = 3,
                                     .benign_total = 600, .benign_errors = 0};
    struct hs_buf b = HS_BUF_INIT;
    hs_bench_summary(&in, &b);
    const char *s = (const char *)b.data;
    assert_int_equal(strlen(s), b.len);
    assert_non_null(strstr(s, "3 of 5 runs done"));
    assert_non_null(strstr(s, "2 of 3"));
    assert_non_null(strstr(s, "run 3 failed at stage restore: boom"));
    /* dump over the ok runs: mean 40, sd 10 (the failed 999 excluded), paper 39.57 (2.16) */
    assert_non_null(strstr(s, "dump                          40.0     10.0"));
    assert_non_null(strstr(s, "39.57 (  2.16)"));
    /* d+t+r: 90 and 140 -> mean 115, paper 108.87 */
    assert_non_null(strstr(s, "dump+transfer+restore        115.0     25.0"));
    assert_non_null(strstr(s, "108.87 ( 13.39)"));
    /* pause p50 60 (rank 1 of 2), p99 100; target 80 met */
    assert_non_null(strstr(s, "p50    60.0 ms   p99   100.0 ms   target p50 <= 80 ms: met"));
    assert_non_null(strstr(s, "difference +16.0 ms"));
    assert_non_null(strstr(s, "target within 10 ms: missed"));
    hs_buf_free(&b);

    /* no runs at all: still a summary, no NaN printed */
    struct hs_bench_summary_in empty = {.service = "flask", .trigger = "operator",
                                        .runs_planned = 1};
    hs_bench_summary(&empty, &b);
    s = (const char *)b.data;
    assert_non_null(strstr(s, "0 of 0"));
    assert_non_null(strstr(s, "target p50 <= 200 ms: no data"));
    assert_null(strstr(s, "nan"));
    hs_buf_free(&b);
    assert_non_null(hs_bench_paper_row("flask"));
    EQ(hs_bench_paper_row("flask")->transfer[0], 442.40);
    EQ(hs_bench_paper_row("node")->total[1], 23.01);
    assert_null(hs_bench_paper_row("redis"));
    EQ(hs_bench_pause_target_ms("node"), 200);
}

static void t_topology(void **st)
{
    (void)st;
    static const char *const kinds[] = {"nginx", "flask", "node"};
    for (int i = 0; i < 3; i++) {
        struct hs_bench_topo_opts o = {.lab = "hsbr", .controller_port = 6690, .kind = kinds[i],
                                       .ips = true, .relocate = false,
                                       .prod_content = "prod 1204", .decoy_content = "hp 1198"};
        char *y = hs_bench_topology_yaml(&o);
        assert_non_null(y);
        struct hs_topology *t = NULL;
        struct hs_cfg_err e;
        int rc = hs_topology_parse(y, strlen(y), "bench", &t, &e);
        if (rc != 0)
            fail_msg("%s\n%s", e.msg, y);
        assert_string_equal(t->lab, "hsbr");
        assert_int_equal(t->controller.listen_port, 6690);
        assert_true(t->ips.present && t->ips.enabled);
        const struct hs_host *w = hs_topology_host(t, "web"), *h = hs_topology_host(t, "honeypot");
        assert_non_null(w);
        assert_non_null(h);
        assert_string_equal(h->twin, "web");
        assert_int_equal(w->ip, h->ip);
        assert_string_equal(hs_service_kind_name(w->services[0].kind), kinds[i]);
        assert_string_equal(h->services[0].content, "hp 1198");
        assert_non_null(hs_topology_host(t, "attacker"));
        hs_topology_free(t);
        free(y);
    }
    struct hs_bench_topo_opts o = {.lab = "hsbr", .controller_port = 6690, .kind = "nginx",
                                   .ips = true, .relocate = true, .prod_content = "a",
                                   .decoy_content = "b"};
    char *y = hs_bench_topology_yaml(&o);
    assert_non_null(strstr(y, "  on_attack: relocate\n"));
    free(y);
    o.kind = "redis";
    assert_null(hs_bench_topology_yaml(&o));
    o.kind = "nginx";
    o.lab = "hsbr2";        /* hsbr2-attacker: longer than the lab allows */
    assert_null(hs_bench_topology_yaml(&o));
    o.lab = "hsbr";
    o.decoy_content = "quote\"";
    assert_null(hs_bench_topology_yaml(&o));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_mean_std), cmocka_unit_test(t_percentile),
        cmocka_unit_test(t_samples),  cmocka_unit_test(t_eve),
        cmocka_unit_test(t_attacker), cmocka_unit_test(t_run_json),
        cmocka_unit_test(t_summary),  cmocka_unit_test(t_topology),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
