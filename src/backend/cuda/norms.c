/* backend/cuda/norms.c - the glue from rms_norm, layer_norm and rope nodes
 * to their CUDA kernels (norms.cu). Operands the kernels do not take
 * directly (strided rows, a strided weight, an x whose dtype is not the
 * output's) are first brought to a row-contiguous device copy with the cast
 * kernel; combinations without a kernel run the CPU kernel. */
#include <math.h>
#include <stdlib.h>

#include "backend/cuda/cuda_backend.h"
#include "backend/cuda/norms_kernels.h"
#include "ops/fast.h"

/* x (..., L) [, w (L,)] [, b (L,)] -> out (..., L) */
static mx_status norm_kernel(mx_node *out) {
    const bool layer = out->op->id == MX_OP_layer_norm;
    const char *name = out->op->name;
    mx_node *x = out->inputs[0], *w = NULL, *b = NULL;
    float eps;
    if (layer) {
        const mx_layer_norm_params *p = mx_node_params(out);
        int next = 1;
        w = p->has_weight ? out->inputs[next++] : NULL;
        b = p->has_bias ? out->inputs[next] : NULL;
        eps = p->eps;
    } else {
        const mx_rms_norm_params *p = mx_node_params(out);
        w = p->has_weight ? out->inputs[1] : NULL;
        eps = p->eps;
    }
    if (out->size == 0)
        return mx_run_cpu_kernel(out);
    /* x as the kernel reads it: its own dtype, or widened (exactly) to a
     * float32/float64 output's dtype, as the CPU kernel converts it */
    mx_dtype x_dtype = x->dtype;
    if (x_dtype != out->dtype && (out->dtype == MX_FLOAT32 || out->dtype == MX_FLOAT64))
        x_dtype = out->dtype;
    if (x_dtype != out->dtype && x_dtype != MX_FLOAT32)
        return mx_run_cpu_kernel(out); /* no such pair (MLX's promotion never makes one) */
    cuda_scratch s[3] = {{0}};
    const void *xp = NULL, *wp = NULL, *bp = NULL;
    mx_status st = cuda_contiguous_as(x, x_dtype, 1, name, &xp, &s[0]);
    if (st == MX_OK && w)
        st = cuda_contiguous_as(w, out->dtype, 1, name, &wp, &s[1]);
    if (st == MX_OK && b)
        st = cuda_contiguous_as(b, out->dtype, 1, name, &bp, &s[2]);
    if (st == MX_OK)
        st = cuda_alloc_output(out);
    int rc = -1;
    if (st == MX_OK) {
        int64_t L = x->shape[x->ndim - 1];
        rc = cuda_launch_norm(layer, x_dtype, out->dtype, out->buffer->device_ptr, xp, wp, bp, out->size / L, L, eps,
                              (cuda_stream)cuda_stream_get());
    }
    cuda_scratch_release(s, 3);
    if (st == MX_ERROR_UNSUPPORTED)
        return mx_run_cpu_kernel(out);
    if (st != MX_OK)
        return st;
    return cuda_launch_finish(out, rc);
}

/* x (B, ..., T, D), offset (scalar or (B,)), [freqs (dims/2,)] -> out (B, ..., T, D) */
static mx_status rope_kernel(mx_node *out) {
    const mx_rope_params *p = mx_node_params(out);
    mx_node *x = out->inputs[0], *offset = out->inputs[1], *freqs = p->has_freqs ? out->inputs[2] : NULL;
    const int half = p->dims / 2;
    if (out->size == 0 || (!freqs && half > CUDA_ROPE_MAX_HALF) || offset->ndim > 1)
        return mx_run_cpu_kernel(out);
    const bool f64 = x->dtype == MX_FLOAT64;
    /* inverse frequencies without freqs: MLX's expression, evaluated here as
     * the CPU kernel does (the device's expf/logf may differ in the last bit) */
    float inv32[CUDA_ROPE_MAX_HALF];
    double inv64[CUDA_ROPE_MAX_HALF];
    if (!freqs)
        for (int k = 0; k < half; k++) {
            if (f64)
                inv64[k] = exp(-(double)k * (log((double)p->base) / half));
            else
                inv32[k] = expf((float)(-k) * (logf(p->base) / (float)half));
        }
    const int nd = x->ndim;
    const int64_t T = x->shape[nd - 2], D = x->shape[nd - 1], B = x->shape[0];
    const int64_t rows = x->size / D;
    cuda_scratch s = {0};
    const void *xp = NULL;
    void *raw = NULL, *offp = NULL, *freqp = NULL;
    cuda_layout lay;
    const cuda_layout *rows_lay = NULL;
    mx_status st = cuda_node_ptr(x, "rope", &raw);
    if (st == MX_OK) {
        xp = raw;
        if (!mx_node_is_row_contiguous(x)) {
            int kind = -1;
            if (D <= 1 || x->strides[nd - 1] == 1) { /* rows anywhere, each contiguous: read in place */
                const int64_t *strides[1] = {x->strides};
                kind = cuda_collapse(x->shape, nd - 1, strides, 1, &lay);
                if (kind == 1)
                    rows_lay = &lay;
                else if (kind == 0 && rows > 1)
                    kind = -1;
            }
            if (kind < 0) /* a strided last dim (or too many dims): a contiguous copy first */
                st = cuda_contiguous_as(x, x->dtype, 1, "rope", &xp, &s);
        }
    }
    if (st == MX_OK)
        st = cuda_node_ptr(offset, "rope", &offp);
    if (st == MX_OK && freqs)
        st = cuda_node_ptr(freqs, "rope", &freqp);
    if (st == MX_OK)
        st = cuda_alloc_output(out);
    int rc = -1;
    if (st == MX_OK) {
        bool freqs_ok = !freqs || freqs->dtype == (f64 ? MX_FLOAT64 : MX_FLOAT32);
        int64_t offset_stride = offset->size == 1 ? 0 : offset->strides[0];
        if (freqs_ok)
            rc = cuda_launch_rope(x->dtype, out->buffer->device_ptr, xp, rows_lay, rows, T, D, rows / B, p->dims,
                                  p->traditional, p->forward, p->scale,
                                  freqs ? NULL
                                  : f64 ? (void *)inv64
                                        : inv32,
                                  freqp, freqs ? freqs->strides[0] : 0, offp, offset->dtype == MX_UINT32, offset_stride,
                                  (cuda_stream)cuda_stream_get());
    }
    cuda_scratch_release(&s, 1);
    if (st == MX_ERROR_UNSUPPORTED)
        return mx_run_cpu_kernel(out);
    if (st != MX_OK)
        return st;
    return cuda_launch_finish(out, rc);
}

void cuda_register_norms(mx_backend *b) {
    b->kernels[MX_OP_rms_norm] = norm_kernel;
    b->kernels[MX_OP_layer_norm] = norm_kernel;
    b->kernels[MX_OP_rope] = rope_kernel;
}
