/* lab_ctl.h - the lab's handling of the controller daemon honeyshiftd: find, start, ask, stop. */
#ifndef HS_LAB_LAB_CTL_H
#define HS_LAB_LAB_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "config/topology.h"

/* Find a sibling program: $env_var, then the directory of /proc/self/exe, then
 * <that dir>/../<build_subdir>/<name> (meson build tree), then PATH. Returns 0 and the path in
 * out, or -1 with a message naming the places tried. */
int hs_lab_find_program(const char *name, const char *env_var, const char *build_subdir,
                        char *out, size_t size, char *err, size_t err_size);
/* PID of the lab's running honeyshiftd (by pid file, else by scanning for its command line
 * "--config <state_dir>/topology.yaml"); 0 when none. */
pid_t hs_lab_ctl_pid(const struct hs_topology *t);
/* Start honeyshiftd for the lab unless it runs; it returns once it is listening. */
int hs_lab_ctl_start(const struct hs_topology *t, bool *started, char *err, size_t err_size);
/* Ask the control socket for {"cmd":"status"}; 0 and the answer (malloc'd) or -1 with message. */
int hs_lab_ctl_status(const struct hs_topology *t, char **answer, int timeout_ms, char *err,
                      size_t err_size);
/* Wait until every switch of t is connected and ready (progress lines on progress when not
 * NULL); -1 with message after timeout_ms. */
int hs_lab_ctl_wait_ready(const struct hs_topology *t, int timeout_ms, FILE *progress, char *err,
                          size_t err_size);
/* Stop every honeyshiftd of this lab (checked by command line). Returns how many were stopped,
 * -1 when one would not die. */
int hs_lab_ctl_stop(const char *state_dir, char *err, size_t err_size);

/* The migration agent of host (honeyshift-agent), 0 when none runs. */
pid_t hs_lab_agent_pid(const struct hs_topology *t, const char *host);
/* Start host's agent unless it runs (creating <state_dir>/agent.key when missing). */
int hs_lab_agent_start(const struct hs_topology *t, const char *host, bool *started, char *err,
                       size_t err_size);
/* Stop every agent of the lab whose state is state_dir; the number stopped or -1. */
int hs_lab_agents_stop(const char *state_dir, char *err, size_t err_size);

#endif
