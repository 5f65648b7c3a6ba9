/* backend/cuda/sdpa.cu - flash attention: scaled_dot_product_attention's
 * forward pass and its fused backward pass.
 *
 * Forward (float16/bfloat16, head dims 64/80/96/128): a block owns 128
 * queries, 4 warps of 2 m-tiles (16 rows each) by default (as
 * FlashAttention-2: each K / V fragment feeds two products); K and V tiles
 * of 64 keys stream through shared memory (cp.async, K of the next tile in
 * flight during the softmax and P V of this one); S = Q K^T and O += P V are
 * mma.sync m16n8k16 with float accumulators, fragments loaded ahead of their
 * products; the softmax is online (running row max and denominator per
 * thread, rows reduced over the 4 threads of a
 * quad). float32 runs a CUDA-core kernel of the same structure (32 x 32 tiles).
 *
 * MLX semantics, as the CPU kernel: a hidden score (boolean mask, causal) is
 * the dtype's lowest finite value, not -inf, so a row whose keys are all
 * hidden averages the values over all keys; keys past Tk are -inf. Causal key
 * tiles past a block's last visible key are skipped unless the block holds a
 * row that sees no key at all (Tq > Tk), which then needs every key.
 *
 * Backward (float16/bfloat16): delta = rowsum(dO * O) first; then a block of
 * 4 warps owns 64 keys of one key/value head (16 per warp) and walks every
 * query block of every query head that shares it (grouped-query attention
 * needs no atomics for dK/dV): S^T = K Q^T and dP^T = V dO^T, P from the
 * forward's saved row statistics, dS = P (dP - delta) (0 where hidden),
 * dV += P^T dO and dK += dS^T Q in registers; dS goes through shared memory
 * for dQ += dS K, accumulated in float by atomics and converted at the end. */
#include <float.h>
#include <stdlib.h>

#include "backend/cuda/cuda_common.cuh"
#include "backend/cuda/sdpa_kernels.h"

#define LOG2E 1.4426950408889634f
#ifndef SDPA_FWD_SHAPE_DEFAULT
#define SDPA_FWD_SHAPE_DEFAULT 2
#endif

/* ---- PTX helpers ------------------------------------------------------------------------ */

__device__ __forceinline__ void cp_async16(void *smem, const void *gmem, bool pred) {
    unsigned s = (unsigned)__cvta_generic_to_shared(smem);
    int n = pred ? 16 : 0;
    asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n" ::"r"(s), "l"(gmem), "r"(n));
}
__device__ __forceinline__ void cp_async_commit() { asm volatile("cp.async.commit_group;\n" ::); }
template <int N> __device__ __forceinline__ void cp_async_wait() {
    asm volatile("cp.async.wait_group %0;\n" ::"n"(N));
}

__device__ __forceinline__ void ldsm_x4(uint32_t (&r)[4], const void *p) {
    unsigned a = (unsigned)__cvta_generic_to_shared(p);
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0,%1,%2,%3}, [%4];\n"
                 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
                 : "r"(a));
}
__device__ __forceinline__ void ldsm_x4_t(uint32_t (&r)[4], const void *p) {
    unsigned a = (unsigned)__cvta_generic_to_shared(p);
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {%0,%1,%2,%3}, [%4];\n"
                 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
                 : "r"(a));
}
__device__ __forceinline__ void ldsm_x2_t(uint32_t (&r)[2], const void *p) {
    unsigned a = (unsigned)__cvta_generic_to_shared(p);
    asm volatile("ldmatrix.sync.aligned.m8n8.x2.trans.shared.b16 {%0,%1}, [%2];\n"
                 : "=r"(r[0]), "=r"(r[1])
                 : "r"(a));
}

/* c (16x8 float) += a (16x16) b (16x8). Not volatile: registers only, so
 * the compiler may move the fragment loads ahead of earlier products. */
template <typename T> __device__ __forceinline__ void mma16816(float (&c)[4], const uint32_t (&a)[4], uint32_t b0, uint32_t b1);
template <> __device__ __forceinline__ void mma16816<bf16_t>(float (&c)[4], const uint32_t (&a)[4], uint32_t b0, uint32_t b1) {
    asm("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, "
                 "{%0,%1,%2,%3};\n"
                 : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
                 : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
}
template <> __device__ __forceinline__ void mma16816<f16_t>(float (&c)[4], const uint32_t (&a)[4], uint32_t b0, uint32_t b1) {
    asm("mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, "
                 "{%0,%1,%2,%3};\n"
                 : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
                 : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
}

/* Two floats as a packed pair of T (the low half is x). */
template <typename T> __device__ __forceinline__ uint32_t pack2(float x, float y);
template <> __device__ __forceinline__ uint32_t pack2<bf16_t>(float x, float y) {
    __nv_bfloat162 v = __floats2bfloat162_rn(x, y);
    return *reinterpret_cast<uint32_t *>(&v);
}
template <> __device__ __forceinline__ uint32_t pack2<f16_t>(float x, float y) {
    __half2 v = __floats2half2_rn(x, y);
    return *reinterpret_cast<uint32_t *>(&v);
}

__device__ __forceinline__ float quad_max(float x) {
    x = fmaxf(x, __shfl_xor_sync(0xffffffffu, x, 1));
    return fmaxf(x, __shfl_xor_sync(0xffffffffu, x, 2));
}
__device__ __forceinline__ float quad_sum(float x) {
    x += __shfl_xor_sync(0xffffffffu, x, 1);
    return x + __shfl_xor_sync(0xffffffffu, x, 2);
}

/* The score of key `col` for query `row` (both in range) after the mask: the
 * raw dot product times scale, plus the additive mask, or `lowest` when a
 * boolean mask or the causal cut hides it. keep: whether it is not hidden. */
template <typename T>
__device__ __forceinline__ float masked_score(const cuda_sdpa_args &a, float raw, int b, int h, int row, int col,
                                              bool &keep) {
    float x = raw * a.scale;
    keep = true;
    if (a.mask_kind != CUDA_SDPA_MASK_NONE) {
        int64_t off = b * a.mask_strides[0] + h * a.mask_strides[1] + (int64_t)row * a.mask_strides[2] +
                      (int64_t)col * a.mask_strides[3];
        if (a.mask_kind == CUDA_SDPA_MASK_BOOL)
            keep = reinterpret_cast<const unsigned char *>(a.mask)[off] != 0;
        else
            x += to_compute(reinterpret_cast<const T *>(a.mask)[off]);
    }
    if (a.causal && col > row + (a.Tk - a.Tq))
        keep = false;
    return keep ? x : a.lowest;
}

/* rows [row0, row0 + ROWS) of a (T, D) matrix at row stride `ld` into shared
 * memory (row pitch LD); rows at or past `limit` are zeros. */
template <typename T, int D, int LD, int ROWS, int THREADS>
__device__ __forceinline__ void load_rows(T *dst, const T *src, int64_t ld, int row0, int limit, int tid) {
    constexpr int CH = D / 8;
#pragma unroll
    for (int c = tid; c < ROWS * CH; c += THREADS) {
        int r = c / CH, k = c % CH, row = row0 + r;
        bool ok = row < limit;
        cp_async16(dst + r * LD + k * 8, src + (ok ? (int64_t)row * ld : 0) + k * 8, ok);
    }
}

/* ---- forward: tensor cores ---------------------------------------------------------------- */

#define FWD_BN 64 /* keys per tile */

template <int D, int BM> constexpr int fwd_smem_bytes() { return (BM + 2 * FWD_BN) * (D + 8) * 2; }

/* grid (ceil(Tq / BM), Hq, B) with BM = 16 WARPS MT, 32 WARPS threads:
 * out[b, h, i0 .. i0 + BM, :]. Each warp owns MT m-tiles of 16 query rows:
 * MT = 1 keeps its Q fragments in registers; MT = 2 (as FlashAttention-2)
 * reads them from shared memory again per tile but uses each K / V fragment
 * twice. */
template <typename T, int D, int WARPS, int MT>
__global__ void __launch_bounds__(32 * WARPS) sdpa_fwd_mma(cuda_sdpa_args a) {
    constexpr int THREADS = 32 * WARPS, FWD_BM = 16 * WARPS * MT;
    constexpr int LD = D + 8; /* a 16-byte pad per row: ldmatrix rows hit distinct banks */
    constexpr int NT = FWD_BN / 8, KS = D / 16, DT = D / 8;
    constexpr bool QREG = MT == 1;
    extern __shared__ __align__(16) unsigned char smem_raw[];
    T *Qs = reinterpret_cast<T *>(smem_raw), *Ks = Qs + FWD_BM * LD, *Vs = Ks + FWD_BN * LD;
    const int tid = threadIdx.x, warp = tid / 32, lane = tid % 32;
    const int nqb = (a.Tq + FWD_BM - 1) / FWD_BM;
    const int qb = nqb - 1 - (int)blockIdx.x; /* causal: the longest blocks start first */
    const int h = blockIdx.y, b = blockIdx.z, g = h / (a.Hq / a.Hkv);
    const int i0 = qb * FWD_BM, shift = a.Tk - a.Tq;
    const T *qp = reinterpret_cast<const T *>(a.q) + b * a.q_strides[0] + h * a.q_strides[1];
    const T *kp = reinterpret_cast<const T *>(a.k) + b * a.k_strides[0] + g * a.k_strides[1];
    const T *vp = reinterpret_cast<const T *>(a.v) + b * a.v_strides[0] + g * a.v_strides[1];

    int kend = a.Tk;
    if (a.causal && i0 + shift >= 0) { /* every row sees a key: stop after the last one seen */
        int last = min(i0 + FWD_BM, a.Tq) - 1 + shift + 1;
        kend = min(a.Tk, last);
    }
    const int ntiles = (kend + FWD_BN - 1) / FWD_BN;

    load_rows<T, D, LD, FWD_BM, THREADS>(Qs, qp, a.q_strides[2], i0, a.Tq, tid);
    cp_async_commit();
    load_rows<T, D, LD, FWD_BN, THREADS>(Ks, kp, a.k_strides[2], 0, a.Tk, tid);
    cp_async_commit();
    cp_async_wait<1>();
    __syncthreads();
    const int wrow = warp * 16 * MT; /* the warp's first row in the block */
    uint32_t qf[QREG ? KS : 1][4];
    if constexpr (QREG) {
#pragma unroll
        for (int ks = 0; ks < KS; ks++)
            ldsm_x4(qf[ks], Qs + (wrow + lane % 16) * LD + ks * 16 + (lane / 16) * 8);
    }

    float o[MT][DT][4];
#pragma unroll
    for (int mt = 0; mt < MT; mt++)
#pragma unroll
        for (int d = 0; d < DT; d++)
            o[mt][d][0] = o[mt][d][1] = o[mt][d][2] = o[mt][d][3] = 0.0f;
    float m[MT][2], l[MT][2];
    float sink = a.sinks ? to_compute(reinterpret_cast<const T *>(a.sinks)[h * a.sinks_stride]) : -INFINITY;
#pragma unroll
    for (int mt = 0; mt < MT; mt++)
#pragma unroll
        for (int r = 0; r < 2; r++) {
            m[mt][r] = sink;
            l[mt][r] = (a.sinks && lane % 4 == 0 && sink != -INFINITY) ? 1.0f : 0.0f; /* counted once per quad */
        }

    for (int n = 0; n < ntiles; n++) {
        const int j0 = n * FWD_BN;
        load_rows<T, D, LD, FWD_BN, THREADS>(Vs, vp, a.v_strides[2], j0, a.Tk, tid);
        cp_async_commit();
        cp_async_wait<1>(); /* K of this tile */
        __syncthreads();
        float s[MT][NT][4];
#pragma unroll
        for (int mt = 0; mt < MT; mt++)
#pragma unroll
            for (int t = 0; t < NT; t++)
                s[mt][t][0] = s[mt][t][1] = s[mt][t][2] = s[mt][t][3] = 0.0f;
        /* K fragments: with Q in registers (MT = 1) those of k-step ks + 1 load
         * while step ks multiplies; otherwise a step's loads all come first */
        constexpr int KB = MT == 1 ? 2 : 1;
        uint32_t kf[KB][NT / 2][4];
        if constexpr (KB == 2) {
#pragma unroll
            for (int p = 0; p < NT / 2; p++)
                ldsm_x4(kf[0][p], Ks + (p * 16 + lane % 8 + (lane / 16) * 8) * LD + ((lane / 8) % 2) * 8);
        }
#pragma unroll
        for (int ks = 0; ks < KS; ks++) {
            uint32_t qm[MT][4];
#pragma unroll
            for (int mt = 0; mt < MT; mt++) {
                if constexpr (QREG) {
#pragma unroll
                    for (int e = 0; e < 4; e++)
                        qm[mt][e] = qf[ks][e];
                } else {
                    ldsm_x4(qm[mt], Qs + (wrow + mt * 16 + lane % 16) * LD + ks * 16 + (lane / 16) * 8);
                }
            }
            const int next = KB == 2 ? ks + 1 : ks, cur = KB == 2 ? ks % 2 : 0;
            if (next < KS) {
#pragma unroll
                for (int p = 0; p < NT / 2; p++)
                    ldsm_x4(kf[next % KB][p],
                            Ks + (p * 16 + lane % 8 + (lane / 16) * 8) * LD + next * 16 + ((lane / 8) % 2) * 8);
            }
#pragma unroll
            for (int p = 0; p < NT / 2; p++) {
#pragma unroll
                for (int mt = 0; mt < MT; mt++) {
                    mma16816<T>(s[mt][2 * p], qm[mt], kf[cur][p][0], kf[cur][p][1]);
                    mma16816<T>(s[mt][2 * p + 1], qm[mt], kf[cur][p][2], kf[cur][p][3]);
                }
            }
        }
        __syncthreads(); /* every warp is done with K */
        if (n + 1 < ntiles) {
            load_rows<T, D, LD, FWD_BN, THREADS>(Ks, kp, a.k_strides[2], j0 + FWD_BN, a.Tk, tid);
            cp_async_commit();
        }
        /* scores: scale, mask, bounds; then the online softmax of the thread's rows */
        const bool plain = a.mask_kind == CUDA_SDPA_MASK_NONE && j0 + FWD_BN <= a.Tk &&
                           !(a.causal && j0 + FWD_BN - 1 > i0 + shift);
        uint32_t pf[MT][NT / 2][4];
        if (plain) { /* the hot path: nothing hidden in this tile */
#pragma unroll
            for (int mt = 0; mt < MT; mt++)
#pragma unroll
                for (int t = 0; t < NT; t++)
#pragma unroll
                    for (int e = 0; e < 4; e++)
                        s[mt][t][e] *= a.scale;
        } else {
#pragma unroll
            for (int mt = 0; mt < MT; mt++)
#pragma unroll
                for (int t = 0; t < NT; t++)
#pragma unroll
                    for (int e = 0; e < 4; e++) {
                        int row = i0 + wrow + mt * 16 + lane / 4 + (e / 2) * 8;
                        int col = j0 + t * 8 + 2 * (lane % 4) + (e & 1);
                        if (col >= a.Tk) {
                            s[mt][t][e] = -INFINITY;
                        } else if (row < a.Tq) {
                            bool keep;
                            s[mt][t][e] = masked_score<T>(a, s[mt][t][e], b, h, row, col, keep);
                        } else {
                            s[mt][t][e] *= a.scale;
                        }
                    }
        }
#pragma unroll
        for (int mt = 0; mt < MT; mt++) {
#pragma unroll
            for (int r = 0; r < 2; r++) {
                float mtile = -INFINITY;
#pragma unroll
                for (int t = 0; t < NT; t++)
                    mtile = fmaxf(mtile, fmaxf(s[mt][t][2 * r], s[mt][t][2 * r + 1]));
                mtile = quad_max(mtile);
                float mnew = fmaxf(m[mt][r], mtile);
                float muse = mnew == -INFINITY ? 0.0f : mnew;
                float alpha = exp2f((m[mt][r] - muse) * LOG2E);
                m[mt][r] = mnew;
                float rs = 0.0f;
#pragma unroll
                for (int t = 0; t < NT; t++) {
                    float p0 = exp2f((s[mt][t][2 * r] - muse) * LOG2E);
                    float p1 = exp2f((s[mt][t][2 * r + 1] - muse) * LOG2E);
                    rs += p0 + p1;
                    pf[mt][t / 2][(t % 2) * 2 + r] = pack2<T>(p0, p1);
                }
                l[mt][r] = l[mt][r] * alpha + rs;
#pragma unroll
                for (int d = 0; d < DT; d++) {
                    o[mt][d][2 * r] *= alpha;
                    o[mt][d][2 * r + 1] *= alpha;
                }
            }
        }
        if (n + 1 < ntiles)
            cp_async_wait<1>(); /* V of this tile */
        else
            cp_async_wait<0>();
        __syncthreads();
        /* V fragments in groups of VG (16 columns each), loaded ahead of their products */
        constexpr int VG = MT == 1 ? 4 : 2, NG = (DT / 2 + VG - 1) / VG;
#pragma unroll
        for (int kk = 0; kk < NT / 2; kk++) {
#pragma unroll
            for (int gi = 0; gi < NG; gi++) {
                uint32_t vf[VG][4];
#pragma unroll
                for (int j = 0; j < VG; j++)
                    if (gi * VG + j < DT / 2)
                        ldsm_x4_t(vf[j], Vs + (kk * 16 + lane % 16) * LD + (gi * VG + j) * 16 + (lane / 16) * 8);
#pragma unroll
                for (int j = 0; j < VG; j++) {
                    const int p = gi * VG + j;
                    if (p < DT / 2) {
#pragma unroll
                        for (int mt = 0; mt < MT; mt++) {
                            mma16816<T>(o[mt][2 * p], pf[mt][kk], vf[j][0], vf[j][1]);
                            mma16816<T>(o[mt][2 * p + 1], pf[mt][kk], vf[j][2], vf[j][3]);
                        }
                    }
                }
            }
        }
        __syncthreads(); /* every warp is done with V */
    }
    if (ntiles == 0)
        cp_async_wait<0>();

    T *op = reinterpret_cast<T *>(a.out) + ((int64_t)(b * a.Hq + h) * a.Tq) * D;
#pragma unroll
    for (int mt = 0; mt < MT; mt++) {
#pragma unroll
        for (int r = 0; r < 2; r++) {
            int row = i0 + wrow + mt * 16 + lane / 4 + r * 8;
            float lt = quad_sum(l[mt][r]);
            float inv = 1.0f / lt;
            if (row >= a.Tq)
                continue;
#pragma unroll
            for (int d = 0; d < DT; d++) {
                uint32_t v = pack2<T>(o[mt][d][2 * r] * inv, o[mt][d][2 * r + 1] * inv);
                *reinterpret_cast<uint32_t *>(op + (int64_t)row * D + d * 8 + 2 * (lane % 4)) = v;
            }
            if (a.stats && lane % 4 == 0) {
                float *st = a.stats + ((int64_t)(b * a.Hq + h) * a.Tq + row) * 2;
                st[0] = m[mt][r] == -INFINITY ? 0.0f : m[mt][r];
                st[1] = inv;
            }
        }
    }
}

/* ---- forward: float32 on CUDA cores --------------------------------------------------------- */

#define F32_BM 32
#define F32_BN 32
#define F32_DMAX 128

/* grid (ceil(Tq / 32), Hq, B), 256 threads; 8 threads per query row, each
 * holding D / 8 of the row's outputs. */
__global__ void __launch_bounds__(256) sdpa_fwd_f32(cuda_sdpa_args a) {
    extern __shared__ float fsm[];
    const int D = a.D, LDQ = D + 1;
    float *Qs = fsm, *Ks = Qs + F32_BM * LDQ, *Vs = Ks + F32_BN * LDQ, *Ps = Vs + F32_BN * D;
    const int tid = threadIdx.x, r = tid / 8, c8 = tid % 8;
    const int nqb = (a.Tq + F32_BM - 1) / F32_BM;
    const int qb = nqb - 1 - (int)blockIdx.x;
    const int h = blockIdx.y, b = blockIdx.z, g = h / (a.Hq / a.Hkv);
    const int i0 = qb * F32_BM, shift = a.Tk - a.Tq, row = i0 + r;
    const float *qp = reinterpret_cast<const float *>(a.q) + b * a.q_strides[0] + h * a.q_strides[1];
    const float *kp = reinterpret_cast<const float *>(a.k) + b * a.k_strides[0] + g * a.k_strides[1];
    const float *vp = reinterpret_cast<const float *>(a.v) + b * a.v_strides[0] + g * a.v_strides[1];
    for (int e = tid; e < F32_BM * D; e += 256) {
        int rr = e / D, d = e % D;
        Qs[rr * LDQ + d] = i0 + rr < a.Tq ? qp[(int64_t)(i0 + rr) * a.q_strides[2] + d * a.q_strides[3]] : 0.0f;
    }
    int kend = a.Tk;
    if (a.causal && i0 + shift >= 0)
        kend = min(a.Tk, min(i0 + F32_BM, a.Tq) + shift);
    float o[F32_DMAX / 8];
#pragma unroll
    for (int c = 0; c < F32_DMAX / 8; c++)
        o[c] = 0.0f;
    float m = -INFINITY, l = 0.0f;
    if (a.sinks) {
        m = reinterpret_cast<const float *>(a.sinks)[h * a.sinks_stride];
        l = m != -INFINITY ? 1.0f : 0.0f;
    }
    for (int j0 = 0; j0 < kend; j0 += F32_BN) {
        __syncthreads();
        for (int e = tid; e < F32_BN * D; e += 256) {
            int kr = e / D, d = e % D, key = j0 + kr;
            bool ok = key < a.Tk;
            Ks[kr * LDQ + d] = ok ? kp[(int64_t)key * a.k_strides[2] + d * a.k_strides[3]] : 0.0f;
            Vs[kr * D + d] = ok ? vp[(int64_t)key * a.v_strides[2] + d * a.v_strides[3]] : 0.0f;
        }
        __syncthreads();
        float s[F32_BN / 8];
        float mt = -INFINITY;
#pragma unroll
        for (int e = 0; e < F32_BN / 8; e++) {
            int kr = c8 + 8 * e, col = j0 + kr;
            float acc = 0.0f;
            for (int d = 0; d < D; d++)
                acc = fmaf(Qs[r * LDQ + d], Ks[kr * LDQ + d], acc);
            float x;
            if (col >= a.Tk)
                x = -INFINITY;
            else if (row < a.Tq) {
                bool keep;
                x = masked_score<float>(a, acc, b, h, row, col, keep);
            } else
                x = acc * a.scale;
            s[e] = x;
            mt = fmaxf(mt, x);
        }
        mt = fmaxf(mt, __shfl_xor_sync(0xffffffffu, mt, 1));
        mt = fmaxf(mt, __shfl_xor_sync(0xffffffffu, mt, 2));
        mt = fmaxf(mt, __shfl_xor_sync(0xffffffffu, mt, 4));
        float mnew = fmaxf(m, mt), muse = mnew == -INFINITY ? 0.0f : mnew;
        float alpha = expf(m - muse), rs = 0.0f;
        m = mnew;
#pragma unroll
        for (int e = 0; e < F32_BN / 8; e++) {
            float p = expf(s[e] - muse);
            rs += p;
            Ps[r * (F32_BN + 1) + c8 + 8 * e] = p;
        }
        rs += __shfl_xor_sync(0xffffffffu, rs, 1);
        rs += __shfl_xor_sync(0xffffffffu, rs, 2);
        rs += __shfl_xor_sync(0xffffffffu, rs, 4);
        l = l * alpha + rs;
        __syncwarp();
#pragma unroll
        for (int c = 0; c < F32_DMAX / 8; c++) {
            int d = c8 + 8 * c;
            if (d < D) {
                float acc = o[c] * alpha;
                for (int kr = 0; kr < F32_BN; kr++)
                    acc = fmaf(Ps[r * (F32_BN + 1) + kr], Vs[kr * D + d], acc);
                o[c] = acc;
            }
        }
    }
    if (row >= a.Tq)
        return;
    float inv = 1.0f / l;
    float *op = reinterpret_cast<float *>(a.out) + ((int64_t)(b * a.Hq + h) * a.Tq + row) * D;
#pragma unroll
    for (int c = 0; c < F32_DMAX / 8; c++) {
        int d = c8 + 8 * c;
        if (d < D)
            op[d] = o[c] * inv;
    }
    if (a.stats && c8 == 0) {
        float *st = a.stats + ((int64_t)(b * a.Hq + h) * a.Tq + row) * 2;
        st[0] = m == -INFINITY ? 0.0f : m;
        st[1] = inv;
    }
}

/* ---- backward ------------------------------------------------------------------------------------ */

/* delta[r] = sum_d dO[r, d] O[r, d] over rows r of (B, Hq, Tq); a warp per row. */
template <typename T> __global__ void sdpa_bwd_delta(cuda_sdpa_bwd_args a) {
    int64_t rows = (int64_t)a.f.B * a.f.Hq * a.f.Tq;
    int64_t r = (int64_t)blockIdx.x * (blockDim.x / 32) + threadIdx.x / 32;
    int lane = threadIdx.x % 32;
    if (r >= rows)
        return;
    int i = (int)(r % a.f.Tq), h = (int)((r / a.f.Tq) % a.f.Hq), b = (int)(r / ((int64_t)a.f.Tq * a.f.Hq));
    const T *o = reinterpret_cast<const T *>(a.o) + b * a.o_strides[0] + h * a.o_strides[1] + i * a.o_strides[2];
    const T *g = reinterpret_cast<const T *>(a.dout) + b * a.dout_strides[0] + h * a.dout_strides[1] +
                 i * a.dout_strides[2];
    float acc = 0.0f;
    for (int d = lane; d < a.f.D; d += 32)
        acc += to_compute(o[d * a.o_strides[3]]) * to_compute(g[d * a.dout_strides[3]]);
    for (int s = 16; s > 0; s /= 2)
        acc += __shfl_xor_sync(0xffffffffu, acc, s);
    if (lane == 0)
        a.delta[r] = acc;
}

/* dq[i] = dq_acc[i] * scale as T. */
template <typename T> __global__ void sdpa_bwd_dq(const float *acc, T *dq, int64_t n, float scale) {
    for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x)
        dq[i] = store_as<T>::from(acc[i] * scale);
}

#define BWD_WARPS 4
#define BWD_BN 64 /* keys per block, 16 per warp */
#define BWD_BM 32 /* queries per step */

template <int D> constexpr int bwd_smem_bytes() {
    return (2 * BWD_BN + 4 * BWD_BM) * (D + 8) * 2 + BWD_BN * (BWD_BM + 8) * 2 + 2 * 3 * BWD_BM * 4;
}

/* grid (ceil(Tk / 64), Hkv, B), 128 threads: dk, dv of keys j0 .. j0 + 64 of
 * head g, and this block's share of dq (atomics into dq_acc). */
template <typename T, int D>
__global__ void __launch_bounds__(BWD_WARPS * 32, 2) sdpa_bwd_mma(cuda_sdpa_bwd_args a) {
    constexpr int LD = D + 8, LDS = BWD_BM + 8, KS = D / 16, DT = D / 8, QT = BWD_BM / 8;
    const cuda_sdpa_args &f = a.f;
    extern __shared__ __align__(16) unsigned char smem_raw[];
    T *Ks = reinterpret_cast<T *>(smem_raw), *Vs = Ks + BWD_BN * LD;
    T *Qs = Vs + BWD_BN * LD;         /* [2][BM][LD] */
    T *dOs = Qs + 2 * BWD_BM * LD;    /* [2][BM][LD] */
    T *dSs = dOs + 2 * BWD_BM * LD;   /* [BN][LDS]: dS^T */
    float *rowstat = reinterpret_cast<float *>(dSs + BWD_BN * LDS); /* [2][3][BM]: m, 1/l, delta */
    const int tid = threadIdx.x, warp = tid / 32, lane = tid % 32;
    const int g = blockIdx.y, b = blockIdx.z, R = f.Hq / f.Hkv;
    const int j0 = blockIdx.x * BWD_BN, shift = f.Tk - f.Tq;
    const int nqb = (f.Tq + BWD_BM - 1) / BWD_BM;
    /* query blocks that see these keys: causal skips those before the first
     * query seeing key j0, except blocks holding rows that see no key */
    int nhid = 0, qstart = 0;
    if (f.causal) {
        nhid = shift < 0 ? min(nqb, (-shift + BWD_BM - 1) / BWD_BM) : 0;
        int first = j0 - shift;
        qstart = first <= 0 ? 0 : min(nqb, first / BWD_BM);
        qstart = max(qstart, nhid);
    }
    const int per_head = nhid + (nqb - qstart), iters = per_head * R;
    const T *kp = reinterpret_cast<const T *>(f.k) + b * f.k_strides[0] + g * f.k_strides[1];
    const T *vp = reinterpret_cast<const T *>(f.v) + b * f.v_strides[0] + g * f.v_strides[1];

    load_rows<T, D, LD, BWD_BN, BWD_WARPS * 32>(Ks, kp, f.k_strides[2], j0, f.Tk, tid);
    load_rows<T, D, LD, BWD_BN, BWD_WARPS * 32>(Vs, vp, f.v_strides[2], j0, f.Tk, tid);
    cp_async_commit();

    /* the loads of step `it` into buffer `buf` */
    auto issue = [&](int it, int buf) {
        int h = g * R + it / per_head, k = it % per_head;
        int qb = k < nhid ? k : qstart + (k - nhid);
        int i0 = qb * BWD_BM;
        const T *qp = reinterpret_cast<const T *>(f.q) + b * f.q_strides[0] + h * f.q_strides[1];
        const T *gp = reinterpret_cast<const T *>(a.dout) + b * a.dout_strides[0] + h * a.dout_strides[1];
        load_rows<T, D, LD, BWD_BM, BWD_WARPS * 32>(Qs + buf * BWD_BM * LD, qp, f.q_strides[2], i0, f.Tq, tid);
        load_rows<T, D, LD, BWD_BM, BWD_WARPS * 32>(dOs + buf * BWD_BM * LD, gp, a.dout_strides[2], i0, f.Tq, tid);
        if (tid < BWD_BM) {
            int row = i0 + tid;
            float *st = rowstat + buf * 3 * BWD_BM;
            int64_t r = (int64_t)(b * f.Hq + h) * f.Tq + row;
            bool ok = row < f.Tq;
            st[tid] = ok ? a.stats[2 * r] : 0.0f;
            st[BWD_BM + tid] = ok ? a.stats[2 * r + 1] : 0.0f;
            st[2 * BWD_BM + tid] = ok ? a.delta[r] : 0.0f;
        }
    };

    float dk[DT][4], dv[DT][4];
#pragma unroll
    for (int d = 0; d < DT; d++)
#pragma unroll
        for (int e = 0; e < 4; e++)
            dk[d][e] = dv[d][e] = 0.0f;

    if (iters > 0)
        issue(0, 0);
    cp_async_commit();
    const int kr0 = j0 + warp * 16 + lane / 4; /* this thread's keys: kr0 and kr0 + 8 */
    for (int it = 0; it < iters; it++) {
        const int buf = it & 1;
        const int h = g * R + it / per_head, kq = it % per_head;
        const int i0 = (kq < nhid ? kq : qstart + (kq - nhid)) * BWD_BM;
        if (it + 1 < iters)
            issue(it + 1, buf ^ 1);
        cp_async_commit();
        cp_async_wait<1>();
        __syncthreads();
        const T *Qb = Qs + buf * BWD_BM * LD, *dOb = dOs + buf * BWD_BM * LD;
        const float *st = rowstat + buf * 3 * BWD_BM;
        /* S^T = K Q^T and dP^T = V dO^T: 16 keys x 32 queries per warp */
        float s[QT][4], dp[QT][4];
#pragma unroll
        for (int t = 0; t < QT; t++)
#pragma unroll
            for (int e = 0; e < 4; e++)
                s[t][e] = dp[t][e] = 0.0f;
#pragma unroll
        for (int ks = 0; ks < KS; ks++) {
            /* all of this k-step's fragments first, then its 4 * QT products */
            uint32_t kf[4], vf[4], qf[QT / 2][4], gf[QT / 2][4];
            ldsm_x4(kf, Ks + (warp * 16 + lane % 16) * LD + ks * 16 + (lane / 16) * 8);
            ldsm_x4(vf, Vs + (warp * 16 + lane % 16) * LD + ks * 16 + (lane / 16) * 8);
#pragma unroll
            for (int p = 0; p < QT / 2; p++) {
                int off = (p * 16 + lane % 8 + (lane / 16) * 8) * LD + ks * 16 + ((lane / 8) % 2) * 8;
                ldsm_x4(qf[p], Qb + off);
                ldsm_x4(gf[p], dOb + off);
            }
#pragma unroll
            for (int p = 0; p < QT / 2; p++) {
                mma16816<T>(s[2 * p], kf, qf[p][0], qf[p][1]);
                mma16816<T>(s[2 * p + 1], kf, qf[p][2], qf[p][3]);
                mma16816<T>(dp[2 * p], vf, gf[p][0], gf[p][1]);
                mma16816<T>(dp[2 * p + 1], vf, gf[p][2], gf[p][3]);
            }
        }
        /* P^T and dS^T, packed as A fragments (keys x queries); plain: no
         * mask, keys and queries in range, nothing causal-hidden in the tile */
        const bool plain = f.mask_kind == CUDA_SDPA_MASK_NONE && j0 + BWD_BN <= f.Tk && i0 + BWD_BM <= f.Tq &&
                           !(f.causal && j0 + BWD_BN - 1 > i0 + shift);
        uint32_t pf[QT / 2][4], sf[QT / 2][4];
#pragma unroll
        for (int t = 0; t < QT; t++) {
            float pv[4], dsv[4];
#pragma unroll
            for (int e = 0; e < 4; e++) {
                int key = kr0 + (e / 2) * 8, c = t * 8 + 2 * (lane % 4) + (e & 1), row = i0 + c;
                float p = 0.0f, ds = 0.0f;
                if (plain) {
                    p = exp2f((s[t][e] * f.scale - st[c]) * LOG2E) * st[BWD_BM + c];
                    ds = p * (dp[t][e] - st[2 * BWD_BM + c]);
                } else if (key < f.Tk && row < f.Tq) {
                    bool keep;
                    float x = masked_score<T>(f, s[t][e], b, h, row, key, keep);
                    p = exp2f((x - st[c]) * LOG2E) * st[BWD_BM + c];
                    ds = keep ? p * (dp[t][e] - st[2 * BWD_BM + c]) : 0.0f;
                }
                pv[e] = p;
                dsv[e] = ds;
            }
            pf[t / 2][(t % 2) * 2 + 0] = pack2<T>(pv[0], pv[1]);
            pf[t / 2][(t % 2) * 2 + 1] = pack2<T>(pv[2], pv[3]);
            sf[t / 2][(t % 2) * 2 + 0] = pack2<T>(dsv[0], dsv[1]);
            sf[t / 2][(t % 2) * 2 + 1] = pack2<T>(dsv[2], dsv[3]);
            /* dS^T to shared memory for dQ */
            T *dst = dSs + (warp * 16 + lane / 4) * LDS + t * 8 + 2 * (lane % 4);
            *reinterpret_cast<uint32_t *>(dst) = sf[t / 2][(t % 2) * 2 + 0];
            *reinterpret_cast<uint32_t *>(dst + 8 * LDS) = sf[t / 2][(t % 2) * 2 + 1];
        }
        /* dV += P^T dO, dK += dS^T Q (B operands: rows of dO / Q, transposed loads) */
#pragma unroll
        for (int kk = 0; kk < QT / 2; kk++) {
#pragma unroll
            for (int p0 = 0; p0 < DT / 2; p0 += 2) {
                uint32_t gf[2][4], qf[2][4];
#pragma unroll
                for (int j = 0; j < 2; j++)
                    if (p0 + j < DT / 2) {
                        int off = (kk * 16 + lane % 16) * LD + (p0 + j) * 16 + (lane / 16) * 8;
                        ldsm_x4_t(gf[j], dOb + off);
                        ldsm_x4_t(qf[j], Qb + off);
                    }
#pragma unroll
                for (int j = 0; j < 2; j++)
                    if (p0 + j < DT / 2) {
                        const int p = p0 + j;
                        mma16816<T>(dv[2 * p], pf[kk], gf[j][0], gf[j][1]);
                        mma16816<T>(dv[2 * p + 1], pf[kk], gf[j][2], gf[j][3]);
                        mma16816<T>(dk[2 * p], sf[kk], qf[j][0], qf[j][1]);
                        mma16816<T>(dk[2 * p + 1], sf[kk], qf[j][2], qf[j][3]);
                    }
            }
        }
        __syncthreads(); /* dS^T complete */
        /* dQ (32 x D) += dS (32 x 64) K (64 x D): warp w has rows (w & 1) * 16 and
         * the 8-wide column tiles of parity w >> 1 */
        {
            const int qr = (warp & 1) * 16, par = warp >> 1;
            constexpr int NQT = (DT + 1) / 2;
            float dq[NQT][4];
#pragma unroll
            for (int t = 0; t < NQT; t++)
                dq[t][0] = dq[t][1] = dq[t][2] = dq[t][3] = 0.0f;
#pragma unroll
            for (int kk = 0; kk < BWD_BN / 16; kk++) {
                uint32_t af[4], bf[NQT][2];
                int mi = lane / 8;
                ldsm_x4_t(af, dSs + (kk * 16 + (mi / 2) * 8 + lane % 8) * LDS + qr + (mi % 2) * 8);
#pragma unroll
                for (int t = 0; t < NQT; t++)
                    if (2 * t + par < DT)
                        ldsm_x2_t(bf[t], Ks + (kk * 16 + lane % 16) * LD + (2 * t + par) * 8);
#pragma unroll
                for (int t = 0; t < NQT; t++)
                    if (2 * t + par < DT)
                        mma16816<T>(dq[t], af, bf[t][0], bf[t][1]);
            }
            float *acc = a.dq_acc + ((int64_t)(b * f.Hq + h) * f.Tq) * D;
#pragma unroll
            for (int t = 0; t < NQT; t++) {
                int dt = 2 * t + par;
                if (dt >= DT)
                    continue;
#pragma unroll
                for (int e = 0; e < 4; e++) {
                    int row = i0 + qr + lane / 4 + (e / 2) * 8, d = dt * 8 + 2 * (lane % 4) + (e & 1);
                    if (row < f.Tq)
                        atomicAdd(acc + (int64_t)row * D + d, dq[t][e]);
                }
            }
        }
        __syncthreads(); /* before the next step overwrites dS^T and this buffer */
    }
    cp_async_wait<0>();
    /* dK (scaled) and dV of this thread's keys */
    T *dkp = reinterpret_cast<T *>(a.dk) + ((int64_t)(b * f.Hkv + g) * f.Tk) * D;
    T *dvp = reinterpret_cast<T *>(a.dv) + ((int64_t)(b * f.Hkv + g) * f.Tk) * D;
#pragma unroll
    for (int r = 0; r < 2; r++) {
        int key = kr0 + r * 8;
        if (key >= f.Tk)
            continue;
#pragma unroll
        for (int d = 0; d < DT; d++) {
            int64_t off = (int64_t)key * D + d * 8 + 2 * (lane % 4);
            *reinterpret_cast<uint32_t *>(dkp + off) = pack2<T>(dk[d][2 * r] * f.scale, dk[d][2 * r + 1] * f.scale);
            *reinterpret_cast<uint32_t *>(dvp + off) = pack2<T>(dv[d][2 * r], dv[d][2 * r + 1]);
        }
    }
}

/* ---- launchers ------------------------------------------------------------------------------------ */

template <typename K> static bool set_smem(K kernel, int bytes) {
    return cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, bytes) == cudaSuccess;
}

/* The forward kernel's shape: 1 = 8 warps x 1 m-tile (128 queries a block),
 * 2 = 4 warps x 2 m-tiles (128), 3 = 4 warps x 1 m-tile (64); the
 * CMLX_SDPA_FWD_SHAPE environment variable overrides the default (for
 * measurements). */
static int fwd_shape(void) {
    static int shape = -1;
    if (shape < 0) {
        const char *e = getenv("CMLX_SDPA_FWD_SHAPE");
        shape = e && e[0] >= '1' && e[0] <= '3' ? e[0] - '0' : SDPA_FWD_SHAPE_DEFAULT;
    }
    return shape;
}

template <typename T, int D, int WARPS, int MT>
static int launch_fwd_shape(const cuda_sdpa_args *a, cudaStream_t stream) {
    constexpr int BM = 16 * WARPS * MT, smem = fwd_smem_bytes<D, BM>();
    static bool ready = set_smem(sdpa_fwd_mma<T, D, WARPS, MT>, smem);
    if (!ready)
        return -1;
    dim3 grid((a->Tq + BM - 1) / BM, a->Hq, a->B);
    sdpa_fwd_mma<T, D, WARPS, MT><<<grid, 32 * WARPS, smem, stream>>>(*a);
    return cudaGetLastError() == cudaSuccess ? 0 : -2;
}

template <typename T, int D> static int launch_fwd(const cuda_sdpa_args *a, cudaStream_t stream) {
    switch (fwd_shape()) {
    case 2: return launch_fwd_shape<T, D, 4, 2>(a, stream);
    case 3: return launch_fwd_shape<T, D, 4, 1>(a, stream);
    default: return launch_fwd_shape<T, D, 8, 1>(a, stream);
    }
}

template <typename T, int D> static int launch_bwd(const cuda_sdpa_bwd_args *a, cudaStream_t stream) {
    constexpr int smem = bwd_smem_bytes<D>();
    static bool ready = set_smem(sdpa_bwd_mma<T, D>, smem);
    if (!ready)
        return -1;
    const cuda_sdpa_args &f = a->f;
    int64_t rows = (int64_t)f.B * f.Hq * f.Tq;
    sdpa_bwd_delta<T><<<(unsigned)((rows + 7) / 8), 256, 0, stream>>>(*a);
    if (cudaMemsetAsync(a->dq_acc, 0, (size_t)rows * D * sizeof(float), stream) != cudaSuccess)
        return -2;
    dim3 grid((f.Tk + BWD_BN - 1) / BWD_BN, f.Hkv, f.B);
    sdpa_bwd_mma<T, D><<<grid, BWD_WARPS * 32, smem, stream>>>(*a);
    int64_t n = rows * D;
    sdpa_bwd_dq<T><<<cuda_blocks_for(n, 256), 256, 0, stream>>>(a->dq_acc, reinterpret_cast<T *>(a->dq), n, f.scale);
    return cudaGetLastError() == cudaSuccess ? 0 : -2;
}

#define SDPA_HEAD_DIMS(X, T) X(T, 64) X(T, 80) X(T, 96) X(T, 128)

extern "C" int cuda_sdpa_head_dim_supported(int dtype, int D) {
    if (dtype == MX_FLOAT32)
        return D > 0 && D <= F32_DMAX;
    if (dtype != MX_FLOAT16 && dtype != MX_BFLOAT16)
        return 0;
    return D == 64 || D == 80 || D == 96 || D == 128;
}

extern "C" int cuda_launch_sdpa_forward(const cuda_sdpa_args *a, cuda_stream stream) {
    cudaStream_t s = (cudaStream_t)stream;
    if (!cuda_sdpa_head_dim_supported(a->dtype, a->D) || a->Hkv <= 0 || a->Hq % a->Hkv || a->Tk <= 0)
        return -1;
    if (a->B == 0 || a->Hq == 0 || a->Tq == 0)
        return 0;
    if (a->dtype == MX_FLOAT32) {
        int smem = (int)sizeof(float) * (2 * F32_BM * (a->D + 1) + F32_BN * a->D + F32_BM * (F32_BN + 1));
        static bool ready = set_smem(sdpa_fwd_f32, (int)sizeof(float) *
                                                        (2 * F32_BM * (F32_DMAX + 1) + F32_BN * F32_DMAX +
                                                         F32_BM * (F32_BN + 1)));
        if (!ready)
            return -1;
        dim3 grid((a->Tq + F32_BM - 1) / F32_BM, a->Hq, a->B);
        sdpa_fwd_f32<<<grid, 256, smem, s>>>(*a);
        return cudaGetLastError() == cudaSuccess ? 0 : -2;
    }
#define CASE(T, DIM)                                                                                                   \
    if (a->D == DIM)                                                                                                   \
        return launch_fwd<T, DIM>(a, s);
    if (a->dtype == MX_FLOAT16) {
        SDPA_HEAD_DIMS(CASE, f16_t)
    } else {
        SDPA_HEAD_DIMS(CASE, bf16_t)
    }
#undef CASE
    return -1;
}

extern "C" int cuda_launch_sdpa_backward(const cuda_sdpa_bwd_args *a, cuda_stream stream) {
    cudaStream_t s = (cudaStream_t)stream;
    const cuda_sdpa_args &f = a->f;
    if (f.dtype == MX_FLOAT32 || !cuda_sdpa_head_dim_supported(f.dtype, f.D) || f.Hkv <= 0 || f.Hq % f.Hkv ||
        f.Tk <= 0)
        return -1;
#define CASE(T, DIM)                                                                                                   \
    if (f.D == DIM)                                                                                                    \
        return launch_bwd<T, DIM>(a, s);
    if (f.dtype == MX_FLOAT16) {
        SDPA_HEAD_DIMS(CASE, f16_t)
    } else {
        SDPA_HEAD_DIMS(CASE, bf16_t)
    }
#undef CASE
    return -1;
}
