#!/usr/bin/env python3
"""Bit-exactness of potq.matmul, potq.batch_matmul, potq.conv_2d_nhwc_hwcf
and potq.conv_2d_nchw_fchw lowered with convert-potq-to-linalg
{kernels=runtime} (calls into PotqRuntime) against the reference
interpreter, on random and edge-case inputs and odd shapes.

For every case, builds a module with one contraction (random constant
weight levels, optional bias, quantized or raw i32 result), lowers it with
the given options, checks that the accumulation is (or, for ineligible
cases, is not) a runtime call, and compares `potq-run --jit` with
`potq-run --interpret` byte for byte on several inputs.
"""

import argparse
import os
import subprocess
import sys

import numpy as np

# Levels of each weight encoding used here (all valid levels).
POT4 = [0] + [s * 2 ** e for e in range(7) for s in (1, -1)]
POT5 = [0] + [s * 2 ** e for e in range(15) for s in (1, -1)]  # int16, not int8
UNIFORM8 = list(range(-128, 128))
ENCODINGS = {
    "pot4": ("#potq.pot<bits = 4>", POT4),
    "pot5": ("#potq.pot<bits = 5>", POT5),
    "uniform8": ("#potq.uniform<bits = 8>", UNIFORM8),
}
# (M, K, N): odd K (not a multiple of 4 or 64), N = 1, 17, M = 1, M = 0.
SHAPES = [(1, 1, 1), (3, 5, 17), (1, 67, 1), (4, 64, 16), (7, 130, 33),
          (0, 9, 5), (2, 255, 65), (16, 100, 10)]


def run(cmd, ok=True):
    result = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if ok and result.returncode != 0:
        sys.exit("command failed: %s\n%s%s" % (" ".join(cmd), result.stdout, result.stderr))
    return result


def module(m, k, n, enc, w, bias, signed_input, zx, quantized, dynamic):
    enc_attr = enc
    in_q = "!potq.q<#potq.uniform<bits = 8%s>, f32, scale = 5.0e-01, zero_point = %d>" % (
        "" if signed_input else ", unsigned", zx)
    w_q = "!potq.q<%s, f32, scale = 2.5e-01>" % enc_attr
    out_t = "!potq.q<#potq.uniform<bits = 8>, f32, scale = 3.0e+01, zero_point = 3>" if quantized else "i32"
    rows = "?" if dynamic else str(m)
    wdata = "[" + ", ".join("[" + ", ".join(str(v) for v in row) + "]" for row in w) + "]"
    wtype = "i16" if enc == ENCODINGS["pot5"][0] else "i8"
    lines = ["func.func @main(%%x: tensor<%sx%dx%s>) -> tensor<%sx%dx%s> {" % (rows, k, in_q, rows, n, out_t),
             "  %%w = potq.constant dense<%s> : tensor<%dx%dx%s> -> tensor<%dx%dx%s>" % (wdata, k, n, wtype, k, n, w_q)]
    bias_txt = ""
    bias_type = ""
    if bias is not None:
        lines.append("  %%b = arith.constant dense<[%s]> : tensor<%dxi32>" % (", ".join(str(v) for v in bias), n))
        bias_txt = " bias %b"
        bias_type = ", tensor<%dxi32>" % n
    lines.append("  %%y = potq.matmul %%x, %%w%s : tensor<%sx%dx%s>, tensor<%dx%dx%s>%s -> tensor<%sx%dx%s>"
                 % (bias_txt, rows, k, in_q, k, n, w_q, bias_type, rows, n, out_t))
    lines.append("  return %%y : tensor<%sx%dx%s>" % (rows, n, out_t))
    lines.append("}")
    return "\n".join(lines) + "\n"


# Convolutions (N, H, W, C, KH, KW, F, stride): C = 3 (K not a multiple of
# 4), F = 1 and 17, stride 2, 1x1 kernels, a kernel as tall as the input,
# batch 0.
CONVS = [(1, 5, 5, 3, 3, 3, 1, (1, 1)), (2, 7, 6, 2, 2, 3, 17, (2, 1)),
         (0, 4, 4, 1, 1, 1, 5, (1, 1)), (3, 6, 5, 4, 6, 2, 8, (1, 2)),
         (1, 9, 9, 5, 3, 3, 33, (2, 2))]


def conv_module(shape, enc, w, bias, signed_input, zx, quantized, dynamic, nchw=False):
    """NHWC/HWCF, or with `nchw` NCHW/FCHW (`w` is then [F, C, KH, KW])."""
    n, h, wd, c, kh, kw, f, (sh, sw) = shape
    oh, ow = (h - kh) // sh + 1, (wd - kw) // sw + 1
    in_q = "!potq.q<#potq.uniform<bits = 8%s>, f32, scale = 5.0e-01, zero_point = %d>" % (
        "" if signed_input else ", unsigned", zx)
    w_q = "!potq.q<%s, f32, scale = 2.5e-01>" % enc
    out_t = "!potq.q<#potq.uniform<bits = 8>, f32, scale = 3.0e+01, zero_point = 3>" if quantized else "i32"
    b = "?" if dynamic else str(n)
    wdata = np.array2string(w, separator=", ", threshold=10 ** 9, max_line_width=10 ** 9).replace("\n", "")
    wtype = "i16" if enc == ENCODINGS["pot5"][0] else "i8"
    dims = lambda shape4: "x".join(str(v) for v in shape4)
    if nchw:
        it = "tensor<%sx%s>" % (b, dims((c, h, wd, in_q)))
        wt = "tensor<%s>" % dims((f, c, kh, kw, w_q))
        wst = "tensor<%s>" % dims((f, c, kh, kw, wtype))
        ot = "tensor<%sx%s>" % (b, dims((f, oh, ow, out_t)))
    else:
        it = "tensor<%sx%s>" % (b, dims((h, wd, c, in_q)))
        wt = "tensor<%s>" % dims((kh, kw, c, f, w_q))
        wst = "tensor<%s>" % dims((kh, kw, c, f, wtype))
        ot = "tensor<%sx%s>" % (b, dims((oh, ow, f, out_t)))
    lines = ["func.func @main(%%x: %s) -> %s {" % (it, ot),
             "  %%w = potq.constant dense<%s> : %s -> %s" % (wdata, wst, wt)]
    bias_txt = bias_type = ""
    if bias is not None:
        lines.append("  %%b = arith.constant dense<[%s]> : tensor<%dxi32>" % (", ".join(str(v) for v in bias), f))
        bias_txt = " bias %b"
        bias_type = ", tensor<%dxi32>" % f
    lines.append("  %%y = potq.%s %%x, %%w%s {strides = array<i64: %d, %d>} : %s, %s%s -> %s"
                 % ("conv_2d_nchw_fchw" if nchw else "conv_2d_nhwc_hwcf", bias_txt, sh, sw, it, wt,
                    bias_type, ot))
    lines.append("  return %%y : %s" % ot)
    lines.append("}")
    return "\n".join(lines) + "\n"


# Batch matmuls (B, M, K, N, dynamic B and/or M): B = 1, M = 0, K = 1 and
# 67, N = 1 and 17, dynamic M (0 and 1 rows too), dynamic B.
BATCHES = [(1, 1, 1, 1, ""), (3, 2, 67, 17, "m"), (2, 0, 9, 5, ""),
           (4, 5, 130, 1, "bm"), (2, 7, 64, 33, "b")]


def batch_module(shape, enc, w, bias, signed_input, zx, quantized):
    bt, m, k, n, dyn = shape
    in_q = "!potq.q<#potq.uniform<bits = 8%s>, f32, scale = 5.0e-01, zero_point = %d>" % (
        "" if signed_input else ", unsigned", zx)
    w_q = "!potq.q<%s, f32, scale = 2.5e-01>" % enc
    out_t = "!potq.q<#potq.uniform<bits = 8>, f32, scale = 3.0e+01, zero_point = 3>" if quantized else "i32"
    bs = "?" if "b" in dyn else str(bt)
    ms = "?" if "m" in dyn else str(m)
    wdata = np.array2string(w, separator=", ", threshold=10 ** 9, max_line_width=10 ** 9).replace("\n", "")
    wtype = "i16" if enc == ENCODINGS["pot5"][0] else "i8"
    it = "tensor<%sx%sx%dx%s>" % (bs, ms, k, in_q)
    wt = "tensor<%dx%dx%dx%s>" % (bt, k, n, w_q)
    ot = "tensor<%sx%sx%dx%s>" % (bs, ms, n, out_t)
    lines = ["func.func @main(%%x: %s) -> %s {" % (it, ot),
             "  %%w = potq.constant dense<%s> : tensor<%dx%dx%dx%s> -> %s" % (wdata, bt, k, n, wtype, wt)]
    bias_txt = bias_type = ""
    if bias is not None:
        lines.append("  %%b = arith.constant dense<[%s]> : tensor<%dxi32>" % (", ".join(str(v) for v in bias), n))
        bias_txt = " bias %b"
        bias_type = ", tensor<%dxi32>" % n
    lines.append("  %%y = potq.batch_matmul %%x, %%w%s : %s, %s%s -> %s" % (bias_txt, it, wt, bias_type, ot))
    lines.append("  return %%y : %s" % ot)
    lines.append("}")
    return "\n".join(lines) + "\n"


def check_trials(args, rng, prun, src, stem, shape_of, signed_input):
    """Runs `src` on args.inputs random inputs from `rng` (the first
    alternating the extremes) with the interpreter and compiled with
    args.options; exits on the first difference."""
    lo, hi = (-128, 127) if signed_input else (0, 255)
    for trial in range(args.inputs):
        x = rng.integers(lo, hi + 1, size=shape_of(trial))
        if trial == 0 and x.size:
            x.flat[::2] = lo
            x.flat[1::2] = hi
        x = x.astype(np.int8 if signed_input else np.uint8)
        xin = os.path.join(args.workdir, "%s_%d.npy" % (stem, trial))
        np.save(xin, x)
        ref = xin.replace(".npy", ".ref.npy")
        jit = xin.replace(".npy", ".jit.npy")
        run([prun, src, "--interpret", "--input=" + xin, "--output=" + ref])
        run([prun, src, "--jit", "--input=" + xin, "--output=" + jit,
             "--pipeline=builtin.module(convert-potq-to-linalg{%s},canonicalize,cse)" % args.options])
        if open(ref, "rb").read() != open(jit, "rb").read():
            sys.exit("%s: compiled code differs from the interpreter on %s" % (src, xin))


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--options", required=True,
                   help="convert-potq-to-linalg options, e.g. 'kernels=runtime strategy=dot isa=avx2'")
    p.add_argument("--encodings", default="pot4,uniform8,pot5")
    p.add_argument("--inputs", type=int, default=2, help="random inputs per case")
    p.add_argument("--tools", required=True)
    p.add_argument("--workdir", required=True)
    args = p.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    opt = os.path.join(args.tools, "potq-opt")
    prun = os.path.join(args.tools, "potq-run")
    rng = np.random.default_rng(1234)
    strategy_dot = "strategy=dot" in args.options
    cases = calls = 0
    for enc_name in args.encodings.split(","):
        enc, levels = ENCODINGS[enc_name]
        for index, (m, k, n) in enumerate(SHAPES):
            signed_input = index % 2 == 0
            zx = [0, -128, 127, 5][index % 4] if signed_input else [0, 128, 255, 37][index % 4]
            quantized = index % 3 != 1
            dynamic = index % 4 == 3
            w = rng.choice(levels, size=(k, n))
            if index == 2:
                w[:] = levels[-1]  # extreme levels everywhere
            bias = rng.integers(-1000, 1000, size=n) if index % 2 == 1 else None
            src = os.path.join(args.workdir, "%s_%d.mlir" % (enc_name, index))
            with open(src, "w") as f:
                f.write(module(m, k, n, enc, w, bias, signed_input, zx, quantized, dynamic))
            lowered = run([opt, src, "--convert-potq-to-linalg=" + args.options]).stdout
            has_call = "call @potq_rt_matmul_i8" in lowered
            # pot5 levels need up to 15 bits: only the shift-add kernels take
            # weights with levels outside int8.
            expect_call = not (strategy_dot and (w.max() > 127 or w.min() < -128))
            if has_call != expect_call:
                sys.exit("%s: runtime call %s expected" % (src, "" if expect_call else "not"))
            calls += has_call
            check_trials(args, rng, prun, src, "x_%s_%d" % (enc_name, index),
                         lambda trial: (m if not dynamic else [m, 0, 1][trial % 3], k),
                         signed_input)
            cases += 1
        for nchw in (False, True):
            for index, shape in enumerate(CONVS):
                signed_input = (index + nchw) % 2 == 1
                zx = [0, -128, 127, 5][index % 4] if signed_input else [0, 128, 255, 37][index % 4]
                quantized = (index + nchw) % 3 != 2
                dynamic = (index + nchw) % 3 == 1
                n, h, wd, c, kh, kw, f, _ = shape
                w = rng.choice(levels, size=(f, c, kh, kw) if nchw else (kh, kw, c, f))
                bias = rng.integers(-1000, 1000, size=f) if index % 2 == 0 else None
                stem = "conv_%s_%s_%d" % ("nchw" if nchw else "nhwc", enc_name, index)
                src = os.path.join(args.workdir, stem + ".mlir")
                with open(src, "w") as fh:
                    fh.write(conv_module(shape, enc, w, bias, signed_input, zx, quantized, dynamic, nchw))
                lowered = run([opt, src, "--convert-potq-to-linalg=" + args.options]).stdout
                has_call = "call @potq_rt_conv2d_nhwc_i8" in lowered
                expect_call = not (strategy_dot and (w.max() > 127 or w.min() < -128))
                if has_call != expect_call:
                    sys.exit("%s: runtime call %s expected" % (src, "" if expect_call else "not"))
                calls += has_call
                check_trials(args, rng, prun, src, "x" + stem,
                             lambda trial: (n if not dynamic else [n, 0, 2][trial % 3],)
                             + ((c, h, wd) if nchw else (h, wd, c)),
                             signed_input)
                cases += 1
        for index, shape in enumerate(BATCHES):
            bt, m, k, n, dyn = shape
            signed_input = index % 2 == 0
            zx = [0, -128, 127, 5][index % 4] if signed_input else [0, 128, 255, 37][index % 4]
            quantized = index % 3 != 1
            w = rng.choice(levels, size=(bt, k, n))
            if index == 0:
                w[:] = levels[-1]  # extreme levels everywhere
            bias = rng.integers(-1000, 1000, size=n) if index % 2 == 1 else None
            src = os.path.join(args.workdir, "batch_%s_%d.mlir" % (enc_name, index))
            with open(src, "w") as fh:
                fh.write(batch_module(shape, enc, w, bias, signed_input, zx, quantized))
            lowered = run([opt, src, "--convert-potq-to-linalg=" + args.options]).stdout
            has_call = "call @potq_rt_matmul_i8" in lowered
            expect_call = not (strategy_dot and (w.max() > 127 or w.min() < -128))
            # A statically empty result (M = 0) needs no call.
            expect_call = expect_call and (m > 0 or "m" in dyn)
            if has_call != expect_call:
                sys.exit("%s: runtime call %s expected" % (src, "" if expect_call else "not"))
            calls += has_call
            check_trials(args, rng, prun, src, "xb_%s_%d" % (enc_name, index),
                         lambda trial: (bt, m if "m" not in dyn else [m, 0, 1][trial % 3], k),
                         signed_input)
            cases += 1
    print("%s: %d cases (%d runtime calls), interpreter == compiled bit for bit"
          % (args.options, cases, calls))


if __name__ == "__main__":
    main()
