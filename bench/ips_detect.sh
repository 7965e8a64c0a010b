#!/usr/bin/env bash
# ips_detect.sh [BUILD_DIR] - detection and false-positive rates of rules/default.rules.
# Generates the corpora (bench/ips_corpus.py; payloads from the Debian packages wfuzz, sqlmap and
# wapiti; the NEW held-out split also modsecurity-crs) into a temporary directory, scans them and
# prints the rates per category and split (dev / held-out / new), per-rule hit counts and the alerts on benign inputs. Requests are scanned
# with `honeyshift ips scan --rules rules/default.rules --http DIR` when that command exists in
# the build, else with tests/ips/rules_default/rdef_scan; responses (egress) with rdef_scan.
# Set IPS_DETECT_MISSES=FILE to write every false negative and false positive to FILE.
# Prints figures; never fails on a missed target.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build-dev}
[ -d "$build" ] || { echo "no build directory $build" >&2; exit 2; }
rules=${IPS_RULES:-$src/rules/default.rules}
for d in /usr/share/wfuzz/wordlist /usr/share/sqlmap/data /usr/lib/python3/dist-packages/wapitiCore/data/attacks; do
  [ -d "$d" ] || { echo "missing $d: apt-get install wfuzz sqlmap wapiti (scripts/setup.sh)" >&2; exit 2; }
done
ninja -C "$build" tests/ips/rules_default/rdef_scan >/dev/null
rdef=$build/tests/ips/rules_default/rdef_scan
req=("$rdef" --rules "$rules")
hs=$build/src/cli/honeyshift
if [ -x "$hs" ] && "$hs" ips scan --help >/dev/null 2>&1; then
  req=("$hs" ips scan --rules "$rules" --http)
  echo "requests: honeyshift ips scan; responses: rdef_scan"
else
  echo "requests and responses: rdef_scan (honeyshift ips scan not available)"
fi
tmp=$(mktemp -d /tmp/ips_detect.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
[ -d /usr/share/modsecurity-crs/rules ] ||
  echo "note: /usr/share/modsecurity-crs missing (apt-get install modsecurity-crs): no 'new' held-out split"
python3 "$src/bench/ips_corpus.py" "$tmp"
python3 "$src/bench/ips_detect.py" "$tmp" "${req[@]}" -- "$rdef" --rules "$rules"
