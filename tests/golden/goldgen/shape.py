"""Shape ops (views and copies) and indexing (take, take_along_axis)."""
import mlx.core as mx
import numpy as np

from .fmt import broadcast, sliced, transposed
from .inputs import *  # noqa: F401,F403

DOM = Domain(-5, 5, -50, 50)


def _views(rng, dt):
    return [("T(4,2,3)(1,2,0)", transposed(rand(rng, dt, (4, 2, 3), DOM), (1, 2, 0))),
            ("S(5,7,6)[1:5:2,6:0:-2,::1]", sliced(rand(rng, dt, (5, 7, 6), DOM), (1, 6, 0), (5, 0, 6), (2, -2, 1))),
            ("B(3,1)->(2,3,4)", broadcast(rand(rng, dt, (3, 1), DOM), (2, 3, 4)))]  # all (2,3,4)


def gen_reshape():
    c = Cases("reshape")
    for dt in DTYPES:
        n = dtype_name(dt)
        r = lambda s: rand(c.rng, dt, s, DOM)  # noqa: E731
        for src, dst in [((2, 3, 4), (4, 6)), ((2, 3, 4), (-1,)), ((2, 3, 4), (3, -1, 2)), ((), (1, 1)),
                         ((1, 1), ()), ((0, 3), (3, 0)), ((0, 3), (-1,)), ((6,), (2, 3))]:
            c.add(f"{n} {shape_str(src)}->{shape_str(dst)}", dt, lambda x, d=dst: mx.reshape(x, d), [r(src)],
                  {"shape": list(dst)})
        for label, inp in _views(c.rng, dt):
            c.add(f"{n} {label}->(4,6)", dt, lambda x: mx.reshape(x, (4, 6)), [inp], {"shape": [4, 6]})
            c.add(f"{n} {label}->(-1,)", dt, lambda x: mx.reshape(x, (-1,)), [inp], {"shape": [-1]})
        # (not (-2, -3): MLX 0.32 accepts that shape and makes an array of negative dims)
        for src, dst in [((2, 3), (4,)), ((2, 3), (-1, -1)), ((2, 3), (-1, 4)), ((0, 3), (-1, 0))]:
            c.add(f"{n} {shape_str(src)}->{shape_str(dst)} bad", dt, lambda x, d=dst: mx.reshape(x, d), [r(src)],
                  {"shape": list(dst)})
    return c


def gen_flatten():
    c = Cases("flatten")
    for dt in DTYPES:
        n = dtype_name(dt)
        r = lambda s: rand(c.rng, dt, s, DOM)  # noqa: E731
        for shape, s, e in [((2, 3, 4), 0, -1), ((2, 3, 4), 1, 2), ((2, 3, 4), -2, -1), ((2, 3, 4), 0, 0), ((), 0, -1),
                            ((0, 3), 0, 1), ((5,), 0, 0), ((2, 3, 4), 2, 1), ((2, 3), 0, 2), ((2, 3), -3, 1)]:
            c.add(f"{n} {shape_str(shape)} {s}..{e}", dt, lambda x, s=s, e=e: mx.flatten(x, s, e), [r(shape)],
                  {"start_axis": s, "end_axis": e})
        for label, inp in _views(c.rng, dt):
            c.add(f"{n} {label} 0..1", dt, lambda x: mx.flatten(x, 0, 1), [inp], {"start_axis": 0, "end_axis": 1})
    return c


def gen_transpose():
    c = Cases("transpose")
    for dt in DTYPES:
        n = dtype_name(dt)
        r = lambda s: rand(c.rng, dt, s, DOM)  # noqa: E731
        for shape, axes in [((2, 3, 4), (1, 2, 0)), ((2, 3, 4), None), ((2, 3, 4), (-1, 0, -2)), ((3, 4), (0, 1)),
                            ((), ()), ((), None), ((0, 3), None), ((2, 3), (0, 0)), ((2, 3), (0,)), ((2, 3), (0, 2))]:
            params = {} if axes is None else {"axes": list(axes)}
            c.add(f"{n} {shape_str(shape)} axes={axes}", dt,
                  lambda x, a=axes: mx.transpose(x) if a is None else mx.transpose(x, list(a)), [r(shape)], params)
        for label, inp in _views(c.rng, dt):
            c.add(f"{n} {label} (2,0,1)", dt, lambda x: mx.transpose(x, [2, 0, 1]), [inp], {"axes": [2, 0, 1]})
    return c


def gen_swapaxes():
    c = Cases("swapaxes")
    for dt in DTYPES:
        n = dtype_name(dt)
        r = lambda s: rand(c.rng, dt, s, DOM)  # noqa: E731
        for shape, a1, a2 in [((2, 3, 4), 0, 2), ((2, 3, 4), -1, 0), ((2, 3), 1, 1), ((2, 3), 0, 2), ((2, 3), -3, 0)]:
            c.add(f"{n} {shape_str(shape)} {a1},{a2}", dt, lambda x, a=a1, b=a2: mx.swapaxes(x, a, b), [r(shape)],
                  {"axis1": a1, "axis2": a2})
        label, inp = _views(c.rng, dt)[1]
        c.add(f"{n} {label} 0,1", dt, lambda x: mx.swapaxes(x, 0, 1), [inp], {"axis1": 0, "axis2": 1})
    return c


def gen_expand_dims():
    c = Cases("expand_dims")
    for dt in DTYPES:
        n = dtype_name(dt)
        r = lambda s: rand(c.rng, dt, s, DOM)  # noqa: E731
        for shape, axes in [((2, 3), (0,)), ((2, 3), (-1,)), ((2, 3), (0, 2)), ((2, 3), (0, -1)), ((), (0,)),
                            ((), (0, 1)), ((2, 3), (1, 1)), ((2, 3), (3,)), ((2, 3), (-4,)), ((0,), (1,))]:
            c.add(f"{n} {shape_str(shape)} axes={list(axes)}", dt, lambda x, a=axes: mx.expand_dims(x, list(a)),
                  [r(shape)], {"axes": list(axes)})
        label, inp = _views(c.rng, dt)[0]
        c.add(f"{n} {label} [1]", dt, lambda x: mx.expand_dims(x, [1]), [inp], {"axes": [1]})
    return c


def gen_squeeze():
    c = Cases("squeeze")
    for dt in DTYPES:
        n = dtype_name(dt)
        r = lambda s: rand(c.rng, dt, s, DOM)  # noqa: E731
        for shape, axes in [((1, 3, 1), None), ((1, 3, 1), (0,)), ((1, 3, 1), (-1, 0)), ((3,), None), ((1,), None),
                            ((), None), ((1, 3, 1), (1,)), ((1, 3), (2,)), ((1, 1), (0, -2)), ((1, 0, 1), None)]:
            params = {} if axes is None else {"axes": list(axes)}
            c.add(f"{n} {shape_str(shape)} axes={axes}", dt,
                  lambda x, a=axes: mx.squeeze(x) if a is None else mx.squeeze(x, list(a)), [r(shape)], params)
        c.add(f"{n} B(3,1)->(1,3,1)", dt, mx.squeeze, [broadcast(r((3, 1)), (1, 3, 1))])
    return c


def gen_broadcast_to():
    c = Cases("broadcast_to")
    for dt in DTYPES:
        n = dtype_name(dt)
        r = lambda s: rand(c.rng, dt, s, DOM)  # noqa: E731
        for src, dst in [((3,), (2, 3)), ((), (2, 2)), ((3, 1), (3, 4)), ((1,), (0,)), ((2, 1, 3), (4, 2, 5, 3)),
                         ((3,), (3,)), ((3,), (4,)), ((2, 3), (3,)), ((3,), (0, 3)), ((0,), (2, 0))]:
            c.add(f"{n} {shape_str(src)}->{shape_str(dst)}", dt, lambda x, d=dst: mx.broadcast_to(x, d), [r(src)],
                  {"shape": list(dst)})
        c.add(f"{n} T(2,1)->(3,1,2)", dt, lambda x: mx.broadcast_to(x, (3, 1, 2)), [transposed(r((2, 1)), (1, 0))],
              {"shape": [3, 1, 2]})
    return c


def gen_concat(op):
    c = Cases(op)
    f = getattr(mx, op)
    for dt in DTYPES:
        n = dtype_name(dt)
        r = lambda s: rand(c.rng, dt, s, DOM)  # noqa: E731
        if op == "concatenate":
            lists = [([(2, 3), (4, 3)], 0), ([(2, 3), (2, 1), (2, 0)], -1), ([(2, 3)], 0), ([(0, 3), (1, 3)], 0),
                     ([(2, 3, 4), (2, 1, 4)], 1), ([(2, 3), (2, 4)], 0), ([(2, 3), (3,)], 0), ([(), ()], 0),
                     ([(2, 3), (2, 3)], 2)]
        else:
            lists = [([(2, 3), (2, 3)], 0), ([(2, 3), (2, 3), (2, 3)], 1), ([(2, 3), (2, 3)], -1), ([(), ()], 0),
                     ([(3,)], 0), ([(0, 2), (0, 2)], 1), ([(2, 3), (2, 4)], 0), ([(2, 3), (2, 3)], 3),
                     ([(2, 3), (2, 3)], -4)]
        for shapes, axis in lists:
            label = " ".join(shape_str(s) for s in shapes)
            c.add(f"{n} {label} axis={axis}", dt, lambda *xs, a=axis: f(list(xs), a), [r(s) for s in shapes],
                  {"axis": axis})
        v = _views(c.rng, dt)
        c.add(f"{n} views axis=1", dt, lambda *xs: f(list(xs), 1), [i for _, i in v], {"axis": 1})
    for da in DTYPES:
        for db in DTYPES:
            if da != db:
                c.add(f"{dtype_name(da)} + {dtype_name(db)}", mx.result_type(da, db), lambda x, y: f([x, y], 0),
                      [rand(c.rng, da, (2, 3), DOM), rand(c.rng, db, (2, 3), DOM)], {"axis": 0})
    return c


def gen_split():
    c = Cases("split")
    for dt in DTYPES:
        n = dtype_name(dt)
        r = lambda s: rand(c.rng, dt, s, DOM)  # noqa: E731
        for shape, num, axis in [((6, 4), 3, 0), ((6, 4), 2, -1), ((6, 4), 1, 0), ((6, 4), 4, 0), ((0, 4), 2, 0),
                                 ((6, 4), 0, 0), ((6, 4), 2, 2), ((5,), 5, 0)]:
            c.add(f"{n} {shape_str(shape)} num={num} axis={axis}", dt, lambda x, k=num, a=axis: mx.split(x, k, a),
                  [r(shape)], {"num": num, "axis": axis})
        label, inp = _views(c.rng, dt)[0]
        c.add(f"{n} {label} num=3 axis=2", dt, lambda x: mx.split(x, 2, 2), [inp], {"num": 2, "axis": 2})
    return c


def gen_split_at():
    c = Cases("split_at")
    for dt in DTYPES:
        n = dtype_name(dt)
        r = lambda s: rand(c.rng, dt, s, DOM)  # noqa: E731
        for shape, idx, axis in [((6, 4), (2, 4), 0), ((6, 4), (3, 1), 0), ((5,), (-2, 10), 0), ((6, 4), (), 1),
                                 ((6, 4), (1,), -1), ((6, 4), (0, 0, 6), 0), ((6, 4), (2,), 2), ((6, 4), (-9, 2), 0)]:
            c.add(f"{n} {shape_str(shape)} at={list(idx)} axis={axis}", dt,
                  lambda x, i=idx, a=axis: mx.split(x, list(i), a), [r(shape)], {"indices": list(idx), "axis": axis})
        label, inp = _views(c.rng, dt)[1]
        c.add(f"{n} {label} at=[1] axis=1", dt, lambda x: mx.split(x, [1], 1), [inp], {"indices": [1], "axis": 1})
    return c


def gen_slice():
    # (no step 0: MLX 0.32 does not check it and dies of SIGFPE)
    c = Cases("slice")
    cases = [((5, 6), (1, 0), (4, 6), None), ((5, 6), (0, 1), (5, 6), (2, 2)), ((5, 6), (4, 5), (-6, -7), (-1, -2)),
             ((5, 6), (-3, -100), (100, 4), (1, 3)), ((5, 6), (3, 2), (1, 2), None), ((5, 6), (10, 0), (20, 6), (1, 1)),
             ((5, 6), (-1, 0), (-100, 6), (-2, 1)), ((7,), (6,), (-8,), (-3,)), ((), (), (), None),
             ((0, 3), (0, 1), (0, 3), None), ((5, 6), (100, 0), (-100, 6), (-1, 1))]
    for dt in DTYPES:
        n = dtype_name(dt)
        r = lambda s: rand(c.rng, dt, s, DOM)  # noqa: E731
        for shape, start, stop, step in cases:
            st = step or (1,) * len(shape)

            def fn(x, b=start, e=stop, s=st):
                return x[tuple(slice(b[i], e[i], s[i]) for i in range(len(b)))] if len(b) else x[()]
            params = {"start": list(start), "stop": list(stop)}
            if step is not None:
                params["strides"] = list(step)
            c.add(f"{n} {shape_str(shape)} {list(start)}:{list(stop)}:{step}", dt, fn, [r(shape)], params)
        label, inp = _views(c.rng, dt)[0]
        c.add(f"{n} {label} [1:2,-1:-4:-1,0:4:2]", dt, lambda x: x[1:2, -1:-4:-1, 0:4:2], [inp],
              {"start": [1, -1, 0], "stop": [2, -4, 4], "strides": [1, -1, 2]})
    return c


def gen_flip():
    c = Cases("flip")
    for dt in DTYPES:
        n = dtype_name(dt)
        r = lambda s: rand(c.rng, dt, s, DOM)  # noqa: E731
        for shape, axes in [((3, 4), None), ((3, 4), (0,)), ((3, 4), (-1,)), ((2, 3, 4), (0, 2)), ((), None),
                            ((0, 3), (1,)), ((3, 4), ()), ((3, 4), (2,)), ((3, 4), (0, 0))]:
            params = {} if axes is None else {"axes": list(axes)}
            c.add(f"{n} {shape_str(shape)} axes={axes}", dt,
                  lambda x, a=axes: mx.flip(x) if a is None else mx.flip(x, list(a)), [r(shape)], params)
        label, inp = _views(c.rng, dt)[1]
        c.add(f"{n} {label} axes=[1]", dt, lambda x: mx.flip(x, [1]), [inp], {"axes": [1]})
    return c


def _idx(dt, values, shape=None):
    return make(np.array(values), dt, shape)


def gen_take(op):
    c = Cases(op)
    for dt in DTYPES:
        n = dtype_name(dt)
        a = rand(c.rng, dt, (4, 5), DOM)
        i32 = lambda v, s=None: _idx(I32, v, s)  # noqa: E731
        if op == "take":
            for idx, axis in [(i32([[0, -1], [2, 3]]), 0), (i32([4, 0, -5, 1]), 1), (i32([1, 2]), -1), (i32(2), 0),
                              (i32([], (0,)), 1), (i32([0, 1]), 2), (i32([[3]]), -2)]:
                c.add(f"{n} (4,5) idx{shape_str(idx.shape)} axis={axis}", dt,
                      lambda x, i, ax=axis: mx.take(x, i, ax), [a, idx], {"axis": axis})
            c.add(f"{n} T(5,4) idx axis=1", dt, lambda x, i: mx.take(x, i, 1),
                  [transposed(rand(c.rng, dt, (5, 4), DOM), (1, 0)), i32([4, 0, 2])], {"axis": 1})
            c.add(f"{n} B(1,5)->(4,5) idx axis=0", dt, lambda x, i: mx.take(x, i, 0),
                  [broadcast(rand(c.rng, dt, (1, 5), DOM), (4, 5)), i32([3, 0])], {"axis": 0})
            c.add(f"{n} () idx axis=0", dt, lambda x, i: mx.take(x, i, 0), [rand(c.rng, dt, (), DOM), i32([0])],
                  {"axis": 0})
        elif op == "take_flat":
            for idx in [i32([0, 19, -1, 7]), i32([[2, 3], [-20, 5]]), i32(11), i32([], (0,))]:
                c.add(f"{n} (4,5) idx{shape_str(idx.shape)}", dt, lambda x, i: mx.take(x, i), [a, idx])
            c.add(f"{n} T(5,4) idx", dt, lambda x, i: mx.take(x, i),
                  [transposed(rand(c.rng, dt, (5, 4), DOM), (1, 0)), i32([1, 2, 7])])
        else:
            for idx, axis in [(i32([[0, 4], [1, 1], [-1, 2], [3, 0]]), 1), (i32([[3, 0, -1, 2, 1]]), 0),
                              (i32([[0], [1], [2], [3]]), -1), (i32([0, 1]), 1), (i32([[0, 1]]), 2),
                              (i32([[0, 1, 2, 3, 3], [1, 1, -4, 1, 1]]), 0), (i32([[1, 0]]), 1)]:
                c.add(f"{n} (4,5) idx{shape_str(idx.shape)} axis={axis}", dt,
                      lambda x, i, ax=axis: mx.take_along_axis(x, i, ax), [a, idx], {"axis": axis})
            c.add(f"{n} T(5,4) idx axis=0", dt, lambda x, i: mx.take_along_axis(x, i, 0),
                  [transposed(rand(c.rng, dt, (5, 4), DOM), (1, 0)), i32([[3, 2, 1, 0, 1]])], {"axis": 0})
    # index dtypes: every integer dtype, and the rejected bool/float/complex ones
    a = rand(c.rng, F32, (4, 5), DOM)
    for dt in DTYPES:
        vals = [[1, -1], [3, -2], [0, 4], [2, 2]] if dt in SIGNED else [[1, 0], [3, 2], [0, 4], [2, 2]]
        idx = make(np.array(vals), dt)
        label = f"float32 (4,5) index dtype {dtype_name(dt)}"
        if op == "take":
            c.add(label, F32, lambda x, i: mx.take(x, i, 1), [a, idx], {"axis": 1})
        elif op == "take_flat":
            c.add(label, F32, lambda x, i: mx.take(x, i), [a, idx])
        else:
            c.add(label, F32, lambda x, i: mx.take_along_axis(x, i, 1), [a, idx], {"axis": 1})
    return c


def generators():
    out = [("reshape", gen_reshape), ("flatten", gen_flatten), ("transpose", gen_transpose),
           ("swapaxes", gen_swapaxes), ("expand_dims", gen_expand_dims), ("squeeze", gen_squeeze),
           ("broadcast_to", gen_broadcast_to), ("concatenate", lambda: gen_concat("concatenate")),
           ("stack", lambda: gen_concat("stack")), ("split", gen_split), ("split_at", gen_split_at),
           ("slice", gen_slice), ("flip", gen_flip)]
    out += [(op, (lambda op=op: gen_take(op))) for op in ("take", "take_flat", "take_along_axis")]
    return out
