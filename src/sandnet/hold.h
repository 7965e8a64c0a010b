/* hold.h - the hold port of SN (I/O): frames for clones that are not ready yet are sent there by
 * the sn_hold flows instead of being dropped; a capture thread keeps them, and when a clone is
 * redirected they are re-injected through the same port (SN forwards them on to the clone), so
 * a held SYN or request is answered when the clone is ready, not at the sender's next
 * retransmission (1 s, 3 s, ... for a SYN). */
#ifndef HS_SANDNET_HOLD_H
#define HS_SANDNET_HOLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sandnet/confine.h"

#define SN_HOLD_IFACE "hsn-hold"
#define SN_HOLD_PORT 98               /* its OpenFlow port on SN */
#define SN_HOLD_MAX_FRAMES 512
#define SN_HOLD_MAX_AGE_MS 5000       /* older held frames are not re-injected */

struct sn_hold;

/* Add the hold port (an internal port, IPv6 off, up) to SN and start capturing on it; NULL on
 * failure (nothing left behind). */
struct sn_hold *sn_hold_start(void);
/* Re-inject, in arrival order, the held frames for this MAC (unicast) or IPv4 address (ARP
 * request), at most SN_HOLD_MAX_AGE_MS old; they are forgotten. Returns how many were sent. */
size_t sn_hold_reinject(struct sn_hold *h, const uint8_t mac[6], uint32_t ip);
/* Count first contacts (sn_contact_node) among the frames captured from now on: SC's MAC and
 * the n nodes' MACs and IPs (copied). */
void sn_hold_watch_contacts(struct sn_hold *h, const uint8_t sc_mac[6], const uint8_t (*macs)[6],
                            const uint32_t *ips, size_t n);
/* Contacts counted per node so far (counts[0..SN_CONFINE_MAX_NODES), zero when not watching):
 * the reactive strategy's signal without dumping the hold flows' counters. */
void sn_hold_contacts(struct sn_hold *h, uint64_t counts[SN_CONFINE_MAX_NODES]);
/* Frames captured so far (all), and re-injected so far. */
void sn_hold_counts_local(struct sn_hold *h, size_t *captured, size_t *reinjected);
/* Stop the capture and remove the port. */
void sn_hold_stop(struct sn_hold *h);

#endif
