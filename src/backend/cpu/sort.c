/* backend/cpu/sort.c - CPU kernels of the sort family (src/ops/sort.c):
 * sort, argsort, partition, argpartition along one axis, and searchsorted.
 *
 * Shapes: in (outer, n, inner), any strides -> out (outer, n, inner),
 * row-contiguous (argsort/argpartition: uint32); searchsorted: a 1-D
 * sequence (m) and values (any shape) -> uint32 of values' shape.
 *
 * Each row along the axis is gathered into a contiguous buffer and turned
 * into unsigned integer KEYS whose unsigned order is MLX's order: integers
 * with the sign bit flipped; floats by the usual bit trick, with -0.0 mapped
 * onto 0.0 (they compare equal) and every NaN onto the largest key (NaN sorts
 * last and NaNs compare equal); complex64 as (key(real) << 32 | key(imag)),
 * NaN in either part largest. Then:
 *
 *   sort, argsort  a stable LSD radix sort of the keys, 8 bits a pass (passes
 *                  in which every key has the same digit are skipped), or an
 *                  insertion sort for short rows. argsort sorts key << 32 |
 *                  index words (keys of up to 32 bits), so the indices ride
 *                  along in the same word. Stable, so equal keys keep their
 *                  input order: exactly MLX's std::stable_sort. A value sort
 *                  writes the values back from the keys, then restores the
 *                  original bits of the zeros (when a -0.0 is present) and of
 *                  the NaNs, in input order (MLX's order for them).
 *   partition,     libstdc++'s std::nth_element (introselect), step for step,
 *   argpartition   on an index array compared through the keys, which is
 *                  what MLX runs (with its comparators: values, or values
 *                  then index for argpartition, NaN largest), so the output
 *                  order equals MLX's, not just the partition property.
 *   searchsorted   std::lower_bound / std::upper_bound over the sequence's
 *                  keys.
 *
 * Rows are spread over threads; a single long row (sort/argsort of 10^6
 * elements) is radix-sorted by all threads together (per-thread histograms
 * of each pass, then a parallel scatter into disjoint ranges). */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "backend/cpu/cpu.h"
#include "ops/sort.h"

#define INSERTION_MAX 24           /* rows up to this long: insertion sort */
#define PARALLEL_ROW_MIN (1 << 16) /* a row this long: bucketed first, and sorted by several threads */

/* ---- keys -------------------------------------------------------------------------------------- */

typedef struct key_stats {
    int64_t nan;       /* NaN elements */
    int64_t negzero;   /* -0.0 elements */
    int64_t negatives; /* elements below zero (not NaN): where the zeros start once sorted */
} key_stats;

/* Key bytes of a dtype: the radix width. */
static int key_size(mx_dtype dt) {
    switch (dt) {
    case MX_BOOL:
    case MX_UINT8:
    case MX_INT8: return 1;
    case MX_UINT16:
    case MX_INT16:
    case MX_FLOAT16:
    case MX_BFLOAT16: return 2;
    case MX_UINT32:
    case MX_INT32:
    case MX_FLOAT32: return 4;
    default: return 8; /* uint64 int64 float64 complex64 */
    }
}

static bool is_float_dtype(mx_dtype dt) { return mx_dtype_is_float(dt); }

/* Float keys, branch-free (so the loops vectorise). U: bits type, SIGN:
 * sign bit, INF: bits of +inf. */
#define FLOAT_KEY_FN(NAME, U, SIGN, INF)                                                                               \
    static inline U NAME(U u) {                                                                                        \
        U a = u & (U) ~(SIGN);                                                                                         \
        U neg = (U)((U)0 - (U)(u >> (8 * sizeof(U) - 1))); /* all ones when the sign is set */                         \
        U k = (U)(u ^ (neg | (SIGN)));                                                                                 \
        k = a == 0 ? (U)(SIGN) : k;                                                                                    \
        return a > (INF) ? (U) ~(U)0 : k;                                                                              \
    }
FLOAT_KEY_FN(key_f16, uint16_t, 0x8000u, 0x7C00u)
FLOAT_KEY_FN(key_bf16, uint16_t, 0x8000u, 0x7F80u)
FLOAT_KEY_FN(key_f32, uint32_t, 0x80000000u, 0x7F800000u)
FLOAT_KEY_FN(key_f64, uint64_t, 0x8000000000000000ull, 0x7FF0000000000000ull)

static inline uint64_t key_c64(uint64_t bits) {
    uint32_t re = (uint32_t)bits, im = (uint32_t)(bits >> 32); /* little-endian: real part first */
    uint32_t kr = key_f32(re), ki = key_f32(im);
    if (kr == UINT32_MAX || ki == UINT32_MAX)
        return UINT64_MAX;
    return (uint64_t)kr << 32 | ki;
}

/* n contiguous elements of dt -> keys (K of key_size(dt) bytes), counting
 * NaNs, -0.0s and negatives of real floats. */
static void make_keys(mx_dtype dt, const void *vals, void *keys, int64_t n, key_stats *st) {
    memset(st, 0, sizeof *st);
#define FLOAT_KEYS(U, KEYF, SIGN, INF)                                                                                 \
    do {                                                                                                               \
        const U *v = vals;                                                                                             \
        U *k = keys;                                                                                                   \
        int64_t nan = 0, negzero = 0, neg = 0;                                                                         \
        for (int64_t i = 0; i < n; i++) {                                                                              \
            U u = v[i], a = u & (U) ~(SIGN);                                                                           \
            nan += a > (INF);                                                                                          \
            negzero += u == (SIGN);                                                                                    \
            neg += (int64_t)((u >> (8 * sizeof(U) - 1)) & (U)(a != 0) & (U)(a <= (INF)));                              \
            k[i] = KEYF(u);                                                                                            \
        }                                                                                                              \
        st->nan = nan;                                                                                                 \
        st->negzero = negzero;                                                                                         \
        st->negatives = neg;                                                                                           \
    } while (0)
#define FLIP_KEYS(U, SIGN)                                                                                             \
    do {                                                                                                               \
        const U *v = vals;                                                                                             \
        U *k = keys;                                                                                                   \
        for (int64_t i = 0; i < n; i++)                                                                                \
            k[i] = (U)(v[i] ^ (SIGN));                                                                                 \
    } while (0)
    switch (dt) {
    case MX_FLOAT16: FLOAT_KEYS(uint16_t, key_f16, 0x8000u, 0x7C00u); break;
    case MX_BFLOAT16: FLOAT_KEYS(uint16_t, key_bf16, 0x8000u, 0x7F80u); break;
    case MX_FLOAT32: FLOAT_KEYS(uint32_t, key_f32, 0x80000000u, 0x7F800000u); break;
    case MX_FLOAT64: FLOAT_KEYS(uint64_t, key_f64, 0x8000000000000000ull, 0x7FF0000000000000ull); break;
    case MX_INT8: FLIP_KEYS(uint8_t, 0x80u); break;
    case MX_INT16: FLIP_KEYS(uint16_t, 0x8000u); break;
    case MX_INT32: FLIP_KEYS(uint32_t, 0x80000000u); break;
    case MX_INT64: FLIP_KEYS(uint64_t, 0x8000000000000000ull); break;
    case MX_COMPLEX64: {
        const uint64_t *v = vals;
        uint64_t *k = keys;
        for (int64_t i = 0; i < n; i++)
            k[i] = key_c64(v[i]);
        break;
    }
    default: memcpy(keys, vals, (size_t)n * (size_t)key_size(dt)); break; /* bool, unsigned */
    }
#undef FLOAT_KEYS
#undef FLIP_KEYS
}

/* One element's key, widened to 64 bits (order kept): searchsorted. */
static uint64_t key_of(mx_dtype dt, const char *p) {
    key_stats st;
    uint64_t k = 0;
    make_keys(dt, p, &k, 1, &st); /* little-endian: the key lands in the low bytes */
    return k;
}

/* The value of a (non-NaN, non-zero-fixup) key: the inverse of make_keys. */
#define UNKEY_FLOAT(U, SIGN, k) (((k) & (SIGN)) ? (U)((k) ^ (SIGN)) : (U) ~(k))

/* ---- radix sorts --------------------------------------------------------------------------------
 * LSD, 8-bit digits. keys-only (value sort): K of 1, 2, 4 or 8 bytes;
 * packed (argsort): uint64 words key << 32 | index, digits of the key only.
 * Return the buffer (a or b) that holds the result. */

/* The histograms of every pass in one read, with two sets of counters
 * (even and odd elements) so runs of equal digits do not chain every
 * increment through one memory location. hist: passes x 256, zeroed here. */
#define HISTOGRAMS(K, a, n, PASSES, SHIFT0, hist)                                                                      \
    do {                                                                                                               \
        uint32_t odd_[PASSES][256];                                                                                    \
        memset(hist, 0, sizeof(uint32_t) * 256 * (PASSES));                                                            \
        memset(odd_, 0, sizeof odd_);                                                                                  \
        int64_t i_ = 0;                                                                                                \
        for (; i_ + 1 < (n); i_ += 2) {                                                                                \
            K x0_ = (a)[i_], x1_ = (a)[i_ + 1];                                                                        \
            for (int p_ = 0; p_ < (PASSES); p_++) {                                                                    \
                hist[p_][(x0_ >> ((SHIFT0) + 8 * p_)) & 255]++;                                                        \
                odd_[p_][(x1_ >> ((SHIFT0) + 8 * p_)) & 255]++;                                                        \
            }                                                                                                          \
        }                                                                                                              \
        if (i_ < (n))                                                                                                  \
            for (int p_ = 0; p_ < (PASSES); p_++)                                                                      \
                hist[p_][((a)[i_] >> ((SHIFT0) + 8 * p_)) & 255]++;                                                    \
        for (int p_ = 0; p_ < (PASSES); p_++)                                                                          \
            for (int d_ = 0; d_ < 256; d_++)                                                                           \
                hist[p_][d_] += odd_[p_][d_];                                                                          \
    } while (0)

/* Counts -> starting offsets; false when one digit holds all n (the pass
 * would not move anything). */
static bool offsets_of(uint32_t *h, int64_t n) {
    uint32_t sum = 0;
    for (int d = 0; d < 256; d++) {
        uint32_t c = h[d];
        if (c == (uint32_t)n)
            return false;
        h[d] = sum;
        sum += c;
    }
    return true;
}

/* b[h[digit(x)]++] = x for each x of a, in order, two at a time: both
 * counters are read before either is written, so a run of equal digits (the
 * top byte of float keys) does not serialise on one counter. */
#define SCATTER(K, a, b, n, SHIFT, MASK, h)                                                                            \
    do {                                                                                                               \
        int64_t i_ = 0;                                                                                                \
        for (; i_ + 1 < (n); i_ += 2) {                                                                                \
            K x0_ = (a)[i_], x1_ = (a)[i_ + 1];                                                                        \
            uint32_t d0_ = (uint32_t)(x0_ >> (SHIFT)) & (MASK), d1_ = (uint32_t)(x1_ >> (SHIFT)) & (MASK);             \
            uint32_t p0_ = h[d0_], p1_ = h[d1_] + (d0_ == d1_);                                                        \
            h[d0_] = p0_ + 1;                                                                                          \
            h[d1_] = p1_ + 1;                                                                                          \
            (b)[p0_] = x0_;                                                                                            \
            (b)[p1_] = x1_;                                                                                            \
        }                                                                                                              \
        if (i_ < (n)) {                                                                                                \
            K x_ = (a)[i_];                                                                                            \
            (b)[h[(uint32_t)(x_ >> (SHIFT)) & (MASK)]++] = x_;                                                         \
        }                                                                                                              \
    } while (0)

#define RADIX_KEYS(NAME, K)                                                                                            \
    static K *NAME(K *a, K *b, int64_t n) {                                                                            \
        enum { PASSES = (int)sizeof(K) };                                                                              \
        uint32_t hist[PASSES][256];                                                                                    \
        HISTOGRAMS(K, a, n, PASSES, 0, hist);                                                                          \
        for (int p = 0; p < PASSES; p++) {                                                                             \
            uint32_t *h = hist[p];                                                                                     \
            if (!offsets_of(h, n))                                                                                     \
                continue;                                                                                              \
            SCATTER(K, a, b, n, 8 * p, 255, h);                                                                        \
            K *t = a;                                                                                                  \
            a = b;                                                                                                     \
            b = t;                                                                                                     \
        }                                                                                                              \
        return a;                                                                                                      \
    }
RADIX_KEYS(radix_u8, uint8_t)
RADIX_KEYS(radix_u16, uint16_t)
RADIX_KEYS(radix_u32, uint32_t)
RADIX_KEYS(radix_u64, uint64_t)

/* words = key << 32 | index; sorts on the key's `key_bytes` low bytes */
#define RADIX_PACKED(NAME, KEY_BYTES)                                                                                  \
    static uint64_t *NAME(uint64_t *a, uint64_t *b, int64_t n) {                                                       \
        uint32_t hist[KEY_BYTES][256];                                                                                 \
        HISTOGRAMS(uint64_t, a, n, KEY_BYTES, 32, hist);                                                               \
        for (int p = 0; p < KEY_BYTES; p++) {                                                                          \
            uint32_t *h = hist[p];                                                                                     \
            if (!offsets_of(h, n))                                                                                     \
                continue;                                                                                              \
            SCATTER(uint64_t, a, b, n, 32 + 8 * p, 255, h);                                                            \
            uint64_t *t = a;                                                                                           \
            a = b;                                                                                                     \
            b = t;                                                                                                     \
        }                                                                                                              \
        return a;                                                                                                      \
    }
RADIX_PACKED(radix_packed1, 1)
RADIX_PACKED(radix_packed2, 2)
RADIX_PACKED(radix_packed4, 4)

static uint64_t *radix_packed(uint64_t *a, uint64_t *b, int64_t n, int key_bytes) {
    return key_bytes == 1 ? radix_packed1(a, b, n) : key_bytes == 2 ? radix_packed2(a, b, n) : radix_packed4(a, b, n);
}

/* 64-bit keys with a separate index array (argsort of 8-byte dtypes) */
static uint64_t *radix_pairs(uint64_t *a, uint64_t *b, uint32_t **ia, uint32_t **ib, int64_t n) {
    uint32_t hist[8][256];
    HISTOGRAMS(uint64_t, a, n, 8, 0, hist);
    uint32_t *xa = *ia, *xb = *ib;
    for (int p = 0; p < 8; p++) {
        uint32_t *h = hist[p];
        if (!offsets_of(h, n))
            continue;
        for (int64_t i = 0; i < n; i++) {
            uint64_t x = a[i];
            uint32_t pos = h[(x >> (8 * p)) & 255]++;
            b[pos] = x;
            xb[pos] = xa[i];
        }
        uint64_t *t = a;
        a = b;
        b = t;
        uint32_t *u = xa;
        xa = xb;
        xb = u;
    }
    *ia = xa;
    *ib = xb;
    return a;
}

/* Stable insertion sorts for short rows. */
#define INSERTION_KEYS(NAME, K)                                                                                        \
    static void NAME(K *a, int64_t n) {                                                                                \
        for (int64_t i = 1; i < n; i++) {                                                                              \
            K x = a[i];                                                                                                \
            int64_t j = i;                                                                                             \
            for (; j > 0 && a[j - 1] > x; j--)                                                                         \
                a[j] = a[j - 1];                                                                                       \
            a[j] = x;                                                                                                  \
        }                                                                                                              \
    }
INSERTION_KEYS(insertion_u8, uint8_t)
INSERTION_KEYS(insertion_u16, uint16_t)
INSERTION_KEYS(insertion_u32, uint32_t)
INSERTION_KEYS(insertion_u64, uint64_t) /* also packed words: unique, key then index */

static void insertion_pairs(uint64_t *k, uint32_t *idx, int64_t n) {
    for (int64_t i = 1; i < n; i++) {
        uint64_t x = k[i];
        uint32_t xi = idx[i];
        int64_t j = i;
        for (; j > 0 && k[j - 1] > x; j--) {
            k[j] = k[j - 1];
            idx[j] = idx[j - 1];
        }
        k[j] = x;
        idx[j] = xi;
    }
}

/* ---- std::nth_element, as libstdc++ writes it ----------------------------------------------------
 * On an array of indices compared through keys: less(i, j) = key[i] < key[j],
 * or, with `by_index` (MLX's argpartition comparator), key[i] == key[j] &&
 * i < j as well, except between NaNs (the largest key of a float dtype),
 * which MLX's comparator leaves unordered. */

typedef struct nth_cmp {
    const void *keys;
    int key_bytes;
    bool by_index;
    bool nan_key; /* the largest key is NaN (float dtypes) */
} nth_cmp;

#define NTH_ELEMENT_FOR(S, K)                                                                                          \
    static inline bool less_##S(const nth_cmp *c, uint32_t i, uint32_t j) {                                            \
        const K *k = c->keys;                                                                                          \
        K a = k[i], b = k[j];                                                                                          \
        if (a != b)                                                                                                    \
            return a < b;                                                                                              \
        return c->by_index && i < j && !(c->nan_key && a == (K) ~(K)0);                                                \
    }                                                                                                                  \
    static void adjust_heap_##S(const nth_cmp *c, uint32_t *f, int64_t hole, int64_t len, uint32_t value) {            \
        int64_t top = hole, second = hole;                                                                             \
        while (second < (len - 1) / 2) {                                                                               \
            second = 2 * (second + 1);                                                                                 \
            if (less_##S(c, f[second], f[second - 1]))                                                                 \
                second--;                                                                                              \
            f[hole] = f[second];                                                                                       \
            hole = second;                                                                                             \
        }                                                                                                              \
        if ((len & 1) == 0 && second == (len - 2) / 2) {                                                               \
            second = 2 * (second + 1);                                                                                 \
            f[hole] = f[second - 1];                                                                                   \
            hole = second - 1;                                                                                         \
        }                                                                                                              \
        int64_t parent = (hole - 1) / 2;                                                                               \
        while (hole > top && less_##S(c, f[parent], value)) {                                                          \
            f[hole] = f[parent];                                                                                       \
            hole = parent;                                                                                             \
            parent = (hole - 1) / 2;                                                                                   \
        }                                                                                                              \
        f[hole] = value;                                                                                               \
    }                                                                                                                  \
    static void heap_select_##S(const nth_cmp *c, uint32_t *f, int64_t middle, int64_t last) {                         \
        if (middle >= 2) { /* make_heap */                                                                             \
            for (int64_t parent = (middle - 2) / 2;; parent--) {                                                       \
                adjust_heap_##S(c, f, parent, middle, f[parent]);                                                      \
                if (parent == 0)                                                                                       \
                    break;                                                                                             \
            }                                                                                                          \
        }                                                                                                              \
        for (int64_t i = middle; i < last; i++) {                                                                      \
            if (less_##S(c, f[i], f[0])) { /* pop_heap(f, f + middle, f + i) */                                        \
                uint32_t v = f[i];                                                                                     \
                f[i] = f[0];                                                                                           \
                adjust_heap_##S(c, f, 0, middle, v);                                                                   \
            }                                                                                                          \
        }                                                                                                              \
    }                                                                                                                  \
    static void insertion_sort_##S(const nth_cmp *c, uint32_t *f, int64_t first, int64_t last) {                       \
        if (first == last)                                                                                             \
            return;                                                                                                    \
        for (int64_t i = first + 1; i < last; i++) {                                                                   \
            uint32_t v = f[i];                                                                                         \
            if (less_##S(c, v, f[first])) {                                                                            \
                memmove(f + first + 1, f + first, (size_t)(i - first) * sizeof *f);                                    \
                f[first] = v;                                                                                          \
            } else {                                                                                                   \
                int64_t j = i;                                                                                         \
                while (less_##S(c, v, f[j - 1])) {                                                                     \
                    f[j] = f[j - 1];                                                                                   \
                    j--;                                                                                               \
                }                                                                                                      \
                f[j] = v;                                                                                              \
            }                                                                                                          \
        }                                                                                                              \
    }                                                                                                                  \
    static void move_median_to_first_##S(const nth_cmp *c, uint32_t *f, int64_t result, int64_t a, int64_t b,          \
                                         int64_t cc) {                                                                 \
        int64_t m;                                                                                                     \
        if (less_##S(c, f[a], f[b]))                                                                                   \
            m = less_##S(c, f[b], f[cc]) ? b : less_##S(c, f[a], f[cc]) ? cc : a;                                      \
        else                                                                                                           \
            m = less_##S(c, f[a], f[cc]) ? a : less_##S(c, f[b], f[cc]) ? cc : b;                                      \
        uint32_t t = f[result];                                                                                        \
        f[result] = f[m];                                                                                              \
        f[m] = t;                                                                                                      \
    }                                                                                                                  \
    static int64_t unguarded_partition_##S(const nth_cmp *c, uint32_t *f, int64_t first, int64_t last,                 \
                                           int64_t pivot) {                                                            \
        for (;;) {                                                                                                     \
            while (less_##S(c, f[first], f[pivot]))                                                                    \
                first++;                                                                                               \
            last--;                                                                                                    \
            while (less_##S(c, f[pivot], f[last]))                                                                     \
                last--;                                                                                                \
            if (!(first < last))                                                                                       \
                return first;                                                                                          \
            uint32_t t = f[first];                                                                                     \
            f[first] = f[last];                                                                                        \
            f[last] = t;                                                                                               \
            first++;                                                                                                   \
        }                                                                                                              \
    }                                                                                                                  \
    static void nth_element_##S(const nth_cmp *c, uint32_t *f, int64_t nth, int64_t n) {                               \
        int64_t first = 0, last = n;                                                                                   \
        if (first == last || nth == last)                                                                              \
            return;                                                                                                    \
        int depth = 2 * (63 - __builtin_clzll((unsigned long long)n));                                                 \
        while (last - first > 3) {                                                                                     \
            if (depth == 0) {                                                                                          \
                heap_select_##S(c, f + first, nth + 1 - first, last - first);                                          \
                uint32_t t = f[first];                                                                                 \
                f[first] = f[nth];                                                                                     \
                f[nth] = t;                                                                                            \
                return;                                                                                                \
            }                                                                                                          \
            depth--;                                                                                                   \
            int64_t mid = first + (last - first) / 2;                                                                  \
            move_median_to_first_##S(c, f, first, first + 1, mid, last - 1);                                           \
            int64_t cut = unguarded_partition_##S(c, f, first + 1, last, first);                                       \
            if (cut <= nth)                                                                                            \
                first = cut;                                                                                           \
            else                                                                                                       \
                last = cut;                                                                                            \
        }                                                                                                              \
        insertion_sort_##S(c, f, first, last);                                                                         \
    }
NTH_ELEMENT_FOR(k8, uint8_t)
NTH_ELEMENT_FOR(k16, uint16_t)
NTH_ELEMENT_FOR(k32, uint32_t)
NTH_ELEMENT_FOR(k64, uint64_t)

static void nth_element(const nth_cmp *c, uint32_t *idx, int64_t nth, int64_t n) {
    switch (c->key_bytes) {
    case 1: nth_element_k8(c, idx, nth, n); break;
    case 2: nth_element_k16(c, idx, nth, n); break;
    case 4: nth_element_k32(c, idx, nth, n); break;
    default: nth_element_k64(c, idx, nth, n); break;
    }
}

/* ---- one row ------------------------------------------------------------------------------------ */

typedef enum { ROW_SORT, ROW_ARGSORT, ROW_PARTITION, ROW_ARGPARTITION } row_op;

typedef struct scratch {
    mx_buffer *buffer; /* from the caching allocator: reused, no page faults */
    char *vals;        /* the gathered row: n elements */
    void *ka, *kb;     /* keys or packed words: n * 8 bytes each */
    uint32_t *ia, *ib;
} scratch;

static bool scratch_alloc(scratch *s, int64_t n) {
    size_t m = (size_t)(n > 0 ? n : 1);
    s->buffer = mx_buffer_alloc(m * (8 + 8 + 8 + 4 + 4), "sort");
    if (!s->buffer)
        return false;
    char *block = s->buffer->ptr;
    s->vals = block;
    s->ka = block + m * 8;
    s->kb = block + m * 16;
    s->ia = (uint32_t *)(block + m * 24);
    s->ib = (uint32_t *)(block + m * 28);
    return true;
}

static void scratch_free(scratch *s) { mx_buffer_release(s->buffer); }

/* Strided copies of n elements of `size` bytes (strides in bytes). */
static void copy_strided(char *dst, int64_t ds, const char *src, int64_t ss, int64_t n, size_t size) {
    if (ds == (int64_t)size && ss == (int64_t)size) {
        memcpy(dst, src, (size_t)n * size);
        return;
    }
#define COPY_AS(T)                                                                                                     \
    for (int64_t i = 0; i < n; i++)                                                                                    \
        *(T *)(dst + i * ds) = *(const T *)(src + i * ss);
    switch (size) {
    case 1: COPY_AS(uint8_t) break;
    case 2: COPY_AS(uint16_t) break;
    case 4: COPY_AS(uint32_t) break;
    default: COPY_AS(uint64_t) break;
    }
#undef COPY_AS
}

static void write_indices(char *out, int64_t os, const uint32_t *idx, int64_t n) {
    for (int64_t i = 0; i < n; i++)
        *(uint32_t *)(out + i * os) = idx[i];
}

/* argsort of the keys in s->ka (n of key_bytes); returns the sorted indices */
static const uint32_t *argsort_keys(scratch *s, int key_bytes, int64_t n) {
    if (key_bytes <= 4) {
        uint64_t *w = s->kb;
        switch (key_bytes) {
        case 1:
            for (int64_t i = 0; i < n; i++)
                w[i] = (uint64_t)((const uint8_t *)s->ka)[i] << 32 | (uint64_t)i;
            break;
        case 2:
            for (int64_t i = 0; i < n; i++)
                w[i] = (uint64_t)((const uint16_t *)s->ka)[i] << 32 | (uint64_t)i;
            break;
        default:
            for (int64_t i = 0; i < n; i++)
                w[i] = (uint64_t)((const uint32_t *)s->ka)[i] << 32 | (uint64_t)i;
            break;
        }
        uint64_t *r = w;
        if (n <= INSERTION_MAX)
            insertion_u64(w, n);
        else
            r = radix_packed(w, s->ka, n, key_bytes);
        for (int64_t i = 0; i < n; i++)
            s->ia[i] = (uint32_t)r[i];
        return s->ia;
    }
    uint32_t *ia = s->ia, *ib = s->ib;
    for (int64_t i = 0; i < n; i++)
        ia[i] = (uint32_t)i;
    if (n <= INSERTION_MAX) {
        insertion_pairs(s->ka, ia, n);
        return ia;
    }
    radix_pairs(s->ka, s->kb, &ia, &ib, n);
    return ia;
}

/* After a float value sort written from the keys: put back the original
 * bits of the zeros (when a -0.0 is among them) and of the NaNs, in input
 * order, where the sort placed them. */
static void restore_specials(mx_dtype dt, const char *vals, const key_stats *st, int64_t n, char *out, int64_t os) {
    if (!is_float_dtype(dt) || (st->negzero == 0 && st->nan == 0))
        return;
    int64_t zero_at = st->negatives, nan_at = n - st->nan;
    bool zeros = st->negzero > 0;
#define FIXUP(U, SIGN, INF)                                                                                            \
    do {                                                                                                               \
        const U *v = (const U *)vals;                                                                                  \
        for (int64_t i = 0; i < n; i++) {                                                                              \
            U a = v[i] & (U) ~(SIGN);                                                                                  \
            if (a == 0 && zeros)                                                                                       \
                *(U *)(out + (zero_at++) * os) = v[i];                                                                 \
            else if (a > (INF))                                                                                        \
                *(U *)(out + (nan_at++) * os) = v[i];                                                                  \
        }                                                                                                              \
    } while (0)
    switch (dt) {
    case MX_FLOAT16: FIXUP(uint16_t, 0x8000u, 0x7C00u); break;
    case MX_BFLOAT16: FIXUP(uint16_t, 0x8000u, 0x7F80u); break;
    case MX_FLOAT32: FIXUP(uint32_t, 0x80000000u, 0x7F800000u); break;
    default: FIXUP(uint64_t, 0x8000000000000000ull, 0x7FF0000000000000ull); break;
    }
#undef FIXUP
}

/* Value sort of the gathered row (s->vals) into out (byte stride os). */
static void sort_values(scratch *s, mx_dtype dt, int64_t n, char *out, int64_t os) {
    size_t size = mx_dtype_size(dt);
    int kb = key_size(dt);
    if (dt == MX_COMPLEX64) { /* through argsort: a complex value is more than its key */
        key_stats st;
        make_keys(dt, s->vals, s->ka, n, &st);
        const uint32_t *idx = argsort_keys(s, kb, n);
        for (int64_t i = 0; i < n; i++)
            memcpy(out + i * os, s->vals + (size_t)idx[i] * size, size);
        return;
    }
    key_stats st;
    make_keys(dt, s->vals, s->ka, n, &st);
    void *r = s->ka;
    bool small = n <= INSERTION_MAX;
    switch (kb) {
    case 1: small ? insertion_u8(s->ka, n) : (void)(r = radix_u8(s->ka, s->kb, n)); break;
    case 2: small ? insertion_u16(s->ka, n) : (void)(r = radix_u16(s->ka, s->kb, n)); break;
    case 4: small ? insertion_u32(s->ka, n) : (void)(r = radix_u32(s->ka, s->kb, n)); break;
    default: small ? insertion_u64(s->ka, n) : (void)(r = radix_u64(s->ka, s->kb, n)); break;
    }
    /* keys back to values */
#define UNKEY(U, SIGN, FLOAT)                                                                                          \
    do {                                                                                                               \
        const U *k = r;                                                                                                \
        for (int64_t i = 0; i < n; i++)                                                                                \
            *(U *)(out + i * os) = FLOAT ? UNKEY_FLOAT(U, SIGN, k[i]) : (U)(k[i] ^ (SIGN));                            \
    } while (0)
    switch (dt) {
    case MX_FLOAT16:
    case MX_BFLOAT16: UNKEY(uint16_t, 0x8000u, true); break;
    case MX_FLOAT32: UNKEY(uint32_t, 0x80000000u, true); break;
    case MX_FLOAT64: UNKEY(uint64_t, 0x8000000000000000ull, true); break;
    case MX_INT8: UNKEY(uint8_t, 0x80u, false); break;
    case MX_INT16: UNKEY(uint16_t, 0x8000u, false); break;
    case MX_INT32: UNKEY(uint32_t, 0x80000000u, false); break;
    case MX_INT64: UNKEY(uint64_t, 0x8000000000000000ull, false); break;
    default: copy_strided(out, os, r, (int64_t)size, n, size); break; /* bool, unsigned: keys are values */
    }
#undef UNKEY
    restore_specials(dt, s->vals, &st, n, out, os);
}

/* arg: write the indices (else the values); by_index: MLX's argpartition
 * comparator (ties by index), else partition's (values alone). */
static void partition_row(scratch *s, mx_dtype dt, int64_t n, int64_t kth, bool arg, bool by_index, int64_t repeat,
                          char *out, int64_t os) {
    size_t size = mx_dtype_size(dt);
    nth_cmp c = {s->ka, key_size(dt), by_index, is_float_dtype(dt) || dt == MX_COMPLEX64};
    for (int64_t r = 0; r < repeat; r++) {
        if (r > 0) { /* partition the partitioned row again (values only) */
            for (int64_t i = 0; i < n; i++)
                memcpy(s->kb + (size_t)i * size, s->vals + (size_t)s->ia[i] * size, size);
            memcpy(s->vals, s->kb, (size_t)n * size);
        }
        key_stats st;
        make_keys(dt, s->vals, s->ka, n, &st);
        for (int64_t i = 0; i < n; i++)
            s->ia[i] = (uint32_t)i;
        nth_element(&c, s->ia, kth, n);
    }
    if (arg) {
        write_indices(out, os, s->ia, n);
        return;
    }
    for (int64_t i = 0; i < n; i++)
        memcpy(out + i * os, s->vals + (size_t)s->ia[i] * size, size);
}

static void process_row(scratch *s, row_op op, mx_dtype dt, int64_t n, int64_t kth, bool by_index, int64_t repeat,
                        char *out, int64_t os) {
    switch (op) {
    case ROW_SORT: sort_values(s, dt, n, out, os); break;
    case ROW_ARGSORT: {
        key_stats st;
        make_keys(dt, s->vals, s->ka, n, &st);
        write_indices(out, os, argsort_keys(s, key_size(dt), n), n);
        break;
    }
    case ROW_PARTITION: partition_row(s, dt, n, kth, false, false, repeat, out, os); break;
    case ROW_ARGPARTITION: partition_row(s, dt, n, kth, true, by_index, 1, out, os); break;
    }
}

/* ---- rows of a node --------------------------------------------------------------------------------- */

typedef struct rows_ctx {
    const mx_node *in;
    mx_node *out;
    row_op op;
    int axis;
    int64_t n, inner, kth;
    bool by_index;  /* argpartition's comparator orders ties by index */
    int64_t repeat; /* partition: times MLX partitions each row (see mlx_partition_repeats) */
    atomic_bool failed;
} rows_ctx;

/* Byte offset of row r (= o * inner + j) of `in`, from its strides. */
static int64_t row_offset(const mx_node *in, int axis, int64_t r) {
    int64_t off = 0;
    for (int d = in->ndim - 1; d >= 0; d--) {
        if (d == axis)
            continue;
        int64_t dim = in->shape[d];
        off += (r % dim) * in->strides[d];
        r /= dim;
    }
    return off;
}

/* Rows along a non-last axis (inner > 1) are GROUP at a time: rows j..j+GROUP
 * of one outer index are neighbours in memory, so gathering them together
 * reads GROUP adjacent elements per step along the axis (one cache line)
 * instead of one element per line, and the outputs are written back the
 * same way from a staging tile. */
#define GROUP 8

static void rows_range(int64_t begin, int64_t end, void *vctx) {
    rows_ctx *c = vctx;
    const mx_node *in = c->in;
    mx_dtype dt = in->dtype;
    size_t isz = mx_dtype_size(dt), osz = mx_dtype_size(c->out->dtype);
    int64_t n = c->n, group = c->inner > 1 ? GROUP : 1;
    scratch s;
    /* the group's gathered rows and staged outputs, beside the sort's buffers */
    mx_buffer *tiles = group > 1 ? mx_buffer_alloc((size_t)(group * n) * (isz + osz), "sort") : NULL;
    if ((group > 1 && !tiles) || !scratch_alloc(&s, n)) {
        if (tiles)
            mx_buffer_release(tiles);
        atomic_store(&c->failed, true);
        return;
    }
    char *const own_vals = s.vals;
    const char *src = mx_node_data(in);
    char *dst = mx_node_data(c->out);
    int64_t in_stride = in->strides[c->axis] * (int64_t)isz;
    for (int64_t r = begin; r < end;) {
        int64_t o = r / c->inner, j = r % c->inner;
        int64_t m = group;
        if (m > end - r)
            m = end - r;
        if (m > c->inner - j)
            m = c->inner - j;
        char *orow = dst + (o * n * c->inner + j) * (int64_t)osz;
        if (m == 1) {
            s.vals = own_vals;
            copy_strided(s.vals, (int64_t)isz, src + row_offset(in, c->axis, r) * (int64_t)isz, in_stride, n, isz);
            process_row(&s, c->op, dt, n, c->kth, c->by_index, c->repeat, orow, c->inner * (int64_t)osz);
            r++;
            continue;
        }
        char *vt = tiles->ptr, *ot = vt + (size_t)(group * n) * isz;
        const char *rows[GROUP];
        for (int64_t g = 0; g < m; g++)
            rows[g] = src + row_offset(in, c->axis, r + g) * (int64_t)isz;
        /* gather: m neighbours per step along the axis */
#define GATHER_AS(T)                                                                                                   \
    for (int64_t k = 0; k < n; k++)                                                                                    \
        for (int64_t g = 0; g < m; g++)                                                                                \
            ((T *)vt)[g * n + k] = *(const T *)(rows[g] + k * in_stride);
        switch (isz) {
        case 1: GATHER_AS(uint8_t) break;
        case 2: GATHER_AS(uint16_t) break;
        case 4: GATHER_AS(uint32_t) break;
        default: GATHER_AS(uint64_t) break;
        }
#undef GATHER_AS
        for (int64_t g = 0; g < m; g++) {
            s.vals = vt + (size_t)(g * n) * isz;
            process_row(&s, c->op, dt, n, c->kth, c->by_index, c->repeat, ot + (size_t)(g * n) * osz, (int64_t)osz);
        }
        /* scatter: m neighbours per step */
#define SCATTER_AS(T)                                                                                                  \
    for (int64_t k = 0; k < n; k++)                                                                                    \
        for (int64_t g = 0; g < m; g++)                                                                                \
            ((T *)orow)[k * c->inner + g] = ((const T *)ot)[g * n + k];
        switch (osz) {
        case 1: SCATTER_AS(uint8_t) break;
        case 2: SCATTER_AS(uint16_t) break;
        case 4: SCATTER_AS(uint32_t) break;
        default: SCATTER_AS(uint64_t) break;
        }
#undef SCATTER_AS
        r += m;
    }
    s.vals = own_vals;
    scratch_free(&s);
    if (tiles)
        mx_buffer_release(tiles);
}

/* ---- one long row ------------------------------------------------------------------------------------
 * sort/argsort of a row of >= PARALLEL_ROW_MIN elements with keys of 4 bytes
 * (or fewer, widened): one MSD pass on the top 8 bits of the key (11 with
 * more than 4 threads, for more even buckets) splits the
 * row into buckets, then each bucket is LSD-sorted on its own (stable, like
 * the whole) while it fits in cache. With several threads, each computes keys
 * and digit counts of a slice, then scatters its slice (offsets per digit and
 * thread keep the order), then sorts a run of whole buckets: three parallel
 * steps in all. */

#define TOP_BITS_MAX 11
#define TOP_DIGITS (1 << TOP_BITS_MAX)

typedef struct long_row {
    const char *vals; /* the gathered row */
    mx_dtype dtype;
    int64_t n;
    int threads;
    int top_bits;   /* of the MSD digit: 8, or 11 for many threads (buckets of floats are uneven) */
    bool arg;       /* argsort: packed words key << 32 | index; else 32-bit keys */
    uint32_t *keys; /* value sort: keys, then ping-pong with tmp */
    uint32_t *tmp;
    uint64_t *words; /* argsort */
    uint64_t *wtmp;
    uint32_t *wkeys;              /* argsort: the keys before packing (n) */
    uint32_t (*hist)[TOP_DIGITS]; /* threads x digits: counts, then offsets */
    key_stats *stats;             /* per thread */
    int64_t *bucket_start;        /* TOP_DIGITS + 1 */
    int64_t *thread_bucket;       /* threads + 1: the first bucket of each thread's run */
    char *out;
    int64_t os;
} long_row;

static void long_keys_and_counts(int64_t t0, int64_t t1, void *vctx) {
    long_row *L = vctx;
    int kb = key_size(L->dtype);
    size_t isz = mx_dtype_size(L->dtype);
    for (int64_t t = t0; t < t1; t++) {
        int64_t b = L->n * t / L->threads, e = L->n * (t + 1) / L->threads;
        uint32_t *k = L->arg ? L->wkeys : L->keys;
        if (kb == 4) {
            make_keys(L->dtype, L->vals + b * (int64_t)isz, k + b, e - b, &L->stats[t]);
        } else { /* narrow keys into the words/tmp area, then widened (the top bits stay the top bits) */
            char *narrow = (char *)L->tmp;
            make_keys(L->dtype, L->vals + b * (int64_t)isz, narrow + b * kb, e - b, &L->stats[t]);
            for (int64_t i = b; i < e; i++)
                k[i] = kb == 1 ? (uint32_t)((const uint8_t *)narrow)[i] << 24
                               : (uint32_t)((const uint16_t *)narrow)[i] << 16;
        }
        uint32_t *h = L->hist[t], odd[TOP_DIGITS];
        memset(h, 0, sizeof(uint32_t) * TOP_DIGITS);
        memset(odd, 0, sizeof odd);
        if (L->arg)
            for (int64_t i = b; i < e; i++)
                L->words[i] = (uint64_t)k[i] << 32 | (uint64_t)i;
        /* two sets of counters: equal top digits (common) do not chain */
        int64_t i = b;
        for (; i + 1 < e; i += 2) {
            h[k[i] >> (32 - L->top_bits)]++;
            odd[k[i + 1] >> (32 - L->top_bits)]++;
        }
        if (i < e)
            h[k[i] >> (32 - L->top_bits)]++;
        for (int d = 0; d < TOP_DIGITS; d++)
            h[d] += odd[d];
    }
}

static void long_scatter(int64_t t0, int64_t t1, void *vctx) {
    long_row *L = vctx;
    for (int64_t t = t0; t < t1; t++) {
        int64_t b = L->n * t / L->threads, e = L->n * (t + 1) / L->threads;
        uint32_t *h = L->hist[t];
        if (L->arg)
            SCATTER(uint64_t, L->words + b, L->wtmp, e - b, 64 - L->top_bits, TOP_DIGITS - 1, h);
        else
            SCATTER(uint32_t, L->keys + b, L->tmp, e - b, 32 - L->top_bits, TOP_DIGITS - 1, h);
    }
}

/* Sort each bucket of this thread's run (they sit in tmp/wtmp) on the bits
 * below the top digit and write the outputs. */
static void long_buckets(int64_t t0, int64_t t1, void *vctx) {
    long_row *L = vctx;
    bool flt = is_float_dtype(L->dtype);
    int kb = key_size(L->dtype);
    uint32_t sign =
        L->dtype == MX_UINT8 || L->dtype == MX_UINT16 || L->dtype == MX_UINT32 || L->dtype == MX_BOOL ? 0 : 0x80000000u;
    for (int64_t t = t0; t < t1; t++) {
        for (int64_t d = L->thread_bucket[t]; d < L->thread_bucket[t + 1]; d++) {
            int64_t b = L->bucket_start[d], m = L->bucket_start[d + 1] - b;
            if (m == 0)
                continue;
            if (L->arg) {
                uint64_t *r = L->wtmp + b;
                if (m <= INSERTION_MAX)
                    insertion_u64(r, m);
                else
                    r = radix_packed(r, L->words + b, m, 4);
                for (int64_t i = 0; i < m; i++)
                    *(uint32_t *)(L->out + (b + i) * L->os) = (uint32_t)r[i];
            } else {
                uint32_t *r = L->tmp + b;
                if (m <= INSERTION_MAX)
                    insertion_u32(r, m);
                else
                    r = radix_u32(r, L->keys + b, m);
                /* back to values: narrow keys were widened by a shift */
                int shift = 32 - 8 * kb;
                for (int64_t i = 0; i < m; i++) {
                    char *o = L->out + (b + i) * L->os;
                    uint32_t k = r[i] >> shift, s = kb == 4 ? sign : sign >> (32 - 8 * kb);
                    uint32_t v = flt ? (kb == 4 ? UNKEY_FLOAT(uint32_t, 0x80000000u, k)
                                                : (uint32_t)UNKEY_FLOAT(uint16_t, 0x8000u, (uint16_t)k))
                                     : k ^ s;
                    switch (kb) {
                    case 1: *(uint8_t *)o = (uint8_t)v; break;
                    case 2: *(uint16_t *)o = (uint16_t)v; break;
                    default: *(uint32_t *)o = v; break;
                    }
                }
            }
        }
    }
}

/* sort/argsort of one long row (keys of at most 4 bytes). false when it
 * does not apply or memory runs out (the caller takes the row path). */
static bool sort_long_row(rows_ctx *c) {
    const mx_node *in = c->in;
    mx_dtype dt = in->dtype;
    int kb = key_size(dt);
    int64_t n = c->n;
    if (kb > 4 || (c->op != ROW_SORT && c->op != ROW_ARGSORT) || n >= (int64_t)UINT32_MAX)
        return false;
    int threads = cpu_num_threads();
    if (threads > 64)
        threads = 64;
    if (threads > n / (PARALLEL_ROW_MIN / 4))
        threads = (int)(n / (PARALLEL_ROW_MIN / 4)); /* at least 16K elements each */
    if (threads < 1)
        threads = 1;
    scratch s;
    size_t extra = sizeof(uint32_t) * TOP_DIGITS * (size_t)threads + sizeof(key_stats) * (size_t)threads +
                   sizeof(int64_t) * (TOP_DIGITS + 1 + (size_t)threads + 1);
    mx_buffer *side = mx_buffer_alloc(extra, "sort");
    if (!side)
        return false;
    if (!scratch_alloc(&s, n)) {
        mx_buffer_release(side);
        return false;
    }
    size_t isz = mx_dtype_size(dt), osz = mx_dtype_size(c->out->dtype);
    copy_strided(s.vals, (int64_t)isz, (const char *)mx_node_data(in) + row_offset(in, c->axis, 0) * (int64_t)isz,
                 in->strides[c->axis] * (int64_t)isz, n, isz);
    long_row L;
    memset(&L, 0, sizeof L);
    L.vals = s.vals;
    L.dtype = dt;
    L.n = n;
    L.threads = threads;
    L.top_bits = threads > 4 ? TOP_BITS_MAX : 8;
    L.arg = c->op == ROW_ARGSORT;
    L.words = s.ka;
    L.wtmp = s.kb;
    L.wkeys = s.ia;
    L.keys = s.ka; /* value sort: 4-byte keys in the first half of ka, tmp in kb */
    L.tmp = s.kb;
    char *p = side->ptr;
    L.hist = (uint32_t(*)[TOP_DIGITS])p;
    p += sizeof(uint32_t) * TOP_DIGITS * (size_t)threads;
    L.stats = (key_stats *)p;
    p += sizeof(key_stats) * (size_t)threads;
    L.bucket_start = (int64_t *)p;
    L.thread_bucket = L.bucket_start + TOP_DIGITS + 1;
    L.out = mx_node_data(c->out);
    L.os = c->inner * (int64_t)osz;
    cpu_parallel_for(threads, 1, long_keys_and_counts, &L);
    /* offsets per (digit, thread), digit-major; bucket bounds */
    uint32_t sum = 0;
    for (int d = 0; d < TOP_DIGITS; d++) {
        L.bucket_start[d] = sum;
        for (int t = 0; t < threads; t++) {
            uint32_t cnt = L.hist[t][d];
            L.hist[t][d] = sum;
            sum += cnt;
        }
    }
    L.bucket_start[TOP_DIGITS] = n;
    cpu_parallel_for(threads, 1, long_scatter, &L);
    /* runs of whole buckets of about n / threads elements each */
    L.thread_bucket[0] = 0;
    int d = 0;
    for (int t = 1; t < threads; t++) {
        int64_t target = n * t / threads;
        while (d < TOP_DIGITS && L.bucket_start[d + 1] <= target)
            d++;
        L.thread_bucket[t] = d;
    }
    L.thread_bucket[threads] = TOP_DIGITS;
    cpu_parallel_for(threads, 1, long_buckets, &L);
    if (!L.arg) {
        key_stats st = {0, 0, 0};
        for (int t = 0; t < threads; t++) {
            st.nan += L.stats[t].nan;
            st.negzero += L.stats[t].negzero;
            st.negatives += L.stats[t].negatives;
        }
        restore_specials(dt, s.vals, &st, n, L.out, L.os);
    }
    scratch_free(&s);
    mx_buffer_release(side);
    return true;
}

/* MLX's partition copies a "contiguous" input (dense once the broadcast,
 * stride-0, dims are left out: a broadcast of a possibly transposed array)
 * into its output keeping the strides, so the rows a broadcast repeats share
 * one buffer row, and std::nth_element runs on that row once for each of
 * them. The result is the row partitioned that many times, which is not
 * always the row partitioned once: cmlx repeats the partition to give the
 * same elements in the same order. Returns the repeat count (1 when the
 * input is not such a broadcast). */
static int64_t mlx_partition_repeats(const mx_node *in, int axis) {
    int64_t repeat = 1, dense_size = 1, strides[MX_MAX_NDIM], shapes[MX_MAX_NDIM];
    int m = 0;
    for (int d = 0; d < in->ndim; d++) {
        if (in->shape[d] == 1)
            continue;
        if (in->strides[d] == 0) {
            if (d != axis)
                repeat *= in->shape[d];
            continue;
        }
        if (in->strides[d] < 0) /* a reversed view: not contiguous for MLX */
            return 1;
        strides[m] = in->strides[d];
        shapes[m++] = in->shape[d];
    }
    if (repeat == 1)
        return 1;
    /* the remaining dims must tile memory densely, in some order */
    for (int placed = 0; placed < m; placed++) {
        int found = -1;
        for (int j = 0; j < m; j++)
            if (strides[j] == dense_size && shapes[j] > 0)
                found = j;
        if (found < 0)
            return 1;
        dense_size *= shapes[found];
        shapes[found] = 0; /* used */
    }
    return repeat;
}

static row_op row_op_of(int id) {
    switch (id) {
    case MX_OP_sort: return ROW_SORT;
    case MX_OP_argsort: return ROW_ARGSORT;
    case MX_OP_partition: return ROW_PARTITION;
    default: return ROW_ARGPARTITION;
    }
}

static mx_status sort_kernel(mx_node *out) {
    const mx_sort_params *p = mx_node_params(out);
    mx_node *in = out->inputs[0];
    mx_status st = mx_node_alloc_output(out);
    if (st != MX_OK)
        return st;
    if (out->size == 0)
        return MX_OK;
    rows_ctx c;
    memset(&c, 0, sizeof c);
    c.in = in;
    c.out = out;
    c.op = row_op_of(out->op->id);
    c.axis = p->axis;
    c.n = in->shape[p->axis];
    c.kth = p->kth;
    c.by_index = !p->partition_order;
    c.repeat = c.op == ROW_PARTITION ? mlx_partition_repeats(in, p->axis) : 1;
    c.inner = 1;
    for (int i = p->axis + 1; i < in->ndim; i++)
        c.inner *= in->shape[i];
    if (c.n > (int64_t)UINT32_MAX)
        return mx_set_error(MX_ERROR_VALUE, "%s: an axis of %lld elements is too long for uint32 indices",
                            out->op->name, (long long)c.n);
    int64_t rows = out->size / c.n;
    atomic_init(&c.failed, false);
    if (rows == 1 && c.n >= PARALLEL_ROW_MIN && sort_long_row(&c))
        return MX_OK;
    int64_t grain = 16384 / c.n;
    cpu_parallel_for(rows, grain > 0 ? grain : 1, rows_range, &c);
    if (atomic_load(&c.failed))
        return mx_set_error(MX_ERROR_MEMORY, "%s: out of memory for the row buffers (%lld elements)", out->op->name,
                            (long long)c.n);
    return MX_OK;
}

/* ---- searchsorted ------------------------------------------------------------------------------------- */

typedef struct search_ctx {
    const uint64_t *keys; /* the sequence's keys, widened */
    int64_t m;
    mx_dtype dtype;
    bool right;
} search_ctx;

/* std::lower_bound (comp(elem, value) = elem < value) or std::upper_bound
 * (comp(value, elem) = value < elem), step for step. */
static uint32_t search_one(const search_ctx *c, uint64_t v) {
    int64_t first = 0, len = c->m;
    while (len > 0) {
        int64_t half = len >> 1, mid = first + half;
        bool go_right = c->right ? !(v < c->keys[mid]) : c->keys[mid] < v;
        if (go_right) {
            first = mid + 1;
            len -= half + 1;
        } else {
            len = half;
        }
    }
    return (uint32_t)first;
}

static void search_run(char **ptrs, const int64_t *strides, int64_t n, void *vctx) {
    const search_ctx *c = vctx;
    for (int64_t i = 0; i < n; i++)
        *(uint32_t *)(ptrs[0] + i * strides[0]) = search_one(c, key_of(c->dtype, ptrs[1] + i * strides[1]));
}

static mx_status searchsorted_kernel(mx_node *out) {
    const mx_searchsorted_params *p = mx_node_params(out);
    mx_node *seq = out->inputs[0], *values = out->inputs[1];
    mx_status st = mx_node_alloc_output(out);
    if (st != MX_OK)
        return st;
    if (out->size == 0)
        return MX_OK;
    int64_t m = seq->shape[0];
    uint64_t *keys = malloc(sizeof *keys * (size_t)(m > 0 ? m : 1));
    if (!keys)
        return mx_set_error(MX_ERROR_MEMORY, "searchsorted: out of memory for a sequence of %lld", (long long)m);
    size_t isz = mx_dtype_size(seq->dtype);
    const char *sp = mx_node_data(seq);
    for (int64_t i = 0; i < m; i++)
        keys[i] = key_of(seq->dtype, sp + i * seq->strides[0] * (int64_t)isz);
    search_ctx c = {keys, m, seq->dtype, p->right};
    cpu_operand ops[2] = {cpu_operand_of(out), cpu_operand_of(values)};
    cpu_foreach(ops, 2, out->shape, out->ndim, 4096, search_run, &c);
    free(keys);
    return MX_OK;
}

void cpu_register_sort(mx_backend *b) {
    b->kernels[MX_OP_sort] = sort_kernel;
    b->kernels[MX_OP_argsort] = sort_kernel;
    b->kernels[MX_OP_partition] = sort_kernel;
    b->kernels[MX_OP_argpartition] = sort_kernel;
    b->kernels[MX_OP_searchsorted] = searchsorted_kernel;
}
