#!/usr/bin/env python3
"""Writes a random QAT network in potq's input form (docs/QatInputForm.md).

Standard library only, deterministic for a given --seed. Networks:
  mlp       fc 64->32 + ReLU, fc 32->10 (logits)
  lenet     NHWC: conv3x3 1->4 + ReLU, 2x2 max pool, conv3x3 4->8 + ReLU,
            flatten, fc 72->10
  residual  NCHW: conv1x1 8->8 + ReLU, conv1x1 8->8, residual add, ReLU,
            a second skip add of two quantized tensors, logits by a final
            conv1x1 8->4
  mobile    NHWC: depthwise conv3x3 on 4 channels + ReLU, pointwise
            conv1x1 4->8 + ReLU, 2x2 average pool, flatten, fc 72->10
Weights use --encoding (pot4, apot4, uniform4) per output channel or per
tensor (--per-tensor); activations are uniform unsigned 8-bit, logits
uniform signed 8-bit with scale 1/16.
"""
import argparse
import random
import struct

ENCODINGS = {
    "pot4": ("#potq.pot<bits = 4>", 64),
    "apot4": ("#potq.apot<bits = 4>", 10),
    "uniform4": ("#potq.uniform<bits = 4, narrow>", 7),
}
U8 = "#potq.uniform<bits = 8, unsigned>"
LOGITS = "#potq.uniform<bits = 8>"
LOGIT_SCALE = 1.0 / 16.0


def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def hexdense(values):
    return '"0x' + b"".join(struct.pack("<f", v) for v in values).hex().upper() + '"'


def shape_str(shape):
    return "x".join(str(d) for d in shape)


class Builder:
    def __init__(self, rng, encoding, per_channel):
        self.rng = rng
        self.encoding, self.lmax = ENCODINGS[encoding]
        self.per_channel = per_channel
        self.lines = []
        self.n = 0

    def name(self, base):
        self.n += 1
        return "%%%s%d" % (base, self.n)

    def emit(self, text):
        self.lines.append("  " + text)

    def const(self, values, shape):
        v = self.name("c")
        self.emit("%s = arith.constant dense<%s> : tensor<%sxf32>"
                  % (v, hexdense(values), shape_str(shape)))
        return v

    def scalar_scale(self, s):
        v = self.name("s")
        self.emit("%s = arith.constant dense<%s> : tensor<f32>" % (v, repr(f32(s))))
        return v

    def fake_quant(self, x, shape, scale, encoding):
        s = self.scalar_scale(scale)
        v = self.name("fq")
        self.emit("%s = qat.fake_quant %s, %s {encoding = %s, estimator = #qat.estimator<lsq>} : tensor<%sxf32>, tensor<f32>"
                  % (v, x, s, encoding, shape_str(shape)))
        return v

    def weight(self, shape, axis, fan_in):
        n = 1
        for d in shape:
            n *= d
        w = [f32(self.rng.gauss(0.0, 1.0 / fan_in ** 0.5)) for _ in range(n)]
        c = self.const(w, shape)
        channels = shape[axis] if self.per_channel else 1
        stride = 1
        for d in shape[axis + 1:]:
            stride *= d
        amax = [0.0] * channels
        for i, x in enumerate(w):
            ch = (i // stride) % shape[axis] if self.per_channel else 0
            amax[ch] = max(amax[ch], abs(x))
        scales = [f32(max(a, 1e-3) / self.lmax) for a in amax]
        v = self.name("wq")
        if self.per_channel:
            s = self.name("ws")
            self.emit("%s = arith.constant dense<%s> : tensor<%dxf32>" % (s, hexdense(scales), channels))
            self.emit("%s = qat.fake_quant %s, %s {encoding = %s, axis = %d : i64, estimator = #qat.estimator<lsq>} : tensor<%sxf32>, tensor<%dxf32>"
                      % (v, c, s, self.encoding, axis, shape_str(shape), channels))
        else:
            s = self.scalar_scale(scales[0])
            self.emit("%s = qat.fake_quant %s, %s {encoding = %s} : tensor<%sxf32>, tensor<f32>"
                      % (v, c, s, self.encoding, shape_str(shape)))
        return v

    def zeros(self, shape):
        e = self.name("e")
        z = self.name("z")
        f = self.name("init")
        self.emit("%s = arith.constant 0.0 : f32" % z)
        self.emit("%s = tensor.empty() : tensor<%sxf32>" % (e, shape_str(shape)))
        self.emit("%s = linalg.fill ins(%s : f32) outs(%s : tensor<%sxf32>) -> tensor<%sxf32>"
                  % (f, z, e, shape_str(shape), shape_str(shape)))
        return e, f

    def maps(self, rank, channel_dim=None):
        dims = ", ".join("d%d" % i for i in range(rank))
        ident = "affine_map<(%s) -> (%s)>" % (dims, dims)
        if channel_dim is None:
            return ident
        return ident, "affine_map<(%s) -> (d%d)>" % (dims, channel_dim)

    def bias_add(self, x, shape, channel_dim, e):
        n = shape[channel_dim]
        b = self.const([f32(self.rng.uniform(-0.2, 0.2)) for _ in range(n)], [n])
        ident, ch = self.maps(len(shape), channel_dim)
        v = self.name("bias")
        t = "tensor<%sxf32>" % shape_str(shape)
        iters = ", ".join(['"parallel"'] * len(shape))
        self.emit("%s = linalg.generic {indexing_maps = [%s, %s, %s], iterator_types = [%s]} ins(%s, %s : %s, tensor<%dxf32>) outs(%s : %s) {"
                  % (v, ident, ch, ident, iters, x, b, t, n, e, t))
        self.emit("^bb0(%a: f32, %b: f32, %o: f32):")
        self.emit("  %s = arith.addf %a, %b : f32")
        self.emit("  linalg.yield %s : f32")
        self.emit("} -> %s" % t)
        return v

    def elementwise(self, body, inputs, shape, e):
        ident = self.maps(len(shape))
        t = "tensor<%sxf32>" % shape_str(shape)
        iters = ", ".join(['"parallel"'] * len(shape))
        v = self.name("ew")
        maps = ", ".join([ident] * (len(inputs) + 1))
        self.emit("%s = linalg.generic {indexing_maps = [%s], iterator_types = [%s]} ins(%s : %s) outs(%s : %s) {"
                  % (v, maps, iters, ", ".join(inputs), ", ".join([t] * len(inputs)), e, t))
        args = ", ".join("%%a%d: f32" % i for i in range(len(inputs)))
        self.emit("^bb0(%s, %%o: f32):" % args)
        for line in body:
            self.emit("  " + line)
        self.emit("} -> %s" % t)
        return v

    def relu(self, x, shape, e):
        return self.elementwise(["%zr = arith.constant 0.0 : f32",
                                 "%r = arith.maximumf %a0, %zr : f32",
                                 "linalg.yield %r : f32"], [x], shape, e)

    def matmul(self, x, shape_in, n_out, relu, out_scale, out_enc):
        m, k = shape_in
        w = self.weight([k, n_out], 1, k)
        e, init = self.zeros([m, n_out])
        v = self.name("mm")
        self.emit("%s = linalg.matmul ins(%s, %s : tensor<%dx%dxf32>, tensor<%dx%dxf32>) outs(%s : tensor<%dx%dxf32>) -> tensor<%dx%dxf32>"
                  % (v, x, w, m, k, k, n_out, init, m, n_out, m, n_out))
        y = self.bias_add(v, [m, n_out], 1, e)
        if relu:
            y = self.relu(y, [m, n_out], e)
        return self.fake_quant(y, [m, n_out], out_scale, out_enc)

    def conv(self, x, shape_in, kernel, c_out, layout, relu, out_scale, out_enc, residual=None):
        if layout == "nhwc":
            n, h, wd, c = shape_in
            wshape, axis = [kernel, kernel, c, c_out], 3
            oshape = [n, h - kernel + 1, wd - kernel + 1, c_out]
            op, ch = "linalg.conv_2d_nhwc_hwcf", 3
        else:
            n, c, h, wd = shape_in
            wshape, axis = [c_out, c, kernel, kernel], 0
            oshape = [n, c_out, h - kernel + 1, wd - kernel + 1]
            op, ch = "linalg.conv_2d_nchw_fchw", 1
        w = self.weight(wshape, axis, c * kernel * kernel)
        e, init = self.zeros(oshape)
        v = self.name("conv")
        self.emit("%s = %s {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%s, %s : tensor<%sxf32>, tensor<%sxf32>) outs(%s : tensor<%sxf32>) -> tensor<%sxf32>"
                  % (v, op, x, w, shape_str(shape_in), shape_str(wshape), init, shape_str(oshape), shape_str(oshape)))
        y = self.bias_add(v, oshape, ch, e)
        if residual is not None:
            y = self.elementwise(["%r = arith.addf %a0, %a1 : f32", "linalg.yield %r : f32"],
                                 [y, residual], oshape, e)
        if relu:
            y = self.relu(y, oshape, e)
        return self.fake_quant(y, oshape, out_scale, out_enc), oshape

    def depthwise(self, x, shape_in, kernel, out_scale, out_enc):
        n, h, wd, c = shape_in
        wshape = [kernel, kernel, c]
        oshape = [n, h - kernel + 1, wd - kernel + 1, c]
        w = self.weight(wshape, 2, kernel * kernel)
        e, init = self.zeros(oshape)
        v = self.name("dw")
        self.emit("%s = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%s, %s : tensor<%sxf32>, tensor<%sxf32>) outs(%s : tensor<%sxf32>) -> tensor<%sxf32>"
                  % (v, x, w, shape_str(shape_in), shape_str(wshape), init, shape_str(oshape), shape_str(oshape)))
        y = self.bias_add(v, oshape, 3, e)
        y = self.relu(y, oshape, e)
        return self.fake_quant(y, oshape, out_scale, out_enc), oshape

    def avgpool(self, x, shape):
        n, h, w, c = shape
        oshape = [n, h // 2, w // 2, c]
        win = self.name("win")
        self.emit("%s = tensor.empty() : tensor<2x2xf32>" % win)
        e, init = self.zeros(oshape)
        v = self.name("sum")
        self.emit("%s = linalg.pooling_nhwc_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%s, %s : tensor<%sxf32>, tensor<2x2xf32>) outs(%s : tensor<%sxf32>) -> tensor<%sxf32>"
                  % (v, x, win, shape_str(shape), init, shape_str(oshape), shape_str(oshape)))
        mean = self.elementwise(["%q = arith.constant 0.25 : f32",
                                 "%r = arith.mulf %a0, %q : f32",
                                 "linalg.yield %r : f32"], [v], oshape, e)
        return mean, oshape

    def maxpool(self, x, shape):
        n, h, w, c = shape
        oshape = [n, h // 2, w // 2, c]
        win = self.name("win")
        self.emit("%s = tensor.empty() : tensor<2x2xf32>" % win)
        ninf = self.name("ninf")
        self.emit("%s = arith.constant 0xFF800000 : f32" % ninf)
        e = self.name("e")
        self.emit("%s = tensor.empty() : tensor<%sxf32>" % (e, shape_str(oshape)))
        init = self.name("init")
        self.emit("%s = linalg.fill ins(%s : f32) outs(%s : tensor<%sxf32>) -> tensor<%sxf32>"
                  % (init, ninf, e, shape_str(oshape), shape_str(oshape)))
        v = self.name("pool")
        self.emit("%s = linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%s, %s : tensor<%sxf32>, tensor<2x2xf32>) outs(%s : tensor<%sxf32>) -> tensor<%sxf32>"
                  % (v, x, win, shape_str(shape), init, shape_str(oshape), shape_str(oshape)))
        return v, oshape


def build(net, encoding, per_channel, seed):
    rng = random.Random(seed)
    b = Builder(rng, encoding, per_channel)
    act = 4.0 / 255.0
    if net == "mlp":
        in_shape, out_shape = [8, 64], [8, 10]
        x = b.fake_quant("%x", in_shape, 1.0 / 255.0, U8)
        h = b.matmul(x, in_shape, 32, True, act, U8)
        y = b.matmul(h, [8, 32], 10, False, LOGIT_SCALE, LOGITS)
    elif net == "lenet":
        in_shape, out_shape = [2, 12, 12, 1], [2, 10]
        x = b.fake_quant("%x", in_shape, 1.0 / 255.0, U8)
        h, s = b.conv(x, in_shape, 3, 4, "nhwc", True, act, U8)
        p, s = b.maxpool(h, s)
        # Pooling picks levels, so re-quantizing with the same scale is exact.
        p = b.fake_quant(p, s, act, U8)
        h, s = b.conv(p, s, 3, 8, "nhwc", True, act, U8)
        flat = b.name("flat")
        b.emit("%s = tensor.collapse_shape %s [[0], [1, 2, 3]] : tensor<%sxf32> into tensor<2x72xf32>"
               % (flat, h, shape_str(s)))
        y = b.matmul(flat, [2, 72], 10, False, LOGIT_SCALE, LOGITS)
    elif net == "mobile":
        in_shape, out_shape = [2, 8, 8, 4], [2, 10]
        x = b.fake_quant("%x", in_shape, 1.0 / 255.0, U8)
        h, s = b.depthwise(x, in_shape, 3, act, U8)
        h, s = b.conv(h, s, 1, 8, "nhwc", True, act, U8)
        p, s = b.avgpool(h, s)
        p = b.fake_quant(p, s, act / 2, U8)
        flat = b.name("flat")
        b.emit("%s = tensor.collapse_shape %s [[0], [1, 2, 3]] : tensor<%sxf32> into tensor<2x72xf32>"
               % (flat, p, shape_str(s)))
        y = b.matmul(flat, [2, 72], 10, False, LOGIT_SCALE, LOGITS)
    else:
        in_shape, out_shape = [1, 8, 5, 5], [1, 4, 5, 5]
        x = b.fake_quant("%x", in_shape, 1.0 / 255.0, U8)
        h, s = b.conv(x, in_shape, 1, 8, "nchw", True, act, U8)
        h, s = b.conv(h, s, 1, 8, "nchw", True, act, U8, residual=x)
        # A second skip between two quantized tensors (potq.add).
        e = b.name("e")
        b.emit("%s = tensor.empty() : tensor<%sxf32>" % (e, shape_str(s)))
        z = b.elementwise(["%r = arith.addf %a0, %a1 : f32", "linalg.yield %r : f32"],
                          [h, x], s, e)
        z = b.fake_quant(z, s, 2 * act, U8)
        y, s = b.conv(z, s, 1, 4, "nchw", False, LOGIT_SCALE, LOGITS)
    lines = ["// Generated by gen_network.py --net %s --encoding %s%s --seed %d"
             % (net, encoding, "" if per_channel else " --per-tensor", seed),
             "func.func @main(%%x: tensor<%sxf32>) -> tensor<%sxf32> {"
             % (shape_str(in_shape), shape_str(out_shape))]
    lines += b.lines
    lines.append("  return %s : tensor<%sxf32>" % (y, shape_str(out_shape)))
    lines.append("}")
    return "\n".join(lines) + "\n", in_shape


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--net", choices=["mlp", "lenet", "residual", "mobile"],
                   required=True)
    p.add_argument("--encoding", choices=sorted(ENCODINGS), default="pot4")
    p.add_argument("--per-tensor", action="store_true")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("-o", "--output", required=True)
    args = p.parse_args()
    text, _ = build(args.net, args.encoding, not args.per_tensor, args.seed)
    with open(args.output, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
