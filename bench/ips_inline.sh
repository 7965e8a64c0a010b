#!/usr/bin/env bash
# ips_inline.sh - inline IPS cost in the lab: HTTP requests/s and p50/p99 latency (wrk from
# client to web) with traffic steered through honeyshift-ipsd versus bypassing it (the
# controller's {"cmd":"ips","steer":false} removes the steering flows), in alternating rounds of
# the same run. Prints figures only. Root; its own lab "hsi" (tests/integration/topo-ips.yaml).
#   HS_BUILD_DIR   build with honeyshift, honeyshiftd, honeyshift-ipsd (default build-dev);
#                  a release build measures the daemon without sanitizers
#   ROUNDS (3) SECONDS (5) CONNS (32)   HS_IPSD_INSPECTOR=noop: the bare data path
set -u
SRC=$(cd "$(dirname "$0")/.." && pwd)
B=${HS_BUILD_DIR:-$SRC/build-dev}
TOPO=$SRC/tests/integration/topo-ips.yaml
SOCK=/run/honeyshift/hsi/ctl.sock
ROUNDS=${ROUNDS:-3} SECS=${SECONDS_PER_ROUND:-5} CONNS=${CONNS:-32}
export HS_HOSTINIT=$B/src/lab/honeyshift-hostinit HS_HONEYSHIFTD=$B/src/ctl/honeyshiftd
export HS_IPSD=$B/src/ipsd/honeyshift-ipsd
H=$B/src/cli/honeyshift
ctl() { python3 -c 'import socket,sys
s=socket.socket(socket.AF_UNIX); s.settimeout(3); s.connect(sys.argv[1]); s.sendall(sys.argv[2].encode()+b"\n"); print(s.recv(65536).decode().strip())' "$SOCK" "$1"; }
"$H" lab down "$TOPO" --quiet >/dev/null 2>&1
trap '"$H" lab down "$TOPO" --quiet >/dev/null 2>&1' EXIT
"$H" lab up "$TOPO" --quiet >/dev/null || { echo "lab up failed" >&2; exit 1; }
run() {  # prints "rps p50_ms p99_ms"
  "$H" lab exec --lab hsi client -- wrk -t2 -c"$CONNS" -d"${SECS}s" --latency http://web/ 2>&1 |
    awk '/Requests\/sec/ {r=$2} / 50% / {p50=$2} / 99% / {p99=$2}
         function ms(x) { if (x ~ /us$/) return x/1000; if (x ~ /ms$/) return x+0; if (x ~ /s$/) return x*1000; return x }
         END {printf "%s %.3f %.3f\n", r, ms(p50), ms(p99)}'
}
echo "inline IPS benchmark: wrk -t2 -c$CONNS ${SECS}s rounds, inspector ${HS_IPSD_INSPECTOR:-engine}, build $B"
run >/dev/null   # warm-up (ARP, nginx workers, caches): not counted
printf '%-6s %-4s %12s %9s %9s\n' round ips req/s p50_ms p99_ms
on_sum=0 off_sum=0
for r in $(seq "$ROUNDS"); do
  for mode in on off; do
    ctl "{\"cmd\":\"ips\",\"steer\":$([ $mode = on ] && echo true || echo false)}" >/dev/null
    sleep 0.5
    read -r rps p50 p99 < <(run)
    printf '%-6s %-4s %12s %9s %9s\n' "$r" "$mode" "$rps" "$p50" "$p99"
    if [ $mode = on ]; then on_sum=$(echo "$on_sum + $rps" | bc -l); else off_sum=$(echo "$off_sum + $rps" | bc -l); fi
  done
done
ctl '{"cmd":"ips","steer":true}' >/dev/null
printf 'mean req/s: ips on %.0f, ips off %.0f, ratio on/off %.3f (target >= 0.8)\n' \
  "$(echo "$on_sum / $ROUNDS" | bc -l)" "$(echo "$off_sum / $ROUNDS" | bc -l)" "$(echo "$on_sum / $off_sum" | bc -l)"
