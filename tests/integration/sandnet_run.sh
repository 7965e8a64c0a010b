#!/usr/bin/env bash
# sandnet_run.sh - `honeyshift sandnet run` end to end on a short timeline (root, runc, CRIU 4.2,
# OVS, python3-matplotlib): the reactive strategy at --scale 0.4 (detection at 4 s, the adversary
# turns to be2 at 12 s, end at 20 s), no scans. Checks that the adversary's probe ran, the
# confinement happened (be1 and be2 cloned to SN, the fresh clone started), the outputs exist
# and are consistent (CSV rows, QoD in [0, 1], clone timings), that the shrinking phase froze and
# removed be1's clone once the adversary left it (--shrink 2,3), and that nothing is left behind.
# Figures are printed, not asserted (timings depend on the machine's load).
set -euo pipefail

SRC=${HS_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${HS_BUILD_DIR:-$SRC/build-dev}
HS="$BUILD/src/cli/honeyshift"
export HS_SOURCE_DIR=$SRC
export PATH=$SRC/.deps/criu/sbin:$PATH
OUT=

say() { echo "sandnet_run: $*" >&2; }
fail() { say "FAIL: $*"; exit 1; }

cleanup() {
  set +e
  "$HS" sandnet down >/dev/null 2>&1
  [ -n "$OUT" ] && rm -rf "$OUT"
  rmdir /run/honeyshift/sandnet/runc /run/honeyshift/sandnet 2>/dev/null
  return 0
}
trap cleanup EXIT

[ "$(id -u)" -eq 0 ] || { say "SKIP: needs root"; exit 77; }
command -v runc >/dev/null || { say "SKIP: runc missing (scripts/setup.sh)"; exit 77; }
[ -x "$SRC/.deps/criu/sbin/criu" ] || { say "SKIP: CRIU 4.2 missing (scripts/setup.sh)"; exit 77; }
/usr/bin/python3 -c 'import matplotlib' 2>/dev/null || { say "SKIP: python3-matplotlib missing"; exit 77; }
[ -x "$HS" ] || fail "build $HS first"
ovs-vsctl --timeout=5 show >/dev/null 2>&1 || fail "Open vSwitch is not running (scripts/setup.sh)"
cleanup
OUT=$(mktemp -d /tmp/sandnet_run.XXXXXX)

"$HS" sandnet --help > "$OUT/help.txt" || fail "--help failed"
grep -q "honeyshift sandnet run --strategy" "$OUT/help.txt" || fail "--help"
rc=0; "$HS" sandnet run --strategy nope --out "$OUT" 2>/dev/null || rc=$?
[ "$rc" = 2 ] || fail "a bad strategy must be a usage error (got $rc)"

rc=0; "$HS" sandnet run --strategy reactive --shrink 0 --out "$OUT" 2>/dev/null || rc=$?
[ "$rc" = 2 ] || fail "--shrink 0 must be a usage error (got $rc)"

say "reactive, atomic, --scale 0.4, shrinking: freeze after 2 s untouched, remove 3 s later"
"$HS" sandnet run --strategy reactive --scale 0.4 --no-scan --shrink 2,3 --out "$OUT" || fail "run failed"
D=$OUT/reactive-atomic
for f in samples.csv series.csv summary.json; do [ -s "$D/$f" ] || fail "missing $D/$f"; done
[ -s "$OUT/figure.png" ] || fail "missing figure.png"
file "$OUT/figure.png" | grep -q PNG || fail "figure.png is not a PNG"

/usr/bin/python3 - "$D" <<'EOF' || fail "outputs inconsistent"
import csv, json, sys
d = sys.argv[1]
s = json.load(open(d + "/summary.json"))
rows = list(csv.DictReader(open(d + "/samples.csv")))
adv = [r for r in rows if r["side"] == "adversary"]
ben = [r for r in rows if r["side"] == "benign"]
assert len(adv) > 40 and len(ben) > 60, (len(adv), len(ben))   # held requests wait up to 2 s
assert sum(int(r["ok"]) for r in adv[:20]) >= 18, "the adversary's probe did not work before detection"
assert {r["target"] for r in adv} == {"198.18.64.12", "198.18.64.22"}, "no turn to be2"
ids = {c["id"]: c for c in s["clones"]}
assert ids.get("fe1-f", {}).get("ok"), "no fresh clone"
for c in ("be1-s", "be2-s"):
    assert ids.get(c, {}).get("ok"), "no clone " + c
    assert ids[c]["blackout_ms"] and ids[c]["steps"]["checkpoint"] > 0
assert s["adversary"]["sealed_at_s"] >= 3.9
assert 0.0 <= s["min_qod"] <= s["final_qod"] + 1e-9 <= 1.0 + 1e-9
# after the turn (12 s) SC is sealed into SN, where PN's be2 is unreachable: any answer from
# 198.18.64.22 came from be2's clone
assert any(int(r["ok"]) for r in adv if r["target"] == "198.18.64.22"), "be2's clone did not answer"
series = list(csv.DictReader(open(d + "/series.csv")))
assert all(0.0 <= float(r["qod"]) <= 1.0 for r in series if r["qod"] != "nan")
# the KPI changes at the minimum give back the minimum (QoD = 1 - mean of the changes)
mk = s["min_kpi_changes"]
assert [k["name"] for k in mk][:3] == ["latency", "throughput", "downtime"], mk
assert all(0.0 <= k["change"] <= 1.0 for k in mk), mk
assert abs(1.0 - sum(k["change"] for k in mk) / len(mk) - s["min_qod"]) < 1e-4, (mk, s["min_qod"])
for r in series:
    for col in ("change_latency", "change_throughput", "change_downtime"):
        assert r[col] == "nan" or 0.0 <= float(r[col]) <= 1.0, (col, r[col])
assert all("prepared_ahead" in c for c in s["clones"])
# shrinking: be1's clone, untouched once the adversary turned to be2 (12 s), is frozen and then
# removed; be2's clone, which the adversary uses from then on, is never removed
ev = s["shrink"]["events"]
assert s["shrink"]["sleep_after_s"] == 2 and s["shrink"]["remove_after_s"] == 3, s["shrink"]
assert all(e["ok"] for e in ev), ev
fz = [e for e in ev if e["id"] == "be1-s" and e["action"] == "freeze" and e["t_s"] >= 12]
rm = [e for e in ev if e["id"] == "be1-s" and e["action"] == "remove"]
assert fz and rm and rm[-1]["t_s"] >= fz[0]["t_s"] + 2.9, ev
assert not [e for e in ev if e["id"] == "be2-s" and e["action"] == "remove"], ev
# third reading (the paper's cumulative observed image): in range, its KPI changes give it back
mc = s["min_kpi_changes_cumulative"]
assert 0.0 <= s["min_qod_cumulative"] <= s["final_qod_cumulative"] + 1e-9 <= 1.0 + 1e-9, s
assert [k["name"] for k in mc][:3] == ["latency", "throughput", "downtime"], mc
assert abs(1.0 - sum(k["change"] for k in mc) / len(mc) - s["min_qod_cumulative"]) < 1e-4, mc
assert all(r["qod_cumulative"] == "nan" or 0.0 <= float(r["qod_cumulative"]) <= 1.0 for r in series)
print("sandnet_run: shrinking: %s" % ", ".join("%.1fs %s %s" % (e["t_s"], e["action"], e["id"]) for e in ev))
print("sandnet_run: min QoD %.3f at %ss, final %.3f; clones: %s" % (
    s["min_qod"], s["min_qod_at_s"], s["final_qod"],
    ", ".join("%s %.0f ms" % (k, v["blackout_ms"] or 0) for k, v in ids.items())))
EOF

say "nothing left behind"
[ -z "$(ip netns | grep '^hsn-' || true)" ] || fail "namespaces left: $(ip netns | grep '^hsn-')"
[ -z "$(ovs-vsctl list-br | grep '^hsn-' || true)" ] || fail "bridges left"
[ ! -e /run/honeyshift/hsn ] || fail "lab state dir left: $(ls /run/honeyshift/hsn)"
say "PASS"
