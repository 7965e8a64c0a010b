/* cmd_events.c - placeholder while the module is being written (replaced before landing). */
#include "cli/commands.h"
#include <stdio.h>
int cmd_events(int argc, char **argv) { (void)argc; (void)argv; fprintf(stderr, "honeyshift events: not implemented yet\n"); return 1; }
