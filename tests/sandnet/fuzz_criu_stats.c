/* fuzz_criu_stats.c - libFuzzer target for the CRIU stats image decoder. */
#include <stddef.h>
#include <stdint.h>

#include "sandnet/criu_stats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sn_criu_stats s;
    if (sn_criu_stats_parse(data, size, &s) && s.has_dump && s.frozen_time > UINT32_MAX * 2ull) {
        /* fields are uint32 in the proto but decoded as 64-bit varints: must not crash */
        return 0;
    }
    return 0;
}
