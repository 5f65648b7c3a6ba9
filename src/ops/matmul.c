/* ops/matmul.c - matmul: validation, 1-D operands, batch broadcasting and
 * type promotion, as in MLX 0.32 (mlx/ops.cpp `matmul`).
 *
 * The primitive sees two inputs of equal rank: a (batch..., M, K) and
 * b (batch..., K, N), already promoted to the output dtype and broadcast to
 * the common batch shape (broadcast_to views: stride 0, no copy). 1-D
 * operands are turned into matrices with views as well and the extra dim is
 * dropped from the result by a reshape of the contiguous output. As in MLX,
 * a batched a times a matrix or vector b is instead one 2-D product of a
 * flattened to (batch * M, K), reshaped back. */
#include <string.h>

#include "cmlx/ops.h"
#include "ops/ops.h"
#include "ops/reduce_shape_grad.h"

const mx_op_def mx_op_matmul = {
    .name = "matmul", .id = MX_OP_matmul, .family = MX_FAMILY_OTHER, .vjp = mx_matmul_vjp, .jvp = mx_matmul_jvp};

/* (K,) -> (1, K): a leading size-1 dim, a broadcast view. */
static mx_node *as_row(mx_node *v) {
    int64_t shape[2] = {1, v->shape[0]};
    return mx_node_broadcast_to(v, shape, 2);
}

/* (K,) -> (K, 1): the transpose of the row view, so a strided vector is
 * still not copied. */
static mx_node *as_column(mx_node *v) {
    mx_node *row = as_row(v);
    if (!row)
        return NULL;
    mx_node *col = mx_node_transpose(row, (const int[]){1, 0});
    mx_node_release(row);
    return col;
}

/* Promote to `dtype` and broadcast to batch + the operand's own two matrix
 * dims. Returns a new node. */
static mx_node *prepare_operand(mx_node *x, mx_dtype dtype, const int64_t *batch, int nbatch) {
    mx_node *cast = mx_node_astype(x, dtype);
    if (!cast)
        return NULL;
    int64_t shape[MX_MAX_NDIM];
    memcpy(shape, batch, sizeof(int64_t) * (size_t)nbatch);
    shape[nbatch] = x->shape[x->ndim - 2];
    shape[nbatch + 1] = x->shape[x->ndim - 1];
    mx_node *out = mx_node_broadcast_to(cast, shape, nbatch + 2);
    mx_node_release(cast);
    return out;
}

/* a, b have rank >= 2. Returns the (batch..., M, N) product node. */
static mx_node *matmul_matrices(mx_node *a, mx_node *b) {
    char sa[MX_SHAPE_STR_CAP], sb[MX_SHAPE_STR_CAP];
    if (a->shape[a->ndim - 1] != b->shape[b->ndim - 2]) {
        mx_set_error(MX_ERROR_VALUE,
                     "matmul: last dimension of the first input with shape %s (%s) must match the second to last "
                     "dimension of the second input with shape %s (%s)",
                     mx_format_shape(a->shape, a->ndim, sa, sizeof sa), mx_dtype_name(a->dtype),
                     mx_format_shape(b->shape, b->ndim, sb, sizeof sb), mx_dtype_name(b->dtype));
        return NULL;
    }
    mx_dtype dtype = mx_promote_types(a->dtype, b->dtype);
    if (!mx_dtype_is_float(dtype) && dtype != MX_COMPLEX64) {
        /* MLX raises ValueError here ("Only inexact types are supported") */
        mx_set_error(MX_ERROR_VALUE,
                     "matmul: only inexact types are supported but %s and %s were provided which results in %s, "
                     "which is not a floating point type (shapes %s and %s)",
                     mx_dtype_name(a->dtype), mx_dtype_name(b->dtype), mx_dtype_name(dtype),
                     mx_format_shape(a->shape, a->ndim, sa, sizeof sa),
                     mx_format_shape(b->shape, b->ndim, sb, sizeof sb));
        return NULL;
    }
    /* broadcast the batch dims (all but the last two), right-aligned */
    int na = a->ndim - 2, nb = b->ndim - 2, nbatch = na > nb ? na : nb;
    int64_t shape[MX_MAX_NDIM];
    for (int i = 0; i < nbatch; i++) {
        int ia = i - (nbatch - na), ib = i - (nbatch - nb);
        int64_t da = ia >= 0 ? a->shape[ia] : 1, db = ib >= 0 ? b->shape[ib] : 1;
        if (da != db && da != 1 && db != 1) {
            mx_set_error(MX_ERROR_VALUE, "matmul: batch dimensions of shapes %s (%s) and %s (%s) cannot be broadcast",
                         mx_format_shape(a->shape, a->ndim, sa, sizeof sa), mx_dtype_name(a->dtype),
                         mx_format_shape(b->shape, b->ndim, sb, sizeof sb), mx_dtype_name(b->dtype));
            return NULL;
        }
        shape[i] = da == 1 ? db : da;
    }
    mx_node *pa = prepare_operand(a, dtype, shape, nbatch);
    mx_node *pb = pa ? prepare_operand(b, dtype, shape, nbatch) : NULL;
    mx_node *out = NULL;
    if (pb) {
        shape[nbatch] = a->shape[a->ndim - 2];
        shape[nbatch + 1] = b->shape[b->ndim - 1];
        out = mx_node_new(&mx_op_matmul, NULL, (mx_node *[]){pa, pb}, 2, shape, nbatch + 2, dtype);
    }
    mx_node_release(pa);
    mx_node_release(pb);
    return out;
}

/* MLX: a batched a (batch..., M, K) times a matrix or vector b is one
 * (batch * M, K) @ b product, reshaped back; so the batch is a single GEMM
 * rather than a loop over stride-0 copies of b, and the gradient of b is
 * one GEMM too (no (batch..., K, N) temporary summed over the batch). */
static mx_node *matmul_flattened(mx_node *a, mx_node *b) {
    int64_t rows = 1, shape[MX_MAX_NDIM];
    for (int i = 0; i < a->ndim - 1; i++) {
        rows *= a->shape[i];
        shape[i] = a->shape[i];
    }
    int nd = a->ndim - 1;
    if (b->ndim == 2)
        shape[nd++] = b->shape[1];
    mx_node *flat = mx_node_reshape(a, (const int64_t[]){rows, a->shape[a->ndim - 1]}, 2);
    mx_node *prod = flat ? mx_node_matmul(flat, b) : NULL;
    mx_node *out = prod ? mx_node_reshape(prod, shape, nd) : NULL;
    mx_node_release(flat);
    mx_node_release(prod);
    return out;
}

mx_node *mx_node_matmul(mx_node *a, mx_node *b) {
    if (a->ndim == 0 || b->ndim == 0) {
        char sa[MX_SHAPE_STR_CAP], sb[MX_SHAPE_STR_CAP];
        mx_set_error(MX_ERROR_VALUE,
                     "matmul: got a 0-dimensional input (shapes %s (%s) and %s (%s)); inputs must have at least "
                     "one dimension",
                     mx_format_shape(a->shape, a->ndim, sa, sizeof sa), mx_dtype_name(a->dtype),
                     mx_format_shape(b->shape, b->ndim, sb, sizeof sb), mx_dtype_name(b->dtype));
        return NULL;
    }
    if (a->ndim > 2 && b->ndim <= 2 && a->shape[a->ndim - 1] == b->shape[0])
        return matmul_flattened(a, b);
    mx_node *ma = a->ndim == 1 ? as_row(a) : a;
    mx_node *mb = !ma ? NULL : b->ndim == 1 ? as_column(b) : b;
    mx_node *prod = mb ? matmul_matrices(ma, mb) : NULL;
    if (ma && ma != a)
        mx_node_release(ma);
    if (mb && mb != b)
        mx_node_release(mb);
    if (!prod || (a->ndim > 1 && b->ndim > 1))
        return prod;
    /* drop the dims that were added for 1-D operands */
    int64_t shape[MX_MAX_NDIM];
    int nd = prod->ndim - 2;
    memcpy(shape, prod->shape, sizeof(int64_t) * (size_t)nd);
    if (a->ndim > 1)
        shape[nd++] = prod->shape[prod->ndim - 2];
    if (b->ndim > 1)
        shape[nd++] = prod->shape[prod->ndim - 1];
    mx_node *out = mx_node_reshape(prod, shape, nd);
    mx_node_release(prod);
    return out;
}

mx_array mx_matmul(mx_array a, mx_array b) {
    mx_node *in[2];
    if (!mx_handles_get((mx_array[]){a, b}, 2, "matmul", in))
        return mx_handle_wrap(NULL);
    return mx_handle_wrap(mx_node_matmul(in[0], in[1]));
}
