"""QuantLinear/QuantConv2d.set_input_quantizer: the bias on the accumulator
grid sx * sw[c] in training, as potq-fuse-contractions freezes it.

Why it matters: over a constant input region every position of a channel
computes the same value b / sy; where that lies within half an accumulator
unit of an output rounding boundary, the compiler's rounding of the float
bias puts the whole region one level away from the float QAT graph. The
compiled test below shows it happening without the grid and not with it.
"""

import numpy as np
import torch
import torch.nn.functional as F

import potq
import potq.export
import potq.nn as qnn
from potq import _potq

INT32 = (-2 ** 31, 2 ** 31 - 1)


def grid_levels(b, s):
    return _potq.project_to_integer_range(
        b.detach().numpy().astype(np.float32),
        s.detach().numpy().astype(np.float32), *INT32, axis=0)


def test_linear_bias_on_grid_and_straight_through():
    torch.manual_seed(0)
    act = qnn.QuantAct("uint8", estimator="ste", scale=0.05)
    layer = qnn.QuantLinear(6, 4, weight="apot4").set_input_quantizer(
        act.quantizer)
    layer.weight_quantizer.set_scale(torch.tensor([0.01, 0.02, 0.03, 0.07]))
    with torch.no_grad():
        layer.bias.copy_(torch.tensor([0.1234567, -0.0071, 3.3e-4, 2.0]))
    w, b = layer.folded_weight_and_bias()
    s = act.quantizer.scale() * layer.weight_quantizer.scale()  # binary32
    expected = torch.from_numpy(grid_levels(layer.bias, s)).float() * s
    assert torch.equal(b, expected)
    assert not torch.equal(b, layer.bias)
    x = act(torch.rand(5, 6))
    y = layer(x)
    assert torch.equal(y, F.linear(x, layer.weight_quantizer(w), b))
    y.sum().backward()
    assert torch.equal(layer.bias.grad, torch.full((4,), 5.0))


def test_bias_stays_float_until_both_scales_exist():
    act = qnn.QuantAct("uint8")  # no scale yet
    layer = qnn.QuantLinear(3, 2, weight="pot4").set_input_quantizer(
        act.quantizer)
    assert layer.folded_weight_and_bias()[1] is layer.bias
    assert layer.input_quantizer is act.quantizer
    assert layer.set_input_quantizer(None).input_quantizer is None


def test_conv_bn_bias_on_grid():
    torch.manual_seed(1)
    act = qnn.QuantAct("uint4", estimator="ste", scale=0.3)
    conv = qnn.QuantConv2d(2, 3, 3, padding=1, bias=False, bn=True,
                           weight="pot3").set_input_quantizer(act.quantizer)
    conv.eval()
    conv.weight_quantizer.init_from(conv.folded_weight_and_bias()[0])
    w, b = conv.folded_weight_and_bias()
    s = act.quantizer.scale() * conv.weight_quantizer.scale()
    levels = torch.from_numpy(grid_levels(b, s)).float()
    assert torch.equal(b, levels * s)


def test_errors():
    layer = qnn.QuantLinear(3, 2, weight="pot4")
    per_channel = qnn.Quantizer("uint8", axis=1, channels=3)
    try:
        layer.set_input_quantizer(per_channel)
    except ValueError as e:
        assert "one scale per tensor" in str(e)
    else:
        raise AssertionError("per-channel input quantizer accepted")
    try:
        layer.set_input_quantizer(torch.nn.ReLU())
    except TypeError as e:
        assert "QuantLinear.set_input_quantizer" in str(e)
    else:
        raise AssertionError("a ReLU accepted as input quantizer")


class _Net(torch.nn.Module):
    """uint8 input -> 1x1 conv with biases near output half-levels -> ReLU
    -> uint4, the situation of an image's constant background."""

    def __init__(self, grid):
        super().__init__()
        # sy / (sx * sw) is no integer: the channels' half-levels lie
        # anywhere between two accumulator units.
        channels, sy, sw = 32, 0.25, 0.0123
        self.inp = qnn.QuantAct("uint8", estimator="ste", scale=1 / 255)
        self.conv = qnn.QuantConv2d(1, channels, 1, weight="pot4",
                                    estimator="ste")
        self.out = qnn.QuantAct("uint4", estimator="ste", scale=sy)
        self.conv.weight_quantizer.set_scale(torch.full((channels,), sw))
        unit = float(np.float32(1 / 255) * np.float32(sw))
        g = torch.Generator().manual_seed(3)
        k = torch.randint(0, 14, (channels,), generator=g).float()
        delta = (torch.rand(channels, generator=g) - 0.5) * 0.8 * unit
        with torch.no_grad():
            self.conv.bias.copy_((k + 0.5) * sy + delta)
        if grid:
            self.conv.set_input_quantizer(self.inp.quantizer)

    def forward(self, x):
        return self.out(F.relu(self.conv(self.inp(x))))


def _levels(grid):
    net = _Net(grid).eval()
    x = torch.zeros(2, 1, 3, 3)
    mlir = potq.export.to_mlir(net, (x,))
    integer = potq.compile(mlir).run(x.numpy())
    floats = potq.compile(mlir, pipeline=(
        "builtin.module(potq-qat-to-shift-add{fuse=false})")).run(x.numpy())
    torch_out = net(x).detach().numpy()
    assert np.array_equal(torch_out.view(np.uint32), floats.view(np.uint32))
    return integer / 0.25, floats / 0.25


def test_compiled_integer_code_equals_float_graph_only_with_grid():
    integer, floats = _levels(grid=True)
    assert np.array_equal(integer, floats)
    integer, floats = _levels(grid=False)
    assert (integer != floats).any()
