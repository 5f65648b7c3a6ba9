/* core/allocator.c - buffers and the caching host allocator.
 *
 * Freed buffers go to a cache of free lists, one per size class (four
 * classes per power of two, so at most 25% of a block is slack) and are
 * reused by the next request of the same class. Fresh memory costs about
 * 12 us per 4 KiB page here (first-touch faults), so reuse matters more than
 * returning memory to the OS. Large blocks ask for transparent huge pages.
 *
 * Active memory (bytes in live buffers) may not exceed the memory limit;
 * the cache is trimmed, oldest first within a class, to stay under it. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cmlx/memory.h"
#include "core/backend.h"
#include "core/error.h"
#include "core/node.h"

#define MX_ALIGN 64
#define MX_HUGE_THRESHOLD ((size_t)2 << 20)
#define MX_NUM_CLASSES 256

typedef struct cached_block {
    struct cached_block *next;
    void *ptr;
    size_t capacity;
} cached_block;

static struct {
    pthread_mutex_t lock;
    cached_block *free_lists[MX_NUM_CLASSES];
    size_t active;
    size_t peak;
    size_t cached;
    size_t memory_limit; /* 0 until first use: then physical memory */
    size_t cache_limit;  /* SIZE_MAX until set: follows the memory limit */
} g_alloc = {.lock = PTHREAD_MUTEX_INITIALIZER, .cache_limit = SIZE_MAX};

/* Size class of n bytes and the capacity that class holds. */
static int size_class(size_t n, size_t *capacity) {
    if (n <= MX_ALIGN) {
        *capacity = MX_ALIGN;
        return 0;
    }
    int log2_floor = 63 - __builtin_clzll((unsigned long long)(n - 1));
    size_t base = (size_t)1 << log2_floor; /* base < n <= 2*base */
    size_t quarter = base / 4;
    size_t steps = (n - base + quarter - 1) / quarter; /* 1..4 */
    *capacity = base + steps * quarter;
    int cls = (log2_floor - 6) * 4 + (int)steps;
    return cls < MX_NUM_CLASSES ? cls : MX_NUM_CLASSES - 1;
}

static size_t physical_memory(void) {
    long pages = sysconf(_SC_PHYS_PAGES);
    long page_size = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || page_size <= 0)
        return (size_t)1 << 34;
    return (size_t)pages * (size_t)page_size;
}

static size_t memory_limit_locked(void) {
    if (g_alloc.memory_limit == 0)
        g_alloc.memory_limit = physical_memory();
    return g_alloc.memory_limit;
}

static size_t cache_limit_locked(void) {
    return g_alloc.cache_limit == SIZE_MAX ? memory_limit_locked() : g_alloc.cache_limit;
}

static void *system_alloc(size_t capacity) {
    void *p = NULL;
    size_t align = capacity >= MX_HUGE_THRESHOLD ? MX_HUGE_THRESHOLD : MX_ALIGN;
    if (posix_memalign(&p, align, capacity) != 0)
        return NULL;
#ifdef MADV_HUGEPAGE
    if (capacity >= MX_HUGE_THRESHOLD)
        madvise(p, capacity, MADV_HUGEPAGE);
#endif
    return p;
}

/* Free cached blocks, largest classes first, until cached <= target. */
static void trim_cache_locked(size_t target) {
    for (int cls = MX_NUM_CLASSES - 1; cls >= 0 && g_alloc.cached > target; cls--) {
        while (g_alloc.free_lists[cls] && g_alloc.cached > target) {
            cached_block *b = g_alloc.free_lists[cls];
            g_alloc.free_lists[cls] = b->next;
            g_alloc.cached -= b->capacity;
            free(b->ptr);
            free(b);
        }
    }
}

static void *cache_take_locked(int cls) {
    cached_block *b = g_alloc.free_lists[cls];
    if (!b)
        return NULL;
    g_alloc.free_lists[cls] = b->next;
    g_alloc.cached -= b->capacity;
    void *p = b->ptr;
    free(b);
    return p;
}

/* Host storage of nbytes from the cache or the system, counted as active.
 * NULL (error set, naming op) when out of memory or over the limit. */
static void *host_block_alloc(size_t nbytes, const char *op, size_t *capacity_out) {
    size_t capacity;
    int cls = size_class(nbytes ? nbytes : 1, &capacity);
    if (cls == MX_NUM_CLASSES - 1 && capacity < nbytes)
        capacity = nbytes; /* beyond the class table: exact size, not cached by class */
    pthread_mutex_lock(&g_alloc.lock);
    size_t limit = memory_limit_locked();
    if (g_alloc.active + capacity > limit) {
        size_t active = g_alloc.active;
        pthread_mutex_unlock(&g_alloc.lock);
        mx_set_error(MX_ERROR_MEMORY,
                     "%s: allocating %zu bytes would exceed the memory limit of %zu bytes "
                     "(%zu bytes active); raise it with mx_set_memory_limit",
                     op, nbytes, limit, active);
        return NULL;
    }
    void *ptr = cache_take_locked(cls);
    if (!ptr) {
        if (g_alloc.active + g_alloc.cached + capacity > limit)
            trim_cache_locked(limit - g_alloc.active - capacity);
        ptr = system_alloc(capacity);
        if (!ptr) {
            trim_cache_locked(0); /* the cache may hold what we need */
            ptr = system_alloc(capacity);
        }
    }
    if (!ptr) {
        pthread_mutex_unlock(&g_alloc.lock);
        mx_set_error(MX_ERROR_MEMORY, "%s: out of host memory allocating %zu bytes", op, nbytes);
        return NULL;
    }
    g_alloc.active += capacity;
    if (g_alloc.active > g_alloc.peak)
        g_alloc.peak = g_alloc.active;
    pthread_mutex_unlock(&g_alloc.lock);
    *capacity_out = capacity;
    return ptr;
}

static mx_buffer *buffer_struct(size_t nbytes, const char *op) {
    mx_buffer *buf = calloc(1, sizeof *buf);
    if (!buf) {
        mx_set_error(MX_ERROR_MEMORY, "%s: out of host memory allocating %zu bytes", op, nbytes);
        return NULL;
    }
    atomic_init(&buf->refs, 1);
    buf->nbytes = nbytes;
    return buf;
}

mx_buffer *mx_buffer_alloc(size_t nbytes, const char *op) {
    mx_buffer *buf = buffer_struct(nbytes, op);
    if (!buf)
        return NULL;
    buf->ptr = host_block_alloc(nbytes, op, &buf->capacity);
    if (!buf->ptr) {
        free(buf);
        return NULL;
    }
    buf->valid = MX_VALID_HOST;
    return buf;
}

mx_buffer *mx_buffer_new_unbacked(size_t nbytes, const char *op) { return buffer_struct(nbytes, op); }

/* ---- residency (the device side is the registered backend's) ---------------- */

static const mx_device_memory_hooks *g_device_hooks;

void mx_register_device_memory(const mx_device_memory_hooks *hooks) { g_device_hooks = hooks; }
const mx_device_memory_hooks *mx_device_memory(void) { return g_device_hooks; }

mx_status mx_buffer_ensure_host(mx_buffer *b, const char *op) {
    if (b->valid & MX_VALID_HOST)
        return MX_OK;
    if (!b->ptr) {
        b->ptr = host_block_alloc(b->nbytes, op, &b->capacity);
        if (!b->ptr)
            return mx_last_status();
    }
    if ((b->valid & MX_VALID_DEVICE) && g_device_hooks) {
        mx_status st = g_device_hooks->download(b);
        if (st != MX_OK)
            return st;
    }
    b->valid |= MX_VALID_HOST;
    return MX_OK;
}

void mx_buffer_host_written(mx_buffer *b) {
    b->valid = MX_VALID_HOST;
    if (b->device_ptr && g_device_hooks)
        g_device_hooks->release_device(b);
}

void *mx_buffer_host_ptr_slow(mx_buffer *b) {
    /* Kernels ask through run_node first, which reports errors properly;
     * this is the safety net for other host readers. */
    return mx_buffer_ensure_host(b, "data") == MX_OK ? b->ptr : NULL;
}

mx_buffer *mx_buffer_wrap(void *ptr, size_t nbytes, mx_deleter deleter, void *ctx) {
    mx_buffer *buf = buffer_struct(nbytes, "array_wrap");
    if (!buf)
        return NULL;
    buf->ptr = ptr;
    buf->capacity = nbytes;
    buf->deleter = deleter;
    buf->deleter_ctx = ctx;
    buf->user_owned = true;
    buf->valid = MX_VALID_HOST;
    return buf;
}

void mx_buffer_retain(mx_buffer *b) { atomic_fetch_add_explicit(&b->refs, 1, memory_order_relaxed); }

static void return_to_cache(void *ptr, size_t capacity) {
    size_t class_capacity;
    int cls = size_class(capacity, &class_capacity);
    pthread_mutex_lock(&g_alloc.lock);
    g_alloc.active -= capacity;
    cached_block *block = NULL;
    if (class_capacity == capacity && capacity <= cache_limit_locked())
        block = malloc(sizeof *block);
    if (block) {
        block->ptr = ptr;
        block->capacity = capacity;
        block->next = g_alloc.free_lists[cls];
        g_alloc.free_lists[cls] = block;
        g_alloc.cached += capacity;
        if (g_alloc.cached > cache_limit_locked())
            trim_cache_locked(cache_limit_locked());
    } else {
        free(ptr);
    }
    pthread_mutex_unlock(&g_alloc.lock);
}

void mx_buffer_release(mx_buffer *b) {
    if (!b || atomic_fetch_sub_explicit(&b->refs, 1, memory_order_acq_rel) != 1)
        return;
    if (b->device_ptr && g_device_hooks)
        g_device_hooks->release_device(b);
    if (b->user_owned) {
        if (b->deleter)
            b->deleter(b->ptr, b->deleter_ctx);
    } else if (b->ptr) {
        return_to_cache(b->ptr, b->capacity);
    }
    free(b);
}

/* ---- public memory API ---------------------------------------------------- */

size_t mx_get_active_memory(void) {
    pthread_mutex_lock(&g_alloc.lock);
    size_t v = g_alloc.active;
    pthread_mutex_unlock(&g_alloc.lock);
    return v;
}

size_t mx_get_peak_memory(void) {
    pthread_mutex_lock(&g_alloc.lock);
    size_t v = g_alloc.peak;
    pthread_mutex_unlock(&g_alloc.lock);
    return v;
}

void mx_reset_peak_memory(void) {
    pthread_mutex_lock(&g_alloc.lock);
    g_alloc.peak = g_alloc.active;
    pthread_mutex_unlock(&g_alloc.lock);
}

size_t mx_get_cache_memory(void) {
    pthread_mutex_lock(&g_alloc.lock);
    size_t v = g_alloc.cached;
    pthread_mutex_unlock(&g_alloc.lock);
    return v;
}

size_t mx_set_memory_limit(size_t limit) {
    pthread_mutex_lock(&g_alloc.lock);
    size_t old = memory_limit_locked();
    g_alloc.memory_limit = limit ? limit : physical_memory();
    if (g_alloc.active + g_alloc.cached > g_alloc.memory_limit)
        trim_cache_locked(g_alloc.memory_limit > g_alloc.active ? g_alloc.memory_limit - g_alloc.active : 0);
    pthread_mutex_unlock(&g_alloc.lock);
    return old;
}

size_t mx_get_memory_limit(void) {
    pthread_mutex_lock(&g_alloc.lock);
    size_t limit = memory_limit_locked();
    pthread_mutex_unlock(&g_alloc.lock);
    return limit;
}

size_t mx_set_cache_limit(size_t limit) {
    pthread_mutex_lock(&g_alloc.lock);
    size_t old = cache_limit_locked();
    g_alloc.cache_limit = limit;
    trim_cache_locked(limit);
    pthread_mutex_unlock(&g_alloc.lock);
    return old;
}

void mx_clear_cache(void) {
    pthread_mutex_lock(&g_alloc.lock);
    trim_cache_locked(0);
    pthread_mutex_unlock(&g_alloc.lock);
}
