#!/usr/bin/env python3
"""sandnet_plot.py DIR - plot every run of `honeyshift sandnet run` found in DIR (DIR/*/series.csv)
like the Sandnet paper's Figure 3: the adversary's HTTP latency, its throughput and the QoD over
time, one line per strategy/mode; the benign baseline (fe2 -> be2) dashed in the latency panel.
Writes DIR/figure.png."""
import csv
import json
import os
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def load(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    cols = {k: [] for k in rows[0]} if rows else {}
    for r in rows:
        for k, v in r.items():
            try:
                cols[k].append(float(v))
            except ValueError:
                cols[k].append(float("nan"))
    return cols


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = sys.argv[1]
    runs = sorted(d for d in os.listdir(out) if os.path.isfile(os.path.join(out, d, "series.csv")))
    if not runs:
        print("sandnet_plot: no runs in %s" % out, file=sys.stderr)
        return 1
    fig, ax = plt.subplots(3, 1, figsize=(9, 8), sharex=True)
    colors = {"active": "tab:red", "reactive": "tab:blue", "proactive": "tab:green"}
    for run in runs:
        s = load(os.path.join(out, run, "series.csv"))
        with open(os.path.join(out, run, "summary.json")) as f:
            summ = json.load(f)
        c = colors.get(summ.get("strategy"), None)
        label = "%s (min QoD %.3f)" % (run, summ.get("min_qod", float("nan")))
        ax[0].plot(s["t_s"], s["adv_latency_ms"], color=c, label=run)
        ax[0].plot(s["t_s"], s["benign_latency_ms"], color=c, linestyle=":", linewidth=0.8)
        ax[1].plot(s["t_s"], [b / 1024 for b in s["adv_throughput_Bps"]], color=c, label=run)
        ax[2].plot(s["t_s"], s["qod"], color=c, label=label)
        if "qod_concurrent" in s:   # expected image = benign fe2 over the same window
            ax[2].plot(s["t_s"], s["qod_concurrent"], color=c, linestyle=":", linewidth=0.8)
        if "qod_cumulative" in s:   # the paper's I_o: cumulative over the adversary's presence
            ax[2].plot(s["t_s"], s["qod_cumulative"], color=c, linestyle="--", linewidth=0.8)
        tl = summ.get("timeline_s", {})
    for a in ax:
        for key in ("detect", "turn"):
            if key in tl:
                a.axvline(tl[key], color="grey", linewidth=0.6, linestyle="--")
        a.grid(alpha=0.3)
    ax[0].set_ylabel("HTTP latency (ms)\n(dotted: benign fe2)")
    ax[0].set_yscale("log")
    ax[1].set_ylabel("throughput (KiB/s)")
    ax[2].set_ylabel("QoD\n(dotted: concurrent baseline,\ndashed: cumulative I_o)")
    ax[2].set_ylim(0, 1.05)
    ax[2].set_xlabel("time (s); dashed: detection, adversary turns to be2")
    ax[2].legend(fontsize=8, loc="lower left")
    ax[0].set_title("Sandnet: the adversary's view (fe1) per strategy")
    fig.tight_layout()
    fig.savefig(os.path.join(out, "figure.png"), dpi=110)
    return 0


if __name__ == "__main__":
    sys.exit(main())
