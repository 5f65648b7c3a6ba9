"""Unary and binary element-wise ops, and where."""
import math

import mlx.core as mx
import numpy as np

from .fmt import broadcast, sliced, transposed
from .inputs import *  # noqa: F401,F403

# ---- unary ----------------------------------------------------------------------------
# op -> (float/complex domain, int domain, integer extremes are safe). Extremes are
# unsafe where MLX's C++ would overflow a signed int (undefined behaviour).
_ANY = Domain(-5, 5, -20, 20)
_POS = Domain(0.05, 20, 1, 40)
_UNIT = Domain(-0.99, 0.99, -1, 1)
UNARY = {
    "abs": (_ANY, False), "negative": (_ANY, False), "positive": (_ANY, True), "sign": (_ANY, True),
    "sqrt": (_POS, True), "rsqrt": (_POS, True), "square": (_ANY, False), "reciprocal": (_POS, True),
    "exp": (_ANY, True), "expm1": (_ANY, True), "log": (_POS, True), "log1p": (Domain(-0.9, 10, 0, 40), True),
    "log2": (_POS, True), "log10": (_POS, True), "sin": (_ANY, True), "cos": (_ANY, True),
    "tan": (Domain(-1.4, 1.4, -1, 1), True), "arcsin": (_UNIT, True), "arccos": (_UNIT, True),
    "arctan": (_ANY, True), "sinh": (_ANY, True), "cosh": (_ANY, True), "tanh": (_ANY, True),
    "arcsinh": (_ANY, True), "arccosh": (Domain(1.0, 20, 1, 40), True), "arctanh": (_UNIT, True),
    "sigmoid": (_ANY, True), "erf": (Domain(-3, 3, -3, 3), True), "erfinv": (_UNIT, True),
    "floor": (_ANY, True), "ceil": (_ANY, True), "round": (_ANY, True), "logical_not": (_ANY, True),
    "bitwise_invert": (Domain(-5, 5, -1000, 1000), True), "isnan": (_ANY, True), "isinf": (_ANY, True),
    "isfinite": (_ANY, True), "degrees": (_ANY, True), "radians": (_ANY, True),
}

# Shapes of the contiguous cases; the views give (3,4)/(3,3)/(2,3,4) logical shapes.
SHAPES = [(), (0,), (1,), (7,), (3, 4), (2, 1, 3), (0, 3)]
LARGE = (33, 129)  # > 4096 elements: the threaded and vectorised paths
LARGE_DTYPES = [F32, F16, I32, F64]


def views(rng, dt, dom, shape_base=(4, 3)):
    """Non-contiguous inputs: transposed, sliced with negative steps, broadcast, 3-D permuted."""
    return [
        ("T(4,3)", transposed(rand(rng, dt, (4, 3), dom), (1, 0))),
        ("S(7,9)[1:7:2,8:0:-3]", sliced(rand(rng, dt, (7, 9), dom), (1, 8), (7, 0), (2, -3))),
        ("B(1,4)->(3,4)", broadcast(rand(rng, dt, (1, 4), dom), (3, 4))),
        ("T(4,2,3)(1,2,0)", transposed(rand(rng, dt, (4, 2, 3), dom), (1, 2, 0))),
    ]


_NUMPY_TRANSCENDENTAL = {"exp", "expm1", "log", "log1p", "log2", "log10", "sin", "cos", "tan", "arcsin", "arccos",
                         "arctan", "sinh", "cosh", "tanh", "arcsinh", "arccosh", "arctanh"}


def _without_float_precision_artifacts(op, values):
    """MLX 0.32 evaluates float64 exp, sin and cos at float32 precision: exp(100)
    overflows to inf and sin(1e30) is garbage. Precision is not semantics, so
    float64 edge values where MLX is far (beyond the suite's math tolerance)
    from the float64 result are left out."""
    if op not in _NUMPY_TRANSCENDENTAL:
        return values
    with np.errstate(all="ignore"):
        want = getattr(np, op)(values)
        got = np.array(getattr(mx, op)(mx.array(values, dtype=F64)))
        close = np.isclose(got, want, rtol=4e-6, atol=1e-6, equal_nan=True) | (got == want)
    return values[close]


def _unary_fn(op, decimals):
    f = getattr(mx, op)
    if op == "round":
        return lambda x: mx.round(x, decimals)
    return f


def gen_unary(op):
    dom, int_extremes_ok = UNARY[op]
    c = Cases(op)
    params = {"decimals": 0} if op == "round" else {}
    fn = _unary_fn(op, 0)
    for dt in DTYPES:
        name = dtype_name(dt)
        for shape in SHAPES:
            c.add(f"{name} {shape_str(shape)}", dt, fn, [rand(c.rng, dt, shape, dom)], params)
        for label, inp in views(c.rng, dt, dom):
            c.add(f"{name} {label}", dt, fn, [inp], params)
        if dt in LARGE_DTYPES:
            c.add(f"{name} {shape_str(LARGE)}", dt, fn, [rand(c.rng, dt, LARGE, dom)], params)
            c.add(f"{name} T{shape_str(LARGE)}", dt, fn, [transposed(rand(c.rng, dt, LARGE, dom), (1, 0))], params)
        if dt != BOOL and (is_float(dt) or dt == C64 or int_extremes_ok or dt in (I8, I16) or dt in UNSIGNED):
            ev = edge_values(dt, with_min=int_extremes_ok or dt in (I8, I16))
            if dt == F64:
                ev = _without_float_precision_artifacts(op, ev)
            c.add(f"{name} edge values", dt, fn, [make(ev, dt)], params)
        elif dt in (I32, I64):
            ev = edge_values(dt, with_min=False)
            if op == "square":  # keep squares inside the dtype
                ev = np.array([v for v in ev.tolist() if abs(v) < 40000], dtype=ev.dtype)
            c.add(f"{name} edge values", dt, fn, [make(ev, dt)], params)
    if op == "round":
        for dt in DTYPES:
            for dec in (1, 2, -1):
                x = make(np.array([0.25, 1.25, -1.35, 2.5, 15.0, 25.0, -35.0, 0.5, 123.456, 1e-3]), dt) \
                    if dt in FLOATS or dt == C64 else rand(c.rng, dt, (10,), Domain(ilo=-100, ihi=100))
                c.add(f"{dtype_name(dt)} decimals={dec}", dt, lambda x, d=dec: mx.round(x, d), [x],
                      {"decimals": dec})
    return c


# ---- binary ---------------------------------------------------------------------------
# op -> (domain of a, domain of b, int extremes safe)
_B = Domain(-5, 5, -50, 50)
_NZ = Domain(-5, 5, -9, 9, nonzero=True)
BINARY = {
    "add": (_B, _B, False), "subtract": (_B, _B, False), "multiply": (_B, _B, False),
    "divide": (_B, _NZ, True), "floor_divide": (Domain(-9, 9, -50, 50), _NZ, False),
    "remainder": (Domain(-9, 9, -50, 50), _NZ, False),
    "power": (Domain(0.1, 3, -4, 4), Domain(-2, 2, 0, 5), False),
    "maximum": (_B, _B, True), "minimum": (_B, _B, True), "logaddexp": (_B, _B, True),
    "arctan2": (_B, _B, True), "equal": (Domain(-2, 2, -2, 2), Domain(-2, 2, -2, 2), True),
    "not_equal": (Domain(-2, 2, -2, 2), Domain(-2, 2, -2, 2), True), "greater": (_B, _B, True),
    "greater_equal": (Domain(-2, 2, -2, 2), Domain(-2, 2, -2, 2), True), "less": (_B, _B, True),
    "less_equal": (Domain(-2, 2, -2, 2), Domain(-2, 2, -2, 2), True),
    "logical_and": (Domain(-1, 1, -1, 1), Domain(-1, 1, -1, 1), True),
    "logical_or": (Domain(-1, 1, -1, 1), Domain(-1, 1, -1, 1), True),
    "bitwise_and": (Domain(ilo=-10**6, ihi=10**6), Domain(ilo=-10**6, ihi=10**6), True),
    "bitwise_or": (Domain(ilo=-10**6, ihi=10**6), Domain(ilo=-10**6, ihi=10**6), True),
    "bitwise_xor": (Domain(ilo=-10**6, ihi=10**6), Domain(ilo=-10**6, ihi=10**6), True),
    "left_shift": (Domain(ilo=0, ihi=50), None, False), "right_shift": (Domain(ilo=-10**6, ihi=10**6), None, True),
}
PAIRS = [((), ()), ((5,), (5,)), ((3, 4), (3, 4)), ((3, 4), (4,)), ((3, 1), (1, 4)), ((), (2, 3)),
         ((2, 3), ()), ((0, 3), (1, 3)), ((2, 1, 3), (4, 1)), ((1,), (0,))]
BAD_PAIRS = [((3,), (4,)), ((2, 3), (3, 2))]
# Ops whose full dtype x dtype grid is generated (type promotion and mixed kernels).
GRID_OPS = {"add", "subtract", "multiply", "divide", "floor_divide", "remainder", "power", "maximum",
            "minimum", "equal", "less", "logical_and", "bitwise_and", "bitwise_or", "left_shift", "right_shift",
            "arctan2", "logaddexp"}


def _b_domain(op, dt_a, dt_b):
    """Domains of a and b that keep MLX's C++ free of undefined behaviour: shift
    amounts below the width, left shifts that fit, no integer division by zero."""
    a_dom, b_dom, _ = BINARY[op]
    if b_dom is None:
        width = min(bits(d) if is_int(d) else 8 for d in (dt_a, dt_b))
        # a <= 50 < 2^6: a << (width - 7) stays below the sign bit; 8-bit types promote to int
        most = width - 1 if op == "right_shift" or width == 8 else width - 7
        b_dom = Domain(ilo=0, ihi=most)
    return a_dom, b_dom


def _edge_pair(dt, op):
    """All pairs of edge values: a (k,1) against b (1,k)."""
    _, _, safe = BINARY[op]
    if dt == BOOL:
        e = np.array([True, False])
        if op in ("floor_divide", "remainder"):  # integer division by False is undefined
            return make(e, dt, (2, 1)), make(np.array([True]), dt, (1, 1))
    elif is_int(dt):
        e = edge_values(dt, with_min=safe)
        if not safe and dt in (I32, I64, U32, U64):
            e = np.array([v for v in e.tolist() if abs(v) < 1000], dtype=e.dtype) if op in (
                "add", "subtract", "multiply", "power") else e
        if op in ("floor_divide", "remainder"):
            b = np.array([v for v in e.tolist() if v != 0 and v != -1], dtype=e.dtype)
            return make(e, dt, (len(e), 1)), make(b, dt, (1, len(b)))
        if op in ("left_shift", "right_shift"):
            n = bits(dt) - 1
            if op == "right_shift":
                a, b = e, [0, 1, 2, n // 2, n]
            else:  # 3 << (bits - 2) still fits the unsigned width: defined in C++17
                a, b = np.array([v for v in e.tolist() if 0 <= v <= 3], dtype=e.dtype), [0, 1, 2, n // 2, n - 1]
            return make(a, dt, (len(a), 1)), make(np.array(b), dt, (1, len(b)))
        if op == "power":
            a = np.array([v for v in e.tolist() if abs(v) <= 3], dtype=e.dtype)
            b = np.array([0, 1, 2, 3, 5], dtype=np.int64)
            return make(a, dt, (len(a), 1)), make(b, dt, (1, len(b)))
    else:
        e = np.array([math.nan, math.inf, -math.inf, 0.0, -0.0, 1.0, -1.0, 2.5, -0.5, 1e-30, 1e30, 7.0])
        if dt == C64:
            e = np.array([complex(1.0, 2.0), complex(-0.5, 0.0), 0j, complex(math.inf, 0.0), complex(math.nan, 1.0)])
    return make(e, dt, (len(e), 1)), make(e, dt, (1, len(e)))


def gen_binary(op):
    c = Cases(op)
    fn = getattr(mx, op)
    _, _, safe = BINARY[op]
    for dt in DTYPES:
        name = dtype_name(dt)
        a_dom, b_dom = _b_domain(op, dt, dt)
        for sa, sb in PAIRS:
            c.add(f"{name} {shape_str(sa)} {shape_str(sb)}", dt, fn,
                  [rand(c.rng, dt, sa, a_dom), rand(c.rng, dt, sb, b_dom)])
        va = views(c.rng, dt, a_dom)
        vb = views(c.rng, dt, b_dom)
        c.add(f"{name} {va[0][0]} + (3,4)", dt, fn, [va[0][1], rand(c.rng, dt, (3, 4), b_dom)])
        c.add(f"{name} (3,3) + {vb[1][0]}", dt, fn, [rand(c.rng, dt, (3, 3), a_dom), vb[1][1]])
        c.add(f"{name} {va[2][0]} + {vb[0][0]}", dt, fn, [va[2][1], vb[0][1]])
        c.add(f"{name} {va[3][0]} + {vb[3][0]}", dt, fn, [va[3][1], vb[3][1]])
        if dt in LARGE_DTYPES:
            c.add(f"{name} {shape_str(LARGE)} x2", dt, fn,
                  [rand(c.rng, dt, LARGE, a_dom), rand(c.rng, dt, LARGE, b_dom)])
            c.add(f"{name} {shape_str(LARGE)} + row", dt, fn,
                  [rand(c.rng, dt, LARGE, a_dom), rand(c.rng, dt, (LARGE[1],), b_dom)])
            c.add(f"{name} T{shape_str(LARGE)} + col", dt, fn,
                  [transposed(rand(c.rng, dt, LARGE[::-1], a_dom), (1, 0)), rand(c.rng, dt, (LARGE[0], 1), b_dom)])
        ea, eb = _edge_pair(dt, op)
        c.add(f"{name} edge values", dt, fn, [ea, eb])
        for sa, sb in BAD_PAIRS:
            c.add(f"{name} {shape_str(sa)} {shape_str(sb)} bad", dt, fn,
                  [rand(c.rng, dt, sa, a_dom), rand(c.rng, dt, sb, b_dom)])
    if op in GRID_OPS:  # column: the promoted dtype, whose kernel the case exercises
        for da in DTYPES:
            for db in DTYPES:
                if da == db:
                    continue
                a_dom, b_dom = _b_domain(op, da, db)
                c.add(f"{dtype_name(da)} x {dtype_name(db)}", mx.result_type(da, db), fn,
                      [rand(c.rng, da, (2, 3), a_dom), rand(c.rng, db, (3,), b_dom)])
    return c


def gen_where():
    c = Cases("where")
    dom = Domain(-5, 5, -50, 50)
    shapes = [((), (), ()), ((5,), (5,), (5,)), ((3, 4), (4,), ()), ((3, 1), (1, 4), (3, 4)),
              ((2, 1, 3), (4, 1), (3,)), ((0, 3), (3,), ()), ((3,), (2, 3), (1,))]
    for dt in DTYPES:
        name = dtype_name(dt)
        for sc, sx, sy in shapes:
            c.add(f"{name} {shape_str(sc)} {shape_str(sx)} {shape_str(sy)}", dt, mx.where,
                  [rand(c.rng, BOOL, sc), rand(c.rng, dt, sx, dom), rand(c.rng, dt, sy, dom)])
        v = views(c.rng, dt, dom)
        c.add(f"{name} views", dt, mx.where, [views(c.rng, BOOL, dom)[1][1], v[0][1], v[2][1]])
        # a non-bool condition is tested for truth
        c.add(f"{name} cond {name}", dt, mx.where,
              [rand(c.rng, dt, (3, 4), Domain(-1, 1, -1, 1)), rand(c.rng, F32, (3, 4)), rand(c.rng, I32, (4,))])
        c.add(f"{name} bad shapes", dt, mx.where,
              [rand(c.rng, BOOL, (3,)), rand(c.rng, dt, (4,), dom), rand(c.rng, dt, (3,), dom)])
        if dt in LARGE_DTYPES:
            c.add(f"{name} {shape_str(LARGE)}", dt, mx.where,
                  [rand(c.rng, BOOL, LARGE), rand(c.rng, dt, LARGE, dom), rand(c.rng, dt, (LARGE[1],), dom)])
    for dx in DTYPES:
        for dy in DTYPES:
            if dx != dy:
                c.add(f"{dtype_name(dx)} x {dtype_name(dy)}", mx.result_type(dx, dy), mx.where,
                      [rand(c.rng, BOOL, (2, 3)), rand(c.rng, dx, (2, 3), dom), rand(c.rng, dy, (3,), dom)])
    return c


def generators():
    out = [(op, (lambda op=op: gen_unary(op))) for op in UNARY]
    out += [(op, (lambda op=op: gen_binary(op))) for op in BINARY]
    out.append(("where", gen_where))
    return out
