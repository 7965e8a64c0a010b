#!/usr/bin/env bash
# lab_crash.sh - lab down cleans up after a killed up and after a removed state dir; two ups
# in a row then one down.
. "$(dirname "$0")/lib.sh"
hs_require_root
hs_init

TOPO=$HS_SOURCE_DIR/tests/integration/topo-test.yaml
LAB=hst
BR=hst-br0
STATE=/run/honeyshift/hst
lab() { "$HS_BIN" lab "$@"; }
hs_on_exit "'$HS_BIN' lab down '$TOPO' --quiet"
hs_no_controller && hs_log "running without the controller (HS_NO_CONTROLLER=1)"

hs_step "start from a clean slate"
lab down "$TOPO" --quiet || hs_fail "lab down before the test failed"

for delay in 0.2 0.5 0.9; do
  hs_step "lab up killed with SIGKILL after ${delay} s, then down"
  lab up "$TOPO" --quiet >/dev/null 2>&1 &
  up_pid=$!
  sleep "$delay"
  kill -9 "$up_pid" 2>/dev/null && hs_log "killed lab up ($up_pid) after $delay s" \
    || hs_log "lab up had already finished after $delay s"
  wait "$up_pid" 2>/dev/null
  lab down "$TOPO" || hs_fail "lab down after a killed up failed"
  hs_check "nothing left after the killed up" hs_lab_leftovers $LAB $BR
  hs_check_not "no state dir" test -e "$STATE"
done

hs_step "state dir removed by hand, then down by name"
lab up "$TOPO" --quiet || hs_fail "lab up failed"
init_pid=$(cat $STATE/hosts/web/init.pid)
ctl_pid=$(cat $STATE/honeyshiftd.pid 2>/dev/null || true)
rm -rf "$STATE"
lab down --lab $LAB || hs_fail "lab down --lab $LAB without state dir failed"
hs_check "nothing left after down by name" hs_lab_leftovers $LAB $BR
hs_check "web's init ($init_pid) is gone" hs_wait_dead "$init_pid" 5
if [ -n "$ctl_pid" ]; then hs_check "controller ($ctl_pid) is gone" hs_wait_dead "$ctl_pid" 5; fi

hs_step "two ups in a row, then one down"
lab up "$TOPO" --quiet || hs_fail "first lab up failed"
lab up "$TOPO" --quiet || hs_fail "second lab up failed"
out=$(lab exec --lab $LAB client -- curl -s -m 5 http://web/) || hs_fail "curl client->web failed"
hs_expect_contains "web answers after two ups" "1204 customer records" "$out"
n=$(pgrep -fc -- "honeyshift-hostinit --lab $LAB --host web " || true)
hs_expect_eq "exactly one init for web" 1 "$n"
lab down "$TOPO" || hs_fail "lab down failed"
hs_check "nothing left" hs_lab_leftovers $LAB $BR
hs_check_not "no state dir" test -e "$STATE"

hs_step "a host init killed by hand: up repairs, down cleans"
lab up "$TOPO" --quiet || hs_fail "lab up failed"
old=$(cat $STATE/hosts/client/init.pid)
kill -9 "$old"
hs_wait_dead "$old" 5 || hs_fail "init $old does not die"
lab up "$TOPO" || hs_fail "lab up after a dead host failed"
new=$(cat $STATE/hosts/client/init.pid)
[ "$new" != "$old" ] || hs_fail "client's init was not replaced"
hs_ok "client's init replaced ($old -> $new)"
out=$(lab exec --lab $LAB client -- curl -s -m 5 http://web/) || hs_fail "curl from the repaired client failed"
hs_expect_contains "repaired client reaches web" "1204 customer records" "$out"
lab down "$TOPO" || hs_fail "lab down failed"
hs_check "nothing left" hs_lab_leftovers $LAB $BR
