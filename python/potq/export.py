"""PyTorch models -> potq's QAT input form (docs/QatInputForm.md).

`to_mlir(model, example_inputs)` traces the model with torch.fx (potq.nn
modules are leaves), propagates the example inputs' shapes through it and
writes ONE `func.func` on tensors in the func/arith/tensor/linalg dialects
plus `qat.fake_quant`: the form `potq-qat-to-shift-add` compiles to integer
code. The graph computes what the model computes in eval mode;
docs/Python.md ("Export") states when the two agree bit for bit. What has no
faithful export raises `ExportError`, naming the module or node and the op:
the exporter never drops an op or guesses.

Layout: inputs and outputs are NCHW, as in PyTorch. Inside, 4-D activations
are NHWC, because potq has integer forms of the NHWC convolution, depthwise
convolution, max pool and average pool (of NCHW only the plain convolution):
a `linalg.transpose` where a 4-D value enters, and one where it leaves (a
result, a general reshape). A flatten that feeds a Linear permutes the
Linear's weight columns instead of the activation. Transposes, reshapes,
concatenations and max pools keep values on their quantization grid; where
such a value feeds a contraction, the exporter fake-quantizes it again with
the same quantizer (an exact identity on grid values) so that the compiler
sees a quantized input.
"""

import operator
import sys

import numpy as np
import torch
import torch.fx
import torch.nn.functional as F
from torch import nn
from torch.fx.passes.shape_prop import ShapeProp
from torch.nn.utils.fusion import fuse_conv_bn_weights

__all__ = ["ExportError", "to_mlir", "export"]


class ExportError(ValueError):
    """The model (or one of its modules or ops) has no faithful export."""


# ---------------------------------------------------------------------------
# MLIR text helpers
# ---------------------------------------------------------------------------

def _hex_dense(array):
    """dense<"0x..."> of binary32 values: little-endian bytes, bit exact."""
    data = np.ascontiguousarray(np.asarray(array, dtype="<f4")).tobytes()
    return 'dense<"0x%s">' % data.hex().upper()


def _f32_bits(value):
    """The f32 attribute spelled by its bit pattern (exact, also -0/inf)."""
    return "0x%08X" % int(np.float32(value).view(np.uint32))


def _ints(values):
    return ", ".join(str(int(v)) for v in values)


def _map(rank, results):
    dims = ", ".join("d%d" % i for i in range(rank))
    return "affine_map<(%s) -> (%s)>" % (dims, ", ".join(results))


def _identity_map(rank):
    return _map(rank, ["d%d" % i for i in range(rank)])


def _window_attrs(strides, dilations):
    return ("{dilations = dense<[%s]> : tensor<2xi64>, strides = dense<[%s]> "
            ": tensor<2xi64>}" % (_ints(dilations), _ints(strides)))


def _pair(value, what):
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ExportError("%s: expected 2 values, got %r" % (what, value))
        return tuple(int(v) for v in value)
    return (int(value), int(value))


def _pool_window(kernel, stride, padding):
    """(kernel, stride, padding) pairs of a pool; PyTorch's stride defaults
    to the kernel (None from F.*, [] from the modules)."""
    if stride is None or (isinstance(stride, (tuple, list)) and not stride):
        stride = kernel
    return (_pair(kernel, "kernel_size"), _pair(stride, "stride"),
            _pair(padding, "padding"))


def _f32(tensor):
    return tensor.detach().to(torch.float32).cpu().numpy()


# ---------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------

_PLAIN, _NHWC, _FLAT_NHWC = "plain", "nhwc", "flat_nhwc"
# PyTorch axis of a 4-D NCHW tensor -> axis of its NHWC form.
_NCHW_TO_NHWC = (0, 3, 1, 2)


class _Grid:
    """A per-tensor quantizer whose levels a value lies on: its attributes
    and the SSA name of its scale, to fake-quantize the value again."""

    def __init__(self, attrs, scale_name, key):
        self.attrs = attrs
        self.scale_name = scale_name
        self.key = key  # (encoding and zero point, scale bits)


class _Value:
    """An emitted tensor. `shape` is the PyTorch (NCHW) shape, batch first;
    `layout` says how the MLIR value holds it: plain (as PyTorch), nhwc (a
    4-D NCHW value transposed), or flat_nhwc (a flatten of the NHWC form of
    a [N, C, H, W] value, `chw`: its elements permuted). `grid`: the values
    lie on that quantizer's levels; `quantized`: the MLIR value is the
    result of a qat.fake_quant."""

    def __init__(self, name, shape, layout=_PLAIN, chw=None, grid=None,
                 quantized=False):
        self.name = name
        self.shape = tuple(int(d) for d in shape)
        self.layout = layout
        self.chw = chw
        self.grid = grid
        self.quantized = quantized

    @property
    def stored_shape(self):
        if self.layout == _NHWC:
            n, c, h, w = self.shape
            return (n, h, w, c)
        return self.shape


def _where(gm, node):
    """The module path and class, or the fx node and its function."""
    if node.op == "call_module":
        m = gm.get_submodule(node.target)
        return "module '%s' (%s.%s)" % (node.target, type(m).__module__,
                                        type(m).__qualname__)
    if node.op == "call_function":
        fn = getattr(node.target, "__name__", repr(node.target))
        return "node '%s' (call to %s)" % (node.name, fn)
    if node.op == "call_method":
        return "node '%s' (method Tensor.%s)" % (node.name, node.target)
    return "node '%s' (%s %s)" % (node.name, node.op, node.target)


class _Proxy(torch.fx.Proxy):
    """fx's Proxy has no in-place operators, so Python records `y += x` as
    `y = y + x` and another name for y keeps the old value: here they are
    recorded as operator.iadd etc., whose mutation the exporter checks."""

    def _inplace(self, fn, other):
        return self.tracer.create_proxy("call_function", fn, (self, other),
                                        {})

    def __iadd__(self, other):
        return self._inplace(operator.iadd, other)

    def __isub__(self, other):
        return self._inplace(operator.isub, other)

    def __imul__(self, other):
        return self._inplace(operator.imul, other)

    def __itruediv__(self, other):
        return self._inplace(operator.itruediv, other)


class _Tracer(torch.fx.Tracer):
    """torch.nn's modules and every potq module are leaves: the exporter
    reads their parameters, never their implementation."""

    def is_leaf_module(self, m, qualname):
        if type(m).__module__.startswith("potq."):
            return True
        return super().is_leaf_module(m, qualname)

    def proxy(self, node):
        return _Proxy(node, self)


def _potq_nn():
    """potq.nn if it was imported (a model with potq modules imported it)."""
    return sys.modules.get("potq.nn")


# ---------------------------------------------------------------------------
# The function body
# ---------------------------------------------------------------------------

_BODY_NAMES = (["a%d" % i for i in range(4)] +
               ["o", "s", "m", "lt", "lo", "gt", "hi", "qp"] +
               ["q%d" % i for i in range(4)] + ["c0"])


class _Body:
    """Accumulates one function's lines: SSA names, hoisted f32 scalars,
    tensor types with a dynamic batch, and the ops every layer needs."""

    def __init__(self, dynamic_batch):
        self.dynamic = dynamic_batch
        self.lines = []
        self.scalar_lines = []
        self.scalars = {}
        # Block-local names of generic bodies: regions see the function's
        # values, so no function value may take one of these names.
        self.used = set(_BODY_NAMES)
        self.batch_ssa = None
        self.loc = None

    def fresh(self, hint):
        base = "".join(c if c.isalnum() or c == "_" else "_" for c in hint)
        if not base or base[0].isdigit():
            base = "v" + base
        name, i = base, 0
        while name in self.used:
            i += 1
            name = "%s_%d" % (base, i)
        self.used.add(name)
        return "%" + name

    def op(self, text):
        """One single-line op, with the location of the current node."""
        self.lines.append(text + self._loc())

    def _loc(self):
        return ' loc("%s")' % self.loc if self.loc else ""

    def ttype(self, shape, batched=True):
        dims = ["?" if (i == 0 and batched and self.dynamic) else str(d)
                for i, d in enumerate(shape)]
        return "tensor<%sxf32>" % "x".join(dims) if dims else "tensor<f32>"

    def dyn_operands(self, batched=True):
        return self.batch_ssa if (batched and self.dynamic) else ""

    def scalar(self, value):
        bits = _f32_bits(value)
        if bits not in self.scalars:
            name = self.fresh("cst")
            self.scalars[bits] = name
            self.scalar_lines.append("%s = arith.constant %s : f32"
                                     % (name, bits))
        return self.scalars[bits]

    def dense(self, array, hint):
        array = np.asarray(array, dtype=np.float32)
        name = self.fresh(hint)
        self.op("%s = arith.constant %s : %s"
                % (name, _hex_dense(array),
                   self.ttype(array.shape, batched=False)))
        return name

    def empty(self, shape):
        name = self.fresh("empty")
        self.op("%s = tensor.empty(%s) : %s"
                % (name, self.dyn_operands(), self.ttype(shape)))
        return name

    def fill(self, value, shape):
        e = self.empty(shape)
        name = self.fresh("init")
        t = self.ttype(shape)
        self.op("%s = linalg.fill ins(%s : f32) outs(%s : %s) -> %s"
                % (name, self.scalar(value), e, t, t))
        return name

    def generic(self, inputs, shape, body, hint):
        """An all-parallel linalg.generic over `shape` (batched). inputs:
        (value name, type, indexing map); body(args) -> (lines, result) with
        args the block argument names of the inputs."""
        rank = len(shape)
        e = self.empty(shape)
        t = self.ttype(shape)
        name = self.fresh(hint)
        maps = [m for _, _, m in inputs] + [_identity_map(rank)]
        iters = ", ".join(['"parallel"'] * rank)
        self.lines.append(
            "%s = linalg.generic {indexing_maps = [%s], iterator_types = [%s]}"
            " ins(%s : %s) outs(%s : %s) {"
            % (name, ", ".join(maps), iters,
               ", ".join(v for v, _, _ in inputs),
               ", ".join(ty for _, ty, _ in inputs), e, t))
        args = ["%%a%d" % i for i in range(len(inputs))]
        self.lines.append("^bb0(%s, %%o: f32):"
                          % ", ".join("%s: f32" % a for a in args))
        lines, result = body(args)
        self.lines += ["  " + line for line in lines]
        self.lines.append("  linalg.yield %s : f32" % result)
        self.lines.append("} -> %s%s" % (t, self._loc()))
        return name

    def pad(self, value, stored_shape, low, high, fill_value, hint):
        out = tuple(d + lo + hi for d, lo, hi in zip(stored_shape, low, high))
        name = self.fresh(hint)
        self.lines.append("%s = tensor.pad %s low[%s] high[%s] {"
                          % (name, value, _ints(low), _ints(high)))
        self.lines.append("^bb0(%s):" % ", ".join(
            "%%i%d: index" % i for i in range(len(stored_shape))))
        self.lines.append("  tensor.yield %s : f32" % self.scalar(fill_value))
        self.lines.append("} : %s to %s%s" % (self.ttype(stored_shape),
                                              self.ttype(out), self._loc()))
        return name, out

    def transpose(self, value, stored_shape, perm, hint):
        out = tuple(stored_shape[p] for p in perm)
        e = self.empty(out)
        name = self.fresh(hint)
        self.op("%s = linalg.transpose ins(%s : %s) outs(%s : %s) "
                "permutation = [%s]"
                % (name, value, self.ttype(stored_shape), e, self.ttype(out),
                   _ints(perm)))
        return name, out

    def collapse(self, value, src, groups, hint):
        out = tuple(int(np.prod([src[i] for i in g])) for g in groups)
        name = self.fresh(hint)
        self.op("%s = tensor.collapse_shape %s [%s] : %s into %s"
                % (name, value, ", ".join("[%s]" % _ints(g) for g in groups),
                   self.ttype(src), self.ttype(out)))
        return name

    def expand(self, value, src, dst, groups, hint):
        sizes = [("%s" % self.batch_ssa) if (i == 0 and self.dynamic)
                 else str(d) for i, d in enumerate(dst)]
        name = self.fresh(hint)
        self.op("%s = tensor.expand_shape %s [%s] output_shape [%s] : %s into "
                "%s" % (name, value,
                        ", ".join("[%s]" % _ints(g) for g in groups),
                        ", ".join(sizes), self.ttype(src), self.ttype(dst)))
        return name


def _reassociation(src, dst):
    """Groups of consecutive src dims whose products are the dst dims (a
    collapse of src into dst), or None."""
    groups, i = [], 0
    for d in dst:
        if i >= len(src):
            return None
        group, prod = [i], src[i]
        i += 1
        while prod < d and i < len(src):
            group.append(i)
            prod *= src[i]
            i += 1
        if prod != d:
            return None
        groups.append(group)
    if not groups:
        return None
    while i < len(src):  # trailing size-1 dims join the last group
        if src[i] != 1:
            return None
        groups[-1].append(i)
        i += 1
    return groups


# ---------------------------------------------------------------------------
# The exporter
# ---------------------------------------------------------------------------

_DROPOUTS = (nn.Dropout, nn.Dropout1d, nn.Dropout2d, nn.Dropout3d,
             nn.AlphaDropout, nn.FeatureAlphaDropout)


# Functions that modify their input with inplace=True (argument index),
# Python's in-place operators (fx records them as functions, or as Tensor
# methods when the left operand is not traced).
_INPLACE_ARG = {F.relu: 1, F.relu6: 1, F.hardtanh: 3}
_INPLACE_OPERATORS = (operator.iadd, operator.isub, operator.imul,
                      operator.itruediv)
_INPLACE_DUNDERS = ("__iadd__", "__isub__", "__imul__", "__itruediv__")
# Ops whose result may be their first argument's storage (a view, or the
# argument itself).
_VIEW_METHODS = ("view", "view_as", "reshape", "flatten", "contiguous",
                 "squeeze", "unsqueeze", "permute", "transpose", "expand")
_VIEW_FUNCTIONS = (torch.flatten, torch.reshape, F.dropout, F.dropout2d)


class _Exporter:
    def __init__(self, gm, example_inputs, dynamic_batch, func_name):
        self.gm = gm
        self.inputs = example_inputs
        self.func_name = func_name
        self.b = _Body(dynamic_batch)
        self.env = {}
        self.batch = None
        # (batch size, {node: result shape}) of a second shape propagation
        # at another batch size (dynamic_batch only).
        self.other_batch = None
        self.folded = {}   # conv node -> (weight, bias) with its BN folded
        self.alias = {}    # BN node -> the conv node it was folded into
        self.requantized = {}  # value name -> its re-quantized value
        self.converted = {}    # (value name, layout) -> the value in it
        self.node = None

    # -- errors and arguments --------------------------------------------

    def where(self, node=None):
        return _where(self.gm, node or self.node)

    def fail(self, message, node=None):
        raise ExportError("%s: %s" % (self.where(node), message))

    @staticmethod
    def arg(node, index, name, default=None):
        if len(node.args) > index:
            return node.args[index]
        return node.kwargs.get(name, default)

    def tensor(self, arg, what="input"):
        if not isinstance(arg, torch.fx.Node):
            self.fail("%s must be a tensor, got %r" % (what, arg))
        value = self.env.get(arg)
        if not isinstance(value, _Value):
            kind = {"shape": "a size computed from a tensor's shape",
                    "attribute": "a parameter or buffer read directly "
                                 "(only modules' own are exported)"}
            self.fail("%s '%s' is %s" % (what, arg.name, kind[value[0]]))
        return value

    def out_shape(self, node=None):
        meta = (node or self.node).meta.get("tensor_meta")
        if meta is None or not hasattr(meta, "shape"):
            self.fail("its result is not one tensor")
        return tuple(meta.shape)

    # -- layouts ---------------------------------------------------------

    def as_nhwc(self, v):
        """v as NHWC (one transpose per value, however many users)."""
        if v.layout == _NHWC:
            return v
        if len(v.shape) != 4:
            self.fail("expected a 4-D NCHW tensor, got shape %s"
                      % list(v.shape))
        key = (v.name, _NHWC)
        if key not in self.converted:
            p = self.as_plain(v)
            name, _ = self.b.transpose(p.name, p.shape, (0, 2, 3, 1),
                                       p.name[1:] + "_nhwc")
            self.converted[key] = _Value(name, v.shape, _NHWC, grid=v.grid)
        return self.converted[key]

    def as_plain(self, v):
        """v in PyTorch's layout."""
        b = self.b
        if v.layout == _PLAIN:
            return v
        key = (v.name, _PLAIN)
        if key in self.converted:
            return self.converted[key]
        hint = v.name[1:] + "_nchw"
        if v.layout == _NHWC:
            name, _ = b.transpose(v.name, v.stored_shape, (0, 3, 1, 2), hint)
        else:
            c, h, w = v.chw
            n = v.shape[0]
            e = b.expand(v.name, v.shape, (n, h, w, c), [[0], [1, 2, 3]],
                         hint)
            t, _ = b.transpose(e, (n, h, w, c), (0, 3, 1, 2), hint)
            name = b.collapse(t, (n, c, h, w), [[0], [1, 2, 3]], hint)
        self.converted[key] = _Value(name, v.shape, grid=v.grid)
        return self.converted[key]

    def elementwise_layout(self, v):
        """4-D activations go to NHWC at their first elementwise op."""
        return self.as_nhwc(v) if (v.layout == _PLAIN and
                                   len(v.shape) == 4) else v

    def channel_map(self, v):
        """The map of a per-channel constant (PyTorch dim 1) on v."""
        rank = len(v.shape)
        if rank < 2 or v.layout == _FLAT_NHWC:
            self.fail("a per-channel operation needs an [N, C, ...] tensor, "
                      "got shape %s" % list(v.shape))
        dim = 3 if v.layout == _NHWC else 1
        return _map(rank, ["d%d" % dim])

    # -- fake quantization ---------------------------------------------

    def quantizer_attrs(self, q, axis):
        """(attribute words, estimator word, scale array) of the potq
        Quantizer q; axis: its MLIR axis (None: per tensor)."""
        if not bool(q.initialized):
            self.fail("its quantizer has no scale yet (run the model on "
                      "data or call set_scale before exporting)")
        scale = _f32(q.scale())
        words = ["encoding = %s" % q.encoding.mlir]
        if axis is not None:
            words.append("axis = %d : i64" % axis)
        else:
            scale = scale.reshape(())
        if q.zero_point:
            words.append("zero_point = %d : i64" % q.zero_point)
        return words, "estimator = %s" % q.estimator.mlir_attr(), scale

    def emit_fake_quant(self, value, value_type, scale_name, scale_type,
                        attr_text, hint):
        name = self.b.fresh(hint)
        self.b.op("%s = qat.fake_quant %s, %s %s : %s, %s"
                  % (name, value, scale_name, attr_text, value_type,
                     scale_type))
        return name

    def fake_quant(self, v, q, hint):
        """qat.fake_quant of the activation v by the potq Quantizer q."""
        axis = None
        if q.axis is not None:
            axis = q.axis % len(v.shape)
            if v.layout == _FLAT_NHWC:
                v = self.as_plain(v)
            if v.layout == _NHWC:
                axis = _NCHW_TO_NHWC[axis]
        words, estimator, scale = self.quantizer_attrs(q, axis)
        attr_text = "{%s}" % ", ".join(words + [estimator])
        s = self.b.dense(scale, hint + "_scale")
        name = self.emit_fake_quant(
            v.name, self.b.ttype(v.stored_shape), s,
            self.b.ttype(scale.shape, batched=False), attr_text, hint)
        grid = None
        if axis is None:  # the estimator does not change the values
            grid = _Grid(attr_text, s, (tuple(words), scale.tobytes()))
        return _Value(name, v.shape, v.layout, v.chw, grid, quantized=True)

    def quantized_input(self, v):
        """v, fake-quantized again by its grid's quantizer if it lies on one
        but is not a fake_quant result (an exact identity), so that the
        compiler sees the contraction's input as levels."""
        if v.quantized or v.grid is None:
            return v
        if v.name not in self.requantized:
            name = self.emit_fake_quant(
                v.name, self.b.ttype(v.stored_shape), v.grid.scale_name,
                "tensor<f32>", v.grid.attrs, v.name[1:] + "_q")
            self.requantized[v.name] = _Value(name, v.shape, v.layout, v.chw,
                                              v.grid, quantized=True)
        return self.requantized[v.name]

    def weight(self, w, q, perm, hint):
        """The constant weight w (numpy, PyTorch layout) permuted by perm,
        fake-quantized by q (None: float) with its axis mapped."""
        b = self.b
        wt = np.ascontiguousarray(np.transpose(w, perm))
        c = b.dense(wt, hint + "_w")
        if q is None:
            return c, wt.shape
        axis = None if q.axis is None else list(perm).index(q.axis % w.ndim)
        words, estimator, scale = self.quantizer_attrs(q, axis)
        s = b.dense(scale, hint + "_wscale")
        name = self.emit_fake_quant(
            c, b.ttype(wt.shape, batched=False), s,
            b.ttype(scale.shape, batched=False),
            "{%s}" % ", ".join(words + [estimator]), hint + "_wq")
        return name, wt.shape

    def add_bias(self, acc, shape, bias, hint):
        """acc + bias[c] (c: the last MLIR dim), or acc without a bias."""
        if bias is None:
            return acc
        b = self.b
        bias = _f32(bias)
        cst = b.dense(bias, hint + "_b")
        rank = len(shape)
        t = b.ttype(shape)
        return b.generic(
            [(acc, t, _identity_map(rank)),
             (cst, b.ttype(bias.shape, batched=False),
              _map(rank, ["d%d" % (rank - 1)]))],
            shape, lambda a: (["%%s = arith.addf %s, %s : f32" % (a[0], a[1])],
                              "%s"), hint + "_bias")

    # -- run -----------------------------------------------------------

    def run(self):
        self.fold_batchnorms()
        self.check_inplace()
        b = self.b
        args, arg_types, results = [], [], None
        for node in self.gm.graph.nodes:
            self.node = node
            b.loc = node.target if node.op == "call_module" else node.name
            if node.op not in ("output", "get_attr"):
                self.check_batch(node)
            if node.op == "placeholder":
                v = self.placeholder(node, len(args))
                args.append(v)
                arg_types.append(b.ttype(v.shape))
            elif node.op == "get_attr":
                self.env[node] = ("attribute",)
            elif node.op == "output":
                results = self.output(node)
            elif node.op == "call_module":
                self.env[node] = self.call_module(node)
            elif node.op == "call_function":
                self.env[node] = self.call_function(node)
            elif node.op == "call_method":
                self.env[node] = self.call_method(node)
            else:
                self.fail("unknown fx op %r" % node.op)
        head = ["func.func @%s(%s) -> (%s) {"
                % (self.func_name,
                   ", ".join("%s: %s" % (v.name, t)
                             for v, t in zip(args, arg_types)),
                   ", ".join(t for _, t in results))]
        prologue = []
        if b.dynamic and args:
            prologue.append("%c0 = arith.constant 0 : index")
            prologue.append("%s = tensor.dim %s, %%c0 : %s"
                            % (b.batch_ssa, args[0].name, arg_types[0]))
        body = prologue + b.scalar_lines + b.lines
        body.append("return %s : %s" % (", ".join(v for v, _ in results),
                                         ", ".join(t for _, t in results)))
        return "\n".join(head + ["  " + line for line in body] + ["}"]) + "\n"

    def check_batch(self, node):
        meta = node.meta.get("tensor_meta")
        if meta is None or not hasattr(meta, "shape"):
            return
        if meta.dtype != torch.float32:
            self.fail("its result has dtype %s; potq exports float32 graphs"
                      % meta.dtype, node)
        if not self.b.dynamic:
            return
        if len(meta.shape) == 0 or meta.shape[0] != self.batch:
            self.fail("its result has shape %s, whose first dimension is not "
                      "the batch (%d); export with dynamic_batch=False"
                      % (list(meta.shape), self.batch), node)
        if self.other_batch is None:
            return
        batch, shapes = self.other_batch
        if node in shapes and shapes[node] != (batch,) + tuple(
                meta.shape[1:]):
            self.fail("its result has shape %s at batch %d but %s at batch "
                      "%d: a size that does not follow the batch (a "
                      "constant batch size, as in view(1, -1)); export with "
                      "dynamic_batch=False"
                      % (list(meta.shape), self.batch, list(shapes[node]),
                         batch), node)

    def placeholder(self, node, index):
        x = self.inputs[index]
        if x.dim() == 0:
            self.fail("a scalar input cannot carry a batch dimension")
        name = self.b.fresh(node.name)
        if index == 0 and self.b.dynamic:
            self.b.batch_ssa = self.b.fresh("batch")
        v = _Value(name, x.shape)
        self.env[node] = v
        return v

    def output(self, node):
        outs = node.args[0]
        single = isinstance(outs, torch.fx.Node)
        outs = [outs] if single else outs
        if not isinstance(outs, (tuple, list)):
            self.fail("the model must return a tensor or a tuple of tensors")
        results = []
        for o in outs:
            v = self.as_plain(self.tensor(o, "result"))
            results.append((v.name, self.b.ttype(v.shape)))
        return results

    # -- in-place ops --------------------------------------------------

    def mutates(self, node):
        """True if node writes into its first argument's storage (fx
        records `y += x`, `y.relu_()`, `ReLU(inplace=True)(y)` as ops whose
        first argument is y)."""
        if node.op == "call_module":
            m = self.gm.get_submodule(node.target)
            return type(m) not in _DROPOUTS and getattr(m, "inplace", False)
        if node.op == "call_function":
            fn = node.target
            if fn in _INPLACE_OPERATORS:
                return True
            if fn in _INPLACE_ARG:
                return bool(self.arg(node, _INPLACE_ARG[fn], "inplace",
                                     False))
            name = getattr(fn, "__name__", "")  # torch.relu_
            return name.endswith("_") and not name.startswith("__")
        if node.op == "call_method":
            name = node.target
            return name in _INPLACE_DUNDERS or (name.endswith("_") and
                                                not name.startswith("__"))
        return False

    def aliases(self, node):
        """True if node's result may share its first argument's storage."""
        if self.mutates(node):
            return True
        if node.op == "call_module":
            kind = type(self.gm.get_submodule(node.target))
            return kind in (nn.Identity, nn.Flatten, nn.Unflatten) + _DROPOUTS
        if node.op == "call_function":
            return node.target in _VIEW_FUNCTIONS
        return node.op == "call_method" and node.target in _VIEW_METHODS

    def check_inplace(self):
        """The export computes in-place ops out of place. That is PyTorch's
        result only if nothing else reads the mutated storage: the mutated
        value, and every value it is a view of, has no other user (later
        users would see the mutation, earlier views share the storage).
        `out += identity; out = relu(out)` passes; `z = relu_(y); y + z`
        does not."""
        for node in self.gm.graph.nodes:
            if not (self.mutates(node) and node.args and
                    isinstance(node.args[0], torch.fx.Node)):
                continue
            child, cur = node, node.args[0]
            while True:
                others = [u for u in cur.users if u is not child]
                if others:
                    self.fail(
                        "modifies '%s' in place, which %s also reads; the "
                        "export computes in-place ops out of place, so use "
                        "the result (y = y.relu_()) or an out-of-place op"
                        % (cur.name, "the model's result"
                           if others[0].op == "output"
                           else self.where(others[0])), node)
                if not (cur.op != "placeholder" and self.aliases(cur) and
                        cur.args and isinstance(cur.args[0], torch.fx.Node)):
                    break
                child, cur = cur, cur.args[0]

    # -- BatchNorm folding ---------------------------------------------

    def fold_batchnorms(self):
        """nn.Conv2d -> nn.BatchNorm2d (eval statistics) becomes one conv
        with torch's own folding (torch.nn.utils.fusion)."""
        for node in self.gm.graph.nodes:
            if node.op != "call_module":
                continue
            bn = self.gm.get_submodule(node.target)
            if type(bn) is not nn.BatchNorm2d or not node.args:
                continue
            src = node.args[0]
            if not (isinstance(src, torch.fx.Node) and
                    src.op == "call_module" and len(src.users) == 1):
                continue
            conv = self.gm.get_submodule(src.target)
            if type(conv) is not nn.Conv2d or bn.running_mean is None:
                continue  # a BN without statistics: reported at the BN
            w, bias = fuse_conv_bn_weights(
                conv.weight, conv.bias, bn.running_mean, bn.running_var,
                bn.eps, bn.weight, bn.bias)
            self.folded[src] = (w.detach(), bias.detach())
            self.alias[node] = src

    # -- modules -------------------------------------------------------

    def call_module(self, node):
        m = self.gm.get_submodule(node.target)
        if node in self.alias:
            return self.env[self.alias[node]]
        x = self.tensor(node.args[0]) if node.args else None
        hint = node.name
        # Exact types: a subclass (torch.nn.qat.Conv2d, ConvBn2d, a user's
        # layer) computes something else with the same parameters.
        kind = type(m)
        potq_nn = _potq_nn()
        if potq_nn is not None and kind.__module__.startswith("potq."):
            if kind is potq_nn.QuantConv2d:
                w, bias = m.folded_weight_and_bias()
                return self.conv(x, m, w, bias, m.weight_quantizer, hint)
            if kind is potq_nn.QuantLinear:
                w, bias = m.folded_weight_and_bias()
                return self.linear(x, w, bias, m.weight_quantizer, hint)
            if kind is potq_nn.QuantAct:
                return self.fake_quant(self.elementwise_layout(x),
                                       m.quantizer, hint)
            if kind is potq_nn.Quantizer:
                return self.fake_quant(self.elementwise_layout(x), m, hint)
        if kind.__module__.startswith("potq."):
            self.fail("this potq module has no export")
        if kind is nn.Conv2d:
            w, bias = self.folded.get(node, (m.weight, m.bias))
            return self.conv(x, m, w, bias, None, hint)
        if kind is nn.Linear:
            return self.linear(x, m.weight, m.bias, None, hint)
        if kind is nn.BatchNorm2d:
            return self.batchnorm(x, m, hint)
        if kind is nn.ReLU:
            return self.clamp(x, 0.0, None, hint)
        if kind in (nn.Hardtanh, nn.ReLU6):
            return self.clamp(x, m.min_val, m.max_val, hint)
        if kind is nn.MaxPool2d:
            return self.max_pool(x, m.kernel_size, m.stride, m.padding,
                                 m.dilation, m.ceil_mode, m.return_indices,
                                 hint)
        if kind is nn.AvgPool2d:
            return self.avg_pool(x, m.kernel_size, m.stride, m.padding,
                                 m.ceil_mode, m.count_include_pad,
                                 m.divisor_override, hint)
        if kind is nn.AdaptiveAvgPool2d:
            return self.adaptive_avg_pool(x, hint)
        if kind is nn.Flatten:
            return self.reshape(x, hint)
        if kind is nn.Identity or kind in _DROPOUTS:
            return x
        self.fail("this module has no export to potq's QAT input form")

    # -- functions and methods -----------------------------------------

    def call_function(self, node):
        fn = node.target
        a = lambda i, n, d=None: self.arg(node, i, n, d)  # noqa: E731
        hint = node.name
        if fn in (operator.getitem, getattr) or self.is_shape(node):
            if self.is_shape(node):
                return ("shape",)
            self.fail("indexing tensors is not supported")
        if fn in (operator.add, operator.iadd, torch.add):
            if fn is torch.add and a(2, "alpha", 1) != 1:
                self.fail("torch.add with alpha != 1 is not supported")
            return self.add(a(0, "input"), a(1, "other"), hint)
        if fn in (torch.relu, F.relu):
            return self.clamp(self.tensor(a(0, "input")), 0.0, None, hint)
        if fn is F.relu6:
            return self.clamp(self.tensor(a(0, "input")), 0.0, 6.0, hint)
        if fn is F.hardtanh:
            return self.clamp(self.tensor(a(0, "input")),
                              a(1, "min_val", -1.0), a(2, "max_val", 1.0),
                              hint)
        if fn in (torch.clamp, torch.clip):
            return self.clamp(self.tensor(a(0, "input")), a(1, "min"),
                              a(2, "max"), hint)
        if fn in (torch.flatten, torch.reshape):
            return self.reshape(self.tensor(a(0, "input")), hint)
        if fn in (torch.cat, torch.concat):
            return self.cat(a(0, "tensors"), a(1, "dim", 0), hint)
        if fn is F.max_pool2d:
            return self.max_pool(self.tensor(a(0, "input")),
                                 a(1, "kernel_size"), a(2, "stride"),
                                 a(3, "padding", 0), a(4, "dilation", 1),
                                 a(5, "ceil_mode", False),
                                 a(6, "return_indices", False), hint)
        if fn is F.avg_pool2d:
            return self.avg_pool(self.tensor(a(0, "input")),
                                 a(1, "kernel_size"), a(2, "stride"),
                                 a(3, "padding", 0), a(4, "ceil_mode", False),
                                 a(5, "count_include_pad", True),
                                 a(6, "divisor_override"), hint)
        if fn is F.adaptive_avg_pool2d:
            return self.adaptive_avg_pool(self.tensor(a(0, "input")), hint)
        if fn in (F.dropout, F.dropout2d):
            if a(2, "training", True):
                self.fail("dropout in training mode (pass training=self."
                          "training)")
            return self.tensor(a(0, "input"))
        self.fail("this function has no export to potq's QAT input form")

    def call_method(self, node):
        name = node.target
        a = lambda i, n, d=None: self.arg(node, i, n, d)  # noqa: E731
        hint = node.name
        if self.is_shape(node):
            return ("shape",)
        x = self.tensor(a(0, "self"))
        if name in ("relu", "relu_"):
            return self.clamp(x, 0.0, None, hint)
        if name in ("clamp", "clip", "clamp_", "clip_"):
            return self.clamp(x, a(1, "min"), a(2, "max"), hint)
        if name in ("add", "add_", "__add__", "__iadd__"):
            if a(2, "alpha", 1) != 1:
                self.fail("add with alpha != 1 is not supported")
            return self.add(node.args[0], a(1, "other"), hint)
        if name in ("flatten", "view", "reshape"):
            return self.reshape(x, hint)
        if name in ("contiguous",):
            return x
        self.fail("this method has no export to potq's QAT input form")

    def is_shape(self, node):
        """True for nodes computing sizes (x.size(0), x.shape), which the
        exporter reads from the shape propagation instead."""
        t = node.meta.get("type")
        return node.meta.get("tensor_meta") is None and t is not None and (
            issubclass(t, (int, torch.Size, tuple)))

    # -- layers ----------------------------------------------------------

    def conv(self, x, m, w, bias, q, hint):
        b = self.b
        if len(x.shape) != 4:
            self.fail("Conv2d needs a 4-D NCHW input, got shape %s"
                      % list(x.shape))
        if m.padding_mode != "zeros":
            self.fail("padding_mode %r is not supported (only 'zeros')"
                      % m.padding_mode)
        w = _f32(w)
        kh, kw = w.shape[2], w.shape[3]
        sh, sw = _pair(m.stride, "stride")
        dh, dw = _pair(m.dilation, "dilation")
        if isinstance(m.padding, str):
            if m.padding == "valid":
                pads = (0, 0, 0, 0)
            else:  # "same": torch puts the odd extra row/column last
                th, tw = dh * (kh - 1), dw * (kw - 1)
                pads = (th // 2, tw // 2, th - th // 2, tw - tw // 2)
        else:
            ph, pw = _pair(m.padding, "padding")
            pads = (ph, pw, ph, pw)
        n, c, h, wd = x.shape
        out = self.out_shape()
        oh = (h + pads[0] + pads[2] - dh * (kh - 1) - 1) // sh + 1
        ow = (wd + pads[1] + pads[3] - dw * (kw - 1) - 1) // sw + 1
        f, g = w.shape[0], m.groups
        if out != (n, f, oh, ow):
            self.fail("output shape %s differs from the convolution's "
                      "arithmetic %s" % (list(out), [n, f, oh, ow]))
        xv = self.quantized_input(self.as_nhwc(x))
        xin, in_shape = xv.name, xv.stored_shape
        if any(pads):
            xin, in_shape = b.pad(xin, in_shape, (0, pads[0], pads[1], 0),
                                  (0, pads[2], pads[3], 0), 0.0, hint + "_pad")
        attrs = _window_attrs((sh, sw), (dh, dw))
        out_nhwc = (n, oh, ow, f)
        if g == 1 or (g == c and f == c):
            if g == 1:
                op, (wq, wshape) = "linalg.conv_2d_nhwc_hwcf", self.weight(
                    w, q, (2, 3, 1, 0), hint)
            else:
                if q is not None and q.axis not in (None, 0):
                    self.fail("a depthwise weight quantized along axis %d "
                              "(only 0, the channels)" % q.axis)
                op, (wq, wshape) = (
                    "linalg.depthwise_conv_2d_nhwc_hwc",
                    self.weight(w[:, 0], q, (1, 2, 0), hint))
            init = b.fill(0.0, out_nhwc)
            acc = b.fresh(hint)
            b.op("%s = %s %s ins(%s, %s : %s, %s) outs(%s : %s) -> %s"
                 % (acc, op, attrs, xin, wq, b.ttype(in_shape),
                    b.ttype(wshape, batched=False), init,
                    b.ttype(out_nhwc), b.ttype(out_nhwc)))
        else:
            acc = self.grouped_conv(xin, in_shape, w, q, g, out_nhwc, attrs,
                                    hint)
        name = self.add_bias(acc, out_nhwc, bias, hint)
        return _Value(name, (n, f, oh, ow), _NHWC)

    def grouped_conv(self, xin, in_shape, w, q, g, out_nhwc, attrs, hint):
        """groups other than 1 and depthwise (multiplier 1): NHWGC /
        GFHWC, float in potq (it has no integer grouped convolution). The
        weight is fake-quantized in PyTorch's layout, then reshaped."""
        b = self.b
        n, hp, wp, c = in_shape
        f, cg, kh, kw = w.shape
        x5 = (n, hp, wp, g, c // g)
        xg = b.expand(xin, in_shape, x5, [[0], [1], [2], [3, 4]],
                      hint + "_groups")
        wq, _ = self.weight(w, q, (0, 1, 2, 3), hint)
        w5 = (g, f // g, cg, kh, kw)
        we = b.fresh(hint + "_wg")
        b.op("%s = tensor.expand_shape %s [[0, 1], [2], [3], [4]] "
             "output_shape [%s] : %s into %s"
             % (we, wq, _ints(w5), b.ttype(w.shape, batched=False),
                b.ttype(w5, batched=False)))
        # [G, F/G, C/G, KH, KW] -> [G, F/G, KH, KW, C/G]
        wt_shape = (g, f // g, kh, kw, cg)
        e = b.fresh("empty")
        b.op("%s = tensor.empty() : %s" % (e, b.ttype(wt_shape, False)))
        wt = b.fresh(hint + "_wt")
        b.op("%s = linalg.transpose ins(%s : %s) outs(%s : %s) permutation "
             "= [0, 1, 3, 4, 2]" % (wt, we, b.ttype(w5, False), e,
                                    b.ttype(wt_shape, False)))
        o5 = out_nhwc[:3] + (g, f // g)
        init = b.fill(0.0, o5)
        acc = b.fresh(hint)
        b.op("%s = linalg.conv_2d_nhwgc_gfhwc %s ins(%s, %s : %s, %s) outs(%s "
             ": %s) -> %s" % (acc, attrs, xg, wt, b.ttype(x5),
                              b.ttype(wt_shape, False), init, b.ttype(o5),
                              b.ttype(o5)))
        return b.collapse(acc, o5, [[0], [1], [2], [3, 4]], hint + "_out")

    def linear(self, x, w, bias, q, hint):
        b = self.b
        if len(x.shape) != 2:
            self.fail("Linear is exported for 2-D [N, K] inputs only, got "
                      "shape %s (flatten first)" % list(x.shape))
        w = _f32(w)
        if x.layout == _FLAT_NHWC and q is not None and q.axis not in (
                None, 0):
            x = self.as_plain(x)  # scales along K: keep the columns' order
        if x.layout == _FLAT_NHWC:
            # The input holds the NCHW flatten's columns in NHWC order.
            c, h, wd = x.chw
            perm = np.arange(c * h * wd).reshape(c, h, wd).transpose(1, 2, 0)
            w = w[:, perm.reshape(-1)]
        xv = self.quantized_input(x)
        n, k = x.shape
        f = w.shape[0]
        wq, wshape = self.weight(w, q, (1, 0), hint)
        init = b.fill(0.0, (n, f))
        acc = b.fresh(hint)
        b.op("%s = linalg.matmul ins(%s, %s : %s, %s) outs(%s : %s) -> %s"
             % (acc, xv.name, wq, b.ttype((n, k)),
                b.ttype(wshape, batched=False), init, b.ttype((n, f)),
                b.ttype((n, f))))
        return _Value(self.add_bias(acc, (n, f), bias, hint), (n, f))

    def batchnorm(self, x, m, hint):
        """Standalone BatchNorm2d: x * alpha[c] + beta[c] with PyTorch's
        alpha = weight / sqrt(var + eps), beta = bias - mean * alpha, both
        rounded to binary32 as PyTorch's CPU kernel computes them."""
        if m.running_mean is None:
            self.fail("BatchNorm2d without running statistics uses batch "
                      "statistics in eval mode; potq exports eval statistics "
                      "only")
        if len(x.shape) != 4:
            self.fail("BatchNorm2d needs a 4-D input")
        f32 = np.float32
        var, mean = _f32(m.running_var), _f32(m.running_mean)
        c = var.shape[0]
        weight = _f32(m.weight) if m.weight is not None else np.ones(c, f32)
        bias = _f32(m.bias) if m.bias is not None else np.zeros(c, f32)
        invstd = (f32(1) / np.sqrt(var + f32(m.eps))).astype(f32)
        alpha = (invstd * weight).astype(f32)
        beta = (bias - mean * alpha).astype(f32)
        v = self.elementwise_layout(x)
        b = self.b
        ca, cb = b.dense(alpha, hint + "_alpha"), b.dense(beta, hint + "_beta")
        cmap, t = self.channel_map(v), b.ttype(v.stored_shape)
        ct = b.ttype((c,), batched=False)
        name = b.generic(
            [(v.name, t, _identity_map(4)), (ca, ct, cmap), (cb, ct, cmap)],
            v.stored_shape,
            lambda a: (["%%m = arith.mulf %s, %s : f32" % (a[0], a[1]),
                        "%%s = arith.addf %%m, %s : f32" % a[2]], "%s"), hint)
        return _Value(name, v.shape, v.layout)

    def clamp(self, x, lo, hi, hint):
        """max(x, lo) then min(., hi) as PyTorch computes them: a NaN stays
        NaN and -0.0 stays -0.0 (x < lo ? lo : x; x > hi ? hi : x)."""
        for bound in (lo, hi):
            if bound is not None and not isinstance(bound, (int, float)):
                self.fail("clamp bounds must be numbers, got %r" % (bound,))
        if lo is None and hi is None:
            self.fail("clamp without bounds")
        v = self.elementwise_layout(x)
        b = self.b

        def body(a):
            lines, cur = [], a[0]
            if lo is not None:
                c = b.scalar(lo)
                lines.extend(["%%lt = arith.cmpf olt, %s, %s : f32" % (cur, c),
                              "%%lo = arith.select %%lt, %s, %s : f32"
                              % (c, cur)])
                cur = "%lo"
            if hi is not None:
                c = b.scalar(hi)
                lines.extend(["%%gt = arith.cmpf ogt, %s, %s : f32" % (cur, c),
                              "%%hi = arith.select %%gt, %s, %s : f32"
                              % (c, cur)])
                cur = "%hi"
            return lines, cur

        t = b.ttype(v.stored_shape)
        name = b.generic([(v.name, t, _identity_map(len(v.shape)))],
                         v.stored_shape, body, hint)
        return _Value(name, v.shape, v.layout, v.chw)

    def add(self, lhs, rhs, hint):
        b = self.b
        if not isinstance(lhs, torch.fx.Node):
            lhs, rhs = rhs, lhs
        x = self.tensor(lhs)
        if isinstance(rhs, (int, float)) and not isinstance(rhs, bool):
            v = self.elementwise_layout(x)
            c = b.scalar(rhs)
            t = b.ttype(v.stored_shape)
            name = b.generic(
                [(v.name, t, _identity_map(len(v.shape)))], v.stored_shape,
                lambda a: (["%%s = arith.addf %s, %s : f32" % (a[0], c)],
                           "%s"), hint)
            return _Value(name, v.shape, v.layout, v.chw)
        y = self.tensor(rhs, "operand")
        if x.shape != y.shape:
            self.fail("adding shapes %s and %s: broadcasting is not supported"
                      % (list(x.shape), list(y.shape)))
        if len(x.shape) == 4:
            x, y = self.as_nhwc(x), self.as_nhwc(y)
        elif not (x.layout == y.layout == _FLAT_NHWC and x.chw == y.chw):
            x, y = self.as_plain(x), self.as_plain(y)
        # A skip connection on a grid is added as levels (a residual).
        x, y = self.quantized_input(x), self.quantized_input(y)
        t = b.ttype(x.stored_shape)
        ident = _identity_map(len(x.shape))
        name = b.generic([(x.name, t, ident), (y.name, t, ident)],
                         x.stored_shape,
                         lambda a: (["%%s = arith.addf %s, %s : f32"
                                     % (a[0], a[1])], "%s"), hint)
        return _Value(name, x.shape, x.layout, x.chw)

    def reshape(self, x, hint):
        """flatten / view / reshape, read from the propagated shapes."""
        b = self.b
        out = self.out_shape()
        if out == x.shape:
            return x
        if b.dynamic and out[0] != x.shape[0]:
            self.fail("the reshape changes the batch dimension")
        if (x.layout == _NHWC and len(out) == 2 and
                out[1] == int(np.prod(x.shape[1:]))):
            n, c, h, w = x.shape
            name = b.collapse(x.name, x.stored_shape, [[0], [1, 2, 3]], hint)
            if h * w == 1:  # NHWC and NCHW flatten alike
                return _Value(name, out, grid=x.grid)
            return _Value(name, out, _FLAT_NHWC, (c, h, w), x.grid)
        x = self.as_plain(x)
        groups = _reassociation(x.shape, out)
        if groups is not None and (not b.dynamic or groups[0] == [0]):
            return _Value(b.collapse(x.name, x.shape, groups, hint), out,
                          grid=x.grid)
        groups = _reassociation(out, x.shape)
        if groups is not None and (not b.dynamic or groups[0] == [0]):
            return _Value(b.expand(x.name, x.shape, out, groups, hint), out,
                          grid=x.grid)
        # Collapse all but the batch, then expand to the new shape.
        rest = int(np.prod(x.shape[1:]))
        flat = (x.shape[0], rest)
        src = x.name
        if len(x.shape) > 2:
            src = b.collapse(src, x.shape, [[0], list(range(1, len(x.shape)))],
                             hint + "_flat")
        elif len(x.shape) < 2:
            self.fail("cannot reshape a 1-D tensor")
        if out[0] != x.shape[0]:
            self.fail("reshapes that move elements across the batch "
                      "dimension are not supported")
        groups = [[0], list(range(1, len(out)))]
        return _Value(b.expand(src, flat, out, groups, hint), out,
                      grid=x.grid)

    def cat(self, tensors, dim, hint):
        b = self.b
        if not isinstance(tensors, (list, tuple)) or not tensors:
            self.fail("expected a list of tensors")
        vals = [self.tensor(t) for t in tensors]
        rank = len(vals[0].shape)
        dim = dim % rank
        if dim == 0 and b.dynamic:
            self.fail("concatenating along the batch dimension needs "
                      "dynamic_batch=False")
        if rank == 4:
            vals = [self.as_nhwc(v) for v in vals]
            mdim = _NCHW_TO_NHWC[dim]
        else:
            vals = [self.as_plain(v) for v in vals]
            mdim = dim
        out = self.out_shape()
        v0 = _Value("", out, vals[0].layout)
        name = b.fresh(hint)
        b.op("%s = tensor.concat dim(%d) %s : (%s) -> %s"
             % (name, mdim, ", ".join(v.name for v in vals),
                ", ".join(b.ttype(v.stored_shape) for v in vals),
                b.ttype(v0.stored_shape)))
        keys = {v.grid.key if v.grid else None for v in vals}
        grid = vals[0].grid if len(keys) == 1 else None
        return _Value(name, out, vals[0].layout, grid=grid)

    def max_pool(self, x, kernel, stride, padding, dilation, ceil_mode,
                 return_indices, hint):
        """Pads with -inf (torch's windows skip padding; a window always
        holds an input element), so ceil_mode is extra -inf padding."""
        b = self.b
        if return_indices:
            self.fail("return_indices=True is not supported")
        (kh, kw), (sh, sw), (ph, pw) = _pool_window(kernel, stride, padding)
        dh, dw = _pair(dilation, "dilation")
        v = self.as_nhwc(x)
        n, c, h, w = v.shape
        out = self.out_shape()
        oh, ow = out[2], out[3]
        extra_h = max(0, (oh - 1) * sh + dh * (kh - 1) + 1 - (h + 2 * ph))
        extra_w = max(0, (ow - 1) * sw + dw * (kw - 1) + 1 - (w + 2 * pw))
        src, shape = v.name, v.stored_shape
        if ph or pw or extra_h or extra_w:
            src, shape = b.pad(src, shape, (0, ph, pw, 0),
                               (0, ph + extra_h, pw + extra_w, 0),
                               float("-inf"), hint + "_pad")
        return self.pool("linalg.pooling_nhwc_max", src, shape, (kh, kw),
                         (sh, sw), (dh, dw), (n, oh, ow, c), float("-inf"),
                         hint, grid=v.grid)

    def pool(self, op, src, shape, window, strides, dilations, out_nhwc,
             init_value, hint, grid=None):
        b = self.b
        win = b.fresh("window")
        b.op("%s = tensor.empty() : %s" % (win, b.ttype(window, False)))
        init = b.fill(init_value, out_nhwc)
        name = b.fresh(hint)
        b.op("%s = %s %s ins(%s, %s : %s, %s) outs(%s : %s) -> %s"
             % (name, op, _window_attrs(strides, dilations), src, win,
                b.ttype(shape), b.ttype(window, False), init,
                b.ttype(out_nhwc), b.ttype(out_nhwc)))
        n, oh, ow, c = out_nhwc
        return _Value(name, (n, c, oh, ow), _NHWC, grid=grid)

    def divide(self, v, divisors, hint, per_position=None):
        """v / d for each d in divisors in turn (PyTorch's order), or by a
        constant [OH, OW] tensor of window sizes."""
        b = self.b
        t = b.ttype(v.stored_shape)
        inputs = [(v.name, t, _identity_map(4))]
        if per_position is not None:
            cst = b.dense(per_position, hint + "_count")
            inputs.append((cst, b.ttype(per_position.shape, False),
                           _map(4, ["d1", "d2"])))

        def body(a):
            lines, cur = [], a[0]
            for i, d in enumerate(divisors):
                lines.append("%%q%d = arith.divf %s, %s : f32"
                             % (i, cur, b.scalar(float(d))))
                cur = "%%q%d" % i
            if per_position is not None:
                lines.append("%%qp = arith.divf %s, %s : f32" % (cur, a[1]))
                cur = "%qp"
            return lines, cur

        name = b.generic(inputs, v.stored_shape, body, hint)
        return _Value(name, v.shape, _NHWC)

    def avg_pool(self, x, kernel, stride, padding, ceil_mode,
                 count_include_pad, divisor_override, hint):
        """Sum over the window (row-major, as PyTorch's CPU kernel) and one
        division by the window size, PyTorch's divisor."""
        b = self.b
        (kh, kw), (sh, sw), (ph, pw) = _pool_window(kernel, stride, padding)
        v = self.as_nhwc(x)
        n, c, h, w = v.shape
        out = self.out_shape()
        oh, ow = out[2], out[3]
        if ceil_mode and (oh != (h + 2 * ph - kh) // sh + 1 or
                          ow != (w + 2 * pw - kw) // sw + 1):
            self.fail("ceil_mode=True windows past the input are not "
                      "supported")
        src, shape = v.name, v.stored_shape
        if ph or pw:
            src, shape = b.pad(src, shape, (0, ph, pw, 0), (0, ph, pw, 0),
                               0.0, hint + "_pad")
        s = self.pool("linalg.pooling_nhwc_sum", src, shape, (kh, kw),
                      (sh, sw), (1, 1), (n, oh, ow, c), 0.0, hint + "_sum")
        if divisor_override:
            return self.divide(s, [divisor_override], hint)
        if count_include_pad or not (ph or pw):
            return self.divide(s, [kh * kw], hint)
        counts = np.zeros((oh, ow), np.float32)
        for i in range(oh):
            hs = max(i * sh - ph, 0)
            he = min(i * sh - ph + kh, h)
            for j in range(ow):
                ws = max(j * sw - pw, 0)
                we = min(j * sw - pw + kw, w)
                counts[i, j] = (he - hs) * (we - ws)
        return self.divide(s, [], hint, per_position=counts)

    def adaptive_avg_pool(self, x, hint):
        """1x1: PyTorch takes the mean (sum, then / (H*W)); exact divisors:
        its kernel divides the window sum by KH, then by KW."""
        v = self.as_nhwc(x)
        n, c, h, w = v.shape
        out = self.out_shape()
        oh, ow = out[2], out[3]
        if h % oh or w % ow:
            self.fail("adaptive pooling from %dx%d to %dx%d: only output "
                      "sizes that divide the input are supported"
                      % (h, w, oh, ow))
        kh, kw = h // oh, w // ow
        s = self.pool("linalg.pooling_nhwc_sum", v.name, v.stored_shape,
                      (kh, kw), (kh, kw), (1, 1), (n, oh, ow, c), 0.0,
                      hint + "_sum")
        if (oh, ow) == (1, 1):
            return self.divide(s, [h * w], hint)
        return self.divide(s, [d for d in (kh, kw) if d != 1] or [1], hint)


# ---------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------

def _as_tuple(example_inputs):
    if isinstance(example_inputs, torch.Tensor):
        return (example_inputs,)
    if isinstance(example_inputs, (tuple, list)) and all(
            isinstance(t, torch.Tensor) for t in example_inputs):
        return tuple(example_inputs)
    raise TypeError("example_inputs must be a tensor or a tuple of tensors, "
                    "got %s" % type(example_inputs).__name__)


def _check_hooks(model):
    """Forward hooks and pre-hooks change what a module computes, but the
    exporter reads layers' parameters (fx records a leaf as one call and
    never runs the root's hooks): they would be dropped silently."""
    from torch.nn.modules import module as torch_module
    if (torch_module._global_forward_hooks or
            torch_module._global_forward_pre_hooks):
        raise ExportError("global forward hooks are registered (torch.nn."
                          "modules.module.register_module_forward_hook or "
                          "_pre_hook); the export would drop them: remove "
                          "them before exporting")
    for name, m in model.named_modules():
        hooks = (list(m._forward_pre_hooks.values()) +
                 list(m._forward_hooks.values()))
        if hooks:
            names = ", ".join(getattr(h, "__qualname__", type(h).__name__)
                              for h in hooks)
            raise ExportError(
                "module '%s' (%s.%s) has forward hooks or pre-hooks (%s); "
                "the export would drop them: remove them before exporting "
                "(handle.remove(), torch.nn.utils.remove_weight_norm, "
                "remove_spectral_norm)" % (name or "<root>",
                                           type(m).__module__,
                                           type(m).__qualname__, names))


class _ShapeRecorder(torch.fx.Interpreter):
    """Runs the graph and records the shape of every tensor result."""

    def __init__(self, gm):
        super().__init__(gm)
        self.shapes = {}
        self.failed = None

    def run_node(self, n):
        try:
            result = super().run_node(n)
        except Exception as e:
            self.failed = (n, "%s: %s" % (type(e).__name__, e))
            raise
        if isinstance(result, torch.Tensor):
            self.shapes[n] = tuple(result.shape)
        return result

    def shapes_at(self, inputs, batch):
        """Shapes with the example batch cut to 1 or repeated to 2."""
        if batch == 1:
            inputs = tuple(t[:1].clone() for t in inputs)
        else:
            inputs = tuple(t.repeat((2,) + (1,) * (t.dim() - 1))
                           for t in inputs)
        try:
            self.run(*inputs)
        except Exception as e:
            if self.failed is None:
                raise
            node, error = self.failed
            raise ExportError(
                "with dynamic_batch=True the model must run at every batch "
                "size, but %s fails at batch %d (%s); export with "
                "dynamic_batch=False" % (_where(self.module, node), batch,
                                         error)) from e
        return self.shapes


def to_mlir(model, example_inputs, *, dynamic_batch=True, func_name="main"):
    """The model in eval mode as MLIR text: one `func.func @func_name` in
    potq's QAT input form (docs/QatInputForm.md, docs/Python.md "Export").

    model:          an nn.Module built from potq.nn and the supported
                    torch.nn layers and functions (exactly those classes, no
                    forward hooks); it is traced with torch.fx and run on
                    copies of example_inputs (in eval mode, restored
                    afterwards) for the shapes. A single layer is exported
                    as a one-layer network.
    example_inputs: a float32 tensor or a tuple of them (one per input of
                    forward), batch first.
    dynamic_batch:  the batch dimension is `?` (every input and result has
                    the batch as dimension 0, also when the model runs at
                    another batch size, which is checked); else the
                    example's size.
    Raises ExportError naming the module or node that has no export.
    """
    if not isinstance(model, nn.Module):
        raise TypeError("model must be a torch.nn.Module, got %s"
                        % type(model).__name__)
    if not isinstance(func_name, str) or not func_name.isidentifier():
        raise ValueError("func_name must be an identifier, got %r"
                         % (func_name,))
    inputs = _as_tuple(example_inputs)
    for i, t in enumerate(inputs):
        if t.dtype != torch.float32:
            raise ExportError("example input %d has dtype %s; potq exports "
                              "float32 graphs" % (i, t.dtype))
    _check_hooks(model)
    # fx traces a leaf root's own code (F.linear, the quantizer's maths);
    # as the one child of a Sequential it is exported as a layer.
    root = nn.Sequential(model) if _Tracer().is_leaf_module(model, "") \
        else model
    modes = {m: m.training for m in model.modules()}
    model.eval()
    try:
        try:
            graph = _Tracer().trace(root)
        except Exception as e:  # fx reports data-dependent control flow
            raise ExportError("torch.fx cannot trace %s: %s"
                              % (type(model).__name__, e)) from e
        gm = torch.fx.GraphModule(root, graph)
        params = [n.name for n in graph.nodes if n.op == "placeholder"]
        if len(params) != len(inputs):
            raise ExportError("%s.forward takes %d inputs (%s), "
                              "example_inputs has %d"
                              % (type(model).__name__, len(params),
                                 ", ".join(params), len(inputs)))
        potq_nn = _potq_nn()
        if potq_nn is not None:
            for name, m in model.named_modules():
                if isinstance(m, potq_nn.Quantizer) and not bool(
                        m.initialized):
                    raise ExportError(
                        "quantizer '%s' has no scale yet (run the model on "
                        "data or call set_scale before exporting)" % name)
        exporter = _Exporter(gm, inputs, dynamic_batch, func_name)
        exporter.batch = inputs[0].shape[0] if inputs[0].dim() else None
        # Copies: an in-place op of the model must not change the caller's
        # tensors.
        with torch.no_grad():
            ShapeProp(gm).propagate(*(t.detach().clone() for t in inputs))
            if dynamic_batch and all(
                    t.dim() and t.shape[0] == exporter.batch for t in inputs):
                other = 2 if exporter.batch == 1 else 1
                exporter.other_batch = (
                    other, _ShapeRecorder(gm).shapes_at(inputs, other))
        text = exporter.run()
    finally:
        for m, training in modes.items():
            m.training = training
    header = "// Exported by potq.export from %s (%s batch)\n" % (
        type(model).__name__, "dynamic" if dynamic_batch else "static")
    return header + text


def export(model, example_inputs, path, **kwargs):
    """Writes `to_mlir(model, example_inputs, **kwargs)` to `path`."""
    text = to_mlir(model, example_inputs, **kwargs)
    with open(path, "w") as f:
        f.write(text)
    return text
