/* mig_gc.h - the honeypot agent's garbage collector, pure part: which nests of relocated
 * processes to reap once their attacker's connections ended, which stale image directories
 * and CRIU logs to remove. The I/O (scans of /proc, sock_diag, kill) is in agent_gc.c. */
#ifndef HS_MIG_GC_H
#define HS_MIG_GC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mig/mig_diag.h"

#define HS_MIG_GC_ID_MAX 64     /* relocation id, as in nest-IP-ID.pid */
#define HS_MIG_GC_MAX_NESTS 256 /* nests one agent tracks */

/* True when a TCP state (TCP_ESTABLISHED = 1 ...) is a connection the attacker still holds:
 * SYN_SENT, SYN_RECV, ESTABLISHED, FIN_WAIT1/2, CLOSING. CLOSE_WAIT and LAST_ACK (the attacker
 * sent its FIN), TIME_WAIT, CLOSE and LISTEN are not. */
bool hs_mig_gc_state_live(uint8_t state);

/* True when one of the socket inodes held by a nest's processes is a live TCP connection
 * (hs_mig_gc_state_live) with client_ip as its peer, in the socket table socks[n_socks]. */
bool hs_mig_gc_holds_live(const uint64_t *inodes, size_t n_inodes,
                          const struct hs_mig_diag_sock *socks, size_t n_socks,
                          uint32_t client_ip);

/* Parse a nest record's file name "nest-A.B.C.D-ID.pid" (ID: [A-Za-z0-9._-], at most
 * HS_MIG_GC_ID_MAX - 1). False when it is not one. */
bool hs_mig_gc_parse_name(const char *name, uint32_t *client_ip, char id[HS_MIG_GC_ID_MAX]);

/* One scan's view of a nest. */
struct hs_mig_gc_obs {
    uint32_t client_ip;
    char id[HS_MIG_GC_ID_MAX];
    bool live;              /* holds a live connection with client_ip */
};

/* What the collector remembers between scans. */
struct hs_mig_gc_entry {
    uint32_t client_ip;
    char id[HS_MIG_GC_ID_MAX];
    bool quiet;             /* the latest scan saw no live connection */
    uint64_t quiet_ms;      /* when quiet: the first scan without one since the last with one */
};

struct hs_mig_gc {
    uint64_t grace_ms;
    struct hs_mig_gc_entry e[HS_MIG_GC_MAX_NESTS];
    size_t n;
};

/* Start with an empty memory and this grace period. */
void hs_mig_gc_init(struct hs_mig_gc *gc, uint64_t grace_ms);

/* Record one scan taken at now_ms: every nest of obs[n] (the nests that exist now; ones not
 * listed are forgotten). Sets reap[i] for the nests to kill now: every scan for grace_ms saw
 * no live connection (counted from the first such scan, so a connection that ended between two
 * scans gets at least the whole grace period); idle_ms[i] (idle_ms may be NULL) gets how long
 * nest i has been without one. Returns how many to reap. Nests beyond HS_MIG_GC_MAX_NESTS are
 * never reaped (kept safe, not tracked). */
size_t hs_mig_gc_update(struct hs_mig_gc *gc, const struct hs_mig_gc_obs *obs, size_t n,
                        uint64_t now_ms, bool *reap, uint64_t *idle_ms);

/* A file or directory with its modification time (seconds), for the clean-ups below. */
struct hs_mig_gc_file {
    const char *name;
    int64_t mtime;
};

/* Files to remove so only the keep newest remain (ties: the greater name is newer): sets
 * del[i]; returns how many. */
size_t hs_mig_gc_keep_newest(const struct hs_mig_gc_file *f, size_t n, size_t keep, bool *del);

/* Image directories older than max_age_s at now_s: sets del[i]; returns how many. */
size_t hs_mig_gc_older(const struct hs_mig_gc_file *f, size_t n, int64_t now_s, int64_t max_age_s,
                       bool *del);

#endif
