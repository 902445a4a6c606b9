#!/usr/bin/python3
"""The evidence sweep of docs/Estimators.md: encodings and estimators on
Fashion-MNIST, accuracy of the compiled integer code.

Every row trains cnn.ResNetTiny with the same budget (recipe.py): FP32
pretraining shared per seed (--float-epochs, cached), then --qat-steps
optimizer steps (QAT, or float fine-tuning for the FP32 row), and measures
the accuracy of the network compiled by potq.compile (integer code with the
runtime kernels; the float graph for FP32) on all 10,000 test images, plus
potq-cost-report's terms, operations and energy per image.

Rows (`--list` prints them):
  fp32        FP32, each seed
  grid        lsq weights pot4, apot4, pot3 (= apot3: the same level set),
              pot2 (ternary; APoT needs 3 bits or more), per channel, with
              8-bit (--a8-seeds seeds) and 4-bit activations (every seed)
  estimators  4-bit activations; weights apot4, pot3, pot2; estimators ste,
              lsq, lg_lsq, qerror_aware, msqe, stochastic_partial; every seed
  nhot        8-bit activations; uniform8 (narrow) lsq, nhot1/nhot2
              (max_exp 7) with lsq and with nhot_two_stage; every seed

Results are appended to a JSON lines file, one object per row; rows already
there are skipped, so an interrupted sweep resumes, and `--shard i/n` runs
every n-th row (start n processes for n shards; they share the FP32 cache
and the results file under file locks). plot_sweep.py makes the tables and
plots.

  PYTHONPATH=build/python_packages nice -n 10 /usr/bin/python3 \\
      examples/fashion_mnist/sweep.py --out build/fmnist/sweep.jsonl
"""

import argparse
import contextlib
import fcntl
import json
import os
import platform
import sys
import time

import torch

from potq import training

import cnn
import fmnist
import recipe

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

GRID_WEIGHTS = ("pot4", "apot4", "pot3", "pot2")
EST_WEIGHTS = ("apot4", "pot3", "pot2")
ESTIMATORS = ("ste", "lsq", "lg_lsq", "qerror_aware", "msqe",
              "stochastic_partial")
NHOT = (("uniform8n", "lsq"), ("nhot1", "lsq"), ("nhot1", "nhot_two_stage"),
        ("nhot2", "lsq"), ("nhot2", "nhot_two_stage"))


def rows(seeds, a8_seeds):
    """The sweep's rows in order, without duplicates: dicts with key,
    groups, weight (None for FP32), act_bits, estimator, seed."""
    out = {}

    def add(group, weight, act_bits, estimator, seed):
        key = ("fp32-s%d" % seed if weight is None else
               "%s-a%d-%s-s%d" % (weight, act_bits, estimator, seed))
        row = out.setdefault(key, {"key": key, "groups": [],
                                   "weight": weight, "act_bits": act_bits,
                                   "estimator": estimator, "seed": seed})
        if group not in row["groups"]:
            row["groups"].append(group)

    for seed in seeds:
        add("fp32", None, None, None, seed)
        for w in GRID_WEIGHTS:
            add("grid", w, 4, "lsq", seed)
            if seed in a8_seeds:
                add("grid", w, 8, "lsq", seed)
        for w in EST_WEIGHTS:
            for est in ESTIMATORS:
                add("estimators", w, 4, est, seed)
        for w, est in NHOT:
            add("nhot", w, 8, est, seed)
    return list(out.values())


@contextlib.contextmanager
def locked(path):
    """An exclusive lock on `path`.lock (shards share caches and results)."""
    with open(path + ".lock", "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def done_keys(path, budget):
    """Keys of the rows in `path`; exits if one was run with another
    budget (results of different budgets must not be mixed)."""
    keys = set()
    if not os.path.exists(path):
        return keys
    with open(path) as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            r = json.loads(line)
            if r["budget"] != budget:
                sys.exit("error: %s:%d (%s) was run with budget %s, this "
                         "sweep has %s; use another --out"
                         % (path, n, r["key"], r["budget"], budget))
            keys.add(r["key"])
    return keys


def cost_fields(report):
    t = report["total"]
    return {"terms": t["terms"], "binary_terms": t["binary_terms"],
            "nonzero_weights": t["nonzero_weights"], "weights": t["weights"],
            "multiplies": t["multiplies"], "storage_bits": t["storage_bits"],
            "shifts": t["direct"]["shifts"], "adds": t["direct"]["adds"],
            "energy_pj": t["direct"]["energy_pj"],
            "shared_adds": t["shared"]["adds"],
            "shared_energy_pj": t["shared"]["energy_pj"],
            "int8_mac_energy_pj": t["int8_mac"]["energy_pj"],
            "fp32_mac_energy_pj": t["fp32_mac"]["energy_pj"],
            "macs": t["int8_mac"]["multiplies"],
            "encodings": sorted({l["encoding"] for l in report["layers"]})}


def run_row(row, args, data, log):
    x, y, xt, yt = data
    budget = args.budget
    cache = os.path.join(args.cache_dir, "fp32_w%d_e%d_n%d_s%d.pt" % (
        budget["width"], budget["float_epochs"], len(x), row["seed"]))
    with locked(cache):
        fmodel = recipe.pretrain(row["seed"], width=budget["width"],
                                 epochs=budget["float_epochs"], x=x, y=y,
                                 cache=cache, progress=args.progress, log=log)
    start = time.time()
    if row["weight"] is None:
        model = recipe.finetune_float(fmodel, seed=row["seed"],
                                      steps=budget["qat_steps"], x=x, y=y,
                                      progress=args.progress, log=log)
    else:
        model = recipe.qat(fmodel, weight=row["weight"],
                           act_bits=row["act_bits"],
                           estimator=row["estimator"], seed=row["seed"],
                           steps=budget["qat_steps"], x=x, y=y,
                           progress=args.progress, log=log)
    train_s = time.time() - start
    torch_logits = training.predict(model, xt).numpy()
    start = time.time()
    mlir = recipe.to_mlir(model, xt)
    logits = recipe.evaluate_compiled(mlir, xt.numpy())
    result = dict(row)
    result.update({
        "budget": budget,
        "torch_accuracy": recipe.accuracy(torch_logits, yt),
        "accuracy": recipe.accuracy(logits, yt),
        "test_images": len(yt),
        "argmax_agreement": float((logits.argmax(1)
                                   == torch_logits.argmax(1)).mean()),
        "train_s": round(train_s, 1),
    })
    if row["weight"] is not None:
        result.update(cost_fields(recipe.cost_report(mlir)))
    result["eval_s"] = round(time.time() - start, 1)
    return result


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--out", default=os.path.join(ROOT, "build", "fmnist",
                                                 "sweep.jsonl"))
    p.add_argument("--cache-dir", default=os.path.join(ROOT, "build",
                                                       "fmnist", "cache"))
    p.add_argument("--shard", default="0/1", help="i/n: every n-th row from "
                   "row i (default 0/1: all)")
    p.add_argument("--seeds", default="0,1,2")
    p.add_argument("--a8-seeds", default="0",
                   help="seeds of the 8-bit-activation grid rows")
    p.add_argument("--width", type=int, default=8)
    p.add_argument("--float-epochs", type=int, default=2)
    p.add_argument("--qat-steps", type=int, default=160)
    p.add_argument("--limit-train", type=int, default=None)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--only", default=None,
                   help="only rows whose key contains this text")
    p.add_argument("--list", action="store_true", help="print the rows")
    p.add_argument("--progress", action="store_true", help="tqdm bars")
    args = p.parse_args(argv)
    try:
        shard, shards = (int(v) for v in args.shard.split("/"))
        if not 0 <= shard < shards:
            raise ValueError
    except ValueError:
        p.error("--shard must be i/n with 0 <= i < n, got %r" % args.shard)
    seeds = [int(s) for s in args.seeds.split(",")]
    a8_seeds = {int(s) for s in args.a8_seeds.split(",") if s}
    todo = rows(seeds, a8_seeds)
    if args.only:
        todo = [r for r in todo if args.only in r["key"]]
    todo = todo[shard::shards]
    if args.list:
        for r in todo:
            print(r["key"], ",".join(r["groups"]))
        print("%d rows" % len(todo))
        return
    args.budget = {"width": args.width, "float_epochs": args.float_epochs,
                   "qat_steps": args.qat_steps, "batch_size": 128,
                   "train_images": args.limit_train or 60000}
    torch.set_num_threads(args.threads)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    os.makedirs(args.cache_dir, exist_ok=True)

    def log(msg):
        print("[%s] %s" % (time.strftime("%H:%M:%S"), msg), flush=True)

    try:
        x, y = cnn.load_images("train", limit=args.limit_train)
        xt, yt = cnn.load_images("test")
    except fmnist.DatasetMissingError as e:
        sys.exit("error: %s" % e)
    with locked(args.out):
        done = done_keys(args.out, args.budget)
    todo = [r for r in todo if r["key"] not in done]
    log("shard %d/%d: %d rows to run (%d already in %s); budget %s"
        % (shard, shards, len(todo), len(done), args.out, args.budget))
    machine = "%s, %d CPUs, torch %s, %d threads" % (
        platform.processor() or platform.machine(), os.cpu_count(),
        torch.__version__, args.threads)
    start = time.time()
    for n, row in enumerate(todo, 1):
        result = run_row(row, args, (x, y, xt, yt), log)
        result["machine"] = machine
        with locked(args.out):
            with open(args.out, "a") as f:
                f.write(json.dumps(result, sort_keys=True) + "\n")
        log("%d/%d %s: integer accuracy %.4f (PyTorch %.4f), train %.0f s, "
            "eval %.0f s; %.0f s so far" % (
                n, len(todo), row["key"], result["accuracy"],
                result["torch_accuracy"], result["train_s"],
                result["eval_s"], time.time() - start))
    log("done: %d rows in %.0f s" % (len(todo), time.time() - start))


if __name__ == "__main__":
    main()
