/* fuzz_stream.c - libFuzzer target: a sequence of frames through one ips_stream table.
 * Input: 1 byte of configuration flags, then records of a 2-byte big-endian header (low 14 bits:
 * frame length, top 2 bits: time step) followed by the frame. The delivery callback checks the
 * invariants: every byte delivered once, in order (offsets contiguous and monotonic). */
#include "ips/stream/ips_stream.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct fstate {
    uint64_t next[2];
    uint64_t id;
};

static size_t live;

static enum ips_verdict deliver(void *ctx, struct ips_flow *flow, enum ips_dir dir,
                                const uint8_t *data, size_t len, uint64_t off)
{
    struct fstate *st = ips_flow_user(flow);
    if (!st) {
        st = calloc(1, sizeof *st);
        if (!st)
            abort();
        st->id = ips_flow_id(flow);
        ips_flow_set_user(flow, st);
        live++;
    }
    if ((unsigned)dir > 1 || len == 0 || off != st->next[dir] || st->id != ips_flow_id(flow) ||
        ips_flow_delivered(flow, dir) != off + len)
        abort();
    st->next[dir] = off + len;
    volatile uint8_t sink = 0;
    for (size_t i = 0; i < len; i++)
        sink ^= data[i];
    (void)sink;
    return memmem(data, len, "EVIL", 4) ? IPS_DROP : IPS_PASS;
}

static void on_event(void *ctx, const struct ips_event *ev)
{
    if ((unsigned)ev->type >= IPS_EV__COUNT || ev->type == IPS_EV_NONE)
        abort();
}

static void flow_end(void *ctx, struct ips_flow *flow)
{
    struct fstate *st = ips_flow_user(flow);
    if (st) {
        free(st);
        live--;
    }
    ips_flow_set_user(flow, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    struct ips_stream_config cfg;
    ips_stream_config_default(&cfg);
    uint8_t fl = data[0];
    cfg.allow_midstream = fl & 1;
    cfg.verify_checksums = fl & 2;
    cfg.allow_urgent = fl & 4;
    cfg.max_flows = (fl & 8) ? 4 : 64;
    cfg.memcap = (fl & 16) ? 6000 : 200000;
    cfg.max_buffered_per_dir = (fl & 32) ? 300 : 8192;
    cfg.max_segments_per_dir = 16;
    cfg.history_per_dir = (fl & 64) ? 0 : 2048;
    cfg.frag_max_datagrams = 8;
    cfg.frag_max_per_datagram = 8;
    cfg.frag_memcap = (fl & 128) ? 1500 : 40000;
    cfg.evict_min_idle_ms = 1000;
    cfg.hash_seed = 42;
    cfg.deliver = deliver;
    cfg.on_event = on_event;
    cfg.on_flow_end = flow_end;
    struct ips_stream *s = ips_stream_new(&cfg);
    uint64_t now = 1;
    static const uint64_t steps[4] = {0, 1000, 20000, 700000};
    size_t i = 1;
    while (i + 2 <= size) {
        uint16_t hdr = (uint16_t)(data[i] << 8 | data[i + 1]);
        size_t len = hdr & 0x3fff;
        now += steps[hdr >> 14];
        i += 2;
        if (len > size - i)
            len = size - i;
        uint8_t *frame = malloc(len ? len : 1);
        if (!frame)
            abort();
        memcpy(frame, data + i, len);
        i += len;
        struct ips_result r = ips_stream_packet(s, frame, len, now);
        free(frame);
        if (r.verdict != IPS_PASS && r.verdict != IPS_DROP && r.verdict != IPS_HOLD)
            abort();
        if (r.frame && (r.verdict != IPS_PASS || r.frame_len < 34))
            abort();
        if (r.verdict == IPS_DROP && r.reason == IPS_EV_NONE)
            abort();
        struct ips_stream_stats st = ips_stream_stats(s);
        if (st.mem_used > cfg.memcap || st.frag_mem > cfg.frag_memcap ||
            st.flows > cfg.max_flows)
            abort();
    }
    ips_stream_expire(s, now + 10000000);
    if (ips_stream_stats(s).flows != 0 || ips_stream_stats(s).mem_used != 0 ||
        ips_stream_stats(s).frag_datagrams != 0)
        abort();
    ips_stream_free(s);
    if (live != 0)
        abort();
    return 0;
}
