/* run.c - checked fork/exec of helper programs with captured output. */
#include "sandnet/run.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/criu_kdat.h"
#include "common/log.h"
#include "common/util.h"

#ifndef HS_SOURCE_ROOT
#error "HS_SOURCE_ROOT must be defined by the build (src/sandnet/meson.build)"
#endif

static char criu_dir[512];

void sn_set_criu_dir(const char *dir)
{
    if (!hs_strlcpy(criu_dir, dir, sizeof criu_dir))
        LOG_WARN("sandnet: criu dir too long, ignored: %s", dir);
}

const char *sn_criu_dir(void)
{
    if (!criu_dir[0]) {
        const char *env = getenv("HS_CRIU_DIR");
        const char *src = getenv("HS_SOURCE_DIR");
        if (env && env[0])
            sn_set_criu_dir(env);
        else if (!hs_snprintf(criu_dir, sizeof criu_dir, "%s/.deps/criu/sbin",
                              src && src[0] ? src : HS_SOURCE_ROOT))
            criu_dir[0] = '\0';
    }
    return criu_dir;
}

static void criu_prepare_once(void)
{
    char criu[600], err[256];
    if (!hs_snprintf(criu, sizeof criu, "%s/criu", sn_criu_dir())) {
        LOG_WARN("sandnet: criu path too long: no kernel-feature cache");
        return;
    }
    if (!hs_criu_kdat_fresh(criu) && hs_criu_kdat_prepare(criu, err, sizeof err) != 0)
        LOG_WARN("sandnet: %s: every CRIU run probes the kernel", err);
}

void sn_criu_prepare(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, criu_prepare_once);
}

const char *sn_source_dir(void)
{
    const char *src = getenv("HS_SOURCE_DIR");
    return src && src[0] ? src : HS_SOURCE_ROOT;
}

/* Read a memory file from the start into out (NUL-terminated). */
static void slurp(int fd, struct hs_buf *out)
{
    if (lseek(fd, 0, SEEK_SET) < 0)
        return;
    for (;;) {
        uint8_t *p = hs_buf_reserve(out, 4096);
        ssize_t n = read(fd, p, 4096);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        out->len += (size_t)n;
    }
    hs_buf_put_u8(out, 0);
    out->len--;
}

static void cmdline(const char *const argv[], char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; argv[i] && used + 1 < size; i++) {
        int n = snprintf(buf + used, size - used, "%s%s", i ? " " : "", argv[i]);
        if (n < 0 || (size_t)n >= size - used)
            break;   /* log text only: a cut command line is acceptable here */
        used += (size_t)n;
    }
}

int sn_run(const char *const argv[], struct hs_buf *out, int timeout_ms, bool quiet)
{
    int ofd = memfd_create("sn-out", MFD_CLOEXEC);
    int efd = memfd_create("sn-err", MFD_CLOEXEC);
    if (ofd < 0 || efd < 0) {
        LOG_ERR("sandnet: memfd_create: %s", strerror(errno));
        if (ofd >= 0)
            close(ofd);
        if (efd >= 0)
            close(efd);
        return -1;
    }
    char path[1024];
    const char *old = getenv("PATH");
    bool path_ok = hs_snprintf(path, sizeof path, "%s:%s", sn_criu_dir(),
                               old ? old : "/usr/sbin:/usr/bin:/sbin:/bin");
    pid_t pid = path_ok ? fork() : -1;
    if (pid == 0) {
        int nul = open("/dev/null", O_RDONLY);
        if (nul < 0 || dup2(nul, 0) < 0 || dup2(ofd, 1) < 0 || dup2(efd, 2) < 0)
            _exit(126);
        setenv("PATH", path, 1);
        execvp(argv[0], (char *const *)argv);
        fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    char cmd[512];
    cmdline(argv, cmd, sizeof cmd);
    if (pid < 0) {
        LOG_ERR("sandnet: cannot run %s: %s", cmd, path_ok ? strerror(errno) : "PATH too long");
        close(ofd);
        close(efd);
        return -1;
    }
    int status = 0;
    uint64_t deadline = hs_now_ms() + (uint64_t)(timeout_ms > 0 ? timeout_ms : 60000);
    bool timed_out = false;
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            break;
        if (r < 0 && errno != EINTR) {
            LOG_ERR("sandnet: waitpid %s: %s", cmd, strerror(errno));
            status = -1;
            break;
        }
        if (!timed_out && hs_now_ms() > deadline) {
            kill(pid, SIGKILL);
            timed_out = true;
        }
        struct timespec ts = {0, 1000000};   /* 1 ms: fine-grained, these are step timings */
        nanosleep(&ts, NULL);
    }
    int rc;
    if (timed_out)
        rc = -1;
    else if (status != -1 && WIFEXITED(status))
        rc = WEXITSTATUS(status);
    else
        rc = -1;
    if (out)
        slurp(ofd, out);
    if (rc != 0 && !quiet) {
        struct hs_buf err = HS_BUF_INIT;
        slurp(efd, &err);
        LOG_ERR("sandnet: '%s' %s%s%s", cmd,
                timed_out ? "timed out" : rc < 0 ? "died" : "failed",
                err.len ? ": " : "", err.len ? (const char *)err.data : "");
        hs_buf_free(&err);
    }
    close(ofd);
    close(efd);
    return rc;
}
