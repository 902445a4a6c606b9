#!/usr/bin/env python3
"""End-to-end check of one exporter-style QAT network (gen_exporter_network.py).

(a) The float QAT graph runs in the reference interpreter, and compiled
    (potq-qat-to-shift-add{fuse=false}, fake quantization lowered exactly)
    it equals the interpreter bit for bit.
(b) `potq-qat-to-shift-add{lower=false require-integer=true}` succeeds; every
    contraction became the expected potq op (no linalg contraction left),
    `--potq-contraction-stats` reports no float contraction, and the lowered
    code has no multiply in a contraction body.
(c) The integer IR run by the interpreter and compiled (JIT) with
    kernels=loops and kernels=runtime give bit-identical outputs on --rows
    input rows (each batch row is another input, see input_row): random,
    random with edge values, constant edge patterns (0/1, 1e30/inf,
    -inf/NaN, half levels), input levels and exact halfway points.
(d) With --aot: an object and header from potq-translate, linked into a C
    driver with clang-22, equal the interpreter bit for bit.
(e) The float QAT graph and the integer result agree: quantized outputs
    within one output level on at least --min-fraction of outputs; float
    outputs (logits) within float_units x float_unit on at least
    --min-fraction, where the unit is the most one input level of the last
    layer can move a logit (s_x * s_w[c] * largest weight level) and
    float_units is 1 for mlp and 4 for resnet18, whose 20 layers multiply
    the rare near-tie rounding differences (2 and 10 with --bias float;
    gen_exporter_network.py says why).
(f) `--canonicalize` before the pipeline gives the same integer IR.

Every check runs (a failed one is reported and the rest go on where they
can); prints one summary line when all pass, else the failures, exit 1.
"""
import argparse
import os
import re
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "AOT", "Inputs"))
import gen_exporter_network  # noqa: E402

# The linalg ops that are contractions in the generated networks.
LINALG_CONTRACTION = re.compile(
    r"\blinalg\.(matmul|batch_matmul|conv_2d_\w+|depthwise_conv_2d_\w+)\b")


class Failed(Exception):
    pass


def run(cmd, **kw):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, **kw)
    if r.returncode != 0:
        raise Failed("command failed (%d): %s\n%s%s" % (
            r.returncode, " ".join(cmd), r.stdout[-2000:], r.stderr[-4000:]))
    return r.stdout, r.stderr


def parse_stats(text):
    """The numbers of the `total:` line of potq-contraction-stats, by the
    words that follow each ("contractions", "multiplies in contraction
    bodies", "float contractions", ...)."""
    for line in text.splitlines():
        if "potq-contraction-stats: total:" in line:
            rest = line.split("total:", 1)[1]
            return {words.strip(): int(n)
                    for n, words in re.findall(r"(\d+) ([^,;()\d]+)", rest)}
    raise Failed("no potq-contraction-stats total line in:\n" + text)


def float_count(stats):
    keys = [k for k in stats if "float" in k]
    if not keys:
        raise Failed("potq-contraction-stats reports no float-contraction "
                     "count: %r" % stats)
    return stats[keys[0]]


def input_row(n, index, step=1.0 / 255.0):
    """Input row number `index` (n values): by index % 4, uniform in
    [0, 1); uniform with 20% edge values (signed zeros, infinities, NaN,
    +-1e30, input levels and exact halfway points); two alternating edge
    values (0 and 1, 1e30 and inf, -inf and NaN, the first and last half
    levels); only levels and halfway points."""
    rng = np.random.default_rng(index)
    kind = index % 4
    levels = rng.integers(0, 256, n).astype(np.float32)
    on_or_half = (levels + np.where(rng.random(n) < 0.5, 0.5, 0.0)) * np.float32(step)
    if kind == 0:
        return rng.random(n, dtype=np.float32)
    if kind == 1:
        x = rng.random(n, dtype=np.float32)
        specials = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1e30, -1e30], np.float32)
        edge = np.where(rng.random(n) < 0.4, specials[rng.integers(0, len(specials), n)], on_or_half)
        pick = rng.random(n) < 0.2
        x[pick] = edge[pick]
        return x
    if kind == 2:
        pairs = [(0.0, 1.0), (1e30, np.inf), (-np.inf, np.nan), (0.5 * step, 254.5 * step)]
        a, b = pairs[(index // 4) % len(pairs)]
        x = np.full(n, a, np.float32)
        x[1::2] = b
        return x
    return on_or_half.astype(np.float32)


def make_inputs(shape, rows):
    """Arrays of `shape` holding at least `rows` input rows (batch rows
    are independent inputs)."""
    n = int(np.prod(shape[1:]))
    arrays = []
    index = 0
    while index < rows:
        arrays.append(np.stack([input_row(n, index + r) for r in range(shape[0])]).reshape(shape))
        index += shape[0]
    return arrays


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--net", required=True, choices=gen_exporter_network.NETS)
    p.add_argument("--encoding", required=True)
    p.add_argument("--per-tensor", action="store_true")
    p.add_argument("--seed", type=int, default=1, help="the network's seed")
    p.add_argument("--image", type=int)
    p.add_argument("--width", type=int)
    p.add_argument("--batch", type=int)
    p.add_argument("--bias", choices=["grid", "float"], default="grid",
                   help="gen_exporter_network.py --bias")
    p.add_argument("--rows", type=int, default=8,
                   help="input rows to try, in arrays of the network's batch")
    p.add_argument("--kernels", default="loops,runtime",
                   help="convert-potq-to-linalg kernels to compile with")
    p.add_argument("--aot", action="store_true", help="check (d)")
    p.add_argument("--min-fraction", type=float, default=0.999)
    p.add_argument("--jit-opt-level", type=int, default=2)
    p.add_argument("--before", default="",
                   help="potq-opt passes applied to the generated graph first, "
                        "before the pipeline sees it, e.g. --qat-normalize-graph "
                        "(for experiments; the float reference stays the "
                        "generated graph; the tests use none)")
    p.add_argument("--tools", required=True, help="directory of the potq tools")
    p.add_argument("--workdir", required=True)
    args = p.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    w = lambda name: os.path.join(args.workdir, name)  # noqa: E731
    opt = os.path.join(args.tools, "potq-opt")
    prun = os.path.join(args.tools, "potq-run")
    jit = [prun, "--jit", "--opt-level=%d" % args.jit_opt_level]
    failures = []

    def check(name, fn):
        """Runs one check; a failure is recorded and reported, and None
        returned."""
        try:
            return fn()
        except Failed as e:
            failures.append("(%s) %s" % (name, e))
            print("FAILED (%s): %s" % (name, e), flush=True)
            return None

    text, info = gen_exporter_network.build(
        args.net, args.encoding, not args.per_tensor, args.seed, args.image,
        args.width, 10, args.batch, args.bias)
    with open(w("qat.mlir"), "w") as f:
        f.write(text)
    # What the pipeline compiles: the generated graph, or with --before
    # that graph after the given passes (the float reference stays the
    # generated graph).
    source = w("qat.mlir")
    if args.before:
        source = w("before.mlir")
        try:
            run([opt, w("qat.mlir")] + args.before.split() + ["-o", source])
        except Failed as e:
            sys.exit(str(e))
    shape = info["input_shape"]
    inputs = make_inputs(shape, args.rows)
    xs = []
    for i, x in enumerate(inputs):
        np.save(w("x%d.npy" % i), x)
        xs.append(w("x%d.npy" % i))

    # (a) the float QAT graph: interpreter, and compiled == interpreter.
    def float_graph():
        outs = []
        for i, x in enumerate(xs):
            run([prun, w("qat.mlir"), "--interpret", "--input=" + x,
                 "--output=" + w("float%d.npy" % i)])
            outs.append(np.load(w("float%d.npy" % i)))
        return outs
    floats = check("a: float graph in the interpreter", float_graph)

    def float_compiled():
        for i, x in enumerate(xs):
            run(jit + [w("qat.mlir"), "--input=" + x, "--output=" + w("floatjit%d.npy" % i),
                       "--pipeline=builtin.module(potq-qat-to-shift-add{fuse=false})"])
            if open(w("floatjit%d.npy" % i), "rb").read() != open(w("float%d.npy" % i), "rb").read():
                raise Failed("compiled float QAT graph differs from the interpreter (input %d)" % i)
    if floats is not None:
        check("a: compiled float graph", float_compiled)

    # (b) integer, every contraction.
    pipeline = "--potq-qat-to-shift-add=lower=false require-integer=true"

    def integer_ir():
        run([opt, source, pipeline, "-o", w("potq.mlir")])
        ir = open(w("potq.mlir")).read()
        left = sorted(set(m.group(0) for m in LINALG_CONTRACTION.finditer(ir)))
        if left:
            raise Failed("linalg contractions left: %s" % ", ".join(left))
        ops = {}
        for name in re.findall(r"= (potq\.\w+)", ir):
            ops[name] = ops.get(name, 0) + 1
        for name, n in info["potq_ops"].items():
            if ops.get(name, 0) != n:
                raise Failed("expected %d %s, found %d (potq ops: %s)" % (n, name, ops.get(name, 0), ops))
        stats, _ = run([opt, w("potq.mlir"), "--potq-contraction-stats", "-o", "/dev/null"])
        floats_left = float_count(parse_stats(stats))
        if floats_left:
            raise Failed("potq-contraction-stats: %d float contraction(s):\n%s" % (floats_left, stats))
        return ir
    potq_ir = check("b: require-integer", integer_ir)
    if potq_ir is None:
        # Go on with what the pipeline makes without require-integer.
        try:
            run([opt, source, "--potq-qat-to-shift-add=lower=false", "-o", w("potq.mlir")])
        except Failed as e:
            failures.append("(b) without require-integer: %s" % e)
            print("\n".join(failures))
            sys.exit(1)

    def lowered():
        stats, _ = run([opt, w("potq.mlir"), "--potq-qat-to-shift-add",
                        "--potq-contraction-stats", "-o", w("int.mlir")])
        s = parse_stats(stats)
        if s.get("multiplies in contraction bodies", -1) != 0:
            raise Failed("multiplies left in contraction bodies:\n" + stats)
        if float_count(s):
            raise Failed("float contractions after lowering:\n" + stats)
        return s
    check("b: lowered", lowered)
    calls = None
    if "runtime" in args.kernels:
        def runtime_calls():
            out, _ = run([opt, w("potq.mlir"), "--convert-potq-to-linalg=kernels=runtime"])
            return out.count("call @potq_rt_")
        calls = check("c: kernels=runtime", runtime_calls)

    # (c) interpreter == compiled, loops and runtime kernels.
    refs = []

    def interpreter():
        for i, x in enumerate(xs):
            run([prun, w("potq.mlir"), "--interpret", "--input=" + x, "--output=" + w("ref%d.npy" % i)])
            refs.append(np.load(w("ref%d.npy" % i)))
    check("c: integer IR in the interpreter", interpreter)
    kernels = [k for k in args.kernels.split(",") if k]
    for kind in kernels:
        def compiled(kind=kind):
            for i, x in enumerate(xs):
                out = w("jit-%s%d.npy" % (kind, i))
                run(jit + [w("potq.mlir"), "--input=" + x, "--output=" + out,
                           "--pipeline=builtin.module(potq-qat-to-shift-add{kernels=%s})" % kind])
                if open(out, "rb").read() != open(w("ref%d.npy" % i), "rb").read():
                    a, b = np.load(out), np.load(w("ref%d.npy" % i))
                    raise Failed("kernels=%s: compiled differs from the interpreter on input %d "
                                 "(%d of %d elements)" % (kind, i, int((a != b).sum()), a.size))
        if len(refs) == len(xs):
            check("c: compiled kernels=%s" % kind, compiled)

    # (d) ahead of time: object + header + C driver.
    if args.aot:
        def aot():
            import aot_roundtrip
            if not os.path.exists(w("int.mlir")):
                raise Failed("no lowered integer IR")
            translate = os.path.join(args.tools, "potq-translate")
            run([translate, w("int.mlir"), "--emit=obj", "-o", w("net.o")])
            run([translate, w("int.mlir"), "--emit=header", "-o", w("net.h")])
            entry = info["entry"]
            ins, outs = aot_roundtrip.parse_signature(open(w("net.h")).read(), entry)
            with open(w("driver.c"), "w") as f:
                f.write(aot_roundtrip.driver_source("net.h", entry, ins, outs))
            run(["clang-22", "-std=c99", "-O1", "-Wall", "-Werror", "-I", args.workdir,
                 w("driver.c"), w("net.o"), "-lm", "-o", w("driver")])
            for i, x in enumerate(inputs):
                x.tofile(w("x%d.bin" % i))
                run([w("driver"), w("x%d.bin" % i), w("aot%d.bin" % i)])
                got = np.fromfile(w("aot%d.bin" % i), dtype=refs[i].dtype)
                if got.tobytes() != np.ascontiguousarray(refs[i]).tobytes():
                    raise Failed("AOT object differs from the interpreter on input %d" % i)
        if len(refs) == len(xs):
            check("d: AOT", aot)

    # (e) float QAT graph vs integer result.
    agreement = None
    if floats is not None and len(refs) == len(xs):
        def compare():
            within = total = differ = 0
            worst = 0.0
            for a, b in zip(floats, refs):
                # Both return f32: the dequantized levels, or the logits.
                a, b = a.astype(np.float64), b.astype(np.float64)
                if info["output"] == "quantized":
                    s = info["output_scale"]
                    diff = np.abs(np.round(a / s) - np.round(b / s))
                    ok = diff <= 1
                else:
                    diff = np.abs(a - b)
                    ok = diff <= info["float_units"] * info["float_unit"]
                within += int(ok.sum())
                total += ok.size
                differ += int((diff > 0).sum())
                worst = max(worst, float(diff.max()))
            if info["output"] == "quantized":
                print("float vs integer: %d of %d outputs differ, by at most %d levels"
                      % (differ, total, worst))
            else:
                print("float vs integer: %d of %d outputs differ, by at most %.2f units of %.4g"
                      % (differ, total, worst / info["float_unit"], info["float_unit"]))
            if within < args.min_fraction * total:
                raise Failed("float and integer results agree on only %d/%d outputs" % (within, total))
            return within, total
        agreement = check("e: float vs integer", compare)

    # (f) canonicalize first: the same integer IR.
    def canonicalize_first():
        run([opt, source, "--canonicalize", "-o", w("qat.canon.mlir")])
        run([opt, w("qat.canon.mlir"), pipeline, "-o", w("potq.canon.mlir")])
        a = open(w("potq.mlir")).read().splitlines()
        b = open(w("potq.canon.mlir")).read().splitlines()
        if a != b:
            diff = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            raise Failed("integer IR differs after --canonicalize first, from line %d:\n  %s\n  %s"
                         % (diff + 1, (a[diff] if diff < len(a) else "<end>")[:200],
                            (b[diff] if diff < len(b) else "<end>")[:200]))
    check("f: canonicalize first", canonicalize_first)

    name = "%s %s %s" % (args.net, args.encoding, "per-tensor" if args.per_tensor else "per-channel")
    if failures:
        print("%s: %d check(s) failed" % (name, len(failures)))
        sys.exit(1)
    rows = len(inputs) * shape[0]
    summary = ["%d contractions integer" % info["contractions"]]
    summary.append("interpreter == compiled (%s) on %d inputs" % (", ".join(kernels), rows))
    if args.aot:
        summary.append("AOT == interpreter")
    tol = ("one level" if info["output"] == "quantized"
           else "%d x %.3g" % (info["float_units"], info["float_unit"]))
    summary.append("float vs integer within %s: %d/%d" % (tol, agreement[0], agreement[1]))
    summary.append("canonicalize first: same IR")
    print("%s: %s" % (name, "; ".join(summary)))
    if calls is not None:
        print("%s: %d runtime call(s) with kernels=runtime" % (name, calls))


if __name__ == "__main__":
    main()
