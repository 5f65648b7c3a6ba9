#!/usr/bin/env python3
"""Batched decompositions of mx.linalg: cmlx beside MLX (CPU stream) and NumPy, same process, same inputs.

    python3 python/setup.py build_ext --inplace
    python3 bench/linalg.py [--batch 64] [--n 256] [--reps 3] [--only svd,qr]

Each workload factorises a (batch, n, n) float32 array of uniform values; one
sample evaluates every output (mx.eval / NumPy's eager result). The table shows
the median time in ms over --reps samples after one warm-up, and cmlx's
speed-up over each other column (>1: cmlx faster). Thread counts are each
library's defaults (cmlx: OpenMP over the batch, one OpenBLAS thread per
matrix; NumPy: OpenBLAS's threads inside each LAPACK call, one matrix at a time).
"""

import argparse
import statistics
import time

import numpy as np

WORKLOADS = {
    "qr": (lambda L, a: L.linalg.qr(a), lambda a: np.linalg.qr(a)),
    "svd": (lambda L, a: L.linalg.svd(a), lambda a: np.linalg.svd(a)),
    "svd values": (lambda L, a: L.linalg.svd(a, compute_uv=False), lambda a: np.linalg.svd(a, compute_uv=False)),
    "eigh": (lambda L, a: L.linalg.eigh(a + L.swapaxes(a, -1, -2)), lambda a: np.linalg.eigh(a + np.swapaxes(a, -1, -2))),
    "lu_factor": (lambda L, a: L.linalg.lu_factor(a), None),
    "inv": (lambda L, a: L.linalg.inv(a), lambda a: np.linalg.inv(a)),
    "det": (lambda L, a: L.linalg.det(a), lambda a: np.linalg.det(a)),
}


def timed(fn, reps):
    fn()
    samples = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(samples)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--n", type=int, default=256)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    import cmlx.core as cm
    import mlx.core as mx

    mx.set_default_device(mx.cpu)
    a = np.random.default_rng(0).uniform(-1, 1, (args.batch, args.n, args.n)).astype(np.float32)
    ca, ma = cm.array(a), mx.array(a)
    cm.eval(ca)
    mx.eval(ma)
    names = [n for n in WORKLOADS if not args.only or n in args.only.split(",")]
    print(f"(batch, n, n) = ({args.batch}, {args.n}, {args.n}) float32, median of {args.reps} (ms)")
    print(f"{'op':<12}{'cmlx':>10}{'mlx':>10}{'numpy':>10}{'vs mlx':>9}{'vs numpy':>10}")
    for name in names:
        f, fnp = WORKLOADS[name]
        t_c = timed(lambda: cm.eval(f(cm, ca)), args.reps)
        t_m = timed(lambda: mx.eval(f(mx, ma)), args.reps)
        t_n = timed(lambda: fnp(a), args.reps) if fnp else float("nan")
        print(f"{name:<12}{t_c:>10.1f}{t_m:>10.1f}{t_n:>10.1f}{t_m / t_c:>9.2f}{t_n / t_c:>10.2f}")


if __name__ == "__main__":
    main()
