"""potq.nn: shapes, per-channel scales, BatchNorm folding, the
folded_weight_and_bias contract, gradients, scale initialisation, state_dict
round trips and configuration errors."""

import copy
import io
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as TF
from torch import nn

from potq import _potq
from potq import functional as F
from potq import nn as pnn
from potq.encodings import Encoding


@pytest.fixture(autouse=True)
def seed():
    torch.manual_seed(0)


def conv_bn(**kw):
    args = dict(weight="apot4", bn=True, padding=1, bias=False)
    args.update(kw)
    m = pnn.QuantConv2d(3, 6, 3, **args)
    with torch.no_grad():  # non-trivial BN parameters and statistics
        m.bn.weight.uniform_(0.5, 2.0)
        m.bn.bias.uniform_(-1.0, 1.0)
        m.bn.running_mean.uniform_(-0.5, 0.5)
        m.bn.running_var.uniform_(0.5, 3.0)
    return m


def test_shapes_and_per_channel_scales():
    lin = pnn.QuantLinear(12, 5, weight="pot4")
    assert lin(torch.randn(7, 12)).shape == (7, 5)
    assert lin.weight_quantizer.scale().shape == (5,)
    assert lin.weight_quantizer.axis == 0
    lin_t = pnn.QuantLinear(12, 5, bias=False, weight="pot4",
                            per_channel=False)
    assert lin_t(torch.randn(2, 3, 12)).shape == (2, 3, 5)
    assert lin_t.weight_quantizer.scale().shape == ()
    conv = pnn.QuantConv2d(4, 8, 3, stride=2, padding=1, groups=2,
                           weight=Encoding.nhot(2, 5))
    assert conv(torch.randn(2, 4, 9, 9)).shape == (2, 8, 5, 5)
    assert conv.weight_quantizer.scale().shape == (8,)
    act = pnn.QuantAct("uint8")
    x = torch.rand(3, 4, 5)
    assert act(x).shape == x.shape
    assert act.quantizer.scale().shape == ()
    assert pnn.QuantIdentity is pnn.QuantAct


def test_quantized_weight_is_per_channel_fake_quantize():
    lin = pnn.QuantLinear(16, 4, weight="apot3")
    lin(torch.randn(1, 16))  # initialises the scales
    s = lin.weight_quantizer.scale().detach()
    assert len(set(s.tolist())) == 4  # one scale per output feature
    want = F.fake_quantize(lin.weight.detach(), s, "apot3", axis=0)
    assert torch.equal(lin.weight_quantizer(lin.weight).detach(), want)


@pytest.mark.parametrize("bias", [True, False])
def test_linear_contract(bias):
    lin = pnn.QuantLinear(10, 3, bias=bias, weight="uniform4n")
    x = torch.randn(6, 10)
    lin(x)
    lin.eval()
    w, b = lin.folded_weight_and_bias()
    assert w is lin.weight and b is lin.bias
    want = TF.linear(x, lin.weight_quantizer(w), b)
    assert torch.equal(lin(x), want)


@pytest.mark.parametrize("kw", [dict(), dict(bias=True), dict(groups=3),
                                dict(stride=2, dilation=2)])
def test_conv_bn_contract_bit_for_bit(kw):
    m = conv_bn(**kw)
    x = torch.randn(4, 3, 10, 10)
    m(x)  # training step: initialises the scale, updates running stats
    m.eval()
    w, b = m.folded_weight_and_bias()
    want = TF.conv2d(x, m.weight_quantizer(w), b, m.stride, m.padding,
                     m.dilation, m.groups)
    got = m(x)
    assert torch.equal(got, want)


@pytest.mark.parametrize("bias", [True, False])
def test_bn_folding_equals_conv_then_bn(bias):
    m = conv_bn(bias=bias)
    m.eval()
    x = torch.randn(4, 3, 8, 8)
    w, b = m.folded_weight_and_bias()
    folded = TF.conv2d(x, w, b, m.stride, m.padding)
    reference = m.bn(TF.conv2d(x, m.weight, m.bias, m.stride, m.padding))
    assert torch.allclose(folded, reference, rtol=1e-5, atol=1e-5)


def test_bn_training_uses_batch_statistics():
    m = conv_bn(bias=True)
    x = torch.randn(8, 3, 6, 6) * 2 + 1
    # The expected value, from the state before the step (which updates the
    # running statistics): the quantized weight is folded with the running
    # statistics, the output normalised with the batch's (Krishnamoorthi
    # 2018).
    with torch.no_grad():
        w, _ = m.folded_weight_and_bias()
        m.weight_quantizer.init_from(w)
        wq = m.weight_quantizer(w)
        factor = m.bn.weight / torch.sqrt(m.bn.running_var + m.bn.eps)
        z = TF.conv2d(x, wq, None, m.stride, m.padding)
        z = z / factor.reshape(1, -1, 1, 1) + m.bias.reshape(1, -1, 1, 1)
        zm = z.mean(dim=(0, 2, 3), keepdim=True)
        zv = z.var(dim=(0, 2, 3), unbiased=False, keepdim=True)
        want = ((z - zm) / torch.sqrt(zv + m.bn.eps)
                * m.bn.weight.reshape(1, -1, 1, 1)
                + m.bn.bias.reshape(1, -1, 1, 1))
    mean0 = m.bn.running_mean.clone()
    y = m(x)
    assert torch.allclose(y, want, atol=1e-4)
    # Batch-normalised: per channel, mean beta and std |gamma|.
    mean = y.mean(dim=(0, 2, 3))
    std = y.var(dim=(0, 2, 3), unbiased=False).sqrt()
    assert torch.allclose(mean, m.bn.bias, atol=1e-4)
    assert torch.allclose(std, m.bn.weight.abs(), rtol=1e-3)
    assert not torch.equal(m.bn.running_mean, mean0)


def test_frozen_bn_trains_in_folded_form():
    m = conv_bn()
    x = torch.randn(2, 3, 5, 5)
    m(x)
    m.freeze_bn_stats()
    running = m.bn.running_var.clone()
    y = m(x)
    assert torch.equal(m.bn.running_var, running)
    w, b = m.folded_weight_and_bias()
    assert torch.equal(y, TF.conv2d(x, m.weight_quantizer(w), b, m.stride,
                                    m.padding))
    y.sum().backward()
    assert m.bn.weight.grad is not None and m.weight.grad is not None


def test_gradients_flow():
    model = nn.Sequential(
        pnn.QuantAct("int8"),
        pnn.QuantConv2d(3, 4, 3, padding=1, weight="pot4", bn=True),
        nn.ReLU(), pnn.QuantAct("uint8"),
        pnn.QuantConv2d(4, 4, 3, weight="apot4", estimator="ste"),
        nn.Flatten(), pnn.QuantLinear(4 * 6 * 6, 10, weight="uniform8"))
    x = torch.randn(5, 3, 8, 8, requires_grad=True)
    model(x).square().sum().backward()
    assert x.grad is not None and x.grad.abs().sum() > 0
    for name, p in model.named_parameters():
        assert p.grad is not None, name
        assert torch.isfinite(p.grad).all(), name
        assert p.grad.abs().sum() > 0, name
    # ste does not learn its scale: a buffer, not a parameter.
    assert "4.weight_quantizer.scale_raw" in dict(model.named_buffers())


def make_model():
    return nn.Sequential(
        pnn.QuantAct("int8"),
        pnn.QuantConv2d(2, 3, 3, weight="apot4", bn=True),
        nn.ReLU(), pnn.QuantAct("uint8", estimator="clipped_ste"),
        nn.Flatten(), pnn.QuantLinear(12, 4, weight="pot3",
                                      per_channel=False))


def test_state_dict_round_trip():
    model = make_model()
    x = torch.randn(6, 2, 4, 4)
    model(x)  # initialises every scale, updates BN statistics
    with torch.no_grad():
        model[1].weight_quantizer.scale_raw.mul_(1.1)
    model.eval()
    want = model(x)
    buf = io.BytesIO()
    torch.save(model.state_dict(), buf)
    buf.seek(0)
    fresh = make_model()
    fresh.load_state_dict(torch.load(buf))
    fresh.eval()
    assert all(bool(m.initialized) for m in fresh.modules()
               if isinstance(m, pnn.Quantizer))
    assert torch.equal(fresh(x), want)
    # A copy is independent and equal too.
    twin = copy.deepcopy(model)
    assert torch.equal(twin(x), want)


def test_scale_parametrisation():
    q = pnn.Quantizer("pot4", scale=0.5)
    with torch.no_grad():
        q.scale_raw.fill_(-0.25)
    assert q.scale().item() == 0.25
    with torch.no_grad():
        q.scale_raw.fill_(0.0)
    assert q.scale().item() == pnn.SCALE_MIN > 0
    y = q(torch.tensor([1e-30, -1.0]))
    assert torch.isfinite(y).all()
    with torch.no_grad():
        q.scale_raw.fill_(float("nan"))
    with pytest.raises(FloatingPointError, match="not finite"):
        q(torch.ones(2))


def test_first_forward_initialises_the_scale():
    q = pnn.Quantizer("pot4", axis=0, channels=3)
    assert not bool(q.initialized)
    w = torch.randn(3, 20)
    q(w)
    assert bool(q.initialized)
    want = _potq.choose_scale(w.numpy(), "#potq.pot<bits = 4>",
                              method="msqe", axis=0)
    assert q.scale().tolist() == torch.from_numpy(want).tolist()
    before = q.scale().clone()
    q(w * 10)  # no re-initialisation
    assert torch.equal(q.scale(), before)


def test_init_methods():
    w = torch.randn(5, 7) * 3
    q = pnn.Quantizer("apot4")
    q.init_from(w, "max")
    assert q.scale().item() == float(_potq.choose_scale(
        w.numpy(), q.encoding.mlir, method="max"))
    q.init_from(w, "lsq")
    assert q.scale().item() == pytest.approx(
        2 * w.abs().mean().item() / math.sqrt(10))
    q.init_from(torch.zeros(4), "lsq")
    assert q.scale().item() == 1.0
    # percentile, unsigned: the 99.99% quantile maps to level 255.
    act = pnn.QuantAct("uint8")
    x = torch.rand(10000) * 6.0
    x[0] = 1e6  # an outlier does not set the scale
    act.quantizer.init_from(x)
    q999 = torch.quantile(x, 0.9999).item()
    assert act.quantizer.scale().item() == pytest.approx(q999 / 255)
    # signed with a zero point: the larger side wins.
    sq = pnn.Quantizer("int8", zero_point=-28, role="activation")
    y = torch.linspace(-1.0, 3.0, 5001)
    sq.init_from(y)
    lo, hi = (torch.quantile(y, p).item() for p in (1e-4, 1 - 1e-4))
    assert sq.scale().item() == pytest.approx(
        max(hi / (127 + 28), lo / (-128 + 28)))


@pytest.mark.parametrize("make,error,words", [
    (lambda: pnn.QuantLinear(3, 2), ValueError, "weight= "),
    (lambda: pnn.QuantLinear(3, 2, weight="pot9"), ValueError, "bits"),
    (lambda: pnn.QuantLinear(3, 2, weight="fp4"), ValueError,
     "unknown encoding"),
    (lambda: pnn.QuantLinear(3, 2, weight=4), TypeError, "encoding must"),
    (lambda: pnn.QuantLinear(3, 2, weight="pot4", per_channel="yes"),
     TypeError, "per_channel"),
    (lambda: pnn.QuantLinear(3, 2, weight="pot4", estimator="adam"),
     ValueError, "unknown estimator"),
    (lambda: pnn.QuantConv2d(3, 2, 3, weight="pot4", padding_mode="reflect"),
     ValueError, "padding_mode"),
    (lambda: pnn.QuantConv2d(3, 2, 3, weight="pot4", bn=1), TypeError,
     "bn must"),
    (lambda: pnn.QuantConv2d(3, 2, 3, weight="pot4").freeze_bn_stats(),
     ValueError, "no BatchNorm"),
    (lambda: pnn.Quantizer("pot4", axis=0), ValueError, "both"),
    (lambda: pnn.Quantizer("pot4", axis=0, channels=0), ValueError,
     "positive"),
    (lambda: pnn.Quantizer("uint8", axis=0, channels=2, zero_point=3),
     ValueError, "zero point"),
    (lambda: pnn.Quantizer("pot4", zero_point=1), ValueError, "uniform"),
    (lambda: pnn.QuantAct("uint8", zero_point=300), ValueError,
     "not a level"),
    (lambda: pnn.Quantizer("pot4", role="bias"), ValueError, "role"),
    (lambda: pnn.Quantizer("pot4", init="mean"), ValueError, "init"),
    (lambda: pnn.Quantizer("pot4", scale=-1.0), ValueError, "positive"),
    (lambda: pnn.Quantizer("pot4", scale=[1.0, 2.0]), ValueError,
     "shape []"),
    (lambda: pnn.Quantizer("pot4", axis=0, channels=3)(torch.ones(2, 5)),
     ValueError, "channels"),
    (lambda: pnn.Quantizer("pot4", axis=2, channels=3)(torch.ones(3)),
     ValueError, "out of range"),
    (lambda: pnn.Quantizer("uint8", zero_point=3).init_from(
        torch.ones(3), "msqe"), ValueError, "zero point 0"),
    (lambda: pnn.Quantizer("pot4", axis=0, channels=2).init_from(
        torch.ones(2, 3), "percentile"), ValueError, "per tensor"),
])
def test_config_errors(make, error, words):
    with pytest.raises(error) as info:
        make()
    assert words in str(info.value), str(info.value)


def test_estimator_instances_are_not_shared():
    est = pnn.estimators.get("lsq")
    pnn.Quantizer("pot4", estimator=est)
    with pytest.raises(ValueError, match="already belongs"):
        pnn.Quantizer("pot4", estimator=est)


def test_estimator_step_reaches_every_quantizer():
    calls = []

    class Probe(pnn.estimators.STE):
        def step(self, q, weight, global_step):
            calls.append((q.role, None if weight is None
                          else tuple(weight.shape), global_step))

    model = nn.Sequential(
        pnn.QuantAct("int8", estimator=Probe()),
        pnn.QuantConv2d(2, 3, 3, weight="pot4", bn=True, estimator=Probe()),
        nn.Flatten(),
        pnn.QuantLinear(12, 4, weight="pot4", estimator=Probe()))
    model(torch.randn(2, 2, 4, 4))
    pnn.estimator_step(model, 7)
    assert sorted(calls, key=str) == sorted(
        [("activation", None, 7), ("weight", (3, 2, 3, 3), 7),
         ("weight", (4, 12), 7)], key=str)


def test_quantizer_to_numpy_export_view():
    # What an exporter reads: the encoding spelling, axis and float32
    # scales; they reproduce the forward through the C++ numerics.
    lin = pnn.QuantLinear(8, 3, weight="nhot2")
    lin(torch.randn(2, 8))
    q = lin.weight_quantizer
    w = lin.weight.detach().numpy()
    want = _potq.fake_quantize(w, q.scale().detach().numpy(),
                               q.encoding.mlir, 0, q.axis)
    assert np.array_equal(q(lin.weight).detach().numpy(), want)


def test_input_dtype_must_be_a_fake_quant_type():
    # As potq.functional.fake_quantize: float64 would be silently rounded.
    q = pnn.Quantizer("pot4", scale=0.1)
    with pytest.raises(TypeError, match="float32, float16 or bfloat16"):
        q(torch.randn(3, dtype=torch.float64))
    with pytest.raises(TypeError, match="got torch.int32"):
        q(torch.ones(3, dtype=torch.int32))
    assert q(torch.randn(3, dtype=torch.float16)).dtype == torch.float16


def test_lsq_n_of_per_channel_activations_excludes_the_batch():
    # n counts one sample's elements per scale value, as for per-tensor
    # activations, so the gradient scale does not depend on the batch.
    def act():
        return pnn.Quantizer("uint8", axis=1, channels=3, role="activation",
                             scale=torch.tensor([0.01, 0.02, 0.03]))
    x = torch.rand(4, 3, 5, 2)
    assert act().elements_per_scale(x) == 10
    assert act().elements_per_scale(x[:1]) == 10
    assert pnn.Quantizer("uint8", role="activation").elements_per_scale(
        x) == 30
    assert pnn.Quantizer("pot4", axis=1, channels=3).elements_per_scale(
        x) == 40
    # The same samples twice: twice the scale gradient (a sum over the
    # batch with an unchanged factor 1 / sqrt(10 * 255)).
    g = torch.randn(x.shape)
    grads = []
    for xs, gs in ((x, g), (torch.cat([x, x]), torch.cat([g, g]))):
        q = act()
        q(xs).backward(gs)
        grads.append(q.scale_raw.grad)
    assert torch.allclose(grads[1], 2 * grads[0], rtol=1e-6, atol=0)


def fixed_scale_conv(estimator="ste", **kw):
    m = pnn.QuantConv2d(2, 4, 3, weight="pot4", bn=True, estimator=estimator,
                        **kw)
    with torch.no_grad():
        m.bn.weight.uniform_(0.5, 2.0)
    return m


@pytest.mark.parametrize("estimator", [
    "ste", "clipped_ste",
    lambda: pnn.estimators.QErrorAware(learned_clip=False)])
def test_fixed_weight_scale_follows_the_bn_fold(estimator):
    est = estimator() if callable(estimator) else estimator
    m = fixed_scale_conv(est)
    q = m.weight_quantizer
    m.train()
    f0 = m._bn_factor().detach().abs()
    w0 = m.folded_weight_and_bias()[0].detach()
    # Derives the scale from this fold (then updates the BN statistics).
    m(torch.randn(8, 2, 6, 6))
    s0 = q.scale().clone()
    assert torch.equal(m.weight_scale_fold, f0)
    ratio0 = (w0 / s0.reshape(-1, 1, 1, 1)).abs()
    # Training with small inputs shrinks the running variance: the folded
    # weight grows ~20x (gamma changes too). Kept at s0, w_fold / s would
    # reach far beyond the top level 64 and most of the weight would clamp.
    for _ in range(30):
        m(0.05 * torch.randn(8, 2, 6, 6))
    with torch.no_grad():
        m.bn.weight.mul_(torch.tensor([1.0, -1.0, 0.5, 2.0]))
    f1 = m._bn_factor().detach().abs()
    assert (f1 / f0).min() > 2  # the test exercises a real change
    w1 = m.folded_weight_and_bias()[0].detach()
    assert (w1 / s0.reshape(-1, 1, 1, 1)).abs().max() > 3 * q.encoding.hi
    pnn.estimator_step(m, 1)
    s1 = q.scale()
    assert torch.allclose(s1, s0 * f1 / f0, rtol=1e-6, atol=0)
    # w / s, the quantization of the layer's own weight, is unchanged.
    ratio1 = (w1 / s1.reshape(-1, 1, 1, 1)).abs()
    assert torch.allclose(ratio1, ratio0, rtol=1e-5, atol=1e-6)
    assert torch.equal(m.weight_scale_fold, f1)
    # No change, no rescaling.
    pnn.estimator_step(m, 2)
    assert torch.equal(q.scale(), s1)


def test_fixed_weight_scale_set_from_outside_belongs_to_the_current_fold():
    m = fixed_scale_conv()
    m.eval()
    m(torch.randn(2, 2, 6, 6))
    with torch.no_grad():
        m.bn.running_var.fill_(0.01)
    w = m.folded_weight_and_bias()[0].detach()
    m.weight_quantizer.init_from(w)  # derived for the new fold
    s = m.weight_quantizer.scale().clone()
    pnn.estimator_step(m, 1)  # records the fold, does not rescale
    assert torch.equal(m.weight_quantizer.scale(), s)
    assert torch.equal(m.weight_scale_fold, m._bn_factor().detach().abs())
    # The fold is checkpointed with the scale.
    copy_ = fixed_scale_conv()
    copy_.load_state_dict(m.state_dict())
    assert torch.equal(copy_.weight_scale_fold, m.weight_scale_fold)


def test_learned_or_set_weight_scales_are_not_refolded():
    for est in ("lsq", "msqe"):
        m = fixed_scale_conv(est, per_channel=False)
        assert m.weight_scale_fold is None
        assert "weight_scale_fold" not in m.state_dict()
    with pytest.raises(ValueError, match="per_channel=True"):
        fixed_scale_conv("ste", per_channel=False)
    assert fixed_scale_conv("ste", per_channel=True).weight_scale_fold \
        is not None
