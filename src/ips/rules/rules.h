/* rules.h - public API of the IPS rule language (a documented subset of Suricata's, see
 * docs/rules.md): loading rule files into a rule set, and matching one transaction (a set of
 * named buffers plus the flow tuple) against it with a Hyperscan multi-pattern prefilter.
 * Pure module: the only I/O is reading rule files. */
#ifndef HS_IPS_RULES_H
#define HS_IPS_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Buffers a rule can inspect. The caller fills those it has; absent buffers never match. */
enum ips_buf_id {
    IPS_BUF_PKT,                  /* packet / reassembled stream payload (default buffer) */
    IPS_BUF_HTTP_URI,             /* normalised request URI */
    IPS_BUF_HTTP_URI_RAW,         /* request URI as sent */
    IPS_BUF_HTTP_METHOD,          /* "GET", "POST", ... */
    IPS_BUF_HTTP_REQUEST_LINE,    /* "GET /x HTTP/1.1" (no CRLF) */
    IPS_BUF_HTTP_HEADER,          /* request headers as "Name: value\r\n" lines */
    IPS_BUF_HTTP_COOKIE,          /* value of the request Cookie header */
    IPS_BUF_HTTP_USER_AGENT,      /* value of the User-Agent header */
    IPS_BUF_HTTP_HOST,            /* normalised (lower-case) host name */
    IPS_BUF_HTTP_CONTENT_TYPE,    /* value of the Content-Type header of the inspected side */
    IPS_BUF_HTTP_REQUEST_BODY,    /* de-chunked request body */
    IPS_BUF_HTTP_STAT_CODE,       /* "200" */
    IPS_BUF_HTTP_STAT_MSG,        /* "OK" */
    IPS_BUF_HTTP_RESPONSE_LINE,   /* "HTTP/1.1 200 OK" (no CRLF) */
    IPS_BUF_HTTP_RESPONSE_HEADER, /* response headers as "Name: value\r\n" lines */
    IPS_BUF_HTTP_RESPONSE_BODY,   /* de-chunked, decompressed response body */
    /* derived by the url_decode transform (transform.c) from the buffer named, per ips_match */
    IPS_BUF_HTTP_URI_RAW_URLDEC,
    IPS_BUF_HTTP_HEADER_URLDEC,
    IPS_BUF_HTTP_COOKIE_URLDEC,
    IPS_BUF_HTTP_USER_AGENT_URLDEC,
    IPS_BUF_HTTP_REQUEST_BODY_URLDEC,
    IPS_BUF_COUNT
};

/* One buffer: data == NULL means absent; data != NULL with len == 0 is present and empty. */
struct ips_bufref {
    const uint8_t *data;
    size_t len;
};

enum ips_dir { IPS_DIR_TO_SERVER, IPS_DIR_TO_CLIENT };

/* The unit of matching. src/dst are the sender/receiver of the inspected data (so for a
 * response, src is the server). Addresses and ports are in host byte order. */
struct ips_txn {
    struct ips_bufref buf[IPS_BUF_COUNT];
    uint32_t src_ip, dst_ip;
    uint16_t src_port, dst_port;
    uint8_t ip_proto;     /* IPPROTO_TCP (6), IPPROTO_UDP (17), ... */
    bool app_http;        /* the flow was recognised as HTTP (needed by 'alert http' rules) */
    enum ips_dir dir;
    bool established;     /* TCP handshake completed (or UDP flow has seen both sides) */
};

/* Reset a transaction: all buffers absent, everything zero. */
void ips_txn_init(struct ips_txn *t);
/* Set buffer id to data[len] (borrowed, must outlive the ips_match call). data == NULL makes
 * the buffer absent; a non-NULL data with len 0 is a present, empty buffer. */
void ips_txn_set(struct ips_txn *t, enum ips_buf_id id, const void *data, size_t len);
/* Set a buffer from a NUL-terminated string. */
void ips_txn_set_str(struct ips_txn *t, enum ips_buf_id id, const char *s);
/* Name of a buffer as used in rules ("pkt_data", "http.uri", ...). */
const char *ips_buf_name(enum ips_buf_id id);

/* ---- variables ($HOME_NET, $HTTP_PORTS, ...) ---- */

struct ips_vars;
/* A table holding the default variables (HOME_NET = RFC 1918 ranges, EXTERNAL_NET = !$HOME_NET,
 * *_SERVERS = $HOME_NET, HTTP_PORTS = 80, ...; see docs/rules.md). */
struct ips_vars *ips_vars_new(void);
/* Define or replace a variable (name without '$'); false when name is not [A-Za-z0-9_]+. */
bool ips_vars_set(struct ips_vars *v, const char *name, const char *value);
/* Value of a variable, NULL when undefined. */
const char *ips_vars_get(const struct ips_vars *v, const char *name);
/* Release the table. */
void ips_vars_free(struct ips_vars *v);

/* ---- rule sets ---- */

enum ips_action { IPS_ACT_PASS, IPS_ACT_DROP, IPS_ACT_REJECT, IPS_ACT_ALERT };

struct ips_rule;
struct ips_ruleset;

/* Load and compile rule files (all or nothing). vars may be NULL (defaults). On error returns
 * NULL and sets *err to a malloc'ed text of one "FILE:LINE: reason" line per error (the caller
 * free()s it). An empty file list or files without rules give an empty, valid set. */
struct ips_ruleset *ips_ruleset_load_files(const char *const *paths, size_t npaths,
                                           const struct ips_vars *vars, char **err);
/* Same for one file. */
struct ips_ruleset *ips_ruleset_load_file(const char *path, const struct ips_vars *vars, char **err);
/* Same from memory; name stands for the file name in messages. text need not be NUL-terminated. */
struct ips_ruleset *ips_ruleset_load_string(const char *text, size_t len, const char *name,
                                            const struct ips_vars *vars, char **err);
/* Reload: returns the new set (the caller frees current when no thread uses it any more), or
 * current itself with *err set when any file has a mistake. */
struct ips_ruleset *ips_ruleset_reload(struct ips_ruleset *current, const char *const *paths,
                                       size_t npaths, const struct ips_vars *vars, char **err);
/* Release a rule set (NULL is fine). */
void ips_ruleset_free(struct ips_ruleset *rs);
/* Number of rules. */
size_t ips_ruleset_count(const struct ips_ruleset *rs);
/* Rule i (0 <= i < count), in evaluation order (pass, drop, reject, alert; then priority, sid). */
const struct ips_rule *ips_ruleset_rule(const struct ips_ruleset *rs, size_t i);
/* Rule with gid 1 and this sid, or NULL. */
const struct ips_rule *ips_ruleset_find_sid(const struct ips_ruleset *rs, uint32_t sid);
/* Number of rules that have no prefilter pattern (evaluated for every transaction). */
size_t ips_ruleset_always_count(const struct ips_ruleset *rs);
/* Rules without a content that are prefiltered by their pcre (Hyperscan prefilter mode). */
size_t ips_ruleset_regex_count(const struct ips_ruleset *rs);

/* ---- rule metadata ---- */

uint32_t ips_rule_sid(const struct ips_rule *r);
uint32_t ips_rule_gid(const struct ips_rule *r);
uint32_t ips_rule_rev(const struct ips_rule *r);
/* msg text ("" when none). */
const char *ips_rule_msg(const struct ips_rule *r);
/* classtype name or NULL. */
const char *ips_rule_classtype(const struct ips_rule *r);
/* Severity = priority: 1 (high) .. 255; from 'priority', else the classtype's, else 3. */
int ips_rule_severity(const struct ips_rule *r);
enum ips_action ips_rule_action(const struct ips_rule *r);
/* "alert", "drop", "reject", "pass". */
const char *ips_action_name(enum ips_action a);
/* File and line the rule came from. */
const char *ips_rule_file(const struct ips_rule *r);
unsigned ips_rule_line(const struct ips_rule *r);
/* 'reference' and 'metadata' values, stored verbatim (trimmed). */
size_t ips_rule_reference_count(const struct ips_rule *r);
const char *ips_rule_reference(const struct ips_rule *r, size_t i);
size_t ips_rule_metadata_count(const struct ips_rule *r);
const char *ips_rule_metadata(const struct ips_rule *r, size_t i);
/* Buffer of the prefilter literal (a content); false when the rule has none (it is then
 * prefiltered by its pcre, or always a candidate: see ips_ruleset_regex_count). */
bool ips_rule_fast_pattern(const struct ips_rule *r, enum ips_buf_id *buf);

/* ---- matching ---- */

/* Per-thread working memory (Hyperscan scratch, PCRE2 match data). Usable with any rule set. */
struct ips_scratch;
struct ips_scratch *ips_scratch_new(void);
void ips_scratch_free(struct ips_scratch *s);

struct ips_match_stats {
    uint32_t candidates;   /* rules selected by the prefilter plus the always-candidates */
    uint32_t evaluated;    /* rules fully evaluated (header, flow and all options) */
    uint32_t matched;      /* rules reported to the callback */
    uint32_t pcre_errors;  /* PCRE2 match errors (e.g. match limit), counted as no match */
    uint32_t inspect_limit; /* rules given up because relative-chain backtracking took too long */
};

/* Called for each matching rule, in evaluation order; return false to stop. */
typedef bool (*ips_match_cb)(const struct ips_rule *rule, void *ud);

/* Match txn against rs. scratch may be NULL (a temporary one is used: slower, still
 * thread-safe). A matching 'pass' rule is reported and ends the evaluation, so no later rule
 * fires. stats may be NULL. Returns the number of matching rules reported, or -1 when
 * Hyperscan fails (no rule reported). */
int ips_match(const struct ips_ruleset *rs, struct ips_scratch *scratch, const struct ips_txn *txn,
              ips_match_cb cb, void *ud, struct ips_match_stats *stats);

#endif
