/* ops/composite.h - shared by the composite ops (composite*.c): a builder
 * that owns the intermediate nodes of a composition, the parameter structs of
 * the composite area's own primitives, and node-level entry points other
 * composites reuse.
 *
 * A composite is written as a straight sequence of steps, each taking the
 * result of the previous ones without checking it: a failed step (a
 * constructor returning NULL with the thread error set) makes every later
 * step that uses it return NULL, and cb_finish() reports the failure once,
 * releasing everything the builder owns. */
#ifndef CMLX_OPS_COMPOSITE_H
#define CMLX_OPS_COMPOSITE_H

#include <stdlib.h>
#include <string.h>

#include "ops/ops.h"

typedef struct cb_builder {
    mx_node **temps;
    int n, cap;
    bool failed;
} cb_builder;

/* Take ownership of a new node reference (NULL marks the builder failed). */
mx_node *cb_own(cb_builder *b, mx_node *n);
/* A new reference to `result` (NULL when a step failed; the error is the
 * thread's). Releases every node the builder owns either way. */
mx_node *cb_finish(cb_builder *b, mx_node *result);
/* Release everything (for early exits that set their own error). */
void cb_abort(cb_builder *b);

/* Steps: each returns a node owned by the builder, or NULL (failed). Inputs
 * may be NULL (a previous failure), which propagates. */
mx_node *cb_unary(cb_builder *b, const mx_op_def *op, mx_node *x);
mx_node *cb_binary(cb_builder *b, const mx_op_def *op, mx_node *x, mx_node *y);
mx_node *cb_where(cb_builder *b, mx_node *c, mx_node *x, mx_node *y);
mx_node *cb_astype(cb_builder *b, mx_node *x, mx_dtype dtype);
mx_node *cb_reshape(cb_builder *b, mx_node *x, const int64_t *shape, int ndim);
mx_node *cb_transpose(cb_builder *b, mx_node *x, const int *perm);
mx_node *cb_broadcast(cb_builder *b, mx_node *x, const int64_t *shape, int ndim);
mx_node *cb_slice(cb_builder *b, mx_node *x, const int64_t *start, const int64_t *stop, const int64_t *step);
/* x[start : start + count * step : step] along one axis (count elements). */
mx_node *cb_slice_axis(cb_builder *b, mx_node *x, int axis, int64_t start, int64_t step, int64_t count);
mx_node *cb_concat(cb_builder *b, mx_node *const *parts, int n, int axis);
/* naxes < 0 reduces every axis. */
mx_node *cb_reduce(cb_builder *b, const mx_op_def *op, mx_node *x, const int *axes, int naxes, bool keepdims);
mx_node *cb_full(cb_builder *b, const int64_t *shape, int ndim, double value, mx_dtype dtype);
mx_node *cb_scalar(cb_builder *b, double value, mx_dtype dtype);
mx_node *cb_matmul(cb_builder *b, mx_node *x, mx_node *y);
/* x with a copy kernel (an array of its own rather than a view). */
mx_node *cb_copy(cb_builder *b, mx_node *x);

/* ---- shared helpers ------------------------------------------------------------------------ */
/* MLX's issubdtype categories on cmlx dtypes. */
static inline bool cb_is_inexact(mx_dtype d) { return mx_dtype_is_float(d) || d == MX_COMPLEX64; }
static inline bool cb_is_integral(mx_dtype d) { return d == MX_BOOL || mx_dtype_is_integer(d); }

/* Resolve `n` handles into nodes (borrowed); false (error set) if any fails.
 * `out` needs n entries. */
bool cb_handles(const mx_array *arrays, int n, const char *op, mx_node **out);

/* ---- node-level composites other composites build on (composite*.c) ---------------------------- */
/* diagonal(a, offset, axis1, axis2): a strided view (see the diagonal primitive). */
mx_node *mx_node_diagonal(mx_node *a, int offset, int axis1, int axis2, const char *op);
mx_node *mx_node_tensordot(mx_node *a, mx_node *b, const int *axes_a, const int *axes_b, int n, const char *op);
mx_node *mx_node_isposinf(mx_node *a);
mx_node *mx_node_isneginf(mx_node *a);
mx_node *mx_node_isclose(mx_node *a, mx_node *b, double rtol, double atol, bool equal_nan);
mx_node *mx_node_conjugate(mx_node *a);
mx_node *mx_node_real(mx_node *a);
mx_node *mx_node_imag(mx_node *a);
mx_node *mx_node_moveaxis(mx_node *a, int source, int destination);

/* ---- parameter structs of the composite area's primitives ---------------------------------------- */
/* diagonal: axes ax1 < ax2 are removed, the diagonal (length = last output
 * dim) is appended; element i is a[..., off1 + i (ax1), ..., off2 + i (ax2)]. */
typedef struct mx_diagonal_params {
    int ax1, ax2;
    int64_t off1, off2;
} mx_diagonal_params;

/* pad (constant mode): inputs (a, value as a 0-d array of a's dtype); the
 * output is a with low[i] / high[i] elements of value before / after it
 * along axis i. */
typedef struct mx_pad_params {
    int64_t low[MX_MAX_NDIM], high[MX_MAX_NDIM];
} mx_pad_params;

/* as_strided: a view of the input's elements in row-major order. */
typedef struct mx_as_strided_params {
    int64_t strides[MX_MAX_NDIM];
    int64_t offset;
} mx_as_strided_params;

/* The gradient of as_strided: scatter-adds the cotangent (the node's input)
 * into zeros of `size` elements at the positions as_strided read, then
 * reshapes to the original input's shape (the node's shape). */
typedef struct mx_as_strided_grad_params {
    int64_t strides[MX_MAX_NDIM];
    int64_t offset;
} mx_as_strided_grad_params;

#endif
