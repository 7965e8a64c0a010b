/* ofp_errors.c - names and explanations of OpenFlow 1.3 error types and codes, from
 * ofp-errors.def. */
#include "ofp/ofp_internal.h"

#include <stdio.h>
#include <string.h>

struct err_type { uint16_t type; const char *name, *text; };
struct err_code { uint16_t type, code; const char *name, *text; };

static const struct err_type err_types[] = {
#define OFP_ERR_TYPE(type, name, text) {type, name, text},
#include "ofp/ofp-errors.def"
};

static const struct err_code err_codes[] = {
#define OFP_ERR_CODE(type, prefix, name, value, text) {type, value, #name, text},
#include "ofp/ofp-errors.def"
};

static const struct err_type *find_type(uint16_t type)
{
    for (size_t i = 0; i < HS_ARRAY_SIZE(err_types); i++)
        if (err_types[i].type == type)
            return &err_types[i];
    return NULL;
}

static const struct err_code *find_code(uint16_t type, uint16_t code)
{
    for (size_t i = 0; i < HS_ARRAY_SIZE(err_codes); i++)
        if (err_codes[i].type == type && err_codes[i].code == code)
            return &err_codes[i];
    return NULL;
}

const char *ofp_error_type_name(uint16_t type)
{
    const struct err_type *t = find_type(type);
    return t ? t->name : "UNKNOWN";
}

const char *ofp_error_code_name(uint16_t type, uint16_t code)
{
    const struct err_code *c = find_code(type, code);
    return c ? c->name : "UNKNOWN";
}

const char *ofp_error_code_text(uint16_t type, uint16_t code)
{
    const struct err_code *c = find_code(type, code);
    if (c)
        return c->text;
    const struct err_type *t = find_type(type);
    if (type == OFPET_EXPERIMENTER)
        return t->text;
    return t ? "unknown error code" : "unknown error type";
}

char *ofp_error_format(uint16_t type, uint16_t code, char *buf, size_t size)
{
    if (size == 0)
        return buf;
    const struct err_type *t = find_type(type);
    const struct err_code *c = find_code(type, code);
    bool fit;
    if (c)
        fit = hs_snprintf(buf, size, "%s/%s: %s", t->name, c->name, c->text);
    else if (t)
        fit = hs_snprintf(buf, size, "%s/%u: %s", t->name, code, ofp_error_code_text(type, code));
    else
        fit = hs_snprintf(buf, size, "type %u/code %u: unknown error type", type, code);
    if (!fit && size >= 4)
        memcpy(buf + size - 4, "...", 4);
    return buf;
}
