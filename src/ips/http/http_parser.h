/* http_parser.h - HTTP/1.x inspection layer of the inline IPS (libhtp underneath, no I/O).
 *
 * The stream reassembler feeds in-order byte chunks per direction; the parser calls back at
 * four inspection points per transaction, each time with a view of normalised buffers for the
 * rule engine. See docs/http.md for what is normalised, the limits and the anomaly flags. */
#ifndef HS_IPS_HTTP_PARSER_H
#define HS_IPS_HTTP_PARSER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ips_http_dir { IPS_HTTP_TO_SERVER = 0, IPS_HTTP_TO_CLIENT = 1 };

/* Result of ips_http_feed / ips_http_conn_close. */
enum ips_http_status {
    IPS_HTTP_OK = 0,      /* data accepted (possibly buffered until the other direction moves) */
    IPS_HTTP_TUNNEL = 1,  /* CONNECT succeeded or protocol switched: the bytes are no longer HTTP */
    IPS_HTTP_ERROR = -1,  /* unparseable stream or pending-buffer limit hit; the conn is dead */
};

/* Anomalies and flags of one transaction (struct ips_http_tx.anomalies). */
#define IPS_HTTP_A_DOUBLE_ENCODING     (1ULL << 0)  /* escapes left after one decode (path/query/form) */
#define IPS_HTTP_A_U_ENCODING          (1ULL << 1)  /* %uXXXX escape in the path or query */
#define IPS_HTTP_A_INVALID_ENCODING    (1ULL << 2)  /* bad %-escape in path, query or form */
#define IPS_HTTP_A_NUL_IN_URI          (1ULL << 3)  /* raw or encoded NUL in path or query */
#define IPS_HTTP_A_NUL_IN_HEADER       (1ULL << 4)  /* raw NUL in a header line */
#define IPS_HTTP_A_PATH_TRAVERSAL      (1ULL << 5)  /* ".." climbed above the root of the path */
#define IPS_HTTP_A_ENCODED_SEPARATOR   (1ULL << 6)  /* %2f / %5c in the path */
#define IPS_HTTP_A_OVERLONG            (1ULL << 7)  /* overlong UTF-8 or %u00XX in the path */
#define IPS_HTTP_A_INVALID_UTF8        (1ULL << 8)  /* invalid UTF-8 in the path */
#define IPS_HTTP_A_FULLWIDTH           (1ULL << 9)  /* %uFF00-%uFFEF (full-width) in the path */
#define IPS_HTTP_A_SMUGGLING           (1ULL << 10) /* Content-Length and Transfer-Encoding, or two C-L */
#define IPS_HTTP_A_INVALID_TE          (1ULL << 11) /* unusable Transfer-Encoding */
#define IPS_HTTP_A_INVALID_CL          (1ULL << 12) /* unusable Content-Length */
#define IPS_HTTP_A_HEADER_FOLDING      (1ULL << 13) /* obsolete line folding in the headers */
#define IPS_HTTP_A_INVALID_FOLDING     (1ULL << 14) /* folding without a header to continue */
#define IPS_HTTP_A_HEADER_INVALID      (1ULL << 15) /* unparseable or invalid header line */
#define IPS_HTTP_A_HEADER_REPEATED     (1ULL << 16) /* a header name occurs twice (values merged) */
#define IPS_HTTP_A_HEADERS_TOO_MANY    (1ULL << 17) /* libhtp header count limit reached */
#define IPS_HTTP_A_HOST_MISSING        (1ULL << 18) /* HTTP/1.1 request without Host */
#define IPS_HTTP_A_HOST_AMBIGUOUS      (1ULL << 19) /* Host header and absolute URI disagree */
#define IPS_HTTP_A_HOST_INVALID        (1ULL << 20) /* malformed host name */
#define IPS_HTTP_A_REQUEST_INVALID     (1ULL << 21) /* malformed request line / protocol */
#define IPS_HTTP_A_METHOD_CASE         (1ULL << 22) /* known method in non-canonical case ("gEt") */
#define IPS_HTTP_A_METHOD_UNKNOWN      (1ULL << 23) /* method libhtp does not know */
#define IPS_HTTP_A_HTTP09              (1ULL << 24) /* request without protocol (HTTP/0.9) */
#define IPS_HTTP_A_STATUS_INVALID      (1ULL << 25) /* malformed status line */
#define IPS_HTTP_A_REQ_BODY_TRUNCATED  (1ULL << 26) /* request body exceeded the inspection limit */
#define IPS_HTTP_A_RES_BODY_TRUNCATED  (1ULL << 27) /* response body exceeded the inspection limit */
#define IPS_HTTP_A_PARSER_ERROR        (1ULL << 28) /* libhtp logged an error for this transaction */
#define IPS_HTTP_A_PIPELINED           (1ULL << 29) /* flag: connection carries pipelined requests */
#define IPS_HTTP_A_DECOMPRESS_ERROR    (1ULL << 30) /* corrupt compressed response body */
#define IPS_HTTP_A_COUNT               31

/* A byte range inside parser-owned memory; never NULL (empty buffers point at ""). */
struct ips_http_buf {
    const uint8_t *ptr;
    size_t len;
};

/* One transaction as seen at an inspection point. Valid only during the callback. Buffers
 * not yet known at that point (e.g. the response during request callbacks) are empty. */
struct ips_http_tx {
    uint64_t index;                    /* 0-based transaction number on the connection */
    struct ips_http_buf request_line;  /* raw request line without CRLF */
    struct ips_http_buf method;        /* as sent (case kept) */
    struct ips_http_buf uri_raw;       /* request-target as sent */
    struct ips_http_buf uri;           /* normalised path, plus "?" and decoded query if any */
    struct ips_http_buf path;          /* normalised path only */
    struct ips_http_buf query_raw;     /* query string as sent (without '?') */
    struct ips_http_buf query;         /* query string, URL-decoded ('+' is a space) */
    struct ips_http_buf host;          /* host name, lowercase, without port (URI wins over Host) */
    struct ips_http_buf host_raw;      /* Host header value as sent */
    struct ips_http_buf user_agent;    /* User-Agent value */
    struct ips_http_buf cookie;        /* Cookie value(s); repeated headers joined by ", " */
    struct ips_http_buf headers;       /* "name: value\r\n" per header, names lowercase */
    struct ips_http_buf content_type;  /* request media type, lowercase, no parameters */
    struct ips_http_buf request_body;  /* de-chunked body, at most the configured limit */
    struct ips_http_buf request_form;  /* URL-decoded body for x-www-form-urlencoded, else empty */
    uint64_t request_body_seen;        /* de-chunked request body bytes seen so far */
    int request_protocol;              /* 9 (0.9), 100 (1.0), 101 (1.1); negative if invalid */
    bool request_complete;             /* the whole request was parsed */
    int status;                        /* response status, 0 before, -1 when unparseable */
    struct ips_http_buf stat_code;     /* status code as sent */
    struct ips_http_buf stat_msg;      /* reason phrase */
    struct ips_http_buf response_line; /* raw status line without CRLF */
    struct ips_http_buf response_headers;      /* like headers */
    struct ips_http_buf response_content_type; /* lowercase, no parameters */
    struct ips_http_buf response_body; /* de-chunked, decompressed, at most the limit */
    uint64_t response_body_seen;       /* response body bytes seen so far (after decoding) */
    bool response_complete;            /* the whole response was parsed */
    uint64_t anomalies;                /* IPS_HTTP_A_* */
};

/* Inspection-point callbacks; any may be NULL. They must not free or feed the connection. */
struct ips_http_callbacks {
    /* Request line and headers complete, before any body byte. Once per transaction. */
    void (*request_headers)(void *user, const struct ips_http_tx *tx);
    /* Each de-chunked piece of request body (also beyond the inspection limit). */
    void (*request_body_data)(void *user, const struct ips_http_tx *tx, const uint8_t *data,
                              size_t len);
    /* Request complete, or its body exceeded the limit (IPS_HTTP_A_REQ_BODY_TRUNCATED set,
     * request_complete false). Once per transaction, after request_headers. */
    void (*request_body)(void *user, const struct ips_http_tx *tx);
    /* Status line and response headers complete. Once per transaction. */
    void (*response_headers)(void *user, const struct ips_http_tx *tx);
    /* Each decoded piece of response body (also beyond the inspection limit). */
    void (*response_body_data)(void *user, const struct ips_http_tx *tx, const uint8_t *data,
                               size_t len);
    /* Response complete or body over the limit (IPS_HTTP_A_RES_BODY_TRUNCATED). Once. */
    void (*response_body)(void *user, const struct ips_http_tx *tx);
};

struct ips_http_cfg {
    size_t request_body_limit;   /* request body bytes kept for inspection */
    size_t response_body_limit;  /* response body bytes kept for inspection (after decoding) */
    size_t field_limit;          /* longest request/status/header line accepted */
    size_t pending_limit;        /* bytes buffered while one direction waits for the other */
    bool decompress_response;    /* gzip/deflate-decode response bodies */
};

/* Fill cfg with the defaults (1 MiB bodies, 16 KiB lines, 1 MiB pending, decompression on). */
void ips_http_cfg_init(struct ips_http_cfg *cfg);
/* New parser for one TCP connection; cfg NULL means defaults. Never returns NULL. */
struct ips_http_conn *ips_http_conn_new(const struct ips_http_cfg *cfg,
                                        const struct ips_http_callbacks *cb, void *user);
/* Feed in-order bytes of one direction; now_us is a wall-clock timestamp. */
enum ips_http_status ips_http_feed(struct ips_http_conn *c, enum ips_http_dir dir,
                                   const uint8_t *data, size_t len, uint64_t now_us);
/* The TCP connection ended: finish bodies delimited by close and fire pending callbacks. */
enum ips_http_status ips_http_conn_close(struct ips_http_conn *c, uint64_t now_us);
/* Release the parser (callbacks are not invoked). NULL is allowed. */
void ips_http_conn_free(struct ips_http_conn *c);
/* Short stable name of one anomaly bit ("double_encoding"), or NULL for an unknown bit. */
const char *ips_http_anomaly_name(uint64_t bit);

#endif
