/* test_topology.c - accepted topologies: the built-in default, defaults, derived paths,
 * look-ups, aliases, file loading and the JSON description. */
#include "config/topology.h"

#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#ifndef HS_SOURCE_DIR
#error "HS_SOURCE_DIR must be defined by the build"
#endif

static struct hs_topology *parse_ok(const char *text)
{
    struct hs_topology *t = NULL;
    struct hs_cfg_err err;
    if (hs_topology_parse(text, strlen(text), "ok.yaml", &t, &err) != 0)
        fail_msg("rejected: %s", err.msg);
    assert_non_null(t);
    return t;
}

static void check_default(const struct hs_topology *t)
{
    assert_string_equal(t->lab, "hs");
    assert_string_equal(t->state_dir, "/run/honeyshift/hs");
    assert_string_equal(t->controller.listen_addr, "127.0.0.1");
    assert_int_equal(t->controller.listen_port, 6653);
    assert_string_equal(t->controller.control_socket, "/run/honeyshift/hs/ctl.sock");
    assert_string_equal(t->controller.eve_log, "/run/honeyshift/hs/eve.json");
    assert_int_equal(t->controller.echo_interval_s, 5);

    assert_true(t->ips.present);
    assert_true(t->ips.enabled);
    assert_int_equal(t->ips.port, 10);
    assert_string_equal(t->ips.switch_name, "hs-br0");
    assert_int_equal(t->ips.switch_index, 0);
    assert_int_equal(t->ips.n_rule_files, 0);
    assert_int_equal(t->ips.block_idle_timeout, 0);
    assert_int_equal(t->ips.block_hard_timeout, 0);
    assert_int_equal(t->ips.hold_limit, 32);
    assert_int_equal(t->ips.on_attack, HS_ON_ATTACK_RELOCATE);
    assert_int_equal(t->relocation.deadline_ms, 2000);
    assert_int_equal(t->relocation.max_concurrent, 8);
    assert_int_equal(t->relocation.gc_grace_ms, 10000);
    assert_true(hs_topology_ips_on(t, 0));
    assert_false(hs_topology_ips_on(t, 1));

    assert_int_equal(t->n_switches, 1);
    assert_string_equal(t->switches[0].name, "hs-br0");
    assert_true(t->switches[0].dpid == 1);

    assert_int_equal(t->n_hosts, 4);
    static const char *const names[] = {"client", "attacker", "web", "honeypot"};
    static const enum hs_role roles[] = {HS_ROLE_CLIENT, HS_ROLE_CLIENT, HS_ROLE_PRODUCTION,
                                         HS_ROLE_HONEYPOT};
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(t->hosts[i].name, names[i]);
        assert_int_equal(t->hosts[i].role, roles[i]);
        assert_int_equal(t->hosts[i].port, i + 1);
        assert_int_equal(t->hosts[i].switch_index, 0);
        assert_string_equal(t->hosts[i].switch_name, "hs-br0");
        assert_int_equal(t->hosts[i].prefix_len, 24);
    }
    const struct hs_host *web = hs_topology_host(t, "web");
    assert_ptr_equal(web, &t->hosts[2]);
    static const uint8_t web_mac[6] = {0x02, 0x00, 0xc6, 0x12, 0x00, 0x50};
    assert_memory_equal(web->mac, web_mac, 6);
    assert_int_equal(web->ip, 0xc6120050u); /* 198.18.0.80 */
    assert_string_equal(web->twin, "");
    assert_true(web->twin_index == SIZE_MAX);
    assert_int_equal(web->n_services, 1);
    assert_string_equal(web->services[0].name, "www");
    assert_int_equal(web->services[0].kind, HS_SVC_NGINX);
    assert_int_equal(web->services[0].port, 80);
    assert_int_equal(web->services[0].workers, 2);
    assert_string_equal(web->services[0].content, "ACME Corp intranet: 1204 customer records");

    const struct hs_host *hp = hs_topology_host(t, "honeypot");
    assert_non_null(hp);
    assert_string_equal(hp->twin, "web");
    assert_int_equal(hp->twin_index, 2);
    assert_memory_equal(hp->mac, web->mac, 6);
    assert_int_equal(hp->ip, web->ip);
    assert_string_equal(hp->services[0].content, "ACME Corp intranet: 1198 customer records");
    assert_int_equal(t->hosts[0].ip, 0xc612000au); /* client 198.18.0.10 */
    assert_int_equal(t->hosts[1].mac[5], 0x0b);
}

static void test_default_builtin(void **state)
{
    (void)state;
    struct hs_topology *t = parse_ok(hs_default_topology_yaml);
    check_default(t);
    assert_string_equal(t->path, "ok.yaml");
    hs_topology_free(t);
}

/* The built-in text is exactly etc/lab-default.yaml, and loading the file gives the same. */
static void test_default_file(void **state)
{
    (void)state;
    const char *path = HS_SOURCE_DIR "/etc/lab-default.yaml";
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    assert_string_equal(buf, hs_default_topology_yaml);

    struct hs_topology *t;
    struct hs_cfg_err err;
    if (hs_topology_load(path, &t, &err) != 0)
        fail_msg("%s", err.msg);
    check_default(t);
    assert_string_equal(t->path, path);
    hs_topology_free(t);
}

static void test_lookups(void **state)
{
    (void)state;
    struct hs_topology *t = parse_ok(hs_default_topology_yaml);
    assert_ptr_equal(hs_topology_switch(t, "hs-br0"), &t->switches[0]);
    assert_null(hs_topology_switch(t, "hs-br1"));
    assert_ptr_equal(hs_topology_switch_by_dpid(t, 1), &t->switches[0]);
    assert_null(hs_topology_switch_by_dpid(t, 2));
    assert_null(hs_topology_host(t, "nobody"));
    assert_null(hs_topology_host(NULL, "web"));
    assert_string_equal(hs_role_name(HS_ROLE_INTERNAL), "internal");
    assert_string_equal(hs_role_name(HS_ROLE_HONEYPOT), "honeypot");
    assert_string_equal(hs_service_kind_name(HS_SVC_REDIS), "redis");
    assert_string_equal(hs_service_kind_name(HS_SVC_FLASK), "flask");
    hs_topology_free(t);
    hs_topology_free(NULL);
}

static void test_defaults_and_options(void **state)
{
    (void)state;
    struct hs_topology *t = parse_ok(
        "# every optional key\n"
        "lab: lab-2\n"
        "state_dir: /tmp/hs state\n"
        "controller: {listen: 127.0.0.2:7000, echo_interval: 0x10}\n"
        "switches:\n"
        "  - {name: core, dpid: 0xfedcba9876543210}\n"
        "  - {name: edge, dpid: 18446744073709551615}\n"
        "hosts:\n"
        "  - name: db\n"
        "    role: internal\n"
        "    switch: edge\n"
        "    port: 65279\n"
        "    mac: 0A:BB:cc:dd:ee:ff\n"
        "    ip: 198.19.255.254/16\n"
        "    services:\n"
        "      - {name: cache, kind: redis}\n"
        "      - {name: app, kind: flask, workers: 64}\n"
        "      - {name: js, kind: node, content: \"\"}\n"
        "      - {name: www, kind: nginx, port: 8080, workers: 1, content: 'it''s \xc3\xa9'}\n"
        "  - {name: x, role: client, switch: core, port: 1, mac: '02:00:00:00:00:01',\n"
        "     ip: 198.18.0.1/30}\n");
    assert_string_equal(t->lab, "lab-2");
    assert_string_equal(t->state_dir, "/tmp/hs state");
    assert_string_equal(t->controller.control_socket, "/tmp/hs state/ctl.sock");
    assert_string_equal(t->controller.eve_log, "/tmp/hs state/eve.json");
    assert_string_equal(t->controller.listen_addr, "127.0.0.2");
    assert_int_equal(t->controller.listen_port, 7000);
    assert_int_equal(t->controller.echo_interval_s, 16);
    assert_true(t->switches[0].dpid == 0xfedcba9876543210ull);
    assert_true(t->switches[1].dpid == UINT64_MAX);
    assert_int_equal(t->switches[1].line, 7);
    const struct hs_host *db = &t->hosts[0];
    assert_int_equal(db->line, 9);
    assert_int_equal(db->role, HS_ROLE_INTERNAL);
    assert_int_equal(db->switch_index, 1);
    assert_int_equal(db->port, 65279);
    static const uint8_t mac[6] = {0x0a, 0xbb, 0xcc, 0xdd, 0xee, 0xff};
    assert_memory_equal(db->mac, mac, 6);
    assert_int_equal(db->ip, 0xc613fffeu);
    assert_int_equal(db->prefix_len, 16);
    assert_int_equal(db->n_services, 4);
    assert_int_equal(db->services[0].kind, HS_SVC_REDIS);
    assert_int_equal(db->services[0].port, 6379);
    assert_int_equal(db->services[0].workers, 2);
    assert_int_equal(db->services[0].line, 16);
    assert_int_equal(db->services[1].port, 8000);
    assert_int_equal(db->services[1].workers, 64);
    assert_int_equal(db->services[2].port, 3000);
    assert_string_equal(db->services[2].content, "");
    assert_int_equal(db->services[3].port, 8080);
    assert_int_equal(db->services[3].workers, 1);
    assert_string_equal(db->services[3].content, "it's \xc3\xa9");
    assert_int_equal(t->hosts[1].switch_index, 0);
    assert_int_equal(t->hosts[1].prefix_len, 30);
    hs_topology_free(t);
}

/* Anchors and aliases share a services list between a production host and its honeypot. */
static void test_aliases(void **state)
{
    (void)state;
    struct hs_topology *t = parse_ok(
        "switches: [{name: br0, dpid: 1}]\n"
        "hosts:\n"
        "  - name: web\n"
        "    role: production\n"
        "    switch: br0\n"
        "    port: 1\n"
        "    mac: &m 02:00:00:00:00:50\n"
        "    ip: &i 198.18.1.80/24\n"
        "    services: &s [{name: www, kind: nginx}, {name: api, kind: flask}]\n"
        "  - {name: hp, role: honeypot, twin: web, switch: br0, port: 2, mac: *m, ip: *i,\n"
        "     services: *s}\n"
        "  - {name: hp2, role: honeypot, twin: web, switch: br0, port: 3, mac: *m, ip: *i}\n");
    assert_int_equal(t->n_hosts, 3);
    assert_int_equal(t->hosts[1].n_services, 2);
    assert_string_equal(t->hosts[1].services[1].name, "api");
    assert_int_equal(t->hosts[1].twin_index, 0);
    assert_int_equal(t->hosts[2].twin_index, 0);
    assert_int_equal(t->hosts[2].n_services, 0);
    assert_null(t->hosts[2].services);
    hs_topology_free(t);
}

static void test_load_errors(void **state)
{
    (void)state;
    struct hs_topology *t = (struct hs_topology *)0x1;
    struct hs_cfg_err err;
    assert_int_equal(hs_topology_load("/nonexistent/hs.yaml", &t, &err), -1);
    assert_null(t);
    assert_int_equal(err.line, 0);
    assert_string_equal(err.msg, "/nonexistent/hs.yaml: cannot open: No such file or directory");

    assert_int_equal(hs_topology_load(HS_SOURCE_DIR "/etc", &t, &err), -1);
    assert_non_null(strstr(err.msg, "/etc: not a regular file"));

    char path[] = "/tmp/hs-topo-test.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    static char chunk[4096];
    memset(chunk, '#', sizeof chunk);
    for (size_t i = 0; i < HS_TOPOLOGY_MAX_FILE / sizeof chunk; i++)
        assert_int_equal(write(fd, chunk, sizeof chunk), sizeof chunk);
    /* Exactly 1 MiB of comments: allowed size, but empty. */
    assert_int_equal(hs_topology_load(path, &t, &err), -1);
    assert_non_null(strstr(err.msg, "the file is empty"));
    assert_int_equal(write(fd, "\n", 1), 1);
    assert_int_equal(hs_topology_load(path, &t, &err), -1);
    assert_non_null(strstr(err.msg, "file is larger than 1 MiB"));
    close(fd);
    unlink(path);
}

/* Example bad files under tests/config/bad/: messages carry the file path and the line. */
static void test_bad_files(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        int line;
        const char *frag;
    } files[] = {
        {"tabs.yaml", 12, "tab character in indentation"},
        {"twin-mac.yaml", 24, "mac 02:00:c6:12:00:51 differs from twin 'web'"},
        {"unknown-key.yaml", 9, "switch 'hs-br0': unknown key 'datapath'"},
        {"bad-mac.yaml", 14, "host 'web': mac 'zz:00:c6:12:00:50' is not a MAC address"},
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[512], head[600];
        snprintf(path, sizeof path, "%s/tests/config/bad/%s", HS_SOURCE_DIR, files[i].file);
        snprintf(head, sizeof head, "%s:%d:", path, files[i].line);
        struct hs_topology *t;
        struct hs_cfg_err err;
        assert_int_equal(hs_topology_load(path, &t, &err), -1);
        if (err.line != files[i].line || strncmp(err.msg, head, strlen(head)) != 0 ||
            !strstr(err.msg, files[i].frag))
            fail_msg("%s: expected line %d \"%s\", got \"%s\"", files[i].file, files[i].line,
                     files[i].frag, err.msg);
    }
}

static void test_json(void **state)
{
    (void)state;
    struct hs_topology *t = parse_ok(hs_default_topology_yaml);
    char *s = NULL;
    assert_int_equal(hs_topology_to_json(t, &s), 0);
    assert_non_null(s);
    json_error_t jerr;
    json_t *j = json_loads(s, 0, &jerr);
    free(s);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "lab")), "hs");
    assert_string_equal(json_string_value(json_object_get(j, "state_dir")), "/run/honeyshift/hs");
    json_t *ctl = json_object_get(j, "controller");
    assert_string_equal(json_string_value(json_object_get(ctl, "listen")), "127.0.0.1:6653");
    assert_int_equal(json_integer_value(json_object_get(ctl, "echo_interval")), 5);
    assert_string_equal(json_string_value(json_object_get(ctl, "control_socket")),
                        "/run/honeyshift/hs/ctl.sock");
    json_t *sws = json_object_get(j, "switches");
    assert_int_equal(json_array_size(sws), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(sws, 0), "dpid")),
                        "0x0000000000000001");
    json_t *hosts = json_object_get(j, "hosts");
    assert_int_equal(json_array_size(hosts), 4);
    json_t *web = json_array_get(hosts, 2), *hp = json_array_get(hosts, 3);
    assert_string_equal(json_string_value(json_object_get(web, "name")), "web");
    assert_string_equal(json_string_value(json_object_get(web, "role")), "production");
    assert_string_equal(json_string_value(json_object_get(web, "mac")), "02:00:c6:12:00:50");
    assert_string_equal(json_string_value(json_object_get(web, "ip")), "198.18.0.80");
    assert_string_equal(json_string_value(json_object_get(web, "cidr")), "198.18.0.80/24");
    assert_int_equal(json_integer_value(json_object_get(web, "port")), 3);
    assert_true(json_is_null(json_object_get(web, "twin")));
    assert_string_equal(json_string_value(json_object_get(hp, "twin")), "web");
    json_t *svc = json_array_get(json_object_get(web, "services"), 0);
    assert_string_equal(json_string_value(json_object_get(svc, "kind")), "nginx");
    assert_int_equal(json_integer_value(json_object_get(svc, "port")), 80);
    assert_int_equal(json_integer_value(json_object_get(svc, "workers")), 2);
    assert_string_equal(json_string_value(json_object_get(svc, "content")),
                        "ACME Corp intranet: 1204 customer records");
    json_decref(j);
    assert_null(hs_topology_to_jansson(NULL));
    assert_int_equal(hs_topology_to_json(NULL, &s), -1);
    assert_null(s);
    hs_topology_free(t);
}

static void test_ips_section(void **state)
{
    (void)state;
    struct hs_topology *t = parse_ok(
        "lab: x\nips:\n  switch: br1\n  port: 9\n  enabled: false\n"
        "  rules: [/etc/a.rules, /etc/b.rules]\n  block_idle_timeout: 30\n"
        "  block_hard_timeout: 600\n  hold_limit: 8\n  on_attack: block\n"
        "relocation:\n  deadline_ms: 1500\n  max_concurrent: 3\n  gc_grace_ms: 4000\n"
        "switches:\n  - name: br0\n    dpid: 1\n  - name: br1\n    dpid: 2\nhosts:\n"
        "  - name: c\n    role: client\n    switch: br1\n    port: 1\n"
        "    mac: 02:00:00:00:00:01\n    ip: 198.18.0.1/24\n");
    assert_true(t->ips.present);
    assert_false(t->ips.enabled);
    assert_string_equal(t->ips.switch_name, "br1");
    assert_int_equal(t->ips.switch_index, 1);
    assert_int_equal(t->ips.port, 9);
    assert_int_equal(t->ips.n_rule_files, 2);
    assert_string_equal(t->ips.rule_files[1], "/etc/b.rules");
    assert_int_equal(t->ips.block_idle_timeout, 30);
    assert_int_equal(t->ips.block_hard_timeout, 600);
    assert_int_equal(t->ips.hold_limit, 8);
    assert_int_equal(t->ips.on_attack, HS_ON_ATTACK_BLOCK);
    assert_int_equal(t->relocation.deadline_ms, 1500);
    assert_int_equal(t->relocation.max_concurrent, 3);
    assert_int_equal(t->relocation.gc_grace_ms, 4000);
    assert_int_equal(t->ips.line, 3);
    assert_false(hs_topology_ips_on(t, 1)); /* disabled */
    json_t *o = hs_topology_to_jansson(t);
    assert_non_null(o);
    json_t *ips = json_object_get(o, "ips");
    assert_false(json_is_true(json_object_get(ips, "enabled")));
    assert_int_equal(json_integer_value(json_object_get(ips, "port")), 9);
    assert_int_equal(json_array_size(json_object_get(ips, "rules")), 2);
    json_decref(o);
    hs_topology_free(t);

    /* one rule file as a plain string; no ips section: not present */
    t = parse_ok("lab: x\nips:\n  port: 9\n  rules: /etc/a.rules\n"
                 "switches:\n  - name: br0\n    dpid: 1\nhosts:\n"
                 "  - name: c\n    role: client\n    switch: br0\n    port: 1\n"
                 "    mac: 02:00:00:00:00:01\n    ip: 198.18.0.1/24\n");
    assert_int_equal(t->ips.n_rule_files, 1);
    assert_true(hs_topology_ips_on(t, 0));
    assert_int_equal(t->ips.mode, HS_IPS_STEER);
    assert_true(hs_topology_ips_steers(t, 0));
    hs_topology_free(t);
    t = parse_ok("lab: x\nswitches:\n  - name: br0\n    dpid: 1\nhosts:\n"
                 "  - name: ips\n    role: client\n    switch: br0\n    port: 1\n"
                 "    mac: 02:00:00:00:00:01\n    ip: 198.18.0.1/24\n");
    assert_false(t->ips.present);
    assert_false(hs_topology_ips_on(t, 0));
    o = hs_topology_to_jansson(t);
    assert_true(json_is_null(json_object_get(o, "ips")));
    json_decref(o);
    hs_topology_free(t);
}

/* mode bump: no port of its own; the production hosts of the IPS switch are behind a bump,
 * nothing is steered; the mode is in the JSON description. */
static void test_ips_bump(void **state)
{
    (void)state;
    static const char hosts[] =
        "switches:\n  - name: br0\n    dpid: 1\n  - name: br1\n    dpid: 2\nhosts:\n"
        "  - name: c\n    role: client\n    switch: br0\n    port: 1\n"
        "    mac: 02:00:00:00:00:01\n    ip: 198.18.0.1/24\n"
        "  - name: web\n    role: production\n    switch: br0\n    port: 3\n"
        "    mac: 02:00:00:00:00:50\n    ip: 198.18.0.80/24\n"
        "  - name: hp\n    role: honeypot\n    twin: web\n    switch: br0\n    port: 4\n"
        "    mac: 02:00:00:00:00:50\n    ip: 198.18.0.80/24\n"
        "  - name: db\n    role: production\n    switch: br1\n    port: 1\n"
        "    mac: 02:00:00:00:00:51\n    ip: 198.18.0.81/24\n"
        "  - name: ips\n    role: internal\n    switch: br0\n    port: 9\n"
        "    mac: 02:00:00:00:00:52\n    ip: 198.18.0.82/24\n";
    char text[2048];
    snprintf(text, sizeof text, "lab: x\nips:\n  mode: bump\n  switch: br0\n%s", hosts);
    struct hs_topology *t = parse_ok(text);
    assert_int_equal(t->ips.mode, HS_IPS_BUMP);
    assert_int_equal(t->ips.port, 0);
    assert_true(hs_topology_ips_on(t, 0));
    assert_false(hs_topology_ips_steers(t, 0));
    assert_true(hs_topology_ips_bumped(t, hs_topology_host(t, "web")));
    assert_false(hs_topology_ips_bumped(t, hs_topology_host(t, "c")));
    assert_false(hs_topology_ips_bumped(t, hs_topology_host(t, "hp")));
    assert_false(hs_topology_ips_bumped(t, hs_topology_host(t, "db"))); /* other switch */
    assert_false(hs_topology_ips_bumped(t, hs_topology_host(t, "ips"))); /* name free in bump */
    assert_false(hs_topology_ips_bumped(t, NULL));
    assert_string_equal(hs_ips_mode_name(t->ips.mode), "bump");
    json_t *o = hs_topology_to_jansson(t);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(json_object_get(o, "ips"), "mode")),
                        "bump");
    json_decref(o);
    hs_topology_free(t);

    /* disabled: nobody is behind a bump (the lab wires web to the switch directly) */
    snprintf(text, sizeof text, "lab: x\nips:\n  mode: bump\n  switch: br0\n  enabled: false\n%s",
             hosts);
    t = parse_ok(text);
    assert_false(hs_topology_ips_bumped(t, hs_topology_host(t, "web")));
    hs_topology_free(t);

    /* steer, the default: written out or not */
    t = parse_ok("lab: x\nips:\n  mode: steer\n  port: 9\n"
                 "switches:\n  - name: br0\n    dpid: 1\nhosts:\n"
                 "  - name: web\n    role: production\n    switch: br0\n    port: 1\n"
                 "    mac: 02:00:00:00:00:01\n    ip: 198.18.0.1/24\n");
    assert_int_equal(t->ips.mode, HS_IPS_STEER);
    assert_true(hs_topology_ips_steers(t, 0));
    assert_false(hs_topology_ips_bumped(t, &t->hosts[0]));
    assert_string_equal(hs_ips_mode_name(t->ips.mode), "steer");
    hs_topology_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_builtin),
        cmocka_unit_test(test_default_file),
        cmocka_unit_test(test_lookups),
        cmocka_unit_test(test_defaults_and_options),
        cmocka_unit_test(test_aliases),
        cmocka_unit_test(test_load_errors),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_ips_section),
        cmocka_unit_test(test_ips_bump),
    };
    return cmocka_run_group_tests_name("config_topology", tests, NULL, NULL);
}
