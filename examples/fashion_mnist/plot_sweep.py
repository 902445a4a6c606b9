#!/usr/bin/python3
"""Tables and plots of a sweep.py results file.

Prints the markdown tables of docs/Estimators.md ("Evidence") from the
JSON lines sweep.py writes -- per configuration the mean accuracy of the
compiled integer code over the seeds, its spread, and potq-cost-report's
terms, operations and energy per image -- and draws accuracy against
energy and against operations per image (matplotlib, PNG).

  /usr/bin/python3 examples/fashion_mnist/plot_sweep.py \\
      build/fmnist/sweep.jsonl --plot build/fmnist/sweep.png

Needs only numpy and matplotlib (not the potq package).
"""

import argparse
import json
import math
import sys
from collections import OrderedDict

import numpy as np

WEIGHT_NAMES = OrderedDict([
    ("pot4", "W4 POT"), ("apot4", "W4 APoT"), ("pot3", "W3 POT = APoT"),
    ("pot2", "W2 POT (ternary)"), ("uniform8n", "W8 uniform"),
    ("nhot1", "n-hot N=1"), ("nhot2", "n-hot N=2")])
BITS = OrderedDict([("apot4", "W4 (apot4)"), ("pot3", "W3 (pot3 = apot3)"),
                    ("pot2", "W2 (pot2)")])
ESTIMATORS = ("ste", "lsq", "lg_lsq", "qerror_aware", "msqe",
              "stochastic_partial")
NHOT = (("uniform8n", "lsq"), ("nhot1", "lsq"), ("nhot1", "nhot_two_stage"),
        ("nhot2", "lsq"), ("nhot2", "nhot_two_stage"))


def load(path):
    rows = []
    with open(path) as f:
        for line in f:
            if line.strip():
                rows.append(json.loads(line))
    if not rows:
        sys.exit("error: %s holds no rows" % path)
    budgets = {json.dumps(r["budget"], sort_keys=True) for r in rows}
    if len(budgets) != 1:
        sys.exit("error: %s mixes budgets %s" % (path, sorted(budgets)))
    return rows


def config(r):
    return ("fp32",) if r["weight"] is None else (r["weight"], r["act_bits"],
                                                  r["estimator"])


class Stat:
    """Accuracy over seeds: mean, sample standard deviation, min, max."""

    def __init__(self, rows):
        self.rows = sorted(rows, key=lambda r: r["seed"])
        a = np.array([r["accuracy"] for r in self.rows]) * 100
        self.n = len(a)
        self.mean = float(a.mean()) if self.n else math.nan
        self.std = float(a.std(ddof=1)) if self.n > 1 else math.nan
        self.lo = float(a.min()) if self.n else math.nan
        self.hi = float(a.max()) if self.n else math.nan
        self.by_seed = {r["seed"]: r["accuracy"] * 100 for r in self.rows}

    def text(self):
        if not self.n:
            return "--"
        if self.n == 1:
            return "%.2f (1 seed)" % self.mean
        return "%.2f ± %.2f" % (self.mean, self.std)

    def field(self, name):
        """The mean of a cost field (equal over seeds up to the weights)."""
        v = [r[name] for r in self.rows if name in r]
        return float(np.mean(v)) if v else math.nan


def paired(stat, base):
    """Mean, min and max over common seeds of stat - base (points)."""
    seeds = sorted(set(stat.by_seed) & set(base.by_seed))
    if not seeds:
        return None
    d = np.array([stat.by_seed[s] - base.by_seed[s] for s in seeds])
    return float(d.mean()), float(d.min()), float(d.max()), len(seeds)


def tables(rows):
    groups = {}
    for r in rows:
        groups.setdefault(config(r), []).append(r)
    stats = {k: Stat(v) for k, v in groups.items()}
    fp32 = stats.get(("fp32",), Stat([]))
    out = []
    b = rows[0]["budget"]
    out.append("Budget: width %d, %d FP32 epochs (%d training images), "
               "then %d steps of batch %d; %d test images, compiled integer "
               "code." % (b["width"], b["float_epochs"], b["train_images"],
                          b["qat_steps"], b["batch_size"],
                          rows[0]["test_images"]))
    out.append("")
    out.append("**Encodings** (lsq, per-channel weight scales; accuracy %%, "
               "mean ± sample std over seeds; Δ against FP32 "
               "%s)" % fp32.text())
    out.append("")
    out.append("| weights | activations | accuracy | Δ FP32 | nonzero terms "
               "| shift-add energy / image |")
    out.append("|---|---|---|---|---|---|")
    out.append("| FP32 | FP32 | %s | 0 | -- | %.1f nJ (fp32 MAC) |"
               % (fp32.text(), _fp32_energy(stats) / 1e3))
    for act in (8, 4):
        for w, name in WEIGHT_NAMES.items():
            s = stats.get((w, act, "lsq"))
            if s is None or w.startswith(("nhot", "uniform")):
                continue
            out.append("| %s | uint%d | %s | %+.2f | %d | %.1f nJ |"
                       % (name, act, s.text(), s.mean - fp32.mean,
                          s.field("terms"), s.field("energy_pj") / 1e3))
    out.append("")
    out.append("**Estimators** (4-bit activations; accuracy %, mean ± "
               "sample std; in brackets the paired difference to ste over "
               "the same seeds: mean [min, max])")
    out.append("")
    out.append("| estimator | " + " | ".join(BITS.values()) + " |")
    out.append("|---|" + "---|" * len(BITS))
    for est in ESTIMATORS:
        cells = []
        for w in BITS:
            s = stats.get((w, 4, est))
            if s is None:
                cells.append("--")
                continue
            cell = s.text()
            base = stats.get((w, 4, "ste"))
            d = paired(s, base) if base is not None and est != "ste" else None
            if d:
                cell += " [%+.2f; %+.2f, %+.2f]" % d[:3]
            cells.append(cell)
        out.append("| %s | %s |" % (est, " | ".join(cells)))
    out.append("")
    out.append("**n-hot** (8-bit activations; terms, operations and energy "
               "per image from potq-cost-report, mean over seeds)")
    out.append("")
    out.append("| weights | estimator | accuracy | nonzero terms | terms vs "
               "uniform8 | shifts + adds / image | energy / image: "
               "shift-add (shared) | int8 MAC | fp32 MAC |")
    out.append("|---|---|---|---|---|---|---|---|---|")
    ref = stats.get(("uniform8n", 8, "lsq"))
    for w, est in NHOT:
        s = stats.get((w, 8, est))
        if s is None:
            continue
        rel = (100.0 * (s.field("terms") / ref.field("terms") - 1)
               if ref is not None else math.nan)
        out.append("| %s | %s | %s | %d | %+.1f%% | %d | %.1f nJ (%.1f nJ) "
                   "| %.1f nJ | %.1f nJ |" % (
                       WEIGHT_NAMES[w], est, s.text(), s.field("terms"), rel,
                       s.field("shifts") + s.field("adds"),
                       s.field("energy_pj") / 1e3,
                       s.field("shared_energy_pj") / 1e3,
                       s.field("int8_mac_energy_pj") / 1e3,
                       s.field("fp32_mac_energy_pj") / 1e3))
    agree = [r["argmax_agreement"] for r in rows if r["weight"] is not None]
    times = [r["train_s"] + r["eval_s"] for r in rows]
    out.append("")
    out.append("%d rows; compiled integer code vs the PyTorch fake-quant "
               "model: argmax agreement %.2f%% to %.2f%%; %.0f s per row on "
               "average (%s)." % (len(rows), 100 * min(agree or [1]),
                                  100 * max(agree or [1]), np.mean(times),
                                  rows[0].get("machine", "?")))
    return "\n".join(out), stats


def _fp32_energy(stats):
    v = [s.field("fp32_mac_energy_pj") for k, s in stats.items()
         if k != ("fp32",)]
    v = [e for e in v if not math.isnan(e)]
    return v[0] if v else math.nan


COLORS = {"ste": "tab:gray", "lsq": "tab:blue", "lg_lsq": "tab:orange",
          "qerror_aware": "tab:green", "msqe": "tab:red",
          "stochastic_partial": "tab:purple", "nhot_two_stage": "tab:brown"}
MARKERS = {"pot4": "o", "apot4": "s", "pot3": "^", "pot2": "v",
           "uniform8n": "D", "nhot1": "P", "nhot2": "X"}


def plot(stats, path):
    """Accuracy against shift-add energy and against shifts + adds per
    image: colour = estimator, marker = weight encoding, filled = 4-bit
    activations, hollow = 8-bit; error bars are the std over seeds."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    fig, axes = plt.subplots(1, 2, figsize=(12, 5))
    fp32 = stats.get(("fp32",))
    for ax, field in ((axes[0], "energy"), (axes[1], "ops")):
        for key, s in sorted(stats.items()):
            if key == ("fp32",) or not s.n:
                continue
            w, act, est = key
            xv = (s.field("shifts") + s.field("adds") if field == "ops"
                  else s.field("energy_pj") / 1e3)
            color = COLORS.get(est, "k")
            ax.errorbar([xv], [s.mean],
                        yerr=[0 if math.isnan(s.std) else s.std],
                        fmt=MARKERS.get(w, "*"), color=color, capsize=3,
                        markerfacecolor=color if act == 4 else "none")
        if fp32 is not None and fp32.n:
            ax.axhline(fp32.mean, color="k", linestyle="--", linewidth=1)
        if field == "energy":
            e8 = [s.field("int8_mac_energy_pj") for k, s in stats.items()
                  if k != ("fp32",)]
            e8 = [e for e in e8 if not math.isnan(e)]
            if e8:
                ax.axvline(e8[0] / 1e3, color="gray", linestyle=":")
            ax.set_xlabel("shift-add energy per image (nJ, potq-cost-report;"
                          " dotted: int8 MAC)")
        else:
            ax.set_xlabel("shifts + adds per image (potq-cost-report)")
        ax.set_ylabel("accuracy of the compiled integer code (%)")
        ax.grid(True, alpha=0.3)
    handles = [Line2D([], [], color=c, marker="o", linestyle="", label=e)
               for e, c in COLORS.items()]
    handles += [Line2D([], [], color="k", marker=m, linestyle="",
                       markerfacecolor="none", label=w)
                for w, m in MARKERS.items()]
    handles += [Line2D([], [], color="k", marker="o", linestyle="",
                       label="filled: uint4 activations"),
                Line2D([], [], color="k", marker="o", linestyle="",
                       markerfacecolor="none",
                       label="hollow: uint8 activations"),
                Line2D([], [], color="k", linestyle="--",
                       label="FP32 %.2f%%" % (fp32.mean if fp32 else math.nan))]
    fig.legend(handles=handles, loc="center right", fontsize=8)
    fig.subplots_adjust(right=0.8, wspace=0.25)
    fig.suptitle("Fashion-MNIST ResNetTiny: accuracy vs energy and "
                 "operations (mean ± std over seeds)")
    fig.savefig(path, dpi=100)
    print("wrote", path)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("results", help="sweep.py's JSON lines file")
    p.add_argument("--plot", default=None, help="write the plot (PNG)")
    args = p.parse_args(argv)
    text, stats = tables(load(args.results))
    print(text)
    if args.plot:
        plot(stats, args.plot)


if __name__ == "__main__":
    main()
