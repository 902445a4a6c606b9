#!/usr/bin/python3
"""Writes the Fashion-MNIST test set as .npy files for potq-run.

  OUTDIR/images.npy  float32 [N, 784], exactly pixel / 255 in binary32
  OUTDIR/labels.npy  int64 [N]

  /usr/bin/python3 examples/fashion_mnist/prepare_data.py OUTDIR [--limit N]
"""

import argparse
import os
import sys

import numpy as np

import fmnist


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("outdir", help="output directory (created if missing)")
    p.add_argument("--limit", type=int, default=None,
                   help="only the first N test images")
    p.add_argument("--split", choices=["test", "train"], default="test")
    args = p.parse_args(argv)
    if args.limit is not None and args.limit <= 0:
        p.error("--limit must be positive")

    try:
        images, labels = fmnist.load(args.split, limit=args.limit)
    except fmnist.DatasetMissingError as e:
        sys.exit("error: %s" % e)
    assert images.dtype == np.float32 and images.shape[1] == 784
    assert labels.dtype == np.int64

    os.makedirs(args.outdir, exist_ok=True)
    images_path = os.path.join(args.outdir, "images.npy")
    labels_path = os.path.join(args.outdir, "labels.npy")
    np.save(images_path, np.ascontiguousarray(images))
    np.save(labels_path, np.ascontiguousarray(labels))
    print("wrote %s %s %s and %s %s %s"
          % (images_path, images.dtype, list(images.shape),
             labels_path, labels.dtype, list(labels.shape)))


if __name__ == "__main__":
    main()
