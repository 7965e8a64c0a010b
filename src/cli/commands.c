/* commands.c - registration table of the CLI's subcommands. */
#include "cli/commands.h"

#include <stddef.h>

const struct hs_command hs_commands[] = {
    {"lab", cmd_lab, "build, inspect and remove the lab topology (namespaces + OVS)"},
    {"status", cmd_status, "show the controller's switches, ports, hosts and flows"},
    {"ips", cmd_ips, "inspect traffic offline with the IPS engine (scan, check rules)"},
    {"events", cmd_events, "show alerts and other EVE JSON events (follow, filter)"},
    {"shift", cmd_shift, "relocate a client's live connection into the honeypot"},
    {"unshift", cmd_unshift, "release a relocated or blocked attacker"},
    {"bench", cmd_bench, "benchmark live relocations in a lab built for it"},
    {"qod", cmd_qod, "compute the Quality of Deception from KPI data"},
    {"sandnet", cmd_sandnet, "confine a container into a sandbox network; the Sandnet experiment"},
    {NULL, NULL, NULL},
};
