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
BUILD=${HS_BUILD_DIR:-$ROOT/build/release}
[ -f "$BUILD/build.ninja" ] || meson setup "$BUILD" --buildtype=release >/dev/null
ninja -C "$BUILD" >/dev/null
HS="$BUILD/src/cli/honeyshift"
export PATH="$ROOT/.deps/criu/sbin:$PATH"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
t0=$(date +%s%N)
EVE=/run/honeyshift/hs/eve.json

cleanup() { [ $KEEP -eq 1 ] || { "$HS" lab down >/dev/null 2>&1; rm -rf /dev/shm/honeyshift-hs-*; } || true; }
trap cleanup EXIT

step "lab up (built-in topology: $ROOT/etc/lab-default.yaml)"
"$HS" lab up
step "controller status"
"$HS" status
step "client -> web over HTTP (through the OVS bridge and the controller's flows)"
"$HS" lab exec client -- curl -s -m 5 http://web/ | sed -n 's/.*<p>\(.*\)<\/p>.*/production page: \1/p'
"$HS" lab exec client -- ping -c 2 -W 1 web | tail -n 2
step "the honeypot (same IP and MAC as web) is isolated until something is redirected to it"
if "$HS" lab exec honeypot -- ping -c 1 -W 1 198.18.0.10 >/dev/null 2>&1; then
  echo "UNEXPECTED: the honeypot reached the client"; exit 1
else
  echo "honeypot -> client: dropped at its switch port, as intended"
fi

step "attack: an SQL injection on the attacker's live keep-alive connection"
echo "  the attacker keeps ONE TCP connection to web and sends a request every 0.3 s; request 4"
echo "  is an SQL injection. The inline IPS holds it and reports the attacker; the controller"
echo "  blocks it towards production at once and relocates the connection, with the nginx"
echo "  worker serving it, into the honeypot (CRIU), then re-injects the held request there."
n0=$(grep -c '"event_type":"relocation"' "$EVE" 2>/dev/null || true)
"$HS" lab exec attacker -- python3 "$ROOT/scripts/demo_client.py" 10 0.3 --attack-at 4 || true
for _ in $(seq 50); do
  [ "$(grep -c '"event_type":"relocation"' "$EVE" 2>/dev/null || true)" -gt "${n0:-0}" ] && break
  sleep 0.1
done

step "timeline of the move (EVE relocation event, $EVE)"
grep '"event_type":"relocation"' "$EVE" | tail -n 1 | python3 -c '
import json, sys
e = json.loads(sys.stdin.read()); r = e["relocation"]; t = r["timings_ms"]
print("  %s:%d -> %s:%d  %s  (%s %s -> %s, rule %s: %s)" % (e["src_ip"], e["src_port"],
      e["dest_ip"], e["dest_port"], r["outcome"].upper(), r["kind"], r["from"], r["to"],
      r.get("signature_id"), r.get("signature")))
if r["outcome"] != "relocated":
    print("  failed at %s: %s (the attacker stays blocked)" % (r.get("stage"), r.get("reason")))
steps = [("detect", "IPS: request frame -> verdict"), ("hold", "request held, attacker blocked (flows + barrier)"),
         ("locate", "sock_diag: connection -> nginx worker"), ("dump", "CRIU dump, worker left running"),
         ("transfer", "images streamed agent -> agent"), ("restore", "CRIU restore in the honeypot"),
         ("flows", "relocation flows via OpenFlow (+ barriers)"), ("reinject", "held request PACKET_OUT to the honeypot"),
         ("first_byte", "honeypot answers (first packet, copied to the controller)")]
for k, what in steps:
    if k in t:
        print("  %-10s %8.1f ms  %s" % (k, t[k], what))
if "pause" in t:
    print("  %-10s %8.1f ms  attacker-visible pause: detection -> first honeypot byte" % ("pause", t["pause"]))
print("  %-10s %8.1f ms" % ("total", t.get("total", 0)))
print("  pid %d in web (host pid %d) -> pid %d in the honeypot, %.2f MiB of images" % (r["pid"],
      r["host_pid"], r["restored_pid"], r["image_bytes"] / 1048576.0))
' || echo "  no relocation event: see /run/honeyshift/hs/honeyshiftd.log"
"$HS" events --type relocation -n 1 2>/dev/null | sed 's/^/  /' || true

step "production never saw the attack; the honeypot answered it"
if grep -q "UNION" /run/honeyshift/hs/hosts/web/log/access.log 2>/dev/null; then
  echo "  UNEXPECTED: web's access log shows the attack"; exit 1
else
  echo "  web's access log: the injection never arrived"
fi
grep "UNION" /run/honeyshift/hs/hosts/honeypot/log/access.log 2>/dev/null | tail -n 1 | sed 's/^/  honeypot access log: /' || true
"$HS" lab exec client -- curl -s -m 5 http://web/ | sed -n 's/.*<p>\(.*\)<\/p>.*/  benign client meanwhile: \1 (production)/p'

step "release the attacker (operator)"
"$HS" unshift --client 198.18.0.11 | sed 's/^/  /' || true
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
printf '\ndemo took %d.%03d s after set-up\n' $((ms / 1000)) $((ms % 1000))
