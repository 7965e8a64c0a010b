/* cmd_unshift.c - placeholder while the module is being written (replaced before landing). */
#include "cli/commands.h"
#include <stdio.h>
int cmd_unshift(int argc, char **argv) { (void)argc; (void)argv; fprintf(stderr, "honeyshift unshift: not implemented yet\n"); return 1; }
