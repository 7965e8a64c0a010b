/* criu_kdat.c - CRIU's kernel-feature cache on a machine whose /run is not a tmpfs.
 *
 * Every CRIU run starts by probing kernel features (25-70 ms here) unless it can load
 * /run/criu.kdat. CRIU writes that file only when /run is a tmpfs (so that a reboot removes it),
 * but loads it from wherever /run lives (magic numbers and size checked, no file-system check).
 * Where /run is not a tmpfs, `criu check` runs once in a private mount namespace with a tmpfs on
 * /run, and the file CRIU wrote there is installed as /run/criu.kdat (atomic rename). Hosts see
 * the root's /run, and so do nested PID namespaces and runc's `criu swrk`: they all load it. */
#include "common/criu_kdat.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define KDAT_NAME "criu.kdat"
#define KDAT_MAX (64 * 1024)

/* Child: private mounts, tmpfs on /run, criu check, copy the cache to the real /run. */
static void probe_child(const char *criu) __attribute__((noreturn));
static void probe_child(const char *criu)
{
    int runfd = open("/run", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (runfd < 0 || unshare(CLONE_NEWNS) != 0 ||
        mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
        mount("hs-kdat", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755") != 0)
        _exit(2);
    pid_t c = fork();
    if (c < 0)
        _exit(2);
    if (c == 0) {
        int nul = open("/dev/null", O_RDWR);
        if (nul >= 0) {
            dup2(nul, 1);
            dup2(nul, 2);
        }
        execl(criu, criu, "check", (char *)NULL);
        _exit(127);
    }
    int ws;
    while (waitpid(c, &ws, 0) < 0 && errno == EINTR)
        ;
    static char buf[KDAT_MAX];
    int in = open("/run/" KDAT_NAME, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        _exit(3);
    ssize_t n = read(in, buf, sizeof buf);
    close(in);
    if (n <= 0 || n == (ssize_t)sizeof buf)
        _exit(3);
    char tmp[64];
    snprintf(tmp, sizeof tmp, KDAT_NAME ".hs-%d", (int)getpid());
    int out = openat(runfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (out < 0)
        _exit(4);
    if (write(out, buf, (size_t)n) != n || close(out) != 0 ||
        renameat(runfd, tmp, runfd, KDAT_NAME) != 0) {
        unlinkat(runfd, tmp, 0);
        _exit(4);
    }
    _exit(0);
}

static bool run_is_tmpfs(void)
{
    struct statfs s;
    return statfs("/run", &s) == 0 && s.f_type == TMPFS_MAGIC;
}

int hs_criu_kdat_prepare(const char *criu, char *err, size_t es)
{
    if (run_is_tmpfs())
        return 0; /* CRIU keeps its cache there itself */
    pid_t p = fork();
    if (p < 0) {
        snprintf(err, es, "fork: %s", strerror(errno));
        return -1;
    }
    if (p == 0)
        probe_child(criu);
    int ws;
    while (waitpid(p, &ws, 0) < 0 && errno == EINTR)
        ;
    if (!WIFEXITED(ws) || WEXITSTATUS(ws) != 0) {
        snprintf(err, es, "CRIU kernel-feature cache not installed (step %d)",
                 WIFEXITED(ws) ? WEXITSTATUS(ws) : -1);
        return -1;
    }
    return 0;
}

bool hs_criu_kdat_fresh(const char *criu)
{
    if (run_is_tmpfs())
        return true;
    struct stat k, c;
    struct timespec up, now;
    if (stat("/run/" KDAT_NAME, &k) != 0 || stat(criu, &c) != 0
        || clock_gettime(CLOCK_BOOTTIME, &up) != 0 || clock_gettime(CLOCK_REALTIME, &now) != 0)
        return false;
    time_t boot = now.tv_sec - up.tv_sec;
    /* a second of slack for the boot time's rounding */
    return k.st_size > 0 && k.st_mtime > boot + 1 && k.st_mtime >= c.st_mtime;
}
