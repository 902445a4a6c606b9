"""stochastic_partial (seed 004): Philox-4x32-10 known answers, the
selection rule (count, determinism, rank independence, frequencies
inversely proportional to the error), the ratio schedule, the hybrid
forward and its gradients.
"""

import math

import numpy as np
import pytest
import torch

from potq import functional as F
from potq.estimators import StochasticPartial, philox
from potq.estimators.stochastic_partial import selection_mask, unit_errors
from potq.nn import QuantAct, Quantizer, QuantLinear, estimator_step

# Random123's kat_vectors, the "philox4x32 10" lines: counter, key, output.
KAT = [
    ((0, 0, 0, 0), (0, 0),
     (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8)),
    ((0xFFFFFFFF,) * 4, (0xFFFFFFFF, 0xFFFFFFFF),
     (0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD)),
    ((0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344),
     (0xA4093822, 0x299F31D0),
     (0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1)),
]


@pytest.mark.parametrize("counter,key,want", KAT)
def test_philox_known_answers(counter, key, want):
    assert tuple(int(w) for w in philox.philox4x32_10(counter, key)) == want


def test_uniform_counter_layout():
    seed, step = (7 << 32) | 5, (3 << 32) | 9
    u = philox.uniform(seed, step, 6)
    for i in range(6):
        word = philox.philox4x32_10((i, 0, 9, 3), (5, 7))[0]
        assert u[i] == (int(word) + 0.5) / 2.0 ** 32
    assert ((u > 0) & (u < 1)).all()
    # Every input word matters.
    assert not np.array_equal(u, philox.uniform(5, step, 6))
    assert not np.array_equal(u, philox.uniform(seed, 9, 6))
    with pytest.raises(ValueError, match="philox.uniform: seed"):
        philox.uniform(-1, 0, 3)


def test_unit_errors():
    x = torch.tensor([[1.0, -2.0, 0.0], [0.0, 0.0, 0.0]])
    y = torch.tensor([[1.0, -1.0, 0.0], [0.0, 0.0, 0.0]])
    assert unit_errors(x, y, "element", 0).tolist() == [0, 0.5, 0, 0, 0, 0]
    assert unit_errors(x, y, "filter", 0).tolist() == [1 / 3, 0.0]
    assert unit_errors(x, y, "filter", 1).tolist() == [0.0, 0.5, 0.0]


def test_selection_count_and_determinism():
    gen = np.random.default_rng(0)
    errors = gen.random(100)
    for ratio, count in ((0.5, 50), (0.875, 88), (0.001, 0), (1.0, 100)):
        mask = selection_mask(errors, ratio, seed=3, step=11, eps=1e-8)
        assert mask.sum() == count
    a = selection_mask(errors, 0.5, 3, 11, 1e-8)
    assert np.array_equal(a, selection_mask(errors, 0.5, 3, 11, 1e-8))
    assert not np.array_equal(a, selection_mask(errors, 0.5, 3, 12, 1e-8))
    assert not np.array_equal(a, selection_mask(errors, 0.5, 4, 11, 1e-8))


def test_exact_units_go_first():
    errors = np.array([0.3, 0.0, 0.5, 0.0, 0.2])
    for step in range(50):
        mask = selection_mask(errors, 0.4, 0, step, 1e-8)
        assert mask.tolist() == [False, True, False, True, False]


def test_frequencies_are_inversely_proportional_to_the_error():
    # Two units, one drawn: P(first) = f1 / (f1 + f2) = 0.75 for errors
    # 0.1 and 0.3. 4000 draws: standard deviation 0.007.
    errors = np.array([0.1, 0.3])
    hits = sum(selection_mask(errors, 0.5, 42, step, 0.0)[0]
               for step in range(4000))
    assert abs(hits / 4000 - 0.75) < 0.03
    # Three units, two drawn without replacement: the unit of error 0.9
    # (f = 1.11 against 10 and 5) is the one mostly left out.
    errors = np.array([0.1, 0.2, 0.9])
    left_out = sum(not selection_mask(errors, 0.6, 1, step, 0.0)[2]
                   for step in range(2000))
    # P = 1 - P(2 in the pair) = 1 - w3/W (w1/(W-w1) + w2/(W-w2) + 1)
    w = 1 / errors
    big = w.sum()
    p_in = w[2] / big * (1 + w[0] / (big - w[0]) + w[1] / (big - w[1]))
    assert abs(left_out / 2000 - (1 - p_in)) < 0.04


def layer(mode="filter", ratios=(0.5, 1.0), stage_steps=10, seed=0):
    torch.manual_seed(0)
    return QuantLinear(16, 6, weight="pot3", per_channel=True,
                       estimator=StochasticPartial(
                           mode=mode, ratios=ratios, stage_steps=stage_steps,
                           seed=seed))


@pytest.mark.parametrize("mode", ["filter", "element"])
def test_training_forward_is_quantized_or_float_per_unit(mode):
    lin = layer(mode)
    q = lin.weight_quantizer
    w = lin.weight.detach()
    q(w)  # initialise the scale
    y = q(w.clone().requires_grad_()).detach()
    fq = F.fake_quantize(w, q.scale(), "pot3", axis=0)
    chosen = q.estimator.mask(w, q.scale(), q)
    bits = lambda t: t.view(torch.int32)  # noqa: E731
    assert torch.equal(bits(y[chosen]), bits(fq[chosen]))
    assert torch.equal(bits(y[~chosen]), bits(w[~chosen]))
    assert chosen.sum().item() == w.numel() // 2
    if mode == "filter":
        assert (chosen.all(dim=1) | (~chosen).all(dim=1)).all()
    # Eval, and ratio 1 in training, are the exact fake quantization.
    q.eval()
    assert torch.equal(bits(q(w)), bits(fq))
    q.train()
    estimator_step(lin, 10)
    assert q.estimator.ratio == 1.0
    assert torch.equal(bits(q(w)), bits(fq))


def test_gradients():
    lin = layer("element")
    q = lin.weight_quantizer
    w = lin.weight.detach().clone().requires_grad_()
    q(w.detach())
    y = q(w)
    g = torch.randn(w.shape, generator=torch.Generator().manual_seed(1))
    y.backward(g)
    assert torch.equal(w.grad, g)  # STE on the quantized part, g elsewhere
    chosen = q.estimator.mask(w.detach(), q.scale(), q)
    s = q.scale().reshape(-1, 1)
    t = w.detach() / s
    level = F.project(w.detach(), q.scale(), "pot3", axis=0)
    ds = torch.where(t.abs() <= 4, level - t, level) * chosen
    want = (g * ds).sum(dim=1) / math.sqrt(16 * 4)
    assert torch.allclose(q.scale_raw.grad, want, rtol=1e-5, atol=1e-7)


def test_schedule_and_export():
    est = StochasticPartial(stage_steps=100, seed=9)
    ratios = []
    for step in (0, 99, 100, 250, 300, 10 ** 6):
        est.step(None, None, step)
        ratios.append(est.ratio)
    assert ratios == [0.5, 0.5, 0.75, 0.875, 1.0, 1.0]
    assert est.mlir_attr() == (
        '#qat.estimator<stochastic_partial, {mode = "filter", '
        'ratio = 1.0 : f64, seed = 9 : i64}>')
    assert "global_step" in est.state_dict()


def test_ranks_and_global_rng_do_not_change_the_selection():
    masks = []
    for rank in range(2):
        lin = layer("element", seed=5)
        torch.manual_seed(100 + rank)  # each rank's own torch RNG state
        estimator_step(lin, 3)
        q = lin.weight_quantizer
        q(lin.weight.detach())
        masks.append(q.estimator.mask(lin.weight.detach(), q.scale(), q))
    assert torch.equal(masks[0], masks[1])


def test_arguments():
    with pytest.raises(ValueError, match="must end at 1.0"):
        StochasticPartial(ratios=(0.5, 0.75))
    with pytest.raises(ValueError, match="must not decrease"):
        StochasticPartial(ratios=(0.75, 0.5, 1.0))
    with pytest.raises(ValueError, match=r"ratios\[0\]"):
        StochasticPartial(ratios=(0.0, 1.0))
    with pytest.raises(ValueError, match="stochastic_partial: mode"):
        StochasticPartial(mode="channel")
    with pytest.raises(ValueError, match="stochastic_partial: seed"):
        StochasticPartial(seed=-1)
    with pytest.raises(ValueError, match="needs a weight quantizer"):
        QuantAct("uint8", estimator=StochasticPartial())(torch.rand(2, 4))
    q = Quantizer("pot3", estimator=StochasticPartial(), role="weight")
    with pytest.raises(ValueError, match="rank >= 1"):
        q(torch.tensor(0.5))
