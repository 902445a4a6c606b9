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

import contextlib
import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from potq import _potq, estimators
from potq.encodings import Encoding
from potq.functional import _FLOAT_TYPES

__all__ = ["Quantizer", "QuantAct", "QuantIdentity", "QuantLinear",
           "QuantConv2d", "estimator_step", "sync_scale_init", "SCALE_MIN"]

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
                  scale value (weights) or per scale value in one sample
                  (activations, dim 0 is the batch), and it picks the
                  default `init`.
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
        # Counts set_scale calls, so that a QuantConv2d can tell a scale
        # set from outside (re-derived) from the one it rescaled.
        self.scale_version = 0

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
        self.scale_version += 1

    @property
    def qp(self):
        """max |L - Z| over the levels."""
        return self.encoding.max_magnitude(self.zero_point)

    def elements_per_scale(self, x):
        """How many elements of x one scale value quantizes (LSQ's n): of
        the whole tensor for weights, of one sample for activations (dim 0
        is the batch, so n does not grow with the batch size; LSQ's paper
        counts the features of one sample)."""
        n = x.numel()
        if self.axis is not None:
            n //= max(x.shape[self.axis], 1)
        per_sample = self.role == "activation" and x.dim() > 1 and (
            self.axis is None or self.axis % x.dim() != 0)
        if per_sample:
            n //= max(x.shape[0], 1)
        return n

    # -- initialisation -------------------------------------------------

    @torch.no_grad()
    def init_from(self, x, method=None, *, sync=None):
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
        A tensor of zeros gives scale 1.

        sync: True makes the scale the same on every rank of the
        initialised torch.distributed group (a collective: every rank must
        make the same call): activation scales are averaged over the ranks,
        weight scales taken from rank 0. False is local, whatever the
        group. None (default) syncs only inside `sync_scale_init()`, which
        `potq.training.calibrate(..., distributed=True)` and
        `train_epoch` on a DistributedDataParallel model use; a lazy
        initialisation anywhere else never communicates, so a rank-0-only
        evaluation or export cannot hang.
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
        s = s.to(self.scale_raw.device)
        if _SYNC_INIT_DEPTH if sync is None else sync:
            s = _sync_across_ranks(s, average=self.role == "activation")
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
        if x.dtype not in _FLOAT_TYPES:
            # The element types of qat.fake_quant, as
            # potq.functional.fake_quantize requires.
            raise TypeError("Quantizer(%s): input must be float32, float16 "
                            "or bfloat16, got %s"
                            % (self.encoding.mlir, x.dtype))
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


# > 0 inside sync_scale_init(): scale initialisations synchronise the ranks.
_SYNC_INIT_DEPTH = 0


def _distributed():
    dist = torch.distributed
    return dist.is_available() and dist.is_initialized()


@contextlib.contextmanager
def sync_scale_init():
    """Within this block every scale initialisation (`init_from`, also the
    lazy one of a forward) makes the scale the same on every rank of the
    initialised torch.distributed group (`init_from`'s sync=True). Each
    initialisation is a collective, so every rank must run the same ones in
    the same order: use it around the same forward on every rank
    (`potq.training.calibrate(..., distributed=True)` does). Raises
    RuntimeError without an initialised group."""
    global _SYNC_INIT_DEPTH
    if not _distributed():
        raise RuntimeError("sync_scale_init: torch.distributed is not "
                           "initialised (init_process_group first)")
    _SYNC_INIT_DEPTH += 1
    try:
        yield
    finally:
        _SYNC_INIT_DEPTH -= 1


def _sync_across_ranks(s, average):
    """The same scale on every rank of the initialised torch.distributed
    group: the mean (activations: each rank saw other data) or rank 0's
    (weights: identical already, up to the order of DDP's broadcast)."""
    dist = torch.distributed
    if not _distributed():
        raise RuntimeError("Quantizer.init_from: sync=True needs an "
                           "initialised torch.distributed group")
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


_INT32_MIN, _INT32_MAX = -2 ** 31, 2 ** 31 - 1


class _BiasOnGrid(torch.autograd.Function):
    """b -> L * s with L = P(b / s) on the i32 grid: the bias as
    potq-fuse-contractions freezes it (numerics::projectToIntegerRange,
    through the extension); straight-through for b."""

    @staticmethod
    def forward(ctx, b, s):
        levels = _potq.project_to_integer_range(
            np.ascontiguousarray(b.detach().cpu().numpy(), np.float32),
            np.ascontiguousarray(s.detach().cpu().numpy(), np.float32),
            _INT32_MIN, _INT32_MAX, axis=0)
        return torch.from_numpy(levels).to(b.device, torch.float32) * s

    @staticmethod
    def backward(ctx, grad):
        return grad, None


class _InputGrid:
    """The accumulator-grid bias of QuantLinear and QuantConv2d.

    `set_input_quantizer(q)` names the per-tensor Quantizer whose output
    this layer reads (not registered as a child: it belongs to the model
    elsewhere). The (folded) bias is then fake-quantized onto the grid
    sx * sw[c] (binary32 product) the compiler freezes it to, so that the
    float graph and the integer code add the same bias. Without it the
    compiler rounds the float bias by up to half an accumulator unit; a
    constant input region (an image's background) then puts every position
    of a channel on the other side of an output rounding boundary when
    b / sy lies that close to one, which LSQ's scale gradient tends to make
    happen. Until both quantizers have a scale the bias stays float."""

    def set_input_quantizer(self, quantizer):
        if quantizer is not None:
            if not isinstance(quantizer, Quantizer):
                raise TypeError("%s.set_input_quantizer: expected a "
                                "potq.nn.Quantizer or None, got %s"
                                % (type(self).__name__,
                                   type(quantizer).__name__))
            if quantizer.axis is not None:
                raise ValueError("%s.set_input_quantizer: the input "
                                 "quantizer must have one scale per tensor"
                                 % type(self).__name__)
        object.__setattr__(self, "_input_quantizer", quantizer)
        return self

    @property
    def input_quantizer(self):
        return self.__dict__.get("_input_quantizer")

    def _on_grid(self, b):
        q = self.input_quantizer
        if (b is None or q is None or not bool(q.initialized)
                or not bool(self.weight_quantizer.initialized)):
            return b
        s = q.scale().detach() * self.weight_quantizer.scale().detach()
        return _BiasOnGrid.apply(b, s.expand(b.shape).contiguous())


class QuantLinear(_InputGrid, nn.Linear):
    """nn.Linear with a fake-quantized weight.

    weight=:      the weight encoding (Encoding or name), required.
    per_channel:  one scale per output feature (dim 0 of the [out, in]
                  weight) when True, else one per tensor.
    estimator=:   the weight quantizer's estimator.
    The bias stays float: potq quantizes it at compile time onto the
    accumulator grid sx * sw (SPEC section 8); after
    `set_input_quantizer(q)` (q: the Quantizer of the input) it is
    fake-quantized onto that grid in training too (see _InputGrid).
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
        """(weight, bias): what the weight quantizer and the bias see (the
        bias on the accumulator grid after set_input_quantizer)."""
        return self.weight, self._on_grid(self.bias)

    def forward(self, x):
        w, b = self.folded_weight_and_bias()
        return F.linear(x, self.weight_quantizer(w), b)


class QuantConv2d(_InputGrid, nn.Conv2d):
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

    Fixed weight scales under folding. An estimator that neither learns nor
    sets its scale (ste, clipped_ste, qerror_aware with learned_clip=False)
    keeps the scale it was initialised with. With bn=True the quantized
    weight is w * gamma / sigma, which grows or shrinks per channel as the
    running variance and gamma change; a scale fixed at the first batch
    would then clip most of the weight (or waste its levels). potq folds
    the BatchNorm factor into such a scale exactly as into the weight: the
    scale of channel c is rescaled by |f_c now / f_c then|, f = gamma /
    sigma, at every `estimator_step` (`refold_weight_scale`), so w / s,
    hence the quantization of the layer's own weight w, is what it was at
    initialisation, as without BatchNorm. f at the last derivation or
    rescaling is the buffer `weight_scale_fold`. A scale set from outside
    (`init_from`, `set_scale`, `calibrate(reinit=True)`) is taken to belong
    to the fold at that time. This needs one scale per channel: bn=True
    with a fixed per-tensor scale is a ValueError.
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
        est = self.weight_quantizer.estimator
        refold = bn and not est.learns_scale and not est.sets_scale
        if refold and not per_channel:
            raise ValueError(
                "QuantConv2d: bn=True with a fixed weight scale (estimator "
                "%s) needs per_channel=True: BatchNorm folding rescales each "
                "output channel differently, which one scale per tensor "
                "cannot follow; use per_channel=True or an estimator that "
                "learns or sets the scale (lsq, msqe, ...)"
                % type(est).__name__)
        # |gamma / sigma| per channel for which the fixed weight scale holds
        # (refold_weight_scale); None when the scale is learned or set.
        self.register_buffer(
            "weight_scale_fold",
            torch.zeros(out_channels, device=device) if refold else None)
        self._fold_version = None

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

    @torch.no_grad()
    def _record_fold(self):
        """The current |gamma / sigma| becomes the fold the fixed weight
        scale belongs to (where it is positive and finite)."""
        now = self._bn_factor().detach().abs().to(torch.float32)
        ok = (now > 0) & torch.isfinite(now)
        self.weight_scale_fold.copy_(torch.where(ok, now,
                                                 self.weight_scale_fold))
        self._fold_version = self.weight_quantizer.scale_version

    @torch.no_grad()
    def refold_weight_scale(self):
        """Rescales a fixed weight scale (class docstring) to the current
        BatchNorm fold: s_c *= |f_c now| / |f_c recorded|. Called by
        `estimator_step`; call it after changing BatchNorm statistics or
        gamma outside training. No-op without BatchNorm, for learned or
        set scales, and before the scale is initialised. A channel whose
        factor is 0 or not finite keeps its scale."""
        q = self.weight_quantizer
        if self.weight_scale_fold is None or not bool(q.initialized):
            return
        if self._fold_version != q.scale_version:
            self._record_fold()  # a scale set for the current fold
            return
        ref = self.weight_scale_fold
        now = self._bn_factor().detach().abs().to(torch.float32)
        ok = (now > 0) & torch.isfinite(now) & (ref > 0)
        ratio = torch.where(ok, now / torch.where(ok, ref, now.new_ones(())),
                            now.new_ones(()))
        q.set_scale((q.scale() * ratio).clamp(min=SCALE_MIN))
        self._record_fold()

    def folded_weight_and_bias(self):
        """(w_fold, b_fold) with running statistics; (weight, bias) without
        BatchNorm. The bias on the accumulator grid after
        set_input_quantizer."""
        if self.bn is None:
            return self.weight, self._on_grid(self.bias)
        factor = self._bn_factor()
        w = self.weight * factor.reshape(-1, 1, 1, 1)
        b = self.bias if self.bias is not None else torch.zeros_like(factor)
        return w, self._on_grid(self.bn.bias
                                + (b - self.bn.running_mean) * factor)

    def _conv(self, x, w, b):
        return F.conv2d(x, w, b, self.stride, self.padding, self.dilation,
                        self.groups)

    def forward(self, x):
        w, b = self.folded_weight_and_bias()
        wq = self.weight_quantizer(w)
        if (self.weight_scale_fold is not None
                and self._fold_version != self.weight_quantizer.scale_version):
            self._record_fold()  # the scale was (re)derived from this fold
        if self.bn is None or not self.training or self.bn_frozen:
            return self._conv(x, wq, b)
        y = self._conv(x, wq, None) / self._bn_factor().reshape(1, -1, 1, 1)
        if self.bias is not None:
            y = y + self.bias.reshape(1, -1, 1, 1)
        return self.bn(y)

    def extra_repr(self):
        return super().extra_repr() + (", bn=True" if self.bn is not None
                                       else "")


def estimator_step(model, global_step):
    """Calls every estimator's `step` hook; call after each optimizer step.

    Weight quantizers get the (folded) weight they quantize; activation
    quantizers (QuantAct, or any Quantizer not owned by a quant layer) get
    None. A QuantConv2d(bn=True) with a fixed weight scale first rescales it
    to the current fold (`QuantConv2d.refold_weight_scale`)."""
    owned = set()
    for module in model.modules():
        if isinstance(module, (QuantLinear, QuantConv2d)):
            if isinstance(module, QuantConv2d):
                module.refold_weight_scale()
            wq = module.weight_quantizer
            wq.estimator.step(wq, module.folded_weight_and_bias()[0].detach(),
                              global_step)
            owned.add(id(wq))
    for module in model.modules():
        if isinstance(module, Quantizer) and id(module) not in owned:
            module.estimator.step(module, None, global_step)
