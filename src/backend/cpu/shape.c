/* backend/cpu/shape.c - the concatenate kernel (the other shape ops are
 * views and need no kernel). */
#include "backend/cpu/cpu.h"

/* out: the inputs laid side by side along params->axis. Each input is
 * copied into its slab of out: a shallow node with the input's shape,
 * out's strides and an offset along the axis. */
static mx_status concatenate_kernel(mx_node *out) {
    const mx_axis_params *p = mx_node_params(out);
    mx_status st = mx_node_alloc_output(out);
    if (st != MX_OK)
        return st;
    int64_t position = 0;
    for (int i = 0; i < out->n_inputs; i++) {
        mx_node *in = out->inputs[i];
        if (in->size) {
            mx_node slab = *out;
            slab.shape = in->shape;
            slab.offset = position * out->strides[p->axis];
            st = cpu_copy(&slab, in);
            if (st != MX_OK)
                return st;
        }
        position += in->shape[p->axis];
    }
    return MX_OK;
}

void cpu_register_shape(mx_backend *b) { b->kernels[MX_OP_concatenate] = concatenate_kernel; }
