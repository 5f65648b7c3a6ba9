#!/usr/bin/env python3
"""conv2d on ResNet-style shapes: cmlx beside MLX (CPU) and PyTorch (CPU).

    python3 python/setup.py build_ext --inplace        # cmlx.core, in place
    python3 bench/bench_conv.py [--batch 8,32] [--frameworks cmlx,mlx,torch] [--reps 5] [--quick]

Each framework runs in its own process with --threads threads (cmlx:
OMP_NUM_THREADS and OPENBLAS_NUM_THREADS; torch: torch.set_num_threads; MLX
has no setting). cmlx and MLX use their channels-last layout, input (N, H, W,
C_in) and weight (C_out, KH, KW, C_in); torch is timed in its own NCHW layout
(input (N, C_in, H, W), weight (C_out, C_in, KH, KW)), the layout its CPU
kernels are made for. Every sample evaluates one forward convolution (one
backward pass, input and weight gradients, for the --grad workloads), the
inputs built beforehand. The table shows the median (and min) time in ms,
GFLOP/s = 2 N H_out W_out C_out KH KW C_in / groups / time, and cmlx's speed-up over
each other column (>1: cmlx faster). --out writes the samples as JSON.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# name, H=W, C_in, C_out, kernel, stride, padding, groups
SHAPES = [
    ("stem 224x224x3 7x7/2 ->64", 224, 3, 64, 7, 2, 3, 1),
    ("56x56x64 3x3 ->64", 56, 64, 64, 3, 1, 1, 1),
    ("56x56x64 1x1 ->256", 56, 64, 256, 1, 1, 0, 1),
    ("56x56x256 1x1 ->64", 56, 256, 64, 1, 1, 0, 1),
    ("28x28x128 3x3 ->128", 28, 128, 128, 3, 1, 1, 1),
    ("56x56x128 3x3/2 ->128", 56, 128, 128, 3, 2, 1, 1),
    ("28x28x128 3x3/2 ->128", 28, 128, 128, 3, 2, 1, 1),
    ("56x56x256 1x1/2 ->512", 56, 256, 512, 1, 2, 0, 1),
    ("112x112x32 depthwise 3x3", 112, 32, 32, 3, 1, 1, 32),
]


def out_size(h, k, s, p):
    return (h + 2 * p - k) // s + 1


def flops(n, h, cin, cout, k, s, p, groups):
    o = out_size(h, k, s, p)
    return 2.0 * n * o * o * cout * k * k * cin / groups


def measure(fn, reps, warmup, min_ms):
    for _ in range(warmup):
        fn()
    t0 = time.perf_counter()
    fn()
    one = time.perf_counter() - t0
    inner = max(1, int(min_ms / 1000.0 / max(one, 1e-9)))
    samples = []
    for _ in range(reps):
        t0 = time.perf_counter()
        for _ in range(inner):
            fn()
        samples.append((time.perf_counter() - t0) / inner * 1000.0)
    return samples


def worker(framework, args):
    """Runs in the framework's own process: prints one JSON line of results."""
    import numpy as np

    rng = np.random.default_rng(0)
    results = {}
    if framework == "torch":
        import torch
        torch.set_num_threads(args.threads)
        version = torch.__version__
    elif framework == "mlx":
        import mlx.core as M
        version = M.__version__
    else:
        sys.path.insert(0, os.path.join(ROOT, "python"))
        import cmlx.core as M
        version = getattr(M, "__version__", "?")
    for n in args.batch:
        for name, h, cin, cout, k, s, p, groups in SHAPES:
            if args.filter and not any(f in name for f in args.filter):
                continue
            x = rng.uniform(-1, 1, (n, h, h, cin)).astype(np.float32)
            w = rng.uniform(-1, 1, (cout, k, k, cin // groups)).astype(np.float32) * 0.1
            if framework == "torch":
                import torch
                import torch.nn.functional as F
                xt = torch.from_numpy(np.ascontiguousarray(x.transpose(0, 3, 1, 2)))
                wt = torch.from_numpy(np.ascontiguousarray(w.transpose(0, 3, 1, 2)))

                def fn():
                    with torch.no_grad():
                        F.conv2d(xt, wt, stride=s, padding=p, groups=groups)
            else:
                xa, wa = M.array(x), M.array(w)
                M.eval(xa, wa)

                def fn():
                    M.eval(M.conv2d(xa, wa, stride=s, padding=p, groups=groups))
            samples = measure(fn, args.reps, args.warmup, args.min_sample_ms)
            results[f"N={n} {name}"] = {"samples_ms": samples, "flops": flops(n, h, cin, cout, k, s, p, groups)}
            print(f"  {framework}: N={n} {name}: {min(samples):.2f} ms", file=sys.stderr, flush=True)
    print(json.dumps({"framework": framework, "version": version, "results": results}))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--batch", default="8,32", help="batch sizes (default 8,32)")
    p.add_argument("--frameworks", default="cmlx,mlx,torch")
    p.add_argument("--threads", type=int, default=len(os.sched_getaffinity(0)))
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--min-sample-ms", type=float, default=50.0)
    p.add_argument("--filter", default="", help="comma-separated substrings of workload names")
    p.add_argument("--quick", action="store_true", help="batch 8 only, 3 samples")
    p.add_argument("--out", help="write the results as JSON")
    p.add_argument("--worker", help=argparse.SUPPRESS)
    args = p.parse_args()
    args.batch = [8] if args.quick and args.batch == "8,32" else [int(b) for b in args.batch.split(",")]
    if args.quick:
        args.reps = min(args.reps, 3)
    args.filter = [f for f in args.filter.split(",") if f]
    if args.worker:
        worker(args.worker, args)
        return
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads), OPENBLAS_NUM_THREADS=str(args.threads),
               MKL_NUM_THREADS=str(args.threads))
    report = {"machine": platform.processor() or platform.machine(), "threads": args.threads,
              "load_average": os.getloadavg(), "frameworks": {}}
    for fw in args.frameworks.split(","):
        cmd = [sys.executable, os.path.abspath(__file__), "--worker", fw, "--batch", ",".join(map(str, args.batch)),
               "--threads", str(args.threads), "--reps", str(args.reps), "--warmup", str(args.warmup),
               "--min-sample-ms", str(args.min_sample_ms), "--filter", ",".join(args.filter)]
        r = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, text=True)
        if r.returncode != 0:
            print(f"{fw}: failed (exit {r.returncode})", file=sys.stderr)
            continue
        report["frameworks"][fw] = json.loads(r.stdout.strip().splitlines()[-1])
    fws = list(report["frameworks"])
    names = list(report["frameworks"][fws[0]]["results"]) if fws else []
    head = f"{'workload':40s}" + "".join(f"{fw + ' ms (min)':>22s}{'GFLOP/s':>9s}" for fw in fws)
    others = [fw for fw in fws if fw != "cmlx"]
    head += "".join(f"{'vs ' + fw:>10s}" for fw in others) if "cmlx" in fws else ""
    print(head)
    for name in names:
        line = f"{name:40s}"
        med = {}
        for fw in fws:
            r = report["frameworks"][fw]["results"].get(name)
            if not r:
                line += f"{'n/a':>22s}{'':>9s}"
                continue
            m = statistics.median(r["samples_ms"])
            med[fw] = m
            line += f"{m:>12.2f} ({min(r['samples_ms']):7.2f}){r['flops'] / m / 1e6:>9.1f}"
        if "cmlx" in med:
            line += "".join(f"{med[fw] / med['cmlx']:>10.2f}" if fw in med else f"{'n/a':>10s}" for fw in others)
        print(line)
    print(f"threads {args.threads}; load average at start {report['load_average'][0]:.1f}; "
          + ", ".join(f"{fw} {report['frameworks'][fw]['version']}" for fw in fws))
    if args.out:
        with open(args.out, "w") as f:
            json.dump(report, f, indent=1)


if __name__ == "__main__":
    main()
