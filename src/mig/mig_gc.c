/* mig_gc.c - the garbage collector's decisions (pure, see mig_gc.h). */
#include "mig/mig_gc.h"
#include "common/util.h"

#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>

bool hs_mig_gc_state_live(uint8_t state)
{
    switch (state) {
    case TCP_ESTABLISHED:
    case TCP_SYN_SENT:
    case TCP_SYN_RECV:
    case TCP_FIN_WAIT1:
    case TCP_FIN_WAIT2:
    case TCP_CLOSING:
        return true;
    default:
        return false;
    }
}

bool hs_mig_gc_holds_live(const uint64_t *inodes, size_t n_inodes,
                          const struct hs_mig_diag_sock *socks, size_t n_socks,
                          uint32_t client_ip)
{
    for (size_t i = 0; i < n_socks; i++) {
        const struct hs_mig_diag_sock *s = &socks[i];
        if (s->t.remote_ip != client_ip || !hs_mig_gc_state_live(s->state) || s->inode == 0)
            continue;
        for (size_t j = 0; j < n_inodes; j++)
            if (inodes[j] == s->inode)
                return true;
    }
    return false;
}

static bool id_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '-';
}

bool hs_mig_gc_parse_name(const char *name, uint32_t *client_ip, char id[HS_MIG_GC_ID_MAX])
{
    if (strncmp(name, "nest-", 5) != 0)
        return false;
    const char *ip = name + 5;
    const char *dash = strchr(ip, '-');
    size_t len = strlen(name);
    if (!dash || len < 4 || strcmp(name + len - 4, ".pid") != 0)
        return false;
    char ipbuf[16];
    size_t il = (size_t)(dash - ip);
    if (il == 0 || il >= sizeof ipbuf)
        return false;
    memcpy(ipbuf, ip, il);
    ipbuf[il] = '\0';
    if (!hs_parse_ipv4(ipbuf, client_ip))
        return false;
    const char *s = dash + 1, *e = name + len - 4;
    if (e <= s || (size_t)(e - s) >= HS_MIG_GC_ID_MAX)
        return false;
    for (const char *p = s; p < e; p++)
        if (!id_char(*p))
            return false;
    memcpy(id, s, (size_t)(e - s));
    id[e - s] = '\0';
    return true;
}

void hs_mig_gc_init(struct hs_mig_gc *gc, uint64_t grace_ms)
{
    memset(gc, 0, sizeof *gc);
    gc->grace_ms = grace_ms;
}

static struct hs_mig_gc_entry *find(struct hs_mig_gc_entry *e, size_t n, uint32_t ip,
                                    const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (e[i].client_ip == ip && !strcmp(e[i].id, id))
            return &e[i];
    return NULL;
}

size_t hs_mig_gc_update(struct hs_mig_gc *gc, const struct hs_mig_gc_obs *obs, size_t n,
                        uint64_t now_ms, bool *reap, uint64_t *idle_ms)
{
    struct hs_mig_gc_entry next[HS_MIG_GC_MAX_NESTS]; /* ~20 KiB */
    size_t nn = 0, n_reap = 0;
    for (size_t i = 0; i < n; i++) {
        reap[i] = false;
        if (idle_ms)
            idle_ms[i] = 0;
        if (find(next, nn, obs[i].client_ip, obs[i].id))
            continue; /* listed twice: the first one counts */
        if (nn == HS_MIG_GC_MAX_NESTS)
            continue;
        struct hs_mig_gc_entry *old = find(gc->e, gc->n, obs[i].client_ip, obs[i].id);
        struct hs_mig_gc_entry *cur = &next[nn++];
        *cur = old ? *old : (struct hs_mig_gc_entry){.client_ip = obs[i].client_ip};
        if (!old)
            memcpy(cur->id, obs[i].id, sizeof cur->id);
        if (obs[i].live) {
            cur->quiet = false;
        } else if (!cur->quiet || cur->quiet_ms > now_ms) {
            cur->quiet = true;
            cur->quiet_ms = now_ms;
        }
        uint64_t idle = cur->quiet ? now_ms - cur->quiet_ms : 0;
        if (idle_ms)
            idle_ms[i] = idle;
        if (idle >= gc->grace_ms) {
            reap[i] = true;
            n_reap++;
        }
    }
    memcpy(gc->e, next, nn * sizeof next[0]);
    gc->n = nn;
    return n_reap;
}

static int cmp_newest_first(const void *a, const void *b, void *ctx)
{
    const struct hs_mig_gc_file *f = ctx;
    const struct hs_mig_gc_file *x = &f[*(const size_t *)a], *y = &f[*(const size_t *)b];
    if (x->mtime != y->mtime)
        return x->mtime > y->mtime ? -1 : 1;
    return -strcmp(x->name, y->name);
}

size_t hs_mig_gc_keep_newest(const struct hs_mig_gc_file *f, size_t n, size_t keep, bool *del)
{
    for (size_t i = 0; i < n; i++)
        del[i] = false;
    if (n <= keep)
        return 0;
    size_t *idx = xcalloc(n, sizeof *idx);
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    /* insertion sort: a few dozen files; qsort has no context argument in C17 */
    for (size_t i = 1; i < n; i++) {
        size_t v = idx[i], j = i;
        while (j > 0 && cmp_newest_first(&v, &idx[j - 1], (void *)f) < 0) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = v;
    }
    for (size_t i = keep; i < n; i++)
        del[idx[i]] = true;
    free(idx);
    return n - keep;
}

size_t hs_mig_gc_older(const struct hs_mig_gc_file *f, size_t n, int64_t now_s, int64_t max_age_s,
                       bool *del)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        del[i] = now_s - f[i].mtime > max_age_s;
        k += del[i];
    }
    return k;
}
