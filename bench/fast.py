#!/usr/bin/env python3
"""mx.fast side by side: cmlx's fused kernels, the same maths as a composite of
cmlx ops, MLX (whose CPU backend runs these composites) and PyTorch (CPU).

    python3 python/setup.py build_ext --inplace     # cmlx.core, in place
    PYTHONPATH=python python3 bench/fast.py          # about a minute on 2 cores
    PYTHONPATH=python python3 bench/fast.py --filter sdpa --reps 5

Workloads (float32, inputs made and evaluated outside the timing):
  rms_norm_4096x4096, layer_norm_4096x4096   weight (and bias) of 4096
  sdpa_d{64,128}[_causal]                    q, k, v (1, 8, 1024, D), scale D^-0.5
One process per column (its own thread pool), the method of bench/run.py
(frameworks.measure: warm-up, calibration to --min-sample-ms, median of --reps
samples). Threads: --threads for everyone (OMP_NUM_THREADS, OPENBLAS_NUM_THREADS,
torch.set_num_threads); MLX has no setting.
"""

import argparse
import json
import math
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

COLUMNS = ["cmlx", "composite", "mlx", "torch"]
TITLES = {"cmlx": "cmlx fused", "composite": "cmlx composite", "mlx": "MLX", "torch": "torch"}
N, T, HEADS = 4096, 1024, 8


def names():
    out = [f"rms_norm_{N}x{N}", f"layer_norm_{N}x{N}"]
    for d in (64, 128):
        out += [f"sdpa_d{d}", f"sdpa_d{d}_causal"]
    return out


# ---- workloads per framework: {name: callable} --------------------------------------------------------------

def mlx_like(M, fused):
    """cmlx.core or mlx.core; fused=False builds the composites from ops."""
    import numpy as np
    rng = np.random.default_rng(0)
    x = M.array(rng.standard_normal((N, N)).astype(np.float32))
    w = M.array(rng.standard_normal(N).astype(np.float32))
    b = M.array(rng.standard_normal(N).astype(np.float32))
    M.eval(x, w, b)

    def rms():
        if fused:
            return M.fast.rms_norm(x, w, 1e-5)
        return x * M.rsqrt(M.mean(M.square(x), axis=-1, keepdims=True) + 1e-5) * w

    def ln():
        if fused:
            return M.fast.layer_norm(x, w, b, 1e-5)
        xc = x - M.mean(x, axis=-1, keepdims=True)
        return xc * M.rsqrt(M.mean(M.square(xc), axis=-1, keepdims=True) + 1e-5) * w + b

    work = {f"rms_norm_{N}x{N}": lambda: M.eval(rms()), f"layer_norm_{N}x{N}": lambda: M.eval(ln())}
    for d in (64, 128):
        q, k, v = (M.array(rng.uniform(-1, 1, (1, HEADS, T, d)).astype(np.float32)) for _ in range(3))
        M.eval(q, k, v)
        causal_mask = M.arange(T)[:, None] >= M.arange(T)[None]
        M.eval(causal_mask)
        for causal in (False, True):
            def sdpa(q=q, k=k, v=v, d=d, causal=causal):
                if fused:
                    return M.fast.scaled_dot_product_attention(q, k, v, scale=d ** -0.5,
                                                               mask="causal" if causal else None)
                s = (q * d ** -0.5) @ M.swapaxes(k, -1, -2)
                if causal:
                    s = M.where(causal_mask, s, M.array(-3.4028234663852886e38, s.dtype))
                return M.softmax(s, axis=-1, precise=True) @ v
            work[f"sdpa_d{d}" + ("_causal" if causal else "")] = lambda f=sdpa: M.eval(f())
    return work


def torch_workloads(threads):
    import torch
    import torch.nn.functional as F
    torch.set_num_threads(threads)
    g = torch.Generator().manual_seed(0)
    x, w, b = torch.randn(N, N, generator=g), torch.randn(N, generator=g), torch.randn(N, generator=g)
    out = torch.empty(N, N)
    work = {f"rms_norm_{N}x{N}": lambda: F.rms_norm(x, (N,), w, 1e-5),
            f"layer_norm_{N}x{N}": lambda: F.layer_norm(x, (N,), w, b, 1e-5)}
    del out
    for d in (64, 128):
        q, k, v = (torch.rand(1, HEADS, T, d, generator=g) * 2 - 1 for _ in range(3))
        for causal in (False, True):
            work[f"sdpa_d{d}" + ("_causal" if causal else "")] = (
                lambda q=q, k=k, v=v, c=causal: F.scaled_dot_product_attention(q, k, v, is_causal=c))
    return work


def worker(column, cfg):
    import frameworks
    if column in ("cmlx", "composite"):
        import cmlx.core as M
        work = mlx_like(M, column == "cmlx")
    elif column == "mlx":
        import mlx.core as M
        work = mlx_like(M, True)
    else:
        work = torch_workloads(cfg["threads"])
    results = {}
    for name, fn in work.items():
        if not any(p in name for p in cfg["filter"]) and cfg["filter"]:
            continue
        try:
            results[name] = frameworks.measure(cfg, fn)
        except Exception as e:  # a missing function or an error: shown as n/a
            results[name] = {"status": "error", "note": repr(e)[:200]}
    results["_threads"] = frameworks.count_threads()
    return results


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--columns", default=",".join(COLUMNS))
    p.add_argument("--threads", type=int, default=len(os.sched_getaffinity(0)))
    p.add_argument("--reps", type=int, default=7)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--min-sample-ms", type=float, default=50.0)
    p.add_argument("--budget-s", type=float, default=10.0)
    p.add_argument("--filter", default="")
    p.add_argument("--worker", help=argparse.SUPPRESS)
    args = p.parse_args()
    cfg = {"warmup": args.warmup, "reps": args.reps, "min_sample_s": args.min_sample_ms / 1000,
           "budget_s": args.budget_s, "threads": args.threads, "filter": [f for f in args.filter.split(",") if f]}
    if args.worker:
        print(json.dumps(worker(args.worker, cfg)))
        return
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads), OPENBLAS_NUM_THREADS=str(args.threads),
               MKL_NUM_THREADS=str(args.threads))
    table = {}
    for column in args.columns.split(","):
        cmd = [sys.executable, os.path.abspath(__file__), "--worker", column, "--threads", str(args.threads),
               "--reps", str(args.reps), "--warmup", str(args.warmup), "--min-sample-ms", str(args.min_sample_ms),
               "--budget-s", str(args.budget_s), "--filter", args.filter]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
        try:
            table[column] = json.loads(proc.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            table[column] = {"_error": (proc.stderr or proc.stdout)[-300:]}
            print(f"{column}: failed: {table[column]['_error']}", file=sys.stderr)
    cols = [c for c in args.columns.split(",")]
    print(f"median ms per call, {args.threads} threads, load average {os.getloadavg()[0]:.2f}")
    print(f"{'workload':<22}" + "".join(f"{TITLES[c]:>16}" for c in cols) + f"{'fused/MLX':>13}{'fused/torch':>13}")
    for name in names():
        row = f"{name:<22}"
        vals = {}
        for c in cols:
            r = table.get(c, {}).get(name)
            if r and r.get("status") == "ok":
                vals[c] = r["median_s"] * 1e3
                row += f"{vals[c]:>16.2f}"
            else:
                row += f"{'n/a':>16}"
        for other in ("mlx", "torch"):
            ok = "cmlx" in vals and other in vals
            row += f"{vals['cmlx'] / vals[other]:>13.2f}" if ok else f"{'':>13}"
        if any(c in vals for c in cols):
            print(row)


if __name__ == "__main__":
    main()
