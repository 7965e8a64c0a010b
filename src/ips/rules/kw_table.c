/* kw_table.c - the keyword registration table: one line per keyword file. Adding a keyword is
 * adding a file with an ips_kw table, a line here, a declaration in rule.h and a meson entry. */
#include "ips/rules/rule.h"

#include <string.h>

static const struct ips_kw *const tables[] = {
    ips_kw_meta,     /* msg sid rev gid classtype priority reference metadata */
    ips_kw_content,  /* content */
    ips_kw_content_mod, /* nocase offset depth distance within startswith endswith fast_pattern */
    ips_kw_pcre,     /* pcre */
    ips_kw_flow,     /* flow */
    ips_kw_urilen,   /* urilen */
    ips_kw_isdataat, /* isdataat */
    ips_kw_sticky,   /* pkt_data, file_data, http.* buffers */
    ips_kw_transform, /* url_decode */
};

const struct ips_kw *ips_kw_find(const char *name)
{
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
        for (const struct ips_kw *k = tables[t]; k->name; k++)
            if (strcmp(k->name, name) == 0)
                return k;
    return NULL;
}

size_t ips_kw_count(void)
{
    size_t n = 0;
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
        for (const struct ips_kw *k = tables[t]; k->name; k++)
            n++;
    return n;
}

const struct ips_kw *ips_kw_at(size_t i)
{
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
        for (const struct ips_kw *k = tables[t]; k->name; k++)
            if (i-- == 0)
                return k;
    return NULL;
}
