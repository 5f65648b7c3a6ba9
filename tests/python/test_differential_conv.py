"""Differential tests of the convolutions (see optable.py, optable_conv.py):
cmlx.core must match mlx.core, values and gradients."""

import numpy as np
import pytest

from differential import run_op_dtype
from harness import EPS
from optable import OPS

CASES = [(spec, dtype) for spec in OPS if spec.family == "conv" for dtype in spec.dtypes]


@pytest.mark.parametrize("spec,dtype", CASES, ids=[f"{s.name}-{d}" for s, d in CASES])
def test_matches_mlx(libs, spec, dtype):
    ref, cm = libs
    if not spec.available(cm):
        pytest.fail(f"{cm.__name__} has no {spec.name} (C: {spec.c_names})")
    run_op_dtype(ref, cm, spec, dtype)


# Gradients of sum(cotangent * f(x, w)) with respect to x and w, MLX's
# mx.vjp against cmlx's, on fixed configurations covering strides, padding
# (asymmetric and negative), dilations, input dilation, groups and flips.
GRAD_CASES = [
    ("conv1d", (2, 9, 4), (6, 3, 2), dict(stride=2, padding=1, dilation=2, groups=2)),
    ("conv2d", (2, 7, 6, 3), (4, 3, 2, 3), dict(stride=(2, 1), padding=(1, 0), dilation=(1, 2))),
    ("conv2d", (1, 8, 8, 6), (6, 3, 3, 1), dict(stride=1, padding=1, groups=6)),
    ("conv2d", (2, 5, 5, 8), (4, 1, 1, 8), dict()),
    ("conv3d", (1, 5, 4, 5, 2), (3, 2, 3, 2, 2), dict(stride=(1, 2, 1), padding=(1, 0, 1))),
    ("conv_general", (2, 6, 5, 4), (4, 2, 3, 2),
     dict(stride=[2, 1], padding=([1, 0], [0, 2]), kernel_dilation=[1, 2], input_dilation=[2, 1], groups=2,
          flip=True)),
    ("conv_general", (1, 7, 3), (2, 3, 3), dict(stride=3, padding=([2], [1]), input_dilation=3)),
    ("conv_transpose1d", (2, 5, 4), (6, 3, 2), dict(stride=2, padding=1, output_padding=1, groups=2)),
    ("conv_transpose2d", (1, 4, 5, 3), (2, 3, 2, 3), dict(stride=(2, 3), padding=(1, 0), dilation=(2, 1))),
    ("conv_transpose3d", (1, 3, 3, 2, 2), (2, 2, 2, 2, 2), dict(stride=2, output_padding=1)),
]


def _grad(M, name, x, w, cot, kw):
    f = getattr(M, name)
    outs, grads = M.vjp(lambda a, b: f(a, b, **kw), [x, w], [cot])
    M.eval(outs, grads)
    return [np.array(g.astype(M.float32)) for g in grads]


# float32 only: MLX 0.32 has no float64 kernels for the dilated and grouped
# convolutions that gradients are made of (cmlx's float64 gradients are
# checked against finite differences in tests/c/test_conv.c).
@pytest.mark.parametrize("dtype", ["float32"])
@pytest.mark.parametrize("name,xshape,wshape,kw", GRAD_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(GRAD_CASES)])
def test_gradients_match_mlx(libs, name, xshape, wshape, kw, dtype):
    ref, cm = libs
    if not hasattr(cm, "vjp"):
        pytest.skip(f"{cm.__name__} has no vjp yet (the Python transforms are not on this branch)")
    rng = np.random.default_rng(len(xshape) * 100 + len(kw))
    xv = rng.uniform(-1, 1, xshape).astype(np.float32)
    wv = rng.uniform(-1, 1, wshape).astype(np.float32)
    y = getattr(ref, name)(ref.array(xv), ref.array(wv), **kw)
    cv = rng.uniform(-1, 1, y.shape).astype(np.float32)
    got = _grad(cm, name, cm.array(xv).astype(getattr(cm, dtype)), cm.array(wv).astype(getattr(cm, dtype)),
                cm.array(cv).astype(getattr(cm, dtype)), kw)
    want = _grad(ref, name, ref.array(xv).astype(getattr(ref, dtype)), ref.array(wv).astype(getattr(ref, dtype)),
                 ref.array(cv).astype(getattr(ref, dtype)), kw)
    # each gradient element is a sum over at most N * prod(out spatial) * C_out products of values in [-1, 1]
    n = int(np.prod(y.shape))
    tol = 4 * n * EPS["float32" if dtype == "float32" else "float64"]
    for i, (g, e, v) in enumerate(zip(got, want, (xv, wv))):
        assert g.shape == v.shape, f"cmlx's gradient {i} has shape {g.shape}, its primal {v.shape}"
        if e.shape != v.shape:
            # MLX 0.32 bug: with output_padding its vjp w.r.t. x of conv_transpose3d has the shape of
            # an input without the padding ((1, 2, 2, 1, 2) for x (1, 3, 3, 2, 2)), so it cannot be a
            # gradient; finite differences are the referee for cmlx's instead
            _check_against_finite_differences(cm, name, xv, wv, cv, kw, i, g, tol)
            continue
        np.testing.assert_allclose(g, e, rtol=tol, atol=tol)


def _check_against_finite_differences(cm, name, xv, wv, cv, kw, which, grad, tol):
    """<grad, v> against (L(p + v) - L(p - v)) / 2 for L = sum(cv * f(x, w)) in float64, along random
    directions v of input `which`. L is linear in each input, so the difference is exact up to
    float64 rounding: the float32 gradient must agree to its own tolerance `tol` per entry."""
    f = getattr(cm, name)
    rng = np.random.default_rng(7)

    def loss(x, w):
        y = f(cm.array(x).astype(cm.float64), cm.array(w).astype(cm.float64), **kw)
        return float(np.sum(np.array(y) * cv.astype(np.float64)))
    primals = [xv.astype(np.float64), wv.astype(np.float64)]
    for _ in range(4):
        v = rng.uniform(-1, 1, primals[which].shape)
        plus, minus = list(primals), list(primals)
        plus[which] = primals[which] + v
        minus[which] = primals[which] - v
        fd = (loss(*plus) - loss(*minus)) / 2
        ours = float(np.sum(grad.astype(np.float64) * v))
        assert abs(ours - fd) <= tol * np.sum(np.abs(v)), (ours, fd)


@pytest.mark.parametrize("padding", [([1, 0], [-1, 0]), ([2, 0], [-1, 0]), ([1, 1], [-1, -1])])
def test_input_gradient_with_negative_padding(libs, padding):
    """Negative padding crops the input, possibly to nothing: the input gradient is then zeros there
    (hypothesis found cmlx raising on the gradient conv's padding where MLX succeeds)."""
    ref, cm = libs
    if not hasattr(cm, "grad"):
        pytest.skip("no mx.grad")
    for shape in ((1, 1, 1, 1), (1, 3, 3, 1)):
        grads = []
        for M in (ref, cm):
            x, w = M.ones(shape), M.full((1, 1, 1, 1), -0.92)
            f = lambda x, w: M.conv_general(x, w, stride=1, padding=padding, flip=True).sum()  # noqa: E731
            grads.append([np.array(g) for g in M.grad(f, argnums=[0, 1])(x, w)])
        for r, c in zip(*grads):
            np.testing.assert_array_equal(c, r)
