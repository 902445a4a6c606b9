"""nhot_two_stage (seed 001): stage 1 projects onto the dense integer grid
of the n-hot range (checked against the C++ projection onto integers),
stage 2 and eval onto the n-hot levels (== fake_quantize bit for bit), LSQ
gradients on each stage's grid, and the stage schedule.
"""

import io
import math

import numpy as np
import pytest
import torch

from potq import _potq
from potq import functional as F
from potq.estimators import LSQ, NHotTwoStage, set_stage
from potq.estimators.nhot_two_stage import stage_at
from potq.nn import Quantizer, QuantConv2d, QuantLinear, estimator_step

NHOT1 = "#potq.nhot<terms = 1, max_exp = 3>"  # 0, +-1, 2, 4, 8


def bits(t):
    return t.view(torch.int32)


def integer_levels(x, q):
    """The C++ SPEC projection of x onto the integers [-8, 8] (int64)."""
    return _potq.project_to_integer_range(
        x.numpy(), q.scale().detach().numpy(), -8, 8, axis=0)


def quantizer(est, scale=(0.1, 0.25), encoding=NHOT1):
    return Quantizer(encoding, axis=0, channels=len(scale), estimator=est,
                     scale=torch.tensor(scale), role="weight")


def test_stage1_trains_on_the_dense_grid():
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(2, 200, generator=gen)
    # Ties between integers, both signs, and values past the range.
    x[0, :6] = torch.tensor([0.25, -0.25, 0.35, -0.65, 5.0, math.nan])
    q = quantizer(NHotTwoStage(stage=1))
    y = q(x.clone().requires_grad_()).detach()
    levels = integer_levels(x, q)
    want = torch.from_numpy(levels.astype(np.float32)) * q.scale().reshape(
        -1, 1)
    assert torch.equal(bits(y), bits(want))
    assert y[0, :4].tolist() == pytest.approx([0.2, -0.2, 0.3, -0.6])
    # Not the n-hot levels (3, 5, 6, 7 are dense-only)...
    nhot = F.fake_quantize(x, q.scale(), NHOT1, axis=0)
    assert not torch.equal(bits(y), bits(nhot))
    # ...which eval mode uses in either stage.
    q.eval()
    assert torch.equal(bits(q(x)), bits(nhot))


def test_stage2_is_fake_quantize_bit_for_bit():
    gen = torch.Generator().manual_seed(1)
    x = torch.randn(2, 300, generator=gen)
    q = quantizer(NHotTwoStage(stage=2),
                  encoding="#potq.nhot<terms = 2, max_exp = 4>")
    y = q(x.clone().requires_grad_()).detach()
    want = F.fake_quantize(x, q.scale(), q.encoding, axis=0)
    assert torch.equal(bits(y), bits(want))


@pytest.mark.parametrize("stage", [1, 2])
def test_gradients_are_lsq_on_the_stage_grid(stage):
    gen = torch.Generator().manual_seed(2)
    x = torch.randn(2, 100, generator=gen)
    g = torch.randn(2, 100, generator=gen)
    q = quantizer(NHotTwoStage(stage=stage))
    xr = x.clone().requires_grad_()
    q(xr).backward(g)
    s = q.scale().reshape(-1, 1)
    t = x / s
    if stage == 1:
        level = torch.from_numpy(integer_levels(x, q).astype(np.float32))
    else:
        level = F.project(x, q.scale(), NHOT1, axis=0)
    inside = t.abs() <= 8
    assert torch.equal(xr.grad, g * inside)
    ds = torch.where(inside, level - t, level)
    want = (g * ds).sum(dim=1) / math.sqrt(100 * 8)
    assert torch.allclose(q.scale_raw.grad, want, rtol=1e-5, atol=1e-7)
    if stage == 2:  # the n-hot stage is LSQ on the n-hot levels exactly
        lsq = quantizer(LSQ())
        xl = x.clone().requires_grad_()
        lsq(xl).backward(g)
        assert torch.equal(xr.grad, xl.grad)
        assert torch.allclose(q.scale_raw.grad, lsq.scale_raw.grad)


def test_set_stage_and_automatic_switch():
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        QuantConv2d(1, 4, 3, weight="nhot1", estimator="nhot_two_stage"),
        torch.nn.Flatten(),
        QuantLinear(4 * 36, 3, weight="nhot2",
                    estimator=NHotTwoStage(stage1_steps=5)))
    assert set_stage(model, 2) == 2
    assert model[0].weight_quantizer.estimator.stage == 2
    with pytest.raises(ValueError, match="no nhot_two_stage estimator"):
        set_stage(torch.nn.Linear(2, 2), 2)
    with pytest.raises(ValueError, match="set_stage: stage"):
        set_stage(model, 3)
    auto = model[2].weight_quantizer.estimator
    for step, stage in ((0, 1), (4, 1), (5, 2), (9, 2)):
        estimator_step(model, step)
        assert auto.stage == stage == stage_at(step, 5)
    # The manual one is left alone by the step hook.
    assert model[0].weight_quantizer.estimator.stage == 2


def test_stage_and_terms_survive_a_state_dict_round_trip():
    def model():
        torch.manual_seed(0)
        return torch.nn.Sequential(
            QuantLinear(8, 4, weight="nhot2", estimator="nhot_two_stage"))
    trained = model()
    trained(torch.randn(2, 8))  # the estimator learns terms = 2
    set_stage(trained, 2)
    saved = io.BytesIO()
    torch.save(trained.state_dict(), saved)
    saved.seek(0)
    resumed = model()
    est = resumed[0].weight_quantizer.estimator
    assert (est.stage, est.terms) == (1, None)
    resumed.load_state_dict(torch.load(saved))
    assert (est.stage, est.terms) == (2, 2)
    assert est.mlir_attr() == trained[0].weight_quantizer.estimator.mlir_attr()
    # Stage 2 in training: the n-hot levels, not the dense grid.
    x = torch.randn(3, 8)
    assert torch.equal(resumed.train()(x), resumed.eval()(x))


def test_export_and_misuse():
    q = quantizer(NHotTwoStage(stage=2))
    q(torch.randn(2, 5))
    assert q.estimator.mlir_attr() == (
        "#qat.estimator<nhot_two_stage, {stage = 2 : i64, terms = 1 : i64}>")
    assert NHotTwoStage().export_params() == {"stage": 1}
    with pytest.raises(ValueError, match="must be #potq.nhot"):
        Quantizer("pot4", estimator=NHotTwoStage(), role="weight")(
            torch.randn(3))
    with pytest.raises(ValueError, match="terms = 2 but the encoding"):
        quantizer(NHotTwoStage(terms=2))(torch.randn(2, 3))
    with pytest.raises(ValueError, match="nhot_two_stage: stage"):
        NHotTwoStage(stage=0)
    with pytest.raises(ValueError, match="needs a weight quantizer"):
        Quantizer(NHOT1, estimator=NHotTwoStage(), role="activation")(
            torch.randn(2, 3))
