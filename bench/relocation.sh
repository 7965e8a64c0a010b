#!/usr/bin/env bash
# bench/relocation.sh - N live relocations of an attacker's keep-alive connection into the
# honeypot, with stage timings beside the paper's Table I, the attacker-visible pause and the
# benign client's p99: a thin wrapper around `honeyshift bench relocation` (see its --help; it
# builds and removes its own lab, hsbr, controller port 6690). Prints figures only. Root.
# Usage: bench/relocation.sh [BUILD_DIR] [RUNS] [SERVICE] [EXTRA OPTIONS...]
#   e.g. bench/relocation.sh build/release 100 nginx --json
#        bench/relocation.sh build/release 20 nginx --trigger operator
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=${1:-$ROOT/build/release} RUNS=${2:-20} SERVICE=${3:-nginx}
shift $(( $# < 3 ? $# : 3 ))
export PATH=$ROOT/.deps/criu/sbin:$PATH
exec "$B/src/cli/honeyshift" bench relocation --service "$SERVICE" --runs "$RUNS" "$@"
