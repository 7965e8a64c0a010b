/* test_topology_bad.c - rejected topologies: each case asserts the exact line (and column where
 * it matters) and a distinctive part of the "FILE:LINE:COL: ..." message. */
#include "config/topology.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* Lines 1-5. */
#define HEAD "lab: t\nswitches:\n  - name: br0\n    dpid: 1\nhosts:\n"
/* One host, 6 lines: name +0, role +1, switch +2, port +3, mac +4, ip +5. */
#define H(name, role, port, mac, ip)                                                           \
    "  - name: " name "\n    role: " role "\n    switch: br0\n    port: " port "\n    mac: " mac \
    "\n    ip: " ip "\n"
#define HA H("a", "client", "1", "02:00:00:00:00:01", "198.18.0.1/24")           /* lines 6-11 */
#define WEB H("web", "production", "1", "02:00:00:00:00:50", "198.18.0.80/24")

struct bad_case {
    const char *name;
    const char *text;
    int line;           /* expected line (0: no position) */
    int col;            /* expected column, 0 = not checked */
    const char *frag;   /* must occur in the message */
    const char *frag2;  /* optional second fragment */
};

static const struct bad_case cases[] = {
    {"bad_mac", HEAD H("a", "client", "1", "zz:00:00:00:00:01", "198.18.0.1/24"), 10, 10,
     "host 'a': mac 'zz:00:00:00:00:01' is not a MAC address", "aa:bb:cc:dd:ee:ff"},
    {"short_mac", HEAD H("a", "client", "1", "02:00:00:00:01", "198.18.0.1/24"), 10, 10,
     "is not a MAC address", NULL},
    {"multicast_mac", HEAD H("a", "client", "1", "03:00:00:00:00:01", "198.18.0.1/24"), 10, 0,
     "is not a unicast address", NULL},
    {"zero_mac", HEAD H("a", "client", "1", "00:00:00:00:00:00", "198.18.0.1/24"), 10, 0,
     "is not a unicast address", NULL},
    {"bad_ip", HEAD H("a", "client", "1", "02:00:00:00:00:01", "198.18.0.300/24"), 11, 9,
     "ip '198.18.0.300/24' is not an IPv4 address with prefix", NULL},
    {"ip_without_prefix", HEAD H("a", "client", "1", "02:00:00:00:00:01", "198.18.0.1"), 11, 0,
     "expected A.B.C.D/N", NULL},
    {"prefix_31", HEAD H("a", "client", "1", "02:00:00:00:00:01", "198.18.0.1/31"), 11, 0,
     "prefix /31 is out of range 8..30", NULL},
    {"prefix_7", HEAD H("a", "client", "1", "02:00:00:00:00:01", "198.18.0.1/7"), 11, 0,
     "prefix /7 is out of range 8..30", NULL},
    {"prefix_garbage", HEAD H("a", "client", "1", "02:00:00:00:00:01", "198.18.0.1/2x"), 11, 0,
     "is not an IPv4 address with prefix", NULL},
    {"network_address", HEAD H("a", "client", "1", "02:00:00:00:00:01", "198.18.0.0/24"), 11, 0,
     "is the network address", NULL},
    {"broadcast_address", HEAD H("a", "client", "1", "02:00:00:00:00:01", "198.18.0.255/24"), 11,
     0, "is the broadcast address", NULL},
    {"outside_lab_range", HEAD H("a", "client", "1", "02:00:00:00:00:01", "10.0.0.1/24"), 11, 0,
     "outside 198.18.0.0/15", "lab rule"},
    {"duplicate_host", HEAD HA H("a", "client", "2", "02:00:00:00:00:02", "198.18.0.2/24"), 12,
     11, "host 'a' is defined twice (first at line 6)", NULL},
    {"duplicate_port", HEAD HA H("b", "client", "1", "02:00:00:00:00:02", "198.18.0.2/24"), 15,
     11, "port 1 on switch 'br0' is already used by host 'a' (line 6)", NULL},
    {"duplicate_mac", HEAD HA H("b", "client", "2", "02:00:00:00:00:01", "198.18.0.2/24"), 16, 0,
     "mac 02:00:00:00:00:01 is already used by host 'a'", NULL},
    {"duplicate_ip", HEAD HA H("b", "client", "2", "02:00:00:00:00:02", "198.18.0.1/24"), 17, 0,
     "ip 198.18.0.1 is already used by host 'a'", NULL},
    {"duplicate_switch",
     "lab: t\nswitches:\n  - name: br0\n    dpid: 1\n  - name: br0\n    dpid: 2\nhosts:\n" HA, 5,
     11, "switch 'br0' is defined twice (first at line 3)", NULL},
    {"duplicate_dpid",
     "lab: t\nswitches:\n  - name: br0\n    dpid: 1\n  - name: br1\n    dpid: 0x1\nhosts:\n" HA, 6,
     11, "dpid 0x0000000000000001 is already used by switch 'br0'", NULL},
    {"unknown_key_top", HEAD HA "colour: red\n", 12, 1, "unknown key 'colour'",
     "(allowed: lab, state_dir, controller, ips, relocation, switches, hosts)"},
    {"unknown_key_host", HEAD HA "    vlan: 5\n", 12, 5, "host 'a': unknown key 'vlan'",
     "allowed: name, role, switch, port, mac, ip, twin, services"},
    {"unknown_key_service",
     HEAD HA "    services:\n      - name: www\n        kind: nginx\n        user: root\n", 15, 9,
     "host 'a' service 'www': unknown key 'user'", "allowed: name, kind, port, workers, content"},
    {"unknown_key_controller", "controller:\n  debug: 1\n" HEAD HA, 2, 3,
     "controller: unknown key 'debug'", NULL},
    {"unknown_key_switch",
     "lab: t\nswitches:\n  - name: br0\n    dpid: 1\n    stp: true\nhosts:\n" HA, 5, 5,
     "switch 'br0': unknown key 'stp'", "allowed: name, dpid"},
    {"duplicate_key", HEAD HA "    port: 2\n", 12, 5, "host 'a': duplicate key 'port'",
     "first at line 9"},
    {"duplicate_key_top", HEAD HA "lab: u\n", 12, 1, "duplicate key 'lab' (first at line 1)",
     NULL},
    {"non_string_key", HEAD HA "    ? [x]\n    : 1\n", 12, 0, "keys must be strings", NULL},
    {"hosts_not_list", HEAD "  a: 1\n", 6, 3, "hosts must be a list, got a mapping", NULL},
    {"host_not_mapping", HEAD "  - a\n", 6, 5, "host #1 must be a mapping, got a string", NULL},
    {"controller_not_mapping", "controller: [1]\n" HEAD HA, 1, 13,
     "controller must be a mapping, got a list", NULL},
    {"quoted_port", HEAD H("a", "client", "\"1\"", "02:00:00:00:00:01", "198.18.0.1/24"), 9, 11,
     "port must be an integer, got a quoted string", NULL},
    {"port_float", HEAD H("a", "client", "1.5", "02:00:00:00:00:01", "198.18.0.1/24"), 9, 0,
     "port '1.5' is not an integer", NULL},
    {"port_leading_zero", HEAD H("a", "client", "010", "02:00:00:00:00:01", "198.18.0.1/24"), 9,
     0, "port '010' is not an integer", NULL},
    {"name_is_list", HEAD H("[a, b]", "client", "1", "02:00:00:00:00:01", "198.18.0.1/24"), 6, 11,
     "host #1: name must be a string, got a list", NULL},
    {"mac_is_mapping", HEAD H("a", "client", "1", "{x: 1}", "198.18.0.1/24"), 10, 10,
     "mac must be a string, got a mapping", NULL},
    {"empty_value", HEAD H("a", "", "1", "02:00:00:00:00:01", "198.18.0.1/24"), 7, 0,
     "role has no value", NULL},
    {"missing_mac",
     HEAD "  - name: a\n    role: client\n    switch: br0\n    port: 1\n    ip: 198.18.0.1/24\n", 6,
     5, "host 'a': missing required key 'mac'", NULL},
    {"missing_switches", "hosts:\n" HA, 1, 1, "missing required key 'switches'", NULL},
    {"missing_hosts", "switches:\n  - name: br0\n    dpid: 1\n", 1, 1,
     "missing required key 'hosts'", NULL},
    {"missing_dpid", "switches:\n  - name: br0\nhosts:\n" HA, 2, 5,
     "switch 'br0': missing required key 'dpid'", NULL},
    {"empty_switches", "switches: []\nhosts:\n" HA, 1, 11, "at least one switch is required",
     NULL},
    {"empty_hosts", "switches:\n  - name: br0\n    dpid: 1\nhosts: []\n", 4, 8,
     "at least one host is required", NULL},
    {"honeypot_without_twin",
     HEAD WEB H("hp", "honeypot", "2", "02:00:00:00:00:50", "198.18.0.80/24"), 12, 5,
     "host 'hp': missing required key 'twin'", NULL},
    {"twin_on_client", HEAD HA "    twin: web\n", 12, 11,
     "host 'a': twin is only allowed for role honeypot (this host is client)", NULL},
    {"twin_different_mac",
     HEAD WEB H("hp", "honeypot", "2", "02:00:00:00:00:51", "198.18.0.80/24") "    twin: web\n",
     16, 10, "host 'hp': mac 02:00:00:00:00:51 differs from twin 'web' mac 02:00:00:00:00:50",
     NULL},
    {"twin_different_ip",
     HEAD WEB H("hp", "honeypot", "2", "02:00:00:00:00:50", "198.18.0.81/24") "    twin: web\n",
     17, 9, "ip 198.18.0.81/24 differs from twin 'web' ip 198.18.0.80/24", NULL},
    {"twin_not_a_host",
     HEAD WEB H("hp", "honeypot", "2", "02:00:00:00:00:50", "198.18.0.80/24") "    twin: nope\n",
     18, 11, "twin 'nope' is not a host", NULL},
    {"twin_not_production",
     HEAD HA H("hp", "honeypot", "2", "02:00:00:00:00:01", "198.18.0.1/24") "    twin: a\n", 18,
     11, "twin 'a' is a client host; a honeypot's twin must be a production host", NULL},
    {"host_name_too_long",
     HEAD H("abcdefghijkl", "client", "1", "02:00:00:00:00:01", "198.18.0.1/24"), 6, 11,
     "'t-abcdefghijkl' is 14 chars, at most 13", NULL},
    {"host_name_invalid", HEAD H("Web", "client", "1", "02:00:00:00:00:01", "198.18.0.1/24"), 6,
     11, "name 'Web' is not a valid name", NULL},
    {"host_name_dash_first",
     HEAD H("-web", "client", "1", "02:00:00:00:00:01", "198.18.0.1/24"), 6, 11,
     "is not a valid name", NULL},
    {"switch_name_too_long",
     "switches:\n  - name: abcdefghijklmnop\n    dpid: 1\nhosts:\n" HA, 2, 11,
     "name 'abcdefghijklmnop' is too long (16 chars; at most 15)", NULL},
    {"lab_name_too_long", "lab: abcdefg\nswitches:\n  - name: br0\n    dpid: 1\nhosts:\n" HA, 1,
     6, "lab name 'abcdefg' is too long (7 chars; at most 6", NULL},
    {"lab_name_invalid", "lab: My_Lab\nswitches:\n  - name: br0\n    dpid: 1\nhosts:\n" HA, 1, 6,
     "lab name 'My_Lab' is not valid", NULL},
    {"yaml_syntax_error", HEAD H("a", "client", "1: 2", "02:00:00:00:00:01", "198.18.0.1/24"), 9,
     12, "YAML syntax error: mapping values are not allowed", NULL},
    {"yaml_unclosed_flow", HEAD HA "    services: [\n", 13, 1, "YAML syntax error", NULL},
    {"tab_indent", HEAD "  - name: a\n\trole: client\n", 7, 1,
     "tab character in indentation (YAML allows only spaces)", NULL},
    {"undefined_alias", HEAD H("a", "client", "*p", "02:00:00:00:00:01", "198.18.0.1/24"), 9, 11,
     "undefined alias", NULL},
    {"empty_file", "", 1, 1, "the file is empty", NULL},
    {"comments_only", "# nothing here\n\n", 1, 1, "the file is empty", NULL},
    {"top_level_list", "- a\n- b\n", 1, 1, "the top level must be a mapping, got a list", NULL},
    {"top_level_scalar", "\nhello\n", 2, 1, "the top level must be a mapping, got a string",
     NULL},
    {"two_documents", HEAD HA "---\nx: 1\n", 12, 1, "a second YAML document starts here", NULL},
    {"port_zero", HEAD H("a", "client", "0", "02:00:00:00:00:01", "198.18.0.1/24"), 9, 11,
     "port 0 is out of range 1..65279", NULL},
    {"port_too_big", HEAD H("a", "client", "65280", "02:00:00:00:00:01", "198.18.0.1/24"), 9, 11,
     "port 65280 is out of range 1..65279", NULL},
    {"dpid_zero", "switches:\n  - name: br0\n    dpid: 0\nhosts:\n" HA, 3, 11,
     "switch 'br0': dpid must be nonzero", NULL},
    {"dpid_overflow", "switches:\n  - name: br0\n    dpid: 0x10000000000000000\nhosts:\n" HA, 3,
     11, "is not an integer", "at most 64 bits"},
    {"unknown_switch",
     HEAD "  - name: a\n    role: client\n    switch: br9\n    port: 1\n"
          "    mac: 02:00:00:00:00:01\n    ip: 198.18.0.1/24\n",
     8, 13,
     "host 'a': switch 'br9' is not defined (switches: br0)", NULL},
    {"unknown_role", HEAD H("a", "server", "1", "02:00:00:00:00:01", "198.18.0.1/24"), 7, 11,
     "role 'server' is not one of client, production, honeypot, internal", NULL},
    {"unknown_kind", HEAD HA "    services:\n      - name: www\n        kind: apache\n", 14, 15,
     "kind 'apache' is not one of nginx, flask, node, redis", NULL},
    {"service_not_mapping", HEAD HA "    services:\n      - www\n", 13, 9,
     "host 'a': service #1 must be a mapping, got a string", NULL},
    {"services_not_list", HEAD HA "    services: www\n", 12, 15,
     "services must be a list, got a string", NULL},
    {"service_missing_kind", HEAD HA "    services:\n      - name: www\n", 13, 9,
     "service 'www': missing required key 'kind'", NULL},
    {"duplicate_service_name",
     HEAD HA "    services:\n      - {name: www, kind: nginx}\n      - {name: www, kind: flask}\n",
     14, 16, "name 'www' is already used by the service at line 13", NULL},
    {"duplicate_service_port",
     HEAD HA "    services:\n      - {name: www, kind: nginx}\n      - name: api\n"
             "        kind: flask\n        port: 80\n",
     16, 15, "port 80 is already used by service 'www'", NULL},
    {"workers_too_many", HEAD HA "    services:\n      - {name: www, kind: nginx, workers: 65}\n",
     13, 43, "workers 65 is out of range 1..64", NULL},
    {"content_too_long",
     HEAD HA "    services:\n      - name: www\n        kind: nginx\n        content: "
             "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
             "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
             "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
             "xxxxxxxxxx\n",
     15, 18, "content", "is too long (256 bytes; at most 255)"},
    {"echo_interval_zero", "controller:\n  echo_interval: 0\n" HEAD HA, 2, 18,
     "echo_interval 0 is out of range 1..3600", NULL},
    {"echo_interval_big", "controller:\n  echo_interval: 3601\n" HEAD HA, 2, 18,
     "echo_interval 3601 is out of range 1..3600", NULL},
    {"listen_hostname", "controller:\n  listen: localhost:6653\n" HEAD HA, 2, 11,
     "listen 'localhost:6653' is not an IPv4 address and port", NULL},
    {"listen_port_zero", "controller:\n  listen: 127.0.0.1:0\n" HEAD HA, 2, 11,
     "is not an IPv4 address and port", NULL},
    {"control_socket_too_long",
     "controller:\n  control_socket: /run/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/ctl.sock\n" HEAD HA,
     2, 19, "control_socket is 129 bytes; a Unix socket path must be shorter than 108", NULL},
    {"state_dir_relative", "state_dir: run/hs\n" HEAD HA, 1, 12,
     "state_dir 'run/hs' must be an absolute path", NULL},
    {"state_dir_too_long_for_socket",
     "state_dir: /xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n" HEAD HA,
     1, 12, "state_dir is too long for the default control_socket", NULL},
    {"ips_port_missing", "ips:\n  enabled: true\n" HEAD HA, 2, 3, "ips: missing required key 'port'",
     NULL},
    {"ips_port_zero", "ips:\n  port: 0\n" HEAD HA, 2, 9, "ips: port 0 is out of range", NULL},
    {"ips_port_taken", "ips:\n  port: 1\n" HEAD HA, 2, 9,
     "ips: port 1 on switch 'br0' is already used by host 'a' (line 8)", NULL},
    {"ips_enabled_not_bool", "ips:\n  port: 9\n  enabled: maybe\n" HEAD HA, 3, 12,
     "ips: enabled 'maybe' is not a boolean", NULL},
    {"ips_unknown_key", "ips:\n  port: 9\n  colour: red\n" HEAD HA, 3, 3,
     "ips: unknown key 'colour'", "enabled, mode, switch, port"},
    {"ips_mode_bad", "ips:\n  port: 9\n  mode: tap\n" HEAD HA, 3, 9,
     "ips: mode 'tap' is not one of steer, bump", NULL},
    {"ips_mode_not_string", "ips:\n  port: 9\n  mode: [bump]\n" HEAD HA, 3, 9, "ips: mode",
     NULL},
    {"ips_bump_with_port", "ips:\n  mode: bump\n  port: 9\n" HEAD WEB, 3, 9,
     "ips: port is not used with mode bump", "the host's own port"},
    {"ips_bump_no_production", "ips:\n  mode: bump\n" HEAD HA, 2, 9,
     "ips: mode bump protects the production hosts of switch 'br0', and it has none", NULL},
    {"ips_bump_production_elsewhere",
     "ips:\n  mode: bump\n  switch: br0\nlab: t\nswitches:\n  - name: br0\n    dpid: 1\n"
     "  - name: br1\n    dpid: 2\nhosts:\n"
     "  - name: web\n    role: production\n    switch: br1\n    port: 1\n"
     "    mac: 02:00:00:00:00:50\n    ip: 198.18.0.80/24\n", 2, 9,
     "switch 'br0', and it has none", NULL},
    {"ips_steer_port_missing", "ips:\n  mode: steer\n" HEAD HA, 2, 3,
     "ips: missing required key 'port'", NULL},
    {"ips_unknown_switch", "ips:\n  port: 9\n  switch: br7\n" HEAD HA, 3, 11,
     "ips: switch 'br7' is not defined (switches: br0)", NULL},
    {"ips_switch_required",
     "ips:\n  port: 9\nlab: t\nswitches:\n  - name: br0\n    dpid: 1\n  - name: br1\n    dpid: 2\n"
     "hosts:\n" H("a", "client", "1", "02:00:00:00:00:01", "198.18.0.1/24"), 2, 0,
     "ips: switch is required when there are 2 switches", NULL},
    {"ips_rules_relative", "ips:\n  port: 9\n  rules: [my.rules]\n" HEAD HA, 3, 11,
     "ips: rules 'my.rules' must be an absolute path", NULL},
    {"ips_rules_map", "ips:\n  port: 9\n  rules: {a: b}\n" HEAD HA, 3, 10,
     "ips: rules must be a path or a list of paths", NULL},
    {"ips_hold_limit_big", "ips:\n  port: 9\n  hold_limit: 5000\n" HEAD HA, 3, 15,
     "hold_limit 5000 is out of range 1..4096", NULL},
    {"ips_block_timeout_big", "ips:\n  port: 9\n  block_hard_timeout: 70000\n" HEAD HA, 3, 23,
     "block_hard_timeout 70000 is out of range 0..65535", NULL},
    {"ips_reserved_host_name", "ips:\n  port: 9\n" HEAD H("ips", "client", "1",
     "02:00:00:00:00:01", "198.18.0.1/24"), 8, 0, "host 'ips': the name is reserved", NULL},
    {"ips_on_attack_bad", "ips:\n  port: 9\n  on_attack: shrug\n" HEAD HA, 3, 14,
     "ips: on_attack 'shrug' is not one of relocate, block", NULL},
    {"relocation_deadline_small", "relocation:\n  deadline_ms: 5\n" HEAD HA, 2, 16,
     "deadline_ms 5 is out of range 100..60000", NULL},
    {"relocation_concurrent_zero", "relocation:\n  max_concurrent: 0\n" HEAD HA, 2, 19,
     "max_concurrent 0 is out of range 1..64", NULL},
    {"relocation_gc_grace_small", "relocation:\n  gc_grace_ms: 50\n" HEAD HA, 2, 16,
     "gc_grace_ms 50 is out of range 1000..86400000", NULL},
    {"relocation_unknown_key", "relocation:\n  retries: 3\n" HEAD HA, 2, 3,
     "relocation: unknown key 'retries'", NULL},
    {"relocation_not_map", "relocation: fast\n" HEAD HA, 1, 13, "relocation", NULL},
    {"invalid_utf8", "lab: t\xff\n" "switches: []\n", 1, 7, "invalid input", NULL},
};

static void check_case(void **state)
{
    const struct bad_case *bc = *state;
    struct hs_topology *t = (struct hs_topology *)0x1;
    struct hs_cfg_err err;
    int rc = hs_topology_parse(bc->text, strlen(bc->text), "t.yaml", &t, &err);
    if (rc == 0)
        fail_msg("case %s: accepted", bc->name);
    assert_null(t);
    char head[32];
    snprintf(head, sizeof head, "t.yaml:%d:", bc->line);
    if (err.line != bc->line || strncmp(err.msg, head, strlen(head)) != 0 ||
        (bc->col && err.col != bc->col) || !strstr(err.msg, bc->frag) ||
        (bc->frag2 && !strstr(err.msg, bc->frag2)))
        fail_msg("case %s: expected line %d col %d with \"%s\"; got %d:%d \"%s\"", bc->name,
                 bc->line, bc->col, bc->frag, err.line, err.col, err.msg);
}

/* Inputs that cannot be written as C string literals in the table. */
static void test_nul_byte(void **state)
{
    (void)state;
    static const char text[] = "lab: t\nswitches:\n  - name: br\0x\n";
    struct hs_topology *t;
    struct hs_cfg_err err;
    assert_int_equal(hs_topology_parse(text, sizeof text - 1, "n.yaml", &t, &err), -1);
    assert_null(t);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.msg, "n.yaml:3:"));
    assert_non_null(strstr(err.msg, "invalid input"));
}

static void test_too_big(void **state)
{
    (void)state;
    size_t n = HS_TOPOLOGY_MAX_FILE + 1;
    char *text = malloc(n);
    assert_non_null(text);
    memset(text, '#', n);
    struct hs_topology *t;
    struct hs_cfg_err err;
    assert_int_equal(hs_topology_parse(text, n, "big.yaml", &t, &err), -1);
    free(text);
    assert_int_equal(err.line, 0);
    assert_non_null(strstr(err.msg, "big.yaml: file is 1048577 bytes; at most 1048576"));
}

/* List-length limits: 65 services on a host, 1025 hosts. */
static void test_limits(void **state)
{
    (void)state;
    size_t cap = 200000, o;
    char *text = malloc(cap);
    assert_non_null(text);
    o = (size_t)snprintf(text, cap, "%s", HEAD HA "    services:\n");
    for (int i = 0; i < HS_TOPOLOGY_MAX_SERVICES + 1; i++)
        o += (size_t)snprintf(text + o, cap - o, "      - {name: s%d, kind: redis, port: %d}\n",
                              i, 1000 + i);
    struct hs_topology *t;
    struct hs_cfg_err err;
    assert_int_equal(hs_topology_parse(text, o, "l.yaml", &t, &err), -1);
    assert_int_equal(err.line, 13);
    assert_non_null(strstr(err.msg, "host 'a': 65 services; at most 64 per host"));

    o = (size_t)snprintf(text, cap, "%s", HEAD);
    for (int i = 0; i < HS_TOPOLOGY_MAX_HOSTS + 1; i++)
        o += (size_t)snprintf(text + o, cap - o, "  - {name: h%d}\n", i);
    assert_true(o < cap);
    assert_int_equal(hs_topology_parse(text, o, "l.yaml", &t, &err), -1);
    assert_int_equal(err.line, 6);
    assert_non_null(strstr(err.msg, "hosts: 1025 entries; at most 1024"));
    free(text);
}

static void test_null_err_allowed(void **state)
{
    (void)state;
    struct hs_topology *t = (struct hs_topology *)0x1;
    assert_int_equal(hs_topology_parse("x: 1\n", 5, NULL, &t, NULL), -1);
    assert_null(t);
}

int main(void)
{
    size_t n = sizeof cases / sizeof cases[0];
    struct CMUnitTest *tests = calloc(n + 4, sizeof *tests);
    if (!tests)
        return 1;
    for (size_t i = 0; i < n; i++) {
        tests[i].name = cases[i].name;
        tests[i].test_func = check_case;
        tests[i].initial_state = (void *)&cases[i];
    }
    tests[n].name = "nul_byte";
    tests[n].test_func = test_nul_byte;
    tests[n + 1].name = "too_big";
    tests[n + 1].test_func = test_too_big;
    tests[n + 2].name = "null_err_allowed";
    tests[n + 2].test_func = test_null_err_allowed;
    tests[n + 3].name = "limits";
    tests[n + 3].test_func = test_limits;
    int rc = _cmocka_run_group_tests("config_bad", tests, n + 4, NULL, NULL);
    free(tests);
    return rc;
}
