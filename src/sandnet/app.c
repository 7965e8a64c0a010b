/* app.c - specs of the 3-tier application's containers (pure). */
#include "sandnet/app.h"

#include <string.h>

#include "common/util.h"

static const char *const kinds[] = {"frontend", "backend", "database"};
static const char *const prefixes[] = {"fe", "be", "db"};

bool sn_app_spec(int group, enum sn_tier tier, const char *cache_dir, const char *state_base,
                 const char *bridge, struct sn_container *c)
{
    memset(c, 0, sizeof *c);
    if (group < 1 || group > 9 || (unsigned)tier > SN_TIER_DATABASE)
        return false;
    bool ok = hs_snprintf(c->id, sizeof c->id, "%s%d", prefixes[tier], group)
        && hs_strlcpy(c->hostname, c->id, sizeof c->hostname)
        && hs_strlcpy(c->kind, kinds[tier], sizeof c->kind)
        && hs_snprintf(c->lower, sizeof c->lower, "%s/rootfs-%s", cache_dir, kinds[tier])
        && hs_snprintf(c->state_dir, sizeof c->state_dir, "%s/%s", state_base, c->id)
        && hs_strlcpy(c->bridge, bridge, sizeof c->bridge)
        && hs_strlcpy(c->args[0], "/usr/local/bin/hs-service", SN_ARG_MAX);
    if (!ok)
        return false;
    c->n_args = 1;
    c->ip = (198u << 24) | (18u << 16) | (64u << 8) | (uint32_t)(10 * group + 1 + (int)tier);
    c->prefix_len = 24;
    c->ofport = c->ip & 0xff;   /* OpenFlow port = last octet (fe1 11, be1 12, db1 13, ...) */
    const uint8_t mac[6] = {0x02, 0x68, 0x73, 0x6e, (uint8_t)group, (uint8_t)(tier + 1)};
    memcpy(c->mac, mac, 6);
    for (int t = 0; t <= SN_TIER_DATABASE; t++) {
        if (t == (int)tier)
            continue;   /* own name comes from the hostname line */
        struct sn_host_entry *h = &c->hosts[c->n_hosts++];
        h->ip = (198u << 24) | (18u << 16) | (64u << 8) | (uint32_t)(10 * group + 1 + t);
        if (!hs_snprintf(h->names, sizeof h->names, "%s%d %s", prefixes[t], group, kinds[t]))
            return false;
    }
    /* the own generic name too ("frontend" inside fe1) */
    struct sn_host_entry *self = &c->hosts[c->n_hosts++];
    self->ip = c->ip;
    if (!hs_strlcpy(self->names, kinds[tier], sizeof self->names))
        return false;
    const char *vol = tier == SN_TIER_DATABASE ? "/data" : tier == SN_TIER_FRONTEND ? "/srv/www/shared" : NULL;
    if (vol) {
        if (!hs_snprintf(c->volumes[0].host, SN_PATH_MAX, "%s/volumes/0", c->state_dir)
            || !hs_strlcpy(c->volumes[0].dest, vol, SN_PATH_MAX))
            return false;
        c->n_volumes = 1;
    }
    return sn_spec_validate(c, NULL, 0);
}
