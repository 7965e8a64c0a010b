/* lab_up.c - `lab up`: build what is missing of the lab, then wait for the controller. */
#include "lab/lab.h"
#include "common/buf.h"
#include "common/util.h"
#include "lab/lab_ctl.h"
#include "lab/lab_fs.h"
#include "lab/lab_gen.h"
#include "lab/lab_names.h"
#include "lab/lab_net.h"
#include "lab/lab_ns.h"
#include "lab/lab_proc.h"
#include "lab/lab_svc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void progress(const struct hs_lab_opts *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void progress(const struct hs_lab_opts *o, const char *fmt, ...)
{
    if (!o->progress)
        return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(o->progress, fmt, ap);
    va_end(ap);
    fputc('\n', o->progress);
    fflush(o->progress);
}

static const char *change_word(enum hs_lab_change c)
{
    return c == HS_LAB_CREATED ? "created" : c == HS_LAB_REPAIRED ? "repaired" : "ok";
}

/* State dir, marker, topology copy, per-host files. */
static int write_state(const struct hs_lab_target *tg, char *err, size_t err_size)
{
    const struct hs_topology *t = tg->topo;
    char path[4096];
    if (hs_lab_mkdir_p(t->state_dir, err, err_size) != 0)
        return -1;
    char marker[HS_NAME_MAX + 1];
    snprintf(marker, sizeof marker, "%s\n", t->lab);
    if (!hs_lab_state_file(t->state_dir, HS_LAB_MARKER, path, sizeof path) ||
        hs_lab_write_file(path, marker, strlen(marker), err, err_size) != 0)
        return -1;
    if (!hs_lab_state_file(t->state_dir, "topology.yaml", path, sizeof path) ||
        hs_lab_write_file(path, tg->yaml, tg->yaml_len, err, err_size) != 0)
        return -1;
    struct hs_buf hosts = HS_BUF_INIT;
    hs_lab_gen_hosts(t, &hosts);
    int rc = 0;
    for (size_t i = 0; i < t->n_hosts && rc == 0; i++) {
        const struct hs_host *h = &t->hosts[i];
        char dir[4096];
        rc = -1;
        if (!hs_lab_host_dir(t->state_dir, h->name, dir, sizeof dir) ||
            !hs_lab_host_file(t->state_dir, h->name, "log", path, sizeof path)) {
            snprintf(err, err_size, "state_dir too long: %s", t->state_dir);
            break;
        }
        if (hs_lab_mkdir_p(path, err, err_size) != 0)
            break;
        if (!hs_lab_host_file(t->state_dir, h->name, "hosts", path, sizeof path) ||
            hs_lab_write_file(path, hosts.data, hosts.len, err, err_size) != 0)
            break;
        rc = 0;
        for (size_t j = 0; j < h->n_services && rc == 0; j++)
            rc = hs_lab_svc_write_files(h, &h->services[j], dir, err, err_size);
    }
    hs_buf_free(&hosts);
    return rc;
}

static int host_up(const struct hs_topology *t, const struct hs_host *h, const char *init_exe,
                   const struct hs_lab_opts *o, char *err, size_t err_size)
{
    char dir[4096], hosts[4096], log[4096], pidfile[4096], netns[4096], e[768];
    if (!hs_lab_host_dir(t->state_dir, h->name, dir, sizeof dir) ||
        !hs_lab_host_file(t->state_dir, h->name, "hosts", hosts, sizeof hosts) ||
        !hs_lab_host_file(t->state_dir, h->name, "log/hostinit.log", log, sizeof log) ||
        !hs_lab_host_file(t->state_dir, h->name, "init.pid", pidfile, sizeof pidfile) ||
        !hs_lab_netns_path(t->lab, h->name, netns, sizeof netns)) {
        snprintf(err, err_size, "host %s: path too long", h->name);
        return -1;
    }
    const char *init_word = "ok";
    pid_t init = hs_lab_host_init_pid(t, h->name);
    if (!init) {
        struct hs_hostinit_args a = {init_exe, t->lab, h->name, hs_lab_hostname(h), hosts, log};
        init = hs_lab_spawn_hostinit(&a, err, err_size);
        if (init < 0)
            return -1;
        init_word = "created";
    }
    if (hs_pidfile_write(pidfile, init, e, sizeof e) != 0 ||
        hs_lab_netns_mount(init, netns, e, sizeof e) != 0) {
        snprintf(err, err_size, "host %s: %s", h->name, e);
        return -1;
    }
    enum hs_lab_change link;
    bool outer_up = !(o->no_controller && h->role == HS_ROLE_HONEYPOT);
    if (hs_lab_link_ensure(t, h, init, outer_up, &link, e, sizeof e) != 0) {
        snprintf(err, err_size, "host %s: %s", h->name, e);
        return -1;
    }
    char ip[16], mac[18];
    hs_format_ipv4(h->ip, ip);
    hs_format_mac(h->mac, mac);
    progress(o, "  host %-*s init %d (%s), link %s-%s %s%s, %s/%u %s, %s%s port %u", 10,
             h->name, (int)init, init_word, t->lab, h->name, change_word(link),
             outer_up ? "" : " (held down: no controller)", ip, (unsigned)h->prefix_len, mac,
             hs_topology_ips_bumped(t, h) ? "behind its IPS bump on " : "",
             t->switches[h->switch_index].name, (unsigned)h->port);
    for (size_t j = 0; j < h->n_services; j++) {
        const struct hs_service *s = &h->services[j];
        bool started;
        if (hs_lab_svc_ensure(init, h, s, dir, &started, e, sizeof e) != 0) {
            snprintf(err, err_size, "host %s: service %s: %s", h->name, s->name, e);
            return -1;
        }
        progress(o, "  host %-*s service %s (%s :%u) %s, pid %d", 10, h->name, s->name,
                 hs_service_kind_name(s->kind), (unsigned)s->port,
                 started ? "started" : "ok", (int)hs_lab_svc_pid(s, dir));
    }
    return 0;
}

/* ips.mode bump: per production host of the IPS switch, the bump's veth pair on the host's port
 * and a honeyshift-ipsd copying between it and the host's own veth. Started also without a
 * controller: the host is cut off until its bump runs. Removes bumps of hosts no longer behind
 * one (an earlier lab in mode bump). */
static int bumps_up(const struct hs_topology *t, const struct hs_lab_opts *o, char *err,
                    size_t err_size)
{
    for (size_t i = 0; i < t->n_hosts; i++) {
        const struct hs_host *h = &t->hosts[i];
        char e[768], b[HS_LAB_IFNAME_SIZE], in[HS_LAB_IFNAME_SIZE], outer[HS_LAB_IFNAME_SIZE];
        enum hs_lab_change did;
        if (hs_lab_bump_link_ensure(t, h, &did, e, sizeof e) != 0) {
            snprintf(err, err_size, "bump of %s: %s", h->name, e);
            return -1;
        }
        if (!hs_topology_ips_bumped(t, h))
            continue;
        hs_lab_bump_ifnames(t->lab, h->name, b, in);
        hs_lab_ifname(t->lab, h->name, outer);
        progress(o, "  ips bump of %s: link %s (%s port %u) <-> %s %s, daemon between %s and %s",
                 h->name, b, t->switches[h->switch_index].name, (unsigned)h->port, in,
                 change_word(did), in, outer);
        bool started;
        if (hs_lab_bump_ipsd_start(t, h, &started, e, sizeof e) != 0) {
            snprintf(err, err_size, "IPS daemon of the bump of %s: %s", h->name, e);
            return -1;
        }
        progress(o, "  ips bump of %s: honeyshift-ipsd %d %s", h->name,
                 (int)hs_lab_bump_ipsd_pid(t, h), started ? "started" : "ok");
    }
    return 0;
}

/* The IPS veth pair and honeyshift-ipsd on it (enabled ips section only). Until the daemon
 * runs, steered traffic goes nowhere: the IPS fails closed. */
static int ips_up(const struct hs_topology *t, const struct hs_lab_opts *o, char *err,
                  size_t err_size)
{
    if (bumps_up(t, o, err, err_size) != 0)
        return -1;
    if (!t->ips.present || !t->ips.enabled || t->ips.mode != HS_IPS_STEER)
        return 0;
    char e[768], outer[16], inner[16];
    enum hs_lab_change did;
    if (!hs_lab_ips_ifnames(t, outer, inner) ||
        hs_lab_ips_link_ensure(t, &did, e, sizeof e) != 0) {
        snprintf(err, err_size, "IPS link: %s", e);
        return -1;
    }
    progress(o, "  ips link %s (%s port %u) <-> %s %s", outer,
             t->switches[t->ips.switch_index].name, (unsigned)t->ips.port, inner,
             change_word(did));
    if (o->no_controller) {
        progress(o, "  ips daemon not started (no controller: nothing steers traffic to it)");
        return 0;
    }
    bool started;
    if (hs_lab_ipsd_start(t, &started, e, sizeof e) != 0) {
        snprintf(err, err_size, "IPS daemon: %s", e);
        return -1;
    }
    progress(o, "  ips daemon honeyshift-ipsd %d %s", (int)hs_lab_ipsd_pid(t),
             started ? "started" : "ok");
    return 0;
}

/* One migration agent (honeyshift-agent) per production or honeypot host: the hosts that
 * processes are moved from and to. Clients run none. */
static int agents_up(const struct hs_topology *t, const struct hs_lab_opts *o, char *err,
                     size_t err_size)
{
    for (size_t i = 0; i < t->n_hosts; i++) {
        const struct hs_host *h = &t->hosts[i];
        if (h->role != HS_ROLE_PRODUCTION && h->role != HS_ROLE_HONEYPOT)
            continue;
        bool started;
        char e[768];
        if (hs_lab_agent_start(t, h->name, &started, e, sizeof e) != 0) {
            snprintf(err, err_size, "agent of %s: %s", h->name, e);
            return -1;
        }
        progress(o, "  host %-10s agent honeyshift-agent %d %s", h->name,
                 (int)hs_lab_agent_pid(t, h->name), started ? "started" : "ok");
    }
    return 0;
}

int hs_lab_up(const struct hs_lab_target *tg, const struct hs_lab_opts *o, char *err,
              size_t err_size)
{
    const struct hs_topology *t = tg->topo;
    if (tg->bare) {
        snprintf(err, err_size, "no topology for lab %s", t->lab);
        return -1;
    }
    if (hs_lab_check_names(t, err, err_size) != 0 || hs_lab_check_services(t, err, err_size) != 0)
        return -1;
    char init_exe[4096];
    if (hs_lab_find_program("honeyshift-hostinit", "HS_HOSTINIT", "lab", init_exe,
                            sizeof init_exe, err, err_size) != 0)
        return -1;
    progress(o, "lab %s: %s, state in %s%s", t->lab, tg->source, t->state_dir,
             o->no_controller ? " (HS_NO_CONTROLLER: no controller, bridges standalone)" : "");
    if (o->built)
        *o->built = true;
    if (write_state(tg, err, err_size) != 0)
        return -1;

    char target[128];
    const char *controller = NULL;
    if (!o->no_controller) {
        bool started;
        if (hs_lab_ctl_start(t, &started, err, err_size) != 0)
            return -1;
        progress(o, "  controller honeyshiftd %d %s", (int)hs_lab_ctl_pid(t),
                 started ? "started" : "ok");
        const char *addr = t->controller.listen_addr;
        if (!addr[0] || !strcmp(addr, "0.0.0.0"))
            addr = "127.0.0.1";
        if (!hs_snprintf(target, sizeof target, "tcp:%s:%u", addr,
                         (unsigned)t->controller.listen_port)) {
            snprintf(err, err_size, "controller address too long: %s", addr);
            return -1;
        }
        controller = target;
    }
    for (size_t i = 0; i < t->n_switches; i++) {
        const struct hs_switch *sw = &t->switches[i];
        enum hs_lab_change did;
        char e[768];
        if (hs_lab_bridge_ensure(t, sw, controller, &did, e, sizeof e) != 0) {
            snprintf(err, err_size, "bridge %s: %s", sw->name, e);
            return -1;
        }
        char dpid[17];
        hs_lab_dpid_hex(sw->dpid, dpid);
        progress(o, "  bridge %s %s (dpid %s, %s)", sw->name, change_word(did), dpid,
                 controller ? controller : "standalone");
    }
    for (size_t i = 0; i < t->n_hosts; i++)
        if (host_up(t, &t->hosts[i], init_exe, o, err, err_size) != 0)
            return -1;
    if (ips_up(t, o, err, err_size) != 0)
        return -1;
    if (agents_up(t, o, err, err_size) != 0)
        return -1;
    if (!o->no_controller) {
        int timeout = o->ready_timeout_ms > 0 ? o->ready_timeout_ms : 15000;
        if (hs_lab_ctl_wait_ready(t, timeout, o->progress, err, err_size) != 0)
            return -1;
        progress(o, "  controller: %zu of %zu switches connected and ready", t->n_switches,
                 t->n_switches);
    }
    progress(o, "lab %s is up: %zu hosts, %zu bridges", t->lab, t->n_hosts, t->n_switches);
    return 0;
}
