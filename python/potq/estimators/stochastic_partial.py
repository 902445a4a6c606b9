"""`stochastic_partial`: stochastic quantization (SQ, seed 004: Dong, Ni,
Li, Chen, Zhu, Su, "Learning accurate low-bit deep neural networks with
stochastic quantization", BMVC 2017).

In training, only a portion of the weight is quantized at each step; the
rest stays in float. Elements (mode "element") or filters (mode "filter":
the slices along the Quantizer's axis, dimension 0 -- the output channels
-- for a per-tensor scale) are chosen with probability inversely
proportional to their quantization error:

    e_i = |W_i - Q_i|_1 / |W_i|_1           (0 when W_i is all zeros)
    f_i = 1 / (e_i + eps),   p_i = f_i / sum_j f_j

and N_q = round(r * m) of the m units are drawn without replacement in
proportion to p (the paper's roulette selection). potq draws them with the
equivalent one-pass rule of Efraimidis and Spirakis (2006): unit i gets the
key log(u_i) * (e_i + eps) with u_i uniform in (0, 1), and the N_q largest
keys are quantized; sequential roulette draws without replacement and this
rule give the same distribution over selections. u_i comes from
Philox-4x32-10 keyed by `seed` and counted by (unit index, global step)
(potq.estimators.philox, SPEC section 9), so the selection depends only on
(seed, step, weight): every DDP rank makes the same choice, and no RNG
state needs synchronising or checkpointing.

The ratio r follows the schedule `ratios` (default 50%, 75%, 87.5%, 100%,
the paper's), one entry per `stage_steps` optimizer steps, and must end at
100%. In eval mode, and once r = 1, the forward is the exact fake
quantization of the whole tensor, so evaluation and export always see the
fully quantized weight.

Gradients: y = m * Q(x) + (1 - m) * x with the 0/1 selection mask m. The
float part passes g; the quantized part uses the straight-through
estimator (dL/dx = g, as the paper's update of the real-valued weights),
so dL/dx = g everywhere. The scale is learned by LSQ's rule (Esser et al.
2020) from the quantized part only (the float part does not depend on it).
"""

import math

import numpy as np
import torch

from potq.estimators import philox
from potq.estimators._common import check_float, check_int, require_role
from potq.estimators.base import Estimator
from potq.functional import fake_quantize

__all__ = ["StochasticPartial", "selection_mask", "unit_errors"]

MODES = ("element", "filter")
DEFAULT_RATIOS = (0.5, 0.75, 0.875, 1.0)


def unit_errors(x, y, mode, axis):
    """e_i = |x_i - y_i|_1 / |x_i|_1 per unit (float64, 1-D): per element
    (flattened in C order) or per slice along `axis` (mode "filter"). A
    unit whose x is all zeros has error 0."""
    x = x.detach().to(torch.float64)
    diff = (x - y.detach().to(torch.float64)).abs()
    mag = x.abs()
    if mode == "filter":
        dims = [d for d in range(x.dim()) if d != axis]
        diff = diff.sum(dim=dims) if dims else diff
        mag = mag.sum(dim=dims) if dims else mag
    diff, mag = diff.reshape(-1), mag.reshape(-1)
    safe = torch.where(mag > 0, mag, torch.ones_like(mag))
    return torch.where(mag > 0, diff / safe, torch.zeros_like(diff))


def selection_mask(errors, ratio, seed, step, eps):
    """Which units to quantize: a bool array of len(errors) with
    round(ratio * m) entries set, drawn as described in the module
    docstring. Deterministic in (errors, ratio, seed, step, eps)."""
    errors = np.asarray(errors, dtype=np.float64)
    m = errors.size
    count = int(math.floor(ratio * m + 0.5))
    mask = np.zeros(m, dtype=bool)
    if count >= m:
        mask[:] = True
        return mask
    if count <= 0:
        return mask
    u = philox.uniform(seed, step, m)
    with np.errstate(invalid="ignore"):
        keys = np.log(u) * (errors + eps)
    keys = np.where(np.isnan(keys), -np.inf, keys)  # non-finite errors last
    order = np.argsort(-keys, kind="stable")
    mask[order[:count]] = True
    return mask


class StochasticPartial(Estimator):
    """#qat.estimator<stochastic_partial, {mode = M, ratio = R, seed = S}>
    (R the current ratio). For weight quantizers.

    mode:        "filter" (default) or "element".
    ratios:      the quantized fraction per stage, non-decreasing in (0, 1],
                 ending at 1 (default 0.5, 0.75, 0.875, 1).
    stage_steps: optimizer steps per stage, >= 1 (default 1000).
    seed:        Philox key, in [0, 2^63) (default 0).
    eps:         the eps of f = 1 / (e + eps), > 0 (default 1e-8).

    The schedule reads the global step given to the `step` hook
    (potq.nn.estimator_step after each optimizer step); without it the
    step stays 0 and every iteration draws the same selection.
    """

    kind = "stochastic_partial"
    learns_scale = True

    def __init__(self, mode="filter", ratios=DEFAULT_RATIOS,
                 stage_steps=1000, seed=0, eps=1e-8):
        super().__init__()
        if mode not in MODES:
            raise ValueError("stochastic_partial: mode must be one of %s, "
                             "got %r" % (", ".join(MODES), mode))
        self.mode = mode
        if isinstance(ratios, (str, bytes)) or not hasattr(ratios,
                                                            "__iter__"):
            raise TypeError("stochastic_partial: ratios must be a sequence "
                            "of floats, got %r" % (ratios,))
        ratios = tuple(check_float(self.kind, "ratios[%d]" % i, r, lo=0.0,
                                   hi=1.0, lo_open=True)
                       for i, r in enumerate(ratios))
        if not ratios or ratios[-1] != 1.0:
            raise ValueError("stochastic_partial: ratios must end at 1.0 "
                             "(the whole weight is quantized at the end), "
                             "got %r" % (ratios,))
        if any(b < a for a, b in zip(ratios, ratios[1:])):
            raise ValueError("stochastic_partial: ratios must not decrease, "
                             "got %r" % (ratios,))
        self.ratios = ratios
        self.stage_steps = check_int(self.kind, "stage_steps", stage_steps,
                                     lo=1)
        self.seed = check_int(self.kind, "seed", seed, lo=0, hi=2 ** 63 - 1)
        self.eps = check_float(self.kind, "eps", eps, lo=0.0, lo_open=True)
        # The global step of the last `step` call (checkpointed).
        self.register_buffer("global_step",
                             torch.zeros((), dtype=torch.int64))

    @property
    def ratio(self):
        """The quantized fraction at the current global step."""
        stage = int(self.global_step) // self.stage_steps
        return self.ratios[min(stage, len(self.ratios) - 1)]

    def export_params(self):
        return {"mode": self.mode, "ratio": self.ratio, "seed": self.seed}

    def step(self, q, weight, global_step):
        check_int(self.kind, "global_step", global_step, lo=0)
        self.global_step.fill_(global_step)

    def mask(self, x, scale, q, y=None):
        """The bool selection mask (x's shape) for the current step; `y`,
        when given, is x's fake quantization (saves recomputing it)."""
        axis = 0 if q.axis is None else q.axis % x.dim()
        if y is None:
            y = fake_quantize(x.detach(), scale.detach(), q.encoding,
                              q.zero_point, q.axis)
        errors = unit_errors(x, y, self.mode, axis)
        chosen = selection_mask(errors.cpu().numpy(), self.ratio, self.seed,
                                int(self.global_step), self.eps)
        chosen = torch.from_numpy(chosen).to(x.device)
        if self.mode == "element":
            return chosen.reshape(x.shape)
        shape = [1] * x.dim()
        shape[axis] = -1
        return chosen.reshape(shape).expand(x.shape)

    def forward(self, x, scale, q):
        require_role(self.kind, q, "weight", "units are elements or filters "
                     "of a weight")
        if x.dim() == 0 and self.mode == "filter":
            raise ValueError("stochastic_partial: mode 'filter' needs a "
                             "weight of rank >= 1")
        y = super().forward(x, scale, q)
        if not self.training or self.ratio >= 1.0:
            return y
        chosen = self.mask(x, scale, q, y.detach())
        return torch.where(chosen, y, x.to(y.dtype))

    def backward(self, saved, grad_y, q):
        return grad_y, saved.lsq_scale_grad(grad_y, q)
