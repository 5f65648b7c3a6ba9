"""Op table entries of the composite functions (include/cmlx/composite.h): see optable.py.

Each entry draws arguments in every dtype (as the other tables do); where
MLX raises for a dtype or an argument, cmlx must raise the same class. The
tolerances are the table's: exact for compositions of correctly rounded ops
and views, transcendental for the windows (sin/cos in float32), accumulation
for the contractions (a sum of N products: 4 eps N max|x|^2, N the
contraction size)."""

import numpy as np
from hypothesis import strategies as st

from harness import DTYPES, INEXACT_DTYPES, INT_DTYPES, Case, DT, Domain, DEFAULT_DOMAIN, make_input
from optable import (NO_MLX_PYTHON_NAME, _fn, _with_key, array, axis_arg, broadcast_shapes, dims, op,  # noqa: F401
                     seeds, shapes, tol_accum, tol_exact, tol_transc, tol_transc_for)

# Known open differences from MLX (test id -> reason), as in conftest.py.
KNOWN_DIVERGENCES = {}

FAMILY = "composite"
SMALL = Domain(flo=-3.0, fhi=3.0, ilo=-3, ihi=3)
# MLX 0.32 can hang (now and then) evaluating a reduction of an empty strided view (a
# trace of a (0, 0, 5, 4) array stepped on axis 0 hung 1 run in 20): the functions that reduce
# draw non-empty arrays
FULL_DIMS = st.sampled_from([2, 3, 1, 4, 5])
full_shapes = shapes(dim=FULL_DIMS)


@st.composite
def full_broadcast_shapes(draw):
    target = draw(full_shapes)
    out = []
    for _ in range(2):
        drop = draw(st.integers(0, len(target)))
        mask = draw(st.integers(0, 15))
        out.append(tuple(1 if (mask >> i) & 1 else d for i, d in enumerate(target[drop:])))
    if draw(st.integers(0, 11)) == 0:
        out[0], out[1] = out[0] + (3,), out[1] + (2,)
    return out


# contractions: no NaN/inf (complex products of inf and 0 are matmul's business, not the composition's)
FINITE = Domain(flo=-3.0, fhi=3.0, ilo=-3, ihi=3, specials=False)
POSITIVE_INTS = Domain(ilo=0, ihi=100)


def _nd(inp):
    """The rank of the array an Inp builds (newaxis views add one)."""
    return inp.values.ndim + (1 if inp.recipe[0] == "newaxis" else 0)


def _shape(inp):
    if inp.recipe[0] in ("broadcast", "newaxis"):
        return tuple(inp.recipe[1])
    if inp.recipe[0] == "transpose":
        return tuple(inp.values.shape[::-1])
    if inp.recipe[0] == "step":
        s = list(inp.values.shape)
        s[inp.recipe[1]] = len(range(0, s[inp.recipe[1]], 2))
        return tuple(s)
    return tuple(inp.values.shape)


def _scalar_or_array(draw, dtype, shape=()):
    kind = draw(st.sampled_from(["int", "float", "array", "none"]))
    if kind == "int":
        return draw(st.integers(-3, 5))
    if kind == "float":
        return draw(st.sampled_from([-1.5, 0.25, 2.0]))
    if kind == "array":
        return draw(array(dtype, shape))
    return None


# ---- element-wise -------------------------------------------------------------------------------

def _clip(dtype):
    @st.composite
    def s(draw):
        a = draw(array(dtype))
        lo, hi = _scalar_or_array(draw, dtype), _scalar_or_array(draw, dtype)
        return Case((a, lo, hi))
    return s()


def _nan_to_num(dtype):
    @st.composite
    def s(draw):
        kw = {}
        if draw(st.booleans()):
            kw["nan"] = draw(st.sampled_from([0, -1.5, 7.0]))
        if draw(st.booleans()):
            kw["posinf"] = draw(st.sampled_from([1e30, 3.0, -2.0]))
        if draw(st.booleans()):
            kw["neginf"] = draw(st.sampled_from([-1e30, -3.0]))
        return Case((draw(array(dtype)),), kw)
    return s()


def _unary(dom=DEFAULT_DOMAIN):
    return lambda dtype: st.builds(lambda a: Case((a,)), array(dtype, dom=dom))


def _binary(dom_a=DEFAULT_DOMAIN, dom_b=DEFAULT_DOMAIN):
    def strategy(dtype):
        @st.composite
        def s(draw):
            sa, sb = draw(broadcast_shapes())
            return Case((draw(array(dtype, sa, dom_a)), draw(array(dtype, sb, dom_b))))
        return s()
    return strategy


def _divmod(dtype):
    """Integer divisors are non-zero (integer division by zero is undefined in C and C++);
    bool divisors are drawn freely: MLX's DivMod gives (a, False) for them, False included."""
    @st.composite
    def s(draw):
        sa, sb = draw(broadcast_shapes())
        a = draw(array(dtype, sa, Domain(ilo=-100, ihi=100)))
        b = draw(array(dtype, sb, Domain(nonzero=dtype != "bool", ilo=-20, ihi=20)))
        return Case((a, b))
    return s()


def _isclose(dtype, full=False):
    @st.composite
    def s(draw):
        sa, sb = draw(full_broadcast_shapes() if full else broadcast_shapes())
        kw = {}
        if draw(st.booleans()):
            kw["rtol"] = draw(st.sampled_from([1e-5, 0.1, 0.0]))
        if draw(st.booleans()):
            kw["atol"] = draw(st.sampled_from([1e-8, 0.5, 0.0]))
        if draw(st.booleans()):
            kw["equal_nan"] = draw(st.booleans())
        a = draw(array(dtype, sa, SMALL))
        b = draw(array(dtype, sb, SMALL)) if draw(st.booleans()) else a
        return Case((a, b), kw)
    return s()


def _array_equal(dtype):
    @st.composite
    def s(draw):
        a = draw(array(dtype, draw(full_shapes), dom=SMALL))
        if draw(st.booleans()):
            b = a
        else:
            b = draw(array(dtype, _shape(a) if draw(st.booleans()) else draw(full_shapes), dom=SMALL))
        return Case((a, b), {"equal_nan": draw(st.booleans())})
    return s()


def _reduce_like(dtype):
    @st.composite
    def s(draw):
        a = draw(array(dtype, draw(full_shapes)))
        kw = {"axis": draw(axis_arg(_nd(a))), "keepdims": draw(st.booleans())}
        return Case((a,), kw)
    return s()


def _window(dtype):
    return st.integers(-2, 12).map(lambda m: Case((m,)))


# ---- shapes -----------------------------------------------------------------------------------------

def _arrays(n_min, n_max):
    def strategy(dtype):
        @st.composite
        def s(draw):
            return Case(tuple(draw(array(dtype, draw(shapes(0, 3)))) for _ in range(draw(st.integers(n_min, n_max)))))
        return s()
    return strategy


def _broadcast_arrays(dtype):
    @st.composite
    def s(draw):
        shps = draw(broadcast_shapes(draw(st.integers(2, 3))))[: draw(st.integers(1, 3))]
        return Case(tuple(draw(array(dtype, sh)) for sh in shps))
    return s()


def _broadcast_shapes(dtype):
    @st.composite
    def s(draw):
        shps = draw(broadcast_shapes(draw(st.integers(2, 3))))[: draw(st.integers(0, 3))]
        return Case(tuple(list(sh) if draw(st.booleans()) else tuple(sh) for sh in shps))
    return s()


def _meshgrid(dtype):
    @st.composite
    def s(draw):
        arrs = tuple(draw(array(dtype, draw(shapes(0, 2, st.sampled_from([1, 2, 3]))))) for _ in range(draw(st.integers(0, 3))))
        kw = {}
        if draw(st.booleans()):
            kw["sparse"] = draw(st.booleans())
        if draw(st.booleans()):
            kw["indexing"] = draw(st.sampled_from(["xy", "ij", "ji"]))
        return Case(arrs, kw)
    return s()


def _unstack(dtype):
    @st.composite
    def s(draw):
        a = draw(array(dtype))
        nd = _nd(a)
        return Case((a,), {"axis": draw(st.integers(-nd - 1, nd))} if draw(st.integers(0, 3)) else {})
    return s()


def _moveaxis(dtype):
    @st.composite
    def s(draw):
        a = draw(array(dtype, draw(shapes(1))))
        nd = _nd(a)
        return Case((a, draw(st.integers(-nd - 1, nd)), draw(st.integers(-nd, nd - 1))))
    return s()


def _unflatten(dtype):
    @st.composite
    def s(draw):
        a = draw(array(dtype, draw(shapes(1, 3, st.sampled_from([1, 2, 4, 6])))))
        shp = _shape(a)
        axis = draw(st.integers(-len(shp) - 1, len(shp)))
        n = shp[axis] if -len(shp) <= axis < len(shp) else 4
        factors = [f for f in (1, 2, 3) if n % f == 0]
        f = draw(st.sampled_from(factors))
        new = [f, n // f]
        if draw(st.booleans()):
            new[draw(st.integers(0, 1))] = -1
        if draw(st.integers(0, 7)) == 0:
            new = [5, n]  # a size mismatch: ValueError
        return Case((a, axis, new))
    return s()


def _tile(dtype):
    @st.composite
    def s(draw):
        a = draw(array(dtype, draw(shapes(0, 3))))
        reps = draw(st.one_of(st.integers(0, 3), st.lists(st.integers(0, 3), max_size=4)))
        if draw(st.integers(0, 11)) == 0:
            reps = -1
        return Case((a, reps))
    return s()


def _repeat(dtype):
    @st.composite
    def s(draw):
        a = draw(array(dtype, draw(shapes(0, 3))))
        nd = _nd(a)
        kw = {}
        if draw(st.booleans()):
            kw["axis"] = draw(st.integers(-nd - 1, nd)) if nd else 0
        return Case((a, draw(st.integers(-1, 3))), kw)
    return s()


def _roll(dtype):
    @st.composite
    def s(draw):
        a = draw(array(dtype))
        nd = _nd(a)
        axis_kind = draw(st.sampled_from(["none", "int", "list"]))
        axis = None
        if axis_kind == "int":
            axis = draw(st.integers(-nd, max(nd - 1, 0)))
        elif axis_kind == "list":
            axis = draw(st.lists(st.integers(-nd, nd - 1), unique=True, max_size=nd)) if nd else []
        shift = draw(st.integers(-7, 7)) if draw(st.booleans()) else tuple(
            draw(st.lists(st.integers(-7, 7), min_size=len(axis) if isinstance(axis, list) else 0, max_size=4)))
        return Case((a, shift) if axis is None else (a, shift, axis))
    return s()


def _pad(dtype):
    @st.composite
    def s(draw):
        a = draw(array(dtype, draw(shapes(0, 3))))
        nd = _nd(a)
        kind = draw(st.sampled_from(["int", "pair", "per_axis", "one_pair"]))
        w = st.integers(0, 5)
        if kind == "int":
            width = draw(w)
        elif kind == "pair":
            width = (draw(w), draw(w))
        elif kind == "one_pair":
            width = [(draw(w), draw(w))]
        else:
            width = [(draw(w), draw(w)) for _ in range(nd)] if nd else draw(w)
        kw = {"mode": draw(st.sampled_from(["constant", "edge", "reflect", "symmetric"]))}
        if kw["mode"] == "constant" and draw(st.booleans()):
            kw["constant_values"] = draw(st.sampled_from([2, -1, 0.5])) if draw(st.booleans()) else draw(array(dtype, ()))
        return Case((a, width), kw)
    return s()


def _tri(dtype):
    @st.composite
    def s(draw):
        args = (draw(st.integers(0, 5)), draw(st.one_of(st.none(), st.integers(0, 5))), draw(st.integers(-6, 6)))
        return Case(args, {"dtype": DT(dtype)})
    return s()


def _triangle(dtype):
    @st.composite
    def s(draw):
        return Case((draw(array(dtype, draw(shapes(1, 4)))),), {"k": draw(st.integers(-4, 4))})
    return s()


# ---- diagonals and contractions ------------------------------------------------------------------------

def _diagonal(dtype):
    @st.composite
    def s(draw):
        a = draw(array(dtype, draw(shapes(1, 4))))
        nd = _nd(a)
        kw = {"offset": draw(st.integers(-4, 4))}
        if draw(st.booleans()):
            kw["axis1"] = draw(st.integers(-nd, nd))
            kw["axis2"] = draw(st.integers(-nd, nd))
        return Case((a,), kw)
    return s()


def _diag(dtype):
    @st.composite
    def s(draw):
        return Case((draw(array(dtype, draw(shapes(0, 3)))),), {"k": draw(st.integers(-3, 3))})
    return s()


def _trace(dtype):
    """The diagonal is never empty: MLX hangs now and then summing an empty one."""
    @st.composite
    def s(draw):
        a = draw(array(dtype, draw(shapes(2, 4, FULL_DIMS)), dom=SMALL))
        shape = _shape(a)
        nd = len(shape)
        kw = {}
        ax1, ax2 = 0, 1
        if draw(st.booleans()):
            ax1, ax2 = draw(st.permutations(range(nd)))[:2]
            kw["axis1"] = ax1 - nd if draw(st.booleans()) else ax1
            kw["axis2"] = ax2 - nd if draw(st.booleans()) else ax2
            if draw(st.integers(0, 15)) == 0:
                kw["axis2"] = draw(st.sampled_from([nd, kw["axis1"]]))  # out of range, or the same axis
        kw["offset"] = draw(st.integers(-(shape[ax1] - 1), shape[ax2] - 1))
        if draw(st.booleans()):
            kw["dtype"] = DT(draw(st.sampled_from(["int32", "float32", "float16", "int8", "complex64"])))
        case = Case((a,), kw)
        case.meta["n"] = max(shape)
        return case
    return s()


def _kron(dtype):
    @st.composite
    def s(draw):
        return Case((draw(array(dtype, draw(shapes(0, 3)), FINITE)), draw(array(dtype, draw(shapes(0, 3)), FINITE))))
    return s()


def _tensordot(dtype):
    @st.composite
    def s(draw):
        k1, k2 = draw(FULL_DIMS), draw(FULL_DIMS)
        a_free, b_free = draw(shapes(0, 2, FULL_DIMS)), draw(shapes(0, 2, FULL_DIMS))
        form = draw(st.sampled_from(["int", "lists", "bad"]))
        if form == "int":
            n = draw(st.integers(0, 2))
            contracted = (k1, k2)[:n]
            a = draw(array(dtype, a_free + contracted, FINITE))
            b = draw(array(dtype, contracted + b_free, FINITE))
            case = Case((a, b), {"axes": n} if draw(st.booleans()) or n != 2 else {})
        else:
            a = draw(array(dtype, (k1,) + a_free + (k2,), FINITE))
            b = draw(array(dtype, (k2,) + b_free + (k1,), FINITE))
            na, nb = _nd(a), _nd(b)
            axes = [[0, na - 1], [nb - 1, 0]] if form == "lists" else [[0], [0, 1]]
            case = Case((a, b), {"axes": axes})
        case.meta["n"] = max(k1 * k2, 1)
        return case
    return s()


def _outer(dtype):
    @st.composite
    def s(draw):
        return Case((draw(array(dtype, draw(shapes(0, 2)), FINITE)), draw(array(dtype, draw(shapes(0, 2)), FINITE))))
    return s()


def _inner(dtype):
    @st.composite
    def s(draw):
        k = draw(FULL_DIMS)
        sa, sb = draw(shapes(0, 2, FULL_DIMS)) + (k,), draw(shapes(0, 2, FULL_DIMS)) + (k,)
        if draw(st.integers(0, 7)) == 0:
            sb = sb[:-1] + (k + 1,)
        if draw(st.integers(0, 7)) == 0:
            sa = ()
        case = Case((draw(array(dtype, sa, FINITE)), draw(array(dtype, sb, FINITE))))
        case.meta["n"] = max(k, 1)
        return case
    return s()


def _vecdot(dtype):
    @st.composite
    def s(draw):
        sa, sb = draw(full_broadcast_shapes())
        case = Case((draw(array(dtype, sa, FINITE)), draw(array(dtype, sb, FINITE))))
        nd = max(len(sa), len(sb), 1)
        if draw(st.booleans()):
            case.kwargs["axis"] = draw(st.integers(-nd - 1, nd))
        case.meta["n"] = max(max(sa + sb + (1,)), 1)
        return case
    return s()


def _addmm(dtype):
    @st.composite
    def s(draw):
        m, k, n = draw(FULL_DIMS), draw(FULL_DIMS), draw(FULL_DIMS)
        batch = draw(shapes(0, 2, FULL_DIMS))
        sa = batch + (m, k) if draw(st.integers(0, 4)) else (k,)
        sb = (k, n) if draw(st.booleans()) else batch + (k, n)
        if draw(st.integers(0, 5)) == 0:
            sb = (k,)
        c_shape = draw(st.sampled_from([(n,), (m, n), (1, n), (m, 1), ()])) if len(sb) > 1 else draw(
            st.sampled_from([(m,), (), (1,)]))
        if len(sa) == 1 and len(sb) == 1:
            c_shape = ()
        kw = {}
        if draw(st.booleans()):
            kw["alpha"] = draw(st.sampled_from([1.0, 2.5, -0.5]))
        if draw(st.booleans()):
            kw["beta"] = draw(st.sampled_from([1.0, 0.0, 3.0]))
        case = Case((draw(array(dtype, c_shape, FINITE)), draw(array(dtype, sa, FINITE)), draw(array(dtype, sb, FINITE))),
                    kw)
        case.meta["n"] = max(k, 1) + 2
        return case
    return s()


# subscripts and the operand shapes they take (letters -> sizes drawn per case)
EINSUMS = [
    ("ij,jk->ik", "ij jk"), ("ij,jk", "ij jk"), ("bhqd,bhkd->bhqk", "bhqd bhkd"), ("i,j->ij", "i j"),
    ("ii->i", "ii"), ("ii", "ii"), ("ij->ji", "ij"), ("ij->", "ij"), ("i,i", "i i"), ("bij,bjk->bik", "bij bjk"),
    ("ij,jk,kl->il", "ij jk kl"), ("ij,jk,kl,lm->im", "ij jk kl lm"), ("...ij,...jk", "xij jk"), ("i...->...", "ix"),
    ("iij->ji", "iij"), ("ab,ba->", "ab ba"), ("ij,kl->ijkl", "ij kl"), ("abc,cd,de,ea->b", "abc cd de ea"),
    ("i,->i", "i _"), ("ijk,ikl->ijl", "ijk ikl"), ("ij,ij->ij", "ij ij"),
]


def _operand_shape(spec, sizes):
    if spec == "_":
        return ()
    return tuple(sizes[c] for c in spec if c != "x") if "x" not in spec else (sizes["x"],) + tuple(
        sizes[c] for c in spec if c != "x")


def _einsum(dtype):
    @st.composite
    def s(draw):
        subs, specs = draw(st.sampled_from(EINSUMS))
        letters = set("".join(specs.split()))
        sizes = {c: draw(st.sampled_from([1, 2, 3, 4])) for c in letters}  # no 0: see FULL_DIMS
        operands = [draw(array(dtype, _operand_shape(sp, sizes), FINITE)) for sp in specs.split()]
        case = Case((subs, *operands))
        case.meta["n"] = int(np.prod(list(sizes.values())))
        return case
    return s()


# ---- views and complex parts -----------------------------------------------------------------------------

def _as_strided(dtype):
    @st.composite
    def s(draw):
        shape = draw(shapes(1, 3, st.sampled_from([2, 3, 4])))
        # MLX fails on a non-contiguous 1-D input (its flatten keeps the view); cmlx reads it in
        # order (docs/composite.md): 1-D inputs are drawn contiguous
        a = draw(array(dtype, shape, contiguous=len(shape) == 1))
        size = int(np.prod(_shape(a)))
        kind = draw(st.sampled_from(["defaults", "shape", "full"]))
        if kind == "defaults":
            return Case((a,))
        out = draw(st.lists(st.integers(0, 3), min_size=1, max_size=3))
        if kind == "shape":  # row-major strides of the new shape: it must hold no more elements than a
            while int(np.prod(out)) > size:
                out = out[1:] or [1]
            return Case((a, out))
        strides = [draw(st.integers(-2, 3)) for _ in out]
        # keep every read inside a (MLX does not check: cmlx raises, see docs/composite.md)
        lo = sum((n - 1) * st_ for n, st_ in zip(out, strides) if n > 0 and st_ < 0)
        hi = sum((n - 1) * st_ for n, st_ in zip(out, strides) if n > 0 and st_ > 0)
        if hi - lo >= size:
            return Case((a, out, [0] * len(out)))
        offset = draw(st.integers(-lo, size - 1 - hi))
        return Case((a, out, strides, offset))
    return s()


# NaN payloads differ between MLX's and cmlx's astype to float16 (the inputs are made by a cast),
# and only a view can see them: no NaNs here
NO_NAN = Domain(specials=False)


def _view(dtype):
    @st.composite
    def s(draw):
        a = draw(array(dtype, draw(shapes(0, 3, st.sampled_from([1, 2, 4, 8]))), NO_NAN))
        # viewing bytes as bool gives bools other than 0/1 in MLX: compared only from bool
        to = draw(st.sampled_from([d for d in DTYPES if d != "bool" or dtype == "bool"]))
        return Case((a, DT(to)))
    return s()


# ---- dtypes -------------------------------------------------------------------------------------------------

def _dtype_args(n):
    def strategy(dtype):
        @st.composite
        def s(draw):
            items = [DT(dtype)] + [DT(draw(st.sampled_from(DTYPES))) for _ in range(n - 1)]
            if draw(st.booleans()):
                items[0] = draw(array(dtype, (2,)))
            return Case(tuple(items))
        return s()
    return strategy


CATEGORIES = ["generic", "number", "integer", "signedinteger", "unsignedinteger", "inexact", "floating",
              "complexfloating"]


def _issubdtype(dtype):
    @st.composite
    def s(draw):
        pick = st.one_of(st.sampled_from(DTYPES).map(lambda d: ("dtype", d)),
                         st.sampled_from(CATEGORIES).map(lambda c: ("category", c)))
        first = ("dtype", dtype) if draw(st.booleans()) else draw(pick)
        return Case((first, draw(pick)))
    return s()


def _resolve_dtype_like(M, x):
    kind, name = x
    return getattr(M, name)


def _call_issubdtype(M, a, b):
    return M.issubdtype(_resolve_dtype_like(M, a), _resolve_dtype_like(M, b))


def _isdtype(dtype):
    kinds = ["bool", "signed integer", "unsigned integer", "integral", "real floating", "complex floating", "numeric",
             "nonsense"]

    @st.composite
    def s(draw):
        one = st.one_of(st.sampled_from(kinds), st.sampled_from(DTYPES).map(DT))
        kind = draw(one) if draw(st.booleans()) else tuple(draw(st.lists(one, min_size=1, max_size=3)))
        return Case((DT(dtype), kind))
    return s()


def _bool_result(fn):
    """Wrap a function returning a Python value so the harness compares it as an array."""
    def call(M, *args, **kw):
        return M.array(fn(M, *args, **kw))
    return call


def _dtype_result(fn):
    """A Dtype result compared through an array of that dtype."""
    def call(M, *args, **kw):
        return M.zeros((1,), dtype=fn(M, *args, **kw))
    return call


def _info(kind):
    def call(M, dt):
        info = getattr(M, kind)(dt)
        values = [float(info.min), float(info.max)] + ([float(info.eps), float(info.smallest_normal), info.bits]
                                                       if kind == "finfo" else [])
        return [M.array(np.array(values, dtype=np.float64)).astype(M.float32), M.zeros((1,), dtype=info.dtype)]
    return call


def _path_result(M, subs, *ops):
    path, text = M.einsum_path(subs, *ops)
    flat = [p for step in path for p in step] + [len(step) for step in path]
    return [M.array(np.array(flat, dtype=np.int32)), M.array(np.frombuffer(text.encode(), dtype=np.uint8).copy())]


def _shapes_result(M, *shapes):
    return M.array(np.array(M.broadcast_shapes(*shapes), dtype=np.int32))


def _depends(dtype):
    @st.composite
    def s(draw):
        one = array(dtype)
        ins = draw(one) if draw(st.booleans()) else draw(st.lists(one, min_size=1, max_size=3))
        deps = draw(one) if draw(st.booleans()) else draw(st.lists(one, max_size=2))
        return Case((ins, deps))
    return s()


def _mvn(dtype):
    """A covariance A A^T + n I (condition number below ~10 for these sizes) and a mean."""
    @st.composite
    def s(draw):
        from harness import Inp
        n = draw(st.integers(1, 4))
        rng = np.random.default_rng(draw(seeds))
        a = rng.integers(-2, 3, size=(n, n)).astype(np.float64)
        cov = a @ a.T + n * np.eye(n)
        batch = draw(st.sampled_from([(), (2,), (3, 1)]))
        mean = rng.integers(-3, 4, size=batch + (n,)).astype(np.float32)
        kw = {"key": ("key", draw(seeds))}
        if draw(st.booleans()):
            kw["shape"] = list(draw(st.sampled_from([(), (4,), (2, 1), (5, 2)])))
        if draw(st.integers(0, 5)) == 0:
            kw["dtype"] = DT(draw(st.sampled_from(["float16", "float64"])))
        case = Case((Inp(mean, dtype), Inp(cov.astype(np.float32), dtype)), kw)
        case.meta["n"] = n
        return case
    return s()


def _permutation(dtype):
    @st.composite
    def s(draw):
        kw = {"key": ("key", draw(seeds))}
        if draw(st.booleans()):
            return Case((draw(st.integers(-1, 12)),), kw)
        a = draw(array(dtype))
        nd = _nd(a)
        if draw(st.booleans()):
            kw["axis"] = draw(st.integers(-nd - 1, nd))
        return Case((a,), kw)
    return s()


def tol_mvn(case, value, dtype):
    """MLX takes U sqrt(S) V^T from a float32 SVD, cmlx from a float64 one: each is within
    cond(cov) eps32 of the true square root (cond < 10 here), then a product of n terms with
    |z| < 6 (float32 normal samples)."""
    n = case.meta["n"]
    r = 2e-6 + 10 * 4 * n * 2.0**-23 * 6
    return r, r


# ---- the table ----------------------------------------------------------------------------------------------

op("clip", FAMILY, _clip)
op("nan_to_num", FAMILY, _nan_to_num)
op("isposinf", FAMILY, _unary())
op("isneginf", FAMILY, _unary())
op("trunc", FAMILY, _unary())
op("logical_xor", FAMILY, _binary())
op("divmod", FAMILY, _divmod, tol_transc_for("remainder"))
op("isclose", FAMILY, _isclose)
op("allclose", FAMILY, lambda d: _isclose(d, full=True))
op("array_equal", FAMILY, _array_equal)
op("count_nonzero", FAMILY, _reduce_like, c_names="mx_count_nonzero, mx_count_nonzero_axis, mx_count_nonzero_axes")
op("minmax", FAMILY, _reduce_like, c_names="mx_minmax, mx_minmax_axis, mx_minmax_axes")
for _name in ("hanning", "hamming", "bartlett", "blackman"):
    op(_name, FAMILY, _window, tol_transc, dtypes=["float32"])
op("broadcast_shapes", FAMILY, _broadcast_shapes, dtypes=["int32"], call=_shapes_result,
   c_names="mx_broadcast_shape")
op("broadcast_arrays", FAMILY, _broadcast_arrays)
op("meshgrid", FAMILY, _meshgrid)
op("atleast_1d", FAMILY, _arrays(1, 3))
op("atleast_2d", FAMILY, _arrays(1, 3))
op("atleast_3d", FAMILY, _arrays(1, 3))
op("unstack", FAMILY, _unstack)
op("moveaxis", FAMILY, _moveaxis)
op("unflatten", FAMILY, _unflatten)
op("tile", FAMILY, _tile)
op("repeat", FAMILY, _repeat, c_names="mx_repeat, mx_repeat_axis")
op("roll", FAMILY, _roll, c_names="mx_roll, mx_roll_axis, mx_roll_axes")
op("pad", FAMILY, _pad)
op("tri", FAMILY, _tri)
op("tril", FAMILY, _triangle)
op("triu", FAMILY, _triangle)
op("diagonal", FAMILY, _diagonal)
op("diag", FAMILY, _diag)
op("trace", FAMILY, _trace, tol_accum())
op("kron", FAMILY, _kron)
op("tensordot", FAMILY, _tensordot, tol_accum(power=2), c_names="mx_tensordot, mx_tensordot_axes")
op("outer", FAMILY, _outer)
op("inner", FAMILY, _inner, tol_accum(power=2))
op("vecdot", FAMILY, _vecdot, tol_accum(power=2))
op("addmm", FAMILY, _addmm, tol_accum(power=2))
op("einsum", FAMILY, _einsum, tol_accum(power=2))
op("einsum_path", FAMILY, _einsum, call=_path_result, c_names="mx_einsum_path, mx_einsum_path_free")
op("as_strided", FAMILY, _as_strided)
op("view", FAMILY, _view)
op("real", FAMILY, _unary())
op("imag", FAMILY, _unary())
op("conjugate", FAMILY, _unary())
op("conj", FAMILY, _unary(), c_names="mx_conjugate (conj)")
op("result_type", FAMILY, _dtype_args(3), call=_dtype_result(_fn("result_type")), c_names="(Python) result_type")
op("can_cast", FAMILY, _dtype_args(2), call=_bool_result(_fn("can_cast")), c_names="(Python) can_cast")
op("issubdtype", FAMILY, _issubdtype, call=_bool_result(_call_issubdtype), c_names="(Python) issubdtype")
op("isdtype", FAMILY, _isdtype, call=_bool_result(_fn("isdtype")), c_names="(Python) isdtype")
op("finfo", FAMILY, lambda d: st.just(Case((DT(d),))), call=_info("finfo"), c_names="(Python) finfo")
op("iinfo", FAMILY, lambda d: st.just(Case((DT(d),))), call=_info("iinfo"), c_names="(Python) iinfo")
op("depends", FAMILY, _depends)
# bool covariances are all ones (singular): the square root of a singular value that a float32 SVD
# leaves at ~1e-7 is ~3e-4, so MLX's samples carry that noise; not drawn
op("random.multivariate_normal", FAMILY, _mvn, tol_mvn, call=_with_key(_fn("random.multivariate_normal")),
   dtypes=[d for d in DTYPES if d != "bool"])
op("random.permutation", FAMILY, _permutation, call=_with_key(_fn("random.permutation")),
   c_names="mx_random_permutation, mx_random_permutation_n")
