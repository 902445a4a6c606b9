#!/usr/bin/env python3
"""Bit-exactness of zero-point padded convolutions (potq.conv_2d_nhwc_hwcf,
potq.conv_2d_nchw_fchw, potq.depthwise_conv_2d_nhwc_hwc with `padding`):
`potq-run --jit` of the shift-add loops (tensor.pad of Zx) and of
convert-potq-to-linalg{kernels=runtime} (potq_rt_conv2d_nhwc_i8 pads; the
depthwise convolution keeps the loops) against `potq-run --interpret`, byte
for byte, on random inputs. Odd shapes, strides 1 and 2, asymmetric padding
(also wider than the kernel), nonzero and extreme zero points of signed
and unsigned input, per-tensor and per-channel weights, raw i32 and requantized
results, bias, dynamic batch.
"""

import argparse
import os
import subprocess
import sys

import numpy as np

POT4 = [0] + [s * 2 ** e for e in range(7) for s in (1, -1)]

# (op, N, H, W, C, KH, KW, F, strides, padding [top, left, bottom, right]);
# F is C for the depthwise convolution.
CASES = [
    ("nhwc", 1, 5, 5, 3, 3, 3, 4, (1, 1), (1, 1, 1, 1)),
    ("nhwc", 2, 7, 6, 2, 2, 3, 17, (2, 1), (0, 2, 1, 0)),
    ("nhwc", 1, 4, 3, 5, 3, 3, 1, (2, 2), (3, 0, 0, 4)),
    ("nhwc", 3, 1, 1, 4, 3, 3, 8, (1, 1), (1, 1, 1, 1)),
    ("nchw", 1, 6, 5, 3, 3, 2, 5, (2, 2), (1, 0, 2, 1)),
    ("nchw", 2, 3, 7, 1, 1, 3, 6, (1, 2), (2, 1, 0, 1)),
    ("nchw", 1, 9, 9, 5, 3, 3, 33, (2, 2), (1, 1, 1, 1)),
    ("depthwise", 1, 5, 6, 3, 3, 3, 3, (1, 1), (1, 1, 1, 1)),
    ("depthwise", 2, 6, 5, 4, 2, 3, 4, (2, 1), (0, 2, 3, 1)),
]


def run(cmd):
    result = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        sys.exit("command failed: %s\n%s%s" % (" ".join(cmd), result.stdout, result.stderr))
    return result.stdout


def conv_module(case, w, bias, signed_input, zx, quantized, dynamic, per_channel):
    op, n, h, wd, c, kh, kw, f, (sh, sw), pad = case
    oh = (h + pad[0] + pad[2] - kh) // sh + 1
    ow = (wd + pad[1] + pad[3] - kw) // sw + 1
    axis = {"nhwc": 3, "nchw": 0, "depthwise": 2}[op]
    in_q = "!potq.q<#potq.uniform<bits = 8%s>, f32, scale = 5.0e-01, zero_point = %d>" % (
        "" if signed_input else ", unsigned", zx)
    if per_channel:
        scales = ", ".join(["2.5e-01", "1.25e-01", "5.0e-01"][i % 3] for i in range(f))
        w_q = "!potq.q<#potq.pot<bits = 4>, f32, axis = %d, scales = [%s]>" % (axis, scales)
    else:
        w_q = "!potq.q<#potq.pot<bits = 4>, f32, scale = 2.5e-01>"
    out_t = ("!potq.q<#potq.uniform<bits = 8>, f32, scale = 3.0e+01, zero_point = 3>"
             if quantized else "i32")
    b = "?" if dynamic else str(n)
    dims = lambda *v: "x".join(str(x) for x in v)  # noqa: E731
    if op == "nchw":
        it, ws, ot = dims(b, c, h, wd, in_q), (f, c, kh, kw), dims(b, f, oh, ow, out_t)
    else:
        it, ot = dims(b, h, wd, c, in_q), dims(b, oh, ow, f, out_t)
        ws = (kh, kw, c) if op == "depthwise" else (kh, kw, c, f)
    wdata = np.array2string(w, separator=", ", threshold=10 ** 9,
                            max_line_width=10 ** 9).replace("\n", "")
    lines = ["func.func @main(%%x: tensor<%s>) -> tensor<%s> {" % (it, ot),
             "  %%w = potq.constant dense<%s> : tensor<%s> -> tensor<%s>"
             % (wdata, dims(*ws, "i8"), dims(*ws, w_q))]
    bias_txt = bias_type = ""
    if bias is not None:
        lines.append("  %%b = arith.constant dense<[%s]> : tensor<%dxi32>"
                     % (", ".join(str(v) for v in bias), f))
        bias_txt, bias_type = " bias %b", ", tensor<%dxi32>" % f
    name = {"nhwc": "conv_2d_nhwc_hwcf", "nchw": "conv_2d_nchw_fchw",
            "depthwise": "depthwise_conv_2d_nhwc_hwc"}[op]
    lines.append("  %%y = potq.%s %%x, %%w%s {strides = array<i64: %d, %d>, "
                 "padding = array<i64: %d, %d, %d, %d>} : tensor<%s>, tensor<%s>%s -> tensor<%s>"
                 % (name, bias_txt, sh, sw, *pad, it, dims(*ws, w_q), bias_type, ot))
    lines += ["  return %%y : tensor<%s>" % ot, "}"]
    return "\n".join(lines) + "\n", ws


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--options", required=True,
                   help="convert-potq-to-linalg options of the runtime path")
    p.add_argument("--inputs", type=int, default=2, help="random inputs per case")
    p.add_argument("--tools", required=True)
    p.add_argument("--workdir", required=True)
    args = p.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    opt = os.path.join(args.tools, "potq-opt")
    prun = os.path.join(args.tools, "potq-run")
    rng = np.random.default_rng(4321)
    calls = 0
    for index, case in enumerate(CASES):
        op, n, h, wd, c, kh, kw, f, _, _ = case
        signed_input = index % 2 == 0
        zx = [5, 127][index // 2 % 2] if signed_input else [255, 200][index // 2 % 2]
        quantized = index % 3 != 1
        dynamic = index % 4 == 2
        per_channel = index % 2 == 1
        w_shape = (f, c, kh, kw) if op == "nchw" else (kh, kw, c) if op == "depthwise" else (kh, kw, c, f)
        w = rng.choice(POT4, size=w_shape)
        bias = rng.integers(-1000, 1000, size=f) if index % 3 == 0 else None
        src = os.path.join(args.workdir, "case_%d.mlir" % index)
        text, _ = conv_module(case, w, bias, signed_input, zx, quantized, dynamic, per_channel)
        with open(src, "w") as fh:
            fh.write(text)
        lowered = run([opt, src, "--convert-potq-to-linalg=" + args.options])
        has_call = "call @potq_rt_conv2d_nhwc_i8" in lowered
        if has_call != (op != "depthwise"):
            sys.exit("%s: runtime call %sexpected" % (src, "" if op != "depthwise" else "not "))
        calls += has_call
        loops = run([opt, src, "--convert-potq-to-linalg"])
        if "tensor.pad" not in loops:
            sys.exit("%s: the shift-add loops do not pad the input" % src)
        lo, hi = (-128, 127) if signed_input else (0, 255)
        for trial in range(args.inputs):
            batch = [n, 0, 2][trial % 3] if dynamic else n
            shape = (batch, c, h, wd) if op == "nchw" else (batch, h, wd, c)
            x = rng.integers(lo, hi + 1, size=shape)
            if trial == 0 and x.size:
                x.flat[::2] = lo
                x.flat[1::2] = hi
            xin = os.path.join(args.workdir, "x_%d_%d.npy" % (index, trial))
            np.save(xin, x.astype(np.int8 if signed_input else np.uint8))
            ref = xin.replace(".npy", ".ref.npy")
            run([prun, src, "--interpret", "--input=" + xin, "--output=" + ref])
            for tag, options in (("loops", ""), ("runtime", args.options)):
                out = xin.replace(".npy", ".%s.npy" % tag)
                run([prun, src, "--jit", "--input=" + xin, "--output=" + out,
                     "--pipeline=builtin.module(convert-potq-to-linalg{%s},canonicalize,cse)" % options])
                if open(ref, "rb").read() != open(out, "rb").read():
                    sys.exit("%s: compiled code (%s) differs from the interpreter on %s"
                             % (src, tag, xin))
    print("%s: %d padded convolutions (%d runtime calls), interpreter == shift-add "
          "loops == runtime bit for bit" % (args.options, len(CASES), calls))


if __name__ == "__main__":
    main()
