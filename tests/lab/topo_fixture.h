/* topo_fixture.h - a hand-built topology for the lab's unit tests (no parser involved): the
 * default lab's shape (client, attacker, web, honeypot twin of web) on one switch. */
#ifndef HS_TESTS_LAB_TOPO_FIXTURE_H
#define HS_TESTS_LAB_TOPO_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "config/topology.h"

static inline void fixture_host(struct hs_host *h, const char *name, enum hs_role role,
                                uint32_t port, const char *mac, const char *ip, int line)
{
    memset(h, 0, sizeof *h);
    hs_strlcpy(h->name, name, sizeof h->name);
    h->role = role;
    hs_strlcpy(h->switch_name, "hs-br0", sizeof h->switch_name);
    h->switch_index = 0;
    h->port = port;
    hs_parse_mac(mac, h->mac);
    hs_parse_ipv4(ip, &h->ip);
    h->prefix_len = 24;
    h->twin_index = SIZE_MAX;
    h->line = line;
}

static inline struct hs_service *fixture_service(struct hs_host *h, const char *name,
                                                 enum hs_service_kind kind, uint16_t port,
                                                 const char *content, int line)
{
    h->services = realloc(h->services, (h->n_services + 1) * sizeof *h->services);
    if (!h->services)
        abort();
    struct hs_service *s = &h->services[h->n_services++];
    memset(s, 0, sizeof *s);
    hs_strlcpy(s->name, name, sizeof s->name);
    s->kind = kind;
    s->port = port;
    s->workers = 2;
    hs_strlcpy(s->content, content, sizeof s->content);
    s->line = line;
    return s;
}

/* Caller frees with fixture_free. */
static inline struct hs_topology *fixture_topology(void)
{
    struct hs_topology *t = calloc(1, sizeof *t);
    if (!t)
        abort();
    hs_strlcpy(t->path, "lab.yaml", sizeof t->path);
    hs_strlcpy(t->lab, "hs", sizeof t->lab);
    hs_strlcpy(t->state_dir, "/run/honeyshift/hs", sizeof t->state_dir);
    hs_strlcpy(t->controller.control_socket, "/run/honeyshift/hs/ctl.sock",
               sizeof t->controller.control_socket);
    t->n_switches = 1;
    t->switches = calloc(1, sizeof *t->switches);
    t->n_hosts = 4;
    t->hosts = calloc(4, sizeof *t->hosts);
    if (!t->switches || !t->hosts)
        abort();
    hs_strlcpy(t->switches[0].name, "hs-br0", sizeof t->switches[0].name);
    t->switches[0].dpid = 1;
    fixture_host(&t->hosts[0], "client", HS_ROLE_CLIENT, 1, "02:00:c6:12:00:0a",
                 "198.18.0.10", 10);
    fixture_host(&t->hosts[1], "attacker", HS_ROLE_CLIENT, 2, "02:00:c6:12:00:0b",
                 "198.18.0.11", 16);
    fixture_host(&t->hosts[2], "web", HS_ROLE_PRODUCTION, 3, "02:00:c6:12:00:50",
                 "198.18.0.80", 22);
    fixture_service(&t->hosts[2], "www", HS_SVC_NGINX, 80, "ACME Corp intranet", 29);
    fixture_host(&t->hosts[3], "honeypot", HS_ROLE_HONEYPOT, 4, "02:00:c6:12:00:50",
                 "198.18.0.80", 35);
    hs_strlcpy(t->hosts[3].twin, "web", sizeof t->hosts[3].twin);
    t->hosts[3].twin_index = 2;
    fixture_service(&t->hosts[3], "www", HS_SVC_NGINX, 80, "ACME decoy", 43);
    return t;
}

static inline void fixture_free(struct hs_topology *t)
{
    for (size_t i = 0; i < t->n_hosts; i++)
        free(t->hosts[i].services);
    free(t->hosts);
    free(t->switches);
    free(t);
}

#endif
