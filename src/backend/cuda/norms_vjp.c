/* backend/cuda/norms_vjp.c - the glue from rms_norm_vjp and layer_norm_vjp
 * nodes (ops/fast.h) to their CUDA kernels (norms_vjp.cu). Strided operands
 * are first brought to a row-contiguous device copy with the cast kernel;
 * empty arrays and dtypes without a kernel run the CPU kernel. */
#include <stdlib.h>

#include "backend/cuda/cuda_backend.h"
#include "backend/cuda/norms_vjp_kernels.h"
#include "ops/fast.h"

/* x (..., L) [, w (L,)], g (..., L) -> flat (dx | dw | db) */
static mx_status norm_vjp_kernel(mx_node *out) {
    const mx_norm_vjp_params *p = mx_node_params(out);
    const char *name = out->op->name;
    mx_node *x = out->inputs[0], *w = p->has_weight ? out->inputs[1] : NULL, *g = out->inputs[out->n_inputs - 1];
    const int64_t L = x->shape[x->ndim - 1];
    const mx_dtype dtype = out->dtype;
    bool typed = dtype == MX_FLOAT32 || dtype == MX_FLOAT16 || dtype == MX_BFLOAT16 || dtype == MX_FLOAT64;
    if (x->size == 0 || !typed || x->dtype != dtype || g->dtype != dtype || (w && w->dtype != dtype))
        return mx_run_cpu_kernel(out); /* empty (zeros) or a dtype the rule never builds */
    const int64_t rows = x->size / L;
    const bool layer = out->op->id == MX_OP_layer_norm_vjp;
    cuda_kernel_begin(); /* x, g, w stay on the device while the output and workspace are allocated */
    cuda_scratch s[4] = {{0}};
    const void *xp = NULL, *wp = NULL, *gp = NULL;
    mx_status st = cuda_contiguous_as(x, x->dtype, 1, name, &xp, &s[0]);
    if (st == MX_OK)
        st = cuda_contiguous_as(g, g->dtype, 1, name, &gp, &s[1]);
    if (st == MX_OK && w)
        st = cuda_contiguous_as(w, w->dtype, 1, name, &wp, &s[2]);
    if (st == MX_OK)
        st = cuda_alloc_output(out);
    int rc = -1;
    if (st == MX_OK) {
        void *o = out->buffer->device_ptr;
        size_t bytes = 0;
        cuda_stream stream = (cuda_stream)cuda_stream_get();
        rc = cuda_launch_norm_vjp(layer, dtype, o, xp, wp, gp, rows, L, p->eps, p->want_dw, p->want_db, NULL, &bytes,
                                  stream);
        if (rc == 0 && bytes) {
            s[3].ptr = cuda_scratch_alloc(bytes, name, &s[3].capacity);
            if (!s[3].ptr)
                st = mx_last_status();
        }
        if (rc == 0 && st == MX_OK)
            rc = cuda_launch_norm_vjp(layer, dtype, o, xp, wp, gp, rows, L, p->eps, p->want_dw, p->want_db,
                                      s[3].ptr ? s[3].ptr : o /* none needed */, &bytes, stream);
    }
    cuda_scratch_release(s, 4);
    if (st == MX_ERROR_UNSUPPORTED)
        return mx_run_cpu_kernel(out);
    return st != MX_OK ? st : cuda_launch_finish(out, rc);
}

void cuda_register_norms_vjp(mx_backend *b) {
    b->kernels[MX_OP_rms_norm_vjp] = norm_vjp_kernel;
    b->kernels[MX_OP_layer_norm_vjp] = norm_vjp_kernel;
}
