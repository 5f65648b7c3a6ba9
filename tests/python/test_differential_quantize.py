"""Differential tests of the quantize family (include/cmlx/quantize.h): cmlx.core against mlx.core 0.32.

Packing is compared bit for bit (words, scales, biases) for every dtype, bit width and group size, and
cmlx dequantizes MLX-packed weights bit for bit (MLX rounds after the product and after the sum; so do
we). Products are compared with tolerances justified by accumulation length K: float32 sums of K
products in another order, 8 K eps relative to max|x| * sum|w|; float16/bfloat16 outputs: MLX's generic
kernels accumulate in the storage type (measured for bfloat16, K = 256: MLX 0.83 off the float64 truth
of magnitude 47, cmlx 0.24), so the bound is sqrt(K) * 4 eps_T of the same scale plus one rounding.
(These are direct pytest cases, not optable strategies: see docs/quantize.md.)"""

import numpy as np
import pytest

DTYPES = ["float32", "float16", "bfloat16"]
EPS = {"float32": 2.0**-23, "float16": 2.0**-10, "bfloat16": 2.0**-7}


def _np(M, a):
    return np.array(a.astype(M.float32)) if a.dtype != M.uint32 else np.array(a)


def _weights(rng, shape):
    w = (rng.standard_normal(shape) * rng.uniform(0.01, 10)).astype(np.float32)
    w[rng.uniform(size=shape) < 0.1] = 0  # zero runs: groups with q0 == 0
    return w


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("bits", [1, 2, 3, 4, 5, 6, 8])
@pytest.mark.parametrize("group_size", [32, 64, 128])
def test_quantize_bit_exact(libs, dtype, bits, group_size):
    ref, cm = libs
    rng = np.random.default_rng(bits * 1000 + group_size)
    w = _weights(rng, (2, 5, 384))
    qm, sm, bm = ref.quantize(ref.array(w).astype(getattr(ref, dtype)), group_size, bits)
    qc, sc, bc = cm.quantize(cm.array(w).astype(getattr(cm, dtype)), group_size, bits)
    assert qc.dtype == cm.uint32 and sc.dtype == getattr(cm, dtype) and qc.shape == qm.shape
    np.testing.assert_array_equal(_np(cm, qc), _np(ref, qm))
    np.testing.assert_array_equal(_np(cm, sc), _np(ref, sm))
    np.testing.assert_array_equal(_np(cm, bc), _np(ref, bm))
    # cmlx dequantizes MLX's packing exactly as MLX does
    dm = ref.dequantize(qm, sm, bm, group_size, bits)
    dc = cm.dequantize(cm.array(np.array(qm)), sc, bc, group_size, bits)
    assert dc.dtype == getattr(cm, dtype)
    np.testing.assert_array_equal(_np(cm, dc), _np(ref, dm))


def _to(M, a, dtype):
    return M.array(a).astype(getattr(M, dtype))


def _tol(dtype, k, x, wdeq):
    scale = np.abs(x).max() * np.abs(wdeq).sum(axis=-1).max() + 1e-30
    if dtype == "float32":
        return 8 * k * EPS[dtype] * scale
    return (4 * np.sqrt(k) + 2) * EPS[dtype] * scale


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("bits", [2, 3, 4, 6, 8])
@pytest.mark.parametrize("group_size", [32, 64, 128])
@pytest.mark.parametrize("rows", [1, 5, 33])
@pytest.mark.parametrize("transpose", [True, False])
def test_quantized_matmul(libs, dtype, bits, group_size, rows, transpose):
    ref, cm = libs
    rng = np.random.default_rng(rows * 7 + bits)
    k, n = 256, 128
    wshape = (n, k) if transpose else (k, n)
    w = _weights(rng, wshape)
    x = rng.uniform(-1, 1, (rows, k)).astype(np.float32)
    qm, sm, bm = ref.quantize(_to(ref, w, dtype), group_size, bits)
    args_c = [cm.array(np.array(qm)), _to(cm, _np(ref, sm), dtype), _to(cm, _np(ref, bm), dtype)]
    om = ref.quantized_matmul(_to(ref, x, dtype), qm, sm, bm, transpose, group_size, bits)
    oc = cm.quantized_matmul(_to(cm, x, dtype), *args_c, transpose, group_size, bits)
    assert oc.dtype == getattr(cm, dtype) and oc.shape == om.shape
    wdeq = _np(ref, ref.dequantize(qm, sm, bm, group_size, bits))
    wdeq = wdeq if transpose else wdeq.T
    np.testing.assert_allclose(_np(cm, oc), _np(ref, om), rtol=0, atol=_tol(dtype, k, x, wdeq))


def test_quantized_matmul_batched_and_vector(libs):
    ref, cm = libs
    rng = np.random.default_rng(3)
    w = _weights(rng, (3, 64, 128))
    qm, sm, bm = ref.quantize(ref.array(w))
    qc, sc, bc = cm.quantize(cm.array(w))
    for xs in [(128,), (4, 1, 2, 128), (3, 5, 128)]:
        x = rng.uniform(-1, 1, xs).astype(np.float32)
        if len(xs) == 1:
            om = ref.quantized_matmul(ref.array(x), qm[0], sm[0], bm[0])
            oc = cm.quantized_matmul(cm.array(x), qc[0], sc[0], bc[0])
        else:
            om = ref.quantized_matmul(ref.array(x), qm, sm, bm)
            oc = cm.quantized_matmul(cm.array(x), qc, sc, bc)
        assert oc.shape == om.shape
        np.testing.assert_allclose(_np(cm, oc), _np(ref, om), rtol=1e-4, atol=1e-4)


def test_gather_qmm(libs):
    ref, cm = libs
    rng = np.random.default_rng(4)
    w = _weights(rng, (4, 64, 128))
    x = rng.uniform(-1, 1, (3, 2, 128)).astype(np.float32)
    qm, sm, bm = ref.quantize(ref.array(w))
    qc, sc, bc = cm.quantize(cm.array(w))
    for lhs, rhs in [([0, 2, 1, 1], [3, 0, 0, 2]), (None, [1, 3, 0]), ([[0], [2]], [[1, 0, 3]])]:
        lm = None if lhs is None else ref.array(np.array(lhs, np.uint32))
        lc = None if lhs is None else cm.array(np.array(lhs, np.uint32))
        om = ref.gather_qmm(ref.array(x), qm, sm, bm, lm, ref.array(np.array(rhs, np.uint32)))
        oc = cm.gather_qmm(cm.array(x), qc, sc, bc, lc, cm.array(np.array(rhs, np.uint32)))
        assert oc.shape == om.shape
        np.testing.assert_allclose(_np(cm, oc), _np(ref, om), rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("dtype", DTYPES)
def test_gather_mm(libs, dtype):
    ref, cm = libs
    rng = np.random.default_rng(5)
    a = rng.uniform(-1, 1, (3, 4, 16)).astype(np.float32)
    b = rng.uniform(-1, 1, (5, 16, 6)).astype(np.float32)
    for lhs, rhs in [([0, 2, 1], [4, 0, 0]), (None, [1, 3, 0]), ([[0], [2]], [[1, 0, 3]])]:
        lm = None if lhs is None else ref.array(np.array(lhs, np.int32))
        lc = None if lhs is None else cm.array(np.array(lhs, np.int32))
        # MLX 0.32's CPU gather_mm evaluates float32 only: the reference is its float32 product of the
        # dtype-rounded operands; cmlx rounds once from its float32 sums
        ar, br = (_to(ref, v, dtype).astype(ref.float32) for v in (a, b))
        om = ref.gather_mm(ar, br, lm, ref.array(np.array(rhs, np.int32)))
        oc = cm.gather_mm(_to(cm, a, dtype), _to(cm, b, dtype), lc, cm.array(np.array(rhs, np.int32)))
        assert oc.shape == om.shape and oc.dtype == getattr(cm, dtype)
        tol = 16 * EPS["float32"] * 16 + 2 * EPS[dtype]
        np.testing.assert_allclose(_np(cm, oc), _np(ref, om), rtol=tol, atol=tol)


@pytest.mark.parametrize("masks", ["lhs", "rhs", "out", "all", "float"])
def test_block_masked_mm(libs, masks):
    ref, cm = libs
    rng = np.random.default_rng(6)
    a = rng.uniform(-1, 1, (2, 70, 40)).astype(np.float32)
    b = rng.uniform(-1, 1, (2, 40, 100)).astype(np.float32)
    bs = 32
    ml = rng.uniform(size=(2, 3, 2)) < 0.6
    mr = rng.uniform(size=(2, 2, 4)) < 0.6
    mo = rng.uniform(size=(2, 3, 4)) < 0.6
    kw_np = {}
    if masks in ("lhs", "all"):
        kw_np["mask_lhs"] = ml
    if masks in ("rhs", "all"):
        kw_np["mask_rhs"] = mr
    if masks in ("out", "all"):
        kw_np["mask_out"] = mo
    if masks == "float":
        kw_np = {"mask_lhs": rng.uniform(size=(2, 3, 2)).astype(np.float32),
                 "mask_rhs": rng.uniform(size=(2, 2, 4)).astype(np.float32)}
    om = ref.block_masked_mm(ref.array(a), ref.array(b), bs, **{k: ref.array(v) for k, v in kw_np.items()})
    oc = cm.block_masked_mm(cm.array(a), cm.array(b), bs, **{k: cm.array(v) for k, v in kw_np.items()})
    np.testing.assert_allclose(_np(cm, oc), _np(ref, om), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("n", [1, 2, 8, 256, 12, 24, 20, 80, 28, 56])
@pytest.mark.parametrize("dtype", DTYPES)
def test_hadamard_transform(libs, n, dtype):
    ref, cm = libs
    x = np.random.default_rng(n).uniform(-1, 1, (3, n)).astype(np.float32)
    for scale in [None, 0.5]:
        om = ref.hadamard_transform(_to(ref, x, dtype), scale)
        oc = cm.hadamard_transform(_to(cm, x, dtype), scale)
        assert oc.dtype == getattr(cm, dtype)
        tol = 4 * np.log2(2 * n) * EPS[dtype] * np.sqrt(n)
        np.testing.assert_allclose(_np(cm, oc), _np(ref, om), rtol=tol, atol=tol)


ERRORS = [
    ("quantize", lambda M: M.quantize(M.zeros((4, 100)), 64, 4)),       # group size does not divide
    ("quantize", lambda M: M.quantize(M.zeros((4, 64)), 64, 7)),        # bad bits
    ("quantize", lambda M: M.quantize(M.zeros((4, 64)), 16, 4)),        # bad group size
    ("quantize", lambda M: M.quantize(M.zeros((64,)), 64, 4)),          # 1-D
    ("quantize", lambda M: M.quantize(M.zeros((2, 64), M.int32))),      # integer
    ("quantize", lambda M: M.quantize(M.zeros((2, 64)), mode="foo")),
    ("qmm", lambda M: M.quantized_matmul(M.ones((2, 100)), *M.quantize(M.ones((8, 64))))),
    ("qmm", lambda M: M.quantized_matmul(M.ones((2, 64)), *M.quantize(M.ones((8, 64)))[:2])),
    ("qmm", lambda M: M.quantized_matmul(M.ones((2, 64)), *M.quantize(M.ones((8, 64))), bits=8)),
    ("dequantize", lambda M: M.dequantize(*M.quantize(M.ones((8, 64)))[:2])),
    ("dequantize", lambda M: M.dequantize(M.zeros((8, 8), M.int32), M.ones((8, 1)), M.ones((8, 1)))),
    ("hadamard", lambda M: M.hadamard_transform(M.ones((6,)))),
    ("block_masked_mm", lambda M: M.block_masked_mm(M.ones((4, 4)), M.ones((4, 4)), 16, mask_lhs=M.ones((1, 1), M.bool_))),
]


@pytest.mark.parametrize("name,fn", ERRORS, ids=[f"{e[0]}-{i}" for i, e in enumerate(ERRORS)])
def test_errors_match(libs, name, fn):
    ref, cm = libs
    with pytest.raises(ValueError):
        ref.eval(fn(ref))
    with pytest.raises(ValueError):
        cm.eval(fn(cm))


def test_quantized_matmul_gradients(libs):
    ref, cm = libs
    if not hasattr(cm, "vjp"):
        pytest.skip("no vjp on this branch")
    rng = np.random.default_rng(8)
    w = _weights(rng, (32, 128))
    x = rng.uniform(-1, 1, (3, 128)).astype(np.float32)
    cot = rng.uniform(-1, 1, (3, 32)).astype(np.float32)
    qm, sm, bm = ref.quantize(ref.array(w))

    def grads(M, q, s, b):
        _, g = M.vjp(lambda a, s_, b_: M.quantized_matmul(a, q, s_, b_), [M.array(x), s, b], [M.array(cot)])
        return [np.array(v) for v in g]

    gm = grads(ref, qm, sm, bm)
    gc = grads(cm, cm.array(np.array(qm)), cm.array(np.array(sm)), cm.array(np.array(bm)))
    for a, b in zip(gc, gm):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-4)


def test_hadamard_gradient(libs):
    ref, cm = libs
    if not hasattr(cm, "vjp"):
        pytest.skip("no vjp on this branch")
    x = np.random.default_rng(9).uniform(-1, 1, (2, 20)).astype(np.float32)
    c = np.random.default_rng(10).uniform(-1, 1, (2, 20)).astype(np.float32)
    gm = ref.vjp(lambda a: ref.hadamard_transform(a, 0.3), [ref.array(x)], [ref.array(c)])[1][0]
    gc = cm.vjp(lambda a: cm.hadamard_transform(a, 0.3), [cm.array(x)], [cm.array(c)])[1][0]
    np.testing.assert_allclose(np.array(gc), np.array(gm), rtol=1e-5, atol=1e-5)


# ---- the op table entries (optable_quantize.py), drawn by hypothesis ----
from differential import run_op_dtype  # noqa: E402
from optable import OPS  # noqa: E402

TABLE_CASES = [(spec, dtype) for spec in OPS if spec.family == "quantize" for dtype in spec.dtypes]


@pytest.mark.parametrize("spec,dtype", TABLE_CASES, ids=[f"{s.name}-{d}" for s, d in TABLE_CASES])
def test_matches_mlx(libs, spec, dtype):
    ref, cm = libs
    if not spec.available(cm):
        pytest.fail(f"{cm.__name__} has no {spec.name} (C: {spec.c_names})")
    run_op_dtype(ref, cm, spec, dtype)
