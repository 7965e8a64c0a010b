/* fuzz_contact_frame.c - libFuzzer target for the hold port's frame classifier
 * (sn_contact_node): any bytes as a captured Ethernet frame. */
#include <stddef.h>
#include <stdint.h>

#include "sandnet/confine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t sc[6] = {2, 0x68, 0x73, 0x6e, 0, 0x0b};
    static const uint8_t macs[3][6] = {{2, 0x68, 0x73, 0x6e, 0, 0x0b}, {2, 0x68, 0x73, 0x6e, 0, 0x0c},
                                       {2, 0x68, 0x73, 0x6e, 0, 0x0d}};
    static const uint32_t ips[3] = {0xc612400b, 0xc612400c, 0xc612400d};
    int n = sn_contact_node(data, size, sc, macs, ips, 3);
    /* a contact is one of the nodes, never anything else */
    if (n < -1 || n >= 3)
        __builtin_trap();
    return 0;
}
