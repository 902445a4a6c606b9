"""A small training loop for quantization-aware training with `potq.nn`.

Why potq has its own loop (the examples and tests use it): QAT with potq's
estimators needs three things a plain PyTorch loop does not do.

1. Every estimator's `step` hook runs after each optimizer step
   (`potq.nn.estimator_step`): MSQE recomputes scales from the updated
   weights, stochastic partial quantization advances its ratio schedule,
   n-hot two-stage fine-tuning switches stage. The hook gets a global step
   count that runs on across epochs; `train_epoch` takes it and returns it.
2. Learned scales live in their own optimizer groups (`param_groups`): a
   scale is 1e-4..1e-2 while weights are ~1e-2, so one absolute learning
   rate for both drives small scales to zero; each scale's rate is
   `scale_lr` times its initial value.
3. Scales are initialised from data before QAT (`calibrate`), each
   quantizer seeing the quantized output of the ones upstream.

Distributed data parallel (DDP; backend gloo on CPU) works unchanged: wrap
the model in `torch.nn.parallel.DistributedDataParallel` after `calibrate`
and give each rank its slice of the same global batch (`Batches(...,
rank=r, world_size=W)`). Why scales and estimator state stay identical on
every rank:

- Learned scales are parameters: DDP all-reduces (averages) their
  gradients with the weights', so every rank applies the same update.
  gloo's all-reduce hands every rank the same bits.
- Scales not learned by gradient (ste, msqe, ...) are buffers. MSQE's
  update in the `step` hook is computed from the weights, which are
  identical after the identical update; DDP also broadcasts rank 0's
  buffers (BatchNorm statistics, buffered scales, estimator state) before
  every forward (`broadcast_buffers=True`, the default).
- Stochastic masks come from a generator seeded by (seed, step), not by
  the rank, so every rank draws the same mask.
- `calibrate(..., distributed=True)`, called on every rank, averages
  activation scales over the ranks and takes weight scales from rank 0
  (`potq.nn.sync_scale_init`); give every rank the same calibration batches
  and the average is the common value. `train_epoch` on a
  DistributedDataParallel model does the same for a quantizer that
  initialises lazily in its first forward. Nothing else communicates: a
  plain `calibrate`, `evaluate`, `predict` or export under an initialised
  group is local (rank 0 alone may run it).

Two processes therefore match one process with the same global batch up to
the order of float summation in the gradient all-reduce (checked by
python/tests/test_ddp.py). What does not match: BatchNorm in training mode
normalises with each rank's local batch statistics (use
`QuantConv2d.freeze_bn_stats()`, or accept the difference; PyTorch's
SyncBatchNorm needs CUDA).
"""

import contextlib
import math
import random
import time
from collections import namedtuple

import numpy as np
import torch
import torch.nn.functional as F

from potq import nn as qnn

__all__ = ["seed_everything", "Batches", "quantizers", "param_groups",
           "calibrate", "train_epoch", "evaluate", "predict", "unwrap",
           "EpochStats", "EvalStats"]

EpochStats = namedtuple("EpochStats", "loss accuracy global_step seconds")
EvalStats = namedtuple("EvalStats", "accuracy loss count")


def seed_everything(seed):
    """Seeds Python's, numpy's and torch's global generators with `seed`
    (an int) so that model initialisation and anything else drawing from
    them repeat; returns a torch.Generator seeded the same way for the
    caller's own draws."""
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError("seed_everything: seed must be an int, got %r"
                        % (seed,))
    random.seed(seed)
    np.random.seed(seed % 2 ** 32)
    torch.manual_seed(seed)
    return torch.Generator().manual_seed(seed)


def _is_dist():
    dist = torch.distributed
    return dist.is_available() and dist.is_initialized()


def _rank_and_size():
    if _is_dist():
        return torch.distributed.get_rank(), torch.distributed.get_world_size()
    return 0, 1


def unwrap(model):
    """The module inside a DistributedDataParallel / DataParallel wrapper."""
    return getattr(model, "module", model)


class Batches:
    """Mini-batches of in-memory tensors, identical on every DDP rank.

    Batches(x, y, batch_size, shuffle=True, seed=0) yields (x[idx], y[idx])
    over one epoch; the order of epoch e is a permutation drawn from a
    generator seeded by (seed, e) (call `set_epoch(e)`), so it does not
    depend on how many epochs ran before or on the rank.

    With world_size W > 1 each global batch of `batch_size` rows is cut
    into W equal slices and rank r gets slice r: the ranks together see
    exactly the batches one process sees, and DDP's average of the ranks'
    mean losses is the mean loss of the global batch. `batch_size` must
    then be a multiple of W, and a last batch smaller than W rows, or not
    a multiple of W, is shortened to the largest multiple (rows dropped,
    the same on every rank). rank and world_size default to those of the
    initialised torch.distributed group (0 and 1 without one).
    """

    def __init__(self, x, y, batch_size, *, shuffle=True, seed=0,
                 drop_last=False, rank=None, world_size=None):
        if not isinstance(x, torch.Tensor) or not isinstance(y, torch.Tensor):
            raise TypeError("Batches: x and y must be tensors, got %s and %s"
                            % (type(x).__name__, type(y).__name__))
        if len(x) != len(y):
            raise ValueError("Batches: x has %d rows, y %d" % (len(x), len(y)))
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) \
                or batch_size < 1:
            raise ValueError("Batches: batch_size must be a positive int, "
                             "got %r" % (batch_size,))
        if (rank is None) != (world_size is None):
            raise ValueError("Batches: give both rank and world_size or "
                             "neither")
        if rank is None:
            rank, world_size = _rank_and_size()
        if not 0 <= rank < world_size:
            raise ValueError("Batches: rank %r not in [0, %r)"
                             % (rank, world_size))
        if batch_size % world_size:
            raise ValueError("Batches: batch_size %d is not a multiple of "
                             "the world size %d" % (batch_size, world_size))
        self.x, self.y = x, y
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.seed = seed
        self.drop_last = drop_last
        self.rank, self.world_size = rank, world_size
        self.epoch = 0

    def set_epoch(self, epoch):
        """Selects the permutation of epoch `epoch` (as DistributedSampler)."""
        self.epoch = int(epoch)

    def __len__(self):
        n = len(self.x)
        full, rest = divmod(n, self.batch_size)
        return full + (1 if rest >= self.world_size and not self.drop_last
                       else 0)

    def __iter__(self):
        n = len(self.x)
        if self.shuffle:
            gen = torch.Generator().manual_seed(
                self.seed * 1000003 + self.epoch)
            order = torch.randperm(n, generator=gen)
        else:
            order = torch.arange(n)
        for b in range(len(self)):
            idx = order[b * self.batch_size:(b + 1) * self.batch_size]
            per_rank = len(idx) // self.world_size
            idx = idx[self.rank * per_rank:(self.rank + 1) * per_rank]
            yield self.x[idx], self.y[idx]


def quantizers(model):
    """(name, Quantizer) for every potq.nn.Quantizer in `model`."""
    return [(name, m) for name, m in unwrap(model).named_modules()
            if isinstance(m, qnn.Quantizer)]


def param_groups(model, lr, *, scale_lr=None, weight_decay=0.0):
    """Optimizer parameter groups for QAT.

    - weights (tensors of 2 or more dimensions) at `lr` with `weight_decay`;
    - biases and BatchNorm parameters at `lr` without weight decay;
    - every learned scale in a group of its own at `scale_lr` times the
      mean of its current value (relative rate, see the module docstring),
      without weight decay; scale_lr=None puts scales at `lr` with the
      biases. Quantizers must be initialised first (`calibrate`).
    """
    model = unwrap(model)
    if not (isinstance(lr, (int, float)) and lr > 0):
        raise ValueError("param_groups: lr must be a positive number, got %r"
                         % (lr,))
    if scale_lr is not None and not (isinstance(scale_lr, (int, float))
                                     and scale_lr > 0):
        raise ValueError("param_groups: scale_lr must be a positive number "
                         "or None, got %r" % (scale_lr,))
    scale_ids, groups = set(), []
    for name, q in quantizers(model):
        if not isinstance(q.scale_raw, torch.nn.Parameter):
            continue
        if not bool(q.initialized):
            raise ValueError("param_groups: quantizer %s has no scale yet; "
                             "run calibrate(model, batches) first" % name)
        scale_ids.add(id(q.scale_raw))
        if scale_lr is not None:
            groups.append({"params": [q.scale_raw], "weight_decay": 0.0,
                           "lr": scale_lr * float(q.scale().mean())})
    decay, no_decay = [], []
    for p in model.parameters():
        if id(p) in scale_ids:
            if scale_lr is None:
                no_decay.append(p)
            continue
        (decay if p.dim() >= 2 else no_decay).append(p)
    return [{"params": decay, "lr": lr, "weight_decay": weight_decay},
            {"params": no_decay, "lr": lr, "weight_decay": 0.0}] + groups


def _inputs(batch):
    return batch[0] if isinstance(batch, (tuple, list)) else batch


@torch.no_grad()
def calibrate(model, batches, *, max_rows=None, reinit=False,
              distributed=False):
    """Initialises the Quantizers' scales from data (`Quantizer.init_from`).

    `batches` is an iterable of input tensors or (x, y) pairs; their rows
    (up to `max_rows`) are concatenated and run through the model once in
    eval mode (BatchNorm with running statistics, as in the folded
    forward). A quantizer without a scale initialises from the first tensor
    it sees, in execution order: activation quantizers see the quantized
    output of the layers upstream, weight quantizers their (folded) weight
    (`init`: msqe for weights, percentile for activations by default).
    Quantizers constructed with a scale (e.g. a fixed input scale) keep it
    unless `reinit=True`, which re-initialises every quantizer. Raises
    ValueError naming a quantizer the model did not reach. Returns
    {name: scale tensor}.

    distributed=True: every rank of the initialised torch.distributed group
    calls calibrate with the same model; each new scale is a collective
    (activation scales averaged over the ranks, weight scales from rank 0;
    `potq.nn.sync_scale_init`), so all ranks end with the same scales.
    False (default) never communicates.
    """
    if not isinstance(distributed, bool):
        raise TypeError("calibrate: distributed must be a bool, got %r"
                        % (distributed,))
    if distributed and not _is_dist():
        raise ValueError("calibrate: distributed=True needs an initialised "
                         "torch.distributed group")
    model = unwrap(model)
    xs, rows = [], 0
    for batch in batches:
        x = _inputs(batch)
        if not isinstance(x, torch.Tensor):
            raise TypeError("calibrate: batches must hold tensors or (x, y) "
                            "pairs, got %s" % type(x).__name__)
        xs.append(x)
        rows += len(x)
        if max_rows is not None and rows >= max_rows:
            break
    if not xs:
        raise ValueError("calibrate: no batches given")
    x = torch.cat(xs)[:max_rows]
    named = quantizers(model)
    if reinit:
        for _, q in named:
            q.initialized.fill_(False)
    was_training = model.training
    model.eval()
    try:
        with (qnn.sync_scale_init() if distributed
              else contextlib.nullcontext()):
            model(x)
    finally:
        model.train(was_training)
    missing = [name for name, q in named if not bool(q.initialized)]
    if missing:
        raise ValueError("calibrate: the forward did not reach quantizer(s) "
                         "%s" % ", ".join(missing))
    return {name: q.scale().detach().clone() for name, q in named}


def _progress(iterable, desc, enabled, total=None):
    """A tqdm bar on rank 0 when enabled; the plain iterable otherwise."""
    if not enabled or _rank_and_size()[0] != 0:
        return iterable
    from tqdm import tqdm
    return tqdm(iterable, desc=desc, total=total, leave=False,
                dynamic_ncols=True, mininterval=0.5)


def train_epoch(model, loader, optimizer, *, global_step, scheduler=None,
                loss_fn=F.cross_entropy, progress=True, desc="train"):
    """One pass over `loader` ((x, y) batches); returns EpochStats.

    For each batch: forward, `loss_fn(output, y)`, backward, optimizer
    step, `scheduler.step()` if given, then every estimator's step hook
    with the new global step count (`global_step` is the number of
    optimizer steps done before this epoch; the hook after the k-th step of
    the run sees global_step + k). The returned loss and accuracy are the
    means over this rank's rows; `global_step` is the count to pass to the
    next epoch. A non-finite loss raises FloatingPointError (a scale or
    weight diverged). On a DistributedDataParallel model, a quantizer that
    initialises in the forward syncs its scale across the ranks (as
    `calibrate(..., distributed=True)`); every rank runs that forward.
    """
    if isinstance(global_step, bool) or not isinstance(global_step, int) \
            or global_step < 0:
        raise ValueError("train_epoch: global_step must be an int >= 0, "
                         "got %r" % (global_step,))
    model.train()
    start = time.time()
    total_loss, correct, rows = 0.0, 0, 0
    bar = _progress(loader, desc, progress, total=len(loader)
                    if hasattr(loader, "__len__") else None)
    ddp = isinstance(model, torch.nn.parallel.DistributedDataParallel)
    for x, y in bar:
        with qnn.sync_scale_init() if ddp else contextlib.nullcontext():
            out = model(x)
        loss = loss_fn(out, y)
        if not math.isfinite(loss.item()):
            raise FloatingPointError("train_epoch: loss is %s at step %d"
                                     % (loss.item(), global_step + 1))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
        global_step += 1
        qnn.estimator_step(unwrap(model), global_step)
        total_loss += loss.item() * len(x)
        correct += int((out.argmax(dim=1) == y).sum())
        rows += len(x)
        if hasattr(bar, "set_postfix"):
            bar.set_postfix(loss="%.4f" % loss.item(), refresh=False)
    rows = max(rows, 1)
    return EpochStats(total_loss / rows, correct / rows, global_step,
                      time.time() - start)


@torch.no_grad()
def predict(model, x, *, batch_size=1000):
    """The model's outputs on x in eval mode (training mode restored)."""
    model = unwrap(model)
    was_training = model.training
    model.eval()
    try:
        return torch.cat([model(x[i:i + batch_size])
                          for i in range(0, len(x), batch_size)])
    finally:
        model.train(was_training)


@torch.no_grad()
def evaluate(model, loader, *, loss_fn=F.cross_entropy, progress=False,
             desc="eval"):
    """Accuracy and mean loss over (x, y) batches in eval mode; EvalStats.
    Under DDP evaluate the unwrapped model on each rank (no collective)."""
    model = unwrap(model)
    was_training = model.training
    model.eval()
    total_loss, correct, rows = 0.0, 0, 0
    try:
        for x, y in _progress(loader, desc, progress):
            out = model(x)
            total_loss += float(loss_fn(out, y, reduction="sum"))
            correct += int((out.argmax(dim=1) == y).sum())
            rows += len(x)
    finally:
        model.train(was_training)
    if rows == 0:
        raise ValueError("evaluate: the loader gave no rows")
    return EvalStats(correct / rows, total_loss / rows, rows)
