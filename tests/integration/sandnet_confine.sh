#!/usr/bin/env bash
# sandnet_confine.sh - Sandnet's confinement on real bridges (root, OVS): PN (hsn-pn) and SN
# (hsn-sn) in secure mode under honeyshiftd (127.0.0.1:6710), linked by a patch port; the
# containers are stand-in network namespaces (same IP/MAC/port as the lab's), each running a tiny
# TCP server that names itself. With fe1 as the suspicious container (SC), be1 and db1 cloned to
# SN and fe1's fresh clone on PN, every confinement rule is checked twice:
#   - by ofproto/trace (where a frame goes, across the patch link), and
#   - by real packets between namespaces (who answers).
# Then the modes: atomic keeps SC on PN until every planned clone is ready, in-process
# redirects each ready clone; and the SN hold counter sees SC's first contact with an uncloned
# container (the reactive strategy's trigger).
# Cleans up on exit (also after a failure); runs twice in a row. Names: hsn*, 198.18.64.0/24.
set -euo pipefail

SRC=${HS_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${HS_BUILD_DIR:-$SRC/build-dev}
TOOL="$BUILD/src/sandnet/honeyshift-sandnet"
export HS_SOURCE_DIR=$SRC
WORK=
PIDS=()
NS_IDS=(fe1 be1 db1 fe2 be2 fe1-f sbe1 sdb1)

say() { echo "sandnet_confine: $*" >&2; }
fail() { say "FAIL: $*"; exit 1; }
ok() { say "  ok: $*"; }

cleanup() {
  set +e
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  for id in "${NS_IDS[@]}"; do "$TOOL" ns-down "$id" >/dev/null 2>&1; done
  "$TOOL" lab-down >/dev/null 2>&1
  [ -n "$WORK" ] && rm -rf "$WORK"
  return 0
}
trap cleanup EXIT

[ "$(id -u)" -eq 0 ] || { say "SKIP: needs root"; exit 77; }
[ -x "$TOOL" ] || fail "build $TOOL first"
ovs-vsctl --timeout=5 show >/dev/null 2>&1 || fail "Open vSwitch is not running (scripts/setup.sh)"
cleanup
WORK=$(mktemp -d /tmp/sandnet_confine.XXXXXX)

PN=hsn-pn; SN=hsn-sn; PATCH=99
FE1_MAC=02:68:73:6e:01:01; BE1_MAC=02:68:73:6e:01:02; DB1_MAC=02:68:73:6e:01:03
FE2_MAC=02:68:73:6e:02:01; BE2_MAC=02:68:73:6e:02:02
CL_MAC=02:68:73:6e:00:c8; ADV_MAC=02:68:73:6e:00:c9
IP() { echo "198.18.64.$1"; }

say "PN and SN under honeyshiftd"
"$TOOL" lab-up 2 || fail "lab-up"
"$TOOL" ext-up || fail "ext-up"
for f in "$PN" "$SN"; do
  [ "$(ovs-vsctl get bridge $f fail_mode)" = secure ] || fail "$f is not fail-mode secure"
done
ovs-ofctl -O OpenFlow13 dump-flows $PN | grep -q 'cookie=0x4853' || fail "no controller flows on PN"
ok "both bridges secure, controller flows on PN and SN, patch link $PN-p <-> $SN-p"

# stand-ins: name ip-octet mac bridge ofport
ns() { "$TOOL" ns-up "$1" --kind frontend --ip "$(IP "$2")/24" --mac "$3" --bridge "$4" --ofport "$5" >/dev/null || fail "ns-up $1"; }
ns fe1 11 $FE1_MAC $PN 11
ns be1 12 $BE1_MAC $PN 12
ns db1 13 $DB1_MAC $PN 13
ns fe2 21 $FE2_MAC $PN 21
ns be2 22 $BE2_MAC $PN 22
ns fe1-f 11 $FE1_MAC $PN 111   # SC's fresh clone: same IP and MAC, port 111
ns sbe1 12 $BE1_MAC $SN 12     # be1's clone on SN
ns sdb1 13 $DB1_MAC $SN 13     # db1's clone on SN

# a TCP server per namespace on port 7 that answers its own name
serve() {
  ip netns exec "hsn-$1" python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 7)); s.listen(16)
while True:
    c, _ = s.accept(); c.sendall((sys.argv[1] + "\n").encode()); c.close()
' "$2" >/dev/null 2>&1 &
  PIDS+=($!)
}
serve fe1 sc; serve be1 pn-be1; serve db1 pn-db1; serve fe2 pn-fe2; serve be2 pn-be2
serve fe1-f fresh; serve sbe1 sn-be1; serve sdb1 sn-db1; serve cl cl; serve adv adv
sleep 0.5
# ask NS_ID IP: the answering server's name ("" when nothing answers within 2 s)
ask() {
  ip netns exec "hsn-$1" python3 -c '
import socket, sys
try:
    s = socket.create_connection((sys.argv[1], 7), timeout=2); print(s.recv(64).decode().strip())
except OSError:
    print("")
' "$2"
}
# the fresh clone has no controller-answered ARP (its port is not in the topology): SC's entries
for o in 12 13 21 22 200 201; do
  mac=$(case $o in 12) echo $BE1_MAC;; 13) echo $DB1_MAC;; 21) echo $FE2_MAC;; 22) echo $BE2_MAC;; 200) echo $CL_MAC;; 201) echo $ADV_MAC;; esac)
  ip -n hsn-fe1-f neigh replace "$(IP $o)" lladdr "$mac" dev eth0 nud permanent
done

say "before confinement: the base policy alone"
[ "$(ask fe1 "$(IP 12)")" = pn-be1 ] || fail "fe1 -> be1 should reach PN's be1"
[ "$(ask cl "$(IP 11)")" = sc ] || fail "client -> fe1 should reach fe1"
ok "fe1 -> be1 and client -> fe1 on PN"

# trace BRIDGE FLOW: the output actions as "bridge:port" (IN_PORT shown as bridge:in_port)
trace() {
  # nested bridges (patch ports) are indented; a line belongs to the innermost open bridge
  # header left of it (a line at or left of a header's column closes that header)
  ovs-appctl ofproto/trace "$1" "$2" | awk '
    function indent(s) { match(s, /^ */); return RLENGTH }
    function close_to(i) { while (n > 0 && ind[n] >= i) n-- }
    /^Final flow/ { exit }
    /^ *-+$/ || /^ *$/ { next }
    /^ *bridge\("/ { i = indent($0); close_to(i); b = $0; sub(/^ *bridge\("/, "", b); sub(/"\).*/, "", b)
                     n++; ind[n] = i; name[n] = b; next }
    { close_to(indent($0)) }
    /^ +output:[0-9]+/ { p = $1; sub(/output:/, "", p); printf "%s:%s ", name[n], p }
    /^ +IN_PORT/ { printf "%s:in_port ", name[n] }
    /^ +CONTROLLER/ { printf "%s:controller ", name[n] }'
}
expect_trace() {   # MESSAGE BRIDGE FLOW EXPECTED
  local got; got=$(trace "$2" "$3" | sed 's/ $//')
  [ "$got" = "$4" ] || fail "$1: expected '$4', got '$got' (flow $3)"
  ok "$1 ($got)"
}
tcp() { echo "tcp,in_port=$1,dl_src=$2,dl_dst=$3,nw_src=$4,nw_dst=$5,tp_dst=7"; }
arpq() { echo "arp,in_port=$1,dl_src=$2,dl_dst=ff:ff:ff:ff:ff:ff,arp_op=1,arp_spa=$3,arp_tpa=$4"; }

say "confine fe1 (atomic): be1, db1 ready on SN, fresh clone up, sealed"
"$TOOL" flows --sc fe1 --ready be1,db1 --fresh --sealed --mode atomic || fail "flows"

say "rule: SC's egress goes to SN"
expect_trace "SC -> be1 reaches be1's clone" $PN "$(tcp 11 $FE1_MAC $BE1_MAC "$(IP 11)" "$(IP 12)")" "hsn-pn:99 hsn-sn:12"
expect_trace "SC's ARP for be1 reaches the clone" $PN "$(arpq 11 $FE1_MAC "$(IP 11)" "$(IP 12)")" "hsn-pn:99 hsn-sn:12"
expect_trace "SC -> be2 (no clone) is held on SN" $PN "$(tcp 11 $FE1_MAC $BE2_MAC "$(IP 11)" "$(IP 22)")" "hsn-pn:99"
[ "$(ask fe1 "$(IP 12)")" = sn-be1 ] || fail "SC -> be1 should be answered by the clone"
ip -n hsn-fe1 neigh flush dev eth0
[ "$(ask fe1 "$(IP 13)")" = sn-db1 ] || fail "SC -> db1 (fresh ARP) should be answered by the clone"
[ -z "$(ask fe1 "$(IP 22)")" ] || fail "SC -> be2 must not reach PN's be2"
ok "packets: SC talks to sn-be1 and sn-db1, never to PN's be2"

say "rule: unicasts and broadcasts from PN meant for SC reach its fresh clone"
expect_trace "fe2 -> fe1 reaches the fresh clone" $PN "$(tcp 21 $FE2_MAC $FE1_MAC "$(IP 21)" "$(IP 11)")" "hsn-pn:111"
expect_trace "be1's ARP for fe1 reaches the fresh clone" $PN "$(arpq 12 $BE1_MAC "$(IP 12)" "$(IP 11)")" "hsn-pn:111"
expect_trace "the fresh clone speaks for fe1 on PN" $PN "$(tcp 111 $FE1_MAC $BE1_MAC "$(IP 11)" "$(IP 12)")" "hsn-pn:12"
[ "$(ask fe2 "$(IP 11)")" = fresh ] || fail "fe2 -> fe1 should be answered by the fresh clone"
[ "$(ask fe1-f "$(IP 21)")" = pn-fe2 ] || fail "the fresh clone should reach fe2"
ok "packets: fe2 <-> fresh clone"

say "rule: from SN to PN only SC is reachable"
expect_trace "be1's clone -> fe1 reaches SC" $SN "$(tcp 12 $BE1_MAC $FE1_MAC "$(IP 12)" "$(IP 11)")" "hsn-sn:99 hsn-pn:11"
expect_trace "be1's clone -> fe2 goes nowhere" $SN "$(tcp 12 $BE1_MAC $FE2_MAC "$(IP 12)" "$(IP 21)")" ""
expect_trace "be1's clone's ARP for fe2 goes nowhere" $SN "$(arpq 12 $BE1_MAC "$(IP 12)" "$(IP 21)")" ""
expect_trace "be1's clone's ARP for fe1 reaches SC only" $SN "$(arpq 12 $BE1_MAC "$(IP 12)" "$(IP 11)")" "hsn-sn:99 hsn-pn:11"
expect_trace "a spoofed MAC on SN is dropped" $SN "$(tcp 12 $DB1_MAC $FE1_MAC "$(IP 13)" "$(IP 11)")" ""
[ "$(ask sbe1 "$(IP 11)")" = sc ] || fail "be1's clone -> fe1 should reach SC"
[ -z "$(ask sbe1 "$(IP 21)")" ] || fail "be1's clone must not reach fe2"
ok "packets: SN reaches SC and nothing else on PN"

say "rule: external ingress mirrored to PN and SN"
expect_trace "client -> fe1: fresh clone on PN, SC via SN" $PN "$(tcp 1 $CL_MAC $FE1_MAC "$(IP 200)" "$(IP 11)")" "hsn-pn:99 hsn-sn:in_port hsn-pn:11 hsn-pn:111"
expect_trace "client -> be1: PN's be1 and be1's clone" $PN "$(tcp 1 $CL_MAC $BE1_MAC "$(IP 200)" "$(IP 12)")" "hsn-pn:99 hsn-sn:12 hsn-pn:12"

say "rule: SN's egress to the outside dropped, PN's answers to the adversary's host dropped"
expect_trace "be1's clone -> client is dropped" $SN "$(tcp 12 $BE1_MAC $CL_MAC "$(IP 12)" "$(IP 200)")" ""
expect_trace "be1's clone -> adversary's host passes" $SN "$(tcp 12 $BE1_MAC $ADV_MAC "$(IP 12)" "$(IP 201)")" "hsn-sn:99 hsn-pn:2"
expect_trace "PN's be2 -> adversary's host is dropped" $PN "$(tcp 22 $BE2_MAC $ADV_MAC "$(IP 22)" "$(IP 201)")" ""
expect_trace "fresh clone -> adversary's host is dropped" $PN "$(tcp 111 $FE1_MAC $ADV_MAC "$(IP 11)" "$(IP 201)")" ""
expect_trace "PN's be2 -> client passes" $PN "$(tcp 22 $BE2_MAC $CL_MAC "$(IP 22)" "$(IP 200)")" "hsn-pn:1"
[ "$(ask cl "$(IP 11)")" = fresh ] || fail "the benign client should be answered by the fresh clone only"
[ "$(ask adv "$(IP 11)")" = sc ] || fail "the adversary's host should be answered by SC (via SN)"
[ "$(ask adv "$(IP 12)")" = sn-be1 ] || fail "the adversary's host -> be1 should be answered by be1's clone"
[ "$(ask cl "$(IP 12)")" = pn-be1 ] || fail "the benign client -> be1 should be answered by PN's be1"
ok "packets: client sees fresh/pn-be1, adversary sees sc/sn-be1"

say "modes: db1's clone still being made"
"$TOOL" flows --sc fe1 --ready be1 --planned db1 --fresh --mode atomic || fail "flows atomic"
expect_trace "atomic: SC -> be1 stays on PN until db1 is ready" $PN "$(tcp 11 $FE1_MAC $BE1_MAC "$(IP 11)" "$(IP 12)")" "hsn-pn:12"
"$TOOL" flows --sc fe1 --ready be1 --planned db1 --fresh --mode in-process || fail "flows in-process"
expect_trace "in-process: SC -> be1 goes to be1's clone" $PN "$(tcp 11 $FE1_MAC $BE1_MAC "$(IP 11)" "$(IP 12)")" "hsn-pn:99 hsn-sn:12"
expect_trace "in-process: be1's clone -> db1 held" $SN "$(tcp 12 $BE1_MAC $DB1_MAC "$(IP 12)" "$(IP 13)")" ""

say "reactive trigger: SC's first contact with an uncloned container counts on SN"
"$TOOL" flows --sc fe1 --ready be1,db1 --fresh --sealed || fail "flows"
[ -z "$("$TOOL" holds)" ] || fail "hold counters should start at 0"
ask fe1 "$(IP 22)" >/dev/null
holds=$("$TOOL" holds)
case "$holds" in *"be2 "*) ok "hold counter: $holds";; *) fail "no hold count for be2: '$holds'";; esac

say "release: our flows removed, the controller's stay"
"$TOOL" flows || fail "flows (none)"
[ "$(ovs-ofctl -O OpenFlow13 dump-flows $PN cookie=0x534e000000000000/0xffff000000000000 | grep -c cookie= || true)" = 0 ] || fail "SN flows left on PN"
[ "$(ask fe1 "$(IP 12)")" = pn-be1 ] || fail "fe1 -> be1 should reach PN's be1 again"
ok "back to the base policy"
say "PASS"
