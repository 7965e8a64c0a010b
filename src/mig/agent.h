/* agent.h - honeyshift-agent internals: one agent per lab host, in the root namespaces,
 * entering its host's namespaces for CRIU and netlink work. */
#ifndef HS_MIG_AGENT_H
#define HS_MIG_AGENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "config/topology.h"
#include "mig/mig_chan.h"
#include "mig/mig_req.h"

struct json_t;

struct hs_agent {
    struct hs_topology *t;
    const struct hs_host *host;
    uint8_t key[HS_MIG_KEY_LEN];
    const char *criu;           /* CRIU binary */
    int criu_verbosity;         /* $HS_AGENT_CRIU_VERBOSITY (1..4: CRIU's -vN, logs in run_dir) */
    char shm_dir[256];          /* images: /dev/shm/honeyshift-<lab>-<host>/<id> */
    char run_dir[HS_PATH_MAX + 64]; /* <state_dir>/mig/<host>: nest pid files, logs */
    unsigned long long gc_reaped; /* nests reaped by the garbage collector (agent_gc.c) */
};

/* Handle one request on an authenticated connection; fills resp (ok/error added by caller).
 * Returns 0 or -1 with a message. */
int agent_handle(struct hs_agent *a, struct hs_mig_chan *c, const struct hs_mig_req *r,
                 struct json_t *resp, char *err, size_t err_size);
/* restore: CRIU restore of images id inside the host, in a fresh nested PID namespace. */
int agent_restore(struct hs_agent *a, const struct hs_mig_req *r, struct json_t *resp, char *err,
                  size_t err_size);
/* release: kill the nests of restored processes for client (all when client_ip is 0). */
int agent_release(struct hs_agent *a, uint32_t client_ip, unsigned *killed, char *err,
                  size_t err_size);
/* Garbage collector (agent_gc.c): remove image directories an earlier agent left; start the
 * collector with the topology's relocation.gc_grace_ms. Call once before serving. */
void agent_gc_start(struct hs_agent *a);
/* Run what is due (reap nests whose attacker has no live connection left for the grace period,
 * once a second; stale images and old CRIU logs every 30 s). Returns ms until the next run. */
int agent_gc_tick(struct hs_agent *a);
/* Image directory of id into out; false when it does not fit. */
int agent_img_dir(const struct hs_agent *a, const char *id, char *out, size_t size);
/* Remove an image directory (flat) and everything in it. */
void agent_rm_images(const char *dir);
/* True when pid runs the agent's program (a nest's init is a fork of the agent). */
bool agent_pid_is_agent(pid_t pid);

#endif
