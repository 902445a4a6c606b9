"""potq.encodings: spellings, short names and level sets come from potq's
own parser and numerics library (potq._potq)."""

import copy
import pickle

import pytest

from potq import _potq
from potq.encodings import Encoding


@pytest.mark.parametrize("name,mlir,count,lo,hi", [
    ("pot2", "#potq.pot<bits = 2>", 3, -1, 1),
    ("pot4", "#potq.pot<bits = 4>", 15, -64, 64),
    ("apot3", "#potq.apot<bits = 3>", 7, -4, 4),
    ("APOT4", "#potq.apot<bits = 4>", 15, -10, 10),
    ("uniform8", "#potq.uniform<bits = 8>", 256, -128, 127),
    ("int4", "#potq.uniform<bits = 4>", 16, -8, 7),
    ("uniform4n", "#potq.uniform<bits = 4, narrow>", 15, -7, 7),
    ("uniform8u", "#potq.uniform<bits = 8, unsigned>", 256, 0, 255),
    ("uint8", "#potq.uniform<bits = 8, unsigned>", 256, 0, 255),
    ("nhot1", "#potq.nhot<terms = 1, max_exp = 7>", 17, -128, 128),
    ("nhot2e3", "#potq.nhot<terms = 2, max_exp = 3>", None, -16, 16),
    (" #potq.uniform<bits=8 ,narrow> ", "#potq.uniform<bits = 8, narrow>",
     255, -127, 127),
])
def test_names_and_levels(name, mlir, count, lo, hi):
    enc = Encoding.get(name)
    assert enc.mlir == mlir and str(enc) == mlir
    assert list(enc.levels) == _potq.levels(mlir)
    assert (enc.lo, enc.hi) == (lo, hi)
    if count is not None:
        assert len(enc.levels) == count
    assert Encoding.get(enc) is enc
    assert Encoding.parse(mlir) == enc and hash(Encoding.parse(mlir)) == \
        hash(enc)


def test_constructors_and_params():
    assert Encoding.pot(3).params == {"bits": 3}
    assert Encoding.pot(3).kind == "pot" and Encoding.pot(3).bits == 3
    u = Encoding.uniform(8, unsigned=True)
    assert u.params == {"bits": 8, "unsigned": True, "narrow": False}
    assert u.is_uniform and u.max_magnitude() == 255
    assert u.max_magnitude(100) == 155
    n = Encoding.nhot(2, 5)
    assert n.params == {"terms": 2, "max_exp": 5} and n.bits is None
    assert 64 in n.levels and 63 not in n.levels  # 32 + 32, not 64 - 1
    assert Encoding.apot(5).levels[-3:] == (33, 36, 48)
    assert Encoding.apot(4) != Encoding.pot(4)


def test_immutable_and_picklable():
    enc = Encoding.apot(4)
    with pytest.raises(AttributeError):
        enc.lo = 0
    with pytest.raises(TypeError):
        enc.params["bits"] = 5
    assert pickle.loads(pickle.dumps(enc)) == enc
    assert copy.deepcopy(enc) == enc


def test_zero_points():
    u = Encoding.uniform(8, unsigned=True)
    assert u.check_zero_point(0) == 0 and u.check_zero_point(255) == 255
    with pytest.raises(ValueError, match="not a level"):
        u.check_zero_point(-1)
    with pytest.raises(ValueError, match="needs a uniform encoding"):
        Encoding.apot(4).check_zero_point(2)
    with pytest.raises(TypeError, match="zero_point must be an int"):
        u.check_zero_point(1.0)


@pytest.mark.parametrize("call,error,words", [
    (lambda: Encoding.pot(6), ValueError, "bits"),
    (lambda: Encoding.apot(2), ValueError, "bits"),
    (lambda: Encoding.uniform(17), ValueError, "bits"),
    (lambda: Encoding.uniform(8, unsigned=True, narrow=True), ValueError,
     "narrow"),
    (lambda: Encoding.nhot(5, 3), ValueError, "terms"),
    (lambda: Encoding.nhot(2, 16), ValueError, "max_exp"),
    (lambda: Encoding.pot(4.0), TypeError, "bits must be an int"),
    (lambda: Encoding.pot(True), TypeError, "bits must be an int"),
    (lambda: Encoding.get("pot"), ValueError, "unknown encoding name"),
    (lambda: Encoding.get("float8"), ValueError, "unknown encoding name"),
    (lambda: Encoding.get(None), TypeError, "encoding must be"),
    (lambda: Encoding.parse("#potq.pot<bits = 4"), ValueError, "invalid"),
    (lambda: Encoding.parse("#potq.pot<width = 4>"), ValueError, "invalid"),
    (lambda: Encoding.parse("pot4"), ValueError, "not a potq encoding"),
    (lambda: Encoding.parse("#qat.estimator<ste>"), ValueError,
     "not a potq encoding"),
])
def test_errors(call, error, words):
    with pytest.raises(error) as info:
        call()
    assert words in str(info.value), str(info.value)
