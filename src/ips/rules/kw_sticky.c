/* kw_sticky.c - sticky buffer keywords: pkt_data, file_data and the http.* buffers. Each one
 * makes the following content/pcre/isdataat options inspect that buffer. The legacy content
 * modifiers (http_uri; ...) are rejected with a hint. */
#include "common/util.h"
#include "ips/rules/rule.h"

#include <stdio.h>
#include <string.h>

static const char *const names[IPS_BUF_COUNT] = {
    [IPS_BUF_PKT] = "pkt_data",
    [IPS_BUF_HTTP_URI] = "http.uri",
    [IPS_BUF_HTTP_URI_RAW] = "http.uri.raw",
    [IPS_BUF_HTTP_METHOD] = "http.method",
    [IPS_BUF_HTTP_REQUEST_LINE] = "http.request_line",
    [IPS_BUF_HTTP_HEADER] = "http.header",
    [IPS_BUF_HTTP_COOKIE] = "http.cookie",
    [IPS_BUF_HTTP_USER_AGENT] = "http.user_agent",
    [IPS_BUF_HTTP_HOST] = "http.host",
    [IPS_BUF_HTTP_CONTENT_TYPE] = "http.content_type",
    [IPS_BUF_HTTP_REQUEST_BODY] = "http.request_body",
    [IPS_BUF_HTTP_STAT_CODE] = "http.stat_code",
    [IPS_BUF_HTTP_STAT_MSG] = "http.stat_msg",
    [IPS_BUF_HTTP_RESPONSE_LINE] = "http.response_line",
    [IPS_BUF_HTTP_RESPONSE_HEADER] = "http.response_header",
    [IPS_BUF_HTTP_RESPONSE_BODY] = "http.response_body",
    [IPS_BUF_HTTP_URI_RAW_URLDEC] = "http.uri.raw+url_decode",
    [IPS_BUF_HTTP_HEADER_URLDEC] = "http.header+url_decode",
    [IPS_BUF_HTTP_COOKIE_URLDEC] = "http.cookie+url_decode",
    [IPS_BUF_HTTP_USER_AGENT_URLDEC] = "http.user_agent+url_decode",
    [IPS_BUF_HTTP_REQUEST_BODY_URLDEC] = "http.request_body+url_decode",
};

const char *ips_buf_name(enum ips_buf_id id)
{
    return (unsigned)id < IPS_BUF_COUNT ? names[id] : "?";
}

static bool set_buf(struct ips_rule_build *b, enum ips_buf_id id)
{
    b->cur_buf = id;
    b->sticky_mark = b->rule->lists[id].n;
    if (id != IPS_BUF_PKT)
        b->rule->uses_http = true;
    return true;
}

#define STICKY(fn, id) \
    static bool fn(struct ips_rule_build *b, const char *v, char *err, size_t errlen) \
    { return set_buf(b, id); }

STICKY(s_pkt, IPS_BUF_PKT)
STICKY(s_uri, IPS_BUF_HTTP_URI)
STICKY(s_uri_raw, IPS_BUF_HTTP_URI_RAW)
STICKY(s_method, IPS_BUF_HTTP_METHOD)
STICKY(s_request_line, IPS_BUF_HTTP_REQUEST_LINE)
STICKY(s_header, IPS_BUF_HTTP_HEADER)
STICKY(s_cookie, IPS_BUF_HTTP_COOKIE)
STICKY(s_user_agent, IPS_BUF_HTTP_USER_AGENT)
STICKY(s_host, IPS_BUF_HTTP_HOST)
STICKY(s_content_type, IPS_BUF_HTTP_CONTENT_TYPE)
STICKY(s_request_body, IPS_BUF_HTTP_REQUEST_BODY)
STICKY(s_stat_code, IPS_BUF_HTTP_STAT_CODE)
STICKY(s_stat_msg, IPS_BUF_HTTP_STAT_MSG)
STICKY(s_response_line, IPS_BUF_HTTP_RESPONSE_LINE)
STICKY(s_response_header, IPS_BUF_HTTP_RESPONSE_HEADER)
STICKY(s_response_body, IPS_BUF_HTTP_RESPONSE_BODY)

/* Legacy content modifiers: rejected with the sticky buffer that replaces them. */
#define LEGACY(fn, sticky) \
    static bool fn(struct ips_rule_build *b, const char *v, char *err, size_t errlen) \
    { \
        snprintf(err, errlen, "legacy content modifier not supported: put the sticky buffer " \
                 "'" sticky "' before the content"); \
        return false; \
    }

LEGACY(l_uri, "http.uri")
LEGACY(l_raw_uri, "http.uri.raw")
LEGACY(l_method, "http.method")
LEGACY(l_header, "http.header")
LEGACY(l_cookie, "http.cookie")
LEGACY(l_user_agent, "http.user_agent")
LEGACY(l_host, "http.host")
LEGACY(l_client_body, "http.request_body")
LEGACY(l_stat_code, "http.stat_code")
LEGACY(l_stat_msg, "http.stat_msg")
LEGACY(l_server_body, "http.response_body")

const struct ips_kw ips_kw_sticky[] = {
    {"pkt_data", IPS_KW_NOVAL, s_pkt, NULL},
    {"http.uri", IPS_KW_NOVAL, s_uri, NULL},
    {"http.uri.raw", IPS_KW_NOVAL, s_uri_raw, NULL},
    {"http.method", IPS_KW_NOVAL, s_method, NULL},
    {"http.request_line", IPS_KW_NOVAL, s_request_line, NULL},
    {"http.header", IPS_KW_NOVAL, s_header, NULL},
    {"http.cookie", IPS_KW_NOVAL, s_cookie, NULL},
    {"http.user_agent", IPS_KW_NOVAL, s_user_agent, NULL},
    {"http.host", IPS_KW_NOVAL, s_host, NULL},
    {"http.content_type", IPS_KW_NOVAL, s_content_type, NULL},
    {"http.request_body", IPS_KW_NOVAL, s_request_body, NULL},
    {"http.stat_code", IPS_KW_NOVAL, s_stat_code, NULL},
    {"http.stat_msg", IPS_KW_NOVAL, s_stat_msg, NULL},
    {"http.response_line", IPS_KW_NOVAL, s_response_line, NULL},
    {"http.response_header", IPS_KW_NOVAL, s_response_header, NULL},
    {"http.response_body", IPS_KW_NOVAL, s_response_body, NULL},
    {"file_data", IPS_KW_NOVAL, s_response_body, NULL},
    {"http_uri", IPS_KW_NOVAL, l_uri, NULL},
    {"http_raw_uri", IPS_KW_NOVAL, l_raw_uri, NULL},
    {"http_method", IPS_KW_NOVAL, l_method, NULL},
    {"http_header", IPS_KW_NOVAL, l_header, NULL},
    {"http_cookie", IPS_KW_NOVAL, l_cookie, NULL},
    {"http_user_agent", IPS_KW_NOVAL, l_user_agent, NULL},
    {"http_host", IPS_KW_NOVAL, l_host, NULL},
    {"http_client_body", IPS_KW_NOVAL, l_client_body, NULL},
    {"http_stat_code", IPS_KW_NOVAL, l_stat_code, NULL},
    {"http_stat_msg", IPS_KW_NOVAL, l_stat_msg, NULL},
    {"http_server_body", IPS_KW_NOVAL, l_server_body, NULL},
    {NULL, IPS_KW_NOVAL, NULL, NULL},
};
