/* backend/cuda/conv.c - the conv family (ops/conv.h) on the GPU through
 * cuDNN's legacy API (cudnnConvolutionForward / BackwardData /
 * BackwardFilter), channels-last (NHWC / NDHWC) tensors as MLX stores them.
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
 * float64 and sizes past cuDNN's 32-bit dims run the CPU kernel. The
 * algorithm is cuDNN's heuristic choice (get_v7) among those whose workspace
 * fits k_workspace_limit, remembered per problem; an algorithm that fails to
 * run is skipped for the next one. Without cuDNN (CMLX_HAVE_CUDNN unset)
 * nothing is registered and conv runs the CPU kernel. */
#include "backend/cuda/cuda_backend.h"

#ifdef CMLX_HAVE_CUDNN

#include <cudnn.h>
#include <limits.h>
#include <stdio.h>
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
} g_dnn;

static bool dnn_ready(void) {
    if (g_dnn.state == 0) {
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
 * precision: for float16/bfloat16 they are skipped (on an H200 a float16
 * transposed conv that cuDNN ran with one of them differed from the CPU's
 * float32 accumulation by 18% in relative norm). float32 keeps them (within
 * 1e-5 of the CPU). */
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
    dnn_descs dd = {0};
    cudnnStatus_t s = CUDNN_STATUS_NOT_SUPPORTED;
    enum { ROUTE_NONE, ROUTE_DIRECT, ROUTE_BWD_DATA, ROUTE_PADDED } route = ROUTE_NONE;

    /* input dilation, stride 1: the backward data of the conv this is the input gradient of */
    if (ok && idil && !strided && !neg) {
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
        int tmp[5];
        if (pads_ok && dnn_dims(co.shape, ns, pb.x) && dnn_dims(cx.shape, ns, pb.y) && dnn_dims(wt, ns, tmp)) {
            memcpy(pb.w, tmp, sizeof tmp);
            s = descs_make(&pb, &dd);
            if (s == CUDNN_STATUS_SUCCESS)
                route = ROUTE_BWD_DATA;
            else
                descs_free(&dd);
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
        s = descs_make(&pb, &dd);
        if (s == CUDNN_STATUS_SUCCESS)
            route = ROUTE_DIRECT;
        else
            descs_free(&dd);
    }
    /* else the dilated, padded (or cropped) input, cuDNN without padding */
    int64_t padded[5] = {cx.shape[0], 1, 1, 1, cx.shape[4]}, lo3[3], dil3[3];
    if (ok && route == ROUTE_NONE) {
        bool sizes_ok = true;
        for (int j = 0; j < 3; j++) {
            int64_t len = (cx.shape[1 + j] - 1) * q.idil[j] + 1 + q.lo[j] + q.hi[j];
            sizes_ok &= len >= 1;
            padded[1 + j] = len;
            lo3[j] = q.lo[j];
            dil3[j] = q.idil[j];
        }
        memset(pb.pad, 0, sizeof pb.pad);
        if (sizes_ok && dnn_dims(padded, ns, pb.x)) {
            s = descs_make(&pb, &dd);
            if (s == CUDNN_STATUS_SUCCESS)
                route = ROUTE_PADDED;
            else
                descs_free(&dd);
        }
    }
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
        st = route == ROUTE_BWD_DATA ? dnn_run(&pb, &dd, y, ws, xs, op) : dnn_run(&pb, &dd, xs, ws, y, op);
    }
    cuda_scratch_free(xs_cap ? xs : NULL, xs_cap);
    cuda_scratch_free(ws_cap ? ws : NULL, ws_cap);
    descs_free(&dd);
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
    dnn_descs dd = {0};
    bool padded_route = false, have = false;
    if (ok && !idil && !neg && dnn_dims(cx.shape, ns, pb.x)) {
        for (int j = 0; j < ns; j++)
            pb.pad[j] = q.lo[first + j];
        have = descs_make(&pb, &dd) == CUDNN_STATUS_SUCCESS;
        if (!have)
            descs_free(&dd);
    }
    int64_t padded[5] = {cx.shape[0], 1, 1, 1, cx.shape[4]}, lo3[3], dil3[3];
    if (ok && !have) {
        bool sizes_ok = true;
        for (int j = 0; j < 3; j++) {
            int64_t len = (cx.shape[1 + j] - 1) * q.idil[j] + 1 + q.lo[j] + q.hi[j];
            sizes_ok &= len >= 1;
            padded[1 + j] = len;
            lo3[j] = q.lo[j];
            dil3[j] = q.idil[j];
        }
        memset(pb.pad, 0, sizeof pb.pad);
        if (sizes_ok && dnn_dims(padded, ns, pb.x)) {
            have = padded_route = descs_make(&pb, &dd) == CUDNN_STATUS_SUCCESS;
            if (!have)
                descs_free(&dd);
        }
    }
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
        st = dnn_run(&pb, &dd, xs, out->buffer->device_ptr, cs, op);
    cuda_scratch_free(xs_cap ? xs : NULL, xs_cap);
    cuda_scratch_free(cs_cap ? cs : NULL, cs_cap);
    descs_free(&dd);
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
