"""Differential tests of the sort-family ops (scans, sorting, searching, median) (see optable.py): cmlx.core must match mlx.core."""

import pytest

from differential import run_op_dtype
from optable import OPS

CASES = [(spec, dtype) for spec in OPS if spec.family == "sort" for dtype in spec.dtypes]


@pytest.mark.parametrize("spec,dtype", CASES, ids=[f"{s.name}-{d}" for s, d in CASES])
def test_matches_mlx(libs, spec, dtype):
    ref, cm = libs
    if not spec.available(cm):
        pytest.fail(f"{cm.__name__} has no {spec.name} (C: {spec.c_names})")
    run_op_dtype(ref, cm, spec, dtype)


# Rows longer than the table's shapes (<= 5 per dim): the radix passes, the
# bucketed path of one long row (>= 2^16 elements, several threads) and
# introselect's deeper recursion, bit for bit against MLX.
LONG_DTYPES = ["float32", "float16", "bfloat16", "float64", "int32", "uint8", "int16", "int64", "complex64"]


@pytest.mark.parametrize("dtype", LONG_DTYPES)
@pytest.mark.parametrize("shape", [(70001,), (3, 4099)])
def test_long_rows_match_mlx(libs, dtype, shape):
    import numpy as np

    ref, cm = libs
    rng = np.random.default_rng(sum(shape))
    v = np.round(rng.standard_normal(shape) * 50)  # ties
    if dtype in ("float32", "float16", "bfloat16", "float64", "complex64"):
        flat = v.reshape(-1)
        flat[rng.integers(0, flat.size, flat.size // 50)] = np.nan
        flat[rng.integers(0, flat.size, flat.size // 50)] = -0.0
    else:
        v = np.abs(v) if dtype.startswith("u") else v
    if dtype == "complex64":
        v = v + 1j * np.round(rng.standard_normal(shape))

    def build(M):
        x = M.array(v.astype(np.float32 if dtype in ("float16", "bfloat16") else dtype))
        return x.astype(getattr(M, dtype))

    kth = shape[-1] // 3
    for name, fn in [("sort", lambda M, x: M.sort(x)), ("argsort", lambda M, x: M.argsort(x)),
                     ("partition", lambda M, x: M.partition(x, kth)),
                     ("argpartition", lambda M, x: M.argpartition(x, -kth)),
                     ("topk", lambda M, x: M.topk(x, 7)), ("cumsum", lambda M, x: M.cumsum(x, axis=-1)),
                     ("cummax", lambda M, x: M.cummax(x, axis=-1, reverse=True)),
                     ("median", lambda M, x: M.median(x, axis=-1))]:
        a, b = fn(ref, build(ref)), fn(cm, build(cm))
        if dtype == "bfloat16":
            a, b = a.astype(ref.float32), b.astype(cm.float32)
        a, b = np.array(a), np.array(b)
        assert a.dtype == b.dtype and a.shape == b.shape, name
        same = np.array_equal(a, b, equal_nan=True) if a.dtype.kind in "fc" else np.array_equal(a, b)
        assert same, f"{name} {dtype} {shape}: first differences at {np.argwhere(a != b)[:5].tolist()}"
