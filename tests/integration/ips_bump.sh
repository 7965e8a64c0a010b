#!/usr/bin/env bash
# ips_bump.sh - the inline IPS as a bump in the wire (own lab "hsbw", topo-bump.yaml, ips.mode
# bump): the lab wires web's veth to honeyshift-ipsd instead of the switch and puts the bump's
# veth on web's port; the controller installs no steering. While client runs a benign keep-alive
# load against web: attacker's benign request works, its SQL injection never reaches web (access
# log), raises an EVE alert and the controller's block; IPv6 and other EtherTypes from client
# never reach web; the bump fails closed when its daemon dies; client's load sees zero errors;
# lab down leaves nothing.
. "$(dirname "$0")/lib.sh"
hs_require_root
hs_init
TOPO=$HS_SOURCE_DIR/tests/integration/topo-bump.yaml
LAB=hsbw
BR=hsbw-br0
SD=/run/honeyshift/$LAB
export SOCK=$SD/ctl.sock
ACCESS=$SD/hosts/web/log/access.log
EVE=$SD/eve.json
STATS=$SD/ipsd-web.stats.json
HS_IPSD_BIN=$HS_BUILD_DIR/src/ipsd/honeyshift-ipsd
[ -x "$HS_IPSD_BIN" ] || hs_fail "no $HS_IPSD_BIN (build first)"
export HS_IPSD=$HS_IPSD_BIN
hs_no_controller && { hs_log "SKIP: needs the controller"; exit 77; }
command -v wrk >/dev/null || hs_fail "wrk is not installed (scripts/setup.sh)"
lab() { "$HS_BIN" lab "$@"; }
ctl() { python3 -c 'import socket,sys
s=socket.socket(socket.AF_UNIX); s.settimeout(3); s.connect(sys.argv[1]); s.sendall(sys.argv[2].encode()+b"\n")
b=b""
while not b.endswith(b"\n"):
    c=s.recv(65536)
    if not c: break
    b+=c
print(b.decode().strip())' "$SOCK" "$1"; }
dropped() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["verdicts"]["dropped"])' "$STATS"; }
# send_frames HOST DST_MAC ETHERTYPE_HEX PAYLOAD_HEX: three raw frames out of HOST's eth0
send_frames() {
  lab exec --lab $LAB "$1" -- python3 -c '
import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW); s.bind(("eth0", 0))
eth = bytes.fromhex(sys.argv[1].replace(":", "")) + s.getsockname()[4] + bytes.fromhex(sys.argv[2])
for _ in range(3): s.send(eth + bytes.fromhex(sys.argv[3]))' "$2" "$3" "$4"
}

lab down "$TOPO" --quiet >/dev/null 2>&1
hs_on_exit "'$HS_BIN' lab down '$TOPO' --quiet"
hs_step "lab up with the IPS as a bump in front of web"
if ! out=$(lab up "$TOPO" 2>&1); then
  case "$out" in
    *"has no IPS engine"*) hs_log "SKIP: honeyshift-ipsd was built without the IPS engine: $out"; exit 77 ;;
  esac
  hs_fail "lab up: $out"
fi
hs_expect_contains "the bump's daemon started" "ips bump of web: honeyshift-ipsd" "$out"
st=$(lab status --lab $LAB --json)
hs_check "status: mode bump, web's bump linked and its daemon running" python3 -c '
import json,sys; d=json.loads(sys.argv[1]); i=d["ips"]
assert d["all_up"] and i["mode"] == "bump" and i["link"] and i["running"], i
b = i["bumps"]; assert len(b) == 1 and b[0]["host"] == "web" and b[0]["link"] and b[0]["running"], b
assert b[0]["link_name"] == "hsbw-web.b" and b[0]["daemon_ifname"] == "hsbw-web.i" and b[0]["port"] == 3, b' "$st"
hs_check "web's own veth is on no bridge" sh -c "! ovs-vsctl --timeout=5 port-to-br hsbw-web 2>/dev/null"
hs_expect_eq "the bump's veth holds web's OpenFlow port" 3 "$(ovs-vsctl --timeout=5 get interface hsbw-web.b ofport)"
IPSD=$(cat "$SD/ipsd-web.pid")
hs_check "the bump's daemon copies between hsbw-web.i and hsbw-web" sh -c \
  "tr '\\0' ' ' </proc/$IPSD/cmdline | grep -q -- '--ifname hsbw-web.i --peer hsbw-web'"
hs_check "the controller answers with mode bump" sh -c "$(declare -f ctl); ctl '{\"cmd\":\"status\"}' | grep -q '\"mode\":\"bump\"'"
hs_check "the controller is ready" hs_retry 10 sh -c \
  "ovs-ofctl -O OpenFlow13 dump-flows $BR | grep -q 'priority=500'"
flows=$(ovs-ofctl -O OpenFlow13 dump-flows $BR)
hs_check_not "no steering flows (priority 299/300/301)" grep -qE 'priority=(299|300|301)[, ]' <<<"$flows"
resp=$(ctl '{"cmd":"ips","steer":false}')
hs_expect_contains "steering cannot be switched off in mode bump" '"ok":false' "$resp"

hs_step "benign keep-alive load from client (runs throughout)"
LOAD=$(mktemp)
hs_on_exit "rm -f '$LOAD'"
lab exec --lab $LAB client -- wrk -t1 -c4 -d30s --timeout 5s http://web/ >"$LOAD" 2>&1 &
WRK_PID=$!
hs_on_exit "kill $WRK_PID"
sleep 2

hs_step "attacker: a benign request works"
code=$(lab exec --lab $LAB attacker -- curl -s -m 5 -o /dev/null -w '%{http_code}' 'http://web/?id=1')
hs_expect_eq "benign request from attacker answered" 200 "$code"

hs_step "IPv6 and other EtherTypes from client never reach web (the bump drops them)"
WEB_MAC=$(lab exec --lab $LAB web -- ip -o link show eth0 2>/dev/null | grep -o 'link/ether [0-9a-f:]*' | cut -d' ' -f2)
CAP=$(mktemp)
hs_on_exit "rm -f '$CAP'"
lab exec --lab $LAB web -- timeout 4 tcpdump -i eth0 -n -c 1 'ip6 or ether proto 0x88b5 or vlan' >"$CAP" 2>&1 &
CAP_PID=$!
sleep 1.5
d0=$(dropped)
# ICMPv6 echo request; an IEEE local experimental EtherType; the same IPv6 packet 802.1Q-tagged
# (the kernel strips the tag before AF_PACKET: the bump sees IPv6 and drops it)
IP6="6000000000083aff$(printf '0%.0s' {1..64})8000000000010001"
send_frames client "$WEB_MAC" 86dd "$IP6"
send_frames client "$WEB_MAC" 88b5 "$(printf '41%.0s' {1..46})"
send_frames client "$WEB_MAC" 8100 "000386dd$IP6"
wait $CAP_PID
hs_check "web received none of them" grep -q '^0 packets captured' "$CAP"
hs_check "the bump dropped them (9 more drops than $d0)" hs_retry 3 sh -c \
  "$(declare -f dropped); STATS='$STATS'; [ \$(dropped) -ge $((d0 + 9)) ]"
hs_check "none of them raised an alert (the EtherType guard drops them before the engine)" \
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["verdicts"]["alerts"]==0, d' "$STATS"

hs_step "attacker: SQL injection with curl is blocked"
ATTACK="/?id=1%27%20UNION%20SELECT%20username,password%20FROM%20users--%20"
alerts_before=$(grep -c '"event_type":"alert"' "$EVE" 2>/dev/null || true)
code=$(lab exec --lab $LAB attacker -- curl -s -m 5 -o /dev/null -w '%{http_code}' "http://web$ATTACK" || true)
hs_check "no answer to the attack (got '$code')" test "$code" != 200
hs_check "an EVE alert names the attacker" hs_retry 5 grep -q '"src_ip":"198.18.0.11"' "$EVE"
alerts_after=$(grep -c '"event_type":"alert"' "$EVE")
hs_check "alert count grew ($alerts_before -> $alerts_after)" test "$alerts_after" -gt "${alerts_before:-0}"
hs_check "the controller blocked the attacker" hs_retry 5 sh -c "$(declare -f ctl); ctl '{\"cmd\":\"blocks\"}' | grep -q 198.18.0.11"
hs_check "the block flows are on the switch (priority 900)" hs_retry 5 sh -c \
  "ovs-ofctl -O OpenFlow13 dump-flows $BR | grep 'priority=900' | grep -q 198.18.0.11"
code=$(lab exec --lab $LAB attacker -- curl -s -m 3 -o /dev/null -w '%{http_code}' 'http://web/?id=2' || true)
hs_check "a blocked attacker gets nothing, even benign (got '$code')" test "$code" != 200
hs_check_not "web's access log never saw the attack" grep -qiE 'union|select' "$ACCESS"
hs_check "the bump reported the attack with its held frame" hs_retry 3 python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["verdicts"]["attacks"]>=1 and (d["hold"]["frames"]>=1 or d["reports"]["ok"]>=1), d' "$STATS"

hs_step "client's benign load: zero errors"
wait $WRK_PID
cat "$LOAD"
hs_check "client's load made requests" grep -q 'requests in' "$LOAD"
hs_check_not "no socket errors" grep -q 'Socket errors' "$LOAD"
hs_check_not "no non-2xx answers" grep -q 'Non-2xx' "$LOAD"

hs_step "the bump fails closed: without its daemon web is unreachable; lab up restarts it"
kill "$IPSD"
hs_check "the bump's daemon stopped" hs_wait_dead "$IPSD" 5
code=$(lab exec --lab $LAB client -- curl -s -m 3 -o /dev/null -w '%{http_code}' 'http://web/?id=5' || true)
hs_check "no path around the bump (got '$code')" test "$code" != 200
hs_check "lab status reports it" sh -c "! '$HS_BIN' lab status --lab $LAB >/dev/null 2>&1"
out=$(lab up "$TOPO" 2>&1) || hs_fail "lab up again: $out"
hs_expect_contains "lab up restarted the bump's daemon" "honeyshift-ipsd" "$out"
code=$(lab exec --lab $LAB client -- curl -s -m 5 -o /dev/null -w '%{http_code}' 'http://web/?id=6' || true)
hs_expect_eq "client answered through the new daemon" 200 "$code"

hs_step "ips.on_attack relocate through the bump: the attacker lands in the honeypot"
export PATH=$HS_SOURCE_DIR/.deps/criu/sbin:$PATH
if command -v criu >/dev/null; then
  RTOPO=$(mktemp /tmp/ips_bump.XXXXXX.yaml)
  hs_on_exit "rm -f '$RTOPO'"
  sed 's/^  on_attack: block.*/  on_attack: relocate/' "$TOPO" >"$RTOPO"
  grep -q 'on_attack: relocate' "$RTOPO" || hs_fail "cannot derive the relocate topology"
  lab down "$TOPO" --quiet >/dev/null 2>&1
  out=$(lab up "$RTOPO" 2>&1) || hs_fail "lab up (relocate): $out"
  body=$(lab exec --lab $LAB attacker -- curl -s -m 10 "http://web$ATTACK" || true)
  hs_expect_contains "the held injection is answered by the honeypot" "1198 customer records" "$body"
  hs_check "the EVE relocation event says relocated" hs_retry 5 grep -q '"outcome":"relocated"' "$EVE"
  hs_check_not "web's access log never saw the injection" grep -qiE 'union|select' "$ACCESS"
  hs_check "the honeypot's access log did" grep -qiE 'union' "$SD/hosts/honeypot/log/access.log"
  body=$(lab exec --lab $LAB attacker -- curl -s -m 5 'http://web/?id=7' || true)
  hs_expect_contains "the attacker's next request goes to the honeypot" "1198 customer records" "$body"
  body=$(lab exec --lab $LAB client -- curl -s -m 5 'http://web/?id=7' || true)
  hs_expect_contains "client still reaches web through the bump" "1204 customer records" "$body"
else
  hs_skip "no criu (scripts/setup.sh builds it into .deps/criu)"
fi

hs_step "lab down removes everything"
lab down "$TOPO" --quiet >/dev/null 2>&1 || hs_fail "lab down failed"
hs_check "no leftovers" hs_lab_leftovers $LAB $BR
hs_check_not "no honeyshift-ipsd of the lab" pgrep -f -- "honeyshift-ipsd --config $SD/" 
