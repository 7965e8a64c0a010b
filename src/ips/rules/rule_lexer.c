/* rule_lexer.c - rule splitting, option tokenizing, quoted strings and integers. */
#include "ips/rules/rule_lexer.h"

#include "common/util.h"
#include "ips/rules/rule.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

bool ips_lex_split(char *rule, char **header, char **opts, char *err, size_t errlen)
{
    char *open = strchr(rule, '(');
    if (!open) {
        snprintf(err, errlen, "missing '(' before the rule options");
        return false;
    }
    char *s = trim(open + 1);
    size_t n = strlen(s);
    if (n == 0 || s[n - 1] != ')') {
        snprintf(err, errlen, "rule options must end with ')'");
        return false;
    }
    s[n - 1] = '\0';
    *open = '\0';
    *header = trim(rule);
    *opts = s;
    return true;
}

static bool name_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '.' || c == '-';
}

int ips_lex_next(struct ips_lexer *lx, struct ips_opt *opt, char *err, size_t errlen)
{
    char *p = lx->p;
    while (isspace((unsigned char)*p))
        p++;
    if (!*p) {
        lx->p = p;
        return 0;
    }
    char *name = p;
    while (name_char(*p))
        p++;
    if (p == name) {
        snprintf(err, errlen, "expected a keyword, found '%.20s'", p);
        return -1;
    }
    char *name_end = p;
    while (isspace((unsigned char)*p))
        p++;
    opt->value = NULL;
    if (*p == ';' || *p == '\0') {
        if (*p)
            p++;
        *name_end = '\0';
        opt->name = name;
        lx->p = p;
        return 1;
    }
    if (*p != ':') {
        *name_end = '\0';
        snprintf(err, errlen, "expected ':' or ';' after '%.64s'", name);
        return -1;
    }
    *name_end = '\0';
    char *val = ++p;
    bool quoted = false;
    for (;;) {
        if (*p == '\0') {
            if (quoted) {
                snprintf(err, errlen, "unterminated string in '%.64s'", name);
                return -1;
            }
            break;
        }
        if (*p == '\\') {
            if (p[1] == '\0') {
                snprintf(err, errlen, "dangling backslash in '%.64s'", name);
                return -1;
            }
            p += 2;
            continue;
        }
        if (*p == '"')
            quoted = !quoted;
        else if (*p == ';' && !quoted)
            break;
        p++;
    }
    if (*p == ';')
        *p++ = '\0';
    opt->name = name;
    opt->value = trim(val);
    lx->p = p;
    return 1;
}

bool ips_unquote(const char *v, char **out, size_t *outlen, char *err, size_t errlen)
{
    size_t n = strlen(v);
    if (n == 0 || v[0] != '"') {
        snprintf(err, errlen, "expected a quoted string");
        return false;
    }
    char *o = xmalloc(n);
    size_t k = 0;
    const char *p = v + 1;
    for (;;) {
        if (*p == '\0') {
            snprintf(err, errlen, "unterminated string");
            free(o);
            return false;
        }
        if (*p == '\\') {
            char c = p[1];
            if (c != '"' && c != ';' && c != '\\' && c != ':') {
                if (c && isprint((unsigned char)c))
                    snprintf(err, errlen, "invalid escape '\\%c' in string", c);
                else
                    snprintf(err, errlen, "invalid escape in string");
                free(o);
                return false;
            }
            o[k++] = c;
            p += 2;
            continue;
        }
        if (*p == '"') {
            if (p[1] != '\0') {
                snprintf(err, errlen, "unexpected text after the closing quote");
                free(o);
                return false;
            }
            break;
        }
        o[k++] = *p++;
    }
    o[k] = '\0';
    *out = o;
    *outlen = k;
    return true;
}

bool ips_parse_int(const char *s, long long lo, long long hi, long long *out)
{
    while (isspace((unsigned char)*s))
        s++;
    if (!*s || !(isdigit((unsigned char)*s) || (*s == '-' && isdigit((unsigned char)s[1]))))
        return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    while (isspace((unsigned char)*end))
        end++;
    if (errno || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}
