#!/bin/bash
# mig_ips_faults.sh - faults during a relocation started by the IPS (lab hsr2,
# topo-reloc2.yaml):
#  A. the production agent is killed while the worker runs (locate/dump): the attempt fails,
#     the EVE event names the stage, the attacker stays blocked;
#  B. the controller is killed mid-relocation: the worker rolls back alone (ovs-ofctl), the
#     block flows stay; the restarted controller adopts them (still blocked, listed).
# Each time: production keeps serving, nothing of the attack reaches production, no relocation
# flow (cookie 0x4d47) and no restored process left. Root only.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=${HS_SOURCE_DIR:-$HERE/../..}
BUILD=${HS_BUILD_DIR:-$SRC/build-reloc}
HS=$BUILD/src/cli/honeyshift
TOPO=$HERE/topo-reloc2.yaml
LAB=hsr2
S=/run/honeyshift/$LAB
BR=hsr2-br0
CLIENT=$SRC/scripts/demo_client.py
export HS_HOSTINIT=$BUILD/src/lab/honeyshift-hostinit HS_HONEYSHIFTD=$BUILD/src/ctl/honeyshiftd
export PATH=$SRC/.deps/criu/sbin:$PATH
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
TMP=$(mktemp -d /tmp/mig_ips_faults.XXXXXX)
fails=0
ok() { echo "ok   - $*"; }
bad() { echo "FAIL - $*"; fails=$((fails + 1)); }
cleanup() {
  [ -n "${KA:-}" ] && kill "$KA" 2>/dev/null
  if [ "$fails" != 0 ]; then
    echo "--- controller log (tail)"; tail -n 30 "$S/honeyshiftd.log" 2>/dev/null
  fi
  "$HS" lab down "$TOPO" --quiet >/dev/null 2>&1
  rm -rf "$TMP" /dev/shm/honeyshift-$LAB-*
}
trap cleanup EXIT
events() { grep '"event_type":"relocation"' "$S/eve.json" 2>/dev/null; }
blocked_flows() { ovs-ofctl -O OpenFlow13 dump-flows $BR | grep -c 'cookie=0x48530009c612000b'; }
common_checks() { # $1: label
  ovs-ofctl -O OpenFlow13 dump-flows $BR | grep -q 'cookie=0x4d47' && bad "$1: relocation flows left" \
    || ok "$1: no relocation flow left"
  local left; left=$(ls "$S/mig/honeypot/" 2>/dev/null | grep -c '^nest-')
  [ "$left" = 0 ] && ok "$1: no restored process left" || bad "$1: $left nest(s) left"
  [ "$(blocked_flows)" -ge 2 ] && ok "$1: attacker blocked (block flows)" || bad "$1: no block flows"
  out=$(ip netns exec $LAB-attacker curl -s -m 2 http://198.18.0.80/ 2>&1)
  [ -z "$out" ] && ok "$1: attacker gets no answer from production" || bad "$1: attacker reached web: $out"
  out=$(ip netns exec $LAB-client curl -s -m 3 http://198.18.0.80/)
  echo "$out" | grep -q 1204 && ok "$1: production keeps serving" || bad "$1: client: $out"
  grep -q UNION "$S/hosts/web/log/access.log" && bad "$1: the attack reached production" \
    || ok "$1: nothing of the attack reached production"
}
# attack in the background; returns once the controller started the relocation worker
attack() {
  local n0; n0=$(grep -c "relocation .* started" "$S/honeyshiftd.log" 2>/dev/null || true)
  ip netns exec $LAB-attacker python3 "$CLIENT" 4 0.05 --attack-at 1 --machine > "$TMP/$1.out" 2>&1 &
  KA=$!
  for _ in $(seq 200); do
    [ "$(grep -c "relocation .* started" "$S/honeyshiftd.log" 2>/dev/null || true)" -gt "${n0:-0}" ] && return 0
    sleep 0.005
  done
  return 1
}

"$HS" lab down "$TOPO" --quiet >/dev/null 2>&1
# (one retry: on a loaded machine the ASan IPS daemon can miss lab up's 15 s start limit)
"$HS" lab up "$TOPO" --quiet || { "$HS" lab down "$TOPO" --quiet >/dev/null 2>&1; "$HS" lab up "$TOPO" --quiet; } \
  || { echo "FAIL - lab up"; exit 1; }

# kill_at_start PID MS: SIGKILL PID MS milliseconds after the controller logs the next
# "relocation ... started" (python: polls the log every 1 ms, no fork per poll)
# kill_at_start PID MS [children]: with "children" also its direct children
kill_at_start() {
  # the log's size now: python may start after the relocation did on a loaded machine
  python3 - "$S/honeyshiftd.log" "$1" "$2" "${3:-}" "$(stat -c %s "$S/honeyshiftd.log")" <<'PY' &
import os, re, signal, sys, time
log, pid, ms, withkids = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4] == "children"
start = int(sys.argv[5])
if os.path.getsize(log) < start:
    start = 0
end = time.time() + 20
while time.time() < end:
    with open(log, "rb") as f:
        f.seek(start)
        if re.search(rb"relocation \S+ of .* started", f.read()):
            time.sleep(ms / 1000.0)
            # the process and its children (the agent serves each connection in a child)
            kids = []
            for d in os.listdir("/proc") if withkids else []:
                try:
                    if d.isdigit() and int(open("/proc/%s/stat" % d).read().rsplit(")", 1)[1].split()[1]) == pid:
                        kids.append(int(d))
                except (OSError, IndexError, ValueError):
                    pass
            for p in [pid] + kids:
                try:
                    os.kill(p, signal.SIGKILL)
                except OSError:
                    pass
            print("killed", pid, "and children", kids, flush=True)
            break
    time.sleep(0.001)
PY
  KILLER=$!
}

# --- A. production's agent killed while the worker runs (locate/dump)
kill_at_start "$(cat "$S/hosts/web/agent.pid")" 25 children
attack A || bad "A: no relocation started"
wait $KILLER
wait $KA; KA=
for _ in $(seq 100); do [ "$(events | wc -l)" -ge 1 ] && break; sleep 0.1; done
ev=$(events | tail -n 1)
python3 -c '
import json, sys
r = json.loads(sys.argv[1])["relocation"]
assert r["outcome"] == "failed" and r["attacker_action"] == "blocked", r
assert r["stage"] in ("locate", "dump", "transfer", "connect", "flows"), r
print("A: event: failed at %s: %s" % (r["stage"], r["reason"][:120]))' "$ev" \
  && ok "A: EVE event: failed, stage named" || bad "A: event: $ev"
common_checks A

# --- B. controller killed mid-relocation, then restarted
"$HS" unshift --lab $LAB --client 198.18.0.11 >/dev/null 2>&1 # (the agent is gone: flows and lock only)
"$HS" lab up "$TOPO" --quiet >/dev/null 2>&1 || bad "B: lab up (restart the agent)"
[ "$(blocked_flows)" = 0 ] && ok "B: unshift lifted the block" || bad "B: block flows still there"
CPID=$(cat "$S/honeyshiftd.pid")
kill_at_start "$CPID" 25
attack B || bad "B: no relocation started"
wait $KILLER
wait $KA; KA=
sleep 3 # the worker's own roll-back (controller unreachable: ovs-ofctl)
common_checks "B (controller dead)"
"$HS" lab up "$TOPO" --quiet >/dev/null 2>&1 || bad "B: lab up did not restart the controller"
[ "$(cat "$S/honeyshiftd.pid")" != "$CPID" ] && ok "B: controller restarted" || bad "B: controller not restarted"
sleep 2
[ "$(blocked_flows)" -ge 2 ] && ok "B: the restarted controller kept the block flows" || bad "B: block flows gone after restart"
grep -q "block of 198.18.0.11 found in the flow table; kept" "$S/honeyshiftd.log" && ok "B: block adopted into the block list" \
  || bad "B: not adopted"
"$HS" unshift --lab $LAB --client 198.18.0.11 >/dev/null 2>&1
[ "$(blocked_flows)" = 0 ] && ok "B: unshift after the restart lifts the adopted block" || bad "B: block not lifted"

"$HS" lab down "$TOPO" --quiet >/dev/null 2>&1
left=$(ip netns list | grep -c "^$LAB-")
[ "$left" = 0 ] && ! ovs-vsctl br-exists $BR && ok "nothing left after lab down" || bad "left after lab down: netns=$left"
[ "$fails" = 0 ] && echo "PASS" || echo "FAILED: $fails"
exit $((fails > 0))
