"""ste, clipped_ste and lsq: forward values and backward closed forms.

The forward of every estimator is the SPEC fake quantization bit for bit;
the backward rules are checked against their closed forms on small tensors
with ties, clamped values and NaN, per tensor and per channel.
"""

import math

import pytest
import torch

from potq import estimators
from potq import functional as F
from potq.nn import Quantizer

torch.manual_seed(0)


def make(kind, axis=None, channels=None, scale=0.25, enc="pot3",
         zero_point=0, role="weight", **params):
    est = estimators.get(kind, **params)
    if channels is not None:
        scale = torch.linspace(0.2, 0.6, channels)
    return Quantizer(enc, axis=axis, channels=channels, estimator=est,
                     scale=scale, zero_point=zero_point, role=role)


# pot3 levels: 0, +-1, +-2, +-4; at scale 0.25 the range is [-1, 1].
X = torch.tensor([0.0, 0.1, 0.125, -0.3, 0.6, 0.99, 1.0, 1.2, -5.0,
                  float("nan"), float("inf")])


@pytest.mark.parametrize("kind", ["ste", "clipped_ste", "lsq"])
def test_forward_is_fake_quantize(kind):
    q = make(kind)
    x = torch.randn(1000) * 0.5
    x[:len(X)] = X
    want = F.fake_quantize(x, q.scale(), q.encoding)
    for mode in (True, False):
        q.train(mode)
        got = q(x.clone().requires_grad_())
        assert torch.equal(got.detach().nan_to_num(7.0),
                           want.nan_to_num(7.0))


def grads(q, x, g=None):
    x = x.clone().requires_grad_()
    y = q(x)
    g = torch.ones_like(y) if g is None else g
    y.backward(g)
    return x.grad, q.scale_raw.grad


def test_ste():
    q = make("ste")
    gx, gs = grads(q, X, torch.arange(len(X), dtype=torch.float32))
    assert torch.equal(gx, torch.arange(len(X), dtype=torch.float32))
    assert gs is None and not q.scale_raw.requires_grad
    assert "scale_raw" in dict(q.named_buffers())


def test_clipped_ste():
    q = make("clipped_ste")
    gx, _ = grads(q, X)
    # inside: |x / 0.25| <= 4 (the pot3 range), NaN and inf outside.
    want = [1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0]
    assert gx.tolist() == want


def lsq_reference(x, s, levels_minus_z, lo, hi, g, gscale):
    """Closed form of LSQ's gradients, element by element in Python."""
    gx, gs = [], 0.0
    for xv, gv, lv in zip(x.tolist(), g.tolist(), levels_minus_z.tolist()):
        t = float(torch.tensor(xv) / torch.tensor(s))
        inside = not math.isnan(t) and lo <= t <= hi
        gx.append(gv if inside else 0.0)
        if math.isnan(t):
            continue
        gs += gv * ((lv - t) if inside else lv)
    return gx, gs * gscale


def test_lsq_per_tensor_default_grad_scale():
    q = make("lsq")
    g = torch.linspace(-1, 1, len(X))
    gx, gs = grads(q, X, g)
    lv = F.project(X, 0.25, "pot3")
    n, qp = len(X), 4
    want_gx, want_gs = lsq_reference(X, 0.25, lv, -4, 4, g,
                                     1 / math.sqrt(n * qp))
    assert gx.tolist() == want_gx
    assert gs.item() == pytest.approx(want_gs, rel=1e-5)


def test_lsq_activation_counts_one_sample():
    q = make("lsq", role="activation", enc="uint8", scale=0.1)
    x = torch.rand(4, 3, 5) * 30 - 2
    g = torch.randn_like(x)
    _, gs = grads(q, x, g)
    lv = F.project(x, 0.1, "uint8")
    _, want = lsq_reference(x.flatten(), 0.1, lv.flatten(), 0, 255,
                            g.flatten(), 1 / math.sqrt(15 * 255))
    assert gs.item() == pytest.approx(want, rel=1e-4)


def test_lsq_zero_point():
    q = make("lsq", enc="uint8", scale=0.5, zero_point=100,
             grad_scale=1.0)
    x = torch.tensor([-60.0, -49.75, 0.25, 77.5, 80.0, float("nan")])
    gx, gs = grads(q, x)
    lv = F.project(x, 0.5, "uint8", 100)
    want_gx, want_gs = lsq_reference(x, 0.5, lv, -100, 155,
                                     torch.ones(6), 1.0)
    assert gx.tolist() == want_gx
    assert gs.item() == pytest.approx(want_gs, rel=1e-6)


def test_lsq_per_channel():
    q = make("lsq", axis=1, channels=3, enc="apot4")
    w = torch.randn(7, 3) * 3
    g = torch.randn(7, 3)
    gx, gs = grads(q, w, g)
    s = q.scale().detach()
    assert gs.shape == (3,)
    for c in range(3):
        lv = F.project(w[:, c].contiguous(), s[c], "apot4")
        want_gx, want_gs = lsq_reference(w[:, c], float(s[c]), lv, -10, 10,
                                         g[:, c], 1 / math.sqrt(7 * 10))
        assert gx[:, c].tolist() == want_gx
        assert gs[c].item() == pytest.approx(want_gs, rel=1e-4, abs=1e-6)


def test_negative_axis():
    q = make("lsq", axis=-1, channels=3, enc="apot4")
    ref = make("lsq", axis=1, channels=3, enc="apot4")
    w = torch.randn(7, 3) * 3
    g = torch.randn(7, 3)
    assert torch.equal(q(w), ref(w))
    gx, gs = grads(q, w, g)
    ref_gx, ref_gs = grads(ref, w, g)
    assert torch.equal(gx, ref_gx) and torch.equal(gs, ref_gs)


def test_lsq_finite_difference_of_expected_loss():
    # Away from rounding boundaries the forward is smooth in s only through
    # the clamped elements' y = s * L: dL/ds there is exactly L (times g),
    # which finite differences see.
    q = make("lsq", enc="pot3", scale=0.25, grad_scale=1.0)
    x = torch.tensor([5.0, -3.0, 7.0])  # all clamped at s near 0.25
    _, gs = grads(q, x)
    eps = 1e-3
    f = lambda s: F.fake_quantize(x, s, "pot3").sum().item()  # noqa: E731
    fd = (f(0.25 + eps) - f(0.25 - eps)) / (2 * eps)
    assert gs.item() == pytest.approx(fd, rel=1e-4)


def test_lsq_grad_scale_validation():
    with pytest.raises(ValueError, match="lsq: grad_scale"):
        estimators.get("lsq", grad_scale=0.0)
    with pytest.raises(TypeError, match="lsq: grad_scale"):
        estimators.get("lsq", grad_scale="big")


def test_get_errors():
    with pytest.raises(ValueError, match="unknown estimator 'sgd'"):
        estimators.get("sgd")
    with pytest.raises(TypeError, match="estimator must be"):
        estimators.get(3)
    with pytest.raises(ValueError, match="parameters"):
        estimators.get(estimators.STE(), x=1)


def test_half_precision_gradients():
    q = make("lsq", scale=0.25)
    x = (torch.randn(64) * 0.5).half().requires_grad_()
    y = q(x)
    assert y.dtype == torch.float16
    y.float().sum().backward()
    assert x.grad.dtype == torch.float16
