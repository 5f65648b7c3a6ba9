/* tests/c/test_cuda_graph.c - CUDA graphs (src/backend/cuda/graph.c): runs of
 * GPU kernels recorded and replayed give the same values as without graphs
 * and as the CPU.
 *   - a chain evaluated many times with new leaf data: CPU-identical results
 *     each time (exact ops), every replay after the first an in-place update;
 *   - changed shapes, dtypes and parameters miss the cache (new graphs);
 *   - runs with a non-capturable op (take: its kernel reads an error flag
 *     back), a CPU node, and a kernel that falls back at run time (an
 *     interrupted recording) still give the right values;
 *   - outputs of earlier replays stay valid (no buffer shared with a graph);
 *   - mx_grad of an MLP on the GPU: the same bits with graphs on and off, and
 *     the CPU's values within the float32 tolerance;
 *   - GPU memory: no growth over many replays, the same peak as without.
 * Without a GPU it prints SKIP and passes. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmlx/cmlx.h"
#include "core/backend.h"
#include "cuda_parity.h"

static mx_capture_stats stats(void) {
    mx_capture_stats s = {0};
    mx_backend *gpu = mx_backend_gpu();
    if (gpu && gpu->capture_stats)
        gpu->capture_stats(&s);
    return s;
}

static void expect(const char *what, bool ok) {
    g_cases++;
    if (!ok) {
        printf("FAIL %s\n", what);
        g_failures++;
    }
}

/* 40 dependent ops that round exactly alike on both devices. */
static mx_array exact_chain(mx_array a, mx_array b) {
    mx_array y = mx_copy(a);
    for (int i = 0; i < 40; i++) {
        mx_array z = i % 4 == 0   ? mx_add(y, b)
                     : i % 4 == 1 ? mx_multiply(y, b)
                     : i % 4 == 2 ? mx_subtract(y, a)
                                  : mx_maximum(y, a);
        mx_free(y);
        y = z;
    }
    return y;
}

/* transcendental ops, a reduction and softmax: CPU within tolerance. */
static mx_array mixed_chain(mx_array a, mx_array b) {
    mx_array t = mx_tanh(a), e = mx_exp(t), s = mx_multiply(e, b), u = mx_abs(s), q = mx_sqrt(u);
    mx_array m = mx_softmax_axis(q, -1, false), r = mx_sum_axis(m, 0, true), y = mx_add(m, r);
    mx_free(t), mx_free(e), mx_free(s), mx_free(u), mx_free(q), mx_free(m), mx_free(r);
    return y;
}

typedef mx_array (*chain_fn)(mx_array, mx_array);

/* f(a_i, b) on the GPU for `iters` new leaves a_i (made on the host), all
 * outputs kept alive until the last replay and only then compared with the
 * CPU's f(a_i, b). */
static void repeated(const char *name, chain_fn f, int64_t rows, int64_t cols, mx_dtype t, double tol, int iters) {
    enum { MAX_ITERS = 24 };
    mx_array a[MAX_ITERS], gpu[MAX_ITERS], cpu[MAX_ITERS];
    mx_array b = operand(rows, cols, t, D_UNIT, L_CONTIG);
    mx_capture_stats before = stats();
    for (int i = 0; i < iters; i++) {
        on(MX_CPU); /* leaves held on the host: uploaded before each recording */
        a[i] = operand(rows, cols, t, D_ANY, i % 3 == 2 ? L_SLICED : L_CONTIG);
        on(MX_GPU);
        gpu[i] = f(a[i], b);
        mx_eval1(gpu[i]);
    }
    mx_capture_stats after = stats();
    for (int i = 0; i < iters; i++) {
        on(MX_CPU);
        cpu[i] = f(a[i], b);
        char what[128];
        snprintf(what, sizeof what, "%s %s iteration %d", name, mx_dtype_name(t), i);
        compare(what, cpu[i], gpu[i], tol, false);
    }
    /* contiguous and sliced leaves are two keys, and a chain longer than
     * MX_CAPTURE_MAX_LAUNCHES kernels is two parts: each key is recorded from
     * its second sighting, instantiated once, then updated in place */
    size_t captures = after.captures - before.captures, inst = after.instantiations - before.instantiations;
    size_t updates = after.updates - before.updates;
    char what[160];
    snprintf(what, sizeof what, "%s %s: %zu captures, %zu instantiations, %zu updates over %d evals", name,
             mx_dtype_name(t), captures, inst, updates, iters);
    expect(what, captures >= (size_t)iters - 2 && inst >= 1 && inst <= 4 && updates == captures - inst &&
                     after.interrupts == before.interrupts);
    printf("  %s\n", what);
    for (int i = 0; i < iters; i++)
        mx_free(a[i]), mx_free(gpu[i]), mx_free(cpu[i]);
    mx_free(b);
}

/* A new shape, dtype or parameter is a new key: recorded from its own second sighting. */
static void misses(void) {
    struct {
        const char *what;
        int64_t n;
        mx_dtype t;
        int axis;
    } runs[] = {{"(64, 256) float32 axis 1", 256, MX_FLOAT32, 1},
                {"(64, 512) float32 axis 1", 512, MX_FLOAT32, 1},
                {"(64, 256) float16 axis 1", 256, MX_FLOAT16, 1},
                {"(64, 256) float32 axis 0", 256, MX_FLOAT32, 0}};
    for (int r = 0; r < COUNT(runs); r++) {
        mx_capture_stats s0 = stats();
        for (int k = 0; k < 3; k++) {
            on(MX_CPU);
            mx_array x = operand(64, runs[r].n, runs[r].t, D_ANY, L_CONTIG);
            mx_array y[2];
            for (int d = 0; d < 2; d++) {
                on(d ? MX_GPU : MX_CPU);
                mx_array e = mx_exp(x), s = mx_sin(e), m = mx_multiply(s, x);
                y[d] = mx_logsumexp_axis(m, runs[r].axis, false);
                mx_free(e), mx_free(s), mx_free(m);
            }
            char what[96];
            snprintf(what, sizeof what, "miss %s pass %d", runs[r].what, k);
            compare(what, y[0], y[1], tolerance(runs[r].t) * 4, false);
            mx_free(x), mx_free(y[0]), mx_free(y[1]);
        }
        mx_capture_stats s1 = stats();
        char what[128];
        snprintf(what, sizeof what, "miss %s: new graph (%zu instantiations, %zu updates)", runs[r].what,
                 s1.instantiations - s0.instantiations, s1.updates - s0.updates);
        expect(what, s1.instantiations - s0.instantiations == 1 && s1.updates - s0.updates == 1);
    }
}

/* take (not capturable) between two capturable runs, with a CPU node inside. */
static mx_array split_by_take(mx_array x, mx_array idx, mx_device_type dev) {
    on(dev);
    mx_array a = mx_exp(x), b = mx_sin(a), c = mx_multiply(b, x);
    mx_array t = mx_take(c, idx, 0);
    mx_array e = mx_tanh(t), f = mx_add(e, t), g = mx_multiply(f, f);
    on(MX_CPU);
    mx_array h = mx_cos(g); /* a CPU node in the GPU tape */
    on(dev);
    mx_array u = mx_abs(h), v = mx_sqrt(u), y = mx_add(v, h);
    mx_free(a), mx_free(b), mx_free(c), mx_free(t), mx_free(e), mx_free(f), mx_free(g), mx_free(h);
    mx_free(u), mx_free(v);
    return y;
}

/* An add over two 10-d transposed views (more than 8 merged dims): the listed
 * binary kernel falls back to the CPU kernel at run time, which downloads its
 * inputs: the recording is interrupted there and the rest runs directly. */
static mx_array interrupted(mx_array x, mx_array unused, mx_device_type dev) {
    (void)unused;
    static const int perm[10] = {9, 7, 5, 3, 1, 8, 6, 4, 2, 0};
    on(dev);
    mx_array a = mx_exp(x), b = mx_sin(a), c = mx_multiply(b, a);
    mx_array v = mx_transpose(c, perm, 10), w = mx_transpose(b, perm, 10);
    mx_array s = mx_add(v, w);
    mx_array e = mx_tanh(s), f = mx_multiply(e, s), y = mx_add(f, e);
    mx_free(a), mx_free(b), mx_free(c), mx_free(v), mx_free(w), mx_free(s), mx_free(e), mx_free(f);
    return y;
}

typedef mx_array (*build_fn)(mx_array, mx_array, mx_device_type);

/* CPU vs GPU within tolerance (transcendental chains: a few ulps compound),
 * and the GPU with graphs on vs off bit for bit. Graphs-on last, evaluated
 * at once (the mode is read when eval runs). */
static void three_ways(const char *what, build_fn f, mx_array x, mx_array y) {
    mx_array cpu = f(x, y, MX_CPU);
    mx_gpu_set_graphs_mode(0);
    mx_array off = f(x, y, MX_GPU);
    mx_eval1(off);
    mx_gpu_set_graphs_mode(1);
    mx_array gpu = f(x, y, MX_GPU);
    mx_eval1(gpu);
    char name[128];
    snprintf(name, sizeof name, "%s: gpu vs cpu", what);
    compare(name, cpu, gpu, 1e-4, true);
    snprintf(name, sizeof name, "%s: graphs on vs off (bits)", what);
    compare(name, off, gpu, 0, false);
    mx_free(cpu), mx_free(off), mx_free(gpu);
}

static void non_capturable(void) {
    for (int k = 0; k < 3; k++) {
        on(MX_CPU);
        mx_array x = operand(32, 64, MX_FLOAT32, D_ANY, L_CONTIG);
        int32_t idx_data[5] = {3, 0, 31, 7, 7};
        mx_array idx = mx_array_from_data(idx_data, (int64_t[]){5}, 1, MX_INT32);
        three_ways("take and a CPU node inside", split_by_take, x, idx);
        mx_free(x), mx_free(idx);
    }
    mx_capture_stats s0 = stats();
    int64_t shape10[10] = {2, 3, 2, 3, 2, 3, 2, 3, 2, 3};
    for (int k = 0; k < 3; k++) {
        on(MX_CPU);
        mx_array x = random_array(shape10, 10, MX_FLOAT32, D_ANY);
        three_ways("interrupted: a 10-d view falls back mid-run", interrupted, x, x);
        mx_free(x);
    }
    mx_capture_stats s1 = stats();
    printf("  interrupted runs: %zu interrupts, %zu captures\n", s1.interrupts - s0.interrupts,
           s1.captures - s0.captures);
    expect("a fallback inside a recording interrupts it once (then the key runs directly)",
           s1.interrupts - s0.interrupts == 1 && s1.captures - s0.captures == 1);
}

/* 96 ops of period 2: three parts of MX_CAPTURE_MAX_LAUNCHES kernels with
 * the same key in one eval, so the second and third update the executable
 * graph while the launch of the one before may still run (CUDA: an update
 * takes effect at the next launch). 8 MiB operands (recorded under mode 2
 * only) keep each part busy for longer than the next one takes to record. */
static mx_array period_chain(mx_array a, mx_array b) {
    mx_array y = mx_add(a, b);
    for (int i = 1; i < 96; i++) {
        mx_array z = i % 2 ? mx_multiply(y, b) : mx_add(y, b);
        mx_free(y);
        y = z;
    }
    return y;
}

static void same_key_in_one_eval(void) {
    int64_t n = (int64_t)1 << 21;
    for (int k = 0; k < 2; k++) {
        on(MX_CPU);
        mx_array a = operand(1, n, MX_FLOAT32, D_ANY, L_CONTIG), b = operand(1, n, MX_FLOAT32, D_NEAR1, L_CONTIG);
        mx_gpu_set_graphs_mode(2);
        mx_capture_stats s0 = stats();
        on(MX_GPU);
        mx_array gpu = period_chain(a, b);
        mx_eval1(gpu);
        mx_capture_stats s1 = stats();
        mx_gpu_set_graphs_mode(1);
        on(MX_CPU);
        mx_array cpu = period_chain(a, b);
        compare("same key three times in one eval (exact ops)", cpu, gpu, 0, false);
        char what[128];
        snprintf(what, sizeof what, "same key in one eval: %zu captures, %zu updates", s1.captures - s0.captures,
                 s1.updates - s0.updates);
        expect(what, s1.captures - s0.captures == 3 && s1.updates - s0.updates >= 2);
        mx_free(a), mx_free(b), mx_free(gpu), mx_free(cpu);
    }
}

/* ---- an MLP's gradient ---------------------------------------------------------------------- */

/* inputs: w1 (64, 128), b1 (128,), w2 (128, 16), b2 (16,), x (32, 64), y (32, 16) */
static mx_status mlp_loss(void *payload, const mx_array *in, int n, mx_array_list *out) {
    (void)payload, (void)n;
    mx_array zero = mx_scalar_f32(0);
    mx_array h = mx_matmul(in[4], in[0]), hb = mx_add(h, in[1]), z = mx_maximum(hb, zero);
    mx_array o = mx_matmul(z, in[2]), ob = mx_add(o, in[3]), d = mx_subtract(ob, in[5]);
    mx_array sq = mx_square(d), loss = mx_mean(sq, false);
    mx_free(zero), mx_free(h), mx_free(hb), mx_free(z), mx_free(o), mx_free(ob), mx_free(d), mx_free(sq);
    return mx_array_list_push(out, loss);
}

static void mlp_grad(void) {
    int64_t dims[6][2] = {{64, 128}, {128, 1}, {128, 16}, {16, 1}, {32, 64}, {32, 16}};
    mx_array in[6];
    int argnums[4] = {0, 1, 2, 3};
    mx_closure f = mx_closure_new(mlp_loss, NULL, NULL), g = mx_grad(f, argnums, 4);
    for (int step = 0; step < 4; step++) {
        on(MX_CPU);
        for (int i = 0; i < 6; i++) {
            mx_array full = operand(dims[i][0], dims[i][1], MX_FLOAT32, D_UNIT, L_CONTIG);
            in[i] = dims[i][1] == 1 ? mx_reshape(full, dims[i], 1) : mx_retain(full);
            mx_free(full);
        }
        mx_array_list res[3] = {{0}, {0}, {0}}; /* cpu, gpu graphs off, gpu graphs on */
        for (int r = 0; r < 3; r++) {
            on(r ? MX_GPU : MX_CPU);
            mx_gpu_set_graphs_mode(r == 1 ? 0 : 1);
            mx_closure_apply(g, in, 6, &res[r]);
            mx_eval(res[r].items, res[r].count);
        }
        mx_gpu_set_graphs_mode(1);
        for (int k = 0; k < 4 && k < res[0].count; k++) {
            char what[96];
            snprintf(what, sizeof what, "mlp grad %d step %d: gpu vs cpu", k, step);
            compare(what, res[0].items[k], res[2].items[k], 1e-4, true);
            snprintf(what, sizeof what, "mlp grad %d step %d: graphs on vs off (bits)", k, step);
            compare(what, res[1].items[k], res[2].items[k], 0, false);
        }
        for (int r = 0; r < 3; r++)
            mx_array_list_clear(&res[r]);
        for (int i = 0; i < 6; i++)
            mx_free(in[i]);
    }
    mx_closure_free(g);
    mx_closure_free(f);
}

/* ---- memory ------------------------------------------------------------------------------------ */

static void memory(void) {
    int64_t shape[2] = {256, 1024};
    on(MX_CPU);
    mx_array b = random_array(shape, 2, MX_FLOAT32, D_UNIT);
    size_t peak[2] = {0, 0}, growth[2] = {0, 0};
    for (int mode = 0; mode < 2; mode++) {
        mx_gpu_set_graphs_mode(mode);
        on(MX_GPU);
        mx_array warm = exact_chain(b, b);
        mx_eval1(warm);
        mx_free(warm);
        mx_gpu_reset_peak_memory();
        size_t start = mx_gpu_get_active_memory();
        for (int i = 0; i < 10; i++) {
            mx_array y = exact_chain(b, b);
            mx_eval1(y);
            mx_free(y);
        }
        growth[mode] = mx_gpu_get_active_memory() - start;
        peak[mode] = mx_gpu_get_peak_memory() - start;
    }
    mx_gpu_set_graphs_mode(1);
    mx_free(b);
    char what[160];
    snprintf(what, sizeof what, "memory: active growth off/on %zu/%zu bytes, peak above start %zu/%zu", growth[0],
             growth[1], peak[0], peak[1]);
    printf("  %s\n", what);
    expect(what, growth[0] == 0 && growth[1] == 0 && peak[1] == peak[0]);
}

static void switch_off(void) {
    mx_gpu_set_graphs(false);
    mx_capture_stats s0 = stats();
    int64_t shape[1] = {4096};
    on(MX_CPU);
    mx_array b = random_array(shape, 1, MX_FLOAT32, D_UNIT);
    on(MX_GPU);
    for (int i = 0; i < 3; i++) {
        mx_array y = exact_chain(b, b);
        mx_eval1(y);
        mx_free(y);
    }
    mx_free(b);
    mx_capture_stats s1 = stats();
    expect("mx_gpu_set_graphs(false): nothing recorded", s1.captures == s0.captures);
    mx_gpu_set_graphs(true);
}

int main(void) {
    if (parity_skip("test_cuda_graph"))
        return 0;
    mx_gpu_set_graphs_mode(1);
    repeated("exact chain (1024, 1)", exact_chain, 1024, 1, MX_FLOAT32, 0, 20);
    repeated("exact chain (64, 300)", exact_chain, 64, 300, MX_FLOAT32, 0, 12);
    repeated("exact chain (64, 300)", exact_chain, 64, 300, MX_INT32, 0, 8);
    repeated("mixed chain (48, 200)", mixed_chain, 48, 200, MX_FLOAT32, 5e-5, 12);
    repeated("mixed chain (48, 200)", mixed_chain, 48, 200, MX_BFLOAT16, 2e-2, 8);
    printf("+ repeated chains: %d cases, %d failures\n", g_cases, g_failures);
    misses();
    printf("+ cache misses: %d cases, %d failures\n", g_cases, g_failures);
    non_capturable();
    printf("+ non-capturable runs: %d cases, %d failures\n", g_cases, g_failures);
    same_key_in_one_eval();
    mlp_grad();
    printf("+ mlp grad: %d cases, %d failures\n", g_cases, g_failures);
    memory();
    switch_off();
    mx_capture_stats s = stats();
    printf("graph totals: %zu captures, %zu instantiations, %zu updates, %zu launches, %zu nodes, %zu interrupts\n",
           s.captures, s.instantiations, s.updates, s.launches, s.nodes, s.interrupts);
    on(MX_CPU);
    printf("test_cuda_graph: %d cases, %d failures\n", g_cases, g_failures);
    return g_failures ? 1 : 0;
}
