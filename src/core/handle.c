/* core/handle.c - the handle table and scopes.
 *
 * An mx_array is (generation << 32 | slot + 1). Slots live in fixed-size
 * chunks that never move, so a lookup needs no lock; freeing a handle bumps
 * its slot's generation, which is how a freed handle is recognised (and
 * reported) instead of being dereferenced. */
#include "core/handle.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/backend.h"
#include "core/error.h"

#define CHUNK_BITS 12
#define CHUNK_SIZE (1u << CHUNK_BITS)
#define MAX_CHUNKS 16384 /* 67M live handles */

typedef struct slot {
    mx_node *_Atomic node;
    _Atomic uint32_t generation;
    uint32_t next_free; /* index + 1 of the next free slot, 0 = none */
} slot;

static struct {
    pthread_mutex_t lock;
    slot *_Atomic chunks[MAX_CHUNKS];
    uint32_t n_chunks;
    uint32_t free_head; /* index + 1 */
} g_handles = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* ---- scopes ---------------------------------------------------------------- */
typedef struct scope_frame {
    uint64_t *ids;
    size_t len, cap;
} scope_frame;

static _Thread_local scope_frame *t_scopes;
static _Thread_local int t_scope_depth, t_scope_cap;

static slot *slot_at(uint32_t index) {
    slot *chunk = atomic_load_explicit(&g_handles.chunks[index >> CHUNK_BITS], memory_order_acquire);
    return chunk ? &chunk[index & (CHUNK_SIZE - 1)] : NULL;
}

static bool scope_record(uint64_t id) {
    if (t_scope_depth == 0)
        return true;
    scope_frame *f = &t_scopes[t_scope_depth - 1];
    if (f->len == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 64;
        uint64_t *ids = realloc(f->ids, cap * sizeof *ids);
        if (!ids)
            return false;
        f->ids = ids;
        f->cap = cap;
    }
    f->ids[f->len++] = id;
    return true;
}

/* Take a slot for `node` (owning its reference). 0 when out of memory. */
static uint64_t handle_new(mx_node *node) {
    pthread_mutex_lock(&g_handles.lock);
    if (!g_handles.free_head) {
        if (g_handles.n_chunks == MAX_CHUNKS) {
            pthread_mutex_unlock(&g_handles.lock);
            return 0;
        }
        slot *chunk = calloc(CHUNK_SIZE, sizeof *chunk);
        if (!chunk) {
            pthread_mutex_unlock(&g_handles.lock);
            return 0;
        }
        uint32_t base = g_handles.n_chunks * CHUNK_SIZE;
        for (uint32_t i = 0; i < CHUNK_SIZE; i++)
            chunk[i].next_free = i + 1 < CHUNK_SIZE ? base + i + 2 : 0;
        atomic_store_explicit(&g_handles.chunks[g_handles.n_chunks], chunk, memory_order_release);
        g_handles.n_chunks++;
        g_handles.free_head = base + 1;
    }
    uint32_t index = g_handles.free_head - 1;
    slot *s = slot_at(index);
    g_handles.free_head = s->next_free;
    s->next_free = 0;
    atomic_store(&s->node, node);
    uint32_t gen = atomic_load(&s->generation);
    pthread_mutex_unlock(&g_handles.lock);
    return ((uint64_t)gen << 32) | (uint64_t)(index + 1);
}

/* Release the slot of `id` and return its node (reference passes to the
 * caller), or NULL if the handle is not live. */
static mx_node *handle_take(uint64_t id) {
    uint32_t index = (uint32_t)id - 1, gen = (uint32_t)(id >> 32);
    if ((uint32_t)id == 0)
        return NULL;
    pthread_mutex_lock(&g_handles.lock);
    slot *s = index < g_handles.n_chunks * CHUNK_SIZE ? slot_at(index) : NULL;
    mx_node *node = NULL;
    if (s && atomic_load(&s->generation) == gen && atomic_load(&s->node)) {
        node = atomic_load(&s->node);
        atomic_store(&s->node, NULL);
        atomic_fetch_add(&s->generation, 1);
        s->next_free = g_handles.free_head;
        g_handles.free_head = index + 1;
    }
    pthread_mutex_unlock(&g_handles.lock);
    return node;
}

mx_node *mx_handle_peek(mx_array a) {
    uint32_t index = (uint32_t)a.id - 1, gen = (uint32_t)(a.id >> 32);
    if ((uint32_t)a.id == 0 || (index >> CHUNK_BITS) >= MAX_CHUNKS)
        return NULL;
    slot *s = slot_at(index);
    if (!s || atomic_load(&s->generation) != gen)
        return NULL;
    return atomic_load(&s->node);
}

mx_node *mx_handle_get(mx_array a, const char *op) {
    mx_node *n = mx_handle_peek(a);
    if (!n) {
        mx_set_error(MX_ERROR_HANDLE, "%s: %s array handle", op, a.id == 0 ? "null" : "freed or invalid");
        return NULL;
    }
    if (n->status != MX_OK) {
        mx_set_error(n->status, "%s", n->error ? n->error : "error array");
        return NULL;
    }
    return n;
}

bool mx_handles_get(const mx_array *arrays, int n, const char *op, mx_node **out) {
    for (int i = 0; i < n; i++) {
        out[i] = mx_handle_get(arrays[i], op);
        if (!out[i])
            return false;
    }
    return true;
}

mx_array mx_handle_wrap(mx_node *node) {
    mx_runtime_init();
    if (!node) {
        node = mx_node_new_error();
        if (!node)
            return MX_NULL_ARRAY;
    }
    uint64_t id = handle_new(node);
    if (!id) {
        mx_node_release(node);
        mx_set_error(MX_ERROR_MEMORY, "out of memory for array handles");
        return MX_NULL_ARRAY;
    }
    if (!scope_record(id)) {
        /* Cannot track it in the scope: free it now rather than leak it. */
        mx_node_release(handle_take(id));
        mx_set_error(MX_ERROR_MEMORY, "out of memory recording an array in its scope");
        return MX_NULL_ARRAY;
    }
    return (mx_array){id};
}

/* ---- public lifetime API ------------------------------------------------------ */

void mx_free(mx_array a) { mx_node_release(handle_take(a.id)); }

void mx_free_n(mx_array *arrays, int n) {
    for (int i = 0; i < n; i++)
        mx_free(arrays[i]);
}

mx_array mx_retain(mx_array a) {
    mx_node *n = mx_handle_peek(a);
    if (!n) {
        mx_set_error(MX_ERROR_HANDLE, "retain: %s array handle", a.id ? "freed or invalid" : "null");
        return mx_handle_wrap(NULL);
    }
    mx_node_retain(n);
    return mx_handle_wrap(n);
}

mx_array mx_handle_retain_unscoped(mx_array a) {
    int saved_depth = t_scope_depth;
    t_scope_depth = 0; /* scope_record records nothing at depth 0 */
    mx_array kept = mx_retain(a);
    t_scope_depth = saved_depth;
    return kept;
}

bool mx_is_valid(mx_array a) {
    mx_node *n = mx_handle_peek(a);
    return n && n->status == MX_OK;
}

mx_status mx_array_status(mx_array a) {
    mx_node *n = mx_handle_peek(a);
    return n ? n->status : MX_ERROR_HANDLE;
}

const char *mx_array_error(mx_array a) {
    mx_node *n = mx_handle_peek(a);
    return n && n->status != MX_OK ? n->error : NULL;
}

mx_scope mx_scope_begin(void) {
    if (t_scope_depth == t_scope_cap) {
        int cap = t_scope_cap ? t_scope_cap * 2 : 8;
        scope_frame *frames = realloc(t_scopes, (size_t)cap * sizeof *frames);
        if (!frames) {
            /* Degrade gracefully: handles go to the enclosing scope. */
            mx_set_error(MX_ERROR_MEMORY, "scope_begin: out of memory");
            return (mx_scope){-1};
        }
        t_scopes = frames;
        t_scope_cap = cap;
    }
    t_scopes[t_scope_depth] = (scope_frame){0};
    return (mx_scope){++t_scope_depth};
}

mx_array mx_scope_keep(mx_scope scope, mx_array a) {
    if (scope.depth <= 0 || scope.depth > t_scope_depth)
        return a;
    scope_frame *f = &t_scopes[scope.depth - 1];
    for (size_t i = 0; i < f->len; i++) {
        if (f->ids[i] == a.id) {
            f->ids[i] = 0; /* not freed at scope end */
            if (scope.depth >= 2) {
                /* move to the enclosing scope */
                int saved = t_scope_depth;
                t_scope_depth = scope.depth - 1;
                scope_record(a.id);
                t_scope_depth = saved;
            }
            break;
        }
    }
    return a;
}

void mx_scope_end(mx_scope scope) {
    if (scope.depth <= 0 || scope.depth > t_scope_depth)
        return;
    /* Ending an outer scope ends the inner ones too. */
    while (t_scope_depth >= scope.depth) {
        scope_frame *f = &t_scopes[t_scope_depth - 1];
        for (size_t i = 0; i < f->len; i++)
            if (f->ids[i])
                mx_free((mx_array){f->ids[i]});
        free(f->ids);
        t_scope_depth--;
    }
}
