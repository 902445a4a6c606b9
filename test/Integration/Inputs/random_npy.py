#!/usr/bin/env python3
"""Writes a random float32 .npy array (standard library only).

Values are uniform in [--low, --high); --special mixes in edge cases (exact
zeros, negative zeros, values on and halfway between quantization levels of
--step, huge values, infinities and NaN).
"""
import argparse
import random
import struct


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--shape", required=True, help="e.g. 8x64")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--low", type=float, default=0.0)
    p.add_argument("--high", type=float, default=1.0)
    p.add_argument("--special", action="store_true")
    p.add_argument("--step", type=float, default=1.0 / 255.0)
    p.add_argument("-o", "--output", required=True)
    args = p.parse_args()
    shape = [int(d) for d in args.shape.split("x")]
    n = 1
    for d in shape:
        n *= d
    rng = random.Random(args.seed)
    specials = [0.0, -0.0, float("inf"), float("-inf"), float("nan"), 1e30, -1e30]
    values = []
    for _ in range(n):
        if args.special and rng.random() < 0.2:
            kind = rng.random()
            if kind < 0.4:
                values.append(rng.choice(specials))
            else:  # on a level or exactly halfway between two
                k = rng.randrange(0, 256)
                values.append((k + (0.5 if kind < 0.7 else 0.0)) * args.step)
        else:
            values.append(rng.uniform(args.low, args.high))
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }" % (
        "".join("%d, " % d for d in shape) if len(shape) != 1 else "%d," % shape[0])
    # Magic (6) + version (2) + length (2) + header + newline: a multiple of 64.
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64)
    with open(args.output, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00")
        f.write(struct.pack("<H", len(header) + 1))
        f.write(header.encode("latin1") + b"\n")
        f.write(b"".join(struct.pack("<f", v) for v in values))


if __name__ == "__main__":
    main()
