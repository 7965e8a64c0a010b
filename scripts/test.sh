#!/usr/bin/env bash
# honeyshift: the whole test suite. Sets the machine up (scripts/setup.sh), builds with clang
# under AddressSanitizer + UBSan with the libFuzzer targets, then runs every suite:
#   unit         pure modules (codecs, parsers, policy, metrics), no root needed
#   fuzz         each libFuzzer target for a bounded time on its seed corpus
#   integration  real Open vSwitch, namespaces, nginx, the controller (root)
# Ends with one line "N passed, N failed". Exit 0 only when nothing failed.
# Environment: HS_TEST_BUILD (build dir, default build/test), HS_FUZZ_SECONDS (default 20),
#              HS_TEST_SUITES (e.g. "unit fuzz"; default all).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BUILD=${HS_TEST_BUILD:-$ROOT/build/test}

bash scripts/setup.sh || { echo "0 passed, 1 failed"; exit 1; }
export PATH="$ROOT/.deps/criu/sbin:$PATH"

opts=(-Db_sanitize=address,undefined -Db_lundef=false -Dfuzz=true
      "-Dc_args=-fno-sanitize-recover=all -fno-omit-frame-pointer")
if [ -f "$BUILD/build.ninja" ]; then
  CC=clang meson configure "$BUILD" "${opts[@]}" >/dev/null || true
else
  CC=clang meson setup "$BUILD" "${opts[@]}" >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
fi
if ! ninja -C "$BUILD" >"$BUILD/ninja.log" 2>&1; then
  tail -n 40 "$BUILD/ninja.log"
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
suites=()
for s in ${HS_TEST_SUITES:-unit fuzz integration}; do suites+=(--suite "$s"); done
rm -f "$BUILD/meson-logs/testlog.json"
meson test -C "$BUILD" --print-errorlogs --num-processes 2 "${suites[@]}"
rc=$?

read -r passed failed < <(python3 - "$BUILD/meson-logs/testlog.json" <<'PY'
import json, sys
p = f = 0
try:
    for line in open(sys.argv[1]):
        r = json.loads(line).get("result")
        if r in ("OK", "EXPECTEDFAIL"):
            p += 1
        elif r != "SKIP":
            f += 1
except OSError:
    f = 1
print(p, f)
PY
)
[ "$rc" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1

# The demo's build: gcc, -O3, no sanitizers (other compiler, other warnings) must build too.
REL=$ROOT/build/release
if { [ -f "$REL/build.ninja" ] || meson setup "$REL" --buildtype=release >/dev/null; } &&
   ninja -C "$REL" >"$REL/ninja.log" 2>&1; then
  echo "release build (gcc -O3): ok"
  passed=$((passed + 1))
else
  tail -n 30 "$REL/ninja.log" 2>/dev/null
  echo "release build (gcc -O3): FAILED"
  failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
