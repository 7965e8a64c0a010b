/* agent_cmd.c - the agent's commands: locate, dump, push/recv of images, destroy, forget. */
#include "mig/agent.h"
#include "common/log.h"
#include "common/procfs.h"
#include "common/util.h"
#include "mig/mig_criu.h"
#include "mig/mig_host.h"
#include "mig/mig_imgstream.h"
#include "mig/mig_topo.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK (256 * 1024)
#define CRIU_TIMEOUT_MS 15000

int agent_img_dir(const struct hs_agent *a, const char *id, char *out, size_t size)
{
    return hs_snprintf(out, size, "%s/%s", a->shm_dir, id);
}

void agent_rm_images(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        unlinkat(dirfd(d), e->d_name, 0);
    }
    closedir(d);
    rmdir(dir);
}

static pid_t host_init(struct hs_agent *a, char *err, size_t es)
{
    return hs_mig_host_init(a->t->state_dir, a->t->lab, a->host->name, err, es);
}

static void on_one(const struct hs_mig_diag_sock *s, void *ctx)
{
    *(struct hs_mig_diag_sock *)ctx = *s;
}

static int do_locate(struct hs_agent *a, const struct hs_mig_req *r, json_t *resp, char *err,
                     size_t es)
{
    pid_t init = host_init(a, err, es);
    if (!init)
        return -1;
    struct hs_mig_diag_sock s = {0};
    int nle = 0;
    if (hs_mig_diag(init, HS_MIG_DIAG_LOOKUP, &r->tuple, on_one, &s, &nle, err, es) != 0)
        return -1;
    if (nle || !s.inode) {
        snprintf(err, es, "no such TCP connection on host %s (%s)", a->host->name,
                 nle ? strerror(-nle) : "no socket");
        return -1;
    }
    pid_t root = 0, inner = 0;
    if (hs_mig_inode_owner(init, s.inode, &root, &inner, err, es) != 0)
        return -1;
    json_object_set_new(resp, "pid", json_integer(root));
    json_object_set_new(resp, "host_pid", json_integer(inner));
    json_object_set_new(resp, "inode", json_integer(s.inode));
    json_object_set_new(resp, "state", json_integer(s.state));
    return 0;
}

static uint64_t dir_bytes(const char *dir, unsigned *files)
{
    DIR *d = opendir(dir);
    uint64_t total = 0;
    *files = 0;
    if (!d)
        return 0;
    struct dirent *e;
    struct stat st;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
            !S_ISREG(st.st_mode))
            continue;
        total += (uint64_t)st.st_size;
        (*files)++;
    }
    closedir(d);
    return total;
}

/* The PID inside the host's PID namespace (last NSpid entry) of a root PID. */
static pid_t host_pid_of(pid_t root)
{
    pid_t r;
    hs_proc_nspid(root, &r);
    return r;
}

/* Number of NSpid levels of a root PID (0 when gone). */
static int ns_depth(pid_t root)
{
    return hs_proc_nspid(root, NULL);
}

/* Record, beside the images, the PIDs the restore must keep in mind (mig_criu.h): the parent as
 * seen in the host (a gunicorn worker exits when getppid() changes) and the highest thread ID
 * (CRIU restores every thread under its TID; nothing else may hold those in the nest). */
static int write_meta(pid_t root, pid_t inner, const char *dir, char *err, size_t es)
{
    struct hs_mig_meta m = {.pid = inner, .max_tid = inner};
    pid_t rpp = hs_proc_ppid(root);
    if (rpp > 0 && ns_depth(rpp) == ns_depth(root))
        m.ppid = host_pid_of(rpp); /* same PID namespace as the process */
    char tdir[64];
    snprintf(tdir, sizeof tdir, "/proc/%d/task", (int)root);
    DIR *d = opendir(tdir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            char st[128];
            pid_t last;
            if (e->d_name[0] == '.' ||
                !hs_snprintf(st, sizeof st, "%s/%s/status", tdir, e->d_name))
                continue;
            if (hs_proc_nspid_file(st, &last) > 0 && last > m.max_tid)
                m.max_tid = last;
        }
        closedir(d);
    }
    if (m.ppid == m.pid)
        m.ppid = 0;
    char text[HS_MIG_META_MAX], path[600];
    if (!hs_mig_meta_format(&m, text, sizeof text) ||
        !hs_snprintf(path, sizeof path, "%s/%s", dir, HS_MIG_META_FILE)) {
        snprintf(err, es, "meta: does not fit");
        return -1;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
        snprintf(err, es, "%s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    close(fd);
    return 0;
}

/* Send bytes [off, off + len) of fd as image file `name` (IMG_FILE header, then IMG_DATA
 * chunks through chunk[CHUNK]); *bytes grows by what was sent. what names the file in errors. */
static int send_image(struct hs_mig_chan *c, const char *name, int fd, off_t off, uint64_t len,
                      mode_t mode, uint8_t *chunk, uint64_t *bytes, const char *what, char *err,
                      size_t es)
{
    struct hs_buf hdr = HS_BUF_INIT;
    if (!hs_mig_img_file_payload(name, len, mode & 0777, &hdr)) {
        hs_buf_free(&hdr);
        snprintf(err, es, "push: bad image name %s", name);
        return -1;
    }
    int rc = hs_mig_chan_send(c, HS_MIG_T_IMG_FILE, hdr.data, hdr.len, err, es);
    hs_buf_free(&hdr);
    while (rc == 0 && len) {
        ssize_t n = pread(fd, chunk, len < CHUNK ? (size_t)len : CHUNK, off);
        if (n <= 0) {
            snprintf(err, es, "push: %s: short read", what);
            return -1;
        }
        rc = hs_mig_chan_send(c, HS_MIG_T_IMG_DATA, chunk, (size_t)n, err, es);
        off += n;
        len -= (uint64_t)n;
        *bytes += (uint64_t)n;
    }
    return rc;
}

/* Images streamed to the honeypot's agent while CRIU dumps (dump with a peer): a thread
 * connects to the peer during the dump, sends every image file as soon as CRIU closes it
 * (inotify IN_CLOSE_WRITE), and after CRIU's exit the rest (hs-meta, stats, inventory). A file
 * rewritten after it was sent fails the stream (never seen with CRIU 4.2: each image is written
 * once). The transfer then costs only what is left after the dump. */
#define STREAM_MAX_FILES 1024

struct sent_file {
    char name[HS_MIG_IMG_NAME_MAX];
    off_t size;
    struct timespec mtime;
};

/* A page image CRIU is still writing (sequentially): sent in parts NAME.hs-partK while it
 * grows; the receiver appends the parts in order to NAME. */
#define PART_SUFFIX HS_MIG_IMG_PART_SUFFIX
#define PART_MIN (1024 * 1024) /* a part is sent once this much new data is there */
#define MAX_GROWING 8

struct growing {
    char name[HS_MIG_IMG_NAME_MAX];
    unsigned parts;
    off_t off;        /* bytes sent so far */
};

struct stream_job {
    struct growing grow[MAX_GROWING];
    size_t n_grow;
    struct hs_agent *a;
    const char *dir;
    const char *id;
    const char *peer;
    uint64_t deadline;
    int ino;          /* inotify on dir, set up before CRIU starts */
    int done_fd;      /* eventfd: 1 = dump succeeded, 2 = dump failed */
    int rc;
    char err[512];
    _Atomic uint64_t bytes; /* read by the dumping thread when CRIU exits */
    unsigned files;
    uint64_t t_end;   /* monotonic ns when the peer acknowledged the images */
    struct sent_file *sent;
    size_t n_sent;
    uint8_t *chunk;
};

static struct sent_file *sent_find(struct stream_job *j, const char *name)
{
    for (size_t i = 0; i < j->n_sent; i++)
        if (!strcmp(j->sent[i].name, name))
            return &j->sent[i];
    return NULL;
}

/* Send one closed image file (once). */
static int stream_file(struct stream_job *j, struct hs_mig_chan *peer, const char *name)
{
    if (name[0] == '.' || !hs_mig_img_name_ok(name, strlen(name)))
        return 0;
    if (sent_find(j, name)) {
        snprintf(j->err, sizeof j->err, "push: image %s written again after it was sent", name);
        return -1;
    }
    if (j->n_sent >= STREAM_MAX_FILES) {
        snprintf(j->err, sizeof j->err, "push: more than %d image files", STREAM_MAX_FILES);
        return -1;
    }
    char path[HS_PATH_MAX + HS_MIG_IMG_NAME_MAX];
    if (!hs_snprintf(path, sizeof path, "%s/%s", j->dir, name)) {
        snprintf(j->err, sizeof j->err, "push: image path too long");
        return -1;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(j->err, sizeof j->err, "push: %s: %s", path, fd < 0 ? strerror(errno) :
                 "not a regular file");
        if (fd >= 0)
            close(fd);
        return -1;
    }
    struct sent_file *sf = &j->sent[j->n_sent++];
    hs_strlcpy(sf->name, name, sizeof sf->name);
    sf->size = st.st_size;
    sf->mtime = st.st_mtim;
    uint64_t sent = 0;
    int rc = send_image(peer, name, fd, 0, (uint64_t)st.st_size, st.st_mode, j->chunk, &sent, path,
                        j->err, sizeof j->err);
    j->bytes += sent;
    close(fd);
    j->files++;
    return rc;
}

static struct growing *grow_find(struct stream_job *j, const char *name)
{
    for (size_t i = 0; i < j->n_grow; i++)
        if (!strcmp(j->grow[i].name, name))
            return &j->grow[i];
    return NULL;
}

/* A page image (pages-N.img): the one large file, written sequentially by CRIU. */
static bool is_page_image(const char *name)
{
    size_t n = strlen(name);
    return !strncmp(name, "pages-", 6) && n > 10 && !strcmp(name + n - 4, ".img");
}

/* Send bytes [g->off, upto) of the growing file as its next part. */
static int send_part(struct stream_job *j, struct hs_mig_chan *peer, struct growing *g, int fd,
                     off_t upto, mode_t mode)
{
    char pname[HS_MIG_IMG_NAME_MAX];
    if (!hs_snprintf(pname, sizeof pname, "%s%s%u", g->name, PART_SUFFIX, g->parts)) {
        snprintf(j->err, sizeof j->err, "push: part name of %s too long", g->name);
        return -1;
    }
    uint64_t sent = 0;
    int rc = send_image(peer, pname, fd, g->off, (uint64_t)(upto - g->off), mode, j->chunk, &sent,
                        g->name, j->err, sizeof j->err);
    g->off += (off_t)sent;
    j->bytes += sent;
    g->parts++;
    j->files++;
    return rc;
}

/* A page image grew: send what is new once there is enough of it. */
static int stream_growth(struct stream_job *j, struct hs_mig_chan *peer, const char *name)
{
    static int off = -1; /* HS_AGENT_NO_PARTS=1: whole files only (for comparison) */
    if (off < 0) {
        const char *e = getenv("HS_AGENT_NO_PARTS");
        off = e && !strcmp(e, "1");
    }
    if (off || !is_page_image(name) || !hs_mig_img_name_ok(name, strlen(name)) ||
        sent_find(j, name))
        return 0;
    struct growing *g = grow_find(j, name);
    char path[HS_PATH_MAX + HS_MIG_IMG_NAME_MAX];
    if (!hs_snprintf(path, sizeof path, "%s/%s", j->dir, name))
        return 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        return 0; /* sent whole when closed */
    }
    int rc = 0;
    if (st.st_size - (g ? g->off : 0) >= PART_MIN) {
        if (!g && j->n_grow < MAX_GROWING) {
            g = &j->grow[j->n_grow++];
            *g = (struct growing){0};
            hs_strlcpy(g->name, name, sizeof g->name);
        }
        if (g)
            rc = send_part(j, peer, g, fd, st.st_size, st.st_mode);
    }
    close(fd);
    return rc;
}

/* The growing file was closed: its last part, then it counts as sent. */
static int finish_growing(struct stream_job *j, struct hs_mig_chan *peer, struct growing *g)
{
    char path[HS_PATH_MAX + HS_MIG_IMG_NAME_MAX];
    if (!hs_snprintf(path, sizeof path, "%s/%s", j->dir, g->name)) {
        snprintf(j->err, sizeof j->err, "push: image path too long");
        return -1;
    }
    if (j->n_sent >= STREAM_MAX_FILES) {
        snprintf(j->err, sizeof j->err, "push: more than %d image files", STREAM_MAX_FILES);
        return -1;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || st.st_size < g->off) {
        snprintf(j->err, sizeof j->err, "push: %s: %s", path,
                 fd < 0 ? strerror(errno) : "shrank while it was streamed");
        if (fd >= 0)
            close(fd);
        return -1;
    }
    int rc = send_part(j, peer, g, fd, st.st_size, st.st_mode);
    close(fd);
    struct sent_file *sf = &j->sent[j->n_sent++];
    hs_strlcpy(sf->name, g->name, sizeof sf->name);
    sf->size = st.st_size;
    sf->mtime = st.st_mtim;
    *g = j->grow[--j->n_grow]; /* off the growing list */
    return rc;
}

/* Read the queued inotify events and send the files they name as closed. */
static int stream_events(struct stream_job *j, struct hs_mig_chan *peer)
{
    union {
        char b[16 * (sizeof(struct inotify_event) + NAME_MAX + 1)];
        struct inotify_event align;
    } u;
    for (;;) {
        ssize_t n = read(j->ino, u.b, sizeof u.b);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return 0; /* EAGAIN: nothing more queued */
        for (char *p = u.b; p < u.b + n;) {
            struct inotify_event *e = (struct inotify_event *)(void *)p;
            if (e->mask & IN_Q_OVERFLOW) {
                snprintf(j->err, sizeof j->err, "push: inotify queue overflow");
                return -1;
            }
            if (e->len && (e->mask & IN_MODIFY) && stream_growth(j, peer, e->name) != 0)
                return -1;
            if (e->len && (e->mask & (IN_CLOSE_WRITE | IN_MOVED_TO))) {
                struct growing *g = grow_find(j, e->name);
                if (g ? finish_growing(j, peer, g) != 0 : stream_file(j, peer, e->name) != 0)
                    return -1;
            }
            p += sizeof *e + e->len;
        }
    }
}

/* After CRIU: every file not sent yet, then a check that nothing sent has changed. */
static int stream_rest(struct stream_job *j, struct hs_mig_chan *peer)
{
    while (j->n_grow) /* CRIU has exited: whatever is still growing is complete */
        if (finish_growing(j, peer, &j->grow[j->n_grow - 1]) != 0)
            return -1;
    DIR *d = opendir(j->dir);
    if (!d) {
        snprintf(j->err, sizeof j->err, "push: %s: %s", j->dir, strerror(errno));
        return -1;
    }
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d))) {
        struct stat st;
        if (e->d_name[0] == '.' || fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
            !S_ISREG(st.st_mode) || !hs_mig_img_name_ok(e->d_name, strlen(e->d_name)))
            continue;
        struct sent_file *sf = sent_find(j, e->d_name);
        if (!sf) {
            rc = stream_file(j, peer, e->d_name);
        } else if (sf->size != st.st_size || sf->mtime.tv_sec != st.st_mtim.tv_sec ||
                   sf->mtime.tv_nsec != st.st_mtim.tv_nsec) {
            snprintf(j->err, sizeof j->err, "push: image %s changed after it was sent",
                     e->d_name);
            rc = -1;
        }
    }
    closedir(d);
    return rc;
}

static void *stream_thread(void *arg)
{
    struct stream_job *j = arg;
    struct hs_mig_chan peer = {.fd = -1};
    uint16_t port = hs_mig_agent_port(j->a->t, j->peer);
    j->rc = -1;
    if (!port) {
        snprintf(j->err, sizeof j->err, "push: unknown host %s", j->peer);
        return NULL;
    }
    char e2[400];
    if (hs_mig_chan_connect(HS_MIG_AGENT_IP, port, j->a->key, j->deadline, &peer, e2,
                            sizeof e2) != 0) {
        snprintf(j->err, sizeof j->err, "push: %s", e2);
        return NULL;
    }
    struct hs_mig_req rq = {.cmd = HS_MIG_RECV};
    hs_strlcpy(rq.id, j->id, sizeof rq.id);
    char *js = hs_mig_req_format(&rq);
    int rc = hs_mig_chan_send(&peer, HS_MIG_T_REQ, js, strlen(js), j->err, sizeof j->err);
    free(js);
    uint64_t verdict = 0;
    while (rc == 0 && !verdict) {
        struct pollfd p[2] = {{.fd = j->ino, .events = POLLIN}, {.fd = j->done_fd, .events = POLLIN}};
        uint64_t now = hs_now_ms();
        if (now >= j->deadline) {
            snprintf(j->err, sizeof j->err, "push: deadline while CRIU dumped");
            rc = -1;
            break;
        }
        int pr = poll(p, 2, (int)(j->deadline - now));
        if (pr < 0 && errno != EINTR) {
            snprintf(j->err, sizeof j->err, "push: poll: %s", strerror(errno));
            rc = -1;
        } else if (pr > 0 && (p[0].revents & POLLIN)) {
            rc = stream_events(j, &peer);
        } else if (pr > 0 && (p[1].revents & POLLIN)) {
            if (read(j->done_fd, &verdict, sizeof verdict) != (ssize_t)sizeof verdict)
                verdict = 2;
        }
    }
    if (rc == 0 && verdict != 1) {
        snprintf(j->err, sizeof j->err, "push: the dump failed");
        rc = -1;
    }
    if (rc == 0)
        rc = stream_events(j, &peer); /* what CRIU closed last */
    if (rc == 0)
        rc = stream_rest(j, &peer);
    if (rc == 0) {
        struct hs_buf hdr = HS_BUF_INIT;
        hs_mig_img_end_payload(j->files, (uint64_t)j->bytes, &hdr);
        rc = hs_mig_chan_send(&peer, HS_MIG_T_IMG_END, hdr.data, hdr.len, j->err, sizeof j->err);
        hs_buf_free(&hdr);
    }
    if (rc == 0) {
        struct hs_mig_frame f;
        rc = hs_mig_chan_recv(&peer, &f, j->err, sizeof j->err);
        if (rc == 0) {
            json_t *o = json_loadb((const char *)f.payload, f.len, 0, NULL);
            if (f.type != HS_MIG_T_RESP || !json_is_true(json_object_get(o, "ok"))) {
                const char *e = json_string_value(json_object_get(o, "error"));
                snprintf(j->err, sizeof j->err, "push: peer %s refused the images: %s", j->peer,
                         e ? e : "?");
                rc = -1;
            }
            json_decref(o);
        }
    }
    j->t_end = hs_now_ns();
    hs_mig_chan_close(&peer); /* without IMG_END the peer drops what it received */
    j->rc = rc;
    return NULL;
}

static int do_dump(struct hs_agent *a, struct hs_mig_chan *c, const struct hs_mig_req *r,
                   json_t *resp, char *err, size_t es)
{
    uint64_t t0 = hs_now_ns();
    pid_t init = host_init(a, err, es);
    if (!init)
        return -1;
    char dir[512], log[600];
    if (!agent_img_dir(a, r->id, dir, sizeof dir) ||
        !hs_snprintf(log, sizeof log, "%s/criu.out", dir)) {
        snprintf(err, es, "image path too long");
        return -1;
    }
    agent_rm_images(dir);
    if (mkdir(a->shm_dir, 0700) != 0 && errno != EEXIST) {
        snprintf(err, es, "%s: %s", a->shm_dir, strerror(errno));
        return -1;
    }
    if (mkdir(dir, 0700) != 0) {
        snprintf(err, es, "%s: %s", dir, strerror(errno));
        return -1;
    }
    pid_t inner = host_pid_of(r->pid);
    if (inner <= 0) {
        snprintf(err, es, "process %d is gone", (int)r->pid);
        return -1;
    }
    uint64_t unix_inodes[HS_MIG_MAX_UNIX];
    size_t n_unix = hs_mig_proc_unix_sockets(r->pid, unix_inodes, HS_MIG_MAX_UNIX);
    char clog[HS_PATH_MAX + 128];
    snprintf(clog, sizeof clog, "%s/%s-dump.log", a->run_dir, r->id);
    struct hs_mig_dump_spec spec = {.criu = a->criu, .pid = inner, .dir = dir, .log = clog,
                                    .unix_inodes = unix_inodes, .n_unix = n_unix,
                                    .verbosity = a->criu_verbosity};
    struct hs_mig_argv av = {0};
    if (hs_mig_criu_dump_argv(&spec, &av, err, es) != 0) {
        hs_mig_argv_free(&av);
        return -1;
    }
    /* with a peer: stream while CRIU dumps (the watch exists before CRIU writes anything) */
    struct stream_job sj = {.a = a, .dir = dir, .id = r->id, .peer = r->peer, .ino = -1,
                            .done_fd = -1,
                            .deadline = c->deadline_ms < hs_now_ms() + CRIU_TIMEOUT_MS
                                            ? c->deadline_ms : hs_now_ms() + CRIU_TIMEOUT_MS};
    pthread_t th;
    bool streaming = false;
    int st = -1;
    uint64_t t1 = 0, t2 = 0;
    if (r->peer[0]) {
        sj.ino = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
        sj.done_fd = eventfd(0, EFD_CLOEXEC);
        if (sj.ino < 0 || sj.done_fd < 0 ||
            inotify_add_watch(sj.ino, dir, IN_CLOSE_WRITE | IN_MOVED_TO | IN_MODIFY) < 0) {
            snprintf(err, es, "push: inotify/eventfd: %s", strerror(errno));
            goto stream_fail;
        }
        sj.sent = xcalloc(STREAM_MAX_FILES, sizeof *sj.sent);
        sj.chunk = xmalloc(CHUNK);
        if (pthread_create(&th, NULL, stream_thread, &sj) != 0) {
            snprintf(err, es, "push: cannot start the stream thread");
            goto stream_fail;
        }
        streaming = true;
    }
    t1 = hs_now_ns();
    st = hs_mig_host_run(init, av.v, log, CRIU_TIMEOUT_MS, err, es);
    t2 = hs_now_ns();
    uint64_t early = streaming ? sj.bytes : 0; /* streamed while CRIU ran */
    if (st > 0)
        snprintf(err, es, "criu dump exited with status %d (see %s)", st, clog);
    if (st == 0 && write_meta(r->pid, inner, dir, err, es) != 0)
        st = -1;
    if (streaming) {
        uint64_t v = st == 0 ? 1 : 2;
        if (write(sj.done_fd, &v, sizeof v) != (ssize_t)sizeof v)
            abort(); /* an eventfd write of 1 or 2 cannot fail */
        pthread_join(th, NULL);
        if (st == 0 && sj.rc != 0) {
            hs_strlcpy(err, sj.err, es);
            st = -1;
        }
        if (st == 0) {
            json_object_set_new(resp, "pushed", json_true());
            json_object_set_new(resp, "push_ms", json_real((double)(sj.t_end - t2) / 1e6));
            json_object_set_new(resp, "early_bytes", json_integer((json_int_t)early));
        }
    }
stream_fail:
    hs_mig_argv_free(&av);
    /* closing an inotify instance waits for an SRCU grace period (10-25 ms measured here on the
     * loaded machine): the instance is closed later, by the next dump of this session or when
     * the connection's handler exits, never before the answer */
    static int deferred_ino = -1;
    if (deferred_ino >= 0)
        close(deferred_ino);
    deferred_ino = sj.ino;
    if (sj.done_fd >= 0)
        close(sj.done_fd);
    free(sj.sent);
    free(sj.chunk);
    if (st != 0)
        return -1;
    unsigned files;
    uint64_t bytes = dir_bytes(dir, &files);
    json_t *u = json_array();
    for (size_t i = 0; i < n_unix; i++)
        json_array_append_new(u, json_integer((json_int_t)unix_inodes[i]));
    json_object_set_new(resp, "unix", u);
    json_object_set_new(resp, "ms", json_real((double)(t2 - t0) / 1e6));
    json_object_set_new(resp, "criu_ms", json_real((double)(t2 - t1) / 1e6));
    json_object_set_new(resp, "bytes", json_integer((json_int_t)bytes));
    json_object_set_new(resp, "files", json_integer(files));
    return 0;
}

/* Stream every regular file of dir over c. */
static int send_images(struct hs_mig_chan *c, const char *dir, uint64_t *bytes, unsigned *files,
                       char *err, size_t es)
{
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, es, "%s: %s", dir, strerror(errno));
        return -1;
    }
    uint8_t *chunk = xmalloc(CHUNK);
    struct hs_buf hdr = HS_BUF_INIT;
    int rc = 0;
    *bytes = 0;
    *files = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d))) {
        struct stat st;
        if (e->d_name[0] == '.' || fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
            !S_ISREG(st.st_mode))
            continue;
        if (!hs_mig_img_name_ok(e->d_name, strlen(e->d_name)))
            continue; /* never produced by CRIU; not sendable */
        int fd = openat(dirfd(d), e->d_name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0) {
            snprintf(err, es, "%s/%s: %s", dir, e->d_name, strerror(errno));
            rc = -1;
            break;
        }
        rc = send_image(c, e->d_name, fd, 0, (uint64_t)st.st_size, st.st_mode, chunk, bytes,
                        e->d_name, err, es);
        close(fd);
        (*files)++;
    }
    closedir(d);
    if (rc == 0) {
        hs_buf_clear(&hdr);
        hs_mig_img_end_payload(*files, *bytes, &hdr);
        rc = hs_mig_chan_send(c, HS_MIG_T_IMG_END, hdr.data, hdr.len, err, es);
    }
    hs_buf_free(&hdr);
    free(chunk);
    return rc;
}

static int do_push(struct hs_agent *a, struct hs_mig_chan *c, const struct hs_mig_req *r,
                   json_t *resp, char *err, size_t es)
{
    uint64_t t0 = hs_now_ns();
    uint16_t port = hs_mig_agent_port(a->t, r->peer);
    if (!port) {
        snprintf(err, es, "push: unknown host %s", r->peer);
        return -1;
    }
    char dir[512];
    if (!agent_img_dir(a, r->id, dir, sizeof dir)) {
        snprintf(err, es, "image path too long");
        return -1;
    }
    struct hs_mig_chan peer;
    if (hs_mig_chan_connect(HS_MIG_AGENT_IP, port, a->key, c->deadline_ms, &peer, err, es) != 0)
        return -1;
    struct hs_mig_req rq = {.cmd = HS_MIG_RECV};
    hs_strlcpy(rq.id, r->id, sizeof rq.id);
    char *js = hs_mig_req_format(&rq);
    int rc = hs_mig_chan_send(&peer, HS_MIG_T_REQ, js, strlen(js), err, es);
    free(js);
    uint64_t bytes = 0;
    unsigned files = 0;
    if (rc == 0)
        rc = send_images(&peer, dir, &bytes, &files, err, es);
    if (rc == 0) {
        struct hs_mig_frame f;
        rc = hs_mig_chan_recv(&peer, &f, err, es);
        if (rc == 0) {
            json_t *o = json_loadb((const char *)f.payload, f.len, 0, NULL);
            if (f.type != HS_MIG_T_RESP || !json_is_true(json_object_get(o, "ok"))) {
                const char *e = json_string_value(json_object_get(o, "error"));
                snprintf(err, es, "peer %s refused the images: %s", r->peer, e ? e : "?");
                rc = -1;
            }
            json_decref(o);
        }
    }
    hs_mig_chan_close(&peer);
    if (rc != 0)
        return -1;
    json_object_set_new(resp, "ms", json_real((double)(hs_now_ns() - t0) / 1e6));
    json_object_set_new(resp, "bytes", json_integer((json_int_t)bytes));
    json_object_set_new(resp, "files", json_integer(files));
    return 0;
}

static int write_all_fd(int fd, const uint8_t *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int do_recv(struct hs_agent *a, struct hs_mig_chan *c, const struct hs_mig_req *r,
                   json_t *resp, char *err, size_t es)
{
    char dir[512];
    if (!agent_img_dir(a, r->id, dir, sizeof dir)) {
        snprintf(err, es, "image path too long");
        return -1;
    }
    agent_rm_images(dir);
    if ((mkdir(a->shm_dir, 0700) != 0 && errno != EEXIST) || mkdir(dir, 0700) != 0) {
        snprintf(err, es, "%s: %s", dir, strerror(errno));
        return -1;
    }
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) {
        snprintf(err, es, "%s: %s", dir, strerror(errno));
        return -1;
    }
    struct hs_mig_imgrx rx;
    hs_mig_imgrx_init(&rx);
    struct {
        char base[HS_MIG_IMG_NAME_MAX];
        unsigned next;
    } parts[MAX_GROWING];
    size_t n_parts = 0;
    int fd = -1, rc = 0;
    for (;;) {
        struct hs_mig_frame f;
        struct hs_mig_img_event ev;
        if (hs_mig_chan_recv(c, &f, err, es) != 0 ||
            hs_mig_imgrx_feed(&rx, f.type, f.payload, f.len, &ev, err, es) != 0) {
            rc = -1;
            break;
        }
        if (ev.kind == HS_MIG_IMG_END)
            break;
        if (ev.kind == HS_MIG_IMG_BEGIN) {
            char base[HS_MIG_IMG_NAME_MAX];
            int part = hs_mig_img_part_of(ev.name, base, sizeof base);
            if (part == -2) {
                snprintf(err, es, "%s: malformed part name %s", dir, ev.name);
                rc = -1;
                break;
            }
            if (part >= 0) {
                /* a part of a page image streamed while CRIU wrote it: append, in order */
                size_t k = 0;
                while (k < n_parts && strcmp(parts[k].base, base))
                    k++;
                bool first = part == 0 && k == n_parts && n_parts < HS_ARRAY_SIZE(parts);
                if (!first && (k == n_parts || parts[k].next != (unsigned)part)) {
                    snprintf(err, es, "%s: part %s out of order", dir, ev.name);
                    rc = -1;
                    break;
                }
                if (first) {
                    hs_strlcpy(parts[k].base, base, sizeof parts[k].base);
                    parts[k].next = 0;
                    n_parts++;
                }
                parts[k].next++;
                fd = openat(dfd, base,
                            O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC |
                                (first ? O_CREAT | O_EXCL : 0),
                            (mode_t)(ev.mode & 0600));
            } else {
                fd = openat(dfd, ev.name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                            (mode_t)(ev.mode & 0600));
            }
            if (fd < 0) {
                snprintf(err, es, "%s/%s: %s", dir, ev.name, strerror(errno));
                rc = -1;
                break;
            }
        } else if (write_all_fd(fd, ev.data, ev.len) != 0) {
            snprintf(err, es, "%s: write: %s", dir, strerror(errno));
            rc = -1;
            break;
        }
        if (ev.done) {
            close(fd);
            fd = -1;
        }
    }
    if (fd >= 0)
        close(fd);
    close(dfd);
    if (rc != 0) {
        agent_rm_images(dir);
        return -1;
    }
    json_object_set_new(resp, "bytes", json_integer((json_int_t)rx.total));
    json_object_set_new(resp, "files", json_integer(rx.files));
    return 0;
}

static int do_destroy(struct hs_agent *a, const struct hs_mig_req *r, char *err, size_t es)
{
    pid_t init = host_init(a, err, es);
    if (!init)
        return -1;
    int nle = 0;
    if (hs_mig_diag(init, HS_MIG_DIAG_DESTROY, &r->tuple, NULL, NULL, &nle, err, es) != 0)
        return -1;
    if (nle) {
        snprintf(err, es, "SOCK_DESTROY: %s", strerror(-nle));
        return -1;
    }
    return 0;
}

static int handle(struct hs_agent *a, struct hs_mig_chan *c, const struct hs_mig_req *r,
                  json_t *resp, char *err, size_t es)
{
    switch (r->cmd) {
    case HS_MIG_LOCATE: return do_locate(a, r, resp, err, es);
    case HS_MIG_DUMP: return do_dump(a, c, r, resp, err, es);
    case HS_MIG_PUSH: return do_push(a, c, r, resp, err, es);
    case HS_MIG_RECV: return do_recv(a, c, r, resp, err, es);
    case HS_MIG_RESTORE: return agent_restore(a, r, resp, err, es);
    case HS_MIG_DESTROY: return do_destroy(a, r, err, es);
    case HS_MIG_RELEASE: {
        unsigned killed = 0;
        if (agent_release(a, r->client_ip, &killed, err, es) != 0)
            return -1;
        json_object_set_new(resp, "killed", json_integer(killed));
        return 0;
    }
    case HS_MIG_FORGET: {
        char dir[512];
        if (!agent_img_dir(a, r->id, dir, sizeof dir)) {
            snprintf(err, es, "image path too long");
            return -1;
        }
        agent_rm_images(dir);
        return 0;
    }
    }
    snprintf(err, es, "unknown command");
    return -1;
}

int agent_handle(struct hs_agent *a, struct hs_mig_chan *c, const struct hs_mig_req *r,
                 json_t *resp, char *err, size_t es)
{
    int rc = handle(a, c, r, resp, err, es);
    /* the stage timings the agent measured (dump, push, restore): profile in agent.log */
    if (rc == 0 && (r->cmd == HS_MIG_DUMP || r->cmd == HS_MIG_PUSH || r->cmd == HS_MIG_RESTORE)) {
        json_t *copy = json_deep_copy(resp);
        json_object_del(copy, "unix");
        char *js = copy ? json_dumps(copy, JSON_COMPACT | JSON_REAL_PRECISION(4)) : NULL;
        if (js)
            LOG_INFO("%s %s: %s", r->cmd == HS_MIG_DUMP ? "dump" : r->cmd == HS_MIG_PUSH ? "push"
                                                                                    : "restore",
                     r->id, js);
        free(js);
        json_decref(copy);
    }
    return rc;
}
