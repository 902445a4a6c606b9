"""Every estimator's `#qat.estimator` attribute is accepted by potq-opt.

The parameter names and types an estimator exports must match the C++
table (potq::qat::estimatorParameters); potq-opt's verifier checks them.
The printed attribute must also read back to the exported values exactly
(floats included), so the recorded hyperparameters are the trained ones.
"""

import os
import pathlib
import re
import struct
import subprocess

import pytest

from potq import estimators
from potq.estimators.base import format_attr_value

ALL_KINDS = ["clipped_ste", "lg_lsq", "lsq", "msqe", "nhot_two_stage",
             "qerror_aware", "ste", "stochastic_partial"]


def potq_opt():
    tools = os.environ.get("POTQ_TOOLS_DIR")
    if tools is None:
        tools = pathlib.Path(__file__).resolve().parents[2] / "build" / "bin"
    path = pathlib.Path(tools) / "potq-opt"
    assert path.exists(), ("potq-opt not found at %s (set POTQ_TOOLS_DIR)"
                           % path)
    return str(path)


def run_opt(attrs):
    """potq-opt's printed form of one qat.fake_quant per attribute."""
    funcs = []
    for i, attr in enumerate(attrs):
        funcs.append(
            "func.func @f%d(%%x: tensor<4xf32>, %%s: tensor<f32>) -> "
            "tensor<4xf32> {\n"
            "  %%y = qat.fake_quant %%x, %%s {encoding = #potq.pot<bits = 4>, "
            "estimator = %s} : tensor<4xf32>, tensor<f32>\n"
            "  return %%y : tensor<4xf32>\n}\n" % (i, attr))
    return subprocess.run([potq_opt(), "-"], input="".join(funcs),
                          capture_output=True, text=True)


def instances():
    """Each kind with its default parameters, plus non-default ones where
    the constructor takes them."""
    out = [estimators.get(kind) for kind in estimators.kinds()]
    out.append(estimators.get("lsq", grad_scale=0.0123))
    out.append(estimators.get("lsq", grad_scale=1e-5))
    out.append(estimators.get("lsq", grad_scale=1.0 / 3.0))
    return out


_FLOAT = re.compile(r"^(0x[0-9A-Fa-f]+|[-+]?[0-9.eE+-]+) : f(64|32)$")


def parse_printed_value(text):
    """A printed attribute value as a Python value (bool/int/float/str)."""
    text = text.strip()
    if text in ("true", "false"):
        return text == "true"
    if text.startswith('"'):
        return text[1:-1]
    m = re.match(r"^(-?\d+) : i\d+$", text) or re.match(r"^(-?\d+)$", text)
    if m:
        return int(m.group(1))
    m = _FLOAT.match(text)
    assert m, "unexpected attribute value %r" % text
    if m.group(1).startswith("0x"):
        bits = int(m.group(1), 16)
        if m.group(2) == "64":
            return struct.unpack("<d", struct.pack("<Q", bits))[0]
        return struct.unpack("<f", struct.pack("<I", bits))[0]
    return float(m.group(1))


def parse_printed_attr(text):
    """(kind, {name: value}) of a printed #qat.estimator attribute."""
    m = re.match(r"^#qat\.estimator<(\w+)(?:, \{(.*)\})?>$", text)
    assert m, text
    params = {}
    if m.group(2):
        for entry in re.split(r", (?=\w+ = )", m.group(2)):
            name, _, value = entry.partition(" = ")
            params[name] = parse_printed_value(value)
    return m.group(1), params


def test_every_kind_is_implemented():
    assert estimators.kinds() == ALL_KINDS


def test_potq_opt_accepts_and_round_trips_every_attribute():
    ests = instances()
    attrs = [e.mlir_attr() for e in ests]
    result = run_opt(attrs)
    assert result.returncode == 0, result.stderr
    printed = re.findall(r"estimator = (#qat\.estimator<[^>]*>)",
                         result.stdout)
    assert len(printed) == len(ests), result.stdout
    for est, text in zip(ests, printed):
        kind, params = parse_printed_attr(text)
        assert kind == est.kind
        assert params == est.export_params(), (est, text)


def test_potq_opt_rejects_a_wrong_parameter():
    # The harness above can fail: potq-opt verifies names and types.
    for attr in ["#qat.estimator<lsq, {bogus = 1.0 : f64}>",
                 "#qat.estimator<lsq, {grad_scale = 1 : i64}>",
                 "#qat.estimator<ste, {grad_scale = 1.0 : f64}>"]:
        result = run_opt([attr])
        assert result.returncode != 0, attr
        assert "estimator" in result.stderr


@pytest.mark.parametrize("value,text", [
    (True, "true"), (False, "false"), (3, "3 : i64"), (-7, "-7 : i64"),
    (0.0125, "0.0125 : f64"), (1e-05, "1.0e-05 : f64"),
    (1e+20, "1.0e+20 : f64"), (2.0, "2.0 : f64"), ("filter", '"filter"')])
def test_format_attr_value(value, text):
    assert format_attr_value("p", value) == text


@pytest.mark.parametrize("value,error", [
    (float("inf"), ValueError), (float("nan"), ValueError),
    (2 ** 63, ValueError), ('a"b', ValueError), ([1], TypeError),
    (None, TypeError)])
def test_format_attr_value_errors(value, error):
    with pytest.raises(error, match="estimator parameter p"):
        format_attr_value("p", value)
