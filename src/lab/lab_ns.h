/* lab_ns.h - a lab host's namespaces: starting its init (honeyshift-hostinit), naming its
 * network namespace under /run/netns, and running programs inside it. */
#ifndef HS_LAB_LAB_NS_H
#define HS_LAB_LAB_NS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Open namespace files of a host's init process. */
struct hs_lab_nsfds {
    int net, mnt, uts, pid;
};

/* Arguments of one host init. */
struct hs_hostinit_args {
    const char *exe;            /* path of honeyshift-hostinit */
    const char *lab, *host;     /* identity (also written on its command line) */
    const char *hostname;       /* hostname inside the host */
    const char *hosts_file;     /* bind-mounted over /etc/hosts */
    const char *log_file;       /* its stdout/stderr */
};

/* Start a host init and wait (10 s at most) until it reports readiness. Returns the init's PID
 * (in the caller's PID namespace), or -1 with a message. */
pid_t hs_lab_spawn_hostinit(const struct hs_hostinit_args *a, char *err, size_t err_size);

/* Open /proc/PID/ns/{net,mnt,uts,pid}; -1 with a message. */
int hs_lab_ns_open(pid_t init_pid, struct hs_lab_nsfds *fds, char *err, size_t err_size);
void hs_lab_ns_close(struct hs_lab_nsfds *fds);
/* Open only /proc/PID/ns/net (O_CLOEXEC); -1 with message. */
int hs_lab_netns_open(pid_t init_pid, char *err, size_t err_size);

/* Make the netns of init_pid visible as path (bind mount, /run/netns made shared like
 * iproute2 does). Does nothing when path already names that namespace. */
int hs_lab_netns_mount(pid_t init_pid, const char *path, char *err, size_t err_size);
/* True when path is a mount of the network namespace of init_pid. */
bool hs_lab_netns_is(const char *path, pid_t init_pid);
/* Unmount and remove a /run/netns entry; 0 also when it did not exist. */
int hs_lab_netns_unmount(const char *path, char *err, size_t err_size);

/* Run argv inside all namespaces of the host (net, uts, pid, mnt; cwd "/"). stdio: inherited
 * when stdio_file is NULL, else all three go to that file (appended). Returns the program's exit
 * status (128+N when killed by signal N; 127 when it could not be executed), or -1 with a message
 * when the namespaces could not be entered. While waiting, SIGINT and SIGQUIT are ignored (the
 * program gets them). */
int hs_lab_host_run(pid_t init_pid, char *const argv[], const char *stdio_file, char *err,
                    size_t err_size);

/* A socket created inside the network namespace open on netns_fd; -1 with errno set. */
int hs_lab_socket_in(int netns_fd, int domain, int type);
/* Interface index of name inside the network namespace on netns_fd (-1: current); 0 if absent. */
unsigned hs_lab_ifindex_in(int netns_fd, const char *name);

#endif
