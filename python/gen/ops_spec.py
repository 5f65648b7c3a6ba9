"""The Python face of every cmlx op: what include/cmlx/*.h cannot say.

gen_ops.py reads the C declarations (include/cmlx/ops.h, random.h, memory.h and
python/src/ops_support.h) for the C side: parameter types, and which variants
of an op exist (mx_sum, mx_sum_axis, mx_sum_axes; mx_take, mx_take_flat). This
file gives, per mlx.core function:

  sig      MLX's signature without annotations, exactly as help(mlx.core.X)
           shows it: names, '/' and '*' markers, defaults.
  c        the C function (or the base name of its variants); default mx_<name>
           (mx_random_<name> in the random module).
  binary   the two parameters converted together with cmlx_binary_operands, so
           that Python scalars follow MLX's promotion against the other operand.
  none     C expressions for parameters whose Python default is None where the
           C parameter is a scalar (eye's m=None -> -1).
  c_default  C expressions used when an argument is omitted, where the Python
           default cannot be passed as is (uniform's low=0 -> MX_NULL_ARRAY).
  ignore   parameters MLX accepts that have no C counterpart (besides stream,
           which every function accepts: the op's nodes are made with the
           stream's device as the default device, python/src/devices.c).

Python parameters are bound to C parameters by name; C `axes, naxes` binds to
Python `axis` when there is no Python `axes`. A function of ops.h with no
entry here still appears, with the default signature of its kind (see
gen_ops.default_signature), so a new C op reaches Python without glue.
"""


class Op:
    def __init__(self, sig, c=None, binary=None, none=None, c_default=None, ignore=(), module="core"):
        self.sig = sig
        self.name = sig[: sig.index("(")]
        self.c = c
        self.binary = binary
        self.none = none or {}
        self.c_default = c_default or {}
        self.ignore = tuple(ignore)
        self.module = module


def unary(name):
    return Op(f"{name}(a, /, *, stream=None)")


def binary(name, positional_only=False):
    tail = "/, *, stream=None" if positional_only else "stream=None"
    return Op(f"{name}(a, b, {tail})", binary=("a", "b"))


def reduction(name, extra=""):
    return Op(f"{name}(a, /, axis=None, keepdims=False{extra}, *, stream=None)")


OPS = [
    # ---- creation
    Op("zeros(shape, dtype=float32, *, stream=None)"),
    Op("ones(shape, dtype=float32, *, stream=None)"),
    Op("full(shape, vals, dtype=None, *, stream=None)", c="cmlx_op_full"),
    Op("zeros_like(a, /, dtype=None, *, stream=None)", c="cmlx_op_zeros_like"),
    Op("ones_like(a, /, dtype=None, *, stream=None)", c="cmlx_op_ones_like"),
    Op("full_like(a, vals, dtype=None, *, stream=None)", c="cmlx_op_full_like"),
    # MLX has two overloads, arange(start, stop, step, dtype=None) and
    # arange(stop, step=None, dtype=None); one signature accepts both.
    Op("arange(start=None, stop=None, step=None, dtype=None, *, stream=None)", c="cmlx_op_arange"),
    Op("linspace(start, stop, num=50, endpoint=True, dtype=float32, stream=None)", c="cmlx_op_linspace",
       none={"num": "50"}),
    Op("eye(n, m=None, k=0, dtype=float32, *, stream=None)", none={"m": "-1"}),
    Op("identity(n, dtype=float32, *, stream=None)"),
    Op("tri(n, m=None, k=0, dtype=None, *, stream=None)", none={"m": "-1"}),
    Op("tril(x, k=0, *, stream=None)"),
    Op("triu(x, k=0, *, stream=None)"),
    # ---- dtype / copy
    Op("astype(a, dtype, /, *, stream=None)"),
    Op("contiguous(a, /, allow_col_major=False, *, stream=None)", ignore=("allow_col_major",)),
    unary("stop_gradient"),
    # ---- unary element-wise
    *[unary(n) for n in (
        "abs", "negative", "positive", "sign", "sqrt", "rsqrt", "square", "reciprocal", "exp", "expm1", "log",
        "log1p", "log2", "log10", "sin", "cos", "tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh",
        "arcsinh", "arccosh", "arctanh", "sigmoid", "erf", "erfinv", "floor", "ceil", "logical_not", "degrees",
        "radians")],
    Op("round(a, /, decimals=0, stream=None)"),
    Op("bitwise_invert(a, stream=None)"),
    Op("isnan(a, stream=None)"),
    Op("isinf(a, stream=None)"),
    Op("isfinite(a, stream=None)"),
    Op("isposinf(a, stream=None)"),
    Op("isneginf(a, stream=None)"),
    Op("nan_to_num(a, nan=0, posinf=None, neginf=None, *, stream=None)", c="cmlx_op_nan_to_num"),
    Op("clip(a, /, a_min, a_max, *, stream=None)", c="cmlx_op_clip"),
    # ---- binary element-wise
    *[binary(n) for n in (
        "add", "subtract", "multiply", "divide", "floor_divide", "remainder", "equal", "not_equal", "greater",
        "greater_equal", "less", "less_equal", "bitwise_and", "bitwise_or", "bitwise_xor", "left_shift",
        "right_shift")],
    *[binary(n, positional_only=True) for n in (
        "power", "maximum", "minimum", "logaddexp", "arctan2", "logical_and", "logical_or")],
    Op("divmod(a, b, stream=None)", c="cmlx_op_divmod", binary=("a", "b")),
    Op("where(condition, x, y, /, *, stream=None)", binary=("x", "y")),
    Op("isclose(a, b, /, rtol=1e-05, atol=1e-08, *, equal_nan=False, stream=None)"),
    Op("allclose(a, b, /, rtol=1e-05, atol=1e-08, *, equal_nan=False, stream=None)"),
    Op("array_equal(a, b, equal_nan=False, stream=None)", binary=("a", "b")),
    # ---- reductions
    *[reduction(n) for n in ("sum", "prod", "max", "min", "all", "any", "mean", "logsumexp", "argmax", "argmin")],
    reduction("var", ", ddof=0"),
    reduction("std", ", ddof=0"),
    Op("softmax(a, /, axis=None, *, precise=False, stream=None)"),
    # ---- linear algebra
    Op("matmul(a, b, /, *, stream=None)"),
    Op("outer(a, b, /, *, stream=None)"),
    Op("addmm(c, a, b, /, alpha=1.0, beta=1.0, *, stream=None)"),
    # ---- shape
    Op("reshape(a, /, shape, *, stream=None)"),
    Op("flatten(a, /, start_axis=0, end_axis=-1, *, stream=None)"),
    Op("unflatten(a, /, axis, shape, *, stream=None)"),
    Op("transpose(a, /, axes=None, *, stream=None)"),
    Op("swapaxes(a, /, axis1, axis2, *, stream=None)"),
    Op("moveaxis(a, /, source, destination, *, stream=None)"),
    Op("expand_dims(a, /, axis, *, stream=None)"),
    Op("squeeze(a, /, axis=None, *, stream=None)"),
    Op("broadcast_to(a, /, shape, *, stream=None)"),
    Op("concatenate(arrays, axis=0, *, stream=None)", c="cmlx_op_concatenate", none={"axis": "CMLX_AXIS_NONE"}),
    Op("concat(arrays, axis=0, *, stream=None)", c="cmlx_op_concatenate", none={"axis": "CMLX_AXIS_NONE"}),
    Op("stack(arrays, axis=0, *, stream=None)", c="cmlx_op_stack", none={"axis": "CMLX_AXIS_NONE"}),
    Op("split(a, /, indices_or_sections, axis=0, *, stream=None)", c="cmlx_op_split"),
    Op("flip(a, /, axis=None, *, stream=None)"),
    # ---- indexing
    Op("take(a, /, indices, axis=None, *, stream=None)"),
    Op("take_along_axis(a, /, indices, axis=-1, *, stream=None)", c="cmlx_op_take_along_axis",
       none={"axis": "CMLX_AXIS_NONE"}),
    # ---- MLX's aliases and array-API names (compositions in ops_support.c)
    *[Op(f"{alias}(a, /, *, stream=None)", c=f"mx_{name}") for alias, name in (
        ("acos", "arccos"), ("acosh", "arccosh"), ("asin", "arcsin"), ("asinh", "arcsinh"), ("atan", "arctan"),
        ("atanh", "arctanh"))],
    Op("atan2(a, b, /, *, stream=None)", c="mx_arctan2", binary=("a", "b")),
    Op("pow(a, b, /, *, stream=None)", c="mx_power", binary=("a", "b")),
    Op("bitwise_left_shift(a, b, stream=None)", c="mx_left_shift", binary=("a", "b")),
    Op("bitwise_right_shift(a, b, stream=None)", c="mx_right_shift", binary=("a", "b")),
    Op("logical_xor(a, b, /, *, stream=None)", binary=("a", "b")),
    Op("permute_dims(a, /, axes=None, *, stream=None)", c="mx_transpose"),
    Op("matrix_transpose(a, /, *, stream=None)", c="cmlx_op_matrix_transpose"),
    Op("trunc(a, /, *, stream=None)"),
    Op("count_nonzero(a, /, *, axis=None, keepdims=False, stream=None)"),
    Op("vecdot(a, b, /, *, axis=-1, stream=None)"),
    Op("inner(a, b, /, *, stream=None)"),
    Op("tensordot(a, b, /, axes=2, *, stream=None)", c="cmlx_op_tensordot"),
    Op("kron(a, b, *, stream=None)"),
    Op("diagonal(a, offset=0, axis1=0, axis2=1, stream=None)"),
    Op("diag(a, /, k=0, *, stream=None)"),
    Op("trace(a, /, offset=0, axis1=0, axis2=1, dtype=None, *, stream=None)"),
    Op("tile(a, reps, /, *, stream=None)"),
    Op("repeat(array, repeats, axis=None, *, stream=None)"),
    Op("roll(a, shift, axis=None, /, *, stream=None)", c="cmlx_op_roll"),
    Op("unstack(x, /, *, axis=0, stream=None)", c="cmlx_op_unstack"),
    Op("empty(shape, dtype=float32, *, stream=None)", c="mx_zeros"),
    Op("empty_like(a, /, dtype=None, *, stream=None)", c="cmlx_op_zeros_like"),
    Op("pad(a, pad_width, mode='constant', constant_values=0, *, stream=None)", c="cmlx_op_pad",
       c_default={"constant_values": "mx_scalar_i32(0)"}),
    # ---- functions of several arrays (*args)
    Op("atleast_1d(*arys, stream=None)", c="cmlx_op_atleast_1d"),
    Op("atleast_2d(*arys, stream=None)", c="cmlx_op_atleast_2d"),
    Op("atleast_3d(*arys, stream=None)", c="cmlx_op_atleast_3d"),
    Op("broadcast_arrays(*arrays, stream=None)", c="cmlx_op_broadcast_arrays"),
    Op("meshgrid(*arrays, sparse=False, indexing='xy', stream=None)", c="cmlx_op_meshgrid"),
    # ---- memory (include/cmlx/memory.h and, with a GPU backend, device.h's mx_gpu_*: python/src/devices.c)
    *[Op(sig, c=f"cmlx_op_{sig[:sig.index('(')]}") for sig in (
        "get_active_memory()", "get_peak_memory()", "reset_peak_memory()", "get_cache_memory()",
        "set_memory_limit(limit)", "get_memory_limit()", "set_cache_limit(limit)", "clear_cache()")],
    # ---- mlx.core.random (include/cmlx/random.h)
    Op("key(seed)", module="random"),
    Op("seed(seed)", module="random"),
    Op("split(key, num=2, stream=None)", module="random"),
    # Not in MLX's Python API (MLX has it in C++ only): mx::random::bits(shape, width, key).
    Op("bits(shape=[], width=4, key=None, stream=None)", module="random"),
    Op("uniform(low=0, high=1, shape=[], dtype=float32, key=None, stream=None)", module="random",
       c_default={"low": "MX_NULL_ARRAY", "high": "MX_NULL_ARRAY"}),
    Op("normal(shape=[], dtype=float32, loc=None, scale=None, key=None, stream=None)", module="random",
       c="cmlx_op_random_normal"),
    Op("categorical(logits, axis=-1, shape=None, num_samples=None, key=None, stream=None)", module="random",
       c="cmlx_op_random_categorical"),
    Op("bernoulli(p=0.5, shape=None, key=None, stream=None)", module="random", c="cmlx_op_random_bernoulli"),
    Op("randint(low, high, shape=[], dtype=int32, key=None, stream=None)", module="random",
       c="cmlx_op_random_randint"),
    Op("gumbel(shape=[], dtype=float32, key=None, stream=None)", module="random", c="cmlx_op_random_gumbel"),
    Op("laplace(shape=[], dtype=float32, loc=0.0, scale=1.0, key=None, stream=None)", module="random",
       c="cmlx_op_random_laplace"),
    Op("truncated_normal(lower, upper, shape=None, dtype=float32, key=None, stream=None)", module="random",
       c="cmlx_op_random_truncated_normal"),
    # ---- sort (helper sort)
    Op("cumsum(a, /, axis=None, *, reverse=False, inclusive=True, dtype=None, stream=None)"),
    Op("cumprod(a, /, axis=None, *, reverse=False, inclusive=True, dtype=None, stream=None)"),
    Op("cummax(a, /, axis=None, *, reverse=False, inclusive=True, stream=None)"),
    Op("cummin(a, /, axis=None, *, reverse=False, inclusive=True, stream=None)"),
    Op("logcumsumexp(a, /, axis=None, *, reverse=False, inclusive=True, stream=None)"),
    Op("diff(a, /, n=1, axis=-1, *, stream=None)"),
    Op("sort(a, /, axis=-1, *, stream=None)", c="cmlx_op_sort", none={"axis": "CMLX_AXIS_NONE"}),
    Op("argsort(a, /, axis=-1, *, stream=None)", c="cmlx_op_argsort", none={"axis": "CMLX_AXIS_NONE"}),
    Op("partition(a, /, kth, axis=-1, *, stream=None)", c="cmlx_op_partition", none={"axis": "CMLX_AXIS_NONE"}),
    Op("argpartition(a, /, kth, axis=-1, *, stream=None)", c="cmlx_op_argpartition",
       none={"axis": "CMLX_AXIS_NONE"}),
    Op("topk(a, /, k, axis=-1, *, stream=None)", c="cmlx_op_topk", none={"axis": "CMLX_AXIS_NONE"}),
    Op("searchsorted(sorted_sequence, values, /, side='left', *, stream=None)", c="cmlx_op_searchsorted"),
    Op("median(a, /, axis=None, keepdims=False, *, stream=None)"),
    # ---- conv (helper conv)
    Op("conv1d(input, weight, /, stride=1, padding=0, dilation=1, groups=1, *, stream=None)", c="cmlx_op_conv1d"),
    Op("conv2d(input, weight, /, stride=1, padding=0, dilation=1, groups=1, *, stream=None)", c="cmlx_op_conv2d"),
    Op("conv3d(input, weight, /, stride=1, padding=0, dilation=1, groups=1, *, stream=None)", c="cmlx_op_conv3d"),
    Op("conv_general(input, weight, /, stride=1, padding=0, kernel_dilation=1, input_dilation=1, groups=1, "
       "flip=False, *, stream=None)", c="cmlx_op_conv_general"),
    Op("conv_transpose1d(input, weight, /, stride=1, padding=0, dilation=1, output_padding=0, groups=1, *, "
       "stream=None)", c="cmlx_op_conv_transpose1d"),
    Op("conv_transpose2d(input, weight, /, stride=1, padding=0, dilation=1, output_padding=0, groups=1, *, "
       "stream=None)", c="cmlx_op_conv_transpose2d"),
    Op("conv_transpose3d(input, weight, /, stride=1, padding=0, dilation=1, output_padding=0, groups=1, *, "
       "stream=None)", c="cmlx_op_conv_transpose3d"),
    Op("convolve(a, v, /, mode='full', *, stream=None)", c="cmlx_op_convolve"),
    # ---- linalg (helper linalg)
    Op("norm(a, /, ord=None, axis=None, keepdims=False, *, stream=None)", module="linalg", c="cmlx_op_linalg_norm"),
    Op("cross(a, b, axis=-1, *, stream=None)", module="linalg"),
    Op("inv(a, *, stream=None)", module="linalg"),
    Op("tri_inv(a, upper=False, *, stream=None)", module="linalg"),
    Op("cholesky(a, upper=False, *, stream=None)", module="linalg"),
    Op("cholesky_inv(a, upper=False, *, stream=None)", module="linalg"),
    Op("solve(a, b, *, stream=None)", module="linalg"),
    Op("solve_triangular(a, b, *, upper=False, stream=None)", module="linalg"),
    Op("qr(a, *, stream=None)", module="linalg", c="cmlx_op_linalg_qr"),
    Op("svd(a, compute_uv=True, *, stream=None)", module="linalg", c="cmlx_op_linalg_svd"),
    Op("pinv(a, *, stream=None)", module="linalg"),
    Op("lu(a, *, stream=None)", module="linalg", c="cmlx_op_linalg_lu"),
    Op("lu_factor(a, *, stream=None)", module="linalg", c="cmlx_op_linalg_lu_factor"),
    Op("eig(a, *, stream=None)", module="linalg", c="cmlx_op_linalg_eig"),
    Op("eigvals(a, *, stream=None)", module="linalg"),
    Op("eigh(a, UPLO='L', *, stream=None)", module="linalg", c="cmlx_op_linalg_eigh"),
    Op("eigvalsh(a, UPLO='L', *, stream=None)", module="linalg", c="cmlx_op_linalg_eigvalsh"),
    Op("det(a, *, stream=None)", module="linalg"),
    Op("slogdet(a, *, stream=None)", module="linalg", c="cmlx_op_linalg_slogdet"),
    # ---- quantize (helper quantize)
    Op("quantize(w, /, group_size=None, bits=None, mode='affine', *, global_scale=None, stream=None)",
       c="cmlx_op_quantize", ignore=("global_scale",)),
    Op("dequantize(w, /, scales, biases=None, group_size=None, bits=None, mode='affine', global_scale=None, "
       "dtype=None, *, stream=None)", c="cmlx_op_dequantize", ignore=("global_scale",)),
    Op("quantized_matmul(x, w, /, scales, biases=None, transpose=True, group_size=None, bits=None, mode='affine', "
       "*, stream=None)", c="cmlx_op_quantized_matmul"),
    Op("gather_qmm(x, w, /, scales, biases=None, lhs_indices=None, rhs_indices=None, transpose=True, "
       "group_size=None, bits=None, mode='affine', global_scale=None, *, sorted_indices=False, stream=None)",
       c="cmlx_op_gather_qmm", ignore=("global_scale",)),
    Op("gather_mm(a, b, /, lhs_indices=None, rhs_indices=None, *, sorted_indices=False, stream=None)"),
    Op("block_masked_mm(a, b, /, block_size=64, mask_out=None, mask_lhs=None, mask_rhs=None, *, stream=None)"),
    Op("hadamard_transform(a, scale=None, stream=None)", none={"scale": "__builtin_nan(\"\")"}),

    # ---- indexing (helper indexing)
    Op("slice(a, start_indices, axes, slice_size, *, stream=None)", c="mx_slice_dynamic"),
    Op("slice_update(a, update, start_indices, axes, *, stream=None)"),
    Op("put_along_axis(a, /, indices, values, axis=None, *, stream=None)", c="cmlx_op_put_along_axis",
       none={"axis": "CMLX_AXIS_NONE"}),
    # ---- fft (helper fft)
    Op("fft(a, n=None, axis=-1, norm='backward', stream=None)", c="cmlx_op_fft_fft", module="fft"),
    Op("ifft(a, n=None, axis=-1, norm='backward', stream=None)", c="cmlx_op_fft_ifft", module="fft"),
    Op("rfft(a, n=None, axis=-1, norm='backward', stream=None)", c="cmlx_op_fft_rfft", module="fft"),
    Op("irfft(a, n=None, axis=-1, norm='backward', stream=None)", c="cmlx_op_fft_irfft", module="fft"),
    Op("fft2(a, s=None, axes=[-2, -1], norm='backward', stream=None)", c="cmlx_op_fft_fft2", module="fft",
       c_default={"axes": "Py_None"}),
    Op("ifft2(a, s=None, axes=[-2, -1], norm='backward', stream=None)", c="cmlx_op_fft_ifft2", module="fft",
       c_default={"axes": "Py_None"}),
    Op("rfft2(a, s=None, axes=[-2, -1], norm='backward', stream=None)", c="cmlx_op_fft_rfft2", module="fft",
       c_default={"axes": "Py_None"}),
    Op("irfft2(a, s=None, axes=[-2, -1], norm='backward', stream=None)", c="cmlx_op_fft_irfft2", module="fft",
       c_default={"axes": "Py_None"}),
    Op("fftn(a, s=None, axes=None, norm='backward', stream=None)", c="cmlx_op_fft_fftn", module="fft"),
    Op("ifftn(a, s=None, axes=None, norm='backward', stream=None)", c="cmlx_op_fft_ifftn", module="fft"),
    Op("rfftn(a, s=None, axes=None, norm='backward', stream=None)", c="cmlx_op_fft_rfftn", module="fft"),
    Op("irfftn(a, s=None, axes=None, norm='backward', stream=None)", c="cmlx_op_fft_irfftn", module="fft"),
    Op("fftfreq(n, d=1.0, stream=None)", module="fft"),
    Op("rfftfreq(n, d=1.0, stream=None)", module="fft"),
    Op("fftshift(a, axes=None, stream=None)", c="cmlx_op_fft_fftshift", module="fft"),
    Op("ifftshift(a, axes=None, stream=None)", c="cmlx_op_fft_ifftshift", module="fft"),
    # ---- composite (helper composite): include/cmlx/composite.h, python/src/composite.c
    Op("minmax(a, /, axis=None, keepdims=False, *, stream=None)", c="cmlx_op_minmax"),
    *[Op(f"{name}(M, *, stream=None)") for name in ("hanning", "hamming", "bartlett", "blackman")],
    Op("broadcast_shapes(*shapes)", c="cmlx_op_broadcast_shapes"),
    Op("einsum(subscripts, *operands, stream=None)", c="cmlx_op_einsum"),
    Op("einsum_path(subscripts, *operands)", c="cmlx_op_einsum_path"),
    Op("as_strided(a, /, shape=None, strides=None, offset=0, *, stream=None)", c="cmlx_op_as_strided"),
    Op("view(a, dtype, stream=None)"),
    Op("real(a, /, *, stream=None)"),
    Op("imag(a, /, *, stream=None)"),
    Op("conjugate(a, *, stream=None)"),
    Op("conj(a, *, stream=None)", c="mx_conjugate"),
    Op("result_type(*arrays_and_dtypes)", c="cmlx_op_result_type"),
    Op("can_cast(from_, to)", c="cmlx_op_can_cast"),
    Op("multivariate_normal(mean, cov, shape=[], dtype=float32, key=None, stream=None)", module="random"),
    Op("depends(inputs, dependencies)", c="cmlx_op_depends"),
    Op("permutation(x, axis=0, key=None, stream=None)", module="random", c="cmlx_op_random_permutation"),
    # ---- fast (helper fast)
    Op("rms_norm(x, weight, eps, *, stream=None)", module="fast", c="cmlx_op_fast_rms_norm"),
    Op("layer_norm(x, weight, bias, eps, *, stream=None)", module="fast", c="cmlx_op_fast_layer_norm"),
    Op("rope(a, dims, *, traditional, base, scale, offset, freqs=None, stream=None)", module="fast",
       c="cmlx_op_fast_rope"),
    Op("scaled_dot_product_attention(q, k, v, *, scale, mask=None, sinks=None, force_fused=False, stream=None)",
       module="fast", c="cmlx_op_fast_scaled_dot_product_attention"),
    # ---- interop (dlpack_import.c)
    Op("from_dlpack(x, /, *, copy=None)", c="cmlx_op_from_dlpack"),
    Op("asarray(a, dtype=None, *, copy=None)", c="cmlx_op_asarray"),
]

# C functions of the public headers deliberately without a mlx.core function of
# their own, and why (the generator fails on any other unreached function).
NOT_EXPOSED = {
    **{f"mx_random_{n}": "reached through cmlx_op_random_* (MLX's argument forms: shape=None, dtype defaults)"
       for n in ("randint", "bernoulli", "truncated_normal", "gumbel", "laplace", "categorical",
                 "categorical_shape", "categorical_samples")},
    "mx_copy": "MLX has no mlx.core.copy (the array type's __copy__ uses it)",
    "mx_slice": "mlx.core.slice has other semantics (start_indices array, slice_size); __getitem__ uses it",
    "mx_full": "full(shape, vals) goes through mx_full_array, which keeps vals' dtype as MLX does",
    "mx_split": "reached through split (cmlx_op_split)",
    "mx_split_at": "reached through split (cmlx_op_split)",
    "mx_concatenate": "reached through concatenate/concat (cmlx_op_concatenate: axis=None)",
    "mx_stack": "reached through stack (cmlx_op_stack: axis=None)",
    "mx_take_along_axis": "reached through take_along_axis (cmlx_op_take_along_axis: axis=None)",
    "mx_arange": "reached through arange (cmlx_op_arange: MLX's overloads and int/float dtype rule)",
    "mx_linspace": "reached through linspace (cmlx_op_linspace: endpoint)",
    "mx_full_array": "reached through full and full_like",
    "mx_zeros_like": "reached through zeros_like (cmlx_op_zeros_like: dtype)",
    "mx_ones_like": "reached through ones_like (cmlx_op_ones_like: dtype)",
    "mx_full_like": "full_like(a, vals) takes an array of values (cmlx_op_full_like)",
    "mx_random_normal": "reached through random.normal (cmlx_op_random_normal: array loc/scale)",
    # ---- sort (helper sort)
    "mx_sort": "reached through sort (cmlx_op_sort: axis=None)",
    "mx_sort_axis": "reached through sort (cmlx_op_sort)",
    "mx_argsort": "reached through argsort (cmlx_op_argsort: axis=None)",
    "mx_argsort_axis": "reached through argsort (cmlx_op_argsort)",
    "mx_partition": "reached through partition (cmlx_op_partition: axis=None)",
    "mx_partition_axis": "reached through partition (cmlx_op_partition)",
    "mx_argpartition": "reached through argpartition (cmlx_op_argpartition: axis=None)",
    "mx_argpartition_axis": "reached through argpartition (cmlx_op_argpartition)",
    "mx_topk": "reached through topk (cmlx_op_topk: axis=None)",
    "mx_topk_axis": "reached through topk (cmlx_op_topk)",
    "mx_searchsorted": "reached through searchsorted (cmlx_op_searchsorted: side='left'/'right')",
    # ---- conv (helper conv): int-or-tuple arguments and array-only operands need glue (python/src/conv.c)
    "mx_conv1d": "reached through conv1d (cmlx_op_conv1d)",
    "mx_conv2d": "reached through conv2d (cmlx_op_conv2d)",
    "mx_conv3d": "reached through conv3d (cmlx_op_conv3d)",
    "mx_conv_general": "reached through conv_general (cmlx_op_conv_general: padding pairs)",
    "mx_conv_transpose1d": "reached through conv_transpose1d (cmlx_op_conv_transpose1d)",
    "mx_conv_transpose2d": "reached through conv_transpose2d (cmlx_op_conv_transpose2d)",
    "mx_conv_transpose3d": "reached through conv_transpose3d (cmlx_op_conv_transpose3d)",
    "mx_convolve": "reached through convolve (cmlx_op_convolve: mode string)",
    # ---- linalg (helper linalg): norm's ord picks the C function (python/src/linalg.c)
    "mx_linalg_norm": "reached through linalg.norm (cmlx_op_linalg_norm: ord=None)",
    "mx_linalg_norm_ord": "reached through linalg.norm (cmlx_op_linalg_norm: numeric ord)",
    "mx_linalg_norm_str": "reached through linalg.norm (cmlx_op_linalg_norm: string ord)",
    **{f"mx_linalg_{name}": f"reached through linalg.{name} (python/src/linalg.c: {why})" for name, why in (
        ("qr", "a tuple of results"), ("svd", "a tuple of results, or S alone"), ("lu", "a tuple of results"),
        ("lu_factor", "a tuple of results"), ("eig", "a tuple of results"), ("slogdet", "a tuple of results"),
        ("eigh", "a tuple of results, UPLO a str"), ("eigvalsh", "UPLO a str"))},
    # ---- quantize (helper quantize): mode strings, None group_size/bits, tuple results (python/src/quantize.c)
    "mx_quantize": "reached through quantize (cmlx_op_quantize: tuple result)",
    "mx_dequantize": "reached through dequantize (cmlx_op_dequantize: mode string)",
    "mx_quantized_matmul": "reached through quantized_matmul (cmlx_op_quantized_matmul: mode string)",
    "mx_gather_qmm": "reached through gather_qmm (cmlx_op_gather_qmm: mode string)",
    # ---- indexing (helper indexing): C API of MLX's C++ ops that mlx.core does not expose
    "mx_gather": "MLX's C++ gather is not in mlx.core (a[idx] with several index arrays uses it)",
    "mx_scatter": "MLX's C++ scatter is not in mlx.core (a[idx] = v with index arrays uses it)",
    "mx_scatter_add": "not in mlx.core (a.at[idx].add/subtract use it)",
    "mx_scatter_prod": "not in mlx.core (a.at[idx].multiply/divide use it)",
    "mx_scatter_max": "not in mlx.core (a.at[idx].maximum uses it)",
    "mx_scatter_min": "not in mlx.core (a.at[idx].minimum uses it)",
    "mx_slice_update_static": "MLX's C++ slice_update(src, update, start, stop, strides); a[s] = v uses it",
    "mx_slice_update_add": "not in mlx.core (a.at[s].add uses it)",
    "mx_slice_update_prod": "not in mlx.core (a.at[s].multiply uses it)",
    "mx_slice_update_max": "not in mlx.core (a.at[s].maximum uses it)",
    "mx_slice_update_min": "not in mlx.core (a.at[s].minimum uses it)",
    "mx_scatter_add_axis": "MLX's C++ scatter_add_axis is not in mlx.core",
    "mx_masked_scatter": "MLX's C++ masked_scatter is not in mlx.core (a[mask] = v uses it)",
    "mx_put_along_axis": "reached through put_along_axis (cmlx_op_put_along_axis: axis=None)",
    # ---- fft (helper fft)
    "mx_fft_fft": "reached through fft.fft (cmlx_op_fft_fft: n/s/axes None, norm string)",
    "mx_fft_ifft": "reached through fft.ifft (cmlx_op_fft_ifft: n/s/axes None, norm string)",
    "mx_fft_rfft": "reached through fft.rfft (cmlx_op_fft_rfft: n/s/axes None, norm string)",
    "mx_fft_irfft": "reached through fft.irfft (cmlx_op_fft_irfft: n/s/axes None, norm string)",
    "mx_fft_fft2": "reached through fft.fft2 (cmlx_op_fft_fft2: n/s/axes None, norm string)",
    "mx_fft_ifft2": "reached through fft.ifft2 (cmlx_op_fft_ifft2: n/s/axes None, norm string)",
    "mx_fft_rfft2": "reached through fft.rfft2 (cmlx_op_fft_rfft2: n/s/axes None, norm string)",
    "mx_fft_irfft2": "reached through fft.irfft2 (cmlx_op_fft_irfft2: n/s/axes None, norm string)",
    "mx_fft_fftn": "reached through fft.fftn (cmlx_op_fft_fftn: n/s/axes None, norm string)",
    "mx_fft_ifftn": "reached through fft.ifftn (cmlx_op_fft_ifftn: n/s/axes None, norm string)",
    "mx_fft_rfftn": "reached through fft.rfftn (cmlx_op_fft_rfftn: n/s/axes None, norm string)",
    "mx_fft_irfftn": "reached through fft.irfftn (cmlx_op_fft_irfftn: n/s/axes None, norm string)",
    "mx_fft_fftshift": "reached through fft.fftshift (cmlx_op_fft_fftshift: n/s/axes None, norm string)",
    "mx_fft_ifftshift": "reached through fft.ifftshift (cmlx_op_fft_ifftshift: n/s/axes None, norm string)",
    # ---- composite (helper composite): reached through the glue of ops_support.c / composite.c
    **{f"mx_{name}": f"reached through {name} (its Python glue: {why})" for name, why in (
        ("clip", "bounds converted with MLX's scalar rules against a"),
        ("nan_to_num", "posinf/neginf None"),
        ("divmod", "two results"), ("minmax", "two results"), ("minmax_axis", "two results"),
        ("minmax_axes", "two results"), ("broadcast_arrays", "a list of results"), ("meshgrid", "indexing string"),
        ("unstack", "a tuple of results"), ("atleast_1d", "*arys"), ("atleast_2d", "*arys"), ("atleast_3d", "*arys"),
        ("roll", "MLX's shift/axis overloads"), ("roll_axis", "MLX's shift/axis overloads"),
        ("roll_axes", "MLX's shift/axis overloads"), ("pad", "pad_width and mode"),
        ("tensordot", "axes: an int or two lists"), ("tensordot_axes", "axes: an int or two lists"),
        ("einsum", "subscripts string"), ("einsum_path", "subscripts string, (path, text) result"),
        ("as_strided", "shape/strides None"), ("broadcast_shape", "broadcast_shapes(*shapes)"))},
    "mx_einsum_path_free": "frees mx_einsum_path's result (C only)",
    "mx_random_permutation": "reached through random.permutation (cmlx_op_random_permutation: an int or an array)",
    "mx_random_permutation_n": "reached through random.permutation (cmlx_op_random_permutation: an int or an array)",
    "mx_depends": "reached through depends (cmlx_op_depends: an array or a list in, the same form out)",
    # ---- fast (helper fast)
    "mx_fast_rms_norm": "reached through fast.rms_norm (cmlx_op_fast_rms_norm: weight=None)",
    "mx_fast_layer_norm": "reached through fast.layer_norm (cmlx_op_fast_layer_norm: weight/bias=None)",
    "mx_fast_rope": "reached through fast.rope (cmlx_op_fast_rope: an int offset)",
    "mx_fast_rope_offset": "reached through fast.rope (cmlx_op_fast_rope: an array offset)",
    "mx_fast_scaled_dot_product_attention": "reached through fast.scaled_dot_product_attention (the mask: None, "
                                            "'causal' or an array)",
    # ---- devices and memory (helper pydev)
    **{f"mx_{n}": "reached through the memory function of the same name (cmlx_op_*, python/src/devices.c: "
                  "host + GPU allocators when there is a GPU)"
       for n in ("get_active_memory", "get_peak_memory", "reset_peak_memory", "get_cache_memory",
                 "set_memory_limit", "get_memory_limit", "set_cache_limit", "clear_cache")},
}
