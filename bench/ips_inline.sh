#!/usr/bin/env bash
# ips_inline.sh - inline IPS cost in the lab: HTTP requests/s and p50/p99 latency (wrk from
# client to web) with traffic steered through honeyshift-ipsd versus bypassing it (the
# controller's {"cmd":"ips","steer":false} removes the steering flows), in alternating rounds of
# the same run. Prints figures only. Root; its own lab "hsi" (tests/integration/topo-ips.yaml).
#   HS_BUILD_DIR   build with honeyshift, honeyshiftd, honeyshift-ipsd (default build-dev);
#                  a release build measures the daemon without sanitizers
#   ROUNDS (3) SECONDS_PER_ROUND (5) CONNS (32)   HS_IPSD_INSPECTOR=noop: the bare data path
#   Columns ipsd_us and ovs_us: CPU time (user+system, /proc/PID/stat) of honeyshift-ipsd and
#   of ovs-vswitchd during the round per request (ovs-vswitchd also serves other labs).
#   OVS_IFTYPE=afxdp-nonpmd  OVS interface type of the IPS port (hsi-ips), or with
#            OVS_IFTYPE_ALL=1 of every lab port, set after lab up (default: system, AF_PACKET)
#   PIN=1    dedicated IPS core: honeyshift-ipsd on CPU 1, everything else (ovs-vswitchd, nginx,
#            wrk, honeyshiftd) on CPU 0, in on and off rounds alike; ovs-vswitchd's affinity is
#            restored at the end (it is the machine's switch: other labs share CPU 0 meanwhile).
#            The kernel work of the daemon's sends (the peer veth's receive) runs on CPU 1 too.
#            Report it beside the shared-CPU figure (PIN unset), never instead of it.
#   BUMP=1   adds "bump" rounds: the deployment mode ips.mode bump as the lab builds it, in a
#            second lab "hsbw" (tests/integration/topo-bump.yaml: the same hosts and services,
#            honeyshift-ipsd as a bump in the wire in front of web, so each frame crosses the
#            switch once), up beside hsi for the whole run; its rounds alternate with hsi's on
#            and off rounds and its ratio is taken over hsi's off rounds of the same run.
#            PIN=1 pins hsbw's processes like hsi's; OVS_IFTYPE applies to hsi only.
set -u
SRC=$(cd "$(dirname "$0")/.." && pwd)
B=${HS_BUILD_DIR:-$SRC/build-dev}
TOPO=$SRC/tests/integration/topo-ips.yaml
SOCK=/run/honeyshift/hsi/ctl.sock
BTOPO=$SRC/tests/integration/topo-bump.yaml
ROUNDS=${ROUNDS:-3} SECS=${SECONDS_PER_ROUND:-5} CONNS=${CONNS:-32}
export HS_HOSTINIT=$B/src/lab/honeyshift-hostinit HS_HONEYSHIFTD=$B/src/ctl/honeyshiftd
export HS_IPSD=$B/src/ipsd/honeyshift-ipsd
H=$B/src/cli/honeyshift
PIN=${PIN:-0} BUMP=${BUMP:-0}
VSPID=$(cat /var/run/openvswitch/ovs-vswitchd.pid 2>/dev/null)
VSMASK=$(taskset -p "$VSPID" 2>/dev/null | awk '{print $NF}')
ctl() { python3 -c 'import socket,sys
s=socket.socket(socket.AF_UNIX); s.settimeout(3); s.connect(sys.argv[1]); s.sendall(sys.argv[2].encode()+b"\n"); print(s.recv(65536).decode().strip())' "$SOCK" "$1"; }
"$H" lab down "$TOPO" --quiet >/dev/null 2>&1
[ "$BUMP" = 1 ] && "$H" lab down "$BTOPO" --quiet >/dev/null 2>&1
cleanup() {
  if [ "$PIN" = 1 ] && [ -n "$VSMASK" ]; then taskset -a -p "$VSMASK" "$VSPID" >/dev/null; fi
  "$H" lab down "$TOPO" --quiet >/dev/null 2>&1
  [ "$BUMP" = 1 ] && "$H" lab down "$BTOPO" --quiet >/dev/null 2>&1
}
trap cleanup EXIT
"$H" lab up "$TOPO" --quiet >/dev/null || { echo "lab up failed" >&2; exit 1; }
if [ "$BUMP" = 1 ]; then
  "$H" lab up "$BTOPO" --quiet >/dev/null || { echo "lab up $BTOPO failed" >&2; exit 1; }
fi
if [ -n "${OVS_IFTYPE:-}" ]; then
  ports=hsi-ips; [ "${OVS_IFTYPE_ALL:-0}" = 1 ] && ports="hsi-ips hsi-client hsi-attacker hsi-web hsi-honeypot"
  for p in $ports; do
    ovs-vsctl --timeout=10 set interface "$p" type="$OVS_IFTYPE" || { echo "type $OVS_IFTYPE on $p failed" >&2; exit 1; }
  done
  sleep 1
fi
IPSD_CPU=
if [ "$PIN" = 1 ]; then  # CPU 0: all but the IPS; CPU 1: the IPS
  IPSD_CPU="taskset -c 1"
  taskset -a -p -c 0 "$VSPID" >/dev/null
  for p in $(cat /run/honeyshift/hsi/honeyshiftd.pid) $(ip netns pids hsi-web) \
           $(ip netns pids hsi-client); do taskset -a -p -c 0 "$p" >/dev/null; done
  taskset -a -p -c 1 "$(cat /run/honeyshift/hsi/ipsd.pid)" >/dev/null
  if [ "$BUMP" = 1 ]; then
    for p in $(cat /run/honeyshift/hsbw/honeyshiftd.pid) $(ip netns pids hsbw-web) \
             $(ip netns pids hsbw-client); do taskset -a -p -c 0 "$p" >/dev/null; done
    taskset -a -p -c 1 "$(cat /run/honeyshift/hsbw/ipsd-web.pid)" >/dev/null
  fi
fi
run() {  # LAB: prints "rps p50_ms p99_ms"
  "$H" lab exec --lab "$1" client -- ${IPSD_CPU:+taskset -c 0} timeout $((SECS + 20)) wrk -t2 -c"$CONNS" -d"${SECS}s" --latency http://web/ 2>&1 |
    awk '/Requests\/sec/ {r=$2} / 50% / {p50=$2} / 99% / {p99=$2}
         function ms(x) { if (x ~ /us$/) return x/1000; if (x ~ /ms$/) return x+0; if (x ~ /s$/) return x*1000; return x }
         END {printf "%s %.3f %.3f\n", r, ms(p50), ms(p99)}'
}
TCK=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
echo "inline IPS benchmark: wrk -t2 -c$CONNS ${SECS}s rounds, inspector ${HS_IPSD_INSPECTOR:-engine}, build $B, PIN=$PIN BUMP=$BUMP${OVS_IFTYPE:+ OVS_IFTYPE=$OVS_IFTYPE ALL=${OVS_IFTYPE_ALL:-0}}"
run hsi >/dev/null   # warm-up (ARP, nginx workers, caches): not counted
[ "$BUMP" = 1 ] && run hsbw >/dev/null
printf '%-6s %-4s %12s %9s %9s %8s %8s\n' round ips req/s p50_ms p99_ms ipsd_us ovs_us
on_sum=0 off_sum=0 bump_sum=0
MODES="on off"; [ "$BUMP" = 1 ] && MODES="on off bump"
n_ok=0
for r in $(seq "$ROUNDS"); do
  round_ok=1
  for mode in $MODES; do
    # bump rounds run in lab hsbw (its own IPS daemon); hsi's steering is off meanwhile
    ctl "{\"cmd\":\"ips\",\"steer\":$([ $mode = on ] && echo true || echo false)}" >/dev/null
    sleep 1   # the switch settles (flow changes)
    IPID=$(cat /run/honeyshift/hsi/ipsd.pid) L=hsi
    [ $mode = bump ] && IPID=$(cat /run/honeyshift/hsbw/ipsd-web.pid) L=hsbw
    i0=$(ticks "$IPID") v0=$(ticks "$VSPID")
    read -r rps p50 p99 < <(run $L)
    i1=$(ticks "$IPID") v1=$(ticks "$VSPID")
    if [ -z "$rps" ] || [ "$(echo "$rps <= 0" | bc -l)" = 1 ]; then
      printf '%-6s %-4s %12s   (wrk gave no rate: round not counted)\n' "$r" "$mode" failed
      round_ok=0; continue
    fi
    us() { echo "($2 - $1) * 1000000 / $TCK / ($rps * $SECS)" | bc -l; }
    printf '%-6s %-4s %12s %9s %9s %8.1f %8.1f\n' "$r" "$mode" "$rps" "$p50" "$p99" \
      "$(us "$i0" "$i1")" "$(us "$v0" "$v1")"
    eval "rps_$mode=$rps"
  done
  if [ $round_ok = 1 ]; then  # a round counts only when every mode of it measured
    n_ok=$((n_ok + 1))
    on_sum=$(echo "$on_sum + $rps_on" | bc -l) off_sum=$(echo "$off_sum + $rps_off" | bc -l)
    [ "$BUMP" = 1 ] && bump_sum=$(echo "$bump_sum + $rps_bump" | bc -l)
  fi
done
[ $n_ok -gt 0 ] || { echo "no round measured" >&2; exit 1; }
ctl '{"cmd":"ips","steer":true}' >/dev/null
printf 'mean req/s over %d round(s): ips on %.0f, ips off %.0f, ratio on/off %.3f (target >= 0.8)\n' \
  "$n_ok" "$(echo "$on_sum / $n_ok" | bc -l)" "$(echo "$off_sum / $n_ok" | bc -l)" "$(echo "$on_sum / $off_sum" | bc -l)"
if [ "$BUMP" = 1 ]; then
  printf 'ips.mode bump (lab hsbw): mean req/s %.0f, ratio bump/off %.3f (target >= 0.8)\n' \
    "$(echo "$bump_sum / $n_ok" | bc -l)" "$(echo "$bump_sum / $off_sum" | bc -l)"
fi
