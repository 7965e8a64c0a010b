/* mig_req.h - the agents' requests (pure): JSON text <-> a checked struct.
 *
 *   {"cmd":"locate","local":"IP:PORT","remote":"IP:PORT"}  -> pid, host_pid, inode
 *   {"cmd":"dump","pid":N,"id":ID}                         -> ms, bytes, files, unix:[INO...]
 *   {"cmd":"dump","pid":N,"id":ID,"peer":HOST}  the same, and the images are streamed to HOST's
 *        agent while CRIU dumps (each file as CRIU closes it) -> + pushed, push_ms, early_bytes
 *   {"cmd":"push","id":ID,"peer":HOST}                     -> ms, bytes (images to HOST's agent)
 *   {"cmd":"recv","id":ID}  then an image stream           -> bytes, files
 *   {"cmd":"restore","id":ID,"client":IP,"client_mac":MAC,"unix":[INO...]}
 *                                                          -> pid, nest_pid, ms, closed
 *   {"cmd":"destroy","local":"IP:PORT","remote":"IP:PORT"} -> (SOCK_DESTROY)
 *   {"cmd":"release","client":IP}                          -> killed (restored processes)
 *   {"cmd":"forget","id":ID}                               -> (images removed)
 */
#ifndef HS_MIG_REQ_H
#define HS_MIG_REQ_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "mig/mig_diag.h"

#define HS_MIG_ID_MAX 48
#define HS_MIG_MAX_UNIX 16

enum hs_mig_cmd {
    HS_MIG_LOCATE, HS_MIG_DUMP, HS_MIG_PUSH, HS_MIG_RECV, HS_MIG_RESTORE, HS_MIG_DESTROY,
    HS_MIG_RELEASE, HS_MIG_FORGET,
};

struct hs_mig_req {
    enum hs_mig_cmd cmd;
    struct hs_mig_tuple tuple;      /* locate, destroy */
    pid_t pid;                      /* dump */
    char id[HS_MIG_ID_MAX];         /* dump, push, recv, restore, forget */
    char peer[16];                  /* push (and optionally dump): host name */
    uint32_t client_ip;             /* restore, release */
    uint8_t client_mac[6];          /* restore */
    uint64_t unix_inodes[HS_MIG_MAX_UNIX];
    size_t n_unix;                  /* restore */
};

/* Parse a request; -1 with a message naming the bad field. */
int hs_mig_req_parse(const char *json, size_t len, struct hs_mig_req *out, char *err,
                     size_t err_size);
/* Serialise a request (malloc'd NUL-terminated text; caller frees). */
char *hs_mig_req_format(const struct hs_mig_req *r);
/* True for an identifier made of [a-z0-9-], 1-47 characters. */
int hs_mig_id_ok(const char *id);
/* Parse "a.b.c.d:port" (port 1-65535); -1 on error. */
int hs_mig_parse_endpoint(const char *s, uint32_t *ip, uint16_t *port);

#endif
