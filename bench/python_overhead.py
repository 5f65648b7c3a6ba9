#!/usr/bin/env python3
"""Per-op overhead of small ops called from Python: cmlx.core vs mlx.core in one run.

Each workload builds a lazy graph from Python and evaluates it; with 16-element
arrays the arithmetic is negligible, so the time is the binding + graph +
scheduling overhead of one call. Prints the median time per iteration (best
of --repeats runs of --iters iterations) and the ratio cmlx / MLX.

    python bench/python_overhead.py [--iters 2000] [--repeats 7]
"""

import argparse
import importlib
import statistics
import sys
import time

import numpy as np


def workloads(mx):
    a = mx.array(np.arange(16, dtype=np.float32))
    b = mx.array(np.ones(16, dtype=np.float32))
    mx.eval(a, b)

    def add_eval():
        mx.eval(mx.add(a, b))

    def operator_eval():
        mx.eval(a + 1.0)

    def chain10_eval():
        x = a
        for _ in range(10):
            x = x * b + 1.0
        mx.eval(x)

    def build_only():
        mx.add(a, b)

    def from_list():
        mx.eval(mx.array([1.0, 2.0, 3.0, 4.0]))

    def sum_item():
        return mx.sum(a).item()

    return [
        ("mx.add(a, b) + eval", add_eval, 1),
        ("a + 1.0 + eval", operator_eval, 1),
        ("build mx.add only (no eval)", build_only, 1),
        ("chain: 10 x (x * b + 1.0) + eval", chain10_eval, 20),
        ("mx.array([4 floats]) + eval", from_list, 1),
        ("mx.sum(a).item()", sum_item, 1),
    ]


def measure(fn, iters, repeats):
    for _ in range(min(iters, 200)):
        fn()
    runs = []
    for _ in range(repeats):
        t = time.perf_counter()
        for _ in range(iters):
            fn()
        runs.append((time.perf_counter() - t) / iters)
    return statistics.median(runs)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--iters", type=int, default=2000)
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--modules", default="cmlx.core,mlx.core")
    args = ap.parse_args()
    mods = []
    for name in args.modules.split(","):
        try:
            mods.append(importlib.import_module(name))
        except ImportError as e:
            print(f"skipping {name}: {e}", file=sys.stderr)
    if not mods:
        return 1
    results = {}
    for mx in mods:
        for label, fn, ops in workloads(mx):
            results[(mx.__name__, label)] = (measure(fn, args.iters, args.repeats), ops)
    labels = [w[0] for w in workloads(mods[0])]
    names = [m.__name__ for m in mods]
    head = f"{'workload':36s}" + "".join(f"{n + ' us':>16s}" for n in names)
    if len(mods) == 2:
        head += f"{'ratio':>10s}"
    print(head)
    for label in labels:
        row = f"{label:36s}"
        ts = [results[(n, label)][0] for n in names]
        row += "".join(f"{t * 1e6:16.2f}" for t in ts)
        if len(mods) == 2:
            row += f"{ts[0] / ts[1]:10.2f}"
        print(row)
    if len(mods) == 2:
        print(f"ratio = {names[0]} / {names[1]} (below 1: {names[0]} is faster); "
              f"median of {args.repeats} runs of {args.iters} iterations, per iteration")
    return 0


if __name__ == "__main__":
    sys.exit(main())
