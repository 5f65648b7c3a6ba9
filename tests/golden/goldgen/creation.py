"""Creation ops, astype and the copy family."""
import math

import mlx.core as mx
import numpy as np

from .fmt import broadcast, sliced, transposed
from .inputs import *  # noqa: F401,F403

SHAPES = [(), (0,), (2, 3), (1, 4, 1), (3, 0, 2)]


def _value_for(value, dt):
    """MLX's C++ full(shape, double, dtype): the double converted to dtype, as astype does."""
    return mx.array(value, dtype=mx.float64).astype(dt)


def gen_fill(op):
    c = Cases(op)
    value = {"zeros": 0.0, "ones": 1.0}.get(op)
    for dt in DTYPES:
        n = dtype_name(dt)
        for shape in SHAPES:
            if op in ("zeros", "ones"):
                c.add(f"{n} {shape_str(shape)}", dt, lambda s=shape, d=dt: getattr(mx, op)(s, d), [],
                      {"shape": list(shape), "dtype": dtype_index(dt)})
        if op == "full":
            values = [2.5, 7.0, 0.0, 2.7, 100.0]
            values += [-1.0, -2.5] if dt not in UNSIGNED else []
            values += [math.nan, math.inf, -math.inf, -0.0, 1e30, 0.1] if dt in FLOATS or dt == C64 else []
            for v in values:
                for shape in [(2, 3), ()]:
                    c.add(f"{n} {shape_str(shape)} value={v}", dt,
                          lambda s=shape, v=v, d=dt: mx.full(s, _value_for(v, d)), [],
                          {"shape": list(shape), "value": v, "dtype": dtype_index(dt)})
            c.add(f"{n} (0,) value=3", dt, lambda d=dt: mx.full((0,), _value_for(3.0, d)), [],
                  {"shape": [0], "value": 3.0, "dtype": dtype_index(dt)})
    if op in ("zeros", "ones", "full"):
        c.add("float32 (-1,2) bad", F32, lambda: getattr(mx, op)((-1, 2), 1.0) if op == "full" else
              getattr(mx, op)((-1, 2)), [], {"shape": [-1, 2], "value": 1.0, "dtype": dtype_index(F32)})
    return c


def gen_full_array():
    c = Cases("full_array")
    for dt in DTYPES:
        n = dtype_name(dt)
        r = lambda s: rand(c.rng, dt, s)  # noqa: E731
        for vals, shape in [((3,), (2, 3)), ((), (2, 2)), ((2, 1), (2, 4)), ((1,), (0,)), ((3,), (3,)), ((), ()),
                            ((3,), (4,)), ((2, 3), (3,))]:
            c.add(f"{n} vals{shape_str(vals)}->{shape_str(shape)}", dt, lambda v, s=shape: mx.full(s, v), [r(vals)],
                  {"shape": list(shape)})
        c.add(f"{n} T(3,2)->(4,2,3)", dt, lambda v: mx.full((4, 2, 3), v), [transposed(r((3, 2)), (1, 0))],
              {"shape": [4, 2, 3]})
    return c


def gen_like(op):
    c = Cases(op)
    for dt in DTYPES:
        n = dtype_name(dt)
        r = lambda s: rand(c.rng, dt, s)  # noqa: E731
        for shape in [(), (0,), (2, 3)]:
            if op == "full_like":
                for v in [2.5, 7.0, 0.0] + ([-3.0] if dt not in UNSIGNED else []) + (
                        [math.nan, -math.inf, 0.1] if dt in FLOATS or dt == C64 else []):
                    c.add(f"{n} {shape_str(shape)} value={v}", dt,
                          lambda a, v=v, d=dt: mx.full(a.shape, _value_for(v, d)), [r(shape)], {"value": v})
            else:
                c.add(f"{n} {shape_str(shape)}", dt, getattr(mx, op), [r(shape)])
        c.add(f"{n} T(3,2)", dt, (lambda a: mx.full(a.shape, _value_for(2.0, a.dtype))) if op == "full_like"
              else getattr(mx, op), [transposed(r((3, 2)), (1, 0))], {"value": 2.0} if op == "full_like" else {})
    return c


def gen_arange():
    c = Cases("arange")
    ranges = [(0, 10, 1), (2.5, 10, 1.5), (10, 0, -3), (0, 1, 0.1), (0, 0, 1), (5, 2, 1), (3, 4, 0.25),
              (0, 5, 0), (-3, 3, 1), (1, 2e3, 1), (0, math.nan, 1), (0, math.inf, 1)]
    for dt in DTYPES:
        for start, stop, step in ranges:
            if dt in UNSIGNED and (start < 0 or stop < 0):
                continue  # a negative value converted to unsigned is undefined in MLX's C++
            c.add(f"{dtype_name(dt)} {start}:{stop}:{step}", dt, lambda s=start, e=stop, st=step, d=dt:
                  mx.arange(float(s), float(e), float(st), dtype=d), [],
                  {"start": float(start), "stop": float(stop), "step": float(step), "dtype": dtype_index(dt)})
    return c


def gen_linspace():
    c = Cases("linspace")
    for dt in DTYPES:
        for start, stop, num in [(0, 1, 5), (-3, 7, 11), (2, 2, 1), (0, 1, 0), (5, -5, 4), (0, 10, 2), (1, 2, 1),
                                 (0, 1, -1), (0, 1000, 257)]:
            if dt in UNSIGNED and (start < 0 or stop < 0):
                continue
            c.add(f"{dtype_name(dt)} {start}..{stop} num={num}", dt,
                  lambda s=start, e=stop, k=num, d=dt: mx.linspace(s, e, k, dtype=d), [],
                  {"start": float(start), "stop": float(stop), "num": num, "dtype": dtype_index(dt)})
    return c


def gen_eye():
    c = Cases("eye")
    for dt in DTYPES:
        for n_, m, k in [(3, -1, 0), (3, 4, 1), (4, 3, -1), (3, 3, 5), (3, 3, -3), (0, -1, 0), (1, 1, 0), (2, 5, 3),
                         (-1, -1, 0)]:
            c.add(f"{dtype_name(dt)} n={n_} m={m} k={k}", dt,
                  lambda n_=n_, m=m, k=k, d=dt: mx.eye(n_, None if m < 0 else m, k, dtype=d), [],
                  {"n": n_, "m": m, "k": k, "dtype": dtype_index(dt)})
    return c


def gen_identity():
    c = Cases("identity")
    for dt in DTYPES:
        for n_ in (0, 1, 4, -2):
            c.add(f"{dtype_name(dt)} n={n_}", dt, lambda n_=n_, d=dt: mx.identity(n_, dtype=d), [],
                  {"n": n_, "dtype": dtype_index(dt)})
    return c


# ---- astype ------------------------------------------------------------------------------
def _cast_values(src, dst):
    """Values of src whose conversion to dst is defined in C++: floats going to
    integers stay in range (and non-negative for unsigned); everything else
    gets the edge values (NaN, inf, -0.0, extremes, wrapping integers)."""
    float_src = src in FLOATS or src == C64
    if float_src and is_int(dst):
        v = [0.0, 1.0, 2.5, 7.9, 100.75, 0.4, 127.0, 3.5]
        if dst in SIGNED:
            v += [-1.0, -2.5, -7.9, -100.75, -0.4, -128.0]
        if dst not in (U8, I8):
            v += [255.0, 1000.5]
        if src == C64:
            return np.array([complex(x, 1.5) for x in v])
        return np.array(v)
    if src == C64:
        e = [1.0, -0.5, 0.0, -0.0, 2.5, 1e30, math.inf, math.nan, 65504.0, 70000.0, 1e-30]
        return np.array([complex(a, b) for a in e for b in (0.0, -1.0, math.nan)])
    if src in FLOATS:
        return np.array(FLOAT_EDGES_CAST)
    return edge_values(src)


FLOAT_EDGES_CAST = [math.nan, math.inf, -math.inf, 0.0, -0.0, 1.0, -1.0, 0.5, 1.5, 2.5, -2.5, 65504.0, 65520.0,
                    70000.0, -70000.0, 1e-3, 1e-5, 6e-8, 1e-8, 1e-30, 1e-40, 1e30, -1e30, 3.4e38, 1e300, 1e-300,
                    1.00390625, 1.0009765625, 0.333333333333, 3.14159265358979, 257.0, -33.75]


def gen_astype():
    c = Cases("astype")
    for src in DTYPES:
        for dst in DTYPES:
            v = _cast_values(src, dst)
            x = make(v, src)
            c.add(f"{dtype_name(src)} -> {dtype_name(dst)}", src, lambda a, d=dst: a.astype(d), [x],
                  {"dtype": dtype_index(dst)})
            if len(v) >= 6:
                k = len(v) // 2 * 2
                c.add(f"{dtype_name(src)} -> {dtype_name(dst)} T(2,k)", src, lambda a, d=dst: a.astype(d),
                      [transposed(make(v[:k], src, (2, k // 2)), (1, 0))], {"dtype": dtype_index(dst)})
        c.add(f"{dtype_name(src)} -> float32 B(1,3)->(4,3)", src, lambda a: a.astype(F32),
              [broadcast(make(np.resize(_cast_values(src, I32), 3), src, (1, 3)), (4, 3))], {"dtype": dtype_index(F32)})
        c.add(f"{dtype_name(src)} -> int32 (0,2)", src, lambda a: a.astype(I32), [rand(c.rng, src, (0, 2))],
              {"dtype": dtype_index(I32)})
        c.add(f"{dtype_name(src)} -> float16 ()", src, lambda a: a.astype(F16),
              [make(_cast_values(src, I8)[1:2], src, ())], {"dtype": dtype_index(F16)})
        c.add(f"{dtype_name(src)} -> float32 large", src, lambda a: a.astype(F32),
              [rand(c.rng, src, (33, 129), Domain(0, 100, 0, 100))], {"dtype": dtype_index(F32)})
    return c


def gen_copy(op):
    c = Cases(op)
    f = mx.contiguous if op == "copy" else getattr(mx, op)  # MLX's Python API has no copy(); same values
    for dt in DTYPES:
        n = dtype_name(dt)
        r = lambda s: rand(c.rng, dt, s)  # noqa: E731
        for shape in [(), (0,), (7,), (2, 3, 4)]:
            c.add(f"{n} {shape_str(shape)}", dt, f, [r(shape)])
        c.add(f"{n} T(4,2,3)(1,2,0)", dt, f, [transposed(r((4, 2, 3)), (1, 2, 0))])
        c.add(f"{n} S(7,9)[1:7:2,8:0:-3]", dt, f, [sliced(r((7, 9)), (1, 8), (7, 0), (2, -3))])
        c.add(f"{n} B(3,1)->(2,3,4)", dt, f, [broadcast(r((3, 1)), (2, 3, 4))])
        if dt in (F32, U8):
            c.add(f"{n} T(129,33)", dt, f, [transposed(r((129, 33)), (1, 0))])
    return c


def generators():
    out = [(op, (lambda op=op: gen_fill(op))) for op in ("zeros", "ones", "full")]
    out.append(("full_array", gen_full_array))
    out += [(op, (lambda op=op: gen_like(op))) for op in ("zeros_like", "ones_like", "full_like")]
    out += [("arange", gen_arange), ("linspace", gen_linspace), ("eye", gen_eye), ("identity", gen_identity),
            ("astype", gen_astype)]
    out += [(op, (lambda op=op: gen_copy(op))) for op in ("copy", "contiguous", "stop_gradient")]
    return out
