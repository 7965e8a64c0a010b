/* shift_ofctl.c - ovs-ofctl runner (fork/exec, stdin from a pipe, stderr captured). */
#include "mig/shift_ofctl.h"
#include "common/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int run(char *const argv[], const char *in, size_t in_len, char *err, size_t es)
{
    int ip[2], ep[2];
    if (pipe2(ip, O_CLOEXEC) != 0)
        goto fail;
    if (pipe2(ep, O_CLOEXEC) != 0) {
        close(ip[0]);
        close(ip[1]);
        goto fail;
    }
    pid_t p = fork();
    if (p < 0) {
        close(ip[0]); close(ip[1]); close(ep[0]); close(ep[1]);
        goto fail;
    }
    if (p == 0) {
        int nul = open("/dev/null", O_WRONLY);
        if (dup2(ip[0], 0) < 0 || nul < 0 || dup2(nul, 1) < 0 || dup2(ep[1], 2) < 0)
            _exit(126);
        execvp(argv[0], argv);
        _exit(127);
    }
    close(ip[0]);
    close(ep[1]);
    size_t off = 0;
    while (off < in_len) {
        ssize_t n = write(ip[1], in + off, in_len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        off += (size_t)n;
    }
    close(ip[1]);
    char ebuf[512];
    size_t el = 0;
    ssize_t n;
    while ((n = read(ep[0], ebuf + el, sizeof ebuf - 1 - el)) > 0 && el < sizeof ebuf - 1)
        el += (size_t)n;
    ebuf[el] = '\0';
    close(ep[0]);
    int st;
    while (waitpid(p, &st, 0) < 0 && errno == EINTR)
        ;
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
        return 0;
    char *nl = strchr(ebuf, '\n');
    if (nl)
        *nl = '\0';
    snprintf(err, es, "`%s %s` failed: %s", argv[0], argv[3], el ? ebuf : "no message");
    return -1;
fail:
    snprintf(err, es, "cannot run %s: %s", argv[0], strerror(errno));
    return -1;
}

int hs_ofctl_add_flows(const char *bridge, const char *lines, size_t len, char *err,
                       size_t err_size)
{
    char *argv[] = {"ovs-ofctl", "-O", "OpenFlow13", "add-flows", (char *)bridge, "-", NULL};
    return run(argv, lines, len, err, err_size);
}

int hs_ofctl_del_flows(const char *bridge, const char *selector, char *err, size_t err_size)
{
    char *argv[] = {"ovs-ofctl", "-O", "OpenFlow13", "del-flows", (char *)bridge,
                    (char *)selector, NULL};
    return run(argv, "", 0, err, err_size);
}
