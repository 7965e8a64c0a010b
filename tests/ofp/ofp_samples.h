/* ofp_samples.h - one or more sample messages of every type the codec supports, shared by the
 * unit tests and the fuzz seed generator; and a field-by-field message comparison. */
#ifndef HS_TESTS_OFP_SAMPLES_H
#define HS_TESTS_OFP_SAMPLES_H

#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"
#include "common/util.h"
#include "ofp/ofp.h"

/* Fill *m with sample i (multipart reply bodies are built in *body, which must outlive *m).
 * Returns the sample's name, or NULL when i is past the last sample. */
const char *ofp_sample(size_t i, struct ofp_msg *m, struct hs_buf *body);
/* A match using every field we represent, masks on the maskable ones. */
void ofp_sample_full_match(struct ofp_match *m);
/* True when a and b are the same message (header, every body field, data bytes, and every
 * multipart entry); on a difference, why names it. */
bool ofp_msg_same(const struct ofp_msg *a, const struct ofp_msg *b, const char **why);

#endif
