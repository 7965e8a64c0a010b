/* ips_event.h - verdicts and anomaly/limit events of the stream layer (decode, defrag, TCP). */
#ifndef HS_IPS_STREAM_IPS_EVENT_H
#define HS_IPS_STREAM_IPS_EVENT_H

#include <stdint.h>

/* What the inline engine must do with the packet it just fed in. */
enum ips_verdict {
    IPS_PASS = 0, /* forward the packet (or the reassembled datagram, see ips_result.frame) */
    IPS_DROP = 1, /* do not forward */
    IPS_HOLD = 2, /* IPv4 fragment kept for reassembly: do not forward it (the completed datagram
                   * is returned later, by the call that completes it) */
};

/* Events reported through the on_event callback. Each has a stable name (ips_event_name). */
enum ips_event_type {
    IPS_EV_NONE = 0,
    /* decode and policy */
    IPS_EV_DECODE_ERROR,        /* malformed frame; detail = enum pkt_err */
    IPS_EV_BAD_CHECKSUM,        /* IPv4 header or TCP checksum wrong (verify_checksums) */
    IPS_EV_UNSUPPORTED_L3,      /* IPv6 and the like, dropped unless pass_ipv6 */
    /* IPv4 defragmentation */
    IPS_EV_FRAG_OVERLAP,        /* overlapping fragments with identical bytes (informational) */
    IPS_EV_FRAG_OVERLAP_CONFLICT, /* overlapping fragments with different bytes: datagram dropped */
    IPS_EV_FRAG_TOO_MANY,       /* more than frag_max_per_datagram fragments */
    IPS_EV_FRAG_TOO_BIG,        /* reassembled datagram would exceed 65535 bytes */
    IPS_EV_FRAG_BAD_LENGTH,     /* MF set and length not a multiple of 8, or empty */
    IPS_EV_FRAG_BAD_END,        /* inconsistent last fragment / data beyond the end */
    IPS_EV_FRAG_MEMCAP,         /* defrag memory limit reached: datagram dropped */
    IPS_EV_FRAG_TABLE_FULL,     /* too many datagrams in reassembly: fragment dropped */
    IPS_EV_FRAG_TIMEOUT,        /* datagram not completed in time: its held fragments are dropped */
    IPS_EV_FRAG_DATAGRAM_DROPPED, /* fragment of a datagram already dropped (no event emitted) */
    /* TCP */
    IPS_EV_TCP_INVALID_FLAGS,   /* SYN+FIN, SYN+RST, no flags, ... */
    IPS_EV_TCP_NO_FLOW,         /* non-SYN packet for an unknown flow (midstream not allowed) */
    IPS_EV_TCP_MIDSTREAM,       /* flow picked up without handshake (allow_midstream) */
    IPS_EV_TCP_UNEXPECTED_SYN,  /* SYN/SYN-ACK with an unexpected direction or sequence number */
    IPS_EV_TCP_SYNACK_BAD_ACK,  /* SYN-ACK acknowledging something else than the client ISN+1 */
    IPS_EV_TCP_DATA_BEFORE_HANDSHAKE, /* data in a direction whose ISN is unknown */
    IPS_EV_TCP_DATA_BEFORE_ISN, /* sequence number before the start of the stream */
    IPS_EV_TCP_OUT_OF_WINDOW,   /* segment too far ahead of the delivered data */
    IPS_EV_TCP_RETRANS_CONFLICT, /* retransmission of delivered data with different bytes */
    IPS_EV_TCP_RETRANS_UNVERIFIABLE, /* retransmission of unacked data older than the history */
    IPS_EV_TCP_OVERLAP_CONFLICT, /* overlaps a buffered segment with different bytes */
    IPS_EV_TCP_DATA_AFTER_FIN,  /* data beyond the FIN of that direction */
    IPS_EV_TCP_FIN_CONFLICT,    /* second FIN at another sequence number / FIN before data */
    IPS_EV_TCP_DATA_AFTER_RST,  /* data on a reset flow */
    IPS_EV_TCP_RST_INVALID,     /* RST whose sequence number is not the next expected one */
    IPS_EV_TCP_URGENT,          /* URG segment with data (out-of-band byte evasion) */
    IPS_EV_TCP_MEMCAP_DIR,      /* out-of-order bytes per direction limit: packet dropped */
    IPS_EV_TCP_SEGMENT_LIMIT,   /* out-of-order segments per direction limit: packet dropped */
    IPS_EV_TCP_MEMCAP,          /* total stream memory limit: packet dropped ("reassembly memcap") */
    IPS_EV_TCP_FLOW_LIMIT,      /* flow table full: new flow refused */
    IPS_EV_TCP_FLOW_BLOCKED,    /* packet of a flow an inspector vetoed (no event emitted) */
    IPS_EV_INSPECTOR_DROP,      /* the deliver callback returned IPS_DROP: flow now blocked */
    /* flow lifecycle */
    IPS_EV_FLOW_TIMEOUT,        /* idle flow removed */
    IPS_EV_FLOW_EVICTED,        /* idle flow removed early to make room (LRU) */
    IPS_EV_FLOW_UNINSPECTED_DATA, /* flow removed while holding undelivered out-of-order bytes */
    IPS_EV__COUNT
};

/* Stable lower-case name of an event ("tcp_retrans_conflict", ...); "unknown" if out of range. */
const char *ips_event_name(enum ips_event_type t);
/* "pass", "drop" or "hold". */
const char *ips_verdict_name(enum ips_verdict v);

#endif
