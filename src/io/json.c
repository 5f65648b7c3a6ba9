/* io/json.c - just enough JSON for safetensors headers: a bounds-checked
 * recursive-descent reader (depth-limited, so hostile headers cannot blow
 * the stack) and nlohmann::json's string escaping for the writer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/io_internal.h"

#define JSON_MAX_DEPTH 64

typedef struct {
    const char *begin, *p, *end;
    char *why;
    size_t cap;
} json_reader;

static bool fail(json_reader *r, const char *what) {
    snprintf(r->why, r->cap, "%s at byte %td", what, r->p - r->begin);
    return false;
}

static void skip_ws(json_reader *r) {
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
        r->p++;
}

static bool put_utf8(char *buf, size_t *len, unsigned cp) {
    if (cp < 0x80) {
        buf[(*len)++] = (char)cp;
    } else if (cp < 0x800) {
        buf[(*len)++] = (char)(0xC0 | (cp >> 6));
        buf[(*len)++] = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        buf[(*len)++] = (char)(0xE0 | (cp >> 12));
        buf[(*len)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        buf[(*len)++] = (char)(0x80 | (cp & 0x3F));
    } else {
        buf[(*len)++] = (char)(0xF0 | (cp >> 18));
        buf[(*len)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
        buf[(*len)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        buf[(*len)++] = (char)(0x80 | (cp & 0x3F));
    }
    return true;
}

static bool hex4(json_reader *r, unsigned *out) {
    if (r->end - r->p < 4)
        return fail(r, "truncated \\u escape");
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = *r->p++;
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return fail(r, "bad \\u escape");
    }
    *out = v;
    return true;
}

/* r->p is just past the opening quote. */
static bool parse_string(json_reader *r, char **out) {
    const char *start = r->p;
    size_t raw = 0;
    while (start + raw < r->end && start[raw] != '"') {
        if (start[raw] == '\\')
            raw++;
        raw++;
    }
    if (start + raw >= r->end)
        return fail(r, "unterminated string");
    char *buf = malloc(raw + 1); /* escapes never lengthen the text */
    if (!buf)
        return fail(r, "out of memory");
    size_t len = 0;
    while (*r->p != '"') {
        unsigned char c = (unsigned char)*r->p++;
        if (c < 0x20) {
            free(buf);
            return fail(r, "control character in string");
        }
        if (c != '\\') {
            buf[len++] = (char)c;
            continue;
        }
        char e = *r->p++;
        unsigned cp;
        switch (e) {
        case '"': buf[len++] = '"'; break;
        case '\\': buf[len++] = '\\'; break;
        case '/': buf[len++] = '/'; break;
        case 'b': buf[len++] = '\b'; break;
        case 'f': buf[len++] = '\f'; break;
        case 'n': buf[len++] = '\n'; break;
        case 'r': buf[len++] = '\r'; break;
        case 't': buf[len++] = '\t'; break;
        case 'u':
            if (!hex4(r, &cp)) {
                free(buf);
                return false;
            }
            if (cp >= 0xD800 && cp < 0xDC00) { /* a surrogate pair: \uD8xx\uDCxx */
                unsigned lo;
                if (r->end - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u') {
                    free(buf);
                    return fail(r, "unpaired surrogate");
                }
                r->p += 2;
                if (!hex4(r, &lo) || lo < 0xDC00 || lo > 0xDFFF) {
                    free(buf);
                    return fail(r, "bad surrogate pair");
                }
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else if (cp == 0 || (cp >= 0xDC00 && cp < 0xE000)) {
                free(buf);
                return fail(r, "NUL or lone surrogate in string");
            }
            put_utf8(buf, &len, cp); /* \uXXXX is 6 bytes, UTF-8 at most 4 */
            break;
        default: free(buf); return fail(r, "bad escape in string");
        }
    }
    r->p++; /* closing quote */
    buf[len] = '\0';
    *out = buf;
    return true;
}

static bool parse_value(json_reader *r, json_value *v, int depth);

static bool parse_number(json_reader *r, json_value *v) {
    const char *s = r->p;
    bool neg = false, integer = true, overflow = false;
    uint64_t mag = 0;
    if (r->p < r->end && *r->p == '-') {
        neg = true;
        r->p++;
    }
    const char *digits = r->p;
    while (r->p < r->end && *r->p >= '0' && *r->p <= '9') {
        unsigned d = (unsigned)(*r->p - '0');
        if (mag > (UINT64_MAX - d) / 10)
            overflow = true;
        else
            mag = mag * 10 + d;
        r->p++;
    }
    if (r->p == digits)
        return fail(r, "bad number");
    if (r->p < r->end && *r->p == '.') {
        integer = false;
        r->p++;
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
            r->p++;
    }
    if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
        integer = false;
        r->p++;
        if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
            r->p++;
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
            r->p++;
    }
    (void)s;
    v->kind = JSON_NUMBER;
    v->is_integer = integer && !overflow && mag <= (neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX);
    if (v->is_integer)
        v->integer = neg ? (int64_t)(0 - mag) : (int64_t)mag;
    return true;
}

static bool literal(json_reader *r, const char *word) {
    size_t n = strlen(word);
    if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0)
        return fail(r, "unexpected character");
    r->p += n;
    return true;
}

static bool push_item(json_value *v, int *cap) {
    if (v->count == *cap) {
        int c = *cap ? 2 * *cap : 4;
        json_value *items = realloc(v->items, (size_t)c * sizeof *items);
        if (!items)
            return false;
        v->items = items;
        if (v->kind == JSON_OBJECT) {
            char **keys = realloc(v->keys, (size_t)c * sizeof *keys);
            if (!keys)
                return false;
            v->keys = keys;
        }
        *cap = c;
    }
    return true;
}

static bool parse_value(json_reader *r, json_value *v, int depth) {
    memset(v, 0, sizeof *v);
    if (depth > JSON_MAX_DEPTH)
        return fail(r, "nested too deeply");
    skip_ws(r);
    if (r->p >= r->end)
        return fail(r, "unexpected end");
    char c = *r->p;
    if (c == '"') {
        r->p++;
        v->kind = JSON_STRING;
        return parse_string(r, &v->string);
    }
    if (c == 'n')
        return literal(r, "null");
    if (c == 't') {
        v->kind = JSON_BOOL;
        v->boolean = true;
        return literal(r, "true");
    }
    if (c == 'f') {
        v->kind = JSON_BOOL;
        return literal(r, "false");
    }
    if (c == '-' || (c >= '0' && c <= '9'))
        return parse_number(r, v);
    if (c != '[' && c != '{')
        return fail(r, "unexpected character");
    bool object = c == '{';
    v->kind = object ? JSON_OBJECT : JSON_ARRAY;
    r->p++;
    int cap = 0;
    skip_ws(r);
    if (r->p < r->end && *r->p == (object ? '}' : ']')) {
        r->p++;
        return true;
    }
    for (;;) {
        if (!push_item(v, &cap))
            return fail(r, "out of memory");
        if (object) {
            skip_ws(r);
            if (r->p >= r->end || *r->p != '"')
                return fail(r, "expected a key");
            r->p++;
            if (!parse_string(r, &v->keys[v->count]))
                return false;
            skip_ws(r);
            if (r->p >= r->end || *r->p != ':') {
                free(v->keys[v->count]);
                return fail(r, "expected ':'");
            }
            r->p++;
        }
        bool ok = parse_value(r, &v->items[v->count], depth + 1);
        v->count++; /* counted even on failure, so json_free releases it */
        if (!ok)
            return false;
        skip_ws(r);
        if (r->p < r->end && *r->p == ',') {
            r->p++;
            continue;
        }
        if (r->p < r->end && *r->p == (object ? '}' : ']')) {
            r->p++;
            return true;
        }
        return fail(r, object ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

bool json_parse(const char *text, size_t len, json_value *out, char *why, size_t cap) {
    json_reader r = {.begin = text, .p = text, .end = text + len, .why = why, .cap = cap};
    if (!parse_value(&r, out, 0)) {
        json_free(out);
        return false;
    }
    skip_ws(&r);
    if (r.p != r.end) {
        json_free(out);
        return fail(&r, "trailing characters");
    }
    return true;
}

void json_free(json_value *v) {
    free(v->string);
    for (int i = 0; i < v->count; i++) {
        if (v->kind == JSON_OBJECT)
            free(v->keys[i]);
        json_free(&v->items[i]);
    }
    free(v->keys);
    free(v->items);
    memset(v, 0, sizeof *v);
}

const json_value *json_get(const json_value *o, const char *key) {
    if (o->kind != JSON_OBJECT)
        return NULL;
    for (int i = 0; i < o->count; i++)
        if (strcmp(o->keys[i], key) == 0)
            return &o->items[i];
    return NULL;
}

bool json_write_string(io_writer *w, const char *s) {
    io_write_u8(w, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char esc[8];
        switch (*p) {
        case '"': io_write_str(w, "\\\""); break;
        case '\\': io_write_str(w, "\\\\"); break;
        case '\b': io_write_str(w, "\\b"); break;
        case '\f': io_write_str(w, "\\f"); break;
        case '\n': io_write_str(w, "\\n"); break;
        case '\r': io_write_str(w, "\\r"); break;
        case '\t': io_write_str(w, "\\t"); break;
        default:
            if (*p < 0x20) {
                snprintf(esc, sizeof esc, "\\u%04x", *p);
                io_write_str(w, esc);
            } else {
                io_write_u8(w, *p);
            }
        }
    }
    return io_write_u8(w, '"');
}
