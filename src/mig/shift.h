/* shift.h - relocation of one client's live TCP session (with the server process holding it)
 * from a production host into its honeypot, driven through the hosts' agents; the library the
 * CLI (`honeyshift shift|unshift`) and later the controller call.
 *
 * Sequence: flows block (drop client<->production, open honeypot->client) -> locate -> dump
 * (CRIU, leave running) -> transfer (agent to agent) -> restore (nested PID namespace; other
 * clients' sockets closed silently) -> flows open (client->honeypot) -> the client's socket in
 * production destroyed silently. On failure or past the deadline: roll back (drops stay, the
 * honeypot->client and client->honeypot rules go, restored process killed, images removed). */
#ifndef HS_MIG_SHIFT_H
#define HS_MIG_SHIFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "config/topology.h"

struct hs_shift_req {
    const struct hs_topology *t;
    const char *from, *to;          /* production host, honeypot host */
    uint32_t client_ip;             /* the attacker (host byte order) */
    uint16_t client_port;
    uint16_t server_port;           /* 0: the production host's first service port */
    unsigned deadline_ms;           /* 0: 2000 */
    const char *key_path;           /* NULL: <state_dir>/agent.key */
    const char *ctl_socket;         /* the controller's control socket: the flows go through it
                                     * (reloc_block / reloc_open / reloc_release, answered after
                                     * the switch's BARRIER_REPLY; reloc_open also re-injects the
                                     * held request). NULL: ovs-ofctl. When the controller cannot
                                     * be reached the attempt fails and the roll-back removes the
                                     * rules with ovs-ofctl. */
    const char *id;                 /* relocation id (NULL: generated) */
};

struct hs_shift_result {
    bool ok;
    char stage[16];                 /* failing stage: connect, flows, locate, dump, transfer,
                                     * restore, deadline */
    char error[512];
    char rollback_error[256];       /* what the roll-back could not undo (empty when clean) */
    double locate_ms, dump_ms, dump_criu_ms, transfer_ms, restore_ms, restore_criu_ms;
    double flows_ms, pause_ms, total_ms, cleanup_ms;
    double connect_ms;              /* start: key, both agents connected and authenticated */
    uint64_t early_bytes;           /* image bytes streamed to the honeypot while CRIU dumped */
    double reinject_ms;             /* controller: PACKET_OUT of the held frames (reloc_open) */
    unsigned reinjected;            /* held frames re-injected into the honeypot */
    pid_t prod_pid, prod_host_pid, restored_pid, nest_pid;
    uint64_t image_bytes;
    unsigned image_files, closed_others;
    char id[48];
};

/* Run one relocation. 0 on success, -1 with res->stage and res->error set. */
int hs_shift_run(const struct hs_shift_req *rq, struct hs_shift_result *res);

/* Release client: remove all its relocation flows and kill its restored processes on the
 * honeypot `to`. With ctl_socket (a running controller) the controller also lifts the
 * attacker's block and forgets its relocation state ({"cmd":"unshift"}); when it cannot be
 * reached the flows are removed with ovs-ofctl. 0, or -1 with a message (flows are removed even
 * when the agent fails). */
int hs_unshift_run(const struct hs_topology *t, const char *to, uint32_t client_ip,
                   const char *key_path, const char *ctl_socket, unsigned *killed, char *err,
                   size_t err_size);

/* The result as a JSON object text (malloc'd; caller frees). */
char *hs_shift_result_json(const struct hs_shift_result *r);

#endif
