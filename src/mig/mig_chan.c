/* mig_chan.c - authenticated agent connections and the key file (I/O). */
#include "mig/mig_chan.h"
#include "common/util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

static int wait_fd(int fd, short ev, uint64_t deadline_ms)
{
    for (;;) {
        uint64_t now = hs_now_ms();
        if (now >= deadline_ms) {
            errno = ETIMEDOUT;
            return -1;
        }
        struct pollfd p = {.fd = fd, .events = ev};
        int r = poll(&p, 1, (int)(deadline_ms - now));
        if (r > 0)
            return 0;
        if (r < 0 && errno != EINTR)
            return -1;
    }
}

static int write_all(int fd, const void *buf, size_t len, uint64_t deadline_ms)
{
    const uint8_t *p = buf;
    while (len) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            p += n;
            len -= (size_t)n;
        } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            if (wait_fd(fd, POLLOUT, deadline_ms) != 0)
                return -1;
        } else {
            return -1;
        }
    }
    return 0;
}

/* Read at least until b->len >= want. 0, or -1 (errno; ECONNRESET for EOF). */
static int read_until(int fd, struct hs_buf *b, size_t want, uint64_t deadline_ms)
{
    while (b->len < want) {
        size_t room = want - b->len < 65536 ? 65536 : want - b->len;
        uint8_t *p = hs_buf_reserve(b, room);
        ssize_t n = recv(fd, p, room, MSG_DONTWAIT);
        if (n > 0) {
            b->len += (size_t)n;
        } else if (n == 0) {
            errno = ECONNRESET;
            return -1;
        } else if (errno == EAGAIN || errno == EINTR) {
            if (wait_fd(fd, POLLIN, deadline_ms) != 0)
                return -1;
        } else {
            return -1;
        }
    }
    return 0;
}

static void chan_init(struct hs_mig_chan *c, int fd, uint64_t deadline_ms)
{
    memset(c, 0, sizeof *c);
    c->fd = fd;
    c->deadline_ms = deadline_ms;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static int random_bytes(uint8_t *p, size_t n)
{
    while (n) {
        ssize_t r = getrandom(p, n, 0);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

int hs_mig_chan_connect(uint32_t ip, uint16_t port, const uint8_t key[HS_MIG_KEY_LEN],
                        uint64_t deadline_ms, struct hs_mig_chan *c, char *err, size_t err_size)
{
    char a[16];
    hs_format_ipv4(ip, a);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        snprintf(err, err_size, "socket: %s", strerror(errno));
        return -1;
    }
    chan_init(c, fd, deadline_ms);
    c->tx_dir = HS_MIG_DIR_C;
    c->rx_dir = HS_MIG_DIR_S;
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port),
                             .sin_addr.s_addr = htonl(ip)};
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        int soerr = errno;
        if (errno == EINPROGRESS) {
            socklen_t sl = sizeof soerr;
            if (wait_fd(fd, POLLOUT, deadline_ms) != 0)
                soerr = errno;
            else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0)
                soerr = errno;
        }
        if (soerr) {
            snprintf(err, err_size, "agent %s:%u: connect: %s", a, (unsigned)port,
                     strerror(soerr));
            hs_mig_chan_close(c);
            return -1;
        }
    }
    uint8_t nc[HS_MIG_NONCE_LEN], ns[HS_MIG_NONCE_LEN], hello[HS_MIG_HELLO_LEN];
    uint8_t proof[HS_MIG_PROOF_LEN];
    if (random_bytes(nc, sizeof nc) != 0) {
        snprintf(err, err_size, "getrandom: %s", strerror(errno));
        hs_mig_chan_close(c);
        return -1;
    }
    hs_mig_hello_build(nc, hello);
    if (write_all(fd, hello, sizeof hello, deadline_ms) != 0 ||
        read_until(fd, &c->in, HS_MIG_CHALLENGE_LEN, deadline_ms) != 0) {
        snprintf(err, err_size, "agent %s:%u: handshake: %s", a, (unsigned)port, strerror(errno));
        hs_mig_chan_close(c);
        return -1;
    }
    if (!hs_mig_challenge_check(key, nc, c->in.data, ns)) {
        snprintf(err, err_size, "agent %s:%u: authentication failed (the agent does not hold "
                 "our key)", a, (unsigned)port);
        hs_mig_chan_close(c);
        return -1;
    }
    hs_buf_consume(&c->in, HS_MIG_CHALLENGE_LEN);
    hs_mig_clientproof_build(key, nc, ns, proof);
    if (write_all(fd, proof, sizeof proof, deadline_ms) != 0) {
        snprintf(err, err_size, "agent %s:%u: handshake: %s", a, (unsigned)port, strerror(errno));
        hs_mig_chan_close(c);
        return -1;
    }
    hs_mig_session_derive(key, nc, ns, &c->s);
    return 0;
}

int hs_mig_chan_accept(int fd, const uint8_t key[HS_MIG_KEY_LEN], uint64_t deadline_ms,
                       struct hs_mig_chan *c, char *err, size_t err_size)
{
    chan_init(c, fd, deadline_ms);
    c->tx_dir = HS_MIG_DIR_S;
    c->rx_dir = HS_MIG_DIR_C;
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl | O_NONBLOCK);
    uint8_t nc[HS_MIG_NONCE_LEN], ns[HS_MIG_NONCE_LEN], ch[HS_MIG_CHALLENGE_LEN];
    if (read_until(fd, &c->in, HS_MIG_HELLO_LEN, deadline_ms) != 0) {
        snprintf(err, err_size, "handshake: %s", strerror(errno));
        return -1;
    }
    if (!hs_mig_hello_parse(c->in.data, nc)) {
        snprintf(err, err_size, "handshake: not a honeyshift agent hello");
        return -1;
    }
    hs_buf_consume(&c->in, HS_MIG_HELLO_LEN);
    if (random_bytes(ns, sizeof ns) != 0) {
        snprintf(err, err_size, "getrandom: %s", strerror(errno));
        return -1;
    }
    hs_mig_challenge_build(key, nc, ns, ch);
    if (write_all(fd, ch, sizeof ch, deadline_ms) != 0 ||
        read_until(fd, &c->in, HS_MIG_PROOF_LEN, deadline_ms) != 0) {
        snprintf(err, err_size, "handshake: %s", strerror(errno));
        return -1;
    }
    if (!hs_mig_clientproof_check(key, nc, ns, c->in.data)) {
        snprintf(err, err_size, "authentication failed: the peer does not hold the key");
        return -1;
    }
    hs_buf_consume(&c->in, HS_MIG_PROOF_LEN);
    hs_mig_session_derive(key, nc, ns, &c->s);
    return 0;
}

/* sendmsg until every byte of the vector went out (iov is consumed). */
static int writev_all(int fd, struct iovec *iov, int n, uint64_t deadline_ms)
{
    while (n) {
        struct msghdr m = {.msg_iov = iov, .msg_iovlen = (size_t)n};
        ssize_t w = sendmsg(fd, &m, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
            if (wait_fd(fd, POLLOUT, deadline_ms) != 0)
                return -1;
            continue;
        }
        if (w <= 0)
            return -1;
        while (n && (size_t)w >= iov->iov_len) {
            w -= (ssize_t)iov->iov_len;
            iov++;
            n--;
        }
        if (n) {
            iov->iov_base = (uint8_t *)iov->iov_base + w;
            iov->iov_len -= (size_t)w;
        }
    }
    return 0;
}

int hs_mig_chan_send(struct hs_mig_chan *c, uint8_t type, const void *p, size_t len, char *err,
                     size_t err_size)
{
    /* header, payload in place, tag: one sendmsg, no copy of the payload */
    uint8_t hdr[HS_MIG_HDR_LEN], tag[HS_MIG_TAG_LEN];
    if (!hs_mig_frame_seal(&c->s, c->tx_dir, c->tx_seq, type, p, len, hdr, tag)) {
        snprintf(err, err_size, "frame of %zu bytes too large (or no tag)", len);
        return -1;
    }
    struct iovec iov[3] = {{hdr, sizeof hdr}, {(void *)(uintptr_t)p, len}, {tag, sizeof tag}};
    if (!len)
        iov[1] = iov[2];
    if (writev_all(c->fd, iov, len ? 3 : 2, c->deadline_ms) != 0) {
        snprintf(err, err_size, "send: %s", strerror(errno));
        return -1;
    }
    c->tx_seq++;
    return 0;
}

int hs_mig_chan_recv(struct hs_mig_chan *c, struct hs_mig_frame *f, char *err, size_t err_size)
{
    if (c->last) {
        hs_buf_consume(&c->in, c->last);
        c->last = 0;
    }
    for (;;) {
        size_t used = 0, need = 0;
        int r = hs_mig_frame_decode(&c->s, c->rx_dir, c->rx_seq, c->in.data, c->in.len, f, &used,
                                    &need, err, err_size);
        if (r == HS_MIG_DEC_ERR)
            return -1;
        if (r == HS_MIG_DEC_OK) {
            c->last = used;
            c->rx_seq++;
            return 0;
        }
        if (read_until(c->fd, &c->in, need, c->deadline_ms) != 0) {
            snprintf(err, err_size, "receive: %s",
                     errno == ECONNRESET ? "connection closed by the peer" : strerror(errno));
            return -1;
        }
    }
}

int hs_mig_chan_call(struct hs_mig_chan *c, const char *req_json, json_t **resp, char *err,
                     size_t err_size)
{
    *resp = NULL;
    if (hs_mig_chan_send(c, HS_MIG_T_REQ, req_json, strlen(req_json), err, err_size) != 0)
        return -1;
    struct hs_mig_frame f;
    if (hs_mig_chan_recv(c, &f, err, err_size) != 0)
        return -1;
    if (f.type != HS_MIG_T_RESP) {
        snprintf(err, err_size, "expected a response, got frame type %u", (unsigned)f.type);
        return -1;
    }
    json_error_t je;
    json_t *o = json_loadb((const char *)f.payload, f.len, 0, &je);
    if (!json_is_object(o)) {
        snprintf(err, err_size, "response is not a JSON object");
        json_decref(o);
        return -1;
    }
    if (!json_is_true(json_object_get(o, "ok"))) {
        const char *e = json_string_value(json_object_get(o, "error"));
        snprintf(err, err_size, "%s", e ? e : "failed (no reason given)");
        json_decref(o);
        return -1;
    }
    *resp = o;
    return 0;
}

void hs_mig_chan_close(struct hs_mig_chan *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    hs_buf_free(&c->in);
    memset(&c->s, 0, sizeof c->s);
}

int hs_mig_key_load(const char *path, uint8_t key[HS_MIG_KEY_LEN], char *err, size_t err_size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        snprintf(err, err_size, "key %s: %s (create one with honeyshift-agent --genkey %s)",
                 path, strerror(errno), path);
        return -1;
    }
    struct stat st;
    int rc = -1;
    if (fstat(fd, &st) != 0) {
        snprintf(err, err_size, "key %s: %s", path, strerror(errno));
    } else if (!S_ISREG(st.st_mode) || (st.st_mode & 077)) {
        snprintf(err, err_size, "key %s: must be a regular file readable by its owner only", path);
    } else if (st.st_size != HS_MIG_KEY_LEN) {
        snprintf(err, err_size, "key %s: %lld bytes, expected %d", path, (long long)st.st_size,
                 HS_MIG_KEY_LEN);
    } else if (read(fd, key, HS_MIG_KEY_LEN) != HS_MIG_KEY_LEN) {
        snprintf(err, err_size, "key %s: short read", path);
    } else {
        rc = 0;
    }
    close(fd);
    return rc;
}

int hs_mig_key_generate(const char *path, char *err, size_t err_size)
{
    uint8_t key[HS_MIG_KEY_LEN];
    if (random_bytes(key, sizeof key) != 0) {
        snprintf(err, err_size, "getrandom: %s", strerror(errno));
        return -1;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(err, err_size, "key %s: %s", path, strerror(errno));
        return -1;
    }
    ssize_t n = write(fd, key, sizeof key);
    memset(key, 0, sizeof key);
    if (n != HS_MIG_KEY_LEN || close(fd) != 0) {
        snprintf(err, err_size, "key %s: write failed", path);
        unlink(path);
        return -1;
    }
    return 0;
}
