#!/usr/bin/python3
"""n-hot rewriting of a trained network, evaluated on Fashion-MNIST.

For each recoding (none, exact CSD, n-hot with N = 1, 2, 3 per layer and per
output channel) this compiles NET with

    potq-opt NET --potq-qat-to-shift-add="recode=... cost-report via JSON"

runs the integer shift-add code on the 10,000 test images with
`potq-run --jit`, and prints one markdown table row: accuracy, nonzero
weight terms, shift/add counts per image, storage, and the energy estimate
of potq-cost-report next to the same network as int8 and fp32
multiply-accumulates. docs/BitSparsity.md records its output.

    examples/fashion_mnist/nhot_eval.py [--net mlp_uniform8.mlir]

--compare prints a second table instead: post-training n-hot rewriting of
the uniform8 network next to networks trained n-hot-aware (QAT with the
#potq.nhot<...> level set, train_qat_mlp.py --encoding nhot1e7 / nhot2e7)
and compiled without recoding, with the reduction in nonzero terms against
the uniform8 source's terms and binary digits.

    examples/fashion_mnist/nhot_eval.py --compare
"""

import argparse
import json
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

RECODINGS = [
    ("source", "recode=none"),
    ("exact (CSD)", "recode=exact"),
    ("n-hot N=1, per layer", "recode=nhot nhot-terms=1"),
    ("n-hot N=2, per layer", "recode=nhot nhot-terms=2"),
    ("n-hot N=3, per layer", "recode=nhot nhot-terms=3"),
    ("n-hot N=3, E=7, per layer", "recode=nhot nhot-terms=3 nhot-max-exp=7"),
    ("n-hot N=1, per channel", "recode=nhot nhot-terms=1 nhot-granularity=channel"),
    ("n-hot N=2, per channel", "recode=nhot nhot-terms=2 nhot-granularity=channel"),
    ("n-hot N=3, per channel", "recode=nhot nhot-terms=3 nhot-granularity=channel"),
]


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("failed: %s\n%s" % (" ".join(cmd), r.stderr))
    return r.stdout


# (label, network file, recoding) rows of --compare; the first is the
# reference the reductions are measured against.
COMPARE = [
    ("uniform8 source", "mlp_uniform8.mlir", "recode=none"),
    ("uniform8, post-training n-hot N=1, per layer", "mlp_uniform8.mlir",
     "recode=nhot nhot-terms=1"),
    ("uniform8, post-training n-hot N=2, per layer", "mlp_uniform8.mlir",
     "recode=nhot nhot-terms=2"),
    ("uniform8, post-training n-hot N=2, E=7, per layer", "mlp_uniform8.mlir",
     "recode=nhot nhot-terms=2 nhot-max-exp=7"),
    ("pot4 QAT (1 term, E=6)", "mlp_pot4.mlir", "recode=none"),
    ("nhot1e7 QAT", "mlp_nhot1e7.mlir", "recode=none"),
    ("nhot2e7 QAT", "mlp_nhot2e7.mlir", "recode=none"),
]


def evaluate(tools, work, net, options, images, y):
    """Accuracy of the compiled shift-add code and potq-cost-report's JSON."""
    report = os.path.join(work, "cost.json")
    intmlir = os.path.join(work, "nhot.int.mlir")
    # The cost report runs on the recoded potq IR, before lowering.
    run([os.path.join(tools, "potq-opt"), net,
         "--potq-qat-to-shift-add=%s lower=false" % options,
         "--potq-cost-report=format=json output-file=%s" % report,
         "--convert-potq-to-linalg", "--canonicalize", "--cse",
         "-o", intmlir])
    logits = os.path.join(work, "nhot.logits.npy")
    run([os.path.join(tools, "potq-run"), intmlir, "--jit", "--pipeline=",
         "--input=" + images, "--output=" + logits])
    acc = float((np.argmax(np.load(logits), axis=1) == y).mean())
    return acc, json.load(open(report))


def compare(tools, work, images, y, only):
    print("| network | encodings | accuracy | nonzero terms | binary digits "
          "| terms vs uniform8 terms | terms vs uniform8 binary digits "
          "| shifts / image | adds / image | energy / image: shift-add (shared) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    ref = None
    for label, net, options in COMPARE:
        if only and only not in label and ref is not None:
            continue
        acc, r = evaluate(tools, work, os.path.join(HERE, net), options,
                          images, y)
        t = r["total"]
        if ref is None:
            ref = t
        encodings = ", ".join(sorted({l["encoding"] for l in r["layers"]}))
        print("| %s | %s | %.2f%% | %d | %d | %+.1f%% | %+.1f%% | %d | %d "
              "| %.1f nJ (%.1f nJ) |" % (
                  label, encodings, 100 * acc, t["terms"], t["binary_terms"],
                  100.0 * (t["terms"] / ref["terms"] - 1),
                  100.0 * (t["terms"] / ref["binary_terms"] - 1),
                  t["direct"]["shifts"], t["direct"]["adds"],
                  t["direct"]["energy_pj"] / 1e3,
                  t["shared"]["energy_pj"] / 1e3))
        sys.stdout.flush()


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--net", default=os.path.join(HERE, "mlp_uniform8.mlir"))
    p.add_argument("--build", default=os.path.join(ROOT, "build"))
    p.add_argument("--only", default=None,
                   help="run only recodings whose label contains this text")
    p.add_argument("--compare", action="store_true",
                   help="post-training n-hot rewriting of mlp_uniform8 vs "
                        "the n-hot-aware QAT networks (see above)")
    args = p.parse_args()
    tools = os.path.join(args.build, "bin")
    work = os.path.join(args.build, "fmnist")
    os.makedirs(work, exist_ok=True)
    images, labels = os.path.join(work, "images.npy"), os.path.join(work, "labels.npy")
    if not os.path.exists(images):
        run([sys.executable, os.path.join(HERE, "prepare_data.py"), work])
    y = np.load(labels)
    if args.compare:
        compare(tools, work, images, y, args.only)
        return

    print("| recoding | encodings | accuracy | nonzero terms | shifts / image "
          "| adds / image | shared adds / image | weight storage (bits) "
          "| energy / image: shift-add (shared) | int8 MAC | fp32 MAC |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for label, options in RECODINGS:
        if args.only and args.only not in label:
            continue
        acc, r = evaluate(tools, work, args.net, options, images, y)
        t = r["total"]
        encodings = ", ".join(sorted({l["encoding"] for l in r["layers"]}))
        print("| %s | %s | %.2f%% | %d | %d | %d | %d | %d | %.1f nJ (%.1f nJ) "
              "| %.1f nJ | %.1f nJ |" % (
                  label, encodings, 100 * acc, t["terms"], t["direct"]["shifts"],
                  t["direct"]["adds"], t["shared"]["adds"], t["storage_bits"],
                  t["direct"]["energy_pj"] / 1e3, t["shared"]["energy_pj"] / 1e3,
                  t["int8_mac"]["energy_pj"] / 1e3, t["fp32_mac"]["energy_pj"] / 1e3))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
