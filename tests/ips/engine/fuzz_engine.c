/* fuzz_engine.c - libFuzzer target: the whole engine on a sequence of Ethernet frames. Input:
 * frames, each prefixed by a 2-byte big-endian length; the first byte selects options. */
#include "ips/engine/engine.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char FUZZ_RULES[] =
    "drop http any any -> any any (msg:\"u\"; http.uri; content:\"union\"; nocase; sid:1;)\n"
    "drop http any any -> any any (msg:\"b\"; http.response_body; content:\"root:x\"; sid:2;)\n"
    "alert http any any -> any any (msg:\"h\"; http.header; content:\"evil\"; sid:3;)\n"
    "alert http any any -> any any (msg:\"r\"; http.request_body; pcre:\"/a.b/\"; sid:4;)\n"
    "alert tcp any any -> any any (msg:\"p\"; content:\"PWN\"; sid:5;)\n";

static size_t n_alerts;

static void on_alert(void *ctx, const struct ips_alert *a)
{
    (void)ctx;
    n_alerts++;
    char *s = ips_eve_alert_json(a, NULL);
    if (!s)
        abort(); /* every engine alert must be encodable */
    free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[] = "/tmp/hs_fuzz_engine.rules";
    static const char *files[] = {path};
    static int init;
    if (!init) {
        FILE *f = fopen(path, "w");
        if (!f || fputs(FUZZ_RULES, f) < 0 || fclose(f) != 0)
            abort();
        init = 1;
    }
    if (size < 1)
        return 0;
    uint8_t opt = data[0];
    data++;
    size--;
    struct ips_engine_cfg cfg;
    ips_engine_cfg_default(&cfg);
    cfg.rule_files = files;
    cfg.n_rule_files = 1;
    cfg.hash_seed = 1;
    cfg.body_limit = (opt & 1) ? 64 : 0;
    cfg.drop_truncated_requests = (opt & 2) != 0;
    cfg.on_alert = on_alert;
    char *err = NULL;
    struct ips_engine *e = ips_engine_new(&cfg, &err);
    if (!e)
        abort();
    if (opt & 4) {
        ips_engine_http_request(e, data, size, 1);
    } else {
        uint64_t now = 1000000;
        while (size >= 2) {
            size_t n = (size_t)data[0] << 8 | data[1];
            data += 2;
            size -= 2;
            if (n > size)
                n = size;
            struct ips_verdict v = ips_engine_frame(e, data, n, now);
            if (v.action == IPS_V_PASS && v.frame && v.frame_len == 0)
                abort();
            if ((v.attack || v.leak) && v.action != IPS_V_DROP)
                abort();
            data += n;
            size -= n;
            now += 1000;
        }
        ips_engine_expire(e, now + 7200ULL * 1000000);
    }
    ips_engine_free(e);
    return 0;
}
