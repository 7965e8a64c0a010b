/* oci.h - OCI runtime-spec config.json for a Sandnet container (pure, no I/O). */
#ifndef HS_SANDNET_OCI_H
#define HS_SANDNET_OCI_H

#include <jansson.h>

#include "sandnet/spec.h"

/* Build the bundle's config.json: process (args, root, rlimits nofile/nproc 1024), root
 * "rootfs" (the overlay mount point), standard mounts plus /etc/hosts and the volumes as bind
 * mounts, namespaces (network = our pre-created netns path; pid, ipc, uts, mount new).
 * Annotation org.criu.config names bundle/criu.conf (written by sn_bundle_write).
 * Returns a new reference; the spec must be valid (sn_spec_validate). */
json_t *sn_oci_config(const struct sn_container *c);

#endif
