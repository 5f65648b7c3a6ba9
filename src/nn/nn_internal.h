/* nn/nn_internal.h - helpers shared by the nn (and optim) sources: error
 * arrays, scalars typed the way MLX types Python scalars, parameter lookup by
 * name, and subkeys for initialisers. */
#ifndef CMLX_NN_INTERNAL_H
#define CMLX_NN_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>

#include "cmlx/cmlx.h"
#include "cmlx/nn.h"
#include "core/error.h"

/* Sets the thread's error and returns an error array carrying it. */
mx_array nn_error(mx_status status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A Python float next to an array, as MLX types it: x's dtype when x is
 * floating, float32 otherwise. */
mx_array nn_float_like(double value, mx_array x);
/* A Python int next to an array: x's own dtype. */
mx_array nn_int_like(double value, mx_array x);

/* "prefix.leaf" (or "leaf" for an empty prefix) into out (MX_NN_NAME_MAX + 64
 * bytes); false (error set, naming `layer`) when it does not fit. */
#define NN_FULL_NAME_MAX (MX_NN_NAME_MAX + 64)
bool nn_join_name(char *out, const char *prefix, const char *leaf, const char *layer);
/* Copies prefix into a layer's prefix field; false (error set) when too long. */
bool nn_set_prefix(char *field, const char *prefix, const char *layer);
/* The parameter "prefix.leaf" of tree (borrowed), or MX_NULL_ARRAY with the
 * error set (naming the layer) when it is missing. */
mx_array nn_param(const mx_named_arrays *params, const char *prefix, const char *leaf, const char *layer);
/* Sets tree["prefix.leaf"] = value and frees value (the tree keeps its own
 * reference). */
mx_status nn_register(mx_named_arrays *params, const char *prefix, const char *leaf, mx_array value, const char *layer);

/* n keys for n draws: MX_NULL_ARRAY each when key is (the global key, which
 * every draw advances, as MLX's layers draw), else the rows of split(key, n).
 * Returns false (error set) on a bad key. The caller frees keys[i]. */
bool nn_subkeys(mx_array key, int n, mx_array *keys);

/* mean / sum / identity of a loss, by reduction. */
mx_array nn_reduce(mx_array loss, mx_nn_reduction reduction, const char *loss_name);

/* "(2,3)" of an array, into buf (MX_SHAPE_STR_CAP bytes). */
const char *nn_shape_str(mx_array a, char *buf);

/* A scope around a function that returns one array: NN_BEGIN opens it,
 * NN_RETURN(expr) keeps the result, closes it and returns. */
#define NN_BEGIN mx_scope nn_scope_ = mx_scope_begin()
#define NN_RETURN(expr)                                                                                                \
    do {                                                                                                               \
        mx_array nn_result_ = (expr);                                                                                  \
        mx_scope_keep(nn_scope_, nn_result_);                                                                          \
        mx_scope_end(nn_scope_);                                                                                       \
        return nn_result_;                                                                                             \
    } while (0)

#endif
