#!/usr/bin/env python3
"""einsum of common contractions: cmlx.core vs MLX (CPU), NumPy and PyTorch (CPU), in one run.

    python3 python/setup.py build_ext --inplace          # cmlx.core, in place
    python3 bench/einsum.py [--threads 2] [--reps 7] [--quick]

Each framework runs in its own process (its thread settings made before it is
imported, as bench/run.py does): cmlx through OMP_NUM_THREADS /
OPENBLAS_NUM_THREADS, NumPy through OPENBLAS_NUM_THREADS, torch through
torch.set_num_threads; MLX has no setting. One iteration is what user code
does: build the einsum and evaluate it (cmlx, MLX: mx.eval; NumPy: einsum with
optimize=True, which contracts through BLAS; torch: torch.einsum). After a
warm-up, each sample repeats the call until it lasts --min-sample-ms; the
table shows the median per call and each result is checked against NumPy's
in float64 first.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

# name, subscripts, operand shapes (float32)
WORKLOADS = [
    ("attention", "bhqd,bhkd->bhqk", [(8, 8, 256, 64), (8, 8, 256, 64)]),
    ("matmul", "ij,jk->ik", [(1024, 1024), (1024, 1024)]),
    ("batched_matmul", "bij,bjk->bik", [(64, 128, 128), (64, 128, 128)]),
    ("batched_outer", "bi,bj->bij", [(128, 256), (128, 256)]),
    ("chain3", "ij,jk,kl->il", [(512, 64), (64, 512), (512, 64)]),
]
QUICK = [
    ("attention", "bhqd,bhkd->bhqk", [(2, 4, 128, 64), (2, 4, 128, 64)]),
    ("matmul", "ij,jk->ik", [(256, 256), (256, 256)]),
    ("batched_matmul", "bij,bjk->bik", [(16, 64, 64), (16, 64, 64)]),
    ("batched_outer", "bi,bj->bij", [(64, 128), (64, 128)]),
    ("chain3", "ij,jk,kl->il", [(128, 32), (32, 128), (128, 32)]),
]
FRAMEWORKS = ["cmlx", "mlx", "numpy", "torch"]


def flops(subs, shapes):
    """2 x the product of every distinct dimension (a multiply-add per term) for one-step
    contractions; reported as a rate only, the same for every framework."""
    inputs = subs.split("->")[0].split(",")
    sizes = {}
    for sub, shape in zip(inputs, shapes):
        sizes.update(dict(zip(sub, shape)))
    total = 1
    for v in sizes.values():
        total *= v
    return 2 * total


def worker(fw, workloads, reps, warmup, min_sample_ms):
    import numpy as np
    rng = np.random.default_rng(0)
    out = {}
    if fw in ("cmlx", "mlx"):
        mx = __import__("cmlx.core" if fw == "cmlx" else "mlx.core", fromlist=["core"])
    elif fw == "torch":
        import torch
        torch.set_num_threads(int(os.environ.get("BENCH_THREADS", "2")))
    for name, subs, shapes in workloads:
        host = [rng.standard_normal(s).astype(np.float32) for s in shapes]
        if fw in ("cmlx", "mlx"):
            args = [mx.array(h) for h in host]
            mx.eval(*args)

            def call():
                r = mx.einsum(subs, *args)
                mx.eval(r)
                return r

            def to_np(r):
                return np.array(r)
        elif fw == "numpy":
            args = host

            def call():
                return np.einsum(subs, *args, optimize=True)

            def to_np(r):
                return r
        else:
            args = [torch.from_numpy(h) for h in host]

            def call():
                return torch.einsum(subs, *args)

            def to_np(r):
                return r.numpy()
        want = np.einsum(subs, *[h.astype(np.float64) for h in host], optimize=True)
        got = to_np(call())
        err = float(np.max(np.abs(got - want)) / max(1.0, float(np.max(np.abs(want)))))
        for _ in range(warmup):
            call()
        batch = 1
        while True:
            t0 = time.perf_counter()
            for _ in range(batch):
                call()
            dt = time.perf_counter() - t0
            if dt * 1000 >= min_sample_ms or batch >= 1 << 20:
                break
            batch *= 2
        samples = []
        for _ in range(reps):
            t0 = time.perf_counter()
            for _ in range(batch):
                call()
            samples.append((time.perf_counter() - t0) / batch)
        out[name] = {"median_s": statistics.median(samples), "min_s": min(samples), "rel_error": err,
                     "flops": flops(subs, shapes)}
    return out


def fmt(t):
    return f"{t * 1e6:8.1f} us" if t < 1e-3 else f"{t * 1e3:8.2f} ms" if t < 1 else f"{t:8.2f} s "


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", type=int, default=len(os.sched_getaffinity(0)))
    p.add_argument("--reps", type=int, default=7)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--min-sample-ms", type=float, default=20.0)
    p.add_argument("--quick", action="store_true")
    p.add_argument("--frameworks", default=",".join(FRAMEWORKS))
    p.add_argument("--worker", help=argparse.SUPPRESS)
    args = p.parse_args()
    workloads = QUICK if args.quick else WORKLOADS
    if args.worker:
        json.dump(worker(args.worker, workloads, args.reps, args.warmup, args.min_sample_ms), sys.stdout)
        return 0
    results = {}
    for fw in args.frameworks.split(","):
        env = dict(os.environ, OMP_NUM_THREADS=str(args.threads), OPENBLAS_NUM_THREADS=str(args.threads),
                   MKL_NUM_THREADS=str(args.threads), BENCH_THREADS=str(args.threads))
        cmd = [sys.executable, __file__, "--worker", fw, "--reps", str(args.reps), "--warmup", str(args.warmup),
               "--min-sample-ms", str(args.min_sample_ms)] + (["--quick"] if args.quick else [])
        r = subprocess.run(cmd, env=env, capture_output=True, text=True)
        if r.returncode != 0:
            print(f"{fw}: failed: {r.stderr.strip().splitlines()[-1] if r.stderr.strip() else r.returncode}")
            continue
        results[fw] = json.loads(r.stdout)
    load = os.getloadavg()[0]
    print(f"einsum, float32, {args.threads} threads, median per call (load average {load:.2f})")
    header = f"{'workload':16} {'subscripts':18}" + "".join(f"{fw:>13}" for fw in results) + "   cmlx/" + " cmlx/".join(
        fw for fw in results if fw != "cmlx")
    print(header)
    for name, subs, shapes in workloads:
        row = f"{name:16} {subs:18}"
        for fw in results:
            row += f"  {fmt(results[fw][name]['median_s'])}"
        if "cmlx" in results:
            c = results["cmlx"][name]["median_s"]
            row += "  " + " ".join(f"{c / results[fw][name]['median_s']:9.2f}" for fw in results if fw != "cmlx")
        print(row)
    worst = {fw: max(v["rel_error"] for v in r.values()) for fw, r in results.items()}
    print("max relative error vs NumPy float64: " + ", ".join(f"{fw} {e:.1e}" for fw, e in worst.items()))
    print("shapes: " + "; ".join(f"{n} {' x '.join(str(s) for s in sh)}" for n, _, sh in workloads))
    return 0


if __name__ == "__main__":
    sys.exit(main())
