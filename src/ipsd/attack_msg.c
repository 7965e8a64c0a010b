/* attack_msg.c - JSON of the attack report (jansson). */
#include "ipsd/attack_msg.h"
#include "common/util.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* Signature text as printable ASCII (rules may carry any bytes), at most 200 chars. */
static void clean(const char *in, char out[201])
{
    size_t n = 0;
    for (const char *p = in ? in : ""; *p && n < 200; p++)
        out[n++] = (*p >= 0x20 && *p < 0x7f) ? *p : '?';
    out[n] = '\0';
}

char *ipsd_attack_request(const struct ipsd_attack *a)
{
    char att[16], srv[16], msg[201];
    hs_format_ipv4(a->attacker, att);
    hs_format_ipv4(a->server, srv);
    clean(a->msg, msg);
    json_t *o = json_pack("{s:s, s:s, s:I, s:s, s:I, s:I, s:I, s:s}", "cmd", "attack", "attacker",
                          att, "port", (json_int_t)a->attacker_port, "server", srv,
                          "server_port", (json_int_t)a->server_port, "sid", (json_int_t)a->sid,
                          "flow_id", (json_int_t)(a->flow_id & 0x7fffffffffffffffull), "msg",
                          msg);
    if (!o)
        return NULL;
    json_object_set_new(o, "frame_us", json_integer((json_int_t)(a->frame_us & INT64_MAX)));
    json_object_set_new(o, "verdict_us", json_integer((json_int_t)(a->verdict_us & INT64_MAX)));
    json_t *fr = json_array();
    size_t bytes = 0;
    static const char hx[] = "0123456789abcdef";
    for (size_t i = 0; fr && i < a->n_frames && i < IPSD_ATTACK_MAX_FRAMES; i++) {
        const struct ipsd_held_frame *f = &a->frames[i];
        if (!f->len || f->len > IPSD_ATTACK_MAX_BYTES - bytes)
            break;
        bytes += f->len;
        char *h = xmalloc(2 * f->len + 1);
        for (size_t k = 0; k < f->len; k++) {
            h[2 * k] = hx[f->data[k] >> 4];
            h[2 * k + 1] = hx[f->data[k] & 15];
        }
        h[2 * f->len] = '\0';
        json_array_append_new(fr, json_string(h));
        free(h);
    }
    if (fr)
        json_object_set_new(o, "frames", fr);
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    return s;
}

bool ipsd_attack_answer_ok(const char *answer, char *why, size_t why_size)
{
    json_error_t e;
    json_t *o = json_loads(answer ? answer : "", 0, &e);
    if (!o || !json_is_object(o)) {
        snprintf(why, why_size, "answer is not a JSON object");
        json_decref(o);
        return false;
    }
    bool ok = json_is_true(json_object_get(o, "ok"));
    if (!ok) {
        const char *err = json_string_value(json_object_get(o, "error"));
        snprintf(why, why_size, "%s", err ? err : "controller said no");
    }
    json_decref(o);
    return ok;
}
