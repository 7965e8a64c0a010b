/* cfg_yaml.c - typed access to a libyaml document with "FILE:LINE:COL:" errors. */
#include "config/cfg_yaml.h"

#include "common/util.h"
#include "config/cfg_values.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Write "head" + formatted message into err->msg; a message that does not fit ends in "...". */
__attribute__((format(printf, 3, 0)))
static void set_msg(struct hs_cfg_err *err, const char *head, const char *fmt, va_list ap)
{
    char body[512];
    int n = vsnprintf(body, sizeof body, fmt, ap);
    bool cut = n < 0 || (size_t)n >= sizeof body;
    if (n < 0)
        body[0] = '\0';
    if (!hs_snprintf(err->msg, sizeof err->msg, "%s%s", head, body) || cut)
        memcpy(err->msg + sizeof err->msg - 4, "...", 4);
}

int cfg_fail(struct cfg_ctx *c, yaml_mark_t m, const char *fmt, ...)
{
    if (c->failed)
        return -1;
    c->failed = true;
    c->err->line = (int)m.line + 1;
    c->err->col = (int)m.column + 1;
    char head[320];
    if (!hs_snprintf(head, sizeof head, "%s:%d:%d: ", c->file, c->err->line, c->err->col))
        hs_snprintf(head, sizeof head, "...:%d:%d: ", c->err->line, c->err->col);
    va_list ap;
    va_start(ap, fmt);
    set_msg(c->err, head, fmt, ap);
    va_end(ap);
    return -1;
}

int cfg_fail_nopos(struct cfg_ctx *c, const char *fmt, ...)
{
    if (c->failed)
        return -1;
    c->failed = true;
    c->err->line = 0;
    c->err->col = 0;
    char head[320];
    if (!hs_snprintf(head, sizeof head, "%s: ", c->file))
        hs_snprintf(head, sizeof head, "...: ");
    va_list ap;
    va_start(ap, fmt);
    set_msg(c->err, head, fmt, ap);
    va_end(ap);
    return -1;
}

const char *cfg_quote(const char *s, size_t len, char *buf, size_t size)
{
    static const size_t max_shown = 48;
    size_t o = 0;
    if (size < 8) {
        if (size)
            buf[0] = '\0';
        return buf;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        char tmp[5];
        size_t n;
        if (ch == '\\' || ch == '\'') {
            tmp[0] = '\\';
            tmp[1] = (char)ch;
            n = 2;
        } else if (ch < 0x20 || ch == 0x7f) {
            snprintf(tmp, sizeof tmp, "\\x%02x", ch);
            n = 4;
        } else {
            tmp[0] = (char)ch; /* printable ASCII or a UTF-8 byte */
            n = 1;
        }
        if (i >= max_shown || o + n + 4 > size) {
            while (o > 0 && ((unsigned char)buf[o - 1] & 0xc0) == 0x80)
                o--; /* do not cut a UTF-8 sequence in the middle */
            if (o > 0 && (unsigned char)buf[o - 1] >= 0xc0)
                o--;
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        memcpy(buf + o, tmp, n);
        o += n;
    }
    buf[o] = '\0';
    return buf;
}

/* Line/column (0-based) of byte offset off in the text, counting '\n' as the line break. */
static yaml_mark_t mark_at_offset(const struct cfg_ctx *c, size_t off)
{
    yaml_mark_t m = {0, 0, 0};
    if (off > c->len)
        off = c->len;
    for (size_t i = 0; i < off; i++) {
        if (c->text[i] == '\n') {
            m.line++;
            m.column = 0;
        } else if (((unsigned char)c->text[i] & 0xc0) != 0x80) {
            m.column++;
        }
    }
    m.index = off;
    return m;
}

/* True when the given (0-based) line starts with whitespace containing a tab. */
static bool line_indented_with_tab(const struct cfg_ctx *c, size_t line)
{
    size_t i = 0;
    for (size_t l = 0; l < line && i < c->len; i++)
        if (c->text[i] == '\n')
            l++;
    for (; i < c->len && (c->text[i] == ' ' || c->text[i] == '\t'); i++)
        if (c->text[i] == '\t')
            return true;
    return false;
}

static int syntax_error(struct cfg_ctx *c, const yaml_parser_t *p)
{
    const char *problem = p->problem ? p->problem : "unknown error";
    switch (p->error) {
    case YAML_MEMORY_ERROR:
        return cfg_fail_nopos(c, "out of memory while parsing YAML");
    case YAML_READER_ERROR:
        if (p->problem_value >= 0)
            return cfg_fail(c, mark_at_offset(c, p->problem_offset),
                            "invalid input: %s (byte or code point 0x%x)", problem,
                            (unsigned)p->problem_value);
        return cfg_fail(c, mark_at_offset(c, p->problem_offset), "invalid input: %s", problem);
    default:
        break;
    }
    yaml_mark_t m = p->problem_mark;
    const char *hint = line_indented_with_tab(c, m.line)
                           ? "tab character in indentation (YAML allows only spaces): " : "";
    if (p->context)
        return cfg_fail(c, m, "YAML syntax error: %s%s (%s at line %zu, column %zu)", hint,
                        problem, p->context, p->context_mark.line + 1,
                        p->context_mark.column + 1);
    return cfg_fail(c, m, "YAML syntax error: %s%s", hint, problem);
}

/* libyaml marks an empty value ("key:" then newline) at the token after it, often on a later
 * line; move such marks to the end of their key so that messages point at the right line. */
static void fix_empty_value_marks(yaml_document_t *doc)
{
    for (yaml_node_t *n = doc->nodes.start; n < doc->nodes.top; n++) {
        if (n->type != YAML_MAPPING_NODE)
            continue;
        for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top;
             pr++) {
            yaml_node_t *k = yaml_document_get_node(doc, pr->key);
            yaml_node_t *v = yaml_document_get_node(doc, pr->value);
            if (k && v && v->type == YAML_SCALAR_NODE && v->data.scalar.length == 0 &&
                v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
                v->start_mark.index > k->end_mark.index)
                v->start_mark = v->end_mark = k->end_mark;
        }
    }
}

int cfg_load_document(struct cfg_ctx *c, yaml_document_t *doc)
{
    yaml_parser_t p;
    int rc = -1;
    if (c->len > HS_TOPOLOGY_MAX_FILE)
        return cfg_fail_nopos(c, "file is %zu bytes; at most %d (1 MiB) allowed", c->len,
                              HS_TOPOLOGY_MAX_FILE);
    if (!yaml_parser_initialize(&p))
        return cfg_fail_nopos(c, "out of memory while parsing YAML");
    yaml_parser_set_input_string(&p, (const unsigned char *)c->text, c->len);
    if (!yaml_parser_load(&p, doc)) {
        syntax_error(c, &p);
        goto out;
    }
    yaml_node_t *root = yaml_document_get_root_node(doc);
    if (!root) {
        yaml_document_delete(doc);
        cfg_fail(c, mark_at_offset(c, 0),
                 "the file is empty (expected a mapping with 'switches' and 'hosts')");
        goto out;
    }
    if (root->type != YAML_MAPPING_NODE) {
        cfg_fail(c, root->start_mark, "the top level must be a mapping, got %s",
                 cfg_kind_name(root));
        yaml_document_delete(doc);
        goto out;
    }
    yaml_document_t next;
    if (!yaml_parser_load(&p, &next)) {
        syntax_error(c, &p);
        yaml_document_delete(doc);
        goto out;
    }
    bool more = yaml_document_get_root_node(&next) != NULL;
    yaml_mark_t next_mark = next.start_mark;
    yaml_document_delete(&next);
    if (more) {
        cfg_fail(c, next_mark, "a second YAML document starts here; only one is allowed");
        yaml_document_delete(doc);
        goto out;
    }
    fix_empty_value_marks(doc);
    c->doc = doc;
    rc = 0;
out:
    yaml_parser_delete(&p);
    return rc;
}

yaml_node_t *cfg_node(struct cfg_ctx *c, int index) { return yaml_document_get_node(c->doc, index); }

bool cfg_is_null(const yaml_node_t *n)
{
    if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    const char *s = (const char *)n->data.scalar.value;
    size_t len = n->data.scalar.length;
    return len == 0 || (len == 1 && s[0] == '~') ||
           (len == 4 && (!memcmp(s, "null", 4) || !memcmp(s, "Null", 4) || !memcmp(s, "NULL", 4)));
}

const char *cfg_kind_name(const yaml_node_t *n)
{
    switch (n->type) {
    case YAML_MAPPING_NODE:
        return "a mapping";
    case YAML_SEQUENCE_NODE:
        return "a list";
    case YAML_SCALAR_NODE:
        if (cfg_is_null(n))
            return "an empty value";
        return n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE ? "a string" : "a quoted string";
    default:
        return "nothing";
    }
}

int cfg_check_keys(struct cfg_ctx *c, yaml_node_t *map, const char *const *allowed,
                   const char *what)
{
    for (yaml_node_pair_t *pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top;
         pr++) {
        yaml_node_t *k = cfg_node(c, pr->key);
        char q[200];
        if (!k)
            return cfg_fail(c, map->start_mark, "%s%sbroken mapping", CFG_PFX(what));
        if (k->type != YAML_SCALAR_NODE || cfg_is_null(k))
            return cfg_fail(c, k->start_mark, "%s%skeys must be strings, got %s", CFG_PFX(what),
                            cfg_kind_name(k));
        const char *ks = (const char *)k->data.scalar.value;
        size_t klen = k->data.scalar.length;
        bool known = false;
        for (size_t i = 0; allowed[i]; i++)
            if (strlen(allowed[i]) == klen && !memcmp(allowed[i], ks, klen))
                known = true;
        if (!known) {
            char list[256] = "";
            size_t o = 0;
            for (size_t i = 0; allowed[i]; i++) {
                int n = snprintf(list + o, sizeof list - o, "%s%s", i ? ", " : "", allowed[i]);
                if (n < 0 || (size_t)n >= sizeof list - o)
                    break;
                o += (size_t)n;
            }
            return cfg_fail(c, k->start_mark, "%s%sunknown key '%s' (allowed: %s)", CFG_PFX(what),
                            cfg_quote(ks, klen, q, sizeof q), list);
        }
        for (yaml_node_pair_t *prev = map->data.mapping.pairs.start; prev < pr; prev++) {
            yaml_node_t *pk = cfg_node(c, prev->key);
            if (pk && pk->type == YAML_SCALAR_NODE && pk->data.scalar.length == klen &&
                !memcmp(pk->data.scalar.value, ks, klen))
                return cfg_fail(c, k->start_mark, "%s%sduplicate key '%s' (first at line %zu)",
                                CFG_PFX(what), cfg_quote(ks, klen, q, sizeof q),
                                pk->start_mark.line + 1);
        }
    }
    return 0;
}

yaml_node_t *cfg_lookup(struct cfg_ctx *c, yaml_node_t *map, const char *key)
{
    size_t klen = strlen(key);
    for (yaml_node_pair_t *pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top;
         pr++) {
        yaml_node_t *k = cfg_node(c, pr->key);
        if (k && k->type == YAML_SCALAR_NODE && k->data.scalar.length == klen &&
            !memcmp(k->data.scalar.value, key, klen))
            return cfg_node(c, pr->value);
    }
    return NULL;
}

yaml_node_t *cfg_require(struct cfg_ctx *c, yaml_node_t *map, const char *key, const char *what)
{
    yaml_node_t *v = cfg_lookup(c, map, key);
    if (!v)
        cfg_fail(c, map->start_mark, "%s%smissing required key '%s'", CFG_PFX(what), key);
    return v;
}

int cfg_expect_map(struct cfg_ctx *c, yaml_node_t *n, const char *what, const char *key)
{
    if (n->type == YAML_MAPPING_NODE)
        return 0;
    return cfg_fail(c, n->start_mark, "%s%s%s must be a mapping, got %s", CFG_PFX(what), key,
                    cfg_kind_name(n));
}

int cfg_expect_seq(struct cfg_ctx *c, yaml_node_t *n, const char *what, const char *key)
{
    if (n->type == YAML_SEQUENCE_NODE)
        return 0;
    return cfg_fail(c, n->start_mark, "%s%s%s must be a list, got %s", CFG_PFX(what), key,
                    cfg_kind_name(n));
}

int cfg_string(struct cfg_ctx *c, yaml_node_t *n, const char *what, const char *key, char *out,
               size_t size)
{
    if (n->type != YAML_SCALAR_NODE)
        return cfg_fail(c, n->start_mark, "%s%s%s must be a string, got %s", CFG_PFX(what), key,
                        cfg_kind_name(n));
    if (cfg_is_null(n))
        return cfg_fail(c, n->start_mark, "%s%s%s has no value", CFG_PFX(what), key);
    const char *s = (const char *)n->data.scalar.value;
    size_t len = n->data.scalar.length;
    if (len == 0)
        return cfg_fail(c, n->start_mark, "%s%s%s is empty", CFG_PFX(what), key);
    if (memchr(s, '\0', len))
        return cfg_fail(c, n->start_mark, "%s%s%s contains a NUL character", CFG_PFX(what), key);
    if (len >= size) {
        char q[200];
        return cfg_fail(c, n->start_mark, "%s%s%s '%s' is too long (%zu bytes; at most %zu)",
                        CFG_PFX(what), key, cfg_quote(s, len, q, sizeof q), len, size - 1);
    }
    memcpy(out, s, len + 1);
    return 0;
}

int cfg_uint(struct cfg_ctx *c, yaml_node_t *n, const char *what, const char *key, uint64_t min,
             uint64_t max, uint64_t *out)
{
    char q[200];
    if (n->type != YAML_SCALAR_NODE)
        return cfg_fail(c, n->start_mark, "%s%s%s must be an integer, got %s", CFG_PFX(what), key,
                        cfg_kind_name(n));
    if (cfg_is_null(n))
        return cfg_fail(c, n->start_mark, "%s%s%s has no value", CFG_PFX(what), key);
    const char *s = (const char *)n->data.scalar.value;
    size_t len = n->data.scalar.length;
    cfg_quote(s, len, q, sizeof q);
    if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return cfg_fail(c, n->start_mark,
                        "%s%s%s must be an integer, got a quoted string '%s' (remove the quotes)",
                        CFG_PFX(what), key, q);
    uint64_t v;
    if (memchr(s, '\0', len) || !cfg_parse_uint(s, &v))
        return cfg_fail(c, n->start_mark,
                        "%s%s%s '%s' is not an integer (decimal without leading zeros, or 0x hex, "
                        "at most 64 bits)", CFG_PFX(what), key, q);
    if (v < min || v > max)
        return cfg_fail(c, n->start_mark, "%s%s%s %s is out of range %llu..%llu", CFG_PFX(what),
                        key, q, (unsigned long long)min, (unsigned long long)max);
    *out = v;
    return 0;
}
