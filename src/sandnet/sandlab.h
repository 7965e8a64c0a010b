/* sandlab.h - the Sandnet lab's fixed layout (pure): PN and SN bridges under honeyshiftd, the
 * 3-tier app's containers at OpenFlow port = last octet of their IP (fe1 11, be1 12, db1 13,
 * fe2 21, ...), their SN clones at the same number on SN, SC's fresh clone at 100 + SC's port on
 * PN, the patch link at port 99 on both, and two external hosts on PN: a benign client
 * ("cl", port 1) and the adversary's external host ("adv", port 2).
 * Names: lab "hsn", bridges hsn-pn / hsn-sn, controller 127.0.0.1:6710. */
#ifndef HS_SANDNET_SANDLAB_H
#define HS_SANDNET_SANDLAB_H

#include <stdbool.h>
#include <stdint.h>

#include "sandnet/confine.h"
#include "sandnet/spec.h"

#define SN_LAB_NAME "hsn"
#define SN_LAB_STATE "/run/honeyshift/hsn"
#define SN_LAB_CTL_PORT 6710
#define SN_LAB_CTL_SOCK SN_LAB_STATE "/ctl.sock"
#define SN_LAB_PATCH_PORT 99
#define SN_LAB_FRESH_BASE 100
#define SN_DPID_PN 0x534e01ull
#define SN_DPID_SN 0x534e02ull

enum sn_lab_ext { SN_EXT_CLIENT = 0, SN_EXT_ADVERSARY = 1, SN_EXT_COUNT };

/* Spec of an external host (netns hsn-cl / hsn-adv on PN, no container). */
bool sn_lab_ext_spec(enum sn_lab_ext which, struct sn_container *out);
/* The controller's topology for `groups` app groups (1..9): YAML text, caller frees. */
char *sn_lab_topology_yaml(int groups);
/* Confinement input of the lab: the app's containers as nodes (no clones), the two external
 * hosts, patch ports, no SC. cache_dir/state_base as for sn_app_spec. */
bool sn_lab_confine_init(int groups, struct sn_confine_in *in);
/* Index of the node with this id in in->nodes, -1 when absent. */
int sn_lab_node(const struct sn_confine_in *in, const char *id);

#endif
