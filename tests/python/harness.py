"""The machinery of the differential harness: the modules under test, value
generation, views, running one case in both libraries and comparing results.

A *case* is a plain description (NumPy base values, a view recipe, keyword
arguments) that each library turns into its own arrays with the same Python
operations, so both sides see identical inputs, including the same
non-contiguous layouts. The reference is always mlx.core; the module under
test is cmlx.core, or the module named by CMLX_MODULE (CMLX_MODULE=mlx.core
checks the harness itself: every case must pass against itself).
"""

import importlib
import math
import os
from dataclasses import dataclass, field

import numpy as np

DTYPES = [
    "bool", "uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64",
    "float16", "bfloat16", "float32", "float64", "complex64",
]
INT_DTYPES = {"uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64"}
FLOAT_DTYPES = {"float16", "bfloat16", "float32", "float64"}
INEXACT_DTYPES = FLOAT_DTYPES | {"complex64"}

# Unit roundoff of each inexact dtype (relative size of half an ulp is eps/2;
# these are one ulp, the bound for "computed in float32, rounded once").
EPS = {
    "float16": 2.0**-10,   # 9.8e-4
    "bfloat16": 2.0**-7,   # 7.8e-3
    "float32": 2.0**-23,   # 1.2e-7
    "float64": 2.0**-52,   # 2.2e-16
    "complex64": 2.0**-23,
}

_NP_NATIVE = {
    "bool": np.bool_, "uint8": np.uint8, "uint16": np.uint16, "uint32": np.uint32, "uint64": np.uint64,
    "int8": np.int8, "int16": np.int16, "int32": np.int32, "int64": np.int64,
    "float16": np.float16, "float32": np.float32, "float64": np.float64, "complex64": np.complex64,
}


def load_modules():
    """(mlx.core, module under test, reason-if-unavailable)."""
    try:
        ref = importlib.import_module("mlx.core")
    except Exception as e:  # pragma: no cover - depends on the machine
        return None, None, f"mlx.core (the reference) cannot be imported: {e!r}; pip install 'mlx[cpu]'"
    name = os.environ.get("CMLX_MODULE", "cmlx.core")
    try:
        mod = importlib.import_module(name)
    except Exception as e:
        return ref, None, f"{name} cannot be imported ({e!r}); build it with `pip install ./python`"
    return ref, mod, None


def dtype_name(dt):
    """'float32' from mlx.core.float32 / cmlx.core.float32 / a name."""
    return str(dt).rsplit(".", 1)[-1]


def examples_budget(default):
    return int(os.environ.get("CMLX_HYPOTHESIS_EXAMPLES", default))


# ---- values -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Domain:
    """Where an op's inputs are drawn from. Floats are uniform in flo..fhi
    (rounded to float32, so every float dtype can hold them up to its own
    rounding), ints uniform in ilo..ihi clamped to the dtype's range."""
    flo: float = -10.0
    fhi: float = 10.0
    ilo: int = -100
    ihi: int = 100
    nonzero: bool = False      # no zeros (integer divisors)
    specials: bool = True      # sprinkle nan, +-inf, +-0 into floats
    integral: bool = False     # floats take integer values (keeps e.g. float->int casts exact)
    extremes: bool = False     # ints sometimes take the dtype's min/max (wrap-around)


DEFAULT_DOMAIN = Domain()


def gen_values(rng, shape, dtype, dom=DEFAULT_DOMAIN):
    """NumPy values for `dtype` (bfloat16 is drawn as float32 and cast by the library)."""
    n = int(np.prod(shape)) if shape else 1
    if dtype == "bool":
        return (rng.random(n) < 0.5).reshape(shape)
    if dtype in INT_DTYPES:
        info = np.iinfo(_NP_NATIVE[dtype])
        lo, hi = max(dom.ilo, int(info.min)), min(dom.ihi, int(info.max))
        v = rng.integers(lo, hi, size=n, endpoint=True, dtype=np.int64 if dtype != "uint64" else np.uint64)
        v = v.astype(_NP_NATIVE[dtype])
        if dom.nonzero:
            v[v == 0] = 1
        if dom.extremes and n and rng.random() < 0.5:
            idx = rng.integers(0, n, size=max(1, n // 4))
            v[idx] = rng.choice(np.array([info.min, info.max], dtype=_NP_NATIVE[dtype]), size=idx.size)
        return v.reshape(shape)

    def real():
        v = rng.uniform(dom.flo, dom.fhi, size=n)
        if dom.integral:
            v = np.round(v)
        if dom.nonzero:
            v[v == 0] = 1.0
        v = v.astype(np.float32)
        if dom.specials and n and rng.random() < 0.3:
            idx = rng.integers(0, n, size=max(1, n // 5))
            v[idx] = rng.choice(np.array([np.nan, np.inf, -np.inf, 0.0, -0.0], np.float32), size=idx.size)
        return v

    if dtype == "complex64":
        return (real() + 1j * real()).astype(np.complex64).reshape(shape)
    return real().reshape(shape)


# ---- views ---------------------------------------------------------------------------------

@dataclass
class Inp:
    """One array input: base values, its dtype, and the view recipe applied
    to reach the shape the op sees."""
    values: np.ndarray
    dtype: str
    recipe: tuple = ("contig",)

    def build(self, M):
        v = self.values
        if v.size == 0:
            # MLX 0.32 sometimes hangs reducing an empty array made from NumPy
            # (see tests/golden/goldgen/inputs.py): make empty inputs natively
            x = M.zeros(v.shape, getattr(M, "bool_" if self.dtype == "bool" else self.dtype))
        elif self.dtype == "bfloat16":
            x = M.array(v.astype(np.float32)).astype(M.bfloat16)
        elif self.dtype in ("float16", "float64"):
            x = M.array(v.astype(np.float32)).astype(getattr(M, self.dtype))
        else:
            x = M.array(v.astype(_NP_NATIVE[self.dtype]))
        kind = self.recipe[0]
        if kind == "transpose":
            x = M.transpose(x)
        elif kind == "step":           # ("step", axis, step)
            _, axis, step = self.recipe
            x = x[(slice(None),) * axis + (slice(None, None, step),)]
        elif kind == "broadcast":      # ("broadcast", target_shape)
            x = M.broadcast_to(x, self.recipe[1])
        elif kind == "newaxis":        # x[None] then broadcast to the target
            x = M.broadcast_to(x[None], self.recipe[1])
        return x


def base_shape_for(recipe_kind, shape, rng_choice):
    """(base shape, recipe) producing a view of `shape` by `recipe_kind`."""
    shape = tuple(shape)
    nd = len(shape)
    if nd == 0 or recipe_kind == "contig":
        return shape, ("contig",)
    if recipe_kind == "transpose":
        return shape[::-1], ("transpose",)
    if recipe_kind == "step":
        axis = rng_choice % nd
        step = 2 if rng_choice % 2 == 0 else -2
        base = list(shape)
        base[axis] = 2 * shape[axis]
        return tuple(base), ("step", axis, step)
    if recipe_kind == "broadcast":
        base = tuple(1 if (rng_choice >> i) & 1 else d for i, d in enumerate(shape))
        return base, ("broadcast", shape)
    if recipe_kind == "newaxis":
        return shape[1:], ("newaxis", shape)
    raise ValueError(recipe_kind)


RECIPES = ["contig", "transpose", "step", "broadcast", "newaxis"]


def make_input(seed, shape, dtype, recipe_kind, dom=DEFAULT_DOMAIN):
    rng = np.random.default_rng(seed)
    base, recipe = base_shape_for(recipe_kind, shape, int(rng.integers(0, 1 << 16)))
    return Inp(gen_values(rng, base, dtype, dom), dtype, recipe)


# ---- markers resolved per module -------------------------------------------------------------

@dataclass(frozen=True)
class DT:
    """A dtype keyword value, resolved to M.<name> in each library."""
    name: str


def resolve(M, obj):
    if isinstance(obj, Inp):
        return obj.build(M)
    if isinstance(obj, DT):
        return getattr(M, obj.name)
    if isinstance(obj, list):
        return [resolve(M, o) for o in obj]
    if isinstance(obj, tuple):
        return tuple(resolve(M, o) for o in obj)
    if isinstance(obj, dict):
        return {k: resolve(M, v) for k, v in obj.items()}
    return obj


@dataclass
class Case:
    """Arguments of one call: args/kwargs may hold Inp and DT markers."""
    args: tuple
    kwargs: dict = field(default_factory=dict)
    meta: dict = field(default_factory=dict)  # facts for the tolerance (e.g. the contraction size)

    def inputs(self):
        return [a for a in list(self.args) + list(self.kwargs.values()) if isinstance(a, Inp)] + [
            x for a in self.args if isinstance(a, list) for x in a if isinstance(x, Inp)]

    def __repr__(self):
        def show(o):
            if isinstance(o, Inp):
                return f"Inp({o.dtype}, base={o.values.shape}, {o.recipe}, values={o.values.tolist()!r})"
            if isinstance(o, list):
                return "[" + ", ".join(show(x) for x in o) + "]"
            return repr(o)
        a = ", ".join(show(x) for x in self.args)
        k = ", ".join(f"{n}={show(v)}" for n, v in self.kwargs.items())
        return f"({a}{', ' if a and k else ''}{k})"


# ---- running and comparing --------------------------------------------------------------------

class Outcome:
    def __init__(self, value=None, error=None):
        self.value, self.error = value, error


def run_case(M, call, case):
    """Build the inputs in M, call, evaluate; the exception, if any, is kept."""
    try:
        args = resolve(M, case.args)
        kwargs = resolve(M, case.kwargs)
        out = call(M, *args, **kwargs)
        arrays = [o for o in (out if isinstance(out, (list, tuple)) else [out]) if o is not None]
        if arrays:
            M.eval(*arrays)
        return Outcome(value=out)
    except Exception as e:  # the exception class is part of the comparison
        return Outcome(error=e)


def to_numpy(M, x):
    name = dtype_name(x.dtype)
    if name == "bfloat16":
        x = x.astype(M.float32)
    return np.array(x, copy=True)


class Mismatch(AssertionError):
    pass


def compare(ref_M, cm_M, ref_out, cm_out, tol, what):
    """Raise Mismatch unless cm_out matches ref_out (structure, dtype, shape, values)."""
    if ref_out is None:
        if cm_out is not None:
            raise Mismatch(f"{what}: MLX returns None, cmlx returns {type(cm_out).__name__}")
        return
    if isinstance(ref_out, (list, tuple)):
        if not isinstance(cm_out, (list, tuple)) or len(cm_out) != len(ref_out):
            raise Mismatch(f"{what}: MLX returns {len(ref_out)} arrays, cmlx returns {cm_out!r}")
        for i, (r, c) in enumerate(zip(ref_out, cm_out)):
            compare(ref_M, cm_M, r, c, tol, f"{what}[{i}]")
        return
    rd, cd = dtype_name(ref_out.dtype), dtype_name(cm_out.dtype)
    if rd != cd:
        raise Mismatch(f"{what}: dtype {cd} (cmlx) != {rd} (MLX)")
    if tuple(ref_out.shape) != tuple(cm_out.shape):
        raise Mismatch(f"{what}: shape {tuple(cm_out.shape)} (cmlx) != {tuple(ref_out.shape)} (MLX)")
    r, c = to_numpy(ref_M, ref_out), to_numpy(cm_M, cm_out)
    if r.shape != c.shape:
        raise Mismatch(f"{what}: NumPy view of cmlx has shape {c.shape}, expected {r.shape}")
    if rd not in INEXACT_DTYPES:
        if not np.array_equal(r, c):
            bad = np.argwhere(r != c)[:5].tolist()
            raise Mismatch(f"{what}: {rd} values differ at {bad}: cmlx {c.ravel()[:16].tolist()} "
                           f"vs MLX {r.ravel()[:16].tolist()}")
        return
    rtol, atol = tol
    parts = [(r.real, c.real), (r.imag, c.imag)] if rd == "complex64" else [(r, c)]
    for rr, cc in parts:
        with np.errstate(invalid="ignore", over="ignore"):
            _compare_floats(rr.astype(np.float64), cc.astype(np.float64), rtol, atol, rd, what)


def _compare_floats(rr, cc, rtol, atol, rd, what):
    """NaN where MLX has NaN, the same infinities, finite values within atol + rtol |MLX|."""
    same_nan = np.isnan(rr) == np.isnan(cc)
    fin = np.isfinite(rr) & np.isfinite(cc)
    inf_ok = np.where(np.isinf(rr) | np.isinf(cc), rr == cc, True)
    close = np.where(fin, np.abs(rr - cc) <= atol + rtol * np.abs(rr), True)
    ok = same_nan & (np.isnan(rr) | (inf_ok & close))
    if not ok.all():
        bad = np.argwhere(~ok)[:5]
        show = [(tuple(int(j) for j in i), float(cc[tuple(i)]), float(rr[tuple(i)])) for i in bad]
        raise Mismatch(f"{what}: {rd} values differ beyond rtol={rtol:.3g} atol={atol:.3g}; "
                       f"(index, cmlx, MLX): {show}")


def check(ref_M, cm_M, spec, case, dtype):
    """Run `case` of `spec` in both libraries and assert they agree.
    Returns 'pass' or 'mlx-rejects' (both raised the same class)."""
    ref = run_case(ref_M, spec.call, case)
    got = run_case(cm_M, spec.call, case)
    what = f"{spec.name}{case!r}"
    if ref.error is not None:
        if got.error is None:
            raise Mismatch(f"{what}: MLX raises {type(ref.error).__name__}({ref.error}), cmlx does not")
        if type(got.error).__name__ != type(ref.error).__name__:
            raise Mismatch(f"{what}: cmlx raises {type(got.error).__name__}({got.error}), "
                           f"MLX raises {type(ref.error).__name__}({ref.error})")
        return "mlx-rejects"
    if got.error is not None:
        raise Mismatch(f"{what}: cmlx raises {type(got.error).__name__}({got.error}); MLX succeeds")
    tol = spec.tolerance(case, ref.value, dtype)
    compare(ref_M, cm_M, ref.value, got.value, tol, what)
    return "pass"


def max_abs(case):
    m = 1.0
    for inp in case.inputs():
        v = inp.values
        if v.size and v.dtype.kind in "fc":
            f = np.abs(v[np.isfinite(v)])
            if f.size:
                m = max(m, float(f.max()))
        elif v.size and v.dtype.kind in "iu":
            m = max(m, float(np.abs(v.astype(np.float64)).max()))
    return m


def out_dtypes(value):
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [dtype_name(v.dtype) for v in value if v is not None]
    return [dtype_name(value.dtype)]


def lowest_eps(case, value):
    """The eps of the least precise inexact dtype among inputs and outputs."""
    names = out_dtypes(value) + [i.dtype for i in case.inputs()]
    e = [EPS[n] for n in names if n in EPS]
    if not e:
        return 0.0
    # inputs of higher precision don't make an output coarser than its own dtype
    outs = [EPS[n] for n in out_dtypes(value) if n in EPS]
    return max(outs) if outs else max(e)


def isqrt_ceil(n):
    return int(math.isqrt(max(n, 0))) + 1
