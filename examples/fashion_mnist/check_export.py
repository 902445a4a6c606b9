#!/usr/bin/python3
"""Checks an exported mlp_<encoding>.mlir against potq-opt.

  check_export.py mlp_pot4.mlir [--potq-opt build/bin/potq-opt]

1. `potq-opt FILE` parses and verifies it.
2. `--convert-qat-to-potq --potq-fuse-contractions --canonicalize` fuses
   every layer into potq.matmul (no linalg.matmul left).
3. The frozen weight levels (potq.constant) equal the levels the potq
   package computes (potq.functional.project, SPEC section 4, bit for bit)
   from the same float weights and scales, and
   the scales in the !potq.q types read back as the exported binary32 values.
4. `... --potq-verify-accumulators --convert-potq-to-linalg` succeeds.
Also reports whether the pipeline with `--canonicalize` *before* the fusion
fuses (it does not when canonicalization folds the weights to float first).
Reads the layout of the committed files (%w1, %sw1, %b1, ...); every potq
encoding, #potq.nhot included. Needs PYTHONPATH=build/python_packages.
"""

import argparse
import os
import re
import subprocess
import sys

import numpy as np
import torch

from potq import _potq
from potq.encodings import Encoding
from potq.functional import project

HERE = os.path.dirname(os.path.abspath(__file__))
INT32_MIN, INT32_MAX = -2 ** 31, 2 ** 31 - 1

DEFAULT_POTQ_OPT = os.path.join(HERE, "..", "..", "build", "bin", "potq-opt")

CONST_RE = re.compile(
    r'%(\w+) = arith\.constant dense<"0x([0-9A-Fa-f]+)"> : tensor<([^>]*)>')
FQ_RE = re.compile(r'qat\.fake_quant %(\w+), %(\w+) \{([^}]*)\}')
POTQ_CONST_RE = re.compile(
    r'potq\.constant dense<(?:"0x([0-9A-Fa-f]+)"|(\[[^>]*\]))> : '
    r'tensor<([0-9x]+)x(i8|i16|i32)> -> tensor<[0-9x]+x!potq\.q<(.*?)>>')
QTYPE_SCALES_RE = re.compile(r'scales = \[([^\]]*)\]')


def parse_constants(text):
    consts = {}
    for name, hexdata, ty in CONST_RE.findall(text):
        parts = ty.split("x")
        shape = [int(d) for d in parts[:-1]]
        assert parts[-1] == "f32", ty
        a = np.frombuffer(bytes.fromhex(hexdata), dtype="<f4")
        n = int(np.prod(shape)) if shape else 1
        if a.size == 1 and n != 1:
            a = np.full(n, a[0], dtype=np.float32)
        consts[name] = a.reshape(shape).astype(np.float32)
    return consts


def encoding_from_attr(attrs):
    """The potq Encoding of a qat.fake_quant attribute dictionary."""
    m = re.search(r'#potq\.\w+<[^>]*>', attrs)
    if not m:
        raise ValueError("no #potq encoding in {%s}" % attrs)
    return Encoding.parse(m.group(0))


def bias_levels(b, s):
    """P(b / s) on the i32 grid (numerics::projectToIntegerRange), s the
    binary32 accumulator scale sx * sw[c] per channel."""
    return _potq.project_to_integer_range(
        np.ascontiguousarray(b, np.float32), np.ascontiguousarray(s, np.float32),
        INT32_MIN, INT32_MAX, axis=0)


def run(potq_opt, path, passes, stdin=None):
    cmd = [potq_opt, path] + passes + \
        ["--mlir-print-elementsattrs-with-hex-if-larger=16"]
    r = subprocess.run(cmd, capture_output=True, text=True)
    return r, " ".join(cmd[:-1])


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("mlir")
    p.add_argument("--potq-opt", default=DEFAULT_POTQ_OPT)
    args = p.parse_args(argv)
    potq_opt = os.path.abspath(args.potq_opt)
    text = open(args.mlir).read()
    failures = []

    def check(ok, what):
        print("%s: %s" % ("ok" if ok else "FAIL", what))
        if not ok:
            failures.append(what)

    # 1. Parse / verify.
    r, cmd = run(potq_opt, args.mlir, [])
    check(r.returncode == 0, cmd)
    if r.returncode:
        print(r.stderr)

    # Expected weight levels from the exported float weights and scales.
    consts = parse_constants(text)
    expected = []          # (shape, levels, scales)
    for inp, scale, attrs in FQ_RE.findall(text):
        if inp not in consts:
            continue       # an activation
        axis = int(re.search(r'axis = (\d+)', attrs).group(1))
        enc = encoding_from_attr(attrs)
        w, s = consts[inp], consts[scale]
        levels = project(torch.from_numpy(w), torch.from_numpy(s), enc,
                         axis=axis).numpy().astype(np.int64)
        expected.append((list(w.shape), levels, s))

    # 2. Fusion.
    fuse = ["--convert-qat-to-potq", "--potq-fuse-contractions",
            "--canonicalize"]
    r, cmd = run(potq_opt, args.mlir, fuse)
    check(r.returncode == 0, cmd)
    if r.returncode:
        print(r.stderr)
    else:
        out = r.stdout
        n_lin = len(re.findall(r'linalg\.matmul', out))
        n_potq = len(re.findall(r'potq\.matmul', out))
        check(n_lin == 0 and n_potq == len(expected),
              "fused: %d potq.matmul, %d linalg.matmul left" % (n_potq, n_lin))

        # 3. Weight levels and scales.
        found = 0
        for hexdata, lst, shape, ity, qtype in POTQ_CONST_RE.findall(out):
            shape = [int(d) for d in shape.split("x")]
            if hexdata:
                lv = np.frombuffer(bytes.fromhex(hexdata),
                                   dtype="<" + {"i8": "i1", "i16": "i2",
                                                "i32": "i4"}[ity])
                if lv.size == 1:
                    lv = np.full(int(np.prod(shape)), lv[0])
                lv = lv.reshape(shape)
            else:
                lv = np.array(eval(lst)).reshape(shape)
            sm = QTYPE_SCALES_RE.search(qtype)
            scales = np.array([np.float32(float(v))
                               for v in sm.group(1).split(",")],
                              dtype=np.float32)
            for eshape, elevels, escales in expected:
                if eshape == shape:
                    found += 1
                    bad = int((lv.astype(np.int64) != elevels).sum())
                    check(bad == 0, "weight %s: potq-opt levels == potq.functional levels "
                          "(%d of %d differ)" % (shape, bad, elevels.size))
                    same = scales.view(np.uint32) == escales.view(np.uint32)
                    check(bool(same.all()),
                          "weight %s: type scales == exported binary32 scales "
                          "(%d of %d differ)" % (shape, int((~same).sum()),
                                                 same.size))
        # Per-tensor activation scales in the quantized types.
        per_tensor = set()
        for inp, scale, attrs in FQ_RE.findall(text):
            if inp not in consts:
                per_tensor.add(int(consts[scale].reshape(()).view(np.uint32)))
        seen = set(int(np.float32(float(v)).view(np.uint32)) for v in
                   re.findall(r'!potq\.q<#potq\.uniform<[^>]*>, f32, '
                              r'scale = ([-+0-9.eE]+)', out))
        check(seen == per_tensor,
              "activation scales in the types == exported binary32 scales "
              "(%d exported, %d seen)" % (len(per_tensor), len(seen)))
        # Biases: on the accumulator grid sx * sw[c], and frozen to the same
        # levels by potq.
        sx_of = {}
        for out_name, inp, scale, attrs in re.findall(
                r'%(\w+) = qat\.fake_quant %(\w+), %(\w+) \{([^}]*)\}', text):
            sx_of[out_name] = scale
        potq_bias = {}
        for body, n in re.findall(r'arith\.constant dense<([^>]*)> : '
                                  r'tensor<(\d+)xi32>', out):
            if body.startswith('"0x'):
                v = np.frombuffer(bytes.fromhex(body[3:-1]), dtype="<i4")
            else:
                v = np.array(eval(body), dtype=np.int64)
            potq_bias[int(n)] = np.broadcast_to(v, (int(n),)).astype(np.int64)
        for mm in re.findall(r'linalg\.matmul ins\(%(\w+), %(\w+)q :', text):
            x_name, w_name = mm
            idx = w_name[1:]
            b = consts.get("b" + idx)
            if b is None:
                continue
            s = (consts[sx_of[x_name]].reshape(()) *
                 consts["sw" + idx]).astype(np.float32)
            L = bias_levels(b, s)
            on_grid = (L.astype(np.float32) * s).astype(np.float32)
            check(bool((on_grid.view(np.uint32) == b.view(np.uint32)).all()),
                  "bias %s lies on the grid sx * sw[c]" % w_name)
            got = potq_bias.get(len(b))
            check(got is not None and bool((got == L).all()),
                  "bias %s: potq levels == P(b / (sx * sw[c]))" % w_name)
        check(found == len(expected),
              "found %d of %d frozen weights" % (found, len(expected)))

    # 4. Accumulator check and lowering.
    lower = fuse + ["--potq-verify-accumulators", "--convert-potq-to-linalg"]
    r, cmd = run(potq_opt, args.mlir, lower)
    check(r.returncode == 0, cmd)
    if r.returncode:
        print(r.stderr[:3000])
    else:
        check("potq." not in r.stdout and "qat." not in r.stdout,
              "lowered IR has no potq/qat ops")

    # Informational: canonicalize between conversion and fusion.
    early = ["--convert-qat-to-potq", "--canonicalize",
             "--potq-fuse-contractions", "--canonicalize"]
    r, cmd = run(potq_opt, args.mlir, early)
    if r.returncode == 0:
        n_lin = len(re.findall(r'linalg\.matmul', r.stdout))
        print("note: %s leaves %d linalg.matmul (%s)"
              % (cmd, n_lin, "fused" if n_lin == 0 else
                 "--canonicalize folded the weights' potq.dequantize into "
                 "float constants before fusion"))

    print("%d check(s) failed" % len(failures) if failures
          else "all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
