/* oci.c - OCI runtime-spec config.json generation for Sandnet containers (pure). */
#include "sandnet/oci.h"

#include <string.h>

#include "common/util.h"

static json_t *str_array(const char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(v[i]));
    return a;
}

static json_t *mount(const char *dest, const char *type, const char *src,
                     const char *const *opts, size_t n_opts)
{
    return json_pack("{s:s, s:s, s:s, s:o}", "destination", dest, "type", type, "source", src,
                     "options", str_array(opts, n_opts));
}

static json_t *rlimit(const char *type, int v)
{
    return json_pack("{s:s, s:i, s:i}", "type", type, "hard", v, "soft", v);
}

json_t *sn_oci_config(const struct sn_container *c)
{
    /* docker's default capability set; CAP_SYS_RESOURCE is not available on this platform */
    static const char *const caps[] = {
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
        "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
    };
    static const char *const env[] = {
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "HOME=/root", "LANG=C.UTF-8", "TERM=dumb",
    };
    static const char *const o_proc[] = {"nosuid", "noexec", "nodev"};
    static const char *const o_dev[] = {"nosuid", "strictatime", "mode=755", "size=65536k"};
    static const char *const o_pts[] = {"nosuid", "noexec", "newinstance", "ptmxmode=0666",
                                        "mode=0620", "gid=5"};
    static const char *const o_shm[] = {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"};
    static const char *const o_mq[] = {"nosuid", "noexec", "nodev"};
    static const char *const o_sys[] = {"nosuid", "noexec", "nodev", "ro"};
    static const char *const o_hosts[] = {"rbind", "ro"};
    static const char *const o_vol[] = {"rbind", "rw"};
    static const char *const masked[] = {
        "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
        "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
        "/sys/firmware",
    };
    static const char *const readonly[] = {
        "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
    };

    json_t *args = json_array();
    for (size_t i = 0; i < c->n_args; i++)
        json_array_append_new(args, json_string(c->args[i]));
    json_t *capset = json_pack("{s:o, s:o, s:o}",
                               "bounding", str_array(caps, HS_ARRAY_SIZE(caps)),
                               "effective", str_array(caps, HS_ARRAY_SIZE(caps)),
                               "permitted", str_array(caps, HS_ARRAY_SIZE(caps)));
    json_t *rlimits = json_array();
    json_array_append_new(rlimits, rlimit("RLIMIT_NOFILE", 1024));
    json_array_append_new(rlimits, rlimit("RLIMIT_NPROC", 1024));
    json_t *process = json_pack("{s:b, s:{s:i, s:i}, s:o, s:o, s:s, s:o, s:o, s:b}",
                                "terminal", 0, "user", "uid", 0, "gid", 0,
                                "args", args, "env", str_array(env, HS_ARRAY_SIZE(env)),
                                "cwd", "/", "capabilities", capset, "rlimits", rlimits,
                                "noNewPrivileges", 1);

    char hosts[SN_PATH_MAX + 16];
    if (!sn_state_path(c, "bundle/hosts", hosts, sizeof hosts))
        hosts[0] = '\0';   /* unreachable for a validated spec: state_dir < SN_PATH_MAX */
    json_t *mounts = json_array();
    json_array_append_new(mounts, mount("/proc", "proc", "proc", o_proc, HS_ARRAY_SIZE(o_proc)));
    json_array_append_new(mounts, mount("/dev", "tmpfs", "tmpfs", o_dev, HS_ARRAY_SIZE(o_dev)));
    json_array_append_new(mounts, mount("/dev/pts", "devpts", "devpts", o_pts, HS_ARRAY_SIZE(o_pts)));
    json_array_append_new(mounts, mount("/dev/shm", "tmpfs", "shm", o_shm, HS_ARRAY_SIZE(o_shm)));
    json_array_append_new(mounts, mount("/dev/mqueue", "mqueue", "mqueue", o_mq, HS_ARRAY_SIZE(o_mq)));
    json_array_append_new(mounts, mount("/sys", "sysfs", "sysfs", o_sys, HS_ARRAY_SIZE(o_sys)));
    json_array_append_new(mounts, mount("/etc/hosts", "bind", hosts, o_hosts, HS_ARRAY_SIZE(o_hosts)));
    for (size_t i = 0; i < c->n_volumes; i++)
        json_array_append_new(mounts, mount(c->volumes[i].dest, "bind", c->volumes[i].host,
                                            o_vol, HS_ARRAY_SIZE(o_vol)));

    char netns[SN_PATH_MAX];
    if (!sn_netns_path(c, netns, sizeof netns))
        netns[0] = '\0';   /* unreachable: id is at most 11 characters */
    json_t *ns = json_array();
    json_array_append_new(ns, json_pack("{s:s}", "type", "pid"));
    json_array_append_new(ns, json_pack("{s:s, s:s}", "type", "network", "path", netns));
    json_array_append_new(ns, json_pack("{s:s}", "type", "ipc"));
    json_array_append_new(ns, json_pack("{s:s}", "type", "uts"));
    json_array_append_new(ns, json_pack("{s:s}", "type", "mount"));

    json_t *linux_ = json_pack("{s:o, s:o, s:o}", "namespaces", ns,
                               "maskedPaths", str_array(masked, HS_ARRAY_SIZE(masked)),
                               "readonlyPaths", str_array(readonly, HS_ARRAY_SIZE(readonly)));
    char ip[16], criu_conf[SN_PATH_MAX + 32];
    hs_format_ipv4(c->ip, ip);
    if (!sn_state_path(c, "bundle/criu.conf", criu_conf, sizeof criu_conf))
        criu_conf[0] = '\0';   /* unreachable for a validated spec; "" = no CRIU config */
    /* runc hands org.criu.config to CRIU as its configuration file (checkpoint and restore) */
    json_t *annotations = json_pack("{s:s, s:s, s:s, s:s}", "org.honeyshift.sandnet.kind", c->kind,
                                    "org.honeyshift.sandnet.ip", ip,
                                    "org.honeyshift.sandnet.bridge", c->bridge,
                                    "org.criu.config", criu_conf);
    return json_pack("{s:s, s:o, s:{s:s, s:b}, s:s, s:o, s:o, s:o}",
                     "ociVersion", "1.0.2", "process", process,
                     "root", "path", "rootfs", "readonly", 0,
                     "hostname", c->hostname, "mounts", mounts, "linux", linux_,
                     "annotations", annotations);
}
