/* evloop.c - epoll loop with a small timer list. */
#include "ctl/evloop.h"
#include "common/util.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

struct fd_handler {
    int fd;
    evloop_fd_fn *fn;
    void *ctx;
    bool live;
};

struct timer {
    uint64_t id, due_ms, period_ms;
    evloop_timer_fn *fn;
    void *ctx;
};

struct evloop {
    int epfd;
    volatile bool stop;
    struct fd_handler **fds;   /* indexed by fd */
    size_t n_fds;
    struct timer *timers;
    size_t n_timers, cap_timers;
    uint64_t next_timer_id;
};

struct evloop *evloop_new(void)
{
    struct evloop *l = xcalloc(1, sizeof *l);
    l->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (l->epfd < 0)
        abort();
    l->next_timer_id = 1;
    return l;
}

void evloop_free(struct evloop *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n_fds; i++)
        free(l->fds[i]);
    free(l->fds);
    free(l->timers);
    close(l->epfd);
    free(l);
}

static uint32_t to_epoll(unsigned ev)
{
    return (ev & EV_READ ? EPOLLIN | EPOLLRDHUP : 0) | (ev & EV_WRITE ? EPOLLOUT : 0);
}

int evloop_add_fd(struct evloop *l, int fd, unsigned events, evloop_fd_fn *fn, void *ctx)
{
    if (fd < 0) {
        errno = EBADF;
        return -1;
    }
    if ((size_t)fd >= l->n_fds) {
        size_t n = (size_t)fd + 16;
        l->fds = xreallocarray(l->fds, n, sizeof *l->fds);
        for (size_t i = l->n_fds; i < n; i++)
            l->fds[i] = NULL;
        l->n_fds = n;
    }
    struct epoll_event e = {.events = to_epoll(events), .data.fd = fd};
    if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &e) != 0)
        return -1;
    struct fd_handler *h = l->fds[fd] ? l->fds[fd] : xcalloc(1, sizeof *h);
    h->fd = fd;
    h->fn = fn;
    h->ctx = ctx;
    h->live = true;
    l->fds[fd] = h;
    return 0;
}

int evloop_mod_fd(struct evloop *l, int fd, unsigned events)
{
    struct epoll_event e = {.events = to_epoll(events), .data.fd = fd};
    return epoll_ctl(l->epfd, EPOLL_CTL_MOD, fd, &e);
}

void evloop_del_fd(struct evloop *l, int fd)
{
    if (fd < 0 || (size_t)fd >= l->n_fds || !l->fds[fd])
        return;
    epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL);
    l->fds[fd]->live = false;
}

uint64_t evloop_add_timer(struct evloop *l, uint64_t ms, bool periodic, evloop_timer_fn *fn,
                          void *ctx)
{
    if (l->n_timers == l->cap_timers) {
        l->cap_timers = l->cap_timers ? l->cap_timers * 2 : 8;
        l->timers = xreallocarray(l->timers, l->cap_timers, sizeof *l->timers);
    }
    struct timer *t = &l->timers[l->n_timers++];
    t->id = l->next_timer_id++;
    t->due_ms = hs_now_ms() + ms;
    t->period_ms = periodic ? (ms ? ms : 1) : 0;
    t->fn = fn;
    t->ctx = ctx;
    return t->id;
}

void evloop_del_timer(struct evloop *l, uint64_t id)
{
    for (size_t i = 0; i < l->n_timers; i++)
        if (l->timers[i].id == id) {
            l->timers[i] = l->timers[--l->n_timers];
            return;
        }
}

void evloop_stop(struct evloop *l) { l->stop = true; }

/* Run due timers; returns the milliseconds until the next one (-1: none). */
static int run_timers(struct evloop *l)
{
    uint64_t now = hs_now_ms();
    for (size_t i = 0; i < l->n_timers;) {
        struct timer *t = &l->timers[i];
        if (t->due_ms > now) {
            i++;
            continue;
        }
        uint64_t id = t->id;
        evloop_timer_fn *fn = t->fn;
        void *ctx = t->ctx;
        if (t->period_ms) {
            t->due_ms = now + t->period_ms;
            i++;
        } else {
            l->timers[i] = l->timers[--l->n_timers];
        }
        fn(l, ctx);
        (void)id;
        now = hs_now_ms();
        i = 0; /* the list may have changed: rescan (timers are few) */
        /* avoid re-running periodic timers just rescheduled: they are due later than now */
    }
    int64_t next = -1;
    for (size_t i = 0; i < l->n_timers; i++) {
        int64_t d = (int64_t)(l->timers[i].due_ms - now);
        if (d < 0)
            d = 0;
        if (next < 0 || d < next)
            next = d;
    }
    return (int)(next > 60000 ? 60000 : next);
}

int evloop_run(struct evloop *l)
{
    struct epoll_event evs[64];
    l->stop = false;
    while (!l->stop) {
        int timeout = run_timers(l);
        if (l->stop)
            break;
        int n = epoll_wait(l->epfd, evs, 64, timeout);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        for (int i = 0; i < n; i++) {
            int fd = evs[i].data.fd;
            if ((size_t)fd >= l->n_fds || !l->fds[fd] || !l->fds[fd]->live)
                continue;
            unsigned ev = 0;
            if (evs[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP))
                ev |= EV_READ;
            if (evs[i].events & EPOLLOUT)
                ev |= EV_WRITE;
            if (evs[i].events & (EPOLLERR | EPOLLHUP))
                ev |= EV_ERROR;
            struct fd_handler *h = l->fds[fd];
            h->fn(l, fd, ev, h->ctx);
        }
    }
    return 0;
}
