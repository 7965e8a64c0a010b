/* test_mig.c - pure parts of the relocation: frames and MACs, handshake, image stream, CRIU
 * argv, sock_diag / neighbour messages, flow text, requests. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "mig/mig_criu.h"
#include "mig/mig_diag.h"
#include "mig/mig_flows.h"
#include "mig/mig_frame.h"
#include "mig/mig_imgstream.h"
#include "mig/mig_req.h"

static const uint8_t K[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
static const uint8_t K2[32] = {9, 9, 9};

static void session(const uint8_t *key, struct hs_mig_session *s)
{
    uint8_t nc[32] = {7}, ns[32] = {8};
    hs_mig_session_derive(key, nc, ns, s);
}

static void test_frame_roundtrip_and_tamper(void **st)
{
    (void)st;
    struct hs_mig_session s, bad;
    session(K, &s);
    session(K2, &bad);
    struct hs_buf b = HS_BUF_INIT;
    assert_true(hs_mig_frame_encode(&s, 'C', 5, HS_MIG_T_REQ, "{\"cmd\":1}", 9, &b));
    assert_int_equal(b.len, HS_MIG_HDR_LEN + 9 + HS_MIG_TAG_LEN);
    struct hs_mig_frame f;
    size_t used, need;
    char err[128];
    /* incomplete input asks for more, telling the total size */
    assert_int_equal(hs_mig_frame_decode(&s, 'C', 5, b.data, 10, &f, &used, &need, err, 128),
                     HS_MIG_DEC_MORE);
    assert_int_equal(hs_mig_frame_decode(&s, 'C', 5, b.data, b.len - 1, &f, &used, &need, err,
                                         128), HS_MIG_DEC_MORE);
    assert_int_equal(need, b.len);
    assert_int_equal(hs_mig_frame_decode(&s, 'C', 5, b.data, b.len, &f, &used, &need, err, 128),
                     HS_MIG_DEC_OK);
    assert_int_equal(used, b.len);
    assert_int_equal(f.type, HS_MIG_T_REQ);
    assert_memory_equal(f.payload, "{\"cmd\":1}", 9);
    /* wrong key, wrong sequence (replay), reflected direction, flipped payload bit */
    assert_int_equal(hs_mig_frame_decode(&bad, 'C', 5, b.data, b.len, &f, &used, &need, err,
                                         128), HS_MIG_DEC_ERR);
    assert_non_null(strstr(err, "MAC"));
    assert_int_equal(hs_mig_frame_decode(&s, 'C', 6, b.data, b.len, &f, &used, &need, err, 128),
                     HS_MIG_DEC_ERR);
    assert_non_null(strstr(err, "sequence"));
    assert_int_equal(hs_mig_frame_decode(&s, 'S', 5, b.data, b.len, &f, &used, &need, err, 128),
                     HS_MIG_DEC_ERR);
    b.data[HS_MIG_HDR_LEN + 2] ^= 1;
    assert_int_equal(hs_mig_frame_decode(&s, 'C', 5, b.data, b.len, &f, &used, &need, err, 128),
                     HS_MIG_DEC_ERR);
    /* the vectored form (header, payload, tag) is the same frame */
    uint8_t hdr[HS_MIG_HDR_LEN], tag[HS_MIG_TAG_LEN];
    assert_true(hs_mig_frame_seal(&s, 'C', 5, HS_MIG_T_REQ, "{\"cmd\":1}", 9, hdr, tag));
    assert_memory_equal(b.data, hdr, HS_MIG_HDR_LEN);
    assert_memory_equal(b.data + HS_MIG_HDR_LEN + 9, tag, HS_MIG_TAG_LEN);
    assert_false(hs_mig_frame_seal(&s, 'C', 5, HS_MIG_T_REQ, "", HS_MIG_MAX_PAYLOAD + 1, hdr,
                                   tag));
    /* an oversized length is refused before waiting for it */
    b.data[HS_MIG_HDR_LEN + 2] ^= 1;
    hs_st32(b.data + 8, HS_MIG_MAX_PAYLOAD + 1);
    assert_int_equal(hs_mig_frame_decode(&s, 'C', 5, b.data, b.len, &f, &used, &need, err, 128),
                     HS_MIG_DEC_ERR);
    hs_buf_free(&b);
}

static void test_handshake(void **st)
{
    (void)st;
    uint8_t nc[32], ns[32], hello[HS_MIG_HELLO_LEN], ch[HS_MIG_CHALLENGE_LEN];
    uint8_t proof[HS_MIG_PROOF_LEN], got_nc[32], got_ns[32];
    memset(nc, 0x11, 32);
    memset(ns, 0x22, 32);
    hs_mig_hello_build(nc, hello);
    assert_true(hs_mig_hello_parse(hello, got_nc));
    assert_memory_equal(got_nc, nc, 32);
    hs_mig_challenge_build(K, nc, ns, ch);
    assert_true(hs_mig_challenge_check(K, nc, ch, got_ns));
    assert_memory_equal(got_ns, ns, 32);
    /* a server without the key cannot prove itself, a client without it neither */
    uint8_t fake[HS_MIG_CHALLENGE_LEN];
    hs_mig_challenge_build(K2, nc, ns, fake);
    assert_false(hs_mig_challenge_check(K, nc, fake, got_ns));
    hs_mig_clientproof_build(K, nc, ns, proof);
    assert_true(hs_mig_clientproof_check(K, nc, ns, proof));
    hs_mig_clientproof_build(K2, nc, ns, proof);
    assert_false(hs_mig_clientproof_check(K, nc, ns, proof));
    /* a proof for other nonces (replayed) fails */
    uint8_t ns2[32];
    memset(ns2, 0x23, 32);
    hs_mig_clientproof_build(K, nc, ns2, proof);
    assert_false(hs_mig_clientproof_check(K, nc, ns, proof));
}

static void test_imgstream(void **st)
{
    (void)st;
    struct hs_mig_imgrx rx;
    struct hs_mig_img_event ev;
    struct hs_buf p = HS_BUF_INIT;
    char err[128];
    hs_mig_imgrx_init(&rx);
    assert_true(hs_mig_img_file_payload("pages-1.img", 5, 0600, &p));
    assert_int_equal(hs_mig_imgrx_feed(&rx, HS_MIG_T_IMG_FILE, p.data, p.len, &ev, err, 128), 0);
    assert_int_equal(ev.kind, HS_MIG_IMG_BEGIN);
    assert_string_equal(ev.name, "pages-1.img");
    assert_false(ev.done);
    /* a new file before the data is complete is refused */
    assert_int_equal(hs_mig_imgrx_feed(&rx, HS_MIG_T_IMG_FILE, p.data, p.len, &ev, err, 128), -1);
    assert_int_equal(hs_mig_imgrx_feed(&rx, HS_MIG_T_IMG_DATA, (const uint8_t *)"abc", 3, &ev,
                                       err, 128), 0);
    assert_false(ev.done);
    /* more than announced */
    struct hs_mig_imgrx copy = rx;
    assert_int_equal(hs_mig_imgrx_feed(&copy, HS_MIG_T_IMG_DATA, (const uint8_t *)"abc", 3, &ev,
                                       err, 128), -1);
    assert_int_equal(hs_mig_imgrx_feed(&rx, HS_MIG_T_IMG_DATA, (const uint8_t *)"de", 2, &ev, err,
                                       128), 0);
    assert_true(ev.done);
    hs_buf_clear(&p);
    hs_mig_img_end_payload(1, 6, &p); /* wrong total */
    copy = rx;
    assert_int_equal(hs_mig_imgrx_feed(&copy, HS_MIG_T_IMG_END, p.data, p.len, &ev, err, 128), -1);
    hs_buf_clear(&p);
    hs_mig_img_end_payload(1, 5, &p);
    assert_int_equal(hs_mig_imgrx_feed(&rx, HS_MIG_T_IMG_END, p.data, p.len, &ev, err, 128), 0);
    assert_int_equal(ev.kind, HS_MIG_IMG_END);
    assert_int_equal(hs_mig_imgrx_feed(&rx, HS_MIG_T_IMG_END, p.data, p.len, &ev, err, 128), -1);
    /* names that would leave the directory */
    assert_false(hs_mig_img_name_ok("../x", 4));
    assert_false(hs_mig_img_name_ok("a/b", 3));
    assert_false(hs_mig_img_name_ok(".hidden", 7));
    assert_false(hs_mig_img_file_payload("a/b", 1, 0, &p));
    hs_buf_free(&p);
}

static void test_img_parts(void **st)
{
    (void)st;
    char base[HS_MIG_IMG_NAME_MAX];
    assert_int_equal(hs_mig_img_part_of("pages-1.img", base, sizeof base), -1);
    assert_int_equal(hs_mig_img_part_of("pages-1.img.hs-part0", base, sizeof base), 0);
    assert_string_equal(base, "pages-1.img");
    assert_int_equal(hs_mig_img_part_of("pages-1.img.hs-part12", base, sizeof base), 12);
    assert_int_equal(hs_mig_img_part_of(".hs-part1", base, sizeof base), -2);
    assert_int_equal(hs_mig_img_part_of("a.hs-part", base, sizeof base), -2);
    assert_int_equal(hs_mig_img_part_of("a.hs-part1x", base, sizeof base), -2);
    assert_int_equal(hs_mig_img_part_of("a.hs-part1234567", base, sizeof base), -2);
    assert_int_equal(hs_mig_img_part_of("abcdef.hs-part1", base, 4), -2); /* base too long */
}

static void test_criu_argv(void **st)
{
    (void)st;
    uint64_t ino[2] = {111, 222};
    struct hs_mig_dump_spec d = {.criu = "/c/criu", .pid = 5, .dir = "/dev/shm/x",
                                 .unix_inodes = ino, .n_unix = 2};
    struct hs_mig_argv a = {0};
    char err[128];
    assert_int_equal(hs_mig_criu_dump_argv(&d, &a, err, 128), 0);
    const char *want[] = {"/c/criu", "dump", "-t", "5", "-D", "/dev/shm/x", "-o", "dump.log",
                          "--leave-running", "--skip-in-flight", "--tcp-established",
                          "--shell-job", "--network-lock", "skip", "--external", "unix[111]",
                          "--external", "unix[222]"};
    assert_int_equal(a.n, sizeof want / sizeof *want);
    for (size_t i = 0; i < a.n; i++)
        assert_string_equal(a.v[i], want[i]);
    assert_null(a.v[a.n]);
    hs_mig_argv_free(&a);
    d.dir = "relative";
    assert_int_equal(hs_mig_criu_dump_argv(&d, &a, err, 128), -1);
    hs_mig_argv_free(&a);

    int fds[2] = {100, 101};
    struct hs_mig_restore_spec r = {.criu = "/c/criu", .dir = "/d", .pidfile = "/d/p",
                                    .log = "/l/r.log", .unix_inodes = ino, .fds = fds,
                                    .n_unix = 2};
    assert_int_equal(hs_mig_criu_restore_argv(&r, &a, err, 128), 0);
    assert_string_equal(a.v[1], "restore");
    assert_string_equal(a.v[5], "/l/r.log");
    assert_string_equal(a.v[6], "--restore-detached");
    assert_string_equal(a.v[a.n - 1], "fd[101]:socket:[222]");
    assert_string_equal(a.v[a.n - 3], "fd[100]:socket:[111]");
    hs_mig_argv_free(&a);
    fds[0] = 1; /* would replace stdout */
    assert_int_equal(hs_mig_criu_restore_argv(&r, &a, err, 128), -1);
    hs_mig_argv_free(&a);
}

static struct hs_mig_diag_sock seen;
static int n_seen;
static void on_sock(const struct hs_mig_diag_sock *s, void *ctx)
{
    (void)ctx;
    seen = *s;
    n_seen++;
}

static void test_diag(void **st)
{
    (void)st;
    struct hs_mig_tuple t = {.local_ip = 0xc6120050, .remote_ip = 0xc612000b, .local_port = 80,
                             .remote_port = 40000};
    struct hs_buf b = HS_BUF_INIT;
    hs_mig_diag_build(HS_MIG_DIAG_DESTROY, 77, &t, &b);
    struct nlmsghdr nh;
    struct inet_diag_req_v2 r;
    assert_int_equal(b.len, sizeof nh + sizeof r);
    memcpy(&nh, b.data, sizeof nh);
    memcpy(&r, b.data + sizeof nh, sizeof r);
    assert_int_equal(nh.nlmsg_type, SOCK_DESTROY);
    assert_true(nh.nlmsg_flags & NLM_F_ACK);
    assert_int_equal(nh.nlmsg_seq, 77);
    assert_int_equal(ntohs(r.id.idiag_sport), 80);
    assert_int_equal(ntohs(r.id.idiag_dport), 40000);
    assert_int_equal(ntohl(r.id.idiag_dst[0]), 0xc612000b);
    hs_buf_clear(&b);
    hs_mig_diag_build(HS_MIG_DIAG_DUMP, 78, NULL, &b);
    memcpy(&nh, b.data, sizeof nh);
    memcpy(&r, b.data + sizeof nh, sizeof r);
    assert_true(nh.nlmsg_flags & NLM_F_DUMP);
    assert_false(r.idiag_states & (1u << 10)); /* no listeners */

    /* a reply: one socket (multipart), then DONE; a stale answer with another seq ignored */
    uint8_t rep[3 * NLMSG_SPACE(sizeof(struct inet_diag_msg))];
    memset(rep, 0, sizeof rep);
    size_t off = 0;
    for (int k = 0; k < 2; k++) {
        struct nlmsghdr h = {.nlmsg_len = NLMSG_LENGTH(sizeof(struct inet_diag_msg)),
                             .nlmsg_type = SOCK_DIAG_BY_FAMILY, .nlmsg_flags = NLM_F_MULTI,
                             .nlmsg_seq = k ? 78 : 1};
        struct inet_diag_msg m = {.idiag_family = AF_INET, .idiag_state = 1,
                                  .idiag_inode = k ? 4242 : 1};
        m.id.idiag_sport = htons(80);
        m.id.idiag_dport = htons(40000);
        m.id.idiag_src[0] = htonl(t.local_ip);
        m.id.idiag_dst[0] = htonl(t.remote_ip);
        memcpy(rep + off, &h, sizeof h);
        memcpy(rep + off + NLMSG_HDRLEN, &m, sizeof m);
        off += NLMSG_SPACE(sizeof m);
    }
    struct nlmsghdr done = {.nlmsg_len = NLMSG_LENGTH(4), .nlmsg_type = NLMSG_DONE,
                            .nlmsg_seq = 78};
    memcpy(rep + off, &done, sizeof done);
    off += NLMSG_SPACE(4);
    int e = 1;
    char err[128];
    n_seen = 0;
    assert_int_equal(hs_mig_diag_parse(rep, off, 78, on_sock, NULL, &e, err, 128), 1);
    assert_int_equal(n_seen, 1);
    assert_int_equal(seen.inode, 4242);
    assert_int_equal(seen.t.remote_port, 40000);
    assert_int_equal(e, 0);
    /* truncated message */
    assert_int_equal(hs_mig_diag_parse(rep, 20, 78, on_sock, NULL, &e, err, 128), -1);

    /* neighbour: length covers both attributes, MAC present */
    uint8_t mac[6] = {2, 0, 0xc6, 0x12, 0, 0xb};
    hs_buf_clear(&b);
    hs_mig_neigh_build(9, 3, 0xc612000b, mac, &b);
    memcpy(&nh, b.data, sizeof nh);
    assert_int_equal(nh.nlmsg_len, b.len);
    assert_memory_equal(b.data + b.len - 8, mac, 6);
    hs_buf_free(&b);
}

static void test_flows(void **st)
{
    (void)st;
    struct hs_mig_flow_ctx c = {.client_ip = 0xc612000b, .server_ip = 0xc6120050,
                                .client_port = 2, .prod_port = 3, .hp_port = 4};
    struct hs_buf b = HS_BUF_INIT;
    hs_mig_flows_block(&c, &b);
    hs_buf_put_u8(&b, 0);
    const char *s = (const char *)b.data;
    assert_non_null(strstr(s, "priority=2100,cookie=0x4d470001c612000b,ip,in_port=2,"
                              "nw_src=198.18.0.11,nw_dst=198.18.0.80,actions=drop\n"));
    assert_non_null(strstr(s, "in_port=3,nw_src=198.18.0.80,nw_dst=198.18.0.11,actions=drop\n"));
    assert_non_null(strstr(s, "cookie=0x4d470002c612000b,ip,in_port=4,nw_src=198.18.0.80,"
                              "nw_dst=198.18.0.11,actions=output:2\n"));
    assert_null(strstr(s, "output:4")); /* client->honeypot only after the restore */
    hs_buf_clear(&b);
    hs_mig_flows_open(&c, &b);
    hs_buf_put_u8(&b, 0);
    assert_non_null(strstr((const char *)b.data, "priority=2200,cookie=0x4d470003c612000b,ip,"
                                                 "in_port=2,nw_src=198.18.0.11,nw_dst=198.18.0.80,"
                                                 "actions=output:4"));
    char sel[64];
    hs_mig_flows_select(0, c.client_ip, sel);
    assert_string_equal(sel, "cookie=0x4d470000c612000b/0xffff0000ffffffff");
    assert_int_equal(hs_mig_cookie(HS_MIG_FK_DROP, 1) >> 48, 0x4d47); /* never 0x4853 */
    hs_buf_free(&b);
}

static void test_req(void **st)
{
    (void)st;
    struct hs_mig_req r = {.cmd = HS_MIG_RESTORE, .client_ip = 0xc612000b, .n_unix = 2,
                           .unix_inodes = {5, 6}, .client_mac = {2, 0, 0, 0, 0, 1}};
    strcpy(r.id, "s1-ab");
    char *js = hs_mig_req_format(&r);
    struct hs_mig_req p;
    char err[128];
    assert_int_equal(hs_mig_req_parse(js, strlen(js), &p, err, 128), 0);
    free(js);
    assert_int_equal(p.cmd, HS_MIG_RESTORE);
    assert_int_equal(p.client_ip, 0xc612000b);
    assert_int_equal(p.n_unix, 2);
    assert_int_equal(p.unix_inodes[1], 6);
    assert_string_equal(p.id, "s1-ab");
    const char *bad[] = {"[]", "{\"cmd\":\"dump\",\"pid\":5,\"id\":\"../x\"}",
                         "{\"cmd\":\"nope\"}", "{\"cmd\":\"locate\",\"local\":\"1.2.3.4\"}",
                         "{\"cmd\":\"dump\",\"pid\":-1,\"id\":\"a\"}", "{\"cmd\":"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(hs_mig_req_parse(bad[i], strlen(bad[i]), &p, err, 128), -1);
    uint32_t ip;
    uint16_t port;
    assert_int_equal(hs_mig_parse_endpoint("198.18.0.11:40000", &ip, &port), 0);
    assert_int_equal(port, 40000);
    assert_int_equal(hs_mig_parse_endpoint("198.18.0.11:0", &ip, &port), -1);
    assert_int_equal(hs_mig_parse_endpoint("198.18.0.11:70000", &ip, &port), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frame_roundtrip_and_tamper),
        cmocka_unit_test(test_handshake),
        cmocka_unit_test(test_imgstream),
        cmocka_unit_test(test_img_parts),
        cmocka_unit_test(test_criu_argv),
        cmocka_unit_test(test_diag),
        cmocka_unit_test(test_flows),
        cmocka_unit_test(test_req),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
