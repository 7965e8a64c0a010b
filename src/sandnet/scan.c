/* scan.c - addresses in the text output of arp-scan and nmap (pure). */
#include "sandnet/scan.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"

static int cmp(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

static bool add(struct sn_addrset *s, const char *a)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->v[i], a))
            return true;
    if (s->n >= SN_SCAN_MAX)
        return false;
    hs_strlcpy(s->v[s->n++], a, sizeof s->v[0]);
    return true;
}

bool sn_scan_collect(const char *text, size_t len, bool macs, struct sn_addrset *out)
{
    out->n = 0;
    bool ok = true;
    size_t i = 0;
    while (i < len) {
        /* a token: hex digits, ':' and '.'; anything else separates */
        size_t j = i;
        while (j < len && (strchr("0123456789abcdefABCDEF:.", text[j]) && text[j] != '\0'))
            j++;
        if (j > i && j - i < 24) {
            char tok[24], norm[18];
            memcpy(tok, text + i, j - i);
            tok[j - i] = '\0';
            size_t tl = strlen(tok);
            while (tl && tok[tl - 1] == '.')   /* sentence dot after an address */
                tok[--tl] = '\0';
            uint8_t mac[6];
            uint32_t ip;
            if (macs && tl == 17 && hs_parse_mac(tok, mac)) {
                hs_format_mac(mac, norm);
                ok &= add(out, norm);
            } else if (!macs && hs_parse_ipv4(tok, &ip)) {
                hs_format_ipv4(ip, norm);
                ok &= add(out, norm);
            }
        }
        i = j > i ? j : i + 1;
    }
    qsort(out->v, out->n, sizeof out->v[0], cmp);
    return ok;
}

void sn_addrset_remove(struct sn_addrset *s, const char *addr)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->v[i], addr)) {
            memmove(s->v[i], s->v[i + 1], (s->n - i - 1) * sizeof s->v[0]);
            s->n--;
            return;
        }
}
