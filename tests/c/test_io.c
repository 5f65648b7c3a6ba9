#define _GNU_SOURCE
/* tests/c/test_io.c - safetensors, npy, npz and gguf through the C API:
 * round trips in every dtype each format holds, laziness (a loaded array
 * is unevaluated and outlives its map), byte-level layouts (npy headers,
 * big-endian and Fortran files, gguf Q4_0/Q4_1/Q8_0 conversion), hand-made
 * corrupt files, and a fuzz loop of byte flips and truncations (run under
 * ASan by make test-asan) that must give errors, never crashes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "core/half.h"

static char g_dir[64];

static const char *tmp_path(const char *name) {
    static char buf[8][256];
    static int k;
    char *p = buf[k++ % 8];
    snprintf(p, 256, "%s/%s", g_dir, name);
    return p;
}

static void write_file(const char *path, const void *data, size_t n) {
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(data, 1, n, f);
        fclose(f);
    }
}

/* An array of `dtype` with distinct bit patterns: 0..n-1 cast (bool: parity). */
static mx_array sample(mx_dtype dtype, const int64_t *shape, int ndim) {
    int64_t n = 1;
    for (int i = 0; i < ndim; i++)
        n *= shape[i];
    mx_array a = mx_arange(0, (double)n, 1, MX_FLOAT32);
    mx_array b = mx_multiply(a, mx_scalar(dtype == MX_BOOL ? 1.0 : 1.25, MX_FLOAT32));
    mx_array c = mx_reshape(mx_subtract(b, mx_scalar(3.0, MX_FLOAT32)), shape, ndim);
    mx_array d = dtype == MX_BOOL ? mx_greater(mx_remainder(c, mx_scalar(2.0, MX_FLOAT32)), mx_scalar(0.5, MX_FLOAT32))
                                  : mx_astype(c, dtype);
    mx_free(a);
    mx_free(b);
    mx_free(c);
    return d;
}

static bool same_bytes(mx_array a, mx_array b) {
    if (mx_array_dtype(a) != mx_array_dtype(b) || mx_ndim(a) != mx_ndim(b) || mx_nbytes(a) != mx_nbytes(b))
        return false;
    for (int i = 0; i < mx_ndim(a); i++)
        if (mx_shape(a)[i] != mx_shape(b)[i])
            return false;
    const void *pa = mx_data(a), *pb = mx_data(b);
    if (mx_nbytes(a) == 0)
        return true;
    return pa && pb && memcmp(pa, pb, mx_nbytes(a)) == 0;
}

static const mx_dtype st_dtypes[] = {MX_BOOL,  MX_UINT8, MX_UINT16,  MX_UINT32,   MX_UINT64,  MX_INT8,     MX_INT16,
                                     MX_INT32, MX_INT64, MX_FLOAT16, MX_BFLOAT16, MX_FLOAT32, MX_COMPLEX64};

static void test_safetensors_round_trip(void) {
    mx_scope scope = mx_scope_begin();
    mx_named_arrays *map = mx_named_arrays_new();
    char name[32];
    for (size_t i = 0; i < sizeof st_dtypes / sizeof *st_dtypes; i++) {
        snprintf(name, sizeof name, "t_%s", mx_dtype_name(st_dtypes[i]));
        CHECK_OK(mx_named_arrays_set(map, name, sample(st_dtypes[i], SHAPE(3, 5))));
    }
    CHECK_OK(mx_named_arrays_set(map, "scalar", mx_scalar_f32(2.5f)));
    CHECK_OK(mx_named_arrays_set(map, "empty", mx_zeros(SHAPE(0, 4), MX_FLOAT32)));
    mx_metadata *meta = mx_metadata_new();
    CHECK_OK(mx_metadata_set_string(meta, "format", "mlx"));
    CHECK_OK(mx_metadata_set_string(meta, "quote\"\n", "caf\xc3\xa9 \x01"));
    CHECK_OK(mx_save_safetensors(tmp_path("a"), map, meta)); /* ".safetensors" appended */
    mx_named_arrays *back = NULL;
    mx_metadata *meta_back = NULL;
    CHECK_OK(mx_load_safetensors(tmp_path("a.safetensors"), &back, &meta_back));
    CHECK_EQ_INT(mx_named_arrays_size(back), mx_named_arrays_size(map));
    for (int i = 0; i < mx_named_arrays_size(map); i++) {
        mx_array got = mx_named_arrays_get(back, mx_named_arrays_name(map, i));
        CHECK(!mx_is_evaluated(got)); /* lazy */
        CHECK(same_bytes(got, mx_named_arrays_at(map, i)));
    }
    CHECK_EQ_INT(mx_metadata_size(meta_back), 2);
    int k = mx_metadata_find(meta_back, "quote\"\n");
    CHECK(k >= 0 && strcmp(mx_metadata_string(meta_back, k), "caf\xc3\xa9 \x01") == 0);
    /* an array outlives its map and the file's mapping stays valid */
    mx_array kept = mx_retain(mx_named_arrays_get(back, "t_float32"));
    mx_named_arrays_free(back);
    mx_array ref = sample(MX_FLOAT32, SHAPE(3, 5));
    CHECK(same_bytes(kept, ref));
    /* float64 is refused, as MLX */
    mx_named_arrays *f64 = mx_named_arrays_new();
    mx_named_arrays_set(f64, "x", mx_zeros(SHAPE(2), MX_FLOAT64));
    CHECK(mx_save_safetensors(tmp_path("f64"), f64, NULL) != MX_OK);
    CHECK(strstr(mx_last_error(), "float64") != NULL);
    /* non-string metadata is refused */
    mx_metadata *bad = mx_metadata_new();
    mx_metadata_set_array(bad, "n", mx_scalar_i32(1));
    CHECK_EQ_INT(mx_save_safetensors(tmp_path("b"), map, bad), MX_ERROR_VALUE);
    mx_metadata_free(bad);
    mx_named_arrays_free(f64);
    mx_metadata_free(meta);
    mx_metadata_free(meta_back);
    mx_named_arrays_free(map);
    mx_free(kept);
    mx_scope_end(scope);
}

/* MLX's header bytes for one array without metadata; aligned data aliases the mapping. */
static void test_safetensors_layout(void) {
    mx_scope scope = mx_scope_begin();
    mx_named_arrays *map = mx_named_arrays_new();
    mx_named_arrays_set(map, "z", mx_arange(0, 3, 1, MX_FLOAT32));
    void *data = NULL;
    size_t size = 0;
    CHECK_OK(mx_save_memory("safetensors", MX_NULL_ARRAY, map, NULL, false, &data, &size));
    const char *want = "{\"__metadata__\":null,\"z\":{\"data_offsets\":[0,12],\"dtype\":\"F32\",\"shape\":[3]}}";
    uint64_t hl;
    memcpy(&hl, data, 8);
    CHECK_EQ_INT(hl % 8, 0);
    CHECK(size == 8 + hl + 12);
    CHECK(memcmp((char *)data + 8, want, strlen(want)) == 0);
    mx_named_arrays *back = NULL;
    CHECK_OK(mx_load_memory(data, size, "safetensors", NULL, &back, NULL));
    const float *f = mx_data_f32(mx_named_arrays_get(back, "z"));
    CHECK(f && f[0] == 0.0f && f[2] == 2.0f);
    free(data);
    mx_named_arrays_free(back);
    mx_named_arrays_free(map);
    mx_scope_end(scope);
}

static const mx_dtype npy_dtypes[] = {MX_BOOL,    MX_UINT8,   MX_UINT16,   MX_UINT32,   MX_UINT64,
                                      MX_INT8,    MX_INT16,   MX_INT32,    MX_INT64,    MX_FLOAT16,
                                      MX_FLOAT32, MX_FLOAT64, MX_BFLOAT16, MX_COMPLEX64};

static void test_npy_round_trip(void) {
    mx_scope scope = mx_scope_begin();
    for (size_t i = 0; i < sizeof npy_dtypes / sizeof *npy_dtypes; i++) {
        mx_array a = sample(npy_dtypes[i], SHAPE(2, 3, 4));
        CHECK_OK(mx_save(tmp_path("n"), a));
        mx_array b = mx_load_npy(tmp_path("n.npy"));
        CHECK(same_bytes(a, b));
    }
    /* a transposed array is written column-major with fortran_order True */
    int perm[2] = {1, 0};
    mx_array t = mx_transpose(sample(MX_INT32, SHAPE(2, 3)), perm, 2);
    void *data = NULL;
    size_t size = 0;
    CHECK_OK(mx_save_memory("npy", t, NULL, NULL, false, &data, &size));
    CHECK(strstr((char *)data + 10, "'fortran_order': True, 'shape': (3, 2, )}") != NULL);
    mx_array back = MX_NULL_ARRAY;
    CHECK_OK(mx_load_memory(data, size, "npy", &back, NULL, NULL));
    CHECK(same_bytes(back, t));
    free(data);
    /* MLX's exact header for a row-major (2, 3) int32 */
    CHECK_OK(mx_save_memory("npy", sample(MX_INT32, SHAPE(2, 3)), NULL, NULL, false, &data, &size));
    const char *hdr = "\x93NUMPY\x01\x00\x44\x00{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3, )}        \n";
    CHECK(size == 10 + 68 + 24 && memcmp(data, hdr, 78) == 0);
    free(data);
    mx_scope_end(scope);
}

static void test_npy_foreign_files(void) {
    mx_scope scope = mx_scope_begin();
    /* big-endian int32 (2, 3), as numpy writes '>i4' */
    unsigned char file[128 + 24];
    const char *h = "{'descr': '>i4', 'fortran_order': False, 'shape': (2, 3), }";
    size_t hl = 118; /* 10 + 118 = 128 */
    memcpy(file, "\x93NUMPY\x01\x00", 8);
    file[8] = (unsigned char)hl;
    file[9] = 0;
    memset(file + 10, ' ', hl);
    memcpy(file + 10, h, strlen(h));
    file[127] = '\n';
    for (int i = 0; i < 6; i++) {
        unsigned char *p = file + 128 + 4 * i;
        p[0] = p[1] = p[2] = 0;
        p[3] = (unsigned char)(i + 1);
    }
    write_file(tmp_path("be.npy"), file, sizeof file);
    mx_array a = mx_load_npy(tmp_path("be.npy"));
    const int32_t *v = mx_data_i32(a);
    CHECK(v && v[0] == 1 && v[5] == 6);
    /* Fortran order: the same bytes are the transpose */
    const char *hf = "{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3), }";
    memset(file + 10, ' ', hl);
    memcpy(file + 10, hf, strlen(hf));
    for (int i = 0; i < 6; i++) {
        int32_t x = i;
        memcpy(file + 128 + 4 * i, &x, 4);
    }
    write_file(tmp_path("f.npy"), file, sizeof file);
    mx_array f = mx_load_npy(tmp_path("f.npy"));
    CHECK_EQ_INT(mx_shape(f)[0], 2);
    v = mx_data_i32(f);
    CHECK(v && v[0] == 0 && v[1] == 2 && v[2] == 4 && v[3] == 1 && v[5] == 5); /* column-major 0..5 */
    /* an unsupported type string is a ValueError naming it */
    const char *hu = "{'descr': '<U1', 'fortran_order': False, 'shape': (2, 3), }";
    memset(file + 10, ' ', hl);
    memcpy(file + 10, hu, strlen(hu));
    write_file(tmp_path("u.npy"), file, sizeof file);
    mx_array u = mx_load_npy(tmp_path("u.npy"));
    CHECK_EQ_INT(mx_array_status(u), MX_ERROR_VALUE);
    CHECK(strstr(mx_last_error(), "<U1") != NULL);
    mx_scope_end(scope);
}

static void test_npz(void) {
    mx_scope scope = mx_scope_begin();
    for (int compressed = 0; compressed < 2; compressed++) {
        mx_named_arrays *map = mx_named_arrays_new();
        mx_named_arrays_set(map, "w", sample(MX_FLOAT32, SHAPE(64, 33)));
        mx_named_arrays_set(map, "idx", sample(MX_INT64, SHAPE(7)));
        mx_named_arrays_set(map, "flag", sample(MX_BOOL, SHAPE(3)));
        CHECK_OK(mx_savez(tmp_path("z"), map, compressed));
        mx_named_arrays *back = NULL;
        CHECK_OK(mx_load_npz(tmp_path("z.npz"), &back));
        CHECK_EQ_INT(mx_named_arrays_size(back), 3);
        for (int i = 0; i < 3; i++)
            CHECK(same_bytes(mx_named_arrays_get(back, mx_named_arrays_name(map, i)), mx_named_arrays_at(map, i)));
        mx_array via_load = MX_NULL_ARRAY;
        mx_named_arrays *via_map = NULL;
        CHECK_OK(mx_load(tmp_path("z.npz"), NULL, &via_load, &via_map, NULL));
        CHECK_EQ_INT(mx_named_arrays_size(via_map), 3);
        mx_metadata *meta = NULL;
        CHECK_EQ_INT(mx_load(tmp_path("z.npz"), NULL, NULL, &via_map, &meta), MX_ERROR_VALUE);
        mx_named_arrays_free(via_map);
        mx_named_arrays_free(back);
        mx_named_arrays_free(map);
    }
    mx_scope_end(scope);
}

static void test_gguf_round_trip(void) {
    mx_scope scope = mx_scope_begin();
    mx_named_arrays *map = mx_named_arrays_new();
    const mx_dtype dts[] = {MX_FLOAT32, MX_FLOAT16, MX_INT8, MX_INT16, MX_INT32};
    char name[32];
    for (int i = 0; i < 5; i++) {
        snprintf(name, sizeof name, "blk.%d.weight", i);
        mx_named_arrays_set(map, name, sample(dts[i], SHAPE(3, 2, 5)));
    }
    mx_metadata *meta = mx_metadata_new();
    mx_metadata_set_string(meta, "general.name", "tiny");
    const char *toks[] = {"<s>", "</s>", "hello"};
    mx_metadata_set_strings(meta, "tokenizer.tokens", toks, 3);
    mx_metadata_set_array(meta, "n_layers", mx_scalar_i32(5));
    mx_metadata_set_array(meta, "scores", sample(MX_FLOAT32, SHAPE(4)));
    mx_metadata_set_array(meta, "flag", mx_scalar_bool(true));
    CHECK_OK(mx_save_gguf(tmp_path("g"), map, meta));
    mx_named_arrays *back = NULL;
    mx_metadata *mb = NULL;
    CHECK_OK(mx_load_gguf(tmp_path("g.gguf"), &back, &mb));
    CHECK_EQ_INT(mx_named_arrays_size(back), 5);
    for (int i = 0; i < 5; i++)
        CHECK(same_bytes(mx_named_arrays_get(back, mx_named_arrays_name(map, i)), mx_named_arrays_at(map, i)));
    CHECK_EQ_INT(mx_metadata_size(mb), 5);
    int k = mx_metadata_find(mb, "tokenizer.tokens");
    CHECK(k >= 0 && mx_metadata_strings_count(mb, k) == 3 && strcmp(mx_metadata_strings_at(mb, k, 2), "hello") == 0);
    k = mx_metadata_find(mb, "n_layers");
    CHECK(k >= 0 && mx_array_dtype(mx_metadata_array(mb, k)) == MX_INT32 && mx_ndim(mx_metadata_array(mb, k)) == 0);
    k = mx_metadata_find(mb, "scores");
    CHECK(k >= 0 && same_bytes(mx_metadata_array(mb, k), sample(MX_FLOAT32, SHAPE(4))));
    /* MLX refuses bfloat16 and 2-d metadata */
    mx_named_arrays *bad = mx_named_arrays_new();
    mx_named_arrays_set(bad, "x", mx_zeros(SHAPE(2), MX_BFLOAT16));
    CHECK(mx_save_gguf(tmp_path("h"), bad, NULL) != MX_OK);
    mx_metadata *bad_meta = mx_metadata_new();
    mx_metadata_set_array(bad_meta, "m", mx_zeros(SHAPE(2, 2), MX_FLOAT32));
    CHECK(mx_save_gguf(tmp_path("h"), map, bad_meta) != MX_OK);
    CHECK(strstr(mx_last_error(), "more than one dimension") != NULL);
    mx_metadata_free(bad_meta);
    mx_named_arrays_free(bad);
    mx_named_arrays_free(back);
    mx_metadata_free(mb);
    mx_metadata_free(meta);
    mx_named_arrays_free(map);
    mx_scope_end(scope);
}

/* A one-tensor gguf file (1 row of 32 values) of ggml type `type` with block `block`. */
static size_t gguf_one_tensor(unsigned char *out, uint32_t type, const char *name, const unsigned char *block,
                              size_t block_size) {
    size_t p = 0;
    uint32_t u32;
    uint64_t u64;
#define PUT(v) (memcpy(out + p, &(v), sizeof(v)), p += sizeof(v))
    u32 = 0x46554747u;
    PUT(u32);
    u32 = 3;
    PUT(u32);
    u64 = 1;
    PUT(u64);
    u64 = 0;
    PUT(u64);
    u64 = strlen(name);
    PUT(u64);
    memcpy(out + p, name, strlen(name));
    p += strlen(name);
    u32 = 2;
    PUT(u32);
    u64 = 32;
    PUT(u64);
    u64 = 1;
    PUT(u64);
    PUT(type);
    u64 = 0;
    PUT(u64);
#undef PUT
    while (p % 32)
        out[p++] = 0;
    memcpy(out + p, block, block_size);
    return p + block_size;
}

static void test_gguf_quantized(void) {
    mx_scope scope = mx_scope_begin();
    unsigned char block[34], file[256];
    uint16_t d = mx_f32_to_f16(0.5f), m = mx_f32_to_f16(-1.0f);
    /* Q4_0: byte j holds value j (low nibble) and j + 16 (high nibble) */
    memcpy(block, &d, 2);
    for (int j = 0; j < 16; j++)
        block[2 + j] = (unsigned char)((j & 0xF) | ((15 - j) << 4));
    size_t n = gguf_one_tensor(file, 2, "blk.0.attn_q.weight", block, 18);
    mx_named_arrays *map = NULL;
    CHECK_OK(mx_load_memory(file, n, "gguf", NULL, &map, NULL));
    mx_array w = mx_named_arrays_get(map, "blk.0.attn_q.weight"), s = mx_named_arrays_get(map, "blk.0.attn_q.scales"),
             b = mx_named_arrays_get(map, "blk.0.attn_q.biases");
    CHECK(mx_array_dtype(w) == MX_UINT32 && mx_shape(w)[0] == 1 && mx_shape(w)[1] == 4);
    CHECK(mx_array_dtype(s) == MX_FLOAT16 && mx_shape(s)[1] == 1);
    mx_array deq = mx_dequantize(w, s, b, 32, 4, "affine", MX_DTYPE_COUNT);
    mx_array deq32 = mx_astype(deq, MX_FLOAT32);
    const float *v = mx_data_f32(deq32);
    for (int j = 0; v && j < 32; j++) {
        int q = j < 16 ? j : 15 - (j - 16);
        CHECK_CLOSE(v[j], 0.5 * (q - 8), 0, 0);
    }
    mx_named_arrays_free(map);
    /* Q4_1: value = q * d + m */
    memcpy(block, &d, 2);
    memcpy(block + 2, &m, 2);
    for (int j = 0; j < 16; j++)
        block[4 + j] = (unsigned char)(j | (j << 4));
    n = gguf_one_tensor(file, 3, "w", block, 20);
    CHECK_OK(mx_load_memory(file, n, "gguf", NULL, &map, NULL));
    deq32 = mx_astype(mx_dequantize(mx_named_arrays_get(map, "w"), mx_named_arrays_get(map, "w.scales"),
                                    mx_named_arrays_get(map, "w.biases"), 32, 4, "affine", MX_DTYPE_COUNT),
                      MX_FLOAT32);
    v = mx_data_f32(deq32);
    for (int j = 0; v && j < 32; j++)
        CHECK_CLOSE(v[j], 0.5 * (j % 16) - 1.0, 0, 0);
    mx_named_arrays_free(map);
    /* Q8_0: value = q * d, q signed */
    memcpy(block, &d, 2);
    for (int j = 0; j < 32; j++)
        block[2 + j] = (unsigned char)(int8_t)(j * 8 - 128);
    n = gguf_one_tensor(file, 8, "x.weight", block, 34);
    CHECK_OK(mx_load_memory(file, n, "gguf", NULL, &map, NULL));
    w = mx_named_arrays_get(map, "x.weight");
    CHECK(mx_shape(w)[1] == 8);
    deq32 = mx_astype(mx_dequantize(w, mx_named_arrays_get(map, "x.scales"), mx_named_arrays_get(map, "x.biases"), 32,
                                    8, "affine", MX_DTYPE_COUNT),
                      MX_FLOAT32);
    v = mx_data_f32(deq32);
    for (int j = 0; v && j < 32; j++)
        CHECK_CLOSE(v[j], 0.5 * (j * 8 - 128), 0, 0);
    mx_named_arrays_free(map);
    /* a type cmlx does not convert (Q5_0 = 6) is an error naming it */
    n = gguf_one_tensor(file, 6, "q5", block, 22);
    CHECK_EQ_INT(mx_load_memory(file, n, "gguf", NULL, &map, NULL), MX_ERROR_IO);
    CHECK(strstr(mx_last_error(), "unsupported type 6") != NULL);
    mx_scope_end(scope);
}

/* Loads bytes in `format` and, if that works, evaluates everything it gave. */
static mx_status load_and_touch(const void *data, size_t n, const char *format) {
    mx_array a = MX_NULL_ARRAY;
    mx_named_arrays *map = NULL;
    mx_metadata *meta = NULL;
    bool is_npy = strcmp(format, "npy") == 0, is_npz = strcmp(format, "npz") == 0;
    mx_status st = mx_load_memory(data, n, format, &a, &map, is_npy || is_npz ? NULL : &meta);
    if (st != MX_OK)
        return st;
    if (is_npy) {
        st = mx_eval1(a);
        if (st == MX_OK && mx_size(a) > 0 && !mx_data(a))
            st = MX_ERROR_INTERNAL;
        mx_free(a);
        return st;
    }
    for (int i = 0; i < mx_named_arrays_size(map) && st == MX_OK; i++) {
        mx_array x = mx_named_arrays_at(map, i);
        st = mx_eval1(x);
        if (st == MX_OK && mx_size(x) > 0 && !mx_data(x))
            st = MX_ERROR_INTERNAL;
    }
    mx_named_arrays_free(map);
    mx_metadata_free(meta);
    return st;
}

static void test_corrupt_files(void) {
    mx_scope scope = mx_scope_begin();
    /* safetensors: hand-made headers */
    struct {
        const char *json;
        const char *why;
    } cases[] = {
        {"{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", "beyond the end"},
        {"{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,4]}}", "need 12 bytes"},
        {"{\"a\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,4]}}", "overflows"},
        {"{\"a\":{\"dtype\":\"Q9\",\"shape\":[1],\"data_offsets\":[0,4]}}", "unsupported dtype Q9"},
        {"{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", "bad shape"},
        {"{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", "bad data_offsets"},
        {"{\"a\":{\"dtype\":\"F32\"}}", "needs"},
        {"{\"a\":", "invalid JSON"},
        {"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"
         "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
         "nested too deeply"},
        {"{\"__metadata__\":{\"k\":1}}", "not a string"},
    };
    unsigned char buf[512];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        uint64_t hl = strlen(cases[i].json);
        memcpy(buf, &hl, 8);
        memcpy(buf + 8, cases[i].json, hl);
        memset(buf + 8 + hl, 0, 4); /* 4 bytes of data */
        write_file(tmp_path("bad.safetensors"), buf, 8 + hl + 4);
        mx_named_arrays *map = NULL;
        mx_status st = mx_load_safetensors(tmp_path("bad.safetensors"), &map, NULL);
        CHECK_EQ_INT(st, MX_ERROR_IO);
        CHECK(map == NULL);
        if (!strstr(mx_last_error(), cases[i].why) || !strstr(mx_last_error(), "bad.safetensors"))
            fprintf(stderr, "  case %zu: message '%s' lacks '%s'\n", i, mx_last_error(), cases[i].why);
        CHECK(strstr(mx_last_error(), cases[i].why) != NULL);
    }
    /* oversized header length, too-short file */
    uint64_t huge = UINT64_MAX - 3;
    memcpy(buf, &huge, 8);
    CHECK_EQ_INT(mx_load_memory(buf, 16, "safetensors", NULL, &(mx_named_arrays *){NULL}, NULL), MX_ERROR_IO);
    CHECK(strstr(mx_last_error(), "exceeds the file size") != NULL);
    CHECK_EQ_INT(mx_load_memory(buf, 5, "safetensors", NULL, &(mx_named_arrays *){NULL}, NULL), MX_ERROR_IO);
    /* missing files, unknown formats */
    mx_array a = MX_NULL_ARRAY;
    CHECK_EQ_INT(mx_load(tmp_path("nope.npy"), NULL, &a, NULL, NULL), MX_ERROR_IO);
    CHECK(strstr(mx_last_error(), "Failed to open file") != NULL);
    CHECK_EQ_INT(mx_load(tmp_path("x.xyz"), NULL, &a, NULL, NULL), MX_ERROR_VALUE);
    CHECK(strstr(mx_last_error(), "Unknown file format xyz") != NULL);
    /* gguf: absurd counts and truncation */
    unsigned char g[24] = {'G', 'G', 'U', 'F', 3, 0, 0, 0};
    memset(g + 8, 0xFF, 16);
    CHECK_EQ_INT(mx_load_memory(g, sizeof g, "gguf", NULL, &(mx_named_arrays *){NULL}, NULL), MX_ERROR_IO);
    /* npy: header length beyond the file, truncated data */
    unsigned char npy[] = "\x93NUMPY\x01\x00\xff\x00{'descr'";
    CHECK_EQ_INT(mx_array_status(mx_load_npy(tmp_path("nope2.npy"))), MX_ERROR_IO);
    CHECK_EQ_INT(mx_load_memory(npy, sizeof npy - 1, "npy", &a, NULL, NULL), MX_ERROR_IO);
    mx_scope_end(scope);
}

/* xorshift, for reproducible fuzzing */
static uint64_t g_rng = 0x9E3779B97F4A7C15ull;
static uint64_t next_rand(void) {
    g_rng ^= g_rng << 13;
    g_rng ^= g_rng >> 7;
    g_rng ^= g_rng << 17;
    return g_rng;
}

static void fuzz_format(const char *format, const void *valid, size_t n, int rounds) {
    unsigned char *copy = malloc(n);
    int loaded = 0;
    for (int r = 0; r < rounds && copy; r++) {
        memcpy(copy, valid, n);
        size_t len = n;
        int kind = (int)(next_rand() % 3);
        if (kind == 0) {
            len = (size_t)(next_rand() % n); /* truncation */
        } else {
            int flips = 1 + (int)(next_rand() % 4);
            for (int f = 0; f < flips; f++) {
                size_t at = (size_t)(next_rand() % (kind == 1 ? (n < 128 ? n : 128) : n)); /* bias to headers */
                copy[at] ^= (unsigned char)(1u << (next_rand() % 8));
                if (next_rand() % 4 == 0)
                    copy[at] = (unsigned char)next_rand();
            }
        }
        mx_status st = load_and_touch(copy, len, format);
        CHECK(st == MX_OK || st == MX_ERROR_IO || st == MX_ERROR_VALUE);
        if (st != MX_OK)
            CHECK(strlen(mx_last_error()) > 0);
        loaded += st == MX_OK;
    }
    free(copy);
    CHECK(loaded > 0); /* some flips land in data bytes: those files still load */
}

static void test_fuzz(void) {
    mx_scope scope = mx_scope_begin();
    mx_named_arrays *map = mx_named_arrays_new();
    mx_named_arrays_set(map, "weight", sample(MX_FLOAT32, SHAPE(4, 8)));
    mx_named_arrays_set(map, "bias", sample(MX_FLOAT16, SHAPE(8)));
    mx_named_arrays_set(map, "ids", sample(MX_INT32, SHAPE(3)));
    mx_metadata *meta = mx_metadata_new();
    mx_metadata_set_string(meta, "k", "v");
    void *data;
    size_t n;
    CHECK_OK(mx_save_memory("safetensors", MX_NULL_ARRAY, map, meta, false, &data, &n));
    fuzz_format("safetensors", data, n, 1000);
    free(data);
    CHECK_OK(mx_save_memory("gguf", MX_NULL_ARRAY, map, NULL, false, &data, &n));
    fuzz_format("gguf", data, n, 1000);
    free(data);
    mx_metadata *gmeta = mx_metadata_new();
    const char *toks[] = {"a", "bc"};
    mx_metadata_set_strings(gmeta, "toks", toks, 2);
    mx_metadata_set_array(gmeta, "v", sample(MX_INT32, SHAPE(3)));
    CHECK_OK(mx_save_memory("gguf", MX_NULL_ARRAY, map, gmeta, false, &data, &n));
    fuzz_format("gguf", data, n, 1000);
    free(data);
    CHECK_OK(mx_save_memory("npy", sample(MX_FLOAT32, SHAPE(3, 5)), NULL, NULL, false, &data, &n));
    fuzz_format("npy", data, n, 1000);
    free(data);
    for (int compressed = 0; compressed < 2; compressed++) {
        CHECK_OK(mx_save_memory("npz", MX_NULL_ARRAY, map, NULL, compressed, &data, &n));
        fuzz_format("npz", data, n, 1000);
        free(data);
    }
    unsigned char block[34] = {0};
    unsigned char file[256];
    n = gguf_one_tensor(file, 2, "q.weight", block, 18);
    fuzz_format("gguf", file, n, 300);
    mx_metadata_free(gmeta);
    mx_metadata_free(meta);
    mx_named_arrays_free(map);
    mx_scope_end(scope);
}

static void test_named_maps(void) {
    mx_scope scope = mx_scope_begin();
    mx_named_arrays *m = mx_named_arrays_new();
    CHECK_OK(mx_named_arrays_set(m, "b", mx_scalar_f32(1)));
    CHECK_OK(mx_named_arrays_set(m, "a", mx_scalar_f32(2)));
    CHECK_OK(mx_named_arrays_set(m, "b", mx_scalar_f32(3))); /* replaces in place */
    CHECK_EQ_INT(mx_named_arrays_size(m), 2);
    CHECK(strcmp(mx_named_arrays_name(m, 0), "b") == 0);
    float v = 0;
    mx_item_f32(mx_named_arrays_get(m, "b"), &v);
    CHECK(v == 3.0f);
    CHECK(mx_named_arrays_get(m, "zz").id == 0);
    CHECK_EQ_INT(mx_named_arrays_set(m, "c", MX_NULL_ARRAY), MX_ERROR_HANDLE);
    mx_named_arrays_free(m);
    mx_scope_end(scope);
}

int main(void) {
    snprintf(g_dir, sizeof g_dir, "/tmp/cmlx_test_io_XXXXXX");
    if (!mkdtemp(g_dir)) {
        perror("mkdtemp");
        return 1;
    }
    RUN(test_named_maps);
    RUN(test_safetensors_round_trip);
    RUN(test_safetensors_layout);
    RUN(test_npy_round_trip);
    RUN(test_npy_foreign_files);
    RUN(test_npz);
    RUN(test_gguf_round_trip);
    RUN(test_gguf_quantized);
    RUN(test_corrupt_files);
    RUN(test_fuzz);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", g_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", g_dir);
    return CHECK_SUMMARY();
}
