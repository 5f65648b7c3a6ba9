#!/usr/bin/env python3
"""cmlx's benchmarks beside MLX (CPU), NumPy and PyTorch (CPU), in one run.

Builds nothing. Build the C program first, then run this:

    cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build --target bench_ops
    python3 bench/run.py --build build            # full run, about 2-3 minutes on 2 cores
    python3 bench/run.py --build build --quick    # smaller sizes, fewer repetitions (~30 s)

It runs build/bench/bench_ops (cmlx, plus the memcpy and cblas_sgemm
references measured in the same process), then bench/frameworks.py once per
framework, each in its own process; prints one table and writes the whole
report to bench/results/<date>T<time>.json (or --out FILE).

Threads: every framework gets --threads (default: the CPUs this process may
use). cmlx: CMLX_NUM_THREADS (its pool; OpenBLAS runs on one thread inside cmlx) and
OPENBLAS_NUM_THREADS (the sgemm reference's default). NumPy:
OPENBLAS_NUM_THREADS plus threadpoolctl (its element-wise ops and reductions
are single-threaded anyway). torch: torch.set_num_threads, OMP_NUM_THREADS,
MKL_NUM_THREADS. MLX has no thread setting; the report shows the threads each
process had (threads_observed).

OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, if set on this machine, are unset in
the NumPy process only (they slow a current NumPy's OpenBLAS); the report
shows the kernel NumPy then runs (threadpoolctl's "architecture").
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import frameworks  # noqa: E402  (the workload names and the Python workers)

COLUMNS = ["cmlx", "mlx", "numpy", "torch"]
TITLES = {"cmlx": "cmlx", "mlx": "MLX", "numpy": "NumPy", "torch": "torch"}
OPENBLAS_TUNING = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def parse_args():
    p = argparse.ArgumentParser(description="cmlx vs MLX, NumPy and PyTorch on the CPU",
                                formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    p.add_argument("--build", default="build", help="cmake build folder holding bench/bench_ops (default: build)")
    p.add_argument("--frameworks", default=",".join(COLUMNS), help="comma-separated subset of " + ",".join(COLUMNS))
    p.add_argument("--threads", type=int, default=len(os.sched_getaffinity(0)),
                   help="threads for every framework (default: the CPUs available, %(default)s)")
    p.add_argument("--quick", action="store_true",
                   help="1M element-wise, 1024x1024 reductions, matmul 256 and 512, 3 repetitions")
    p.add_argument("--reps", type=int, help="timed samples per workload (default 7; --quick 3)")
    p.add_argument("--warmup", type=int, default=2, help="untimed iterations first (default 2)")
    p.add_argument("--min-sample-ms", type=float, default=20.0,
                   help="each sample repeats a workload until it lasts this long (default 20)")
    p.add_argument("--budget-s", type=float, default=10.0,
                   help="a workload whose samples would take longer gets fewer of them, at least 3 (default 10)")
    p.add_argument("--ew-sizes", help="element counts for add/multiply (default 1048576,16777216)")
    p.add_argument("--reduce-shape", help="RxC for sum and softmax (default 4096x4096)")
    p.add_argument("--mm-sizes", help="square matmul sizes (default 256,512,1024,2048)")
    p.add_argument("--chain", type=int, default=100, help="adds in the overhead chain (default 100)")
    p.add_argument("--filter", default="", help="comma-separated substrings: only matching workloads")
    p.add_argument("--timeout", type=float, default=900, help="seconds allowed to each framework (default 900)")
    p.add_argument("--stat", choices=("median", "min"), default="median",
                   help="the statistic the table shows (the JSON has both); min is steadier on a busy machine")
    p.add_argument("--out", help="JSON report path (default bench/results/<date>T<time>.json)")
    return p.parse_args()


def make_config(args):
    quick = args.quick
    ew = args.ew_sizes or ("1048576" if quick else "1048576,16777216")
    shape = args.reduce_shape or ("1024x1024" if quick else "4096x4096")
    mm = args.mm_sizes or ("256,512" if quick else "256,512,1024,2048")
    rows, cols = (int(v) for v in shape.lower().split("x"))
    return {
        "warmup": args.warmup,
        "reps": args.reps or (3 if quick else 7),
        "min_sample_s": args.min_sample_ms / 1000.0,
        "budget_s": args.budget_s,
        "threads": args.threads,
        "ew_sizes": [int(v) for v in ew.split(",")],
        "reduce_shape": [rows, cols],
        "mm_sizes": [int(v) for v in mm.split(",")],
        "chain": args.chain,
        "filter": args.filter,
    }


def unavailable(name, why):
    return {"framework": name, "available": False, "error": why, "info": {}, "results": []}


def run_cmlx(cfg, build, timeout):
    exe = os.path.join(build, "bench", "bench_ops")
    if not os.access(exe, os.X_OK):
        return unavailable("cmlx", f"{exe} not found: build it with "
                           f"`cmake --build {build} --target bench_ops`")
    env = dict(os.environ, CMLX_NUM_THREADS=str(cfg["threads"]), OPENBLAS_NUM_THREADS=str(cfg["threads"]))
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "cmlx.json")
        cmd = [exe, "--warmup", str(cfg["warmup"]), "--reps", str(cfg["reps"]),
               "--min-sample-ms", str(1000.0 * cfg["min_sample_s"]), "--budget-s", str(cfg["budget_s"]),
               "--threads", str(cfg["threads"]),
               "--ew-sizes", ",".join(map(str, cfg["ew_sizes"])),
               "--reduce-shape", "x".join(map(str, cfg["reduce_shape"])),
               "--mm-sizes", ",".join(map(str, cfg["mm_sizes"])), "--chain", str(cfg["chain"]), "--json", path]
        if cfg["filter"]:
            cmd += ["--filter", cfg["filter"]]
        try:
            proc = subprocess.run(cmd, env=env, timeout=timeout, stdout=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return unavailable("cmlx", f"bench_ops ran past {timeout:.0f} s")
        if proc.returncode != 0:
            return unavailable("cmlx", f"bench_ops exited with status {proc.returncode}")
        with open(path) as f:
            report = json.load(f)
    report.update(framework="cmlx", available=True, error="")
    return report


def run_python(name, cfg, timeout):
    env = dict(os.environ)
    env["OMP_NUM_THREADS"] = env["MKL_NUM_THREADS"] = env["OPENBLAS_NUM_THREADS"] = str(cfg["threads"])
    removed = {}
    if name == "numpy":
        for var in OPENBLAS_TUNING:
            if var in env:
                removed[var] = env.pop(var)
    cmd = [sys.executable, os.path.join(HERE, "frameworks.py"), "--framework", name, "--config", json.dumps(cfg)]
    try:
        proc = subprocess.run(cmd, env=env, timeout=timeout, stdout=subprocess.PIPE, text=True)
    except subprocess.TimeoutExpired:
        return unavailable(name, f"ran past {timeout:.0f} s")
    try:
        report = json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return unavailable(name, f"worker exited with status {proc.returncode} and no report")
    report.setdefault("info", {})["unset_for_this_process"] = removed
    return report


# ---- the table -----------------------------------------------------------------------

def fmt_time(seconds):
    if seconds is None:
        return "n/a"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.2f} us"
    if seconds < 1.0:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"


def by_name(report):
    return {r["name"]: r for r in report.get("results", [])}


STAT = "median_s"  # the statistic of the table: --stat


def ok_time(entry):
    return entry[STAT] if entry and entry.get("status") in ("ok", "wrong") else None


def reference_for(name, cfg, refs):
    """The yardstick of a row: (description, cmlx's standing against it, fields for the JSON)."""
    if name.startswith("matmul_f32_"):
        n = name.rsplit("_", 1)[1]
        sgemm = ok_time(refs.get(f"sgemm_{n}"))
        if sgemm is None:
            return None
        flops = refs[f"sgemm_{n}"]["flops"]
        return {"kind": "sgemm", "time_s": sgemm, "text": f"sgemm {fmt_time(sgemm)} ({flops / sgemm / 1e9:.0f} GF/s)"}
    count = None
    if name.startswith(("add_f32_", "multiply_f32_")):
        count = name.rsplit("_", 1)[1]
    elif name.startswith(("sum_axis", "softmax_axis")):
        rows, cols = cfg["reduce_shape"]
        count = frameworks.size_label(rows * cols)
    if count is None:
        return None
    copies = [refs.get(f"memcpy_{t}_f32_{count}") for t in ("1t", "mt")]
    copies = [c for c in copies if ok_time(c) is not None]
    if not copies:
        return None
    best = max(copies, key=lambda c: c["bytes"] / ok_time(c))
    bandwidth = best["bytes"] / ok_time(best)
    return {"kind": "memcpy", "time_s": ok_time(best), "bandwidth": bandwidth, "which": best["name"],
            "text": f"memcpy {fmt_time(ok_time(best))} ({bandwidth / 1e9:.1f} GB/s)"}


def build_rows(cfg, reports):
    cmlx = by_name(reports.get("cmlx", {}))
    refs = {k: v for k, v in cmlx.items() if v.get("group") == "ref"}
    tables = {fw: by_name(reports[fw]) for fw in reports}
    rows = []
    for name in frameworks.workload_names(cfg):
        if not frameworks.wanted(cfg, name):
            continue
        row = {"name": name, "stat": STAT, "time_s": {}, "median_s": {}, "min_s": {}, "status": {},
               "ratio_cmlx_over": {}}
        for fw in COLUMNS:
            entry = tables.get(fw, {}).get(name)
            usable = entry and entry.get("status") in ("ok", "wrong")
            row["time_s"][fw] = ok_time(entry)
            row["median_s"][fw] = entry["median_s"] if usable else None
            row["min_s"][fw] = entry["min_s"] if usable else None
            row["status"][fw] = entry["status"] if entry else "n/a"
        mine = row["time_s"]["cmlx"]
        for fw in COLUMNS[1:]:
            theirs = row["time_s"][fw]
            row["ratio_cmlx_over"][fw] = mine / theirs if mine and theirs else None
        ref = reference_for(name, cfg, refs)
        row["reference"] = ref
        row["bytes"] = cmlx[name].get("bytes", 0) if name in cmlx else 0
        if ref and mine:
            if ref["kind"] == "sgemm":
                row["vs_reference"] = mine / ref["time_s"]
            else:
                row["vs_reference"] = row["bytes"] / mine / ref["bandwidth"]
        else:
            row["vs_reference"] = None
        rows.append(row)
    return rows


def last_level_cache_bytes():
    """The largest CPU cache (L3 here); 0 when sysfs does not say."""
    sizes = []
    base = "/sys/devices/system/cpu/cpu0/cache"
    try:
        indexes = [d for d in os.listdir(base) if d.startswith("index")]
    except OSError:
        return 0
    for index in indexes:
        try:
            with open(os.path.join(base, index, "size")) as f:
                text = f.read().strip()
            scale = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}.get(text[-1:], 1)
            sizes.append(int(text.rstrip("KMG")) * scale)
        except (OSError, ValueError):
            continue
    return max(sizes, default=0)


def print_table(rows, reports):
    llc = last_level_cache_bytes()
    header = ["workload"] + [TITLES[c] for c in COLUMNS] + [f"cmlx/{TITLES[c]}" for c in COLUMNS[1:]]
    header += ["reference (same process as cmlx)", "cmlx vs reference"]
    lines = []
    for row in rows:
        cells = [row["name"]]
        for fw in COLUMNS:
            t = row["time_s"][fw]
            cell = fmt_time(t)
            if row["status"][fw] == "wrong":
                cell += " WRONG"
            cells.append(cell)
        for fw in COLUMNS[1:]:
            r = row["ratio_cmlx_over"][fw]
            cells.append(f"{r:.3g}" if r else "n/a")
        ref = row["reference"]
        cells.append(ref["text"] if ref else "")
        v = row["vs_reference"]
        if v is None:
            cells.append("")
        elif ref["kind"] == "sgemm":
            cells.append(f"{v:.2f}x sgemm time (goal <= 1.10)")
        elif not row["name"].startswith(("add_", "multiply_")):
            cells.append(f"{100 * v:.0f}% of memcpy GB/s")
        elif row["bytes"] > llc:
            cells.append(f"{100 * v:.0f}% of memcpy GB/s (goal >= 80%)")
        else:
            cells.append(f"{100 * v:.0f}% of memcpy GB/s (in cache)")
        lines.append(cells)
    widths = [max(len(str(x)) for x in col) for col in zip(header, *lines)]
    out = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip()]
    out.append("  ".join("-" * w for w in widths))
    for cells in lines:
        out.append("  ".join(c.ljust(w) if i in (0, len(cells) - 2, len(cells) - 1) else c.rjust(w)
                             for i, (c, w) in enumerate(zip(cells, widths))).rstrip())
    print("\n".join(out))
    print(f"\nTimes are {'medians' if STAT == 'median_s' else 'minimums'} per op (overhead rows: per add). "
          "cmlx/X = cmlx time / X time: below 1, cmlx is faster.")
    print("Element-wise GB/s count bytes read + written (add: 3 x 4N; memcpy: 2 x 4N); sums count the read only.")
    print(f"The 80% goal is for element-wise ops whose arrays exceed the last-level cache ({llc >> 20} MiB).")
    for fw in COLUMNS:
        rep = reports.get(fw)
        if rep is None:
            continue
        if not rep.get("available"):
            print(f"{TITLES[fw]:6} n/a: {rep.get('error')}")
            continue
        print(f"{TITLES[fw]:6} {describe(fw, rep.get('info', {}))}")
        missing = [r["name"] for r in rep.get("results", []) if r["status"] == "n/a"]
        if missing:
            notes = sorted({r["note"] for r in rep["results"] if r["status"] == "n/a"})
            print(f"       n/a: {', '.join(missing)} ({'; '.join(notes)})")


def describe(fw, info):
    if fw == "cmlx":
        return (f"{info.get('cmlx_version')}: cmlx's thread pool, references on {info.get('reference_threads')} "
                f"threads; OpenBLAS "
                f"{info.get('openblas_core')} kernel, {info.get('openblas_threads')} threads "
                f"(OPENBLAS_CORETYPE={info.get('OPENBLAS_CORETYPE') or 'unset'}); "
                f"threads seen {info.get('threads_observed')}")
    blas = info.get("blas")
    blas_text = ", ".join(f"{b.get('internal_api')} {b.get('architecture') or ''} x{b.get('num_threads')}".replace("  ", " ")
                          for b in blas) if isinstance(blas, list) else str(blas)
    text = f"{info.get('version')}: {info.get('threads')}; threadpoolctl: {blas_text or 'nothing'}; " \
           f"loaded: {' '.join(info.get('math_libraries') or []) or 'none'}; threads seen {info.get('threads_observed')}"
    unset = info.get("unset_for_this_process")
    if unset:
        text += f"; unset here: {', '.join(f'{k}={v}' for k, v in unset.items())}"
    return text


def machine_info():
    model = ""
    try:
        with open("/proc/cpuinfo") as f:
            model = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
    except OSError:
        pass
    return {"cpu": model, "cpus_available": len(os.sched_getaffinity(0)), "platform": platform.platform(),
            "python": platform.python_version(),
            "openblas_env": {k: os.environ[k] for k in OPENBLAS_TUNING if k in os.environ}}


def main():
    global STAT
    args = parse_args()
    STAT = args.stat + "_s"
    cfg = make_config(args)
    chosen = [fw.strip() for fw in args.frameworks.split(",") if fw.strip()]
    unknown = [fw for fw in chosen if fw not in COLUMNS]
    if unknown:
        sys.exit(f"run.py: unknown framework(s) {unknown}; choose from {COLUMNS}")
    started = datetime.datetime.now()
    load_before = os.getloadavg()
    print(f"run.py: {cfg['threads']} threads per framework; load average {load_before[0]:.2f} "
          f"on {len(os.sched_getaffinity(0))} CPUs (numbers are noisy when it is near or above the CPU count)",
          file=sys.stderr, flush=True)
    reports = {}
    for fw in chosen:
        print(f"run.py: {fw}", file=sys.stderr, flush=True)
        reports[fw] = run_cmlx(cfg, args.build, args.timeout) if fw == "cmlx" else run_python(fw, cfg, args.timeout)
    rows = build_rows(cfg, reports)
    load_after = os.getloadavg()
    report = {"date": started.isoformat(timespec="seconds"),
              "seconds": (datetime.datetime.now() - started).total_seconds(), "machine": machine_info(),
              "load_average_before": load_before, "load_average_after": load_after, "config": cfg,
              "table_stat": STAT, "frameworks": reports, "rows": rows}
    out = args.out or os.path.join(HERE, "results", started.strftime("%Y-%m-%dT%H%M%S") + ".json")
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w") as f:  # before the table: a closed pipe on stdout must not lose the report
        json.dump(report, f, indent=1)
    print()
    print_table(rows, reports)
    print(f"\nload average before {load_before[0]:.2f}, after {load_after[0]:.2f} on "
          f"{len(os.sched_getaffinity(0))} CPUs; {report['seconds']:.0f} s; report: {out}")

if __name__ == "__main__":
    main()
