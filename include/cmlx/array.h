/* cmlx/array.h - the array handle, dtypes, creation, queries, evaluation,
 * lifetimes (free, scopes) and errors.
 *
 * Every function that returns an mx_array returns a NEW reference that the
 * caller owns: release it with mx_free (freeing a null or already freed
 * handle is harmless) or let an enclosing scope release it.
 *
 * Errors never abort the process. An op given bad input returns an *error
 * array*: a handle that carries the status and message. Ops given an error
 * array return a new error array with the same message, so a chain of ops
 * can be checked once, at mx_eval or with mx_array_status. The text of the
 * most recent error on this thread is mx_last_error(). */
#ifndef CMLX_ARRAY_H
#define CMLX_ARRAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cmlx/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Element types, in MLX's order. Append-only: values never change. */
typedef enum mx_dtype {
    MX_BOOL = 0,
    MX_UINT8,
    MX_UINT16,
    MX_UINT32,
    MX_UINT64,
    MX_INT8,
    MX_INT16,
    MX_INT32,
    MX_INT64,
    MX_FLOAT16,
    MX_FLOAT32,
    MX_FLOAT64,
    MX_BFLOAT16,
    MX_COMPLEX64,
    MX_DTYPE_COUNT
} mx_dtype;

/* Status codes. Append-only. The Python bindings map VALUE to ValueError,
 * TYPE to TypeError, INDEX to IndexError, MEMORY to MemoryError. */
typedef enum mx_status {
    MX_OK = 0,
    MX_ERROR_VALUE,       /* bad shape, axis or argument value */
    MX_ERROR_TYPE,        /* dtype not supported by the op */
    MX_ERROR_INDEX,       /* index out of range */
    MX_ERROR_MEMORY,      /* allocation failed or memory limit exceeded */
    MX_ERROR_HANDLE,      /* null or freed array handle */
    MX_ERROR_UNSUPPORTED, /* no kernel for this op/dtype on this device */
    MX_ERROR_IO,          /* file errors */
    MX_ERROR_INTERNAL     /* a bug in cmlx: please report */
} mx_status;

/* An opaque handle to a node of the lazy graph. The zero value is the null
 * handle. Copying the struct does not add a reference. */
typedef struct mx_array {
    uint64_t id;
} mx_array;

#define MX_NULL_ARRAY ((mx_array){0})

/* Upper bound on rank, as a guard against corrupt input. */
#define MX_MAX_NDIM 32

/* ---- dtypes ------------------------------------------------------------ */
MX_API const char *mx_dtype_name(mx_dtype dtype); /* "float32" */
MX_API size_t mx_dtype_size(mx_dtype dtype);      /* bytes per element */
MX_API bool mx_dtype_is_float(mx_dtype dtype);    /* float16/32/64, bfloat16 */
MX_API bool mx_dtype_is_integer(mx_dtype dtype);  /* signed or unsigned ints */
MX_API bool mx_dtype_is_signed(mx_dtype dtype);
MX_API mx_dtype mx_promote_types(mx_dtype a, mx_dtype b); /* MLX's table */

/* ---- creation (these produce evaluated arrays) --------------------------- */
/* Copies `data` (row-major, ndim dims of `shape`, elements of `dtype`). */
MX_API mx_array mx_array_from_data(const void *data, const int64_t *shape, int ndim, mx_dtype dtype);
/* Zero-copy: the array reads `data` in place and calls deleter(data, ctx)
 * when the last reference is gone. cmlx never writes into wrapped data. */
typedef void (*mx_deleter)(void *data, void *ctx);
MX_API mx_array mx_array_wrap(void *data, const int64_t *shape, int ndim, mx_dtype dtype, mx_deleter deleter,
                              void *ctx);
/* 0-d arrays. mx_scalar converts `value` to `dtype` like astype would. */
MX_API mx_array mx_scalar(double value, mx_dtype dtype);
MX_API mx_array mx_scalar_f32(float value);
MX_API mx_array mx_scalar_f64(double value);
MX_API mx_array mx_scalar_i32(int32_t value);
MX_API mx_array mx_scalar_i64(int64_t value);
MX_API mx_array mx_scalar_bool(bool value);

/* ---- queries (valid on unevaluated arrays) --------------------------------
 * On an error or null handle: ndim -1, shape NULL, size -1, dtype
 * MX_DTYPE_COUNT. */
MX_API int mx_ndim(mx_array a);
MX_API const int64_t *mx_shape(mx_array a);  /* ndim entries, owned by the array */
MX_API int64_t mx_dim(mx_array a, int axis); /* negative axes count from the end */
MX_API int64_t mx_size(mx_array a);          /* number of elements */
MX_API mx_dtype mx_array_dtype(mx_array a);
MX_API size_t mx_itemsize(mx_array a);
MX_API size_t mx_nbytes(mx_array a);
MX_API bool mx_is_evaluated(mx_array a);
/* Element strides of the evaluated array (evaluates it first); NULL on error. */
MX_API const int64_t *mx_strides(mx_array a);

/* ---- evaluation ---------------------------------------------------------- */
MX_API mx_status mx_eval(const mx_array *arrays, int n);
MX_API mx_status mx_eval1(mx_array a);

/* Pointer to the array's elements in row-major contiguous order. Evaluates the
 * array (and makes its storage contiguous if it was a strided view).
 * Returns NULL on error (see mx_last_error). Valid while the array lives. */
MX_API const void *mx_data(mx_array a);
/* Typed variants: also NULL when the dtype differs. */
MX_API const float *mx_data_f32(mx_array a);
MX_API const double *mx_data_f64(mx_array a);
MX_API const int32_t *mx_data_i32(mx_array a);
MX_API const int64_t *mx_data_i64(mx_array a);
MX_API const uint32_t *mx_data_u32(mx_array a);
MX_API const bool *mx_data_bool(mx_array a);
/* Copies all elements, converted to `dtype`, into `dst` (capacity in bytes). */
MX_API mx_status mx_copy_to(mx_array a, void *dst, size_t capacity, mx_dtype dtype);
/* The single element of a size-1 array, converted. */
MX_API mx_status mx_item_f64(mx_array a, double *out);
MX_API mx_status mx_item_i64(mx_array a, int64_t *out);
MX_API mx_status mx_item_f32(mx_array a, float *out);

/* ---- lifetimes ----------------------------------------------------------- */
MX_API void mx_free(mx_array a);
MX_API void mx_free_n(mx_array *arrays, int n);
/* A new handle (new reference) to the same array. */
MX_API mx_array mx_retain(mx_array a);
/* True for a live handle to a non-error array. */
MX_API bool mx_is_valid(mx_array a);

/* Scopes: every handle created on this thread while a scope is the innermost
 * one belongs to it; mx_scope_end frees them all except those kept, which
 * move to the enclosing scope (or become unscoped). Scopes nest. */
typedef struct mx_scope {
    int depth;
} mx_scope;
MX_API mx_scope mx_scope_begin(void);
MX_API mx_array mx_scope_keep(mx_scope scope, mx_array a); /* returns a */
MX_API void mx_scope_end(mx_scope scope);

/* ---- errors -------------------------------------------------------------- */
/* The status of an array: MX_OK for a live non-error array, its error status
 * for an error array, MX_ERROR_HANDLE for null or freed handles. */
MX_API mx_status mx_array_status(mx_array a);
/* The message of an error array (NULL otherwise). */
MX_API const char *mx_array_error(mx_array a);
/* The most recent error on this thread ("" if none), and its status. */
MX_API const char *mx_last_error(void);
MX_API mx_status mx_last_status(void);
MX_API void mx_clear_error(void);
MX_API const char *mx_status_name(mx_status status);

#ifdef __cplusplus
}
#endif
#endif
