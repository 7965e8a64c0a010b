/* cfg_yaml.h - internal: typed access to a libyaml document with "FILE:LINE:COL:" errors.
 * Only the first error is kept; every function that fails returns -1 (or NULL). */
#ifndef HS_CONFIG_CFG_YAML_H
#define HS_CONFIG_CFG_YAML_H

#include "config/topology.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

struct cfg_ctx {
    const char *file;           /* name used in messages */
    const char *text;           /* the YAML text (for locating syntax errors) */
    size_t len;
    yaml_document_t *doc;       /* loaded document, NULL before loading */
    struct hs_cfg_err *err;     /* never NULL */
    bool failed;
};

/* Record an error at mark m ("FILE:LINE:COL: " + message) unless one is already recorded. -1. */
int cfg_fail(struct cfg_ctx *c, yaml_mark_t m, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Record an error without a position ("FILE: " + message). Returns -1. */
int cfg_fail_nopos(struct cfg_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Printable, length-limited copy of s[len] for messages (escapes, "..." when cut); returns buf. */
const char *cfg_quote(const char *s, size_t len, char *buf, size_t size);

/* Load the single document of c->text into *doc (0), or record a syntax/structure error (-1).
 * On success the root is a mapping; *doc must be released with yaml_document_delete. */
int cfg_load_document(struct cfg_ctx *c, yaml_document_t *doc);

/* Node by index (NULL when out of range). */
yaml_node_t *cfg_node(struct cfg_ctx *c, int index);
/* "a mapping", "a list", "a string", "an empty value" - for "got ..." messages. */
const char *cfg_kind_name(const yaml_node_t *n);
/* True for an empty value: a plain "", "~", "null", "Null" or "NULL". */
bool cfg_is_null(const yaml_node_t *n);

/* Check a mapping's keys: each a non-empty string, not repeated, one of allowed[] (NULL-ended).
 * what names the mapping in messages ("host 'web'", "controller", "top level"). */
int cfg_check_keys(struct cfg_ctx *c, yaml_node_t *map, const char *const *allowed,
                   const char *what);
/* The value of key in a mapping (first occurrence), or NULL. */
yaml_node_t *cfg_lookup(struct cfg_ctx *c, yaml_node_t *map, const char *key);
/* The value of a required key; records "what: missing required key 'key'" at the mapping. */
yaml_node_t *cfg_require(struct cfg_ctx *c, yaml_node_t *map, const char *key, const char *what);

/* Type checks with "what: key must be a X, got Y" errors. */
int cfg_expect_map(struct cfg_ctx *c, yaml_node_t *n, const char *what, const char *key);
int cfg_expect_seq(struct cfg_ctx *c, yaml_node_t *n, const char *what, const char *key);
/* A non-empty string scalar without NUL bytes, at most size-1 bytes, copied to out. */
int cfg_string(struct cfg_ctx *c, yaml_node_t *n, const char *what, const char *key, char *out,
               size_t size);
/* An unquoted integer scalar (see cfg_parse_uint) within [min, max]. */
int cfg_uint(struct cfg_ctx *c, yaml_node_t *n, const char *what, const char *key, uint64_t min,
             uint64_t max, uint64_t *out);

/* Message prefix "what: " (or "" when what is NULL/empty), for messages built by callers. */
#define CFG_PFX(what) ((what) && *(what) ? (what) : ""), ((what) && *(what) ? ": " : "")

#endif
