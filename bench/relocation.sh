#!/usr/bin/env bash
# bench/relocation.sh - N live relocations of an nginx worker's keep-alive connection from web
# into the honeypot, in the lab "hsm" (tests/integration/topo-mig.yaml). Per run: one JSON line
# (service, ok, pause_ms, dump_ms, transfer_ms, restore_ms, total_ms, and the attacker-visible
# gap: the longest interval between two answers on the connection while it moved); then mean and
# standard deviation per stage beside the paper's Table I, and p50/p99 of the pause and gap.
# Prints figures only. Root. Usage: bench/relocation.sh [BUILD_DIR] [RUNS]
# (The issue's `honeyshift bench relocation` will replace this script; relocation is triggered by
# the operator here, not by the IPS, and the attacker's requests are 50 ms apart.)
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=${1:-$ROOT/build/release} RUNS=${2:-20}
HS="$B/src/cli/honeyshift" TOPO="$ROOT/tests/integration/topo-mig.yaml"
OUT=$(mktemp -d /tmp/hs-relbench.XXXXXX)
cleanup() { "$HS" lab down "$TOPO" >/dev/null 2>&1; rm -rf "$OUT"; }
trap cleanup EXIT
"$HS" lab down "$TOPO" >/dev/null 2>&1
"$HS" lab up "$TOPO" >/dev/null || { echo "lab up failed" >&2; exit 1; }
for r in $(seq "$RUNS"); do
  "$HS" lab exec --lab hsm attacker -- python3 "$ROOT/scripts/demo_client.py" 30 0.05 "$OUT/port" \
    > "$OUT/client.$r" 2>&1 &
  cl=$!
  for _ in $(seq 50); do [ -s "$OUT/port" ] && break; sleep 0.05; done
  sleep 0.5
  "$HS" shift --lab hsm --client "198.18.0.11:$(cat "$OUT/port")" --json > "$OUT/shift.$r" 2>&1
  wait $cl
  "$HS" unshift --lab hsm --client 198.18.0.11 >/dev/null 2>&1
  rm -f "$OUT/port"
done
python3 - "$OUT" "$RUNS" <<'PY'
import json, re, statistics as st, sys
out, runs = sys.argv[1], int(sys.argv[2])
rows = []
for r in range(1, runs + 1):
    try:
        s = json.loads(open("%s/shift.%d" % (out, r)).read().strip().splitlines()[-1])
    except Exception:
        s = {"ok": False}
    times = [float(m.group(1)) for m in re.finditer(r"t=\s*([\d.]+)s", open("%s/client.%d" % (out, r)).read())]
    same = "same TCP connection throughout" in open("%s/client.%d" % (out, r)).read()
    gap = max((b - a for a, b in zip(times, times[1:])), default=0) * 1000 - 50
    row = {"service": "nginx", "ok": bool(s.get("ok")) and same,
           "pause_ms": s.get("pause_ms"), "dump_ms": s.get("dump_ms"),
           "transfer_ms": s.get("transfer_ms"), "restore_ms": s.get("restore_ms"),
           "total_ms": s.get("total_ms"), "gap_ms": round(gap, 1)}
    rows.append(row)
    print(json.dumps(row))
ok = [x for x in rows if x["ok"]]
print("\n%d of %d relocations ok (same TCP connection, honeypot answering)" % (len(ok), runs))
if len(ok) >= 2:
    paper = {"dump_ms": (39.57, 2.16), "transfer_ms": (55.82, 13.19), "restore_ms": (13.47, 0.22),
             "total_ms": (108.87, 13.39)}
    print("%-12s %10s %8s   %s" % ("stage", "mean ms", "sd", "paper Table I nginx (mean, sd)"))
    for k in ("dump_ms", "transfer_ms", "restore_ms", "pause_ms", "total_ms"):
        v = [x[k] for x in ok]
        p = paper.get(k)
        print("%-12s %10.1f %8.1f   %s" % (k, st.mean(v), st.pstdev(v),
              "%.2f, %.2f%s" % (p[0], p[1], " (dump+transfer+restore)" if k == "total_ms" else "") if p else ""))
    for k in ("pause_ms", "gap_ms"):
        v = sorted(x[k] for x in ok)
        q = lambda f: v[min(len(v) - 1, int(round(f * (len(v) - 1))))]
        print("%s p50 %.1f  p99 %.1f" % (k, q(0.5), q(0.99)))
PY
