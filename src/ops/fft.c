/* ops/fft.c - mlx.core.fft as in MLX 0.32 (mlx/fft.cpp, python/src/fft.cpp):
 * the fft primitive (ops/fft.h), the n/s/axes handling around it, the
 * compositions (fft2, fftn, ...), fftfreq/rfftfreq and fftshift/ifftshift.
 *
 * Transform rules (every transform is linear):
 *   jvp: the same primitive applied to the tangent;
 *   vjp: the adjoint, with MLX's conventions:
 *     c2c forward:  ifftn(cot) * prod(n)        c2c inverse: fftn(cot) / prod(n)
 *     rfftn:  irfftn(cot * mask, n) * prod(n), mask 1/2 except at DC and Nyquist
 *     irfftn: rfftn(cot) * mask / prod(n),     mask 2 except at DC and Nyquist
 *   (the masks account for the Hermitian half that rfftn drops). */
#include "ops/fft.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cmlx/fft.h"
#include "ops/scatter.h"

static int fft_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads_out);
static int fft_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out);

const mx_op_def mx_op_fft = {.name = "fft",
                             .id = MX_OP_fft,
                             .family = MX_FAMILY_OTHER,
                             .params_size = sizeof(mx_fft_params),
                             .vjp = fft_vjp,
                             .jvp = fft_jvp};

/* ---- the primitive and fft_impl ------------------------------------------------------------------ */
static mx_node *fft_primitive(mx_node *in, const mx_fft_params *p) {
    int64_t shape[MX_MAX_NDIM];
    memcpy(shape, in->shape, (size_t)in->ndim * sizeof(int64_t));
    int last = p->axes[p->naxes - 1];
    mx_dtype out_dtype = MX_COMPLEX64;
    if (p->real && !p->inverse)
        shape[last] = shape[last] / 2 + 1;
    else if (p->real) {
        shape[last] = p->last_n;
        out_dtype = MX_FLOAT32;
    }
    return mx_node_new(&mx_op_fft, p, &in, 1, shape, in->ndim, out_dtype);
}

/* Zero-pad x to `shape` (no dim shorter): MLX's slice_update of zeros. */
static mx_node *pad_to(mx_node *x, const int64_t *shape) {
    mx_node *zeros = mx_node_full(shape, x->ndim, 0.0, x->dtype);
    if (!zeros)
        return NULL;
    int64_t start[MX_MAX_NDIM] = {0}, step[MX_MAX_NDIM];
    for (int d = 0; d < x->ndim; d++)
        step[d] = 1;
    mx_node *out = mx_node_slice_update(MX_REDUCE_NONE, zeros, x, start, x->shape, step);
    mx_node_release(zeros);
    return out;
}

mx_node *mx_node_fftn(const char *op, mx_node *a, const int64_t *n, const int *axes, int naxes, bool real,
                      bool inverse) {
    if (a->ndim < 1) {
        mx_set_error(MX_ERROR_VALUE, "[%s] Requires array with at least one dimension.", op);
        return NULL;
    }
    if (naxes == 0) {
        mx_node_retain(a);
        return a;
    }
    if (naxes > a->ndim) {
        mx_set_error(MX_ERROR_VALUE, "[%s] Duplicated axis received: %d axes for an array with %d dimensions.", op,
                     naxes, a->ndim);
        return NULL;
    }
    mx_fft_params p = {.naxes = naxes, .inverse = inverse, .real = real};
    bool seen[MX_MAX_NDIM] = {false};
    for (int i = 0; i < naxes; i++) {
        int ax = axes[i] < 0 ? axes[i] + a->ndim : axes[i];
        if (ax < 0 || ax >= a->ndim) {
            mx_set_error(MX_ERROR_VALUE, "[%s] Invalid axis %d received for array with %d dimensions.", op, axes[i],
                         a->ndim);
            return NULL;
        }
        if (seen[ax]) {
            mx_set_error(MX_ERROR_VALUE, "[%s] Duplicated axis %d received.", op, axes[i]);
            return NULL;
        }
        seen[ax] = true;
        p.axes[i] = ax;
    }
    for (int i = 0; i < naxes; i++)
        if (n[i] <= 0) {
            mx_set_error(MX_ERROR_VALUE, "[%s] Invalid FFT output size requested %lld along axis %d.", op,
                         (long long)n[i], axes[i]);
            return NULL;
        }
    int64_t in_shape[MX_MAX_NDIM];
    memcpy(in_shape, a->shape, (size_t)a->ndim * sizeof(int64_t));
    for (int i = 0; i < naxes; i++)
        in_shape[p.axes[i]] = n[i];
    int last = p.axes[naxes - 1];
    if (real && inverse) {
        in_shape[last] = n[naxes - 1] / 2 + 1;
        p.last_n = n[naxes - 1];
    }
    mx_node *x = a;
    mx_node_retain(x);
    /* cut the axes that are too long, then pad those too short, as MLX's slice + slice_update */
    bool any_less = false;
    for (int d = 0; d < a->ndim; d++)
        any_less |= in_shape[d] < a->shape[d];
    if (any_less) {
        int64_t start[MX_MAX_NDIM] = {0}, stop[MX_MAX_NDIM], step[MX_MAX_NDIM];
        for (int d = 0; d < a->ndim; d++) {
            stop[d] = in_shape[d] < a->shape[d] ? in_shape[d] : a->shape[d];
            step[d] = 1;
        }
        mx_node *s = mx_node_slice(x, start, stop, step);
        mx_node_release(x);
        if (!s)
            return NULL;
        x = s;
    }
    bool any_greater = false;
    for (int d = 0; d < a->ndim; d++)
        any_greater |= in_shape[d] > a->shape[d];
    if (any_greater) {
        mx_node *padded = pad_to(x, in_shape);
        mx_node_release(x);
        if (!padded)
            return NULL;
        x = padded;
    }
    mx_node *cast = mx_node_astype(x, real && !inverse ? MX_FLOAT32 : MX_COMPLEX64);
    mx_node_release(x);
    if (!cast)
        return NULL;
    mx_node *out = fft_primitive(cast, &p);
    mx_node_release(cast);
    return out;
}

mx_node *mx_node_fftn_default(const char *op, mx_node *a, const int *axes, int naxes, bool real, bool inverse) {
    int64_t n[MX_MAX_NDIM];
    if (naxes > MX_MAX_NDIM || naxes > a->ndim) {
        mx_set_error(MX_ERROR_VALUE, "[%s] Duplicated axis received: %d axes for an array with %d dimensions.", op,
                     naxes, a->ndim);
        return NULL;
    }
    for (int i = 0; i < naxes; i++) {
        int ax = axes[i] < 0 ? axes[i] + a->ndim : axes[i];
        if (ax < 0 || ax >= a->ndim) {
            mx_set_error(MX_ERROR_VALUE, "[%s] Invalid axis %d received for array with %d dimensions.", op, axes[i],
                         a->ndim);
            return NULL;
        }
        n[i] = a->shape[ax];
    }
    if (real && inverse && naxes > 0)
        n[naxes - 1] = (n[naxes - 1] - 1) * 2;
    return mx_node_fftn(op, a, n, axes, naxes, real, inverse);
}

/* ---- transform rules ----------------------------------------------------------------------------- */
static int fft_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out) {
    if (!tangents[0]) {
        *tangent_out = NULL;
        return MX_OK;
    }
    mx_node *t = mx_node_astype(tangents[0], node->inputs[0]->dtype);
    if (!t)
        return mx_last_status();
    *tangent_out = fft_primitive(t, mx_node_params(node));
    mx_node_release(t);
    return *tangent_out ? MX_OK : mx_last_status();
}

/* x * scalar(value) in dtype, consuming x. */
static mx_node *scale_by(mx_node *x, double value, mx_dtype dtype) {
    if (!x)
        return NULL;
    mx_node *s = mx_node_scalar(value, dtype);
    mx_node *out = s ? mx_node_binary(&mx_op_multiply, x, s) : NULL;
    mx_node_release(s);
    mx_node_release(x);
    return out;
}

/* A (1,..,len,..,1) array along `axis` of an ndim array: `inner` for
 * 0 < k < last, `edge` elsewhere (DC, and Nyquist when last < len). */
static mx_node *edge_mask(int ndim, int axis, int64_t len, int64_t last, double edge, double inner, mx_dtype dtype) {
    int64_t shape[MX_MAX_NDIM];
    for (int d = 0; d < ndim; d++)
        shape[d] = d == axis ? len : 1;
    size_t item = mx_dtype_size(dtype);
    mx_buffer *buf = mx_buffer_alloc((size_t)len * item, "fft");
    if (!buf)
        return NULL;
    for (int64_t k = 0; k < len; k++) {
        float v = (float)(k > 0 && k < last ? inner : edge);
        if (dtype == MX_COMPLEX64) {
            float c[2] = {v, 0.0f};
            memcpy((char *)buf->ptr + k * item, c, sizeof c);
        } else
            memcpy((char *)buf->ptr + k * item, &v, sizeof v);
    }
    return mx_node_new_evaluated(buf, shape, ndim, dtype);
}

static int fft_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads_out) {
    const mx_fft_params *p = mx_node_params(node);
    mx_node *in = node->inputs[0];
    int last = p->axes[p->naxes - 1];
    double n_elements = 1;
    int64_t n[MX_MAX_NDIM];
    for (int i = 0; i < p->naxes; i++) {
        int ax = p->axes[i];
        n[i] = in->shape[ax];
        n_elements *= (double)(p->inverse ? cotangent->shape[ax] : in->shape[ax]);
    }
    mx_node *g = NULL;
    if (p->real && p->inverse) { /* in: (.., h) complex, cot (.., n) real */
        int64_t N = in->shape[last];
        int64_t odd = cotangent->shape[last] % 2;
        mx_node *mask = edge_mask(in->ndim, last, N, N - 1 + odd, 1.0 / n_elements, 2.0 / n_elements, MX_COMPLEX64);
        mx_node *f = mask ? mx_node_fftn_default("fft", cotangent, p->axes, p->naxes, true, false) : NULL;
        g = f ? mx_node_binary(&mx_op_multiply, f, mask) : NULL;
        mx_node_release(f);
        mx_node_release(mask);
    } else if (p->real) { /* in: (.., n) real, cot (.., n/2+1) complex */
        int64_t N = cotangent->shape[last];
        int64_t odd = in->shape[last] % 2;
        mx_node *mask = edge_mask(in->ndim, last, N, N - 1 + odd, 1.0, 0.5, MX_COMPLEX64);
        mx_node *c = mask ? mx_node_binary(&mx_op_multiply, cotangent, mask) : NULL;
        mx_node *f = c ? mx_node_fftn("fft", c, n, p->axes, p->naxes, true, true) : NULL;
        g = scale_by(f, n_elements, in->dtype);
        mx_node_release(c);
        mx_node_release(mask);
    } else if (p->inverse) {
        g = scale_by(mx_node_fftn_default("fft", cotangent, p->axes, p->naxes, false, false), 1.0 / n_elements,
                     MX_COMPLEX64);
    } else {
        g = scale_by(mx_node_fftn_default("fft", cotangent, p->axes, p->naxes, false, true), n_elements, MX_COMPLEX64);
    }
    if (!g)
        return mx_last_status();
    for (int i = 0; i < nargs; i++) {
        (void)argnums;
        mx_node_retain(g);
        grads_out[i] = g;
    }
    mx_node_release(g);
    return MX_OK;
}

/* ---- public functions ---------------------------------------------------------------------------- */
/* MLX's norm: "backward" (NULL) leaves the primitive's scaling; "forward"
 * moves 1/N to the forward transform, "ortho" puts 1/sqrt(N) on both. N is
 * the product of the (logical) transform lengths. Consumes out. */
static mx_node *apply_norm(const char *op, mx_node *out, const char *norm) {
    if (!out)
        return NULL;
    bool forward_norm = norm && strcmp(norm, "forward") == 0, ortho = norm && strcmp(norm, "ortho") == 0;
    if (norm && !forward_norm && !ortho && strcmp(norm, "backward") != 0) {
        mx_node_release(out);
        mx_set_error(MX_ERROR_VALUE, "[%s] Invalid norm '%s': expected 'backward', 'ortho' or 'forward'.", op, norm);
        return NULL;
    }
    if (!(forward_norm || ortho) || out->op != &mx_op_fft)
        return out;
    const mx_fft_params *p = mx_node_params(out);
    const mx_node *in = out->inputs[0];
    double N = 1;
    for (int i = 0; i < p->naxes; i++)
        N *= (double)(p->real && !p->inverse ? in->shape[p->axes[i]] : out->shape[p->axes[i]]);
    double factor = ortho ? (p->inverse ? sqrt(N) : 1.0 / sqrt(N)) : (p->inverse ? N : 1.0 / N);
    return scale_by(out, factor, out->dtype);
}

static mx_array wrap_1d(const char *op, mx_array a, int n, int axis, const char *norm, bool real, bool inverse) {
    mx_node *x = mx_handle_get(a, op);
    if (!x)
        return mx_handle_wrap(NULL);
    if (n == MX_FFT_DEFAULT)
        return mx_handle_wrap(apply_norm(op, mx_node_fftn_default(op, x, &axis, 1, real, inverse), norm));
    int64_t n64 = n;
    return mx_handle_wrap(apply_norm(op, mx_node_fftn(op, x, &n64, &axis, 1, real, inverse), norm));
}

mx_array mx_fft_fft(mx_array a, int n, int axis, const char *norm) {
    return wrap_1d("fft", a, n, axis, norm, false, false);
}
mx_array mx_fft_ifft(mx_array a, int n, int axis, const char *norm) {
    return wrap_1d("ifft", a, n, axis, norm, false, true);
}
mx_array mx_fft_rfft(mx_array a, int n, int axis, const char *norm) {
    return wrap_1d("rfft", a, n, axis, norm, true, false);
}
mx_array mx_fft_irfft(mx_array a, int n, int axis, const char *norm) {
    return wrap_1d("irfft", a, n, axis, norm, true, true);
}

/* MLX's python fftn: s and axes given; axes only; s only (axes = the last
 * len(s), an error for the *n forms as in MLX 0.32); neither (fft2: (-2, -1),
 * fftn: all axes). */
static mx_node *nd_node(const char *op, mx_node *x, const int *s, int ns, const int *axes, int naxes, bool all_axes,
                        bool real, bool inverse);
static mx_array wrap_nd(const char *op, mx_array a, const int *s, int ns, const int *axes, int naxes, const char *norm,
                        bool all_axes, bool real, bool inverse) {
    mx_node *x = mx_handle_get(a, op);
    if (!x)
        return mx_handle_wrap(NULL);
    return mx_handle_wrap(apply_norm(op, nd_node(op, x, s, ns, axes, naxes, all_axes, real, inverse), norm));
}

static mx_node *nd_node(const char *op, mx_node *x, const int *s, int ns, const int *axes, int naxes, bool all_axes,
                        bool real, bool inverse) {
    int ax[MX_MAX_NDIM];
    if (naxes > MX_MAX_NDIM || ns > MX_MAX_NDIM) {
        mx_set_error(MX_ERROR_VALUE, "[%s] Too many axes: %d (at most %d).", op, naxes > ns ? naxes : ns, MX_MAX_NDIM);
        return NULL;
    }
    if (!axes) {
        if (s && all_axes) { /* MLX 0.32's python fftn family */
            mx_set_error(MX_ERROR_VALUE, "[%s] `axes` should not be `None` if `s` is not `None`.", op);
            return NULL;
        }
        if (s) {
            naxes = ns;
            for (int i = 0; i < ns; i++)
                ax[i] = i - ns;
        } else if (all_axes) {
            naxes = x->ndim;
            for (int i = 0; i < naxes; i++)
                ax[i] = i;
        } else {
            naxes = 2;
            ax[0] = -2;
            ax[1] = -1;
        }
        axes = ax;
    }
    if (!s)
        return mx_node_fftn_default(op, x, axes, naxes, real, inverse);
    if (ns != naxes) {
        mx_set_error(MX_ERROR_VALUE, "[%s] Shape and axes have different sizes (%d and %d).", op, ns, naxes);
        return NULL;
    }
    int64_t n[MX_MAX_NDIM];
    for (int i = 0; i < ns; i++)
        n[i] = s[i];
    return mx_node_fftn(op, x, n, axes, naxes, real, inverse);
}

#define ND(name, all, real, inverse)                                                                                   \
    mx_array mx_fft_##name(mx_array a, const int *s, int ns, const int *axes, int naxes, const char *norm) {           \
        return wrap_nd(#name, a, s, ns, axes, naxes, norm, all, real, inverse);                                        \
    }
ND(fft2, false, false, false)
ND(ifft2, false, false, true)
ND(rfft2, false, true, false)
ND(irfft2, false, true, true)
ND(fftn, true, false, false)
ND(ifftn, true, false, true)
ND(rfftn, true, true, false)
ND(irfftn, true, true, true)
#undef ND

/* ---- frequencies and shifts ---------------------------------------------------------------------- */
static mx_array freq_array(const char *op, int n, double d, bool half) {
    if (n <= 0) {
        mx_set_error(MX_ERROR_VALUE, "[%s] n must be positive, got %d.", op, n);
        return mx_handle_wrap(NULL);
    }
    int64_t len = half ? n / 2 + 1 : n;
    mx_buffer *buf = mx_buffer_alloc((size_t)len * sizeof(float), op);
    if (!buf)
        return mx_handle_wrap(NULL);
    float *v = buf->ptr;
    float scale = (float)(1.0 / ((double)n * d)); /* MLX: float32 arange * (1 / (n d)) */
    for (int64_t k = 0; k < len; k++) {
        int64_t f = half || k < (n + 1) / 2 ? k : k - n;
        v[k] = (float)f * scale;
    }
    return mx_handle_wrap(mx_node_new_evaluated(buf, &len, 1, MX_FLOAT32));
}

mx_array mx_fft_fftfreq(int n, double d) { return freq_array("fftfreq", n, d, false); }
mx_array mx_fft_rfftfreq(int n, double d) { return freq_array("rfftfreq", n, d, true); }

/* Roll each axis so that element `shift(len)` comes first. */
static mx_array shift_axes(const char *op, mx_array a, const int *axes, int naxes, bool inverse) {
    mx_node *x = mx_handle_get(a, op);
    if (!x)
        return mx_handle_wrap(NULL);
    int ax[MX_MAX_NDIM];
    if (!axes) {
        naxes = x->ndim;
        for (int i = 0; i < naxes; i++)
            ax[i] = i;
    } else {
        if (naxes > MX_MAX_NDIM) {
            mx_set_error(MX_ERROR_VALUE, "[%s] Too many axes: %d.", op, naxes);
            return mx_handle_wrap(NULL);
        }
        for (int i = 0; i < naxes; i++) {
            ax[i] = axes[i] < 0 ? axes[i] + x->ndim : axes[i];
            if (ax[i] < 0 || ax[i] >= x->ndim) {
                mx_set_error(MX_ERROR_VALUE, "[%s] Invalid axis %d for array with %d dimensions.", op, axes[i],
                             x->ndim);
                return mx_handle_wrap(NULL);
            }
        }
    }
    mx_node_retain(x);
    for (int i = 0; i < naxes; i++) {
        int64_t len = x->shape[ax[i]];
        int64_t split = inverse ? len / 2 : len - len / 2; /* first element of the result */
        if (len <= 1 || split == 0 || split == len)
            continue;
        int64_t start[MX_MAX_NDIM] = {0}, stop[MX_MAX_NDIM], step[MX_MAX_NDIM];
        for (int d = 0; d < x->ndim; d++)
            stop[d] = x->shape[d], step[d] = 1;
        stop[ax[i]] = split;
        mx_node *head = mx_node_slice(x, start, stop, step);
        start[ax[i]] = split;
        stop[ax[i]] = len;
        mx_node *tail = head ? mx_node_slice(x, start, stop, step) : NULL;
        mx_node *parts[2] = {tail, head};
        mx_node *rolled = tail ? mx_node_concatenate(parts, 2, ax[i]) : NULL;
        mx_node_release(head);
        mx_node_release(tail);
        mx_node_release(x);
        if (!rolled)
            return mx_handle_wrap(NULL);
        x = rolled;
    }
    return mx_handle_wrap(x);
}

mx_array mx_fft_fftshift(mx_array a, const int *axes, int naxes) {
    return shift_axes("fftshift", a, axes, naxes, false);
}
mx_array mx_fft_ifftshift(mx_array a, const int *axes, int naxes) {
    return shift_axes("ifftshift", a, axes, naxes, true);
}
