#!/usr/bin/env python3
"""Writes a random QAT network in the forms real exporters emit.

gen_network.py writes potq's canonical input form (docs/QatInputForm.md);
this writes what torch-mlir (and TOSA-style) lowerings of QAT models look
like, which potq must bring to that form itself. Standard library only,
deterministic for a given --seed. Networks:

  resnet18   torch-mlir style, NCHW, all 21 contractions of ResNet-18 (stem
             7x7/2 pad 3, 3x3/2 max pool, 4 stages of 2 basic blocks, 1x1/2
             projection shortcuts, global average pool, fc). Each 3x3/7x7
             conv reads a `tensor.pad` (0.0) of its input; its bias (BN
             folded into weights and bias) is broadcast into the conv's init
             tensor by a linalg.generic; ReLU is `arith.cmpf ugt` +
             `arith.select`; residual adds are a linalg.generic addf of two
             tensors; the max pool pads with -inf (`tensor.pad` +
             `linalg.pooling_nchw_max`); the global average pool is a
             linalg.generic sum reduction (keepdim) + divf; then flatten and
             the fc layer: weight [classes, C] (nn.Linear) fake-quantized on
             axis 0, then `linalg.transpose`, matmul, bias by
             `linalg.broadcast` + `linalg.add`; float logits (no
             fake_quant). --image/--width/--classes/--batch set the size
             (default 48/8/10/4: the stages run at 12, 6, 3 and 2 pixels;
             the real network is --image 224 --width 64 --classes 1000).
  mobilenet  NHWC, two MobileNet blocks (stride 1 and 2): depthwise 3x3
             (`linalg.depthwise_conv_2d_nhwc_hwc` reading a `tensor.pad`,
             bias broadcast into the init) + ReLU6 as `linalg.max` /
             `linalg.min` against splat constants; pointwise 1x1 conv with
             bias add and ReLU6 (`arith.maximumf` / `arith.minimumf`) in one
             linalg.generic; quantized (u8) output.
  mlp        three `linalg.matmul`s with `indexing_maps` reading the weight
             [N, K] transposed (fake_quant on axis 0 before the maps'
             transpose); layer 1: bias + ReLU in one linalg.generic with the
             bias as its first operand; layer 2: aten.add style `x + 1.0 * b`
             (mulf by 1.0, then addf), then a cmpf/select ReLU; layer 3:
             bias add, float logits.

Activations are fake-quantized uniform unsigned 8-bit after every ReLU /
add (and after the max pool and the average pool, QDQ style), a projection
shortcut's output signed 8-bit; the input is unsigned 8-bit with scale
1/255. Weights use --encoding (pot4, apot4, uniform4, as gen_network.py)
per output channel, or per tensor with --per-tensor.

Biases: --bias grid (default) puts each bias of a quantized layer on its
accumulator grid sx * sw[c], as QDQ exporters store an int32 bias, and
gives a conv that adds a residual weight scales that make the residual a
whole number of accumulator units; the integer code is then exact and the
float graph differs from it by its binary32 rounding only. --bias float
(torch's QAT) keeps any float bias, which SPEC rounds to i32 levels (half
an accumulator unit, up to a few hundredths of a level per layer); the
float graph and the integer code then differ by a level at a few outputs
per thousand and layer, more in deep networks (the float_units comment in
ResNet.build).

`build()` also returns what check_exporter_network.py needs to know about
the network (input shape, output kind and scale, the contractions it has).
"""
import argparse
import json
import math
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_network import ENCODINGS, U8, f32, hexdense, shape_str  # noqa: E402

I8 = "#potq.uniform<bits = 8>"
NETS = ["resnet18", "mobilenet", "mlp"]


def ttype(shape):
    return "tensor<%sxf32>" % shape_str(shape) if shape else "tensor<f32>"


def fmt_float(x):
    """A float literal like MLIR prints it (exact for f32 values)."""
    return "%.9e" % f32(x)


class Emitter:
    """Accumulates one function's body, with torch-mlir-like SSA names
    (%0, %1, ..., %cst_N, %padded_N) and #map aliases."""

    def __init__(self, rng, encoding, per_channel, stride_type, bias_mode):
        self.rng = rng
        self.bias_mode = bias_mode  # "grid" or "float"
        self.encoding, self.lmax = ENCODINGS[encoding]
        self.per_channel = per_channel
        self.stride_type = stride_type  # "vector" (torch-mlir) or "tensor"
        self.lines = []
        self.counter = 0
        self.named = 0
        self.cse = {}
        self.maps = {}  # text -> alias
        self.scalar_consts = {}  # (value, type) -> name, hoisted
        self.hoisted = []

    # --- names, maps, constants -------------------------------------
    def value(self, prefix=""):
        if prefix:
            self.named += 1
            return "%%%s_%d" % (prefix, self.named - 1)
        self.counter += 1
        return "%%%d" % (self.counter - 1)

    def emit(self, text):
        self.lines.append("    " + text)

    def map(self, rank, results, symbols=""):
        dims = ", ".join("d%d" % i for i in range(rank))
        text = "affine_map<(%s) -> (%s)>" % (dims, results)
        if text not in self.maps:
            self.maps[text] = "#map%s" % (len(self.maps) or "")
        return self.maps[text]

    def ident(self, rank):
        return self.map(rank, ", ".join("d%d" % i for i in range(rank)))

    def iters(self, kinds):
        return "[%s]" % ", ".join('"%s"' % k for k in kinds)

    def cst(self, value):
        """A hoisted scalar f32 constant (torch-mlir defines them once at
        the top of the function and captures them in bodies)."""
        key = repr(f32(value))
        if key not in self.scalar_consts:
            name = "%%cst_%d" % (len(self.scalar_consts) - 1) if self.scalar_consts else "%cst"
            self.scalar_consts[key] = name
            literal = "0xFF800000" if value == float("-inf") else fmt_float(value)
            self.hoisted.append("    %s = arith.constant %s : f32" % (name, literal))
        return self.scalar_consts[key]

    def dense(self, values, shape):
        v = self.value("w")
        self.emit("%s = arith.constant dense<%s> : %s" % (v, hexdense(values), ttype(shape)))
        return v

    def splat(self, value, shape):
        key = ("splat", repr(f32(value)), tuple(shape))
        if key not in self.cse:
            v = self.value("cst")
            self.emit("%s = arith.constant dense<%s> : %s" % (v, fmt_float(value), ttype(shape)))
            self.cse[key] = v
        return self.cse[key]

    def scale(self, s):
        v = self.value("scale")
        self.emit("%s = arith.constant dense<%s> : tensor<f32>" % (v, fmt_float(s)))
        return v

    def window_attrs(self, stride):
        t = "vector<2xi64>" if self.stride_type == "vector" else "tensor<2xi64>"
        return "{dilations = dense<1> : %s, strides = dense<%d> : %s}" % (t, stride, t)

    # --- quantization -------------------------------------------------
    def fake_quant(self, x, shape, scale, encoding):
        s = self.scale(scale)
        v = self.value()
        self.emit("%s = qat.fake_quant %s, %s {encoding = %s, estimator = #qat.estimator<lsq>} : %s, tensor<f32>"
                  % (v, x, s, encoding, ttype(shape)))
        return v

    def weight(self, values, shape, axis, residual_ratio=None):
        """Fake-quantized constant weight; per-channel scales on `axis`
        (max |w| / largest level). Returns (value, scales per channel).
        With --bias grid and residual_ratio = sr / sx (the layer adds a
        residual of scale sr to a contraction on inputs of scale sx), each
        scale becomes sr / (sx * K) for the integer K that makes it at least
        max |w| / largest level, so that the residual is a whole number of
        accumulator units (SPEC section 8 rounds it to one)."""
        c = self.dense(values, shape)
        channels = shape[axis]
        stride = 1
        for d in shape[axis + 1:]:
            stride *= d
        amax = [0.0] * channels
        for i, x in enumerate(values):
            ch = (i // stride) % channels
            amax[ch] = max(amax[ch], abs(x))
        if not self.per_channel:
            amax = [max(amax)] * channels
        scales = [f32(max(a, 1e-3) / self.lmax) for a in amax]
        if residual_ratio is not None and self.bias_mode == "grid":
            scales = [f32(residual_ratio / max(1, math.floor(residual_ratio / sw))) for sw in scales]
        v = self.value()
        if self.per_channel:
            s = self.value("scale")
            self.emit("%s = arith.constant dense<%s> : tensor<%dxf32>" % (s, hexdense(scales), channels))
            self.emit("%s = qat.fake_quant %s, %s {encoding = %s, axis = %d : i64, estimator = #qat.estimator<lsq>} : %s, tensor<%dxf32>"
                      % (v, c, s, self.encoding, axis, ttype(shape), channels))
        else:
            s = self.scale(scales[0])
            self.emit("%s = qat.fake_quant %s, %s {encoding = %s, estimator = #qat.estimator<lsq>} : %s, tensor<f32>"
                      % (v, c, s, self.encoding, ttype(shape)))
        return v, scales

    def random_weight(self, shape, axis, fan_in, m2_in):
        """He-like weights for inputs of second moment m2_in, each output
        channel scaled by a folded BatchNorm factor."""
        n = 1
        for d in shape:
            n *= d
        std = 1.0 / math.sqrt(fan_in * m2_in)
        bn = [self.rng.uniform(0.6, 1.3) for _ in range(shape[axis])]
        stride = 1
        for d in shape[axis + 1:]:
            stride *= d
        return [f32(self.rng.gauss(0.0, std) * bn[(i // stride) % shape[axis]]) for i in range(n)]

    def bias(self, n, sx=None, scales=None, spread=0.1):
        """A BN-folded bias. With --bias grid and the layer's input scale
        sx and weight scales, each value is a whole number of accumulator
        units sx * sw[c] (as QDQ exporters store an int32 bias), so that
        SPEC's i32 bias levels hold it exactly; --bias float keeps any
        float (torch's QAT), which the i32 levels round by up to half a
        unit."""
        values = [self.rng.uniform(-spread, spread) for _ in range(n)]
        if self.bias_mode == "grid" and sx is not None:
            units = [f32(f32(sx) * sw) for sw in scales]
            values = [round(b / u) * u for b, u in zip(values, units)]
        return [f32(b) for b in values]

    # --- structural ops -------------------------------------------------
    # Exporters run CSE last: one tensor.empty per shape, one fill per value
    # and shape, one splat constant, each shared by every op that needs it.
    def empty(self, shape):
        key = ("empty", tuple(shape))
        if key not in self.cse:
            v = self.value()
            self.emit("%s = tensor.empty() : %s" % (v, ttype(shape)))
            self.cse[key] = v
        return self.cse[key]

    def fill(self, value, shape):
        key = ("fill", repr(f32(value)), tuple(shape))
        if key not in self.cse:
            e = self.empty(shape)
            v = self.value()
            self.emit("%s = linalg.fill ins(%s : f32) outs(%s : %s) -> %s"
                      % (v, self.cst(value), e, ttype(shape), ttype(shape)))
            self.cse[key] = v
        return self.cse[key]

    def pad(self, x, shape, low, high, value):
        out = [d + lo + hi for d, lo, hi in zip(shape, low, high)]
        v = self.value("padded")
        self.emit("%s = tensor.pad %s low[%s] high[%s] {" % (v, x, ", ".join(map(str, low)), ", ".join(map(str, high))))
        self.emit("^bb0(%s):" % ", ".join("%%arg%d: index" % (i + 1) for i in range(len(shape))))
        self.emit("  tensor.yield %s : f32" % self.cst(value))
        self.emit("} : %s to %s" % (ttype(shape), ttype(out)))
        return v, out

    def broadcast_init(self, bias, shape, channel_dim):
        """torch-mlir's conv init: the [C] bias broadcast to the output."""
        b = self.dense(bias, [len(bias)])
        e = self.empty(shape)
        rank = len(shape)
        v = self.value()
        self.emit("%s = linalg.generic {indexing_maps = [%s, %s], iterator_types = %s} ins(%s : tensor<%dxf32>) outs(%s : %s) {"
                  % (v, self.map(rank, "d%d" % channel_dim), self.ident(rank), self.iters(["parallel"] * rank),
                     b, len(bias), e, ttype(shape)))
        self.emit("^bb0(%in: f32, %out: f32):")
        self.emit("  linalg.yield %in : f32")
        self.emit("} -> %s" % ttype(shape))
        return v

    def elementwise(self, inputs, shape, body, input_maps=None, input_types=None):
        """A linalg.generic over `shape`; body lines use %in, %in_0, ...
        for the inputs, %out for the output."""
        rank = len(shape)
        maps = input_maps or [self.ident(rank)] * len(inputs)
        types = input_types or [ttype(shape)] * len(inputs)
        e = self.empty(shape)
        v = self.value()
        self.emit("%s = linalg.generic {indexing_maps = [%s], iterator_types = %s} ins(%s : %s) outs(%s : %s) {"
                  % (v, ", ".join(maps + [self.ident(rank)]), self.iters(["parallel"] * rank),
                     ", ".join(inputs), ", ".join(types), e, ttype(shape)))
        args = ["%in"] + ["%%in_%d" % i for i in range(len(inputs) - 1)]
        self.emit("^bb0(%s, %%out: f32):" % ", ".join("%s: f32" % a for a in args))
        for line in body:
            self.emit("  " + line)
        self.emit("} -> %s" % ttype(shape))
        return v

    def relu_select(self, x, shape):
        """torch-mlir's aten.relu: cmpf ugt + select against a hoisted 0."""
        z = self.cst(0.0)
        return self.elementwise([x], shape, [
            "%%c = arith.cmpf ugt, %%in, %s : f32" % z,
            "%%s = arith.select %%c, %%in, %s : f32" % z,
            "linalg.yield %s : f32"])

    def add_tensors(self, a, b, shape):
        return self.elementwise([a, b], shape, [
            "%s = arith.addf %in, %in_0 : f32", "linalg.yield %s : f32"])


def conv_out(size, kernel, stride, pad):
    return (size + 2 * pad - kernel) // stride + 1


class ResNet:
    def __init__(self, em, image, width, classes, batch):
        self.em, self.image, self.width, self.classes, self.batch = em, image, width, classes, batch
        self.contractions = 0

    def conv(self, x, shape, sx, m2_in, cout, kernel, stride, pad, sr=None):
        """conv(+pad) of x (scale sx) with the BN-folded bias in its init;
        sr: the scale of the residual added to its result. Returns the raw
        conv result (pre-activation variance about 1) and its shape."""
        em = self.em
        n, c, h, w = shape
        if pad:
            x, shape_p = em.pad(x, shape, [0, 0, pad, pad], [0, 0, pad, pad], 0.0)
        else:
            shape_p = shape
        oh, ow = conv_out(h, kernel, stride, pad), conv_out(w, kernel, stride, pad)
        oshape = [n, cout, oh, ow]
        wshape = [cout, c, kernel, kernel]
        wq, scales = em.weight(em.random_weight(wshape, 0, c * kernel * kernel, m2_in), wshape, 0,
                               None if sr is None else sr / sx)
        init = em.broadcast_init(em.bias(cout, sx, scales), oshape, 1)
        v = em.value()
        em.emit("%s = linalg.conv_2d_nchw_fchw %s ins(%s, %s : %s, %s) outs(%s : %s) -> %s"
                % (v, em.window_attrs(stride), x, wq, ttype(shape_p), ttype(wshape), init,
                   ttype(oshape), ttype(oshape)))
        self.contractions += 1
        return v, oshape

    def block(self, x, shape, sx, m2, cout, stride):
        """A basic block on x (scale sx). Returns its output, shape, scale
        and second moment."""
        em = self.em
        h, s = self.conv(x, shape, sx, m2, cout, 3, stride, 1)
        h = em.relu_select(h, s)
        act = 4.0 / 255.0  # ReLU of a unit-variance value
        h = em.fake_quant(h, s, act, U8)
        if stride != 1 or shape[1] != cout:
            s_sc = 4.0 / 127.0
            sc, _ = self.conv(x, shape, sx, m2, cout, 1, stride, 0)
            sc = em.fake_quant(sc, s, s_sc, I8)
            m2_sc = 1.0
        else:
            sc, m2_sc, s_sc = x, m2, sx
        h, s = self.conv(h, s, act, 0.5, cout, 3, 1, 1, sr=s_sc)
        y = em.add_tensors(h, sc, s)
        y = em.relu_select(y, s)
        # ReLU(conv + shortcut): roughly half of 1 + m2_sc, plus the
        # shortcut's positive mean.
        m2_out = 0.5 * (1.0 + m2_sc) + 0.25
        s_out = 4.0 * math.sqrt(1.0 + m2_sc) / 255.0
        y = em.fake_quant(y, s, s_out, U8)
        return y, s, s_out, m2_out

    def build(self):
        em = self.em
        in_shape = [self.batch, 3, self.image, self.image]
        x = em.fake_quant("%arg0", in_shape, 1.0 / 255.0, U8)
        w = self.width
        h, s = self.conv(x, in_shape, 1.0 / 255.0, 1.0 / 3.0, w, 7, 2, 3)
        h = em.relu_select(h, s)
        act = 4.0 / 255.0
        h = em.fake_quant(h, s, act, U8)
        # 3x3/2 max pool, padding 1 with -inf.
        p, ps = em.pad(h, s, [0, 0, 1, 1], [0, 0, 1, 1], float("-inf"))
        oshape = [s[0], s[1], conv_out(s[2], 3, 2, 1), conv_out(s[3], 3, 2, 1)]
        win = em.empty([3, 3])
        init = em.fill(float("-inf"), oshape)
        v = em.value()
        em.emit("%s = linalg.pooling_nchw_max %s ins(%s, %s : %s, tensor<3x3xf32>) outs(%s : %s) -> %s"
                % (v, em.window_attrs(2), p, win, ttype(ps), init, ttype(oshape), ttype(oshape)))
        h, s = em.fake_quant(v, oshape, act, U8), oshape
        m2, sx = 0.5, act
        for stage, cout in enumerate([w, 2 * w, 4 * w, 8 * w]):
            for i in range(2):
                stride = 2 if stage > 0 and i == 0 else 1
                h, s, sx, m2 = self.block(h, s, sx, m2, cout, stride)
        last_scale = sx  # the mean of levels keeps their scale
        # Global average pool: sum over H, W (keepdim) and divide.
        n, c, hh, ww = s
        pshape = [n, c, 1, 1]
        init = em.fill(0.0, pshape)
        v = em.value()
        em.emit("%s = linalg.generic {indexing_maps = [%s, %s], iterator_types = %s} ins(%s : %s) outs(%s : %s) {"
                % (v, em.ident(4), em.map(4, "d0, d1, 0, 0"),
                   em.iters(["parallel", "parallel", "reduction", "reduction"]), h, ttype(s), init, ttype(pshape)))
        em.emit("^bb0(%in: f32, %out: f32):")
        em.emit("  %s = arith.addf %in, %out : f32")
        em.emit("  linalg.yield %s : f32")
        em.emit("} -> %s" % ttype(pshape))
        hw = em.cst(float(hh * ww))
        mean = em.elementwise([v], pshape, ["%%s = arith.divf %%in, %s : f32" % hw, "linalg.yield %s : f32"])
        mean = em.fake_quant(mean, pshape, last_scale, U8)
        flat = em.value("collapsed")
        em.emit("%s = tensor.collapse_shape %s [[0], [1, 2, 3]] : %s into %s"
                % (flat, mean, ttype(pshape), ttype([n, c])))
        # fc: nn.Linear weight [classes, C], fake-quantized, transposed.
        wshape = [self.classes, c]
        wq, scales = em.weight(em.random_weight(wshape, 0, c, m2), wshape, 0)
        e = em.empty([c, self.classes])
        wt = em.value("transposed")
        em.emit("%s = linalg.transpose ins(%s : %s) outs(%s : %s) permutation = [1, 0]"
                % (wt, wq, ttype(wshape), e, ttype([c, self.classes])))
        oshape = [n, self.classes]
        init = em.fill(0.0, oshape)
        mm = em.value()
        em.emit("%s = linalg.matmul ins(%s, %s : %s, %s) outs(%s : %s) -> %s"
                % (mm, flat, wt, ttype([n, c]), ttype([c, self.classes]), init, ttype(oshape), ttype(oshape)))
        self.contractions += 1
        b = em.dense(em.bias(self.classes), [self.classes])
        e = em.empty(oshape)
        bb = em.value("broadcasted")
        em.emit("%s = linalg.broadcast ins(%s : tensor<%dxf32>) outs(%s : %s) dimensions = [0]"
                % (bb, b, self.classes, e, ttype(oshape)))
        e = em.empty(oshape)
        y = em.value()
        em.emit("%s = linalg.add ins(%s, %s : %s, %s) outs(%s : %s) -> %s"
                % (y, mm, bb, ttype(oshape), ttype(oshape), e, ttype(oshape), ttype(oshape)))
        info = {"output": "float",
                # One input level of the fc layer moves logit c by at most
                # s_x * max|w[c, :]| = s_x * s_w[c] * (largest level): the
                # unit of the logits' tolerance.
                "float_unit": last_scale * max(scales) * em.lmax,
                # The float graph and the integer code may round a value
                # differently when it lies within rounding error of a level
                # boundary: the float graph's binary32 sums (about 1e-4
                # level over a 3x3 conv) and, with --bias float, SPEC's i32
                # bias and residual levels (up to half an accumulator unit,
                # about 1/100 of a level; 0.15% of the first residual
                # block's outputs). A level that differs moves many sums of
                # the next layer, so over 20 layers such rare differences
                # multiply (to a quarter of the fc inputs differing by 1 to
                # 3 levels with --bias float). Measured over 9 seeds x 3
                # encodings x 8 inputs at the default size: the logits
                # differ by at most 2.3 units with --bias grid (7 of the 9
                # networks by float rounding only), 5.2 with --bias float.
                # 4 and 10 units keep a margin and still fail a wrong bias,
                # padding, residual or transpose (each moves logits by 20
                # to 100 units). The tolerance is for the default size: at
                # --image 224 --width 64 --classes 1000 (grid biases, one
                # random image) the logits differ by up to 5.5 units, 99.6%
                # within 4, relative L2 error 0.5%, the same top-1 class.
                "float_units": 4 if em.bias_mode == "grid" else 10,
                "contractions": self.contractions,
                "potq_ops": {"potq.conv_2d_nchw_fchw": self.contractions - 1, "potq.matmul": 1}}
        return in_shape, x, y, oshape, info


def build_resnet(em, args):
    net = ResNet(em, args.image, args.width, args.classes, args.batch)
    in_shape, _, y, oshape, info = net.build()
    return in_shape, y, oshape, info


def build_mobilenet(em, args):
    n, hw, c = args.batch, args.image, args.width
    in_shape = [n, hw, hw, c]
    x = em.fake_quant("%arg0", in_shape, 1.0 / 255.0, U8)
    act = 6.0 / 255.0
    s, m2, sx = in_shape, 1.0 / 3.0, 1.0 / 255.0
    cout = c
    for stride in (1, 2):
        # Depthwise 3x3, padding 1 (tensor.pad), bias in the init.
        p, ps = em.pad(x, s, [0, 1, 1, 0], [0, 1, 1, 0], 0.0)
        oshape = [n, conv_out(s[1], 3, stride, 1), conv_out(s[2], 3, stride, 1), s[3]]
        wshape = [3, 3, s[3]]
        wq, scales = em.weight(em.random_weight(wshape, 2, 9, m2), wshape, 2)
        init = em.broadcast_init(em.bias(s[3], sx, scales), oshape, 3)
        dw = em.value()
        em.emit("%s = linalg.depthwise_conv_2d_nhwc_hwc %s ins(%s, %s : %s, %s) outs(%s : %s) -> %s"
                % (dw, em.window_attrs(stride), p, wq, ttype(ps), ttype(wshape), init,
                   ttype(oshape), ttype(oshape)))
        # ReLU6 as named ops against splat tensors.
        e = em.empty(oshape)
        mx = em.value()
        em.emit("%s = linalg.max ins(%s, %s : %s, %s) outs(%s : %s) -> %s"
                % (mx, dw, em.splat(0.0, oshape), ttype(oshape), ttype(oshape), e, ttype(oshape), ttype(oshape)))
        e = em.empty(oshape)
        mn = em.value()
        em.emit("%s = linalg.min ins(%s, %s : %s, %s) outs(%s : %s) -> %s"
                % (mn, mx, em.splat(6.0, oshape), ttype(oshape), ttype(oshape), e, ttype(oshape), ttype(oshape)))
        h = em.fake_quant(mn, oshape, act, U8)
        # Pointwise 1x1: bias add + ReLU6 in one generic.
        cout = 2 * cout
        s = oshape
        wshape = [1, 1, s[3], cout]
        wq, scales = em.weight(em.random_weight(wshape, 3, s[3], 0.5), wshape, 3)
        oshape = [n, s[1], s[2], cout]
        init = em.fill(0.0, oshape)
        pw = em.value()
        em.emit("%s = linalg.conv_2d_nhwc_hwcf %s ins(%s, %s : %s, %s) outs(%s : %s) -> %s"
                % (pw, em.window_attrs(1), h, wq, ttype(s), ttype(wshape), init, ttype(oshape), ttype(oshape)))
        b = em.dense(em.bias(cout, act, scales, 0.3), [cout])
        y = em.elementwise([pw, b], oshape, [
            "%s = arith.addf %in, %in_0 : f32",
            "%%m = arith.maximumf %%s, %s : f32" % em.cst(0.0),
            "%%r = arith.minimumf %%m, %s : f32" % em.cst(6.0),
            "linalg.yield %r : f32"], input_maps=[em.ident(4), em.map(4, "d3")],
            input_types=[ttype(oshape), ttype([cout])])
        x = em.fake_quant(y, oshape, act, U8)
        s, m2, sx = oshape, 0.5, act
    info = {"output": "quantized", "output_scale": act, "contractions": 4,
            "potq_ops": {"potq.depthwise_conv_2d_nhwc_hwc": 2, "potq.conv_2d_nhwc_hwcf": 2}}
    return in_shape, x, s, info


def build_mlp(em, args):
    n = args.batch
    sizes = [64, 32, 32, 10]
    in_shape = [n, sizes[0]]
    x = em.fake_quant("%arg0", in_shape, 1.0 / 255.0, U8)
    m2, sx = 1.0 / 3.0, 1.0 / 255.0
    act = 4.0 / 255.0
    scales = None
    for layer in range(3):
        k, out = sizes[layer], sizes[layer + 1]
        wshape = [out, k]
        wq, scales = em.weight(em.random_weight(wshape, 0, k, m2), wshape, 0)
        oshape = [n, out]
        init = em.fill(0.0, oshape)
        mm = em.value()
        em.emit("%s = linalg.matmul indexing_maps = [%s, %s, %s] ins(%s, %s : %s, %s) outs(%s : %s) -> %s"
                % (mm, em.map(3, "d0, d2"), em.map(3, "d1, d2"), em.map(3, "d0, d1"), x, wq,
                   ttype([n, k]), ttype(wshape), init, ttype(oshape), ttype(oshape)))
        # The logits' bias stays a float (SPEC adds it in binary32).
        b = em.dense(em.bias(out, sx if layer < 2 else None, scales), [out])
        bias_map = em.map(2, "d1")
        if layer == 0:
            # Bias (first operand) + ReLU in one generic.
            y = em.elementwise([b, mm], oshape, [
                "%s = arith.addf %in, %in_0 : f32",
                "%%r = arith.maximumf %%s, %s : f32" % em.cst(0.0),
                "linalg.yield %r : f32"], input_maps=[bias_map, em.ident(2)],
                input_types=[ttype([out]), ttype(oshape)])
        elif layer == 1:
            # aten.add.Tensor(x, b, alpha=1): x + 1.0 * b, then aten.relu.
            y = em.elementwise([mm, b], oshape, [
                "%%m = arith.mulf %%in_0, %s : f32" % em.cst(1.0),
                "%s = arith.addf %in, %m : f32",
                "linalg.yield %s : f32"], input_maps=[em.ident(2), bias_map],
                input_types=[ttype(oshape), ttype([out])])
            y = em.relu_select(y, oshape)
        else:
            y = em.elementwise([mm, b], oshape, [
                "%s = arith.addf %in, %in_0 : f32", "linalg.yield %s : f32"],
                input_maps=[em.ident(2), bias_map], input_types=[ttype(oshape), ttype([out])])
            break
        x = em.fake_quant(y, oshape, act, U8)
        m2, sx = 0.5, act
    info = {"output": "float",
            # Two quantized layers before the logits: with --bias grid they
            # differ by float rounding only; --bias float rounds biases to
            # i32 levels, measured up to 1.3 units.
            "float_unit": act * max(scales) * em.lmax,
            "float_units": 1 if em.bias_mode == "grid" else 2,
            "contractions": 3, "potq_ops": {"potq.matmul": 3}}
    return in_shape, y, [n, sizes[-1]], info


DEFAULTS = {  # image, width, batch
    "resnet18": (48, 8, 4),
    "mobilenet": (8, 4, 4),
    "mlp": (None, None, 8),
}


def build(net, encoding="pot4", per_channel=True, seed=1, image=None, width=None,
          classes=10, batch=None, bias="grid"):
    """Returns (module text, info): info has the input and output shapes,
    the output kind ("quantized" with its scale, or "float" with the
    tolerance float_units x float_unit, where float_unit is what one input
    level of the last layer can change), the number of contractions and the
    potq ops each should become."""
    d_image, d_width, d_batch = DEFAULTS[net]
    args = argparse.Namespace(image=image or d_image, width=width or d_width, classes=classes,
                              batch=batch or d_batch)
    rng = random.Random(seed)
    em = Emitter(rng, encoding, per_channel, "tensor" if net == "mobilenet" else "vector", bias)
    builder = {"resnet18": build_resnet, "mobilenet": build_mobilenet, "mlp": build_mlp}[net]
    in_shape, y, out_shape, info = builder(em, args)
    flags = "--net %s --encoding %s%s --seed %d --bias %s" % (
        net, encoding, "" if per_channel else " --per-tensor", seed, bias)
    if net != "mlp":
        flags += " --image %d --width %d --batch %d" % (args.image, args.width, args.batch)
    if net == "resnet18":
        flags += " --classes %d" % classes
    lines = ["// Generated by gen_exporter_network.py %s" % flags]
    lines += ["%s = %s" % (alias, text) for text, alias in em.maps.items()]
    lines.append('module attributes {torch.debug_module_name = "%s"} {' % net)
    lines.append("  func.func @forward(%%arg0: %s) -> %s {" % (ttype(in_shape), ttype(out_shape)))
    lines += em.hoisted
    lines += em.lines
    lines.append("    return %s : %s" % (y, ttype(out_shape)))
    lines.append("  }")
    lines.append("}")
    info.update({"net": net, "input_shape": in_shape, "output_shape": out_shape, "entry": "forward"})
    return "\n".join(lines) + "\n", info


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--net", choices=NETS, required=True)
    p.add_argument("--encoding", choices=sorted(ENCODINGS), default="pot4")
    p.add_argument("--per-tensor", action="store_true")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--image", type=int, help="input height and width (resnet18, mobilenet)")
    p.add_argument("--width", type=int, help="channels of the first stage (resnet18) / input (mobilenet)")
    p.add_argument("--classes", type=int, default=10, help="resnet18: fc outputs")
    p.add_argument("--batch", type=int)
    p.add_argument("--bias", choices=["grid", "float"], default="grid",
                   help="biases on the accumulator grid sx * sw[c] (QDQ style, "
                        "default) or any float (torch QAT)")
    p.add_argument("--info", help="also write the network's info (JSON) here")
    p.add_argument("-o", "--output", required=True)
    args = p.parse_args()
    text, info = build(args.net, args.encoding, not args.per_tensor, args.seed, args.image,
                       args.width, args.classes, args.batch, args.bias)
    with open(args.output, "w") as f:
        f.write(text)
    if args.info:
        with open(args.info, "w") as f:
            json.dump(info, f, indent=1)


if __name__ == "__main__":
    main()
