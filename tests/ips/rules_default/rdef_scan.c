/* rdef_scan.c - offline scanner used by bench/ips_detect.sh and by rule writers while
 * `honeyshift ips scan` is not available, and for responses (egress), which that command does
 * not read: rdef_scan --rules FILE [--rules FILE]... PATH...
 * PATH is a file with one raw HTTP request or response, or a directory of such files (not
 * recursive). Prints one JSON line per alert: {"input":PATH,"alert":{"signature_id":N}}.
 * Exit 0 when it ran, 1 on rule or input errors, 2 on usage errors. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/buf.h"
#include "common/util.h"
#include "rdef_harness.h"

#define RDEF_MAX_FILE (16u << 20)

static int read_file(const char *path, struct hs_buf *b)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return -1;
    }
    uint8_t tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0) {
        if (b->len + n > RDEF_MAX_FILE) {
            fprintf(stderr, "%s: larger than %u bytes\n", path, RDEF_MAX_FILE);
            fclose(f);
            return -1;
        }
        hs_buf_put(b, tmp, n);
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        fprintf(stderr, "%s: read error\n", path);
        return -1;
    }
    return 0;
}

static void print_json_str(const char *s)
{
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            printf("\\%c", *p);
        else if (*p < 0x20)
            printf("\\u%04x", *p);
        else
            putchar(*p);
    }
    putchar('"');
}

static int scan_file(const struct ips_ruleset *rs, struct ips_scratch *s, const char *path)
{
    struct hs_buf b = HS_BUF_INIT;
    if (read_file(path, &b) != 0) {
        hs_buf_free(&b);
        return -1;
    }
    struct rdef_result r;
    rdef_scan(rs, s, b.data ? b.data : (const uint8_t *)"", b.len, &r);
    hs_buf_free(&b);
    if (r.status != 0)
        fprintf(stderr, "%s: the HTTP layer rejected the message\n", path);
    size_t n = r.n < RDEF_MAX_SIDS ? r.n : RDEF_MAX_SIDS;
    for (size_t i = 0; i < n; i++) {
        printf("{\"input\":");
        print_json_str(path);
        printf(",\"alert\":{\"signature_id\":%u}}\n", r.sids[i]);
    }
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int scan_path(const struct ips_ruleset *rs, struct ips_scratch *s, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode))
        return scan_file(rs, s, path);
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        size_t len = strlen(path) + strlen(e->d_name) + 2;
        char *full = xmalloc(len);
        if (!hs_snprintf(full, len, "%s/%s", path, e->d_name))
            abort();
        names = xreallocarray(names, n + 1, sizeof(*names));
        names[n++] = full;
    }
    closedir(d);
    if (n > 0)
        qsort(names, n, sizeof(*names), cmp_str);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        struct stat fs;
        if (stat(names[i], &fs) == 0 && S_ISREG(fs.st_mode) && scan_file(rs, s, names[i]) != 0)
            rc = -1;
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    const char **rules = xcalloc((size_t)argc, sizeof(*rules));
    size_t nrules = 0;
    int i = 1;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--rules") == 0 && i + 1 < argc)
            rules[nrules++] = argv[++i];
        else
            break;
    }
    if (nrules == 0 || i >= argc) {
        fprintf(stderr, "usage: rdef_scan --rules FILE [--rules FILE]... PATH...\n");
        free(rules);
        return 2;
    }
    struct ips_vars *v = ips_vars_new();
    ips_vars_set(v, "HOME_NET", "[198.18.0.0/15]");
    char *err = NULL;
    struct ips_ruleset *rs = ips_ruleset_load_files(rules, nrules, v, &err);
    ips_vars_free(v);
    free(rules);
    if (!rs) {
        fprintf(stderr, "%s", err ? err : "rule load failed\n");
        free(err);
        return 1;
    }
    struct ips_scratch *s = ips_scratch_new();
    int rc = 0;
    for (; i < argc; i++)
        if (scan_path(rs, s, argv[i]) != 0)
            rc = 1;
    ips_scratch_free(s);
    ips_ruleset_free(rs);
    return rc;
}
