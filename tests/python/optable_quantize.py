"""Op table entries of the quantize functions (include/cmlx/quantize.h): see optable.py.

Dtypes: float32, float16, bfloat16 (MLX's CPU quantized kernels have no others; gather_mm float32 only,
MLX 0.32's CPU GatherMM raises for the rest). Packed operands are drawn as random uint32 words (every
word is a valid packing) with random scales and biases; quantize draws weights whose last dim is a
multiple of the group size. Every bits/group_size combination MLX supports is drawn.

Tolerances: quantize and dequantize are bit-exact (tol_exact). Products sum K terms: 4 K eps of the
output dtype relative to the largest |x| * |w| sum (eps of float32 for float32; for float16/bfloat16 MLX's
generic kernels accumulate in the storage type, so 4 sqrt(K) eps_T of the same scale plus a rounding).
hadamard: log2(n) additions of magnitude sqrt(n) max|a|. More cases (gradients, errors, exact layouts)
are in test_differential_quantize.py."""

import numpy as np
from hypothesis import strategies as st

from harness import EPS, Case, Domain, max_abs, make_input  # noqa: F401
from optable import NO_MLX_PYTHON_NAME, op, seeds, tol_exact  # noqa: F401

FLOATS = ["float32", "float16", "bfloat16"]
DOM = Domain(flo=-2.0, fhi=2.0, ilo=0, ihi=1 << 30, specials=False)
BITS = [1, 2, 3, 4, 5, 6, 8]
GROUPS = [32, 64, 128]

# Known open differences from MLX (test id -> reason), as in conftest.py.
KNOWN_DIVERGENCES = {}


def tol_qmm(case, value, dtype):
    k = case.meta.get("k", 1)
    scale = case.meta.get("scale", 1.0)
    if dtype == "float32":
        t = 4 * k * EPS["float32"] * scale
    else:
        t = (4 * np.sqrt(k) + 2) * EPS[dtype] * scale
    return t, t


def tol_hadamard(case, value, dtype):
    n = case.meta.get("n", 1)
    t = 4 * np.log2(2 * n) * EPS[dtype] * np.sqrt(n) * max(max_abs(case), 1.0)
    return t, t


def _packed(draw, rows, k, bits, gs, dtype):
    w = make_input(draw(seeds), (rows, k * bits // 32), "uint32", "contig", DOM)
    s = make_input(draw(seeds), (rows, k // gs), dtype, "contig", Domain(flo=-0.1, fhi=0.1, specials=False))
    b = make_input(draw(seeds), (rows, k // gs), dtype, "contig", Domain(flo=-1.0, fhi=1.0, specials=False))
    return w, s, b


def _quantize(dtype):
    @st.composite
    def s(draw):
        gs, bits = draw(st.sampled_from(GROUPS)), draw(st.sampled_from(BITS))
        w = make_input(draw(seeds), (draw(st.integers(1, 4)), gs * draw(st.integers(1, 3))), dtype,
                       draw(st.sampled_from(["contig", "transpose", "step"])), DOM)
        return Case((w,), {"group_size": gs, "bits": bits})
    return s()


def _dequantize(dtype):
    @st.composite
    def s(draw):
        gs, bits = draw(st.sampled_from(GROUPS)), draw(st.sampled_from(BITS))
        w, sc, b = _packed(draw, draw(st.integers(1, 4)), gs * draw(st.integers(1, 3)), bits, gs, dtype)
        return Case((w, sc, b), {"group_size": gs, "bits": bits})
    return s()


def _qmm(dtype):
    @st.composite
    def s(draw):
        gs, bits = draw(st.sampled_from(GROUPS)), draw(st.sampled_from([2, 3, 4, 6, 8]))
        transpose = draw(st.booleans())
        k = gs * draw(st.integers(1, 3))
        rows = draw(st.sampled_from([1, 3, 12]))
        if transpose:
            n = draw(st.integers(1, 9))
            w, sc, b = _packed(draw, n, k, bits, gs, dtype)
            xk = k
        else:
            w, sc, b = _packed(draw, draw(st.integers(1, 40)), k, bits, gs, dtype)
            xk = w.values.shape[0]
        x = make_input(draw(seeds), (rows, xk), dtype, draw(st.sampled_from(["contig", "transpose"])),
                       Domain(flo=-1.0, fhi=1.0, specials=False))
        case = Case((x, w, sc, b), {"transpose": transpose, "group_size": gs, "bits": bits})
        case.meta["k"] = xk
        case.meta["scale"] = xk * (0.1 * 255 + 1.0)
        return case
    return s()


def _gather_qmm(dtype):
    @st.composite
    def s(draw):
        gs, bits = 64, draw(st.sampled_from([4, 8]))
        e, k, n, m = draw(st.integers(1, 3)), 128, draw(st.integers(1, 6)), draw(st.integers(1, 3))
        w = make_input(draw(seeds), (e, n, k * bits // 32), "uint32", "contig", DOM)
        sc = make_input(draw(seeds), (e, n, k // gs), dtype, "contig", Domain(flo=-0.1, fhi=0.1, specials=False))
        b = make_input(draw(seeds), (e, n, k // gs), dtype, "contig", Domain(flo=-1.0, fhi=1.0, specials=False))
        x = make_input(draw(seeds), (2, m, k), dtype, "contig", Domain(flo=-1.0, fhi=1.0, specials=False))
        cnt = draw(st.integers(1, 4))
        lhs = np.array(draw(st.lists(st.integers(0, 1), min_size=cnt, max_size=cnt)), np.uint32)
        rhs = np.array(draw(st.lists(st.integers(0, e - 1), min_size=cnt, max_size=cnt)), np.uint32)
        from harness import Inp
        li, ri = Inp(lhs, "uint32"), Inp(rhs, "uint32")
        case = Case((x, w, sc, b), {"lhs_indices": li, "rhs_indices": ri, "group_size": gs, "bits": bits})
        case.meta["k"] = k
        case.meta["scale"] = k * (0.1 * 255 + 1.0)
        return case
    return s()


def _gather_mm(dtype):
    @st.composite
    def s(draw):
        m, k, n = draw(st.integers(1, 4)), draw(st.integers(1, 8)), draw(st.integers(1, 5))
        a = make_input(draw(seeds), (3, m, k), dtype, "contig", Domain(flo=-1.0, fhi=1.0, specials=False))
        b = make_input(draw(seeds), (2, k, n), dtype, "contig", Domain(flo=-1.0, fhi=1.0, specials=False))
        cnt = draw(st.integers(1, 4))
        from harness import Inp
        lhs = Inp(np.array(draw(st.lists(st.integers(0, 2), min_size=cnt, max_size=cnt)), np.uint32), "uint32")
        rhs = Inp(np.array(draw(st.lists(st.integers(0, 1), min_size=cnt, max_size=cnt)), np.uint32), "uint32")
        case = Case((a, b, lhs, rhs))
        case.meta["k"] = k
        case.meta["scale"] = k
        return case
    return s()


def _block_masked_mm(dtype):
    @st.composite
    def s(draw):
        bs = draw(st.sampled_from([32, 64]))
        m, k, n = draw(st.integers(1, 70)), draw(st.integers(1, 70)), draw(st.integers(1, 70))
        a = make_input(draw(seeds), (m, k), dtype, "contig", Domain(flo=-1.0, fhi=1.0, specials=False))
        b = make_input(draw(seeds), (k, n), dtype, "contig", Domain(flo=-1.0, fhi=1.0, specials=False))
        cb = lambda v: (v + bs - 1) // bs  # noqa: E731
        kw = {}
        for name, shape in [("mask_lhs", (cb(m), cb(k))), ("mask_rhs", (cb(k), cb(n))), ("mask_out", (cb(m), cb(n)))]:
            if draw(st.booleans()):
                kw[name] = make_input(draw(seeds), shape, "bool", "contig")
        case = Case((a, b, bs), kw)
        case.meta["k"] = k
        case.meta["scale"] = k
        return case
    return s()


def _hadamard(dtype):
    @st.composite
    def s(draw):
        n = draw(st.sampled_from([1, 2, 4, 16, 64, 12, 24, 20, 40, 28, 56]))
        a = make_input(draw(seeds), (draw(st.integers(1, 3)), n), dtype,
                       draw(st.sampled_from(["contig", "transpose", "step"])), Domain(flo=-1.0, fhi=1.0))
        kw = {"scale": draw(st.sampled_from([0.5, 1.0]))} if draw(st.booleans()) else {}
        case = Case((a,), kw)
        case.meta["n"] = n
        return case
    return s()


op("quantize", "quantize", _quantize, tol_exact, dtypes=FLOATS)
op("dequantize", "quantize", _dequantize, tol_exact, dtypes=FLOATS)
op("quantized_matmul", "quantize", _qmm, tol_qmm, dtypes=FLOATS)
op("gather_qmm", "quantize", _gather_qmm, tol_qmm, dtypes=FLOATS)
op("gather_mm", "quantize", _gather_mm, tol_qmm, dtypes=["float32"])
op("block_masked_mm", "quantize", _block_masked_mm, tol_qmm, dtypes=["float32"])
op("hadamard_transform", "quantize", _hadamard, tol_hadamard, dtypes=FLOATS)
