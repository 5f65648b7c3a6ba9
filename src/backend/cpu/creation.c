/* backend/cpu/creation.c - kernels of full, arange, linspace, eye. */
#include <string.h>

#include "backend/cpu/cpu.h"
#include "core/scalar.h"

typedef struct fill_ctx {
    char *dst;
    size_t itemsize;
    unsigned char pattern[16];
} fill_ctx;

static void fill_range(int64_t begin, int64_t end, void *vctx) {
    const fill_ctx *c = vctx;
    char *p = c->dst + begin * (int64_t)c->itemsize;
    int64_t n = end - begin;
    switch (c->itemsize) {
    case 1: memset(p, c->pattern[0], (size_t)n); break;
    case 2: {
        uint16_t v;
        memcpy(&v, c->pattern, 2);
        for (int64_t i = 0; i < n; i++)
            ((uint16_t *)p)[i] = v;
    } break;
    case 4: {
        uint32_t v;
        memcpy(&v, c->pattern, 4);
        for (int64_t i = 0; i < n; i++)
            ((uint32_t *)p)[i] = v;
    } break;
    default:
        for (int64_t i = 0; i < n; i++)
            memcpy(p + i * (int64_t)c->itemsize, c->pattern, c->itemsize);
        break;
    }
}

/* shape: out any; writes one value everywhere */
static mx_status full_kernel(mx_node *out) {
    const mx_full_params *p = mx_node_params(out);
    mx_status st = mx_node_alloc_output(out);
    if (st != MX_OK)
        return st;
    fill_ctx c = {mx_node_data(out), mx_dtype_size(out->dtype), {0}};
    if (mx_dtype_is_float(out->dtype) || out->dtype == MX_COMPLEX64)
        mx_scalar_store_f64(c.pattern, out->dtype, p->value);
    else
        mx_scalar_store_i64(c.pattern, out->dtype, p->int_value);
    cpu_parallel_for(out->size, CPU_ELEMENTWISE_GRAIN * 4, fill_range, &c);
    return MX_OK;
}

/* shape: (n,). MLX accumulates in the output type: v0 = start, v(i+1) =
 * v(i) + (T(start + step) - T(start)); matched here for identical bits. */
#define ARANGE_LOOP(T, CONV_IN, CONV_OUT)                                                                              \
    {                                                                                                                  \
        T *o = (T *)mx_node_data(out);                                                                                 \
        T start = CONV_IN(p->start), next = CONV_IN(p->start + p->step);                                               \
        T step = CONV_IN(CONV_OUT(next) - CONV_OUT(start));                                                            \
        T v = start;                                                                                                   \
        for (int64_t i = 0; i < out->size; i++) {                                                                      \
            o[i] = v;                                                                                                  \
            v = CONV_IN(CONV_OUT(v) + CONV_OUT(step));                                                                 \
        }                                                                                                              \
    }
#define ID(x) (x)
#define TO_F16(x) mx_f32_to_f16((float)(x))
#define TO_BF16(x) mx_f32_to_bf16((float)(x))

static mx_status arange_kernel(mx_node *out) {
    const mx_arange_params *p = mx_node_params(out);
    mx_status st = mx_node_alloc_output(out);
    if (st != MX_OK)
        return st;
    switch (out->dtype) {
    case MX_UINT8: ARANGE_LOOP(uint8_t, (uint8_t)(int64_t), ID) break;
    case MX_UINT16: ARANGE_LOOP(uint16_t, (uint16_t)(int64_t), ID) break;
    case MX_UINT32: ARANGE_LOOP(uint32_t, (uint32_t)(int64_t), ID) break;
    case MX_UINT64: ARANGE_LOOP(uint64_t, (uint64_t)(int64_t), ID) break;
    case MX_INT8: ARANGE_LOOP(int8_t, (int8_t)(int64_t), ID) break;
    case MX_INT16: ARANGE_LOOP(int16_t, (int16_t)(int64_t), ID) break;
    case MX_INT32: ARANGE_LOOP(int32_t, (int32_t)(int64_t), ID) break;
    case MX_INT64: ARANGE_LOOP(int64_t, (int64_t), ID) break;
    case MX_FLOAT32: ARANGE_LOOP(float, (float), ID) break;
    case MX_FLOAT64: ARANGE_LOOP(double, (double), ID) break;
    case MX_FLOAT16: ARANGE_LOOP(uint16_t, TO_F16, mx_f16_to_f32) break;
    case MX_BFLOAT16: ARANGE_LOOP(uint16_t, TO_BF16, mx_bf16_to_f32) break;
    case MX_COMPLEX64: { /* real parts as float32, imaginary parts zero */
        float *o = (float *)mx_node_data(out);
        float start = (float)p->start, step = (float)(p->start + p->step) - start, v = start;
        for (int64_t i = 0; i < out->size; i++, v += step) {
            o[2 * i] = v;
            o[2 * i + 1] = 0.0f;
        }
    } break;
    default: return mx_set_error(MX_ERROR_TYPE, "arange: %s is not supported", mx_dtype_name(out->dtype));
    }
    return MX_OK;
}

/* shape: (num,). As MLX: t = i / (num - 1), value = (1 - t) * start + t *
 * stop, computed in float64 for a float64 output and in float32 otherwise,
 * then cast to the output dtype. */
static mx_status linspace_kernel(mx_node *out) {
    const mx_linspace_params *p = mx_node_params(out);
    mx_status st = mx_node_alloc_output(out);
    if (st != MX_OK)
        return st;
    size_t size = mx_dtype_size(out->dtype);
    char *o = mx_node_data(out);
    for (int64_t i = 0; i < out->size; i++) {
        char *dst = o + i * (int64_t)size;
        if (out->dtype == MX_FLOAT64) {
            double t = out->size > 1 ? (double)i / (double)(out->size - 1) : 0.0;
            *(double *)dst = out->size > 1 ? (1.0 - t) * p->start + t * p->stop : p->start;
        } else {
            float start = (float)p->start, stop = (float)p->stop;
            float t = out->size > 1 ? (float)i / (float)(out->size - 1) : 0.0f;
            float v = out->size > 1 ? (1.0f - t) * start + t * stop : start;
            cpu_convert_run(dst, out->dtype, 0, (const char *)&v, MX_FLOAT32, 0, 1);
        }
    }
    return MX_OK;
}

/* shape: (n, m); ones where col - row == k */
static mx_status eye_kernel(mx_node *out) {
    const mx_eye_params *p = mx_node_params(out);
    mx_status st = mx_node_alloc_output(out);
    if (st != MX_OK)
        return st;
    size_t size = mx_dtype_size(out->dtype);
    char *o = mx_node_data(out);
    memset(o, 0, (size_t)out->size * size);
    unsigned char one[16];
    mx_scalar_store_f64(one, out->dtype, 1.0);
    int64_t n = out->shape[0], m = out->shape[1];
    for (int64_t r = 0; r < n; r++) {
        int64_t c = r + p->k;
        if (c >= 0 && c < m)
            memcpy(o + (r * m + c) * (int64_t)size, one, size);
    }
    return MX_OK;
}

void cpu_register_creation(mx_backend *b) {
    b->kernels[MX_OP_full] = full_kernel;
    b->kernels[MX_OP_arange] = arange_kernel;
    b->kernels[MX_OP_linspace] = linspace_kernel;
    b->kernels[MX_OP_eye] = eye_kernel;
}
