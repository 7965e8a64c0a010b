/* procfs.c - small readers of /proc (see procfs.h). */
#include "common/procfs.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int hs_proc_nspid_file(const char *path, pid_t *innermost)
{
    char line[512];
    int depth = 0;
    pid_t last = 0;
    if (innermost)
        *innermost = 0;
    FILE *f = fopen(path, "re");
    if (!f)
        return 0;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "NSpid:", 6) != 0)
            continue;
        char *save = NULL;
        for (char *t = strtok_r(line + 6, " \t\n", &save); t; t = strtok_r(NULL, " \t\n", &save)) {
            char *end;
            errno = 0;
            long v = strtol(t, &end, 10);
            if (errno || *end || v <= 0 || v > INT_MAX) {
                depth = 0;
                break;
            }
            last = (pid_t)v;
            depth++;
        }
        break;
    }
    fclose(f);
    if (depth > 0 && innermost)
        *innermost = last;
    return depth;
}

int hs_proc_nspid(pid_t pid, pid_t *innermost)
{
    char p[64];
    snprintf(p, sizeof p, "/proc/%d/status", (int)pid);
    return hs_proc_nspid_file(p, innermost);
}
