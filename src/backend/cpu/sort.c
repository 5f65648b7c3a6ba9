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
#define PARALLEL_ROW_MIN (1 << 16) /* a row this long may be sorted by several threads */

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

#define RADIX_KEYS(NAME, K)                                                                                            \
    static K *NAME(K *a, K *b, int64_t n) {                                                                            \
        enum { PASSES = (int)sizeof(K) };                                                                              \
        uint32_t hist[PASSES][256];                                                                                    \
        memset(hist, 0, sizeof hist);                                                                                  \
        for (int64_t i = 0; i < n; i++) {                                                                              \
            K x = a[i];                                                                                                \
            for (int p = 0; p < PASSES; p++)                                                                           \
                hist[p][(x >> (8 * p)) & 255]++;                                                                       \
        }                                                                                                              \
        for (int p = 0; p < PASSES; p++) {                                                                             \
            uint32_t *h = hist[p];                                                                                     \
            if (h[(a[0] >> (8 * p)) & 255] == (uint32_t)n)                                                             \
                continue; /* every key has this digit */                                                               \
            uint32_t sum = 0;                                                                                          \
            for (int d = 0; d < 256; d++) {                                                                            \
                uint32_t c = h[d];                                                                                     \
                h[d] = sum;                                                                                            \
                sum += c;                                                                                              \
            }                                                                                                          \
            for (int64_t i = 0; i < n; i++) {                                                                          \
                K x = a[i];                                                                                            \
                b[h[(x >> (8 * p)) & 255]++] = x;                                                                      \
            }                                                                                                          \
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
static uint64_t *radix_packed(uint64_t *a, uint64_t *b, int64_t n, int key_bytes) {
    uint32_t hist[4][256];
    memset(hist, 0, sizeof hist);
    for (int64_t i = 0; i < n; i++) {
        uint32_t k = (uint32_t)(a[i] >> 32);
        for (int p = 0; p < key_bytes; p++)
            hist[p][(k >> (8 * p)) & 255]++;
    }
    for (int p = 0; p < key_bytes; p++) {
        uint32_t *h = hist[p];
        int shift = 32 + 8 * p;
        if (h[(a[0] >> shift) & 255] == (uint32_t)n)
            continue;
        uint32_t sum = 0;
        for (int d = 0; d < 256; d++) {
            uint32_t c = h[d];
            h[d] = sum;
            sum += c;
        }
        for (int64_t i = 0; i < n; i++) {
            uint64_t x = a[i];
            b[h[(x >> shift) & 255]++] = x;
        }
        uint64_t *t = a;
        a = b;
        b = t;
    }
    return a;
}

/* 64-bit keys with a separate index array (argsort of 8-byte dtypes) */
static uint64_t *radix_pairs(uint64_t *a, uint64_t *b, uint32_t **ia, uint32_t **ib, int64_t n) {
    uint32_t hist[8][256];
    memset(hist, 0, sizeof hist);
    for (int64_t i = 0; i < n; i++) {
        uint64_t x = a[i];
        for (int p = 0; p < 8; p++)
            hist[p][(x >> (8 * p)) & 255]++;
    }
    uint32_t *xa = *ia, *xb = *ib;
    for (int p = 0; p < 8; p++) {
        uint32_t *h = hist[p];
        if (h[(a[0] >> (8 * p)) & 255] == (uint32_t)n)
            continue;
        uint32_t sum = 0;
        for (int d = 0; d < 256; d++) {
            uint32_t c = h[d];
            h[d] = sum;
            sum += c;
        }
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

static void rows_range(int64_t begin, int64_t end, void *vctx) {
    rows_ctx *c = vctx;
    scratch s;
    if (!scratch_alloc(&s, c->n)) {
        atomic_store(&c->failed, true);
        return;
    }
    const mx_node *in = c->in;
    mx_dtype dt = in->dtype;
    size_t isz = mx_dtype_size(dt), osz = mx_dtype_size(c->out->dtype);
    const char *src = mx_node_data(in);
    char *dst = mx_node_data(c->out);
    int64_t in_stride = in->strides[c->axis] * (int64_t)isz;
    for (int64_t r = begin; r < end; r++) {
        int64_t o = r / c->inner, j = r % c->inner;
        const char *row = src + row_offset(in, c->axis, r) * (int64_t)isz;
        copy_strided(s.vals, (int64_t)isz, row, in_stride, c->n, isz);
        char *orow = dst + (o * c->n * c->inner + j) * (int64_t)osz;
        process_row(&s, c->op, dt, c->n, c->kth, c->by_index, c->repeat, orow, c->inner * (int64_t)osz);
    }
    scratch_free(&s);
}

/* ---- one long row, sorted by every thread -------------------------------------------------------------
 * Radix sort of packed words (argsort) or keys (value sort of <= 32-bit
 * keys): per pass, each thread counts the digits of its slice, the counts
 * become per-(digit, thread) offsets, and each thread scatters its slice. */

typedef struct par_radix {
    void *a, *b; /* source and destination of the current pass */
    int width;   /* bytes per word: 4 (keys) or 8 (packed) */
    int shift;   /* bit offset of the digit */
    int64_t n;
    int threads;
    uint32_t (*hist)[256]; /* threads x 256 */
} par_radix;

static void par_bounds(const par_radix *p, int64_t t, int64_t *b, int64_t *e) {
    *b = p->n * t / p->threads;
    *e = p->n * (t + 1) / p->threads;
}

static void par_count(int64_t t0, int64_t t1, void *vctx) {
    par_radix *p = vctx;
    for (int64_t t = t0; t < t1; t++) {
        int64_t b, e;
        par_bounds(p, t, &b, &e);
        uint32_t *h = p->hist[t];
        memset(h, 0, 256 * sizeof *h);
        if (p->width == 8) {
            const uint64_t *a = p->a;
            for (int64_t i = b; i < e; i++)
                h[(a[i] >> p->shift) & 255]++;
        } else {
            const uint32_t *a = p->a;
            for (int64_t i = b; i < e; i++)
                h[(a[i] >> p->shift) & 255]++;
        }
    }
}

static void par_scatter(int64_t t0, int64_t t1, void *vctx) {
    par_radix *p = vctx;
    for (int64_t t = t0; t < t1; t++) {
        int64_t b, e;
        par_bounds(p, t, &b, &e);
        uint32_t *h = p->hist[t];
        if (p->width == 8) {
            const uint64_t *a = p->a;
            uint64_t *d = p->b;
            for (int64_t i = b; i < e; i++) {
                uint64_t x = a[i];
                d[h[(x >> p->shift) & 255]++] = x;
            }
        } else {
            const uint32_t *a = p->a;
            uint32_t *d = p->b;
            for (int64_t i = b; i < e; i++) {
                uint32_t x = a[i];
                d[h[(x >> p->shift) & 255]++] = x;
            }
        }
    }
}

/* Sorts n words of `width` bytes on `digits` digits from bit `shift0`;
 * returns the buffer holding the result (a or b). */
static void *parallel_radix(void *a, void *b, int64_t n, int width, int shift0, int digits, int threads,
                            uint32_t (*hist)[256]) {
    par_radix p = {a, b, width, 0, n, threads, hist};
    for (int d = 0; d < digits; d++) {
        p.shift = shift0 + 8 * d;
        cpu_parallel_for(threads, 1, par_count, &p);
        /* offsets: digit-major, then thread; skip a pass where one digit holds every word */
        bool trivial = false;
        uint32_t sum = 0;
        for (int v = 0; v < 256 && !trivial; v++) {
            uint32_t total = 0;
            for (int t = 0; t < threads; t++)
                total += hist[t][v];
            trivial = total == (uint32_t)n;
        }
        if (trivial)
            continue;
        for (int v = 0; v < 256; v++)
            for (int t = 0; t < threads; t++) {
                uint32_t c = hist[t][v];
                hist[t][v] = sum;
                sum += c;
            }
        cpu_parallel_for(threads, 1, par_scatter, &p);
        void *tmp = p.a;
        p.a = p.b;
        p.b = tmp;
    }
    return p.a;
}

/* sort/argsort of one long row with every thread: dtypes with keys of up
 * to 4 bytes. false when it does not apply (or memory ran out: the caller
 * falls back to the one-thread path). */
static bool sort_long_row(rows_ctx *c) {
    const mx_node *in = c->in;
    mx_dtype dt = in->dtype;
    int kb = key_size(dt);
    int threads = cpu_num_threads();
    int64_t n = c->n;
    if (threads < 2 || kb > 4 || c->op == ROW_PARTITION || c->op == ROW_ARGPARTITION || n >= UINT32_MAX)
        return false;
    if (c->op == ROW_SORT && kb != 4)
        return false; /* 8/16-bit value sorts are one or two cheap passes */
    scratch s;
    uint32_t(*hist)[256] = malloc(sizeof *hist * (size_t)threads);
    if (!hist || !scratch_alloc(&s, n)) {
        free(hist);
        return false;
    }
    size_t isz = mx_dtype_size(dt), osz = mx_dtype_size(c->out->dtype);
    copy_strided(s.vals, (int64_t)isz, (const char *)mx_node_data(in) + row_offset(in, c->axis, 0) * (int64_t)isz,
                 in->strides[c->axis] * (int64_t)isz, n, isz);
    key_stats st;
    make_keys(dt, s.vals, s.ka, n, &st);
    char *out = mx_node_data(c->out);
    int64_t os = c->inner * (int64_t)osz;
    if (c->op == ROW_ARGSORT) {
        uint64_t *w = s.kb;
        for (int64_t i = 0; i < n; i++)
            w[i] = (uint64_t)(kb == 1   ? ((const uint8_t *)s.ka)[i]
                              : kb == 2 ? ((const uint16_t *)s.ka)[i]
                                        : ((const uint32_t *)s.ka)[i])
                       << 32 |
                   (uint64_t)i;
        const uint64_t *r = parallel_radix(w, s.ka, n, 8, 32, kb, threads, hist);
        for (int64_t i = 0; i < n; i++)
            *(uint32_t *)(out + i * os) = (uint32_t)r[i];
    } else {
        /* a 32-bit value sort: the sorted keys back to values, then the
         * original bits of the zeros and NaNs */
        const uint32_t *r = parallel_radix(s.ka, s.kb, n, 4, 0, 4, threads, hist);
        bool flt = is_float_dtype(dt);
        uint32_t sign = dt == MX_UINT32 ? 0 : 0x80000000u;
        for (int64_t i = 0; i < n; i++)
            *(uint32_t *)(out + i * os) = flt ? UNKEY_FLOAT(uint32_t, 0x80000000u, r[i]) : (r[i] ^ sign);
        restore_specials(dt, s.vals, &st, n, out, os);
    }
    free(hist);
    scratch_free(&s);
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
