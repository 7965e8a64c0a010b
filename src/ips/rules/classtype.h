/* classtype.h - Suricata's default classification table (name, description, priority). */
#ifndef HS_IPS_CLASSTYPE_H
#define HS_IPS_CLASSTYPE_H

#include "ips/rules/rule.h"

/* Look a classtype up by name; NULL when unknown. */
const struct ips_classtype *ips_classtype_find(const char *name);
/* Number of classtypes and classtype i (for listing). */
size_t ips_classtype_count(void);
const struct ips_classtype *ips_classtype_at(size_t i);

#endif
