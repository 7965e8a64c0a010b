/* ctl_target.h - which controller a CLI command talks to (--lab / --config / --socket). */
#ifndef HS_CLI_CTL_TARGET_H
#define HS_CLI_CTL_TARGET_H

#include <stddef.h>

struct hs_ctl_target {
    const char *lab;        /* lab name (default "hs") */
    const char *config;     /* a topology file */
    const char *socket;     /* the socket path itself */
};

/* Resolve the control socket path: --socket, else the topology file's controller section,
 * else <state>/topology.yaml of the lab, else /run/honeyshift/<lab>/ctl.sock. */
int hs_ctl_target_socket(const struct hs_ctl_target *t, char *path, size_t size, char *err,
                         size_t err_size);

#endif
