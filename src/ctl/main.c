/* main.c - honeyshiftd: the OpenFlow 1.3 controller daemon. Settings in one struct, one exit
 * path: parse options, load the topology, open sockets, daemonize, run the loop, clean up. */
#include "common/daemon.h"
#include "common/log.h"
#include "common/util.h"
#include "config/topology.h"
#include "ctl/controller.h"
#include "ctl/evloop.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

struct settings {
    const char *config;     /* topology file; NULL: built-in default */
    struct hs_daemon_opts d;
    bool check_only;
};

static void usage(FILE *out)
{
    fprintf(out,
"NAME\n"
"    honeyshiftd - honeyshift's OpenFlow 1.3 controller\n"
"\n"
"SYNOPSIS\n"
"    honeyshiftd [--config FILE] [--daemon] [--pidfile FILE] [--log FILE] [--verbose]\n"
"    honeyshiftd --check [--config FILE]\n"
"\n"
"DESCRIPTION\n"
"    Listens for Open vSwitch bridges (ovs-vsctl set-controller BR tcp:ADDR:PORT, fail-mode\n"
"    secure) and installs the forwarding policy of the topology: per-port source-MAC\n"
"    security, unicast forwarding by destination MAC, ARP answered by the controller, honeypot\n"
"    ports isolated. After a restart it reads each switch's flow table and changes only what\n"
"    differs, so traffic that was flowing is not disturbed. Operators talk to it through a\n"
"    unix control socket (honeyshift status).\n"
"\n"
"OPTIONS\n"
"    -c, --config FILE   topology file (YAML; see etc/lab-default.yaml). Default: built-in.\n"
"    -d, --daemon        detach; return once the sockets are listening.\n"
"    -p, --pidfile FILE  write the daemon's PID there (locked while running).\n"
"    -l, --log FILE      append log lines to FILE instead of standard error.\n"
"    -v, --verbose       debug logging.\n"
"        --check         validate the topology and exit.\n"
"    -h, --help          this text.\n"
"\n"
"SIGNALS\n"
"    SIGTERM, SIGINT: close sessions and sockets, remove the pidfile and control socket, exit 0.\n"
"\n"
"EXIT STATUS\n"
"    0 clean shutdown or valid --check; 1 start-up failure (message on standard error);\n"
"    2 usage error.\n");
}

static int parse_args(int argc, char **argv, struct settings *st)
{
    static const struct option opts[] = {
        {"config", required_argument, NULL, 'c'}, {"daemon", no_argument, NULL, 'd'},
        {"pidfile", required_argument, NULL, 'p'}, {"log", required_argument, NULL, 'l'},
        {"verbose", no_argument, NULL, 'v'}, {"check", no_argument, NULL, 'C'},
        {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    int o;
    while ((o = getopt_long(argc, argv, "c:dp:l:vh", opts, NULL)) != -1) {
        switch (o) {
        case 'c': st->config = optarg; break;
        case 'C': st->check_only = true; break;
        case 'h': usage(stdout); exit(0);
        default:
            if (hs_daemon_opt(o, optarg, &st->d))
                break;
            usage(stderr);
            return -1;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "honeyshiftd: unexpected argument '%s'\n", argv[optind]);
        return -1;
    }
    return 0;
}

struct run_ctx {
    struct controller *ctl;
    int sig_fd;
};

static void on_signal(struct evloop *l, int fd, unsigned events, void *ctx)
{
    (void)events;
    (void)ctx;
    struct signalfd_siginfo si;
    while (read(fd, &si, sizeof si) == (ssize_t)sizeof si) {
        LOG_INFO("signal %u: shutting down", si.ssi_signo);
        evloop_stop(l);
    }
}

static void on_tick(struct evloop *l, void *ctx)
{
    (void)l;
    sw_conn_tick(ctx);
    reloc_tick(ctx);
}

int main(int argc, char **argv)
{
    struct settings st = {0};
    struct hs_topology *topo = NULL;
    struct evloop *loop = NULL;
    struct controller ctl;
    bool ctl_open = false;
    int pid_fd = -1, sig_fd = -1, ready_fd = -1, rc = 1;
    FILE *logf = NULL;
    char err[512];

    if (parse_args(argc, argv, &st) != 0)
        return 2;
    hs_log_init("honeyshiftd", st.d.verbose ? HS_LOG_DEBUG : HS_LOG_INFO);

    struct hs_cfg_err cerr;
    int r = st.config ? hs_topology_load(st.config, &topo, &cerr)
                      : hs_topology_parse(hs_default_topology_yaml,
                                          strlen(hs_default_topology_yaml), "<built-in default>",
                                          &topo, &cerr);
    if (r != 0) {
        fprintf(stderr, "honeyshiftd: %s\n", cerr.msg);
        goto out;
    }
    if (st.check_only) {
        printf("%s: ok (%zu switches, %zu hosts)\n", topo->path, topo->n_switches, topo->n_hosts);
        rc = 0;
        goto out;
    }
    if (hs_daemon_log_open("honeyshiftd", st.d.logfile, &logf) != 0)
        goto out;
    if (st.d.pidfile && (pid_fd = hs_pidfile_lock("honeyshiftd", st.d.pidfile)) < 0)
        goto out;

    signal(SIGPIPE, SIG_IGN);
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGHUP);
    sigprocmask(SIG_BLOCK, &mask, NULL);

    loop = evloop_new();
    if (controller_open(&ctl, topo, loop, err, sizeof err) != 0) {
        fprintf(stderr, "honeyshiftd: %s\n", err);
        goto out;
    }
    ctl_open = true;
    if (st.d.daemon && hs_daemonize(&ready_fd, false) != 0) {
        fprintf(stderr, "honeyshiftd: cannot daemonize: %s\n", strerror(errno));
        goto out;
    }
    sig_fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    if (sig_fd < 0 || evloop_add_fd(loop, sig_fd, EV_READ, on_signal, NULL) != 0) {
        LOG_ERR("signalfd: %s", strerror(errno));
        goto out;
    }
    evloop_add_timer(loop, 1000, true, on_tick, &ctl);
    if (pid_fd >= 0)
        hs_pidfile_write(pid_fd);
    LOG_INFO("honeyshiftd %s started: lab '%s', OpenFlow on %s:%u, control socket %s",
             HS_VERSION, topo->lab, topo->controller.listen_addr, topo->controller.listen_port,
             topo->controller.control_socket);
    hs_daemon_ready(&ready_fd);
    rc = evloop_run(loop) == 0 ? 0 : 1;
    LOG_INFO("stopped");

out:
    if (ctl_open)
        controller_close(&ctl);
    if (sig_fd >= 0)
        close(sig_fd);
    evloop_free(loop);
    hs_pidfile_release(pid_fd, st.d.pidfile);
    if (ready_fd >= 0)
        close(ready_fd);
    hs_topology_free(topo);
    if (logf) {
        hs_log_set_stream(NULL);
        fclose(logf);
    }
    return rc;
}
