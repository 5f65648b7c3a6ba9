"""Op table entries of the conv functions (include/cmlx/conv.h): see optable.py.

Every function is drawn for all 14 dtypes: the dtype is the input's. Integer,
bool and complex inputs are MLX ValueErrors ("only floating point types"),
except complex64, which draws a float32 input with a complex64 weight (a
divergence, below). The weight mostly shares the input's dtype and now and
then has another one (float16/float32/int32/bool), so MLX's promotion is
compared too. Strides, paddings (negative ones too where MLX allows them),
dilations, input dilations, output paddings, groups and flips are drawn per
spatial dim, as ints or as tuples/lists; inputs come as views (transposed,
strided, broadcast) like every other table entry. One case in 12 has a
channel mismatch or bad groups (ValueError on both sides).

Domain exclusion: when the padded input is shorter than the kernel's extent
by less than the stride, MLX (truncating division) still makes one output
whose taps past the end read memory outside the input (undefined values;
measured: conv1d(2 * ones((1, 3, 1)), ones((1, 4, 1)), stride=3) gives 7, cmlx
gives 6 = the taps inside). The strategies lengthen such inputs.

Domain exclusion: MLX 0.32's CPU backend evaluates float64 convolutions
only without kernel or input dilation and with groups = 1 (1-D: also
groups > 1 without flip); elsewhere it raises "[Convolution::eval] got
unsupported data type" at eval. cmlx computes those too (C tests check them
against a float64 reference); the float64 strategies draw only what MLX can
evaluate (for the transposed convolutions: stride 1, dilation 1, groups 1).

Tolerance: accumulation over n = K * C_in/groups products of values in
[-2, 2]: 4 n eps max|x|^2 absolute and 4 n eps relative, eps of the output
dtype (float16/bfloat16 results are rounded once from float32 sums), except
float64, where MLX 0.32 computes in float32 (measured: conv1d of [-0.92085...]
with itself gives 0.84797048568..., the float32 product; cmlx gives the
float64 one, 0.84797050170...), so float64 results are held to float32's eps.
"""

import math

from hypothesis import strategies as st

from harness import EPS, Case, Domain, DT, make_input, max_abs, out_dtypes  # noqa: F401
from optable import NO_MLX_PYTHON_NAME, op, seeds  # noqa: F401

CONV_DOMAIN = Domain(flo=-2.0, fhi=2.0, ilo=-3, ihi=3, specials=False)
FLOATS = ("float16", "bfloat16", "float32", "float64")
RECIPES = ["contig", "contig", "transpose", "step", "broadcast", "newaxis"]

# Known open differences from MLX (test id -> reason), as in conftest.py.
KNOWN_DIVERGENCES = {
    f"test_matches_mlx[{name}-complex64]": (
        "MLX 0.32 convolves only the real part of a complex64 weight (the imaginary part of the result is 0); "
        "cmlx convolves both parts (C test test_dtypes)")
    for name in ("conv1d", "conv2d", "conv3d", "conv_general", "conv_transpose1d", "conv_transpose2d",
                 "conv_transpose3d")
}


def tol_conv(case, value, dtype):
    """Sums of n products in another order; MLX's float64 convolutions are float32-accurate."""
    outs = [d for d in out_dtypes(value) if d in EPS]
    if not outs:
        return 0.0, 0.0
    eps = max(EPS["float32"] if d == "float64" else EPS[d] for d in outs)
    n = case.meta.get("n", 1)
    return 4 * eps * n, 4 * eps * n * max_abs(case) ** 2


def _mlx_len(L, K, s, lo, hi, kd, idil):
    """MLX's output length after its cropping of negative padding; None in the
    excluded zone (padded shorter than the extent by less than the stride)."""
    start = min(max(-lo, 0), L)
    stop = max(L + min(hi, 0), start)
    Lc = stop - start
    padded = (Lc - 1) * idil + 1 + max(lo, 0) + max(hi, 0)
    extent = (K - 1) * kd + 1
    if padded >= extent:
        return (padded - extent) // s + 1
    if padded - extent <= -s:
        return -1  # MLX's ValueError
    return None


def _fit_length(draw, K, s, lo, hi, kd, idil, max_len):
    """An input length in 1..max_len+extent that gives a valid output."""
    L = draw(st.integers(1, max_len))
    for _ in range(64):
        n = _mlx_len(L, K, s, lo, hi, kd, idil)
        if n is not None and n >= 1:
            return L
        L += 1
    return L


@st.composite
def _operands(draw, dtype, xshape, wshape):
    """(input, weight) Inps: the input a view of `dtype`, the weight mostly the same dtype."""
    in_dtype, w_dtype = dtype, dtype
    if dtype == "complex64":
        in_dtype = "float32"
    elif dtype in FLOATS and draw(st.integers(0, 5)) == 0:
        w_dtype = draw(st.sampled_from(["float32", "float16", "int32", "bool", "bfloat16"]))
    x = make_input(draw(seeds), xshape, in_dtype, draw(st.sampled_from(RECIPES)), CONV_DOMAIN)
    w = make_input(draw(seeds), wshape, w_dtype, draw(st.sampled_from(["contig", "contig", "transpose"])), CONV_DOMAIN)
    return x, w


@st.composite
def _channels(draw, d, allow_groups):
    """(groups, C_in, C_out, weight C_in) with one bad combination in 12."""
    groups = draw(st.sampled_from([1, 1, 2, 3])) if allow_groups else 1
    cig, cog = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    cin, cout, wcin = cig * groups, cog * groups, cig
    if draw(st.integers(0, 11)) == 0:
        bad = draw(st.sampled_from(["cin", "groups", "cout"]))
        if bad == "cin":
            wcin += 1
        elif bad == "groups":
            groups = cin + 1 if cin > 1 else 2
        elif groups > 1:
            cout += 1
        else:
            wcin += 1
    return groups, cin, cout, wcin


def _pack(values, d, as_list=False):
    """An int when every dim has the same value (half the time), else a tuple (or list)."""
    if d == 1:
        return values[0] if not as_list else list(values)
    if len(set(values)) == 1 and values[0] % 2 == 0:
        return values[0]
    return list(values) if as_list else tuple(values)


def _conv_nd(d):
    def strategy(dtype):
        @st.composite
        def s(draw):
            f64 = dtype == "float64"
            groups, cin, cout, wcin = draw(_channels(d, d == 1 or (d == 2 and not f64)))
            if d == 3 and draw(st.integers(0, 15)) == 0:
                groups = 2  # MLX: groups only for 1-D and 2-D
            N = draw(st.integers(1, 2))
            ks, strides, pads, dils, lens = [], [], [], [], []
            for _ in range(d):
                K, sd, p, dl = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(-1, 2)), draw(
                    st.integers(1, 1 if f64 else 2))
                ks.append(K), strides.append(sd), pads.append(p), dils.append(dl)
                lens.append(_fit_length(draw, K, sd, p, p, dl, 1, 6 if d < 3 else 4))
            x, w = draw(_operands(dtype, (N, *lens, cin), (cout, *ks, wcin)))
            kw = {}
            if any(v != 1 for v in strides) or draw(st.booleans()):
                kw["stride"] = _pack(strides, d)
            if any(pads) or draw(st.booleans()):
                kw["padding"] = _pack(pads, d)
            if any(v != 1 for v in dils) or draw(st.booleans()):
                kw["dilation"] = _pack(dils, d)
            if groups != 1 or draw(st.booleans()):
                kw["groups"] = groups
            case = Case((x, w), kw)
            case.meta["n"] = max(1, wcin * int(math.prod(ks)))
            return case
        return s()
    return strategy


def _conv_general(dtype):
    @st.composite
    def s(draw):
        d = draw(st.integers(1, 3))
        f64 = dtype == "float64"
        flip = draw(st.booleans())
        groups, cin, cout, wcin = draw(_channels(d, d == 1 and not (f64 and flip) or (d == 2 and not f64)))
        N = draw(st.integers(1, 2))
        ks, strides, los, his, kds, ids, lens = [], [], [], [], [], [], []
        for _ in range(d):
            K, sd = draw(st.integers(1, 3)), draw(st.integers(1, 3))
            lo, hi = draw(st.integers(-1, 2)), draw(st.integers(-1, 2))
            kd, idil = draw(st.integers(1, 1 if f64 else 2)), draw(st.integers(1, 1 if f64 else 3))
            ks.append(K), strides.append(sd), los.append(lo), his.append(hi), kds.append(kd), ids.append(idil)
            lens.append(_fit_length(draw, K, sd, lo, hi, kd, idil, 6 if d < 3 else 4))
        x, w = draw(_operands(dtype, (N, *lens, cin), (cout, *ks, wcin)))
        kw = {}
        form = draw(st.sampled_from(["int", "list", "default"]))
        if form != "default" or any(v != 1 for v in strides):
            kw["stride"] = strides[0] if form == "int" and len(set(strides)) == 1 else list(strides)
        if los == his:
            if any(los) or draw(st.booleans()):
                kw["padding"] = los[0] if len(set(los)) == 1 and draw(st.booleans()) else list(los)
        else:
            kw["padding"] = (list(los), list(his)) if draw(st.booleans()) else [list(los), list(his)]
        for name, vals in (("kernel_dilation", kds), ("input_dilation", ids)):
            if any(v != 1 for v in vals) or draw(st.booleans()):
                kw[name] = vals[0] if len(set(vals)) == 1 and draw(st.booleans()) else list(vals)
        if groups != 1 or draw(st.booleans()):
            kw["groups"] = groups
        if flip or draw(st.booleans()):
            kw["flip"] = flip
        if draw(st.integers(0, 15)) == 0:  # a list of the wrong length: ValueError
            kw["stride"] = [1] * (d + 1)
        case = Case((x, w), kw)
        case.meta["n"] = max(1, wcin * int(math.prod(ks)))
        return case
    return s()


def _conv_transpose_nd(d):
    def strategy(dtype):
        @st.composite
        def s(draw):
            f64 = dtype == "float64"
            groups, cin, cout, wcin = draw(_channels(d, d < 3 and not f64))
            N = draw(st.integers(1, 2))
            ks, strides, pads, dils, ops, lens = [], [], [], [], [], []
            for _ in range(d):
                K, sd, p, dl = draw(st.integers(1, 3)), draw(st.integers(1, 1 if f64 else 3)), draw(
                    st.integers(0, 2)), draw(st.integers(1, 1 if f64 else 2))
                op_ = draw(st.integers(0, sd))  # up to the stride (MLX does not require less)
                ks.append(K), strides.append(sd), pads.append(p), dils.append(dl), ops.append(op_)
                L = draw(st.integers(1, 5 if d < 3 else 3))
                while (L - 1) * sd - 2 * p + dl * (K - 1) + op_ + 1 < 1:
                    L += 1
                lens.append(L)
            x, w = draw(_operands(dtype, (N, *lens, cin), (cout, *ks, wcin)))
            kw = {}
            for name, vals, default in (("stride", strides, 1), ("padding", pads, 0), ("dilation", dils, 1),
                                        ("output_padding", ops, 0)):
                if any(v != default for v in vals) or draw(st.booleans()):
                    kw[name] = _pack(vals, d)
            if groups != 1 or draw(st.booleans()):
                kw["groups"] = groups
            case = Case((x, w), kw)
            case.meta["n"] = max(1, wcin * int(math.prod(ks)))
            return case
        return s()
    return strategy


def _convolve(dtype):
    @st.composite
    def s(draw):
        na, nv = draw(st.integers(1, 12)), draw(st.integers(1, 12))
        if draw(st.integers(0, 11)) == 0:
            na = 0  # MLX: "Inputs cannot be empty"
        in_dtype = dtype
        a = make_input(draw(seeds), (na,), in_dtype, draw(st.sampled_from(["contig", "step"])), CONV_DOMAIN)
        v = make_input(draw(seeds), (nv,), in_dtype, draw(st.sampled_from(["contig", "step"])), CONV_DOMAIN)
        args = (a, v)
        mode = draw(st.sampled_from([None, "full", "same", "valid"]))
        case = Case(args if mode is None else args + (mode,))
        case.meta["n"] = max(1, min(na, nv))
        return case
    return s()


for _d in (1, 2, 3):
    op(f"conv{_d}d", "conv", _conv_nd(_d), tol_conv)
    op(f"conv_transpose{_d}d", "conv", _conv_transpose_nd(_d), tol_conv)
op("conv_general", "conv", _conv_general, tol_conv)
op("convolve", "conv", _convolve, tol_conv)
