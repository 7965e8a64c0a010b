#!/usr/bin/env bash
# bench/bridge.sh - HTTP requests per second from `client` to `web` through the OVS bridge with
# the controller's flows, versus the same bridge with a plain `actions=NORMAL` table, alternating
# in the same run. Prints each round and the ratio of the medians (target: >= 0.95).
# Usage: bench/bridge.sh [BUILD_DIR] [ROUNDS] [SECONDS] [CONNECTIONS]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=${1:-$ROOT/build/release}
ROUNDS=${2:-3} SECS=${3:-5} CONNS=${4:-16}
HS="$B/src/cli/honeyshift"
TOPO="$ROOT/bench/topo-bench.yaml"
BR=hsb-br0 HP_PORT=4 CTL=tcp:127.0.0.1:6657
[ -x "$HS" ] || { echo "no $HS: build first (meson setup $B && ninja -C $B)" >&2; exit 1; }
cleanup() { "$HS" lab down "$TOPO" >/dev/null 2>&1 || true; }
trap cleanup EXIT
"$HS" lab up "$TOPO" >/dev/null

wrk_rps() {
  "$HS" lab exec --lab hsb client -- wrk -t1 -c"$CONNS" -d"${SECS}s" --latency http://web/ 2>&1 |
    awk '/Requests\/sec/ {print $2}'
}
controller_mode() {
  ovs-vsctl del-controller $BR
  ovs-ofctl -O OpenFlow13 del-flows $BR
  ovs-ofctl -O OpenFlow13 mod-port $BR $HP_PORT flood >/dev/null 2>&1 || true
  ovs-vsctl set-controller $BR $CTL
  for _ in $(seq 100); do
    "$HS" status --config "$TOPO" --json 2>/dev/null | grep -q '"ready":true' && break
    sleep 0.1
  done
  "$HS" lab exec --lab hsb client -- curl -s -m 5 -o /dev/null http://web/
}
normal_mode() {
  ovs-vsctl del-controller $BR
  ovs-ofctl -O OpenFlow13 del-flows $BR
  # the honeypot (same MAC/IP as web) must not take part: never flood to it, drop what it sends
  ovs-ofctl -O OpenFlow13 add-flow $BR "priority=100,in_port=$HP_PORT,actions=drop"
  ovs-ofctl -O OpenFlow13 add-flow $BR "priority=0,actions=NORMAL"
  ovs-ofctl -O OpenFlow13 mod-port $BR $HP_PORT no-flood >/dev/null 2>&1 || true
  "$HS" lab exec --lab hsb client -- curl -s -m 5 -o /dev/null http://web/
}

controller_mode; wrk_rps >/dev/null   # warm-up
ctl=() nor=()
for r in $(seq "$ROUNDS"); do
  controller_mode; c=$(wrk_rps)
  normal_mode; n=$(wrk_rps)
  ctl+=("$c") nor+=("$n")
  printf 'round %d: controller flows %10.1f req/s   actions=NORMAL %10.1f req/s\n' "$r" "$c" "$n"
done
controller_mode
python3 - "${ctl[*]}" "${nor[*]}" "$SECS" "$CONNS" <<'PY'
import statistics, sys
c = [float(x) for x in sys.argv[1].split()]
n = [float(x) for x in sys.argv[2].split()]
mc, mn = statistics.median(c), statistics.median(n)
print("median: controller flows %.1f req/s, actions=NORMAL %.1f req/s (wrk -t1 -c%s, %ss rounds)"
      % (mc, mn, sys.argv[4], sys.argv[3]))
print("ratio controller/NORMAL: %.3f (target >= 0.95)" % (mc / mn if mn else 0.0))
PY
