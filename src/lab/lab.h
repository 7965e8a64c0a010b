/* lab.h - the lab: a topology of Linux namespaces on Open vSwitch bridges (userspace datapath)
 * with real services, driven by `honeyshift lab up|down|status|exec`.
 *
 *   struct hs_lab_target tg;
 *   if (hs_lab_target_resolve(file, lab_name, HS_LAB_FOR_UP, &tg, err, sizeof err) == 0) {
 *       rc = hs_lab_up(&tg, &opts, err, sizeof err);
 *       hs_lab_target_free(&tg);
 *   }
 */
#ifndef HS_LAB_LAB_H
#define HS_LAB_LAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "config/topology.h"

struct json_t;

/* What a command acts on. */
struct hs_lab_target {
    struct hs_topology *topo;   /* the topology (for down possibly a bare one: lab + state_dir) */
    char *yaml;                 /* its text (what up copies to <state_dir>/topology.yaml) */
    size_t yaml_len;
    bool bare;                  /* no file known: names and state_dir only (down) */
    char source[HS_PATH_MAX + 32]; /* where it came from, for messages */
};

enum hs_lab_purpose { HS_LAB_FOR_UP, HS_LAB_FOR_DOWN, HS_LAB_FOR_INSPECT };

/* Resolve the topology: file when given; else for --lab NAME the running lab's copy in
 * /run/honeyshift/NAME/topology.yaml, else the built-in default if its lab is NAME; with
 * neither, the running default lab's copy or the built-in default. For down an unknown lab
 * still resolves (bare) so that its leftovers can be found by name. -1 with a message. */
int hs_lab_target_resolve(const char *file, const char *lab, enum hs_lab_purpose purpose,
                          struct hs_lab_target *out, char *err, size_t err_size);
void hs_lab_target_free(struct hs_lab_target *tg);

struct hs_lab_opts {
    bool no_controller;         /* HS_NO_CONTROLLER=1: no honeyshiftd, fail_mode=standalone */
    int ready_timeout_ms;       /* how long up waits for the controller (default 15000) */
    FILE *progress;             /* progress lines (NULL: quiet) */
    bool *built;                /* set true once up starts creating things (NULL: not wanted);
                                 * a failure before that left nothing to remove */
};

/* Build (or complete) the lab. 0, or -1 with a one-line message. */
int hs_lab_up(const struct hs_lab_target *tg, const struct hs_lab_opts *o, char *err,
              size_t err_size);
/* Remove everything of the lab. 0 when nothing is left (also when there was nothing), -1 with
 * a message naming what is left. */
int hs_lab_down(const struct hs_lab_target *tg, FILE *progress, char *err, size_t err_size);
/* The lab's state as a JSON object (caller owns the reference); *all_up tells whether every
 * host, link, service, bridge and (unless no_controller) the controller is up. */
struct json_t *hs_lab_status(const struct hs_lab_target *tg, bool no_controller, bool *all_up);
/* Print the status object as aligned tables. */
void hs_lab_status_print(const struct json_t *st, FILE *out);
/* Run argv in host (its namespaces; stdio passed through). Returns the program's exit code
 * (128+N when killed by signal N), or -1 with a message when the host cannot be entered. */
int hs_lab_exec(const struct hs_lab_target *tg, const char *host, char *const argv[], char *err,
                size_t err_size);

/* PID of the running init of host (checked by its command line), 0 when none. */
int hs_lab_host_init_pid(const struct hs_topology *t, const char *host);
/* PIDs of every running host init of lab (also of hosts no longer in its topology) into
 * out[max]; returns how many. any_ns: also hostinit processes still in the caller's PID
 * namespace (the parent that creates the namespaces, briefly, during up). */
size_t hs_lab_all_init_pids(const char *lab, bool any_ns, int *out, size_t max);

/* The lab's IPS daemon honeyshift-ipsd (lab_ctl.c), run when the topology has an enabled ips
 * section in mode steer: PID (pidfile <state_dir>/ipsd.pid, checked by command line; a bump's
 * daemon, with --peer, is not it), 0 when none. */
pid_t hs_lab_ipsd_pid(const struct hs_topology *t);
/* Start it unless it runs (on the IPS veth, which must exist); it returns once its interface is
 * open and its rules are loaded. $HS_IPSD_INSPECTOR=noop starts it without inspection. */
int hs_lab_ipsd_start(const struct hs_topology *t, bool *started, char *err, size_t err_size);
/* Stop every honeyshift-ipsd of the lab in state_dir. How many were stopped, -1 when one would
 * not die. */
int hs_lab_ipsd_stop(const char *state_dir, char *err, size_t err_size);
/* ips.mode bump: the honeyshift-ipsd in front of host h (--ifname "<lab>-<host>.i" --peer
 * "<lab>-<host>"; files <state_dir>/ipsd-<host>.pid, .log, .start.log, .stats.json): its PID
 * (checked by command line), 0 when none; start it unless it runs (both interfaces must exist;
 * it returns once they are open and the rules loaded; $HS_IPSD_INSPECTOR as above). Until it
 * runs, h is cut off: the bump fails closed. hs_lab_ipsd_stop stops these too. */
pid_t hs_lab_bump_ipsd_pid(const struct hs_topology *t, const struct hs_host *h);
int hs_lab_bump_ipsd_start(const struct hs_topology *t, const struct hs_host *h, bool *started,
                           char *err, size_t err_size);
/* "<state_dir>/ipsd-<host>.<suffix>" (false when it would not fit). */
bool hs_lab_bump_file(const struct hs_topology *t, const struct hs_host *h, const char *suffix,
                      char *out, size_t size);

#endif
