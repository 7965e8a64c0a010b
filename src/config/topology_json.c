/* topology_json.c - JSON description of a topology (for `lab status --json` and the
 * controller's status). */
#include "config/topology.h"

#include "common/util.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

/* Set key to v (reference stolen); a NULL v (allocation or UTF-8 failure) clears *ok. */
static void put(json_t *obj, const char *key, json_t *v, bool *ok)
{
    if (!v || json_object_set_new(obj, key, v) != 0)
        *ok = false;
}

static void append(json_t *arr, json_t *v, bool *ok)
{
    if (!v || json_array_append_new(arr, v) != 0)
        *ok = false;
}

static json_t *controller_json(const struct hs_controller_cfg *cc, bool *ok)
{
    char listen[96];
    json_t *o = json_object();
    if (!o)
        return NULL;
    if (!hs_snprintf(listen, sizeof listen, "%s:%u", cc->listen_addr, cc->listen_port))
        *ok = false;
    put(o, "listen", json_string(listen), ok);
    put(o, "listen_addr", json_string(cc->listen_addr), ok);
    put(o, "listen_port", json_integer(cc->listen_port), ok);
    put(o, "control_socket", json_string(cc->control_socket), ok);
    put(o, "eve_log", json_string(cc->eve_log), ok);
    put(o, "echo_interval", json_integer(cc->echo_interval_s), ok);
    return o;
}

static json_t *switch_json(const struct hs_switch *s, bool *ok)
{
    char dpid[24];
    json_t *o = json_object();
    if (!o)
        return NULL;
    snprintf(dpid, sizeof dpid, "0x%016llx", (unsigned long long)s->dpid);
    put(o, "name", json_string(s->name), ok);
    put(o, "dpid", json_string(dpid), ok); /* a string: 64 bits do not fit a JSON integer */
    return o;
}

static json_t *service_json(const struct hs_service *s, bool *ok)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    put(o, "name", json_string(s->name), ok);
    put(o, "kind", json_string(hs_service_kind_name(s->kind)), ok);
    put(o, "port", json_integer(s->port), ok);
    put(o, "workers", json_integer(s->workers), ok);
    put(o, "content", json_string(s->content), ok);
    return o;
}

static json_t *host_json(const struct hs_host *h, bool *ok)
{
    char mac[18], ip[16], cidr[20];
    json_t *o = json_object(), *svcs = json_array();
    if (!o || !svcs) {
        json_decref(o);
        json_decref(svcs);
        return NULL;
    }
    hs_format_mac(h->mac, mac);
    hs_format_ipv4(h->ip, ip);
    snprintf(cidr, sizeof cidr, "%s/%u", ip, h->prefix_len);
    put(o, "name", json_string(h->name), ok);
    put(o, "role", json_string(hs_role_name(h->role)), ok);
    put(o, "switch", json_string(h->switch_name), ok);
    put(o, "port", json_integer(h->port), ok);
    put(o, "mac", json_string(mac), ok);
    put(o, "ip", json_string(ip), ok);
    put(o, "prefix_len", json_integer(h->prefix_len), ok);
    put(o, "cidr", json_string(cidr), ok);
    put(o, "twin", h->role == HS_ROLE_HONEYPOT ? json_string(h->twin) : json_null(), ok);
    for (size_t i = 0; i < h->n_services; i++)
        append(svcs, service_json(&h->services[i], ok), ok);
    put(o, "services", svcs, ok);
    return o;
}

static json_t *ips_json(const struct hs_ips_cfg *ips, bool *ok)
{
    if (!ips->present)
        return json_null();
    json_t *o = json_object(), *rules = json_array();
    if (!o || !rules) {
        json_decref(o);
        json_decref(rules);
        return NULL;
    }
    put(o, "enabled", json_boolean(ips->enabled), ok);
    put(o, "mode", json_string(hs_ips_mode_name(ips->mode)), ok);
    put(o, "switch", json_string(ips->switch_name), ok);
    put(o, "port", json_integer(ips->port), ok);
    for (size_t i = 0; i < ips->n_rule_files; i++)
        append(rules, json_string(ips->rule_files[i]), ok);
    put(o, "rules", rules, ok);
    put(o, "block_idle_timeout", json_integer(ips->block_idle_timeout), ok);
    put(o, "block_hard_timeout", json_integer(ips->block_hard_timeout), ok);
    put(o, "hold_limit", json_integer(ips->hold_limit), ok);
    return o;
}

json_t *hs_topology_to_jansson(const struct hs_topology *t)
{
    bool ok = true;
    if (!t)
        return NULL;
    json_t *o = json_object(), *sws = json_array(), *hosts = json_array();
    if (!o || !sws || !hosts) {
        json_decref(o);
        json_decref(sws);
        json_decref(hosts);
        return NULL;
    }
    put(o, "path", json_string(t->path), &ok);
    put(o, "lab", json_string(t->lab), &ok);
    put(o, "state_dir", json_string(t->state_dir), &ok);
    put(o, "controller", controller_json(&t->controller, &ok), &ok);
    put(o, "ips", ips_json(&t->ips, &ok), &ok);
    for (size_t i = 0; i < t->n_switches; i++)
        append(sws, switch_json(&t->switches[i], &ok), &ok);
    put(o, "switches", sws, &ok);
    for (size_t i = 0; i < t->n_hosts; i++)
        append(hosts, host_json(&t->hosts[i], &ok), &ok);
    put(o, "hosts", hosts, &ok);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

int hs_topology_to_json(const struct hs_topology *t, char **out)
{
    *out = NULL;
    json_t *o = hs_topology_to_jansson(t);
    if (!o)
        return -1;
    *out = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    return *out ? 0 : -1;
}
