#!/usr/bin/python3
"""Trains the potq example MLP with the potq package and exports it.

An MLP 784 -> 256 (ReLU) -> 10 on Fashion-MNIST with quantization-aware
training (potq.nn modules, potq.training loop, potq.export exporter):

  input   uint8 (#potq.uniform<bits = 8, unsigned>), fixed scale 1/255
          (exact on pixels)
  weights --encoding per output channel, --estimator (default lsq):
            pot4 = #potq.pot<bits = 4>, apot4 = #potq.apot<bits = 4>,
            uniform4 = #potq.uniform<bits = 4, narrow>,
            uniform8 = #potq.uniform<bits = 8, narrow>,
            nhot1e7 / nhot2e7 = #potq.nhot<terms = 1 / 2, max_exp = 7>
            (n-hot-aware training, docs/BitSparsity.md)
  hidden  uint8 after ReLU, learned scale (lsq)
  logits  #potq.uniform<bits = 16>, learned scale (lsq)

Float warm-up epochs (a plain float MLP), then QAT epochs (Adam, cosine
decay; scales from potq.training.calibrate, learned scales at a relative
rate). Prints the test accuracy of the PyTorch fake-quant model and writes
mlp_<encoding>.mlir in the QAT input form:

  PYTHONPATH=build/python_packages /usr/bin/python3 \\
      examples/fashion_mnist/train_qat_mlp.py --encoding pot4 --output X.mlir

--init-from NET.mlir --float-epochs 0 fine-tunes from the float weights and
biases of a network this script (or its earlier version) exported.
The committed mlp_*.mlir files came from the earlier, self-contained
version of this script (git history); a rerun writes an equivalent network
in potq.export's spelling, not the same bytes (docs/Example.md).
"""

import argparse
import os
import re
import shlex
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

import potq.export
import potq.nn as qnn
from potq import training

import fmnist

HERE = os.path.dirname(os.path.abspath(__file__))

#: --encoding -> potq encoding name (potq.encodings).
ENCODINGS = {"pot4": "pot4", "apot4": "apot4", "uniform4": "uniform4n",
             "uniform8": "uniform8n", "nhot1e7": "nhot1e7",
             "nhot2e7": "nhot2e7"}
INPUT_SCALE = float(np.float32(1) / np.float32(255))   # binary32 1/255


class FloatMLP(nn.Module):
    """The float warm-up network; its parameter names are QatMLP's."""

    def __init__(self, hidden=256):
        super().__init__()
        self.fc1 = nn.Linear(784, hidden)
        self.fc2 = nn.Linear(hidden, 10)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))


class QatMLP(nn.Module):
    def __init__(self, weight, estimator="lsq", hidden=256):
        super().__init__()
        self.in_q = qnn.QuantAct("uint8", estimator="ste", scale=INPUT_SCALE)
        self.fc1 = qnn.QuantLinear(784, hidden, weight=weight,
                                   estimator=estimator)
        self.hidden_q = qnn.QuantAct("uint8")
        self.fc2 = qnn.QuantLinear(hidden, 10, weight=weight,
                                   estimator=estimator)
        self.out_q = qnn.QuantAct("int16")
        # Biases on the accumulator grid sx * sw[c], as potq freezes them.
        self.fc1.set_input_quantizer(self.in_q.quantizer)
        self.fc2.set_input_quantizer(self.hidden_q.quantizer)

    def forward(self, x):
        h = self.hidden_q(F.relu(self.fc1(self.in_q(x))))
        return self.out_q(self.fc2(h))


CONST_RE = re.compile(
    r'%(\w+) = arith\.constant dense<"0x([0-9A-Fa-f]+)"> : tensor<([^>]*)>')


@torch.no_grad()
def load_float_params(model, path):
    """Copies the float weights and biases of a network the earlier version
    of this script exported (%w1 [784, H], %b1, %w2 [H, 10], %b2, as in the
    committed mlp_*.mlir) into model's fc1 / fc2."""
    consts = {}
    for name, hexdata, ty in CONST_RE.findall(open(path).read()):
        shape = [int(d) for d in ty.split("x")[:-1]]
        a = np.frombuffer(bytes.fromhex(hexdata), dtype="<f4")
        if a.size == 1 and int(np.prod(shape)) != 1:
            a = np.full(int(np.prod(shape)), a[0], dtype=np.float32)
        consts[name] = torch.from_numpy(a.reshape(shape).astype(np.float32))
    for fc, i in ((model.fc1, 1), (model.fc2, 2)):
        w, b = consts.get("w%d" % i), consts.get("b%d" % i)
        if w is None or b is None:
            sys.exit("error: %s has no %%w%d / %%b%d constants (the layout "
                     "of the committed mlp_*.mlir files)" % (path, i, i))
        if tuple(w.shape) != (fc.in_features, fc.out_features):
            sys.exit("error: %s: %%w%d is %s, expected [%d, %d]"
                     % (path, i, list(w.shape), fc.in_features,
                        fc.out_features))
        fc.weight.copy_(w.t())
        fc.bias.copy_(b)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--encoding", choices=sorted(ENCODINGS), default="pot4")
    p.add_argument("--estimator", default="lsq",
                   help="the weight quantizers' estimator (potq.estimators "
                        "kind; default lsq)")
    p.add_argument("--float-epochs", type=int, default=2)
    p.add_argument("--qat-epochs", type=int, default=4)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--scale-lr", type=float, default=1e-3,
                   help="learning rate of each scale relative to its initial "
                        "value")
    p.add_argument("--init-from", default=None, metavar="NET.mlir",
                   help="fine-tune: start from the float weights and biases "
                        "of a network this script exported (e.g. "
                        "mlp_uniform8.mlir) instead of random ones; use "
                        "with --float-epochs 0")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--limit-train", type=int, default=None,
                   help="train on the first N images only (quick tests)")
    p.add_argument("--export-batch", type=int, default=None,
                   help="static batch size in the exported function "
                        "(default: dynamic '?')")
    p.add_argument("--output", default=None,
                   help="MLIR output (default: mlp_<encoding>.mlir next to "
                        "this script)")
    p.add_argument("--logits-out", default=None,
                   help="also save the fake-quant model's test logits "
                        "(float32 [10000, 10]) as .npy")
    p.add_argument("--no-progress", action="store_true",
                   help="no progress bars")
    args = p.parse_args(argv)

    torch.set_num_threads(args.threads)
    training.seed_everything(args.seed)
    progress = not args.no_progress
    try:
        xtr, ytr = fmnist.load("train", limit=args.limit_train)
        xte, yte = fmnist.load("test")
    except fmnist.DatasetMissingError as e:
        sys.exit("error: %s" % e)
    xtr, ytr = torch.from_numpy(xtr), torch.from_numpy(ytr)
    xte, yte = torch.from_numpy(xte), torch.from_numpy(yte)
    train = training.Batches(xtr, ytr, args.batch_size, seed=args.seed)
    test = training.Batches(xte, yte, 1000, shuffle=False)

    model = QatMLP(ENCODINGS[args.encoding], estimator=args.estimator)
    fmodel = FloatMLP()
    if args.init_from:
        load_float_params(fmodel, args.init_from)
        print("float weights of %s: test accuracy %.4f"
              % (args.init_from, training.evaluate(fmodel, test).accuracy),
              flush=True)
    start = time.time()
    opt = torch.optim.Adam(fmodel.parameters(), lr=args.lr)
    step = 0
    for epoch in range(args.float_epochs):
        train.set_epoch(epoch)
        st = training.train_epoch(fmodel, train, opt, global_step=step,
                                  progress=progress,
                                  desc="float %d" % (epoch + 1))
        step = st.global_step
        print("float epoch %d: loss %.4f  test accuracy %.4f  (%.0fs)"
              % (epoch + 1, st.loss, training.evaluate(fmodel, test).accuracy,
                 time.time() - start), flush=True)
    loaded = model.load_state_dict(fmodel.state_dict(), strict=False)
    assert not loaded.unexpected_keys and all(
        "quantizer" in k for k in loaded.missing_keys), loaded

    # QAT: scales from the float model and a calibration batch, then trained.
    perm = torch.randperm(len(xtr), generator=torch.Generator().manual_seed(
        args.seed))[:2048]
    training.calibrate(model, [xtr[perm]])
    print("after calibration: test accuracy %.4f"
          % training.evaluate(model, test).accuracy, flush=True)
    opt = torch.optim.Adam(training.param_groups(model, args.lr,
                                                 scale_lr=args.scale_lr))
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(
        opt, max(args.qat_epochs * len(train), 1))
    step = 0
    for epoch in range(args.qat_epochs):
        train.set_epoch(args.float_epochs + epoch)
        st = training.train_epoch(model, train, opt, global_step=step,
                                  scheduler=sched, progress=progress,
                                  desc="QAT %d" % (epoch + 1))
        step = st.global_step
        print("QAT epoch %d: loss %.4f  test accuracy %.4f  (%.0fs)"
              % (epoch + 1, st.loss, training.evaluate(model, test).accuracy,
                 time.time() - start), flush=True)
        print("  scales: w1 [%.3g, %.3g]  hidden %.4g  w2 [%.3g, %.3g]  "
              "logits %.4g" % (
                  model.fc1.weight_quantizer.scale().min(),
                  model.fc1.weight_quantizer.scale().max(),
                  model.hidden_q.quantizer.scale(),
                  model.fc2.weight_quantizer.scale().min(),
                  model.fc2.weight_quantizer.scale().max(),
                  model.out_q.quantizer.scale()), flush=True)

    logits = training.predict(model, xte)
    correct = int((logits.argmax(dim=1) == yte).sum())
    acc = correct / len(xte)
    print("PyTorch fake-quant test accuracy (%s): %.4f (%d / %d)"
          % (args.encoding, acc, correct, len(xte)))
    if args.logits_out:
        np.save(args.logits_out, logits.numpy().astype(np.float32))
        print("wrote", args.logits_out)

    out = args.output or os.path.join(HERE, "mlp_%s.mlir" % args.encoding)
    cmd = "examples/fashion_mnist/train_qat_mlp.py " + " ".join(
        shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:]))
    wq = model.fc1.weight_quantizer
    header = [
        "Fashion-MNIST MLP 784 -> 256 (ReLU) -> 10, QAT with %s weights "
        "(per output channel, %s)," % (wq.encoding.mlir,
                                       wq.estimator.mlir_attr()),
        "uniform<bits = 8, unsigned> activations, uniform<bits = 16> "
        "logits; exported by potq.export.",
        "Generated by: %s" % cmd.strip(),
        "Settings: float-epochs=%d qat-epochs=%d batch-size=%d lr=%g "
        "scale-lr=%g seed=%d threads=%d (torch %s)."
        % (args.float_epochs, args.qat_epochs, args.batch_size, args.lr,
           args.scale_lr, args.seed, args.threads, torch.__version__),
    ] + (["Fine-tuned from the float weights and biases of %s."
          % os.path.basename(args.init_from)] if args.init_from else []) + [
        "PyTorch fake-quant test accuracy: %.4f (%d / %d)."
        % (acc, correct, len(xte)),
        "Input: pixels / 255 as f32, [batch, 784]. Output: logits [batch, 10].",
    ]
    example = xte[:max(args.export_batch or 2, 1)]
    text = potq.export.to_mlir(model, (example,),
                               dynamic_batch=args.export_batch is None)
    text = "".join("// %s\n" % h for h in header) + "\n" + text
    with open(out, "w") as f:
        f.write(text)
    print("wrote %s (%d bytes)" % (out, len(text)))


if __name__ == "__main__":
    main()
