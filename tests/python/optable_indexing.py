"""Op table entries of the indexing functions (include/cmlx/indexing.h): see optable.py.

mlx.core.slice / slice_update / put_along_axis, and the array syntax behind
MLX's C++ gather and scatter: a[idx], a[idx] = v and a.at[idx].<op>(v), with
index expressions drawn from ints, slices (any start/stop/step), None,
Ellipsis, integer index arrays (cmlx/mlx arrays or nested lists, any integer
dtype, broadcasting shapes, repeated positions) and boolean masks (setitem).
Values are scalars or arrays of the selection's shape, of shapes that
broadcast to it (dims of 1, missing or extra leading dims), and now and then
of shapes that do not. Index values stay in range: MLX reads and writes out
of bounds for out-of-range indices (undefined behaviour; cmlx raises
IndexError, tested in tests/c/test_scatter.c).
"""

import numpy as np
from hypothesis import assume, strategies as st

from harness import Case, Domain, Inp
from optable import NO_MLX_PYTHON_NAME, array, dims, seeds, shapes, op  # noqa: F401

INDEX_DTYPES = ["int32", "int64", "uint32", "int8", "uint8", "int16", "uint16", "uint64"]
OTHER_DTYPES = ["float32", "int32", "bool", "float16", "int64", "complex64"]


def _index_array(draw, values, dtype):
    """An index array: a cmlx/mlx array (any integer dtype) or a nested list."""
    if draw(st.integers(0, 3)) == 0 and values.ndim > 0:
        return values.astype(np.int64).tolist()
    return Inp(values.astype(np.int64).astype(dtype), dtype)


@st.composite
def index_expr(draw, shape, arrays=True):
    """(index, numpy_index): an index expression for an array of `shape`
    and the same expression for NumPy (to know the selection's shape)."""
    nd = len(shape)
    named = draw(st.integers(0, nd))
    ellipsis_at = draw(st.integers(0, named)) if named < nd and draw(st.booleans()) else None
    # the axes the named entries refer to: the first ones, then (after an Ellipsis) the last ones
    if ellipsis_at is None:
        axes = list(range(named))
    else:
        axes = list(range(ellipsis_at)) + list(range(nd - (named - ellipsis_at), nd))
    bshape = draw(shapes(0, 2, dim=st.sampled_from([1, 2, 3])))
    entries, np_entries = [], []
    for k, d in enumerate(axes):
        if ellipsis_at is not None and k == ellipsis_at:
            entries.append(Ellipsis)
            np_entries.append(Ellipsis)
        n = shape[d]
        kinds = ["slice", "slice"] + (["int"] if n > 0 else []) + (["array", "array"] if arrays and n > 0 else [])
        kind = draw(st.sampled_from(kinds))
        if kind == "int":
            v = draw(st.integers(-n, n - 1))
            entries.append(v)
            np_entries.append(v)
        elif kind == "slice":
            s = slice(draw(st.one_of(st.none(), st.integers(-n - 2, n + 2))),
                      draw(st.one_of(st.none(), st.integers(-n - 2, n + 2))),
                      draw(st.sampled_from([None, 1, 2, -1, -2, 3])))
            entries.append(s)
            np_entries.append(s)
        else:
            ishape = tuple(draw(st.sampled_from([b, 1])) for b in bshape[draw(st.integers(0, len(bshape))):])
            dtype = draw(st.sampled_from(INDEX_DTYPES))
            lo = 0 if dtype.startswith("u") else -n
            rng = np.random.default_rng(draw(seeds))
            vals = rng.integers(lo, n, size=ishape, endpoint=False) if ishape else np.array(rng.integers(lo, n))
            entries.append(_index_array(draw, np.asarray(vals), dtype))
            np_entries.append(np.asarray(vals, dtype=np.int64))
    if ellipsis_at is not None and ellipsis_at == len(axes):
        entries.append(Ellipsis)
        np_entries.append(Ellipsis)
    for _ in range(draw(st.integers(0, 2))):  # new axes anywhere
        at = draw(st.integers(0, len(entries)))
        entries.insert(at, None)
        np_entries.insert(at, None)
    if len(entries) == 1 and draw(st.booleans()):
        return entries[0], np_entries[0]
    return tuple(entries), tuple(np_entries)


def _has_arrays(index):
    items = index if isinstance(index, tuple) else (index,)
    return any(isinstance(i, (Inp, list)) for i in items)


def _scatter_safe(shape, index, sel):
    """MLX 0.32 divides by zero (SIGFPE) scattering into an empty array or
    with an empty selection: such cases are not drawn."""
    if not _has_arrays(index):
        return True
    return int(np.prod(shape)) > 0 and sel is not None and int(np.prod(sel)) > 0


def selection_shape(shape, np_index):
    try:
        return np.empty(shape, dtype=np.int8)[np_index].shape
    except Exception:
        return None


@st.composite
def update_value(draw, dtype, sel, dom=Domain()):
    """A scalar or an array for a selection of shape `sel` (None: unknown)."""
    choice = draw(st.integers(0, 9))
    if choice <= 2:
        if dtype == "bool":
            return draw(st.booleans())
        return draw(st.sampled_from([2, 3, 1.5, -2.5, True] if not dom.nonzero else [2, 3, 1.5, -2.5]))
    vdtype = dtype if draw(st.integers(0, 3)) else draw(st.sampled_from(OTHER_DTYPES))
    if sel is None or choice == 9:  # any shape: usually an error
        vshape = draw(shapes(0, 3))
    else:
        sel = tuple(sel)
        variant = draw(st.integers(0, 3))
        if variant == 0:
            vshape = sel
        elif variant == 1:  # some dims of 1
            vshape = tuple(draw(st.sampled_from([s, 1])) for s in sel)
        elif variant == 2:  # a suffix
            vshape = sel[draw(st.integers(0, len(sel))):]
        else:  # extra leading dims of 1
            vshape = (1,) * draw(st.integers(1, 2)) + sel
    return draw(array(vdtype, vshape, dom, contiguous=draw(st.booleans())))


def _getitem(dtype):
    @st.composite
    def s(draw):
        shape = draw(shapes())
        a = draw(array(dtype, shape))
        index, _ = draw(index_expr(shape))
        if draw(st.integers(0, 15)) == 0:  # MLX rejects these: bool masks, float arrays, floats
            bad = draw(st.sampled_from(["mask", "float", "pyfloat", "empty"]))
            index = {"mask": Inp(np.ones(shape[:1], bool), "bool"), "float": Inp(np.zeros((2,), np.float32), "float32"),
                     "pyfloat": 1.0, "empty": []}[bad]
        return Case((a, index))
    return s()


def _setitem(dtype):
    @st.composite
    def s(draw):
        shape = draw(shapes())
        a = draw(array(dtype, shape))
        if draw(st.integers(0, 5)) == 0 and shape:  # a boolean mask over leading dims
            m = draw(st.integers(0, len(shape)))
            rng = np.random.default_rng(draw(seeds))
            mask = rng.random(shape[:m]) < 0.5
            index = Inp(mask, "bool") if draw(st.integers(0, 3)) else (mask.tolist() if m else bool(mask))
            rest = tuple(shape[m:])
            count = int(mask.sum())
            vshape = draw(st.sampled_from([(), rest, rest[1:], (count,) + rest, (count + 1,) + rest,
                                           (max(count - 1, 0),) + rest, (1,) + rest]))
            if 0 in vshape:  # MLX 0.32 divides by the source size (SIGFPE) for an empty source
                vshape = ()
            return Case((a, index, draw(array(dtype, vshape, contiguous=True))))
        index, np_index = draw(index_expr(shape))
        sel = selection_shape(shape, np_index)
        assume(_scatter_safe(shape, index, sel))
        return Case((a, index, draw(update_value(dtype, sel))))
    return s()


def _at(dom=Domain()):
    def strategy(dtype):
        @st.composite
        def s(draw):
            shape = draw(shapes())
            a = draw(array(dtype, shape))
            index, np_index = draw(index_expr(shape))
            sel = selection_shape(shape, np_index)
            assume(_scatter_safe(shape, index, sel))
            return Case((a, index, draw(update_value(dtype, sel, dom))))
        return s()
    return strategy


def _set(M, a, index, v):
    a[index] = v
    return a


def _at_call(name):
    def call(M, a, index, v):
        return getattr(a.at[index], name)(v)
    return call


# ---- mlx.core.slice, slice_update, put_along_axis ---------------------------------------------------

@st.composite
def _dynamic_start(draw, shape):
    """(start array, axes, per-axis starts) in range for blocks of `size`."""
    nd = len(shape)
    axes = draw(st.lists(st.integers(0, nd - 1), unique=True, max_size=nd)) if nd else []
    axes = [ax - nd if draw(st.booleans()) else ax for ax in axes]
    return axes


def _slice_dynamic(dtype):
    @st.composite
    def s(draw):
        shape = draw(shapes())
        a = draw(array(dtype, shape))
        axes = draw(_dynamic_start(shape))
        size = [draw(st.integers(0, d)) for d in shape]
        starts = [draw(st.integers(0, shape[ax] - size[ax])) for ax in axes]
        sdtype = draw(st.sampled_from(INDEX_DTYPES[:4]))
        if draw(st.integers(0, 11)) == 0:  # invalid: float starts, too many starts, a size too large
            bad = draw(st.integers(0, 2))
            if bad == 0:
                sdtype = "float32"
            elif bad == 1:
                starts = starts + [0]
            elif shape:
                size[0] = shape[0] + 1
        start = (Inp(np.array(starts[0]).astype(sdtype), sdtype) if len(starts) == 1 and draw(st.booleans())
                 else Inp(np.array(starts, dtype=np.int64).astype(sdtype), sdtype))
        return Case((a, start, axes, size))
    return s()


def _slice_update_dynamic(dtype):
    @st.composite
    def s(draw):
        shape = draw(shapes())
        a = draw(array(dtype, shape))
        axes = draw(_dynamic_start(shape))
        ushape = [draw(st.integers(0, d)) for d in shape]
        starts = [draw(st.integers(0, shape[ax] - ushape[ax])) for ax in axes]
        lead = draw(st.integers(0, len(ushape)))  # leading dims of 1 may be left out
        if all(d == 1 for d in ushape[:lead]):
            ushape = ushape[lead:]
        vdtype = dtype if draw(st.integers(0, 3)) else draw(st.sampled_from(OTHER_DTYPES))
        upd = draw(array(vdtype, tuple(ushape)))
        sdtype = draw(st.sampled_from(INDEX_DTYPES[:4]))
        if draw(st.integers(0, 11)) == 0 and shape:  # an update larger than the array
            upd = draw(array(vdtype, tuple(d + 1 for d in shape)))
        start = Inp(np.array(starts, dtype=np.int64).astype(sdtype), sdtype)
        return Case((a, upd, start, axes))
    return s()


def _put_along_axis(dtype):
    @st.composite
    def s(draw):
        shape = draw(shapes(1))
        nd = len(shape)
        a = draw(array(dtype, shape))
        axis = draw(st.one_of(st.none(), st.integers(-nd, nd - 1)))
        if axis is None:
            n = int(np.prod(shape))
            ishape = (draw(dims),) if n else (0,)
            ax = 0
        else:
            ax = axis % nd
            n = shape[ax]
            ishape = tuple(draw(st.sampled_from([d, 1])) if i != ax else (draw(dims) if n else 0)
                           for i, d in enumerate(shape))
        idt = draw(st.sampled_from(INDEX_DTYPES[:5]))
        dom = Domain(ilo=0 if idt.startswith("u") else -max(n, 1), ihi=max(n - 1, 0))
        idx = draw(array(idt, ishape, dom, contiguous=True))
        vshape = tuple(draw(st.sampled_from([d, 1])) for d in ishape)[draw(st.integers(0, len(ishape))):]
        vdtype = dtype if draw(st.integers(0, 3)) else draw(st.sampled_from(OTHER_DTYPES))
        return Case((a, idx, draw(array(vdtype, vshape))), {"axis": axis})
    return s()


op("slice_dynamic", "indexing", _slice_dynamic, call=lambda M, a, start, axes, size: M.slice(a, start, axes, size),
   c_names="mx_slice_dynamic (mlx.core.slice)")
op("slice_update", "indexing", _slice_update_dynamic)
op("put_along_axis", "indexing", _put_along_axis, c_names="mx_put_along_axis (mlx.core.put_along_axis)")
op("getitem", "indexing", _getitem, call=lambda M, a, index: a[index],
   c_names="mx_gather, mx_take (a[index] with index arrays)")
op("setitem", "indexing", _setitem, call=_set,
   c_names="mx_slice_update_static, mx_scatter, mx_masked_scatter (a[index] = v)")
for name, cfuns, dom in [
    ("add", "mx_scatter_add, mx_slice_update_add", Domain()),
    ("subtract", "mx_scatter_add, mx_slice_update_add", Domain()),
    ("multiply", "mx_scatter_prod, mx_slice_update_prod", Domain(flo=-2, fhi=2, ilo=-3, ihi=3)),
    ("divide", "mx_scatter_prod, mx_slice_update_prod", Domain(flo=0.5, fhi=4, ilo=1, ihi=4, nonzero=True)),
    ("maximum", "mx_scatter_max, mx_slice_update_max", Domain()),
    ("minimum", "mx_scatter_min, mx_slice_update_min", Domain()),
]:
    op(f"at.{name}", "indexing", _at(dom), call=_at_call(name), c_names=f"{cfuns} (a.at[index].{name}(v))")

NO_MLX_PYTHON_NAME["mx_scatter_add_axis"] = "mlx.core has no scatter_add_axis (C++ only; tests/c/test_scatter.c)"

# Known open differences from MLX (test id -> reason), as in conftest.py.
KNOWN_DIVERGENCES = {}
