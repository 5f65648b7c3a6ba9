/* transforms/vmap_rules.c - the vmap rule of every op of the table.
 *
 * A rule sees the traced node (shapes of one example) and the batched
 * inputs, and builds the batched result with ordinary nodes. Rules keep the
 * batch axis where it already is whenever the op allows it (element-wise
 * ops, reductions, slices, broadcasts, take), so a mapped axis other than 0
 * costs no transpose; ops that need it in front get a transpose view. Every
 * node a rule builds is of an op that has a rule too, so vmap nests.
 *
 * Explicit rules are keyed by op id (ops whose params name axes or shapes);
 * the rest fall back on their family: element-wise families share one rule,
 * reductions shift their axes. An op with neither is MX_ERROR_UNSUPPORTED,
 * as MLX's "vmap not implemented". Ops of later areas set mx_op_def.vmap,
 * which wins over this table. */
#include <stdlib.h>
#include <string.h>

#include "ops/ops.h"
#include "transforms/vmap.h"

/* ---- helpers ----------------------------------------------------------------------------- */

int64_t mx_vmap_batch_size(const mx_node *node, mx_node *const *inputs, const int *in_axes) {
    for (int i = 0; i < node->n_inputs; i++)
        if (in_axes[i] >= 0)
            return inputs[i]->shape[in_axes[i]];
    return 1;
}

mx_node *mx_vmap_move_axis(mx_node *x, int from, int to) {
    if (from == to) {
        mx_node_retain(x);
        return x;
    }
    int perm[MX_MAX_NDIM], k = 0;
    for (int i = 0; i < x->ndim; i++) {
        if (k == to)
            perm[k++] = from;
        if (i != from)
            perm[k++] = i;
    }
    if (k == to)
        perm[k++] = from;
    return mx_node_transpose(x, perm);
}

mx_node *mx_vmap_insert_batch(mx_node *x, int axis, int64_t batch) {
    if (x->ndim + 1 > MX_MAX_NDIM) {
        mx_set_error(MX_ERROR_VALUE, "vmap: adding a batch axis to an array of rank %d exceeds the rank limit %d",
                     x->ndim, MX_MAX_NDIM);
        return NULL;
    }
    int64_t shape[MX_MAX_NDIM] = {0};
    shape[0] = batch;
    if (x->ndim)
        memcpy(shape + 1, x->shape, sizeof(int64_t) * (size_t)x->ndim);
    /* broadcast in front, then a transpose view: no reshape, which would
     * copy a strided input */
    mx_node *front = mx_node_broadcast_to(x, shape, x->ndim + 1);
    if (!front || axis == 0)
        return front;
    mx_node *out = mx_vmap_move_axis(front, 0, axis);
    mx_node_release(front);
    return out;
}

mx_node *mx_vmap_batch_at(mx_node *x, int axis, int to, int64_t batch) {
    return axis >= 0 ? mx_vmap_move_axis(x, axis, to) : mx_vmap_insert_batch(x, to, batch);
}

/* shape with `value` inserted at position `at` (rank ndim -> ndim + 1). */
static void insert_dim(const int64_t *shape, int ndim, int at, int64_t value, int64_t *out) {
    for (int i = 0, j = 0; i <= ndim; i++)
        out[i] = i == at ? value : shape[j++];
}

static int batched_rank_error(const mx_node *node) {
    return mx_set_error(MX_ERROR_VALUE, "vmap: %s of rank %d with a batch axis exceeds the rank limit %d",
                        node->op->name, node->ndim, MX_MAX_NDIM);
}

/* Finish a rule: *out = result (taken), *out_axis = axis. */
static int finish(mx_node *result, int axis, mx_node **out, int *out_axis) {
    if (!result)
        return mx_last_status() != MX_OK ? mx_last_status() : MX_ERROR_INTERNAL;
    *out = result;
    *out_axis = axis;
    return MX_OK;
}

static void release_all(mx_node **nodes, int n) {
    for (int i = 0; i < n; i++)
        if (nodes[i])
            mx_node_release(nodes[i]);
}

/* ---- element-wise ------------------------------------------------------------------------ */

int mx_vmap_elementwise(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out, int *out_axis) {
    if (node->ndim + 1 > MX_MAX_NDIM)
        return batched_rank_error(node);
    int n = node->n_inputs, target = -1;
    int64_t batch = mx_vmap_batch_size(node, inputs, in_axes);
    for (int i = 0; i < n && target < 0; i++)
        target = in_axes[i];
    mx_node *small[4] = {NULL}, **aligned = n <= 4 ? small : calloc((size_t)(n > 0 ? n : 1), sizeof(mx_node *));
    if (!aligned)
        return mx_set_error(MX_ERROR_MEMORY, "vmap: out of memory");
    mx_node *result = NULL;
    int made = 0;
    for (; made < n; made++) {
        aligned[made] = mx_vmap_batch_at(inputs[made], in_axes[made], target, batch);
        if (!aligned[made])
            break;
    }
    if (made == n) {
        int64_t shape[MX_MAX_NDIM] = {0};
        insert_dim(node->shape, node->ndim, target, batch, shape);
        result = mx_node_new(node->op, node->params, aligned, n, shape, node->ndim + 1, node->dtype);
    }
    release_all(aligned, made);
    if (aligned != small)
        free(aligned);
    return finish(result, target, out, out_axis);
}

/* ---- per-example fallback ------------------------------------------------------------------ */

/* Example i of x (batch axis `axis`): a slice and a reshape, views when x
 * allows. */
static mx_node *example(mx_node *x, int axis, int64_t i) {
    int64_t start[MX_MAX_NDIM], stop[MX_MAX_NDIM], shape[MX_MAX_NDIM];
    for (int d = 0; d < x->ndim; d++) {
        start[d] = d == axis ? i : 0;
        stop[d] = d == axis ? i + 1 : x->shape[d];
    }
    mx_node *one = mx_node_slice(x, start, stop, NULL);
    if (!one)
        return NULL;
    for (int d = 0, k = 0; d < x->ndim; d++)
        if (d != axis)
            shape[k++] = x->shape[d];
    mx_node *out = mx_node_reshape(one, shape, x->ndim - 1);
    mx_node_release(one);
    return out;
}

int mx_vmap_unrolled(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out, int *out_axis) {
    if (node->op->params_release)
        return mx_set_error(MX_ERROR_UNSUPPORTED, "vmap: not implemented for %s", node->op->name);
    if (node->ndim + 1 > MX_MAX_NDIM)
        return batched_rank_error(node);
    int n = node->n_inputs;
    int64_t batch = mx_vmap_batch_size(node, inputs, in_axes);
    int64_t shape[MX_MAX_NDIM] = {0};
    insert_dim(node->shape, node->ndim, 0, 1, shape);
    mx_node **parts = calloc((size_t)(batch > 0 ? batch : 1), sizeof(mx_node *));
    mx_node **ins = calloc((size_t)(n > 0 ? n : 1), sizeof(mx_node *));
    mx_node *result = NULL;
    int64_t done = 0;
    if (!parts || !ins) {
        mx_set_error(MX_ERROR_MEMORY, "vmap: out of memory");
        goto cleanup;
    }
    for (; done < batch; done++) {
        int got = 0;
        for (; got < n; got++) {
            if (in_axes[got] >= 0) {
                ins[got] = example(inputs[got], in_axes[got], done);
            } else {
                mx_node_retain(inputs[got]);
                ins[got] = inputs[got];
            }
            if (!ins[got])
                break;
        }
        mx_node *one =
            got == n ? mx_node_new(node->op, node->params, ins, n, node->shape, node->ndim, node->dtype) : NULL;
        release_all(ins, got);
        parts[done] = one ? mx_node_reshape(one, shape, node->ndim + 1) : NULL;
        if (one)
            mx_node_release(one);
        if (!parts[done])
            goto cleanup;
    }
    if (batch == 0) {
        shape[0] = 0;
        result = mx_node_full(shape, node->ndim + 1, 0.0, node->dtype);
    } else {
        mx_axis_params p = {0};
        shape[0] = batch;
        result = batch == 1
                     ? (mx_node_retain(parts[0]), parts[0])
                     : mx_node_new(&mx_op_concatenate, &p, parts, (int)batch, shape, node->ndim + 1, node->dtype);
    }
cleanup:
    if (parts)
        release_all(parts, (int)done);
    free(parts);
    free(ins);
    return finish(result, 0, out, out_axis);
}

int mx_vmap_leading_batch(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out,
                          int *out_axis) {
    if (node->ndim + 1 > MX_MAX_NDIM)
        return batched_rank_error(node);
    int n = node->n_inputs;
    int64_t batch = mx_vmap_batch_size(node, inputs, in_axes);
    int64_t shape[MX_MAX_NDIM] = {0};
    insert_dim(node->shape, node->ndim, 0, batch, shape);
    mx_node **ins = calloc((size_t)(n > 0 ? n : 1), sizeof(mx_node *));
    mx_node *result = NULL;
    int got = 0;
    if (!ins) {
        mx_set_error(MX_ERROR_MEMORY, "vmap: out of memory");
        return finish(NULL, 0, out, out_axis);
    }
    for (; got < n; got++) {
        ins[got] = mx_vmap_batch_at(inputs[got], in_axes[got], 0, batch);
        if (!ins[got])
            break;
    }
    if (got == n)
        result = mx_node_new(node->op, node->params, ins, n, shape, node->ndim + 1, node->dtype);
    release_all(ins, got);
    free(ins);
    return finish(result, 0, out, out_axis);
}

/* ---- shapes and views ------------------------------------------------------------------------ */

static int vmap_reshape(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out, int *out_axis) {
    if (node->ndim + 1 > MX_MAX_NDIM)
        return batched_rank_error(node);
    mx_node *front = mx_vmap_move_axis(inputs[0], in_axes[0], 0);
    if (!front)
        return finish(NULL, 0, out, out_axis);
    int64_t shape[MX_MAX_NDIM] = {0};
    insert_dim(node->shape, node->ndim, 0, front->shape[0], shape);
    mx_node *result = mx_node_reshape(front, shape, node->ndim + 1);
    mx_node_release(front);
    return finish(result, 0, out, out_axis);
}

/* One transpose: the batch axis goes in front, the rest as perm says. */
static int vmap_transpose(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out,
                          int *out_axis) {
    const mx_transpose_params *p = mx_node_params(node);
    int b = in_axes[0], perm[MX_MAX_NDIM];
    perm[0] = b;
    for (int i = 0; i < node->ndim; i++)
        perm[i + 1] = p->perm[i] < b ? p->perm[i] : p->perm[i] + 1;
    return finish(mx_node_transpose(inputs[0], perm), 0, out, out_axis);
}

/* broadcast_to aligns shapes on the right, so the batch axis b of the
 * input lands on b + (added dims) of the output: one broadcast view. */
static int vmap_broadcast_to(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out,
                             int *out_axis) {
    if (node->ndim + 1 > MX_MAX_NDIM)
        return batched_rank_error(node);
    mx_node *x = inputs[0];
    int b = in_axes[0], added = node->ndim - (x->ndim - 1);
    int64_t shape[MX_MAX_NDIM] = {0};
    insert_dim(node->shape, node->ndim, b + added, x->shape[b], shape);
    return finish(mx_node_broadcast_to(x, shape, node->ndim + 1), b + added, out, out_axis);
}

/* The whole batch axis is kept where it is. */
static int vmap_slice(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out, int *out_axis) {
    if (node->ndim + 1 > MX_MAX_NDIM)
        return batched_rank_error(node);
    const mx_slice_params *p = mx_node_params(node);
    mx_node *x = inputs[0];
    int b = in_axes[0];
    mx_slice_params q;
    int64_t shape[MX_MAX_NDIM] = {0};
    for (int i = 0, j = 0; i <= node->ndim; i++) {
        if (i == b) {
            q.start[i] = 0;
            q.step[i] = 1;
            shape[i] = x->shape[b];
        } else {
            q.start[i] = p->start[j];
            q.step[i] = p->step[j];
            shape[i] = node->shape[j];
            j++;
        }
    }
    return finish(mx_node_new(&mx_op_slice, &q, &x, 1, shape, node->ndim + 1, node->dtype), b, out, out_axis);
}

static int vmap_concatenate(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out,
                            int *out_axis) {
    if (node->ndim + 1 > MX_MAX_NDIM)
        return batched_rank_error(node);
    const mx_axis_params *p = mx_node_params(node);
    int n = node->n_inputs;
    int64_t batch = mx_vmap_batch_size(node, inputs, in_axes);
    mx_node **front = calloc((size_t)(n > 0 ? n : 1), sizeof(mx_node *));
    if (!front)
        return mx_set_error(MX_ERROR_MEMORY, "vmap: out of memory");
    mx_node *result = NULL;
    int made = 0;
    for (; made < n; made++) {
        front[made] = mx_vmap_batch_at(inputs[made], in_axes[made], 0, batch);
        if (!front[made])
            break;
    }
    if (made == n) {
        mx_axis_params q = {p->axis + 1};
        int64_t shape[MX_MAX_NDIM] = {0};
        insert_dim(node->shape, node->ndim, 0, batch, shape);
        result = mx_node_new(&mx_op_concatenate, &q, front, n, shape, node->ndim + 1, node->dtype);
    }
    release_all(front, made);
    free(front);
    return finish(result, 0, out, out_axis);
}

/* ---- matmul ----------------------------------------------------------------------------------- */

/* a (M, K) batched on axis 0 or 1 times an unbatched b (K, N): the batch is
 * folded into the rows, one GEMM of (B*M, K) by (K, N); the result keeps
 * the batch axis where a had it. */
static mx_node *matmul_folded(mx_node *a, mx_node *b, int64_t n_cols) {
    int64_t rows = a->shape[0] * a->shape[1], k = a->shape[2];
    mx_node *flat = mx_node_reshape(a, (const int64_t[]){rows, k}, 2);
    mx_node *prod = flat ? mx_node_matmul(flat, b) : NULL;
    mx_node *out = prod ? mx_node_reshape(prod, (const int64_t[]){a->shape[0], a->shape[1], n_cols}, 3) : NULL;
    mx_node_release(flat);
    mx_node_release(prod);
    return out;
}

static int vmap_matmul(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out, int *out_axis) {
    if (node->ndim + 1 > MX_MAX_NDIM)
        return batched_rank_error(node);
    int ba = in_axes[0], bb = in_axes[1];
    if (bb < 0 && node->ndim == 2 && ba <= 1)
        return finish(matmul_folded(inputs[0], inputs[1], node->shape[1]), ba, out, out_axis);
    /* the general case: batch axes in front; an unbatched operand
     * broadcasts over the batch through matmul's own batch broadcasting */
    mx_node *a = ba >= 0 ? mx_vmap_move_axis(inputs[0], ba, 0) : (mx_node_retain(inputs[0]), inputs[0]);
    mx_node *b = !a ? NULL : bb >= 0 ? mx_vmap_move_axis(inputs[1], bb, 0) : (mx_node_retain(inputs[1]), inputs[1]);
    mx_node *result = b ? mx_node_matmul(a, b) : NULL;
    if (a)
        mx_node_release(a);
    if (b)
        mx_node_release(b);
    return finish(result, 0, out, out_axis);
}

/* ---- indexing ---------------------------------------------------------------------------------- */

/* take(a, indices, axis): out = a.shape[:axis] + indices.shape + a.shape[axis+1:]. */
static int vmap_take(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out, int *out_axis) {
    if (node->ndim + 1 > MX_MAX_NDIM)
        return batched_rank_error(node);
    const mx_axis_params *p = mx_node_params(node);
    mx_node *a = inputs[0], *idx = inputs[1];
    int ba = in_axes[0], bi = in_axes[1], axis = p->axis;
    if (bi < 0) { /* only the array: take on the shifted axis, the batch stays put */
        int ax = ba <= axis ? axis + 1 : axis;
        int where = ba < ax ? ba : ba - 1 + idx->ndim;
        return finish(mx_node_take(a, idx, ax), where, out, out_axis);
    }
    if (ba < 0) /* only the indices: their batch axis lands after a's leading dims */
        return finish(mx_node_take(a, idx, axis), axis + bi, out, out_axis);

    /* both: example b takes from its own slice of a. With the batch in
     * front of both, flatten the indices of one example to one axis and run
     * take_along_axis over (B, pre..., N, post...) with indices
     * (B, 1.., |I|, 1..) broadcast outside the axis, then unflatten. */
    int64_t batch = a->shape[ba];
    int pre = axis, post = node->ndim - axis - (idx->ndim - 1);
    int64_t count = 1;
    for (int d = 0; d < idx->ndim; d++)
        if (d != bi)
            count *= idx->shape[d];
    mx_node *af = mx_vmap_move_axis(a, ba, 0);
    mx_node *i_front = af ? mx_vmap_move_axis(idx, bi, 0) : NULL;
    int nd = 1 + pre + 1 + post;
    int64_t ishape[MX_MAX_NDIM], bshape[MX_MAX_NDIM], oshape[MX_MAX_NDIM];
    ishape[0] = bshape[0] = batch;
    for (int d = 0; d < pre; d++) {
        ishape[1 + d] = 1;
        bshape[1 + d] = af ? af->shape[1 + d] : 0;
    }
    ishape[1 + pre] = bshape[1 + pre] = count;
    for (int d = 0; d < post; d++) {
        ishape[2 + pre + d] = 1;
        bshape[2 + pre + d] = af ? af->shape[2 + pre + d] : 0;
    }
    mx_node *i_flat = i_front ? mx_node_reshape(i_front, ishape, nd) : NULL;
    mx_node *i_wide = i_flat ? mx_node_broadcast_to(i_flat, bshape, nd) : NULL;
    mx_node *gathered = NULL, *result = NULL;
    if (i_wide) {
        mx_axis_params q = {axis + 1};
        gathered = mx_node_new(&mx_op_take_along_axis, &q, (mx_node *[]){af, i_wide}, 2, bshape, nd, node->dtype);
    }
    if (gathered) {
        insert_dim(node->shape, node->ndim, 0, batch, oshape);
        result = mx_node_reshape(gathered, oshape, node->ndim + 1);
    }
    mx_node *parts[5] = {af, i_front, i_flat, i_wide, gathered};
    release_all(parts, 5);
    return finish(result, 0, out, out_axis);
}

/* take_along_axis: both operands have the output's rank; batch both in
 * front (an unbatched one broadcast) and take along axis + 1. */
static int vmap_take_along_axis(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out,
                                int *out_axis) {
    if (node->ndim + 1 > MX_MAX_NDIM)
        return batched_rank_error(node);
    const mx_axis_params *p = mx_node_params(node);
    int64_t batch = mx_vmap_batch_size(node, inputs, in_axes);
    mx_node *a = mx_vmap_batch_at(inputs[0], in_axes[0], 0, batch);
    mx_node *idx = a ? mx_vmap_batch_at(inputs[1], in_axes[1], 0, batch) : NULL;
    mx_node *result = NULL;
    if (idx) {
        mx_axis_params q = {p->axis + 1};
        int64_t shape[MX_MAX_NDIM] = {0};
        insert_dim(node->shape, node->ndim, 0, batch, shape);
        result = mx_node_new(&mx_op_take_along_axis, &q, (mx_node *[]){a, idx}, 2, shape, node->ndim + 1, node->dtype);
    }
    mx_node *parts[2] = {a, idx};
    release_all(parts, 2);
    return finish(result, 0, out, out_axis);
}

/* ---- reductions ----------------------------------------------------------------------------------- */

/* The reduced axes move past the batch axis, which stays where it is (the
 * primitive keeps reduced dims as size 1, so the output rank is the input's). */
static int vmap_reduce(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out, int *out_axis) {
    if (node->ndim + 1 > MX_MAX_NDIM)
        return batched_rank_error(node);
    if (node->op->params_size < sizeof(mx_reduce_params))
        return mx_set_error(MX_ERROR_UNSUPPORTED, "vmap: not implemented for %s", node->op->name);
    int b = in_axes[0];
    /* var/std params start with the reduce params (ops.h), so one copy of
     * the whole struct keeps ddof and anything after */
    union {
        mx_var_params var; /* .reduce first */
        unsigned char bytes[256];
    } params;
    if (node->op->params_size > sizeof params)
        return mx_set_error(MX_ERROR_INTERNAL, "vmap: params of %s are too large", node->op->name);
    memcpy(params.bytes, node->params, node->op->params_size);
    mx_reduce_params *rp = &params.var.reduce;
    for (int i = 0; i < rp->naxes; i++)
        if (rp->axes[i] >= b)
            rp->axes[i]++;
    int64_t shape[MX_MAX_NDIM] = {0};
    insert_dim(node->shape, node->ndim, b, inputs[0]->shape[b], shape);
    return finish(mx_node_new(node->op, params.bytes, inputs, 1, shape, node->ndim + 1, node->dtype), b, out, out_axis);
}

static int vmap_arg_reduce(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out,
                           int *out_axis) {
    if (node->ndim + 1 > MX_MAX_NDIM)
        return batched_rank_error(node);
    const mx_axis_params *p = mx_node_params(node);
    int b = in_axes[0];
    mx_axis_params q = {p->axis >= b ? p->axis + 1 : p->axis};
    int64_t shape[MX_MAX_NDIM] = {0};
    insert_dim(node->shape, node->ndim, b, inputs[0]->shape[b], shape);
    return finish(mx_node_new(node->op, &q, inputs, 1, shape, node->ndim + 1, node->dtype), b, out, out_axis);
}

/* The primitive works on the last axis: a batch axis there moves in front. */
static int vmap_softmax(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out, int *out_axis) {
    if (node->ndim + 1 > MX_MAX_NDIM)
        return batched_rank_error(node);
    int b = in_axes[0];
    mx_node *x = inputs[0];
    if (b == node->ndim) {
        x = mx_vmap_move_axis(x, b, 0);
        b = 0;
    } else {
        mx_node_retain(x);
    }
    if (!x)
        return finish(NULL, 0, out, out_axis);
    mx_node *result = mx_node_new(node->op, node->params, &x, 1, x->shape, x->ndim, node->dtype);
    mx_node_release(x);
    return finish(result, b, out, out_axis);
}

/* ---- random ------------------------------------------------------------------------------------------ */

/* random_uniform(key, low, high) with one key for every example and
 * batched bounds: every example draws the same u = uniform(key, 0, 1), and
 * range * u + low runs batched. The kernel computes exactly these steps,
 * rounded to the dtype after each, so the values are the per-example ones. */
static int vmap_random_uniform(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out,
                               int *out_axis) {
    if (in_axes[0] >= 0) /* a batch of keys: one draw per key */
        return mx_vmap_unrolled(node, inputs, in_axes, out, out_axis);
    if (node->ndim + 1 > MX_MAX_NDIM)
        return batched_rank_error(node);
    int64_t batch = mx_vmap_batch_size(node, inputs, in_axes);
    mx_node *zero = mx_node_scalar(0.0, node->dtype), *one = zero ? mx_node_scalar(1.0, node->dtype) : NULL;
    mx_node *lo0 = one ? mx_node_broadcast_to(zero, node->shape, node->ndim) : NULL;
    mx_node *hi0 = lo0 ? mx_node_broadcast_to(one, node->shape, node->ndim) : NULL;
    mx_node *u = hi0 ? mx_node_new(node->op, node->params, (mx_node *[]){inputs[0], lo0, hi0}, 3, node->shape,
                                   node->ndim, node->dtype)
                     : NULL;
    mx_node *lo = u ? mx_vmap_batch_at(inputs[1], in_axes[1], 0, batch) : NULL;
    mx_node *hi = lo ? mx_vmap_batch_at(inputs[2], in_axes[2], 0, batch) : NULL;
    mx_node *range = hi ? mx_node_binary(&mx_op_subtract, hi, lo) : NULL;
    mx_node *scaled = range ? mx_node_binary(&mx_op_multiply, range, u) : NULL;
    mx_node *result = scaled ? mx_node_binary(&mx_op_add, scaled, lo) : NULL;
    mx_node *parts[9] = {zero, one, lo0, hi0, u, lo, hi, range, scaled};
    release_all(parts, 9);
    return finish(result, 0, out, out_axis);
}

/* ---- dispatch ----------------------------------------------------------------------------------------- */

int mx_vmap_apply_rule(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out, int *out_axis) {
    bool batched = false;
    for (int i = 0; i < node->n_inputs; i++)
        batched = batched || in_axes[i] >= 0;
    if (!batched) { /* creation ops, constants, anything independent of the batch */
        mx_node_retain((mx_node *)node);
        *out = (mx_node *)node;
        *out_axis = -1;
        return MX_OK;
    }
    const mx_op_def *op = node->op;
    if (op->vmap)
        return op->vmap(node, inputs, in_axes, out, out_axis);
    switch (op->id) {
    case MX_OP_reshape: return vmap_reshape(node, inputs, in_axes, out, out_axis);
    case MX_OP_transpose: return vmap_transpose(node, inputs, in_axes, out, out_axis);
    case MX_OP_broadcast_to: return vmap_broadcast_to(node, inputs, in_axes, out, out_axis);
    case MX_OP_slice: return vmap_slice(node, inputs, in_axes, out, out_axis);
    case MX_OP_concatenate: return vmap_concatenate(node, inputs, in_axes, out, out_axis);
    case MX_OP_matmul: return vmap_matmul(node, inputs, in_axes, out, out_axis);
    case MX_OP_take: return vmap_take(node, inputs, in_axes, out, out_axis);
    case MX_OP_take_along_axis: return vmap_take_along_axis(node, inputs, in_axes, out, out_axis);
    case MX_OP_argmax:
    case MX_OP_argmin: return vmap_arg_reduce(node, inputs, in_axes, out, out_axis);
    case MX_OP_softmax: return vmap_softmax(node, inputs, in_axes, out, out_axis);
    case MX_OP_random_uniform: return vmap_random_uniform(node, inputs, in_axes, out, out_axis);
    case MX_OP_random_bits:
    case MX_OP_random_normal: return mx_vmap_unrolled(node, inputs, in_axes, out, out_axis);
    /* linear algebra of the last two axes, looping over the leading ones */
    case MX_OP_inv:
    case MX_OP_tri_inv:
    case MX_OP_cholesky: return mx_vmap_leading_batch(node, inputs, in_axes, out, out_axis);
    default: break;
    }
    switch (op->family) {
    case MX_FAMILY_UNARY:
    case MX_FAMILY_BINARY:
    case MX_FAMILY_TERNARY:
    case MX_FAMILY_CAST: return mx_vmap_elementwise(node, inputs, in_axes, out, out_axis);
    case MX_FAMILY_REDUCE: return vmap_reduce(node, inputs, in_axes, out, out_axis);
    default: break;
    }
    return mx_set_error(MX_ERROR_UNSUPPORTED, "vmap: not implemented for %s", op->name);
}
