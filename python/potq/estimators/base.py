"""The gradient-estimator interface of potq's fake quantization.

An `Estimator` is a torch module owned by one `potq.nn.Quantizer`. Its
forward VALUE is always the SPEC section 4 fake quantization
(`potq.functional.fake_quantize`, bit for bit); what differs between
estimators is the backward rule (and, for stochastic partial quantization,
which elements are quantized while training). Subclasses set `kind` (the
`#qat.estimator` spelling) and implement `backward`; the shared
`autograd.Function` below does the forward once and hands the backward a
`Saved` record with t = x / s and the levels.

The estimator's hyperparameters are exported in the attribute
`#qat.estimator<kind, {name = value, ...}>`; the names and types each kind
accepts are the table `potq::qat::estimatorParameters`
(lib/Dialect/Qat/IR/Estimators.cpp), checked by the verifier.
"""

import math

import torch

from potq.estimators._common import lsq_gradient_scale
from potq.functional import broadcast_scale, project_t

__all__ = ["Estimator", "Saved", "format_attr_value", "registry"]

_REGISTRY = {}


def registry():
    """kind -> Estimator subclass, for every estimator defined so far."""
    return dict(_REGISTRY)


def format_attr_value(name, value):
    """An estimator parameter as an MLIR attribute: bool -> true/false,
    int -> `N : i64`, float -> a round-trip decimal `: f64`, str -> a quoted
    string. Raises ValueError naming `name` for values MLIR cannot hold."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if not -2 ** 63 <= value < 2 ** 63:
            raise ValueError("estimator parameter %s = %d does not fit i64"
                             % (name, value))
        return "%d : i64" % value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("estimator parameter %s must be finite, got %r"
                             % (name, value))
        text = repr(value)  # shortest decimal that reads back to `value`
        # MLIR float literals need a '.' before any exponent ("1e-05" would
        # lex as the integer 1).
        if "." not in text:
            mantissa, _, exponent = text.partition("e")
            text = mantissa + ".0" + ("e" + exponent if exponent else "")
        return text + " : f64"
    if isinstance(value, str):
        if any(ord(c) < 0x20 or c in '"\\' for c in value):
            raise ValueError("estimator parameter %s: %r has characters the "
                             "attribute does not allow" % (name, value))
        return '"%s"' % value
    raise TypeError("estimator parameter %s must be bool, int, float or str, "
                    "got %s" % (name, type(value).__name__))


class Saved:
    """What the backward rule of one fake quantization sees.

    x:     the input, float32.
    s:     the scale broadcast against x (float32).
    t:     x / s in binary32 (the exact value the projection used).
    level: L - Z, float32 (exact integers).
    lo, hi: the level range minus Z, as floats.
    axis:  the per-channel axis (normalised to >= 0) or None.
    scale_shape: the shape of the scale tensor (for reducing gradients).
    """

    __slots__ = ("x", "s", "t", "level", "lo", "hi", "axis", "scale_shape")

    def inside(self):
        """lo <= t <= hi (t + Z within the level range); False for NaN."""
        return (self.t >= self.lo) & (self.t <= self.hi)

    def reduce_to_scale(self, contrib):
        """Sums an elementwise scale gradient to the scale's shape."""
        if self.axis is None:
            return contrib.sum().reshape(self.scale_shape)
        dims = [d for d in range(contrib.dim()) if d != self.axis]
        if not dims:
            return contrib.reshape(self.scale_shape)
        return contrib.sum(dim=dims).reshape(self.scale_shape)

    def lsq_scale_grad(self, grad_y, q, grad_scale=None, inside_term=None):
        """LSQ's scale gradient (Esser et al. 2020), reduced to the scale's
        shape: gs * sum g * term inside, gs * sum g * (L - Z) outside, with
        term = (L - Z) - t unless `inside_term` (a tensor of x's shape)
        replaces it, and gs = `grad_scale` or 1 / sqrt(n * Qp)
        (`_common.lsq_gradient_scale`). Non-finite terms (NaN inputs)
        contribute nothing. Every estimator that learns its scale the LSQ
        way uses this one rule."""
        term = self.level - self.t if inside_term is None else inside_term
        ds = torch.where(self.inside(), term, self.level)
        ds = torch.nan_to_num(ds, nan=0.0, posinf=0.0, neginf=0.0)
        return (self.reduce_to_scale(grad_y * ds)
                * lsq_gradient_scale(q, self.x, grad_scale))


class _FakeQuantFunction(torch.autograd.Function):
    """Forward: SPEC fake quantization; backward: `estimator.backward`."""

    @staticmethod
    def forward(ctx, x, scale, estimator, q):
        x32 = x.to(torch.float32)
        axis = None if q.axis is None else q.axis % max(x.dim(), 1)
        s = broadcast_scale(scale.to(torch.float32), x32, axis)
        t = x32 / s
        level = project_t(t, q.encoding, q.zero_point)
        y = level * s
        ctx.save_for_backward(x32, s, t, level)
        ctx.estimator = estimator
        ctx.q = q
        ctx.axis = axis
        ctx.scale_shape = scale.shape
        ctx.x_dtype = x.dtype
        return y.to(x.dtype)

    @staticmethod
    def backward(ctx, grad_y):
        saved = Saved()
        saved.x, saved.s, saved.t, saved.level = ctx.saved_tensors
        q = ctx.q
        saved.lo = float(q.encoding.lo - q.zero_point)
        saved.hi = float(q.encoding.hi - q.zero_point)
        saved.axis = ctx.axis
        saved.scale_shape = ctx.scale_shape
        grad_x, grad_s = ctx.estimator.backward(
            saved, grad_y.to(torch.float32), q)
        if grad_x is not None:
            grad_x = grad_x.to(ctx.x_dtype)
        if not ctx.needs_input_grad[1]:
            grad_s = None
        return grad_x, grad_s, None, None


class Estimator(torch.nn.Module):
    """Base class of potq's gradient estimators.

    Class attributes of a subclass:
      kind:         the `#qat.estimator` kind it implements (registered
                    under that name for `potq.estimators.get`).
      learns_scale: whether `backward` returns a scale gradient; a
                    Quantizer whose estimator does not learn its scale keeps
                    the scale as a buffer (set by `init_from` or `step`), so
                    optimizers and DDP never see an unused parameter.
      sets_scale:   whether `step` sets the scale from the weight (msqe).
                    A scale neither learned nor set is fixed at its
                    initialisation; potq.nn.QuantConv2d then rescales it
                    when BatchNorm folding changes the weight (bn=True).

    Methods a subclass may override:
      backward(saved, grad_y, q) -> (grad_x, grad_scale or None)   required
      forward(x, scale, q)       the default is the exact fake quantization
                                 with `backward` as its gradient
      export_params()            the parameters exported in the attribute
      step(q, weight_or_none, global_step)  after each optimizer step
    """

    kind = None
    learns_scale = False
    sets_scale = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # Only a class that names its own kind is registered, so a user may
        # subclass an estimator (to add a step hook, say) without a clash.
        if cls.__dict__.get("kind") is not None:
            if cls.kind in _REGISTRY and _REGISTRY[cls.kind] is not cls:
                raise TypeError("estimator kind %r defined twice (%s, %s)"
                                % (cls.kind, _REGISTRY[cls.kind].__name__,
                                   cls.__name__))
            _REGISTRY[cls.kind] = cls

    def forward(self, x, scale, q):
        """The fake-quantized x (value = functional.fake_quantize(x, scale,
        q.encoding, q.zero_point, q.axis) bit for bit); gradients from
        `backward`. `q` is the owning Quantizer."""
        return _FakeQuantFunction.apply(x, scale, self, q)

    def backward(self, saved, grad_y, q):
        """(dL/dx, dL/dscale) from dL/dy; `saved` is a `Saved`. dL/dscale
        has the scale's shape (use `saved.reduce_to_scale`), or is None."""
        raise NotImplementedError(
            "%s must implement backward" % type(self).__name__)

    def export_params(self):
        """name -> bool|int|float|str: the hyperparameters recorded in the
        attribute (only those set; defaults that depend on the tensor, such
        as LSQ's gradient scale, are left out)."""
        return {}

    def mlir_attr(self):
        """`#qat.estimator<kind>` or `#qat.estimator<kind, {a = 1 : i64}>`
        (keys sorted, as MLIR prints a dictionary)."""
        params = self.export_params()
        if not params:
            return "#qat.estimator<%s>" % self.kind
        body = ", ".join("%s = %s" % (k, format_attr_value(k, params[k]))
                         for k in sorted(params))
        return "#qat.estimator<%s, {%s}>" % (self.kind, body)

    def step(self, q, weight, global_step):
        """Called after each optimizer step (potq.nn.estimator_step) with the
        owning Quantizer, the tensor it quantizes if it quantizes a weight
        (the folded weight for a Conv+BN) or None, and the step count.
        Estimators that update state outside autograd (MSQE scales,
        ratio schedules) override it; the default does nothing."""

    def extra_repr(self):
        return ", ".join("%s=%r" % kv for kv in
                         sorted(self.export_params().items()))
