/* spec.h - what a Sandnet container is: identity, network, image layers, volumes, peers.
 * Pure data plus its JSON form (the container's saved configuration, read back by the cloner). */
#ifndef HS_SANDNET_SPEC_H
#define HS_SANDNET_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define SN_ID_MAX 12          /* container id: [a-z0-9-], 1..11 characters */
#define SN_PATH_MAX 512
#define SN_MAX_VOLUMES 8
#define SN_MAX_HOSTS 16
#define SN_MAX_ARGS 8
#define SN_ARG_MAX 256

struct sn_volume {
    char host[SN_PATH_MAX];     /* directory on the host (per container) */
    char dest[SN_PATH_MAX];     /* absolute mount point inside the container */
};

struct sn_host_entry {
    uint32_t ip;                /* host byte order */
    char names[128];            /* space-separated names, e.g. "be1 backend" */
};

struct sn_container {
    char id[SN_ID_MAX];               /* runc id, netns "hsn-<id>", host veth "hsn<id>" */
    char hostname[64];                /* UTS name inside (the clone keeps the original's) */
    char kind[32];                    /* frontend, backend, database, ... (informational) */
    char lower[SN_PATH_MAX];          /* read-only cached rootfs (overlay lower dir) */
    char state_dir[SN_PATH_MAX];      /* bundle, upper, work, volumes, checkpoints live here */
    char bridge[32];                  /* OVS bridge the veth is plugged into */
    uint32_t ofport;                  /* OpenFlow port asked for on the bridge (0: any); a
                                       * clone keeps its original's number on SN */
    uint32_t ip;                      /* host byte order */
    uint8_t prefix_len;
    uint8_t mac[6];
    size_t n_args;
    char args[SN_MAX_ARGS][SN_ARG_MAX];
    size_t n_volumes;
    struct sn_volume volumes[SN_MAX_VOLUMES];
    size_t n_hosts;
    struct sn_host_entry hosts[SN_MAX_HOSTS];
};

/* True when id is 1..11 characters of [a-z0-9-] starting with a letter or digit. */
bool sn_id_valid(const char *id);
/* Check a whole spec (id, absolute paths, prefix, args, volumes); on failure writes a reason. */
bool sn_spec_validate(const struct sn_container *c, char *why, size_t why_size);
/* Derived names: network namespace "hsn-<id>", its path, host-side veth "hsn<id>". */
bool sn_netns_name(const struct sn_container *c, char *out, size_t size);
bool sn_netns_path(const struct sn_container *c, char *out, size_t size);
bool sn_host_ifname(const struct sn_container *c, char *out, size_t size);
/* Paths inside state_dir: "bundle", "bundle/rootfs", "upper", "work", "bundle/hosts". */
bool sn_state_path(const struct sn_container *c, const char *rel, char *out, size_t size);
/* Serialise to / parse from the saved JSON form; parse returns false with a reason. */
json_t *sn_spec_to_json(const struct sn_container *c);
bool sn_spec_from_json(const json_t *j, struct sn_container *c, char *why, size_t why_size);
/* Render the container's /etc/hosts (localhost, own hostname, peers); caller frees. */
char *sn_hosts_text(const struct sn_container *c);

#endif
