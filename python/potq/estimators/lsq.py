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

from potq.estimators._common import check_float
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
        self.grad_scale = check_float(self.kind, "grad_scale", grad_scale,
                                      lo=0.0, lo_open=True, allow_none=True)

    def export_params(self):
        if self.grad_scale is None:
            return {}
        return {"grad_scale": self.grad_scale}

    def backward(self, saved, grad_y, q):
        grad_x = grad_y * saved.inside().to(grad_y.dtype)
        return grad_x, saved.lsq_scale_grad(grad_y, q, self.grad_scale)
