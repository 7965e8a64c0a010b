#!/usr/bin/env bash
# run-fuzz.sh TARGET SEED_DIR SECONDS - run a libFuzzer target for a bounded time on a copy of
# its seed corpus. New inputs go to a temporary directory that is removed afterwards; a crashing
# input is kept in ${HS_FUZZ_ARTIFACTS:-/tmp/hs-fuzz-artifacts}. The seed is fixed (HS_FUZZ_SEED,
# default 1) so a suite run explores the same inputs every time; for longer, exploring runs:
#   HS_FUZZ_SEED=0 HS_FUZZ_SECONDS=600 tests/run-fuzz.sh build/test/tests/fuzz_X tests/X/corpus/fuzz_X
# (seed 0 lets libFuzzer pick one).
set -uo pipefail
target=$(readlink -f "$1") seeds=$(readlink -f "$2") secs=${HS_FUZZ_SECONDS:-$3}
work=$(mktemp -d /tmp/hs-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus"
if [ -d "$seeds" ]; then cp -r "$seeds"/. "$work/corpus/" 2>/dev/null || true; fi
cd "$work"
"$target" -seed="${HS_FUZZ_SEED:-1}" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$work/" corpus
rc=$?
if [ $rc -ne 0 ]; then
  keep=${HS_FUZZ_ARTIFACTS:-/tmp/hs-fuzz-artifacts}
  mkdir -p "$keep"
  cp "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* "$keep"/ 2>/dev/null || true
  echo "run-fuzz: $(basename "$target") failed (rc=$rc); artifacts in $keep" >&2
fi
exit $rc
