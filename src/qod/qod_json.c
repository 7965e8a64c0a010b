/* qod_json.c - parse the QoD KPI document and build the result document (jansson, no I/O). */
#include "qod/qod_json.h"

#include "common/util.h"
#include "qod/json_locate.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 8 /* deepest path used: kpis[i].expected.mean */

struct pctx {
    const char *text;
    size_t len;
    const char *source;
    struct qod_jseg path[MAX_DEPTH];
    size_t depth;
    char *err;
};

static void push_key(struct pctx *c, const char *key)
{
    if (c->depth >= MAX_DEPTH)
        abort(); /* programming error: paths are fixed by the format */
    c->path[c->depth++] = (struct qod_jseg){key, 0};
}

static void push_index(struct pctx *c, size_t index)
{
    if (c->depth >= MAX_DEPTH)
        abort();
    c->path[c->depth++] = (struct qod_jseg){NULL, index};
}

static void pop(struct pctx *c) { c->depth--; }

static char *xvformat(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
static char *xvformat(const char *fmt, va_list ap)
{
    va_list aq;
    va_copy(aq, ap);
    int n = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    if (n < 0)
        n = 0;
    char *s = xmalloc((size_t)n + 1);
    if (vsnprintf(s, (size_t)n + 1, fmt, ap) < 0)
        s[0] = '\0';
    return s;
}

static char *xformat(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xformat(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = xvformat(fmt, ap);
    va_end(ap);
    return s;
}

/* Record an error at the current path (at its key when at_key); always returns false. */
static bool fail(struct pctx *c, bool at_key, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool fail(struct pctx *c, bool at_key, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvformat(fmt, ap);
    va_end(ap);
    char *path = qod_json_path_str(c->path, c->depth);
    size_t off, line, col;
    free(c->err);
    if (qod_json_locate(c->text, c->len, c->path, c->depth, at_key, &off)) {
        qod_json_linecol(c->text, c->len, off, &line, &col);
        c->err = xformat("%s:%zu:%zu: %s: %s", c->source, line, col, path, msg);
    } else {
        c->err = xformat("%s: %s: %s", c->source, path, msg);
    }
    free(path);
    free(msg);
    return false;
}

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER:
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    case JSON_NULL: return "null";
    }
    return "something else";
}

/* Reject any key of obj not in allowed (a NULL-terminated list, also quoted in the message). */
static bool check_keys(struct pctx *c, json_t *obj, const char *const *allowed, const char *list)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        bool ok = false;
        for (const char *const *a = allowed; *a && !ok; a++)
            ok = strcmp(*a, key) == 0;
        if (!ok) {
            push_key(c, key);
            return fail(c, true, "unknown key (allowed: %s)", list);
        }
    }
    return true;
}

/* obj[key] must exist. */
static json_t *require(struct pctx *c, json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        fail(c, false, "missing key \"%s\"", key);
    return v;
}

static bool get_number(struct pctx *c, json_t *v, double *out)
{
    if (!json_is_number(v))
        return fail(c, false, "expected a number, got %s", type_name(v));
    double d = json_number_value(v);
    if (!isfinite(d))
        return fail(c, false, "expected a finite number");
    *out = d;
    return true;
}

/* Array of numbers at the current path (already pushed) into a values source. */
static bool get_series(struct pctx *c, json_t *v, struct qod_source *src)
{
    if (!json_is_array(v))
        return fail(c, false, "expected an array of numbers, got %s", type_name(v));
    size_t n = json_array_size(v);
    if (n == 0)
        return fail(c, false, "empty series: no values, so no image (mean, std)");
    src->kind = QOD_SRC_VALUES;
    src->values = xreallocarray(NULL, n, sizeof *src->values);
    src->n = 0;
    for (size_t i = 0; i < n; i++) {
        push_index(c, i);
        if (!get_number(c, json_array_get(v, i), &src->values[i]))
            return false;
        pop(c);
        src->n++;
    }
    struct qod_image img;
    enum qod_err e = qod_image(src->values, src->n, &img);
    if (e != QOD_OK)
        return fail(c, false, "%s", qod_strerror(e));
    return true;
}

/* Series "expected": an array or {"mean", "std"}. */
static bool get_expected_series(struct pctx *c, json_t *v, struct qod_source *src)
{
    if (!json_is_object(v)) {
        if (!json_is_array(v))
            return fail(c, false, "expected an array of numbers or {\"mean\", \"std\"}, got %s",
                        type_name(v));
        return get_series(c, v, src);
    }
    static const char *const keys[] = {"mean", "std", NULL};
    if (!check_keys(c, v, keys, "mean, std"))
        return false;
    json_t *m = require(c, v, "mean"), *s = m ? require(c, v, "std") : NULL;
    if (!s)
        return false;
    struct qod_image img;
    push_key(c, "mean");
    if (!get_number(c, m, &img.mean))
        return false;
    pop(c);
    push_key(c, "std");
    if (!get_number(c, s, &img.std))
        return false;
    if (img.std < 0.0)
        return fail(c, false, "standard deviation must be >= 0");
    pop(c);
    src->kind = QOD_SRC_IMAGE;
    src->image = img;
    return true;
}

static bool get_strset(struct pctx *c, json_t *v, struct qod_strset *set)
{
    if (!json_is_array(v))
        return fail(c, false, "expected an array of strings, got %s", type_name(v));
    size_t n = json_array_size(v);
    set->present = true;
    set->items = xreallocarray(NULL, n ? n : 1, sizeof *set->items);
    set->n = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(v, i);
        if (!json_is_string(e)) {
            push_index(c, i);
            return fail(c, false, "expected a string, got %s", type_name(e));
        }
        set->items[set->n++] = xstrdup(json_string_value(e));
    }
    return true;
}

static const char *const kpi_keys[] = {"name", "type", "expected", "calculated", "observed", NULL};
#define KPI_KEY_LIST "name, type, expected, calculated, observed"

static bool parse_series(struct pctx *c, json_t *obj, struct qod_kpi *k)
{
    json_t *e = json_object_get(obj, "expected"), *ca = json_object_get(obj, "calculated");
    if (!e && !ca)
        return fail(c, false, "a series needs \"expected\" or \"calculated\" (or both)");
    json_t *o = require(c, obj, "observed");
    if (!o)
        return false;
    if (e) {
        push_key(c, "expected");
        if (!get_expected_series(c, e, &k->expected))
            return false;
        pop(c);
    }
    if (ca) {
        push_key(c, "calculated");
        if (!get_series(c, ca, &k->calculated))
            return false;
        pop(c);
    }
    push_key(c, "observed");
    if (!get_series(c, o, &k->observed))
        return false;
    pop(c);
    return true;
}

static bool parse_set(struct pctx *c, json_t *obj, struct qod_kpi *k)
{
    json_t *e = json_object_get(obj, "expected"), *ca = json_object_get(obj, "calculated");
    if (!e && !ca)
        return fail(c, false, "a set needs \"expected\" or \"calculated\" (or both)");
    json_t *o = require(c, obj, "observed");
    if (!o)
        return false;
    struct {
        const char *key;
        json_t *v;
        struct qod_strset *set;
    } parts[] = {{"expected", e, &k->set_expected},
                 {"calculated", ca, &k->set_calculated},
                 {"observed", o, &k->set_observed}};
    for (size_t i = 0; i < HS_ARRAY_SIZE(parts); i++) {
        if (!parts[i].v)
            continue;
        push_key(c, parts[i].key);
        if (!get_strset(c, parts[i].v, parts[i].set))
            return false;
        pop(c);
    }
    return true;
}

static bool parse_kpi(struct pctx *c, json_t *obj, struct qod_kpi *k, char **name_store)
{
    if (!json_is_object(obj))
        return fail(c, false, "expected a KPI object, got %s", type_name(obj));
    if (!check_keys(c, obj, kpi_keys, KPI_KEY_LIST))
        return false;
    json_t *name = require(c, obj, "name");
    if (!name)
        return false;
    push_key(c, "name");
    if (!json_is_string(name))
        return fail(c, false, "expected a non-empty string, got %s", type_name(name));
    if (json_string_length(name) == 0)
        return fail(c, false, "expected a non-empty string, got \"\"");
    pop(c);
    *name_store = xstrdup(json_string_value(name));
    k->name = *name_store;
    json_t *type = require(c, obj, "type");
    if (!type)
        return false;
    push_key(c, "type");
    const char *t = json_string_value(type);
    if (!t)
        return fail(c, false, "expected \"series\" or \"set\", got %s", type_name(type));
    if (strcmp(t, "series") == 0)
        k->type = QOD_KPI_SERIES;
    else if (strcmp(t, "set") == 0)
        k->type = QOD_KPI_SET;
    else
        return fail(c, false, "unknown KPI type (want \"series\" or \"set\")");
    pop(c);
    return k->type == QOD_KPI_SERIES ? parse_series(c, obj, k) : parse_set(c, obj, k);
}

struct name_ix {
    const char *name;
    size_t ix;
};

static int cmp_name_ix(const void *a, const void *b)
{
    const struct name_ix *x = a, *y = b;
    int r = strcmp(x->name, y->name);
    return r ? r : (x->ix > y->ix) - (x->ix < y->ix);
}

/* KPI names must be unique: report the earliest second occurrence. */
static bool check_unique_names(struct pctx *c, const struct qod_input *in)
{
    struct name_ix *v = xreallocarray(NULL, in->n, sizeof *v);
    for (size_t i = 0; i < in->n; i++)
        v[i] = (struct name_ix){in->kpis[i].name, i};
    qsort(v, in->n, sizeof *v, cmp_name_ix);
    size_t dup = in->n, first = 0;
    for (size_t i = 1; i < in->n; i++)
        if (strcmp(v[i - 1].name, v[i].name) == 0 && v[i].ix < dup) {
            size_t g = i - 1; /* the group's first element has the smallest index */
            while (g > 0 && strcmp(v[g - 1].name, v[i].name) == 0)
                g--;
            dup = v[i].ix;
            first = v[g].ix;
        }
    free(v);
    if (dup == in->n)
        return true;
    push_key(c, "kpis");
    push_index(c, dup);
    push_key(c, "name");
    return fail(c, false, "duplicate KPI name (first used by kpis[%zu])", first);
}

/* The top level: {"kpis": [KPI, ...]}. */
static bool parse_root(struct pctx *c, json_t *root, struct qod_input *in)
{
    static const char *const top_keys[] = {"kpis", NULL};
    if (!json_is_object(root))
        return fail(c, false, "expected an object {\"kpis\": [...]}, got %s", type_name(root));
    if (!check_keys(c, root, top_keys, "kpis"))
        return false;
    json_t *kpis = require(c, root, "kpis");
    if (!kpis)
        return false;
    push_key(c, "kpis");
    if (!json_is_array(kpis))
        return fail(c, false, "expected an array of KPIs, got %s", type_name(kpis));
    size_t n = json_array_size(kpis);
    if (n == 0)
        return fail(c, false, "no KPIs (the QoD of zero KPIs is undefined)");
    in->kpis = xcalloc(n, sizeof *in->kpis);
    in->names = xcalloc(n, sizeof *in->names);
    in->n = n;
    for (size_t i = 0; i < n; i++) {
        push_index(c, i);
        if (!parse_kpi(c, json_array_get(kpis, i), &in->kpis[i], &in->names[i]))
            return false;
        c->depth = 1;
    }
    c->depth = 0;
    return check_unique_names(c, in);
}

bool qod_json_parse(const char *text, size_t len, const char *source, struct qod_input *in,
                    char **err)
{
    struct pctx c = {.text = text, .len = len, .source = source};
    *in = (struct qod_input){0};
    *err = NULL;
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_INT_AS_REAL, &je);
    if (!root) {
        if (je.line > 0 && je.column > 0)
            *err = xformat("%s:%d:%d: %s", source, je.line, je.column, je.text);
        else
            *err = xformat("%s: %s", source, je.text);
        return false;
    }
    bool ok = parse_root(&c, root, in);
    json_decref(root);
    if (!ok) {
        qod_input_free(in);
        *err = c.err ? c.err : xformat("%s: invalid input", source);
    }
    return ok;
}

static void free_strset(struct qod_strset *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->items[i]);
    free(s->items);
}

void qod_input_free(struct qod_input *in)
{
    for (size_t i = 0; i < in->n; i++) {
        struct qod_kpi *k = &in->kpis[i];
        free(k->expected.values);
        free(k->calculated.values);
        free(k->observed.values);
        free_strset(&k->set_expected);
        free_strset(&k->set_calculated);
        free_strset(&k->set_observed);
        free(in->names[i]);
    }
    free(in->kpis);
    free(in->names);
    *in = (struct qod_input){0};
}

json_t *qod_json_result(const struct qod_input *in, const struct qod_result *res)
{
    json_t *root = json_object(), *arr = json_array();
    if (!root || !arr || json_object_set_new(root, "qod", json_real(res->qod)) != 0 ||
        json_object_set(root, "kpis", arr) != 0)
        goto oom;
    for (size_t i = 0; i < in->n && i < res->n; i++) {
        json_t *k = json_object();
        if (!k || json_array_append_new(arr, k) != 0 ||
            json_object_set_new(k, "name", json_string(in->kpis[i].name)) != 0 ||
            json_object_set_new(k, "change", json_real(res->changes[i])) != 0)
            goto oom;
    }
    json_decref(arr);
    return root;
oom:
    json_decref(arr);
    json_decref(root);
    return NULL;
}

char *qod_json_result_dump(const struct qod_input *in, const struct qod_result *res, bool pretty)
{
    json_t *doc = qod_json_result(in, res);
    if (!doc)
        return NULL;
    size_t flags = JSON_REAL_PRECISION(17) | (pretty ? JSON_INDENT(2) : JSON_COMPACT);
    char *s = json_dumps(doc, flags);
    json_decref(doc);
    return s;
}
