#!/usr/bin/env python3
"""End-to-end check of one generated QAT network (see gen_network.py).

1. The potq-level IR (frozen + fused) run by the reference interpreter and
   the same IR compiled through the shift-add lowering and upstream MLIR to
   native code give bit-identical outputs on random and edge-case inputs.
2. The fully lowered IR has no multiply left in any contraction body.
3. The float QAT graph (compiled, fake quantization lowered exactly; itself
   checked bit for bit against the interpreter) agrees with the integer
   result within one output level on at least --min-fraction of outputs.
Prints one summary line; exits non-zero on any failure.
"""
import argparse
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def run(cmd):
    result = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        sys.exit("command failed: %s\n%s%s" % (" ".join(cmd), result.stdout, result.stderr))
    return result.stdout


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--net", required=True)
    p.add_argument("--encoding", required=True)
    p.add_argument("--per-tensor", action="store_true")
    p.add_argument("--seeds", type=int, default=10, help="random inputs to try")
    p.add_argument("--min-fraction", type=float, default=0.999)
    p.add_argument("--recode", default=None,
                   help="potq-recode-weights options applied after fusion, "
                        "e.g. 'mode=nhot terms=2'")
    p.add_argument("--lowering-options", default=None,
                   help="convert-potq-to-linalg options for the compiled "
                        "integer code, e.g. 'kernels=runtime strategy=dot'")
    p.add_argument("--skip-float", action="store_true",
                   help="skip the float QAT graph checks")
    p.add_argument("--tools", required=True, help="directory of potq-opt/potq-run")
    p.add_argument("--workdir", required=True)
    args = p.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    opt = os.path.join(args.tools, "potq-opt")
    prun = os.path.join(args.tools, "potq-run")
    w = lambda name: os.path.join(args.workdir, name)

    gen = [sys.executable, os.path.join(HERE, "gen_network.py"), "--net", args.net,
           "--encoding", args.encoding, "-o", w("qat.mlir")]
    if args.per_tensor:
        gen.append("--per-tensor")
    run(gen)
    shape = open(w("qat.mlir")).read().split("%x: tensor<", 1)[1].split("xf32>", 1)[0]
    recode = ["--potq-recode-weights=" + args.recode] if args.recode else []
    run([opt, w("qat.mlir"), "--convert-qat-to-potq", "--potq-fuse-contractions",
         "--canonicalize"] + recode + ["--potq-verify-accumulators", "-o", w("potq.mlir")])
    if args.recode:
        stats = run([opt, w("potq.mlir"), "--convert-potq-to-linalg",
                     "--potq-contraction-stats", "-o", w("int.mlir")])
    else:
        stats = run([opt, w("qat.mlir"), "--potq-qat-to-shift-add",
                     "--potq-contraction-stats", "-o", w("int.mlir")])
    if " 0 multiplies" not in stats.splitlines()[-1]:
        sys.exit("multiplies left in contraction bodies: " + stats)

    jit_flags = []
    if args.lowering_options:
        jit_flags = ["--pipeline=builtin.module(potq-qat-to-shift-add{%s})"
                     % args.lowering_options]
        lowered = run([opt, w("potq.mlir"),
                       "--convert-potq-to-linalg=" + args.lowering_options])
        calls = lowered.count("call @potq_rt_")
        print("%d runtime call(s) with %s" % (calls, args.lowering_options))

    outputs = within = 0
    scale = 1.0 / 16.0  # the logits' output scale in gen_network.py
    for seed in range(args.seeds):
        x = w("x%d.npy" % seed)
        run([sys.executable, os.path.join(HERE, "random_npy.py"), "--shape", shape,
             "--seed", str(seed), "--special", "-o", x])
        ref, jit = w("ref%d.npy" % seed), w("jit%d.npy" % seed)
        run([prun, w("potq.mlir"), "--interpret", "--input=" + x, "--output=" + ref])
        run([prun, w("potq.mlir"), "--jit", "--input=" + x, "--output=" + jit]
            + jit_flags)
        if open(ref, "rb").read() != open(jit, "rb").read():
            sys.exit("compiled integer IR differs from the interpreter (seed %d)" % seed)
        if args.skip_float:
            continue
        flt, flt_ref = w("float%d.npy" % seed), w("floatref%d.npy" % seed)
        run([prun, w("qat.mlir"), "--jit", "--input=" + x, "--output=" + flt,
             "--pipeline=builtin.module(potq-qat-to-shift-add{fuse=false})"])
        run([prun, w("qat.mlir"), "--interpret", "--input=" + x, "--output=" + flt_ref])
        if open(flt, "rb").read() != open(flt_ref, "rb").read():
            sys.exit("compiled float QAT graph differs from the interpreter (seed %d)" % seed)
        a, b = np.load(flt).astype(np.float64), np.load(jit).astype(np.float64)
        diff = np.abs(np.round(a / scale) - np.round(b / scale))
        outputs += diff.size
        within += int((diff <= 1).sum())
    if args.skip_float:
        print("%s %s %s: interpreter == compiled on %d inputs"
              % (args.net, args.encoding,
                 "per-tensor" if args.per_tensor else "per-channel", args.seeds))
        return
    fraction = within / outputs
    print("%s %s %s: interpreter == compiled on %d inputs; float vs integer within one level: %d/%d (%.4f)"
          % (args.net, args.encoding, "per-tensor" if args.per_tensor else "per-channel",
             args.seeds, within, outputs, fraction))
    if fraction < args.min_fraction:
        sys.exit("float and integer results agree within one level on only %.4f of outputs" % fraction)


if __name__ == "__main__":
    main()
