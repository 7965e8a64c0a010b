/* fsdiff.c - file-system diff listing and delta-copy decisions (pure). */
#include "sandnet/fsdiff.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "common/buf.h"
#include "common/util.h"

enum sn_change sn_diff_classify(mode_t mode, dev_t rdev, bool opaque_xattr)
{
    if (S_ISCHR(mode) && major(rdev) == 0 && minor(rdev) == 0)
        return SN_CHANGE_DELETED;
    if (S_ISDIR(mode) && opaque_xattr)
        return SN_CHANGE_OPAQUE_DIR;
    return SN_CHANGE_ADDED_OR_CHANGED;
}

void sn_diff_add(struct sn_diff *d, const char *path, enum sn_change c, mode_t mode, uint64_t size)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 32;
        d->v = xreallocarray(d->v, d->cap, sizeof *d->v);
    }
    d->v[d->n++] = (struct sn_diff_entry){xstrdup(path), c, mode, size};
    if (S_ISREG(mode) && c == SN_CHANGE_ADDED_OR_CHANGED)
        d->bytes += size;
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const struct sn_diff_entry *)a)->path, ((const struct sn_diff_entry *)b)->path);
}

void sn_diff_sort(struct sn_diff *d)
{
    if (d->n > 1)
        qsort(d->v, d->n, sizeof *d->v, cmp_entry);
}

char *sn_diff_format(const struct sn_diff *d)
{
    struct hs_buf b = HS_BUF_INIT;
    for (size_t i = 0; i < d->n; i++) {
        char tag = d->v[i].change == SN_CHANGE_DELETED ? 'D'
                 : d->v[i].change == SN_CHANGE_OPAQUE_DIR ? 'O' : 'A';
        hs_buf_put_u8(&b, (uint8_t)tag);
        hs_buf_put_u8(&b, ' ');
        hs_buf_put(&b, d->v[i].path, strlen(d->v[i].path));
        hs_buf_put_u8(&b, '\n');
    }
    hs_buf_put_u8(&b, 0);
    return (char *)b.data;
}

void sn_diff_free(struct sn_diff *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->v[i].path);
    free(d->v);
    memset(d, 0, sizeof *d);
}

bool sn_delta_needs_copy(const struct sn_file_meta *src, const struct sn_file_meta *dst)
{
    if (!dst)
        return true;
    if ((src->mode & S_IFMT) != (dst->mode & S_IFMT))
        return true;
    if (S_ISREG(src->mode) || S_ISLNK(src->mode))
        return src->size != dst->size || src->mtime_sec != dst->mtime_sec
            || src->mtime_nsec != dst->mtime_nsec;
    if (S_ISCHR(src->mode) || S_ISBLK(src->mode))
        return src->rdev != dst->rdev;
    return false;   /* directories, fifos, sockets: metadata only */
}
