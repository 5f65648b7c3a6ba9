"""Gradients of every differentiable op of the op table (optable.py and the
area tables), through the differential harness (gradcheck.py):

  fd    cmlx's vjp and jvp against central finite differences (float64),
  vjp   cmlx.vjp against mlx.vjp (float32, float64),
  jvp   cmlx.jvp against mlx.jvp (float32, float64),
  vmap  cmlx.vmap against mlx.vmap (float32),

on hypothesis-drawn inputs from the op's own strategy. Ops without a gradient
are listed in gradcheck.NOT_DIFFERENTIABLE with the reason.

    python -m pytest tests/python/test_grad_differential.py
    python tests/python/grad_coverage.py          # the op x transform table
"""

import os

import pytest

from gradcheck import (
    NOT_DIFFERENTIABLE, NOT_THE_DERIVATIVE, GradMismatch, MissingRule, differentiable_ops, run_op)
from optable import OPS

# (transform, dtypes) checked for every differentiable op
TRANSFORM_DTYPES = [("fd", ["float64"]), ("vjp", ["float32", "float64"]), ("jvp", ["float32", "float64"]),
                    ("vmap", ["float32"])]

# Rules not in libcmlx yet: "op:transform" (or "op:transform:dtype") -> why. strict: an entry whose
# rule lands fails until it is removed from here.
KNOWN_MISSING = {
}

# Open differences from MLX on cmlx's side: "op:transform" (or "op:transform:dtype") -> why.
# (Where MLX is wrong, gradcheck's referees, finite differences and per-example results, tell, and
# the case counts as checked: MLX 0.32's vjp of full() and of conv_transpose with output_padding,
# its vmap of expand_dims with several axes and of split into empty pieces.)
KNOWN_DIVERGENCES = {}


def _cases():
    out = []
    # the known entries are about cmlx: none when MLX is checked against itself
    under_test_is_cmlx = os.environ.get("CMLX_MODULE", "cmlx.core") == "cmlx.core"
    for spec in differentiable_ops(OPS):
        for transform, dtypes in TRANSFORM_DTYPES:
            for dtype in dtypes:
                if dtype not in spec.dtypes or (transform == "fd" and spec.name in NOT_THE_DERIVATIVE):
                    continue
                keys = (f"{spec.name}:{transform}:{dtype}", f"{spec.name}:{transform}")
                marks = []
                for key in keys if under_test_is_cmlx else ():
                    if key in KNOWN_MISSING:
                        marks = [pytest.mark.xfail(reason=KNOWN_MISSING[key], strict=True, raises=MissingRule)]
                    elif key in KNOWN_DIVERGENCES:
                        marks = [pytest.mark.xfail(reason=KNOWN_DIVERGENCES[key], strict=True, raises=GradMismatch)]
                    if marks:
                        break
                out.append(pytest.param(spec, transform, dtype, marks=marks, id=f"{spec.name}-{transform}-{dtype}"))
    return out


@pytest.mark.parametrize("spec,transform,dtype", _cases())
def test_gradient(libs, spec, transform, dtype):
    ref, cm = libs
    if not spec.available(cm):
        pytest.fail(f"{cm.__name__} has no {spec.name}")
    outcomes = run_op(ref, cm, spec, transform, dtype)
    if outcomes <= {"no-float", "skip"} and "no-float" in outcomes:
        pytest.skip(f"{spec.name}: no drawn case has a {dtype} input and floating-point outputs (not differentiable)")
    # "mlx-rejects" alone (with skipped cases): MLX cannot do the transform (its convolutions have
    # no JVP), so there is nothing to compare against
    assert outcomes & {"pass", "mlx-wrong", "mlx-rejects", "forward-differs"}, (
        f"{spec.name} {transform} {dtype}: no drawn case could be checked ({sorted(outcomes)}); "
        "if the op has no gradient, list it in gradcheck.NOT_DIFFERENTIABLE")


def test_every_op_is_classified():
    names = {o.name for o in OPS}
    assert set(NOT_DIFFERENTIABLE) <= names, f"stale entries: {set(NOT_DIFFERENTIABLE) - names}"
    assert len(differentiable_ops(OPS)) + len(NOT_DIFFERENTIABLE) == len(OPS)


def test_known_missing_entries_name_real_ops():
    names = {o.name for o in differentiable_ops(OPS)}
    for key in list(KNOWN_MISSING) + list(KNOWN_DIVERGENCES):
        op, transform = key.split(":")[:2]
        assert op in names and transform in {t for t, _ in TRANSFORM_DTYPES}, key
