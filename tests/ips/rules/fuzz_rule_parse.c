/* fuzz_rule_parse.c - libFuzzer target: parse the input as a rules file from memory; when it
 * loads, match a small transaction built from the same bytes against it; free everything. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "ips/rules/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *err = NULL;
    struct ips_ruleset *rs = ips_ruleset_load_string((const char *)data, size, "fuzz", NULL, &err);
    if (!rs) {
        if (!err)
            abort();   /* a failed load must say why */
        free(err);
        return 0;
    }
    if (err)
        abort();
    struct ips_txn t;
    ips_txn_init(&t);
    t.ip_proto = 6;
    t.app_http = true;
    t.established = true;
    for (int b = 0; b < IPS_BUF_COUNT; b++)
        ips_txn_set(&t, (enum ips_buf_id)b, data, size);
    (void)ips_match(rs, NULL, &t, NULL, NULL, NULL);
    t.dir = IPS_DIR_TO_CLIENT;
    (void)ips_match(rs, NULL, &t, NULL, NULL, NULL);
    ips_ruleset_free(rs);
    return 0;
}
