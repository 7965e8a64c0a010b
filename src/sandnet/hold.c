/* hold.c - SN's hold port: capture held frames, re-inject them when the clone is ready. */
#include "sandnet/hold.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/log.h"
#include "common/util.h"
#include "sandnet/app.h"
#include "sandnet/run.h"

#define FRAME_MAX 2048

struct held {
    uint64_t t_ns;
    size_t len;
    uint8_t data[FRAME_MAX];
};

struct sn_hold {
    int fd;
    int ifindex;
    pthread_t thread;
    atomic_bool stop;
    pthread_mutex_t mu;
    size_t n, captured, reinjected;
    struct held f[SN_HOLD_MAX_FRAMES];
    /* first contacts (sn_hold_watch_contacts) */
    bool watch;
    uint8_t sc_mac[6];
    uint8_t macs[SN_CONFINE_MAX_NODES][6];
    uint32_t ips[SN_CONFINE_MAX_NODES];
    size_t n_nodes;
    uint64_t contacts[SN_CONFINE_MAX_NODES];
};

static void port_del(void)
{
    const char *argv[] = {"ovs-vsctl", "--if-exists", "del-port", SN_BRIDGE_SN, SN_HOLD_IFACE, NULL};
    sn_run(argv, NULL, 10000, true);
}

static void *capture_main(void *arg)
{
    struct sn_hold *h = arg;
    uint8_t buf[FRAME_MAX];
    while (!atomic_load(&h->stop)) {
        struct pollfd p = {h->fd, POLLIN, 0};
        if (poll(&p, 1, 100) <= 0)
            continue;
        struct sockaddr_ll from;
        socklen_t fl = sizeof from;
        ssize_t r = recvfrom(h->fd, buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
        /* only what OVS sent out of the port (the host's own frames are PACKET_OUTGOING) */
        if (r < (ssize_t)sizeof(struct ether_header) || from.sll_pkttype == PACKET_OUTGOING)
            continue;
        pthread_mutex_lock(&h->mu);
        h->captured++;
        int c = h->watch ? sn_contact_node(buf, (size_t)r, h->sc_mac, (const uint8_t(*)[6])h->macs,
                                           h->ips, h->n_nodes) : -1;
        if (c >= 0)
            h->contacts[c]++;
        if (h->n == SN_HOLD_MAX_FRAMES) {   /* full: the oldest goes */
            memmove(&h->f[0], &h->f[1], (SN_HOLD_MAX_FRAMES - 1) * sizeof h->f[0]);
            h->n--;
        }
        struct held *e = &h->f[h->n++];
        e->t_ns = hs_now_ns();
        e->len = (size_t)r;
        memcpy(e->data, buf, (size_t)r);
        pthread_mutex_unlock(&h->mu);
    }
    return NULL;
}

struct sn_hold *sn_hold_start(void)
{
    char ofport[32];
    snprintf(ofport, sizeof ofport, "ofport_request=%d", SN_HOLD_PORT);
    port_del();
    const char *add[] = {"ovs-vsctl", "add-port", SN_BRIDGE_SN, SN_HOLD_IFACE, "--", "set",
                         "interface", SN_HOLD_IFACE, "type=internal", ofport, NULL};
    const char *v6[] = {"sysctl", "-qw", "net.ipv6.conf." SN_HOLD_IFACE ".disable_ipv6=1", NULL};
    const char *up[] = {"ip", "link", "set", SN_HOLD_IFACE, "up", NULL};
    if (sn_run(add, NULL, 10000, false) != 0) {
        LOG_ERR("sandnet: cannot add the hold port");
        port_del();
        return NULL;
    }
    /* the interface appears asynchronously with the userspace datapath */
    int ifindex = 0;
    for (int i = 0; i < 50 && !(ifindex = (int)if_nametoindex(SN_HOLD_IFACE)); i++)
        usleep(20000);
    if (!ifindex || sn_run(v6, NULL, 5000, false) != 0 || sn_run(up, NULL, 5000, false) != 0) {
        LOG_ERR("sandnet: hold port %s did not come up", SN_HOLD_IFACE);
        port_del();
        return NULL;
    }
    struct sn_hold *h = xcalloc(1, sizeof *h);
    h->ifindex = ifindex;
    h->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
    struct sockaddr_ll sa = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL), .sll_ifindex = ifindex};
    if (h->fd < 0 || bind(h->fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        LOG_ERR("sandnet: hold port capture: %s", strerror(errno));
        if (h->fd >= 0)
            close(h->fd);
        free(h);
        port_del();
        return NULL;
    }
    pthread_mutex_init(&h->mu, NULL);
    atomic_store(&h->stop, false);
    if (pthread_create(&h->thread, NULL, capture_main, h) != 0) {
        close(h->fd);
        pthread_mutex_destroy(&h->mu);
        free(h);
        port_del();
        return NULL;
    }
    return h;
}

/* The frame is for mac (unicast) or an ARP request for ip. */
static bool frame_for(const struct held *e, const uint8_t mac[6], uint32_t ip)
{
    if (!memcmp(e->data, mac, 6))
        return true;
    /* Ethernet + ARP (IPv4 over Ethernet): op at 20, target IP at 38 */
    if (e->len >= 42 && e->data[12] == 0x08 && e->data[13] == 0x06 && e->data[20] == 0 && e->data[21] == 1) {
        uint32_t tpa = (uint32_t)e->data[38] << 24 | (uint32_t)e->data[39] << 16
            | (uint32_t)e->data[40] << 8 | e->data[41];
        return tpa == ip;
    }
    return false;
}

size_t sn_hold_reinject(struct sn_hold *h, const uint8_t mac[6], uint32_t ip)
{
    if (!h)
        return 0;
    size_t sent = 0;
    uint64_t now = hs_now_ns();
    pthread_mutex_lock(&h->mu);
    size_t keep = 0;
    for (size_t i = 0; i < h->n; i++) {
        struct held *e = &h->f[i];
        bool fresh = now - e->t_ns <= (uint64_t)SN_HOLD_MAX_AGE_MS * 1000000ull;
        if (fresh && frame_for(e, mac, ip)) {
            struct sockaddr_ll to = {.sll_family = AF_PACKET, .sll_ifindex = h->ifindex, .sll_halen = 6};
            memcpy(to.sll_addr, e->data, 6);
            if (sendto(h->fd, e->data, e->len, 0, (struct sockaddr *)&to, sizeof to) == (ssize_t)e->len)
                sent++;
            continue;
        }
        if (fresh)   /* others keep waiting for their clone; too old ones are forgotten */
            h->f[keep++] = *e;
    }
    h->n = keep;
    h->reinjected += sent;
    pthread_mutex_unlock(&h->mu);
    return sent;
}

void sn_hold_watch_contacts(struct sn_hold *h, const uint8_t sc_mac[6], const uint8_t (*macs)[6],
                            const uint32_t *ips, size_t n)
{
    if (!h)
        return;
    if (n > SN_CONFINE_MAX_NODES)
        n = SN_CONFINE_MAX_NODES;
    pthread_mutex_lock(&h->mu);
    memcpy(h->sc_mac, sc_mac, 6);
    memcpy(h->macs, macs, n * 6);
    memcpy(h->ips, ips, n * sizeof *ips);
    h->n_nodes = n;
    h->watch = true;
    pthread_mutex_unlock(&h->mu);
}

void sn_hold_contacts(struct sn_hold *h, uint64_t counts[SN_CONFINE_MAX_NODES])
{
    memset(counts, 0, SN_CONFINE_MAX_NODES * sizeof *counts);
    if (!h)
        return;
    pthread_mutex_lock(&h->mu);
    memcpy(counts, h->contacts, sizeof h->contacts);
    pthread_mutex_unlock(&h->mu);
}

void sn_hold_counts_local(struct sn_hold *h, size_t *captured, size_t *reinjected)
{
    *captured = *reinjected = 0;
    if (!h)
        return;
    pthread_mutex_lock(&h->mu);
    *captured = h->captured;
    *reinjected = h->reinjected;
    pthread_mutex_unlock(&h->mu);
}

void sn_hold_stop(struct sn_hold *h)
{
    if (!h)
        return;
    atomic_store(&h->stop, true);
    pthread_join(h->thread, NULL);
    close(h->fd);
    pthread_mutex_destroy(&h->mu);
    free(h);
    port_del();
}
