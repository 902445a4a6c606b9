"""The CNN training recipe shared by train_cnn.py and sweep.py.

    pretrain()   FP32 training of cnn.ResNetTiny (cached per seed/budget)
    finetune_float()  the FP32 network trained as long as a QAT run
    qat()        the float network's weights -> the QAT network, calibrated
                 scales, a fixed number of QAT steps
    evaluate_compiled()  potq.export -> potq.compile -> the compiled
                 integer code run on images; accuracy and logits
    cost_report()  potq-cost-report's JSON for the compiled network

Budget: every QAT run takes the same number of optimizer steps (`steps`,
global batch `batch_size`), Adam with cosine decay, learned scales at a
rate relative to their initial value (potq.training.param_groups). The
BatchNorm statistics are updated with batch statistics for the first half
of QAT and frozen for the second (QuantConv2d.freeze_bn_stats,
Krishnamoorthi 2018), so the folded weights settle before the end.
"""

import copy
import json
import os
import tempfile
import time

import numpy as np
import torch

import potq
import potq.export
import potq.nn
from potq import estimators, training

import cnn


def pretrain(seed, *, width, epochs, x, y, batch_size=128, lr=2e-3,
             cache=None, progress=True, log=print):
    """A float ResNetTiny trained `epochs` epochs on (x, y) from seed
    `seed`; loaded from `cache` (a .pt path) when it exists, saved there
    otherwise."""
    if cache and os.path.exists(cache):
        model = cnn.ResNetTiny(cnn.Config(), width=width)
        model.load_state_dict(torch.load(cache))
        return model
    training.seed_everything(seed)
    model = cnn.ResNetTiny(cnn.Config(), width=width)
    loader = training.Batches(x, y, batch_size, seed=seed)
    opt = torch.optim.Adam(training.param_groups(model, lr))
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(
        opt, max(epochs * len(loader), 1))
    step = 0
    for epoch in range(epochs):
        loader.set_epoch(epoch)
        st = training.train_epoch(model, loader, opt, global_step=step,
                                  scheduler=sched, progress=progress,
                                  desc="FP32 %d/%d" % (epoch + 1, epochs))
        step = st.global_step
        log("FP32 seed %d epoch %d: loss %.4f train accuracy %.4f (%.0f s)"
            % (seed, epoch + 1, st.loss, st.accuracy, st.seconds))
    if cache:
        os.makedirs(os.path.dirname(os.path.abspath(cache)), exist_ok=True)
        tmp = cache + ".tmp"
        torch.save(model.state_dict(), tmp)
        os.replace(tmp, cache)
    return model


def finetune_float(fmodel, *, seed, steps, x, y, batch_size=128, lr=5e-4,
                   progress=True, log=print):
    """A copy of the float network trained `steps` more steps with QAT's
    optimizer and schedule: the FP32 row of a sweep gets the same budget
    as the QAT rows."""
    training.seed_everything(seed)
    model = copy.deepcopy(fmodel)
    loader = training.Batches(x, y, batch_size, seed=seed + 1)
    opt = torch.optim.Adam(training.param_groups(model, lr))
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, max(steps, 1))
    st = training.train_epoch(model, _Steps(loader, steps, start=0), opt,
                              global_step=0, scheduler=sched,
                              progress=progress, desc="FP32 fine-tuning")
    log("FP32 fine-tuning seed %d: %d steps, loss %.4f (%.0f s)"
        % (seed, steps, st.loss, st.seconds))
    return model


def estimator_factory(name, *, steps, seed):
    """A callable returning a new weight estimator `name` configured for a
    QAT run of `steps` optimizer steps (schedules scaled to the run)."""
    if name == "msqe":
        # 4 MSQE searches per run (each costs about 0.5 s per layer).
        return lambda: estimators.get(
            "msqe", update_interval=max(steps // 4, 1))
    if name == "stochastic_partial":
        # The paper's 50/75/87.5/100% schedule over the run.
        return lambda: estimators.get(
            "stochastic_partial", stage_steps=max(steps // 4, 1), seed=seed)
    if name == "nhot_two_stage":
        # Half the run on the dense grid, half on the n-hot levels.
        return lambda: estimators.get(
            "nhot_two_stage", stage1_steps=max(steps // 2, 1))
    if name not in estimators.kinds():
        raise ValueError("unknown estimator %r: expected one of %s"
                         % (name, ", ".join(estimators.kinds())))
    return lambda: estimators.get(name)


def qat(fmodel, *, weight, act_bits, estimator, seed, steps, x, y,
        batch_size=128, lr=5e-4, scale_lr=1e-2, calib_rows=512,
        progress=True, log=print):
    """The QAT network for `fmodel` (its width), trained `steps` steps."""
    training.seed_everything(seed)
    width = fmodel.stem.conv.out_channels
    cfg = cnn.Config(weight, act_bits=act_bits,
                     estimator=estimator_factory(estimator, steps=steps,
                                                 seed=seed))
    model = cnn.ResNetTiny(cfg, width=width)
    cnn.load_float(model, fmodel)
    gen = torch.Generator().manual_seed(seed)
    calib = x[torch.randperm(len(x), generator=gen)[:calib_rows]]
    training.calibrate(model, [calib])
    loader = training.Batches(x, y, batch_size, seed=seed + 1)
    opt = torch.optim.Adam(training.param_groups(model, lr,
                                                 scale_lr=scale_lr))
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, max(steps, 1))
    start = time.time()
    desc = "QAT %s a%d %s" % (weight, act_bits, estimator)
    # First half with batch statistics, second half with them frozen.
    first = _Steps(loader, steps // 2, start=0)
    st = training.train_epoch(model, first, opt, global_step=0,
                              scheduler=sched, progress=progress, desc=desc)
    for m in model.modules():
        if isinstance(m, potq.nn.QuantConv2d) and m.bn is not None:
            m.freeze_bn_stats()
    second = _Steps(loader, steps - steps // 2, start=steps // 2)
    st = training.train_epoch(model, second, opt, global_step=st.global_step,
                              scheduler=sched, progress=progress, desc=desc)
    log("QAT %s a%d %s seed %d: %d steps, loss %.4f (%.0f s)"
        % (weight, act_bits, estimator, seed, st.global_step, st.loss,
           time.time() - start))
    return model


class _Steps:
    """`count` batches of `loader` starting at global batch `start`, across
    epochs (set_epoch(e) for the e-th pass), so a run is a number of steps
    rather than of epochs."""

    def __init__(self, loader, count, start):
        self.loader, self.count, self.start = loader, count, start

    def __len__(self):
        return self.count

    def __iter__(self):
        per_epoch = len(self.loader)
        done, position = 0, self.start
        while done < self.count:
            epoch, skip = divmod(position, per_epoch)
            self.loader.set_epoch(epoch)
            for i, batch in enumerate(self.loader):
                if i < skip:
                    continue
                yield batch
                done += 1
                position += 1
                if done == self.count:
                    return


def to_mlir(model, images):
    """The exported QAT (or float) graph with a dynamic batch."""
    return potq.export.to_mlir(model, (images[:2],))


def evaluate_compiled(mlir, images, *, pipeline=None, chunk=2500):
    """Logits of the compiled network (potq.compile, default pipeline: the
    integer code with the runtime kernels) on `images` (float32 tensor or
    array [N, 1, 28, 28]), run in chunks of `chunk` images."""
    module = potq.compile(mlir, pipeline=pipeline)
    x = np.ascontiguousarray(np.asarray(images, dtype=np.float32))
    return np.concatenate([module.run(x[i:i + chunk])
                           for i in range(0, len(x), chunk)])


def cost_report(mlir):
    """potq-cost-report's JSON (docs/BitSparsity.md) of the network after
    potq-qat-to-shift-add, through potq.compile (no lowering)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "cost.json")
        potq.compile(mlir, pipeline=(
            "builtin.module(potq-qat-to-shift-add{lower=false},"
            "potq-cost-report{format=json output-file=%s})" % path))
        with open(path) as f:
            return json.load(f)


def accuracy(logits, labels):
    labels = np.asarray(labels)
    return float((np.asarray(logits).argmax(axis=1) == labels).mean())


__all__ = ["pretrain", "finetune_float", "qat", "estimator_factory", "to_mlir",
           "evaluate_compiled", "cost_report", "accuracy"]
