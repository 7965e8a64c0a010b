/* agent.c - honeyshift-agent: the migration agent of one lab host (main, accept loop).
 *
 * Listens on TCP (127.0.0.1, port from mig_topo.h unless --listen), authenticates
 * every connection with the shared key (mig_frame.h) and serves requests (mig_req.h), one
 * forked handler per connection. */
#include "common/criu_kdat.h"
#include "common/daemon.h"
#include "common/log.h"
#include "common/util.h"
#include "mig/agent.h"
#include "mig/mig_topo.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/close_range.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define DEFAULT_CRIU "/work/main/.deps/criu/sbin/criu"
#define SESSION_MS 60000

static const char usage_text[] =
"NAME\n"
"    honeyshift-agent - the migration agent of one honeyshift host\n"
"\n"
"SYNOPSIS\n"
"    honeyshift-agent (--lab NAME | -t TOPOLOGY.yaml) --host HOST [--listen IP:PORT]\n"
"                     [--key FILE] [--criu PATH] [--daemon] [--pidfile FILE] [--log FILE]\n"
"    honeyshift-agent --genkey FILE\n"
"\n"
"DESCRIPTION\n"
"    Runs in the root namespaces as the management plane of HOST and enters the host's\n"
"    namespaces (through its init, STATE_DIR/hosts/HOST/init.pid) for CRIU and netlink work.\n"
"    It listens on 127.0.0.1, port 10000 + (controller port % 800) * 64 + the host's index in\n"
"    the topology, unless --listen says\n"
"    otherwise. Every connection runs a mutual HMAC-SHA256 challenge-response with the shared\n"
"    key and every message carries a MAC: a peer without the key can neither push images\n"
"    nor trigger a dump or restore. Commands: locate, dump, push, recv, restore, destroy,\n"
"    release, forget (see docs/relocation.md). Images live in /dev/shm/honeyshift-LAB-HOST/.\n"
"\n"
"OPTIONS\n"
"    --lab NAME       the running lab NAME (its topology in /run/honeyshift/NAME/)\n"
"    -t FILE          the topology file\n"
"    --host HOST      the host this agent serves\n"
"    --listen IP:PORT listen address (default: see above)\n"
"    --key FILE       shared key (default STATE_DIR/agent.key)\n"
"    --criu PATH      CRIU 4.2+ (default $HS_CRIU, else " DEFAULT_CRIU ")\n"
"    --daemon         detach once listening; --pidfile FILE records the PID\n"
"    --log FILE       log file (default stderr)\n"
"    --genkey FILE    write a new random 32-byte key (mode 0600) and exit\n"
"\n"
"EXIT STATUS\n"
"    0 on SIGTERM or after --genkey, 1 on failure, 2 on a usage error.\n";

static volatile sig_atomic_t stopping;
static void on_term(int s) { (void)s; stopping = 1; }

static void serve(struct hs_agent *a, int fd)
{
    struct hs_mig_chan c;
    char err[512];
    if (hs_mig_chan_accept(fd, a->key, hs_now_ms() + 5000, &c, err, sizeof err) != 0) {
        LOG_WARN("connection refused: %s", err);
        hs_mig_chan_close(&c);
        return;
    }
    c.deadline_ms = hs_now_ms() + SESSION_MS;
    for (;;) {
        struct hs_mig_frame f;
        if (hs_mig_chan_recv(&c, &f, err, sizeof err) != 0) {
            if (!strstr(err, "closed by the peer"))
                LOG_WARN("session ended: %s", err);
            break;
        }
        json_t *resp = json_object();
        struct hs_mig_req r;
        int rc;
        if (f.type != HS_MIG_T_REQ) {
            snprintf(err, sizeof err, "expected a request, got frame type %u", (unsigned)f.type);
            rc = -1;
        } else if ((rc = hs_mig_req_parse((const char *)f.payload, f.len, &r, err,
                                          sizeof err)) == 0) {
            rc = agent_handle(a, &c, &r, resp, err, sizeof err);
            if (rc != 0)
                LOG_WARN("request failed: %s", err);
        }
        json_object_set_new(resp, "ok", json_boolean(rc == 0));
        if (rc != 0)
            json_object_set_new(resp, "error", json_string(err));
        char *js = json_dumps(resp, JSON_COMPACT);
        json_decref(resp);
        if (!js || hs_mig_chan_send(&c, HS_MIG_T_RESP, js, strlen(js), err, sizeof err) != 0) {
            free(js);
            break;
        }
        free(js);
    }
    hs_mig_chan_close(&c);
}

/* `honeyshift-agent --nest-parent FD` (internal): what CRIU execs after a restore into a nest
 * (criu restore --exec-cmd), so the restored process keeps a parent with the PID it had in
 * production for its whole life. Tells the nest's init through FD that the restore succeeded,
 * then reaps until no child is left. */
static int nest_parent(const char *fd_s)
{
    char *end = NULL;
    long fd = strtol(fd_s, &end, 10);
    if (!end || *end || fd < 3 || fd > 1023)
        return 2;
    if (write((int)fd, "k", 1) != 1)
        return 1;
    close((int)fd);
    int nul = open("/dev/null", O_RDWR);
    if (nul >= 0) {
        dup2(nul, 0);
        dup2(nul, 1);
        dup2(nul, 2);
    }
    close_range(3, ~0U, 0); /* CRIU's log and anything else it held */
    for (;;) {
        if (waitpid(-1, NULL, 0) < 0 && errno == ECHILD)
            return 0;
    }
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "--nest-parent"))
        return nest_parent(argv[2]);
    const char *lab = NULL, *topo = NULL, *host = NULL, *listen_s = NULL, *key = NULL;
    const char *pidfile = NULL, *logfile = NULL, *genkey = NULL;
    const char *criu = getenv("HS_CRIU");
    bool daemonize = false;
    static const struct option lo[] = {
        {"lab", 1, 0, 'l'}, {"host", 1, 0, 'H'}, {"listen", 1, 0, 'L'}, {"key", 1, 0, 'k'},
        {"criu", 1, 0, 'c'}, {"daemon", 0, 0, 'd'}, {"pidfile", 1, 0, 'p'}, {"log", 1, 0, 'o'},
        {"genkey", 1, 0, 'g'}, {"help", 0, 0, 'h'}, {0, 0, 0, 0}};
    int ch;
    while ((ch = getopt_long(argc, argv, "t:h", lo, NULL)) != -1) {
        switch (ch) {
        case 'l': lab = optarg; break;
        case 't': topo = optarg; break;
        case 'H': host = optarg; break;
        case 'L': listen_s = optarg; break;
        case 'k': key = optarg; break;
        case 'c': criu = optarg; break;
        case 'd': daemonize = true; break;
        case 'p': pidfile = optarg; break;
        case 'o': logfile = optarg; break;
        case 'g': genkey = optarg; break;
        case 'h': fputs(usage_text, stdout); return 0;
        default: fputs(usage_text, stderr); return 2;
        }
    }
    char err[512];
    if (genkey) {
        if (hs_mig_key_generate(genkey, err, sizeof err) != 0) {
            fprintf(stderr, "honeyshift-agent: %s\n", err);
            return 1;
        }
        return 0;
    }
    if (optind != argc || !host || (!lab == !topo)) {
        fputs(usage_text, stderr);
        return 2;
    }
    hs_log_init("honeyshift-agent", HS_LOG_INFO);
    FILE *logf = NULL;
    if (hs_daemon_log_open("honeyshift-agent", logfile, &logf) != 0)
        return 1;
    char tpath[HS_PATH_MAX + 64];
    if (lab)
        snprintf(tpath, sizeof tpath, "/run/honeyshift/%s/topology.yaml", lab);
    struct hs_agent a;
    memset(&a, 0, sizeof a);
    struct hs_cfg_err ce;
    if (hs_topology_load(lab ? tpath : topo, &a.t, &ce) != 0) {
        fprintf(stderr, "honeyshift-agent: %s\n", ce.msg);
        return 1;
    }
    a.host = hs_topology_host(a.t, host);
    if (!a.host) {
        fprintf(stderr, "honeyshift-agent: no host %s in the topology\n", host);
        return 1;
    }
    a.criu = criu && *criu ? criu : DEFAULT_CRIU;
    const char *verb = getenv("HS_AGENT_CRIU_VERBOSITY");
    if (verb && verb[0] >= '1' && verb[0] <= '4' && !verb[1])
        a.criu_verbosity = verb[0] - '0';
    char kp[HS_PATH_MAX + 32];
    if (!key) {
        hs_mig_key_path(a.t, kp, sizeof kp);
        key = kp;
    }
    if (hs_mig_key_load(key, a.key, err, sizeof err) != 0) {
        fprintf(stderr, "honeyshift-agent: %s\n", err);
        return 1;
    }
    snprintf(a.shm_dir, sizeof a.shm_dir, "/dev/shm/honeyshift-%s-%s", a.t->lab, host);
    snprintf(a.run_dir, sizeof a.run_dir, "%s/mig", a.t->state_dir);
    mkdir(a.run_dir, 0700);
    snprintf(a.run_dir, sizeof a.run_dir, "%s/mig/%s", a.t->state_dir, host);
    mkdir(a.run_dir, 0700);

    uint32_t ip = HS_MIG_AGENT_IP;
    uint16_t port = hs_mig_agent_port(a.t, host);
    if (listen_s && hs_mig_parse_endpoint(listen_s, &ip, &port) != 0) {
        fprintf(stderr, "honeyshift-agent: --listen %s: need IP:PORT\n", listen_s);
        return 2;
    }
    int ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port),
                             .sin_addr.s_addr = htonl(ip)};
    if (ls < 0 || bind(ls, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(ls, 64) != 0) {
        fprintf(stderr, "honeyshift-agent: listen on port %u: %s\n", (unsigned)port,
                strerror(errno));
        return 1;
    }
    if (daemonize) {
        pid_t p = fork();
        if (p < 0)
            return 1;
        if (p > 0) {
            if (pidfile) {
                FILE *f = fopen(pidfile, "we");
                if (!f)
                    return 1;
                fprintf(f, "%d\n", (int)p);
                fclose(f);
            }
            _exit(0);
        }
        setsid();
        int nul = open("/dev/null", O_RDWR);
        if (nul >= 0) {
            dup2(nul, 0);
            dup2(nul, 1);
            if (logf)
                dup2(fileno(logf), 2);
        }
    } else if (pidfile) {
        FILE *f = fopen(pidfile, "we");
        if (f) {
            fprintf(f, "%d\n", (int)getpid());
            fclose(f);
        }
    }
    struct sigaction sact = {.sa_handler = on_term};
    sigemptyset(&sact.sa_mask);
    sigaction(SIGTERM, &sact, NULL);
    sigaction(SIGINT, &sact, NULL);
    signal(SIGPIPE, SIG_IGN);
    LOG_INFO("host %s of lab %s: listening on port %u", host, a.t->lab, (unsigned)port);
    if (hs_criu_kdat_prepare(a.criu, err, sizeof err) != 0)
        LOG_WARN("%s: every CRIU run probes the kernel", err);
    agent_gc_start(&a);
    while (!stopping) {
        while (waitpid(-1, NULL, WNOHANG) > 0)
            ;
        struct pollfd pl = {.fd = ls, .events = POLLIN};
        if (poll(&pl, 1, agent_gc_tick(&a)) <= 0)
            continue; /* time for the garbage collector, or a signal */
        int fd = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0)
            continue;
        pid_t p = fork();
        if (p == 0) {
            close(ls);
            serve(&a, fd);
            _exit(0);
        }
        if (p < 0)
            LOG_ERR("fork: %s", strerror(errno));
        close(fd);
    }
    LOG_INFO("stopping");
    close(ls);
    hs_topology_free(a.t);
    if (logf)
        fclose(logf);
    return 0;
}
