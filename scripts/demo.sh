#!/usr/bin/env bash
# honeyshift demo on the built-in lab: sets the machine up, builds, brings up the default lab
# (client, attacker, production web with nginx, its honeypot twin, all on an OVS bridge driven by
# honeyshiftd), shows what the controller sees and what the hosts can reach, and removes the lab.
# Usage: scripts/demo.sh [--keep]   (--keep leaves the lab running; `honeyshift lab down` ends it)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
KEEP=0
[ "${1:-}" = "--keep" ] && KEEP=1
bash scripts/setup.sh
BUILD=$ROOT/build/release
[ -f "$BUILD/build.ninja" ] || meson setup "$BUILD" --buildtype=release >/dev/null
ninja -C "$BUILD" >/dev/null
HS="$BUILD/src/cli/honeyshift"
export PATH="$ROOT/.deps/criu/sbin:$PATH"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
t0=$(date +%s%N)

cleanup() { [ $KEEP -eq 1 ] || "$HS" lab down >/dev/null 2>&1 || true; }
trap cleanup EXIT

step "lab up (built-in topology: $ROOT/etc/lab-default.yaml)"
"$HS" lab up
step "controller status"
"$HS" status
step "client -> web over HTTP (through the OVS bridge and the controller's flows)"
"$HS" lab exec client -- curl -s -m 5 http://web/ | sed -n 's/.*<p>\(.*\)<\/p>.*/production page: \1/p'
"$HS" lab exec client -- ping -c 2 -W 1 web | tail -n 2
step "attacker -> web"
"$HS" lab exec attacker -- curl -s -m 5 -o /dev/null -w 'HTTP %{http_code} in %{time_total}s\n' http://web/
step "the honeypot (same IP and MAC as web) is isolated until something is redirected to it"
if "$HS" lab exec honeypot -- ping -c 1 -W 1 198.18.0.10 >/dev/null 2>&1; then
  echo "UNEXPECTED: the honeypot reached the client"; exit 1
else
  echo "honeypot -> client: dropped at its switch port, as intended"
fi

step "relocation: the attacker's live keep-alive session moves into the honeypot"
PORTF=$(mktemp)
"$HS" lab exec attacker -- python3 "$ROOT/scripts/demo_client.py" 12 0.25 "$PORTF" &
CL=$!
sleep 1.2
PORT=$(cat "$PORTF")
echo "  operator: honeyshift shift --client 198.18.0.11:$PORT"
"$HS" shift --client "198.18.0.11:$PORT" | sed 's/^/  /'
wait $CL || true
rm -f "$PORTF"
"$HS" unshift --client 198.18.0.11 >/dev/null 2>&1 || true

step "inline IPS: an SQL injection from the attacker is blocked before it reaches web"
"$HS" lab exec attacker -- curl -s -m 3 -o /dev/null -w '  attacker: HTTP %{http_code} (000 = no answer)\n' \
  "http://web/?id=1%27%20UNION%20SELECT%20username,password%20FROM%20users--" || true
sleep 0.5
"$HS" events -n 3 2>/dev/null | sed 's/^/  /' || true
if grep -q "UNION" /run/honeyshift/hs/hosts/web/log/access.log 2>/dev/null; then
  echo "  UNEXPECTED: web's access log shows the attack"; exit 1
else
  echo "  web's access log: the attack never arrived"
fi
"$HS" lab exec client -- curl -s -m 5 -o /dev/null -w '  benign client meanwhile: HTTP %{http_code}\n' http://web/

step "not yet automatic"
echo "Detection blocks the attacker today; relocating on detection (instead of blocking) is the"
echo "next step (issue 4): the relocation above was triggered by the operator."
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
printf '\ndemo took %d.%03d s after set-up\n' $((ms / 1000)) $((ms % 1000))
