/* lab_ready.c - controller status answer -> switches ready (pure, jansson). */
#include "lab/lab_ready.h"
#include "common/util.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static bool entry_is(const json_t *e, const struct hs_switch *sw)
{
    const char *name = json_string_value(json_object_get(e, "name"));
    if (name)
        return strcmp(name, sw->name) == 0;
    const char *dpid = json_string_value(json_object_get(e, "dpid"));
    uint64_t v;
    return dpid && hs_parse_u64(dpid, UINT64_MAX, &v) && v == sw->dpid;
}

int hs_lab_ctl_ready(const struct hs_topology *t, const char *json, size_t *n_ready, char *err,
                     size_t err_size)
{
    *n_ready = 0;
    json_error_t jerr;
    json_t *root = json_loads(json, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        snprintf(err, err_size, "controller answer is not JSON: %s (line %d)", jerr.text,
                 jerr.line);
        return -1;
    }
    int rc = -1;
    json_t *ok = json_object_get(root, "ok");
    json_t *sws = json_object_get(root, "switches");
    if (!json_is_object(root) || !json_is_boolean(ok)) {
        snprintf(err, err_size, "controller answer has no boolean \"ok\"");
    } else if (!json_is_true(ok)) {
        const char *e = json_string_value(json_object_get(root, "error"));
        snprintf(err, err_size, "controller refused status: %s", e ? e : "(no error text)");
    } else if (!json_is_array(sws)) {
        snprintf(err, err_size, "controller answer has no \"switches\" array");
    } else {
        for (size_t i = 0; i < t->n_switches; i++) {
            size_t k;
            json_t *e;
            json_array_foreach(sws, k, e) {
                if (json_is_object(e) && entry_is(e, &t->switches[i])) {
                    if (json_is_true(json_object_get(e, "connected")) &&
                        json_is_true(json_object_get(e, "ready")))
                        (*n_ready)++;
                    break;
                }
            }
        }
        rc = *n_ready == t->n_switches ? 1 : 0;
    }
    json_decref(root);
    return rc;
}
