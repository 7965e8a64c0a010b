/* lab_svc.h - services the lab runs inside hosts (nginx, flask under gunicorn, node; redis later). */
#ifndef HS_LAB_LAB_SVC_H
#define HS_LAB_LAB_SVC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "config/topology.h"

/* Write the service's files below host_dir (nginx.conf or app/hsapp.py or app/server.js,
 * www/index.html, log/, tmp/). */
int hs_lab_svc_write_files(const struct hs_host *h, const struct hs_service *svc,
                           const char *host_dir, char *err, size_t err_size);
/* PID (in the caller's PID namespace) of the service's main process (nginx or gunicorn
 * master, first node process), 0 when not running. */
pid_t hs_lab_svc_pid(const struct hs_service *svc, const char *host_dir);
/* True when something accepts TCP connections on the service's port inside the host. */
bool hs_lab_svc_accepts(pid_t init_pid, const struct hs_service *svc);
/* Start the service inside the host unless it runs and accepts already; wait (10 s at most)
 * until it accepts connections. *started tells whether it had to be started. */
int hs_lab_svc_ensure(pid_t init_pid, const struct hs_host *h, const struct hs_service *svc,
                      const char *host_dir, bool *started, char *err, size_t err_size);

#endif
