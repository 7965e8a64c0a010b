/* cmd_lab.c - `honeyshift lab up|down|status|exec`: the lab of namespaces on OVS (src/lab). */
#include "cli/commands.h"
#include "lab/lab.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXIT_USAGE 2
#define EXIT_NOT_UP 3
#define EXIT_EXEC_FAILED 125

static const char help_lab[] =
"NAME\n"
"    honeyshift lab - build, inspect and remove the honeyshift lab\n"
"\n"
"SYNOPSIS\n"
"    honeyshift lab up     [TOPOLOGY.yaml] [--timeout SEC] [--quiet]\n"
"    honeyshift lab down   [TOPOLOGY.yaml | --lab NAME] [--quiet]\n"
"    honeyshift lab status [TOPOLOGY.yaml | --lab NAME] [--json]\n"
"    honeyshift lab exec   [--topology FILE | --lab NAME] HOST [--] COMMAND [ARG...]\n"
"\n"
"DESCRIPTION\n"
"    The lab is a topology (etc/lab-default.yaml unless a file is given) made real on this\n"
"    machine: every host is a set of Linux namespaces (network, mount, UTS, PID) whose init is\n"
"    honeyshift-hostinit; hosts are linked by veth pairs to Open vSwitch bridges (userspace\n"
"    datapath) that the controller honeyshiftd programs over OpenFlow 1.3; services (nginx)\n"
"    run inside the hosts. Honeypots carry their twin's hostname, MAC and IP.\n"
"\n"
"    Run 'honeyshift lab SUBCOMMAND --help' for each subcommand. All need root.\n"
"\n"
"ENVIRONMENT\n"
"    HS_NO_CONTROLLER=1  build the lab without the controller: honeyshiftd is neither started\n"
"                        nor waited for, bridges run fail_mode=standalone (a plain learning\n"
"                        switch: honeypots are NOT isolated). For development and for the\n"
"                        NORMAL-forwarding baseline of benchmarks.\n"
"    HS_HONEYSHIFTD      path of honeyshiftd (default: next to this program, ../ctl/ in a\n"
"                        build tree, then PATH).\n"
"    HS_HOSTINIT         path of honeyshift-hostinit (default: next to this program, ../lab/\n"
"                        in a build tree, then PATH).\n"
"\n"
"FILES\n"
"    STATE_DIR (topology state_dir, default /run/honeyshift/LAB)\n"
"        topology.yaml            the topology the lab was built from (honeyshiftd reads it)\n"
"        honeyshiftd.pid, .log    the controller\n"
"        hosts/HOST/              per host: hosts (its /etc/hosts), init.pid, nginx.conf,\n"
"                                 www/index.html, log/access.log, log/error.log\n"
"    /run/netns/LAB-HOST         the host's network namespace (ip netns / ip -n work)\n"
"    veth LAB-HOST               the host's port on its bridge; eth0 inside the host\n"
"\n"
"EXIT STATUS\n"
"    0 success, 1 failure, 2 usage error; see each subcommand.\n"
"\n"
"EXAMPLES\n"
"    honeyshift lab up && honeyshift lab exec client -- curl -s http://web/\n"
"    honeyshift lab status --json\n"
"    honeyshift lab down\n";

static const char help_up[] =
"NAME\n"
"    honeyshift lab up - build the lab, or complete a partly built one\n"
"\n"
"SYNOPSIS\n"
"    honeyshift lab up [TOPOLOGY.yaml] [--timeout SEC] [--quiet]\n"
"\n"
"DESCRIPTION\n"
"    Builds the lab described by TOPOLOGY.yaml (default: the built-in etc/lab-default.yaml,\n"
"    lab \"hs\"). Each piece is checked first and only what is missing or wrong is made, so\n"
"    running it on a running lab changes nothing. In order:\n"
"      - the state dir with a copy of the topology and every host's generated files;\n"
"      - honeyshiftd (--config STATE_DIR/topology.yaml --daemon), unless it runs;\n"
"      - each bridge: datapath_type=netdev, OpenFlow13, the topology's datapath-id,\n"
"        fail_mode=secure and the controller's listen address;\n"
"      - each host: its init (new namespaces, hostname, /etc/hosts), /run/netns/LAB-HOST,\n"
"        a veth LAB-HOST on the bridge at the topology's port, eth0 inside with the MAC and\n"
"        IP/prefix, TX checksum offload off on both ends;\n"
"      - each service (nginx), until it accepts connections;\n"
"      - then it waits until the controller reports every bridge connected and its flows\n"
"        installed.\n"
"\n"
"OPTIONS\n"
"    --timeout SEC   how long to wait for the controller (default 15)\n"
"    -q, --quiet     no progress output\n"
"    -h, --help      this text\n"
"\n"
"ENVIRONMENT\n"
"    HS_NO_CONTROLLER=1 skips the controller (bridges standalone); see 'honeyshift lab --help'.\n"
"\n"
"EXIT STATUS\n"
"    0 the lab is up; 1 a step failed (the message names it; 'honeyshift lab down' removes\n"
"    what was built); 2 usage error.\n"
"\n"
"EXAMPLES\n"
"    honeyshift lab up\n"
"    honeyshift lab up tests/integration/topo-test.yaml\n"
"    HS_NO_CONTROLLER=1 honeyshift lab up lab.yaml\n";

static const char help_down[] =
"NAME\n"
"    honeyshift lab down - remove everything of a lab\n"
"\n"
"SYNOPSIS\n"
"    honeyshift lab down [TOPOLOGY.yaml | --lab NAME] [--quiet]\n"
"\n"
"DESCRIPTION\n"
"    Stops the lab's honeyshiftd and host inits (killing a host's init ends every process in\n"
"    the host), removes its bridges, /run/netns/LAB-* names, LAB-* veths and its state dir.\n"
"    It works after a crash or a half-finished up: what it cannot learn from the state dir it\n"
"    finds by name (LAB-* interfaces and namespaces, bridges tagged\n"
"    external_ids:honeyshift-lab=LAB, processes whose command line names the lab). It only\n"
"    stops processes whose command line proves the lab started them.\n"
"    Without arguments it acts on the default lab \"hs\".\n"
"\n"
"OPTIONS\n"
"    --lab NAME            the lab by name (its topology is read from\n"
"                          /run/honeyshift/NAME/topology.yaml when present)\n"
"    -t, --topology FILE   same as giving TOPOLOGY.yaml\n"
"    -q, --quiet           no progress output\n"
"    -h, --help            this text\n"
"\n"
"EXIT STATUS\n"
"    0 nothing of the lab is left (also when there was nothing to do); 1 something is left\n"
"    (the message says what); 2 usage error.\n"
"\n"
"EXAMPLES\n"
"    honeyshift lab down\n"
"    honeyshift lab down --lab hst\n";

static const char help_status[] =
"NAME\n"
"    honeyshift lab status - show the state of a lab\n"
"\n"
"SYNOPSIS\n"
"    honeyshift lab status [TOPOLOGY.yaml | --lab NAME] [--json]\n"
"\n"
"DESCRIPTION\n"
"    For every host: its init's PID, whether its /run/netns name and its link are there, IP,\n"
"    MAC, bridge port, and each service up (accepting connections) or down with its PID. Then\n"
"    the bridges, and the controller: its PID and whether it answers on the control socket\n"
"    (with --json its whole status answer is included under controller.status).\n"
"\n"
"OPTIONS\n"
"    --json                one JSON object: {\"lab\", \"all_up\", \"hosts\": [...],\n"
"                          \"bridges\": [...], \"controller\": {...}}\n"
"    --lab NAME            the lab by name\n"
"    -t, --topology FILE   same as giving TOPOLOGY.yaml\n"
"    -h, --help            this text\n"
"\n"
"EXIT STATUS\n"
"    0 everything is up; 3 the lab is not (completely) up; 1 error; 2 usage error.\n"
"    With HS_NO_CONTROLLER=1 the controller does not count.\n"
"\n"
"EXAMPLES\n"
"    honeyshift lab status\n"
"    honeyshift lab status --lab hst --json | python3 -m json.tool\n";

static const char help_exec[] =
"NAME\n"
"    honeyshift lab exec - run a command inside a lab host\n"
"\n"
"SYNOPSIS\n"
"    honeyshift lab exec [--topology FILE | --lab NAME] HOST [--] COMMAND [ARG...]\n"
"\n"
"DESCRIPTION\n"
"    Runs COMMAND in HOST's network, mount, UTS and PID namespaces (cwd /), so it sees the\n"
"    host's eth0, hostname and /etc/hosts, and its processes. stdin, stdout and stderr are\n"
"    passed through; the host's name resolution knows every non-honeypot host by name.\n"
"\n"
"OPTIONS\n"
"    --lab NAME            the lab by name (default: the default lab \"hs\")\n"
"    -t, --topology FILE   the lab of that topology file\n"
"    -h, --help            this text\n"
"\n"
"EXIT STATUS\n"
"    COMMAND's exit status (128+N when it was killed by signal N; 127 when it could not be\n"
"    executed); 125 when the host could not be entered; 2 usage error.\n"
"\n"
"EXAMPLES\n"
"    honeyshift lab exec client -- curl -s http://web/\n"
"    honeyshift lab exec --lab hst attacker -- ping -c1 web\n";

static void errorf(const char *sub, const char *msg)
{
    fprintf(stderr, "honeyshift lab %s: %s\n", sub, msg);
}

static bool env_flag(const char *name)
{
    const char *v = getenv(name);
    return v && *v && strcmp(v, "0") != 0;
}

struct common_opts {
    const char *file, *lab;
    bool quiet, json;
    int timeout_s;
};

/* Parse options shared by the subcommands; returns the index of the first operand, or -1 (usage
 * error, message printed) or -2 (--help printed). */
static int parse_opts(int argc, char **argv, const char *sub, const char *help, bool stop_early,
                      struct common_opts *o)
{
    enum { OPT_LAB = 1000, OPT_JSON, OPT_TIMEOUT };
    static const struct option longopts[] = {
        {"lab", required_argument, NULL, OPT_LAB},
        {"topology", required_argument, NULL, 't'},
        {"json", no_argument, NULL, OPT_JSON},
        {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, stop_early ? "+t:qh" : "t:qh", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_LAB: o->lab = optarg; break;
        case 't': o->file = optarg; break;
        case OPT_JSON: o->json = true; break;
        case 'q': o->quiet = true; break;
        case OPT_TIMEOUT: {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v <= 0 || v > 3600) {
                errorf(sub, "--timeout wants seconds (1..3600)");
                return -1;
            }
            o->timeout_s = (int)v;
            break;
        }
        case 'h': fputs(help, stdout); return -2;
        default: {
            char msg[128];
            snprintf(msg, sizeof msg, "unknown option '%s' (see --help)", argv[optind - 1]);
            errorf(sub, msg);
            return -1;
        }
        }
    }
    return optind;
}

/* Operands of up/down/status: at most one topology file, not together with --lab. */
static int one_file_operand(int argc, char **argv, int first, const char *sub,
                            struct common_opts *o)
{
    if (first < argc) {
        if (o->file || argc - first > 1) {
            errorf(sub, "too many arguments (see --help)");
            return -1;
        }
        o->file = argv[first];
    }
    if (o->file && o->lab) {
        errorf(sub, "give either a topology file or --lab NAME, not both");
        return -1;
    }
    return 0;
}

static int lab_up(int argc, char **argv)
{
    struct common_opts o = {0};
    int first = parse_opts(argc, argv, "up", help_up, false, &o);
    if (first == -2)
        return 0;
    if (first < 0 || one_file_operand(argc, argv, first, "up", &o) != 0)
        return EXIT_USAGE;
    if (o.lab) {
        errorf("up", "--lab is not accepted here: give the topology file (or none)");
        return EXIT_USAGE;
    }
    char err[1024];
    struct hs_lab_target tg;
    if (hs_lab_target_resolve(o.file, NULL, HS_LAB_FOR_UP, &tg, err, sizeof err) != 0) {
        errorf("up", err);
        return 1;
    }
    struct hs_lab_opts lo = {.no_controller = env_flag("HS_NO_CONTROLLER"),
                             .ready_timeout_ms = (o.timeout_s ? o.timeout_s : 15) * 1000,
                             .progress = o.quiet ? NULL : stdout};
    bool built = false;
    lo.built = &built;
    int rc = hs_lab_up(&tg, &lo, err, sizeof err);
    if (rc != 0) {
        errorf("up", err);
        if (built)
            fprintf(stderr, "honeyshift lab up: what was built stays; remove it with "
                    "'honeyshift lab down%s%s'\n", o.file ? " " : "", o.file ? o.file : "");
    }
    hs_lab_target_free(&tg);
    return rc == 0 ? 0 : 1;
}

static int lab_down(int argc, char **argv)
{
    struct common_opts o = {0};
    int first = parse_opts(argc, argv, "down", help_down, false, &o);
    if (first == -2)
        return 0;
    if (first < 0 || one_file_operand(argc, argv, first, "down", &o) != 0)
        return EXIT_USAGE;
    char err[1024];
    struct hs_lab_target tg;
    if (hs_lab_target_resolve(o.file, o.lab, HS_LAB_FOR_DOWN, &tg, err, sizeof err) != 0) {
        errorf("down", err);
        return 1;
    }
    int rc = hs_lab_down(&tg, o.quiet ? NULL : stdout, err, sizeof err);
    if (rc != 0)
        errorf("down", err);
    hs_lab_target_free(&tg);
    return rc == 0 ? 0 : 1;
}

static int lab_status(int argc, char **argv)
{
    struct common_opts o = {0};
    int first = parse_opts(argc, argv, "status", help_status, false, &o);
    if (first == -2)
        return 0;
    if (first < 0 || one_file_operand(argc, argv, first, "status", &o) != 0)
        return EXIT_USAGE;
    char err[1024];
    struct hs_lab_target tg;
    if (hs_lab_target_resolve(o.file, o.lab, HS_LAB_FOR_INSPECT, &tg, err, sizeof err) != 0) {
        errorf("status", err);
        return 1;
    }
    bool all_up;
    json_t *st = hs_lab_status(&tg, env_flag("HS_NO_CONTROLLER"), &all_up);
    int rc = 1;
    if (!st) {
        errorf("status", "cannot build the status (out of memory?)");
    } else {
        if (o.json) {
            char *s = json_dumps(st, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
            if (s) {
                puts(s);
                free(s);
            }
        } else {
            hs_lab_status_print(st, stdout);
        }
        json_decref(st);
        rc = all_up ? 0 : EXIT_NOT_UP;
    }
    hs_lab_target_free(&tg);
    return rc;
}

static int lab_exec(int argc, char **argv)
{
    struct common_opts o = {0};
    int first = parse_opts(argc, argv, "exec", help_exec, true, &o);
    if (first == -2)
        return 0;
    if (first < 0)
        return EXIT_USAGE;
    if (o.file && o.lab) {
        errorf("exec", "give either --topology FILE or --lab NAME, not both");
        return EXIT_USAGE;
    }
    if (first >= argc) {
        errorf("exec", "which host? (usage: honeyshift lab exec HOST -- COMMAND...)");
        return EXIT_USAGE;
    }
    const char *host = argv[first++];
    if (first < argc && !strcmp(argv[first], "--"))
        first++;
    if (first >= argc) {
        errorf("exec", "no command given (usage: honeyshift lab exec HOST -- COMMAND...)");
        return EXIT_USAGE;
    }
    char err[1024];
    struct hs_lab_target tg;
    if (hs_lab_target_resolve(o.file, o.lab, HS_LAB_FOR_INSPECT, &tg, err, sizeof err) != 0) {
        errorf("exec", err);
        return EXIT_EXEC_FAILED;
    }
    int rc = hs_lab_exec(&tg, host, argv + first, err, sizeof err);
    if (rc < 0) {
        errorf("exec", err);
        rc = EXIT_EXEC_FAILED;
    }
    hs_lab_target_free(&tg);
    return rc;
}

int cmd_lab(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(int, char **);
    } subs[] = {{"up", lab_up}, {"down", lab_down}, {"status", lab_status}, {"exec", lab_exec}};
    if (argc < 2) {
        fputs(help_lab, stderr);
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        fputs(help_lab, stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
        if (!strcmp(argv[1], subs[i].name))
            return subs[i].run(argc - 1, argv + 1);
    fprintf(stderr, "honeyshift lab: unknown subcommand '%s' (up, down, status, exec; see "
            "'honeyshift lab --help')\n", argv[1]);
    return EXIT_USAGE;
}
