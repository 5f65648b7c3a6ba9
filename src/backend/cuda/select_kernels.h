/* backend/cuda/select_kernels.h - launchers of select.cu (partition and
 * argpartition, searchsorted, the masked ops, pad, float arange,
 * hadamard_transform, and the row copies of gather_mm), called by their C
 * glue (select.c). Plain C: device pointers, counts and ELEMENT strides in,
 * 0 out (negative: no kernel for that combination, the glue runs the CPU
 * kernel). Asynchronous on `stream`. */
#ifndef CMLX_BACKEND_CUDA_SELECT_KERNELS_H
#define CMLX_BACKEND_CUDA_SELECT_KERNELS_H

#include "backend/cuda/cuda_kernels.h"

#ifdef __cplusplus
extern "C" {
#endif

/* partition / argpartition of each row of a row-contiguous (outer, n,
 * inner) input along n, into out of the same shape (argpartition: uint32
 * indices): a radix select finds the kth (key, index) of the row, then the
 * row is written stably as [keys below the kth's | keys equal to it, in
 * index order | keys above]. n < 2^31. */
int cuda_launch_partition(int dtype, int arg, void *out, const void *in, int64_t outer, int64_t n, int64_t inner,
                          int64_t kth, cuda_stream stream);

/* out (count, uint32, row-major over lay's shape) = std::lower_bound
 * (right: upper_bound) of each value in the sorted sequence seq (m
 * elements, element stride seq_stride) by the CPU's keys. lay: operand 0 =
 * out (row-contiguous), operand 1 = the values; lay->ndim 0: both
 * contiguous. */
int cuda_launch_searchsorted(int dtype, uint32_t *out, const void *seq, int64_t m, int64_t seq_stride,
                             const void *values, int64_t count, const cuda_layout *lay, int right, cuda_stream stream);

/* Mask positions: ranks[p] = the number of true positions before p (int32;
 * count < 2^31) over the mask (bool, row-major over lay's shape: operand 0
 * the flags, operand 1 the mask; lay->ndim 0: contiguous). *flags: the
 * mask's bytes in row-major order (the mask itself when contiguous, else
 * flags_buf, count bytes, filled with 0/1). scratch:
 * cuda_mask_scan_scratch_bytes(count). */
size_t cuda_mask_scan_scratch_bytes(int64_t count);
int cuda_launch_mask_scan(const void *mask, int64_t count, const cuda_layout *lay, unsigned char *flags_buf,
                          const unsigned char **flags, int32_t *ranks, void *scratch, size_t scratch_bytes,
                          cuda_stream stream);

/* masked_scatter: out (positions x slab elements of elem_size bytes, holding
 * a already) at each selected position p takes slab ranks[p] of src (1-D,
 * element stride src_stride). */
int cuda_launch_masked_scatter(int elem_size, void *out, const void *src, int64_t src_stride,
                               const unsigned char *flags, const int32_t *ranks, int64_t positions, int64_t slab,
                               cuda_stream stream);

/* masked_select: out (n elements, zeroed already) at ranks[p] * slab + s
 * takes cot's element (p, s) of each selected position p while it is < n.
 * lay: operand 0 unused (row-major), operand 1 cot's element strides over
 * cot's shape (positions x slab, dims kept). */
int cuda_launch_masked_select(int elem_size, void *out, int64_t n, const void *cot, const cuda_layout *lay,
                              int64_t total, const unsigned char *flags, const int32_t *ranks, int64_t slab,
                              cuda_stream stream);

/* pad (constant): out (row-contiguous, shape) = value outside the interior,
 * x inside it: out[c] = x[c - low] for low <= c < low + xshape per dim.
 * x_strides in elements; value: one element on the device. */
int cuda_launch_pad(int elem_size, void *out, const void *x, const void *value, int ndim, const int64_t *shape,
                    const int64_t *low, const int64_t *xshape, const int64_t *x_strides, cuda_stream stream);

/* float arange (float16/32/64, bfloat16): MLX's sequential accumulation in
 * the output type, on one thread: v0 = T(start), v(i+1) = T(v(i) + step)
 * with step = T(T(start + step) - T(start)). */
int cuda_launch_arange_float(int dtype, void *out, int64_t n, double start, double step, cuda_stream stream);

/* hadamard_transform of rows of n = m * 2^k elements (row-contiguous in, out
 * of their dtypes): H_{2^k} butterflies on each of the m chunks, then H_m
 * (signs: bit l of signs[i] set = '-') across the chunks, then * scale,
 * all in float32 as the CPU kernel. */
int cuda_launch_hadamard(int in_dtype, int out_dtype, void *out, const void *in, int64_t rows, int64_t n, int m,
                         const uint32_t *signs, float scale, cuda_stream stream);

/* dst block (dst_idx ? dst_idx[j] : j) = src block (src_idx ? src_idx[j] :
 * j) for j < count; blocks of block_bytes bytes (gather_mm's operand and
 * result rows). */
int cuda_launch_copy_blocks(void *dst, const void *src, const uint32_t *dst_idx, const uint32_t *src_idx, int64_t count,
                            int64_t block_bytes, cuda_stream stream);

#ifdef __cplusplus
}
#endif

#endif
