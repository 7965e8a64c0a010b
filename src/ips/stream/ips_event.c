/* ips_event.c - names of verdicts and stream events. */
#include "ips/stream/ips_event.h"

static const char *const names[IPS_EV__COUNT] = {
    [IPS_EV_NONE] = "none",
    [IPS_EV_DECODE_ERROR] = "decode_error",
    [IPS_EV_BAD_CHECKSUM] = "bad_checksum",
    [IPS_EV_UNSUPPORTED_L3] = "unsupported_l3",
    [IPS_EV_FRAG_OVERLAP] = "frag_overlap",
    [IPS_EV_FRAG_OVERLAP_CONFLICT] = "frag_overlap_conflict",
    [IPS_EV_FRAG_TOO_MANY] = "frag_too_many",
    [IPS_EV_FRAG_TOO_BIG] = "frag_too_big",
    [IPS_EV_FRAG_BAD_LENGTH] = "frag_bad_length",
    [IPS_EV_FRAG_BAD_END] = "frag_bad_end",
    [IPS_EV_FRAG_MEMCAP] = "frag_memcap",
    [IPS_EV_FRAG_TABLE_FULL] = "frag_table_full",
    [IPS_EV_FRAG_TIMEOUT] = "frag_timeout",
    [IPS_EV_FRAG_DATAGRAM_DROPPED] = "frag_datagram_dropped",
    [IPS_EV_TCP_INVALID_FLAGS] = "tcp_invalid_flags",
    [IPS_EV_TCP_NO_FLOW] = "tcp_no_flow",
    [IPS_EV_TCP_MIDSTREAM] = "tcp_midstream",
    [IPS_EV_TCP_UNEXPECTED_SYN] = "tcp_unexpected_syn",
    [IPS_EV_TCP_SYNACK_BAD_ACK] = "tcp_synack_bad_ack",
    [IPS_EV_TCP_DATA_BEFORE_HANDSHAKE] = "tcp_data_before_handshake",
    [IPS_EV_TCP_DATA_BEFORE_ISN] = "tcp_data_before_isn",
    [IPS_EV_TCP_OUT_OF_WINDOW] = "tcp_out_of_window",
    [IPS_EV_TCP_RETRANS_CONFLICT] = "tcp_retrans_conflict",
    [IPS_EV_TCP_RETRANS_UNVERIFIABLE] = "tcp_retrans_unverifiable",
    [IPS_EV_TCP_OVERLAP_CONFLICT] = "tcp_overlap_conflict",
    [IPS_EV_TCP_DATA_AFTER_FIN] = "tcp_data_after_fin",
    [IPS_EV_TCP_FIN_CONFLICT] = "tcp_fin_conflict",
    [IPS_EV_TCP_DATA_AFTER_RST] = "tcp_data_after_rst",
    [IPS_EV_TCP_RST_INVALID] = "tcp_rst_invalid",
    [IPS_EV_TCP_URGENT] = "tcp_urgent",
    [IPS_EV_TCP_MEMCAP_DIR] = "tcp_memcap_dir",
    [IPS_EV_TCP_SEGMENT_LIMIT] = "tcp_segment_limit",
    [IPS_EV_TCP_MEMCAP] = "reassembly_memcap",
    [IPS_EV_TCP_FLOW_LIMIT] = "tcp_flow_limit",
    [IPS_EV_TCP_FLOW_BLOCKED] = "tcp_flow_blocked",
    [IPS_EV_INSPECTOR_DROP] = "inspector_drop",
    [IPS_EV_FLOW_TIMEOUT] = "flow_timeout",
    [IPS_EV_FLOW_EVICTED] = "flow_evicted",
    [IPS_EV_FLOW_UNINSPECTED_DATA] = "flow_uninspected_data",
};

const char *ips_event_name(enum ips_event_type t)
{
    if ((unsigned)t >= IPS_EV__COUNT || !names[t])
        return "unknown";
    return names[t];
}

const char *ips_verdict_name(enum ips_verdict v)
{
    switch (v) {
    case IPS_PASS: return "pass";
    case IPS_DROP: return "drop";
    case IPS_HOLD: return "hold";
    }
    return "unknown";
}
