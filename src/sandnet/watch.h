/* watch.h - which container an IDS alert names (pure): the link from an EVE JSON alert line
 * (honeyshift-ipsd's or Suricata's eve.json) to Sandnet's confinement. The suspicious container
 * is the alert's source: the host that sent the packet the rule matched. Used by `honeyshift
 * sandnet watch`, which tails an EVE log and confines the first container an alert names. */
#ifndef HS_SANDNET_WATCH_H
#define HS_SANDNET_WATCH_H

#include <stddef.h>
#include <stdint.h>

#include "sandnet/confine.h"

/* Longest EVE line looked at; a longer one is skipped whole (SN_WATCH_TOO_LONG). */
#define SN_WATCH_LINE_MAX 65536

enum sn_watch_verdict {
    SN_WATCH_SUSPECT = 0,     /* an alert whose source is a container of the lab */
    SN_WATCH_NOT_JSON,        /* not a JSON object */
    SN_WATCH_NOT_ALERT,       /* another event type (flow, relocation, stats...) */
    SN_WATCH_NO_SOURCE,       /* no usable IPv4 src_ip */
    SN_WATCH_NOT_CONTAINER,   /* source is not one of the lab's containers (external host) */
    SN_WATCH_LOW_SEVERITY,    /* alert.severity above the threshold (1 is the most severe) */
    SN_WATCH_TOO_LONG,        /* line longer than SN_WATCH_LINE_MAX */
};

struct sn_watch_hit {
    int node;                 /* index into in->nodes (SN_WATCH_SUSPECT only), else -1 */
    uint32_t src_ip, dest_ip; /* host order; 0 when absent */
    uint32_t sid;             /* alert.signature_id, 0 when absent */
    int severity;             /* alert.severity, 0 when absent */
    char signature[128];      /* alert.signature, truncated with "..." when longer */
};

/* Judge one EVE line (without its newline) against the lab's nodes. max_severity: alerts with a
 * severity number above it are ignored (0: all alerts count). */
enum sn_watch_verdict sn_watch_judge(const struct sn_confine_in *in, const char *line,
                                     size_t len, int max_severity, struct sn_watch_hit *hit);
/* Short name of a verdict, for logs. */
const char *sn_watch_verdict_name(enum sn_watch_verdict v);

#endif
