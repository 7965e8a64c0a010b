/* fuzz_ofctl_dump.c - libFuzzer target for the parsers of tool output the Sandnet experiment
 * reads: `ovs-ofctl dump-flows` counters, and arp-scan / nmap addresses. */
#include <stddef.h>
#include <stdint.h>

#include "sandnet/confine.h"
#include "sandnet/scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint64_t counts[SN_CONFINE_MAX_NODES];
    (void)sn_dump_hold_counts((const char *)data, size, counts);
    uint64_t pk[64], by[64];
    (void)sn_dump_counts((const char *)data, size, SN_R_STATS, pk, by, 64);
    static struct sn_addrset set;
    (void)sn_scan_collect((const char *)data, size, true, &set);
    (void)sn_scan_collect((const char *)data, size, false, &set);
    return 0;
}
