/* ofp_samples.c - sample messages and message comparison for the ofp tests. */
#include "ofp_samples.h"

#include <stdlib.h>
#include <string.h>

static const uint8_t frame[60] = {0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00,
                                  0x00, 0x01, 0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 0x06, 0x04};
static const uint8_t echo_data[] = "honeyshift echo";

void ofp_sample_full_match(struct ofp_match *m)
{
    static const uint8_t mac1[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
    static const uint8_t mac2[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};
    static const uint8_t mask[6] = {0xff, 0xff, 0xff, 0x00, 0x00, 0x00};
    memset(m, 0, sizeof *m);
    m->in_port = 7;
    OFP_MATCH_SET(m, OFPXMT_IN_PORT);
    memcpy(m->eth_dst, mac1, 6);
    memcpy(m->eth_dst_mask, mask, 6);
    OFP_MATCH_SET(m, OFPXMT_ETH_DST);
    OFP_MATCH_MASK(m, OFPXMT_ETH_DST);
    memcpy(m->eth_src, mac2, 6);
    OFP_MATCH_SET(m, OFPXMT_ETH_SRC);
    m->eth_type = 0x0800;
    OFP_MATCH_SET(m, OFPXMT_ETH_TYPE);
    m->ip_proto = 6;
    OFP_MATCH_SET(m, OFPXMT_IP_PROTO);
    m->ipv4_src = 0x0a000000;
    m->ipv4_src_mask = 0xffffff00;
    OFP_MATCH_SET(m, OFPXMT_IPV4_SRC);
    OFP_MATCH_MASK(m, OFPXMT_IPV4_SRC);
    m->ipv4_dst = 0xc6120001;
    OFP_MATCH_SET(m, OFPXMT_IPV4_DST);
    m->tcp_src = 40000;
    OFP_MATCH_SET(m, OFPXMT_TCP_SRC);
    m->tcp_dst = 22;
    OFP_MATCH_SET(m, OFPXMT_TCP_DST);
    m->udp_src = 53;
    OFP_MATCH_SET(m, OFPXMT_UDP_SRC);
    m->udp_dst = 5353;
    OFP_MATCH_SET(m, OFPXMT_UDP_DST);
    m->arp_op = 2;
    OFP_MATCH_SET(m, OFPXMT_ARP_OP);
    m->arp_spa = 0xc6120000;
    m->arp_spa_mask = 0xffff0000;
    OFP_MATCH_SET(m, OFPXMT_ARP_SPA);
    OFP_MATCH_MASK(m, OFPXMT_ARP_SPA);
    m->arp_tpa = 0xc6120002;
    OFP_MATCH_SET(m, OFPXMT_ARP_TPA);
    memcpy(m->arp_sha, mac1, 6);
    memcpy(m->arp_sha_mask, mask, 6);
    OFP_MATCH_SET(m, OFPXMT_ARP_SHA);
    OFP_MATCH_MASK(m, OFPXMT_ARP_SHA);
    memcpy(m->arp_tha, mac2, 6);
    OFP_MATCH_SET(m, OFPXMT_ARP_THA);
}

static void sample_actions(struct ofp_actions *a)
{
    struct ofp_match v;
    memset(&v, 0, sizeof v);
    static const uint8_t mac[6] = {0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee};
    memcpy(v.eth_dst, mac, 6);
    v.ipv4_dst = 0xc6120063;
    v.tcp_dst = 2222;
    ofp_actions_set_field(a, OFPXMT_ETH_DST, &v);
    ofp_actions_set_field(a, OFPXMT_IPV4_DST, &v);
    ofp_actions_set_field(a, OFPXMT_TCP_DST, &v);
    ofp_actions_output(a, 3);
    ofp_actions_output(a, OFPP_CONTROLLER);
}

static void sample_port(struct ofp_port *p, uint32_t no, const char *name)
{
    memset(p, 0, sizeof *p);
    p->port_no = no;
    static const uint8_t mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
    memcpy(p->hw_addr, mac, 6);
    p->hw_addr[5] = (uint8_t)no;
    strcpy(p->name, name);
    p->config = OFPPC_PORT_DOWN;
    p->state = OFPPS_LINK_DOWN;
    p->curr = 0x802;
    p->advertised = 0x2;
    p->supported = 0x3;
    p->peer = 0x4;
    p->curr_speed = 10000000;
    p->max_speed = 10000000;
}

static void put(struct hs_buf *body, const struct ofp_mp_entry *e)
{
    if (ofp_mp_put(body, e) != OFP_OK)
        abort();
}

static void mp_reply(struct ofp_msg *m, uint16_t type, struct hs_buf *body)
{
    struct ofp_mp_entry e;
    memset(&e, 0, sizeof e);
    e.type = type;
    m->u.mp_reply.type = type;
    switch (type) {
    case OFPMP_DESC:
        strcpy(e.u.desc.mfr_desc, "Nicira, Inc.");
        strcpy(e.u.desc.hw_desc, "Open vSwitch");
        strcpy(e.u.desc.sw_desc, "3.1.0");
        strcpy(e.u.desc.serial_num, "None");
        strcpy(e.u.desc.dp_desc, "hs-br0");
        put(body, &e);
        break;
    case OFPMP_FLOW:
        e.u.flow.table_id = 1;
        e.u.flow.duration_sec = 12;
        e.u.flow.duration_nsec = 345;
        e.u.flow.priority = 100;
        e.u.flow.idle_timeout = 30;
        e.u.flow.hard_timeout = 300;
        e.u.flow.flags = OFPFF_SEND_FLOW_REM;
        e.u.flow.cookie = 0x4853000100000007ull;
        e.u.flow.packet_count = 10;
        e.u.flow.byte_count = 1000;
        ofp_sample_full_match(&e.u.flow.match);
        sample_actions(&e.u.flow.actions);
        e.u.flow.actions.goto_table = 2;
        put(body, &e);
        memset(&e.u.flow, 0, sizeof e.u.flow);
        e.u.flow.priority = 0;
        e.u.flow.actions.goto_table = 0xff;
        put(body, &e); /* table-miss drop flow: empty match, no instructions */
        break;
    case OFPMP_AGGREGATE:
        e.u.aggregate.packet_count = 1ull << 40;
        e.u.aggregate.byte_count = 1ull << 50;
        e.u.aggregate.flow_count = 17;
        put(body, &e);
        break;
    case OFPMP_TABLE:
        for (uint8_t t = 0; t < 2; t++) {
            e.u.table.table_id = t;
            e.u.table.active_count = 5u + t;
            e.u.table.lookup_count = 1000u + t;
            e.u.table.matched_count = 900u + t;
            put(body, &e);
        }
        break;
    case OFPMP_PORT_STATS:
        for (uint32_t p = 1; p <= 2; p++) {
            struct ofp_port_stats *s = &e.u.port;
            s->port_no = p == 2 ? OFPP_LOCAL : p;
            s->rx_packets = 1 * p; s->tx_packets = 2 * p; s->rx_bytes = 3 * p;
            s->tx_bytes = 4 * p; s->rx_dropped = 5 * p; s->tx_dropped = 6 * p;
            s->rx_errors = 7 * p; s->tx_errors = 8 * p; s->rx_frame_err = 9 * p;
            s->rx_over_err = 10 * p; s->rx_crc_err = 11 * p; s->collisions = 12 * p;
            s->duration_sec = 13 * p; s->duration_nsec = 14 * p;
            put(body, &e);
        }
        break;
    case OFPMP_PORT_DESC:
        sample_port(&e.u.port_desc, 1, "veth-h1");
        put(body, &e);
        sample_port(&e.u.port_desc, OFPP_LOCAL, "hs-br0");
        put(body, &e);
        break;
    default:
        abort();
    }
    m->u.mp_reply.body = body->data;
    m->u.mp_reply.body_len = body->len;
}

static const uint16_t mp_types[] = {OFPMP_DESC, OFPMP_FLOW, OFPMP_AGGREGATE,
                                    OFPMP_TABLE, OFPMP_PORT_STATS, OFPMP_PORT_DESC};

const char *ofp_sample(size_t i, struct ofp_msg *m, struct hs_buf *body)
{
    hs_buf_clear(body);
    uint32_t xid = 0x1000u + (uint32_t)i;
    switch (i) {
    case 0:
        ofp_msg_init(m, OFPT_HELLO, xid);
        return "hello";
    case 1:
        ofp_msg_init(m, OFPT_HELLO, xid);
        m->version = 6;
        m->u.hello.version_bitmap = 0x52; /* 1.0, 1.3, 1.5 */
        return "hello_v6";
    case 2:
        ofp_msg_init(m, OFPT_ERROR, xid);
        m->u.error.type = OFPET_BAD_MATCH;
        m->u.error.code = OFPBMC_BAD_PREREQ;
        m->u.error.data = frame;
        m->u.error.data_len = 64 > sizeof frame ? sizeof frame : 64;
        return "error";
    case 3:
        ofp_msg_init(m, OFPT_ECHO_REQUEST, xid);
        m->u.echo.data = echo_data;
        m->u.echo.data_len = sizeof echo_data;
        return "echo_request";
    case 4:
        ofp_msg_init(m, OFPT_ECHO_REPLY, xid);
        return "echo_reply";
    case 5:
        ofp_msg_init(m, OFPT_FEATURES_REQUEST, xid);
        return "features_request";
    case 6:
        ofp_msg_init(m, OFPT_FEATURES_REPLY, xid);
        m->u.features.datapath_id = 0x0000aabbccddeeffull;
        m->u.features.n_buffers = 0;
        m->u.features.n_tables = 254;
        m->u.features.auxiliary_id = 0;
        m->u.features.capabilities = 0x4f;
        return "features_reply";
    case 7:
        ofp_msg_init(m, OFPT_GET_CONFIG_REQUEST, xid);
        return "get_config_request";
    case 8:
        ofp_msg_init(m, OFPT_GET_CONFIG_REPLY, xid);
        m->u.config.flags = 0;
        m->u.config.miss_send_len = 128;
        return "get_config_reply";
    case 9:
        ofp_msg_init(m, OFPT_SET_CONFIG, xid);
        m->u.config.miss_send_len = OFPCML_NO_BUFFER;
        return "set_config";
    case 10:
        ofp_msg_init(m, OFPT_PACKET_IN, xid);
        m->u.packet_in.total_len = sizeof frame;
        m->u.packet_in.reason = OFPR_NO_MATCH;
        m->u.packet_in.table_id = 1;
        m->u.packet_in.cookie = 0x4853000000000001ull;
        m->u.packet_in.match.in_port = 2;
        OFP_MATCH_SET(&m->u.packet_in.match, OFPXMT_IN_PORT);
        m->u.packet_in.data = frame;
        m->u.packet_in.data_len = sizeof frame;
        return "packet_in";
    case 11:
        ofp_msg_init(m, OFPT_FLOW_REMOVED, xid);
        m->u.flow_removed.cookie = 0x4853000200000003ull;
        m->u.flow_removed.priority = 200;
        m->u.flow_removed.reason = OFPRR_IDLE_TIMEOUT;
        m->u.flow_removed.table_id = 0;
        m->u.flow_removed.duration_sec = 61;
        m->u.flow_removed.duration_nsec = 5;
        m->u.flow_removed.idle_timeout = 60;
        m->u.flow_removed.hard_timeout = 0;
        m->u.flow_removed.packet_count = 99;
        m->u.flow_removed.byte_count = 9999;
        ofp_sample_full_match(&m->u.flow_removed.match);
        return "flow_removed";
    case 12:
        ofp_msg_init(m, OFPT_PORT_STATUS, xid);
        m->u.port_status.reason = OFPPR_MODIFY;
        sample_port(&m->u.port_status.desc, 3, "veth-h3");
        return "port_status";
    case 13:
        ofp_msg_init(m, OFPT_PACKET_OUT, xid);
        sample_actions(&m->u.packet_out.actions);
        m->u.packet_out.data = frame;
        m->u.packet_out.data_len = sizeof frame;
        return "packet_out";
    case 14:
        ofp_msg_init(m, OFPT_FLOW_MOD, xid);
        m->u.flow_mod.cookie = 0x4853000300000009ull;
        m->u.flow_mod.table_id = 0;
        m->u.flow_mod.command = OFPFC_ADD;
        m->u.flow_mod.idle_timeout = 10;
        m->u.flow_mod.hard_timeout = 20;
        m->u.flow_mod.priority = 1000;
        m->u.flow_mod.flags = OFPFF_SEND_FLOW_REM | OFPFF_CHECK_OVERLAP;
        ofp_sample_full_match(&m->u.flow_mod.match);
        sample_actions(&m->u.flow_mod.actions);
        m->u.flow_mod.actions.goto_table = 1;
        return "flow_mod";
    case 15:
        ofp_msg_init(m, OFPT_FLOW_MOD, xid);
        m->u.flow_mod.command = OFPFC_DELETE_STRICT;
        m->u.flow_mod.cookie = 5;
        m->u.flow_mod.cookie_mask = ~0ull;
        m->u.flow_mod.table_id = OFPTT_ALL;
        return "flow_mod_delete";
    case 16:
        ofp_msg_init(m, OFPT_BARRIER_REQUEST, xid);
        return "barrier_request";
    case 17:
        ofp_msg_init(m, OFPT_BARRIER_REPLY, xid);
        return "barrier_reply";
    default:
        break;
    }
    size_t k = i - 18;
    if (k < HS_ARRAY_SIZE(mp_types)) {
        static const char *const names[] = {"mp_request_desc", "mp_request_flow",
                                            "mp_request_aggregate", "mp_request_table",
                                            "mp_request_port_stats", "mp_request_port_desc"};
        ofp_msg_init(m, OFPT_MULTIPART_REQUEST, xid);
        m->u.mp_request.type = mp_types[k];
        if (mp_types[k] == OFPMP_PORT_STATS)
            m->u.mp_request.u.port_no = OFPP_ANY;
        if (mp_types[k] == OFPMP_FLOW || mp_types[k] == OFPMP_AGGREGATE) {
            struct ofp_flow_stats_request *f = &m->u.mp_request.u.flow;
            f->table_id = OFPTT_ALL;
            f->out_port = OFPP_ANY;
            f->out_group = OFPG_ANY;
            f->cookie = 0x4853000000000000ull;
            f->cookie_mask = 0xffff000000000000ull;
            f->match.eth_type = 0x0806;
            OFP_MATCH_SET(&f->match, OFPXMT_ETH_TYPE);
        }
        return names[k];
    }
    k -= HS_ARRAY_SIZE(mp_types);
    if (k < HS_ARRAY_SIZE(mp_types)) {
        static const char *const names[] = {"mp_reply_desc", "mp_reply_flow",
                                            "mp_reply_aggregate", "mp_reply_table",
                                            "mp_reply_port_stats", "mp_reply_port_desc"};
        ofp_msg_init(m, OFPT_MULTIPART_REPLY, xid);
        mp_reply(m, mp_types[k], body);
        return names[k];
    }
    if (k == HS_ARRAY_SIZE(mp_types)) {
        ofp_msg_init(m, OFPT_MULTIPART_REPLY, xid);
        m->u.mp_reply.type = OFPMP_FLOW;
        m->u.mp_reply.flags = OFPMPF_REPLY_MORE;
        return "mp_reply_flow_empty_more";
    }
    return NULL;
}

/* ---- comparison ---- */

#define SAME(field)                                                                              \
    do {                                                                                         \
        if ((a)->field != (b)->field) {                                                          \
            *why = #field;                                                                       \
            return false;                                                                        \
        }                                                                                        \
    } while (0)

static bool same_bytes(const uint8_t *x, size_t nx, const uint8_t *y, size_t ny)
{
    return nx == ny && (nx == 0 || memcmp(x, y, nx) == 0);
}

static bool same_port(const struct ofp_port *a, const struct ofp_port *b, const char **why)
{
    SAME(port_no); SAME(config); SAME(state); SAME(curr); SAME(advertised); SAME(supported);
    SAME(peer); SAME(curr_speed); SAME(max_speed);
    if (memcmp(a->hw_addr, b->hw_addr, 6) || strcmp(a->name, b->name)) {
        *why = "port hw_addr/name";
        return false;
    }
    return true;
}

static bool same_entry(const struct ofp_mp_entry *a, const struct ofp_mp_entry *b,
                       const char **why)
{
    SAME(type);
    switch (a->type) {
    case OFPMP_FLOW:
        SAME(u.flow.table_id); SAME(u.flow.duration_sec); SAME(u.flow.duration_nsec);
        SAME(u.flow.priority); SAME(u.flow.idle_timeout); SAME(u.flow.hard_timeout);
        SAME(u.flow.flags); SAME(u.flow.cookie); SAME(u.flow.packet_count);
        SAME(u.flow.byte_count);
        if (!ofp_match_equal(&a->u.flow.match, &b->u.flow.match) ||
            !ofp_actions_equal(&a->u.flow.actions, &b->u.flow.actions)) {
            *why = "flow entry match/actions";
            return false;
        }
        return true;
    case OFPMP_PORT_STATS:
        SAME(u.port.port_no); SAME(u.port.rx_packets); SAME(u.port.tx_packets);
        SAME(u.port.rx_bytes); SAME(u.port.tx_bytes); SAME(u.port.rx_dropped);
        SAME(u.port.tx_dropped); SAME(u.port.rx_errors); SAME(u.port.tx_errors);
        SAME(u.port.rx_frame_err); SAME(u.port.rx_over_err); SAME(u.port.rx_crc_err);
        SAME(u.port.collisions); SAME(u.port.duration_sec); SAME(u.port.duration_nsec);
        return true;
    case OFPMP_TABLE:
        SAME(u.table.table_id); SAME(u.table.active_count); SAME(u.table.lookup_count);
        SAME(u.table.matched_count);
        return true;
    case OFPMP_PORT_DESC:
        return same_port(&a->u.port_desc, &b->u.port_desc, why);
    case OFPMP_AGGREGATE:
        SAME(u.aggregate.packet_count); SAME(u.aggregate.byte_count);
        SAME(u.aggregate.flow_count);
        return true;
    case OFPMP_DESC:
        if (strcmp(a->u.desc.mfr_desc, b->u.desc.mfr_desc) ||
            strcmp(a->u.desc.hw_desc, b->u.desc.hw_desc) ||
            strcmp(a->u.desc.sw_desc, b->u.desc.sw_desc) ||
            strcmp(a->u.desc.serial_num, b->u.desc.serial_num) ||
            strcmp(a->u.desc.dp_desc, b->u.desc.dp_desc)) {
            *why = "desc strings";
            return false;
        }
        return true;
    default:
        *why = "entry type";
        return false;
    }
}

static bool same_mp_reply(const struct ofp_multipart_reply *ra,
                          const struct ofp_multipart_reply *rb, const char **why)
{
    size_t ca = 0, cb = 0;
    struct ofp_mp_entry ea, eb;
    for (;;) {
        int na = ofp_mp_next(ra, &ca, &ea), nb = ofp_mp_next(rb, &cb, &eb);
        if (na != nb || na < 0) {
            *why = "multipart entry count";
            return false;
        }
        if (na == 0)
            return true;
        if (!same_entry(&ea, &eb, why))
            return false;
    }
}

bool ofp_msg_same(const struct ofp_msg *a, const struct ofp_msg *b, const char **why)
{
    static const char *dummy;
    if (!why)
        why = &dummy;
    *why = "";
    SAME(type); SAME(xid);
    if (a->type == OFPT_HELLO) {
        SAME(version);
    } else if ((a->version ? a->version : OFP13_VERSION) !=
               (b->version ? b->version : OFP13_VERSION)) {
        *why = "version";
        return false;
    }
    switch (a->type) {
    case OFPT_HELLO:
        SAME(u.hello.version_bitmap);
        return true;
    case OFPT_ERROR:
        SAME(u.error.type); SAME(u.error.code);
        if (!same_bytes(a->u.error.data, a->u.error.data_len, b->u.error.data,
                        b->u.error.data_len)) {
            *why = "error data";
            return false;
        }
        return true;
    case OFPT_ECHO_REQUEST:
    case OFPT_ECHO_REPLY:
        if (!same_bytes(a->u.echo.data, a->u.echo.data_len, b->u.echo.data, b->u.echo.data_len)) {
            *why = "echo data";
            return false;
        }
        return true;
    case OFPT_FEATURES_REPLY:
        SAME(u.features.datapath_id); SAME(u.features.n_buffers); SAME(u.features.n_tables);
        SAME(u.features.auxiliary_id); SAME(u.features.capabilities);
        return true;
    case OFPT_GET_CONFIG_REPLY:
    case OFPT_SET_CONFIG:
        SAME(u.config.flags); SAME(u.config.miss_send_len);
        return true;
    case OFPT_PACKET_IN:
        SAME(u.packet_in.buffer_id); SAME(u.packet_in.total_len); SAME(u.packet_in.reason);
        SAME(u.packet_in.table_id); SAME(u.packet_in.cookie);
        if (!ofp_match_equal(&a->u.packet_in.match, &b->u.packet_in.match) ||
            !same_bytes(a->u.packet_in.data, a->u.packet_in.data_len, b->u.packet_in.data,
                        b->u.packet_in.data_len)) {
            *why = "packet_in match/data";
            return false;
        }
        return true;
    case OFPT_PACKET_OUT:
        SAME(u.packet_out.buffer_id); SAME(u.packet_out.in_port);
        if (a->u.packet_out.actions.n != b->u.packet_out.actions.n ||
            !same_bytes(a->u.packet_out.data, a->u.packet_out.data_len, b->u.packet_out.data,
                        b->u.packet_out.data_len)) {
            *why = "packet_out actions/data";
            return false;
        }
        {
            struct ofp_actions x = a->u.packet_out.actions, y = b->u.packet_out.actions;
            x.goto_table = y.goto_table = 0xff; /* no instructions in a packet-out */
            if (!ofp_actions_equal(&x, &y)) {
                *why = "packet_out actions";
                return false;
            }
        }
        return true;
    case OFPT_FLOW_MOD:
        SAME(u.flow_mod.cookie); SAME(u.flow_mod.cookie_mask); SAME(u.flow_mod.table_id);
        SAME(u.flow_mod.command); SAME(u.flow_mod.idle_timeout); SAME(u.flow_mod.hard_timeout);
        SAME(u.flow_mod.priority); SAME(u.flow_mod.buffer_id); SAME(u.flow_mod.out_port);
        SAME(u.flow_mod.out_group); SAME(u.flow_mod.flags);
        if (!ofp_match_equal(&a->u.flow_mod.match, &b->u.flow_mod.match) ||
            !ofp_actions_equal(&a->u.flow_mod.actions, &b->u.flow_mod.actions)) {
            *why = "flow_mod match/actions";
            return false;
        }
        return true;
    case OFPT_FLOW_REMOVED:
        SAME(u.flow_removed.cookie); SAME(u.flow_removed.priority); SAME(u.flow_removed.reason);
        SAME(u.flow_removed.table_id); SAME(u.flow_removed.duration_sec);
        SAME(u.flow_removed.duration_nsec); SAME(u.flow_removed.idle_timeout);
        SAME(u.flow_removed.hard_timeout); SAME(u.flow_removed.packet_count);
        SAME(u.flow_removed.byte_count);
        if (!ofp_match_equal(&a->u.flow_removed.match, &b->u.flow_removed.match)) {
            *why = "flow_removed match";
            return false;
        }
        return true;
    case OFPT_PORT_STATUS:
        SAME(u.port_status.reason);
        return same_port(&a->u.port_status.desc, &b->u.port_status.desc, why);
    case OFPT_MULTIPART_REQUEST:
        SAME(u.mp_request.type); SAME(u.mp_request.flags);
        if (a->u.mp_request.type == OFPMP_PORT_STATS)
            SAME(u.mp_request.u.port_no);
        if (a->u.mp_request.type == OFPMP_FLOW || a->u.mp_request.type == OFPMP_AGGREGATE) {
            SAME(u.mp_request.u.flow.table_id); SAME(u.mp_request.u.flow.out_port);
            SAME(u.mp_request.u.flow.out_group); SAME(u.mp_request.u.flow.cookie);
            SAME(u.mp_request.u.flow.cookie_mask);
            if (!ofp_match_equal(&a->u.mp_request.u.flow.match, &b->u.mp_request.u.flow.match)) {
                *why = "mp_request match";
                return false;
            }
        }
        return true;
    case OFPT_MULTIPART_REPLY:
        SAME(u.mp_reply.type); SAME(u.mp_reply.flags);
        return same_mp_reply(&a->u.mp_reply, &b->u.mp_reply, why);
    default:
        return true;
    }
}
