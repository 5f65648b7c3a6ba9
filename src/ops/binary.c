/* ops/binary.c - binary element-wise ops and where: the op table rows, the
 * node-level constructors (broadcasting and type promotion as MLX 0.32) and
 * the public C API.
 *
 * Each constructor casts the inputs to the op's compute dtype with explicit
 * astype nodes, then broadcasts them to the common shape with explicit
 * broadcast_to view nodes, so the kernel always sees two inputs of one dtype
 * and of the output's shape (broadcast dims have stride 0). Casting before
 * broadcasting converts the smaller array. */
#include <stdio.h>
#include <string.h>

#include "cmlx/ops.h"
#include "ops/elementwise_grad.h"
#include "ops/ops.h"

#define BINARY_OP(op_name)                                                                                             \
    const mx_op_def mx_op_##op_name = {.name = #op_name,                                                               \
                                       .id = MX_OP_##op_name,                                                          \
                                       .family = MX_FAMILY_BINARY,                                                     \
                                       .vjp = mx_binary_vjp,                                                           \
                                       .jvp = mx_binary_jvp};
BINARY_OP(add)
BINARY_OP(subtract)
BINARY_OP(multiply)
BINARY_OP(divide)
BINARY_OP(floor_divide)
BINARY_OP(remainder)
BINARY_OP(power)
BINARY_OP(maximum)
BINARY_OP(minimum)
BINARY_OP(logaddexp)
BINARY_OP(arctan2)
BINARY_OP(equal)
BINARY_OP(not_equal)
BINARY_OP(greater)
BINARY_OP(greater_equal)
BINARY_OP(less)
BINARY_OP(less_equal)
BINARY_OP(logical_and)
BINARY_OP(logical_or)
BINARY_OP(bitwise_and)
BINARY_OP(bitwise_or)
BINARY_OP(bitwise_xor)
BINARY_OP(left_shift)
BINARY_OP(right_shift)
#undef BINARY_OP
const mx_op_def mx_op_where = {
    .name = "where", .id = MX_OP_where, .family = MX_FAMILY_TERNARY, .vjp = mx_where_vjp, .jvp = mx_where_jvp};

/* ---- dtype rules ------------------------------------------------------------------ */

static bool is_integral(mx_dtype d) { return d == MX_BOOL || mx_dtype_is_integer(d); }

static bool is_comparison(int id) { return id >= MX_OP_equal && id <= MX_OP_less_equal; }

static void describe_inputs(const mx_node *a, const mx_node *b, char *buf, size_t cap) {
    char sa[MX_SHAPE_STR_CAP], sb[MX_SHAPE_STR_CAP];
    snprintf(buf, cap, "shapes %s and %s, dtypes %s and %s", mx_format_shape(a->shape, a->ndim, sa, sizeof sa),
             mx_format_shape(b->shape, b->ndim, sb, sizeof sb), mx_dtype_name(a->dtype), mx_dtype_name(b->dtype));
}

/* The dtype both inputs are cast to (*compute) and the output dtype (*out)
 * of `op` for inputs a and b; false with the error set when MLX rejects the
 * pair. Read off MLX 0.32 for every pair of dtypes (see docs/ops-binary.md). */
static bool binary_dtypes(const mx_op_def *op, const mx_node *a, const mx_node *b, mx_dtype *compute, mx_dtype *out) {
    char what[2 * MX_SHAPE_STR_CAP + 64];
    if ((unsigned)a->dtype >= MX_DTYPE_COUNT || (unsigned)b->dtype >= MX_DTYPE_COUNT) {
        mx_set_error(MX_ERROR_TYPE, "%s: invalid dtype", op->name);
        return false;
    }
    mx_dtype t = mx_promote_types(a->dtype, b->dtype);
    int id = op->id;
    if (id >= MX_OP_bitwise_and && id <= MX_OP_right_shift) {
        /* checked after promotion, as MLX: uint64 with a signed type promotes
         * to float32 and is rejected. MLX raises RuntimeError here; cmlx
         * reports it as a dtype the op does not support. */
        if (!is_integral(t)) {
            describe_inputs(a, b, what, sizeof what);
            mx_set_error(MX_ERROR_UNSUPPORTED, "%s: only integer and boolean types are supported (%s, promoted to %s)",
                         op->name, what, mx_dtype_name(t));
            return false;
        }
        if ((id == MX_OP_left_shift || id == MX_OP_right_shift) && t == MX_BOOL)
            t = MX_UINT8; /* MLX: shifting bools gives uint8 */
    } else if (t == MX_COMPLEX64 && (id == MX_OP_remainder || id == MX_OP_arctan2)) {
        /* MLX rejects complex remainder and arctan2 with ValueError; every
         * other binary op computes in complex64 (comparisons order
         * lexicographically, real part first, as MLX's complex64_t) */
        describe_inputs(a, b, what, sizeof what);
        mx_set_error(MX_ERROR_VALUE, "%s: complex64 is not supported (%s)", op->name, what);
        return false;
    } else if (id == MX_OP_logical_and || id == MX_OP_logical_or) {
        t = MX_BOOL; /* MLX casts both operands to bool (non-zero, NaN included, is true) */
    } else if ((id == MX_OP_divide || id == MX_OP_logaddexp || id == MX_OP_arctan2) && !mx_dtype_is_float(t) &&
               t != MX_COMPLEX64) {
        t = MX_FLOAT32; /* true division and transcendental ops of ints give float32 */
    }
    *compute = t;
    *out = is_comparison(id) || id == MX_OP_logical_and || id == MX_OP_logical_or ? MX_BOOL : t;
    return true;
}

/* ---- node-level constructors ------------------------------------------------------ */

/* Node-level callers pass live nodes; a NULL or an error node is reported
 * (the error node's own message is passed on). */
static bool inputs_valid(const char *op, mx_node *const *in, int n) {
    for (int i = 0; i < n; i++) {
        if (!in[i]) {
            mx_set_error(MX_ERROR_HANDLE, "%s: null input", op);
            return false;
        }
        if (in[i]->status != MX_OK) {
            mx_set_error(in[i]->status, "%s", in[i]->error ? in[i]->error : "error array");
            return false;
        }
    }
    return true;
}

/* Cast `a` to dtype and broadcast it to shape: a new reference, or NULL. */
static mx_node *cast_and_broadcast(mx_node *a, mx_dtype dtype, const int64_t *shape, int ndim) {
    mx_node *cast = mx_node_astype(a, dtype);
    if (!cast)
        return NULL;
    mx_node *out = mx_node_broadcast_to(cast, shape, ndim);
    mx_node_release(cast);
    return out;
}

mx_node *mx_node_binary(const mx_op_def *op, mx_node *a, mx_node *b) {
    if (!op || op->family != MX_FAMILY_BINARY || op->id < MX_OP_add || op->id > MX_OP_right_shift) {
        mx_set_error(MX_ERROR_INTERNAL, "binary: %s is not a binary element-wise op", op ? op->name : "(null)");
        return NULL;
    }
    if (!inputs_valid(op->name, (mx_node *const[]){a, b}, 2))
        return NULL;
    /* dtypes are checked before shapes, as MLX does */
    mx_dtype compute, out_dtype;
    int64_t shape[MX_MAX_NDIM];
    int ndim;
    if (!binary_dtypes(op, a, b, &compute, &out_dtype) || !mx_broadcast_shapes(op->name, a, b, shape, &ndim))
        return NULL;
    mx_node *in[2] = {cast_and_broadcast(a, compute, shape, ndim), NULL};
    if (in[0])
        in[1] = cast_and_broadcast(b, compute, shape, ndim);
    mx_node *out = in[1] ? mx_node_new(op, NULL, in, 2, shape, ndim, out_dtype) : NULL;
    mx_node_release(in[0]);
    mx_node_release(in[1]);
    return out;
}

/* NumPy broadcasting of where's three shapes, into shape/ndim. */
static bool broadcast_three(mx_node *const *in, int64_t *shape, int *ndim) {
    int nd = 0;
    for (int k = 0; k < 3; k++)
        nd = in[k]->ndim > nd ? in[k]->ndim : nd;
    for (int i = 0; i < nd; i++) {
        int64_t d = 1;
        for (int k = 0; k < 3; k++) {
            int j = i - (nd - in[k]->ndim);
            int64_t dk = j >= 0 ? in[k]->shape[j] : 1;
            if (dk == 1)
                continue;
            if (d != 1 && d != dk) {
                char s[3][MX_SHAPE_STR_CAP];
                for (int m = 0; m < 3; m++)
                    mx_format_shape(in[m]->shape, in[m]->ndim, s[m], sizeof s[m]);
                mx_set_error(MX_ERROR_VALUE,
                             "where: shapes %s (condition), %s and %s cannot be broadcast (dtypes %s, %s, %s)", s[0],
                             s[1], s[2], mx_dtype_name(in[0]->dtype), mx_dtype_name(in[1]->dtype),
                             mx_dtype_name(in[2]->dtype));
                return false;
            }
            d = dk;
        }
        shape[i] = d;
    }
    *ndim = nd;
    return true;
}

mx_node *mx_node_where(mx_node *cond, mx_node *x, mx_node *y) {
    if (!inputs_valid("where", (mx_node *const[]){cond, x, y}, 3))
        return NULL;
    mx_node *args[3] = {cond, x, y};
    int64_t shape[MX_MAX_NDIM];
    int ndim;
    if (!broadcast_three(args, shape, &ndim))
        return NULL;
    mx_dtype t = mx_promote_types(x->dtype, y->dtype);
    if (t == MX_DTYPE_COUNT || (unsigned)cond->dtype >= MX_DTYPE_COUNT) {
        mx_set_error(MX_ERROR_TYPE, "where: invalid dtype");
        return NULL;
    }
    /* a complex condition is cast to bool as MLX does: true when either part
     * is non-zero */
    mx_dtype dtypes[3] = {MX_BOOL, t, t};
    mx_node *in[3] = {NULL, NULL, NULL};
    mx_node *out = NULL;
    int k = 0;
    for (; k < 3; k++) {
        in[k] = cast_and_broadcast(args[k], dtypes[k], shape, ndim);
        if (!in[k])
            break;
    }
    if (k == 3)
        out = mx_node_new(&mx_op_where, NULL, in, 3, shape, ndim, t);
    for (int m = 0; m < 3; m++)
        mx_node_release(in[m]);
    return out;
}

/* ---- public API ---------------------------------------------------------------- */

mx_array mx_wrap_binary(const mx_op_def *op, mx_array a, mx_array b) {
    mx_node *in[2];
    if (!mx_handles_get((mx_array[]){a, b}, 2, op->name, in))
        return mx_handle_wrap(NULL);
    return mx_handle_wrap(mx_node_binary(op, in[0], in[1]));
}

#define BINARY_API(op_name)                                                                                            \
    mx_array mx_##op_name(mx_array a, mx_array b) { return mx_wrap_binary(&mx_op_##op_name, a, b); }
BINARY_API(add)
BINARY_API(subtract)
BINARY_API(multiply)
BINARY_API(divide)
BINARY_API(floor_divide)
BINARY_API(remainder)
BINARY_API(power)
BINARY_API(maximum)
BINARY_API(minimum)
BINARY_API(logaddexp)
BINARY_API(arctan2)
BINARY_API(equal)
BINARY_API(not_equal)
BINARY_API(greater)
BINARY_API(greater_equal)
BINARY_API(less)
BINARY_API(less_equal)
BINARY_API(logical_and)
BINARY_API(logical_or)
BINARY_API(bitwise_and)
BINARY_API(bitwise_or)
BINARY_API(bitwise_xor)
BINARY_API(left_shift)
BINARY_API(right_shift)
#undef BINARY_API

mx_array mx_where(mx_array condition, mx_array x, mx_array y) {
    mx_node *in[3];
    if (!mx_handles_get((mx_array[]){condition, x, y}, 3, "where", in))
        return mx_handle_wrap(NULL);
    return mx_handle_wrap(mx_node_where(in[0], in[1], in[2]));
}
