"""The op table of the differential harness: every function of the C library
(include/cmlx/ops.h, include/cmlx/random.h) under its MLX Python name, with
the strategy that draws its arguments, how to call it, which dtypes to draw
and how close cmlx must come to MLX (docs/differential-testing.md).

An entry's strategy is `strategy(dtype) -> hypothesis strategy of Case`;
`call(M, *args, **kwargs)` runs it in module M (mlx.core or cmlx.core) on
arguments already built in M.
"""

import importlib
import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
from hypothesis import strategies as st

from harness import (
    DTYPES, EPS, INEXACT_DTYPES, INT_DTYPES, RECIPES, Case, DT, Domain, DEFAULT_DOMAIN, lowest_eps,
    make_input, max_abs, out_dtypes,
)

# ---- tolerances (docs/differential-testing.md explains each) ------------------------------------

TRANSC_RTOL = {"float64": 1e-12, "float32": 2e-6, "complex64": 2e-6, "float16": 1e-3, "bfloat16": 8e-3}


def _out_inexact(value):
    return [d for d in out_dtypes(value) if d in INEXACT_DTYPES]


def tol_exact(case, value, dtype):
    """Correctly rounded ops: bit-exact in float32/float64; float16/bfloat16
    are computed through float32 and rounded, one ulp apart at most."""
    outs = _out_inexact(value)
    if not outs:
        return 0.0, 0.0
    e = max(EPS[d] if d in ("float16", "bfloat16") else 0.0 for d in outs)
    return e, 0.0


# MLX computes these in float64 with float32-accurate approximations (measured
# against NumPy on MLX 0.32.4: exp 3.5e-7, sin 7e-7, cos 2e-5 near its zeros,
# sigmoid 3e-7, erf 2e-5 relative), so a float64 result can only be held to
# float32 accuracy; every other float64 op of MLX is within 1-2 ulps of libm.
MLX_F64_AT_F32_ACCURACY = {"exp", "sin", "cos", "sigmoid", "erf", "erfinv", "logsumexp", "softmax", "logaddexp"}


def _transc_rtol(d, name, case):
    if d == "float64" and name in MLX_F64_AT_F32_ACCURACY:
        d = "float32"
    r = TRANSC_RTOL[d]
    if d in ("float32", "complex64"):
        # float32 argument reduction (x * log2(e), x mod pi/2) rounds |x| * eps away
        r += 4 * EPS["float32"] * max_abs(case)
    return r


def tol_transc_for(name):
    def tol(case, value, dtype):
        """Transcendentals: libm/SIMD approximations differ by a few ulps."""
        outs = _out_inexact(value)
        if not outs:
            return 0.0, 0.0
        r = max(_transc_rtol(d, name, case) for d in outs)
        return r, r
    tol.kind = "transc"
    return tol


tol_transc = tol_transc_for("")


def _reduced_count(case):
    return max([i.values.size for i in case.inputs()] + [1])


def tol_accum(power=1, transc=False, sqrt=False, name=""):
    """Sums in a different order: |err| <= 4 eps N max|x|^power (+ transcendental rtol)."""
    def tol(case, value, dtype):
        outs = _out_inexact(value)
        if not outs:
            return 0.0, 0.0
        eps = lowest_eps(case, value)
        n = case.meta.get("n", _reduced_count(case))
        atol = 4 * eps * n * max_abs(case) ** power
        if sqrt:
            atol = math.sqrt(atol)
        rtol = 4 * eps * n
        if transc:
            t = max(_transc_rtol(d, name, case) for d in outs)
            rtol, atol = max(rtol, t), max(atol, t)
        return rtol, atol
    return tol


# ---- argument strategies ----------------------------------------------------------------------------

dims = st.sampled_from([2, 3, 1, 4, 5, 0])
seeds = st.integers(0, 2**32 - 1)
recipes = st.sampled_from(RECIPES)


def shapes(min_nd=0, max_nd=4, dim=dims):
    return st.lists(dim, min_size=min_nd, max_size=max_nd).map(tuple)


@st.composite
def array(draw, dtype, shape=None, dom=DEFAULT_DOMAIN, contiguous=False):
    if shape is None:
        shape = draw(shapes())
    recipe = "contig" if contiguous else draw(recipes)
    return make_input(draw(seeds), shape, dtype, recipe, dom)


@st.composite
def broadcast_shapes(draw, n=2):
    """n shapes broadcastable to a common one; now and then incompatible."""
    target = draw(shapes())
    out = []
    for _ in range(n):
        drop = draw(st.integers(0, len(target)))
        mask = draw(st.integers(0, 15))
        s = tuple(1 if (mask >> i) & 1 else d for i, d in enumerate(target[drop:]))
        out.append(s)
    if draw(st.integers(0, 11)) == 0:  # incompatible trailing dims: MLX raises ValueError
        out[0] = out[0] + (3,)
        out[1] = out[1] + (2,)
    return out


@st.composite
def axis_arg(draw, ndim, allow_none=True, allow_list=True, allow_bad=True):
    """None, an int (negative too) or a list of distinct axes; at times an invalid one."""
    kinds = ["int", "list", "none"] if ndim else ["none", "list"]
    if not allow_none:
        kinds.remove("none")
    if not allow_list:
        kinds.remove("list")
    if not kinds:
        kinds = ["int"]
    kind = draw(st.sampled_from(kinds))
    if allow_bad and draw(st.integers(0, 15)) == 0:
        return ndim + draw(st.integers(0, 2)) if kind != "list" else [0, 0] if ndim else [1]
    if kind == "none":
        return None
    if kind == "int":
        return draw(st.integers(-ndim, ndim - 1)) if ndim else 0
    axes = draw(st.lists(st.integers(0, ndim - 1), unique=True, max_size=ndim)) if ndim else []
    return [a - ndim if draw(st.booleans()) else a for a in axes]


def _unary(dom=DEFAULT_DOMAIN, extra=None):
    def strategy(dtype):
        @st.composite
        def s(draw):
            kw = draw(extra) if extra is not None else {}
            return Case((draw(array(dtype, dom=dom)),), kw)
        return s()
    return strategy


def _binary(dom_a=DEFAULT_DOMAIN, dom_b=DEFAULT_DOMAIN, dom_b_for=None):
    def strategy(dtype):
        @st.composite
        def s(draw):
            sa, sb = draw(broadcast_shapes())
            db = dom_b_for(dtype) if dom_b_for else dom_b
            return Case((draw(array(dtype, sa, dom_a)), draw(array(dtype, sb, db))))
        return s()
    return strategy


def _where(dtype):
    @st.composite
    def s(draw):
        sc, sx = draw(broadcast_shapes())
        sy = draw(broadcast_shapes())[0] if draw(st.booleans()) else sx
        return Case((draw(array("bool", sc)), draw(array(dtype, sx)), draw(array(dtype, sy))))
    return s()


def _reduce(kind="plain", dom=DEFAULT_DOMAIN):
    """kind: plain (axis, keepdims), ddof (var/std), arg (argmax: axis int/None)."""
    def strategy(dtype):
        @st.composite
        def s(draw):
            a = draw(array(dtype, dom=dom))
            nd = a.values.ndim  # the view has the same ndim as its base except newaxis (+1)
            nd += 1 if a.recipe[0] == "newaxis" else 0
            kw = {"axis": draw(axis_arg(nd, allow_list=kind != "arg")), "keepdims": draw(st.booleans())}
            if kind == "ddof":
                kw["ddof"] = draw(st.integers(0, 2))
            return Case((a,), kw)
        return s()
    return strategy


def _softmax(dtype):
    @st.composite
    def s(draw):
        a = draw(array(dtype))
        nd = a.values.ndim + (1 if a.recipe[0] == "newaxis" else 0)
        return Case((a,), {"axis": draw(axis_arg(nd)), "precise": draw(st.booleans())})
    return s()


def _matmul(dtype):
    @st.composite
    def s(draw):
        m, k, n = draw(dims), draw(dims), draw(dims)
        batch_a, batch_b = draw(broadcast_shapes())
        batch_a, batch_b = batch_a[:2], batch_b[:2]
        sa = batch_a + (m, k) if draw(st.integers(0, 4)) else (k,)
        sb = batch_b + (k, n) if draw(st.integers(0, 4)) else (k,)
        if draw(st.integers(0, 11)) == 0:
            sb = sb[:-2] + (k + 1,) + sb[-1:] if len(sb) >= 2 else (k + 1,)
        case = Case((draw(array(dtype, sa)), draw(array(dtype, sb))))
        case.meta["n"] = max(k, 1)
        return case
    return s()


def _astype(dtype):
    @st.composite
    def s(draw):
        src = draw(st.sampled_from(DTYPES))
        # in range of every destination (float -> int outside the range is undefined in C and C++)
        dom = Domain(flo=0.0, fhi=100.0, ilo=0, ihi=100, specials=dtype in INEXACT_DTYPES)
        return Case((draw(array(src, dom=dom)), DT(dtype)))
    return s()


def _shape_first(build):
    """A strategy whose arguments depend on the input's (view) shape."""
    def strategy(dtype):
        @st.composite
        def s(draw):
            shape = draw(shapes())
            a = draw(array(dtype, shape))
            args, kw = build(draw, shape)
            return Case((a,) + args, kw)
        return s()
    return strategy


def _reshape_args(draw, shape):
    size = int(np.prod(shape)) if shape else 1
    factors = [f for f in range(1, 7) if size % f == 0] if size else [0, 1, 2]
    new = []
    rest = size
    for _ in range(draw(st.integers(0, 3))):
        f = draw(st.sampled_from(factors))
        if f and rest % f == 0:
            new.append(f)
            rest //= f
    if size:
        new.append(rest)
    else:
        new.append(draw(st.sampled_from([0, 3])))
    new = [-1 if (i == 0 and size and draw(st.booleans())) else d for i, d in enumerate(new)]
    if draw(st.integers(0, 11)) == 0:
        new = new + [7]
    return (new,), {}


def _flatten_args(draw, shape):
    nd = max(len(shape), 1)
    return (), {"start_axis": draw(st.integers(-nd, nd - 1)), "end_axis": draw(st.integers(-nd, nd - 1))}


def _transpose_args(draw, shape):
    nd = len(shape)
    if draw(st.booleans()):
        return (), {}
    perm = draw(st.permutations(list(range(nd))))
    perm = [p - nd if draw(st.booleans()) else p for p in perm]
    if draw(st.integers(0, 11)) == 0:
        perm = perm[:-1] if perm else [0]
    return (perm,), {}


def _swapaxes_args(draw, shape):
    nd = max(len(shape), 1)
    return (draw(st.integers(-nd, nd - 1)), draw(st.integers(-nd, nd - 1))), {}


def _expand_dims_args(draw, shape):
    nd = len(shape)
    if draw(st.booleans()):
        return (draw(st.integers(-nd - 1, nd)),), {}
    k = draw(st.integers(1, 3))
    axes = draw(st.lists(st.integers(0, nd + k - 1), min_size=k, max_size=k, unique=True))
    return (axes,), {}


def _squeeze_args(draw, shape):
    ones = [i for i, d in enumerate(shape) if d == 1]
    choice = draw(st.integers(0, 3))
    if choice == 0 or not ones:
        return (), {} if choice != 3 or not shape else {"axis": 0}
    axes = draw(st.lists(st.sampled_from(ones), unique=True, min_size=1))
    return (), {"axis": axes if draw(st.booleans()) else axes[0] - len(shape)}


def _broadcast_to_args(draw, shape):
    lead = draw(shapes(0, 2))
    tgt = tuple(draw(st.sampled_from([d, 3])) if d == 1 else d for d in shape)
    if draw(st.integers(0, 11)) == 0:
        tgt = tgt + (7,) if shape and shape[-1] not in (1, 7) else tgt
    return (list(lead + tgt),), {}


def _flip_args(draw, shape):
    return (), {"axis": draw(axis_arg(len(shape), allow_bad=False))}


def _split_args(draw, shape):
    nd = len(shape)
    axis = draw(st.integers(-nd, nd - 1)) if nd else 0
    d = shape[axis] if nd else 0
    if draw(st.booleans()):
        divisors = [k for k in range(1, 6) if d % k == 0] if d else [1, 2]
        n = draw(st.sampled_from(divisors + ([3] if d % 3 else [])))
        return (n,), {"axis": axis}
    idx = draw(st.lists(st.integers(-d - 1, d + 1), max_size=3))
    return (idx,), {"axis": axis}


def _list_of_arrays(stack):
    def strategy(dtype):
        @st.composite
        def s(draw):
            shape = draw(shapes(0 if stack else 1))
            nd = len(shape)
            axis = draw(st.integers(-nd - 1 if stack else -nd, nd if stack else nd - 1)) if nd or stack else 0
            arrs = []
            for _ in range(draw(st.integers(1, 3))):
                sh = list(shape)
                if not stack and nd:
                    sh[axis] = draw(dims)
                arrs.append(draw(array(dtype, tuple(sh))))
            if draw(st.integers(0, 11)) == 0 and nd:
                arrs.append(draw(array(dtype, tuple(shape[:-1]) + (shape[-1] + 1,))))
            return Case((arrs,), {"axis": axis})
        return s()
    return strategy


@st.composite
def _slices(draw, shape):
    idx = []
    for d in shape[: draw(st.integers(0, len(shape)))]:
        start = draw(st.one_of(st.none(), st.integers(-d - 2, d + 2)))
        stop = draw(st.one_of(st.none(), st.integers(-d - 2, d + 2)))
        step = draw(st.sampled_from([None, 1, 2, -1, -2, 3]))
        idx.append(slice(start, stop, step))
    return tuple(idx)


def _slice(dtype):
    @st.composite
    def s(draw):
        shape = draw(shapes())
        return Case((draw(array(dtype, shape)), draw(_slices(shape))))
    return s()


INDEX_DTYPES = ["int32", "int64", "uint32", "int8", "uint8", "int16"]


def _take(dtype):
    @st.composite
    def s(draw):
        shape = draw(shapes())
        nd = len(shape)
        a = draw(array(dtype, shape))
        axis = draw(st.one_of(st.none(), st.integers(-nd, nd - 1))) if nd else None
        n = (int(np.prod(shape)) if axis is None else shape[axis]) if shape else 1
        idt = draw(st.sampled_from(INDEX_DTYPES))
        lo = 0 if idt.startswith("u") else -n
        ishape = draw(shapes(0, 2))
        dom = Domain(ilo=lo, ihi=max(n - 1, 0)) if n else Domain(ilo=0, ihi=0)
        idx = draw(array(idt, ishape, dom))
        if n == 0 and int(np.prod(ishape)) > 0:
            idx = draw(array(idt, (0,), dom))  # no valid index into an empty axis
        return Case((a, idx), {"axis": axis} if axis is not None or draw(st.booleans()) else {})
    return s()


def _take_along_axis(dtype):
    @st.composite
    def s(draw):
        shape = draw(shapes(1))
        nd = len(shape)
        a = draw(array(dtype, shape))
        axis = draw(st.one_of(st.none(), st.integers(-nd, nd - 1)))
        n = int(np.prod(shape)) if axis is None else shape[axis]
        if axis is None:
            ishape = (draw(dims),)
        else:
            ishape = tuple(draw(st.sampled_from([d, 1])) if i != axis % nd else draw(dims)
                           for i, d in enumerate(shape))
        if n == 0:
            ishape = tuple(0 if i == (axis % nd if axis is not None else 0) else d for i, d in enumerate(ishape))
        idt = draw(st.sampled_from(INDEX_DTYPES[:3]))
        dom = Domain(ilo=0 if idt.startswith("u") else -n, ihi=max(n - 1, 0))
        return Case((a, draw(array(idt, ishape, dom))), {"axis": axis})
    return s()


# ---- creation ------------------------------------------------------------------------------------------

small_shapes = shapes(0, 3)


def _shape_dtype(dtype):
    @st.composite
    def s(draw):
        shape = draw(small_shapes)
        return Case((list(shape) if len(shape) != 1 or draw(st.booleans()) else shape[0], DT(dtype)))
    return s()


def _full(dtype):
    @st.composite
    def s(draw):
        shape = list(draw(small_shapes))
        if draw(st.booleans()):  # an array of values broadcast to the shape (mx_full_array)
            vals = draw(array(dtype, tuple(shape[len(shape) - draw(st.integers(0, len(shape))):])))
            return Case((shape, vals))
        val = draw(st.sampled_from([0, 1, -3, 2.5, True, 100]))
        return Case((shape, val), {"dtype": DT(dtype)})
    return s()


def _like(with_value):
    def strategy(dtype):
        @st.composite
        def s(draw):
            args = (draw(array(dtype)),)
            if with_value:
                args += (draw(st.sampled_from([0, 1, -2, 2.5, True])),)
            return Case(args)
        return s()
    return strategy


def _arange(dtype):
    @st.composite
    def s(draw):
        ints = draw(st.booleans())
        num = st.integers(-5, 20) if ints else st.floats(-5, 20, allow_nan=False).map(lambda f: round(f, 2))
        start, stop = draw(num), draw(num)
        step = draw(st.sampled_from([1, 2, 3, -1, 0.5, -0.25] if not ints else [1, 2, 3, -1, -2]))
        if dtype in INT_DTYPES or dtype == "bool":
            start, stop = max(start, 0), max(stop, 0)  # negative values don't fit unsigned dtypes
        kw = {"dtype": DT(dtype)}
        return Case((start, stop, step), kw)
    return s()


def _linspace(dtype):
    @st.composite
    def s(draw):
        lo, hi = draw(st.integers(-10, 10)), draw(st.integers(-10, 10))
        if dtype in INT_DTYPES or dtype == "bool":
            lo, hi = abs(lo), abs(hi)
        return Case((lo, hi, draw(st.integers(0, 12))), {"dtype": DT(dtype)})
    return s()


def _eye(dtype):
    @st.composite
    def s(draw):
        n = draw(st.integers(0, 5))
        args = (n, draw(st.one_of(st.none(), st.integers(0, 5))), draw(st.integers(-6, 6)))
        return Case(args, {"dtype": DT(dtype)})
    return s()


def _identity(dtype):
    return st.integers(0, 6).map(lambda n: Case((n,), {"dtype": DT(dtype)}))


# ---- random ---------------------------------------------------------------------------------------------

def _key(dtype):
    return st.integers(0, 2**64 - 1).map(lambda s: Case((s,)))


def _rsplit(dtype):
    return st.tuples(st.integers(0, 2**32 - 1), st.integers(1, 5)).map(lambda t: Case((t[0], t[1])))


def _uniform(dtype):
    @st.composite
    def s(draw):
        shape = list(draw(small_shapes))
        kw = {"shape": shape, "dtype": DT(dtype), "key": ("key", draw(st.integers(0, 2**32 - 1)))}
        if draw(st.booleans()):
            kw["low"] = draw(st.sampled_from([-2, 0, 0.5]))
            kw["high"] = draw(st.sampled_from([1, 3, 10.0]))
        return Case((), kw)
    return s()


def _normal(dtype):
    @st.composite
    def s(draw):
        shape = list(draw(small_shapes))
        kw = {"shape": shape, "dtype": DT(dtype), "key": ("key", draw(st.integers(0, 2**32 - 1)))}
        if draw(st.booleans()):
            kw["loc"] = draw(st.sampled_from([-1.0, 0.0, 3.0]))
            kw["scale"] = draw(st.sampled_from([0.5, 1.0, 2.0]))
        return Case((), kw)
    return s()


def _seeded(dtype):
    return st.tuples(st.integers(0, 2**32 - 1), small_shapes).map(lambda t: Case((t[0], list(t[1]))))


def _with_key(fn):
    """kwargs key=("key", seed) becomes M.random.key(seed) in each library."""
    def call(M, *args, **kw):
        if "key" in kw:
            kw["key"] = M.random.key(kw["key"][1])
        return fn(M, *args, **kw)
    return call


def _seed_then_draw(M, seed, shape):
    M.random.seed(seed)
    return [M.random.uniform(shape=shape), M.random.normal(shape)]


def _key_kw(draw):
    return ("key", draw(st.integers(0, 2**32 - 1)))


def _randint(dtype):
    """Bounds as Python ints or arrays that broadcast against the shape; high <= low now and then."""
    @st.composite
    def s(draw):
        shape = list(draw(small_shapes))
        low = draw(st.integers(-50, 50))
        high = low + draw(st.integers(-2, 200))
        kw = {"dtype": DT(dtype), "key": _key_kw(draw)}
        return Case((low, high, shape), kw)
    return s()


def _bernoulli(dtype):
    """p as a Python float or a probability array of `dtype` broadcast against the shape."""
    @st.composite
    def s(draw):
        shape = draw(small_shapes)
        if draw(st.booleans()):
            p = draw(st.sampled_from([0.0, 0.3, 0.5, 1.0]))
        else:
            p = draw(array(dtype, shape[draw(st.integers(0, len(shape))):], Domain(flo=0.0, fhi=1.0, specials=False)))
        return Case((p, list(shape)), {"key": _key_kw(draw)})
    return s()


def _truncated_normal(dtype):
    @st.composite
    def s(draw):
        lower = draw(st.sampled_from([-3.0, -1.0, 0.0, 0.5]))
        upper = lower + draw(st.sampled_from([0.25, 1.0, 4.0]))
        return Case((lower, upper, list(draw(small_shapes))), {"dtype": DT(dtype), "key": _key_kw(draw)})
    return s()


def _shape_dtype_key(dtype, **extra):
    @st.composite
    def s(draw):
        kw = {"shape": list(draw(small_shapes)), "dtype": DT(dtype), "key": _key_kw(draw)}
        for name, values in extra.items():
            if draw(st.booleans()):
                kw[name] = draw(st.sampled_from(values))
        return Case((), kw)
    return s()


def _categorical(dtype):
    """Logits of `dtype` (finite), sampled along an axis, with num_samples or shape now and then.
    The batch (the logits' shape without the axis) has at least two entries: with one, MLX 0.32.4
    draws other values than its own gumbel + argmax composition gives (see
    test_random.py::test_categorical_single_batch_divergence)."""
    @st.composite
    def s(draw):
        shape = draw(shapes(2, 3, dim=st.integers(2, 5)))
        logits = draw(array(dtype, shape, Domain(flo=-4.0, fhi=4.0, specials=False)))
        axis = draw(st.integers(-len(shape), len(shape) - 1))
        kw = {"axis": axis, "key": _key_kw(draw)}
        batch = [d for i, d in enumerate(shape) if i != axis % len(shape)]
        choice = draw(st.integers(0, 2))
        if choice == 1:
            kw["num_samples"] = draw(st.integers(1, 4))
        elif choice == 2:
            kw["shape"] = [draw(st.integers(1, 3))] + batch
        return Case((logits,), kw)
    return s()


# ---- the table -----------------------------------------------------------------------------------------------

@dataclass
class OpSpec:
    name: str                     # MLX Python name (attribute path under mlx.core)
    family: str                   # test module it belongs to
    strategy: Callable            # dtype -> strategy of Case
    call: Callable                # (M, *args, **kwargs) -> result
    tolerance: Callable = tol_exact
    dtypes: list = field(default_factory=lambda: list(DTYPES))
    c_names: str = ""             # the C functions it covers

    def available(self, M):
        """Whether M has the function (ops called through syntax need only M.array)."""
        if "(" in self.c_names:
            return hasattr(M, "array")
        obj = M
        for part in self.name.split("."):
            obj = getattr(obj, part, None)
            if obj is None:
                return False
        return True


def _fn(name):
    def call(M, *args, **kw):
        obj = M
        for part in name.split("."):
            obj = getattr(obj, part)
        return obj(*args, **kw)
    return call


OPS = []


def op(name, family, strategy, tolerance=tol_exact, dtypes=None, call=None, c_names=None):
    OPS.append(OpSpec(name, family, strategy, call or _fn(name), tolerance,
                      list(dtypes) if dtypes else list(DTYPES), c_names or f"mx_{name.replace('.', '_')}"))


POS = Domain(flo=0.0, fhi=10.0, ilo=0, ihi=100)
UNIT = Domain(flo=-1.2, fhi=1.2, ilo=-1, ihi=1)

# unary: name, domain, tolerance
for name, dom, tol in [
    ("abs", DEFAULT_DOMAIN, tol_exact), ("negative", Domain(extremes=True), tol_exact),
    ("sign", DEFAULT_DOMAIN, tol_exact), ("sqrt", Domain(flo=-1.0), tol_transc),
    ("rsqrt", Domain(flo=-1.0, ilo=-1), tol_transc), ("square", DEFAULT_DOMAIN, tol_exact),
    ("reciprocal", DEFAULT_DOMAIN, tol_transc), ("exp", DEFAULT_DOMAIN, tol_transc),
    ("expm1", DEFAULT_DOMAIN, tol_transc), ("log", Domain(flo=-1.0, fhi=100.0), tol_transc),
    ("log1p", Domain(flo=-1.5, fhi=100.0), tol_transc), ("log2", Domain(flo=-1.0, fhi=100.0), tol_transc),
    ("log10", Domain(flo=-1.0, fhi=100.0), tol_transc), ("sin", DEFAULT_DOMAIN, tol_transc),
    ("cos", DEFAULT_DOMAIN, tol_transc), ("tan", Domain(flo=-1.5, fhi=1.5), tol_transc),
    ("arcsin", UNIT, tol_transc), ("arccos", UNIT, tol_transc), ("arctan", DEFAULT_DOMAIN, tol_transc),
    ("sinh", DEFAULT_DOMAIN, tol_transc), ("cosh", DEFAULT_DOMAIN, tol_transc), ("tanh", DEFAULT_DOMAIN, tol_transc),
    ("arcsinh", DEFAULT_DOMAIN, tol_transc), ("arccosh", Domain(flo=0.5, fhi=10.0, ilo=0), tol_transc),
    ("arctanh", UNIT, tol_transc), ("sigmoid", DEFAULT_DOMAIN, tol_transc), ("erf", Domain(flo=-3, fhi=3), tol_transc),
    ("erfinv", UNIT, tol_transc), ("floor", DEFAULT_DOMAIN, tol_exact), ("ceil", DEFAULT_DOMAIN, tol_exact),
    ("logical_not", DEFAULT_DOMAIN, tol_exact), ("bitwise_invert", Domain(extremes=True), tol_exact),
    ("isnan", DEFAULT_DOMAIN, tol_exact), ("isinf", DEFAULT_DOMAIN, tol_exact), ("isfinite", DEFAULT_DOMAIN, tol_exact),
    ("degrees", DEFAULT_DOMAIN, tol_transc), ("radians", DEFAULT_DOMAIN, tol_transc),
    ("stop_gradient", DEFAULT_DOMAIN, tol_exact),
]:
    op(name, "unary", _unary(dom), tol_transc_for(name) if tol is tol_transc else tol)
op("round", "unary", _unary(Domain(flo=-100, fhi=100),
                            st.integers(-2, 3).map(lambda d: {"decimals": d} if d else {})), tol_transc)
op("contiguous", "unary", _unary(), tol_exact)
op("copy", "unary", _unary(), tol_exact, call=lambda M, a: M.array(a), c_names="mx_copy (mx.array(a))")
op("positive", "unary", _unary(), tol_exact, call=lambda M, a: +a, c_names="mx_positive (+a)")
op("astype", "unary", _astype, tol_exact)

# binary
NZ = Domain(nonzero=True, ilo=-20, ihi=20)
SHIFT = {d: Domain(ilo=0, ihi=8 * np.dtype(d).itemsize - 1) for d in INT_DTYPES}
for name, dom_a, dom_b, tol in [
    ("add", Domain(extremes=True), DEFAULT_DOMAIN, tol_exact), ("subtract", Domain(extremes=True), DEFAULT_DOMAIN, tol_exact),
    ("multiply", DEFAULT_DOMAIN, DEFAULT_DOMAIN, tol_exact), ("divide", DEFAULT_DOMAIN, NZ, tol_exact),
    ("floor_divide", Domain(ilo=-100, ihi=100), NZ, tol_exact), ("remainder", Domain(ilo=-100, ihi=100), NZ, tol_transc),
    ("power", Domain(flo=-3, fhi=3, ilo=-3, ihi=3), Domain(flo=-3, fhi=3, ilo=0, ihi=5), tol_transc),
    ("maximum", DEFAULT_DOMAIN, DEFAULT_DOMAIN, tol_exact), ("minimum", DEFAULT_DOMAIN, DEFAULT_DOMAIN, tol_exact),
    ("logaddexp", DEFAULT_DOMAIN, DEFAULT_DOMAIN, tol_transc), ("arctan2", DEFAULT_DOMAIN, DEFAULT_DOMAIN, tol_transc),
    ("equal", DEFAULT_DOMAIN, DEFAULT_DOMAIN, tol_exact), ("not_equal", DEFAULT_DOMAIN, DEFAULT_DOMAIN, tol_exact),
    ("greater", DEFAULT_DOMAIN, DEFAULT_DOMAIN, tol_exact), ("greater_equal", DEFAULT_DOMAIN, DEFAULT_DOMAIN, tol_exact),
    ("less", DEFAULT_DOMAIN, DEFAULT_DOMAIN, tol_exact), ("less_equal", DEFAULT_DOMAIN, DEFAULT_DOMAIN, tol_exact),
    ("logical_and", DEFAULT_DOMAIN, DEFAULT_DOMAIN, tol_exact), ("logical_or", DEFAULT_DOMAIN, DEFAULT_DOMAIN, tol_exact),
    ("bitwise_and", Domain(extremes=True), Domain(extremes=True), tol_exact),
    ("bitwise_or", Domain(extremes=True), Domain(extremes=True), tol_exact),
    ("bitwise_xor", Domain(extremes=True), Domain(extremes=True), tol_exact),
]:
    op(name, "binary", _binary(dom_a, dom_b), tol_transc_for(name) if tol is tol_transc else tol)
for name in ("left_shift", "right_shift"):
    # shift counts of the width or more are undefined behaviour in C and C++: drawn below the width
    op(name, "binary", _binary(Domain(ilo=0, ihi=1000), dom_b_for=lambda d: SHIFT.get(d, Domain(ilo=0, ihi=7))))
op("where", "binary", _where, tol_exact)
op("matmul", "binary", _matmul, tol_accum(power=2))

# reductions
for name, tol, kind in [
    ("sum", tol_accum(), "plain"), ("prod", tol_accum(power=0), "plain"), ("max", tol_exact, "plain"),
    ("min", tol_exact, "plain"), ("all", tol_exact, "plain"), ("any", tol_exact, "plain"),
    ("mean", tol_accum(), "plain"), ("var", tol_accum(power=2), "ddof"), ("std", tol_accum(power=2, sqrt=True), "ddof"),
    ("logsumexp", tol_accum(transc=True, name="logsumexp"), "plain"), ("argmax", tol_exact, "arg"), ("argmin", tol_exact, "arg"),
]:
    dom = Domain(flo=-1.5, fhi=1.5, ilo=-3, ihi=3) if name == "prod" else DEFAULT_DOMAIN
    op(name, "reduce", _reduce(kind, dom), tol, c_names=f"mx_{name}, mx_{name}_axis" + (
        "" if kind == "arg" else f", mx_{name}_axes"))
op("softmax", "reduce", _softmax, tol_accum(power=0, transc=True, name="softmax"), c_names="mx_softmax, mx_softmax_axis, mx_softmax_axes")

# shape
for name, build in [
    ("reshape", _reshape_args), ("flatten", _flatten_args), ("transpose", _transpose_args),
    ("swapaxes", _swapaxes_args), ("expand_dims", _expand_dims_args), ("squeeze", _squeeze_args),
    ("broadcast_to", _broadcast_to_args), ("flip", _flip_args), ("split", _split_args),
]:
    op(name, "shape", _shape_first(build), c_names="mx_split, mx_split_at" if name == "split" else None)
op("concatenate", "shape", _list_of_arrays(stack=False))
op("stack", "shape", _list_of_arrays(stack=True))
op("slice", "shape", _slice, call=lambda M, a, idx: a[idx], c_names="mx_slice (a[start:stop:step])")
op("take", "shape", _take, c_names="mx_take, mx_take_flat")
op("take_along_axis", "shape", _take_along_axis)

# creation
for name in ("zeros", "ones"):
    op(name, "creation", _shape_dtype)
op("full", "creation", _full, c_names="mx_full, mx_full_array")
op("zeros_like", "creation", _like(False))
op("ones_like", "creation", _like(False))
op("full_like", "creation", _like(True))
op("arange", "creation", _arange, tol_transc)
op("linspace", "creation", _linspace, tol_transc)
op("eye", "creation", _eye)
op("identity", "creation", _identity)

# random (same Threefry generator as MLX: same key, same numbers)
op("random.key", "random", _key, dtypes=["uint32"])
op("random.split", "random", _rsplit, dtypes=["uint32"],
   call=lambda M, seed, num: M.random.split(M.random.key(seed), num))
op("random.uniform", "random", _uniform, tol_transc, call=_with_key(_fn("random.uniform")))
op("random.normal", "random", _normal, tol_transc, call=_with_key(_fn("random.normal")))
op("random.seed", "random", _seeded, tol_transc, dtypes=["float32"], call=_seed_then_draw)
_RANDOM_FLOATS = ["float16", "bfloat16", "float32"]
op("random.randint", "random", _randint, dtypes=sorted(INT_DTYPES), call=_with_key(_fn("random.randint")))
op("random.bernoulli", "random", _bernoulli, dtypes=_RANDOM_FLOATS, call=_with_key(_fn("random.bernoulli")))
op("random.truncated_normal", "random", _truncated_normal, tol_transc, dtypes=_RANDOM_FLOATS,
   call=_with_key(_fn("random.truncated_normal")))
op("random.gumbel", "random", lambda d: _shape_dtype_key(d), tol_transc, dtypes=_RANDOM_FLOATS,
   call=_with_key(_fn("random.gumbel")))
op("random.laplace", "random", lambda d: _shape_dtype_key(d, loc=[-1.0, 0.0, 2.0], scale=[0.5, 1.0, 3.0]),
   tol_transc, dtypes=_RANDOM_FLOATS, call=_with_key(_fn("random.laplace")))
op("random.categorical", "random", _categorical, dtypes=_RANDOM_FLOATS, call=_with_key(_fn("random.categorical")),
   c_names="mx_random_categorical, mx_random_categorical_shape, mx_random_categorical_samples")

# C functions with no MLX Python counterpart (nothing to compare against).
NO_MLX_PYTHON_NAME = {"mx_random_bits": "mlx.core.random has no bits() (C++ only)"}

# The op families of later modules, one file each (optable_<area>.py): each
# calls op(...) for its functions and may define KNOWN_DIVERGENCES (see
# conftest.py) and add to NO_MLX_PYTHON_NAME.
AREAS = ['indexing', 'sort', 'conv', 'fast', 'linalg', 'fft', 'quantize', 'composite']
AREA_MODULES = [importlib.import_module(f"optable_{area}") for area in AREAS]

OPS_BY_NAME = {o.name: o for o in OPS}
