#!/usr/bin/env bash
# lab_basic.sh - lab up / exec / status / down on the test topology (lab "hst"):
# reachability, honeypot isolation (needs the controller), idempotent up, complete clean-up.
. "$(dirname "$0")/lib.sh"
hs_require_root
hs_init

TOPO=$HS_SOURCE_DIR/tests/integration/topo-test.yaml
LAB=hst
BR=hst-br0
STATE=/run/honeyshift/hst
lab() { "$HS_BIN" lab "$@"; }
hs_on_exit "'$HS_BIN' lab down '$TOPO' --quiet"

NOCTL=0
if hs_no_controller; then
  NOCTL=1
  hs_log "HS_NO_CONTROLLER=1 (or no honeyshiftd built): bridges standalone, isolation checks skipped"
fi

hs_step "start from a clean slate"
lab down "$TOPO" --quiet || hs_fail "lab down before the test failed"

hs_step "lab up"
lab up "$TOPO" || hs_fail "lab up failed"

hs_step "pieces exist"
for h in client attacker web honeypot; do
  hs_check "netns $LAB-$h listed by ip netns" sh -c "ip netns list | grep -q '^$LAB-$h\\b'"
  hs_check "veth $LAB-$h exists" ip link show dev "$LAB-$h"
done
hs_check "bridge $BR exists" ovs-vsctl br-exists "$BR"
hs_expect_eq "bridge datapath type" netdev "$(ovs-vsctl get bridge $BR datapath_type)"
hs_expect_eq "bridge datapath id" '"0000000000000010"' "$(ovs-vsctl get bridge $BR other-config:datapath-id)"
hs_expect_eq "web's port number" 3 "$(ovs-vsctl get interface $LAB-web ofport)"
hs_expect_eq "honeypot's port number" 4 "$(ovs-vsctl get interface $LAB-honeypot ofport)"

hs_step "inside the hosts"
hs_expect_eq "honeypot's hostname is its twin's" web "$(lab exec --lab $LAB honeypot -- hostname)"
hs_expect_eq "client's hostname" client "$(lab exec --lab $LAB client -- hostname)"
hs_expect_contains "client's /etc/hosts knows web" "198.18.0.80	web" "$(lab exec --lab $LAB client -- cat /etc/hosts)"
hs_check_not "/etc/hosts does not name the honeypot" sh -c "'$HS_BIN' lab exec --lab $LAB client -- cat /etc/hosts | grep -q honeypot"
hs_expect_contains "web's eth0 has its MAC and IP" "inet 198.18.0.80/24" "$(lab exec --lab $LAB web -- ip addr show dev eth0)"
hs_expect_contains "web's eth0 MAC" "02:00:c6:12:00:50" "$(lab exec --lab $LAB web -- ip link show dev eth0)"
hs_expect_contains "TX checksum offload off inside" "tx-checksumming: off" "$(lab exec --lab $LAB web -- ethtool -k eth0)"
hs_expect_contains "TX checksum offload off outside" "tx-checksumming: off" "$(ethtool -k $LAB-web)"
hs_expect_eq "a host has its own PID namespace (init is PID 1)" 1 "$(lab exec --lab $LAB client -- sh -c 'ps -o pid= -p 1 | tr -d " "')"

hs_step "traffic"
out=$(lab exec --lab $LAB client -- curl -s -m 5 http://web/) || hs_fail "curl from client to web failed"
hs_expect_contains "client gets web's page by name" "ACME Corp intranet: 1204 customer records" "$out"
hs_check "client pings web" sh -c "'$HS_BIN' lab exec --lab $LAB client -- ping -c 2 -W 2 -i 0.2 -q web >/dev/null"
hs_check "attacker pings web" sh -c "'$HS_BIN' lab exec --lab $LAB attacker -- ping -c 2 -W 2 -i 0.2 -q web >/dev/null"
out=$(lab exec --lab $LAB attacker -- curl -s -m 5 http://198.18.0.80/) || hs_fail "HTTP from attacker failed"
hs_expect_contains "attacker gets web's page" "1204 customer records" "$out"

hs_step "honeypot isolation"
if [ $NOCTL -eq 1 ]; then
  hs_skip "honeypot isolation (needs the controller; standalone bridges flood to every port)"
else
  hs_check_not "honeypot cannot ping client" sh -c "'$HS_BIN' lab exec --lab $LAB honeypot -- ping -c 1 -W 1 -q 198.18.0.10 >/dev/null"
  hs_check_not "honeypot cannot reach client over HTTP" lab exec --lab $LAB honeypot -- curl -s -m 2 http://198.18.0.10/
  # more traffic of the others, then look at the honeypot
  lab exec --lab $LAB client -- curl -s -m 5 -o /dev/null http://web/ || hs_fail "curl client->web"
  lab exec --lab $LAB attacker -- curl -s -m 5 -o /dev/null http://web/ || hs_fail "curl attacker->web"
  hs_expect_eq "honeypot's nginx access log is empty" 0 "$(wc -c < $STATE/hosts/honeypot/log/access.log)"
  tx=$(ovs-ofctl -O OpenFlow13 dump-ports $BR 4 | sed -n 's/.*tx pkts=\([0-9]*\).*/\1/p')
  hs_expect_eq "no packet sent to the honeypot's port 4" 0 "$tx"
fi

hs_step "status"
json=$(lab status --lab $LAB --json); rc=$?
hs_expect_eq "status exit code (all up)" 0 "$rc"
printf '%s' "$json" | python3 -m json.tool >/dev/null || hs_fail "status --json is not JSON"
hs_ok "status --json parses"
allup=$(printf '%s' "$json" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["all_up"] and all(h["init"] and h["link"] and h["netns_present"] and all(s["up"] for s in h["services"]) for h in d["hosts"]) and all(b["present"] for b in d["bridges"]))')
hs_expect_eq "status says all up" True "$allup"
if [ $NOCTL -eq 0 ]; then
  ctl_ok=$(printf '%s' "$json" | python3 -c 'import json,sys; d=json.load(sys.stdin)["controller"]; print(d["answers"] and d["status"]["ok"])')
  hs_expect_eq "status includes the controller's answer" True "$ctl_ok"
fi
hs_check "human status is printed" sh -c "'$HS_BIN' lab status --lab $LAB | grep -q '^web .* up pid'"

hs_step "exec exit codes"
lab exec --lab $LAB client -- sh -c 'exit 7'; rc=$?
hs_expect_eq "exec returns the command's exit code" 7 "$rc"
lab exec --lab $LAB client -- sh -c 'kill -TERM $$'; rc=$?
hs_expect_eq "exec returns 128+signal" 143 "$rc"
lab exec --lab $LAB client -- /nonexistent/cmd 2>/dev/null; rc=$?
hs_expect_eq "exec of a missing program" 127 "$rc"
hs_expect_eq "exec passes stdin through" hello "$(echo hello | lab exec --lab $LAB client -- cat)"
lab exec --lab $LAB nosuchhost -- true 2>/dev/null; rc=$?
hs_expect_eq "exec on an unknown host" 125 "$rc"

hs_step "up again on the running lab changes nothing"
pids_before=$(printf '%s' "$json" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(" ".join(str(h["pid"]) + ":" + ",".join(str(s["pid"]) for s in h["services"]) for h in d["hosts"]), d["controller"]["pid"])')
ofports_before=$(for h in client attacker web honeypot; do ovs-vsctl get interface $LAB-$h ofport; done | tr '\n' ' ')
ifidx_before=$(for h in client attacker web honeypot; do cat /sys/class/net/$LAB-$h/ifindex; done | tr '\n' ' ')
out=$(lab up "$TOPO") || hs_fail "second lab up failed"
hs_check_not "second up creates nothing" sh -c "printf '%s' '$out' | grep -Eq 'created|started|repaired'"
json2=$(lab status --lab $LAB --json)
pids_after=$(printf '%s' "$json2" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(" ".join(str(h["pid"]) + ":" + ",".join(str(s["pid"]) for s in h["services"]) for h in d["hosts"]), d["controller"]["pid"])')
hs_expect_eq "same init and service PIDs" "$pids_before" "$pids_after"
hs_expect_eq "same OVS ports" "$ofports_before" "$(for h in client attacker web honeypot; do ovs-vsctl get interface $LAB-$h ofport; done | tr '\n' ' ')"
hs_expect_eq "same veths" "$ifidx_before" "$(for h in client attacker web honeypot; do cat /sys/class/net/$LAB-$h/ifindex; done | tr '\n' ' ')"
out=$(lab exec --lab $LAB client -- curl -s -m 5 http://web/) || hs_fail "curl after the second up failed"
hs_expect_contains "web still answers" "1204 customer records" "$out"

hs_step "lab down"
all_pids=$(printf '%s' "$json2" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(" ".join(str(p) for p in [h["pid"] for h in d["hosts"]] + [s["pid"] for h in d["hosts"] for s in h["services"]] + [d["controller"]["pid"]] if p))')
worker_pids=$(for p in $all_pids; do cat /proc/$p/task/*/children 2>/dev/null; done | tr '\n' ' ')
lab down "$TOPO" || hs_fail "lab down failed"
hs_check_not "no /run/netns/$LAB-*" sh -c "ls /run/netns 2>/dev/null | grep -q '^$LAB-'"
hs_check_not "no $LAB- link" sh -c "ip -o link show | awk -F': ' '{print \$2}' | grep -q '^$LAB-'"
hs_check_not "no bridge $BR" ovs-vsctl br-exists "$BR"
hs_check_not "no state dir" test -e "$STATE"
for p in $all_pids $worker_pids; do
  hs_check "process $p of the lab is gone" hs_wait_dead "$p" 5
done
hs_check "nothing of lab $LAB is left" hs_lab_leftovers $LAB $BR
hs_check "down again (nothing to do) exits 0" lab down "$TOPO" --quiet
