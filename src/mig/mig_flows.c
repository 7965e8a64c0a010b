/* mig_flows.c - flow text for ovs-ofctl (pure). */
#include "mig/mig_flows.h"
#include "common/util.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

uint64_t hs_mig_cookie(enum hs_mig_flow_kind kind, uint32_t client_ip)
{
    return HS_MIG_COOKIE_TAG << 48 | (uint64_t)(kind & 0xffff) << 32 | client_ip;
}

static void line(struct hs_buf *out, enum hs_mig_flow_kind k, uint32_t ip_cookie, unsigned prio,
                 uint32_t in_port, uint32_t src, uint32_t dst, const char *actions)
{
    char s[16], d[16], l[256];
    hs_format_ipv4(src, s);
    hs_format_ipv4(dst, d);
    int n = snprintf(l, sizeof l,
                     "table=0,priority=%u,cookie=0x%016" PRIx64 ",ip,in_port=%u,nw_src=%s,"
                     "nw_dst=%s,actions=%s\n",
                     prio, hs_mig_cookie(k, ip_cookie), (unsigned)in_port, s, d, actions);
    if (n > 0 && (size_t)n < sizeof l)
        hs_buf_put(out, l, (size_t)n);
}

void hs_mig_flows_block(const struct hs_mig_flow_ctx *c, struct hs_buf *out)
{
    char act[32];
    line(out, HS_MIG_FK_DROP, c->client_ip, HS_MIG_PRIO_BLOCK, c->client_port, c->client_ip,
         c->server_ip, "drop");
    line(out, HS_MIG_FK_DROP, c->client_ip, HS_MIG_PRIO_BLOCK, c->prod_port, c->server_ip,
         c->client_ip, "drop");
    snprintf(act, sizeof act, "output:%u", (unsigned)c->client_port);
    line(out, HS_MIG_FK_HP2C, c->client_ip, HS_MIG_PRIO_BLOCK, c->hp_port, c->server_ip,
         c->client_ip, act);
}

void hs_mig_flows_open(const struct hs_mig_flow_ctx *c, struct hs_buf *out)
{
    char act[32];
    snprintf(act, sizeof act, "output:%u", (unsigned)c->hp_port);
    line(out, HS_MIG_FK_C2HP, c->client_ip, HS_MIG_PRIO_OPEN, c->client_port, c->client_ip,
         c->server_ip, act);
}

void hs_mig_flows_select(enum hs_mig_flow_kind kind, uint32_t client_ip, char out[64])
{
    uint64_t mask = kind ? UINT64_MAX : 0xffff0000ffffffffULL;
    snprintf(out, 64, "cookie=0x%016" PRIx64 "/0x%016" PRIx64, hs_mig_cookie(kind, client_ip),
             mask);
}
