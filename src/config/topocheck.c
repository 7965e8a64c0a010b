/* topocheck.c - hs-topocheck [--json] [FILE]: validate a topology file (default: the built-in
 * one). Prints "FILE: ok (N switches, M hosts)" or the FILE:LINE:COL error; exit 0 / 1 / 2. */
#include "config/topology.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    bool json = false;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json"))
            json = true;
        else if (argv[i][0] == '-' || path) {
            fprintf(stderr, "usage: hs-topocheck [--json] [FILE]\n");
            return 2;
        } else
            path = argv[i];
    }
    struct hs_topology *t;
    struct hs_cfg_err err;
    int rc = path ? hs_topology_load(path, &t, &err)
                  : hs_topology_parse(hs_default_topology_yaml, strlen(hs_default_topology_yaml),
                                      "<built-in>", &t, &err);
    if (rc != 0) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    if (json) {
        char *s;
        if (hs_topology_to_json(t, &s) != 0) {
            fprintf(stderr, "hs-topocheck: cannot build JSON\n");
            hs_topology_free(t);
            return 1;
        }
        printf("%s\n", s);
        free(s);
    } else {
        printf("%s: ok (lab %s, %zu switches, %zu hosts)\n", t->path, t->lab, t->n_switches,
               t->n_hosts);
    }
    hs_topology_free(t);
    return 0;
}
