/* fuzz_lab_ready.c - libFuzzer target: the controller's status answer as read by `lab up`
 * (hs_lab_ctl_ready) and the HTML escaping of service content (hs_lab_gen_index_html). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "lab/lab_gen.h"
#include "lab/lab_ready.h"
#include "topo_fixture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    struct hs_topology *t = fixture_topology();
    size_t n = 0;
    char err[256];
    int r = hs_lab_ctl_ready(t, text, &n, err, sizeof err);
    if (r < -1 || r > 1 || n > t->n_switches || (r == 1 && n != t->n_switches))
        abort();
    if (r == -1 && memchr(err, '\0', sizeof err) == NULL)
        abort();

    struct hs_service *s = &t->hosts[2].services[0];
    hs_strlcpy(s->content, text, sizeof s->content);
    struct hs_buf b = HS_BUF_INIT;
    hs_lab_gen_index_html("web", s, &b);
    /* the content must not be able to open markup of its own */
    const char *p = strstr((const char *)b.data, "<p>");
    const char *q = p ? strstr(p, "</p>") : NULL;
    if (!p || !q)
        abort();
    for (const char *c = p + 3; c < q; c++)
        if (*c == '<' || *c == '>' || *c == '"')
            abort();
    hs_buf_free(&b);
    fixture_free(t);
    free(text);
    return 0;
}
