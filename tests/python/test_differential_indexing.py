"""Differential tests of the indexing functions and the array index syntax (see optable.py): cmlx.core must match mlx.core."""

import pytest

from differential import run_op_dtype
from optable import OPS

CASES = [(spec, dtype) for spec in OPS if spec.family == "indexing" for dtype in spec.dtypes]


@pytest.mark.parametrize("spec,dtype", CASES, ids=[f"{s.name}-{d}" for s, d in CASES])
def test_matches_mlx(libs, spec, dtype):
    ref, cm = libs
    if not spec.available(cm):
        pytest.fail(f"{cm.__name__} has no {spec.name} (C: {spec.c_names})")
    run_op_dtype(ref, cm, spec, dtype)
