"""The forward numerics of fake quantization, SPEC section 4 bit for bit.

    t = x / s                         IEEE binary32 division
    L = the level nearest to t + Z    ties -> the level with smaller |L - Z|;
                                      NaN -> Z; +-inf and beyond -> clamp
    y = float32(L - Z) * s            one binary32 rounding

Why this vectorised form is exact: every level L and every midpoint
(L_i + L_{i+1}) / 2 of a potq level set is a (half-)integer below 2^18, so
`mid - Z` is exactly representable in binary32. Comparing the binary32
value t with `mid - Z` is therefore the exact comparison of t + Z with the
midpoint, and `torch.bucketize` on those shifted midpoints finds the nearest
level; a value exactly on a midpoint is then moved to the level of smaller
|L - Z| with a precomputed per-midpoint table. NaN is mapped to Z last;
+-inf lands on the first or last bucket (clamping). The tests compare this
with potq's C++ numerics (`potq._potq.project`) on millions of values.

These functions carry no gradient (the result is detached): training goes
through a `potq.nn.Quantizer`, whose estimator supplies the backward rule.
"""

import torch

from potq.encodings import Encoding

__all__ = ["project", "fake_quantize", "project_t", "broadcast_scale",
           "divide"]

_FLOAT_TYPES = (torch.float32, torch.float16, torch.bfloat16)

# (encoding mlir, zero point, device) -> (mids - Z, levels - Z, tie_up)
_TABLES = {}


def _tables(encoding, zero_point, device):
    """float32 tables of one encoding and zero point on `device`."""
    key = (encoding.mlir, zero_point, str(device))
    tables = _TABLES.get(key)
    if tables is None:
        levels = [v - zero_point for v in encoding.levels]
        mids = [(a + b) / 2 for a, b in zip(levels, levels[1:])]
        # A value on mids[i] goes to the level of smaller |L - Z|; bucketize
        # (right=False) puts it on levels[i], the lower one.
        tie_up = [abs(b) < abs(a) for a, b in zip(levels, levels[1:])]
        mids_t = torch.tensor(mids, dtype=torch.float32, device=device)
        levels_t = torch.tensor(levels, dtype=torch.float32, device=device)
        if (mids_t.double().tolist() != mids
                or levels_t.double().tolist() != levels):
            raise AssertionError("%s: levels not exact in binary32"
                                 % encoding.mlir)
        tables = (mids_t, levels_t,
                  torch.tensor(tie_up, dtype=torch.bool, device=device))
        _TABLES[key] = tables
    return tables


def _check_args(x, scale, encoding, zero_point, axis, what):
    """Validated (x as float32, scale as float32, encoding, axis)."""
    if not isinstance(x, torch.Tensor):
        raise TypeError("%s: x must be a torch.Tensor, got %s"
                        % (what, type(x).__name__))
    if x.dtype not in _FLOAT_TYPES:
        raise TypeError("%s: x must be float32, float16 or bfloat16 (the "
                        "element types of qat.fake_quant), got %s"
                        % (what, x.dtype))
    encoding = Encoding.get(encoding)
    encoding.check_zero_point(zero_point)
    if not isinstance(scale, torch.Tensor):
        scale = torch.tensor(float(scale), dtype=torch.float32)
    scale = scale.to(device=x.device, dtype=torch.float32)
    if axis is None:
        if scale.numel() != 1:
            raise ValueError("%s: a per-tensor scale has one element, got "
                             "shape %s (pass axis= for per-channel scales)"
                             % (what, list(scale.shape)))
    else:
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise TypeError("%s: axis must be an int or None, got %r"
                            % (what, axis))
        if not -x.dim() <= axis < x.dim():
            raise ValueError("%s: axis %d out of range for a rank-%d input"
                             % (what, axis, x.dim()))
        axis %= x.dim()
        if scale.dim() != 1 or scale.shape[0] != x.shape[axis]:
            raise ValueError("%s: per-channel scale must have shape [%d] "
                             "(dimension %d of x), got %s"
                             % (what, x.shape[axis], axis,
                                list(scale.shape)))
    if scale.numel() and not bool(((scale > 0) & torch.isfinite(scale))
                                  .all()):
        raise ValueError("%s: scales must be positive and finite, got %s"
                         % (what, scale.detach().cpu().tolist()))
    return x.to(torch.float32), scale, encoding, axis


def broadcast_scale(scale, x, axis):
    """`scale` shaped to broadcast against `x`: one value (axis None) or one
    value per index of dimension `axis` (already normalised, >= 0)."""
    if axis is None:
        return scale.reshape([1] * x.dim())
    shape = [1] * x.dim()
    shape[axis] = -1
    return scale.reshape(shape)


def divide(x, scale, axis):
    """t = x / s in binary32 (x float32, scale float32 of the right shape)."""
    return x / broadcast_scale(scale, x, axis)


def project_t(t, encoding, zero_point=0):
    """L - Z (float32, exact) for t = x / s already computed in binary32.

    No argument checks: the building block of `project` and of estimators
    that need t and the levels from one division.
    """
    mids, levels, tie_up = _tables(encoding, zero_point, t.device)
    if mids.numel() == 0:  # cannot happen for potq encodings (>= 3 levels)
        return torch.zeros_like(t)
    t = t.contiguous()
    idx = torch.bucketize(t, mids)  # mids[idx-1] < t <= mids[idx]
    at = idx.clamp(max=mids.numel() - 1)
    idx = idx + ((t == mids[at]) & tie_up[at]).to(idx.dtype)
    out = levels[idx]
    return out.masked_fill_(torch.isnan(t), 0.0)


def project(x, scale, encoding, zero_point=0, axis=None):
    """SPEC section 4: the integers L - Z of P(x), as a float32 tensor.

    x:          float32/float16/bfloat16 tensor (f16/bf16 are widened to
                float32 exactly first).
    scale:      positive finite float32: one element (axis None) or shape [C]
                with C = x.shape[axis] (per channel).
    encoding:   an Encoding, MLIR spelling or short name ("apot4").
    zero_point: int; 0 for non-uniform encodings, a level for uniform ones.
    """
    x, scale, encoding, axis = _check_args(x, scale, encoding, zero_point,
                                           axis, "project")
    with torch.no_grad():
        return project_t(divide(x, scale, axis), encoding, zero_point)


def fake_quantize(x, scale, encoding, zero_point=0, axis=None):
    """The forward value of qat.fake_quant: float32(L - Z) * s in binary32,
    rounded to x's dtype (float16/bfloat16 inputs give float16/bfloat16, as
    the op does). Arguments as for `project`. Carries no gradient."""
    dtype = x.dtype if isinstance(x, torch.Tensor) else None
    x, scale, encoding, axis = _check_args(x, scale, encoding, zero_point,
                                           axis, "fake_quantize")
    with torch.no_grad():
        s = broadcast_scale(scale, x, axis)
        y = project_t(x / s, encoding, zero_point) * s
    return y.to(dtype)
