/* ops/random.c - mlx.core.random: keys, the global key, bits, split,
 * uniform and normal.
 *
 * random_bits is MLX's RandomBits primitive (a node with the key as input).
 * uniform and normal are single nodes whose kernels repeat the float32 steps
 * of MLX's composites element by element (backend/cpu/random.c), so a key
 * gives MLX's bits exactly. Their gradient rules (random_grad.c) follow
 * MLX's composites: uniform is differentiable in low and high, no op in
 * its key.
 *
 * The global key follows the Python binding of MLX: a call without a key
 * first splits the global key (new global key = row 0, the call uses row 1),
 * before it checks its other arguments. It is seeded from the clock in
 * milliseconds until mx_random_seed is called. The split is computed on the
 * spot (two hashes) instead of recorded as a graph, so the global key never
 * grows a lazy chain; the keys are the same. */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "cmlx/random.h"
#include "core/threefry.h"
#include "ops/ops.h"
#include "ops/reduce_shape_grad.h"

const mx_op_def mx_op_random_bits = {.name = "random_bits",
                                     .id = MX_OP_random_bits,
                                     .family = MX_FAMILY_OTHER,
                                     .params_size = sizeof(mx_random_bits_params),
                                     .vjp = mx_random_key_vjp,
                                     .jvp = mx_random_key_jvp};
const mx_op_def mx_op_random_uniform = {.name = "random_uniform",
                                        .id = MX_OP_random_uniform,
                                        .family = MX_FAMILY_OTHER,
                                        .vjp = mx_random_uniform_vjp,
                                        .jvp = mx_random_uniform_jvp};
const mx_op_def mx_op_random_normal = {.name = "random_normal",
                                       .id = MX_OP_random_normal,
                                       .family = MX_FAMILY_OTHER,
                                       .params_size = sizeof(mx_random_normal_params),
                                       .vjp = mx_random_key_vjp,
                                       .jvp = mx_random_key_jvp};

/* ---- keys and the global key --------------------------------------------------------- */

static pthread_mutex_t g_key_lock = PTHREAD_MUTEX_INITIALIZER;
static bool g_key_seeded;
static uint32_t g_key[2];

static void key_from_seed(uint64_t seed, uint32_t key[2]) {
    key[0] = (uint32_t)(seed >> 32);
    key[1] = (uint32_t)seed;
}

/* An evaluated uint32 node of shape (2,). */
static mx_node *key_node(const uint32_t key[2]) {
    mx_buffer *b = mx_buffer_alloc(2 * sizeof(uint32_t), "key");
    if (!b)
        return NULL;
    uint32_t *k = b->ptr;
    k[0] = key[0];
    k[1] = key[1];
    const int64_t shape[1] = {2};
    return mx_node_new_evaluated(b, shape, 1, MX_UINT32);
}

static uint64_t clock_milliseconds(void) {
    struct timespec ts;
    if (!timespec_get(&ts, TIME_UTC))
        return 0;
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* MLX's KeySequence::next: split the global key in two. */
static void next_global_key(uint32_t key[2]) {
    pthread_mutex_lock(&g_key_lock);
    if (!g_key_seeded) {
        key_from_seed(clock_milliseconds(), g_key);
        g_key_seeded = true;
    }
    uint32_t halves[4]; /* split(key, 2): rows (halves[0], halves[1]) and (halves[2], halves[3]) */
    mx_threefry_stream(g_key, halves, 4);
    g_key[0] = halves[0];
    g_key[1] = halves[1];
    key[0] = halves[2];
    key[1] = halves[3];
    pthread_mutex_unlock(&g_key_lock);
}

void mx_random_seed(uint64_t seed) {
    pthread_mutex_lock(&g_key_lock);
    key_from_seed(seed, g_key);
    g_key_seeded = true;
    pthread_mutex_unlock(&g_key_lock);
}

mx_array mx_random_key(uint64_t seed) {
    uint32_t key[2];
    key_from_seed(seed, key);
    return mx_handle_wrap(key_node(key));
}

/* The key for `op` (new reference): a fresh draw of the global key for
 * MX_NULL_ARRAY, else the caller's, which must be uint32 of shape (2). */
static mx_node *get_key(mx_array key, const char *op) {
    if (key.id == MX_NULL_ARRAY.id) {
        uint32_t k[2];
        next_global_key(k);
        return key_node(k);
    }
    mx_node *n = mx_handle_get(key, op);
    if (!n)
        return NULL;
    if (n->dtype != MX_UINT32 || n->ndim != 1 || n->shape[0] != 2) {
        char s[MX_SHAPE_STR_CAP];
        mx_set_error(MX_ERROR_VALUE, "%s: a key must be a uint32 array of shape (2), got %s of shape %s", op,
                     mx_dtype_name(n->dtype), mx_format_shape(n->shape, n->ndim, s, sizeof s));
        return NULL;
    }
    mx_node_retain(n);
    return n;
}

/* ---- argument checks ------------------------------------------------------------------ */

static bool check_shape(const char *op, const int64_t *shape, int ndim) {
    if (ndim < 0 || ndim > MX_MAX_NDIM || (ndim > 0 && !shape)) {
        mx_set_error(MX_ERROR_VALUE, "%s: invalid rank %d", op, ndim);
        return false;
    }
    for (int i = 0; i < ndim; i++) {
        if (shape[i] < 0) {
            char s[MX_SHAPE_STR_CAP];
            mx_set_error(MX_ERROR_VALUE, "%s: negative dimensions are not allowed in shape %s", op,
                         mx_format_shape(shape, ndim, s, sizeof s));
            return false;
        }
    }
    return true;
}

static bool check_dtype_value(const char *op, mx_dtype dtype) {
    if ((unsigned)dtype >= MX_DTYPE_COUNT) {
        mx_set_error(MX_ERROR_TYPE, "%s: invalid dtype %d", op, (int)dtype);
        return false;
    }
    return true;
}

/* ---- bits and split ------------------------------------------------------------------- */

static mx_node *bits_node(mx_node *key, const int64_t *shape, int ndim, int width, const char *op) {
    mx_dtype dtype;
    switch (width) {
    case 1: dtype = MX_UINT8; break;
    case 2: dtype = MX_UINT16; break;
    case 4: dtype = MX_UINT32; break;
    default: mx_set_error(MX_ERROR_VALUE, "%s: bit width must be 1, 2 or 4 bytes, got %d", op, width); return NULL;
    }
    if (!check_shape(op, shape, ndim))
        return NULL;
    mx_random_bits_params p = {width};
    return mx_node_new(&mx_op_random_bits, &p, &key, 1, shape, ndim, dtype);
}

mx_array mx_random_bits(const int64_t *shape, int ndim, int width, mx_array key) {
    mx_node *k = get_key(key, "bits");
    if (!k)
        return mx_handle_wrap(NULL);
    mx_node *out = bits_node(k, shape, ndim, width, "bits");
    mx_node_release(k);
    return mx_handle_wrap(out);
}

mx_array mx_random_split(mx_array key, int num) {
    mx_node *k = get_key(key, "split");
    if (!k)
        return mx_handle_wrap(NULL);
    const int64_t shape[2] = {num, 2};
    mx_node *out = bits_node(k, shape, 2, 4, "split");
    mx_node_release(k);
    return mx_handle_wrap(out);
}

/* ---- uniform ---------------------------------------------------------------------------- */

/* low/high: the caller's array converted to dtype, or `fallback` for
 * MX_NULL_ARRAY (MLX's defaults 0 and 1). */
static mx_node *bound_node(mx_array a, double fallback, mx_dtype dtype) {
    if (a.id == MX_NULL_ARRAY.id)
        return mx_node_scalar(fallback, dtype);
    mx_node *n = mx_handle_get(a, "uniform");
    return n ? mx_node_astype(n, dtype) : NULL;
}

/* low and high broadcast together must broadcast to `shape` unchanged. */
static bool check_bounds_shape(const mx_node *lo, const mx_node *hi, const int64_t *shape, int ndim) {
    int64_t bshape[MX_MAX_NDIM];
    int bndim;
    if (!mx_broadcast_shapes("uniform", lo, hi, bshape, &bndim))
        return false;
    bool ok = bndim <= ndim;
    for (int i = 0; ok && i < bndim; i++) {
        int64_t b = bshape[bndim - 1 - i], s = shape[ndim - 1 - i];
        ok = b == s || b == 1;
    }
    if (!ok) {
        char s1[MX_SHAPE_STR_CAP], s2[MX_SHAPE_STR_CAP];
        mx_set_error(MX_ERROR_VALUE,
                     "uniform: cannot generate random values of shape %s from low and high of broadcast shape %s",
                     mx_format_shape(shape, ndim, s1, sizeof s1), mx_format_shape(bshape, bndim, s2, sizeof s2));
    }
    return ok;
}

static mx_node *uniform_node(mx_node *key, mx_array low, mx_array high, const int64_t *shape, int ndim,
                             mx_dtype dtype) {
    if (!check_shape("uniform", shape, ndim) || !check_dtype_value("uniform", dtype))
        return NULL;
    if (!mx_dtype_is_float(dtype)) {
        mx_set_error(MX_ERROR_VALUE,
                     "uniform: can only generate uniform numbers with a real floating point type, got %s",
                     mx_dtype_name(dtype));
        return NULL;
    }
    mx_node *out = NULL, *lo = bound_node(low, 0.0, dtype);
    mx_node *hi = lo ? bound_node(high, 1.0, dtype) : NULL;
    if (hi && check_bounds_shape(lo, hi, shape, ndim)) {
        if (dtype == MX_FLOAT64) { /* MLX: no value below 1 defined for float64 (a runtime_error there) */
            mx_set_error(MX_ERROR_UNSUPPORTED, "uniform: float64 is not supported (float32, float16, bfloat16 are)");
        } else {
            mx_node *inputs[3] = {key, mx_node_broadcast_to(lo, shape, ndim), mx_node_broadcast_to(hi, shape, ndim)};
            if (inputs[1] && inputs[2])
                out = mx_node_new(&mx_op_random_uniform, NULL, inputs, 3, shape, ndim, dtype);
            mx_node_release(inputs[1]);
            mx_node_release(inputs[2]);
        }
    }
    mx_node_release(lo);
    mx_node_release(hi);
    return out;
}

mx_array mx_random_uniform(mx_array low, mx_array high, const int64_t *shape, int ndim, mx_dtype dtype, mx_array key) {
    mx_node *k = get_key(key, "uniform");
    if (!k)
        return mx_handle_wrap(NULL);
    mx_node *out = uniform_node(k, low, high, shape, ndim, dtype);
    mx_node_release(k);
    return mx_handle_wrap(out);
}

/* ---- normal ----------------------------------------------------------------------------- */

mx_array mx_random_normal(const int64_t *shape, int ndim, mx_dtype dtype, double loc, double scale, mx_array key) {
    mx_node *k = get_key(key, "normal");
    if (!k)
        return mx_handle_wrap(NULL);
    mx_node *out = NULL;
    if (check_shape("normal", shape, ndim) && check_dtype_value("normal", dtype)) {
        if (mx_dtype_is_float(dtype) || dtype == MX_COMPLEX64) {
            mx_random_normal_params p = {loc, scale};
            out = mx_node_new(&mx_op_random_normal, &p, &k, 1, shape, ndim, dtype);
        } else {
            mx_set_error(MX_ERROR_VALUE, "normal: only floating point and complex64 types are supported, got %s",
                         mx_dtype_name(dtype));
        }
    }
    mx_node_release(k);
    return mx_handle_wrap(out);
}
