/* rule_lexer.h - splitting a rule into header and options, and options into name/value pairs
 * (values may hold "quoted strings" with \" \; \\ escapes). Works in place on a mutable copy. */
#ifndef HS_IPS_RULE_LEXER_H
#define HS_IPS_RULE_LEXER_H

#include <stdbool.h>
#include <stddef.h>

struct ips_opt {
    char *name;    /* keyword, NUL-terminated */
    char *value;   /* raw value (trimmed, quotes and escapes kept), NULL when there was no ':' */
};

struct ips_lexer {
    char *p;       /* next unread character of the option text */
};

/* Split "HEADER (OPTIONS)" in place: *header and *opts point into rule. false with a reason. */
bool ips_lex_split(char *rule, char **header, char **opts, char *err, size_t errlen);
/* Next option: 1 with *opt filled, 0 at the end, -1 with a reason in err. */
int ips_lex_next(struct ips_lexer *lx, struct ips_opt *opt, char *err, size_t errlen);

#endif
