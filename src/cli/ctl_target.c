/* ctl_target.c - resolving the control socket a CLI command talks to. */
#include "cli/ctl_target.h"
#include "common/util.h"
#include "config/topology.h"

#include <stdio.h>
#include <unistd.h>

int hs_ctl_target_socket(const struct hs_ctl_target *t, char *path, size_t size, char *err,
                         size_t err_size)
{
    if (t->socket) {
        if (!hs_strlcpy(path, t->socket, size)) {
            snprintf(err, err_size, "socket path too long");
            return -1;
        }
        return 0;
    }
    char state_topo[HS_PATH_MAX];
    const char *file = t->config;
    if (!file) {
        if (!hs_snprintf(state_topo, sizeof state_topo, "/run/honeyshift/%s/topology.yaml",
                         t->lab ? t->lab : "hs")) {
            snprintf(err, err_size, "lab name too long");
            return -1;
        }
        if (access(state_topo, R_OK) == 0)
            file = state_topo;
    }
    if (file) {
        struct hs_topology *topo;
        struct hs_cfg_err cerr;
        if (hs_topology_load(file, &topo, &cerr) != 0) {
            snprintf(err, err_size, "%s", cerr.msg);
            return -1;
        }
        bool ok = hs_strlcpy(path, topo->controller.control_socket, size);
        hs_topology_free(topo);
        if (!ok) {
            snprintf(err, err_size, "socket path too long");
            return -1;
        }
        return 0;
    }
    if (!hs_snprintf(path, size, "/run/honeyshift/%s/ctl.sock", t->lab ? t->lab : "hs")) {
        snprintf(err, err_size, "lab name too long");
        return -1;
    }
    return 0;
}
