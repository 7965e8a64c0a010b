/* policy.c - base flows and ARP answers derived from the topology. */
#include "ctl/policy.h"
#include "common/buf.h"

#include <string.h>

static struct hs_flow flow_new(uint8_t table, uint16_t prio, enum hs_cookie_kind kind,
                               uint32_t detail)
{
    struct hs_flow f;
    memset(&f, 0, sizeof f);
    f.table = table;
    f.priority = prio;
    f.cookie = HS_COOKIE_TAG | (uint64_t)kind << 32 | detail;
    f.actions.goto_table = 0xff;
    return f;
}

static void to_controller(struct hs_flow *f)
{
    ofp_actions_output(&f->actions, OFPP_CONTROLLER);
    f->actions.a[f->actions.n - 1].max_len = OFPCML_NO_BUFFER;
}

/* Hosts whose traffic the IPS inspects: clients and production hosts. */
static bool ips_party(const struct hs_host *h)
{
    return h->role == HS_ROLE_CLIENT || h->role == HS_ROLE_PRODUCTION;
}

/* IPS port security (table 0) and steering (table 1) on switch sw: IPv4 between clients and
 * production goes through the IPS, ARP directly, anything else is dropped. */
static void ips_flows(const struct hs_topology *t, size_t sw, struct hs_flowset *out)
{
    uint32_t ips = t->ips.port;
    struct hs_flow f;
    for (size_t i = 0; i < t->n_hosts; i++) {
        const struct hs_host *h = &t->hosts[i];
        if (!ips_party(h))
            continue;
        bool dup = false; /* a MAC listed twice (never for these roles, but be exact) */
        for (size_t j = 0; j < i && !dup; j++)
            dup = ips_party(&t->hosts[j]) && !memcmp(t->hosts[j].mac, h->mac, 6);
        if (dup)
            continue;
        f = flow_new(HS_TABLE_PORTSEC, 200, HS_CK_IPS_PORTSEC, (uint32_t)i);
        f.match.in_port = ips;
        OFP_MATCH_SET(&f.match, OFPXMT_IN_PORT);
        memcpy(f.match.eth_src, h->mac, 6);
        OFP_MATCH_SET(&f.match, OFPXMT_ETH_SRC);
        f.actions.goto_table = HS_TABLE_FWD;
        hs_flowset_add(out, &f);
    }
    f = flow_new(HS_TABLE_PORTSEC, 100, HS_CK_ANTISPOOF, ips);
    f.match.in_port = ips;
    OFP_MATCH_SET(&f.match, OFPXMT_IN_PORT);
    hs_flowset_add(out, &f); /* any other source MAC from the IPS port: drop */

    /* steering: client port -> production MAC, production port -> client MAC */
    for (size_t i = 0; i < t->n_hosts; i++) {
        const struct hs_host *from = &t->hosts[i];
        if (from->switch_index != sw || !ips_party(from))
            continue;
        enum hs_role other = from->role == HS_ROLE_CLIENT ? HS_ROLE_PRODUCTION : HS_ROLE_CLIENT;
        for (size_t j = 0; j < t->n_hosts; j++) {
            const struct hs_host *to = &t->hosts[j];
            if (to->role != other)
                continue;
            f = flow_new(HS_TABLE_FWD, HS_PRIO_STEER, HS_CK_STEER, (uint32_t)(i << 16 | j));
            f.match.in_port = from->port;
            OFP_MATCH_SET(&f.match, OFPXMT_IN_PORT);
            f.match.eth_type = HS_ETH_IPV4;
            OFP_MATCH_SET(&f.match, OFPXMT_ETH_TYPE);
            memcpy(f.match.eth_dst, to->mac, 6);
            OFP_MATCH_SET(&f.match, OFPXMT_ETH_DST);
            ofp_actions_output(&f.actions, ips);
            hs_flowset_add(out, &f);

            /* what the IPS cannot inspect (IPv6, any other EtherType) does not pass between
             * clients and production at all (fail closed); ARP goes directly */
            f = flow_new(HS_TABLE_FWD, HS_PRIO_STEER - 1, HS_CK_UNINSPECTED,
                         (uint32_t)(i << 16 | j));
            f.match.in_port = from->port;
            OFP_MATCH_SET(&f.match, OFPXMT_IN_PORT);
            memcpy(f.match.eth_dst, to->mac, 6);
            OFP_MATCH_SET(&f.match, OFPXMT_ETH_DST);
            hs_flowset_add(out, &f); /* no actions: drop */
            f = flow_new(HS_TABLE_FWD, HS_PRIO_STEER + 1, HS_CK_UNINSPECTED,
                         (uint32_t)(i << 16 | j));
            f.match.in_port = from->port;
            OFP_MATCH_SET(&f.match, OFPXMT_IN_PORT);
            f.match.eth_type = HS_ETH_ARP;
            OFP_MATCH_SET(&f.match, OFPXMT_ETH_TYPE);
            memcpy(f.match.eth_dst, to->mac, 6);
            OFP_MATCH_SET(&f.match, OFPXMT_ETH_DST);
            ofp_actions_output(&f.actions, to->port);
            hs_flowset_add(out, &f);
        }
    }
}

void policy_base_flows(const struct hs_topology *t, size_t sw, struct hs_flowset *out)
{
    struct hs_flow f;

    /* table 0: table miss -> controller (unknown ports), then per-host port security */
    f = flow_new(HS_TABLE_PORTSEC, 0, HS_CK_MISS, 0);
    to_controller(&f);
    hs_flowset_add(out, &f);

    for (size_t i = 0; i < t->n_hosts; i++) {
        const struct hs_host *h = &t->hosts[i];
        if (h->switch_index != sw)
            continue;
        if (h->role == HS_ROLE_HONEYPOT) {
            f = flow_new(HS_TABLE_PORTSEC, 1000, HS_CK_ISOLATE, h->port);
            f.match.in_port = h->port;
            OFP_MATCH_SET(&f.match, OFPXMT_IN_PORT);
            hs_flowset_add(out, &f); /* no actions: drop */
            continue;
        }
        f = flow_new(HS_TABLE_PORTSEC, 200, HS_CK_PORTSEC, h->port);
        f.match.in_port = h->port;
        OFP_MATCH_SET(&f.match, OFPXMT_IN_PORT);
        memcpy(f.match.eth_src, h->mac, 6);
        OFP_MATCH_SET(&f.match, OFPXMT_ETH_SRC);
        f.actions.goto_table = HS_TABLE_FWD;
        hs_flowset_add(out, &f);

        f = flow_new(HS_TABLE_PORTSEC, 100, HS_CK_ANTISPOOF, h->port);
        f.match.in_port = h->port;
        OFP_MATCH_SET(&f.match, OFPXMT_IN_PORT);
        hs_flowset_add(out, &f); /* spoofed source MAC: drop */
    }

    /* mode bump: the production hosts' ports lead to their bumps (honeyshift-ipsd in front of
     * each), so the plain per-port flows below already pass everything through the IPS */
    if (hs_topology_ips_steers(t, sw))
        ips_flows(t, sw, out);

    /* table 1: ARP requests to the controller; unicast by destination MAC; miss -> controller */
    f = flow_new(HS_TABLE_FWD, 0, HS_CK_MISS, 1);
    to_controller(&f);
    hs_flowset_add(out, &f);

    f = flow_new(HS_TABLE_FWD, 500, HS_CK_ARP, 0);
    f.match.eth_type = HS_ETH_ARP;
    OFP_MATCH_SET(&f.match, OFPXMT_ETH_TYPE);
    f.match.arp_op = 1;
    OFP_MATCH_SET(&f.match, OFPXMT_ARP_OP);
    to_controller(&f);
    hs_flowset_add(out, &f);

    for (size_t i = 0; i < t->n_hosts; i++) {
        const struct hs_host *h = &t->hosts[i];
        if (h->switch_index != sw || h->role == HS_ROLE_HONEYPOT)
            continue;
        f = flow_new(HS_TABLE_FWD, 100, HS_CK_FWD, h->port);
        memcpy(f.match.eth_dst, h->mac, 6);
        OFP_MATCH_SET(&f.match, OFPXMT_ETH_DST);
        ofp_actions_output(&f.actions, h->port);
        hs_flowset_add(out, &f);
    }
}

const struct hs_host *policy_host_at(const struct hs_topology *t, size_t sw, uint32_t port)
{
    for (size_t i = 0; i < t->n_hosts; i++)
        if (t->hosts[i].switch_index == sw && t->hosts[i].port == port)
            return &t->hosts[i];
    return NULL;
}

int policy_arp_reply(const struct hs_topology *t, size_t sw, uint32_t in_port,
                     const uint8_t *frame, size_t len, uint8_t reply[42])
{
    /* Ethernet (14) + ARP for IPv4 over Ethernet (28) */
    if (len < 42)
        return -1;
    if (hs_be16(frame + 12) != HS_ETH_ARP)
        return -1;
    const uint8_t *arp = frame + 14;
    if (hs_be16(arp) != 1 || hs_be16(arp + 2) != HS_ETH_IPV4 || arp[4] != 6 || arp[5] != 4)
        return -1;
    if (hs_be16(arp + 6) != 1)
        return 0; /* not a request */
    const struct hs_host *asker = policy_host_at(t, sw, in_port);
    if (!asker || asker->role == HS_ROLE_HONEYPOT)
        return 0; /* unknown or isolated port: no answer */
    uint32_t tpa = hs_be32(arp + 24);
    const struct hs_host *target = NULL;
    for (size_t i = 0; i < t->n_hosts && !target; i++)
        if (t->hosts[i].ip == tpa && t->hosts[i].role != HS_ROLE_HONEYPOT)
            target = &t->hosts[i];
    if (!target || target == asker)
        return 0;
    /* Ethernet: to the asker, from the target */
    memcpy(reply, arp + 8, 6);
    memcpy(reply + 6, target->mac, 6);
    hs_st16(reply + 12, HS_ETH_ARP);
    uint8_t *r = reply + 14;
    hs_st16(r, 1);
    hs_st16(r + 2, HS_ETH_IPV4);
    r[4] = 6;
    r[5] = 4;
    hs_st16(r + 6, 2);                 /* reply */
    memcpy(r + 8, target->mac, 6);     /* sender hardware address */
    hs_st32(r + 14, target->ip);       /* sender protocol address */
    memcpy(r + 18, arp + 8, 6);        /* target hardware = the asker */
    memcpy(r + 24, arp + 14, 4);       /* target protocol = the asker's IP */
    return 1;
}

void policy_base_flows_count(const struct hs_topology *t, size_t sw, size_t *count)
{
    struct hs_flowset fs = {0};
    policy_base_flows(t, sw, &fs);
    *count = fs.n;
    hs_flowset_free(&fs);
}

bool policy_block_allowed(const struct hs_topology *t, uint32_t attacker)
{
    if (attacker == 0 || attacker == 0xffffffffu || (attacker >> 28) == 0xe ||
        (attacker >> 24) == 127)
        return false;
    for (size_t i = 0; i < t->n_hosts; i++)
        if (t->hosts[i].ip == attacker && t->hosts[i].role != HS_ROLE_CLIENT)
            return false;
    return true;
}

size_t policy_block_flows(const struct hs_topology *t, size_t sw, uint32_t attacker,
                          struct hs_flowset *out)
{
    (void)sw; /* the same on every switch: the attacker may enter anywhere */
    size_t before = out->n;
    for (size_t i = 0; i < t->n_hosts; i++) {
        const struct hs_host *p = &t->hosts[i];
        if (p->role != HS_ROLE_PRODUCTION)
            continue;
        bool dup = false;
        for (size_t j = 0; j < i && !dup; j++)
            dup = t->hosts[j].role == HS_ROLE_PRODUCTION && t->hosts[j].ip == p->ip;
        if (dup)
            continue;
        for (int dir = 0; dir < 2; dir++) {
            struct hs_flow f = flow_new(HS_TABLE_PORTSEC, HS_PRIO_BLOCK, HS_CK_BLOCK, attacker);
            f.idle_timeout = t->ips.block_idle_timeout;
            f.hard_timeout = t->ips.block_hard_timeout;
            if (f.idle_timeout || f.hard_timeout)
                f.flags = OFPFF_SEND_FLOW_REM;
            f.match.eth_type = HS_ETH_IPV4;
            OFP_MATCH_SET(&f.match, OFPXMT_ETH_TYPE);
            f.match.ipv4_src = dir == 0 ? attacker : p->ip;
            OFP_MATCH_SET(&f.match, OFPXMT_IPV4_SRC);
            f.match.ipv4_dst = dir == 0 ? p->ip : attacker;
            OFP_MATCH_SET(&f.match, OFPXMT_IPV4_DST);
            hs_flowset_add(out, &f); /* no actions: drop */
        }
    }
    return out->n - before;
}

uint32_t policy_block_ip(const struct hs_flow *f)
{
    if ((f->cookie & HS_COOKIE_MASK) != HS_COOKIE_TAG || HS_COOKIE_KIND(f->cookie) != HS_CK_BLOCK)
        return 0;
    return HS_COOKIE_DETAIL(f->cookie);
}

struct hs_block *hs_blocklist_find(struct hs_blocklist *b, uint32_t ip)
{
    for (size_t i = 0; i < b->n; i++)
        if (b->v[i].ip == ip)
            return &b->v[i];
    return NULL;
}

struct hs_block *hs_blocklist_add(struct hs_blocklist *b, uint32_t ip, bool *is_new)
{
    struct hs_block *e = hs_blocklist_find(b, ip);
    *is_new = false;
    if (e)
        return e;
    if (b->n == HS_MAX_BLOCKS)
        return NULL;
    e = &b->v[b->n++];
    memset(e, 0, sizeof *e);
    e->ip = ip;
    *is_new = true;
    return e;
}

bool hs_blocklist_remove(struct hs_blocklist *b, uint32_t ip)
{
    struct hs_block *e = hs_blocklist_find(b, ip);
    if (!e)
        return false;
    *e = b->v[--b->n];
    return true;
}
