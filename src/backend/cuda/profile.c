/* backend/cuda/profile.c - a per-op profile of GPU nodes, for finding where a
 * workload (the demo's GPT step) spends its time where nsys is not available.
 *
 * CMLX_CUDA_PROFILE=S (seconds, 0 = from the start) wraps every kernel of the
 * GPU backend's table: each GPU node run from S seconds after start-up on is
 * bracketed by two CUDA events on the stream (GPU time: its kernels plus any
 * wait for the host inside the node, e.g. uploads) and timed on the host
 * (preparation and launch). Nodes without a GPU kernel (the CPU fallback of a
 * GPU node) are counted under "(cpu) name". At exit the ops are printed by
 * GPU time. Profiling turns CUDA graphs off. Without the variable nothing is
 * wrapped. Eval runs GPU nodes on one thread, one stream: no locking. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend/cuda/cuda_backend.h"

typedef struct op_stat {
    double gpu_ms, host_ms;
    long calls;
} op_stat;

typedef struct pending {
    cudaEvent_t begin, end;
    int op;
} pending;

#define PROFILE_PENDING 4096
static mx_kernel_fn g_inner[MX_MAX_OPS];
static const char *g_names[MX_MAX_OPS];
static op_stat g_stats[MX_MAX_OPS];
static pending g_pending[PROFILE_PENDING];
static int g_npending;
static double g_start, g_skip, g_first = -1, g_last;

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Fold the recorded event pairs into the statistics. */
static void drain(void) {
    if (g_npending)
        cudaEventSynchronize(g_pending[g_npending - 1].end);
    for (int i = 0; i < g_npending; i++) {
        float ms = 0;
        if (cudaEventElapsedTime(&ms, g_pending[i].begin, g_pending[i].end) == cudaSuccess)
            g_stats[g_pending[i].op].gpu_ms += ms;
    }
    g_npending = 0;
}

static mx_status profiled_kernel(mx_node *n) {
    const int id = n->op->id;
    const double t0 = now_s();
    if (t0 - g_start < g_skip)
        return g_inner[id] ? g_inner[id](n) : mx_run_cpu_kernel(n);
    if (g_npending == PROFILE_PENDING)
        drain();
    pending *p = &g_pending[g_npending];
    if (!p->begin && (cudaEventCreate(&p->begin) != cudaSuccess || cudaEventCreate(&p->end) != cudaSuccess))
        return g_inner[id] ? g_inner[id](n) : mx_run_cpu_kernel(n);
    cudaStream_t s = cuda_stream_get();
    cudaEventRecord(p->begin, s);
    mx_status st = g_inner[id] ? g_inner[id](n) : mx_run_cpu_kernel(n);
    cudaEventRecord(p->end, s);
    const double t1 = now_s();
    if (g_first < 0)
        g_first = t0;
    g_last = t1;
    p->op = id;
    g_npending++;
    g_names[id] = n->op->name;
    g_stats[id].calls++;
    g_stats[id].host_ms += (t1 - t0) * 1e3;
    return st;
}

static int by_gpu_time(const void *a, const void *b) {
    double x = g_stats[*(const int *)a].gpu_ms, y = g_stats[*(const int *)b].gpu_ms;
    return x < y ? 1 : x > y ? -1 : 0;
}

static void report(void) {
    drain();
    int ids[MX_MAX_OPS], n = 0;
    double gpu = 0, host = 0;
    for (int i = 0; i < MX_MAX_OPS; i++)
        if (g_stats[i].calls) {
            ids[n++] = i;
            gpu += g_stats[i].gpu_ms;
            host += g_stats[i].host_ms;
        }
    qsort(ids, (size_t)n, sizeof ids[0], by_gpu_time);
    fprintf(stderr, "cmlx CUDA profile: %.1f ms of wall time recorded, GPU nodes %.1f ms GPU, %.1f ms host\n",
            g_first >= 0 ? (g_last - g_first) * 1e3 : 0.0, gpu, host);
    fprintf(stderr, "%-40s %8s %10s %6s %10s\n", "op", "calls", "GPU ms", "GPU %", "host ms");
    for (int k = 0; k < n; k++) {
        const op_stat *s = &g_stats[ids[k]];
        char name[64];
        snprintf(name, sizeof name, "%s%s", g_inner[ids[k]] ? "" : "(cpu) ", g_names[ids[k]]);
        fprintf(stderr, "%-40s %8ld %10.2f %6.1f %10.2f\n", name, s->calls, s->gpu_ms,
                gpu > 0 ? 100.0 * s->gpu_ms / gpu : 0.0, s->host_ms);
    }
}

void cuda_profile_install(mx_backend *b) {
    const char *e = getenv("CMLX_CUDA_PROFILE");
    if (!e || !*e)
        return;
    /* the events bracket each node on the stream: recorded runs (CUDA graphs) would hide the nodes */
    mx_gpu_set_graphs_mode(0);
    g_skip = atof(e);
    g_start = now_s();
    for (int i = 0; i < MX_MAX_OPS; i++) {
        g_inner[i] = b->kernels[i];
        b->kernels[i] = profiled_kernel; /* ops without a GPU kernel: their CPU fallback, timed */
    }
    atexit(report);
}
