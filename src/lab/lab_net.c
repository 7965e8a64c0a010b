/* lab_net.c - OVS bridges and veth links of the lab (through lab_run). */
#include "lab/lab_net.h"
#include "common/buf.h"
#include "common/util.h"
#include "lab/lab_names.h"
#include "lab/lab_ns.h"
#include "lab/lab_run.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define VSCTL "ovs-vsctl", "--timeout=10"

/* Trim blanks, newlines and one level of double quotes in place. */
static char *trim(char *s)
{
    while (*s == ' ' || *s == '\n')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\n'))
        s[--n] = '\0';
    if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
        s[n - 1] = '\0';
        s++;
    }
    return s;
}

/* `ovs-vsctl --if-exists get TABLE RECORD COLUMN` trimmed into out; -1 on failure. */
static int vsctl_get(const char *table, const char *record, const char *column, char *out,
                     size_t size, char *err, size_t err_size)
{
    const char *argv[] = {VSCTL, "--if-exists", "get", table, record, column, NULL};
    struct hs_buf b = HS_BUF_INIT;
    int rc = hs_run(argv, -1, &b, err, err_size);
    if (rc == 0)
        hs_strlcpy(out, trim((char *)b.data), size);
    hs_buf_free(&b);
    return rc;
}

int hs_lab_bridge_exists(const char *name, char *err, size_t err_size)
{
    const char *argv[] = {VSCTL, "br-exists", name, NULL};
    int code;
    if (hs_run_status(argv, -1, NULL, &code, err, err_size) != 0)
        return -1;
    if (code == 0)
        return 1;
    if (code == 2)
        return 0;
    return -1;
}

/* Compare the bridge's settings with what the lab wants; true when all match. */
static bool bridge_settings_ok(const char *br, const char *fail_mode, const char *dpid,
                               const char *lab, char *err, size_t err_size)
{
    static const char *cols[] = {"datapath_type", "fail_mode", "protocols",
                                 "other_config:datapath-id", "other_config:disable-in-band",
                                 ("external_ids:" HS_LAB_BRIDGE_TAG)};
    const char *want[] = {"netdev", fail_mode, "[OpenFlow13]", dpid, "true", lab};
    for (size_t i = 0; i < HS_ARRAY_SIZE(cols); i++) {
        char v[128];
        if (vsctl_get("bridge", br, cols[i], v, sizeof v, err, err_size) != 0 ||
            strcmp(v, want[i]) != 0)
            return false;
    }
    return true;
}

static bool controller_ok(const char *br, const char *controller)
{
    const char *argv[] = {VSCTL, "get-controller", br, NULL};
    struct hs_buf b = HS_BUF_INIT;
    char err[256];
    bool ok = false;
    if (hs_run(argv, -1, &b, err, sizeof err) == 0) {
        char *s = trim((char *)b.data);
        ok = controller ? strcmp(s, controller) == 0 : s[0] == '\0';
    }
    hs_buf_free(&b);
    return ok;
}

int hs_lab_bridge_ensure(const struct hs_topology *t, const struct hs_switch *sw,
                         const char *controller, enum hs_lab_change *did, char *err,
                         size_t err_size)
{
    *did = HS_LAB_UNCHANGED;
    int ex = hs_lab_bridge_exists(sw->name, err, err_size);
    if (ex < 0)
        return -1;
    char dpid[17], a_dpid[64], a_tag[96], a_fail[32];
    hs_lab_dpid_hex(sw->dpid, dpid);
    const char *fail_mode = controller ? "secure" : "standalone";
    snprintf(a_dpid, sizeof a_dpid, "other-config:datapath-id=%s", dpid);
    snprintf(a_tag, sizeof a_tag, "external_ids:%s=%s", HS_LAB_BRIDGE_TAG, t->lab);
    snprintf(a_fail, sizeof a_fail, "fail_mode=%s", fail_mode);
    bool settings = ex && bridge_settings_ok(sw->name, fail_mode, dpid, t->lab, err, err_size);
    bool ctl = ex && controller_ok(sw->name, controller);
    if (settings && ctl)
        return 0;
    const char *argv[32];
    size_t n = 0;
    argv[n++] = "ovs-vsctl";
    argv[n++] = "--timeout=10";
    if (!settings) {
        argv[n++] = "--may-exist";
        argv[n++] = "add-br";
        argv[n++] = sw->name;
        argv[n++] = "--";
        argv[n++] = "set";
        argv[n++] = "bridge";
        argv[n++] = sw->name;
        argv[n++] = "datapath_type=netdev";
        argv[n++] = "protocols=OpenFlow13";
        argv[n++] = a_fail;
        argv[n++] = a_dpid;
        argv[n++] = "other-config:disable-in-band=true";
        argv[n++] = a_tag;
    }
    if (!ctl) {
        if (n > 2)
            argv[n++] = "--";
        argv[n++] = controller ? "set-controller" : "del-controller";
        argv[n++] = sw->name;
        if (controller)
            argv[n++] = controller;
    }
    argv[n] = NULL;
    if (hs_run(argv, -1, NULL, err, err_size) != 0)
        return -1;
    *did = ex ? HS_LAB_REPAIRED : HS_LAB_CREATED;
    return 0;
}

int hs_lab_bridge_del(const char *name, char *err, size_t err_size)
{
    const char *argv[] = {VSCTL, "--if-exists", "del-br", name, NULL};
    return hs_run(argv, -1, NULL, err, err_size);
}

int hs_lab_bridges_tagged(const char *lab, char (**names)[HS_NAME_MAX], size_t *n, char *err,
                          size_t err_size)
{
    *names = NULL;
    *n = 0;
    char cond[96];
    snprintf(cond, sizeof cond, "external_ids:%s=%s", HS_LAB_BRIDGE_TAG, lab);
    const char *argv[] = {VSCTL, "--bare", "--columns=name", "find", "bridge", cond, NULL};
    struct hs_buf b = HS_BUF_INIT;
    if (hs_run(argv, -1, &b, err, err_size) != 0) {
        hs_buf_free(&b);
        return -1;
    }
    char *save = NULL;
    for (char *tok = strtok_r((char *)b.data, " \n", &save); tok;
         tok = strtok_r(NULL, " \n", &save)) {
        *names = xreallocarray(*names, *n + 1, sizeof **names);
        if (hs_strlcpy((*names)[*n], tok, HS_NAME_MAX))
            (*n)++;
    }
    hs_buf_free(&b);
    return 0;
}

/* Read a small sysfs attribute of an interface in the caller's namespace. */
static bool sysfs_attr(const char *ifname, const char *attr, char *out, size_t size)
{
    char path[128];
    if (!hs_snprintf(path, sizeof path, "/sys/class/net/%s/%s", ifname, attr))
        return false;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t r = read(fd, out, size - 1);
    close(fd);
    if (r < 0)
        return false;
    out[r] = '\0';
    out[strcspn(out, "\n")] = '\0';
    return true;
}

static bool write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
    close(fd);
    return ok;
}

bool hs_lab_link_ok(const struct hs_topology *t, const struct hs_host *h, pid_t init_pid)
{
    char outer[HS_LAB_IFNAME_SIZE], v[32], err[256];
    if (!hs_lab_ifname(t->lab, h->name, outer) || !if_nametoindex(outer))
        return false;
    uint64_t peer;
    if (!sysfs_attr(outer, "iflink", v, sizeof v) || !hs_parse_u64(v, UINT32_MAX, &peer))
        return false;
    int ns = hs_lab_netns_open(init_pid, err, sizeof err);
    if (ns < 0)
        return false;
    unsigned idx = hs_lab_ifindex_in(ns, "eth0");
    close(ns);
    return idx != 0 && idx == peer;
}

static void port_bridge(const char *ifname, char *out, size_t size);
static int daemon_end_setup(const char *ifname, char *err, size_t err_size);

/* The OVS port of a host: on the right bridge with the right ofport_request. */
static int port_ensure(const struct hs_topology *t, const struct hs_host *h, const char *outer,
                       bool fresh, bool *changed, char *err, size_t err_size)
{
    const char *br = t->switches[h->switch_index].name;
    char want_port[16], req[48];
    snprintf(want_port, sizeof want_port, "%u", (unsigned)h->port);
    snprintf(req, sizeof req, "ofport_request=%u", (unsigned)h->port);
    *changed = false;
    if (!fresh) {
        const char *argv[] = {VSCTL, "port-to-br", outer, NULL};
        struct hs_buf b = HS_BUF_INIT;
        int code;
        char e2[256];
        bool on_br = hs_run_status(argv, -1, &b, &code, e2, sizeof e2) == 0 && code == 0 &&
                     !strcmp(trim((char *)b.data), br);
        hs_buf_free(&b);
        char v[32];
        if (on_br && vsctl_get("interface", outer, "ofport_request", v, sizeof v, e2,
                               sizeof e2) == 0 && !strcmp(v, want_port))
            return 0;
    }
    /* A re-created veth must be re-opened by OVS: drop the old port row, add a new one. */
    const char *del[] = {VSCTL, "--if-exists", "del-port", outer, NULL};
    const char *add[] = {VSCTL, "add-port", br, outer, "--", "set", "interface", outer, req,
                         NULL};
    if (hs_run(del, -1, NULL, err, err_size) != 0 || hs_run(add, -1, NULL, err, err_size) != 0)
        return -1;
    *changed = true;
    return 0;
}

static int create_link(const struct hs_topology *t, const struct hs_host *h, pid_t init_pid,
                       int ns, const char *outer, bool outer_up, char *err, size_t err_size)
{
    char tmp[HS_LAB_IFNAME_SIZE], pidstr[16], mac[18], addr[32], ip[16], alias[64];
    size_t index = (size_t)(h - t->hosts);
    if (!hs_lab_tmp_ifname((unsigned long)getpid(), index, tmp)) {
        snprintf(err, err_size, "temporary interface name too long");
        return -1;
    }
    snprintf(pidstr, sizeof pidstr, "%d", (int)init_pid);
    hs_format_mac(h->mac, mac);
    hs_format_ipv4(h->ip, ip);
    snprintf(addr, sizeof addr, "%s/%u", ip, (unsigned)h->prefix_len);
    snprintf(alias, sizeof alias, "%s%s", HS_LAB_VETH_ALIAS_PREFIX, t->lab);

    /* leftovers of an earlier attempt */
    if (if_nametoindex(outer) && hs_lab_link_del(outer, err, err_size) != 0)
        return -1;
    if (hs_lab_ifindex_in(ns, "eth0")) {
        const char *argv[] = {"ip", "link", "del", "dev", "eth0", NULL};
        if (hs_run(argv, ns, NULL, err, err_size) != 0)
            return -1;
    }
    /* IPv4-only lab: no IPv6 chatter (router solicitations, DAD of the honeypot's twin MAC) */
    const char *no6[] = {"sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1",
                         "net.ipv6.conf.default.disable_ipv6=1", NULL};
    if (hs_run(no6, ns, NULL, err, err_size) != 0)
        return -1;

    const char *add[] = {"ip", "link", "add", outer, "type", "veth", "peer", "name", tmp, NULL};
    if (hs_run(add, -1, NULL, err, err_size) != 0)
        return -1;
    char sysctl[128];
    snprintf(sysctl, sizeof sysctl, "/proc/sys/net/ipv6/conf/%s/disable_ipv6", outer);
    write_file(sysctl, "1");    /* best effort: absent when IPv6 is off altogether */
    const char *const outer_cmds[][12] = {
        {"ip", "link", "set", "dev", outer, "alias", alias, NULL},
        {"ip", "link", "set", "dev", tmp, "netns", pidstr, NULL},
        {"ethtool", "-K", outer, "tx", "off", NULL},
        {"ip", "link", "set", "dev", outer, outer_up ? "up" : "down", NULL},
    };
    for (size_t i = 0; i < HS_ARRAY_SIZE(outer_cmds); i++)
        if (hs_run(outer_cmds[i], -1, NULL, err, err_size) != 0)
            return -1;
    const char *const inner_cmds[][12] = {
        {"ip", "link", "set", "dev", tmp, "name", "eth0", NULL},
        {"ip", "link", "set", "dev", "eth0", "address", mac, NULL},
        {"ip", "addr", "replace", addr, "dev", "eth0", NULL},
        {"ethtool", "-K", "eth0", "tx", "off", NULL},
        {"ip", "link", "set", "dev", "lo", "up", NULL},
        {"ip", "link", "set", "dev", "eth0", "up", NULL},
    };
    for (size_t i = 0; i < HS_ARRAY_SIZE(inner_cmds); i++)
        if (hs_run(inner_cmds[i], ns, NULL, err, err_size) != 0)
            return -1;
    return 0;
}

bool hs_lab_link_outer_up(const struct hs_topology *t, const struct hs_host *h)
{
    char outer[HS_LAB_IFNAME_SIZE], v[32];
    uint64_t flags;
    return hs_lab_ifname(t->lab, h->name, outer) && sysfs_attr(outer, "flags", v, sizeof v) &&
           hs_parse_u64(v, UINT32_MAX, &flags) && (flags & IFF_UP);
}

int hs_lab_link_ensure(const struct hs_topology *t, const struct hs_host *h, pid_t init_pid,
                       bool outer_up, enum hs_lab_change *did, char *err, size_t err_size)
{
    *did = HS_LAB_UNCHANGED;
    char outer[HS_LAB_IFNAME_SIZE];
    if (!hs_lab_ifname(t->lab, h->name, outer)) {
        snprintf(err, err_size, "interface name %s-%s too long", t->lab, h->name);
        return -1;
    }
    bool fresh = false;
    if (!hs_lab_link_ok(t, h, init_pid)) {
        int ns = hs_lab_netns_open(init_pid, err, err_size);
        if (ns < 0)
            return -1;
        int rc = create_link(t, h, init_pid, ns, outer, outer_up, err, err_size);
        close(ns);
        if (rc != 0)
            return -1;
        fresh = true;
        *did = HS_LAB_CREATED;
    }
    if (!fresh && hs_lab_link_outer_up(t, h) != outer_up) {
        const char *argv[] = {"ip", "link", "set", "dev", outer, outer_up ? "up" : "down", NULL};
        if (hs_run(argv, -1, NULL, err, err_size) != 0)
            return -1;
        *did = HS_LAB_REPAIRED;
    }
    bool changed = false;
    if (hs_topology_ips_bumped(t, h)) {
        /* behind a bump: honeyshift-ipsd opens the outer end; never a port of any bridge */
        char on[HS_NAME_MAX];
        port_bridge(outer, on, sizeof on);
        const char *del[] = {VSCTL, "--if-exists", "del-port", outer, NULL};
        if (on[0]) {
            if (hs_run(del, -1, NULL, err, err_size) != 0)
                return -1;
            changed = true;
        }
        if ((fresh || changed) && daemon_end_setup(outer, err, err_size) != 0)
            return -1;
    } else if (port_ensure(t, h, outer, fresh, &changed, err, err_size) != 0) {
        return -1;
    }
    if (changed && *did == HS_LAB_UNCHANGED)
        *did = HS_LAB_REPAIRED;
    return 0;
}

static bool is_veth(const char *ifname)
{
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0)
        return false;
    struct ethtool_drvinfo info = {.cmd = ETHTOOL_GDRVINFO};
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    bool ok = hs_strlcpy(ifr.ifr_name, ifname, sizeof ifr.ifr_name);
    ifr.ifr_data = (char *)&info;
    ok = ok && ioctl(s, SIOCETHTOOL, &ifr) == 0 && !strcmp(info.driver, "veth");
    close(s);
    return ok;
}

int hs_lab_veths_of(const char *lab, char (**names)[HS_NAME_MAX], size_t *n)
{
    *names = NULL;
    *n = 0;
    DIR *d = opendir("/sys/class/net");
    if (!d)
        return -1;
    char alias[64], want[64];
    snprintf(want, sizeof want, "%s%s", HS_LAB_VETH_ALIAS_PREFIX, lab);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!hs_lab_name_is_ours(lab, e->d_name) || strlen(e->d_name) >= HS_NAME_MAX ||
            !is_veth(e->d_name))
            continue;
        if (sysfs_attr(e->d_name, "ifalias", alias, sizeof alias) && alias[0] &&
            strcmp(alias, want) != 0)
            continue;   /* named like ours but labelled as someone else's */
        *names = xreallocarray(*names, *n + 1, sizeof **names);
        hs_strlcpy((*names)[(*n)++], e->d_name, HS_NAME_MAX);
    }
    closedir(d);
    return 0;
}

int hs_lab_link_del(const char *ifname, char *err, size_t err_size)
{
    if (!if_nametoindex(ifname))
        return 0;
    const char *argv[] = {"ip", "link", "del", "dev", ifname, NULL};
    if (hs_run(argv, -1, NULL, err, err_size) != 0)
        return if_nametoindex(ifname) ? -1 : 0;     /* raced with the peer's namespace dying */
    return 0;
}

bool hs_lab_ips_ifnames(const struct hs_topology *t, char outer[16], char inner[16])
{
    return hs_snprintf(outer, 16, "%s-ips", t->lab) && hs_snprintf(inner, 16, "%s-ipsd", t->lab);
}

/* A veth pair in this namespace, outer end on a bridge: both ends exist, are peers and up. */
static bool pair_ok(const char *outer, const char *inner)
{
    char v[32];
    uint64_t peer, flags;
    unsigned in_idx;
    if (!if_nametoindex(outer) || !(in_idx = if_nametoindex(inner)))
        return false;
    if (!sysfs_attr(outer, "iflink", v, sizeof v) || !hs_parse_u64(v, UINT32_MAX, &peer) ||
        peer != in_idx)
        return false;
    const char *both[] = {outer, inner};
    for (size_t i = 0; i < 2; i++)
        if (!sysfs_attr(both[i], "flags", v, sizeof v) || !hs_parse_u64(v, UINT32_MAX, &flags) ||
            !(flags & IFF_UP))
            return false;
    return true;
}

/* The bridge an interface is a port of ("" when none). */
static void port_bridge(const char *ifname, char *out, size_t size)
{
    const char *argv[] = {VSCTL, "port-to-br", ifname, NULL};
    struct hs_buf b = HS_BUF_INIT;
    int code;
    char e[256];
    out[0] = '\0';
    if (hs_run_status(argv, -1, &b, &code, e, sizeof e) == 0 && code == 0)
        hs_strlcpy(out, trim((char *)b.data), size);
    hs_buf_free(&b);
}

/* Offloads off on a root-namespace veth end that honeyshift-ipsd reads and writes: it must see
 * and send MTU-sized frames with complete checksums. */
static int daemon_end_setup(const char *ifname, char *err, size_t err_size)
{
    const char *argv[] = {"ethtool", "-K", ifname, "tx", "off", "tso", "off", "gso", "off", "gro",
                          "off", NULL};
    return hs_run(argv, -1, NULL, err, err_size);
}

/* Create or repair a veth pair outer/inner in this namespace (both up, no IPv6, lab alias,
 * offloads off), outer on bridge br with ofport_request=port. */
static int pair_ensure(const struct hs_topology *t, const char *outer, const char *inner,
                       const char *br, uint32_t port, enum hs_lab_change *did, char *err,
                       size_t err_size)
{
    char alias[64], req[48], want_port[16];
    *did = HS_LAB_UNCHANGED;
    snprintf(alias, sizeof alias, "%s%s", HS_LAB_VETH_ALIAS_PREFIX, t->lab);
    bool fresh = false;
    if (!pair_ok(outer, inner)) {
        if (hs_lab_link_del(outer, err, err_size) != 0 || hs_lab_link_del(inner, err, err_size))
            return -1;
        const char *add[] = {"ip", "link", "add", outer, "type", "veth", "peer", "name", inner,
                             NULL};
        if (hs_run(add, -1, NULL, err, err_size) != 0)
            return -1;
        const char *ends[] = {outer, inner};
        for (size_t i = 0; i < 2; i++) {
            char sysctl[128];
            snprintf(sysctl, sizeof sysctl, "/proc/sys/net/ipv6/conf/%s/disable_ipv6", ends[i]);
            write_file(sysctl, "1"); /* best effort: absent when IPv6 is off altogether */
            const char *alias_cmd[] = {"ip", "link", "set", "dev", ends[i], "alias", alias, NULL};
            const char *up_cmd[] = {"ip", "link", "set", "dev", ends[i], "up", NULL};
            if (hs_run(alias_cmd, -1, NULL, err, err_size) != 0 ||
                daemon_end_setup(ends[i], err, err_size) != 0 ||
                hs_run(up_cmd, -1, NULL, err, err_size) != 0)
                return -1;
        }
        fresh = true;
        *did = HS_LAB_CREATED;
    }
    snprintf(want_port, sizeof want_port, "%u", (unsigned)port);
    snprintf(req, sizeof req, "ofport_request=%u", (unsigned)port);
    if (!fresh) {
        char on[HS_NAME_MAX], e2[256], v[32];
        port_bridge(outer, on, sizeof on);
        if (!strcmp(on, br) && vsctl_get("interface", outer, "ofport_request", v, sizeof v, e2,
                                         sizeof e2) == 0 && !strcmp(v, want_port))
            return 0;
    }
    const char *del[] = {VSCTL, "--if-exists", "del-port", outer, NULL};
    const char *add[] = {VSCTL, "add-port", br, outer, "--", "set", "interface", outer, req,
                         NULL};
    if (hs_run(del, -1, NULL, err, err_size) != 0 || hs_run(add, -1, NULL, err, err_size) != 0)
        return -1;
    if (*did == HS_LAB_UNCHANGED)
        *did = HS_LAB_REPAIRED;
    return 0;
}

bool hs_lab_ips_link_ok(const struct hs_topology *t)
{
    char outer[16], inner[16];
    return hs_lab_ips_ifnames(t, outer, inner) && pair_ok(outer, inner);
}

int hs_lab_ips_link_ensure(const struct hs_topology *t, enum hs_lab_change *did, char *err,
                           size_t err_size)
{
    *did = HS_LAB_UNCHANGED;
    if (!t->ips.present || !t->ips.enabled || t->ips.mode != HS_IPS_STEER)
        return 0;
    char outer[16], inner[16];
    if (!hs_lab_ips_ifnames(t, outer, inner)) {
        snprintf(err, err_size, "IPS interface names too long for lab %s", t->lab);
        return -1;
    }
    return pair_ensure(t, outer, inner, t->switches[t->ips.switch_index].name, t->ips.port, did,
                       err, err_size);
}

bool hs_lab_bump_link_ok(const struct hs_topology *t, const struct hs_host *h)
{
    char b[HS_LAB_IFNAME_SIZE], i[HS_LAB_IFNAME_SIZE];
    return hs_lab_bump_ifnames(t->lab, h->name, b, i) && pair_ok(b, i);
}

int hs_lab_bump_link_ensure(const struct hs_topology *t, const struct hs_host *h,
                            enum hs_lab_change *did, char *err, size_t err_size)
{
    char b[HS_LAB_IFNAME_SIZE], i[HS_LAB_IFNAME_SIZE];
    *did = HS_LAB_UNCHANGED;
    if (!hs_lab_bump_ifnames(t->lab, h->name, b, i)) {
        snprintf(err, err_size, "bump interface names too long for %s-%s", t->lab, h->name);
        return -1;
    }
    if (!hs_topology_ips_bumped(t, h)) { /* left over from a lab built in mode bump */
        if (!if_nametoindex(b) && !if_nametoindex(i))
            return 0;
        char on[HS_NAME_MAX];
        port_bridge(b, on, sizeof on);
        const char *del[] = {VSCTL, "--if-exists", "del-port", b, NULL};
        if ((on[0] && hs_run(del, -1, NULL, err, err_size) != 0) ||
            hs_lab_link_del(b, err, err_size) != 0 || hs_lab_link_del(i, err, err_size) != 0)
            return -1;
        return 0;
    }
    return pair_ensure(t, b, i, t->switches[h->switch_index].name, h->port, did, err, err_size);
}
