/* test_qod_json.c - the KPI document parser (qod_json.c), its error messages with file,
 * line:column and JSON path, the position finder (json_locate.c) and the result document. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include <cmocka.h>

#include "qod/json_locate.h"
#include "qod/qod.h"
#include "qod/qod_json.h"

static bool parse(const char *json, struct qod_input *in, char **err)
{
    return qod_json_parse(json, strlen(json), "t.json", in, err);
}

/* Parse must fail; returns the message (caller frees). */
static char *parse_error(const char *json)
{
    struct qod_input in;
    char *err = NULL;
    bool ok = parse(json, &in, &err);
    if (ok) {
        qod_input_free(&in);
        print_error("accepted: %s\n", json);
        fail();
    }
    assert_non_null(err);
    assert_null(in.kpis);
    assert_int_equal(in.n, 0);
    return err;
}

/* Every bad input with the exact message. The line:column of each was computed independently
 * (by searching for the offending token in the text), not by the code under test. */
static const struct {
    const char *json;
    const char *msg;
} bad_cases[] = {
    {"[1]",
     "t.json:1:1: top level: expected an object {\"kpis\": [...]}, got an array"},
    {"{}",
     "t.json:1:1: top level: missing key \"kpis\""},
    {"{\"kpis\": [], \"x\": 1}",
     "t.json:1:14: x: unknown key (allowed: kpis)"},
    {"{\"kpis\": {}}",
     "t.json:1:10: kpis: expected an array of KPIs, got an object"},
    {"{\"kpis\": [ ]}",
     "t.json:1:10: kpis: no KPIs (the QoD of zero KPIs is undefined)"},
    {"{\"kpis\": [1]}",
     "t.json:1:11: kpis[0]: expected a KPI object, got a number"},
    {"{\"kpis\": [{\"name\": \"a\", \"type\": \"set\", \"expected\": [], \"observed\": [], \"extra\": 1}]}",
     "t.json:1:72: kpis[0].extra: unknown key (allowed: name, type, expected, calculated, observed)"},
    {"{\"kpis\": [{\"type\": \"set\", \"expected\": [], \"observed\": []}]}",
     "t.json:1:11: kpis[0]: missing key \"name\""},
    {"{\"kpis\": [{\"name\": \"\", \"type\": \"set\", \"expected\": [], \"observed\": []}]}",
     "t.json:1:20: kpis[0].name: expected a non-empty string, got \"\""},
    {"{\"kpis\": [{\"name\": 5, \"type\": \"set\", \"expected\": [], \"observed\": []}]}",
     "t.json:1:20: kpis[0].name: expected a non-empty string, got a number"},
    {"{\"kpis\": [{\"name\": \"a\", \"expected\": [], \"observed\": []}]}",
     "t.json:1:11: kpis[0]: missing key \"type\""},
    {"{\"kpis\": [{\"name\": \"a\", \"type\": \"graph\", \"expected\": [], \"observed\": []}]}",
     "t.json:1:33: kpis[0].type: unknown KPI type (want \"series\" or \"set\")"},
    {"{\"kpis\": [{\"name\": \"a\", \"type\": null, \"expected\": [], \"observed\": []}]}",
     "t.json:1:33: kpis[0].type: expected \"series\" or \"set\", got null"},
    {"{\"kpis\": [{\"name\": \"a\", \"type\": \"series\", \"observed\": [1]}]}",
     "t.json:1:11: kpis[0]: a series needs \"expected\" or \"calculated\" (or both)"},
    {"{\"kpis\": [{\"name\": \"a\", \"type\": \"series\", \"expected\": [1]}]}",
     "t.json:1:11: kpis[0]: missing key \"observed\""},
    {"{\"kpis\": [{\"name\": \"a\", \"type\": \"series\", \"expected\": [1], \"observed\": [1, 2, \"x\"]}]}",
     "t.json:1:79: kpis[0].observed[2]: expected a number, got a string"},
    {"{\"kpis\": [{\"name\": \"a\", \"type\": \"series\", \"expected\": [1], \"observed\": [1, true]}]}",
     "t.json:1:76: kpis[0].observed[1]: expected a number, got a boolean"},
    {"{\"kpis\": [{\"name\": \"a\", \"type\": \"series\", \"expected\": [1], \"observed\": []}]}",
     "t.json:1:72: kpis[0].observed: empty series: no values, so no image (mean, std)"},
    {"{\"kpis\": [{\"name\": \"a\", \"type\": \"series\", \"expected\": [], \"observed\": [1]}]}",
     "t.json:1:55: kpis[0].expected: empty series: no values, so no image (mean, std)"},
    {"{\"kpis\": [{\"name\": \"a\", \"type\": \"series\", \"expected\": [1], \"observed\": 3}]}",
     "t.json:1:72: kpis[0].observed: expected an array of numbers, got a number"},
    {"{\"kpis\": [{\"name\": \"a\", \"type\": \"series\", \"expected\": {\"mean\": 1, \"std\": 2, \"n\": 3}, \"observed\": [1]}]}",
     "t.json:1:77: kpis[0].expected.n: unknown key (allowed: mean, std)"},
    {"{\"kpis\": [{\"name\": \"a\", \"type\": \"series\", \"expected\": {\"mean\": 1}, \"observed\": [1]}]}",
     "t.json:1:55: kpis[0].expected: missing key \"std\""},
    {"{\"kpis\": [{\"name\": \"a\", \"type\": \"series\", \"expected\": {\"std\": 1}, \"observed\": [1]}]}",
     "t.json:1:55: kpis[0].expected: missing key \"mean\""},
    {"{\"kpis\": [{\"name\": \"a\", \"type\": \"series\", \"expected\": {\"mean\": 1, \"std\": -0.5}, \"observed\": [1]}]}",
     "t.json:1:74: kpis[0].expected.std: standard deviation must be >= 0"},
    {"{\"kpis\": [{\"name\": \"a\", \"type\": \"series\", \"expected\": {\"mean\": \"1\", \"std\": 0}, \"observed\": [1]}]}",
     "t.json:1:64: kpis[0].expected.mean: expected a number, got a string"},
    {"{\"kpis\": [{\"name\": \"a\", \"type\": \"series\", \"expected\": \"fast\", \"observed\": [1]}]}",
     "t.json:1:55: kpis[0].expected: expected an array of numbers or {\"mean\", \"std\"}, got a string"},
    {"{\"kpis\": [{\"name\": \"a\", \"type\": \"series\", \"calculated\": {\"mean\": 1, \"std\": 0}, \"observed\": [1]}]}",
     "t.json:1:57: kpis[0].calculated: expected an array of numbers, got an object"},
    {"{\"kpis\": [{\"name\": \"a\", \"type\": \"set\", \"expected\": [\"x\", 1], \"observed\": []}]}",
     "t.json:1:58: kpis[0].expected[1]: expected a string, got a number"},
    {"{\"kpis\": [{\"name\": \"a\", \"type\": \"set\", \"expected\": {\"x\": 1}, \"observed\": []}]}",
     "t.json:1:52: kpis[0].expected: expected an array of strings, got an object"},
    {"{\"kpis\": [{\"name\": \"a\", \"type\": \"set\", \"observed\": []}]}",
     "t.json:1:11: kpis[0]: a set needs \"expected\" or \"calculated\" (or both)"},
    {"{\"kpis\": [{\"name\": \"a\", \"type\": \"set\", \"calculated\": []}]}",
     "t.json:1:11: kpis[0]: missing key \"observed\""},
    {"{\"kpis\": [{\"name\": \"a\", \"type\": \"set\", \"calculated\": [], \"observed\": [null]}]}",
     "t.json:1:71: kpis[0].observed[0]: expected a string, got null"},
    {"{\"kpis\": [{\"name\": \"a\", \"type\": \"set\", \"calculated\": [], \"observed\": []}, {\"name\": \"b\", \"type\": \"set\", \"calculated\": [], \"observed\": []}, {\"name\": \"a\", \"type\": \"set\", \"calculated\": [], \"observed\": []}]}",
     "t.json:1:148: kpis[2].name: duplicate KPI name (first used by kpis[0])"},
    {"{\"kpis\": [], \"a\\\"b\": 1}",
     "t.json:1:14: [\"a\\\"b\"]: unknown key (allowed: kpis)"},
    {"{\"kpis\": [], \"\\u00e9t\\u00e9\": 1}",
     "t.json:1:14: [\"\xc3""\xa9""t\xc3""\xa9""\"]: unknown key (allowed: kpis)"},
    {"{\"kpis\": [{\"name\": \"a\", \"type\": \"series\", \"expected\": [1], \"observed\": [1], \"\\ud83d\\ude00\": 1}]}",
     "t.json:1:77: kpis[0][\"\xf0""\x9f""\x98""\x80""\"]: unknown key (allowed: name, type, expected, calculated, observed)"},
    {"{\"kpis\": [\n {\"name\": \"lat\", \"type\": \"set\", \"calculated\": [], \"observed\": []},\n {\"name\": \"d\xc3""\xa9""bit\", \"observed\": [1, 2, \"x\"], \"type\": \"series\", \"expected\": [1]}]}",
     "t.json:3:39: kpis[1].observed[2]: expected a number, got a string"},
};

static void test_bad_inputs(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        char *err = parse_error(bad_cases[i].json);
        bool same = strcmp(err, bad_cases[i].msg) == 0;
        if (!same)
            print_error("case %zu:\n  got  %s\n  want %s\n", i, err, bad_cases[i].msg);
        free(err);
        assert_true(same);
    }
}

/* Syntax-level errors come from jansson, with its line:column. */
static void expect_jansson_error(const char *json, const char *prefix, const char *text)
{
    char *err = parse_error(json);
    if (strncmp(err, prefix, strlen(prefix)) != 0 || !strstr(err, text)) {
        print_error("got '%s', want prefix '%s' and '%s'\n", err, prefix, text);
        free(err);
        fail();
    }
    free(err);
}

static void test_syntax_errors(void **state)
{
    (void)state;
    expect_jansson_error("{\"kpis\": [}", "t.json:1:11: ", "unexpected token");
    expect_jansson_error("", "t.json:", "'[' or '{' expected");
    expect_jansson_error("{\"kpis\": [{\"name\": \"a\",\n \"type\": \"series\", \"expected\": [NaN], "
                         "\"observed\": [1]}]}",
                         "t.json:2:", "invalid token");
    expect_jansson_error("{\"kpis\": [{\"name\": \"a\", \"type\": \"series\", \"expected\": [1e999], "
                         "\"observed\": [1]}]}",
                         "t.json:1:", "real number overflow");
    expect_jansson_error("{\"kpis\": [{\"name\": \"a\", \"name\": \"b\"}]}", "t.json:1:",
                         "duplicate object key");
    expect_jansson_error("{\"kpis\": []} x", "t.json:1:", "end of file expected");
    /* a NUL byte inside the text is not a silent end of input */
    struct qod_input in;
    char *err = NULL;
    const char nul[] = "{\"kpis\": []}\0 junk";
    assert_false(qod_json_parse(nul, sizeof nul - 1, "t.json", &in, &err));
    assert_non_null(err);
    free(err);
}

static void test_parse_full(void **state)
{
    (void)state;
    const char *json =
        "{\"kpis\": [\n"
        "  {\"name\": \"latency\", \"type\": \"series\", \"expected\": [10, 12],\n"
        "   \"calculated\": [12, 14], \"observed\": [20, 20, 20, 20]},\n"
        "  {\"name\": \"throughput\", \"type\": \"series\", \"expected\": {\"mean\": 10, \"std\": 4},\n"
        "   \"observed\": [100000000000000000000, 1.5e2]},\n"
        "  {\"name\": \"macs\", \"type\": \"set\", \"expected\": [\"a\", \"b\", \"a\"],\n"
        "   \"observed\": [\"a\"]},\n"
        "  {\"name\": \"ips\", \"type\": \"set\", \"expected\": [\"x\"], \"calculated\": [],\n"
        "   \"observed\": []}]}\n";
    struct qod_input in;
    char *err = NULL;
    bool ok = parse(json, &in, &err);
    if (!ok)
        print_error("%s\n", err);
    assert_true(ok);
    assert_null(err);
    assert_int_equal(in.n, 4);

    const struct qod_kpi *k = &in.kpis[0];
    assert_string_equal(k->name, "latency");
    assert_int_equal(k->type, QOD_KPI_SERIES);
    assert_int_equal(k->expected.kind, QOD_SRC_VALUES);
    assert_int_equal(k->expected.n, 2);
    assert_true(k->expected.values[1] == 12.0);
    assert_int_equal(k->calculated.kind, QOD_SRC_VALUES);
    assert_int_equal(k->observed.n, 4);

    k = &in.kpis[1];
    assert_int_equal(k->expected.kind, QOD_SRC_IMAGE);
    assert_true(k->expected.image.mean == 10.0 && k->expected.image.std == 4.0);
    assert_int_equal(k->calculated.kind, QOD_SRC_NONE);
    /* an integer beyond 64 bits is read as a double, not rejected */
    assert_true(k->observed.values[0] == 1e20);
    assert_true(k->observed.values[1] == 150.0);

    k = &in.kpis[2];
    assert_int_equal(k->type, QOD_KPI_SET);
    assert_true(k->set_expected.present);
    assert_int_equal(k->set_expected.n, 3); /* duplicates kept here, collapsed by the math */
    assert_false(k->set_calculated.present);
    assert_string_equal(k->set_observed.items[0], "a");

    k = &in.kpis[3];
    assert_true(k->set_calculated.present);
    assert_int_equal(k->set_calculated.n, 0);
    assert_true(k->set_observed.present);

    struct qod_result r;
    assert_int_equal(qod_compute(in.kpis, in.n, QOD_NORM_GLOBAL, &r), QOD_OK);
    /* latency 0.225 (see test_qod.c); macs {a,b} vs {a}: 0.5; ips: calculated [] is used
     * (expected ignored), two empty sets: 0 */
    assert_true(fabs(r.changes[0] - 0.225) < 1e-12);
    assert_true(r.changes[2] == 0.5);
    assert_true(r.changes[3] == 0.0);
    /* throughput: p = (10, 4), o = ((1e20 + 150)/2, (1e20 - 150)/2) ~ (5e19, 5e19):
     * MIN 4, MAX ~5e19, d ~ (1, 1) */
    assert_true(r.changes[1] > 0.999999 && r.changes[1] <= 1.0);
    qod_result_free(&r);
    qod_input_free(&in);
}

static void test_result_document(void **state)
{
    (void)state;
    /* set {a,b} vs {a}: 0.5; series p = (2, 0), o = (4, 0): MIN 0, MAX 4, d = (0.5, 0),
     * C = 0.25; QoD = 1 - 0.75/2 = 0.625 (all exact in binary) */
    const char *json = "{\"kpis\": [{\"name\": \"macs\", \"type\": \"set\", \"calculated\": [\"a\", \"b\"],"
                       " \"observed\": [\"a\"]}, {\"name\": \"l\\u00e4t\", \"type\": \"series\","
                       " \"expected\": [2], \"observed\": [4]}]}";
    struct qod_input in;
    char *err = NULL;
    assert_true(parse(json, &in, &err));
    struct qod_result r;
    assert_int_equal(qod_compute(in.kpis, in.n, QOD_NORM_GLOBAL, &r), QOD_OK);
    char *s = qod_json_result_dump(&in, &r, false);
    assert_non_null(s);
    assert_string_equal(s, "{\"qod\":0.625,\"kpis\":[{\"name\":\"macs\",\"change\":0.5},"
                           "{\"name\":\"l\xc3\xa4""t\",\"change\":0.25}]}");
    free(s);
    s = qod_json_result_dump(&in, &r, true);
    assert_non_null(s);
    assert_string_equal(s, "{\n  \"qod\": 0.625,\n  \"kpis\": [\n    {\n      \"name\": \"macs\",\n"
                           "      \"change\": 0.5\n    },\n    {\n      \"name\": \"l\xc3\xa4""t\",\n"
                           "      \"change\": 0.25\n    }\n  ]\n}");
    free(s);
    qod_result_free(&r);
    /* per-feature: series d = (1, 0), C = 0.5; QoD = 1 - 1/2 = 0.5 */
    assert_int_equal(qod_compute(in.kpis, in.n, QOD_NORM_PER_FEATURE, &r), QOD_OK);
    s = qod_json_result_dump(&in, &r, false);
    assert_string_equal(s, "{\"qod\":0.5,\"kpis\":[{\"name\":\"macs\",\"change\":0.5},"
                           "{\"name\":\"l\xc3\xa4""t\",\"change\":0.5}]}");
    free(s);
    qod_result_free(&r);
    qod_input_free(&in);
}

static void test_result_round_trip(void **state)
{
    (void)state;
    /* 0.225 and 1 - 0.225 are not exact in binary: 17 digits must read back to the same double */
    const char *json = "{\"kpis\": [{\"name\": \"latency\", \"type\": \"series\", \"expected\": [10, 12],"
                       " \"calculated\": [12, 14], \"observed\": [20, 20, 20, 20]}]}";
    struct qod_input in;
    char *err = NULL;
    assert_true(parse(json, &in, &err));
    struct qod_result r;
    assert_int_equal(qod_compute(in.kpis, in.n, QOD_NORM_GLOBAL, &r), QOD_OK);
    char *s = qod_json_result_dump(&in, &r, false);
    assert_non_null(s);
    json_error_t je;
    json_t *doc = json_loads(s, 0, &je);
    assert_non_null(doc);
    assert_true(json_real_value(json_object_get(doc, "qod")) == r.qod);
    json_t *c = json_object_get(json_array_get(json_object_get(doc, "kpis"), 0), "change");
    assert_true(json_real_value(c) == r.changes[0]);
    assert_true(fabs(r.qod - 0.775) < 1e-12);
    json_decref(doc);
    free(s);
    qod_result_free(&r);
    qod_input_free(&in);
}

static void test_locate(void **state)
{
    (void)state;
    /* keys with escapes, nested arrays and strings holding brackets are skipped correctly */
    const char *t = "{ \"a\\\"]\" : [ \"}]\" , {\"x\":[1,[2,3]]} ],\n"
                    "  \"b\\u00e9\": [ 7 , { \"k\" : \"\\\"v\" }, 9 ] }";
    size_t len = strlen(t), off, line, col;
    struct qod_jseg p1[] = {{"b\xc3\xa9", 0}, {NULL, 2}};
    assert_true(qod_json_locate(t, len, p1, 2, false, &off));
    assert_int_equal(t[off], '9');
    qod_json_linecol(t, len, off, &line, &col);
    assert_int_equal(line, 2);
    assert_int_equal(col, (size_t)(strrchr(t, '9') - strchr(t, '\n'))); /* ASCII line */
    struct qod_jseg p2[] = {{"b\xc3\xa9", 0}, {NULL, 1}, {"k", 0}};
    assert_true(qod_json_locate(t, len, p2, 3, false, &off));
    assert_int_equal(strncmp(t + off, "\"\\\"v\"", 5), 0);
    assert_true(qod_json_locate(t, len, p2, 3, true, &off));
    assert_int_equal(strncmp(t + off, "\"k\"", 3), 0);
    struct qod_jseg p3[] = {{"a\"]", 0}, {NULL, 1}, {"x", 0}, {NULL, 1}, {NULL, 0}};
    assert_true(qod_json_locate(t, len, p3, 5, false, &off));
    assert_int_equal(t[off], '2');
    /* not found: missing key, index past the end, wrong container kind */
    struct qod_jseg q1[] = {{"c", 0}};
    assert_false(qod_json_locate(t, len, q1, 1, false, &off));
    struct qod_jseg q2[] = {{"b\xc3\xa9", 0}, {NULL, 3}};
    assert_false(qod_json_locate(t, len, q2, 2, false, &off));
    struct qod_jseg q3[] = {{NULL, 0}};
    assert_false(qod_json_locate(t, len, q3, 1, false, &off));
    /* depth 0: the first non-blank character */
    assert_true(qod_json_locate(" \n {}", 5, NULL, 0, false, &off));
    assert_int_equal(off, 3);
    qod_json_linecol(" \n {}", 5, off, &line, &col);
    assert_int_equal(line, 2);
    assert_int_equal(col, 2);
    /* truncated text is not read past its end */
    assert_false(qod_json_locate("{\"a\": [1, ", 10, p1, 2, false, &off));
    /* columns count characters: "é" is 2 bytes, 1 column */
    qod_json_linecol("\"\xc3\xa9\"x", 5, 4, &line, &col);
    assert_int_equal(col, 4);
}

static void test_path_str(void **state)
{
    (void)state;
    struct qod_jseg p[] = {{"kpis", 0}, {NULL, 12}, {"a b", 0}, {"q\"\\\x01", 0}, {"_ok9", 0}};
    char *s = qod_json_path_str(p, 5);
    assert_string_equal(s, "kpis[12][\"a b\"][\"q\\\"\\\\\\u0001\"]._ok9");
    free(s);
    s = qod_json_path_str(p, 0);
    assert_string_equal(s, "top level");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_inputs),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_parse_full),
        cmocka_unit_test(test_result_document),
        cmocka_unit_test(test_result_round_trip),
        cmocka_unit_test(test_locate),
        cmocka_unit_test(test_path_str),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
