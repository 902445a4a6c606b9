#!/usr/bin/python3
"""Trains the example CNN with QAT, exports it, compiles it, runs it.

cnn.ResNetTiny (a small ResNet: padded 3x3 convolutions with BatchNorm
folded by potq.nn.QuantConv2d(bn=True), residual adds, max and global
average pooling) on Fashion-MNIST from the installed dataset:

  1. FP32 training (--float-epochs, cached in --cache-dir per seed/budget);
  2. QAT from those weights: --weight encoding per output channel with the
     --estimator, unsigned --act-bits activations, --qat-steps steps
     (recipe.py);
  3. potq.export.to_mlir -> potq.compile (integer shift-add code, runtime
     kernels) -> run on the 10,000 test images as compiled integer code.

Prints the accuracy of the float QAT model in PyTorch and of the compiled
integer code, and their argmax agreement; --output writes the QAT graph.

  PYTHONPATH=build/python_packages /usr/bin/python3 \\
      examples/fashion_mnist/train_cnn.py --weight apot4 --act-bits 8
"""

import argparse
import os
import sys
import time

import numpy as np
import torch

from potq import training

import cnn
import fmnist
import recipe

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--weight", default="apot4",
                   help="weight encoding (potq.encodings name: pot4, apot4, "
                        "pot2, uniform8n, nhot2, ...; default apot4)")
    p.add_argument("--act-bits", type=int, default=8,
                   help="bits of the unsigned activations (default 8)")
    p.add_argument("--estimator", default="lsq",
                   help="weight estimator (potq.estimators kind)")
    p.add_argument("--width", type=int, default=8,
                   help="channels of the first stage (default 8)")
    p.add_argument("--float-epochs", type=int, default=2)
    p.add_argument("--qat-steps", type=int, default=400,
                   help="QAT optimizer steps of batch --batch-size")
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--limit-train", type=int, default=None,
                   help="train on the first N images only")
    p.add_argument("--limit-test", type=int, default=None,
                   help="evaluate on the first N test images only")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--cache-dir", default=os.path.join(ROOT, "build",
                                                       "fmnist", "cache"),
                   help="where FP32 networks are cached ('' for none)")
    p.add_argument("--output", default=None, help="write the QAT graph here")
    p.add_argument("--no-progress", action="store_true")
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    progress = not args.no_progress

    try:
        x, y = cnn.load_images("train", limit=args.limit_train)
        xt, yt = cnn.load_images("test", limit=args.limit_test)
    except fmnist.DatasetMissingError as e:
        sys.exit("error: %s" % e)
    cache = None
    if args.cache_dir:
        cache = os.path.join(args.cache_dir, "fp32_w%d_e%d_n%d_s%d.pt" % (
            args.width, args.float_epochs, len(x), args.seed))
    start = time.time()
    fmodel = recipe.pretrain(args.seed, width=args.width,
                             epochs=args.float_epochs, x=x, y=y,
                             batch_size=args.batch_size, cache=cache,
                             progress=progress)
    test = training.Batches(xt, yt, 1000, shuffle=False)
    print("FP32 (PyTorch): test accuracy %.4f"
          % training.evaluate(fmodel, test).accuracy, flush=True)

    model = recipe.qat(fmodel, weight=args.weight, act_bits=args.act_bits,
                       estimator=args.estimator, seed=args.seed,
                       steps=args.qat_steps, x=x, y=y,
                       batch_size=args.batch_size, progress=progress)
    float_logits = training.predict(model, xt).numpy()
    print("QAT %s, %d-bit activations, %s: float QAT model (PyTorch) "
          "accuracy %.4f" % (args.weight, args.act_bits, args.estimator,
                             recipe.accuracy(float_logits, yt)), flush=True)

    mlir = recipe.to_mlir(model, xt)
    if args.output:
        with open(args.output, "w") as f:
            f.write(mlir)
        print("wrote", args.output)
    t = time.time()
    int_logits = recipe.evaluate_compiled(mlir, xt.numpy())
    print("integer code (potq.compile, runtime kernels): accuracy %.4f on "
          "%d test images (%.1f s)" % (recipe.accuracy(int_logits, yt),
                                       len(yt), time.time() - t))
    agree = float((int_logits.argmax(1) == float_logits.argmax(1)).mean())
    print("argmax agreement float QAT vs integer: %.4f; max |logit "
          "difference| %.3g" % (agree, float(np.abs(int_logits
                                                    - float_logits).max())))
    cost = recipe.cost_report(mlir)
    total = cost["total"]
    print("potq-cost-report: %d integer contractions, %d weight multiplies, "
          "%d nonzero weight terms; energy per image %.1f nJ shift-add "
          "(%.1f nJ shared) vs %.1f nJ int8 MAC, %.1f nJ fp32 MAC"
          % (len(cost["layers"]), total["multiplies"], total["terms"],
             total["direct"]["energy_pj"] / 1e3,
             total["shared"]["energy_pj"] / 1e3,
             total["int8_mac"]["energy_pj"] / 1e3,
             total["fp32_mac"]["energy_pj"] / 1e3))
    print("total %.0f s" % (time.time() - start))


if __name__ == "__main__":
    main()
