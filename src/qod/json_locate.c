/* json_locate.c - re-scan JSON text along a key/index path to report line:column. */
#include "qod/json_locate.h"

#include "common/buf.h"
#include "common/util.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct scan {
    const char *s;
    size_t len, i;
};

static bool at(const struct scan *sc, char c) { return sc->i < sc->len && sc->s[sc->i] == c; }

static void skip_ws(struct scan *sc)
{
    while (sc->i < sc->len) {
        char c = sc->s[sc->i];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        sc->i++;
    }
}

/* At '"': move past the closing quote. */
static bool skip_string(struct scan *sc)
{
    sc->i++;
    while (sc->i < sc->len) {
        char c = sc->s[sc->i++];
        if (c == '\\') {
            if (sc->i >= sc->len)
                return false;
            sc->i++;
        } else if (c == '"') {
            return true;
        }
    }
    return false;
}

static bool is_delim(char c)
{
    return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Skip one value (after whitespace). */
static bool skip_value(struct scan *sc)
{
    skip_ws(sc);
    if (sc->i >= sc->len)
        return false;
    char c = sc->s[sc->i];
    if (c == '"')
        return skip_string(sc);
    if (c == '{' || c == '[') {
        size_t depth = 0;
        while (sc->i < sc->len) {
            c = sc->s[sc->i];
            if (c == '"') {
                if (!skip_string(sc))
                    return false;
                continue;
            }
            if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (--depth == 0) {
                    sc->i++;
                    return true;
                }
            }
            sc->i++;
        }
        return false;
    }
    size_t start = sc->i;
    while (sc->i < sc->len && !is_delim(sc->s[sc->i]))
        sc->i++;
    return sc->i > start;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool read_hex4(struct scan *sc, uint32_t *out)
{
    if (sc->len - sc->i < 4)
        return false;
    uint32_t v = 0;
    for (int k = 0; k < 4; k++) {
        int h = hexval(sc->s[sc->i + (size_t)k]);
        if (h < 0)
            return false;
        v = v << 4 | (uint32_t)h;
    }
    sc->i += 4;
    *out = v;
    return true;
}

static void put_utf8(struct hs_buf *b, uint32_t cp)
{
    if (cp < 0x80) {
        hs_buf_put_u8(b, (uint8_t)cp);
    } else if (cp < 0x800) {
        hs_buf_put_u8(b, (uint8_t)(0xC0 | cp >> 6));
        hs_buf_put_u8(b, (uint8_t)(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        hs_buf_put_u8(b, (uint8_t)(0xE0 | cp >> 12));
        hs_buf_put_u8(b, (uint8_t)(0x80 | (cp >> 6 & 0x3F)));
        hs_buf_put_u8(b, (uint8_t)(0x80 | (cp & 0x3F)));
    } else {
        hs_buf_put_u8(b, (uint8_t)(0xF0 | cp >> 18));
        hs_buf_put_u8(b, (uint8_t)(0x80 | (cp >> 12 & 0x3F)));
        hs_buf_put_u8(b, (uint8_t)(0x80 | (cp >> 6 & 0x3F)));
        hs_buf_put_u8(b, (uint8_t)(0x80 | (cp & 0x3F)));
    }
}

/* At '"': decode the string (escapes to UTF-8) into b and move past it. */
static bool decode_string(struct scan *sc, struct hs_buf *b)
{
    hs_buf_clear(b);
    sc->i++;
    while (sc->i < sc->len) {
        char c = sc->s[sc->i++];
        if (c == '"')
            return true;
        if (c != '\\') {
            hs_buf_put_u8(b, (uint8_t)c);
            continue;
        }
        if (sc->i >= sc->len)
            return false;
        c = sc->s[sc->i++];
        uint32_t cp;
        switch (c) {
        case 'b': cp = '\b'; break;
        case 'f': cp = '\f'; break;
        case 'n': cp = '\n'; break;
        case 'r': cp = '\r'; break;
        case 't': cp = '\t'; break;
        case 'u':
            if (!read_hex4(sc, &cp))
                return false;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                uint32_t lo;
                if (sc->len - sc->i < 2 || sc->s[sc->i] != '\\' || sc->s[sc->i + 1] != 'u')
                    return false;
                sc->i += 2;
                if (!read_hex4(sc, &lo) || lo < 0xDC00 || lo > 0xDFFF)
                    return false;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            }
            break;
        default: cp = (uint8_t)c; break; /* \" \\ \/ */
        }
        put_utf8(b, cp);
    }
    return false;
}

/* At '{': find member key; leaves sc at its value. *key_off gets the key's offset. */
static bool find_member(struct scan *sc, const char *key, struct hs_buf *tmp, size_t *key_off)
{
    size_t klen = strlen(key);
    sc->i++;
    for (;;) {
        skip_ws(sc);
        if (!at(sc, '"'))
            return false;
        *key_off = sc->i;
        if (!decode_string(sc, tmp))
            return false;
        skip_ws(sc);
        if (!at(sc, ':'))
            return false;
        sc->i++;
        skip_ws(sc);
        if (tmp->len == klen && (klen == 0 || memcmp(tmp->data, key, klen) == 0))
            return true;
        if (!skip_value(sc))
            return false;
        skip_ws(sc);
        if (!at(sc, ','))
            return false;
        sc->i++;
    }
}

/* At '[': move to element index. */
static bool find_element(struct scan *sc, size_t index)
{
    sc->i++;
    skip_ws(sc);
    if (at(sc, ']'))
        return false;
    for (size_t k = 0; k < index; k++) {
        if (!skip_value(sc))
            return false;
        skip_ws(sc);
        if (!at(sc, ','))
            return false;
        sc->i++;
    }
    skip_ws(sc);
    return sc->i < sc->len;
}

bool qod_json_locate(const char *text, size_t len, const struct qod_jseg *path, size_t depth,
                     bool at_key, size_t *offset)
{
    struct scan sc = {text, len, 0};
    struct hs_buf tmp = HS_BUF_INIT;
    bool ok = true;
    size_t key_off = 0;
    skip_ws(&sc);
    for (size_t d = 0; d < depth && ok; d++) {
        if (path[d].key)
            ok = at(&sc, '{') && find_member(&sc, path[d].key, &tmp, &key_off);
        else
            ok = at(&sc, '[') && find_element(&sc, path[d].index);
    }
    hs_buf_free(&tmp);
    if (!ok || sc.i >= len)
        return false;
    *offset = at_key && depth > 0 && path[depth - 1].key ? key_off : sc.i;
    return true;
}

void qod_json_linecol(const char *text, size_t len, size_t offset, size_t *line, size_t *col)
{
    size_t l = 1, c = 1;
    for (size_t j = 0; j < offset && j < len; j++) {
        if (text[j] == '\n') {
            l++;
            c = 1;
        } else if (((uint8_t)text[j] & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

static bool is_ident(const char *k)
{
    if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') || *k == '_'))
        return false;
    for (; *k; k++)
        if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') || (*k >= '0' && *k <= '9') ||
              *k == '_'))
            return false;
    return true;
}

static void put_str(struct hs_buf *b, const char *s) { hs_buf_put(b, s, strlen(s)); }

char *qod_json_path_str(const struct qod_jseg *path, size_t depth)
{
    struct hs_buf b = HS_BUF_INIT;
    char tmp[32];
    if (depth == 0)
        put_str(&b, "top level");
    for (size_t d = 0; d < depth; d++) {
        const char *k = path[d].key;
        if (!k) {
            snprintf(tmp, sizeof tmp, "[%zu]", path[d].index);
            put_str(&b, tmp);
        } else if (is_ident(k)) {
            if (d > 0)
                put_str(&b, ".");
            put_str(&b, k);
        } else {
            put_str(&b, "[\"");
            for (; *k; k++) {
                uint8_t c = (uint8_t)*k;
                if (c == '"' || c == '\\') {
                    hs_buf_put_u8(&b, '\\');
                    hs_buf_put_u8(&b, c);
                } else if (c < 0x20 || c == 0x7F) {
                    snprintf(tmp, sizeof tmp, "\\u%04x", c);
                    put_str(&b, tmp);
                } else {
                    hs_buf_put_u8(&b, c);
                }
            }
            put_str(&b, "\"]");
        }
    }
    hs_buf_put_u8(&b, 0);
    return (char *)b.data;
}
