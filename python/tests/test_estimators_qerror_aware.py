"""qerror_aware (seed 000): the penalty's gradients against finite
differences of E = alpha/2 sum (x - y)^2, the task part against lsq, and
per-channel sums.

Finite differences are exact here: weights are multiples of 2^-12 away
from every projection midpoint, scales and steps are powers of two, so
x +- h, s +- h and every fake-quantized value are exact in binary32 and
the levels do not change under the perturbation.
"""

import math

import pytest
import torch

from potq import functional as F
from potq.encodings import Encoding
from potq.estimators import LSQ, QErrorAware
from potq.nn import Quantizer, QuantLinear

from estimator_grads import central_difference, quantizer_grads

H = 2.0 ** -12


def grid_weights(gen, shape, scale, encoding):
    """Multiples of 2^-12 at least 2 * 2^-12 away from every midpoint."""
    x = torch.randint(-2400, 2400, shape, generator=gen).float() * H
    s = torch.tensor(scale).reshape([-1] + [1] * (len(shape) - 1))
    levels = torch.tensor([float(v) for v in Encoding.get(encoding).levels])
    mids = (levels[1:] + levels[:-1]) / 2
    dist = ((x / s).unsqueeze(-1) - mids).abs().min(dim=-1).values * s
    return torch.where(dist > 2.5 * H, x, torch.zeros_like(x))


def run(est, x, scale, g, axis=0, role="weight"):
    return quantizer_grads(est, x, scale, g, "pot4", axis=axis, role=role)


def penalty(x, scale, alpha, axis=0):
    """E in float64 (per element), from the exact binary32 forward."""
    y = F.fake_quantize(x, torch.tensor(scale), "pot4", axis=axis)
    return alpha / 2 * (x.double() - y.double()) ** 2


def test_forward_is_fake_quantize_bit_for_bit():
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(4, 33, generator=gen)
    x[1, :3] = torch.tensor([math.nan, math.inf, -0.0])
    scale = [2.0 ** -4, 0.03, 0.5, 1e-3]
    q = Quantizer("pot4", axis=0, channels=4, estimator=QErrorAware(),
                  scale=torch.tensor(scale))
    got = q(x.clone().requires_grad_()).detach()
    want = F.fake_quantize(x, torch.tensor(scale), "pot4", axis=0)
    assert torch.equal(got.view(torch.int32), want.view(torch.int32))


def test_weight_gradient_is_finite_difference_of_the_penalty():
    gen = torch.Generator().manual_seed(1)
    scale = [2.0 ** -5, 2.0 ** -7]
    x = grid_weights(gen, (2, 300), scale, "pot4")
    alpha = 0.25
    gx, _, _ = run(QErrorAware(alpha=alpha), x, scale, torch.zeros_like(x))
    fd = central_difference(lambda v: penalty(v, scale, alpha), x, H)
    assert torch.allclose(gx.double(), fd, rtol=0, atol=1e-12)
    # With a task gradient it is simply added (not clipped: some weights
    # lie beyond the clipping threshold 64 s).
    g = torch.randn(x.shape, generator=gen)
    gx2, _, _ = run(QErrorAware(alpha=alpha), x, scale, g)
    assert torch.allclose(gx2.double(), g.double() + fd, atol=1e-6)
    assert ((x / torch.tensor(scale).reshape(-1, 1)).abs() > 64).any()


def test_scale_gradient_of_the_penalty_is_finite_difference():
    gen = torch.Generator().manual_seed(2)
    scale = [2.0 ** -5, 2.0 ** -6]
    x = grid_weights(gen, (2, 200), scale, "pot4")
    alpha = 0.5
    _, gs, _ = run(QErrorAware(alpha=alpha), x, scale, torch.zeros_like(x))
    hs = 2.0 ** -20
    for c in range(2):
        # The levels must not move under the perturbation (their
        # difference quotient is 0).
        levels = central_difference(
            lambda s: F.project(x, torch.tensor(s), "pot4", axis=0), scale,
            hs, index=c)
        assert torch.equal(levels, torch.zeros_like(levels))
        fd = central_difference(lambda s: penalty(x, s, alpha).sum(), scale,
                                hs, index=c)
        assert gs[c].item() == pytest.approx(fd.item(), rel=1e-5, abs=1e-9)
    assert (gs.abs() > 0).all()


def test_task_part_is_lsq_and_weight_gradient_unclipped():
    gen = torch.Generator().manual_seed(3)
    scale = [0.02, 0.05, 0.01]
    x = torch.randn(3, 80, generator=gen) * 0.6
    g = torch.randn(3, 80, generator=gen)
    gx, gs, _ = run(QErrorAware(alpha=0.0), x, scale, g)
    lx, ls, _ = run(LSQ(), x, scale, g)
    assert torch.allclose(gs, ls, rtol=1e-6, atol=1e-9)
    assert torch.equal(gx, g)
    assert not torch.equal(lx, g)  # lsq clips: the inputs reach past 64 s


def test_per_channel_sums_equal_per_tensor_slices():
    gen = torch.Generator().manual_seed(4)
    scale = [0.02, 0.07]
    x = torch.randn(2, 64, generator=gen) * 0.5
    g = torch.randn(2, 64, generator=gen)
    gx, gs, _ = run(QErrorAware(alpha=0.1), x, scale, g)
    for c in range(2):
        cx, cs, _ = run(QErrorAware(alpha=0.1), x[c], [scale[c]], g[c],
                        axis=None)
        assert torch.allclose(gx[c], cx)
        # n is the same (64 elements per scale value), so LSQ's factor too.
        assert gs[c].item() == pytest.approx(cs.item(), rel=1e-5)


def test_activation_role_trains_only_the_scale():
    gen = torch.Generator().manual_seed(5)
    x = torch.rand(8, 16, generator=gen) * 3
    g = torch.randn(8, 16, generator=gen)
    gx, gs, _ = run(QErrorAware(alpha=1.0), x, [0.05], g, axis=None,
                    role="activation")
    assert torch.equal(gx, g)
    _, gs0, _ = run(QErrorAware(alpha=0.0), x, [0.05], g, axis=None,
                    role="activation")
    assert not torch.allclose(gs, gs0)


def test_fixed_clip_keeps_a_buffer_scale():
    layer = QuantLinear(6, 3, weight="apot4",
                        estimator=QErrorAware(learned_clip=False))
    q = layer.weight_quantizer
    assert not isinstance(q.scale_raw, torch.nn.Parameter)
    layer(torch.randn(2, 6)).sum().backward()
    assert layer.weight.grad is not None
    assert QErrorAware(learned_clip=False).export_params() == {
        "alpha": 0.01, "learned_clip": False}


def test_export_and_arguments():
    assert QErrorAware().mlir_attr() == (
        "#qat.estimator<qerror_aware, {alpha = 0.01 : f64, "
        "learned_clip = true}>")
    with pytest.raises(ValueError, match="qerror_aware: alpha"):
        QErrorAware(alpha=-0.1)
    with pytest.raises(TypeError, match="qerror_aware: learned_clip"):
        QErrorAware(learned_clip="yes")
