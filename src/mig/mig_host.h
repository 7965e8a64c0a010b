/* mig_host.h - what an agent does to its lab host (I/O): find the host's init, run programs
 * inside its namespaces, talk netlink in its network namespace, map sockets to processes. */
#ifndef HS_MIG_HOST_H
#define HS_MIG_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "mig/mig_diag.h"

/* PID of the running init of host in lab (state_dir/hosts/HOST/init.pid, checked against its
 * command line); 0 with a message when it does not run. */
pid_t hs_mig_host_init(const char *state_dir, const char *lab, const char *host, char *err,
                       size_t err_size);
/* Enter the namespaces (net, uts, mnt, then pid for children) of init_pid in the calling
 * process; only for a freshly forked single-threaded child. -1 with errno. */
int hs_mig_enter_host(pid_t init_pid);
/* Run argv inside the host (its namespaces; stdout/stderr appended to log_path), waiting at
 * most timeout_ms. Returns the exit status (128+N for signal N), -1 with a message when it
 * could not run or overran (then it is killed). */
int hs_mig_host_run(pid_t init_pid, char *const argv[], const char *log_path, int timeout_ms,
                    char *err, size_t err_size);
/* One sock_diag exchange in the host's network namespace; on_sock gets every socket of the
 * reply. Returns 0 (*nl_error = -errno from an NLMSG_ERROR, 0 otherwise) or -1 with message. */
int hs_mig_diag(pid_t init_pid, enum hs_mig_diag_op op, const struct hs_mig_tuple *t,
                void (*on_sock)(const struct hs_mig_diag_sock *, void *), void *ctx,
                int *nl_error, char *err, size_t err_size);
/* Set a permanent neighbour entry ip -> mac on ifname inside the host. -1 with message. */
int hs_mig_neigh_set(pid_t init_pid, const char *ifname, uint32_t ip, const uint8_t mac[6],
                     char *err, size_t err_size);
/* The process (root PID and PID inside the host) holding the socket with this inode, among the
 * processes in init_pid's network namespace; -1 with a message when none. */
int hs_mig_inode_owner(pid_t init_pid, uint32_t inode, pid_t *root_pid, pid_t *host_pid,
                       char *err, size_t err_size);
/* Socket inodes of the open descriptors of pid (root PID) into out[max]; returns how many. */
size_t hs_mig_proc_sockets(pid_t pid, uint64_t *out, size_t max);
/* Of those, the unix sockets (by /proc/PID/net/unix); returns how many went to out[max]. */
size_t hs_mig_proc_unix_sockets(pid_t pid, uint64_t *out, size_t max);

#endif
