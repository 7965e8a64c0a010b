/* mig_topo.h - where agents listen (pure): 127.0.0.1, port 10000 + (controller port % 800) * 64
 * + the host's index in the topology (at most 64 hosts with agents); the key file
 * <state_dir>/agent.key. */
#ifndef HS_MIG_TOPO_H
#define HS_MIG_TOPO_H

#include <stddef.h>
#include <stdint.h>

#include "config/topology.h"

#define HS_MIG_AGENT_BASE_PORT 10000
#define HS_MIG_AGENT_LABS 800      /* distinct controller ports % this: distinct port blocks */
#define HS_MIG_AGENT_BLOCK 64      /* agent ports per lab */
#define HS_MIG_AGENT_IP 0x7f000001u

/* The agent port of host; 0 when the host is not in the topology or the port would overflow. */
uint16_t hs_mig_agent_port(const struct hs_topology *t, const char *host);
/* "<state_dir>/agent.key"; false when it does not fit. */
int hs_mig_key_path(const struct hs_topology *t, char *out, size_t size);

#endif
