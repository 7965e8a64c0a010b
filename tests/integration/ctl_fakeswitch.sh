#!/usr/bin/env bash
# ctl_fakeswitch.sh - a fake switch sends truncated, oversized and garbage OpenFlow messages:
# the controller answers with errors or hangs up, never crashes, and still serves good switches.
set -euo pipefail
B=${HS_BUILD_DIR:?} S=${HS_SOURCE_DIR:?}
D=$(mktemp -d /tmp/hs-fakesw.XXXXXX)
PORT=6661
fail() { echo "FAIL: $*" >&2; [ -f "$D/log" ] && tail -n 30 "$D/log" >&2; exit 1; }
cleanup() {
  if [ -f "$D/pid" ]; then kill "$(cat "$D/pid")" 2>/dev/null || true; sleep 0.3; fi
  rm -rf "$D"
}
trap cleanup EXIT
cat > "$D/topo.yaml" <<YAML
lab: hsfk
state_dir: $D
controller:
  listen: 127.0.0.1:$PORT
switches:
  - name: hsfk-br0
    dpid: 0x42
  - name: hsfk-br1
    dpid: 0x43
hosts:
  - name: a
    role: client
    switch: hsfk-br0
    port: 1
    mac: 02:00:c6:12:01:01
    ip: 198.18.1.1/24
  - name: b
    role: production
    switch: hsfk-br0
    port: 2
    mac: 02:00:c6:12:01:02
    ip: 198.18.1.2/24
  - name: c
    role: client
    switch: hsfk-br1
    port: 1
    mac: 02:00:c6:12:01:03
    ip: 198.18.1.3/24
YAML
"$B/src/ctl/honeyshiftd" --config "$D/topo.yaml" --daemon --pidfile "$D/pid" --log "$D/log" \
  || fail "controller did not start"
PID=$(cat "$D/pid")
python3 "$S/tests/integration/fake_switch.py" 127.0.0.1 $PORT 0x42 0x43 "$D/ctl.sock" || fail "fake switch cases"
kill -0 "$PID" 2>/dev/null || fail "controller died"
"$B/src/cli/honeyshift" status --config "$D/topo.yaml" >/dev/null || fail "status after abuse"
grep -q "undecodable message" "$D/log" || fail "controller log does not mention the bad messages"
kill "$PID"
for _ in $(seq 50); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$PID" 2>/dev/null && fail "controller did not stop on SIGTERM"
[ -e "$D/pid" ] && fail "pidfile left behind"
[ -e "$D/ctl.sock" ] && fail "control socket left behind"
echo "PASS ctl_fakeswitch"
