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

import pytest

from gradcheck import (
    NOT_DIFFERENTIABLE, NOT_THE_DERIVATIVE, GradMismatch, MissingRule, differentiable_ops, run_op)
from optable import OPS

# (transform, dtypes) checked for every differentiable op
TRANSFORM_DTYPES = [("fd", ["float64"]), ("vjp", ["float32", "float64"]), ("jvp", ["float32", "float64"]),
                    ("vmap", ["float32"])]

# Rules not in libcmlx yet: "op:transform" (or "op:transform:dtype") -> why. strict: an entry whose
# rule lands fails until it is removed from here.
_IN_INDEXING = "its VJP/JVP rules are in the indexing branch (scatter), not merged yet"
KNOWN_MISSING = {
    **{f"{op}:{t}": _IN_INDEXING for op in ("take", "take_along_axis") for t in ("fd", "vjp", "jvp")},
}

# Open differences from MLX where MLX is wrong (the finite-difference column
# checks cmlx): "op:transform" -> why. strict, like KNOWN_MISSING.
KNOWN_DIVERGENCES = {
    "full:vjp": "MLX 0.32's Full::vjp returns cotangent * vals (mlx/primitives.cpp); the gradient of "
                "full(shape, vals) is the cotangent summed over the broadcast, as cmlx gives (and finite differences)",
    "expand_dims:vmap": "MLX 0.32's vmap of expand_dims with several axes misplaces the batch axis when it is not "
                        "axis 0 (in_axes=1 on (1, 2) gives shape (1, 1, 1, 2, 1) for axes [0, 3, 1]; per-example "
                        "stacking gives (2, 1, 1, 1, 1), as cmlx)",
    "expm1:jvp:float32": "cmlx's jvp of expm1 is t * (expm1(x) + 1), MLX's vjp formula; MLX's jvp is t * exp(x), "
                 "which keeps its accuracy where expm1(x) is near -1 (x = -9.1: 1.6e-4 relative in float32)",
    "split:vmap": "MLX 0.32's vmap of split permutes the axes of empty pieces when the batch axis is not 0 "
                  "(a (2, 4, 0, 5) example split on axis 2 gives pieces of shape (0, 2, 2, 4, 5))",
}


def _cases():
    out = []
    for spec in differentiable_ops(OPS):
        for transform, dtypes in TRANSFORM_DTYPES:
            for dtype in dtypes:
                if dtype not in spec.dtypes or (transform == "fd" and spec.name in NOT_THE_DERIVATIVE):
                    continue
                keys = (f"{spec.name}:{transform}:{dtype}", f"{spec.name}:{transform}")
                marks = []
                for key in keys:
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
    # "mlx-rejects" alone (with skipped cases): MLX cannot do the transform (its convolutions have
    # no JVP), so there is nothing to compare against
    assert "pass" in outcomes or "mlx-rejects" in outcomes, (
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
