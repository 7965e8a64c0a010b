/* watch.c - which container an IDS alert names (see watch.h). */
#include "sandnet/watch.h"

#include "common/util.h"

#include <jansson.h>
#include <string.h>

const char *sn_watch_verdict_name(enum sn_watch_verdict v)
{
    switch (v) {
    case SN_WATCH_SUSPECT: return "suspect";
    case SN_WATCH_NOT_JSON: return "not-json";
    case SN_WATCH_NOT_ALERT: return "not-alert";
    case SN_WATCH_NO_SOURCE: return "no-source";
    case SN_WATCH_NOT_CONTAINER: return "not-container";
    case SN_WATCH_LOW_SEVERITY: return "low-severity";
    case SN_WATCH_TOO_LONG: return "too-long";
    }
    return "?";
}

static uint32_t ip_of(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    uint32_t ip = 0;
    return s && hs_parse_ipv4(s, &ip) ? ip : 0;
}

static void copy_signature(char *dst, size_t size, const char *s)
{
    if (!s)
        return;
    if (hs_strlcpy(dst, s, size))
        return;
    /* longer than the field: keep the start and say it was cut */
    memcpy(dst + size - 4, "...", 4);
}

enum sn_watch_verdict sn_watch_judge(const struct sn_confine_in *in, const char *line,
                                     size_t len, int max_severity, struct sn_watch_hit *hit)
{
    memset(hit, 0, sizeof *hit);
    hit->node = -1;
    if (len > SN_WATCH_LINE_MAX)
        return SN_WATCH_TOO_LONG;
    json_error_t je;
    json_t *o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &je);
    if (!json_is_object(o)) {
        json_decref(o);
        return SN_WATCH_NOT_JSON;
    }
    enum sn_watch_verdict v;
    const char *type = json_string_value(json_object_get(o, "event_type"));
    const json_t *alert = json_object_get(o, "alert");
    if (!type || strcmp(type, "alert") != 0 || !json_is_object(alert)) {
        v = SN_WATCH_NOT_ALERT;
        goto out;
    }
    hit->src_ip = ip_of(o, "src_ip");
    hit->dest_ip = ip_of(o, "dest_ip");
    json_int_t sid = json_integer_value(json_object_get(alert, "signature_id"));
    hit->sid = sid > 0 && sid <= UINT32_MAX ? (uint32_t)sid : 0;
    json_int_t sev = json_integer_value(json_object_get(alert, "severity"));
    hit->severity = sev > 0 && sev <= 255 ? (int)sev : 0;
    copy_signature(hit->signature, sizeof hit->signature,
                   json_string_value(json_object_get(alert, "signature")));
    if (!hit->src_ip) {
        v = SN_WATCH_NO_SOURCE;
        goto out;
    }
    if (max_severity > 0 && hit->severity > max_severity) {
        v = SN_WATCH_LOW_SEVERITY;
        goto out;
    }
    v = SN_WATCH_NOT_CONTAINER;
    for (size_t i = 0; i < in->n_nodes; i++)
        if (in->nodes[i].ip == hit->src_ip) {
            hit->node = (int)i;
            v = SN_WATCH_SUSPECT;
            break;
        }
out:
    json_decref(o);
    return v;
}
