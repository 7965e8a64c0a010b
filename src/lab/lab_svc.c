/* lab_svc.c - service files, start, liveness: nginx, Flask under gunicorn, Node.js, redis. */
#include "lab/lab_svc.h"
#include "common/procfs.h"
#include "common/buf.h"
#include "common/util.h"
#include "lab/lab_ctl.h"
#include "lab/lab_fs.h"
#include "lab/lab_gen.h"
#include "lab/lab_names.h"
#include "lab/lab_ns.h"
#include "lab/lab_proc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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

static bool web_kind(enum hs_service_kind k)
{
    return k == HS_SVC_NGINX || k == HS_SVC_FLASK || k == HS_SVC_NODE;
}

static bool lab_kind(enum hs_service_kind k) { return web_kind(k) || k == HS_SVC_REDIS; }

/* HOST_DIR/redis-NAME.conf: the outer path names the host on redis's process title. */
static bool redis_conf_path(const struct hs_service *svc, const char *host_dir, char *out,
                            size_t size)
{
    return hs_snprintf(out, size, "%s/redis-%s.conf", host_dir, svc->name);
}

/* redis: no persistence, data in memory only; the process title carries the configuration
 * file (proc-title-template, redis 7+) so the lab finds it by host. */
static int redis_write_conf(const struct hs_service *svc, const char *host_dir, char *err,
                            size_t err_size)
{
    char path[4096], text[1024];
    if (!redis_conf_path(svc, host_dir, path, sizeof path) ||
        !hs_snprintf(text, sizeof text,
                     "port %u\nbind 0.0.0.0\nprotected-mode no\ndaemonize yes\nsave \"\"\n"
                     "appendonly no\ndir %s/tmp\nlogfile %s/log/redis-%s.log\n"
                     "pidfile %s/tmp/redis-%s.pid\n"
                     "proc-title-template \"{title} {listen-addr} {config-file}\"\n",
                     (unsigned)svc->port, HS_LAB_HOST_MOUNT, HS_LAB_HOST_MOUNT, svc->name,
                     HS_LAB_HOST_MOUNT, svc->name)) {
        snprintf(err, err_size, "path too long below %s", host_dir);
        return -1;
    }
    return hs_lab_write_file(path, text, strlen(text), err, err_size);
}

int hs_lab_svc_write_files(const struct hs_host *h, const struct hs_service *svc,
                           const char *host_dir, char *err, size_t err_size)
{
    if (!lab_kind(svc->kind)) {
        snprintf(err, err_size, "service kind %s not supported yet",
                 hs_service_kind_name(svc->kind));
        return -1;
    }
    static const char *dirs[] = {"www", "log", "tmp", "app"};
    char path[4096];
    for (size_t i = 0; i < HS_ARRAY_SIZE(dirs); i++) {
        if (!hs_snprintf(path, sizeof path, "%s/%s", host_dir, dirs[i])) {
            snprintf(err, err_size, "path too long: %s/%s", host_dir, dirs[i]);
            return -1;
        }
        if (hs_lab_mkdir_p(path, err, err_size) != 0)
            return -1;
    }
    if (svc->kind == HS_SVC_REDIS)
        return redis_write_conf(svc, host_dir, err, err_size);
    struct hs_buf conf = HS_BUF_INIT, page = HS_BUF_INIT;
    int rc = -1;
    const char *conf_name = NULL;
    switch (svc->kind) {
    case HS_SVC_NGINX:
        /* the configuration names the host's files by the in-host path (HS_LAB_HOST_MOUNT) */
        if (hs_lab_gen_nginx_conf(svc, HS_LAB_HOST_MOUNT, &conf, err, err_size) != 0)
            goto out;
        conf_name = "nginx.conf";
        break;
    case HS_SVC_FLASK:
        hs_lab_gen_flask_app(svc, &conf);
        conf_name = "app/hsapp.py";
        break;
    default:
        hs_lab_gen_node_server(svc, &conf);
        conf_name = "app/server.js";
        break;
    }
    hs_lab_gen_index_html(hs_lab_hostname(h), svc, &page);
    if (!hs_snprintf(path, sizeof path, "%s/%s", host_dir, conf_name) ||
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

/* gunicorn (master and workers share the command line): "... gunicorn --pid PIDFILE ...". */
static bool match_gunicorn(pid_t pid, const struct hs_proc_argv *a, void *ctx)
{
    (void)pid;
    const struct nginx_match *m = ctx;
    return a->argc > 1 && (hs_proc_argv_is(a, "gunicorn") ||
                           !strcmp(a->argv[1], "/usr/bin/gunicorn")) &&
           hs_proc_argv_has(a, "--pid", m->conf);
}

/* node HOST_DIR/app/server.js PORT */
static bool match_node(pid_t pid, const struct hs_proc_argv *a, void *ctx)
{
    (void)pid;
    const struct nginx_match *m = ctx;
    return a->argc > 1 && hs_proc_argv_is(a, "node") && !strcmp(a->argv[1], m->conf);
}

/* redis retitles itself "/usr/bin/redis-server ADDR:PORT CONF" (proc-title-template) */
static bool match_redis(pid_t pid, const struct hs_proc_argv *a, void *ctx)
{
    (void)pid;
    const struct nginx_match *m = ctx;
    const char *sp = strchr(a->joined, ' ');
    size_t n0 = sp ? (size_t)(sp - a->joined) : strlen(a->joined);
    if (n0 < 12 || strncmp(a->joined + n0 - 12, "redis-server", 12) != 0 ||
        (n0 > 12 && a->joined[n0 - 13] != '/'))
        return false;
    size_t jl = strlen(a->joined), cl = strlen(m->conf);
    return jl > cl && !strcmp(a->joined + jl - cl, m->conf) && a->joined[jl - cl - 1] == ' ';
}

#define SVC_MAX_PROCS 80

/* PID namespace depth of pid (entries of NSpid in /proc/PID/status); 0 when unknown. */
static int pidns_depth(pid_t pid)
{
    return hs_proc_nspid(pid, NULL);
}

/* Keep the processes one PID namespace below ours (a host's own); drop copies the agent
 * restored into a honeypot's nested namespace, which carry production's command line. */
static size_t keep_host_level(pid_t *pids, size_t n)
{
    int want = pidns_depth(getpid()) + 1;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (pidns_depth(pids[i]) == want)
            pids[k++] = pids[i];
    return k;
}

/* Every process of the service (nginx: the master only), into out[max]; returns how many. */
static size_t svc_procs(const struct hs_service *svc, const char *host_dir, pid_t *out,
                        size_t max)
{
    struct nginx_match m;
    hs_proc_match_fn *fn;
    bool ok;
    switch (svc->kind) {
    case HS_SVC_NGINX:
        fn = match_nginx_master;
        ok = hs_snprintf(m.conf, sizeof m.conf, "-c %s/nginx.conf", host_dir);
        break;
    case HS_SVC_FLASK:
        fn = match_gunicorn;
        ok = hs_snprintf(m.conf, sizeof m.conf, "%s/gunicorn.pid", host_dir);
        break;
    case HS_SVC_NODE:
        fn = match_node;
        ok = hs_snprintf(m.conf, sizeof m.conf, "%s/app/server.js", host_dir);
        break;
    case HS_SVC_REDIS:
        fn = match_redis;
        ok = redis_conf_path(svc, host_dir, m.conf, sizeof m.conf);
        break;
    default: return 0;
    }
    if (!ok)
        return 0;
    return keep_host_level(out, hs_proc_find(fn, &m, out, max));
}

pid_t hs_lab_svc_pid(const struct hs_service *svc, const char *host_dir)
{
    pid_t pids[SVC_MAX_PROCS];
    size_t n = svc_procs(svc, host_dir, pids, HS_ARRAY_SIZE(pids));
    if (svc->kind != HS_SVC_FLASK)
        return n ? pids[0] : 0;
    /* gunicorn: the master is the one whose parent is not one of them */
    for (size_t i = 0; i < n; i++) {
        pid_t pp = hs_proc_ppid(pids[i]);
        bool child = false;
        for (size_t j = 0; j < n; j++)
            child = child || pids[j] == pp;
        if (!child)
            return pids[i];
    }
    return 0;
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

/* Processes a running service should have: nginx master 1, gunicorn master + workers, node
 * one per worker. */
static size_t svc_expected(const struct hs_service *svc)
{
    unsigned w = svc->workers ? svc->workers : 2;
    return svc->kind == HS_SVC_NGINX || svc->kind == HS_SVC_REDIS ? 1
           : svc->kind == HS_SVC_FLASK                              ? w + 1
                                                                    : w;
}

/* nginx -p /srv/honeyshift/ -e ERRLOG -c HOST_DIR/nginx.conf (daemonizes). */
static int start_nginx(pid_t init_pid, const struct hs_host *h, const char *host_dir,
                       const char *startlog, char *err, size_t err_size)
{
    char conf[4096], errlog[4096], prefix[4096];
    if (!hs_snprintf(conf, sizeof conf, "%s/nginx.conf", host_dir) ||
        !hs_snprintf(errlog, sizeof errlog, "%s/log/error.log", HS_LAB_HOST_MOUNT) ||
        !hs_snprintf(prefix, sizeof prefix, "%s/", HS_LAB_HOST_MOUNT)) {
        snprintf(err, err_size, "path too long below %s", host_dir);
        return -1;
    }
    /* -c keeps the outer path: it names the host on the master's command line (svc_pid); the
     * files nginx keeps open (logs) use the in-host path */
    char *argv[] = {"nginx", "-p", prefix, "-e", errlog, "-c", conf, NULL};
    int code = hs_lab_host_run(init_pid, argv, startlog, err, err_size);
    if (code > 0)
        snprintf(err, err_size, "host %s: nginx exited with status %d (see %s and %s)",
                 h->name, code, startlog, errlog);
    return code == 0 ? 0 : -1;
}

/* gunicorn with gthread workers (keep-alive; sync workers close after every response),
 * SO_REUSEPORT by its own --reuse-port (the honeypot's twin and a restored worker share the
 * port), heartbeat file in the host's tmp/ (CRIU restores it there as a ghost file). --pid keeps
 * the outer path: it names the host on the command line (svc_procs). Daemonizes. */
static int start_flask(pid_t init_pid, const struct hs_host *h, const struct hs_service *svc,
                       const char *host_dir, const char *startlog, char *err, size_t err_size)
{
    char pidfile[4096], chdir_[256], bind[64], workers[16], access[256], errlog[256], tmp[256];
    if (!hs_snprintf(pidfile, sizeof pidfile, "%s/gunicorn.pid", host_dir) ||
        !hs_snprintf(chdir_, sizeof chdir_, "%s/app", HS_LAB_HOST_MOUNT) ||
        !hs_snprintf(bind, sizeof bind, "0.0.0.0:%u", (unsigned)svc->port) ||
        !hs_snprintf(workers, sizeof workers, "%u", svc->workers ? svc->workers : 2) ||
        !hs_snprintf(access, sizeof access, "%s/log/access.log", HS_LAB_HOST_MOUNT) ||
        !hs_snprintf(errlog, sizeof errlog, "%s/log/error.log", HS_LAB_HOST_MOUNT) ||
        !hs_snprintf(tmp, sizeof tmp, "%s/tmp", HS_LAB_HOST_MOUNT)) {
        snprintf(err, err_size, "path too long below %s", host_dir);
        return -1;
    }
    /* Debian's interpreter explicitly: a python3 earlier in PATH may lack flask */
    char *argv[] = {"/usr/bin/python3", "/usr/bin/gunicorn", "--pid", pidfile,
                    "--chdir", chdir_, "--workers", workers, "--worker-class", "gthread",
                    "--threads", "4", "--keep-alive", "65", "--reuse-port", "--bind", bind,
                    "--access-logfile", access, "--error-logfile", errlog,
                    "--worker-tmp-dir", tmp, "--daemon", "hsapp:app", NULL};
    int code = hs_lab_host_run(init_pid, argv, startlog, err, err_size);
    if (code > 0)
        snprintf(err, err_size, "host %s: gunicorn exited with status %d (see %s and %s/log/"
                 "error.log)", h->name, code, startlog, host_dir);
    return code == 0 ? 0 : -1;
}

/* Node's workers share ONE listening socket, as gunicorn's do (one accept queue): a launcher
 * (python3, inside the host) binds the port with SO_REUSEPORT and starts one node process per
 * worker with the socket as fd 3 (HS_LISTEN_FD=3, server.js listens on it), then exits. With
 * one listener per process (before), the kernel hashed every new connection to a listener,
 * and the connections hashed to the process CRIU froze for a dump waited for the whole freeze
 * (benign p99 +47 ms during node relocations); now the other worker accepts them.
 * SO_REUSEPORT stays on the socket: the moved process's copy of it must bind next to the
 * honeypot's own listener at restore (the shim, src/shim, still sets it on any listener node
 * binds itself). io_uring off (CRIU cannot dump it). NODE_OPTIONS: one V8 platform worker
 * thread instead of one per core and a 1 MiB young-generation semi-space instead of up to 16
 * MiB: anonymous memory 21 -> 15 MiB and 7 -> 4 threads per process (less for CRIU to freeze,
 * dump, send and restore; docs/relocation.md). stdio is opened inside the host (a
 * descriptor of a file opened outside the host's mount namespace cannot be dumped). New
 * session; the launcher exits, so the processes' parent is the host's init. */
static const char node_launcher[] =
    "import os, socket, subprocess, sys\n"
    "shim, node, script, port, n, out = sys.argv[1:7]\n"
    "s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\n"
    "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
    "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)\n"
    "s.bind(('0.0.0.0', int(port)))\n"
    "s.listen(511)\n"
    "if s.fileno() != 3:\n"
    "    os.dup2(s.fileno(), 3)\n"
    "env = dict(os.environ, UV_USE_IO_URING='0', LD_PRELOAD=shim, HS_LISTEN_FD='3',\n"
    "           NODE_OPTIONS='--v8-pool-size=1 --max-semi-space-size=1')\n"
    "log = open(out, 'ab')\n"
    "for _ in range(int(n)):\n"
    "    subprocess.Popen([node, script, port], pass_fds=(3,), env=env, stdin=subprocess.DEVNULL,\n"
    "                     stdout=log, stderr=log, start_new_session=True)\n";

static int start_node(pid_t init_pid, const struct hs_host *h, const struct hs_service *svc,
                      const char *host_dir, const char *startlog, char *err, size_t err_size)
{
    char found[4096], shim[PATH_MAX], script[4096], port[16];
    if (hs_lab_find_program("libhs_reuseport.so", "HS_SHIM", "shim", found, sizeof found, err,
                            err_size) != 0)
        return -1;
    /* absolute: node starts inside the host with another working directory */
    if (!realpath(found, shim)) {
        snprintf(err, err_size, "%s: %s", found, strerror(errno));
        return -1;
    }
    if (!hs_snprintf(script, sizeof script, "%s/app/server.js", host_dir) ||
        !hs_snprintf(port, sizeof port, "%u", (unsigned)svc->port)) {
        snprintf(err, err_size, "path too long below %s", host_dir);
        return -1;
    }
    char workers[16];
    unsigned w = svc->workers ? svc->workers : 2;
    if (!hs_snprintf(workers, sizeof workers, "%u", w)) {
        snprintf(err, err_size, "workers: does not fit");
        return -1;
    }
    char *argv[] = {"/usr/bin/python3", "-c", (char *)node_launcher, shim, "/usr/bin/node", script,
                    port, workers, HS_LAB_HOST_MOUNT "/log/node.out", NULL};
    int code = hs_lab_host_run(init_pid, argv, startlog, err, err_size);
    if (code < 0)
        return -1;
    if (code > 0) {
        snprintf(err, err_size, "host %s: starting node exited with status %d (see %s)",
                 h->name, code, startlog);
        return -1;
    }
    return 0;
}

/* redis-server HOST_DIR/redis-NAME.conf (daemonizes). */
static int start_redis(pid_t init_pid, const struct hs_host *h, const struct hs_service *svc,
                       const char *host_dir, const char *startlog, char *err, size_t err_size)
{
    char conf[4096];
    if (!redis_conf_path(svc, host_dir, conf, sizeof conf)) {
        snprintf(err, err_size, "path too long below %s", host_dir);
        return -1;
    }
    char *argv[] = {"/usr/bin/redis-server", conf, NULL};
    int code = hs_lab_host_run(init_pid, argv, startlog, err, err_size);
    if (code > 0)
        snprintf(err, err_size, "host %s: redis-server exited with status %d (see %s and "
                 "%s/log/redis-%s.log)", h->name, code, startlog, host_dir, svc->name);
    return code == 0 ? 0 : -1;
}

int hs_lab_svc_ensure(pid_t init_pid, const struct hs_host *h, const struct hs_service *svc,
                      const char *host_dir, bool *started, char *err, size_t err_size)
{
    *started = false;
    if (!lab_kind(svc->kind)) {
        snprintf(err, err_size, "service kind %s not supported yet",
                 hs_service_kind_name(svc->kind));
        return -1;
    }
    pid_t pids[SVC_MAX_PROCS];
    size_t n = svc_procs(svc, host_dir, pids, HS_ARRAY_SIZE(pids));
    if (n >= svc_expected(svc) && hs_lab_svc_accepts(init_pid, svc))
        return 0;
    /* running but deaf or short of workers: a half-started earlier attempt; replace it */
    pid_t main_pid = hs_lab_svc_pid(svc, host_dir);
    if (main_pid)
        hs_proc_stop(main_pid, 2000);
    n = svc_procs(svc, host_dir, pids, HS_ARRAY_SIZE(pids));
    for (size_t i = 0; i < n; i++)
        hs_proc_stop(pids[i], 2000);
    char startlog[4096];
    if (!hs_snprintf(startlog, sizeof startlog, "%s/log/%s.start.log", host_dir, svc->name)) {
        snprintf(err, err_size, "path too long below %s", host_dir);
        return -1;
    }
    /* descriptors this program inherited (from a shell or a harness) must not leak into the
     * service: CRIU cannot dump a file of a mount outside the host's mount namespace */
    close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
    int rc;
    switch (svc->kind) {
    case HS_SVC_NGINX: rc = start_nginx(init_pid, h, host_dir, startlog, err, err_size); break;
    case HS_SVC_FLASK:
        rc = start_flask(init_pid, h, svc, host_dir, startlog, err, err_size);
        break;
    case HS_SVC_REDIS:
        rc = start_redis(init_pid, h, svc, host_dir, startlog, err, err_size);
        break;
    default: rc = start_node(init_pid, h, svc, host_dir, startlog, err, err_size); break;
    }
    if (rc != 0)
        return -1;
    *started = true;
    uint64_t deadline = hs_now_ms() + SVC_START_TIMEOUT_MS;
    while (svc_procs(svc, host_dir, pids, HS_ARRAY_SIZE(pids)) < svc_expected(svc) ||
           !hs_lab_svc_accepts(init_pid, svc)) {
        if (hs_now_ms() >= deadline) {
            snprintf(err, err_size, "host %s: %s does not accept connections on port %u "
                     "with %zu processes after %d s (see %s and %s/log/)", h->name,
                     hs_service_kind_name(svc->kind), (unsigned)svc->port, svc_expected(svc),
                     SVC_START_TIMEOUT_MS / 1000, startlog, host_dir);
            return -1;
        }
        sleep_ms(50);
    }
    return 0;
}
