/* hs_reuseport.c - LD_PRELOAD shim: SO_REUSEPORT on every TCP socket bound to a fixed port.
 *
 * A process relocated into the honeypot brings its listening socket along; CRIU binds it again
 * on restore, next to the honeypot's own pre-spawned workers on the same port. Two listeners
 * share a port only when both set SO_REUSEPORT before bind() (and run under the same uid).
 * nginx (`listen ... reuseport`) and gunicorn (`--reuse-port`) set it themselves; Node.js
 * before 22.12 cannot, so the lab starts node with LD_PRELOAD=libhs_reuseport.so (as the
 * Hounterfeit paper did for its Flask and Node.js servers).
 *
 * Only bind() is wrapped: the option must be set before the port is taken. Sockets that are not
 * TCP (SOCK_STREAM of AF_INET/AF_INET6), and binds to port 0, are left alone. HS_SHIM_OFF=1 in
 * the environment turns the shim off (for comparisons). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

typedef int bind_fn(int, const struct sockaddr *, socklen_t);

/* True for an AF_INET/AF_INET6 stream socket address with a non-zero port. */
static int fixed_tcp_port(int fd, const struct sockaddr *sa, socklen_t len)
{
    if (!sa)
        return 0;
    in_port_t port = 0;
    if (sa->sa_family == AF_INET && len >= (socklen_t)sizeof(struct sockaddr_in))
        port = ((const struct sockaddr_in *)(const void *)sa)->sin_port;
    else if (sa->sa_family == AF_INET6 && len >= (socklen_t)sizeof(struct sockaddr_in6))
        port = ((const struct sockaddr_in6 *)(const void *)sa)->sin6_port;
    if (port == 0)
        return 0;
    int type = 0;
    socklen_t tl = sizeof type;
    return getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tl) == 0 && type == SOCK_STREAM;
}

/* The interposed bind(): set SO_REUSEPORT first, then the real bind. errno is kept from the
 * real call (a failed setsockopt is not fatal: bind then behaves as without the shim). */
int bind(int fd, const struct sockaddr *sa, socklen_t len)
{
    static bind_fn *real;
    if (!real)
        real = (bind_fn *)dlsym(RTLD_NEXT, "bind");
    const char *off = getenv("HS_SHIM_OFF");
    if (!(off && off[0] == '1') && fixed_tcp_port(fd, sa, len)) {
        int saved = errno, one = 1;
        (void)setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
        errno = saved;
    }
    if (!real)
        return (int)syscall(SYS_bind, fd, sa, len);
    return real(fd, sa, len);
}
