#!/usr/bin/env bash
# bench/relocation_svc.sh KIND [BUILD_DIR] [RUNS] - N live relocations of a keep-alive connection
# to a Flask (gunicorn gthread worker) or Node.js server from web into the honeypot, in lab hsv
# (flask, tests/integration/topo-mig-flask.yaml) or hsv2 (node, topo-mig-node.yaml). Operator
# trigger (`honeyshift shift`), or TRIGGER=ips: request 10 is an SQL injection, the IPS's detection
# relocates (stage timings then from the EVE event; total = dump + transfer + restore, pause = the
# controller's). Per run one JSON line (service, ok, pause/dump/transfer/restore/
# total ms from the shift, CRIU's own dump/restore ms, image MiB, and gap_ms: the attacker's
# longest wait between two answers minus its 50 ms pace); then mean and standard deviation per
# stage beside the paper's Table I, and p50/p99 of pause and gap.
# KDAT=off removes CRIU's kernel-feature cache (/run/criu.kdat) before every run, to compare.
# Prints figures only. Root.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
KIND=${1:?usage: relocation_svc.sh flask|node [BUILD_DIR] [RUNS]}
B=${2:-$ROOT/build/release} RUNS=${3:-10}
case $KIND in
  flask) LAB=hsv; PORT=8000 ;;
  node) LAB=hsv2; PORT=3000 ;;
  *) echo "unknown kind $KIND" >&2; exit 2 ;;
esac
B=$(cd "$B" && pwd)   # absolute: the lab starts programs inside hosts
TRIGGER=${TRIGGER:-operator}
S=/run/honeyshift/$LAB
HS="$B/src/cli/honeyshift" TOPO="$ROOT/tests/integration/topo-mig-$KIND.yaml"
export HS_HOSTINIT=$B/src/lab/honeyshift-hostinit HS_SHIM=$B/src/shim/libhs_reuseport.so
export HS_HONEYSHIFTD=$B/src/ctl/daemon/honeyshiftd
[ -x "$HS_HONEYSHIFTD" ] || HS_HONEYSHIFTD=$B/src/ctl/honeyshiftd
OUT=$(mktemp -d /tmp/hs-relsvc.XXXXXX)
cleanup() { "$HS" unshift --lab $LAB --client 198.18.0.11 >/dev/null 2>&1; "$HS" lab down "$TOPO" >/dev/null 2>&1; rm -rf "$OUT" /dev/shm/honeyshift-$LAB-*; }
trap cleanup EXIT
cat > "$OUT/ka.py" <<'PY'
import socket, sys, time
# one keep-alive connection, a request every 50 ms; "t" per answer, "END ok|error"
port, n, portfile, k = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
s = socket.create_connection(("198.18.0.80", port), timeout=5)
open(portfile + ".tmp", "w").write(str(s.getsockname()[1]))
import os; os.rename(portfile + ".tmp", portfile)
buf = b""
try:
    for i in range(n):
        path = b"/?id=1%27%20UNION%20SELECT%20username,password%20FROM%20users--" if i == k else b"/"
        s.sendall(b"GET " + path + b" HTTP/1.1\r\nHost: web\r\nUser-Agent: hs-bench\r\n\r\n")
        while b"\r\n\r\n" not in buf:
            c = s.recv(65536)
            if not c: raise ConnectionError("closed")
            buf += c
        h, rest = buf.split(b"\r\n\r\n", 1)
        ln = int([l.split(b":")[1] for l in h.split(b"\r\n") if l.lower().startswith(b"content-length")][0])
        while len(rest) < ln:
            c = s.recv(65536)
            if not c: raise ConnectionError("closed")
            rest += c
        body, buf = rest[:ln], rest[ln:]
        print("%.4f %s" % (time.time(), "hp" if b"1198" in body else "web"), flush=True)
        time.sleep(0.05)
    print("END ok", flush=True)
except Exception as e:
    print("END error", repr(e), flush=True)
PY
"$HS" lab down "$TOPO" >/dev/null 2>&1
"$HS" lab up "$TOPO" >/dev/null || { echo "lab up failed" >&2; exit 1; }
for r in $(seq "$RUNS"); do
  [ "${KDAT:-on}" = off ] && rm -f /run/criu.kdat
  n_ev=$(grep -c '"event_type":"relocation"' "$S/eve.json" 2>/dev/null)
  ip netns exec $LAB-attacker /usr/bin/python3 "$OUT/ka.py" $PORT 40 "$OUT/port" \
    $([ "$TRIGGER" = ips ] && echo 10 || echo -1) > "$OUT/client.$r" 2>&1 &
  cl=$!
  for _ in $(seq 50); do [ -s "$OUT/port" ] && break; sleep 0.05; done
  if [ "$TRIGGER" = operator ]; then
    sleep 0.5
    "$HS" shift --lab $LAB --client "198.18.0.11:$(cat "$OUT/port")" --json > "$OUT/shift.$r" 2>&1
  fi
  wait $cl
  if [ "$TRIGGER" = ips ]; then
    for _ in $(seq 100); do
      [ "$(grep -c '"event_type":"relocation"' "$S/eve.json" 2>/dev/null)" -gt "$n_ev" ] && break; sleep 0.1
    done
    grep '"event_type":"relocation"' "$S/eve.json" | tail -n 1 | python3 -c '
import json, sys
e = json.load(sys.stdin); r = e["relocation"]; t = r["timings_ms"]
print(json.dumps({"ok": r["outcome"] == "relocated", "error": r.get("reason"), "dump_ms": t["dump"],
  "transfer_ms": t["transfer"], "restore_ms": t["restore"], "pause_ms": t["pause"],
  "total_ms": t["dump"] + t["transfer"] + t["restore"], "image_bytes": r.get("image_bytes", 0)}))' \
      > "$OUT/shift.$r" 2>&1
  fi
  "$HS" unshift --lab $LAB --client 198.18.0.11 >/dev/null 2>&1
  rm -f "$OUT/port"
done
python3 - "$OUT" "$RUNS" "$KIND" "$TRIGGER" <<'PY'
import json, statistics as st, sys
out, runs, kind, trig = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
rows = []
for r in range(1, runs + 1):
    try:
        s = json.loads(open("%s/shift.%d" % (out, r)).read().strip().splitlines()[-1])
    except Exception:
        s = {"ok": False}
    lines = open("%s/client.%d" % (out, r)).read().split("\n")
    ans = [l.split() for l in lines if l and l[0].isdigit()]
    times = [float(a[0]) for a in ans]
    good = "END ok" in lines and ans and ans[-1][1] == "hp"
    gap = max((b - a for a, b in zip(times, times[1:])), default=0) * 1000 - 50
    if len(times) > 10 and trig == "ips":  # the injection's answer after the previous answer
        gap = (times[10] - times[9]) * 1000 - 50
    row = {"service": kind, "ok": bool(s.get("ok")) and bool(good)}
    for k in ("pause_ms", "dump_ms", "transfer_ms", "restore_ms", "total_ms", "dump_criu_ms", "restore_criu_ms"):
        row[k] = round(s[k], 1) if isinstance(s.get(k), (int, float)) else None
    row["image_mib"] = round(s.get("image_bytes", 0) / 1048576, 1)
    row["gap_ms"] = round(gap, 1)
    if not row["ok"]:
        row["error"] = s.get("error") or (lines[-2] if len(lines) > 1 else "?")
    rows.append(row)
    print(json.dumps(row))
ok = [x for x in rows if x["ok"]]
print("\n%s (trigger %s): %d of %d relocations ok (same TCP connection, honeypot answering at the end)" % (kind, trig, len(ok), runs))
paper = {"flask": {"dump_ms": (66.70, 5.04), "transfer_ms": (442.40, 29.02), "restore_ms": (14.40, 0.49), "total_ms": (523.50, 29.42)},
         "node": {"dump_ms": (52.40, 2.65), "transfer_ms": (263.72, 17.99), "restore_ms": (13.63, 0.55), "total_ms": (329.76, 18.09)}}[kind]
if len(ok) >= 2:
    print("%-16s %10s %8s   %s" % ("stage", "mean ms", "sd", "paper Table I %s (mean, sd)" % kind))
    for k in ("dump_ms", "dump_criu_ms", "transfer_ms", "restore_ms", "restore_criu_ms", "pause_ms", "total_ms"):
        v = [x[k] for x in ok if x[k] is not None]
        if len(v) < 2: continue
        p = paper.get(k)
        print("%-16s %10.1f %8.1f   %s" % (k, st.mean(v), st.pstdev(v),
              "%.2f, %.2f%s" % (p[0], p[1], " (dump+transfer+restore)" if k == "total_ms" else "") if p else ""))
    for k in ("pause_ms", "gap_ms"):
        v = sorted(x[k] for x in ok)
        print("%-16s p50 %.1f  p99 %.1f ms" % (k, v[len(v) // 2], v[min(len(v) - 1, int(len(v) * 0.99))]))
    print("image size %.1f MiB" % st.mean(x["image_mib"] for x in ok))
PY
