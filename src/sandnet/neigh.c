/* neigh.c - parse `ip -j neigh` output (pure). */
#include "sandnet/neigh.h"

#include <string.h>

#include <jansson.h>

#include "common/util.h"

static bool usable_state(const json_t *states)
{
    static const char *const ok[] = {"REACHABLE", "STALE", "DELAY", "PROBE", "PERMANENT"};
    if (!json_is_array(states))
        return false;
    size_t i;
    json_t *s;
    json_array_foreach(states, i, s) {
        if (!json_is_string(s))
            return false;
        for (size_t k = 0; k < HS_ARRAY_SIZE(ok); k++)
            if (!strcmp(json_string_value(s), ok[k]))
                return true;
    }
    return false;
}

bool sn_neigh_parse(const char *json, struct sn_neigh *out, size_t max, size_t *n)
{
    *n = 0;
    json_error_t err;
    json_t *root = json_loads(json, 0, &err);
    if (!json_is_array(root)) {
        json_decref(root);
        return false;
    }
    bool ok = true;
    size_t i;
    json_t *e;
    json_array_foreach(root, i, e) {
        const char *dst = json_string_value(json_object_get(e, "dst"));
        const char *ll = json_string_value(json_object_get(e, "lladdr"));
        struct sn_neigh nb;
        if (!dst || !ll || !usable_state(json_object_get(e, "state")))
            continue;
        if (!hs_parse_ipv4(dst, &nb.ip) || !hs_parse_mac(ll, nb.mac))
            continue;   /* IPv6 entries and odd link layers are not ours */
        if (*n == max) {
            ok = false;
            break;
        }
        out[(*n)++] = nb;
    }
    json_decref(root);
    return ok;
}
