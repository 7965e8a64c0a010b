/* cmd_status.c - honeyshift status: the controller's view (switches, ports, hosts, flows). */
#include "cli/commands.h"
#include "cli/ctl_target.h"
#include "ctl/ctl_client.h"

#include <getopt.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
    fprintf(out,
"NAME\n"
"    honeyshift status - show what the controller sees\n"
"\n"
"SYNOPSIS\n"
"    honeyshift status [--json] [--lab NAME | --config FILE | --socket PATH]\n"
"\n"
"DESCRIPTION\n"
"    Asks the running controller (honeyshiftd) over its control socket for its switches\n"
"    (datapath ID, connection state, ports, flow counts per table, packet-ins), the hosts of\n"
"    its topology with their switch ports, and its uptime.\n"
"\n"
"OPTIONS\n"
"    --json          print the controller's answer as one JSON object.\n"
"    --lab NAME      the lab whose controller to ask (socket /run/honeyshift/NAME/ctl.sock,\n"
"                    or the one named in /run/honeyshift/NAME/topology.yaml). Default: hs.\n"
"    --config FILE   take the control socket from this topology file.\n"
"    --socket PATH   the control socket itself.\n"
"    -h, --help      this text.\n"
"\n"
"EXIT STATUS\n"
"    0 the controller answered; 1 it could not be reached or answered an error; 2 usage.\n"
"\n"
"EXAMPLES\n"
"    honeyshift status\n"
"    honeyshift status --json | python3 -m json.tool\n");
}

static const char *str(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "-";
}

static long long num(json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

static void print_human(json_t *st)
{
    long long up = num(st, "uptime_s");
    printf("honeyshiftd %s, lab %s, pid %lld, up %lldh%02lldm%02llds\n\n", str(st, "version"),
           str(st, "lab"), num(st, "pid"), up / 3600, up / 60 % 60, up % 60);
    printf("%-10s %-18s %-9s %-10s %-7s %-7s %-8s %-9s %s\n", "SWITCH", "DPID", "CONNECTED",
           "STATE", "TABLE0", "TABLE1", "DESIRED", "PACKETIN", "PEER");
    size_t i;
    json_t *sw;
    json_array_foreach(json_object_get(st, "switches"), i, sw) {
        json_t *fl = json_object_get(sw, "flows"), *ct = json_object_get(sw, "counters");
        bool conn = json_is_true(json_object_get(sw, "connected"));
        printf("%-10s %-18s %-9s %-10s %-7lld %-7lld %-8lld %-9lld %s\n", str(sw, "name"),
               str(sw, "dpid"), conn ? "yes" : "no", str(sw, "state"), num(fl, "table0"),
               num(fl, "table1"), num(fl, "desired"), num(ct, "packet_in"), str(sw, "peer"));
        size_t j;
        json_t *p;
        json_array_foreach(json_object_get(sw, "ports"), j, p) {
            if (num(p, "no") > 0xffff)
                continue; /* LOCAL and other reserved ports */
            printf("    port %-4lld %-16s %s\n", num(p, "no"), str(p, "name"),
                   json_is_true(json_object_get(p, "up")) ? "up" : "down");
        }
    }
    json_t *unknown = json_object_get(st, "unknown_switches");
    if (json_array_size(unknown))
        printf("\n%zu connected switch(es) not in the topology\n", json_array_size(unknown));
    printf("\n%-10s %-11s %-10s %-5s %-18s %-15s %s\n", "HOST", "ROLE", "SWITCH", "PORT", "MAC",
           "IP", "LINK");
    json_t *h;
    json_array_foreach(json_object_get(st, "hosts"), i, h) {
        json_t *up_j = json_object_get(h, "port_up");
        printf("%-10s %-11s %-10s %-5lld %-18s %-15s %s\n", str(h, "name"), str(h, "role"),
               str(h, "switch"), num(h, "port"), str(h, "mac"), str(h, "ip"),
               json_is_null(up_j) || !up_j ? "absent" : json_is_true(up_j) ? "up" : "down");
    }
}

int cmd_status(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'}, {"lab", required_argument, NULL, 'L'},
        {"config", required_argument, NULL, 'c'}, {"socket", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    struct hs_ctl_target tgt = {0};
    bool json = false;
    int o;
    optind = 1;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'j': json = true; break;
        case 'L': tgt.lab = optarg; break;
        case 'c': tgt.config = optarg; break;
        case 's': tgt.socket = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "honeyshift status: unexpected argument '%s'\n", argv[optind]);
        return 2;
    }
    char path[256], err[512];
    if (hs_ctl_target_socket(&tgt, path, sizeof path, err, sizeof err) != 0) {
        fprintf(stderr, "honeyshift status: %s\n", err);
        return 1;
    }
    char *ans = NULL;
    if (hs_ctl_request(path, "{\"cmd\":\"status\"}", &ans, 5000, err, sizeof err) != 0) {
        fprintf(stderr, "honeyshift status: %s\n", err);
        return 1;
    }
    json_error_t jerr;
    json_t *st = json_loads(ans, 0, &jerr);
    if (!st || !json_is_true(json_object_get(st, "ok"))) {
        fprintf(stderr, "honeyshift status: the controller answered: %s\n", ans);
        json_decref(st);
        free(ans);
        return 1;
    }
    if (json)
        printf("%s\n", ans);
    else
        print_human(st);
    json_decref(st);
    free(ans);
    return 0;
}
