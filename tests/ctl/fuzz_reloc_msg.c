/* fuzz_reloc_msg.c - libFuzzer target: an attack report as the controller reads it for a
 * relocation (held frames, hex), the EVE relocation event built from its strings, and the same
 * JSON as a {"cmd":"flows"} request. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "config/topology.h"
#include "ctl/flowcmd.h"
#include "ctl/reloc_core.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_error_t je;
    json_t *o = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &je);
    if (!o)
        return 0;
    uint8_t *f[8];
    size_t l[8];
    size_t n = hs_reloc_parse_frames(json_object_get(o, "frames"), f, l, 8, 9216);
    if (n > 8)
        abort();
    for (size_t i = 0; i < n; i++) {
        if (l[i] < 14 || l[i] > 9216)
            abort();
        free(f[i]);
    }
    struct hs_reloc_event e;
    hs_reloc_event_init(&e);
    const char *msg = json_string_value(json_object_get(o, "msg"));
    hs_strlcpy(e.signature, msg ? msg : "", sizeof e.signature);
    const char *why = json_string_value(json_object_get(o, "reason"));
    hs_strlcpy(e.reason, why ? why : "", sizeof e.reason);
    json_t *v = json_object_get(o, "verdict_us");
    e.wall_us = json_is_integer(v) ? (uint64_t)json_integer_value(v) : 0;
    e.t[HS_RT_PAUSE] = json_is_number(v) ? json_number_value(v) : -1;
    char *line = hs_reloc_event_json(&e);
    json_t *back = json_loads(line, 0, &je);
    if (!back) /* always valid JSON */
        abort();
    json_decref(back);
    free(line);
    /* the same input as a {"cmd":"flows"} request */
    static struct hs_topology *t;
    if (!t) {
        struct hs_cfg_err cerr;
        if (hs_topology_parse(hs_default_topology_yaml, strlen(hs_default_topology_yaml), "d",
                              &t, &cerr) != 0)
            abort();
    }
    struct hs_flowcmd fc;
    char err[256];
    if (hs_flowcmd_parse(t, o, &fc, err, sizeof err) == 0) {
        if (fc.add.n > HS_FLOWCMD_MAX || fc.n_del > HS_FLOWCMD_MAX || fc.sw >= t->n_switches)
            abort();
        for (size_t i = 0; i < fc.add.n; i++)
            if ((fc.add.v[i].cookie >> 48) == 0x4853 || (fc.add.v[i].cookie >> 48) == 0x4d47)
                abort();
        hs_flowset_free(&fc.add);
    } else if (!memchr(err, '\0', sizeof err)) {
        abort();
    }
    json_decref(o);
    return 0;
}
