/* lab_fs.h - file helpers of the lab's state directory. */
#ifndef HS_LAB_LAB_FS_H
#define HS_LAB_LAB_FS_H

#include <stdbool.h>
#include <stddef.h>

#define HS_LAB_MARKER ".honeyshift-lab"    /* in the state dir: the lab's name */

/* mkdir -p (mode 0755). */
int hs_lab_mkdir_p(const char *path, char *err, size_t err_size);
/* Replace path's content atomically; leaves it untouched when it holds exactly data already. */
int hs_lab_write_file(const char *path, const void *data, size_t len, char *err,
                      size_t err_size);
/* Read a whole file (at most max bytes) into a malloc'd NUL-terminated string; NULL with errno. */
char *hs_lab_read_file(const char *path, size_t max, size_t *len);
/* rm -r that does not cross mount points and does not follow symlinks; 0 also when absent. */
int hs_lab_rm_tree(const char *path, char *err, size_t err_size);
/* True when the state dir carries the marker of lab. */
bool hs_lab_marker_is(const char *state_dir, const char *lab);

#endif
