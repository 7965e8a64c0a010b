/* rdef_harness.h - test harness for the default rule set: parse one raw HTTP message with the
 * IPS HTTP layer (ips/http) and match it against a rule set (ips/rules), the way the engine
 * does for offline --http input. Pure: no I/O. */
#ifndef HS_TESTS_RDEF_HARNESS_H
#define HS_TESTS_RDEF_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include "ips/rules/rules.h"

/* Most alerts one message can report (further matches are counted, not stored). */
#define RDEF_MAX_SIDS 64

struct rdef_result {
    int status;                      /* 0 ok, -1 the HTTP layer rejected the message */
    size_t n;                        /* matching rules (may exceed RDEF_MAX_SIDS) */
    uint32_t sids[RDEF_MAX_SIDS];    /* sids in evaluation order */
};

/* Scan one raw HTTP request, or a response when msg starts with "HTTP/" (a dummy GET request
 * precedes it on the connection), against rs. The transaction is 198.18.255.1:40000 ->
 * 198.18.255.2:80, established, app_http (responses: reversed tuple, to_client). */
void rdef_scan(const struct ips_ruleset *rs, struct ips_scratch *s, const uint8_t *msg,
               size_t len, struct rdef_result *out);
/* True when sid is among out's stored sids. */
int rdef_has(const struct rdef_result *out, uint32_t sid);

/* A loaded rule set and its scratch, shared by the tests of one group. */
struct rdef_fixture {
    struct ips_ruleset *rs;
    struct ips_scratch *s;
};

/* Load rules_path with HOME_NET 198.18.0.0/15 (the harness's server is inside). NULL, with the
 * loader's reason on stderr, when the file does not load. */
struct rdef_fixture *rdef_fixture_new(const char *rules_path);
/* Free a fixture (NULL is fine). */
void rdef_fixture_free(struct rdef_fixture *f);

#endif
