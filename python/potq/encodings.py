"""potq encodings (SPEC section 2) on the Python side.

An `Encoding` is the MLIR attribute spelling of a potq encoding plus its
sorted integer level set. The level set is not computed here: it comes from
potq's numerics library through the extension (`potq._potq.levels`), so that
training, export and the compiler can never disagree about which integers
are levels. Parameter ranges are checked by the same library; its message
is raised as a ValueError.

Short names, accepted wherever an encoding is configured (`Encoding.get`):

    pot<B>             #potq.pot<bits = B>
    apot<B>            #potq.apot<bits = B>
    uniform<B>, int<B> #potq.uniform<bits = B>               (signed)
    uniform<B>n        #potq.uniform<bits = B, narrow>       (symmetric)
    uniform<B>u, uint<B>  #potq.uniform<bits = B, unsigned>  (after ReLU)
    nhot<N>            #potq.nhot<terms = N, max_exp = 7>    (the exponent
                       window of 8-bit weights, docs/BitSparsity.md)
    nhot<N>e<E>        #potq.nhot<terms = N, max_exp = E>

and any MLIR spelling such as "#potq.apot<bits = 4>".
"""

import re

from potq import _potq

__all__ = ["Encoding"]

# The MLIR spellings this module parses: whitespace as the MLIR lexer allows.
_MLIR_RE = re.compile(r"^\s*#potq\.(?P<kind>uniform|pot|apot|nhot)\s*<(?P<body>[^<>]*)>\s*$")
_PARAM_RE = re.compile(r"^(?P<key>[a-z_]+)\s*=\s*(?P<value>-?\d+)$")
_SHORT_RE = re.compile(
    r"^(?:(?P<kind>pot|apot)(?P<bits>\d+)"
    r"|(?:uniform|int)(?P<ubits>\d+)(?P<flag>[un]?)"
    r"|uint(?P<uubits>\d+)"
    r"|nhot(?P<terms>\d+)(?:e(?P<max_exp>\d+))?)$")

#: max_exp of a short "nhot<N>" name: the exponents of 8-bit uniform levels.
DEFAULT_NHOT_MAX_EXP = 7


def _check_int(name, value, what):
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("%s: %s must be an int, got %r" % (what, name, value))
    return value


class Encoding:
    """A potq encoding: MLIR spelling, kind, parameters and level set.

    Construct with `Encoding.pot/apot/nhot/uniform`, `Encoding.parse` (an
    MLIR spelling) or `Encoding.get` (a short name, a spelling or an
    Encoding). Instances are immutable and compare equal by spelling.

    Attributes:
      kind:   "uniform", "pot", "apot" or "nhot".
      params: dict of the attribute parameters (bits / unsigned / narrow, or
              terms / max_exp).
      mlir:   the attribute as potq-opt prints it, e.g. "#potq.apot<bits = 4>".
      levels: tuple of the sorted integer levels (from the C++ library).
      lo, hi: the smallest and largest level.
    """

    __slots__ = ("kind", "params", "mlir", "levels", "lo", "hi")

    def __init__(self, kind, **params):
        if kind not in ("uniform", "pot", "apot", "nhot"):
            raise ValueError("Encoding: unknown kind %r (expected uniform, "
                             "pot, apot or nhot)" % (kind,))
        if kind == "nhot":
            words = ["terms = %d" % _check_int("terms", params["terms"], kind),
                     "max_exp = %d" % _check_int("max_exp", params["max_exp"],
                                                 kind)]
        else:
            words = ["bits = %d" % _check_int("bits", params["bits"], kind)]
            if kind == "uniform":
                params.setdefault("unsigned", False)
                params.setdefault("narrow", False)
                for flag in ("unsigned", "narrow"):
                    params[flag] = bool(params[flag])
                    if params[flag]:
                        words.append(flag)
        mlir = "#potq.%s<%s>" % (kind, ", ".join(words))
        try:
            levels = tuple(int(v) for v in _potq.levels(mlir))
        except ValueError as err:
            raise ValueError("Encoding %s: %s" % (mlir, err)) from None
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "params", dict(params))
        object.__setattr__(self, "mlir", mlir)
        object.__setattr__(self, "levels", levels)
        object.__setattr__(self, "lo", levels[0])
        object.__setattr__(self, "hi", levels[-1])

    def __setattr__(self, name, value):
        raise AttributeError("Encoding is immutable")

    # -- constructors -------------------------------------------------------

    @classmethod
    def pot(cls, bits):
        """#potq.pot<bits = B>: {0} and +-2^e, 0 <= e <= 2^(B-1) - 2."""
        return cls("pot", bits=bits)

    @classmethod
    def apot(cls, bits):
        """#potq.apot<bits = B>: +-M(B), the APoT magnitude sets."""
        return cls("apot", bits=bits)

    @classmethod
    def nhot(cls, terms, max_exp=DEFAULT_NHOT_MAX_EXP):
        """#potq.nhot<terms = N, max_exp = E>: sums of N signed digits
        s * 2^e, s in {-1, 0, 1}, 0 <= e <= E."""
        return cls("nhot", terms=terms, max_exp=max_exp)

    @classmethod
    def uniform(cls, bits, unsigned=False, narrow=False):
        """#potq.uniform<bits = B[, unsigned][, narrow]>."""
        return cls("uniform", bits=bits, unsigned=unsigned, narrow=narrow)

    @classmethod
    def parse(cls, mlir):
        """The Encoding of an MLIR attribute spelling (as potq-opt prints
        or parses it)."""
        if not isinstance(mlir, str):
            raise TypeError("Encoding.parse: expected a str, got %r" % (mlir,))
        m = _MLIR_RE.match(mlir)
        if not m:
            raise ValueError("Encoding.parse: %r is not a potq encoding "
                             "attribute (e.g. '#potq.apot<bits = 4>')" % mlir)
        kind = m.group("kind")
        params = {}
        for word in (w.strip() for w in m.group("body").split(",")):
            if kind == "uniform" and word in ("unsigned", "narrow"):
                if word in params:
                    raise ValueError("Encoding.parse: %r: option '%s' given "
                                     "twice" % (mlir, word))
                params[word] = True
                continue
            p = _PARAM_RE.match(word)
            if not p or p.group("key") in params:
                raise ValueError("Encoding.parse: %r: unexpected %r"
                                 % (mlir, word))
            params[p.group("key")] = int(p.group("value"))
        expected = {"nhot": {"terms", "max_exp"}}.get(kind, {"bits"})
        given = set(params) - {"unsigned", "narrow"}
        if given != expected:
            raise ValueError("Encoding.parse: %r: expected parameter(s) %s"
                             % (mlir, ", ".join(sorted(expected))))
        return cls(kind, **params)

    @classmethod
    def get(cls, spec):
        """An Encoding from an Encoding, an MLIR spelling or a short name
        (module docstring); raises ValueError/TypeError naming `spec`."""
        if isinstance(spec, Encoding):
            return spec
        if not isinstance(spec, str):
            raise TypeError("encoding must be an Encoding or a str such as "
                            "'apot4', got %r" % (spec,))
        if spec.lstrip().startswith("#"):
            return cls.parse(spec)
        m = _SHORT_RE.match(spec.strip().lower())
        if not m:
            raise ValueError(
                "unknown encoding name %r: expected pot<B>, apot<B>, "
                "uniform<B>[n|u], int<B>, uint<B>, nhot<N>[e<E>] or an MLIR "
                "spelling such as '#potq.pot<bits = 4>'" % spec)
        if m.group("kind"):
            return cls(m.group("kind"), bits=int(m.group("bits")))
        if m.group("ubits"):
            flag = m.group("flag")
            return cls.uniform(int(m.group("ubits")), unsigned=flag == "u",
                               narrow=flag == "n")
        if m.group("uubits"):
            return cls.uniform(int(m.group("uubits")), unsigned=True)
        max_exp = m.group("max_exp")
        return cls.nhot(int(m.group("terms")),
                        DEFAULT_NHOT_MAX_EXP if max_exp is None
                        else int(max_exp))

    # -- queries ------------------------------------------------------------

    @property
    def is_uniform(self):
        return self.kind == "uniform"

    @property
    def bits(self):
        """The bit width (pot/apot/uniform); None for nhot."""
        return self.params.get("bits")

    def max_magnitude(self, zero_point=0):
        """Qp = the largest |L - Z| over the levels."""
        return max(self.hi - zero_point, zero_point - self.lo)

    def check_zero_point(self, zero_point, what="zero_point"):
        """Raises unless `zero_point` is allowed with this encoding: 0 for
        non-uniform encodings, a level for uniform ones (SPEC sections 2, 7;
        qat.fake_quant's verifier)."""
        _check_int(what, zero_point, self.mlir)
        if zero_point == 0:
            return zero_point
        if not self.is_uniform:
            raise ValueError("%s: a nonzero %s (%d) needs a uniform encoding"
                             % (self.mlir, what, zero_point))
        if not self.lo <= zero_point <= self.hi:
            raise ValueError("%s: %s %d is not a level (levels %d..%d)"
                             % (self.mlir, what, zero_point, self.lo,
                                self.hi))
        return zero_point

    def __eq__(self, other):
        return isinstance(other, Encoding) and other.mlir == self.mlir

    def __hash__(self):
        return hash(self.mlir)

    def __repr__(self):
        return "Encoding(%r)" % self.mlir

    def __str__(self):
        return self.mlir

    def __reduce__(self):
        return (Encoding.parse, (self.mlir,))
