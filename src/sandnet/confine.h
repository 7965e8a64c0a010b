/* confine.h - Sandnet's confinement flows (the paper's Fig. 2), computed as data (pure).
 *
 * The production network (PN) and the sandbox network (SN) are two OpenFlow switches linked by
 * a patch port. honeyshiftd owns the base policy (tables 0 and 1, cookie "HS"); the flows here
 * carry cookie tag "SN" (0x534e...) so the controller leaves them alone, and all have priority
 * above the base policy's (>= 2000; the base tops out at 1000).
 *
 * Given the PN containers (with the state of their SN clone), the suspicious container SC, its
 * fresh clone on PN, the external hosts (one of them the adversary's), sn_confine_flows() builds:
 *
 *   PN table 0
 *     R_SC_EGRESS   in_port=SC, dl_dst=X -> patch            for each redirected clone X
 *                   in_port=SC -> patch                        once sealed (all SC egress to SN)
 *     R_FROM_SN     in_port=patch, dl_dst=SC or broadcast -> SC; anything else from SN -> drop
 *                   (from SN to PN only SC is reachable)
 *     R_SN_TO_ADV   in_port=patch, dl_dst=adversary's host (+ ARP for it) -> its port
 *                   (SN's responses reach the adversary's external host); ARP requests for
 *                   the other external hosts pass too (no data: keeps SC's L2 view of them)
 *     R_FRESH       in_port=fresh, dl_src=SC's MAC -> table 1 (the fresh clone acts as SC)
 *     R_MIRROR      in_port=external host, its MAC -> patch + table 1 (external ingress mirrored)
 *   PN table 1
 *     R_TO_FRESH    dl_dst=SC's MAC -> fresh; ARP request for SC's IP -> fresh, once sealed
 *                   (unicasts and broadcasts from PN meant for SC reach its fresh clone)
 *     R_PN_ADV_DROP dl_dst=adversary's host -> drop (PN's responses dropped in favour of SN's)
 *   SN table 0
 *     R_SN_PORTSEC  in_port=patch from SC or an external host, in_port=clone with its MAC
 *                   -> table 2; anything else -> drop
 *   SN table 2 (Sandnet's forwarding on SN)
 *     R_SN_FWD      dl_dst=X (redirected clone) -> its port; ARP request for X -> its port;
 *                   dl_dst=SC or the adversary's host (and ARP for them) -> patch (back out of
 *                   the patch when it came in there: mirrored ingress meant for SC)
 *     R_SN_HOLD     dl_dst=X or ARP for X, X not (yet) redirected -> drop (or the hold port):
 *                   SC's frames (in_port=patch) and new TCP connections (SYN) of clones count
 *                   (detail X: the "first contact" signal of the reactive strategy); a restored
 *                   clone's frames on connections it inherited do not (detail QUIET + X)
 *     R_SN_DROP     anything else -> drop (SN's egress to the outside is dropped)
 *
 * Modes: a clone X is "redirected" when it is ready (in-process), or when every planned clone
 * is ready (atomic), or when the caller marked it redirected earlier (sticky). "sealed" (all of SC's egress goes to SN) is decided by the caller: atomic
 * seals together with the first redirect, in-process once the initial set is ready. Before the
 * SC is named, only the SN housekeeping flows exist. The external rules (mirror, adversary
 * drop) start when sealed. */
#ifndef HS_SANDNET_CONFINE_H
#define HS_SANDNET_CONFINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sandnet/spec.h"

#define SN_COOKIE_TAG 0x534e000000000000ull   /* "SN" */
#define SN_COOKIE_MASK 0xffff000000000000ull
#define SN_CONFINE_MAX_NODES 32
#define SN_CONFINE_MAX_EXT 8
#define SN_CONFINE_MAX_FLOWS 512
#define SN_TABLE_SNFWD 2
#define SN_HOLD_QUIET 0x400u   /* hold detail offset: held, but not a contact */

enum sn_bridge_id { SN_BR_PN = 0, SN_BR_SN = 1 };
enum sn_confine_mode { SN_MODE_ATOMIC = 0, SN_MODE_INPROCESS = 1 };

/* Rule kinds (cookie bits 32..47). */
enum sn_rule {
    SN_R_SC_EGRESS = 1, SN_R_FROM_SN, SN_R_SN_TO_ADV, SN_R_FRESH, SN_R_MIRROR, SN_R_TO_FRESH,
    SN_R_PN_ADV_DROP, SN_R_SN_PORTSEC, SN_R_SN_FWD, SN_R_SN_HOLD, SN_R_SN_DROP, SN_R_STATS,
};

enum sn_clone_state {
    SN_CLONE_NONE = 0,      /* no clone on SN */
    SN_CLONE_PLANNED,       /* being cloned (counts for atomic readiness) */
    SN_CLONE_READY,         /* restored and running on SN */
};

struct sn_node {              /* a container on PN */
    char id[SN_ID_MAX];
    uint8_t mac[6];
    uint32_t ip;              /* host order */
    uint32_t pn_port;         /* its port on PN; its clone has the same number on SN */
    enum sn_clone_state clone;
    bool redirected;          /* sticky: once redirected it stays (set by the caller after an
                               * install, so a later batch in atomic mode does not undo it) */
};

struct sn_ext {               /* an external host (edge of PN) */
    char name[16];
    uint8_t mac[6];
    uint32_t ip;
    uint32_t port;            /* on PN */
    bool adversary;           /* the adversary's external host */
};

struct sn_confine_in {
    uint32_t pn_patch, sn_patch;      /* the patch port's number on PN and on SN */
    size_t n_nodes;
    struct sn_node nodes[SN_CONFINE_MAX_NODES];
    size_t n_ext;
    struct sn_ext ext[SN_CONFINE_MAX_EXT];
    int sc;                   /* index of SC in nodes; -1: nothing confined */
    uint32_t fresh_port;      /* PN port of SC's fresh clone; 0: not running yet */
    enum sn_confine_mode mode;
    bool sealed;              /* all of SC's egress goes to SN */
    uint32_t hold_port;       /* SN port that takes the held frames (to be re-injected there
                               * when the clone is ready: they go on to table 2); 0: dropped */
    bool stats;               /* per-pair counting flows on PN (table 1, priority 150, the base
                               * forwarding's action): the traffic graph for the strategies;
                               * detail = i * SN_CONFINE_MAX_NODES + j for frames i -> j */
};

struct sn_oflow {
    uint8_t bridge;           /* enum sn_bridge_id */
    uint8_t table;
    uint16_t priority;
    uint64_t cookie;          /* SN_COOKIE_TAG | rule << 32 | detail */
    char match[160];          /* ovs-ofctl match text, "" = match all */
    char actions[160];        /* ovs-ofctl actions text, "drop" */
};

struct sn_flowlist {
    size_t n;
    struct sn_oflow v[SN_CONFINE_MAX_FLOWS];
};

/* Check the input (SC index, unique ports and MACs, ports non-zero); false with a reason. */
bool sn_confine_validate(const struct sn_confine_in *in, char *why, size_t why_size);
/* True when node i's clone receives redirected traffic under the input's mode (or sticky). */
bool sn_confine_redirected(const struct sn_confine_in *in, size_t i);
/* Make the redirects sticky: mark every node sn_confine_redirected() now says is redirected. */
void sn_confine_commit(struct sn_confine_in *in);
/* Build the confinement flows; false when the input is invalid or the list would overflow. */
bool sn_confine_flows(const struct sn_confine_in *in, struct sn_flowlist *out);
/* Rule kind and detail of one of our cookies; 0 when cookie is not ours. */
enum sn_rule sn_cookie_rule(uint64_t cookie);
uint32_t sn_cookie_detail(uint64_t cookie);
/* Stable name of a rule ("sc_egress", ...). */
const char *sn_rule_name(enum sn_rule r);
/* Render the flows of one bridge as an `ovs-ofctl -O OpenFlow14 --bundle add-flows` file: a
 * first line deleting all our flows (cookie tag), then one "add" line per flow; so the whole
 * set is replaced in one transaction. Caller frees; NULL on allocation failure. */
char *sn_flows_render(const struct sn_flowlist *fl, enum sn_bridge_id br);
/* Render the change from prev to next on one bridge for `ovs-ofctl --bundle add-flows`:
 * delete_strict (with the exact cookie) for flows gone, add for flows new or changed; unchanged
 * flows are left alone, so their counters keep counting and the datapath keeps its cache.
 * prev NULL: the full replacement (sn_flows_render). *empty: nothing changes on this bridge.
 * Caller frees; NULL on allocation failure. */
char *sn_flows_render_diff(const struct sn_flowlist *prev, const struct sn_flowlist *next,
                           enum sn_bridge_id br, bool *empty);
/* Index of the node whose hold flow has this cookie, -1 when it is not a hold flow. */
int sn_hold_node(uint64_t cookie);
/* The reactive strategy's "first contact" read from a frame the hold port captured, the same
 * test as the hold flows' counting (non-QUIET) rules: a frame from SC (its source MAC: SC's
 * frames come through the patch) for node i's MAC or an ARP request from SC for node i's IP,
 * or a TCP SYN without ACK from anyone for node i's MAC. Returns i, or -1 (no contact). macs
 * and ips hold the n nodes' addresses (ips in host order). */
int sn_contact_node(const uint8_t *frame, size_t len, const uint8_t sc_mac[6],
                    const uint8_t (*macs)[6], const uint32_t *ips, size_t n);
/* Parse `ovs-ofctl dump-flows` text: for each flow of ours of kind `rule` whose cookie detail
 * is below n, add its n_packets to packets[detail] and n_bytes to bytes[detail] (either may be
 * NULL; both zeroed first). False on a malformed counter of such a line or on overflow. */
bool sn_dump_counts(const char *text, size_t len, enum sn_rule rule, uint64_t *packets,
                    uint64_t *bytes, size_t n);
/* Parse `ovs-ofctl dump-flows` text: add each hold flow's n_packets to counts[node] (zeroed
 * first); other lines are ignored. False on a malformed cookie or counter of a hold line. */
bool sn_dump_hold_counts(const char *text, size_t len, uint64_t counts[SN_CONFINE_MAX_NODES]);

#endif
