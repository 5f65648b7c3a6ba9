#!/usr/bin/env python3
"""Gradient coverage of cmlx against MLX: every op of the op table x every
transform, run through gradcheck.py (the same strategies, checks and
tolerances as test_grad_differential.py, without shrinking).

    python tests/python/grad_coverage.py              # text table + list of failures
    python tests/python/grad_coverage.py --markdown   # the table as markdown
    python tests/python/grad_coverage.py --ops sin,sum
    CMLX_HYPOTHESIS_EXAMPLES=30 python tests/python/grad_coverage.py

Columns: fd (cmlx's vjp and jvp against finite differences, float64), vjp and
jvp against MLX (float32, float64), vmap against MLX (float32). Cells: pass;
FAIL (a wrong gradient or an error where MLX succeeds; the first falsifying
case is listed below the table); missing (cmlx has no rule for the op under
that transform yet); MLX rejects (MLX cannot do it for any drawn case); none
(no drawn case could be checked); - (not applicable); pass* (pass, and MLX was wrong on some drawn
case: finite differences or per-example results agree with cmlx, not with MLX); pass+ (vmap is
consistent with per-example results, but cmlx's and MLX's forward values differ on a drawn case). Ops without a gradient
are listed with the reason. Exit status 1 when any cell is FAIL.
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from gradcheck import (  # noqa: E402
    NOT_DIFFERENTIABLE, NOT_THE_DERIVATIVE, GradMismatch, MissingRule, differentiable_ops, run_op)
from harness import load_modules  # noqa: E402
from optable import OPS  # noqa: E402

COLUMNS = [("fd", "float64"), ("vjp", "float32"), ("vjp", "float64"), ("jvp", "float32"), ("jvp", "float64"),
           ("vmap", "float32")]
SHORT = {"float32": "f32", "float64": "f64"}


def classify(ref, cm, spec, transform, dtype):
    """(cell, detail)."""
    if dtype not in spec.dtypes or (transform == "fd" and spec.name in NOT_THE_DERIVATIVE):
        return "-", ""
    if not spec.available(cm):
        return "n/a", f"{cm.__name__} has no {spec.name}"
    try:
        outcomes = run_op(ref, cm, spec, transform, dtype, shrink=False)
    except MissingRule as e:
        return "missing", str(e).splitlines()[0]
    except GradMismatch as e:
        return "FAIL", str(e).strip().splitlines()[0]
    except Exception as e:  # noqa: BLE001 - a crash of the harness on cmlx's output is a failure too
        return "FAIL", f"{type(e).__name__}: {str(e).strip().splitlines()[0] if str(e).strip() else ''}"
    if outcomes <= {"no-float", "skip"} and "no-float" in outcomes:
        return "n/d", "not differentiable: no drawn case has floating-point input and outputs"
    if "forward-differs" in outcomes:
        return "pass+", "vmap is consistent, but cmlx's and MLX's per-example results differ on a drawn case " \
                        "(a forward divergence: see the op's differential test)"
    if "mlx-wrong" in outcomes:
        return "pass*", ""
    if "pass" in outcomes:
        return "pass", ""
    if "mlx-rejects" in outcomes:
        return "MLX rejects", ""
    return "none", f"no case checked: {sorted(outcomes)}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--markdown", action="store_true", help="print the table as markdown")
    ap.add_argument("--ops", help="comma-separated op names (default: all)")
    args = ap.parse_args()
    ref, cm, reason = load_modules()
    if cm is None:
        print(f"grad_coverage: {reason}", file=sys.stderr)
        return 2
    ops = [o for o in differentiable_ops(OPS) if not args.ops or o.name in args.ops.split(",")]
    rows, problems, counts = [], [], {}
    for spec in ops:
        start = time.time()
        cells = []
        for transform, dtype in COLUMNS:
            cell, detail = classify(ref, cm, spec, transform, dtype)
            cells.append(cell)
            counts[cell] = counts.get(cell, 0) + 1
            if cell in ("FAIL", "missing", "none", "n/a", "n/d", "pass+"):
                problems.append((spec.name, f"{transform} {dtype}", cell, detail))
        rows.append((spec.name, cells))
        print(f"  {spec.name}: {time.time() - start:.1f} s", file=sys.stderr, flush=True)
    header = ["op"] + [f"{t} {SHORT[d]}" for t, d in COLUMNS]
    if args.markdown:
        abbrev = {"FAIL": "**FAIL**", "MLX rejects": "rej", "pass*": "pass\\*", "pass+": "pass+"}
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for name, cells in rows:
            print(f"| {name} | " + " | ".join(abbrev.get(c, c) for c in cells) + " |")
        print()
        print("fd = cmlx's vjp and jvp against finite differences; vjp/jvp/vmap = against MLX; "
              "rej = MLX rejects every drawn case; - = not applicable; pass\\* = pass, and MLX was wrong on a "
              "drawn case (finite differences or MLX's per-example results agree with cmlx).")
    else:
        abbrev = {"pass": "ok", "pass*": "ok*", "pass+": "ok+", "missing": "miss", "MLX rejects": "rej"}
        print(f"{'op':16s}" + "".join(f"{h:>9s}" for h in header[1:]))
        for name, cells in rows:
            print(f"{name:16s}" + "".join(f"{abbrev.get(c, c):>9s}" for c in cells))
        print("ok = pass, ok* = pass and MLX was wrong on a drawn case (finite differences or per-example results "
              "side with cmlx), ok+ = vmap consistent but the forward values differ from MLX on a drawn case, miss = no rule in cmlx yet, rej = MLX rejects every drawn case, - = not applicable")
    print()
    print("totals: " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
    print("not differentiable: " + ", ".join(f"{n} ({why})" for n, why in sorted(NOT_DIFFERENTIABLE.items())))
    print("not compared with finite differences: " + ", ".join(f"{n} ({why})" for n, why in NOT_THE_DERIVATIVE.items()))
    if problems:
        print()
        print("problems:" if not args.markdown else "Problems (first falsifying case of each):\n")
        for name, column, cell, detail in problems:
            line = f"{name} [{column}] {cell}: {detail}"
            print(("- " + line[:400]) if args.markdown else "  " + line[:400])
    return 1 if counts.get("FAIL") else 0


if __name__ == "__main__":
    sys.exit(main())
