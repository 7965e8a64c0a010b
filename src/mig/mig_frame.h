/* mig_frame.h - the agents' wire protocol (pure): the HMAC-SHA256 challenge-response that both
 * ends of a connection run, and the framed, sequenced, MAC'd messages that follow.
 *
 * Handshake (K = the shared 32-byte key, Nc/Ns = 32 random bytes from client/server):
 *   C->S  "HSMH" 0x01 Nc                       (37 bytes)
 *   S->C  "HSMS" Ns HMAC(K, "hs-mig server" Nc Ns)   (68 bytes)
 *   C->S  "HSMC" HMAC(K, "hs-mig client" Nc Ns)      (36 bytes)
 * Both sides then use the session key HMAC(K, "hs-mig session" Nc Ns).
 *
 * Frame: "HSM1" type(1) dir(1) 0 0 | len(4, BE) | seq(8, BE) | payload[len] | tag(16)
 * with tag = GMAC(session, nonce dir 0 0 0 seq(8, BE), header payload), i.e. AES-256-GCM with
 * an empty plaintext and the frame as additional data (was HMAC-SHA256, 5x slower per byte);
 * dir is 'C' (client to server) or 'S'; each direction numbers its frames from 0, so replayed,
 * reordered, reflected or forged frames fail. */
#ifndef HS_MIG_FRAME_H
#define HS_MIG_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"

#define HS_MIG_KEY_LEN 32
#define HS_MIG_NONCE_LEN 32
#define HS_MIG_MAC_LEN 32
#define HS_MIG_HDR_LEN 20
#define HS_MIG_TAG_LEN 16 /* a frame's GMAC tag */
#define HS_MIG_MAX_PAYLOAD (1024u * 1024u)
#define HS_MIG_HELLO_LEN 37
#define HS_MIG_CHALLENGE_LEN 68
#define HS_MIG_PROOF_LEN 36

#define HS_MIG_DIR_C 'C'
#define HS_MIG_DIR_S 'S'

enum hs_mig_type {
    HS_MIG_T_REQ = 1,       /* JSON request {"cmd": ...} */
    HS_MIG_T_RESP = 2,      /* JSON response {"ok": true|false, ...} */
    HS_MIG_T_IMG_FILE = 3,  /* image stream: a file starts (see mig_imgstream.h) */
    HS_MIG_T_IMG_DATA = 4,  /* image stream: bytes of the current file */
    HS_MIG_T_IMG_END = 5,   /* image stream: end, with totals */
};

/* Derived secrets of one authenticated connection. */
struct hs_mig_session {
    uint8_t key[HS_MIG_KEY_LEN];
};

/* HMAC(key, label || nc || ns) into out[32]. */
void hs_mig_proof(const uint8_t key[HS_MIG_KEY_LEN], const char *label,
                  const uint8_t nc[HS_MIG_NONCE_LEN], const uint8_t ns[HS_MIG_NONCE_LEN],
                  uint8_t out[HS_MIG_MAC_LEN]);
/* Build the three handshake messages into out (fixed sizes above). */
void hs_mig_hello_build(const uint8_t nc[HS_MIG_NONCE_LEN], uint8_t out[HS_MIG_HELLO_LEN]);
void hs_mig_challenge_build(const uint8_t key[HS_MIG_KEY_LEN], const uint8_t nc[HS_MIG_NONCE_LEN],
                            const uint8_t ns[HS_MIG_NONCE_LEN], uint8_t out[HS_MIG_CHALLENGE_LEN]);
void hs_mig_clientproof_build(const uint8_t key[HS_MIG_KEY_LEN], const uint8_t nc[HS_MIG_NONCE_LEN],
                              const uint8_t ns[HS_MIG_NONCE_LEN], uint8_t out[HS_MIG_PROOF_LEN]);
/* Parse a hello: false on a bad magic/version; nc receives the client nonce. */
bool hs_mig_hello_parse(const uint8_t in[HS_MIG_HELLO_LEN], uint8_t nc[HS_MIG_NONCE_LEN]);
/* Client side: check the server's proof (constant time) and take its nonce; false if wrong. */
bool hs_mig_challenge_check(const uint8_t key[HS_MIG_KEY_LEN], const uint8_t nc[HS_MIG_NONCE_LEN],
                            const uint8_t in[HS_MIG_CHALLENGE_LEN], uint8_t ns[HS_MIG_NONCE_LEN]);
/* Server side: check the client's proof (constant time); false if wrong. */
bool hs_mig_clientproof_check(const uint8_t key[HS_MIG_KEY_LEN], const uint8_t nc[HS_MIG_NONCE_LEN],
                              const uint8_t ns[HS_MIG_NONCE_LEN], const uint8_t in[HS_MIG_PROOF_LEN]);
/* The session key both sides derive after a successful handshake. */
void hs_mig_session_derive(const uint8_t key[HS_MIG_KEY_LEN], const uint8_t nc[HS_MIG_NONCE_LEN],
                           const uint8_t ns[HS_MIG_NONCE_LEN], struct hs_mig_session *s);

/* Build one frame's header and tag (the frame is hdr, payload, tag; for a vectored write).
 * payload_len at most HS_MIG_MAX_PAYLOAD (checked: false). */
bool hs_mig_frame_seal(const struct hs_mig_session *s, uint8_t dir, uint64_t seq, uint8_t type,
                       const void *payload, size_t payload_len, uint8_t hdr[HS_MIG_HDR_LEN],
                       uint8_t tag[HS_MIG_TAG_LEN]);
/* Append one frame to out. payload_len must be at most HS_MIG_MAX_PAYLOAD (checked: false). */
bool hs_mig_frame_encode(const struct hs_mig_session *s, uint8_t dir, uint64_t seq, uint8_t type,
                         const void *payload, size_t payload_len, struct hs_buf *out);

/* A decoded frame; payload points into the decoder's input. */
struct hs_mig_frame {
    uint8_t type;
    const uint8_t *payload;
    size_t len;
};

enum { HS_MIG_DEC_ERR = -1, HS_MIG_DEC_MORE = 0, HS_MIG_DEC_OK = 1 };
/* Decode the frame at the start of in[len] sent in direction dir with sequence number seq:
 * HS_MIG_DEC_OK (*consumed bytes used), HS_MIG_DEC_MORE (incomplete; *need is the total size
 * when the header is known, else HS_MIG_HDR_LEN), or HS_MIG_DEC_ERR with a message (bad magic,
 * direction, length, sequence or MAC; unknown type). */
int hs_mig_frame_decode(const struct hs_mig_session *s, uint8_t dir, uint64_t seq,
                        const uint8_t *in, size_t len, struct hs_mig_frame *out, size_t *consumed,
                        size_t *need, char *err, size_t err_size);

#endif
