#!/usr/bin/env python3
"""ips_split.py - splits a request corpus (the layout of ips_corpus_fresh.py: attack/SPLIT/CAT/*,
benign/SPLIT/*) deterministically into a dev and a held-out corpus with the same layout:

    ips_split.py CORPUS_DIR DEV_DIR HELD_DIR

A file goes to dev when the first hex digit of md5(its path relative to CORPUS_DIR) is 0-7, to
held-out when it is 8-f. Files are hard-linked (copied when linking fails). DEV_DIR and HELD_DIR
must not exist yet. Rule writers look only at the dev misses; the held-out split is measured
once, at the end (bench/ips_detect_fresh.sh BUILD HELD_DIR)."""
import hashlib
import os
import shutil
import sys


def side(rel):
    return "dev" if hashlib.md5(rel.encode()).hexdigest()[0] in "01234567" else "held"


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    src, dev, held = sys.argv[1:]
    for d in (dev, held):
        if os.path.exists(d):
            sys.exit("%s exists" % d)
    count = {"dev": 0, "held": 0}
    for root, dirs, fs in os.walk(src):
        dirs.sort()
        rel_root = os.path.relpath(root, src)
        for d in (dev, held):
            os.makedirs(os.path.join(d, rel_root), exist_ok=True)
        for f in sorted(fs):
            rel = os.path.normpath(os.path.join(rel_root, f))
            s = side(rel)
            dst = os.path.join(dev if s == "dev" else held, rel)
            try:
                os.link(os.path.join(root, f), dst)
            except OSError:
                shutil.copy2(os.path.join(root, f), dst)
            count[s] += 1
    print("dev %d files in %s, held-out %d files in %s" % (count["dev"], dev, count["held"], held))


if __name__ == "__main__":
    main()
