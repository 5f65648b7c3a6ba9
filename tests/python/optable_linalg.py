"""Op table entries of the linalg functions (include/cmlx/linalg.h): see optable.py.

norm and cross draw ordinary inputs (make_input, every recipe). The matrix
functions draw well-conditioned matrices so that the result is unique and
stable: inv/solve get R + n I (R uniform in [-1, 1], condition number below
about 3), cholesky gets R R^T + n I, tri_inv/solve_triangular a random
triangle with diagonal entries of magnitude 1..2 (the other triangle is
random too: both sides must ignore it), cholesky_inv a Cholesky factor.
Every dtype is drawn: MLX accepts float32/float64 only for the matrix
functions, and complex64 too for svd, eig/eigvals, eigh/eigvalsh and norm
(others: ValueError on both sides, compared as such). complex64 draws of the
decompositions get an imaginary part uniform in [-1, 1]; the transposes in
the invariants below are conjugate transposes for them (eig's residual is
computed in complex arithmetic).
2-D inputs come contiguous or as a transposed view (base values transposed).

Decompositions whose outputs are not unique (signs of Q/R rows, of singular
vectors and eigenvectors; the order of eig's eigenvalues) are compared through
invariants computed by each library on its own results: QR -> (Q R, Q^T Q,
|R|); SVD -> (U[:, :k] S Vt[:k], S, U^T U, Vt Vt^T); eigh -> (V diag(w) V^T,
w, V^T V); eig -> (power sums sum_i w_i^j for j = 1..n, the residual A V - V
diag(w), the column norms of V). Unique results (singular values, eigvalsh,
lu, lu_factor, pinv, det, slogdet, singular value norms) are compared
directly; decompositions draw R + I_(m x n) (singular values away from 0),
eig/eigh/det square ones.

Tolerances: norm and cross: n terms summed (n = reduced size), 4 n eps of
the output dtype, relative and absolute (scaled by max|x|^ord's range via
max_abs). Matrix functions: LAPACK in another blocking/order than MLX's:
16 n^2 eps for condition numbers below ~3 (entries of the results are
O(1)).
"""

import math

import numpy as np
from hypothesis import strategies as st

from harness import EPS, Case, Inp, make_input, max_abs, out_dtypes
from optable import op, seeds

DTYPES = ["bool", "uint8", "int32", "int64", "float16", "bfloat16", "float32", "float64", "complex64"]
NORM_DTYPES = ["int32", "float16", "bfloat16", "float32", "float64", "complex64"]
RECIPES = ["contig", "contig", "transpose", "step", "broadcast", "newaxis"]

# Known open differences from MLX (test id -> reason), as in conftest.py.
KNOWN_DIVERGENCES = {}


def _eps_of(value):
    outs = [d for d in out_dtypes(value) if d in EPS]
    return max(EPS[d] for d in outs) if outs else 0.0


def tol_sum(case, value, dtype):
    eps = _eps_of(value)
    n = case.meta.get("n", 1)
    m = max_abs(case)
    return 4 * n * eps, 4 * n * eps * max(m, 1.0) ** case.meta.get("power", 1)


def tol_matrix(case, value, dtype):
    eps = _eps_of(value)
    n = case.meta.get("n", 1)
    return 16 * n * n * eps, 16 * n * n * eps


@st.composite
def _norm(draw, dtype):
    nd = draw(st.integers(1, 3))
    shape = tuple(draw(st.integers(1, 4)) for _ in range(nd))
    x = make_input(draw(seeds), shape, dtype, draw(st.sampled_from(RECIPES)))
    kind = draw(st.sampled_from(["none", "vector", "matrix", "fro", "singular"]))
    kw = {}
    if kind == "none":
        if draw(st.booleans()):
            k = draw(st.integers(1, min(2, nd)))
            kw["axis"] = draw(st.permutations(range(-nd, 0)))[:k] if k == 2 else draw(st.integers(-nd, nd - 1))
        reduced = math.prod(shape)
        kw_ord = None
    elif kind == "vector" or nd == 1:
        kw_ord = draw(st.sampled_from([0, 1, 2, 3, -1, 0.5, math.inf, -math.inf]))
        if nd > 1 or draw(st.booleans()):
            kw["axis"] = draw(st.integers(-nd, nd - 1))
        reduced = shape[kw.get("axis", 0)]
    else:
        if kind == "singular":  # through the singular values
            kw_ord = draw(st.sampled_from([2, -2, "nuc"]))
        else:
            kw_ord = "fro" if kind == "fro" else draw(st.sampled_from([1, -1, math.inf, -math.inf]))
        if nd > 2 or draw(st.booleans()):
            kw["axis"] = tuple(draw(st.permutations(range(nd)))[:2])
        ax = kw.get("axis", (0, 1))
        reduced = shape[ax[0]] * shape[ax[1]]
    if kw_ord is not None:
        kw["ord"] = kw_ord
    if draw(st.booleans()):
        kw["keepdims"] = True
    case = Case((x,), kw)
    case.meta["n"] = reduced
    power = kw_ord if isinstance(kw_ord, (int, float)) and math.isfinite(kw_ord) and kw_ord > 1 else 1
    case.meta["power"] = 1 if kw_ord in (None, "fro", 2, -2, "nuc") else power
    if kind == "singular" and nd > 1:
        case.meta["n"] = 16 * reduced  # LAPACK's SVD: O(n^2 eps) backward error
    return case


@st.composite
def _cross(draw, dtype):
    batch = tuple(draw(st.integers(1, 3)) for _ in range(draw(st.integers(0, 2))))
    da, db = draw(st.sampled_from([3, 3, 2])), draw(st.sampled_from([3, 3, 2]))
    axis = draw(st.integers(0, len(batch)))
    sa = batch[:axis] + (da,) + batch[axis:]
    sb = batch[:axis] + (db,) + batch[axis:]
    if batch and draw(st.booleans()):
        sb = sb[1:] if axis > 0 else sb  # broadcasting a shorter b
    a = make_input(draw(seeds), sa, dtype, draw(st.sampled_from(RECIPES)))
    b = make_input(draw(seeds), sb, dtype, draw(st.sampled_from(RECIPES)))
    neg = axis - len(sa)
    case = Case((a, b), {"axis": neg} if (neg != -1 or draw(st.booleans())) else {})
    case.meta["n"], case.meta["power"] = 2, 2
    return case


def _matrix_input(draw, values, dtype):
    """An Inp of the given float values in `dtype` (integers rounded), 2-D ones as a transposed view now and then."""
    if dtype not in ("float16", "bfloat16", "float32", "float64", "complex64"):
        values = np.round(values)
    if values.ndim == 2 and draw(st.booleans()):
        return Inp(np.ascontiguousarray(values.T), dtype, ("transpose",))
    return Inp(values, dtype)


def _square(draw, kind):
    n = draw(st.integers(1, 5))  # MLX 0.32 dies (SIGFPE) inverting a 0 x 0 matrix
    batch = tuple(draw(st.integers(1, 3)) for _ in range(draw(st.integers(0, 2))))
    rng = np.random.default_rng(draw(seeds))
    r = rng.uniform(-1, 1, batch + (n, n))
    eye = np.eye(n)
    if kind == "general":
        a = r + n * eye
    elif kind == "spd":
        a = r @ np.swapaxes(r, -1, -2) + n * eye
    else:  # triangular-ish: random, with a well-scaled diagonal
        sign = rng.choice([-1.0, 1.0], batch + (n,))
        d = sign * rng.uniform(1, 2, batch + (n,))
        a = r * (1 - eye) + d[..., None] * eye
    return a, n, batch, rng


def _matrix(kind, with_upper=False, factor=False):
    def strategy(dtype):
        @st.composite
        def s(draw):
            a, n, _, _ = _square(draw, kind)
            if factor:  # a Cholesky factor of an SPD matrix
                a = np.linalg.cholesky(a) if n else a
                if draw(st.booleans()):
                    a = np.swapaxes(a, -1, -2).copy()
                    kw = {"upper": True}
                else:
                    kw = {}
            else:
                kw = {"upper": True} if with_upper and draw(st.booleans()) else {}
            case = Case((_matrix_input(draw, a, dtype),), kw)
            case.meta["n"] = max(n, 1) * (4 if factor else 1)
            return case
        return s()
    return strategy


def _solve(kind):
    def strategy(dtype):
        @st.composite
        def s(draw):
            a, n, batch, rng = _square(draw, kind)
            # MLX 0.32's LU-based solve fails (take_along_axis) unless a and b have the same batch axes
            form = "batch" if (kind == "general" and batch) else draw(st.sampled_from(["vector", "matrix", "batch"]))
            if form == "vector":
                b = rng.uniform(-1, 1, (n,))
            elif form == "matrix":
                b = rng.uniform(-1, 1, (n, draw(st.integers(1, 3))))
            else:
                b = rng.uniform(-1, 1, batch + (n, draw(st.integers(1, 3))))
            kw = {"upper": True} if kind == "triangular" and draw(st.booleans()) else {}
            case = Case((_matrix_input(draw, a, dtype), _matrix_input(draw, b, dtype)), kw)
            case.meta["n"] = max(n, 1)
            return case
        return s()
    return strategy


op("linalg.norm", "linalg", _norm, tol_sum, NORM_DTYPES,
   c_names="mx_linalg_norm mx_linalg_norm_ord mx_linalg_norm_str")
op("linalg.cross", "linalg", _cross, tol_sum, ["int32", "int64", "float16", "bfloat16", "float32", "float64",
                                                "complex64"])
op("linalg.inv", "linalg", _matrix("general"), tol_matrix, DTYPES)
op("linalg.tri_inv", "linalg", _matrix("triangular", with_upper=True), tol_matrix, DTYPES)
op("linalg.cholesky", "linalg", _matrix("spd", with_upper=True), tol_matrix, DTYPES)
op("linalg.cholesky_inv", "linalg", _matrix("spd", factor=True), tol_matrix, DTYPES)
op("linalg.solve", "linalg", _solve("general"), tol_matrix, DTYPES)
op("linalg.solve_triangular", "linalg", _solve("triangular"), tol_matrix, DTYPES)


# ---- decompositions ----------------------------------------------------------------------


def _rect(dtype_filter=None, square=False, max_n=5):
    """(batch..., m, n) R + I_(m x n); square ones when `square`."""
    def strategy(dtype):
        @st.composite
        def s(draw):
            m = draw(st.integers(1, max_n))
            n = m if square else draw(st.integers(1, max_n))
            batch = tuple(draw(st.integers(1, 3)) for _ in range(draw(st.integers(0, 2))))
            rng = np.random.default_rng(draw(seeds))
            a = rng.uniform(-1, 1, batch + (m, n)) + max(m, n) * np.eye(m, n) * rng.choice([-1.0, 1.0])
            if dtype == "complex64":  # a genuinely complex matrix (the dominant diagonal stays real)
                a = a + 1j * rng.uniform(-1, 1, batch + (m, n))
            kw = dtype_filter(draw) if dtype_filter else {}
            case = Case((_matrix_input(draw, a, dtype),), kw)
            case.meta["n"] = max(m, n)
            return case
        return s()
    return strategy


def _mT(M, x):
    return M.swapaxes(x, -1, -2)


def _mH(M, x):
    """The conjugate transpose (the transpose of a real matrix)."""
    return M.conj(_mT(M, x)) if x.dtype == M.complex64 else _mT(M, x)


def _qr(M, a):
    q, r = M.linalg.qr(a)
    return q @ r, _mT(M, q) @ q, M.abs(r)


def _svd(M, a, **kw):
    if kw.get("compute_uv", True) is False:
        return M.linalg.svd(a, **kw)
    u, s, vt = M.linalg.svd(a, **kw)
    k = s.shape[-1]
    return (u[..., :k] * s[..., None, :]) @ vt[..., :k, :], s, _mH(M, u) @ u, vt @ _mH(M, vt)


def _eigh(M, a, **kw):
    w, v = M.linalg.eigh(a, **kw)
    return (v * w[..., None, :]) @ _mH(M, v), w, _mH(M, v) @ v


def _power_sums(M, w):
    n = w.shape[-1]
    p, sums = w, []
    for _ in range(n):
        sums.append(M.sum(p, axis=-1))
        p = p * w
    return M.stack(sums, -1)


def _eig(M, a):
    w, v = M.linalg.eig(a)
    vr, vi, wr, wi = M.real(v), M.imag(v), M.real(w)[..., None, :], M.imag(w)[..., None, :]
    if a.dtype == M.complex64:  # A V - V diag(w) in complex arithmetic
        resid = a @ v - v * w[..., None, :]
        resid_r, resid_i = M.real(resid), M.imag(resid)
    else:
        resid_r = a @ vr - (vr * wr - vi * wi)
        resid_i = a @ vi - (vr * wi + vi * wr)
    return _power_sums(M, w), resid_r, resid_i, M.sum(vr * vr + vi * vi, axis=-2)


def _eigvals(M, a):
    return _power_sums(M, M.linalg.eigvals(a))


def _uplo(draw):
    return draw(st.sampled_from([{}, {"UPLO": "L"}, {"UPLO": "U"}]))


def _compute_uv(draw):
    return draw(st.sampled_from([{}, {"compute_uv": True}, {"compute_uv": False}]))


def tol_decomp(case, value, dtype):
    """LAPACK's decompositions have backward errors O(n eps) per entry; products of the factors
    and power sums of eigenvalues (up to (2n)^n) add n terms: 16 n^2 eps relative and absolute."""
    eps = _eps_of(value)
    n = case.meta.get("n", 1)
    return 16 * n * n * eps, 16 * n * n * eps


op("linalg.qr", "linalg", _rect(), tol_decomp, DTYPES, call=_qr, c_names="mx_linalg_qr")
op("linalg.svd", "linalg", _rect(_compute_uv), tol_decomp, DTYPES, call=_svd, c_names="mx_linalg_svd")
op("linalg.pinv", "linalg", _rect(), tol_decomp, DTYPES)
op("linalg.lu", "linalg", _rect(), tol_decomp, DTYPES)
op("linalg.lu_factor", "linalg", _rect(), tol_decomp, DTYPES)
op("linalg.eigh", "linalg", _rect(_uplo, square=True), tol_decomp, DTYPES, call=_eigh, c_names="mx_linalg_eigh")
op("linalg.eigvalsh", "linalg", _rect(_uplo, square=True), tol_decomp, DTYPES)
op("linalg.eig", "linalg", _rect(square=True), tol_decomp, DTYPES, call=_eig, c_names="mx_linalg_eig")
op("linalg.eigvals", "linalg", _rect(square=True), tol_decomp, DTYPES, call=_eigvals, c_names="mx_linalg_eigvals")
def tol_det(case, value, dtype):
    """MLX 0.32's det of a float64 matrix of size >= 4 (the LU path) comes back rounded to float32
    precision (measured: det of a 4 x 4 agrees with NumPy to 2e-8 relative, not 1e-16; cmlx keeps
    float64): those cases are compared at float32's eps, everything else as tol_decomp."""
    n = case.meta.get("n", 1)
    if dtype == "float64" and n >= 4:
        return 16 * n * n * EPS["float32"], 16 * n * n * EPS["float32"]
    return tol_decomp(case, value, dtype)


op("linalg.det", "linalg", _rect(square=True), tol_det, DTYPES)
op("linalg.slogdet", "linalg", _rect(square=True), tol_decomp, DTYPES)

KNOWN_DIVERGENCES["test_matches_mlx[linalg.eig-complex64]"] = (
    "MLX 0.32.4 returns the complex conjugates of the eigenvectors of a complex64 matrix (its A V - V diag(w) is "
    "not 0; A conj(V) = conj(V) diag(w) holds); cmlx returns cgeev's right eigenvectors, as NumPy "
    "(test_eig_complex_against_numpy)")
