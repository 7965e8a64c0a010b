/* sandnet_cli.h - parts of "honeyshift sandnet" shared by its subcommands (cmd_sandnet.c,
 * cmd_sandnet_watch.c). */
#ifndef HS_CLI_SANDNET_CLI_H
#define HS_CLI_SANDNET_CLI_H

#include "sandnet/confine.h"

/* Confine container sc of the running lab: start its fresh clone on PN, clone `with`
 * (comma-separated ids; NULL: sc's group fe/be/db) into SN, install the flows. 0 or 1. */
int sandnet_confine(const char *sc, const char *with, enum sn_confine_mode mode);
/* "atomic" or "in-process" into *mode; -1 with a message otherwise. */
int sandnet_parse_mode(const char *s, enum sn_confine_mode *mode);
/* honeyshift sandnet watch ...: argv[0] is "watch". Exit status. */
int sandnet_watch_main(int argc, char **argv);

#endif
