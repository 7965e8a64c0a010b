/* lab_names.c - naming rules of the lab (pure). */
#include "lab/lab_names.h"
#include "common/util.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

bool hs_lab_ifname(const char *lab, const char *host, char out[HS_LAB_IFNAME_SIZE])
{
    return hs_snprintf(out, HS_LAB_IFNAME_SIZE, "%s-%s", lab, host);
}

bool hs_lab_bump_ifnames(const char *lab, const char *host, char bridge_side[HS_LAB_IFNAME_SIZE],
                         char ipsd_side[HS_LAB_IFNAME_SIZE])
{
    return hs_snprintf(bridge_side, HS_LAB_IFNAME_SIZE, "%s-%s.b", lab, host) &&
           hs_snprintf(ipsd_side, HS_LAB_IFNAME_SIZE, "%s-%s.i", lab, host);
}

bool hs_lab_tmp_ifname(unsigned long pid, size_t index, char out[HS_LAB_IFNAME_SIZE])
{
    return hs_snprintf(out, HS_LAB_IFNAME_SIZE, "hsp%lu.%zu", pid, index);
}

bool hs_lab_netns_path(const char *lab, const char *host, char *out, size_t size)
{
    char ifn[HS_LAB_IFNAME_SIZE];
    if (!hs_lab_ifname(lab, host, ifn))
        return false;
    return hs_snprintf(out, size, "%s/%s", HS_LAB_NETNS_DIR, ifn);
}

bool hs_lab_host_dir(const char *state_dir, const char *host, char *out, size_t size)
{
    return hs_snprintf(out, size, "%s/hosts/%s", state_dir, host);
}

bool hs_lab_host_file(const char *state_dir, const char *host, const char *file, char *out,
                      size_t size)
{
    return hs_snprintf(out, size, "%s/hosts/%s/%s", state_dir, host, file);
}

bool hs_lab_state_file(const char *state_dir, const char *file, char *out, size_t size)
{
    return hs_snprintf(out, size, "%s/%s", state_dir, file);
}

void hs_lab_dpid_hex(uint64_t dpid, char out[17])
{
    snprintf(out, 17, "%016" PRIx64, dpid);
}

const char *hs_lab_hostname(const struct hs_host *h)
{
    if (h->role == HS_ROLE_HONEYPOT && h->twin[0])
        return h->twin;
    return h->name;
}

bool hs_lab_name_is_ours(const char *lab, const char *name)
{
    size_t n = strlen(lab);
    return n > 0 && strncmp(name, lab, n) == 0 && name[n] == '-' && name[n + 1] != '\0';
}

int hs_lab_check_names(const struct hs_topology *t, char *err, size_t err_size)
{
    char ifn[HS_LAB_IFNAME_SIZE];
    char path[HS_PATH_MAX];
    if (!t->lab[0]) {
        snprintf(err, err_size, "%s: the topology has no lab name", t->path);
        return -1;
    }
    if (!t->state_dir[0] || t->state_dir[0] != '/' || !strcmp(t->state_dir, "/")) {
        snprintf(err, err_size, "%s: state_dir '%s' must be an absolute path below /", t->path,
                 t->state_dir);
        return -1;
    }
    for (size_t i = 0; i < t->n_hosts; i++) {
        const struct hs_host *h = &t->hosts[i];
        if (!hs_lab_ifname(t->lab, h->name, ifn)) {
            snprintf(err, err_size,
                     "%s:%d: interface name '%s-%s' is longer than 15 characters: "
                     "shorten the lab or host name", t->path, h->line, t->lab, h->name);
            return -1;
        }
        char b[HS_LAB_IFNAME_SIZE], i2[HS_LAB_IFNAME_SIZE];
        if (hs_topology_ips_bumped(t, h) && !hs_lab_bump_ifnames(t->lab, h->name, b, i2)) {
            snprintf(err, err_size,
                     "%s:%d: bump interface name '%s-%s.b' is longer than 15 characters: "
                     "shorten the lab or host name", t->path, h->line, t->lab, h->name);
            return -1;
        }
        /* the longest per-host path: <state>/hosts/<host>/log/access.log */
        if (!hs_lab_host_file(t->state_dir, h->name, "www/index.html.tmp.XXXXXX", path,
                              sizeof path)) {
            snprintf(err, err_size, "%s:%d: state_dir '%s' is too long for host '%s'", t->path,
                     h->line, t->state_dir, h->name);
            return -1;
        }
    }
    return 0;
}
