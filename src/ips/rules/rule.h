/* rule.h - internal representation of a parsed rule, shared by the keyword files, the parser,
 * the prefilter and the engine. Not part of the public API (see rules.h). */
#ifndef HS_IPS_RULE_H
#define HS_IPS_RULE_H

#include "ips/rules/rules.h"
#include "ips/rules/rule_addr.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IPS_ERRLEN 256

struct ips_sm;
struct ips_scratch;

/* Iteration state of one matcher over a buffer (for relative-chain backtracking). */
struct ips_sm_iter {
    size_t pos;   /* next start position to try */
    bool done;    /* non-consuming matchers: already answered */
};

/* What the engine hands to a matcher. */
struct ips_sm_ctx {
    const uint8_t *buf;
    size_t len;
    size_t prev_end;              /* end of the previous match in this buffer (0 at start) */
    struct ips_scratch *scratch;
};

/* Behaviour of one kind of buffer matcher ("sm" = signature match, one per keyword use). */
struct ips_sm_ops {
    const char *name;
    /* Find the next match allowed by the iteration state; true with *end = match end (for
     * non-consuming matchers *end = ctx->prev_end). */
    bool (*next)(const struct ips_sm *sm, const struct ips_sm_ctx *ctx, struct ips_sm_iter *it,
                 size_t *end);
    /* Release sm->data. */
    void (*free)(void *data);
    /* true when a match moves the "previous match" position (content, pcre). */
    bool consuming;
};

struct ips_sm {
    const struct ips_sm_ops *ops;
    void *data;
    bool relative;          /* depends on the previous match end in the same buffer */
    const char *rel_kw;     /* keyword that made it relative (for messages) */
    bool backtrack;         /* a later matcher in the list is relative: retry other matches */
};

struct ips_smlist {
    struct ips_sm *v;
    size_t n, cap;
};

/* A content option (kw_content.c); modifiers in kw_content_mod.c. */
struct ips_content {
    uint8_t *pat;
    size_t len;
    bool negated, nocase, fast_pattern, startswith, endswith;
    bool has_offset, has_depth, has_distance, has_within;
    uint32_t offset, depth, within;
    int32_t distance;
    bool fp_chop;             /* fast_pattern:off,len */
    size_t fp_off, fp_len;
    enum ips_buf_id buf;      /* list holding it */
    size_t sm_index;          /* position in that list */
};

#define IPS_FLOW_TO_SERVER      0x01u
#define IPS_FLOW_TO_CLIENT      0x02u
#define IPS_FLOW_ESTABLISHED    0x04u
#define IPS_FLOW_NOT_ESTABLISHED 0x08u
#define IPS_FLOW_STATELESS      0x10u

enum ips_rule_proto { IPS_PROTO_IP, IPS_PROTO_TCP, IPS_PROTO_UDP, IPS_PROTO_HTTP };

struct ips_classtype {
    const char *name;
    const char *desc;
    int priority;
};

struct ips_rule {
    enum ips_action action;
    enum ips_rule_proto proto;
    struct ips_set *src, *dst, *sport, *dport;
    bool bidir;
    unsigned flow;
    uint32_t gid, sid, rev;
    int priority;                       /* 0 = not set by 'priority' */
    char *msg;
    const struct ips_classtype *ct;
    char **refs;
    size_t nrefs;
    char **meta;
    size_t nmeta;
    struct ips_smlist lists[IPS_BUF_COUNT];
    bool uses_http;                     /* inspects an http buffer */
    /* prefilter pattern (NULL: always a candidate) */
    const uint8_t *fp_pat;
    size_t fp_len;
    bool fp_nocase;
    enum ips_buf_id fp_buf;
    /* without a content: a positive, non-relative pcre that must match in fp_buf; the
     * prefilter compiles it in Hyperscan's prefilter mode (NULL: none) */
    const char *fp_re;
    uint32_t fp_re_opts;                /* its PCRE2 compile options */
    char *file;
    unsigned line;
};

/* Parse-time state handed to the keyword setup functions. */
struct ips_rule_build {
    struct ips_rule *rule;
    enum ips_buf_id cur_buf;            /* current sticky buffer */
    size_t sticky_mark;                 /* its list's length when it was named (transforms) */
    struct ips_content *last_content;   /* target of content modifiers */
    bool seen_sid, seen_rev, seen_msg, seen_classtype, seen_priority, seen_flow, seen_gid;
};

/* A keyword of the rule language (one file per keyword or keyword family). */
enum ips_kw_arg { IPS_KW_NOVAL, IPS_KW_VAL, IPS_KW_OPTVAL };
struct ips_kw {
    const char *name;
    enum ips_kw_arg arg;
    /* Apply the keyword to the rule being built; false with a reason in err. */
    bool (*setup)(struct ips_rule_build *b, const char *value, char *err, size_t errlen);
    const struct ips_sm_ops *ops;       /* matcher it adds (NULL: none) */
};

/* The content matcher (kw_content.c), used to find prefilter patterns. */
extern const struct ips_sm_ops ips_content_ops;

/* A positive, non-relative pcre matcher: its regex source and PCRE2 options; false for any
 * other matcher. */
bool ips_pcre_prefilter_info(const struct ips_sm *sm, const char **re, uint32_t *opts);

/* Keyword tables, one per file (terminated by a NULL name). */
extern const struct ips_kw ips_kw_meta[];
extern const struct ips_kw ips_kw_content[];
extern const struct ips_kw ips_kw_content_mod[];
extern const struct ips_kw ips_kw_pcre[];
extern const struct ips_kw ips_kw_flow[];
extern const struct ips_kw ips_kw_urilen[];
extern const struct ips_kw ips_kw_isdataat[];
extern const struct ips_kw ips_kw_sticky[];
extern const struct ips_kw ips_kw_transform[];

/* Derived buffers (transform.c): the base buffer a derived id decodes, or IPS_BUF_COUNT when id
 * is not derived. */
enum ips_buf_id ips_buf_base(enum ips_buf_id id);
/* Bit (1 << (id - first derived id)) per derived buffer some list of r inspects. */
uint32_t ips_rule_derived_mask(const struct ips_rule *r);
/* Fill the derived buffers named in mask into t (decoded into the scratch's buffers, valid until
 * the next call with the same scratch). */
void ips_transform_fill(struct ips_txn *t, struct ips_scratch *s, uint32_t mask);

/* Find a keyword by name (kw_table.c); NULL when unknown. */
const struct ips_kw *ips_kw_find(const char *name);
/* Number of keywords and keyword i (for listing and the table self-test). */
size_t ips_kw_count(void);
const struct ips_kw *ips_kw_at(size_t i);

/* Append a matcher to a buffer list of the rule being built; returns it. */
struct ips_sm *ips_rule_add_sm(struct ips_rule_build *b, enum ips_buf_id buf,
                               const struct ips_sm_ops *ops, void *data);
/* Number of matchers already in the current buffer list that move the match position. */
size_t ips_rule_consuming_count(const struct ips_rule_build *b, enum ips_buf_id buf);

/* Parse one rule (header and options; no trailing newline). vars may not be NULL. Returns NULL
 * with a reason in err. file/line are stored in the rule. */
struct ips_rule *ips_rule_parse(const char *text, const struct ips_vars *vars, const char *file,
                                unsigned line, char *err, size_t errlen);
/* Release a rule. */
void ips_rule_free(struct ips_rule *r);
/* Does the header (protocol, addresses, ports, direction) and flow accept txn? */
bool ips_rule_header_match(const struct ips_rule *r, const struct ips_txn *txn);
/* Resolve the buffer a list inspects for this transaction (http.header -> response headers
 * when the transaction goes to the client). */
const struct ips_bufref *ips_txn_buf(const struct ips_txn *t, enum ips_buf_id id);

/* Unquote a "..." option value processing \" \; \\ escapes; false with a reason. out gets
 * a NUL-terminated string (*outlen excludes the NUL). */
bool ips_unquote(const char *v, char **out, size_t *outlen, char *err, size_t errlen);
/* Parse a decimal integer in [lo, hi]; false when not a number or out of range. */
bool ips_parse_int(const char *s, long long lo, long long hi, long long *out);

#endif
