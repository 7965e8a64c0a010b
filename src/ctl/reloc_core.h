/* reloc_core.h - the controller's relocation bookkeeping (pure): which attacker may be relocated
 * where, the per-attacker lock table, the relocation's OpenFlow rules, and the EVE `relocation`
 * event (docs/eve.md, docs/relocation.md).
 *
 * Lock: one relocation per attacker at a time. The first attack report (or operator shift) of an
 * attacker takes the lock (entry RUNNING); later reports are counted and change nothing, also
 * after the relocation ended (RELOCATED, FAILED: the attacker stays where it is, relocated or
 * blocked) until an operator releases it (`unshift`: entry removed). */
#ifndef HS_CTL_RELOC_CORE_H
#define HS_CTL_RELOC_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/topology.h"
#include "ctl/flowset.h"

/* Relocation rules: cookie 0x4d47 KIND(16) CLIENT_IP(32), table 0 (same as mig/mig_flows.h, which
 * installs the same rules with ovs-ofctl when the controller is unreachable). */
#define HS_RELOC_COOKIE_TAG 0x4d47000000000000ull
#define HS_RELOC_PRIO_BLOCK 2100
#define HS_RELOC_PRIO_OPEN 2200
#define HS_RELOC_PRIO_GUARD 2150
enum hs_reloc_fk { HS_RELOC_FK_DROP = 1, HS_RELOC_FK_HP2C = 2, HS_RELOC_FK_C2HP = 3,
                   HS_RELOC_FK_GUARD = 4 };

/* Where a relocation of one attacker goes (indexes into the topology). */
struct hs_reloc_target {
    size_t sw;                  /* switch of all three */
    const struct hs_host *client, *prod, *hp;
    const struct hs_service *svc;   /* the attacked service (port match, else the first) */
};

/* Find the honeypot twin of the production host with address server (and service port
 * server_port, 0: first service) for attacker: 0 and *out filled when the attacker is a lab
 * host on the same switch as a production host with that address and a honeypot twin; -1 with
 * a reason otherwise (the attack is then only blocked). */
int hs_reloc_find_target(const struct hs_topology *t, uint32_t attacker, uint32_t server,
                         uint16_t server_port, struct hs_reloc_target *out, char *why,
                         size_t why_size);
/* Same, with production and honeypot named (operator shift; NULL names: the defaults web and
 * its twin). */
int hs_reloc_named_target(const struct hs_topology *t, uint32_t attacker, const char *from,
                          const char *to, uint16_t server_port, struct hs_reloc_target *out,
                          char *why, size_t why_size);

/* The rules: block = drop client<->production both ways and honeypot->client output (priority
 * 2100); open = client->honeypot output (2200). Appended to out. With notify the
 * honeypot->client rule also sends the first bytes of each packet to the controller
 * (packet-in with its cookie: the honeypot's first answer after the re-injection is timed
 * exactly; the controller then re-installs the rule without, hs_reloc_flow_hp2c). */
void hs_reloc_flows_block(const struct hs_reloc_target *tg, bool notify, struct hs_flowset *out);
/* Restore guard of tg's relocation: drop honeypot -> other (another attacker being or already
 * relocated from the same production host, priority 2150, cookie kind 4 with tg's client).
 * While a restore closes the restored copies of other clients' sockets, their resets must not
 * reach those other attackers through their own honeypot->client rules. */
void hs_reloc_flow_guard(const struct hs_reloc_target *tg, uint32_t other, struct hs_flowset *out);
/* Only the honeypot->client rule (notify as above). */
void hs_reloc_flow_hp2c(const struct hs_reloc_target *tg, bool notify, struct hs_flowset *out);
void hs_reloc_flows_open(const struct hs_reloc_target *tg, struct hs_flowset *out);
/* The cookie of a kind of rule of a client; kind 0 with *mask selects all kinds of the client. */
uint64_t hs_reloc_cookie(unsigned kind, uint32_t client_ip, uint64_t *mask);

/* The held frames of an attack report ({"frames":["HEX",...]}, outside input): each valid
 * string (even length, hex digits only, 14..max_len bytes) decoded into a malloc'd buffer;
 * invalid ones skipped. At most max frames; returns how many (frames[i], lens[i]; caller frees
 * each). */
size_t hs_reloc_parse_frames(const struct json_t *arr, uint8_t **frames, size_t *lens,
                             size_t max, size_t max_len);

enum hs_reloc_state { HS_RELOC_RUNNING = 1, HS_RELOC_RELOCATED = 2, HS_RELOC_FAILED = 3 };

/* One attacker's lock entry. */
struct hs_reloc_lock {
    uint32_t ip;                /* attacker, host order */
    enum hs_reloc_state state;
    uint64_t reports;           /* attack reports (and shift requests) while locked */
    uint64_t since_ms;
};

#define HS_RELOC_MAX 1024
struct hs_reloc_locks {
    size_t n;
    struct hs_reloc_lock v[HS_RELOC_MAX];
};

enum hs_reloc_decision {
    HS_RELOC_START,             /* lock taken: run the relocation */
    HS_RELOC_COUNTED,           /* already locked (running or done): counted, nothing else */
    HS_RELOC_LIMIT,             /* max_concurrent relocations are running: block only */
    HS_RELOC_FULL,              /* table full: block only */
};

/* Take the lock of ip (or count the report); max_running bounds RUNNING entries. *out gets the
 * entry (NULL for LIMIT/FULL). */
enum hs_reloc_decision hs_reloc_lock_take(struct hs_reloc_locks *l, uint32_t ip,
                                          unsigned max_running, uint64_t now_ms,
                                          struct hs_reloc_lock **out);
/* The entry of ip or NULL. */
struct hs_reloc_lock *hs_reloc_lock_find(struct hs_reloc_locks *l, uint32_t ip);
/* Number of RUNNING entries. */
size_t hs_reloc_lock_running(const struct hs_reloc_locks *l);
/* Remove ip's entry (unshift): false when absent. */
bool hs_reloc_lock_reset(struct hs_reloc_locks *l, uint32_t ip);

/* Stage timings in ms; negative: stage not reached (absent from the event). */
enum hs_reloc_timing { HS_RT_DETECT, HS_RT_HOLD, HS_RT_LOCATE, HS_RT_DUMP, HS_RT_TRANSFER,
                       HS_RT_RESTORE, HS_RT_FLOWS, HS_RT_REINJECT, HS_RT_FIRST_BYTE, HS_RT_PAUSE,
                       HS_RT_TOTAL, HS_RT_COUNT };
/* The names used in timings_ms, in that order. */
extern const char *const hs_reloc_timing_names[HS_RT_COUNT];

/* One attempt, as written to the EVE log. */
struct hs_reloc_event {
    uint64_t wall_us;               /* timestamp (UTC microseconds) */
    uint32_t src_ip, dest_ip;       /* attacker, production address */
    uint16_t src_port, dest_port;
    char id[48];
    bool operator_trigger;          /* trigger operator (else ips) */
    bool ok;                        /* outcome relocated (else failed) */
    char stage[16], reason[256];    /* failed: stage and why; relocated: reason = warning */
    char service[HS_NAME_MAX], kind[16], from[HS_NAME_MAX], to[HS_NAME_MAX];
    uint32_t sid;                   /* ips trigger */
    char signature[201];
    long pid, host_pid, restored_pid;
    uint64_t image_bytes;
    unsigned closed_others;
    double t[HS_RT_COUNT];
};
/* Mark every timing absent. */
void hs_reloc_event_init(struct hs_reloc_event *e);
/* The EVE line (no newline; malloc'd). */
char *hs_reloc_event_json(const struct hs_reloc_event *e);

#endif
