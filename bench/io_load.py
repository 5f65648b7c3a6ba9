"""Load time of a ~200 MB safetensors file: cmlx (lazy open, then eval, then
a NumPy pass over every byte) vs mlx.core.load and safetensors.numpy.load_file.
The file is in the page cache (one untimed load first): this measures the
libraries, not the disk. Median of 5 runs each.

    PYTHONPATH=python python3 bench/io_load.py
"""
import os
import statistics
import tempfile
import time

import numpy as np

import cmlx.core as cm
import mlx.core as mlx
import safetensors.numpy as stn


def median_time(fn, runs=5):
    fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1e3


def main():
    rng = np.random.default_rng(0)
    arrays = {f"layer{i}.weight": rng.standard_normal((1024, 1024), dtype=np.float32) for i in range(48)}
    arrays["embed"] = rng.standard_normal((4096, 256)).astype(np.float16)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "model.safetensors")
        stn.save_file(arrays, path)
        size_mb = os.path.getsize(path) / 1e6

        def cm_open():
            return cm.load(path)

        def cm_eval():
            a = cm.load(path)
            cm.eval(list(a.values()))

        # every byte is read by the same NumPy sum over a zero-copy view, so the
        # rows differ only in how the bytes arrive
        def cm_touch():
            for x in cm.load(path).values():
                np.asarray(x).sum()

        def mlx_eval():
            a = mlx.load(path)
            mlx.eval(list(a.values()))

        def mlx_touch():
            for x in mlx.load(path).values():
                np.asarray(x).sum()

        def np_load():
            stn.load_file(path)

        def np_touch():
            for x in stn.load_file(path).values():
                x.sum()

        print(f"file: {size_mb:.0f} MB, {len(arrays)} tensors; median of 5 warm-cache runs, ms")
        rows = [("cmlx: load (lazy open, header only)", cm_open), ("cmlx: load + eval (maps, no copy)", cm_eval),
                ("cmlx: load + eval + sum of every array", cm_touch), ("mlx: load + eval", mlx_eval),
                ("mlx: load + eval + sum of every array", mlx_touch), ("safetensors.numpy.load_file", np_load),
                ("safetensors.numpy.load_file + sum", np_touch)]
        for name, fn in rows:
            print(f"  {name:<42} {median_time(fn):8.1f}")


if __name__ == "__main__":
    main()
