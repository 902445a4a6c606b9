"""Gradient helpers shared by the estimator tests (not a test file).

`quantizer_grads` runs one backward through a potq Quantizer;
`central_difference` is the finite difference the backward rules are
compared with.
"""

import torch

from potq.nn import Quantizer


def quantizer_grads(est, x, scale, g, encoding, axis=0, role="weight"):
    """(dL/dx, dL/dscale or None, the Quantizer) for L = sum g * Q(x), Q a
    Quantizer of `encoding` with estimator `est` and the scales `scale` (a
    list: one per index of `axis`, or one value with axis=None)."""
    channels = None if axis is None else len(scale)
    q = Quantizer(encoding, axis=axis, channels=channels, estimator=est,
                  scale=torch.tensor(scale), role=role)
    xr = x.clone().requires_grad_()
    q(xr).backward(g)
    grad_s = q.scale_raw.grad if q.scale_raw.requires_grad else None
    return xr.grad, grad_s, q


def central_difference(f, at, h, index=None):
    """(f(at + h) - f(at - h)) / 2h, with `at` a tensor or a list of
    floats: perturbed everywhere, or only at position `index`."""
    up, down = _perturbed(at, h, index), _perturbed(at, -h, index)
    return (f(up) - f(down)) / (2 * h)


def _perturbed(at, h, index):
    if isinstance(at, torch.Tensor):
        if index is None:
            return at + h
        out = at.clone()
        out[index] += h
        return out
    out = list(at)
    if index is None:
        return [v + h for v in out]
    out[index] += h
    return out
