/* backend/cuda/cuda_backend.c - the CUDA backend: device, stream, buffer
 * residency, the caching device allocator, and the glue from graph nodes to
 * the kernels of the .cu files.
 *
 * Residency: a buffer's `valid` bits say where its value is. A GPU kernel
 * asks for its inputs' device copies (cuda_node_ptr: uploaded through pinned
 * staging only when the device copy is missing or stale) and writes a
 * device-only output; host readers go through mx_buffer_ensure_host, which
 * calls back here to download. Everything runs on one stream, so a freed
 * device block can be reused by the next kernel without waiting.
 *
 * Allocator: free lists by size class (four per power of two), as the host
 * allocator. When cudaMalloc fails or the GPU memory limit would be passed:
 * the cache is emptied; then least-recently-used device copies whose host
 * copy is valid are dropped; then device-only buffers are written back to
 * the host and dropped; then the op fails with MX_ERROR_MEMORY. Buffers the
 * current kernel uses are never evicted (their tick is the current one). */
#include "backend/cuda/cuda_backend.h"
#include "backend/cuda/graph.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmlx/device.h"
#include "core/half.h"

#define DEV_ALIGN 256
#define DEV_NUM_CLASSES 256
#define STAGING_CHUNK ((size_t)8 << 20)

typedef struct dev_block {
    struct dev_block *next;
    void *ptr;
    size_t capacity;
} dev_block;

static struct {
    pthread_mutex_t lock;
    int device;
    char name[256];
    cudaStream_t stream;
    /* allocator */
    dev_block *free_lists[DEV_NUM_CLASSES];
    size_t active, peak, cached, memory_limit, cache_limit, total_memory;
    /* residency: buffers with a device copy, least recently used first */
    mx_buffer *lru_head, *lru_tail;
    uint64_t tick; /* advanced per kernel: buffers touched at `tick` are in use */
    /* pinned staging, two chunks so a copy and a memcpy overlap */
    void *staging[2];
    cudaEvent_t staging_done[2];
} g_cuda;

static mx_backend g_backend = {.name = "cuda"};

cudaStream_t cuda_stream_get(void) { return g_cuda.stream; }
void cuda_backend_lock(void) { pthread_mutex_lock(&g_cuda.lock); }
void cuda_backend_unlock(void) { pthread_mutex_unlock(&g_cuda.lock); }

mx_status cuda_check(cudaError_t err, const char *op, const char *what) {
    if (err == cudaSuccess)
        return MX_OK;
    cudaGetLastError(); /* clear a non-sticky error */
    if (err == cudaErrorMemoryAllocation)
        return mx_set_error(MX_ERROR_MEMORY, "%s: out of GPU memory (%s)", op, what);
    return mx_set_error(MX_ERROR_INTERNAL, "%s: CUDA error in %s: %s", op, what, cudaGetErrorString(err));
}

/* ---- size classes ------------------------------------------------------------------- */

static int dev_size_class(size_t n, size_t *capacity) {
    if (n <= DEV_ALIGN) {
        *capacity = DEV_ALIGN;
        return 0;
    }
    int log2_floor = 63 - __builtin_clzll((unsigned long long)(n - 1));
    size_t base = (size_t)1 << log2_floor;
    size_t quarter = base / 4;
    size_t steps = (n - base + quarter - 1) / quarter;
    *capacity = base + steps * quarter;
    int cls = (log2_floor - 8) * 4 + (int)steps;
    if (cls >= DEV_NUM_CLASSES) {
        *capacity = n;
        return DEV_NUM_CLASSES - 1;
    }
    return cls;
}

static void trim_cache_locked(size_t target) {
    for (int cls = DEV_NUM_CLASSES - 1; cls >= 0 && g_cuda.cached > target; cls--) {
        while (g_cuda.free_lists[cls] && g_cuda.cached > target) {
            dev_block *b = g_cuda.free_lists[cls];
            g_cuda.free_lists[cls] = b->next;
            g_cuda.cached -= b->capacity;
            cuda_graph_interrupt(); /* cudaFree waits for the device */
            cudaFree(b->ptr);
            free(b);
        }
    }
}

/* ---- LRU list ------------------------------------------------------------------------- */

static void lru_unlink(mx_buffer *b) {
    if (b->lru_prev)
        b->lru_prev->lru_next = b->lru_next;
    else if (g_cuda.lru_head == b)
        g_cuda.lru_head = b->lru_next;
    if (b->lru_next)
        b->lru_next->lru_prev = b->lru_prev;
    else if (g_cuda.lru_tail == b)
        g_cuda.lru_tail = b->lru_prev;
    b->lru_prev = b->lru_next = NULL;
}

static void lru_touch(mx_buffer *b) {
    b->device_tick = g_cuda.tick;
    if (g_cuda.lru_tail == b)
        return;
    lru_unlink(b);
    b->lru_prev = g_cuda.lru_tail;
    if (g_cuda.lru_tail)
        g_cuda.lru_tail->lru_next = b;
    g_cuda.lru_tail = b;
    if (!g_cuda.lru_head)
        g_cuda.lru_head = b;
}

static void dev_block_release_locked(void *ptr, size_t capacity) {
    size_t class_capacity;
    int cls = dev_size_class(capacity, &class_capacity);
    g_cuda.active -= capacity;
    dev_block *block = NULL;
    if (class_capacity == capacity && capacity <= g_cuda.cache_limit)
        block = malloc(sizeof *block);
    if (!block) {
        cuda_graph_interrupt();
        cudaFree(ptr);
        return;
    }
    block->ptr = ptr;
    block->capacity = capacity;
    block->next = g_cuda.free_lists[cls];
    g_cuda.free_lists[cls] = block;
    g_cuda.cached += capacity;
    if (g_cuda.cached > g_cuda.cache_limit)
        trim_cache_locked(g_cuda.cache_limit);
}

static void drop_device_copy_locked(mx_buffer *b) {
    lru_unlink(b);
    dev_block_release_locked(b->device_ptr, b->device_capacity);
    b->device_ptr = NULL;
    b->device_capacity = 0;
    b->valid &= ~(unsigned)MX_VALID_DEVICE;
}

static mx_status download_locked(mx_buffer *b);

/* Free device memory by dropping device copies not used by the current
 * kernel: first those with a valid host copy, then (writing them back)
 * device-only ones. Returns true if anything was freed. */
static bool evict_locked(size_t want) {
    size_t freed = 0;
    cuda_graph_interrupt();
    cudaStreamSynchronize(g_cuda.stream); /* no queued kernel may still read them */
    for (int pass = 0; pass < 2 && freed < want; pass++) {
        mx_buffer *b = g_cuda.lru_head;
        while (b && freed < want) {
            mx_buffer *next = b->lru_next;
            bool in_use = b->device_tick == g_cuda.tick;
            if (!in_use && (pass == 1 || (b->valid & MX_VALID_HOST))) {
                if (!(b->valid & MX_VALID_HOST)) {
                    /* write back first; give up on this one if the host is full */
                    if (mx_buffer_ensure_host(b, "gpu eviction") != MX_OK) {
                        b = next;
                        continue;
                    }
                }
                freed += b->device_capacity;
                drop_device_copy_locked(b);
            }
            b = next;
        }
    }
    return freed > 0;
}

static void *dev_alloc_locked(size_t nbytes, const char *op, size_t *capacity_out) {
    size_t capacity;
    int cls = dev_size_class(nbytes ? nbytes : 1, &capacity);
    void *ptr = NULL;
    if (g_cuda.free_lists[cls] && g_cuda.free_lists[cls]->capacity == capacity) {
        dev_block *b = g_cuda.free_lists[cls];
        g_cuda.free_lists[cls] = b->next;
        g_cuda.cached -= b->capacity;
        ptr = b->ptr;
        free(b);
    }
    for (int attempt = 0; !ptr && attempt < 3; attempt++) {
        if (g_cuda.active + capacity > g_cuda.memory_limit) {
            if (attempt == 0 || !evict_locked(g_cuda.active + capacity - g_cuda.memory_limit))
                if (attempt > 0)
                    break;
            if (g_cuda.active + capacity > g_cuda.memory_limit)
                continue;
        }
        if (g_cuda.active + g_cuda.cached + capacity > g_cuda.memory_limit)
            trim_cache_locked(g_cuda.memory_limit - g_cuda.active - capacity);
        cudaError_t err = cudaMalloc(&ptr, capacity);
        if (err == cudaSuccess)
            break;
        cudaGetLastError();
        ptr = NULL;
        trim_cache_locked(0);
        if (attempt >= 1 && !evict_locked(capacity))
            break;
    }
    if (!ptr) {
        mx_set_error(MX_ERROR_MEMORY,
                     "%s: out of GPU memory allocating %zu bytes (%zu bytes active, limit %zu); "
                     "device copies that could be moved to the host were evicted first",
                     op, nbytes, g_cuda.active, g_cuda.memory_limit);
        return NULL;
    }
    g_cuda.active += capacity;
    if (g_cuda.active > g_cuda.peak)
        g_cuda.peak = g_cuda.active;
    *capacity_out = capacity;
    return ptr;
}

void *cuda_scratch_alloc(size_t nbytes, const char *op, size_t *capacity) {
    pthread_mutex_lock(&g_cuda.lock);
    void *p = dev_alloc_locked(nbytes, op, capacity);
    pthread_mutex_unlock(&g_cuda.lock);
    return p;
}

void cuda_scratch_free(void *ptr, size_t capacity) {
    if (!ptr)
        return;
    pthread_mutex_lock(&g_cuda.lock);
    dev_block_release_locked(ptr, capacity); /* stream order keeps a later reuse safe */
    pthread_mutex_unlock(&g_cuda.lock);
}

/* ---- transfers through pinned staging -------------------------------------------------- */

static mx_status staging_init_locked(void) {
    if (g_cuda.staging[0])
        return MX_OK;
    for (int k = 0; k < 2; k++) {
        if (cudaHostAlloc(&g_cuda.staging[k], STAGING_CHUNK, cudaHostAllocDefault) != cudaSuccess ||
            cudaEventCreateWithFlags(&g_cuda.staging_done[k], cudaEventDisableTiming) != cudaSuccess) {
            cudaGetLastError();
            return mx_set_error(MX_ERROR_MEMORY, "gpu: cannot allocate pinned staging memory");
        }
    }
    return MX_OK;
}

/* Small uploads (scalars, a step's constants: hundreds per training step)
 * go through a ring of pinned memory without waiting for the GPU: the
 * staging chunks' events make every upload wait until the GPU has finished
 * the work queued before the previous one, so the host could never run more
 * than one upload ahead. A ring segment is reused one lap later, after its
 * event (recorded when the ring left it) has completed. */
#define RING_BYTES ((size_t)4 << 20)
#define RING_SEGMENTS 16
#define RING_SEGMENT (RING_BYTES / RING_SEGMENTS)
#define RING_UPLOAD_MAX ((size_t)64 << 10)
static struct {
    char *mem;
    cudaEvent_t left[RING_SEGMENTS];
    size_t segment, offset; /* the next free byte: offset within segment */
} g_ring;

static mx_status upload_small_locked(mx_buffer *b, const char *op) {
    cudaError_t err = cudaSuccess;
    if (!g_ring.mem) {
        err = cudaHostAlloc((void **)&g_ring.mem, RING_BYTES, cudaHostAllocDefault);
        for (int k = 0; err == cudaSuccess && k < RING_SEGMENTS; k++)
            err = cudaEventCreateWithFlags(&g_ring.left[k], cudaEventDisableTiming);
        if (err != cudaSuccess)
            return cuda_check(err, op, "allocating pinned upload memory");
    }
    size_t need = (b->nbytes + 255) & ~(size_t)255;
    if (g_ring.offset + need > RING_SEGMENT) { /* next segment: its copies of one lap ago must be done */
        err = cudaEventRecord(g_ring.left[g_ring.segment], g_cuda.stream);
        g_ring.segment = (g_ring.segment + 1) % RING_SEGMENTS;
        g_ring.offset = 0;
        if (err == cudaSuccess)
            err = cudaEventSynchronize(g_ring.left[g_ring.segment]); /* never recorded: returns at once */
    }
    char *slot = g_ring.mem + g_ring.segment * RING_SEGMENT + g_ring.offset;
    if (err == cudaSuccess) {
        memcpy(slot, b->ptr, b->nbytes);
        err = cudaMemcpyAsync(b->device_ptr, slot, b->nbytes, cudaMemcpyHostToDevice, g_cuda.stream);
    }
    g_ring.offset += need;
    return cuda_check(err, op, "copying to the GPU");
}

/* host -> device: memcpy a chunk into pinned memory, copy it up
 * asynchronously, and fill the other chunk meanwhile. */
static mx_status upload_locked(mx_buffer *b, const char *op) {
    cuda_graph_interrupt(); /* staging goes through the host */
    if (b->nbytes <= RING_UPLOAD_MAX)
        return upload_small_locked(b, op);
    mx_status st = staging_init_locked();
    if (st != MX_OK)
        return st;
    const char *src = b->ptr;
    char *dst = b->device_ptr;
    for (size_t done = 0, k = 0; done < b->nbytes; done += STAGING_CHUNK, k ^= 1) {
        size_t n = b->nbytes - done < STAGING_CHUNK ? b->nbytes - done : STAGING_CHUNK;
        cudaError_t err = cudaEventSynchronize(g_cuda.staging_done[k]);
        if (err == cudaSuccess) {
            memcpy(g_cuda.staging[k], src + done, n);
            err = cudaMemcpyAsync(dst + done, g_cuda.staging[k], n, cudaMemcpyHostToDevice, g_cuda.stream);
        }
        if (err == cudaSuccess)
            err = cudaEventRecord(g_cuda.staging_done[k], g_cuda.stream);
        if (err != cudaSuccess)
            return cuda_check(err, op, "copying to the GPU");
    }
    return MX_OK;
}

/* device -> host: copy chunk k down while the previous one is memcpy'd out. */
static mx_status download_locked(mx_buffer *b) {
    cuda_graph_interrupt();
    mx_status st = staging_init_locked();
    if (st != MX_OK)
        return st;
    const char *src = b->device_ptr;
    char *dst = b->ptr;
    size_t prev_off = 0, prev_n = 0;
    int prev_k = -1;
    cudaError_t err = cudaSuccess;
    for (size_t done = 0, k = 0; done < b->nbytes && err == cudaSuccess; done += STAGING_CHUNK, k ^= 1) {
        size_t n = b->nbytes - done < STAGING_CHUNK ? b->nbytes - done : STAGING_CHUNK;
        err = cudaEventSynchronize(g_cuda.staging_done[k]);
        if (err == cudaSuccess)
            err = cudaMemcpyAsync(g_cuda.staging[k], src + done, n, cudaMemcpyDeviceToHost, g_cuda.stream);
        if (err == cudaSuccess)
            err = cudaEventRecord(g_cuda.staging_done[k], g_cuda.stream);
        if (err == cudaSuccess && prev_k >= 0) {
            err = cudaEventSynchronize(g_cuda.staging_done[prev_k]);
            if (err == cudaSuccess)
                memcpy(dst + prev_off, g_cuda.staging[prev_k], prev_n);
        }
        prev_k = (int)k;
        prev_off = done;
        prev_n = n;
    }
    if (err == cudaSuccess && prev_k >= 0) {
        err = cudaEventSynchronize(g_cuda.staging_done[prev_k]);
        if (err == cudaSuccess)
            memcpy(dst + prev_off, g_cuda.staging[prev_k], prev_n);
    }
    return cuda_check(err, "data", "copying from the GPU");
}

/* ---- core hooks -------------------------------------------------------------------------- */

static mx_status hook_download(mx_buffer *b) {
    pthread_mutex_lock(&g_cuda.lock);
    mx_status st = download_locked(b);
    pthread_mutex_unlock(&g_cuda.lock);
    return st;
}

static void hook_release_device(mx_buffer *b) {
    pthread_mutex_lock(&g_cuda.lock);
    if (b->device_ptr)
        drop_device_copy_locked(b);
    pthread_mutex_unlock(&g_cuda.lock);
}

#define LOCKED_GET(field)                                                                                              \
    static size_t get_##field(void) {                                                                                  \
        pthread_mutex_lock(&g_cuda.lock);                                                                              \
        size_t v = g_cuda.field;                                                                                       \
        pthread_mutex_unlock(&g_cuda.lock);                                                                            \
        return v;                                                                                                      \
    }
LOCKED_GET(active)
LOCKED_GET(peak)
LOCKED_GET(cached)

static void reset_peak(void) {
    pthread_mutex_lock(&g_cuda.lock);
    g_cuda.peak = g_cuda.active;
    pthread_mutex_unlock(&g_cuda.lock);
}

static size_t set_memory_limit(size_t limit) {
    pthread_mutex_lock(&g_cuda.lock);
    size_t old = g_cuda.memory_limit;
    g_cuda.memory_limit = limit ? limit : g_cuda.total_memory;
    if (g_cuda.active + g_cuda.cached > g_cuda.memory_limit)
        trim_cache_locked(g_cuda.memory_limit > g_cuda.active ? g_cuda.memory_limit - g_cuda.active : 0);
    pthread_mutex_unlock(&g_cuda.lock);
    return old;
}

static size_t set_cache_limit(size_t limit) {
    pthread_mutex_lock(&g_cuda.lock);
    size_t old = g_cuda.cache_limit;
    g_cuda.cache_limit = limit;
    trim_cache_locked(limit);
    pthread_mutex_unlock(&g_cuda.lock);
    return old;
}

static void clear_cache(void) {
    pthread_mutex_lock(&g_cuda.lock);
    trim_cache_locked(0);
    pthread_mutex_unlock(&g_cuda.lock);
}

static const mx_device_memory_hooks k_hooks = {
    .download = hook_download,
    .release_device = hook_release_device,
    .active = get_active,
    .peak = get_peak,
    .reset_peak = reset_peak,
    .cached = get_cached,
    .set_memory_limit = set_memory_limit,
    .set_cache_limit = set_cache_limit,
    .clear_cache = clear_cache,
    .set_tf32 = cuda_matmul_set_tf32,
};

/* ---- node helpers ---------------------------------------------------------------------------- */

mx_status cuda_node_ptr(mx_node *n, const char *op, void **ptr) {
    mx_buffer *b = n->buffer;
    if (!b)
        return mx_set_error(MX_ERROR_INTERNAL, "%s: input has no buffer", op);
    pthread_mutex_lock(&g_cuda.lock);
    mx_status st = MX_OK;
    if (!b->device_ptr) {
        b->valid &= ~(unsigned)MX_VALID_DEVICE;
        b->device_ptr = dev_alloc_locked(b->nbytes, op, &b->device_capacity);
        if (!b->device_ptr)
            st = mx_last_status();
    }
    if (st == MX_OK && !(b->valid & MX_VALID_DEVICE)) {
        st = (b->valid & MX_VALID_HOST) ? upload_locked(b, op) : MX_OK;
        if (st == MX_OK)
            b->valid |= MX_VALID_DEVICE;
    }
    if (st == MX_OK) {
        lru_touch(b);
        *ptr = (char *)b->device_ptr + n->offset * (int64_t)mx_dtype_size(n->dtype);
    }
    pthread_mutex_unlock(&g_cuda.lock);
    return st;
}

mx_status cuda_alloc_output(mx_node *out) {
    size_t nbytes = (size_t)out->size * mx_dtype_size(out->dtype);
    mx_buffer *b = mx_buffer_new_unbacked(nbytes, out->op->name);
    if (!b)
        return mx_last_status();
    pthread_mutex_lock(&g_cuda.lock);
    b->device_ptr = dev_alloc_locked(nbytes, out->op->name, &b->device_capacity);
    if (b->device_ptr) {
        b->valid = MX_VALID_DEVICE;
        lru_touch(b);
    }
    pthread_mutex_unlock(&g_cuda.lock);
    if (!b->device_ptr) {
        mx_buffer_release(b);
        return mx_last_status();
    }
    mx_buffer_release(out->buffer);
    out->buffer = b;
    out->offset = 0;
    mx_row_strides(out->shape, out->ndim, out->strides);
    out->flags |= MX_NODE_ROW_CONTIGUOUS;
    return MX_OK;
}

void cuda_kernel_begin(void) {
    pthread_mutex_lock(&g_cuda.lock);
    g_cuda.tick++;
    pthread_mutex_unlock(&g_cuda.lock);
}

void cuda_output_written(mx_node *out) {
    if (out->buffer)
        out->buffer->valid = MX_VALID_DEVICE;
}

int cuda_collapse(const int64_t *shape, int ndim, const int64_t *const *strides, int nops, cuda_layout *lay) {
    int nd = 0;
    int64_t sh[MX_MAX_NDIM], st[CUDA_MAX_OPERANDS][MX_MAX_NDIM];
    for (int d = 0; d < ndim; d++) {
        if (shape[d] == 1)
            continue;
        bool merge = nd > 0;
        for (int k = 0; k < nops && merge; k++)
            merge = st[k][nd - 1] == strides[k][d] * shape[d];
        if (merge) {
            sh[nd - 1] *= shape[d];
            for (int k = 0; k < nops; k++)
                st[k][nd - 1] = strides[k][d];
        } else {
            sh[nd] = shape[d];
            for (int k = 0; k < nops; k++)
                st[k][nd] = strides[k][d];
            nd++;
        }
    }
    bool contiguous = nd <= 1;
    for (int k = 0; k < nops && contiguous; k++)
        contiguous = nd == 0 || st[k][0] == 1;
    if (contiguous)
        return 0;
    if (nd > CUDA_MAX_DIMS)
        return -1;
    memset(lay, 0, sizeof *lay);
    lay->ndim = nd;
    for (int d = 0; d < nd; d++) {
        lay->shape[d] = sh[d];
        for (int k = 0; k < nops; k++)
            lay->strides[k][d] = st[k][d];
    }
    return 1;
}

/* Host-side fallback for a node this backend cannot run after all. */
static mx_status fallback(mx_node *n) { return mx_run_cpu_kernel(n); }

static mx_status launch_result(mx_node *n, int rc) {
    if (rc < 0)
        return fallback(n);
    cudaError_t err = cudaGetLastError();
    if (err != cudaSuccess)
        return cuda_check(err, n->op->name, "a kernel launch");
    cuda_output_written(n);
    return MX_OK;
}

/* ---- element-wise kernels ----------------------------------------------------------------- */

/* The strides of n as its consumer sees them (broadcast dims have stride 0). */
static mx_status prepare_inputs(mx_node *out, void **ptrs, int *scalar) {
    g_cuda.tick++;
    for (int i = 0; i < out->n_inputs; i++) {
        mx_status st = cuda_node_ptr(out->inputs[i], out->op->name, &ptrs[i]);
        if (st != MX_OK)
            return st;
        if (scalar) {
            bool all_zero = true;
            for (int d = 0; d < out->inputs[i]->ndim; d++)
                all_zero &= out->inputs[i]->strides[d] == 0 || out->inputs[i]->shape[d] == 1;
            scalar[i] = all_zero;
        }
    }
    return MX_OK;
}

/* Output: donate input `donor` when possible (its device copy becomes the
 * output's), else a fresh device buffer. */
static mx_status prepare_output(mx_node *out, int donor) {
    if (donor >= 0) {
        mx_node *in = out->inputs[donor];
        if (in->buffer && in->buffer->device_ptr && (in->buffer->valid & MX_VALID_DEVICE) &&
            mx_node_try_donate(out, donor))
            return MX_OK;
    }
    return cuda_alloc_output(out);
}

static mx_status unary_kernel(mx_node *out) {
    mx_node *in = out->inputs[0];
    if (out->op->id == MX_OP_round && ((const mx_round_params *)mx_node_params(out))->decimals != 0)
        return fallback(out);
    void *src;
    mx_status st = prepare_inputs(out, &src, NULL);
    cuda_layout lay;
    const int64_t *strides[2] = {out->strides, in->strides};
    int64_t row[MX_MAX_NDIM];
    mx_row_strides(out->shape, out->ndim, row);
    strides[0] = row;
    int kind = cuda_collapse(out->shape, out->ndim, strides, 2, &lay);
    if (st != MX_OK)
        return st;
    if (kind < 0)
        return fallback(out);
    bool same_size = mx_dtype_size(in->dtype) == mx_dtype_size(out->dtype);
    st = prepare_output(out, kind == 0 && same_size ? 0 : -1);
    if (st != MX_OK || out->size == 0)
        return st;
    void *dst = (char *)out->buffer->device_ptr;
    double scale64 = 0;
    float scale = 0;
    if (out->op->id == MX_OP_degrees || out->op->id == MX_OP_radians) {
        const double pi = 3.14159265358979323846;
        scale64 = out->op->id == MX_OP_degrees ? 180.0 / pi : pi / 180.0;
        scale = (float)scale64;
        if (in->dtype == MX_FLOAT16)
            scale = mx_f16_to_f32(mx_f32_to_f16(scale));
        else if (in->dtype == MX_BFLOAT16)
            scale = mx_bf16_to_f32(mx_f32_to_bf16(scale));
    }
    int rc = cuda_launch_unary(out->op->id, in->dtype, out->dtype, dst, src, out->size, kind ? &lay : NULL, scale,
                               scale64, (cuda_stream)g_cuda.stream);
    return launch_result(out, rc);
}

static mx_status binary_kernel(mx_node *out) {
    mx_node *a = out->inputs[0], *b = out->inputs[1];
    if (a->dtype != b->dtype)
        return fallback(out);
    void *src[2];
    int scalar[2];
    mx_status st = prepare_inputs(out, src, scalar);
    if (st != MX_OK)
        return st;
    int64_t row[MX_MAX_NDIM];
    mx_row_strides(out->shape, out->ndim, row);
    const int64_t *strides[3] = {row, a->strides, b->strides};
    cuda_layout lay;
    int kind = cuda_collapse(out->shape, out->ndim, strides, 3, &lay);
    if (kind < 0)
        return fallback(out);
    /* contiguous with a broadcast scalar: the vector path with that operand fixed */
    if (kind == 1) {
        const int64_t *s2[2] = {row, scalar[0] ? b->strides : a->strides};
        cuda_layout l2;
        if ((scalar[0] || scalar[1]) && !(scalar[0] && scalar[1]) &&
            cuda_collapse(out->shape, out->ndim, s2, 2, &l2) == 0)
            kind = 0;
    } else {
        scalar[0] = scalar[1] = 0;
    }
    bool same_size = mx_dtype_size(a->dtype) == mx_dtype_size(out->dtype);
    int donor = kind == 0 && same_size ? (!scalar[0] ? 0 : !scalar[1] ? 1 : -1) : -1;
    if (donor >= 0 && out->inputs[donor]->size != out->size)
        donor = -1;
    st = prepare_output(out, donor);
    if (st != MX_OK || out->size == 0)
        return st;
    int rc = cuda_launch_binary(out->op->id, a->dtype, out->dtype, out->buffer->device_ptr, src[0], src[1], out->size,
                                kind ? &lay : NULL, scalar[0], scalar[1], (cuda_stream)g_cuda.stream);
    return launch_result(out, rc);
}

static mx_status where_kernel(mx_node *out) {
    mx_node *c = out->inputs[0], *x = out->inputs[1], *y = out->inputs[2];
    if (c->dtype != MX_BOOL || x->dtype != out->dtype || y->dtype != out->dtype)
        return fallback(out);
    void *src[3];
    mx_status st = prepare_inputs(out, src, NULL);
    if (st != MX_OK)
        return st;
    int64_t row[MX_MAX_NDIM];
    mx_row_strides(out->shape, out->ndim, row);
    const int64_t *strides[4] = {row, c->strides, x->strides, y->strides};
    cuda_layout lay;
    int kind = cuda_collapse(out->shape, out->ndim, strides, 4, &lay);
    if (kind < 0)
        return fallback(out);
    st = cuda_alloc_output(out);
    if (st != MX_OK || out->size == 0)
        return st;
    int rc = cuda_launch_where(mx_dtype_size(out->dtype), out->buffer->device_ptr, src[0], src[1], src[2], out->size,
                               kind ? &lay : NULL, (cuda_stream)g_cuda.stream);
    return launch_result(out, rc);
}

/* astype, copy, stop_gradient, and reshape of a view (the input's elements
 * in row-major order of its own shape, written contiguously). */
static mx_status cast_kernel(mx_node *out) {
    mx_node *in = out->inputs[0];
    if (in->size != out->size)
        return fallback(out);
    void *src;
    mx_status st = prepare_inputs(out, &src, NULL);
    if (st != MX_OK)
        return st;
    int64_t row[MX_MAX_NDIM];
    mx_row_strides(in->shape, in->ndim, row);
    const int64_t *strides[2] = {row, in->strides};
    cuda_layout lay;
    int kind = cuda_collapse(in->shape, in->ndim, strides, 2, &lay);
    if (kind < 0)
        return fallback(out);
    st = cuda_alloc_output(out);
    if (st != MX_OK || out->size == 0)
        return st;
    cudaError_t err = cudaSuccess;
    int rc = 0;
    if (kind == 0 && in->dtype == out->dtype)
        err = cudaMemcpyAsync(out->buffer->device_ptr, src, (size_t)out->size * mx_dtype_size(out->dtype),
                              cudaMemcpyDeviceToDevice, g_cuda.stream);
    else
        rc = cuda_launch_cast(in->dtype, out->dtype, out->buffer->device_ptr, src, out->size, kind ? &lay : NULL,
                              (cuda_stream)g_cuda.stream);
    if (err != cudaSuccess)
        return cuda_check(err, out->op->name, "a device copy");
    return launch_result(out, rc);
}

/* ---- reductions and softmax ------------------------------------------------------------------ */

/* A row-contiguous copy of `in` with the dims permuted by perm (on the GPU). */
static mx_status permuted_copy(mx_node *in, const int *perm, void *src, void **dst, size_t *capacity) {
    int nd = in->ndim;
    int64_t shape[MX_MAX_NDIM], strides_in[MX_MAX_NDIM], row[MX_MAX_NDIM];
    for (int i = 0; i < nd; i++) {
        shape[i] = in->shape[perm[i]];
        strides_in[i] = in->strides[perm[i]];
    }
    mx_row_strides(shape, nd, row);
    const int64_t *strides[2] = {row, strides_in};
    cuda_layout lay;
    int kind = cuda_collapse(shape, nd, strides, 2, &lay);
    if (kind < 0)
        return MX_ERROR_UNSUPPORTED;
    size_t nbytes = (size_t)in->size * mx_dtype_size(in->dtype);
    *dst = cuda_scratch_alloc(nbytes ? nbytes : 1, "reduce", capacity);
    if (!*dst)
        return mx_last_status();
    int rc =
        cuda_launch_cast(in->dtype, in->dtype, *dst, src, in->size, kind ? &lay : NULL, (cuda_stream)g_cuda.stream);
    return rc < 0 ? MX_ERROR_UNSUPPORTED : MX_OK;
}

static mx_status reduce_kernel(mx_node *out) {
    mx_node *in = out->inputs[0];
    int op = out->op->id;
    bool reduced[MX_MAX_NDIM] = {0};
    int ddof = 0;
    if (op == MX_OP_argmax || op == MX_OP_argmin) {
        reduced[((const mx_axis_params *)mx_node_params(out))->axis] = true;
    } else {
        const mx_reduce_params *rp = mx_node_params(out);
        for (int i = 0; i < rp->naxes; i++)
            reduced[rp->axes[i]] = true;
        if (op == MX_OP_var || op == MX_OP_std)
            ddof = ((const mx_var_params *)mx_node_params(out))->ddof;
    }
    if (in->size == 0)
        return fallback(out); /* identities of empty reductions: the CPU kernel has them */
    void *src;
    mx_status st = prepare_inputs(out, &src, NULL);
    if (st != MX_OK)
        return st;
    /* (outer, m, inner) when the input is row-contiguous and the reduced axes
     * (ignoring size-1 dims) form one block; else move them last by a copy */
    int first = -1, last = -1;
    bool one_block = true;
    for (int d = 0; d < in->ndim; d++) {
        if (!reduced[d] || in->shape[d] == 1)
            continue;
        if (first < 0)
            first = d;
        else
            for (int e = last + 1; e < d; e++)
                one_block &= reduced[e] || in->shape[e] == 1;
        last = d;
    }
    int64_t outer = 1, m = 1, inner = 1;
    void *scratch_copy = NULL;
    size_t copy_capacity = 0;
    if (mx_node_is_row_contiguous(in) && first < 0) {
        outer = in->size; /* nothing of size > 1 is reduced */
    } else if (mx_node_is_row_contiguous(in) && one_block) {
        for (int d = 0; d < in->ndim; d++)
            *(d < first ? &outer : d <= last ? &m : &inner) *= in->shape[d];
    } else {
        int perm[MX_MAX_NDIM], k = 0;
        for (int d = 0; d < in->ndim; d++)
            if (!reduced[d])
                perm[k++] = d;
        for (int d = 0; d < in->ndim; d++)
            if (reduced[d])
                perm[k++] = d;
        for (int d = 0; d < in->ndim; d++)
            *(reduced[d] ? &m : &outer) *= in->shape[d];
        st = permuted_copy(in, perm, src, &scratch_copy, &copy_capacity);
        if (st == MX_ERROR_UNSUPPORTED) {
            cuda_scratch_free(scratch_copy, copy_capacity);
            return fallback(out);
        }
        if (st != MX_OK)
            return st;
        src = scratch_copy;
    }
    st = cuda_alloc_output(out);
    size_t scratch_bytes = cuda_reduce_scratch_bytes(op, in->dtype, outer, m, inner), scratch_capacity = 0;
    void *scratch = NULL;
    if (st == MX_OK && scratch_bytes) {
        scratch = cuda_scratch_alloc(scratch_bytes, out->op->name, &scratch_capacity);
        if (!scratch)
            st = mx_last_status();
    }
    int rc = 0;
    if (st == MX_OK)
        rc = cuda_launch_reduce(op, in->dtype, out->dtype, out->buffer->device_ptr, src, outer, m, inner, ddof, scratch,
                                (cuda_stream)g_cuda.stream);
    cuda_scratch_free(scratch, scratch_capacity);
    cuda_scratch_free(scratch_copy, copy_capacity);
    if (st != MX_OK)
        return st;
    return launch_result(out, rc);
}

static mx_status softmax_kernel(mx_node *out) {
    mx_node *in = out->inputs[0];
    if (in->dtype != out->dtype || out->size == 0 || !mx_node_is_row_contiguous(in))
        return fallback(out);
    void *src;
    mx_status st = prepare_inputs(out, &src, NULL);
    if (st != MX_OK)
        return st;
    st = cuda_alloc_output(out);
    if (st != MX_OK)
        return st;
    int64_t len = in->ndim ? in->shape[in->ndim - 1] : 1;
    int rc = cuda_launch_softmax(in->dtype, out->buffer->device_ptr, src, len ? in->size / len : 0, len,
                                 ((const mx_softmax_params *)mx_node_params(out))->precise, (cuda_stream)g_cuda.stream);
    return launch_result(out, rc);
}

/* ---- backend table ----------------------------------------------------------------------------- */

/* Ops whose GPU kernel takes complex64 operands (cuda_allow_complex, complex.c). */
static bool g_complex_ok[MX_OP_COUNT];
void cuda_allow_complex(int op) {
    if (op >= 0 && op < MX_OP_COUNT)
        g_complex_ok[op] = true;
}

static bool supports(const mx_node *n) {
    if (g_complex_ok[n->op->id])
        return true;
    if (n->dtype == MX_COMPLEX64)
        return false;
    for (int i = 0; i < n->n_inputs; i++)
        if (n->inputs[i]->dtype == MX_COMPLEX64)
            return false;
    return true;
}

static void synchronize(void) {
    pthread_mutex_lock(&g_cuda.lock); /* no recording starts meanwhile (graph.c) */
    cuda_graph_interrupt();
    cudaError_t err = cudaStreamSynchronize(g_cuda.stream);
    pthread_mutex_unlock(&g_cuda.lock);
    if (err != cudaSuccess)
        fprintf(stderr, "cmlx: CUDA error while synchronizing: %s\n", cudaGetErrorString(err));
}

void mx_backend_cuda_init(void) {
    int count = 0;
    if (cudaGetDeviceCount(&count) != cudaSuccess || count <= 0) {
        cudaGetLastError();
        return; /* no driver or no device: the GPU stays unavailable */
    }
    struct cudaDeviceProp prop;
    if (cudaSetDevice(0) != cudaSuccess || cudaGetDeviceProperties(&prop, 0) != cudaSuccess ||
        cudaStreamCreateWithFlags(&g_cuda.stream, cudaStreamNonBlocking) != cudaSuccess) {
        cudaGetLastError();
        return;
    }
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&g_cuda.lock, &attr);
    pthread_mutexattr_destroy(&attr);
    snprintf(g_cuda.name, sizeof g_cuda.name, "%s", prop.name);
    size_t free_bytes = 0, total = 0;
    cudaMemGetInfo(&free_bytes, &total);
    g_cuda.total_memory = total ? total : prop.totalGlobalMem;
    g_cuda.memory_limit = g_cuda.total_memory;
    g_cuda.cache_limit = g_cuda.total_memory;

    g_backend.synchronize = synchronize;
    g_backend.supports = supports;
    static const int unary_ops[] = {
        MX_OP_abs,        MX_OP_negative, MX_OP_sign,  MX_OP_sqrt,     MX_OP_rsqrt,       MX_OP_square,
        MX_OP_reciprocal, MX_OP_exp,      MX_OP_expm1, MX_OP_log,      MX_OP_log1p,       MX_OP_log2,
        MX_OP_log10,      MX_OP_sin,      MX_OP_cos,   MX_OP_tan,      MX_OP_arcsin,      MX_OP_arccos,
        MX_OP_arctan,     MX_OP_sinh,     MX_OP_cosh,  MX_OP_tanh,     MX_OP_arcsinh,     MX_OP_arccosh,
        MX_OP_arctanh,    MX_OP_sigmoid,  MX_OP_erf,   MX_OP_erfinv,   MX_OP_floor,       MX_OP_ceil,
        MX_OP_round,      MX_OP_isnan,    MX_OP_isinf, MX_OP_isfinite, MX_OP_logical_not, MX_OP_bitwise_invert,
        MX_OP_degrees,    MX_OP_radians};
    for (size_t i = 0; i < sizeof unary_ops / sizeof unary_ops[0]; i++)
        g_backend.kernels[unary_ops[i]] = unary_kernel;
    static const int binary_ops[] = {MX_OP_add,          MX_OP_subtract,    MX_OP_multiply,      MX_OP_divide,
                                     MX_OP_floor_divide, MX_OP_remainder,   MX_OP_power,         MX_OP_maximum,
                                     MX_OP_minimum,      MX_OP_logaddexp,   MX_OP_arctan2,       MX_OP_equal,
                                     MX_OP_not_equal,    MX_OP_greater,     MX_OP_greater_equal, MX_OP_less,
                                     MX_OP_less_equal,   MX_OP_logical_and, MX_OP_logical_or,    MX_OP_bitwise_and,
                                     MX_OP_bitwise_or,   MX_OP_bitwise_xor, MX_OP_left_shift,    MX_OP_right_shift};
    for (size_t i = 0; i < sizeof binary_ops / sizeof binary_ops[0]; i++)
        g_backend.kernels[binary_ops[i]] = binary_kernel;
    g_backend.kernels[MX_OP_where] = where_kernel;
    g_backend.kernels[MX_OP_astype] = cast_kernel;
    g_backend.kernels[MX_OP_copy] = cast_kernel;
    g_backend.kernels[MX_OP_stop_gradient] = cast_kernel;
    g_backend.kernels[MX_OP_reshape] = cast_kernel;
    static const int reduce_ops[] = {MX_OP_sum,    MX_OP_prod,   MX_OP_max,  MX_OP_min,       MX_OP_all, MX_OP_any,
                                     MX_OP_argmax, MX_OP_argmin, MX_OP_mean, MX_OP_logsumexp, MX_OP_var, MX_OP_std};
    for (size_t i = 0; i < sizeof reduce_ops / sizeof reduce_ops[0]; i++)
        g_backend.kernels[reduce_ops[i]] = reduce_kernel;
    g_backend.kernels[MX_OP_softmax] = softmax_kernel;
    g_backend.kernels[MX_OP_matmul] = cuda_matmul_kernel;
    cuda_register_norms(&g_backend);
    cuda_register_sdpa(&g_backend);

    cuda_register_conv(&g_backend);
    cuda_register_addmm(&g_backend);
    cuda_register_indexing(&g_backend);
    cuda_register_complex(&g_backend);
    cuda_register_quantized(&g_backend);
    cuda_register_select(&g_backend);
    cuda_register_norms_vjp(&g_backend);
    cuda_register_graphs(&g_backend);
    cuda_profile_install(&g_backend); /* CMLX_CUDA_PROFILE (profile.c): last, it wraps the table */

    mx_register_device_memory(&k_hooks);
    mx_register_gpu_backend(&g_backend, g_cuda.name);
}
