/* lab_svc.c - service files, start, liveness. */
#include "lab/lab_svc.h"
#include "common/buf.h"
#include "common/util.h"
#include "lab/lab_fs.h"
#include "lab/lab_gen.h"
#include "lab/lab_names.h"
#include "lab/lab_ns.h"
#include "lab/lab_proc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SVC_START_TIMEOUT_MS 10000

int hs_lab_svc_write_files(const struct hs_host *h, const struct hs_service *svc,
                           const char *host_dir, char *err, size_t err_size)
{
    if (svc->kind != HS_SVC_NGINX) {
        snprintf(err, err_size, "service kind %s not supported yet",
                 hs_service_kind_name(svc->kind));
        return -1;
    }
    static const char *dirs[] = {"www", "log", "tmp"};
    char path[4096];
    for (size_t i = 0; i < HS_ARRAY_SIZE(dirs); i++) {
        if (!hs_snprintf(path, sizeof path, "%s/%s", host_dir, dirs[i])) {
            snprintf(err, err_size, "path too long: %s/%s", host_dir, dirs[i]);
            return -1;
        }
        if (hs_lab_mkdir_p(path, err, err_size) != 0)
            return -1;
    }
    struct hs_buf conf = HS_BUF_INIT, page = HS_BUF_INIT;
    int rc = -1;
    /* the configuration names the host's files by the in-host path (see HS_LAB_HOST_MOUNT) */
    if (hs_lab_gen_nginx_conf(svc, HS_LAB_HOST_MOUNT, &conf, err, err_size) != 0)
        goto out;
    hs_lab_gen_index_html(hs_lab_hostname(h), svc, &page);
    if (!hs_snprintf(path, sizeof path, "%s/nginx.conf", host_dir) ||
        hs_lab_write_file(path, conf.data, conf.len, err, err_size) != 0)
        goto out;
    if (!hs_snprintf(path, sizeof path, "%s/www/index.html", host_dir) ||
        hs_lab_write_file(path, page.data, page.len, err, err_size) != 0)
        goto out;
    rc = 0;
out:
    hs_buf_free(&conf);
    hs_buf_free(&page);
    return rc;
}

struct nginx_match {
    char conf[4096];
};

/* nginx retitles its master "nginx: master process /usr/sbin/nginx -c CONF ...". */
static bool match_nginx_master(pid_t pid, const struct hs_proc_argv *a, void *ctx)
{
    (void)pid;
    const struct nginx_match *m = ctx;
    if (strncmp(a->joined, "nginx: master process", 21) != 0)
        return false;
    const char *p = strstr(a->joined, m->conf);
    if (!p)
        return false;
    char after = p[strlen(m->conf)];
    return after == '\0' || after == ' ';
}

pid_t hs_lab_svc_pid(const struct hs_service *svc, const char *host_dir)
{
    if (svc->kind != HS_SVC_NGINX)
        return 0;
    struct nginx_match m;
    if (!hs_snprintf(m.conf, sizeof m.conf, "-c %s/nginx.conf", host_dir))
        return 0;
    pid_t pids[4];
    size_t n = hs_proc_find(match_nginx_master, &m, pids, HS_ARRAY_SIZE(pids));
    return n ? pids[0] : 0;
}

bool hs_lab_svc_accepts(pid_t init_pid, const struct hs_service *svc)
{
    char err[256];
    int ns = hs_lab_netns_open(init_pid, err, sizeof err);
    if (ns < 0)
        return false;
    int s = hs_lab_socket_in(ns, AF_INET, SOCK_STREAM | SOCK_NONBLOCK);
    close(ns);
    if (s < 0)
        return false;
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(svc->port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bool ok = false;
    if (connect(s, (struct sockaddr *)&sa, sizeof sa) == 0) {
        ok = true;
    } else if (errno == EINPROGRESS) {
        struct pollfd pf = {.fd = s, .events = POLLOUT};
        int soerr = 0;
        socklen_t sl = sizeof soerr;
        ok = poll(&pf, 1, 1000) == 1 && getsockopt(s, SOL_SOCKET, SO_ERROR, &soerr, &sl) == 0 &&
             soerr == 0;
    }
    close(s);
    return ok;
}

static void sleep_ms(unsigned ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

int hs_lab_svc_ensure(pid_t init_pid, const struct hs_host *h, const struct hs_service *svc,
                      const char *host_dir, bool *started, char *err, size_t err_size)
{
    *started = false;
    if (svc->kind != HS_SVC_NGINX) {
        snprintf(err, err_size, "service kind %s not supported yet",
                 hs_service_kind_name(svc->kind));
        return -1;
    }
    pid_t pid = hs_lab_svc_pid(svc, host_dir);
    if (pid && hs_lab_svc_accepts(init_pid, svc))
        return 0;
    if (pid) {
        /* running but deaf: a half-started earlier attempt; replace it */
        hs_proc_stop(pid, 2000);
    }
    char conf[4096], errlog[4096], prefix[4096], startlog[4096];
    if (!hs_snprintf(conf, sizeof conf, "%s/nginx.conf", host_dir) ||
        !hs_snprintf(errlog, sizeof errlog, "%s/log/error.log", HS_LAB_HOST_MOUNT) ||
        !hs_snprintf(prefix, sizeof prefix, "%s/", HS_LAB_HOST_MOUNT) ||
        !hs_snprintf(startlog, sizeof startlog, "%s/log/%s.start.log", host_dir, svc->name)) {
        snprintf(err, err_size, "path too long below %s", host_dir);
        return -1;
    }
    /* -c keeps the outer path: it names the host on the master's command line (svc_pid); the
     * files nginx keeps open (logs) use the in-host path */
    char *argv[] = {"nginx", "-p", prefix, "-e", errlog, "-c", conf, NULL};
    /* descriptors this program inherited (from a shell or a harness) must not leak into the
     * service: CRIU cannot dump a file of a mount outside the host's mount namespace */
    close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
    int code = hs_lab_host_run(init_pid, argv, startlog, err, err_size);
    if (code < 0)
        return -1;
    if (code != 0) {
        snprintf(err, err_size, "host %s: nginx exited with status %d (see %s and %s)", h->name,
                 code, startlog, errlog);
        return -1;
    }
    *started = true;
    uint64_t deadline = hs_now_ms() + SVC_START_TIMEOUT_MS;
    while (!hs_lab_svc_accepts(init_pid, svc)) {
        if (hs_now_ms() >= deadline) {
            snprintf(err, err_size, "host %s: nginx does not accept connections on port %u "
                     "after %d s (see %s)", h->name, (unsigned)svc->port,
                     SVC_START_TIMEOUT_MS / 1000, errlog);
            return -1;
        }
        sleep_ms(50);
    }
    return 0;
}
