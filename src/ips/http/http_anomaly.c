/* http_anomaly.c - stable names of the IPS_HTTP_A_* anomaly bits (for logs and rules). */
#include "ips/http/http_parser.h"

static const char *const names[IPS_HTTP_A_COUNT] = {
    "double_encoding",  "u_encoding",        "invalid_encoding", "nul_in_uri",
    "nul_in_header",    "path_traversal",    "encoded_separator", "overlong",
    "invalid_utf8",     "fullwidth",         "smuggling",        "invalid_te",
    "invalid_cl",       "header_folding",    "invalid_folding",  "header_invalid",
    "header_repeated",  "headers_too_many",  "host_missing",     "host_ambiguous",
    "host_invalid",     "request_invalid",   "method_case",      "method_unknown",
    "http09",           "status_invalid",    "req_body_truncated", "res_body_truncated",
    "parser_error",     "pipelined",         "decompress_error",
};

const char *ips_http_anomaly_name(uint64_t bit)
{
    for (unsigned i = 0; i < IPS_HTTP_A_COUNT; i++)
        if (bit == 1ULL << i)
            return names[i];
    return NULL;
}
