/* inspect_bump.c - the EtherType guard of a bump in the wire (honeyshift-ipsd --peer). */
#include "ipsd/inspect.h"
#include "common/buf.h"
#include "common/util.h"

#include <stdlib.h>

#define ETH_ARP 0x0806
#define ETH_IPV4 0x0800

struct bump_guard {
    struct ipsd_inspector inner;    /* the wrapped inspector (its own counters unused) */
};

static void guard_inspect(void *ctx, const uint8_t *frame, size_t len, uint64_t now_us,
                          struct ipsd_verdict *v)
{
    struct bump_guard *g = ctx;
    uint16_t type = len >= 14 ? hs_be16(frame + 12) : 0;
    if (type == ETH_IPV4) {
        g->inner.inspect(g->inner.ctx, frame, len, now_us, v);
        return;
    }
    v->frame = frame;
    v->len = len;
    if (type == ETH_ARP) {
        v->action = IPSD_PASS;  /* address resolution must cross; it carries no payload */
        return;
    }
    /* IPv6, LLDP, anything else the inspector does not understand: never uninspected (a VLAN
     * tag never shows here: the kernel strips it before AF_PACKET) */
    v->action = IPSD_DROP;
    v->reason = "bump: EtherType neither IPv4 nor ARP";
}

static void guard_expire(void *ctx, uint64_t now_us)
{
    struct bump_guard *g = ctx;
    g->inner.expire(g->inner.ctx, now_us);
}

static void guard_free(void *ctx)
{
    struct bump_guard *g = ctx;
    g->inner.free(g->inner.ctx);
    free(g);
}

void ipsd_inspector_bump_guard(struct ipsd_inspector *in)
{
    struct bump_guard *g = xcalloc(1, sizeof *g);
    g->inner = *in;
    /* *in keeps its name and counters: the engine counts alerts and leaks into the inspector
     * it was created in, which is *in, the one the daemon reports */
    in->ctx = g;
    in->inspect = guard_inspect;
    in->expire = guard_expire;
    in->free = guard_free;
}
