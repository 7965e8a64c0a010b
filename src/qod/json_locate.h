/* json_locate.h - find where a value sits in JSON text, for error messages with line:column.
 * jansson reports positions only for syntax errors; these helpers re-scan the (already
 * validated) text along a path of keys and indices. Pure, no I/O. */
#ifndef HS_QOD_JSON_LOCATE_H
#define HS_QOD_JSON_LOCATE_H

#include <stdbool.h>
#include <stddef.h>

/* One step of a path: an object member (key != NULL) or an array element (index). */
struct qod_jseg {
    const char *key;
    size_t index;
};

/* Byte offset in text[len] of the value at path[depth] (or, when at_key, of the last
 * member's key); false when the path is not found or the text is malformed. */
bool qod_json_locate(const char *text, size_t len, const struct qod_jseg *path, size_t depth,
                     bool at_key, size_t *offset);
/* 1-based line and column of a byte offset; columns count UTF-8 characters, like jansson. */
void qod_json_linecol(const char *text, size_t len, size_t offset, size_t *line, size_t *col);
/* The path as a new string the caller frees, in the form kpis[1].observed[2] (keys that are
 * not identifiers as ["k\"ey"]); "top level" for depth 0. */
char *qod_json_path_str(const struct qod_jseg *path, size_t depth);

#endif
