/* commands.h - the honeyshift CLI's subcommands, one file each (cmd_<name>.c). */
#ifndef HS_CLI_COMMANDS_H
#define HS_CLI_COMMANDS_H

/* Every command gets argv with argv[0] = its own name and returns the process exit code:
 * 0 success, 1 failure, 2 usage error. */
typedef int hs_cmd_fn(int argc, char **argv);

struct hs_command {
    const char *name;       /* as typed after "honeyshift" */
    hs_cmd_fn *run;
    const char *summary;    /* one line for the command list */
};

/* The table (commands.c). */
extern const struct hs_command hs_commands[];

hs_cmd_fn cmd_lab;
hs_cmd_fn cmd_status;
hs_cmd_fn cmd_qod;
hs_cmd_fn cmd_ips;
hs_cmd_fn cmd_events;
hs_cmd_fn cmd_shift;
hs_cmd_fn cmd_unshift;
hs_cmd_fn cmd_bench;
hs_cmd_fn cmd_sandnet;

#endif
