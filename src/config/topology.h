/* topology.h - the lab/deployment description shared by the lab and the controller.
 * Pure: parses YAML text (libyaml) into structs, validates, reports file:line:col errors.
 *
 *   struct hs_topology *t; struct hs_cfg_err err;
 *   if (hs_topology_load("lab.yaml", &t, &err) != 0) fprintf(stderr, "%s\n", err.msg);
 *   ... t->hosts[i] ...
 *   hs_topology_free(t);
 */
#ifndef HS_CONFIG_TOPOLOGY_H
#define HS_CONFIG_TOPOLOGY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HS_NAME_MAX 16          /* names: [a-z0-9][a-z0-9-]*, at most 15 chars */
#define HS_PATH_MAX 256

enum hs_role {
    HS_ROLE_CLIENT,         /* an outside client (benign or attacker: the IPS decides) */
    HS_ROLE_PRODUCTION,     /* a protected production server */
    HS_ROLE_HONEYPOT,       /* a decoy twin of a production host (same IP and MAC) */
    HS_ROLE_INTERNAL,       /* another internal host (e.g. a database) */
};

enum hs_service_kind { HS_SVC_NGINX, HS_SVC_FLASK, HS_SVC_NODE, HS_SVC_REDIS };

/* A service started inside a host by the lab. */
struct hs_service {
    char name[HS_NAME_MAX];
    enum hs_service_kind kind;
    uint16_t port;              /* TCP port it listens on (default per kind: 80, 8000, 3000, 6379) */
    unsigned workers;           /* worker processes (nginx, gunicorn); default 2 */
    char content[256];          /* text the default page carries (lab templates); may be empty */
    int line;                   /* line in the file, for messages */
};

struct hs_switch {
    char name[HS_NAME_MAX];     /* OVS bridge name */
    uint64_t dpid;              /* datapath ID the bridge is given */
    int line;
};

struct hs_host {
    char name[HS_NAME_MAX];
    enum hs_role role;
    char switch_name[HS_NAME_MAX];
    size_t switch_index;        /* index into topology->switches (resolved) */
    uint32_t port;              /* OpenFlow port number on that switch */
    uint8_t mac[6];
    uint32_t ip;                /* host byte order */
    uint8_t prefix_len;         /* /N of the address */
    char twin[HS_NAME_MAX];     /* honeypot: the production host it impersonates; else empty */
    size_t twin_index;          /* honeypot: index of the twin in topology->hosts; else SIZE_MAX */
    size_t n_services;
    struct hs_service *services;
    int line;
};

struct hs_controller_cfg {
    char listen_addr[64];       /* OpenFlow listen address, default 127.0.0.1 */
    uint16_t listen_port;       /* default 6653 */
    char control_socket[HS_PATH_MAX]; /* default /run/honeyshift/<lab>/ctl.sock */
    char eve_log[HS_PATH_MAX];        /* default /run/honeyshift/<lab>/eve.json */
    unsigned echo_interval_s;   /* keep-alive period, default 5 */
};

#define HS_IPS_MAX_RULE_FILES 16

/* What an ingress detection does: relocate the attacker into the honeypot twin of the attacked
 * production host (when it has one on the same switch; otherwise block), or only block. */
enum hs_on_attack { HS_ON_ATTACK_RELOCATE = 0, HS_ON_ATTACK_BLOCK = 1 };

/* Where the IPS sits (ips.mode). steer: on a switch port of its own; the controller steers IPv4
 * between clients and production through it (each frame crosses the switch twice). bump: a
 * bump in the wire in front of every production host of the IPS switch; the host's veth ends
 * at honeyshift-ipsd, which copies to and from a veth on the host's own switch port (each
 * frame crosses the switch once; no steering flows, nothing reaches the host around it). */
enum hs_ips_mode { HS_IPS_STEER = 0, HS_IPS_BUMP = 1 };

/* The inline IPS (optional top-level `ips:` section). When present, traffic between hosts of
 * role client and role production is steered through OpenFlow port `port` of switch
 * `switch_name`, where the veth "<lab>-ips" leads to honeyshift-ipsd (mode steer), or passes
 * a honeyshift-ipsd in front of each production host of that switch (mode bump). */
struct hs_ips_cfg {
    bool present;               /* the section was given */
    bool enabled;               /* inspect traffic (default true when present) */
    enum hs_ips_mode mode;      /* steer (default) or bump */
    char switch_name[HS_NAME_MAX];  /* default: the only switch */
    size_t switch_index;        /* resolved index into topology->switches */
    uint32_t port;              /* steer: OpenFlow port of the IPS veth on that switch (bump:
                                 * 0, each bump takes its host's port) */
    size_t n_rule_files;        /* 0: the engine's built-in default rule set */
    char rule_files[HS_IPS_MAX_RULE_FILES][HS_PATH_MAX];
    uint16_t block_idle_timeout;    /* seconds; 0 = none (default) */
    uint16_t block_hard_timeout;    /* seconds; 0 = none (default) */
    unsigned hold_limit;        /* frames held per attacker (default 32, 1..4096) */
    enum hs_on_attack on_attack;    /* on_attack: relocate (default) or block */
    int line;
};

/* Live relocation of attackers (optional top-level `relocation:` section). */
struct hs_relocation_cfg {
    unsigned deadline_ms;       /* give up (roll back, attacker blocked) after this; default 2000,
                                 * 100..60000 */
    unsigned max_concurrent;    /* relocations running at once; default 8, 1..64 */
    unsigned gc_grace_ms;       /* the honeypot's agent reaps a relocated process once no
                                 * connection to its attacker was seen for this long; default
                                 * 10000, 1000..86400000 */
};

struct hs_topology {
    char path[HS_PATH_MAX];     /* file it came from ("<string>" when parsed from memory) */
    char lab[HS_NAME_MAX];      /* lab name: prefix of namespaces, veths, state dir; default "hs" */
    char state_dir[HS_PATH_MAX];/* default /run/honeyshift/<lab> */
    struct hs_controller_cfg controller;
    struct hs_ips_cfg ips;
    struct hs_relocation_cfg relocation;
    size_t n_switches;
    struct hs_switch *switches;
    size_t n_hosts;
    struct hs_host *hosts;
};

/* Where and why a file was rejected. msg is "FILE:LINE:COL: what is wrong" (1-based), or
 * "FILE: what is wrong" with line = col = 0 when there is no position (I/O, size limit). */
struct hs_cfg_err {
    int line, col;
    char msg[512];
};

/* Parse and validate a topology file (at most 1 MiB). 0 on success (*out owned by caller),
 * -1 with *out = NULL and err set (err may be NULL). */
int hs_topology_load(const char *path, struct hs_topology **out, struct hs_cfg_err *err);
/* Same from memory; name is used in messages. */
int hs_topology_parse(const char *text, size_t len, const char *name, struct hs_topology **out,
                      struct hs_cfg_err *err);
/* Free a topology (NULL is fine). */
void hs_topology_free(struct hs_topology *t);

/* True when the IPS is configured and enabled on switch sw (index into switches). */
bool hs_topology_ips_on(const struct hs_topology *t, size_t sw);
/* True when the IPS is on for switch sw in mode steer (the controller steers through it). */
bool hs_topology_ips_steers(const struct hs_topology *t, size_t sw);
/* True when host h sits behind a bump in the wire: mode bump, IPS enabled, h of role production
 * on the IPS switch. */
bool hs_topology_ips_bumped(const struct hs_topology *t, const struct hs_host *h);
/* "steer" or "bump". */
const char *hs_ips_mode_name(enum hs_ips_mode m);

/* Look-ups: NULL when absent. */
const struct hs_host *hs_topology_host(const struct hs_topology *t, const char *name);
const struct hs_switch *hs_topology_switch(const struct hs_topology *t, const char *name);
const struct hs_switch *hs_topology_switch_by_dpid(const struct hs_topology *t, uint64_t dpid);

/* Names for enums ("client", "production", "honeypot", "internal"; "nginx", ...). */
const char *hs_role_name(enum hs_role r);
const char *hs_service_kind_name(enum hs_service_kind k);

/* The built-in default topology text (etc/lab-default.yaml compiled in, NUL-terminated). */
extern const char hs_default_topology_yaml[];

/* Limits the parser enforces: file size, list lengths. */
#define HS_TOPOLOGY_MAX_FILE     (1024 * 1024)
#define HS_TOPOLOGY_MAX_SWITCHES 256
#define HS_TOPOLOGY_MAX_HOSTS    1024
#define HS_TOPOLOGY_MAX_SERVICES 64     /* per host */

struct json_t;
/* JSON description (lab, state_dir, controller, switches, hosts with services) as a jansson
 * object with one reference owned by the caller; NULL if t is NULL or on allocation failure. */
struct json_t *hs_topology_to_jansson(const struct hs_topology *t);
/* Same, serialised compactly into *out (malloc'd, caller frees). 0 on success, -1 on error. */
int hs_topology_to_json(const struct hs_topology *t, char **out);

#endif
