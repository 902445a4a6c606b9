#!/usr/bin/python3
"""Accuracy of Fashion-MNIST logits, and agreement of two runs.

  accuracy.py LOGITS.npy LABELS.npy
      accuracy of argmax(LOGITS) (ties -> the first index)

  accuracy.py LOGITS.npy LABELS.npy --compare OTHER.npy [--scale S]
      also: how often the two argmaxes agree, and the fraction of outputs
      within one level, |round(f / S) - level| <= 1 (round half to even)

LOGITS are float32 [N, 10] (real logits) or integer [N, 10] (output levels).
When both files are float, both are converted with --scale; when both are
integer, they are compared directly; when one is float and one integer,
the float one is converted with --scale. A float file without --scale can
only be compared by argmax.
"""

import argparse
import sys

import numpy as np


def load_logits(path):
    a = np.load(path)
    if a.ndim != 2:
        sys.exit("error: %s: expected logits [N, C], got shape %s"
                 % (path, a.shape))
    if not (np.issubdtype(a.dtype, np.floating)
            or np.issubdtype(a.dtype, np.integer)):
        sys.exit("error: %s: expected float or integer logits, got %s"
                 % (path, a.dtype))
    return a


def argmax_first(a):
    """Row argmax; ties go to the first index (np.argmax does exactly this;
    NaN rows count as wrong: index -1)."""
    idx = np.argmax(a, axis=1)
    if np.issubdtype(a.dtype, np.floating):
        idx = np.where(np.isnan(a).any(axis=1), -1, idx)
    return idx


def to_levels(a, scale, path):
    if np.issubdtype(a.dtype, np.integer):
        return a.astype(np.int64)
    if scale is None:
        return None
    return np.round(a.astype(np.float64) / scale).astype(np.int64)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("logits")
    p.add_argument("labels")
    p.add_argument("--compare", metavar="OTHER",
                   help="a second logits file to compare with")
    p.add_argument("--scale", type=float, default=None,
                   help="output scale converting float logits to levels")
    args = p.parse_args(argv)

    logits = load_logits(args.logits)
    labels = np.load(args.labels).astype(np.int64).reshape(-1)
    if len(labels) < len(logits):
        sys.exit("error: %d logits rows but only %d labels"
                 % (len(logits), len(labels)))
    labels = labels[:len(logits)]
    pred = argmax_first(logits)
    correct = int((pred == labels).sum())
    print("accuracy: %.4f (%d / %d)" % (correct / len(labels), correct,
                                         len(labels)))

    if args.compare:
        other = load_logits(args.compare)
        if other.shape != logits.shape:
            sys.exit("error: shapes differ: %s vs %s"
                     % (logits.shape, other.shape))
        pred2 = argmax_first(other)
        correct2 = int((pred2 == labels).sum())
        agree = int((pred == pred2).sum())
        print("accuracy (%s): %.4f (%d / %d)" % (args.compare,
                                                 correct2 / len(labels),
                                                 correct2, len(labels)))
        print("argmax agreement: %.4f (%d / %d)"
              % (agree / len(pred), agree, len(pred)))
        la = to_levels(logits, args.scale, args.logits)
        lb = to_levels(other, args.scale, args.compare)
        if la is None or lb is None:
            print("within one level: n/a (float logits need --scale)")
        else:
            diff = np.abs(la - lb)
            within = int((diff <= 1).sum())
            print("within one level: %.6f (%d / %d), exact: %d, max |diff| %d"
                  % (within / diff.size, within, diff.size,
                     int((diff == 0).sum()), int(diff.max())))


if __name__ == "__main__":
    main()
