"""cmlx.core's function transforms against mlx.core (MLX 0.32): grad,
value_and_grad, vjp, jvp, vmap, checkpoint and custom_function. Each case
runs the same Python code with both modules on the same inputs and compares
the returned structure (tuples, lists, dicts, None, non-array leaves), the
arrays (dtype, shape, values) or the exception (class and message).

The op-by-op gradient checks (every differentiable op against finite
differences and MLX) are in test_grad_differential.py; this file checks the
transforms themselves: pytrees, argnums/argnames, return conventions, errors,
composition (grad of grad, vmap of grad, ...), custom rules, checkpointing,
and reference counting (no leaks).

Run: python -m pytest tests/python/test_transforms.py
"""

import gc
import inspect
import sys
import tracemalloc

import numpy as np
import pytest

ref = pytest.importorskip("mlx.core")
cm = pytest.importorskip("cmlx.core")

LIBS = [ref, cm]


def dtype_name(d):
    return str(d).rsplit(".", 1)[-1]


def is_array(x):
    return isinstance(x, (ref.array, cm.array))


def to_numpy(x):
    if dtype_name(x.dtype) == "bfloat16":
        x = x.astype(ref.float32 if isinstance(x, ref.array) else cm.float32)
    return np.array(x)


def assert_same(expected, got, rtol, atol, path="result"):
    """Same tree structure, same non-array leaves, arrays of the same dtype and
    shape with values within atol + rtol |expected|."""
    if is_array(expected):
        assert is_array(got), f"{path}: MLX gives an array, cmlx {type(got).__name__}"
        assert dtype_name(got.dtype) == dtype_name(expected.dtype), f"{path}: dtype {got.dtype} != {expected.dtype}"
        assert tuple(got.shape) == tuple(expected.shape), f"{path}: shape {got.shape} != {expected.shape}"
        e, g = to_numpy(expected).astype(np.float64), to_numpy(got).astype(np.float64)
        np.testing.assert_allclose(g, e, rtol=rtol, atol=atol, equal_nan=True, err_msg=path)
    elif isinstance(expected, (list, tuple)):
        assert type(got) is type(expected), f"{path}: {type(got).__name__} != {type(expected).__name__}"
        assert len(got) == len(expected), f"{path}: {len(got)} items != {len(expected)}"
        for i, (e, g) in enumerate(zip(expected, got)):
            assert_same(e, g, rtol, atol, f"{path}[{i}]")
    elif isinstance(expected, dict):
        assert isinstance(got, dict) and list(got) == list(expected), f"{path}: keys {list(got)} != {list(expected)}"
        for k in expected:
            assert_same(expected[k], got[k], rtol, atol, f"{path}[{k!r}]")
    else:
        assert type(got) is type(expected) and got == expected, f"{path}: {got!r} != {expected!r}"


def outcome(M, build):
    try:
        out = build(M)
        M.eval(out)
        return out, None
    except Exception as e:  # noqa: BLE001 - the exception is compared
        return None, e


def check(build, rtol=2e-5, atol=1e-6, message=True):
    """build(M) with M = mlx.core and cmlx.core: the same result, or the same
    exception (class, and message unless message=False)."""
    expected, ref_error = outcome(ref, build)
    got, error = outcome(cm, build)
    if ref_error is not None:
        assert error is not None, f"MLX raises {type(ref_error).__name__}({ref_error}); cmlx returns {got!r}"
        assert type(error).__name__ == type(ref_error).__name__, f"cmlx raises {error!r}, MLX {ref_error!r}"
        if message:
            assert str(error).replace("cmlx.core", "mlx.core") == str(ref_error), (str(error), str(ref_error))
        return None
    if error is not None:
        raise AssertionError(f"cmlx raises {type(error).__name__}({error}); MLX returns {expected!r}") from error
    assert_same(expected, got, rtol, atol)
    return got


RNG = np.random.default_rng(7)
A34 = RNG.uniform(-1.5, 1.5, (3, 4)).astype(np.float32)
B45 = RNG.uniform(-1.5, 1.5, (4, 5)).astype(np.float32)
V4 = RNG.uniform(0.5, 2.0, (4,)).astype(np.float32)
S = np.float32(0.7)


def arr(M, v, dtype=None):
    a = M.array(v)
    return a.astype(getattr(M, dtype)) if dtype else a


# ---- functions to differentiate: element-wise, reductions, matmul, shape ops --------------------------------

def f_elementwise(M):
    return lambda x, y: M.sum(M.sin(x) * M.exp(y) + x / (1.0 + y * y) - M.tanh(x * y))


def f_reductions(M):
    return lambda x: M.mean(M.square(x), axis=1).sum() + M.logsumexp(x) + M.var(x, axis=0).sum()


def f_softmax(M):
    return lambda x: (M.softmax(x, axis=-1) * M.arange(4, dtype=M.float32)).sum()


def f_matmul(M):
    return lambda a, b: M.sum(M.tanh(a @ b)) + (a.T @ a).sum()


def f_shapes(M):
    def f(x):
        y = M.reshape(M.transpose(x), (2, 6))
        z = M.concatenate([y[:, ::2], M.expand_dims(y[0], 0)[:, 1:4]], axis=0)
        return (M.broadcast_to(z[None], (2, 3, 3)) * M.flip(z, axis=1)).sum()
    return f


def f_where_maximum(M):
    return lambda x, y: M.sum(M.where(x > 0, x * y, -x) + M.maximum(x, 0.25 * y))


FUNCTIONS = {
    "elementwise": (f_elementwise, lambda M: (arr(M, A34), arr(M, A34[::-1] * 0.5))),
    "reductions": (f_reductions, lambda M: (arr(M, A34),)),
    "softmax": (f_softmax, lambda M: (arr(M, A34),)),
    "matmul": (f_matmul, lambda M: (arr(M, A34), arr(M, B45))),
    "shapes": (f_shapes, lambda M: (arr(M, A34),)),
    "where_maximum": (f_where_maximum, lambda M: (arr(M, A34), arr(M, A34 * 1.3 + 0.2))),
}


@pytest.mark.parametrize("name", FUNCTIONS)
def test_grad_of_functions(name):
    f, inputs = FUNCTIONS[name]
    check(lambda M: M.grad(f(M))(*inputs(M)))


@pytest.mark.parametrize("name", FUNCTIONS)
def test_value_and_grad_all_argnums(name):
    f, inputs = FUNCTIONS[name]
    check(lambda M: M.value_and_grad(f(M), argnums=tuple(range(len(inputs(M)))))(*inputs(M)))


@pytest.mark.parametrize("name", FUNCTIONS)
def test_vjp_and_jvp_of_functions(name):
    f, inputs = FUNCTIONS[name]
    check(lambda M: M.vjp(f(M), list(inputs(M)), [M.array(1.5)]))
    check(lambda M: M.jvp(f(M), list(inputs(M)), [M.ones_like(x) * 0.5 for x in inputs(M)]))


@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "float64", "int32"])
def test_grad_dtypes(dtype):
    # the gradient has the primal's dtype; integer primals give integer gradients in MLX
    tol = {"float16": 2e-3, "bfloat16": 1e-2}.get(dtype, 1e-6)
    check(lambda M: M.grad(lambda x: (x * x * 3).sum())(arr(M, V4 * 2, dtype)), rtol=tol, atol=tol)


def test_empty_arrays():
    check(lambda M: M.grad(lambda x: (x * 2).sum())(M.zeros((0, 3))))
    check(lambda M: M.value_and_grad(lambda x, y: (x @ y).sum(), argnums=(0, 1))(M.zeros((2, 0)), M.zeros((0, 3))))
    check(lambda M: M.vjp(lambda x: M.exp(x), [M.zeros((3, 0))], [M.zeros((3, 0))]))
    check(lambda M: M.jvp(lambda x: M.sin(x), [M.zeros((0,))], [M.zeros((0,))]))
    check(lambda M: M.vmap(lambda x: x * 2)(M.zeros((2, 0))))


def test_grad_mixed_dtypes():
    check(lambda M: M.grad(lambda a, b: (a * b).sum(), argnums=(0, 1))(arr(M, V4, "float16"), arr(M, V4)),
          rtol=2e-3)


# ---- pytrees ----------------------------------------------------------------------------------------------------

def params(M):
    return {"w": arr(M, A34), "b": [arr(M, V4[:3]), (arr(M, S), arr(M, V4))]}


def loss_of_params(M):
    def loss(p, x, scale=1.0):
        h = M.tanh(p["w"].T @ x + p["b"][0].sum()) * p["b"][1][0]
        return scale * M.mean(M.square(h - p["b"][1][1][:, None]))
    return loss


def test_grad_over_a_dict_of_parameters():
    check(lambda M: M.value_and_grad(loss_of_params(M))(params(M), arr(M, A34[:, :2])))


def test_grad_leaves_non_arrays_of_other_arguments_alone():
    def build(M):
        def f(x, config, names):
            assert config["mode"] == "sum" and names == ("a", None)
            return (x * config["k"]).sum()
        return M.grad(f)(arr(M, V4), {"mode": "sum", "k": 3.0}, ("a", None))
    check(build)


def test_argnums_variants():
    f = lambda M: lambda a, b, c: (a * b * M.sin(c)).sum()  # noqa: E731
    ins = lambda M: (arr(M, V4), arr(M, V4 * 2), arr(M, V4 - 1))  # noqa: E731
    for argnums in (None, 0, 2, (0, 2), [2, 1], (1,), True, np.int64(1)):
        check(lambda M: M.grad(f(M), argnums=argnums)(*ins(M)))
        check(lambda M: M.value_and_grad(f(M), argnums=argnums)(*ins(M)))


def test_argnames():
    f = lambda M: lambda a, b=None, c=None: (a * b * c).sum()  # noqa: E731
    kw = lambda M: {"c": arr(M, V4 - 1), "b": arr(M, V4 * 2)}  # noqa: E731
    check(lambda M: M.grad(f(M), argnames="b")(arr(M, V4), **kw(M)))
    check(lambda M: M.grad(f(M), argnames=["c", "b"])(arr(M, V4), **kw(M)))
    check(lambda M: M.grad(f(M), argnums=0, argnames=("b",))(arr(M, V4), **kw(M)))
    check(lambda M: M.value_and_grad(f(M), argnames={"c"})(arr(M, V4), **kw(M)))
    check(lambda M: M.grad(f(M), argnames="b")(arr(M, V4), c=arr(M, V4)))  # b missing


def test_value_and_grad_returns_the_value_with_its_aux_values():
    def build(M):
        def f(x):
            y = x * x
            return y.sum(), {"y": y, "n": 3, "tag": "aux"}, [x + 1, None]
        return M.value_and_grad(f)(arr(M, V4))
    check(build)


def test_value_and_grad_differentiates_the_first_element_only():
    check(lambda M: M.value_and_grad(lambda x: ((x * x).sum(), (x * 100).sum()))(arr(M, V4)))


def test_grad_sees_tracers_in_place_in_lists_and_dicts():
    # MLX puts the traced arrays into the caller's lists and dicts themselves
    # (a function reading its argument through a captured alias is differentiated
    # too) and puts the originals back afterwards; tuples are rebuilt.
    def build(M):
        p = {"w": arr(M, V4)}
        lst = [arr(M, V4)]
        tup = (arr(M, V4),)
        before = p["w"]
        g = (M.grad(lambda q: (p["w"] ** 2).sum())(p), M.grad(lambda q: (lst[0] ** 2).sum())(lst),
             M.grad(lambda q: (tup[0] ** 2).sum())(tup))
        assert p["w"] is before
        return g
    check(build)


def test_identity_of_the_argument():
    for M in LIBS:
        p = {"w": arr(M, S)}
        seen = []
        M.grad(lambda q: (seen.append(q is p), q["w"] * 2)[1])(p)
        assert seen == [True]


def test_nested_trees_in_gradients():
    def build(M):
        tree = [{"a": arr(M, V4), "b": (arr(M, S), [arr(M, A34)])}, arr(M, V4)]
        return M.grad(lambda t: (t[0]["a"] * t[1]).sum() + t[0]["b"][0] * t[0]["b"][1][0].sum())(tree)
    check(build)


# ---- errors ----------------------------------------------------------------------------------------------------

ERRORS = {
    "non-scalar output": lambda M: M.grad(lambda x: x * 2)(arr(M, V4)),
    "shape (1,) output": lambda M: M.grad(lambda x: x.sum(keepdims=True))(arr(M, V4)),
    "grad of a tuple": lambda M: M.grad(lambda x: (x.sum(), x))(arr(M, V4)),
    "value_and_grad of a list": lambda M: M.value_and_grad(lambda x: [x.sum()])(arr(M, V4)),
    "int output": lambda M: M.grad(lambda x: 3)(arr(M, V4)),
    "int output vg": lambda M: M.value_and_grad(lambda x: 3)(arr(M, V4)),
    "empty tuple": lambda M: M.value_and_grad(lambda x: ())(arr(M, V4)),
    "tuple of int first": lambda M: M.value_and_grad(lambda x: (3, x))(arr(M, V4)),
    "tuple of non-scalar first": lambda M: M.value_and_grad(lambda x: (x, 1))(arr(M, V4)),
    "negative argnums": lambda M: M.grad(lambda x: x, argnums=-1),
    "duplicate argnums": lambda M: M.grad(lambda x, y: x, argnums=[1, 1]),
    "no argnums": lambda M: M.grad(lambda x: x, argnums=[]),
    "argnums out of range": lambda M: M.grad(lambda x, y: x.sum(), argnums=2)(arr(M, V4), arr(M, V4)),
    "argnums of keyword call": lambda M: M.grad(lambda x=None: x.sum())(x=arr(M, V4)),
    "argnums str": lambda M: M.grad(lambda x: x, argnums="x"),
    "argnums float": lambda M: M.value_and_grad(lambda x: x, argnums=1.0),
    "argnums list of str": lambda M: M.grad(lambda x: x, argnums=[0, "a"]),
    "argnames int": lambda M: M.grad(lambda x: x, argnames=1),
    "fun not callable": lambda M: M.grad(3),
    "non-array leaf in a differentiated argument": lambda M: M.grad(lambda p: p[0].sum())([arr(M, V4), 3]),
    "float argument": lambda M: M.grad(lambda x: x * 2)(3.0),
    "no array in the differentiated argument": lambda M: M.grad(lambda a, b: b.sum())([], arr(M, V4)),
    "vjp: fewer cotangents than outputs": lambda M: M.vjp(lambda x: (x, x * 2), [arr(M, V4)], [arr(M, V4)]),
    "vjp: cotangent shape": lambda M: M.vjp(lambda x: x * 2, [arr(M, V4)], [arr(M, S)]),
    "vjp: no cotangent": lambda M: M.vjp(lambda: M.array(1.0), [], []),
    "vjp: float primal": lambda M: M.vjp(lambda x: x, [1.0], [1.0]),
    "vjp: not callable": lambda M: M.vjp(3, [arr(M, V4)], [arr(M, V4)]),
    "jvp: tangent shape": lambda M: M.jvp(lambda x: x * 2, [arr(M, V4)], [arr(M, S)]),
    "jvp: tangent count": lambda M: M.jvp(lambda x: x * 2, [arr(M, V4)], [arr(M, V4)] * 2),
    "jvp: int primal": lambda M: M.jvp(lambda x: x * 2, [1], [1]),
    "checkpoint: not callable": lambda M: M.checkpoint(3),
    "custom_function: not callable": lambda M: M.custom_function(3),
}


@pytest.mark.parametrize("name", ERRORS)
def test_errors_match_mlx(name):
    check(ERRORS[name])


def test_vjp_of_a_non_array_output_is_a_runtime_error():
    # MLX raises RuntimeError("std::bad_cast"); cmlx says what was wrong
    for output in (3, {"a": 1}, [1, [2]]):
        check(lambda M: M.vjp(lambda x: output, [arr(M, V4)], [arr(M, V4)]), message=False)


def test_the_functions_exception_is_reraised_unchanged():
    class Boom(Exception):
        pass

    raised = Boom("inside")

    def fail(*args, **kwargs):
        raise raised

    transforms = [
        lambda: cm.grad(fail)(cm.ones(2)),
        lambda: cm.value_and_grad(fail)(cm.ones(2)),
        lambda: cm.vjp(fail, [cm.ones(2)], [cm.ones(2)]),
        lambda: cm.jvp(fail, [cm.ones(2)], [cm.ones(2)]),
        lambda: cm.vmap(fail)(cm.ones(2)),
        lambda: cm.checkpoint(fail)(cm.ones(2)),
        lambda: cm.grad(cm.grad(fail))(cm.array(1.0)),
        lambda: cm.vmap(cm.grad(fail))(cm.ones(2)),
    ]
    for t in transforms:
        with pytest.raises(Boom) as info:
            t()
        assert info.value is raised
    custom = cm.custom_function(lambda x: x * 2)
    custom.vjp(fail)
    with pytest.raises(Boom) as info:
        cm.grad(lambda x: custom(x).sum())(cm.ones(2))
    assert info.value is raised


def test_mlx_exceptions_inside_nested_transforms():
    check(lambda M: M.grad(lambda x: M.grad(lambda y: y * 2)(x).sum())(arr(M, V4)))
    check(lambda M: M.vmap(lambda x: M.grad(lambda y: y)(x))(arr(M, A34)))


# ---- composition --------------------------------------------------------------------------------------------------

def test_grad_of_grad():
    check(lambda M: M.grad(M.grad(lambda x: x * x * x + M.sin(x)))(arr(M, S)))
    check(lambda M: M.grad(M.grad(M.grad(lambda x: M.exp(2 * x))))(arr(M, S)))


# Second order: for each function f of one array, grad(grad-of-sum) (the Hessian's row sums) and
# vjp(grad(f), v) (a Hessian-vector product), both against MLX. Inputs in (0.2, 0.9): inside every
# domain below and away from the kinks of abs/maximum/minimum/max (their second derivative is zero).
P34 = RNG.uniform(0.2, 0.9, (3, 4)).astype(np.float32)
Q34 = RNG.uniform(0.2, 0.9, (3, 4)).astype(np.float32)
Q45 = RNG.uniform(0.2, 0.9, (4, 5)).astype(np.float32)
SECOND_ORDER = {
    **{name: (lambda name: lambda M, x: getattr(M, name)(x))(name) for name in (
        "exp", "log", "log1p", "expm1", "sin", "cos", "tan", "tanh", "sinh", "cosh", "sigmoid", "sqrt", "rsqrt",
        "square", "reciprocal", "abs", "erf", "erfinv", "arcsin", "arccos", "arctan", "arcsinh", "arctanh", "log2",
        "log10", "negative")},
    **{name: (lambda name: lambda M, x: getattr(M, name)(x, M.array(Q34)))(name) for name in (
        "multiply", "divide", "power", "maximum", "minimum", "logaddexp", "arctan2", "subtract", "add")},
    "divide_by_x": lambda M, x: M.divide(M.array(Q34), x),
    "power_base": lambda M, x: M.power(M.array(Q34) + 0.5, x),
    "matmul": lambda M, x: M.matmul(x * x, M.array(Q45)),
    "matmul_both": lambda M, x: M.matmul(x, M.sin(x).T),
    **{name: (lambda name: lambda M, x: getattr(M, name)(M.exp(x), axis=1))(name) for name in (
        "sum", "mean", "prod", "max", "min", "logsumexp", "var", "std", "softmax", "cumsum", "cumprod")},
    "norm": lambda M, x: M.linalg.norm(x, axis=1),
}


@pytest.mark.parametrize("name", SECOND_ORDER)
def test_second_order(name):
    f = SECOND_ORDER[name]
    check(lambda M: M.grad(lambda x: M.grad(lambda y: f(M, y).sum())(x).sum())(arr(M, P34)), rtol=1e-4, atol=1e-5)
    check(lambda M: M.vjp(M.grad(lambda y: (f(M, y) ** 2).sum()), [arr(M, P34)], [M.array(Q34)]),
          rtol=1e-4, atol=1e-5)
    # prod's VJP is made of cumprods (as MLX's), which have no JVP in either library: both raise, with
    # their own messages
    check(lambda M: M.jvp(M.grad(lambda y: (f(M, y) ** 2).sum()), [arr(M, P34)], [M.array(Q34)]),
          rtol=1e-4, atol=1e-5, message=name not in ("prod", "cumprod"))


def test_grad_of_value_and_grad_aux():
    def build(M):
        g = M.value_and_grad(lambda x, y: (M.sin(x) * y).sum(), argnums=(0, 1))
        return M.grad(lambda x: g(x, x * 2)[1][0].sum())(arr(M, V4))
    check(build)


def test_vmap_of_grad_and_grad_of_vmap():
    check(lambda M: M.vmap(M.grad(lambda x: (M.sin(x) * x).sum()))(arr(M, A34)))
    check(lambda M: M.grad(lambda a: M.vmap(lambda r: (r * r).sum() ** 2)(a).sum())(arr(M, A34)))


def test_jvp_of_grad():
    check(lambda M: M.jvp(M.grad(lambda x: (x ** 3).sum()), [arr(M, V4)], [arr(M, V4 * 0 + 1)]))


def test_stop_gradient():
    check(lambda M: M.grad(lambda x: (M.stop_gradient(x * x) * x).sum())(arr(M, V4)))


# ---- vjp / jvp ------------------------------------------------------------------------------------------------------

def test_vjp_several_outputs_and_cotangent_dtypes():
    f = lambda M: lambda x, y: (x * y, M.sin(x), (x + y).sum())  # noqa: E731
    check(lambda M: M.vjp(f(M), [arr(M, V4), arr(M, V4 * 2)],
                          [arr(M, V4), M.ones(4, dtype=M.float16), M.array(2, dtype=M.int32)]))


def test_vjp_ignores_extra_cotangents():
    check(lambda M: M.vjp(lambda x: x * 2, [arr(M, V4)], [arr(M, V4), M.ones((5,))]))
    check(lambda M: M.vjp(lambda x: (x * 2, x * 3), (arr(M, V4),), (arr(M, V4), arr(M, V4), arr(M, S))))


def test_vjp_and_jvp_accept_tuples_and_keywords():
    check(lambda M: M.vjp(fun=lambda x: [x * 2], primals=(arr(M, V4),), cotangents=(arr(M, V4),)))
    check(lambda M: M.jvp(fun=lambda x: (M.exp(x),), primals=[arr(M, V4)], tangents=[arr(M, V4)]))


def test_jvp_tangent_of_another_dtype():
    check(lambda M: M.jvp(lambda x: x * 2, [arr(M, V4)], [M.array([1, 1, 1, 1])]))


# ---- vmap --------------------------------------------------------------------------------------------------------------

M234 = RNG.uniform(-1, 1, (2, 3, 4)).astype(np.float32)

VMAPS = {
    "default": lambda M: M.vmap(lambda a: M.sin(a).sum())(arr(M, A34)),
    "in_axes=1": lambda M: M.vmap(lambda a: a * a, in_axes=1)(arr(M, A34)),
    "in_axes=-1": lambda M: M.vmap(lambda a: a.sum(), in_axes=-1)(arr(M, M234)),
    "out_axes=1": lambda M: M.vmap(lambda a: a * 2, out_axes=1)(arr(M, M234)),
    "out_axes=-1": lambda M: M.vmap(lambda a: a * 2, out_axes=-1)(arr(M, A34)),
    "in_axes=(0, None)": lambda M: M.vmap(lambda a, b: a * b, in_axes=(0, None))(arr(M, A34), arr(M, V4)),
    "in_axes=(1, 0)": lambda M: M.vmap(lambda a, b: a * b.sum(), in_axes=(1, 0))(arr(M, A34), arr(M, B45)),
    "matmul batch": lambda M: M.vmap(lambda a, b: a @ b, in_axes=(0, None))(arr(M, M234), arr(M, B45)),
    "dict prefix": lambda M: M.vmap(lambda d: d["a"] * d["b"], in_axes={"a": 0, "b": 1})(
        {"a": arr(M, A34), "b": arr(M, A34.T.copy())}),
    "nested prefix": lambda M: M.vmap(lambda a, b: a[0] * a[1] + b, in_axes=([0, 1], 0))(
        [arr(M, A34), arr(M, A34.T.copy())], arr(M, A34)),
    "tuple of one axis": lambda M: M.vmap(lambda a: a + 1, in_axes=(1,))(arr(M, A34)),
    "tree output": lambda M: M.vmap(lambda a: {"x": a * 2, "y": [a.sum(), (a - 1,)]})(arr(M, A34)),
    "tree out_axes": lambda M: M.vmap(lambda a: {"p": a * 2, "q": [a + 1, a - 1]}, out_axes={"p": 1, "q": [0, 1]})(
        arr(M, A34)),
    "constant output": lambda M: M.vmap(lambda a: M.array(2.0))(arr(M, A34)),
    "closure": lambda M: M.vmap(lambda a: a + M.array(V4))(arr(M, A34)),
    "nested vmap": lambda M: M.vmap(M.vmap(lambda a: M.exp(a)))(arr(M, M234)),
    "nested axes": lambda M: M.vmap(M.vmap(lambda a: a * 3, in_axes=1, out_axes=0), in_axes=2, out_axes=1)(
        arr(M, M234)),
    "reductions inside": lambda M: M.vmap(lambda a: M.softmax(a) * a.max())(arr(M, A34)),
    "shape ops inside": lambda M: M.vmap(lambda a: M.reshape(a, (2, 2)).T[::-1])(arr(M, A34)),
    "empty output list": lambda M: M.vmap(lambda a: [])(arr(M, A34)),
    "int input": lambda M: M.vmap(lambda a: a * 2)(M.array([[1, 2]])),
    # errors
    "inconsistent sizes": lambda M: M.vmap(lambda a, b: a + b)(arr(M, A34), M.ones((4, 4))),
    "in axis out of range": lambda M: M.vmap(lambda a: a, in_axes=2)(arr(M, A34)),
    "out axis out of range": lambda M: M.vmap(lambda a: a, out_axes=3)(arr(M, A34)),
    "out axis -3": lambda M: M.vmap(lambda a: a, out_axes=-3)(arr(M, A34)),
    "0-d input": lambda M: M.vmap(lambda a: a)(arr(M, S)),
    "all None": lambda M: M.vmap(lambda a, b: a, in_axes=(None, None))(arr(M, A34), arr(M, A34)),
    "no arguments": lambda M: M.vmap(lambda: M.array(1.0))(),
    "in_axes=None": lambda M: M.vmap(lambda a: a, in_axes=None),
    "list for args": lambda M: M.vmap(lambda a, b: a, in_axes=[0, None])(arr(M, A34), arr(M, A34)),
    "axis str": lambda M: M.vmap(lambda a: a, in_axes="x")(arr(M, A34)),
    "axis float": lambda M: M.vmap(lambda a: a, in_axes=1.0)(arr(M, A34)),
    "tuple of tuple": lambda M: M.vmap(lambda a, b: a, in_axes=((0,), 1))(arr(M, A34), arr(M, A34)),
    "short tuple": lambda M: M.vmap(lambda a, b: a, in_axes=(0,))(arr(M, A34), arr(M, A34)),
    "dict missing key": lambda M: M.vmap(lambda d: d["a"], in_axes={"b": 0})({"a": arr(M, A34)}),
    "dict extra key": lambda M: M.vmap(lambda d: d["a"], in_axes={"a": 0, "b": 1})({"a": arr(M, A34)}),
    "out_axes too long": lambda M: M.vmap(lambda a: (a * 2, a + 1), out_axes=(0, 1, 2))(arr(M, A34)),
    "float argument": lambda M: M.vmap(lambda a, b: a * b)(arr(M, A34), 2.0),
    "float output": lambda M: M.vmap(lambda a: 2.0)(arr(M, A34)),
    "None output": lambda M: M.vmap(lambda a: None)(arr(M, A34)),
    "keyword arguments": lambda M: M.vmap(lambda a, b=1: a)(arr(M, A34), b=arr(M, A34)),
}


@pytest.mark.parametrize("name", VMAPS)
def test_vmap(name):
    check(VMAPS[name])


def test_vmap_out_axes_none_broadcasts_an_unbatched_output():
    # MLX 0.32: an output that does not depend on the mapped inputs, with out_axes None,
    # is repeated along a new last axis
    check(lambda M: M.vmap(lambda a, b: (a * 2, b * 2), in_axes=(0, None), out_axes=(0, None))(
        arr(M, A34), arr(M, V4[:2])))


# ---- checkpoint ------------------------------------------------------------------------------------------------------------

def test_checkpoint_values_and_gradients():
    def build(M):
        block = M.checkpoint(lambda x, w, scale=1.0: (M.tanh(x @ w) * scale, {"aux": [x.sum()]}))
        x, w = arr(M, A34), arr(M, B45)
        value = block(x, w, scale=2.0)
        grads = M.grad(lambda x, w: block(x, w, scale=2.0)[0].sum() + block(x, w)[1]["aux"][0], argnums=(0, 1))(x, w)
        return value, grads
    check(build)


def test_checkpoint_passes_non_array_arguments_and_outputs():
    check(lambda M: M.checkpoint(lambda a, s, n=None: (a * 2 if s == "x" else a, s, n))(arr(M, V4), "x", n=None))


def test_checkpoint_recomputes_in_the_backward_pass():
    calls = []

    def f(x):
        calls.append(1)
        return cm.sin(x) * x

    g = cm.grad(lambda x: cm.checkpoint(f)(x).sum())(cm.array(V4))
    cm.eval(g)
    np.testing.assert_allclose(np.array(g), np.sin(V4) + V4 * np.cos(V4), rtol=1e-5)
    assert len(calls) == 2  # the forward call, then once more for the backward pass


# ---- custom_function ---------------------------------------------------------------------------------------------------------

def custom_with_rules(M, log):
    @M.custom_function
    def f(x, y):
        return M.sin(x) * y, {"c": M.cos(x)}

    @f.vjp
    def f_vjp(primals, cotangents, outputs):
        x, y = primals
        log.append(("vjp", type(primals).__name__, sorted(outputs[1])))
        dz, dc = cotangents[0], cotangents[1]["c"]
        return 10 * dz * M.cos(x) * y - dc * M.sin(x), 10 * dz * M.sin(x)

    @f.jvp
    def f_jvp(primals, tangents):
        x, y = primals
        dx, dy = tangents
        log.append(("jvp", type(primals).__name__))
        return 100 * (dx * M.cos(x) * y + dy * M.sin(x)), -M.sin(x) * dx

    @f.vmap
    def f_vmap(inputs, axes):
        x, y = inputs
        log.append(("vmap", axes))
        return (M.sin(x) * y * 1000, {"c": M.cos(x)}), (axes[0], {"c": axes[0]})

    return f


def test_custom_function_rules_replace_the_transforms():
    logs = {}

    def build(M):
        log = logs.setdefault(M.__name__, [])
        f = custom_with_rules(M, log)
        x, y = arr(M, V4), arr(M, V4 * 2)
        return (f(x, y),
                M.grad(lambda x, y: f(x, y)[0].sum() + f(x, y)[1]["c"].sum(), argnums=(0, 1))(x, y),
                M.vjp(lambda x, y: f(x, y)[0], [x, y], [arr(M, V4)]),
                M.jvp(lambda x, y: f(x, y)[0], [x, y], [arr(M, V4), arr(M, V4)]),
                M.vmap(lambda x: f(x, y[0])[0])(arr(M, A34)))
    check(build)
    assert ("vjp", "tuple", ["c"]) in logs["cmlx.core"]
    assert any(e[0] == "jvp" for e in logs["cmlx.core"])
    assert any(e[0] == "vmap" for e in logs["cmlx.core"])


def test_custom_function_of_one_argument_and_keywords():
    def build(M):
        @M.custom_function
        def h(x, scale=2.0):
            return x * scale

        @h.vjp
        def h_vjp(x, cotangent, output, scale=2.0):
            assert is_array(x)
            return cotangent * scale * 10

        return h(arr(M, V4)), M.grad(lambda a: h(a, scale=3.0).sum())(arr(M, V4))
    check(build)


def test_custom_function_without_rules_is_the_function():
    check(lambda M: M.grad(lambda a: M.custom_function(lambda x: x * 3)(a).sum())(arr(M, V4)))


def test_custom_function_treats_captured_arrays_as_constants():
    def build(M):
        y = arr(M, S)

        def g(x, y):
            @M.custom_function
            def f(x):
                return x * y

            @f.vjp
            def f_vjp(x, dx, fx):
                return dx * 5

            return f(x)
        return M.grad(g)(arr(M, S), y), M.grad(g, argnums=1)(arr(M, S), y)
    check(build)


def test_custom_function_errors():
    def bad_vmap(M):
        f = M.custom_function(lambda x: x * 2)
        f.vmap(lambda x, ax: x)
        return M.vmap(f)(arr(M, A34))

    def jvp_with_keywords(M):
        f = M.custom_function(lambda x, s=1.0: x * s)
        f.jvp(lambda x, t: t)
        return M.jvp(lambda x: f(x, s=2.0), [arr(M, V4)], [arr(M, V4)])

    def non_array_output(M):
        f = M.custom_function(lambda x: (x, "s"))
        f.vjp(lambda x, c, o: c)
        return f(arr(M, V4))

    for build in (bad_vmap, jvp_with_keywords, non_array_output):
        check(build)
    check(lambda M: M.custom_function(lambda x: x).vjp(3), message=False)  # TypeError; the type's module differs


def test_custom_function_decorators_return_the_function():
    f = cm.custom_function(lambda x: x)
    assert f.vjp(lambda *a: a) is f and f.jvp(lambda *a: a) is f and f.vmap(lambda *a: a) is f
    assert type(f).__name__ == "custom_function" and isinstance(f, cm.custom_function)


# ---- nn-style training step ------------------------------------------------------------------------------------------------

def test_mlp_training_step_over_a_dict_of_parameters():
    def build(M):
        rng = np.random.default_rng(3)
        p = {"layers": [{"w": arr(M, rng.normal(0, 0.5, (4, 8)).astype(np.float32)), "b": M.zeros((8,))},
                        {"w": arr(M, rng.normal(0, 0.5, (8, 3)).astype(np.float32)), "b": M.zeros((3,))}]}
        x = arr(M, rng.normal(0, 1, (16, 4)).astype(np.float32))
        onehot = M.array(np.eye(3, dtype=np.float32)[rng.integers(0, 3, 16)])

        def loss_fn(params, x, onehot):
            h = x
            for i, layer in enumerate(params["layers"]):
                h = h @ layer["w"] + layer["b"]
                if i == 0:
                    h = M.maximum(h, 0.0)
            logp = h - M.logsumexp(h, axis=-1, keepdims=True)
            return -(logp * onehot).sum(axis=-1).mean()

        step = M.value_and_grad(loss_fn)
        losses = []
        for _ in range(3):
            loss, grads = step(p, x, onehot)
            p = {"layers": [{k: layer[k] - 0.5 * g[k] for k in layer} for layer, g in zip(p["layers"], grads["layers"])]}
            losses.append(loss)
        return losses, grads
    check(build, rtol=1e-4, atol=1e-5)


# ---- signatures and types ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["grad", "value_and_grad", "vjp", "jvp", "vmap", "checkpoint"])
def test_signature_matches_mlx(name):
    from test_signatures import mlx_signatures, parse

    ours = parse(name + getattr(cm, name).__text_signature__)
    assert ours in mlx_signatures(getattr(ref, name))


def test_transformed_functions_are_gc_funcs():
    for make in (lambda M: M.grad(lambda x: x), lambda M: M.value_and_grad(lambda x: x),
                 lambda M: M.vmap(lambda x: x), lambda M: M.checkpoint(lambda x: x)):
        assert type(make(cm)).__name__ == type(make(ref)).__name__ == "_gc_func"


def test_gc_funcs_are_collected_in_cycles():
    import weakref

    class Holder:
        pass

    h = Holder()
    h.g = cm.grad(lambda x: (h, x)[1])  # h -> g -> lambda -> h
    alive = weakref.ref(h)
    del h
    gc.collect()
    assert alive() is None


# ---- reference counting ---------------------------------------------------------------------------------------------------------

def _grad_workload():
    p = {"w": cm.array(A34), "b": [cm.array(V4[:3])]}
    x = cm.array(A34[:, :2])
    loss = loss_of_params(cm)
    vg = cm.value_and_grad(lambda p, x: (loss({"w": p["w"], "b": [p["b"][0], (cm.array(S), cm.array(V4))]}, x), 1))

    custom = cm.custom_function(lambda a: a * 2)
    custom.vjp(lambda a, cotangent, output: cotangent * 2)

    def step():
        (value, _), grads = vg(p, x)
        cm.eval(cm.grad(lambda a: custom(a).sum())(x), custom(x))
        cm.eval(value, grads)
        cm.eval(cm.vmap(lambda a: cm.grad(lambda b: (b * b).sum())(a))(x))
        cm.eval(cm.vjp(lambda a: [a * 2], [x], [x]), cm.jvp(lambda a: cm.sin(a), [x], [x]))
        cm.eval(cm.checkpoint(lambda a: cm.exp(a))(x))
        try:
            cm.grad(lambda a: 1 / 0)(x)
        except ZeroDivisionError:
            pass
    return step, p, x


def test_no_reference_or_memory_leaks():
    step, p, x = _grad_workload()
    for _ in range(20):  # warm up caches (allocator, interned objects)
        step()
    refs = (sys.getrefcount(p), sys.getrefcount(p["w"]), sys.getrefcount(x))
    gc.collect()
    active = cm.get_active_memory()
    tracemalloc.start()
    first = tracemalloc.take_snapshot()
    for _ in range(200):
        step()
    gc.collect()
    second = tracemalloc.take_snapshot()
    tracemalloc.stop()
    growth = sum(s.size_diff for s in second.compare_to(first, "filename"))
    assert growth < 64 * 1024, f"Python allocations grew by {growth} bytes over 200 steps"
    assert (sys.getrefcount(p), sys.getrefcount(p["w"]), sys.getrefcount(x)) == refs
    assert cm.get_active_memory() <= active + 64 * 1024
