"""Argument checks and the LSQ gradient scale shared by the seed estimators.

Every estimator validates its constructor arguments here, so a bad value is
a TypeError/ValueError that names the estimator kind and the argument.
"""

import math

__all__ = ["check_float", "check_int", "check_bool", "lsq_gradient_scale",
           "require_role"]


def check_float(kind, name, value, lo=None, hi=None, lo_open=False,
                hi_open=False, allow_none=False):
    """`value` as a finite float within [lo, hi] (open ends on request)."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError("%s: %s must be a float%s, got %r"
                        % (kind, name, " or None" if allow_none else "",
                           value))
    value = float(value)
    bad = not math.isfinite(value)
    if lo is not None:
        bad = bad or value < lo or (lo_open and value == lo)
    if hi is not None:
        bad = bad or value > hi or (hi_open and value == hi)
    if bad:
        lo_text = "-inf" if lo is None else repr(float(lo))
        hi_text = "inf" if hi is None else repr(float(hi))
        raise ValueError("%s: %s must be finite and in %s%s, %s%s, got %r"
                         % (kind, name, "(" if lo_open or lo is None else "[",
                            lo_text, hi_text,
                            ")" if hi_open or hi is None else "]", value))
    return value


def check_int(kind, name, value, lo=None, hi=None, allow_none=False):
    """`value` as an int within [lo, hi] (bool is not an int here)."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("%s: %s must be an int%s, got %r"
                        % (kind, name, " or None" if allow_none else "",
                           value))
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise ValueError("%s: %s must be in [%s, %s], got %d"
                         % (kind, name, "-inf" if lo is None else lo,
                            "inf" if hi is None else hi, value))
    return value


def check_bool(kind, name, value):
    if not isinstance(value, bool):
        raise TypeError("%s: %s must be a bool, got %r" % (kind, name, value))
    return value


def lsq_gradient_scale(q, x, fixed):
    """LSQ's factor on dL/ds: `fixed` when given, else 1 / sqrt(n * Qp) with
    n the elements one scale value quantizes (Quantizer.elements_per_scale)
    and Qp = max |L - Z| (Esser et al. 2020, section 2.2)."""
    if fixed is not None:
        return fixed
    n = max(q.elements_per_scale(x), 1)
    return 1.0 / math.sqrt(n * q.qp)


def require_role(kind, q, role, why):
    """Raises ValueError unless Quantizer `q` quantizes a `role` tensor."""
    actual = getattr(q, "role", None)
    if actual != role:
        raise ValueError("%s: needs a %s quantizer (%s), got role %r"
                         % (kind, role, why, actual))
