/* nn/common.c - helpers shared by the layers, losses and initialisers, and
 * the training helpers of nn.h (value_and_grad over a named tree). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/handle.h"
#include "nn/nn_internal.h"

mx_array nn_error(mx_status status, const char *fmt, ...) {
    char message[1024];
    va_list args;
    va_start(args, fmt);
    vsnprintf(message, sizeof message, fmt, args);
    va_end(args);
    mx_set_error(status, "%s", message);
    return mx_handle_wrap(NULL);
}

mx_array nn_float_like(double value, mx_array x) {
    mx_dtype dtype = mx_array_dtype(x);
    return mx_scalar(value, mx_dtype_is_float(dtype) ? dtype : MX_FLOAT32);
}

mx_array nn_int_like(double value, mx_array x) {
    mx_dtype dtype = mx_array_dtype(x);
    return mx_scalar(value, dtype == MX_DTYPE_COUNT ? MX_FLOAT32 : dtype);
}

bool nn_join_name(char *out, const char *prefix, const char *leaf, const char *layer) {
    int n = prefix && prefix[0] ? snprintf(out, NN_FULL_NAME_MAX, "%s.%s", prefix, leaf)
                                : snprintf(out, NN_FULL_NAME_MAX, "%s", leaf);
    if (n < 0 || n >= NN_FULL_NAME_MAX) {
        mx_set_error(MX_ERROR_VALUE, "%s: parameter name '%s.%s' is longer than %d bytes", layer, prefix, leaf,
                     NN_FULL_NAME_MAX - 1);
        return false;
    }
    return true;
}

bool nn_set_prefix(char *field, const char *prefix, const char *layer) {
    if (!prefix)
        prefix = "";
    size_t len = strlen(prefix);
    if (len >= MX_NN_NAME_MAX) {
        mx_set_error(MX_ERROR_VALUE, "%s: prefix '%s' is longer than %d bytes", layer, prefix, MX_NN_NAME_MAX - 1);
        return false;
    }
    memcpy(field, prefix, len + 1);
    return true;
}

mx_array nn_param(const mx_named_arrays *params, const char *prefix, const char *leaf, const char *layer) {
    char name[NN_FULL_NAME_MAX];
    if (!nn_join_name(name, prefix, leaf, layer))
        return MX_NULL_ARRAY;
    mx_array a = mx_named_arrays_get(params, name);
    if (a.id == 0)
        mx_set_error(MX_ERROR_VALUE, "%s '%s': no parameter '%s' in the tree", layer, prefix, name);
    return a;
}

mx_status nn_register(mx_named_arrays *params, const char *prefix, const char *leaf, mx_array value,
                      const char *layer) {
    char name[NN_FULL_NAME_MAX];
    mx_status status = mx_array_status(value);
    if (status == MX_OK && !nn_join_name(name, prefix, leaf, layer))
        status = mx_last_status();
    if (status == MX_OK)
        status = mx_named_arrays_set(params, name, value);
    mx_free(value);
    return status;
}

bool nn_subkeys(mx_array key, int n, mx_array *keys) {
    for (int i = 0; i < n; i++)
        keys[i] = MX_NULL_ARRAY;
    if (key.id == 0)
        return true;
    mx_array split = mx_random_split(key, n);
    bool ok = mx_is_valid(split);
    for (int i = 0; ok && i < n; i++) {
        mx_array index = mx_scalar_i32(i);
        keys[i] = mx_take(split, index, 0);
        mx_free(index);
        ok = mx_is_valid(keys[i]);
    }
    mx_free(split);
    if (!ok)
        for (int i = 0; i < n; i++) {
            mx_free(keys[i]);
            keys[i] = MX_NULL_ARRAY;
        }
    return ok;
}

mx_array nn_reduce(mx_array loss, mx_nn_reduction reduction, const char *loss_name) {
    switch (reduction) {
    case MX_NN_REDUCTION_NONE: return mx_retain(loss);
    case MX_NN_REDUCTION_MEAN: return mx_mean(loss, false);
    case MX_NN_REDUCTION_SUM: return mx_sum(loss, false);
    }
    return nn_error(MX_ERROR_VALUE, "%s: invalid reduction %d (must be none, mean or sum)", loss_name, (int)reduction);
}

const char *nn_shape_str(mx_array a, char *buf) {
    const int64_t *shape = mx_shape(a);
    if (!shape && mx_ndim(a) != 0) {
        snprintf(buf, MX_SHAPE_STR_CAP, "(invalid)");
        return buf;
    }
    return mx_format_shape(shape, mx_ndim(a), buf, MX_SHAPE_STR_CAP);
}

/* ---- value_and_grad over a tree ---------------------------------------------------- */
typedef struct tree_loss {
    mx_nn_loss_fn fn;
    void *payload;
    const mx_named_arrays *names; /* the names of the inputs, in order */
} tree_loss;

/* The closure: rebuild a tree of the inputs under the parameters' names. */
static mx_status tree_loss_apply(void *payload, const mx_array *inputs, int n_inputs, mx_array_list *outputs) {
    tree_loss *t = payload;
    mx_named_arrays *tree = mx_named_arrays_new();
    if (!tree)
        return MX_ERROR_MEMORY;
    mx_status status = MX_OK;
    for (int i = 0; i < n_inputs && status == MX_OK; i++)
        status = mx_named_arrays_set(tree, mx_named_arrays_name(t->names, i), inputs[i]);
    if (status == MX_OK)
        status = t->fn(t->payload, tree, outputs);
    mx_named_arrays_free(tree);
    return status;
}

mx_status mx_nn_value_and_grad(mx_nn_loss_fn fn, void *payload, const mx_named_arrays *params, mx_array_list *values,
                               mx_named_arrays **grads) {
    if (!fn || !params || !values || !grads)
        return mx_set_error(MX_ERROR_VALUE, "nn.value_and_grad: null function, tree or output");
    *grads = NULL;
    int n = mx_named_arrays_size(params);
    if (n == 0)
        return mx_set_error(MX_ERROR_VALUE, "nn.value_and_grad: the parameter tree is empty");
    tree_loss t = {fn, payload, params};
    int *argnums = malloc((size_t)n * sizeof *argnums);
    mx_array *primals = malloc((size_t)n * sizeof *primals);
    mx_named_arrays *out_grads = mx_named_arrays_new();
    mx_closure f = NULL, vg = NULL;
    mx_array_list outputs = {0};
    mx_status status = MX_OK;
    if (!argnums || !primals || !out_grads) {
        status = mx_set_error(MX_ERROR_MEMORY, "nn.value_and_grad: out of host memory");
        goto done;
    }
    for (int i = 0; i < n; i++) {
        argnums[i] = i;
        primals[i] = mx_named_arrays_at(params, i);
    }
    f = mx_closure_new(tree_loss_apply, &t, NULL);
    vg = f ? mx_value_and_grad(f, argnums, n) : NULL;
    if (!vg) {
        status = mx_last_status();
        goto done;
    }
    status = mx_closure_apply(vg, primals, n, &outputs);
    if (status != MX_OK)
        goto done;
    int n_values = outputs.count - n;
    for (int i = 0; i < n && status == MX_OK; i++)
        status = mx_named_arrays_set(out_grads, mx_named_arrays_name(params, i), outputs.items[n_values + i]);
    for (int i = 0; i < n_values && status == MX_OK; i++)
        status = mx_array_list_push(values, mx_retain(outputs.items[i]));
done:
    mx_array_list_clear(&outputs);
    mx_closure_free(vg);
    mx_closure_free(f);
    free(argnums);
    free(primals);
    if (status == MX_OK)
        *grads = out_grads;
    else
        mx_named_arrays_free(out_grads);
    return status;
}

mx_status mx_nn_eval(const mx_named_arrays *tree) {
    int n = mx_named_arrays_size(tree);
    if (n == 0)
        return MX_OK;
    mx_array *arrays = malloc((size_t)n * sizeof *arrays);
    if (!arrays)
        return mx_set_error(MX_ERROR_MEMORY, "nn.eval: out of host memory");
    for (int i = 0; i < n; i++)
        arrays[i] = mx_named_arrays_at(tree, i);
    mx_status status = mx_eval(arrays, n);
    free(arrays);
    return status;
}

int64_t mx_nn_num_parameters(const mx_named_arrays *tree) {
    int64_t total = 0;
    for (int i = 0; i < mx_named_arrays_size(tree); i++)
        total += mx_size(mx_named_arrays_at(tree, i));
    return total;
}
