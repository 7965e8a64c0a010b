/* afpacket.h - one network interface opened with AF_PACKET: a memory-mapped RX ring (frames are
 * read in place, batch by batch) and batched transmission with sendmmsg.
 * Two ring versions: TPACKET_V2 (default: the kernel wakes the reader per frame, so a frame
 * waits for nothing) and TPACKET_V3 (block-based: fewer wake-ups, but a partly filled block is
 * handed over only after retire_ms, which adds up to that much latency per pass; measured in
 * the lab: V3 with 1 ms halves the request rate of a 32-connection HTTP load).
 * Outgoing frames of the socket itself are not seen (PACKET_IGNORE_OUTGOING).
 *
 *   struct afp *a = afp_open("hsi-ipsd", &cfg, err, sizeof err);
 *   loop: afp_wait(a, 100);
 *         while (afp_next_block(a)) {
 *             while ((f = afp_next_frame(a, &len))) { inspect; afp_tx_queue(a, f, len); }
 *             afp_tx_flush(a);          // before the block goes back to the kernel
 *             afp_release_block(a);
 *         }
 *   afp_close(a);
 */
#ifndef HS_IPSD_AFPACKET_H
#define HS_IPSD_AFPACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct afp_cfg {
    unsigned version;           /* 2 (default) or 3 */
    unsigned block_size;        /* bytes per ring block (power of two, >= 64 KiB); default 1 MiB */
    unsigned block_count;       /* default 32 */
    unsigned retire_ms;         /* V3: a partly filled block is handed over after this; default 1 */
    unsigned frame_size;        /* V2: bytes per frame slot (larger frames are cut and not
                                   forwarded); default 4096 */
};

struct afp_stats {
    uint64_t rx_frames, rx_bytes, rx_blocks, tx_frames, tx_bytes, tx_errors, tx_batches;
    uint64_t kernel_drops;      /* PACKET_STATISTICS tp_drops, accumulated */
    uint64_t truncated;         /* frames cut by the ring (never forwarded) */
};

struct afp;

/* Defaults as documented above. */
void afp_cfg_default(struct afp_cfg *cfg);
/* Open ifname (must exist, is set promiscuous for this socket); NULL with a message. */
struct afp *afp_open(const char *ifname, const struct afp_cfg *cfg, char *err, size_t err_size);
/* The socket, for an event loop (readable when a block is ready). */
int afp_fd(const struct afp *a);
/* True when a block (V2: a frame) is ready to be taken; never blocks. */
bool afp_ready(struct afp *a);
/* Wait up to timeout_ms for a ready block; 1 ready, 0 timeout, -1 error (errno). */
int afp_wait(struct afp *a, int timeout_ms);
/* Take the next ready block (V2: a batch of up to 64 ready frames); false when none. */
bool afp_next_block(struct afp *a);
/* Next frame of the current block (pointer into the ring, valid until afp_release_block);
 * NULL at the end. Truncated frames are skipped and counted. */
const uint8_t *afp_next_frame(struct afp *a, size_t *len);
/* Queue a frame for transmission (it must stay valid until afp_tx_flush); flushes itself when
 * the batch is full. */
void afp_tx_queue(struct afp *a, const uint8_t *frame, size_t len);
/* Send the queued frames now. */
void afp_tx_flush(struct afp *a);
/* Send one frame at once (copies nothing; frame may be any buffer). 0 or -1. */
int afp_tx_one(struct afp *a, const uint8_t *frame, size_t len);
/* Give the current block back to the kernel. */
void afp_release_block(struct afp *a);
/* Counters (kernel drops are read and accumulated by this call). */
struct afp_stats afp_stats(struct afp *a);
/* Close the socket and unmap the ring (NULL is fine). */
void afp_close(struct afp *a);

#endif
