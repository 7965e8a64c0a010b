/* container.c - Sandnet containers under runc: state dir, bundle, overlay rootfs, lifecycle. */
#include "sandnet/container.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/log.h"
#include "common/util.h"
#include "sandnet/fsdiff.h"
#include "sandnet/net.h"
#include "sandnet/oci.h"
#include "sandnet/run.h"

#define RUNC_TIMEOUT 60000

static bool write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "we");
    if (!f) {
        LOG_ERR("sandnet: create %s: %s", path, strerror(errno));
        return false;
    }
    bool ok = fputs(text, f) >= 0;
    ok &= fclose(f) == 0;
    if (!ok)
        LOG_ERR("sandnet: write %s failed", path);
    return ok;
}

static bool write_json(const char *path, json_t *j)
{
    bool ok = j && json_dump_file(j, path, JSON_INDENT(2) | JSON_SORT_KEYS) == 0;
    if (!ok)
        LOG_ERR("sandnet: cannot write %s", path);
    json_decref(j);
    return ok;
}

#define STATE_PATH(var, c, rel)                                                    \
    char var[SN_PATH_MAX + 32];                                                    \
    if (!sn_state_path(c, rel, var, sizeof var)) {                                 \
        LOG_ERR("sandnet: state path too long: %s/%s", (c)->state_dir, rel);       \
        return false;                                                              \
    }

bool sn_bundle_write(const struct sn_container *c)
{
    char why[256];
    if (!sn_spec_validate(c, why, sizeof why)) {
        LOG_ERR("sandnet: invalid container %s: %s", c->id, why);
        return false;
    }
    STATE_PATH(upper, c, "upper");
    STATE_PATH(work, c, "work");
    STATE_PATH(rootfs, c, "bundle/rootfs");
    STATE_PATH(hosts, c, "bundle/hosts");
    STATE_PATH(config, c, "bundle/config.json");
    STATE_PATH(spec, c, "spec.json");
    if (!sn_mkdir_p(c->state_dir, 0700) || !sn_mkdir_p(upper, 0755) || !sn_mkdir_p(work, 0700)
        || !sn_mkdir_p(rootfs, 0755))
        return false;
    for (size_t i = 0; i < c->n_volumes; i++)
        if (!sn_mkdir_p(c->volumes[i].host, 0755))
            return false;
    char *h = sn_hosts_text(c);
    bool ok = write_text(hosts, h);
    free(h);
    /* the restore, and a dump when the hold cannot be set up, use nftables */
    const char *lock = sn_network_lock();
    ok = ok && sn_criu_conf_write(c, strcmp(lock, "hold") ? lock : "nftables");
    return ok && write_json(config, sn_oci_config(c)) && write_json(spec, sn_spec_to_json(c));
}

const char *sn_network_lock(void)
{
    const char *lock = getenv("HS_SN_NETWORK_LOCK");
    return lock && lock[0] ? lock : "hold";
}

bool sn_criu_conf_write(const struct sn_container *c, const char *lock)
{
    STATE_PATH(criu_conf, c, "bundle/criu.conf");
    /* CRIU's network lock during dump and restore: nftables (in-process, libnftables) instead
     * of CRIU's default, which runs iptables-restore twice per dump and per restore; `skip`
     * while sn_dump_hold holds the container's inbound frames.
     * skip-in-flight: a connection still in a listener's accept queue (a busy gunicorn worker,
     * the adversary's probe) otherwise fails the whole dump ("In-flight connection"); the
     * original keeps serving it (--leave-running), the clone just does not get it */
    char conf[64], tmp[SN_PATH_MAX + 40];
    if (!hs_snprintf(conf, sizeof conf, "network-lock %s\nskip-in-flight\n", lock)
        || !hs_snprintf(tmp, sizeof tmp, "%s.tmp", criu_conf)) {
        LOG_ERR("sandnet: criu.conf of %s: too long", c->id);
        return false;
    }
    /* replaced atomically: a CRIU that starts meanwhile reads the old or the new one */
    if (!write_text(tmp, conf) || rename(tmp, criu_conf) != 0) {
        LOG_ERR("sandnet: cannot write %s", criu_conf);
        unlink(tmp);
        return false;
    }
    return true;
}

bool sn_rootfs_mount(const struct sn_container *c)
{
    STATE_PATH(upper, c, "upper");
    STATE_PATH(work, c, "work");
    STATE_PATH(rootfs, c, "bundle/rootfs");
    if (strpbrk(c->lower, ",:") || strpbrk(c->state_dir, ",:")) {
        LOG_ERR("sandnet: overlay paths must not contain ',' or ':'");
        return false;
    }
    char opts[3 * SN_PATH_MAX + 64];
    if (!hs_snprintf(opts, sizeof opts, "lowerdir=%s,upperdir=%s,workdir=%s", c->lower, upper, work)) {
        LOG_ERR("sandnet: overlay options too long");
        return false;
    }
    if (mount("overlay", rootfs, "overlay", 0, opts) != 0) {
        LOG_ERR("sandnet: mount overlay on %s: %s", rootfs, strerror(errno));
        return false;
    }
    return true;
}

static bool is_mounted(const char *path)
{
    struct stat a, b;
    char parent[SN_PATH_MAX + 40];
    if (!hs_snprintf(parent, sizeof parent, "%s/..", path))
        return false;
    return stat(path, &a) == 0 && stat(parent, &b) == 0 && a.st_dev != b.st_dev;
}

bool sn_rootfs_umount(const struct sn_container *c)
{
    STATE_PATH(rootfs, c, "bundle/rootfs");
    if (!is_mounted(rootfs))
        return true;
    if (umount2(rootfs, 0) != 0 && umount2(rootfs, MNT_DETACH) != 0) {
        LOG_ERR("sandnet: umount %s: %s", rootfs, strerror(errno));
        return false;
    }
    return true;
}

bool sn_container_start(const struct sn_container *c)
{
    STATE_PATH(bundle, c, "bundle");
    if (!sn_netns_up(c, true))
        return false;
    if (!sn_bundle_write(c) || !sn_rootfs_mount(c))
        goto fail;
    const char *create[] = {"runc", "--root", SN_RUNC_ROOT, "create", "--bundle", bundle, c->id, NULL};
    const char *start[] = {"runc", "--root", SN_RUNC_ROOT, "start", c->id, NULL};
    if (sn_run(create, NULL, RUNC_TIMEOUT, false) != 0 || sn_run(start, NULL, RUNC_TIMEOUT, false) != 0)
        goto fail;
    return true;
fail:
    LOG_ERR("sandnet: container %s did not start", c->id);
    sn_container_remove(c, true);
    return false;
}

bool sn_container_state(const char *id, struct sn_runc_state *st)
{
    memset(st, 0, sizeof *st);
    struct hs_buf out = HS_BUF_INIT;
    const char *argv[] = {"runc", "--root", SN_RUNC_ROOT, "state", id, NULL};
    bool ok = sn_run(argv, &out, RUNC_TIMEOUT, true) == 0;
    json_t *j = NULL;
    if (ok) {
        json_error_t err;
        j = json_loadb((const char *)out.data, out.len, 0, &err);
        const char *status = json_string_value(json_object_get(j, "status"));
        json_t *pid = json_object_get(j, "pid");
        ok = status && json_is_integer(pid) && hs_strlcpy(st->status, status, sizeof st->status);
        if (ok)
            st->pid = (pid_t)json_integer_value(pid);
    }
    json_decref(j);
    hs_buf_free(&out);
    return ok;
}

int sn_container_exec(const char *id, const char *const argv[], struct hs_buf *out)
{
    const char *args[64] = {"runc", "--root", SN_RUNC_ROOT, "exec", id};
    size_t n = 5;
    for (size_t i = 0; argv[i]; i++) {
        if (n + 1 >= HS_ARRAY_SIZE(args)) {
            LOG_ERR("sandnet: too many exec arguments");
            return -1;
        }
        args[n++] = argv[i];
    }
    args[n] = NULL;
    return sn_run(args, out, RUNC_TIMEOUT, false);
}

bool sn_container_kill(const char *id, const char *signal)
{
    const char *argv[] = {"runc", "--root", SN_RUNC_ROOT, "kill", id, signal, NULL};
    return sn_run(argv, NULL, RUNC_TIMEOUT, false) == 0;
}

bool sn_container_remove(const struct sn_container *c, bool keep_state)
{
    bool ok = true;
    struct sn_runc_state st;
    if (sn_container_state(c->id, &st)) {
        if (strcmp(st.status, "stopped") != 0)
            sn_container_kill(c->id, "KILL");   /* delete --force below covers a failure */
        const char *del[] = {"runc", "--root", SN_RUNC_ROOT, "delete", "--force", c->id, NULL};
        ok &= sn_run(del, NULL, RUNC_TIMEOUT, false) == 0;
    }
    ok &= sn_rootfs_umount(c);
    ok &= sn_netns_down(c);
    if (!keep_state && ok)
        ok &= sn_tree_remove(c->state_dir);
    return ok;
}

bool sn_spec_load(const char *state_base, const char *id, struct sn_container *c)
{
    char path[SN_PATH_MAX + 64], why[256];
    if (!sn_id_valid(id) || !hs_snprintf(path, sizeof path, "%s/%s/spec.json", state_base, id)) {
        LOG_ERR("sandnet: bad container id '%s'", id);
        return false;
    }
    json_error_t err;
    json_t *j = json_load_file(path, 0, &err);
    if (!j) {
        LOG_ERR("sandnet: %s: %s", path, err.text);
        return false;
    }
    bool ok = sn_spec_from_json(j, c, why, sizeof why);
    if (!ok)
        LOG_ERR("sandnet: %s: %s", path, why);
    json_decref(j);
    return ok;
}
