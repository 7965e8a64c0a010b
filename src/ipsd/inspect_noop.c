/* inspect_noop.c - the pass-everything inspector, and the counting wrapper. */
#include "ipsd/inspect.h"

#include <string.h>

static void noop_inspect(void *ctx, const uint8_t *frame, size_t len, uint64_t now_us,
                         struct ipsd_verdict *v)
{
    (void)ctx;
    (void)now_us;
    v->action = IPSD_PASS;
    v->frame = frame;
    v->len = len;
}

static void noop_expire(void *ctx, uint64_t now_us)
{
    (void)ctx;
    (void)now_us;
}

static void noop_free(void *ctx) { (void)ctx; }

void ipsd_inspector_noop(struct ipsd_inspector *out)
{
    memset(out, 0, sizeof *out);
    out->name = "noop";
    out->inspect = noop_inspect;
    out->expire = noop_expire;
    out->free = noop_free;
}

void ipsd_inspect(struct ipsd_inspector *in, const uint8_t *frame, size_t len, uint64_t now_us,
                  struct ipsd_verdict *v)
{
    memset(v, 0, sizeof *v);
    in->inspect(in->ctx, frame, len, now_us, v);
    in->st.frames++;
    if (v->action == IPSD_PASS)
        in->st.passed++;
    else if (v->action == IPSD_DROP)
        in->st.dropped++;
    else
        in->st.held++;
    if (v->attack)
        in->st.attacks++;
}
