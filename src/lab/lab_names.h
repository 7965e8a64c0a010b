/* lab_names.h - pure naming rules of the lab: namespaces, interfaces, per-host paths.
 * Every function reports a name that would not fit instead of truncating it. */
#ifndef HS_LAB_LAB_NAMES_H
#define HS_LAB_LAB_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/topology.h"

#define HS_LAB_IFNAME_SIZE 16       /* IFNAMSIZ: 15 characters and the NUL */
#define HS_LAB_NETNS_DIR "/run/netns"
#define HS_LAB_VETH_ALIAS_PREFIX "honeyshift:"  /* ifalias of outer veths: "honeyshift:<lab>" */
#define HS_LAB_BRIDGE_TAG "honeyshift-lab"      /* OVS external_ids key on the lab's bridges */

/* "<lab>-<host>": the outer veth's name and the host's name under /run/netns. */
bool hs_lab_ifname(const char *lab, const char *host, char out[HS_LAB_IFNAME_SIZE]);
/* A bump in the wire in front of host (ips.mode bump): "<lab>-<host>.b", the veth on the host's
 * switch port, and its peer "<lab>-<host>.i", which honeyshift-ipsd opens together with the
 * host's own outer veth "<lab>-<host>" (taken off the switch). '.' never occurs in host names. */
bool hs_lab_bump_ifnames(const char *lab, const char *host, char bridge_side[HS_LAB_IFNAME_SIZE],
                         char ipsd_side[HS_LAB_IFNAME_SIZE]);
/* Temporary name of the inner veth end before it is moved and renamed eth0 ("hsp<pid>.<n>"). */
bool hs_lab_tmp_ifname(unsigned long pid, size_t index, char out[HS_LAB_IFNAME_SIZE]);
/* "/run/netns/<lab>-<host>". */
bool hs_lab_netns_path(const char *lab, const char *host, char *out, size_t size);
/* "<state_dir>/hosts/<host>" and a file below it ("<state_dir>/hosts/<host>/<file>"). */
bool hs_lab_host_dir(const char *state_dir, const char *host, char *out, size_t size);
bool hs_lab_host_file(const char *state_dir, const char *host, const char *file, char *out,
                      size_t size);
/* "<state_dir>/<file>". */
bool hs_lab_state_file(const char *state_dir, const char *file, char *out, size_t size);
/* Datapath ID as the 16 hex digits OVS wants in other-config:datapath-id. */
void hs_lab_dpid_hex(uint64_t dpid, char out[17]);
/* The hostname a host shows: a honeypot uses its twin's name, every other host its own. */
const char *hs_lab_hostname(const struct hs_host *h);
/* True when name starts with "<lab>-" (a namespace or veth of that lab, by naming rule). */
bool hs_lab_name_is_ours(const char *lab, const char *name);
/* Check that every derived name and path of the topology fits; -1 with a message if not. */
int hs_lab_check_names(const struct hs_topology *t, char *err, size_t err_size);

#endif
