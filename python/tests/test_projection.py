"""potq.functional against potq's C++ numerics (potq._potq), bit for bit.

The vectorised projection (torch.bucketize on binary32 midpoints) must equal
numerics::project / numerics::fakeQuantize on every input: >= 1e6 random
values per encoding (random bit patterns included, so denormals, huge
values, NaN and inf), every tie between two levels at several scales,
per-tensor and per-channel scales, zero points, and empty tensors.
"""

import numpy as np
import pytest
import torch

from potq import _potq
from potq import functional as F
from potq.encodings import Encoding

RANDOM_VALUES = 1 << 20

# Scaling random bit patterns overflows to inf and makes NaN on purpose.
pytestmark = pytest.mark.filterwarnings(
    "ignore:overflow encountered:RuntimeWarning",
    "ignore:invalid value encountered:RuntimeWarning")

# (encoding, zero points): pot/apot at every width, uniform signed /
# unsigned / narrow, n-hot; zero points at the ends and inside.
CASES = (
    [(Encoding.pot(b), [0]) for b in range(2, 6)]
    + [(Encoding.apot(b), [0]) for b in range(3, 8)]
    + [(Encoding.uniform(2), [0, -2, 1]),
       (Encoding.uniform(4, narrow=True), [0, -7, 5]),
       (Encoding.uniform(8), [0, -128, 127, -5]),
       (Encoding.uniform(8, unsigned=True), [0, 3, 128, 255]),
       (Encoding.uniform(8, narrow=True), [0]),
       (Encoding.uniform(16), [0, -32768, 1000]),
       (Encoding.uniform(16, unsigned=True), [0, 65535])]
    + [(Encoding.nhot(n, e), [0])
       for n, e in [(1, 0), (1, 7), (2, 3), (2, 7), (3, 5), (4, 15)]])

IDS = [enc.mlir for enc, _ in CASES]


def bits32(a):
    """The binary32 bit patterns of a float32 array/tensor (so -0.0 and 0.0
    differ and NaNs compare)."""
    if isinstance(a, torch.Tensor):
        a = a.numpy()
    return np.ascontiguousarray(a, dtype=np.float32).view(np.int32)


def assert_same(x, scale, enc, zp, axis=None):
    """functional.project/fake_quantize == _potq.project/fake_quantize."""
    xt = torch.from_numpy(np.ascontiguousarray(x, np.float32))
    st = torch.as_tensor(np.asarray(scale, np.float32))
    got_l = F.project(xt, st, enc, zp, axis).numpy()
    want_l = _potq.project(x, np.asarray(scale, np.float32), enc.mlir, zp,
                           axis)
    assert got_l.dtype == np.float32
    bad = got_l.astype(np.int64) + zp != want_l
    assert not bad.any(), (enc, zp, x[bad][:8], got_l[bad][:8],
                           want_l[bad][:8])
    got_y = F.fake_quantize(xt, st, enc, zp, axis)
    want_y = _potq.fake_quantize(x, np.asarray(scale, np.float32), enc.mlir,
                                 zp, axis)
    assert got_y.dtype == torch.float32
    bad = bits32(got_y) != bits32(want_y)
    assert not bad.any(), (enc, zp, x[bad][:8], got_y.numpy()[bad][:8],
                           want_y[bad][:8])


def random_values(rng, enc, n):
    """n float32 values: a quarter random bit patterns (every exponent:
    denormals, huge, NaN, inf), the rest spread over and around the level
    range at the scales used."""
    k = n // 4
    raw = rng.integers(0, 2 ** 32, k, dtype=np.uint64).astype(np.uint32)
    span = float(max(abs(enc.lo), abs(enc.hi)))
    parts = [raw.view(np.float32),
             rng.uniform(-1.2 * span, 1.2 * span, k),
             rng.normal(0.0, 0.2 * span, k),
             rng.laplace(0.0, 2.0, n - 3 * k)]
    return np.concatenate([p.astype(np.float32) for p in parts])


def tie_values(enc, zp, s):
    """x with x / s exactly on every midpoint between adjacent levels (and
    their neighbours one ulp away), for a scale s with exact products."""
    levels = np.array(enc.levels, np.float64) - zp
    mids = (levels[:-1] + levels[1:]) / 2
    x = (mids * s).astype(np.float32)
    assert (x.astype(np.float64) == mids * s).all()  # exact: real ties
    return np.concatenate([
        x, np.nextafter(x, np.float32(np.inf)),
        np.nextafter(x, np.float32(-np.inf)),
        (levels * s).astype(np.float32)])


SPECIALS = np.array(
    [np.nan, -np.nan, np.inf, -np.inf, 0.0, -0.0, 1e-45, -1e-45, 1e-39,
     -1.17549435e-38, 3.4028235e38, -3.4028235e38, 1e30, -1e30, 0.5, -0.5],
    np.float32)


@pytest.mark.parametrize("enc,zps", CASES, ids=IDS)
def test_random_values_per_tensor(enc, zps):
    rng = np.random.default_rng(len(enc.levels) * 7919 + enc.hi)
    x = random_values(rng, enc, RANDOM_VALUES)
    for i, zp in enumerate(zps):
        # A non-power-of-two scale exercises the binary32 division, a
        # power of two the exact case. Every value at the first zero point,
        # a quarter of them at the others (the file stays fast).
        scale = [0.1, 0.25, 0.0173][i % 3]
        xs = x if i == 0 else x[i::4]
        assert_same(xs * np.float32(scale), scale, enc, zp)
    # Denormal and huge scales: the division's underflow and overflow.
    assert_same(SPECIALS, 1e-40, enc, zps[0])
    assert_same(SPECIALS, 3.0e38, enc, zps[0])


@pytest.mark.parametrize("enc,zps", CASES, ids=IDS)
def test_every_tie(enc, zps):
    scales = [1.0, 0.75, 2.0 ** -20]
    if len(enc.levels) <= 256:  # 16-bit encodings: 2^16 ties per scale
        scales += [0.25, 3.0]
    for zp in zps:
        for s in scales:
            assert_same(tie_values(enc, zp, s), s, enc, zp)


@pytest.mark.parametrize("enc", [Encoding.pot(4), Encoding.apot(5),
                                 Encoding.uniform(8), Encoding.nhot(2, 7)],
                         ids=lambda e: e.mlir)
def test_per_channel(enc):
    rng = np.random.default_rng(3)
    scales = rng.uniform(1e-3, 0.5, 16).astype(np.float32)
    scales[0] = 0.25  # a power of two next to odd ones
    base = random_values(rng, enc, 16 * 4096).reshape(16, 4096)
    x = base * scales[:, None]
    assert_same(x, scales, enc, 0, axis=0)
    assert_same(np.ascontiguousarray(x.T), scales, enc, 0, axis=1)
    assert_same(np.ascontiguousarray(x.T), scales, enc, 0, axis=-1)
    conv = (base.reshape(16, 4, 32, 32) * scales[:, None, None, None])
    assert_same(conv, scales, enc, 0, axis=0)
    assert_same(np.ascontiguousarray(conv.transpose(1, 0, 2, 3)), scales,
                enc, 0, axis=1)
    # Every tie of every channel.
    ties = np.stack([tie_values(enc, 0, 0.5), tie_values(enc, 0, 0.75)])
    assert_same(ties, np.array([0.5, 0.75], np.float32), enc, 0, axis=0)


def test_ties_go_to_smaller_magnitude():
    # Closed cases of SPEC section 4, independent of the C++ library.
    pot = Encoding.pot(4)  # levels 0, +-1, +-2, ..., +-64
    x = torch.tensor([0.5, -0.5, 1.5, -1.5, 3.0, -3.0, 96.0, 1000.0,
                      float("nan"), float("inf"), float("-inf")])
    assert F.project(x, 1.0, pot).tolist() == [
        0, 0, 1, -1, 2, -2, 64, 64, 0, 64, -64]
    u8 = Encoding.uniform(8, unsigned=True)
    # zero point 3: t + 3 on a midpoint goes to the level nearer 3.
    assert F.project(torch.tensor([-2.5, 2.5, float("nan")]), 1.0, u8,
                     3).tolist() == [-2, 2, 0]


def test_half_precision_inputs():
    rng = np.random.default_rng(5)
    enc = Encoding.apot(4)
    x32 = rng.normal(0, 1, 10000).astype(np.float32)
    for dtype in (torch.float16, torch.bfloat16):
        x = torch.from_numpy(x32).to(dtype)
        y = F.fake_quantize(x, 0.1, enc)
        assert y.dtype == dtype
        want = _potq.fake_quantize(x.float().numpy(), 0.1, enc.mlir)
        assert torch.equal(y, torch.from_numpy(want).to(dtype))


def test_zero_size():
    enc = Encoding.pot(3)
    for shape, axis, scale in [((0,), None, 0.5), ((0, 3), 1, [1.0] * 3),
                               ((4, 0), 0, [1.0] * 4), ((0, 5), 0, [])]:
        x = np.zeros(shape, np.float32)
        assert F.project(torch.from_numpy(x), torch.tensor(
            scale, dtype=torch.float32), enc, axis=axis).shape == shape
        assert_same(x, scale, enc, 0, axis=axis)


def test_no_gradient():
    x = torch.randn(10, requires_grad=True)
    s = torch.tensor(0.1, requires_grad=True)
    assert not F.fake_quantize(x, s, "pot4").requires_grad


@pytest.mark.parametrize("call,error,words", [
    (lambda: F.project(torch.ones(3), 0.0, "pot4"), ValueError, "positive"),
    (lambda: F.project(torch.ones(3), -1.0, "pot4"), ValueError, "positive"),
    (lambda: F.project(torch.ones(3), float("inf"), "pot4"), ValueError,
     "finite"),
    (lambda: F.project(torch.ones(3), float("nan"), "pot4"), ValueError,
     "finite"),
    (lambda: F.project(torch.ones(2, 3), torch.ones(3), "pot4"), ValueError,
     "per-tensor"),
    (lambda: F.project(torch.ones(2, 3), torch.ones(2), "pot4", axis=1),
     ValueError, "shape [3]"),
    (lambda: F.project(torch.ones(2, 3), torch.ones(3), "pot4", axis=2),
     ValueError, "axis 2 out of range"),
    (lambda: F.project(torch.ones(3, dtype=torch.float64), 1.0, "pot4"),
     TypeError, "float32"),
    (lambda: F.project(torch.ones(3, dtype=torch.int32), 1.0, "pot4"),
     TypeError, "float32"),
    (lambda: F.project([1.0], 1.0, "pot4"), TypeError, "torch.Tensor"),
    (lambda: F.project(torch.ones(3), 1.0, "pot4", zero_point=1),
     ValueError, "uniform"),
    (lambda: F.project(torch.ones(3), 1.0, "uint8", zero_point=256),
     ValueError, "not a level"),
    (lambda: F.project(torch.ones(3), 1.0, "pot9"), ValueError, "bits"),
    (lambda: F.project(torch.ones(3), 1.0, "fp8"), ValueError,
     "unknown encoding"),
])
def test_errors(call, error, words):
    with pytest.raises(error, match=None) as info:
        call()
    assert words in str(info.value), str(info.value)
