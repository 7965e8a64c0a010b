#!/usr/bin/env bash
# ips_inline.sh - the inline IPS in the lab (own lab "hsi", topo-ips.yaml): while client runs a
# benign keep-alive HTTP load against web, attacker's benign request works, its SQL injection
# (curl) and a bounded sqlmap run are detected: EVE alerts appear, the attacker is blocked, web's
# access log never contains an attack payload, and client's load sees zero errors.
. "$(dirname "$0")/lib.sh"
hs_require_root
hs_init
TOPO=$HS_SOURCE_DIR/tests/integration/topo-ips.yaml
LAB=hsi
SD=/run/honeyshift/$LAB
export SOCK=$SD/ctl.sock
ACCESS=$SD/hosts/web/log/access.log
EVE=$SD/eve.json
HS_IPSD_BIN=$HS_BUILD_DIR/src/ipsd/honeyshift-ipsd
[ -x "$HS_IPSD_BIN" ] || hs_fail "no $HS_IPSD_BIN (build first)"
export HS_IPSD=$HS_IPSD_BIN
hs_no_controller && { hs_log "SKIP: needs the controller"; exit 77; }
command -v wrk >/dev/null || hs_fail "wrk is not installed (scripts/setup.sh)"
command -v sqlmap >/dev/null || hs_fail "sqlmap is not installed (scripts/setup.sh)"
lab() { "$HS_BIN" lab "$@"; }
ctl() { python3 -c 'import socket,sys
s=socket.socket(socket.AF_UNIX); s.settimeout(3); s.connect(sys.argv[1]); s.sendall(sys.argv[2].encode()+b"\n")
b=b""
while not b.endswith(b"\n"):
    c=s.recv(65536)
    if not c: break
    b+=c
print(b.decode().strip())' "$SOCK" "$1"; }

lab down "$TOPO" --quiet >/dev/null 2>&1
hs_on_exit "'$HS_BIN' lab down '$TOPO' --quiet"
hs_step "lab up with the IPS"
if ! out=$(lab up "$TOPO" 2>&1); then
  case "$out" in
    *"has no IPS engine"*) hs_log "SKIP: honeyshift-ipsd was built without the IPS engine: $out"; exit 77 ;;
  esac
  hs_fail "lab up: $out"
fi
hs_expect_contains "ipsd started" "honeyshift-ipsd" "$out"
st=$(lab status --lab $LAB --json)
hs_check "status shows the IPS running with its link" python3 -c 'import json,sys; d=json.loads(sys.argv[1]); i=d["ips"]; assert i["enabled"] and i["link"] and i["running"], i' "$st"

hs_step "benign keep-alive load from client (runs throughout)"
LOAD=$(mktemp)
lab exec --lab $LAB client -- wrk -t1 -c4 -d60s --timeout 5s http://web/ >"$LOAD" 2>&1 &
WRK_PID=$!
hs_on_exit "kill $WRK_PID"
sleep 2

hs_step "attacker: a benign request works"
code=$(lab exec --lab $LAB attacker -- curl -s -m 5 -o /dev/null -w '%{http_code}' 'http://web/?id=1')
hs_expect_eq "benign request from attacker answered" 200 "$code"

hs_step "IPv6 (not inspected) never goes around the IPS"
# the MACs from the hosts' own network namespaces (a host's /sys may be the machine's sysfs)
WEB_MAC=$(lab exec --lab $LAB web -- ip -o link show eth0 | grep -o 'link/ether [0-9a-f:]*' | cut -d' ' -f2)
V6CAP=$(mktemp)
lab exec --lab $LAB web -- timeout 3 tcpdump -i eth0 -n -c 1 ip6 >"$V6CAP" 2>&1 &
V6PID=$!
sleep 1
lab exec --lab $LAB client -- python3 -c '
import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW); s.bind(("eth0", 0))
src = s.getsockname()[4]
eth = bytes.fromhex(sys.argv[1].replace(":", "")) + src + b"\x86\xdd"
ip6 = bytes.fromhex("6000000000083aff") + bytes(32) + bytes.fromhex("8000000000010001")  # echo request
for _ in range(3): s.send(eth + ip6)' "$WEB_MAC"
wait $V6PID
hs_check "web received no IPv6 frame from client" grep -q '^0 packets captured' "$V6CAP"
hs_check "the switch dropped them (uninspected EtherType, priority 299)" sh -c \
  "ovs-ofctl -O OpenFlow13 dump-flows hsi-br0 'table=1,dl_dst=$WEB_MAC' | grep 'priority=299' | grep -qv 'n_packets=0,'"
rm -f "$V6CAP"

hs_step "attacker: SQL injection with curl is blocked"
ATTACK="/?id=1%27%20UNION%20SELECT%20username,password%20FROM%20users--%20"
alerts_before=$(grep -c '"event_type":"alert"' "$EVE" 2>/dev/null || true)
code=$(lab exec --lab $LAB attacker -- curl -s -m 5 -o /dev/null -w '%{http_code}' "http://web$ATTACK" || true)
hs_check "no answer to the attack (got '$code')" test "$code" != 200
hs_check "an EVE alert names the attacker" hs_retry 5 grep -q '"src_ip":"198.18.0.11"' "$EVE"
alerts_after=$(grep -c '"event_type":"alert"' "$EVE")
hs_check "alert count grew ($alerts_before -> $alerts_after)" test "$alerts_after" -gt "${alerts_before:-0}"
hs_check "the controller blocked the attacker" hs_retry 5 sh -c "$(declare -f ctl); ctl '{\"cmd\":\"blocks\"}' | grep -q 198.18.0.11"
code=$(lab exec --lab $LAB attacker -- curl -s -m 3 -o /dev/null -w '%{http_code}' 'http://web/?id=2' || true)
hs_check "a blocked attacker gets nothing, even benign (got '$code')" test "$code" != 200
hs_check_not "web's access log never saw the attack" grep -qiE 'union|select' "$ACCESS"
# the offending frame is held; once the controller has the report it takes the held frames with
# it (for re-injection on relocation) and the queue is released, so either state is right
hs_check "the offending frame is held by the IPS (or handed to the controller)" hs_retry 3 python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["verdicts"]["attacks"]>=1 and (d["hold"]["frames"]>=1 or d["reports"]["ok"]>=1), d' "$SD/ipsd.stats.json"

hs_step "sqlmap from attacker (after lifting the block)"
ctl '{"cmd":"unblock","attacker":"198.18.0.11"}' >/dev/null
alerts_before=$(grep -c '"event_type":"alert"' "$EVE")
lab exec --lab $LAB attacker -- timeout 60 sqlmap --batch -u 'http://web/?id=1' --level 1 --risk 1 \
  --timeout 3 --retries 0 --technique=BU --flush-session --disable-coloring >/dev/null 2>&1 || true
alerts_after=$(grep -c '"event_type":"alert"' "$EVE")
hs_check "sqlmap raised alerts ($alerts_before -> $alerts_after)" test "$alerts_after" -gt "$alerts_before"
hs_check_not "web's access log has no sqlmap payload" grep -qiE 'union|select|%27|sleep\(|%20and%20|%20or%20' "$ACCESS"

hs_step "client's benign load: zero errors"
wait $WRK_PID
cat "$LOAD"
hs_check "client's load made requests" grep -q 'requests in' "$LOAD"
hs_check_not "no socket errors" grep -q 'Socket errors' "$LOAD"
hs_check_not "no non-2xx answers" grep -q 'Non-2xx' "$LOAD"

hs_step "steering off (bypass) and on again"
ctl '{"cmd":"ips","steer":false}' >/dev/null
hs_check "bypassed: the fail-closed drops are gone with the steering" hs_retry 5 sh -c \
  "! ovs-ofctl -O OpenFlow13 dump-flows hsi-br0 table=1 | grep -q 'priority=299'"
code=$(lab exec --lab $LAB client -- curl -s -m 5 -o /dev/null -w '%{http_code}' 'http://web/?id=3' || true)
hs_expect_eq "bypassed: client's request answered" 200 "$code"
ctl '{"cmd":"ips","steer":true}' >/dev/null
hs_check "steered again: the fail-closed drops are back" hs_retry 5 sh -c \
  "ovs-ofctl -O OpenFlow13 dump-flows hsi-br0 table=1 | grep -q 'priority=299'"
code=$(lab exec --lab $LAB client -- curl -s -m 5 -o /dev/null -w '%{http_code}' 'http://web/?id=4' || true)
hs_expect_eq "steered again: client's request answered" 200 "$code"
