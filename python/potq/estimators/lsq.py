"""`lsq`: learned step size quantization (Esser et al., ICLR 2020),
generalised to any potq level set and zero point.

    dL/dx = g                 where lo <= t <= hi, else 0    (clipped STE)
    dL/ds = g * ((L - Z) - t) inside,  g * (L - Z) outside   summed per scale
            times grad_scale

with t = x / s and lo, hi the level range minus Z. `grad_scale` defaults to
the paper's 1 / sqrt(n * Qp): n the number of elements one scale value
quantizes (per output channel for weights, per sample for activations) and
Qp = max |L - Z|. NaN inputs contribute nothing to dL/ds.
"""

import math

import torch

from potq.estimators.base import Estimator

__all__ = ["LSQ"]


class LSQ(Estimator):
    """#qat.estimator<lsq[, {grad_scale = G : f64}]>.

    grad_scale: a fixed factor on the scale gradient; None (the default)
    uses 1 / sqrt(n * Qp), which depends on the tensor and is therefore not
    exported.
    """

    kind = "lsq"
    learns_scale = True

    def __init__(self, grad_scale=None):
        super().__init__()
        if grad_scale is not None:
            if isinstance(grad_scale, bool) or not isinstance(
                    grad_scale, (int, float)):
                raise TypeError("lsq: grad_scale must be a float or None, "
                                "got %r" % (grad_scale,))
            grad_scale = float(grad_scale)
            if not (math.isfinite(grad_scale) and grad_scale > 0):
                raise ValueError("lsq: grad_scale must be positive and "
                                 "finite, got %r" % grad_scale)
        self.grad_scale = grad_scale

    def export_params(self):
        if self.grad_scale is None:
            return {}
        return {"grad_scale": self.grad_scale}

    def gradient_scale(self, q, x):
        """The factor on dL/ds for input x of Quantizer q."""
        if self.grad_scale is not None:
            return self.grad_scale
        n = max(q.elements_per_scale(x), 1)
        return 1.0 / math.sqrt(n * q.qp)

    def backward(self, saved, grad_y, q):
        inside = saved.inside()
        grad_x = grad_y * inside.to(grad_y.dtype)
        ds = torch.where(inside, saved.level - saved.t, saved.level)
        ds = torch.nan_to_num(ds, nan=0.0, posinf=0.0, neginf=0.0)
        grad_s = saved.reduce_to_scale(grad_y * ds)
        return grad_x, grad_s * self.gradient_scale(q, saved.x)
