/* mig_chan.h - an authenticated agent connection (I/O): TCP, the mutual HMAC handshake and
 * MAC'd frames (mig_frame.h), every operation bounded by the channel's deadline. */
#ifndef HS_MIG_CHAN_H
#define HS_MIG_CHAN_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "mig/mig_frame.h"

struct json_t;

struct hs_mig_chan {
    int fd;
    struct hs_mig_session s;
    uint8_t tx_dir, rx_dir;
    uint64_t tx_seq, rx_seq;
    struct hs_buf in;           /* received bytes; the last frame returned sits at its start */
    size_t last;                /* bytes of the last returned frame (consumed on the next recv) */
    uint64_t deadline_ms;       /* hs_now_ms() limit for every operation */
};

/* Connect to ip:port (host byte order) and authenticate as client; -1 with a message. */
int hs_mig_chan_connect(uint32_t ip, uint16_t port, const uint8_t key[HS_MIG_KEY_LEN],
                        uint64_t deadline_ms, struct hs_mig_chan *c, char *err, size_t err_size);
/* Authenticate an accepted connection as server (takes fd); -1 with a message. */
int hs_mig_chan_accept(int fd, const uint8_t key[HS_MIG_KEY_LEN], uint64_t deadline_ms,
                       struct hs_mig_chan *c, char *err, size_t err_size);
/* Send one frame; -1 with a message. */
int hs_mig_chan_send(struct hs_mig_chan *c, uint8_t type, const void *p, size_t len, char *err,
                     size_t err_size);
/* Receive one frame (valid until the next call); 0, or -1 with a message (EOF, timeout, bad
 * frame). */
int hs_mig_chan_recv(struct hs_mig_chan *c, struct hs_mig_frame *f, char *err, size_t err_size);
/* Send a JSON request, wait for its JSON response; 0 with *resp (caller decrefs) when the
 * response says ok, -1 with the peer's error or the transport's. */
int hs_mig_chan_call(struct hs_mig_chan *c, const char *req_json, struct json_t **resp,
                     char *err, size_t err_size);
void hs_mig_chan_close(struct hs_mig_chan *c);

/* The agent key: load exactly 32 bytes from a file not readable by group/others; -1 with a
 * message. */
int hs_mig_key_load(const char *path, uint8_t key[HS_MIG_KEY_LEN], char *err, size_t err_size);
/* Create a new key file (mode 0600, must not exist) from the kernel's random source. */
int hs_mig_key_generate(const char *path, char *err, size_t err_size);

#endif
