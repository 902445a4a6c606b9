"""`lg_lsq`: learned gradient linear symmetric quantization (LG-LSQ,
seed 002: Lin et al. 2022), generalised to any potq level set.

The forward is the exact SPEC projection. The backward differentiates a
smooth stand-in for it, the arctangent soft round (ASR). Between adjacent
levels a <= t <= b (after subtracting Z), with d = b - a and u = (t - a) / d,

    R(t)  = a + d * (1/2 + atan(alpha (u - 1/2)) / (2 atan(alpha / 2)))
    R'(t) = alpha / (2 atan(alpha / 2) * (1 + alpha^2 (u - 1/2)^2))

R passes through every level, is steepest at the midpoints where the
projection jumps, never has zero slope inside the range (the point of ASR
against a zero-gradient round), and its slope averages exactly 1 over each
interval (as the STE's). R' is continuous at the levels, so R is C^1 inside
[lo, hi]; outside, R is the clamped extreme and R' = 0.

    dL/dx = g * R'(t)                                         (ASR)
    dL/ds = grad_scale * sum g * (V - t R'(t))   inside       (SSG)
                         sum g * (L - Z)         outside
    V     = L - Z   with mde=True (MDE), R(t) with mde=False

SSG is the derivative of the simulated quantizer s * R(x / s) with respect
to s; with mde=False the whole backward is the exact gradient of s * R(x/s)
(up to grad_scale on the scale). MDE puts the real level L - Z, hence the
real discretization error (L - Z) - t, in place of the simulated value
R(t): as alpha -> 0 (R' -> 1) this is LSQ's rule exactly, and as
alpha -> inf it is the exact derivative of s * (L - Z) with the levels held.
docs/Estimators.md states which parts of this the abstract leaves open.
"""

import math

import torch

from potq.estimators._common import check_bool, check_float
from potq.estimators.base import Estimator

__all__ = ["LGLSQ", "soft_round", "soft_round_derivative"]

_LEVELS = {}


def _level_table(q, dtype, device):
    """The sorted levels minus Z of Quantizer q as a 1-D tensor."""
    key = (q.encoding.mlir, q.zero_point, dtype, str(device))
    table = _LEVELS.get(key)
    if table is None:
        table = torch.tensor([v - q.zero_point for v in q.encoding.levels],
                             dtype=dtype, device=device)
        _LEVELS[key] = table
    return table


def _interval(t, levels):
    """(a, d, u, inside) for each t: the level interval [a, a + d] holding
    t, the position u in it, and whether lo <= t <= hi."""
    inside = (t >= levels[0]) & (t <= levels[-1])
    k = torch.bucketize(t.detach(), levels, right=True) - 1
    k = k.clamp(min=0, max=levels.numel() - 2)
    a = levels[k]
    d = levels[k + 1] - a
    u = (t - a) / d
    return a, d, u, inside


def soft_round(t, levels, alpha):
    """R(t): the arctangent soft round onto `levels` (sorted 1-D tensor of
    the dtype of t), clamped outside [levels[0], levels[-1]]. Differentiable
    by autograd (the tests compare its gradient with
    `soft_round_derivative`). NaN stays NaN."""
    a, d, u, _ = _interval(t, levels)
    # 1 + atan(.)/atan(alpha/2) is exactly 0 at u = 0 and 2 at u = 1 (atan
    # is odd), so R hits the levels exactly.
    half = torch.atan(torch.full((), alpha / 2.0, dtype=u.dtype,
                                 device=u.device))
    step = 1.0 + torch.atan(alpha * (u - 0.5)) / half
    r = a + d * 0.5 * step
    r = torch.where(t < levels[0], levels[0], r)
    return torch.where(t > levels[-1], levels[-1], r)


def soft_round_derivative(t, levels, alpha):
    """R'(t): the ASR slope inside [levels[0], levels[-1]], 0 outside and
    for NaN."""
    _, _, u, inside = _interval(t, levels)
    norm = 2.0 * math.atan(alpha / 2.0)
    slope = alpha / (norm * (1.0 + (alpha * (u - 0.5)) ** 2))
    return torch.where(inside, slope, torch.zeros_like(slope))


class LGLSQ(Estimator):
    """#qat.estimator<lg_lsq, {asr_alpha = A, mde = M[, grad_scale = G]}>.

    asr_alpha:  ASR sharpness alpha > 0 (default 4: the slope runs from
                0.36 at the levels to 1.81 at the midpoints). Small alpha
                tends to the STE, large alpha to the hard round.
    mde:        use the real discretization error in the scale gradient
                (default True; module docstring).
    grad_scale: fixed factor on dL/ds; None (default) is LSQ's
                1 / sqrt(n * Qp), which depends on the tensor and is not
                exported.
    """

    kind = "lg_lsq"
    learns_scale = True

    def __init__(self, grad_scale=None, asr_alpha=4.0, mde=True):
        super().__init__()
        self.grad_scale = check_float(self.kind, "grad_scale", grad_scale,
                                      lo=0.0, lo_open=True, allow_none=True)
        self.asr_alpha = check_float(self.kind, "asr_alpha", asr_alpha,
                                     lo=0.0, lo_open=True)
        self.mde = check_bool(self.kind, "mde", mde)

    def export_params(self):
        params = {"asr_alpha": self.asr_alpha, "mde": self.mde}
        if self.grad_scale is not None:
            params["grad_scale"] = self.grad_scale
        return params

    def backward(self, saved, grad_y, q):
        levels = _level_table(q, saved.t.dtype, saved.t.device)
        slope = soft_round_derivative(saved.t, levels, self.asr_alpha)
        grad_x = grad_y * slope
        value = (saved.level if self.mde
                 else soft_round(saved.t, levels, self.asr_alpha))
        return grad_x, saved.lsq_scale_grad(
            grad_y, q, self.grad_scale, inside_term=value - saved.t * slope)
