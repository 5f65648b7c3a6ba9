/* backend/cuda/conv.c - the conv family (ops/conv.h) on the GPU through
 * cuDNN: its backend (graph) API first, the legacy API (cudnnConvolution*)
 * as fallback; channels-last (NHWC / NDHWC) tensors as MLX stores them.
 *
 * Shapes (d = 1..3 spatial dims; cuDNN gets at least 2, so a 1-D conv is a
 * 2-D one over a leading spatial dim of 1):
 *   x (N, S..., C_in), w (C_out, K..., C_in / G), out (N, O..., C_out)
 *
 * Which cuDNN call runs a node:
 *   - conv with input dilation 1: cudnnConvolutionForward, padding lo on
 *     both sides when cuDNN's output size with it is ours (symmetric
 *     padding, or a hi that changes no output); flip: CUDNN_CONVOLUTION mode.
 *   - conv with input dilation D > 1 and stride 1 (the input gradient of a
 *     strided conv, transposed convs): cudnnConvolutionBackwardData of the
 *     conv it is the gradient of (stride D, padding (K-1)*kdil - lo, the
 *     weight's channels transposed back per group) when that conv's sizes
 *     match; the zeros of the dilation then cost nothing.
 *   - conv_weight_grad: cudnnConvolutionBackwardFilter.
 *   - anything else (asymmetric or negative padding that changes the
 *     output, input dilation with a stride, strided views): the operand is
 *     first written dilated/padded/cropped into a contiguous scratch copy
 *     (conv.cu) and cuDNN runs with zero padding.
 * float32 (FMA math: no TF32 unless mx_gpu_set_tf32), float16 and bfloat16
 * (tensor cores, float32 accumulation: the CPU kernel's rounding, once).
 * float64 and sizes past cuDNN's 32-bit dims run the CPU kernel. Each
 * cuDNN problem (dnn_problem: also the operands' alignment) gets a graph-API
 * plan on first sight (heuristic engines filtered by numerical notes, see
 * engine_excluded), cached; a problem no engine takes runs the legacy API
 * (its _v7 heuristic ranking, remembered per problem). Debugging knobs:
 * CMLX_CUDNN_API=legacy, CMLX_CUDNN_VERBOSE, CMLX_CUDNN_AUTOTUNE,
 * CMLX_CUDNN_ALLOW_REDUCED, CMLX_CUDNN_NO_BWD_DATA (docs/cuda.md "## conv").
 * Without cuDNN (CMLX_HAVE_CUDNN unset) nothing is registered and conv runs
 * the CPU kernel. */
#include "backend/cuda/cuda_backend.h"

#ifdef CMLX_HAVE_CUDNN

#include <cudnn.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/cuda/conv_kernels.h"
#include "ops/conv.h"

static const size_t k_workspace_limit = (size_t)1 << 30;

enum { DNN_FWD, DNN_BWD_DATA, DNN_BWD_FILTER };

/* One cuDNN call's problem, dims in cuDNN's order (N, C, spatial...). The
 * key of the algorithm cache: compared bytewise, so always zeroed first. */
typedef struct dnn_problem {
    int kind;
    int ns; /* spatial dims given to cuDNN: 2 or 3 */
    int dtype;
    int x[5], w[5], y[5]; /* forward input, filter (K, C/G, k...), forward output */
    int pad[3], stride[3], dil[3];
    int groups;
    int mode; /* cudnnConvolutionMode_t */
    int tf32;
    int align[3]; /* byte alignment (<= 16) of the x, w, y addresses: engines may assume it */
} dnn_problem;

typedef struct dnn_choice {
    int algo;
    int math; /* cudnnMathType_t */
} dnn_choice;

#define DNN_CACHE_SIZE 256
static struct {
    cudnnHandle_t handle;
    int state; /* 0 untried, 1 ready, -1 unusable */
    bool reported;
    dnn_problem keys[DNN_CACHE_SIZE];
    dnn_choice choices[DNN_CACHE_SIZE];
    int count, next;
    /* debugging knobs, read once (docs/cuda.md "## conv") */
    bool legacy;        /* CMLX_CUDNN_API=legacy: the legacy API only */
    bool verbose;       /* CMLX_CUDNN_VERBOSE: one line per new problem (engine, notes, workspace) */
    bool autotune;      /* CMLX_CUDNN_AUTOTUNE: time the first few engines of a new problem */
    bool allow_reduced; /* CMLX_CUDNN_ALLOW_REDUCED: keep reduced-precision-reduction engines */
    bool no_bwd_data;   /* CMLX_CUDNN_NO_BWD_DATA: input-dilated convs take the padded route */
} g_dnn;

static bool env_flag(const char *name) {
    const char *v = getenv(name);
    return v && *v && strcmp(v, "0") != 0;
}

static bool dnn_ready(void) {
    if (g_dnn.state == 0) {
        const char *api = getenv("CMLX_CUDNN_API");
        g_dnn.legacy = api && strcmp(api, "legacy") == 0;
        g_dnn.verbose = env_flag("CMLX_CUDNN_VERBOSE");
        g_dnn.autotune = env_flag("CMLX_CUDNN_AUTOTUNE");
        g_dnn.allow_reduced = env_flag("CMLX_CUDNN_ALLOW_REDUCED");
        g_dnn.no_bwd_data = env_flag("CMLX_CUDNN_NO_BWD_DATA");
        cudnnStatus_t s = cudnnCreate(&g_dnn.handle);
        if (s == CUDNN_STATUS_SUCCESS)
            s = cudnnSetStream(g_dnn.handle, cuda_stream_get());
        g_dnn.state = s == CUDNN_STATUS_SUCCESS ? 1 : -1;
        if (s != CUDNN_STATUS_SUCCESS)
            fprintf(stderr, "cmlx: cuDNN could not start (%s); convolutions run on the CPU\n", cudnnGetErrorString(s));
    }
    return g_dnn.state == 1;
}

static void report_once(const char *op, const char *what, cudnnStatus_t s) {
    if (g_dnn.reported)
        return;
    g_dnn.reported = true;
    fprintf(stderr, "cmlx: %s: cuDNN failed in %s (%s); this conv runs on the CPU (reported once)\n", op, what,
            cudnnGetErrorString(s));
}

static bool fits_int(int64_t v) { return v >= 0 && v <= INT_MAX; }

static cudnnDataType_t dnn_type(int dtype) {
    return dtype == MX_FLOAT16 ? CUDNN_DATA_HALF : dtype == MX_BFLOAT16 ? CUDNN_DATA_BFLOAT16 : CUDNN_DATA_FLOAT;
}

/* The math type every algorithm runs with for p (float32 without TF32:
 * FMA only), or -1 to take each algorithm's own. */
static int forced_math(const dnn_problem *p) {
    if (p->dtype == MX_FLOAT32)
        return p->tf32 ? CUDNN_DEFAULT_MATH : CUDNN_FMA_MATH;
    return -1;
}

typedef struct dnn_descs {
    cudnnTensorDescriptor_t x, y;
    cudnnFilterDescriptor_t w;
    cudnnConvolutionDescriptor_t conv;
} dnn_descs;

static void descs_free(dnn_descs *d) {
    if (d->x)
        cudnnDestroyTensorDescriptor(d->x);
    if (d->y)
        cudnnDestroyTensorDescriptor(d->y);
    if (d->w)
        cudnnDestroyFilterDescriptor(d->w);
    if (d->conv)
        cudnnDestroyConvolutionDescriptor(d->conv);
}

/* Descriptors of p; CUDNN_STATUS_BAD_PARAM when cuDNN's forward output size
 * differs from p->y (the caller then takes another route). */
static cudnnStatus_t descs_make(const dnn_problem *p, dnn_descs *d) {
    memset(d, 0, sizeof *d);
    int nd = p->ns + 2;
    cudnnDataType_t dt = dnn_type(p->dtype);
    cudnnStatus_t s = cudnnCreateTensorDescriptor(&d->x);
    if (s == CUDNN_STATUS_SUCCESS)
        s = cudnnCreateTensorDescriptor(&d->y);
    if (s == CUDNN_STATUS_SUCCESS)
        s = cudnnCreateFilterDescriptor(&d->w);
    if (s == CUDNN_STATUS_SUCCESS)
        s = cudnnCreateConvolutionDescriptor(&d->conv);
    if (s == CUDNN_STATUS_SUCCESS)
        s = cudnnSetTensorNdDescriptorEx(d->x, CUDNN_TENSOR_NHWC, dt, nd, p->x);
    if (s == CUDNN_STATUS_SUCCESS)
        s = cudnnSetTensorNdDescriptorEx(d->y, CUDNN_TENSOR_NHWC, dt, nd, p->y);
    if (s == CUDNN_STATUS_SUCCESS)
        s = cudnnSetFilterNdDescriptor(d->w, dt, CUDNN_TENSOR_NHWC, nd, p->w);
    if (s == CUDNN_STATUS_SUCCESS)
        s = cudnnSetConvolutionNdDescriptor(d->conv, p->ns, p->pad, p->stride, p->dil, (cudnnConvolutionMode_t)p->mode,
                                            CUDNN_DATA_FLOAT);
    if (s == CUDNN_STATUS_SUCCESS)
        s = cudnnSetConvolutionGroupCount(d->conv, p->groups);
    if (s == CUDNN_STATUS_SUCCESS) {
        int fm = forced_math(p);
        s = cudnnSetConvolutionMathType(d->conv, fm >= 0 ? (cudnnMathType_t)fm : CUDNN_TENSOR_OP_MATH);
    }
    if (s == CUDNN_STATUS_SUCCESS) {
        int out[5];
        s = cudnnGetConvolutionNdForwardOutputDim(d->conv, d->x, d->w, nd, out);
        if (s == CUDNN_STATUS_SUCCESS && memcmp(out, p->y, (size_t)nd * sizeof(int)) != 0)
            s = CUDNN_STATUS_BAD_PARAM;
    }
    return s;
}

#define DNN_MAX_CANDIDATES 16
typedef struct dnn_candidates {
    int n;
    dnn_choice c[DNN_MAX_CANDIDATES];
} dnn_candidates;

/* FFT and Winograd algorithms transform the operands at the storage
 * precision: for float16/bfloat16 they are skipped (the CPU kernel rounds
 * once from a float32 sum; the graph path excludes them the same way).
 * float32 keeps them (within 1e-5 of the CPU). */
static bool lossy_algorithm(const dnn_problem *p, int algo) {
    if (p->dtype == MX_FLOAT32)
        return false;
    if (p->kind == DNN_FWD)
        return algo == CUDNN_CONVOLUTION_FWD_ALGO_FFT || algo == CUDNN_CONVOLUTION_FWD_ALGO_FFT_TILING ||
               algo == CUDNN_CONVOLUTION_FWD_ALGO_WINOGRAD || algo == CUDNN_CONVOLUTION_FWD_ALGO_WINOGRAD_NONFUSED;
    if (p->kind == DNN_BWD_DATA)
        return algo == CUDNN_CONVOLUTION_BWD_DATA_ALGO_FFT || algo == CUDNN_CONVOLUTION_BWD_DATA_ALGO_FFT_TILING ||
               algo == CUDNN_CONVOLUTION_BWD_DATA_ALGO_WINOGRAD ||
               algo == CUDNN_CONVOLUTION_BWD_DATA_ALGO_WINOGRAD_NONFUSED;
    return algo == CUDNN_CONVOLUTION_BWD_FILTER_ALGO_FFT || algo == CUDNN_CONVOLUTION_BWD_FILTER_ALGO_FFT_TILING ||
           algo == CUDNN_CONVOLUTION_BWD_FILTER_ALGO_WINOGRAD_NONFUSED;
}

/* cuDNN's heuristic ranking for p, best first, only algorithms it says can
 * run (and, for the half types, no lossy_algorithm). */
static cudnnStatus_t rank_algorithms(const dnn_problem *p, const dnn_descs *d, dnn_candidates *out) {
    out->n = 0;
    int found = 0;
    cudnnStatus_t s;
    if (p->kind == DNN_FWD) {
        cudnnConvolutionFwdAlgoPerf_t perf[DNN_MAX_CANDIDATES];
        s = cudnnGetConvolutionForwardAlgorithm_v7(g_dnn.handle, d->x, d->w, d->conv, d->y, DNN_MAX_CANDIDATES, &found,
                                                   perf);
        for (int i = 0; s == CUDNN_STATUS_SUCCESS && i < found; i++)
            if (perf[i].status == CUDNN_STATUS_SUCCESS && perf[i].memory <= k_workspace_limit &&
                !lossy_algorithm(p, (int)perf[i].algo))
                out->c[out->n++] = (dnn_choice){(int)perf[i].algo, (int)perf[i].mathType};
    } else if (p->kind == DNN_BWD_DATA) {
        cudnnConvolutionBwdDataAlgoPerf_t perf[DNN_MAX_CANDIDATES];
        s = cudnnGetConvolutionBackwardDataAlgorithm_v7(g_dnn.handle, d->w, d->y, d->conv, d->x, DNN_MAX_CANDIDATES,
                                                        &found, perf);
        for (int i = 0; s == CUDNN_STATUS_SUCCESS && i < found; i++)
            if (perf[i].status == CUDNN_STATUS_SUCCESS && perf[i].memory <= k_workspace_limit &&
                !lossy_algorithm(p, (int)perf[i].algo))
                out->c[out->n++] = (dnn_choice){(int)perf[i].algo, (int)perf[i].mathType};
    } else {
        cudnnConvolutionBwdFilterAlgoPerf_t perf[DNN_MAX_CANDIDATES];
        s = cudnnGetConvolutionBackwardFilterAlgorithm_v7(g_dnn.handle, d->x, d->y, d->conv, d->w, DNN_MAX_CANDIDATES,
                                                          &found, perf);
        for (int i = 0; s == CUDNN_STATUS_SUCCESS && i < found; i++)
            if (perf[i].status == CUDNN_STATUS_SUCCESS && perf[i].memory <= k_workspace_limit &&
                !lossy_algorithm(p, (int)perf[i].algo))
                out->c[out->n++] = (dnn_choice){(int)perf[i].algo, (int)perf[i].mathType};
    }
    if (s == CUDNN_STATUS_SUCCESS && out->n == 0)
        s = CUDNN_STATUS_NOT_SUPPORTED;
    return s;
}

static cudnnStatus_t workspace_size(const dnn_problem *p, const dnn_descs *d, int algo, size_t *bytes) {
    if (p->kind == DNN_FWD)
        return cudnnGetConvolutionForwardWorkspaceSize(g_dnn.handle, d->x, d->w, d->conv, d->y,
                                                       (cudnnConvolutionFwdAlgo_t)algo, bytes);
    if (p->kind == DNN_BWD_DATA)
        return cudnnGetConvolutionBackwardDataWorkspaceSize(g_dnn.handle, d->w, d->y, d->conv, d->x,
                                                            (cudnnConvolutionBwdDataAlgo_t)algo, bytes);
    return cudnnGetConvolutionBackwardFilterWorkspaceSize(g_dnn.handle, d->x, d->y, d->conv, d->w,
                                                          (cudnnConvolutionBwdFilterAlgo_t)algo, bytes);
}

/* The call itself: FWD y = conv(x, w); BWD_DATA x = conv^T(y, w);
 * BWD_FILTER w = dW(x, y). */
static cudnnStatus_t execute(const dnn_problem *p, const dnn_descs *d, int algo, void *x, void *w, void *y, void *ws,
                             size_t ws_bytes) {
    const float one = 1.0f, zero = 0.0f;
    if (p->kind == DNN_FWD)
        return cudnnConvolutionForward(g_dnn.handle, &one, d->x, x, d->w, w, d->conv, (cudnnConvolutionFwdAlgo_t)algo,
                                       ws, ws_bytes, &zero, d->y, y);
    if (p->kind == DNN_BWD_DATA)
        return cudnnConvolutionBackwardData(g_dnn.handle, &one, d->w, w, d->y, y, d->conv,
                                            (cudnnConvolutionBwdDataAlgo_t)algo, ws, ws_bytes, &zero, d->x, x);
    return cudnnConvolutionBackwardFilter(g_dnn.handle, &one, d->x, x, d->y, y, d->conv,
                                          (cudnnConvolutionBwdFilterAlgo_t)algo, ws, ws_bytes, &zero, d->w, w);
}

static int cache_find(const dnn_problem *p) {
    for (int i = 0; i < g_dnn.count; i++)
        if (memcmp(&g_dnn.keys[i], p, sizeof *p) == 0)
            return i;
    return -1;
}

static void cache_store(const dnn_problem *p, dnn_choice c) {
    int i = cache_find(p);
    if (i < 0) {
        i = g_dnn.count < DNN_CACHE_SIZE ? g_dnn.count++ : g_dnn.next;
        g_dnn.next = (i + 1) % DNN_CACHE_SIZE;
        g_dnn.keys[i] = *p;
    }
    g_dnn.choices[i] = c;
}

/* Run p over device pointers: the remembered algorithm first, then cuDNN's
 * ranking. MX_ERROR_UNSUPPORTED (no error set) when cuDNN cannot run it. */
static mx_status dnn_run(const dnn_problem *p, const dnn_descs *d, void *x, void *w, void *y, const char *op) {
    dnn_candidates cands = {0};
    int hit = cache_find(p);
    if (hit >= 0) {
        cands.n = 1;
        cands.c[0] = g_dnn.choices[hit];
    }
    cudnnStatus_t s = CUDNN_STATUS_NOT_SUPPORTED;
    const char *what = "choosing an algorithm";
    for (int round = hit >= 0 ? 0 : 1; round < 2; round++) {
        if (round == 1) {
            s = rank_algorithms(p, d, &cands);
            if (s != CUDNN_STATUS_SUCCESS)
                break;
        }
        for (int i = 0; i < cands.n; i++) {
            int fm = forced_math(p);
            s = cudnnSetConvolutionMathType(d->conv, (cudnnMathType_t)(fm >= 0 ? fm : cands.c[i].math));
            size_t ws_bytes = 0, ws_capacity = 0;
            void *ws = NULL;
            what = "the workspace size";
            if (s == CUDNN_STATUS_SUCCESS)
                s = workspace_size(p, d, cands.c[i].algo, &ws_bytes);
            if (s != CUDNN_STATUS_SUCCESS || ws_bytes > k_workspace_limit)
                continue;
            if (ws_bytes) {
                ws = cuda_scratch_alloc(ws_bytes, op, &ws_capacity);
                if (!ws)
                    return mx_last_status();
            }
            what = "the convolution";
            s = execute(p, d, cands.c[i].algo, x, w, y, ws, ws_bytes);
            cuda_scratch_free(ws, ws_capacity);
            if (s == CUDNN_STATUS_SUCCESS) {
                cache_store(p, cands.c[i]);
                cudaError_t err = cudaGetLastError();
                return err == cudaSuccess ? MX_OK : cuda_check(err, op, "a cuDNN kernel");
            }
        }
    }
    report_once(op, what, s);
    return MX_ERROR_UNSUPPORTED;
}

/* ---- cuDNN's backend (graph) API ------------------------------------------------------------------ */
/* The path every problem tries first: one convolution node in an operation
 * graph, engines ranked by cuDNN's heuristics (mode INSTANT, then FALLBACK:
 * what PyTorch's cuDNN v8/v9 path uses), filtered by their numerical notes,
 * and the finalized execution plan cached per problem, so a call that hits
 * the cache costs one variant pack and cudnnBackendExecute. On Hopper the
 * legacy API's _v7 heuristics pick older kernels (2-12x slower, docs/cuda.md)
 * and cannot exclude reduced-precision reductions. A problem no engine
 * takes runs through the legacy API below. */

/* Engines excluded for p: precision lost where the CPU kernel rounds once
 * from a float32 (float64) accumulator. Half types: FFT and Winograd
 * transforms and reductions in reduced precision (allowed with
 * CMLX_CUDNN_ALLOW_REDUCED) and down-converted inputs; float32 without TF32:
 * tensor cores (TF32) and down-converted inputs. */
static bool engine_excluded(const dnn_problem *p, const cudnnBackendNumericalNote_t *notes, int64_t n) {
    for (int64_t i = 0; i < n; i++) {
        switch (notes[i]) {
        case CUDNN_NUMERICAL_NOTE_DOWN_CONVERT_INPUTS: return true;
        case CUDNN_NUMERICAL_NOTE_TENSOR_CORE:
            if (p->dtype == MX_FLOAT32 && !p->tf32)
                return true;
            break;
        case CUDNN_NUMERICAL_NOTE_REDUCED_PRECISION_REDUCTION:
            if (!g_dnn.allow_reduced)
                return true;
            break;
        case CUDNN_NUMERICAL_NOTE_FFT:
        case CUDNN_NUMERICAL_NOTE_WINOGRAD:
        case CUDNN_NUMERICAL_NOTE_WINOGRAD_TILE_4x4:
        case CUDNN_NUMERICAL_NOTE_WINOGRAD_TILE_6x6:
        case CUDNN_NUMERICAL_NOTE_WINOGRAD_TILE_13x13:
            if (p->dtype != MX_FLOAT32)
                return true;
            break;
        default: break;
        }
    }
    return false;
}

/* A cached plan and every descriptor it was built from (kept alive with it). */
typedef struct dnn_graph {
    cudnnBackendDescriptor_t tensors[3], conv, op, graph, cfg, plan;
    int64_t workspace;
    int64_t engine; /* cuDNN's global engine index, -1 when no engine took the problem */
} dnn_graph;

#define GRAPH_CACHE_SIZE 256
static struct {
    dnn_problem keys[GRAPH_CACHE_SIZE];
    dnn_graph graphs[GRAPH_CACHE_SIZE];
    int count, next;
} g_graphs;

static void graph_free(dnn_graph *g) {
    cudnnBackendDescriptor_t all[8] = {g->plan, g->cfg,        g->graph,      g->op,
                                       g->conv, g->tensors[0], g->tensors[1], g->tensors[2]};
    for (int i = 0; i < 8; i++)
        if (all[i])
            cudnnBackendDestroyDescriptor(all[i]);
    memset(g, 0, sizeof *g);
    g->engine = -1;
}

#define BE_SET(desc, name, type, count, ptr)                                                                           \
    do {                                                                                                               \
        if (s == CUDNN_STATUS_SUCCESS)                                                                                 \
            s = cudnnBackendSetAttribute(desc, name, type, count, ptr);                                                \
    } while (0)

/* A channels-last tensor with cuDNN dims (N, C, spatial...): C innermost,
 * then the spatial dims, the last fastest, then N. A filter (K, C/G, k...)
 * is laid out the same way (MLX's (C_out, K..., C_in/G)). */
static cudnnStatus_t graph_tensor(int64_t uid, cudnnDataType_t dt, int nd, const int *dims, int64_t align,
                                  cudnnBackendDescriptor_t *t) {
    int64_t d[5], st[5], acc;
    for (int k = 0; k < nd; k++)
        d[k] = dims[k];
    st[1] = 1;
    acc = d[1];
    for (int k = nd - 1; k >= 2; k--) {
        st[k] = acc;
        acc *= d[k];
    }
    st[0] = acc;
    cudnnStatus_t s = cudnnBackendCreateDescriptor(CUDNN_BACKEND_TENSOR_DESCRIPTOR, t);
    BE_SET(*t, CUDNN_ATTR_TENSOR_DATA_TYPE, CUDNN_TYPE_DATA_TYPE, 1, &dt);
    BE_SET(*t, CUDNN_ATTR_TENSOR_DIMENSIONS, CUDNN_TYPE_INT64, nd, d);
    BE_SET(*t, CUDNN_ATTR_TENSOR_STRIDES, CUDNN_TYPE_INT64, nd, st);
    BE_SET(*t, CUDNN_ATTR_TENSOR_UNIQUE_ID, CUDNN_TYPE_INT64, 1, &uid);
    BE_SET(*t, CUDNN_ATTR_TENSOR_BYTE_ALIGNMENT, CUDNN_TYPE_INT64, 1, &align);
    if (s == CUDNN_STATUS_SUCCESS)
        s = cudnnBackendFinalize(*t);
    return s;
}

/* The operation graph of p (tensor uids 1 = x, 2 = w, 3 = y in forward-conv
 * naming: dx/dy/dw for the backward kinds). */
static cudnnStatus_t graph_build(const dnn_problem *p, dnn_graph *g) {
    cudnnDataType_t dt = dnn_type(p->dtype), comp = CUDNN_DATA_FLOAT;
    int nd = p->ns + 2;
    const int *dims[3] = {p->x, p->w, p->y};
    cudnnStatus_t s = CUDNN_STATUS_SUCCESS;
    for (int i = 0; i < 3 && s == CUDNN_STATUS_SUCCESS; i++)
        s = graph_tensor(i + 1, dt, nd, dims[i], p->align[i], &g->tensors[i]);
    if (s == CUDNN_STATUS_SUCCESS)
        s = cudnnBackendCreateDescriptor(CUDNN_BACKEND_CONVOLUTION_DESCRIPTOR, &g->conv);
    int64_t ns = p->ns, pad[3], stride[3], dil[3];
    for (int j = 0; j < p->ns; j++) {
        pad[j] = p->pad[j];
        stride[j] = p->stride[j];
        dil[j] = p->dil[j];
    }
    cudnnConvolutionMode_t mode = (cudnnConvolutionMode_t)p->mode;
    BE_SET(g->conv, CUDNN_ATTR_CONVOLUTION_COMP_TYPE, CUDNN_TYPE_DATA_TYPE, 1, &comp);
    BE_SET(g->conv, CUDNN_ATTR_CONVOLUTION_CONV_MODE, CUDNN_TYPE_CONVOLUTION_MODE, 1, &mode);
    BE_SET(g->conv, CUDNN_ATTR_CONVOLUTION_SPATIAL_DIMS, CUDNN_TYPE_INT64, 1, &ns);
    BE_SET(g->conv, CUDNN_ATTR_CONVOLUTION_DILATIONS, CUDNN_TYPE_INT64, ns, dil);
    BE_SET(g->conv, CUDNN_ATTR_CONVOLUTION_FILTER_STRIDES, CUDNN_TYPE_INT64, ns, stride);
    BE_SET(g->conv, CUDNN_ATTR_CONVOLUTION_PRE_PADDINGS, CUDNN_TYPE_INT64, ns, pad);
    BE_SET(g->conv, CUDNN_ATTR_CONVOLUTION_POST_PADDINGS, CUDNN_TYPE_INT64, ns, pad);
    if (s == CUDNN_STATUS_SUCCESS)
        s = cudnnBackendFinalize(g->conv);
    static const cudnnBackendDescriptorType_t op_type[3] = {
        CUDNN_BACKEND_OPERATION_CONVOLUTION_FORWARD_DESCRIPTOR,
        CUDNN_BACKEND_OPERATION_CONVOLUTION_BACKWARD_DATA_DESCRIPTOR,
        CUDNN_BACKEND_OPERATION_CONVOLUTION_BACKWARD_FILTER_DESCRIPTOR};
    /* per kind: alpha, beta, conv, x, w, y attributes */
    static const cudnnBackendAttributeName_t attrs[3][6] = {
        {CUDNN_ATTR_OPERATION_CONVOLUTION_FORWARD_ALPHA, CUDNN_ATTR_OPERATION_CONVOLUTION_FORWARD_BETA,
         CUDNN_ATTR_OPERATION_CONVOLUTION_FORWARD_CONV_DESC, CUDNN_ATTR_OPERATION_CONVOLUTION_FORWARD_X,
         CUDNN_ATTR_OPERATION_CONVOLUTION_FORWARD_W, CUDNN_ATTR_OPERATION_CONVOLUTION_FORWARD_Y},
        {CUDNN_ATTR_OPERATION_CONVOLUTION_BWD_DATA_ALPHA, CUDNN_ATTR_OPERATION_CONVOLUTION_BWD_DATA_BETA,
         CUDNN_ATTR_OPERATION_CONVOLUTION_BWD_DATA_CONV_DESC, CUDNN_ATTR_OPERATION_CONVOLUTION_BWD_DATA_DX,
         CUDNN_ATTR_OPERATION_CONVOLUTION_BWD_DATA_W, CUDNN_ATTR_OPERATION_CONVOLUTION_BWD_DATA_DY},
        {CUDNN_ATTR_OPERATION_CONVOLUTION_BWD_FILTER_ALPHA, CUDNN_ATTR_OPERATION_CONVOLUTION_BWD_FILTER_BETA,
         CUDNN_ATTR_OPERATION_CONVOLUTION_BWD_FILTER_CONV_DESC, CUDNN_ATTR_OPERATION_CONVOLUTION_BWD_FILTER_X,
         CUDNN_ATTR_OPERATION_CONVOLUTION_BWD_FILTER_DW, CUDNN_ATTR_OPERATION_CONVOLUTION_BWD_FILTER_DY}};
    const float one = 1.0f, zero = 0.0f;
    if (s == CUDNN_STATUS_SUCCESS)
        s = cudnnBackendCreateDescriptor(op_type[p->kind], &g->op);
    BE_SET(g->op, attrs[p->kind][0], CUDNN_TYPE_FLOAT, 1, &one);
    BE_SET(g->op, attrs[p->kind][1], CUDNN_TYPE_FLOAT, 1, &zero);
    BE_SET(g->op, attrs[p->kind][2], CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &g->conv);
    for (int i = 0; i < 3; i++)
        BE_SET(g->op, attrs[p->kind][3 + i], CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &g->tensors[i]);
    if (s == CUDNN_STATUS_SUCCESS)
        s = cudnnBackendFinalize(g->op);
    if (s == CUDNN_STATUS_SUCCESS)
        s = cudnnBackendCreateDescriptor(CUDNN_BACKEND_OPERATIONGRAPH_DESCRIPTOR, &g->graph);
    BE_SET(g->graph, CUDNN_ATTR_OPERATIONGRAPH_OPS, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &g->op);
    BE_SET(g->graph, CUDNN_ATTR_OPERATIONGRAPH_HANDLE, CUDNN_TYPE_HANDLE, 1, &g_dnn.handle);
    if (s == CUDNN_STATUS_SUCCESS)
        s = cudnnBackendFinalize(g->graph);
    return s;
}

/* A finalized plan of engine config cfg, its workspace size. */
static cudnnStatus_t plan_make(cudnnBackendDescriptor_t cfg, cudnnBackendDescriptor_t *plan, int64_t *workspace) {
    cudnnStatus_t s = cudnnBackendCreateDescriptor(CUDNN_BACKEND_EXECUTION_PLAN_DESCRIPTOR, plan);
    BE_SET(*plan, CUDNN_ATTR_EXECUTION_PLAN_HANDLE, CUDNN_TYPE_HANDLE, 1, &g_dnn.handle);
    BE_SET(*plan, CUDNN_ATTR_EXECUTION_PLAN_ENGINE_CONFIG, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &cfg);
    if (s == CUDNN_STATUS_SUCCESS)
        s = cudnnBackendFinalize(*plan);
    int64_t n = 0;
    *workspace = 0;
    if (s == CUDNN_STATUS_SUCCESS)
        s = cudnnBackendGetAttribute(*plan, CUDNN_ATTR_EXECUTION_PLAN_WORKSPACE_SIZE, CUDNN_TYPE_INT64, 1, &n,
                                     workspace);
    if (s != CUDNN_STATUS_SUCCESS && *plan) {
        cudnnBackendDestroyDescriptor(*plan);
        *plan = NULL;
    }
    return s;
}

static cudnnStatus_t plan_execute(cudnnBackendDescriptor_t plan, void *x, void *w, void *y, void *ws) {
    cudnnBackendDescriptor_t vp = NULL;
    int64_t uids[3] = {1, 2, 3};
    void *ptrs[3] = {x, w, y};
    cudnnStatus_t s = cudnnBackendCreateDescriptor(CUDNN_BACKEND_VARIANT_PACK_DESCRIPTOR, &vp);
    BE_SET(vp, CUDNN_ATTR_VARIANT_PACK_UNIQUE_IDS, CUDNN_TYPE_INT64, 3, uids);
    BE_SET(vp, CUDNN_ATTR_VARIANT_PACK_DATA_POINTERS, CUDNN_TYPE_VOID_PTR, 3, ptrs);
    BE_SET(vp, CUDNN_ATTR_VARIANT_PACK_WORKSPACE, CUDNN_TYPE_VOID_PTR, 1, &ws);
    if (s == CUDNN_STATUS_SUCCESS)
        s = cudnnBackendFinalize(vp);
    if (s == CUDNN_STATUS_SUCCESS)
        s = cudnnBackendExecute(g_dnn.handle, plan, vp);
    if (vp)
        cudnnBackendDestroyDescriptor(vp);
    return s;
}

/* The engine of an engine config: its global index, whether p excludes it,
 * whether it compiles kernels at run time (NVRTC: seconds per plan). */
static cudnnStatus_t engine_info(const dnn_problem *p, cudnnBackendDescriptor_t cfg, int64_t *index, bool *excluded,
                                 bool *runtime_compiled, unsigned *note_bits) {
    cudnnBackendDescriptor_t engine = NULL;
    cudnnStatus_t s = cudnnBackendCreateDescriptor(CUDNN_BACKEND_ENGINE_DESCRIPTOR, &engine);
    int64_t n = 0;
    if (s == CUDNN_STATUS_SUCCESS)
        s = cudnnBackendGetAttribute(cfg, CUDNN_ATTR_ENGINECFG_ENGINE, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &n, &engine);
    cudnnBackendNumericalNote_t notes[CUDNN_NUMERICAL_NOTE_TYPE_COUNT];
    cudnnBackendBehaviorNote_t behaviour[CUDNN_BEHAVIOR_NOTE_TYPE_COUNT];
    int64_t nnotes = 0, nbehaviour = 0;
    *index = -1;
    if (s == CUDNN_STATUS_SUCCESS)
        s = cudnnBackendGetAttribute(engine, CUDNN_ATTR_ENGINE_GLOBAL_INDEX, CUDNN_TYPE_INT64, 1, &n, index);
    if (s == CUDNN_STATUS_SUCCESS)
        s = cudnnBackendGetAttribute(engine, CUDNN_ATTR_ENGINE_NUMERICAL_NOTE, CUDNN_TYPE_NUMERICAL_NOTE,
                                     CUDNN_NUMERICAL_NOTE_TYPE_COUNT, &nnotes, notes);
    if (s == CUDNN_STATUS_SUCCESS)
        s = cudnnBackendGetAttribute(engine, CUDNN_ATTR_ENGINE_BEHAVIOR_NOTE, CUDNN_TYPE_BEHAVIOR_NOTE,
                                     CUDNN_BEHAVIOR_NOTE_TYPE_COUNT, &nbehaviour, behaviour);
    if (engine)
        cudnnBackendDestroyDescriptor(engine);
    *excluded = s != CUDNN_STATUS_SUCCESS || engine_excluded(p, notes, nnotes);
    *runtime_compiled = false;
    for (int64_t i = 0; s == CUDNN_STATUS_SUCCESS && i < nbehaviour; i++)
        *runtime_compiled |= behaviour[i] == CUDNN_BEHAVIOR_NOTE_RUNTIME_COMPILATION;
    *note_bits = 0;
    for (int64_t i = 0; s == CUDNN_STATUS_SUCCESS && i < nnotes; i++)
        *note_bits |= 1u << (unsigned)notes[i];
    return s;
}

/* times[k]: the best of a few runs of plans[k] in milliseconds (-1 when it
 * fails), timed in interleaved rounds after one warm-up each, so the GPU's
 * clock ramp at a process's start does not favour the later candidates; a
 * candidate 4x slower than the best so far is not run again. */
static void plans_time(const cudnnBackendDescriptor_t *plans, const int64_t *workspace, int n, void *x, void *w,
                       void *y, const char *op, float *times) {
    int64_t most = 0;
    for (int k = 0; k < n; k++)
        most = workspace[k] > most ? workspace[k] : most;
    size_t cap = 0;
    void *ws = most ? cuda_scratch_alloc((size_t)most, op, &cap) : NULL;
    cudaEvent_t start = NULL, stop = NULL;
    cudaStream_t stream = cuda_stream_get();
    bool ok = (!most || ws) && cudaEventCreate(&start) == cudaSuccess && cudaEventCreate(&stop) == cudaSuccess;
    for (int k = 0; k < n; k++)
        times[k] = ok && plan_execute(plans[k], x, w, y, ws) == CUDNN_STATUS_SUCCESS ? 0 : -1;
    float best = -1;
    for (int round = 0; ok && round < 5; round++) {
        for (int k = 0; k < n; k++) {
            if (times[k] < 0 || (round > 0 && best > 0 && times[k] > 4 * best))
                continue;
            float ms = 0;
            cudaEventRecord(start, stream);
            cudnnStatus_t s = plan_execute(plans[k], x, w, y, ws);
            cudaEventRecord(stop, stream);
            if (s != CUDNN_STATUS_SUCCESS || cudaEventSynchronize(stop) != cudaSuccess ||
                cudaEventElapsedTime(&ms, start, stop) != cudaSuccess) {
                times[k] = -1;
                continue;
            }
            times[k] = round == 0 || ms < times[k] ? ms : times[k];
            best = best < 0 || times[k] < best ? times[k] : best;
        }
    }
    cudaGetLastError();
    if (start)
        cudaEventDestroy(start);
    if (stop)
        cudaEventDestroy(stop);
    cuda_scratch_free(ws, cap);
}

#define GRAPH_MAX_CONFIGS 64
#define GRAPH_TUNE_CANDIDATES 4

/* Build g's plan: the first engine (heuristics INSTANT, then FALLBACK;
 * engines that compile at run time only when no other finalizes) that p
 * does not exclude, whose plan finalizes within the workspace limit; with
 * CMLX_CUDNN_AUTOTUNE the fastest of the first few such engines, timed on
 * the call's own operands (every kind overwrites its output: beta = 0). */
static void graph_choose(const dnn_problem *p, dnn_graph *g, void *x, void *w, void *y, const char *op) {
    cudnnBackendDescriptor_t kept_cfg[GRAPH_TUNE_CANDIDATES] = {0}, kept_plan[GRAPH_TUNE_CANDIDATES] = {0};
    int64_t kept_ws[GRAPH_TUNE_CANDIDATES] = {0}, kept_engine[GRAPH_TUNE_CANDIDATES] = {0};
    unsigned kept_notes[GRAPH_TUNE_CANDIDATES] = {0};
    int nkept = 0, want = g_dnn.autotune ? GRAPH_TUNE_CANDIDATES : 1;
    static const cudnnBackendHeurMode_t modes[2] = {CUDNN_HEUR_MODE_INSTANT, CUDNN_HEUR_MODE_FALLBACK};
    for (int pass = 0; pass < 2 && nkept < want; pass++) {
        for (int m = 0; m < 2 && nkept < want; m++) {
            cudnnBackendDescriptor_t heur = NULL, cfgs[GRAPH_MAX_CONFIGS] = {0};
            cudnnBackendHeurMode_t mode = modes[m];
            int64_t count = 0;
            cudnnStatus_t s = cudnnBackendCreateDescriptor(CUDNN_BACKEND_ENGINEHEUR_DESCRIPTOR, &heur);
            BE_SET(heur, CUDNN_ATTR_ENGINEHEUR_OPERATION_GRAPH, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &g->graph);
            BE_SET(heur, CUDNN_ATTR_ENGINEHEUR_MODE, CUDNN_TYPE_HEUR_MODE, 1, &mode);
            if (s == CUDNN_STATUS_SUCCESS)
                s = cudnnBackendFinalize(heur);
            if (s == CUDNN_STATUS_SUCCESS)
                s = cudnnBackendGetAttribute(heur, CUDNN_ATTR_ENGINEHEUR_RESULTS, CUDNN_TYPE_BACKEND_DESCRIPTOR, 0,
                                             &count, NULL);
            if (count > GRAPH_MAX_CONFIGS)
                count = GRAPH_MAX_CONFIGS;
            int64_t made = 0;
            while (s == CUDNN_STATUS_SUCCESS && made < count) {
                s = cudnnBackendCreateDescriptor(CUDNN_BACKEND_ENGINECFG_DESCRIPTOR, &cfgs[made]);
                if (s == CUDNN_STATUS_SUCCESS)
                    made++;
            }
            int64_t got = 0;
            if (s == CUDNN_STATUS_SUCCESS && made > 0)
                s = cudnnBackendGetAttribute(heur, CUDNN_ATTR_ENGINEHEUR_RESULTS, CUDNN_TYPE_BACKEND_DESCRIPTOR, made,
                                             &got, cfgs);
            for (int64_t i = 0; s == CUDNN_STATUS_SUCCESS && i < got && nkept < want; i++) {
                int64_t index;
                bool excluded, rtc;
                unsigned bits;
                if (engine_info(p, cfgs[i], &index, &excluded, &rtc, &bits) != CUDNN_STATUS_SUCCESS || excluded ||
                    rtc != (pass == 1))
                    continue;
                bool seen = false;
                for (int k = 0; k < nkept; k++)
                    seen |= kept_engine[k] == index;
                cudnnBackendDescriptor_t plan = NULL;
                int64_t ws = 0;
                if (seen || plan_make(cfgs[i], &plan, &ws) != CUDNN_STATUS_SUCCESS)
                    continue;
                if (ws < 0 || (uint64_t)ws > k_workspace_limit) {
                    cudnnBackendDestroyDescriptor(plan);
                    continue;
                }
                kept_cfg[nkept] = cfgs[i];
                cfgs[i] = NULL; /* kept: not destroyed below */
                kept_plan[nkept] = plan;
                kept_ws[nkept] = ws;
                kept_engine[nkept] = index;
                kept_notes[nkept] = bits;
                nkept++;
            }
            for (int64_t i = 0; i < made; i++)
                if (cfgs[i])
                    cudnnBackendDestroyDescriptor(cfgs[i]);
            if (heur)
                cudnnBackendDestroyDescriptor(heur);
        }
    }
    int best = nkept ? 0 : -1;
    float times[GRAPH_TUNE_CANDIDATES] = {0};
    if (nkept > 1) {
        plans_time(kept_plan, kept_ws, nkept, x, w, y, op, times);
        best = -1;
        for (int k = 0; k < nkept; k++)
            if (times[k] >= 0 && (best < 0 || times[k] < times[best]))
                best = k;
    }
    for (int k = 0; k < nkept; k++) {
        if (k == best)
            continue;
        cudnnBackendDestroyDescriptor(kept_plan[k]);
        cudnnBackendDestroyDescriptor(kept_cfg[k]);
    }
    if (g_dnn.verbose) {
        static const char *kinds[3] = {"fwd", "bwd_data", "bwd_filter"};
        fprintf(stderr,
                "cmlx cudnn: %s %s x(%d,%d,%d,%d,%d) w(%d,%d,%d,%d,%d) y(%d,%d,%d,%d,%d) pad(%d,%d,%d) "
                "stride(%d,%d,%d) dil(%d,%d,%d) mode %d align(%d,%d,%d): ",
                kinds[p->kind], mx_dtype_name((mx_dtype)p->dtype), p->x[0], p->x[1], p->x[2], p->x[3], p->x[4], p->w[0],
                p->w[1], p->w[2], p->w[3], p->w[4], p->y[0], p->y[1], p->y[2], p->y[3], p->y[4], p->pad[0], p->pad[1],
                p->pad[2], p->stride[0], p->stride[1], p->stride[2], p->dil[0], p->dil[1], p->dil[2], p->mode,
                p->align[0], p->align[1], p->align[2]);
        if (best < 0)
            fprintf(stderr, "no engine (legacy API)\n");
        else
            fprintf(stderr, "engine %lld notes 0x%x workspace %lld of %d candidates%s\n", (long long)kept_engine[best],
                    kept_notes[best], (long long)kept_ws[best], nkept, nkept > 1 ? " (timed)" : "");
        for (int k = 0; nkept > 1 && k < nkept; k++)
            fprintf(stderr, "    engine %lld: %.4f ms\n", (long long)kept_engine[k], times[k]);
    }
    if (best >= 0) {
        g->cfg = kept_cfg[best];
        g->plan = kept_plan[best];
        g->workspace = kept_ws[best];
        g->engine = kept_engine[best];
    }
}

/* The cached graph of p, built (and its engine chosen) on first sight. */
static dnn_graph *graph_lookup(const dnn_problem *p, void *x, void *w, void *y, const char *op) {
    for (int i = 0; i < g_graphs.count; i++)
        if (memcmp(&g_graphs.keys[i], p, sizeof *p) == 0)
            return &g_graphs.graphs[i];
    int i = g_graphs.count < GRAPH_CACHE_SIZE ? g_graphs.count++ : g_graphs.next;
    g_graphs.next = (i + 1) % GRAPH_CACHE_SIZE;
    dnn_graph *g = &g_graphs.graphs[i];
    if (g->plan || g->graph || g->tensors[0])
        graph_free(g);
    memset(g, 0, sizeof *g);
    g->engine = -1;
    g_graphs.keys[i] = *p;
    if (graph_build(p, g) == CUDNN_STATUS_SUCCESS)
        graph_choose(p, g, x, w, y, op);
    else if (g_dnn.verbose)
        fprintf(stderr, "cmlx cudnn: kind %d %s: the operation graph did not finalize (legacy API)\n", p->kind,
                mx_dtype_name((mx_dtype)p->dtype));
    if (!g->plan) { /* keep only the verdict */
        graph_free(g);
    }
    return g;
}

static int address_alignment(const void *ptr) {
    uintptr_t a = (uintptr_t)ptr;
    int align = 16;
    while (align > 1 && a % (uintptr_t)align != 0)
        align /= 2;
    return align;
}

/* Shape check without descriptors: cuDNN's forward output size of p (its
 * formula: 1 + (in + 2 pad - ((k - 1) dil + 1)) / stride) is p->y, and the
 * channels agree. */
static bool problem_valid(const dnn_problem *p) {
    if (p->groups < 1 || p->x[0] != p->y[0] || p->x[1] != p->w[1] * p->groups || p->y[1] != p->w[0] ||
        p->w[0] % p->groups != 0)
        return false;
    for (int j = 0; j < p->ns; j++) {
        int64_t extent = (int64_t)(p->w[2 + j] - 1) * p->dil[j] + 1, span = (int64_t)p->x[2 + j] + 2 * p->pad[j];
        if (p->pad[j] < 0 || p->stride[j] < 1 || p->dil[j] < 1 || span < extent ||
            1 + (span - extent) / p->stride[j] != p->y[2 + j])
            return false;
    }
    return true;
}

/* Run p over device pointers (forward-conv naming: x, w, y; see graph_build):
 * the graph API's cached plan, else the legacy API. MX_ERROR_UNSUPPORTED
 * (no error set) when neither can run it. */
static mx_status dnn_execute(const dnn_problem *p0, void *x, void *w, void *y, const char *op) {
    dnn_problem p = *p0;
    p.align[0] = address_alignment(x);
    p.align[1] = address_alignment(w);
    p.align[2] = address_alignment(y);
    if (!g_dnn.legacy) {
        dnn_graph *g = graph_lookup(&p, x, w, y, op);
        if (g->plan) {
            size_t cap = 0;
            void *ws = g->workspace ? cuda_scratch_alloc((size_t)g->workspace, op, &cap) : NULL;
            if (g->workspace && !ws)
                return mx_last_status();
            cudnnStatus_t s = plan_execute(g->plan, x, w, y, ws);
            cuda_scratch_free(ws, cap);
            if (s == CUDNN_STATUS_SUCCESS) {
                cudaError_t err = cudaGetLastError();
                return err == cudaSuccess ? MX_OK : cuda_check(err, op, "a cuDNN kernel");
            }
            if (g_dnn.verbose)
                fprintf(stderr, "cmlx cudnn: engine %lld failed to run (%s); legacy API from now on\n",
                        (long long)g->engine, cudnnGetErrorString(s));
            graph_free(g); /* the verdict stays: this problem takes the legacy API */
        }
    }
    dnn_descs d;
    cudnnStatus_t s = descs_make(&p, &d);
    mx_status st = MX_ERROR_UNSUPPORTED;
    if (s == CUDNN_STATUS_SUCCESS)
        st = dnn_run(&p, &d, x, w, y, op);
    else
        report_once(op, "the descriptors", s);
    descs_free(&d);
    return st;
}

/* ---- geometry ------------------------------------------------------------------------------------ */

/* A node's channels-last shape and strides with the spatial dims padded to 3
 * (leading size-1 dims): [0] batch, [1..3] spatial, [4] channels. */
typedef struct chl {
    int64_t shape[5], strides[5];
} chl;

static chl chl_of(const mx_node *n, int d) {
    chl c;
    c.shape[0] = n->shape[0];
    c.strides[0] = n->strides[0];
    for (int j = 0; j < 3; j++) {
        int s = j - (3 - d);
        c.shape[1 + j] = s >= 0 ? n->shape[1 + s] : 1;
        c.strides[1 + j] = s >= 0 ? n->strides[1 + s] : 0;
    }
    c.shape[4] = n->shape[d + 1];
    c.strides[4] = n->strides[d + 1];
    return c;
}

/* The conv params padded to 3 spatial dims as chl_of pads shapes. */
typedef struct params3 {
    int stride[3], lo[3], hi[3], kdil[3], idil[3];
} params3;

static params3 params3_of(const mx_conv_params *p) {
    params3 q;
    int d = p->nspatial;
    for (int j = 0; j < 3; j++) {
        int s = j - (3 - d);
        q.stride[j] = s >= 0 ? p->stride[s] : 1;
        q.lo[j] = s >= 0 ? p->pad_lo[s] : 0;
        q.hi[j] = s >= 0 ? p->pad_hi[s] : 0;
        q.kdil[j] = s >= 0 ? p->kernel_dilation[s] : 1;
        q.idil[j] = s >= 0 ? p->input_dilation[s] : 1;
    }
    return q;
}

static bool chl_contiguous(const chl *c) {
    int64_t expect = 1;
    for (int k = 4; k >= 0; k--) {
        if (c->shape[k] != 1 && c->strides[k] != expect)
            return false;
        expect *= c->shape[k];
    }
    return true;
}

/* cuDNN dims (N, C, spatial...) of a channels-last 5-entry shape, the last ns
 * spatial dims; false when one does not fit an int or the tensor has more
 * than INT_MAX elements (the legacy API's limit). */
static bool dnn_dims(const int64_t *shape5, int ns, int *out) {
    int64_t total = 1;
    for (int k = 0; k < 5; k++)
        total *= shape5[k];
    if (!fits_int(total))
        return false;
    out[0] = (int)shape5[0];
    out[1] = (int)shape5[4];
    for (int j = 0; j < ns; j++)
        out[2 + j] = (int)shape5[1 + (3 - ns) + j];
    return true;
}

/* The padded route's plan: x (channels-last 5-entry shape) dilated by the
 * input dilation and padded (or cropped) by lo/hi becomes `padded` (lo3,
 * dil3: how to build it), and pb describes cuDNN's problem on it without
 * padding. false when a size is empty or does not fit, or cuDNN's output
 * shape differs. */
static bool plan_padded(const params3 *q, const int64_t *x_shape5, int ns, dnn_problem *pb, int64_t padded[5],
                        int64_t lo3[3], int64_t dil3[3]) {
    bool sizes_ok = true;
    padded[0] = x_shape5[0];
    padded[4] = x_shape5[4];
    for (int j = 0; j < 3; j++) {
        int64_t len = (x_shape5[1 + j] - 1) * q->idil[j] + 1 + q->lo[j] + q->hi[j];
        sizes_ok &= len >= 1;
        padded[1 + j] = len;
        lo3[j] = q->lo[j];
        dil3[j] = q->idil[j];
    }
    memset(pb->pad, 0, sizeof pb->pad);
    return sizes_ok && dnn_dims(padded, ns, pb->x) && problem_valid(pb);
}

/* A contiguous scratch copy of channels-last operand c (device address src)
 * with the spatial dims dilated by dil, shifted by lo and cut to `out`. */
static mx_status materialize(const chl *c, const void *src, size_t itemsize, const int64_t *out, const int64_t *lo,
                             const int64_t *dil, const char *op, void **dst, size_t *capacity) {
    cuda_conv_pad g = {.n = c->shape[0], .c = c->shape[4], .stride_n = c->strides[0], .stride_c = c->strides[4]};
    int64_t total = g.n * g.c;
    for (int j = 0; j < 3; j++) {
        g.in[j] = c->shape[1 + j];
        g.out[j] = out[j];
        g.lo[j] = lo[j];
        g.dil[j] = dil[j];
        g.stride_s[j] = c->strides[1 + j];
        total *= out[j];
    }
    *dst = cuda_scratch_alloc((size_t)(total ? total : 1) * itemsize, op, capacity);
    if (!*dst)
        return mx_last_status();
    if (cuda_launch_conv_pad(itemsize, *dst, src, &g, (cuda_stream)cuda_stream_get()) < 0)
        return MX_ERROR_UNSUPPORTED;
    cudaError_t err = cudaGetLastError();
    return err == cudaSuccess ? MX_OK : cuda_check(err, op, "the conv padding kernel");
}

/* A contiguous view (itself) or copy of c. */
static mx_status contiguous(const chl *c, void *src, size_t itemsize, const char *op, void **dst, size_t *capacity) {
    *capacity = 0;
    if (chl_contiguous(c)) {
        *dst = src;
        return MX_OK;
    }
    const int64_t out[3] = {c->shape[1], c->shape[2], c->shape[3]}, lo[3] = {0, 0, 0}, dil[3] = {1, 1, 1};
    return materialize(c, src, itemsize, out, lo, dil, op, dst, capacity);
}

static bool dnn_dtype(mx_dtype t) { return t == MX_FLOAT32 || t == MX_FLOAT16 || t == MX_BFLOAT16; }

/* ---- conv ------------------------------------------------------------------------------------------ */

/* shape: out (N, O..., C_out) = conv(x (N, S..., C_in), w (C_out, K..., C_in/G)) */
static mx_status conv_kernel(mx_node *out) {
    mx_node *x = out->inputs[0], *w = out->inputs[1];
    const mx_conv_params *p = mx_node_params(out);
    if (!dnn_dtype(out->dtype) || x->dtype != out->dtype || w->dtype != out->dtype || out->size == 0 || x->size == 0 ||
        w->size == 0 || !dnn_ready())
        return mx_run_cpu_kernel(out); /* float64, empty sums and empty outputs */
    const char *op = out->op->name;
    int d = p->nspatial, ns = d == 3 ? 3 : 2, first = 3 - ns;
    size_t es = mx_dtype_size(out->dtype);
    params3 q = params3_of(p);
    chl cx = chl_of(x, d), cw = chl_of(w, d), co = chl_of(out, d);
    bool idil = false, strided = false, neg = false;
    for (int j = 0; j < 3; j++) {
        idil |= q.idil[j] > 1;
        strided |= q.stride[j] > 1;
        neg |= q.lo[j] < 0 || q.hi[j] < 0;
    }
    dnn_problem pb;
    memset(&pb, 0, sizeof pb);
    pb.ns = ns;
    pb.dtype = out->dtype;
    pb.groups = p->groups;
    pb.tf32 = cuda_matmul_tf32();
    bool ok = dnn_dims(co.shape, ns, pb.y) && dnn_dims(cw.shape, ns, pb.w);
    enum { ROUTE_NONE, ROUTE_DIRECT, ROUTE_BWD_DATA, ROUTE_PADDED } route = ROUTE_NONE;

    /* input dilation, stride 1: the backward data of the conv this is the input gradient of */
    if (ok && idil && !strided && !neg && !g_dnn.no_bwd_data) {
        /* that conv: input = our output (C_out channels), output = our x, filter
         * (C_in, K..., C_out/G) = w's channels transposed per group */
        pb.kind = DNN_BWD_DATA;
        pb.mode = p->flip ? CUDNN_CROSS_CORRELATION : CUDNN_CONVOLUTION;
        int64_t wt[5] = {cw.shape[4] * p->groups, cw.shape[1], cw.shape[2], cw.shape[3], cw.shape[0] / p->groups};
        bool pads_ok = true;
        for (int j = 0; j < ns; j++) {
            int s3 = first + j;
            int64_t pad = (int64_t)(cw.shape[1 + s3] - 1) * q.kdil[s3] - q.lo[s3];
            pads_ok &= pad >= 0 && pad <= INT_MAX;
            pb.pad[j] = (int)pad;
            pb.stride[j] = q.idil[s3];
            pb.dil[j] = q.kdil[s3];
        }
        int tmp[5] = {0}; /* all 5: pb is a cache key compared bytewise (garbage here missed it every call) */
        if (pads_ok && dnn_dims(co.shape, ns, pb.x) && dnn_dims(cx.shape, ns, pb.y) && dnn_dims(wt, ns, tmp)) {
            memcpy(pb.w, tmp, sizeof tmp);
            if (problem_valid(&pb))
                route = ROUTE_BWD_DATA;
        }
        if (route == ROUTE_NONE) { /* back to the forward problem's dims */
            dnn_dims(co.shape, ns, pb.y);
            dnn_dims(cw.shape, ns, pb.w);
        }
    }
    if (route == ROUTE_NONE) { /* the forward problem */
        pb.kind = DNN_FWD;
        pb.mode = p->flip ? CUDNN_CONVOLUTION : CUDNN_CROSS_CORRELATION;
        for (int j = 0; j < ns; j++) {
            pb.stride[j] = q.stride[first + j];
            pb.dil[j] = q.kdil[first + j];
        }
    }
    /* symmetric padding lo, when cuDNN's output size with it is ours */
    if (ok && route == ROUTE_NONE && !idil && !neg && dnn_dims(cx.shape, ns, pb.x)) {
        for (int j = 0; j < ns; j++)
            pb.pad[j] = q.lo[first + j];
        if (problem_valid(&pb))
            route = ROUTE_DIRECT;
    }
    /* else the dilated, padded (or cropped) input, cuDNN without padding */
    int64_t padded[5], lo3[3], dil3[3];
    if (ok && route == ROUTE_NONE && plan_padded(&q, cx.shape, ns, &pb, padded, lo3, dil3))
        route = ROUTE_PADDED;
    if (route == ROUTE_NONE)
        return mx_run_cpu_kernel(out); /* e.g. an output longer than cuDNN's formula allows */

    void *xp = NULL, *wp = NULL, *xs = NULL, *ws = NULL;
    size_t xs_cap = 0, ws_cap = 0;
    mx_status st = cuda_node_ptr(x, op, &xp);
    if (st == MX_OK)
        st = cuda_node_ptr(w, op, &wp);
    if (st == MX_OK) {
        if (route == ROUTE_PADDED)
            st = materialize(&cx, xp, es, padded + 1, lo3, dil3, op, &xs, &xs_cap);
        else
            st = contiguous(&cx, xp, es, op, &xs, &xs_cap);
    }
    if (st == MX_OK) {
        if (route == ROUTE_BWD_DATA) {
            /* the filter of the conv we are the gradient of: (C_in, K..., C_out/G) */
            void *wc = NULL;
            size_t wc_cap = 0;
            st = contiguous(&cw, wp, es, op, &wc, &wc_cap);
            int64_t kvol = cw.shape[1] * cw.shape[2] * cw.shape[3];
            if (st == MX_OK) {
                ws = cuda_scratch_alloc((size_t)w->size * es, op, &ws_cap);
                st = ws ? MX_OK : mx_last_status();
            }
            if (st == MX_OK && cuda_launch_conv_group_transpose(es, ws, wc, p->groups, cw.shape[0] / p->groups, kvol,
                                                                cw.shape[4], (cuda_stream)cuda_stream_get()) < 0)
                st = MX_ERROR_UNSUPPORTED;
            cuda_scratch_free(wc_cap ? wc : NULL, wc_cap);
        } else {
            st = contiguous(&cw, wp, es, op, &ws, &ws_cap);
        }
    }
    if (st == MX_OK)
        st = cuda_alloc_output(out);
    if (st == MX_OK) {
        void *y = out->buffer->device_ptr;
        st = route == ROUTE_BWD_DATA ? dnn_execute(&pb, y, ws, xs, op) : dnn_execute(&pb, xs, ws, y, op);
    }
    cuda_scratch_free(xs_cap ? xs : NULL, xs_cap);
    cuda_scratch_free(ws_cap ? ws : NULL, ws_cap);
    if (st == MX_ERROR_UNSUPPORTED)
        return mx_run_cpu_kernel(out);
    if (st == MX_OK)
        cuda_output_written(out);
    return st;
}

/* ---- conv_weight_grad --------------------------------------------------------------------------------- */

/* shape: out (C_out, K..., C_in/G) = dW of conv(x (N, S..., C_in), w) for cot (N, O..., C_out) */
static mx_status conv_weight_grad_kernel(mx_node *out) {
    mx_node *x = out->inputs[0], *cot = out->inputs[1];
    const mx_conv_params *p = mx_node_params(out);
    if (!dnn_dtype(out->dtype) || x->dtype != out->dtype || cot->dtype != out->dtype || out->size == 0 ||
        x->size == 0 || cot->size == 0 || !dnn_ready())
        return mx_run_cpu_kernel(out);
    const char *op = out->op->name;
    int d = p->nspatial, ns = d == 3 ? 3 : 2, first = 3 - ns;
    size_t es = mx_dtype_size(out->dtype);
    params3 q = params3_of(p);
    chl cx = chl_of(x, d), cc = chl_of(cot, d), cw = chl_of(out, d);
    bool idil = false, neg = false;
    for (int j = 0; j < 3; j++) {
        idil |= q.idil[j] > 1;
        neg |= q.lo[j] < 0 || q.hi[j] < 0;
    }
    dnn_problem pb;
    memset(&pb, 0, sizeof pb);
    pb.kind = DNN_BWD_FILTER;
    pb.ns = ns;
    pb.dtype = out->dtype;
    pb.groups = p->groups;
    pb.tf32 = cuda_matmul_tf32();
    pb.mode = p->flip ? CUDNN_CONVOLUTION : CUDNN_CROSS_CORRELATION;
    for (int j = 0; j < ns; j++) {
        pb.stride[j] = q.stride[first + j];
        pb.dil[j] = q.kdil[first + j];
    }
    bool ok = dnn_dims(cc.shape, ns, pb.y) && dnn_dims(cw.shape, ns, pb.w);
    bool padded_route = false, have = false;
    if (ok && !idil && !neg && dnn_dims(cx.shape, ns, pb.x)) {
        for (int j = 0; j < ns; j++)
            pb.pad[j] = q.lo[first + j];
        have = problem_valid(&pb);
    }
    int64_t padded[5], lo3[3], dil3[3];
    if (ok && !have)
        have = padded_route = plan_padded(&q, cx.shape, ns, &pb, padded, lo3, dil3);
    if (!have)
        return mx_run_cpu_kernel(out);
    void *xp = NULL, *cp = NULL, *xs = NULL, *cs = NULL;
    size_t xs_cap = 0, cs_cap = 0;
    mx_status st = cuda_node_ptr(x, op, &xp);
    if (st == MX_OK)
        st = cuda_node_ptr(cot, op, &cp);
    if (st == MX_OK)
        st = padded_route ? materialize(&cx, xp, es, padded + 1, lo3, dil3, op, &xs, &xs_cap)
                          : contiguous(&cx, xp, es, op, &xs, &xs_cap);
    if (st == MX_OK)
        st = contiguous(&cc, cp, es, op, &cs, &cs_cap);
    if (st == MX_OK)
        st = cuda_alloc_output(out);
    if (st == MX_OK)
        st = dnn_execute(&pb, xs, out->buffer->device_ptr, cs, op);
    cuda_scratch_free(xs_cap ? xs : NULL, xs_cap);
    cuda_scratch_free(cs_cap ? cs : NULL, cs_cap);
    if (st == MX_ERROR_UNSUPPORTED)
        return mx_run_cpu_kernel(out);
    if (st == MX_OK)
        cuda_output_written(out);
    return st;
}

void cuda_register_conv(mx_backend *b) {
    b->kernels[MX_OP_conv] = conv_kernel;
    b->kernels[MX_OP_conv_weight_grad] = conv_weight_grad_kernel;
}

#else /* no cuDNN: conv runs the CPU kernel on GPU nodes */

void cuda_register_conv(mx_backend *b) { (void)b; }

#endif
