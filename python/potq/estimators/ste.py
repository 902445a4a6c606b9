"""Straight-through estimators: `ste` and `clipped_ste`.

ste (Bengio, Leonard, Courville 2013):       dL/dx = g everywhere.
clipped_ste (as in Hubara et al. 2016):      dL/dx = g where lo <= t <= hi
                                             (t + Z inside the level range),
                                             0 elsewhere (and for NaN).
Neither gives the scale a gradient: the scale is not learned, so the owning
Quantizer keeps it as a buffer, fixed at its initialisation (`init_from`,
by default on the first batch) unless set explicitly. Use `lsq` to learn it.
"""

from potq.estimators.base import Estimator

__all__ = ["STE", "ClippedSTE"]


class STE(Estimator):
    """#qat.estimator<ste>: the identity gradient; no parameters."""

    kind = "ste"

    def backward(self, saved, grad_y, q):
        return grad_y, None


class ClippedSTE(Estimator):
    """#qat.estimator<clipped_ste>: the identity gradient inside the level
    range, zero outside (saturated elements stop learning)."""

    kind = "clipped_ste"

    def backward(self, saved, grad_y, q):
        return grad_y * saved.inside().to(grad_y.dtype), None
