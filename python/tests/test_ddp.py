"""potq.training under torch.distributed (DDP, gloo on CPU).

Two processes (torch.multiprocessing spawn, a free TCP port) train a tiny
potq.nn model a few steps with each deterministic estimator that keeps
state or updates scales outside autograd -- lsq (learned scales), msqe
(scales set from the weights in the step hook) and stochastic_partial
(selection masks, ratio schedule) -- and must end with

1. bit-identical parameters, buffers and estimator state on both ranks;
2. the parameters one process reaches with the same global batch, within
   float tolerance: DDP averages the two ranks' gradients, one process
   differentiates the global mean, so the two differ by the order of
   float summation only (measured: at most 6e-8; the test allows
   TOLERANCE absolute + relative), and integer state (step counters,
   update counts) is equal.

The ranks calibrate with `calibrate(..., distributed=True)`. Outside such
an explicit call nothing communicates, even with a process group
initialised (checked on a group of one rank, counting collectives).
"""

import os
import socket
import tempfile
from datetime import timedelta

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch import nn
from torch.nn.parallel import DistributedDataParallel

import potq.nn as qnn
from potq import estimators, training

WORLD = 2
GLOBAL_BATCH = 16
STEPS = 6
#: atol = rtol for 1-process vs 2-process float state.
TOLERANCE = 1e-6

ESTIMATORS = {
    "lsq": lambda: "lsq",
    "msqe": lambda: estimators.get("msqe", update_interval=2,
                                   scale_momentum=0.5),
    "stochastic_partial": lambda: estimators.get(
        "stochastic_partial", mode="element", ratios=(0.5, 1.0),
        stage_steps=4, seed=7),
}


def make_model(kind):
    """Conv(+frozen BN) -> ReLU -> act quant -> Linear, weights with `kind`."""
    torch.manual_seed(0)
    conv = qnn.QuantConv2d(1, 4, 3, padding=1, bn=True, weight="apot4",
                           estimator=ESTIMATORS[kind]())
    # Batch statistics are per rank; frozen statistics keep the ranks'
    # forward equal to the global one (training.py's docstring).
    conv.freeze_bn_stats()
    with torch.no_grad():
        conv.bn.running_mean.uniform_(-0.1, 0.1)
        conv.bn.running_var.uniform_(0.5, 2.0)
    return nn.Sequential(conv, nn.ReLU(), qnn.QuantAct("uint8"), nn.Flatten(),
                         qnn.QuantLinear(4 * 6 * 6, 3, weight="pot3",
                                         estimator=ESTIMATORS[kind]()))


def data():
    g = torch.Generator().manual_seed(1)
    x = torch.randn(GLOBAL_BATCH * STEPS, 1, 6, 6, generator=g)
    y = torch.randint(0, 3, (len(x),), generator=g)
    return x, y


def calibrated_model(kind, distributed=False):
    model = make_model(kind)
    # The same batch on every rank.
    training.calibrate(model, [data()[0][:32]], distributed=distributed)
    return model


def train(kind, rank=None, world_size=None):
    """Calibrate, then STEPS optimizer steps; returns the model's state."""
    torch.set_num_threads(1)
    model = calibrated_model(kind, distributed=world_size is not None)
    x, y = data()
    if world_size is not None:
        model = DistributedDataParallel(model)
    opt = torch.optim.SGD(training.param_groups(model, 0.05, scale_lr=0.02),
                          momentum=0.9)
    loader = training.Batches(x, y, GLOBAL_BATCH, seed=3, rank=rank,
                              world_size=world_size)
    stats = training.train_epoch(model, loader, opt, global_step=0,
                                 progress=False)
    assert stats.global_step == STEPS
    net = training.unwrap(model)
    state = {k: v.detach().clone() for k, v in net.state_dict().items()}
    state["attrs"] = [m.estimator.mlir_attr() for _, m in
                      training.quantizers(net)]
    return state


def _worker(rank, port, outdir):
    os.environ["MASTER_ADDR"] = "127.0.0.1"
    os.environ["MASTER_PORT"] = str(port)
    dist.init_process_group("gloo", rank=rank, world_size=WORLD,
                            timeout=timedelta(seconds=60))
    try:
        states = {kind: train(kind, rank, WORLD) for kind in ESTIMATORS}
        torch.save(states, os.path.join(outdir, "rank%d.pt" % rank))
    finally:
        dist.destroy_process_group()


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def ranks():
    with tempfile.TemporaryDirectory() as outdir:
        mp.spawn(_worker, args=(_free_port(), outdir), nprocs=WORLD,
                 join=True)
        yield [torch.load(os.path.join(outdir, "rank%d.pt" % r))
               for r in range(WORLD)]


@pytest.mark.parametrize("kind", sorted(ESTIMATORS))
def test_ranks_identical(ranks, kind):
    a, b = ranks[0][kind], ranks[1][kind]
    assert a.keys() == b.keys()
    assert a["attrs"] == b["attrs"]
    for key in a:
        if key != "attrs":
            assert torch.equal(a[key], b[key]), key


@pytest.mark.parametrize("kind", sorted(ESTIMATORS))
def test_matches_one_process(ranks, kind):
    two = ranks[0][kind]
    one = train(kind)
    assert one.keys() == two.keys()
    assert one["attrs"] == two["attrs"]
    initial = calibrated_model(kind).state_dict()
    for key in one:
        if key == "attrs":
            continue
        if one[key].is_floating_point():
            torch.testing.assert_close(two[key], one[key], atol=TOLERANCE,
                                       rtol=TOLERANCE, msg=key)
        else:
            assert torch.equal(two[key], one[key]), key
    # The run did something: every weight and the estimator state moved.
    for key in ("0.weight", "4.weight"):
        assert (one[key] - initial[key]).abs().max() > 1e-3, key
    if kind == "msqe":
        assert int(one["0.weight_quantizer.estimator.updates"]) == STEPS // 2
    if kind == "stochastic_partial":
        assert int(one["0.weight_quantizer.estimator.global_step"]) == STEPS
    if kind == "lsq":
        assert not torch.equal(one["0.weight_quantizer.scale_raw"],
                               initial["0.weight_quantizer.scale_raw"])


@pytest.fixture
def one_rank_group(tmp_path, monkeypatch):
    """An initialised gloo group of one rank; yields the list of the
    collectives (all_reduce, broadcast) called while it lives."""
    dist.init_process_group("gloo", init_method="file://%s"
                            % (tmp_path / "store"), rank=0, world_size=1)
    calls = []
    for name in ("all_reduce", "broadcast"):
        def counted(*args, _real=getattr(dist, name), _name=name, **kwargs):
            calls.append(_name)
            return _real(*args, **kwargs)
        monkeypatch.setattr(dist, name, counted)
    try:
        yield calls
    finally:
        dist.destroy_process_group()


def test_no_collective_outside_an_explicit_distributed_call(one_rank_group):
    calls = one_rank_group
    x, y = data()
    model = make_model("lsq")
    # Lazy initialisation in an evaluation, a plain calibration, an
    # explicit init_from: all local (a rank-0-only call cannot hang).
    training.evaluate(model, [(x[:8], y[:8])])
    assert all(bool(q.initialized) for _, q in training.quantizers(model))
    training.calibrate(model, [x[:32]], reinit=True)
    model[2].quantizer.init_from(x[:4])
    assert calls == []
    # The explicit distributed calibration syncs each new scale: the
    # activation scale by all_reduce, the two weight scales by broadcast.
    training.calibrate(model, [x[:32]], reinit=True, distributed=True)
    assert sorted(calls) == ["all_reduce", "broadcast", "broadcast"]
    calls.clear()
    with qnn.sync_scale_init():
        model[2].quantizer.init_from(x[:4])
    model[2].quantizer.init_from(x[:4], sync=True)
    assert calls == ["all_reduce", "all_reduce"]


def test_distributed_calls_need_a_group():
    x = data()[0][:8]
    with pytest.raises(ValueError, match="distributed=True needs"):
        training.calibrate(make_model("lsq"), [x], distributed=True)
    with pytest.raises(RuntimeError, match="not initialised"):
        with qnn.sync_scale_init():
            pass
    with pytest.raises(RuntimeError, match="sync=True needs"):
        qnn.QuantAct("uint8").quantizer.init_from(x, sync=True)
