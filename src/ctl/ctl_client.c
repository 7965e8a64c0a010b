/* ctl_client.c - one request/response exchange over the control socket. */
#include "ctl/ctl_client.h"
#include "common/buf.h"
#include "common/util.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define CTL_MAX_RESPONSE (16u << 20)

static int wait_fd(int fd, short ev, uint64_t deadline)
{
    for (;;) {
        uint64_t now = hs_now_ms();
        if (now >= deadline)
            return -1;
        struct pollfd p = {.fd = fd, .events = ev};
        int r = poll(&p, 1, (int)(deadline - now));
        if (r > 0)
            return 0;
        if (r < 0 && errno != EINTR)
            return -1;
    }
}

int hs_ctl_request(const char *path, const char *request, char **response, int timeout_ms,
                   char *err, unsigned err_size)
{
    *response = NULL;
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (!hs_strlcpy(sa.sun_path, path, sizeof sa.sun_path)) {
        snprintf(err, err_size, "control socket path too long: %s", path);
        return -1;
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(err, err_size, "socket: %s", strerror(errno));
        return -1;
    }
    uint64_t deadline = hs_now_ms() + (uint64_t)(timeout_ms > 0 ? timeout_ms : 5000);
    struct hs_buf in = HS_BUF_INIT;
    int rc = -1;
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        snprintf(err, err_size, "cannot reach the controller at %s: %s", path, strerror(errno));
        goto out;
    }
    size_t len = strlen(request), off = 0;
    while (off < len + 1) {
        const char *p = off < len ? request + off : "\n";
        size_t n = off < len ? len - off : 1;
        if (wait_fd(fd, POLLOUT, deadline) != 0) {
            snprintf(err, err_size, "timeout writing to %s", path);
            goto out;
        }
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            snprintf(err, err_size, "write to %s: %s", path, strerror(errno));
            goto out;
        }
        off += (size_t)w;
    }
    for (;;) {
        if (wait_fd(fd, POLLIN, deadline) != 0) {
            snprintf(err, err_size, "timeout waiting for the controller's answer on %s", path);
            goto out;
        }
        uint8_t *p = hs_buf_reserve(&in, 4096);
        ssize_t r = read(fd, p, 4096);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            snprintf(err, err_size, "read from %s: %s", path, strerror(errno));
            goto out;
        }
        if (r == 0)
            break;
        in.len += (size_t)r;
        if (memchr(p, '\n', (size_t)r))
            break;
        if (in.len > CTL_MAX_RESPONSE) {
            snprintf(err, err_size, "answer from %s larger than %u bytes", path, CTL_MAX_RESPONSE);
            goto out;
        }
    }
    uint8_t *nl = in.len ? memchr(in.data, '\n', in.len) : NULL;
    size_t n = nl ? (size_t)(nl - in.data) : in.len;
    if (n == 0) {
        snprintf(err, err_size, "empty answer from %s", path);
        goto out;
    }
    *response = xmalloc(n + 1);
    memcpy(*response, in.data, n);
    (*response)[n] = '\0';
    rc = 0;
out:
    hs_buf_free(&in);
    close(fd);
    return rc;
}
