#!/usr/bin/env bash
# ips_detect_fresh.sh [BUILD_DIR] [CORPUS_DIR] - detection and false-positive rates of
# rules/default.rules on the FRESH corpora (bench/ips_corpus_fresh.py: live sqlmap, nmap NSE,
# wapiti, wafw00f, whatweb, gobuster, ffuf, dirb, dirsearch and wfuzz traffic captured on
# 127.0.0.1, an outside tester's payloads, an independent benign generator and a wget/curl crawl),
# which nobody tuned the rules on. Without CORPUS_DIR the corpora are generated into a temporary
# directory (takes about 5 minutes: the live tools run one after the other, each bounded by
# IPS_FRESH_BUDGET seconds, default 45); with CORPUS_DIR an existing corpus is measured (or
# generated there first when CORPUS_DIR does not exist yet). IPS_FRESH_NOLIVE=1 skips the tools.
# Set IPS_DETECT_MISSES=FILE to write every false negative and false positive to FILE.
# Prints figures; never fails on a missed target.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build-dev}
corpus=${2:-}
[ -d "$build" ] || { echo "no build directory $build" >&2; exit 2; }
rules=${IPS_RULES:-$src/rules/default.rules}
hs=$build/src/cli/honeyshift
if [ -x "$hs" ] && "$hs" ips scan --help >/dev/null 2>&1; then
  req=("$hs" ips scan --rules "$rules" --http)
  echo "requests: honeyshift ips scan --rules $rules"
else
  ninja -C "$build" tests/ips/rules_default/rdef_scan >/dev/null
  req=("$build/tests/ips/rules_default/rdef_scan" --rules "$rules")
  echo "requests: rdef_scan (honeyshift ips scan not available)"
fi
gen=(python3 "$src/bench/ips_corpus_fresh.py" --budget "${IPS_FRESH_BUDGET:-45}")
[ "${IPS_FRESH_NOLIVE:-0}" = 1 ] && gen+=(--no-live)
if [ -z "$corpus" ]; then
  corpus=$(mktemp -d /tmp/ips_fresh.XXXXXX)
  trap 'rm -rf "$corpus"' EXIT
  "${gen[@]}" "$corpus"
elif [ ! -d "$corpus" ]; then
  "${gen[@]}" "$corpus"
fi
python3 "$src/bench/ips_detect_fresh.py" "$corpus" "${req[@]}"
