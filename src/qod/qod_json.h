/* qod_json.h - the QoD input document (KPIs as JSON) and the result document, with jansson.
 * Works on memory only (no I/O): the caller reads the file and prints the result.
 *
 * Input: {"kpis": [KPI, ...]} with at least one KPI, each either
 *   {"name": S, "type": "series", "expected": [N...] | {"mean": N, "std": N},
 *    "calculated": [N...], "observed": [N...]}
 *   {"name": S, "type": "set", "expected": [S...], "calculated": [S...], "observed": [S...]}
 * Rules: names are non-empty and unique; "observed" is required; at least one of "expected"
 * and "calculated"; series are non-empty arrays of finite numbers; std >= 0; set elements are
 * strings (duplicates collapse; a present but empty "calculated" set is used as is); unknown
 * or duplicate keys are errors.
 * Output: {"qod": X, "kpis": [{"name": S, "change": C}, ...]}, KPIs in input order.
 */
#ifndef HS_QOD_QOD_JSON_H
#define HS_QOD_QOD_JSON_H

#include "qod/qod.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* A parsed input document; owns all its storage. */
struct qod_input {
    struct qod_kpi *kpis;
    size_t n;
    char **names; /* storage of kpis[i].name */
};

/* Parse text[len]. On error returns false and sets *err to a new message (caller frees) of the
 * form "SOURCE:LINE:COL: PATH: problem" (LINE:COL left out when unknown); *in is then empty.
 * Every series is checked to have an image (qod_image) so qod_compute() cannot fail on it. */
bool qod_json_parse(const char *text, size_t len, const char *source, struct qod_input *in,
                    char **err);
/* Release a parsed document. */
void qod_input_free(struct qod_input *in);
/* The result document as a new jansson value (NULL when out of memory). */
json_t *qod_json_result(const struct qod_input *in, const struct qod_result *res);
/* The result document as a new NUL-terminated string (no trailing newline), compact or
 * indented by 2; numbers with 17 significant digits so they read back exactly. NULL when out
 * of memory. Caller frees. */
char *qod_json_result_dump(const struct qod_input *in, const struct qod_result *res, bool pretty);

#endif
