/* ctl_client.h - client side of the controller's unix-socket control channel.
 * Protocol: the client sends one JSON object on one line ({"cmd":"status"}); the daemon answers
 * one JSON object on one line ({"ok":true,...} or {"ok":false,"error":"..."}) and closes. */
#ifndef HS_CTL_CTL_CLIENT_H
#define HS_CTL_CTL_CLIENT_H

/* Send request (a JSON text without newline) to the socket at path and read the one-line answer
 * into *response (malloc'd, NUL-terminated, newline stripped). Returns 0, or -1 with a message
 * in err (connection refused, timeout after timeout_ms, oversized answer). */
int hs_ctl_request(const char *path, const char *request, char **response, int timeout_ms,
                   char *err, unsigned err_size);

#endif
