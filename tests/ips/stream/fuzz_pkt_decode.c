/* fuzz_pkt_decode.c - libFuzzer target: the decoder on arbitrary frames. */
#include "ips/stream/pkt_decode.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *copy = malloc(size ? size : 1); /* exact size: overreads are caught */
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    struct pkt p;
    enum pkt_err e = pkt_decode_eth(copy, size, &p);
    if ((unsigned)e >= PKT_ERR__COUNT || !pkt_err_name(e))
        abort();
    if (e == PKT_OK && p.ethertype == PKT_ETHERTYPE_IPV4) {
        const uint8_t *end = copy + size;
        if (p.ip + p.ip_len > end || p.payload + p.payload_len > end || p.l4 + p.l4_len > end ||
            p.ip_hlen < 20 || p.ip_hlen > p.ip_len)
            abort();
        volatile uint8_t sink = 0;
        for (size_t i = 0; i < p.payload_len; i++)
            sink ^= p.payload[i];
        (void)sink;
        (void)pkt_ipv4_csum_ok(&p);
        (void)pkt_l4_csum_ok(&p);
    }
    free(copy);
    return 0;
}
