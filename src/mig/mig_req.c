/* mig_req.c - request parsing and formatting (pure, jansson). */
#include "mig/mig_req.h"
#include "common/util.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const cmd_names[] = {"locate", "dump", "push", "recv", "restore", "destroy",
                                        "release", "forget"};

int hs_mig_id_ok(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n >= HS_MIG_ID_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((id[i] >= 'a' && id[i] <= 'z') || (id[i] >= '0' && id[i] <= '9') || id[i] == '-'))
            return 0;
    return 1;
}

int hs_mig_parse_endpoint(const char *s, uint32_t *ip, uint16_t *port)
{
    const char *colon = strrchr(s, ':');
    char host[16];
    if (!colon || (size_t)(colon - s) >= sizeof host)
        return -1;
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = '\0';
    uint64_t p;
    if (!hs_parse_ipv4(host, ip) || !hs_parse_u64(colon + 1, 65535, &p) || p == 0)
        return -1;
    *port = (uint16_t)p;
    return 0;
}

static const char *get_str(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static int need_id(json_t *o, struct hs_mig_req *r, char *err, size_t es)
{
    const char *id = get_str(o, "id");
    if (!id || !hs_mig_id_ok(id)) {
        snprintf(err, es, "field id: missing or not [a-z0-9-]{1,47}");
        return -1;
    }
    hs_strlcpy(r->id, id, sizeof r->id);
    return 0;
}

static int need_tuple(json_t *o, struct hs_mig_req *r, char *err, size_t es)
{
    const char *l = get_str(o, "local"), *rm = get_str(o, "remote");
    if (!l || hs_mig_parse_endpoint(l, &r->tuple.local_ip, &r->tuple.local_port) != 0 || !rm ||
        hs_mig_parse_endpoint(rm, &r->tuple.remote_ip, &r->tuple.remote_port) != 0) {
        snprintf(err, es, "fields local/remote: need IP:PORT");
        return -1;
    }
    return 0;
}

static int need_client(json_t *o, struct hs_mig_req *r, char *err, size_t es)
{
    const char *c = get_str(o, "client");
    if (!c || !hs_parse_ipv4(c, &r->client_ip)) {
        snprintf(err, es, "field client: need an IPv4 address");
        return -1;
    }
    return 0;
}

static int parse_obj(json_t *o, struct hs_mig_req *r, char *err, size_t es)
{
    const char *cmd = get_str(o, "cmd");
    if (!cmd) {
        snprintf(err, es, "field cmd: missing");
        return -1;
    }
    size_t i;
    for (i = 0; i < HS_ARRAY_SIZE(cmd_names); i++)
        if (!strcmp(cmd, cmd_names[i]))
            break;
    if (i == HS_ARRAY_SIZE(cmd_names)) {
        snprintf(err, es, "field cmd: unknown command");
        return -1;
    }
    r->cmd = (enum hs_mig_cmd)i;
    switch (r->cmd) {
    case HS_MIG_LOCATE:
    case HS_MIG_DESTROY:
        return need_tuple(o, r, err, es);
    case HS_MIG_DUMP: {
        json_t *p = json_object_get(o, "pid");
        if (!json_is_integer(p) || json_integer_value(p) <= 0 ||
            json_integer_value(p) > 4194304) {
            snprintf(err, es, "field pid: need a PID");
            return -1;
        }
        r->pid = (pid_t)json_integer_value(p);
        /* optional: stream the images to this peer while CRIU dumps */
        const char *peer = get_str(o, "peer");
        if (peer && (!peer[0] || !hs_strlcpy(r->peer, peer, sizeof r->peer))) {
            snprintf(err, es, "field peer: need a host name");
            return -1;
        }
        return need_id(o, r, err, es);
    }
    case HS_MIG_PUSH: {
        const char *peer = get_str(o, "peer");
        if (!peer || !peer[0] || !hs_strlcpy(r->peer, peer, sizeof r->peer)) {
            snprintf(err, es, "field peer: need a host name");
            return -1;
        }
        return need_id(o, r, err, es);
    }
    case HS_MIG_RECV:
    case HS_MIG_FORGET:
        return need_id(o, r, err, es);
    case HS_MIG_RELEASE:
        return need_client(o, r, err, es);
    case HS_MIG_RESTORE: {
        if (need_id(o, r, err, es) != 0 || need_client(o, r, err, es) != 0)
            return -1;
        const char *mac = get_str(o, "client_mac");
        if (!mac || !hs_parse_mac(mac, r->client_mac)) {
            snprintf(err, es, "field client_mac: need aa:bb:cc:dd:ee:ff");
            return -1;
        }
        json_t *u = json_object_get(o, "unix");
        if (!json_is_array(u) || json_array_size(u) > HS_MIG_MAX_UNIX) {
            snprintf(err, es, "field unix: need an array of at most %d inodes", HS_MIG_MAX_UNIX);
            return -1;
        }
        for (size_t k = 0; k < json_array_size(u); k++) {
            json_t *v = json_array_get(u, k);
            if (!json_is_integer(v) || json_integer_value(v) <= 0) {
                snprintf(err, es, "field unix: inode %zu is not a positive integer", k);
                return -1;
            }
            r->unix_inodes[r->n_unix++] = (uint64_t)json_integer_value(v);
        }
        return 0;
    }
    }
    return -1;
}

int hs_mig_req_parse(const char *json, size_t len, struct hs_mig_req *out, char *err,
                     size_t err_size)
{
    memset(out, 0, sizeof *out);
    json_error_t je;
    json_t *o = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
    if (!o) {
        snprintf(err, err_size, "request is not JSON: %s", je.text);
        return -1;
    }
    int rc = -1;
    if (!json_is_object(o))
        snprintf(err, err_size, "request is not a JSON object");
    else
        rc = parse_obj(o, out, err, err_size);
    json_decref(o);
    return rc;
}

static void put_ep(json_t *o, const char *k, uint32_t ip, uint16_t port)
{
    char a[16], s[32];
    hs_format_ipv4(ip, a);
    snprintf(s, sizeof s, "%s:%u", a, (unsigned)port);
    json_object_set_new(o, k, json_string(s));
}

char *hs_mig_req_format(const struct hs_mig_req *r)
{
    json_t *o = json_object();
    char ip[16], mac[18];
    json_object_set_new(o, "cmd", json_string(cmd_names[r->cmd]));
    switch (r->cmd) {
    case HS_MIG_LOCATE:
    case HS_MIG_DESTROY:
        put_ep(o, "local", r->tuple.local_ip, r->tuple.local_port);
        put_ep(o, "remote", r->tuple.remote_ip, r->tuple.remote_port);
        break;
    case HS_MIG_DUMP:
        json_object_set_new(o, "pid", json_integer(r->pid));
        json_object_set_new(o, "id", json_string(r->id));
        if (r->peer[0])
            json_object_set_new(o, "peer", json_string(r->peer));
        break;
    case HS_MIG_PUSH:
        json_object_set_new(o, "peer", json_string(r->peer));
        json_object_set_new(o, "id", json_string(r->id));
        break;
    case HS_MIG_RECV:
    case HS_MIG_FORGET:
        json_object_set_new(o, "id", json_string(r->id));
        break;
    case HS_MIG_RELEASE:
        hs_format_ipv4(r->client_ip, ip);
        json_object_set_new(o, "client", json_string(ip));
        break;
    case HS_MIG_RESTORE: {
        json_object_set_new(o, "id", json_string(r->id));
        hs_format_ipv4(r->client_ip, ip);
        json_object_set_new(o, "client", json_string(ip));
        hs_format_mac(r->client_mac, mac);
        json_object_set_new(o, "client_mac", json_string(mac));
        json_t *u = json_array();
        for (size_t i = 0; i < r->n_unix; i++)
            json_array_append_new(u, json_integer((json_int_t)r->unix_inodes[i]));
        json_object_set_new(o, "unix", u);
        break;
    }
    }
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (!s) {
        fprintf(stderr, "out of memory\n");
        abort();
    }
    return s;
}
