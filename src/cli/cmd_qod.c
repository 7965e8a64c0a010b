/* cmd_qod.c - placeholder while the module is being written (replaced before landing). */
#include "cli/commands.h"
#include <stdio.h>
int cmd_qod(int argc, char **argv) { (void)argc; (void)argv; fprintf(stderr, "not implemented yet\n"); return 1; }
