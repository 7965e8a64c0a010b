/* lab_status.c - `lab status`: the lab's state as JSON, and as aligned tables. */
#include "lab/lab.h"
#include "common/util.h"
#include "lab/lab_ctl.h"
#include "lab/lab_names.h"
#include "lab/lab_net.h"
#include "lab/lab_ns.h"
#include "lab/lab_svc.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *host_status(const struct hs_topology *t, const struct hs_host *h,
                           bool no_controller, bool *all_up)
{
    char ip[16], mac[18], addr[24], netns[256], dir[4096];
    hs_format_ipv4(h->ip, ip);
    hs_format_mac(h->mac, mac);
    snprintf(addr, sizeof addr, "%s/%u", ip, (unsigned)h->prefix_len);
    bool names_ok = hs_lab_netns_path(t->lab, h->name, netns, sizeof netns) &&
                    hs_lab_host_dir(t->state_dir, h->name, dir, sizeof dir);
    pid_t init = hs_lab_host_init_pid(t, h->name);
    bool ns_ok = names_ok && init && hs_lab_netns_is(netns, init);
    bool link_ok = init && hs_lab_link_ok(t, h, init);
    bool link_up = link_ok && hs_lab_link_outer_up(t, h);
    bool want_up = !(no_controller && h->role == HS_ROLE_HONEYPOT);
    json_t *svcs = json_array();
    for (size_t j = 0; j < h->n_services; j++) {
        const struct hs_service *s = &h->services[j];
        pid_t pid = names_ok ? hs_lab_svc_pid(s, dir) : 0;
        bool up = pid && init && hs_lab_svc_accepts(init, s);
        *all_up = *all_up && up;
        json_array_append_new(svcs, json_pack("{s:s, s:s, s:i, s:b, s:I}", "name", s->name,
            "kind", hs_service_kind_name(s->kind), "port", (int)s->port, "up", up,
            "pid", (json_int_t)pid));
    }
    *all_up = *all_up && init && ns_ok && link_ok && link_up == want_up;
    return json_pack("{s:s, s:s, s:s, s:b, s:I, s:s, s:b, s:b, s:b, s:s, s:s, s:s, s:i, s:o}",
        "name", h->name, "role", hs_role_name(h->role), "hostname", hs_lab_hostname(h),
        "init", init != 0, "pid", (json_int_t)init, "netns", names_ok ? netns : "",
        "netns_present", ns_ok, "link", link_ok, "link_up", link_up, "ip", addr, "mac", mac,
        "switch", t->switches[h->switch_index].name, "port", (int)h->port, "services", svcs);
}

static json_t *load_stats(const char *path)
{
    json_error_t jerr;
    return json_load_file(path, 0, &jerr);
}

/* ips.mode bump: one entry per protected host (its bump link, its daemon, its counters); link,
 * running, pid and stats at the top are all bumps' links up, all daemons running, and the first
 * bump's daemon. */
static json_t *bump_status(const struct hs_topology *t, bool *all_up)
{
    const struct hs_ips_cfg *ips = &t->ips;
    json_t *bumps = json_array(), *first_stats = NULL;
    bool links = true, running = true;
    pid_t first = 0;
    for (size_t i = 0; ips->enabled && i < t->n_hosts; i++) {
        const struct hs_host *h = &t->hosts[i];
        if (!hs_topology_ips_bumped(t, h))
            continue;
        char b[HS_LAB_IFNAME_SIZE] = "", in[HS_LAB_IFNAME_SIZE] = "", outer[HS_LAB_IFNAME_SIZE] = "";
        char path[4096];
        hs_lab_bump_ifnames(t->lab, h->name, b, in);
        hs_lab_ifname(t->lab, h->name, outer);
        bool link = hs_lab_bump_link_ok(t, h);
        pid_t pid = hs_lab_bump_ipsd_pid(t, h);
        json_t *stats = pid && hs_lab_bump_file(t, h, "stats.json", path, sizeof path)
                            ? load_stats(path) : NULL;
        if (!first && pid) {
            first = pid;
            first_stats = stats ? json_incref(stats) : NULL;
        }
        links = links && link;
        running = running && pid;
        json_array_append_new(bumps, json_pack("{s:s, s:s, s:I, s:s, s:s, s:s, s:b, s:b, s:I, s:o}",
            "host", h->name, "switch", t->switches[h->switch_index].name, "port",
            (json_int_t)h->port, "link_name", b, "daemon_ifname", in, "host_ifname", outer,
            "link", link, "running", pid != 0, "pid", (json_int_t)pid, "stats",
            stats ? stats : json_null()));
    }
    if (ips->enabled)
        *all_up = *all_up && links && running; /* a bump runs also without a controller */
    return json_pack("{s:b, s:b, s:s, s:s, s:I, s:b, s:b, s:I, s:o, s:o}", "configured", 1,
                     "enabled", ips->enabled, "mode", hs_ips_mode_name(ips->mode), "switch",
                     ips->switch_name, "port", (json_int_t)0, "link", ips->enabled && links,
                     "running", ips->enabled && running && first, "pid", (json_int_t)first,
                     "stats", first_stats ? first_stats : json_null(), "bumps", bumps);
}

/* The IPS: link, daemon, its counters (the stats file it rewrites every second). */
static json_t *ips_status(const struct hs_topology *t, bool no_controller, bool *all_up)
{
    const struct hs_ips_cfg *ips = &t->ips;
    if (!ips->present)
        return json_pack("{s:b, s:b}", "configured", 0, "enabled", 0);
    if (ips->mode == HS_IPS_BUMP)
        return bump_status(t, all_up);
    bool link = ips->enabled && hs_lab_ips_link_ok(t);
    pid_t pid = ips->enabled ? hs_lab_ipsd_pid(t) : 0;
    char outer[16] = "", inner[16] = "", path[4096];
    hs_lab_ips_ifnames(t, outer, inner);
    json_t *stats = NULL;
    if (pid && hs_lab_state_file(t->state_dir, "ipsd.stats.json", path, sizeof path)) {
        json_error_t jerr;
        stats = json_load_file(path, 0, &jerr);
    }
    if (ips->enabled)
        *all_up = *all_up && link && (no_controller || pid);
    return json_pack("{s:b, s:b, s:s, s:s, s:I, s:s, s:s, s:b, s:b, s:I, s:o}", "configured", 1,
                     "enabled", ips->enabled, "mode", hs_ips_mode_name(ips->mode), "switch",
                     ips->switch_name, "port",
                     (json_int_t)ips->port, "link_name", outer, "daemon_ifname", inner, "link",
                     link, "running", pid != 0, "pid", (json_int_t)pid, "stats",
                     stats ? stats : json_null());
}

json_t *hs_lab_status(const struct hs_lab_target *tg, bool no_controller, bool *all_up)
{
    const struct hs_topology *t = tg->topo;
    *all_up = true;
    json_t *hosts = json_array(), *bridges = json_array();
    for (size_t i = 0; i < t->n_hosts; i++)
        json_array_append_new(hosts, host_status(t, &t->hosts[i], no_controller, all_up));
    for (size_t i = 0; i < t->n_switches; i++) {
        char e[512], dpid[17];
        int ex = hs_lab_bridge_exists(t->switches[i].name, e, sizeof e);
        hs_lab_dpid_hex(t->switches[i].dpid, dpid);
        *all_up = *all_up && ex == 1;
        json_array_append_new(bridges, json_pack("{s:s, s:s, s:b}", "name", t->switches[i].name,
                                                 "dpid", dpid, "present", ex == 1));
    }
    pid_t cpid = hs_lab_ctl_pid(t);
    json_t *ctl = json_pack("{s:I, s:b, s:s}", "pid", (json_int_t)cpid, "running", cpid != 0,
                            "control_socket", t->controller.control_socket);
    char *ans = NULL;
    char e[512];
    bool answers = false;
    if (t->controller.control_socket[0] && hs_lab_ctl_status(t, &ans, 2000, e, sizeof e) == 0) {
        json_error_t jerr;
        json_t *st = json_loads(ans, 0, &jerr);
        answers = st != NULL;
        if (st)
            json_object_set_new(ctl, "status", st);
        else
            json_object_set_new(ctl, "error", json_string(jerr.text));
        free(ans);
    } else if (t->controller.control_socket[0]) {
        json_object_set_new(ctl, "error", json_string(e));
    }
    json_object_set_new(ctl, "answers", json_boolean(answers));
    if (!no_controller)
        *all_up = *all_up && cpid && answers;
    json_t *ips = ips_status(t, no_controller, all_up);
    return json_pack("{s:s, s:s, s:s, s:b, s:b, s:o, s:o, s:o, s:o}", "lab", t->lab, "topology",
                     tg->source, "state_dir", t->state_dir, "no_controller", no_controller,
                     "all_up", *all_up, "hosts", hosts, "bridges", bridges, "controller", ctl,
                     "ips", ips);
}

static const char *str(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static long long num(const json_t *o, const char *k)
{
    return (long long)json_integer_value(json_object_get(o, k));
}

static bool flag(const json_t *o, const char *k) { return json_is_true(json_object_get(o, k)); }

/* "honeyshift-ipsd pid N (counters)" of a daemon entry, and a newline. */
static void print_daemon(const json_t *d, FILE *out)
{
    if (flag(d, "running"))
        fprintf(out, "honeyshift-ipsd pid %lld", num(d, "pid"));
    else
        fprintf(out, "honeyshift-ipsd not running");
    const json_t *sts = json_object_get(d, "stats");
    const json_t *v = json_object_get(sts, "verdicts");
    if (v)
        fprintf(out, " (%s: %lld frames, %lld passed, %lld dropped, %lld attacks)",
                str(sts, "inspector"), num(v, "frames"), num(v, "passed"), num(v, "dropped"),
                num(v, "attacks"));
    fputc('\n', out);
}

void hs_lab_status_print(const json_t *st, FILE *out)
{
    const json_t *hosts = json_object_get(st, "hosts");
    const json_t *bridges = json_object_get(st, "bridges");
    const json_t *ctl = json_object_get(st, "controller");
    fprintf(out, "lab %s: %s  (state %s, topology %s)\n\n", str(st, "lab"),
            flag(st, "all_up") ? "UP" : "NOT UP", str(st, "state_dir"), str(st, "topology"));
    int wn = 4, wi = 2;
    size_t i;
    json_t *h;
    json_array_foreach(hosts, i, h) {
        int n = (int)strlen(str(h, "name")), m = (int)strlen(str(h, "ip"));
        wn = n > wn ? n : wn;
        wi = m > wi ? m : wi;
    }
    fprintf(out, "%-*s  %-10s  %-8s  %-5s  %-4s  %-*s  %-17s  %4s  %s\n", wn, "HOST", "ROLE",
            "INIT", "NETNS", "LINK", wi, "IP", "MAC", "PORT", "SERVICES");
    json_array_foreach(hosts, i, h) {
        char init[16];
        if (flag(h, "init"))
            snprintf(init, sizeof init, "%lld", num(h, "pid"));
        else
            snprintf(init, sizeof init, "down");
        fprintf(out, "%-*s  %-10s  %-8s  %-5s  %-4s  %-*s  %-17s  %4lld  ", wn, str(h, "name"),
                str(h, "role"), init, flag(h, "netns_present") ? "yes" : "no",
                !flag(h, "link") ? "none" : flag(h, "link_up") ? "up" : "held", wi, str(h, "ip"), str(h, "mac"),
                num(h, "port"));
        const json_t *svcs = json_object_get(h, "services");
        if (json_array_size(svcs) == 0)
            fputs("-", out);
        size_t k;
        json_t *s;
        json_array_foreach(svcs, k, s) {
            fprintf(out, "%s%s(%s:%lld) ", k ? ", " : "", str(s, "name"), str(s, "kind"),
                    num(s, "port"));
            if (flag(s, "up"))
                fprintf(out, "up pid %lld", num(s, "pid"));
            else
                fputs("down", out);
        }
        fputc('\n', out);
    }
    fprintf(out, "\n%-16s  %-16s  %s\n", "BRIDGE", "DPID", "PRESENT");
    json_array_foreach(bridges, i, h)
        fprintf(out, "%-16s  %-16s  %s\n", str(h, "name"), str(h, "dpid"),
                flag(h, "present") ? "yes" : "no");
    fprintf(out, "\ncontroller: ");
    if (flag(ctl, "running"))
        fprintf(out, "honeyshiftd pid %lld", num(ctl, "pid"));
    else
        fprintf(out, "not running");
    if (flag(ctl, "answers")) {
        const json_t *sws = json_object_get(json_object_get(ctl, "status"), "switches");
        size_t ready = 0;
        json_array_foreach(sws, i, h)
            ready += flag(h, "connected") && flag(h, "ready");
        fprintf(out, ", answers on %s (%zu of %zu switches ready)\n", str(ctl, "control_socket"),
                ready, json_array_size(sws));
    } else {
        fprintf(out, ", no answer on %s%s%s\n", str(ctl, "control_socket"),
                str(ctl, "error")[0] ? ": " : "", str(ctl, "error"));
    }
    const json_t *ips = json_object_get(st, "ips");
    if (flag(ips, "configured") && !strcmp(str(ips, "mode"), "bump")) {
        fprintf(out, "ips: %s, mode bump (honeyshift-ipsd in front of each production host)\n",
                flag(ips, "enabled") ? "enabled" : "disabled");
        json_array_foreach(json_object_get(ips, "bumps"), i, h) {
            fprintf(out, "  %s: link %s (%s port %lld) %s, %s <-> %s, ", str(h, "host"),
                    str(h, "link_name"), str(h, "switch"), num(h, "port"),
                    flag(h, "link") ? "up" : "missing", str(h, "daemon_ifname"),
                    str(h, "host_ifname"));
            print_daemon(h, out);
        }
    } else if (flag(ips, "configured")) {
        fprintf(out, "ips: %s", flag(ips, "enabled") ? "enabled" : "disabled");
        if (flag(ips, "enabled")) {
            fprintf(out, ", link %s (%s port %lld) %s, ", str(ips, "link_name"),
                    str(ips, "switch"), num(ips, "port"), flag(ips, "link") ? "up" : "missing");
            print_daemon(ips, out);
        } else {
            fputc('\n', out);
        }
    }
    if (flag(st, "no_controller"))
        fprintf(out, "(HS_NO_CONTROLLER=1: the controller is not required)\n");
}
