#!/usr/bin/env python3
"""ips_detect_fresh.py - detection and false-positive rates on the FRESH corpora that
ips_corpus_fresh.py writes (requests only; no egress part). Called by ips_detect_fresh.sh:

    ips_detect_fresh.py CORPUS_DIR REQ_SCANNER...

The scanner is a command to which a directory is appended (honeyshift ips scan --http, or
rdef_scan); it prints one JSON line per alert with "input" and "alert": {"signature_id"}.
Prints per category n detected / n and rate, the benign false-positive rate, the same per source
(the file name prefix), per-rule hit counts, and the alerts on benign inputs. Set
IPS_DETECT_MISSES=FILE to write every false negative (FN PATH) and false positive
(FP PATH [sids]) to FILE. Prints figures; never fails on a missed target."""
import collections
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ips_detect import files, scan  # noqa: E402


def source(f):
    return f.rsplit("-", 1)[0]


def main():
    corpus, req = sys.argv[1], sys.argv[2:]
    rows, per_src, fails = [], [], []
    per_rule = collections.Counter()

    def measure(cat, d, benign):
        hits = scan(req, d)
        fs = files(d)
        k = 0
        bysrc = collections.OrderedDict()
        for f in fs:
            hit = bool(hits.get(f))
            k += hit
            s = bysrc.setdefault(source(f), [0, 0])
            s[0] += 1
            s[1] += hit
            for sid in hits.get(f, ()):
                per_rule[sid] += 1
            if benign and hit:
                fails.append("FP  %s %s" % (os.path.join(d, f), sorted(hits[f])))
            if not benign and not hit:
                fails.append("FN  %s" % os.path.join(d, f))
        rows.append((cat, len(fs), k, benign))
        for s, (n, h) in bysrc.items():
            per_src.append((cat, s, n, h, benign))

    base = os.path.join(corpus, "attack", "fresh")
    for cat in sorted(os.listdir(base)):
        measure(cat, os.path.join(base, cat), False)
    measure("BENIGN", os.path.join(corpus, "benign", "fresh"), True)

    pct = lambda k, n: 100.0 * k / n if n else 0.0  # noqa: E731
    print("FRESH corpora (not seen while the rules were written)")
    print("%-11s %7s %8s %8s" % ("category", "inputs", "alerted", "rate"))
    for cat, n, k, b in rows:
        print("%-11s %7d %8d %7.2f%%  %s" % (cat, n, k, pct(k, n), "FP rate" if b else "detected"))
    print("\nper source:")
    for cat, s, n, h, b in per_src:
        print("  %-10s %-40s %5d/%-5d %7.2f%%%s" % (cat, s, h, n, pct(h, n), "  (FP)" if b else ""))
    print("\nper-rule hits (all inputs):")
    for sid, c in sorted(per_rule.items()):
        print("  sid %-8d %6d" % (sid, c))
    out = os.environ.get("IPS_DETECT_MISSES")
    if out:
        with open(out, "w") as f:
            f.write("\n".join(fails) + "\n")
        print("\nmisses written to %s" % out)
    fps = [x for x in fails if x.startswith("FP")]
    print("\nalerts on benign inputs: %d" % len(fps))
    for x in fps[:50]:
        print("  " + x)
    att = [(c, n, k) for c, n, k, b in rows if not b]
    worst = min(att, key=lambda r: pct(r[2], r[1]), default=("-", 0, 0))
    fp = [(n, k) for c, n, k, b in rows if b][0]
    print("\nworst ingress category: %s %.2f%% detected (target >= 95%%); benign FP rate: %.2f%% "
          "(target <= 0.5%%)" % (worst[0], pct(worst[2], worst[1]), pct(fp[1], fp[0])))


if __name__ == "__main__":
    main()
