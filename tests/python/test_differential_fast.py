"""Differential tests of mx.fast (see optable_fast.py): cmlx.core must match
mlx.core; and each fused kernel must match the composite of cmlx's own ops that
MLX's CPU backend evaluates (the same maths, op by op)."""

import math

import numpy as np
import pytest

from differential import run_op_dtype
from harness import to_numpy
from optable import OPS

CASES = [(spec, dtype) for spec in OPS if spec.family == "fast" for dtype in spec.dtypes]


@pytest.mark.parametrize("spec,dtype", CASES, ids=[f"{s.name}-{d}" for s, d in CASES])
def test_matches_mlx(libs, spec, dtype):
    ref, cm = libs
    if not spec.available(cm):
        pytest.fail(f"{cm.__name__} has no {spec.name} (C: {spec.c_names})")
    run_op_dtype(ref, cm, spec, dtype)


# ---- the fused kernels against the composites (MLX's fallbacks, mlx/fast.cpp) ----------------------------

def rms_norm_composite(M, x, w, eps):
    out_type = x.dtype if w is None else M.result_type(x, w) if hasattr(M, "result_type") else (x * w).dtype
    y = x.astype(M.float32)
    y = (y * M.rsqrt(M.mean(M.square(y), axis=-1, keepdims=True) + M.array(eps, M.float32))).astype(out_type)
    return y if w is None else y * w.astype(out_type)


def layer_norm_composite(M, x, w, b, eps):
    y = x.astype(M.float32)
    xc = y - M.mean(y, axis=-1, keepdims=True)
    y = (xc * M.rsqrt(M.mean(M.square(xc), axis=-1, keepdims=True) + M.array(eps, M.float32))).astype(x.dtype)
    if w is not None:
        y = y * w
    if b is not None:
        y = y + b
    return y


def rope_composite(M, x, dims, traditional, base, scale, offset):
    B, N, T, D = x.shape
    half = dims // 2
    pos = (M.arange(T).astype(M.float32) + offset) * scale
    inv = M.exp(M.arange(0, -half, -1).astype(M.float32) * (math.log(base) / half))
    theta = pos[:, None] * inv
    c, s = M.cos(theta).astype(x.dtype), M.sin(theta).astype(x.dtype)
    if traditional:
        x1, x2 = x[..., 0:dims:2], x[..., 1:dims:2]
        rot = M.stack([x1 * c - x2 * s, x1 * s + x2 * c], axis=-1).reshape(B, N, T, dims)
    else:
        x1, x2 = x[..., :half], x[..., half:dims]
        rot = M.concatenate([x1 * c - x2 * s, x1 * s + x2 * c], axis=-1)
    return M.concatenate([rot, x[..., dims:]], axis=-1) if dims < D else rot


def sdpa_composite(M, q, k, v, scale, mask=None):
    n_rep = q.shape[1] // k.shape[1]
    if n_rep > 1:
        k, v = M.repeat(k, n_rep, axis=1), M.repeat(v, n_rep, axis=1)
    s = (q * M.array(scale, q.dtype)) @ M.swapaxes(k, -1, -2)
    if isinstance(mask, str):
        qL, kL = q.shape[2], k.shape[2]
        mask = M.arange(kL - qL, kL)[:, None] >= M.arange(kL)[None]
    if mask is not None:
        if mask.dtype == M.bool_:
            lowest = {M.float16: -65504.0, M.bfloat16: -3.3895313892515355e38, M.float32: -3.4028234663852886e38}[s.dtype]
            s = M.where(mask, s, M.array(lowest, s.dtype))
        else:
            s = s + mask
    return M.softmax(s, axis=-1, precise=True) @ v


def _close(M, fused, composite, rtol, atol):
    a, b = to_numpy(M, fused).astype(np.float64), to_numpy(M, composite).astype(np.float64)
    assert a.shape == b.shape
    np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)


@pytest.mark.parametrize("dtype,tol", [("float32", 3e-6), ("float16", 3e-3), ("bfloat16", 2.4e-2)])
def test_kernels_match_composites(libs, dtype, tol):
    """tol: float32 ~ 16 L eps32 for rows of 64-128; half types: 3 ulps (the kernels
    round once where the composites round after every op)."""
    _, cx = libs
    rng = np.random.default_rng(7)
    dt = getattr(cx, dtype)
    x = cx.array(rng.standard_normal((3, 5, 128)).astype(np.float32)).astype(dt)
    w = cx.array(rng.standard_normal(128).astype(np.float32)).astype(dt)
    b = cx.array(rng.standard_normal(128).astype(np.float32)).astype(dt)
    _close(cx, cx.fast.rms_norm(x, w, 1e-5), rms_norm_composite(cx, x, w, 1e-5), tol, tol)
    _close(cx, cx.fast.layer_norm(x, w, b, 1e-5), layer_norm_composite(cx, x, w, b, 1e-5), tol, 4 * tol)
    x4 = cx.array(rng.standard_normal((2, 3, 33, 64)).astype(np.float32)).astype(dt)
    for trad in (False, True):
        for dims in (64, 32):
            _close(cx, cx.fast.rope(x4, dims, traditional=trad, base=10000.0, scale=1.0, offset=7),
                   rope_composite(cx, x4, dims, trad, 10000.0, 1.0, 7), tol, 2 * tol + 40 * 4e-7)
    q = cx.array(rng.uniform(-1, 1, (1, 4, 70, 16)).astype(np.float32)).astype(dt)
    k = cx.array(rng.uniform(-1, 1, (1, 2, 300, 16)).astype(np.float32)).astype(dt)
    v = cx.array(rng.uniform(-1, 1, (1, 2, 300, 8)).astype(np.float32)).astype(dt)
    m = cx.array(rng.uniform(-2, 1, (70, 300)).astype(np.float32)).astype(dt)
    for mask in (None, "causal", m, m > 0):
        _close(cx, cx.fast.scaled_dot_product_attention(q, k, v, scale=0.25, mask=mask),
               sdpa_composite(cx, q, k, v, 0.25, mask), 2 * tol, 2 * tol)
