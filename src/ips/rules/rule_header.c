/* rule_header.c - rule header: action, protocol, address/port sets, direction; header match. */
#include "ips/rules/rule_header.h"

#include "common/util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELD 4096

/* Next whitespace-separated field; whitespace inside [...] belongs to the field. */
static bool next_field(const char **pp, char *out, size_t outlen)
{
    const char *p = *pp;
    while (isspace((unsigned char)*p))
        p++;
    size_t k = 0;
    int depth = 0;
    while (*p && (depth > 0 || !isspace((unsigned char)*p))) {
        if (*p == '[')
            depth++;
        else if (*p == ']' && depth > 0)
            depth--;
        if (k + 1 >= outlen)
            return false;
        out[k++] = *p++;
    }
    out[k] = '\0';
    *pp = p;
    return true;
}

static const struct {
    const char *name;
    enum ips_action act;
} actions[] = {
    {"alert", IPS_ACT_ALERT}, {"drop", IPS_ACT_DROP}, {"reject", IPS_ACT_REJECT},
    {"rejectsrc", IPS_ACT_REJECT}, {"rejectdst", IPS_ACT_REJECT}, {"rejectboth", IPS_ACT_REJECT},
    {"pass", IPS_ACT_PASS},
};

static const struct {
    const char *name;
    enum ips_rule_proto proto;
} protos[] = {
    {"ip", IPS_PROTO_IP}, {"tcp", IPS_PROTO_TCP}, {"udp", IPS_PROTO_UDP}, {"http", IPS_PROTO_HTTP},
};

bool ips_header_parse(struct ips_rule *r, const char *header, const struct ips_vars *vars,
                      char *err, size_t errlen)
{
    static const char *const what[] = {"action", "protocol", "source address", "source port",
                                       "direction", "destination address", "destination port"};
    char f[7][MAX_FIELD];
    const char *p = header;
    for (int i = 0; i < 7; i++) {
        if (!next_field(&p, f[i], sizeof f[i])) {
            snprintf(err, errlen, "%s too long", what[i]);
            return false;
        }
        if (!f[i][0]) {
            snprintf(err, errlen, "incomplete rule header: missing %s", what[i]);
            return false;
        }
    }
    while (isspace((unsigned char)*p))
        p++;
    if (*p) {
        snprintf(err, errlen, "unexpected '%.32s' after the rule header", p);
        return false;
    }
    size_t i;
    for (i = 0; i < HS_ARRAY_SIZE(actions); i++)
        if (strcmp(f[0], actions[i].name) == 0)
            break;
    if (i == HS_ARRAY_SIZE(actions)) {
        snprintf(err, errlen, "unknown action '%.64s'", f[0]);
        return false;
    }
    r->action = actions[i].act;
    for (i = 0; i < HS_ARRAY_SIZE(protos); i++)
        if (strcmp(f[1], protos[i].name) == 0)
            break;
    if (i == HS_ARRAY_SIZE(protos)) {
        snprintf(err, errlen, "unsupported protocol '%.64s' (use tcp, udp, ip or http)", f[1]);
        return false;
    }
    r->proto = protos[i].proto;
    if (strcmp(f[4], "->") == 0) {
        r->bidir = false;
    } else if (strcmp(f[4], "<>") == 0) {
        r->bidir = true;
    } else {
        snprintf(err, errlen, "bad direction '%.16s' (use -> or <>)", f[4]);
        return false;
    }
    char e[IPS_ERRLEN];
    if (!(r->src = ips_addr_parse(f[2], vars, e, sizeof e)) ||
        !(r->sport = ips_port_parse(f[3], vars, e, sizeof e)) ||
        !(r->dst = ips_addr_parse(f[5], vars, e, sizeof e)) ||
        !(r->dport = ips_port_parse(f[6], vars, e, sizeof e))) {
        snprintf(err, errlen, "%s", e);
        return false;
    }
    return true;
}

static bool tuple_match(const struct ips_rule *r, uint32_t sip, uint16_t sp, uint32_t dip,
                        uint16_t dp, bool ports)
{
    if (!ips_set_match(r->src, sip) || !ips_set_match(r->dst, dip))
        return false;
    if (!ports)
        return true;
    return ips_set_match(r->sport, sp) && ips_set_match(r->dport, dp);
}

bool ips_rule_header_match(const struct ips_rule *r, const struct ips_txn *t)
{
    bool tcp = t->ip_proto == 6, udp = t->ip_proto == 17;
    switch (r->proto) {
    case IPS_PROTO_TCP:
        if (!tcp)
            return false;
        break;
    case IPS_PROTO_UDP:
        if (!udp)
            return false;
        break;
    case IPS_PROTO_HTTP:
        if (!tcp || !t->app_http)
            return false;
        break;
    case IPS_PROTO_IP:
        break;
    }
    if (r->flow & IPS_FLOW_TO_SERVER && t->dir != IPS_DIR_TO_SERVER)
        return false;
    if (r->flow & IPS_FLOW_TO_CLIENT && t->dir != IPS_DIR_TO_CLIENT)
        return false;
    if (r->flow & IPS_FLOW_ESTABLISHED && !t->established)
        return false;
    if (r->flow & IPS_FLOW_NOT_ESTABLISHED && t->established)
        return false;
    bool ports = tcp || udp;
    if (tuple_match(r, t->src_ip, t->src_port, t->dst_ip, t->dst_port, ports))
        return true;
    return r->bidir && tuple_match(r, t->dst_ip, t->dst_port, t->src_ip, t->src_port, ports);
}
