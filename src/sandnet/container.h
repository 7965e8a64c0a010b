/* container.h - Sandnet containers under runc: bundle on an overlay rootfs, lifecycle, state. */
#ifndef HS_SANDNET_CONTAINER_H
#define HS_SANDNET_CONTAINER_H

#include <stdbool.h>
#include <sys/types.h>

#include "common/buf.h"
#include "sandnet/spec.h"

#define SN_RUNC_ROOT "/run/honeyshift/sandnet/runc"   /* runc --root, ours alone */
#define SN_STATE_BASE "/var/lib/honeyshift/sandnet"  /* default parent of state dirs */

struct sn_runc_state {
    char status[16];        /* created, running, paused, stopped */
    pid_t pid;
};

/* Lay out the state dir: upper, work, bundle/rootfs, volume dirs, hosts file, config.json and
 * spec.json. Does not mount anything. */
bool sn_bundle_write(const struct sn_container *c);
/* CRIU's network lock for the container's dumps, from HS_SN_NETWORK_LOCK: "hold" (default:
 * its inbound frames held by sn_dump_hold during the dump and CRIU run with `skip`; nftables
 * when the hold cannot be set up), or CRIU's own "nftables", "iptables", "skip". */
const char *sn_network_lock(void);
/* Write the bundle's criu.conf (runc passes it to CRIU through org.criu.config) with CRIU's
 * network lock `lock` (nftables, iptables or skip). */
bool sn_criu_conf_write(const struct sn_container *c, const char *lock);
/* Mount / unmount the overlay (lower = c->lower, upper/work in the state dir) on bundle/rootfs. */
bool sn_rootfs_mount(const struct sn_container *c);
bool sn_rootfs_umount(const struct sn_container *c);
/* Full start: netns, bundle, overlay, runc create + start. */
bool sn_container_start(const struct sn_container *c);
/* runc state; false when runc does not know the id. */
bool sn_container_state(const char *id, struct sn_runc_state *st);
/* Run a command inside (runc exec); its stdout goes to out (optional). Returns its exit
 * status, -1 on failure to run. */
int sn_container_exec(const char *id, const char *const argv[], struct hs_buf *out);
/* Send a signal ("TERM", "KILL", ...) to the container's init (runc kill). */
bool sn_container_kill(const char *id, const char *signal);
/* Stop and remove everything of the container: runc kill KILL + delete, overlay, netns, and
 * (unless keep_state) its state dir. Tolerates half-created containers. */
bool sn_container_remove(const struct sn_container *c, bool keep_state);
/* Load the saved spec of a container from <state_base>/<id>/spec.json. */
bool sn_spec_load(const char *state_base, const char *id, struct sn_container *c);

#endif
