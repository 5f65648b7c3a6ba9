/* backend/cuda/elementwise.cu - unary, binary, where and cast kernels.
 *
 * Each op family is one kernel template per storage type with the op chosen
 * at run time inside (a uniform branch: these kernels are bound by memory,
 * and one template per op and dtype would multiply the compile time).
 * Layouts: contiguous operands take 16-byte vector loads and stores (each
 * thread handles 16 bytes of input); any other layout (views, broadcasts)
 * takes the strided kernel over the collapsed dims. Semantics follow the CPU
 * kernels (src/backend/cpu/unary.c, binary.c): half types compute in float
 * and round once; integers wrap; integer division by zero gives 0 and
 * remainder by zero the dividend; out-of-range shifts give 0 or -1. */
#include <math.h>
#include <type_traits>

#include "backend/cuda/complex.cuh"
#include "backend/cuda/cuda_common.cuh"
#include "ops/op_list.h"

namespace {

const int kThreads = 256;

/* ---- unary ----------------------------------------------------------------------------------- */

/* complex64 -> complex64 as the CPU's c64_map (abs and predicates are separate). */
__device__ __noinline__ c64_t c64_unary(int op, c64_t z, float scale) {
    const c64_t one = c64_make(1.0f, 0.0f);
    switch (op) {
    case MX_OP_negative: return c64_make(-z.re, -z.im);
    case MX_OP_sign: return (z.re == 0.0f && z.im == 0.0f) ? z : c64_div(z, c64_make(c64_abs(z), 0.0f));
    case MX_OP_sqrt: return c64_narrow(cuda::std::sqrt(c64_wide(z)));
    case MX_OP_rsqrt: return c64_div(one, c64_narrow(cuda::std::sqrt(c64_wide(z))));
    case MX_OP_square: return c64_mul(z, z);
    case MX_OP_reciprocal: return c64_div(one, z);
    case MX_OP_exp: return c64_narrow(cuda::std::exp(c64_wide(z)));
    case MX_OP_log: return c64_narrow(cuda::std::log(c64_wide(z)));
    case MX_OP_log1p: return c64_log1p(z);
    case MX_OP_log2:
    case MX_OP_log10: {
        /* clogf(z) rounded to float, then each part divided by the float constant */
        c64_t l = c64_narrow(cuda::std::log(c64_wide(z)));
        float d = op == MX_OP_log2 ? 0.693147180559945309f : 2.302585092994045684f; /* logf(10) */
        return c64_make(__fdiv_rn(l.re, d), __fdiv_rn(l.im, d));
    }
    case MX_OP_sin: return c64_narrow(cuda::std::sin(c64_wide(z)));
    case MX_OP_cos: return c64_narrow(cuda::std::cos(c64_wide(z)));
    case MX_OP_tan: return c64_narrow(cuda::std::tan(c64_wide(z)));
    case MX_OP_arcsin: return c64_narrow(cuda::std::asin(c64_wide(z)));
    case MX_OP_arccos: return c64_narrow(cuda::std::acos(c64_wide(z)));
    case MX_OP_arctan: return c64_narrow(cuda::std::atan(c64_wide(z)));
    case MX_OP_sinh: return c64_narrow(cuda::std::sinh(c64_wide(z)));
    case MX_OP_cosh: return c64_narrow(cuda::std::cosh(c64_wide(z)));
    case MX_OP_tanh: return c64_narrow(cuda::std::tanh(c64_wide(z)));
    case MX_OP_arcsinh: return c64_narrow(cuda::std::asinh(c64_wide(z)));
    case MX_OP_arccosh: return c64_narrow(cuda::std::acosh(c64_wide(z)));
    case MX_OP_arctanh: return c64_narrow(cuda::std::atanh(c64_wide(z)));
    case MX_OP_round: return c64_make(rintf(z.re), rintf(z.im));
    case MX_OP_degrees:
    case MX_OP_radians: return c64_mul(z, c64_make(scale, 0.0f));
    case MX_OP_conjugate: return c64_make(z.re, -z.im);
    default: return z;
    }
}

struct unary_fn {
    int op;
    float scale;
    double scale64;

    template <typename C> __device__ __forceinline__ C floating(C v, C s) const {
        switch (op) {
        case MX_OP_abs: return fabs(v);
        case MX_OP_negative: return -v;
        case MX_OP_sign: return (C)(v > (C)0) - (C)(v < (C)0);
        case MX_OP_sqrt: return sqrt(v);
        case MX_OP_rsqrt: return (C)1 / sqrt(v);
        case MX_OP_square: return v * v;
        case MX_OP_reciprocal: return (C)1 / v;
        case MX_OP_exp: return exp(v);
        case MX_OP_expm1: return expm1(v);
        case MX_OP_log: return log(v);
        case MX_OP_log1p: return log1p(v);
        case MX_OP_log2: return log2(v);
        case MX_OP_log10: return log10(v);
        case MX_OP_sin: return sin(v);
        case MX_OP_cos: return cos(v);
        case MX_OP_tan: return tan(v);
        case MX_OP_arcsin: return asin(v);
        case MX_OP_arccos: return acos(v);
        case MX_OP_arctan: return atan(v);
        case MX_OP_sinh: return sinh(v);
        case MX_OP_cosh: return cosh(v);
        case MX_OP_tanh: return tanh(v);
        case MX_OP_arcsinh: return asinh(v);
        case MX_OP_arccosh: return acosh(v);
        case MX_OP_arctanh: return atanh(v);
        case MX_OP_sigmoid: return (C)1 / ((C)1 + exp(-v));
        case MX_OP_erf: return erf(v);
        case MX_OP_erfinv: return erfinv(v);
        case MX_OP_floor: return floor(v);
        case MX_OP_ceil: return ceil(v);
        case MX_OP_round: return rint(v);
        case MX_OP_degrees:
        case MX_OP_radians: return v * s;
        default: return v;
        }
    }

    template <typename T> __device__ __forceinline__ T integer(T v) const {
        typedef typename std::make_unsigned<T>::type U;
        switch (op) {
        case MX_OP_abs:
            if constexpr (std::is_signed<T>::value)
                return v < 0 ? (T)((U)0 - (U)v) : v;
            else
                return v;
        case MX_OP_negative: return (T)((U)0 - (U)v);
        case MX_OP_sign:
            if constexpr (std::is_signed<T>::value)
                return (T)((v > 0) - (v < 0));
            else
                return (T)(v != 0);
        case MX_OP_square: return (T)((uint64_t)v * (uint64_t)v);
        case MX_OP_bitwise_invert: return (T)~v;
        default: return v; /* floor, ceil, round of an integer */
        }
    }

    template <typename In, typename Out> __device__ __forceinline__ Out operator()(In x) const {
        if constexpr (std::is_same<In, c64_t>::value) {
            if constexpr (std::is_same<Out, bool>::value) {
                switch (op) {
                case MX_OP_logical_not: return x.re == 0.0f && x.im == 0.0f;
                case MX_OP_isnan: return isnan(x.re) || isnan(x.im);
                case MX_OP_isinf: return isinf(x.re) || isinf(x.im);
                case MX_OP_isfinite: return isfinite(x.re) && isfinite(x.im);
                default: return false;
                }
            } else if constexpr (std::is_same<Out, float>::value) {
                return c64_abs(x); /* abs */
            } else {
                switch (op) { /* the common ones inline, the rest through one call */
                case MX_OP_negative: return c64_make(-x.re, -x.im);
                case MX_OP_conjugate: return c64_make(x.re, -x.im);
                case MX_OP_square: return c64_mul(x, x);
                default: return c64_unary(op, x, scale);
                }
            }
        } else if constexpr (std::is_same<Out, bool>::value && !std::is_same<In, bool>::value) {
            /* predicates */
            auto v = to_compute(x);
            switch (op) {
            case MX_OP_logical_not: return v == 0;
            case MX_OP_isnan:
                if constexpr (is_float_t<In>::value)
                    return isnan(v);
                else
                    return false;
            case MX_OP_isinf:
                if constexpr (is_float_t<In>::value)
                    return isinf(v);
                else
                    return false;
            case MX_OP_isfinite:
                if constexpr (is_float_t<In>::value)
                    return isfinite(v);
                else
                    return true;
            default: return false;
            }
        } else if constexpr (std::is_same<In, bool>::value) {
            return (op == MX_OP_logical_not || op == MX_OP_bitwise_invert) ? !x : x;
        } else if constexpr (is_float_t<In>::value) {
            typedef typename compute_of<In>::type C;
            return store_as<Out>::from(floating<C>(to_compute(x), std::is_same<C, double>::value ? (C)scale64 : (C)scale));
        } else {
            return integer<In>(x);
        }
    }
};

/* ---- binary ---------------------------------------------------------------------------------- */

/* Rounds a float intermediate to storage type T and back (MLX rounds the
 * intermediates of floor_divide and logaddexp in the half types). */
template <typename T, typename C> __device__ __forceinline__ C round_through(C v) {
    if constexpr (std::is_same<T, f16_t>::value || std::is_same<T, bf16_t>::value)
        return to_compute(store_as<T>::from(v));
    else
        return v;
}

/* MLX's CPU exp (Cephes' 2^x polynomial in float32), which the CPU backend
 * reproduces for logaddexp in every dtype; the same here for equal results. */
__device__ __forceinline__ float mlx_exp(float x0) {
    if (!(x0 >= -88.0f && x0 <= 88.0f))
        return isnan(x0) ? x0 : x0 > 88.0f ? INFINITY : 0.0f;
    float x = x0 * 1.442695f;
    float ipart = (float)floor((double)x + 0.5);
    float fpart = x - ipart;
    float p = 1.535336188319500e-4f;
    p = fmaf(p, fpart, 1.339887440266574e-3f);
    p = fmaf(p, fpart, 9.618437357674640e-3f);
    p = fmaf(p, fpart, 5.550332471162809e-2f);
    p = fmaf(p, fpart, 2.402264791363012e-1f);
    p = fmaf(p, fpart, 6.931472028550421e-1f);
    p = fmaf(p, fpart, 1.000000000000000f);
    return __int_as_float(((int)ipart + 127) << 23) * p;
}

template <typename C> __device__ __forceinline__ C nan_max(C x, C y) { return isnan(x) ? x : x > y ? x : y; }
template <typename C> __device__ __forceinline__ C nan_min(C x, C y) { return isnan(x) ? x : x < y ? x : y; }

/* complex64 (op, x, y) -> complex64 as the CPU's binary.c (C99 arithmetic, cpowf). */
__device__ __noinline__ c64_t c64_binary(int op, c64_t x, c64_t y) {
    switch (op) {
    case MX_OP_add: return c64_add(x, y);
    case MX_OP_subtract: return c64_sub(x, y);
    case MX_OP_multiply: return c64_mul(x, y);
    case MX_OP_divide:
    case MX_OP_floor_divide: return c64_div(x, y); /* MLX's complex floor_divide is the quotient */
    case MX_OP_power: {
        /* glibc's cpowf is cexpf(y * clogf(x)): here in double */
        c128_t lx = cuda::std::log(c64_wide(x));
        return c64_narrow(cuda::std::exp(c64_wide(y) * lx));
    }
    case MX_OP_maximum: return c64_isnan(x) ? x : c64_gt(x, y) ? x : y;
    case MX_OP_minimum: return c64_isnan(x) ? x : c64_gt(y, x) ? x : y;
    case MX_OP_logaddexp: {
        c64_t hi = c64_isnan(x) ? x : c64_gt(x, y) ? x : y;
        c64_t lo = c64_isnan(x) ? x : c64_gt(y, x) ? x : y;
        if ((lo.re == -INFINITY && lo.im == 0.0f) || (hi.re == INFINITY && hi.im == 0.0f))
            return hi;
        c64_t e = c64_narrow(cuda::std::exp(c64_wide(c64_sub(lo, hi))));
        return c64_add(hi, c64_log1p(e));
    }
    default: return x;
    }
}

struct binary_fn {
    int op;

    template <typename T, typename C> __device__ __forceinline__ C floating(C x, C y) const {
        switch (op) {
        case MX_OP_add: return x + y;
        case MX_OP_subtract: return x - y;
        case MX_OP_multiply: return x * y;
        case MX_OP_divide: return x / y;
        case MX_OP_floor_divide: return floor(round_through<T>(x / y));
        case MX_OP_remainder: {
            C r = remainder(x, y);
            if (r != 0 && ((r < 0) != (y < 0)))
                r += y;
            return r;
        }
        case MX_OP_power: return pow(x, y);
        case MX_OP_maximum: return nan_max(x, y);
        case MX_OP_minimum: return nan_min(x, y);
        case MX_OP_logaddexp: {
            C hi = nan_max(x, y), lo = nan_min(x, y);
            if (lo == -INFINITY || hi == INFINITY)
                return hi;
            C e = round_through<T>((C)mlx_exp((float)round_through<T>(lo - hi)));
            return hi + round_through<T>(log1p(e));
        }
        case MX_OP_arctan2: return atan2(x, y);
        default: return x;
        }
    }

    template <typename T> __device__ __forceinline__ T integer(T x, T y) const {
        typedef typename std::conditional<(sizeof(T) > 4), uint64_t, uint32_t>::type M;
        const int bits = (int)sizeof(T) * 8;
        switch (op) {
        case MX_OP_add: return (T)((M)x + (M)y);
        case MX_OP_subtract: return (T)((M)x - (M)y);
        case MX_OP_multiply: return (T)((M)x * (M)y);
        case MX_OP_maximum: return x > y ? x : y;
        case MX_OP_minimum: return x < y ? x : y;
        case MX_OP_bitwise_and: return (T)(x & y);
        case MX_OP_bitwise_or: return (T)(x | y);
        case MX_OP_bitwise_xor: return (T)(x ^ y);
        case MX_OP_power: {
            if constexpr (std::is_signed<T>::value)
                if (y < 0)
                    return 0;
            M result = 1, base = (M)x;
            T e = y;
            while (e) {
                if (e & 1)
                    result *= base;
                e = (T)(e >> 1);
                base *= base;
            }
            return (T)result;
        }
        case MX_OP_floor_divide:
            if (y == 0)
                return 0;
            if constexpr (std::is_signed<T>::value) {
                if (y == -1)
                    return (T)((M)0 - (M)x);
                T q = (T)(x / y);
                if ((T)(x % y) != 0 && ((x < 0) != (y < 0)))
                    q--;
                return q;
            } else {
                return (T)(x / y);
            }
        case MX_OP_remainder:
            if (y == 0)
                return x;
            if constexpr (std::is_signed<T>::value) {
                if (y == -1)
                    return 0;
                T r = (T)(x % y);
                if (r != 0 && ((r < 0) != (y < 0)))
                    r = (T)(r + y);
                return r;
            } else {
                return (T)(x % y);
            }
        case MX_OP_left_shift:
            if constexpr (std::is_signed<T>::value)
                if (y < 0)
                    return 0;
            return (uint64_t)y >= (uint64_t)bits ? (T)0 : (T)((M)x << y);
        case MX_OP_right_shift:
            if constexpr (std::is_signed<T>::value)
                if (y < 0 || y >= bits)
                    return (T)(x < 0 ? -1 : 0);
            return (uint64_t)y >= (uint64_t)bits ? (T)0 : (T)(x >> y);
        default: return x;
        }
    }

    __device__ __forceinline__ bool boolean(bool x, bool y) const {
        switch (op) {
        case MX_OP_add: return x | y;
        case MX_OP_subtract: return x != y;
        case MX_OP_multiply: return x & y;
        case MX_OP_floor_divide: return x & y;
        case MX_OP_remainder: return x & !y;
        case MX_OP_power: return x | !y;
        case MX_OP_maximum: return x | y;
        case MX_OP_minimum: return x & y;
        case MX_OP_bitwise_and: return x & y;
        case MX_OP_bitwise_or: return x | y;
        case MX_OP_bitwise_xor: return x ^ y;
        default: return x;
        }
    }

    template <typename T, typename Out> __device__ __forceinline__ Out operator()(T a, T b) const {
        if constexpr (std::is_same<T, c64_t>::value) {
            if constexpr (std::is_same<Out, bool>::value) {
                switch (op) {
                case MX_OP_equal: return a.re == b.re && a.im == b.im;
                case MX_OP_not_equal: return a.re != b.re || a.im != b.im;
                case MX_OP_greater: return c64_gt(a, b);
                case MX_OP_greater_equal: return c64_ge(a, b);
                case MX_OP_less: return c64_gt(b, a);
                case MX_OP_less_equal: return c64_ge(b, a);
                default: return false;
                }
            } else {
                switch (op) { /* the common ones inline, the rest through one call */
                case MX_OP_add: return c64_add(a, b);
                case MX_OP_subtract: return c64_sub(a, b);
                case MX_OP_multiply: return c64_mul(a, b);
                case MX_OP_divide: return c64_div(a, b);
                default: return c64_binary(op, a, b);
                }
            }
        } else {
            return real_op<T, Out>(a, b);
        }
    }

    template <typename T, typename Out> __device__ __forceinline__ Out real_op(T a, T b) const {
        auto x = to_compute(a);
        auto y = to_compute(b);
        if constexpr (std::is_same<Out, bool>::value) {
            switch (op) {
            case MX_OP_equal: return x == y;
            case MX_OP_not_equal: return x != y;
            case MX_OP_greater: return x > y;
            case MX_OP_greater_equal: return x >= y;
            case MX_OP_less: return x < y;
            case MX_OP_less_equal: return x <= y;
            case MX_OP_logical_and: return x != 0 && y != 0;
            case MX_OP_logical_or: return x != 0 || y != 0;
            default:
                if constexpr (std::is_same<T, bool>::value)
                    return boolean(a, b);
                else
                    return false;
            }
        } else if constexpr (is_float_t<T>::value) {
            return store_as<Out>::from(floating<T>(x, y));
        } else {
            return integer<T>(a, b);
        }
    }
};

/* ---- kernels ---------------------------------------------------------------------------------- */

/* shape: out, in (n,) contiguous; V elements per vector access */
template <typename In, typename Out, int V>
__global__ void unary_contig(Out *out, const In *in, int64_t n, unary_fn f) {
    int64_t nvec = n / V, tid = blockIdx.x * (int64_t)blockDim.x + threadIdx.x, step = (int64_t)gridDim.x * blockDim.x;
    for (int64_t v = tid; v < nvec; v += step) {
        vec_t<In, V> x = reinterpret_cast<const vec_t<In, V> *>(in)[v];
        vec_t<Out, V> y;
#pragma unroll
        for (int j = 0; j < V; j++)
            y.v[j] = f.template operator()<In, Out>(x.v[j]);
        reinterpret_cast<vec_t<Out, V> *>(out)[v] = y;
    }
    int64_t t = nvec * V + tid;
    if (t < n)
        out[t] = f.template operator()<In, Out>(in[t]);
}

/* shape: out (n,) contiguous = f(in viewed through lay, operand 1) */
template <typename In, typename Out> __global__ void unary_strided(Out *out, const In *in, int64_t n, cuda_layout lay, unary_fn f) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x) {
        int64_t off[2];
        strided_offsets<2>(lay, i, off);
        out[off[0]] = f.template operator()<In, Out>(in[off[1]]);
    }
}

/* shape: out, a, b (n,) contiguous, or a/b a single broadcast element */
template <typename T, typename Out, int V>
__global__ void binary_contig(Out *out, const T *a, const T *b, int64_t n, int a_scalar, int b_scalar, binary_fn f) {
    int64_t nvec = n / V, tid = blockIdx.x * (int64_t)blockDim.x + threadIdx.x, step = (int64_t)gridDim.x * blockDim.x;
    T a0 = a[0], b0 = b[0];
    for (int64_t v = tid; v < nvec; v += step) {
        vec_t<T, V> x, y;
        if (a_scalar) {
#pragma unroll
            for (int j = 0; j < V; j++)
                x.v[j] = a0;
        } else {
            x = reinterpret_cast<const vec_t<T, V> *>(a)[v];
        }
        if (b_scalar) {
#pragma unroll
            for (int j = 0; j < V; j++)
                y.v[j] = b0;
        } else {
            y = reinterpret_cast<const vec_t<T, V> *>(b)[v];
        }
        vec_t<Out, V> z;
#pragma unroll
        for (int j = 0; j < V; j++)
            z.v[j] = f.template operator()<T, Out>(x.v[j], y.v[j]);
        reinterpret_cast<vec_t<Out, V> *>(out)[v] = z;
    }
    int64_t t = nvec * V + tid;
    if (t < n)
        out[t] = f.template operator()<T, Out>(a_scalar ? a0 : a[t], b_scalar ? b0 : b[t]);
}

template <typename T, typename Out>
__global__ void binary_strided(Out *out, const T *a, const T *b, int64_t n, cuda_layout lay, binary_fn f) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x) {
        int64_t off[3];
        strided_offsets<3>(lay, i, off);
        out[off[0]] = f.template operator()<T, Out>(a[off[1]], b[off[2]]);
    }
}

/* shape: out, cond, x, y (n,) through lay (NULL layout: contiguous) */
template <typename T>
__global__ void where_kernel(T *out, const unsigned char *cond, const T *x, const T *y, int64_t n, cuda_layout lay,
                             int contiguous) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x) {
        if (contiguous) {
            out[i] = cond[i] ? x[i] : y[i];
        } else {
            int64_t off[4];
            strided_offsets<4>(lay, i, off);
            out[off[0]] = cond[off[1]] ? x[off[2]] : y[off[3]];
        }
    }
}

/* convert<To>(x) extended to complex64 as the CPU's cpu_convert_run: a real
 * value becomes (v, 0) (v as float32); a complex one gives its real part to
 * real types and "either part non-zero" to bool. */
template <typename To, typename From> __device__ __forceinline__ To cast_value(From x) {
    if constexpr (std::is_same<From, c64_t>::value) {
        if constexpr (std::is_same<To, c64_t>::value)
            return x;
        else if constexpr (std::is_same<To, bool>::value)
            return x.re != 0.0f || x.im != 0.0f;
        else
            return convert<To>(x.re);
    } else if constexpr (std::is_same<To, c64_t>::value) {
        return c64_make(convert<float>(x), 0.0f);
    } else {
        return convert<To>(x);
    }
}

/* Casts: one kernel per source type; the destination type is chosen at run
 * time once per thread (a switch around the stores). */
template <typename In, int V>
__global__ void cast_contig(void *out, const In *in, int64_t n, int out_dtype) {
    int64_t nvec = n / V, tid = blockIdx.x * (int64_t)blockDim.x + threadIdx.x, step = (int64_t)gridDim.x * blockDim.x;
    for (int64_t v = tid; v <= nvec; v += step) {
        int64_t base = v * V;
        int count = v < nvec ? V : (int)(n - base);
        if (count <= 0)
            break;
        In x[V];
        if (count == V) {
            vec_t<In, V> vx = reinterpret_cast<const vec_t<In, V> *>(in)[v];
#pragma unroll
            for (int j = 0; j < V; j++)
                x[j] = vx.v[j];
        } else {
            for (int j = 0; j < count; j++)
                x[j] = in[base + j];
        }
#define CAST_STORE(T)                                                                                                \
    {                                                                                                                \
        T *o = (T *)out + base;                                                                                      \
        for (int j = 0; j < count; j++)                                                                              \
            o[j] = cast_value<T>(x[j]);                                                                              \
    }
        switch (out_dtype) {
        case MX_BOOL: CAST_STORE(bool) break;
        case MX_UINT8: CAST_STORE(uint8_t) break;
        case MX_UINT16: CAST_STORE(uint16_t) break;
        case MX_UINT32: CAST_STORE(uint32_t) break;
        case MX_UINT64: CAST_STORE(uint64_t) break;
        case MX_INT8: CAST_STORE(int8_t) break;
        case MX_INT16: CAST_STORE(int16_t) break;
        case MX_INT32: CAST_STORE(int32_t) break;
        case MX_INT64: CAST_STORE(int64_t) break;
        case MX_FLOAT16: CAST_STORE(f16_t) break;
        case MX_FLOAT32: CAST_STORE(float) break;
        case MX_FLOAT64: CAST_STORE(double) break;
        case MX_BFLOAT16: CAST_STORE(bf16_t) break;
        case MX_COMPLEX64: CAST_STORE(c64_t) break;
        default: break;
        }
#undef CAST_STORE
    }
}

template <typename In> __global__ void cast_strided(void *out, const In *in, int64_t n, cuda_layout lay, int out_dtype) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x) {
        int64_t off[2];
        strided_offsets<2>(lay, i, off);
        In x = in[off[1]];
        switch (out_dtype) {
        case MX_BOOL: ((bool *)out)[off[0]] = cast_value<bool>(x); break;
        case MX_UINT8: ((uint8_t *)out)[off[0]] = cast_value<uint8_t>(x); break;
        case MX_UINT16: ((uint16_t *)out)[off[0]] = cast_value<uint16_t>(x); break;
        case MX_UINT32: ((uint32_t *)out)[off[0]] = cast_value<uint32_t>(x); break;
        case MX_UINT64: ((uint64_t *)out)[off[0]] = cast_value<uint64_t>(x); break;
        case MX_INT8: ((int8_t *)out)[off[0]] = cast_value<int8_t>(x); break;
        case MX_INT16: ((int16_t *)out)[off[0]] = cast_value<int16_t>(x); break;
        case MX_INT32: ((int32_t *)out)[off[0]] = cast_value<int32_t>(x); break;
        case MX_INT64: ((int64_t *)out)[off[0]] = cast_value<int64_t>(x); break;
        case MX_FLOAT16: ((f16_t *)out)[off[0]] = cast_value<f16_t>(x); break;
        case MX_FLOAT32: ((float *)out)[off[0]] = cast_value<float>(x); break;
        case MX_FLOAT64: ((double *)out)[off[0]] = cast_value<double>(x); break;
        case MX_BFLOAT16: ((bf16_t *)out)[off[0]] = cast_value<bf16_t>(x); break;
        case MX_COMPLEX64: ((c64_t *)out)[off[0]] = cast_value<c64_t>(x); break;
        default: break;
        }
    }
}

bool aligned(const void *p, size_t bytes) { return ((uintptr_t)p % bytes) == 0; }

template <typename In, typename Out>
int unary_typed(void *out, const void *in, int64_t n, const cuda_layout *lay, unary_fn f, cudaStream_t s) {
    const In *x = (const In *)in;
    Out *o = (Out *)out;
    if (lay) {
        unary_strided<In, Out><<<cuda_blocks_for(n, kThreads), kThreads, 0, s>>>(o, x, n, *lay, f);
        return 0;
    }
    const int V = vec_width<In>::value;
    if (aligned(x, sizeof(In) * V) && aligned(o, sizeof(Out) * V))
        unary_contig<In, Out, V><<<cuda_blocks_for(n / V + 1, kThreads), kThreads, 0, s>>>(o, x, n, f);
    else
        unary_contig<In, Out, 1><<<cuda_blocks_for(n, kThreads), kThreads, 0, s>>>(o, x, n, f);
    return 0;
}

template <typename T, typename Out>
int binary_typed(void *out, const void *a, const void *b, int64_t n, const cuda_layout *lay, int as, int bs,
                 binary_fn f, cudaStream_t s) {
    const T *x = (const T *)a, *y = (const T *)b;
    Out *o = (Out *)out;
    if (lay) {
        binary_strided<T, Out><<<cuda_blocks_for(n, kThreads), kThreads, 0, s>>>(o, x, y, n, *lay, f);
        return 0;
    }
    const int V = vec_width<T>::value;
    if (aligned(x, sizeof(T) * V) && aligned(y, sizeof(T) * V) && aligned(o, sizeof(Out) * V))
        binary_contig<T, Out, V><<<cuda_blocks_for(n / V + 1, kThreads), kThreads, 0, s>>>(o, x, y, n, as, bs, f);
    else
        binary_contig<T, Out, 1><<<cuda_blocks_for(n, kThreads), kThreads, 0, s>>>(o, x, y, n, as, bs, f);
    return 0;
}

bool is_predicate(int op) {
    return op == MX_OP_logical_not || op == MX_OP_isnan || op == MX_OP_isinf || op == MX_OP_isfinite;
}

/* The unary ops with a complex64 -> complex64 kernel (MLX rejects the others). */
bool is_complex_unary(int op) {
    switch (op) {
    case MX_OP_negative: case MX_OP_sign: case MX_OP_sqrt: case MX_OP_rsqrt: case MX_OP_square:
    case MX_OP_reciprocal: case MX_OP_exp: case MX_OP_log: case MX_OP_log1p: case MX_OP_log2: case MX_OP_log10:
    case MX_OP_sin: case MX_OP_cos: case MX_OP_tan: case MX_OP_arcsin: case MX_OP_arccos: case MX_OP_arctan:
    case MX_OP_sinh: case MX_OP_cosh: case MX_OP_tanh: case MX_OP_arcsinh: case MX_OP_arccosh: case MX_OP_arctanh:
    case MX_OP_round: case MX_OP_degrees: case MX_OP_radians: case MX_OP_conjugate: return true;
    default: return false;
    }
}

bool is_complex_binary(int op) {
    switch (op) {
    case MX_OP_add: case MX_OP_subtract: case MX_OP_multiply: case MX_OP_divide: case MX_OP_floor_divide:
    case MX_OP_power: case MX_OP_maximum: case MX_OP_minimum: case MX_OP_logaddexp: return true;
    default: return false;
    }
}

bool is_comparison(int op) {
    return op == MX_OP_equal || op == MX_OP_not_equal || op == MX_OP_greater || op == MX_OP_greater_equal ||
           op == MX_OP_less || op == MX_OP_less_equal || op == MX_OP_logical_and || op == MX_OP_logical_or;
}

} // namespace

extern "C" int cuda_launch_unary(int op, int in_dtype, int out_dtype, void *out, const void *in, int64_t n,
                                 const cuda_layout *lay, float scale, double scale64, cuda_stream stream) {
    if (n == 0)
        return 0;
    unary_fn f = {op, scale, scale64};
    cudaStream_t s = (cudaStream_t)stream;
    if (in_dtype == MX_COMPLEX64) {
        if (is_predicate(op))
            return out_dtype == MX_BOOL ? unary_typed<c64_t, bool>(out, in, n, lay, f, s) : -1;
        if (op == MX_OP_abs)
            return out_dtype == MX_FLOAT32 ? unary_typed<c64_t, float>(out, in, n, lay, f, s) : -1;
        return out_dtype == MX_COMPLEX64 && is_complex_unary(op) ? unary_typed<c64_t, c64_t>(out, in, n, lay, f, s)
                                                                 : -1;
    }
    if (is_predicate(op)) {
        if (out_dtype != MX_BOOL)
            return -1;
        CUDA_DISPATCH_ALL(in_dtype, T, return unary_typed<T, bool>(out, in, n, lay, f, s))
    }
    if (in_dtype != out_dtype)
        return -1;
    CUDA_DISPATCH_ALL(in_dtype, T, return unary_typed<T, T>(out, in, n, lay, f, s))
    return -1;
}

extern "C" int cuda_launch_binary(int op, int dtype, int out_dtype, void *out, const void *a, const void *b, int64_t n,
                                  const cuda_layout *lay, int a_scalar, int b_scalar, cuda_stream stream) {
    if (n == 0)
        return 0;
    binary_fn f = {op};
    cudaStream_t s = (cudaStream_t)stream;
    if (dtype == MX_COMPLEX64) {
        if (is_comparison(op))
            return out_dtype == MX_BOOL && op != MX_OP_logical_and && op != MX_OP_logical_or
                       ? binary_typed<c64_t, bool>(out, a, b, n, lay, a_scalar, b_scalar, f, s)
                       : -1;
        return out_dtype == MX_COMPLEX64 && is_complex_binary(op)
                   ? binary_typed<c64_t, c64_t>(out, a, b, n, lay, a_scalar, b_scalar, f, s)
                   : -1;
    }
    bool floating = dtype == MX_FLOAT16 || dtype == MX_BFLOAT16 || dtype == MX_FLOAT32 || dtype == MX_FLOAT64;
    if (is_comparison(op)) {
        if (out_dtype != MX_BOOL)
            return -1;
        CUDA_DISPATCH_ALL(dtype, T, return binary_typed<T, bool>(out, a, b, n, lay, a_scalar, b_scalar, f, s))
    }
    if (out_dtype != dtype)
        return -1;
    bool float_only = op == MX_OP_divide || op == MX_OP_logaddexp || op == MX_OP_arctan2;
    bool int_only = op == MX_OP_bitwise_and || op == MX_OP_bitwise_or || op == MX_OP_bitwise_xor ||
                    op == MX_OP_left_shift || op == MX_OP_right_shift;
    if ((float_only && !floating) || (int_only && floating) ||
        (dtype == MX_BOOL && (op == MX_OP_left_shift || op == MX_OP_right_shift)))
        return -1;
    CUDA_DISPATCH_ALL(dtype, T, return binary_typed<T, T>(out, a, b, n, lay, a_scalar, b_scalar, f, s))
    return -1;
}

extern "C" int cuda_launch_where(size_t itemsize, void *out, const unsigned char *cond, const void *x, const void *y,
                                 int64_t n, const cuda_layout *lay, cuda_stream stream) {
    if (n == 0)
        return 0;
    cudaStream_t s = (cudaStream_t)stream;
    cuda_layout none;
    none.ndim = 0;
    const cuda_layout &l = lay ? *lay : none;
    unsigned blocks = cuda_blocks_for(n, kThreads);
    switch (itemsize) {
    case 1: where_kernel<uint8_t><<<blocks, kThreads, 0, s>>>((uint8_t *)out, cond, (const uint8_t *)x, (const uint8_t *)y, n, l, !lay); break;
    case 2: where_kernel<uint16_t><<<blocks, kThreads, 0, s>>>((uint16_t *)out, cond, (const uint16_t *)x, (const uint16_t *)y, n, l, !lay); break;
    case 4: where_kernel<uint32_t><<<blocks, kThreads, 0, s>>>((uint32_t *)out, cond, (const uint32_t *)x, (const uint32_t *)y, n, l, !lay); break;
    case 8: where_kernel<uint64_t><<<blocks, kThreads, 0, s>>>((uint64_t *)out, cond, (const uint64_t *)x, (const uint64_t *)y, n, l, !lay); break;
    default: return -1;
    }
    return 0;
}

namespace {
template <typename T>
int cast_typed(int out_dtype, void *out, const void *in, int64_t n, const cuda_layout *lay, cudaStream_t s) {
    if (lay) {
        cast_strided<T><<<cuda_blocks_for(n, kThreads), kThreads, 0, s>>>(out, (const T *)in, n, *lay, out_dtype);
    } else {
        const int V = vec_width<T>::value;
        if (aligned(in, 16))
            cast_contig<T, V><<<cuda_blocks_for(n / V + 1, kThreads), kThreads, 0, s>>>(out, (const T *)in, n, out_dtype);
        else
            cast_contig<T, 1><<<cuda_blocks_for(n, kThreads), kThreads, 0, s>>>(out, (const T *)in, n, out_dtype);
    }
    return 0;
}
} // namespace

extern "C" int cuda_launch_cast(int in_dtype, int out_dtype, void *out, const void *in, int64_t n,
                                const cuda_layout *lay, cuda_stream stream) {
    if (n == 0)
        return 0;
    cudaStream_t s = (cudaStream_t)stream;
    if (out_dtype < 0 || out_dtype > MX_COMPLEX64)
        return -1;
    if (in_dtype == MX_COMPLEX64)
        return cast_typed<c64_t>(out_dtype, out, in, n, lay, s);
    CUDA_DISPATCH_ALL(in_dtype, T, return cast_typed<T>(out_dtype, out, in, n, lay, s))
    return -1;
}
