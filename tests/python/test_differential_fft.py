"""Differential tests of mlx.core.fft (see optable.py, optable_fft.py):
cmlx.core must match mlx.core, values and gradients."""

import numpy as np
import pytest

from differential import run_op_dtype
from harness import EPS
from optable import OPS

CASES = [(spec, dtype) for spec in OPS if spec.family == "fft" for dtype in spec.dtypes]


@pytest.mark.parametrize("spec,dtype", CASES, ids=[f"{s.name}-{d}" for s, d in CASES])
def test_matches_mlx(libs, spec, dtype):
    ref, cm = libs
    if not spec.available(cm):
        pytest.fail(f"{cm.__name__} has no {spec.name} (C: {spec.c_names})")
    run_op_dtype(ref, cm, spec, dtype)




# Gradients: MLX's mx.vjp against cmlx's for each transform on fixed shapes
# (powers of two, odd and prime lengths, the real transforms' DC/Nyquist masks).
GRAD_CASES = [
    ("fft", (3, 8), "complex64", {}), ("ifft", (5,), "complex64", {"n": 7}), ("fft", (4, 6), "float32", {"axis": 0}),
    ("rfft", (2, 8), "float32", {}), ("rfft", (7,), "float32", {"n": 9}), ("irfft", (2, 5), "complex64", {}),
    ("irfft", (6,), "complex64", {"n": 11}), ("fft2", (3, 4, 5), "complex64", {}),
    ("rfftn", (4, 6), "float32", {}), ("irfftn", (3, 5), "complex64", {"axes": [1, 0]}),
    ("ifftn", (2, 3, 4), "complex64", {"s": [3, 5], "axes": [0, 2]}),
]


def _grad(M, name, x, cot, kw):
    f = getattr(M.fft, name)
    outs, grads = M.vjp(lambda a: f(a, **kw), [x], [cot])
    M.eval(outs, grads)
    return np.array(grads[0])


@pytest.mark.parametrize("name,shape,dtype,kw", GRAD_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(GRAD_CASES)])
def test_gradients_match_mlx(libs, name, shape, dtype, kw):
    ref, cm = libs
    if not hasattr(cm, "vjp"):
        pytest.skip(f"{cm.__name__} has no vjp")
    rng = np.random.default_rng(len(shape) * 10 + len(kw))
    xv = rng.uniform(-1, 1, shape).astype(np.float32)
    if dtype == "complex64":
        xv = (xv + 1j * rng.uniform(-1, 1, shape)).astype(np.complex64)
    y = getattr(ref.fft, name)(ref.array(xv), **kw)
    cv = rng.uniform(-1, 1, y.shape).astype(np.float32)
    if y.dtype == ref.complex64:
        cv = (cv + 1j * rng.uniform(-1, 1, y.shape)).astype(np.complex64)
    got = _grad(cm, name, cm.array(xv), cm.array(cv), kw)
    want = _grad(ref, name, ref.array(xv), ref.array(cv), kw)
    n = int(np.prod(y.shape)) + int(np.prod(shape))
    tol = 8 * (np.log2(n) + 1) * EPS["float32"] * np.sqrt(n) * n  # the adjoint's N scaling included
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_allclose(got, want, rtol=8 * (np.log2(n) + 1) * EPS["float32"] * 10, atol=tol)
