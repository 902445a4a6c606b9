"""The example CNN for Fashion-MNIST: a small ResNet, float or QAT.

    x [N, 1, 28, 28] = pixel / 255
    -> (QAT: uint8 fake quantization, scale 1/255: the pixel levels exactly)
    stem   conv 3x3 1->C, pad 1, BN, ReLU, act quant     28x28
           max pool 2x2                                   14x14
    block1 conv 3x3 C->C, BN, ReLU, act quant
           conv 3x3 C->C, BN, + block input, ReLU, act quant
    down   conv 3x3 C->2C, stride 2, pad 1, BN, ReLU, act quant   7x7
    block2 as block1 with 2C channels
    head   global average pool, act quant, linear 2C->10 (float logits)

Every convolution has padding 1 and BatchNorm; in the QAT network each one
is a `potq.nn.QuantConv2d(bn=True)` (BatchNorm folded into the quantized
weight), the residual `+` adds the block input (already quantized) in the
second convolution's epilogue, and each ReLU output is fake-quantized
unsigned (`act_bits`); every layer's bias lies on the accumulator grid of
its input (`set_input_quantizer`), as the compiler freezes it. The float
network has the same layers with plain
torch.nn modules; its trained state loads into the QAT network
(`load_float`).
"""

from collections import OrderedDict

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

import potq.nn as qnn

import fmnist

#: The binary32 scale of the input quantizer: x / s recovers every pixel
#: value p from x = float32(p) / float32(255) exactly.
INPUT_SCALE = float(np.float32(1) / np.float32(255))


def float_conv_bn(cin, cout, stride=1):
    """Conv2d 3x3 (pad 1, no bias) then BatchNorm2d, as `conv` and `bn`:
    plain torch.nn layers, so that potq.export folds the BatchNorm."""
    return nn.Sequential(OrderedDict(
        conv=nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False),
        bn=nn.BatchNorm2d(cout)))


class Config:
    """How the network is quantized; `weight=None` is the float network.

    weight:    weight encoding name ("pot4", "apot3", "nhot2", ...).
    act_bits:  bits of the unsigned activation quantizers (after ReLU).
    estimator: the weight quantizers' estimator kind (or a callable
               returning a new Estimator per quantizer); activations use
               `act_estimator` (lsq by default) in every configuration.
    per_channel: one weight scale per output channel.
    """

    def __init__(self, weight=None, act_bits=8, estimator="lsq",
                 act_estimator="lsq", per_channel=True):
        self.weight = weight
        self.act_bits = act_bits
        self.estimator = estimator
        self.act_estimator = act_estimator
        self.per_channel = per_channel

    @property
    def quantized(self):
        return self.weight is not None

    def _est(self, kind):
        return kind() if callable(kind) else kind

    def conv(self, cin, cout, stride=1):
        if not self.quantized:
            return float_conv_bn(cin, cout, stride)
        return qnn.QuantConv2d(cin, cout, 3, stride=stride, padding=1,
                               bias=False, bn=True, weight=self.weight,
                               per_channel=self.per_channel,
                               estimator=self._est(self.estimator))

    def linear(self, cin, cout):
        if not self.quantized:
            return nn.Linear(cin, cout)
        return qnn.QuantLinear(cin, cout, weight=self.weight,
                               per_channel=self.per_channel,
                               estimator=self._est(self.estimator))

    def act(self):
        if not self.quantized:
            return nn.Identity()
        return qnn.QuantAct("uint%d" % self.act_bits,
                            estimator=self._est(self.act_estimator))

    def input(self):
        if not self.quantized:
            return nn.Identity()
        return qnn.QuantAct("uint8", estimator="ste", scale=INPUT_SCALE)


class Block(nn.Module):
    """conv-BN-ReLU-quant, conv-BN, + input, ReLU, quant."""

    def __init__(self, cfg, channels):
        super().__init__()
        self.conv1 = cfg.conv(channels, channels)
        self.act1 = cfg.act()
        self.conv2 = cfg.conv(channels, channels)
        self.act2 = cfg.act()

    def forward(self, x):
        h = self.act1(F.relu(self.conv1(x)))
        return self.act2(F.relu(self.conv2(h) + x))


class ResNetTiny(nn.Module):
    def __init__(self, cfg=None, width=16):
        super().__init__()
        cfg = cfg or Config()
        self.config = cfg
        self.input_quant = cfg.input()
        self.stem = cfg.conv(1, width)
        self.stem_act = cfg.act()
        self.pool = nn.MaxPool2d(2)
        self.block1 = Block(cfg, width)
        self.down = cfg.conv(width, 2 * width, stride=2)
        self.down_act = cfg.act()
        self.block2 = Block(cfg, 2 * width)
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.gap_act = cfg.act()
        self.flatten = nn.Flatten()
        self.fc = cfg.linear(2 * width, 10)
        if cfg.quantized:
            # Each layer's bias on the accumulator grid of its input's scale
            # (QuantConv2d.set_input_quantizer): the integer code then adds
            # exactly the bias the float QAT graph adds.
            for layer, act in ((self.stem, self.input_quant),
                               (self.block1.conv1, self.stem_act),
                               (self.block1.conv2, self.block1.act1),
                               (self.down, self.block1.act2),
                               (self.block2.conv1, self.down_act),
                               (self.block2.conv2, self.block2.act1),
                               (self.fc, self.gap_act)):
                layer.set_input_quantizer(act.quantizer)

    def forward(self, x):
        x = self.input_quant(x)
        x = self.pool(self.stem_act(F.relu(self.stem(x))))
        x = self.block1(x)
        x = self.down_act(F.relu(self.down(x)))
        x = self.block2(x)
        x = self.gap_act(self.gap(x))
        return self.fc(self.flatten(x))


@torch.no_grad()
def load_float(qmodel, fmodel):
    """Copies a trained float ResNetTiny's weights and BatchNorm state into
    a QAT one of the same width (`X.conv.weight` of the float network is
    `X.weight` of QuantConv2d(bn=True)); the QAT network's quantizers other
    than the fixed input one are reset (calibrate afterwards). Raises
    ValueError if the two networks do not correspond."""
    state = {k.replace(".conv.weight", ".weight"): v
             for k, v in fmodel.state_dict().items()}
    result = qmodel.load_state_dict(state, strict=False)
    # Quantizer state and the BN-fold reference of fixed weight scales
    # (QuantConv2d.weight_scale_fold) are set by calibration, not copied.
    missing = [k for k in result.missing_keys
               if "quant" not in k and not k.endswith("weight_scale_fold")]
    if missing or result.unexpected_keys:
        raise ValueError("load_float: networks differ: missing %s, "
                         "unexpected %s" % (missing, result.unexpected_keys))
    for _, q in qmodel.named_modules():
        if isinstance(q, qnn.Quantizer) and q is not \
                qmodel.input_quant.quantizer:
            q.initialized.fill_(False)


def load_images(split, limit=None):
    """(images float32 [N, 1, 28, 28] = pixel / 255, labels int64 [N]) as
    tensors, from the installed dataset (fmnist.py)."""
    x, y = fmnist.load(split, limit=limit)
    return (torch.from_numpy(x).reshape(-1, 1, 28, 28),
            torch.from_numpy(y))
