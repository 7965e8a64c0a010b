/* mig_diag.h - netlink messages of the relocation (pure): sock_diag look-up, dump and
 * SOCK_DESTROY of IPv4 TCP sockets, the reply parser, and an RTM_NEWNEIGH for a static
 * neighbour. Addresses and ports in host byte order. */
#ifndef HS_MIG_DIAG_H
#define HS_MIG_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"

/* One end-to-end TCP connection as seen from the local socket. */
struct hs_mig_tuple {
    uint32_t local_ip, remote_ip;
    uint16_t local_port, remote_port;
};

enum hs_mig_diag_op {
    HS_MIG_DIAG_LOOKUP,     /* SOCK_DIAG_BY_FAMILY for exactly this tuple */
    HS_MIG_DIAG_DUMP,       /* SOCK_DIAG_BY_FAMILY, NLM_F_DUMP, all states but LISTEN */
    HS_MIG_DIAG_DESTROY,    /* SOCK_DESTROY for exactly this tuple, with an ACK */
};

/* Build one request into out (tuple ignored for DUMP). */
void hs_mig_diag_build(enum hs_mig_diag_op op, uint32_t seq, const struct hs_mig_tuple *t,
                       struct hs_buf *out);

/* One socket from a reply. */
struct hs_mig_diag_sock {
    struct hs_mig_tuple t;
    uint8_t state;          /* TCP_ESTABLISHED = 1 ... */
    uint32_t inode;
};

/* Parse a reply datagram. For every socket entry on_sock is called. Returns 1 when the reply
 * is complete (NLMSG_DONE, a single non-multipart answer, or an NLMSG_ERROR / ACK: *error gets
 * -errno or 0), 0 when more
 * datagrams follow, -1 on a malformed message (with a message). */
int hs_mig_diag_parse(const uint8_t *buf, size_t len, uint32_t seq,
                      void (*on_sock)(const struct hs_mig_diag_sock *s, void *ctx), void *ctx,
                      int *error, char *err, size_t err_size);

/* RTM_NEWNEIGH (create or replace, NUD_PERMANENT) of ip -> mac on interface ifindex. */
void hs_mig_neigh_build(uint32_t seq, int ifindex, uint32_t ip, const uint8_t mac[6],
                        struct hs_buf *out);

#endif
