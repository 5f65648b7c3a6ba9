/* backend/cpu/strided.c - the strided element-wise driver. */
#include <string.h>

#include "backend/cpu/cpu.h"

cpu_operand cpu_operand_of(const mx_node *n) {
    return (cpu_operand){(char *)mx_node_data(n), n->strides, mx_dtype_size(n->dtype)};
}

typedef struct foreach_plan {
    int n_operands;
    int ndim;
    char *base[CPU_MAX_OPERANDS];
    int64_t shape[MX_MAX_NDIM];
    int64_t strides[CPU_MAX_OPERANDS][MX_MAX_NDIM]; /* bytes */
    cpu_run_fn fn;
    void *ctx;
} foreach_plan;

/* Drop size-1 dims and merge dim i into i+1 when every operand steps
 * through them as one contiguous dim. */
static void plan_collapse(foreach_plan *p, const cpu_operand *ops, const int64_t *shape, int ndim) {
    int out = 0;
    for (int i = 0; i < ndim; i++) {
        if (shape[i] == 1)
            continue;
        bool merge = out > 0;
        for (int k = 0; merge && k < p->n_operands; k++) {
            int64_t s = ops[k].strides[i] * (int64_t)ops[k].itemsize;
            if (p->strides[k][out - 1] != s * shape[i])
                merge = false;
        }
        if (merge) {
            p->shape[out - 1] *= shape[i];
            for (int k = 0; k < p->n_operands; k++)
                p->strides[k][out - 1] = ops[k].strides[i] * (int64_t)ops[k].itemsize;
        } else {
            p->shape[out] = shape[i];
            for (int k = 0; k < p->n_operands; k++)
                p->strides[k][out] = ops[k].strides[i] * (int64_t)ops[k].itemsize;
            out++;
        }
    }
    if (out == 0) { /* a scalar, or all dims of size 1 */
        p->shape[0] = 1;
        for (int k = 0; k < p->n_operands; k++)
            p->strides[k][0] = 0;
        out = 1;
    }
    p->ndim = out;
}

/* Walk linear indices [begin, end) in row-major order over the plan. */
static void foreach_range(int64_t begin, int64_t end, void *vctx) {
    const foreach_plan *p = vctx;
    int nd = p->ndim, last = nd - 1;
    int64_t idx[MX_MAX_NDIM];
    char *ptrs[CPU_MAX_OPERANDS];
    int64_t inner_strides[CPU_MAX_OPERANDS];
    int64_t rem = begin;
    for (int d = last; d >= 0; d--) {
        idx[d] = rem % p->shape[d];
        rem /= p->shape[d];
    }
    for (int k = 0; k < p->n_operands; k++) {
        ptrs[k] = p->base[k];
        for (int d = 0; d < nd; d++)
            ptrs[k] += idx[d] * p->strides[k][d];
        inner_strides[k] = p->strides[k][last];
    }
    int64_t pos = begin;
    while (pos < end) {
        int64_t run = p->shape[last] - idx[last];
        if (run > end - pos)
            run = end - pos;
        p->fn(ptrs, inner_strides, run, p->ctx);
        pos += run;
        if (pos >= end)
            break;
        /* advance the multi-index by `run` along the last dim, carrying */
        idx[last] += run;
        for (int k = 0; k < p->n_operands; k++)
            ptrs[k] += run * p->strides[k][last];
        for (int d = last; d > 0 && idx[d] == p->shape[d]; d--) {
            idx[d] = 0;
            idx[d - 1]++;
            for (int k = 0; k < p->n_operands; k++)
                ptrs[k] += p->strides[k][d - 1] - p->shape[d] * p->strides[k][d];
        }
    }
}

void cpu_foreach(const cpu_operand *operands, int n_operands, const int64_t *shape, int ndim, int64_t grain,
                 cpu_run_fn fn, void *ctx) {
    int64_t size = 1;
    for (int i = 0; i < ndim; i++)
        size *= shape[i];
    if (size == 0)
        return;
    foreach_plan plan;
    plan.n_operands = n_operands;
    plan.fn = fn;
    plan.ctx = ctx;
    for (int k = 0; k < n_operands; k++)
        plan.base[k] = operands[k].data;
    plan_collapse(&plan, operands, shape, ndim);
    cpu_parallel_for(size, grain, foreach_range, &plan);
}
