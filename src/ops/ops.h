/* ops/ops.h - the op definitions, their parameter structs, and node-level
 * constructors that composites and other modules (autograd, nn) build on.
 *
 * Node-level constructors take borrowed input nodes and return a NEW node
 * (or NULL with the thread error set). They do validation, broadcasting and
 * type promotion eagerly, so errors surface when the graph is built. */
#ifndef CMLX_OPS_OPS_H
#define CMLX_OPS_OPS_H

#include "core/error.h"
#include "core/handle.h"
#include "core/node.h"
#include "ops/op_list.h"

/* One definition per op in op_list.h: mx_op_add, mx_op_sum, ... */
#define MX_OP_DECLARE(name) extern const mx_op_def mx_op_##name;
MX_OP_LIST(MX_OP_DECLARE)
#undef MX_OP_DECLARE

/* Every op definition, indexed by id (for diagnostics and tests). */
const mx_op_def *mx_op_by_id(int id);

/* ---- parameter structs --------------------------------------------------------- */
typedef struct mx_full_params {
    double value;      /* used for float dtypes */
    int64_t int_value; /* used for integer and bool dtypes (exact) */
} mx_full_params;

typedef struct mx_arange_params {
    double start, step;
} mx_arange_params;

typedef struct mx_linspace_params {
    double start, stop;
} mx_linspace_params;

typedef struct mx_eye_params {
    int k;
} mx_eye_params;

typedef struct mx_round_params {
    int decimals;
} mx_round_params;

/* Reductions: the reduced axes are sorted, unique and non-negative; the
 * output keeps them as size-1 dims (keepdims is applied by a reshape after
 * the primitive, so kernels always see the keepdims shape). */
typedef struct mx_reduce_params {
    int naxes;
    int axes[MX_MAX_NDIM];
} mx_reduce_params;

/* var and std (std = sqrt(var)): the reduction plus the delta degrees of
 * freedom. `reduce` comes first so kernels may read it as mx_reduce_params. */
typedef struct mx_var_params {
    mx_reduce_params reduce;
    int ddof;
} mx_var_params;

typedef struct mx_softmax_params {
    bool precise;    /* float16/bfloat16: accumulate in float32 */
} mx_softmax_params; /* always over the last axis */

typedef struct mx_transpose_params {
    int perm[MX_MAX_NDIM];
} mx_transpose_params;

typedef struct mx_slice_params {
    int64_t start[MX_MAX_NDIM];
    int64_t step[MX_MAX_NDIM]; /* non-zero; output shape gives the count */
} mx_slice_params;

typedef struct mx_axis_params {
    int axis;
} mx_axis_params; /* concatenate, take, take_along_axis, argmax, argmin */

typedef struct mx_random_bits_params {
    int width; /* bytes per value: 1, 2 or 4 */
} mx_random_bits_params;

/* random_normal: loc + scale * sqrt(2) * erfinv(u), as MLX composes it;
 * loc == 0 and scale == 1 leave out the add and the scaling. */
typedef struct mx_random_normal_params {
    double loc, scale;
} mx_random_normal_params;

/* ---- helpers -------------------------------------------------------------------- */
/* Normalise `axes` against `ndim`: negative axes wrap; out-of-range or
 * repeated axes are errors naming `op`. Writes sorted axes into out and
 * returns their count, or -1 on error. */
int mx_normalize_axes(const char *op, const mx_node *a, const int *axes, int naxes, int *out);
/* Normalise one axis, -1 (error set) if out of range. */
int mx_normalize_axis(const char *op, const mx_node *a, int axis);
/* NumPy broadcasting of two shapes; false (error naming op, shapes) if
 * incompatible. out needs MX_MAX_NDIM entries. */
bool mx_broadcast_shapes(const char *op, const mx_node *a, const mx_node *b, int64_t *out, int *out_ndim);

/* ---- node-level constructors ------------------------------------------------------ */
mx_node *mx_node_astype(mx_node *a, mx_dtype dtype);                       /* a retained if same dtype */
mx_node *mx_node_broadcast_to(mx_node *a, const int64_t *shape, int ndim); /* a retained if same */
mx_node *mx_node_reshape(mx_node *a, const int64_t *shape, int ndim);
mx_node *mx_node_transpose(mx_node *a, const int *perm); /* perm has a->ndim entries */
mx_node *mx_node_slice(mx_node *a, const int64_t *start, const int64_t *stop, const int64_t *step);
mx_node *mx_node_full(const int64_t *shape, int ndim, double value, mx_dtype dtype);
mx_node *mx_node_scalar(double value, mx_dtype dtype); /* an evaluated 0-d node */
mx_node *mx_node_unary(const mx_op_def *op, mx_node *a);
mx_node *mx_node_binary(const mx_op_def *op, mx_node *a, mx_node *b);
mx_node *mx_node_where(mx_node *cond, mx_node *x, mx_node *y);
/* Reductions (sum prod max min all any mean var std logsumexp argmax argmin):
 * axes as in the public API (negative ones wrap; argmax/argmin take one);
 * MLX's dtypes and checks. The primitive has the keepdims shape (see
 * mx_reduce_params); keepdims=false adds a reshape. */
mx_node *mx_node_reduce(const mx_op_def *op, mx_node *a, const int *axes, int naxes, bool keepdims);
/* var (take_sqrt false) or std (true) with ddof; mx_node_reduce gives ddof 0. */
mx_node *mx_node_var(mx_node *a, const int *axes, int naxes, bool keepdims, int ddof, bool take_sqrt);
/* softmax over `axes` (any, as MLX; the primitive is over the last axis). */
mx_node *mx_node_softmax(mx_node *a, const int *axes, int naxes, bool precise);
mx_node *mx_node_matmul(mx_node *a, mx_node *b);
mx_node *mx_node_concatenate(mx_node *const *arrays, int n, int axis);
mx_node *mx_node_take(mx_node *a, mx_node *indices, int axis);

/* Public wrappers: resolve handles for `name`, call a node-level function,
 * wrap the result (an error array on failure). */
mx_array mx_wrap_unary(const mx_op_def *op, mx_array a);
mx_array mx_wrap_binary(const mx_op_def *op, mx_array a, mx_array b);

#endif
