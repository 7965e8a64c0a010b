/* http_norm.c - pure normalisation helpers: path folding, escape detection, method case,
 * header-folding detection. */
#include "ips/http/http_norm.h"

#include <string.h>
#include <strings.h>

size_t ips_http_path_fold(uint8_t *p, size_t len, bool *above_root)
{
    bool rooted = len > 0 && p[0] == '/';
    size_t base = rooted ? 1 : 0; /* the leading '/' is never removed */
    size_t w = base, i = base;
    bool trailing = false;

    *above_root = false;
    /* Invariant: w <= i, and w < start of the next segment when w > base, so the output
     * (written at w) never overtakes the input (read at i). */
    while (i < len) {
        while (i < len && p[i] == '/')
            i++;
        if (i >= len) {
            trailing = true;
            break;
        }
        size_t s = i;
        while (i < len && p[i] != '/')
            i++;
        size_t n = i - s;
        if (n == 1 && p[s] == '.') {
            trailing = true;
            continue;
        }
        if (n == 2 && p[s] == '.' && p[s + 1] == '.') {
            if (w > base) {
                while (w > base && p[w - 1] != '/')
                    w--;
                if (w > base)
                    w--; /* the separator in front of the dropped segment */
            } else {
                *above_root = true;
            }
            trailing = true;
            continue;
        }
        if (w > base)
            p[w++] = '/';
        memmove(p + w, p + s, n);
        w += n;
        trailing = false;
    }
    if (trailing && w > base && p[w - 1] != '/')
        p[w++] = '/';
    return w;
}

static bool is_hex(uint8_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool u_escape_at(const uint8_t *p, size_t len, size_t i)
{
    return i + 5 < len && p[i] == '%' && (p[i + 1] == 'u' || p[i + 1] == 'U') && is_hex(p[i + 2]) &&
           is_hex(p[i + 3]) && is_hex(p[i + 4]) && is_hex(p[i + 5]);
}

bool ips_http_has_escape(const uint8_t *p, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (p[i] != '%')
            continue;
        if (i + 2 < len && is_hex(p[i + 1]) && is_hex(p[i + 2]))
            return true;
        if (u_escape_at(p, len, i))
            return true;
    }
    return false;
}

bool ips_http_has_u_escape(const uint8_t *p, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (u_escape_at(p, len, i))
            return true;
    return false;
}

void ips_http_backslash_to_slash(uint8_t *p, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (p[i] == '\\')
            p[i] = '/';
}

void ips_http_lower(uint8_t *p, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (p[i] >= 'A' && p[i] <= 'Z')
            p[i] = (uint8_t)(p[i] - 'A' + 'a');
}

/* The methods libhtp 0.5 recognises (htp_convert_method_to_number), exact spelling. */
static const char *const known_methods[] = {
    "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "PROPFIND",
    "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "VERSION-CONTROL", "CHECKOUT",
    "UNCHECKOUT", "CHECKIN", "UPDATE", "LABEL", "REPORT", "MKWORKSPACE", "MKACTIVITY",
    "BASELINE-CONTROL", "MERGE",
};

enum ips_http_method_class ips_http_method_classify(const uint8_t *m, size_t len)
{
    enum ips_http_method_class best = IPS_HTTP_METHOD_UNKNOWN;
    for (size_t i = 0; i < sizeof known_methods / sizeof known_methods[0]; i++) {
        const char *k = known_methods[i];
        if (strlen(k) != len)
            continue;
        if (memcmp(k, m, len) == 0)
            return IPS_HTTP_METHOD_KNOWN;
        if (strncasecmp(k, (const char *)m, len) == 0)
            best = IPS_HTTP_METHOD_CASE;
    }
    return best;
}

enum { FS_FIRST = 0, FS_IN_LINE, FS_LINE_START, FS_CR_AT_START, FS_END };

void ips_http_fold_scan(struct ips_http_fold_scan *s, const uint8_t *p, size_t len)
{
    for (size_t i = 0; i < len && s->state != FS_END; i++) {
        if (s->state == FS_IN_LINE) { /* only a line end matters: jump to it */
            const uint8_t *nl = memchr(p + i, '\n', len - i);
            if (!nl)
                return;
            i = (size_t)(nl - p);
        }
        uint8_t c = p[i];
        switch (s->state) {
        case FS_FIRST:
        case FS_LINE_START:
            if (c == ' ' || c == '\t') {
                s->folded = true;
                s->state = FS_IN_LINE;
            } else if (c == '\r') {
                s->state = FS_CR_AT_START;
            } else if (c == '\n') {
                s->state = FS_END;
            } else {
                s->state = FS_IN_LINE;
            }
            break;
        case FS_CR_AT_START:
            s->state = c == '\n' ? FS_END : FS_IN_LINE;
            break;
        default: /* FS_IN_LINE */
            if (c == '\n')
                s->state = FS_LINE_START;
            break;
        }
    }
}
