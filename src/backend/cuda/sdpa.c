/* backend/cuda/sdpa.c - glue from the scaled_dot_product_attention nodes to
 * the flash-attention kernels (sdpa.cu): operands, the CPU fallback, and the
 * row statistics the forward pass keeps for the fused backward pass.
 *
 * Row statistics: a forward node built while a transform traces
 * (mx_sdpa_params.keep_stats) saves each row's softmax max and 1 / denominator
 * ((B, Hq, Tq, 2) floats on the device) in a small table keyed by the node and
 * its output buffer (held by the table, so neither address can be reused by
 * another node while the entry lives). The backward node
 * (scaled_dot_product_attention_vjp) takes its forward node as an input, and
 * finds and takes the entry; without one (the forward ran elsewhere, or the
 * entry was pushed out) it runs the forward kernel again to get them. */
#include <pthread.h>
#include <string.h>

#include "backend/cuda/cuda_backend.h"
#include "backend/cuda/sdpa_kernels.h"
#include "core/half.h"
#include "ops/fast.h"

#define SDPA "scaled_dot_product_attention"
#define STATS_SLOTS 32

typedef struct stats_entry {
    const mx_node *forward;
    mx_buffer *buffer; /* the forward output's buffer, retained */
    void *stats;
    size_t capacity;
} stats_entry;

static struct {
    pthread_mutex_t lock;
    stats_entry slot[STATS_SLOTS];
    int next;
} g_stats = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void entry_clear(stats_entry *e) {
    if (e->buffer)
        mx_buffer_release(e->buffer);
    cuda_scratch_free(e->stats, e->capacity);
    memset(e, 0, sizeof *e);
}

static void stats_put(const mx_node *forward, void *stats, size_t capacity) {
    pthread_mutex_lock(&g_stats.lock);
    stats_entry *e = &g_stats.slot[g_stats.next];
    g_stats.next = (g_stats.next + 1) % STATS_SLOTS;
    stats_entry old = *e;
    mx_buffer_retain(forward->buffer);
    *e = (stats_entry){.forward = forward, .buffer = forward->buffer, .stats = stats, .capacity = capacity};
    pthread_mutex_unlock(&g_stats.lock);
    entry_clear(&old); /* outside the lock: releasing a buffer may call back into the backend */
}

/* The saved statistics of `forward` (taken out of the table), or NULL. */
static void *stats_take(const mx_node *forward, size_t *capacity) {
    void *stats = NULL;
    mx_buffer *held = NULL;
    pthread_mutex_lock(&g_stats.lock);
    for (int i = 0; i < STATS_SLOTS; i++) {
        stats_entry *e = &g_stats.slot[i];
        if (e->forward == forward && e->buffer && e->buffer == forward->buffer) {
            stats = e->stats;
            *capacity = e->capacity;
            held = e->buffer;
            memset(e, 0, sizeof *e);
            break;
        }
    }
    pthread_mutex_unlock(&g_stats.lock);
    if (held)
        mx_buffer_release(held);
    return stats;
}

/* ---- operands ----------------------------------------------------------------------------- */

typedef struct operand {
    const void *ptr;
    int64_t strides[4];
    void *copy;
    size_t copy_capacity;
} operand;

/* A rank-4 input's device address and element strides; for the tensor-core
 * kernels (aligned16) rows must have unit stride and start on 16 bytes,
 * else the operand is copied to a contiguous scratch array first. */
static mx_status operand_of(mx_node *n, bool aligned16, operand *o) {
    memset(o, 0, sizeof *o);
    void *p;
    mx_status st = cuda_node_ptr(n, SDPA, &p);
    if (st != MX_OK)
        return st;
    size_t item = mx_dtype_size(n->dtype);
    bool ok = true;
    if (aligned16) {
        ok = ((uintptr_t)p % 16) == 0 && (n->shape[3] <= 1 || n->strides[3] == 1);
        for (int d = 0; d < 3; d++)
            ok &= n->shape[d] <= 1 || (n->strides[d] * (int64_t)item) % 16 == 0;
    }
    if (ok) {
        o->ptr = p;
        memcpy(o->strides, n->strides, sizeof o->strides);
        return MX_OK;
    }
    size_t nbytes = (size_t)n->size * item;
    o->copy = cuda_scratch_alloc(nbytes ? nbytes : 1, SDPA, &o->copy_capacity);
    if (!o->copy)
        return mx_last_status();
    int64_t row[4];
    mx_row_strides(n->shape, 4, row);
    const int64_t *strides[2] = {row, n->strides};
    cuda_layout lay;
    int kind = cuda_collapse(n->shape, 4, strides, 2, &lay);
    if (kind < 0 || cuda_launch_cast(n->dtype, n->dtype, o->copy, p, n->size, kind ? &lay : NULL,
                                     (cuda_stream)cuda_stream_get()) < 0)
        return MX_ERROR_UNSUPPORTED;
    o->ptr = o->copy;
    memcpy(o->strides, row, sizeof row);
    return MX_OK;
}

static void operand_free(operand *o) { cuda_scratch_free(o->copy, o->copy_capacity); }

/* The inputs of a forward node (or of the backward node, whose first three
 * inputs and trailing mask / sinks are the same) as kernel arguments. */
typedef struct sdpa_operands {
    operand q, k, v, mask, sinks;
} sdpa_operands;

static bool problem_supported(const mx_node *q, const mx_node *k, const mx_node *v, mx_dtype dtype) {
    int64_t D = q->shape[3];
    return (dtype == MX_FLOAT16 || dtype == MX_BFLOAT16 || dtype == MX_FLOAT32) && v->shape[3] == D &&
           cuda_sdpa_head_dim_supported(dtype, (int)D) && k->shape[2] > 0 && k->shape[1] > 0 && q->shape[0] <= 65535 &&
           q->shape[1] <= 65535 && q->shape[2] <= INT32_MAX / 2 && k->shape[2] <= INT32_MAX / 2;
}

/* Fill a's problem and operands from inputs q, k, v [, mask] [, sinks] at
 * in[0..2] and in[mask_at], in[sinks_at] (-1: absent). */
static mx_status fill_args(const mx_sdpa_params *p, mx_dtype dtype, mx_node *const *in, int mask_at, int sinks_at,
                           cuda_sdpa_args *a, sdpa_operands *ops) {
    memset(ops, 0, sizeof *ops);
    bool half = dtype != MX_FLOAT32;
    mx_node *q = in[0], *k = in[1], *v = in[2];
    memset(a, 0, sizeof *a);
    a->dtype = dtype;
    a->B = (int)q->shape[0], a->Hq = (int)q->shape[1], a->Tq = (int)q->shape[2], a->D = (int)q->shape[3];
    a->Hkv = (int)k->shape[1], a->Tk = (int)k->shape[2];
    /* MLX multiplies by array(scale, dtype): the scale rounded to the dtype */
    a->scale = dtype == MX_FLOAT16    ? mx_f16_to_f32(mx_f32_to_f16(p->scale))
               : dtype == MX_BFLOAT16 ? mx_bf16_to_f32(mx_f32_to_bf16(p->scale))
                                      : p->scale;
    a->lowest = (float)mx_fast_lowest(dtype);
    a->causal = p->causal;
    a->mask_kind = p->mask_kind;
    mx_status st = operand_of(q, half, &ops->q);
    if (st == MX_OK)
        st = operand_of(k, half, &ops->k);
    if (st == MX_OK)
        st = operand_of(v, half, &ops->v);
    if (st == MX_OK && mask_at >= 0)
        st = operand_of(in[mask_at], false, &ops->mask);
    if (st == MX_OK && sinks_at >= 0) {
        void *sp;
        st = cuda_node_ptr(in[sinks_at], SDPA, &sp);
        ops->sinks.ptr = sp;
        a->sinks_stride = in[sinks_at]->strides[0];
    }
    if (st != MX_OK)
        return st;
    a->q = ops->q.ptr, a->k = ops->k.ptr, a->v = ops->v.ptr;
    memcpy(a->q_strides, ops->q.strides, sizeof a->q_strides);
    memcpy(a->k_strides, ops->k.strides, sizeof a->k_strides);
    memcpy(a->v_strides, ops->v.strides, sizeof a->v_strides);
    a->mask = ops->mask.ptr;
    memcpy(a->mask_strides, ops->mask.strides, sizeof a->mask_strides);
    a->sinks = ops->sinks.ptr;
    return MX_OK;
}

static void operands_free(sdpa_operands *ops) {
    operand_free(&ops->q);
    operand_free(&ops->k);
    operand_free(&ops->v);
    operand_free(&ops->mask);
}

/* ---- forward -------------------------------------------------------------------------------------- */

/* q (B, Hq, Tq, D), k, v (B, Hkv, Tk, D) [, mask (B, Hq, Tq, Tk)] [, sinks (Hq,)] -> out (B, Hq, Tq, D) */
static mx_status sdpa_forward_kernel(mx_node *out) {
    const mx_sdpa_params *p = mx_node_params(out);
    mx_node *q = out->inputs[0], *k = out->inputs[1], *v = out->inputs[2];
    if (out->size == 0 || !problem_supported(q, k, v, out->dtype))
        return mx_run_cpu_kernel(out);
    int next = 3;
    int mask_at = p->mask_kind != MX_SDPA_MASK_NONE ? next++ : -1;
    int sinks_at = p->has_sinks ? next : -1;
    cuda_kernel_begin();
    cuda_sdpa_args a;
    sdpa_operands ops;
    mx_status st = fill_args(p, out->dtype, out->inputs, mask_at, sinks_at, &a, &ops);
    if (st == MX_OK)
        st = cuda_alloc_output(out);
    void *stats = NULL;
    size_t stats_capacity = 0;
    if (st == MX_OK && p->keep_stats && out->dtype != MX_FLOAT32) {
        stats = cuda_scratch_alloc((size_t)out->size / (size_t)a.D * 2 * sizeof(float), SDPA, &stats_capacity);
        if (!stats)
            st = mx_last_status();
    }
    int rc = 0;
    if (st == MX_OK) {
        a.out = out->buffer->device_ptr;
        a.stats = stats;
        rc = cuda_launch_sdpa_forward(&a, (cuda_stream)cuda_stream_get());
    }
    operands_free(&ops);
    if (st == MX_ERROR_UNSUPPORTED || rc == -1) {
        cuda_scratch_free(stats, stats_capacity);
        return mx_run_cpu_kernel(out);
    }
    if (st == MX_OK && rc < 0)
        st = cuda_check(cudaGetLastError(), SDPA, "the forward kernel");
    if (st != MX_OK) {
        cuda_scratch_free(stats, stats_capacity);
        return st;
    }
    cuda_output_written(out);
    if (stats)
        stats_put(out, stats, stats_capacity);
    return MX_OK;
}

/* ---- backward --------------------------------------------------------------------------------------- */

/* q, k, v, out, dout [, mask] [, sinks] -> packed (|dq| + |dk| + |dv|,): dq
 * (B, Hq, Tq, D), then dk and dv (B, Hkv, Tk, D), row-contiguous. */
static mx_status sdpa_vjp_kernel(mx_node *packed) {
    const mx_sdpa_params *p = mx_node_params(packed);
    mx_node *q = packed->inputs[0], *k = packed->inputs[1], *v = packed->inputs[2];
    mx_node *fwd = packed->inputs[3], *dout = packed->inputs[4];
    mx_dtype dt = packed->dtype;
    if (dt == MX_FLOAT32 || !problem_supported(q, k, v, dt) || fwd->dtype != dt || dout->dtype != dt || q->size == 0)
        return mx_run_cpu_kernel(packed);
    int next = 5;
    int mask_at = p->mask_kind != MX_SDPA_MASK_NONE ? next++ : -1;
    int sinks_at = p->has_sinks ? next : -1;
    cuda_kernel_begin();
    cuda_sdpa_bwd_args a;
    memset(&a, 0, sizeof a);
    sdpa_operands ops;
    operand o = {0}, g = {0};
    mx_status st = fill_args(p, dt, packed->inputs, mask_at, sinks_at, &a.f, &ops);
    if (st == MX_OK)
        st = operand_of(fwd, false, &o);
    if (st == MX_OK)
        st = operand_of(dout, true, &g);
    int64_t rows = q->shape[0] * q->shape[1] * q->shape[2];
    size_t stats_capacity = 0, delta_capacity = 0, acc_capacity = 0;
    void *stats = NULL, *delta = NULL, *acc = NULL, *scratch_out = NULL;
    size_t scratch_out_capacity = 0;
    int rc = 0;
    if (st == MX_OK)
        st = cuda_alloc_output(packed);
    if (st == MX_OK && !(stats = stats_take(fwd, &stats_capacity))) {
        /* no saved statistics: run the forward kernel again for them */
        stats = cuda_scratch_alloc((size_t)rows * 2 * sizeof(float), SDPA, &stats_capacity);
        scratch_out =
            stats ? cuda_scratch_alloc((size_t)q->size * mx_dtype_size(dt), SDPA, &scratch_out_capacity) : NULL;
        if (!stats || !scratch_out)
            st = mx_last_status();
        if (st == MX_OK) {
            cuda_sdpa_args f = a.f;
            f.out = scratch_out;
            f.stats = stats;
            rc = cuda_launch_sdpa_forward(&f, (cuda_stream)cuda_stream_get());
        }
    }
    if (st == MX_OK && rc == 0) {
        delta = cuda_scratch_alloc((size_t)rows * sizeof(float), SDPA, &delta_capacity);
        acc = delta ? cuda_scratch_alloc((size_t)q->size * sizeof(float), SDPA, &acc_capacity) : NULL;
        if (!delta || !acc)
            st = mx_last_status();
    }
    if (st == MX_OK && rc == 0) {
        a.o = o.ptr, a.dout = g.ptr;
        memcpy(a.o_strides, o.strides, sizeof a.o_strides);
        memcpy(a.dout_strides, g.strides, sizeof a.dout_strides);
        a.stats = stats;
        a.delta = delta;
        a.dq_acc = acc;
        char *base = packed->buffer->device_ptr;
        size_t item = mx_dtype_size(dt);
        a.dq = base;
        a.dk = base + (size_t)q->size * item;
        a.dv = base + (size_t)(q->size + k->size) * item;
        rc = cuda_launch_sdpa_backward(&a, (cuda_stream)cuda_stream_get());
    }
    operands_free(&ops);
    operand_free(&o);
    operand_free(&g);
    cuda_scratch_free(stats, stats_capacity);
    cuda_scratch_free(scratch_out, scratch_out_capacity);
    cuda_scratch_free(delta, delta_capacity);
    cuda_scratch_free(acc, acc_capacity);
    if (st == MX_ERROR_UNSUPPORTED || rc == -1)
        return mx_run_cpu_kernel(packed);
    if (st == MX_OK && rc < 0)
        st = cuda_check(cudaGetLastError(), "scaled_dot_product_attention_vjp", "the backward kernel");
    if (st != MX_OK)
        return st;
    cuda_output_written(packed);
    return MX_OK;
}

void cuda_register_sdpa(mx_backend *b) {
    b->kernels[MX_OP_scaled_dot_product_attention] = sdpa_forward_kernel;
    b->kernels[MX_OP_scaled_dot_product_attention_vjp] = sdpa_vjp_kernel;
}
