/* main.c - honeyshift: the operators' CLI. Dispatches to one subcommand per file. */
#include "cli/commands.h"

#include <stdio.h>
#include <string.h>

static void usage(FILE *out)
{
    fprintf(out,
        "usage: honeyshift COMMAND [ARGS...]\n"
        "\n"
        "honeyshift relocates attackers' live sessions into honeypot replicas of the\n"
        "services they attack. This is the operators' tool.\n"
        "\n"
        "commands:\n");
    for (const struct hs_command *c = hs_commands; c->name; c++)
        fprintf(out, "  %-10s %s\n", c->name, c->summary);
    fprintf(out,
        "\n"
        "Run 'honeyshift COMMAND --help' for a command's options.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("honeyshift %s\n", HS_VERSION);
        return 0;
    }
    for (const struct hs_command *c = hs_commands; c->name; c++)
        if (!strcmp(c->name, argv[1]))
            return c->run(argc - 1, argv + 1);
    fprintf(stderr, "honeyshift: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return 2;
}
