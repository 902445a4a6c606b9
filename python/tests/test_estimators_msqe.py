"""msqe (seed 003): scales from potq's own MSQE search (the compiler's
`choose_scale` first, then the local tracking search scored by
`quantization_error`), quantile outlier clipping, geometric momentum and
the update interval; the weight gradient is the clipped STE.
"""

import math

import numpy as np
import pytest
import torch

from potq import _potq
from potq import functional as F
from potq.estimators import MSQE
from potq.estimators.msqe import clip_outliers, track_scale
from potq.nn import Quantizer, QuantAct, QuantLinear


def weight_quantizer(est, channels=None, encoding="pot4", scale=None):
    axis = None if channels is None else 0
    return Quantizer(encoding, axis=axis, channels=channels, estimator=est,
                     role="weight",
                     scale=None if scale is None else torch.tensor(scale))


def msqe(w, encoding="#potq.pot<bits = 4>", axis=None):
    return torch.as_tensor(np.asarray(_potq.choose_scale(
        w.numpy(), encoding, method="msqe", axis=axis), dtype=np.float32))


def test_forward_and_clipped_ste_backward():
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(3, 40, generator=gen)
    q = weight_quantizer(MSQE(), channels=3, scale=[0.01, 0.02, 0.05])
    assert not isinstance(q.scale_raw, torch.nn.Parameter)
    xr = x.clone().requires_grad_()
    y = q(xr)
    want = F.fake_quantize(x, q.scale(), "pot4", axis=0)
    assert torch.equal(y.detach().view(torch.int32), want.view(torch.int32))
    g = torch.randn(3, 40, generator=gen)
    y.backward(g)
    inside = (x / q.scale().reshape(-1, 1)).abs() <= 64
    assert torch.equal(xr.grad, g * inside)
    assert not inside.all()


def test_update_without_fixes_is_potq_msqe_bit_for_bit():
    gen = torch.Generator().manual_seed(1)
    for channels, encoding in ((None, "pot4"), (4, "apot4"), (4, "nhot2")):
        w = torch.randn(4, 50, generator=gen) * 0.1
        q = weight_quantizer(MSQE(outlier_quantile=1.0, scale_momentum=0.0),
                             channels, encoding, scale=None)
        q.estimator.update(q, w)
        want = msqe(w, q.encoding.mlir, None if channels is None else 0)
        assert torch.equal(q.scale().view(torch.int32),
                           want.reshape(q.scale().shape).view(torch.int32))


def test_clip_outliers_is_the_kth_smallest_magnitude():
    w = torch.tensor([[0.1, -0.5, 0.2, 9.0, -0.3],
                      [1.0, 2.0, -3.0, 4.0, math.nan]])
    # n = 5 and 4 finite values; quantile 0.8 -> k = 4 and ceil(3.2) = 4.
    got = clip_outliers(w, 0.8, 0)
    assert got[0].tolist() == pytest.approx([0.1, -0.5, 0.2, 0.5, -0.3])
    assert got[1, :4].tolist() == [1.0, 2.0, -3.0, 4.0]
    assert math.isnan(got[1, 4])
    # Per tensor: 9 finite values, ceil(0.7 * 9) = 7th smallest |w| = 3.
    flat = clip_outliers(w, 0.7, None)
    assert flat[0, 3].item() == 3.0 and flat[1, 3].item() == 3.0
    assert flat[1, 2].item() == -3.0 and flat[0, 1].item() == -0.5
    assert clip_outliers(w, 1.0, 0) is w  # disabled: the input itself


def test_outlier_clipping_keeps_the_bulk_scale():
    gen = torch.Generator().manual_seed(2)
    w = torch.randn(1000, generator=gen) * 0.1
    w[17] = 10.0
    plain = msqe(w)
    q = weight_quantizer(MSQE(outlier_quantile=0.999, scale_momentum=0.0))
    q.estimator.update(q, w)
    clipped = q.scale()
    # One weight at 100 sigma drags the squared-error optimum up ~5x.
    assert plain.item() > 4 * clipped.item()
    bulk = msqe(w[torch.arange(1000) != 17])
    assert clipped.item() == pytest.approx(bulk.item(), rel=0.25)
    # And it is exactly potq's search on the clipped weight.
    assert torch.equal(clipped, msqe(clip_outliers(w, 0.999, None)))


def test_interval_and_geometric_momentum():
    gen = torch.Generator().manual_seed(3)
    est = MSQE(update_interval=3, outlier_quantile=1.0, scale_momentum=0.75)
    layer = QuantLinear(30, 2, weight="pot4", per_channel=True,
                        estimator=est)
    q = layer.weight_quantizer
    with torch.no_grad():
        layer.weight.copy_(torch.randn(2, 30, generator=gen) * 0.05)
    layer(torch.randn(1, 30))  # initialises the scale (msqe)
    history = []
    for step in range(1, 8):
        with torch.no_grad():
            layer.weight.mul_(1.5)  # the optimum moves every step
        before = q.scale().clone()
        if int(est.updates) == 0:
            target = msqe(layer.weight.detach(), axis=0)
        else:
            target = track_scale(layer.weight.detach(), q.encoding.mlir, 0,
                                 before)
        est.step(q, layer.weight.detach(), step)
        after = q.scale()
        if step % 3:
            assert torch.equal(after, before)
            continue
        history.append(step)
        if int(est.updates) == 1:
            assert torch.equal(after, target)  # the first update: s = s*
        else:
            want = before.double() ** 0.75 * target.double() ** 0.25
            assert torch.allclose(after.double(), want, rtol=1e-6)
            assert ((after - before).abs() < (target - before).abs()).all()
    assert history == [3, 6] and int(est.updates) == 2


def test_tracking_is_the_best_nearby_scale():
    gen = torch.Generator().manual_seed(5)
    w = torch.randn(3, 40, generator=gen) * torch.tensor([[0.1], [1.0],
                                                            [0.01]])
    w[1, 0] = math.nan  # ignored, as choose_scale ignores it
    current = torch.tensor([0.02, 0.1, 0.0005])
    enc = "#potq.apot<bits = 4>"
    got = track_scale(w, enc, 0, current)
    for c in range(3):
        row = w[c][torch.isfinite(w[c])].numpy()
        cands = [np.float32(current[c].item() * 2.0 ** (j / 32))
                 for j in range(-16, 17)]
        errs = [_potq.quantization_error(row, s, enc) for s in cands]
        assert got[c].item() == cands[int(np.argmin(errs))]
        assert abs(math.log2(got[c].item() / current[c].item())) < 0.5 + 1e-6
    # A current scale at the optimum stays (ties go to the nearest).
    best = msqe(w[0].contiguous(), enc)
    assert track_scale(w[0], enc, None, best).item() == best.item()


def test_ranks_with_the_same_weight_agree():
    """What DDP relies on: the update is a function of the weight only."""
    gen = torch.Generator().manual_seed(4)
    w = torch.randn(3, 64, generator=gen) * 0.2
    scales = []
    for _ in range(2):
        q = weight_quantizer(MSQE(), channels=3, scale=[1.0, 1.0, 1.0])
        torch.manual_seed(len(scales))  # unrelated RNG state
        q.estimator.update(q, w)
        q.estimator.update(q, w * 1.1)
        scales.append(q.scale())
    assert torch.equal(scales[0], scales[1])


def test_misuse_is_a_clear_error():
    act = QuantAct("uint8", estimator=MSQE())
    with pytest.raises(ValueError, match="msqe: needs a weight quantizer"):
        act(torch.rand(2, 3))
    q = Quantizer("uint8", zero_point=3, estimator=MSQE(), role="weight",
                  scale=torch.tensor(0.1))
    with pytest.raises(ValueError, match="msqe: needs zero point 0"):
        q(torch.rand(4))
    with pytest.raises(ValueError, match="msqe: the step hook got no weight"):
        MSQE().step(q, None, 0)
    with pytest.raises(ValueError, match="msqe: update_interval"):
        MSQE(update_interval=0)
    with pytest.raises(ValueError, match="msqe: outlier_quantile"):
        MSQE(outlier_quantile=0.0)
    with pytest.raises(ValueError, match="msqe: scale_momentum"):
        MSQE(scale_momentum=1.0)


def test_export():
    assert MSQE().mlir_attr() == (
        "#qat.estimator<msqe, {outlier_quantile = 0.999 : f64, "
        "scale_momentum = 0.5 : f64, update_interval = 10 : i64}>")
