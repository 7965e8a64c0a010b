/* mig_flows.h - the relocation's OpenFlow rules as ovs-ofctl flow text (pure).
 *
 * All rules sit in table 0 above the controller's port security (priority 1000 and below) and
 * carry the cookie 0x4d47 KIND(16) CLIENT_IP(32): top 16 bits 0x4d47 ("MG"), never the
 * controller's 0x4853, so the controller leaves them alone. */
#ifndef HS_MIG_FLOWS_H
#define HS_MIG_FLOWS_H

#include <stdint.h>

#include "common/buf.h"

#define HS_MIG_COOKIE_TAG 0x4d47ULL
#define HS_MIG_PRIO_BLOCK 2100
#define HS_MIG_PRIO_OPEN 2200

enum hs_mig_flow_kind {
    HS_MIG_FK_DROP = 1,     /* client <-> production: drop, both ways */
    HS_MIG_FK_HP2C = 2,     /* honeypot -> client */
    HS_MIG_FK_C2HP = 3,     /* client -> honeypot */
};

/* Who is where (OpenFlow ports on one bridge; IPs in host byte order). */
struct hs_mig_flow_ctx {
    uint32_t client_ip, server_ip;
    uint32_t client_port, prod_port, hp_port;
};

/* The cookie of a kind of rule for a client. */
uint64_t hs_mig_cookie(enum hs_mig_flow_kind kind, uint32_t client_ip);
/* Lines for `ovs-ofctl add-flows BR -`: the drops both ways and honeypot -> client (installed
 * together, before the dump). */
void hs_mig_flows_block(const struct hs_mig_flow_ctx *c, struct hs_buf *out);
/* The line of client -> honeypot (after the restore). */
void hs_mig_flows_open(const struct hs_mig_flow_ctx *c, struct hs_buf *out);
/* "cookie=0x.../0x..." selecting one kind (kind != 0) or every rule (kind == 0) of a client,
 * for del-flows; out must hold 64 bytes. */
void hs_mig_flows_select(enum hs_mig_flow_kind kind, uint32_t client_ip, char out[64]);

#endif
