"""`nhot_two_stage`: n-hot weights with two-stage fine-tuning (seed 001:
Sakuma, Sumihiro, Nishikawa, Nakamura, Ikegaya, "n-hot: Efficient bit-level
sparsity for powers-of-two neural network quantization", arXiv 2103.11704).

n-hot weights are sums of at most N signed powers of two (subtraction
allowed): the Quantizer's encoding `#potq.nhot<terms = N, max_exp = E>`.
The abstract says a two-stage fine-tuning recovers the accuracy lost by
introducing the bit-level sparsity, and no more; potq's reading
(docs/Estimators.md):

  stage 1 (dense):  the weight is fake-quantized onto the dense grid D, all
                    integers in [lo, hi] of the n-hot set (the network the
                    n-hot set is carved from, no bit-level sparsity yet).
                    Weights and scale train with LSQ's rule (clipped STE,
                    learned scale).
  stage 2 (sparse): the bit-level sparsity is introduced: the projection is
                    onto the n-hot levels themselves (a subset of D at the
                    same scale, so the stage-1 scale carries over), and
                    weights and scale are fine-tuned with the same rule to
                    recover the accuracy drop.

Projection onto D is SPEC section 4 with D as the level set (nearest
integer, ties to the smaller magnitude, clamped to [lo, hi]). In eval mode
the forward is always the exact n-hot fake quantization, so evaluation and
export see the deployed weight in either stage. `set_stage(model, stage)`
switches every nhot_two_stage estimator of a model; `stage1_steps` switches
automatically from the `step` hook.
"""

import torch

from potq.estimators._common import (check_float, check_int,
                                     require_role)
from potq.estimators.base import Estimator

__all__ = ["NHotTwoStage", "DenseGrid", "set_stage", "stage_at"]

STAGES = (1, 2)


class DenseGrid:
    """All integers in [lo, hi] as a level set: what
    `potq.functional.project_t` needs of an encoding (a unique `mlir` key
    for its table cache, `levels`, `lo`, `hi`)."""

    __slots__ = ("mlir", "levels", "lo", "hi")

    def __init__(self, lo, hi):
        self.mlir = "dense-integers[%d, %d]" % (lo, hi)
        self.levels = tuple(range(lo, hi + 1))
        self.lo, self.hi = lo, hi

    def max_magnitude(self, zero_point=0):
        return max(self.hi - zero_point, zero_point - self.lo)


class _DenseView:
    """The owning Quantizer with the dense grid in place of its encoding:
    what the shared fake-quantization function reads (axis, zero point,
    encoding) and what the backward reads (role, Qp, elements per scale)."""

    def __init__(self, q, grid):
        self._q = q
        self.encoding = grid
        self.axis = q.axis
        self.zero_point = q.zero_point
        self.role = q.role
        self.qp = grid.max_magnitude(q.zero_point)

    def elements_per_scale(self, x):
        return self._q.elements_per_scale(x)


def stage_at(global_step, stage1_steps):
    """The stage at `global_step` when stage 1 lasts `stage1_steps` steps."""
    return 1 if global_step < stage1_steps else 2


def set_stage(model, stage):
    """Sets `stage` (1 or 2) on every NHotTwoStage estimator in `model`
    (any torch module); returns how many were set. ValueError when there
    is none: a schedule that switches nothing is a configuration error."""
    check_int("set_stage", "stage", stage, lo=1, hi=2)
    count = 0
    for module in model.modules():
        if isinstance(module, NHotTwoStage):
            module.stage = stage
            count += 1
    if not count:
        raise ValueError("set_stage: %s has no nhot_two_stage estimator"
                         % type(model).__name__)
    return count


class NHotTwoStage(Estimator):
    """#qat.estimator<nhot_two_stage, {stage = S, terms = N}>. For weight
    quantizers whose encoding is #potq.nhot.

    stage:        1 (dense grid) or 2 (n-hot levels), default 1.
    stage1_steps: if an int, the `step` hook sets stage 1 before this
                  global step and stage 2 from it; None (default) leaves
                  the stage to `set_stage`.
    terms:        N, checked against the encoding (None: taken from it);
                  exported.
    grad_scale:   fixed LSQ factor on dL/ds; None is 1 / sqrt(n * Qp).
    """

    kind = "nhot_two_stage"
    learns_scale = True

    def __init__(self, stage=1, stage1_steps=None, terms=None,
                 grad_scale=None):
        super().__init__()
        # The stage and the terms are training state, so buffers: a
        # checkpoint taken in stage 2 resumes (and exports) in stage 2.
        # terms_state 0 means "not known yet".
        self.register_buffer("stage_state",
                             torch.ones((), dtype=torch.int64))
        self.register_buffer("terms_state",
                             torch.zeros((), dtype=torch.int64))
        self.stage = stage
        self.terms = terms
        self.stage1_steps = check_int(self.kind, "stage1_steps",
                                      stage1_steps, lo=0, allow_none=True)
        self.grad_scale = check_float(self.kind, "grad_scale", grad_scale,
                                      lo=0.0, lo_open=True, allow_none=True)
        self._grids = {}

    @property
    def stage(self):
        """The current stage, 1 or 2 (buffer `stage_state`)."""
        return int(self.stage_state)

    @stage.setter
    def stage(self, stage):
        self.stage_state.fill_(check_int(self.kind, "stage", stage, lo=1,
                                         hi=2))

    @property
    def terms(self):
        """N of the n-hot encoding, or None until given or seen (buffer
        `terms_state`, 0 for None)."""
        value = int(self.terms_state)
        return value if value else None

    @terms.setter
    def terms(self, terms):
        terms = check_int(self.kind, "terms", terms, lo=1, hi=4,
                          allow_none=True)
        self.terms_state.fill_(terms or 0)

    def export_params(self):
        params = {"stage": self.stage}
        if self.terms is not None:
            params["terms"] = self.terms
        return params

    def _check_quantizer(self, q):
        require_role(self.kind, q, "weight", "n-hot terms are a weight "
                     "encoding")
        if q.encoding.kind != "nhot":
            raise ValueError("nhot_two_stage: the quantizer's encoding must "
                             "be #potq.nhot<...>, got %s" % q.encoding.mlir)
        terms = q.encoding.params["terms"]
        if self.terms is None:
            self.terms = terms
        elif self.terms != terms:
            raise ValueError("nhot_two_stage: terms = %d but the encoding "
                             "is %s" % (self.terms, q.encoding.mlir))

    def dense_grid(self, q):
        """D: the integers spanning q's n-hot levels."""
        key = (q.encoding.lo, q.encoding.hi)
        if key not in self._grids:
            self._grids[key] = DenseGrid(*key)
        return self._grids[key]

    def forward(self, x, scale, q):
        self._check_quantizer(q)
        if self.training and self.stage == 1:
            return super().forward(x, scale,
                                   _DenseView(q, self.dense_grid(q)))
        return super().forward(x, scale, q)

    def backward(self, saved, grad_y, q):
        grad_x = grad_y * saved.inside().to(grad_y.dtype)
        return grad_x, saved.lsq_scale_grad(grad_y, q, self.grad_scale)

    def step(self, q, weight, global_step):
        if self.stage1_steps is not None:
            self.stage = stage_at(global_step, self.stage1_steps)
