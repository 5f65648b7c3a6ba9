"""Gradient checks of every differentiable op of the op table (optable.py),
shared by test_grad_differential.py and grad_coverage.py.

For an op, a case is drawn with the op's own strategy (optable.py: shapes,
views, axes, keyword arguments) in float32 or float64; its floating-point
array inputs are the primals (integer/boolean inputs such as indices or
where's condition stay constants), non-finite values are replaced by finite
ones, and the op becomes a function of the primals. Then, per transform:

  fd     cmlx's vjp and jvp against central finite differences, in float64,
         on cmlx alone: <vjp(c), v> and <c, jvp(v)> against
         (g(x + h v) - g(x - h v)) / 2h with g = <c, f>, for random c and v.
  vjp    cmlx.vjp against mlx.vjp on the same primals and cotangents.
  jvp    cmlx.jvp against mlx.jvp on the same primals and tangents.
  vmap   cmlx.vmap against mlx.vmap: each primal batched (2 entries) along
         a drawn axis, or not batched (in_axes None).

Cases MLX refuses (bad axes, mismatched shapes...) or whose values are not
finite are skipped; so are, for the finite-difference check only, points
where the function is not differentiable (a kink or a tie: the one-sided
differences disagree).
"""

import math
import sys
from dataclasses import dataclass

import numpy as np
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from harness import EPS, FLOAT_DTYPES, Inp, dtype_name, examples_budget, max_abs, resolve
from optable import MLX_F64_AT_F32_ACCURACY

TRANSFORMS = ["fd", "vjp", "jvp", "vmap"]

# MLX 0.32 ops whose gradient is wrong everywhere: Full::vjp returns cotangent * vals, DivMod's
# vjp and jvp are zero. They are skipped in the finite-difference column when MLX is checked against
# itself (CMLX_MODULE=mlx.core); against cmlx, the finite-difference referee decides (at a point
# where the op is not differentiable, the case is skipped).
MLX_WRONG_VJP = {"full", "divmod"}

# Ops whose gradient is not the derivative of their values, by definition
# (checked against MLX only, not against finite differences).
NOT_THE_DERIVATIVE = {
    "stop_gradient": "the gradient is zero by definition",
    **{n: "with repeated indices one update lands (the last written), yet MLX's gradient (and so cmlx's) "
          "gives every update the cotangent of its target" for n in ("put_along_axis", "setitem")},
}
DEFAULT_EXAMPLES = 8

# Ops of the table that have no gradient, and why (every other op is differentiated where a drawn
# case has a floating-point array input and floating-point outputs; an op whose cases never do is
# reported as not differentiable too).
_BOOL_OR_INT = "boolean or integer output"
_NO_INPUT = "no array input"
_COMPLEX = ("complex values: gradcheck compares real floating-point gradients (test_differential_fft.py "
            "compares fft's gradients with MLX)")
NOT_DIFFERENTIABLE = {
    **{n: _BOOL_OR_INT for n in (
        "logical_not", "logical_and", "logical_or", "logical_xor", "isnan", "isinf", "isfinite", "isposinf",
        "isneginf", "equal", "not_equal", "greater", "greater_equal", "less", "less_equal", "all", "any", "argmax",
        "argmin", "argsort", "argpartition", "searchsorted", "isclose", "allclose", "array_equal", "count_nonzero")},
    **{n: "integer-only op" for n in (
        "bitwise_invert", "bitwise_and", "bitwise_or", "bitwise_xor", "left_shift", "right_shift")},
    **{n: _NO_INPUT for n in (
        "zeros", "ones", "arange", "linspace", "eye", "identity", "tri", "hanning", "hamming", "bartlett",
        "blackman", "fft.fftfreq", "fft.rfftfreq")},
    **{n: "random numbers: no array input" for n in (
        "random.key", "random.split", "random.uniform", "random.normal", "random.seed")},
    **{n: "not a function of arrays (dtypes, shapes, a contraction path)" for n in (
        "result_type", "can_cast", "issubdtype", "isdtype", "finfo", "iinfo", "broadcast_shapes", "einsum_path")},
    **{n: _COMPLEX for n in (
        "fft.fft", "fft.ifft", "fft.rfft", "fft.irfft", "fft.fft2", "fft.ifft2", "fft.rfft2", "fft.irfft2",
        "fft.fftn", "fft.ifftn", "fft.rfftn", "fft.irfftn", "real", "imag", "conjugate", "conj")},
    "quantize": "integer output (the packed weights); MLX has no gradient for it",
    **{n: "random draws: no array input (the bounds of truncated_normal are Python floats)" for n in (
        "random.truncated_normal", "random.gumbel", "random.laplace")},
    **{n: "random draws: boolean or integer output" for n in ("random.bernoulli", "random.categorical")},
    **{n: "integer output (the pivots); MLX 0.32 has no gradient for LUF either" for n in (
        "linalg.lu", "linalg.lu_factor")},
    **{n: "complex output; MLX 0.32 has no gradient for Eig either" for n in ("linalg.eig", "linalg.eigvals")},
}

# Ops whose gradient at tied values goes to the element a sort picked: where the two libraries'
# sorts break a tie differently, both gradients are valid (the op is not differentiable there), so a
# disagreement at such a point is skipped rather than failed.
# (at.maximum/at.minimum too: at tied values MLX's whole-array a.at[()].maximum(v) gives the
# cotangent to v alone, a slice update gives it to both.)
TIE_BY_INDEX = {"sort", "partition", "topk", "median", "cummax", "cummin", "minmax", "at.maximum", "at.minimum"}


def _has_ties(case):
    """Whether a floating-point input of the case holds a value twice: for the ops of TIE_BY_INDEX
    a point where they are not differentiable, though directionally differentiable (median of
    equal values moves with the median of the direction), which one direction cannot reveal."""
    def ties(o):
        if isinstance(o, Inp) and o.dtype in FLOAT_DTYPES:
            v = np.asarray(o.values).ravel()
            return v.size != np.unique(v).size or (o.recipe and o.recipe[0] == "broadcast")
        return isinstance(o, list) and any(ties(x) for x in o)
    return any(ties(a) for a in case.args) or any(ties(v) for v in case.kwargs.values())

# cmlx errors that mean "this rule is not there yet" (not a wrong gradient).
MISSING_RULE_MARKS = ("has no VJP rule", "has no JVP rule", "has no vmap rule", "no vmap rule", "not in this build",
                      "not supported by cmlx yet", "not implemented for", "JVP not implemented",
                      "VJP not implemented", "cmlx computes the gradient w.r.t.")


class MissingRule(AssertionError):
    """cmlx has no rule for an op under a transform."""


class GradMismatch(AssertionError):
    pass


def differentiable_ops(ops):
    return [o for o in ops if o.name not in NOT_DIFFERENTIABLE]


# ---- the function of the primals ----------------------------------------------------------------

PRIMAL_DTYPES = ("float32", "float64")


def _float_paths(case, dtype):
    """Where the float32/float64 Inp markers are: ('arg', i), ('arg', i, j) in a list, ('kw', name).
    Inputs of other dtypes (indices, conditions, float16 sources of astype) are constants."""
    def primal(x):
        return isinstance(x, Inp) and x.dtype in PRIMAL_DTYPES
    paths = []
    for i, a in enumerate(case.args):
        if primal(a):
            paths.append(("arg", i))
        elif isinstance(a, list):
            paths += [("arg", i, j) for j, x in enumerate(a) if primal(x)]
    for k, v in case.kwargs.items():
        if primal(v):
            paths.append(("kw", k))
    return paths


def _finite_case(case):
    """The case with NaN and infinities replaced by finite values near 0.5 (inside every op's
    domain that contains a neighbourhood of it), distinct ones: equal values would be ties for
    sort-like ops."""
    def fix(o):
        if isinstance(o, Inp) and o.dtype in FLOAT_DTYPES and o.values.dtype.kind == "f":
            v = o.values.copy()
            bad = ~np.isfinite(v)
            v[bad] = (0.5 + 0.0078125 * np.arange(int(bad.sum()))).astype(v.dtype)
            return Inp(v, o.dtype, o.recipe)
        if isinstance(o, list):
            return [fix(x) for x in o]
        return o
    return type(case)(tuple(fix(a) for a in case.args), {k: fix(v) for k, v in case.kwargs.items()}, case.meta)


def _get(args, kwargs, path):
    if path[0] == "kw":
        return kwargs[path[1]]
    return args[path[1]] if len(path) == 2 else args[path[1]][path[2]]


def _substituted(args, kwargs, paths, values):
    args = [list(a) if isinstance(a, list) else a for a in args]
    kwargs = dict(kwargs)
    for path, v in zip(paths, values):
        if path[0] == "kw":
            kwargs[path[1]] = v
        elif len(path) == 2:
            args[path[1]] = v
        else:
            args[path[1]][path[2]] = v
    return args, kwargs


def as_list(out):
    return list(out) if isinstance(out, (list, tuple)) else [out]


@dataclass
class Problem:
    """One case as a function of its primals in module M."""
    fun: object
    primals: list


def problem(M, spec, case, paths):
    args, kwargs = resolve(M, case.args), resolve(M, case.kwargs)
    primals = [_get(args, kwargs, p) for p in paths]

    def fun(*xs):
        a, k = _substituted(args, kwargs, paths, xs)
        return as_list(spec.call(M, *a, **k))
    return Problem(fun, primals)


# ---- numbers ----------------------------------------------------------------------------------------

def to_numpy(x):
    """float64 values of a floating-point array (exact)."""
    if dtype_name(x.dtype) == "bfloat16":
        x = x.astype(sys.modules[type(x).__module__].float32)
    return np.array(x).astype(np.float64)


def _vectors(rng, shapes):
    return [rng.uniform(-1.0, 1.0, s) for s in shapes]


def _arrays(M, values, dtype):
    """Arrays of `dtype` holding `values` (empty ones made natively: MLX 0.32 mishandles some empty
    arrays made from NumPy, see harness.Inp.build)."""
    def one(v):
        if v.size == 0:
            return M.zeros(v.shape, getattr(M, dtype))
        if dtype == "float64":
            return M.array(v, dtype=M.float64)
        return M.array(v.astype(np.float32)).astype(getattr(M, dtype))
    return [one(v) for v in values]


def _dot(xs, ys):
    return float(sum(np.sum(x * y) for x, y in zip(xs, ys)))


def _magnitude(xs, ys):
    return float(sum(np.sum(np.abs(x * y)) for x, y in zip(xs, ys)))


# Relative accuracy of a gradient computed by two correct implementations:
# the forward values (transcendental: ~16 ulps in float32) enter the rule's
# formula with a few more roundings (a product or quotient of 2-4 terms),
# hence 4x the forward tolerance of optable.TRANSC_RTOL; float64 uses the
# float32 figure because MLX computes exp, sin, cos, sigmoid, erf and erfinv
# (and what is built on them) to float32 accuracy in float64 too (see
# docs/differential-testing.md). Entries that are sums (reductions' and
# matmul's rules) are compared with an absolute tolerance scaled by the
# largest entry and the number of summed terms.
GRAD_RTOL = {"float32": 8e-6, "float64": 8e-6, "float16": 4 * EPS["float16"], "bfloat16": 4 * EPS["bfloat16"]}
# (float16/bfloat16: an output of the op in that dtype, cumsum(x, dtype=float16), rounds the values
# the rule works from; 4 ulps of it.)


def _grad_tolerance(expected, outs, case, dtype):
    """(rtol, atol) for comparing two implementations' gradients (vjp/jvp results).

    rtol: GRAD_RTOL per entry. atol, the largest of:
    - rtol x the largest entry of all the results x the number of summed terms: rules compute the
      gradients of an op's inputs from shared values and sums (reductions, matmul);
    - 4 eps x the largest forward output: the rules' intermediates include the outputs and values of
      their magnitude, rounded to the dtype, so a derivative formed by cancellation is only accurate
      to eps relative to them (sigmoid'(9.85) = s (1 - s) with s = 0.99995: 1 ulp of s is 0.1% of
      1 - s; logaddexp's 1 - sigmoid(a - b); expm1's out + 1);
    and a result that is all rounding noise (every entry below eps x max|input|: a derivative that
    cancels to zero, as var's at a constant input, where MLX gives -5.7e-15 and cmlx 0) is compared
    with atol = eps x max|input|."""
    kinds = [dtype] + [d for d in outs.dtypes if d in GRAD_RTOL]
    # float64 at float32's eps: MLX computes much of float64 to float32 accuracy (its fast ops too)
    rtol, eps = max(GRAD_RTOL[d] for d in kinds), max(EPS["float32" if d == "float64" else d] for d in kinds)
    finite_values = [np.abs(e[np.isfinite(e)]) for e in expected]
    scale = max([float(np.max(f)) for f in finite_values if f.size] + [0.0])
    noise = eps * max_abs(case)
    if scale < noise:
        return rtol, noise
    out_scale = max([float(np.max(np.abs(o))) for o in outs if o.size] + [0.0])
    return rtol, max(rtol * scale * _terms(case, outs), 4 * eps * out_scale)


def _close(expected, got, rtol, atol, what):
    """Finite entries within atol + rtol |MLX|; NaN and infinities exactly where MLX has them."""
    for i, (e, g) in enumerate(zip(expected, got)):
        if e.shape != g.shape:
            raise GradMismatch(f"{what}[{i}]: shape {g.shape} (cmlx) != {e.shape} (MLX)")
        finite = np.isfinite(e)
        with np.errstate(invalid="ignore"):
            close = np.where(finite, np.abs(e - g) <= atol + rtol * np.abs(e), (e == g) | (np.isnan(e) & np.isnan(g)))
        bad = ~close
        if bad.any():
            idx = tuple(int(j) for j in np.argwhere(bad)[0])
            raise GradMismatch(f"{what}[{i}] at {idx}: cmlx {g[idx]!r}, MLX {e[idx]!r} "
                               f"(rtol {rtol:.2g}, atol {atol:.2g}, {int(bad.sum())} of {e.size} entries differ)")


def _run(M, thunk):
    try:
        out = thunk()
        M.eval(out)
        return out, None
    except Exception as e:  # noqa: BLE001 - classified by the caller
        return None, e


def _raise_cmlx_error(error, what):
    msg = str(error)
    if any(m in msg for m in MISSING_RULE_MARKS):
        raise MissingRule(f"{what}: {msg}") from error
    raise GradMismatch(f"{what}: cmlx raises {type(error).__name__}({msg}) where MLX succeeds") from error


class Outputs(list):
    """MLX's forward outputs as float64 NumPy arrays, with their dtypes."""
    dtypes = ()


def _reference_outputs(ref, spec, case, paths):
    """MLX's forward outputs, or the outcome of the case when it is not checked: 'skip' (MLX
    refuses it, or its values are not finite) or 'no-float' (an output is not floating-point)."""
    prob = problem(ref, spec, case, paths)
    outs, err = _run(ref, lambda: prob.fun(*prob.primals))
    if err is not None:
        return "skip"
    arrays = [o for o in outs]
    if not arrays or any(dtype_name(o.dtype) not in FLOAT_DTYPES for o in arrays):
        return "no-float"
    values = Outputs(to_numpy(o) for o in arrays)
    values.dtypes = tuple(dtype_name(o.dtype) for o in arrays)
    if any(not np.all(np.isfinite(v)) for v in values):
        return "skip"
    return values


def _terms(case, values):
    """The number of terms an entry of a rule's result can sum (a bound for the tolerance)."""
    sizes = [i.values.size for i in case.inputs()] + [v.size for v in values] + [1]
    return 4.0 * max(1.0, math.sqrt(max(sizes)))


# ---- the checks ------------------------------------------------------------------------------------------

def _directional_differences(cm, fun, x, dirs, cots):
    """Central differences in float64 of g(t) = <cots, fun(x + t dirs)> at t = 0, with cmlx's own
    forward: (fd with step h, fd with step 2h, kink = |one-sided difference gap| / h)."""
    scale_x = max([1.0] + [float(np.max(np.abs(a))) for a in x if a.size])

    def g(t):
        pts = _arrays(cm, [a + t * d for a, d in zip(x, dirs)], "float64")
        return _dot(cots, [to_numpy(o) for o in fun(*pts)])

    h = 1e-6 * scale_x
    g0, gp, gm, gp2, gm2 = g(0.0), g(h), g(-h), g(2 * h), g(-2 * h)
    return (gp - gm) / (2 * h), (gp2 - gm2) / (4 * h), abs((gp - g0) - (g0 - gm)) / h, scale_x


def _smooth(fd, fd2, kink, terms):
    """Differentiable along the direction: one-sided differences agree (no kink or tie) and the
    central difference does not grow like 1/h (no jump)."""
    return kink <= 1e-4 * terms and abs(fd - fd2) <= 1e-4 * (terms + abs(fd))


def _as_float64(case):
    def conv(o):
        if isinstance(o, Inp) and o.dtype in ("float32", "float64"):
            return Inp(o.values, "float64", o.recipe)
        if isinstance(o, list):
            return [conv(x) for x in o]
        return o
    return type(case)(tuple(conv(a) for a in case.args), {k: conv(v) for k, v in case.kwargs.items()}, case.meta)


def differentiable_at(cm, spec, case, paths, outs, seed):
    """Whether the op is differentiable at the case's point (float64 differences along a random
    direction): where it is not, the two libraries' conventions may differ."""
    case64 = _as_float64(case)
    prob = problem(cm, spec, case64, paths)
    rng = np.random.default_rng(seed + 1)
    x = [to_numpy(p) for p in prob.primals]
    dirs, cots = _vectors(rng, [a.shape for a in x]), _vectors(rng, [o.shape for o in outs])
    fd, fd2, kink, scale_x = _directional_differences(cm, prob.fun, x, dirs, cots)
    return _smooth(fd, fd2, kink, _magnitude(cots, [np.abs(o) for o in outs]) / scale_x + 1.0)


def _forward_differs(cm, spec, case, paths):
    """Whether cmlx's forward raises on a case MLX's forward accepts: a forward divergence, which
    the op's differential test is for, not a gradient to compare (e.g. MLX 0.32 accepts a (4,)
    value for x.at[None, [[1]], ..., None].add(v) with x (2, 4), whose selection is (1, 1, 1, 4, 1),
    and its vjp there is inconsistent with its forward; cmlx raises as NumPy's broadcasting does)."""
    prob = problem(cm, spec, case, paths)
    _, err = _run(cm, lambda: prob.fun(*prob.primals))
    return err is not None


def check_fd(ref, cm, spec, case, paths, seed):
    """cmlx's vjp and jvp against central differences of cmlx's own forward, float64."""
    outs = _reference_outputs(ref, spec, case, paths)
    if isinstance(outs, str):
        return outs
    if _forward_differs(cm, spec, case, paths):
        return "forward-differs"
    if any(d != "float64" for d in outs.dtypes):
        return "skip"  # differences of a float16/float32 output (cumsum(x, dtype=float16)) are rounding
    if spec.name in TIE_BY_INDEX and _has_ties(case):
        return "skip"
    rng = np.random.default_rng(seed)
    cots = _vectors(rng, [o.shape for o in outs])
    prob = problem(cm, spec, case, paths)
    dirs = _vectors(rng, [tuple(p.shape) for p in prob.primals])
    c_arr, v_arr = _arrays(cm, cots, "float64"), _arrays(cm, dirs, "float64")
    res, err = _run(cm, lambda: (cm.vjp(prob.fun, prob.primals, c_arr), cm.jvp(prob.fun, prob.primals, v_arr)))
    if err is not None:
        # a case MLX cannot differentiate either (MLX 0.32's float64 convolutions with dilation,
        # argmax over an empty axis in max's rule, convolutions' jvp) is not held against cmlx
        ref_prob = problem(ref, spec, case, paths)
        _, ref_err = _run(ref, lambda: (
            ref.vjp(ref_prob.fun, ref_prob.primals, _arrays(ref, cots, "float64")),
            ref.jvp(ref_prob.fun, ref_prob.primals, _arrays(ref, dirs, "float64"))))
        if ref_err is not None:
            return "mlx-rejects"
        _raise_cmlx_error(err, f"{spec.name}{case!r} fd")
    (_, vjps), (_, jvps) = res
    vjps, jvps = [to_numpy(g) for g in vjps], [to_numpy(t) for t in jvps]
    x = [to_numpy(p) for p in prob.primals]
    fd, fd2, kink, scale_x = _directional_differences(cm, prob.fun, x, dirs, cots)
    terms = _magnitude(vjps, dirs) + _magnitude(cots, [np.abs(o) for o in outs]) / scale_x + 1e-12
    if not _smooth(fd, fd2, kink, terms):
        return "skip"
    # 1e-6 of the terms' magnitude (the step's truncation error is ~1e-12 and its rounding error
    # ~1e-10 relative), plus the differences' own error estimate (steps h and 2h disagree where the
    # forward is less accurate than float64 allows: cmlx's float64 logaddexp is float32-accurate)
    tol = 1e-6 * terms + 2 * abs(fd - fd2)
    ad_vjp, ad_jvp = _dot(vjps, dirs), _dot(cots, jvps)
    what = f"{spec.name}{case!r}"
    if abs(ad_vjp - fd) > tol:
        raise GradMismatch(f"{what}: <vjp(c), v> = {ad_vjp!r} but finite differences give {fd!r} (tol {tol:.2g})")
    if abs(ad_jvp - fd) > tol:
        raise GradMismatch(f"{what}: <c, jvp(v)> = {ad_jvp!r} but finite differences give {fd!r} (tol {tol:.2g})")
    return "pass"


def _mlx_is_wrong_vjp_jvp(cm, spec, case, paths, outs, transform, vectors, e, g, seed):
    """Finite differences as the referee of a vjp/jvp disagreement: True when cmlx's result agrees
    with them and MLX's does not (compared along a random direction, or cotangent, in float64)."""
    case64 = _as_float64(case)
    prob = problem(cm, spec, case64, paths)
    rng = np.random.default_rng(seed + 2)
    x = [to_numpy(p) for p in prob.primals]
    if transform == "vjp":
        cots, dirs = vectors, _vectors(rng, [a.shape for a in x])
        ours, theirs = _dot(g, dirs), _dot(e, dirs) if all(a.shape == b.shape for a, b in zip(e, g)) else None
        terms = _magnitude([np.abs(a) for a in g], dirs)
    else:
        dirs, cots = vectors, _vectors(rng, [o.shape for o in outs])
        ours, theirs = _dot(cots, g), _dot(cots, e) if all(a.shape == b.shape for a, b in zip(e, g)) else None
        terms = _magnitude(cots, [np.abs(a) for a in g])
    fd, fd2, kink, scale_x = _directional_differences(cm, prob.fun, x, dirs, cots)
    terms += _magnitude(cots, [np.abs(o) for o in outs]) / scale_x + 1e-12
    if not _smooth(fd, fd2, kink, terms):
        return False
    tol = 1e-4 * terms + 2 * abs(fd - fd2)  # float32 results against float64 differences
    return abs(ours - fd) <= tol and (theirs is None or abs(theirs - fd) > tol)


def _vmap_referee(ref, cm, probs, batched, axes, dtype, e, g):
    """Per-example results as the referee of a vmap disagreement: 'mlx-wrong' when cmlx's batched
    result is its own per-example results stacked and MLX's batched result is not MLX's (MLX 0.32's
    vmap of split into empty pieces, of expand_dims with several axes); 'forward-differs' when both
    are consistent but the two libraries' per-example results differ (a forward divergence, which
    the op's differential test is for, e.g. MLX 0.32's slice_update of a 4-D array with a 2-D
    update writes two elements); None when cmlx's vmap is not its own per-example results."""
    n = next(b.shape[a] for b, a in zip(batched, axes) if a is not None)

    def stacked(M):
        per_example = []
        for i in range(n):
            xs = [b if a is None else np.take(b, i, axis=a) for b, a in zip(batched, axes)]
            out, err = _run(M, lambda xs=xs: probs[M].fun(*_arrays(M, xs, dtype)))
            if err is not None:
                return None
            per_example.append([to_numpy(o) for o in out])
        return [np.stack([p[k] for p in per_example]) for k in range(len(per_example[0]))]

    def same(a, b):
        return a is not None and b is not None and len(a) == len(b) and all(
            x.shape == y.shape and np.allclose(x, y, rtol=1e-5, atol=1e-6, equal_nan=True) for x, y in zip(a, b))
    ours, theirs = stacked(cm), stacked(ref)
    if not same(g, ours):
        return None
    return "forward-differs" if same(e, theirs) else "mlx-wrong"


def check_against_mlx(ref, cm, spec, case, paths, seed, transform, dtype):
    """cmlx's vjp / jvp / vmap against MLX's on the same inputs. Where they disagree, finite
    differences (vjp, jvp) or MLX's per-example results (vmap) decide: when cmlx is right and MLX
    is not, the outcome is 'mlx-wrong' (an MLX bug, e.g. MLX 0.32's gradient of full() or of
    conv_transpose with output_padding, its vmap of split into empty pieces)."""
    outs = _reference_outputs(ref, spec, case, paths)
    if isinstance(outs, str):
        return outs
    if _forward_differs(cm, spec, case, paths):
        return "forward-differs"
    rng = np.random.default_rng(seed)
    what = f"{spec.name}{case!r} {transform}"
    probs = {M: problem(M, spec, case, paths) for M in (ref, cm)}
    if transform == "vjp":
        vectors = _vectors(rng, [o.shape for o in outs])
        call = {M: (lambda M=M: M.vjp(probs[M].fun, probs[M].primals, _arrays(M, vectors, dtype))[1])
                for M in probs}
    elif transform == "jvp":
        vectors = _vectors(rng, [tuple(p.shape) for p in probs[ref].primals])
        call = {M: (lambda M=M: M.jvp(probs[M].fun, probs[M].primals, _arrays(M, vectors, dtype))[1])
                for M in probs}
    else:
        values = [to_numpy(p) for p in probs[ref].primals]
        batched, axes = [], []
        for x in values:
            if values and len(axes) > 0 and rng.random() < 0.25:
                batched.append(x)
                axes.append(None)
            else:
                axis = int(rng.integers(0, x.ndim + 1))
                batched.append(np.stack([x, x + 0.25 * rng.uniform(-1, 1, x.shape)], axis=axis))
                axes.append(axis)

        def call_vmap(M):
            return M.vmap(lambda *xs: probs[M].fun(*xs), in_axes=tuple(axes))(*_arrays(M, batched, dtype))
        call = {M: (lambda M=M: call_vmap(M)) for M in probs}
    expected, ref_err = _run(ref, call[ref])
    if ref_err is not None:
        return "mlx-rejects"
    got, err = _run(cm, call[cm])
    if err is not None:
        _raise_cmlx_error(err, what)
    e = [to_numpy(a) for a in as_list(expected)]
    g = [to_numpy(a) for a in as_list(got)]
    if len(e) != len(g):
        raise GradMismatch(f"{what}: cmlx gives {len(g)} arrays, MLX {len(e)}")
    for i, (a, b) in enumerate(zip(as_list(expected), as_list(got))):
        if dtype_name(a.dtype) != dtype_name(b.dtype):
            raise GradMismatch(f"{what}[{i}]: dtype {dtype_name(b.dtype)} (cmlx) != {dtype_name(a.dtype)} (MLX)")
    try:
        if transform == "vmap":  # the op's own values: the op table's tolerance
            rtol, atol = spec.tolerance(case, expected, dtype)
        else:
            rtol, atol = _grad_tolerance(e, outs, case, dtype)
        _close(e, g, rtol, atol, what)
    except GradMismatch:
        # NaN or infinity on one side only: at a point where the op is not differentiable (std of
        # a constant) the two libraries' formulas may give NaN or a finite value
        one_sided = any(a.shape == b.shape and np.any(np.isfinite(a) != np.isfinite(b)) for a, b in zip(e, g))
        lenient = one_sided or spec.name in TIE_BY_INDEX or spec.name in MLX_WRONG_VJP
        if lenient and not differentiable_at(cm, spec, case, paths, outs, seed):
            return "skip"
        if transform == "vmap":
            verdict = _vmap_referee(ref, cm, probs, batched, axes, dtype, e, g)
            if verdict is not None:
                return verdict
        elif _mlx_is_wrong_vjp_jvp(cm, spec, case, paths, outs, transform, vectors, e, g, seed):
            return "mlx-wrong"
        raise
    return "pass"


def _vecdot_valid(dtype):
    """vecdot's cases with matching sizes along the axis (the op table's strategy draws broadcast
    shapes and axes freely, to check the errors, so almost none of its cases has a gradient)."""
    from harness import Case
    from optable import array
    from optable_composite import FINITE, FULL_DIMS

    @st.composite
    def s(draw):
        sa = draw(st.lists(FULL_DIMS, min_size=1, max_size=3).map(tuple))
        axis = draw(st.integers(-len(sa), len(sa) - 1))
        # b: a's shape with some other dims 1 (broadcast) or dropped in front
        sb = tuple(1 if d != axis % len(sa) and draw(st.booleans()) else n for d, n in enumerate(sa))
        sb = sb[draw(st.integers(0, axis % len(sa))):]
        case = Case((draw(array(dtype, sa, FINITE)), draw(array(dtype, sb, FINITE))))
        if axis != -1 or draw(st.booleans()):
            case.kwargs["axis"] = axis
        return case
    return s()


def _astype_float(dtype):
    """astype from a float32/float64 source to `dtype` (the op table draws the source among all
    dtypes, so few of its cases have a floating-point primal)."""
    from harness import DT, Case
    from optable import array

    @st.composite
    def s(draw):
        return Case((draw(array(draw(st.sampled_from(PRIMAL_DTYPES)))), DT(dtype)))
    return s()


# Strategies for the gradient checks where the op table's draws mostly invalid arguments, or
# arguments without a floating-point primal.
GRAD_STRATEGIES = {"vecdot": _vecdot_valid, "astype": _astype_float}


CHECKED = {"pass", "mlx-wrong", "mlx-rejects", "forward-differs"}


def run_op(ref, cm, spec, transform, dtype, max_examples=None, shrink=True):
    """Hypothesis over the op's strategy; returns the set of outcomes (see _run_op). When no drawn
    case could be checked (strategies that draw mostly invalid arguments, like vecdot's axes), once
    more with four times the examples."""
    budget = max_examples or examples_budget(DEFAULT_EXAMPLES)
    outcomes = _run_op(ref, cm, spec, transform, dtype, budget, shrink)
    if not outcomes & CHECKED and outcomes != {"no-float"}:
        outcomes |= _run_op(ref, cm, spec, transform, dtype, 4 * budget, shrink)
    return outcomes


def _run_op(ref, cm, spec, transform, dtype, max_examples, shrink):
    """Hypothesis over the op's strategy; returns the set of outcomes
    ('pass', 'skip', 'no-float', 'mlx-rejects', 'mlx-wrong', 'forward-differs'); raises GradMismatch /
    MissingRule."""
    outcomes = set()
    phases = [Phase.explicit, Phase.generate] + ([Phase.shrink] if shrink else [])
    if transform == "fd" and cm is ref and (spec.name in MLX_F64_AT_F32_ACCURACY or spec.name in MLX_WRONG_VJP):
        # checking the harness on MLX: its float64 forward is float32-accurate, or its vjp is wrong
        return {"mlx-rejects"}

    @settings(max_examples=max_examples, derandomize=True, deadline=None,
              database=None, phases=phases, print_blob=False, suppress_health_check=list(HealthCheck),
              report_multiple_bugs=False)
    @given(GRAD_STRATEGIES.get(spec.name, spec.strategy)(dtype), st.integers(0, 2**32 - 1))
    def grad_case(case, seed):
        paths = _float_paths(case, dtype)
        if not paths:
            outcomes.add("no-float")
            return
        assume(not _mlx_crashes(spec, case, transform))
        case = _finite_case(case)
        if transform == "fd":
            outcomes.add(check_fd(ref, cm, spec, case, paths, seed))
        else:
            outcomes.add(check_against_mlx(ref, cm, spec, case, paths, seed, transform, dtype))

    grad_case()
    return outcomes


def _mlx_crashes(spec, case, transform):
    """Cases with an empty input are not drawn: on them MLX 0.32 can kill the process (the
    gradient of take from an empty array divides by zero in its scatter: SIGFPE for
    take(zeros((0, 5, 5, 4)), [[2, 0, 1, 0], [1, 0, 2, 2]], axis=3)) or hang (var over an empty
    axis of a float64 array, now and then, in its forward evaluation). Their gradients are empty
    arrays, which test_transforms.py checks on its own cases.
    Nor is pad with an array constant_values: MLX 0.32's vjp with respect to it segfaults
    (SIGSEGV inside mlx::core::vjp, every time, e.g. for
    mx.vjp(lambda x, c: [mx.pad(x, [(5, 3), (2, 4)], constant_values=c)], [mx.ones((4, 5)),
    mx.array(0.5)], [mx.ones((12, 11))])): such cases are checked against finite differences only
    (the "fd" column never calls MLX)."""
    if spec.name == "pad" and transform != "fd" and isinstance(case.kwargs.get("constant_values"), Inp):
        return True
    return any(i.values.size == 0 or 0 in _view_shape(i) for i in case.inputs())


def _view_shape(inp):
    kind = inp.recipe[0]
    if kind in ("broadcast", "newaxis"):
        return tuple(inp.recipe[1])
    return inp.values.shape
