/* experiment.h - the Sandnet paper's experiment on the lab (I/O): the 3-tier app twice on PN
 * under honeyshiftd, the adversary on fe1, detection at 10 s, the adversary turning to be2 at
 * 30 s, fe2 as the benign baseline; one strategy and confinement mode per run; probes from the
 * adversary's side (HTTP latency and throughput, downtime, arp-scan and nmap reachability, FS
 * difference original/clone) and the benign side; QoD over time; CSV, JSON and PNG output. */
#ifndef HS_SANDNET_EXPERIMENT_H
#define HS_SANDNET_EXPERIMENT_H

#include <stdbool.h>

#include "sandnet/confine.h"
#include "sandnet/strategy.h"

struct sn_exp_opts {
    enum sn_strategy strategy;
    enum sn_confine_mode mode;
    double scale;            /* timeline factor: detection 10*scale s, turn 30*scale s, end
                              * 50*scale s (0.2..10) */
    const char *out_dir;     /* results of this run go to <out_dir>/<strategy>-<mode>/ */
    bool no_scan;            /* skip arp-scan / nmap */
    bool keep;               /* leave the lab running afterwards */
    const char *plot_script; /* NULL: <source>/scripts/sandnet_plot.py */
    bool no_reinject;        /* drop held frames (no hold port), as before re-injection */
    bool no_prepare;         /* do not prepare the uncloned containers' clones ahead of a first
                              * contact (after detection; sn_clone_prepare) */
    double shrink_sleep_s;   /* shrinking phase (0: off): a clone SN has delivered nothing to
                              * for this long is frozen (a delivery thaws it) ... */
    double shrink_remove_s;  /* ... and removed after this long frozen (0: never); not scaled */
};

/* Run one experiment; progress on stderr. Returns 0 on success. */
int sn_experiment_run(const struct sn_exp_opts *o);
/* Remove everything the experiment may have left: clones, app, external hosts, lab. */
bool sn_experiment_cleanup(void);

#endif
