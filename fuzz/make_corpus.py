#!/usr/bin/env python3
"""Writes the seed corpus of one potq fuzz target (docs/Reliability.md).

  parse, passes  every .mlir file of the test suite, split at `// -----`
                 (passes: each chunk behind three pipeline-choice bytes),
                 plus generated QAT networks (test/Integration/Inputs)
  npy            small .npy files of every dtype and header version, and a
                 few malformed ones
  packed         packed weight buffers in the runtime's layout
                 (docs/Runtime.md) and random pack-and-compare inputs
  differential   random byte strings (each one is a graph, see QatGraph.cpp)

Deterministic; standard library only. Usage:
  make_corpus.py --target parse --out build-fuzz/fuzz-corpus/parse [--limit N]
"""
import argparse
import hashlib
import os
import random
import struct
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Inputs longer than the fuzzers' -max_len are cut anyway.
MAX_LEN = 16384


def mlir_chunks():
    """The test suite's .mlir inputs, one chunk per `// -----` section."""
    chunks = []
    for base, _, files in sorted(os.walk(os.path.join(ROOT, "test"))):
        for name in sorted(files):
            if name.endswith(".mlir"):
                text = open(os.path.join(base, name), encoding="utf-8").read()
                chunks += [c.strip() + "\n" for c in text.split("// -----")]
    gen = os.path.join(ROOT, "test", "Integration", "Inputs", "gen_network.py")
    for net in ("mlp", "lenet", "residual", "mobile"):
        for enc in ("pot4", "apot4", "uniform4"):
            out = subprocess.run([sys.executable, gen, "--net", net, "--encoding", enc,
                                  "-o", "/dev/stdout"], check=True,
                                 stdout=subprocess.PIPE, text=True).stdout
            chunks.append(out)
    return [c.encode() for c in chunks if c.strip()]


def npy_file(descr, shape, data, version=1, fortran=False):
    shape_text = "(%d,)" % shape[0] if len(shape) == 1 else \
        "(" + ", ".join(str(d) for d in shape) + ")"
    header = "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (
        descr, "True" if fortran else "False", shape_text)
    size_bytes = 2 if version == 1 else 4
    pad = (64 - (10 + len(header) + 1 + (size_bytes - 2)) % 64) % 64
    header += " " * pad + "\n"
    size = struct.pack("<H" if version == 1 else "<I", len(header))
    return b"\x93NUMPY" + bytes([version, 0]) + size + header.encode() + data


def npy_seeds():
    rng = random.Random(1)
    seeds = []
    dtypes = {"<f2": 2, "<f4": 4, "<f8": 8, "|i1": 1, "<i2": 2, "<i4": 4, "<i8": 8,
              "|u1": 1, "<u2": 2, "<u4": 4, "<u8": 8, "|b1": 1}
    for descr, size in dtypes.items():
        for shape in ((), (0,), (3,), (2, 3)):
            n = 1
            for d in shape:
                n *= d
            data = bytes(rng.randrange(256) for _ in range(n * size))
            seeds.append(npy_file(descr, shape, data))
    seeds.append(npy_file("<f4", (2, 2), b"\0" * 16, version=2))
    seeds.append(npy_file("<f4", (2, 2), b"\0" * 16, version=3))
    seeds.append(npy_file("<f4", (2, 2), b"\0" * 16, fortran=True))  # rejected
    seeds.append(npy_file(">f4", (2,), b"\0" * 8))  # big-endian: rejected
    seeds.append(npy_file("<f4", (4,), b"\0" * 8))  # truncated data
    seeds.append(npy_file("<f4", (1 << 40, 1 << 30), b""))  # huge claim
    return seeds


def packed_buffer(K, N, bits, levels, rng):
    """A packed buffer as potq_pack_weights lays it out (docs/Runtime.md)."""
    cw = 2 if bits <= 2 else 4 if bits <= 4 else 8
    kblock = 4 * (8 // cw)
    P, KB = -(-N // 16), -(-K // kblock)
    table = [0] * 256
    for code, level in enumerate(levels):
        table[code] = level
    fits8 = all(-128 <= v <= 127 for v in table)
    header = b"POTQPW01" + struct.pack("<qqiiiiiiqq", K, N, bits, cw, kblock,
                                       1 if fits8 else 0, 0, 0, P, KB)
    body = struct.pack("<256h", *table)
    body += bytes([32] * 1024) + bytes(1024)  # no shift-add terms, no signs
    body += b"\0" * (2 * 4 * 16 * P)  # column sums and negative counts
    body += bytes(rng.randrange(256) if cw == 8 else 0 for _ in range(P * KB * 64))
    return header + body


def packed_seeds():
    rng = random.Random(2)
    seeds = []
    for K, N, bits in ((3, 2, 4), (16, 16, 2), (5, 17, 8), (0, 4, 3), (8, 0, 1)):
        levels = [0] + [rng.randrange(-64, 64) for _ in range((1 << bits) - 1)]
        seeds.append(b"\0" + packed_buffer(K, N, bits, levels, rng))
    for _ in range(16):  # mode 1: pack and compare
        seeds.append(b"\1" + bytes(rng.randrange(256) for _ in range(rng.randrange(8, 600))))
    return seeds


def random_seeds(count, seed):
    rng = random.Random(seed)
    return [bytes(rng.randrange(256) for _ in range(rng.randrange(16, 400)))
            for _ in range(count)]


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--target", required=True,
                   choices=["parse", "passes", "npy", "packed", "differential"])
    p.add_argument("--out", required=True)
    p.add_argument("--limit", type=int, default=0,
                   help="write only this many seeds, spread over the list "
                        "(short runs in the lit suite)")
    args = p.parse_args()
    if args.target == "parse":
        seeds = mlir_chunks()
    elif args.target == "passes":
        seeds = [bytes([(3 * i + j) % 256]) + c
                 for i, c in enumerate(mlir_chunks()) for j in range(3)]
    elif args.target == "npy":
        seeds = npy_seeds()
    elif args.target == "packed":
        seeds = packed_seeds()
    else:
        seeds = random_seeds(32, 3)
    if args.limit and len(seeds) > args.limit:
        step = len(seeds) / args.limit
        seeds = [seeds[int(i * step)] for i in range(args.limit)]
    os.makedirs(args.out, exist_ok=True)
    for s in seeds:
        s = s[:MAX_LEN]
        name = hashlib.sha1(s).hexdigest()
        with open(os.path.join(args.out, name), "wb") as f:
            f.write(s)
    print("%s: %d seeds in %s" % (args.target, len(seeds), args.out))


if __name__ == "__main__":
    main()
