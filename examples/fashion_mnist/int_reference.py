#!/usr/bin/python3
"""A numpy model of the integer network potq compiles from mlp_<enc>.mlir.

Reads the float weights, biases and scales from an exported file (the form
train_qat_mlp.py writes), freezes them as potq does (weight levels P(w/s),
bias levels P(b / (sx * sw[c])) with sx * sw[c] in binary32) and runs the
SPEC section 6 integer semantics: i64 accumulation, fixed-point
requantization M * 2^-shift with round half up, clamping. Writes the output
levels (int64 [N, 10]) as .npy: an independent expectation for potq-run on
the fused/lowered IR, and, with accuracy.py --scale, a check of how close
the integer network is to the float fake-quant graph. The numerics (the
projection, bias levels, fixed-point multipliers) are potq's own, through
the potq package; the model here is the network's structure.

  PYTHONPATH=build/python_packages /usr/bin/python3 \\
      examples/fashion_mnist/int_reference.py mlp_pot4.mlir IMAGES.npy \\
      OUT_LEVELS.npy [--labels L.npy]
"""

import argparse
import re

import numpy as np
import torch

from potq import _potq
from potq.functional import fake_quantize, project

from check_export import bias_levels, encoding_from_attr, parse_constants


def load_network(path):
    text = open(path).read()
    consts = parse_constants(text)
    fqs = {}
    for out, inp, scale, attrs in re.findall(
            r'%(\w+) = qat\.fake_quant %(\w+), %(\w+) \{([^}]*)\}', text):
        z = re.search(r'zero_point = (-?\d+)', attrs)
        fqs[out] = (inp, scale, encoding_from_attr(attrs),
                    int(z.group(1)) if z else 0)
    return text, consts, fqs


def run_network(path, images):
    text, c, fq = load_network(path)
    # Input quantization.
    _, sx_name, enc_x, zx = fq["xq"]
    sx = c[sx_name].reshape(())
    x = project(torch.from_numpy(images), torch.from_numpy(sx), enc_x,
                zx).numpy().astype(np.int64) + zx
    layers = [("1", "h"), ("2", "y")]
    for idx, out_name in layers:
        w = c["w%s" % idx]
        sw = c["sw%s" % idx]
        _, _, enc_w, _ = fq["w%sq" % idx]
        wl = project(torch.from_numpy(w), torch.from_numpy(sw), enc_w,
                     axis=1).numpy().astype(np.int64)
        b = c["b%s" % idx]
        _, sy_name, enc_y, zy = fq[out_name]
        sy = c[sy_name].reshape(())
        bias = bias_levels(b, (np.float32(sx) * sw).astype(np.float32))
        acc = (x - zx).astype(np.int64) @ wl.astype(np.int64) + bias[None, :]
        assert np.abs(acc).max() < 2 ** 31, "accumulator overflow"
        relu = ("%%relu%s" % idx) in text
        lo = enc_y.lo
        if relu:   # clamp_min = P(0) = Zy
            lo = max(lo, zy)
        y = np.empty_like(acc)
        for ch in range(acc.shape[1]):
            m = _potq.to_fixed_point(float(sx) * float(sw[ch]) / float(sy))
            y[:, ch] = _potq.requantize(acc[:, ch], m, zy, lo, enc_y.hi)
        x = y
        sx, zx = sy, zy
    return x.astype(np.int64), sx


def run_float_graph(path, images):
    """The float QAT graph of the file (fake quantizations in binary32,
    float matmul), evaluated with torch: the PyTorch model's logits up to
    the summation order of the matmuls."""
    text, c, fq = load_network(path)

    def fake(x, name):
        _, s, enc, z = fq[name]
        axis = 1 if c[s].ndim == 1 else None
        sc = torch.from_numpy(c[s].reshape(-1) if axis is not None
                              else c[s].reshape(()))
        return fake_quantize(x, sc, enc, z, axis)

    with torch.no_grad():
        x = fake(torch.from_numpy(images), "xq")
        for idx, out_name in [("1", "h"), ("2", "y")]:
            w = fake(torch.from_numpy(c["w%s" % idx]), "w%sq" % idx)
            x = x @ w + torch.from_numpy(c["b%s" % idx])
            if ("%%relu%s" % idx) in text:
                x = torch.relu(x)
            x = fake(x, out_name)
    return x.numpy()


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("mlir")
    p.add_argument("images")
    p.add_argument("output")
    p.add_argument("--labels", default=None)
    p.add_argument("--float-out", default=None,
                   help="also write the float QAT graph's logits (float32)")
    args = p.parse_args(argv)
    images = np.load(args.images).astype(np.float32)
    levels, sy = run_network(args.mlir, images)
    np.save(args.output, levels)
    print("wrote %s int64 %s (output scale %r)"
          % (args.output, list(levels.shape), float(sy)))
    if args.labels:
        labels = np.load(args.labels)[:len(levels)]
        acc = float((levels.argmax(axis=1) == labels).mean())
        print("integer reference accuracy: %.4f" % acc)
    if args.float_out:
        logits = run_float_graph(args.mlir, images)
        np.save(args.float_out, logits.astype(np.float32))
        print("wrote %s float32 %s" % (args.float_out, list(logits.shape)))
        if args.labels:
            acc = float((logits.argmax(axis=1) == labels).mean())
            print("float QAT graph accuracy: %.4f" % acc)


if __name__ == "__main__":
    main()
