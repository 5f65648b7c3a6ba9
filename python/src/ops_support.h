/* python/src/ops_support.h - what the generated op wrappers (python/gen/gen_ops.py)
 * call besides the public C API: argument parsing with Python's rules, converters
 * for axes, shapes, lists of arrays and scalars, and the ops whose Python form is
 * a small composition of C ops.
 *
 * The generator reads the `cmlx_op_*` declarations of this header with the same
 * conventions as include/cmlx/ops.h (mx_array, `const int *axes, int naxes`,
 * `const int64_t *shape, int ndim`, scalars, mx_dtype), plus `PyObject *`
 * parameters (the Python object as passed, Py_None when omitted) and
 * `PyObject *` results (returned as is). */
#ifndef CMLX_OPS_SUPPORT_H
#define CMLX_OPS_SUPPORT_H

#include <limits.h>

#include "cmlx_py.h"

/* ---- argument parsing ------------------------------------------------------- */
typedef struct {
    const char *name;              /* "sum" */
    const char *const *params;     /* parameter names, in order */
    const unsigned char *required; /* 1 for parameters without a default */
    int nparams;
    int npositional_only; /* parameters before '/' */
    int npositional;      /* parameters before '*' or '*args' (or all) */
    int vararg;           /* index of '*args' (collects the extra positionals), or -1 */
} cmlx_signature;

/* Fills out[0..nparams) with borrowed references (NULL where omitted), with
 * CPython's TypeErrors for too many positionals, unknown or repeated keywords
 * and missing required arguments. Returns 1 on success, 0 with an exception.
 * out[vararg] is a NEW reference (a tuple of the extra positionals) that the
 * caller releases. */
int cmlx_parse_args(const cmlx_signature *sig, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
                    PyObject **out);

/* ---- converters: return 1, or 0 with a TypeError/ValueError naming `fname` and `param` ---- */
enum { CMLX_AXES_NONE = 0, CMLX_AXES_ONE, CMLX_AXES_LIST };
typedef struct {
    int kind; /* CMLX_AXES_* */
    int n;    /* 0 for NONE, 1 for ONE */
    int *v;   /* NULL for NONE, else `storage` */
    int storage[MX_MAX_NDIM];
} cmlx_axes;
/* None (or NULL), an int, or a sequence of ints. */
int cmlx_parse_axes(PyObject *obj, const char *fname, const char *param, cmlx_axes *out);

typedef struct {
    int64_t v[MX_MAX_NDIM];
    int n;
} cmlx_shape;
/* An int (a 1-D shape) or a sequence of ints. */
int cmlx_parse_shape(PyObject *obj, const char *fname, const char *param, cmlx_shape *out);

typedef struct {
    mx_array *v;
    int n;
} cmlx_arrays;
/* A list or tuple of array-likes; release with cmlx_arrays_free (also after failure). */
int cmlx_parse_arrays(PyObject *obj, const char *fname, const char *param, cmlx_arrays *out);
void cmlx_arrays_free(cmlx_arrays *arrays);

int cmlx_parse_int(PyObject *obj, const char *fname, const char *param, int *out);
int cmlx_parse_int64(PyObject *obj, const char *fname, const char *param, int64_t *out);
int cmlx_parse_uint64(PyObject *obj, const char *fname, const char *param, uint64_t *out);
int cmlx_parse_size(PyObject *obj, const char *fname, const char *param, size_t *out);
int cmlx_parse_double(PyObject *obj, const char *fname, const char *param, double *out);
int cmlx_parse_bool(PyObject *obj, const char *fname, const char *param, bool *out);
int cmlx_parse_dtype(PyObject *obj, const char *fname, const char *param, mx_dtype *out);

/* ---- compositions (MLX names that are a few C ops) ---------------------------
 * MX_DTYPE_COUNT as a dtype means "not given"; CMLX_AXIS_NONE as an axis means
 * Python's None. Errors come back as error arrays (or NULL with an exception
 * for PyObject * results), like the C ops. */
#define CMLX_AXIS_NONE INT_MIN

mx_array cmlx_op_arange(PyObject *start, PyObject *stop, PyObject *step, mx_dtype dtype);
mx_array cmlx_op_linspace(double start, double stop, int64_t num, bool endpoint, mx_dtype dtype);
mx_array cmlx_op_full(const int64_t *shape, int ndim, PyObject *vals, mx_dtype dtype);
mx_array cmlx_op_zeros_like(mx_array a, mx_dtype dtype);
mx_array cmlx_op_ones_like(mx_array a, mx_dtype dtype);
mx_array cmlx_op_full_like(mx_array a, PyObject *vals, mx_dtype dtype);
mx_array cmlx_op_concatenate(const mx_array *arrays, int n, int axis);
mx_array cmlx_op_stack(const mx_array *arrays, int n, int axis);
mx_array cmlx_op_take_along_axis(mx_array a, mx_array indices, int axis);
PyObject *cmlx_op_clip(PyObject *a, PyObject *a_min, PyObject *a_max);
PyObject *cmlx_op_nan_to_num(PyObject *a, double nan, PyObject *posinf, PyObject *neginf);
PyObject *cmlx_op_split(mx_array a, PyObject *indices_or_sections, int axis);
PyObject *cmlx_op_divmod(mx_array a, mx_array b);
mx_array cmlx_op_matrix_transpose(mx_array a);
PyObject *cmlx_op_tensordot(mx_array a, mx_array b, PyObject *axes);
PyObject *cmlx_op_roll(mx_array a, PyObject *shift, PyObject *axis);
PyObject *cmlx_op_unstack(mx_array x, int axis);
mx_array cmlx_op_random_bernoulli(PyObject *p, PyObject *shape, mx_array key);
mx_array cmlx_op_random_randint(mx_array low, mx_array high, const int64_t *shape, int ndim, mx_dtype dtype,
                                mx_array key);
mx_array cmlx_op_random_gumbel(const int64_t *shape, int ndim, mx_dtype dtype, mx_array key);
mx_array cmlx_op_random_laplace(const int64_t *shape, int ndim, mx_dtype dtype, double loc, double scale, mx_array key);
mx_array cmlx_op_random_truncated_normal(mx_array lower, mx_array upper, PyObject *shape, mx_dtype dtype, mx_array key);
PyObject *cmlx_op_atleast_1d(const mx_array *arys, int n);
PyObject *cmlx_op_atleast_2d(const mx_array *arys, int n);
PyObject *cmlx_op_atleast_3d(const mx_array *arys, int n);
PyObject *cmlx_op_broadcast_arrays(const mx_array *arrays, int n);
PyObject *cmlx_op_meshgrid(const mx_array *arrays, int n, bool sparse, PyObject *indexing);
PyObject *cmlx_op_pad(mx_array a, PyObject *pad_width, PyObject *mode, mx_array constant_values);
mx_array cmlx_op_random_categorical(mx_array logits, int axis, PyObject *shape, PyObject *num_samples, mx_array key);
mx_array cmlx_op_random_normal(const int64_t *shape, int ndim, mx_dtype dtype, PyObject *loc, PyObject *scale,
                               mx_array key);

/* ---- sort (helper sort): python/src/sort.c ------------------------------------------------------
 * axis == CMLX_AXIS_NONE: the flattened array (MLX's axis=None). */
mx_array cmlx_op_sort(mx_array a, int axis);
mx_array cmlx_op_argsort(mx_array a, int axis);
mx_array cmlx_op_partition(mx_array a, int kth, int axis);
mx_array cmlx_op_argpartition(mx_array a, int kth, int axis);
mx_array cmlx_op_topk(mx_array a, int k, int axis);
/* side: 'left' or 'right' (MLX's ValueError otherwise) */
mx_array cmlx_op_searchsorted(mx_array sorted_sequence, mx_array values, PyObject *side);

/* ---- convolutions (python/src/conv.c; helper conv) ---------------------------
 * Input and weight must be arrays; ints, tuples and sequences as MLX's
 * nanobind signatures take them (see conv.c). */
mx_array cmlx_op_conv1d(PyObject *input, PyObject *weight, PyObject *stride, PyObject *padding, PyObject *dilation,
                        int groups);
mx_array cmlx_op_conv2d(PyObject *input, PyObject *weight, PyObject *stride, PyObject *padding, PyObject *dilation,
                        int groups);
mx_array cmlx_op_conv3d(PyObject *input, PyObject *weight, PyObject *stride, PyObject *padding, PyObject *dilation,
                        int groups);
mx_array cmlx_op_conv_general(PyObject *input, PyObject *weight, PyObject *stride, PyObject *padding,
                              PyObject *kernel_dilation, PyObject *input_dilation, int groups, PyObject *flip);
mx_array cmlx_op_conv_transpose1d(PyObject *input, PyObject *weight, PyObject *stride, PyObject *padding,
                                  PyObject *dilation, PyObject *output_padding, int groups);
mx_array cmlx_op_conv_transpose2d(PyObject *input, PyObject *weight, PyObject *stride, PyObject *padding,
                                  PyObject *dilation, PyObject *output_padding, int groups);
mx_array cmlx_op_conv_transpose3d(PyObject *input, PyObject *weight, PyObject *stride, PyObject *padding,
                                  PyObject *dilation, PyObject *output_padding, int groups);
mx_array cmlx_op_convolve(PyObject *a, PyObject *v, PyObject *mode);


/* ---- quantization (python/src/quantize.c; helper quantize) -------------------
 * mode strings, group_size/bits None, quantize's tuple result. */
PyObject *cmlx_op_quantize(mx_array w, PyObject *group_size, PyObject *bits, PyObject *mode);
mx_array cmlx_op_dequantize(mx_array w, mx_array scales, mx_array biases, PyObject *group_size, PyObject *bits,
                            PyObject *mode, mx_dtype dtype);
mx_array cmlx_op_quantized_matmul(mx_array x, mx_array w, mx_array scales, mx_array biases, bool transpose,
                                  PyObject *group_size, PyObject *bits, PyObject *mode);
mx_array cmlx_op_gather_qmm(mx_array x, mx_array w, mx_array scales, mx_array biases, mx_array lhs_indices,
                            mx_array rhs_indices, bool transpose, PyObject *group_size, PyObject *bits,
                            PyObject *mode, bool sorted_indices);
/* ---- indexing (helper indexing; defined in python/src/indexing.c) ---- */
/* put_along_axis(a, indices, values, axis=None): axis None puts into the
 * flattened array and reshapes back, as MLX. */
mx_array cmlx_op_put_along_axis(mx_array a, mx_array indices, mx_array values, int axis);

/* ---- linear algebra (python/src/linalg.c; helper linalg) ---------------------
 * norm's ord is None, a number or a string: one C function each. */
mx_array cmlx_op_linalg_norm(mx_array a, PyObject *ord, const int *axes, int naxes, bool keepdims);
/* decompositions with several results: a tuple, as MLX; UPLO a str */
PyObject *cmlx_op_linalg_qr(mx_array a);
PyObject *cmlx_op_linalg_svd(mx_array a, bool compute_uv);
PyObject *cmlx_op_linalg_lu(mx_array a);
PyObject *cmlx_op_linalg_lu_factor(mx_array a);
PyObject *cmlx_op_linalg_eig(mx_array a);
PyObject *cmlx_op_linalg_slogdet(mx_array a);
PyObject *cmlx_op_linalg_eigh(mx_array a, PyObject *UPLO);
mx_array cmlx_op_linalg_eigvalsh(mx_array a, PyObject *UPLO);
/* ---- fft (python/src/fft.c) */
mx_array cmlx_op_fft_fft(mx_array a, PyObject *n, int axis, PyObject *norm);
mx_array cmlx_op_fft_ifft(mx_array a, PyObject *n, int axis, PyObject *norm);
mx_array cmlx_op_fft_rfft(mx_array a, PyObject *n, int axis, PyObject *norm);
mx_array cmlx_op_fft_irfft(mx_array a, PyObject *n, int axis, PyObject *norm);
mx_array cmlx_op_fft_fft2(mx_array a, PyObject *s, PyObject *axes, PyObject *norm);
mx_array cmlx_op_fft_ifft2(mx_array a, PyObject *s, PyObject *axes, PyObject *norm);
mx_array cmlx_op_fft_rfft2(mx_array a, PyObject *s, PyObject *axes, PyObject *norm);
mx_array cmlx_op_fft_irfft2(mx_array a, PyObject *s, PyObject *axes, PyObject *norm);
mx_array cmlx_op_fft_fftn(mx_array a, PyObject *s, PyObject *axes, PyObject *norm);
mx_array cmlx_op_fft_ifftn(mx_array a, PyObject *s, PyObject *axes, PyObject *norm);
mx_array cmlx_op_fft_rfftn(mx_array a, PyObject *s, PyObject *axes, PyObject *norm);
mx_array cmlx_op_fft_irfftn(mx_array a, PyObject *s, PyObject *axes, PyObject *norm);
mx_array cmlx_op_fft_fftshift(mx_array a, PyObject *axes);
mx_array cmlx_op_fft_ifftshift(mx_array a, PyObject *axes);
/* ---- composite (the glue of include/cmlx/composite.h that needs Python objects: python/src/composite.c) ---- */
PyObject *cmlx_op_broadcast_shapes(PyObject *shapes);
mx_array cmlx_op_einsum(PyObject *subscripts, const mx_array *operands, int n);
PyObject *cmlx_op_einsum_path(PyObject *subscripts, const mx_array *operands, int n);
mx_array cmlx_op_as_strided(mx_array a, PyObject *shape, PyObject *strides, int64_t offset);
PyObject *cmlx_op_minmax(mx_array a, const int *axes, int naxes, bool keepdims);
PyObject *cmlx_op_result_type(PyObject *arrays_and_dtypes);
PyObject *cmlx_op_can_cast(PyObject *from_, PyObject *to);
PyObject *cmlx_op_depends(PyObject *inputs, PyObject *dependencies);
mx_array cmlx_op_random_permutation(PyObject *x, int axis, mx_array key);
/* ---- mlx.core.fast (python/src/fast.c) ---------------------------------------------------------- */
mx_array cmlx_op_fast_rms_norm(mx_array x, PyObject *weight, double eps);
mx_array cmlx_op_fast_layer_norm(mx_array x, PyObject *weight, PyObject *bias, double eps);
mx_array cmlx_op_fast_rope(mx_array a, int dims, bool traditional, PyObject *base, double scale, PyObject *offset,
                           PyObject *freqs);
mx_array cmlx_op_fast_scaled_dot_product_attention(mx_array q, mx_array k, mx_array v, double scale, PyObject *mask,
                                                   PyObject *sinks, bool force_fused);

/* ---- DLPack and asarray (dlpack_import.c) ---------------------------------------------- */
mx_array cmlx_op_from_dlpack(PyObject *x, PyObject *copy);
mx_array cmlx_op_asarray(PyObject *a, mx_dtype dtype, PyObject *copy);

/* ---- memory functions (helper pydev: python/src/devices.c): with a GPU backend, host + GPU ---- */
size_t cmlx_op_get_active_memory(void);
size_t cmlx_op_get_peak_memory(void);
void cmlx_op_reset_peak_memory(void);
size_t cmlx_op_get_cache_memory(void);
size_t cmlx_op_set_memory_limit(size_t limit);
size_t cmlx_op_get_memory_limit(void);
size_t cmlx_op_set_cache_limit(size_t limit);
void cmlx_op_clear_cache(void);

#endif
