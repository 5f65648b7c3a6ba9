/* io/named.c - mx_named_arrays and mx_metadata: small ordered maps (a
 * linear search by name; files hold at most thousands of entries and each
 * lookup is dwarfed by the I/O). */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/handle.h"
#include "io/io_internal.h"

/* ---- named arrays ---------------------------------------------------------------- */
struct mx_named_arrays {
    int count, capacity;
    char **names;
    mx_array *arrays;
};

mx_named_arrays *mx_named_arrays_new(void) {
    mx_named_arrays *m = calloc(1, sizeof *m);
    if (!m)
        mx_set_error(MX_ERROR_MEMORY, "named_arrays: out of host memory");
    return m;
}

void mx_named_arrays_free(mx_named_arrays *m) {
    if (!m)
        return;
    for (int i = 0; i < m->count; i++) {
        free(m->names[i]);
        mx_free(m->arrays[i]);
    }
    free(m->names);
    free(m->arrays);
    free(m);
}

static int named_find(const mx_named_arrays *m, const char *name) {
    for (int i = 0; i < m->count; i++)
        if (strcmp(m->names[i], name) == 0)
            return i;
    return -1;
}

mx_status mx_named_arrays_set(mx_named_arrays *m, const char *name, mx_array a) {
    if (!m || !name)
        return mx_set_error(MX_ERROR_VALUE, "named_arrays_set: null map or name");
    if (!mx_handle_peek(a))
        return mx_set_error(MX_ERROR_HANDLE, "named_arrays_set: null or freed array for '%s'", name);
    int i = named_find(m, name);
    if (i >= 0) {
        mx_array kept = mx_retain(a);
        mx_free(m->arrays[i]);
        m->arrays[i] = kept;
        return MX_OK;
    }
    if (m->count == m->capacity) {
        int cap = m->capacity ? 2 * m->capacity : 8;
        char **names = realloc(m->names, (size_t)cap * sizeof *names);
        if (names)
            m->names = names;
        mx_array *arrays = names ? realloc(m->arrays, (size_t)cap * sizeof *arrays) : NULL;
        if (!arrays)
            return mx_set_error(MX_ERROR_MEMORY, "named_arrays_set: out of host memory");
        m->arrays = arrays;
        m->capacity = cap;
    }
    char *copy = strdup(name);
    if (!copy)
        return mx_set_error(MX_ERROR_MEMORY, "named_arrays_set: out of host memory");
    m->names[m->count] = copy;
    m->arrays[m->count] = mx_retain(a);
    m->count++;
    return MX_OK;
}

int mx_named_arrays_size(const mx_named_arrays *m) { return m ? m->count : 0; }
const char *mx_named_arrays_name(const mx_named_arrays *m, int i) {
    return m && i >= 0 && i < m->count ? m->names[i] : NULL;
}
mx_array mx_named_arrays_at(const mx_named_arrays *m, int i) {
    return m && i >= 0 && i < m->count ? m->arrays[i] : MX_NULL_ARRAY;
}
mx_array mx_named_arrays_get(const mx_named_arrays *m, const char *name) {
    int i = m && name ? named_find(m, name) : -1;
    return i >= 0 ? m->arrays[i] : MX_NULL_ARRAY;
}

/* ---- metadata -------------------------------------------------------------------------- */
typedef struct meta_entry {
    char *name;
    mx_metadata_kind kind;
    char *string;   /* STRING */
    char **strings; /* STRINGS */
    int nstrings;
    mx_array array; /* ARRAY */
} meta_entry;

struct mx_metadata {
    int count, capacity;
    meta_entry *entries;
};

mx_metadata *mx_metadata_new(void) {
    mx_metadata *m = calloc(1, sizeof *m);
    if (!m)
        mx_set_error(MX_ERROR_MEMORY, "metadata: out of host memory");
    return m;
}

static void entry_clear_value(meta_entry *e) {
    free(e->string);
    for (int j = 0; j < e->nstrings; j++)
        free(e->strings[j]);
    free(e->strings);
    mx_free(e->array);
    e->string = NULL;
    e->strings = NULL;
    e->nstrings = 0;
    e->array = MX_NULL_ARRAY;
}

void mx_metadata_free(mx_metadata *m) {
    if (!m)
        return;
    for (int i = 0; i < m->count; i++) {
        entry_clear_value(&m->entries[i]);
        free(m->entries[i].name);
    }
    free(m->entries);
    free(m);
}

int mx_metadata_find(const mx_metadata *m, const char *name) {
    if (!m || !name)
        return -1;
    for (int i = 0; i < m->count; i++)
        if (strcmp(m->entries[i].name, name) == 0)
            return i;
    return -1;
}

/* The entry for name, emptied (new at the end, or replaced in place). */
static meta_entry *meta_slot(mx_metadata *m, const char *name) {
    if (!m || !name) {
        mx_set_error(MX_ERROR_VALUE, "metadata_set: null metadata or name");
        return NULL;
    }
    int i = mx_metadata_find(m, name);
    if (i >= 0) {
        entry_clear_value(&m->entries[i]);
        return &m->entries[i];
    }
    if (m->count == m->capacity) {
        int cap = m->capacity ? 2 * m->capacity : 8;
        meta_entry *grown = realloc(m->entries, (size_t)cap * sizeof *grown);
        if (!grown) {
            mx_set_error(MX_ERROR_MEMORY, "metadata_set: out of host memory");
            return NULL;
        }
        m->entries = grown;
        m->capacity = cap;
    }
    meta_entry *e = &m->entries[m->count];
    *e = (meta_entry){.name = strdup(name)};
    if (!e->name) {
        mx_set_error(MX_ERROR_MEMORY, "metadata_set: out of host memory");
        return NULL;
    }
    m->count++;
    return e;
}

mx_status mx_metadata_set_string(mx_metadata *m, const char *name, const char *value) {
    if (!value)
        return mx_set_error(MX_ERROR_VALUE, "metadata_set_string: null value");
    meta_entry *e = meta_slot(m, name);
    if (!e)
        return mx_last_status();
    e->kind = MX_METADATA_STRING;
    if (!(e->string = strdup(value)))
        return mx_set_error(MX_ERROR_MEMORY, "metadata_set_string: out of host memory");
    return MX_OK;
}

mx_status mx_metadata_set_strings(mx_metadata *m, const char *name, const char *const *values, int n) {
    if (n < 0 || (n > 0 && !values))
        return mx_set_error(MX_ERROR_VALUE, "metadata_set_strings: bad list of %d strings", n);
    meta_entry *e = meta_slot(m, name);
    if (!e)
        return mx_last_status();
    e->kind = MX_METADATA_STRINGS;
    e->strings = calloc(n ? (size_t)n : 1, sizeof *e->strings);
    if (!e->strings)
        return mx_set_error(MX_ERROR_MEMORY, "metadata_set_strings: out of host memory");
    for (int j = 0; j < n; j++) {
        if (!values[j] || !(e->strings[j] = strdup(values[j])))
            return mx_set_error(MX_ERROR_MEMORY, "metadata_set_strings: null string or out of memory");
        e->nstrings = j + 1;
    }
    return MX_OK;
}

mx_status mx_metadata_set_array(mx_metadata *m, const char *name, mx_array value) {
    if (!mx_handle_peek(value))
        return mx_set_error(MX_ERROR_HANDLE, "metadata_set_array: null or freed array");
    meta_entry *e = meta_slot(m, name);
    if (!e)
        return mx_last_status();
    e->kind = MX_METADATA_ARRAY;
    e->array = mx_retain(value);
    return MX_OK;
}

int mx_metadata_size(const mx_metadata *m) { return m ? m->count : 0; }
static const meta_entry *meta_at(const mx_metadata *m, int i) {
    return m && i >= 0 && i < m->count ? &m->entries[i] : NULL;
}
const char *mx_metadata_name(const mx_metadata *m, int i) {
    const meta_entry *e = meta_at(m, i);
    return e ? e->name : NULL;
}
mx_metadata_kind mx_metadata_kind_at(const mx_metadata *m, int i) {
    const meta_entry *e = meta_at(m, i);
    return e ? e->kind : MX_METADATA_STRING;
}
const char *mx_metadata_string(const mx_metadata *m, int i) {
    const meta_entry *e = meta_at(m, i);
    return e && e->kind == MX_METADATA_STRING ? e->string : NULL;
}
int mx_metadata_strings_count(const mx_metadata *m, int i) {
    const meta_entry *e = meta_at(m, i);
    return e && e->kind == MX_METADATA_STRINGS ? e->nstrings : 0;
}
const char *mx_metadata_strings_at(const mx_metadata *m, int i, int j) {
    const meta_entry *e = meta_at(m, i);
    return e && e->kind == MX_METADATA_STRINGS && j >= 0 && j < e->nstrings ? e->strings[j] : NULL;
}
mx_array mx_metadata_array(const mx_metadata *m, int i) {
    const meta_entry *e = meta_at(m, i);
    return e && e->kind == MX_METADATA_ARRAY ? e->array : MX_NULL_ARRAY;
}

bool io_metadata_all_strings(const mx_metadata *m) {
    for (int i = 0; i < mx_metadata_size(m); i++)
        if (m->entries[i].kind != MX_METADATA_STRING)
            return false;
    return true;
}
