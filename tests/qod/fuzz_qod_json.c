/* fuzz_qod_json.c - libFuzzer target: the KPI document parser, the error-position finder it
 * uses for bad documents, the QoD computation in both normalisations and the result document.
 * Checks the invariants: a parsed document always computes, every change and the QoD lie in
 * [0, 1], and error messages name the source. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "qod/qod.h"
#include "qod/qod_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct qod_input in;
    char *err = NULL;
    if (!qod_json_parse((const char *)data, size, "fuzz", &in, &err)) {
        if (!err || strncmp(err, "fuzz", 4) != 0)
            abort();
        free(err);
        return 0;
    }
    if (err || in.n == 0)
        abort();
    static const enum qod_norm modes[] = {QOD_NORM_GLOBAL, QOD_NORM_PER_FEATURE};
    for (size_t m = 0; m < 2; m++) {
        struct qod_result r;
        if (qod_compute(in.kpis, in.n, modes[m], &r) != QOD_OK)
            abort(); /* the parser promises computable input */
        if (!(r.qod >= 0.0 && r.qod <= 1.0))
            abort();
        for (size_t i = 0; i < r.n; i++)
            if (!(r.changes[i] >= 0.0 && r.changes[i] <= 1.0))
                abort();
        char *s = qod_json_result_dump(&in, &r, m == 1);
        if (!s)
            abort();
        free(s);
        qod_result_free(&r);
    }
    qod_input_free(&in);
    return 0;
}
