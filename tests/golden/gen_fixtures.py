#!/usr/bin/env python3
"""gen_fixtures.py OUTDIR [OP...] - write the golden fixtures that
tests/c/test_golden.c checks cmlx against.

MLX (mlx.core) computes every case; numpy supplies inputs from fixed seeds, so
the output is byte-for-byte deterministic. One file per op (OUTDIR/<op>.gold,
format in goldgen/fmt.py) and OUTDIR/MANIFEST listing them with their case
counts. With OP arguments only those ops are written (MANIFEST too). Fails
loudly (exit 1) when mlx cannot be imported: the suite must not pass by
skipping."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def main(argv):
    if len(argv) < 2:
        sys.stderr.write("usage: gen_fixtures.py OUTDIR [OP...]\n")
        return 2
    try:
        import mlx.core as mx
        import numpy  # noqa: F401
    except ImportError as e:
        sys.stderr.write(f"gen_fixtures.py: cannot import MLX/numpy ({e}).\n"
                         "The golden suite needs them: pip install 'mlx[cpu]' numpy\n")
        return 1
    mx.set_default_device(mx.cpu)

    from goldgen import creation, elementwise, fmt, random, reduce, shape

    outdir = argv[1]
    wanted = set(argv[2:])
    os.makedirs(outdir, exist_ok=True)
    gens = creation.generators() + elementwise.generators() + reduce.generators() + shape.generators() + \
        random.generators()
    names = [n for n, _ in gens]
    if len(set(names)) != len(names):
        raise AssertionError("duplicate op in the generators")
    unknown = wanted - set(names)
    if unknown:
        sys.stderr.write(f"gen_fixtures.py: unknown ops {sorted(unknown)}\n")
        return 2
    t0 = time.time()
    manifest, total = [], 0
    for name, gen in gens:
        if wanted and name not in wanted:
            continue
        cases = gen().cases
        data = fmt.encode_file(cases)
        path = os.path.join(outdir, name + ".gold")
        with open(path + ".tmp", "wb") as f:
            f.write(data)
        os.replace(path + ".tmp", path)
        manifest.append(f"{name}.gold {len(cases)}\n")
        total += len(cases)
    with open(os.path.join(outdir, "MANIFEST.tmp"), "w") as f:
        f.write(f"# cmlx golden fixtures from MLX {mx.__version__}\n")
        f.writelines(manifest)
    os.replace(os.path.join(outdir, "MANIFEST.tmp"), os.path.join(outdir, "MANIFEST"))
    print(f"gen_fixtures.py: {total} cases for {len(manifest)} ops from MLX {mx.__version__} "
          f"in {time.time() - t0:.1f} s -> {outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
