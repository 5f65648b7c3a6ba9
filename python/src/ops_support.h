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
mx_array cmlx_op_tri(int64_t n, int64_t m, int k, mx_dtype dtype);
mx_array cmlx_op_tril(mx_array x, int k);
mx_array cmlx_op_triu(mx_array x, int k);
mx_array cmlx_op_concatenate(const mx_array *arrays, int n, int axis);
mx_array cmlx_op_stack(const mx_array *arrays, int n, int axis);
mx_array cmlx_op_take_along_axis(mx_array a, mx_array indices, int axis);
mx_array cmlx_op_moveaxis(mx_array a, int source, int destination);
mx_array cmlx_op_unflatten(mx_array a, int axis, const int64_t *shape, int ndim);
mx_array cmlx_op_outer(mx_array a, mx_array b);
mx_array cmlx_op_isposinf(mx_array a);
mx_array cmlx_op_isneginf(mx_array a);
mx_array cmlx_op_isclose(mx_array a, mx_array b, double rtol, double atol, bool equal_nan);
mx_array cmlx_op_allclose(mx_array a, mx_array b, double rtol, double atol, bool equal_nan);
mx_array cmlx_op_array_equal(mx_array a, mx_array b, bool equal_nan);
mx_array cmlx_op_addmm(mx_array c, mx_array a, mx_array b, double alpha, double beta);
PyObject *cmlx_op_clip(PyObject *a, PyObject *a_min, PyObject *a_max);
PyObject *cmlx_op_nan_to_num(PyObject *a, double nan, PyObject *posinf, PyObject *neginf);
PyObject *cmlx_op_split(mx_array a, PyObject *indices_or_sections, int axis);
PyObject *cmlx_op_divmod(mx_array a, mx_array b);
mx_array cmlx_op_matrix_transpose(mx_array a);
mx_array cmlx_op_logical_xor(mx_array a, mx_array b);
mx_array cmlx_op_trunc(mx_array a);
mx_array cmlx_op_count_nonzero(mx_array a, const int *axes, int naxes, bool keepdims);
mx_array cmlx_op_vecdot(mx_array a, mx_array b, int axis);
mx_array cmlx_op_inner(mx_array a, mx_array b);
mx_array cmlx_op_kron(mx_array a, mx_array b);
mx_array cmlx_op_diagonal(mx_array a, int offset, int axis1, int axis2);
mx_array cmlx_op_diag(mx_array a, int k);
mx_array cmlx_op_trace(mx_array a, int offset, int axis1, int axis2, mx_dtype dtype);
mx_array cmlx_op_tile(mx_array a, const int64_t *reps, int nreps);
mx_array cmlx_op_repeat(mx_array array, int repeats, int axis);
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

#endif
