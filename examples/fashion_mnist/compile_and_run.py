#!/usr/bin/python3
"""The main job's network through the Python package instead of the tools.

  PYTHONPATH=build/python_packages compile_and_run.py NET.mlir IMAGES.npy \
      LABELS.npy [--compare LOGITS.npy]

Compiles NET (a QAT graph) with potq.compile -- the same pipeline as
`potq-opt --potq-qat-to-shift-add="kernels=runtime"`, in process -- runs the
integer code on IMAGES with the JIT, and prints its accuracy. With
--compare, also checks that the logits equal LOGITS (what `potq-run --jit`
produced for the same integer code) bit for bit, and fails if not.
"""

import argparse
import pathlib
import sys

import numpy as np

import potq


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("net", type=pathlib.Path)
    parser.add_argument("images")
    parser.add_argument("labels")
    parser.add_argument("--compare", help="logits the tools produced")
    args = parser.parse_args(argv)

    module = potq.compile(args.net)
    logits = module.run(np.load(args.images))
    labels = np.load(args.labels)
    correct = int((np.argmax(logits, axis=1) == labels).sum())
    print("python: potq.compile(%s).run: accuracy %.4f (%d / %d)"
          % (args.net.name, correct / len(labels), correct, len(labels)))
    if args.compare:
        expected = np.load(args.compare)
        if logits.dtype != expected.dtype or logits.shape != expected.shape \
                or logits.tobytes() != expected.tobytes():
            sys.exit("error: the package's logits differ from %s"
                     % args.compare)
        print("python: logits equal potq-run's bit for bit")
    return 0


if __name__ == "__main__":
    sys.exit(main())
