/* cfg_values.c - pure syntax of topology values (names, integers, addresses). */
#include "config/cfg_values.h"

#include "common/util.h"

#include <string.h>

bool cfg_valid_name(const char *s)
{
    if (!s || !*s)
        return false;
    for (const char *p = s; *p; p++) {
        bool ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || (*p == '-' && p != s);
        if (!ok)
            return false;
    }
    return true;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool cfg_parse_uint(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    if (!s || !*s)
        return false;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        const char *p = s + 2;
        if (!*p)
            return false;
        for (; *p; p++) {
            int d = hex_digit(*p);
            if (d < 0 || v > (UINT64_MAX >> 4))
                return false;
            v = v << 4 | (uint64_t)d;
        }
    } else {
        if (s[0] == '0' && s[1] != '\0')
            return false; /* leading zero: octal in YAML 1.1, decimal elsewhere; refuse */
        for (const char *p = s; *p; p++) {
            if (*p < '0' || *p > '9')
                return false;
            uint64_t d = (uint64_t)(*p - '0');
            if (v > (UINT64_MAX - d) / 10)
                return false;
            v = v * 10 + d;
        }
    }
    *out = v;
    return true;
}

bool cfg_parse_cidr(const char *s, uint32_t *ip, uint8_t *prefix)
{
    const char *slash = strchr(s, '/');
    char addr[16];
    uint64_t n;
    if (!slash || (size_t)(slash - s) >= sizeof addr)
        return false;
    memcpy(addr, s, (size_t)(slash - s));
    addr[slash - s] = '\0';
    if (!hs_parse_ipv4(addr, ip))
        return false;
    const char *p = slash + 1;
    size_t plen = strlen(p);
    if (plen < 1 || plen > 2 || strspn(p, "0123456789") != plen)
        return false; /* one or two decimal digits */
    if (!cfg_parse_uint(p, &n) || n > 32)
        return false;
    *prefix = (uint8_t)n;
    return true;
}

bool cfg_parse_listen(const char *s, char *addr, size_t addr_size, uint16_t *port)
{
    const char *colon = strrchr(s, ':');
    char a[16];
    uint32_t ip;
    uint64_t n;
    if (!colon || (size_t)(colon - s) >= sizeof a)
        return false;
    memcpy(a, s, (size_t)(colon - s));
    a[colon - s] = '\0';
    if (!hs_parse_ipv4(a, &ip) || !cfg_parse_uint(colon + 1, &n) || n < 1 || n > 65535)
        return false;
    if (!hs_strlcpy(addr, a, addr_size))
        return false;
    *port = (uint16_t)n;
    return true;
}

bool cfg_mac_is_unicast(const uint8_t mac[6])
{
    static const uint8_t zero[6];
    return (mac[0] & 1) == 0 && memcmp(mac, zero, 6) != 0;
}

bool cfg_ip_in_lab_range(uint32_t ip) { return (ip & 0xfffe0000u) == 0xc6120000u; }

uint32_t cfg_prefix_mask(unsigned prefix)
{
    return prefix == 0 ? 0 : prefix >= 32 ? 0xffffffffu : ~(0xffffffffu >> prefix);
}
