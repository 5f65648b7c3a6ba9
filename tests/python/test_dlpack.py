"""mx.from_dlpack, mx.asarray and mx.array() of DLPack objects, against MLX.

The producers are NumPy arrays (every NumPy dtype, strided and transposed
views, 0-d and empty) and MLX arrays (bfloat16 included): cmlx and MLX import
each one, and the results must have the same dtype, shape and bits."""

import numpy as np
import pytest

NUMPY_DTYPES = ["bool", "uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64", "float16",
                "float32", "float64", "complex64", "complex128"]


def same(ref, cm, r, c):
    assert str(c.dtype).split(".")[-1] == str(r.dtype).split(".")[-1]
    assert tuple(c.shape) == tuple(r.shape)
    if str(r.dtype).endswith("bfloat16"):
        r, c = r.astype(ref.float32), c.astype(cm.float32)
    np.testing.assert_array_equal(np.array(c), np.array(r))


def numpy_values(dtype, shape, seed=0):
    rng = np.random.default_rng(seed)
    if dtype == "bool":
        return rng.integers(0, 2, shape).astype(bool)
    if dtype.startswith(("uint", "int")):
        info = np.iinfo(dtype)
        return rng.integers(max(info.min, -1000), min(info.max, 1000), shape).astype(dtype)
    if dtype.startswith("complex"):
        return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dtype)
    return rng.standard_normal(shape).astype(dtype)


VIEWS = {
    "contiguous": lambda x: x,
    "transposed": lambda x: x.T,
    "stepped": lambda x: x[::2, 1::3],
    "0-d": lambda x: x[1, 2],
    "empty": lambda x: x[:0],
}


@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize("dtype", NUMPY_DTYPES)
def test_numpy_producers(libs, dtype, view):
    ref, cm = libs
    x = VIEWS[view](numpy_values(dtype, (5, 7)))
    for fn in ("from_dlpack", "asarray", "array"):
        same(ref, cm, getattr(ref, fn)(x), getattr(cm, fn)(x))


@pytest.mark.parametrize("dtype", ["bool", "uint8", "int16", "int64", "float16", "bfloat16", "float32",
                                   "complex64"])
def test_mlx_arrays_import(libs, dtype):
    """An MLX array is a DLPack producer too: cmlx copies its elements bit for bit."""
    ref, cm = libs
    r = ref.array(numpy_values("float32" if dtype == "bfloat16" else dtype, (3, 4))).astype(getattr(ref, "bool_" if dtype == "bool" else dtype))
    r = r.T  # MLX exports its logical (transposed) layout
    c = cm.from_dlpack(r)
    same(ref, cm, r, c)


def test_asarray_of_an_array_and_dtype(libs):
    ref, cm = libs
    values = [[1.5, -2.25], [3.0, 4.5]]
    r, c = ref.array(values), cm.array(values)
    assert cm.asarray(c) is not c
    same(ref, cm, ref.asarray(r), cm.asarray(c))
    same(ref, cm, ref.asarray(r, dtype=ref.int32), cm.asarray(c, dtype=cm.int32))
    same(ref, cm, ref.asarray(values, ref.float16), cm.asarray(values, cm.float16))
    for x in (3.5, True, 7, (1, 2.5)):
        same(ref, cm, ref.asarray(x), cm.asarray(x))
        same(ref, cm, ref.asarray(x, copy=True), cm.asarray(x, copy=True))


@pytest.mark.parametrize("call", [
    lambda M: M.asarray(M.array([1.0]), copy=False),
    lambda M: M.asarray([1, 2], copy=False),
    lambda M: M.asarray(np.arange(3), copy=False),
    lambda M: M.from_dlpack(np.arange(3), copy=False),
    lambda M: M.from_dlpack([1, 2]),
])
def test_errors_match_mlx(libs, call):
    ref, cm = libs
    with pytest.raises(Exception) as expected:
        call(ref)
    with pytest.raises(expected.type):
        call(cm)


def test_foreign_tensor_is_released(libs):
    """The producer's memory is released once copied: NumPy's base count returns."""
    ref, cm = libs
    x = np.arange(1000, dtype=np.float32)
    import sys
    before = sys.getrefcount(x)
    for _ in range(100):
        cm.from_dlpack(x)
    assert sys.getrefcount(x) == before
