/* commands.c - registration table of the CLI's subcommands. */
#include "cli/commands.h"

#include <stddef.h>

const struct hs_command hs_commands[] = {
    {"lab", cmd_lab, "build, inspect and remove the lab topology (namespaces + OVS)"},
    {"status", cmd_status, "show the controller's switches, ports, hosts and flows"},
    {"qod", cmd_qod, "compute the Quality of Deception from KPI data"},
    {NULL, NULL, NULL},
};
