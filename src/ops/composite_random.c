/* ops/composite_random.c - random.permutation (argsort of random bits) and
 * random.multivariate_normal (with the sqrtm primitive it needs), as MLX 0.32
 * composes them. multivariate_normal:
 *
 *   std = U diag(sqrt(S)) V^T of cov (as float32; the SVD, U S V^T = cov),
 *   out = mean + (z[..., None, :] @ std)[..., 0, :],  z = normal(shape + (n,))
 *
 * MLX takes the SVD from linalg; that area is not in this build, so sqrtm is
 * a primitive of its own: a one-sided Jacobi SVD in float64 per matrix
 * (backend/cpu/composite.c). U sqrt(S) V^T does not depend on the signs or
 * the order the SVD picks, and for a covariance (symmetric, positive
 * semi-definite) it is the unique square root, so the samples are MLX's up to
 * float32 rounding. Like MLX's SVD it has no VJP: gradients reach the mean,
 * not the covariance. */
#include "cmlx/composite.h"
#include "cmlx/ops.h"
#include "cmlx/random.h"
#include "cmlx/sort.h"
#include "ops/composite.h"
#include "transforms/vmap.h"

static int sqrtm_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads_out) {
    (void)node, (void)cot, (void)argnums, (void)nargs, (void)grads_out;
    return mx_set_error(MX_ERROR_VALUE, "multivariate_normal: the VJP of its SVD is not implemented (as MLX)");
}

const mx_op_def mx_op_sqrtm = {
    .name = "sqrtm", .id = MX_OP_sqrtm, .family = MX_FAMILY_OTHER, .vjp = sqrtm_vjp, .vmap = mx_vmap_unrolled};

static char *shape_str(const mx_node *a, char *buf) {
    return mx_format_shape(a->shape, a->ndim, buf, MX_SHAPE_STR_CAP);
}

mx_array mx_random_multivariate_normal(mx_array mean, mx_array cov, const int64_t *shape, int ndim, mx_dtype dtype,
                                       mx_array key) {
    mx_node *in[2];
    if (!mx_handles_get((mx_array[]){mean, cov}, 2, "multivariate_normal", in))
        return mx_handle_wrap(NULL);
    mx_node *mu = in[0], *c = in[1];
    char sm[MX_SHAPE_STR_CAP], sc[MX_SHAPE_STR_CAP];
    if (dtype != MX_FLOAT32) {
        mx_set_error(MX_ERROR_VALUE, "multivariate_normal: dtype must be float32, got %s", mx_dtype_name(dtype));
        return mx_handle_wrap(NULL);
    }
    if (mu->ndim < 1 || c->ndim < 2) {
        mx_set_error(MX_ERROR_VALUE,
                     "multivariate_normal: mean must have at least one dimension and cov at least "
                     "two (shapes %s and %s)",
                     shape_str(mu, sm), shape_str(c, sc));
        return mx_handle_wrap(NULL);
    }
    int64_t n = mu->shape[mu->ndim - 1];
    if (c->shape[c->ndim - 1] != c->shape[c->ndim - 2] || c->shape[c->ndim - 1] != n) {
        mx_set_error(MX_ERROR_VALUE,
                     "multivariate_normal: cov must be square with the size of mean's last dimension "
                     "(shapes %s and %s)",
                     shape_str(mu, sm), shape_str(c, sc));
        return mx_handle_wrap(NULL);
    }
    if (ndim < 0 || ndim >= MX_MAX_NDIM || (ndim && !shape)) {
        mx_set_error(MX_ERROR_VALUE, "multivariate_normal: invalid shape of rank %d", ndim);
        return mx_handle_wrap(NULL);
    }
    /* batch: broadcast of cov's, mean's and the requested shapes */
    int64_t batch[MX_MAX_NDIM];
    int nb = 0;
    const int64_t *shapes[3] = {c->shape, mu->shape, shape};
    int ndims[3] = {c->ndim - 2, mu->ndim - 1, ndim};
    if (mx_broadcast_shape(shapes, ndims, 3, batch, &nb) != MX_OK)
        return mx_handle_wrap(NULL);
    if (nb + 2 > MX_MAX_NDIM) {
        mx_set_error(MX_ERROR_VALUE, "multivariate_normal: too many dimensions");
        return mx_handle_wrap(NULL);
    }
    int64_t zshape[MX_MAX_NDIM];
    memcpy(zshape, batch, sizeof(int64_t) * (size_t)nb);
    zshape[nb] = n;
    mx_array z = mx_random_normal(zshape, nb + 1, dtype, 0.0, 1.0, key);
    mx_node *zn = mx_handle_get(z, "multivariate_normal");
    cb_builder b = {0};
    mx_node *c32 = cb_astype(&b, c, MX_FLOAT32);
    mx_node *std = c32 ? cb_own(&b, mx_node_new(&mx_op_sqrtm, NULL, &c32, 1, c32->shape, c32->ndim, MX_FLOAT32)) : NULL;
    /* z as a row (..., 1, n) times std (..., n, n), the row dim dropped */
    memcpy(zshape, batch, sizeof(int64_t) * (size_t)nb);
    zshape[nb] = 1;
    zshape[nb + 1] = n;
    mx_node *row = zn ? cb_reshape(&b, zn, zshape, nb + 2) : NULL;
    mx_node *prod = cb_matmul(&b, row, std);
    zshape[nb] = n;
    mx_node *scaled = cb_reshape(&b, prod, zshape, nb + 1);
    mx_node *out = cb_finish(&b, cb_binary(&b, &mx_op_add, mu, scaled));
    mx_free(z);
    return mx_handle_wrap(out);
}

/* ---- permutation: argsort of n random uint32 (MLX's) ------------------------------------------------ */

mx_array mx_random_permutation_n(int64_t n, mx_array key) {
    if (n < 0) {
        mx_set_error(MX_ERROR_VALUE, "permutation: negative size %lld", (long long)n);
        return mx_handle_wrap(NULL);
    }
    mx_array bits = mx_random_bits(&n, 1, 4, key);
    mx_array out = mx_argsort(bits);
    mx_free(bits);
    return out;
}

mx_array mx_random_permutation(mx_array x, int axis, mx_array key) {
    mx_node *a = mx_handle_get(x, "permutation");
    if (!a)
        return mx_handle_wrap(NULL);
    int ax = axis < 0 ? axis + a->ndim : axis;
    if (ax < 0 || ax >= a->ndim) { /* MLX: IndexError */
        char s[MX_SHAPE_STR_CAP];
        mx_set_error(MX_ERROR_INDEX, "permutation: axis %d is out of bounds for an array of shape %s", axis,
                     shape_str(a, s));
        return mx_handle_wrap(NULL);
    }
    mx_array order = mx_random_permutation_n(a->shape[ax], key);
    mx_array out = mx_take(x, order, ax);
    mx_free(order);
    return out;
}
