/* io/source.c - file mappings, the byte writer, and the lazy `load` node.
 *
 * A load node has no inputs. Evaluating it either aliases the mapping (its
 * buffer wraps source->data + offset and holds a reference to the source:
 * no copy, pages are read from the file when first touched) or, when the
 * bytes are misaligned for the dtype or stored in the other byte order,
 * runs the CPU kernel (backend/cpu/io.c) that copies (and swaps) them. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "core/handle.h"
#include "io/io_internal.h"
#include "ops/op_list.h"

/* ---- sources ------------------------------------------------------------------------ */
io_source *io_source_from_bytes(const void *copy, size_t size, const char *op) {
    io_source *s = malloc(sizeof *s);
    unsigned char *data = malloc(size ? size : 1);
    if (!s || !data) {
        free(s);
        free(data);
        mx_set_error(MX_ERROR_MEMORY, "[%s] out of host memory reading %zu bytes", op, size);
        return NULL;
    }
    if (copy && size)
        memcpy(data, copy, size);
    atomic_init(&s->refs, 1);
    s->data = data;
    s->size = size;
    s->mapped = false;
    return s;
}

io_source *io_source_open(const char *path, const char *op) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        mx_set_error(MX_ERROR_IO, "[%s] Failed to open file %s", op, path);
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        mx_set_error(MX_ERROR_IO, "[%s] Failed to open file %s (not a regular file)", op, path);
        return NULL;
    }
    size_t size = (size_t)st.st_size;
    io_source *s = NULL;
    if (size == 0) {
        s = io_source_from_bytes(NULL, 0, op);
    } else {
        /* private + writable: aliasing arrays may be written (copy on write) */
        void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            mx_set_error(MX_ERROR_IO, "[%s] Failed to map file %s: %s", op, path, strerror(errno));
        } else if (!(s = malloc(sizeof *s))) {
            munmap(p, size);
            mx_set_error(MX_ERROR_MEMORY, "[%s] out of host memory", op);
        } else {
            atomic_init(&s->refs, 1);
            s->data = p;
            s->size = size;
            s->mapped = true;
        }
    }
    close(fd);
    return s;
}

void io_source_retain(io_source *s) { atomic_fetch_add_explicit(&s->refs, 1, memory_order_relaxed); }

void io_source_release(io_source *s) {
    if (!s || atomic_fetch_sub_explicit(&s->refs, 1, memory_order_acq_rel) != 1)
        return;
    if (s->mapped)
        munmap(s->data, s->size);
    else
        free(s->data);
    free(s);
}

/* ---- the load node -------------------------------------------------------------------- */
static void release_source(void *data, void *ctx) { io_source_release(ctx); }

/* Map the page-table entries of an aliased range now, in one call: touching
 * a fresh mapping page by page costs a fault per 4 KiB (about 12 us here),
 * 5x the time of copying the bytes. Best effort (Linux >= 5.14). */
static void prefault(const io_source *s, const unsigned char *ptr, size_t n) {
#ifdef MADV_POPULATE_READ
    if (!s->mapped || n < (1u << 16))
        return;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t begin = (uintptr_t)ptr & ~(page - 1);
    madvise((void *)begin, (uintptr_t)ptr + n - begin, MADV_POPULATE_READ);
#else
    (void)s, (void)ptr, (void)n;
#endif
}

/* Alias the mapping when the bytes can be used as they are. */
static bool load_view(mx_node *out) {
    const io_load_params *p = out->params;
    size_t itemsize = mx_dtype_size(out->dtype);
    unsigned char *ptr = p->source->data + p->offset;
    if (p->swap_bytes || ((uintptr_t)ptr % itemsize) != 0)
        return false; /* the kernel copies */
    mx_buffer *buf = mx_buffer_wrap(ptr, (size_t)out->size * itemsize, release_source, p->source);
    if (!buf)
        return false;
    io_source_retain(p->source);
    prefault(p->source, ptr, (size_t)out->size * itemsize);
    out->buffer = buf;
    out->offset = 0;
    mx_row_strides(out->shape, out->ndim, out->strides);
    out->flags |= MX_NODE_ROW_CONTIGUOUS;
    return true;
}

static void load_params_release(void *params) { io_source_release(((io_load_params *)params)->source); }

const mx_op_def mx_op_load = {.name = "load",
                              .id = MX_OP_load,
                              .family = MX_FAMILY_OTHER,
                              .params_size = sizeof(io_load_params),
                              .view_fn = load_view,
                              .params_release = load_params_release};

mx_node *io_node_load(io_source *source, uint64_t offset, const int64_t *shape, int ndim, mx_dtype dtype,
                      bool swap_bytes) {
    io_load_params p = {.source = source, .offset = offset, .swap_bytes = swap_bytes && mx_dtype_size(dtype) > 1};
    mx_node *n = mx_node_new(&mx_op_load, &p, NULL, 0, shape, ndim, dtype);
    if (n)
        io_source_retain(source); /* the node's params own this reference */
    return n;
}

mx_array io_array_load(io_source *source, uint64_t offset, const int64_t *shape, int ndim, mx_dtype dtype,
                       bool swap_bytes) {
    return mx_handle_wrap(io_node_load(source, offset, shape, ndim, dtype, swap_bytes));
}

/* ---- writer ------------------------------------------------------------------------------ */
bool io_write(io_writer *w, const void *bytes, size_t n) {
    if (w->failed)
        return false;
    if (n > w->capacity - w->size) {
        size_t cap = w->capacity ? w->capacity : 4096;
        while (cap - w->size < n) {
            if (cap > SIZE_MAX / 2) {
                w->failed = true;
                return false;
            }
            cap *= 2;
        }
        unsigned char *grown = realloc(w->data, cap);
        if (!grown) {
            w->failed = true;
            return false;
        }
        w->data = grown;
        w->capacity = cap;
    }
    if (n)
        memcpy(w->data + w->size, bytes, n);
    w->size += n;
    return true;
}

bool io_write_str(io_writer *w, const char *s) { return io_write(w, s, strlen(s)); }
bool io_write_u8(io_writer *w, uint8_t v) { return io_write(w, &v, 1); }
bool io_write_u32(io_writer *w, uint32_t v) {
    unsigned char b[4] = {v, v >> 8, v >> 16, v >> 24};
    return io_write(w, b, 4);
}
bool io_write_u64(io_writer *w, uint64_t v) {
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    return io_write(w, b, 8);
}
bool io_write_zeros(io_writer *w, size_t n) {
    static const unsigned char zeros[64];
    while (n) {
        size_t k = n < sizeof zeros ? n : sizeof zeros;
        if (!io_write(w, zeros, k))
            return false;
        n -= k;
    }
    return true;
}
void io_writer_free(io_writer *w) {
    free(w->data);
    *w = (io_writer){0};
}

mx_status io_writer_to_file(const io_writer *w, const char *path, const char *op) {
    FILE *f = fopen(path, "wb");
    if (!f)
        return mx_set_error(MX_ERROR_IO, "[%s] Failed to open file %s", op, path);
    bool ok = fwrite(w->data, 1, w->size, f) == w->size;
    ok = (fclose(f) == 0) && ok;
    if (!ok)
        return mx_set_error(MX_ERROR_IO, "[%s] Failed to write file %s", op, path);
    return MX_OK;
}

char *io_path_with_ext(const char *path, const char *ext) {
    size_t n = strlen(path), e = strlen(ext);
    bool has = n >= e && strcmp(path + n - e, ext) == 0;
    char *out = malloc(n + e + 1);
    if (!out) {
        mx_set_error(MX_ERROR_MEMORY, "save: out of host memory");
        return NULL;
    }
    memcpy(out, path, n);
    if (!has)
        memcpy(out + n, ext, e);
    out[n + (has ? 0 : e)] = '\0';
    return out;
}

const void *io_array_bytes(mx_array a, const char *op) {
    if (!mx_handle_get(a, op))
        return NULL;
    if (mx_eval1(a) != MX_OK)
        return NULL;
    return mx_data(a);
}
