/* test_rules_default_egress.c - egress (information disclosure) rules of rules/default.rules:
 * responses leaking secrets raise the exact sid; ordinary pages that talk about passwords, root
 * or SQL raise nothing; requests never trigger egress rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/util.h"
#include "rdef_harness.h"

static int setup(void **state)
{
    *state = rdef_fixture_new(RDEF_RULES);
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    rdef_fixture_free(*state);
    return 0;
}

static void respond(struct rdef_fixture *f, const char *ctype, const char *body, struct rdef_result *r)
{
    char msg[8192];
    assert_true(hs_snprintf(msg, sizeof(msg), "HTTP/1.1 200 OK\r\nContent-Type: %s\r\n"
                            "Content-Length: %zu\r\n\r\n%s", ctype, strlen(body), body));
    rdef_scan(f->rs, f->s, (const uint8_t *)msg, strlen(msg), r);
    assert_int_equal(r->status, 0);
}

struct leak {
    const char *body;
    uint32_t sid;
};

static void test_leaks(void **state)
{
    struct rdef_fixture *f = *state;
    static const struct leak c[] = {
        {"root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n", 2100800},
        {"<pre>www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin</pre>", 2100800},
        {"root:$6$Ab3dEfGh$abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ:19500:0:99999:7:::\n", 2100801},
        {"bin:*:19000:0:99999:7:::\n", 2100801},
        {"-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n", 2100802},
        {"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n", 2100802},
        {"{\"hash\": \"$2y$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234\"}", 2100803},
        {"{\"h\": \"$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g\"}", 2100803},
        {"{\"h\": \"$1$saltsalt$abcdefghijklmnopqrstuv\"}", 2100803},
        {"key=AKIAIOSFODNN7EXAMPLE", 2100804},
        {"aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", 2100804},
        {"{\"type\": \"service_account\", \"project_id\": \"p\"}", 2100804},
        {"Traceback (most recent call last):\n  File \"/app/x.py\", line 3, in f\nKeyError: 'a'", 2100805},
        {"java.lang.NullPointerException\n\tat com.example.A.b(A.java:57)\n", 2100805},
        {"<b>Fatal error</b>:  Uncaught Error in /var/www/html/a.php:3 on line <b>3</b>", 2100805},
        {"You have an error in your SQL syntax; check the manual", 2100806},
        {"ERROR:  syntax error at or near \"'\"", 2100806},
        {"sqlite3.OperationalError: unrecognized token", 2100806},
        {"Unclosed quotation mark after the character string ''.", 2100806},
        {"ORA-01756: quoted string not properly terminated", 2100806},
    };
    for (size_t i = 0; i < HS_ARRAY_SIZE(c); i++) {
        struct rdef_result r;
        respond(f, "text/html", c[i].body, &r);
        /* Each leak category is split into anchored variants: the category's first sid
         * 21008K or its block 21008(K+1)0..21008(K+1)9 (cloudkey and sqlerror: two blocks). */
        static const uint32_t block[7][2] = {{2100810, 2100819}, {2100820, 2100829},
            {2100830, 2100839}, {2100840, 2100849}, {2100850, 2100869}, {2100870, 2100879},
            {2100880, 2100899}};
        uint32_t k = c[i].sid - 2100800;
        assert_true(k < 7);
        uint32_t lo = block[k][0], hi = block[k][1];
        bool hit = rdef_has(&r, c[i].sid);
        for (uint32_t sid = lo; sid <= hi && !hit; sid++)
            hit = rdef_has(&r, sid);
        if (!hit)
            fail_msg("leak case %zu: sid %u not raised (%zu alerts)", i, c[i].sid, r.n);
    }
}

static void test_benign_pages(void **state)
{
    struct rdef_fixture *f = *state;
    static const char *c[] = {
        "<h1>Reset your password</h1><p>We will send a password reset link.</p>",
        "<p>The root user has uid 0. Never log in as root: use sudo.</p>",
        "<p>Edit /etc/passwd with vipw. Fields: name:password:UID:GID:GECOS:home:shell.</p>",
        "<p>Keep your private key secret; the public key starts with ssh-ed25519.</p>",
        "<p>Our SQL tutorial: SELECT name FROM users WHERE id = 1;</p>",
        "<p>Deal: $1$ off, $5 coupons and $6 shipping.</p>",
        "{\"id\": 5, \"sha256\": \"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"}",
        "<p>Time: 10:30:00, ratio 1:2:3, IPv6 fe80::1</p>",
    };
    for (size_t i = 0; i < HS_ARRAY_SIZE(c); i++) {
        struct rdef_result r;
        respond(f, "text/html", c[i], &r);
        if (r.n != 0)
            fail_msg("benign page %zu raised sid %u", i, r.sids[0]);
    }
}

/* Egress rules are to_client: the same text in a request body must not raise them. */
static void test_direction(void **state)
{
    struct rdef_fixture *f = *state;
    static const char req[] = "POST /paste HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\n"
                              "Content-Length: 31\r\n\r\n-----BEGIN PRIVATE KEY-----\nMII";
    struct rdef_result r;
    rdef_scan(f->rs, f->s, (const uint8_t *)req, sizeof(req) - 1, &r);
    assert_int_equal(r.status, 0);
    assert_false(rdef_has(&r, 2100802));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_leaks),
        cmocka_unit_test(test_benign_pages),
        cmocka_unit_test(test_direction),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
