"""Op table entries of the fft functions (include/cmlx/fft.h): see optable.py.

Inputs are drawn in float32, float64, float16, int32, bool and complex64
(MLX casts every input to complex64, rfft* to float32), as views of every
recipe. Lengths mix powers of two, products of 3 and 5, primes up to 61
(direct generic radix) and primes above (Bluestein), and 1.

Tolerance: a float32 FFT's error grows as log2(N) eps in the 2-norm, so an
element's absolute error is at most c log2(N) eps ||x||_2 <= c log2(N) eps
sqrt(N) max|x|; c = 8 covers the two sides' roundings (ours and
pocketfft's) and Bluestein's three transforms; inverse transforms carry the
1/N scaling.
"""

import math

from hypothesis import strategies as st

from harness import EPS, Case, Domain, make_input, max_abs  # noqa: F401
from optable import NO_MLX_PYTHON_NAME, op, seeds  # noqa: F401

FFT_DOMAIN = Domain(flo=-2.0, fhi=2.0, ilo=-3, ihi=3, specials=False)
DTYPES = ("float32", "complex64", "float64", "float16", "int32", "bool")
RECIPES = ["contig", "contig", "transpose", "step", "broadcast", "newaxis"]
LENGTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 15, 16, 17, 25, 31, 32, 60, 64, 67, 97, 128]

# Known open differences from MLX (test id -> reason), as in conftest.py.
KNOWN_DIVERGENCES = {}


def tol_fft(case, value, dtype):
    n = max(1, case.meta.get("n", 1))
    atol = 8 * (math.log2(n) + 1) * EPS["float32"] * math.sqrt(n) * max_abs(case) * case.meta.get("scale", 1.0)
    return 8 * (math.log2(n) + 1) * EPS["float32"], atol


def _fft_strategy(kind, ndim_axes):
    """kind: c2c, r2c, c2r; ndim_axes: 1 (n/axis), 2 (s/axes of *2), 0 (fftn forms)."""
    inverse = kind == "c2r"

    def strategy(dtype):
        @st.composite
        def s(draw):
            nd = draw(st.integers(max(1, ndim_axes), 3))
            shape = [draw(st.sampled_from(LENGTHS)) if draw(st.booleans()) else draw(st.integers(1, 4))
                     for _ in range(nd)]
            x = make_input(draw(seeds), tuple(shape), dtype, draw(st.sampled_from(RECIPES)), FFT_DOMAIN)
            kw = {}
            if ndim_axes == 1:
                axes = [draw(st.integers(-nd, nd - 1))]
                if draw(st.booleans()):
                    kw["axis"] = axes[0]
                sizes = [shape[axes[0]]]
                if draw(st.integers(0, 2)) == 0:
                    sizes = [draw(st.sampled_from(LENGTHS))]
                    kw["n"] = sizes[0]
                elif inverse:
                    sizes = [2 * (shape[axes[0]] - 1)]
            else:
                k = 2 if ndim_axes == 2 else draw(st.integers(1, nd))
                k = min(k, nd)
                axes = draw(st.permutations(range(nd)))[:k] if draw(st.booleans()) else list(range(nd - k, nd))
                if ndim_axes == 2 and nd < 2:
                    axes = [0]
                if axes != list(range(nd - len(axes), nd)) or (ndim_axes == 0 and len(axes) != nd) or \
                        (ndim_axes == 2 and nd < 2):
                    kw["axes"] = list(axes)
                sizes = [shape[a] for a in axes]
                if inverse:
                    sizes[-1] = 2 * (sizes[-1] - 1)
                if draw(st.integers(0, 2)) == 0:
                    sizes = [draw(st.sampled_from(LENGTHS)) for _ in axes]
                    kw["s"] = sizes
                    kw["axes"] = list(axes)
            if draw(st.integers(0, 3)) == 0:
                kw["norm"] = draw(st.sampled_from(["backward", "ortho", "forward"]))
            case = Case((x,), kw)
            n = max(1, math.prod(max(v, 1) for v in sizes))
            case.meta["n"] = n
            norm = kw.get("norm", "backward")
            fwd_scale = {"backward": 1.0, "ortho": n**-0.5, "forward": 1.0 / n}[norm]
            inv_scale = {"backward": 1.0 / n, "ortho": n**-0.5, "forward": 1.0}[norm]
            # c2r: the input's Hermitian half enters twice
            case.meta["scale"] = 2 * inv_scale if inverse else (inv_scale if kind == "c2ci" else fwd_scale)
            return case

        return s()

    return strategy


for name, kind, nda in [("fft", "c2c", 1), ("ifft", "c2ci", 1), ("rfft", "r2c", 1), ("irfft", "c2r", 1),
                        ("fft2", "c2c", 2), ("ifft2", "c2ci", 2), ("rfft2", "r2c", 2), ("irfft2", "c2r", 2),
                        ("fftn", "c2c", 0), ("ifftn", "c2ci", 0), ("rfftn", "r2c", 0), ("irfftn", "c2r", 0)]:
    op(f"fft.{name}", "fft", _fft_strategy(kind, nda), tol_fft, dtypes=DTYPES)


def _shift(dtype):
    @st.composite
    def s(draw):
        nd = draw(st.integers(1, 3))
        shape = tuple(draw(st.integers(1, 6)) for _ in range(nd))
        x = make_input(draw(seeds), shape, dtype, draw(st.sampled_from(RECIPES)), FFT_DOMAIN)
        form = draw(st.integers(0, 2))
        kw = {} if form == 0 else {"axes": draw(st.integers(-nd, nd - 1))} if form == 1 else {
            "axes": list(draw(st.permutations(range(nd)))[:draw(st.integers(1, nd))])}
        return Case((x,), kw)

    return s()


for name in ("fftshift", "ifftshift"):
    op(f"fft.{name}", "fft", _shift, dtypes=("float32", "int32", "complex64", "bool", "float16"))


def _freq(dtype):
    return st.tuples(st.integers(1, 40), st.sampled_from([1.0, 0.5, 0.3, 2.0])).map(
        lambda t: Case((t[0],), {"d": t[1]}))


def tol_freq(case, value, dtype):
    return 2 * EPS["float32"], 0.0


for name in ("fftfreq", "rfftfreq"):
    op(f"fft.{name}", "fft", _freq, tol_freq, dtypes=("float32",), c_names=f"mx_fft_{name}")
