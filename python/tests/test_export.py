"""potq.export: the exported graph, run by `potq-run --interpret`, equals
the PyTorch eval forward (docs/Python.md, "Export").

Bit for bit where every product and partial sum is exact in binary32 (the
summation order of PyTorch's kernels and of the interpreter then does not
matter): weights, biases, BatchNorm statistics and inputs on power-of-two
grids, and potq.nn quantizers with power-of-two scales. General float data
agrees within a stated tolerance. The quantized models also compile with
`require-integer=true` and their JIT-compiled integer code agrees with the
PyTorch fake-quant forward as docs/QatInputForm.md states.
"""

import os
import pathlib
import subprocess

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

import potq.nn as qnn
from potq.export import ExportError, export, to_mlir

# PyTorch pads a copy for "same" with an even kernel; that is its business.
pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same'")


def tool(name):
    tools = os.environ.get("POTQ_TOOLS_DIR")
    if tools is None:
        tools = pathlib.Path(__file__).resolve().parents[2] / "build" / "bin"
    path = pathlib.Path(tools) / name
    assert path.exists(), "%s not found (set POTQ_TOOLS_DIR)" % path
    return str(path)


def potq_run(tmp_path, text, inputs, results=1, flags=("--interpret",)):
    """Runs the exported module on `inputs` (tensors) with potq-run; the
    list of its results."""
    src = tmp_path / "m.mlir"
    src.write_text(text)
    args = [tool("potq-run"), str(src)] + list(flags)
    for i, x in enumerate(inputs):
        np.save(tmp_path / ("in%d.npy" % i), x.numpy())
        args.append("--input=%s" % (tmp_path / ("in%d.npy" % i)))
    outs = [tmp_path / ("out%d.npy" % i) for i in range(results)]
    args += ["--output=%s" % o for o in outs]
    r = subprocess.run(args, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return [np.load(o) for o in outs]


def same_bits(a, b):
    """Equal as binary32 bit patterns (so -0.0 differs from +0.0)."""
    a, b = np.asarray(a, np.float32), np.asarray(b, np.float32)
    return a.shape == b.shape and np.array_equal(a.view(np.uint32),
                                                 b.view(np.uint32))


def grid(gen, shape, bits, exp):
    """Random signed `bits`-bit integers times 2^exp."""
    half = 1 << (bits - 1)
    ints = torch.randint(-half, half, shape, generator=gen)
    return ints.float() * 2.0 ** exp


@torch.no_grad()
def put_on_grid(model, gen):
    """Weights on a 3-bit 2^-3 grid, biases on 2^-10; BatchNorm with
    var + eps = 4 and gamma = 2^k, so that gamma / sqrt(var + eps) is a
    power of two and the folded and unfolded forms are exact."""
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            m.weight.copy_(grid(gen, m.weight.shape, 3, -3))
            if m.bias is not None:
                m.bias.copy_(grid(gen, m.bias.shape, 6, -10))
        elif isinstance(m, nn.BatchNorm2d):
            c = m.num_features
            m.eps = 1.0
            m.running_var.fill_(3.0)
            m.running_mean.copy_(grid(gen, (c,), 4, -6))
            m.weight.copy_(2.0 ** torch.randint(0, 3, (c,), generator=gen))
            m.bias.copy_(grid(gen, (c,), 4, -6))
    return model.eval()


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(16, 12), nn.Linear(12, 5)
        self.drop = nn.Dropout(0.5)

    def forward(self, x):
        return self.fc2(self.drop(F.relu(self.fc1(x))))


class CNN(nn.Module):
    """Padding, BN (folded), ReLU, max pool, a strided conv, ReLU6, an
    average pool and a flatten of 2x2 pixels into a Linear."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
            nn.MaxPool2d(2), nn.Conv2d(8, 8, 3, stride=2, padding=1),
            nn.ReLU6(), nn.AvgPool2d(2), nn.Flatten())
        self.fc = nn.Linear(32, 5)

    def forward(self, x):
        return self.fc(self.features(x))


class Residual(nn.Module):
    """A basic block after a standalone BatchNorm (a per-channel affine)."""

    def __init__(self):
        super().__init__()
        self.bn0 = nn.BatchNorm2d(4)
        self.conv1, self.bn1 = nn.Conv2d(4, 4, 3, padding=1), nn.BatchNorm2d(4)
        self.conv2, self.bn2 = nn.Conv2d(4, 4, 3, padding=1), nn.BatchNorm2d(4)

    def forward(self, x):
        x = self.bn0(x)
        out = torch.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        out += x
        return torch.add(F.relu(out), x).clamp(-1.0, 2.5)


class Zoo(nn.Module):
    """Depthwise, grouped, "same" and dilated convolutions, cat, pools with
    ceil_mode / uncounted padding, adaptive pools, reshapes, two inputs,
    six results."""

    def __init__(self):
        super().__init__()
        self.dw = nn.Conv2d(4, 4, 3, padding="same", dilation=2, groups=4)
        self.grouped = nn.Conv2d(4, 6, 2, padding="same", groups=2)
        self.mult = nn.Conv2d(4, 8, 3, padding=1, groups=4, bias=False)
        self.fc = nn.Linear(250, 3)

    def forward(self, x, z):
        y = torch.cat([F.hardtanh(self.dw(x), -0.5, 0.5), self.grouped(x)], 1)
        y = F.max_pool2d(y, 3, stride=2, padding=1, ceil_mode=True)
        # Divisions by 6, 9 or 3 round: they come last (the sums before
        # them are exact, so PyTorch and the interpreter round one value).
        avg = F.avg_pool2d(y, 3, stride=1, padding=1, count_include_pad=False)
        m = self.mult(z)
        return (self.fc(y.view(y.size(0), -1)) + 1.0, avg,
                F.adaptive_avg_pool2d(m, 2), F.adaptive_avg_pool2d(m, 1),
                torch.flatten(y, 1), m.reshape(m.size(0), 4, 2, 36))


def quantized_net(logits_quantized, pow2_scales):
    """potq.nn model: BN folded in QuantConv2d, max pool, a residual, a
    depthwise conv, cat, an average pool and a QuantLinear."""

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.inq = qnn.QuantAct("uint8", scale=2.0 ** -8)
            self.c1 = qnn.QuantConv2d(3, 8, 3, padding=1, weight="pot4",
                                      bn=True)
            self.a1 = qnn.QuantAct("uint8")
            self.c2 = qnn.QuantConv2d(8, 8, 3, padding=1, weight="apot4")
            self.a2 = qnn.QuantAct("uint8", estimator="ste")
            self.dw = qnn.QuantConv2d(8, 8, 3, padding=1, groups=8,
                                      weight="pot4", per_channel=False)
            self.a3 = qnn.QuantAct("uint8")
            self.c3 = qnn.QuantConv2d(16, 8, 1, weight="uniform4")
            self.a4 = qnn.QuantAct("uint8")
            self.a5 = qnn.QuantAct("uint8")
            self.fc = qnn.QuantLinear(8, 5, weight="pot4")
            self.out = qnn.QuantAct("int8") if logits_quantized else None

        def forward(self, x):
            y = F.max_pool2d(self.a1(F.relu(self.c1(self.inq(x)))), 2)
            y = self.a2(F.relu(self.c2(y) + y))
            y = torch.cat([y, self.a3(F.relu6(self.dw(y)))], 1)
            y = self.a4(F.relu(self.c3(y)))
            y = self.fc(torch.flatten(self.a5(F.adaptive_avg_pool2d(y, 1)),
                                      1))
            return self.out(y) if self.out is not None else y

    gen = torch.Generator().manual_seed(3)
    net = put_on_grid(Net(), gen)
    with torch.no_grad():
        net(torch.rand(8, 3, 8, 8, generator=gen))  # initialises the scales
        for m in net.modules():  # power-of-two scales: exact float sums
            if isinstance(m, qnn.Quantizer) and pow2_scales:
                m.set_scale(2.0 ** torch.round(torch.log2(m.scale())))
        # cat of two tensors on one grid stays on it (only the estimators
        # differ): c3 reads levels.
        net.a3.quantizer.set_scale(net.a2.quantizer.scale())
    return net.eval()


def exact_inputs(gen, *shapes):
    return [grid(gen, s, 5, -4) for s in shapes]


@pytest.mark.parametrize("name", ["mlp", "cnn", "residual", "zoo"])
def test_float_models_bit_exact_on_grids(tmp_path, name):
    gen = torch.Generator().manual_seed(1)
    model, shapes = {"mlp": (MLP(), [(6, 16)]),
                     "cnn": (CNN(), [(3, 3, 16, 16)]),
                     "residual": (Residual(), [(2, 4, 6, 6)]),
                     "zoo": (Zoo(), [(2, 4, 8, 8), (2, 4, 6, 6)])}[name]
    put_on_grid(model, gen)
    inputs = exact_inputs(gen, *shapes)
    text = to_mlir(model, tuple(inputs))
    with torch.no_grad():
        ref = model(*inputs)
    refs = ref if isinstance(ref, tuple) else (ref,)
    got = potq_run(tmp_path, text, inputs, len(refs))
    for g, r in zip(got, refs):
        assert same_bits(g, r.numpy()), np.abs(g - r.numpy()).max()


@pytest.mark.parametrize("name", ["cnn", "residual", "zoo"])
def test_float_models_general_data_within_tolerance(tmp_path, name):
    """Random float weights and inputs: PyTorch's kernels (blocked sums,
    FMA in BatchNorm) and the interpreter (sums in loop order, one
    rounding per operation) round differently."""
    torch.manual_seed(2)
    model, shapes = {"cnn": (CNN(), [(3, 3, 16, 16)]),
                     "residual": (Residual(), [(2, 4, 6, 6)]),
                     "zoo": (Zoo(), [(2, 4, 8, 8), (2, 4, 6, 6)])}[name]
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.uniform_(-0.5, 0.5)
                m.running_var.uniform_(0.5, 2.0)
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.5, 0.5)
    model.eval()
    inputs = [torch.randn(s) for s in shapes]
    with torch.no_grad():
        ref = model(*inputs)
    refs = ref if isinstance(ref, tuple) else (ref,)
    got = potq_run(tmp_path, to_mlir(model, tuple(inputs)), inputs, len(refs))
    for g, r in zip(got, refs):
        np.testing.assert_allclose(g, r.numpy(), rtol=1e-5, atol=1e-6)


class Clamps(nn.Module):
    def forward(self, x):
        return (F.relu(x), F.relu6(x), F.hardtanh(x, -0.0, 0.5),
                x.clamp(min=-1.0), torch.clamp(x, max=0.25), x + 0.5)


def test_clamps_keep_signed_zeros_nan_and_infinities(tmp_path):
    """ReLU and clamps as PyTorch computes them: NaN stays NaN (same bits),
    max(-0.0, 0.0) is -0.0, min(-0.0, -0.0 bound) keeps the bound."""
    v = [-0.0, 0.0, float("nan"), float("inf"), -float("inf"), -2.0, 7.0,
         0.3, -0.7, 6.0, 1e-45, -1e-45]
    x = torch.tensor([v, v[::-1]], dtype=torch.float32)
    refs = Clamps()(x)
    got = potq_run(tmp_path, to_mlir(Clamps(), x), [x], len(refs))
    for g, r in zip(got, refs):
        assert same_bits(g, r.numpy()), (g, r)


def test_dynamic_and_static_batch(tmp_path):
    gen = torch.Generator().manual_seed(4)
    model = put_on_grid(CNN(), gen)
    text = to_mlir(model, exact_inputs(gen, (3, 3, 16, 16))[0])
    assert "func.func @main(%x: tensor<?x3x16x16xf32>) -> (tensor<?x5xf32>)" \
        in text
    x = exact_inputs(gen, (5, 3, 16, 16))[0]  # another batch size
    with torch.no_grad():
        assert same_bits(potq_run(tmp_path, text, [x])[0], model(x).numpy())
    static = to_mlir(model, x, dynamic_batch=False, func_name="net")
    assert "func.func @net(%x: tensor<5x3x16x16xf32>)" in static
    assert "?" not in static
    path = tmp_path / "net.mlir"
    assert export(model, x, path, dynamic_batch=False,
                  func_name="net") == static
    assert path.read_text() == static


@pytest.mark.parametrize("logits_quantized", [False, True])
def test_quantized_model(tmp_path, logits_quantized):
    """A potq.nn network: bit for bit in the interpreter (power-of-two
    scales); integer under require-integer, and its JIT-compiled integer
    code agrees with PyTorch (calibrated scales)."""
    gen = torch.Generator().manual_seed(5)
    x = torch.randint(0, 256, (4, 3, 8, 8), generator=gen).float() / 256
    net = quantized_net(logits_quantized, pow2_scales=True)
    text = to_mlir(net, x)
    assert text.count("qat.fake_quant") >= 12
    assert "estimator = #qat.estimator<ste>" in text
    with torch.no_grad():
        assert same_bits(potq_run(tmp_path, text, [x])[0], net(x).numpy())

    net = quantized_net(logits_quantized, pow2_scales=False)
    with torch.no_grad():
        ref = net(x).numpy()
    # The float logits' rescale does not take a dynamic batch yet
    # (docs/Python.md): a static batch for them.
    text = to_mlir(net, x, dynamic_batch=logits_quantized)
    src = tmp_path / "q.mlir"
    src.write_text(text)
    r = subprocess.run(
        [tool("potq-opt"), str(src),
         "--potq-qat-to-shift-add=lower=false require-integer=true",
         "--potq-contraction-stats", "-o", str(tmp_path / "q.potq.mlir")],
        capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "total: 5 contractions, 0 in float" in r.stderr + r.stdout
    ops = (tmp_path / "q.potq.mlir").read_text()
    for op in ("potq.conv_2d_nhwc_hwcf", "potq.depthwise_conv_2d_nhwc_hwc",
               "potq.matmul", "potq.max_pool_2d_nhwc",
               "potq.avg_pool_2d_nhwc"):
        assert op in ops, op

    jit = potq_run(tmp_path, text, [x], flags=("--jit",))[0]
    if logits_quantized:  # within one level (docs/QatInputForm.md)
        s = float(net.out.quantizer.scale())
        assert np.abs(np.round(jit / s) - np.round(ref / s)).max() <= 1
    else:  # within 4 units s_x * s_w[c] * (largest level), as ResNet-18
        unit = float(net.a5.quantizer.scale()) * float(
            net.fc.weight_quantizer.scale().max()) * 64
        assert np.abs(jit - ref).max() <= 4 * unit
        assert (jit.argmax(1) == ref.argmax(1)).all()


class Wrap(nn.Module):
    """Applies `fn` after a conv, under a module path."""

    def __init__(self, fn=None, tail=None):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(2, 4, 3), tail or nn.Identity())
        self.fn = fn
        self.p = nn.Parameter(torch.ones(4, 2, 2))

    def forward(self, x):
        y = self.body(x)
        return self.fn(self, y) if self.fn else y


@pytest.mark.parametrize("model, message", [
    (Wrap(tail=nn.GELU()), "module 'body.1' (torch.nn.modules.activation."
                           "GELU): this module has no export"),
    (Wrap(lambda m, y: torch.sigmoid(y)), "node 'sigmoid' (call to sigmoid)"),
    (Wrap(lambda m, y: y.mul(2.0)), "node 'mul' (method Tensor.mul)"),
    (Wrap(lambda m, y: y + m.p), "a parameter or buffer read directly"),
    (Wrap(lambda m, y: y + y[:, :1]), "node 'getitem' (call to getitem): "
                                      "indexing tensors"),
    (Wrap(lambda m, y: y.view(-1, 8)), "node 'view' (method Tensor.view): "
                                       "its result has shape [4, 8]"),
    (Wrap(lambda m, y: F.adaptive_avg_pool2d(y, 3)),
     "only output sizes that divide the input"),
    (Wrap(tail=nn.MaxPool2d(2, return_indices=True)),
     "module 'body.1' (torch.nn.modules.pooling.MaxPool2d): return_indices"),
    (Wrap(lambda m, y: y if y.sum() > 0 else -y), "torch.fx cannot trace"),
])
def test_unsupported_raises_export_error(model, message):
    x = torch.zeros(2, 2, 4, 4)
    with pytest.raises(ExportError) as info:
        to_mlir(model, x)
    assert message in str(info.value)


def test_bad_arguments():
    conv = nn.Conv2d(2, 2, 3, padding=1, padding_mode="reflect")
    with pytest.raises(ExportError,
                       match="module '0' .*padding_mode 'reflect'"):
        to_mlir(nn.Sequential(conv), torch.zeros(1, 2, 4, 4))
    with pytest.raises(ExportError, match="quantizer '0.quantizer' has no "
                                          "scale yet"):
        to_mlir(nn.Sequential(qnn.QuantAct("uint8")), torch.zeros(1, 4))
    with pytest.raises(ExportError, match="dtype torch.float64"):
        to_mlir(MLP(), torch.zeros(2, 16, dtype=torch.float64))
    with pytest.raises(TypeError, match="example_inputs"):
        to_mlir(MLP(), [[0.0] * 16])
    with pytest.raises(ValueError, match="func_name"):
        to_mlir(MLP(), torch.zeros(2, 16), func_name="not a name")
