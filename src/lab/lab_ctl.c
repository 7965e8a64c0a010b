/* lab_ctl.c - start/stop/ask the controller daemon. */
#include "lab/lab_ctl.h"
#include "lab/lab.h"
#include "common/util.h"
#include "ctl/ctl_client.h"
#include "lab/lab_names.h"
#include "lab/lab_proc.h"
#include "lab/lab_ready.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* generous: an ASan-built honeyshift-ipsd compiling its rules on a loaded 2-core machine took
 * more than 15 s */
#define CTL_START_TIMEOUT_MS 60000

static bool executable(const char *path) { return access(path, X_OK) == 0; }

int hs_lab_find_program(const char *name, const char *env_var, const char *build_subdir,
                        char *out, size_t size, char *err, size_t err_size)
{
    const char *env = env_var ? getenv(env_var) : NULL;
    if (env && *env) {
        if (executable(env) && hs_strlcpy(out, env, size))
            return 0;
        snprintf(err, err_size, "$%s=%s is not an executable file", env_var, env);
        return -1;
    }
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) {
        self[n] = '\0';
        char *dir = dirname(self);
        if (hs_snprintf(out, size, "%s/%s", dir, name) && executable(out))
            return 0;
        if (hs_snprintf(out, size, "%s/../%s/%s", dir, build_subdir, name) && executable(out))
            return 0;
    }
    const char *path = getenv("PATH");
    char *copy = xstrdup(path && *path ? path : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin");
    char *save = NULL;
    for (char *d = strtok_r(copy, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
        if (hs_snprintf(out, size, "%s/%s", d, name) && executable(out)) {
            free(copy);
            return 0;
        }
    }
    free(copy);
    snprintf(err, err_size,
             "cannot find %s (tried $%s, next to this program, ../%s/ in a build tree, PATH)",
             name, env_var ? env_var : "-", build_subdir);
    return -1;
}

struct ctl_match {
    char config[4096];
};

static bool match_ctl(pid_t pid, const struct hs_proc_argv *a, void *ctx)
{
    (void)pid;
    const struct ctl_match *m = ctx;
    return hs_proc_argv_is(a, "honeyshiftd") && hs_proc_argv_has(a, "--config", m->config);
}

static size_t find_ctls(const char *state_dir, pid_t *out, size_t max)
{
    struct ctl_match m;
    if (!hs_lab_state_file(state_dir, "topology.yaml", m.config, sizeof m.config))
        return 0;
    return hs_proc_find(match_ctl, &m, out, max);
}

pid_t hs_lab_ctl_pid(const struct hs_topology *t)
{
    char pidfile[4096];
    struct ctl_match m;
    if (!hs_lab_state_file(t->state_dir, "honeyshiftd.pid", pidfile, sizeof pidfile) ||
        !hs_lab_state_file(t->state_dir, "topology.yaml", m.config, sizeof m.config))
        return 0;
    pid_t pid = hs_pidfile_read(pidfile);
    struct hs_proc_argv a;
    if (pid && hs_proc_argv_read(pid, &a)) {
        bool ours = match_ctl(pid, &a, &m);
        hs_proc_argv_free(&a);
        if (ours)
            return pid;
    }
    pid_t pids[1];
    return find_ctls(t->state_dir, pids, 1) ? pids[0] : 0;
}

/* Run a daemon that detaches once ready (argv[0] is the program); its early output goes to
 * startlog. 0 when it reported success, -1 with the last line it printed. */
static int spawn_daemon(const char *const argv[], const char *startlog, char *err,
                        size_t err_size)
{
    const char *exe = argv[0];
    /* Its stdout/stderr go to a file, not a pipe: the daemon keeps them and a pipe would never
     * see its end. */
    int out = open(startlog, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out < 0) {
        snprintf(err, err_size, "cannot write %s: %s", startlog, strerror(errno));
        return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, err_size, "fork: %s", strerror(errno));
        close(out);
        return -1;
    }
    if (pid == 0) {
        int nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (nul < 0 || dup2(nul, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
            _exit(126);
        close_range(3, ~0U, 0);
        signal(SIGINT, SIG_DFL);
        signal(SIGQUIT, SIG_DFL);
        signal(SIGPIPE, SIG_DFL);
        execv(exe, (char *const *)argv);
        dprintf(2, "cannot execute %s: %s\n", exe, strerror(errno));
        _exit(127);
    }
    close(out);
    uint64_t deadline = hs_now_ms() + CTL_START_TIMEOUT_MS;
    int st = 0;
    for (;;) {
        pid_t r = waitpid(pid, &st, WNOHANG);
        if (r == pid)
            break;
        if (r < 0 && errno != EINTR) {
            snprintf(err, err_size, "waitpid: %s", strerror(errno));
            return -1;
        }
        if (hs_now_ms() >= deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            snprintf(err, err_size, "%s did not report within %d s (see %s)", exe,
                     CTL_START_TIMEOUT_MS / 1000, startlog);
            return -1;
        }
        struct timespec ts = {0, 20 * 1000000L};
        nanosleep(&ts, NULL);
    }
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        char line[300] = "";
        FILE *f = fopen(startlog, "re");
        if (f) {
            char buf[300];
            while (fgets(buf, sizeof buf, f))
                if (buf[0] != '\n')
                    hs_strlcpy(line, buf, sizeof line);
            fclose(f);
        }
        line[strcspn(line, "\n")] = '\0';
        const char *base = strrchr(exe, '/');
        snprintf(err, err_size, "%s failed (status %d): %s", base ? base + 1 : exe,
                 WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st),
                 line[0] ? line : "(no message; see the log)");
        return -1;
    }
    return 0;
}

int hs_lab_ctl_start(const struct hs_topology *t, bool *started, char *err, size_t err_size)
{
    *started = false;
    if (hs_lab_ctl_pid(t))
        return 0;
    char exe[4096], config[4096], pidfile[4096], log[4096], startlog[4096];
    if (hs_lab_find_program("honeyshiftd", "HS_HONEYSHIFTD", "ctl", exe, sizeof exe, err,
                            err_size) != 0)
        return -1;
    if (!hs_lab_state_file(t->state_dir, "topology.yaml", config, sizeof config) ||
        !hs_lab_state_file(t->state_dir, "honeyshiftd.pid", pidfile, sizeof pidfile) ||
        !hs_lab_state_file(t->state_dir, "honeyshiftd.log", log, sizeof log) ||
        !hs_lab_state_file(t->state_dir, "honeyshiftd.start.log", startlog, sizeof startlog)) {
        snprintf(err, err_size, "state_dir too long: %s", t->state_dir);
        return -1;
    }
    const char *argv[] = {exe, "--config", config, "--daemon", "--pidfile", pidfile,
                          "--log", log, NULL};
    if (spawn_daemon(argv, startlog, err, err_size) != 0)
        return -1;
    if (!hs_lab_ctl_pid(t)) {
        snprintf(err, err_size, "honeyshiftd returned success but no process of it runs "
                 "(see %s and %s)", startlog, log);
        return -1;
    }
    *started = true;
    return 0;
}

/* ---- honeyshift-ipsd ---- */

static bool match_ipsd(pid_t pid, const struct hs_proc_argv *a, void *ctx)
{
    (void)pid;
    const struct ctl_match *m = ctx;
    return hs_proc_argv_is(a, "honeyshift-ipsd") && hs_proc_argv_has(a, "--config", m->config);
}

/* The steer-mode daemon: one of the lab without --peer (a bump's daemon has it). */
static bool match_steer_ipsd(pid_t pid, const struct hs_proc_argv *a, void *ctx)
{
    if (!match_ipsd(pid, a, ctx))
        return false;
    for (size_t i = 0; i < a->argc; i++)
        if (!strcmp(a->argv[i], "--peer"))
            return false;
    return true;
}

static size_t find_ipsds(const char *state_dir, pid_t *out, size_t max)
{
    struct ctl_match m;
    if (!hs_lab_state_file(state_dir, "topology.yaml", m.config, sizeof m.config))
        return 0;
    return hs_proc_find(match_ipsd, &m, out, max);
}

/* The daemon of the pidfile when match() says it is ours, else the first process match()
 * accepts (a stale or missing pidfile); 0 when none. */
static pid_t pid_of(const char *pidfile, bool (*match)(pid_t, const struct hs_proc_argv *, void *),
                    void *ctx)
{
    pid_t pid = hs_pidfile_read(pidfile);
    struct hs_proc_argv a;
    if (pid && hs_proc_argv_read(pid, &a)) {
        bool ours = match(pid, &a, ctx);
        hs_proc_argv_free(&a);
        if (ours)
            return pid;
    }
    pid_t pids[1];
    return hs_proc_find(match, ctx, pids, 1) ? pids[0] : 0;
}

pid_t hs_lab_ipsd_pid(const struct hs_topology *t)
{
    char pidfile[4096];
    struct ctl_match m;
    if (!hs_lab_state_file(t->state_dir, "ipsd.pid", pidfile, sizeof pidfile) ||
        !hs_lab_state_file(t->state_dir, "topology.yaml", m.config, sizeof m.config))
        return 0;
    return pid_of(pidfile, match_steer_ipsd, &m);
}

int hs_lab_ipsd_start(const struct hs_topology *t, bool *started, char *err, size_t err_size)
{
    *started = false;
    if (!t->ips.present || !t->ips.enabled || hs_lab_ipsd_pid(t))
        return 0;
    char exe[4096], config[4096], pidfile[4096], log[4096], startlog[4096];
    if (hs_lab_find_program("honeyshift-ipsd", "HS_IPSD", "ipsd", exe, sizeof exe, err,
                            err_size) != 0)
        return -1;
    if (!hs_lab_state_file(t->state_dir, "topology.yaml", config, sizeof config) ||
        !hs_lab_state_file(t->state_dir, "ipsd.pid", pidfile, sizeof pidfile) ||
        !hs_lab_state_file(t->state_dir, "ipsd.log", log, sizeof log) ||
        !hs_lab_state_file(t->state_dir, "ipsd.start.log", startlog, sizeof startlog)) {
        snprintf(err, err_size, "state_dir too long: %s", t->state_dir);
        return -1;
    }
    /* HS_IPSD_INSPECTOR=noop measures the bare data path (no inspection) */
    const char *insp = getenv("HS_IPSD_INSPECTOR");
    const char *argv[] = {exe, "--config", config, "--daemon", "--pidfile", pidfile, "--log",
                          log, "--inspector", insp && *insp ? insp : "engine", NULL};
    if (spawn_daemon(argv, startlog, err, err_size) != 0)
        return -1;
    if (!hs_lab_ipsd_pid(t)) {
        snprintf(err, err_size, "honeyshift-ipsd returned success but no process of it runs "
                 "(see %s and %s)", startlog, log);
        return -1;
    }
    *started = true;
    return 0;
}

int hs_lab_ipsd_stop(const char *state_dir, char *err, size_t err_size)
{
    pid_t pids[16];
    size_t n = find_ipsds(state_dir, pids, HS_ARRAY_SIZE(pids));
    int stopped = 0;
    for (size_t i = 0; i < n; i++) {
        if (!hs_proc_stop(pids[i], 3000)) {
            snprintf(err, err_size, "honeyshift-ipsd %d does not stop", (int)pids[i]);
            return -1;
        }
        stopped++;
    }
    return stopped;
}

/* ---- honeyshift-ipsd as the bump in front of a host (ips.mode bump) ---- */

bool hs_lab_bump_file(const struct hs_topology *t, const struct hs_host *h, const char *suffix,
                      char *out, size_t size)
{
    return hs_snprintf(out, size, "%s/ipsd-%s.%s", t->state_dir, h->name, suffix);
}

struct bump_match {
    char config[4096];
    char peer[HS_LAB_IFNAME_SIZE];  /* the host's outer veth */
};

static bool match_bump(pid_t pid, const struct hs_proc_argv *a, void *ctx)
{
    (void)pid;
    const struct bump_match *m = ctx;
    return hs_proc_argv_is(a, "honeyshift-ipsd") && hs_proc_argv_has(a, "--config", m->config) &&
           hs_proc_argv_has(a, "--peer", m->peer);
}

pid_t hs_lab_bump_ipsd_pid(const struct hs_topology *t, const struct hs_host *h)
{
    char pidfile[4096];
    struct bump_match m;
    if (!hs_lab_bump_file(t, h, "pid", pidfile, sizeof pidfile) ||
        !hs_lab_state_file(t->state_dir, "topology.yaml", m.config, sizeof m.config) ||
        !hs_lab_ifname(t->lab, h->name, m.peer))
        return 0;
    return pid_of(pidfile, match_bump, &m);
}

int hs_lab_bump_ipsd_start(const struct hs_topology *t, const struct hs_host *h, bool *started,
                           char *err, size_t err_size)
{
    *started = false;
    if (!hs_topology_ips_bumped(t, h) || hs_lab_bump_ipsd_pid(t, h))
        return 0;
    char exe[4096], config[4096], pidfile[4096], log[4096], startlog[4096], stats[4096];
    char outer[HS_LAB_IFNAME_SIZE], bside[HS_LAB_IFNAME_SIZE], iside[HS_LAB_IFNAME_SIZE];
    if (hs_lab_find_program("honeyshift-ipsd", "HS_IPSD", "ipsd", exe, sizeof exe, err,
                            err_size) != 0)
        return -1;
    if (!hs_lab_state_file(t->state_dir, "topology.yaml", config, sizeof config) ||
        !hs_lab_bump_file(t, h, "pid", pidfile, sizeof pidfile) ||
        !hs_lab_bump_file(t, h, "log", log, sizeof log) ||
        !hs_lab_bump_file(t, h, "start.log", startlog, sizeof startlog) ||
        !hs_lab_bump_file(t, h, "stats.json", stats, sizeof stats) ||
        !hs_lab_ifname(t->lab, h->name, outer) ||
        !hs_lab_bump_ifnames(t->lab, h->name, bside, iside)) {
        snprintf(err, err_size, "state_dir or names too long: %s", t->state_dir);
        return -1;
    }
    const char *insp = getenv("HS_IPSD_INSPECTOR");
    const char *argv[] = {exe, "--config", config, "--ifname", iside, "--peer", outer, "--stats",
                          stats, "--daemon", "--pidfile", pidfile, "--log", log, "--inspector",
                          insp && *insp ? insp : "engine", NULL};
    if (spawn_daemon(argv, startlog, err, err_size) != 0)
        return -1;
    if (!hs_lab_bump_ipsd_pid(t, h)) {
        snprintf(err, err_size, "honeyshift-ipsd returned success but no process of it runs "
                 "(see %s and %s)", startlog, log);
        return -1;
    }
    *started = true;
    return 0;
}

int hs_lab_ctl_status(const struct hs_topology *t, char **answer, int timeout_ms, char *err,
                      size_t err_size)
{
    return hs_ctl_request(t->controller.control_socket, "{\"cmd\":\"status\"}", answer,
                          timeout_ms, err, (unsigned)err_size);
}

int hs_lab_ctl_wait_ready(const struct hs_topology *t, int timeout_ms, FILE *progress, char *err,
                          size_t err_size)
{
    uint64_t start = hs_now_ms(), deadline = start + (uint64_t)timeout_ms;
    uint64_t next_report = start + 1000;
    char last[512] = "no answer yet";
    size_t ready = 0;
    for (;;) {
        char *ans = NULL;
        char e[512];
        if (hs_lab_ctl_status(t, &ans, 2000, e, sizeof e) == 0) {
            int r = hs_lab_ctl_ready(t, ans, &ready, e, sizeof e);
            free(ans);
            if (r == 1)
                return 0;
            if (r == 0)
                snprintf(last, sizeof last, "%zu of %zu switches connected and ready", ready,
                         t->n_switches);
            else
                hs_strlcpy(last, e, sizeof last);
        } else {
            hs_strlcpy(last, e, sizeof last);
        }
        uint64_t now = hs_now_ms();
        if (now >= deadline) {
            snprintf(err, err_size, "controller not ready after %d s: %s", timeout_ms / 1000,
                     last);
            return -1;
        }
        if (progress && now >= next_report) {
            fprintf(progress, "  waiting for the controller (%llu s): %s\n",
                    (unsigned long long)((now - start) / 1000), last);
            fflush(progress);
            next_report += 1000;
        }
        struct timespec ts = {0, 100 * 1000000L};
        nanosleep(&ts, NULL);
    }
}

int hs_lab_ctl_stop(const char *state_dir, char *err, size_t err_size)
{
    pid_t pids[16];
    size_t n = find_ctls(state_dir, pids, HS_ARRAY_SIZE(pids));
    int stopped = 0;
    for (size_t i = 0; i < n; i++) {
        if (!hs_proc_stop(pids[i], 3000)) {
            snprintf(err, err_size, "honeyshiftd %d does not stop", (int)pids[i]);
            return -1;
        }
        stopped++;
    }
    return stopped;
}

/* ---- honeyshift-agent, one per host ---- */

struct agent_match {
    char config[4096];
    const char *host;       /* NULL: any host of this lab */
};

static bool match_agent(pid_t pid, const struct hs_proc_argv *a, void *ctx)
{
    (void)pid;
    const struct agent_match *m = ctx;
    return hs_proc_argv_is(a, "honeyshift-agent") && hs_proc_argv_has(a, "-t", m->config) &&
           (!m->host || hs_proc_argv_has(a, "--host", m->host));
}

pid_t hs_lab_agent_pid(const struct hs_topology *t, const char *host)
{
    struct agent_match m = {.host = host};
    if (!hs_lab_state_file(t->state_dir, "topology.yaml", m.config, sizeof m.config))
        return 0;
    pid_t pids[1];
    return hs_proc_find(match_agent, &m, pids, 1) ? pids[0] : 0;
}

int hs_lab_agent_start(const struct hs_topology *t, const char *host, bool *started, char *err,
                       size_t err_size)
{
    *started = false;
    if (hs_lab_agent_pid(t, host))
        return 0;
    char exe[4096], config[4096], key[4096], dir[4096], pidfile[4200], log[4200], startlog[4200];
    if (hs_lab_find_program("honeyshift-agent", "HS_AGENT", "mig", exe, sizeof exe, err,
                            err_size) != 0)
        return -1;
    if (!hs_lab_state_file(t->state_dir, "topology.yaml", config, sizeof config) ||
        !hs_lab_state_file(t->state_dir, "agent.key", key, sizeof key) ||
        !hs_lab_host_dir(t->state_dir, host, dir, sizeof dir) ||
        !hs_snprintf(pidfile, sizeof pidfile, "%s/agent.pid", dir) ||
        !hs_snprintf(log, sizeof log, "%s/agent.log", dir) ||
        !hs_snprintf(startlog, sizeof startlog, "%s/agent.start.log", dir)) {
        snprintf(err, err_size, "state_dir too long: %s", t->state_dir);
        return -1;
    }
    if (access(key, R_OK) != 0) {
        const char *gen[] = {exe, "--genkey", key, NULL};
        if (spawn_daemon(gen, startlog, err, err_size) != 0)
            return -1;
    }
    const char *argv[] = {exe, "-t", config, "--host", host, "--daemon", "--pidfile", pidfile,
                          "--log", log, NULL};
    if (spawn_daemon(argv, startlog, err, err_size) != 0)
        return -1;
    if (!hs_lab_agent_pid(t, host)) {
        snprintf(err, err_size, "honeyshift-agent for %s returned success but does not run "
                 "(see %s and %s)", host, startlog, log);
        return -1;
    }
    *started = true;
    return 0;
}

int hs_lab_agents_stop(const char *state_dir, char *err, size_t err_size)
{
    struct agent_match m = {.host = NULL};
    if (!hs_lab_state_file(state_dir, "topology.yaml", m.config, sizeof m.config))
        return 0;
    pid_t pids[256];
    size_t n = hs_proc_find(match_agent, &m, pids, HS_ARRAY_SIZE(pids));
    for (size_t i = 0; i < n; i++)
        if (!hs_proc_stop(pids[i], 3000)) {
            snprintf(err, err_size, "honeyshift-agent %d does not stop", (int)pids[i]);
            return -1;
        }
    return (int)n;
}
