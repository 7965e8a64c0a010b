/* lab_net.h - the lab's network plumbing: OVS bridges (userspace datapath) and the veth link
 * of each host, through `ovs-vsctl`, `ip` and `ethtool` (see lab_run.h). */
#ifndef HS_LAB_LAB_NET_H
#define HS_LAB_LAB_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "config/topology.h"

/* What an ensure step did, for progress output. */
enum hs_lab_change { HS_LAB_UNCHANGED, HS_LAB_CREATED, HS_LAB_REPAIRED };

/* Create or repair bridge sw of lab t: datapath_type=netdev, OpenFlow13, datapath-id,
 * disable-in-band, tagged with external_ids:honeyshift-lab=<lab>. controller is "tcp:A:P"
 * (fail_mode=secure) or NULL (no controller, fail_mode=standalone). Settings already right are
 * left alone (the controller connection is not reset). */
int hs_lab_bridge_ensure(const struct hs_topology *t, const struct hs_switch *sw,
                         const char *controller, enum hs_lab_change *did, char *err,
                         size_t err_size);
/* True when OVS has a bridge of that name (-1 when ovs-vsctl cannot be asked). */
int hs_lab_bridge_exists(const char *name, char *err, size_t err_size);
/* Remove a bridge (nothing when absent). */
int hs_lab_bridge_del(const char *name, char *err, size_t err_size);
/* Names of bridges tagged external_ids:honeyshift-lab=<lab>; *n of them in a malloc'd array of
 * HS_NAME_MAX strings (free it). -1 when ovs-vsctl fails. */
int hs_lab_bridges_tagged(const char *lab, char (**names)[HS_NAME_MAX], size_t *n, char *err,
                          size_t err_size);

/* Create or repair host h's link: veth "<lab>-<host>" on its bridge with ofport_request=port,
 * peer as eth0 inside the namespace of init_pid (MAC, IP/prefix, up, lo up), TX checksum
 * offload off on both ends. The outer end is up when outer_up, else held down (a honeypot on a
 * bridge without controller, which would flood to it). A host behind a bump
 * (hs_topology_ips_bumped) keeps its outer end off every bridge (honeyshift-ipsd opens it;
 * TSO, GSO and GRO off too) and hs_lab_bump_link_ensure puts the bump on its port. */
int hs_lab_link_ensure(const struct hs_topology *t, const struct hs_host *h, pid_t init_pid,
                       bool outer_up, enum hs_lab_change *did, char *err, size_t err_size);
/* True when the outer veth of h is administratively up. */
bool hs_lab_link_outer_up(const struct hs_topology *t, const struct hs_host *h);
/* True when the outer veth exists and its peer is eth0 in the namespace of init_pid. */
bool hs_lab_link_ok(const struct hs_topology *t, const struct hs_host *h, pid_t init_pid);
/* The IPS link: veth "<lab>-ips" on the IPS switch with ofport_request=ips.port, its peer
 * "<lab>-ipsd" in this (root) namespace for honeyshift-ipsd; both up, no addresses, IPv6 off,
 * TX checksum, TSO, GSO and GRO off (the daemon sees and sends MTU-sized frames). Nothing when
 * the topology has no enabled ips section. */
int hs_lab_ips_link_ensure(const struct hs_topology *t, enum hs_lab_change *did, char *err,
                           size_t err_size);
/* True when both ends of the IPS link exist, are peers and are up. */
bool hs_lab_ips_link_ok(const struct hs_topology *t);
/* "<lab>-ips" and "<lab>-ipsd" (false when they would not fit). */
bool hs_lab_ips_ifnames(const struct hs_topology *t, char outer[16], char inner[16]);

/* The bump in front of h (ips.mode bump): veth "<lab>-<host>.b" on h's bridge with
 * ofport_request=h's port, its peer "<lab>-<host>.i" in this namespace for honeyshift-ipsd;
 * both up, no IPv6, offloads off like the IPS link. For a host not behind a bump it removes a
 * bump left over from an earlier mode. */
int hs_lab_bump_link_ensure(const struct hs_topology *t, const struct hs_host *h,
                            enum hs_lab_change *did, char *err, size_t err_size);
/* True when both ends of h's bump exist, are peers and are up. */
bool hs_lab_bump_link_ok(const struct hs_topology *t, const struct hs_host *h);

/* Names of veth interfaces of this lab in the caller's namespace: "<lab>-*" with driver veth
 * and (when set) alias "honeyshift:<lab>". Same array convention as hs_lab_bridges_tagged. */
int hs_lab_veths_of(const char *lab, char (**names)[HS_NAME_MAX], size_t *n);
/* Delete an interface (nothing when absent). */
int hs_lab_link_del(const char *ifname, char *err, size_t err_size);

#endif
