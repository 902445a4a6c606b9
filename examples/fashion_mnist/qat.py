"""PyTorch fake quantization with potq's exact forward semantics.

Forward (SPEC sections 2 and 4, bit for bit on float32 inputs):

    t = x / s                       IEEE binary32 division
    L = nearest level of S to t + Z ties -> the level with smaller |L - Z|;
                                    NaN -> Z; +-inf / out of range -> clamp
    y = float32(L - Z) * s          one binary32 rounding

The level search runs in float64, where t + Z and every level midpoint are
exact, so the comparisons are exact: `torch.bucketize` on the midpoints of
the sorted level set, then an explicit fix for values exactly on a midpoint.

Backward (#qat.estimator<lsq>, Esser et al., "Learned Step Size
Quantization", ICLR 2020), generalised to any level set and zero point:

    dy/dx = 1 if lo <= t + Z <= hi else 0      (straight-through, clipped)
    dy/ds = (L - Z) - t  inside,  (L - Z)  outside the level range
    grad(s) is multiplied by g = 1 / sqrt(n * Qp)

with Qp the largest level magnitude |L - Z| and n the number of elements
one scale value quantizes (per output channel for weights, per sample for
activations, as in the paper).
"""

import bisect
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# --------------------------------------------------------------------------
# Encodings (SPEC section 2)
# --------------------------------------------------------------------------

# APoT magnitude sets M(B), copied from SPEC section 2.
APOT_MAGNITUDES = {
    3: [0, 1, 2, 4],
    4: [0, 1, 2, 3, 4, 6, 8, 10],
    5: [0, 1, 2, 3, 4, 6, 8, 9, 12, 16, 18, 24, 32, 33, 36, 48],
    6: [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 17, 20, 21, 24, 28, 32, 34,
        36, 38, 48, 52, 64, 65, 68, 69, 72, 76, 96, 100],
    7: [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 17, 20, 21, 24, 28, 32, 33,
        34, 35, 40, 42, 48, 49, 56, 64, 66, 68, 70, 80, 84, 96, 98, 112, 128,
        129, 132, 133, 136, 140, 160, 161, 168, 192, 196, 224, 256, 257, 258,
        259, 264, 266, 272, 273, 280, 320, 322, 336, 384, 385, 392, 448],
}


class Encoding:
    """A potq encoding: its MLIR spelling and its sorted integer level set."""

    def __init__(self, mlir, levels, uniform=False):
        self.mlir = mlir
        self.levels = sorted(set(int(v) for v in levels))
        self.uniform = uniform
        self.lo = self.levels[0]
        self.hi = self.levels[-1]
        self._tables = None

    def __repr__(self):
        return self.mlir

    @staticmethod
    def uniform_(bits, unsigned=False, narrow=False):
        if not 2 <= bits <= 16:
            raise ValueError("uniform: bits must be in [2, 16], got %d" % bits)
        if unsigned:
            lo, hi = 0, 2 ** bits - 1
        else:
            hi = 2 ** (bits - 1) - 1
            lo = -hi if narrow else -hi - 1
        words = ["bits = %d" % bits]
        if unsigned:
            words.append("unsigned")
        if narrow:
            words.append("narrow")
        return Encoding("#potq.uniform<%s>" % ", ".join(words),
                        range(lo, hi + 1), uniform=True)

    @staticmethod
    def pot(bits):
        if not 2 <= bits <= 5:
            raise ValueError("pot: bits must be in [2, 5], got %d" % bits)
        mags = [2 ** e for e in range(0, 2 ** (bits - 1) - 1)]
        return Encoding("#potq.pot<bits = %d>" % bits,
                        [0] + mags + [-m for m in mags])

    @staticmethod
    def apot(bits):
        if bits not in APOT_MAGNITUDES:
            raise ValueError("apot: bits must be in [3, 7], got %d" % bits)
        mags = APOT_MAGNITUDES[bits]
        return Encoding("#potq.apot<bits = %d>" % bits,
                        mags + [-m for m in mags])

    @staticmethod
    def nhot(terms, max_exp):
        """#potq.nhot<terms = N, max_exp = E>: every sum of N terms s * 2^e
        with s in {-1, 0, +1} and 0 <= e <= E (SPEC section 2; exponents
        may repeat, so nhot<2, 3> holds 16 = 8 + 8)."""
        if not 1 <= terms <= 4:
            raise ValueError("nhot: terms must be in [1, 4], got %d" % terms)
        if not 0 <= max_exp <= 15:
            raise ValueError("nhot: max_exp must be in [0, 15], got %d"
                             % max_exp)
        term = {0}
        for e in range(max_exp + 1):
            term.update((2 ** e, -2 ** e))
        levels = {0}
        for _ in range(terms):
            levels = {a + b for a in levels for b in term}
        return Encoding("#potq.nhot<terms = %d, max_exp = %d>"
                        % (terms, max_exp), levels)

    def max_magnitude(self, zero_point=0):
        """Qp: the largest |L - Z| (the LSQ gradient scale uses it)."""
        return max(self.hi - zero_point, zero_point - self.lo)

    def tables(self):
        """(levels, midpoints) as float64 tensors; both exact in float64."""
        if self._tables is None:
            levels = torch.tensor(self.levels, dtype=torch.float64)
            mids = (levels[:-1] + levels[1:]) * 0.5
            self._tables = (levels, mids)
        return self._tables


ENCODINGS = {
    "pot4": lambda: Encoding.pot(4),
    "apot4": lambda: Encoding.apot(4),
    "uniform4": lambda: Encoding.uniform_(4, narrow=True),
    # The 8-bit baseline that n-hot rewriting starts from (docs/BitSparsity.md).
    "uniform8": lambda: Encoding.uniform_(8, narrow=True),
    # n-hot-aware training (docs/BitSparsity.md): at most N signed powers of
    # two per weight, exponents 0..7 as in the window of the uniform8 levels.
    "nhot1e7": lambda: Encoding.nhot(1, 7),
    "nhot2e7": lambda: Encoding.nhot(2, 7),
}


# --------------------------------------------------------------------------
# Projection (SPEC section 4)
# --------------------------------------------------------------------------

def _broadcast_scale(scale, x, axis):
    """The scale tensor shaped to broadcast against x."""
    if axis is None:
        return scale.reshape([1] * x.dim()) if x.dim() else scale.reshape(())
    shape = [1] * x.dim()
    shape[axis] = -1
    return scale.reshape(shape)


def project_t(t, encoding, zero_point=0):
    """Levels (float64 tensor) for t = x / s already computed in float32."""
    levels, mids = encoding.tables()
    u = t.to(torch.float64).contiguous() + zero_point  # exact for |t| < 2^52
    idx = torch.bucketize(u, mids)                  # mids[i-1] < u <= mids[i]
    if len(mids):
        # u == mids[idx] lies exactly between levels[idx] and levels[idx+1];
        # bucketize chose levels[idx]; take levels[idx+1] where it is smaller
        # in magnitude |L - Z|.
        at = idx.clamp(max=len(mids) - 1)
        tie = (idx < len(mids)) & (u == mids[at])
        lower = levels[at] - zero_point
        upper = levels[(at + 1).clamp(max=len(levels) - 1)] - zero_point
        idx = torch.where(tie & (upper.abs() < lower.abs()), idx + 1, idx)
    out = levels[idx]
    return torch.where(torch.isnan(t), torch.full_like(out, zero_point), out)


def quantize(x, scale, encoding, zero_point=0, axis=None):
    """Levels P(x) (int64 tensor) of float32 x; scale float32 (0-d/1-elem
    per tensor, or one value per index of dimension `axis`)."""
    x = x.to(torch.float32)
    s = _broadcast_scale(scale.to(torch.float32), x, axis)
    t = x / s
    return project_t(t, encoding, zero_point).to(torch.int64)


class _FakeQuantLSQ(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, scale, encoding, zero_point, axis, grad_scale):
        s = _broadcast_scale(scale, x, axis)
        t = x / s                                           # binary32
        L = project_t(t, encoding, zero_point)              # float64 levels
        q = L - zero_point                                  # exact
        y = q.to(torch.float32) * s                         # binary32
        u = t.to(torch.float64) + zero_point
        inside = (u >= encoding.lo) & (u <= encoding.hi)
        ctx.save_for_backward(t, q.to(torch.float32), inside)
        ctx.axis = axis
        ctx.grad_scale = grad_scale
        ctx.scale_shape = scale.shape
        return y

    @staticmethod
    def backward(ctx, grad_y):
        t, q, inside = ctx.saved_tensors
        grad_x = grad_s = None
        if ctx.needs_input_grad[0]:
            grad_x = grad_y * inside.to(grad_y.dtype)
        if ctx.needs_input_grad[1]:
            ds = torch.where(inside, q - t, q)
            ds = torch.nan_to_num(ds, nan=0.0)
            contrib = grad_y * ds
            if ctx.axis is None:
                grad_s = contrib.sum().reshape(ctx.scale_shape)
            else:
                dims = [d for d in range(contrib.dim()) if d != ctx.axis]
                grad_s = contrib.sum(dim=dims).reshape(ctx.scale_shape)
            grad_s = grad_s * ctx.grad_scale
        return grad_x, grad_s, None, None, None, None


def fake_quant(x, scale, encoding, zero_point=0, axis=None, grad_scale=1.0):
    """qat.fake_quant forward (exact) with the LSQ backward."""
    return _FakeQuantLSQ.apply(x.to(torch.float32), scale.to(torch.float32),
                               encoding, zero_point, axis, grad_scale)


INT32_MIN, INT32_MAX = -2 ** 31, 2 ** 31 - 1


def project_int32(t):
    """numerics::projectToIntegerRange on t = b / s already in binary32:
    nearest integer, ties to the smaller magnitude, clamped to the i32
    range, NaN -> 0 (float64 tensor)."""
    u = t.to(torch.float64)
    down = torch.floor(u)
    frac = u - down
    up = down + 1
    tie_up = (frac == 0.5) & (up.abs() < down.abs())
    r = torch.where((frac > 0.5) | tie_up, up, down)
    r = r.clamp(INT32_MIN, INT32_MAX)
    return torch.where(torch.isnan(u), torch.zeros_like(r), r)


class _BiasQuant(torch.autograd.Function):
    @staticmethod
    def forward(ctx, b, scale):
        L = project_int32(b / scale)
        return L.to(torch.float32) * scale

    @staticmethod
    def backward(ctx, grad):
        return grad, None


def fake_quant_bias(bias, scale):
    """The bias as potq-fuse-contractions freezes it: levels
    P(b / (sx * sw[c])) on the i32 grid of the accumulator, back to reals.
    `scale` is the binary32 product sx * sw (per output channel). Straight-
    through for b; no gradient to the scales (the grid is far finer than the
    weights' and activations')."""
    return _BiasQuant.apply(bias.to(torch.float32),
                            scale.detach().to(torch.float32))


# --------------------------------------------------------------------------
# Modules
# --------------------------------------------------------------------------

SCALE_EPS = 1e-8


class FakeQuant(nn.Module):
    """A fake quantizer with a learned (LSQ) or fixed scale.

    axis=None: one scale per tensor (activations); otherwise one scale per
    index of dimension `axis` (weights: the output channel).
    """

    def __init__(self, encoding, channels=None, axis=None, zero_point=0,
                 learned=True, init_scale=1.0):
        super().__init__()
        if (channels is None) != (axis is None):
            raise ValueError("per-channel quantization needs channels and axis")
        if zero_point and not encoding.uniform:
            raise ValueError("a zero point needs a uniform encoding")
        self.encoding = encoding
        self.axis = axis
        self.zero_point = int(zero_point)
        self.learned = learned
        shape = () if channels is None else (channels,)
        init = torch.full(shape, float(init_scale), dtype=torch.float32)
        if learned:
            self.scale_param = nn.Parameter(init)
        else:
            self.register_buffer("scale_param", init)
        self.enabled = True

    def scale(self):
        """The positive float32 scale(s) the forward pass uses."""
        return self.scale_param.clamp(min=SCALE_EPS)

    @torch.no_grad()
    def clamp_(self):
        self.scale_param.clamp_(min=SCALE_EPS)

    def grad_scale(self, x):
        if self.axis is None:
            n = x[0].numel() if x.dim() > 1 else x.numel()
        else:
            n = x.numel() // x.shape[self.axis]
        return 1.0 / math.sqrt(n * self.encoding.max_magnitude(self.zero_point))

    def forward(self, x):
        if not self.enabled:
            return x
        return fake_quant(x, self.scale(), self.encoding, self.zero_point,
                          self.axis, self.grad_scale(x))

    @torch.no_grad()
    def init_from(self, x, search=True):
        """Initialises the scale from data: the scale minimising the squared
        quantization error over a grid of fractions of max|x| / Qp (per
        channel along `axis`)."""
        x = x.detach().to(torch.float32)
        qp = self.encoding.max_magnitude(self.zero_point)
        if self.axis is None:
            xs = x.reshape(1, -1)
        else:
            xs = x.transpose(0, self.axis).reshape(x.shape[self.axis], -1)
        smax = xs.abs().amax(dim=1).clamp(min=1e-6) / qp
        if not search:
            best = smax
        else:
            fracs = torch.linspace(0.2, 1.2, 41)
            best_err = torch.full_like(smax, float("inf"))
            best = smax.clone()
            for f in fracs:
                s = smax * f
                L = project_t(xs / s[:, None], self.encoding, self.zero_point)
                y = (L - self.zero_point).to(torch.float32) * s[:, None]
                err = ((y - xs) ** 2).sum(dim=1)
                better = err < best_err
                best = torch.where(better, s, best)
                best_err = torch.where(better, err, best_err)
        self.scale_param.copy_(best.reshape(self.scale_param.shape))


class QuantLinear(nn.Linear):
    """nn.Linear whose weight is fake-quantized per output channel (dim 0
    of PyTorch's [out, in] layout; axis 1 of the exported [K, N] weight)."""

    def __init__(self, in_features, out_features, encoding):
        super().__init__(in_features, out_features)
        self.weight_fq = FakeQuant(encoding, channels=out_features, axis=0)

    def quantized_weight(self):
        return self.weight_fq(self.weight)

    def quantized_bias(self, input_scale):
        """The bias on the accumulator grid sx * sw[c] (binary32 product)."""
        if input_scale is None or not self.weight_fq.enabled:
            return self.bias
        return fake_quant_bias(self.bias, input_scale * self.weight_fq.scale())

    def forward(self, x, input_scale=None):
        """input_scale: the per-tensor scale sx of x's fake quantization;
        given, the bias is fake-quantized at sx * sw[c] as potq freezes it."""
        return F.linear(x, self.quantized_weight(),
                        self.quantized_bias(input_scale))


# --------------------------------------------------------------------------
# Self-test against a brute-force reference (python3 qat.py)
# --------------------------------------------------------------------------

def _reference_levels(x, s, encoding, zero_point=0):
    """Brute force, element by element, in Python floats (binary64) after a
    numpy binary32 division."""
    out = []
    for xv, sv in zip(np.asarray(x, np.float32).ravel(),
                      np.broadcast_to(np.asarray(s, np.float32),
                                      np.shape(x)).ravel()):
        t = np.float32(xv) / np.float32(sv)
        if np.isnan(t):
            out.append(zero_point)
            continue
        u = min(max(float(t) + zero_point, encoding.lo), encoding.hi)
        i = bisect.bisect_left(encoding.levels, u)
        best = None
        for L in encoding.levels[max(i - 2, 0):i + 2]:
            key = (abs(L - u), abs(L - zero_point))
            if best is None or key < best[0]:
                best = (key, L)
        out.append(best[1])
    return np.array(out, dtype=np.int64).reshape(np.shape(x))


def _self_test():
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    cases = [(Encoding.pot(4), 0), (Encoding.apot(4), 0),
             (Encoding.uniform_(4, narrow=True), 0),
             (Encoding.uniform_(8, unsigned=True), 0),
             (Encoding.uniform_(8, unsigned=True), 3),
             (Encoding.uniform_(8), -5), (Encoding.pot(2), 0),
             (Encoding.apot(7), 0), (Encoding.uniform_(16), 0),
             (Encoding.nhot(1, 7), 0), (Encoding.nhot(2, 3), 0),
             (Encoding.nhot(2, 7), 0), (Encoding.nhot(3, 5), 0)]
    # nhot level sets against an independent enumeration: v is a level iff
    # it is a sum of at most N signed powers 2^e, 0 <= e <= E, repeats
    # allowed (the NAF weight of v is not the criterion: 16 = 8 + 8 is in
    # nhot<2, 3> although 16 itself needs 2^4).
    import itertools
    for n, e in [(1, 0), (1, 7), (2, 3), (2, 7), (3, 4), (4, 2)]:
        pw = [0] + [sg * 2 ** k for k in range(e + 1) for sg in (1, -1)]
        want = sorted({sum(c) for c in itertools.product(pw, repeat=n)})
        assert Encoding.nhot(n, e).levels == want, (n, e)
    assert 16 in Encoding.nhot(2, 3).levels
    assert 15 not in Encoding.nhot(2, 3).levels
    assert Encoding.nhot(1, 7).levels == sorted(
        [0] + [sg * 2 ** k for k in range(8) for sg in (1, -1)])
    for enc, z in cases:
        levels = np.array(enc.levels, dtype=np.float64)
        mids = (levels[:-1] + levels[1:]) / 2 - z
        # Exact midpoints (ties) at several scales, near-ties, random values,
        # specials.
        s = np.float32(0.25)
        x = np.concatenate([
            (mids * 0.25).astype(np.float32),
            np.nextafter((mids * 0.25).astype(np.float32), np.float32(np.inf)),
            np.nextafter((mids * 0.25).astype(np.float32), np.float32(-np.inf)),
            (levels - z).astype(np.float32) * s,
            rng.normal(0, 1, 500).astype(np.float32) * float(enc.hi) * 0.3,
            np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1e30, -1e30],
                     np.float32)]).astype(np.float32)
        got = quantize(torch.from_numpy(x), torch.tensor(s), enc, z).numpy()
        want = _reference_levels(x, s, enc, z)
        assert (got == want).all(), (enc, z, x[got != want], got[got != want],
                                     want[got != want])
        # Odd scales exercise the binary32 division.
        s2 = np.float32(0.1)
        y = rng.normal(0, 1, 2000).astype(np.float32) * float(enc.hi) * 0.05
        got = quantize(torch.from_numpy(y), torch.tensor(s2), enc, z).numpy()
        assert (got == _reference_levels(y, s2, enc, z)).all(), enc
    # Per channel on axis 0 and axis 1.
    enc = Encoding.pot(4)
    w = torch.randn(5, 7)
    sc = torch.rand(7) * 0.05 + 0.001
    got = quantize(w, sc, enc, axis=1).numpy()
    want = _reference_levels(w.numpy(), sc.numpy()[None, :], enc)
    assert (got == want).all()
    got = quantize(w.t(), sc, enc, axis=0).numpy()
    assert (got == want.T).all()
    # Forward value and gradients.
    fq = FakeQuant(enc, channels=7, axis=1, init_scale=0.02)
    fq.scale_param.data.copy_(sc)
    wq = fq(w.requires_grad_())
    want_y = torch.from_numpy(want).float() * sc[None, :]
    assert torch.equal(wq, want_y)
    wq.sum().backward()
    assert w.grad is not None and fq.scale_param.grad is not None
    # Bias projection: ties to the smaller magnitude, clamping, NaN.
    t = torch.tensor([0.5, -0.5, 1.5, -2.5, 2.4999998, 3e9, -3e9,
                      float("nan"), float("inf")], dtype=torch.float32)
    want = [0, 0, 1, -2, 2, INT32_MAX, INT32_MIN, 0, INT32_MAX]
    assert project_int32(t).tolist() == want, project_int32(t).tolist()
    print("qat.py self-test passed")


if __name__ == "__main__":
    _self_test()
