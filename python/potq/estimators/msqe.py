"""`msqe`: scales chosen by minimising the mean squared quantization error,
with fixes for outliers and for scale instability (seed 003: Bae,
Zielinski, Chatterjee, "A closer look at hardware-friendly weight
quantization", arXiv 2210.03671).

The scale is not learned by gradient: every `update_interval` optimizer
steps (the `step` hook, potq.nn.estimator_step) it is set from the weight
by potq's own MSQE search, `potq._potq.choose_scale(method="msqe")` -- the
code `convert-qat-to-potq weight-scales=msqe` freezes weights with, so
training and compiler agree on what "the MSQE scale" is. The weight's
gradient is the clipped straight-through estimator.

The paper names two failure sources, sensitivity to outliers and unstable
convergence of the scale; its abstract gives no formulas, so potq fixes
them as follows (docs/Estimators.md):

  outliers:  the search sees the weight with |w| clipped, per scale value,
             at its `outlier_quantile` quantile c = the k-th smallest |w|,
             k = ceil(outlier_quantile * n). A few large weights then no
             longer drag the squared-error optimum (which weighs them
             quadratically) away from the bulk. 1.0 disables it.
  stability: the MSQE optimum of a weight that changes a little can jump
             between distant local minima. The scale moves geometrically
             toward the new optimum s*,
                 s <- s^m * s*^(1 - m)       (m = scale_momentum),
             an exponential moving average of log s, and only every
             `update_interval` steps. The first update sets s = s*.

Under DDP every rank holds the same weight after the optimizer step, and
the search is deterministic, so every rank computes the same scale.
"""

import math

import numpy as np
import torch

from potq import _potq
from potq.estimators._common import (check_float, check_int,
                                     require_role)
from potq.estimators.base import Estimator

__all__ = ["MSQE", "clip_outliers"]


def clip_outliers(w, quantile, axis):
    """w with |w| clipped at its `quantile` quantile, per index of `axis`
    (None: over the whole tensor): the k-th smallest |w| with
    k = ceil(quantile * n), n the elements per scale value. Non-finite
    values are left alone (choose_scale ignores them)."""
    if quantile >= 1.0 or w.numel() == 0:
        return w
    moved = w if axis is None else w.movedim(axis, 0)
    rows = moved.reshape(1 if axis is None else moved.shape[0], -1)
    mags = rows.abs()
    finite = torch.isfinite(rows)
    # Non-finite magnitudes sort last and are not counted in n.
    sorted_mags = torch.where(finite, mags, torch.full_like(mags, math.inf))
    sorted_mags = sorted_mags.sort(dim=1).values
    n = finite.sum(dim=1)
    k = torch.ceil(quantile * n.to(torch.float64)).to(torch.int64)
    k = k.clamp(min=1) - 1
    cap = sorted_mags.gather(1, k.unsqueeze(1))
    cap = torch.where(n.unsqueeze(1) > 0, cap, torch.full_like(cap, math.inf))
    clipped = torch.where(finite, torch.maximum(torch.minimum(rows, cap),
                                                -cap), rows)
    clipped = clipped.reshape(moved.shape)
    return clipped if axis is None else clipped.movedim(0, axis)


class MSQE(Estimator):
    """#qat.estimator<msqe, {update_interval = K, outlier_quantile = Q,
    scale_momentum = M}>. For weight quantizers with zero point 0.

    update_interval:  optimizer steps between scale updates, >= 1
                      (default 100: the search is ~1e8 projections for a
                      200k-weight layer).
    outlier_quantile: in (0, 1]; the quantile |w| is clipped at before the
                      search (default 0.999; 1 disables the clipping).
    scale_momentum:   m in [0, 1): s <- s^m s*^(1-m) (default 0.5; 0 takes
                      the new optimum at once).
    """

    kind = "msqe"
    learns_scale = False

    def __init__(self, update_interval=100, outlier_quantile=0.999,
                 scale_momentum=0.5):
        super().__init__()
        self.update_interval = check_int(self.kind, "update_interval",
                                         update_interval, lo=1)
        self.outlier_quantile = check_float(self.kind, "outlier_quantile",
                                            outlier_quantile, lo=0.0,
                                            hi=1.0, lo_open=True)
        self.scale_momentum = check_float(self.kind, "scale_momentum",
                                          scale_momentum, lo=0.0, hi=1.0,
                                          hi_open=True)
        # Scale updates done so far (checkpointed with the model).
        self.register_buffer("updates", torch.zeros((), dtype=torch.int64))

    def export_params(self):
        return {"update_interval": self.update_interval,
                "outlier_quantile": self.outlier_quantile,
                "scale_momentum": self.scale_momentum}

    def _check_quantizer(self, q):
        require_role(self.kind, q, "weight", "the scale is searched on the "
                     "weight tensor")
        if q.zero_point:
            raise ValueError("msqe: needs zero point 0 (SPEC section 5 scale "
                             "selection), got %d" % q.zero_point)

    def forward(self, x, scale, q):
        self._check_quantizer(q)
        return super().forward(x, scale, q)

    def backward(self, saved, grad_y, q):
        return grad_y * saved.inside().to(grad_y.dtype), None

    def optimal_scale(self, q, weight):
        """s*: potq's MSQE scale of `weight` after outlier clipping, shape
        [] or [channels] (float32)."""
        w = clip_outliers(weight.detach().to(torch.float32).cpu(),
                          self.outlier_quantile, q.axis)
        s = _potq.choose_scale(np.ascontiguousarray(w.numpy()),
                               q.encoding.mlir, method="msqe", axis=q.axis)
        return torch.as_tensor(np.asarray(s, dtype=np.float32))

    @torch.no_grad()
    def update(self, q, weight):
        """One scale update from `weight` (module docstring); returns the
        new scale."""
        self._check_quantizer(q)
        target = self.optimal_scale(q, weight).reshape(q.scale_raw.shape)
        target = target.to(q.scale_raw.device)
        if int(self.updates) == 0 or self.scale_momentum == 0.0:
            new = target
        else:
            m = self.scale_momentum
            old = q.scale().to(torch.float64)
            new = torch.exp(m * torch.log(old)
                            + (1.0 - m) * torch.log(target.double()))
            new = new.to(torch.float32)
        q.set_scale(new)
        self.updates += 1
        return new

    def step(self, q, weight, global_step):
        if weight is None:
            raise ValueError("msqe: the step hook got no weight; msqe is for "
                             "weight quantizers (QuantLinear, QuantConv2d)")
        if global_step % self.update_interval == 0:
            self.update(q, weight)
