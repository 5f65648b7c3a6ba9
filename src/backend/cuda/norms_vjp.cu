/* backend/cuda/norms_vjp.cu - fused backward passes of rms_norm and
 * layer_norm (rms_norm_vjp, layer_norm_vjp; the maths in ops/fast.h).
 *
 * dx: each row of x and of the cotangent g is read once into registers
 * (16-byte vector loads kept in their storage type, NV vectors per thread)
 * by a warp (short rows, several warps per block) or by the whole block; the
 * row statistics are two group reductions over the registers (layer_norm:
 * sum x and sum g w, then the squared deviations and sum g w (x - mean);
 * rms_norm: only the second), then dx is written with vector stores.
 * Accumulation in float (double for float64) as the CPU kernel
 * (backend/cpu/norm_vjp.c), rounded once to the dtype.
 *
 * dw, db: a grid of about one wave of blocks loops over the rows (grid
 * stride); each thread keeps the partial sums of g n and g for its columns in
 * registers, the warps of a block add theirs in shared memory (fixed order),
 * and each block writes one partial row; a column kernel then sums the
 * partial rows (32 columns x 32 row-slices per block, fixed order), so the
 * results do not depend on timing. Rows that do not fit the registers or are
 * not aligned for vector accesses take a looped kernel that reads the row
 * from memory once per pass and keeps its partial row in the workspace. */
#include <math.h>

#include "backend/cuda/cuda_common.cuh"
#include "backend/cuda/norms_vjp_kernels.h"

namespace {

/* Accumulation type: double for float64, else float. */
template <typename T> struct acc_of { typedef float type; };
template <> struct acc_of<double> { typedef double type; };

/* Sums of two values over a row group (see group_sum): scratch holds 64 values. */
template <typename C> __device__ __forceinline__ void group_sum2(C &a, C &b, int tpr, C *scratch) {
#pragma unroll
    for (int d = 16; d > 0; d >>= 1) {
        a += __shfl_xor_sync(0xffffffffu, a, d);
        b += __shfl_xor_sync(0xffffffffu, b, d);
    }
    if (tpr <= 32)
        return;
    int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
    if (lane == 0) {
        scratch[warp] = a;
        scratch[32 + warp] = b;
    }
    __syncthreads();
    C ta = 0, tb = 0;
    for (int k = 0; k < (int)(blockDim.x / 32); k++) {
        ta += scratch[k];
        tb += scratch[32 + k];
    }
    a = ta;
    b = tb;
}

/* shape: x, g (rows, L) T row-contiguous, L % VEC == 0, 16-byte aligned;
 * w (L,) T or NULL; dx (rows, L) T; part_dw, part_db (gridDim.x, L) C or
 * NULL. A row per group of tpr threads (a warp, blockDim.x / 32 groups per
 * block, or the whole block), rows gid, gid + groups in the grid, ...; each
 * thread holds NV vectors of VEC = 16 / sizeof(T) elements of x and g. */
template <typename T, int NV>
__global__ void __launch_bounds__(512)
    norm_vjp_rows_reg(T *dx, typename acc_of<T>::type *part_dw, typename acc_of<T>::type *part_db, const T *x,
                      const T *w, const T *g, int64_t rows, int64_t L, int tpr, float eps, bool layer) {
    typedef typename acc_of<T>::type C;
    constexpr int VEC = 16 / sizeof(T);
    typedef vec_t<T, VEC> V;
    __shared__ C scratch[2][64];
    __shared__ C red[8 * 32 * VEC]; /* the groups' partial sums of one vector column (warp mode) */
    const int groups = blockDim.x / tpr, group = threadIdx.x / tpr, t = threadIdx.x % tpr;
    const int64_t total_groups = (int64_t)gridDim.x * groups;
    const int nvec = (int)(L / VEC);
    const C inv_l = (C)1 / (C)L;
    C pdw[NV][VEC], pdb[NV][VEC];
#pragma unroll
    for (int i = 0; i < NV; i++)
#pragma unroll
        for (int e = 0; e < VEC; e++)
            pdw[i][e] = pdb[i][e] = 0;
    for (int64_t row = (int64_t)blockIdx.x * groups + group; row < rows; row += total_groups) {
        /* a group's rows never diverge within a warp; in block mode every thread has the same row */
        const V *xv = (const V *)(x + row * L), *gv = (const V *)(g + row * L);
        V xr[NV], gr[NV];
#pragma unroll
        for (int i = 0; i < NV; i++) {
            int k = t + i * tpr;
            if (k < nvec) {
                xr[i] = xv[k];
                gr[i] = gv[k];
            }
        }
        C mean = 0, sgw = 0;
        if (layer) {
            C sx = 0;
#pragma unroll
            for (int i = 0; i < NV; i++) {
                int k = t + i * tpr;
                if (k < nvec)
#pragma unroll
                    for (int e = 0; e < VEC; e++) {
                        C gw = (C)to_compute(gr[i].v[e]);
                        if (w)
                            gw *= (C)to_compute(w[k * VEC + e]);
                        sx += (C)to_compute(xr[i].v[e]);
                        sgw += gw;
                    }
            }
            group_sum2(sx, sgw, tpr, scratch[0]);
            mean = sx * inv_l;
        }
        C ss = 0, sgwx = 0;
#pragma unroll
        for (int i = 0; i < NV; i++) {
            int k = t + i * tpr;
            if (k < nvec)
#pragma unroll
                for (int e = 0; e < VEC; e++) {
                    C xc = (C)to_compute(xr[i].v[e]) - mean;
                    C gw = (C)to_compute(gr[i].v[e]);
                    if (w)
                        gw *= (C)to_compute(w[k * VEC + e]);
                    ss += xc * xc;
                    sgwx += gw * xc;
                }
        }
        group_sum2(ss, sgwx, tpr, scratch[1]);
        const C rs = (C)1 / sqrt(ss * inv_l + (C)eps);
        const C mgw = layer ? sgw * inv_l : (C)0, mgwn = sgwx * rs * inv_l;
        V *dxv = (V *)(dx + row * L);
#pragma unroll
        for (int i = 0; i < NV; i++) {
            int k = t + i * tpr;
            if (k < nvec) {
                V out;
#pragma unroll
                for (int e = 0; e < VEC; e++) {
                    C gg = (C)to_compute(gr[i].v[e]);
                    C n = ((C)to_compute(xr[i].v[e]) - mean) * rs;
                    C gw = w ? gg * (C)to_compute(w[k * VEC + e]) : gg;
                    pdw[i][e] += gg * n;
                    pdb[i][e] += gg;
                    out.v[e] = store_as<T>::from(rs * (gw - mgw - n * mgwn));
                }
                dxv[k] = out;
            }
        }
        if (tpr > 32)
            __syncthreads(); /* the scratch is reused by the next row */
    }
    if (!part_dw && !part_db)
        return;
    /* one partial row per block: the groups' sums of each vector column in fixed order */
    const int width = tpr * VEC; /* the columns of one vector index i */
    for (int q = 0; q < 2; q++) {
        C *part = q == 0 ? part_dw : part_db;
        if (!part)
            continue;
#pragma unroll
        for (int i = 0; i < NV; i++) {
            const int64_t base = (int64_t)i * width;
            if (groups == 1) {
                if (t + i * tpr < nvec)
#pragma unroll
                    for (int e = 0; e < VEC; e++)
                        part[(int64_t)blockIdx.x * L + base + t * VEC + e] = q == 0 ? pdw[i][e] : pdb[i][e];
                continue;
            }
#pragma unroll
            for (int e = 0; e < VEC; e++)
                red[group * width + t * VEC + e] = q == 0 ? pdw[i][e] : pdb[i][e];
            __syncthreads();
            for (int c = threadIdx.x; c < width; c += blockDim.x) {
                C s = 0;
                for (int k = 0; k < groups; k++)
                    s += red[k * width + c];
                if (base + c < L)
                    part[(int64_t)blockIdx.x * L + base + c] = s;
            }
            __syncthreads();
        }
    }
}

/* shape: x, g (rows, L) T row-contiguous (any L, any alignment); w (L,) T or
 * NULL; dx (rows, L) T; part_dw, part_db (gridDim.x * groups, L) C or NULL:
 * the partial row of each group, kept in memory. Rows as norm_vjp_rows_reg;
 * the row is read from memory once per pass. */
template <typename T>
__global__ void __launch_bounds__(512)
    norm_vjp_rows_loop(T *dx, typename acc_of<T>::type *part_dw, typename acc_of<T>::type *part_db, const T *x,
                       const T *w, const T *g, int64_t rows, int64_t L, int tpr, float eps, bool layer) {
    typedef typename acc_of<T>::type C;
    __shared__ C scratch[2][64];
    const int groups = blockDim.x / tpr, group = threadIdx.x / tpr, t = threadIdx.x % tpr;
    const int64_t gid = (int64_t)blockIdx.x * groups + group, total_groups = (int64_t)gridDim.x * groups;
    const C inv_l = (C)1 / (C)L;
    C *pdw = part_dw ? part_dw + gid * L : NULL, *pdb = part_db ? part_db + gid * L : NULL;
    for (int64_t i = t; i < L; i += tpr) {
        if (pdw)
            pdw[i] = 0;
        if (pdb)
            pdb[i] = 0;
    }
    for (int64_t row = gid; row < rows; row += total_groups) {
        const T *xr = x + row * L, *gr = g + row * L;
        C mean = 0, sgw = 0;
        if (layer) {
            C sx = 0;
            for (int64_t i = t; i < L; i += tpr) {
                sx += (C)to_compute(xr[i]);
                sgw += w ? (C)to_compute(gr[i]) * (C)to_compute(w[i]) : (C)to_compute(gr[i]);
            }
            group_sum2(sx, sgw, tpr, scratch[0]);
            mean = sx * inv_l;
        }
        C ss = 0, sgwx = 0;
        for (int64_t i = t; i < L; i += tpr) {
            C xc = (C)to_compute(xr[i]) - mean;
            C gw = w ? (C)to_compute(gr[i]) * (C)to_compute(w[i]) : (C)to_compute(gr[i]);
            ss += xc * xc;
            sgwx += gw * xc;
        }
        group_sum2(ss, sgwx, tpr, scratch[1]);
        const C rs = (C)1 / sqrt(ss * inv_l + (C)eps);
        const C mgw = layer ? sgw * inv_l : (C)0, mgwn = sgwx * rs * inv_l;
        T *dr = dx + row * L;
        for (int64_t i = t; i < L; i += tpr) {
            C gg = (C)to_compute(gr[i]);
            C n = ((C)to_compute(xr[i]) - mean) * rs;
            C gw = w ? gg * (C)to_compute(w[i]) : gg;
            if (pdw)
                pdw[i] += gg * n;
            if (pdb)
                pdb[i] += gg;
            dr[i] = store_as<T>::from(rs * (gw - mgw - n * mgwn));
        }
        if (tpr > 32)
            __syncthreads();
    }
}

/* shape: part (gridDim.y, P, L) C -> out (gridDim.y, L) T: column sums over
 * the P partial rows. Block (32, 32): 32 columns, each summed by 32
 * row-slices then combined in shared memory in a fixed order. */
template <typename T>
__global__ void norm_vjp_column_sum(T *out, const typename acc_of<T>::type *part, int64_t P, int64_t L) {
    typedef typename acc_of<T>::type C;
    __shared__ C sums[32][33];
    const int64_t col = (int64_t)blockIdx.x * 32 + threadIdx.x;
    const C *src = part + (int64_t)blockIdx.y * P * L;
    C s = 0;
    if (col < L)
        for (int64_t p = threadIdx.y; p < P; p += 32)
            s += src[p * L + col];
    sums[threadIdx.y][threadIdx.x] = s;
    __syncthreads();
    if (threadIdx.y == 0 && col < L) {
        C total = 0;
        for (int k = 0; k < 32; k++)
            total += sums[k][threadIdx.x];
        out[(int64_t)blockIdx.y * L + col] = store_as<T>::from(total);
    }
}

int sm_count() {
    static int count = 0;
    if (!count) {
        int dev = 0;
        if (cudaGetDevice(&dev) != cudaSuccess ||
            cudaDeviceGetAttribute(&count, cudaDevAttrMultiProcessorCount, dev) != cudaSuccess || count < 1)
            count = 1;
    }
    return count;
}

bool aligned(const void *p, size_t n) { return ((uintptr_t)p % n) == 0; }

/* The launch of one dtype: registers (warp or block per row) or the looped kernel. */
template <typename T>
int run_norm_vjp(bool layer, T *out, const T *x, const T *w, const T *g, int64_t rows, int64_t L, float eps,
                 bool want_dw, bool want_db, void *workspace, size_t *workspace_bytes, cudaStream_t s) {
    typedef typename acc_of<T>::type C;
    constexpr int VEC = 16 / sizeof(T);
    const int64_t nvec = L / VEC;
    const bool vec_ok = L % VEC == 0 && aligned(x, 16) && aligned(g, 16) && aligned(out, 16) &&
                        (!w || aligned(w, 16)) && L <= INT32_MAX;
    /* the kernel: NV vectors per thread, tpr threads per row */
    void (*reg)(T *, C *, C *, const T *, const T *, const T *, int64_t, int64_t, int, float, bool) = NULL;
    int tpr = 32, threads = 256;
    if (vec_ok && nvec <= 32 * 4) { /* a warp per row */
        int64_t per_lane = (nvec + 31) / 32;
        reg = per_lane <= 1 ? norm_vjp_rows_reg<T, 1> : per_lane <= 2 ? norm_vjp_rows_reg<T, 2> : norm_vjp_rows_reg<T, 4>;
    } else if (vec_ok && nvec <= 512 * 4) { /* a block per row, 4 vectors per thread */
        reg = norm_vjp_rows_reg<T, 4>;
        tpr = (int)((nvec + 3) / 4);
        tpr = (tpr + 31) / 32 * 32;
        threads = tpr;
    } else {
        tpr = L <= 1024 ? 32 : 512;
        threads = tpr == 32 ? 256 : 512;
    }
    const int groups = threads / tpr;
    int per_sm = 1;
    if (reg)
        cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per_sm, reg, threads, 0);
    else
        cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per_sm, norm_vjp_rows_loop<T>, threads, 0);
    if (per_sm < 1)
        per_sm = 1;
    int64_t blocks = (int64_t)sm_count() * per_sm, needed = (rows + groups - 1) / groups;
    if (blocks > needed)
        blocks = needed;
    if (blocks < 1)
        blocks = 1;
    const int64_t partials = reg ? blocks : blocks * groups; /* partial rows per quantity */
    const int nq = (want_dw ? 1 : 0) + (want_db ? 1 : 0);
    const size_t need = (size_t)nq * (size_t)partials * (size_t)L * sizeof(C);
    if (!workspace) {
        *workspace_bytes = need;
        return 0;
    }
    if (*workspace_bytes < need)
        return -1;
    C *part_dw = want_dw ? (C *)workspace : NULL;
    C *part_db = want_db ? (C *)workspace + (want_dw ? partials * L : 0) : NULL;
    if (reg)
        reg<<<(unsigned)blocks, threads, 0, s>>>(out, part_dw, part_db, x, w, g, rows, L, tpr, eps, layer);
    else
        norm_vjp_rows_loop<T><<<(unsigned)blocks, threads, 0, s>>>(out, part_dw, part_db, x, w, g, rows, L, tpr, eps,
                                                                  layer);
    if (nq) {
        dim3 grid((unsigned)((L + 31) / 32), (unsigned)nq), block(32, 32);
        norm_vjp_column_sum<T><<<grid, block, 0, s>>>(out + rows * L, (const C *)workspace, partials, L);
    }
    return 0;
}

} // namespace

extern "C" int cuda_launch_norm_vjp(int layer, int dtype, void *out, const void *x, const void *w, const void *g,
                                    int64_t rows, int64_t L, float eps, int want_dw, int want_db, void *workspace,
                                    size_t *workspace_bytes, cuda_stream stream) {
    cudaStream_t s = (cudaStream_t)stream;
    if (rows < 1 || L < 1)
        return -1; /* empty: the CPU kernel writes the zeros */
    switch (dtype) {
#define NVJP_CASE(DT, T)                                                                                               \
    case DT:                                                                                                           \
        return run_norm_vjp<T>(layer != 0, (T *)out, (const T *)x, (const T *)w, (const T *)g, rows, L, eps,          \
                               want_dw != 0, want_db != 0, workspace, workspace_bytes, s);
        NVJP_CASE(MX_FLOAT32, float)
        NVJP_CASE(MX_FLOAT16, f16_t)
        NVJP_CASE(MX_BFLOAT16, bf16_t)
        NVJP_CASE(MX_FLOAT64, double)
#undef NVJP_CASE
    default: return -1;
    }
}
