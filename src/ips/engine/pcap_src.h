/* pcap_src.h - read Ethernet frames from a pcap file (libpcap) for offline inspection. */
#ifndef HS_IPS_ENGINE_PCAP_SRC_H
#define HS_IPS_ENGINE_PCAP_SRC_H

#include <stddef.h>
#include <stdint.h>

struct pcap_src;

/* Open a capture file; NULL with err when unreadable or not Ethernet (DLT_EN10MB). */
struct pcap_src *pcap_src_open(const char *path, char *err, size_t err_size);
/* Next frame: 1 (data/len/ts_us set, valid until the next call), 0 at the end, -1 with err. */
int pcap_src_next(struct pcap_src *p, const uint8_t **data, size_t *len, uint64_t *ts_us,
                  char *err, size_t err_size);
/* Frames whose capture was shorter than the wire length (snaplen). */
uint64_t pcap_src_truncated(const struct pcap_src *p);
/* Close. NULL is fine. */
void pcap_src_close(struct pcap_src *p);

#endif
