/* fuzz_mig_meta.c - the meta file that arrives with a peer agent's images (hs_mig_meta_parse):
 * a parse that succeeds must round-trip through hs_mig_meta_format. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mig/mig_criu.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct hs_mig_meta m, back;
    char err[256], text[HS_MIG_META_MAX];
    if (hs_mig_meta_parse((const char *)data, size, &m, err, sizeof err) != 0)
        return 0;
    if (!hs_mig_meta_format(&m, text, sizeof text) ||
        hs_mig_meta_parse(text, strlen(text), &back, err, sizeof err) != 0 ||
        memcmp(&m, &back, sizeof m) != 0)
        abort();
    return 0;
}
