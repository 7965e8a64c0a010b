/* app.h - the paper's 3-tier application (nginx -> gunicorn/Flask -> redis), replicated in
 * groups: fe<g>, be<g>, db<g>, each group reaching its own members by name (pure). */
#ifndef HS_SANDNET_APP_H
#define HS_SANDNET_APP_H

#include <stdbool.h>

#include "sandnet/spec.h"

#define SN_NET_PREFIX "198.18.64."   /* Sandnet's addresses: 198.18.64.0/24 */
#define SN_BRIDGE_PN "hsn-pn"
#define SN_BRIDGE_SN "hsn-sn"

enum sn_tier { SN_TIER_FRONTEND, SN_TIER_BACKEND, SN_TIER_DATABASE };

/* Spec of one tier of group g (1..9): id/hostname "fe1", IP 198.18.64.<10g+1+tier>, MAC
 * 02:68:73:6e:<g>:<tier+1>, rootfs <cache_dir>/rootfs-<kind>, state <state_base>/<id>, on
 * bridge, /etc/hosts naming the group's members ("be1 backend", ...), the database's /data and
 * the frontend's /srv/www/shared as volumes. False on a bad group or too long paths. */
bool sn_app_spec(int group, enum sn_tier tier, const char *cache_dir, const char *state_base,
                 const char *bridge, struct sn_container *out);

#endif
