"""Op table entries of the fast functions (include/cmlx/fast.h): see optable.py.

mx.fast.rms_norm, layer_norm, rope and scaled_dot_product_attention, drawn in
every dtype (MLX rejects the integer, bool and complex ones for x / q, k, v),
with MLX's optional arguments (None weights and biases, base or freqs, int or
array offsets, no mask / "causal" / boolean / additive masks, sinks), grouped
query heads, query and key lengths that differ, strided and broadcast views,
and now and then an invalid argument (the exception class must match).

Tolerances (docs/fast.md): MLX's CPU backend evaluates these as composites of
float32 ops, cmlx as fused float32 kernels, so they differ by the order of
float32 accumulations (rows of L terms, dot products of D terms, sums over
the keys) and, for float16/bfloat16, by where intermediates are rounded to
the half type. MLX computes float64 inputs of the norms and rope through
float32 too, so float64 gets the float32 tolerance there.
"""

import math

from hypothesis import strategies as st

from harness import EPS, Case, Domain, max_abs, out_dtypes
from optable import NO_MLX_PYTHON_NAME, array, make_input, op, seeds, shapes  # noqa: F401

# Known open differences from MLX (test id -> reason), as in conftest.py.
KNOWN_DIVERGENCES = {}

FLOATS = ("float16", "bfloat16", "float32", "float64")


@st.composite
def farray(draw, dtype, shape, dom=Domain()):
    """optable.array, contiguous when empty: MLX 0.32 hangs reducing an empty
    strided array (layer_norm of mx.zeros((0, 3, 4)).T never returns)."""
    return draw(array(dtype, shape, dom, contiguous=0 in tuple(shape)))


def rare(draw, n):
    """True about once in n draws. (Hypothesis favours the ends of a range, so an
    interior value keeps invalid arguments rare and most cases computing.)"""
    return draw(st.integers(0, n - 1)) == n // 2
EPS32 = EPS["float32"]


def _out_eps(value):
    """eps of the output dtype, float32's for float64 (MLX computes through float32)."""
    outs = [d for d in out_dtypes(value) if d in EPS]
    if not outs:
        return None
    return max(EPS[d] if d in ("float16", "bfloat16") else EPS32 for d in outs)


def _half_out(value):
    return any(d in ("float16", "bfloat16") for d in out_dtypes(value))


# ---- rms_norm, layer_norm ---------------------------------------------------------------------------

def tol_norm(roundings):
    """float32 sums of L squares (MLX's mean and cmlx's row loop add in different
    orders): relative error ~ L eps32; half outputs are rounded after each of
    `roundings` steps on both sides, and a difference in the unrounded value can
    flip each rounding (one ulp each). The absolute part covers outputs near zero
    where a bias cancels n * w (|n| <= sqrt(L))."""
    def tol(case, value, dtype):
        e = _out_eps(value)
        if e is None:
            return 0.0, 0.0
        L = case.meta["L"]
        rtol = 4 * max(L, 1) * EPS32 + ((roundings + 1) * e if _half_out(value) else 0.0)
        return rtol, rtol * (math.sqrt(max(L, 1)) + 1) * max_abs(case)
    return tol


# No broadcast views for x: a row of equal values has variance ~0, and layer_norm
# then multiplies the rounding of its mean by 1/sqrt(eps) (an ill-conditioned case
# where neither library is accurate).
X_RECIPES = st.sampled_from(["contig", "transpose", "step", "newaxis"])
NORM_EPS = st.sampled_from([1e-5, 1e-4, 0.1])


def _x_for_norm(draw, dtype, min_nd=1):
    shape = list(draw(shapes(min_nd, 3)))
    if shape and draw(st.integers(0, 3)) == 0:
        shape[-1] = draw(st.sampled_from([17, 64, 130]))  # the 16-lane loops and their tails
    recipe = "contig" if 0 in shape else draw(X_RECIPES)  # see farray
    return make_input(draw(seeds), tuple(shape), dtype, recipe), shape


def _param_dtype(draw, dtype):
    """The weight/bias dtype: usually x's (a float one for integer x), now and then another float."""
    if dtype not in FLOATS or draw(st.integers(0, 4)) == 0:
        return draw(st.sampled_from(FLOATS))
    return dtype


def _affine(draw, dtype, L, present):
    if not present:
        return None
    shape = (L,)
    if rare(draw, 24):
        shape = (L + 1,)  # MLX: ValueError
    elif rare(draw, 24):
        shape = (1, L)
    return draw(farray(_param_dtype(draw, dtype), shape, Domain(flo=-3, fhi=3)))


def _rms_norm(dtype):
    @st.composite
    def s(draw):
        if rare(draw, 24):  # 0-d input: MLX raises
            x, shape = draw(farray(dtype, ())), []
        else:
            x, shape = _x_for_norm(draw, dtype)
        L = shape[-1] if shape else 1
        w = _affine(draw, dtype, L, draw(st.integers(0, 3)) > 0)
        case = Case((x, w, draw(NORM_EPS)))
        case.meta["L"] = L
        return case
    return s()


def _layer_norm(dtype):
    @st.composite
    def s(draw):
        x, shape = _x_for_norm(draw, dtype)
        L = shape[-1]
        w = _affine(draw, dtype, L, draw(st.booleans()))
        b = _affine(draw, dtype, L, draw(st.booleans()))
        case = Case((x, w, b, draw(NORM_EPS)))
        case.meta["L"] = L
        return case
    return s()


op("fast.rms_norm", "fast", _rms_norm, tol_norm(2))
op("fast.layer_norm", "fast", _layer_norm, tol_norm(3))


# ---- rope ----------------------------------------------------------------------------------------------

TRANSC32 = 2e-6


def tol_rope(case, value, dtype):
    """Angles theta = pos / freq in float32: MLX's exp (for base^(-2k/dims)) and
    its sin/cos are its own approximations, a few ulps from libm's: the angle is
    off by ~4 eps32 |theta| (|theta| <= max position) and sin/cos by ~2e-6.
    Output = x1 c - x2 s: |err| <= 2 max|x| (angle error + sin/cos error); half
    outputs: MLX rounds cos, sin, both products and the sum to the half type
    (cmlx: cos, sin and the result), ~3 ulps of max|x|."""
    e = _out_eps(value)
    if e is None:
        return 0.0, 0.0
    angle = 4 * EPS32 * case.meta["max_pos"] + TRANSC32
    atol = max_abs(case) * (2 * angle + (3 * e if _half_out(value) else 0.0))
    return (3 * e if _half_out(value) else 2 * angle), atol


OFFSET_DTYPES = ["int32", "int64", "uint32", "int16", "uint8"]


def _rope(dtype):
    @st.composite
    def s(draw):
        nd = 2 if rare(draw, 24) else draw(st.sampled_from([3, 4, 4, 5]))
        D = draw(st.sampled_from([2, 4, 6, 8, 16]))
        shape = list(draw(shapes(nd - 1, nd - 1, st.sampled_from([1, 2, 3, 5])))) + [D]
        if nd >= 2 and draw(st.integers(0, 5)) == 0:
            shape[-2] = 0 if draw(st.booleans()) else 40  # empty, or a longer sequence
        x = draw(farray(dtype, tuple(shape)))
        dims = draw(st.sampled_from([D, D, max(D - 2, 2), 2]))
        if rare(draw, 24):
            dims = D + 2  # MLX: ValueError
        elif rare(draw, 24):
            dims = 3
        B = shape[0]
        kind = draw(st.integers(0, 3))
        if kind == 0:
            offset = draw(st.integers(-3, 20))
        else:
            odt = draw(st.sampled_from(OFFSET_DTYPES))
            oshape = () if kind == 1 else (B,)
            if rare(draw, 24):
                odt = draw(st.sampled_from(["float32", "bool"]))  # MLX: ValueError
            if rare(draw, 24):
                oshape = (B + 1,)
            offset = draw(array(odt, oshape, Domain(ilo=0, ihi=20, flo=0, fhi=20, specials=False), contiguous=True))
        kw = {"traditional": draw(st.booleans()), "scale": draw(st.sampled_from([1.0, 0.5, 2.0])), "offset": offset}
        if draw(st.booleans()):
            kw["base"] = draw(st.sampled_from([10000.0, 10.0, 500.0]))
        else:
            kw["base"] = None
            fshape = (dims // 2 + 1,) if rare(draw, 24) else (max(dims // 2, 1),)
            kw["freqs"] = draw(farray(draw(st.sampled_from(["float32", "float32", "float16", "float64"])), fshape,
                                     Domain(flo=0.5, fhi=100.0, specials=False)))
        case = Case((x, dims), kw)
        T = shape[-2] if nd >= 2 else 1
        case.meta["max_pos"] = (T + 20) * 2.0 * (2.0 if kw["base"] is None else 1.0)
        return case
    return s()


op("fast.rope", "fast", _rope, tol_rope, c_names="mx_fast_rope, mx_fast_rope_offset")


# ---- scaled_dot_product_attention --------------------------------------------------------------------------

def tol_sdpa(case, value, dtype):
    """Scores S = (scale q) . k: float32 dot products of D terms in a different
    order (|dS| ~ 4 D eps32 max|S|); half types: MLX rounds scale q, the scores,
    the mask sum and the probabilities to the half type, cmlx only the output
    (|dS| ~ 3 e max|S| + e max|mask|). A score error dS changes each probability
    by a factor exp(+-2 dS); the output (a convex combination of value rows)
    moves by ~2 dS max|v|, plus the float32 sums over Tk keys and the final
    rounding of P and O (2 e)."""
    e = _out_eps(value)
    if e is None:
        return 0.0, 0.0
    m = case.meta
    smax = abs(m["scale"]) * m["D"] * m["qmax"] * m["kmax"]
    half = _half_out(value)
    dS = 4 * max(m["D"], 1) * EPS32 * smax + (3 * e * smax + e * m["maskmax"] if half else 0.0)
    err = 2 * dS + 4 * max(m["Tk"], 1) * EPS32 + 2e-6 + (2 * e if half else 0.0)
    return err, err * m["vmax"]


SDPA_DOMAIN = Domain(flo=-1.0, fhi=1.0)  # |scores| stay small, so half-type rounding of them stays small


def _sdpa(dtype):
    @st.composite
    def s(draw):
        B = draw(st.sampled_from([1, 2]))
        n_kv = draw(st.sampled_from([1, 2]))
        n_q = n_kv * draw(st.sampled_from([1, 2, 3]))
        big = draw(st.integers(0, 7)) == 0
        Tq = draw(st.sampled_from([70, 1] if big else [1, 2, 3, 5, 0]))
        Tk = draw(st.sampled_from([300, 7] if big else [1, 2, 4, 6, 0]))
        D = draw(st.sampled_from([1, 3, 4, 8]))
        Dv = D if draw(st.booleans()) else draw(st.sampled_from([1, 2, 5]))
        qs, ks, vs = [B, n_q, Tq, D], [B, n_kv, Tk, D], [B, n_kv, Tk, Dv]
        bad = draw(st.integers(0, 39))
        if bad == 20:
            qs[1] = n_kv * 2 + 1 if n_kv == 2 else qs[1]  # not a multiple (when n_kv = 2)
        elif bad == 21:
            ks[3] = D + 1
        elif bad == 22:
            vs[2] = Tk + 1
        elif bad == 23:
            qs = qs[1:]  # rank 3
        elif bad == 24:
            ks[0] = B + 1
        dts = [dtype] * 3
        if dtype in FLOATS and draw(st.integers(0, 5)) == 0:
            dts[draw(st.integers(0, 2))] = draw(st.sampled_from(FLOATS))  # promotion
        q = draw(farray(dts[0], tuple(qs), SDPA_DOMAIN))
        k = draw(farray(dts[1], tuple(ks), SDPA_DOMAIN))
        v = draw(farray(dts[2], tuple(vs), SDPA_DOMAIN))
        scale = draw(st.sampled_from([1.0 / math.sqrt(max(D, 1)), 1.0, 0.3]))
        kw = {"scale": scale}
        kind = draw(st.sampled_from(["none", "causal", "bool", "additive"]))
        maskmax = 0.0
        full = [B, n_q, Tq, Tk]
        mshape = tuple(1 if draw(st.booleans()) else d for d in full)[draw(st.integers(0, 3)):]
        if kind == "causal":
            kw["mask"] = "causal"
        elif kind == "bool":
            kw["mask"] = draw(farray("bool", mshape))
        elif kind == "additive":
            out = dtype if dtype in FLOATS else "float32"
            mdt = draw(st.sampled_from({"float32": ["float32", "float16", "bfloat16"],
                                        "float64": ["float64", "float32"]}.get(out, [out])))
            if rare(draw, 16):
                mdt = "float64" if out != "float64" else "int32"  # float64: MLX raises; int32 promotes
            kw["mask"] = draw(farray(mdt, mshape, Domain(flo=-3.0, fhi=1.0)))
            maskmax = 3.0
        if kind != "none" and rare(draw, 32):
            kw["mask"] = "window" if kind == "causal" else draw(farray("bool", (Tq + 1, Tk)))  # MLX: ValueError
        if draw(st.integers(0, 3)) == 0:
            out = dtype if dtype in FLOATS else "float32"
            sshape = (n_q + 1,) if rare(draw, 16) else (n_q,)
            kw["sinks"] = draw(farray(out, sshape, Domain(flo=-1.0, fhi=2.0)))
        case = Case((q, k, v), kw)
        vals = [max_abs(Case((x,))) for x in (q, k, v)]
        case.meta.update(scale=scale, D=D, Tk=Tk, qmax=vals[0], kmax=vals[1], vmax=vals[2], maskmax=maskmax)
        return case
    return s()


op("fast.scaled_dot_product_attention", "fast", _sdpa, tol_sdpa)
