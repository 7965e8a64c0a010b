/* rules_test.h - helpers shared by the ips/rules unit tests (header-only, static). */
#ifndef HS_TEST_RULES_TEST_H
#define HS_TEST_RULES_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/util.h"
#include "ips/rules/rules.h"

/* Load rules text, failing the test (with the error text) when it does not load. */
static inline struct ips_ruleset *load_ok(const char *text)
{
    char *err = NULL;
    struct ips_ruleset *rs = ips_ruleset_load_string(text, strlen(text), "test.rules", NULL, &err);
    if (!rs) {
        print_error("unexpected load error: %s\n", err ? err : "(none)");
        free(err);
        fail();
    }
    assert_null(err);
    return rs;
}

/* Load rules text that must fail; returns the error text (caller frees). */
static inline char *load_err(const char *text)
{
    char *err = NULL;
    struct ips_ruleset *rs = ips_ruleset_load_string(text, strlen(text), "test.rules", NULL, &err);
    if (rs) {
        print_error("rules loaded but should not have: %s\n", text);
        ips_ruleset_free(rs);
        fail();
    }
    assert_non_null(err);
    return err;
}

/* Assert that loading text fails with an error containing want. */
#define assert_load_error(text, want) do { \
        char *e_ = load_err(text); \
        if (!strstr(e_, want)) { \
            print_error("error '%s' does not contain '%s'\n", e_, want); \
            free(e_); \
            fail(); \
        } \
        free(e_); \
    } while (0)

/* A to_server HTTP transaction 203.0.113.5:40000 -> 192.168.1.10:80 over TCP, established. */
static inline void txn_http(struct ips_txn *t)
{
    ips_txn_init(t);
    t->ip_proto = 6;
    t->app_http = true;
    t->dir = IPS_DIR_TO_SERVER;
    t->established = true;
    hs_parse_ipv4("203.0.113.5", &t->src_ip);
    hs_parse_ipv4("192.168.1.10", &t->dst_ip);
    t->src_port = 40000;
    t->dst_port = 80;
}

/* Same, with only a packet payload. */
static inline void txn_pkt(struct ips_txn *t, const char *payload)
{
    txn_http(t);
    t->app_http = false;
    ips_txn_set_str(t, IPS_BUF_PKT, payload);
}

struct hits {
    uint32_t sid[64];
    size_t n;
};

static inline bool collect(const struct ips_rule *r, void *ud)
{
    struct hits *h = ud;
    if (h->n < 64)
        h->sid[h->n++] = ips_rule_sid(r);
    return true;
}

/* Run txn through rs; returns the number of matches and fills h (may be NULL). */
static inline int run(const struct ips_ruleset *rs, const struct ips_txn *t, struct hits *h)
{
    struct hits local = {{0}, 0};
    struct ips_scratch *s = ips_scratch_new();
    int n = ips_match(rs, s, t, collect, h ? h : &local, NULL);
    ips_scratch_free(s);
    assert_true(n >= 0);
    return n;
}

/* Does a single rule (text, sid anything) match txn? */
static inline bool fires(const char *rule, const struct ips_txn *t)
{
    struct ips_ruleset *rs = load_ok(rule);
    int n = run(rs, t, NULL);
    ips_ruleset_free(rs);
    return n > 0;
}

/* Does the rule "alert tcp any any -> any any (OPTS sid:1;)" match payload? */
static inline bool pkt_fires(const char *opts, const char *payload)
{
    char rule[4096];
    snprintf(rule, sizeof rule, "alert tcp any any -> any any (%s sid:1;)", opts);
    struct ips_txn t;
    txn_pkt(&t, payload);
    return fires(rule, &t);
}

#endif
