/* test_sandnet_oci.c - container specs, their JSON form, /etc/hosts and the OCI config. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "sandnet/app.h"
#include "sandnet/neigh.h"
#include "sandnet/oci.h"
#include "sandnet/spec.h"

static void app(int g, enum sn_tier t, struct sn_container *c)
{
    assert_true(sn_app_spec(g, t, "/var/cache/honeyshift", "/var/lib/hs", SN_BRIDGE_PN, c));
}

static json_t *find_mount(json_t *cfg, const char *dest)
{
    json_t *mounts = json_object_get(cfg, "mounts"), *m;
    size_t i;
    json_array_foreach(mounts, i, m)
        if (!strcmp(json_string_value(json_object_get(m, "destination")), dest))
            return m;
    return NULL;
}

static bool has_string(json_t *arr, const char *s)
{
    json_t *v;
    size_t i;
    json_array_foreach(arr, i, v)
        if (json_is_string(v) && !strcmp(json_string_value(v), s))
            return true;
    return false;
}

static void test_app_specs(void **state)
{
    (void)state;
    struct sn_container c;
    app(2, SN_TIER_BACKEND, &c);
    assert_string_equal(c.id, "be2");
    assert_string_equal(c.hostname, "be2");
    assert_string_equal(c.lower, "/var/cache/honeyshift/rootfs-backend");
    assert_string_equal(c.state_dir, "/var/lib/hs/be2");
    assert_int_equal(c.ip, (198u << 24 | 18u << 16 | 64u << 8 | 22u));
    assert_int_equal(c.mac[4], 2);
    assert_int_equal(c.mac[5], 2);
    assert_int_equal(c.n_volumes, 0);
    app(1, SN_TIER_DATABASE, &c);
    assert_int_equal(c.n_volumes, 1);
    assert_string_equal(c.volumes[0].dest, "/data");
    assert_string_equal(c.volumes[0].host, "/var/lib/hs/db1/volumes/0");
    assert_false(sn_app_spec(0, SN_TIER_BACKEND, "/c", "/s", "br", &c));
    assert_false(sn_app_spec(10, SN_TIER_BACKEND, "/c", "/s", "br", &c));
}

static void test_hosts_by_group(void **state)
{
    (void)state;
    struct sn_container c;
    app(1, SN_TIER_BACKEND, &c);
    char *h = sn_hosts_text(&c);
    assert_non_null(strstr(h, "127.0.0.1\tlocalhost\n"));
    assert_non_null(strstr(h, "198.18.64.12\tbe1\n"));
    assert_non_null(strstr(h, "198.18.64.13\tdb1 database\n"));
    assert_non_null(strstr(h, "198.18.64.11\tfe1 frontend\n"));
    assert_null(strstr(h, "db2"));               /* group 2 is not group 1's business */
    assert_null(strstr(h, "198.18.64.23"));
    free(h);
    app(2, SN_TIER_FRONTEND, &c);
    h = sn_hosts_text(&c);
    assert_non_null(strstr(h, "198.18.64.22\tbe2 backend\n"));
    assert_null(strstr(h, "be1"));
    free(h);
}

static void test_oci_config(void **state)
{
    (void)state;
    struct sn_container c;
    app(1, SN_TIER_DATABASE, &c);
    json_t *cfg = sn_oci_config(&c);
    assert_non_null(cfg);
    assert_string_equal(json_string_value(json_object_get(cfg, "ociVersion")), "1.0.2");
    assert_string_equal(json_string_value(json_object_get(cfg, "hostname")), "db1");
    json_t *root = json_object_get(cfg, "root");
    assert_string_equal(json_string_value(json_object_get(root, "path")), "rootfs");
    assert_true(json_is_false(json_object_get(root, "readonly")));

    json_t *proc = json_object_get(cfg, "process");
    json_t *args = json_object_get(proc, "args");
    assert_int_equal(json_array_size(args), 1);
    assert_string_equal(json_string_value(json_array_get(args, 0)), "/usr/local/bin/hs-service");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(proc, "user"), "uid")), 0);
    json_t *rl = json_object_get(proc, "rlimits");
    assert_int_equal(json_array_size(rl), 2);
    int seen = 0;
    for (size_t i = 0; i < 2; i++) {
        json_t *r = json_array_get(rl, i);
        const char *type = json_string_value(json_object_get(r, "type"));
        seen |= !strcmp(type, "RLIMIT_NOFILE") ? 1 : !strcmp(type, "RLIMIT_NPROC") ? 2 : 0;
        assert_int_equal(json_integer_value(json_object_get(r, "hard")), 1024);
        assert_int_equal(json_integer_value(json_object_get(r, "soft")), 1024);
    }
    assert_int_equal(seen, 3);
    json_t *caps = json_object_get(json_object_get(proc, "capabilities"), "bounding");
    assert_true(has_string(caps, "CAP_NET_BIND_SERVICE"));
    assert_false(has_string(caps, "CAP_SYS_RESOURCE"));
    assert_false(has_string(caps, "CAP_SYS_ADMIN"));

    json_t *hosts = find_mount(cfg, "/etc/hosts");
    assert_non_null(hosts);
    assert_string_equal(json_string_value(json_object_get(hosts, "source")), "/var/lib/hs/db1/bundle/hosts");
    assert_true(has_string(json_object_get(hosts, "options"), "ro"));
    json_t *vol = find_mount(cfg, "/data");
    assert_non_null(vol);
    assert_string_equal(json_string_value(json_object_get(vol, "type")), "bind");
    assert_string_equal(json_string_value(json_object_get(vol, "source")), "/var/lib/hs/db1/volumes/0");
    assert_true(has_string(json_object_get(vol, "options"), "rbind"));
    assert_non_null(find_mount(cfg, "/proc"));
    assert_non_null(find_mount(cfg, "/dev"));

    json_t *ns = json_object_get(json_object_get(cfg, "linux"), "namespaces"), *n;
    size_t i;
    int types = 0;
    json_array_foreach(ns, i, n) {
        const char *t = json_string_value(json_object_get(n, "type"));
        if (!strcmp(t, "network")) {
            assert_string_equal(json_string_value(json_object_get(n, "path")), "/run/netns/hsn-db1");
            types |= 1;
        } else {
            assert_null(json_object_get(n, "path"));   /* fresh pid/ipc/uts/mount */
            types |= !strcmp(t, "pid") ? 2 : !strcmp(t, "mount") ? 4 : !strcmp(t, "uts") ? 8 : 0;
        }
    }
    assert_int_equal(types, 15);
    json_t *ann = json_object_get(cfg, "annotations");
    assert_string_equal(json_string_value(json_object_get(ann, "org.criu.config")),
                        "/var/lib/hs/db1/bundle/criu.conf");
    json_decref(cfg);
}

static void test_spec_roundtrip(void **state)
{
    (void)state;
    struct sn_container a, b;
    app(1, SN_TIER_FRONTEND, &a);
    json_t *j = sn_spec_to_json(&a);
    char why[256] = "";
    assert_true(sn_spec_from_json(j, &b, why, sizeof why));
    assert_memory_equal(&a, &b, sizeof a);
    /* a broken saved spec is reported, not half-loaded */
    json_object_set_new(j, "mac", json_string("01:00:00:00:00:01"));
    assert_false(sn_spec_from_json(j, &b, why, sizeof why));
    assert_non_null(strstr(why, "multicast"));
    json_object_set_new(j, "mac", json_string("02:00:00:00:00:01"));
    json_object_set_new(j, "prefix_len", json_integer(33));
    assert_false(sn_spec_from_json(j, &b, why, sizeof why));
    json_object_set_new(j, "prefix_len", json_integer(24));
    json_object_del(j, "lower");
    assert_false(sn_spec_from_json(j, &b, why, sizeof why));
    assert_non_null(strstr(why, "lower"));
    json_decref(j);
}

static void test_validation(void **state)
{
    (void)state;
    assert_true(sn_id_valid("fe1"));
    assert_true(sn_id_valid("fe1-sn"));
    assert_true(sn_id_valid("abcdefghijk"));       /* 11: veth "hsn" + 11 = 14 < IFNAMSIZ */
    assert_false(sn_id_valid("abcdefghijkl"));     /* 12 */
    assert_false(sn_id_valid(""));
    assert_false(sn_id_valid("-x"));
    assert_false(sn_id_valid("Fe1"));
    assert_false(sn_id_valid("fe/1"));
    struct sn_container c, d;
    app(1, SN_TIER_DATABASE, &c);
    char why[256];
    assert_true(sn_spec_validate(&c, why, sizeof why));
    d = c;
    strcpy(d.lower, "relative/rootfs");
    assert_false(sn_spec_validate(&d, why, sizeof why));
    d = c;
    strcpy(d.volumes[0].host, "/var/lib/hs/../../etc");
    assert_false(sn_spec_validate(&d, why, sizeof why));
    d = c;
    strcpy(d.volumes[0].host, "/var/lib/hs/a..b");   /* ".." inside a name is fine */
    assert_true(sn_spec_validate(&d, why, sizeof why));
    d = c;
    strcpy(d.volumes[0].dest, "/");
    assert_false(sn_spec_validate(&d, why, sizeof why));
    d = c;
    d.prefix_len = 0;
    assert_false(sn_spec_validate(&d, why, sizeof why));
    d = c;
    d.n_args = 0;
    assert_false(sn_spec_validate(&d, why, sizeof why));
    d = c;
    strcpy(d.state_dir, "/");
    assert_false(sn_spec_validate(&d, why, sizeof why));
    char p[64];
    assert_true(sn_host_ifname(&c, p, sizeof p));
    assert_string_equal(p, "hsndb1");
    assert_true(sn_netns_name(&c, p, sizeof p));
    assert_string_equal(p, "hsn-db1");
}

static void test_neigh_parse(void **state)
{
    (void)state;
    const char *json =
        "[{\"dst\":\"198.18.64.100\",\"dev\":\"eth0\",\"lladdr\":\"02:aa:bb:cc:dd:01\","
        "\"state\":[\"REACHABLE\"]},"
        "{\"dst\":\"198.18.64.7\",\"dev\":\"eth0\",\"state\":[\"FAILED\"]},"
        "{\"dst\":\"198.18.64.8\",\"dev\":\"eth0\",\"lladdr\":\"02:aa:bb:cc:dd:08\","
        "\"state\":[\"INCOMPLETE\"]},"
        "{\"dst\":\"fe80::1\",\"dev\":\"eth0\",\"lladdr\":\"02:aa:bb:cc:dd:02\","
        "\"router\":null,\"state\":[\"STALE\"]},"
        "{\"dst\":\"198.18.64.13\",\"dev\":\"eth0\",\"lladdr\":\"02:68:73:6e:01:03\","
        "\"state\":[\"STALE\"]}]";
    struct sn_neigh nb[4];
    size_t n = 99;
    assert_true(sn_neigh_parse(json, nb, 4, &n));
    assert_int_equal(n, 2);
    assert_int_equal(nb[0].ip, (198u << 24 | 18u << 16 | 64u << 8 | 100u));
    assert_int_equal(nb[0].mac[5], 0x01);
    assert_int_equal(nb[1].ip, (198u << 24 | 18u << 16 | 64u << 8 | 13u));
    assert_int_equal(nb[1].mac[4], 0x01);
    assert_int_equal(nb[1].mac[5], 0x03);
    assert_false(sn_neigh_parse(json, nb, 1, &n));        /* more entries than room: an error */
    assert_true(sn_neigh_parse("[]", nb, 4, &n));
    assert_int_equal(n, 0);
    assert_false(sn_neigh_parse("{}", nb, 4, &n));
    assert_false(sn_neigh_parse("[{\"dst\":", nb, 4, &n));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_app_specs),
        cmocka_unit_test(test_hosts_by_group),
        cmocka_unit_test(test_oci_config),
        cmocka_unit_test(test_spec_roundtrip),
        cmocka_unit_test(test_validation),
        cmocka_unit_test(test_neigh_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
