/* net.c - Sandnet bridges and per-container network namespaces via ovs-vsctl, ip, ethtool. */
#include "sandnet/net.h"

#include <net/if.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/log.h"
#include "common/util.h"
#include "sandnet/neigh.h"
#include "sandnet/run.h"

#define T 20000   /* ms per helper command */

bool sn_bridge_up(const char *bridge)
{
    const char *argv[] = {"ovs-vsctl", "--timeout=10", "--may-exist", "add-br", bridge,
                          "--", "set", "bridge", bridge, "datapath_type=netdev",
                          "fail_mode=standalone", NULL};
    if (sn_run(argv, NULL, T, false) != 0)
        return false;
    const char *up[] = {"ip", "link", "set", bridge, "up", NULL};
    return sn_run(up, NULL, T, false) == 0;
}

bool sn_bridge_up_secure(const char *bridge, uint64_t dpid, const char *controller)
{
    char dp[64], ctl[96];
    if (!hs_snprintf(dp, sizeof dp, "other-config:datapath-id=%016llx", (unsigned long long)dpid)
        || !hs_snprintf(ctl, sizeof ctl, "%s", controller)) {
        LOG_ERR("sandnet: controller address too long");
        return false;
    }
    const char *argv[] = {"ovs-vsctl", "--timeout=10", "--may-exist", "add-br", bridge,
                          "--", "set", "bridge", bridge, "datapath_type=netdev",
                          "fail_mode=secure", "protocols=OpenFlow10,OpenFlow13,OpenFlow14", dp,
                          "--", "set-controller", bridge, ctl, NULL};
    if (sn_run(argv, NULL, T, false) != 0)
        return false;
    const char *up[] = {"ip", "link", "set", bridge, "up", NULL};
    return sn_run(up, NULL, T, false) == 0;
}

bool sn_patch_link(const char *a, const char *b, uint32_t port)
{
    char pa[32], pb[32], peer_a[48], peer_b[48], ofa[40], ofb[40];
    if (!hs_snprintf(pa, sizeof pa, "%s-p", a) || !hs_snprintf(pb, sizeof pb, "%s-p", b)
        || !hs_snprintf(peer_a, sizeof peer_a, "options:peer=%s", pb)
        || !hs_snprintf(peer_b, sizeof peer_b, "options:peer=%s", pa)
        || !hs_snprintf(ofa, sizeof ofa, "ofport_request=%u", port)
        || !hs_snprintf(ofb, sizeof ofb, "ofport_request=%u", port))
        return false;
    const char *argv[] = {"ovs-vsctl", "--timeout=10",
                          "--may-exist", "add-port", a, pa, "--", "set", "Interface", pa,
                          "type=patch", peer_a, ofa, "--",
                          "--may-exist", "add-port", b, pb, "--", "set", "Interface", pb,
                          "type=patch", peer_b, ofb, NULL};
    return sn_run(argv, NULL, T, false) == 0;
}

bool sn_bridge_down(const char *bridge)
{
    const char *argv[] = {"ovs-vsctl", "--timeout=10", "--if-exists", "del-br", bridge, NULL};
    return sn_run(argv, NULL, T, false) == 0;
}

/* Run "ip -n NS ..." style commands built from a list. */
static bool run_all(const char *const *const cmds[], size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (sn_run(cmds[i], NULL, T, false) != 0)
            return false;
    return true;
}

/* The temporary peer name carries the thread id: clones made concurrently (threads of one
 * process) must not collide on it. */
bool sn_netns_up(const struct sn_container *c, bool link_up)
{
    char ns[64], host[32], peer[32], mac[18], addr[24], ip[16];
    if (!sn_netns_name(c, ns, sizeof ns) || !sn_host_ifname(c, host, sizeof host)
        || !hs_snprintf(peer, sizeof peer, "hsnp%ld", (long)syscall(SYS_gettid) % 10000000)) {
        LOG_ERR("sandnet: interface names too long for %s", c->id);
        return false;
    }
    hs_format_mac(c->mac, mac);
    hs_format_ipv4(c->ip, ip);
    if (!hs_snprintf(addr, sizeof addr, "%s/%u", ip, c->prefix_len))
        return false;
    sn_netns_down(c);
    const char *add_ns[] = {"ip", "netns", "add", ns, NULL};
    const char *veth[] = {"ip", "link", "add", host, "type", "veth", "peer", "name", peer, NULL};
    const char *mv[] = {"ip", "link", "set", peer, "netns", ns, NULL};
    const char *ren[] = {"ip", "-n", ns, "link", "set", peer, "name", "eth0", NULL};
    const char *setmac[] = {"ip", "-n", ns, "link", "set", "eth0", "address", mac, NULL};
    const char *setip[] = {"ip", "-n", ns, "addr", "add", addr, "dev", "eth0", NULL};
    const char *up_in[] = {"ip", "-n", ns, "link", "set", "eth0", "up", NULL};
    const char *lo[] = {"ip", "-n", ns, "link", "set", "lo", "up", NULL};
    const char *tx_in[] = {"ip", "netns", "exec", ns, "ethtool", "-K", "eth0", "tx", "off", NULL};
    const char *tx_out[] = {"ethtool", "-K", host, "tx", "off", NULL};
    const char *up_out[] = {"ip", "link", "set", host, "up", NULL};
    char ofreq[48];
    if (!hs_snprintf(ofreq, sizeof ofreq, "ofport_request=%u", c->ofport ? c->ofport : 0))
        return false;
    const char *port_any[] = {"ovs-vsctl", "--timeout=10", "--may-exist", "add-port", c->bridge, host, NULL};
    const char *port_num[] = {"ovs-vsctl", "--timeout=10", "--may-exist", "add-port", c->bridge, host,
                              "--", "set", "Interface", host, ofreq, NULL};
    const char *const *port = c->ofport ? port_num : port_any;
    const char *const *const cmds[] = {add_ns, veth, mv, ren, setmac, setip, up_in, lo,
                                       tx_in, tx_out, port, up_out};
    /* the last command (host end up) only when asked */
    if (!run_all(cmds, HS_ARRAY_SIZE(cmds) - (link_up ? 0 : 1))) {
        LOG_ERR("sandnet: network of %s failed, removing it", c->id);
        sn_netns_down(c);
        return false;
    }
    return true;
}

bool sn_link_set(const struct sn_container *c, bool up)
{
    char host[32];
    if (!sn_host_ifname(c, host, sizeof host))
        return false;
    const char *argv[] = {"ip", "link", "set", host, up ? "up" : "down", NULL};
    return sn_run(argv, NULL, T, false) == 0;
}

bool sn_ingress_block(const struct sn_container *c, bool block)
{
    char mac[18], match[96];
    hs_format_mac(c->mac, mac);
    if (!hs_snprintf(match, sizeof match, block ? "priority=100,dl_dst=%s,actions=drop"
                                                : "priority=100,dl_dst=%s", mac))
        return false;
    const char *add[] = {"ovs-ofctl", "add-flow", c->bridge, match, NULL};
    const char *del[] = {"ovs-ofctl", "--strict", "del-flows", c->bridge, match, NULL};
    return sn_run(block ? add : del, NULL, T, false) == 0;
}

bool sn_neigh_copy(const struct sn_container *from, const struct sn_container *to)
{
    char ns_from[64], ns_to[64];
    if (!sn_netns_name(from, ns_from, sizeof ns_from) || !sn_netns_name(to, ns_to, sizeof ns_to))
        return false;
    struct hs_buf out = HS_BUF_INIT;
    const char *show[] = {"ip", "-j", "-n", ns_from, "neigh", "show", "dev", "eth0", NULL};
    struct sn_neigh nb[64];
    size_t n = 0;
    bool ok = sn_run(show, &out, T, false) == 0 && out.data
        && sn_neigh_parse((const char *)out.data, nb, HS_ARRAY_SIZE(nb), &n);
    hs_buf_free(&out);
    if (!ok) {
        LOG_ERR("sandnet: cannot read the neighbours of %s", from->id);
        return false;
    }
    for (size_t i = 0; ok && i < n; i++) {
        char ip[16], mac[18];
        hs_format_ipv4(nb[i].ip, ip);
        hs_format_mac(nb[i].mac, mac);
        const char *add[] = {"ip", "-n", ns_to, "neigh", "replace", ip, "lladdr", mac,
                             "dev", "eth0", "nud", "stale", NULL};
        ok = sn_run(add, NULL, T, false) == 0;
    }
    return ok;
}

bool sn_netns_down(const struct sn_container *c)
{
    char ns[64], host[32], path[SN_PATH_MAX];
    if (!sn_netns_name(c, ns, sizeof ns) || !sn_host_ifname(c, host, sizeof host)
        || !sn_netns_path(c, path, sizeof path))
        return false;
    bool ok = true;
    const char *port[] = {"ovs-vsctl", "--timeout=10", "--if-exists", "del-port", host, NULL};
    ok &= sn_run(port, NULL, T, false) == 0;
    const char *show[] = {"ip", "link", "show", host, NULL};
    if (sn_run(show, NULL, T, true) == 0) {
        const char *del[] = {"ip", "link", "del", host, NULL};
        ok &= sn_run(del, NULL, T, false) == 0;
    }
    char hold[32];   /* a dump hold's capture pair left by an interrupted clone (dumphold.c) */
    if (hs_snprintf(hold, sizeof hold, "hsq%s", c->id) && if_nametoindex(hold)) {
        const char *del[] = {"ip", "link", "del", hold, NULL};
        ok &= sn_run(del, NULL, T, false) == 0;
    }
    if (access(path, F_OK) == 0) {
        const char *del[] = {"ip", "netns", "del", ns, NULL};
        ok &= sn_run(del, NULL, T, false) == 0;
    }
    return ok;
}
