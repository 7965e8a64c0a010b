/* labnet.c - the Sandnet lab's network: controller, secure bridges, patch link, flows (I/O). */
#include "sandnet/labnet.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/log.h"
#include "common/util.h"
#include "sandnet/app.h"
#include "sandnet/container.h"
#include "sandnet/fsdiff.h"
#include "sandnet/net.h"
#include "sandnet/run.h"
#include "sandnet/sandlab.h"

#define T 20000
#define PIDFILE SN_LAB_STATE "/honeyshiftd.pid"

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static const char *honeyshiftd_path(char *buf, size_t size)
{
    const char *e = getenv("HS_HONEYSHIFTD");
    if (e && e[0])
        return e;
    char self[SN_PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) {
        self[n] = '\0';
        char *slash = strrchr(self, '/');
        if (slash) {
            *slash = '\0';
            /* build tree: src/sandnet/<prog> or src/cli/<prog> -> src/ctl/daemon/honeyshiftd */
            if (hs_snprintf(buf, size, "%s/../ctl/daemon/honeyshiftd", self) && access(buf, X_OK) == 0)
                return buf;
            if (hs_snprintf(buf, size, "%s/../ctl/honeyshiftd", self) && access(buf, X_OK) == 0)
                return buf;
            if (hs_snprintf(buf, size, "%s/honeyshiftd", self) && access(buf, X_OK) == 0)
                return buf;
        }
    }
    return "honeyshiftd";
}

/* PID from our pidfile when that process is alive and is honeyshiftd; 0 otherwise. */
static pid_t our_controller(void)
{
    FILE *f = fopen(PIDFILE, "re");
    if (!f)
        return 0;
    long pid = 0;
    int n = fscanf(f, "%ld", &pid);
    fclose(f);
    if (n != 1 || pid <= 1)
        return 0;
    char path[64], comm[64] = "";
    snprintf(path, sizeof path, "/proc/%ld/comm", pid);
    f = fopen(path, "re");
    if (!f)
        return 0;
    if (!fgets(comm, sizeof comm, f))
        comm[0] = '\0';
    fclose(f);
    return strncmp(comm, "honeyshiftd", 11) == 0 ? (pid_t)pid : 0;
}

/* Our base flows (cookie HS) are on the bridge. */
static bool base_flows_on(const char *br)
{
    struct hs_buf out = HS_BUF_INIT;
    const char *argv[] = {"ovs-ofctl", "-O", "OpenFlow13", "dump-flows", br,
                          "cookie=0x4853000000000000/0xffff000000000000", NULL};
    bool ok = sn_run(argv, &out, T, true) == 0 && out.data
        && strstr((const char *)out.data, "cookie=0x4853");
    hs_buf_free(&out);
    return ok;
}

bool sn_lab_net_up(int groups)
{
    sn_flows_forget();
    char *yaml = sn_lab_topology_yaml(groups);
    if (!yaml || !sn_mkdir_p(SN_LAB_STATE, 0755)) {
        free(yaml);
        return false;
    }
    const char *topo = SN_LAB_STATE "/topology.yaml";
    FILE *f = fopen(topo, "we");
    bool ok = f && fputs(yaml, f) >= 0;
    if (f)
        ok &= fclose(f) == 0;
    free(yaml);
    if (!ok) {
        LOG_ERR("sandnet: cannot write %s", topo);
        return false;
    }
    if (!our_controller()) {
        char buf[SN_PATH_MAX + 32];
        const char *ctld = honeyshiftd_path(buf, sizeof buf);
        const char *argv[] = {ctld, "--config", topo, "--daemon", "--pidfile", PIDFILE,
                              "--log", SN_LAB_STATE "/honeyshiftd.log", NULL};
        if (sn_run(argv, NULL, T, false) != 0) {
            LOG_ERR("sandnet: honeyshiftd did not start (%s)", ctld);
            return false;
        }
    }
    char ctl[48];
    snprintf(ctl, sizeof ctl, "tcp:127.0.0.1:%d", SN_LAB_CTL_PORT);
    if (!sn_bridge_up_secure(SN_BRIDGE_PN, SN_DPID_PN, ctl)
        || !sn_bridge_up_secure(SN_BRIDGE_SN, SN_DPID_SN, ctl)
        || !sn_patch_link(SN_BRIDGE_PN, SN_BRIDGE_SN, SN_LAB_PATCH_PORT))
        return false;
    for (int i = 0; i < 150; i++) {
        if (base_flows_on(SN_BRIDGE_PN) && base_flows_on(SN_BRIDGE_SN))
            return true;
        sleep_ms(100);
    }
    LOG_ERR("sandnet: the controller did not program %s and %s within 15 s", SN_BRIDGE_PN, SN_BRIDGE_SN);
    return false;
}

bool sn_lab_ext_up(void)
{
    for (int e = 0; e < SN_EXT_COUNT; e++) {
        struct sn_container c;
        if (!sn_lab_ext_spec((enum sn_lab_ext)e, &c) || !sn_netns_up(&c, true))
            return false;
    }
    return true;
}

bool sn_lab_ext_down(void)
{
    bool ok = true;
    for (int e = 0; e < SN_EXT_COUNT; e++) {
        struct sn_container c;
        ok &= sn_lab_ext_spec((enum sn_lab_ext)e, &c) && sn_netns_down(&c);
    }
    return ok;
}

bool sn_lab_net_down(void)
{
    sn_flows_forget();
    bool ok = sn_lab_ext_down();
    pid_t pid = our_controller();
    if (pid) {
        kill(pid, SIGTERM);
        for (int i = 0; i < 50 && our_controller(); i++)
            sleep_ms(100);
        if (our_controller()) {
            kill(pid, SIGKILL);
            sleep_ms(100);
        }
    }
    ok &= sn_bridge_down(SN_BRIDGE_PN);
    ok &= sn_bridge_down(SN_BRIDGE_SN);
    const char *files[] = {SN_LAB_STATE "/topology.yaml", PIDFILE, SN_LAB_STATE "/honeyshiftd.log",
                           SN_LAB_STATE "/flows-pn", SN_LAB_STATE "/flows-sn"};
    for (size_t i = 0; i < HS_ARRAY_SIZE(files); i++)
        unlink(files[i]);
    rmdir(SN_LAB_STATE);   /* when empty (the controller's socket and EVE log are gone) */
    return ok;
}

/* What sn_flows_install last put on the bridges (this process; NULL: unknown, replace all). */
static struct sn_flowlist *g_installed;

void sn_flows_forget(void)
{
    free(g_installed);
    g_installed = NULL;
}

bool sn_flows_install(const struct sn_flowlist *fl)
{
    /* SN first: a clone's forwarding on SN is in place before PN sends SC's traffic into the
     * patch, so no packet (a SYN, an ACK) falls into SN's hold in between */
    const char *bridges[2] = {SN_BRIDGE_SN, SN_BRIDGE_PN};
    const enum sn_bridge_id ids[2] = {SN_BR_SN, SN_BR_PN};
    const char *files[2] = {SN_LAB_STATE "/flows-sn", SN_LAB_STATE "/flows-pn"};
    if (!sn_mkdir_p(SN_LAB_STATE, 0755))
        return false;
    for (int b = 0; b < 2; b++) {
        bool empty = false;
        char *text = sn_flows_render_diff(g_installed, fl, ids[b], &empty);
        if (text && empty) {
            free(text);
            continue;
        }
        FILE *f = text ? fopen(files[b], "we") : NULL;
        bool ok = f && fputs(text, f) >= 0;
        if (f)
            ok &= fclose(f) == 0;
        free(text);
        const char *argv[] = {"ovs-ofctl", "-O", "OpenFlow14", "--bundle", "add-flows",
                              bridges[b], files[b], NULL};
        if (!ok || sn_run(argv, NULL, T, false) != 0) {
            LOG_ERR("sandnet: installing flows on %s failed", bridges[b]);
            sn_flows_forget();   /* state unknown: the next install replaces everything */
            return false;
        }
    }
    if (!g_installed)
        g_installed = xmalloc(sizeof *g_installed);
    *g_installed = *fl;
    return true;
}

/* Packet counts per node (cookie detail) of our flows of one kind on SN. */
static bool sn_rule_counts(enum sn_rule rule, uint64_t counts[SN_CONFINE_MAX_NODES])
{
    char filter[96];
    snprintf(filter, sizeof filter, "cookie=0x%016llx/0xffffffff00000000",
             (unsigned long long)(SN_COOKIE_TAG | (uint64_t)rule << 32));
    struct hs_buf out = HS_BUF_INIT;
    const char *argv[] = {"ovs-ofctl", "-O", "OpenFlow13", "dump-flows", SN_BRIDGE_SN, filter, NULL};
    bool ok = sn_run(argv, &out, T, false) == 0 && out.data
        && sn_dump_counts((const char *)out.data, out.len, rule, counts, NULL, SN_CONFINE_MAX_NODES);
    hs_buf_free(&out);
    return ok;
}

bool sn_hold_counts(uint64_t counts[SN_CONFINE_MAX_NODES])
{
    return sn_rule_counts(SN_R_SN_HOLD, counts);
}

bool sn_fwd_counts(uint64_t counts[SN_CONFINE_MAX_NODES])
{
    return sn_rule_counts(SN_R_SN_FWD, counts);
}

bool sn_fresh_start(const char *sc_id, const char *fresh_id, struct sn_container *fresh)
{
    struct sn_container sc;
    if (!sn_spec_load(SN_STATE_BASE, sc_id, &sc))
        return false;
    *fresh = sc;
    bool ok = sn_id_valid(fresh_id) && hs_strlcpy(fresh->id, fresh_id, sizeof fresh->id)
        && hs_snprintf(fresh->state_dir, sizeof fresh->state_dir, "%s/%s", SN_STATE_BASE, fresh_id);
    for (size_t i = 0; ok && i < fresh->n_volumes; i++)
        ok = hs_snprintf(fresh->volumes[i].host, sizeof fresh->volumes[i].host, "%s/volumes/%zu",
                         fresh->state_dir, i);
    fresh->ofport = SN_LAB_FRESH_BASE + sc.ofport;
    if (!ok || !sc.ofport) {
        LOG_ERR("sandnet: cannot derive the fresh clone of %s", sc_id);
        return false;
    }
    /* clean image: empty upper dir and volumes; the same identity; SC's neighbours (the
     * controller answers ARP only on the topology's ports) */
    return sn_container_start(fresh) && sn_neigh_copy(&sc, fresh);
}
