/* freezer.c - the container's cgroup freezer, written directly. runc's state reads the same
 * freezer, so a container frozen here shows as "paused" and `runc checkpoint` handles it as it
 * handles one paused by `runc pause` (CRIU is given the same freezer cgroup). */
#include "sandnet/freezer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "common/procfs.h"
#include "common/util.h"

#define CGROUP_ROOT "/sys/fs/cgroup"

bool sn_freezer_parse(const char *text, const char *root, struct sn_freezer *f)
{
    memset(f, 0, sizeof *f);
    char v2cg[512] = "";
    for (const char *l = text; l && *l;) {
        const char *nl = strchr(l, '\n');
        size_t len = nl ? (size_t)(nl - l) : strlen(l);
        char line[1024];
        if (len < sizeof line) {
            memcpy(line, l, len);
            line[len] = '\0';
            char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
            if (c2) {
                *c1 = *c2 = '\0';
                const char *ctrls = c1 + 1, *cg = c2 + 1;
                if (!strcmp(line, "0") && !ctrls[0]) {
                    hs_strlcpy(v2cg, cg, sizeof v2cg);
                } else {
                    /* v1: the controller list is comma-separated ("freezer" alone, or joined) */
                    char list[256];
                    if (hs_strlcpy(list, ctrls, sizeof list))
                        for (char *save = NULL, *t = strtok_r(list, ",", &save); t;
                             t = strtok_r(NULL, ",", &save))
                            if (!strcmp(t, "freezer"))
                                return cg[0] == '/'
                                    && hs_snprintf(f->path, sizeof f->path, "%s/freezer%s/freezer.state",
                                                   root, strcmp(cg, "/") ? cg : "");
                }
            }
        }
        l = nl ? nl + 1 : NULL;
    }
    /* v2 only; the root cgroup cannot be frozen */
    if (v2cg[0] != '/' || !strcmp(v2cg, "/"))
        return false;
    f->v2 = true;
    return hs_snprintf(f->path, sizeof f->path, "%s%s/cgroup.freeze", root, v2cg)
        && hs_snprintf(f->events, sizeof f->events, "%s%s/cgroup.events", root, v2cg);
}

bool sn_freezer_find(pid_t pid, struct sn_freezer *f)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/cgroup", (int)pid);
    size_t n;
    char *text = hs_read_small_file(path, 4095, &n);
    bool ok = false;
    if (text && n > 0 && sn_freezer_parse(text, CGROUP_ROOT, f)) {
        /* a hybrid machine mounts the v2 hierarchy at .../unified */
        ok = access(f->path, W_OK) == 0 ||
             (f->v2 && sn_freezer_parse(text, CGROUP_ROOT "/unified", f) &&
              access(f->path, W_OK) == 0);
    }
    free(text);
    return ok;
}

static bool write_str(const char *path, const char *s)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    size_t n = strlen(s);
    bool ok = write(fd, s, n) == (ssize_t)n;
    ok &= close(fd) == 0;
    return ok;
}

/* Whether every task of the cgroup is frozen. */
static bool is_frozen(const struct sn_freezer *f)
{
    char buf[256];
    int fd = open(f->v2 ? f->events : f->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return false;
    buf[n] = '\0';
    return f->v2 ? strstr(buf, "frozen 1") != NULL : strncmp(buf, "FROZEN", 6) == 0;
}

bool sn_freezer_set(const struct sn_freezer *f, bool frozen, int timeout_ms)
{
    const char *val = f->v2 ? (frozen ? "1" : "0") : (frozen ? "FROZEN" : "THAWED");
    if (!write_str(f->path, val)) {
        LOG_ERR("sandnet: write %s to %s: %s", val, f->path, strerror(errno));
        return false;
    }
    if (!frozen)
        return true;
    /* v1 goes FREEZING -> FROZEN; poll every 0.5 ms (a few polls for a small container) */
    uint64_t deadline = hs_now_ns() + (uint64_t)timeout_ms * 1000000ull;
    while (!is_frozen(f)) {
        if (hs_now_ns() > deadline) {
            LOG_ERR("sandnet: %s did not freeze in %d ms", f->path, timeout_ms);
            write_str(f->path, f->v2 ? "0" : "THAWED");
            return false;
        }
        /* v1: writing FROZEN again retries tasks that were not frozen yet */
        if (!f->v2)
            write_str(f->path, "FROZEN");
        nanosleep(&(struct timespec){0, 500000}, NULL);
    }
    return true;
}
