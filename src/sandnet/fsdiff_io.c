/* fsdiff_io.c - walking overlay upper dirs and the delta tree copier (I/O). */
#include "sandnet/fsdiff.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "common/log.h"
#include "common/util.h"

#define PATH_BUF 4096

static bool join(char *out, const char *a, const char *b)
{
    if (!hs_snprintf(out, PATH_BUF, "%s/%s", a, b)) {
        LOG_ERR("sandnet: path too long: %s/%s", a, b);
        return false;
    }
    return true;
}

static bool is_opaque(const char *path)
{
    char v[4];
    ssize_t n = lgetxattr(path, "trusted.overlay.opaque", v, sizeof v);
    return n == 1 && v[0] == 'y';
}

static bool list_dir(const char *abs, const char *rel, struct sn_diff *out)
{
    DIR *d = opendir(abs);
    if (!d) {
        LOG_ERR("sandnet: opendir %s: %s", abs, strerror(errno));
        return false;
    }
    bool ok = true;
    struct dirent *e;
    while (ok && (errno = 0, e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char a[PATH_BUF], r[PATH_BUF];
        struct stat st;
        if (!join(a, abs, e->d_name) || !join(r, rel, e->d_name)) {
            ok = false;
            break;
        }
        if (lstat(a, &st) != 0) {
            LOG_ERR("sandnet: lstat %s: %s", a, strerror(errno));
            ok = false;
            break;
        }
        enum sn_change c = sn_diff_classify(st.st_mode, st.st_rdev, S_ISDIR(st.st_mode) && is_opaque(a));
        sn_diff_add(out, r, c, st.st_mode, (uint64_t)st.st_size);
        if (S_ISDIR(st.st_mode))
            ok = list_dir(a, r, out);
    }
    if (ok && errno != 0) {
        LOG_ERR("sandnet: readdir %s: %s", abs, strerror(errno));
        ok = false;
    }
    closedir(d);
    return ok;
}

bool sn_diff_list(const char *upper, struct sn_diff *out)
{
    bool ok = list_dir(upper, "", out);
    sn_diff_sort(out);
    return ok;
}

static void meta_of(const struct stat *st, struct sn_file_meta *m)
{
    m->mode = st->st_mode;
    m->size = (uint64_t)st->st_size;
    m->mtime_sec = st->st_mtim.tv_sec;
    m->mtime_nsec = st->st_mtim.tv_nsec;
    m->rdev = st->st_rdev;
}

/* Copy trusted.overlay.* (opaque, redirect, ...) xattrs: they carry overlay semantics. */
static bool copy_overlay_xattrs(const char *src, const char *dst)
{
    char names[4096];
    ssize_t n = llistxattr(src, names, sizeof names);
    if (n < 0)
        return errno == ENOTSUP || errno == ENODATA;
    for (ssize_t off = 0; off < n; off += (ssize_t)strlen(names + off) + 1) {
        const char *name = names + off;
        if (strncmp(name, "trusted.overlay.", 16) != 0)
            continue;
        char val[4096];
        ssize_t vn = lgetxattr(src, name, val, sizeof val);
        if (vn < 0 || lsetxattr(dst, name, val, (size_t)vn, 0) != 0) {
            LOG_ERR("sandnet: xattr %s on %s: %s", name, dst, strerror(errno));
            return false;
        }
    }
    return true;
}

static bool copy_file(const char *src, const char *dst, const struct stat *st, uint64_t *bytes)
{
    int in = open(src, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (in < 0) {
        LOG_ERR("sandnet: open %s: %s", src, strerror(errno));
        return false;
    }
    char tmp[PATH_BUF];
    if (!hs_snprintf(tmp, sizeof tmp, "%s.hsn-tmp", dst)) {
        close(in);
        LOG_ERR("sandnet: path too long: %s", dst);
        return false;
    }
    int out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (out < 0) {
        LOG_ERR("sandnet: create %s: %s", tmp, strerror(errno));
        close(in);
        return false;
    }
    bool ok = true;
    off_t left = st->st_size;
    while (ok && left > 0) {
        ssize_t n = sendfile(out, in, NULL, left > (1 << 30) ? (size_t)1 << 30 : (size_t)left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            LOG_ERR("sandnet: copy %s: %s", src, n < 0 ? strerror(errno) : "file shrank");
            ok = false;
        } else {
            left -= n;
            *bytes += (uint64_t)n;
        }
    }
    struct timespec ts[2] = {st->st_atim, st->st_mtim};
    if (ok && (fchown(out, st->st_uid, st->st_gid) != 0 || fchmod(out, st->st_mode & 07777) != 0
               || futimens(out, ts) != 0)) {
        LOG_ERR("sandnet: metadata of %s: %s", tmp, strerror(errno));
        ok = false;
    }
    close(in);
    if (close(out) != 0)
        ok = false;
    if (ok && rename(tmp, dst) != 0) {
        LOG_ERR("sandnet: rename %s: %s", tmp, strerror(errno));
        ok = false;
    }
    if (!ok)
        unlink(tmp);
    return ok && copy_overlay_xattrs(src, dst);
}

static bool set_meta(const char *dst, const struct stat *st)
{
    struct timespec ts[2] = {st->st_atim, st->st_mtim};
    if (lchown(dst, st->st_uid, st->st_gid) != 0
        || (!S_ISLNK(st->st_mode) && chmod(dst, st->st_mode & 07777) != 0)
        || utimensat(AT_FDCWD, dst, ts, AT_SYMLINK_NOFOLLOW) != 0) {
        LOG_ERR("sandnet: metadata of %s: %s", dst, strerror(errno));
        return false;
    }
    return true;
}

static bool copy_entry(const char *src, const char *dst, bool prune, struct sn_copy_stats *cs);

static bool prune_dir(const char *src, const char *dst)
{
    DIR *d = opendir(dst);
    if (!d)
        return false;
    bool ok = true;
    struct dirent *e;
    while (ok && (e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char s[PATH_BUF], t[PATH_BUF];
        struct stat st;
        if (!join(s, src, e->d_name) || !join(t, dst, e->d_name)) {
            ok = false;
            break;
        }
        if (lstat(s, &st) != 0 && errno == ENOENT)
            ok = sn_tree_remove(t);
    }
    closedir(d);
    return ok;
}

static bool copy_dir(const char *src, const char *dst, const struct stat *st, bool prune,
                     struct sn_copy_stats *cs)
{
    struct stat dt;
    if (lstat(dst, &dt) == 0 && !S_ISDIR(dt.st_mode) && !sn_tree_remove(dst))
        return false;
    if (mkdir(dst, 0700) != 0 && errno != EEXIST) {
        LOG_ERR("sandnet: mkdir %s: %s", dst, strerror(errno));
        return false;
    }
    cs->dirs++;
    DIR *d = opendir(src);
    if (!d) {
        LOG_ERR("sandnet: opendir %s: %s", src, strerror(errno));
        return false;
    }
    bool ok = true;
    struct dirent *e;
    while (ok && (errno = 0, e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char s[PATH_BUF], t[PATH_BUF];
        ok = join(s, src, e->d_name) && join(t, dst, e->d_name) && copy_entry(s, t, prune, cs);
    }
    if (ok && errno != 0) {
        LOG_ERR("sandnet: readdir %s: %s", src, strerror(errno));
        ok = false;
    }
    closedir(d);
    if (ok && prune)
        ok = prune_dir(src, dst);
    /* directory metadata last: adding entries changed its mtime */
    return ok && copy_overlay_xattrs(src, dst) && set_meta(dst, st);
}

static bool copy_entry(const char *src, const char *dst, bool prune, struct sn_copy_stats *cs)
{
    struct stat st, dt;
    if (lstat(src, &st) != 0) {
        LOG_ERR("sandnet: lstat %s: %s", src, strerror(errno));
        return false;
    }
    if (S_ISDIR(st.st_mode))
        return copy_dir(src, dst, &st, prune, cs);
    struct sn_file_meta sm, dm;
    meta_of(&st, &sm);
    bool have = lstat(dst, &dt) == 0;
    if (have)
        meta_of(&dt, &dm);
    if (!sn_delta_needs_copy(&sm, have ? &dm : NULL)) {
        cs->files_skipped++;
        return true;
    }
    if (have && (S_ISDIR(dt.st_mode) || !S_ISREG(st.st_mode)) && !sn_tree_remove(dst))
        return false;
    if (S_ISREG(st.st_mode)) {
        cs->files_copied++;
        return copy_file(src, dst, &st, &cs->bytes_copied);
    }
    if (S_ISLNK(st.st_mode)) {
        char target[PATH_BUF];
        ssize_t n = readlink(src, target, sizeof target - 1);
        if (n < 0 || n >= (ssize_t)sizeof target - 1) {
            LOG_ERR("sandnet: readlink %s failed or too long", src);
            return false;
        }
        target[n] = '\0';
        if (symlink(target, dst) != 0) {
            LOG_ERR("sandnet: symlink %s: %s", dst, strerror(errno));
            return false;
        }
        cs->links++;
        return set_meta(dst, &st);
    }
    /* device nodes (overlay whiteouts are 0/0 char devices), fifos, sockets */
    if (mknod(dst, st.st_mode, st.st_rdev) != 0) {
        LOG_ERR("sandnet: mknod %s: %s", dst, strerror(errno));
        return false;
    }
    cs->specials++;
    return copy_overlay_xattrs(src, dst) && set_meta(dst, &st);
}

bool sn_tree_copy(const char *src, const char *dst, bool prune, struct sn_copy_stats *st)
{
    struct stat s;
    if (lstat(src, &s) != 0 || !S_ISDIR(s.st_mode)) {
        LOG_ERR("sandnet: copy source %s is not a directory", src);
        return false;
    }
    return copy_entry(src, dst, prune, st);
}

static bool remove_rec(const char *path, dev_t parent_dev, bool top)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT;
    if (S_ISDIR(st.st_mode) && !top && st.st_dev != parent_dev) {
        LOG_ERR("sandnet: not removing %s: a mount point", path);
        return false;
    }
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (!d) {
            LOG_ERR("sandnet: opendir %s: %s", path, strerror(errno));
            return false;
        }
        bool ok = true;
        struct dirent *e;
        while (ok && (e = readdir(d)) != NULL) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            char p[PATH_BUF];
            ok = join(p, path, e->d_name) && remove_rec(p, st.st_dev, false);
        }
        closedir(d);
        if (ok && rmdir(path) != 0) {
            LOG_ERR("sandnet: rmdir %s: %s", path, strerror(errno));
            return false;
        }
        return ok;
    }
    if (unlink(path) != 0 && errno != ENOENT) {
        LOG_ERR("sandnet: unlink %s: %s", path, strerror(errno));
        return false;
    }
    return true;
}

bool sn_tree_remove(const char *path)
{
    if (path[0] != '/' || strcmp(path, "/") == 0) {
        LOG_ERR("sandnet: refusing to remove '%s'", path);
        return false;
    }
    return remove_rec(path, 0, true);
}

bool sn_mkdir_p(const char *path, mode_t mode)
{
    char tmp[PATH_BUF];
    if (!hs_strlcpy(tmp, path, sizeof tmp)) {
        LOG_ERR("sandnet: path too long: %s", path);
        return false;
    }
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0755) != 0 && errno != EEXIST) {
            LOG_ERR("sandnet: mkdir %s: %s", tmp, strerror(errno));
            return false;
        }
        *p = '/';
    }
    if (mkdir(tmp, mode) != 0 && errno != EEXIST) {
        LOG_ERR("sandnet: mkdir %s: %s", tmp, strerror(errno));
        return false;
    }
    return true;
}
