#!/bin/bash
# mig_ips_nginx.sh - an IPS detection relocates the attacker: lab hsr (topo-reloc.yaml, IPS
# inline, ips.on_attack relocate, two attacker hosts).
#  1. attacker: ONE keep-alive connection, benign requests, an SQL injection, more requests:
#     every answer on the same connection; from the injection on the honeypot's decoy answers;
#     web's access log never shows the injection, the honeypot's does; a benign client hammering
#     web throughout sees no error; the EVE relocation event says relocated, with timings.
#  2. after `honeyshift unshift`, attacker and attacker2 attack at the same time: both are
#     relocated (the attacker again: the lock was reset) and the two relocations overlap; once
#     with the two connections on different nginx workers, once on the same worker.
#  3. unshift both: no relocation flow (cookie 0x4d47) and no restored process left; lab down
#     leaves nothing. Root only.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=${HS_SOURCE_DIR:-$HERE/../..}
BUILD=${HS_BUILD_DIR:-$SRC/build-reloc}
HS=$BUILD/src/cli/honeyshift
TOPO=$HERE/topo-reloc.yaml
LAB=hsr
S=/run/honeyshift/$LAB
BR=hsr-br0
CLIENT=$SRC/scripts/demo_client.py
export HS_HOSTINIT=$BUILD/src/lab/honeyshift-hostinit HS_HONEYSHIFTD=$BUILD/src/ctl/honeyshiftd
export PATH=$SRC/.deps/criu/sbin:$PATH
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
TMP=$(mktemp -d /tmp/mig_ips_nginx.XXXXXX)
fails=0
ok() { echo "ok   - $*"; }
bad() { echo "FAIL - $*"; fails=$((fails + 1)); }
cleanup() {
  [ -n "${HAMMER:-}" ] && kill "$HAMMER" 2>/dev/null
  for p in ${KAS:-}; do kill "$p" 2>/dev/null; done
  if [ "$fails" != 0 ] || [ -n "${KEEPLOG:-}" ]; then
    echo "--- controller log (tail)"; tail -n 40 "$S/honeyshiftd.log" 2>/dev/null
    echo "--- eve relocation events"; grep '"relocation"' "$S/eve.json" 2>/dev/null | tail -n 5
  fi
  "$HS" lab down "$TOPO" --quiet >/dev/null 2>&1
  rm -rf "$TMP" /dev/shm/honeyshift-$LAB-*
}
trap cleanup EXIT

events() { grep '"event_type":"relocation"' "$S/eve.json" 2>/dev/null; }
# wait_events N: until N relocation events are in the EVE log (at most 15 s)
wait_events() {
  for _ in $(seq 150); do
    [ "$(events | wc -l)" -ge "$1" ] && return 0
    sleep 0.1
  done
  return 1
}
no_leftovers() { # $1: label
  if ovs-ofctl -O OpenFlow13 dump-flows $BR | grep -q 'cookie=0x4d47'; then
    bad "$1: relocation flows left"; ovs-ofctl -O OpenFlow13 dump-flows $BR | grep 0x4d47
  else ok "$1: no relocation flow left"; fi
  local left
  left=$(ls "$S/mig/honeypot/" 2>/dev/null | grep -c '^nest-')
  [ "$left" = 0 ] && ok "$1: no restored process left" || bad "$1: $left nest(s) left"
}

"$HS" lab down "$TOPO" --quiet >/dev/null 2>&1
# (one retry: on a loaded machine the ASan IPS daemon can miss lab up's 15 s start limit)
"$HS" lab up "$TOPO" --quiet || { "$HS" lab down "$TOPO" --quiet >/dev/null 2>&1; "$HS" lab up "$TOPO" --quiet; } \
  || { echo "FAIL - lab up"; exit 1; }
for h in web honeypot; do
  [ -s "$S/hosts/$h/agent.pid" ] || { echo "FAIL - no agent for $h"; exit 1; }
done

# benign client hammering web throughout
"$HS" lab exec --lab $LAB client -- sh -c \
  'e=0; n=0; end=$(($(date +%s)+22)); while [ $(date +%s) -lt $end ]; do n=$((n+1)); curl -s -m 2 -o /dev/null -w "%{http_code}\n" http://web/ | grep -q 200 || e=$((e+1)); done; echo "benign $n $e"' \
  > "$TMP/benign.out" 2>&1 &
HAMMER=$!
sleep 0.5

# --- 1. one attacker, one connection
web_log=$S/hosts/web/log/access.log; hp_log=$S/hosts/honeypot/log/access.log
ip netns exec $LAB-attacker python3 "$CLIENT" 16 0.1 --attack-at 5 --machine > "$TMP/a1.out" 2>&1
cat "$TMP/a1.out" | tail -n 3
grep -q "END ok" "$TMP/a1.out" && ok "attacker: same connection throughout, no reset" \
  || bad "attacker: connection broke: $(tail -1 "$TMP/a1.out")"
before=$(awk 'NF==4 && $1<5 && $4=="1204"' "$TMP/a1.out" | wc -l)
after=$(awk 'NF==4 && $1>=5 && $4=="1198"' "$TMP/a1.out" | wc -l)
[ "$before" = 5 ] && [ "$after" = 11 ] && ok "answers: 5 from production, then 11 decoy answers (from the injection on)" \
  || bad "answers: production $before of 5, honeypot $after of 11: $(awk 'NF==4{printf "%s:%s ", $1, $4}' "$TMP/a1.out")"
awk 'NF==4 && $1==5 {printf "attacker saw the injection answered after %.1f ms\n", ($3-$2)*1000}' "$TMP/a1.out"
grep -q "UNION" "$web_log" && bad "web's access log shows the injection" || ok "web's access log never shows the injection"
grep -q "UNION" "$hp_log" && ok "the honeypot's access log has the injection" || bad "honeypot log lacks the injection"
wait_events 1 || bad "no relocation event"
ev=$(events | tail -n 1)
echo "$ev"
python3 - "$ev" <<'PY' && ok "EVE relocation event: relocated, trigger ips, timings" || bad "relocation event: $ev"
import json, sys
e = json.loads(sys.argv[1]); r = e["relocation"]; t = r["timings_ms"]
assert e["event_type"] == "relocation" and e["src_ip"] == "198.18.0.11" and e["dest_port"] == 80
assert r["outcome"] == "relocated" and r["trigger"] == "ips" and r["attacker_action"] == "relocated"
assert r["from"] == "web" and r["to"] == "honeypot" and r["kind"] == "nginx" and r["signature_id"] > 0
assert r["restored_pid"] > 0 and r["image_bytes"] > 0
for k in ("detect", "hold", "locate", "dump", "transfer", "restore", "flows", "reinject",
          "first_byte", "pause", "total"):
    assert k in t and t[k] >= 0, k
assert t["pause"] < t["total"] + 1
print("timings_ms:", " ".join("%s=%.1f" % kv for kv in t.items()))
PY
out=$("$HS" events --lab $LAB --type relocation 2>&1)
echo "$out" | tail -n 1
echo "$out" | grep -q "relocat" && ok "honeyshift events --type relocation shows it" || bad "events: $out"

# a repeated report of a relocated attacker re-triggers nothing
n_ev=$(events | wc -l)
ip netns exec $LAB-attacker curl -s -m 2 -o /dev/null "http://198.18.0.80/?id=1%27%20UNION%20SELECT%201--" ; sleep 0.5
[ "$(events | wc -l)" = "$n_ev" ] && ok "a further attack by a relocated attacker starts nothing" || bad "a second event appeared"

# --- 2. unshift, then two attackers at once: first on two different nginx workers, then both
# on the same worker (production forgets each relocated connection under the dump lock, so the
# second dump of that worker carries no copy of the first one: docs/relocation.md)
worker_of() {  # local port of a client connection -> pid of the web worker holding it
  ip netns exec $LAB-web ss -tnpH state established "( dport = :$1 )" 2>/dev/null \
    | grep -o 'pid=[0-9]*' | head -n 1
}
two_at_once() {  # same|different
  local want=$1 wa wb pb try
  "$HS" unshift --lab $LAB --client 198.18.0.11 >/dev/null || bad "unshift attacker"
  "$HS" unshift --lab $LAB --client 198.18.0.12 >/dev/null || bad "unshift attacker2"
  no_leftovers "before two attackers on $want workers"
  n_ev=$(events | wc -l)
  rm -f "$TMP/go" "$TMP/pa"
  ip netns exec $LAB-attacker python3 "$CLIENT" 10 0.1 "$TMP/pa" --attack-at 3 --machine --go "$TMP/go" > "$TMP/a2.out" 2>&1 &
  KAS="$!"
  for _ in $(seq 50); do [ -s "$TMP/pa" ] && break; sleep 0.1; done
  wa=$(worker_of "$(cat "$TMP/pa" 2>/dev/null)")
  for try in $(seq 30); do
    rm -f "$TMP/pb"
    ip netns exec $LAB-attacker2 python3 "$CLIENT" 10 0.1 "$TMP/pb" --attack-at 3 --machine --go "$TMP/go" > "$TMP/b2.out" 2>&1 &
    pb=$!
    for _ in $(seq 50); do [ -s "$TMP/pb" ] && break; sleep 0.1; done
    wb=$(worker_of "$(cat "$TMP/pb" 2>/dev/null)")
    if [ -n "$wa" ] && [ -n "$wb" ]; then
      [ "$want" = different ] && [ "$wa" != "$wb" ] && break
      [ "$want" = same ] && [ "$wa" = "$wb" ] && break
    fi
    kill "$pb" 2>/dev/null; wait "$pb" 2>/dev/null
  done
  KAS="$KAS $pb"
  if [ "$want" = same ]; then
    [ -n "$wa" ] && [ "$wa" = "$wb" ] && ok "both attackers on nginx worker ${wa#pid=}" \
      || bad "could not place the attackers on one worker ($wa, $wb)"
  else
    [ -n "$wa" ] && [ -n "$wb" ] && [ "$wa" != "$wb" ] && ok "attackers on workers ${wa#pid=} and ${wb#pid=}" \
      || bad "could not place the attackers on two workers ($wa, $wb)"
  fi
  touch "$TMP/go"
  wait $KAS; KAS=
  for f in a2 b2; do
    grep -q "END ok" "$TMP/$f.out" && [ "$(awk 'NF==4 && $1>=3 && $4=="1198"' "$TMP/$f.out" | wc -l)" = 7 ] \
      && ok "$want worker: $f: same connection, decoy answers from the injection on" \
      || bad "$want worker: $f: $(awk 'NF==4{printf "%s:%s ", $1, $4}' "$TMP/$f.out") $(tail -1 "$TMP/$f.out")"
  done
  wait_events $((n_ev + 2)) || bad "$want worker: two relocation events expected"
  events | tail -n 2 > "$TMP/ev2"
  python3 - "$TMP/ev2" <<'PY' && ok "$want worker: both attackers relocated, relocations overlapping in time" || bad "$want worker: concurrent relocations: $(cat "$TMP/ev2")"
import json, sys, datetime
ev = [json.loads(l) for l in open(sys.argv[1])]
assert sorted(e["src_ip"] for e in ev) == ["198.18.0.11", "198.18.0.12"], ev
spans = []
for e in ev:
    r = e["relocation"]
    assert r["outcome"] == "relocated", r
    end = datetime.datetime.strptime(e["timestamp"], "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()
    t = r["timings_ms"]
    # the worker's span: from the end of the hold to the end of the move (first byte)
    start = end - (t["total"] - t["hold"] - t.get("detect", 0)) / 1000.0
    spans.append((start, end, t["total"]))
(a0, a1, _), (b0, b1, _) = spans
overlap = min(a1, b1) - max(a0, b0)
print("spans (s): %.3f..%.3f and %.3f..%.3f, overlap %.0f ms" % (a0, a1, b0, b1, overlap * 1000))
assert overlap > 0
PY
}
two_at_once different
two_at_once same

# --- 3. release both, nothing left
"$HS" unshift --lab $LAB --client 198.18.0.11 >/dev/null || bad "unshift attacker"
"$HS" unshift --lab $LAB --client 198.18.0.12 >/dev/null || bad "unshift attacker2"
no_leftovers "end"
out=$(ip netns exec $LAB-attacker curl -s -m 3 http://198.18.0.80/)
echo "$out" | grep -q "1204" && ok "released attacker reaches production again" || bad "released attacker: $out"

# --- 4. the generic flows command: another subsystem's flow, added and removed via the controller
ctl() { python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(sys.argv[2].encode()+b"\n"); print(s.makefile().readline().strip())' "$S/ctl.sock" "$1"; }
out=$(ctl '{"cmd":"flows","switch":"hsr-br0","add":[{"priority":3000,"cookie":"0x534e0000000000aa","match":{"in_port":5,"eth_type":2048,"ipv4_dst":"198.18.0.99"},"actions":[]}]}')
echo "$out" | grep -q '"ok": *true' && ovs-ofctl -O OpenFlow13 dump-flows $BR | grep -q 'cookie=0x534e0000000000aa' \
  && ok "flows command: flow added (answered after the barrier)" || bad "flows add: $out"
out=$(ctl '{"cmd":"flows","switch":"hsr-br0","delete":[{"cookie":"0x534e000000000000","cookie_mask":"0xffff000000000000"}]}')
echo "$out" | grep -q '"ok": *true' && ! ovs-ofctl -O OpenFlow13 dump-flows $BR | grep -q 'cookie=0x534e' \
  && ok "flows command: flow removed" || bad "flows delete: $out"
out=$(ctl '{"cmd":"flows","switch":"hsr-br0","delete":[{"cookie":"0x4853000000000000","cookie_mask":"0xffff000000000000"}]}')
echo "$out" | grep -q '"ok": *false' && ok "flows command refuses the controller's own cookies" || bad "flows reserved: $out"

wait $HAMMER; HAMMER=
read -r _ n e < <(grep '^benign' "$TMP/benign.out")
[ "${n:-0}" -gt 0 ] && [ "${e:-1}" = 0 ] && ok "benign client: $n requests, 0 errors" || bad "benign client: $(cat "$TMP/benign.out")"

"$HS" lab down "$TOPO" --quiet >/dev/null 2>&1
left=$(ip netns list | grep -c "^$LAB-")
[ "$left" = 0 ] && ! ovs-vsctl br-exists $BR && ok "nothing left after lab down" || bad "left after lab down: netns=$left"
[ "$fails" = 0 ] && echo "PASS" || echo "FAILED: $fails"
exit $((fails > 0))
