/* ipsd.h - honeyshift-ipsd: the inline IPS daemon. It reads every frame the switch steers to
 * the IPS port (veth "<lab>-ips" on the bridge; this daemon opens its peer "<lab>-ipsd"), asks
 * the inspector for a verdict, sends passed frames back into the same port, keeps the frames of
 * detected attacks (hold.h) and reports each attacker once to the controller (attack_msg.h). */
#ifndef HS_IPSD_IPSD_H
#define HS_IPSD_IPSD_H

#include <stdbool.h>
#include <stdio.h>

#include "common/daemon.h"
#include "config/topology.h"
#include "ipsd/afpacket.h"
#include "ipsd/hold.h"
#include "ipsd/inspect.h"

struct ipsd_settings {
    const char *config;         /* topology file */
    const char *ifname;         /* default "<lab>-ipsd" */
    const char *peer;           /* bump-in-the-wire: frames read on ifname leave by peer and
                                   frames read on peer leave by ifname (NULL: same port) */
    const char *inspector;      /* "engine" (default) or "noop" */
    const char *stats_file, *eve_file, *socket;
    unsigned ring_version;      /* 2 (default) or 3 */
    struct hs_daemon_opts d;    /* -d -p -l -v */
};

struct ipsd {
    const struct hs_topology *topo;
    const struct ipsd_settings *st;
    struct afp *afp;
    struct afp *peer;           /* NULL unless settings.peer */
    struct ipsd_inspector in;
    struct ipsd_hold *hold;
    FILE *eve;
    char socket[HS_PATH_MAX];
    char stats_file[HS_PATH_MAX];
    uint64_t reports_ok, reports_failed, start_ms;
};

/* ipsd_loop.c: run until *stop becomes nonzero. */
int ipsd_run(struct ipsd *d, volatile int *stop);
/* ipsd_loop.c: write the counters as one JSON object to d->stats_file (atomically). */
void ipsd_write_stats(struct ipsd *d);

#endif
