/* reloc_core.c - relocation targets, lock table, rules and the EVE event (pure). */
#include "ctl/reloc_core.h"
#include "common/util.h"
#include "ctl/policy.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *const hs_reloc_timing_names[HS_RT_COUNT] = {
    "detect", "hold", "locate", "dump", "transfer", "restore", "flows", "reinject", "first_byte",
    "pause", "total"};

static const struct hs_host *client_host(const struct hs_topology *t, uint32_t ip)
{
    for (size_t i = 0; i < t->n_hosts; i++)
        if (t->hosts[i].ip == ip && t->hosts[i].role == HS_ROLE_CLIENT)
            return &t->hosts[i];
    return NULL;
}

static const struct hs_host *twin_of(const struct hs_topology *t, const struct hs_host *prod)
{
    for (size_t i = 0; i < t->n_hosts; i++)
        if (t->hosts[i].role == HS_ROLE_HONEYPOT && !strcmp(t->hosts[i].twin, prod->name))
            return &t->hosts[i];
    return NULL;
}

/* Checks shared by both look-ups; fills out. */
static int complete(const struct hs_topology *t, uint32_t attacker, const struct hs_host *prod,
                    const struct hs_host *hp, uint16_t server_port, struct hs_reloc_target *out,
                    char *why, size_t ws)
{
    const struct hs_host *cl = client_host(t, attacker);
    if (!cl) {
        snprintf(why, ws, "the attacker is not a client host of the lab (no switch port known)");
        return -1;
    }
    if (!hp || hp->role != HS_ROLE_HONEYPOT || strcmp(hp->twin, prod->name) != 0) {
        snprintf(why, ws, "production host %s has no honeypot twin", prod->name);
        return -1;
    }
    if (cl->switch_index != prod->switch_index || hp->switch_index != prod->switch_index) {
        snprintf(why, ws, "attacker, %s and %s are not on one switch", prod->name, hp->name);
        return -1;
    }
    if (!prod->n_services) {
        snprintf(why, ws, "production host %s runs no service", prod->name);
        return -1;
    }
    const struct hs_service *svc = &prod->services[0];
    for (size_t i = 0; i < prod->n_services; i++)
        if (server_port && prod->services[i].port == server_port)
            svc = &prod->services[i];
    if (server_port && svc->port != server_port) {
        snprintf(why, ws, "port %u is not a service of %s", (unsigned)server_port, prod->name);
        return -1;
    }
    *out = (struct hs_reloc_target){.sw = prod->switch_index, .client = cl, .prod = prod,
                                    .hp = hp, .svc = svc};
    return 0;
}

int hs_reloc_find_target(const struct hs_topology *t, uint32_t attacker, uint32_t server,
                         uint16_t server_port, struct hs_reloc_target *out, char *why,
                         size_t why_size)
{
    const struct hs_host *prod = NULL;
    for (size_t i = 0; i < t->n_hosts && !prod; i++)
        if (t->hosts[i].role == HS_ROLE_PRODUCTION && t->hosts[i].ip == server)
            prod = &t->hosts[i];
    if (!prod) {
        char s[16];
        hs_format_ipv4(server, s);
        snprintf(why, why_size, "%s is not a production host", s);
        return -1;
    }
    return complete(t, attacker, prod, twin_of(t, prod), server_port, out, why, why_size);
}

int hs_reloc_named_target(const struct hs_topology *t, uint32_t attacker, const char *from,
                          const char *to, uint16_t server_port, struct hs_reloc_target *out,
                          char *why, size_t why_size)
{
    const struct hs_host *prod = hs_topology_host(t, from ? from : "web");
    if (!prod || prod->role != HS_ROLE_PRODUCTION) {
        snprintf(why, why_size, "%s is not a production host", from ? from : "web");
        return -1;
    }
    const struct hs_host *hp = to ? hs_topology_host(t, to) : twin_of(t, prod);
    if (to && !hp) {
        snprintf(why, why_size, "no host %s", to);
        return -1;
    }
    return complete(t, attacker, prod, hp, server_port, out, why, why_size);
}

uint64_t hs_reloc_cookie(unsigned kind, uint32_t client_ip, uint64_t *mask)
{
    if (mask)
        *mask = kind ? ~0ull : 0xffff0000ffffffffull;
    return HS_RELOC_COOKIE_TAG | (uint64_t)(kind & 0xffff) << 32 | client_ip;
}

static void ip_rule(struct hs_flowset *out, unsigned kind, uint32_t client, uint16_t prio,
                    uint32_t in_port, uint32_t src, uint32_t dst, uint32_t out_port,
                    bool notify)
{
    struct hs_flow f;
    memset(&f, 0, sizeof f);
    f.table = HS_TABLE_PORTSEC;
    f.priority = prio;
    f.cookie = hs_reloc_cookie(kind, client, NULL);
    f.actions.goto_table = 0xff;
    f.match.in_port = in_port;
    OFP_MATCH_SET(&f.match, OFPXMT_IN_PORT);
    f.match.eth_type = HS_ETH_IPV4;
    OFP_MATCH_SET(&f.match, OFPXMT_ETH_TYPE);
    f.match.ipv4_src = src;
    OFP_MATCH_SET(&f.match, OFPXMT_IPV4_SRC);
    f.match.ipv4_dst = dst;
    OFP_MATCH_SET(&f.match, OFPXMT_IPV4_DST);
    if (out_port)
        ofp_actions_output(&f.actions, out_port);
    if (notify) {
        ofp_actions_output(&f.actions, OFPP_CONTROLLER);
        f.actions.a[f.actions.n - 1].max_len = 64;
    }
    hs_flowset_add(out, &f);
}

void hs_reloc_flow_hp2c(const struct hs_reloc_target *tg, bool notify, struct hs_flowset *out)
{
    uint32_t c = tg->client->ip, s = tg->prod->ip;
    ip_rule(out, HS_RELOC_FK_HP2C, c, HS_RELOC_PRIO_BLOCK, tg->hp->port, s, c, tg->client->port,
            notify);
}

void hs_reloc_flows_block(const struct hs_reloc_target *tg, bool notify, struct hs_flowset *out)
{
    uint32_t c = tg->client->ip, s = tg->prod->ip;
    ip_rule(out, HS_RELOC_FK_DROP, c, HS_RELOC_PRIO_BLOCK, tg->client->port, c, s, 0, false);
    ip_rule(out, HS_RELOC_FK_DROP, c, HS_RELOC_PRIO_BLOCK, tg->prod->port, s, c, 0, false);
    hs_reloc_flow_hp2c(tg, notify, out);
}

void hs_reloc_flow_guard(const struct hs_reloc_target *tg, uint32_t other, struct hs_flowset *out)
{
    ip_rule(out, HS_RELOC_FK_GUARD, tg->client->ip, HS_RELOC_PRIO_GUARD, tg->hp->port,
            tg->prod->ip, other, 0, false);
}

void hs_reloc_flows_open(const struct hs_reloc_target *tg, struct hs_flowset *out)
{
    uint32_t c = tg->client->ip, s = tg->prod->ip;
    ip_rule(out, HS_RELOC_FK_C2HP, c, HS_RELOC_PRIO_OPEN, tg->client->port, c, s, tg->hp->port,
            false);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

size_t hs_reloc_parse_frames(const json_t *arr, uint8_t **frames, size_t *lens, size_t max,
                             size_t max_len)
{
    size_t n = 0;
    if (!json_is_array(arr))
        return 0;
    for (size_t i = 0; i < json_array_size(arr) && n < max; i++) {
        const json_t *v = json_array_get(arr, i);
        const char *hex = json_string_value(v);
        size_t hl = hex ? json_string_length(v) : 0;
        if (hl % 2 || hl / 2 < 14 || hl / 2 > max_len)
            continue; /* not even an Ethernet header, or too long */
        uint8_t *b = xmalloc(hl / 2);
        bool ok = true;
        for (size_t k = 0; k < hl / 2 && ok; k++) {
            int hi = hexval(hex[2 * k]), lo = hexval(hex[2 * k + 1]);
            ok = hi >= 0 && lo >= 0;
            if (ok)
                b[k] = (uint8_t)((unsigned)hi << 4 | (unsigned)lo);
        }
        if (!ok) {
            free(b);
            continue;
        }
        frames[n] = b;
        lens[n++] = hl / 2;
    }
    return n;
}

struct hs_reloc_lock *hs_reloc_lock_find(struct hs_reloc_locks *l, uint32_t ip)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].ip == ip)
            return &l->v[i];
    return NULL;
}

size_t hs_reloc_lock_running(const struct hs_reloc_locks *l)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        n += l->v[i].state == HS_RELOC_RUNNING;
    return n;
}

enum hs_reloc_decision hs_reloc_lock_take(struct hs_reloc_locks *l, uint32_t ip,
                                          unsigned max_running, uint64_t now_ms,
                                          struct hs_reloc_lock **out)
{
    struct hs_reloc_lock *e = hs_reloc_lock_find(l, ip);
    *out = e;
    if (e) {
        e->reports++;
        return HS_RELOC_COUNTED;
    }
    if (hs_reloc_lock_running(l) >= max_running)
        return HS_RELOC_LIMIT;
    if (l->n == HS_RELOC_MAX)
        return HS_RELOC_FULL;
    e = &l->v[l->n++];
    *e = (struct hs_reloc_lock){.ip = ip, .state = HS_RELOC_RUNNING, .reports = 1,
                                .since_ms = now_ms};
    *out = e;
    return HS_RELOC_START;
}

bool hs_reloc_lock_reset(struct hs_reloc_locks *l, uint32_t ip)
{
    struct hs_reloc_lock *e = hs_reloc_lock_find(l, ip);
    if (!e)
        return false;
    *e = l->v[--l->n];
    return true;
}

void hs_reloc_event_init(struct hs_reloc_event *e)
{
    memset(e, 0, sizeof *e);
    for (int i = 0; i < HS_RT_COUNT; i++)
        e->t[i] = -1;
}

/* Printable ASCII only (rule texts and error messages may carry anything). */
static json_t *clean_str(const char *s)
{
    char buf[512];
    size_t n = 0;
    for (const char *p = s ? s : ""; *p && n + 1 < sizeof buf; p++)
        buf[n++] = (*p >= 0x20 && *p < 0x7f) ? *p : '?';
    buf[n] = '\0';
    return json_string(buf);
}

static void put(json_t *o, const char *k, json_t *v)
{
    if (!v || json_object_set_new(o, k, v) != 0)
        abort();
}

char *hs_reloc_event_json(const struct hs_reloc_event *e)
{
    char ts[64], src[16], dst[16];
    time_t secs = (time_t)(e->wall_us / 1000000u);
    struct tm tm;
    gmtime_r(&secs, &tm);
    size_t n = strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(ts + n, sizeof ts - n, ".%06u+0000", (unsigned)(e->wall_us % 1000000u));
    hs_format_ipv4(e->src_ip, src);
    hs_format_ipv4(e->dest_ip, dst);
    json_t *o = json_object(), *r = json_object(), *tm_ms = json_object();
    if (!o || !r || !tm_ms)
        abort();
    put(o, "timestamp", json_string(ts));
    put(o, "event_type", json_string("relocation"));
    put(o, "src_ip", json_string(src));
    put(o, "src_port", json_integer(e->src_port));
    put(o, "dest_ip", json_string(dst));
    put(o, "dest_port", json_integer(e->dest_port));
    put(o, "proto", json_string("TCP"));
    put(r, "id", clean_str(e->id));
    put(r, "trigger", json_string(e->operator_trigger ? "operator" : "ips"));
    put(r, "outcome", json_string(e->ok ? "relocated" : "failed"));
    if (!e->ok) {
        put(r, "stage", clean_str(e->stage[0] ? e->stage : "connect"));
        put(r, "reason", clean_str(e->reason));
    } else if (e->reason[0]) {
        put(r, "warning", clean_str(e->reason));
    }
    put(r, "attacker_action", json_string(e->ok ? "relocated" : "blocked"));
    put(r, "service", clean_str(e->service));
    put(r, "kind", clean_str(e->kind));
    put(r, "from", clean_str(e->from));
    put(r, "to", clean_str(e->to));
    if (!e->operator_trigger) {
        put(r, "signature_id", json_integer(e->sid));
        put(r, "signature", clean_str(e->signature));
    }
    put(r, "pid", json_integer(e->pid));
    put(r, "host_pid", json_integer(e->host_pid));
    put(r, "restored_pid", json_integer(e->restored_pid));
    put(r, "image_bytes", json_integer((json_int_t)e->image_bytes));
    put(r, "closed_others", json_integer(e->closed_others));
    for (int i = 0; i < HS_RT_COUNT; i++)
        if (e->t[i] >= 0 && isfinite(e->t[i])) {
            /* rounded to the microsecond; beyond 2^53 us (285 years) a double holds no fraction
             * and the (long long) conversion could overflow, so the value goes out as it is */
            double ms = e->t[i] < 9.0e15 ? (double)(long long)(e->t[i] * 1000.0 + 0.5) / 1000.0 : e->t[i];
            put(tm_ms, hs_reloc_timing_names[i], json_real(ms));
        }
    put(r, "timings_ms", tm_ms);
    put(o, "relocation", r);
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(9));
    json_decref(o);
    if (!s)
        abort();
    return s;
}
