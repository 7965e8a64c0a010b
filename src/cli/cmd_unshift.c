/* cmd_unshift.c - `honeyshift unshift`: release a relocated client. */
#include "cli/commands.h"
#include "common/util.h"
#include "lab/lab.h"
#include "mig/shift.h"

#include <getopt.h>
#include <stdio.h>

static const char help[] =
"NAME\n"
"    honeyshift unshift - release a client relocated by honeyshift shift\n"
"\n"
"SYNOPSIS\n"
"    honeyshift unshift [--lab NAME | -t FILE] --client IP [--to HOST] [--key FILE]\n"
"\n"
"DESCRIPTION\n"
"    Releases the client completely: the controller removes every relocation flow of the\n"
"    client (cookie 0x4d47xxxx + IP, drops included), lifts its IPS block and forgets its\n"
"    relocation state (the next attack relocates it again); the honeypot's agent kills the\n"
"    client's restored processes (their nested PID namespaces end with them). Without a\n"
"    running controller the flows are removed with ovs-ofctl. The client can reach production\n"
"    again; its relocated connection is gone.\n"
"\n"
"OPTIONS\n"
"    --lab NAME | -t FILE   the lab (default: the default lab)\n"
"    --client IP            the client to release (required)\n"
"    --to HOST              the honeypot host (default honeypot)\n"
"    --key FILE             agent key (default STATE_DIR/agent.key)\n"
"\n"
"EXIT STATUS\n"
"    0 released, 1 something could not be removed (named), 2 usage error.\n";

int cmd_unshift(int argc, char **argv)
{
    const char *lab = NULL, *file = NULL, *client = NULL, *to = "honeypot", *key = NULL;
    static const struct option lo[] = {
        {"lab", 1, 0, 'l'}, {"topology", 1, 0, 't'}, {"client", 1, 0, 'c'}, {"to", 1, 0, 'o'},
        {"key", 1, 0, 'k'}, {"help", 0, 0, 'h'}, {0, 0, 0, 0}};
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "t:h", lo, NULL)) != -1) {
        switch (ch) {
        case 'l': lab = optarg; break;
        case 't': file = optarg; break;
        case 'c': client = optarg; break;
        case 'o': to = optarg; break;
        case 'k': key = optarg; break;
        case 'h': fputs(help, stdout); return 0;
        default: fputs(help, stderr); return 2;
        }
    }
    uint32_t ip;
    if (optind != argc || !client || (lab && file) || !hs_parse_ipv4(client, &ip)) {
        fprintf(stderr, "honeyshift unshift: need --client IP (see --help)\n");
        return 2;
    }
    struct hs_lab_target tg;
    char err[512];
    if (hs_lab_target_resolve(file, lab, HS_LAB_FOR_INSPECT, &tg, err, sizeof err) != 0) {
        fprintf(stderr, "honeyshift unshift: %s\n", err);
        return 1;
    }
    unsigned killed = 0;
    int rc = hs_unshift_run(tg.topo, to, ip, key, tg.topo->controller.control_socket, &killed,
                            err, sizeof err);
    if (rc == 0)
        printf("released %s: flows removed, %u restored process(es) killed\n", client, killed);
    else
        fprintf(stderr, "honeyshift unshift: %s\n", err);
    hs_lab_target_free(&tg);
    return rc == 0 ? 0 : 1;
}
