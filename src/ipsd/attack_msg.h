/* attack_msg.h - the daemon's messages to the controller (pure): the attack report sent over
 * the control socket, and the check of the controller's answer. */
#ifndef HS_IPSD_ATTACK_MSG_H
#define HS_IPSD_ATTACK_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipsd/hold.h"

struct ipsd_attack {
    uint32_t attacker, server;          /* IPv4, host order */
    uint16_t attacker_port, server_port;
    uint32_t sid;                       /* 0 when unknown */
    uint64_t flow_id;
    const char *msg;                    /* signature text, may be NULL */
    uint64_t frame_us, verdict_us;      /* monotonic: the offending frame's arrival, the verdict
                                         * (0: unknown) */
    const struct ipsd_held_frame *frames;   /* held frames sent along (re-injected into the
                                             * honeypot by the controller), oldest first */
    size_t n_frames;
};

/* {"cmd":"attack","attacker":"A","port":N,"server":"S","server_port":N,"sid":N,
 *  "flow_id":N,"msg":"...","frame_us":N,"verdict_us":N,"frames":["HEX",...]} as one line
 * without newline (malloc'ed). At most IPSD_ATTACK_MAX_FRAMES frames and
 * IPSD_ATTACK_MAX_BYTES bytes are carried (the first ones: the offending request). NULL only
 * when out of memory. */
#define IPSD_ATTACK_MAX_FRAMES 32
#define IPSD_ATTACK_MAX_BYTES (48u * 1024)
char *ipsd_attack_request(const struct ipsd_attack *a);
/* True when answer is the controller's {"ok":true,...}; else a reason in why. */
bool ipsd_attack_answer_ok(const char *answer, char *why, size_t why_size);

#endif
