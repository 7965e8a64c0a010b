/* criu_stats.h - decode CRIU's stats-dump / stats-restore image files (pure, no I/O). */
#ifndef HS_SANDNET_CRIU_STATS_H
#define HS_SANDNET_CRIU_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sn_criu_stats {
    bool has_dump, has_restore;
    /* dump_stats, microseconds / counts */
    uint64_t freezing_time, frozen_time, memdump_time, memwrite_time, pages_written;
    /* restore_stats */
    uint64_t forking_time, restore_time, pages_restored;
};

/* Parse a whole stats image (magic words, size, protobuf StatsEntry). False on any malformed
 * input (bad magic, truncated message, bad varint, wrong wire type on a known field). */
bool sn_criu_stats_parse(const uint8_t *data, size_t len, struct sn_criu_stats *out);

#endif
