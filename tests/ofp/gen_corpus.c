/* gen_corpus.c - writes the fuzz seed corpus from the encoders: every sample message, a stream
 * of several, and a few invalid inputs. Usage: ofp_gen_corpus DIR (write) or
 * ofp_gen_corpus --check DIR (exit 1 when the committed files differ from what it would write). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofp_samples.h"

static int check_mode;
static int problems;

static void emit(const char *dir, const char *name, const uint8_t *p, size_t n)
{
    char path[4096];
    if (!hs_snprintf(path, sizeof path, "%s/%s", dir, name)) {
        fprintf(stderr, "path too long: %s/%s\n", dir, name);
        problems++;
        return;
    }
    if (check_mode) {
        FILE *f = fopen(path, "rb");
        uint8_t *got = malloc(n + 1);
        size_t r = f && got ? fread(got, 1, n + 1, f) : 0;
        if (!f || !got || r != n || (n && memcmp(got, p, n) != 0)) {
            fprintf(stderr, "corpus file %s is missing or stale (regenerate with ofp_gen_corpus)\n",
                    path);
            problems++;
        }
        free(got);
        if (f)
            fclose(f);
        return;
    }
    FILE *f = fopen(path, "wb");
    if (!f || (n && fwrite(p, 1, n, f) != n) || fclose(f) != 0) {
        perror(path);
        problems++;
    }
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--check") == 0)
        check_mode = 1;
    else if (argc != 2) {
        fprintf(stderr, "usage: %s [--check] DIR\n", argv[0]);
        return 2;
    }
    const char *dir = argv[argc - 1];
    struct hs_buf body = HS_BUF_INIT, out = HS_BUF_INIT, stream = HS_BUF_INIT;
    struct ofp_msg m;
    const char *name;
    char file[64];
    for (size_t i = 0; (name = ofp_sample(i, &m, &body)) != NULL; i++) {
        hs_buf_clear(&out);
        if (ofp_encode(&m, &out) != OFP_OK) {
            fprintf(stderr, "sample %s does not encode\n", name);
            return 1;
        }
        hs_snprintf(file, sizeof file, "%s.bin", name);
        emit(dir, file, out.data, out.len);
        if (i == 0 || i == 6 || i == 10 || i == 25 || i == 3)
            hs_buf_put(&stream, out.data, out.len);
        if (i == 14) {
            /* invalid variants of the FLOW_MOD: truncated, bad version, garbage OXM field */
            size_t n = out.len;
            hs_st16(out.data + 2, (uint16_t)(n - 5));
            emit(dir, "bad_flow_mod_truncated.bin", out.data, n - 5);
            hs_st16(out.data + 2, (uint16_t)n);
            out.data[0] = 1;
            emit(dir, "bad_flow_mod_version.bin", out.data, n);
            out.data[0] = 4;
            out.data[48 + 4 + 2] = 0x0c; /* first OXM becomes vlan_vid */
            emit(dir, "bad_flow_mod_oxm.bin", out.data, n);
        }
    }
    emit(dir, "stream.bin", stream.data, stream.len);
    /* 17 output actions in a PACKET_OUT */
    uint8_t po[24 + 17 * 16] = {4, OFPT_PACKET_OUT, 0, 0, 0, 0, 0, 1};
    hs_st16(po + 2, sizeof po);
    hs_st16(po + 16, 17 * 16);
    for (int i = 0; i < 17; i++) {
        hs_st16(po + 24 + i * 16 + 2, 16);
        hs_st32(po + 24 + i * 16 + 4, (uint32_t)i);
    }
    emit(dir, "bad_packet_out_too_many.bin", po, sizeof po);
    static const uint8_t short_len[8] = {4, 0, 0, 4, 0, 0, 0, 0};
    emit(dir, "bad_header_len.bin", short_len, sizeof short_len);
    hs_buf_free(&body);
    hs_buf_free(&out);
    hs_buf_free(&stream);
    return problems ? 1 : 0;
}
