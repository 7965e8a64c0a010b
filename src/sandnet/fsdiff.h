/* fsdiff.h - the file-system diff of a container = its overlay upper dir: listing the changes
 * ("docker diff") and the delta-copy decisions (pure parts; the walk is in fsdiff_io.c). */
#ifndef HS_SANDNET_FSDIFF_H
#define HS_SANDNET_FSDIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum sn_change { SN_CHANGE_ADDED_OR_CHANGED, SN_CHANGE_DELETED, SN_CHANGE_OPAQUE_DIR };

struct sn_diff_entry {
    char *path;                   /* relative to the container root, leading "/" */
    enum sn_change change;
    mode_t mode;
    uint64_t size;
};

struct sn_diff {
    struct sn_diff_entry *v;
    size_t n, cap;
    uint64_t bytes;               /* sum of regular file sizes */
};

/* Classify one upper-dir entry: a 0/0 character device is a whiteout (deleted in the lower
 * layer), a directory with trusted.overlay.opaque="y" replaces the lower one. */
enum sn_change sn_diff_classify(mode_t mode, dev_t rdev, bool opaque_xattr);
/* Append an entry (path copied). */
void sn_diff_add(struct sn_diff *d, const char *path, enum sn_change c, mode_t mode, uint64_t size);
/* Sort by path (stable output). */
void sn_diff_sort(struct sn_diff *d);
/* One line per entry like docker diff: "A /path", "D /path", "O /path" (opaque dir);
 * caller frees. */
char *sn_diff_format(const struct sn_diff *d);
void sn_diff_free(struct sn_diff *d);

/* The facts the delta copier compares. */
struct sn_file_meta {
    mode_t mode;          /* includes the file type */
    uint64_t size;
    int64_t mtime_sec;
    long mtime_nsec;
    dev_t rdev;
};
/* Must the destination be (re)written? Yes when it is missing, of another type, or a regular
 * file / symlink whose size or mtime differ, or a device with another rdev. */
bool sn_delta_needs_copy(const struct sn_file_meta *src, const struct sn_file_meta *dst_or_null);

/* Counters of a tree copy. */
struct sn_copy_stats {
    uint64_t files_copied, files_skipped, bytes_copied, dirs, links, specials;
};

/* Walk an overlay upper dir and list the changes (I/O; fsdiff_io.c). */
bool sn_diff_list(const char *upper, struct sn_diff *out);
/* Delta-copy the tree src into dst (created when missing): directories, regular files (only
 * when sn_delta_needs_copy), symlinks, device nodes (whiteouts), owners, modes, mtimes and
 * trusted.overlay.* xattrs. With prune, entries in dst absent from src are removed. */
bool sn_tree_copy(const char *src, const char *dst, bool prune, struct sn_copy_stats *st);
/* mkdir -p path (the last component with mode). */
bool sn_mkdir_p(const char *path, mode_t mode);
/* rm -rf path (no error when missing); refuses "/", relative paths and
 * crossing into another mount. */
bool sn_tree_remove(const char *path);

#endif
