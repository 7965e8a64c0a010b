/* topology_load.c - read a topology file (at most 1 MiB) and hand it to hs_topology_parse. */
#include "config/topology.h"

#include "common/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int load_fail(struct hs_cfg_err *err, const char *path, const char *what, int e)
{
    err->line = 0;
    err->col = 0;
    if (!hs_snprintf(err->msg, sizeof err->msg, "%s: %s%s%s", path, what, e ? ": " : "",
                     e ? strerror(e) : ""))
        memcpy(err->msg + sizeof err->msg - 4, "...", 4);
    return -1;
}

int hs_topology_load(const char *path, struct hs_topology **out, struct hs_cfg_err *err)
{
    struct hs_cfg_err local;
    if (!err)
        err = &local;
    memset(err, 0, sizeof *err);
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return load_fail(err, path, "cannot open", errno);
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return load_fail(err, path, "cannot stat", e);
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return load_fail(err, path, "not a regular file", 0);
    }
    /* Read at most one byte more than allowed, so that growth after fstat is noticed too. */
    size_t cap = HS_TOPOLOGY_MAX_FILE + 1, len = 0;
    if (st.st_size >= 0 && (uint64_t)st.st_size < cap)
        cap = (size_t)st.st_size + 1;
    char *buf = xmalloc(cap);
    for (;;) {
        if (len == cap) {
            if (cap > HS_TOPOLOGY_MAX_FILE)
                break;
            cap = cap * 2 > HS_TOPOLOGY_MAX_FILE + 1 ? HS_TOPOLOGY_MAX_FILE + 1 : cap * 2;
            buf = xrealloc(buf, cap);
        }
        ssize_t n = read(fd, buf + len, cap - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            close(fd);
            free(buf);
            return load_fail(err, path, "cannot read", e);
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    close(fd);
    if (len > HS_TOPOLOGY_MAX_FILE) {
        free(buf);
        return load_fail(err, path, "file is larger than 1 MiB (the limit for a topology)", 0);
    }
    int rc = hs_topology_parse(buf, len, path, out, err);
    free(buf);
    return rc;
}
