"""Op table entries of the sort functions (include/cmlx/sort.h): see optable.py.

Tolerances: every function here is exact against MLX 0.32. The scans fold
each row in order as MLX's CPU scan does (float16/bfloat16 rounded at every
step, logcumsumexp with MLX's float32 exp polynomial and the same log1p), the
sorts and partitions reproduce MLX's algorithms' output order (stable radix ==
std::stable_sort; libstdc++'s nth_element step for step), and median is a sort
then (a + b) * 0.5. tol_exact still allows float16/bfloat16 their one ulp.
"""

from hypothesis import strategies as st

from harness import DT, DTYPES, INEXACT_DTYPES, Case, Domain, DEFAULT_DOMAIN, make_input
from optable import NO_MLX_PYTHON_NAME, array, dims, op, recipes, seeds, shapes, tol_exact  # noqa: F401

# Known open differences from MLX (test id -> reason), as in conftest.py.
KNOWN_DIVERGENCES = {}


def _view_ndim(a):
    """ndim of the view an Inp builds (newaxis adds one)."""
    return a.values.ndim + (1 if a.recipe[0] == "newaxis" else 0)


def _view_shape(a):
    if a.recipe[0] in ("broadcast", "newaxis"):
        return tuple(a.recipe[1])
    if a.recipe[0] == "transpose":
        return a.values.shape[::-1]
    if a.recipe[0] == "step":
        _, axis, _ = a.recipe
        s = list(a.values.shape)
        s[axis] = s[axis] // 2
        return tuple(s)
    return a.values.shape


def _axis(draw, nd, allow_none=True, bad_rate=12):
    """None (the flattened array), an int in range (negative too), or now
    and then one out of range (MLX: IndexError)."""
    if draw(st.integers(0, bad_rate)) == 0:
        return draw(st.sampled_from([nd, -nd - 1, nd + 2]))
    if nd == 0 or (allow_none and draw(st.integers(0, 3)) == 0):
        return None if allow_none else 0
    return draw(st.integers(-nd, nd - 1))


# Small integer-valued floats make ties (stability, partition order) common.
TIES = Domain(flo=-4.0, fhi=4.0, ilo=-4, ihi=4, integral=True)


def _values(draw, dtype, shape=None):
    dom = draw(st.sampled_from([DEFAULT_DOMAIN, TIES]))
    return draw(array(dtype, shape=shape, dom=dom))


def _scan(with_dtype):
    def strategy(dtype):
        @st.composite
        def s(draw):
            a = _values(draw, dtype)
            kw = {"axis": _axis(draw, _view_ndim(a)), "reverse": draw(st.booleans()),
                  "inclusive": draw(st.booleans())}
            if kw["axis"] is None and draw(st.booleans()):
                del kw["axis"]
            if with_dtype and draw(st.integers(0, 3)) == 0:
                # float -> integer casts of values out of range (inf, negatives to unsigned) are
                # undefined in C and C++ (docs/differential-testing.md): inexact inputs keep inexact
                targets = [d for d in DTYPES if d in INEXACT_DTYPES or dtype not in INEXACT_DTYPES]
                kw["dtype"] = DT(draw(st.sampled_from(targets)))
            return Case((a,), kw)
        return s()
    return strategy


def _diff(dtype):
    @st.composite
    def s(draw):
        a = _values(draw, dtype)
        nd = _view_ndim(a)
        kw = {}
        if draw(st.booleans()):
            kw["n"] = draw(st.integers(-1, 4))
        if draw(st.booleans()):
            kw["axis"] = _axis(draw, nd, allow_none=False)
        return Case((a,), kw)
    return s()


def _sort(dtype):
    @st.composite
    def s(draw):
        a = _values(draw, dtype)
        kw = {}
        if draw(st.integers(0, 2)):
            kw["axis"] = _axis(draw, _view_ndim(a))
        return Case((a,), kw)
    return s()


def _partition_like(kind):
    """kind: 'kth' (partition, argpartition) or 'k' (topk)."""
    def strategy(dtype):
        @st.composite
        def s(draw):
            a = _values(draw, dtype)
            shape = _view_shape(a)
            nd = len(shape)
            axis = _axis(draw, nd) if draw(st.integers(0, 2)) else -1
            if axis is None:
                n = int(__import__("numpy").prod(shape)) if shape else 1
            elif -nd <= axis < nd:
                n = shape[axis]
            else:
                n = 1
            if kind == "kth":
                k = draw(st.integers(-n, n - 1)) if n and draw(st.integers(0, 11)) else draw(
                    st.sampled_from([n, -n - 1, 0]))
            else:
                k = draw(st.integers(0, n)) if draw(st.integers(0, 11)) else draw(st.sampled_from([n + 1, -1]))
            kw = {} if axis == -1 and draw(st.booleans()) else {"axis": axis}
            return Case((a, k), kw)
        return s()
    return strategy


def _searchsorted(dtype):
    @st.composite
    def s(draw):
        import numpy as np

        m = draw(st.sampled_from([0, 1, 2, 3, 5, 9]))
        seq = make_input(draw(seeds), (m,), dtype, "contig", TIES if draw(st.booleans()) else DEFAULT_DOMAIN)
        if draw(st.integers(0, 5)):  # sorted in MLX's order (NaN last); at times not sorted at all
            v = seq.values
            if v.dtype.kind == "c":
                key = [(np.isnan(z.real) or np.isnan(z.imag), z.real, z.imag) for z in v]
            else:
                key = [(bool(np.isnan(x)) if v.dtype.kind == "f" else False, x) for x in v]
            seq.values[...] = v[sorted(range(m), key=lambda i: key[i])]
        if draw(st.integers(0, 15)) == 0:  # not 1-D: MLX's ValueError
            seq = make_input(draw(seeds), (2, m), dtype, "contig")
        vdtype = dtype if draw(st.integers(0, 3)) else draw(st.sampled_from(DTYPES))
        values = draw(array(vdtype, shape=draw(shapes(0, 3)), dom=TIES if draw(st.booleans()) else DEFAULT_DOMAIN))
        kw = {}
        if draw(st.booleans()):
            kw["side"] = draw(st.sampled_from(["left", "right", "right", "middle"]))
        return Case((seq, values), kw)
    return s()


def _median(dtype):
    @st.composite
    def s(draw):
        a = _values(draw, dtype)
        nd = _view_ndim(a)
        kind = draw(st.integers(0, 3))
        if kind == 0:
            axis = None
        elif kind == 1:
            axis = _axis(draw, nd, allow_none=False)
        else:
            axis = draw(st.lists(st.integers(-nd, nd - 1), max_size=nd, unique=True)) if nd else []
            if draw(st.integers(0, 11)) == 0:
                axis = axis + axis[:1] if axis else [nd]  # a repeated or out-of-range axis
        kw = {"axis": axis} if axis is not None or draw(st.booleans()) else {}
        if draw(st.booleans()):
            kw["keepdims"] = draw(st.booleans())
        return Case((a,), kw)
    return s()


for _name in ("cumsum", "cumprod"):
    op(_name, "sort", _scan(with_dtype=True), tol_exact, c_names=f"mx_{_name}, mx_{_name}_axis")
for _name in ("cummax", "cummin", "logcumsumexp"):
    op(_name, "sort", _scan(with_dtype=False), tol_exact, c_names=f"mx_{_name}, mx_{_name}_axis")
op("diff", "sort", _diff, tol_exact)
for _name in ("sort", "argsort"):
    op(_name, "sort", _sort, tol_exact, c_names=f"mx_{_name}, mx_{_name}_axis")
for _name in ("partition", "argpartition"):
    op(_name, "sort", _partition_like("kth"), tol_exact, c_names=f"mx_{_name}, mx_{_name}_axis")
op("topk", "sort", _partition_like("k"), tol_exact, c_names="mx_topk, mx_topk_axis")
op("searchsorted", "sort", _searchsorted, tol_exact)
op("median", "sort", _median, tol_exact, c_names="mx_median, mx_median_axis, mx_median_axes")
