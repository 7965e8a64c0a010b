/* labnet.h - the Sandnet lab's network (I/O): honeyshiftd for PN and SN, the secure bridges and
 * their patch link, the external hosts, installing confinement flows, reading hold counters. */
#ifndef HS_SANDNET_LABNET_H
#define HS_SANDNET_LABNET_H

#include <stdbool.h>
#include <stdint.h>

#include "sandnet/confine.h"
#include "sandnet/spec.h"

/* Write the topology for `groups` app groups to SN_LAB_STATE/topology.yaml, start honeyshiftd
 * on it (daemon, pidfile and log in SN_LAB_STATE), create hsn-pn and hsn-sn in secure mode under
 * it, link them (patch port 99) and wait (at most 15 s) until the controller's base flows are on
 * both bridges. honeyshiftd: $HS_HONEYSHIFTD, else ../ctl/honeyshiftd next to this program, else
 * PATH. Idempotent: a running controller of ours is kept. */
bool sn_lab_net_up(int groups);
/* Stop our honeyshiftd (pidfile, checked to be honeyshiftd), delete both bridges, the external
 * hosts' namespaces and the lab's state files. Tolerates a half-made lab. */
bool sn_lab_net_down(void);
/* Create / remove the external hosts (netns hsn-cl, hsn-adv on hsn-pn). */
bool sn_lab_ext_up(void);
bool sn_lab_ext_down(void);
/* Put our flows (cookie tag SN) on both bridges, each in one OpenFlow bundle, SN before PN:
 * the first call in a process replaces all of ours, later ones change only what differs from
 * the previous call (unchanged flows keep their counters); a failure forgets that state. */
bool sn_flows_install(const struct sn_flowlist *fl);
/* Forget what was installed (the next sn_flows_install replaces all of our flows). */
void sn_flows_forget(void);
/* Packet counts of the SN hold flows per node index (summed over a node's flows). */
bool sn_hold_counts(uint64_t counts[SN_CONFINE_MAX_NODES]);
/* Packet counts of the SN forwarding flows per node index (frames SN delivered to node i's
 * redirected clone, from SC or from other clones): the shrinking phase's "touch" signal. */
bool sn_fwd_counts(uint64_t counts[SN_CONFINE_MAX_NODES]);
/* Start the fresh clone of SC from its clean image as fresh_id on PN: SC's spec (IP, MAC,
 * hostname, image) with an empty upper dir and empty volumes, OpenFlow port 100 + SC's, and
 * SC's neighbour entries. The spec used is written to *fresh. */
bool sn_fresh_start(const char *sc_id, const char *fresh_id, struct sn_container *fresh);

#endif
