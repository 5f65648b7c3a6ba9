"""Reductions (three forms each), argmax/argmin, softmax, and matmul."""
import math

import mlx.core as mx
import numpy as np

from .fmt import Input, broadcast, sliced, transposed
from .inputs import *  # noqa: F401,F403

# op -> value domain. prod stays near 1 (floats) or in {-2..2} (ints, no overflow).
REDUCE = {
    "sum": Domain(-5, 5, -50, 50), "prod": Domain(0.6, 1.5, -2, 2), "max": Domain(-5, 5, -50, 50),
    "min": Domain(-5, 5, -50, 50), "all": Domain(-1, 1, 0, 3), "any": Domain(-1, 1, 0, 1),
    "mean": Domain(-5, 5, -50, 50), "var": Domain(-5, 5, -50, 50), "std": Domain(-5, 5, -50, 50),
    "logsumexp": Domain(-5, 5, -5, 5),
}
EXTRA = {"var": {"ddof": 0}, "std": {"ddof": 0}}
LARGE = (65, 131)
LARGE_DTYPES = [F32, F16, I32, F64, BF16]


def _float_path_agrees(fn, x):
    """MLX 0.32 computes logsumexp/softmax of bool and unsigned inputs by
    subtracting the max in the input dtype (it wraps around), and softmax over
    all axes of an integer matrix keeps the integer dtype; ints are documented
    to promote to float32. Cases where MLX's integer path contradicts its own
    float32 path are MLX bugs and are not enforced."""
    try:
        got, ref = fn(x), fn(x.astype(F32))
        mx.eval(got, ref)
    except (ValueError, TypeError, IndexError, RuntimeError):
        return True  # errors are compared as errors
    return got.dtype == ref.dtype and got.shape == ref.shape and np.allclose(
        np.array(got), np.array(ref), rtol=1e-5, atol=1e-6, equal_nan=True)


def _mlx(op, axis=None, keepdims=False, ddof=None, all_axes=False):
    f = getattr(mx, op)
    kw = {"keepdims": keepdims}
    if ddof is not None:
        kw["ddof"] = ddof
    if not all_axes:
        kw["axis"] = axis
    return lambda x: f(x, **kw)


def _edges(dt, op):
    if dt in FLOATS:
        return np.array([math.nan, 1.0, -2.0, 0.5, math.inf, -math.inf, -0.0, 3.0])
    return None


def gen_reduce(op, form):
    """form: '' (all axes), 'axis' or 'axes'. Case op name: sum, sum_axis, sum_axes."""
    name = op + ("_" + form if form else "")
    c = Cases(name)
    dom = REDUCE[op]
    ddof = EXTRA.get(op, {}).get("ddof")

    def add(label, dt, inp, axis=None, keepdims=False, ddof_=0):
        params = {"keepdims": int(keepdims)}
        if ddof is not None:
            params["ddof"] = ddof_
        if form == "axis":
            params["axis"] = axis
        elif form == "axes":
            params["axes"] = list(axis)
        fn = _mlx(op, axis if form == "axis" else (list(axis) if form == "axes" else None), keepdims,
                  ddof_ if ddof is not None else None, all_axes=(form == ""))
        x = inp.apply() if isinstance(inp, Input) else inp
        if op == "logsumexp" and (dt == BOOL or dt in INTS) and not _float_path_agrees(fn, x):
            return
        c.add(label, dt, fn, [inp], params)

    for dt in DTYPES:
        n = dtype_name(dt)
        r = lambda shape: rand(c.rng, dt, shape, dom)  # noqa: E731
        if form == "":
            for shape in [(), (0,), (1,), (7,), (3, 4), (2, 3, 4), (0, 3)]:
                for kd in (False, True):
                    add(f"{n} {shape_str(shape)} keepdims={int(kd)}", dt, r(shape), keepdims=kd)
            add(f"{n} T(4,5)", dt, transposed(r((4, 5)), (1, 0)))
            add(f"{n} B(1,5)->(3,5)", dt, broadcast(r((1, 5)), (3, 5)))
            if dt in LARGE_DTYPES and not (op == "prod" and is_int(dt)):  # int products would overflow
                add(f"{n} {shape_str(LARGE)}", dt, r(LARGE))
        elif form == "axis":
            for shape, axis, kd in [((3, 4), 0, False), ((3, 4), 1, False), ((3, 4), -1, True), ((7,), 0, False),
                                    ((2, 3, 4), 1, True), ((2, 3, 4), -3, False), ((0, 3), 0, False),
                                    ((0, 3), 1, True), ((1, 5), 0, False), ((3, 0), 1, False)]:
                add(f"{n} {shape_str(shape)} axis={axis} keepdims={int(kd)}", dt, r(shape), axis, kd)
            add(f"{n} T(4,5) axis=0", dt, transposed(r((4, 5)), (1, 0)), 0)
            add(f"{n} T(4,5) axis=1", dt, transposed(r((4, 5)), (1, 0)), 1)
            add(f"{n} S(7,9) axis=1", dt, sliced(r((7, 9)), (1, 8), (7, 0), (2, -3)), 1)
            add(f"{n} B(1,5)->(3,5) axis=0", dt, broadcast(r((1, 5)), (3, 5)), 0)
            add(f"{n} T(4,2,3)(1,2,0) axis=2", dt, transposed(r((4, 2, 3)), (1, 2, 0)), 2)
            add(f"{n} (3,4) axis=2 bad", dt, r((3, 4)), 2)
            add(f"{n} () axis=0 bad", dt, r(()), 0)
            if dt in LARGE_DTYPES and not (op == "prod" and is_int(dt)):
                add(f"{n} {shape_str(LARGE)} axis=0", dt, r(LARGE), 0)
                add(f"{n} {shape_str(LARGE)} axis=1", dt, r(LARGE), 1)
            if ddof is not None:
                add(f"{n} (3,4) axis=1 ddof=1", dt, r((3, 4)), 1, False, 1)
                add(f"{n} (3,4) axis=1 ddof=4", dt, r((3, 4)), 1, False, 4)
                add(f"{n} (3,4) axis=0 ddof=5", dt, r((3, 4)), 0, True, 5)
        else:
            for shape, axes, kd in [((2, 3, 4), (0, 2), False), ((2, 3, 4), (-1, -3), True), ((2, 3, 4), (), False),
                                    ((2, 3, 4), (0, 1, 2), False), ((3, 4), (1, 0), True), ((0, 3), (0,), False),
                                    ((2, 0, 3), (0, 2), False), ((), (), False), ((1, 5, 1), (0, 2), False)]:
                add(f"{n} {shape_str(shape)} axes={list(axes)} keepdims={int(kd)}", dt, r(shape), axes, kd)
            add(f"{n} T(4,2,3)(1,2,0) axes=[0,2]", dt, transposed(r((4, 2, 3)), (1, 2, 0)), (0, 2))
            add(f"{n} B(1,5)->(3,5) axes=[0,1]", dt, broadcast(r((1, 5)), (3, 5)), (0, 1))
            add(f"{n} (3,4) axes=[0,0] bad", dt, r((3, 4)), (0, 0))
            add(f"{n} (3,4) axes=[0,-2] bad", dt, r((3, 4)), (0, -2))
            add(f"{n} (3,4) axes=[3] bad", dt, r((3, 4)), (3,))
            if dt in LARGE_DTYPES and not (op == "prod" and is_int(dt)):
                add(f"{n} {shape_str(LARGE)} axes=[0,1]", dt, r(LARGE), (0, 1))
        edges = _edges(dt, op)
        if edges is not None:
            x = make(np.concatenate([edges, edges[::-1], edges[1:5], edges[4:]]), dt, (3, 8))
            if form == "":
                add(f"{n} edge values", dt, x)
            elif form == "axis":
                add(f"{n} edge values axis=1", dt, x, 1)
            else:
                add(f"{n} edge values axes=[1]", dt, x, (1,))
        if is_int(dt) and op in ("max", "min", "sum", "all", "any"):
            lo, hi = int_range(dt)
            vals = [lo, hi, 0, 1, hi, lo] if op in ("max", "min", "all", "any") else [hi // 4, 1, 2, hi // 4, 0, 3]
            x = make(np.array(vals, dtype=object), dt, (2, 3))
            add(f"{n} extremes", dt, x, 1 if form == "axis" else ((1,) if form == "axes" else None))
    return c


def gen_arg(op, form):
    name = op + ("_axis" if form else "")
    c = Cases(name)
    f = getattr(mx, op)
    dom = Domain(-3, 3, -3, 3)  # small domain: ties, where the first index wins

    def add(label, dt, inp, axis=None, keepdims=False):
        params = {"keepdims": int(keepdims)}
        if form:
            params["axis"] = axis
            fn = lambda x: f(x, axis=axis, keepdims=keepdims)  # noqa: E731
        else:
            fn = lambda x: f(x, keepdims=keepdims)  # noqa: E731
        c.add(label, dt, fn, [inp], params)

    for dt in DTYPES:
        n = dtype_name(dt)
        r = lambda shape: rand(c.rng, dt, shape, dom)  # noqa: E731
        if not form:
            for shape in [(), (1,), (7,), (3, 4), (2, 3, 4), (0,)]:
                for kd in (False, True):
                    if shape == () and kd:
                        continue  # MLX 0.32 bug: "cannot create std::vector larger than max_size()"
                    add(f"{n} {shape_str(shape)} keepdims={int(kd)}", dt, r(shape), keepdims=kd)
            add(f"{n} T(4,5)", dt, transposed(r((4, 5)), (1, 0)))
        else:
            for shape, axis, kd in [((3, 4), 0, False), ((3, 4), 1, True), ((3, 4), -1, False), ((2, 3, 4), 1, False),
                                    ((7,), 0, True), ((0, 3), 1, False), ((3, 0), 0, False), ((3, 0), 1, False),
                                    ((3, 4), 2, False), ((), 0, False)]:
                add(f"{n} {shape_str(shape)} axis={axis} keepdims={int(kd)}", dt, r(shape), axis, kd)
            add(f"{n} T(4,5) axis=1", dt, transposed(r((4, 5)), (1, 0)), 1)
            add(f"{n} S(7,9) axis=0", dt, sliced(r((7, 9)), (1, 8), (7, 0), (2, -3)), 0)
            add(f"{n} B(1,5)->(3,5) axis=0", dt, broadcast(r((1, 5)), (3, 5)), 0)
            if dt in (F32, I32):
                add(f"{n} {shape_str(LARGE)} axis=1", dt, r(LARGE), 1)
        if dt in FLOATS:
            e = np.array([1.0, math.nan, 3.0, -math.inf, math.inf, 3.0, -0.0, 0.0, math.nan])
            add(f"{n} edge values", dt, make(e, dt, (1, 9)), 1 if form else None)
    return c


def gen_softmax(form):
    name = "softmax" + ("_" + form if form else "")
    c = Cases(name)
    dom = Domain(-5, 5, -5, 5)

    def add(label, dt, inp, axes=None, precise=False):
        params = {"precise": int(precise)}
        if form == "axis":
            params["axis"] = axes
        elif form == "axes":
            params["axes"] = list(axes)
        ax = axes if form == "axis" else (list(axes) if form == "axes" else None)
        fn = lambda x: mx.softmax(x, axis=ax, precise=precise)  # noqa: E731
        if (dt == BOOL or dt in INTS) and not _float_path_agrees(fn, inp.apply() if isinstance(inp, Input) else inp):
            return
        c.add(label, dt, fn, [inp], params)

    for dt in DTYPES:
        n = dtype_name(dt)
        r = lambda shape: rand(c.rng, dt, shape, dom)  # noqa: E731
        for precise in (False, True):
            p = f" precise={int(precise)}"
            if form == "":
                for shape in [(), (1,), (7,), (3, 4), (0, 3)]:
                    add(f"{n} {shape_str(shape)}{p}", dt, r(shape), precise=precise)
                add(f"{n} T(4,5){p}", dt, transposed(r((4, 5)), (1, 0)), precise=precise)
            elif form == "axis":
                for shape, axis in [((3, 4), -1), ((3, 4), 0), ((2, 3, 4), 1), ((7,), 0), ((0, 3), 1), ((3, 4), 2)]:
                    add(f"{n} {shape_str(shape)} axis={axis}{p}", dt, r(shape), axis, precise)
                add(f"{n} T(4,5) axis=1{p}", dt, transposed(r((4, 5)), (1, 0)), 1, precise)
                add(f"{n} B(1,5)->(3,5) axis=0{p}", dt, broadcast(r((1, 5)), (3, 5)), 0, precise)
                if dt in (F32, F16, BF16):
                    add(f"{n} (8,1000) axis=-1{p}", dt, r((8, 1000)), -1, precise)
            else:
                for shape, axes in [((2, 3, 4), (0, 2)), ((2, 3, 4), (-1,)), ((3, 4), (0, 1)), ((3, 4), ()),
                                    ((3, 4), (0, 0))]:
                    add(f"{n} {shape_str(shape)} axes={list(axes)}{p}", dt, r(shape), axes, precise)
                add(f"{n} S(7,9) axes=[0]{p}", dt, sliced(r((7, 9)), (1, 8), (7, 0), (2, -3)), (0,), precise)
        if dt in FLOATS:
            e = np.array([[1.0, math.inf, 0.0, 2.0], [-math.inf, -math.inf, -math.inf, -math.inf],
                          [math.nan, 1.0, 2.0, 3.0], [1e30, -1e30, 0.0, 1.0]])
            ax = -1 if form == "axis" else ((1,) if form == "axes" else None)
            if form:
                add(f"{n} edge values", dt, make(e, dt), ax, False)
    return c


def gen_matmul():
    c = Cases("matmul")
    dom = Domain(-1, 1, -3, 3)
    pairs = [((2, 3), (3, 4)), ((3,), (3,)), ((3,), (3, 4)), ((2, 3), (3,)), ((2, 2, 3), (3, 4)),
             ((2, 1, 2, 3), (3, 3, 2)), ((1, 2, 3), (4, 3, 2)), ((0, 3), (3, 4)), ((2, 0), (0, 4)),
             ((1, 1), (1, 1)), ((5, 7), (7, 1)), ((2, 3), (4, 5)), ((), (3,)), ((3,), (4,))]
    for dt in DTYPES:
        n = dtype_name(dt)
        r = lambda shape: rand(c.rng, dt, shape, dom)  # noqa: E731
        for sa, sb in pairs:
            c.add(f"{n} {shape_str(sa)} @ {shape_str(sb)}", dt, mx.matmul, [r(sa), r(sb)])
        c.add(f"{n} T(3,2) @ T(4,3)", dt, mx.matmul, [transposed(r((3, 2)), (1, 0)), transposed(r((4, 3)), (1, 0))])
        c.add(f"{n} S(7,9) @ (3,2)", dt, mx.matmul, [sliced(r((7, 9)), (1, 8), (7, 0), (2, -3)), r((3, 2))])
        c.add(f"{n} B(1,2,3)->(4,2,3) @ (3,5)", dt, mx.matmul, [broadcast(r((1, 2, 3)), (4, 2, 3)), r((3, 5))])
        c.add(f"{n} T(4,2,3)(1,2,0) @ (4,2)", dt, mx.matmul, [transposed(r((4, 2, 3)), (1, 2, 0)), r((4, 2))])
        if dt in (F32, F64, F16, BF16):
            c.add(f"{n} (64,65) @ (65,33)", dt, mx.matmul, [r((64, 65)), r((65, 33))])
            c.add(f"{n} T(65,64) @ (65,33)", dt, mx.matmul, [transposed(r((65, 64)), (1, 0)), r((65, 33))])
            c.add(f"{n} (3,40,50) @ (50,20)", dt, mx.matmul, [r((3, 40, 50)), r((50, 20))])
        if dt in FLOATS:
            e = np.array([[1.0, math.nan], [math.inf, 0.0]])
            c.add(f"{n} edge values", dt, mx.matmul, [make(e, dt), make(np.array([[1.0, 0.0], [2.0, 1.0]]), dt)])
    for da in DTYPES:
        for db in DTYPES:
            if da != db:
                c.add(f"{dtype_name(da)} x {dtype_name(db)}", mx.result_type(da, db), mx.matmul,
                      [rand(c.rng, da, (2, 3), dom), rand(c.rng, db, (3, 2), dom)])
    return c


def generators():
    out = []
    for op in REDUCE:
        for form in ("", "axis", "axes"):
            out.append((op + ("_" + form if form else ""), (lambda op=op, form=form: gen_reduce(op, form))))
    for op in ("argmax", "argmin"):
        for form in ("", "axis"):
            out.append((op + ("_" + form if form else ""), (lambda op=op, form=form: gen_arg(op, form))))
    for form in ("", "axis", "axes"):
        out.append(("softmax" + ("_" + form if form else ""), (lambda form=form: gen_softmax(form))))
    out.append(("matmul", gen_matmul))
    return out
