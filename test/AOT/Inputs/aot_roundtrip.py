#!/usr/bin/python3
"""Ahead-of-time round trip: potq-translate object + header, a generated C
driver compiled with clang-22, run (natively or under qemu), compared bit for
bit with `potq-run --jit` on the same random inputs.

  aot_roundtrip.py --tools DIR --input F.mlir --workdir DIR [--entry main]
      [--dynamic-dim-size N] [--translate-flag=--preset=x86-64-v3 ...]
      [--cc-flag=... ...] [--runner "qemu-aarch64 -L /usr/aarch64-linux-gnu"]
      [--trials 3] [--asan [--leaks]] [--shared] [--jit-pipeline=P]

The driver calls the generated entry point potq_<entry>(in..., out...) with
contiguous row-major buffers. Prints one line per trial and a summary; exits
1 on any mismatch or failure.
"""
import argparse
import os
import re
import shlex
import subprocess
import sys

import numpy as np

CTYPES = {
    "float": np.float32, "double": np.float64, "int8_t": np.int8,
    "int16_t": np.int16, "int32_t": np.int32, "int64_t": np.int64,
}


def run(cmd, **kw):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, **kw)
    if r.returncode != 0:
        sys.exit("FAILED (%d): %s\n%s%s" % (r.returncode, " ".join(cmd),
                                          r.stdout, r.stderr))
    return r.stdout


def parse_signature(header, entry):
    """The entry's tensors from the header comment
    `/* NAME: in0 float[4, 784] -> out0 float[4, 10], row-major. */`."""
    m = re.search(r"/\* %s:(.*?) ->(.*?), row-major\. \*/" % re.escape(entry),
                  header)
    if not m:
        sys.exit("no signature comment for %r in the header" % entry)

    def tensors(text):
        out = []
        for ctype, dims in re.findall(r"\w+ (\w+)\[([^\]]*)\]", text):
            shape = [int(d) for d in dims.split(",") if d.strip()]
            out.append((ctype, shape))
        return out
    return tensors(m.group(1)), tensors(m.group(2))


def driver_source(header_name, entry, ins, outs):
    lines = ["#include \"%s\"" % header_name, "#include <stdio.h>",
             "#include <stdlib.h>", "",
             "int main(int argc, char **argv) {",
             "  (void)argc;"]
    for i, (ctype, shape) in enumerate(ins):
        n = max(1, int(np.prod(shape)))
        lines += ["  %s *in%d = malloc(%d * sizeof(%s));" % (ctype, i, n, ctype),
                  "  { FILE *f = fopen(argv[%d], \"rb\");" % (1 + i),
                  "    if (!f || fread(in%d, sizeof(%s), %d, f) != %d) return 2;"
                  % (i, ctype, int(np.prod(shape)), int(np.prod(shape))),
                  "    fclose(f); }"]
    for i, (ctype, shape) in enumerate(outs):
        n = max(1, int(np.prod(shape)))
        lines.append("  %s *out%d = malloc(%d * sizeof(%s));"
                     % (ctype, i, n, ctype))
    args = ["in%d" % i for i in range(len(ins))] + \
        ["out%d" % i for i in range(len(outs))]
    lines.append("  if (potq_%s(%s) != 0) return 3;" % (entry, ", ".join(args)))
    for i, (ctype, shape) in enumerate(outs):
        n = int(np.prod(shape))
        lines += ["  { FILE *f = fopen(argv[%d], \"wb\");" % (1 + len(ins) + i),
                  "    if (!f || fwrite(out%d, sizeof(%s), %d, f) != %d) return 4;"
                  % (i, ctype, n, n),
                  "    fclose(f); }"]
    lines += ["  free(in%d);" % i for i in range(len(ins))]
    lines += ["  free(out%d);" % i for i in range(len(outs))]
    lines += ["  return 0;", "}", ""]
    return "\n".join(lines)


def random_input(rng, ctype, shape):
    dtype = CTYPES[ctype]
    if np.issubdtype(dtype, np.floating):
        # Pixel-like values, plus a few out-of-range and negative ones.
        x = rng.integers(0, 256, size=shape).astype(dtype) / dtype(255)
        x = np.where(rng.random(size=shape) < 0.05,
                     rng.normal(0, 3, size=shape), x)
        return x.astype(dtype)
    info = np.iinfo(dtype)
    return rng.integers(info.min, info.max, size=shape, endpoint=True,
                        dtype=dtype)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--tools", required=True)
    p.add_argument("--input", required=True)
    p.add_argument("--workdir", required=True)
    p.add_argument("--entry", default="main")
    p.add_argument("--dynamic-dim-size", type=int)
    p.add_argument("--translate-flag", action="append", default=[])
    p.add_argument("--cc", default="clang-22")
    p.add_argument("--cc-flag", action="append", default=[])
    p.add_argument("--runner", default="",
                   help="command prefix to run the driver (e.g. qemu)")
    p.add_argument("--jit-pipeline", default="",
                   help="potq-run --pipeline (default: none, the input is "
                        "lowered as is)")
    p.add_argument("--trials", type=int, default=3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--shared", action="store_true",
                   help="link the object into a shared library "
                        "(clang-22 -shared) and the driver against it")
    p.add_argument("--asan", action="store_true",
                   help="build the driver with AddressSanitizer (catches "
                        "bad frees of results)")
    p.add_argument("--leaks", action="store_true",
                   help="with --asan: also fail on leaked memory")
    args = p.parse_args()

    os.makedirs(args.workdir, exist_ok=True)
    w = lambda name: os.path.join(args.workdir, name)  # noqa: E731
    translate = os.path.join(args.tools, "potq-translate")
    potq_run = os.path.join(args.tools, "potq-run")
    dyn = (["--dynamic-dim-size=%d" % args.dynamic_dim_size]
           if args.dynamic_dim_size else [])

    run([translate, args.input, "--emit=obj", "-o", w("net.o")] + dyn +
        args.translate_flag)
    run([translate, args.input, "--emit=header", "-o", w("net.h")] + dyn +
        args.translate_flag)
    with open(w("net.h")) as f:
        ins, outs = parse_signature(f.read(), args.entry)
    with open(w("driver.c"), "w") as f:
        f.write(driver_source("net.h", args.entry, ins, outs))
    lib = [w("net.o")]
    if args.shared:
        run([args.cc, "-shared", w("net.o"), "-lm", "-o", w("libnet.so")] +
            args.cc_flag)
        lib = ["-L", args.workdir, "-lnet", "-Wl,-rpath," + args.workdir]
    cc = [args.cc, "-std=c99", "-O1", "-Wall", "-Werror", "-I", args.workdir,
          w("driver.c")] + lib + ["-lm", "-o", w("driver")] + args.cc_flag
    if args.asan:
        cc.append("-fsanitize=address")
    run(cc)

    rng = np.random.default_rng(args.seed)
    env = dict(os.environ,
               ASAN_OPTIONS="detect_leaks=%d" % (1 if args.leaks else 0))
    for trial in range(args.trials):
        in_files, npy_args = [], []
        for i, (ctype, shape) in enumerate(ins):
            x = random_input(rng, ctype, shape)
            np.save(w("in%d_%d.npy" % (trial, i)), x)
            x.tofile(w("in%d_%d.bin" % (trial, i)))
            in_files.append(w("in%d_%d.bin" % (trial, i)))
            npy_args.append("--input=" + w("in%d_%d.npy" % (trial, i)))
        out_files = [w("out%d_%d.bin" % (trial, i)) for i in range(len(outs))]
        jit_files = [w("jit%d_%d.npy" % (trial, i)) for i in range(len(outs))]
        run([potq_run, args.input, "--jit", "--pipeline=" + args.jit_pipeline,
             "--entry=" +
             args.entry] + npy_args + ["--output=" + o for o in jit_files])
        run(shlex.split(args.runner) + [w("driver")] + in_files + out_files,
            env=env)
        for i, (ctype, shape) in enumerate(outs):
            got = np.fromfile(out_files[i], dtype=CTYPES[ctype]).reshape(shape)
            want = np.load(jit_files[i])
            if want.dtype != got.dtype or list(want.shape) != shape:
                sys.exit("trial %d result %d: potq-run gave %s %s, the header "
                         "says %s %s" % (trial, i, want.dtype,
                                         list(want.shape), got.dtype, shape))
            if got.tobytes() != np.ascontiguousarray(want).tobytes():
                item = got.dtype.itemsize
                g = np.frombuffer(got.tobytes(), np.uint8).reshape(-1, item)
                e = np.frombuffer(np.ascontiguousarray(want).tobytes(),
                                  np.uint8).reshape(-1, item)
                bad = int(np.sum(np.any(g != e, axis=1)))
                sys.exit("trial %d result %d: MISMATCH in %d of %d elements"
                         % (trial, i, bad, got.size))
        print("trial %d: %d result(s) equal bit for bit" % (trial, len(outs)))
    print("%s: AOT == JIT on %d random input set(s)"
          % (args.entry, args.trials))


if __name__ == "__main__":
    main()
