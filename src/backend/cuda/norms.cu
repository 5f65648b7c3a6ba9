/* backend/cuda/norms.cu - fused rms_norm, layer_norm and rope.
 *
 * Normalisations: each row is read once into registers (16-byte vector
 * loads, NV vectors per thread) by a warp (short rows, several rows per
 * block) or by the whole block; the mean (layer_norm) and the sum of squared
 * deviations are two group reductions over those registers, then the row is
 * written with vector stores. Semantics copy the CPU kernel
 * (backend/cpu/fast.c): float accumulation (double for float64), two-pass
 * mean then sum of squared deviations, rs = 1 / sqrt(ss / L + eps), and for
 * half outputs the roundings of MLX's composite (the normalised value, then
 * the weighted value, each rounded to the output dtype). Rows that do not
 * fit the registers, or are not aligned for vector accesses, take a looped
 * kernel that reads the row from memory once per pass.
 *
 * rope: one thread per (batch entry, position, group of VEC pairs) computes
 * the group's cos and sin once and rotates it in every head of its chunk of
 * heads (blockIdx.y), so the trigonometry is not repeated per head;
 * theta = ((float)t + (float)offset) * scale * inv_freq[k] as the CPU
 * kernel computes it (inv_freq made on the host by the same expression, or
 * 1 / freqs on the device), cos and sin rounded to the dtype for the half
 * types. */
#include <math.h>

#include "backend/cuda/cuda_common.cuh"
#include "backend/cuda/norms_kernels.h"

namespace {

/* Accumulation type of an output dtype: double for float64, else float. */
template <typename To> struct norm_acc { typedef float type; };
template <> struct norm_acc<double> { typedef double type; };


/* The normalised, weighted, shifted value of one element (MLX's roundings
 * for half outputs). */
template <typename To, typename C>
__device__ __forceinline__ To norm_value(C x, C mean, C rs, const To *w, const To *b, int64_t i) {
    if constexpr (std::is_same<To, float>::value || std::is_same<To, double>::value) {
        C y = (x - mean) * rs;
        if (w)
            y = y * (C)w[i];
        if (b)
            y = y + (C)b[i];
        return (To)y;
    } else {
        float y = round_to<To>((x - mean) * rs);
        if (w)
            y = round_to<To>(y * to_compute(w[i]));
        if (b)
            y = y + to_compute(b[i]);
        return store_as<To>::from(y);
    }
}

/* shape: x (rows, L) Tx row-contiguous, L % VEC == 0 and 16-byte aligned;
 * w, b (L,) To or NULL; out (rows, L) To. A row per group of tpr threads
 * (a warp, blockDim.x / 32 rows per block, or the block); each thread holds
 * NV vectors of VEC = 16 / sizeof(Tx) elements. */
template <typename Tx, typename To, int NV>
__global__ void __launch_bounds__(512) norm_rows_reg(To *out, const Tx *x, const To *w, const To *b, int64_t rows,
                                                     int64_t L, int tpr, float eps, bool layer) {
    typedef typename norm_acc<To>::type C;
    constexpr int VEC = 16 / sizeof(Tx);
    __shared__ C scratch[2][32];
    int t = threadIdx.x % tpr;
    int64_t row = (int64_t)blockIdx.x * (blockDim.x / tpr) + threadIdx.x / tpr;
    if (row >= rows)
        return; /* a whole warp (warp groups), never in block mode: the grid has one block per row */
    const int nvec = (int)(L / VEC);
    const vec_t<Tx, VEC> *xv = (const vec_t<Tx, VEC> *)(x + row * L);
    C v[NV][VEC];
    C s = 0;
#pragma unroll
    for (int i = 0; i < NV; i++) {
        int k = t + i * tpr;
        if (k < nvec) {
            vec_t<Tx, VEC> p = xv[k];
#pragma unroll
            for (int e = 0; e < VEC; e++) {
                v[i][e] = (C)to_compute(p.v[e]);
                s += v[i][e];
            }
        }
    }
    C mean = 0;
    if (layer)
        mean = group_sum(s, tpr, scratch[0]) / (C)L;
    C ss = 0;
#pragma unroll
    for (int i = 0; i < NV; i++)
        if (t + i * tpr < nvec)
#pragma unroll
            for (int e = 0; e < VEC; e++) {
                C c = v[i][e] - mean;
                ss += c * c;
            }
    ss = group_sum(ss, tpr, scratch[1]);
    const C rs = (C)1 / sqrt(ss / (C)L + (C)eps);
    vec_t<To, VEC> *yv = (vec_t<To, VEC> *)(out + row * L);
#pragma unroll
    for (int i = 0; i < NV; i++) {
        int k = t + i * tpr;
        if (k < nvec) {
            vec_t<To, VEC> r;
#pragma unroll
            for (int e = 0; e < VEC; e++)
                r.v[e] = norm_value<To, C>(v[i][e], mean, rs, w, b, (int64_t)k * VEC + e);
            yv[k] = r;
        }
    }
}

/* shape: x (rows, L) Tx row-contiguous (any L, any alignment); w, b (L,) To
 * or NULL; out (rows, L) To. A row per group of tpr threads; the row is read
 * from memory once per pass (sum, squared deviations, output). */
template <typename Tx, typename To>
__global__ void __launch_bounds__(512) norm_rows_loop(To *out, const Tx *x, const To *w, const To *b, int64_t rows,
                                                      int64_t L, int tpr, float eps, bool layer) {
    typedef typename norm_acc<To>::type C;
    __shared__ C scratch[2][32];
    int t = threadIdx.x % tpr;
    int64_t row = (int64_t)blockIdx.x * (blockDim.x / tpr) + threadIdx.x / tpr;
    if (row >= rows)
        return;
    const Tx *xr = x + row * L;
    C mean = 0;
    if (layer) {
        C s = 0;
        for (int64_t i = t; i < L; i += tpr)
            s += (C)to_compute(xr[i]);
        mean = group_sum(s, tpr, scratch[0]) / (C)L;
    }
    C ss = 0;
    for (int64_t i = t; i < L; i += tpr) {
        C c = (C)to_compute(xr[i]) - mean;
        ss += c * c;
    }
    ss = group_sum(ss, tpr, scratch[1]);
    const C rs = (C)1 / sqrt(ss / (C)L + (C)eps);
    To *yr = out + row * L;
    for (int64_t i = t; i < L; i += tpr)
        yr[i] = norm_value<To, C>((C)to_compute(xr[i]), mean, rs, w, b, i);
}

template <int NV, typename Tx, typename To>
void launch_reg(To *out, const Tx *x, const To *w, const To *b, int64_t rows, int64_t L, int tpr, float eps,
                bool layer, cudaStream_t s) {
    int threads = tpr == 32 ? 256 : tpr;
    int64_t per_block = threads / tpr;
    unsigned blocks = (unsigned)((rows + per_block - 1) / per_block);
    norm_rows_reg<Tx, To, NV><<<blocks, threads, 0, s>>>(out, x, w, b, rows, L, tpr, eps, layer);
}

bool aligned(const void *p, size_t n) { return ((uintptr_t)p % n) == 0; }

template <typename Tx, typename To>
int run_norm(bool layer, To *out, const Tx *x, const To *w, const To *b, int64_t rows, int64_t L, float eps,
             cudaStream_t s) {
    constexpr int VEC = 16 / sizeof(Tx);
    const size_t out_vec = VEC * sizeof(To);
    bool vec_ok = L % VEC == 0 && aligned(x, 16) && aligned(out, out_vec) && (!w || aligned(w, out_vec)) &&
                  (!b || aligned(b, out_vec));
    int64_t nvec = L / VEC;
    if (vec_ok && nvec <= 32 * 8) { /* a warp per row */
        int64_t per_lane = (nvec + 31) / 32;
        if (per_lane <= 1)
            launch_reg<1>(out, x, w, b, rows, L, 32, eps, layer, s);
        else if (per_lane <= 2)
            launch_reg<2>(out, x, w, b, rows, L, 32, eps, layer, s);
        else if (per_lane <= 4)
            launch_reg<4>(out, x, w, b, rows, L, 32, eps, layer, s);
        else
            launch_reg<8>(out, x, w, b, rows, L, 32, eps, layer, s);
        return 0;
    }
    if (vec_ok && nvec <= 512 * 8) { /* a block per row: 4 vectors per thread (8 past 1024 vectors) */
        int nv = nvec <= 256 * 4 ? 4 : 8;
        int tpr = (int)((nvec + nv - 1) / nv);
        tpr = (tpr + 31) / 32 * 32;
        if (nv == 2)
            launch_reg<2>(out, x, w, b, rows, L, tpr, eps, layer, s);
        else if (nv == 4)
            launch_reg<4>(out, x, w, b, rows, L, tpr, eps, layer, s);
        else
            launch_reg<8>(out, x, w, b, rows, L, tpr, eps, layer, s);
        return 0;
    }
    int tpr = L <= 1024 ? 32 : L <= 8192 ? 256 : 512;
    int threads = tpr == 32 ? 256 : tpr;
    int64_t per_block = threads / tpr;
    unsigned blocks = (unsigned)((rows + per_block - 1) / per_block);
    norm_rows_loop<Tx, To><<<blocks, threads, 0, s>>>(out, x, w, b, rows, L, tpr, eps, layer);
    return 0;
}

/* ---- rope ------------------------------------------------------------------------------------------------- */

template <typename C> struct inv_table {
    C v[CUDA_ROPE_MAX_HALF];
};

/* Element offset of row r (rows_lay: the strides of x's row dims). */
__device__ __forceinline__ int64_t rope_row_offset(const cuda_layout &lay, bool strided, int64_t r, int64_t D) {
    if (!strided)
        return r * D;
    int64_t off[1];
    strided_offsets<1>(lay, r, off);
    return off[0];
}

/* cos and sin of theta as the CPU kernel rounds them (to the dtype for the
 * half types). */
template <typename T, typename C> __device__ __forceinline__ void rope_cos_sin(C theta, C &c, C &sn) {
    if constexpr (std::is_same<C, double>::value) {
        sincos(theta, &sn, &c);
    } else {
        sincosf(theta, &sn, &c);
        c = round_to<T>(c);
        sn = round_to<T>(sn);
    }
}

/* shape: x (B, N, T, D) as rows (row r = (b N + n) T + t at rope_row_offset,
 * last dim contiguous); offset scalar or (B,); out (B, N, T, D)
 * row-contiguous. A thread per (b, t, unit) and a chunk of heads
 * (blockIdx.y): a unit is VEC pairs (k..k+VEC with k+half.., or VEC/2
 * adjacent pairs when traditional; one pair when VEC == 1) whose cos and sin
 * are computed once and applied to every head of the chunk, or VEC tail
 * elements copied. */
template <typename T, int VEC>
__global__ void rope_rows(T *out, const T *x, cuda_layout lay, bool strided, int64_t B, int64_t N, int64_t T_len,
                          int64_t D, int64_t heads_per_chunk, int half, bool traditional, float sign, float scale,
                          inv_table<typename norm_acc<T>::type> table, bool use_table,
                          const typename norm_acc<T>::type *freqs, int64_t freqs_stride, const void *offset,
                          bool offset_unsigned, int64_t offset_stride) {
    typedef typename norm_acc<T>::type C;
    constexpr int E = VEC >= 2 ? VEC : 2; /* elements of a traditional unit */
    __shared__ C s_inv[CUDA_ROPE_MAX_HALF];
    if (use_table) {
        for (int k = threadIdx.x; k < half; k += blockDim.x)
            s_inv[k] = table.v[k];
        __syncthreads();
    }
    const int dims = 2 * half;
    const int rot_units = traditional ? dims / E : half / VEC;
    const int64_t units = rot_units + (D - dims) / VEC;
    const int64_t total = B * T_len * units;
    const int64_t n0 = blockIdx.y * heads_per_chunk;
    const int64_t n1 = n0 + heads_per_chunk < N ? n0 + heads_per_chunk : N;
    for (int64_t idx = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; idx < total;
         idx += (int64_t)gridDim.x * blockDim.x) {
        const int u = (int)(idx % units);
        const int64_t bt = idx / units, t = bt % T_len, bidx = bt / T_len;
        if (u >= rot_units) { /* tail: copied */
            const int64_t k = dims + (int64_t)(u - rot_units) * VEC;
            for (int64_t n = n0; n < n1; n++) {
                const int64_t r = (bidx * N + n) * T_len + t;
                const T *xr = x + rope_row_offset(lay, strided, r, D);
                T *yr = out + r * D;
                if constexpr (VEC > 1)
                    *(vec_t<T, VEC> *)(yr + k) = *(const vec_t<T, VEC> *)(xr + k);
                else
                    yr[k] = xr[k];
            }
            continue;
        }
        const int64_t oi = offset_stride ? bidx * offset_stride : 0;
        const int64_t off =
            offset_unsigned ? (int64_t)((const uint32_t *)offset)[oi] : (int64_t)((const int32_t *)offset)[oi];
        C pos;
        if constexpr (std::is_same<C, double>::value)
            pos = ((double)t + (double)off) * (double)scale;
        else
            pos = ((float)t + (float)off) * scale;
        if (traditional) {
            const int64_t k0 = (int64_t)u * E; /* first element; pairs k0/2 .. k0/2 + E/2 */
            C c[E / 2], sk[E / 2];
#pragma unroll
            for (int p = 0; p < E / 2; p++) {
                const int64_t k = k0 / 2 + p;
                C inv = use_table ? s_inv[k] : (C)1 / freqs[k * freqs_stride];
                C sn;
                rope_cos_sin<T, C>(pos * inv, c[p], sn);
                sk[p] = (C)sign * sn;
            }
            for (int64_t n = n0; n < n1; n++) {
                const int64_t r = (bidx * N + n) * T_len + t;
                const T *xr = x + rope_row_offset(lay, strided, r, D) + k0;
                T *yr = out + r * D + k0;
                vec_t<T, E> in, res;
                if constexpr (VEC >= 2) {
                    in = *(const vec_t<T, E> *)xr;
                } else {
                    in.v[0] = xr[0];
                    in.v[1] = xr[1];
                }
#pragma unroll
                for (int p = 0; p < E / 2; p++) {
                    C x1 = (C)to_compute(in.v[2 * p]), x2 = (C)to_compute(in.v[2 * p + 1]);
                    res.v[2 * p] = store_as<T>::from(x1 * c[p] - x2 * sk[p]);
                    res.v[2 * p + 1] = store_as<T>::from(x1 * sk[p] + x2 * c[p]);
                }
                if constexpr (VEC >= 2) {
                    *(vec_t<T, E> *)yr = res;
                } else {
                    yr[0] = res.v[0];
                    yr[1] = res.v[1];
                }
            }
            continue;
        }
        const int64_t k0 = (int64_t)u * VEC;
        C c[VEC], sk[VEC];
#pragma unroll
        for (int e = 0; e < VEC; e++) {
            const int64_t k = k0 + e;
            C inv = use_table ? s_inv[k] : (C)1 / freqs[k * freqs_stride];
            C sn;
            rope_cos_sin<T, C>(pos * inv, c[e], sn);
            sk[e] = (C)sign * sn;
        }
        for (int64_t n = n0; n < n1; n++) {
            const int64_t r = (bidx * N + n) * T_len + t;
            const T *xr = x + rope_row_offset(lay, strided, r, D) + k0;
            T *yr = out + r * D + k0;
            vec_t<T, VEC> p1, p2, r1, r2;
            if constexpr (VEC > 1) {
                p1 = *(const vec_t<T, VEC> *)xr;
                p2 = *(const vec_t<T, VEC> *)(xr + half);
            } else {
                p1.v[0] = xr[0];
                p2.v[0] = xr[half];
            }
#pragma unroll
            for (int e = 0; e < VEC; e++) {
                C a = (C)to_compute(p1.v[e]), bb = (C)to_compute(p2.v[e]);
                r1.v[e] = store_as<T>::from(a * c[e] - bb * sk[e]);
                r2.v[e] = store_as<T>::from(a * sk[e] + bb * c[e]);
            }
            if constexpr (VEC > 1) {
                *(vec_t<T, VEC> *)yr = r1;
                *(vec_t<T, VEC> *)(yr + half) = r2;
            } else {
                yr[0] = r1.v[0];
                yr[half] = r2.v[0];
            }
        }
    }
}

template <typename T>
int run_rope(T *out, const T *x, const cuda_layout *lay, int64_t rows, int64_t T_len, int64_t D,
             int64_t rows_per_batch, int dims, bool traditional, bool forward, float scale, const void *inv_freq,
             const void *freqs, int64_t freqs_stride, const void *offset, bool offset_unsigned,
             int64_t offset_stride, cudaStream_t s) {
    typedef typename norm_acc<T>::type C;
    const int half = dims / 2;
    if (half > CUDA_ROPE_MAX_HALF && inv_freq)
        return -1;
    inv_table<C> table;
    if (inv_freq)
        for (int k = 0; k < half; k++)
            table.v[k] = ((const C *)inv_freq)[k];
    cuda_layout rows_lay;
    bool strided = lay != NULL;
    if (strided)
        rows_lay = *lay;
    else
        rows_lay.ndim = 0;
    constexpr int VEC = 16 / sizeof(T);
    bool vec_ok = D % VEC == 0 && (traditional ? dims % VEC == 0 : half % VEC == 0) && ((uintptr_t)x % 16) == 0 &&
                  ((uintptr_t)out % 16) == 0;
    for (int d = 0; strided && vec_ok && d < rows_lay.ndim; d++)
        vec_ok = rows_lay.strides[0][d] % VEC == 0;
    const float sign = forward ? 1.0f : -1.0f;
    const int64_t B = rows / rows_per_batch, N = rows_per_batch / T_len;
    /* threads per head chunk: (b, t, unit); heads split into chunks until
     * about 8 waves of 2048 threads per SM are launched (a partial last wave
     * costs little then), at least 2 heads per chunk sharing the trigonometry */
    const int64_t per_head = B * T_len * (vec_ok ? D / VEC : D / 2);
    int64_t chunks = (8 * 2048 * 132 + per_head - 1) / (per_head > 0 ? per_head : 1);
    chunks = chunks < 1 ? 1 : chunks > (N + 1) / 2 ? (N + 1) / 2 : chunks > 65535 ? 65535 : chunks;
    const int64_t heads_per_chunk = (N + chunks - 1) / chunks;
    chunks = (N + heads_per_chunk - 1) / heads_per_chunk;
    dim3 grid(cuda_blocks_for(per_head, 256), (unsigned)chunks);
    if (vec_ok)
        rope_rows<T, VEC><<<grid, 256, 0, s>>>(out, x, rows_lay, strided, B, N, T_len, D, heads_per_chunk, half,
                                               traditional, sign, scale, table, inv_freq != NULL, (const C *)freqs,
                                               freqs_stride, offset, offset_unsigned, offset_stride);
    else
        rope_rows<T, 1><<<grid, 256, 0, s>>>(out, x, rows_lay, strided, B, N, T_len, D, heads_per_chunk, half,
                                             traditional, sign, scale, table, inv_freq != NULL, (const C *)freqs,
                                             freqs_stride, offset, offset_unsigned, offset_stride);
    return 0;
}

} // namespace

extern "C" int cuda_launch_norm(int layer, int x_dtype, int out_dtype, void *out, const void *x, const void *w,
                                const void *b, int64_t rows, int64_t L, float eps, cuda_stream stream) {
    cudaStream_t s = (cudaStream_t)stream;
    if (rows * L == 0)
        return 0;
#define NORM_CASE(XT, OT, X, O)                                                                                        \
    if (x_dtype == XT && out_dtype == OT)                                                                              \
        return run_norm<X, O>(layer != 0, (O *)out, (const X *)x, (const O *)w, (const O *)b, rows, L, eps, s);
    NORM_CASE(MX_FLOAT32, MX_FLOAT32, float, float)
    NORM_CASE(MX_FLOAT16, MX_FLOAT16, f16_t, f16_t)
    NORM_CASE(MX_BFLOAT16, MX_BFLOAT16, bf16_t, bf16_t)
    NORM_CASE(MX_FLOAT64, MX_FLOAT64, double, double)
    NORM_CASE(MX_FLOAT32, MX_FLOAT16, float, f16_t)
    NORM_CASE(MX_FLOAT32, MX_BFLOAT16, float, bf16_t)
#undef NORM_CASE
    return -1;
}

extern "C" int cuda_launch_rope(int dtype, void *out, const void *x, const cuda_layout *rows_lay, int64_t rows,
                                int64_t T, int64_t D, int64_t rows_per_batch, int dims, int traditional, int forward,
                                float scale, const void *inv_freq, const void *freqs, int64_t freqs_stride,
                                const void *offset, int offset_unsigned, int64_t offset_stride, cuda_stream stream) {
    cudaStream_t s = (cudaStream_t)stream;
    if (rows * D == 0)
        return 0;
    switch (dtype) {
#define ROPE_CASE(DT, TYPE)                                                                                            \
    case DT:                                                                                                           \
        return run_rope<TYPE>((TYPE *)out, (const TYPE *)x, rows_lay, rows, T, D, rows_per_batch, dims,                \
                              traditional != 0, forward != 0, scale, inv_freq, freqs, freqs_stride, offset,            \
                              offset_unsigned != 0, offset_stride, s);
        ROPE_CASE(MX_FLOAT32, float)
        ROPE_CASE(MX_FLOAT16, f16_t)
        ROPE_CASE(MX_BFLOAT16, bf16_t)
        ROPE_CASE(MX_FLOAT64, double)
#undef ROPE_CASE
    default: return -1;
    }
}
