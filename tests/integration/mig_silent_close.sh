#!/bin/bash
# mig_silent_close.sh - the restored copies of OTHER clients' connections are closed silently in
# the honeypot (TCP_REPAIR + disconnect: neither FIN nor RST), and those clients keep working
# with production. Lab hsp (topo-silent.yaml: IPS inline, ONE nginx worker on web and on the
# honeypot, so every connection is on the worker that moves).
#  1. the client opens a keep-alive connection to web and keeps sending requests (every 100 ms);
#  2. the attacker (its own keep-alive connection) sends an SQL injection: the IPS relocates the
#     worker, which holds the client's connection too;
#  3. checks: the attacker's answers on the same connection, decoy from the injection on; the
#     EVE event says relocated with closed_others >= 1; the honeypot sent no packet with FIN or
#     RST to the client (tcpdump inside the honeypot's namespace, which has a neighbour entry for
#     the client: HS_AGENT_CLOSE_OTHERS=destroy, the former SOCK_DESTROY, fails here); the client's connection
#     was answered throughout (no reset, no close) and web's access log shows its requests after
#     the relocation, the honeypot's none; nothing left behind. Root only. Lab hsp, port 6720.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=${HS_SOURCE_DIR:-$HERE/../..}
BUILD=${HS_BUILD_DIR:-$SRC/build-pause}
HS=$BUILD/src/cli/honeyshift
TOPO=$HERE/topo-silent.yaml
LAB=hsp
S=/run/honeyshift/$LAB
BR=hsp-br0
CLIENT=$SRC/scripts/demo_client.py
KA=$HERE/keepalive_client.py
export HS_HOSTINIT=$BUILD/src/lab/honeyshift-hostinit HS_HONEYSHIFTD=$BUILD/src/ctl/honeyshiftd
export PATH=$SRC/.deps/criu/sbin:$PATH
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
command -v tcpdump >/dev/null || { echo "SKIP: no tcpdump"; exit 77; }
TMP=$(mktemp -d /tmp/mig_silent_close.XXXXXX)
fails=0
ok() { echo "ok   - $*"; }
bad() { echo "FAIL - $*"; fails=$((fails + 1)); }
cleanup() {
  [ -n "${KAPID:-}" ] && kill "$KAPID" 2>/dev/null
  [ -n "${DUMP:-}" ] && kill "$DUMP" 2>/dev/null && wait "$DUMP" 2>/dev/null
  if [ "$fails" != 0 ]; then
    echo "--- controller log (tail)"; tail -n 30 "$S/honeyshiftd.log" 2>/dev/null
    echo "--- honeypot agent log (tail)"; tail -n 5 "$S/hosts/honeypot/agent.log" 2>/dev/null
  fi
  "$HS" lab down "$TOPO" --quiet >/dev/null 2>&1
  rm -rf "$TMP" /dev/shm/honeyshift-$LAB-*
}
trap cleanup EXIT

"$HS" lab down "$TOPO" --quiet >/dev/null 2>&1
"$HS" lab up "$TOPO" --quiet || { "$HS" lab down "$TOPO" --quiet >/dev/null 2>&1; "$HS" lab up "$TOPO" --quiet; } \
  || { echo "FAIL - lab up"; exit 1; }

# the honeypot knows the client's MAC (as it knows every relocated attacker's): a reset or FIN
# it sent would leave eth0 at once instead of waiting for an ARP answer that never comes
ip netns exec $LAB-honeypot ip neigh replace 198.18.0.10 lladdr 02:00:c6:14:00:0a dev eth0 nud permanent
# every packet the honeypot sends to the client with FIN or RST (there must be none)
ip netns exec $LAB-honeypot tcpdump -i eth0 -nn -U -w "$TMP/rst.pcap" \
  'dst host 198.18.0.10 and tcp[tcpflags] & (tcp-fin|tcp-rst) != 0' > "$TMP/tcpdump.err" 2>&1 &
DUMP=$!
for _ in $(seq 50); do grep -q "listening on" "$TMP/tcpdump.err" && break; sleep 0.1; done

# 1. the client's keep-alive connection to web, running through the relocation
ip netns exec $LAB-client python3 "$KA" 198.18.0.80 80 6 0.1 > "$TMP/ka.out" 2>&1 &
KAPID=$!
sleep 1

# 2. the attacker: request 3 of its keep-alive connection is the injection
ip netns exec $LAB-attacker python3 "$CLIENT" 8 0.1 --attack-at 3 --machine > "$TMP/a.out" 2>&1
grep -q "END ok" "$TMP/a.out" && ok "attacker: same connection throughout" \
  || bad "attacker: connection broke: $(tail -1 "$TMP/a.out")"
decoy=$(awk 'NF==4 && $1>=3 && $4=="1198"' "$TMP/a.out" | wc -l)
[ "$decoy" -ge 5 ] && ok "attacker: decoy from the injection on ($decoy answers)" \
  || bad "attacker: $decoy decoy answers"
for _ in $(seq 100); do grep -q '"event_type":"relocation"' "$S/eve.json" 2>/dev/null && break; sleep 0.1; done
ev=$(grep '"event_type":"relocation"' "$S/eve.json" | tail -n 1)
echo "$ev" | grep -q '"outcome":"relocated"' && ok "EVE: relocated" || bad "EVE: $ev"
closed=$(echo "$ev" | grep -o '"closed_others":[0-9]*' | cut -d: -f2)
[ "${closed:-0}" -ge 1 ] && ok "the client's restored copy was closed in the honeypot (closed_others $closed)" \
  || bad "closed_others ${closed:-none}: the client's connection was not on the moved worker"

# 3. the client: every request answered on its one connection, by production
wait "$KAPID"; krc=$?; KAPID=
cat "$TMP/ka.out"
[ "$krc" = 0 ] && ok "client: keep-alive connection answered throughout (no reset, no close)" \
  || bad "client: $(cat "$TMP/ka.out")"
after=$(grep -c hs-keepalive "$S/hosts/web/log/access.log")
hp=$(grep -c hs-keepalive "$S/hosts/honeypot/log/access.log")
# (a request of the client that sat unread in the worker's socket at dump time is restored too:
# the honeypot's copy may log that one before it is closed; its answer goes nowhere)
[ "$after" -ge 40 ] && [ "$hp" -le 1 ] && ok "client served by web ($after requests), by the honeypot at most the in-flight one ($hp)" \
  || bad "client: web served $after, honeypot $hp"
sleep 0.5
kill "$DUMP" 2>/dev/null; wait "$DUMP" 2>/dev/null; DUMP=
n=$(tcpdump -nn -r "$TMP/rst.pcap" 2>/dev/null | wc -l)
[ "$n" = 0 ] && ok "the honeypot sent no FIN/RST to the client" \
  || { bad "the honeypot sent $n FIN/RST packet(s) to the client"; tcpdump -nn -r "$TMP/rst.pcap" 2>/dev/null | head -5; }

"$HS" unshift --lab $LAB --client 198.18.0.11 >/dev/null 2>&1 || "$HS" unshift "$TOPO" --client 198.18.0.11 >/dev/null 2>&1
left=$(ls "$S/mig/honeypot/" 2>/dev/null | grep -c '^nest-')
[ "$left" = 0 ] && ok "no restored process left" || bad "$left nest(s) left"
if ovs-ofctl -O OpenFlow13 dump-flows $BR | grep -q 'cookie=0x4d47'; then bad "relocation flows left"
else ok "no relocation flow left"; fi

[ "$fails" = 0 ] && echo "PASS mig_silent_close" || echo "FAIL mig_silent_close ($fails)"
exit $((fails > 0))
