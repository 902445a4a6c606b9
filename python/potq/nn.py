"""PyTorch modules for quantization-aware training with potq numerics.

`Quantizer` is the one fake-quantization module (an encoding, a scale per
tensor or per channel, a zero point and a gradient estimator); the layers
below hold one for their weight (`.weight_quantizer`) or their output
(`QuantAct.quantizer`). Every forward value is SPEC section 4 bit for bit,
so the exported graph computes exactly what was trained.

Encodings are given as `potq.encodings.Encoding` objects or names ("pot4",
"apot3", "uniform8", "uint8", "nhot2", ...; see `potq.encodings`).
Estimators as a kind name ("ste", "clipped_ste", "lsq", ...) or an
`potq.estimators.Estimator` instance (one per quantizer).
"""

import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from potq import _potq, estimators
from potq.encodings import Encoding

__all__ = ["Quantizer", "QuantAct", "QuantIdentity", "QuantLinear",
           "QuantConv2d", "estimator_step", "SCALE_MIN"]

#: The smallest scale the parametrisation yields (binary32's smallest
#: normal number): the scale stays positive and finite whatever the update.
SCALE_MIN = float(torch.finfo(torch.float32).tiny)

# Activation calibration: the quantile of the data mapped to the extreme
# levels (outliers beyond it clamp) and the sample size bounding its cost.
ACT_QUANTILE = 0.9999
_QUANTILE_SAMPLES = 1 << 20

_INIT_METHODS = ("max", "msqe", "percentile", "lsq")


def _is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


class Quantizer(nn.Module):
    """Fake quantization onto a potq encoding with a learnable scale.

    Args:
      encoding:   Encoding or name.
      axis, channels: per-channel scales along dimension `axis` of the input
                  (`channels` values); both None for one scale per tensor.
      zero_point: int; nonzero only for per-tensor uniform encodings, and a
                  level (qat.fake_quant's rules).
      estimator:  kind name or Estimator (owned by this quantizer).
      scale:      initial scale (float, or a tensor of shape [] / [C]); None
                  initialises it from the first input (`init`).
      role:       "weight" or "activation": LSQ's n counts the elements per
                  scale value (weights) or per sample (activations, dim 0 is
                  the batch), and it picks the default `init`.
      init:       how the first input sets the scale when `scale` is None:
                  "msqe" (default for weights), "max", "percentile" (default
                  for activations) or "lsq"; see `init_from`.

    Scale parametrisation: the module stores p (`scale_raw`) and uses
    s = max(|p|, SCALE_MIN) in binary32, so an update can never make the
    scale zero, negative or NaN-producing; the gradient reaches p through
    |.| (sign(p) times dL/ds). p is an nn.Parameter when the estimator learns
    the scale (`estimator.learns_scale`, e.g. lsq) and a buffer otherwise.
    """

    def __init__(self, encoding, *, axis=None, channels=None, zero_point=0,
                 estimator="lsq", scale=None, role="weight", init=None):
        super().__init__()
        self.encoding = Encoding.get(encoding)
        if (axis is None) != (channels is None):
            raise ValueError("Quantizer: per-channel quantization needs both "
                             "axis and channels (got axis=%r, channels=%r)"
                             % (axis, channels))
        if axis is not None:
            if not _is_int(axis) or not _is_int(channels) or channels < 1:
                raise ValueError("Quantizer: axis must be an int and channels "
                                 "a positive int, got axis=%r, channels=%r"
                                 % (axis, channels))
            if zero_point:
                raise ValueError("Quantizer: a zero point is only allowed "
                                 "with one scale per tensor (axis=None)")
        self.axis = axis
        self.channels = channels
        self.zero_point = self.encoding.check_zero_point(zero_point)
        if role not in ("weight", "activation"):
            raise ValueError("Quantizer: role must be 'weight' or "
                             "'activation', got %r" % (role,))
        self.role = role
        if init is None:
            init = "msqe" if role == "weight" else "percentile"
        if init not in _INIT_METHODS:
            raise ValueError("Quantizer: init must be one of %s, got %r"
                             % (", ".join(_INIT_METHODS), init))
        self.init = init
        est = estimators.get(estimator)
        if getattr(est, "_potq_quantizer_bound", False):
            raise ValueError("Quantizer: estimator %s already belongs to "
                             "another Quantizer; create one per quantizer"
                             % type(est).__name__)
        est._potq_quantizer_bound = True
        self.estimator = est

        shape = () if channels is None else (channels,)
        raw = torch.ones(shape, dtype=torch.float32)
        initialized = scale is not None
        if scale is not None:
            raw = self._checked_scale(scale, shape)
        if est.learns_scale:
            self.scale_raw = nn.Parameter(raw)
        else:
            self.register_buffer("scale_raw", raw)
        # uint8, not bool: DDP broadcasts buffers and gloo has no bool type.
        self.register_buffer("initialized",
                             torch.tensor(initialized, dtype=torch.uint8))

    # -- scale ----------------------------------------------------------

    def _checked_scale(self, scale, shape):
        s = torch.as_tensor(scale, dtype=torch.float32).detach().clone()
        if s.numel() == 1 and shape == ():
            s = s.reshape(())
        if tuple(s.shape) != shape:
            raise ValueError("Quantizer: scale must have shape %s, got %s"
                             % (list(shape), list(s.shape)))
        if not bool(((s > 0) & torch.isfinite(s)).all()):
            raise ValueError("Quantizer: scale must be positive and finite, "
                             "got %s" % s.tolist())
        return s

    def scale(self):
        """The float32 scale(s) the forward uses: shape [] or [channels]."""
        return self.scale_raw.abs().clamp(min=SCALE_MIN)

    @torch.no_grad()
    def set_scale(self, scale):
        """Sets the scale (float or tensor of the scale's shape) and marks
        the quantizer initialised."""
        self.scale_raw.copy_(self._checked_scale(scale,
                                                 tuple(self.scale_raw.shape)))
        self.initialized.fill_(True)

    @property
    def qp(self):
        """max |L - Z| over the levels."""
        return self.encoding.max_magnitude(self.zero_point)

    def elements_per_scale(self, x):
        """How many elements of x one scale value quantizes (LSQ's n)."""
        if self.axis is not None:
            return x.numel() // max(x.shape[self.axis], 1)
        if self.role == "activation" and x.dim() > 1:
            return x[0].numel()
        return x.numel()

    # -- initialisation -------------------------------------------------

    @torch.no_grad()
    def init_from(self, x, method=None):
        """Sets the scale from data x (the tensor this quantizer sees).

        "max", "msqe": potq's own scale selection (SPEC section 5,
            `potq._potq.choose_scale`, the same code that freezes weights
            without a trained scale): max maps max|x| to the largest level,
            msqe minimises sum (x - s P(x))^2. Zero point 0 only.
        "percentile": the scale that maps the ACT_QUANTILE quantiles of x
            (both tails, 0.01% / 99.99%) to the extreme levels lo - Z and
            hi - Z, the larger of the two sides that have levels; robust to
            activation outliers. Per tensor; at most 2^20 evenly strided
            samples are used.
        "lsq": 2 mean|x| / sqrt(Qp), the LSQ paper's initialisation.
        A tensor of zeros gives scale 1. Under torch.distributed, activation
        scales are averaged over the ranks and weight scales are taken from
        rank 0, so every rank holds the same scale.
        """
        method = self.init if method is None else method
        if method not in _INIT_METHODS:
            raise ValueError("Quantizer.init_from: method must be one of %s, "
                             "got %r" % (", ".join(_INIT_METHODS), method))
        self._check_input(x)
        x = x.detach().to(torch.float32)
        if method in ("max", "msqe"):
            if self.zero_point:
                raise ValueError("Quantizer.init_from: method %r needs zero "
                                 "point 0; use 'percentile'" % method)
            s = _potq.choose_scale(x.cpu().numpy(), self.encoding.mlir,
                                   method=method, axis=self.axis)
            s = torch.as_tensor(np.asarray(s, dtype=np.float32))
        elif self.axis is not None:
            raise ValueError("Quantizer.init_from: method %r is per tensor; "
                             "use 'max' or 'msqe' for per-channel scales"
                             % method)
        elif method == "percentile":
            s = torch.tensor(self._percentile_scale(x))
        else:
            mean = x[torch.isfinite(x)].abs().mean() if x.numel() else 0.0
            s = torch.tensor(2.0 * float(mean) / math.sqrt(self.qp))
        s = torch.where((s > 0) & torch.isfinite(s), s, torch.ones_like(s))
        s = _sync_across_ranks(s.to(self.scale_raw.device),
                               average=self.role == "activation")
        self.set_scale(s.reshape(self.scale_raw.shape))

    def _percentile_scale(self, x):
        x = x[torch.isfinite(x)].flatten()
        if x.numel() == 0:
            return 1.0
        if x.numel() > _QUANTILE_SAMPLES:
            x = x[::-(-x.numel() // _QUANTILE_SAMPLES)]
        lo = float(torch.quantile(x, 1.0 - ACT_QUANTILE))
        hi = float(torch.quantile(x, ACT_QUANTILE))
        candidates = []
        if self.encoding.hi > self.zero_point and hi > 0:
            candidates.append(hi / (self.encoding.hi - self.zero_point))
        if self.encoding.lo < self.zero_point and lo < 0:
            candidates.append(lo / (self.encoding.lo - self.zero_point))
        return max(candidates) if candidates else 1.0

    # -- forward --------------------------------------------------------

    def _check_input(self, x):
        if not isinstance(x, torch.Tensor):
            raise TypeError("Quantizer: input must be a tensor, got %s"
                            % type(x).__name__)
        if self.axis is not None:
            if not -x.dim() <= self.axis < x.dim():
                raise ValueError("Quantizer: axis %d out of range for an "
                                 "input of shape %s"
                                 % (self.axis, list(x.shape)))
            if x.shape[self.axis] != self.channels:
                raise ValueError("Quantizer: input has %d channels along "
                                 "axis %d, the quantizer %d"
                                 % (x.shape[self.axis], self.axis,
                                    self.channels))

    def forward(self, x):
        """The fake-quantized x; the first call initialises an unset scale
        from x (`init`)."""
        self._check_input(x)
        if not bool(self.initialized):
            self.init_from(x)
        scale = self.scale()
        # |p| clamped is positive; only a non-finite p (a diverged update)
        # can break SPEC's finite-scale rule, and it would do so silently.
        if not bool(torch.isfinite(scale).all()):
            raise FloatingPointError(
                "Quantizer(%s): the scale is not finite (%s); training "
                "diverged" % (self.encoding.mlir,
                              scale.detach().cpu().tolist()))
        return self.estimator(x, scale, self)

    def extra_repr(self):
        words = [self.encoding.mlir]
        if self.axis is not None:
            words.append("axis=%d, channels=%d" % (self.axis, self.channels))
        if self.zero_point:
            words.append("zero_point=%d" % self.zero_point)
        words.append("role=%s" % self.role)
        return ", ".join(words)


def _sync_across_ranks(s, average):
    """The same scale on every rank of an initialised torch.distributed
    group: the mean (activations: each rank saw other data) or rank 0's
    (weights: identical already, up to the order of DDP's broadcast)."""
    dist = torch.distributed
    if not (dist.is_available() and dist.is_initialized()):
        return s
    s = s.clone()
    if average:
        dist.all_reduce(s)
        s /= dist.get_world_size()
    else:
        dist.broadcast(s, src=0)
    return s


class QuantAct(nn.Module):
    """Fake quantization of an activation, one scale per tensor.

    QuantAct("uint8") after a ReLU (unsigned levels 0..255), QuantAct("int8")
    / "uniform8" for signed activations; any encoding is accepted. Keyword
    arguments are those of Quantizer (estimator, scale, zero_point, init).
    The quantizer is `.quantizer`.
    """

    def __init__(self, encoding, *, estimator="lsq", scale=None,
                 zero_point=0, init=None):
        super().__init__()
        self.quantizer = Quantizer(encoding, zero_point=zero_point,
                                   estimator=estimator, scale=scale,
                                   role="activation", init=init)

    def forward(self, x):
        return self.quantizer(x)


#: Brevitas' name for the same module.
QuantIdentity = QuantAct


def _weight_quantizer(layer, encoding, per_channel, estimator, channels):
    if encoding is None:
        raise ValueError("%s: weight= (the weight encoding, e.g. 'apot4') is "
                         "required" % layer)
    if not isinstance(per_channel, bool):
        raise TypeError("%s: per_channel must be a bool, got %r"
                        % (layer, per_channel))
    if per_channel:
        return Quantizer(encoding, axis=0, channels=channels,
                         estimator=estimator, role="weight")
    return Quantizer(encoding, estimator=estimator, role="weight")


class QuantLinear(nn.Linear):
    """nn.Linear with a fake-quantized weight.

    weight=:      the weight encoding (Encoding or name), required.
    per_channel:  one scale per output feature (dim 0 of the [out, in]
                  weight) when True, else one per tensor.
    estimator=:   the weight quantizer's estimator.
    The bias stays float: potq quantizes it at compile time onto the
    accumulator grid sx * sw (SPEC section 8).
    Contract: module(x) == F.linear(x, module.weight_quantizer(w), b) with
    (w, b) = module.folded_weight_and_bias(), bit for bit.
    """

    def __init__(self, in_features, out_features, bias=True, *, weight=None,
                 per_channel=True, estimator="lsq", device=None, dtype=None):
        super().__init__(in_features, out_features, bias=bias,
                         device=device, dtype=dtype)
        self.weight_quantizer = _weight_quantizer(
            "QuantLinear", weight, per_channel, estimator, out_features)

    def folded_weight_and_bias(self):
        """(weight, bias): what the weight quantizer and the bias see."""
        return self.weight, self.bias

    def forward(self, x):
        w, b = self.folded_weight_and_bias()
        return F.linear(x, self.weight_quantizer(w), b)

    def _estimator_step(self, global_step):
        self.weight_quantizer.estimator.step(
            self.weight_quantizer, self.folded_weight_and_bias()[0].detach(),
            global_step)


class QuantConv2d(nn.Conv2d):
    """nn.Conv2d with a fake-quantized weight and optional BatchNorm folding.

    Conv arguments as nn.Conv2d (padding_mode must be 'zeros': potq pads
    with the zero point). weight=, per_channel= (one scale per output
    channel, dim 0 of the [out, in/groups, kh, kw] weight) and estimator= as
    QuantLinear.

    bn=True: the module owns `self.bn` (BatchNorm2d(out_channels, eps=bn_eps,
    momentum=bn_momentum)) and folds it the way of Krishnamoorthi 2018
    ("Quantizing deep convolutional networks for efficient inference",
    section 3.2; also torch.ao's ConvBn2d): the weight that is quantized is
    always w * gamma / sigma with sigma = sqrt(running_var + eps), so the
    quantized weight does not jitter with batch statistics. In training
    (unless `freeze_bn_stats()` was called) the output is
        bn(conv(x, Q(w * gamma / sigma)) * sigma / gamma + b)
    with bn using (and updating) the batch statistics, i.e. the result is
    batch-normalised exactly as in float training; with frozen statistics
    and in eval mode it is conv(x, Q(w_fold), b_fold) with
        w_fold = w * gamma / sigma,  b_fold = beta + (b - mean) * gamma / sigma
    (b = 0 without a conv bias). A channel with gamma = 0 makes the training
    form divide by zero: do not initialise gamma to 0.
    Contract, in eval mode: module(x) == F.conv2d(x, module.weight_quantizer(
    w_fold), b_fold, stride, padding, dilation, groups) bit for bit, with
    (w_fold, b_fold) = module.folded_weight_and_bias().
    """

    def __init__(self, in_channels, out_channels, kernel_size, stride=1,
                 padding=0, dilation=1, groups=1, bias=True,
                 padding_mode="zeros", *, weight=None, per_channel=True,
                 estimator="lsq", bn=False, bn_eps=1e-5, bn_momentum=0.1,
                 device=None, dtype=None):
        if padding_mode != "zeros":
            raise ValueError("QuantConv2d: padding_mode must be 'zeros' "
                             "(potq pads with the zero point), got %r"
                             % (padding_mode,))
        super().__init__(in_channels, out_channels, kernel_size,
                         stride=stride, padding=padding, dilation=dilation,
                         groups=groups, bias=bias, padding_mode=padding_mode,
                         device=device, dtype=dtype)
        self.weight_quantizer = _weight_quantizer(
            "QuantConv2d", weight, per_channel, estimator, out_channels)
        if not isinstance(bn, bool):
            raise TypeError("QuantConv2d: bn must be a bool, got %r" % (bn,))
        self.bn = (nn.BatchNorm2d(out_channels, eps=bn_eps,
                                  momentum=bn_momentum, device=device,
                                  dtype=dtype) if bn else None)
        self.bn_frozen = False

    def freeze_bn_stats(self, frozen=True):
        """Stops (or resumes) using and updating batch statistics in
        training: the folded form with running statistics is used, as in
        Krishnamoorthi 2018's late training phase."""
        if self.bn is None:
            raise ValueError("QuantConv2d.freeze_bn_stats: the layer has no "
                             "BatchNorm (bn=False)")
        self.bn_frozen = bool(frozen)
        return self

    def _bn_factor(self):
        """gamma / sigma (per output channel) from the running variance."""
        sigma = torch.sqrt(self.bn.running_var + self.bn.eps)
        return self.bn.weight / sigma

    def folded_weight_and_bias(self):
        """(w_fold, b_fold) with running statistics; (weight, bias) without
        BatchNorm."""
        if self.bn is None:
            return self.weight, self.bias
        factor = self._bn_factor()
        w = self.weight * factor.reshape(-1, 1, 1, 1)
        b = self.bias if self.bias is not None else torch.zeros_like(factor)
        return w, self.bn.bias + (b - self.bn.running_mean) * factor

    def _conv(self, x, w, b):
        return F.conv2d(x, w, b, self.stride, self.padding, self.dilation,
                        self.groups)

    def forward(self, x):
        w, b = self.folded_weight_and_bias()
        wq = self.weight_quantizer(w)
        if self.bn is None or not self.training or self.bn_frozen:
            return self._conv(x, wq, b)
        y = self._conv(x, wq, None) / self._bn_factor().reshape(1, -1, 1, 1)
        if self.bias is not None:
            y = y + self.bias.reshape(1, -1, 1, 1)
        return self.bn(y)

    def _estimator_step(self, global_step):
        self.weight_quantizer.estimator.step(
            self.weight_quantizer, self.folded_weight_and_bias()[0].detach(),
            global_step)

    def extra_repr(self):
        return super().extra_repr() + (", bn=True" if self.bn is not None
                                       else "")


def estimator_step(model, global_step):
    """Calls every estimator's `step` hook; call after each optimizer step.

    Weight quantizers get the (folded) weight they quantize; activation
    quantizers (QuantAct, or any Quantizer not owned by a quant layer) get
    None."""
    owned = set()
    for module in model.modules():
        if isinstance(module, (QuantLinear, QuantConv2d)):
            module._estimator_step(global_step)
            owned.add(id(module.weight_quantizer))
    for module in model.modules():
        if isinstance(module, Quantizer) and id(module) not in owned:
            module.estimator.step(module, None, global_step)
