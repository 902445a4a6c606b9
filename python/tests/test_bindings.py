"""The numerics bindings of potq._potq against closed forms and the SPEC.

Each expectation is computed here from the SPEC's definitions (level sets of
section 2, the projection of section 4, the scales of section 5, the codes of
Packing.h, the fixed point of section 6), independently of the C++ code, so
a binding that passes wrong arguments, converts a dtype or drops a channel
fails.
"""

import itertools
import threading

import numpy as np
import pytest

import potq
from potq import _potq

RNG_SEED = 20240613

# SPEC section 2, the APoT magnitude sets M(B).
APOT_MAGNITUDES = {
    3: [0, 1, 2, 4],
    4: [0, 1, 2, 3, 4, 6, 8, 10],
    5: [0, 1, 2, 3, 4, 6, 8, 9, 12, 16, 18, 24, 32, 33, 36, 48],
    6: [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 17, 20, 21, 24, 28, 32,
        34, 36, 38, 48, 52, 64, 65, 68, 69, 72, 76, 96, 100],
    7: [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 17, 20, 21, 24, 28, 32,
        33, 34, 35, 40, 42, 48, 49, 56, 64, 66, 68, 70, 80, 84, 96, 98, 112,
        128, 129, 132, 133, 136, 140, 160, 161, 168, 192, 196, 224, 256, 257,
        258, 259, 264, 266, 272, 273, 280, 320, 322, 336, 384, 385, 392, 448],
}

ENCODINGS = [
    "#potq.pot<bits = 2>", "#potq.pot<bits = 3>", "#potq.pot<bits = 4>",
    "#potq.pot<bits = 5>", "#potq.apot<bits = 3>", "#potq.apot<bits = 4>",
    "#potq.apot<bits = 7>", "#potq.uniform<bits = 4>",
    "#potq.uniform<bits = 8>", "#potq.uniform<bits = 4, narrow>",
    "#potq.uniform<bits = 8, unsigned>", "#potq.nhot<terms = 1, max_exp = 3>",
    "#potq.nhot<terms = 2, max_exp = 4>",
]


def spec_levels(encoding):
    """The level set of SPEC section 2, from the definitions."""
    info = potq.encoding_info(encoding)
    kind = info["kind"]
    if kind == "pot":
        b = info["bits"]
        mags = [2 ** e for e in range(2 ** (b - 1) - 1)]
        return sorted({0} | set(mags) | {-m for m in mags})
    if kind == "apot":
        mags = APOT_MAGNITUDES[info["bits"]]
        return sorted(set(mags) | {-m for m in mags})
    if kind == "uniform":
        b = info["bits"]
        if info["unsigned"]:
            return list(range(0, 2 ** b))
        lo = -(2 ** (b - 1)) + (1 if info["narrow"] else 0)
        return list(range(lo, 2 ** (b - 1)))
    terms, max_exp = info["terms"], info["max_exp"]
    digits = [0] + [s * 2 ** e for s in (-1, 1) for e in range(max_exp + 1)]
    return sorted({sum(c) for c in itertools.product(digits, repeat=terms)})


def project_ref(x, scale, levels, zero_point=0):
    """SPEC section 4 on float32 `x` with float32 `scale` (broadcast).

    The nearest level by distance, ties to the smaller |L - Z| and then to
    the lower level; written from the SPEC, not from Projection.cpp (which
    compares against midpoints and floors for contiguous sets).
    """
    x = np.asarray(x, np.float32)
    with np.errstate(over="ignore"):  # finite / tiny -> inf, as in C++
        t = (x / np.asarray(scale, np.float32)).astype(np.float32)
    v = t.astype(np.float64) + zero_point
    lv = np.asarray(levels, np.int64)
    out = np.empty(x.shape, np.int64)
    nan = np.isnan(v)
    vv = np.where(nan, float(zero_point), v)
    idx = np.clip(np.searchsorted(lv, vv), 1, len(lv) - 1)
    lo = lv[idx - 1].astype(np.float64)
    hi = lv[idx].astype(np.float64)
    dlo = np.abs(vv - lo)
    dhi = np.abs(hi - vv)
    mlo = np.abs(lv[idx - 1] - zero_point)
    mhi = np.abs(lv[idx] - zero_point)
    pick_hi = (dhi < dlo) | ((dhi == dlo) & (mhi < mlo))
    out[...] = np.where(pick_hi, lv[idx], lv[idx - 1])
    out[vv <= lv[0]] = lv[0]
    out[vv >= lv[-1]] = lv[-1]
    out[nan] = zero_point
    return out


def edge_values(levels, scale):
    """Values at, between and exactly halfway between levels, and beyond."""
    lv = np.asarray(levels, np.float64)
    mids = (lv[:-1] + lv[1:]) / 2
    vals = np.concatenate([lv, mids, mids + 0.25, mids - 0.25,
                           [lv[0] - 1, lv[-1] + 1, lv[0] * 1e6, lv[-1] * 1e6,
                            1e-45, -1e-45, 0.0, -0.0]])
    x = (vals * scale).astype(np.float32)
    return np.concatenate([x, np.array([np.nan, np.inf, -np.inf,
                                        np.finfo(np.float32).max,
                                        -np.finfo(np.float32).max],
                                       np.float32)])


# --- Level sets and encodings ---------------------------------------------

@pytest.mark.parametrize("encoding", ENCODINGS + [
    "#potq.uniform<bits = 16>", "#potq.nhot<terms = 3, max_exp = 5>",
    "#potq.apot<bits = 5>", "#potq.apot<bits = 6>"])
def test_levels_match_the_spec_definitions(encoding):
    assert potq.levels(encoding) == spec_levels(encoding)


def test_levels_spelled_like_the_brief():
    assert potq.levels("#potq.pot<bits = 4>") == [
        -64, -32, -16, -8, -4, -2, -1, 0, 1, 2, 4, 8, 16, 32, 64]
    assert potq.levels("#potq.apot<bits = 3>") == [-4, -2, -1, 0, 1, 2, 4]
    assert potq.levels("#potq.uniform<bits = 8, unsigned>") == list(range(256))
    # The short form of numerics::Encoding::str() names the same set.
    assert potq.levels("pot<bits = 4>") == potq.levels("#potq.pot<bits = 4>")


@pytest.mark.parametrize("bad, message", [
    ("#potq.pot<bits = 9>", "bits = 9 is out of range"),
    ("#potq.apot<bits = 2>", "bits = 2 is out of range"),
    ("#potq.nhot<terms = 5, max_exp = 3>", "terms = 5 is out of range"),
    ("#potq.uniform<bits = 8, unsigned, narrow>", "'narrow' applies only"),
    ("#potq.pot<bits = 4", "unbalanced"),
    ("#potq.foo<bits = 4>", "unknown attribute `foo`"),
    ("1 : i32", "not a potq encoding"),
    ("", "invalid encoding"),
])
def test_malformed_encodings_raise_the_dialect_diagnostic(bad, message):
    with pytest.raises(ValueError, match=message):
        potq.levels(bad)


def test_encoding_info():
    info = potq.encoding_info("  pot<bits = 4>")
    assert info["spelling"] == "#potq.pot<bits = 4>"
    assert (info["kind"], info["bits"], info["lo"], info["hi"]) == (
        "pot", 4, -64, 64)
    assert info["code_bits"] == 4 and info["num_levels"] == 15
    assert info["storage_bits"] == 8 and info["storage_signed"]
    assert info["max_terms"] == 1 and not info["contiguous"]
    u = potq.encoding_info("#potq.uniform<bits = 8, unsigned>")
    assert (u["storage_bits"], u["storage_signed"], u["contiguous"]) == (
        8, False, True)
    assert potq.encoding_info("#potq.uniform<bits = 12>")["storage_bits"] == 16
    n = potq.encoding_info("#potq.nhot<terms = 2, max_exp = 4>")
    assert (n["bits"], n["terms"], n["max_exp"]) == (None, 2, 4)
    # nhot codes index the level set.
    assert n["code_bits"] == int(np.ceil(np.log2(n["num_levels"])))
    for enc in ENCODINGS:
        info = potq.encoding_info(enc)
        assert potq.encoding_info(info["spelling"]) == info
        lv = spec_levels(enc)
        assert (info["lo"], info["hi"], info["num_levels"]) == (
            lv[0], lv[-1], len(lv))


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_decompositions_sum_to_their_level(encoding):
    info = potq.encoding_info(encoding)
    for level in potq.levels(encoding):
        terms = potq.decompose(encoding, level)
        assert potq.evaluate_terms(terms) == level
        assert len(terms) <= info["max_terms"]
        if info["kind"] == "pot":
            assert len(terms) == (level != 0)
    with pytest.raises(ValueError, match="not a level"):
        potq.decompose("#potq.pot<bits = 4>", 3)


def test_apot_magnitudes_are_the_spec_sets():
    for bits, mags in APOT_MAGNITUDES.items():
        assert potq.apot_magnitudes(bits) == mags
    with pytest.raises(ValueError, match="bits = 8"):
        potq.apot_magnitudes(8)


def naf_weight(v):
    """Minimal number of nonzero signed binary digits (by recursion)."""
    count = 0
    while v:
        if v & 1:
            v -= 2 - (v & 3)  # +-1 so that the next digit is zero
            count += 1
        v >>= 1
    return count


def test_signed_digits_are_the_non_adjacent_form():
    rng = np.random.default_rng(RNG_SEED)
    values = list(range(-300, 301)) + [int(v) for v in rng.integers(
        -2 ** 62, 2 ** 62, 500)] + [2 ** 63 - 1, -2 ** 63, 2 ** 62, -2 ** 62]
    for v in values:
        digits = potq.signed_digits(v)
        exps = [e for _, e in digits]
        assert exps == sorted(exps, reverse=True)
        assert all(a - b >= 2 for a, b in zip(exps, exps[1:]))
        assert all(s in (-1, 1) for s, _ in digits)
        assert potq.evaluate_terms(digits) == v
        assert sum(s * 2 ** e for s, e in digits) % 2 ** 64 == v % 2 ** 64
        if abs(v) < 2 ** 62:
            assert len(digits) == naf_weight(v)
    assert potq.signed_digits(7) == [(1, 3), (-1, 0)]
    assert potq.signed_digits(0) == []
    with pytest.raises(ValueError, match="sign"):
        potq.evaluate_terms([(2, 1)])


# --- Projection -------------------------------------------------------------

@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("scale", [1.0, 0.25, 0.0123])
def test_project_matches_the_spec_on_edges_and_ties(encoding, scale):
    lv = potq.levels(encoding)
    x = edge_values(lv, scale)
    got = potq.project(x, scale, encoding)
    assert got.dtype == np.int64 and got.shape == x.shape
    np.testing.assert_array_equal(got, project_ref(x, scale, lv))
    fq = potq.fake_quantize(x, scale, encoding)
    assert fq.dtype == np.float32
    np.testing.assert_array_equal(
        fq, (project_ref(x, scale, lv).astype(np.float32)
             * np.float32(scale)))


def test_project_ties_go_to_the_smaller_magnitude():
    pot = "#potq.pot<bits = 4>"
    x = np.array([0.5, -0.5, 1.5, -1.5, 3.0, -3.0, 48.0, 96.0], np.float32)
    np.testing.assert_array_equal(potq.project(x, 1.0, pot),
                                  [0, 0, 1, -1, 2, -2, 32, 64])
    # Uniform with a zero point: ties go toward Z, not toward 0.
    u8 = "#potq.uniform<bits = 8>"
    x = np.array([2.5, -2.5, 10.5, np.nan], np.float32)
    np.testing.assert_array_equal(potq.project(x, 1.0, u8, zero_point=10),
                                  [12, 8, 20, 10])


def test_project_nan_and_infinities():
    enc = "#potq.uniform<bits = 8, unsigned>"
    x = np.array([np.nan, np.inf, -np.inf, -0.0], np.float32)
    np.testing.assert_array_equal(potq.project(x, 0.5, enc, zero_point=3),
                                  [3, 255, 0, 3])
    # A zero scale is refused, but a huge quotient clamps.
    tiny = np.float32(np.finfo(np.float32).tiny)
    np.testing.assert_array_equal(
        potq.project(np.array([1e30, -1e30], np.float32), tiny,
                     "#potq.apot<bits = 4>"), [10, -10])


@pytest.mark.parametrize("encoding", ["#potq.apot<bits = 4>",
                                      "#potq.uniform<bits = 4>",
                                      "#potq.nhot<terms = 2, max_exp = 4>"])
def test_project_per_channel_odd_shapes(encoding):
    rng = np.random.default_rng(RNG_SEED)
    lv = potq.levels(encoding)
    for shape, axis in [((3, 5, 7), 1), ((3, 5, 7), -1), ((2, 1, 3), 0),
                        ((0, 4), 1), ((4, 0), 0), ((6,), 0)]:
        x = rng.normal(size=shape).astype(np.float32)
        c = shape[axis]
        scales = rng.uniform(0.05, 0.5, size=c).astype(np.float32)
        bshape = [1] * len(shape)
        bshape[axis] = c
        expected = project_ref(x, scales.reshape(bshape), lv)
        got = potq.project(x, scales, encoding, axis=axis)
        np.testing.assert_array_equal(got, expected)
        fq = potq.fake_quantize(x, scales, encoding, axis=axis)
        np.testing.assert_array_equal(
            fq, expected.astype(np.float32) * scales.reshape(bshape))
    # Non-contiguous input and a 0-d input.
    x = rng.normal(size=(8, 6)).astype(np.float32)
    np.testing.assert_array_equal(
        potq.project(x[:, ::2].T, 0.1, encoding),
        project_ref(x[:, ::2].T, 0.1, lv))
    assert potq.project(np.float32(0.26), 0.1, encoding).shape == ()


def test_project_large_array_matches_the_reference():
    rng = np.random.default_rng(RNG_SEED)
    x = (rng.standard_cauchy(2_000_000) * 3).astype(np.float32)
    x[::1000] = np.round(x[::1000]) + 0.5  # ties at scale 1
    for encoding in ["#potq.apot<bits = 5>", "#potq.uniform<bits = 8>"]:
        lv = potq.levels(encoding)
        np.testing.assert_array_equal(potq.project(x, 1.0, encoding),
                                      project_ref(x, 1.0, lv))


def test_project_is_thread_safe_without_the_gil():
    rng = np.random.default_rng(RNG_SEED)
    x = rng.normal(size=400_000).astype(np.float32)
    expected = potq.project(x, 0.01, "#potq.apot<bits = 6>")
    results = [None] * 4

    def work(i):
        results[i] = potq.project(x, 0.01, "#potq.apot<bits = 6>")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for r in results:
        np.testing.assert_array_equal(r, expected)


def test_dequantize_and_integer_range():
    lv = np.array([[-3, 0, 5], [7, -8, 1]], np.int8)
    s = np.array([0.5, 0.1, 3.0], np.float32)
    np.testing.assert_array_equal(potq.dequantize(lv, s, axis=1),
                                  lv.astype(np.float32) * s)
    np.testing.assert_array_equal(
        potq.dequantize(lv, 0.5, zero_point=2),
        (lv.astype(np.float32) - 2) * np.float32(0.5))
    x = np.array([0.5, 1.5, -0.5, -1.5, 2.5, 1e9, -1e9, np.nan], np.float32)
    np.testing.assert_array_equal(
        potq.project_to_integer_range(x, 1.0, -100, 100),
        [0, 1, 0, -1, 2, 100, -100, 0])



def test_dequantize_and_integer_range_per_channel_odd_shapes():
    # The loop project and fake_quantize share, with int64 levels in and
    # with integer bounds instead of a level set.
    rng = np.random.default_rng(RNG_SEED)
    for shape, axis in [((3, 5, 7), 1), ((3, 5, 7), -1), ((2, 1, 3), 0),
                        ((0, 4), 1), ((4, 0), 0), ((6,), 0)]:
        c = shape[axis]
        scales = rng.uniform(0.05, 0.5, size=c).astype(np.float32)
        bshape = [1] * len(shape)
        bshape[axis] = c
        lv = rng.integers(-300, 300, size=shape)
        np.testing.assert_array_equal(
            potq.dequantize(lv, scales, axis=axis),
            lv.astype(np.float32) * scales.reshape(bshape))
        x = (rng.normal(size=shape) * 20).astype(np.float32)
        np.testing.assert_array_equal(
            potq.project_to_integer_range(x, scales, -50, 60, axis=axis),
            project_ref(x, scales.reshape(bshape), range(-50, 61)))
    assert potq.dequantize(np.int64(3), 0.5).shape == ()


@pytest.mark.parametrize("levels, zero_point, index", [
    ([0, -2 ** 63], 1, 1),
    ([2 ** 63 - 1], -1, 0),
    ([[5, 2 ** 62], [-2 ** 62, 0]], -2 ** 62, 1),
])
def test_dequantize_refuses_levels_whose_difference_overflows(
        levels, zero_point, index):
    # level - zero_point is computed in int64 by numerics::dequantize.
    flat = np.ravel(levels)
    with pytest.raises(ValueError, match=r"levels\[%d\] \(flattened\) = %d "
                       r"minus zero_point = %d overflows int64"
                       % (index, flat[index], zero_point)):
        potq.dequantize(np.array(levels, np.int64), 1.0,
                        zero_point=zero_point)
    # The extremes themselves are fine without the overflow.
    np.testing.assert_array_equal(
        potq.dequantize(np.array([-2 ** 63, 2 ** 63 - 1]), 1.0),
        np.array([-2.0 ** 63, 2.0 ** 63], np.float32))

def test_nearest_level():
    assert potq.nearest_level("#potq.pot<bits = 4>", 3.0) == 2
    assert potq.nearest_level("#potq.pot<bits = 4>", 3.0001) == 4
    assert potq.nearest_level("#potq.uniform<bits = 4>", 1.5,
                              zero_point=2) == 2
    with pytest.raises(ValueError, match="NaN"):
        potq.nearest_level("#potq.pot<bits = 4>", float("nan"))


# --- Scales -------------------------------------------------------------------

def largest_symmetric_level(lv):
    return lv[-1] if lv[0] >= 0 else min(lv[-1], -lv[0])


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_choose_scale_max_is_the_closed_form(encoding):
    rng = np.random.default_rng(RNG_SEED)
    lv = potq.levels(encoding)
    lmax = largest_symmetric_level(lv)
    w = rng.normal(size=(6, 10)).astype(np.float32)
    w[0, 0] = np.nan
    w[1, 1] = np.inf  # non-finite weights are ignored
    finite = np.where(np.isfinite(w), np.abs(w), 0)
    s = potq.choose_scale(w, encoding)
    assert s.dtype == np.float32 and s.shape == ()
    assert s == np.float32(np.float64(finite.max()) / lmax)
    per = potq.choose_scale(w, encoding, axis=1)
    assert per.shape == (10,)
    np.testing.assert_array_equal(
        per, (finite.max(axis=0).astype(np.float64) / lmax).astype(np.float32))
    pot = potq.choose_scale(w, encoding, pot=True)
    k = np.log2(pot)
    assert k == np.round(k)
    assert pot * lmax >= finite.max() and pot / 2 * lmax < finite.max()
    assert potq.choose_scale(np.zeros(5, np.float32), encoding) == 1.0


@pytest.mark.parametrize("encoding", ["#potq.pot<bits = 4>",
                                      "#potq.apot<bits = 4>",
                                      "#potq.uniform<bits = 4>"])
def test_choose_scale_msqe_is_within_the_spec_of_a_dense_search(encoding):
    rng = np.random.default_rng(RNG_SEED)
    w = rng.laplace(size=300).astype(np.float32)
    s = potq.choose_scale(w, encoding, method="msqe")
    err = potq.quantization_error(w, s, encoding)
    smax = float(potq.choose_scale(w, encoding))
    grid = np.geomspace(smax / 50, smax * 2, 3000).astype(np.float32)
    dense = min(potq.quantization_error(w, g, encoding) for g in grid)
    assert err <= dense * 1.001
    # quantization_error is the closed-form sum.
    fq = potq.fake_quantize(w, s, encoding).astype(np.float64)
    assert err == pytest.approx(((w - fq) ** 2).sum(), rel=1e-12)


def test_quantization_error_per_channel():
    rng = np.random.default_rng(RNG_SEED)
    w = rng.normal(size=(4, 3)).astype(np.float32)
    s = np.array([0.1, 0.2, 0.3], np.float32)
    fq = potq.fake_quantize(w, s, "#potq.pot<bits = 3>", axis=1)
    assert potq.quantization_error(w, s, "#potq.pot<bits = 3>", axis=1) == \
        pytest.approx(((w.astype(np.float64) - fq) ** 2).sum(), rel=1e-12)
    w[0, 0] = np.nan
    assert np.isnan(potq.quantization_error(w, s, "#potq.pot<bits = 3>",
                                            axis=1))


# --- Packing ------------------------------------------------------------------

def spec_code(encoding, level):
    """The code of Packing.h, from its definition."""
    info = potq.encoding_info(encoding)
    b, kind = info["code_bits"], info["kind"]
    sign = (1 << (b - 1)) if level < 0 else 0
    if kind == "uniform":
        return level & ((1 << b) - 1)
    if kind == "pot":
        return sign | (abs(level).bit_length())
    if kind == "apot":
        return sign | APOT_MAGNITUDES[info["bits"]].index(abs(level))
    return potq.levels(encoding).index(level)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_pack_levels_matches_the_bit_stream_definition(encoding):
    rng = np.random.default_rng(RNG_SEED)
    lv = np.array(potq.levels(encoding))
    values = rng.choice(lv, size=37)
    b = potq.encoding_info(encoding)["code_bits"]
    bits = []
    for v in values:
        code = spec_code(encoding, int(v))
        assert potq.encode_level(encoding, int(v)) == code
        assert potq.decode_level(encoding, code) == v
        bits += [(code >> i) & 1 for i in range(b)]
    bits += [0] * (-len(bits) % 8)
    expected = bytes(sum(bit << i for i, bit in enumerate(bits[j:j + 8]))
                     for j in range(0, len(bits), 8))
    data = potq.pack_levels(values, encoding)
    assert data == expected
    np.testing.assert_array_equal(
        potq.unpack_levels(data, encoding, len(values)), values)
    assert potq.pack_levels(np.zeros(0, np.int64), encoding) == b""


def test_pack_levels_errors():
    pot = "#potq.pot<bits = 4>"
    assert potq.pack_levels(np.array([1, -2], np.int16),
                            pot) == b"\xa1"
    with pytest.raises(ValueError, match=r"\[1\] = 3 is not a level"):
        potq.pack_levels(np.array([1, 3]), pot)
    with pytest.raises(TypeError, match="integer dtype"):
        potq.pack_levels(np.array([1.0]), pot)
    with pytest.raises(ValueError, match="does not fit int64"):
        potq.pack_levels(np.array([2 ** 63], np.uint64), pot)
    with pytest.raises(ValueError, match="names no level"):
        potq.unpack_levels(b"\x08", pot, 1)  # a negative zero
    with pytest.raises(ValueError, match="needs 1 bytes"):
        potq.unpack_levels(b"", pot, 1)
    with pytest.raises(ValueError, match="count = 1000000000000"):
        potq.unpack_levels(b"\x00" * 8, pot, 10 ** 12)
    with pytest.raises(ValueError, match="non-negative"):
        potq.unpack_levels(b"\x00", pot, -1)
    # count * bits overflows 64 bits: the message still states the bytes.
    for encoding, bits in [(pot, 4), ("#potq.uniform<bits = 16>", 16),
                           ("#potq.apot<bits = 7>", 7)]:
        count = 2 ** 63 - 1
        with pytest.raises(ValueError, match="count = %d needs %d bytes at "
                           "%d bits per code, but data holds 3"
                           % (count, (count * bits + 7) // 8, bits)):
            potq.unpack_levels(b"\x00" * 3, encoding, count)
    with pytest.raises(ValueError, match="names no level"):
        potq.decode_level(pot, 8)


# --- Recoding -----------------------------------------------------------------

def test_tightest_nhot():
    assert potq.tightest_nhot(np.array([0, 1, -1, 4])) == \
        "#potq.nhot<terms = 1, max_exp = 2>"
    # 120 = 128 - 8 needs exponent 7 for two terms.
    assert potq.tightest_nhot(np.array([7, 120, -3])) == \
        "#potq.nhot<terms = 2, max_exp = 7>"
    assert potq.tightest_nhot(np.array([0b10101010101])) is None  # 6 terms
    for levels in ([3, 5, -9, 17], list(range(-20, 21))):
        enc = potq.tightest_nhot(np.array(levels))
        assert set(levels) <= set(potq.levels(enc))


def test_fit_nhot_is_a_projection_onto_its_encoding():
    rng = np.random.default_rng(RNG_SEED)
    w = rng.normal(size=(5, 8)).astype(np.float32)
    for axis in (None, 1):
        fit = potq.fit_nhot(w, terms=2, max_exp=5, axis=axis)
        enc = fit["encoding"]
        assert enc == "#potq.nhot<terms = 2, max_exp = 5>"
        assert fit["levels"].shape == w.shape
        np.testing.assert_array_equal(
            fit["levels"], potq.project(w, fit["scales"], enc, axis=axis))
        assert fit["nonzero_terms"] == sum(
            len(potq.decompose(enc, int(v))) for v in fit["levels"].flat)
        recoded = potq.dequantize(fit["levels"], fit["scales"], axis=axis)
        assert fit["error"] == potq.recode_error(w, recoded)
        np.testing.assert_array_equal(
            fit["scales"], potq.choose_scale(w, enc, method="msqe", axis=axis))
    chosen = potq.fit_nhot(w, terms=1)
    assert chosen["encoding"] == "#potq.nhot<terms = 1, max_exp = %d>" % (
        potq.choose_max_exp(w, 1))
    with pytest.raises(ValueError, match="terms = 5"):
        potq.fit_nhot(w, terms=5)
    with pytest.raises(ValueError, match="max_exp = 16"):
        potq.fit_nhot(w, terms=2, max_exp=16)


def test_recode_error_closed_form():
    a = np.array([1.0, -2.0, 0.5], np.float32)
    b = np.array([1.0, -1.0, 0.0], np.float32)
    e = potq.recode_error(a, b)
    assert e["mse"] == pytest.approx(1.25 / 3)
    assert e["max_abs"] == 1.0
    assert e["relative_rmse"] == pytest.approx(np.sqrt(1.25 / 5.25))
    with pytest.raises(ValueError, match="same shape"):
        potq.recode_error(a, b[:2])


def test_allocate_term_budget():
    layers = [[(10, 5.0), (20, 1.0)], [(10, 4.0), (20, 3.5)]]
    assert potq.allocate_term_budget(layers, 30) == [1, 0]
    assert potq.allocate_term_budget(layers, 40) == [1, 1]
    assert potq.allocate_term_budget(layers, 19) is None
    with pytest.raises(ValueError, match="needs a candidate"):
        potq.allocate_term_budget([[]], 10)


# --- Fixed point ----------------------------------------------------------------

def round_shift(v, shift):
    return v * 2 ** -shift if shift <= 0 else (v + 2 ** (shift - 1)) >> shift


def test_fixed_point_closed_forms():
    fp = potq.to_fixed_point(0.25)
    assert (fp.multiplier, fp.shift, fp.is_power_of_two) == (1, 2, True)
    assert potq.to_fixed_point(8.0).shift == -3
    rng = np.random.default_rng(RNG_SEED)
    for m in rng.uniform(1e-6, 100.0, 200):
        fp = potq.to_fixed_point(float(m))
        assert 2 ** 30 <= fp.multiplier < 2 ** 31
        assert abs(fp.multiplier * 2.0 ** -fp.shift - m) <= m * 2.0 ** -30
        acc = rng.integers(-2 ** 30, 2 ** 30, 50)
        expected = [round_shift(int(a) * fp.multiplier, fp.shift) for a in acc]
        np.testing.assert_array_equal(potq.apply_fixed_point(acc, fp),
                                      expected)
        assert potq.apply_fixed_point(int(acc[0]), fp) == expected[0]
        req = potq.requantize(acc, fp, 3, -128, 127)
        np.testing.assert_array_equal(
            req, np.clip(np.array(expected) + 3, -128, 127))
    for bad in (0.0, -1.0, float("inf"), float("nan"), 2.0 ** 40):
        with pytest.raises(ValueError):
            potq.to_fixed_point(bad)
    with pytest.raises(ValueError, match="2\\^31"):
        potq.apply_fixed_point(2 ** 31, potq.to_fixed_point(0.5))
    with pytest.raises(ValueError, match="fixed-point multiplier"):
        potq.FixedPointMultiplier(12345, 3)
    with pytest.raises(ValueError, match="lo = 5"):
        potq.requantize(1, potq.to_fixed_point(0.5), 0, 5, 4)


def test_add_requantized_rounds_once():
    ma, mb = potq.to_fixed_point(0.3), potq.to_fixed_point(0.7)
    assert potq.add_shifts_supported(ma, mb)
    s = max(ma.shift, mb.shift, 0)
    for va, vb in [(5, 7), (-100, 3), (1000, -999), (0, 0)]:
        t = (va * ma.multiplier * 2 ** (s - ma.shift)
             + vb * mb.multiplier * 2 ** (s - mb.shift))
        expected = max(-128, min(127, round_shift(t, s) + 1))
        assert potq.add_requantized(va, ma, vb, mb, 1, -128, 127) == expected
    with pytest.raises(ValueError, match="2\\^17"):
        potq.add_requantized(2 ** 17, ma, 0, mb, 0, -128, 127)


# --- Shift-add costs --------------------------------------------------------------

def test_count_shift_add_closed_forms():
    enc = "#potq.uniform<bits = 8>"
    rng = np.random.default_rng(RNG_SEED)
    lv = rng.integers(-128, 128, size=(9, 4))
    c = potq.count_shift_add(lv, enc)
    assert c.weights == 36
    assert c.nonzero_weights == np.count_nonzero(lv)
    assert c.terms == sum(len(potq.decompose(enc, int(v))) for v in lv.flat)
    assert c.binary_terms == sum(bin(abs(int(v))).count("1") for v in lv.flat)
    splat = potq.count_shift_add_splat(enc, 3, 9, 4)
    assert splat.weights == 36 and splat.terms == 72
    assert (splat + splat).terms == 144 and splat.scaled(3).weights == 108
    table = potq.EnergyTable()
    assert table.mul8 == 0.2 and table.accumulator_add(64) == 2 * table.add32
    assert potq.int8_mac_energy(table, 10) == pytest.approx(10 * (0.2 + 0.1))
    assert potq.shift_add_energy(table, c.shifts, c.adds, 32) == \
        pytest.approx(c.shifts * table.shift + c.adds * table.add32)
    with pytest.raises(ValueError, match="matrix"):
        potq.count_shift_add(lv.ravel(), enc)
    with pytest.raises(ValueError, match="not a level"):
        potq.count_shift_add(lv * 2, "#potq.pot<bits = 3>")



def test_counts_and_energies_refuse_negatives():
    counts = potq.count_shift_add_splat("#potq.pot<bits = 4>", 2, 3, 4)
    table = potq.EnergyTable()
    for call, message in [
            (lambda: potq.int8_mac_energy(table, -5), "macs .* got -5"),
            (lambda: potq.fp32_mac_energy(table, -1), "macs .* got -1"),
            (lambda: potq.shift_add_energy(table, -1, 2), "shifts .* got -1"),
            (lambda: potq.shift_add_energy(table, 1, -2), "adds .* got -2"),
            (lambda: counts.scaled(-1), "factor .* got -1"),
            (lambda: setattr(counts, "adds", -3), "adds .* got -3"),
            (lambda: setattr(counts, "shared_shifts", -2 ** 63),
             "shared_shifts .* got -9223372036854775808")]:
        with pytest.raises(ValueError, match="must be non-negative, got"):
            call()
        with pytest.raises(ValueError, match=message):
            call()
    for call, message in [
            (lambda: potq.shift_add_energy(table, 1, 1, 16), "acc_bits .* 16"),
            (lambda: potq.shift_add_energy(table, 1, 1, -32), "acc_bits"),
            (lambda: table.accumulator_add(0), "bits must be 32 or 64")]:
        with pytest.raises(ValueError, match=message):
            call()
    # Nothing was changed by the refused assignments; zero is a count.
    assert (counts.adds, counts.shared_shifts) == (8, 3)
    counts.adds = 0
    assert counts.adds == 0 and "adds=0," in repr(counts)
    assert counts.scaled(0).weights == 0
    assert potq.int8_mac_energy(table, 0) == 0.0
    assert potq.shift_add_energy(table, 2, 3, 64) == pytest.approx(
        2 * table.shift + 3 * 2 * table.add32)

# --- Argument errors --------------------------------------------------------------

@pytest.mark.parametrize("call, error, message", [
    (lambda: potq.project(np.zeros(3), 1.0, "#potq.pot<bits = 4>"),
     TypeError, "x must have dtype float32, got float64"),
    (lambda: potq.project([0.5], 1.0, "#potq.pot<bits = 4>"),
     TypeError, "float32"),
    (lambda: potq.project(None, 1.0, "#potq.pot<bits = 4>"),
     TypeError, "got None"),
    (lambda: potq.project(np.zeros((2, 3), np.float32), 1.0,
                          "#potq.pot<bits = 4>", axis=2),
     ValueError, "axis 2 is out of range for x of rank 2"),
    (lambda: potq.project(np.zeros((2, 3), np.float32), 1.0,
                          "#potq.pot<bits = 4>", axis=True),
     TypeError, "axis must be an int"),
    (lambda: potq.project(np.zeros((2, 3), np.float32),
                          np.ones(2, np.float32), "#potq.pot<bits = 4>",
                          axis=1),
     ValueError, "one scale per channel: 3 along axis 1"),
    (lambda: potq.project(np.zeros((2, 3), np.float32),
                          np.ones(3, np.float32), "#potq.pot<bits = 4>"),
     ValueError, "one value without an axis"),
    (lambda: potq.project(np.zeros(3, np.float32), np.ones(3),
                          "#potq.pot<bits = 4>", axis=0),
     TypeError, "scale must have dtype float32"),
    (lambda: potq.project(np.zeros(3, np.float32), 0.0, "#potq.pot<bits = 4>"),
     ValueError, "scale = 0 .* must be positive and finite"),
    (lambda: potq.project(np.zeros(3, np.float32), 1e-50,
                          "#potq.pot<bits = 4>"),
     ValueError, "must be positive"),
    (lambda: potq.project(np.zeros(2, np.float32),
                          np.array([1, np.nan], np.float32),
                          "#potq.pot<bits = 4>", axis=0),
     ValueError, r"scale\[1\] = nan"),
    (lambda: potq.project(np.zeros(2, np.float32), -1.0,
                          "#potq.pot<bits = 4>"),
     ValueError, "scale = -1"),
    (lambda: potq.project(np.zeros(2, np.float32), 1.0,
                          "#potq.pot<bits = 4>", zero_point=1),
     ValueError, "zero_point is allowed only with uniform"),
    (lambda: potq.project(np.zeros(2, np.float32), 1.0,
                          "#potq.uniform<bits = 4>", zero_point=8),
     ValueError, "zero_point = 8 is out of range"),
    (lambda: potq.project(np.zeros(2, np.float32), np.ones(2, np.float32),
                          "#potq.uniform<bits = 4>", zero_point=1, axis=0),
     ValueError, "per-tensor"),
    (lambda: potq.choose_scale(np.zeros(2, np.float32),
                               "#potq.pot<bits = 4>", method="mean"),
     ValueError, "'max' or 'msqe'"),
    (lambda: potq.choose_scale(np.zeros(2, np.float32),
                               "#potq.pot<bits = 4>", axis=-2),
     ValueError, "axis -2 is out of range for w of rank 1"),
    (lambda: potq.project_to_integer_range(np.zeros(2, np.float32), 1.0, 5, 4),
     ValueError, "lo = 5 is above hi = 4"),
])
def test_bad_arguments_raise(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_extension_module_is_the_package_api():
    assert potq.project is _potq.project
    assert set(potq.__all__) >= {"levels", "encoding_info", "project",
                                 "fake_quantize", "choose_scale",
                                 "quantization_error", "pack_levels",
                                 "unpack_levels", "signed_digits", "fit_nhot",
                                 "tightest_nhot"}
