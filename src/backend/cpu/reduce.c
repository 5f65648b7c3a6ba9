/* backend/cpu/reduce.c - CPU kernels of the reductions (sum prod max min all
 * any mean var std logsumexp argmax argmin) and of softmax.
 *
 * A reduction is planned once per node (reduce_plan): size-1 dims dropped,
 * reduced dims ordered by stride and merged where memory allows, kept dims
 * merged likewise. Then one of two loops runs, over any strides:
 *
 *   RUN  per output, fold the reduced elements run by run along the innermost
 *        reduced dim. A contiguous row (stride 1) is folded in place with
 *        several SIMD-width accumulators; other runs are first gathered and
 *        converted into a small L1 tile.
 *   VEC  per block of outputs along the innermost kept dim, fold reduced
 *        indices (up to 8 per pass) into a vector of accumulators ("column"
 *        reduce: contiguous loads across outputs when that dim has stride 1).
 *
 * Threads split the outputs, or, when there are too few outputs to keep every
 * core busy, the reduced range: each thread folds a slice into its own
 * accumulators and the slices are combined in order (so argmax keeps the
 * first index). var/std and logsumexp run two such passes (mean then squared
 * deviations; max then the sum of exponentials).
 *
 * Values are folded in a compute type: float for float16/bfloat16/float32
 * (float sums in blocks of float lanes whose totals add in double), double for
 * float64, 64-bit integers for the integer types (sums and products wrap
 * exactly as MLX's 32-bit accumulators do once truncated), bytes for all/any,
 * float pairs for complex64. */
#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "backend/cpu/cpu.h"
#include "backend/cpu/fastmath.h"

#if defined(__F16C__) && defined(__AVX__)
#include <immintrin.h>
#define REDUCE_HAVE_F16C 1
#endif

#define TILE 1024       /* elements converted at a time, and outputs per accumulator chunk */
#define ACC_MAX 16      /* bytes of the largest accumulator (argmax's value + index, complex sums) */
#define SUM_BLOCK 4096  /* float lanes add this many elements before their total goes to double */
#define FLOAT_LANES 32  /* independent accumulators (4 AVX registers of float) */
#define DOUBLE_LANES 16 /* 4 AVX registers of double */

/* exp: mx_fast_expf (fastmath.h), shared with the unary kernels. */

/* ---- compute types and loading ---------------------------------------------------------------- */

typedef enum ctype { CT_F32, CT_F64, CT_I64, CT_U64, CT_BOOL, CT_C64 } ctype;
static const size_t k_ct_size[] = {4, 8, 8, 8, 1, 8};
static const mx_dtype k_ct_dtype[] = {MX_FLOAT32, MX_FLOAT64, MX_INT64, MX_UINT64, MX_BOOL, MX_COMPLEX64};

/* n elements from (src, dtype, byte stride) into dst as contiguous ctype. */
static void convert_to_ctype(void *dst, ctype ct, const char *src, mx_dtype dtype, int64_t stride, int64_t n) {
    if (ct == CT_F32 && dtype == MX_FLOAT16 && stride == 2) {
        float *restrict d = dst;
        const uint16_t *restrict h = (const uint16_t *)src;
        int64_t i = 0;
#ifdef REDUCE_HAVE_F16C
        for (; i + 8 <= n; i += 8)
            _mm256_storeu_ps(d + i, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(h + i))));
#endif
        for (; i < n; i++)
            d[i] = mx_f16_to_f32(h[i]);
        return;
    }
    if (ct == CT_F32 && dtype == MX_BFLOAT16 && stride == 2) {
        float *restrict d = dst;
        const uint16_t *restrict h = (const uint16_t *)src;
        for (int64_t i = 0; i < n; i++)
            d[i] = mx_bits_f32((uint32_t)h[i] << 16);
        return;
    }
    if (dtype == MX_COMPLEX64 && ct == CT_BOOL) { /* true when either part is non-zero */
        bool *d = dst;
        for (int64_t i = 0; i < n; i++) {
            const float *z = (const float *)(src + i * stride);
            d[i] = z[0] != 0.0f || z[1] != 0.0f;
        }
        return;
    }
    if (ct == CT_C64) { /* only complex64 inputs use it */
        char *d = dst;
        for (int64_t i = 0; i < n; i++)
            memcpy(d + 8 * i, src + i * stride, 8);
        return;
    }
    cpu_convert_run(dst, k_ct_dtype[ct], (int64_t)k_ct_size[ct], src, dtype, stride, n);
}

/* ---- reducers ----------------------------------------------------------------------------------
 * An accumulator type with: init n accumulators; fold n contiguous values
 * into one (index: position of x[0] in the reduced range, for arg ops;
 * center: per-output constant of a second pass); fold_vec one reduced index
 * into m accumulators; combine a later slice's accumulators into earlier ones;
 * optionally fold_rows, k reduced indices (rows `stride` bytes apart) at once,
 * which saves k - 1 passes over the accumulators in the column loop. */
typedef void (*fold_rows_fn)(void *acc, const char *x, int64_t stride, int64_t k, int64_t m);
typedef struct reducer {
    size_t acc_size;
    void (*init)(void *acc, int64_t n);
    void (*fold)(void *acc, const void *x, int64_t n, int64_t index, double center);
    void (*fold_vec)(void *acc, const void *x, int64_t m, int64_t index, const double *centers);
    void (*combine)(void *acc, const void *other, int64_t n);
    fold_rows_fn fold_rows;
} reducer;

static void init_zero8(void *acc, int64_t n) { memset(acc, 0, (size_t)n * 8); }
static void init_zero16(void *acc, int64_t n) { memset(acc, 0, (size_t)n * 16); }

static void combine_add_f64(void *acc, const void *other, int64_t n) {
    double *a = acc;
    const double *b = other;
    for (int64_t j = 0; j < n; j++)
        a[j] += b[j];
}

/* float lanes within blocks, block totals in double */
static double sum_f32(const float *restrict x, int64_t n) {
    if (n < 2 * FLOAT_LANES) { /* short rows: skip the lane set-up */
        float lane[8] = {0};
        int64_t i = 0;
        for (; i + 8 <= n; i += 8)
            for (int k = 0; k < 8; k++)
                lane[k] += x[i + k];
        for (; i < n; i++)
            lane[i % 8] += x[i];
        return (double)((lane[0] + lane[4]) + (lane[1] + lane[5])) +
               (double)((lane[2] + lane[6]) + (lane[3] + lane[7]));
    }
    double total = 0.0;
    while (n > 0) {
        int64_t m = n < SUM_BLOCK ? n : SUM_BLOCK, i = 0;
        float lane[FLOAT_LANES] = {0};
        for (; i + FLOAT_LANES <= m; i += FLOAT_LANES)
            for (int k = 0; k < FLOAT_LANES; k++)
                lane[k] += x[i + k];
        for (; i < m; i++)
            lane[i % FLOAT_LANES] += x[i];
        for (int w = FLOAT_LANES / 2; w > 0; w /= 2)
            for (int k = 0; k < w; k++)
                lane[k] += lane[k + w];
        total += lane[0];
        x += m;
        n -= m;
    }
    return total;
}

static double sum_f64(const double *restrict x, int64_t n) {
    double lane[DOUBLE_LANES] = {0};
    int64_t i = 0;
    for (; i + DOUBLE_LANES <= n; i += DOUBLE_LANES)
        for (int k = 0; k < DOUBLE_LANES; k++)
            lane[k] += x[i + k];
    for (; i < n; i++)
        lane[i % DOUBLE_LANES] += x[i];
    for (int w = DOUBLE_LANES / 2; w > 0; w /= 2)
        for (int k = 0; k < w; k++)
            lane[k] += lane[k + w];
    return lane[0];
}

/* sum: float -> double accumulators */
static void sum_f32_fold(void *acc, const void *x, int64_t n, int64_t index, double center) {
    *(double *)acc += sum_f32(x, n);
}
static void sum_f32_fold_vec(void *acc, const void *vx, int64_t m, int64_t index, const double *centers) {
    double *restrict a = acc;
    const float *restrict x = vx;
    for (int64_t j = 0; j < m; j++)
        a[j] += x[j];
}
/* four rows add in float, then into the double accumulators */
static void sum_f32_fold_rows(void *acc, const char *x, int64_t stride, int64_t k, int64_t m) {
    double *restrict a = acc;
    int64_t q = 0;
    for (; q + 4 <= k; q += 4) {
        const float *restrict x0 = (const float *)(x + q * stride), *restrict x1 =
                                                                        (const float *)(x + (q + 1) * stride);
        const float *restrict x2 = (const float *)(x + (q + 2) * stride), *restrict x3 =
                                                                              (const float *)(x + (q + 3) * stride);
        for (int64_t j = 0; j < m; j++)
            a[j] += (double)((x0[j] + x1[j]) + (x2[j] + x3[j]));
    }
    for (; q < k; q++)
        sum_f32_fold_vec(acc, x + q * stride, m, 0, NULL);
}
static const reducer k_sum_f32 = {8, init_zero8, sum_f32_fold, sum_f32_fold_vec, combine_add_f64, sum_f32_fold_rows};

static void sum_f64_fold(void *acc, const void *x, int64_t n, int64_t index, double center) {
    *(double *)acc += sum_f64(x, n);
}
static void sum_f64_fold_vec(void *acc, const void *vx, int64_t m, int64_t index, const double *centers) {
    double *restrict a = acc;
    const double *restrict x = vx;
    for (int64_t j = 0; j < m; j++)
        a[j] += x[j];
}
static void sum_f64_fold_rows(void *acc, const char *x, int64_t stride, int64_t k, int64_t m) {
    double *restrict a = acc;
    int64_t q = 0;
    for (; q + 4 <= k; q += 4) {
        const double *restrict x0 = (const double *)(x + q * stride), *restrict x1 =
                                                                          (const double *)(x + (q + 1) * stride);
        const double *restrict x2 = (const double *)(x + (q + 2) * stride), *restrict x3 =
                                                                                (const double *)(x + (q + 3) * stride);
        for (int64_t j = 0; j < m; j++)
            a[j] += (x0[j] + x1[j]) + (x2[j] + x3[j]);
    }
    for (; q < k; q++)
        sum_f64_fold_vec(acc, x + q * stride, m, 0, NULL);
}
static const reducer k_sum_f64 = {8, init_zero8, sum_f64_fold, sum_f64_fold_vec, combine_add_f64, sum_f64_fold_rows};

/* sum of integers: uint64 arithmetic wraps (no UB); truncation at the end
 * gives MLX's 32-bit wrap-around. Serves int64 and uint64 compute types. */
static void sum_int_fold(void *acc, const void *vx, int64_t n, int64_t index, double center) {
    const uint64_t *restrict x = vx;
    uint64_t s = 0;
    for (int64_t i = 0; i < n; i++)
        s += x[i];
    *(uint64_t *)acc += s;
}
static void sum_int_fold_vec(void *acc, const void *vx, int64_t m, int64_t index, const double *centers) {
    uint64_t *restrict a = acc;
    const uint64_t *restrict x = vx;
    for (int64_t j = 0; j < m; j++)
        a[j] += x[j];
}
static void sum_int_combine(void *acc, const void *other, int64_t n) {
    uint64_t *a = acc;
    const uint64_t *b = other;
    for (int64_t j = 0; j < n; j++)
        a[j] += b[j];
}
static void sum_int_fold_rows(void *acc, const char *x, int64_t stride, int64_t k, int64_t m) {
    uint64_t *restrict a = acc;
    int64_t q = 0;
    for (; q + 4 <= k; q += 4) {
        const uint64_t *restrict x0 = (const uint64_t *)(x + q * stride), *restrict x1 =
                                                                              (const uint64_t *)(x + (q + 1) * stride);
        const uint64_t *restrict x2 = (const uint64_t *)(x + (q + 2) * stride), *restrict x3 =
                                                                                    (const uint64_t *)(x + (q + 3) *
                                                                                                               stride);
        for (int64_t j = 0; j < m; j++)
            a[j] += (x0[j] + x1[j]) + (x2[j] + x3[j]);
    }
    for (; q < k; q++)
        sum_int_fold_vec(acc, x + q * stride, m, 0, NULL);
}
static const reducer k_sum_int = {8, init_zero8, sum_int_fold, sum_int_fold_vec, sum_int_combine, sum_int_fold_rows};

/* sum of complex64 in double pairs */
static void sum_c64_fold(void *acc, const void *vx, int64_t n, int64_t index, double center) {
    double *a = acc;
    const float *x = vx;
    double re = 0, im = 0;
    for (int64_t i = 0; i < n; i++) {
        re += x[2 * i];
        im += x[2 * i + 1];
    }
    a[0] += re;
    a[1] += im;
}
static void sum_c64_fold_vec(void *acc, const void *vx, int64_t m, int64_t index, const double *centers) {
    double *a = acc;
    const float *x = vx;
    for (int64_t j = 0; j < 2 * m; j++)
        a[j] += x[j];
}
static void sum_c64_combine(void *acc, const void *other, int64_t n) { combine_add_f64(acc, other, 2 * n); }
static const reducer k_sum_c64 = {16, init_zero16, sum_c64_fold, sum_c64_fold_vec, sum_c64_combine, NULL};

/* prod: in the element type (float overflows like MLX's float product) */
#define PROD_REDUCER(NAME, T, ONE, LANES)                                                                              \
    static void NAME##_init(void *acc, int64_t n) {                                                                    \
        T *a = acc;                                                                                                    \
        for (int64_t j = 0; j < n; j++)                                                                                \
            a[j] = ONE;                                                                                                \
    }                                                                                                                  \
    static void NAME##_fold(void *acc, const void *vx, int64_t n, int64_t index, double center) {                      \
        const T *restrict x = vx;                                                                                      \
        T lane[LANES];                                                                                                 \
        for (int k = 0; k < LANES; k++)                                                                                \
            lane[k] = ONE;                                                                                             \
        int64_t i = 0;                                                                                                 \
        for (; i + LANES <= n; i += LANES)                                                                             \
            for (int k = 0; k < LANES; k++)                                                                            \
                lane[k] *= x[i + k];                                                                                   \
        T p = *(T *)acc;                                                                                               \
        for (int k = 0; k < LANES; k++)                                                                                \
            p *= lane[k];                                                                                              \
        for (; i < n; i++)                                                                                             \
            p *= x[i];                                                                                                 \
        *(T *)acc = p;                                                                                                 \
    }                                                                                                                  \
    static void NAME##_fold_vec(void *acc, const void *vx, int64_t m, int64_t index, const double *centers) {          \
        T *restrict a = acc;                                                                                           \
        const T *restrict x = vx;                                                                                      \
        for (int64_t j = 0; j < m; j++)                                                                                \
            a[j] *= x[j];                                                                                              \
    }                                                                                                                  \
    static void NAME##_combine(void *acc, const void *other, int64_t n) {                                              \
        T *a = acc;                                                                                                    \
        const T *b = other;                                                                                            \
        for (int64_t j = 0; j < n; j++)                                                                                \
            a[j] *= b[j];                                                                                              \
    }                                                                                                                  \
    static const reducer k_##NAME = {sizeof(T), NAME##_init, NAME##_fold, NAME##_fold_vec, NAME##_combine, NULL};
PROD_REDUCER(prod_f32, float, 1.0f, FLOAT_LANES)
PROD_REDUCER(prod_f64, double, 1.0, DOUBLE_LANES)
PROD_REDUCER(prod_int, uint64_t, 1u, 8)

static void prod_c64_init(void *acc, int64_t n) {
    float *a = acc;
    for (int64_t j = 0; j < n; j++) {
        a[2 * j] = 1.0f;
        a[2 * j + 1] = 0.0f;
    }
}
static inline void cmul(float *a, const float *b) {
    float re = a[0] * b[0] - a[1] * b[1], im = a[0] * b[1] + a[1] * b[0];
    a[0] = re;
    a[1] = im;
}
static void prod_c64_fold(void *acc, const void *vx, int64_t n, int64_t index, double center) {
    const float *x = vx;
    for (int64_t i = 0; i < n; i++)
        cmul(acc, x + 2 * i);
}
static void prod_c64_fold_vec(void *acc, const void *vx, int64_t m, int64_t index, const double *centers) {
    float *a = acc;
    const float *x = vx;
    for (int64_t j = 0; j < m; j++)
        cmul(a + 2 * j, x + 2 * j);
}
static void prod_c64_combine(void *acc, const void *other, int64_t n) {
    float *a = acc;
    const float *b = other;
    for (int64_t j = 0; j < n; j++)
        cmul(a + 2 * j, b + 2 * j);
}
static const reducer k_prod_c64 = {8, prod_c64_init, prod_c64_fold, prod_c64_fold_vec, prod_c64_combine, NULL};

/* max/min: `better` takes x over the accumulator; for floats it also takes
 * a NaN, and nothing replaces a NaN, so NaN propagates. The lane loops are
 * plain selects: they vectorise. */
#define GT_NAN(x, a) ((x) > (a) || (x) != (x))
#define LT_NAN(x, a) ((x) < (a) || (x) != (x))
#define GT(x, a) ((x) > (a))
#define LT(x, a) ((x) < (a))
#define MINMAX_REDUCER(NAME, T, INIT, BETTER, LANES)                                                                   \
    static void NAME##_init(void *acc, int64_t n) {                                                                    \
        T *a = acc;                                                                                                    \
        for (int64_t j = 0; j < n; j++)                                                                                \
            a[j] = INIT;                                                                                               \
    }                                                                                                                  \
    static void NAME##_fold(void *acc, const void *vx, int64_t n, int64_t index, double center) {                      \
        const T *restrict x = vx;                                                                                      \
        T lane[LANES];                                                                                                 \
        for (int k = 0; k < LANES; k++)                                                                                \
            lane[k] = INIT;                                                                                            \
        int64_t i = 0;                                                                                                 \
        for (; i + LANES <= n; i += LANES)                                                                             \
            for (int k = 0; k < LANES; k++)                                                                            \
                lane[k] = BETTER(x[i + k], lane[k]) ? x[i + k] : lane[k];                                              \
        T best = *(T *)acc;                                                                                            \
        for (int k = 0; k < LANES; k++)                                                                                \
            best = BETTER(lane[k], best) ? lane[k] : best;                                                             \
        for (; i < n; i++)                                                                                             \
            best = BETTER(x[i], best) ? x[i] : best;                                                                   \
        *(T *)acc = best;                                                                                              \
    }                                                                                                                  \
    static void NAME##_fold_vec(void *acc, const void *vx, int64_t m, int64_t index, const double *centers) {          \
        T *restrict a = acc;                                                                                           \
        const T *restrict x = vx;                                                                                      \
        for (int64_t j = 0; j < m; j++)                                                                                \
            a[j] = BETTER(x[j], a[j]) ? x[j] : a[j];                                                                   \
    }                                                                                                                  \
    static void NAME##_combine(void *acc, const void *other, int64_t n) {                                              \
        T *a = acc;                                                                                                    \
        const T *b = other;                                                                                            \
        for (int64_t j = 0; j < n; j++)                                                                                \
            a[j] = BETTER(b[j], a[j]) ? b[j] : a[j];                                                                   \
    }                                                                                                                  \
    static void NAME##_fold_rows(void *acc, const char *x, int64_t stride, int64_t k, int64_t m) {                     \
        T *restrict a = acc;                                                                                           \
        int64_t q = 0;                                                                                                 \
        for (; q + 2 <= k; q += 2) {                                                                                   \
            const T *restrict x0 = (const T *)(x + q * stride), *restrict x1 = (const T *)(x + (q + 1) * stride);      \
            for (int64_t j = 0; j < m; j++) {                                                                          \
                T t = BETTER(x1[j], x0[j]) ? x1[j] : x0[j];                                                            \
                a[j] = BETTER(t, a[j]) ? t : a[j];                                                                     \
            }                                                                                                          \
        }                                                                                                              \
        if (q < k)                                                                                                     \
            NAME##_fold_vec(acc, x + q * stride, m, 0, NULL);                                                          \
    }                                                                                                                  \
    static const reducer k_##NAME = {sizeof(T),       NAME##_init,    NAME##_fold,                                     \
                                     NAME##_fold_vec, NAME##_combine, NAME##_fold_rows};
MINMAX_REDUCER(max_f32, float, -INFINITY, GT_NAN, FLOAT_LANES)
MINMAX_REDUCER(min_f32, float, INFINITY, LT_NAN, FLOAT_LANES)
MINMAX_REDUCER(max_f64, double, -INFINITY, GT_NAN, DOUBLE_LANES)
MINMAX_REDUCER(min_f64, double, INFINITY, LT_NAN, DOUBLE_LANES)
MINMAX_REDUCER(max_i64, int64_t, INT64_MIN, GT, 8)
MINMAX_REDUCER(min_i64, int64_t, INT64_MAX, LT, 8)
MINMAX_REDUCER(max_u64, uint64_t, 0, GT, 8)
MINMAX_REDUCER(min_u64, uint64_t, UINT64_MAX, LT, 8)

/* complex64 max/min as MLX's CPU reduction: a sequential fold of
 * acc = isnan(x) ? x : (x > acc ? x : acc) (x < acc for min), ordered
 * lexicographically (real part, then imaginary; a NaN part compares false),
 * from MLX's initial value -inf + 0i (+inf + 0i for min), which no element
 * of real part -inf and negative imaginary part replaces. An element with a
 * NaN part replaces the accumulator, and a later element with a larger real
 * part can replace one whose NaN is in the imaginary part only. The
 * accumulator remembers whether its slice held a NaN so that slices combine
 * exactly as the sequential fold: the later slice's fold wins outright if it
 * met a NaN. finish_c64_minmax applies MLX's last step. */
typedef struct c64_minmax_acc {
    float v[2];
    uint32_t saw_nan, pad;
} c64_minmax_acc;
static inline bool c64_isnan(const float *x) { return x[0] != x[0] || x[1] != x[1]; }
static inline bool c64_greater(const float *x, const float *a) { return x[0] > a[0] || (x[0] == a[0] && x[1] > a[1]); }
static inline bool c64_less(const float *x, const float *a) { return x[0] < a[0] || (x[0] == a[0] && x[1] < a[1]); }
#define C64_MINMAX_REDUCER(NAME, INIT, BETTER)                                                                         \
    static void NAME##_init(void *acc, int64_t n) {                                                                    \
        c64_minmax_acc *a = acc;                                                                                       \
        for (int64_t j = 0; j < n; j++)                                                                                \
            a[j] = (c64_minmax_acc){{INIT, 0.0f}, 0, 0};                                                               \
    }                                                                                                                  \
    static inline void NAME##_step(c64_minmax_acc *a, const float *x) {                                                \
        if (c64_isnan(x)) {                                                                                            \
            memcpy(a->v, x, 8);                                                                                        \
            a->saw_nan = 1;                                                                                            \
        } else if (BETTER(x, a->v)) {                                                                                  \
            memcpy(a->v, x, 8);                                                                                        \
        }                                                                                                              \
    }                                                                                                                  \
    static void NAME##_fold(void *acc, const void *vx, int64_t n, int64_t index, double center) {                      \
        const float *x = vx;                                                                                           \
        for (int64_t i = 0; i < n; i++)                                                                                \
            NAME##_step(acc, x + 2 * i);                                                                               \
    }                                                                                                                  \
    static void NAME##_fold_vec(void *acc, const void *vx, int64_t m, int64_t index, const double *centers) {          \
        const float *x = vx;                                                                                           \
        c64_minmax_acc *a = acc;                                                                                       \
        for (int64_t j = 0; j < m; j++)                                                                                \
            NAME##_step(a + j, x + 2 * j);                                                                             \
    }                                                                                                                  \
    static void NAME##_combine(void *acc, const void *other, int64_t n) {                                              \
        c64_minmax_acc *a = acc;                                                                                       \
        const c64_minmax_acc *b = other;                                                                               \
        for (int64_t j = 0; j < n; j++) {                                                                              \
            if (b[j].saw_nan || BETTER(b[j].v, a[j].v))                                                                \
                memcpy(a[j].v, b[j].v, 8);                                                                             \
            a[j].saw_nan |= b[j].saw_nan;                                                                              \
        }                                                                                                              \
    }                                                                                                                  \
    static const reducer k_##NAME = {sizeof(c64_minmax_acc), NAME##_init,    NAME##_fold,                              \
                                     NAME##_fold_vec,        NAME##_combine, NULL};
C64_MINMAX_REDUCER(max_c64, -INFINITY, c64_greater)
C64_MINMAX_REDUCER(min_c64, INFINITY, c64_less)

/* all / any over bytes (0 or 1) */
static void all_init(void *acc, int64_t n) { memset(acc, 1, (size_t)n); }
static void all_fold(void *acc, const void *vx, int64_t n, int64_t index, double center) {
    const uint8_t *restrict x = vx;
    uint8_t r = 1;
    for (int64_t i = 0; i < n; i++)
        r &= x[i];
    *(uint8_t *)acc &= r;
}
static void all_fold_vec(void *acc, const void *vx, int64_t m, int64_t index, const double *centers) {
    uint8_t *restrict a = acc;
    const uint8_t *restrict x = vx;
    for (int64_t j = 0; j < m; j++)
        a[j] &= x[j];
}
static void all_combine(void *acc, const void *other, int64_t n) { all_fold_vec(acc, other, n, 0, NULL); }
static const reducer k_all = {1, all_init, all_fold, all_fold_vec, all_combine, NULL};

static void any_init(void *acc, int64_t n) { memset(acc, 0, (size_t)n); }
static void any_fold(void *acc, const void *vx, int64_t n, int64_t index, double center) {
    const uint8_t *restrict x = vx;
    uint8_t r = 0;
    for (int64_t i = 0; i < n; i++)
        r |= x[i];
    *(uint8_t *)acc |= r;
}
static void any_fold_vec(void *acc, const void *vx, int64_t m, int64_t index, const double *centers) {
    uint8_t *restrict a = acc;
    const uint8_t *restrict x = vx;
    for (int64_t j = 0; j < m; j++)
        a[j] |= x[j];
}
static void any_combine(void *acc, const void *other, int64_t n) { any_fold_vec(acc, other, n, 0, NULL); }
static const reducer k_any = {1, any_init, any_fold, any_fold_vec, any_combine, NULL};

/* argmax / argmin: (value, index of its first occurrence; -1 = none yet).
 * For floats the first NaN wins and nothing replaces it, as in MLX. A row is
 * scanned in tiles: a vectorised max (and NaN check) first, then a search for
 * its first position only when the tile improves on the accumulator. */
#define ARG_REDUCER(NAME, T, INIT, BETTER, IS_NAN)                                                                     \
    typedef struct NAME##_acc {                                                                                        \
        T v;                                                                                                           \
        int64_t i;                                                                                                     \
    } NAME##_acc;                                                                                                      \
    static void NAME##_init(void *acc, int64_t n) {                                                                    \
        NAME##_acc *a = acc;                                                                                           \
        for (int64_t j = 0; j < n; j++) {                                                                              \
            a[j].v = INIT;                                                                                             \
            a[j].i = -1;                                                                                               \
        }                                                                                                              \
    }                                                                                                                  \
    static inline bool NAME##_takes(T x, const NAME##_acc *a) {                                                        \
        return a->i < 0 || (!IS_NAN(a->v) && BETTER(x, a->v));                                                         \
    }                                                                                                                  \
    static void NAME##_fold(void *acc, const void *vx, int64_t n, int64_t index, double center) {                      \
        NAME##_acc *a = acc;                                                                                           \
        const T *restrict x = vx;                                                                                      \
        for (int64_t b = 0; b < n; b += TILE) {                                                                        \
            int64_t e = n - b < TILE ? n : b + TILE;                                                                   \
            T lane[8];                                                                                                 \
            for (int k = 0; k < 8; k++)                                                                                \
                lane[k] = x[b];                                                                                        \
            int64_t i = b;                                                                                             \
            for (; i + 8 <= e; i += 8)                                                                                 \
                for (int k = 0; k < 8; k++)                                                                            \
                    lane[k] = BETTER(x[i + k], lane[k]) ? x[i + k] : lane[k];                                          \
            T best = lane[0];                                                                                          \
            for (int k = 1; k < 8; k++)                                                                                \
                best = BETTER(lane[k], best) ? lane[k] : best;                                                         \
            for (; i < e; i++)                                                                                         \
                best = BETTER(x[i], best) ? x[i] : best;                                                               \
            if (!NAME##_takes(best, a))                                                                                \
                continue;                                                                                              \
            i = b;                                                                                                     \
            for (; i + 32 <= e; i += 32) { /* skip 32 at a time to the block holding it */                             \
                int hit = 0;                                                                                           \
                for (int k = 0; k < 32; k++)                                                                           \
                    hit |= IS_NAN(best) ? IS_NAN(x[i + k]) : x[i + k] == best;                                         \
                if (hit)                                                                                               \
                    break;                                                                                             \
            }                                                                                                          \
            for (; i < e; i++) { /* first position of best (or of the first NaN) */                                    \
                if (IS_NAN(best) ? IS_NAN(x[i]) : x[i] == best)                                                        \
                    break;                                                                                             \
            }                                                                                                          \
            a->v = x[i];                                                                                               \
            a->i = index + i;                                                                                          \
        }                                                                                                              \
    }                                                                                                                  \
    static void NAME##_fold_vec(void *acc, const void *vx, int64_t m, int64_t index, const double *centers) {          \
        NAME##_acc *a = acc;                                                                                           \
        const T *x = vx;                                                                                               \
        for (int64_t j = 0; j < m; j++) {                                                                              \
            if (NAME##_takes(x[j], a + j)) {                                                                           \
                a[j].v = x[j];                                                                                         \
                a[j].i = index;                                                                                        \
            }                                                                                                          \
        }                                                                                                              \
    }                                                                                                                  \
    static void NAME##_combine(void *acc, const void *other, int64_t n) {                                              \
        NAME##_acc *a = acc;                                                                                           \
        const NAME##_acc *b = other;                                                                                   \
        for (int64_t j = 0; j < n; j++)                                                                                \
            if (b[j].i >= 0 && NAME##_takes(b[j].v, a + j))                                                            \
                a[j] = b[j];                                                                                           \
    }                                                                                                                  \
    static const reducer k_##NAME = {sizeof(NAME##_acc), NAME##_init,    NAME##_fold,                                  \
                                     NAME##_fold_vec,    NAME##_combine, NULL};
#define IS_NAN_F(x) ((x) != (x))
#define NEVER_NAN(x) ((void)(x), false)
ARG_REDUCER(argmax_f32, float, -INFINITY, GT_NAN, IS_NAN_F)
ARG_REDUCER(argmin_f32, float, INFINITY, LT_NAN, IS_NAN_F)
ARG_REDUCER(argmax_f64, double, -INFINITY, GT_NAN, IS_NAN_F)
ARG_REDUCER(argmin_f64, double, INFINITY, LT_NAN, IS_NAN_F)
ARG_REDUCER(argmax_i64, int64_t, INT64_MIN, GT, NEVER_NAN)
ARG_REDUCER(argmin_i64, int64_t, INT64_MAX, LT, NEVER_NAN)
ARG_REDUCER(argmax_u64, uint64_t, 0, GT, NEVER_NAN)
ARG_REDUCER(argmin_u64, uint64_t, UINT64_MAX, LT, NEVER_NAN)

typedef struct arg_c64_acc {
    float v[2];
    int64_t i;
} arg_c64_acc;
static void arg_c64_init(void *acc, int64_t n) {
    arg_c64_acc *a = acc;
    for (int64_t j = 0; j < n; j++)
        a[j] = (arg_c64_acc){{0, 0}, -1};
}
#define C64_ARG_REDUCER(NAME, BETTER)                                                                                  \
    static void NAME##_fold(void *acc, const void *vx, int64_t n, int64_t index, double center) {                      \
        arg_c64_acc *a = acc;                                                                                          \
        const float *x = vx;                                                                                           \
        for (int64_t i = 0; i < n; i++) {                                                                              \
            if (a->i < 0 || BETTER(x + 2 * i, a->v)) {                                                                 \
                memcpy(a->v, x + 2 * i, 8);                                                                            \
                a->i = index + i;                                                                                      \
            }                                                                                                          \
        }                                                                                                              \
    }                                                                                                                  \
    static void NAME##_fold_vec(void *acc, const void *vx, int64_t m, int64_t index, const double *centers) {          \
        arg_c64_acc *a = acc;                                                                                          \
        const float *x = vx;                                                                                           \
        for (int64_t j = 0; j < m; j++) {                                                                              \
            if (a[j].i < 0 || BETTER(x + 2 * j, a[j].v)) {                                                             \
                memcpy(a[j].v, x + 2 * j, 8);                                                                          \
                a[j].i = index;                                                                                        \
            }                                                                                                          \
        }                                                                                                              \
    }                                                                                                                  \
    static void NAME##_combine(void *acc, const void *other, int64_t n) {                                              \
        arg_c64_acc *a = acc;                                                                                          \
        const arg_c64_acc *b = other;                                                                                  \
        for (int64_t j = 0; j < n; j++)                                                                                \
            if (b[j].i >= 0 && (a[j].i < 0 || BETTER(b[j].v, a[j].v)))                                                 \
                a[j] = b[j];                                                                                           \
    }                                                                                                                  \
    static const reducer k_##NAME = {sizeof(arg_c64_acc), arg_c64_init,   NAME##_fold,                                 \
                                     NAME##_fold_vec,     NAME##_combine, NULL};
C64_ARG_REDUCER(argmax_c64, c64_greater)
C64_ARG_REDUCER(argmin_c64, c64_less)

/* Second passes. var: sum of (x - mean)^2; logsumexp: sum of exp(x - max). */
static void sqdev_f32_fold(void *acc, const void *vx, int64_t n, int64_t index, double center) {
    const float *restrict x = vx;
    const float c = (float)center;
    double total = 0.0;
    for (int64_t b = 0; b < n; b += SUM_BLOCK) {
        int64_t e = n - b < SUM_BLOCK ? n : b + SUM_BLOCK, i = b;
        float lane[FLOAT_LANES] = {0};
        for (; i + FLOAT_LANES <= e; i += FLOAT_LANES)
            for (int k = 0; k < FLOAT_LANES; k++) {
                float d = x[i + k] - c;
                lane[k] += d * d;
            }
        for (; i < e; i++) {
            float d = x[i] - c;
            lane[0] += d * d;
        }
        for (int k = 0; k < FLOAT_LANES; k++)
            total += lane[k];
    }
    *(double *)acc += total;
}
static void sqdev_f32_fold_vec(void *acc, const void *vx, int64_t m, int64_t index, const double *centers) {
    double *restrict a = acc;
    const float *restrict x = vx;
    for (int64_t j = 0; j < m; j++) {
        float d = x[j] - (float)centers[j];
        a[j] += d * d;
    }
}
static const reducer k_sqdev_f32 = {8, init_zero8, sqdev_f32_fold, sqdev_f32_fold_vec, combine_add_f64, NULL};

static void sqdev_f64_fold(void *acc, const void *vx, int64_t n, int64_t index, double center) {
    const double *restrict x = vx;
    double lane[DOUBLE_LANES] = {0};
    int64_t i = 0;
    for (; i + DOUBLE_LANES <= n; i += DOUBLE_LANES)
        for (int k = 0; k < DOUBLE_LANES; k++) {
            double d = x[i + k] - center;
            lane[k] += d * d;
        }
    for (; i < n; i++) {
        double d = x[i] - center;
        lane[0] += d * d;
    }
    double total = 0.0;
    for (int k = 0; k < DOUBLE_LANES; k++)
        total += lane[k];
    *(double *)acc += total;
}
static void sqdev_f64_fold_vec(void *acc, const void *vx, int64_t m, int64_t index, const double *centers) {
    double *restrict a = acc;
    const double *restrict x = vx;
    for (int64_t j = 0; j < m; j++) {
        double d = x[j] - centers[j];
        a[j] += d * d;
    }
}
static const reducer k_sqdev_f64 = {8, init_zero8, sqdev_f64_fold, sqdev_f64_fold_vec, combine_add_f64, NULL};

static void sumexp_f32_fold(void *acc, const void *vx, int64_t n, int64_t index, double center) {
    const float *restrict x = vx;
    const float c = (float)center;
    double total = 0.0;
    for (int64_t b = 0; b < n; b += SUM_BLOCK) {
        int64_t e = n - b < SUM_BLOCK ? n : b + SUM_BLOCK, i = b;
        float lane[16] = {0};
        for (; i + 16 <= e; i += 16)
            for (int k = 0; k < 16; k++)
                lane[k] += mx_fast_expf(x[i + k] - c);
        for (; i < e; i++)
            lane[0] += mx_fast_expf(x[i] - c);
        for (int k = 0; k < 16; k++)
            total += lane[k];
    }
    *(double *)acc += total;
}
static void sumexp_f32_fold_vec(void *acc, const void *vx, int64_t m, int64_t index, const double *centers) {
    double *restrict a = acc;
    const float *restrict x = vx;
    for (int64_t j = 0; j < m; j++)
        a[j] += mx_fast_expf(x[j] - (float)centers[j]);
}
static const reducer k_sumexp_f32 = {8, init_zero8, sumexp_f32_fold, sumexp_f32_fold_vec, combine_add_f64, NULL};

static void sumexp_f64_fold(void *acc, const void *vx, int64_t n, int64_t index, double center) {
    const double *x = vx;
    double s = 0.0;
    for (int64_t i = 0; i < n; i++)
        s += exp(x[i] - center);
    *(double *)acc += s;
}
static void sumexp_f64_fold_vec(void *acc, const void *vx, int64_t m, int64_t index, const double *centers) {
    double *a = acc;
    const double *x = vx;
    for (int64_t j = 0; j < m; j++)
        a[j] += exp(x[j] - centers[j]);
}
static const reducer k_sumexp_f64 = {8, init_zero8, sumexp_f64_fold, sumexp_f64_fold_vec, combine_add_f64, NULL};

/* complex64 second passes. The centers of a complex input are complex64
 * values (MLX's mean, or its lexicographic max), stored as float pairs in
 * the 8 bytes of each double slot; a center passed by value is read back
 * from its bits. */
static inline void c64_center(double center, float c[2]) { memcpy(c, &center, 8); }

/* var: sum of |x - mean|^2, each term re^2 + im^2 in float as MLX's
 * real((x - mean) * conj(x - mean)) */
static void sqdev_c64_fold(void *acc, const void *vx, int64_t n, int64_t index, double center) {
    const float *restrict x = vx;
    float c[2];
    c64_center(center, c);
    double total = 0.0;
    for (int64_t b = 0; b < n; b += SUM_BLOCK) {
        int64_t e = n - b < SUM_BLOCK ? n : b + SUM_BLOCK;
        float lane = 0.0f;
        for (int64_t i = b; i < e; i++) {
            float dr = x[2 * i] - c[0], di = x[2 * i + 1] - c[1];
            lane += dr * dr + di * di;
        }
        total += lane;
    }
    *(double *)acc += total;
}
static void sqdev_c64_fold_vec(void *acc, const void *vx, int64_t m, int64_t index, const double *centers) {
    double *restrict a = acc;
    const float *restrict x = vx, *restrict c = (const float *)centers;
    for (int64_t j = 0; j < m; j++) {
        float dr = x[2 * j] - c[2 * j], di = x[2 * j + 1] - c[2 * j + 1];
        a[j] += dr * dr + di * di;
    }
}
static const reducer k_sqdev_c64 = {8, init_zero8, sqdev_c64_fold, sqdev_c64_fold_vec, combine_add_f64, NULL};

/* logsumexp: sum of exp(x - max) (C99 cexpf, as std::exp of MLX's
 * complex64_t) in double pairs */
static void sumexp_c64_fold(void *acc, const void *vx, int64_t n, int64_t index, double center) {
    double *a = acc;
    const float *x = vx;
    float c[2];
    c64_center(center, c);
    double re = 0, im = 0;
    for (int64_t i = 0; i < n; i++) {
        float complex e = cexpf(CMPLXF(x[2 * i] - c[0], x[2 * i + 1] - c[1]));
        re += crealf(e);
        im += cimagf(e);
    }
    a[0] += re;
    a[1] += im;
}
static void sumexp_c64_fold_vec(void *acc, const void *vx, int64_t m, int64_t index, const double *centers) {
    double *a = acc;
    const float *x = vx, *c = (const float *)centers;
    for (int64_t j = 0; j < m; j++) {
        float complex e = cexpf(CMPLXF(x[2 * j] - c[2 * j], x[2 * j + 1] - c[2 * j + 1]));
        a[2 * j] += crealf(e);
        a[2 * j + 1] += cimagf(e);
    }
}
static const reducer k_sumexp_c64 = {16, init_zero16, sumexp_c64_fold, sumexp_c64_fold_vec, sum_c64_combine, NULL};

/* ---- plan ---------------------------------------------------------------------------------------- */

typedef struct reduce_plan {
    int nk, nr;                                        /* kept and reduced dims after merging */
    int64_t kshape[MX_MAX_NDIM], kstride[MX_MAX_NDIM]; /* input element strides */
    int64_t rshape[MX_MAX_NDIM], rstride[MX_MAX_NDIM]; /* outermost first, innermost (smallest stride) last */
    int64_t n_out, n_red;
} reduce_plan;

static int64_t abs64(int64_t v) { return v < 0 ? -v : v; }

/* Kept dims stay in logical order (the output's order); reduced dims are
 * ordered by decreasing |stride| (sum order is free; arg ops reduce one dim). */
static void plan_build(reduce_plan *p, const mx_node *in, const bool *reduced) {
    int nk = 0, nr = 0;
    p->n_out = 1;
    p->n_red = 1;
    for (int i = 0; i < in->ndim; i++) {
        int64_t d = in->shape[i];
        if (reduced[i])
            p->n_red *= d;
        else
            p->n_out *= d;
        if (d == 1)
            continue;
        if (reduced[i]) {
            int j = nr++;
            while (j > 0 && abs64(p->rstride[j - 1]) < abs64(in->strides[i])) {
                p->rshape[j] = p->rshape[j - 1];
                p->rstride[j] = p->rstride[j - 1];
                j--;
            }
            p->rshape[j] = d;
            p->rstride[j] = in->strides[i];
        } else {
            if (nk > 0 && p->kstride[nk - 1] == in->strides[i] * d) { /* merge with the previous kept dim */
                p->kshape[nk - 1] *= d;
                p->kstride[nk - 1] = in->strides[i];
                continue;
            }
            p->kshape[nk] = d;
            p->kstride[nk] = in->strides[i];
            nk++;
        }
    }
    int merged = 0;
    for (int i = 0; i < nr; i++) {
        if (merged > 0 && p->rstride[merged - 1] == p->rstride[i] * p->rshape[i]) {
            p->rshape[merged - 1] *= p->rshape[i];
            p->rstride[merged - 1] = p->rstride[i];
        } else {
            p->rshape[merged] = p->rshape[i];
            p->rstride[merged] = p->rstride[i];
            merged++;
        }
    }
    nr = merged;
    if (nr == 0) { /* nothing left to reduce: a run of one element */
        p->rshape[0] = 1;
        p->rstride[0] = 0;
        nr = 1;
    }
    p->nk = nk;
    p->nr = nr;
}

/* ---- the reduction job ---------------------------------------------------------------------------- */

typedef struct reduce_job reduce_job;
typedef void (*finish_fn)(const reduce_job *j, const void *acc, int64_t o, int64_t n);

struct reduce_job {
    const reducer *r;
    finish_fn finish;
    ctype ct;
    const char *in; /* the input's first element */
    mx_dtype in_dtype;
    int64_t in_size;
    reduce_plan plan;
    bool vec;               /* VEC loop (else RUN) */
    const double *centers;  /* second passes: per-output mean or max */
    char *out;              /* first output element */
    mx_dtype out_dtype;     /* dtype of the values (rounding) */
    mx_dtype store_dtype;   /* dtype written at out (out_dtype, or float64 for centers) */
    mx_dtype in_orig_dtype; /* the op's input dtype (mean's MLX-style rounding) */
    int ddof;
    bool take_sqrt;
};

/* Input element offset of output o (row-major over the kept dims). */
static int64_t out_base(const reduce_plan *p, int64_t o) {
    int64_t off = 0;
    for (int d = p->nk - 1; d >= 0; d--) {
        off += (o % p->kshape[d]) * p->kstride[d];
        o /= p->kshape[d];
    }
    return off;
}

/* Reduced range [rb, re) as multi-index / offset (innermost dim last). */
static int64_t red_offset(const reduce_plan *p, int64_t r, int64_t *idx) {
    int64_t off = 0;
    for (int d = p->nr - 1; d >= 0; d--) {
        idx[d] = r % p->rshape[d];
        r /= p->rshape[d];
        off += idx[d] * p->rstride[d];
    }
    return off;
}

/* Step the multi-index of all reduced dims but the innermost. */
static int64_t red_next_outer(const reduce_plan *p, int64_t *idx, int64_t off) {
    for (int d = p->nr - 2; d >= 0; d--) {
        idx[d]++;
        off += p->rstride[d];
        if (idx[d] < p->rshape[d])
            return off;
        off -= idx[d] * p->rstride[d];
        idx[d] = 0;
    }
    return off;
}

/* Fold one output's reduced range [rb, re) into acc, run by run. */
static void fold_range_run(const reduce_job *j, void *acc, int64_t base, int64_t rb, int64_t re, double center,
                           void *tile) {
    const reduce_plan *p = &j->plan;
    int64_t idx[MX_MAX_NDIM];
    int inner = p->nr - 1;
    int64_t L = p->rshape[inner], step = p->rstride[inner] * j->in_size;
    int64_t off = red_offset(p, rb, idx) - idx[inner] * p->rstride[inner];
    bool direct = j->in_dtype == k_ct_dtype[j->ct] && step == (int64_t)k_ct_size[j->ct];
    int64_t pos = rb;
    while (pos < re) {
        int64_t start = idx[inner], len = L - start < re - pos ? L - start : re - pos;
        const char *ptr = j->in + (base + off + start * p->rstride[inner]) * j->in_size;
        if (direct) {
            j->r->fold(acc, ptr, len, start, center);
        } else {
            for (int64_t c = 0; c < len; c += TILE) {
                int64_t m = len - c < TILE ? len - c : TILE;
                convert_to_ctype(tile, j->ct, ptr + c * step, j->in_dtype, step, m);
                j->r->fold(acc, tile, m, start + c, center);
            }
        }
        pos += len;
        idx[inner] = 0;
        if (pos < re)
            off = red_next_outer(p, idx, off);
    }
}

#define FOLD_ROWS 8 /* reduced indices folded per pass over the column accumulators */

/* Fold outputs [ob, ob + m) (one segment along the innermost kept dim, at
 * most TILE long) over the reduced range [rb, re), up to FOLD_ROWS reduced
 * indices of the innermost reduced dim at a time. */
static void fold_segment_vec(const reduce_job *j, void *acc, int64_t ob, int64_t m, int64_t rb, int64_t re,
                             void *tile) {
    const reduce_plan *p = &j->plan;
    int64_t idx[MX_MAX_NDIM];
    int inner = p->nr - 1;
    size_t cs = k_ct_size[j->ct];
    int64_t kstep = (p->nk > 0 ? p->kstride[p->nk - 1] : 0) * j->in_size;
    int64_t rstep = p->rstride[inner] * j->in_size;
    int64_t base = out_base(p, ob);
    int64_t off = red_offset(p, rb, idx) - idx[inner] * p->rstride[inner];
    bool direct = j->in_dtype == k_ct_dtype[j->ct] && kstep == (int64_t)cs;
    int64_t tile_rows = (int64_t)(TILE * 16 / ((size_t)m * cs)); /* converted rows the tile holds */
    int64_t max_rows = direct || tile_rows > FOLD_ROWS ? FOLD_ROWS : tile_rows;
    const double *centers = j->centers ? j->centers + ob : NULL;
    for (int64_t r = rb; r < re;) {
        int64_t k = p->rshape[inner] - idx[inner];
        if (k > re - r)
            k = re - r;
        if (k > max_rows || (!j->r->fold_rows && k > 1))
            k = j->r->fold_rows ? max_rows : 1;
        const char *ptr = j->in + (base + off) * j->in_size + idx[inner] * rstep;
        const char *x = ptr;
        int64_t xstride = rstep;
        if (!direct) {
            for (int64_t q = 0; q < k; q++)
                convert_to_ctype((char *)tile + q * m * (int64_t)cs, j->ct, ptr + q * rstep, j->in_dtype, kstep, m);
            x = tile;
            xstride = m * (int64_t)cs;
        }
        if (k > 1)
            j->r->fold_rows(acc, x, xstride, k, m);
        else
            j->r->fold_vec(acc, x, m, idx[inner], centers);
        r += k;
        idx[inner] += k;
        if (idx[inner] == p->rshape[inner] && r < re) {
            idx[inner] = 0;
            off = red_next_outer(p, idx, off);
        }
    }
}

/* Accumulate outputs [ob, oe) over reduced [rb, re); acc holds oe - ob
 * initialised accumulators. */
static void accumulate(const reduce_job *j, char *acc, int64_t ob, int64_t oe, int64_t rb, int64_t re, void *tile) {
    const reduce_plan *p = &j->plan;
    size_t as = j->r->acc_size;
    if (rb >= re)
        return;
    if (j->vec) {
        int64_t width = p->nk > 0 ? p->kshape[p->nk - 1] : 1;
        for (int64_t o = ob; o < oe;) {
            int64_t in_row = o % width, m = width - in_row;
            if (m > oe - o)
                m = oe - o;
            if (m > TILE)
                m = TILE;
            fold_segment_vec(j, acc + (size_t)(o - ob) * as, o, m, rb, re, tile);
            o += m;
        }
        return;
    }
    int64_t step = p->rstride[0] * j->in_size;
    if (p->nr == 1 && j->in_dtype == k_ct_dtype[j->ct] && step == (int64_t)k_ct_size[j->ct]) {
        /* one contiguous run per output, folded in place: the lean loop for many short rows */
        for (int64_t o = ob; o < oe; o++) {
            int64_t base = p->nk == 1 ? (o % p->kshape[0]) * p->kstride[0] : out_base(p, o);
            j->r->fold(acc + (size_t)(o - ob) * as, j->in + (base + rb * p->rstride[0]) * j->in_size, re - rb, rb,
                       j->centers ? j->centers[o] : 0.0);
        }
        return;
    }
    for (int64_t o = ob; o < oe; o++)
        fold_range_run(j, acc + (size_t)(o - ob) * as, out_base(p, o), rb, re, j->centers ? j->centers[o] : 0.0, tile);
}

typedef struct tile_buf {
    _Alignas(64) char bytes[TILE * 16];
} tile_buf;

/* Threads over outputs: each chunk of at most TILE outputs is accumulated
 * over the whole reduced range and finished. */
static void outputs_range(int64_t begin, int64_t end, void *vctx) {
    const reduce_job *j = vctx;
    tile_buf tile;
    _Alignas(64) char acc[TILE * ACC_MAX];
    for (int64_t ob = begin; ob < end; ob += TILE) {
        int64_t oe = end - ob < TILE ? end : ob + TILE;
        j->r->init(acc, oe - ob);
        accumulate(j, acc, ob, oe, 0, j->plan.n_red, tile.bytes);
        j->finish(j, acc, ob, oe - ob);
    }
}

typedef struct split_ctx {
    const reduce_job *j;
    char *partials; /* n_slices x n_out accumulators */
    int64_t n_slices;
} split_ctx;

/* Threads over slices of the reduced range, each into its own accumulators. */
static void slices_range(int64_t begin, int64_t end, void *vctx) {
    const split_ctx *s = vctx;
    const reduce_job *j = s->j;
    int64_t n_out = j->plan.n_out, n_red = j->plan.n_red;
    size_t as = j->r->acc_size;
    tile_buf tile;
    for (int64_t t = begin; t < end; t++) {
        char *acc = s->partials + (size_t)(t * n_out) * as;
        j->r->init(acc, n_out);
        accumulate(j, acc, 0, n_out, n_red * t / s->n_slices, n_red * (t + 1) / s->n_slices, tile.bytes);
    }
}

static mx_status run_job(reduce_job *j) {
    const reduce_plan *p = &j->plan;
    int64_t n_out = p->n_out, n_red = p->n_red;
    if (n_out == 0)
        return MX_OK;
    /* VEC when the innermost reduced dim is not a long contiguous row and
     * there is a kept dim to vectorise along. */
    int inner = p->nr - 1;
    bool row_ok = abs64(p->rstride[inner]) == 1 && p->rshape[inner] >= 16;
    j->vec = p->nk > 0 && !row_ok && p->kshape[p->nk - 1] > 1;
    int threads = cpu_num_threads();
    int64_t work = n_out * (n_red > 0 ? n_red : 1);
    bool parallel = threads > 1 && work >= 2 * CPU_ELEMENTWISE_GRAIN;
    /* Too few outputs to share between threads (or too few per thread for
     * efficient VEC segments): split the reduced range instead. */
    int64_t per_thread = n_out / (threads > 0 ? threads : 1);
    bool split = parallel && n_red >= 2 * threads && (j->vec ? per_thread < 256 : n_out < threads) &&
                 (size_t)n_out * j->r->acc_size * (size_t)threads <= ((size_t)64 << 20);
    if (!split) {
        int64_t grain = n_red > 0 ? CPU_ELEMENTWISE_GRAIN / n_red : n_out;
        if (grain < 1)
            grain = 1;
        if (!parallel)
            grain = n_out;
        cpu_parallel_for(n_out, grain, outputs_range, j);
        return MX_OK;
    }
    int64_t n_slices = threads;
    char *partials = malloc((size_t)(n_slices * n_out) * j->r->acc_size);
    if (!partials)
        return mx_set_error(MX_ERROR_MEMORY, "reduce: out of memory for %lld partial results", (long long)n_out);
    split_ctx s = {j, partials, n_slices};
    cpu_parallel_for(n_slices, 1, slices_range, &s);
    size_t as = j->r->acc_size;
    for (int64_t t = 1; t < n_slices; t++)
        j->r->combine(partials, partials + (size_t)(t * n_out) * as, n_out);
    for (int64_t o = 0; o < n_out; o += TILE)
        j->finish(j, partials + (size_t)o * as, o, n_out - o < TILE ? n_out - o : TILE);
    free(partials);
    return MX_OK;
}

/* ---- finishing: accumulators to output values -------------------------------------------------------- */

static char *out_at(const reduce_job *j, int64_t o) { return j->out + o * (int64_t)mx_dtype_size(j->store_dtype); }

/* The value MLX would hold in `dtype`: float16/bfloat16/float32 round. */
static double round_to(mx_dtype dtype, double v) {
    switch (dtype) {
    case MX_FLOAT16: return mx_f16_to_f32(mx_f32_to_f16((float)v));
    case MX_BFLOAT16: return mx_bf16_to_f32(mx_f32_to_bf16((float)v));
    case MX_FLOAT32:
    case MX_COMPLEX64: return (float)v;
    default: return v;
    }
}

/* Accumulators that are plain values of `acc_dtype`: convert. */
#define FINISH_CONVERT(NAME, ACC_DTYPE)                                                                                \
    static void NAME(const reduce_job *j, const void *acc, int64_t o, int64_t n) {                                     \
        cpu_convert_run(out_at(j, o), j->store_dtype, (int64_t)mx_dtype_size(j->store_dtype), acc, ACC_DTYPE,          \
                        (int64_t)mx_dtype_size(ACC_DTYPE), n);                                                         \
    }
FINISH_CONVERT(finish_f64, MX_FLOAT64)
FINISH_CONVERT(finish_f32, MX_FLOAT32)
FINISH_CONVERT(finish_i64, MX_INT64)
FINISH_CONVERT(finish_u64, MX_UINT64)
FINISH_CONVERT(finish_bool, MX_BOOL)

static void finish_c64_from_f64(const reduce_job *j, const void *acc, int64_t o, int64_t n) {
    const double *a = acc;
    float *d = (float *)out_at(j, o);
    for (int64_t i = 0; i < 2 * n; i++)
        d[i] = (float)a[i];
}
static void finish_c64_copy(const reduce_job *j, const void *acc, int64_t o, int64_t n) {
    memcpy(out_at(j, o), acc, (size_t)n * 8);
}

/* complex max/min. MLX folds a contiguous run of the input (its innermost
 * reduced dim of stride 1) with a last step that turns a result with a NaN
 * part into NaN + 0i; strided reductions skip it. */
static void finish_c64_minmax(const reduce_job *j, const void *acc, int64_t o, int64_t n) {
    const c64_minmax_acc *a = acc;
    const reduce_plan *p = &j->plan;
    bool contiguous_run = p->nr > 0 && p->rstride[p->nr - 1] == 1;
    float *d = (float *)out_at(j, o);
    for (int64_t i = 0; i < n; i++) {
        d[2 * i] = a[i].v[0];
        d[2 * i + 1] = a[i].v[1];
        if (contiguous_run && c64_isnan(a[i].v)) {
            d[2 * i] = NAN;
            d[2 * i + 1] = 0.0f;
        }
    }
}

/* arg accumulators: (value, int64 index) with the index last */
static void finish_arg(const reduce_job *j, const void *acc, int64_t o, int64_t n) {
    uint32_t *d = (uint32_t *)out_at(j, o);
    size_t as = j->r->acc_size;
    for (int64_t i = 0; i < n; i++) {
        int64_t index;
        memcpy(&index, (const char *)acc + (size_t)i * as + as - 8, 8);
        d[i] = (uint32_t)(index < 0 ? 0 : index);
    }
}

/* MLX's sum of the input, as the value it holds in sum's dtype. */
static double sum_value(const reduce_job *j, const void *acc, int64_t i) {
    if (j->ct == CT_I64 || j->ct == CT_U64) {
        uint64_t s = ((const uint64_t *)acc)[i];
        switch (j->in_orig_dtype) {
        case MX_UINT8:
        case MX_UINT16:
        case MX_UINT32: return (double)(uint32_t)s;
        case MX_UINT64: return (double)s;
        case MX_INT64: return (double)(int64_t)s;
        default: return (double)(int32_t)(uint32_t)s; /* bool, int8/16/32 wrap in int32 */
        }
    }
    return round_to(j->in_orig_dtype, ((const double *)acc)[i]);
}

/* Write n doubles (already rounded to out_dtype) as store_dtype. */
static void store_doubles(const reduce_job *j, const double *v, int64_t o, int64_t n) {
    cpu_convert_run(out_at(j, o), j->store_dtype, (int64_t)mx_dtype_size(j->store_dtype), (const char *)v, MX_FLOAT64,
                    8, n);
}

/* mean = sum * (1/n), each rounded to the output dtype as MLX does. */
static void finish_mean(const reduce_job *j, const void *acc, int64_t o, int64_t n) {
    double v[TILE];
    mx_dtype t = j->out_dtype;
    double scale = round_to(t, 1.0 / (double)j->plan.n_red);
    for (int64_t i = 0; i < n; i++)
        v[i] = round_to(t, round_to(t, sum_value(j, acc, i)) * scale);
    store_doubles(j, v, o, n);
}

static void finish_mean_c64(const reduce_job *j, const void *acc, int64_t o, int64_t n) {
    const double *a = acc;
    float *d = (float *)out_at(j, o);
    float scale = (float)(1.0 / (double)j->plan.n_red);
    for (int64_t i = 0; i < 2 * n; i++)
        d[i] = (float)a[i] * scale;
}

/* var: S * (1/n) when ddof is 0, else S / max(n - ddof, 0); std = sqrt(var). */
static void finish_var(const reduce_job *j, const void *acc, int64_t o, int64_t n) {
    const double *a = acc;
    double v[TILE];
    mx_dtype t = j->out_dtype;
    double count = round_to(t, (double)j->plan.n_red);
    double scale = round_to(t, 1.0 / (double)j->plan.n_red);
    double divisor = round_to(t, count - round_to(t, (double)j->ddof));
    divisor = divisor > 0 ? divisor : 0.0;
    for (int64_t i = 0; i < n; i++) {
        double s = round_to(t, a[i]);
        double var = j->ddof == 0 ? round_to(t, s * scale) : round_to(t, s / divisor);
        v[i] = j->take_sqrt ? round_to(t, sqrt(var)) : var;
    }
    store_doubles(j, v, o, n);
}

/* logsumexp = log(sum exp(x - max)) + max, or max itself when it is +-inf. */
static void finish_lse(const reduce_job *j, const void *acc, int64_t o, int64_t n) {
    const double *a = acc;
    double v[TILE];
    for (int64_t i = 0; i < n; i++) {
        double m = j->centers[o + i];
        v[i] = isinf(m) ? m : round_to(j->out_dtype, log(a[i]) + m);
    }
    store_doubles(j, v, o, n);
}

/* complex logsumexp = log(sum exp(x - max)) + max (the sum rounded to
 * complex64, clogf as std::log), or max itself when either part is infinite */
static void finish_lse_c64(const reduce_job *j, const void *acc, int64_t o, int64_t n) {
    const double *a = acc;
    const float *c = (const float *)(j->centers + o);
    float *d = (float *)out_at(j, o);
    for (int64_t i = 0; i < n; i++) {
        float complex m = CMPLXF(c[2 * i], c[2 * i + 1]);
        float complex v =
            isinf(crealf(m)) || isinf(cimagf(m)) ? m : clogf(CMPLXF((float)a[2 * i], (float)a[2 * i + 1])) + m;
        memcpy(d + 2 * i, &v, 8);
    }
}

/* ---- choosing reducers ------------------------------------------------------------------------- */

/* Compute type of comparisons and integer arithmetic for an input dtype. */
static ctype ctype_of(mx_dtype t) {
    switch (t) {
    case MX_FLOAT16:
    case MX_BFLOAT16:
    case MX_FLOAT32: return CT_F32;
    case MX_FLOAT64: return CT_F64;
    case MX_UINT64: return CT_U64;
    case MX_COMPLEX64: return CT_C64;
    default: return CT_I64; /* bool and the other integers fit in int64 */
    }
}

static finish_fn finish_plain(ctype ct, bool sum_like) {
    switch (ct) {
    case CT_F32: return sum_like ? finish_f64 : finish_f32;
    case CT_F64: return finish_f64;
    case CT_I64: return finish_i64;
    case CT_U64: return finish_u64;
    case CT_BOOL: return finish_bool;
    case CT_C64: return sum_like ? finish_c64_from_f64 : finish_c64_copy;
    }
    return finish_f64;
}

/* Fill j->r, j->ct, j->finish for op over input dtype t (first pass). */
static void choose(reduce_job *j, int op, mx_dtype t) {
    ctype ct = ctype_of(t);
    j->ct = ct;
    switch (op) {
    case MX_OP_sum:
    case MX_OP_mean:
        j->r = ct == CT_F32 ? &k_sum_f32 : ct == CT_F64 ? &k_sum_f64 : ct == CT_C64 ? &k_sum_c64 : &k_sum_int;
        if (op == MX_OP_sum)
            j->finish = finish_plain(ct, true);
        else
            j->finish = ct == CT_C64 ? finish_mean_c64 : finish_mean;
        return;
    case MX_OP_prod:
        j->r = ct == CT_F32 ? &k_prod_f32 : ct == CT_F64 ? &k_prod_f64 : ct == CT_C64 ? &k_prod_c64 : &k_prod_int;
        j->finish = finish_plain(ct, false);
        return;
    case MX_OP_max:
    case MX_OP_logsumexp: /* first pass: the max */
        j->r = ct == CT_F32   ? &k_max_f32
               : ct == CT_F64 ? &k_max_f64
               : ct == CT_U64 ? &k_max_u64
               : ct == CT_C64 ? &k_max_c64
                              : &k_max_i64;
        j->finish = ct == CT_C64 ? finish_c64_minmax : finish_plain(ct, false);
        return;
    case MX_OP_min:
        j->r = ct == CT_F32   ? &k_min_f32
               : ct == CT_F64 ? &k_min_f64
               : ct == CT_U64 ? &k_min_u64
               : ct == CT_C64 ? &k_min_c64
                              : &k_min_i64;
        j->finish = ct == CT_C64 ? finish_c64_minmax : finish_plain(ct, false);
        return;
    case MX_OP_argmax:
        j->r = ct == CT_F32   ? &k_argmax_f32
               : ct == CT_F64 ? &k_argmax_f64
               : ct == CT_U64 ? &k_argmax_u64
               : ct == CT_C64 ? &k_argmax_c64
                              : &k_argmax_i64;
        j->finish = finish_arg;
        return;
    case MX_OP_argmin:
        j->r = ct == CT_F32   ? &k_argmin_f32
               : ct == CT_F64 ? &k_argmin_f64
               : ct == CT_U64 ? &k_argmin_u64
               : ct == CT_C64 ? &k_argmin_c64
                              : &k_argmin_i64;
        j->finish = finish_arg;
        return;
    case MX_OP_all:
    case MX_OP_any:
        j->ct = CT_BOOL;
        j->r = op == MX_OP_all ? &k_all : &k_any;
        j->finish = finish_bool;
        return;
    default: j->r = NULL;
    }
}

/* in (any strides) reduced into out (keepdims shape, row-contiguous). */
static mx_status reduce_kernel(mx_node *out) {
    mx_node *in = out->inputs[0];
    int op = out->op->id;
    bool reduced[MX_MAX_NDIM] = {0};
    int ddof = 0;
    if (op == MX_OP_argmax || op == MX_OP_argmin) {
        reduced[((const mx_axis_params *)mx_node_params(out))->axis] = true;
    } else {
        const mx_reduce_params *rp = mx_node_params(out); /* first member of mx_var_params too */
        for (int i = 0; i < rp->naxes; i++)
            reduced[rp->axes[i]] = true;
        if (op == MX_OP_var || op == MX_OP_std)
            ddof = ((const mx_var_params *)mx_node_params(out))->ddof;
    }
    mx_status st = mx_node_alloc_output(out);
    if (st != MX_OK)
        return st;

    reduce_job j;
    memset(&j, 0, sizeof j);
    plan_build(&j.plan, in, reduced);
    j.in = in->size ? mx_node_data(in) : NULL;
    j.in_dtype = in->dtype;
    j.in_orig_dtype = in->dtype;
    j.in_size = (int64_t)mx_dtype_size(in->dtype);
    j.out = out->size ? mx_node_data(out) : NULL;
    j.out_dtype = out->dtype;
    j.store_dtype = out->dtype;
    j.ddof = ddof;
    j.take_sqrt = op == MX_OP_std;
    int64_t n_out = j.plan.n_out;

    if (op != MX_OP_var && op != MX_OP_std && op != MX_OP_logsumexp) {
        choose(&j, op, in->dtype);
        if (!j.r)
            return mx_set_error(MX_ERROR_INTERNAL, "%s: no CPU reduction for this op", out->op->name);
        return run_job(&j);
    }

    /* Two passes: per-output centers (var: the mean as MLX rounds it; logsumexp: the max) */
    double *centers = malloc((size_t)(n_out > 0 ? n_out : 1) * sizeof(double));
    if (!centers)
        return mx_set_error(MX_ERROR_MEMORY, "%s: out of memory", out->op->name);
    choose(&j, op == MX_OP_logsumexp ? MX_OP_logsumexp : MX_OP_mean, in->dtype);
    j.out = (char *)centers;
    j.store_dtype = MX_FLOAT64;
    st = run_job(&j);
    if (st == MX_OK) {
        bool f64 = in->dtype == MX_FLOAT64, c64 = in->dtype == MX_COMPLEX64;
        /* integers are compared and subtracted as float32, as in MLX */
        j.ct = f64 ? CT_F64 : c64 ? CT_C64 : CT_F32;
        if (op == MX_OP_logsumexp) {
            j.r = f64 ? &k_sumexp_f64 : c64 ? &k_sumexp_c64 : &k_sumexp_f32;
            j.finish = c64 ? finish_lse_c64 : finish_lse;
        } else {
            j.r = f64 ? &k_sqdev_f64 : c64 ? &k_sqdev_c64 : &k_sqdev_f32;
            j.finish = finish_var;
        }
        j.centers = centers;
        j.out = out->size ? mx_node_data(out) : NULL;
        j.store_dtype = out->dtype;
        st = run_job(&j);
    }
    free(centers);
    return st;
}

/* ---- softmax over the last axis ------------------------------------------------------------------ */

typedef struct softmax_job {
    const mx_node *in; /* shape and strides (its buffer may be donated to out) */
    const char *in_data;
    char *out;
    mx_dtype dtype;
    int64_t L;                       /* row length */
    int64_t rows;                    /* product of the other dims */
    bool precise;                    /* half types: exact float32 exponentials to the end */
    int64_t width, blocks_per_width; /* column mode: rows adjacent in memory, in blocks */
} softmax_job;

static const char *row_pointer(const softmax_job *s, int64_t row) {
    const mx_node *in = s->in;
    int64_t off = 0;
    for (int d = in->ndim - 2; d >= 0; d--) {
        off += (row % in->shape[d]) * in->strides[d];
        row /= in->shape[d];
    }
    return s->in_data + off * (int64_t)mx_dtype_size(in->dtype);
}

/* One float row, contiguous input x (may alias y). */
static void softmax_row_f32(const float *x, float *y, int64_t L) {
    float lane[16];
    for (int k = 0; k < 16; k++)
        lane[k] = -INFINITY;
    int64_t i = 0;
    for (; i + 16 <= L; i += 16)
        for (int k = 0; k < 16; k++)
            lane[k] = x[i + k] > lane[k] ? x[i + k] : lane[k];
    float m = -INFINITY;
    for (int k = 0; k < 16; k++)
        m = lane[k] > m ? lane[k] : m;
    for (; i < L; i++)
        m = x[i] > m ? x[i] : m;
    float sum[16] = {0};
    for (i = 0; i + 16 <= L; i += 16)
        for (int k = 0; k < 16; k++) {
            float e = mx_fast_expf(x[i + k] - m);
            y[i + k] = e;
            sum[k] += e;
        }
    float s = 0.0f;
    for (; i < L; i++) {
        float e = mx_fast_expf(x[i] - m);
        y[i] = e;
        s += e;
    }
    for (int k = 0; k < 16; k++)
        s += sum[k];
    float inv = 1.0f / s;
    for (i = 0; i < L; i++)
        y[i] *= inv;
}

/* float16/bfloat16 row through float tiles. Not precise: the exponentials
 * and the normaliser are rounded to the input type before the product (as
 * MLX's half-precision kernel), the sum accumulates in float. */
static void softmax_row_half(const char *x, int64_t stride, uint16_t *y, int64_t L, mx_dtype dtype, bool precise,
                             float *tile) {
    float m = -INFINITY;
    for (int64_t b = 0; b < L; b += TILE) {
        int64_t n = L - b < TILE ? L - b : TILE;
        convert_to_ctype(tile, CT_F32, x + b * stride, dtype, stride, n);
        for (int64_t i = 0; i < n; i++)
            m = tile[i] > m ? tile[i] : m;
    }
    float s = 0.0f;
    for (int64_t b = 0; b < L; b += TILE) {
        int64_t n = L - b < TILE ? L - b : TILE;
        convert_to_ctype(tile, CT_F32, x + b * stride, dtype, stride, n);
        for (int64_t i = 0; i < n; i++)
            tile[i] = mx_fast_expf(tile[i] - m);
        if (!precise) {
            cpu_convert_run((char *)(y + b), dtype, 2, (const char *)tile, MX_FLOAT32, 4, n);
            convert_to_ctype(tile, CT_F32, (const char *)(y + b), dtype, 2, n);
        }
        s += (float)sum_f32(tile, n);
    }
    float inv = 1.0f / s;
    if (!precise)
        inv = (float)round_to(dtype, inv);
    for (int64_t b = 0; b < L; b += TILE) {
        int64_t n = L - b < TILE ? L - b : TILE;
        if (precise) {
            convert_to_ctype(tile, CT_F32, x + b * stride, dtype, stride, n);
            for (int64_t i = 0; i < n; i++)
                tile[i] = mx_fast_expf(tile[i] - m) * inv;
        } else {
            convert_to_ctype(tile, CT_F32, (const char *)(y + b), dtype, 2, n);
            for (int64_t i = 0; i < n; i++)
                tile[i] *= inv;
        }
        cpu_convert_run((char *)(y + b), dtype, 2, (const char *)tile, MX_FLOAT32, 4, n);
    }
}

static void softmax_row_f64(const double *x, double *y, int64_t L) {
    double m = -INFINITY;
    for (int64_t i = 0; i < L; i++)
        m = x[i] > m ? x[i] : m;
    double s = 0.0;
    for (int64_t i = 0; i < L; i++) {
        y[i] = exp(x[i] - m);
        s += y[i];
    }
    double inv = 1.0 / s;
    for (int64_t i = 0; i < L; i++)
        y[i] *= inv;
}

static void softmax_rows(int64_t begin, int64_t end, void *vctx) {
    const softmax_job *s = vctx;
    const mx_node *in = s->in;
    size_t size = mx_dtype_size(s->dtype);
    int64_t stride = in->ndim ? in->strides[in->ndim - 1] * (int64_t)size : (int64_t)size;
    bool contiguous = stride == (int64_t)size;
    bool half = s->dtype == MX_FLOAT16 || s->dtype == MX_BFLOAT16;
    tile_buf tile;
    for (int64_t r = begin; r < end; r++) {
        const char *x = row_pointer(s, r);
        char *y = s->out + r * s->L * (int64_t)size;
        if (half) {
            softmax_row_half(x, stride, (uint16_t *)y, s->L, s->dtype, s->precise, (float *)tile.bytes);
            continue;
        }
        if (!contiguous) { /* gather the row into the output, then work in place */
            cpu_convert_run(y, s->dtype, (int64_t)size, x, s->dtype, stride, s->L);
            x = y;
        }
        if (s->dtype == MX_FLOAT64)
            softmax_row_f64((const double *)x, (double *)y, s->L);
        else
            softmax_row_f32((const float *)x, (float *)y, s->L);
    }
}

/* Column mode: the softmax axis is strided and the rows are adjacent in
 * memory (the innermost of the other dims has stride 1), as after moving a
 * leading axis last. The output takes the input's layout, so blocks of up to
 * COL_BLOCK adjacent rows are read and written with contiguous vector loads,
 * and moving the axis back gives a row-contiguous array. */
#define COL_BLOCK 512

static void softmax_cols_f32(const softmax_job *s, int64_t off, int64_t B) {
    const mx_node *in = s->in;
    int64_t size = (int64_t)mx_dtype_size(s->dtype), step = in->strides[in->ndim - 1] * size;
    bool f32 = s->dtype == MX_FLOAT32, rounded = !f32 && !s->precise;
    const char *x0 = s->in_data + off * size;
    char *y0 = s->out + off * size;
    float m[COL_BLOCK], sum[COL_BLOCK], t[COL_BLOCK];
    for (int64_t b = 0; b < B; b++) {
        m[b] = -INFINITY;
        sum[b] = 0.0f;
    }
    for (int64_t i = 0; i < s->L; i++) {
        const float *x = f32 ? (const float *)(x0 + i * step) : t;
        if (!f32)
            convert_to_ctype(t, CT_F32, x0 + i * step, s->dtype, size, B);
        for (int64_t b = 0; b < B; b++)
            m[b] = x[b] > m[b] ? x[b] : m[b];
    }
    for (int64_t i = 0; i < s->L; i++) {
        const float *x = f32 ? (const float *)(x0 + i * step) : t;
        if (!f32)
            convert_to_ctype(t, CT_F32, x0 + i * step, s->dtype, size, B);
        float *e = f32 ? (float *)(y0 + i * step) : t;
        for (int64_t b = 0; b < B; b++)
            e[b] = mx_fast_expf(x[b] - m[b]);
        if (rounded) { /* as the row kernel: exponentials rounded to the half type */
            cpu_convert_run(y0 + i * step, s->dtype, size, (const char *)t, MX_FLOAT32, 4, B);
            convert_to_ctype(t, CT_F32, y0 + i * step, s->dtype, size, B);
        }
        for (int64_t b = 0; b < B; b++)
            sum[b] += e[b];
    }
    for (int64_t b = 0; b < B; b++)
        sum[b] = rounded ? (float)round_to(s->dtype, 1.0f / sum[b]) : 1.0f / sum[b];
    for (int64_t i = 0; i < s->L; i++) {
        if (f32) {
            float *y = (float *)(y0 + i * step);
            for (int64_t b = 0; b < B; b++)
                y[b] *= sum[b];
            continue;
        }
        convert_to_ctype(t, CT_F32, (rounded ? y0 : x0) + i * step, s->dtype, size, B);
        if (rounded) {
            for (int64_t b = 0; b < B; b++)
                t[b] *= sum[b];
        } else {
            for (int64_t b = 0; b < B; b++)
                t[b] = mx_fast_expf(t[b] - m[b]) * sum[b];
        }
        cpu_convert_run(y0 + i * step, s->dtype, size, (const char *)t, MX_FLOAT32, 4, B);
    }
}

static void softmax_cols_f64(const softmax_job *s, int64_t off, int64_t B) {
    int64_t step = s->in->strides[s->in->ndim - 1];
    const double *x0 = (const double *)s->in_data + off;
    double *y0 = (double *)s->out + off;
    double m[COL_BLOCK], sum[COL_BLOCK];
    for (int64_t b = 0; b < B; b++) {
        m[b] = -INFINITY;
        sum[b] = 0.0;
    }
    for (int64_t i = 0; i < s->L; i++)
        for (int64_t b = 0; b < B; b++)
            m[b] = x0[i * step + b] > m[b] ? x0[i * step + b] : m[b];
    for (int64_t i = 0; i < s->L; i++)
        for (int64_t b = 0; b < B; b++) {
            y0[i * step + b] = exp(x0[i * step + b] - m[b]);
            sum[b] += y0[i * step + b];
        }
    for (int64_t b = 0; b < B; b++)
        sum[b] = 1.0 / sum[b];
    for (int64_t i = 0; i < s->L; i++)
        for (int64_t b = 0; b < B; b++)
            y0[i * step + b] *= sum[b];
}

static void softmax_col_blocks(int64_t begin, int64_t end, void *vctx) {
    const softmax_job *s = vctx;
    const mx_node *in = s->in;
    for (int64_t task = begin; task < end; task++) {
        int64_t outer = task / s->blocks_per_width, c0 = (task % s->blocks_per_width) * COL_BLOCK;
        int64_t B = s->width - c0 < COL_BLOCK ? s->width - c0 : COL_BLOCK;
        int64_t off = c0; /* the innermost row dim has stride 1 */
        for (int d = in->ndim - 3; d >= 0; d--) {
            off += (outer % in->shape[d]) * in->strides[d];
            outer /= in->shape[d];
        }
        if (s->dtype == MX_FLOAT64)
            softmax_cols_f64(s, off, B);
        else
            softmax_cols_f32(s, off, B);
    }
}

/* Strides that are a permutation of a row-major layout (no gaps, no broadcast). */
static bool dense_layout(const mx_node *n) {
    int64_t shape[MX_MAX_NDIM], stride[MX_MAX_NDIM];
    int k = 0;
    for (int d = 0; d < n->ndim; d++) {
        if (n->shape[d] == 1)
            continue;
        int i = k++;
        while (i > 0 && stride[i - 1] < n->strides[d]) {
            shape[i] = shape[i - 1];
            stride[i] = stride[i - 1];
            i--;
        }
        shape[i] = n->shape[d];
        stride[i] = n->strides[d];
    }
    int64_t expected = 1;
    for (int i = k - 1; i >= 0; i--) {
        if (stride[i] != expected)
            return false;
        expected *= shape[i];
    }
    return true;
}

/* x (..., L) any strides -> out (..., L) over the last axis: row-contiguous,
 * or in x's own layout in column mode. */
static mx_status softmax_kernel(mx_node *out) {
    mx_node *in = out->inputs[0];
    const mx_softmax_params *p = mx_node_params(out);
    bool half = in->dtype == MX_FLOAT16 || in->dtype == MX_BFLOAT16;
    if (in->dtype != MX_FLOAT32 && in->dtype != MX_FLOAT64 && !half)
        return mx_set_error(MX_ERROR_TYPE, "softmax: the kernel takes floating point inputs, got %s",
                            mx_dtype_name(in->dtype));
    softmax_job s = {.in = in, .dtype = in->dtype, .L = in->ndim ? in->shape[in->ndim - 1] : 1, .precise = p->precise};
    s.rows = s.L ? in->size / s.L : 0;
    if (in->size)
        s.in_data = mx_node_data(in); /* before a donation takes the buffer */
    int nd = in->ndim;
    if (nd >= 2 && in->strides[nd - 1] != 1 && in->strides[nd - 2] == 1 && in->shape[nd - 2] >= 8 && dense_layout(in)) {
        mx_buffer *buffer = mx_buffer_alloc((size_t)in->size * mx_dtype_size(in->dtype), "softmax");
        if (!buffer)
            return mx_last_status();
        mx_buffer_release(out->buffer);
        out->buffer = buffer;
        out->offset = 0;
        memcpy(out->strides, in->strides, sizeof(int64_t) * (size_t)nd);
        mx_node_update_flags(out);
        s.out = mx_node_data(out);
        s.width = in->shape[nd - 2];
        s.blocks_per_width = (s.width + COL_BLOCK - 1) / COL_BLOCK;
        int64_t tasks = s.rows / s.width * s.blocks_per_width;
        int64_t grain = CPU_ELEMENTWISE_GRAIN / (COL_BLOCK * s.L);
        cpu_parallel_for(tasks, grain > 0 ? grain : 1, softmax_col_blocks, &s);
        return MX_OK;
    }
    /* In place when nothing else sees the input; the precise half path
     * rereads the input in its last pass, so it never donates. */
    bool donated = !(half && p->precise) && mx_node_try_donate(out, 0);
    if (!donated) {
        mx_status st = mx_node_alloc_output(out);
        if (st != MX_OK)
            return st;
    }
    if (out->size == 0)
        return MX_OK;
    s.out = mx_node_data(out);
    int64_t grain = CPU_ELEMENTWISE_GRAIN / (s.L > 0 ? s.L : 1);
    cpu_parallel_for(s.rows, grain > 0 ? grain : 1, softmax_rows, &s);
    return MX_OK;
}

void cpu_register_reduce(mx_backend *b) {
    static const int reduce_ops[] = {MX_OP_sum,    MX_OP_prod,   MX_OP_max,  MX_OP_min, MX_OP_all, MX_OP_any,
                                     MX_OP_argmax, MX_OP_argmin, MX_OP_mean, MX_OP_var, MX_OP_std, MX_OP_logsumexp};
    for (size_t i = 0; i < sizeof reduce_ops / sizeof reduce_ops[0]; i++)
        b->kernels[reduce_ops[i]] = reduce_kernel;
    b->kernels[MX_OP_softmax] = softmax_kernel;
}
