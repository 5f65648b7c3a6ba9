/* cmlx/io.h - loading and saving arrays: .safetensors, .npy, .npz and .gguf,
 * with MLX's layouts, names and metadata.
 *
 * Loading is lazy where the format allows it: the file is memory-mapped
 * (copy-on-write, private) and each array is a node that reads its bytes
 * when it is evaluated (aliasing the mapping when the bytes need no
 * conversion). The mapping stays alive while any array loaded from it does.
 * See docs/io.md.
 *
 * Errors: a file that cannot be opened or is malformed gives MX_ERROR_IO
 * (RuntimeError in Python), an unknown format or unsupported request
 * MX_ERROR_VALUE; the message names the function, the file and what is
 * wrong. Nothing is returned through the out-parameters on failure. */
#ifndef CMLX_IO_H
#define CMLX_IO_H

#include <stdbool.h>
#include <stddef.h>

#include "cmlx/array.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- an ordered name -> array map ----------------------------------------------
 * Names are unique; setting an existing name replaces its array in place. The
 * map owns one reference to each array (set retains, free releases). */
typedef struct mx_named_arrays mx_named_arrays;
MX_API mx_named_arrays *mx_named_arrays_new(void); /* NULL when out of memory */
MX_API void mx_named_arrays_free(mx_named_arrays *map);
MX_API mx_status mx_named_arrays_set(mx_named_arrays *map, const char *name, mx_array array);
MX_API int mx_named_arrays_size(const mx_named_arrays *map);
/* The i-th entry in insertion (for loaded maps: file) order; borrowed. */
MX_API const char *mx_named_arrays_name(const mx_named_arrays *map, int i);
MX_API mx_array mx_named_arrays_at(const mx_named_arrays *map, int i);
/* The array of `name` (borrowed), MX_NULL_ARRAY when absent. */
MX_API mx_array mx_named_arrays_get(const mx_named_arrays *map, const char *name);

/* ---- metadata: an ordered name -> value map ---------------------------------------
 * safetensors holds strings only; gguf holds strings, lists of strings and
 * numbers (0-d arrays) or lists of numbers (1-d arrays), as MLX returns them. */
typedef enum mx_metadata_kind { MX_METADATA_STRING, MX_METADATA_STRINGS, MX_METADATA_ARRAY } mx_metadata_kind;
typedef struct mx_metadata mx_metadata;
MX_API mx_metadata *mx_metadata_new(void);
MX_API void mx_metadata_free(mx_metadata *meta);
MX_API mx_status mx_metadata_set_string(mx_metadata *meta, const char *name, const char *value);
MX_API mx_status mx_metadata_set_strings(mx_metadata *meta, const char *name, const char *const *values, int n);
MX_API mx_status mx_metadata_set_array(mx_metadata *meta, const char *name, mx_array value); /* retains */
MX_API int mx_metadata_size(const mx_metadata *meta);
MX_API const char *mx_metadata_name(const mx_metadata *meta, int i);
MX_API mx_metadata_kind mx_metadata_kind_at(const mx_metadata *meta, int i);
MX_API const char *mx_metadata_string(const mx_metadata *meta, int i);            /* STRING */
MX_API int mx_metadata_strings_count(const mx_metadata *meta, int i);             /* STRINGS */
MX_API const char *mx_metadata_strings_at(const mx_metadata *meta, int i, int j); /* STRINGS */
MX_API mx_array mx_metadata_array(const mx_metadata *meta, int i);                /* ARRAY, borrowed */
/* Index of `name`, or -1. */
MX_API int mx_metadata_find(const mx_metadata *meta, const char *name);

/* ---- safetensors -----------------------------------------------------------------
 * Dtypes: bool, (u)int8-64, float16, bfloat16, float32, complex64 (float64 is
 * refused both ways, as MLX does). metadata may be NULL (load: not wanted;
 * save: written as null). Metadata values must be strings. */
MX_API mx_status mx_load_safetensors(const char *path, mx_named_arrays **arrays, mx_metadata **metadata);
/* Appends ".safetensors" to path when it lacks that extension, as MLX. */
MX_API mx_status mx_save_safetensors(const char *path, const mx_named_arrays *arrays, const mx_metadata *metadata);

/* ---- .npy / .npz -------------------------------------------------------------------
 * mx_save writes one array in .npy format (appending ".npy" when missing). */
MX_API mx_array mx_load_npy(const char *path); /* an error array on failure */
MX_API mx_status mx_save(const char *path, mx_array array);
/* .npz: a zip of .npy members named "<name>.npy"; compressed uses deflate. */
MX_API mx_status mx_load_npz(const char *path, mx_named_arrays **arrays);
MX_API mx_status mx_savez(const char *path, const mx_named_arrays *arrays, bool compressed);

/* ---- gguf ---------------------------------------------------------------------------
 * Load: F32, F16, I8, I16, I32 tensors as they are; BF16 as float16 (as MLX);
 * Q4_0, Q4_1, Q8_0 tensors as MLX's affine quantized triple "<base>.weight"
 * (uint32 packed), "<base>.scales", "<base>.biases" (float16, group size 32),
 * where <base> is the name without its ".weight" suffix.
 * Save: float32, float16, int8, int16, int32 arrays; metadata of strings, lists
 * of strings and 0-d/1-d arrays. */
MX_API mx_status mx_load_gguf(const char *path, mx_named_arrays **arrays, mx_metadata **metadata);
MX_API mx_status mx_save_gguf(const char *path, const mx_named_arrays *arrays, const mx_metadata *metadata);

/* ---- by format ------------------------------------------------------------------------
 * format: "npy", "npz", "safetensors", "gguf", or NULL to take it from the
 * file's extension. npy fills *array; the others fill *arrays (and *metadata
 * when metadata is not NULL: an error for npy and npz, as MLX). */
MX_API mx_status mx_load(const char *path, const char *format, mx_array *array, mx_named_arrays **arrays,
                         mx_metadata **metadata);
/* The same from bytes in memory (copied once; the arrays keep the copy alive). */
MX_API mx_status mx_load_memory(const void *data, size_t size, const char *format, mx_array *array,
                                mx_named_arrays **arrays, mx_metadata **metadata);
/* Serialise into a new malloc'd block (*data, *size; release with free()):
 * format "npy" writes `array`; "npz" writes `arrays` (compressed or not);
 * "safetensors" and "gguf" write `arrays` and `metadata`. */
MX_API mx_status mx_save_memory(const char *format, mx_array array, const mx_named_arrays *arrays,
                                const mx_metadata *metadata, bool compressed, void **data, size_t *size);

#ifdef __cplusplus
}
#endif

#endif
