/* lab_target.c - which topology a lab command acts on. */
#include "lab/lab.h"
#include "common/util.h"
#include "lab/lab_fs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HS_RUN_ROOT "/run/honeyshift"

static bool valid_lab_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= HS_NAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && i > 0);
        if (!ok)
            return false;
    }
    return true;
}

static int parse_text(char *text, size_t len, const char *name, struct hs_lab_target *out,
                      char *err, size_t err_size)
{
    struct hs_cfg_err cerr;
    memset(&cerr, 0, sizeof cerr);
    if (hs_topology_parse(text, len, name, &out->topo, &cerr) != 0) {
        snprintf(err, err_size, "%s", cerr.msg[0] ? cerr.msg : "invalid topology");
        free(text);
        return -1;
    }
    out->yaml = text;
    out->yaml_len = len;
    hs_strlcpy(out->source, name, sizeof out->source);
    return 0;
}

static int load_file(const char *path, struct hs_lab_target *out, char *err, size_t err_size)
{
    size_t len;
    char *text = hs_lab_read_file(path, HS_TOPOLOGY_MAX_FILE, &len);
    if (!text) {
        snprintf(err, err_size, "%s: %s", path,
                 errno == EFBIG ? "file larger than 1 MiB" : strerror(errno));
        return -1;
    }
    return parse_text(text, len, path, out, err, err_size);
}

static int load_default(struct hs_lab_target *out, char *err, size_t err_size)
{
    size_t len = strlen(hs_default_topology_yaml);
    char *text = xmalloc(len + 1);
    memcpy(text, hs_default_topology_yaml, len + 1);
    if (parse_text(text, len, "<built-in default topology>", out, err, err_size) != 0)
        return -1;
    return 0;
}

/* The copy a running lab keeps in its state dir (default location). 1 found, 0 absent. */
static int load_state_copy(const char *lab, struct hs_lab_target *out, char *err,
                           size_t err_size)
{
    char path[HS_PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s/topology.yaml", HS_RUN_ROOT, lab);
    FILE *f = fopen(path, "re");
    if (!f)
        return 0;
    fclose(f);
    return load_file(path, out, err, err_size) == 0 ? 1 : -1;
}

static void make_bare(const char *lab, struct hs_lab_target *out)
{
    out->topo = xcalloc(1, sizeof *out->topo);
    out->bare = true;
    hs_strlcpy(out->topo->lab, lab, sizeof out->topo->lab);
    snprintf(out->topo->state_dir, sizeof out->topo->state_dir, "%s/%s", HS_RUN_ROOT, lab);
    snprintf(out->topo->path, sizeof out->topo->path, "<lab %s>", lab);
    snprintf(out->source, sizeof out->source, "lab %s (no topology file known)", lab);
}

int hs_lab_target_resolve(const char *file, const char *lab, enum hs_lab_purpose purpose,
                          struct hs_lab_target *out, char *err, size_t err_size)
{
    memset(out, 0, sizeof *out);
    if (file)
        return load_file(file, out, err, err_size);
    if (lab && !valid_lab_name(lab)) {
        snprintf(err, err_size, "'%s' is not a lab name ([a-z0-9][a-z0-9-]*, at most 15)", lab);
        return -1;
    }
    if (purpose == HS_LAB_FOR_UP && !lab)
        return load_default(out, err, err_size);

    struct hs_lab_target def;
    memset(&def, 0, sizeof def);
    if (load_default(&def, err, err_size) != 0)
        return -1;
    const char *name = lab ? lab : def.topo->lab;
    char cerr[512];
    int r = load_state_copy(name, out, cerr, sizeof cerr);
    if (r == 1) {
        hs_lab_target_free(&def);
        return 0;
    }
    if (r < 0 && purpose != HS_LAB_FOR_DOWN) {
        hs_lab_target_free(&def);
        snprintf(err, err_size, "%s", cerr);
        return -1;
    }
    memset(out, 0, sizeof *out);
    if (!strcmp(def.topo->lab, name)) {
        *out = def;
        return 0;
    }
    hs_lab_target_free(&def);
    if (purpose == HS_LAB_FOR_DOWN) {
        make_bare(name, out);
        return 0;
    }
    snprintf(err, err_size,
             "lab '%s' is not known here (no %s/%s/topology.yaml): give its topology file",
             name, HS_RUN_ROOT, name);
    return -1;
}

void hs_lab_target_free(struct hs_lab_target *tg)
{
    if (tg->bare)
        free(tg->topo);
    else
        hs_topology_free(tg->topo);
    free(tg->yaml);
    memset(tg, 0, sizeof *tg);
}
