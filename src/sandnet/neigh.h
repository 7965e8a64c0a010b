/* neigh.h - a container's neighbour (ARP) entries, carried over to its clone: a clone that
 * had to ARP for its peers first would stall its restored connections (pure parsing here;
 * the copy itself is sn_neigh_copy in net.c). */
#ifndef HS_SANDNET_NEIGH_H
#define HS_SANDNET_NEIGH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sn_neigh {
    uint32_t ip;          /* host byte order */
    uint8_t mac[6];
};

/* Parse `ip -j neigh show dev eth0` output: keep IPv4 entries with a link-layer address whose
 * state is REACHABLE, STALE, DELAY, PROBE or PERMANENT (not FAILED, INCOMPLETE, NOARP).
 * Stores at most max entries; false on malformed JSON or more than max usable entries. */
bool sn_neigh_parse(const char *json, struct sn_neigh *out, size_t max, size_t *n);

#endif
