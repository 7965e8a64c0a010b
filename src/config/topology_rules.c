/* topology_rules.c - rules between nodes of a parsed topology: unique switch names, dpids, host
 * names, ports per switch and addresses; switch references; honeypot twins. Pure. */
#include "config/topology_internal.h"

#include "common/util.h"

#include <string.h>

static int check_switches(struct cfg_ctx *c, const struct hs_topology *t,
                          const struct topo_marks *m)
{
    for (size_t i = 0; i < t->n_switches; i++) {
        const struct hs_switch *s = &t->switches[i];
        for (size_t j = 0; j < i; j++) {
            const struct hs_switch *o = &t->switches[j];
            if (!strcmp(s->name, o->name))
                return cfg_fail(c, m->sw[i].name, "switch '%s' is defined twice (first at line "
                                "%d)", s->name, o->line);
            if (s->dpid == o->dpid)
                return cfg_fail(c, m->sw[i].dpid, "switch '%s': dpid 0x%016llx is already used "
                                "by switch '%s' (line %d)", s->name,
                                (unsigned long long)s->dpid, o->name, o->line);
        }
    }
    return 0;
}

/* Names of all switches, for "not defined" messages. */
static void switch_list(const struct hs_topology *t, char *buf, size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < t->n_switches; i++) {
        const char *sep = i ? ", " : "";
        if (o + strlen(sep) + strlen(t->switches[i].name) + 4 >= size) {
            hs_strlcpy(buf + o, ", ...", size - o);
            return;
        }
        o += (size_t)snprintf(buf + o, size - o, "%s%s", sep, t->switches[i].name);
    }
}

static int check_host_pairs(struct cfg_ctx *c, struct hs_topology *t, const struct topo_marks *m)
{
    char list[160], a[18], b[16];
    for (size_t i = 0; i < t->n_hosts; i++) {
        struct hs_host *h = &t->hosts[i];
        const struct hs_switch *sw = hs_topology_switch(t, h->switch_name);
        if (!sw) {
            switch_list(t, list, sizeof list);
            return cfg_fail(c, m->host[i].sw, "host '%s': switch '%s' is not defined (switches: "
                            "%s)", h->name, h->switch_name, list);
        }
        h->switch_index = (size_t)(sw - t->switches);
        for (size_t j = 0; j < i; j++) {
            const struct hs_host *o = &t->hosts[j];
            if (!strcmp(h->name, o->name))
                return cfg_fail(c, m->host[i].name, "host '%s' is defined twice (first at line "
                                "%d)", h->name, o->line);
            if (h->switch_index == o->switch_index && h->port == o->port)
                return cfg_fail(c, m->host[i].port, "host '%s': port %u on switch '%s' is "
                                "already used by host '%s' (line %d)", h->name, h->port,
                                h->switch_name, o->name, o->line);
            if (h->role == HS_ROLE_HONEYPOT || o->role == HS_ROLE_HONEYPOT)
                continue; /* a honeypot shares its twin's addresses (checked below) */
            if (!memcmp(h->mac, o->mac, sizeof h->mac)) {
                hs_format_mac(h->mac, a);
                return cfg_fail(c, m->host[i].mac, "host '%s': mac %s is already used by host "
                                "'%s' (line %d); only a honeypot may share its twin's", h->name,
                                a, o->name, o->line);
            }
            if (h->ip == o->ip) {
                hs_format_ipv4(h->ip, b);
                return cfg_fail(c, m->host[i].ip, "host '%s': ip %s is already used by host "
                                "'%s' (line %d); only a honeypot may share its twin's", h->name,
                                b, o->name, o->line);
            }
        }
    }
    return 0;
}

static int check_twins(struct cfg_ctx *c, struct hs_topology *t, const struct topo_marks *m)
{
    char a[18], b[18], x[16], y[16];
    for (size_t i = 0; i < t->n_hosts; i++) {
        struct hs_host *h = &t->hosts[i];
        if (h->role != HS_ROLE_HONEYPOT) {
            h->twin_index = SIZE_MAX;
            continue;
        }
        const struct hs_host *tw = hs_topology_host(t, h->twin);
        if (!tw)
            return cfg_fail(c, m->host[i].twin, "host '%s': twin '%s' is not a host", h->name,
                            h->twin);
        if (tw->role != HS_ROLE_PRODUCTION)
            return cfg_fail(c, m->host[i].twin, "host '%s': twin '%s' is a %s host; a honeypot's "
                            "twin must be a production host", h->name, h->twin,
                            hs_role_name(tw->role));
        if (memcmp(h->mac, tw->mac, sizeof h->mac) != 0) {
            hs_format_mac(h->mac, a);
            hs_format_mac(tw->mac, b);
            return cfg_fail(c, m->host[i].mac, "host '%s': mac %s differs from twin '%s' mac %s "
                            "(a honeypot must have its twin's mac and ip)", h->name, a, tw->name,
                            b);
        }
        if (h->ip != tw->ip || h->prefix_len != tw->prefix_len) {
            hs_format_ipv4(h->ip, x);
            hs_format_ipv4(tw->ip, y);
            return cfg_fail(c, m->host[i].ip, "host '%s': ip %s/%u differs from twin '%s' ip "
                            "%s/%u (a honeypot must have its twin's mac and ip)", h->name, x,
                            h->prefix_len, tw->name, y, tw->prefix_len);
        }
        h->twin_index = (size_t)(tw - t->hosts);
    }
    return 0;
}

/* ips: the switch exists (default: the only one); steer: the port is free, no host is named like
 * the IPS interfaces ("<lab>-ips", "<lab>-ipsd"); bump: the switch has a production host. */
static int check_ips(struct cfg_ctx *c, struct hs_topology *t, const struct topo_marks *m)
{
    struct hs_ips_cfg *ips = &t->ips;
    if (!ips->present)
        return 0;
    char list[160];
    if (!ips->switch_name[0]) {
        if (t->n_switches != 1) {
            switch_list(t, list, sizeof list);
            return cfg_fail(c, m->ips.sw, "ips: switch is required when there are %zu switches "
                            "(switches: %s)", t->n_switches, list);
        }
        hs_strlcpy(ips->switch_name, t->switches[0].name, sizeof ips->switch_name);
    }
    const struct hs_switch *sw = hs_topology_switch(t, ips->switch_name);
    if (!sw) {
        switch_list(t, list, sizeof list);
        return cfg_fail(c, m->ips.sw, "ips: switch '%s' is not defined (switches: %s)",
                        ips->switch_name, list);
    }
    ips->switch_index = (size_t)(sw - t->switches);
    if (ips->mode == HS_IPS_BUMP) {
        /* bump interfaces are "<lab>-<host>.b" / ".i": no host name can collide with them */
        for (size_t i = 0; i < t->n_hosts; i++)
            if (t->hosts[i].switch_index == ips->switch_index &&
                t->hosts[i].role == HS_ROLE_PRODUCTION)
                return 0;
        return cfg_fail(c, m->ips.mode, "ips: mode bump protects the production hosts of "
                        "switch '%s', and it has none", sw->name);
    }
    for (size_t i = 0; i < t->n_hosts; i++) {
        const struct hs_host *h = &t->hosts[i];
        if (h->switch_index == ips->switch_index && h->port == ips->port)
            return cfg_fail(c, m->ips.port, "ips: port %u on switch '%s' is already used by host "
                            "'%s' (line %d)", ips->port, sw->name, h->name, h->line);
        if (!strcmp(h->name, "ips") || !strcmp(h->name, "ipsd"))
            return cfg_fail(c, m->host[i].name, "host '%s': the name is reserved for the IPS "
                            "interfaces ('%s-ips', '%s-ipsd') when an ips section is given",
                            h->name, t->lab, t->lab);
    }
    return 0;
}

int topo_check_rules(struct cfg_ctx *c, struct hs_topology *t, const struct topo_marks *m)
{
    if (check_switches(c, t, m) != 0 || check_host_pairs(c, t, m) != 0 ||
        check_twins(c, t, m) != 0 || check_ips(c, t, m) != 0)
        return -1;
    return 0;
}
