/* bench_eve.h - the lines the relocation benchmark reads (pure): EVE JSON `relocation` events
 * (layout agreed in docs/relocation.md / the controller's EVE writer) and the result lines of
 * the benchmark's attacker program. */
#ifndef HS_BENCH_EVE_H
#define HS_BENCH_EVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Stage timings of a relocation, in the order the summary prints them. */
enum hs_bench_timing {
    HS_BT_DETECT,
    HS_BT_HOLD,
    HS_BT_LOCATE,
    HS_BT_DUMP,
    HS_BT_TRANSFER,
    HS_BT_RESTORE,
    HS_BT_FLOWS,
    HS_BT_REINJECT,
    HS_BT_FIRST_BYTE,
    HS_BT_PAUSE,
    HS_BT_TOTAL,
    HS_BT_COUNT
};

/* Name of a timing as in the event's timings_ms object ("dump", ...); NULL when out of range. */
const char *hs_bench_timing_name(enum hs_bench_timing t);

/* A relocation event. Strings are NUL-terminated; absent ones are empty. */
struct hs_bench_reloc_event {
    char src_ip[16];
    uint16_t src_port;
    char dest_ip[16];
    uint16_t dest_port;
    char id[48];
    char trigger[16];           /* ips | operator */
    char outcome[16];           /* relocated | failed */
    char stage[16];             /* failing stage (failed only) */
    char reason[256];           /* why it failed, or a warning (cut to fit, marked with ...) */
    char attacker_action[16];   /* relocated | blocked */
    char service[16], kind[16], from[16], to[16];
    double timing[HS_BT_COUNT];
    bool has_timing[HS_BT_COUNT];
};

/* Parse one EVE line. 1: a relocation event, *ev filled; 0: a valid JSON object of another
 * event_type (ev untouched); -1: not usable (not JSON, relocation event with a missing or
 * wrongly typed field), err says why. Fields this layout does not know are ignored. */
int hs_bench_eve_parse(const char *line, size_t len, struct hs_bench_reloc_event *ev, char *err,
                       size_t err_size);

/* What the attacker program prints (one JSON object per line). */
enum hs_bench_att_kind { HS_BENCH_ATT_READY, HS_BENCH_ATT_RESULT };
struct hs_bench_att {
    enum hs_bench_att_kind kind;
    uint16_t port;              /* the attacker's local port */
    bool benign_prod;           /* ready: the benign request was answered by production */
    double sent, first_byte, done;  /* result: Unix seconds (0 when no answer) */
    int status;                 /* result: HTTP status of the answer (0: none) */
    bool decoy, prod;           /* result: answer carries the decoy / production marker */
    bool after_decoy;           /* result: the follow-up request was answered with the decoy */
    char error[160];            /* result: what went wrong on the attacker's side; empty if ok */
};

/* Parse one attacker line. 0, or -1 with err. */
int hs_bench_att_parse(const char *line, size_t len, struct hs_bench_att *a, char *err,
                       size_t err_size);

#endif
