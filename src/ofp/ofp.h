/* ofp.h - OpenFlow 1.3 wire codec: semantic messages <-> bytes. Pure: no I/O, no globals.
 *
 * Call sequence for a byte stream from a switch:
 *   n = ofp_frame_len(buf, len)        -> 0: need more bytes; <0: stream is broken (close it);
 *                                         >0: buf[0..n) holds one whole message
 *   ofp_decode(buf, n, &msg, &err)     -> OFP_OK, or an error with err.type/err.code set to the
 *                                         OFPET_ and code to answer with, and err.text readable
 *   ... use msg (pointers in it point into buf: keep buf alive while using msg) ...
 * and to send:
 *   ofp_encode(&msg, &out)             -> appends exactly one message to out; fills in the length.
 * Wire message variants are declared once, in ofp-msgs.def.
 */
#ifndef HS_OFP_OFP_H
#define HS_OFP_OFP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"

#define OFP13_VERSION 0x04
#define OFP_HEADER_LEN 8
#define OFP_MAX_MSG_LEN 65535u
#define OFP_MAX_ACTIONS 16          /* more actions in one list: decode error, never truncated */
#define OFP_NO_BUFFER 0xffffffffu
#define OFP_DEFAULT_MISS_SEND_LEN 128

/* Reserved port numbers. */
enum {
    OFPP_MAX = 0xffffff00u, OFPP_IN_PORT = 0xfffffff8u, OFPP_TABLE = 0xfffffff9u,
    OFPP_NORMAL = 0xfffffffau, OFPP_FLOOD = 0xfffffffbu, OFPP_ALL = 0xfffffffcu,
    OFPP_CONTROLLER = 0xfffffffdu, OFPP_LOCAL = 0xfffffffeu, OFPP_ANY = 0xffffffffu,
};
#define OFPG_ANY 0xffffffffu
#define OFPTT_ALL 0xff
#define OFPCML_NO_BUFFER 0xffff

/* Message types (wire numbers of OpenFlow 1.3). */
enum ofp_type {
    OFPT_HELLO = 0, OFPT_ERROR = 1, OFPT_ECHO_REQUEST = 2, OFPT_ECHO_REPLY = 3,
    OFPT_EXPERIMENTER = 4, OFPT_FEATURES_REQUEST = 5, OFPT_FEATURES_REPLY = 6,
    OFPT_GET_CONFIG_REQUEST = 7, OFPT_GET_CONFIG_REPLY = 8, OFPT_SET_CONFIG = 9,
    OFPT_PACKET_IN = 10, OFPT_FLOW_REMOVED = 11, OFPT_PORT_STATUS = 12, OFPT_PACKET_OUT = 13,
    OFPT_FLOW_MOD = 14, OFPT_GROUP_MOD = 15, OFPT_PORT_MOD = 16, OFPT_TABLE_MOD = 17,
    OFPT_MULTIPART_REQUEST = 18, OFPT_MULTIPART_REPLY = 19, OFPT_BARRIER_REQUEST = 20,
    OFPT_BARRIER_REPLY = 21, OFPT_QUEUE_GET_CONFIG_REQUEST = 22,
    OFPT_QUEUE_GET_CONFIG_REPLY = 23, OFPT_ROLE_REQUEST = 24, OFPT_ROLE_REPLY = 25,
    OFPT_GET_ASYNC_REQUEST = 26, OFPT_GET_ASYNC_REPLY = 27, OFPT_SET_ASYNC = 28,
    OFPT_METER_MOD = 29,
};

/* Error types (OFPET_*); codes are the spec's per-type numbers. */
enum ofp_error_type {
    OFPET_HELLO_FAILED = 0, OFPET_BAD_REQUEST = 1, OFPET_BAD_ACTION = 2,
    OFPET_BAD_INSTRUCTION = 3, OFPET_BAD_MATCH = 4, OFPET_FLOW_MOD_FAILED = 5,
    OFPET_GROUP_MOD_FAILED = 6, OFPET_PORT_MOD_FAILED = 7, OFPET_TABLE_MOD_FAILED = 8,
    OFPET_QUEUE_OP_FAILED = 9, OFPET_SWITCH_CONFIG_FAILED = 10, OFPET_ROLE_REQUEST_FAILED = 11,
    OFPET_METER_MOD_FAILED = 12, OFPET_TABLE_FEATURES_FAILED = 13, OFPET_EXPERIMENTER = 0xffff,
};
/* Error codes of every type (OFPHFC_*, OFPBRC_*, OFPBAC_*, OFPBIC_*, OFPBMC_*, OFPFMFC_*, ...),
 * generated from ofp-errors.def, which also holds their names and explanations. */
enum ofp_error_code {
#define OFP_ERR_CODE(type, prefix, name, value, text) prefix##_##name = value,
#include "ofp/ofp-errors.def"
};

/* FLOW_MOD commands and flags. */
enum ofp_flow_mod_command { OFPFC_ADD = 0, OFPFC_MODIFY = 1, OFPFC_MODIFY_STRICT = 2,
                            OFPFC_DELETE = 3, OFPFC_DELETE_STRICT = 4 };
enum { OFPFF_SEND_FLOW_REM = 1 << 0, OFPFF_CHECK_OVERLAP = 1 << 1, OFPFF_RESET_COUNTS = 1 << 2,
       OFPFF_NO_PKT_COUNTS = 1 << 3, OFPFF_NO_BYT_COUNTS = 1 << 4 };
/* PACKET_IN reasons, FLOW_REMOVED reasons, PORT_STATUS reasons. */
enum { OFPR_NO_MATCH = 0, OFPR_ACTION = 1, OFPR_INVALID_TTL = 2 };
enum { OFPRR_IDLE_TIMEOUT = 0, OFPRR_HARD_TIMEOUT = 1, OFPRR_DELETE = 2, OFPRR_GROUP_DELETE = 3 };
enum { OFPPR_ADD = 0, OFPPR_DELETE = 1, OFPPR_MODIFY = 2 };
/* Port state / config bits used by the controller. */
enum { OFPPC_PORT_DOWN = 1 << 0 };
enum { OFPPS_LINK_DOWN = 1 << 0 };
/* Multipart types supported. */
enum ofp_multipart_type { OFPMP_DESC = 0, OFPMP_FLOW = 1, OFPMP_AGGREGATE = 2, OFPMP_TABLE = 3,
                          OFPMP_PORT_STATS = 4, OFPMP_PORT_DESC = 13 };
enum { OFPMPF_REQ_MORE = 1, OFPMPF_REPLY_MORE = 1 };

/* ---- Match (OXM, OFPXMC_OPENFLOW_BASIC) ---- */

/* Fields we encode/decode. Bit i of ofp_match.fields says field i is present. */
enum ofp_match_field {
    OFPXMT_IN_PORT = 0, OFPXMT_ETH_DST = 3, OFPXMT_ETH_SRC = 4, OFPXMT_ETH_TYPE = 5,
    OFPXMT_IP_PROTO = 10, OFPXMT_IPV4_SRC = 11, OFPXMT_IPV4_DST = 12,
    OFPXMT_TCP_SRC = 13, OFPXMT_TCP_DST = 14, OFPXMT_UDP_SRC = 15, OFPXMT_UDP_DST = 16,
    OFPXMT_ARP_OP = 21, OFPXMT_ARP_SPA = 22, OFPXMT_ARP_TPA = 23, OFPXMT_ARP_SHA = 24,
    OFPXMT_ARP_THA = 25,
};
#define OFP_MATCH_HAS(m, f) (((m)->fields >> (f)) & 1u)
#define OFP_MATCH_SET(m, f) ((m)->fields |= (1ull << (f)))
/* Mark field f as masked (its *_mask member is then sent; only maskable fields: eth_src/dst,
 * ipv4_src/dst, arp_spa/tpa, arp_sha/tha). The field must also be OFP_MATCH_SET. */
#define OFP_MATCH_MASK(m, f) ((m)->masked |= (1ull << (f)))

/* A flow match. Multi-byte values are in host byte order; MACs are bytes as on the wire.
 * Masks: an all-ones mask (the default when mask bit is not set) means an exact match. */
struct ofp_match {
    uint64_t fields;            /* bitmask of enum ofp_match_field present */
    uint64_t masked;            /* bitmask of fields that carry a mask below */
    uint32_t in_port;
    uint8_t eth_dst[6], eth_dst_mask[6];
    uint8_t eth_src[6], eth_src_mask[6];
    uint16_t eth_type;
    uint8_t ip_proto;
    uint32_t ipv4_src, ipv4_src_mask;
    uint32_t ipv4_dst, ipv4_dst_mask;
    uint16_t tcp_src, tcp_dst, udp_src, udp_dst;
    uint16_t arp_op;
    uint32_t arp_spa, arp_spa_mask, arp_tpa, arp_tpa_mask;
    uint8_t arp_sha[6], arp_tha[6];
    uint8_t arp_sha_mask[6], arp_tha_mask[6];
};

/* ---- Actions ---- */
enum ofp_action_kind { OFPAT_OUTPUT = 0, OFPAT_SET_FIELD = 25 };

/* One action: output to a port, or set one header field (value in the same field of .set). */
struct ofp_action {
    enum ofp_action_kind kind;
    uint32_t port;              /* OUTPUT: port number (or OFPP_*) */
    uint16_t max_len;           /* OUTPUT to CONTROLLER: bytes to send (OFPCML_NO_BUFFER: all) */
    enum ofp_match_field field; /* SET_FIELD: which field (eth_src/dst, ipv4_src/dst, tcp/udp ports) */
    struct ofp_match set;       /* SET_FIELD: the value, in the member named by .field */
};

/* An action list. Drop = zero actions. Encoded as one APPLY_ACTIONS instruction
 * (none when empty); a GOTO_TABLE instruction when goto_table != 0xff. A goto to table 0 can
 * never be valid (the target must be a later table), so 0 also means none: a zeroed struct is
 * an empty list. Decoding yields 0xff for none. */
struct ofp_actions {
    uint8_t n;
    struct ofp_action a[OFP_MAX_ACTIONS];
    uint8_t goto_table;         /* 0xff (or 0): none */
    bool overflow;              /* set by ofp_actions_output/_set_field when the list was full:
                                   ofp_encode then refuses the message instead of truncating */
};

/* ---- Message bodies ---- */

struct ofp_hello { uint32_t version_bitmap; /* bit v set: version v supported; 0: none sent */ };
struct ofp_error { uint16_t type, code; const uint8_t *data; size_t data_len; };
struct ofp_echo { const uint8_t *data; size_t data_len; };
struct ofp_features_reply { uint64_t datapath_id; uint32_t n_buffers; uint8_t n_tables;
                            uint8_t auxiliary_id; uint32_t capabilities; };
struct ofp_switch_config { uint16_t flags; uint16_t miss_send_len; };
struct ofp_packet_in { uint32_t buffer_id; uint16_t total_len; uint8_t reason, table_id;
                       uint64_t cookie; struct ofp_match match;
                       const uint8_t *data; size_t data_len; };
struct ofp_packet_out { uint32_t buffer_id; uint32_t in_port; struct ofp_actions actions;
                        const uint8_t *data; size_t data_len; };
struct ofp_flow_mod { uint64_t cookie, cookie_mask; uint8_t table_id;
                      enum ofp_flow_mod_command command; uint16_t idle_timeout, hard_timeout,
                      priority; uint32_t buffer_id, out_port, out_group; uint16_t flags;
                      struct ofp_match match; struct ofp_actions actions; };
struct ofp_flow_removed { uint64_t cookie; uint16_t priority; uint8_t reason, table_id;
                          uint32_t duration_sec, duration_nsec; uint16_t idle_timeout,
                          hard_timeout; uint64_t packet_count, byte_count;
                          struct ofp_match match; };
/* One port (PORT_STATUS, PORT_DESC reply). */
struct ofp_port { uint32_t port_no; uint8_t hw_addr[6]; char name[16]; uint32_t config, state,
                  curr, advertised, supported, peer, curr_speed, max_speed; };
struct ofp_port_status { uint8_t reason; struct ofp_port desc; };

/* Multipart request bodies. */
struct ofp_flow_stats_request { uint8_t table_id; uint32_t out_port, out_group;
                                uint64_t cookie, cookie_mask; struct ofp_match match; };
struct ofp_multipart_request {
    uint16_t type;              /* enum ofp_multipart_type */
    uint16_t flags;
    union {
        struct ofp_flow_stats_request flow;   /* OFPMP_FLOW, OFPMP_AGGREGATE */
        uint32_t port_no;                     /* OFPMP_PORT_STATS (OFPP_ANY: all) */
    } u;                                      /* DESC, TABLE, PORT_DESC: empty body */
};

/* Multipart reply entries, read with ofp_mp_next() from the raw body. */
struct ofp_flow_stats { uint8_t table_id; uint32_t duration_sec, duration_nsec;
                        uint16_t priority, idle_timeout, hard_timeout, flags;
                        uint64_t cookie, packet_count, byte_count;
                        struct ofp_match match; struct ofp_actions actions; };
struct ofp_port_stats { uint32_t port_no; uint64_t rx_packets, tx_packets, rx_bytes, tx_bytes,
                        rx_dropped, tx_dropped, rx_errors, tx_errors;
                        uint32_t duration_sec, duration_nsec;
                        uint64_t rx_frame_err, rx_over_err, rx_crc_err, collisions; };
struct ofp_table_stats { uint8_t table_id; uint32_t active_count;
                         uint64_t lookup_count, matched_count; };
/* OFPMP_DESC reply: NUL-terminated strings. */
struct ofp_desc { char mfr_desc[256], hw_desc[256], sw_desc[256], serial_num[32], dp_desc[256]; };
/* OFPMP_AGGREGATE reply. */
struct ofp_aggregate_stats { uint64_t packet_count, byte_count; uint32_t flow_count; };
struct ofp_multipart_reply {
    uint16_t type;              /* enum ofp_multipart_type */
    uint16_t flags;             /* OFPMPF_REPLY_MORE: more replies follow for this xid */
    const uint8_t *body;        /* raw entries (validated by ofp_decode) */
    size_t body_len;
};
/* One decoded multipart reply entry. */
struct ofp_mp_entry {
    uint16_t type;
    union { struct ofp_flow_stats flow; struct ofp_port_stats port; struct ofp_table_stats table;
            struct ofp_port port_desc; struct ofp_desc desc;
            struct ofp_aggregate_stats aggregate; } u;
};

/* A whole message. .type selects the union member; types without a body use none. */
struct ofp_msg {
    uint8_t version;            /* OFP13_VERSION, except HELLO may carry another */
    uint8_t type;               /* enum ofp_type */
    uint32_t xid;
    union {
        struct ofp_hello hello;
        struct ofp_error error;
        struct ofp_echo echo;                 /* ECHO_REQUEST, ECHO_REPLY */
        struct ofp_features_reply features;
        struct ofp_switch_config config;      /* GET_CONFIG_REPLY, SET_CONFIG */
        struct ofp_packet_in packet_in;
        struct ofp_packet_out packet_out;
        struct ofp_flow_mod flow_mod;
        struct ofp_flow_removed flow_removed;
        struct ofp_port_status port_status;
        struct ofp_multipart_request mp_request;
        struct ofp_multipart_reply mp_reply;
    } u;                                      /* FEATURES_REQUEST, GET_CONFIG_REQUEST,
                                                 BARRIER_*: no body */
};

/* Decode result. */
enum ofp_status { OFP_OK = 0, OFP_ERR = -1 };
struct ofp_decode_err {
    uint16_t type, code;        /* OFPET_/code to report back to the peer */
    char text[128];             /* human-readable reason */
};

/* Length of the first complete message in buf[0..len): >0 whole message available, 0 need more,
 * -1 the header is invalid (length < 8): the stream cannot be resynchronised. */
int ofp_frame_len(const uint8_t *buf, size_t len);
/* Decode one whole message (len must equal its header length). Pointers in *msg refer into buf. */
int ofp_decode(const uint8_t *buf, size_t len, struct ofp_msg *msg, struct ofp_decode_err *err);
/* Append the encoding of *msg to out. Returns OFP_OK, or OFP_ERR (out unchanged) when the
 * message cannot be represented (unknown or unsupported type, too long, unknown match field
 * or action, overflowed action list). Non-HELLO messages are always sent as version 1.3; a
 * HELLO uses msg->version (0 means 1.3). Masked match values are sent as value & mask. */
int ofp_encode(const struct ofp_msg *msg, struct hs_buf *out);
/* Iterate the entries of a multipart reply: returns 1 and fills *e, 0 at the end. *cursor starts
 * at 0. Entries were validated by ofp_decode, so this cannot fail on a decoded message (on a
 * hand-made malformed body it returns -1). DESC and AGGREGATE replies hold one entry. */
int ofp_mp_next(const struct ofp_multipart_reply *r, size_t *cursor, struct ofp_mp_entry *e);
/* Append one entry to a multipart reply body being built (for tests and fake switches). */
int ofp_mp_put(struct hs_buf *body, const struct ofp_mp_entry *e);

/* Convenience constructors (fill *msg; pointers are borrowed). ofp_msg_init zeroes *msg and sets
 * version 1.3 and the "nothing" defaults: buffer_id NO_BUFFER, FLOW_MOD out_port/out_group ANY,
 * goto_table none, PACKET_OUT in_port CONTROLLER, HELLO bitmap {1.3}, miss_send_len 128.
 * A MULTIPART_REQUEST body stays zero (its union members overlap): fill u.flow or u.port_no. */
void ofp_msg_init(struct ofp_msg *msg, enum ofp_type type, uint32_t xid);
/* Append OUTPUT:port (max_len OFPCML_NO_BUFFER for CONTROLLER, else 0). OFP_ERR, and
 * acts->overflow set, when the list already holds OFP_MAX_ACTIONS. */
int ofp_actions_output(struct ofp_actions *acts, uint32_t port);
/* Append SET_FIELD field := value's member for field. OFP_ERR (acts->overflow when full). */
int ofp_actions_set_field(struct ofp_actions *acts, enum ofp_match_field field,
                          const struct ofp_match *value);

/* Readable names. Never NULL (unknown values give "UNKNOWN"). */
const char *ofp_type_name(uint8_t type);
const char *ofp_error_type_name(uint16_t type);
const char *ofp_error_code_name(uint16_t type, uint16_t code);
/* Explanation of an error code ("a match field's prerequisite is missing"); never NULL. */
const char *ofp_error_code_text(uint16_t type, uint16_t code);
/* Name of a multipart type ("FLOW", "PORT_DESC", ...); never NULL. */
const char *ofp_multipart_name(uint16_t type);
/* Format an error as "TYPE/CODE: explanation" into buf; returns buf. */
char *ofp_error_format(uint16_t type, uint16_t code, char *buf, size_t size);
/* Format a match / actions in ovs-ofctl style ("in_port=1,dl_dst=..", "output:2"); an empty
 * match is "any", an empty action list "drop". These and ofp_msg_format return false when the
 * text did not fit: it then ends in "..." (never cut silently). */
bool ofp_match_format(const struct ofp_match *m, char *buf, size_t size);
bool ofp_actions_format(const struct ofp_actions *a, char *buf, size_t size);
/* One-line summary of a message for logs ("FLOW_MOD xid=7 ADD table=0 prio=100 ..."). */
bool ofp_msg_format(const struct ofp_msg *msg, char *buf, size_t size);
/* True when two matches select the same packets field by field (for flow-table
 * reconciliation): only present fields count; an all-ones mask equals an exact match, an
 * all-zero mask equals an absent field, and value bits outside the mask are ignored. */
bool ofp_match_equal(const struct ofp_match *a, const struct ofp_match *b);
/* True when two action lists are the same: same actions in order (max_len counts only for
 * output to CONTROLLER, SET_FIELD compares only the set field), same goto (0 == 0xff == none). */
bool ofp_actions_equal(const struct ofp_actions *a, const struct ofp_actions *b);

#endif
