"""Every generated function of cmlx.core (and cmlx.core.random) has MLX's signature:
the same parameter names, in the same order, with the same positional-only /
keyword-only markers and the same defaults, as mlx.core documents it
(nanobind's __nb_signature__, the line help() shows). And the argument parser
enforces that signature: positional-only names are refused as keywords,
unknown keywords and extra positionals raise TypeError.

CMLX_CORE_MODULE names the module under test (default cmlx.core)."""
import ast
import importlib
import os
import re

import pytest

mx = pytest.importorskip("mlx.core")
cx = importlib.import_module(os.environ.get("CMLX_CORE_MODULE", "cmlx.core"))

# Where cmlx's signature differs from MLX's on purpose.
EXPECTED_DIFFERENCES = {
    # MLX has two overloads, arange(start, stop, step, dtype=None) and
    # arange(stop, step=None, dtype=None); cmlx takes both through one signature.
    "arange": "overloads",
}
# Functions cmlx has that mlx.core's Python API does not (MLX has them in C++ only).
CMLX_ONLY = {"random.bits"}


def parse(sig_line):
    """[(name, kind, default source or None)] of a 'name(params) -> ret' line."""
    line = sig_line.strip()
    if line.startswith("def "):
        line = line[4:]
    line = line.replace("$module, ", "").replace("$module", "")
    fn = ast.parse(f"def {line.split(' -> ')[0]}: pass").body[0]
    args = fn.args
    positional = args.posonlyargs + args.args
    first_default = len(positional) - len(args.defaults)
    out = []
    for i, a in enumerate(positional):
        default = ast.unparse(args.defaults[i - first_default]) if i >= first_default else None
        kind = "positional_only" if i < len(args.posonlyargs) else "positional_or_keyword"
        out.append((a.arg, kind, default))
    if args.vararg is not None:
        out.append((args.vararg.arg, "var_positional", None))
    for a, d in zip(args.kwonlyargs, args.kw_defaults):
        out.append((a.arg, "keyword_only", ast.unparse(d) if d is not None else None))
    return out


def cmlx_signature(f):
    if f.__text_signature__:
        return parse(f.__name__ + f.__text_signature__)
    return parse(f.__doc__.splitlines()[0])


def mlx_signatures(f):
    # nanobind writes a default it cannot print as \N, the N-th entry of the signature's defaults
    return [parse(re.sub(r"\\(\d+)", lambda m, d=s[2]: repr(d[int(m.group(1))]), s[0])) for s in f.__nb_signature__]


def generated_functions():
    out = []
    for module, prefix in ((cx, ""), (cx.random, "random.")):
        for name in sorted(dir(module)):
            f = getattr(module, name)
            if type(f).__name__ == "builtin_function_or_method" and f.__doc__ and "(C: " in f.__doc__:
                out.append((prefix + name, f))
    return out


FUNCTIONS = generated_functions()


def mlx_function(qualified):
    module = mx.random if qualified.startswith("random.") else mx
    return getattr(module, qualified.split(".")[-1], None)


def test_there_are_generated_functions():
    names = {n for n, _ in FUNCTIONS}
    assert {"sum", "add", "reshape", "random.uniform", "get_active_memory"} <= names


@pytest.mark.parametrize("name,f", FUNCTIONS, ids=[n for n, _ in FUNCTIONS])
def test_signature_matches_mlx(name, f):
    ref = mlx_function(name)
    if name in CMLX_ONLY:
        assert ref is None, f"{name} now exists in MLX: check its signature"
        return
    assert ref is not None, f"mlx.core has no {name}"
    ours = cmlx_signature(f)
    theirs = mlx_signatures(ref)
    if name in EXPECTED_DIFFERENCES:
        # every keyword MLX accepts in any overload is accepted, with MLX's defaults where both have one
        our_names = {n for n, _, _ in ours}
        for overload in theirs:
            assert {n for n, _, _ in overload} <= our_names
        return
    assert ours in theirs, f"{name}: cmlx {ours} != mlx {theirs}"


def first_positional_only(sig):
    return next((n for n, k, _ in sig if k == "positional_only"), None)


@pytest.mark.parametrize("name,f", FUNCTIONS, ids=[n for n, _ in FUNCTIONS])
def test_parser_enforces_signature(name, f):
    sig = cmlx_signature(f)
    with pytest.raises(TypeError, match="unexpected keyword"):
        f(no_such_argument=1)
    if not any(k == "var_positional" for _, k, _ in sig):
        npositional = sum(k != "keyword_only" for _, k, _ in sig)
        with pytest.raises(TypeError, match="positional argument"):
            f(*([None] * (npositional + 1)))
    else:
        name_of_varargs = next(n for n, k, _ in sig if k == "var_positional")
        with pytest.raises(TypeError, match="unexpected keyword"):
            f(**{name_of_varargs: ()})
    posonly = first_positional_only(sig)
    if posonly is not None:
        with pytest.raises(TypeError, match="positional-only"):
            f(**{posonly: None})
    required = [n for n, k, d in sig if d is None and k != "var_positional"]
    if required:
        with pytest.raises(TypeError, match="missing required argument"):
            f()


DEVICE_FUNCTIONS = ["default_device", "set_default_device", "default_stream", "set_default_stream", "new_stream",
                    "is_available", "stream"]


@pytest.mark.parametrize("name", DEVICE_FUNCTIONS)
def test_device_function_signature_matches_mlx(name):
    import inspect

    f = getattr(cx, name)
    if type(f).__name__ == "builtin_function_or_method" and f.__text_signature__ is None:
        pytest.skip(f"{name} comes from module.c without a text signature")
    ours = [(p.name, p.kind.name.lower(), None if p.default is p.empty else repr(p.default))
            for p in inspect.signature(f).parameters.values()]
    assert ours in mlx_signatures(getattr(mx, name))
