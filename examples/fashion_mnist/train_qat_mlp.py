#!/usr/bin/python3
"""Trains the potq example network and exports it in the QAT input form.

An MLP 784 -> 256 (ReLU) -> 10 on Fashion-MNIST with quantization-aware
training:

  input   uniform<bits = 8, unsigned>, fixed scale 1/255 (exact on pixels)
  weights --encoding per output channel, learned scales (LSQ):
            pot4 = #potq.pot<bits = 4>, apot4 = #potq.apot<bits = 4>,
            uniform4 = #potq.uniform<bits = 4, narrow>,
            uniform8 = #potq.uniform<bits = 8, narrow>,
            nhot1e7 / nhot2e7 = #potq.nhot<terms = 1 / 2, max_exp = 7>
            (n-hot-aware training, docs/BitSparsity.md)
  hidden  uniform<bits = 8, unsigned> after ReLU, learned scale (LSQ)
  logits  uniform<bits = 16>, learned scale (LSQ)

Float warm-up epochs, then QAT epochs (Adam, cosine decay; scales
initialised to minimise the quantization error, then learned with LSQ). Prints the test accuracy of the
PyTorch fake-quant model and writes mlp_<encoding>.mlir (docs/QatInputForm.md):

  /usr/bin/python3 examples/fashion_mnist/train_qat_mlp.py --encoding pot4

--init-from NET.mlir --float-epochs 0 fine-tunes a network this script
exported (its float weights and biases) with another weight encoding.
"""

import argparse
import os
import random
import re
import shlex
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import fmnist  # noqa: E402
import qat  # noqa: E402

INPUT_SCALE = np.float32(1) / np.float32(255)   # binary32 1/255


class QatMLP(nn.Module):
    def __init__(self, weight_encoding, hidden=256):
        super().__init__()
        u8 = qat.Encoding.uniform_(8, unsigned=True)
        self.in_fq = qat.FakeQuant(u8, learned=False,
                                   init_scale=float(INPUT_SCALE))
        self.fc1 = qat.QuantLinear(784, hidden, weight_encoding)
        self.hidden_fq = qat.FakeQuant(u8)
        self.fc2 = qat.QuantLinear(hidden, 10, weight_encoding)
        self.out_fq = qat.FakeQuant(qat.Encoding.uniform_(16))

    def quantizers(self, with_input=False):
        fqs = [self.fc1.weight_fq, self.hidden_fq, self.fc2.weight_fq,
               self.out_fq]
        return ([self.in_fq] if with_input else []) + fqs

    def set_quantized(self, on):
        for fq in self.quantizers():
            fq.enabled = on

    def forward(self, x, capture=None):
        # Biases are fake-quantized at sx * sw[c] (the accumulator grid potq
        # freezes them to) once the quantizers are on.
        x = self.in_fq(x)
        h = F.relu(self.fc1(x, self.in_fq.scale()))
        if capture is not None:
            capture["hidden"] = h
        h = self.hidden_fq(h)
        y = self.fc2(h, self.hidden_fq.scale() if self.hidden_fq.enabled
                     else None)
        if capture is not None:
            capture["logits"] = y
        return self.out_fq(y)


@torch.no_grad()
def init_quantizers(model, x_calib):
    """Scales from the float model: weights per channel, activations from a
    calibration batch; both minimise the squared quantization error."""
    model.fc1.weight_fq.init_from(model.fc1.weight)
    model.fc2.weight_fq.init_from(model.fc2.weight)
    # Activation scales in order, each seeing the quantized upstream.
    model.set_quantized(False)
    model.fc1.weight_fq.enabled = True
    model.fc2.weight_fq.enabled = True
    cap = {}
    model(x_calib, cap)
    model.hidden_fq.init_from(cap["hidden"])
    model.hidden_fq.enabled = True
    model(x_calib, cap)
    model.out_fq.init_from(cap["logits"])
    model.set_quantized(True)


CONST_RE = re.compile(
    r'%(\w+) = arith\.constant dense<"0x([0-9A-Fa-f]+)"> : tensor<([^>]*)>')


@torch.no_grad()
def load_float_params(model, path):
    """Copies the float weights and biases of a network this script exported
    (%w1 [784, H], %b1, %w2 [H, 10], %b2) into model's fc1 / fc2: the start
    of a fine-tuning run (--init-from). Scales are not taken: the quantizers
    are initialised for the new encoding by init_quantizers."""
    consts = {}
    for name, hexdata, ty in CONST_RE.findall(open(path).read()):
        shape = [int(d) for d in ty.split("x")[:-1]]
        a = np.frombuffer(bytes.fromhex(hexdata), dtype="<f4")
        if a.size == 1 and int(np.prod(shape)) != 1:
            a = np.full(int(np.prod(shape)), a[0], dtype=np.float32)
        consts[name] = torch.from_numpy(a.reshape(shape).astype(np.float32))
    for fc, i in ((model.fc1, 1), (model.fc2, 2)):
        w, b = consts["w%d" % i], consts["b%d" % i]
        if tuple(w.shape) != (fc.in_features, fc.out_features):
            sys.exit("error: %s: %%w%d is %s, expected [%d, %d]"
                     % (path, i, list(w.shape), fc.in_features,
                        fc.out_features))
        fc.weight.copy_(w.t())
        fc.bias.copy_(b)


def qat_param_groups(model, lr, scale_lr):
    """Adam parameter groups: weights and biases at `lr`; each quantizer's
    scales at `scale_lr` times their initial mean, so that a step moves a
    scale by about the same fraction whatever its magnitude (scales are
    1e-4..1e-2 while the weights are ~1e-2; one absolute rate for both
    drives small scales to zero)."""
    scale_ids = set()
    groups = []
    for fq in model.quantizers():
        if fq.learned:
            scale_ids.add(id(fq.scale_param))
            groups.append({"params": [fq.scale_param],
                           "lr": scale_lr * fq.scale().mean().item()})
    rest = [p for p in model.parameters() if id(p) not in scale_ids]
    return [{"params": rest, "lr": lr}] + groups


@torch.no_grad()
def evaluate(model, x, y, batch=1000):
    model.eval()
    correct = 0
    logits = []
    for i in range(0, len(x), batch):
        out = model(x[i:i + batch])
        logits.append(out)
        correct += (out.argmax(dim=1) == y[i:i + batch]).sum().item()
    model.train()
    return correct / len(x), torch.cat(logits)


def train_epoch(model, opt, sched, x, y, batch, gen):
    perm = torch.randperm(len(x), generator=gen)
    total = 0.0
    for i in range(0, len(x), batch):
        idx = perm[i:i + batch]
        loss = F.cross_entropy(model(x[idx]), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        if sched is not None:
            sched.step()
        for fq in model.quantizers():
            if fq.learned:
                fq.clamp_()
        total += loss.item() * len(idx)
    return total / len(x)


# --------------------------------------------------------------------------
# MLIR export (docs/QatInputForm.md)
# --------------------------------------------------------------------------

def hex_f32(array):
    """MLIR's compact dense form: little-endian binary32 bytes."""
    data = np.ascontiguousarray(np.asarray(array, dtype="<f4")).tobytes()
    return 'dense<"0x%s">' % data.hex().upper()


def export_mlir(model, encoding, header_lines, batch=None):
    """The trained network as one func.func @main in the QAT input form.

    batch=None gives a dynamic batch dimension (tensor<?x784xf32>)."""
    n = "?" if batch is None else str(batch)
    H = model.fc1.out_features
    lsq = "estimator = #qat.estimator<lsq>"

    def t(*dims):
        return "tensor<%sxf32>" % "x".join(str(d) for d in dims)

    def np32(tensor):
        return tensor.detach().cpu().to(torch.float32).numpy()

    lines = ["// " + h if h else "//" for h in header_lines]
    lines.append("func.func @main(%%x: %s) -> %s {" % (t(n, 784), t(n, 10)))
    ind = "  "
    lines.append(ind + "%zero = arith.constant 0.000000e+00 : f32")
    if batch is None:
        lines.append(ind + "%c0 = arith.constant 0 : index")
        lines.append(ind + "%%n = tensor.dim %%x, %%c0 : %s" % t(n, 784))
        dyn = "%n"
    else:
        dyn = ""

    lines.append(ind + "// Input: pixels / 255 back onto the 8-bit pixel levels.")
    lines.append(ind + "%%sx = arith.constant %s : tensor<f32>"
                 % hex_f32(np32(model.in_fq.scale())))
    lines.append(ind + "%%xq = qat.fake_quant %%x, %%sx {encoding = %s} : %s, "
                 "tensor<f32>" % (model.in_fq.encoding.mlir, t(n, 784)))

    def layer(idx, x_name, fc, in_scale, k, nout, relu, out_fq, out_name):
        w = np32(fc.weight).T                      # [K, N]
        sw = np32(fc.weight_fq.scale())
        # The bias the model used: on the grid sx * sw[c], so that potq's
        # bias levels P(b / (sx * sw[c])) are exactly the trained ones.
        b = np32(fc.quantized_bias(in_scale))
        so = np32(out_fq.scale())
        L = []
        L.append("// Layer %d: %d -> %d%s." % (idx, k, nout,
                                                ", ReLU" if relu else ""))
        L.append("%%w%d = arith.constant %s : %s" % (idx, hex_f32(w), t(k, nout)))
        L.append("%%sw%d = arith.constant %s : %s" % (idx, hex_f32(sw), t(nout)))
        L.append("%%w%dq = qat.fake_quant %%w%d, %%sw%d {axis = 1 : i64, "
                 "encoding = %s, %s} : %s, %s"
                 % (idx, idx, idx, encoding.mlir, lsq, t(k, nout), t(nout)))
        L.append("%%b%d = arith.constant %s : %s" % (idx, hex_f32(b), t(nout)))
        L.append("%%e%d = tensor.empty(%s) : %s" % (idx, dyn, t(n, nout)))
        L.append("%%init%d = linalg.fill ins(%%zero : f32) outs(%%e%d : %s) -> %s"
                 % (idx, idx, t(n, nout), t(n, nout)))
        L.append("%%mm%d = linalg.matmul ins(%s, %%w%dq : %s, %s) "
                 "outs(%%init%d : %s) -> %s"
                 % (idx, x_name, idx, t(n, k), t(k, nout), idx, t(n, nout),
                    t(n, nout)))
        L.append("%%biased%d = linalg.generic {indexing_maps = "
                 "[affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, "
                 "affine_map<(d0, d1) -> (d0, d1)>], iterator_types = "
                 "[\"parallel\", \"parallel\"]} ins(%%mm%d, %%b%d : %s, %s) "
                 "outs(%%e%d : %s) {" % (idx, idx, idx, t(n, nout), t(nout), idx,
                                         t(n, nout)))
        L.append("^bb0(%a: f32, %c: f32, %o: f32):")
        L.append("  %s = arith.addf %a, %c : f32")
        L.append("  linalg.yield %s : f32")
        L.append("} -> %s" % t(n, nout))
        pre = "%%biased%d" % idx
        if relu:
            L.append("%%relu%d = linalg.generic {indexing_maps = "
                     "[affine_map<(d0, d1) -> (d0, d1)>, "
                     "affine_map<(d0, d1) -> (d0, d1)>], iterator_types = "
                     "[\"parallel\", \"parallel\"]} ins(%%biased%d : %s) "
                     "outs(%%e%d : %s) {" % (idx, idx, t(n, nout), idx,
                                             t(n, nout)))
            L.append("^bb0(%a: f32, %o: f32):")
            L.append("  %m = arith.maximumf %a, %zero : f32")
            L.append("  linalg.yield %m : f32")
            L.append("} -> %s" % t(n, nout))
            pre = "%%relu%d" % idx
        L.append("%%so%d = arith.constant %s : tensor<f32>" % (idx, hex_f32(so)))
        L.append("%s = qat.fake_quant %s, %%so%d {encoding = %s, %s} : %s, "
                 "tensor<f32>" % (out_name, pre, idx, out_fq.encoding.mlir, lsq,
                                  t(n, nout)))
        return [ind + l for l in L]

    lines += layer(1, "%xq", model.fc1, model.in_fq.scale(), 784, H, True,
                   model.hidden_fq, "%h")
    lines += layer(2, "%h", model.fc2, model.hidden_fq.scale(), H, 10, False,
                   model.out_fq, "%y")
    lines.append(ind + "return %%y : %s" % t(n, 10))
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--encoding", choices=sorted(qat.ENCODINGS), default="pot4")
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
    args = p.parse_args(argv)

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    random.seed(args.seed)
    gen = torch.Generator().manual_seed(args.seed)

    xtr, ytr = fmnist.load("train", limit=args.limit_train)
    xte, yte = fmnist.load("test")
    xtr, ytr = torch.from_numpy(xtr), torch.from_numpy(ytr)
    xte, yte = torch.from_numpy(xte), torch.from_numpy(yte)

    encoding = qat.ENCODINGS[args.encoding]()
    model = QatMLP(encoding)
    if args.init_from:
        load_float_params(model, args.init_from)
    start = time.time()

    # Float warm-up (only the exact input quantization is active).
    model.set_quantized(False)
    if args.init_from:
        acc, _ = evaluate(model, xte, yte)
        print("float weights of %s: test accuracy %.4f"
              % (args.init_from, acc), flush=True)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    for epoch in range(args.float_epochs):
        loss = train_epoch(model, opt, None, xtr, ytr, args.batch_size, gen)
        acc, _ = evaluate(model, xte, yte)
        print("float epoch %d: loss %.4f  test accuracy %.4f  (%.0fs)"
              % (epoch + 1, loss, acc, time.time() - start), flush=True)

    # QAT: scales initialised from the float model, then trained (LSQ).
    perm = torch.randperm(len(xtr), generator=gen)[:2048]
    init_quantizers(model, xtr[perm])
    acc, _ = evaluate(model, xte, yte)
    print("after quantizer init: test accuracy %.4f" % acc, flush=True)
    steps = args.qat_epochs * ((len(xtr) + args.batch_size - 1)
                               // args.batch_size)
    opt = torch.optim.Adam(qat_param_groups(model, args.lr, args.scale_lr))
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, max(steps, 1))
    for epoch in range(args.qat_epochs):
        loss = train_epoch(model, opt, sched, xtr, ytr, args.batch_size, gen)
        acc, _ = evaluate(model, xte, yte)
        print("QAT epoch %d: loss %.4f  test accuracy %.4f  (%.0fs)"
              % (epoch + 1, loss, acc, time.time() - start), flush=True)
        print("  scales: w1 [%.3g, %.3g]  hidden %.4g  w2 [%.3g, %.3g]  "
              "logits %.4g" % (model.fc1.weight_fq.scale().min(),
                               model.fc1.weight_fq.scale().max(),
                               model.hidden_fq.scale(),
                               model.fc2.weight_fq.scale().min(),
                               model.fc2.weight_fq.scale().max(),
                               model.out_fq.scale()), flush=True)

    acc, logits = evaluate(model, xte, yte)
    for fq in model.quantizers():
        if fq.learned and bool((fq.scale() <= qat.SCALE_EPS).any()):
            sys.exit("error: a learned scale collapsed to %g; lower "
                     "--scale-lr" % qat.SCALE_EPS)
    print("PyTorch fake-quant test accuracy (%s): %.4f (%d / %d)"
          % (args.encoding, acc, round(acc * len(xte)), len(xte)))
    if args.logits_out:
        np.save(args.logits_out, logits.numpy().astype(np.float32))
        print("wrote", args.logits_out)

    out = args.output or os.path.join(HERE, "mlp_%s.mlir" % args.encoding)
    cmd = "/usr/bin/python3 examples/fashion_mnist/train_qat_mlp.py " + \
        " ".join(shlex.quote(a) for a in (argv if argv is not None
                                          else sys.argv[1:]))
    header = [
        "Fashion-MNIST MLP 784 -> 256 (ReLU) -> 10, QAT with %s weights "
        "(per output channel," % encoding.mlir,
        "LSQ scales), uniform<bits = 8, unsigned> activations, "
        "uniform<bits = 16> logits.",
        "Generated by: %s" % cmd.strip(),
        "Settings: float-epochs=%d qat-epochs=%d batch-size=%d lr=%g "
        "scale-lr=%g seed=%d threads=%d (torch %s)."
        % (args.float_epochs, args.qat_epochs, args.batch_size, args.lr,
           args.scale_lr, args.seed, args.threads, torch.__version__),
    ] + (["Fine-tuned from the float weights and biases of %s."
          % os.path.basename(args.init_from)] if args.init_from else []) + [
        "PyTorch fake-quant test accuracy: %.4f (%d / %d)."
        % (acc, round(acc * len(xte)), len(xte)),
        "Input: pixels / 255 as f32, [batch, 784]. Output: logits [batch, 10].",
        "",
    ]
    text = export_mlir(model, encoding, header, batch=args.export_batch)
    with open(out, "w") as f:
        f.write(text)
    print("wrote %s (%d bytes)" % (out, len(text)))


if __name__ == "__main__":
    main()
