/* ipsd_main.c - honeyshift-ipsd: settings, start-up, signals, one cleanup path. */
#include "ipsd/ipsd.h"
#include "common/daemon.h"
#include "common/log.h"
#include "common/util.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#define MAX_HOLD_ATTACKERS 256
#define MAX_HOLD_BYTES (256u * 1024)

static volatile int g_stop;

static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

static void usage(FILE *f)
{
    fputs("usage: honeyshift-ipsd --config TOPOLOGY [options]\n"
"\n"
"    The inline IPS of a honeyshift lab: reads the frames the switch steers to the IPS port\n"
"    from the veth \"<lab>-ipsd\" (AF_PACKET, TPACKET_V3 ring), inspects them, and sends the\n"
"    passed ones back into the same port. An attack (an ingress drop rule) is reported to the\n"
"    controller, which blocks the attacker (and relocates it, ips.on_attack); the offending\n"
"    frames are held (per attacker, at most ips.hold_limit frames and 256 KiB; 256 attackers,\n"
"    the oldest queue is evicted) and sent along with the report (the controller re-injects\n"
"    them into the honeypot); once the controller has them the queue is released.\n"
"\n"
"    -c, --config FILE     topology (its ips: section; controller.eve_log and control_socket)\n"
"    -i, --ifname NAME     interface to open (default <lab>-ipsd)\n"
"    -P, --peer NAME       bump in the wire (ips.mode bump; the lab starts one per protected\n"
"                          host): frames read on the interface leave by NAME and frames read\n"
"                          on NAME leave by the interface, so a frame crosses the switch once;\n"
"                          only IPv4 (inspected) and ARP cross, other EtherTypes are dropped\n"
"    -I, --inspector KIND  engine (default) or noop (pass everything: data-path measurement)\n"
"    -R, --ring 2|3        AF_PACKET ring: TPACKET_V2 (default, per-frame wake-up) or\n"
"                          TPACKET_V3 (1 ms block retire timer: more latency)\n"
"    -e, --eve FILE        EVE JSON alert log (default controller.eve_log)\n"
"    -s, --socket PATH     controller control socket (default controller.control_socket)\n"
"    -S, --stats FILE      counters as JSON, rewritten every second (default\n"
"                          <state_dir>/ipsd.stats.json)\n"
"    -d, --daemon          detach; return once the interface is open and the rules loaded\n"
"    -p, --pidfile FILE    write the PID there (locked while running)\n"
"    -l, --log FILE        append log lines to FILE\n"
"    -v, --verbose         debug logging\n"
"    -h, --help            this text\n"
"\n"
"    SIGTERM/SIGINT: stop, write the counters, remove the pidfile. Exit 0 on a clean stop,\n"
"    1 on a start-up failure, 2 on a usage error.\n", f);
}

static int parse_args(int argc, char **argv, struct ipsd_settings *st)
{
    static const struct option opts[] = {
        {"config", required_argument, NULL, 'c'}, {"ifname", required_argument, NULL, 'i'},
        {"peer", required_argument, NULL, 'P'},
        {"inspector", required_argument, NULL, 'I'}, {"eve", required_argument, NULL, 'e'},
        {"socket", required_argument, NULL, 's'}, {"stats", required_argument, NULL, 'S'},
        {"daemon", no_argument, NULL, 'd'}, {"pidfile", required_argument, NULL, 'p'},
        {"log", required_argument, NULL, 'l'}, {"verbose", no_argument, NULL, 'v'},
        {"ring", required_argument, NULL, 'R'}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int o;
    st->inspector = "engine";
    while ((o = getopt_long(argc, argv, "c:i:P:I:R:e:s:S:dp:l:vh", opts, NULL)) != -1) {
        switch (o) {
        case 'c': st->config = optarg; break;
        case 'i': st->ifname = optarg; break;
        case 'P': st->peer = optarg; break;
        case 'I': st->inspector = optarg; break;
        case 'R':
            if (strcmp(optarg, "2") != 0 && strcmp(optarg, "3") != 0) {
                fprintf(stderr, "honeyshift-ipsd: --ring must be 2 or 3\n");
                return -1;
            }
            st->ring_version = (unsigned)(optarg[0] - '0');
            break;
        case 'e': st->eve_file = optarg; break;
        case 's': st->socket = optarg; break;
        case 'S': st->stats_file = optarg; break;
        case 'h': usage(stdout); exit(0);
        default:
            if (hs_daemon_opt(o, optarg, &st->d))
                break;
            usage(stderr);
            return -1;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "honeyshift-ipsd: unexpected argument '%s'\n", argv[optind]);
        return -1;
    }
    if (!st->config) {
        fprintf(stderr, "honeyshift-ipsd: --config is required\n");
        return -1;
    }
    if (st->peer && st->ifname && !strcmp(st->peer, st->ifname)) {
        fprintf(stderr, "honeyshift-ipsd: --peer must differ from --ifname\n");
        return -1;
    }
    if (strcmp(st->inspector, "engine") != 0 && strcmp(st->inspector, "noop") != 0) {
        fprintf(stderr, "honeyshift-ipsd: --inspector must be engine or noop\n");
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct ipsd_settings st = {0};
    struct hs_topology *topo = NULL;
    struct ipsd d;
    memset(&d, 0, sizeof d);
    int pid_fd = -1, ready_fd = -1, rc = 1;
    FILE *logf = NULL;
    char err[1024], ifname[HS_NAME_MAX + 8];

    if (parse_args(argc, argv, &st) != 0)
        return 2;
    hs_log_init("honeyshift-ipsd", st.d.verbose ? HS_LOG_DEBUG : HS_LOG_INFO);
    struct hs_cfg_err cerr;
    if (hs_topology_load(st.config, &topo, &cerr) != 0) {
        fprintf(stderr, "honeyshift-ipsd: %s\n", cerr.msg);
        goto out;
    }
    if (!topo->ips.present) {
        fprintf(stderr, "honeyshift-ipsd: %s has no ips: section\n", st.config);
        goto out;
    }
    if (!st.ifname) {
        if (!hs_snprintf(ifname, sizeof ifname, "%s-ipsd", topo->lab)) {
            fprintf(stderr, "honeyshift-ipsd: interface name too long\n");
            goto out;
        }
        st.ifname = ifname;
    }
    d.topo = topo;
    d.st = &st;
    d.start_ms = hs_now_ms();
    if (!hs_strlcpy(d.socket, st.socket ? st.socket : topo->controller.control_socket,
                    sizeof d.socket) ||
        (st.stats_file ? !hs_strlcpy(d.stats_file, st.stats_file, sizeof d.stats_file)
                       : !hs_snprintf(d.stats_file, sizeof d.stats_file, "%s/ipsd.stats.json",
                                      topo->state_dir))) {
        fprintf(stderr, "honeyshift-ipsd: a path is too long\n");
        goto out;
    }
    if (hs_daemon_log_open("honeyshift-ipsd", st.d.logfile, &logf) != 0)
        goto out;
    const char *eve = st.eve_file ? st.eve_file : topo->controller.eve_log;
    d.eve = fopen(eve, "ae");
    if (!d.eve) {
        fprintf(stderr, "honeyshift-ipsd: cannot open EVE log %s: %s\n", eve, strerror(errno));
        goto out;
    }
    if (st.d.pidfile && (pid_fd = hs_pidfile_lock("honeyshift-ipsd", st.d.pidfile)) < 0)
        goto out;

    if (!strcmp(st.inspector, "noop")) {
        ipsd_inspector_noop(&d.in);
    } else {
        struct ipsd_inspect_cfg icfg = {.topo = topo, .eve = d.eve};
        if (ipsd_inspector_engine(&d.in, &icfg, err, sizeof err) != 0) {
            fprintf(stderr, "honeyshift-ipsd: %s\n", err);
            goto out;
        }
    }
    if (st.peer)
        ipsd_inspector_bump_guard(&d.in);
    d.hold = ipsd_hold_new(MAX_HOLD_ATTACKERS, topo->ips.hold_limit, MAX_HOLD_BYTES);
    struct afp_cfg acfg;
    afp_cfg_default(&acfg);
    if (st.ring_version)
        acfg.version = st.ring_version;
    d.afp = afp_open(st.ifname, &acfg, err, sizeof err);
    if (!d.afp) {
        fprintf(stderr, "honeyshift-ipsd: %s\n", err);
        goto out;
    }
    if (st.peer && !(d.peer = afp_open(st.peer, &acfg, err, sizeof err))) {
        fprintf(stderr, "honeyshift-ipsd: %s\n", err);
        goto out;
    }
    if (st.d.daemon && hs_daemonize(&ready_fd, true) != 0) {
        fprintf(stderr, "honeyshift-ipsd: cannot daemonize: %s\n", strerror(errno));
        goto out;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal; /* no SA_RESTART: poll returns EINTR */
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (pid_fd >= 0)
        hs_pidfile_write(pid_fd);
    LOG_INFO("honeyshift-ipsd started: lab '%s', interface %s%s%s (TPACKET_V%u ring), "
             "inspector %s, EVE %s, controller %s", topo->lab, st.ifname,
             st.peer ? " <-> " : "", st.peer ? st.peer : "", acfg.version, d.in.name, eve,
             d.socket);
    hs_daemon_ready(&ready_fd);
    rc = ipsd_run(&d, &g_stop) == 0 ? 0 : 1;
    LOG_INFO("stopped");
out:
    afp_close(d.afp);
    afp_close(d.peer);
    if (d.in.free)
        d.in.free(d.in.ctx);
    ipsd_hold_free(d.hold);
    if (d.eve)
        fclose(d.eve);
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
