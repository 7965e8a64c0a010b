#!/bin/bash
# mig_nginx.sh - an nginx worker's live keep-alive connection relocated into the honeypot.
# Lab hsm (topo-mig.yaml). The attacker keeps ONE connection and requests every 100 ms; a benign
# client hammers web; `honeyshift shift` moves the attacker's connection: later answers must
# come on the same connection from the honeypot (1198 records, not 1204), web's access log must
# show no attacker request after the shift, the benign client no error. A key-less peer is
# refused. unshift and lab down must leave nothing behind. Root only.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=${HS_SOURCE_DIR:-$HERE/../..}
BUILD=${HS_BUILD_DIR:-$SRC/build-mig}
HS=$BUILD/src/cli/honeyshift
AGENT=$BUILD/src/mig/honeyshift-agent
TOPO=$HERE/topo-mig.yaml
S=/run/honeyshift/hsm
RUNS=${MIG_RUNS:-3}
export HS_HOSTINIT=$BUILD/src/lab/honeyshift-hostinit HS_HONEYSHIFTD=$BUILD/src/ctl/honeyshiftd
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
TMP=$(mktemp -d /tmp/mig_nginx.XXXXXX)
fails=0
ok() { echo "ok   - $*"; }
bad() { echo "FAIL - $*"; fails=$((fails + 1)); }
stop_agents() {
  for h in web honeypot; do
    [ -f "$TMP/agent-$h.pid" ] && kill "$(cat "$TMP/agent-$h.pid")" 2>/dev/null
  done
}
cleanup() {
  stop_agents
  [ -n "${HAMMER:-}" ] && kill "$HAMMER" 2>/dev/null
  "$HS" lab down "$TOPO" --quiet >/dev/null 2>&1
  rm -rf "$TMP" /dev/shm/honeyshift-hsm-*
}
trap cleanup EXIT


"$HS" lab down "$TOPO" --quiet >/dev/null 2>&1
"$HS" lab up "$TOPO" --quiet || { echo "FAIL - lab up"; exit 1; }
# lab up started one agent per production/honeypot host, with the lab's key
for h in web honeypot; do
  [ -s "$S/hosts/$h/agent.pid" ] && kill -0 "$(cat "$S/hosts/$h/agent.pid")" 2>/dev/null \
    && ok "agent of $h started by lab up" || { echo "FAIL - no agent for $h"; exit 1; }
done

# a peer without the key is refused before anything happens
head -c 32 /dev/urandom > "$TMP/wrong.key"; chmod 600 "$TMP/wrong.key"
out=$("$HS" shift --lab hsm --client 198.18.0.11:1 --key "$TMP/wrong.key" 2>&1)
if echo "$out" | grep -q "authentication failed"; then ok "key-less peer refused"; else bad "key-less peer: $out"; fi
[ -z "$(ovs-ofctl -O OpenFlow13 dump-flows hsm-br0 | grep 0x4d47)" ] && ok "no flows after refused shift" || bad "flows left after refused shift"

# benign client hammering web throughout
"$HS" lab exec --lab hsm client -- sh -c \
  'e=0; n=0; end=$(($(date +%s)+'$((RUNS * 6 + 6))')); while [ $(date +%s) -lt $end ]; do n=$((n+1)); curl -s -m 2 -o /dev/null -w "%{http_code}\n" http://web/ | grep -q 200 || e=$((e+1)); done; echo "benign $n $e"' \
  > "$TMP/benign.out" 2>&1 &
HAMMER=$!

for run in $(seq 1 "$RUNS"); do
  ip netns exec hsm-attacker python3 "$HERE/ka_records.py" 80 40 0.1 $run -1 > "$TMP/ka$run.out" 2>&1 &
  KA=$!
  PORT=
  for _ in $(seq 50); do # the client's port (slow to start on a loaded machine)
    PORT=$(awk '/^PORT/{print $2}' "$TMP/ka$run.out")
    [ -n "$PORT" ] && break
    sleep 0.1
  done
  sleep 0.5
  log_before=$(wc -l < "$S/hosts/web/log/access.log")
  "$HS" shift --lab hsm --client "198.18.0.11:$PORT" --json > "$TMP/shift$run.json" 2>&1
  T_SHIFT=$(date +%s.%N)
  wait $KA
  cat "$TMP/shift$run.json"
  if grep -q '"ok":true' "$TMP/shift$run.json"; then ok "run $run: shift"; else bad "run $run: shift failed"; fi
  grep -q "END ok" "$TMP/ka$run.out" && ok "run $run: same connection, no reset" || bad "run $run: connection broke: $(tail -1 "$TMP/ka$run.out")"
  first=$(awk '$3=="1204"' "$TMP/ka$run.out" | wc -l); hp=$(awk '$3=="1198"' "$TMP/ka$run.out" | wc -l)
  last=$(awk 'NF==3{m=$3} END{print m}' "$TMP/ka$run.out")
  [ "$first" -gt 0 ] && [ "$hp" -gt 0 ] && [ "$last" = 1198 ] && ok "run $run: web answered $first, honeypot $hp" \
    || bad "run $run: answers web=$first honeypot=$hp last=$last"
  # after the shift web logs no attacker request (allow the ones in flight while the CLI starts
  # and asks the controller: the client sends every 100 ms, an ASan CLI may take longer)
  after=$(tail -n +$((log_before + 1)) "$S/hosts/web/log/access.log" | grep -c "hs-attacker")
  hp_log=$(grep -c "hs-attacker" "$S/hosts/honeypot/log/access.log")
  [ "$after" -le 2 ] && [ "$hp_log" -ge "$hp" ] && ok "run $run: web logged $after attacker request(s) after the shift, honeypot log has them" \
    || bad "run $run: web logged $after attacker requests after the shift (honeypot log $hp_log)"
  # gap seen by the attacker
  awk 'NF==3{if(p)d=$2-p; if(d>g)g=d; p=$2} END{printf "run '$run': largest gap between answers %.0f ms (100 ms is the pace)\n", g*1000}' "$TMP/ka$run.out"
  "$HS" unshift --lab hsm --client 198.18.0.11 || bad "run $run: unshift"
  [ -z "$(ovs-ofctl -O OpenFlow13 dump-flows hsm-br0 | grep 0x4d47)" ] && ok "run $run: flows removed" || bad "run $run: flows left"
  left=$(ls /run/honeyshift/hsm/mig/honeypot/ 2>/dev/null | grep -c '^nest-')
  [ "$left" = 0 ] && ok "run $run: no restored process left" || bad "run $run: $left nest(s) left"
done
wait $HAMMER; HAMMER=
read -r _ n e < <(grep '^benign' "$TMP/benign.out")
[ "${n:-0}" -gt 0 ] && [ "${e:-1}" = 0 ] && ok "benign client: $n requests, 0 errors" || bad "benign client: $(cat "$TMP/benign.out")"

stop_agents
"$HS" lab down "$TOPO" --quiet >/dev/null 2>&1
left=$(ip netns list | grep -c '^hsm-'); procs=$(pgrep -fc "honeyshift-agent .*hsm|/run/honeyshift/hsm/" || true)
[ "$left" = 0 ] && [ "${procs:-0}" = 0 ] && ! ovs-vsctl br-exists hsm-br0 && ok "nothing left after lab down" \
  || bad "left after lab down: netns=$left processes=$procs"
[ "$fails" = 0 ] && echo "PASS" || echo "FAILED: $fails"
exit $((fails > 0))
