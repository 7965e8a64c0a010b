/* fuzz_sandnet_watch.c - libFuzzer target for the EVE alert judge of `honeyshift sandnet watch`
 * (sandnet/watch.h): any line, against the lab's real container list. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sandnet/sandlab.h"
#include "sandnet/watch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct sn_confine_in in;
    static int ready;
    if (!ready)
        ready = sn_lab_confine_init(2, &in) ? 1 : -1;
    if (ready < 0)
        return 0;
    struct sn_watch_hit hit;
    enum sn_watch_verdict v = sn_watch_judge(&in, (const char *)data, size, 2, &hit);
    if (v == SN_WATCH_SUSPECT && (hit.node < 0 || (size_t)hit.node >= in.n_nodes))
        __builtin_trap();
    if (memchr(hit.signature, '\0', sizeof hit.signature) == NULL)
        __builtin_trap();
    return 0;
}
