#!/usr/bin/env python3
"""Coverage table of cmlx against MLX: every op of the harness's op table x
every dtype, run through the differential harness (same strategies and
tolerances as the pytest suite, without shrinking).

    python tests/python/coverage.py              # text table + list of failures
    python tests/python/coverage.py --markdown   # the table as markdown
    CMLX_HYPOTHESIS_EXAMPLES=50 python tests/python/coverage.py

Cells: pass, FAIL (a mismatch: see the list below the table), not yet (cmlx
says it does not support the dtype yet while MLX does), n/a (the function is
not in cmlx), MLX rejects (MLX raises for every drawn case; cmlx raised the
same exception class). Exit status 1 when any cell is FAIL.
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from differential import run_op_dtype  # noqa: E402
from harness import DTYPES, load_modules  # noqa: E402
from optable import NO_MLX_PYTHON_NAME, OPS  # noqa: E402

SHORT = {"bool": "bool", "uint8": "u8", "uint16": "u16", "uint32": "u32", "uint64": "u64", "int8": "i8",
         "int16": "i16", "int32": "i32", "int64": "i64", "float16": "f16", "bfloat16": "bf16", "float32": "f32",
         "float64": "f64", "complex64": "c64"}
NOT_YET_MARK = "not supported by cmlx yet"


def classify(ref, cm, spec, dtype):
    """(cell, detail)."""
    if dtype not in spec.dtypes:
        return "", ""
    if not spec.available(cm):
        return "n/a", f"{cm.__name__} has no {spec.name}"
    try:
        outcomes = run_op_dtype(ref, cm, spec, dtype, shrink=False)
    except Exception as e:  # a Mismatch, or a crash of the harness on cmlx's output
        msg = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        if NOT_YET_MARK in msg:  # cmlx refuses a dtype MLX computes (or refuses it before MLX's own check)
            return "not yet", msg
        return "FAIL", msg
    return ("MLX rejects" if outcomes == {"mlx-rejects"} else "pass"), ""


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--markdown", action="store_true", help="print the table as markdown")
    ap.add_argument("--ops", help="comma-separated op names (default: all)")
    args = ap.parse_args()
    ref, cm, reason = load_modules()
    if cm is None:
        print(f"coverage: {reason}", file=sys.stderr)
        return 2
    ops = [o for o in OPS if not args.ops or o.name in args.ops.split(",")]
    rows, failures, counts = [], [], {}
    for spec in ops:
        start = time.time()
        cells = []
        for dt in DTYPES:
            cell, detail = classify(ref, cm, spec, dt)
            cells.append(cell)
            if cell:
                counts[cell] = counts.get(cell, 0) + 1
            if cell in ("FAIL", "not yet", "n/a"):
                failures.append((spec.name, dt, cell, detail))
        rows.append((spec.name, cells))
        print(f"  {spec.name}: {time.time() - start:.1f} s", file=sys.stderr, flush=True)
    header = ["op"] + [SHORT[d] for d in DTYPES]
    if args.markdown:
        abbrev = {"pass": "pass", "FAIL": "**FAIL**", "not yet": "not yet", "n/a": "n/a", "MLX rejects": "rej", "": ""}
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for name, cells in rows:
            print(f"| {name} | " + " | ".join(abbrev[c] for c in cells) + " |")
        print()
        print("rej = MLX rejects the dtype (raises) and cmlx raises the same exception class; "
              "blank = dtype not drawn for the op.")
    else:
        abbrev = {"pass": "ok", "FAIL": "FAIL", "not yet": "yet", "n/a": "n/a", "MLX rejects": "rej", "": ""}
        print(f"{'op':16s}" + "".join(f"{h:>6s}" for h in header[1:]))
        for name, cells in rows:
            print(f"{name:16s}" + "".join(f"{abbrev[c]:>6s}" for c in cells))
        print("ok = pass, rej = MLX rejects (same exception class in cmlx), yet = not yet in cmlx, n/a = missing")
    print()
    print("totals: " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
    for c_name, why in NO_MLX_PYTHON_NAME.items():
        print(f"not compared: {c_name} ({why})")
    if failures:
        print()
        print("failures:" if not args.markdown else "Failures (first falsifying case of each):\n")
        for name, dt, cell, detail in failures:
            line = f"{name} [{dt}] {cell}: {detail}"
            print(("- " + line[:400]) if args.markdown else "  " + line[:400])
    return 1 if counts.get("FAIL") else 0


if __name__ == "__main__":
    sys.exit(main())
