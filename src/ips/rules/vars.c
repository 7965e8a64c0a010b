/* vars.c - the table of rule variables ($HOME_NET, $HTTP_PORTS, ...) with Suricata's defaults. */
#include "common/util.h"
#include "ips/rules/rules.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct ips_var {
    char *name;
    char *value;
};

struct ips_vars {
    struct ips_var *v;
    size_t n, cap;
};

static const char *const defaults[][2] = {
    {"HOME_NET", "[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]"},
    {"EXTERNAL_NET", "!$HOME_NET"},
    {"HTTP_SERVERS", "$HOME_NET"},
    {"SMTP_SERVERS", "$HOME_NET"},
    {"SQL_SERVERS", "$HOME_NET"},
    {"DNS_SERVERS", "$HOME_NET"},
    {"TELNET_SERVERS", "$HOME_NET"},
    {"HTTP_PORTS", "80"},
    {"SHELLCODE_PORTS", "!80"},
    {"ORACLE_PORTS", "1521"},
    {"SSH_PORTS", "22"},
    {"FILE_DATA_PORTS", "[$HTTP_PORTS,110,143]"},
};

static bool valid_name(const char *name)
{
    if (!*name)
        return false;
    for (const char *p = name; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_')
            return false;
    return true;
}

struct ips_vars *ips_vars_new(void)
{
    struct ips_vars *v = xcalloc(1, sizeof *v);
    for (size_t i = 0; i < HS_ARRAY_SIZE(defaults); i++)
        ips_vars_set(v, defaults[i][0], defaults[i][1]);
    return v;
}

bool ips_vars_set(struct ips_vars *v, const char *name, const char *value)
{
    if (!valid_name(name))
        return false;
    for (size_t i = 0; i < v->n; i++) {
        if (strcmp(v->v[i].name, name) == 0) {
            free(v->v[i].value);
            v->v[i].value = xstrdup(value);
            return true;
        }
    }
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 16;
        v->v = xreallocarray(v->v, v->cap, sizeof *v->v);
    }
    v->v[v->n].name = xstrdup(name);
    v->v[v->n].value = xstrdup(value);
    v->n++;
    return true;
}

const char *ips_vars_get(const struct ips_vars *v, const char *name)
{
    for (size_t i = 0; i < v->n; i++)
        if (strcmp(v->v[i].name, name) == 0)
            return v->v[i].value;
    return NULL;
}

void ips_vars_free(struct ips_vars *v)
{
    if (!v)
        return;
    for (size_t i = 0; i < v->n; i++) {
        free(v->v[i].name);
        free(v->v[i].value);
    }
    free(v->v);
    free(v);
}
