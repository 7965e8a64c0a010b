/* mig_criu.h - CRIU command lines for the relocation (pure). */
#ifndef HS_MIG_CRIU_H
#define HS_MIG_CRIU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* An argv under construction (strings owned, NULL-terminated). */
struct hs_mig_argv {
    size_t n;
    char **v;
};

/* Append one formatted argument. */
void hs_mig_argv_add(struct hs_mig_argv *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void hs_mig_argv_free(struct hs_mig_argv *a);

/* The dump: pid (as seen in the host's PID namespace, where CRIU runs), image dir, the
 * process's unix sockets to its master (external: not dumped, replaced on restore). */
struct hs_mig_dump_spec {
    const char *criu;
    pid_t pid;
    const char *dir;
    const char *log;            /* CRIU's log file (absolute; NULL: dump.log in dir) */
    const uint64_t *unix_inodes;
    size_t n_unix;
    int verbosity;              /* CRIU's -vN when 1..4 (0: CRIU's default) */
};
/* criu dump -t PID -D DIR -o dump.log --leave-running --tcp-established --skip-in-flight
 * --shell-job --network-lock skip [--external unix[INO]]... ; -1 with a message when the spec
 * is unusable (no pid, relative dir). */
int hs_mig_criu_dump_argv(const struct hs_mig_dump_spec *s, struct hs_mig_argv *out, char *err,
                          size_t err_size);

/* The restore: image dir, pid file, and the descriptors that stand in for the external unix
 * sockets (fds[i] replaces unix_inodes[i]). */
struct hs_mig_restore_spec {
    const char *criu;
    const char *dir;
    const char *pidfile;
    const char *log;            /* CRIU's log file (absolute; NULL: restore.log in dir) */
    const uint64_t *unix_inodes;
    const int *fds;
    size_t n_unix;
    int verbosity;              /* CRIU's -vN when 1..4 (0: CRIU's default) */
    char *const *exec_cmd;      /* NULL: --restore-detached; else --exec-cmd -- CMD...: CRIU
                                 * execs CMD after the restore, which stays the parent */
};
/* criu restore -D DIR -o restore.log --restore-detached --pidfile F --tcp-established
 * --shell-job --network-lock skip [--inherit-fd fd[N]:socket:[INO]]... [--exec-cmd -- CMD...]
 * (then without --restore-detached); -1 with a message. */
int hs_mig_criu_restore_argv(const struct hs_mig_restore_spec *s, struct hs_mig_argv *out,
                             char *err, size_t err_size);

/* What the dumping agent records beside CRIU's images (file HS_MIG_META_FILE, streamed with
 * them) for the restore: PIDs as seen in the production host's PID namespace. */
#define HS_MIG_META_FILE "hs-meta"
#define HS_MIG_META_MAX 256 /* the file is never larger */
struct hs_mig_meta {
    pid_t pid;                  /* the dumped process */
    pid_t ppid;                 /* its parent (1 or 0: the host's init / unknown) */
    pid_t max_tid;              /* the highest PID/TID the images will claim */
};
/* "pid N\nppid N\nmaxtid N\n" into out (NUL-terminated); false when it does not fit. */
bool hs_mig_meta_format(const struct hs_mig_meta *m, char *out, size_t size);
/* Parse that text (len bytes, need not be NUL-terminated): every key once, values 1..2^22
 * (ppid may be 0), max_tid >= pid, ppid != pid; -1 with a message otherwise. */
int hs_mig_meta_parse(const char *text, size_t len, struct hs_mig_meta *m, char *err,
                      size_t err_size);

#endif
