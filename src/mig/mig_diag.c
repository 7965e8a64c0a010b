/* mig_diag.c - sock_diag and neighbour netlink messages (pure). */
#include "mig/mig_diag.h"

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#define TCPF_ALL 0xfffu
#define TCPF_LISTEN_BIT (1u << 10)   /* TCP_LISTEN = 10 */

static void put_attr(struct hs_buf *b, uint16_t type, const void *data, uint16_t len)
{
    struct nlattr a = {.nla_len = (uint16_t)(NLA_HDRLEN + len), .nla_type = type};
    hs_buf_put(b, &a, sizeof a);
    hs_buf_put(b, data, len);
    size_t pad = NLA_ALIGN(len) - len;
    if (pad)
        hs_buf_put(b, NULL, pad);
}

void hs_mig_diag_build(enum hs_mig_diag_op op, uint32_t seq, const struct hs_mig_tuple *t,
                       struct hs_buf *out)
{
    struct {
        struct nlmsghdr nh;
        struct inet_diag_req_v2 r;
    } m;
    memset(&m, 0, sizeof m);
    m.nh.nlmsg_len = sizeof m;
    m.nh.nlmsg_seq = seq;
    m.nh.nlmsg_type = op == HS_MIG_DIAG_DESTROY ? SOCK_DESTROY : SOCK_DIAG_BY_FAMILY;
    m.nh.nlmsg_flags = NLM_F_REQUEST;
    m.r.sdiag_family = AF_INET;
    m.r.sdiag_protocol = IPPROTO_TCP;
    m.r.id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
    m.r.id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
    if (op == HS_MIG_DIAG_DUMP) {
        m.nh.nlmsg_flags |= NLM_F_DUMP;
        m.r.idiag_states = TCPF_ALL & ~TCPF_LISTEN_BIT;
    } else {
        if (op == HS_MIG_DIAG_DESTROY)
            m.nh.nlmsg_flags |= NLM_F_ACK;
        m.r.idiag_states = TCPF_ALL;
        m.r.id.idiag_sport = htons(t->local_port);
        m.r.id.idiag_dport = htons(t->remote_port);
        m.r.id.idiag_src[0] = htonl(t->local_ip);
        m.r.id.idiag_dst[0] = htonl(t->remote_ip);
    }
    hs_buf_put(out, &m, sizeof m);
}

int hs_mig_diag_parse(const uint8_t *buf, size_t len, uint32_t seq,
                      void (*on_sock)(const struct hs_mig_diag_sock *s, void *ctx), void *ctx,
                      int *error, char *err, size_t err_size)
{
    size_t off = 0;
    *error = 0;
    while (off + sizeof(struct nlmsghdr) <= len) {
        struct nlmsghdr nh;
        memcpy(&nh, buf + off, sizeof nh);
        if (nh.nlmsg_len < sizeof nh || nh.nlmsg_len > len - off) {
            snprintf(err, err_size, "netlink: bad message length %u", (unsigned)nh.nlmsg_len);
            return -1;
        }
        const uint8_t *body = buf + off + NLMSG_HDRLEN;
        size_t blen = nh.nlmsg_len >= NLMSG_HDRLEN ? nh.nlmsg_len - NLMSG_HDRLEN : 0;
        size_t next = NLMSG_ALIGN(nh.nlmsg_len);
        off = next > len - off ? len : off + next;
        if (nh.nlmsg_seq != seq)
            continue; /* someone else's (stale) answer */
        if (nh.nlmsg_type == NLMSG_DONE)
            return 1;
        if (nh.nlmsg_type == NLMSG_ERROR) {
            struct nlmsgerr e;
            if (blen < sizeof e.error) {
                snprintf(err, err_size, "netlink: short error message");
                return -1;
            }
            memcpy(&e.error, body, sizeof e.error);
            *error = e.error;
            return 1;
        }
        if (nh.nlmsg_type != SOCK_DIAG_BY_FAMILY) {
            snprintf(err, err_size, "netlink: unexpected message type %u", (unsigned)nh.nlmsg_type);
            return -1;
        }
        struct inet_diag_msg d;
        if (blen < sizeof d) {
            snprintf(err, err_size, "netlink: short inet_diag_msg (%zu bytes)", blen);
            return -1;
        }
        memcpy(&d, body, sizeof d);
        if (d.idiag_family != AF_INET) {
            if (!(nh.nlmsg_flags & NLM_F_MULTI))
                return 1;
            continue;
        }
        struct hs_mig_diag_sock s = {
            .t = {.local_ip = ntohl(d.id.idiag_src[0]), .remote_ip = ntohl(d.id.idiag_dst[0]),
                  .local_port = ntohs(d.id.idiag_sport), .remote_port = ntohs(d.id.idiag_dport)},
            .state = d.idiag_state,
            .inode = d.idiag_inode,
        };
        if (on_sock)
            on_sock(&s, ctx);
        if (!(nh.nlmsg_flags & NLM_F_MULTI))
            return 1; /* the single answer to an exact look-up */
    }
    if (off != len) {
        snprintf(err, err_size, "netlink: %zu trailing bytes", len - off);
        return -1;
    }
    return 0;
}

void hs_mig_neigh_build(uint32_t seq, int ifindex, uint32_t ip, const uint8_t mac[6],
                        struct hs_buf *out)
{
    size_t start = out->len;
    struct {
        struct nlmsghdr nh;
        struct ndmsg nd;
    } m;
    memset(&m, 0, sizeof m);
    m.nh.nlmsg_type = RTM_NEWNEIGH;
    m.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE;
    m.nh.nlmsg_seq = seq;
    m.nd.ndm_family = AF_INET;
    m.nd.ndm_ifindex = ifindex;
    m.nd.ndm_state = NUD_PERMANENT;
    hs_buf_put(out, &m, sizeof m);
    uint32_t be = htonl(ip);
    put_attr(out, NDA_DST, &be, 4);
    put_attr(out, NDA_LLADDR, mac, 6);
    uint32_t total = (uint32_t)(out->len - start);
    memcpy(out->data + start, &total, sizeof total); /* nlmsg_len is the first field */
}
