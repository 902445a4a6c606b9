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


@pytest.fixture
def potq_run(tools, tmp_path):
    """potq_run(text, inputs): runs the exported module on `inputs`
    (tensors) with potq-run; the list of its results."""

    def run(text, inputs, results=1, flags=("--interpret",)):
        src = tmp_path / "m.mlir"
        src.write_text(text)
        args = [tools("potq-run"), str(src)] + list(flags)
        for i, x in enumerate(inputs):
            np.save(tmp_path / ("in%d.npy" % i), x.numpy())
            args.append("--input=%s" % (tmp_path / ("in%d.npy" % i)))
        outs = [tmp_path / ("out%d.npy" % i) for i in range(results)]
        args += ["--output=%s" % o for o in outs]
        r = subprocess.run(args, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        return [np.load(o) for o in outs]

    return run


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
    ceil_mode / uncounted padding / default strides, adaptive pools,
    reshapes, two inputs, seven results."""

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
                torch.flatten(y, 1), m.reshape(m.size(0), 4, 2, 36),
                # strides default to the kernels
                F.avg_pool2d(F.max_pool2d(m, 2), (1, 2)))


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
def test_float_models_bit_exact_on_grids(potq_run, name):
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
    got = potq_run(text, inputs, len(refs))
    for g, r in zip(got, refs):
        assert same_bits(g, r.numpy()), np.abs(g - r.numpy()).max()


@pytest.mark.parametrize("name", ["cnn", "residual", "zoo"])
def test_float_models_general_data_within_tolerance(potq_run, name):
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
    got = potq_run(to_mlir(model, tuple(inputs)), inputs, len(refs))
    for g, r in zip(got, refs):
        np.testing.assert_allclose(g, r.numpy(), rtol=1e-5, atol=1e-6)


class Clamps(nn.Module):
    def forward(self, x):
        return (F.relu(x), F.relu6(x), F.hardtanh(x, -0.0, 0.5),
                x.clamp(min=-1.0), torch.clamp(x, max=0.25), x + 0.5)


def test_clamps_keep_signed_zeros_nan_and_infinities(potq_run):
    """ReLU and clamps as PyTorch computes them: NaN stays NaN (same bits),
    max(-0.0, 0.0) is -0.0, min(-0.0, -0.0 bound) keeps the bound."""
    v = [-0.0, 0.0, float("nan"), float("inf"), -float("inf"), -2.0, 7.0,
         0.3, -0.7, 6.0, 1e-45, -1e-45]
    x = torch.tensor([v, v[::-1]], dtype=torch.float32)
    refs = Clamps()(x)
    got = potq_run(to_mlir(Clamps(), x), [x], len(refs))
    for g, r in zip(got, refs):
        assert same_bits(g, r.numpy()), (g, r)


def test_dynamic_and_static_batch(potq_run, tmp_path):
    gen = torch.Generator().manual_seed(4)
    model = put_on_grid(CNN(), gen)
    text = to_mlir(model, exact_inputs(gen, (3, 3, 16, 16))[0])
    assert "func.func @main(%x: tensor<?x3x16x16xf32>) -> (tensor<?x5xf32>)" \
        in text
    # A batch-1 example gives the same function (the sizes are checked
    # at batch 2 as well).
    assert to_mlir(model, torch.zeros(1, 3, 16, 16)) == text
    x = exact_inputs(gen, (5, 3, 16, 16))[0]  # another batch size
    with torch.no_grad():
        assert same_bits(potq_run(text, [x])[0], model(x).numpy())
    static = to_mlir(model, x, dynamic_batch=False, func_name="net")
    assert "func.func @net(%x: tensor<5x3x16x16xf32>)" in static
    assert "?" not in static
    path = tmp_path / "net.mlir"
    assert export(model, x, path, dynamic_batch=False,
                  func_name="net") == static
    assert path.read_text() == static


@pytest.mark.parametrize("logits_quantized", [False, True])
def test_quantized_model(tools, potq_run, tmp_path, logits_quantized):
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
        assert same_bits(potq_run(text, [x])[0], net(x).numpy())

    net = quantized_net(logits_quantized, pow2_scales=False)
    with torch.no_grad():
        ref = net(x).numpy()
    # The float logits' rescale does not take a dynamic batch yet
    # (docs/Python.md): a static batch for them.
    text = to_mlir(net, x, dynamic_batch=logits_quantized)
    src = tmp_path / "q.mlir"
    src.write_text(text)
    r = subprocess.run(
        [tools("potq-opt"), str(src),
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

    jit = potq_run(text, [x], flags=("--jit",))[0]
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


class InplaceChain(nn.Module):
    """In-place ops that nothing else reads: an in-place ReLU on the input
    (its only user), the residual `z += y`, F.relu(inplace=True), add_ and
    clamp_ each on the previous result."""

    def __init__(self):
        super().__init__()
        self.relu = nn.ReLU(inplace=True)
        self.conv = nn.Conv2d(2, 2, 3, padding=1)

    def forward(self, x):
        y = self.conv(self.relu(x))
        z = self.conv(y)
        z += y
        z = F.relu(z, inplace=True)
        return z.add_(0.5).clamp_(max=2.0)


def test_inplace_ops_whose_operand_nothing_else_reads(potq_run):
    gen = torch.Generator().manual_seed(6)
    model = put_on_grid(InplaceChain(), gen)
    x = exact_inputs(gen, (2, 2, 5, 5))[0]
    before = x.clone()
    text = to_mlir(model, x)
    assert same_bits(x, before)  # the export ran the model on a copy
    with torch.no_grad():
        ref = model(x.clone())
    assert same_bits(potq_run(text, [x])[0], ref.numpy())


class Mutates(nn.Module):
    """`fn(self, y)` after a conv; y = conv(x) is named 'conv'."""

    def __init__(self, fn):
        super().__init__()
        self.conv = nn.Conv2d(2, 2, 1)
        self.relu = nn.ReLU(inplace=True)
        self.fn = fn

    def forward(self, x):
        return self.fn(self, self.conv(x))


def _iadd_alias(m, y):
    z = y
    y += 1.0
    return z


def _view_mutated(m, y):
    z = y.flatten(1)
    z.relu_()
    return y


@pytest.mark.parametrize("fn, message", [
    (lambda m, y: y + m.relu(y), "module 'relu' (torch.nn.modules.activation"
                                 ".ReLU): modifies 'conv' in place, which "
                                 "node 'add' (call to add) also reads"),
    (lambda m, y: y.relu_() + y, "node 'relu_' (method Tensor.relu_): "
                                 "modifies 'conv' in place"),
    (lambda m, y: F.relu(y, inplace=True) + y, "node 'relu' (call to relu): "
                                               "modifies 'conv' in place"),
    (_iadd_alias, "node 'iadd' (call to iadd): modifies 'conv' in place, "
                  "which the model's result also reads"),
    (lambda m, y: (y.add_(1.0), y)[1], "node 'add_' (method Tensor.add_): "
                                       "modifies 'conv' in place, which the "
                                       "model's result also reads"),
    # through a view: the relu_ writes into conv's storage
    (_view_mutated, "node 'relu_' (method Tensor.relu_): modifies 'conv' in "
                    "place, which the model's result also reads"),
])
def test_inplace_op_on_a_value_read_elsewhere_is_refused(fn, message):
    """The export computes in-place ops out of place; where another user
    would see the mutation, that would be silently wrong."""
    with pytest.raises(ExportError) as info:
        to_mlir(Mutates(fn), torch.zeros(1, 2, 3, 3))
    assert message in str(info.value)


def test_inplace_op_on_an_input_read_elsewhere_is_refused():
    class PreActivation(nn.Module):  # idn = x; conv(relu_(x)) + idn
        def __init__(self):
            super().__init__()
            self.relu = nn.ReLU(inplace=True)
            self.conv = nn.Conv2d(2, 2, 1)

        def forward(self, x):
            return self.conv(self.relu(x)) + x

    with pytest.raises(ExportError, match="module 'relu' .* modifies 'x' in "
                                          "place, which node 'add'"):
        to_mlir(PreActivation(), torch.zeros(1, 2, 3, 3))


def _qat_layers():
    import torch.ao.quantization as tq
    qconfig = tq.get_default_qat_qconfig("fbgemm")
    return [(torch.nn.qat.Conv2d(2, 2, 1, qconfig=qconfig), (1, 2, 3, 3)),
            (torch.nn.qat.Linear(4, 2, qconfig=qconfig), (1, 4))]


@pytest.mark.parametrize("index", [0, 1])
def test_subclasses_of_supported_layers_are_refused(index):
    """torch.nn.qat.Conv2d is an nn.Conv2d that fake-quantizes its weight:
    exported as its parent it would lose the quantization."""
    layer, shape = _qat_layers()[index]
    with pytest.raises(ExportError, match="module '0' .*%s\\): this module "
                                          "has no export"
                                          % type(layer).__name__):
        to_mlir(nn.Sequential(layer), torch.zeros(shape))


def _hooked(kind):
    conv = nn.Conv2d(2, 2, 1)
    model = nn.Sequential(nn.ReLU(), conv)
    if kind == "forward":
        conv.register_forward_hook(lambda m, i, o: o * 2)
    elif kind == "pre":
        conv.register_forward_pre_hook(lambda m, i: (i[0] * 2,))
    elif kind == "weight_norm":
        torch.nn.utils.weight_norm(conv)
    else:  # on the root, whose hooks fx never runs
        model.register_forward_hook(lambda m, i, o: o * 2)
    return model


@pytest.mark.parametrize("kind, message", [
    ("forward", "module '1' (torch.nn.modules.conv.Conv2d) has forward "
                "hooks or pre-hooks (_hooked.<locals>.<lambda>)"),
    ("pre", "module '1' (torch.nn.modules.conv.Conv2d) has forward hooks"),
    ("weight_norm", "(WeightNorm)"),
    ("root", "module '<root>' (torch.nn.modules.container.Sequential) has "
             "forward hooks"),
])
def test_forward_hooks_are_refused(kind, message):
    with pytest.raises(ExportError) as info:
        to_mlir(_hooked(kind), torch.zeros(1, 2, 3, 3))
    assert message in str(info.value)


def test_global_forward_hooks_are_refused():
    from torch.nn.modules.module import register_module_forward_hook
    handle = register_module_forward_hook(lambda m, i, o: None)
    try:
        with pytest.raises(ExportError, match="global forward hooks"):
            to_mlir(MLP(), torch.zeros(2, 16))
    finally:
        handle.remove()
    to_mlir(MLP(), torch.zeros(2, 16))


class View(nn.Module):
    def __init__(self, *shape):
        super().__init__()
        self.shape = shape

    def forward(self, x):
        return x.view(*self.shape)


@pytest.mark.parametrize("batch, model, message", [
    # traced at batch 1 alone, these would export with a `?` batch
    (1, View(1, -1), "node 'view' (method Tensor.view): its result has shape "
                     "[1, 8] at batch 1 but [1, 16] at batch 2"),
    (1, nn.Sequential(View(1, -1), nn.Linear(8, 3)),
     "module '1' (torch.nn.modules.linear.Linear) fails at batch 2 "
     "(RuntimeError: mat1 and mat2"),
    (2, View(2, -1), "node 'view' (method Tensor.view): its result has shape "
                     "[2, 8] at batch 2 but [2, 4] at batch 1"),
])
def test_dynamic_batch_sizes_must_follow_the_batch(batch, model, message):
    x = torch.zeros(batch, 2, 4)
    with pytest.raises(ExportError) as info:
        to_mlir(model, x)
    assert message in str(info.value)
    assert ": tensor<%dx2x4xf32>) ->" % batch in to_mlir(
        model, x, dynamic_batch=False)


def test_example_inputs_must_match_forward():
    class Two(nn.Module):
        def forward(self, x, y):
            return x + y

    with pytest.raises(ExportError, match=r"Two.forward takes 2 inputs "
                                          r"\(x, y\), example_inputs has 1"):
        to_mlir(Two(), torch.zeros(2, 3))
    with pytest.raises(ExportError, match="MLP.forward takes 1 inputs .*, "
                                          "example_inputs has 2"):
        to_mlir(MLP(), (torch.zeros(2, 16), torch.zeros(2, 16)))


def test_a_single_layer_is_exported_as_a_network(potq_run):
    """fx would trace a potq or torch.nn layer's own code (the quantizer's
    arithmetic, F.linear); as a root it is exported as its one layer."""
    gen = torch.Generator().manual_seed(7)
    layer = put_on_grid(qnn.QuantLinear(8, 4, weight="pot4"), gen)
    x = exact_inputs(gen, (3, 8))[0]
    with torch.no_grad():
        layer.train()
        layer(x)
        q = layer.weight_quantizer
        q.set_scale(2.0 ** torch.round(torch.log2(q.scale())))
    layer.eval()
    text = to_mlir(layer, x)
    assert 'loc("0")' in text and "qat.fake_quant" in text
    assert "Exported by potq.export from QuantLinear" in text
    with torch.no_grad():
        assert same_bits(potq_run(text, [x])[0], layer(x).numpy())
