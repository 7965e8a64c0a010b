#!/usr/bin/env bash
# sandnet_clone.sh - Sandnet groundwork end to end (root, runc, OVS, CRIU 4.2):
#  1. the paper's 3-tier application twice (fe/be/db 1 and 2) on bridge hsn-pn; each frontend
#     reaches its own group's backend and database by name;
#  2. live cloning: a container with a volume and a changed file serves a keep-alive HTTP client
#     (its own namespace); the client's link moves from hsn-pn to hsn-sn, the container is
#     cloned to hsn-sn (same IP and MAC), and the same TCP connection goes on being answered,
#     now by the clone, which sees the changed file and the volume. Prints the step timings.
#     Meanwhile a second client on hsn-pn opens a new connection to the original every 20 ms:
#     its SYNs that arrive during the dump are held and answered after it (dumphold.c), so
#     none is retransmitted (nstat TcpExtTCPSynRetrans) and every connect takes < 1 s.
# Cleans up on exit, also after a failure; can run twice in a row. Uses only hsn* names and
# 198.18.64.0/24. Env: HS_BUILD_DIR, HS_SOURCE_DIR (set by meson), SN_SKIP_APP=1 skips part 1,
# SN_PAPER_ORDER=1 clones in Algorithm 1's order (create and diff application after the
# checkpoint, inside the connection's blackout), SN_NO_PREFREEZE=1 leaves freezing to CRIU.
set -euo pipefail

SRC=${HS_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${HS_BUILD_DIR:-$SRC/build-dev}
TOOL="$BUILD/src/sandnet/honeyshift-sandnet"
export HS_SOURCE_DIR=$SRC
STATE=/var/lib/honeyshift/sandnet
ORIG=sntest
CLONE=sntest-c
CLI_NS=hsn-tcli
CLI_IF=hsntcli
CLI_IP=198.18.64.100
CLI2_NS=hsn-tcl2
CLI2_IF=hsntcl2
CLI2_IP=198.18.64.101
ORIG_IP=198.18.64.50
WORK=$(mktemp -d /tmp/sandnet_clone.XXXXXX)
CLIENT_PID=
CONN_PID=

say() { echo "sandnet_clone: $*" >&2; }
fail() { say "FAIL: $*"; exit 1; }

cleanup() {
  set +e
  if [ -n "$CLIENT_PID" ]; then kill "$CLIENT_PID" 2>/dev/null; wait "$CLIENT_PID" 2>/dev/null; fi
  if [ -n "$CONN_PID" ]; then kill "$CONN_PID" 2>/dev/null; wait "$CONN_PID" 2>/dev/null; fi
  for id in "$CLONE" "$ORIG" fe1 be1 db1 fe2 be2 db2; do
    if [ -f "$STATE/$id/spec.json" ]; then "$TOOL" rm "$id" >/dev/null 2>&1; fi
  done
  ovs-vsctl --if-exists del-port "$CLI_IF" 2>/dev/null
  ip link del "$CLI_IF" 2>/dev/null
  ip netns del "$CLI_NS" 2>/dev/null
  ovs-vsctl --if-exists del-port "$CLI2_IF" 2>/dev/null
  ip link del "$CLI2_IF" 2>/dev/null
  ip netns del "$CLI2_NS" 2>/dev/null
  "$TOOL" net-down >/dev/null 2>&1
  rm -rf "$WORK"
  rmdir /run/honeyshift/sandnet/runc /run/honeyshift/sandnet 2>/dev/null  # runc's root, if empty
  return 0
}
trap cleanup EXIT

[ "$(id -u)" -eq 0 ] || { say "SKIP: needs root"; exit 77; }
command -v runc >/dev/null || { say "SKIP: runc missing (scripts/setup.sh)"; exit 77; }
[ -x "$SRC/.deps/criu/sbin/criu" ] || { say "SKIP: CRIU 4.2 missing (scripts/setup.sh)"; exit 77; }
[ -x "$TOOL" ] || fail "build $TOOL first"
ovs-vsctl --timeout=5 show >/dev/null 2>&1 || fail "Open vSwitch is not running (scripts/setup.sh)"

cleanup   # leftovers of an aborted earlier run
WORK=$(mktemp -d /tmp/sandnet_clone.XXXXXX)

say "rootfs (cached after the first run)"
t0=$(date +%s%N)
"$SRC/scripts/rootfs.sh" --quiet frontend backend database >/dev/null
say "rootfs ready in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
"$TOOL" net-up

# the clients: plain namespaces with a veth, plugged into hsn-pn
client_up() {   # NS IF IP
  ip netns add "$1"
  ip link add "$2" type veth peer name "$2-in"
  ip link set "$2-in" netns "$1"
  ip -n "$1" addr add "$3/24" dev "$2-in"
  ip -n "$1" link set "$2-in" up
  ip -n "$1" link set lo up
  ip netns exec "$1" ethtool -K "$2-in" tx off >/dev/null
  ethtool -K "$2" tx off >/dev/null
  ip link set "$2" up
  ovs-vsctl add-port hsn-pn "$2"
}
client_up "$CLI_NS" "$CLI_IF" "$CLI_IP"
client_up "$CLI2_NS" "$CLI2_IF" "$CLI2_IP"
incli() { ip netns exec "$CLI_NS" "$@"; }
syn_retrans() { ip netns exec "$CLI2_NS" nstat -asz TcpExtTCPSynRetrans | awk '$1 == "TcpExtTCPSynRetrans" {print $2}'; }

# ---- 1. the 3-tier application, twice
if [ "${SN_SKIP_APP:-0}" != 1 ]; then
  say "3-tier application: fe/be/db 1 and 2"
  t0=$(date +%s%N)
  "$TOOL" app-up 2 >/dev/null || fail "app-up"
  for g in 1 2; do
    out=
    for _ in $(seq 1 100); do
      out=$(incli curl -s -m 2 "http://198.18.64.${g}1/api/" || true)
      case "$out" in "backend be$g hits="*) break ;; esac
      sleep 0.1
    done
    case "$out" in "backend be$g hits="*) ;; *) fail "fe$g -> be$g -> db$g: got '$out'" ;; esac
    # a second request increments the same group's counter: be$g really talks to db$g
    out2=$(incli curl -s -m 2 "http://198.18.64.${g}1/api/")
    [ "${out2##*hits=}" -eq $(( ${out##*hits=} + 1 )) ] || fail "db$g counter: '$out' then '$out2'"
    say "fe$g: '$out' then '$out2'"
  done
  # group 1's names resolve to group 1 only
  "$TOOL" exec be1 getent hosts database | grep -q '^198\.18\.64\.13 ' || fail "be1: database is not db1"
  "$TOOL" exec fe2 getent hosts backend | grep -q '^198\.18\.64\.22 ' || fail "fe2: backend is not be2"
  say "application up and answering in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
  "$TOOL" app-down 2 >/dev/null || fail "app-down"
fi

# ---- 2. live cloning with an open TCP connection
say "container $ORIG with a volume and a changed file"
"$TOOL" start "$ORIG" --kind frontend --ip "$ORIG_IP/24" --mac 02:68:73:6e:00:50 \
  --volume /srv/www/shared >/dev/null || fail "start $ORIG"
echo "volume-data" >"$STATE/$ORIG/volumes/0/vol.txt"
echo "original" >"$STATE/$ORIG/volumes/0/who.txt"
"$TOOL" exec "$ORIG" sh -c 'echo changed-inside >/srv/www/changed.txt' >/dev/null || fail "exec"
for _ in $(seq 1 50); do
  [ "$(incli curl -s -m 1 "http://$ORIG_IP/changed.txt" || true)" = changed-inside ] && break
  sleep 0.1
done
[ "$(incli curl -s -m 1 "http://$ORIG_IP/changed.txt")" = changed-inside ] || fail "$ORIG not serving"

say "keep-alive client: one TCP connection, a request every 20 ms"
incli python3 "$SRC/tests/sandnet/keepalive_probe.py" "$ORIG_IP" 80 /shared/who.txt \
  "$WORK/stop" 20 >"$WORK/client.log" 2>"$WORK/client.err" &
CLIENT_PID=$!
for _ in $(seq 1 100); do
  [ "$(grep -c ' original$' "$WORK/client.log" || true)" -ge 10 ] && break
  sleep 0.05
done
[ "$(grep -c ' original$' "$WORK/client.log" || true)" -ge 10 ] || fail "client: no answers ($(cat "$WORK/client.err"))"

# The second client stays on hsn-pn and opens a new connection to the original every 20 ms.
syn0=$(syn_retrans)
ip netns exec "$CLI2_NS" python3 "$SRC/tests/sandnet/connect_probe.py" "$ORIG_IP" 80 /changed.txt \
  "$WORK/stop2" 20 >"$WORK/conn.log" 2>"$WORK/conn.err" &
CONN_PID=$!
for _ in $(seq 1 100); do
  [ "$(grep -c ' ok$' "$WORK/conn.log" || true)" -ge 5 ] && break
  sleep 0.05
done
[ "$(grep -c ' ok$' "$WORK/conn.log" || true)" -ge 5 ] || fail "second client: no connections ($(cat "$WORK/conn.err"))"

# The client's link moves from hsn-pn to hsn-sn right before the checkpoint (--cutover): after
# that the original cannot answer any more, so the clone's copy of the connection is current.
# The cut-over also changes a volume file and a root-fs file after the first copy pass: the
# clone must get them from the second pass made while the original is paused.
say "cloning $ORIG -> $CLONE, the client's link moving to hsn-sn right before the checkpoint"
t_start=$(date +%s%N)
"$TOOL" clone "$ORIG" "$CLONE" ${SN_PAPER_ORDER:+--paper-order} ${SN_NO_PREFREEZE:+--no-prefreeze} \
  --cutover "ovs-vsctl --timeout=10 -- del-port hsn-pn $CLI_IF -- add-port hsn-sn $CLI_IF &&
             echo late >$STATE/$ORIG/volumes/0/late.txt &&
             $TOOL exec $ORIG sh -c 'echo late-inside >/srv/www/late.txt'" \
  >"$WORK/timing.json" || { cat "$WORK/timing.json" >&2; fail "clone"; }
t_done=$(date +%s%N)
# mark the two volumes apart: from now on the answers tell which container gave them
echo "clone" >"$STATE/$CLONE/volumes/0/who.txt"
echo "original-after" >"$STATE/$ORIG/volumes/0/who.txt"
for _ in $(seq 1 200); do
  [ "$(grep -c ' clone$' "$WORK/client.log" || true)" -ge 10 ] && break
  sleep 0.05
done
touch "$WORK/stop" "$WORK/stop2"
rc=0; wait "$CLIENT_PID" || rc=$?
CLIENT_PID=
wait "$CONN_PID" || true
CONN_PID=

cat "$WORK/client.err" >&2
[ $rc -eq 0 ] || fail "client's connection broke (rc $rc)"
n_orig=$(grep -c ' original$' "$WORK/client.log" || true)
n_clone=$(grep -c ' clone$' "$WORK/client.log" || true)
n_after=$(grep -c ' original-after$' "$WORK/client.log" || true)
ports=$(awk '{print $2}' "$WORK/client.log" | sort -u | wc -l)
[ "$ports" -eq 1 ] || fail "answers came over $ports different sockets"
[ "$n_clone" -ge 10 ] || fail "only $n_clone answers from the clone"
[ "$n_after" -eq 0 ] || fail "$n_after answers from the original after the move"
# every answer after the first 'clone' one is from the clone
awk '$3 == "clone" {c = 1} c && $3 != "clone" {bad = 1} END {exit bad}' "$WORK/client.log" \
  || fail "answers from the original after the clone took over"
gap=$(awk 'NR > 1 && $1 - prev > max {max = $1 - prev} {prev = $1} END {printf "%.0f", max}' "$WORK/client.log")
say "connection survived: $n_orig answers from the original, then $n_clone from the clone," \
    "same socket; longest gap between answers $gap ms (whole clone" \
    "$(( (t_done - t_start) / 1000000 )) ms)"

# the second client's new connections to the original during its dump: held, not dropped
syn1=$(syn_retrans)
read -r n_conn n_bad max_conn <<<"$(awk '{n++} $4 != "ok" {bad++} $2 > max {max = $2}
  END {printf "%d %d %.0f", n, bad, max}' "$WORK/conn.log")"
read -r hold_used held reinj <<<"$(python3 -c 'import json, sys
h = json.load(open(sys.argv[1]))["dump_hold"]
print(int(h["used"]), h["held"], h["reinjected"])' "$WORK/timing.json")"
say "new connections during the clone: $n_conn, $n_bad failed, slowest connect $max_conn ms," \
    "SYNs retransmitted $((syn1 - syn0)); dump hold: used $hold_used, $held frames held," \
    "$reinj re-injected"
[ "$n_bad" -eq 0 ] || fail "$n_bad new connections to the original failed"
if [ "${HS_SN_NETWORK_LOCK:-hold}" = hold ]; then
  [ "$hold_used" -eq 1 ] || fail "the dump hold was not used (CRIU's lock instead)"
  [ "$reinj" -ge 1 ] || fail "nothing held during the dump: no new connection overlapped it"
  [ "$((syn1 - syn0))" -eq 0 ] || fail "$((syn1 - syn0)) SYNs retransmitted: dropped during the dump"
  [ "$max_conn" -lt 1000 ] || fail "a connect took $max_conn ms (a SYN waited for its retransmission)"
fi

# the clone sees the changed file and the volume (fresh connections, client is on hsn-sn now)
[ "$(incli curl -s -m 2 "http://$ORIG_IP/changed.txt")" = changed-inside ] || fail "clone lacks changed.txt"
[ "$(incli curl -s -m 2 "http://$ORIG_IP/shared/vol.txt")" = volume-data ] || fail "clone lacks the volume"
"$TOOL" exec "$CLONE" cat /srv/www/changed.txt | grep -qx changed-inside || fail "exec in clone"
"$TOOL" diff "$CLONE" | grep -qx 'A /srv/www/changed.txt' || fail "clone's diff lacks changed.txt"
if [ -z "${SN_NO_PREFREEZE:-}" ]; then
  [ "$(incli curl -s -m 2 "http://$ORIG_IP/late.txt")" = late-inside ] || fail "clone lacks late.txt (re-sync)"
  [ "$(incli curl -s -m 2 "http://$ORIG_IP/shared/late.txt")" = late ] || fail "clone lacks volume late.txt"
fi
# the original keeps running on hsn-pn (checkpoint --leave-running)
"$TOOL" state "$ORIG" | grep -q ' running ' || fail "original stopped"
"$TOOL" state "$CLONE" | grep -q ' running ' || fail "clone not running"

say "step timings (ms), the paper's Table I labels in brackets:"
python3 - "$WORK/timing.json" >&2 <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
labels = {"fsdiff_copy": "FS diff create & copy", "checkpoint": "Checkpoint creation",
          "checkpoint_copy": "Checkpoint copy", "fsdiff_apply": "FS diff application",
          "restore": "Checkpoint restoration"}
for k, v in j["steps"].items():
    print("  %-16s %8.1f%s" % (k, v, "  [%s]" % labels[k] if k in labels else ""))
print("  %-16s %8.1f" % ("total", j["total_ms"]))
print("  %-16s %8.1f  (checkpoint begin .. restore end)" % ("blackout", j["blackout_ms"]))
print("  original down %.1f ms (CRIU: freezing %.1f, frozen %.1f), CRIU restore %.1f ms,"
      " checkpoint %d bytes" % (j["original_down_ms"] or -1, j["freezing_ms"] or -1,
      j["frozen_ms"] or -1, j["criu_restore_ms"] or -1, j["checkpoint_bytes"]))
PY
echo "SANDNET_TIMING $(tr -d '\n ' <"$WORK/timing.json")"

# ---- 3. Algorithm 1's own order (create + FS diff application after the checkpoint), CRIU
# freezing by itself: the clone comes up the same way (the client's old connection is gone
# with the first clone; fresh requests check it)
say "paper order, no pre-freeze: $ORIG -> $CLONE again"
"$TOOL" rm "$CLONE" >/dev/null || fail "rm $CLONE"
"$TOOL" clone "$ORIG" "$CLONE" --paper-order --no-prefreeze >"$WORK/timing2.json" \
  || { cat "$WORK/timing2.json" >&2; fail "clone in paper order"; }
"$TOOL" state "$CLONE" | grep -q ' running ' || fail "paper-order clone not running"
[ "$(incli curl -s -m 2 "http://$ORIG_IP/changed.txt")" = changed-inside ] || fail "paper-order clone lacks changed.txt"
[ "$(incli curl -s -m 2 "http://$ORIG_IP/shared/vol.txt")" = volume-data ] || fail "paper-order clone lacks the volume"
echo "SANDNET_TIMING_PAPER_ORDER $(tr -d '\n ' <"$WORK/timing2.json")"
say "PASS"
