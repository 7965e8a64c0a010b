/* criu_kdat.h - CRIU's kernel-feature cache (/run/criu.kdat) on a machine whose /run is not a
 * tmpfs (used by the migration agent and by sandnet's clones). */
#ifndef HS_COMMON_CRIU_KDAT_H
#define HS_COMMON_CRIU_KDAT_H

#include <stdbool.h>
#include <stddef.h>

/* Install CRIU's kernel-feature cache as /run/criu.kdat (criu: path of the criu binary), so
 * that every later CRIU run loads it instead of probing the kernel (25-70 ms per run here).
 * Nothing to do when /run is a tmpfs (CRIU keeps the cache there itself). 0 on success, -1
 * with a message in err when it failed (CRIU then just probes on every run). */
int hs_criu_kdat_prepare(const char *criu, char *err, size_t err_size);
/* True when /run/criu.kdat exists and was written after this boot and after the criu binary
 * was last changed (so it describes this kernel and this CRIU), or when /run is a tmpfs. */
bool hs_criu_kdat_fresh(const char *criu);

#endif
