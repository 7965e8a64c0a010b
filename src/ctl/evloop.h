/* evloop.h - a small epoll event loop: fd readiness handlers and one-shot/periodic timers.
 *
 *   struct evloop *l = evloop_new();
 *   evloop_add_fd(l, fd, EV_READ, on_ready, ctx);   // on_ready(l, fd, events, ctx)
 *   evloop_add_timer(l, 1000, true, on_tick, ctx);  // every second
 *   evloop_run(l);                                   // until evloop_stop(l)
 *   evloop_free(l);
 * Handlers may add and remove fds and timers (also their own) while running.
 */
#ifndef HS_CTL_EVLOOP_H
#define HS_CTL_EVLOOP_H

#include <stdbool.h>
#include <stdint.h>

struct evloop;

enum { EV_READ = 1, EV_WRITE = 2, EV_ERROR = 4 };

typedef void evloop_fd_fn(struct evloop *l, int fd, unsigned events, void *ctx);
typedef void evloop_timer_fn(struct evloop *l, void *ctx);

/* Create a loop (aborts on failure to create the epoll instance). */
struct evloop *evloop_new(void);
/* Free the loop; does not close registered fds. */
void evloop_free(struct evloop *l);
/* Watch fd for the events (EV_READ|EV_WRITE); 0 or -1 (errno set). */
int evloop_add_fd(struct evloop *l, int fd, unsigned events, evloop_fd_fn *fn, void *ctx);
/* Change the events watched for a registered fd. */
int evloop_mod_fd(struct evloop *l, int fd, unsigned events);
/* Stop watching fd (call before closing it). */
void evloop_del_fd(struct evloop *l, int fd);
/* Call fn after ms milliseconds (again every ms when periodic). Returns a timer id (> 0). */
uint64_t evloop_add_timer(struct evloop *l, uint64_t ms, bool periodic, evloop_timer_fn *fn,
                          void *ctx);
/* Cancel a timer (unknown ids are ignored). */
void evloop_del_timer(struct evloop *l, uint64_t id);
/* Run until evloop_stop; returns 0, or -1 when epoll_wait fails. */
int evloop_run(struct evloop *l);
/* Make evloop_run return after the current iteration (safe from signal-driven handlers). */
void evloop_stop(struct evloop *l);

#endif
