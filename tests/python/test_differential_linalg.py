"""Differential tests of the linalg functions (see optable.py, optable_linalg.py):
cmlx.core must match mlx.core, values and gradients."""

import numpy as np
import pytest

from differential import run_op_dtype
from harness import EPS
from optable import OPS

CASES = [(spec, dtype) for spec in OPS if spec.family == "linalg" for dtype in spec.dtypes]


@pytest.mark.parametrize("spec,dtype", CASES, ids=[f"{s.name}-{d}" for s, d in CASES])
def test_matches_mlx(libs, spec, dtype):
    ref, cm = libs
    if not spec.available(cm):
        pytest.fail(f"{cm.__name__} has no {spec.name} (C: {spec.c_names})")
    run_op_dtype(ref, cm, spec, dtype)


# Gradients of norm and cross (compositions of differentiable ops in both
# libraries), MLX's mx.vjp against cmlx's. MLX 0.32 has no VJP for its
# Inverse and Cholesky primitives, so the matrix functions have none here either.
GRAD_CASES = [
    ("norm", [(3, 4)], dict()),
    ("norm", [(3, 4)], dict(ord=3, axis=1)),
    ("norm", [(2, 3, 4)], dict(ord=1, axis=(0, 2), keepdims=True)),
    ("norm", [(2, 3, 4)], dict(ord="fro", axis=(2, 1))),
    ("norm", [(2, 5)], dict(ord=0.5, axis=0)),
    ("cross", [(4, 3), (4, 3)], dict()),
    ("cross", [(3, 2), (1, 3, 2)], dict(axis=-2)),
]


@pytest.mark.parametrize("name,shapes,kw", GRAD_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(GRAD_CASES)])
def test_gradients_match_mlx(libs, name, shapes, kw):
    ref, cm = libs
    if not hasattr(cm, "vjp"):
        pytest.skip(f"{cm.__name__} has no vjp yet (the Python transforms are not on this branch)")
    rng = np.random.default_rng(len(shapes) * 10 + len(kw))
    vals = [rng.uniform(0.5, 2, s).astype(np.float32) * rng.choice([-1, 1], s) for s in shapes]

    def grads(M):
        f = getattr(M.linalg, name)
        xs = [M.array(v) for v in vals]
        y = f(*xs, **kw)
        cot = M.array(np.linspace(-1, 1, max(1, y.size), dtype=np.float32).reshape(y.shape))
        _, g = M.vjp(lambda *a: f(*a, **kw), xs, [cot])
        return [np.array(x) for x in g]

    n = int(np.prod(shapes[0]))
    for got, want in zip(grads(cm), grads(ref)):
        np.testing.assert_allclose(got, want, rtol=8 * n * EPS["float32"], atol=8 * n * EPS["float32"])


# complex64 eig differs from MLX 0.32.4 (conjugated eigenvectors: KNOWN_DIVERGENCES): checked
# against NumPy instead, on genuinely complex (batched, strided) matrices.
@pytest.mark.parametrize("n,batch", [(1, ()), (2, ()), (4, (3,)), (5, (2, 2))])
def test_eig_complex_against_numpy(libs, n, batch):
    _, cm = libs
    rng = np.random.default_rng(n)
    a = (rng.uniform(-1, 1, batch + (n, n)) + 1j * rng.uniform(-1, 1, batch + (n, n))).astype(np.complex64)
    x = cm.swapaxes(cm.array(np.ascontiguousarray(np.swapaxes(a, -1, -2))), -1, -2)  # a strided view of a
    w, v = cm.linalg.eig(x)
    w, v = np.array(w), np.array(v)
    assert w.dtype == np.complex64 and v.dtype == np.complex64
    tol = 16 * n * n * EPS["complex64"]
    np.testing.assert_allclose(a @ v, v * w[..., None, :], atol=tol * 4)
    np.testing.assert_allclose(np.linalg.norm(v, axis=-2), 1, atol=tol)
    want = np.sort_complex(np.linalg.eigvals(a.astype(np.complex128)).reshape(-1, n))
    got = np.sort_complex(np.array(cm.linalg.eigvals(x)).reshape(-1, n))
    np.testing.assert_allclose(got, want, atol=tol * 4)
