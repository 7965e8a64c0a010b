/* topology_parse.c - YAML text -> struct hs_topology, checking each value where it stands.
 * Pure: no I/O. Rules that relate several nodes live in topology_rules.c. */
#include "config/topology_internal.h"

#include "common/util.h"
#include "config/cfg_values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LAB_NAME_MAX 6          /* the lab name prefixes interface names */
#define IFNAME_BUDGET 13        /* "<lab>-<host>" + 2-char suffix <= 15 (IFNAMSIZ - 1) */
#define SUN_PATH_MAX 108        /* sizeof(struct sockaddr_un.sun_path) */
#define OFP_PORT_MAX 65279      /* highest physical port number we hand out */

static const char *const top_keys[] = {"lab", "state_dir", "controller", "ips", "relocation",
                                        "switches", "hosts", NULL};
static const char *const ips_keys[] = {"enabled", "mode", "switch", "port", "rules",
                                       "block_idle_timeout", "block_hard_timeout", "hold_limit",
                                       "on_attack", NULL};
static const char *const ips_mode_names[] = {"steer", "bump"};
static const char *const relocation_keys[] = {"deadline_ms", "max_concurrent", "gc_grace_ms",
                                               NULL};
static const char *const on_attack_names[] = {"relocate", "block"};
static const char *const controller_keys[] = {"listen", "control_socket", "eve_log",
                                              "echo_interval", NULL};
static const char *const switch_keys[] = {"name", "dpid", NULL};
static const char *const host_keys[] = {"name", "role", "switch", "port", "mac", "ip", "twin",
                                        "services", NULL};
static const char *const service_keys[] = {"name", "kind", "port", "workers", "content", NULL};

static const char *const role_names[] = {"client", "production", "honeypot", "internal"};
static const char *const kind_names[] = {"nginx", "flask", "node", "redis"};
static const uint16_t kind_ports[] = {80, 8000, 3000, 6379};

const char *hs_role_name(enum hs_role r)
{
    return (unsigned)r < HS_ARRAY_SIZE(role_names) ? role_names[r] : "unknown";
}

const char *hs_ips_mode_name(enum hs_ips_mode m)
{
    return (unsigned)m < HS_ARRAY_SIZE(ips_mode_names) ? ips_mode_names[m] : "unknown";
}

const char *hs_service_kind_name(enum hs_service_kind k)
{
    return (unsigned)k < HS_ARRAY_SIZE(kind_names) ? kind_names[k] : "unknown";
}

/* A name: [a-z0-9][a-z0-9-]*, at most max chars, into out[HS_NAME_MAX]. */
static int get_name(struct cfg_ctx *c, yaml_node_t *n, const char *what, const char *key,
                    size_t max, char out[HS_NAME_MAX])
{
    char tmp[HS_PATH_MAX], q[200];
    if (cfg_string(c, n, what, key, tmp, sizeof tmp) != 0)
        return -1;
    size_t len = strlen(tmp);
    if (!cfg_valid_name(tmp))
        return cfg_fail(c, n->start_mark,
                        "%s%s%s '%s' is not a valid name (use a-z, 0-9 and '-', not first)",
                        CFG_PFX(what), key, cfg_quote(tmp, len, q, sizeof q));
    if (len > max || len >= HS_NAME_MAX)
        return cfg_fail(c, n->start_mark, "%s%s%s '%s' is too long (%zu chars; at most %zu)",
                        CFG_PFX(what), key, cfg_quote(tmp, len, q, sizeof q), len,
                        max < HS_NAME_MAX - 1 ? max : (size_t)HS_NAME_MAX - 1);
    memcpy(out, tmp, len + 1);
    return 0;
}

/* A string that must be one of names[n]; *out gets its index. */
static int get_enum(struct cfg_ctx *c, yaml_node_t *n, const char *what, const char *key,
                    const char *const *names, size_t count, unsigned *out)
{
    char tmp[64], q[200], list[128] = "";
    if (cfg_string(c, n, what, key, tmp, sizeof tmp) != 0)
        return -1;
    size_t o = 0;
    for (size_t i = 0; i < count; i++) {
        if (!strcmp(tmp, names[i])) {
            *out = (unsigned)i;
            return 0;
        }
        int w = snprintf(list + o, sizeof list - o, "%s%s", i ? ", " : "", names[i]);
        if (w > 0 && (size_t)w < sizeof list - o)
            o += (size_t)w;
    }
    return cfg_fail(c, n->start_mark, "%s%s%s '%s' is not one of %s", CFG_PFX(what), key,
                    cfg_quote(tmp, strlen(tmp), q, sizeof q), list);
}

/* An absolute path without control characters, into out[HS_PATH_MAX]. */
static int get_path(struct cfg_ctx *c, yaml_node_t *n, const char *what, const char *key,
                    char out[HS_PATH_MAX])
{
    char q[200];
    if (cfg_string(c, n, what, key, out, HS_PATH_MAX) != 0)
        return -1;
    for (const char *p = out; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return cfg_fail(c, n->start_mark, "%s%s%s '%s' contains a control character",
                            CFG_PFX(what), key, cfg_quote(out, strlen(out), q, sizeof q));
    if (out[0] != '/')
        return cfg_fail(c, n->start_mark, "%s%s%s '%s' must be an absolute path", CFG_PFX(what),
                        key, cfg_quote(out, strlen(out), q, sizeof q));
    return 0;
}

/* Item i of a sequence (NULL, with an error recorded, if the document is inconsistent). */
static yaml_node_t *seq_item(struct cfg_ctx *c, yaml_node_t *seq, size_t i)
{
    yaml_node_t *n = cfg_node(c, seq->data.sequence.items.start[i]);
    if (!n)
        cfg_fail(c, seq->start_mark, "broken list (item %zu missing)", i + 1);
    return n;
}

/* "what" for messages about a mapping that has a name: "host 'web'", else "host #3". */
static void describe(struct cfg_ctx *c, yaml_node_t *map, const char *kind, size_t index,
                     char *buf, size_t size)
{
    yaml_node_t *n = cfg_lookup(c, map, "name");
    if (n && n->type == YAML_SCALAR_NODE && n->data.scalar.length < HS_NAME_MAX &&
        !memchr(n->data.scalar.value, '\0', n->data.scalar.length) &&
        cfg_valid_name((const char *)n->data.scalar.value))
        hs_snprintf(buf, size, "%s '%s'", kind, (const char *)n->data.scalar.value);
    else
        hs_snprintf(buf, size, "%s #%zu", kind, index + 1);
}

static int parse_controller(struct cfg_ctx *c, yaml_node_t *map, struct hs_topology *t,
                            bool *sock_set, bool *eve_set)
{
    static const char what[] = "controller";
    struct hs_controller_cfg *cc = &t->controller;
    yaml_node_t *v;
    char q[200];
    if (cfg_check_keys(c, map, controller_keys, what) != 0)
        return -1;
    if ((v = cfg_lookup(c, map, "listen"))) {
        char tmp[HS_PATH_MAX];
        if (cfg_string(c, v, what, "listen", tmp, sizeof tmp) != 0)
            return -1;
        if (!cfg_parse_listen(tmp, cc->listen_addr, sizeof cc->listen_addr, &cc->listen_port))
            return cfg_fail(c, v->start_mark,
                            "controller: listen '%s' is not an IPv4 address and port "
                            "(expected A.B.C.D:PORT, port 1..65535)",
                            cfg_quote(tmp, strlen(tmp), q, sizeof q));
    }
    if ((v = cfg_lookup(c, map, "control_socket"))) {
        if (get_path(c, v, what, "control_socket", cc->control_socket) != 0)
            return -1;
        size_t len = strlen(cc->control_socket);
        if (len >= SUN_PATH_MAX)
            return cfg_fail(c, v->start_mark,
                            "controller: control_socket is %zu bytes; a Unix socket path must "
                            "be shorter than %d bytes (sun_path)", len, SUN_PATH_MAX);
        *sock_set = true;
    }
    if ((v = cfg_lookup(c, map, "eve_log"))) {
        if (get_path(c, v, what, "eve_log", cc->eve_log) != 0)
            return -1;
        *eve_set = true;
    }
    if ((v = cfg_lookup(c, map, "echo_interval"))) {
        uint64_t n;
        if (cfg_uint(c, v, what, "echo_interval", 1, 3600, &n) != 0)
            return -1;
        cc->echo_interval_s = (unsigned)n;
    }
    return 0;
}

/* A YAML boolean: true/false (also True/TRUE/False/FALSE). */
static int get_bool(struct cfg_ctx *c, yaml_node_t *n, const char *what, const char *key,
                    bool *out)
{
    char tmp[16], q[200];
    if (n->type != YAML_SCALAR_NODE || n->data.scalar.length >= sizeof tmp)
        goto bad;
    memcpy(tmp, n->data.scalar.value, n->data.scalar.length);
    tmp[n->data.scalar.length] = '\0';
    if (!strcmp(tmp, "true") || !strcmp(tmp, "True") || !strcmp(tmp, "TRUE")) {
        *out = true;
        return 0;
    }
    if (!strcmp(tmp, "false") || !strcmp(tmp, "False") || !strcmp(tmp, "FALSE")) {
        *out = false;
        return 0;
    }
bad:
    if (n->type == YAML_SCALAR_NODE)
        return cfg_fail(c, n->start_mark, "%s%s%s '%s' is not a boolean (expected true or false)",
                        CFG_PFX(what), key,
                        cfg_quote((const char *)n->data.scalar.value, n->data.scalar.length, q,
                                  sizeof q));
    return cfg_fail(c, n->start_mark, "%s%s%s must be true or false, got %s", CFG_PFX(what), key,
                    cfg_kind_name(n));
}

/* ips: rule files: one path or a list of paths. */
static int parse_ips_rules(struct cfg_ctx *c, yaml_node_t *v, struct hs_ips_cfg *ips)
{
    static const char what[] = "ips";
    if (v->type == YAML_SCALAR_NODE) {
        if (get_path(c, v, what, "rules", ips->rule_files[0]) != 0)
            return -1;
        ips->n_rule_files = 1;
        return 0;
    }
    if (v->type != YAML_SEQUENCE_NODE)
        return cfg_fail(c, v->start_mark, "ips: rules must be a path or a list of paths, got %s",
                        cfg_kind_name(v));
    size_t n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
    if (n > HS_IPS_MAX_RULE_FILES)
        return cfg_fail(c, v->start_mark, "ips: rules: %zu files; at most %d", n,
                        HS_IPS_MAX_RULE_FILES);
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *item = seq_item(c, v, i);
        if (!item || get_path(c, item, what, "rules", ips->rule_files[i]) != 0)
            return -1;
    }
    ips->n_rule_files = n;
    return 0;
}

static int parse_ips(struct cfg_ctx *c, yaml_node_t *map, struct hs_ips_cfg *ips,
                     struct topo_ips_marks *m)
{
    static const char what[] = "ips";
    yaml_node_t *v;
    uint64_t n;
    if (cfg_expect_map(c, map, NULL, "ips") != 0 || cfg_check_keys(c, map, ips_keys, what) != 0)
        return -1;
    ips->present = true;
    ips->enabled = true;
    ips->hold_limit = 32;
    ips->line = (int)map->start_mark.line + 1;
    m->node = map->start_mark;
    m->sw = map->start_mark;
    m->mode = map->start_mark;
    if ((v = cfg_lookup(c, map, "enabled")) && get_bool(c, v, what, "enabled", &ips->enabled))
        return -1;
    if ((v = cfg_lookup(c, map, "switch"))) {
        if (get_name(c, v, what, "switch", HS_NAME_MAX - 1, ips->switch_name) != 0)
            return -1;
        m->sw = v->start_mark;
    }
    if ((v = cfg_lookup(c, map, "mode"))) {
        unsigned k = 0;
        if (get_enum(c, v, what, "mode", ips_mode_names, HS_ARRAY_SIZE(ips_mode_names), &k) != 0)
            return -1;
        ips->mode = (enum hs_ips_mode)k;
        m->mode = v->start_mark;
    }
    if (ips->mode == HS_IPS_BUMP) {
        /* each bump takes the OpenFlow port of the host it protects: no port of its own */
        if ((v = cfg_lookup(c, map, "port")))
            return cfg_fail(c, v->start_mark, "ips: port is not used with mode bump (each "
                            "production host's bump takes the host's own port); remove it");
    } else {
        if (!(v = cfg_require(c, map, "port", what)) ||
            cfg_uint(c, v, what, "port", 1, OFP_PORT_MAX, &n) != 0)
            return -1;
        ips->port = (uint32_t)n;
        m->port = v->start_mark;
    }
    if ((v = cfg_lookup(c, map, "rules")) && parse_ips_rules(c, v, ips) != 0)
        return -1;
    if ((v = cfg_lookup(c, map, "block_idle_timeout"))) {
        if (cfg_uint(c, v, what, "block_idle_timeout", 0, 65535, &n) != 0)
            return -1;
        ips->block_idle_timeout = (uint16_t)n;
    }
    if ((v = cfg_lookup(c, map, "block_hard_timeout"))) {
        if (cfg_uint(c, v, what, "block_hard_timeout", 0, 65535, &n) != 0)
            return -1;
        ips->block_hard_timeout = (uint16_t)n;
    }
    if ((v = cfg_lookup(c, map, "hold_limit"))) {
        if (cfg_uint(c, v, what, "hold_limit", 1, 4096, &n) != 0)
            return -1;
        ips->hold_limit = (unsigned)n;
    }
    if ((v = cfg_lookup(c, map, "on_attack"))) {
        unsigned k = 0;
        if (get_enum(c, v, what, "on_attack", on_attack_names, HS_ARRAY_SIZE(on_attack_names),
                     &k) != 0)
            return -1;
        ips->on_attack = (enum hs_on_attack)k;
    }
    return 0;
}

/* relocation: deadline_ms, max_concurrent, gc_grace_ms (defaults set by the caller). */
static int parse_relocation(struct cfg_ctx *c, yaml_node_t *map, struct hs_relocation_cfg *r)
{
    static const char what[] = "relocation";
    yaml_node_t *v;
    uint64_t n;
    if (cfg_expect_map(c, map, NULL, what) != 0 ||
        cfg_check_keys(c, map, relocation_keys, what) != 0)
        return -1;
    if ((v = cfg_lookup(c, map, "deadline_ms"))) {
        if (cfg_uint(c, v, what, "deadline_ms", 100, 60000, &n) != 0)
            return -1;
        r->deadline_ms = (unsigned)n;
    }
    if ((v = cfg_lookup(c, map, "max_concurrent"))) {
        if (cfg_uint(c, v, what, "max_concurrent", 1, 64, &n) != 0)
            return -1;
        r->max_concurrent = (unsigned)n;
    }
    if ((v = cfg_lookup(c, map, "gc_grace_ms"))) {
        if (cfg_uint(c, v, what, "gc_grace_ms", 1000, 86400000, &n) != 0)
            return -1;
        r->gc_grace_ms = (unsigned)n;
    }
    return 0;
}

static int parse_switch(struct cfg_ctx *c, yaml_node_t *map, size_t index, struct hs_switch *sw,
                        struct topo_switch_marks *m)
{
    char what[64];
    yaml_node_t *v;
    uint64_t dpid;
    if (map->type != YAML_MAPPING_NODE)
        return cfg_fail(c, map->start_mark, "switch #%zu must be a mapping, got %s", index + 1,
                        cfg_kind_name(map));
    describe(c, map, "switch", index, what, sizeof what);
    m->node = map->start_mark;
    sw->line = (int)map->start_mark.line + 1;
    if (cfg_check_keys(c, map, switch_keys, what) != 0)
        return -1;
    if (!(v = cfg_require(c, map, "name", what)) ||
        get_name(c, v, what, "name", HS_NAME_MAX - 1, sw->name) != 0)
        return -1;
    m->name = v->start_mark;
    if (!(v = cfg_require(c, map, "dpid", what)) ||
        cfg_uint(c, v, what, "dpid", 0, UINT64_MAX, &dpid) != 0)
        return -1;
    if (dpid == 0)
        return cfg_fail(c, v->start_mark, "%s: dpid must be nonzero", what);
    sw->dpid = dpid;
    m->dpid = v->start_mark;
    return 0;
}

static int parse_service(struct cfg_ctx *c, yaml_node_t *map, const struct hs_host *h,
                         size_t index, struct hs_service *svc, const yaml_mark_t *port_marks)
{
    char what[96], sname[40];
    yaml_node_t *v;
    unsigned kind = 0;
    uint64_t n;
    if (map->type != YAML_MAPPING_NODE)
        return cfg_fail(c, map->start_mark, "host '%s': service #%zu must be a mapping, got %s",
                        h->name, index + 1, cfg_kind_name(map));
    describe(c, map, "service", index, sname, sizeof sname);
    hs_snprintf(what, sizeof what, "host '%s' %s", h->name, sname);
    svc->line = (int)map->start_mark.line + 1;
    if (cfg_check_keys(c, map, service_keys, what) != 0)
        return -1;
    if (!(v = cfg_require(c, map, "name", what)) ||
        get_name(c, v, what, "name", HS_NAME_MAX - 1, svc->name) != 0)
        return -1;
    for (size_t i = 0; i < index; i++)
        if (!strcmp(h->services[i].name, svc->name))
            return cfg_fail(c, v->start_mark, "%s: name '%s' is already used by the service at "
                            "line %d", what, svc->name, h->services[i].line);
    if (!(v = cfg_require(c, map, "kind", what)) ||
        get_enum(c, v, what, "kind", kind_names, HS_ARRAY_SIZE(kind_names), &kind) != 0)
        return -1;
    svc->kind = (enum hs_service_kind)kind;
    svc->port = kind_ports[kind];
    yaml_mark_t port_mark = map->start_mark;
    if ((v = cfg_lookup(c, map, "port"))) {
        if (cfg_uint(c, v, what, "port", 1, 65535, &n) != 0)
            return -1;
        svc->port = (uint16_t)n;
        port_mark = v->start_mark;
    }
    for (size_t i = 0; i < index; i++)
        if (h->services[i].port == svc->port)
            return cfg_fail(c, port_mark, "%s: port %u is already used by service '%s' (line %zu)",
                            what, svc->port, h->services[i].name, port_marks[i].line + 1);
    svc->workers = 2;
    if ((v = cfg_lookup(c, map, "workers"))) {
        if (cfg_uint(c, v, what, "workers", 1, 64, &n) != 0)
            return -1;
        svc->workers = (unsigned)n;
    }
    if ((v = cfg_lookup(c, map, "content")) && !cfg_is_null(v)) {
        if (v->type == YAML_SCALAR_NODE && v->data.scalar.length == 0)
            svc->content[0] = '\0';
        else if (cfg_string(c, v, what, "content", svc->content, sizeof svc->content) != 0)
            return -1;
    }
    return 0;
}

static int parse_services(struct cfg_ctx *c, yaml_node_t *seq, struct hs_host *h)
{
    char what[48];
    hs_snprintf(what, sizeof what, "host '%s'", h->name);
    if (cfg_expect_seq(c, seq, what, "services") != 0)
        return -1;
    size_t n = (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
    if (n > HS_TOPOLOGY_MAX_SERVICES)
        return cfg_fail(c, seq->start_mark, "%s: %zu services; at most %d per host", what, n,
                        HS_TOPOLOGY_MAX_SERVICES);
    if (n == 0)
        return 0;
    h->services = xcalloc(n, sizeof *h->services);
    yaml_mark_t *port_marks = xcalloc(n, sizeof *port_marks);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        yaml_node_t *item = seq_item(c, seq, i);
        h->n_services = i + 1;
        rc = item ? parse_service(c, item, h, i, &h->services[i], port_marks) : -1;
        if (rc == 0) {
            yaml_node_t *p = cfg_lookup(c, item, "port");
            port_marks[i] = p ? p->start_mark : item->start_mark;
        }
    }
    free(port_marks);
    return rc;
}

/* ip: A.B.C.D/N, prefix 8..30, a host address of its subnet, inside 198.18.0.0/15. */
static int parse_host_ip(struct cfg_ctx *c, yaml_node_t *v, const char *what, struct hs_host *h)
{
    char tmp[64], q[200];
    if (cfg_string(c, v, what, "ip", tmp, sizeof tmp) != 0)
        return -1;
    cfg_quote(tmp, strlen(tmp), q, sizeof q);
    if (!cfg_parse_cidr(tmp, &h->ip, &h->prefix_len))
        return cfg_fail(c, v->start_mark, "%s: ip '%s' is not an IPv4 address with prefix "
                        "(expected A.B.C.D/N)", what, q);
    if (h->prefix_len < 8 || h->prefix_len > 30)
        return cfg_fail(c, v->start_mark, "%s: ip '%s': prefix /%u is out of range 8..30", what,
                        q, h->prefix_len);
    uint32_t mask = cfg_prefix_mask(h->prefix_len);
    if ((h->ip & ~mask) == 0)
        return cfg_fail(c, v->start_mark, "%s: ip '%s' is the network address of its subnet",
                        what, q);
    if ((h->ip & ~mask) == ~mask)
        return cfg_fail(c, v->start_mark, "%s: ip '%s' is the broadcast address of its subnet",
                        what, q);
    if (!cfg_ip_in_lab_range(h->ip))
        return cfg_fail(c, v->start_mark, "%s: ip '%s' is outside 198.18.0.0/15 (lab rule: "
                        "lab addresses must stay in the benchmarking range)", what, q);
    return 0;
}

static int parse_host(struct cfg_ctx *c, yaml_node_t *map, size_t index, const char *lab,
                      struct hs_host *h, struct topo_host_marks *m)
{
    char what[48], tmp[64], q[200];
    yaml_node_t *v;
    unsigned role = 0;
    uint64_t n;
    h->twin_index = SIZE_MAX;
    if (map->type != YAML_MAPPING_NODE)
        return cfg_fail(c, map->start_mark, "host #%zu must be a mapping, got %s", index + 1,
                        cfg_kind_name(map));
    describe(c, map, "host", index, what, sizeof what);
    m->node = map->start_mark;
    h->line = (int)map->start_mark.line + 1;
    if (cfg_check_keys(c, map, host_keys, what) != 0)
        return -1;

    if (!(v = cfg_require(c, map, "name", what)) ||
        get_name(c, v, what, "name", HS_NAME_MAX - 1, h->name) != 0)
        return -1;
    m->name = v->start_mark;
    size_t iflen = strlen(lab) + 1 + strlen(h->name);
    if (iflen > IFNAME_BUDGET)
        return cfg_fail(c, v->start_mark, "%s: name is too long: '%s-%s' is %zu chars, at most "
                        "%d (veth names add a 2-char suffix; Linux allows 15)", what, lab,
                        h->name, iflen, IFNAME_BUDGET);

    if (!(v = cfg_require(c, map, "role", what)) ||
        get_enum(c, v, what, "role", role_names, HS_ARRAY_SIZE(role_names), &role) != 0)
        return -1;
    h->role = (enum hs_role)role;

    if (!(v = cfg_require(c, map, "switch", what)) ||
        get_name(c, v, what, "switch", HS_NAME_MAX - 1, h->switch_name) != 0)
        return -1;
    m->sw = v->start_mark;

    if (!(v = cfg_require(c, map, "port", what)) ||
        cfg_uint(c, v, what, "port", 1, OFP_PORT_MAX, &n) != 0)
        return -1;
    h->port = (uint32_t)n;
    m->port = v->start_mark;

    if (!(v = cfg_require(c, map, "mac", what)) ||
        cfg_string(c, v, what, "mac", tmp, sizeof tmp) != 0)
        return -1;
    if (!hs_parse_mac(tmp, h->mac))
        return cfg_fail(c, v->start_mark, "%s: mac '%s' is not a MAC address (expected "
                        "aa:bb:cc:dd:ee:ff)", what, cfg_quote(tmp, strlen(tmp), q, sizeof q));
    if (!cfg_mac_is_unicast(h->mac))
        return cfg_fail(c, v->start_mark, "%s: mac '%s' is not a unicast address (the first "
                        "octet must be even, and not all zero)", what,
                        cfg_quote(tmp, strlen(tmp), q, sizeof q));
    m->mac = v->start_mark;

    if (!(v = cfg_require(c, map, "ip", what)) || parse_host_ip(c, v, what, h) != 0)
        return -1;
    m->ip = v->start_mark;

    v = cfg_lookup(c, map, "twin");
    if (h->role == HS_ROLE_HONEYPOT) {
        if (!v)
            return cfg_fail(c, map->start_mark, "%s: missing required key 'twin' (a honeypot "
                            "names the production host it impersonates)", what);
        if (get_name(c, v, what, "twin", HS_NAME_MAX - 1, h->twin) != 0)
            return -1;
        m->twin = v->start_mark;
    } else if (v) {
        return cfg_fail(c, v->start_mark, "%s: twin is only allowed for role honeypot (this "
                        "host is %s)", what, hs_role_name(h->role));
    }

    if ((v = cfg_lookup(c, map, "services")) && parse_services(c, v, h) != 0)
        return -1;
    return 0;
}

/* The list under key (required, 1..max items); *count gets the length. */
static yaml_node_t *get_list(struct cfg_ctx *c, yaml_node_t *root, const char *key, size_t max,
                             const char *one, size_t *count)
{
    yaml_node_t *seq = cfg_require(c, root, key, NULL);
    if (!seq || cfg_expect_seq(c, seq, NULL, key) != 0)
        return NULL;
    *count = (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
    if (*count == 0) {
        cfg_fail(c, seq->start_mark, "%s: at least one %s is required", key, one);
        return NULL;
    }
    if (*count > max) {
        cfg_fail(c, seq->start_mark, "%s: %zu entries; at most %zu", key, *count, max);
        return NULL;
    }
    return seq;
}

/* Fill the defaults that derive from state_dir; errors point at the state_dir value. */
static int apply_path_defaults(struct cfg_ctx *c, struct hs_topology *t, yaml_mark_t sd_mark,
                               bool sock_set, bool eve_set)
{
    struct hs_controller_cfg *cc = &t->controller;
    if (!sock_set) {
        if (!hs_snprintf(cc->control_socket, sizeof cc->control_socket, "%s/ctl.sock",
                         t->state_dir) ||
            strlen(cc->control_socket) >= SUN_PATH_MAX)
            return cfg_fail(c, sd_mark, "state_dir is too long for the default control_socket "
                            "'<state_dir>/ctl.sock' (a Unix socket path must be shorter than %d "
                            "bytes); shorten it or set controller.control_socket", SUN_PATH_MAX);
    }
    if (!eve_set &&
        !hs_snprintf(cc->eve_log, sizeof cc->eve_log, "%s/eve.json", t->state_dir))
        return cfg_fail(c, sd_mark, "state_dir is too long for the default eve_log "
                        "'<state_dir>/eve.json' (at most %d bytes); shorten it or set "
                        "controller.eve_log", HS_PATH_MAX - 1);
    return 0;
}

int topo_parse_document(struct cfg_ctx *c, struct hs_topology *t, struct topo_marks *m)
{
    yaml_node_t *root = yaml_document_get_root_node(c->doc);
    yaml_node_t *v;
    char tmp[HS_PATH_MAX], q[200];
    m->sw = NULL;
    m->host = NULL;
    if (cfg_check_keys(c, root, top_keys, NULL) != 0)
        return -1;

    hs_strlcpy(t->lab, "hs", sizeof t->lab);
    if ((v = cfg_lookup(c, root, "lab"))) {
        if (cfg_string(c, v, NULL, "lab", tmp, sizeof tmp) != 0)
            return -1;
        size_t len = strlen(tmp);
        cfg_quote(tmp, len, q, sizeof q);
        if (!cfg_valid_name(tmp))
            return cfg_fail(c, v->start_mark, "lab name '%s' is not valid (use a-z, 0-9 and "
                            "'-', not first)", q);
        if (len > LAB_NAME_MAX)
            return cfg_fail(c, v->start_mark, "lab name '%s' is too long (%zu chars; at most "
                            "%d: it prefixes interface names, which Linux limits to 15)", q, len,
                            LAB_NAME_MAX);
        memcpy(t->lab, tmp, len + 1);
    }

    yaml_mark_t sd_mark = root->start_mark;
    if ((v = cfg_lookup(c, root, "state_dir"))) {
        if (get_path(c, v, NULL, "state_dir", t->state_dir) != 0)
            return -1;
        sd_mark = v->start_mark;
    } else {
        hs_snprintf(t->state_dir, sizeof t->state_dir, "/run/honeyshift/%s", t->lab);
    }

    struct hs_controller_cfg *cc = &t->controller;
    hs_strlcpy(cc->listen_addr, "127.0.0.1", sizeof cc->listen_addr);
    cc->listen_port = 6653;
    cc->echo_interval_s = 5;
    bool sock_set = false, eve_set = false;
    if ((v = cfg_lookup(c, root, "controller")) &&
        (cfg_expect_map(c, v, NULL, "controller") != 0 ||
         parse_controller(c, v, t, &sock_set, &eve_set) != 0))
        return -1;
    if (apply_path_defaults(c, t, sd_mark, sock_set, eve_set) != 0)
        return -1;
    if ((v = cfg_lookup(c, root, "ips")) && parse_ips(c, v, &t->ips, &m->ips) != 0)
        return -1;
    t->relocation.deadline_ms = 2000;
    t->relocation.max_concurrent = 8;
    t->relocation.gc_grace_ms = 10000;
    if ((v = cfg_lookup(c, root, "relocation")) && parse_relocation(c, v, &t->relocation) != 0)
        return -1;

    size_t n;
    yaml_node_t *seq = get_list(c, root, "switches", HS_TOPOLOGY_MAX_SWITCHES, "switch", &n);
    if (!seq)
        return -1;
    t->switches = xcalloc(n, sizeof *t->switches);
    m->sw = xcalloc(n, sizeof *m->sw);
    t->n_switches = n;
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *item = seq_item(c, seq, i);
        if (!item || parse_switch(c, item, i, &t->switches[i], &m->sw[i]) != 0)
            return -1;
    }

    if (!(seq = get_list(c, root, "hosts", HS_TOPOLOGY_MAX_HOSTS, "host", &n)))
        return -1;
    t->hosts = xcalloc(n, sizeof *t->hosts);
    m->host = xcalloc(n, sizeof *m->host);
    t->n_hosts = n;
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *item = seq_item(c, seq, i);
        if (!item || parse_host(c, item, i, t->lab, &t->hosts[i], &m->host[i]) != 0)
            return -1;
    }
    return 0;
}

void topo_marks_free(struct topo_marks *m)
{
    free(m->sw);
    free(m->host);
    m->sw = NULL;
    m->host = NULL;
}

int hs_topology_parse(const char *text, size_t len, const char *name, struct hs_topology **out,
                      struct hs_cfg_err *err)
{
    struct hs_cfg_err local;
    struct cfg_ctx c = {.file = name ? name : "<string>", .text = text, .len = len,
                        .err = err ? err : &local};
    struct topo_marks marks;
    memset(&marks, 0, sizeof marks);
    yaml_document_t doc;
    memset(c.err, 0, sizeof *c.err);
    *out = NULL;
    if (!text && len)
        return cfg_fail_nopos(&c, "no text");
    if (!text)
        c.text = "";
    if (strlen(c.file) >= HS_PATH_MAX)
        return cfg_fail_nopos(&c, "file name is too long (at most %d bytes)", HS_PATH_MAX - 1);
    if (cfg_load_document(&c, &doc) != 0)
        return -1;
    struct hs_topology *t = xcalloc(1, sizeof *t);
    hs_strlcpy(t->path, c.file, sizeof t->path);
    int rc = topo_parse_document(&c, t, &marks);
    if (rc == 0)
        rc = topo_check_rules(&c, t, &marks);
    topo_marks_free(&marks);
    yaml_document_delete(&doc);
    if (rc != 0) {
        hs_topology_free(t);
        return -1;
    }
    *out = t;
    return 0;
}
