/* shift.c - the relocation sequence, its timings and its roll-back. */
#include "mig/shift.h"
#include "common/buf.h"
#include "common/util.h"
#include "mig/mig_chan.h"
#include "mig/mig_flows.h"
#include "mig/mig_req.h"
#include "mig/mig_topo.h"
#include "mig/shift_ofctl.h"
#include "ctl/ctl_client.h"

#include <jansson.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ROLLBACK_MS 5000

static double ms_since(uint64_t t0) { return (double)(hs_now_ns() - t0) / 1e6; }

static void fail(struct hs_shift_result *r, const char *stage, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fail(struct hs_shift_result *r, const char *stage, const char *fmt, ...)
{
    hs_strlcpy(r->stage, stage, sizeof r->stage);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->error, sizeof r->error, fmt, ap);
    va_end(ap);
}

static const struct hs_host *host_by_ip(const struct hs_topology *t, uint32_t ip)
{
    for (size_t i = 0; i < t->n_hosts; i++)
        if (t->hosts[i].ip == ip && t->hosts[i].role != HS_ROLE_HONEYPOT)
            return &t->hosts[i];
    return NULL;
}

static double jnum(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_number(v) ? json_number_value(v) : 0;
}

/* One request on an open channel; 0 with *resp, -1 with err. */
static int call(struct hs_mig_chan *c, const struct hs_mig_req *rq, json_t **resp, char *err,
                size_t es)
{
    char *js = hs_mig_req_format(rq);
    int rc = hs_mig_chan_call(c, js, resp, err, es);
    free(js);
    return rc;
}

static int connect_agent(const struct hs_topology *t, const char *host, const uint8_t *key,
                         uint64_t deadline, struct hs_mig_chan *c, char *err, size_t es)
{
    uint16_t port = hs_mig_agent_port(t, host);
    if (!port) {
        snprintf(err, es, "no host %s", host);
        return -1;
    }
    char e2[400];
    if (hs_mig_chan_connect(HS_MIG_AGENT_IP, port, key, deadline, c, e2, sizeof e2) != 0) {
        snprintf(err, es, "agent of %s: %s", host, e2);
        return -1;
    }
    return 0;
}

/* Serialise one stage per host across concurrent relocations (separate worker processes):
 * CRIU dumps of the same production process, and restores into the same honeypot, failed when
 * they overlapped. flock on <state_dir>/mig/<what>-<host>.lock until deadline; returns the fd
 * (close it to release), or -1 (no lock file: run unserialised), -2 on deadline. */
static int stage_lock(const struct hs_topology *t, const char *what, const char *host,
                      uint64_t deadline)
{
    char dir[HS_PATH_MAX + 8], path[HS_PATH_MAX + 96];
    if (!hs_snprintf(dir, sizeof dir, "%s/mig", t->state_dir) ||
        !hs_snprintf(path, sizeof path, "%s/%s-%s.lock", dir, what, host))
        return -1;
    mkdir(dir, 0700);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK && errno != EINTR) {
            close(fd);
            return -1;
        }
        if (hs_now_ms() >= deadline) {
            close(fd);
            return -2;
        }
        usleep(1000);
    }
    return fd;
}

static void stage_unlock(int fd)
{
    if (fd >= 0)
        close(fd);
}

/* One flow request to the controller: {"cmd":CMD,"client":IP,"from":..,"to":..[,"kinds":..]};
 * 0 with the answer's numbers, -1 with err (unreachable, or it said no). */
static int ctl_flows(const struct hs_shift_req *rq, const char *cmd, const char *kinds,
                     uint64_t deadline, json_t **ans, char *err, size_t es)
{
    char ip[16];
    hs_format_ipv4(rq->client_ip, ip);
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "cmd", cmd, "client", ip, "from", rq->from,
                          "to", rq->to, "kinds", kinds ? kinds : "");
    char *req = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    if (!req) {
        snprintf(err, es, "%s: out of memory", cmd);
        return -1;
    }
    uint64_t now = hs_now_ms();
    int tmo = deadline > now + 100 ? (int)(deadline - now) : 100;
    if (tmo > 2000)
        tmo = 2000;
    char *resp = NULL, e2[256];
    int rc = -1;
    if (hs_ctl_request(rq->ctl_socket, req, &resp, tmo, e2, sizeof e2) != 0) {
        snprintf(err, es, "%s: controller unreachable: %s", cmd, e2);
    } else {
        json_error_t je;
        json_t *a = json_loads(resp, 0, &je);
        if (json_is_true(json_object_get(a, "ok"))) {
            rc = 0;
            if (ans)
                *ans = json_incref(a);
        } else {
            const char *m = json_string_value(json_object_get(a, "error"));
            snprintf(err, es, "%s: controller: %s", cmd, m ? m : "bad answer");
        }
        json_decref(a);
    }
    free(resp);
    free(req);
    return rc;
}

/* The honeypot's agent is needed only for the restore: its connection (TCP + authentication,
 * several ms on a busy host) is made in a thread while production's agent locates and dumps. */
struct conn_job {
    const struct hs_topology *t;
    const char *host;
    const uint8_t *key;
    uint64_t deadline;
    struct hs_mig_chan *c;
    int rc;
    char err[512];
};

static void *conn_thread(void *arg)
{
    struct conn_job *j = arg;
    j->rc = connect_agent(j->t, j->host, j->key, j->deadline, j->c, j->err, sizeof j->err);
    return NULL;
}

/* Undo what the failed attempt did, except the drops: the client stays blocked. */
static void rollback(const struct hs_shift_req *rq, const uint8_t *key, const char *bridge,
                     bool images, bool restore_tried, struct hs_shift_result *res)
{
    char err[512], sel[64];
    res->rollback_error[0] = '\0';
    /* With a controller the client is blocked by the controller's own block flows (priority
     * 900, installed at detection; they survive a controller crash), so every relocation rule
     * goes, drops included. Without one the drops are the block and stay. */
    bool done = false;
    if (rq->ctl_socket)
        done = ctl_flows(rq, "reloc_release", "all", hs_now_ms() + 1000, NULL, err,
                         sizeof err) == 0;
    if (!done && rq->ctl_socket) {
        hs_mig_flows_select(0, rq->client_ip, sel);
        if (hs_ofctl_del_flows(bridge, sel, err, sizeof err) != 0)
            hs_snprintf(res->rollback_error, sizeof res->rollback_error, "%s", err);
        done = true;
    }
    for (int k = HS_MIG_FK_HP2C; k <= HS_MIG_FK_C2HP && !done; k++) {
        hs_mig_flows_select((enum hs_mig_flow_kind)k, rq->client_ip, sel);
        if (hs_ofctl_del_flows(bridge, sel, err, sizeof err) != 0)
            hs_snprintf(res->rollback_error, sizeof res->rollback_error, "%s", err);
    }
    uint64_t dl = hs_now_ms() + ROLLBACK_MS;
    struct hs_mig_chan c;
    if (restore_tried || images) {
        if (connect_agent(rq->t, rq->to, key, dl, &c, err, sizeof err) == 0) {
            json_t *resp = NULL;
            struct hs_mig_req r = {.cmd = HS_MIG_RELEASE, .client_ip = rq->client_ip};
            if (restore_tried && call(&c, &r, &resp, err, sizeof err) != 0)
                hs_snprintf(res->rollback_error, sizeof res->rollback_error, "release: %s", err);
            json_decref(resp);
            resp = NULL;
            r = (struct hs_mig_req){.cmd = HS_MIG_FORGET};
            hs_strlcpy(r.id, res->id, sizeof r.id);
            call(&c, &r, &resp, err, sizeof err);
            json_decref(resp);
            hs_mig_chan_close(&c);
        } else if (restore_tried) {
            hs_snprintf(res->rollback_error, sizeof res->rollback_error, "%s", err);
        }
    }
    if (images && connect_agent(rq->t, rq->from, key, dl, &c, err, sizeof err) == 0) {
        json_t *resp = NULL;
        struct hs_mig_req r = {.cmd = HS_MIG_FORGET};
        hs_strlcpy(r.id, res->id, sizeof r.id);
        call(&c, &r, &resp, err, sizeof err);
        json_decref(resp);
        hs_mig_chan_close(&c);
    }
}

int hs_shift_run(const struct hs_shift_req *rq, struct hs_shift_result *res)
{
    memset(res, 0, sizeof *res);
    uint64_t t0 = hs_now_ns();
    unsigned dms = rq->deadline_ms ? rq->deadline_ms : 2000;
    uint64_t deadline = hs_now_ms() + dms;
    const struct hs_topology *t = rq->t;
    const struct hs_host *prod = hs_topology_host(t, rq->from);
    const struct hs_host *hp = hs_topology_host(t, rq->to);
    const struct hs_host *cl = host_by_ip(t, rq->client_ip);
    if (!prod || prod->role != HS_ROLE_PRODUCTION) {
        fail(res, "connect", "%s is not a production host of lab %s", rq->from, t->lab);
        return -1;
    }
    if (!hp || hp->role != HS_ROLE_HONEYPOT || strcmp(hp->twin, prod->name) != 0) {
        fail(res, "connect", "%s is not a honeypot twin of %s", rq->to, prod->name);
        return -1;
    }
    if (!cl || cl == prod) {
        fail(res, "connect", "the client address is not a lab host (no switch port known)");
        return -1;
    }
    if (cl->switch_index != prod->switch_index || hp->switch_index != prod->switch_index) {
        fail(res, "connect", "client, production and honeypot must share one switch");
        return -1;
    }
    uint16_t sport = rq->server_port;
    if (!sport) {
        if (!prod->n_services) {
            fail(res, "connect", "host %s runs no service", prod->name);
            return -1;
        }
        sport = prod->services[0].port;
    }
    const char *bridge = t->switches[prod->switch_index].name;
    if (rq->id)
        hs_strlcpy(res->id, rq->id, sizeof res->id);
    else
        snprintf(res->id, sizeof res->id, "s%llx-%x", (unsigned long long)hs_wall_us(),
                 (unsigned)rq->client_port);

    uint8_t key[HS_MIG_KEY_LEN];
    char kp[HS_PATH_MAX + 32], err[512];
    if (!rq->key_path)
        hs_mig_key_path(t, kp, sizeof kp);
    if (hs_mig_key_load(rq->key_path ? rq->key_path : kp, key, err, sizeof err) != 0) {
        fail(res, "connect", "%s", err);
        return -1;
    }
    struct hs_mig_chan pc = {.fd = -1}, hc = {.fd = -1};
    struct conn_job hj = {.t = t, .host = hp->name, .key = key, .deadline = deadline, .c = &hc,
                          .rc = -1};
    pthread_t th;
    bool th_run = pthread_create(&th, NULL, conn_thread, &hj) == 0;
    if (!th_run)
        conn_thread(&hj);
    if (connect_agent(t, prod->name, key, deadline, &pc, err, sizeof err) != 0) {
        fail(res, "connect", "%s", err);
        if (th_run)
            pthread_join(th, NULL);
        hs_mig_chan_close(&pc);
        hs_mig_chan_close(&hc);
        memset(key, 0, sizeof key);
        return -1;
    }

    res->connect_ms = ms_since(t0);
    struct hs_mig_flow_ctx fc = {.client_ip = rq->client_ip, .server_ip = prod->ip,
                                 .client_port = cl->port, .prod_port = prod->port,
                                 .hp_port = hp->port};
    struct hs_buf lines = HS_BUF_INIT;
    json_t *resp = NULL;
    bool images = false, restore_tried = false, blocked = false;
    int rc = -1;
    uint64_t tp = 0;

    /* 1. block: drop client<->production, open honeypot->client (before the dump) */
    uint64_t ts = hs_now_ns();
    if (rq->ctl_socket) {
        blocked = true; /* a timeout may still have installed them: roll back either way */
        if (ctl_flows(rq, "reloc_block", NULL, deadline, NULL, err, sizeof err) != 0) {
            fail(res, "flows", "%s", err);
            goto out;
        }
    } else {
        hs_mig_flows_block(&fc, &lines);
        if (hs_ofctl_add_flows(bridge, (const char *)lines.data, lines.len, err, sizeof err) !=
            0) {
            fail(res, "flows", "%s", err);
            goto out;
        }
        blocked = true;
    }
    tp = hs_now_ns();
    res->flows_ms = ms_since(ts);

    /* 2. locate */
    ts = hs_now_ns();
    struct hs_mig_req r = {.cmd = HS_MIG_LOCATE,
                           .tuple = {.local_ip = prod->ip, .local_port = sport,
                                     .remote_ip = rq->client_ip, .remote_port = rq->client_port}};
    if (call(&pc, &r, &resp, err, sizeof err) != 0) {
        fail(res, hs_now_ms() >= deadline ? "deadline" : "locate", "locate: %s", err);
        goto out;
    }
    res->prod_pid = (pid_t)jnum(resp, "pid");
    res->prod_host_pid = (pid_t)jnum(resp, "host_pid");
    json_decref(resp);
    resp = NULL;
    res->locate_ms = ms_since(ts);

    /* 3. dump (one at a time per production host) */
    ts = hs_now_ns();
    r = (struct hs_mig_req){.cmd = HS_MIG_DUMP, .pid = res->prod_pid};
    hs_strlcpy(r.id, res->id, sizeof r.id);
    /* production's agent streams the images to the honeypot's while CRIU dumps (an older
     * agent ignores the peer; then the push below does the transfer) */
    const char *ns = getenv("HS_RELOC_NO_STREAM"); /* "1": dump, then push (for comparison) */
    if (!ns || strcmp(ns, "1") != 0)
        hs_strlcpy(r.peer, hp->name, sizeof r.peer);
    images = true;
    int lk = stage_lock(t, "dump", prod->name, deadline);
    if (lk == -2) {
        fail(res, "deadline", "dump: waited for another relocation's dump until the deadline");
        goto out;
    }
    int drc = call(&pc, &r, &resp, err, sizeof err);
    /* Production forgets the attacker's connection before the next dump of the same worker
     * (still under the dump lock): a concurrent relocation of another attacker on that worker
     * would otherwise carry a copy of this connection into the honeypot, where the restored one
     * already holds its 4-tuple (CRIU: EADDRNOTAVAIL). The attacker is blocked from here on
     * whatever happens (a failed move leaves it blocked), and production's packets to it are
     * dropped, so the reset SOCK_DESTROY sends never arrives. */
    bool destroyed = false;
    if (drc == 0) {
        json_t *dr = NULL;
        char de[256];
        struct hs_mig_req d = {.cmd = HS_MIG_DESTROY,
                               .tuple = {.local_ip = prod->ip, .local_port = sport,
                                         .remote_ip = rq->client_ip,
                                         .remote_port = rq->client_port}};
        destroyed = call(&pc, &d, &dr, de, sizeof de) == 0; /* else: tried again at the end */
        json_decref(dr);
    }
    stage_unlock(lk);
    if (drc != 0) {
        fail(res, hs_now_ms() >= deadline ? "deadline"
                  : !strncmp(err, "push:", 5) ? "transfer" : "dump", "dump: %s", err);
        goto out;
    }
    res->dump_ms = ms_since(ts);
    res->dump_criu_ms = jnum(resp, "criu_ms");
    bool pushed = json_is_true(json_object_get(resp, "pushed"));
    if (pushed) {
        /* the transfer is what the stream needed after CRIU's exit; the dump the rest */
        res->transfer_ms = jnum(resp, "push_ms");
        res->dump_ms -= res->transfer_ms;
        res->early_bytes = (uint64_t)jnum(resp, "early_bytes");
    }
    res->image_bytes = (uint64_t)jnum(resp, "bytes");
    res->image_files = (unsigned)jnum(resp, "files");
    json_t *u = json_object_get(resp, "unix");
    struct hs_mig_req rr = {.cmd = HS_MIG_RESTORE, .client_ip = rq->client_ip};
    memcpy(rr.client_mac, cl->mac, 6);
    hs_strlcpy(rr.id, res->id, sizeof rr.id);
    for (size_t i = 0; i < json_array_size(u) && rr.n_unix < HS_MIG_MAX_UNIX; i++)
        rr.unix_inodes[rr.n_unix++] = (uint64_t)json_integer_value(json_array_get(u, i));
    json_decref(resp);
    resp = NULL;

    /* 4. transfer: production's agent streams the images to the honeypot's (done already when
     * it streamed them during the dump) */
    ts = hs_now_ns();
    r = (struct hs_mig_req){.cmd = HS_MIG_PUSH};
    hs_strlcpy(r.id, res->id, sizeof r.id);
    hs_strlcpy(r.peer, hp->name, sizeof r.peer);
    if (!pushed && call(&pc, &r, &resp, err, sizeof err) != 0) {
        fail(res, hs_now_ms() >= deadline ? "deadline" : "transfer", "transfer: %s", err);
        goto out;
    }
    json_decref(resp);
    resp = NULL;
    if (!pushed)
        res->transfer_ms = ms_since(ts);

    if (th_run) {
        pthread_join(th, NULL);
        th_run = false;
    }
    if (hj.rc != 0) {
        fail(res, "connect", "%s", hj.err);
        goto out;
    }

    /* 5. restore; with a controller, other relocated attackers are guarded meanwhile (the
     * restored copies of their sockets are closed, with resets: see reloc_guard) */
    ts = hs_now_ns();
    restore_tried = true;
    lk = stage_lock(t, "restore", hp->name, deadline);
    if (lk == -2) {
        fail(res, "deadline", "restore: waited for another relocation's restore until the "
             "deadline");
        goto out;
    }
    bool guarded = rq->ctl_socket &&
                   ctl_flows(rq, "reloc_guard", "on", deadline, NULL, err, sizeof err) == 0;
    int rrc = call(&hc, &rr, &resp, err, sizeof err);
    stage_unlock(lk);
    if (guarded && rrc != 0) {
        char e2[256];
        ctl_flows(rq, "reloc_guard", "off", deadline + 500, NULL, e2, sizeof e2);
    }
    if (rrc != 0) {
        fail(res, hs_now_ms() >= deadline ? "deadline" : "restore", "restore: %s", err);
        goto out;
    }
    res->restore_ms = ms_since(ts);
    res->restore_criu_ms = jnum(resp, "criu_ms");
    res->restored_pid = (pid_t)jnum(resp, "pid");
    res->nest_pid = (pid_t)jnum(resp, "nest_pid");
    res->closed_others = (unsigned)jnum(resp, "closed");
    json_decref(resp);
    resp = NULL;
    if (hs_now_ms() >= deadline) {
        fail(res, "deadline", "deadline of %u ms passed after the restore", dms);
        goto out;
    }

    /* 6. open client->honeypot */
    ts = hs_now_ns();
    if (rq->ctl_socket) {
        json_t *a = NULL;
        if (ctl_flows(rq, "reloc_open", NULL, deadline + 500, &a, err, sizeof err) != 0) {
            fail(res, "flows", "%s", err);
            goto out;
        }
        res->reinjected = (unsigned)jnum(a, "reinjected");
        res->reinject_ms = jnum(a, "reinject_ms");
        json_decref(a);
    } else {
        hs_buf_clear(&lines);
        hs_mig_flows_open(&fc, &lines);
        if (hs_ofctl_add_flows(bridge, (const char *)lines.data, lines.len, err, sizeof err) !=
            0) {
            fail(res, "flows", "%s", err);
            goto out;
        }
    }
    res->flows_ms += ms_since(ts) - res->reinject_ms;
    res->pause_ms = ms_since(tp);
    res->total_ms = ms_since(t0);
    rc = 0;
    res->ok = true;
    /* the guard goes after the client's path is open (outside the pause): the restore closes
     * other clients' copies silently now (TCP_REPAIR), the guard only covers CRIU's own packets
     * (window probes when it leaves repair mode) towards other relocated attackers */
    if (guarded) {
        char e2[256];
        ctl_flows(rq, "reloc_guard", "off", hs_now_ms() + 1000, NULL, e2, sizeof e2);
    }

    /* 7. after the move: production forgets the connection silently (its packets to the
     * client are dropped), images go */
    ts = hs_now_ns();
    pc.deadline_ms = hc.deadline_ms = hs_now_ms() + ROLLBACK_MS;
    r = (struct hs_mig_req){.cmd = HS_MIG_DESTROY,
                            .tuple = {.local_ip = prod->ip, .local_port = sport,
                                      .remote_ip = rq->client_ip, .remote_port = rq->client_port}};
    if (!destroyed && call(&pc, &r, &resp, err, sizeof err) != 0)
        hs_snprintf(res->error, sizeof res->error, "moved, but production kept the socket: %s", err);
    json_decref(resp);
    resp = NULL;
    r = (struct hs_mig_req){.cmd = HS_MIG_FORGET};
    hs_strlcpy(r.id, res->id, sizeof r.id);
    call(&pc, &r, &resp, err, sizeof err);
    json_decref(resp);
    resp = NULL;
    call(&hc, &r, &resp, err, sizeof err);
    json_decref(resp);
    resp = NULL;
    res->cleanup_ms = ms_since(ts);
out:
    if (th_run)
        pthread_join(th, NULL);
    json_decref(resp);
    hs_buf_free(&lines);
    hs_mig_chan_close(&pc);
    hs_mig_chan_close(&hc);
    if (rc != 0 && blocked)
        rollback(rq, key, bridge, images, restore_tried, res);
    if (rc != 0)
        res->total_ms = ms_since(t0);
    memset(key, 0, sizeof key);
    return rc;
}

int hs_unshift_run(const struct hs_topology *t, const char *to, uint32_t client_ip,
                   const char *key_path, const char *ctl_socket, unsigned *killed, char *err,
                   size_t err_size)
{
    *killed = 0;
    const struct hs_host *hp = hs_topology_host(t, to);
    if (!hp) {
        snprintf(err, err_size, "no host %s in lab %s", to, t->lab);
        return -1;
    }
    char sel[64], e1[512] = "", e2[512] = "";
    hs_mig_flows_select(0, client_ip, sel);
    int rc = 0;
    bool via_ctl = false;
    if (ctl_socket) {
        char ip[16], req[160], *resp = NULL;
        hs_format_ipv4(client_ip, ip);
        snprintf(req, sizeof req, "{\"cmd\":\"unshift\",\"client\":\"%s\"}", ip);
        if (hs_ctl_request(ctl_socket, req, &resp, 2000, e1, sizeof e1) == 0) {
            json_error_t je;
            json_t *a = json_loads(resp, 0, &je);
            via_ctl = json_is_true(json_object_get(a, "ok"));
            if (!via_ctl) { /* it runs and said no (a relocation still running): touch nothing */
                const char *m = json_string_value(json_object_get(a, "error"));
                snprintf(err, err_size, "controller: %s", m ? m : "bad answer");
                json_decref(a);
                free(resp);
                return -1;
            }
            json_decref(a);
        }
        free(resp);
    }
    /* no controller: its block flows of the client (cookie 0x4853 0009 IP) go too */
    char bsel[64];
    snprintf(bsel, sizeof bsel, "cookie=0x48530009%08x/-1", (unsigned)client_ip);
    for (size_t i = 0; i < t->n_switches && !via_ctl; i++)
        if (hs_ofctl_del_flows(t->switches[i].name, sel, e1, sizeof e1) != 0 ||
            hs_ofctl_del_flows(t->switches[i].name, bsel, e1, sizeof e1) != 0)
            rc = -1;
    uint8_t key[HS_MIG_KEY_LEN];
    char kp[HS_PATH_MAX + 32];
    if (!key_path)
        hs_mig_key_path(t, kp, sizeof kp);
    struct hs_mig_chan c;
    if (hs_mig_key_load(key_path ? key_path : kp, key, e2, sizeof e2) == 0 &&
        connect_agent(t, to, key, hs_now_ms() + ROLLBACK_MS, &c, e2, sizeof e2) == 0) {
        json_t *resp = NULL;
        struct hs_mig_req r = {.cmd = HS_MIG_RELEASE, .client_ip = client_ip};
        if (call(&c, &r, &resp, e2, sizeof e2) == 0)
            *killed = (unsigned)jnum(resp, "killed");
        else
            rc = -1;
        json_decref(resp);
        hs_mig_chan_close(&c);
    } else {
        rc = -1;
    }
    memset(key, 0, sizeof key);
    if (rc != 0)
        snprintf(err, err_size, "%s%s%s", e1, e1[0] && e2[0] ? "; " : "", e2);
    return rc;
}

char *hs_shift_result_json(const struct hs_shift_result *r)
{
    json_t *o = json_pack("{s:b,s:s,s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:I,s:i,s:i,s:i,"
                          "s:i,s:I,s:i}",
                          "ok", r->ok, "id", r->id, "locate_ms", r->locate_ms, "dump_ms",
                          r->dump_ms, "dump_criu_ms", r->dump_criu_ms, "transfer_ms",
                          r->transfer_ms, "restore_ms", r->restore_ms, "restore_criu_ms",
                          r->restore_criu_ms, "flows_ms", r->flows_ms, "pause_ms", r->pause_ms,
                          "total_ms", r->total_ms, "cleanup_ms", r->cleanup_ms, "image_bytes",
                          (json_int_t)r->image_bytes, "prod_pid", (int)r->prod_pid,
                          "prod_host_pid", (int)r->prod_host_pid, "restored_pid",
                          (int)r->restored_pid, "nest_pid", (int)r->nest_pid, "image_files",
                          (json_int_t)r->image_files, "closed_others", (int)r->closed_others);
    if (!o)
        abort();
    json_object_set_new(o, "reinject_ms", json_real(r->reinject_ms));
    json_object_set_new(o, "connect_ms", json_real(r->connect_ms));
    json_object_set_new(o, "reinjected", json_integer(r->reinjected));
    json_object_set_new(o, "early_bytes", json_integer((json_int_t)r->early_bytes));
    if (!r->ok) {
        json_object_set_new(o, "stage", json_string(r->stage));
        json_object_set_new(o, "error", json_string(r->error));
        if (r->rollback_error[0])
            json_object_set_new(o, "rollback_error", json_string(r->rollback_error));
    } else if (r->error[0]) {
        json_object_set_new(o, "warning", json_string(r->error));
    }
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (!s)
        abort();
    return s;
}
