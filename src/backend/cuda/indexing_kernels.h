/* backend/cuda/indexing_kernels.h - launchers of the indexing, creation and
 * scan kernels (indexing.cu), called by their C glue (indexing.c). Plain C:
 * device pointers, counts and byte strides in, 0 out (negative: no kernel
 * for that combination, the glue runs the CPU kernel). Asynchronous on
 * `stream`. Layouts (cuda_layout) here always carry the dims explicitly
 * (never the "contiguous, no layout" shortcut of the element-wise ones) and
 * their strides are in BYTES unless a launcher says otherwise. */
#ifndef CMLX_BACKEND_CUDA_INDEXING_KERNELS_H
#define CMLX_BACKEND_CUDA_INDEXING_KERNELS_H

#include "backend/cuda/cuda_kernels.h"

#ifdef __cplusplus
extern "C" {
#endif

/* offs[p] = (first ? 0 : offs[p]) + v * stride for each of the `count`
 * positions p (row-major over walk's shape; walk operand 0: the index
 * array's ELEMENT strides), v the index wrapped once when negative; an index
 * outside [0, dim - extent] counts as 0 and sets *bad. */
int cuda_launch_index_offsets(int idx_dtype, const void *idx, const cuda_layout *walk, int64_t count, int64_t dim,
                              int64_t extent, int64_t stride, int first, int64_t *offs, int *bad, cuda_stream stream);

/* Slab gather (take, gather): out (contiguous) = positions x slab units,
 * position p = (o, j) with o = p / nidx, j = p % nidx: out[p, s] =
 * src[outer(o) + offs[j] + slab(s)]. outer: 1 operand over the outer dims
 * (ndim 0: none); slab: 1 operand over the slab dims in units of `unit`
 * bytes (1, 2, 4, 8 or 16; every offset a multiple of it). */
int cuda_launch_gather_slabs(void *out, const void *src, const int64_t *offs, int64_t nidx, int64_t positions,
                             int64_t slab_units, int unit, const cuda_layout *outer, const cuda_layout *slab,
                             cuda_stream stream);

/* take_along_axis: over out's shape (lay: 0 = out, 1 = a with the axis
 * stride 0, 2 = the indices; bytes), out = a[off1 + v * axis_stride]. */
int cuda_launch_take_along_axis(int idx_dtype, int elem_size, void *out, const void *a, const void *idx, int64_t n,
                                const cuda_layout *lay, int64_t dim, int64_t axis_stride, int *bad, cuda_stream stream);

/* Combining updates into out (row-contiguous, of `dtype`); reduce is an
 * mx_scatter_reduce. Positions p < count (slabs of `slab` elements): the
 * destination is out + offs[p] + slab op 0, the update upd + pos(p) + slab
 * op 1 (pos: 1 operand over the index dims). NONE: `winner` (int32, one per
 * element of out, all -1) picks the last position per element (two passes
 * inside). Others: atomics (sum, prod, max, min as the CPU's combiners).
 * offs_align: a byte count every offs[p] is a multiple of. */
int cuda_launch_scatter(int dtype, int reduce, void *out, const void *upd, const int64_t *offs, int64_t count,
                        int64_t slab, const cuda_layout *pos, const cuda_layout *slab_lay, int64_t offs_align,
                        int *winner, cuda_stream stream);

/* scatter_axis over the indices' shape (lay: 0 = out with the axis stride
 * 0, 1 = the indices, 2 = the values; bytes): out[off0 + v * axis_stride]
 * combined with the value (reduce NONE with `winner` as above, or SUM). */
int cuda_launch_scatter_axis(int dtype, int idx_dtype, int reduce, void *out, const void *idx, const void *val,
                             int64_t n, const cuda_layout *lay, int64_t dim, int64_t axis_stride, int *winner,
                             int *bad, cuda_stream stream);

/* slice_update with a reduction: over the update's shape (lay: 0 = the box
 * in out, 1 = the update; bytes) out = combine(out, update) with
 * NaN-propagating max/min (no two elements share a destination). */
int cuda_launch_combine(int dtype, int reduce, void *out, const void *upd, int64_t n, const cuda_layout *lay,
                        cuda_stream stream);

/* Strided copy of elem_size-byte elements over lay (0 = dst, 1 = src; bytes). */
int cuda_launch_copy_bytes(int elem_size, void *dst, const void *src, int64_t n, const cuda_layout *lay,
                           cuda_stream stream);

/* ---- creation ---- */
/* out[i] = the elem_size-byte pattern. */
int cuda_launch_fill(void *out, int64_t n, int elem_size, const void *pattern, cuda_stream stream);
/* arange with MLX's accumulation in the output type (see the CPU kernel). */
int cuda_launch_arange(int dtype, void *out, int64_t n, double start, double step, cuda_stream stream);
int cuda_launch_linspace(int dtype, void *out, int64_t n, double start, double stop, cuda_stream stream);
/* (rows, cols): one where col - row == k, else zero. */
int cuda_launch_eye(int dtype, void *out, int64_t rows, int64_t cols, int k, cuda_stream stream);

/* ---- scans ---- */
/* kind: 0 sum, 1 prod, 2 max, 3 min, 4 logaddexp. in/out (outer, n, inner)
 * row-contiguous, of `dtype` (the input already has the output's dtype);
 * `init` the identity as bytes of dtype (exclusive scans). */
int cuda_launch_scan(int kind, int dtype, void *out, const void *in, int64_t outer, int64_t n, int64_t inner,
                     int reverse, int inclusive, const void *init, cuda_stream stream);

/* ---- sort (sort.cu): sort / argsort (arg: uint32 indices) along n of a
 * row-contiguous (outer, n, inner) input, the CPU's stable key order ---- */
size_t cuda_sort_scratch_bytes(int dtype, int64_t rows, int64_t n);
int cuda_launch_sort(int dtype, int arg, void *out, const void *in, int64_t outer, int64_t n, int64_t inner,
                     void *scratch, size_t scratch_bytes, cuda_stream stream);

/* ---- random (random.cu): the CPU kernels' Threefry stream and float steps ---- */
/* key: uint32 (2,) on the device, element stride key_stride. */
int cuda_launch_random_bits(void *out, int64_t nbytes, const void *key, int64_t key_stride, cuda_stream stream);
/* lay over out's shape: 1 = low, 2 = high (element strides, out's dtype). */
int cuda_launch_random_uniform(int dtype, void *out, int64_t n, const void *key, int64_t key_stride, const void *lo,
                               const void *hi, const cuda_layout *lay, cuda_stream stream);
/* applied = sqrt(2) * scale and loc as the CPU computes them (float32 for
 * float16/bfloat16/float32 outputs, double for float64). */
int cuda_launch_random_normal(int dtype, void *out, int64_t n, const void *key, int64_t key_stride, float applied,
                              float loc, double applied64, double loc64, int add_loc, cuda_stream stream);

#ifdef __cplusplus
}
#endif

#endif
