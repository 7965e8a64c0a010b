/* scan.h - addresses in the text output of arp-scan and nmap (pure). */
#ifndef HS_SANDNET_SCAN_H
#define HS_SANDNET_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#define SN_SCAN_MAX 256

struct sn_addrset {
    size_t n;
    char v[SN_SCAN_MAX][18];     /* "aa:bb:cc:dd:ee:ff" or "a.b.c.d", sorted, unique */
};

/* Collect every whitespace/punctuation-separated token of text that is a MAC address (macs) or
 * an IPv4 address (!macs), normalised (lower case, dotted quad), sorted and unique; tokens
 * beyond SN_SCAN_MAX distinct ones are dropped (returns false then). */
bool sn_scan_collect(const char *text, size_t len, bool macs, struct sn_addrset *out);
/* Remove one address from the set (e.g. the scanner's own); no-op when absent. */
void sn_addrset_remove(struct sn_addrset *s, const char *addr);

#endif
