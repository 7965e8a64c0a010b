#!/usr/bin/env python3
"""ips_detect.py - detection and false-positive rates of a rule set on the corpora that
ips_corpus.py writes. Called by ips_detect.sh:

    ips_detect.py CORPUS_DIR REQ_SCANNER... -- RESP_SCANNER...

Each scanner is a command to which a directory is appended; it prints one JSON line per alert
with "input" and "alert": {"signature_id"} (honeyshift ips scan --http, or rdef_scan).
Prints a table per category and split, per-rule hit counts, and every alert on benign input."""
import collections
import json
import os
import subprocess
import sys


def scan(cmd, d):
    p = subprocess.run(cmd + [d], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.stderr.write(p.stderr)
        sys.exit("scanner failed (%d) on %s" % (p.returncode, d))
    hits = collections.defaultdict(set)
    for line in p.stdout.splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        ev = json.loads(line)
        if "alert" in ev and "input" in ev:
            hits[os.path.basename(ev["input"])].add(int(ev["alert"]["signature_id"]))
    return hits


def files(d):
    return sorted(f for f in os.listdir(d) if not f.startswith("."))


def main():
    a = sys.argv[1:]
    corpus = a[0]
    sep = a.index("--")
    req, resp = a[1:sep], a[sep + 1:]
    per_rule = collections.Counter()
    rows = []
    fails = []

    def measure(kind, split, cat, d, cmd, benign):
        hits = scan(cmd, d)
        fs = files(d)
        n = len(fs)
        k = sum(1 for f in fs if hits.get(f))
        for f in fs:
            for sid in hits.get(f, ()):
                per_rule[sid] += 1
            if benign and hits.get(f):
                fails.append("FP  %s %s" % (os.path.join(d, f), sorted(hits[f])))
            if not benign and not hits.get(f):
                fails.append("FN  %s" % os.path.join(d, f))
        rows.append((kind, split, cat, n, k, 100.0 * k / n if n else 0.0, benign))

    for split in ("dev", "held", "new"):
        base = os.path.join(corpus, "attack", split)
        if not os.path.isdir(base):
            continue
        for cat in sorted(os.listdir(base)):
            measure("ingress", split, cat, os.path.join(base, cat), req, False)
        measure("ingress", split, "BENIGN", os.path.join(corpus, "benign", split), req, True)
    for split in ("dev", "held"):
        base = os.path.join(corpus, "egress", split)
        for cat in sorted(os.listdir(base)):
            measure("egress", split, cat, os.path.join(base, cat), resp, False)
        measure("egress", split, "BENIGN", os.path.join(corpus, "egress_benign", split), resp, True)

    print("%-8s %-5s %-11s %7s %8s %8s" % ("dir", "split", "category", "inputs", "alerted", "rate"))
    for kind, split, cat, n, k, r, benign in rows:
        label = "FP rate" if benign else "detected"
        print("%-8s %-5s %-11s %7d %8d %7.2f%%  %s" % (kind, split, cat, n, k, r, label))
    print("\nper-rule hits (all inputs):")
    for sid, c in sorted(per_rule.items()):
        print("  sid %-8d %6d" % (sid, c))
    out = os.environ.get("IPS_DETECT_MISSES")
    if out:
        with open(out, "w") as f:
            f.write("\n".join(fails) + "\n")
    fps = [x for x in fails if x.startswith("FP")]
    print("\nalerts on benign inputs: %d" % len(fps))
    for x in fps[:50]:
        print("  " + x)
    # summary against the targets (printed, not asserted)
    worst = min((r for kind, s, c, n, k, r, b in rows if kind == "ingress" and not b), default=0)
    fp = max((r for kind, s, c, n, k, r, b in rows if b), default=0)
    print("\nworst ingress category: %.2f%% detected (target >= 95%%); worst benign FP rate: %.2f%% "
          "(target <= 0.5%%)" % (worst, fp))


if __name__ == "__main__":
    main()
