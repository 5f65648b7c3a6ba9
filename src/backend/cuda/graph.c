/* backend/cuda/graph.c - CUDA graphs for runs of small kernels (issue 7).
 *
 * What MLX's CUDA backend does: eval hands a run of capturable nodes to
 * capture_begin; their kernels then run exactly as without graphs on the
 * host side (allocation, donation, output buffers, detaching), but the
 * stream is in capture mode, so every launch is recorded into a cudaGraph
 * instead of being submitted. capture_end turns the recording into one
 * submission: if an executable graph is cached under the run's key, it is
 * updated in place (cudaGraphExecUpdate: same topology, new pointers and
 * parameters) and launched; otherwise (or when the update is refused) a new
 * one is instantiated. The update takes every parameter from the new
 * recording, so the key only has to find a likely match: correctness never
 * depends on it. A run is recorded from its key's second sighting on (the
 * first runs directly), so a one-off sequence never pays an instantiation.
 *
 * Everything runs on the backend's one stream, so a recording is a chain
 * with stream semantics: device blocks freed and reused inside it are safe
 * exactly as without graphs.
 *
 * What may not happen while recording, and how it is kept out:
 * - known before: eval asks `capturable(node)` for every node of a run
 *   before the run starts. Only kernels audited to enqueue nothing but
 *   device work on the stream are listed (k_capturable_ops). Not listed:
 *   ops whose CUDA kernel synchronises (take/gather/scatter read an index
 *   error flag back; dynamic slices read starts on the host), cuDNN convs
 *   (algorithm trials), ops without a GPU kernel (CPU kernels).
 * - safety net: the places of cuda_backend.c that leave the stream (upload,
 *   download, eviction, cudaFree, synchronize) call cuda_graph_interrupt()
 *   first, which ends the recording, submits what was recorded (its kernels
 *   precede the one being prepared), and lets the rest of the run go
 *   directly; the key is then never recorded again. This covers run-time
 *   fallbacks of listed kernels (e.g. `round` with decimals, a layout with
 *   more than 8 merged dims) and memory pressure.
 * Leaves whose only valid copy is on the host are uploaded before the
 * recording starts. The backend lock is held from capture_begin to
 * capture_end, so no other thread's transfer lands in a recording. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "backend/cuda/cuda_backend.h"
#include "backend/cuda/graph.h"

#define GRAPH_CACHE_SIZE 64
#define RETIRED_MAX 16

typedef struct graph_entry {
    uint64_t key;
    uint64_t last_use; /* 0: slot empty */
    cudaGraphExec_t exec;
    bool uncapturable; /* a recording of this key left the stream once */
} graph_entry;

static struct {
    graph_entry entries[GRAPH_CACHE_SIZE];
    uint64_t clock;
    bool capturing;
    graph_entry *current; /* entry of the recording in progress */
    bool interrupted;
    mx_status interrupt_status;
    /* executable graphs no longer cached but maybe still running: destroyed
     * once the stream is idle */
    cudaGraphExec_t retired[RETIRED_MAX];
    int n_retired;
    mx_capture_stats stats;
} g_graph;

static bool k_capturable_ops[MX_MAX_OPS];

static void capture_stats(mx_capture_stats *out) {
    cuda_backend_lock();
    *out = g_graph.stats;
    cuda_backend_unlock();
}

/* ---- keys ---------------------------------------------------------------------------------- */

static uint64_t mix(uint64_t h, const void *data, size_t n) {
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

/* FNV-1a over what decides the launches of each node: op, dtype, shape,
 * and its inputs' dtype/shape (plus strides/offset for the already
 * evaluated ones: layouts pick kernels). Not the params bytes: constructors
 * fill only their used part (transpose's perm has ndim entries of 32), so the
 * rest would make every key new; shapes tell most params apart, and where
 * they do not, the update takes the new parameters (or refuses a new
 * topology, and a graph is instantiated). */
static uint64_t run_key(mx_node *const *nodes, size_t n) {
    uint64_t h = 0xcbf29ce484222325ull;
    h = mix(h, &n, sizeof n);
    for (size_t k = 0; k < n; k++) {
        const mx_node *nd = nodes[k];
        int head[4] = {nd->op->id, (int)nd->dtype, nd->ndim, nd->n_inputs};
        h = mix(h, head, sizeof head);
        h = mix(h, nd->shape, (size_t)nd->ndim * sizeof *nd->shape);
        for (int i = 0; i < nd->n_inputs; i++) {
            const mx_node *in = nd->inputs[i];
            int ih[3] = {(int)in->dtype, in->ndim, mx_node_is_evaluated(in)};
            h = mix(h, ih, sizeof ih);
            h = mix(h, in->shape, (size_t)in->ndim * sizeof *in->shape);
            if (ih[2]) {
                h = mix(h, in->strides, (size_t)in->ndim * sizeof *in->strides);
                int64_t align = in->offset * (int64_t)mx_dtype_size(in->dtype) % 16;
                h = mix(h, &align, sizeof align);
            }
        }
    }
    return h;
}

/* ---- executable graphs -------------------------------------------------------------------- */

static void retire(cudaGraphExec_t exec) {
    if (g_graph.n_retired == RETIRED_MAX) {
        cudaStreamSynchronize(cuda_stream_get()); /* not recording here */
        for (int i = 0; i < g_graph.n_retired; i++)
            cudaGraphExecDestroy(g_graph.retired[i]);
        g_graph.n_retired = 0;
    }
    g_graph.retired[g_graph.n_retired++] = exec;
}

static void destroy_retired_if_idle(void) {
    if (!g_graph.n_retired)
        return;
    cudaError_t err = cudaStreamQuery(cuda_stream_get());
    if (err == cudaErrorNotReady) {
        cudaGetLastError();
        return;
    }
    for (int i = 0; i < g_graph.n_retired; i++)
        cudaGraphExecDestroy(g_graph.retired[i]);
    g_graph.n_retired = 0;
}

static graph_entry *lookup_or_insert(uint64_t key, bool *inserted) {
    graph_entry *victim = &g_graph.entries[0];
    g_graph.clock++;
    for (int i = 0; i < GRAPH_CACHE_SIZE; i++) {
        graph_entry *e = &g_graph.entries[i];
        if (e->last_use && e->key == key) {
            e->last_use = g_graph.clock;
            *inserted = false;
            return e;
        }
        if (e->last_use < victim->last_use)
            victim = e;
    }
    if (victim->exec)
        retire(victim->exec);
    *victim = (graph_entry){.key = key, .last_use = g_graph.clock};
    *inserted = true;
    return victim;
}

/* Submit a finished recording: update e's executable graph in place when it
 * has one and the update is accepted, else instantiate. e NULL: a one-off. */
static mx_status submit(cudaGraph_t graph, graph_entry *e) {
    size_t count = 0;
    cudaError_t err = cudaGraphGetNodes(graph, NULL, &count);
    if (err != cudaSuccess || count == 0)
        return cuda_check(err, "eval", "reading a CUDA graph");
    cudaGraphExec_t exec = e ? e->exec : NULL;
    if (exec) {
        cudaGraphExecUpdateResultInfo info;
        if (cudaGraphExecUpdate(exec, graph, &info) == cudaSuccess) {
            g_graph.stats.updates++;
        } else {
            cudaGetLastError();
            retire(exec);
            exec = e->exec = NULL;
        }
    }
    if (!exec) {
        err = cudaGraphInstantiate(&exec, graph, 0);
        if (err != cudaSuccess)
            return cuda_check(err, "eval", "instantiating a CUDA graph");
        g_graph.stats.instantiations++;
        if (e)
            e->exec = exec;
    }
    err = cudaGraphLaunch(exec, cuda_stream_get());
    if (!e)
        retire(exec);
    g_graph.stats.launches++;
    g_graph.stats.nodes += count;
    return cuda_check(err, "eval", "launching a CUDA graph");
}

/* End the recording in progress, if any; submit what it holds. */
static mx_status finish_recording(graph_entry *e) {
    g_graph.capturing = false;
    cudaGraph_t graph = NULL;
    cudaError_t err = cudaStreamEndCapture(cuda_stream_get(), &graph);
    mx_status st = err == cudaSuccess ? submit(graph, e) : cuda_check(err, "eval", "ending a CUDA graph capture");
    if (graph)
        cudaGraphDestroy(graph);
    return st;
}

/* Called with the backend lock held (every caller in cuda_backend.c holds
 * it), so only the recording thread can find `capturing` set. */
void cuda_graph_interrupt(void) {
    if (!g_graph.capturing)
        return;
    g_graph.stats.interrupts++;
    g_graph.interrupted = true;
    if (g_graph.current)
        g_graph.current->uncapturable = true;
    mx_status st = finish_recording(NULL);
    if (g_graph.interrupt_status == MX_OK)
        g_graph.interrupt_status = st;
}

bool cuda_graph_recording(void) { return g_graph.capturing; }

/* ---- the backend entry points --------------------------------------------------------------- */

/* Kernels long enough to hide a launch (~5 us on an H100) run directly
 * rather than in a recording: a recording reaches the GPU only when it ends,
 * so the GPU would idle while the host records; launched directly they keep
 * it busy while the host records the light kernels after them. */
#define HEAVY_FLOPS 1e8
#define HEAVY_BYTES ((double)(8 << 20))

static bool heavy(const mx_node *n) {
    int id = n->op->id;
    double out_size = (double)n->size;
    if (id == MX_OP_matmul || id == MX_OP_addmm) {
        const mx_node *a = n->inputs[id == MX_OP_addmm ? 1 : 0];
        return a->ndim && 2.0 * out_size * (double)a->shape[a->ndim - 1] >= HEAVY_FLOPS;
    }
    if (id == MX_OP_scaled_dot_product_attention || id == MX_OP_scaled_dot_product_attention_vjp) {
        const mx_node *q = n->inputs[0], *k = n->inputs[1];
        return k->ndim >= 2 && 4.0 * (double)q->size * (double)k->shape[k->ndim - 2] >= HEAVY_FLOPS;
    }
    double bytes = out_size * (double)mx_dtype_size(n->dtype);
    for (int i = 0; i < n->n_inputs; i++)
        bytes += (double)n->inputs[i]->size * (double)mx_dtype_size(n->inputs[i]->dtype);
    return bytes >= HEAVY_BYTES;
}

static bool capturable(const mx_node *n) {
    int id = n->op->id;
    if (!k_capturable_ops[id])
        return false;
    if (!n->op->view_fn && mx_gpu_graphs_mode() != 2 && heavy(n))
        return false;
    /* known CPU fallbacks of listed kernels */
    if (id == MX_OP_round && ((const mx_round_params *)mx_node_params(n))->decimals != 0)
        return false;
    if (id == MX_OP_arange && (mx_dtype_is_float(n->dtype) || n->dtype == MX_BOOL))
        return false;
    if (n->size == 0)
        return false;
    for (int i = 0; i < n->n_inputs; i++)
        if (n->inputs[i]->size == 0)
            return false;
    return true;
}

static mx_status capture_begin(mx_node *const *nodes, size_t n, bool *capturing) {
    *capturing = false;
    bool inserted;
    cuda_backend_lock();
    destroy_retired_if_idle();
    graph_entry *e = lookup_or_insert(run_key(nodes, n), &inserted);
    if ((inserted && mx_gpu_graphs_mode() != 2) || e->uncapturable) {
        cuda_backend_unlock();
        return MX_OK; /* first sighting: run directly */
    }
    /* leaves held only on the host go up now, outside the recording */
    for (size_t k = 0; k < n; k++)
        for (int i = 0; i < nodes[k]->n_inputs; i++) {
            mx_node *in = nodes[k]->inputs[i];
            if (mx_node_is_evaluated(in) && in->buffer && !(in->buffer->valid & MX_VALID_DEVICE)) {
                void *ptr;
                mx_status st = cuda_node_ptr(in, nodes[k]->op->name, &ptr);
                if (st != MX_OK) {
                    cuda_backend_unlock();
                    return st;
                }
            }
        }
    cudaError_t err = cudaStreamBeginCapture(cuda_stream_get(), cudaStreamCaptureModeRelaxed);
    if (err != cudaSuccess) {
        cudaGetLastError();
        e->uncapturable = true;
        cuda_backend_unlock();
        return MX_OK;
    }
    g_graph.capturing = true;
    g_graph.interrupted = false;
    g_graph.interrupt_status = MX_OK;
    g_graph.current = e;
    g_graph.stats.captures++;
    *capturing = true; /* the lock stays held until capture_end */
    return MX_OK;
}

static mx_status capture_end(void) {
    mx_status st = MX_OK;
    graph_entry *e = g_graph.current;
    if (g_graph.capturing)
        st = finish_recording(e);
    else if (g_graph.interrupted)
        st = g_graph.interrupt_status;
    if (st != MX_OK && e)
        e->uncapturable = true; /* this eval reports the error; later ones run directly */
    g_graph.current = NULL;
    g_graph.interrupted = false;
    g_graph.interrupt_status = MX_OK;
    cuda_backend_unlock();
    return st;
}

/* Ops whose CUDA kernels were checked to only enqueue work on the stream:
 * launches, async device-to-device copies and memsets, cuBLASLt with the
 * preallocated workspace, CUB with scratch from the allocator. Their
 * run-time CPU fallbacks are covered by the interrupt. */
static const int k_ops[] = {
    /* unary */
    MX_OP_abs, MX_OP_negative, MX_OP_sign, MX_OP_sqrt, MX_OP_rsqrt, MX_OP_square, MX_OP_reciprocal, MX_OP_exp,
    MX_OP_expm1, MX_OP_log, MX_OP_log1p, MX_OP_log2, MX_OP_log10, MX_OP_sin, MX_OP_cos, MX_OP_tan, MX_OP_arcsin,
    MX_OP_arccos, MX_OP_arctan, MX_OP_sinh, MX_OP_cosh, MX_OP_tanh, MX_OP_arcsinh, MX_OP_arccosh, MX_OP_arctanh,
    MX_OP_sigmoid, MX_OP_erf, MX_OP_erfinv, MX_OP_floor, MX_OP_ceil, MX_OP_round, MX_OP_isnan, MX_OP_isinf,
    MX_OP_isfinite, MX_OP_logical_not, MX_OP_bitwise_invert, MX_OP_degrees, MX_OP_radians,
    /* binary */
    MX_OP_add, MX_OP_subtract, MX_OP_multiply, MX_OP_divide, MX_OP_floor_divide, MX_OP_remainder, MX_OP_power,
    MX_OP_maximum, MX_OP_minimum, MX_OP_logaddexp, MX_OP_arctan2, MX_OP_equal, MX_OP_not_equal, MX_OP_greater,
    MX_OP_greater_equal, MX_OP_less, MX_OP_less_equal, MX_OP_logical_and, MX_OP_logical_or, MX_OP_bitwise_and,
    MX_OP_bitwise_or, MX_OP_bitwise_xor, MX_OP_left_shift, MX_OP_right_shift,
    /* copies, reductions, products, fused kernels */
    MX_OP_where, MX_OP_astype, MX_OP_copy, MX_OP_stop_gradient, MX_OP_sum, MX_OP_prod, MX_OP_max, MX_OP_min, MX_OP_all,
    MX_OP_any, MX_OP_argmax, MX_OP_argmin, MX_OP_mean, MX_OP_logsumexp, MX_OP_var, MX_OP_std, MX_OP_softmax,
    MX_OP_matmul, MX_OP_addmm, MX_OP_rms_norm, MX_OP_layer_norm, MX_OP_rope, MX_OP_scaled_dot_product_attention,
    MX_OP_scaled_dot_product_attention_vjp,
    /* indexing.c without the index check or host reads */
    MX_OP_slice_update, MX_OP_concatenate, MX_OP_full, MX_OP_arange, MX_OP_linspace, MX_OP_eye, MX_OP_cumsum,
    MX_OP_cumprod, MX_OP_cummax, MX_OP_cummin, MX_OP_logcumsumexp, MX_OP_sort, MX_OP_argsort, MX_OP_random_bits,
    MX_OP_random_uniform, MX_OP_random_normal,
    /* views: no device work (reshape of a view copies with the cast kernel) */
    MX_OP_reshape, MX_OP_transpose, MX_OP_broadcast_to, MX_OP_slice, MX_OP_as_strided, MX_OP_diagonal, MX_OP_view,
    MX_OP_depends};

void cuda_register_graphs(mx_backend *b) {
    for (size_t i = 0; i < sizeof k_ops / sizeof k_ops[0]; i++)
        k_capturable_ops[k_ops[i]] = true;
    b->capturable = capturable;
    b->capture_begin = capture_begin;
    b->capture_end = capture_end;
    b->capture_stats = capture_stats;
}
