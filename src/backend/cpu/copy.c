/* backend/cpu/copy.c - dtype conversion and strided copies: the kernels of
 * astype, copy, stop_gradient, and the copy behind reshape of a strided
 * view and mx_data of a view. */
#include <string.h>

#include "backend/cpu/cpu.h"

/* Loads and stores by storage type; half types compute through float. */
#define LD_NATIVE(T, p) (*(const T *)(p))
#define ST_NATIVE(T, p, v) (*(T *)(p) = (T)(v))
#define LD_F16(T, p) mx_f16_to_f32(*(const uint16_t *)(p))
#define ST_F16(T, p, v) (*(uint16_t *)(p) = mx_f32_to_f16((float)(v)))
#define LD_BF16(T, p) mx_bf16_to_f32(*(const uint16_t *)(p))
#define ST_BF16(T, p, v) (*(uint16_t *)(p) = mx_f32_to_bf16((float)(v)))
/* complex64 <- real: (v, 0); real <- complex64: the real part */
#define LD_C64(T, p) (((const float *)(p))[0])
#define ST_C64(T, p, v) (((float *)(p))[0] = (float)(v), ((float *)(p))[1] = 0.0f)

/* X(dtype enum, storage type, load, store) */
#define CPU_ALL_TYPES(X)                                                                                               \
    X(MX_BOOL, bool, LD_NATIVE, ST_NATIVE)                                                                             \
    X(MX_UINT8, uint8_t, LD_NATIVE, ST_NATIVE)                                                                         \
    X(MX_UINT16, uint16_t, LD_NATIVE, ST_NATIVE)                                                                       \
    X(MX_UINT32, uint32_t, LD_NATIVE, ST_NATIVE)                                                                       \
    X(MX_UINT64, uint64_t, LD_NATIVE, ST_NATIVE)                                                                       \
    X(MX_INT8, int8_t, LD_NATIVE, ST_NATIVE)                                                                           \
    X(MX_INT16, int16_t, LD_NATIVE, ST_NATIVE)                                                                         \
    X(MX_INT32, int32_t, LD_NATIVE, ST_NATIVE)                                                                         \
    X(MX_INT64, int64_t, LD_NATIVE, ST_NATIVE)                                                                         \
    X(MX_FLOAT16, uint16_t, LD_F16, ST_F16)                                                                            \
    X(MX_FLOAT32, float, LD_NATIVE, ST_NATIVE)                                                                         \
    X(MX_FLOAT64, double, LD_NATIVE, ST_NATIVE)                                                                        \
    X(MX_BFLOAT16, uint16_t, LD_BF16, ST_BF16)                                                                         \
    X(MX_COMPLEX64, float, LD_C64, ST_C64)

/* The same loop twice: with constant strides (vectorisable) and general. */
#define CONVERT_LOOP(DT, DST_ST, ST, SRC_LD)                                                                           \
    if (dst_stride == (int64_t)sizeof(DT) && src_stride == (int64_t)sizeof(ST)) {                                      \
        for (int64_t i = 0; i < n; i++)                                                                                \
            DST_ST(DT, dst + i * (int64_t)sizeof(DT), SRC_LD(ST, src + i * (int64_t)sizeof(ST)));                      \
    } else {                                                                                                           \
        for (int64_t i = 0; i < n; i++)                                                                                \
            DST_ST(DT, dst + i * dst_stride, SRC_LD(ST, src + i * src_stride));                                        \
    }

/* For each destination type, a function converting from every source type. */
#define MAKE_CONVERT(DENUM, DT, DST_LD, DST_ST)                                                                        \
    static void convert_to_##DENUM(char *dst, int64_t dst_stride, const char *src, mx_dtype src_dtype,                 \
                                   int64_t src_stride, int64_t n) {                                                    \
        switch (src_dtype) {                                                                                           \
        case MX_BOOL: CONVERT_LOOP(DT, DST_ST, bool, LD_NATIVE) break;                                                 \
        case MX_UINT8: CONVERT_LOOP(DT, DST_ST, uint8_t, LD_NATIVE) break;                                             \
        case MX_UINT16: CONVERT_LOOP(DT, DST_ST, uint16_t, LD_NATIVE) break;                                           \
        case MX_UINT32: CONVERT_LOOP(DT, DST_ST, uint32_t, LD_NATIVE) break;                                           \
        case MX_UINT64: CONVERT_LOOP(DT, DST_ST, uint64_t, LD_NATIVE) break;                                           \
        case MX_INT8: CONVERT_LOOP(DT, DST_ST, int8_t, LD_NATIVE) break;                                               \
        case MX_INT16: CONVERT_LOOP(DT, DST_ST, int16_t, LD_NATIVE) break;                                             \
        case MX_INT32: CONVERT_LOOP(DT, DST_ST, int32_t, LD_NATIVE) break;                                             \
        case MX_INT64: CONVERT_LOOP(DT, DST_ST, int64_t, LD_NATIVE) break;                                             \
        case MX_FLOAT16: CONVERT_LOOP(DT, DST_ST, uint16_t, LD_F16) break;                                             \
        case MX_FLOAT32: CONVERT_LOOP(DT, DST_ST, float, LD_NATIVE) break;                                             \
        case MX_FLOAT64: CONVERT_LOOP(DT, DST_ST, double, LD_NATIVE) break;                                            \
        case MX_BFLOAT16: CONVERT_LOOP(DT, DST_ST, uint16_t, LD_BF16) break;                                           \
        case MX_COMPLEX64: CONVERT_LOOP(DT, DST_ST, float, LD_C64) break;                                              \
        default: break;                                                                                                \
        }                                                                                                              \
    }
CPU_ALL_TYPES(MAKE_CONVERT)

typedef void (*convert_fn)(char *, int64_t, const char *, mx_dtype, int64_t, int64_t);
#define CONVERT_ENTRY(DENUM, DT, DST_LD, DST_ST) [DENUM] = convert_to_##DENUM,
static const convert_fn k_convert_to[MX_DTYPE_COUNT] = {CPU_ALL_TYPES(CONVERT_ENTRY)};

static void copy_c64_run(char *dst, int64_t dst_stride, const char *src, int64_t src_stride, int64_t n) {
    for (int64_t i = 0; i < n; i++)
        memcpy(dst + i * dst_stride, src + i * src_stride, 8);
}

void cpu_convert_run(char *dst, mx_dtype dst_dtype, int64_t dst_stride, const char *src, mx_dtype src_dtype,
                     int64_t src_stride, int64_t n) {
    size_t size = mx_dtype_size(dst_dtype);
    if (dst_dtype == src_dtype) {
        if (dst_stride == (int64_t)size && src_stride == (int64_t)size) {
            memcpy(dst, src, (size_t)n * size);
            return;
        }
        if (dst_dtype == MX_COMPLEX64) {
            copy_c64_run(dst, dst_stride, src, src_stride, n);
            return;
        }
    }
    if (src_dtype == MX_COMPLEX64 && dst_dtype == MX_BOOL) { /* true when either part is non-zero */
        for (int64_t i = 0; i < n; i++) {
            const float *z = (const float *)(src + i * src_stride);
            *(bool *)(dst + i * dst_stride) = z[0] != 0.0f || z[1] != 0.0f;
        }
        return;
    }
    k_convert_to[dst_dtype](dst, dst_stride, src, src_dtype, src_stride, n);
}

typedef struct copy_ctx {
    mx_dtype dst_dtype, src_dtype;
} copy_ctx;

static void copy_run(char **ptrs, const int64_t *strides, int64_t n, void *vctx) {
    const copy_ctx *c = vctx;
    cpu_convert_run(ptrs[0], c->dst_dtype, strides[0], ptrs[1], c->src_dtype, strides[1], n);
}

mx_status cpu_copy(mx_node *dst, const mx_node *src) {
    cpu_operand ops[2] = {cpu_operand_of(dst), cpu_operand_of(src)};
    copy_ctx ctx = {dst->dtype, src->dtype};
    cpu_foreach(ops, 2, dst->shape, dst->ndim, CPU_ELEMENTWISE_GRAIN, copy_run, &ctx);
    return MX_OK;
}

/* astype / copy / stop_gradient / reshape-of-a-view: out = input 0, converted. */
static mx_status copy_kernel(mx_node *out) {
    mx_node *in = out->inputs[0];
    if (in->dtype == out->dtype && mx_node_try_donate(out, 0))
        return MX_OK;
    if (mx_dtype_size(in->dtype) == mx_dtype_size(out->dtype) && mx_node_is_row_contiguous(in)) {
        /* convert in place into the donated buffer when possible */
        char *src = mx_node_data(in);
        if (mx_node_try_donate(out, 0)) {
            size_t size = mx_dtype_size(out->dtype);
            if (out->size)
                cpu_convert_run(mx_node_data(out), out->dtype, (int64_t)size, src, in->dtype, (int64_t)size, out->size);
            return MX_OK;
        }
    }
    mx_status st = mx_node_alloc_output(out);
    if (st != MX_OK)
        return st;
    /* the input may be a view with a different shape (reshape): iterate
     * over the input's shape when the element counts match but shapes don't */
    if (!mx_shape_equal(in->shape, in->ndim, out->shape, out->ndim)) {
        /* out is row-contiguous: describe it over in's shape */
        int64_t strides[MX_MAX_NDIM];
        mx_row_strides(in->shape, in->ndim, strides);
        cpu_operand ops[2] = {{(char *)mx_node_data(out), strides, mx_dtype_size(out->dtype)}, cpu_operand_of(in)};
        copy_ctx ctx = {out->dtype, in->dtype};
        cpu_foreach(ops, 2, in->shape, in->ndim, CPU_ELEMENTWISE_GRAIN, copy_run, &ctx);
        return MX_OK;
    }
    return cpu_copy(out, in);
}

void cpu_register_copy(mx_backend *b) {
    b->kernels[MX_OP_astype] = copy_kernel;
    b->kernels[MX_OP_copy] = copy_kernel;
    b->kernels[MX_OP_stop_gradient] = copy_kernel;
    b->kernels[MX_OP_reshape] = copy_kernel;
    b->copy = cpu_copy;
}
