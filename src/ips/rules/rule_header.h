/* rule_header.h - parsing and matching of a rule header:
 * ACTION PROTO SRC SPORT DIR DST DPORT, e.g. "alert http $EXTERNAL_NET any -> $HOME_NET 80". */
#ifndef HS_IPS_RULE_HEADER_H
#define HS_IPS_RULE_HEADER_H

#include "ips/rules/rule.h"

/* Fill action, proto, addresses, ports and direction of r from header text; false with a
 * reason in err (r may then hold partial sets, freed by ips_rule_free). */
bool ips_header_parse(struct ips_rule *r, const char *header, const struct ips_vars *vars,
                      char *err, size_t errlen);

#endif
