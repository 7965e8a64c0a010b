/* sandnet_tool.c - honeyshift-sandnet: a small driver for Sandnet's containers and live
 * cloning (used by tests/integration/sandnet_clone.sh until the CLI integrates it).
 *
 *   honeyshift-sandnet net-up | net-down
 *   honeyshift-sandnet start ID --kind KIND --ip A.B.C.D/P --mac MAC [--bridge BR]
 *                      [--volume DEST]... [--host IP=NAMES]... [--hostname H] [--ofport N]
 *   honeyshift-sandnet ns-up ID (start's options)   (only the network namespace, no container)
 *   honeyshift-sandnet ns-down ID
 *   honeyshift-sandnet app-up [GROUPS] | app-down [GROUPS]       (fe/be/db 1..GROUPS, default 2)
 *   honeyshift-sandnet state ID | diff ID | rm ID | exec ID CMD... | kill ID [SIGNAL]
 *   honeyshift-sandnet clone SRC DST [--bridge BR] [--paper-order] [--no-prefreeze]
 *                      [--cutover SHELL-CMD]
 *                      (prints the step timings as JSON; --cutover runs right before the
 *                      checkpoint, e.g. to move the peers' path from the original to SN)
 *   honeyshift-sandnet lab-up [GROUPS] | lab-down      (PN + SN secure, under honeyshiftd :6710)
 *   honeyshift-sandnet ext-up | ext-down               (external hosts hsn-cl, hsn-adv)
 *   honeyshift-sandnet flows [--groups G] [--sc ID] [--ready ID,...] [--planned ID,...]
 *                      [--fresh] [--sealed] [--mode atomic|in-process] [--print]
 *                      (computes the confinement flows and installs them, or prints them)
 *   honeyshift-sandnet holds                           (SN hold counters: "ID PACKETS" lines)
 *   honeyshift-sandnet fresh SC FRESH-ID               (SC's fresh clone on PN)
 * Rootfs cache: $HS_ROOTFS_CACHE or /var/cache/honeyshift (scripts/rootfs.sh). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/util.h"
#include "sandnet/app.h"
#include "sandnet/clone.h"
#include "sandnet/container.h"
#include "sandnet/confine.h"
#include "sandnet/fsdiff.h"
#include "sandnet/labnet.h"
#include "sandnet/sandlab.h"
#include "sandnet/net.h"
#include "sandnet/run.h"
#include "sandnet/spec.h"

static const char *cache_dir(void)
{
    const char *c = getenv("HS_ROOTFS_CACHE");
    return c && c[0] ? c : "/var/cache/honeyshift";
}

static int usage(void)
{
    fprintf(stderr, "usage: honeyshift-sandnet net-up|net-down|start|app-up|app-down|state|diff|"
                    "rm|exec|kill|clone ... (see the source header)\n");
    return 2;
}

static int cmd_start(int argc, char **argv, bool netns_only)
{
    struct sn_container c;
    memset(&c, 0, sizeof c);
    if (argc < 1 || !hs_strlcpy(c.id, argv[0], sizeof c.id) || !sn_id_valid(c.id)) {
        fprintf(stderr, "sandnet: start needs a valid ID\n");
        return 2;
    }
    hs_strlcpy(c.hostname, c.id, sizeof c.hostname);
    hs_strlcpy(c.bridge, SN_BRIDGE_PN, sizeof c.bridge);
    if (!hs_snprintf(c.state_dir, sizeof c.state_dir, "%s/%s", SN_STATE_BASE, c.id))
        return 1;
    hs_strlcpy(c.args[0], "/usr/local/bin/hs-service", SN_ARG_MAX);
    c.n_args = 1;
    for (int i = 1; i < argc; i++) {
        const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!val) {
            fprintf(stderr, "sandnet: %s needs a value\n", opt);
            return 2;
        }
        i++;
        bool ok = true;
        if (!strcmp(opt, "--kind")) {
            ok = hs_strlcpy(c.kind, val, sizeof c.kind)
                && hs_snprintf(c.lower, sizeof c.lower, "%s/rootfs-%s", cache_dir(), val);
        } else if (!strcmp(opt, "--ip")) {
            char ip[32];
            const char *slash = strchr(val, '/');
            uint64_t p = 24;
            ok = hs_strlcpy(ip, val, sizeof ip);
            if (ok && slash) {
                ip[slash - val] = '\0';
                ok = hs_parse_u64(slash + 1, 32, &p);
            }
            ok = ok && hs_parse_ipv4(ip, &c.ip);
            c.prefix_len = (uint8_t)p;
        } else if (!strcmp(opt, "--mac")) {
            ok = hs_parse_mac(val, c.mac);
        } else if (!strcmp(opt, "--bridge")) {
            ok = hs_strlcpy(c.bridge, val, sizeof c.bridge);
        } else if (!strcmp(opt, "--ofport")) {
            uint64_t p = 0;
            ok = hs_parse_u64(val, 0xfeff, &p) && p > 0;
            c.ofport = (uint32_t)p;
        } else if (!strcmp(opt, "--hostname")) {
            ok = hs_strlcpy(c.hostname, val, sizeof c.hostname);
        } else if (!strcmp(opt, "--volume") && c.n_volumes < SN_MAX_VOLUMES) {
            struct sn_volume *v = &c.volumes[c.n_volumes];
            ok = hs_snprintf(v->host, sizeof v->host, "%s/volumes/%zu", c.state_dir, c.n_volumes)
                && hs_strlcpy(v->dest, val, sizeof v->dest);
            c.n_volumes++;
        } else if (!strcmp(opt, "--host") && c.n_hosts < SN_MAX_HOSTS) {
            struct sn_host_entry *h = &c.hosts[c.n_hosts++];
            char ip[32];
            const char *eq = strchr(val, '=');
            ok = eq && (size_t)(eq - val) < sizeof ip;
            if (ok) {
                memcpy(ip, val, (size_t)(eq - val));
                ip[eq - val] = '\0';
                ok = hs_parse_ipv4(ip, &h->ip) && hs_strlcpy(h->names, eq + 1, sizeof h->names);
            }
        } else {
            fprintf(stderr, "sandnet: unknown or repeated-too-often option %s\n", opt);
            return 2;
        }
        if (!ok) {
            fprintf(stderr, "sandnet: bad value for %s: %s\n", opt, val);
            return 2;
        }
    }
    char why[256];
    if (!sn_spec_validate(&c, why, sizeof why)) {
        fprintf(stderr, "sandnet: %s\n", why);
        return 2;
    }
    if (netns_only)
        return sn_netns_up(&c, true) ? 0 : 1;
    return sn_container_start(&c) ? 0 : 1;
}

static int app(bool up, int groups)
{
    int rc = 0;
    for (int g = 1; g <= groups; g++) {
        /* start the database first, so the backend's first request finds it */
        for (int t = SN_TIER_DATABASE; t >= SN_TIER_FRONTEND; t--) {
            struct sn_container c;
            if (!sn_app_spec(g, (enum sn_tier)t, cache_dir(), SN_STATE_BASE, SN_BRIDGE_PN, &c))
                return 1;
            bool ok = up ? sn_container_start(&c) : sn_container_remove(&c, false);
            if (!ok)
                rc = 1;
            else if (up)
                printf("%s started (%s)\n", c.id, c.kind);
        }
    }
    return rc;
}

static bool run_cutover(void *arg)
{
    const char *argv[] = {"sh", "-c", (const char *)arg, NULL};
    return sn_run(argv, NULL, 30000, false) == 0;
}

static int cmd_clone(int argc, char **argv)
{
    if (argc < 2)
        return usage();
    struct sn_clone_opts o = {.dst_id = argv[1], .dst_bridge = SN_BRIDGE_SN};
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--paper-order")) {
            o.paper_order = true;
        } else if (!strcmp(argv[i], "--no-prefreeze")) {
            o.no_prefreeze = true;
        } else if (i + 1 < argc && !strcmp(argv[i], "--bridge")) {
            o.dst_bridge = argv[++i];
        } else if (i + 1 < argc && !strcmp(argv[i], "--cutover")) {
            o.before_checkpoint = run_cutover;
            o.arg = argv[++i];
        } else {
            return usage();
        }
    }
    struct sn_clone_report rep;
    bool ok = sn_clone(argv[0], &o, &rep);
    json_t *j = sn_timing_json(&rep.timing);
    json_object_set_new(j, "ok", json_boolean(ok));
    json_object_set_new(j, "source", json_string(argv[0]));
    json_object_set_new(j, "clone", json_string(argv[1]));
    json_object_set_new(j, "fsdiff_entries", json_integer((json_int_t)rep.diff.n));
    json_object_set_new(j, "fsdiff_bytes", json_integer((json_int_t)rep.diff.bytes));
    json_object_set_new(j, "volume_bytes_copied", json_integer((json_int_t)rep.volumes.bytes_copied));
    json_object_set_new(j, "checkpoint_bytes", json_integer((json_int_t)rep.checkpoint.bytes_copied));
    json_object_set_new(j, "resync_files", json_integer((json_int_t)rep.resync.files_copied));
    json_object_set_new(j, "dump_hold", sn_dump_hold_json(&rep.dump_hold));
    json_object_set_new(j, "order", json_string(o.paper_order ? "paper" : "precreate"));
    json_object_set_new(j, "prefreeze", json_boolean(!o.no_prefreeze));
    char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
    if (s)
        puts(s);
    free(s);
    json_decref(j);
    sn_clone_report_free(&rep);
    return ok ? 0 : 1;
}

/* Set the clone state of each id in a comma-separated list. */
static bool mark(struct sn_confine_in *in, const char *list, enum sn_clone_state st)
{
    char buf[256];
    if (!hs_strlcpy(buf, list, sizeof buf))
        return false;
    for (char *save = NULL, *id = strtok_r(buf, ",", &save); id; id = strtok_r(NULL, ",", &save)) {
        int i = sn_lab_node(in, id);
        if (i < 0) {
            fprintf(stderr, "sandnet: no container %s in the lab\n", id);
            return false;
        }
        in->nodes[i].clone = st;
    }
    return true;
}

static int cmd_flows(int argc, char **argv)
{
    uint64_t groups = 2;
    const char *sc = NULL, *ready = NULL, *planned = NULL, *mode = "atomic";
    bool fresh = false, sealed = false, print = false;
    for (int i = 0; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(o, "--fresh")) fresh = true;
        else if (!strcmp(o, "--sealed")) sealed = true;
        else if (!strcmp(o, "--print")) print = true;
        else if (v && !strcmp(o, "--groups") && hs_parse_u64(v, 9, &groups)) i++;
        else if (v && !strcmp(o, "--sc")) sc = argv[++i];
        else if (v && !strcmp(o, "--ready")) ready = argv[++i];
        else if (v && !strcmp(o, "--planned")) planned = argv[++i];
        else if (v && !strcmp(o, "--mode")) mode = argv[++i];
        else return usage();
    }
    struct sn_confine_in *in = xcalloc(1, sizeof *in);
    struct sn_flowlist *fl = xcalloc(1, sizeof *fl);
    int rc = 1;
    char why[256];
    if (!sn_lab_confine_init((int)groups, in))
        goto out;
    if (sc && (in->sc = sn_lab_node(in, sc)) < 0) {
        fprintf(stderr, "sandnet: no container %s in the lab\n", sc);
        goto out;
    }
    if ((ready && !mark(in, ready, SN_CLONE_READY)) || (planned && !mark(in, planned, SN_CLONE_PLANNED)))
        goto out;
    if (!strcmp(mode, "in-process"))
        in->mode = SN_MODE_INPROCESS;
    else if (strcmp(mode, "atomic") != 0)
        goto out;
    in->sealed = sealed;
    if (fresh && in->sc >= 0)
        in->fresh_port = SN_LAB_FRESH_BASE + in->nodes[in->sc].pn_port;
    if (!sn_confine_validate(in, why, sizeof why)) {
        fprintf(stderr, "sandnet: %s\n", why);
        goto out;
    }
    if (!sn_confine_flows(in, fl))
        goto out;
    if (print) {
        for (int b = 0; b < 2; b++) {
            char *t = sn_flows_render(fl, (enum sn_bridge_id)b);
            if (t)
                printf("# %s\n%s", b ? SN_BRIDGE_SN : SN_BRIDGE_PN, t);
            free(t);
        }
        rc = 0;
    } else {
        rc = sn_flows_install(fl) ? 0 : 1;
    }
out:
    free(in);
    free(fl);
    return rc;
}

static int cmd_holds(void)
{
    struct sn_confine_in in;
    uint64_t counts[SN_CONFINE_MAX_NODES];
    if (!sn_lab_confine_init(9, &in)
        || !sn_hold_counts(counts))
        return 1;
    for (size_t i = 0; i < in.n_nodes; i++)
        if (counts[i])
            printf("%s %llu\n", in.nodes[i].id, (unsigned long long)counts[i]);
    return 0;
}

int main(int argc, char **argv)
{
    hs_log_init("honeyshift-sandnet", getenv("HS_DEBUG") ? HS_LOG_DEBUG : HS_LOG_INFO);
    if (argc < 2)
        return usage();
    const char *cmd = argv[1];
    struct sn_container c;
    if (!strcmp(cmd, "net-up"))
        return sn_bridge_up(SN_BRIDGE_PN) && sn_bridge_up(SN_BRIDGE_SN) ? 0 : 1;
    if (!strcmp(cmd, "net-down")) {
        bool a = sn_bridge_down(SN_BRIDGE_PN), b = sn_bridge_down(SN_BRIDGE_SN);
        return a && b ? 0 : 1;
    }
    if (!strcmp(cmd, "start") || !strcmp(cmd, "ns-up"))
        return cmd_start(argc - 2, argv + 2, cmd[0] == 'n');
    if (!strcmp(cmd, "ns-down")) {
        if (argc < 3 || !hs_strlcpy(c.id, argv[2], sizeof c.id) || !sn_id_valid(c.id))
            return usage();
        return sn_netns_down(&c) ? 0 : 1;
    }
    if (!strcmp(cmd, "lab-up")) {
        uint64_t g = 2;
        if (argc > 2 && !hs_parse_u64(argv[2], 9, &g))
            return usage();
        return sn_lab_net_up((int)g) ? 0 : 1;
    }
    if (!strcmp(cmd, "lab-down"))
        return sn_lab_net_down() ? 0 : 1;
    if (!strcmp(cmd, "ext-up"))
        return sn_lab_ext_up() ? 0 : 1;
    if (!strcmp(cmd, "ext-down"))
        return sn_lab_ext_down() ? 0 : 1;
    if (!strcmp(cmd, "flows"))
        return cmd_flows(argc - 2, argv + 2);
    if (!strcmp(cmd, "holds"))
        return cmd_holds();
    if (!strcmp(cmd, "fresh")) {
        if (argc < 4)
            return usage();
        struct sn_container f;
        return sn_fresh_start(argv[2], argv[3], &f) ? 0 : 1;
    }
    if (!strcmp(cmd, "app-up") || !strcmp(cmd, "app-down")) {
        uint64_t g = 2;
        if (argc > 2 && !hs_parse_u64(argv[2], 9, &g))
            return usage();
        return app(cmd[4] == 'u', (int)g);
    }
    if (!strcmp(cmd, "clone"))
        return cmd_clone(argc - 2, argv + 2);
    if (argc < 3)
        return usage();
    const char *id = argv[2];
    if (!strcmp(cmd, "state")) {
        struct sn_runc_state st;
        if (!sn_container_state(id, &st)) {
            printf("%s absent\n", id);
            return 1;
        }
        printf("%s %s %d\n", id, st.status, (int)st.pid);
        return 0;
    }
    if (!strcmp(cmd, "exec")) {
        if (argc < 4)
            return usage();
        struct hs_buf out = HS_BUF_INIT;
        int rc = sn_container_exec(id, (const char *const *)argv + 3, &out);
        if (out.len)
            fwrite(out.data, 1, out.len, stdout);
        hs_buf_free(&out);
        return rc;
    }
    if (!strcmp(cmd, "kill"))
        return sn_container_kill(id, argc > 3 ? argv[3] : "TERM") ? 0 : 1;
    if (!sn_spec_load(SN_STATE_BASE, id, &c))
        return 1;
    if (!strcmp(cmd, "rm"))
        return sn_container_remove(&c, false) ? 0 : 1;
    if (!strcmp(cmd, "diff")) {
        char upper[SN_PATH_MAX + 16];
        struct sn_diff d = {0};
        if (!sn_state_path(&c, "upper", upper, sizeof upper) || !sn_diff_list(upper, &d))
            return 1;
        char *s = sn_diff_format(&d);
        fputs(s, stdout);
        free(s);
        sn_diff_free(&d);
        return 0;
    }
    return usage();
}
