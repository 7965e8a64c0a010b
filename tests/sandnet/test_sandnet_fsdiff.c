/* test_sandnet_fsdiff.c - FS diff classification/listing and the delta tree copier. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "sandnet/fsdiff.h"

static void test_classify(void **state)
{
    (void)state;
    assert_int_equal(sn_diff_classify(S_IFCHR | 0, makedev(0, 0), false), SN_CHANGE_DELETED);
    assert_int_equal(sn_diff_classify(S_IFCHR | 0666, makedev(1, 3), false), SN_CHANGE_ADDED_OR_CHANGED);
    assert_int_equal(sn_diff_classify(S_IFDIR | 0755, 0, true), SN_CHANGE_OPAQUE_DIR);
    assert_int_equal(sn_diff_classify(S_IFDIR | 0755, 0, false), SN_CHANGE_ADDED_OR_CHANGED);
    assert_int_equal(sn_diff_classify(S_IFREG | 0644, 0, true), SN_CHANGE_ADDED_OR_CHANGED);
}

static void test_format_sorted(void **state)
{
    (void)state;
    struct sn_diff d = {0};
    sn_diff_add(&d, "/var/log/x", SN_CHANGE_ADDED_OR_CHANGED, S_IFREG | 0644, 10);
    sn_diff_add(&d, "/etc/gone", SN_CHANGE_DELETED, S_IFCHR, 0);
    sn_diff_add(&d, "/etc", SN_CHANGE_ADDED_OR_CHANGED, S_IFDIR | 0755, 4096);
    sn_diff_add(&d, "/opt", SN_CHANGE_OPAQUE_DIR, S_IFDIR | 0755, 4096);
    sn_diff_sort(&d);
    char *s = sn_diff_format(&d);
    assert_string_equal(s, "A /etc\nD /etc/gone\nO /opt\nA /var/log/x\n");
    assert_int_equal(d.bytes, 10);   /* directories do not count as content */
    free(s);
    sn_diff_free(&d);
    assert_int_equal(d.n, 0);
    s = sn_diff_format(&d);
    assert_string_equal(s, "");
    free(s);
}

static void test_needs_copy(void **state)
{
    (void)state;
    struct sn_file_meta a = {S_IFREG | 0644, 100, 1000, 5, 0}, b = a;
    assert_true(sn_delta_needs_copy(&a, NULL));
    assert_false(sn_delta_needs_copy(&a, &b));
    b.size = 101;
    assert_true(sn_delta_needs_copy(&a, &b));
    b = a;
    b.mtime_nsec = 6;
    assert_true(sn_delta_needs_copy(&a, &b));
    b = a;
    b.mode = S_IFLNK | 0777;
    assert_true(sn_delta_needs_copy(&a, &b));
    b = a;
    b.mode = S_IFREG | 0600;          /* permissions alone: metadata, not content */
    assert_false(sn_delta_needs_copy(&a, &b));
    struct sn_file_meta w = {S_IFCHR, 0, 1, 0, makedev(0, 0)}, x = w;
    assert_false(sn_delta_needs_copy(&w, &x));
    x.rdev = makedev(1, 3);
    assert_true(sn_delta_needs_copy(&w, &x));
    struct sn_file_meta d1 = {S_IFDIR | 0755, 4096, 1, 0, 0}, d2 = d1;
    d2.mtime_sec = 99;
    assert_false(sn_delta_needs_copy(&d1, &d2));
}

/* ---- I/O: a real tree in a temporary directory */

static char base[64];

static void put(const char *rel, const char *text)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", base, rel);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static char *get(const char *rel)
{
    static char buf[256];
    char p[256];
    snprintf(p, sizeof p, "%s/%s", base, rel);
    FILE *f = fopen(p, "r");
    if (!f)
        return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void mk(const char *rel)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", base, rel);
    assert_int_equal(mkdir(p, 0755), 0);
}

static int setup(void **state)
{
    (void)state;
    strcpy(base, "/tmp/sn-fsdiff-XXXXXX");
    return mkdtemp(base) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return sn_tree_remove(base) ? 0 : -1;
}

static void test_tree_copy_delta(void **state)
{
    (void)state;
    mk("src");
    mk("src/etc");
    put("src/etc/a.conf", "alpha\n");
    put("src/etc/b.conf", "bravo\n");
    char p[256], q[256];
    snprintf(p, sizeof p, "%s/src/etc/link", base);
    assert_int_equal(symlink("a.conf", p), 0);
    snprintf(p, sizeof p, "%s/src", base);
    snprintf(q, sizeof q, "%s/dst", base);

    struct sn_copy_stats st = {0};
    assert_true(sn_tree_copy(p, q, true, &st));
    assert_int_equal(st.files_copied, 2);
    assert_int_equal(st.links, 1);
    assert_int_equal(st.bytes_copied, 12);
    assert_string_equal(get("dst/etc/b.conf"), "bravo\n");
    char target[64] = "";
    snprintf(p, sizeof p, "%s/dst/etc/link", base);
    assert_int_equal(readlink(p, target, sizeof target - 1), 6);
    assert_string_equal(target, "a.conf");

    /* second pass: nothing changed, nothing copied */
    memset(&st, 0, sizeof st);
    snprintf(p, sizeof p, "%s/src", base);
    assert_true(sn_tree_copy(p, q, true, &st));
    assert_int_equal(st.files_copied, 0);
    assert_int_equal(st.files_skipped, 3);

    /* one file changed (other size), one deleted: only that is copied, prune removes the other */
    put("src/etc/a.conf", "alpha2\n");
    snprintf(p, sizeof p, "%s/src/etc/b.conf", base);
    assert_int_equal(unlink(p), 0);
    memset(&st, 0, sizeof st);
    snprintf(p, sizeof p, "%s/src", base);
    assert_true(sn_tree_copy(p, q, true, &st));
    assert_int_equal(st.files_copied, 1);
    assert_int_equal(st.bytes_copied, 7);
    assert_string_equal(get("dst/etc/a.conf"), "alpha2\n");
    assert_null(get("dst/etc/b.conf"));

    /* mtimes are kept: a same-size rewrite with the old mtime would be skipped, so copies
     * must carry the source mtime exactly */
    struct stat s1, s2;
    snprintf(p, sizeof p, "%s/src/etc/a.conf", base);
    snprintf(q, sizeof q, "%s/dst/etc/a.conf", base);
    assert_int_equal(stat(p, &s1), 0);
    assert_int_equal(stat(q, &s2), 0);
    assert_int_equal(s1.st_mtim.tv_sec, s2.st_mtim.tv_sec);
    assert_int_equal(s1.st_mtim.tv_nsec, s2.st_mtim.tv_nsec);
    assert_int_equal(s1.st_mode, s2.st_mode);
}

static void test_list_upper(void **state)
{
    (void)state;
    if (geteuid() != 0) {
        skip();   /* whiteouts (mknod 0/0) and trusted.* xattrs need root */
    }
    mk("upper");
    mk("upper/etc");
    mk("upper/opt");
    put("upper/etc/new.conf", "new\n");
    char p[256], q[256];
    snprintf(p, sizeof p, "%s/upper/etc/removed", base);
    assert_int_equal(mknod(p, S_IFCHR | 0, makedev(0, 0)), 0);
    snprintf(p, sizeof p, "%s/upper/opt", base);
    assert_int_equal(setxattr(p, "trusted.overlay.opaque", "y", 1, 0), 0);

    struct sn_diff d = {0};
    snprintf(p, sizeof p, "%s/upper", base);
    assert_true(sn_diff_list(p, &d));
    char *s = sn_diff_format(&d);
    assert_string_equal(s, "A /etc\nA /etc/new.conf\nD /etc/removed\nO /opt\n");
    assert_int_equal(d.bytes, 4);
    free(s);
    sn_diff_free(&d);

    /* the copy keeps the overlay semantics: whiteout and opaque marker survive */
    struct sn_copy_stats st = {0};
    snprintf(q, sizeof q, "%s/upper2", base);
    assert_true(sn_tree_copy(p, q, false, &st));
    assert_int_equal(st.specials, 1);
    assert_true(sn_diff_list(q, &d));
    s = sn_diff_format(&d);
    assert_string_equal(s, "A /etc\nA /etc/new.conf\nD /etc/removed\nO /opt\n");
    free(s);
    sn_diff_free(&d);
    snprintf(p, sizeof p, "%s/nonexistent", base);
    assert_false(sn_diff_list(p, &d));
    sn_diff_free(&d);
}

static void test_remove_refuses(void **state)
{
    (void)state;
    assert_false(sn_tree_remove("/"));
    assert_false(sn_tree_remove("relative/path"));
    assert_true(sn_tree_remove("/tmp/sn-fsdiff-does-not-exist"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classify),
        cmocka_unit_test(test_format_sorted),
        cmocka_unit_test(test_needs_copy),
        cmocka_unit_test_setup_teardown(test_tree_copy_delta, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_upper, setup, teardown),
        cmocka_unit_test(test_remove_refuses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
