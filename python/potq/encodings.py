"""potq encodings (SPEC section 2) on the Python side.

An `Encoding` is the MLIR attribute spelling of a potq encoding plus its
sorted integer level set. Neither is computed here: spellings are parsed
and verified by potq's attribute parser and the level set comes from its
numerics library, through the extension (`potq._potq.encoding_info` and
`potq._potq.levels`), so that training, export and the compiler can never
disagree about which integers are levels. Invalid parameters raise the
library's message as a ValueError.

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
import types

from potq import _potq

__all__ = ["Encoding"]

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
      params: read-only dict of the attribute parameters (bits, unsigned,
              narrow; or terms, max_exp).
      mlir:   the attribute as potq-opt prints it, e.g. "#potq.apot<bits = 4>".
      levels: tuple of the sorted integer levels (from the C++ library).
      lo, hi: the smallest and largest level.
    """

    __slots__ = ("kind", "params", "mlir", "levels", "lo", "hi")

    def __init__(self, mlir):
        """The encoding spelled `mlir` ("#potq.pot<bits = 4>"), parsed and
        verified by potq's MLIR parser; prefer the named constructors."""
        if not isinstance(mlir, str):
            raise TypeError("Encoding: expected an MLIR spelling (str), got "
                            "%r" % (mlir,))
        if not mlir.lstrip().startswith("#potq."):
            raise ValueError("Encoding: %r is not a potq encoding attribute "
                             "(e.g. '#potq.apot<bits = 4>'; short names "
                             "such as 'apot4' go through Encoding.get)"
                             % mlir)
        info = _potq.encoding_info(mlir)
        kind = info["kind"]
        if kind == "nhot":
            params = {"terms": info["terms"], "max_exp": info["max_exp"]}
        else:
            params = {"bits": info["bits"]}
            if kind == "uniform":
                params.update(unsigned=info["unsigned"],
                              narrow=info["narrow"])
        spelling = info["spelling"]
        levels = tuple(int(v) for v in _potq.levels(spelling))
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "params", types.MappingProxyType(params))
        object.__setattr__(self, "mlir", spelling)
        object.__setattr__(self, "levels", levels)
        object.__setattr__(self, "lo", levels[0])
        object.__setattr__(self, "hi", levels[-1])

    def __setattr__(self, name, value):
        raise AttributeError("Encoding is immutable")

    # -- constructors -------------------------------------------------------

    @classmethod
    def pot(cls, bits):
        """#potq.pot<bits = B>: {0} and +-2^e, 0 <= e <= 2^(B-1) - 2."""
        return cls("#potq.pot<bits = %d>" % _check_int("bits", bits, "pot"))

    @classmethod
    def apot(cls, bits):
        """#potq.apot<bits = B>: +-M(B), the APoT magnitude sets."""
        return cls("#potq.apot<bits = %d>"
                   % _check_int("bits", bits, "apot"))

    @classmethod
    def nhot(cls, terms, max_exp=DEFAULT_NHOT_MAX_EXP):
        """#potq.nhot<terms = N, max_exp = E>: sums of N signed digits
        s * 2^e, s in {-1, 0, 1}, 0 <= e <= E."""
        return cls("#potq.nhot<terms = %d, max_exp = %d>"
                   % (_check_int("terms", terms, "nhot"),
                      _check_int("max_exp", max_exp, "nhot")))

    @classmethod
    def uniform(cls, bits, unsigned=False, narrow=False):
        """#potq.uniform<bits = B[, unsigned][, narrow]>."""
        words = ["bits = %d" % _check_int("bits", bits, "uniform")]
        if unsigned:
            words.append("unsigned")
        if narrow:
            words.append("narrow")
        return cls("#potq.uniform<%s>" % ", ".join(words))

    @classmethod
    def parse(cls, mlir):
        """The Encoding of an MLIR attribute spelling, parsed by potq's own
        attribute parser (any spelling potq-opt accepts)."""
        return cls(mlir)

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
            return cls(spec)
        m = _SHORT_RE.match(spec.strip().lower())
        if not m:
            raise ValueError(
                "unknown encoding name %r: expected pot<B>, apot<B>, "
                "uniform<B>[n|u], int<B>, uint<B>, nhot<N>[e<E>] or an MLIR "
                "spelling such as '#potq.pot<bits = 4>'" % spec)
        if m.group("kind"):
            make = cls.pot if m.group("kind") == "pot" else cls.apot
            return make(int(m.group("bits")))
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
        return (Encoding, (self.mlir,))
