/* backend/cpu/random.c - kernels of random_bits, random_uniform and
 * random_normal.
 *
 * All three walk the Threefry word stream of their key (core/threefry.h):
 * pairs of words (i, i + skip) come from one hash, blocks of pairs are
 * spread over the threads, and each block hands its two runs of words to an
 * op-specific `emit` that turns them into output elements. uniform and
 * normal repeat, per element and in the same order, the float operations of
 * MLX's composites (bits -> float32 / 2^32 -> minimum with the value below
 * 1 -> dtype -> range * u + low; normal: erfinv of a uniform in (-1, 1),
 * times sqrt(2) * scale, plus loc), rounding to the output dtype wherever
 * MLX materialises an array of that dtype. Products and sums are separate
 * statements: the library is built as ISO C11, where neither GCC nor clang
 * fuses them into FMAs. */
#include <math.h>
#include <string.h>

#include "backend/cpu/cpu.h"
#include "backend/cpu/erfinv.h"
#include "core/threefry.h"

#define PAIRS_PER_BLOCK 256
#define RANDOM_GRAIN 4096 /* pairs; threads only above twice this */

/* A low/high operand of uniform (already the output dtype and shape). */
typedef enum { BOUND_SCALAR, BOUND_CONTIGUOUS, BOUND_STRIDED } bound_kind;

typedef struct bound {
    const mx_node *node;
    const char *data; /* first element */
    bound_kind kind;
} bound;

typedef struct stream_job stream_job;
/* Words of output positions [pos, pos + n) of the stream. */
typedef void (*emit_fn)(const stream_job *job, int64_t pos, const uint32_t *words, int64_t n);

struct stream_job {
    uint32_t key[2];
    int64_t nwords, half, skip;
    emit_fn emit;
    mx_dtype dtype;
    char *data;        /* output elements */
    int64_t nbytes;    /* random_bits: output bytes (the last word may be cut) */
    bound low, high;   /* random_uniform */
    double loc, scale; /* random_normal */
};

static void stream_range(int64_t begin, int64_t end, void *vctx) {
    const stream_job *job = vctx;
    const uint32_t k0 = job->key[0], k1 = job->key[1];
    const int64_t skip = job->skip;
    uint32_t first[PAIRS_PER_BLOCK], second[PAIRS_PER_BLOCK];
    for (int64_t j0 = begin; j0 < end; j0 += PAIRS_PER_BLOCK) {
        int64_t n = end - j0 < PAIRS_PER_BLOCK ? end - j0 : PAIRS_PER_BLOCK;
        for (int64_t i = 0; i < n; i++)
            mx_threefry2x32(k0, k1, (uint32_t)(j0 + i), (uint32_t)(j0 + i + skip), &first[i], &second[i]);
        job->emit(job, j0, first, n);
        job->emit(job, j0 + skip, second, n);
    }
}

static void run_stream(stream_job *job) {
    job->half = job->nwords / 2;
    job->skip = job->half + (job->nwords & 1);
    cpu_parallel_for(job->half, RANDOM_GRAIN, stream_range, job);
    if (job->nwords & 1) { /* the middle word: first output of the counter (half, 0) */
        uint32_t middle, unused;
        mx_threefry2x32(job->key[0], job->key[1], (uint32_t)job->half, 0u, &middle, &unused);
        job->emit(job, job->half, &middle, 1);
    }
}

/* The key input: uint32, shape (2), any stride. */
static void read_key(const mx_node *key, uint32_t out[2]) {
    const uint32_t *k = mx_node_data(key);
    out[0] = k[0];
    out[1] = k[key->strides[0]];
}

/* ---- random_bits ------------------------------------------------------------------ */

static void bits_emit(const stream_job *job, int64_t pos, const uint32_t *words, int64_t n) {
    int64_t start = pos * 4, bytes = n * 4;
    if (start + bytes > job->nbytes) /* the final word of a 1- or 2-byte output is cut */
        bytes = job->nbytes - start;
    memcpy(job->data + start, words, (size_t)bytes);
}

/* shape: key (2,) -> out any shape, uint8/uint16/uint32; the output bytes
 * are the word stream's bytes (little-endian), as in MLX. */
static mx_status random_bits_kernel(mx_node *out) {
    mx_status st = mx_node_alloc_output(out);
    if (st != MX_OK || out->size == 0)
        return st;
    stream_job job = {.emit = bits_emit, .data = mx_node_data(out)};
    read_key(out->inputs[0], job.key);
    job.nbytes = out->size * (int64_t)mx_dtype_size(out->dtype);
    job.nwords = (job.nbytes + 3) / 4;
    run_stream(&job);
    return MX_OK;
}

/* ---- shared float steps ------------------------------------------------------------ */

/* bits -> float32 in [0, 1): divided by float32(UINT32_MAX) = 2^32 (exact),
 * then MLX's minimum with `upper`, the largest value below 1 of the dtype. */
static inline float unit_float(uint32_t w, float upper) {
    float u = (float)w / 4294967296.0f;
    return u < upper ? u : upper;
}

static inline float round_f16(float x) { return mx_f16_to_f32(mx_f32_to_f16(x)); }

static inline float round_bf16(float x) { return mx_bf16_to_f32(mx_f32_to_bf16(x)); }

/* ---- random_uniform --------------------------------------------------------------- */

static bound make_bound(const mx_node *n) {
    bound b = {n, mx_node_data(n), BOUND_STRIDED};
    bool all_zero = true;
    for (int d = 0; d < n->ndim; d++)
        all_zero = all_zero && (n->strides[d] == 0 || n->shape[d] == 1);
    if (all_zero)
        b.kind = BOUND_SCALAR;
    else if (mx_node_is_row_contiguous(n))
        b.kind = BOUND_CONTIGUOUS;
    return b;
}

static inline float load_float(const char *p, mx_dtype dtype) {
    uint16_t h;
    float f;
    switch (dtype) {
    case MX_FLOAT16: memcpy(&h, p, 2); return mx_f16_to_f32(h);
    case MX_BFLOAT16: memcpy(&h, p, 2); return mx_bf16_to_f32(h);
    default: memcpy(&f, p, 4); return f;
    }
}

/* Element offset of row-major index idx in a strided node. */
static int64_t strided_offset(const mx_node *n, int64_t idx) {
    int64_t off = 0;
    for (int d = n->ndim - 1; d >= 0 && idx > 0; d--) {
        off += (idx % n->shape[d]) * n->strides[d];
        idx /= n->shape[d];
    }
    return off;
}

/* dst[i] = bound at output position pos + i, as float. */
static void gather_bound(const bound *b, int64_t pos, int64_t n, float *dst) {
    mx_dtype dtype = b->node->dtype;
    int64_t itemsize = (int64_t)mx_dtype_size(dtype);
    switch (b->kind) {
    case BOUND_SCALAR: {
        float v = load_float(b->data, dtype);
        for (int64_t i = 0; i < n; i++)
            dst[i] = v;
        break;
    }
    case BOUND_CONTIGUOUS:
        for (int64_t i = 0; i < n; i++)
            dst[i] = load_float(b->data + (pos + i) * itemsize, dtype);
        break;
    case BOUND_STRIDED:
        for (int64_t i = 0; i < n; i++)
            dst[i] = load_float(b->data + strided_offset(b->node, pos + i) * itemsize, dtype);
        break;
    }
}

/* MLX: lo, hi in the dtype; range = hi - lo; u = dtype(min(bits / 2^32,
 * upper)); out = range * u + lo, every step rounded to the dtype. */
#define UNIFORM_LOOP(ROUND, STORE_T, STORE, UPPER)                                                                     \
    {                                                                                                                  \
        STORE_T *o = (STORE_T *)job->data + pos;                                                                       \
        for (int64_t i = 0; i < n; i++) {                                                                              \
            float u = ROUND(unit_float(words[i], UPPER));                                                              \
            float range = ROUND(hi[i] - lo[i]);                                                                        \
            float scaled = ROUND(range * u);                                                                           \
            o[i] = STORE(scaled + lo[i]);                                                                              \
        }                                                                                                              \
    }
#define ID(x) (x)

static void uniform_emit(const stream_job *job, int64_t pos, const uint32_t *words, int64_t n) {
    float lo[PAIRS_PER_BLOCK], hi[PAIRS_PER_BLOCK];
    gather_bound(&job->low, pos, n, lo);
    gather_bound(&job->high, pos, n, hi);
    switch (job->dtype) {
    case MX_FLOAT16: UNIFORM_LOOP(round_f16, uint16_t, mx_f32_to_f16, 0x1.ffcp-1f) break;
    case MX_BFLOAT16: UNIFORM_LOOP(round_bf16, uint16_t, mx_f32_to_bf16, 0x1.fep-1f) break;
    default: UNIFORM_LOOP(ID, float, ID, 0x1.fffffep-1f) break;
    }
}

/* shape: key (2,), low and high broadcast to out's shape in out's dtype
 * (float32, float16 or bfloat16) -> out. */
static mx_status random_uniform_kernel(mx_node *out) {
    mx_status st = mx_node_alloc_output(out);
    if (st != MX_OK || out->size == 0)
        return st;
    stream_job job = {.emit = uniform_emit, .dtype = out->dtype, .data = mx_node_data(out), .nwords = out->size};
    read_key(out->inputs[0], job.key);
    job.low = make_bound(out->inputs[1]);
    job.high = make_bound(out->inputs[2]);
    run_stream(&job);
    return MX_OK;
}

/* ---- random_normal ---------------------------------------------------------------- */

/* MLX: samples = erfinv(uniform(nextafter(-1, 0), 1, float32)), cast to the
 * dtype, times sqrt(2) * scale (computed in the dtype), plus loc. loc and
 * scale arrive as doubles and become dtype values through float32 (float64
 * keeps them exact). */
#define NORMAL_LOOP(ROUND, STORE_T, STORE)                                                                             \
    {                                                                                                                  \
        STORE_T *o = (STORE_T *)job->data + pos;                                                                       \
        float applied = ROUND(ROUND((float)sqrt(2.0)) * ROUND((float)job->scale));                                     \
        float loc = ROUND((float)job->loc);                                                                            \
        for (int64_t i = 0; i < n; i++) {                                                                              \
            float v = ROUND(applied * ROUND(e[i]));                                                                    \
            o[i] = STORE(add_loc ? loc + v : v);                                                                       \
        }                                                                                                              \
    }

static void normal_emit(const stream_job *job, int64_t pos, const uint32_t *words, int64_t n) {
    const float low = -0x1.fffffep-1f; /* nextafter(-1, 0) */
    const float range = 1.0f - low;    /* rounds to 2 */
    const bool add_loc = job->loc != 0.0;
    float e[PAIRS_PER_BLOCK];
    for (int64_t i = 0; i < n; i++) {
        float u = unit_float(words[i], 0x1.fffffep-1f);
        float x = range * u;
        x = x + low;
        e[i] = mx_erfinv_f32(x);
    }
    switch (job->dtype) {
    case MX_FLOAT16: NORMAL_LOOP(round_f16, uint16_t, mx_f32_to_f16) break;
    case MX_BFLOAT16: NORMAL_LOOP(round_bf16, uint16_t, mx_f32_to_bf16) break;
    case MX_FLOAT32: NORMAL_LOOP(ID, float, ID) break;
    case MX_FLOAT64: {
        double *o = (double *)job->data + pos;
        double applied = sqrt(2.0) * job->scale;
        for (int64_t i = 0; i < n; i++) {
            double v = applied * (double)e[i];
            o[i] = add_loc ? job->loc + v : v;
        }
        break;
    }
    default: { /* complex64: positions count floats, real and imaginary parts
                * alternate; no sqrt(2): each part has variance 1/2. MLX adds
                * the complex loc (loc, 0). */
        float *o = (float *)job->data + pos;
        float scale = (float)job->scale, loc = (float)job->loc;
        for (int64_t i = 0; i < n; i++) {
            float v = scale * e[i];
            o[i] = add_loc ? ((pos + i) % 2 == 0 ? loc : 0.0f) + v : v;
        }
        break;
    }
    }
}

/* shape: key (2,) -> out (float16/32/64, bfloat16, complex64; complex draws
 * two float32 samples per element, from the stream of shape + (2,)). */
static mx_status random_normal_kernel(mx_node *out) {
    const mx_random_normal_params *p = mx_node_params(out);
    mx_status st = mx_node_alloc_output(out);
    if (st != MX_OK || out->size == 0)
        return st;
    stream_job job = {.emit = normal_emit, .dtype = out->dtype, .data = mx_node_data(out)};
    read_key(out->inputs[0], job.key);
    job.nwords = out->size * (out->dtype == MX_COMPLEX64 ? 2 : 1);
    job.loc = p->loc;
    job.scale = p->scale;
    run_stream(&job);
    return MX_OK;
}

void cpu_register_random(mx_backend *b) {
    b->kernels[MX_OP_random_bits] = random_bits_kernel;
    b->kernels[MX_OP_random_uniform] = random_uniform_kernel;
    b->kernels[MX_OP_random_normal] = random_normal_kernel;
}
