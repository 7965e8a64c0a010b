/* lab_gen.h - pure generators of the files a lab host uses: /etc/hosts, nginx.conf and the
 * service's index page. No I/O: text goes into an hs_buf (NUL-terminated, len excludes it). */
#ifndef HS_LAB_LAB_GEN_H
#define HS_LAB_LAB_GEN_H

#include <stddef.h>

#include "common/buf.h"
#include "config/topology.h"

/* Where every host sees its own files (<state_dir>/hosts/<host>, bind-mounted by hostinit):
 * the same path in every host, so a process relocated into a honeypot opens the honeypot's
 * decoy copies (docroot, logs) at the paths it had in production. */
#define HS_LAB_HOST_MOUNT "/srv/honeyshift"

/* The hosts file every host gets: localhost lines, then every non-honeypot host by name. */
void hs_lab_gen_hosts(const struct hs_topology *t, struct hs_buf *out);
/* nginx.conf for service svc of a host whose files live in host_dir (absolute). -1 with a
 * message when host_dir holds a character nginx's configuration syntax cannot carry. */
int hs_lab_gen_nginx_conf(const struct hs_service *svc, const char *host_dir, struct hs_buf *out,
                          char *err, size_t err_size);
/* A small realistic HTML page titled with hostname carrying svc->content (HTML-escaped). */
void hs_lab_gen_index_html(const char *hostname, const struct hs_service *svc,
                           struct hs_buf *out);
/* Append s HTML-escaped (& < > " ') to out (no terminating NUL). */
void hs_lab_html_escape(struct hs_buf *out, const char *s);
/* Check every service of the topology can be run by this lab version; -1 with
 * "FILE:LINE: service kind X not supported yet" (or another reason) if not. */
int hs_lab_check_services(const struct hs_topology *t, char *err, size_t err_size);

#endif
