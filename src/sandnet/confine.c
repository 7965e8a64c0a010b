/* confine.c - Sandnet's confinement flows as data (pure); see confine.h for the rule list. */
#include "sandnet/confine.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"

#define PRIO_HIGH 3100
#define PRIO_MID 3000
#define PRIO_LOW 2900
#define PRIO_FLOOR 2000

static const char *const rule_names[] = {
    [SN_R_SC_EGRESS] = "sc_egress",   [SN_R_FROM_SN] = "from_sn_only_sc",
    [SN_R_SN_TO_ADV] = "sn_to_adversary", [SN_R_FRESH] = "fresh_clone_port",
    [SN_R_MIRROR] = "ingress_mirror", [SN_R_TO_FRESH] = "to_fresh_clone",
    [SN_R_PN_ADV_DROP] = "pn_to_adversary_drop", [SN_R_SN_PORTSEC] = "sn_port_security",
    [SN_R_SN_FWD] = "sn_forward",     [SN_R_SN_HOLD] = "sn_hold",
    [SN_R_SN_DROP] = "sn_drop",       [SN_R_STATS] = "pn_pair_stats",
};

const char *sn_rule_name(enum sn_rule r)
{
    return (unsigned)r < HS_ARRAY_SIZE(rule_names) && rule_names[r] ? rule_names[r] : "?";
}

enum sn_rule sn_cookie_rule(uint64_t cookie)
{
    if ((cookie & SN_COOKIE_MASK) != SN_COOKIE_TAG)
        return 0;
    unsigned r = (unsigned)(cookie >> 32 & 0xffff);
    return r >= SN_R_SC_EGRESS && r <= SN_R_STATS ? (enum sn_rule)r : 0;
}

uint32_t sn_cookie_detail(uint64_t cookie)
{
    return (uint32_t)cookie;
}

int sn_hold_node(uint64_t cookie)
{
    if (sn_cookie_rule(cookie) != SN_R_SN_HOLD)
        return -1;
    uint32_t d = sn_cookie_detail(cookie);
    return d < SN_CONFINE_MAX_NODES ? (int)d : -1;
}

int sn_contact_node(const uint8_t *f, size_t len, const uint8_t sc_mac[6],
                    const uint8_t (*macs)[6], const uint32_t *ips, size_t n)
{
    if (len < 14)
        return -1;
    bool from_sc = memcmp(f + 6, sc_mac, 6) == 0;
    size_t l2 = 14;
    uint16_t type = (uint16_t)(f[12] << 8 | f[13]);
    if (type == 0x0806) {   /* ARP request (IPv4 over Ethernet): op at 6, target IP at 24 */
        if (!from_sc || len < l2 + 28 || f[l2 + 6] != 0 || f[l2 + 7] != 1)
            return -1;
        uint32_t tpa = (uint32_t)f[l2 + 24] << 24 | (uint32_t)f[l2 + 25] << 16
            | (uint32_t)f[l2 + 26] << 8 | f[l2 + 27];
        for (size_t i = 0; i < n; i++)
            if (ips[i] == tpa)
                return (int)i;
        return -1;
    }
    int node = -1;
    for (size_t i = 0; i < n && node < 0; i++)
        if (memcmp(f, macs[i], 6) == 0)
            node = (int)i;
    if (node < 0 || from_sc)
        return node;
    /* from a clone: only a new TCP connection (SYN without ACK) is a contact */
    if (type != 0x0800 || len < l2 + 20 || (f[l2] >> 4) != 4)
        return -1;
    size_t ihl = (size_t)(f[l2] & 0x0f) * 4;
    uint16_t frag = (uint16_t)((f[l2 + 6] & 0x1f) << 8 | f[l2 + 7]);
    if (f[l2 + 9] != 6 || ihl < 20 || frag != 0 || len < l2 + ihl + 14)
        return -1;
    uint8_t flags = f[l2 + ihl + 13];
    return (flags & 0x02) && !(flags & 0x10) ? node : -1;
}

static bool why_set(char *why, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool why_set(char *why, size_t size, const char *fmt, ...)
{
    if (why && size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, size, fmt, ap);
        va_end(ap);
    }
    return false;
}

bool sn_confine_validate(const struct sn_confine_in *in, char *why, size_t why_size)
{
    if (in->n_nodes > SN_CONFINE_MAX_NODES || in->n_ext > SN_CONFINE_MAX_EXT)
        return why_set(why, why_size, "too many nodes or external hosts");
    if (in->sc < -1 || in->sc >= (int)in->n_nodes)
        return why_set(why, why_size, "SC index %d out of range", in->sc);
    if (!in->pn_patch || !in->sn_patch || in->pn_patch > 0xfeff || in->sn_patch > 0xfeff)
        return why_set(why, why_size, "patch ports must be 1..65279");
    uint32_t ports[SN_CONFINE_MAX_NODES + SN_CONFINE_MAX_EXT + 2];
    const uint8_t *macs[SN_CONFINE_MAX_NODES + SN_CONFINE_MAX_EXT];
    size_t np = 0, nm = 0;
    ports[np++] = in->pn_patch;
    for (size_t i = 0; i < in->n_nodes; i++) {
        ports[np++] = in->nodes[i].pn_port;
        macs[nm++] = in->nodes[i].mac;
    }
    for (size_t i = 0; i < in->n_ext; i++) {
        ports[np++] = in->ext[i].port;
        macs[nm++] = in->ext[i].mac;
    }
    if (in->fresh_port)
        ports[np++] = in->fresh_port;
    for (size_t i = 0; i < np; i++) {
        if (!ports[i] || ports[i] > 0xfeff)
            return why_set(why, why_size, "port %u out of range 1..65279", ports[i]);
        for (size_t j = 0; j < i; j++)
            if (ports[i] == ports[j])
                return why_set(why, why_size, "port %u used twice on PN", ports[i]);
    }
    for (size_t i = 0; i < nm; i++) {
        if (macs[i][0] & 1)
            return why_set(why, why_size, "multicast MAC for a host");
        for (size_t j = 0; j < i; j++)
            if (!memcmp(macs[i], macs[j], 6))
                return why_set(why, why_size, "MAC used twice");
    }
    for (size_t i = 0; i < in->n_nodes; i++)
        if (in->nodes[i].pn_port == in->sn_patch && in->nodes[i].clone != SN_CLONE_NONE)
            return why_set(why, why_size, "clone port %u is SN's patch port", in->sn_patch);
    for (size_t i = 0; in->hold_port && i < in->n_nodes; i++)
        if (in->nodes[i].pn_port == in->hold_port)
            return why_set(why, why_size, "hold port %u is a clone's port", in->hold_port);
    if (in->hold_port && (in->hold_port == in->sn_patch || in->hold_port > 0xfeff))
        return why_set(why, why_size, "hold port %u is the patch or out of range", in->hold_port);
    if (in->fresh_port && in->sc < 0)
        return why_set(why, why_size, "a fresh clone without an SC");
    size_t adv = 0;
    for (size_t i = 0; i < in->n_ext; i++)
        adv += in->ext[i].adversary;
    if (adv > 1)
        return why_set(why, why_size, "more than one adversary host");
    return true;
}

bool sn_confine_redirected(const struct sn_confine_in *in, size_t i)
{
    if (i >= in->n_nodes || (int)i == in->sc || in->nodes[i].clone != SN_CLONE_READY)
        return false;
    if (in->mode == SN_MODE_INPROCESS || in->nodes[i].redirected)
        return true;
    for (size_t j = 0; j < in->n_nodes; j++)
        if ((int)j != in->sc && in->nodes[j].clone == SN_CLONE_PLANNED)
            return false;
    return true;
}

void sn_confine_commit(struct sn_confine_in *in)
{
    bool r[SN_CONFINE_MAX_NODES] = {0};
    for (size_t i = 0; i < in->n_nodes && i < SN_CONFINE_MAX_NODES; i++)
        r[i] = sn_confine_redirected(in, i);
    for (size_t i = 0; i < in->n_nodes && i < SN_CONFINE_MAX_NODES; i++)
        in->nodes[i].redirected = r[i];
}

struct builder {
    struct sn_flowlist *out;
    bool overflow;
};

static void add(struct builder *b, enum sn_bridge_id br, uint8_t table, uint16_t prio,
                enum sn_rule rule, uint32_t detail, const char *actions, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));
static void add(struct builder *b, enum sn_bridge_id br, uint8_t table, uint16_t prio,
                enum sn_rule rule, uint32_t detail, const char *actions, const char *fmt, ...)
{
    if (b->out->n >= SN_CONFINE_MAX_FLOWS) {
        b->overflow = true;
        return;
    }
    struct sn_oflow *f = &b->out->v[b->out->n];
    memset(f, 0, sizeof *f);
    f->bridge = (uint8_t)br;
    f->table = table;
    f->priority = prio;
    f->cookie = SN_COOKIE_TAG | (uint64_t)rule << 32 | detail;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(f->match, sizeof f->match, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof f->match || !hs_strlcpy(f->actions, actions, sizeof f->actions)) {
        b->overflow = true;
        return;
    }
    b->out->n++;
}

static const struct sn_ext *adversary(const struct sn_confine_in *in)
{
    for (size_t i = 0; i < in->n_ext; i++)
        if (in->ext[i].adversary)
            return &in->ext[i];
    return NULL;
}

/* A node's clone exists on SN as a port (planned or ready), SC's excluded. */
static bool on_sn(const struct sn_confine_in *in, size_t i)
{
    return (int)i != in->sc && in->nodes[i].clone != SN_CLONE_NONE;
}

static void stats_flows(const struct sn_confine_in *in, struct builder *b)
{
    for (size_t i = 0; i < in->n_nodes; i++)
        for (size_t j = 0; j < in->n_nodes; j++) {
            if (i == j)
                continue;
            char src[18], dst[18], act[32];
            hs_format_mac(in->nodes[i].mac, src);
            hs_format_mac(in->nodes[j].mac, dst);
            snprintf(act, sizeof act, "output:%u", in->nodes[j].pn_port);
            add(b, SN_BR_PN, 1, 150, SN_R_STATS, (uint32_t)(i * SN_CONFINE_MAX_NODES + j), act,
                "dl_src=%s,dl_dst=%s", src, dst);
        }
}

static void pn_flows(const struct sn_confine_in *in, struct builder *b)
{
    if (in->stats)
        stats_flows(in, b);
    if (in->sc < 0)
        return;
    const struct sn_node *sc = &in->nodes[in->sc];
    const struct sn_ext *adv = adversary(in);
    char scmac[18], scip[16], advmac[18] = "", advip[16] = "", act[64];
    hs_format_mac(sc->mac, scmac);
    hs_format_ipv4(sc->ip, scip);
    if (adv) {
        hs_format_mac(adv->mac, advmac);
        hs_format_ipv4(adv->ip, advip);
    }
    uint32_t patch = in->pn_patch;
    char to_patch[32], to_sc[32];
    snprintf(to_patch, sizeof to_patch, "output:%u", patch);
    snprintf(to_sc, sizeof to_sc, "output:%u", sc->pn_port);

    /* SC's egress: to redirected clones (and, sealed, everything) goes to SN */
    for (size_t i = 0; i < in->n_nodes; i++) {
        if (!sn_confine_redirected(in, i))
            continue;
        char mac[18], ip[16];
        hs_format_mac(in->nodes[i].mac, mac);
        hs_format_ipv4(in->nodes[i].ip, ip);
        add(b, SN_BR_PN, 0, PRIO_HIGH, SN_R_SC_EGRESS, (uint32_t)i, to_patch,
            "in_port=%u,dl_dst=%s", sc->pn_port, mac);
        add(b, SN_BR_PN, 0, PRIO_HIGH, SN_R_SC_EGRESS, (uint32_t)i, to_patch,
            "in_port=%u,arp,arp_op=1,arp_tpa=%s", sc->pn_port, ip);
    }
    if (in->sealed)
        add(b, SN_BR_PN, 0, PRIO_MID, SN_R_SC_EGRESS, 0xffff, to_patch, "in_port=%u", sc->pn_port);

    /* from SN to PN only SC is reachable; SN's answers to the adversary's host pass */
    add(b, SN_BR_PN, 0, PRIO_HIGH, SN_R_FROM_SN, 0, to_sc, "in_port=%u,dl_dst=%s", patch, scmac);
    add(b, SN_BR_PN, 0, PRIO_HIGH, SN_R_FROM_SN, 1, to_sc,
        "in_port=%u,dl_dst=ff:ff:ff:ff:ff:ff", patch);
    for (size_t i = 0; i < in->n_ext; i++) {
        if (in->ext[i].adversary)
            continue;
        char ip[16];
        hs_format_ipv4(in->ext[i].ip, ip);
        snprintf(act, sizeof act, "output:%u", in->ext[i].port);
        add(b, SN_BR_PN, 0, PRIO_HIGH + 10, SN_R_SN_TO_ADV, 2 + (uint32_t)i, act,
            "in_port=%u,arp,arp_op=1,arp_tpa=%s", patch, ip);
    }
    if (adv) {
        snprintf(act, sizeof act, "output:%u", adv->port);
        add(b, SN_BR_PN, 0, PRIO_HIGH + 10, SN_R_SN_TO_ADV, 0, act, "in_port=%u,dl_dst=%s", patch, advmac);
        add(b, SN_BR_PN, 0, PRIO_HIGH + 10, SN_R_SN_TO_ADV, 1, act,
            "in_port=%u,arp,arp_op=1,arp_tpa=%s", patch, advip);
    }
    add(b, SN_BR_PN, 0, PRIO_MID, SN_R_FROM_SN, 2, "drop", "in_port=%u", patch);

    /* the fresh clone takes SC's place for PN; PN's traffic for SC moves to it only once SC's
     * egress is sealed into SN: before that SC still talks to PN, and the answers of its PN
     * peers (a SYN-ACK in flight) must still reach it */
    if (in->fresh_port) {
        add(b, SN_BR_PN, 0, PRIO_MID, SN_R_FRESH, 0, "goto_table:1", "in_port=%u,dl_src=%s",
            in->fresh_port, scmac);
        add(b, SN_BR_PN, 0, PRIO_LOW, SN_R_FRESH, 1, "drop", "in_port=%u", in->fresh_port);
    }
    if (in->fresh_port && in->sealed) {
        snprintf(act, sizeof act, "output:%u", in->fresh_port);
        add(b, SN_BR_PN, 1, PRIO_MID, SN_R_TO_FRESH, 0, act, "dl_dst=%s", scmac);
        add(b, SN_BR_PN, 1, PRIO_MID, SN_R_TO_FRESH, 1, act, "arp,arp_op=1,arp_tpa=%s", scip);
    }

    if (!in->sealed)
        return;
    /* external ingress mirrored to SN; PN's answers to the adversary's host dropped */
    for (size_t i = 0; i < in->n_ext; i++) {
        char mac[18];
        hs_format_mac(in->ext[i].mac, mac);
        snprintf(act, sizeof act, "output:%u,goto_table:1", patch);
        add(b, SN_BR_PN, 0, PRIO_MID, SN_R_MIRROR, (uint32_t)i, act, "in_port=%u,dl_src=%s",
            in->ext[i].port, mac);
    }
    if (adv) {
        add(b, SN_BR_PN, 1, PRIO_MID, SN_R_PN_ADV_DROP, 0, "drop", "dl_dst=%s", advmac);
        add(b, SN_BR_PN, 1, PRIO_MID, SN_R_PN_ADV_DROP, 1, "drop", "arp,arp_op=1,arp_tpa=%s", advip);
    }
}

static void sn_flows(const struct sn_confine_in *in, struct builder *b)
{
    uint32_t patch = in->sn_patch;
    char act[64], to_patch[32];
    snprintf(to_patch, sizeof to_patch, "output:%u", patch);
    const char *to_fwd = "goto_table:2";

    /* table 0: port security */
    if (in->sc >= 0) {
        char scmac[18];
        hs_format_mac(in->nodes[in->sc].mac, scmac);
        add(b, SN_BR_SN, 0, PRIO_MID, SN_R_SN_PORTSEC, 0, to_fwd, "in_port=%u,dl_src=%s", patch, scmac);
        if (in->sealed)
            for (size_t i = 0; i < in->n_ext; i++) {
                char mac[18];
                hs_format_mac(in->ext[i].mac, mac);
                add(b, SN_BR_SN, 0, PRIO_MID, SN_R_SN_PORTSEC, 1 + (uint32_t)i, to_fwd,
                    "in_port=%u,dl_src=%s", patch, mac);
            }
    }
    for (size_t i = 0; i < in->n_nodes; i++) {
        if (!on_sn(in, i))
            continue;
        char mac[18];
        hs_format_mac(in->nodes[i].mac, mac);
        add(b, SN_BR_SN, 0, PRIO_MID, SN_R_SN_PORTSEC, 0x100 + (uint32_t)i, to_fwd,
            "in_port=%u,dl_src=%s", in->nodes[i].pn_port, mac);
    }
    add(b, SN_BR_SN, 0, PRIO_FLOOR, SN_R_SN_DROP, 0, "drop", "%s", "");

    /* re-injected held frames come back through the hold port */
    char hold[32] = "drop";
    if (in->hold_port) {
        snprintf(hold, sizeof hold, "output:%u", in->hold_port);
        add(b, SN_BR_SN, 0, PRIO_MID, SN_R_SN_PORTSEC, 0x300, to_fwd, "in_port=%u", in->hold_port);
    }

    /* table 2: forwarding among clones, holds, SC and the adversary via the patch */
    for (size_t i = 0; i < in->n_nodes; i++) {
        if ((int)i == in->sc)
            continue;
        char mac[18], ip[16];
        hs_format_mac(in->nodes[i].mac, mac);
        hs_format_ipv4(in->nodes[i].ip, ip);
        if (sn_confine_redirected(in, i) || (in->sc < 0 && in->nodes[i].clone == SN_CLONE_READY)) {
            snprintf(act, sizeof act, "output:%u", in->nodes[i].pn_port);
            add(b, SN_BR_SN, SN_TABLE_SNFWD, PRIO_MID, SN_R_SN_FWD, (uint32_t)i, act, "dl_dst=%s", mac);
            add(b, SN_BR_SN, SN_TABLE_SNFWD, PRIO_MID, SN_R_SN_FWD, (uint32_t)i, act,
                "arp,arp_op=1,arp_tpa=%s", ip);
        } else {
            /* a contact (detail i): SC's frames (through the patch), or a clone opening a new
             * TCP connection; a restored clone's retransmissions on connections it inherited
             * from its original (its peer was not cloned with it) are held but are no contact
             * (detail SN_HOLD_QUIET + i): they are not the adversary's doing */
            add(b, SN_BR_SN, SN_TABLE_SNFWD, PRIO_MID + 1, SN_R_SN_HOLD, (uint32_t)i, hold,
                "in_port=%u,dl_dst=%s", patch, mac);
            add(b, SN_BR_SN, SN_TABLE_SNFWD, PRIO_MID + 1, SN_R_SN_HOLD, (uint32_t)i, hold,
                "in_port=%u,arp,arp_op=1,arp_tpa=%s", patch, ip);
            add(b, SN_BR_SN, SN_TABLE_SNFWD, PRIO_MID + 1, SN_R_SN_HOLD, (uint32_t)i, hold,
                "tcp,tcp_flags=+syn-ack,dl_dst=%s", mac);
            add(b, SN_BR_SN, SN_TABLE_SNFWD, PRIO_MID, SN_R_SN_HOLD, SN_HOLD_QUIET + (uint32_t)i, hold,
                "dl_dst=%s", mac);
            add(b, SN_BR_SN, SN_TABLE_SNFWD, PRIO_MID, SN_R_SN_HOLD, SN_HOLD_QUIET + (uint32_t)i, hold,
                "arp,arp_op=1,arp_tpa=%s", ip);
        }
    }
    const struct sn_ext *adv = adversary(in);
    const uint8_t *outs[2] = {in->sc >= 0 ? in->nodes[in->sc].mac : NULL, adv ? adv->mac : NULL};
    const uint32_t out_ips[2] = {in->sc >= 0 ? in->nodes[in->sc].ip : 0, adv ? adv->ip : 0};
    for (size_t k = 0; k < 2; k++) {
        if (!outs[k])
            continue;
        char mac[18], ip[16];
        hs_format_mac(outs[k], mac);
        hs_format_ipv4(out_ips[k], ip);
        /* mirrored ingress meant for SC came in through the patch: send it back out there */
        add(b, SN_BR_SN, SN_TABLE_SNFWD, PRIO_HIGH, SN_R_SN_FWD, 0x200 + (uint32_t)k, "in_port",
            "in_port=%u,dl_dst=%s", patch, mac);
        add(b, SN_BR_SN, SN_TABLE_SNFWD, PRIO_MID, SN_R_SN_FWD, 0x200 + (uint32_t)k, to_patch,
            "dl_dst=%s", mac);
        add(b, SN_BR_SN, SN_TABLE_SNFWD, PRIO_HIGH, SN_R_SN_FWD, 0x200 + (uint32_t)k, "in_port",
            "in_port=%u,arp,arp_op=1,arp_tpa=%s", patch, ip);
        add(b, SN_BR_SN, SN_TABLE_SNFWD, PRIO_MID, SN_R_SN_FWD, 0x200 + (uint32_t)k, to_patch,
            "arp,arp_op=1,arp_tpa=%s", ip);
    }
    for (size_t i = 0; i < in->n_ext; i++) {
        if (in->ext[i].adversary || in->sc < 0)
            continue;
        char ip[16];
        hs_format_ipv4(in->ext[i].ip, ip);
        add(b, SN_BR_SN, SN_TABLE_SNFWD, PRIO_HIGH, SN_R_SN_FWD, 0x300 + (uint32_t)i, "in_port",
            "in_port=%u,arp,arp_op=1,arp_tpa=%s", patch, ip);
        add(b, SN_BR_SN, SN_TABLE_SNFWD, PRIO_MID, SN_R_SN_FWD, 0x300 + (uint32_t)i, to_patch,
            "arp,arp_op=1,arp_tpa=%s", ip);
    }
    add(b, SN_BR_SN, SN_TABLE_SNFWD, PRIO_FLOOR, SN_R_SN_DROP, 1, "drop", "%s", "");
}

bool sn_confine_flows(const struct sn_confine_in *in, struct sn_flowlist *out)
{
    out->n = 0;
    if (!sn_confine_validate(in, NULL, 0))
        return false;
    struct builder b = {out, false};
    pn_flows(in, &b);
    sn_flows(in, &b);
    return !b.overflow;
}

char *sn_flows_render(const struct sn_flowlist *fl, enum sn_bridge_id br)
{
    size_t cap = 128 + fl->n * 420, len = 0;
    char *s = malloc(cap);
    if (!s)
        return NULL;
    int n = snprintf(s, cap, "delete cookie=0x%016llx/0x%016llx\n",
                     (unsigned long long)SN_COOKIE_TAG, (unsigned long long)SN_COOKIE_MASK);
    if (n < 0 || (size_t)n >= cap) {
        free(s);
        return NULL;
    }
    len = (size_t)n;
    for (size_t i = 0; i < fl->n; i++) {
        const struct sn_oflow *f = &fl->v[i];
        if (f->bridge != br)
            continue;
        n = snprintf(s + len, cap - len, "add table=%u,priority=%u,cookie=0x%016llx%s%s,actions=%s\n",
                     f->table, f->priority, (unsigned long long)f->cookie, f->match[0] ? "," : "",
                     f->match, f->actions);
        if (n < 0 || (size_t)n >= cap - len) {
            free(s);
            return NULL;
        }
        len += (size_t)n;
    }
    return s;
}

static bool same_key(const struct sn_oflow *a, const struct sn_oflow *b)
{
    return a->bridge == b->bridge && a->table == b->table && a->priority == b->priority
        && !strcmp(a->match, b->match);
}

char *sn_flows_render_diff(const struct sn_flowlist *prev, const struct sn_flowlist *next,
                           enum sn_bridge_id br, bool *empty)
{
    *empty = false;
    if (!prev)
        return sn_flows_render(next, br);
    size_t cap = 64 + (prev->n + next->n) * 420, len = 0;
    char *s = malloc(cap);
    if (!s)
        return NULL;
    s[0] = '\0';
    for (size_t i = 0; i < prev->n; i++) {   /* gone: delete exactly that flow of ours */
        const struct sn_oflow *f = &prev->v[i];
        bool kept = false;
        for (size_t j = 0; f->bridge == br && !kept && j < next->n; j++)
            kept = same_key(f, &next->v[j]);
        if (f->bridge != br || kept)
            continue;
        int n = snprintf(s + len, cap - len,
                         "delete_strict table=%u,priority=%u,cookie=0x%016llx/0xffffffffffffffff%s%s\n",
                         f->table, f->priority, (unsigned long long)f->cookie, f->match[0] ? "," : "",
                         f->match);
        if (n < 0 || (size_t)n >= cap - len) {
            free(s);
            return NULL;
        }
        len += (size_t)n;
    }
    for (size_t i = 0; i < next->n; i++) {   /* new or changed: add (replaces the same match) */
        const struct sn_oflow *f = &next->v[i];
        bool same = false;
        for (size_t j = 0; f->bridge == br && !same && j < prev->n; j++)
            same = same_key(f, &prev->v[j]) && f->cookie == prev->v[j].cookie
                && !strcmp(f->actions, prev->v[j].actions);
        if (f->bridge != br || same)
            continue;
        int n = snprintf(s + len, cap - len, "add table=%u,priority=%u,cookie=0x%016llx%s%s,actions=%s\n",
                         f->table, f->priority, (unsigned long long)f->cookie, f->match[0] ? "," : "",
                         f->match, f->actions);
        if (n < 0 || (size_t)n >= cap - len) {
            free(s);
            return NULL;
        }
        len += (size_t)n;
    }
    *empty = len == 0;
    return s;
}

/* Parse an unsigned number (hex with 0x, else decimal) at p..end; false when none or overflow. */
static bool parse_num(const char *p, const char *end, uint64_t *out)
{
    unsigned base = 10;
    if (end - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    }
    uint64_t v = 0;
    const char *start = p;
    for (; p < end; p++) {
        unsigned d;
        if (*p >= '0' && *p <= '9')
            d = (unsigned)(*p - '0');
        else if (base == 16 && *p >= 'a' && *p <= 'f')
            d = (unsigned)(*p - 'a' + 10);
        else if (base == 16 && *p >= 'A' && *p <= 'F')
            d = (unsigned)(*p - 'A' + 10);
        else
            break;
        if (v > (UINT64_MAX - d) / base)
            return false;
        v = v * base + d;
    }
    *out = v;
    return p > start;
}

/* Value of "key=" inside line[0..len) (up to ',' or ' '); false when absent or malformed. */
static bool line_value(const char *line, size_t len, const char *key, uint64_t *out)
{
    size_t kl = strlen(key);
    for (size_t i = 0; i + kl <= len; i++) {
        if ((i == 0 || line[i - 1] == ' ' || line[i - 1] == ',') && !memcmp(line + i, key, kl)) {
            const char *v = line + i + kl, *end = v;
            while (end < line + len && *end != ',' && *end != ' ')
                end++;
            return parse_num(v, end, out);
        }
    }
    return false;
}

bool sn_dump_counts(const char *text, size_t len, enum sn_rule rule, uint64_t *packets,
                    uint64_t *bytes, size_t n)
{
    if (packets)
        memset(packets, 0, sizeof(uint64_t) * n);
    if (bytes)
        memset(bytes, 0, sizeof(uint64_t) * n);
    size_t pos = 0;
    while (pos < len) {
        const char *line = text + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t ll = nl ? (size_t)(nl - line) : len - pos;
        pos += ll + 1;
        uint64_t cookie, p, by;
        if (!line_value(line, ll, "cookie=", &cookie) || sn_cookie_rule(cookie) != rule)
            continue;   /* header, other text, other flows */
        uint32_t d = sn_cookie_detail(cookie);
        if (d >= n)
            continue;
        if (!line_value(line, ll, "n_packets=", &p) || !line_value(line, ll, "n_bytes=", &by))
            return false;
        if ((packets && packets[d] > UINT64_MAX - p) || (bytes && bytes[d] > UINT64_MAX - by))
            return false;
        if (packets)
            packets[d] += p;
        if (bytes)
            bytes[d] += by;
    }
    return true;
}

bool sn_dump_hold_counts(const char *text, size_t len, uint64_t counts[SN_CONFINE_MAX_NODES])
{
    return sn_dump_counts(text, len, SN_R_SN_HOLD, counts, NULL, SN_CONFINE_MAX_NODES);
}
