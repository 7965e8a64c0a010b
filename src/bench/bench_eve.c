/* bench_eve.c - parsing EVE relocation events and attacker result lines (pure, jansson). */
#include "bench/bench_eve.h"
#include "common/util.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const timing_names[HS_BT_COUNT] = {
    [HS_BT_DETECT] = "detect",     [HS_BT_HOLD] = "hold",         [HS_BT_LOCATE] = "locate",
    [HS_BT_DUMP] = "dump",         [HS_BT_TRANSFER] = "transfer", [HS_BT_RESTORE] = "restore",
    [HS_BT_FLOWS] = "flows",       [HS_BT_REINJECT] = "reinject", [HS_BT_FIRST_BYTE] = "first_byte",
    [HS_BT_PAUSE] = "pause",       [HS_BT_TOTAL] = "total",
};

const char *hs_bench_timing_name(enum hs_bench_timing t)
{
    return (unsigned)t < HS_BT_COUNT ? timing_names[t] : NULL;
}

static json_t *load(const char *line, size_t len, char *err, size_t es)
{
    json_error_t je;
    json_t *o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &je);
    if (!o) {
        snprintf(err, es, "not JSON: %s (column %d)", je.text, je.column);
        return NULL;
    }
    if (!json_is_object(o)) {
        snprintf(err, es, "not a JSON object");
        json_decref(o);
        return NULL;
    }
    return o;
}

/* Optional string field into dst[size]: absent or null -> "", too long -> error unless cut. */
static int get_str(json_t *o, const char *k, char *dst, size_t size, bool cut, char *err,
                   size_t es)
{
    dst[0] = '\0';
    json_t *v = json_object_get(o, k);
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_string(v)) {
        snprintf(err, es, "%s is not a string", k);
        return -1;
    }
    const char *s = json_string_value(v);
    if (strlen(s) != json_string_length(v)) {
        snprintf(err, es, "%s contains a NUL character", k);
        return -1;
    }
    if (hs_strlcpy(dst, s, size))
        return 0;
    if (!cut) {
        snprintf(err, es, "%s longer than %zu characters", k, size - 1);
        return -1;
    }
    memcpy(dst + size - 4, "...", 4);
    return 0;
}

/* Optional port field: absent -> 0; else an integer 0..65535. */
static int get_port(json_t *o, const char *k, uint16_t *out, char *err, size_t es)
{
    *out = 0;
    json_t *v = json_object_get(o, k);
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 65535) {
        snprintf(err, es, "%s is not a port number", k);
        return -1;
    }
    *out = (uint16_t)json_integer_value(v);
    return 0;
}

/* Optional non-negative finite number: absent/null -> *has = false. */
static int get_num(json_t *o, const char *k, double *out, bool *has, char *err, size_t es)
{
    *out = 0;
    *has = false;
    json_t *v = json_object_get(o, k);
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_number(v) || !isfinite(json_number_value(v)) || json_number_value(v) < 0) {
        snprintf(err, es, "%s is not a non-negative number", k);
        return -1;
    }
    *out = json_number_value(v);
    *has = true;
    return 0;
}

static int get_bool(json_t *o, const char *k, bool *out, char *err, size_t es)
{
    *out = false;
    json_t *v = json_object_get(o, k);
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_boolean(v)) {
        snprintf(err, es, "%s is not a boolean", k);
        return -1;
    }
    *out = json_is_true(v);
    return 0;
}

int hs_bench_eve_parse(const char *line, size_t len, struct hs_bench_reloc_event *ev, char *err,
                       size_t err_size)
{
    json_t *o = load(line, len, err, err_size);
    if (!o)
        return -1;
    int rc = -1;
    json_t *et = json_object_get(o, "event_type");
    if (!json_is_string(et)) {
        snprintf(err, err_size, "no event_type");
        goto out;
    }
    if (strcmp(json_string_value(et), "relocation") != 0) {
        rc = 0;
        goto out;
    }
    struct hs_bench_reloc_event e;
    memset(&e, 0, sizeof e);
    json_t *r = json_object_get(o, "relocation");
    if (!json_is_object(r)) {
        snprintf(err, err_size, "relocation is not an object");
        goto out;
    }
    if (get_str(o, "src_ip", e.src_ip, sizeof e.src_ip, false, err, err_size) ||
        get_str(o, "dest_ip", e.dest_ip, sizeof e.dest_ip, false, err, err_size) ||
        get_port(o, "src_port", &e.src_port, err, err_size) ||
        get_port(o, "dest_port", &e.dest_port, err, err_size) ||
        get_str(r, "id", e.id, sizeof e.id, false, err, err_size) ||
        get_str(r, "trigger", e.trigger, sizeof e.trigger, false, err, err_size) ||
        get_str(r, "outcome", e.outcome, sizeof e.outcome, false, err, err_size) ||
        get_str(r, "stage", e.stage, sizeof e.stage, false, err, err_size) ||
        get_str(r, "attacker_action", e.attacker_action, sizeof e.attacker_action, false, err,
                err_size) ||
        get_str(r, "service", e.service, sizeof e.service, false, err, err_size) ||
        get_str(r, "kind", e.kind, sizeof e.kind, false, err, err_size) ||
        get_str(r, "from", e.from, sizeof e.from, false, err, err_size) ||
        get_str(r, "to", e.to, sizeof e.to, false, err, err_size))
        goto out;
    if (get_str(r, "reason", e.reason, sizeof e.reason, true, err, err_size))
        goto out;
    if (!e.reason[0] && get_str(r, "warning", e.reason, sizeof e.reason, true, err, err_size))
        goto out;
    if (!e.src_ip[0] || !e.outcome[0]) {
        snprintf(err, err_size, "relocation event without %s", e.src_ip[0] ? "outcome" : "src_ip");
        goto out;
    }
    json_t *tm = json_object_get(r, "timings_ms");
    if (tm && !json_is_null(tm)) {
        if (!json_is_object(tm)) {
            snprintf(err, err_size, "timings_ms is not an object");
            goto out;
        }
        for (int i = 0; i < HS_BT_COUNT; i++)
            if (get_num(tm, timing_names[i], &e.timing[i], &e.has_timing[i], err, err_size))
                goto out;
    }
    *ev = e;
    rc = 1;
out:
    json_decref(o);
    return rc;
}

int hs_bench_att_parse(const char *line, size_t len, struct hs_bench_att *a, char *err,
                       size_t err_size)
{
    json_t *o = load(line, len, err, err_size);
    if (!o)
        return -1;
    int rc = -1;
    struct hs_bench_att x;
    memset(&x, 0, sizeof x);
    char ev[16];
    bool has;
    double st = 0;
    if (get_str(o, "event", ev, sizeof ev, false, err, err_size) ||
        get_port(o, "port", &x.port, err, err_size))
        goto out;
    if (!strcmp(ev, "ready")) {
        x.kind = HS_BENCH_ATT_READY;
        if (get_bool(o, "benign_prod", &x.benign_prod, err, err_size))
            goto out;
    } else if (!strcmp(ev, "result")) {
        x.kind = HS_BENCH_ATT_RESULT;
        if (get_num(o, "sent", &x.sent, &has, err, err_size) ||
            get_num(o, "first_byte", &x.first_byte, &has, err, err_size) ||
            get_num(o, "done", &x.done, &has, err, err_size) ||
            get_num(o, "status", &st, &has, err, err_size) ||
            get_bool(o, "decoy", &x.decoy, err, err_size) ||
            get_bool(o, "prod", &x.prod, err, err_size) ||
            get_bool(o, "after_decoy", &x.after_decoy, err, err_size) ||
            get_str(o, "error", x.error, sizeof x.error, true, err, err_size))
            goto out;
        if (st > 999) {
            snprintf(err, err_size, "status %g is not an HTTP status", st);
            goto out;
        }
        x.status = (int)st;
    } else {
        snprintf(err, err_size, "unknown attacker event '%s'", ev);
        goto out;
    }
    if (!x.port) {
        snprintf(err, err_size, "attacker line without port");
        goto out;
    }
    *a = x;
    rc = 0;
out:
    json_decref(o);
    return rc;
}
