/* transforms/closure.c - functions as refcounted values (mx_closure) and
 * growable lists of array handles (mx_array_list). */
#include <stdatomic.h>
#include <stdlib.h>

#include "core/error.h"
#include "transforms/trace.h"

struct mx_closure_impl {
    atomic_int refs;
    mx_function_fn fn;
    void *payload;
    void (*destroy)(void *payload);
};

mx_status mx_array_list_push(mx_array_list *list, mx_array a) {
    if (list->count == list->capacity) {
        int capacity = list->capacity ? list->capacity * 2 : 8;
        mx_array *items = realloc(list->items, (size_t)capacity * sizeof *items);
        if (!items) {
            mx_free(a);
            return mx_set_error(MX_ERROR_MEMORY, "array list: out of memory growing to %d arrays", capacity);
        }
        list->items = items;
        list->capacity = capacity;
    }
    list->items[list->count++] = a;
    return MX_OK;
}

void mx_array_list_clear(mx_array_list *list) {
    if (!list)
        return;
    mx_free_n(list->items, list->count);
    free(list->items);
    *list = (mx_array_list){0};
}

mx_closure mx_closure_new(mx_function_fn fn, void *payload, void (*destroy)(void *payload)) {
    mx_closure f = fn ? malloc(sizeof *f) : NULL;
    if (!f) {
        if (destroy)
            destroy(payload);
        mx_set_error(fn ? MX_ERROR_MEMORY : MX_ERROR_VALUE,
                     fn ? "closure: out of memory" : "closure: the function pointer is NULL");
        return NULL;
    }
    atomic_init(&f->refs, 1);
    f->fn = fn;
    f->payload = payload;
    f->destroy = destroy;
    return f;
}

mx_closure mx_closure_retain(mx_closure f) {
    if (f)
        atomic_fetch_add_explicit(&f->refs, 1, memory_order_relaxed);
    return f;
}

void mx_closure_free(mx_closure f) {
    if (!f || atomic_fetch_sub_explicit(&f->refs, 1, memory_order_acq_rel) != 1)
        return;
    if (f->destroy)
        f->destroy(f->payload);
    free(f);
}

mx_status mx_closure_apply(mx_closure f, const mx_array *inputs, int n_inputs, mx_array_list *outputs) {
    if (!f)
        return mx_set_error(MX_ERROR_VALUE, "closure: apply of a NULL closure");
    if (!outputs)
        return mx_set_error(MX_ERROR_VALUE, "closure: apply needs an output list");
    if (outputs->count)
        return mx_set_error(MX_ERROR_VALUE, "closure: apply needs an empty output list (it has %d arrays)",
                            outputs->count);
    if (n_inputs < 0 || (n_inputs > 0 && !inputs))
        return mx_set_error(MX_ERROR_VALUE, "closure: %d inputs given without an input array", n_inputs);
    mx_status st = f->fn(f->payload, inputs, n_inputs, outputs);
    if (st != MX_OK) {
        mx_array_list_clear(outputs);
        /* A closure that failed without saying why still reports a failure. */
        if (mx_last_status() == MX_OK)
            mx_set_error(st, "closure: the function failed (status %s)", mx_status_name(st));
        return st;
    }
    /* An output that is an error array fails the call, as an op would. */
    for (int i = 0; i < outputs->count; i++) {
        mx_status out_st = mx_array_status(outputs->items[i]);
        if (out_st != MX_OK) {
            const char *msg = mx_array_error(outputs->items[i]);
            mx_set_error(out_st, "%s", msg ? msg : "closure: output is not a valid array");
            mx_array_list_clear(outputs);
            return out_st;
        }
    }
    return MX_OK;
}
