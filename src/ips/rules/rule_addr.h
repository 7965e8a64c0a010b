/* rule_addr.h - address and port sets of a rule header: any, IPv4 CIDR / port ranges, negation
 * '!', lists '[a,b]' (nestable) and variables '$NAME'. Pure. */
#ifndef HS_IPS_RULE_ADDR_H
#define HS_IPS_RULE_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ips_vars;

/* Expression tree. A list matches when (it has no positive member or one of them matches) and
 * no negated member matches; 'neg' on a node outside a list inverts it. */
enum ips_set_kind { IPS_SET_ANY, IPS_SET_RANGE, IPS_SET_LIST };
struct ips_set {
    enum ips_set_kind kind;
    bool neg;
    uint32_t lo, hi;          /* IPS_SET_RANGE, inclusive */
    struct ips_set **kids;    /* IPS_SET_LIST */
    size_t nkids;
};

/* Parse an address expression ("any", "10.0.0.0/8", "!$HOME_NET", "[1.2.3.4,!5.6.7.0/24]");
 * NULL with a reason in err. */
struct ips_set *ips_addr_parse(const char *s, const struct ips_vars *vars, char *err, size_t errlen);
/* Parse a port expression ("any", "80", "1024:", ":1023", "!22", "[80,$HTTP_PORTS,8000:8100]"). */
struct ips_set *ips_port_parse(const char *s, const struct ips_vars *vars, char *err, size_t errlen);
/* Does value v belong to the set? */
bool ips_set_match(const struct ips_set *s, uint32_t v);
/* true when the set is plain 'any'. */
bool ips_set_is_any(const struct ips_set *s);
/* Release a set (NULL is fine). */
void ips_set_free(struct ips_set *s);

#endif
