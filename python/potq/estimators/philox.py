"""Philox-4x32-10, the counter-based generator of SPEC section 9.

Stochastic estimators draw their random numbers from Philox-4x32-10
(Salmon, Moraes, Dror, Shaw, "Parallel random numbers: as easy as 1, 2, 3",
SC 2011), keyed by a seed and counted by element index and training step.
A counter-based generator has no state to carry or to synchronise: the
number for (seed, step, element) is a pure function of those three
integers, so every rank of a distributed run, a resumed run and any other
implementation of potq (the interpreter, compiled code) draws the same
number for the same element. `torch.Generator` (mt19937 on the CPU) has
neither property.

The layout, fixed here and in docs/Estimators.md:

    key     = (seed mod 2^32, seed div 2^32)
    counter = (index mod 2^32, index div 2^32, step mod 2^32, step div 2^32)
    u       = (word0 + 0.5) / 2^32          in (0, 1), exact in float64

with word0 the first output word. The tests check the Random123 known-answer
vectors (`kat_vectors`, "philox4x32 10" lines).
"""

import numpy as np

__all__ = ["philox4x32_10", "uniform"]

_M0 = np.uint64(0xD2511F53)
_M1 = np.uint64(0xCD9E8D57)
_W0 = 0x9E3779B9
_W1 = 0xBB67AE85
_MASK = np.uint64(0xFFFFFFFF)
_SHIFT = np.uint64(32)
_U64 = 1 << 64


def _word(value, name):
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("philox: %s must be an int, got %r" % (name, value))
    if not 0 <= value < 1 << 32:
        raise ValueError("philox: %s must be a 32-bit word, got %d"
                         % (name, value))
    return value


def philox4x32_10(counter, key):
    """Philox-4x32 with 10 rounds.

    counter: four 32-bit words, each an int or a numpy integer array (all
             broadcast together); key: two 32-bit ints.
    Returns four numpy uint64 arrays holding the 32-bit output words.
    """
    if len(counter) != 4 or len(key) != 2:
        raise ValueError("philox: counter has 4 words and key 2, got %d and "
                         "%d" % (len(counter), len(key)))
    c = [np.asarray(w, dtype=np.uint64) & _MASK for w in counter]
    c = list(np.broadcast_arrays(*c))
    k0, k1 = (_word(k, "key[%d]" % i) for i, k in enumerate(key))
    for r in range(10):
        if r:
            k0 = (k0 + _W0) & 0xFFFFFFFF
            k1 = (k1 + _W1) & 0xFFFFFFFF
        p0 = _M0 * c[0]  # < 2^64: exact in uint64
        p1 = _M1 * c[2]
        # In place on the fresh arrays: about twice as fast as new ones.
        hi1 = p1 >> _SHIFT
        hi1 ^= c[1]
        hi1 ^= np.uint64(k0)
        hi0 = p0 >> _SHIFT
        hi0 ^= c[3]
        hi0 ^= np.uint64(k1)
        p1 &= _MASK
        p0 &= _MASK
        c = [hi1, p1, hi0, p0]
    return c


def uniform(seed, step, count):
    """`count` uniform numbers in (0, 1) as float64, element i drawn from
    counter (i, step) under key `seed` (module docstring). seed and step
    are integers in [0, 2^64)."""
    for name, value in (("seed", seed), ("step", step)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError("philox.uniform: %s must be an int, got %r"
                            % (name, value))
        if not 0 <= value < _U64:
            raise ValueError("philox.uniform: %s must be in [0, 2^64), got %d"
                             % (name, value))
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise ValueError("philox.uniform: count must be a non-negative int, "
                         "got %r" % (count,))
    index = np.arange(count, dtype=np.uint64)
    words = philox4x32_10(
        (index & _MASK, index >> _SHIFT, step & 0xFFFFFFFF, step >> 32),
        (seed & 0xFFFFFFFF, seed >> 32))
    # word0 < 2^32: word0 + 0.5 and the division by 2^32 are exact.
    return (words[0].astype(np.float64) + 0.5) * 2.0 ** -32
