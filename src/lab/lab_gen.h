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
/* The Flask application (hsapp.py) gunicorn serves for svc: it reads HS_LAB_HOST_MOUNT/www/
 * index.html on every request, so a worker relocated into the honeypot serves the decoy copy. */
void hs_lab_gen_flask_app(const struct hs_service *svc, struct hs_buf *out);
/* The Node.js http server (server.js, port from argv[2]) for svc: keep-alive, access log in
 * HS_LAB_HOST_MOUNT/log/access.log, the page read from HS_LAB_HOST_MOUNT/www/ per request. */
void hs_lab_gen_node_server(const struct hs_service *svc, struct hs_buf *out);
/* A small realistic HTML page titled with hostname carrying svc->content (HTML-escaped). */
void hs_lab_gen_index_html(const char *hostname, const struct hs_service *svc,
                           struct hs_buf *out);
/* Append s HTML-escaped (& < > " ') to out (no terminating NUL). */
void hs_lab_html_escape(struct hs_buf *out, const char *s);
/* Check every service of the topology can be run by this lab version; -1 with
 * "FILE:LINE: host H: service S: reason" if not (unsupported kind, port 0, two web services
 * on one host, two services on one port). */
int hs_lab_check_services(const struct hs_topology *t, char *err, size_t err_size);

#endif
