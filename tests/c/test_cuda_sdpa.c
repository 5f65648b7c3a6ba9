/* tests/c/test_cuda_sdpa.c - scaled_dot_product_attention on the GPU (flash
 * forward, fused backward) against the CPU, and the CPU kernel of the fused
 * backward primitive against the composite gradient.
 *
 * Part 1 (any machine): the scaled_dot_product_attention_vjp node evaluated
 * on the CPU against mx_vjp of the forward on the CPU (the composite rule).
 * Part 2 (GPU): forward outputs and mx_vjp gradients (dq, dk, dv) with the
 * GPU as default device against the same on the CPU, for float32 / float16 /
 * bfloat16, head dims 64/80/96/128 (32: the CPU fallback), Lq = Lk and
 * Lq != Lk both ways (Lq > Lk has rows that see no key under "causal"), no
 * mask / causal / additive / boolean masks (broadcast), grouped-query heads,
 * batch and heads > 1, (B, T, H, D) transposed and strided-last-dim inputs,
 * sinks, and a function with 40 attention calls (statistics pushed out of
 * the forward's table: the backward recomputes them).
 * Tolerances: relative norm of the difference, the dtype's parity tolerance
 * (the flash kernels round P and dS to the dtype before the tensor-core
 * products, as FlashAttention does: a few units of the dtype's epsilon). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cmlx/cmlx.h"
#include "core/handle.h"
#include "cuda_parity.h"
#include "ops/fast.h"

typedef struct sdpa_fn {
    double scale;
    const char *mode;
    mx_array mask, sinks;
    int copies; /* > 1: sum of that many calls with scales scale * (1 + c / 8) */
} sdpa_fn;

static mx_status sdpa_apply(void *payload, const mx_array *in, int n, mx_array_list *out) {
    (void)n;
    const sdpa_fn *f = payload;
    mx_array y = mx_fast_scaled_dot_product_attention(in[0], in[1], in[2], f->scale, f->mode, f->mask, f->sinks);
    for (int c = 1; c < f->copies; c++) {
        mx_array z = mx_fast_scaled_dot_product_attention(in[0], in[1], in[2], f->scale * (1 + c / 8.0), f->mode,
                                                          f->mask, f->sinks);
        mx_array s = mx_add(y, z);
        mx_free(y), mx_free(z);
        y = s;
    }
    if (mx_array_status(y) != MX_OK) {
        mx_free(y);
        return MX_ERROR_VALUE;
    }
    return mx_array_list_push(out, y);
}

typedef enum { Q_CONTIG, Q_BTHD, Q_STRIDED, Q_LAYOUTS } qkv_layout;
static const char *k_layout_names[] = {"contig", "bthd", "strided"};

/* A (B, H, T, D) operand in the given layout. */
static mx_array qkv(int64_t B, int64_t H, int64_t T, int64_t D, mx_dtype t, qkv_layout l) {
    if (l == Q_BTHD) {
        mx_array base = random_array((int64_t[]){B, T, H, D}, 4, t, D_ANY);
        mx_array v = mx_transpose(base, (int[]){0, 2, 1, 3}, 4);
        mx_free(base);
        return v;
    }
    if (l == Q_STRIDED) {
        mx_array base = random_array((int64_t[]){B, H, T, 2 * D}, 4, t, D_ANY);
        mx_array v = mx_slice(base, (int64_t[]){0, 0, 0, 1}, (int64_t[]){B, H, T, 2 * D}, (int64_t[]){1, 1, 1, 2}, 4);
        mx_free(base);
        return v;
    }
    return random_array((int64_t[]){B, H, T, D}, 4, t, D_ANY);
}

typedef enum { M_NONE, M_CAUSAL, M_ADDITIVE, M_BOOL, M_KINDS } mask_kind;
static const char *k_mask_names[] = {"none", "causal", "additive", "bool"};

typedef struct problem {
    mx_dtype dtype;
    int64_t B, Hq, Hkv, Tq, Tk, D;
    mask_kind mask;
    qkv_layout layout;
    bool sinks;
    int copies;
} problem;

/* y and its gradients (dq, dk, dv) with `device` as the default device. */
static void run_problem(const problem *p, mx_array q, mx_array k, mx_array v, mx_array cot, sdpa_fn *f,
                        mx_device_type device, mx_array *y, mx_array grads[3]) {
    on(device);
    mx_closure c = mx_closure_new(sdpa_apply, f, NULL);
    mx_array_list outs = {0}, vjps = {0};
    mx_array prim[3] = {q, k, v};
    mx_status st = mx_vjp(c, prim, 3, &cot, 1, &outs, &vjps);
    if (st == MX_OK) {
        mx_array all[4] = {outs.items[0], vjps.items[0], vjps.items[1], vjps.items[2]};
        st = mx_eval(all, 4);
    }
    if (st == MX_OK) {
        *y = mx_retain(outs.items[0]);
        for (int i = 0; i < 3; i++)
            grads[i] = mx_retain(vjps.items[i]);
    } else {
        printf("FAIL %s: vjp failed: %s\n", device == MX_GPU ? "gpu" : "cpu", mx_last_error());
        *y = MX_NULL_ARRAY;
        for (int i = 0; i < 3; i++)
            grads[i] = MX_NULL_ARRAY;
    }
    mx_array_list_clear(&outs);
    mx_array_list_clear(&vjps);
    mx_closure_free(c);
    (void)p;
}

static void describe_problem(const problem *p, char *buf, size_t cap) {
    snprintf(buf, cap, "%s D%lld B%lld H%lld/%lld T%lld/%lld %s %s%s%s", mx_dtype_name(p->dtype), (long long)p->D,
             (long long)p->B, (long long)p->Hq, (long long)p->Hkv, (long long)p->Tq, (long long)p->Tk,
             k_mask_names[p->mask], k_layout_names[p->layout], p->sinks ? " sinks" : "", p->copies > 1 ? " x40" : "");
}

/* The problem's inputs, made on the CPU. */
static void make_inputs(const problem *p, mx_array *q, mx_array *k, mx_array *v, mx_array *cot, sdpa_fn *f) {
    on(MX_CPU);
    *q = qkv(p->B, p->Hq, p->Tq, p->D, p->dtype, p->layout);
    *k = qkv(p->B, p->Hkv, p->Tk, p->D, p->dtype, p->layout);
    *v = qkv(p->B, p->Hkv, p->Tk, p->D, p->dtype, p->layout);
    *cot = random_array((int64_t[]){p->B, p->Hq, p->Tq, p->D}, 4, p->dtype, D_ANY);
    memset(f, 0, sizeof *f);
    f->scale = 1.0 / sqrt((double)p->D);
    f->mode = p->mask == M_CAUSAL ? "causal" : "";
    f->copies = p->copies > 1 ? p->copies : 1;
    if (p->mask == M_ADDITIVE) /* broadcast over heads (and batch when B > 1 varies) */
        f->mask = random_array((int64_t[]){p->B, 1, p->Tq, p->Tk}, 4, p->dtype, D_ANY);
    else if (p->mask == M_BOOL) /* (Tq, Tk), broadcast over batch and heads */
        f->mask = random_array((int64_t[]){p->Tq, p->Tk}, 2, MX_BOOL, D_ANY);
    if (p->sinks)
        f->sinks = random_array((int64_t[]){p->Hq}, 1, p->dtype, D_ANY);
}

static void free_inputs(mx_array q, mx_array k, mx_array v, mx_array cot, sdpa_fn *f) {
    mx_free(q), mx_free(k), mx_free(v), mx_free(cot);
    mx_free(f->mask), mx_free(f->sinks);
}

static void gpu_case(const problem *p) {
    mx_array q, k, v, cot;
    sdpa_fn f;
    make_inputs(p, &q, &k, &v, &cot, &f);
    mx_array yc, gc[3], yg, gg[3];
    run_problem(p, q, k, v, cot, &f, MX_CPU, &yc, gc);
    run_problem(p, q, k, v, cot, &f, MX_GPU, &yg, gg);
    char name[160], what[200];
    describe_problem(p, name, sizeof name);
    double tol = tolerance(p->dtype);
    snprintf(what, sizeof what, "forward %s", name);
    compare(what, yc, yg, tol, true);
    static const char *gname[3] = {"dq", "dk", "dv"};
    for (int i = 0; i < 3; i++) {
        snprintf(what, sizeof what, "%s %s", gname[i], name);
        compare(what, gc[i], gg[i], tol, true);
    }
    mx_free(yc), mx_free(yg);
    for (int i = 0; i < 3; i++)
        mx_free(gc[i]), mx_free(gg[i]);
    free_inputs(q, k, v, cot, &f);
}

/* Part 1: the fused backward node's CPU kernel against the composite rule. */
static void cpu_kernel_case(const problem *p) {
    mx_array q, k, v, cot;
    sdpa_fn f;
    make_inputs(p, &q, &k, &v, &cot, &f);
    mx_array yc, gc[3];
    run_problem(p, q, k, v, cot, &f, MX_CPU, &yc, gc);
    /* the forward node, then the vjp node over its inputs */
    mx_array y = mx_fast_scaled_dot_product_attention(q, k, v, f.scale, f.mode, f.mask, f.sinks);
    mx_node *fwd = mx_handle_peek(y);
    mx_node *in[7] = {fwd->inputs[0], fwd->inputs[1], fwd->inputs[2], fwd, mx_handle_peek(cot)};
    int n = 5;
    for (int i = 3; i < fwd->n_inputs; i++)
        in[n++] = fwd->inputs[i];
    int64_t nq = mx_size(q), nk = mx_size(k), nv = mx_size(v), total = nq + nk + nv;
    mx_array packed = mx_handle_wrap(mx_node_new(&mx_op_scaled_dot_product_attention_vjp, mx_node_params(fwd), in, n,
                                                 (const int64_t[]){total}, 1, fwd->dtype));
    char name[160], what[200];
    describe_problem(p, name, sizeof name);
    int64_t starts[3] = {0, nq, nq + nk}, sizes[3] = {nq, nk, nv};
    mx_array shapes[3] = {q, k, v};
    static const char *gname[3] = {"dq", "dk", "dv"};
    for (int i = 0; i < 3; i++) {
        mx_array part = mx_slice(packed, (int64_t[]){starts[i]}, (int64_t[]){starts[i] + sizes[i]}, (int64_t[]){1}, 1);
        mx_array g = mx_reshape(part, mx_shape(shapes[i]), 4);
        snprintf(what, sizeof what, "cpu kernel %s %s", gname[i], name);
        compare(what, gc[i], g, tolerance(p->dtype), true);
        mx_free(part), mx_free(g);
    }
    mx_free(packed), mx_free(y), mx_free(yc);
    for (int i = 0; i < 3; i++)
        mx_free(gc[i]);
    free_inputs(q, k, v, cot, &f);
}

int main(void) {
    static const mx_dtype dtypes[] = {MX_FLOAT32, MX_FLOAT16, MX_BFLOAT16};
    /* Part 1 */
    for (int t = 0; t < COUNT(dtypes); t++)
        for (int m = 0; m < M_KINDS; m++) {
            problem p = {dtypes[t],           2,           4, 2, m == M_CAUSAL ? 23 : 19, 17, 16, (mask_kind)m,
                         (qkv_layout)(m % 3), m == M_BOOL, 1};
            cpu_kernel_case(&p);
        }
    int cpu_cases = g_cases, cpu_failures = g_failures;
    printf("cpu kernel of scaled_dot_product_attention_vjp: %d cases, %d failures\n", cpu_cases, cpu_failures);
    if (parity_skip("test_cuda_sdpa (GPU part)"))
        return cpu_failures != 0;
    printf("GPU: %s\n", mx_device_name(mx_gpu_device()));
    /* Part 2 */
    static const int64_t dims[] = {64, 128};
    static const int64_t lens[][2] = {{67, 67}, {37, 100}, {100, 37}};
    static const int64_t heads[][2] = {{4, 2}, {2, 2}};
    int index = 0;
    for (int t = 0; t < COUNT(dtypes); t++)
        for (int d = 0; d < COUNT(dims); d++)
            for (int l = 0; l < COUNT(lens); l++)
                for (int m = 0; m < M_KINDS; m++)
                    for (int h = 0; h < COUNT(heads); h++, index++) {
                        problem p = {dtypes[t],
                                     2,
                                     heads[h][0],
                                     heads[h][1],
                                     lens[l][0],
                                     lens[l][1],
                                     dims[d],
                                     (mask_kind)m,
                                     (qkv_layout)(index % 3),
                                     false,
                                     1};
                        gpu_case(&p);
                    }
    /* the other head dims, sinks, the CPU fallback (D = 32), long rows, the statistics table overflowing */
    for (int t = 1; t < COUNT(dtypes); t++) {
        for (int d = 80; d <= 96; d += 16)
            for (int m = 0; m < M_KINDS; m++) {
                problem p = {dtypes[t], 1, 3, 1, 130, 150, d, (mask_kind)m, Q_CONTIG, false, 1};
                gpu_case(&p);
            }
        problem sinks = {dtypes[t], 2, 4, 2, 50, 70, 64, M_CAUSAL, Q_BTHD, true, 1};
        gpu_case(&sinks);
        problem fallback = {dtypes[t], 1, 2, 1, 40, 40, 32, M_CAUSAL, Q_CONTIG, false, 1};
        gpu_case(&fallback);
        problem longer = {dtypes[t], 1, 2, 2, 600, 600, 128, M_CAUSAL, Q_CONTIG, false, 1};
        gpu_case(&longer);
        problem many = {dtypes[t], 1, 2, 1, 33, 33, 64, M_NONE, Q_CONTIG, false, 40};
        gpu_case(&many);
    }
    {
        problem sinks = {MX_FLOAT32, 2, 4, 2, 50, 70, 64, M_BOOL, Q_BTHD, true, 1};
        gpu_case(&sinks);
    }
    printf("%d cases, %d failures (GPU part: %d cases)\n", g_cases, g_failures, g_cases - cpu_cases);
    return g_failures != 0;
}
