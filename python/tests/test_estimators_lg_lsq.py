"""lg_lsq (seed 002): the arctangent soft round, its slope, and the
estimator's backward against autograd of the float64 surrogate s * R(x/s).
"""

import math

import pytest
import torch

from potq import functional as F
from potq.estimators import LSQ, LGLSQ
from potq.estimators.lg_lsq import soft_round, soft_round_derivative
from potq.nn import Quantizer

from estimator_grads import quantizer_grads

APOT4 = [float(v) for v in (-10, -8, -6, -4, -3, -2, -1, 0, 1, 2, 3, 4, 6,
                            8, 10)]


def levels64():
    return torch.tensor(APOT4, dtype=torch.float64)


def interior_points(gen, count, levels, margin=1e-3):
    """Points strictly inside (lo, hi), at least `margin` from the ends."""
    lo, hi = float(levels[0]), float(levels[-1])
    t = torch.rand(count, generator=gen, dtype=torch.float64)
    return lo + margin + t * (hi - lo - 2 * margin)


def quantizer(encoding, est, scale, axis=None, role="weight"):
    channels = None if axis is None else len(scale)
    return Quantizer(encoding, axis=axis, channels=channels, estimator=est,
                     scale=torch.tensor(scale), role=role)


def test_soft_round_passes_through_levels_and_midpoints():
    lv = levels64()
    for alpha in (0.5, 4.0, 20.0):
        assert torch.equal(soft_round(lv, lv, alpha), lv)
        mids = (lv[1:] + lv[:-1]) / 2
        assert torch.allclose(soft_round(mids, lv, alpha), mids,
                              atol=1e-12)
        # Clamped outside the range.
        out = torch.tensor([-1e6, -10.5, 10.5, 1e6], dtype=torch.float64)
        assert soft_round(out, lv, alpha).tolist() == [-10, -10, 10, 10]


def test_soft_round_gradcheck_float64():
    gen = torch.Generator().manual_seed(0)
    lv = levels64()
    t = interior_points(gen, 64, lv).requires_grad_()
    for alpha in (1.0, 4.0):
        assert torch.autograd.gradcheck(
            lambda v: soft_round(v, lv, alpha), (t,), eps=1e-6, atol=1e-6)


def test_slope_is_the_derivative_and_averages_one():
    gen = torch.Generator().manual_seed(1)
    lv = levels64()
    alpha = 4.0
    t = interior_points(gen, 500, lv).requires_grad_()
    (grad,) = torch.autograd.grad(soft_round(t, lv, alpha).sum(), t)
    slope = soft_round_derivative(t.detach(), lv, alpha)
    assert torch.allclose(grad, slope, rtol=1e-12, atol=1e-12)
    # Closed form at a level and at a midpoint.
    norm = 2 * math.atan(alpha / 2)
    at = soft_round_derivative(torch.tensor([3.0, 3.5], dtype=torch.float64),
                               lv, alpha)
    assert at[0].item() == pytest.approx(alpha / (norm * (1 + alpha ** 2 / 4)))
    assert at[1].item() == pytest.approx(alpha / norm)
    # Mean slope over every interval is exactly 1 (R rises by d over d).
    for a, b in zip(APOT4, APOT4[1:]):
        u = torch.linspace(a, b, 20001, dtype=torch.float64)
        slope = soft_round_derivative(u, lv, alpha)
        mean = torch.trapezoid(slope, u) / (b - a)
        assert mean.item() == pytest.approx(1.0, abs=1e-7)
    # Zero slope outside the range and for NaN.
    edge = torch.tensor([-10.01, 10.01, math.nan], dtype=torch.float64)
    assert soft_round_derivative(edge, lv, alpha).tolist() == [0.0, 0.0, 0.0]


def test_forward_is_fake_quantize_bit_for_bit():
    gen = torch.Generator().manual_seed(2)
    x = torch.randn(6, 40, generator=gen) * 0.7
    x[0, :4] = torch.tensor([math.nan, math.inf, -math.inf, 0.0])
    scales = [0.05, 0.11, 0.3, 0.017, 0.09, 1.5]
    for est in (LGLSQ(), LGLSQ(mde=False, asr_alpha=0.3)):
        q = quantizer("apot4", est, scales, axis=0)
        got = q(x.clone().requires_grad_())
        want = F.fake_quantize(x, torch.tensor(scales), "apot4", axis=0)
        assert torch.equal(got.detach().view(torch.int32),
                           want.view(torch.int32))


def surrogate_grads(x, scale, g, encoding_levels, alpha, axis):
    """Autograd of sum g * s * R(x / s) in float64."""
    lv = torch.tensor(encoding_levels, dtype=torch.float64)
    x64 = x.double().requires_grad_()
    s64 = torch.tensor(scale, dtype=torch.float64).requires_grad_()
    shape = [1] * x.dim()
    shape[axis] = -1
    s_b = s64.reshape(shape)
    f = (g.double() * s_b * soft_round(x64 / s_b, lv, alpha)).sum()
    return torch.autograd.grad(f, (x64, s64))


def run(est, x, scale, g, encoding="apot4", axis=0):
    return quantizer_grads(est, x, scale, g, encoding, axis=axis)


def test_backward_without_mde_is_the_surrogate_gradient():
    gen = torch.Generator().manual_seed(3)
    scale = [0.05, 0.2, 0.08]
    # Inside and outside the range, away from its ends (R is not C^1
    # there).
    x = torch.randn(3, 200, generator=gen) * 0.6
    keep = ((x / torch.tensor(scale).reshape(-1, 1)).abs() - 10).abs() > 1e-2
    x = torch.where(keep, x, torch.zeros_like(x))
    g = torch.randn(3, 200, generator=gen)
    alpha = 4.0
    gx, gs, q = run(LGLSQ(mde=False, asr_alpha=alpha), x, scale, g)
    want_x, want_s = surrogate_grads(x, scale, g, APOT4, alpha, 0)
    factor = 1.0 / math.sqrt(200 * 10)
    assert torch.allclose(gx.double(), want_x, rtol=1e-5, atol=1e-6)
    assert torch.allclose(gs.double(), want_s * factor, rtol=1e-4, atol=1e-6)
    # Some elements are outside the range: the clamp is exercised.
    assert (~((x / torch.tensor(scale).reshape(-1, 1)).abs() <= 10)).any()


def test_backward_with_mde_closed_form():
    gen = torch.Generator().manual_seed(4)
    scale = [0.07]
    x = torch.randn(1, 300, generator=gen) * 0.5
    g = torch.randn(1, 300, generator=gen)
    alpha = 2.5
    gx, gs, q = run(LGLSQ(mde=True, asr_alpha=alpha, grad_scale=0.125),
                    x, scale, g, encoding="pot4")
    lv = torch.tensor([float(v) for v in q.encoding.levels],
                      dtype=torch.float64)
    t = (x / torch.tensor(scale).reshape(-1, 1)).double()
    level = F.project(x, torch.tensor(scale), "pot4", axis=0).double()
    slope = soft_round_derivative(t, lv, alpha)
    inside = (t >= -64) & (t <= 64)
    ds = torch.where(inside, level - t * slope, level)
    assert torch.allclose(gx.double(), g.double() * slope, rtol=1e-5,
                          atol=1e-7)
    assert gs.shape == (1,)
    assert gs.item() == pytest.approx(0.125 * (g.double() * ds).sum().item(),
                                      rel=1e-4)


def test_small_alpha_with_mde_is_lsq():
    gen = torch.Generator().manual_seed(5)
    scale = [0.03, 0.06, 0.09, 0.12]
    x = torch.randn(4, 50, generator=gen) * 0.5
    g = torch.randn(4, 50, generator=gen)
    gx, gs, _ = run(LGLSQ(mde=True, asr_alpha=1e-3), x, scale, g)
    lx, ls, _ = run(LSQ(), x, scale, g)
    assert torch.allclose(gx, lx, rtol=1e-5, atol=1e-7)
    assert torch.allclose(gs, ls, rtol=1e-4, atol=1e-7)
    # ...and a real alpha is not (the test can tell them apart).
    gx4, _, _ = run(LGLSQ(mde=True, asr_alpha=4.0), x, scale, g)
    assert not torch.allclose(gx4, lx, rtol=1e-2)


def test_export_and_arguments():
    assert LGLSQ().mlir_attr() == (
        "#qat.estimator<lg_lsq, {asr_alpha = 4.0 : f64, mde = true}>")
    assert LGLSQ(grad_scale=0.01, asr_alpha=2, mde=False).export_params() \
        == {"asr_alpha": 2.0, "mde": False, "grad_scale": 0.01}
    with pytest.raises(ValueError, match="lg_lsq: asr_alpha"):
        LGLSQ(asr_alpha=0.0)
    with pytest.raises(ValueError, match="lg_lsq: grad_scale"):
        LGLSQ(grad_scale=-1.0)
    with pytest.raises(TypeError, match="lg_lsq: mde"):
        LGLSQ(mde=1)
    with pytest.raises(TypeError, match="lg_lsq: asr_alpha"):
        LGLSQ(asr_alpha="4")
