/* ops/addmm.c - the fused addmm primitive (ops/addmm.h): made only for the
 * GPU, outside transforms; mx_addmm composes everywhere else. */
#include "ops/addmm.h"

#include "core/backend.h"
#include "core/eval.h"

const mx_op_def mx_op_addmm = {
    .name = "addmm", .id = MX_OP_addmm, .family = MX_FAMILY_OTHER, .params_size = sizeof(mx_addmm_params)};

mx_node *mx_node_addmm_fused(mx_node *c, mx_node *a, mx_node *b, double alpha, double beta, mx_dtype dtype) {
    if (mx_current_device_type() != MX_GPU_DEVICE_TYPE || mx_tracing())
        return NULL;
    mx_backend *gpu = mx_backend_gpu();
    if (!gpu || !gpu->kernels[MX_OP_addmm])
        return NULL;
    if (dtype != MX_FLOAT32 && dtype != MX_FLOAT16 && dtype != MX_BFLOAT16 && dtype != MX_FLOAT64)
        return NULL;
    if (a->dtype != dtype || b->dtype != dtype || c->dtype != dtype || a->ndim != 2 || b->ndim != 2)
        return NULL;
    int64_t m = a->shape[0], k = a->shape[1], n = b->shape[1];
    if (m == 0 || n == 0 || k == 0 || b->shape[0] != k)
        return NULL;
    bool row = (c->ndim == 1 && c->shape[0] == n) || (c->ndim == 2 && c->shape[0] == 1 && c->shape[1] == n);
    bool full = c->ndim == 2 && c->shape[0] == m && c->shape[1] == n;
    if (!row && !full)
        return NULL;
    mx_addmm_params p = {alpha, beta};
    mx_node *in[3] = {c, a, b};
    return mx_node_new(&mx_op_addmm, &p, in, 3, (const int64_t[]){m, n}, 2, dtype);
}
