/* lab_fs.c - mkdir -p, atomic writes, rm -r of the state directory. */
#include "lab/lab_fs.h"
#include "common/util.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int hs_lab_mkdir_p(const char *path, char *err, size_t err_size)
{
    char tmp[4096];
    if (!hs_strlcpy(tmp, path, sizeof tmp)) {
        snprintf(err, err_size, "path too long: %s", path);
        return -1;
    }
    for (char *p = tmp + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        if (mkdir(tmp, 0755) != 0 && errno != EEXIST) {
            snprintf(err, err_size, "mkdir %s: %s", tmp, strerror(errno));
            return -1;
        }
        *p = c;
        if (c == '\0')
            break;
    }
    return 0;
}

char *hs_lab_read_file(const char *path, size_t max, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat st;
    if (fstat(fd, &st) != 0 || (st.st_size > 0 && (size_t)st.st_size > max)) {
        close(fd);
        errno = EFBIG;
        return NULL;
    }
    char *buf = xmalloc(max + 1);
    size_t n = 0;
    for (;;) {
        ssize_t r = read(fd, buf + n, max - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            close(fd);
            free(buf);
            errno = e;
            return NULL;
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n == max) {
            char c;
            if (read(fd, &c, 1) > 0) {
                close(fd);
                free(buf);
                errno = EFBIG;
                return NULL;
            }
            break;
        }
    }
    close(fd);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

int hs_lab_write_file(const char *path, const void *data, size_t len, char *err,
                      size_t err_size)
{
    size_t cur_len;
    char *cur = hs_lab_read_file(path, len, &cur_len);
    if (cur) {
        bool same = cur_len == len && memcmp(cur, data, len) == 0;
        free(cur);
        if (same)
            return 0;
    }
    char tmp[4096];
    if (!hs_snprintf(tmp, sizeof tmp, "%s.tmp", path)) {
        snprintf(err, err_size, "path too long: %s", path);
        return -1;
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, err_size, "cannot write %s: %s", tmp, strerror(errno));
        return -1;
    }
    const char *p = data;
    size_t left = len;
    while (left > 0) {
        ssize_t n = write(fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            snprintf(err, err_size, "cannot write %s: %s", tmp, strerror(errno));
            close(fd);
            unlink(tmp);
            return -1;
        }
        p += n;
        left -= (size_t)n;
    }
    if (close(fd) != 0 || rename(tmp, path) != 0) {
        snprintf(err, err_size, "cannot write %s: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

static int rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    int rc = type == FTW_DP ? rmdir(path) : unlink(path);
    if (rc != 0 && errno != ENOENT)
        return -1;
    return 0;
}

int hs_lab_rm_tree(const char *path, char *err, size_t err_size)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        if (errno == ENOENT)
            return 0;
        snprintf(err, err_size, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (nftw(path, rm_one, 32, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) != 0) {
        snprintf(err, err_size, "cannot remove %s: %s", path, strerror(errno));
        return -1;
    }
    if (lstat(path, &st) == 0) {
        snprintf(err, err_size, "cannot remove %s completely (a mount point inside?)", path);
        return -1;
    }
    return 0;
}

bool hs_lab_marker_is(const char *state_dir, const char *lab)
{
    char path[4096];
    if (!hs_snprintf(path, sizeof path, "%s/%s", state_dir, HS_LAB_MARKER))
        return false;
    size_t n;
    char *s = hs_lab_read_file(path, 64, &n);
    if (!s)
        return false;
    s[strcspn(s, "\n")] = '\0';
    bool ok = strcmp(s, lab) == 0;
    free(s);
    return ok;
}
