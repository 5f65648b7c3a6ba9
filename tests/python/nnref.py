"""Helpers of the cmlx.nn / cmlx.optimizers differential tests: move trees of
arrays between mlx and cmlx (through numpy, bit for bit) and compare them."""
import numpy as np

import cmlx.core as cm
import mlx.core as ref
from cmlx.utils import tree_flatten as cm_flatten
from mlx.utils import tree_flatten as ref_flatten


def to_numpy(a):
    if isinstance(a, (ref.array, cm.array)):
        if a.dtype in (ref.bfloat16, cm.bfloat16):
            a = a.astype(cm.float32 if isinstance(a, cm.array) else ref.float32)
        return np.array(a)
    return a


def _map(fn, tree):
    if isinstance(tree, dict):
        return {k: _map(fn, v) for k, v in tree.items()}
    if isinstance(tree, (list, tuple)):
        return type(tree)(_map(fn, v) for v in tree)
    return fn(tree)


def to_cm(tree):
    """An mlx tree of arrays as the same cmlx tree (values and dtypes bit-identical)."""
    def convert(a):
        if isinstance(a, ref.array):
            if a.dtype == ref.bfloat16:
                return cm.array(np.array(a.view(ref.uint16))).view(cm.bfloat16)
            return cm.array(np.array(a))
        return a
    return _map(convert, tree)


def to_ref(tree):
    def convert(a):
        if isinstance(a, cm.array):
            if a.dtype == cm.bfloat16:
                return ref.array(np.array(a.view(cm.uint16))).view(ref.bfloat16)
            return ref.array(np.array(a))
        return a
    return _map(convert, tree)


def twin(ref_module, cm_module):
    """Give cm_module the parameters of ref_module (same names required)."""
    ref_flat = ref_flatten(ref_module.parameters())
    cm_names = [k for k, _ in cm_flatten(cm_module.parameters())]
    assert [k for k, _ in ref_flat] == cm_names
    cm_module.update(to_cm(ref_module.parameters()), strict=False)
    return ref_module, cm_module


# float32 results of the same formula can differ by reassociation (BLAS blocking,
# vectorised reductions) and by a few ulp in transcendental functions.
TOL = {"float32": (2e-5, 2e-6), "float16": (2e-3, 2e-3), "bfloat16": (2e-2, 2e-2),
       "float64": (1e-12, 1e-12)}


def assert_close(got, want, rtol=None, atol=None, dtype="float32"):
    default_rtol, default_atol = TOL[dtype]
    rtol = default_rtol if rtol is None else rtol
    atol = default_atol if atol is None else atol
    g, w = to_numpy(got), to_numpy(want)
    if isinstance(got, cm.array):
        assert str(got.dtype).split(".")[-1] == str(want.dtype).split(".")[-1], (got.dtype,
                                                                                 want.dtype)
        assert got.shape == want.shape
    np.testing.assert_allclose(g, w, rtol=rtol, atol=atol)


def assert_tree_close(got, want, **kw):
    g, w = cm_flatten(got), ref_flatten(want)
    assert [k for k, _ in g] == [k for k, _ in w]
    for (name, a), (_, b) in zip(g, w):
        if isinstance(b, ref.array):
            try:
                assert_close(a, b, **kw)
            except AssertionError as e:
                raise AssertionError(f"at {name}: {e}") from None
        else:
            assert a == b, name
