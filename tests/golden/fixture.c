/* tests/golden/fixture.c - length-checked reader of the golden fixture files. */
#include "fixture.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char k_magic[8] = {'C', 'M', 'L', 'X', 'G', 'L', 'D', '1'};

/* A bounded cursor: every read checks the remaining length first. */
typedef struct reader {
    const uint8_t *p, *end;
    char *err;
    size_t err_cap;
    bool failed;
} reader;

static bool fail(reader *r, const char *fmt, ...) {
    if (!r->failed) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->err, r->err_cap, fmt, ap);
        va_end(ap);
    }
    r->failed = true;
    return false;
}

static bool take(reader *r, size_t n, const uint8_t **out) {
    if (r->failed)
        return false;
    if ((size_t)(r->end - r->p) < n)
        return fail(r, "truncated: need %zu bytes, %zu left", n, (size_t)(r->end - r->p));
    *out = r->p;
    r->p += n;
    return true;
}

static uint64_t load_le(const uint8_t *b, int n) {
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = (v << 8) | b[i];
    return v;
}

static bool get_uint(reader *r, int n, uint64_t *out) {
    const uint8_t *b = NULL;
    if (!take(r, (size_t)n, &b))
        return false;
    *out = load_le(b, n);
    return true;
}

static bool get_str(reader *r, char *dst, size_t cap, const char *what) {
    uint64_t len;
    const uint8_t *b = NULL;
    if (!get_uint(r, 2, &len) || !take(r, (size_t)len, &b))
        return false;
    if (len >= cap)
        return fail(r, "%s of %llu bytes is too long", what, (unsigned long long)len);
    memcpy(dst, b, (size_t)len);
    dst[len] = '\0';
    return true;
}

static bool get_array(reader *r, golden_array *a) {
    uint64_t dtype, ndim, nbytes;
    if (!get_uint(r, 1, &dtype) || !get_uint(r, 1, &ndim))
        return false;
    if (dtype >= MX_DTYPE_COUNT)
        return fail(r, "bad dtype %llu", (unsigned long long)dtype);
    if (ndim > MX_MAX_NDIM)
        return fail(r, "bad rank %llu", (unsigned long long)ndim);
    a->dtype = (mx_dtype)dtype;
    a->ndim = (int)ndim;
    uint64_t size = 1;
    for (int i = 0; i < a->ndim; i++) {
        uint64_t d;
        if (!get_uint(r, 8, &d))
            return false;
        if (d > ((uint64_t)1 << 40))
            return fail(r, "bad dimension %lld", (long long)(int64_t)d);
        a->shape[i] = (int64_t)d;
        size = d && size > ((uint64_t)1 << 40) / d ? ((uint64_t)1 << 41) : size * d;
    }
    if (size > ((uint64_t)1 << 40))
        return fail(r, "array too large");
    a->size = (int64_t)size;
    if (!get_uint(r, 8, &nbytes))
        return false;
    if (nbytes != size * mx_dtype_size(a->dtype))
        return fail(r, "array of %llu elements of %s has %llu bytes", (unsigned long long)size, mx_dtype_name(a->dtype),
                    (unsigned long long)nbytes);
    a->nbytes = (size_t)nbytes;
    return take(r, a->nbytes, &a->data);
}

static bool get_case(reader *r, golden_case *c) {
    uint64_t v;
    memset(c, 0, sizeof *c);
    if (!get_str(r, c->op, sizeof c->op, "op name") || !get_str(r, c->label, sizeof c->label, "label") ||
        !get_uint(r, 1, &v))
        return false;
    c->column = (int)v;
    if (c->column != GOLDEN_NO_COLUMN && c->column >= MX_DTYPE_COUNT)
        return fail(r, "bad column %d", c->column);
    if (!get_uint(r, 1, &v))
        return false;
    if (v > GOLDEN_MAX_PARAMS)
        return fail(r, "%llu params", (unsigned long long)v);
    c->nparams = (int)v;
    for (int i = 0; i < c->nparams; i++) {
        golden_param *p = &c->params[i];
        uint64_t kind, count;
        if (!get_str(r, p->key, sizeof p->key, "param key") || !get_uint(r, 1, &kind) || !get_uint(r, 4, &count))
            return false;
        if ((kind != 'i' && kind != 'f') || count > 4096)
            return fail(r, "param %s: kind %llu, %llu values", p->key, (unsigned long long)kind,
                        (unsigned long long)count);
        p->kind = (char)kind;
        p->count = (int)count;
        if (!take(r, 8 * (size_t)count, &p->values))
            return false;
    }
    if (!get_uint(r, 1, &v))
        return false;
    if (v > GOLDEN_MAX_INPUTS)
        return fail(r, "%llu inputs", (unsigned long long)v);
    c->ninputs = (int)v;
    for (int i = 0; i < c->ninputs; i++) {
        golden_input *in = &c->inputs[i];
        if (!get_array(r, &in->array) || !get_uint(r, 1, &v))
            return false;
        if (v > GOLDEN_MAX_VIEWS)
            return fail(r, "%llu views", (unsigned long long)v);
        in->nviews = (int)v;
        for (int j = 0; j < in->nviews; j++) {
            golden_view *w = &in->views[j];
            uint64_t kind, count;
            if (!get_uint(r, 1, &kind) || !get_uint(r, 1, &count))
                return false;
            if (kind < GOLDEN_VIEW_TRANSPOSE || kind > GOLDEN_VIEW_BROADCAST || count > 3 * MX_MAX_NDIM)
                return fail(r, "view kind %llu with %llu values", (unsigned long long)kind, (unsigned long long)count);
            w->kind = (int)kind;
            w->count = (int)count;
            for (int k = 0; k < w->count; k++) {
                if (!get_uint(r, 8, &v))
                    return false;
                w->args[k] = (int64_t)v;
            }
        }
    }
    uint64_t status, at_eval, nout;
    if (!get_uint(r, 1, &status) || !get_uint(r, 1, &at_eval) || !get_uint(r, 2, &nout))
        return false;
    if ((status > MX_ERROR_INDEX && status != GOLDEN_STATUS_ANY) || at_eval > 1 || nout > GOLDEN_MAX_OUTPUTS)
        return fail(r, "status %llu, at_eval %llu, %llu outputs", (unsigned long long)status,
                    (unsigned long long)at_eval, (unsigned long long)nout);
    c->status = (int)status;
    c->at_eval = at_eval != 0;
    c->noutputs = (int)nout;
    for (int i = 0; i < c->noutputs; i++)
        if (!get_array(r, &c->outputs[i]))
            return false;
    return true;
}

bool golden_file_open(golden_file *f, const char *path, char *err, size_t err_cap) {
    memset(f, 0, sizeof *f);
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        snprintf(err, err_cap, "cannot open %s", path);
        return false;
    }
    bool ok = fseek(fp, 0, SEEK_END) == 0;
    long size = ok ? ftell(fp) : -1;
    ok = ok && size >= 0 && fseek(fp, 0, SEEK_SET) == 0;
    f->bytes = ok ? malloc((size_t)size + 1) : NULL;
    ok = f->bytes && fread(f->bytes, 1, (size_t)size, fp) == (size_t)size;
    fclose(fp);
    if (!ok) {
        snprintf(err, err_cap, "cannot read %s", path);
        golden_file_close(f);
        return false;
    }
    f->size = (size_t)size;
    if (f->size < 12 || memcmp(f->bytes, k_magic, sizeof k_magic) != 0) {
        snprintf(err, err_cap, "%s is not a golden fixture file (bad magic)", path);
        golden_file_close(f);
        return false;
    }
    f->count = (uint32_t)load_le(f->bytes + 8, 4);
    f->pos = 12;
    return true;
}

void golden_file_close(golden_file *f) {
    free(f->bytes);
    memset(f, 0, sizeof *f);
}

int golden_file_next(golden_file *f, golden_case *c, char *err, size_t err_cap) {
    reader r = {f->bytes + f->pos, f->bytes + f->size, err, err_cap, false};
    if (f->parsed == f->count) {
        if (r.p != r.end) {
            snprintf(err, err_cap, "%zu bytes after the last case", (size_t)(r.end - r.p));
            return -1;
        }
        return 0;
    }
    uint64_t len;
    const uint8_t *body = NULL;
    if (!get_uint(&r, 4, &len) || !take(&r, (size_t)len, &body))
        return -1;
    reader br = {body, body + len, err, err_cap, false};
    if (!get_case(&br, c))
        return -1;
    if (br.p != br.end) {
        snprintf(err, err_cap, "case %u (%s): %zu unread bytes", f->parsed, c->op, (size_t)(br.end - br.p));
        return -1;
    }
    f->pos = (size_t)(r.p - f->bytes);
    f->parsed++;
    return 1;
}

const golden_param *golden_param_find(const golden_case *c, const char *key) {
    for (int i = 0; i < c->nparams; i++)
        if (strcmp(c->params[i].key, key) == 0)
            return &c->params[i];
    return NULL;
}

int64_t golden_param_int_at(const golden_param *p, int i) { return (int64_t)load_le(p->values + 8 * i, 8); }

double golden_param_double_at(const golden_param *p, int i) {
    uint64_t bits = load_le(p->values + 8 * i, 8);
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

bool golden_param_int(const golden_case *c, const char *key, int64_t *out) {
    const golden_param *p = golden_param_find(c, key);
    if (!p || p->kind != 'i' || p->count != 1)
        return false;
    *out = golden_param_int_at(p, 0);
    return true;
}

bool golden_param_double(const golden_case *c, const char *key, double *out) {
    const golden_param *p = golden_param_find(c, key);
    if (!p || p->count != 1)
        return false;
    *out = p->kind == 'f' ? golden_param_double_at(p, 0) : (double)golden_param_int_at(p, 0);
    return true;
}
