/* controller.h - the controller's state: topology, switch sessions, counters. The daemon
 * (main.c) owns one; switch sessions (switch_conn.c) and the control socket (ctl_server.c)
 * reach it through this header. */
#ifndef HS_CTL_CONTROLLER_H
#define HS_CTL_CONTROLLER_H

#include <stdbool.h>
#include <stdint.h>

#include "common/buf.h"
#include "config/topology.h"
#include "ctl/evloop.h"
#include "ctl/flowset.h"
#include "ctl/policy.h"
#include "ctl/reloc_core.h"
#include "ofp/ofp.h"

#define HS_MAX_PORTS 256

enum sw_state {
    SW_HELLO,       /* waiting for the switch's HELLO */
    SW_FEATURES,    /* FEATURES_REQUEST sent */
    SW_SYNC,        /* reading the switch's flow table (FLOW stats) */
    SW_BARRIER,     /* flow changes sent, waiting for the barrier */
    SW_READY,       /* converged */
};

/* One OpenFlow connection from a switch. */
struct sw_conn {
    struct controller *ctl;
    int fd;
    char peer[64];
    enum sw_state state;
    struct hs_buf rx, tx;
    uint64_t dpid;
    long sw;                        /* index into topology->switches, -1 when unknown */
    uint32_t next_xid;
    uint32_t sync_xid, barrier_xid, table_xid;
    uint64_t connected_ms, last_rx_ms, last_echo_ms, last_table_ms;
    unsigned bad_msgs;              /* consecutive undecodable messages */
    struct hs_flowset actual;       /* flow table as read during SW_SYNC */
    size_t n_ports;
    struct ofp_port ports[HS_MAX_PORTS];
    struct ofp_port_stats port_stats[HS_MAX_PORTS]; /* last PORT_STATS per port (same index) */
    uint64_t packet_ins, arp_replies, flow_mods, errors_rx, errors_tx;
    uint32_t table_active[2];       /* active flows in tables 0 and 1 (periodic table stats) */
    size_t flows_added, flows_deleted; /* by the last reconciliation */
    bool dead;                      /* to be closed at the end of the current event */
    char dead_why[96];
    struct sw_conn *next;
};

struct controller {
    struct hs_topology *topo;
    struct evloop *loop;
    int listen_fd, ctl_fd;
    uint64_t start_ms;
    struct sw_conn *conns;
    uint64_t conns_total;
    struct hs_blocklist blocks;     /* attackers blocked on the IPS's word */
    uint64_t attacks_total;         /* attack reports received */
    uint64_t blocks_expired;        /* blocks whose flows timed out on the switches */
    bool steering_off;              /* IPS bypassed at run time ({"cmd":"ips","steer":false}) */
    struct hs_reloc_locks locks;    /* per-attacker relocation lock (reloc.c) */
    struct reloc_run *runs;         /* relocation attempts not finished yet (reloc.c) */
    struct reloc_wait *waits;       /* control answers waiting for a BARRIER_REPLY (reloc.c) */
    uint64_t relocs_started, relocs_ok, relocs_failed;
};

/* Create the listening sockets (OpenFlow TCP, control unix socket). -1 with msg on failure. */
int controller_open(struct controller *c, struct hs_topology *topo, struct evloop *loop,
                    char *err, size_t err_size);
/* Close every connection and socket; remove the control socket file. */
void controller_close(struct controller *c);

/* switch_conn.c: accept a switch connection on the OpenFlow listening socket. */
void sw_conn_accept(struct evloop *l, int fd, unsigned events, void *ctx);
/* switch_conn.c: close one connection and unlink it from the controller. */
void sw_conn_close(struct sw_conn *s, const char *why);
/* switch_conn.c: periodic work (echo keep-alive, liveness, table stats). */
void sw_conn_tick(struct controller *c);

/* switch_conn.c: the flows the controller wants on switch sw now: base flows and the block
 * flows of every blocked attacker. */
void sw_desired_flows(const struct controller *c, size_t sw, struct hs_flowset *out);
/* switch_conn.c: install the block flows of attacker on every connected, ready switch (a
 * switch that is still syncing gets them with its reconciliation). Returns flows sent. */
size_t sw_conn_block(struct controller *c, uint32_t attacker);
/* switch_conn.c: remove every block flow of attacker from every switch. */
void sw_conn_unblock(struct controller *c, uint32_t attacker);

/* switch_conn.c: steer traffic through the IPS (on) or bypass it (off) on every connected
 * switch, at run time; the topology's ips section still decides whether there is an IPS. */
void sw_conn_steering(struct controller *c, bool on);

/* switch_conn.c: queue one message (xid assigned when 0); returns the xid. */
uint32_t sw_conn_send(struct sw_conn *s, struct ofp_msg *m);
/* switch_conn.c: write what is queued. */
void sw_conn_flush(struct sw_conn *s);
/* switch_conn.c: the ready session of switch sw, or NULL. */
struct sw_conn *sw_conn_ready(struct controller *c, size_t sw);

/* reloc.c: an attack report on a blocked attacker that may be relocated (cmd_attack already
 * installed the block): take the lock, start the worker. Adds "relocation" to ans. */
void reloc_on_attack(struct controller *c, const struct json_t *req, uint32_t attacker,
                     uint32_t server, uint16_t attacker_port, uint16_t server_port, uint32_t sid,
                     struct json_t *ans);
/* reloc.c: the control commands reloc_block, reloc_open, reloc_release, reloc_guard, shift,
 * unshift, relocs, flows.
 * NULL: the answer is deferred (fd taken; answered with ctl_reply later); else the answer. */
struct json_t *reloc_command(struct controller *c, const char *cmd, const struct json_t *req,
                             int fd);
/* reloc.c: hooks from the switch sessions. */
void reloc_on_barrier(struct sw_conn *s, uint32_t xid);
/* reloc.c: a packet-in from a relocation rule (first honeypot byte); false: not one. */
bool reloc_on_packet_in(struct sw_conn *s, const struct ofp_packet_in *pi);
void reloc_on_conn_close(struct sw_conn *s);
/* reloc.c: periodic work (worker watchdog, reaping). */
void reloc_tick(struct controller *c);
/* reloc.c: stop every worker (shutdown). */
void reloc_close(struct controller *c);

/* ctl_server.c: write a deferred answer to a control client and close fd (ans is consumed). */
void ctl_reply(int fd, struct json_t *ans);
/* ctl_server.c: {"ok":false,"error":msg}. */
struct json_t *ctl_error_json(const char *msg);

/* ctl_server.c: accept a control-socket client. */
void ctl_server_accept(struct evloop *l, int fd, unsigned events, void *ctx);
/* ctl_server.c: the status document (caller frees with json_decref). */
struct json_t *ctl_status_json(const struct controller *c);

#endif
