"""Every estimator's `#qat.estimator` attribute is accepted by potq-opt.

The parameter names and types an estimator exports must match the C++
table (potq::qat::estimatorParameters, lib/Dialect/Qat/IR/Estimators.cpp);
potq-opt's verifier checks them. Each kind is checked with its defaults and
the seed estimators also with non-default parameters, on a quantizer of
their encoding. The printed attribute must also read back to the exported
values exactly (floats included), so the recorded hyperparameters are the
trained ones.
"""

import re
import struct
import subprocess

import pytest
import torch

from potq import estimators
from potq.estimators import (LGLSQ, MSQE, NHotTwoStage, QErrorAware,
                             StochasticPartial)
from potq.estimators.base import format_attr_value
from potq.nn import Quantizer

ALL_KINDS = ["clipped_ste", "lg_lsq", "lsq", "msqe", "nhot_two_stage",
             "qerror_aware", "ste", "stochastic_partial"]

POT4 = "#potq.pot<bits = 4>"


def run_opt(tools, cases):
    """potq-opt's result on one qat.fake_quant per (encoding, attribute)."""
    funcs = []
    for i, (encoding, attr) in enumerate(cases):
        funcs.append(
            "func.func @f%d(%%x: tensor<4x3xf32>, %%s: tensor<f32>) -> "
            "tensor<4x3xf32> {\n"
            "  %%y = qat.fake_quant %%x, %%s {encoding = %s, "
            "estimator = %s} : tensor<4x3xf32>, tensor<f32>\n"
            "  return %%y : tensor<4x3xf32>\n}\n" % (i, encoding, attr))
    return subprocess.run([tools("potq-opt"), "-"], input="".join(funcs),
                          capture_output=True, text=True, timeout=60)


#: The seed estimators with non-default parameters, on their encodings.
SEED_CASES = [
    ("apot3", lambda: LGLSQ(grad_scale=0.01, asr_alpha=1.5, mde=False)),
    ("apot4", lambda: QErrorAware(alpha=0.0, learned_clip=False)),
    ("pot3", lambda: MSQE(update_interval=1, outlier_quantile=1.0,
                          scale_momentum=0.0)),
    ("pot4", lambda: StochasticPartial(mode="element", ratios=(0.25, 1.0),
                                       seed=2 ** 63 - 1)),
    ("nhot2", lambda: NHotTwoStage()),
    ("nhot1e5", lambda: NHotTwoStage(stage=2, stage1_steps=3,
                                     grad_scale=0.5)),
]


def instances():
    """(encoding, estimator): each kind with its default parameters on
    pot4, lsq with fixed gradient scales, and SEED_CASES after a forward
    through a quantizer of their encoding (nhot_two_stage learns its terms
    there)."""
    out = [(POT4, estimators.get(kind)) for kind in estimators.kinds()]
    out += [(POT4, estimators.get("lsq", grad_scale=g))
            for g in (0.0123, 1e-5, 1.0 / 3.0)]
    for encoding, make in SEED_CASES:
        est = make()
        q = Quantizer(encoding, estimator=est, role="weight",
                      scale=torch.tensor(0.1))
        q(torch.randn(4, 3, generator=torch.Generator().manual_seed(0)))
        out.append((q.encoding.mlir, est))
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


def test_potq_opt_accepts_and_round_trips_every_attribute(tools):
    cases = instances()
    result = run_opt(tools, [(enc, est.mlir_attr()) for enc, est in cases])
    assert result.returncode == 0, result.stderr
    printed = re.findall(r"estimator = (#qat\.estimator<[^>]*>)",
                         result.stdout)
    assert len(printed) == len(cases), result.stdout
    for (_, est), text in zip(cases, printed):
        kind, params = parse_printed_attr(text)
        assert kind == est.kind
        assert params == est.export_params(), (est, text)
    # The seed cases export their non-default parameters.
    assert any(est.export_params().get("terms") == 1 for _, est in cases)


@pytest.mark.parametrize("attr,words", [
    ("#qat.estimator<lsq, {bogus = 1.0 : f64}>", "estimator"),
    ("#qat.estimator<lsq, {grad_scale = 1 : i64}>", "estimator"),
    ("#qat.estimator<ste, {grad_scale = 1.0 : f64}>", "estimator"),
    ("#qat.estimator<msqe, {ratio = 0.5 : f64}>",
     "has no parameter 'ratio'"),
])
def test_potq_opt_rejects_a_wrong_parameter(tools, attr, words):
    # The check above can fail: the verifier knows each kind's names and
    # types.
    result = run_opt(tools, [(POT4, attr)])
    assert result.returncode != 0, attr
    assert words in result.stderr, result.stderr


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
