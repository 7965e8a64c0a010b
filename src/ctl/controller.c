/* controller.c - opening and closing the controller's sockets. */
#include "ctl/controller.h"
#include "common/log.h"
#include "common/util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libgen.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

/* mkdir -p for the directory part of path. */
static int mkdir_parent(const char *path)
{
    char tmp[HS_PATH_MAX];
    if (!hs_strlcpy(tmp, path, sizeof tmp))
        return -1;
    char *dir = dirname(tmp);
    char cur[HS_PATH_MAX] = "";
    size_t n = 0;
    for (char *p = dir; *p; p++) {
        if (n + 1 >= sizeof cur)
            return -1;
        cur[n++] = *p;
        cur[n] = '\0';
        if ((p[1] == '/' || p[1] == '\0') && n > 1 && mkdir(cur, 0755) != 0 && errno != EEXIST)
            return -1;
    }
    return 0;
}

static int open_listen(const struct hs_controller_cfg *cfg, char *err, size_t err_size)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(cfg->listen_port)};
    if (inet_pton(AF_INET, cfg->listen_addr, &sa.sin_addr) != 1) {
        snprintf(err, err_size, "listen address '%s' is not an IPv4 address", cfg->listen_addr);
        return -1;
    }
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 64) != 0) {
        snprintf(err, err_size, "cannot listen for switches on %s:%u: %s", cfg->listen_addr,
                 cfg->listen_port, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

static int open_ctl(const char *path, char *err, size_t err_size)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (!hs_strlcpy(sa.sun_path, path, sizeof sa.sun_path)) {
        snprintf(err, err_size, "control socket path too long: %s", path);
        return -1;
    }
    if (mkdir_parent(path) != 0) {
        snprintf(err, err_size, "cannot create the directory of %s: %s", path, strerror(errno));
        return -1;
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(err, err_size, "socket: %s", strerror(errno));
        return -1;
    }
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        if (errno != EADDRINUSE)
            goto fail;
        /* a live controller answers; a stale file from a crash does not */
        int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        bool live = probe >= 0 && connect(probe, (struct sockaddr *)&sa, sizeof sa) == 0;
        if (probe >= 0)
            close(probe);
        if (live) {
            snprintf(err, err_size, "another controller is serving %s", path);
            close(fd);
            return -1;
        }
        unlink(path);
        if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0)
            goto fail;
    }
    chmod(path, 0600);
    if (listen(fd, 16) != 0)
        goto fail;
    return fd;
fail:
    snprintf(err, err_size, "cannot listen on control socket %s: %s", path, strerror(errno));
    close(fd);
    return -1;
}

int controller_open(struct controller *c, struct hs_topology *topo, struct evloop *loop,
                    char *err, size_t err_size)
{
    memset(c, 0, sizeof *c);
    c->topo = topo;
    c->loop = loop;
    c->start_ms = hs_now_ms();
    c->ctl_fd = -1;
    c->listen_fd = open_listen(&topo->controller, err, err_size);
    if (c->listen_fd < 0)
        return -1;
    c->ctl_fd = open_ctl(topo->controller.control_socket, err, err_size);
    if (c->ctl_fd < 0) {
        close(c->listen_fd);
        c->listen_fd = -1;
        return -1;
    }
    if (evloop_add_fd(loop, c->listen_fd, EV_READ, sw_conn_accept, c) != 0 ||
        evloop_add_fd(loop, c->ctl_fd, EV_READ, ctl_server_accept, c) != 0) {
        snprintf(err, err_size, "epoll: %s", strerror(errno));
        controller_close(c);
        return -1;
    }
    return 0;
}

void controller_close(struct controller *c)
{
    reloc_close(c);
    while (c->conns)
        sw_conn_close(c->conns, "controller shutting down");
    if (c->listen_fd >= 0) {
        evloop_del_fd(c->loop, c->listen_fd);
        close(c->listen_fd);
        c->listen_fd = -1;
    }
    if (c->ctl_fd >= 0) {
        evloop_del_fd(c->loop, c->ctl_fd);
        close(c->ctl_fd);
        unlink(c->topo->controller.control_socket);
        c->ctl_fd = -1;
    }
}
