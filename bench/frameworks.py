"""The workloads of bench_ops (see bench/workloads.h for the names) in MLX,
NumPy and PyTorch, timed the way bench/harness.c times cmlx.

Run by bench/run.py, one framework per process, so that each gets its own
environment (thread variables, OpenBLAS settings) and no framework's thread
pool competes with another's:

    python3 bench/frameworks.py --framework numpy --config '{"reps": 7, ...}'

prints one JSON object on stdout: {"framework", "available", "error", "info",
"results": [{"name", "status", "note", "median_s", "min_s", "reps", "inner",
"units_per_iter"}]}, and a progress line per workload on stderr.

What each framework's iteration does (inputs are made once, untimed):
  MLX    builds the op and mx.eval()s it; the result is dropped, so MLX's
         caching allocator recycles it, as cmlx's does.
  NumPy  writes into a preallocated, pre-touched `out=` array where NumPy has
         one (add, multiply, sum, matmul; softmax as five in-place steps):
         a fresh 64 MiB result would page-fault every time (glibc returns
         large blocks to the OS), which measures the kernel's page faults
         rather than its arithmetic.
  torch  the same, with out= (torch.add, torch.mul, torch.sum, torch.softmax,
         torch.matmul).
  The per-op overhead rows allocate their 16-element results in every framework.
"""

import argparse
import json
import math
import os
import re
import sys
import time


def size_label(n):
    """bench_size_label of bench_ops.c: 1M for 2**20, 4K for 4096."""
    if n > 0 and n % (1 << 20) == 0:
        return f"{n >> 20}M"
    if n > 0 and n % 1024 == 0:
        return f"{n >> 10}K"
    return str(n)


def workload_names(cfg):
    """Names of the op workloads (not the references) in bench_ops's order."""
    names = ["overhead_add16_eval", f"overhead_add16_chain{cfg['chain']}"]
    for n in cfg["ew_sizes"]:
        names += [f"add_f32_{size_label(n)}", f"multiply_f32_{size_label(n)}"]
    r, c = cfg["reduce_shape"]
    names += [f"sum_axis0_{r}x{c}", f"sum_axis1_{r}x{c}", f"softmax_axis1_{r}x{c}"]
    names += [f"matmul_f32_{n}" for n in cfg["mm_sizes"]]
    names += [f"{op}_f32_{size}" for op in SORT_OPS for size in SORT_SIZES]
    names += [f"take_axis0_{INDEX_ROWS}x{INDEX_COLS}_idx{size_label(INDEX_COUNT)}",
              f"scatter_add_axis0_{INDEX_ROWS}x{INDEX_COLS}_idx{size_label(INDEX_COUNT)}"]
    return names


# The sort-family workloads (bench/cmlx_sort.c): float32 uniform in [-1, 1),
# along the last axis of a (1024, 4096) matrix and of 10^6 elements.
SORT_OPS = ("sort", "argsort", "cumsum")
SORT_SIZES = {"1024x4096": (1024, 4096), "1e6": (1000000,)}


def sort_workloads(work, make, sort, argsort, cumsum):
    """Adds the sort-family workloads: make(shape) gives an input, the others
    take it and run one iteration."""
    for label, shape in SORT_SIZES.items():
        x = make(shape)
        for op, fn in zip(SORT_OPS, (sort, argsort, cumsum)):
            work[f"{op}_f32_{label}"] = lambda fn=fn, x=x: fn(x)


# The indexing workloads (bench/indexing_ops.c): K random rows (repeats included)
# of a (R, C) float32 table: take (an embedding lookup) and scatter-add of (K, C)
# updates into a copy of the table (its gradient).
INDEX_ROWS, INDEX_COLS, INDEX_COUNT = 50000, 256, 65536


def index_inputs(seed=21):
    import numpy as np
    rng = np.random.default_rng(seed)
    table = rng.uniform(-1, 1, (INDEX_ROWS, INDEX_COLS)).astype(np.float32)
    upd = rng.uniform(-1, 1, (INDEX_COUNT, INDEX_COLS)).astype(np.float32)
    idx = rng.integers(0, INDEX_ROWS, INDEX_COUNT)
    return table, idx, upd


def index_names():
    k = size_label(INDEX_COUNT)
    return f"take_axis0_{INDEX_ROWS}x{INDEX_COLS}_idx{k}", f"scatter_add_axis0_{INDEX_ROWS}x{INDEX_COLS}_idx{k}"


def wanted(cfg, name):
    parts = [p for p in (cfg.get("filter") or "").split(",") if p]
    return not parts or any(p in name for p in parts)


def measure(cfg, fn, units_per_iter=1):
    """Warm-up, calibration (grow the batch until it lasts min_sample_s),
    then `reps` timed batches: seconds per unit, median and min."""
    for _ in range(cfg["warmup"]):
        fn()
    min_sample = cfg["min_sample_s"]
    inner = 1
    while True:
        start = time.perf_counter()
        for _ in range(inner):
            fn()
        elapsed = time.perf_counter() - start
        if elapsed >= min_sample:
            break
        scale = 1.2 * min_sample / elapsed if elapsed > 0 else 10.0
        inner = math.ceil(inner * min(scale, 10.0))
    reps = cfg["reps"]
    budget = cfg.get("budget_s", 0)
    if budget > 0 and reps > 3 and elapsed * reps > budget:
        reps = max(3, int(budget / elapsed))  # a slow workload: fewer samples, never fewer than 3
    samples = []
    for _ in range(reps):
        start = time.perf_counter()
        for _ in range(inner):
            fn()
        samples.append((time.perf_counter() - start) / inner / units_per_iter)
    samples.sort()
    mid = len(samples) // 2
    median = samples[mid] if len(samples) % 2 else 0.5 * (samples[mid - 1] + samples[mid])
    return {"status": "ok", "note": "", "median_s": median, "min_s": samples[0], "reps": len(samples),
            "inner": inner, "units_per_iter": units_per_iter}


def count_threads():
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return -1


def blas_info():
    """What threadpoolctl sees: the BLAS / OpenMP libraries loaded, their
    kernel (architecture) and thread counts."""
    try:
        import threadpoolctl
    except ImportError:
        return "threadpoolctl not installed"
    keep = ("user_api", "internal_api", "version", "num_threads", "architecture", "threading_layer")
    return [{k: v for k, v in lib.items() if k in keep} for lib in threadpoolctl.threadpool_info()]


def mapped_math_libraries():
    """File names of the BLAS/LAPACK/OpenMP libraries mapped into this process,
    threadpoolctl or not (it does not recognise a reference BLAS, e.g. MLX's)."""
    pattern = re.compile(r"(blas|lapack|mkl|gomp|iomp|libomp)", re.IGNORECASE)
    names = set()
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                path = line.split()[-1]
                if path.startswith("/") and pattern.search(os.path.basename(path)):
                    names.add(os.path.basename(path))
    except OSError:
        pass
    return sorted(names)


# ---- the frameworks: each returns {name: callable or (callable, units)} ----------

def mlx_workloads(cfg):
    import mlx.core as mx

    def uniform(shape, lo=-1.0, hi=1.0):
        x = mx.random.uniform(lo, hi, shape, dtype=mx.float32)
        mx.eval(x)
        return x

    work = {}
    a16, b16 = mx.arange(16, dtype=mx.float32), mx.ones((16,), dtype=mx.float32)
    mx.eval(a16, b16)
    chain = cfg["chain"]

    def add_chain():
        x = a16
        for _ in range(chain):
            x = x + b16
        mx.eval(x)

    work["overhead_add16_eval"] = lambda: mx.eval(a16 + b16)
    work[f"overhead_add16_chain{chain}"] = (add_chain, chain)
    for n in cfg["ew_sizes"]:
        a, b = uniform((n,)), uniform((n,))
        work[f"add_f32_{size_label(n)}"] = lambda a=a, b=b: mx.eval(mx.add(a, b))
        work[f"multiply_f32_{size_label(n)}"] = lambda a=a, b=b: mx.eval(mx.multiply(a, b))
    r, c = cfg["reduce_shape"]
    x = uniform((r, c), -4.0, 4.0)
    work[f"sum_axis0_{r}x{c}"] = lambda: mx.eval(mx.sum(x, axis=0))
    work[f"sum_axis1_{r}x{c}"] = lambda: mx.eval(mx.sum(x, axis=1))
    work[f"softmax_axis1_{r}x{c}"] = lambda: mx.eval(mx.softmax(x, axis=1))
    for n in cfg["mm_sizes"]:
        a, b = uniform((n, n)), uniform((n, n))
        work[f"matmul_f32_{n}"] = lambda a=a, b=b: mx.eval(mx.matmul(a, b))
    sort_workloads(work, uniform, lambda x: mx.eval(mx.sort(x, axis=-1)), lambda x: mx.eval(mx.argsort(x, axis=-1)),
                   lambda x: mx.eval(mx.cumsum(x, axis=-1)))
    t_np, i_np, u_np = index_inputs()
    table, idx, upd = mx.array(t_np), mx.array(i_np.astype("int32")), mx.array(u_np)
    mx.eval(table, idx, upd)
    take_name, scatter_name = index_names()
    work[take_name] = lambda: mx.eval(mx.take(table, idx, axis=0))
    work[scatter_name] = lambda: mx.eval(table.at[idx].add(upd))
    info = {"version": mx.__version__, "device": str(mx.default_device()),
            "threads": "MLX has no thread setting: its CPU ops run on its stream thread(s); "
                       "see threads_observed"}
    return work, info


_held = []  # limits that must outlive the workload builders


def numpy_workloads(cfg):
    import numpy as np

    # run.py also sets OPENBLAS_NUM_THREADS; threadpoolctl confirms it (and
    # reports the kernel) and only sees libraries already loaded: after numpy.
    try:
        import threadpoolctl

        _held.append(threadpoolctl.threadpool_limits(limits=cfg["threads"]))
    except ImportError:
        pass
    rng = np.random.default_rng(0)

    def uniform(shape, lo=-1.0, hi=1.0):
        return rng.uniform(lo, hi, shape).astype(np.float32)

    work = {}
    a16, b16 = np.arange(16, dtype=np.float32), np.ones(16, dtype=np.float32)
    chain = cfg["chain"]

    def add_chain():
        x = a16
        for _ in range(chain):
            x = x + b16
        return x

    work["overhead_add16_eval"] = lambda: a16 + b16
    work[f"overhead_add16_chain{chain}"] = (add_chain, chain)
    for n in cfg["ew_sizes"]:
        a, b, out = uniform(n), uniform(n), np.zeros(n, dtype=np.float32)
        work[f"add_f32_{size_label(n)}"] = lambda a=a, b=b, out=out: np.add(a, b, out=out)
        work[f"multiply_f32_{size_label(n)}"] = lambda a=a, b=b, out=out: np.multiply(a, b, out=out)
    r, c = cfg["reduce_shape"]
    x = uniform((r, c), -4.0, 4.0)
    col_sums, row_sums = np.zeros(c, dtype=np.float32), np.zeros(r, dtype=np.float32)
    work[f"sum_axis0_{r}x{c}"] = lambda: np.sum(x, axis=0, out=col_sums)
    work[f"sum_axis1_{r}x{c}"] = lambda: np.sum(x, axis=1, out=row_sums)
    y = np.zeros((r, c), dtype=np.float32)
    row_max, row_total = np.zeros((r, 1), dtype=np.float32), np.zeros((r, 1), dtype=np.float32)

    def softmax():
        np.max(x, axis=1, keepdims=True, out=row_max)
        np.subtract(x, row_max, out=y)
        np.exp(y, out=y)
        np.sum(y, axis=1, keepdims=True, out=row_total)
        np.divide(y, row_total, out=y)

    work[f"softmax_axis1_{r}x{c}"] = softmax
    for n in cfg["mm_sizes"]:
        a, b, out = uniform((n, n)), uniform((n, n)), np.zeros((n, n), dtype=np.float32)
        work[f"matmul_f32_{n}"] = lambda a=a, b=b, out=out: np.matmul(a, b, out=out)
    # np.sort and np.argsort have no out=: they allocate their results (16 MiB, and 32 MiB of int64
    # indices); cumsum writes into a preallocated array
    cumsum_out = {}

    def np_cumsum(x):
        out = cumsum_out.setdefault(x.shape, np.zeros(x.shape, dtype=np.float32))
        return np.cumsum(x, axis=-1, out=out)

    sort_workloads(work, uniform, lambda x: np.sort(x, axis=-1), lambda x: np.argsort(x, axis=-1), np_cumsum)
    table, idx, upd = index_inputs()
    taken, added = np.zeros((INDEX_COUNT, INDEX_COLS), np.float32), np.zeros_like(table)
    take_name, scatter_name = index_names()
    work[take_name] = lambda: np.take(table, idx, axis=0, out=taken)

    def scatter_add():
        np.copyto(added, table)
        np.add.at(added, idx, upd)

    work[scatter_name] = scatter_add
    info = {"version": np.__version__,
            "threads": "element-wise ops and reductions: 1 thread (NumPy does not thread them); "
                       "matmul: OpenBLAS, limited with threadpoolctl"}
    return work, info


def torch_workloads(cfg):
    import torch

    torch.set_num_threads(cfg["threads"])
    gen = torch.Generator().manual_seed(0)

    def uniform(shape, lo=-1.0, hi=1.0):
        return torch.rand(shape, generator=gen, dtype=torch.float32) * (hi - lo) + lo

    work = {}
    a16, b16 = torch.arange(16, dtype=torch.float32), torch.ones(16, dtype=torch.float32)
    chain = cfg["chain"]

    def add_chain():
        x = a16
        for _ in range(chain):
            x = x + b16
        return x

    work["overhead_add16_eval"] = lambda: a16 + b16
    work[f"overhead_add16_chain{chain}"] = (add_chain, chain)
    for n in cfg["ew_sizes"]:
        a, b, out = uniform(n), uniform(n), torch.zeros(n, dtype=torch.float32)
        work[f"add_f32_{size_label(n)}"] = lambda a=a, b=b, out=out: torch.add(a, b, out=out)
        work[f"multiply_f32_{size_label(n)}"] = lambda a=a, b=b, out=out: torch.mul(a, b, out=out)
    r, c = cfg["reduce_shape"]
    x = uniform((r, c), -4.0, 4.0)
    col_sums, row_sums = torch.zeros(c), torch.zeros(r)
    y = torch.zeros((r, c))
    work[f"sum_axis0_{r}x{c}"] = lambda: torch.sum(x, 0, out=col_sums)
    work[f"sum_axis1_{r}x{c}"] = lambda: torch.sum(x, 1, out=row_sums)
    work[f"softmax_axis1_{r}x{c}"] = lambda: torch.softmax(x, 1, out=y)
    for n in cfg["mm_sizes"]:
        a, b, out = uniform((n, n)), uniform((n, n)), torch.zeros((n, n))
        work[f"matmul_f32_{n}"] = lambda a=a, b=b, out=out: torch.matmul(a, b, out=out)
    # torch.sort gives values and indices (into preallocated out= tensors); argsort allocates its indices
    sort_out = {}

    def torch_sort(x):
        out = sort_out.setdefault(x.shape, (torch.zeros(x.shape), torch.zeros(x.shape, dtype=torch.int64)))
        return torch.sort(x, -1, out=out)

    def torch_cumsum(x):
        out = sort_out.setdefault(("cumsum",) + tuple(x.shape), torch.zeros(x.shape))
        return torch.cumsum(x, -1, out=out)

    sort_workloads(work, uniform, torch_sort, lambda x: torch.argsort(x, dim=-1), torch_cumsum)
    t_np, i_np, u_np = index_inputs()
    table, idx, upd = torch.from_numpy(t_np), torch.from_numpy(i_np), torch.from_numpy(u_np)
    taken, added = torch.zeros((INDEX_COUNT, INDEX_COLS)), torch.zeros_like(table)
    take_name, scatter_name = index_names()
    work[take_name] = lambda: torch.index_select(table, 0, idx, out=taken)
    work[scatter_name] = lambda: torch.index_add(table, 0, idx, upd, out=added)
    info = {"version": torch.__version__, "threads": f"torch.set_num_threads({cfg['threads']}): "
            f"intra-op {torch.get_num_threads()}, inter-op {torch.get_num_interop_threads()}",
            "parallel_info": torch.__config__.parallel_info().strip().splitlines()[:8]}
    return work, info


FRAMEWORKS = {"mlx": mlx_workloads, "numpy": numpy_workloads, "torch": torch_workloads}


def run(framework, cfg):
    report = {"framework": framework, "available": False, "error": "", "info": {}, "results": []}
    try:
        work, info = FRAMEWORKS[framework](cfg)
    except Exception as exc:  # an absent or broken framework is a column of n/a
        report["error"] = f"{type(exc).__name__}: {exc}"
        return report
    report["available"] = True
    report["info"] = info
    for name in workload_names(cfg):
        if not wanted(cfg, name):
            continue
        entry = work.get(name)
        if entry is None:
            result = {"status": "n/a", "note": "no such workload here"}
        else:
            fn, units = entry if isinstance(entry, tuple) else (entry, 1)
            try:
                result = measure(cfg, fn, units)
            except Exception as exc:
                result = {"status": "n/a", "note": f"{type(exc).__name__}: {exc}"}
        result["name"] = name
        report["results"].append(result)
        if result["status"] == "ok":
            print(f"  {framework:6} {name:28} median {1e6 * result['median_s']:12.3f} us  "
                  f"min {1e6 * result['min_s']:12.3f} us  ({result['reps']} x {result['inner']})",
                  file=sys.stderr, flush=True)
        else:
            print(f"  {framework:6} {name:28} n/a  {result['note']}", file=sys.stderr, flush=True)
    info["blas"] = blas_info()
    info["math_libraries"] = mapped_math_libraries()
    info["threads_observed"] = count_threads()
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--framework", required=True, choices=sorted(FRAMEWORKS))
    parser.add_argument("--config", required=True, help="JSON: reps, warmup, min_sample_s, budget_s, threads, "
                        "ew_sizes, reduce_shape, mm_sizes, chain, filter")
    args = parser.parse_args()
    json.dump(run(args.framework, json.loads(args.config)), sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
