/* fuzz_bench_eve.c - the lines `honeyshift bench` reads from outside: EVE relocation events,
 * the attacker program's JSON lines and the benign client's sample lines. The first byte
 * selects the parser (0 EVE, 1 attacker, 2 sample). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bench/bench_eve.h"
#include "bench/bench_stats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t mode = data[0] % 3;
    const char *s = (const char *)data + 1;
    size_t n = size - 1;
    char err[256];
    if (mode == 0) {
        struct hs_bench_reloc_event ev;
        int r = hs_bench_eve_parse(s, n, &ev, err, sizeof err);
        if (r == 1) {
            if (strlen(ev.src_ip) >= sizeof ev.src_ip || strlen(ev.reason) >= sizeof ev.reason ||
                !ev.src_ip[0] || !ev.outcome[0])
                __builtin_trap();
            for (int i = 0; i < HS_BT_COUNT; i++)
                if (ev.has_timing[i] && !(ev.timing[i] >= 0))
                    __builtin_trap();
        } else if (r != 0 && r != -1) {
            __builtin_trap();
        }
    } else if (mode == 1) {
        struct hs_bench_att a;
        if (hs_bench_att_parse(s, n, &a, err, sizeof err) == 0 &&
            (a.port == 0 || a.status < 0 || a.status > 999))
            __builtin_trap();
    } else {
        struct hs_bench_sample x;
        if (hs_bench_sample_parse(s, n, &x) == 0 && !(x.t >= 0 && x.lat_ms >= 0))
            __builtin_trap();
    }
    return 0;
}
