/* flowcmd.c - parsing {"cmd":"flows"} (pure; see flowcmd.h). */
#include "ctl/flowcmd.h"
#include "common/util.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int failf(char *err, size_t es, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int failf(char *err, size_t es, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, es, fmt, ap);
    va_end(ap);
    return -1;
}

/* An integer member in [0, max] (absent: *out unchanged, 0). */
static int get_uint(const json_t *o, const char *k, uint64_t max, uint64_t *out, char *err,
                    size_t es)
{
    const json_t *v = json_object_get(o, k);
    if (!v)
        return 0;
    if (!json_is_integer(v) || json_integer_value(v) < 0 ||
        (uint64_t)json_integer_value(v) > max)
        return failf(err, es, "flows: \"%s\" must be an integer in 0..%llu", k,
                     (unsigned long long)max);
    *out = (uint64_t)json_integer_value(v);
    return 0;
}

/* A cookie: "0x..." / decimal string, or a non-negative integer. */
static int get_cookie(const json_t *o, const char *k, bool required, uint64_t *out, char *err,
                      size_t es)
{
    const json_t *v = json_object_get(o, k);
    if (!v) {
        if (required)
            return failf(err, es, "flows: \"%s\" is required", k);
        return 0;
    }
    if (json_is_integer(v) && json_integer_value(v) >= 0) {
        *out = (uint64_t)json_integer_value(v);
        return 0;
    }
    const char *s = json_string_value(v);
    if (s && hs_parse_u64(s, UINT64_MAX, out))
        return 0;
    return failf(err, es, "flows: \"%s\" must be a number or a \"0x...\" string", k);
}

static bool reserved(uint64_t cookie)
{
    uint64_t tag = cookie >> 48;
    return cookie == 0 || tag == 0x4853 || tag == 0x4d47;
}

static int parse_match(const json_t *m, struct ofp_match *out, char *err, size_t es)
{
    if (!m)
        return 0;
    if (!json_is_object(m))
        return failf(err, es, "flows: \"match\" must be an object");
    static const struct { const char *k; enum ofp_match_field f; uint64_t max; } ints[] = {
        {"in_port", OFPXMT_IN_PORT, 0xffffff00u}, {"eth_type", OFPXMT_ETH_TYPE, 0xffff},
        {"ip_proto", OFPXMT_IP_PROTO, 255}, {"tcp_src", OFPXMT_TCP_SRC, 65535},
        {"tcp_dst", OFPXMT_TCP_DST, 65535}, {"udp_src", OFPXMT_UDP_SRC, 65535},
        {"udp_dst", OFPXMT_UDP_DST, 65535}};
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)m, key, v) {
        bool known = false;
        for (size_t i = 0; i < HS_ARRAY_SIZE(ints) && !known; i++) {
            if (strcmp(key, ints[i].k) != 0)
                continue;
            known = true;
            uint64_t n = 0;
            if (get_uint(m, key, ints[i].max, &n, err, es) != 0)
                return -1;
            switch (ints[i].f) {
            case OFPXMT_IN_PORT: out->in_port = (uint32_t)n; break;
            case OFPXMT_ETH_TYPE: out->eth_type = (uint16_t)n; break;
            case OFPXMT_IP_PROTO: out->ip_proto = (uint8_t)n; break;
            case OFPXMT_TCP_SRC: out->tcp_src = (uint16_t)n; break;
            case OFPXMT_TCP_DST: out->tcp_dst = (uint16_t)n; break;
            case OFPXMT_UDP_SRC: out->udp_src = (uint16_t)n; break;
            default: out->udp_dst = (uint16_t)n; break;
            }
            OFP_MATCH_SET(out, ints[i].f);
        }
        if (known)
            continue;
        const char *s = json_string_value(v);
        if (!strcmp(key, "eth_src") || !strcmp(key, "eth_dst")) {
            bool src = key[4] == 's';
            if (!s || !hs_parse_mac(s, src ? out->eth_src : out->eth_dst))
                return failf(err, es, "flows: match \"%s\" must be a MAC address string", key);
            OFP_MATCH_SET(out, src ? OFPXMT_ETH_SRC : OFPXMT_ETH_DST);
        } else if (!strcmp(key, "ipv4_src") || !strcmp(key, "ipv4_dst")) {
            bool src = key[5] == 's';
            if (!s || !hs_parse_ipv4(s, src ? &out->ipv4_src : &out->ipv4_dst))
                return failf(err, es, "flows: match \"%s\" must be an IPv4 address string", key);
            OFP_MATCH_SET(out, src ? OFPXMT_IPV4_SRC : OFPXMT_IPV4_DST);
        } else {
            return failf(err, es, "flows: unknown match field \"%.40s\"", key);
        }
    }
    return 0;
}

static int parse_flow(const json_t *o, struct hs_flow *f, char *err, size_t es)
{
    if (!json_is_object(o))
        return failf(err, es, "flows: each \"add\" entry must be an object");
    memset(f, 0, sizeof *f);
    f->actions.goto_table = 0xff;
    uint64_t n = 0;
    if (get_uint(o, "table", 254, &n, err, es) != 0)
        return -1;
    f->table = (uint8_t)n;
    n = 0;
    if (get_uint(o, "priority", 65535, &n, err, es) != 0)
        return -1;
    f->priority = (uint16_t)n;
    n = 0;
    if (get_uint(o, "idle_timeout", 65535, &n, err, es) != 0)
        return -1;
    f->idle_timeout = (uint16_t)n;
    n = 0;
    if (get_uint(o, "hard_timeout", 65535, &n, err, es) != 0)
        return -1;
    f->hard_timeout = (uint16_t)n;
    if (get_cookie(o, "cookie", true, &f->cookie, err, es) != 0)
        return -1;
    if (reserved(f->cookie))
        return failf(err, es, "flows: cookie 0x%llx is zero or carries a reserved tag "
                     "(0x4853: the controller's policy, 0x4d47: relocations)",
                     (unsigned long long)f->cookie);
    if (parse_match(json_object_get(o, "match"), &f->match, err, es) != 0)
        return -1;
    const json_t *acts = json_object_get(o, "actions");
    if (acts && !json_is_array(acts))
        return failf(err, es, "flows: \"actions\" must be a list");
    for (size_t i = 0; i < json_array_size(acts); i++) {
        const json_t *a = json_array_get(acts, i);
        uint64_t port = 0;
        if (!json_is_object(a) || json_object_size(a) != 1 || !json_object_get(a, "output") ||
            get_uint(a, "output", 0xffffffffu, &port, err, es) != 0)
            return failf(err, es, "flows: an action must be {\"output\":PORT}");
        if (ofp_actions_output(&f->actions, (uint32_t)port) != 0 || f->actions.overflow)
            return failf(err, es, "flows: too many actions");
    }
    n = 0;
    if (json_object_get(o, "goto_table")) {
        if (get_uint(o, "goto_table", 254, &n, err, es) != 0)
            return -1;
        if (n <= f->table)
            return failf(err, es, "flows: goto_table must be a later table than %u",
                         (unsigned)f->table);
        f->actions.goto_table = (uint8_t)n;
    }
    return 0;
}

int hs_flowcmd_parse(const struct hs_topology *t, const json_t *req, struct hs_flowcmd *out,
                     char *err, size_t err_size)
{
    memset(out, 0, sizeof *out);
    const char *sw = json_string_value(json_object_get(req, "switch"));
    if (!sw && t->n_switches == 1)
        sw = t->switches[0].name;
    size_t i;
    for (i = 0; sw && i < t->n_switches; i++)
        if (!strcmp(t->switches[i].name, sw))
            break;
    if (!sw || i == t->n_switches)
        return failf(err, err_size, "flows: \"switch\" must name a switch of the topology");
    out->sw = i;
    const json_t *add = json_object_get(req, "add"), *del = json_object_get(req, "delete");
    if ((add && !json_is_array(add)) || (del && !json_is_array(del)))
        return failf(err, err_size, "flows: \"add\" and \"delete\" must be lists");
    if (json_array_size(add) > HS_FLOWCMD_MAX || json_array_size(del) > HS_FLOWCMD_MAX)
        return failf(err, err_size, "flows: at most %d additions and %d deletions",
                     HS_FLOWCMD_MAX, HS_FLOWCMD_MAX);
    if (!json_array_size(add) && !json_array_size(del))
        return failf(err, err_size, "flows: nothing to add or delete");
    for (size_t k = 0; k < json_array_size(del); k++) {
        const json_t *d = json_array_get(del, k);
        uint64_t ck = 0, mask = ~0ull;
        if (!json_is_object(d) || get_cookie(d, "cookie", true, &ck, err, err_size) != 0 ||
            get_cookie(d, "cookie_mask", false, &mask, err, err_size) != 0) {
            if (!json_is_object(d))
                failf(err, err_size, "flows: each \"delete\" entry must be an object");
            return -1;
        }
        /* the selection must not reach the controller's own flows */
        if ((mask >> 48) != 0xffff || reserved(ck & mask))
            return failf(err, err_size, "flows: a deletion must fix the cookie's top 16 bits to "
                         "a tag that is not reserved");
        out->del_cookie[out->n_del] = ck;
        out->del_mask[out->n_del++] = mask;
    }
    for (size_t k = 0; k < json_array_size(add); k++) {
        struct hs_flow f;
        if (parse_flow(json_array_get(add, k), &f, err, err_size) != 0) {
            hs_flowset_free(&out->add);
            return -1;
        }
        hs_flowset_add(&out->add, &f);
    }
    return 0;
}
