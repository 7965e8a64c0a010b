/* test_lab_gen.c - generated hosts files, nginx.conf and index pages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "common/buf.h"
#include "lab/lab_gen.h"
#include "topo_fixture.h"

static const char *text(struct hs_buf *b) { return (const char *)b->data; }

static void test_hosts_file(void **state)
{
    (void)state;
    struct hs_topology *t = fixture_topology();
    struct hs_buf b = HS_BUF_INIT;
    hs_lab_gen_hosts(t, &b);
    assert_int_equal(strlen(text(&b)), b.len);             /* NUL-terminated, len without it */
    assert_non_null(strstr(text(&b), "\n127.0.0.1\tlocalhost\n"));
    assert_non_null(strstr(text(&b), "\n198.18.0.10\tclient\n"));
    assert_non_null(strstr(text(&b), "\n198.18.0.11\tattacker\n"));
    assert_non_null(strstr(text(&b), "\n198.18.0.80\tweb\n"));
    assert_null(strstr(text(&b), "honeypot"));             /* honeypots are never listed */
    /* web's address appears once: the honeypot twin does not add a second line */
    const char *first = strstr(text(&b), "198.18.0.80");
    assert_null(strstr(first + 1, "198.18.0.80"));
    hs_buf_free(&b);
    fixture_free(t);
}

static void test_nginx_conf(void **state)
{
    (void)state;
    struct hs_topology *t = fixture_topology();
    struct hs_service *s = &t->hosts[2].services[0];
    s->workers = 3;
    s->port = 8080;
    struct hs_buf b = HS_BUF_INIT;
    char err[256];
    assert_int_equal(hs_lab_gen_nginx_conf(s, "/run/hs/hosts/web", &b, err, sizeof err), 0);
    const char *c = text(&b);
    assert_non_null(strstr(c, "\nuser root;\n"));
    assert_non_null(strstr(c, "\nworker_processes 3;\n"));
    assert_non_null(strstr(c, "\ndaemon on;\n"));
    assert_non_null(strstr(c, "\nmaster_process on;\n"));
    assert_non_null(strstr(c, "\npid /run/hs/hosts/web/nginx.pid;\n"));
    assert_non_null(strstr(c, "\nerror_log /run/hs/hosts/web/log/error.log;\n"));
    assert_non_null(strstr(c, "access_log /run/hs/hosts/web/log/access.log;"));
    assert_non_null(strstr(c, "listen 8080 reuseport;"));
    assert_non_null(strstr(c, "root /run/hs/hosts/web/www;"));
    assert_non_null(strstr(c, "events {"));
    /* braces balance */
    int depth = 0;
    for (const char *p = c; *p; p++) {
        depth += *p == '{';
        depth -= *p == '}';
        assert_true(depth >= 0);
    }
    assert_int_equal(depth, 0);
    hs_buf_free(&b);
    fixture_free(t);
}

static void test_nginx_conf_rejects_unsafe_paths(void **state)
{
    (void)state;
    struct hs_topology *t = fixture_topology();
    const struct hs_service *s = &t->hosts[2].services[0];
    static const char *bad[] = {"relative/dir", "/a b", "/a;b", "/a{b", "/a}b", "/a\"b",
                                "/a$b", "/a#b", "/a\nb", ""};
    for (size_t i = 0; i < HS_ARRAY_SIZE(bad); i++) {
        struct hs_buf b = HS_BUF_INIT;
        char err[256] = "";
        assert_int_equal(hs_lab_gen_nginx_conf(s, bad[i], &b, err, sizeof err), -1);
        assert_non_null(strstr(err, "nginx.conf"));
        assert_int_equal(b.len, 0);
        hs_buf_free(&b);
    }
    fixture_free(t);
}

static void test_index_html(void **state)
{
    (void)state;
    struct hs_topology *t = fixture_topology();
    struct hs_service *s = &t->hosts[2].services[0];
    hs_strlcpy(s->content, "Q3 <b>results</b> & \"notes\" 'x'", sizeof s->content);
    struct hs_buf b = HS_BUF_INIT;
    hs_lab_gen_index_html("web", s, &b);
    const char *h = text(&b);
    assert_true(strncmp(h, "<!DOCTYPE html>", 15) == 0);
    assert_non_null(strstr(h, "<title>web - intranet</title>"));
    assert_non_null(strstr(h,
        "Q3 &lt;b&gt;results&lt;/b&gt; &amp; &quot;notes&quot; &#39;x&#39;"));
    assert_null(strstr(h, "<b>"));
    assert_non_null(strstr(h, "</html>\n"));
    hs_buf_free(&b);

    s->content[0] = '\0';                       /* no content: still a page */
    hs_lab_gen_index_html("web", s, &b);
    assert_non_null(strstr(text(&b), "<p>Welcome.</p>"));
    hs_buf_free(&b);
    fixture_free(t);
}

static void test_check_services(void **state)
{
    (void)state;
    struct hs_topology *t = fixture_topology();
    char err[512];
    assert_int_equal(hs_lab_check_services(t, err, sizeof err), 0);
    /* flask and node are valid kinds now */
    fixture_service(&t->hosts[0], "app", HS_SVC_FLASK, 8000, "", 14);
    assert_int_equal(hs_lab_check_services(t, err, sizeof err), 0);
    t->hosts[0].services[0].kind = HS_SVC_NODE;
    assert_int_equal(hs_lab_check_services(t, err, sizeof err), 0);
    /* redis too, also beside a web service (its files are its own) */
    t->hosts[0].services[0].kind = HS_SVC_REDIS;
    assert_int_equal(hs_lab_check_services(t, err, sizeof err), 0);
    fixture_service(&t->hosts[2], "cache", HS_SVC_REDIS, 6379, "", 34);
    assert_int_equal(hs_lab_check_services(t, err, sizeof err), 0);
    t->hosts[2].services[t->hosts[2].n_services - 1].port = 80;
    assert_int_equal(hs_lab_check_services(t, err, sizeof err), -1);
    assert_non_null(strstr(err, "lab.yaml:34:"));
    assert_non_null(strstr(err, "port 80 is taken"));
    t->hosts[2].n_services--;
    t->hosts[0].services[0].kind = HS_SVC_FLASK;
    t->hosts[0].services[0].port = 0;
    assert_int_equal(hs_lab_check_services(t, err, sizeof err), -1);
    assert_non_null(strstr(err, "lab.yaml:14:"));
    assert_non_null(strstr(err, "port 0"));
    t->hosts[0].n_services = 0;
    /* a second web service on a host: they would share www/ and the access log */
    fixture_service(&t->hosts[2], "www2", HS_SVC_NODE, 81, "", 33);
    assert_int_equal(hs_lab_check_services(t, err, sizeof err), -1);
    assert_non_null(strstr(err, "lab.yaml:33:"));
    assert_non_null(strstr(err, "only one web service"));
    /* two services on one port */
    t->hosts[2].services[1].port = t->hosts[2].services[0].port;
    assert_int_equal(hs_lab_check_services(t, err, sizeof err), -1);
    assert_non_null(strstr(err, "lab.yaml:33:"));
    assert_non_null(strstr(err, "is taken by service"));
    fixture_free(t);
}

static void test_flask_and_node_sources(void **state)
{
    (void)state;
    struct hs_topology *t = fixture_topology();
    fixture_service(&t->hosts[0], "app", HS_SVC_FLASK, 8000, "x", 14);
    const struct hs_service *s = &t->hosts[0].services[0];
    struct hs_buf b = HS_BUF_INIT;
    hs_lab_gen_flask_app(s, &b);
    /* the page is read per request from the in-host path (decoy copy after a move) */
    assert_non_null(strstr(text(&b), "PAGE = \"/srv/honeyshift/www/index.html\""));
    assert_non_null(strstr(text(&b), "app = flask.Flask(__name__)"));
    assert_non_null(strstr(text(&b), "with open(PAGE, \"rb\")"));
    hs_buf_free(&b);
    hs_lab_gen_node_server(s, &b);
    assert_non_null(strstr(text(&b), "const ROOT = '/srv/honeyshift';"));
    assert_non_null(strstr(text(&b), "fs.openSync(ROOT + '/log/access.log', 'a')"));
    assert_non_null(strstr(text(&b), "fs.readFileSync(ROOT + '/www/index.html')"));
    assert_non_null(strstr(text(&b), "server.keepAliveTimeout = 65000;"));
    assert_int_equal(strlen(text(&b)), b.len);
    hs_buf_free(&b);
    fixture_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hosts_file),
        cmocka_unit_test(test_nginx_conf),
        cmocka_unit_test(test_nginx_conf_rejects_unsafe_paths),
        cmocka_unit_test(test_index_html),
        cmocka_unit_test(test_check_services),
        cmocka_unit_test(test_flask_and_node_sources),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
