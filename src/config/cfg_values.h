/* cfg_values.h - internal: pure syntax of topology values (names, integers, addresses). */
#ifndef HS_CONFIG_CFG_VALUES_H
#define HS_CONFIG_CFG_VALUES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True for a non-empty [a-z0-9][a-z0-9-]* name (length is checked by the caller). */
bool cfg_valid_name(const char *s);
/* Unsigned integer: decimal without leading zeros, or 0x/0X hex; no sign, no spaces. False on
 * a syntax error or overflow of 64 bits. */
bool cfg_parse_uint(const char *s, uint64_t *out);
/* "A.B.C.D/N" with N 0..32 (decimal, no leading zeros); address in host byte order. */
bool cfg_parse_cidr(const char *s, uint32_t *ip, uint8_t *prefix);
/* "A.B.C.D:PORT" with PORT 1..65535; the address is copied to addr[addr_size]. */
bool cfg_parse_listen(const char *s, char *addr, size_t addr_size, uint16_t *port);
/* True when mac is a usable unicast host address (I/G bit clear, not all zero). */
bool cfg_mac_is_unicast(const uint8_t mac[6]);
/* True when ip lies in the lab range 198.18.0.0/15. */
bool cfg_ip_in_lab_range(uint32_t ip);
/* Network mask for a prefix length 0..32. */
uint32_t cfg_prefix_mask(unsigned prefix);

#endif
