/* dumphold.c - hold the original's inbound frames during its dump, re-inject them after. */
#include "sandnet/dumphold.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "common/util.h"
#include "sandnet/run.h"

#define FRAME_MAX 9216
#define TOOL_TIMEOUT 10000

struct sn_dump_hold {
    char host[IFNAMSIZ];        /* the container's host veth hsn<id> */
    char redir[IFNAMSIZ];       /* hsq<id>: the filter's target */
    char cap[IFNAMSIZ];         /* hsr<id>: its peer, captured */
    char batch[SN_PATH_MAX + 32];
    uint8_t redir_mac[6];
    int cap_fd, out_fd;
    bool filter_on;
    struct sn_dump_hold_stats st;
};

static bool write_batch(const char *path, const char *text)
{
    FILE *f = fopen(path, "we");
    if (!f) {
        LOG_ERR("sandnet: dump hold: create %s: %s", path, strerror(errno));
        return false;
    }
    bool ok = fputs(text, f) >= 0;
    ok &= fclose(f) == 0;
    if (!ok) {
        LOG_ERR("sandnet: dump hold: write %s failed", path);
        unlink(path);
    }
    return ok;
}

static int run_batch(const char *tool, const char *path, const char *text, bool quiet)
{
    if (!write_batch(path, text))
        return -1;
    const char *argv[] = {tool, "-batch", path, NULL};
    int rc = sn_run(argv, NULL, TOOL_TIMEOUT, quiet);
    unlink(path);
    return rc;
}

static bool filter_del(struct sn_dump_hold *h, bool quiet)
{
    const char *argv[] = {"tc", "qdisc", "del", "dev", h->host, "clsact", NULL};
    return sn_run(argv, NULL, TOOL_TIMEOUT, quiet) == 0;
}

static void pair_del(const char *redir)
{
    if (!if_nametoindex(redir))
        return;
    const char *argv[] = {"ip", "link", "del", redir, NULL};
    sn_run(argv, NULL, TOOL_TIMEOUT, true);
}

static bool ifmac(const char *ifname, uint8_t mac[6])
{
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    if (!hs_strlcpy(ifr.ifr_name, ifname, sizeof ifr.ifr_name))
        return false;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    bool ok = fd >= 0 && ioctl(fd, SIOCGIFHWADDR, &ifr) == 0;
    if (ok)
        memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
    if (fd >= 0)
        close(fd);
    return ok;
}

/* The capture socket on hsr<id> (timestamps on, bounded queue) and the sending socket on
 * hsn<id> (bypassing the qdisc layer, hence the filter). */
static bool open_sockets(struct sn_dump_hold *h)
{
    int capidx = (int)if_nametoindex(h->cap), hostidx = (int)if_nametoindex(h->host);
    if (!capidx || !hostidx)
        return false;
    h->cap_fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
    h->out_fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
    if (h->cap_fd < 0 || h->out_fd < 0)
        return false;
    int one = 1, rcv = (int)SN_DUMP_HOLD_RCVBUF;
    struct sockaddr_ll cap = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL),
                              .sll_ifindex = capidx};
    struct sockaddr_ll out = {.sll_family = AF_PACKET, .sll_protocol = 0, .sll_ifindex = hostidx};
    return setsockopt(h->cap_fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof rcv) == 0
        && setsockopt(h->cap_fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one) == 0
        && bind(h->cap_fd, (struct sockaddr *)&cap, sizeof cap) == 0
        && setsockopt(h->out_fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one) == 0
        && bind(h->out_fd, (struct sockaddr *)&out, sizeof out) == 0;
}

static void close_sockets(struct sn_dump_hold *h)
{
    if (h->cap_fd >= 0)
        close(h->cap_fd);
    if (h->out_fd >= 0)
        close(h->out_fd);
    h->cap_fd = h->out_fd = -1;
}

struct sn_dump_hold *sn_dump_hold_begin(const struct sn_container *c)
{
    struct sn_dump_hold *h = xcalloc(1, sizeof *h);
    h->cap_fd = h->out_fd = -1;
    char ipcmds[256];
    if (!sn_host_ifname(c, h->host, sizeof h->host)
        || !hs_snprintf(h->redir, sizeof h->redir, "hsq%s", c->id)
        || !hs_snprintf(h->cap, sizeof h->cap, "hsr%s", c->id)
        || !hs_snprintf(h->batch, sizeof h->batch, "%s/dumphold.batch", c->state_dir)
        || !hs_snprintf(ipcmds, sizeof ipcmds,
                        "link add %s type veth peer name %s\nlink set %s addrgenmode none\n"
                        "link set %s addrgenmode none\nlink set %s up\nlink set %s up\n",
                        h->redir, h->cap, h->redir, h->cap, h->redir, h->cap)) {
        LOG_ERR("sandnet: dump hold for %s: names too long", c->id);
        free(h);
        return NULL;
    }
    if (!if_nametoindex(h->host)) {
        LOG_ERR("sandnet: dump hold for %s: no interface %s", c->id, h->host);
        free(h);
        return NULL;
    }
    if (if_nametoindex(h->redir)) {   /* a leftover of an interrupted run */
        filter_del(h, true);
        pair_del(h->redir);
    }
    if (run_batch("ip", h->batch, ipcmds, false) != 0 || !ifmac(h->redir, h->redir_mac)
        || !open_sockets(h)) {
        LOG_ERR("sandnet: dump hold for %s: capture pair %s/%s failed", c->id, h->redir, h->cap);
        close_sockets(h);
        pair_del(h->redir);
        free(h);
        return NULL;
    }
    return h;
}

bool sn_dump_hold_arm(struct sn_dump_hold *h)
{
    char tccmds[512];
    if (!hs_snprintf(tccmds, sizeof tccmds,
                     "qdisc add dev %s clsact\n"
                     "filter add dev %s egress prio 1 protocol all u32 match u32 0 0 "
                     "action mirred egress redirect dev %s\n",
                     h->host, h->host, h->redir)
        || run_batch("tc", h->batch, tccmds, false) != 0) {
        LOG_ERR("sandnet: dump hold: tc filter on %s failed", h->host);
        filter_del(h, true);   /* the qdisc may have gone in without the filter */
        return false;
    }
    h->filter_on = true;
    h->st.used = true;
    return true;
}

/* Read every queued frame and send it on into the container, in order. */
static void drain(struct sn_dump_hold *h)
{
    uint8_t frame[FRAME_MAX];
    union {
        char buf[CMSG_SPACE(sizeof(struct timespec)) + 64];
        struct cmsghdr align;
    } ctl;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    for (;;) {
        struct sockaddr_ll from;
        struct iovec iov = {frame, sizeof frame};
        struct msghdr m = {.msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &iov,
                           .msg_iovlen = 1, .msg_control = ctl.buf, .msg_controllen = sizeof ctl.buf};
        ssize_t r = recvmsg(h->cap_fd, &m, MSG_DONTWAIT);
        if (r < 0)
            break;
        /* hsr's own output, and anything the capture pair's own stack sends (hsq's MAC) */
        if (from.sll_pkttype == PACKET_OUTGOING || r < (ssize_t)sizeof(struct ether_header)
            || !memcmp(frame + 6, h->redir_mac, 6))
            continue;
        h->st.held++;
        if (m.msg_flags & MSG_TRUNC) {
            h->st.dropped++;
            continue;
        }
        int64_t age_ms = 0;
        for (struct cmsghdr *cm = CMSG_FIRSTHDR(&m); cm; cm = CMSG_NXTHDR(&m, cm))
            if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_TIMESTAMPNS) {
                struct timespec ts;
                memcpy(&ts, CMSG_DATA(cm), sizeof ts);
                age_ms = (int64_t)(now.tv_sec - ts.tv_sec) * 1000
                    + (now.tv_nsec - ts.tv_nsec) / 1000000;
            }
        if (age_ms > SN_DUMP_HOLD_MAX_AGE_MS) {
            h->st.expired++;
            continue;
        }
        if (send(h->out_fd, frame, (size_t)r, 0) == r)
            h->st.reinjected++;
        else
            h->st.dropped++;
    }
}

void sn_dump_hold_flush(struct sn_dump_hold *h)
{
    if (h && h->filter_on)
        drain(h);
}

bool sn_dump_hold_release(struct sn_dump_hold *h, struct sn_dump_hold_stats *st)
{
    if (!h || !h->st.used) {
        memset(st, 0, sizeof *st);
        return true;
    }
    uint64_t t0 = hs_now_ns();
    drain(h);   /* with the filter still on: nothing can overtake these */
    bool removed = !h->filter_on;
    for (int i = 0; i < 3 && !removed; i++) {
        if (i)
            usleep(10000);
        removed = filter_del(h, i < 2);
    }
    if (removed)
        h->filter_on = false;
    else
        LOG_ERR("sandnet: dump hold: the filter on %s could not be removed: the container gets "
                "nothing", h->host);
    drain(h);   /* what came in while the filter went away */
    struct tpacket_stats ps;
    socklen_t pl = sizeof ps;
    if (getsockopt(h->cap_fd, SOL_PACKET, PACKET_STATISTICS, &ps, &pl) == 0)
        h->st.dropped += ps.tp_drops;
    h->st.release_ms = (double)(hs_now_ns() - t0) / 1e6;
    *st = h->st;
    return removed;
}

void sn_dump_hold_free(struct sn_dump_hold *h)
{
    if (!h)
        return;
    if (h->filter_on)
        filter_del(h, false);
    close_sockets(h);
    pair_del(h->redir);
    free(h);
}

json_t *sn_dump_hold_json(const struct sn_dump_hold_stats *st)
{
    json_t *j = json_object();
    json_object_set_new(j, "used", json_boolean(st->used));
    json_object_set_new(j, "held", json_integer((json_int_t)st->held));
    json_object_set_new(j, "reinjected", json_integer((json_int_t)st->reinjected));
    json_object_set_new(j, "expired", json_integer((json_int_t)st->expired));
    json_object_set_new(j, "dropped", json_integer((json_int_t)st->dropped));
    json_object_set_new(j, "release_ms", json_real(st->release_ms));
    return j;
}
