/* backend/cuda/quantized.cu - the quantization kernels (launchers in
 * quantized_kernels.h, glue in quantized.c).
 *
 * Packed arrays are MLX's affine layout: one little-endian bit stream of
 * `bits`-wide values over the flattened array (a row holds a multiple of 32
 * values, so rows are whole words; 32 values fill exactly `bits` words).
 *
 * quantize (stats + pack) and dequantize are memory-bound: 16-byte loads and
 * stores of the float side; every float step is an explicit IEEE intrinsic
 * (no contraction into fma) so the bits match the CPU kernel.
 *
 * qmv (quantized_matmul with transpose, small M): a block of 128 threads owns
 * ROWS output columns; its threads split K in units of U values whose words
 * are 16 bytes (or a multiple) of each weight row, so the weights are read
 * once with 16-byte loads and dequantized in registers; per segment of <= 32
 * values (inside one group) it accumulates dot(x, q) and sum(x) and adds
 * s * dot + b * sum, the CPU kernel's decomposition. Integers become floats
 * through the exponent trick (2^23 + q as float bits, minus 2^23: exact). */
#include "backend/cuda/cuda_common.cuh"
#include "backend/cuda/quantized_kernels.h"

namespace {

/* value v of a little-endian bit stream held in registers (v known at compile time after unrolling) */
template <int BITS> __device__ __forceinline__ uint32_t stream_value(const uint32_t *words, int v) {
    const int pos = v * BITS, wi = pos >> 5, off = pos & 31;
    uint32_t r = words[wi] >> off;
    if (off + BITS > 32)
        r |= words[wi + 1] << (32 - off);
    return r & ((1u << BITS) - 1u);
}

/* q (< 2^23) as a float without an int-to-float conversion */
__device__ __forceinline__ float small_uint_to_float(uint32_t q) {
    return __fsub_rn(__uint_as_float(0x4B000000u | q), 8388608.0f);
}

/* 8 consecutive elements of T (16-byte aligned) as floats */
template <typename T> __device__ __forceinline__ void load8(const T *p, float (&f)[8]) {
    if constexpr (sizeof(T) == 4) {
        float4 a = reinterpret_cast<const float4 *>(p)[0], b = reinterpret_cast<const float4 *>(p)[1];
        f[0] = a.x, f[1] = a.y, f[2] = a.z, f[3] = a.w, f[4] = b.x, f[5] = b.y, f[6] = b.z, f[7] = b.w;
    } else {
        vec_t<T, 8> v = *reinterpret_cast<const vec_t<T, 8> *>(p);
#pragma unroll
        for (int j = 0; j < 8; j++)
            f[j] = to_compute(v.v[j]);
    }
}

/* n words at p (p + n words on 16 bytes when n % 4 == 0, 8 when n % 2 == 0) into registers */
template <int N> __device__ __forceinline__ void load_words(const uint32_t *p, uint32_t (&w)[N]) {
    if constexpr (N % 4 == 0) {
#pragma unroll
        for (int i = 0; i < N / 4; i++) {
            uint4 v = reinterpret_cast<const uint4 *>(p)[i];
            w[4 * i] = v.x, w[4 * i + 1] = v.y, w[4 * i + 2] = v.z, w[4 * i + 3] = v.w;
        }
    } else if constexpr (N % 2 == 0) {
#pragma unroll
        for (int i = 0; i < N / 2; i++) {
            uint2 v = reinterpret_cast<const uint2 *>(p)[i];
            w[2 * i] = v.x, w[2 * i + 1] = v.y;
        }
    } else {
#pragma unroll
        for (int i = 0; i < N; i++)
            w[i] = p[i];
    }
}

template <int N> __device__ __forceinline__ void store_words(uint32_t *p, const uint32_t (&w)[N]) {
    if constexpr (N % 4 == 0) {
#pragma unroll
        for (int i = 0; i < N / 4; i++)
            reinterpret_cast<uint4 *>(p)[i] = make_uint4(w[4 * i], w[4 * i + 1], w[4 * i + 2], w[4 * i + 3]);
    } else if constexpr (N % 2 == 0) {
#pragma unroll
        for (int i = 0; i < N / 2; i++)
            reinterpret_cast<uint2 *>(p)[i] = make_uint2(w[2 * i], w[2 * i + 1]);
    } else {
#pragma unroll
        for (int i = 0; i < N; i++)
            p[i] = w[i];
    }
}

/* ---- quantize: stats ------------------------------------------------------------------------------ */
/* shape: w (n) -> stats (n / gs, 2) float32 [scale, bias]. One 16-byte vector
 * of w per thread, lanes_per_group = gs / VEC neighbouring lanes per group
 * (4..32) combine min/max by shuffles. Whole warps run each iteration. */
template <typename T>
__global__ void quantize_stats_kernel(float *stats, const T *w, int64_t nvec, int lanes_per_group, int bits) {
    constexpr int VEC = 16 / sizeof(T);
    const float n_bins = (float)((1 << bits) - 1), eps = 1e-7f;
    const int lane = threadIdx.x & 31;
    const int64_t stride = (int64_t)gridDim.x * blockDim.x;
    for (int64_t base = (int64_t)blockIdx.x * blockDim.x + (threadIdx.x & ~31); base < nvec; base += stride) {
        const int64_t i = base + lane;
        float wmin = INFINITY, wmax = -INFINITY;
        if (i < nvec) {
            vec_t<T, VEC> v = reinterpret_cast<const vec_t<T, VEC> *>(w)[i];
#pragma unroll
            for (int j = 0; j < VEC; j++) {
                float f = to_compute(v.v[j]);
                wmax = fmaxf(wmax, f);
                wmin = fminf(wmin, f);
            }
        }
        for (int d = lanes_per_group / 2; d > 0; d >>= 1) {
            wmax = fmaxf(wmax, __shfl_xor_sync(0xffffffffu, wmax, d));
            wmin = fminf(wmin, __shfl_xor_sync(0xffffffffu, wmin, d));
        }
        if (i >= nvec || (lane & (lanes_per_group - 1)) != 0)
            continue;
        float scale, bias;
        if (bits == 1) {
            scale = fmaxf(__fsub_rn(wmax, wmin), eps);
            bias = wmin;
        } else {
            bool mask = fabsf(wmin) > fabsf(wmax);
            scale = fmaxf(__fdiv_rn(__fsub_rn(wmax, wmin), n_bins), eps);
            scale = mask ? scale : -scale;
            float edge = mask ? wmin : wmax;
            float q0 = rintf(__fdiv_rn(edge, scale));
            bias = 0;
            if (q0 != 0) {
                scale = __fdiv_rn(edge, q0);
                bias = edge;
            }
        }
        const int64_t g = i / lanes_per_group;
        reinterpret_cast<float2 *>(stats)[g] = make_float2(scale, bias);
    }
}

/* ---- quantize: pack ------------------------------------------------------------------------------- */
/* shape: w (n), stats (n / gs, 2) -> packed (n * BITS / 32). One chunk of 32
 * values (= BITS words, inside one group) per thread. */
template <typename T, int BITS>
__global__ void quantize_pack_kernel(uint32_t *packed, const T *w, const float *stats, int64_t chunks, int gs) {
    const float n_bins = (float)((1 << BITS) - 1);
    for (int64_t c = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; c < chunks; c += (int64_t)gridDim.x * blockDim.x) {
        const int64_t g = c * 32 / gs;
        const float2 st = reinterpret_cast<const float2 *>(stats)[g];
        uint32_t words[BITS];
#pragma unroll
        for (int i = 0; i < BITS; i++)
            words[i] = 0;
#pragma unroll
        for (int j = 0; j < 32; j += 8) {
            float f[8];
            load8(w + c * 32 + j, f);
#pragma unroll
            for (int t = 0; t < 8; t++) {
                float v = rintf(__fdiv_rn(__fsub_rn(f[t], st.y), st.x));
                v = fminf(fmaxf(v, 0.0f), n_bins);
                const uint32_t q = (uint32_t)v;
                const int pos = (j + t) * BITS, wi = pos >> 5, off = pos & 31;
                words[wi] |= q << off;
                if (off + BITS > 32)
                    words[wi + 1] |= q >> (32 - off);
            }
        }
        store_words(packed + c * BITS, words);
    }
}

/* ---- dequantize ----------------------------------------------------------------------------------- */
/* shape: w (n * BITS / 32 words), s, b (n / gs) -> out (n). One 16-byte
 * output vector (VEC values, inside one group) per thread, so a warp's
 * stores are contiguous; its bits come from the 64-bit window of the two
 * words that hold them (VEC * BITS <= 64 and the window's offset leaves room
 * for every bits value). */
template <typename T, int BITS>
__global__ void dequantize_kernel(T *out, const uint32_t *w, const T *s, const T *b, int64_t nvec, int64_t nwords,
                                  int gs, bool mlx_rounding) {
    constexpr int VEC = 16 / sizeof(T);
    constexpr uint32_t MASK = (1u << BITS) - 1u;
    for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < nvec; i += (int64_t)gridDim.x * blockDim.x) {
        const int64_t v0 = i * VEC, bit = v0 * BITS, wi = bit >> 5;
        const int off = (int)(bit & 31);
        uint64_t win = w[wi];
        if (off + VEC * BITS > 32 && wi + 1 < nwords)
            win |= (uint64_t)w[wi + 1] << 32;
        const int64_t g = v0 / gs;
        const auto sg = to_compute(s[g]), bg = to_compute(b[g]);
        vec_t<T, VEC> v;
#pragma unroll
        for (int t = 0; t < VEC; t++) {
            const uint32_t q = (uint32_t)(win >> (off + t * BITS)) & MASK;
            if constexpr (sizeof(T) == 8) {
                v.v[t] = __dadd_rn(__dmul_rn(sg, (double)q), bg);
            } else if constexpr (sizeof(T) == 4) {
                v.v[t] = __fadd_rn(__fmul_rn(sg, small_uint_to_float(q)), bg);
            } else {
                float p = __fmul_rn(sg, small_uint_to_float(q));
                if (mlx_rounding)
                    p = round_to<T>(p);
                v.v[t] = store_as<T>::from(__fadd_rn(p, bg));
            }
        }
        reinterpret_cast<vec_t<T, VEC> *>(out)[i] = v;
    }
}

/* ---- qmv ------------------------------------------------------------------------------------------ */
/* The GEMV's integers as "biased" floats, made without conversions: value
 * v = 2^(23 - BITS) (2^BITS + q), the float whose exponent is 2^23 and whose
 * top mantissa bits hold q (an OR of the shifted bits into 0x4B000000). So
 * dot(x, q) = dot(x, v) * 2^(BITS - 23) - 2^BITS * sum(x): v is exact and
 * its bias 2^BITS is of q's size, so the subtraction costs a bit or two of
 * float precision, not the 23 bits that 2^23 + q would. */
__host__ __device__ constexpr float biased_scale(int bits) { return 1.0f / (float)(1u << (23 - bits)); }
__host__ __device__ constexpr float biased_offset(int bits) { return (float)(1u << bits); }

/* values v0 .. v0 + 7 (v0 a multiple of 8) of a unit's words as biased floats */
template <int BITS> __device__ __forceinline__ void biased_values(const uint32_t *words, int v0, float (&f)[8]) {
    if constexpr (BITS == 4) {
        /* one word = 8 nibbles: even nibbles at bits 3..6 of each byte (lo), odd ones (hi); a byte_perm
         * puts byte j into bits 16..23 under the exponent byte 0x4B: 2^23 + (q << 19) */
        const uint32_t w = words[v0 / 8];
        const uint32_t lo = (w << 3) & 0x78787878u, hi = (w >> 1) & 0x78787878u;
#pragma unroll
        for (int j = 0; j < 4; j++) {
            f[2 * j] = __uint_as_float(__byte_perm(lo, 0x4B000000u, 0x7054u | (j << 8)));
            f[2 * j + 1] = __uint_as_float(__byte_perm(hi, 0x4B000000u, 0x7054u | (j << 8)));
        }
    } else {
#pragma unroll
        for (int t = 0; t < 8; t++)
            f[t] = __uint_as_float(0x4B000000u | (stream_value<BITS>(words, v0 + t) << (23 - BITS)));
    }
}

/* Values per unit: the fewest whose words are a multiple of 16 bytes. */
__host__ __device__ constexpr int qmv_unit(int bits) {
    return bits == 1 || bits == 3 || bits == 5 ? 128 : bits == 2 || bits == 6 ? 64 : bits == 4 ? 32 : 16;
}
constexpr int QMV_THREADS = 128;

/* shape: out (batch, M, N) = x (batch, M, K) @ W^T, W = s q + b (N, K); this
 * launch covers rows [m0, m0 + mcount) of every product (mcount <= MT). A
 * block: ROWS columns n of one product (blockIdx.y strides the batch); each
 * thread walks units u = tid, tid + 128, ... of the ROWS weight rows. */
template <typename T, int BITS, int MT, int ROWS>
__global__ void __launch_bounds__(QMV_THREADS)
    qmv_kernel(T *out, const T *x, const uint32_t *w, const T *s, const T *b, const cuda_qmm_batch *table,
               int64_t batch, int m0, int mcount, int64_t M, int64_t N, int64_t K, int gs) {
    constexpr int U = qmv_unit(BITS), NW = U * BITS / 32, SEG = U < 32 ? U : 32;
    __shared__ float partial[QMV_THREADS / 32][ROWS * MT];
    const int64_t units = K / U, row_words = K * BITS / 32, groups = K / gs;
    const int64_t n0 = (int64_t)blockIdx.x * ROWS;
    const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
    for (int64_t bi = blockIdx.y; bi < batch; bi += gridDim.y) {
        const int64_t xo = table ? table[bi].x_offset : 0, wi = table ? table[bi].w_index : 0;
        const T *xb = x + xo + (int64_t)m0 * K;
        const uint32_t *wb = w + wi * N * row_words;
        const T *sb = s + wi * N * groups, *bb = b + wi * N * groups;
        float acc[ROWS][MT];
#pragma unroll
        for (int r = 0; r < ROWS; r++)
#pragma unroll
            for (int m = 0; m < MT; m++)
                acc[r][m] = 0;
        for (int64_t u = threadIdx.x; u < units; u += QMV_THREADS) {
            uint32_t q[ROWS][NW];
#pragma unroll
            for (int r = 0; r < ROWS; r++) {
                if (n0 + r < N)
                    load_words(wb + (n0 + r) * row_words + u * NW, q[r]);
                else
#pragma unroll
                    for (int i = 0; i < NW; i++)
                        q[r][i] = 0;
            }
#pragma unroll
            for (int seg = 0; seg < U / SEG; seg++) {
                const int64_t kk = u * U + seg * SEG, g = kk / gs;
                float dot[ROWS][MT], xs[MT];
#pragma unroll
                for (int m = 0; m < MT; m++) {
                    xs[m] = 0;
#pragma unroll
                    for (int r = 0; r < ROWS; r++)
                        dot[r][m] = 0;
                }
#pragma unroll
                for (int j = 0; j < SEG; j += 8) {
                    if constexpr (MT == 1) { /* one row of x: each weight row's values used once, made just in time */
                        float f[8];
                        load8(xb + kk + j, f);
#pragma unroll
                        for (int t = 0; t < 8; t++)
                            xs[0] += f[t];
#pragma unroll
                        for (int r = 0; r < ROWS; r++) {
                            float v[8];
                            biased_values<BITS>(q[r], seg * SEG + j, v);
#pragma unroll
                            for (int t = 0; t < 8; t++)
                                dot[r][0] = fmaf(f[t], v[t], dot[r][0]);
                        }
                    } else {
                        float qf[ROWS][8];
#pragma unroll
                        for (int r = 0; r < ROWS; r++)
                            biased_values<BITS>(q[r], seg * SEG + j, qf[r]);
#pragma unroll
                        for (int m = 0; m < MT; m++) {
                            if (MT > 1 && m >= mcount)
                                break;
                            float f[8];
                            load8(xb + m * K + kk + j, f);
#pragma unroll
                            for (int t = 0; t < 8; t++) {
                                xs[m] += f[t];
#pragma unroll
                                for (int r = 0; r < ROWS; r++)
                                    dot[r][m] = fmaf(f[t], qf[r][t], dot[r][m]);
                            }
                        }
                    }
                }
#pragma unroll
                for (int r = 0; r < ROWS; r++) {
                    if (n0 + r >= N)
                        break;
                    const float sc = to_compute(sb[(n0 + r) * groups + g]), bs = to_compute(bb[(n0 + r) * groups + g]);
#pragma unroll
                    for (int m = 0; m < MT; m++) {
                        const float d = fmaf(dot[r][m], biased_scale(BITS), -biased_offset(BITS) * xs[m]);
                        acc[r][m] = fmaf(sc, d, fmaf(bs, xs[m], acc[r][m]));
                    }
                }
            }
        }
        /* the block's sum of each (r, m) */
#pragma unroll
        for (int r = 0; r < ROWS; r++)
#pragma unroll
            for (int m = 0; m < MT; m++) {
                float v = acc[r][m];
#pragma unroll
                for (int d = 16; d > 0; d >>= 1)
                    v += __shfl_xor_sync(0xffffffffu, v, d);
                if (lane == 0)
                    partial[warp][r * MT + m] = v;
            }
        __syncthreads();
        if (threadIdx.x < ROWS * MT) {
            const int r = threadIdx.x / MT, m = threadIdx.x % MT;
            float v = 0;
#pragma unroll
            for (int k = 0; k < QMV_THREADS / 32; k++)
                v += partial[k][threadIdx.x];
            if (m < mcount && n0 + r < N)
                out[(bi * M + m0 + m) * N + n0 + r] = store_as<T>::from(v);
        }
        __syncthreads();
    }
}

template <typename T, int BITS>
void qmv_launch(T *out, const T *x, const uint32_t *w, const T *s, const T *b, int64_t batch,
                const cuda_qmm_batch *table, int64_t m, int64_t n, int64_t k, int gs, cudaStream_t stream) {
    const unsigned gy = (unsigned)(batch < 65535 ? batch : 65535);
    for (int64_t m0 = 0; m0 < m; m0 += 8) {
        const int mc = (int)(m - m0 < 8 ? m - m0 : 8);
        if (m == 1) {
            constexpr int ROWS = 8;
            dim3 grid((unsigned)((n + ROWS - 1) / ROWS), gy);
            qmv_kernel<T, BITS, 1, ROWS>
                <<<grid, QMV_THREADS, 0, stream>>>(out, x, w, s, b, table, batch, 0, 1, m, n, k, gs);
        } else {
            constexpr int ROWS = 2;
            dim3 grid((unsigned)((n + ROWS - 1) / ROWS), gy);
            qmv_kernel<T, BITS, 8, ROWS>
                <<<grid, QMV_THREADS, 0, stream>>>(out, x, w, s, b, table, batch, (int)m0, mc, m, n, k, gs);
        }
    }
}

/* clang-format off */
/* BITS as a template argument */
#define QUANT_DISPATCH_BITS(bits, B, ...)                                                                            \
    switch (bits) {                                                                                                  \
    case 1: { constexpr int B = 1; __VA_ARGS__; } break;                                                            \
    case 2: { constexpr int B = 2; __VA_ARGS__; } break;                                                            \
    case 3: { constexpr int B = 3; __VA_ARGS__; } break;                                                            \
    case 4: { constexpr int B = 4; __VA_ARGS__; } break;                                                            \
    case 5: { constexpr int B = 5; __VA_ARGS__; } break;                                                            \
    case 6: { constexpr int B = 6; __VA_ARGS__; } break;                                                            \
    case 8: { constexpr int B = 8; __VA_ARGS__; } break;                                                            \
    default: return -1;                                                                                              \
    }

/* float32, float16, bfloat16 */
#define QUANT_DISPATCH_FLOAT(dtype, T, ...)                                                                          \
    switch (dtype) {                                                                                                 \
    case MX_FLOAT32: { typedef float T; __VA_ARGS__; } break;                                                       \
    case MX_FLOAT16: { typedef f16_t T; __VA_ARGS__; } break;                                                       \
    case MX_BFLOAT16: { typedef bf16_t T; __VA_ARGS__; } break;                                                     \
    default: return -1;                                                                                              \
    }

/* clang-format on */

} // namespace

extern "C" int cuda_launch_quantize_stats(int dtype, float *stats, const void *w, int64_t n, int gs, int bits,
                                          cuda_stream stream) {
    if (n <= 0)
        return 0;
    QUANT_DISPATCH_FLOAT(dtype, T, {
        constexpr int VEC = 16 / sizeof(T);
        const int64_t nvec = n / VEC;
        quantize_stats_kernel<T>
            <<<cuda_blocks_for(nvec, 256), 256, 0, (cudaStream_t)stream>>>(stats, (const T *)w, nvec, gs / VEC, bits);
    });
    return 0;
}

extern "C" int cuda_launch_quantize_pack(int dtype, uint32_t *packed, const void *w, const float *stats, int64_t n,
                                         int gs, int bits, cuda_stream stream) {
    if (n <= 0)
        return 0;
    const int64_t chunks = n / 32;
    QUANT_DISPATCH_FLOAT(dtype, T, {
        QUANT_DISPATCH_BITS(bits, B, {
            quantize_pack_kernel<T, B><<<cuda_blocks_for(chunks, 256), 256, 0, (cudaStream_t)stream>>>(
                packed, (const T *)w, stats, chunks, gs);
        });
    });
    return 0;
}

extern "C" int cuda_launch_dequantize(int dtype, void *out, const uint32_t *w, const void *scales, const void *biases,
                                      int64_t n, int gs, int bits, int mlx_rounding, cuda_stream stream) {
    if (n <= 0)
        return 0;
    const int64_t nwords = n / 32 * bits;
#define DEQ_LAUNCH(T)                                                                                                  \
    QUANT_DISPATCH_BITS(bits, B, {                                                                                     \
        const int64_t nvec = n / (16 / (int64_t)sizeof(T));                                                            \
        dequantize_kernel<T, B><<<cuda_blocks_for(nvec, 256), 256, 0, (cudaStream_t)stream>>>(                         \
            (T *)out, w, (const T *)scales, (const T *)biases, nvec, nwords, gs, mlx_rounding != 0);                   \
    })
    switch (dtype) {
    case MX_FLOAT32: DEQ_LAUNCH(float); break;
    case MX_FLOAT16: DEQ_LAUNCH(f16_t); break;
    case MX_BFLOAT16: DEQ_LAUNCH(bf16_t); break;
    case MX_FLOAT64: DEQ_LAUNCH(double); break;
    default: return -1;
    }
#undef DEQ_LAUNCH
    return 0;
}

extern "C" int cuda_qmv_supported(int64_t k, int bits) {
    switch (bits) {
    case 1: return k % qmv_unit(1) == 0;
    case 2: return k % qmv_unit(2) == 0;
    case 3: return k % qmv_unit(3) == 0;
    case 4: return k % qmv_unit(4) == 0;
    case 5: return k % qmv_unit(5) == 0;
    case 6: return k % qmv_unit(6) == 0;
    case 8: return k % qmv_unit(8) == 0;
    default: return 0;
    }
}

extern "C" int cuda_launch_qmv(int dtype, void *out, const void *x, const uint32_t *w, const void *scales,
                               const void *biases, int64_t batch, const cuda_qmm_batch *table, int64_t m, int64_t n,
                               int64_t k, int gs, int bits, cuda_stream stream) {
    if (batch <= 0 || m <= 0 || n <= 0 || !cuda_qmv_supported(k, bits))
        return -1;
    QUANT_DISPATCH_FLOAT(dtype, T, {
        QUANT_DISPATCH_BITS(bits, B, {
            qmv_launch<T, B>((T *)out, (const T *)x, w, (const T *)scales, (const T *)biases, batch, table, m, n, k, gs,
                             (cudaStream_t)stream);
        });
    });
    return 0;
}
