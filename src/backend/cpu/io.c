/* backend/cpu/io.c - the kernel of the `load` node (src/io/source.c): copies
 * an array's bytes out of its file mapping when they cannot be aliased
 * (misaligned for the dtype, or in the other byte order: swapped here).
 * Shapes: out (any shape) <- source bytes [offset, offset + nbytes). */
#include <string.h>

#include "backend/cpu/cpu.h"
#include "io/io_internal.h"

typedef struct {
    unsigned char *dst;
    const unsigned char *src;
    size_t itemsize;
    bool swap;
} load_ctx;

static void load_range(int64_t begin, int64_t end, void *vctx) {
    const load_ctx *c = vctx;
    size_t k = c->itemsize;
    unsigned char *dst = c->dst + (size_t)begin * k;
    const unsigned char *src = c->src + (size_t)begin * k;
    size_t n = (size_t)(end - begin);
    if (!c->swap) {
        memcpy(dst, src, n * k);
        return;
    }
    for (size_t i = 0; i < n; i++, dst += k, src += k)
        for (size_t b = 0; b < k; b++)
            dst[b] = src[k - 1 - b];
}

static mx_status load_kernel(mx_node *out) {
    const io_load_params *p = mx_node_params(out);
    mx_status st = mx_node_alloc_output(out);
    if (st != MX_OK)
        return st;
    load_ctx c = {.dst = mx_node_data(out),
                  .src = p->source->data + p->offset,
                  .itemsize = mx_dtype_size(out->dtype),
                  .swap = p->swap_bytes};
    cpu_parallel_for(out->size, 1 << 20, load_range, &c);
    return MX_OK;
}

void cpu_register_io(mx_backend *b) { b->kernels[MX_OP_load] = load_kernel; }
