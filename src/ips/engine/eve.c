/* eve.c - Suricata-style EVE JSON for alerts (docs/eve.md). */
#include "ips/engine/engine.h"
#include "ips/rules/classtype.h"

#include "common/util.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* "2026-11-23T09:30:00.123456+0000" (UTC) into buf[40]; false when out of range. */
static bool eve_time(uint64_t us, char buf[40])
{
    time_t sec = (time_t)(us / 1000000u);
    struct tm tm;
    if (!gmtime_r(&sec, &tm))
        return false;
    char day[32];
    if (strftime(day, sizeof day, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
        return false;
    return hs_snprintf(buf, 40, "%s.%06u+0000", day, (unsigned)(us % 1000000u));
}

static const char *proto_name(uint8_t p, char buf[8])
{
    if (p == 6)
        return "TCP";
    if (p == 17)
        return "UDP";
    if (p == 1)
        return "ICMP";
    snprintf(buf, 8, "%u", (unsigned)p);
    return buf;
}

/* json_object_set_new that reports failure (a NULL value: e.g. invalid UTF-8). */
static bool put(json_t *o, const char *k, json_t *v)
{
    return v && json_object_set_new(o, k, v) == 0;
}

static bool put_ip(json_t *o, const char *k, uint32_t ip)
{
    char b[16];
    hs_format_ipv4(ip, b);
    return put(o, k, json_string(b));
}

char *ips_eve_alert_json(const struct ips_alert *a, const char *input_path)
{
    char ts[40], pb[8];
    if (!eve_time(a->ts_us, ts))
        return NULL;
    json_t *o = json_object();
    json_t *al = json_object();
    if (!o || !al) {
        json_decref(o);
        json_decref(al);
        return NULL;
    }
    bool ok = put(o, "timestamp", json_string(ts)) &&
              put(o, "flow_id", json_integer((json_int_t)(a->flow_id & 0x7fffffffffffffffULL))) &&
              put(o, "event_type", json_string("alert")) &&
              put_ip(o, "src_ip", a->src_ip) &&
              put(o, "src_port", json_integer(a->src_port)) &&
              put_ip(o, "dest_ip", a->dst_ip) &&
              put(o, "dest_port", json_integer(a->dst_port)) &&
              put(o, "proto", json_string(proto_name(a->proto, pb))) &&
              put(o, "app_proto", json_string(a->app_proto ? a->app_proto : "unknown")) &&
              put(o, "direction", json_string(a->to_server ? "to_server" : "to_client"));
    const char *ct = a->classtype ? a->classtype : "";
    const struct ips_classtype *c = ct[0] ? ips_classtype_find(ct) : NULL;
    ok = ok && put(al, "action", json_string(a->action ? a->action : "allowed")) &&
         put(al, "gid", json_integer(a->gid)) &&
         put(al, "signature_id", json_integer(a->sid)) &&
         put(al, "rev", json_integer(a->rev)) &&
         put(al, "signature", json_string(a->msg ? a->msg : "")) &&
         put(al, "category", json_string(c ? c->desc : ct)) &&
         put(al, "severity", json_integer(a->severity));
    if (!ok || json_object_set(o, "alert", al) != 0) {
        json_decref(al);
        json_decref(o);
        return NULL;
    }
    json_decref(al);
    bool have_http = (a->http_method && a->http_method[0]) || (a->http_uri && a->http_uri[0]) ||
                     a->http_status > 0;
    if (have_http) {
        json_t *h = json_object();
        ok = h != NULL;
        if (ok && a->http_host && a->http_host[0])
            ok = put(h, "hostname", json_string(a->http_host));
        if (ok && a->http_uri && a->http_uri[0])
            ok = put(h, "url", json_string(a->http_uri));
        if (ok && a->http_user_agent && a->http_user_agent[0])
            ok = put(h, "http_user_agent", json_string(a->http_user_agent));
        if (ok && a->http_method && a->http_method[0])
            ok = put(h, "http_method", json_string(a->http_method));
        if (ok && a->http_status > 0)
            ok = put(h, "status", json_integer(a->http_status));
        if (!ok) {
            json_decref(h);
            json_decref(o);
            return NULL;
        }
        if (json_object_set_new(o, "http", h) != 0) {
            json_decref(o);
            return NULL;
        }
    }
    if (input_path && !put(o, "input", json_string(input_path))) {
        json_decref(o);
        return NULL;
    }
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (!s)
        return NULL;
    char *r = xstrdup(s); /* callers free() it; jansson may use its own allocator */
    free(s);
    return r;
}
