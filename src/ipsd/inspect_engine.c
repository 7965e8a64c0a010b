/* inspect_engine.c - the IPS engine behind the inspector interface; EVE alert lines. */
#include "ipsd/inspect.h"
#include "common/log.h"
#include "common/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef HS_HAVE_IPS_ENGINE
#include "ips/engine/engine.h"

struct eng {
    struct ips_engine *e;
    FILE *eve;
    struct ipsd_inspector *self;
    /* the last blocking ingress alert of the frame being inspected */
    bool have_alert;
    uint32_t sid;
    char msg[160];
};

static void on_alert(void *ctx, const struct ips_alert *a)
{
    struct eng *g = ctx;
    g->self->st.alerts++;
    if (g->eve) {
        char *line = ips_eve_alert_json(a, NULL);
        if (line) {
            if (fprintf(g->eve, "%s\n", line) < 0 || fflush(g->eve) != 0)
                LOG_WARN("cannot write an EVE line");
            free(line);
        } else {
            LOG_WARN("alert sid %u could not be formatted as EVE JSON", a->sid);
        }
    }
    if (a->to_server && (!g->have_alert || a->sid)) {
        g->have_alert = true;
        g->sid = a->sid;
        hs_strlcpy(g->msg, a->msg ? a->msg : "", sizeof g->msg); /* cut: for logs only */
    }
}

static void eng_inspect(void *ctx, const uint8_t *frame, size_t len, uint64_t now_us,
                        struct ipsd_verdict *v)
{
    struct eng *g = ctx;
    g->have_alert = false;
    struct ips_verdict r = ips_engine_frame(g->e, frame, len, now_us);
    v->action = r.action == IPS_V_PASS ? IPSD_PASS : r.action == IPS_V_DROP ? IPSD_DROP
                                                                             : IPSD_HOLD;
    v->frame = r.frame ? r.frame : frame;
    v->len = r.frame ? r.frame_len : len;
    v->attack = r.attack;
    v->attacker = r.attacker_ip;
    v->attacker_port = r.attacker_port;
    v->server = r.server_ip;
    v->server_port = r.server_port;
    v->flow_id = r.flow_id;
    v->reason = r.reason;
    if (r.leak)
        g->self->st.leaks++;
    if (g->have_alert) {
        v->sid = g->sid;
        hs_strlcpy(v->msg, g->msg, sizeof v->msg);
    }
}

static void eng_expire(void *ctx, uint64_t now_us)
{
    struct eng *g = ctx;
    ips_engine_expire(g->e, now_us);
}

static void eng_free(void *ctx)
{
    struct eng *g = ctx;
    ips_engine_free(g->e);
    free(g);
}

bool ipsd_have_engine(void) { return true; }

int ipsd_inspector_engine(struct ipsd_inspector *out, const struct ipsd_inspect_cfg *cfg,
                          char *err, size_t err_size)
{
    memset(out, 0, sizeof *out);
    struct eng *g = xcalloc(1, sizeof *g);
    g->eve = cfg->eve;
    g->self = out;
    struct ips_engine_cfg ec;
    ips_engine_cfg_default(&ec);
    const char *files[HS_IPS_MAX_RULE_FILES];
    const struct hs_ips_cfg *ips = &cfg->topo->ips;
    for (size_t i = 0; i < ips->n_rule_files; i++)
        files[i] = ips->rule_files[i];
    if (ips->n_rule_files) {
        ec.rule_files = files;
        ec.n_rule_files = ips->n_rule_files;
    }
    ec.on_alert = on_alert;
    ec.ctx = g;
    char *e = NULL;
    g->e = ips_engine_new(&ec, &e);
    if (!g->e) {
        snprintf(err, err_size, "rules: %s", e ? e : "engine could not be created");
        free(e);
        free(g);
        return -1;
    }
    out->name = "engine";
    out->ctx = g;
    out->inspect = eng_inspect;
    out->expire = eng_expire;
    out->free = eng_free;
    return 0;
}

#else

bool ipsd_have_engine(void) { return false; }

int ipsd_inspector_engine(struct ipsd_inspector *out, const struct ipsd_inspect_cfg *cfg,
                          char *err, size_t err_size)
{
    (void)cfg;
    memset(out, 0, sizeof *out);
    snprintf(err, err_size, "this build has no IPS engine (src/ips/engine was not built); "
             "only --inspector noop is available");
    return -1;
}

#endif
