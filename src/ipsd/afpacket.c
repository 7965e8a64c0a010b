/* afpacket.c - AF_PACKET TPACKET_V3 RX ring and sendmmsg TX batches. */
#include "ipsd/afpacket.h"
#include "common/util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

#define TX_BATCH 64

#define V2_BATCH 64

struct afp {
    int fd;
    unsigned version;
    unsigned frame_size, frame_count;   /* V2 */
    unsigned v2_first, v2_taken;        /* V2: first frame of the batch, frames taken */
    int ifindex;
    uint8_t *map;
    size_t map_len;
    unsigned block_size, block_count;
    unsigned cur;               /* index of the block to look at next / being read */
    bool in_block;
    struct tpacket_block_desc *bd;
    uint32_t left;              /* frames left in the current block */
    struct tpacket3_hdr *next;  /* next frame header in the current block */
    struct mmsghdr msgs[TX_BATCH];
    struct iovec iov[TX_BATCH];
    unsigned n_tx;
    struct afp_stats st;
};

void afp_cfg_default(struct afp_cfg *cfg)
{
    cfg->block_size = 1u << 20;
    cfg->block_count = 32;
    cfg->retire_ms = 1;
    cfg->version = 2;
    cfg->frame_size = 4096;
}

struct afp *afp_open(const char *ifname, const struct afp_cfg *cfg_in, char *err, size_t err_size)
{
    struct afp_cfg cfg;
    if (cfg_in)
        cfg = *cfg_in;
    else
        afp_cfg_default(&cfg);
    long page = sysconf(_SC_PAGESIZE);
    if (cfg.version != 2 && cfg.version != 3) {
        snprintf(err, err_size, "ring version must be 2 or 3");
        return NULL;
    }
    if (cfg.version == 2 && (cfg.frame_size < 2048 || cfg.frame_size > cfg.block_size ||
                             cfg.frame_size % TPACKET_ALIGNMENT)) {
        snprintf(err, err_size, "bad frame size %u", cfg.frame_size);
        return NULL;
    }
    if (cfg.block_size < 65536 || (cfg.block_size & (cfg.block_size - 1)) ||
        page <= 0 || cfg.block_size % (unsigned)page || cfg.block_count == 0 ||
        cfg.block_count > 4096) {
        snprintf(err, err_size, "bad ring geometry (block size %u, %u blocks)", cfg.block_size,
                 cfg.block_count);
        return NULL;
    }
    unsigned ifindex = if_nametoindex(ifname);
    if (!ifindex) {
        snprintf(err, err_size, "interface %s: %s", ifname, strerror(errno));
        return NULL;
    }
    struct afp *a = xcalloc(1, sizeof *a);
    a->fd = -1;
    a->ifindex = (int)ifindex;
    a->block_size = cfg.block_size;
    a->block_count = cfg.block_count;
    const char *step = "socket";
    a->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0); /* protocol 0: nothing until bound */
    if (a->fd < 0)
        goto fail;
    int ver = cfg.version == 3 ? TPACKET_V3 : TPACKET_V2, one = 1;
    a->version = cfg.version;
    step = "PACKET_VERSION";
    if (setsockopt(a->fd, SOL_PACKET, PACKET_VERSION, &ver, sizeof ver) != 0)
        goto fail;
    step = "PACKET_IGNORE_OUTGOING";
    if (setsockopt(a->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one) != 0)
        goto fail;
    step = "PACKET_QDISC_BYPASS";
    if (setsockopt(a->fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one) != 0)
        goto fail;
    struct tpacket_req3 req;
    memset(&req, 0, sizeof req);
    req.tp_block_size = cfg.block_size;
    req.tp_block_nr = cfg.block_count;
    req.tp_frame_size = cfg.version == 3 ? 2048 : cfg.frame_size;
    req.tp_frame_nr = (cfg.block_size / req.tp_frame_size) * cfg.block_count;
    req.tp_retire_blk_tov = cfg.retire_ms ? cfg.retire_ms : 1;
    a->frame_size = req.tp_frame_size;
    a->frame_count = req.tp_frame_nr;
    step = "PACKET_RX_RING";
    /* V2 takes the first four members (struct tpacket_req) */
    if (setsockopt(a->fd, SOL_PACKET, PACKET_RX_RING, &req,
                   cfg.version == 3 ? sizeof req : sizeof(struct tpacket_req)) != 0)
        goto fail;
    a->map_len = (size_t)cfg.block_size * cfg.block_count;
    step = "mmap";
    a->map = mmap(NULL, a->map_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_LOCKED, a->fd, 0);
    if (a->map == MAP_FAILED) {
        a->map = mmap(NULL, a->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, a->fd, 0);
        if (a->map == MAP_FAILED) {
            a->map = NULL;
            goto fail;
        }
    }
    struct sockaddr_ll sll;
    memset(&sll, 0, sizeof sll);
    sll.sll_family = AF_PACKET;
    sll.sll_protocol = htons(ETH_P_ALL);
    sll.sll_ifindex = a->ifindex;
    step = "bind";
    if (bind(a->fd, (struct sockaddr *)&sll, sizeof sll) != 0)
        goto fail;
    struct packet_mreq mr;
    memset(&mr, 0, sizeof mr);
    mr.mr_ifindex = a->ifindex;
    mr.mr_type = PACKET_MR_PROMISC;
    step = "PACKET_ADD_MEMBERSHIP promisc";
    if (setsockopt(a->fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof mr) != 0)
        goto fail;
    for (unsigned i = 0; i < TX_BATCH; i++) {
        a->msgs[i].msg_hdr.msg_iov = &a->iov[i];
        a->msgs[i].msg_hdr.msg_iovlen = 1;
    }
    return a;
fail:
    snprintf(err, err_size, "AF_PACKET on %s: %s: %s", ifname, step, strerror(errno));
    afp_close(a);
    return NULL;
}

int afp_fd(const struct afp *a) { return a->fd; }

static struct tpacket_block_desc *block(struct afp *a, unsigned i)
{
    return (struct tpacket_block_desc *)(a->map + (size_t)i * a->block_size);
}

static struct tpacket2_hdr *v2_frame(struct afp *a, unsigned i)
{
    return (struct tpacket2_hdr *)(a->map + (size_t)i * a->frame_size);
}

static bool v2_ready(struct afp *a, unsigned i)
{
    return __atomic_load_n(&v2_frame(a, i)->tp_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER;
}

static bool block_ready(struct afp *a, unsigned i)
{
    if (a->version == 2)
        return v2_ready(a, i);
    return __atomic_load_n(&block(a, i)->hdr.bh1.block_status, __ATOMIC_ACQUIRE) &
           TP_STATUS_USER;
}

bool afp_ready(struct afp *a)
{
    return !a->in_block && block_ready(a, a->cur);
}

int afp_wait(struct afp *a, int timeout_ms)
{
    if (block_ready(a, a->cur))
        return 1;
    struct pollfd p = {.fd = a->fd, .events = POLLIN | POLLERR};
    int r = poll(&p, 1, timeout_ms);
    if (r < 0)
        return errno == EINTR ? 0 : -1;
    return block_ready(a, a->cur) ? 1 : 0;
}

bool afp_next_block(struct afp *a)
{
    if (a->in_block || !block_ready(a, a->cur))
        return false;
    if (a->version == 2) {
        a->in_block = true;
        a->v2_first = a->cur;
        a->v2_taken = 0;
        a->st.rx_blocks++;
        return true;
    }
    a->bd = block(a, a->cur);
    a->in_block = true;
    a->left = a->bd->hdr.bh1.num_pkts;
    a->next = (struct tpacket3_hdr *)((uint8_t *)a->bd + a->bd->hdr.bh1.offset_to_first_pkt);
    a->st.rx_blocks++;
    return true;
}

static const uint8_t *v2_next_frame(struct afp *a, size_t *len)
{
    while (a->in_block && a->v2_taken < V2_BATCH) {
        unsigned i = (a->v2_first + a->v2_taken) % a->frame_count;
        if (!v2_ready(a, i))
            return NULL;
        a->v2_taken++;
        struct tpacket2_hdr *h = v2_frame(a, i);
        if (h->tp_snaplen < h->tp_len || (h->tp_status & TP_STATUS_COPY) ||
            (size_t)h->tp_mac + h->tp_snaplen > a->frame_size) {
            a->st.truncated++;
            continue;
        }
        a->st.rx_frames++;
        a->st.rx_bytes += h->tp_snaplen;
        *len = h->tp_snaplen;
        return (const uint8_t *)h + h->tp_mac;
    }
    return NULL;
}

const uint8_t *afp_next_frame(struct afp *a, size_t *len)
{
    if (a->version == 2)
        return v2_next_frame(a, len);
    while (a->in_block && a->left > 0) {
        struct tpacket3_hdr *h = a->next;
        a->left--;
        a->next = (struct tpacket3_hdr *)((uint8_t *)h + h->tp_next_offset);
        const uint8_t *f = (const uint8_t *)h + h->tp_mac;
        if (h->tp_snaplen < h->tp_len || (h->tp_status & TP_STATUS_COPY)) {
            a->st.truncated++;
            continue;
        }
        if ((const uint8_t *)f + h->tp_snaplen > (const uint8_t *)a->bd + a->block_size) {
            a->st.truncated++; /* cannot happen with a sane kernel; never read past the block */
            continue;
        }
        a->st.rx_frames++;
        a->st.rx_bytes += h->tp_snaplen;
        *len = h->tp_snaplen;
        return f;
    }
    return NULL;
}

void afp_tx_flush(struct afp *a)
{
    unsigned off = 0;
    while (off < a->n_tx) {
        int r = sendmmsg(a->fd, a->msgs + off, a->n_tx - off, 0);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            if (errno == ENOBUFS || errno == EAGAIN) {
                /* the peer is full: wait briefly for room, then drop what is left */
                struct pollfd p = {.fd = a->fd, .events = POLLOUT};
                if (poll(&p, 1, 5) > 0)
                    continue;
            }
            a->st.tx_errors += a->n_tx - off;
            break;
        }
        for (int i = 0; i < r; i++) {
            a->st.tx_frames++;
            a->st.tx_bytes += a->iov[off + (unsigned)i].iov_len;
        }
        off += (unsigned)r;
    }
    if (a->n_tx)
        a->st.tx_batches++;
    a->n_tx = 0;
}

void afp_tx_queue(struct afp *a, const uint8_t *frame, size_t len)
{
    if (a->n_tx == TX_BATCH)
        afp_tx_flush(a);
    a->iov[a->n_tx].iov_base = (void *)frame;
    a->iov[a->n_tx].iov_len = len;
    a->n_tx++;
}

int afp_tx_one(struct afp *a, const uint8_t *frame, size_t len)
{
    for (;;) {
        ssize_t r = send(a->fd, frame, len, 0);
        if (r == (ssize_t)len) {
            a->st.tx_frames++;
            a->st.tx_bytes += len;
            return 0;
        }
        if (r < 0 && errno == EINTR)
            continue;
        a->st.tx_errors++;
        return -1;
    }
}

void afp_release_block(struct afp *a)
{
    if (!a->in_block)
        return;
    if (a->version == 2) {
        for (unsigned k = 0; k < a->v2_taken; k++)
            __atomic_store_n(&v2_frame(a, (a->v2_first + k) % a->frame_count)->tp_status,
                             TP_STATUS_KERNEL, __ATOMIC_RELEASE);
        a->cur = (a->v2_first + a->v2_taken) % a->frame_count;
        a->in_block = false;
        a->v2_taken = 0;
        return;
    }
    __atomic_store_n(&a->bd->hdr.bh1.block_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
    a->in_block = false;
    a->bd = NULL;
    a->left = 0;
    a->cur = (a->cur + 1) % a->block_count;
}

struct afp_stats afp_stats(struct afp *a)
{
    struct tpacket_stats_v3 ks; /* V2 fills the first two members */
    socklen_t sl = sizeof ks;
    if (getsockopt(a->fd, SOL_PACKET, PACKET_STATISTICS, &ks, &sl) == 0)
        a->st.kernel_drops += ks.tp_drops; /* reading resets the kernel's counters */
    return a->st;
}

void afp_close(struct afp *a)
{
    if (!a)
        return;
    if (a->map)
        munmap(a->map, a->map_len);
    if (a->fd >= 0)
        close(a->fd);
    free(a);
}
