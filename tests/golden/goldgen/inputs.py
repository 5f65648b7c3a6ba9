"""Deterministic inputs: random values from a per-op seed, edge values, and the
case collector every op family uses."""
import math
import zlib

import mlx.core as mx
import numpy as np

from .fmt import Case, Input, dtype_index, dtype_name, run_mlx

BOOL, U8, U16, U32, U64, I8, I16, I32, I64, F16, F32, F64, BF16, C64 = [
    mx.bool_, mx.uint8, mx.uint16, mx.uint32, mx.uint64, mx.int8, mx.int16, mx.int32, mx.int64,
    mx.float16, mx.float32, mx.float64, mx.bfloat16, mx.complex64]
DTYPES = [BOOL, U8, U16, U32, U64, I8, I16, I32, I64, F16, F32, F64, BF16, C64]
UNSIGNED = [U8, U16, U32, U64]
SIGNED = [I8, I16, I32, I64]
INTS = UNSIGNED + SIGNED
FLOATS = [F16, F32, F64, BF16]
REALS = [BOOL] + INTS + FLOATS

_NP = {BOOL: np.bool_, U8: np.uint8, U16: np.uint16, U32: np.uint32, U64: np.uint64, I8: np.int8,
       I16: np.int16, I32: np.int32, I64: np.int64, F16: np.float16, F32: np.float32, F64: np.float64,
       C64: np.complex64}


def is_int(dt):
    return dt in INTS


def is_float(dt):
    return dt in FLOATS


def int_range(dt):
    info = np.iinfo(_NP[dt])
    return int(info.min), int(info.max)


def bits(dt):
    return np.iinfo(_NP[dt]).bits


def make(values, dt, shape=None):
    """An mx.array of dtype dt holding `values` (numpy) reshaped to `shape`."""
    values = np.asarray(values)
    if shape is not None:
        values = values.reshape(shape)
    if dt == BF16:
        return mx.array(values.astype(np.float32)).astype(BF16)
    if dt == C64:
        return mx.array(values.astype(np.complex64))
    if dt == BOOL:
        return mx.array(values.astype(np.bool_))
    if is_int(dt):
        values = np.asarray(values)
        if values.dtype.kind == "f":
            values = np.trunc(values)
        return mx.array(values.astype(_NP[dt]), dtype=dt)
    return mx.array(values.astype(_NP[dt]), dtype=dt)


class Domain:
    """Where random values come from: floats in [lo, hi), integers in [ilo, ihi]
    (clipped to the dtype), complex numbers with both parts in [lo, hi)."""

    def __init__(self, lo=-5.0, hi=5.0, ilo=-20, ihi=20, nonzero=False):
        self.lo, self.hi, self.ilo, self.ihi, self.nonzero = lo, hi, ilo, ihi, nonzero


DEFAULT = Domain()


def random_values(rng, dt, n, dom=DEFAULT):
    if dt == BOOL:
        return np.ones(n, dtype=bool) if dom.nonzero else rng.random(n) < 0.5
    if is_int(dt):
        lo, hi = int_range(dt)
        lo, hi = max(lo, dom.ilo), min(hi, dom.ihi)
        v = rng.integers(lo, hi + 1, n, dtype=np.int64) if hi < 2**63 else rng.integers(lo, hi + 1, n)
        if dom.nonzero:
            v = np.where(v == 0, 1 if hi >= 1 else -1, v)
        return v
    v = rng.uniform(dom.lo, dom.hi, n)
    if dom.nonzero:
        v = np.where(np.abs(v) < 0.25, 0.25 + np.abs(v), v)
    if dt == C64:
        w = rng.uniform(dom.lo, dom.hi, n)
        return v + 1j * w
    return v


def rand(rng, dt, shape, dom=DEFAULT):
    return make(random_values(rng, dt, math.prod(shape), dom), dt, shape)


FLOAT_EDGES = [math.nan, math.inf, -math.inf, 0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1.5, 2.5, -2.5, 3.0,
               1e-3, -1e-3, 1e-30, 100.0, -100.0, 60000.0, 1e30, -1e30]


def int_edges(dt, with_min=True):
    lo, hi = int_range(dt)
    vals = [0, 1, 2, 3, hi, hi - 1, 7, 100 % (hi + 1)]
    if lo < 0:
        vals += [-1, -2, -7, lo + 1] + ([lo] if with_min else [])
    return vals


def edge_values(dt, with_min=True):
    if dt == BOOL:
        return np.array([True, False])
    if is_int(dt):
        return np.array(int_edges(dt, with_min), dtype=object).astype(_NP[dt])
    if dt == C64:
        e = [1.0, -0.5, 0.0, -0.0, 2.5, math.inf, math.nan]
        return np.array([complex(a, b) for a in e for b in e[:4]])
    return np.array(FLOAT_EDGES)


def seed_of(name):
    return zlib.crc32(name.encode()) & 0xFFFFFFFF


def shape_str(shape):
    return "(" + ",".join(str(d) for d in shape) + ")"


class Cases:
    """The cases of one op (one fixture file)."""

    def __init__(self, op):
        self.op = op
        self.cases = []
        self.rng = np.random.default_rng(seed_of(op))

    def add(self, label, column, fn, inputs=(), params=None, op=None):
        """fn receives the MLX arrays after their views; params are what C passes."""
        inputs = [i if isinstance(i, Input) else Input(i) for i in inputs]
        for i in inputs:
            if i.base.size == 0:
                # MLX 0.32 sometimes hangs reducing an empty array that came from numpy
                # (garbage reduction plan); an empty array MLX made itself is safe.
                i.base = mx.zeros(i.base.shape, i.base.dtype)
                mx.eval(i.base)
        status, at_eval, outs = run_mlx(fn, [i.apply() for i in inputs])
        col = column if isinstance(column, int) else dtype_index(column)
        self.cases.append(Case(op or self.op, label, col, dict(params or {}), inputs, status, at_eval, outs))
        return status


__all__ = ["Cases", "Domain", "DEFAULT", "rand", "make", "random_values", "edge_values", "int_range", "bits",
           "is_int", "is_float", "shape_str", "dtype_name", "dtype_index", "DTYPES", "INTS",
           "UNSIGNED", "SIGNED", "FLOATS", "REALS", "BOOL", "U8", "U16", "U32", "U64", "I8", "I16", "I32",
           "I64", "F16", "F32", "F64", "BF16", "C64"]
