/* spec.c - validation, derived names and the JSON form of a Sandnet container spec. */
#include "sandnet/spec.h"

#include <stdio.h>
#include <string.h>

#include "common/buf.h"
#include "common/util.h"

bool sn_id_valid(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n >= SN_ID_MAX || id[0] == '-')
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = id[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-'))
            return false;
    }
    return true;
}

static bool fail(char *why, size_t size, const char *msg, const char *what)
{
    if (why && size)
        (void)hs_snprintf(why, size, "%s%s%s", msg, what ? ": " : "", what ? what : "");
    return false;
}

/* Absolute, and no ".." component. */
static bool abs_clean(const char *p)
{
    if (p[0] != '/')
        return false;
    for (const char *q = p; (q = strstr(q, "..")) != NULL; q += 2) {
        bool starts = q[-1] == '/';             /* q > p because p[0] == '/' */
        bool ends = q[2] == '/' || q[2] == '\0';
        if (starts && ends)
            return false;
    }
    return true;
}

bool sn_spec_validate(const struct sn_container *c, char *why, size_t why_size)
{
    if (!sn_id_valid(c->id))
        return fail(why, why_size, "bad container id (1..11 of [a-z0-9-])", c->id);
    if (!c->hostname[0] || strpbrk(c->hostname, " \t\n/"))
        return fail(why, why_size, "bad hostname", c->hostname);
    if (!abs_clean(c->lower))
        return fail(why, why_size, "lower dir must be an absolute path", c->lower);
    if (!abs_clean(c->state_dir) || strcmp(c->state_dir, "/") == 0)
        return fail(why, why_size, "state dir must be an absolute path other than /", c->state_dir);
    if (!c->bridge[0] || strpbrk(c->bridge, " \t\n/"))
        return fail(why, why_size, "bad bridge name", c->bridge);
    if (c->prefix_len < 1 || c->prefix_len > 32)
        return fail(why, why_size, "prefix length out of range 1..32", NULL);
    if (c->ip == 0)
        return fail(why, why_size, "missing IP address", NULL);
    if (c->mac[0] & 1)
        return fail(why, why_size, "MAC address is multicast", NULL);
    if (c->n_args == 0 || c->n_args > SN_MAX_ARGS || !c->args[0][0])
        return fail(why, why_size, "missing process arguments", NULL);
    if (c->n_volumes > SN_MAX_VOLUMES || c->n_hosts > SN_MAX_HOSTS)
        return fail(why, why_size, "too many volumes or host entries", NULL);
    for (size_t i = 0; i < c->n_volumes; i++) {
        if (!abs_clean(c->volumes[i].host) || !abs_clean(c->volumes[i].dest)
            || strcmp(c->volumes[i].dest, "/") == 0)
            return fail(why, why_size, "volume paths must be absolute (dest not /)", c->volumes[i].dest);
    }
    for (size_t i = 0; i < c->n_hosts; i++) {
        if (!c->hosts[i].names[0] || strpbrk(c->hosts[i].names, "\t\n#"))
            return fail(why, why_size, "bad host entry names", c->hosts[i].names);
    }
    return true;
}

bool sn_netns_name(const struct sn_container *c, char *out, size_t size)
{
    return hs_snprintf(out, size, "hsn-%s", c->id);
}

bool sn_netns_path(const struct sn_container *c, char *out, size_t size)
{
    return hs_snprintf(out, size, "/run/netns/hsn-%s", c->id);
}

bool sn_host_ifname(const struct sn_container *c, char *out, size_t size)
{
    /* "hsn" + at most 11 characters = 14 < IFNAMSIZ */
    return hs_snprintf(out, size, "hsn%s", c->id);
}

bool sn_state_path(const struct sn_container *c, const char *rel, char *out, size_t size)
{
    return hs_snprintf(out, size, "%s/%s", c->state_dir, rel);
}

json_t *sn_spec_to_json(const struct sn_container *c)
{
    char ip[16], mac[18];
    hs_format_ipv4(c->ip, ip);
    hs_format_mac(c->mac, mac);
    json_t *args = json_array();
    for (size_t i = 0; i < c->n_args; i++)
        json_array_append_new(args, json_string(c->args[i]));
    json_t *vols = json_array();
    for (size_t i = 0; i < c->n_volumes; i++)
        json_array_append_new(vols, json_pack("{s:s, s:s}", "host", c->volumes[i].host,
                                              "dest", c->volumes[i].dest));
    json_t *hosts = json_array();
    for (size_t i = 0; i < c->n_hosts; i++) {
        char hip[16];
        hs_format_ipv4(c->hosts[i].ip, hip);
        json_array_append_new(hosts, json_pack("{s:s, s:s}", "ip", hip, "names", c->hosts[i].names));
    }
    json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:o, s:o, s:o}",
                          "id", c->id, "hostname", c->hostname, "kind", c->kind, "lower", c->lower,
                          "state_dir", c->state_dir, "bridge", c->bridge, "ip", ip,
                          "prefix_len", (int)c->prefix_len, "mac", mac, "args", args,
                          "volumes", vols, "hosts", hosts);
    if (j && c->ofport)
        json_object_set_new(j, "ofport", json_integer((json_int_t)c->ofport));
    return j;
}

static bool get_str(const json_t *j, const char *key, char *dst, size_t size, bool required,
                    char *why, size_t why_size)
{
    const json_t *v = json_object_get(j, key);
    if (!v) {
        if (required)
            return fail(why, why_size, "missing key", key);
        dst[0] = '\0';
        return true;
    }
    if (!json_is_string(v))
        return fail(why, why_size, "not a string", key);
    if (!hs_strlcpy(dst, json_string_value(v), size))
        return fail(why, why_size, "value too long", key);
    return true;
}

bool sn_spec_from_json(const json_t *j, struct sn_container *c, char *why, size_t why_size)
{
    memset(c, 0, sizeof *c);
    if (!json_is_object(j))
        return fail(why, why_size, "spec is not an object", NULL);
    char ip[32], mac[32];
    if (!get_str(j, "id", c->id, sizeof c->id, true, why, why_size)
        || !get_str(j, "hostname", c->hostname, sizeof c->hostname, true, why, why_size)
        || !get_str(j, "kind", c->kind, sizeof c->kind, false, why, why_size)
        || !get_str(j, "lower", c->lower, sizeof c->lower, true, why, why_size)
        || !get_str(j, "state_dir", c->state_dir, sizeof c->state_dir, true, why, why_size)
        || !get_str(j, "bridge", c->bridge, sizeof c->bridge, true, why, why_size)
        || !get_str(j, "ip", ip, sizeof ip, true, why, why_size)
        || !get_str(j, "mac", mac, sizeof mac, true, why, why_size))
        return false;
    if (!hs_parse_ipv4(ip, &c->ip))
        return fail(why, why_size, "bad ip", ip);
    if (!hs_parse_mac(mac, c->mac))
        return fail(why, why_size, "bad mac", mac);
    json_t *pl = json_object_get(j, "prefix_len");
    if (!json_is_integer(pl) || json_integer_value(pl) < 1 || json_integer_value(pl) > 32)
        return fail(why, why_size, "bad prefix_len", NULL);
    c->prefix_len = (uint8_t)json_integer_value(pl);
    json_t *op = json_object_get(j, "ofport");
    if (op && (!json_is_integer(op) || json_integer_value(op) < 1
               || json_integer_value(op) > 0xfeff))
        return fail(why, why_size, "bad ofport", NULL);
    c->ofport = op ? (uint32_t)json_integer_value(op) : 0;

    json_t *args = json_object_get(j, "args");
    if (!json_is_array(args) || json_array_size(args) == 0 || json_array_size(args) > SN_MAX_ARGS)
        return fail(why, why_size, "args must be an array of 1..8 strings", NULL);
    for (size_t i = 0; i < json_array_size(args); i++) {
        json_t *a = json_array_get(args, i);
        if (!json_is_string(a) || !hs_strlcpy(c->args[i], json_string_value(a), SN_ARG_MAX))
            return fail(why, why_size, "bad or too long argument", NULL);
    }
    c->n_args = json_array_size(args);

    json_t *vols = json_object_get(j, "volumes");
    if (vols && (!json_is_array(vols) || json_array_size(vols) > SN_MAX_VOLUMES))
        return fail(why, why_size, "volumes must be an array of at most 8", NULL);
    for (size_t i = 0; vols && i < json_array_size(vols); i++) {
        json_t *v = json_array_get(vols, i);
        if (!get_str(v, "host", c->volumes[i].host, SN_PATH_MAX, true, why, why_size)
            || !get_str(v, "dest", c->volumes[i].dest, SN_PATH_MAX, true, why, why_size))
            return false;
        c->n_volumes = i + 1;
    }
    json_t *hosts = json_object_get(j, "hosts");
    if (hosts && (!json_is_array(hosts) || json_array_size(hosts) > SN_MAX_HOSTS))
        return fail(why, why_size, "hosts must be an array of at most 16", NULL);
    for (size_t i = 0; hosts && i < json_array_size(hosts); i++) {
        json_t *h = json_array_get(hosts, i);
        char hip[32];
        if (!get_str(h, "ip", hip, sizeof hip, true, why, why_size)
            || !get_str(h, "names", c->hosts[i].names, sizeof c->hosts[i].names, true, why, why_size))
            return false;
        if (!hs_parse_ipv4(hip, &c->hosts[i].ip))
            return fail(why, why_size, "bad host ip", hip);
        c->n_hosts = i + 1;
    }
    return sn_spec_validate(c, why, why_size);
}

char *sn_hosts_text(const struct sn_container *c)
{
    struct hs_buf b = HS_BUF_INIT;
    char ip[16], line[256];
    hs_format_ipv4(c->ip, ip);
    const char *fixed = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n";
    hs_buf_put(&b, fixed, strlen(fixed));
    /* own name first, so that a peer entry naming the same host cannot shadow it */
    int n = snprintf(line, sizeof line, "%s\t%s\n", ip, c->hostname);
    if (n > 0 && (size_t)n < sizeof line)
        hs_buf_put(&b, line, (size_t)n);
    for (size_t i = 0; i < c->n_hosts; i++) {
        hs_format_ipv4(c->hosts[i].ip, ip);
        n = snprintf(line, sizeof line, "%s\t%s\n", ip, c->hosts[i].names);
        if (n > 0 && (size_t)n < sizeof line)   /* names[] is 128: always fits */
            hs_buf_put(&b, line, (size_t)n);
    }
    hs_buf_put_u8(&b, 0);
    return (char *)b.data;
}
