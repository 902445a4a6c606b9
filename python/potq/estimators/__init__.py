"""Gradient estimators for potq fake quantization (docs/Estimators.md).

`get(name, **params)` builds one by its `#qat.estimator` kind, e.g.
`get("lsq", grad_scale=0.01)`; each Quantizer owns its own instance.
"""

from potq.estimators.base import Estimator, Saved, registry
from potq.estimators.lsq import LSQ
from potq.estimators.ste import STE, ClippedSTE
# The seed papers' estimators (docs/Estimators.md).
from potq.estimators.lg_lsq import LGLSQ
from potq.estimators.msqe import MSQE
from potq.estimators.nhot_two_stage import NHotTwoStage, set_stage
from potq.estimators.qerror_aware import QErrorAware
from potq.estimators.stochastic_partial import StochasticPartial

__all__ = ["Estimator", "Saved", "STE", "ClippedSTE", "LSQ", "LGLSQ",
           "QErrorAware", "MSQE", "StochasticPartial", "NHotTwoStage",
           "set_stage", "get", "kinds"]


def kinds():
    """The estimator kinds available, sorted."""
    return sorted(registry())


def get(name, **params):
    """A new estimator of kind `name` with `params` (its constructor's
    keyword arguments); an Estimator instance is returned unchanged (with
    no params allowed)."""
    if isinstance(name, Estimator):
        if params:
            raise ValueError("estimators.get: parameters %s given with an "
                             "Estimator instance" % sorted(params))
        return name
    if not isinstance(name, str):
        raise TypeError("estimator must be a kind name such as 'lsq' or an "
                        "Estimator, got %r" % (name,))
    cls = registry().get(name)
    if cls is None:
        raise ValueError("unknown estimator %r: expected one of %s"
                         % (name, ", ".join(kinds())))
    return cls(**params)
