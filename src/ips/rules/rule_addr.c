/* rule_addr.c - parsing and matching of header address and port sets. */
#include "ips/rules/rule_addr.h"

#include "common/util.h"
#include "ips/rules/rule.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 16

struct set_parser {
    const char *p;
    const struct ips_vars *vars;
    bool port;
    int depth;
    char *err;
    size_t errlen;
};

static struct ips_set *parse_elem(struct set_parser *ps);

static void skip_ws(struct set_parser *ps)
{
    while (*ps->p == ' ' || *ps->p == '\t')
        ps->p++;
}

static struct ips_set *new_node(enum ips_set_kind kind)
{
    struct ips_set *s = xcalloc(1, sizeof *s);
    s->kind = kind;
    return s;
}

void ips_set_free(struct ips_set *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nkids; i++)
        ips_set_free(s->kids[i]);
    free(s->kids);
    free(s);
}

/* Copy the token [start, ps->p) into tok; false when it is too long. */
static bool take_token(struct set_parser *ps, const char *start, char *tok, size_t toklen)
{
    size_t n = (size_t)(ps->p - start);
    if (n == 0) {
        snprintf(ps->err, ps->errlen, "empty %s", ps->port ? "port" : "address");
        return false;
    }
    if (n >= toklen) {
        snprintf(ps->err, ps->errlen, "%s too long", ps->port ? "port" : "address");
        return false;
    }
    memcpy(tok, start, n);
    tok[n] = '\0';
    return true;
}

static bool is_tok_char(char c)
{
    return c && c != ',' && c != ']' && c != '[' && c != ' ' && c != '\t' && c != '!';
}

static bool parse_port_num(const char *s, uint32_t *out)
{
    long long v;
    if (!ips_parse_int(s, 0, 65535, &v))
        return false;
    *out = (uint32_t)v;
    return true;
}

static struct ips_set *parse_port_atom(struct set_parser *ps, const char *tok)
{
    uint32_t lo = 0, hi = 65535;
    const char *colon = strchr(tok, ':');
    if (!colon) {
        if (!parse_port_num(tok, &lo))
            goto bad;
        hi = lo;
    } else {
        char a[16] = "", b[16] = "";
        size_t an = (size_t)(colon - tok);
        if (an >= sizeof a || strlen(colon + 1) >= sizeof b)
            goto bad;
        memcpy(a, tok, an);
        a[an] = '\0';
        strcpy(b, colon + 1);
        if (!*a && !*b)
            goto bad;
        if (*a && !parse_port_num(a, &lo))
            goto bad;
        if (*b && !parse_port_num(b, &hi))
            goto bad;
        if (lo > hi) {
            snprintf(ps->err, ps->errlen, "bad port range '%s' (start above end)", tok);
            return NULL;
        }
    }
    struct ips_set *s = new_node(IPS_SET_RANGE);
    s->lo = lo;
    s->hi = hi;
    return s;
bad:
    snprintf(ps->err, ps->errlen, "bad port '%s'", tok);
    return NULL;
}

static struct ips_set *parse_addr_atom(struct set_parser *ps, const char *tok)
{
    if (strchr(tok, ':')) {
        snprintf(ps->err, ps->errlen, "IPv6 address '%s' is not supported", tok);
        return NULL;
    }
    char ipbuf[32];
    const char *slash = strchr(tok, '/');
    long long bits = 32;
    size_t n = slash ? (size_t)(slash - tok) : strlen(tok);
    if (n >= sizeof ipbuf)
        goto bad;
    memcpy(ipbuf, tok, n);
    ipbuf[n] = '\0';
    uint32_t ip;
    if (!hs_parse_ipv4(ipbuf, &ip))
        goto bad;
    if (slash && !ips_parse_int(slash + 1, 0, 32, &bits))
        goto bad;
    uint32_t mask = bits == 0 ? 0 : 0xffffffffu << (32 - bits);
    struct ips_set *s = new_node(IPS_SET_RANGE);
    s->lo = ip & mask;
    s->hi = s->lo | ~mask;
    return s;
bad:
    snprintf(ps->err, ps->errlen, "bad address '%s'", tok);
    return NULL;
}

static struct ips_set *parse_var(struct set_parser *ps)
{
    const char *start = ++ps->p;   /* after '$' */
    while (isalnum((unsigned char)*ps->p) || *ps->p == '_')
        ps->p++;
    char name[64];
    if (!take_token(ps, start, name, sizeof name))
        return NULL;
    const char *val = ips_vars_get(ps->vars, name);
    if (!val) {
        snprintf(ps->err, ps->errlen, "undefined variable '$%s'", name);
        return NULL;
    }
    struct set_parser sub = *ps;
    sub.p = val;
    sub.depth = ps->depth + 1;
    if (sub.depth > MAX_DEPTH) {
        snprintf(ps->err, ps->errlen, "variable '$%s' nests too deeply (loop?)", name);
        return NULL;
    }
    skip_ws(&sub);
    struct ips_set *s = parse_elem(&sub);
    if (!s)
        return NULL;
    skip_ws(&sub);
    if (*sub.p) {
        snprintf(ps->err, ps->errlen, "bad value of variable '$%s': trailing '%s'", name, sub.p);
        ips_set_free(s);
        return NULL;
    }
    return s;
}

static struct ips_set *parse_list(struct set_parser *ps)
{
    ps->p++;   /* '[' */
    if (++ps->depth > MAX_DEPTH) {
        snprintf(ps->err, ps->errlen, "%s list nests too deeply", ps->port ? "port" : "address");
        return NULL;
    }
    struct ips_set *l = new_node(IPS_SET_LIST);
    size_t cap = 0;
    for (;;) {
        skip_ws(ps);
        struct ips_set *k = parse_elem(ps);
        if (!k) {
            ips_set_free(l);
            return NULL;
        }
        if (l->nkids == cap) {
            cap = cap ? cap * 2 : 4;
            l->kids = xreallocarray(l->kids, cap, sizeof *l->kids);
        }
        l->kids[l->nkids++] = k;
        skip_ws(ps);
        if (*ps->p == ',') {
            ps->p++;
            continue;
        }
        if (*ps->p == ']') {
            ps->p++;
            break;
        }
        snprintf(ps->err, ps->errlen, "unterminated %s list", ps->port ? "port" : "address");
        ips_set_free(l);
        return NULL;
    }
    ps->depth--;
    return l;
}

static struct ips_set *parse_elem(struct set_parser *ps)
{
    bool neg = false;
    while (*ps->p == '!') {
        neg = !neg;
        ps->p++;
        skip_ws(ps);
    }
    struct ips_set *s;
    if (*ps->p == '[') {
        s = parse_list(ps);
    } else if (*ps->p == '$') {
        s = parse_var(ps);
    } else {
        const char *start = ps->p;
        while (is_tok_char(*ps->p))
            ps->p++;
        char tok[64];
        if (!take_token(ps, start, tok, sizeof tok))
            return NULL;
        if (strcmp(tok, "any") == 0)
            s = new_node(IPS_SET_ANY);
        else
            s = ps->port ? parse_port_atom(ps, tok) : parse_addr_atom(ps, tok);
    }
    if (!s)
        return NULL;
    s->neg ^= neg;
    if (s->neg && s->kind == IPS_SET_ANY) {
        snprintf(ps->err, ps->errlen, "'!any' matches nothing");
        ips_set_free(s);
        return NULL;
    }
    return s;
}

static struct ips_set *parse_top(const char *str, const struct ips_vars *vars, bool port,
                                 char *err, size_t errlen)
{
    struct set_parser ps = {str, vars, port, 0, err, errlen};
    skip_ws(&ps);
    struct ips_set *s = parse_elem(&ps);
    if (!s)
        return NULL;
    skip_ws(&ps);
    if (*ps.p) {
        snprintf(err, errlen, "unexpected '%s' in %s '%s'", ps.p, port ? "port" : "address", str);
        ips_set_free(s);
        return NULL;
    }
    return s;
}

struct ips_set *ips_addr_parse(const char *s, const struct ips_vars *vars, char *err, size_t errlen)
{
    return parse_top(s, vars, false, err, errlen);
}

struct ips_set *ips_port_parse(const char *s, const struct ips_vars *vars, char *err, size_t errlen)
{
    return parse_top(s, vars, true, err, errlen);
}

/* Match ignoring the node's own negation. */
static bool match_base(const struct ips_set *s, uint32_t v)
{
    switch (s->kind) {
    case IPS_SET_ANY:
        return true;
    case IPS_SET_RANGE:
        return v >= s->lo && v <= s->hi;
    case IPS_SET_LIST: {
        bool have_pos = false, pos = false;
        for (size_t i = 0; i < s->nkids; i++) {
            const struct ips_set *k = s->kids[i];
            bool m = match_base(k, v);
            if (k->neg) {
                if (m)
                    return false;
            } else {
                have_pos = true;
                pos = pos || m;
            }
        }
        return !have_pos || pos;
    }
    }
    return false;
}

bool ips_set_match(const struct ips_set *s, uint32_t v)
{
    return match_base(s, v) != s->neg;
}

bool ips_set_is_any(const struct ips_set *s)
{
    return s->kind == IPS_SET_ANY && !s->neg;
}
