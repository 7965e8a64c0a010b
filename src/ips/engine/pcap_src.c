/* pcap_src.c - pcap file reading through libpcap. */
#include "ips/engine/pcap_src.h"

#include "common/util.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>

struct pcap_src {
    pcap_t *p;
    uint64_t truncated;
};

struct pcap_src *pcap_src_open(const char *path, char *err, size_t err_size)
{
    char perr[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_MICRO, perr);
    if (!p) {
        snprintf(err, err_size, "%s", perr);
        return NULL;
    }
    int dlt = pcap_datalink(p);
    if (dlt != DLT_EN10MB) {
        const char *name = pcap_datalink_val_to_name(dlt);
        snprintf(err, err_size, "%s: link type %s (%d) is not supported; Ethernet (EN10MB) needed",
                 path, name ? name : "unknown", dlt);
        pcap_close(p);
        return NULL;
    }
    struct pcap_src *s = xcalloc(1, sizeof *s);
    s->p = p;
    return s;
}

int pcap_src_next(struct pcap_src *s, const uint8_t **data, size_t *len, uint64_t *ts_us,
                  char *err, size_t err_size)
{
    struct pcap_pkthdr *h;
    const u_char *d;
    int rc = pcap_next_ex(s->p, &h, &d);
    if (rc == PCAP_ERROR_BREAK)
        return 0;
    if (rc != 1) {
        snprintf(err, err_size, "%s", pcap_geterr(s->p));
        return -1;
    }
    if (h->caplen < h->len)
        s->truncated++;
    *data = d;
    *len = h->caplen;
    *ts_us = (uint64_t)h->ts.tv_sec * 1000000u + (uint64_t)h->ts.tv_usec;
    return 1;
}

uint64_t pcap_src_truncated(const struct pcap_src *s) { return s->truncated; }

void pcap_src_close(struct pcap_src *s)
{
    if (!s)
        return;
    pcap_close(s->p);
    free(s);
}
