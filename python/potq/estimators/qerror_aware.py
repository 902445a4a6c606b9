"""`qerror_aware`: quantization-error-aware gradient estimation for POT and
APoT weights with a learned clipping scale (seed 000: Tesfai, Saleh,
Al-Qutayri, Mohammad, Stouraitis, IEEE Access 11, 2023).

The abstract asks for a gradient that "manoeuvres the weight update to be as
close to the projection steps as possible" and a clipping/scale "learned
jointly with the model parameters to minimize quantization error". The
authors' code (github.com/KM1621/QuantPOT) does both by backpropagating a
second loss, the squared error between the weights and their projection,
next to the task loss. potq folds that into the estimator: the backward is
the task gradient through the straight-through estimator plus the exact
gradient of the penalty

    E = alpha / 2 * sum (x - y)^2,     y = s (P(x) - Z) the forward value.

    dL/dx = g + alpha (x - y)                       (weights; not clipped)
    dL/ds = grad_scale * sum g * ((L - Z) - t)   inside
                         sum g * (L - Z)         outside
            - alpha * sum (x - y) (L - Z)                   (learned_clip)

alpha (x - y) is dE/dx almost everywhere (y is piecewise constant in x): an
SGD step moves each weight a fraction lr * alpha of the way to its
projection, which is the "update toward the projection". -alpha sum
(x - y)(L - Z) is dE/ds with the levels held (exact almost everywhere), so
the scale, i.e. the clipping threshold s * Qp, descends the quantization
error while the task term (LSQ's rule, Esser et al. 2020, as the authors'
code uses for its clipping parameter) keeps it useful to the loss. The
weight gradient is not clipped: as in the authors' code, weights beyond the
clipping threshold keep the task gradient, and the penalty pulls them back
to the threshold. Per-channel scales (the paper's remedy for the rigid POT
resolution) are the Quantizer's axis; every sum above runs per channel.

For an activation quantizer (role "activation") the penalty trains only the
scale: pulling activations toward levels would change the previous layers,
which the paper does not do.
"""

import torch

from potq.estimators._common import check_bool, check_float
from potq.estimators.base import Estimator

__all__ = ["QErrorAware"]


class QErrorAware(Estimator):
    """#qat.estimator<qerror_aware, {alpha = A, learned_clip = C}>.

    alpha:        weight of the quantization-error penalty, >= 0
                  (default 0.01; 0 is plain STE with an LSQ scale).
    learned_clip: learn the scale (the clipping threshold s * Qp) by
                  gradient (default True); False keeps the Quantizer's
                  initial scale (a buffer) and returns no scale gradient.
    """

    kind = "qerror_aware"

    def __init__(self, alpha=0.01, learned_clip=True):
        super().__init__()
        self.alpha = check_float(self.kind, "alpha", alpha, lo=0.0)
        self.learned_clip = check_bool(self.kind, "learned_clip",
                                       learned_clip)
        # Read by the Quantizer: a Parameter scale only when it is learned.
        self.learns_scale = self.learned_clip

    def export_params(self):
        return {"alpha": self.alpha, "learned_clip": self.learned_clip}

    def backward(self, saved, grad_y, q):
        y = saved.level * saved.s
        err = torch.nan_to_num(saved.x - y, nan=0.0, posinf=0.0,
                               neginf=0.0)
        grad_x = grad_y
        if q.role == "weight" and self.alpha:
            grad_x = grad_y + self.alpha * err
        if not self.learned_clip:
            return grad_x, None
        task = saved.lsq_scale_grad(grad_y, q)
        penalty = saved.reduce_to_scale(err * saved.level)
        return grad_x, task - self.alpha * penalty
