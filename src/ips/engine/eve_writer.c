/* eve_writer.c - EVE JSON log writer (policies in eve_writer.h). */
#include "ips/engine/eve_writer.h"

#include "common/util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct eve_writer {
    char *path;
    int fd;
    enum eve_sync sync;
    volatile sig_atomic_t reopen;
    uint64_t last_sync_ms;
    bool dirty;
    size_t lines, errors;
};

static int open_log(const char *path)
{
    return open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
}

struct eve_writer *eve_writer_open(const char *path, enum eve_sync sync, char *err,
                                   size_t err_size)
{
    int fd = open_log(path);
    if (fd < 0) {
        snprintf(err, err_size, "%s: %s", path, strerror(errno));
        return NULL;
    }
    struct eve_writer *w = xcalloc(1, sizeof *w);
    w->path = xstrdup(path);
    w->fd = fd;
    w->sync = sync;
    w->last_sync_ms = hs_now_ms();
    return w;
}

int eve_writer_reopen(struct eve_writer *w)
{
    w->reopen = 0;
    int fd = open_log(w->path);
    if (fd < 0)
        return -1;
    if (w->dirty && w->sync != EVE_SYNC_NONE)
        (void)fdatasync(w->fd);
    close(w->fd);
    w->fd = fd;
    w->dirty = false;
    return 0;
}

void eve_writer_request_reopen(struct eve_writer *w) { w->reopen = 1; }

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t k = write(fd, p, n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

int eve_writer_line(struct eve_writer *w, const char *line)
{
    if (w->reopen && eve_writer_reopen(w) != 0)
        w->errors++; /* keep writing to the old descriptor rather than losing events */
    size_t n = strlen(line);
    if (memchr(line, '\n', n)) {
        w->errors++;
        errno = EINVAL;
        return -1;
    }
    char stackbuf[4096];
    char *buf = n + 1 <= sizeof stackbuf ? stackbuf : xmalloc(n + 1);
    memcpy(buf, line, n);
    buf[n] = '\n';
    int rc = write_all(w->fd, buf, n + 1);
    int saved = errno;
    if (buf != stackbuf)
        free(buf);
    if (rc != 0) {
        w->errors++;
        errno = saved;
        return -1;
    }
    w->lines++;
    w->dirty = true;
    if (w->sync == EVE_SYNC_EVERY ||
        (w->sync == EVE_SYNC_INTERVAL && hs_now_ms() - w->last_sync_ms >= 1000)) {
        if (fdatasync(w->fd) != 0) {
            w->errors++;
            return -1;
        }
        w->last_sync_ms = hs_now_ms();
        w->dirty = false;
    }
    return 0;
}

int eve_writer_alert(struct eve_writer *w, const struct ips_alert *a, const char *input_path)
{
    char *s = ips_eve_alert_json(a, input_path);
    if (!s) {
        w->errors++;
        errno = EINVAL;
        return -1;
    }
    int rc = eve_writer_line(w, s);
    free(s);
    return rc;
}

size_t eve_writer_lines(const struct eve_writer *w) { return w->lines; }
size_t eve_writer_errors(const struct eve_writer *w) { return w->errors; }

void eve_writer_close(struct eve_writer *w)
{
    if (!w)
        return;
    if (w->dirty && w->sync != EVE_SYNC_NONE)
        (void)fdatasync(w->fd);
    close(w->fd);
    free(w->path);
    free(w);
}
