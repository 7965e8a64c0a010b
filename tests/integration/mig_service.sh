#!/bin/bash
# mig_service.sh KIND - a live keep-alive connection to a Flask (gunicorn gthread worker) or
# Node.js server relocated into the honeypot; used by mig_flask.sh (lab hsv) and mig_node.sh
# (lab hsv2), topologies topo-mig-KIND.yaml. Per run the attacker keeps ONE connection and sends
# a request every 100 ms; a benign client hammers web (short connections) and holds its own
# keep-alive connection throughout. With MIG_TRIGGER=ips (the default) request 5 is an SQL injection and the IPS's
# detection relocates (ips.on_attack: relocate), with MIG_TRIGGER=operator `honeyshift shift`
# does. Checked: every answer on the same connection (no reset, no reconnect), answers from the
# injection on (or after the shift) carry the honeypot's decoy (1198 records, not 1204), web's
# access log never shows the injection nor a later request, the honeypot's log has them, the
# restored process's parent has the PID it had in production, the benign clients see no error.
# Several runs: the same worker is relocated more than once; PIDs that the honeypot's own
# processes also hold are reported. unshift and lab down leave nothing behind. Root only.
set -u
KIND=${1:?usage: mig_service.sh flask|node}
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=${HS_SOURCE_DIR:-$HERE/../..}
BUILD=${HS_BUILD_DIR:-$SRC/build-services}
HS=$BUILD/src/cli/honeyshift
TOPO=$HERE/topo-mig-$KIND.yaml
case $KIND in
  flask) LAB=hsv; PORT=8000 ;;
  node) LAB=hsv2; PORT=3000 ;;
  *) echo "unknown kind $KIND"; exit 2 ;;
esac
S=/run/honeyshift/$LAB
RUNS=${MIG_RUNS:-3}
# ips (default): request 5 of the attacker is an SQL injection, the IPS's detection relocates;
# operator: `honeyshift shift` moves the connection while benign requests flow
TRIGGER=${MIG_TRIGGER:-ips}
export HS_HOSTINIT=$BUILD/src/lab/honeyshift-hostinit HS_HONEYSHIFTD=$BUILD/src/ctl/daemon/honeyshiftd
[ -x "$HS_HONEYSHIFTD" ] || HS_HONEYSHIFTD=$BUILD/src/ctl/honeyshiftd
export HS_SHIM=$BUILD/src/shim/libhs_reuseport.so HS_IPSD=${HS_IPSD:-$BUILD/src/ipsd/honeyshift-ipsd}
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
PY=/usr/bin/python3
TMP=$(mktemp -d /tmp/mig_$KIND.XXXXXX)
fails=0
ok() { echo "ok   - $*"; }
bad() { echo "FAIL - $*"; fails=$((fails + 1)); }
cleanup() {
  [ -n "${HAMMER:-}" ] && kill "$HAMMER" 2>/dev/null
  [ -n "${BKA:-}" ] && kill "$BKA" 2>/dev/null
  "$HS" unshift --lab "$LAB" --client 198.18.0.11 >/dev/null 2>&1
  "$HS" lab down "$TOPO" --quiet >/dev/null 2>&1
  rm -rf "$TMP" /dev/shm/honeyshift-$LAB-*
}
trap cleanup EXIT


"$HS" lab down "$TOPO" --quiet >/dev/null 2>&1
"$HS" lab up "$TOPO" --quiet || { echo "FAIL - lab up"; exit 1; }
for h in web honeypot; do
  [ -s "$S/hosts/$h/agent.pid" ] && kill -0 "$(cat "$S/hosts/$h/agent.pid")" 2>/dev/null \
    && ok "agent of $h started by lab up" || { echo "FAIL - no agent for $h"; exit 1; }
done
# both twins serve, each its own content, with keep-alive
body=$(ip netns exec $LAB-client curl -s -m 3 http://198.18.0.80:$PORT/)
echo "$body" | grep -q "1204 customer records" && ok "web's $KIND serves production content" \
  || bad "web's $KIND answer: $body"
hp=$(ip netns exec $LAB-honeypot curl -s -m 3 http://127.0.0.1:$PORT/)
echo "$hp" | grep -q "1198 customer records" && ok "honeypot's $KIND serves the decoy" \
  || bad "honeypot's $KIND answer: $hp"
ka=$(ip netns exec $LAB-client curl -s -m 3 -o /dev/null -o /dev/null -w '%{num_connects}\n' \
  http://198.18.0.80:$PORT/ http://198.18.0.80:$PORT/ | tr '\n' ' ')
[ "$ka" = "1 0 " ] && ok "keep-alive: two requests over one connection" || bad "keep-alive: connects per request: $ka"

if [ "$KIND" = node ]; then
  # io_uring off (CRIU cannot dump it), SO_REUSEPORT from the shim on every node listener
  uring=0; np=0
  for p in $(pgrep -f "node $S/hosts/web/app/server.js"); do
    np=$((np + 1)); uring=$((uring + $(ls -l /proc/$p/fd 2>/dev/null | grep -c io_uring)))
    grep -q libhs_reuseport /proc/$p/maps || uring=$((uring + 1000))
  done
  [ "$np" = 2 ] && [ "$uring" = 0 ] && ok "node: $np processes, no io_uring descriptor, shim loaded" \
    || bad "node: $np processes, io_uring/shim check $uring"
  # one listening socket shared by the workers (fd 3 from the lab's launcher): a worker frozen
  # by CRIU leaves new connections to the other one
  lsocks=$(for p in $(pgrep -f "node $S/hosts/web/app/server.js"); do readlink /proc/$p/fd/3; done | sort -u)
  [ "$(echo "$lsocks" | wc -l)" = 1 ] && case $lsocks in socket:*) true ;; *) false ;; esac \
    && ok "node: the workers share one listener ($lsocks)" || bad "node: listeners: $lsocks"
fi

# benign clients: short connections hammering web, and one keep-alive connection, throughout
ip netns exec $LAB-client sh -c \
  'e=0; n=0; end=$(($(date +%s)+'$((RUNS * 7 + 4))')); while [ $(date +%s) -lt $end ]; do n=$((n+1)); curl -s -m 2 -o /dev/null -w "%{http_code}\n" http://198.18.0.80:'$PORT'/ | grep -q 200 || e=$((e+1)); done; echo "benign $n $e"' \
  > "$TMP/benign.out" 2>&1 &
HAMMER=$!
ip netns exec $LAB-client $PY "$HERE/keepalive_client.py" 198.18.0.80 $PORT $((RUNS * 7 + 2)) 0.05 \
  > "$TMP/benign-ka.out" 2>&1 &
BKA=$!

declare -A moved
ATTACK_AT=5
for run in $(seq 1 "$RUNS"); do
  n_ev=$(grep -c '"event_type":"relocation"' "$S/eve.json" 2>/dev/null)
  ip netns exec $LAB-attacker $PY "$HERE/ka_records.py" $PORT 30 0.1 $run $([ "$TRIGGER" = ips ] && echo $ATTACK_AT || echo -1) \
    > "$TMP/ka$run.out" 2>&1 &
  KA=$!
  if [ "$TRIGGER" = operator ]; then
    sleep 1
    APORT=$(awk '/^PORT/{print $2}' "$TMP/ka$run.out")
    "$HS" shift --lab $LAB --client "198.18.0.11:$APORT" --json > "$TMP/shift$run.json" 2>&1
    T_SHIFT=$(date +%s.%N)
  fi
  wait $KA
  if [ "$TRIGGER" = ips ]; then
    for _ in $(seq 100); do
      [ "$(grep -c '"event_type":"relocation"' "$S/eve.json" 2>/dev/null)" -gt "$n_ev" ] && break; sleep 0.1
    done
    grep '"event_type":"relocation"' "$S/eve.json" | tail -n 1 > "$TMP/shift$run.json"
  fi
  cat "$TMP/shift$run.json"; echo
  if [ "$TRIGGER" = ips ]; then
    $PY - "$TMP/shift$run.json" "$KIND" <<'PYC' && ok "run $run: IPS detection relocated the attacker (EVE relocation event)" || bad "run $run: no good relocation event"
import json, sys
e = json.loads(open(sys.argv[1]).read()); r = e["relocation"]
assert r["trigger"] == "ips" and r["outcome"] == "relocated" and r["kind"] == sys.argv[2], r
print("info - timings_ms:", " ".join("%s=%.1f" % kv for kv in r["timings_ms"].items()))
PYC
  elif grep -q '"ok":true' "$TMP/shift$run.json"; then ok "run $run: shift"; else bad "run $run: shift failed"; fi
  # the restored process's parent answers getppid() as in production (a gunicorn worker exits
  # on "Parent changed"): the stand-in parent in the nest holds the master's PID
  prod=$(grep -o '"\(prod_\)\?pid":[0-9]*' "$TMP/shift$run.json" | head -1 | cut -d: -f2)
  rest=$(grep -o '"restored_pid":[0-9]*' "$TMP/shift$run.json" | head -1 | cut -d: -f2)
  ppid_of() { awk '/^PPid/{print $2}' /proc/$1/status 2>/dev/null; }
  inner_of() { awk '/^NSpid/{print $NF}' /proc/$1/status 2>/dev/null; }
  mp=$(inner_of "$(ppid_of "$prod")"); rp=$(inner_of "$(ppid_of "$rest")")
  [ -n "$mp" ] && [ "$mp" = "$rp" ] && ok "run $run: restored process's parent has PID $rp as in production" \
    || bad "run $run: parent PID in production '$mp', after restore '$rp'"
  if grep -q "END ok" "$TMP/ka$run.out"; then ok "run $run: same connection, no reset"; else
    bad "run $run: connection broke: $(tail -1 "$TMP/ka$run.out")"
    echo "--- honeypot error log (tail)"; tail -n 12 "$S/hosts/honeypot/log/error.log"
    for f in "$S"/mig/*/*.log; do [ -f "$f" ] && { echo "--- $f"; grep -v RLIMIT "$f" | tail -n 5; }; done
  fi
  first=$(awk '$3=="1204"' "$TMP/ka$run.out" | wc -l); hp=$(awk '$3=="1198"' "$TMP/ka$run.out" | wc -l)
  last=$(awk 'NF==3{m=$3} END{print m}' "$TMP/ka$run.out")
  if [ "$TRIGGER" = ips ]; then
    # requests 0..4 answered by web, the injection (5) and everything after by the honeypot
    first_hp=$(awk '$3=="1198"{print $1; exit}' "$TMP/ka$run.out")
    [ "$first" = $ATTACK_AT ] && [ "$hp" = $((30 - ATTACK_AT)) ] && [ "$first_hp" = $ATTACK_AT ] \
      && ok "run $run: web answered $first, the injection and all later requests ($hp) the honeypot's decoy" \
      || bad "run $run: answers web=$first honeypot=$hp first decoy at ${first_hp:-none}"
    awk -v k=$ATTACK_AT '$1==k-1{p=$2} $1==k{printf "info - run %d: the injection was answered %.0f ms after the previous answer (100 ms pace)\n", '$run', ($2-p)*1000}' "$TMP/ka$run.out"
    # production never saw the injection nor anything the attacker sent after it
    inj=$(grep -c "UNION" "$S/hosts/web/log/access.log")
    later=$(grep -oE "r=$run&i=[0-9]+" "$S/hosts/web/log/access.log" | awk -F= -v k=$ATTACK_AT '$3>=k' | wc -l)
    hp_inj=$(grep -c "UNION" "$S/hosts/honeypot/log/access.log")
    hp_later=$(grep -oE "r=$run&i=[0-9]+" "$S/hosts/honeypot/log/access.log" | awk -F= -v k=$ATTACK_AT '$3>=k' | wc -l)
    [ "$inj" = 0 ] && [ "$later" = 0 ] && [ "$hp_inj" = "$run" ] && [ "$hp_later" = $((30 - ATTACK_AT)) ] \
      && ok "run $run: web's log has neither the injection nor a later request; the honeypot's has them" \
      || bad "run $run: web's log: injection $inj, later $later; honeypot's: injection $hp_inj, later $hp_later"
  else
    [ "$first" -gt 0 ] && [ "$hp" -gt 0 ] && [ "$last" = 1198 ] && ok "run $run: web answered $first, honeypot $hp (decoy)" \
      || bad "run $run: answers web=$first honeypot=$hp last=$last"
    # requests sent after the shift returned (+0.1 s) never reach web
    T_AFTER=$(awk -v t="$T_SHIFT" 'BEGIN{printf "%.3f", t + 0.1}')
    after=$(awk -v t=$T_AFTER 'NF==3 && $2>t {print $1}' "$TMP/ka$run.out" | while read -r i; do
      grep -c "r=$run&i=$i " "$S/hosts/web/log/access.log"; done | awk '{s+=$1} END{print s+0}')
    [ "$after" = 0 ] && ok "run $run: web logged no request sent after the shift" || bad "run $run: web logged $after requests sent after the shift"
  fi
  pid=$(grep -o '"\(prod_\)\?host_pid":[0-9]*' "$TMP/shift$run.json" | head -1 | cut -d: -f2)
  moved[$pid]=$(( ${moved[$pid]:-0} + 1 ))
  awk 'NF==3{if(p)d=$2-p; if(d>g)g=d; p=$2} END{printf "info - run '$run': largest gap between answers %.0f ms (100 ms is the pace)\n", g*1000}' "$TMP/ka$run.out"
  # the restored copy holds PIDs the honeypot's own processes hold too (own PID namespace)
  if [ -n "$pid" ]; then
    hpids=$(nsenter -t "$(cat $S/hosts/honeypot/init.pid)" -m -p sh -c 'ls /proc' 2>/dev/null | grep -x '[0-9]*')
    echo "$hpids" | grep -qx "$pid" && echo "info - run $run: the honeypot's own processes hold PID $pid too" || true
  fi
  "$HS" unshift --lab $LAB --client 198.18.0.11 >/dev/null || bad "run $run: unshift"
  [ -z "$(ovs-ofctl -O OpenFlow13 dump-flows $LAB-br0 | grep 0x4d47)" ] && ok "run $run: flows removed" || bad "run $run: flows left"
  left=$(ls $S/mig/honeypot/ 2>/dev/null | grep -c '^nest-')
  [ "$left" = 0 ] && ok "run $run: no restored process left" || bad "run $run: $left nest(s) left"
done
for p in "${!moved[@]}"; do echo "info - worker (host PID $p) relocated ${moved[$p]} time(s)"; done
wait $HAMMER; HAMMER=
wait $BKA; BKA=
read -r _ n e < <(grep '^benign' "$TMP/benign.out")
[ "${n:-0}" -gt 0 ] && [ "${e:-1}" = 0 ] && ok "benign client: $n requests, 0 errors" || bad "benign client: $(cat "$TMP/benign.out")"
grep -q '"errors": 0' "$TMP/benign-ka.out" && ok "benign keep-alive client: $(cat "$TMP/benign-ka.out")" \
  || bad "benign keep-alive client: $(cat "$TMP/benign-ka.out")"

"$HS" lab down "$TOPO" --quiet >/dev/null 2>&1
left=$(ip netns list | grep -c "^$LAB-"); procs=$(pgrep -fc "honeyshift-agent .*$LAB |/run/honeyshift/$LAB/" || true)
[ "$left" = 0 ] && [ "${procs:-0}" = 0 ] && ! ovs-vsctl br-exists $LAB-br0 && ok "nothing left after lab down" \
  || bad "left after lab down: netns=$left processes=$procs"
[ "$fails" = 0 ] && echo "PASS" || echo "FAILED: $fails"
exit $((fails > 0))
