/* attack_msg.h - the daemon's messages to the controller (pure): the attack report sent over
 * the control socket, and the check of the controller's answer. */
#ifndef HS_IPSD_ATTACK_MSG_H
#define HS_IPSD_ATTACK_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ipsd_attack {
    uint32_t attacker, server;          /* IPv4, host order */
    uint16_t attacker_port, server_port;
    uint32_t sid;                       /* 0 when unknown */
    uint64_t flow_id;
    const char *msg;                    /* signature text, may be NULL */
};

/* {"cmd":"attack","attacker":"A","port":N,"server":"S","server_port":N,"sid":N,
 *  "flow_id":N,"msg":"..."} as one line without newline (malloc'ed); NULL when msg is not
 * valid UTF-8 after cleaning (never: invalid bytes are replaced). */
char *ipsd_attack_request(const struct ipsd_attack *a);
/* True when answer is the controller's {"ok":true,...}; else a reason in why. */
bool ipsd_attack_answer_ok(const char *answer, char *why, size_t why_size);

#endif
