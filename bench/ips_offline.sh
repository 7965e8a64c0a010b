#!/bin/sh
# ips_offline.sh - offline IPS throughput: `honeyshift ips scan --pcap` on a generated pcap of
# mixed benign HTTP, with the default rule set and with an empty rule set (baseline), on one
# core. Prints figures only (no pass/fail). Target (issue 3): >= 1 Gbit/s with default rules.
#
#   bench/ips_offline.sh [FLOWS]       (default 1600 flows, about 120 MB of frames)
#
# Environment:
#   HS_BUILD_DIR  a release build (default build/release; configured and built here when
#                 missing: meson setup build/release --buildtype=release)
#   HS_BENCH_CPU  CPU to pin to with taskset (default 0)
#   HS_BENCH_RUNS runs per rule set, the best is reported (default 3)
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
B=${HS_BUILD_DIR:-$SRC/build/release}
FLOWS=${1:-1600}
CPU=${HS_BENCH_CPU:-0}
RUNS=${HS_BENCH_RUNS:-3}

if [ ! -x "$B/src/cli/honeyshift" ]; then
    if [ ! -d "$B" ]; then
        (cd "$SRC" && CC=${CC:-clang} meson setup "$B" --buildtype=release >/dev/null)
    fi
    ninja -C "$B" src/cli/honeyshift >/dev/null
fi
HS=$B/src/cli/honeyshift

T=$(mktemp -d /tmp/hs_ips_offline.XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
echo "generating $FLOWS flows of benign HTTP into $T/bench.pcap ..."
python3 "$SRC/bench/gen_http_pcap.py" "$T/bench.pcap" --flows "$FLOWS" --seed 20261123
: > "$T/empty.rules"

PIN=""
if command -v taskset >/dev/null 2>&1; then PIN="taskset -c $CPU"; fi

# run LABEL ARGS... -> best (highest Gbit/s) stats of RUNS runs in $T/LABEL.stats
run() {
    label=$1; shift
    best=0
    i=0
    while [ $i -lt "$RUNS" ]; do
        i=$((i + 1))
        $PIN "$HS" ips scan "$@" --pcap "$T/bench.pcap" --stats > "$T/$label.alerts" \
            2> "$T/$label.run"
        g=$(awk '$1 == "Gbit_per_s" {print $2}' "$T/$label.run")
        if awk -v a="$g" -v b="$best" 'BEGIN {exit !(a > b)}'; then
            best=$g
            cp "$T/$label.run" "$T/$label.stats"
            wc -l < "$T/$label.alerts" > "$T/$label.nalerts"
        fi
    done
}
val() { awk -v k="$2" '$1 == k {print $2}' "$T/$1.stats"; }

run default
run empty --rules "$T/empty.rules"

printf '\n%-14s %10s %10s %12s %10s %8s\n' "rules" "MB/s" "Gbit/s" "requests/s" "seconds" "alerts"
for l in default empty; do
    printf '%-14s %10s %10s %12s %10s %8s\n' "$l" "$(val $l MB_per_s)" "$(val $l Gbit_per_s)" \
        "$(val $l requests_per_s)" "$(val $l elapsed_s)" "$(cat "$T/$l.nalerts")"
done
awk -v d="$(val default Gbit_per_s)" -v e="$(val empty Gbit_per_s)" 'BEGIN {
    printf "\ndefault / empty rule set throughput ratio: %.2f\n", (e > 0 ? d / e : 0) }'
echo "input: $(val default frames) frames, $(val default bytes) bytes (Ethernet frames)," \
     "$(val default http_txns) HTTP transactions; best of $RUNS runs, one core"
echo "target: >= 1 Gbit/s with the default rules (figures only, not asserted)"
