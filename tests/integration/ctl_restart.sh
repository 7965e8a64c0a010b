#!/usr/bin/env bash
# ctl_restart.sh - killing the controller (SIGKILL) and starting it again keeps an HTTP keep-alive
# connection working: flows stay in the switch (fail-mode secure) and the restarted controller
# re-reads the flow table and changes nothing.
set -euo pipefail
B=${HS_BUILD_DIR:?} S=${HS_SOURCE_DIR:?}
HS="$B/src/cli/honeyshift"
TOPO="$S/tests/integration/topo-test.yaml"
STATE=/run/honeyshift/hst
fail() { echo "FAIL: $*" >&2; exit 1; }
cleanup() { [ -n "${CLIENT_PID:-}" ] && kill "$CLIENT_PID" 2>/dev/null; "$HS" lab down "$TOPO" >/dev/null 2>&1 || true; rm -f "${OUT:-}"; }
trap cleanup EXIT

"$HS" lab down "$TOPO" >/dev/null 2>&1 || true
"$HS" lab up "$TOPO" >/dev/null || fail "lab up"
"$HS" lab exec --lab hst client -- curl -s -m 5 -o /dev/null http://web/ || fail "client cannot reach web before the test"

OUT=$(mktemp)
"$HS" lab exec --lab hst client -- python3 "$S/tests/integration/keepalive_client.py" web 80 6 0.05 >"$OUT" &
CLIENT_PID=$!
sleep 1
PID=$(cat "$STATE/honeyshiftd.pid")
grep -q honeyshiftd "/proc/$PID/cmdline" || fail "pidfile does not name honeyshiftd"
kill -9 "$PID"
echo "killed controller $PID"
sleep 1.5
"$HS" lab up "$TOPO" >/dev/null || fail "lab up did not restart the controller"
NEW=$(cat "$STATE/honeyshiftd.pid")
[ "$NEW" != "$PID" ] || fail "controller was not restarted"
echo "controller restarted as $NEW"
wait "$CLIENT_PID" || { cat "$OUT"; fail "keep-alive connection broke across the restart"; }
CLIENT_PID=
cat "$OUT"
python3 - "$OUT" <<'PY' || fail "client result"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["errors"] == 0 and r["requests"] >= 20 and r["ok"] == r["requests"], r
PY
# the restarted controller converged without touching the flows that were there
"$HS" status --config "$TOPO" --json > "$OUT" || fail "status after restart"
python3 - "$OUT" <<'PY' || fail "restart must not change flows"
import json, sys
st = json.load(open(sys.argv[1]))
sw = st["switches"][0]
assert sw["ready"], sw
assert sw["flows"]["last_sync_changes"] == 0, sw["flows"]
print("restarted controller: switch %s ready, 0 flow changes" % sw["name"])
PY
"$HS" lab exec --lab hst client -- curl -s -m 5 -o /dev/null http://web/ || fail "new connection after restart"
echo "PASS ctl_restart"
