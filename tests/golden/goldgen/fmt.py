"""The fixture file format (read by tests/golden/fixture.c) and the case record.

All integers are little-endian. A file is

    magic   8 bytes  b"CMLXGLD1"
    count   u32      number of cases
    case*   count times: u32 body length, then the body

and a case body is

    str     op            C function name without the mx_ prefix ("sum_axes")
    str     label         human description of the case
    u8      column        dtype (mx_dtype value) for the coverage table, 255 = none
    u8      nparams       then per param: str key, u8 kind ('i' int64 | 'f' float64),
                          u32 count, count values
    u8      ninputs       then per input: array, u8 nviews, per view: u8 kind
                          (1 transpose, 2 slice, 3 broadcast_to), u8 count, count int64
    u8      status        expected status: 0 ok, 1 MX_ERROR_VALUE, 2 MX_ERROR_TYPE,
                          3 MX_ERROR_INDEX, 255 any error (MLX raised RuntimeError)
    u8      at_eval       1 if MLX raised only when evaluating
    u16     noutputs      then per output: array

with str = u16 length + UTF-8 bytes and array = u8 dtype, u8 ndim, int64 shape[ndim],
u64 nbytes, nbytes of row-major element data (bfloat16/float16 as bit patterns).
"""
import struct

import mlx.core as mx
import numpy as np

MAGIC = b"CMLXGLD1"

# Index = mx_dtype enum value of include/cmlx/array.h.
DTYPES = [mx.bool_, mx.uint8, mx.uint16, mx.uint32, mx.uint64, mx.int8, mx.int16, mx.int32, mx.int64,
          mx.float16, mx.float32, mx.float64, mx.bfloat16, mx.complex64]
NAMES = ["bool", "uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64",
         "float16", "float32", "float64", "bfloat16", "complex64"]
NO_COLUMN = 255

STATUS_OK, STATUS_VALUE, STATUS_TYPE, STATUS_INDEX, STATUS_ANY = 0, 1, 2, 3, 255

VIEW_TRANSPOSE, VIEW_SLICE, VIEW_BROADCAST = 1, 2, 3


def dtype_index(dt):
    return DTYPES.index(dt)


def dtype_name(dt):
    return NAMES[dtype_index(dt)]


def _str(s):
    b = s.encode("utf-8")
    if len(b) > 0xFFFF:
        raise ValueError("string too long")
    return struct.pack("<H", len(b)) + b


def array_bytes(a):
    """Row-major element bytes of an evaluated mx.array."""
    if a.dtype == mx.bfloat16:
        return np.array(mx.contiguous(a).view(mx.uint16)).tobytes()
    return np.array(a).tobytes()


def _array(a):
    data = array_bytes(a)
    if len(data) != a.size * a.itemsize:
        raise AssertionError("byte count mismatch")
    return (struct.pack("<BB", dtype_index(a.dtype), a.ndim) + struct.pack(f"<{a.ndim}q", *a.shape)
            + struct.pack("<Q", len(data)) + data)


def _param(key, values):
    if isinstance(values, (bool, int, float)):
        values = [values]
    values = list(values)
    if all(isinstance(v, (bool, int)) for v in values):
        return _str(key) + struct.pack("<BI", ord("i"), len(values)) + struct.pack(f"<{len(values)}q", *values)
    return (_str(key) + struct.pack("<BI", ord("f"), len(values))
            + struct.pack(f"<{len(values)}d", *[float(v) for v in values]))


class Input:
    """An array the C side creates from bytes, then views (transpose, slice, broadcast_to)."""

    def __init__(self, base, views=()):
        self.base = base
        self.views = list(views)

    def apply(self):
        x = self.base
        for kind, args in self.views:
            if kind == VIEW_TRANSPOSE:
                x = mx.transpose(x, list(args))
            elif kind == VIEW_SLICE:
                n = len(args) // 3
                x = x[tuple(slice(args[i], args[n + i], args[2 * n + i]) for i in range(n))]
            elif kind == VIEW_BROADCAST:
                x = mx.broadcast_to(x, list(args))
            else:
                raise ValueError(kind)
        return x

    def encode(self):
        out = _array(self.base) + struct.pack("<B", len(self.views))
        for kind, args in self.views:
            out += struct.pack("<BB", kind, len(args)) + struct.pack(f"<{len(args)}q", *args)
        return out


def transposed(base, perm):
    return Input(base, [(VIEW_TRANSPOSE, tuple(perm))])


def sliced(base, start, stop, step):
    return Input(base, [(VIEW_SLICE, tuple(start) + tuple(stop) + tuple(step))])


def broadcast(base, shape):
    return Input(base, [(VIEW_BROADCAST, tuple(shape))])


class Case:
    def __init__(self, op, label, column, params, inputs, status, at_eval, outputs):
        self.op, self.label, self.column = op, label, column
        self.params, self.inputs = params, inputs
        self.status, self.at_eval, self.outputs = status, at_eval, outputs

    def encode(self):
        body = _str(self.op) + _str(self.label) + struct.pack("<B", self.column)
        body += struct.pack("<B", len(self.params))
        for key, values in self.params.items():
            body += _param(key, values)
        body += struct.pack("<B", len(self.inputs))
        for inp in self.inputs:
            body += inp.encode()
        body += struct.pack("<BBH", self.status, self.at_eval, len(self.outputs))
        for o in self.outputs:
            body += _array(o)
        return struct.pack("<I", len(body)) + body


def _status_of(exc):
    if isinstance(exc, TypeError):
        if "incompatible function arguments" in str(exc):
            raise exc  # a bug in the generator, not an MLX verdict
        return STATUS_TYPE
    if isinstance(exc, IndexError):
        return STATUS_INDEX
    if isinstance(exc, ValueError):
        return STATUS_VALUE
    if isinstance(exc, RuntimeError):
        return STATUS_ANY
    raise exc


def run_mlx(fn, args):
    """(status, at_eval, outputs) of fn(*args) evaluated by MLX."""
    try:
        out = fn(*args)
    except (ValueError, TypeError, IndexError, RuntimeError) as e:
        return _status_of(e), 0, []
    outs = list(out) if isinstance(out, (list, tuple)) else [out]
    try:
        mx.eval(outs)
    except (ValueError, TypeError, IndexError, RuntimeError) as e:
        return _status_of(e), 1, []
    return STATUS_OK, 0, outs


def encode_file(cases):
    return MAGIC + struct.pack("<I", len(cases)) + b"".join(c.encode() for c in cases)
