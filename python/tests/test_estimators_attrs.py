"""The seed estimators' `#qat.estimator` attributes parse and verify with
potq-opt, whose verifier checks every parameter name and type against the
C++ table `potq::qat::estimatorParameters` (lib/Dialect/Qat/IR/
Estimators.cpp): each one with non-default parameters, on a quantizer of
its encoding. potq-opt is found in $POTQ_TOOLS_DIR, else build/bin.
"""

import os
import pathlib
import subprocess

import pytest
import torch

from potq.estimators import (LGLSQ, MSQE, NHotTwoStage, QErrorAware,
                             StochasticPartial)
from potq.nn import Quantizer

REPO = pathlib.Path(__file__).resolve().parents[2]
POTQ_OPT = pathlib.Path(os.environ.get("POTQ_TOOLS_DIR",
                                       REPO / "build" / "bin")) / "potq-opt"

CASES = [
    ("pot4", LGLSQ()),
    ("apot3", LGLSQ(grad_scale=0.01, asr_alpha=1.5, mde=False)),
    ("pot4", QErrorAware()),
    ("apot4", QErrorAware(alpha=0.0, learned_clip=False)),
    ("pot4", MSQE()),
    ("pot3", MSQE(update_interval=1, outlier_quantile=1.0,
                  scale_momentum=0.0)),
    ("pot4", StochasticPartial()),
    ("pot4", StochasticPartial(mode="element", ratios=(0.25, 1.0),
                               seed=2 ** 63 - 1)),
    ("nhot2", NHotTwoStage()),
    ("nhot1e5", NHotTwoStage(stage=2, stage1_steps=3, grad_scale=0.5)),
]


def fake_quant_module(encoding, attr):
    return (
        "func.func @f(%x: tensor<4x3xf32>, %s: tensor<f32>) -> "
        "tensor<4x3xf32> {\n"
        "  %0 = qat.fake_quant %x, %s {encoding = " + encoding
        + ", estimator = " + attr + "} : tensor<4x3xf32>, tensor<f32>\n"
        "  return %0 : tensor<4x3xf32>\n}\n")


def potq_opt(text):
    assert POTQ_OPT.exists(), ("potq-opt not found at %s (set POTQ_TOOLS_DIR)"
                               % POTQ_OPT)
    return subprocess.run([str(POTQ_OPT), "-"], input=text,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("encoding,est", CASES,
                         ids=["%s-%d" % (e.kind, i)
                              for i, (_, e) in enumerate(CASES)])
def test_attribute_verifies(encoding, est):
    q = Quantizer(encoding, estimator=est, role="weight",
                  scale=torch.tensor(0.1))
    q(torch.randn(4, 3))  # nhot_two_stage learns its terms here
    attr = est.mlir_attr()
    result = potq_opt(fake_quant_module(q.encoding.mlir, attr))
    assert result.returncode == 0, (attr, result.stderr)
    assert "#qat.estimator<%s" % est.kind in result.stdout
    for name in est.export_params():
        assert name + " = " in result.stdout, (name, result.stdout)


def test_unknown_parameter_is_rejected():
    """The check above can fail: the verifier knows each kind's names."""
    attr = '#qat.estimator<msqe, {ratio = 0.5 : f64}>'
    result = potq_opt(fake_quant_module("#potq.pot<bits = 4>", attr))
    assert result.returncode != 0
    assert "has no parameter 'ratio'" in result.stderr
